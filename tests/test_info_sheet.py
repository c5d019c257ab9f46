"""The information sheet (``Thông tin``) is read as the other sheets are (audit af21): its
period cell as the staff sheet's period column (a date is its month), and every problem of
it names its row."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pytest

from evalkit.io.workbook import INFO_SHEET, read_month
from evalkit.model import Period
from tests._io_helpers import filled_workbook, person


def with_info(tmp_path: Path, key: str, value: object) -> tuple[Path, int]:
    """A filled March 2026 workbook whose information cell ``key`` holds ``value``; the
    row of that cell."""
    path = filled_workbook(tmp_path / "a.xlsx", [person("CC-1"), person("CC-2")])
    wb = openpyxl.load_workbook(path)
    ws = wb[INFO_SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)
    ws.cell(row, 2).value = value
    wb.save(path)
    return path, row


@pytest.mark.parametrize("value", [datetime.datetime(2026, 3, 1),
                                   datetime.datetime(2026, 3, 15, 8, 30), " 2026-03 "])
def test_a_period_typed_as_a_date_is_its_month(tmp_path: Path, value: object) -> None:
    """Excel turns '2026-03' into the date 2026-03-01: the staff sheet reads it as March,
    and so does the information sheet."""
    path, _ = with_info(tmp_path, "period", value)
    month = read_month(path)
    assert month.problems == []
    assert month.period == Period.month(2026, 3)


def test_a_date_in_another_month_is_the_other_month(tmp_path: Path) -> None:
    """April typed as a date is April, and checked against the month asked for."""
    path, row = with_info(tmp_path, "period", datetime.datetime(2026, 4, 1))
    assert read_month(path).period == Period.month(2026, 4)
    problems = read_month(path, period="2026-03").problems
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        (INFO_SHEET, row, "period", "2026-04")]


@pytest.mark.parametrize("value", [46082, 2026.03, "tháng ba"])
def test_a_period_that_is_no_period_is_refused_at_its_row(tmp_path: Path, value: object) -> None:
    path, row = with_info(tmp_path, "period", value)
    problems = [p for p in read_month(path).problems if p.sheet == INFO_SHEET]
    assert [(p.row, p.column, p.value) for p in problems] == [(row, "period", str(value))]


@pytest.mark.parametrize("typed", ["vn.nd335-2025\u200b", "\ufeffvn.nd335-2025 "])
def test_a_rule_set_id_with_an_invisible_character_is_read_as_ids_are(
    tmp_path: Path, typed: str
) -> None:
    """Audit af21: the information sheet's rule_set cell, and a unit's rule_set cell,
    holding a zero-width space or a BOM were 'unknown rule set', though a staff id with
    one is the same id (evalkit._ids.normal_id)."""
    path, _ = with_info(tmp_path, "rule_set", typed)
    month = read_month(path)
    assert month.problems == []
    assert month.rules is not None and month.rules.id == "vn.nd335-2025"
    units = [{"unit_id": "P1", "name": "Phòng 1", "head_id": None, "rule_set": typed}]
    path = filled_workbook(tmp_path / "u.xlsx", [person("CC-1")], units=units)
    month = read_month(path)
    assert month.problems == []
    assert month.units["rule_set"].tolist() == ["vn.nd335-2025"]


def test_an_unknown_rule_set_id_is_still_refused_at_its_row(tmp_path: Path) -> None:
    path, row = with_info(tmp_path, "rule_set", "vn.nd999-2025\u200b")
    problems = read_month(path).problems
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        (INFO_SHEET, row, "rule_set", "vn.nd999-2025\u200b")]
