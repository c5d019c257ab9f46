"""A unit's impossible figure is one rule with one sentence at every door (issue 13: one
implementation of each rule): the workbook's units sheet (read_workbook, ``evalkit
validate``), a units CSV of the organisation, and a units frame (``classify_frame``) say
it once, each with its own place — the workbook its file, sheet, row, column and value, a
frame the unit and the period. Before, the units sheet said a task count above its bound
in a sentence of its own and a score above 100 or a negative figure as a bare cell's
("exceeds its maximum 100", "is negative")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import evalkit.rules
from evalkit import messages
from evalkit.cli import EXIT_INVALID_INPUT
from evalkit.errors import InputError
from evalkit.io.workbook import UNITS_SHEET, read_organisation, read_workbook
from evalkit.units import classify_frame
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, header_ids, person

PERIOD = "2026-03"
#: (the unit's figures, the column said, its value, the sentence in Vietnamese, in English):
#: the catalogue's words (foreign.unit.over_assigned, foreign.unit.over_hundred,
#: foreign.amend.negative), written out here.
CASES: list[tuple[dict[str, Any], str, float, str, str]] = [
    ({"tasks_assigned": 3, "tasks_done": 5}, "tasks_done", 5,
     "tasks_done lớn hơn số nhiệm vụ được giao", "tasks_done exceeds the tasks assigned"),
    ({"council_score": 150}, "council_score", 150,
     "council_score vượt quá 100", "council_score exceeds 100"),
    ({"bonus": -2}, "bonus", -2, "bonus là số âm", "bonus is negative"),
    # a negative bound is said once, as negative: not again as the bound of the counts
    # under it (0 on time "above" -1 done)
    ({"tasks_assigned": 3, "tasks_done": -1, "tasks_on_time": 0}, "tasks_done", -1,
     "tasks_done là số âm", "tasks_done is negative"),
]  # fmt: skip
IDS = ["done-over-assigned", "score-150", "negative", "negative-bound"]


def _workbook(tmp_path: Path, figures: dict[str, Any]) -> Path:
    return filled_workbook(tmp_path / "thang.xlsx", [person("CC-1")], period=PERIOD,
                           units=[{"unit_id": "P1", "name": "Phòng 1", **figures}])  # fmt: skip


@pytest.mark.parametrize(("figures", "column", "value", "vi", "en"), CASES, ids=IDS)
def test_the_units_sheet_says_it_once_on_its_cell(tmp_path: Path, figures: dict[str, Any],
                                                  column: str, value: float, vi: str,
                                                  en: str) -> None:  # fmt: skip
    """read_workbook: one problem, on the cell, in the catalogue's words."""
    _, problems = read_workbook(_workbook(tmp_path, figures))
    assert [(p.sheet, p.row, p.unit_id, p.column, p.value) for p in problems] == [
        (UNITS_SHEET, 2, "P1", column, value)]
    assert (messages.sentence(problems[0], "vi"), messages.sentence(problems[0], "en")) == (vi, en)


@pytest.mark.parametrize(("figures", "column", "value", "vi", "en"), CASES, ids=IDS)
@pytest.mark.parametrize("command", ["validate", "classify"])
def test_the_command_line_says_it_once(tmp_path: Path, command: str, figures: dict[str, Any],
                                       column: str, value: float, vi: str,
                                       en: str) -> None:  # fmt: skip
    """`evalkit validate` (and `classify`) of the workbook: one problem in each language,
    the place then the sentence — the sheet's check, not the frame path's again."""
    path = _workbook(tmp_path, figures)
    out = ["--out", str(tmp_path / "ket-qua.xlsx")] if command == "classify" else []
    for lang, count, place, sentence in (
            ("vi", "Có 1 lỗi:", f"trang 'Đơn vị', dòng 2, đơn vị 'P1', cột '{column}', "
             f"giá trị {value}: ", vi),
            ("en", "1 problem found:", f"sheet 'Đơn vị', row 2, unit 'P1', column '{column}', "
             f"value {value}: ", en)):  # fmt: skip
        code, _, err = run(command, str(path), *out, "--lang", lang)
        lines = err.strip().splitlines()
        assert code == EXIT_INVALID_INPUT and lines[0] == count, err
        assert lines[1:] == [f"  - {path}, {place}{sentence}"], err


@pytest.mark.parametrize(("figures", "column", "value", "vi", "en"), CASES, ids=IDS)
def test_a_units_frame_says_the_same_sentence_with_its_period(
        tmp_path: Path, figures: dict[str, Any], column: str, value: float, vi: str,
        en: str) -> None:  # fmt: skip
    """classify_frame on the same unit's figures: the units sheet's sentence, the frame's
    place (its unit, as the problem's unit_id) and the period it adds."""
    (sheet,) = read_workbook(_workbook(tmp_path, figures))[1]
    top = evalkit.rules.get("vn.nd335-2025").full_marks(manages_others=True)
    sm = pd.DataFrame([{"staff_id": "H", "unit_id": "P1", "period": PERIOD, **top}])
    units = pd.DataFrame([{"unit_id": "P1", "head_id": "H", **figures}])
    with pytest.raises(InputError) as err:
        classify_frame(sm, units, "vn.nd335-2025")
    (p,) = [p for p in err.value.problems if p.column == column]
    assert (p.unit_id, p.value) == ("P1", value)
    for lang, words in (("vi", vi), ("en", en)):
        assert messages.sentence(p, lang) == f"{messages.sentence(sheet, lang)} ({PERIOD})"
        assert messages.sentence(p, lang) == f"{words} ({PERIOD})"


def test_a_units_csv_of_the_organisation_says_each_once(tmp_path: Path) -> None:
    """The organisation's units CSV (no sheet: its file and line): a negative bonus and 5
    of 3 tasks done, each once in the same words."""
    units = tmp_path / "don-vi.csv"
    units.write_text("unit_id,name,tasks_assigned,tasks_done,bonus\nP1,Phòng 1,3,5,-2\n",
                     encoding="utf-8")  # fmt: skip
    _, problems = read_organisation(units=units)
    said = [(p.file, p.row, p.column, p.value, messages.sentence(p, "vi"))
            for p in problems if p.column in ("tasks_done", "bonus")]
    assert sorted(said, key=str) == sorted([
        (str(units), 2, "tasks_done", 5, "tasks_done lớn hơn số nhiệm vụ được giao"),
        (str(units), 2, "bonus", -2, "bonus là số âm")], key=str)  # fmt: skip


def test_a_count_from_the_tasks_sheet_is_named_with_its_count(tmp_path: Path) -> None:
    """Assigned typed 1, the tasks sheet counts 2 done (the units sheet's done is blank):
    the sentence says where the 2 came from; assigned blank and counted 2, done typed 5:
    the count compared with."""
    tasks = [{"assignee": "CC-1", "unit_id": "P1", "assigned": "2026-03-01",
              "due": "2026-03-10", "done": "2026-03-09"}] * 2
    for typed, column, value, counted in (({"tasks_assigned": 1}, "tasks_done", 2, "tasks_done 2"),
                                          ({"tasks_done": 5}, "tasks_done", 5,
                                           "tasks_assigned 2")):  # fmt: skip
        path = filled_workbook(tmp_path / "u.xlsx", [person("CC-1")], tasks=tasks,
                               units=[{"unit_id": "P1", **typed}])  # fmt: skip
        _, problems = read_workbook(path)
        assert [(p.sheet, p.column, p.value) for p in problems] == [(UNITS_SHEET, column, value)]
        assert (messages.sentence(problems[0], "vi"), messages.sentence(problems[0], "en")) == (
            f"tasks_done lớn hơn số nhiệm vụ được giao (đếm từ trang nhiệm vụ: {counted})",
            f"tasks_done exceeds the tasks assigned (counted from the tasks sheet: {counted})")


def test_a_units_sheet_without_its_unit_id_column_still_says_each_figure(
        tmp_path: Path) -> None:  # fmt: skip
    """A units sheet whose unit_id header is missing: the missing header, and each
    impossible figure still once on its cell (before, its figures were not checked at all);
    the organisation's units CSV without unit_id says the same, where it raised KeyError."""
    path = _workbook(tmp_path, {"bonus": -2, "council_score": 150})
    wb = openpyxl.load_workbook(path)
    ws = wb[UNITS_SHEET]
    ws.delete_cols(header_ids(ws).index("unit_id") + 1)
    wb.save(path)
    units = tmp_path / "don-vi.csv"
    units.write_text("name,bonus,council_score\nPhòng 1,-2,150\n", encoding="utf-8")
    for problems in (read_workbook(path)[1], read_organisation(units=units)[1]):
        said = [(p.row, p.column, p.value, messages.sentence(p, "en")) for p in problems
                if p.sheet in (UNITS_SHEET, None) and p.file in (str(path), str(units))]
        assert sorted(said, key=str) == [
            (1, "unit_id", None, "required column 'Mã đơn vị [unit_id]' is missing from the "
             "header"),
            (2, "bonus", -2, "bonus is negative"),
            (2, "council_score", 150, "council_score exceeds 100")]  # fmt: skip


def test_a_huge_figure_is_said_as_the_frame_says_it(tmp_path: Path) -> None:
    """A score of 1e308 and a bonus of 1e16 on the units sheet: their values as a units frame
    says them (1e+308, 1e+16), not as the 309 and 17 digits of the whole numbers they are."""
    figures = {"cross_score": 1e308, "bonus": 1e16}
    _, problems = read_workbook(_workbook(tmp_path, figures))
    top = evalkit.rules.get("vn.nd335-2025").full_marks(manages_others=True)
    sm = pd.DataFrame([{"staff_id": "H", "unit_id": "P1", "period": PERIOD, **top}])
    with pytest.raises(InputError) as err:
        classify_frame(sm, pd.DataFrame([{"unit_id": "P1", "head_id": "H", **figures}]),
                       "vn.nd335-2025")  # fmt: skip
    for said in (problems, err.value.problems):
        assert sorted((p.column, repr(p.value)) for p in said) == [
            ("bonus", "1e+16"), ("cross_score", "1e+308")]
