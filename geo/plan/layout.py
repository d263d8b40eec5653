"""Parse the plan's layout boxes: the four boards, county targets, 两区两带五园十镇 and 特色小镇."""

from __future__ import annotations

import re
from typing import Any

from geo.core.errors import PlanParseError
from geo.core.text import clean, split_list
from geo.plan.boxes import BOX_RE as BOX_START
from geo.plan.boxes import Box, Line, box_number

POSITION = "发展定位"
INDUSTRY = "主导产业"


def _first(boxes: list[Box], part: str) -> Box | None:
    return next((box for box in boxes if box.part == part), None)


def parse_board(box: Box, *, path: str | None = None) -> dict[str, Any]:
    """One board box: its members, each with 发展定位 and 主导产业 and the lines they came from."""
    members: list[dict[str, Any]] = []
    state = "name"
    current: dict[str, Any] | None = None

    def start_member(line: Line) -> dict[str, Any]:
        member = {"name_lines": [line], "position_lines": [], "industry_lines": []}
        members.append(member)
        return member

    for line in box.lines:
        text = line.text
        if text.startswith(POSITION):
            if current is None:
                raise PlanParseError(f"box {box.number}, line {line.no}: 发展定位 before any member", path=path)
            state = "position"
            rest = text[len(POSITION) :].strip()
            if rest:
                current["position_lines"].append(Line(line.no, rest))
            continue
        if text.startswith(INDUSTRY):
            if current is None:
                raise PlanParseError(f"box {box.number}, line {line.no}: 主导产业 before any member", path=path)
            state = "industry"
            rest = text[len(INDUSTRY) :].strip()
            if rest:
                current["industry_lines"].append(Line(line.no, rest))
            continue
        if state == "name":
            if current is None:
                current = start_member(line)
            else:
                current["name_lines"].append(line)
        elif state == "position":
            current["position_lines"].append(line)
        else:  # industry: an enumeration continues while it ends with 、 or the line enumerates
            previous = current["industry_lines"][-1].text if current["industry_lines"] else ""
            if not previous or previous.endswith("、") or "、" in text:
                current["industry_lines"].append(line)
            else:
                current = start_member(line)
                state = "name"
    out = []
    for member in members:
        if not member["position_lines"] or not member["industry_lines"]:
            name = "".join(x.text for x in member["name_lines"])
            raise PlanParseError(f"box {box.number}: member {name!r} lacks 发展定位 or 主导产业", path=path)
        raw_name = clean("".join(x.text for x in member["name_lines"]))
        m = re.match(r"^(?P<unit>.+?)(（(?P<qual>[^）]+)）)?$", raw_name)
        all_lines = member["name_lines"] + member["position_lines"] + member["industry_lines"]
        out.append(
            {
                "member": raw_name,
                "unit": m.group("unit"),
                "qualifier": m.group("qual"),
                "position": clean("".join(x.text for x in member["position_lines"])),
                "industries": split_list(clean("".join(x.text for x in member["industry_lines"]))),
                "lines": [min(x.no for x in all_lines), max(x.no for x in all_lines)],
            }
        )
    return {"box": box.number, "title": box.title, "line": box.line, "members": out}


def parse_county_targets(box: Box, *, path: str | None = None) -> dict[str, Any]:
    """专栏22: each county's 2018 rank and 2025 target rank in the provincial county ranking."""
    rows = []
    for line in box.lines:
        tokens: list[str] = []
        for token in line.text.split():
            if tokens and tokens[-1] in ("前", "后"):  # "前 15名" was one cell
                tokens[-1] += token
            else:
                tokens.append(token)
        if tokens:
            rows.append(tokens)
    header = next((r for r in rows if r[0].startswith("各县")), None)
    actual = next((r for r in rows if re.match(r"(19|20)\d\d年.*实际", r[0])), None)
    target = next((r for r in rows if re.match(r"(19|20)\d\d年.*目标", r[0])), None)
    if not header or not actual or not target or not (len(header) == len(actual) == len(target)):
        raise PlanParseError(f"box {box.number}: county ranking table not understood", path=path)
    counties = []
    for k, name in enumerate(header[1:], 1):
        rank = re.search(r"\d+", actual[k])
        goal = re.search(r"\d+", target[k])
        if not rank or not goal:
            raise PlanParseError(f"box {box.number}: rank of {name} not a number", path=path)
        counties.append(
            {
                "county": name,
                "rank_2018": int(rank.group()),
                "target_2025": target[k],
                "target_2025_rank": int(goal.group()),
            }
        )
    return {"box": box.number, "title": box.title, "lines": [box.line, box.end_line], "counties": counties}


LABEL_RE = re.compile(r"^(?P<label>[^：:，、。]{1,12})[：:](?P<rest>.*)$")


def _labelled(box: Box, *, path: str | None) -> list[tuple[str, str, tuple[int, int]]]:
    """``label：list`` paragraphs of a box as (label, text, line range); a short label starts one."""
    out: list[list] = []
    for line in box.lines:
        text = clean(line.text)
        m = LABEL_RE.match(text)
        if m:
            out.append([m.group("label"), m.group("rest"), [line.no, line.no]])
        elif out:
            out[-1][1] += text
            out[-1][2][1] = line.no
        else:
            raise PlanParseError(f"box {box.number}, line {line.no}: expected 'label：list'", path=path)
    return [(label, rest, (lines[0], lines[1])) for label, rest, lines in out]


def parse_urban_rural(box: Box, *, path: str | None = None) -> dict[str, Any]:
    """专栏23 两区、两带、五园、十镇 as groups of named members with their classes."""
    groups = []
    for label, rest, lines in _labelled(box, path=path):
        members = []
        stated = re.match(r"^[一二两三四五六七八九十\d]{1,3}", label)
        if re.search(r"\d+个", rest) and "：" in rest:  # classes of towns: 3个省级示范镇：…；7个…
            for part in re.split(r"[；;]", rest):
                part = part.strip("。 ")
                if not part:
                    continue
                cls, _, names = part.partition("：")
                m = re.match(r"(\d+)个(.+)", cls)
                if not m:
                    raise PlanParseError(f"box {box.number}: town class {cls!r} not understood", path=path)
                names_list = split_list(names)
                if len(names_list) != int(m.group(1)):
                    raise PlanParseError(
                        f"box {box.number}: {cls} lists {len(names_list)} towns, not {m.group(1)}", path=path
                    )
                members += [{"name": n, "class": m.group(2)} for n in names_list]
        else:
            members = [{"name": n, "class": None} for n in split_list(rest.strip("。"))]
        if stated and len(members) != box_number(stated.group()):
            raise PlanParseError(f"box {box.number}: {label} has {len(members)} members", path=path)
        groups.append({"group": label, "members": members, "lines": list(lines)})
    return {"box": box.number, "title": box.title, "groups": groups}


def parse_featured_towns(box: Box, *, path: str | None = None) -> dict[str, Any]:
    """专栏25 特色小镇培育计划: towns by class (成长类/培育类/规划类), counts checked."""
    classes = []
    for label, rest, lines in _labelled(box, path=path):
        m = re.match(r"(?P<cls>.+?)（(?P<n>\d+)个）", label)
        if not m:
            raise PlanParseError(f"box {box.number}: class label {label!r} not understood", path=path)
        towns = split_list(rest.strip("。"))
        if len(towns) != int(m.group("n")):
            raise PlanParseError(f"box {box.number}: {label} lists {len(towns)} towns", path=path)
        classes.append({"class": m.group("cls"), "towns": towns, "lines": list(lines)})
    return {"box": box.number, "title": box.title, "classes": classes}


def board_scope_quotes(lines: list[str]) -> dict[str, dict[str, Any]]:
    """The prose sentence ``建设X。主要包括…`` that introduces each board, keyed by board title."""
    out: dict[str, dict[str, Any]] = {}
    pattern = re.compile(r"^\s*(建设|打造|构建)(?P<title>[^。，]{4,30})。主要包括")
    for no, raw in enumerate(lines, 1):
        m = pattern.match(raw)
        if not m:
            continue
        text = raw.strip()
        end = no
        k = no
        while "，" not in text.split("主要包括", 1)[1] and k < len(lines):
            k += 1
            text += lines[k - 1].strip()
            end = k
        scope = text.split("主要包括", 1)[1].split("，", 1)[0]
        out[m.group("title")] = {
            "quote": clean(text.split("，", 1)[0] + "，" + "…"),
            "scope": clean(scope),
            "lines": [no, end],
        }
    return out


def parse_layout(boxes: list[Box], lines: list[str], *, path: str | None = None) -> dict[str, Any]:
    """Everything the layout boxes say, as one JSON-ready structure."""
    """Everything the layout boxes say, as one JSON-ready structure; a part the plan lacks is absent (None/[])."""
    boards = [parse_board(box, path=path) for box in boxes if box.part == "board"]
    scopes = board_scope_quotes(lines)
    for board in boards:
        board["scope"] = scopes.get(board["title"])  # the prose sentence 建设…。主要包括…, if the plan has one
    targets, urban, towns = (_first(boxes, part) for part in ("county_targets", "urban_rural", "featured_towns"))
    return {
        "boards": boards,
        "county_targets": parse_county_targets(targets, path=path) if targets else None,
        "urban_rural": parse_urban_rural(urban, path=path) if urban else None,
        "featured_towns": parse_featured_towns(towns, path=path) if towns else None,
        "growth_poles": parse_growth_poles(lines, path=path),
    }


GROWTH_POLE_RE = re.compile(r"^\s*(?P<county>[\u4e00-\u9fff]{2,4}[县市])。")


def parse_growth_poles(lines: list[str], *, path: str | None = None) -> list[dict[str, Any]]:
    """第三章第二节 打造县域经济增长极: each county paragraph with its quoted 发展定位."""
    start = next((i for i, raw in enumerate(lines) if re.match(r"^\s*第二节\s*打造县域经济增长极", raw)), None)
    if start is None:
        return []  # a plan without this section names no growth poles
    out: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for no in range(start + 2, len(lines) + 1):
        raw = lines[no - 1]
        if BOX_START.match(raw) or re.match(r"^\s*第[一二三四五六七八九十]+[章节]", raw):
            break
        m = GROWTH_POLE_RE.match(raw)
        if m:
            current = {"county": m.group("county"), "text": "", "lines": [no, no]}
            out.append(current)
        if current is not None and raw.strip():
            current["text"] += raw.strip()
            current["lines"][1] = no
    for pole in out:
        text = clean(pole.pop("text"))
        m = re.search(r"坚持“(?P<pos>[^”]+)”的发展定位", text)
        if not m:
            raise PlanParseError(f"growth pole {pole['county']}: no “…”的发展定位", path=path)
        pole["position"] = m.group("pos")
        pole["quote"] = text[: text.index("。", m.end()) + 1] if "。" in text[m.end() :] else text
    return out
