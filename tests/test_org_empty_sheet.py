"""`evalkit org` on a workbook whose 'Vị trí việc làm' sheet is there but has no rows says the
sheet is empty, not that the file has no such sheet (audit 14, org_empty_positions)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from evalkit.io.workbook import POSITIONS_SHEET, UNITS_SHEET, read_organisation
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person


def _empty_positions(tmp_path: Path) -> Path:
    path = filled_workbook(tmp_path / "o.xlsx", [person("CC-1")])
    wb = openpyxl.load_workbook(path)
    ws = wb[POSITIONS_SHEET]
    ws.delete_rows(2, ws.max_row)
    wb.save(path)
    return path


def test_an_empty_positions_sheet_is_said_empty_not_missing(tmp_path: Path) -> None:
    path = _empty_positions(tmp_path)
    _org, problems = read_organisation(path)
    said = [p for p in problems if p.column == "position_id" and p.row is None]
    assert len(said) == 1 and said[0].sheet == POSITIONS_SHEET
    assert "empty" in said[0].message and "no sheet" not in said[0].message
    code, out, err = run("--lang", "vi", "org", str(path), "--out", str(tmp_path / "org.json"))
    assert code == 1 and f"trang '{POSITIONS_SHEET}' không có dòng nào" in out + err
    assert "tệp không có trang" not in out + err


def test_a_missing_positions_sheet_is_still_said_missing(tmp_path: Path) -> None:
    path = _empty_positions(tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb[POSITIONS_SHEET]
    wb.save(path)
    _org, problems = read_organisation(path)
    said = [p for p in problems if p.column == "position_id" and p.row is None]
    assert len(said) == 1 and "no sheet" in said[0].message
    units = [p for p in problems if p.column == "unit_id" and p.row is None]
    assert units == [] and UNITS_SHEET  # the units sheet is filled


def test_org_json_mode_names_the_empty_sheet(tmp_path: Path) -> None:
    path = _empty_positions(tmp_path)
    code, out, _err = run("org", str(path), "--out", str(tmp_path / "org.json"), "--json")
    assert code == 1
    found = json.loads(out)["problems"]
    assert any(p.get("sheet") == POSITIONS_SHEET and p.get("column") == "position_id"
               for p in found)  # fmt: skip
