"""Fill-in workbooks: the template, and reading back every problem with its cell."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.errors import InputProblem
from evalkit.io.results import score_input
from evalkit.io.workbook import (
    INFO_SHEET,
    INSTRUCTIONS_SHEET,
    SCORES_SHEET,
    read_csv,
    read_month,
    read_workbook,
    write_template,
)
from tests._io_helpers import append_rows, filled_workbook, person


def _messages(problems: list[InputProblem]) -> str:
    return "\n".join(str(p) for p in problems)


class TestTemplate:
    def test_template_has_a_column_per_criterion_with_its_maximum(self, tmp_path: Path) -> None:
        """NĐ 335: the general criteria are 6 points each; the header shows the maximum."""
        path = write_template(tmp_path / "t.xlsx", "vn.nd335-2025", "2026-03")
        wb = openpyxl.load_workbook(path)
        header = [c.value for c in wb[SCORES_SHEET][1]]
        assert "Chính trị, tư tưởng (tối đa 6) [chinh_tri]" in header
        assert "(b) Chất lượng công việc (tối đa 100) [chat_luong]" in header
        assert {INFO_SHEET, INSTRUCTIONS_SHEET} <= set(wb.sheetnames)

    def test_template_validates_scores_between_zero_and_the_maximum(self, tmp_path: Path) -> None:
        """Excel itself refuses a general criterion above 6 (data validation)."""
        path = write_template(tmp_path / "t.xlsx", "vn.nd335-2025", "2026-03")
        ws = openpyxl.load_workbook(path)[SCORES_SHEET]
        rules = {(dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
        assert ("0", "6") in rules and ("0", "100") in rules

    def test_template_instructions_are_in_vietnamese(self, tmp_path: Path) -> None:
        """The instructions sheet speaks to the person who fills it, in Vietnamese."""
        path = write_template(tmp_path / "t.xlsx", "vn.nd335-2025", "2026-03")
        ws = openpyxl.load_workbook(path)[INSTRUCTIONS_SHEET]
        text = "\n".join(str(r[0]) for r in ws.iter_rows(values_only=True) if r[0])
        assert "HƯỚNG DẪN NHẬP ĐIỂM" in text and "tháng 03/2026" in text

    def test_template_refuses_a_rule_set_not_in_force(self, tmp_path: Path) -> None:
        """NĐ 335 is in force from 2026-01-01; a 2025 template must be an explicit choice."""
        from evalkit.errors import RuleSetNotInForceError

        with pytest.raises(RuleSetNotInForceError):
            write_template(tmp_path / "t.xlsx", "vn.nd335-2025", "2025-12")
        assert write_template(tmp_path / "t.xlsx", "vn.nd335-2025", "2025-12", force=True)


class TestReading:
    def test_a_filled_template_reads_back_and_scores_91(self, tmp_path: Path) -> None:
        """Domain brief §4.1 example: a 90, b 100, c 80, general 28 → 91, HTXS."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1")])
        frame, problems = read_workbook(path)
        assert problems == []
        out = score_input(frame)
        assert out.loc[2, "total"] == 91.0 and out.loc[2, "grade"] == "HTXS"

    def test_a_row_with_no_scores_is_not_evaluated_and_not_a_problem(self, tmp_path: Path) -> None:
        """Domain brief §4.5: a person with no scores is not evaluated, never a zero."""
        blank = {"staff_id": "CC-2", "full_name": "B", "unit_id": "P1"}
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1"), blank])
        frame, problems = read_workbook(path)
        assert problems == []
        assert score_input(frame).loc[3, "reasons"] == "not_evaluated"

    def test_every_problem_is_reported_at_once_with_its_cell(self, tmp_path: Path) -> None:
        """Blank, text, above maximum, duplicate and unknown unit: all in one report."""
        rows = [
            person("CC-1"),
            person("CC-1", dao_duc="sáu"),
            person("CC-3", tac_phong=7),
            person("CC-4", unit="P9", phuc_vu=None),
        ]
        _, problems = read_workbook(filled_workbook(tmp_path / "f.xlsx", rows))
        text = _messages(problems)
        assert "row 3, column 'dao_duc', value 'sáu': cell J3: is not a number" in text
        assert "cell K4: score 7 for 'tac_phong' exceeds its maximum 6" in text
        assert "row 5, column 'phuc_vu': cell M5: blank required cell" in text
        assert "row 5, column 'unit_id', value 'P9': unknown unit 'P9'" in text
        dup = [p for p in problems if "duplicate staff id" in p.message]
        assert [p.row for p in dup] == [2, 3]
        assert all(p.file and p.sheet == SCORES_SHEET for p in problems)

    def test_text_in_a_number_cell_is_not_also_called_blank(self, tmp_path: Path) -> None:
        """One cell, one problem: 'sáu' is text, not a blank required cell."""
        _, problems = read_workbook(
            filled_workbook(tmp_path / "f.xlsx", [person("CC-1", dao_duc="sáu")])
        )
        assert [p.message.split(": ", 1)[1] for p in problems] == ["is not a number (staff 'CC-1')"]

    def test_a_decimal_comma_is_read_as_a_number(self, tmp_path: Path) -> None:
        """Vietnamese users type 5,5 for five and a half."""
        frame, problems = read_workbook(
            filled_workbook(tmp_path / "f.xlsx", [person("CC-1", ky_luat="5,5")])
        )
        assert problems == [] and frame.loc[2, "ky_luat"] == 5.5

    def test_a_period_mismatch_is_reported(self, tmp_path: Path) -> None:
        """A March workbook checked as April, or a row of another month, is a problem."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1", period="2026-04")])
        _, problems = read_workbook(path)
        assert "period 2026-04 does not match the workbook's 2026-03" in _messages(problems)
        _, problems = read_workbook(path, period="2026-04")
        assert "period mismatch: the workbook is for 2026-03, expected 2026-04" in _messages(
            problems
        )

    def test_renamed_and_merged_header_cells_are_reported(self, tmp_path: Path) -> None:
        """A header without its [id] and a merged header range both name the cell."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1")])
        wb = openpyxl.load_workbook(path)
        ws = wb[SCORES_SHEET]
        ws["I1"] = "Chính trị, tư tưởng"  # id and maximum removed: recognised by its label
        ws["J1"] = "Đạo đức (điểm)"  # renamed beyond recognition
        ws.merge_cells("K1:L1")
        wb.save(path)
        _, problems = read_workbook(path)
        text = _messages(problems)
        assert "header cell J1 is not a known column (renamed?)" in text
        assert "merged header cells K1:L1" in text
        assert "required column 'Đạo đức, lối sống (tối đa 6) [dao_duc]' is missing" in text
        assert "chinh_tri" not in text

    def test_unknown_position_is_reported_against_the_positions_sheet(self, tmp_path: Path) -> None:
        """Positions listed in the workbook are the known ones."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1", position_id="XX")])
        wb = openpyxl.load_workbook(path)
        append_rows(wb["Vị trí việc làm"], [{"position_id": "CV", "title": "Chuyên viên"}])
        wb.save(path)
        _, problems = read_workbook(path)
        assert "unknown position 'XX'" in _messages(problems)

    def test_a_file_that_is_not_a_workbook_gives_a_problem_not_a_traceback(
        self, tmp_path: Path
    ) -> None:
        """Garbage in, a report out."""
        path = tmp_path / "x.xlsx"
        path.write_bytes(b"PK\x03\x04 not really a zip")
        frame, problems = read_workbook(path)
        assert len(frame) == 0 and "not a readable .xlsx workbook" in problems[0].message

    def test_the_head_is_marked_from_the_units_sheet(self, tmp_path: Path) -> None:
        """The units sheet names the head; the frame says is_head for the head cap."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1"), person("CC-2")],
                               units=[{"unit_id": "P1", "name": "P", "head_id": "CC-2"}])
        frame, problems = read_workbook(path)
        assert problems == [] and frame["is_head"].tolist() == [False, True]

    def test_the_tasks_sheet_fills_blank_task_components(self, tmp_path: Path) -> None:
        """NĐ 335 via a task tracker: 1 of 2 tasks done on time, 1 open and overdue: the
        open task counts 0 in a, b and c (Điều 14 k2: divided by what was assigned)."""
        row = person("CC-1", so_luong=None, chat_luong=None, tien_do=None)
        tasks = [
            {"assignee": "CC-1", "unit_id": "P1", "assigned": dt.datetime(2026, 3, 1),
             "due": dt.datetime(2026, 3, 10), "done": dt.datetime(2026, 3, 9)},
            {"assignee": "CC-1", "unit_id": "P1", "assigned": "2026-03-01", "due": "15/03/2026"},
        ]
        frame, problems = read_workbook(filled_workbook(tmp_path / "f.xlsx", [row], tasks=tasks))
        assert problems == []
        assert frame.loc[2, ["so_luong", "chat_luong", "tien_do", "cham_tien_do"]].tolist() == [
            50.0, 50.0, 50.0, 0.0]  # per product: (1 + 0) ÷ 2 each

    def test_read_month_returns_units_and_tasks(self, tmp_path: Path) -> None:
        """The other sheets come back typed."""
        month = read_month(filled_workbook(tmp_path / "f.xlsx", [person("CC-1")]))
        assert month.units["unit_id"].tolist() == ["P1"] and str(month.period) == "2026-03"


class TestCsv:
    def test_a_csv_with_bare_ids_reads_like_the_workbook(self, tmp_path: Path) -> None:
        """CSV equivalent: the same checks, rows are line numbers."""
        path = tmp_path / "f.csv"
        cols = ["staff_id", "unit_id", "chinh_tri", "dao_duc", "tac_phong", "ky_luat",
                "phuc_vu", "so_luong", "chat_luong", "tien_do"]
        path.write_text(",".join(cols) + "\nCC-1,P1,6,6,6,5,5,90,100,80\nCC-2,P1,6,6,6,5,9,90,x,80\n",
                        encoding="utf-8")
        frame, problems = read_csv(path, "vn.nd335-2025", period="2026-03")
        assert frame.loc[2, "chinh_tri"] == 6.0
        text = _messages(problems)
        assert "row 3, column 'phuc_vu', value '9'" in text and "exceeds its maximum 6" in text
        assert "row 3, column 'chat_luong', value 'x'" in text


# ---------------------------------------------------------------------------- fuzz

_cells = st.one_of(
    st.none(),
    st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(string.ascii_letters + string.digits + string.punctuation + " ạđươấ", max_size=12),
    st.booleans(),
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["x", "có", "2026-03", "03/2026", "inf", "nan", "=1+1", "  ", "5,5"]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    header_keep=st.lists(st.booleans(), min_size=31, max_size=31),
    header_noise=st.lists(st.one_of(st.none(), st.text(string.ascii_letters + "[]_ ", max_size=8)),
                          max_size=4),
    rows=st.lists(st.lists(_cells, max_size=34), max_size=8),
    drop_sheets=st.sets(st.sampled_from(["Đơn vị", "Vị trí việc làm", "Nhiệm vụ", "Thông tin"])),
    unit_rows=st.lists(st.lists(_cells, max_size=11), max_size=3),
    task_rows=st.lists(st.lists(_cells, max_size=9), max_size=3),
    merge=st.booleans(),
)
def test_any_cell_contents_and_sheet_shapes_give_a_report_never_a_traceback(
    tmp_path_factory: pytest.TempPathFactory,
    header_keep: list[bool],
    header_noise: list[str | None],
    rows: list[list[object]],
    drop_sheets: set[str],
    unit_rows: list[list[object]],
    task_rows: list[list[object]],
    merge: bool,
) -> None:
    """Issue 7: whatever people type, read_workbook returns (frame, problems) and no error."""
    path = tmp_path_factory.mktemp("fuzz") / "f.xlsx"
    write_template(path, "vn.nd335-2025", "2026-03", staff_rows=5)
    wb = openpyxl.load_workbook(path)
    ws = wb[SCORES_SHEET]
    for i, keep in enumerate(header_keep, start=1):
        if not keep:
            ws.cell(row=1, column=i).value = None
    for j, noise in enumerate(header_noise):
        ws.cell(row=1, column=32 + j).value = noise
    if merge:
        ws.merge_cells("C1:D1")
    for r in rows:
        ws.append(r)
    for name, extra in (("Đơn vị", unit_rows), ("Nhiệm vụ", task_rows)):
        for r in extra:
            wb[name].append(r)
    for name in drop_sheets:
        del wb[name]
    wb.save(path)
    frame, problems = read_workbook(path, "vn.nd335-2025" if "Thông tin" in drop_sheets else None)
    assert all(isinstance(p, InputProblem) and str(p) for p in problems)
    if not problems:
        score_input(frame)  # a clean report means the frame scores
