"""Exit codes as the README documents them, and `corrections import` that checks every row before storing any."""

from __future__ import annotations

import csv
import io
import re

import pytest
from conftest import ROOT, no_traceback, run_cli

from geo.core.errors import ValidationError
from geo.curation.corrections import COLUMNS, import_rows
from geo.curation.rows import known_adcodes, known_projects, row_problems
from geo.curation.store import SQLiteStore

CORPUS = ROOT / "tests" / "corpus"


def corrections_csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in COLUMNS})
    return buf.getvalue()


def good_row(**changes: str) -> dict[str, str]:
    row = {
        "project_id": "B05-05",
        "lon": "126.468150",
        "lat": "44.087490",
        "precision": "2",
        "adcode": "220203",
        "editor": "王",
        "source": "现场核实",
        "comment": "",
    }
    return row | changes


# --- corrections import --------------------------------------------------------------------------------------------

BAD = {
    "lon": ("abc", "lon: 'abc' is not a number"),
    "precision": ("one", "precision: 'one' is not a whole number"),
    "project_id": ("B99-99", "project_id: 'B99-99' is not a project"),
    "lat": ("999", "lon/lat: (126.46815, 999.0) is outside the city extent"),
    "adcode": ("000000", "adcode: '000000' is not one of the county codes"),
    "source": ("", "source: required"),
}


@pytest.mark.parametrize("field", sorted(BAD))
def test_import_refuses_a_bad_value_by_row_number_and_imports_nothing(tmp_path, field):
    value, message = BAD[field]
    path = tmp_path / "corrections.csv"
    path.write_text(corrections_csv([good_row(project_id="B27-10"), good_row(**{field: value})]), encoding="utf-8")
    db = tmp_path / "c.sqlite"
    proc = run_cli("corrections", "import", "--db", str(db), "--file", str(path))
    assert proc.returncode == 3 and no_traceback(proc), proc.stderr
    assert f"row 3: {message}" in proc.stderr, proc.stderr
    assert "row 2:" not in proc.stderr  # the good row is not blamed …
    assert "nothing imported" in proc.stderr
    assert SQLiteStore(db).all_edits() == []  # … and not imported either: none or all


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e999"])
def test_non_finite_numbers_are_refused(value):
    problems = row_problems([good_row(lon=value, _line="7")], "c.csv")
    assert problems and all("row 7: lon:" in p for p in problems)


def test_precision_outside_one_to_five_and_half_a_point_are_refused():
    problems = row_problems([good_row(precision="9"), good_row(project_id="B27-10", lon="")], "c.csv")
    assert any("row 2: precision: 9 is not one of 1–5" in p for p in problems)
    assert any("row 3: lon/lat: give both or neither" in p for p in problems)


def test_every_bad_row_is_reported_not_only_the_first(tmp_path):
    rows = [good_row(lon="abc"), good_row(project_id="B27-10", precision="one"), good_row(project_id="B27-10")]
    with pytest.raises(ValidationError) as info:
        import_rows(SQLiteStore(tmp_path / "c.sqlite"), rows, where="c.csv")
    text = "\n".join(info.value.problems)
    assert "row 2: lon" in text and "row 3: precision" in text and "row 4: project_id: a second correction" in text
    assert str(info.value).startswith("3 bad row(s) of 3")


def test_a_good_file_is_imported_and_known_sets_come_from_the_data():
    assert "B05-05" in known_projects() and "220203" in known_adcodes()
    assert row_problems([good_row()], "c.csv") == []


def test_county_level_row_without_a_point_is_accepted(tmp_path):
    store = SQLiteStore(tmp_path / "c.sqlite")
    assert import_rows(store, [good_row(lon="", lat="", precision="3")], where="c.csv") == 1
    assert store.current()["B05-05"].new_lon is None


# --- exit codes (README: "Named errors become one-line messages and exit codes") ------------------------------------


def test_readme_lists_the_exit_codes_the_code_uses():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if "2 unreadable/missing input" in line)
    block = readme[readme.index(line) : readme.index(line) + 600]
    for code in ("2", "3", "4", "5", "6", "7", "8", "9", "141"):
        assert re.search(rf"\b{code} ", block), code


def test_exit_2_missing_or_unreadable_input(tmp_path):
    proc = run_cli("validate", str(tmp_path / "missing_projects.geojson"))
    assert proc.returncode == 2 and no_traceback(proc) and "file not found" in proc.stderr
    proc = run_cli("validate", str(tmp_path))
    assert proc.returncode == 2 and no_traceback(proc) and "is a directory" in proc.stderr


def test_exit_3_when_any_file_is_invalid_even_next_to_a_missing_one(tmp_path):
    proc = run_cli("validate", str(CORPUS / "swapped_lonlat_projects.geojson"), str(tmp_path / "missing.geojson"))
    assert proc.returncode == 3 and no_traceback(proc)


def test_exit_4_unknown_place():
    proc = run_cli("validate", str(CORPUS / "unknown_place" / "board_rules.csv"))
    assert proc.returncode == 4 and no_traceback(proc) and "atlantis" in proc.stderr


def test_exit_5_header_only_list(tmp_path):
    src = tmp_path / "header_only.csv"
    src.write_text("项目名称,说明\n", encoding="utf-8")
    out = tmp_path / "out.geojson"
    proc = run_cli("geocode-file", str(src), "--name-col", "项目名称", "-o", str(out))
    assert proc.returncode == 5 and no_traceback(proc) and "nothing to geocode" in proc.stderr
    assert not out.exists()


@pytest.mark.parametrize("value", ["nan", "-5", "0", "inf", "ten"])
def test_stats_within_km_refuses_non_distances(value):
    proc = run_cli("stats", "--by", "proximity", "--within-km", value)
    assert proc.returncode == 2 and no_traceback(proc) and "--within-km" in proc.stderr


def test_stats_within_km_accepts_a_distance():
    proc = run_cli("stats", "--by", "proximity", "--within-km", "2.5", "--format", "json")
    assert proc.returncode == 0 and "within_2.5_km" in proc.stdout


# --- the 200-problem cap stops the work, not only the output -------------------------------------------------------


def test_twenty_thousand_invalid_features_stop_at_the_cap_quickly():
    import time
    import tracemalloc

    from geo.core.validate import MAX_PROBLEMS, validate_data

    features = [
        {
            "type": "Feature",
            "id": f"X{i}",
            "properties": {"name": 5, "precision": "x", "box": "seven"},
            "geometry": {"type": "Point", "coordinates": [126.5, 43.8]},
        }
        for i in range(20_000)
    ]
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(ValidationError) as info:
        validate_data({"type": "FeatureCollection", "features": features}, kind="projects", path="big.geojson")
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(info.value.problems) == MAX_PROBLEMS + 1 and info.value.problems[-1].endswith("more problems not shown")
    assert elapsed < 5 and peak < 50 * 1024 * 1024, (elapsed, peak)  # before the fix: 12 s and 1.5 GB
