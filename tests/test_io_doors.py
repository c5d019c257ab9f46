"""One checked door per input: every reproduction of issue 16 is a located error, or the
same result as the clean input when the change is harmless."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from evalkit.cli import EXIT_INVALID_INPUT, main
from evalkit.errors import InputError, InputProblem
from evalkit.io.tasks import check_tasks, task_components
from evalkit.io.workbook import (
    POSITIONS_SHEET,
    SCORES_SHEET,
    TASKS_SHEET,
    UNITS_SHEET,
    read_csv,
    read_month,
    read_workbook,
)
from evalkit.workflow import check, classify_input, score_input
from tests._io_helpers import HEAD, append_rows, filled_workbook, header_ids, person

MANAGER = {"to_chuc_trien_khai": 100, "tap_hop_doan_ket": 100}


def messages(problems: list[InputProblem]) -> str:
    """Every problem, one a line, as the CLI prints them."""
    return "\n".join(str(p) for p in problems)


def column_letter(ws: Any, cid: str) -> str:
    """The letter of column ``cid`` of a template sheet."""
    return openpyxl.utils.get_column_letter(header_ids(ws).index(cid) + 1)


def edit(path: Path, change: Callable[[Any], None]) -> Path:
    """Open the workbook, apply ``change`` to it, save it."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def patch_xml(path: Path, member: str, old: bytes, new: bytes) -> None:
    """Replace bytes inside one part of an xlsx (to write what Excel writes)."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    assert old in parts[member]
    parts[member] = parts[member].replace(old, new)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def graded(path: Path) -> list[tuple[str, float, str]]:
    """(staff id, total, grade) of every person after classification."""
    month = read_month(path)
    assert month.problems == []
    out = classify_input(month)
    return list(zip(out["staff_id"], out["total"], out["grade"].astype(str), strict=True))


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """Two people of unit P1, clean."""
    return filled_workbook(tmp_path / "t.xlsx", [person("CC-1"), person("CC-2")])


# =========================================================================== workbook cells


class TestCellsNobodyReads:
    """A value evalkit would not read is an error with its cell, never dropped."""

    def test_a_value_under_a_blank_header_is_an_error_with_its_cell(self, book: Path) -> None:
        """The issue's case: a discipline of 5 typed under a header cell someone cleared."""
        def blank_header(wb: Any) -> None:
            ws = wb[SCORES_SHEET]
            col = header_ids(ws).index("discipline") + 1
            ws.cell(row=1, column=col).value = None
            ws.cell(row=3, column=col).value = 5

        edit(book, blank_header)
        letter = column_letter(openpyxl.load_workbook(filled_workbook(
            book.parent / "x.xlsx", []))[SCORES_SHEET], "discipline")  # fmt: skip
        _, problems = read_workbook(book)
        assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
            (SCORES_SHEET, 3, letter, 5)]
        assert problems[0].message.startswith(
            f"cell {letter}3: a value under a blank header cell ({letter}1)")

    def test_a_value_right_of_the_last_header_is_an_error(self, book: Path) -> None:
        """Two columns right of the last header: cell named, value kept in the report."""
        def stray(wb: Any) -> None:
            ws = wb[SCORES_SHEET]
            ws.cell(row=2, column=ws.max_column + 2).value = "KHT"

        edit(book, stray)
        _, problems = read_workbook(book)
        assert len(problems) == 1
        p = problems[0]
        assert (p.row, p.value) == (2, "KHT") and p.column is not None
        assert f"cell {p.column}2: a value right of the last column" in p.message

    def test_a_value_under_an_unknown_header_is_an_error_too(self, book: Path) -> None:
        """A 'Ghi chú' column added by hand: the header and each value under it are named."""
        def notes(wb: Any) -> None:
            ws = wb[SCORES_SHEET]
            ws.cell(row=1, column=ws.max_column + 1).value = "Ghi chú"
            ws.cell(row=2, column=ws.max_column).value = "xem lại"

        edit(book, notes)
        _, problems = read_workbook(book)
        text = messages(problems)
        assert "is not a known column (renamed?)" in text
        assert "a value under the header 'Ghi chú'" in text and "xem lại" in text

    def test_blank_and_space_only_cells_outside_the_header_are_harmless(self, book: Path) -> None:
        """A space typed right of the table changes nothing."""
        before = graded(book)

        def spaces(wb: Any) -> None:
            ws = wb[SCORES_SHEET]
            ws.cell(row=2, column=ws.max_column + 3).value = "   "

        edit(book, spaces)
        assert graded(book) == before


class TestFormulas:
    """evalkit never calculates: a formula needs its saved result."""

    def test_a_formula_without_a_saved_result_is_an_error_saying_what_to_do(
        self, tmp_path: Path
    ) -> None:
        """openpyxl and pandas save formulas without results; the cell reads blank."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1", pham_chat_dao_duc="=2+3")])
        _, problems = read_workbook(path)
        assert len(problems) == 1  # not also "blank required cell"
        p = problems[0]
        assert (p.sheet, p.row, p.column, p.value) == (SCORES_SHEET, 2, "competent__pham_chat_dao_duc", "=2+3")
        assert "holds a formula (=2+3) saved without its result" in p.message
        assert "open the file in Excel and save it, or type the value" in p.message

    def test_the_cli_exits_1_and_names_the_cell(self, tmp_path: Path, capsys: Any) -> None:
        """`evalkit validate` of such a file: exit 1, the cell in the message."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1", pham_chat_dao_duc="=2+3")])
        assert main(["validate", str(path)], stdout=io.StringIO()) == EXIT_INVALID_INPUT
        assert "ô AY2 chứa công thức" in capsys.readouterr().err

    def test_a_formula_with_its_saved_result_reads_the_result(self, tmp_path: Path) -> None:
        """A file saved by Excel keeps each result: =2+3 saved as 5 reads 5."""
        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1", pham_chat_dao_duc="=2+3")])
        patch_xml(path, "xl/worksheets/sheet1.xml", b"<f>2+3</f><v />", b"<f>2+3</f><v>5</v>")
        frame, problems = read_workbook(path)
        assert problems == [] and frame.loc[2, "pham_chat_dao_duc"] == 5.0


class TestDatesInNumberColumns:
    """A date, time or duration in a number column is an error, never 1.7e15."""

    @pytest.mark.parametrize(("cid", "value"), [
        ("late_files", dt.datetime(2026, 3, 1)), ("pham_chat_dao_duc", dt.time(5, 0)),
        ("ky_luat_ky_cuong", dt.timedelta(days=2)), ("so_luong", dt.datetime(2026, 3, 9, 12, 0)),
        ("discipline", dt.datetime(2026, 1, 1)),
    ])  # fmt: skip
    def test_a_date_cell_in_a_number_column_is_named(
        self, tmp_path: Path, cid: str, value: object
    ) -> None:
        """The cell, the value and what to do."""
        path = filled_workbook(tmp_path / "d.xlsx", [person("CC-1", **{cid: value})])
        frame, problems = read_workbook(path)
        column = f"competent__{cid}" if cid not in ("late_files", "discipline") else cid
        assert [(p.row, p.column) for p in problems] == [(2, column)]
        assert "is a date or a time, not a number" in problems[0].message
        assert (frame[cid].fillna(0) < 1e6).all()

    def test_a_date_in_a_unit_count_is_named(self, tmp_path: Path) -> None:
        """The units sheet's counts too."""
        path = filled_workbook(tmp_path / "d.xlsx", [person("CC-1")], units=[
            {"unit_id": "P1", "tasks_assigned": dt.datetime(2026, 3, 1)}])  # fmt: skip
        _, problems = read_workbook(path)
        assert [(p.sheet, p.row, p.column) for p in problems] == [
            (UNITS_SHEET, 2, "tasks_assigned")]
        assert "is a date or a time" in problems[0].message


class TestPercentCells:
    """A percent-formatted cell is read as the percentage it shows (documented choice)."""

    def test_90_percent_reads_as_90_and_grades_like_typing_90(self, tmp_path: Path) -> None:
        """Typing 90 into a %-formatted cell stores 0.9; the person meant 90 (so_luong)."""
        typed = graded(filled_workbook(tmp_path / "a.xlsx", [person("CC-1")]))
        path = filled_workbook(tmp_path / "b.xlsx", [person("CC-1", so_luong=0.9)])

        def percent(wb: Any) -> None:
            ws = wb[SCORES_SHEET]
            ws[f"{column_letter(ws, 'competent__so_luong')}2"].number_format = "0%"

        edit(path, percent)
        frame, problems = read_workbook(path)
        assert problems == [] and frame.loc[2, "so_luong"] == 90.0
        assert graded(path) == typed

    def test_a_custom_percent_format_counts_too(self, tmp_path: Path) -> None:
        """'0.0%' and the like: the % outside quotes makes it a percentage."""
        path = filled_workbook(tmp_path / "b.xlsx", [person("CC-1", tien_do=0.575)])

        def percent(wb: Any) -> None:
            ws = wb[SCORES_SHEET]
            ws[f"{column_letter(ws, 'competent__tien_do')}2"].number_format = '0.0"x"%'

        edit(path, percent)
        frame, problems = read_workbook(path)
        assert problems == [] and frame.loc[2, "tien_do"] == 57.5

    def test_percent_text_reads_as_the_number(self, tmp_path: Path) -> None:
        """'90%' typed as text (or in a CSV) is 90."""
        frame, problems = read_workbook(
            filled_workbook(tmp_path / "c.xlsx", [person("CC-1", so_luong="90%")]))
        assert problems == [] and frame.loc[2, "so_luong"] == 90.0


class TestStaffIds:
    """Ids are compared after NFC, trimming and removing invisible characters."""

    def test_nfc_and_nfd_spellings_of_one_id_are_one_person_reported_with_both(
        self, tmp_path: Path
    ) -> None:
        """'CÁ-1' precomposed and decomposed: a duplicate naming both spellings."""
        nfc, nfd = unicodedata.normalize("NFC", "CÁ-1"), unicodedata.normalize("NFD", "CÁ-1")
        path = filled_workbook(tmp_path / "n.xlsx", [person(nfc), person(nfd)])
        frame, problems = read_workbook(path)
        assert [(p.row, p.column) for p in problems] == [(2, "staff_id"), (3, "staff_id")]
        assert "staff id 'CA\\u0301-1' is the same as 'CÁ-1' at row 2" in messages(problems)
        assert "Unicode form" in messages(problems)
        assert frame["staff_id"].tolist() == [nfc, nfc]

    def test_a_zero_width_space_is_reported_as_an_invisible_character(
        self, tmp_path: Path
    ) -> None:
        """'CC-2' and 'CC-2\\u200b' (pasted from a web page) are the same person."""
        path = filled_workbook(tmp_path / "z.xlsx", [person("CC-2"), person("CC-2\u200b")])
        _, problems = read_workbook(path)
        text = messages(problems)
        assert "staff id 'CC-2\\u200b' is the same as 'CC-2' at row 2" in text
        assert "an invisible character" in text

    def test_ids_differing_only_in_case_are_reported(self, tmp_path: Path) -> None:
        """'cc-3' and 'CC-3' would share a PDF name on Windows and macOS."""
        path = filled_workbook(tmp_path / "c.xlsx", [person("cc-3"), person("CC-3")])
        _, problems = read_workbook(path)
        assert [(p.row, p.value) for p in problems] == [(3, "CC-3")]
        assert "differs from 'cc-3' at row 2 only in upper/lower case" in problems[0].message

    def test_a_single_id_with_invisible_characters_is_harmless(self, tmp_path: Path) -> None:
        """Alone, 'CC-1\\u200b ' is 'CC-1': the same grades as the clean file."""
        clean = graded(filled_workbook(tmp_path / "a.xlsx", [person("CC-1"), person("CC-2")]))
        dirty = filled_workbook(tmp_path / "b.xlsx", [person(" CC-1\u200b"), person("CC-2")])
        assert graded(dirty) == clean

    def test_head_and_task_ids_are_normalised_the_same_way(self, tmp_path: Path) -> None:
        """The units sheet's head and the tasks' assignee match the normalised staff id."""
        path = filled_workbook(
            tmp_path / "h.xlsx", [person("CC-1"), person("CC-2\u200b", **HEAD)],
            units=[{"unit_id": "P1", "head_id": "CC-2"}],
            tasks=[{"assignee": "CC-1\ufeff", "unit_id": "P1", "assigned": "2026-03-01",
                    "due": "2026-03-10", "done": "2026-03-09"}],
        )  # fmt: skip
        frame, problems = read_workbook(path)
        assert problems == [] and frame["is_head"].tolist() == [False, True]


# =========================================================================== classification


class TestWhatClassificationNeeds:
    """`validate` reports what score and classify would refuse (issue 16, 'other leaks')."""

    def test_a_managing_position_without_management_scores_is_reported(
        self, tmp_path: Path
    ) -> None:
        """Position TP manages others (positions sheet); its holder needs the B scores."""
        path = filled_workbook(tmp_path / "m.xlsx", [person("CC-1", position_id="TP")])
        edit(path, lambda wb: append_rows(wb[POSITIONS_SHEET], [
            {"position_id": "TP", "title": "Trưởng phòng", "manages_others": "x"},
            {"position_id": "CV", "title": "Chuyên viên"}]))  # fmt: skip
        _, problems = read_workbook(path)
        assert [(p.row, p.column) for p in problems] == [
            (2, "competent__to_chuc_trien_khai"), (2, "competent__tap_hop_doan_ket")]
        assert all("blank required cell" in p.message for p in problems)

    def test_tasks_done_above_tasks_assigned_is_reported(self, tmp_path: Path) -> None:
        """A unit cannot finish 5 of 3 tasks."""
        path = filled_workbook(tmp_path / "u.xlsx", [person("CC-1")], units=[
            {"unit_id": "P1", "tasks_assigned": 3, "tasks_done": 5}])  # fmt: skip
        _, problems = read_workbook(path)
        assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
            (UNITS_SHEET, 2, "tasks_done", 5.0)]
        assert problems[0].unit_id == "P1"  # named once: the problem's unit, not its sentence
        assert problems[0].message == "tasks_done exceeds the tasks assigned"  # every door's

    def test_counts_filled_from_the_tasks_sheet_are_checked_too(self, tmp_path: Path) -> None:
        """Typed 'assigned 1', while the tasks sheet counts 2 done: reported."""
        tasks = [{"assignee": "CC-1", "unit_id": "P1", "assigned": "2026-03-01",
                  "due": "2026-03-10", "done": "2026-03-09"}] * 2
        path = filled_workbook(tmp_path / "u.xlsx", [person("CC-1")], tasks=tasks,
                               units=[{"unit_id": "P1", "tasks_assigned": 1}])  # fmt: skip
        _, problems = read_workbook(path)
        assert [(p.sheet, p.column, p.value) for p in problems] == [(UNITS_SHEET, "tasks_done", 2)]
        assert problems[0].message.endswith("(counted from the tasks sheet: tasks_done 2)")

    def test_a_unit_cycle_is_reported_once_with_its_path(self, tmp_path: Path) -> None:
        """P1 under P2 under P1."""
        path = filled_workbook(tmp_path / "c.xlsx", [person("CC-1")], units=[
            {"unit_id": "P1", "parent_id": "P2"}, {"unit_id": "P2", "parent_id": "P1"}])
        _, problems = read_workbook(path)
        assert [(p.sheet, p.row, p.column) for p in problems] == [(UNITS_SHEET, 2, "parent_id")]
        assert "units form a cycle: P1 → P2 → P1" in problems[0].message

    def test_an_empty_units_sheet_is_reported_per_person(self, tmp_path: Path) -> None:
        """Classification needs every unit; the sheet lists none."""
        path = filled_workbook(tmp_path / "e.xlsx", [person("CC-1"), person("CC-2")], units=[])
        _, problems = read_workbook(path)
        assert [(p.row, p.column, p.value) for p in problems] == [
            (2, "unit_id", "P1"), (3, "unit_id", "P1")]
        assert "the units sheet 'Đơn vị' is empty" in problems[0].message

    def test_a_blank_unit_id_is_reported_on_both_sheets(self, tmp_path: Path) -> None:
        """A units row without its id, a person without a unit."""
        path = filled_workbook(tmp_path / "b.xlsx", [person("CC-1", unit=None)],
                               units=[{"unit_id": None, "name": "Phòng 1"}, {"unit_id": "P1"}])
        _, problems = read_workbook(path)
        assert [(p.sheet, p.row, p.column) for p in problems] == [
            (SCORES_SHEET, 2, "unit_id"), (UNITS_SHEET, 2, "unit_id")]  # in the workbook's order

    def test_a_head_outside_the_unit_they_head_is_reported(self, tmp_path: Path) -> None:
        """CC-2 heads P1 but is listed in P2."""
        path = filled_workbook(
            tmp_path / "h.xlsx", [person("CC-1"), person("CC-2", unit="P2")],
            units=[{"unit_id": "P1", "head_id": "CC-2"}, {"unit_id": "P2", "parent_id": "P1"}],
        )  # fmt: skip
        _, problems = read_workbook(path)
        assert [(p.sheet, p.row, p.column) for p in problems] == [(UNITS_SHEET, 2, "head_id")]
        assert "head 'CC-2' of unit 'P1' is in unit 'P2'" in problems[0].message


# --------------------------------------------------------------------------- the implication

_BASE_ROWS = [
    person("CC-1"),
    person("CC-2", unit="P2"),
    person("CC-3", manages_others="x", **MANAGER),
]
_BASE_UNITS = [
    {"unit_id": "P1", "name": "Phòng 1", "head_id": "CC-3", "tasks_assigned": 5,
     "tasks_done": 4},
    {"unit_id": "P2", "name": "Phòng 2", "parent_id": "P1"},
]  # fmt: skip
_BASE_TASKS = [{"assignee": "CC-1", "unit_id": "P1", "assigned": "2026-03-01",
                "due": "2026-03-10", "done": "2026-03-09"}]  # fmt: skip

_VALUES: list[object] = [
    None, "", " ", 0, -1, 1.5, 7, 100, 101, 1e300, "x", "có", "abc", "=1+1",
    dt.datetime(2026, 3, 1), dt.datetime(9999, 12, 31), dt.datetime(1900, 1, 1), dt.time(5),
    dt.timedelta(2), True, "P1", "P2", "P3", "CC-1", "CC-2", "CC-3", "cc-1", "CC-1\u200b",
    "2026-03", "2026-04", "cong_chuc", "vien_chuc", "1", "5,5", "90%", "TP", "CV",
]  # fmt: skip
_SHEETS = [SCORES_SHEET, SCORES_SHEET, UNITS_SHEET, POSITIONS_SHEET, TASKS_SHEET]

#: Named corpus: the issue's 'other leaks' and a few more, each a change to the base file.
CORPUS: dict[str, Callable[[Any], None]] = {
    "managing position, no B scores": lambda wb: append_rows(wb[POSITIONS_SHEET], [
        {"position_id": "TP", "manages_others": "x"}]) or wb[SCORES_SHEET].cell(
        row=2, column=4, value="TP"),
    "tasks done > assigned": lambda wb: wb[UNITS_SHEET].cell(row=2, column=10, value=9),
    "tasks on time > done": lambda wb: wb[UNITS_SHEET].cell(row=2, column=11, value=5),
    "unit cycle": lambda wb: wb[UNITS_SHEET].cell(row=2, column=3, value="P2"),
    "units sheet removed": lambda wb: wb.remove(wb[UNITS_SHEET]),
    "units sheet emptied": lambda wb: wb[UNITS_SHEET].delete_rows(2, 10),
    "blank unit id": lambda wb: setattr(wb[UNITS_SHEET]["A3"], "value", None),
    "blank unit of a person": lambda wb: setattr(wb[SCORES_SHEET]["E2"], "value", None),
    "head moved to P2": lambda wb: wb[SCORES_SHEET].cell(row=4, column=5, value="P2"),
    "head heads two units": lambda wb: wb[UNITS_SHEET].cell(row=3, column=4, value="CC-3"),
    "unknown unit": lambda wb: wb[SCORES_SHEET].cell(row=3, column=5, value="P9"),
    "period of another month": lambda wb: wb[SCORES_SHEET].cell(row=2, column=8,
                                                                value="2026-04"),
    "info sheet removed (no rule set, no period)": lambda wb: wb.remove(wb["Thông tin"]),
    "duplicate id via NFD": lambda wb: wb[SCORES_SHEET].cell(
        row=3, column=1, value=unicodedata.normalize("NFD", "CC-1")),
    "duplicate id via zero width": lambda wb: wb[SCORES_SHEET].cell(row=3, column=1,
                                                                    value="CC-1\u200b"),
    "case twin": lambda wb: wb[SCORES_SHEET].cell(row=3, column=1, value="cc-1"),
    "task far date": lambda wb: wb[TASKS_SHEET].cell(row=2, column=6,
                                                     value=dt.datetime(9999, 12, 31)),
    "task errors text": lambda wb: wb[TASKS_SHEET].cell(row=2, column=8, value="nhiều"),
    "category not in the rule set": lambda wb: wb[SCORES_SHEET].cell(row=2, column=7,
                                                                     value="vien_chuc"),
    "manager flag without B scores": lambda wb: wb[SCORES_SHEET].cell(row=2, column=9,
                                                                      value="x"),
    # the head CC-3 typed as managed by CC-1, whom the engine puts under their unit's head
    # (found by the random edits below, seed 2893952: validate passed, classify refused)
    "head managed by a member of their unit": lambda wb: wb[SCORES_SHEET].cell(
        row=4, column=6, value="CC-1\u200b"),
}


@pytest.fixture(scope="module")
def base_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three people, two units, a head, a task: clean."""
    path = tmp_path_factory.mktemp("base") / "base.xlsx"
    filled_workbook(path, _BASE_ROWS, units=_BASE_UNITS, tasks=_BASE_TASKS)
    assert read_month(path).problems == []
    return path


def _validate_implies_success(path: Path) -> bool:
    """Check the file as ``evalkit validate`` does (the reader's problems and what the
    engine refuses: :func:`evalkit.workflow.check`); when it has no problem, score and
    classify must succeed. (The reader alone does not check a leader's mark against the
    person's post: a rule of the rule set, the engine's.)"""
    month = read_month(path)
    if problems := check(month):
        assert all(isinstance(p, InputProblem) and p.message for p in problems)
        assert set(map(str, month.problems)) <= set(map(str, problems))
        return False
    score_input(month)
    classify_input(month)
    return True


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_validate_ok_implies_score_and_classify_succeed_on_the_corpus(
    base_book: Path, tmp_path: Path, name: str
) -> None:
    """Each bad workbook is refused by validate, or scores and classifies without error."""
    path = tmp_path / "m.xlsx"
    wb = openpyxl.load_workbook(base_book)
    CORPUS[name](wb)
    wb.save(path)
    assert not _validate_implies_success(path), "every change of the corpus is a mistake"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 3))
@example(seed=3048654201, edits=1)  # a non-leader's corruption_in_unit mark: validate says it
def test_validate_ok_implies_score_and_classify_succeed_for_random_edits(
    base_book: Path, tmp_path_factory: pytest.TempPathFactory, seed: int, edits: int
) -> None:
    """Random cells of every sheet set to hostile values, rows added, headers cleared:
    validate either names a problem, or score and classify succeed."""
    rng = random.Random(seed)
    wb = openpyxl.load_workbook(base_book)
    for _ in range(edits):
        sheet = rng.choice(_SHEETS)
        ws = wb[sheet]
        roll = rng.random()
        if roll < 0.15:
            r = ws.max_row + 1
            for c in range(1, ws.max_column + 1):
                if rng.random() < 0.5:
                    ws.cell(row=r, column=c).value = rng.choice(_VALUES)
        elif roll < 0.2:
            ws.cell(row=1, column=rng.randint(1, ws.max_column)).value = None
        else:
            r, c = rng.randint(2, 5), rng.randint(1, ws.max_column + 1)
            ws.cell(row=r, column=c).value = rng.choice(_VALUES)
    path = tmp_path_factory.mktemp("fz") / "m.xlsx"
    wb.save(path)
    _validate_implies_success(path)


# =========================================================================== CSV


_CSV_COLUMNS = ["staff_id", "full_name", "unit_id", "pham_chat_dao_duc", "ky_luat_ky_cuong",
                "nang_luc_chuyen_mon", "dap_ung_nhiem_vu", "tinh_than_trach_nhiem",
                "phuc_vu_phoi_hop", "san_pham_dot_pha", "nhiem_vu_kho_khan", "chiu_trach_nhiem",
                "chu_dong_quyet_dinh", "so_luong", "chat_luong", "tien_do", "self_comment"]


def csv_file(path: Path, lines: list[str]) -> Path:
    """A CSV with the bare-id header and ``lines``."""
    path.write_text("\n".join([",".join(_CSV_COLUMNS), *lines]) + "\n", encoding="utf-8")
    return path


def people(n: int) -> list[str]:
    """``n`` clean records."""
    return [f"CC-{i},Người {i},P1,5,5,2.5,2.5,2.5,2.5,2,2,2,2,90,100,80,tốt"
            for i in range(1, n + 1)]


class TestCsvQuotes:
    """A stray quote never makes people disappear."""

    def test_a_stray_quote_in_a_25_person_file_is_refused_at_its_line(
        self, tmp_path: Path
    ) -> None:
        """The issue's case: "Người 10 opens a quote never closed; validate no longer says
        '10 rows, no problems'."""
        lines = people(25)
        lines[9] = lines[9].replace("Người 10", '"Người 10')
        frame, problems = read_csv(csv_file(tmp_path / "s.csv", lines), "vn.nd335-2025",
                                   period="2026-03")  # fmt: skip
        assert [(p.row, p.sheet) for p in problems] == [(11, None)]
        assert problems[0].message.startswith('line 11: a quote (") opens a cell here and is '
                                              "never closed: lines 11 to 26")  # fmt: skip
        assert len(frame) == 9

    def test_the_cli_refuses_it_with_exit_1(self, tmp_path: Path, capsys: Any) -> None:
        """`evalkit validate` prints the line."""
        lines = people(25)
        lines[9] = lines[9].replace("Người 10", '"Người 10')
        path = csv_file(tmp_path / "s.csv", lines)
        code = main(["validate", str(path), "--rules", "vn.nd335-2025", "--period", "2026-03"],
                    stdout=io.StringIO())  # fmt: skip
        assert code == EXIT_INVALID_INPUT and "dòng 11: dấu ngoặc kép" in capsys.readouterr().err

    def test_a_quote_closed_lines_later_is_refused_at_its_opening_line(
        self, tmp_path: Path
    ) -> None:
        """Opened at line 11, closed inside a cell at line 16."""
        lines = people(25)
        lines[9] = lines[9].replace("Người 10", '"Người 10')
        lines[14] = lines[14].replace("Người 15", 'Người" 15')
        _, problems = read_csv(csv_file(tmp_path / "s.csv", lines), "vn.nd335-2025",
                               period="2026-03")  # fmt: skip
        assert [p.row for p in problems] == [11]
        assert "closes in the middle of a cell on line 16" in problems[0].message

    def test_a_quote_that_swallows_a_record_into_a_comment_is_refused(
        self, tmp_path: Path
    ) -> None:
        """A comment opened with a quote on line 11 and closed at the end of line 12."""
        lines = people(25)
        lines[9] = lines[9].replace(",tốt", ',"tốt')
        lines[10] += '"'
        frame, problems = read_csv(csv_file(tmp_path / "s.csv", lines), "vn.nd335-2025",
                                   period="2026-03")  # fmt: skip
        assert [p.row for p in problems] == [11] and "runs to line 12" in problems[0].message
        assert len(frame) == 23

    def test_a_comment_with_a_line_break_is_kept(self, tmp_path: Path) -> None:
        """Alt+Enter in an Excel comment is exported as a quoted cell: one record."""
        lines = people(3)
        lines[1] = lines[1].replace(",tốt", ',"dòng 1\ndòng 2"')
        frame, problems = read_csv(csv_file(tmp_path / "s.csv", lines), "vn.nd335-2025",
                                   period="2026-03")  # fmt: skip
        assert problems == [] and len(frame) == 3
        assert frame.loc[3, "self_comment"] == "dòng 1\ndòng 2"
        assert frame.index.tolist() == [2, 3, 5]  # rows are the lines each record starts on

    def test_a_line_break_in_a_name_is_refused(self, tmp_path: Path) -> None:
        """Only comments may hold line breaks."""
        lines = people(3)
        lines[1] = lines[1].replace("Người 2", '"Người\n2"')
        _, problems = read_csv(csv_file(tmp_path / "s.csv", lines), "vn.nd335-2025",
                               period="2026-03")  # fmt: skip
        assert [p.row for p in problems] == [3] and "(field 2)" in problems[0].message

    def test_fields_beyond_the_header_are_an_error_with_line_and_field(
        self, tmp_path: Path
    ) -> None:
        """A 13th field under a 12-column header."""
        lines = people(3)
        lines[1] += ",thêm"
        _, problems = read_csv(csv_file(tmp_path / "s.csv", lines), "vn.nd335-2025",
                               period="2026-03")  # fmt: skip
        assert [(p.row, p.column, p.value) for p in problems] == [(3, "field 18", "thêm")]
        assert problems[0].message.startswith("line 3, field 18: a value right of the last")

    def test_empty_fields_beyond_the_header_are_harmless(self, tmp_path: Path) -> None:
        """Trailing commas (some exports write them) change nothing."""
        lines = people(3)
        lines[1] += ",,"
        frame, problems = read_csv(csv_file(tmp_path / "s.csv", lines), "vn.nd335-2025",
                                   period="2026-03")  # fmt: skip
        assert problems == [] and len(frame) == 3


_field = st.lists(st.sampled_from([*'abcđươ ,"\n', "Người", "Bé"]), max_size=8).map("".join)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_field, min_size=1, max_size=12), comments=st.data())
def test_a_csv_of_n_records_reads_n_rows(
    tmp_path_factory: pytest.TempPathFactory, names: list[str], comments: st.DataObject
) -> None:
    """Written by a CSV writer (quotes, commas and line breaks in names and comments), n
    records read as n rows, or, when a name holds a line break, a problem at its line."""
    n = len(names)
    notes = comments.draw(st.lists(_field, min_size=n, max_size=n))
    path = tmp_path_factory.mktemp("csv") / "p.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(_CSV_COLUMNS)
        for i, (name, note) in enumerate(zip(names, notes, strict=True), start=1):
            w.writerow([f"CC-{i}", name, "P1", 5, 5, 2.5, 2.5, 2.5, 2.5, 2, 2, 2, 2, 90, 100, 80,
                        note])
    frame, problems = read_csv(path, "vn.nd335-2025", period="2026-03")
    broken = sum("\n" in name for name in names)
    assert len(frame) == n - broken
    assert len(problems) == broken and all(p.row for p in problems)
    assert sorted(frame["staff_id"]) == sorted(
        f"CC-{i}" for i, name in enumerate(names, start=1) if "\n" not in name)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 30), where=st.data())
def test_a_stray_quote_anywhere_gives_n_rows_or_a_located_error(
    tmp_path_factory: pytest.TempPathFactory, n: int, where: st.DataObject
) -> None:
    """Insert one '"' at any position of a clean n-person file: either all n people are
    read (the quote was literal) or a problem names a line; never fewer people in silence."""
    text = "\n".join([",".join(_CSV_COLUMNS), *people(n)]) + "\n"
    header_end = text.index("\n") + 1
    pos = where.draw(st.integers(header_end, len(text)))
    path = tmp_path_factory.mktemp("q") / "q.csv"
    path.write_text(text[:pos] + '"' + text[pos:], encoding="utf-8")
    frame, problems = read_csv(path, "vn.nd335-2025", period="2026-03")
    if problems:
        assert all(p.row is not None or p.column is not None for p in problems)
    else:
        assert len(frame) == n


# =========================================================================== task tables


class TestTaskTables:
    """Far dates, infinities and negative counts are located errors, never tracebacks."""

    @pytest.mark.parametrize(("column", "value", "words"), [
        ("due", "9999-12-31", "is a date outside the years 1900 to 2199"),
        ("due", dt.datetime(9999, 12, 31), "is a date outside the years 1900 to 2199"),
        ("done", "0001-01-01", "is a date outside the years 1900 to 2199"),
        ("assigned", np.datetime64("2300-01-01", "s"), "is a date outside the years"),
        ("errors", float("inf"), "is not a count"),
        ("errors", -1, "is not a count"),
        ("errors", 1.5, "is not a count"),
        ("delays", float("inf"), "is not a count"),
        ("exceeded", "có lẽ", "is not a yes/no value"),
    ])  # fmt: skip
    def test_a_bad_cell_is_one_located_problem(
        self, column: str, value: object, words: str
    ) -> None:
        """check_tasks names row and column; task_components raises InputError with it."""
        table = pd.DataFrame({"assignee": ["A", "B"], "unit_id": ["U", "U"],
                              "assigned": ["2026-03-01"] * 2, "due": ["2026-03-10"] * 2,
                              "done": ["2026-03-09"] * 2, "errors": [0, 0]})  # fmt: skip
        column_values = table[column].astype(object).tolist() if column in table else [None] * 2
        column_values[1] = value
        table[column] = pd.Series(column_values, dtype=object)
        problems = check_tasks(table)
        assert [(p.row, p.column) for p in problems] == [(1, column)]
        assert words in problems[0].message
        with pytest.raises(InputError) as info:
            task_components(table)
        assert info.value.problems == tuple(problems)

    def test_a_datetime_column_of_any_resolution_is_checked(self) -> None:
        """A datetime64[s] column holding year 9999 (pandas 3 keeps it) is reported."""
        table = pd.DataFrame({
            "assignee": ["A"],
            "assigned": pd.Series([np.datetime64("2026-03-01", "s")]),
            "due": pd.Series([np.datetime64("9999-12-31", "s")]),
        })  # fmt: skip
        assert [(p.row, p.column) for p in check_tasks(table)] == [(0, "due")]

    def test_the_tasks_sheet_reports_far_dates_with_the_cell(self, tmp_path: Path) -> None:
        """A workbook's tasks sheet: year 9999 named, no traceback."""
        tasks = [{"assignee": "CC-1", "unit_id": "P1", "assigned": "2026-03-01",
                  "due": dt.datetime(9999, 12, 31)}]  # fmt: skip
        _, problems = read_workbook(filled_workbook(tmp_path / "t.xlsx", [person("CC-1")],
                                                    tasks=tasks))  # fmt: skip
        assert [(p.sheet, p.row, p.column) for p in problems] == [(TASKS_SHEET, 2, "due")]
        assert "outside the years 1900 to 2199" in problems[0].message


# =========================================================================== results JSON


def results_doc(tmp_path: Path, data: object) -> Path:
    """A results document holding ``data``."""
    import json

    path = tmp_path / "r.json"
    path.write_text(json.dumps({"schema": "evalkit/1", "kind": "results", "data": data}),
                    encoding="utf-8")  # fmt: skip
    return path


class TestResultsJson:
    """read_results refuses what it cannot read faithfully, listing every problem."""

    def test_bad_grades_and_totals_are_listed_with_their_record(self, tmp_path: Path) -> None:
        """grade 'XYZ', total 'abc', −5 and 150 (above NĐ 335's 100), a repeated person."""
        path = results_doc(tmp_path, {"rule_set": "vn.nd335-2025", "rows": [
            {"staff_id": "A", "total": "abc", "grade": "XYZ"},
            {"staff_id": "A", "total": -5},
            {"staff_id": "B", "total": 150},
            {"staff_id": "C", "total": 91, "grade": "HTXS"},
        ]})  # fmt: skip
        with pytest.raises(InputError) as info:
            read_results_(path)
        assert [(p.row, p.column, p.value) for p in info.value.problems] == [
            (1, "total", "abc"), (1, "grade", "XYZ"), (2, "staff_id", "A"),
            (2, "total", -5), (3, "total", 150)]  # fmt: skip  (a record's in its fields' order)

    @pytest.mark.parametrize("data", [{"rows": 5}, {"rows": [1]}, {"rows": [], "columns": 3},
                                      {"rows": [{"staff_id": "A", "total": [1]}]}])
    def test_a_malformed_document_is_an_input_error_not_a_traceback(
        self, tmp_path: Path, data: object
    ) -> None:
        """Wrong shapes are named."""
        with pytest.raises(InputError):
            read_results_(results_doc(tmp_path, data))

    def test_deep_nesting_is_an_input_error(self, tmp_path: Path) -> None:
        """100,000 nested arrays: 'not valid JSON', no RecursionError."""
        path = tmp_path / "deep.json"
        path.write_text("[" * 100_000 + "]" * 100_000)
        with pytest.raises(InputError, match="not valid JSON"):
            read_results_(path)

    def test_a_results_file_written_by_score_reads_back(self, book: Path, tmp_path: Path) -> None:
        """The CLI's own output passes the reader's checks, grades and totals intact."""
        out = tmp_path / "r.json"
        assert main(["score", str(book), "--out", str(out)], stdout=io.StringIO()) == 0
        frame = read_results_(out)
        assert frame["total"].tolist() == [91.0, 91.0]
        assert frame["grade"].astype(str).tolist() == ["HTXS", "HTXS"]


def read_results_(path: Path) -> pd.DataFrame:
    """evalkit.io.results.read_results (imported late: the lead may move it)."""
    from evalkit.io.results import read_results

    return read_results(path)


class TestDisciplineNames:
    """The workbook, a frame and the archive's amend read the same discipline names: one
    table (``evalkit._columns.DISCIPLINE_NAMES``), the enum's own labels included."""

    def test_every_name_a_frame_accepts_the_workbook_reads_alike(self, tmp_path: Path) -> None:
        import pandas as pd

        from evalkit import _columns
        from evalkit.model import Discipline

        names = [*_columns.DISCIPLINE_NAMES, "KHIỂN TRÁCH", "giang chuc", "Buoc Thoi Viec"]
        rows = [person(f"CC-{i}", discipline=name) for i, name in enumerate(names)]
        frame, problems = read_workbook(filled_workbook(tmp_path / "k.xlsx", rows))
        assert problems == []
        typed = pd.DataFrame({"discipline": names})
        expected = _columns.discipline(typed, "discipline", _columns.Problems(typed)).tolist()
        assert frame["discipline"].astype(int).tolist() == expected
        # the enum's full label, which only the frame door read before
        assert expected[names.index(Discipline.DEMOTION.label_vi)] == 3

    def test_yes_no_words_and_grade_names_are_the_frames(self, tmp_path: Path) -> None:
        """Every yes/no word and grade name of the frame readers reads the same in the
        workbook (one table each: ``_columns.TRUE_WORDS``/``FALSE_WORDS``/``GRADE_NAMES``)."""
        import pandas as pd

        from evalkit import _columns

        words = [*_columns.TRUE_WORDS, *_columns.FALSE_WORDS]
        grades = list(_columns.GRADE_NAMES)
        n = max(len(words), len(grades))
        rows = [person(f"CC-{i}", degradation=words[i % len(words)],
                       competent_grade=grades[i % len(grades)],
                       competent_reason="Kết luận của cấp có thẩm quyền")
                for i in range(n)]  # fmt: skip
        frame, problems = read_workbook(filled_workbook(tmp_path / "w.xlsx", rows))
        assert problems == []
        typed = pd.DataFrame({"w": [r["degradation"] for r in rows],
                              "g": [r["competent_grade"] for r in rows]})  # fmt: skip
        found = _columns.Problems(typed)
        want_bool = _columns.booleans(typed, "w", found).tolist()
        want_grade = [_columns.GRADE_NAMES[g] for g in typed["g"]]
        found.raise_if_any()  # the frame reads every one of them too
        assert frame["degradation"].astype(bool).tolist() == want_bool
        got = frame["competent_grade"].astype(str).tolist()
        assert got == [("KHT", "HT", "HTT", "HTXS")[v] for v in want_grade]


def test_leave_words_read_alike_in_a_frame_and_a_workbook(tmp_path: Path) -> None:
    """A frame's ``leave`` column takes the workbook's words ("Thai sản", "nghỉ ốm", ...):
    the year of a person on maternity leave for seven months is the same whichever is
    typed (NĐ 335/2025 Điều 21: the average of the months worked), and a word that is no
    leave is named with its row and staff id."""
    import pandas as pd

    from evalkit import _columns
    from evalkit.errors import InputError
    from evalkit.rules import get
    from evalkit.units import rollup_frame

    def year(word: str) -> list[object]:
        months = pd.DataFrame({"staff_id": "A", "period": [f"2026-{m:02d}" for m in range(1, 13)],
                               "total": [85.0] * 5 + [None] * 7,
                               "leave": [None] * 5 + [word] * 7})  # fmt: skip
        out = rollup_frame(months, get("vn.nd335-2025"))
        return out[["months", "leave_months", "maternity_months", "total", "grade"]].iloc[0].tolist()

    assert {tuple(year(w)) for w in ("maternity", "Thai sản", "NGHI THAI SAN")} == {
        tuple(year("maternity"))}
    assert year("Thai sản")[1:3] == [7, 7]
    from evalkit._words import fold
    from evalkit.io.workbook import _LEAVES

    for name, kind in _columns.LEAVE_NAMES.items():  # the workbook's table is the frame's
        assert _LEAVES[fold(name)] == _columns.LEAVE_KINDS[kind - 1]
    with pytest.raises(InputError) as info:
        year("du lịch")
    p = info.value.problems[0]
    assert (p.row, p.column, p.value, p.staff_id) == (5, "leave", "du lịch", "A")


class TestCsvRuleSetFollowsThePerson:
    """A CSV names no rule set: the one in force for its people's staff group and month
    (issue 13 item 3), as classify_frame without rules — the CLI door agrees."""

    @staticmethod
    def write(path: Path, rows: list[dict[str, Any]]) -> Path:
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        return path

    @staticmethod
    def people(category: str, period: str = "2026-07") -> list[dict[str, Any]]:
        import evalkit.rules

        top = evalkit.rules.get("vn.nd233-2026").full_marks()
        return [{"staff_id": f"V{i}", "full_name": f"Người {i}", "unit_id": "U",
                 "period": period, "category": category,
                 **{k: v * f for k, v in top.items()}}
                for i, f in enumerate((1.0, 0.8, 0.6))]  # fmt: skip

    def test_a_vien_chuc_month_is_read_under_nd233_without_naming_it(self, tmp_path: Path) -> None:
        import evalkit
        from evalkit.io.jsonio import write_json

        rows = self.people("vien_chuc")
        path = self.write(tmp_path / "vc.csv", rows)
        month = read_month(path)
        assert month.problems == [] and month.rules is not None
        assert month.rules.id == "vn.nd233-2026" and str(month.period) == "2026-07"
        org = evalkit.Organisation(
            units=[evalkit.Unit("U", "Phòng")], positions=[evalkit.Position("vc", "VC")],
            staff=[evalkit.Staff(r["staff_id"], r["full_name"], "vc", "U",
                                 category="vien_chuc") for r in rows])  # fmt: skip
        write_json(tmp_path / "org.json", org)
        out = tmp_path / "r.json"
        assert main(["classify", str(path), "--org", str(tmp_path / "org.json"),
                     "--out", str(out)], stdout=io.StringIO()) == 0  # fmt: skip
        from evalkit.io.results import read_results

        cli = read_results(out).set_index("staff_id")
        frame, _ = evalkit.classify_frame(pd.DataFrame(rows), pd.DataFrame({"unit_id": ["U"]}))
        frame = frame.set_index("staff_id")
        assert set(cli["rule_set"]) == set(frame["rule_set"].astype(str)) == {"vn.nd233-2026"}
        assert cli["total"].tolist() == frame["total"].tolist()
        assert cli["grade"].astype(str).tolist() == frame["grade"].astype(str).tolist()

    def test_a_csv_mixing_groups_under_different_sets_is_refused(self, tmp_path: Path) -> None:
        rows = self.people("vien_chuc")
        rows[0]["category"] = "cong_chuc"
        month = read_month(self.write(tmp_path / "m.csv", rows))
        assert [p.message for p in month.problems] == [
            "the CSV has people of staff groups evaluated under different rule sets "
            "(cong_chuc → vn.nd335-2025, vien_chuc → vn.nd233-2026); split the file by "
            "group or pass --rules"]

    def test_a_june_vien_chuc_month_is_nd90(self, tmp_path: Path) -> None:
        month = read_month(self.write(tmp_path / "j.csv", self.people("vien_chuc", "2026-06")))
        assert month.rules is not None and month.rules.id == "vn.nd90-2020"

    def test_classifying_scores_without_units_says_to_pass_the_organisation(
            self, tmp_path: Path) -> None:  # fmt: skip
        month = read_month(self.write(tmp_path / "vc.csv", self.people("vien_chuc")))
        with pytest.raises(InputError) as err:
            classify_input(month)
        assert "pass --org" in str(err.value)
