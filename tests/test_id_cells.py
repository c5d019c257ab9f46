"""An id cell is read as the text it shows (audit 14, id_leading_zero_xlsx).

Typing 007 into a General cell of Excel stores the number 7; Excel's usual fix is the
number format ``000`` (the cell shows 007, still holds 7). Every workbook door reads an id
column's number through its zero-padding format, and the template's id columns are text
(``@``) so that 007 typed in a new workbook stays the text 007.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from evalkit.cli import main
from evalkit.io._cells import padding_styles, shown_number
from evalkit.io.workbook import (
    POSITIONS_SHEET,
    SCORES_SHEET,
    UNITS_SHEET,
    read_month,
    read_organisation,
    write_template,
)
from evalkit.messages import located
from tests._io_helpers import HEAD, filled_workbook, header_ids, person


def _set(ws: Any, row: int, cid: str, value: object, fmt: str) -> None:
    cell = ws.cell(row, header_ids(ws).index(cid) + 1, value)
    cell.number_format = fmt


def _padded_book(tmp_path: Path) -> Path:
    """Staff 007 and 012 (managed by 007) in unit 00005 headed by 007, position 03: every id a number
    in a cell whose format pads it, as Excel keeps a typed 007."""
    path = filled_workbook(
        tmp_path / "ids.xlsx",
        [person("X", unit="X", position_id="X", **HEAD),  # the head: đ, e typed (Điều 15)
         person("012", unit="X", position_id="X")],
        units=[{"unit_id": "X", "name": "Đội 5", "head_id": "X"}],
        positions=[{"position_id": "X", "title": "Chuyên viên"}],
    )  # fmt: skip
    wb = openpyxl.load_workbook(path)
    scores, units, positions = wb[SCORES_SHEET], wb[UNITS_SHEET], wb[POSITIONS_SHEET]
    for row in (2, 3):
        _set(scores, row, "unit_id", 5, "00000")
        _set(scores, row, "position_id", 3, "00")
    _set(scores, 2, "staff_id", 7, "000")
    _set(scores, 3, "manager_id", 7, "000")
    _set(scores, 3, "staff_id", 12, '"0"00')  # a literal zero then two placeholders: 012
    _set(units, 2, "unit_id", 5, "00000")
    _set(units, 2, "head_id", 7.0, "000")
    _set(positions, 2, "position_id", 3, "00")
    wb.save(path)
    return path


def test_ids_read_as_the_padded_text_the_cells_show(tmp_path: Path) -> None:
    month = read_month(_padded_book(tmp_path))
    assert month.problems == []
    staff = month.staff.sort_index()
    assert staff["staff_id"].tolist() == ["007", "012"]
    assert staff["manager_id"].tolist()[1] == "007"
    assert set(staff["unit_id"]) == {"00005"} and set(staff["position_id"]) == {"03"}
    assert month.units["unit_id"].tolist() == ["00005"]
    assert month.units["head_id"].tolist() == ["007"]
    assert month.positions["position_id"].tolist() == ["03"]


def test_the_organisation_door_reads_the_same_ids(tmp_path: Path) -> None:
    org, problems = read_organisation(_padded_book(tmp_path))
    assert problems == [] and org is not None
    head = org.head_of("00005")
    assert head is not None and head.id == "007"
    assert sorted(p.id for p in org.staff) == ["007", "012"]


def test_the_cli_writes_the_ids_the_cells_show(tmp_path: Path) -> None:
    path, out = _padded_book(tmp_path), tmp_path / "r.json"
    assert main(["classify", str(path), "--out", str(out)], stdout=io.StringIO()) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))["data"]["rows"]
    assert sorted(r["staff_id"] for r in rows) == ["007", "012"]
    assert {r["unit_id"] for r in rows} == {"00005"}


def test_a_score_in_a_padded_cell_stays_a_number(tmp_path: Path) -> None:
    """Only id columns read the shown text: 90 formatted 000 is still the score 90."""
    path = filled_workbook(tmp_path / "s.xlsx", [person("CC-1")])
    wb = openpyxl.load_workbook(path)
    _set(wb[SCORES_SHEET], 2, "competent__so_luong", 90, "000")
    wb.save(path)
    month = read_month(path)
    assert month.problems == [] and month.staff.loc[2, "so_luong"] == 90.0


def test_the_template_id_columns_are_text(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx", "vn.nd335-2025", "2026-03")
    wb = openpyxl.load_workbook(path)
    for name, ids in ((SCORES_SHEET, {"staff_id", "unit_id", "manager_id", "position_id"}),
                      (UNITS_SHEET, {"unit_id", "parent_id", "head_id"}),
                      (POSITIONS_SHEET, {"position_id"})):  # fmt: skip
        ws = wb[name]
        letters = {cid: openpyxl.utils.get_column_letter(i + 1)
                   for i, cid in enumerate(header_ids(ws)) if cid}  # fmt: skip
        for cid, letter in letters.items():
            fmt = ws.column_dimensions[letter].number_format
            assert (fmt == "@") == (cid in ids), (name, cid, fmt)


def test_padding_styles_finds_only_zero_padding_formats() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, fmt in enumerate(("000", "0.00", "0%", "00000", '"NV"000', "General", "0"), 1):
        ws.cell(1, i, 1).number_format = fmt
    path = io.BytesIO()
    wb.save(path)
    found = set(padding_styles(openpyxl.load_workbook(path, read_only=True)).values())
    assert found == {"000", "00000", '"NV"000'}


@given(st.integers(0, 10**12), st.integers(2, 12))
def test_shown_number_pads_to_the_width_and_keeps_the_number(n: int, width: int) -> None:
    shown = shown_number(n, "0" * width)
    assert shown is not None and len(shown) == max(width, len(str(n))) and int(shown) == n
    assert shown_number(float(n), "0" * width) == shown
    assert shown_number(n + 0.5, "0" * width) is None and shown_number(-1 - n, "0" * width) is None


def test_the_findings_workbook_reads_ids_as_shown(tmp_path: Path) -> None:
    """evalkit.io.inspections: a staff or unit id shown 007 / 00005 is '007' / '00005'."""
    import datetime as dt

    from evalkit.io.inspections import read_inspections

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Kiểm tra công vụ"
    ws.append(["inspected_on", "inspector", "staff_id", "unit_id", "finding", "severity",
               "decision_ref"])  # fmt: skip
    ws.append([dt.date(2026, 3, 12), "Sở Nội vụ", 7, 5, "x", "nhẹ", "15/TB"])
    ws["C2"].number_format, ws["D2"].number_format = "000", "00000"
    path = tmp_path / "kiem-tra.xlsx"
    wb.save(path)
    out = read_inspections(path)
    assert out[["staff_id", "unit_id"]].values.tolist() == [["007", "00005"]]


def test_an_id_that_lost_its_zeros_is_the_one_suggested(tmp_path: Path) -> None:
    """Audit af21: 001 typed in a General cell is the number 1. The problems of the rows
    managed by 001 and of the unit headed by 001 suggested '003' — another person, whom a
    hurried fix would make the manager — instead of the '1' the cell holds."""
    path = filled_workbook(
        tmp_path / "ids.xlsx",
        [person("001", unit="X", position_id="X", **HEAD),
         person("002", unit="X", position_id="X", manager_id="001"),
         person("003", unit="X", position_id="X", manager_id="001")],
        units=[{"unit_id": "X", "name": "Đội 5", "head_id": "001"}],
        positions=[{"position_id": "X", "title": "Chuyên viên"}],
    )  # fmt: skip
    wb = openpyxl.load_workbook(path)
    _set(wb[SCORES_SHEET], 2, "staff_id", 1, "General")
    wb.save(path)
    problems = read_month(path).problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        (SCORES_SHEET, 3, "manager_id"), (SCORES_SHEET, 4, "manager_id"),
        (UNITS_SHEET, 2, "head_id")]
    # 1 and '001' are two ids (docs/cli.md: a General cell holds the number): the hint says
    # why they differ and how to keep the zeros, in both languages (audit af21)
    assert all(str(p).endswith("did you mean '1'? (a number cell loses the id's leading "
                               "zeros: format the id column as text)") for p in problems), problems
    assert all(located(p, "vi").endswith(
        "có phải là '1'? (ô kiểu số làm mất các số 0 ở đầu mã: định dạng cột mã là văn bản)")
        for p in problems)  # fmt: skip
    # a closest id that is not the same but for its zeros keeps the plain hint
    path = filled_workbook(tmp_path / "other.xlsx", [person("CC-1", manager_id="CC-2x"),
                                                      person("CC-2")])  # fmt: skip
    (p,) = [p for p in read_month(path).problems if p.column == "manager_id"]
    assert str(p).endswith("did you mean 'CC-2'?")
