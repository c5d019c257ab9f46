"""The month's workbook: the template carries the month (each level's scores, words,
grades, units, positions, signatories), and reading it back gives every problem with its
cell, sorted by sheet and row, one per cell."""

from __future__ import annotations

import csv
import datetime as dt
import os
import string
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalkit
from evalkit.errors import InputProblem, OutputError
from evalkit.io.workbook import (
    INFO_SHEET,
    INSTRUCTIONS_SHEET,
    LEVELS,
    POSITIONS_SHEET,
    SCORES_SHEET,
    SIGNATORIES_SHEET,
    UNITS_SHEET,
    read_csv,
    read_month,
    read_organisation,
    read_workbook,
    score_columns,
    write_template,
)
from evalkit.messages import located
from evalkit.workflow import score_input
from tests._io_helpers import GENERAL, HEAD, TASKS, filled_workbook, header_ids, person

RULES = evalkit.rules.get("vn.nd335-2025")


def _messages(problems: list[InputProblem]) -> str:
    return "\n".join(str(p) for p in problems)


def _org() -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit("SNV", "Sở Nội vụ", head_id="GD", governing_body="UBND tỉnh",
                            place="Lam Giang"),
               evalkit.Unit("P1", "Phòng 1", parent_id="SNV", head_id="TP")],
        positions=[evalkit.Position("GD", "Giám đốc Sở", manages_others=True),
                   evalkit.Position("TP", "Trưởng phòng", manages_others=True),
                   evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff("GD", "Lê Văn Thành", "GD", "SNV", title_vi="Giám đốc"),
               evalkit.Staff("TP", "Ngô Thị Lan", "TP", "P1", manager_id="GD"),
               evalkit.Staff("A", "Trần An", "CV", "P1", manager_id="TP")],
    )  # fmt: skip


class TestTemplate:
    def test_every_criterion_has_a_column_per_level_with_its_maximum(
        self, tmp_path: Path
    ) -> None:
        """Domain brief §3: self, direct manager and competent level each score every
        criterion; the header shows the maximum (NĐ 335: 5 points for quality)."""
        path = write_template(tmp_path / "t.xlsx", "vn.nd335-2025", "2026-03")
        ids = header_ids(openpyxl.load_workbook(path)[SCORES_SHEET])
        for c in RULES.criteria():
            assert {f"{lvl}__{c.id}" for lvl in LEVELS} <= set(ids), c.id
        header = [c.value for c in openpyxl.load_workbook(path)[SCORES_SHEET][1]]
        assert ("Phẩm chất chính trị, phẩm chất đạo đức, văn hóa thực thi công vụ — tự chấm "
                "(tối đa 5) [self__pham_chat_dao_duc]") in header
        assert ("Năng lực chuyên môn, nghiệp vụ theo yêu cầu của vị trí việc làm — cấp có "
                "thẩm quyền chấm (tối đa 2,5) [competent__nang_luc_chuyen_mon]") in header

    def test_an_agency_rule_file_is_taken_by_its_path(self, tmp_path: Path) -> None:
        """write_template(rules=) takes the path of an agency's rule file (str or Path), as
        score_frame and the command line's --rules do: its own criterion gets columns."""
        agency = tmp_path / "agency.toml"
        text = (Path(evalkit.__file__).parent / "rules" / "presets" / "vn.nd335-2025.toml"
                ).read_text(encoding="utf-8")  # fmt: skip
        text = text.replace('id = "vn.nd335-2025"', 'id = "so.tasks"', 1).replace(
            'jurisdiction = "vn"', 'jurisdiction = "vn.so"', 1).replace(
            '{ id = "tien_do",', '{ id = "tien_do_so",', 1).replace(
            '"so_luong", "chat_luong", "tien_do"]', '"so_luong", "chat_luong", "tien_do_so"]')
        text = text.replace('"chat_luong", "tien_do", "ket_qua', '"chat_luong", "tien_do_so", "ket_qua')
        text = text.replace('input = "tien_do"', 'input = "tien_do_so"').replace(
            'c = "tien_do"', 'c = "tien_do_so"')  # fmt: skip
        agency.write_text(text, encoding="utf-8")
        for i, rules in enumerate((str(agency), agency)):
            path = write_template(tmp_path / f"t{i}.xlsx", rules, "2026-03")
            ids = header_ids(openpyxl.load_workbook(path)[SCORES_SHEET])
            assert "competent__tien_do_so" in ids and "competent__tien_do" not in ids

    def test_the_staff_sheet_carries_the_words_grades_and_conclusion(self, tmp_path: Path) -> None:
        """The three comments, the proposed grades and the conclusion with its reason,
        after each level's scores, in the order of the evaluation."""
        ids = header_ids(openpyxl.load_workbook(
            write_template(tmp_path / "t.xlsx", RULES, "2026-03"))[SCORES_SHEET])
        order = ["staff_id", "full_name", "title_vi", "position_id", "unit_id", "manager_id",
                 "self_comment", "self_grade", "manager_comment", "manager_grade",
                 "competent_comment", "competent_grade", "competent_reason", "discipline",
                 "leave"]  # fmt: skip
        assert [i for i in ids if i in order] == order
        assert ids.index("self_grade") < ids.index("manager__pham_chat_dao_duc")
        assert ids.index("manager_grade") < ids.index("competent__pham_chat_dao_duc")

    def test_units_positions_and_signatories_sheets(self, tmp_path: Path) -> None:
        """Units carry their own results and identity; signatories name who signs."""
        wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", RULES, "2026-03"))
        units = header_ids(wb[UNITS_SHEET])
        assert {"unit_id", "name", "parent_id", "head_id", "category", "rule_set",
                "governing_body", "place", "tasks_assigned", "self_score", "council_score",
                "exceptional"} <= set(units)  # fmt: skip
        assert header_ids(wb[POSITIONS_SHEET]) == ["position_id", "title", "title_en",
                                                   "manages_others"]  # fmt: skip
        assert header_ids(wb[SIGNATORIES_SHEET]) == [
            "unit_id", "agency", "governing_body", "place", "approver_id", "approver_name",
            "approver_title"]  # fmt: skip
        assert {INFO_SHEET, INSTRUCTIONS_SHEET} <= set(wb.sheetnames)

    def test_excel_validates_scores_and_grades(self, tmp_path: Path) -> None:
        """Excel itself refuses 6 in a 5-point criterion and a grade that is not a code."""
        ws = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", RULES, "2026-03"))[
            SCORES_SHEET]
        rules = {(dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
        assert {("0", "5"), ("0", "2.5"), ("0", "100"), ('"HTXS,HTT,HT,KHT"', None)} <= rules

    def test_the_organisation_fills_staff_units_positions_and_signatories(
        self, tmp_path: Path
    ) -> None:
        """--org pre-fills who everyone is, and the head of the agency as the signatory."""
        path = write_template(tmp_path / "t.xlsx", RULES, "2026-03", org=_org())
        month = read_month(path)
        assert month.problems == []
        staff = month.staff.set_index("staff_id")
        assert staff.loc["TP", "manager_id"] == "GD" and staff.loc["GD", "title_vi"] == "Giám đốc"
        assert staff["manages_others"].tolist() == [True, True, False]
        assert month.units["governing_body"].fillna("").tolist() == ["UBND tỉnh", ""]
        assert month.positions["title"].tolist() == ["Giám đốc Sở", "Trưởng phòng", "Chuyên viên"]
        sig = month.signatories.iloc[0]
        assert (sig["agency"], sig["approver_id"], sig["approver_name"], sig["approver_title"]) == (
            "Sở Nội vụ", "GD", "Lê Văn Thành", "Giám đốc")

    def test_the_instructions_are_in_vietnamese(self, tmp_path: Path) -> None:
        """The instructions sheet speaks to the person who fills it, in Vietnamese."""
        ws = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", RULES, "2026-03"))[
            INSTRUCTIONS_SHEET]
        text = "\n".join(str(r[0]) for r in ws.iter_rows(values_only=True) if r[0])
        assert "HƯỚNG DẪN NHẬP ĐIỂM" in text and "tháng 03/2026" in text
        assert "cấp có thẩm quyền chấm" in text

    def test_a_rule_set_not_in_force_must_be_forced(self, tmp_path: Path) -> None:
        """NĐ 335 is in force from 2026-01-01; a 2025 template must be an explicit choice."""
        from evalkit.errors import RuleSetNotInForceError

        with pytest.raises(RuleSetNotInForceError):
            write_template(tmp_path / "t.xlsx", "vn.nd335-2025", "2025-12")
        assert write_template(tmp_path / "t.xlsx", "vn.nd335-2025", "2025-12", force=True)

    def test_an_existing_file_is_never_replaced_without_overwrite(self, tmp_path: Path) -> None:
        """Issue 15: a second `template` run silently overwrote a filled workbook."""
        path = filled_workbook(tmp_path / "t.xlsx", [person("CC-1")])
        before = path.read_bytes()
        with pytest.raises(OutputError, match="already exists"):
            write_template(path, RULES, "2026-03")
        assert path.read_bytes() == before
        write_template(path, RULES, "2026-03", overwrite=True)
        assert read_workbook(path)[0].empty

    def test_a_csv_name_writes_the_staff_sheet_as_csv(self, tmp_path: Path) -> None:
        """Issue 15: `template … x.csv` wrote an xlsx under a .csv name."""
        path = write_template(tmp_path / "t.csv", RULES, "2026-03", org=_org())
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"PK")
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        assert rows[0] == [c.header() for c in score_columns(RULES)]
        assert [r[0] for r in rows[1:]] == ["GD", "TP", "A"]
        frame, problems = read_csv(path, period="2026-03")  # a CSV names no rule set
        assert problems == [] and frame["staff_id"].tolist() == ["GD", "TP", "A"]

    def test_another_suffix_is_refused(self, tmp_path: Path) -> None:
        """Only .xlsx and .csv: a name ending .xls would hold something Excel cannot read."""
        with pytest.raises(OutputError, match=r"\.xlsx"):
            write_template(tmp_path / "t.xls", RULES, "2026-03")
        assert not (tmp_path / "t.xls").exists()

    def test_the_file_follows_the_umask(self, tmp_path: Path) -> None:
        """Colleagues on a shared folder can open it (umask 022: -rw-r--r--)."""
        old = os.umask(0o022)
        try:
            path = write_template(tmp_path / "t.xlsx", RULES, "2026-03")
        finally:
            os.umask(old)
        assert path.stat().st_mode & 0o777 == 0o644


class TestLevels:
    def test_the_counting_score_is_the_last_level_that_scored_each_criterion(
        self, tmp_path: Path
    ) -> None:
        """Domain brief §3: competent over manager over self, per criterion."""
        row = {"staff_id": "A", "unit_id": "P1",
               **{f"self__{k}": v for k, v in {**GENERAL, **TASKS}.items()},
               "manager__so_luong": 80, "competent__chat_luong": 70}  # fmt: skip
        frame, problems = read_workbook(filled_workbook(tmp_path / "f.xlsx", [row]))
        assert problems == []
        got = frame.loc[2, ["so_luong", "chat_luong", "tien_do", "self__so_luong",
                            "manager__so_luong"]].tolist()  # fmt: skip
        assert got == [80.0, 70.0, 80.0, 90.0, 80.0]

    def test_grades_comments_and_leave_are_read(self, tmp_path: Path) -> None:
        """Grades by code or by name; leave in Vietnamese (on a month without scores);
        comments as typed (NFC)."""
        row = person("A", self_grade="htxs", manager_grade="Hoàn thành tốt nhiệm vụ",
                     competent_grade="HT", competent_reason="Hồ sơ phải làm lại",
                     self_comment="Tốt")  # fmt: skip
        away = {"staff_id": "B", "position_id": "CV", "unit_id": "P1", "leave": "thai sản"}
        frame, problems = read_workbook(filled_workbook(tmp_path / "f.xlsx", [row, away]))
        assert problems == []
        assert frame.loc[2, ["self_grade", "manager_grade", "competent_grade",
                             "competent_reason", "self_comment"]].tolist() == [
            "HTXS", "HTT", "HT", "Hồ sơ phải làm lại", "Tốt"]  # fmt: skip
        assert frame["leave"].fillna("").tolist() == ["", "maternity"]

    def test_a_bad_grade_and_leave_are_problems_on_their_cells(self, tmp_path: Path) -> None:
        """'XS' is no grade, 'nghỉ phép' no legal leave: each named with its cell."""
        row = person("A", self_grade="XS", leave="nghỉ phép")
        _, problems = read_workbook(filled_workbook(tmp_path / "f.xlsx", [row]))
        assert [(p.row, p.column, p.value) for p in problems] == [
            (2, "self_grade", "XS"), (2, "leave", "nghỉ phép")]

    def test_a_score_over_the_maximum_names_its_level(self, tmp_path: Path) -> None:
        """The message names the criterion and who typed it."""
        row = person("A", manager__pham_chat_dao_duc=6)
        _, problems = read_workbook(filled_workbook(tmp_path / "f.xlsx", [row]))
        assert [located(p, "vi").split(": ", 1)[1] for p in problems] == [
            "ô AE2: điểm 6 của tiêu chí 'pham_chat_dao_duc' (người quản lý trực tiếp) vượt mức "
            "tối đa 5 (vn.nd335-2025)"]
        assert problems[0].staff_id == "A" and problems[0].column == "manager__pham_chat_dao_duc"

    def test_a_criterion_nobody_scored_is_named_at_the_last_level_that_scored(
        self, tmp_path: Path
    ) -> None:
        """The manager scored everything but quality: that is the blank cell to fill."""
        row = {"staff_id": "A", "unit_id": "P1",
               **{f"manager__{k}": v for k, v in {**GENERAL, **TASKS}.items()
                  if k != "chat_luong"}}  # fmt: skip
        _, problems = read_workbook(filled_workbook(tmp_path / "f.xlsx", [row]))
        assert [(p.row, p.column, p.message.split(": ", 1)[1]) for p in problems] == [
            (2, "manager__chat_luong",
             "blank required cell: criterion 'chat_luong' has no score at any level")]


class TestReading:
    def test_a_filled_template_reads_back_and_scores_91(self, tmp_path: Path) -> None:
        """Domain brief §4.1 example: a 90, b 100, c 80, general 28 → 91, HTXS."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1")])
        month = read_month(path)
        assert month.problems == []
        out = score_input(month)
        assert out.loc[2, "total"] == 91.0 and out.loc[2, "grade"] == "HTXS"
        assert not out.loc[2, "classified_by_unit"]

    def test_a_management_component_outside_the_rule_sets_values_is_a_problem(
        self, tmp_path: Path
    ) -> None:
        """NĐ 335 Điều 15 (d, đ, e): 100 % or 50 %, nothing else; validate refuses a 1
        (typed for 100 %) with its cell, as scoring would (a validated file always scores)."""
        head = person("CC-1", manages_others="x", ket_qua_linh_vuc=100, to_chuc_trien_khai=100,
                      tap_hop_doan_ket=1)
        path = filled_workbook(tmp_path / "f.xlsx", [head, person("CC-2", manager_id="CC-1")],
                               units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": "CC-1"}])
        month = read_month(path)
        assert [(p.row, p.column, p.value, p.staff_id) for p in month.problems] == [
            (2, "competent__tap_hop_doan_ket", 1, "CC-1")]
        assert located(month.problems[0], "vi").endswith(
            "phải là một trong các giá trị 100, 50 (theo bộ quy định)")
        assert str(month.problems[0]).endswith("must be one of 100, 50 (the rule set's values)")
        month_ok = read_month(filled_workbook(
            tmp_path / "g.xlsx", [{**head, "tap_hop_doan_ket": 50},
                                  person("CC-2", manager_id="CC-1")],
            units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": "CC-1"}]))
        assert month_ok.problems == []
        # general 28 + (90 + 100 + 80 + 100 + 100 + 50) / 6 × 70 % = 28 + 60.67
        assert score_input(month_ok).loc[2, "total"] == 88.67

    def test_a_row_with_no_scores_is_not_evaluated_and_not_a_problem(self, tmp_path: Path) -> None:
        """Domain brief §4.5: a person with no scores is not evaluated, never a zero."""
        blank = {"staff_id": "CC-2", "full_name": "B", "unit_id": "P1"}
        month = read_month(filled_workbook(tmp_path / "f.xlsx", [person("CC-1"), blank]))
        assert month.problems == []
        assert score_input(month).loc[3, "reasons"] == "not_evaluated"

    def test_every_problem_is_reported_at_once_sorted_one_per_cell(self, tmp_path: Path) -> None:
        """Blank, text, above maximum, duplicate and unknown unit: all in one report,
        sorted by row then column; the text cell is not also called blank."""
        rows = [
            person("CC-1"),
            person("CC-1", ky_luat_ky_cuong="năm"),
            person("CC-3", pham_chat_dao_duc=7),
            person("CC-4", unit="P9", tien_do=None),
        ]
        _, problems = read_workbook(filled_workbook(tmp_path / "f.xlsx", rows))
        where = [(p.row, p.column) for p in problems]
        assert where == [
            (2, "staff_id"), (3, "staff_id"), (3, "competent__ky_luat_ky_cuong"),
            (4, "competent__pham_chat_dao_duc"), (5, "unit_id"), (5, "competent__tien_do")]
        text = _messages(problems)
        assert "row 2, staff 'CC-1', column 'staff_id', value 'CC-1': duplicate staff id " \
               "(also at row 3)" in text  # fmt: skip
        assert "value 'năm': cell AZ3: is not a number" in text
        assert "cell AY4: score 7 for 'pham_chat_dao_duc' (competent level) exceeds its " \
               "maximum 5" in text  # fmt: skip
        assert "value 'P9': unknown unit 'P9'" in text
        assert all(p.file and p.sheet == SCORES_SHEET for p in problems)

    def test_every_row_of_a_duplicate_position_id_is_flagged(self, tmp_path: Path) -> None:
        """As duplicate staff and unit ids are: the first row too, not only the second
        (audit af21); a position typed once is not flagged."""
        positions = [{"position_id": "CV", "title": "Chuyên viên"},
                     {"position_id": "KT", "title": "Kế toán"},
                     {"position_id": "CV", "title": "Chuyên viên chính"}]  # fmt: skip
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1")], positions=positions)
        problems = [p for p in read_month(path).problems if p.sheet == POSITIONS_SHEET]
        assert [(p.row, p.column, p.value) for p in problems] == [
            (2, "position_id", "CV"), (4, "position_id", "CV")]
        assert all(p.message == "duplicate position id" for p in problems)

    def test_a_decimal_comma_is_read_as_a_number(self, tmp_path: Path) -> None:
        """Vietnamese users type 2,5 for two and a half."""
        frame, problems = read_workbook(
            filled_workbook(tmp_path / "f.xlsx", [person("CC-1", nang_luc_chuyen_mon="2,5")])
        )
        assert problems == [] and frame.loc[2, "nang_luc_chuyen_mon"] == 2.5

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
        ws["B1"] = "Họ và tên"  # id removed: recognised by its label
        ws["C1"] = "Chức danh (điểm)"  # renamed beyond recognition, a value under it
        ws["C2"] = "Chuyên viên"
        ws.merge_cells("D1:E1")
        wb.save(path)
        _, problems = read_workbook(path)
        text = _messages(problems)
        assert "header cell C1 is not a known column (renamed?)" in text
        assert "merged header cells D1:E1" in text
        assert "full_name" not in text

    def test_a_merged_criterion_header_is_one_problem_naming_its_column(
        self, tmp_path: Path
    ) -> None:
        """Audit 13 (messy): merging the headers of a, b, c gave a problem without a column
        and, per person, the values under the hidden headers and the criteria they hid."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1"), person("CC-2")])
        wb = openpyxl.load_workbook(path)
        ws = wb[SCORES_SHEET]
        ids = header_ids(ws)
        first, last = (ids.index(f"competent__{c}") + 1 for c in ("so_luong", "tien_do"))
        ref = f"{openpyxl.utils.get_column_letter(first)}1:{openpyxl.utils.get_column_letter(last)}1"
        ws.merge_cells(ref)
        wb.save(path)
        _, problems = read_workbook(path)
        assert [(p.row, p.column, p.value) for p in problems] == [
            (1, "competent__so_luong", ref)]
        assert located(problems[0], "vi").endswith(
            f"các ô tiêu đề {ref} bị gộp: bỏ gộp để mỗi cột có tiêu đề riêng")

    def test_a_copy_of_a_sheet_holding_data_is_refused_not_skipped(self, tmp_path: Path) -> None:
        """Audit af21: people typed into a copy of the score sheet (Excel's "Move or Copy"
        names it 'Nhân sự - Điểm (2)') were not read and `validate` said "no problems": a
        reprimanded person was missing from the month. A sheet with evalkit's column ids
        and data that evalkit does not read is named; a sheet of notes stays harmless."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1")])
        wb = openpyxl.load_workbook(path)
        copy = wb.copy_worksheet(wb[SCORES_SHEET])
        copy.title = f"{SCORES_SHEET} (2)"
        copy["A2"] = "CC-2"
        wb.create_sheet("Ghi chú")["A1"] = "ghi chú riêng"
        empty = wb.copy_worksheet(wb[UNITS_SHEET])  # the header alone: nothing lost
        empty.delete_rows(2, empty.max_row)
        wb.save(path)
        _, problems = read_workbook(path)
        assert [(p.sheet, p.row) for p in problems] == [(f"{SCORES_SHEET} (2)", 1)]
        assert "not read" in str(problems[0])

    def test_a_value_typed_once_over_merged_data_cells_is_refused(self, tmp_path: Path) -> None:
        """Audit af21: a reprimand typed once in a discipline cell merged over three people
        (Excel shows it on each row) was read for the first row only: the other two lost
        it without a word (HTXS, where NĐ 335/2025 Điều 20 k4 c gives KHT). A merged range
        of data cells is refused with its range, on any sheet; nothing is guessed."""
        path = filled_workbook(tmp_path / "f.xlsx", [person(f"CC-{i}") for i in (1, 2, 3)],
                               units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": None},
                                      {"unit_id": "P2", "name": "Phòng 2", "head_id": None}])
        wb = openpyxl.load_workbook(path)
        ws = wb[SCORES_SHEET]
        col = openpyxl.utils.get_column_letter(header_ids(ws).index("discipline") + 1)
        ws[f"{col}2"] = 1
        ws.merge_cells(f"{col}2:{col}4")
        units = wb[UNITS_SHEET]
        name = openpyxl.utils.get_column_letter(header_ids(units).index("name") + 1)
        units.merge_cells(f"{name}2:{name}3")
        wb.save(path)
        _, problems = read_workbook(path)
        assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
            (SCORES_SHEET, 2, "discipline", f"{col}2:{col}4"),
            (UNITS_SHEET, 2, "name", f"{name}2:{name}3")]
        assert "merged cells" in str(problems[0])

    def test_merged_data_cells_are_one_problem_not_also_blank_required_cells(
        self, tmp_path: Path
    ) -> None:
        """Acceptance af59: a timeliness score typed once over a cell merged on three rows
        was reported as the merge and again, on each hidden row, as a 'blank required
        cell' (and a merged staff id as a blank id): one mistake said three times, where
        cli.md says the range is named and its cells are never read as blanks."""
        people = [person("CC-1"), person("CC-2", pham_chat_dao_duc=7), person("CC-3")]
        path = filled_workbook(tmp_path / "f.xlsx", people)
        wb = openpyxl.load_workbook(path)
        ws = wb[SCORES_SHEET]
        ids = header_ids(ws)
        col = openpyxl.utils.get_column_letter(ids.index("competent__tien_do") + 1)
        for r in (3, 4):
            ws[f"{col}{r}"] = None
        ws.merge_cells(f"{col}2:{col}4")
        ws.merge_cells("A3:A4")  # CC-3's staff id hidden under CC-2's
        wb.save(path)
        _, problems = read_workbook(path)
        assert [(p.row, p.column, p.value) for p in problems] == [
            (2, "competent__tien_do", f"{col}2:{col}4"), (3, "staff_id", "A3:A4"),
            (3, "competent__pham_chat_dao_duc", 7)]  # a cell outside the ranges: said

    def test_a_header_moved_down_is_one_problem_naming_its_row(self, tmp_path: Path) -> None:
        """Audit 13 (messy): a title row inserted above the header gave a 'missing column'
        problem per column, with no hint."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1")])
        wb = openpyxl.load_workbook(path)
        ws = wb[SCORES_SHEET]
        ws.insert_rows(1, 2)
        ws["A1"] = "BẢNG ĐIỂM THÁNG 3"
        wb.save(path)
        _, problems = read_workbook(path)
        assert [(p.sheet, p.row, p.value) for p in problems] == [(SCORES_SHEET, 3, "A3")]
        assert str(problems[0].message).startswith("the header is on row 3, not row 1")
        assert "tiêu đề nằm ở dòng 3, không phải dòng 1" in located(problems[0], "vi")

    def test_unknown_position_is_reported_against_the_positions_sheet(self, tmp_path: Path) -> None:
        """Positions listed in the workbook are the known ones."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1", position_id="XX")],
                               positions=[{"position_id": "CV", "title": "Chuyên viên"}])
        _, problems = read_workbook(path)
        assert "unknown position 'XX'; did you mean" not in _messages(problems)
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
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1"), person("CC-2", **HEAD)],
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

    @pytest.mark.parametrize(("per", "quality"), [("unit", 93.75), ("line", 75.0)])
    def test_the_tasks_sheet_is_scored_under_the_workbooks_rule_set(
        self, tmp_path: Path, per: str, quality: float
    ) -> None:
        """An agency file whose ``[products] per = "line"`` takes 25 % of the whole line per
        error: a 4-unit task done 2 days late with 1 major error gives b = 4 × 0.75 ÷ 4 = 75
        under it (not the preset's per-unit (3 + 0.75) ÷ 4 = 93.75, which made a month
        scored under the file 90.71 instead of 86.33), c = 75 either way."""
        rule_file = tmp_path / "so.toml"
        rule_file.write_text('extends = "vn.nd335-2025"\nid = "mau.so-line-2026"\n'
                             'jurisdiction = "vn.mau.so-line"\n'
                             f'[products]\nper = "{per}"\n', encoding="utf-8")  # fmt: skip
        rs = evalkit.rules.load(rule_file)
        row = person("CC-1", so_luong=None, chat_luong=None, tien_do=None)
        tasks = [{"assignee": "CC-1", "unit_id": "P1", "assigned": "2026-03-01",
                  "due": "2026-03-10", "done": "2026-03-12", "errors": 1, "quantity": 4}]
        path = filled_workbook(tmp_path / "f.xlsx", [row], rules=rs,  # type: ignore[arg-type]
                               tasks=tasks)  # fmt: skip
        frame, problems = read_workbook(path, rs)
        assert problems == []
        assert frame.loc[2, ["so_luong", "chat_luong", "tien_do"]].tolist() == [
            100.0, quality, 75.0]

    def test_a_vien_chuc_workbook_gets_no_other_decrees_product_rule(
        self, tmp_path: Path
    ) -> None:
        """NĐ 233/2026 has no [products] table (quality and timeliness are entered as
        assessed): a viên chức's 4-unit task done 2 days late with 1 major error fills a
        = 100 from the tasks sheet, never NĐ 335's b = 93.75 and c = 75 (the set in force
        for công chức); the typed b 80 and c 90 count as typed, and left blank they are
        reported, as the Python door (io.tasks.task_components) leaves them blank."""
        from evalkit.io.tasks import task_components

        late = {"unit_id": "P1", "assigned": "2026-09-01", "due": "2026-09-10",
                "done": "2026-09-12", "errors": 1, "quantity": 4}
        rows = [person("VC-1", so_luong=None, chat_luong=80, tien_do=90),
                person("VC-2", so_luong=None, chat_luong=None, tien_do=None)]
        tasks = [{"assignee": "VC-1", **late}, {"assignee": "VC-2", **late}]
        path = filled_workbook(tmp_path / "vc.xlsx", rows, period="2026-09",
                               rules="vn.nd233-2026", tasks=tasks)  # fmt: skip
        frame, problems = read_workbook(path, evalkit.rules.get("vn.nd233-2026"))
        assert sorted((p.row, p.column) for p in problems) == [
            (3, "competent__chat_luong"), (3, "competent__tien_do")]
        assert frame.loc[2, ["so_luong", "chat_luong", "tien_do"]].tolist() == [100.0, 80.0, 90.0]
        python = task_components(pd.DataFrame(tasks), rules="vn.nd233-2026").people
        assert python.loc[("VC-2", "2026-09"), "so_luong"] == 100.0
        assert python.loc[("VC-2", "2026-09"), ["chat_luong", "tien_do"]].isna().all()

    def test_the_tasks_sheet_takes_an_objective_cause_and_typed_delays(
        self, tmp_path: Path
    ) -> None:
        """A 4-unit task done 2 days late with 1 major error: b = (4 − 0.25) ÷ 4 = 93.75 and,
        one delay per late unit, c = (4 − 4 × 0.25) ÷ 4 = 75; with one delay typed,
        c = (4 − 0.25) ÷ 4 = 93.75; with the objective cause the competent level confirmed,
        nothing is deducted (NĐ 335/2025 Điều 14 k2 b, c): 100 and 100."""
        rows = [person(s, so_luong=None, chat_luong=None, tien_do=None) for s in "ABC"]
        late = {"unit_id": "P1", "assigned": "2026-03-01", "due": "2026-03-10",
                "done": "2026-03-12", "errors": 1, "quantity": 4}
        tasks = [{"assignee": "A", **late}, {"assignee": "B", **late, "delays": 1},
                 {"assignee": "C", **late, "objective": "x"}]
        frame, problems = read_workbook(filled_workbook(tmp_path / "f.xlsx", rows, tasks=tasks))
        assert problems == []
        assert frame[["chat_luong", "tien_do"]].to_numpy().tolist() == [
            [93.75, 75.0], [93.75, 93.75], [100.0, 100.0]]

    def test_a_quarterly_workbook_pools_the_quarters_tasks(self, tmp_path: Path) -> None:
        """Customs, 2026-Q3: tasks due in July (1 unit, done), August (3 units, open) and
        September (4 units, done with 1 major error) pool into the quarter (NĐ 335/2025
        Điều 14 k1, "trong tháng hoặc quý"): a = 5 ÷ 8 = 62.5, b = (1 + 3.75) ÷ 8 = 59.375,
        c = 62.5 — not ignored, leaving "no score at any level"; the unit counts 3 tasks."""
        row = person("CC-1", period="2026-Q3", so_luong=None, chat_luong=None, tien_do=None)
        tasks = [{"assignee": "CC-1", "unit_id": "P1", "assigned": "2026-07-01",
                  "due": due, "done": done, "errors": errors, "quantity": q}
                 for due, done, errors, q in (("2026-07-10", "2026-07-09", 0, 1),
                                              ("2026-08-20", None, 0, 3),
                                              ("2026-09-10", "2026-09-09", 1, 4))]  # fmt: skip
        path = filled_workbook(tmp_path / "q.xlsx", [row], period="2026-Q3",
                               rules="vn.customs-2026q", tasks=tasks)  # fmt: skip
        month = read_month(path)
        assert month.problems == []
        assert month.staff.loc[2, ["so_luong", "chat_luong", "tien_do"]].tolist() == [
            62.5, 59.375, 62.5]
        assert month.units.loc[:, ["tasks_assigned", "tasks_done"]].values.tolist() == [[3, 2]]

    def test_a_product_check_of_the_tasks_sheet_is_located_with_the_other_problems(
        self, tmp_path: Path
    ) -> None:
        """17 major errors on a 4-unit task (more than 4 per unit): a problem on the tasks
        sheet's cell, listed with a problem of the score sheet — not "the workbook could not
        be read to the end" that hid every other problem."""
        rows = [person("CC-1", so_luong=None, chat_luong=None, tien_do=None),
                person("CC-2", pham_chat_dao_duc=7)]  # fmt: skip
        tasks = [{"assignee": "CC-1", "unit_id": "P1", "assigned": "2026-03-01",
                  "due": "2026-03-10", "done": "2026-03-09", "errors": 17, "quantity": 4}]
        _, problems = read_workbook(filled_workbook(tmp_path / "f.xlsx", rows, tasks=tasks))
        where = sorted((p.sheet, p.row, p.column, p.staff_id) for p in problems)
        assert where == [("Nhiệm vụ", 2, "errors", "CC-1"),
                         ("Nhân sự - Điểm", 3, "competent__pham_chat_dao_duc", "CC-2")]

    def test_read_month_returns_units_positions_signatories_and_tasks(
        self, tmp_path: Path
    ) -> None:
        """The other sheets come back typed."""
        path = filled_workbook(
            tmp_path / "f.xlsx", [person("CC-1")],
            units=[{"unit_id": "P1", "name": "Phòng 1", "self_score": 92, "exceptional": "x",
                    "council_score": 95}],
            signatories=[{"agency": "Sở Nội vụ", "approver_name": "Lê Văn Thành"}])  # fmt: skip
        wb = openpyxl.load_workbook(path)
        ws = wb[UNITS_SHEET]
        col = header_ids(ws).index("council_score") + 1
        ws.cell(row=1, column=col).value = "Điểm đơn vị [score]"  # evalkit 0.x's header
        wb.save(path)
        month = read_month(path)
        assert month.problems == []
        assert month.units.loc[2, ["unit_id", "self_score", "council_score", "exceptional"]
                               ].tolist() == ["P1", 92.0, 95.0, True]  # fmt: skip
        assert month.signatories["agency"].tolist() == ["Sở Nội vụ"]
        assert str(month.period) == "2026-03"

    def test_a_signatory_of_an_unknown_unit_is_a_problem(self, tmp_path: Path) -> None:
        """One row per unit, of a unit the workbook knows, signed by someone on the sheet."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1")], signatories=[
            {"unit_id": "P9", "approver_name": "X"}, {"approver_id": "CC-9"}])
        _, problems = read_workbook(path)
        assert [(p.sheet, p.row, p.column) for p in problems] == [
            (SIGNATORIES_SHEET, 2, "unit_id"), (SIGNATORIES_SHEET, 3, "approver_id")]


class TestCsv:
    def test_a_csv_with_bare_ids_reads_like_the_workbook(self, tmp_path: Path) -> None:
        """CSV equivalent: bare criterion ids are the competent level's scores; the same
        checks; rows are line numbers."""
        path = tmp_path / "f.csv"
        cols = ["staff_id", "unit_id", *GENERAL, *TASKS]
        one = ",".join(str(v) for v in [*GENERAL.values(), *TASKS.values()])
        two = one.replace("5,5,", "5,9,", 1)
        path.write_text(",".join(cols) + f"\nCC-1,P1,{one}\nCC-2,P1,{two}\n", encoding="utf-8")
        frame, problems = read_csv(path, "vn.nd335-2025", period="2026-03")
        assert frame.loc[2, "pham_chat_dao_duc"] == 5.0
        assert frame.loc[2, "competent__pham_chat_dao_duc"] == 5.0
        assert [(p.row, p.column, p.value) for p in problems] == [
            (3, "competent__ky_luat_ky_cuong", "9")]


class TestOrganisation:
    def test_the_sheets_of_a_workbook_make_the_organisation(self, tmp_path: Path) -> None:
        """Units, positions and staff typed in the workbook become an Organisation."""
        path = write_template(tmp_path / "t.xlsx", RULES, "2026-03", org=_org())
        org, problems = read_organisation(path)
        assert problems == [] and org is not None
        want = _org()
        assert org.units == want.units and org.positions == want.positions
        assert [(s.id, s.full_name, s.position_id, s.unit_id, s.manager_id, s.title_vi)
                for s in org.staff] == [(s.id, s.full_name, s.position_id, s.unit_id,
                                         s.manager_id, s.title_vi) for s in want.staff]

    def test_what_an_organisation_refuses_is_located(self, tmp_path: Path) -> None:
        """Unknown position, head elsewhere, unknown manager, blank name: each on its cell."""
        (tmp_path / "u.csv").write_text("unit_id,name,head_id\nP1,Phòng 1,A\nP2,Phòng 2,B\n",
                                        encoding="utf-8")
        (tmp_path / "p.csv").write_text("position_id,title\nCV,Chuyên viên\n", encoding="utf-8")
        (tmp_path / "s.csv").write_text(
            "staff_id,full_name,position_id,unit_id,manager_id\n"
            "A,An,CV,P2,\nB,,CV,P2,Z\nC,Cúc,XX,P1,A\n", encoding="utf-8")
        org, problems = read_organisation(units=tmp_path / "u.csv",
                                          positions=tmp_path / "p.csv",
                                          staff=tmp_path / "s.csv")  # fmt: skip
        assert org is None
        got = {(Path(p.file or "").name, p.row, p.column) for p in problems}
        assert got == {("u.csv", 2, "head_id"), ("s.csv", 3, "full_name"),
                       ("s.csv", 3, "manager_id"), ("s.csv", 4, "position_id")}


# ---------------------------------------------------------------------------- fuzz

_cells = st.one_of(
    st.none(),
    st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(string.ascii_letters + string.digits + string.punctuation + " ạđươấ", max_size=12),
    st.booleans(),
    st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["x", "có", "2026-03", "03/2026", "inf", "nan", "=1+1", "  ", "5,5",
                     "HTXS", "ốm"]),
)
_WIDTH = len(score_columns(RULES))


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    header_keep=st.lists(st.booleans(), min_size=_WIDTH, max_size=_WIDTH),
    header_noise=st.lists(st.one_of(st.none(), st.text(string.ascii_letters + "[]_ ", max_size=8)),
                          max_size=4),
    rows=st.lists(st.lists(_cells, max_size=_WIDTH + 3), max_size=8),
    drop_sheets=st.sets(st.sampled_from(["Đơn vị", "Vị trí việc làm", "Nhiệm vụ", "Thông tin",
                                         "Người ký"])),
    unit_rows=st.lists(st.lists(_cells, max_size=11), max_size=3),
    task_rows=st.lists(st.lists(_cells, max_size=9), max_size=3),
    sign_rows=st.lists(st.lists(_cells, max_size=8), max_size=2),
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
    sign_rows: list[list[object]],
    merge: bool,
) -> None:
    """Issue 7: whatever people type, read_month returns problems, never an error; a clean
    report means the month scores."""
    path = tmp_path_factory.mktemp("fuzz") / "f.xlsx"
    write_template(path, "vn.nd335-2025", "2026-03", staff_rows=5)
    wb = openpyxl.load_workbook(path)
    ws = wb[SCORES_SHEET]
    for i, keep in enumerate(header_keep, start=1):
        if not keep:
            ws.cell(row=1, column=i).value = None
    for j, noise in enumerate(header_noise):
        ws.cell(row=1, column=_WIDTH + 1 + j).value = noise
    if merge:
        ws.merge_cells("C1:D1")
    for r in rows:
        ws.append(r)
    for name, extra in (("Đơn vị", unit_rows), ("Nhiệm vụ", task_rows), ("Người ký", sign_rows)):
        for r in extra:
            wb[name].append(r)
    for name in drop_sheets:
        del wb[name]
    wb.save(path)
    month = read_month(path, "vn.nd335-2025" if "Thông tin" in drop_sheets else None)
    assert all(isinstance(p, InputProblem) and str(p) and located(p, "vi")
               for p in month.problems)  # fmt: skip
    keys = [(p.sheet, p.row, p.column) for p in month.problems if p.row and p.column]
    assert len(keys) == len(set(keys))  # one problem per cell
    if not month.problems:
        score_input(month)  # a clean report means the frame scores


class TestPeopleNamed:
    """A manager or a head must be someone on the staff sheet: a misspelt id would drop a
    person from their leader's count (d) or a head from the head cap without a word."""

    def test_an_unknown_manager_is_located(self, tmp_path: Path) -> None:
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1"),
                                                     person("CC-2", manager_id="CC-9")])
        month = read_month(path)
        assert [(p.row, p.column, p.value, p.staff_id) for p in month.problems] == [
            (3, "manager_id", "CC-9", "CC-2")]
        assert "không có ở trang nhân sự" in located(month.problems[0], "vi")

    def test_an_unknown_head_is_located(self, tmp_path: Path) -> None:
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1"), person("CC-2")],
                               units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": "CC-7"}])
        month = read_month(path)
        assert [(p.column, p.value) for p in month.problems] == [("head_id", "CC-7")]
        assert "người đứng đầu 'CC-7'" in located(month.problems[0], "vi")

    def test_managers_in_a_loop_are_one_located_problem(self, tmp_path: Path) -> None:
        people = [person("CC-1", manager_id="CC-3"), person("CC-2", manager_id="CC-1"),
                  person("CC-3", manager_id="CC-2"), person("CC-4", manager_id="CC-1")]
        month = read_month(filled_workbook(tmp_path / "f.xlsx", people))
        assert [(p.row, p.column, p.staff_id) for p in month.problems] == [
            (2, "manager_id", "CC-1")]
        assert located(month.problems[0], "vi").endswith(
            "những người quản lý lẫn nhau thành vòng: CC-1 → CC-3 → CC-2 → CC-1")

    def test_a_chain_without_a_loop_passes(self, tmp_path: Path) -> None:
        people = [person("CC-1"), person("CC-2", manager_id="CC-1"),
                  person("CC-3", manager_id="CC-2")]
        assert read_month(filled_workbook(tmp_path / "f.xlsx", people)).problems == []
