"""The dependency direction of geo/: stages import only their own or lower stages, no cycles, no Streamlit, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Stage rank of each subpackage (bottom to top); modules at the top of geo/ rank highest.
STAGES = {"core": 1, "plan": 2, "places": 3, "layers": 4, "analysis": 5, "render": 6, "curation": 7}
TOP = 8
MAX_LINES = 450


def module_name(path: Path, base: Path) -> str:
    parts = list(path.relative_to(base.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(base: Path) -> dict[str, Path]:
    """Every module of the package at ``base`` by dotted name."""
    return {module_name(p, base): p for p in sorted(base.rglob("*.py"))}


def resolve(name: str, known: dict[str, Path]) -> str | None:
    """The longest known module a dotted import name refers to (``geo.core.io.dumps`` → ``geo.core.io``)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def imports(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """The package's modules that ``path`` imports, at top level or inside functions."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            hit = resolve(target, known)
            if hit and hit != name:
                found.add(hit)
                break
    return found


def graph(base: Path) -> dict[str, set[str]]:
    known = modules(base)
    return {name: imports(path, name, known) for name, path in known.items()}


def rank(name: str, root: str) -> int:
    parts = name.split(".")
    if len(parts) >= 2 and parts[1] in STAGES:
        return STAGES[parts[1]]
    return 0 if name == root else TOP


def upward_imports(base: Path) -> list[str]:
    """Every import from a lower stage to a higher one, as 'a (stage n) imports b (stage m)'."""
    root = base.name
    return sorted(
        f"{a} (stage {rank(a, root)}) imports {b} (stage {rank(b, root)})"
        for a, targets in graph(base).items()
        for b in targets
        if rank(b, root) > rank(a, root) and a != root
    )


def cycles(base: Path) -> list[list[str]]:
    """Import cycles between modules (a package importing its own submodules is not one)."""
    edges = {
        a: {b for b in bs if not a.startswith(b + ".") and not b.startswith(a + ".")} for a, bs in graph(base).items()
    }
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return found


def test_imports_point_down_the_stages():
    assert upward_imports(ROOT / "geo") == []


def test_no_import_cycles():
    assert cycles(ROOT / "geo") == []


def _importers_of(package: str, where: Path) -> list[str]:
    offenders = []
    for path in where.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(n == package or n.startswith(package + ".") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    return offenders


def test_geo_never_imports_streamlit_or_the_ui():
    assert _importers_of("streamlit", ROOT / "geo") == []
    assert _importers_of("ui", ROOT / "geo") == []  # the Streamlit panels sit above geo/, never below it


def test_the_app_is_thin_and_every_panel_short():
    assert len((ROOT / "app.py").read_text(encoding="utf-8").splitlines()) <= 250
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "ui").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_module_is_too_long():
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "geo").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_stage_is_a_package_with_a_one_line_docstring():
    for stage in STAGES:
        doc = ast.get_docstring(ast.parse((ROOT / "geo" / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "\n" not in doc.strip(), stage


def fake_package(tmp_path: Path) -> Path:
    base = tmp_path / "geo"
    for stage in ("core", "analysis"):
        (base / stage).mkdir(parents=True)
        (base / stage / "__init__.py").write_text('"""Stage."""\n', encoding="utf-8")
    (base / "__init__.py").write_text("", encoding="utf-8")
    (base / "analysis" / "filters.py").write_text("from geo.core.io import dumps\n", encoding="utf-8")
    (base / "core" / "io.py").write_text(
        "def dumps():\n    from geo.analysis.filters import apply_filters\n    return apply_filters\n", encoding="utf-8"
    )
    return base


def test_the_checker_catches_an_upward_import_and_a_cycle(tmp_path):
    base = fake_package(tmp_path)
    assert upward_imports(base) == ["geo.core.io (stage 1) imports geo.analysis.filters (stage 5)"]
    assert cycles(base) == [["geo.analysis.filters", "geo.core.io", "geo.analysis.filters"]]


def test_the_checker_accepts_downward_imports(tmp_path):
    base = fake_package(tmp_path)
    (base / "core" / "io.py").write_text("def dumps():\n    return 1\n", encoding="utf-8")
    assert upward_imports(base) == []
    assert cycles(base) == []
