"""Parse the plan text into boxes (专栏) and the entries of its project boxes, with line provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from geo.core.errors import InputFileError, PlanParseError
from geo.core.text import SENTENCE_END, clean, display_width, split_list
from geo.plan.detect import ENTRY_RE, detect_part

#: A box header in every common form: 专栏 1：标题, 专栏1:标题, 专栏1 标题, 专栏一：标题, 专栏１．标题.
BOX_RE = re.compile(
    r"^\s*专栏\s*(?P<n>[0-9０-９]{1,3}|[零〇一二两三四五六七八九十百]{1,5})\s*(?:[：:．.、]\s*|\s+)(?P<title>\S.*?)\s*$"
)
HEADING_RE = re.compile(r"^\s*(第[一二三四五六七八九十百]+[章节]|[一二三四五六七八九十]+、)")
PAGE_RE = re.compile(r"^\s*-\s*\d+\s*-\s*$")
URL_RE = re.compile(r"^\s*(https?://|www\.)\S*\s*$")
# A prose paragraph opens with a short bold topic phrase ending in 。 followed by more text.
TOPIC_RE = re.compile(r"^[^：:，、。；]{2,14}。\S")
GROUP_RE = re.compile(r"^(?P<n>\d+)\s*大")
PROGRAMME_PREFIXES = ("各县（市）区", "各县(市)区")

#: A line at least this share of its box's widest line is "full": the next line may continue it.
FULL_LINE_SHARE = 0.88


@dataclass(frozen=True)
class Line:
    """One non-empty line of the plan, with its 1-based line number."""

    no: int
    text: str


@dataclass
class Box:
    """A 专栏: number, title, the content lines up to where prose resumes, and its detected part.

    ``part`` is what the box holds (``geo.plan.detect``): project, board, county_targets, urban_rural,
    featured_towns or other; ``kind`` groups the four layout parts as "layout".
    """

    number: int
    title: str
    line: int
    lines: list[Line] = field(default_factory=list)
    part: str = "project"
    sector: str | None = None  # a project box's sector (geo.plan.sectors.box_sector, or the profile's override)
    title_en: str | None = None  # the reviewed English title, if any

    @property
    def end_line(self) -> int:
        return self.lines[-1].no if self.lines else self.line

    @property
    def kind(self) -> str:
        return self.part if self.part in ("project", "other") else "layout"


@dataclass
class Paragraph:
    """Wrapped lines joined into one text, remembering which line each character came from."""

    lines: list[Line]

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)

    @property
    def first(self) -> int:
        return self.lines[0].no

    @property
    def last(self) -> int:
        return self.lines[-1].no

    def lines_of(self, start: int, end: int) -> tuple[int, int]:
        """Plan line range holding characters ``text[start:end]``."""
        offset = 0
        first = last = self.lines[0].no
        found = False
        for line in self.lines:
            lo, hi = offset, offset + len(line.text)
            if hi > start and lo < end:
                if not found:
                    first, found = line.no, True
                last = line.no
            offset = hi
        return first, last


@dataclass
class Entry:
    """A project entry of a project box (or a named member of a grouped entry)."""

    id: str
    box: int
    seq: int
    name: str
    description: str
    line_start: int
    line_end: int
    entry_type: str  # project | programme | group
    raw: str
    parent: str | None = None
    member_seq: int | None = None
    key: str = ""  # stable key (geo.plan.keys), set once the whole plan is read


def read_plan(path: str | Path) -> list[str]:
    """Read the plan as a list of lines; a missing, empty or non-UTF-8 file raises InputFileError."""
    p = Path(path)
    if not p.exists():
        raise InputFileError("plan file not found", path=str(p))
    if p.is_dir():
        raise InputFileError("plan path is a directory, not a text file", path=str(p))
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"plan file is not UTF-8 text (byte {exc.start})", path=str(p)) from None
    except OSError as exc:
        raise InputFileError(f"cannot read plan file: {exc.strerror}", path=str(p)) from None
    if not text.strip():
        raise InputFileError("plan file is empty", path=str(p))
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def box_number(token: str) -> int:
    """A box number written in ASCII or full-width digits or Chinese numerals (十二, 二十三, 一百零五, 四〇)."""
    token = token.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if token.isdigit():
        return int(token)
    if "百" not in token and "十" not in token:  # digit by digit: 四〇 = 40
        return int("".join(str(_DIGITS[c]) for c in token))
    total, digit = 0, 0
    for char in token:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            total += (digit or 1) * (100 if char == "百" else 10)
            digit = 0
    return total + digit


def _is_noise(text: str) -> bool:
    return bool(PAGE_RE.match(text) or URL_RE.match(text))


def find_boxes(lines: list[str], *, path: str | None = None) -> list[Box]:
    """Locate every 专栏 and the lines that belong to it (up to the next heading or prose paragraph)."""
    boxes: list[Box] = []
    current: Box | None = None
    for no, raw in enumerate(lines, 1):
        match = BOX_RE.match(raw)
        if match:
            current = Box(box_number(match.group("n")), clean(match.group("title")), no)
            boxes.append(current)
            continue
        if current is None:
            continue
        text = raw.strip()
        if not text or _is_noise(text):
            continue
        if HEADING_RE.match(text) or TOPIC_RE.match(text):
            current = None
            continue
        current.lines.append(Line(no, text))
    if not boxes:
        raise PlanParseError("no boxes (专栏) found: is this a plan text with 专栏 boxes?", path=path)
    numbers = [b.number for b in boxes]
    dupes = sorted({n for n in numbers if numbers.count(n) > 1})
    if dupes:
        raise PlanParseError(f"box numbers appear twice: {dupes}", path=path)
    return boxes


def paragraphs(box: Box) -> list[Paragraph]:
    """Join a box's wrapped lines into entries.

    A line starts a new entry when it reads ``name：…`` and the line before it either was not
    full width (the previous entry ended there) or ended a sentence. Anything else continues.
    """
    if not box.lines:
        return []
    widest = max(display_width(line.text) for line in box.lines)
    full = FULL_LINE_SHARE * widest
    result: list[Paragraph] = []
    previous: Line | None = None
    for line in box.lines:
        looks_like_entry = ENTRY_RE.match(line.text) is not None
        starts = previous is None or (
            looks_like_entry and (display_width(previous.text) < full or previous.text.rstrip()[-1] in SENTENCE_END)
        )
        if starts or not result:
            result.append(Paragraph([line]))
        else:
            result[-1].lines.append(line)
        previous = line
    return result


def _entry_type(name: str) -> str:
    if GROUP_RE.match(name):
        return "group"
    if name.startswith(PROGRAMME_PREFIXES):
        return "programme"
    return "project"


def entries_of(box: Box, *, path: str | None = None) -> list[Entry]:
    """The entries of a project box, grouped entries followed by their split members."""
    out: list[Entry] = []
    for seq, para in enumerate(paragraphs(box), 1):
        raw = para.text
        match = ENTRY_RE.match(raw)
        if not match:
            raise PlanParseError(
                f"box {box.number}, line {para.first}: entry without 'name：description': {raw[:40]!r}",
                path=path,
            )
        name = clean(match.group("name"))
        description = clean(match.group("rest"))
        entry_id = f"B{box.number:02d}-{seq:02d}"
        kind = _entry_type(name)
        out.append(Entry(entry_id, box.number, seq, name, description, para.first, para.last, kind, raw))
        if kind == "group":
            out.extend(_members(box, seq, entry_id, para, match, path=path))
    return out


def _members(box: Box, seq: int, parent: str, para: Paragraph, match: re.Match, *, path: str | None) -> list[Entry]:
    expected = int(GROUP_RE.match(clean(match.group("name"))).group("n"))
    rest_start = match.start("rest")
    rest = match.group("rest")
    names = split_list(rest.rstrip("。；;"))
    if len(names) != expected:
        raise PlanParseError(
            f"box {box.number}, line {para.first}: group says {expected} members but lists {len(names)}",
            path=path,
        )
    members = []
    cursor = 0
    for k, raw_name in enumerate(names, 1):
        pos = rest.find(raw_name, cursor)
        cursor = pos + len(raw_name)
        first, last = para.lines_of(rest_start + pos, rest_start + cursor)
        members.append(
            Entry(
                f"{parent}.{k}",
                box.number,
                seq,
                clean(raw_name),
                "",
                first,
                last,
                "project",
                raw_name,
                parent=parent,
                member_seq=k,
            )
        )
    return members


def parse_plan(
    lines: list[str], *, path: str | None = None, parts: dict[str, str] | None = None
) -> tuple[list[Box], list[Entry]]:
    """All boxes, each with its detected part (``parts``: box title → part, the profile's overrides), and all
    entries of the project boxes."""
    boxes = find_boxes(lines, path=path)
    entries: list[Entry] = []
    for box in boxes:
        box.part = (parts or {}).get(box.title) or detect_part([line.text for line in box.lines])
        if box.part == "project":
            entries.extend(entries_of(box, path=path))
    return boxes, entries
