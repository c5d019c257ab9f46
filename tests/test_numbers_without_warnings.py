"""No NumPy or pandas warning reaches a user (af248): a caller running with ``-W error`` (or
an HR system logging warnings) gets a located :class:`~evalkit.errors.InputError` for a
number out of every range (1e308, 2**63 …), never a ``RuntimeWarning`` of an overflow or a
cast, and a frame of a block per column (``pd.read_csv``) is finalized without pandas'
``PerformanceWarning`` ("highly fragmented").

Each test is a leak found by running the fuzz families and every door with warnings as
errors; the suite runs with them as errors (pyproject's ``filterwarnings``), so each would
have failed with the warning before.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit.demo import load_demo
from evalkit.errors import InputError
from evalkit.io.archive import Archive
from evalkit.messages import sentence
from tests._fuzz_frames import MONTH, _months, inputs

YEAR_DOORS = ("rollup_frame", "classify_year")


def _year(door: str, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    if door == "rollup_frame":
        return evalkit.rollup_frame(frames["staff"])
    return evalkit.classify_year(frames["staff"], frames["units"])


def _said(call: Any) -> list[tuple[Any, Any, Any, str]]:
    with pytest.raises(InputError) as info:
        call()
    return [(p.row, p.column, p.value, p.message) for p in info.value.problems]


@pytest.mark.parametrize("door", YEAR_DOORS)
@pytest.mark.parametrize(("value", "message"), [
    (1e308, "exceeds its maximum 70"), (2.0**63, "exceeds its maximum 70"),
    (70.5, "exceeds its maximum 70"), (-1e308, "is negative")])
def test_block_points_off_their_block_are_refused_not_an_overflow(
        door: str, value: float, message: str) -> None:
    """A month's ``points_tasks`` of 1e308 was averaged and rounded to the cent (× 100: an
    overflow, blocks.round_half_up) at the year doors; points beyond the block's 70
    (NĐ 335/2025's tasks block) or below 0 are no points of it: refused, row named."""
    frames = inputs(door)
    staff = frames["staff"]
    staff["points_tasks"] = staff["points_tasks"].where(staff.index != 3, value)
    assert _said(lambda: _year(door, frames)) == [(3, "points_tasks", value, message)]


@pytest.mark.parametrize("door", YEAR_DOORS)
def test_deduction_inputs_beside_the_results_are_within_their_criterion(door: str) -> None:
    """The error and delay counts kept for the quota's tie-break were summed unread: 1e308
    twice made an infinite year's count, -1 lowered it. Refused as the month refuses them
    (0 to the criterion's maximum, 1000), every row said."""
    frames = inputs(door)
    staff = frames["staff"]
    staff["loi_chat_luong"] = staff["loi_chat_luong"].where(~staff.index.isin([1, 2]), 1e308)
    staff["cham_tien_do"] = staff["cham_tien_do"].where(staff.index != 4, -1.0)
    assert _said(lambda: _year(door, frames)) == [
        (1, "loi_chat_luong", 1e308, "exceeds its maximum 1000"),
        (2, "loi_chat_luong", 1e308, "exceeds its maximum 1000"),
        (4, "cham_tien_do", -1.0, "is negative")]


@pytest.mark.parametrize("door", YEAR_DOORS)
@pytest.mark.parametrize("column", ["leave_months", "maternity_months", "absent_months",
                                    "away_months"])
def test_months_of_leave_beyond_the_period_are_refused_not_a_cast(door: str,
                                                                  column: str) -> None:
    """A row's months of leave of 1e308 were cast to an integer (invalid value in cast);
    a month row has one month, so 2 is no month of leave of it either."""
    for value in (1e308, 2.0):
        frames = inputs(door)
        staff = frames["staff"]
        staff[column] = np.where(staff.index == 5, value, np.nan)
        assert _said(lambda f=frames: _year(door, f)) == [
            (5, column, value, "exceeds its maximum 1")]


def test_the_ranges_follow_each_rows_rule_set() -> None:
    """Points within the block of the row's own set are read: Hà Nội's bonus block gives up
    to 10; a block its set lacks is bounded by the set's total."""
    rs = evalkit.rules.get("hanoi.3814-2018")
    assert rs.result_range("points_bonus") == (0.0, 10.0)
    assert rs.result_range("points_tasks") == (0.0, 70.0)
    assert rs.result_range("points_other") == (-100.0, 100.0)
    assert rs.result_range("sang_kien") == (0.0, 10.0)
    assert rs.result_range("staff_id") == (-np.inf, np.inf)
    frames = inputs("rollup_frame")
    staff = frames["staff"]
    staff["points_tasks"] = staff["points_tasks"].where(staff.index != 3, 70.0)
    assert evalkit.rollup_frame(staff)["total"].notna().all()


def _units_frame(values: dict[str, float], row: int = 0) -> pd.DataFrame:
    units = inputs("classify_frame")["units"]
    for col, v in values.items():
        units[col] = units.get(col, pd.Series(np.nan, index=units.index)).astype(
            np.float64).where(units.index != row, v)
    return units


TOO_LARGE = "is too large: no figure of a unit exceeds 10^15"


@pytest.mark.parametrize("values", [
    {"tasks_assigned": 1e308, "tasks_done": 1e308},
    {"tasks_assigned": 2.0**63, "tasks_done": 2.0**63},
    {"deduction": 1.7e308, "inspection_deduction": 1.7e308}], ids=["tasks", "2**63", "points"])
def test_a_units_figure_too_large_is_refused_at_the_month(values: dict[str, float]) -> None:
    """A unit's done ÷ assigned was 100 × done ÷ assigned: 1e308 done of 1e308 assigned
    overflowed (units._kernel); a deduction and an inspection deduction of 1.7e308 each
    overflowed the score's sum. No figure of a unit is above 10^15: refused."""
    units = _units_frame(values)
    staff = inputs("classify_frame")["staff"]
    with pytest.raises(InputError) as info:
        evalkit.classify_frame(staff, units)
    got = [(p.row, p.column, p.value) for p in info.value.problems]
    assert got == [(0, c, v) for c, v in values.items()]
    assert [p.message for p in info.value.problems] == [
        f"{c} {TOO_LARGE} ({MONTH})" for c in values]


def test_the_bound_of_a_units_figure_is_10_to_the_15() -> None:
    """10^15 tasks, all done, is a unit's 100 %; a figure just above is refused."""
    units = _units_frame({"tasks_assigned": 1e15, "tasks_done": 1e15, "tasks_on_time": 1e15,
                          "tasks_exceeded": 0.0, "tasks_overdue": 0.0})
    staff = inputs("classify_frame")["staff"]
    got = evalkit.classify_frame(staff, units)[1]
    assert got.loc[got["unit_id"] == units["unit_id"][0], "done_percent"].tolist() == [100.0]
    units = _units_frame({"bonus": 1e15 + 1})
    with pytest.raises(InputError) as info:
        evalkit.classify_frame(staff, units)
    assert [(p.row, p.column, p.message) for p in info.value.problems] == [
        (0, "bonus", f"bonus {TOO_LARGE} ({MONTH})")]


def test_a_units_task_counts_too_large_in_the_year_are_refused() -> None:
    """classify_year's year of a unit: Σ done ÷ Σ assigned × 100 overflowed on a month of
    1e308 of 1e308 (year._unit_year); refused as the month refuses it, in Vietnamese
    too."""
    staff, units = _months()
    units = units.copy()
    for col in ("tasks_assigned", "tasks_done"):
        units[col] = units[col].astype(np.float64).where(units.index != 6, 1e308)
    with pytest.raises(InputError) as info:
        evalkit.classify_year(staff, units)
    assert [(p.row, p.column, p.value, p.message) for p in info.value.problems] == [
        (6, c, 1e308, f"{c} {TOO_LARGE}") for c in ("tasks_assigned", "tasks_done")]
    assert sentence(info.value.problems[0]) == (
        "tasks_assigned quá lớn: không số liệu nào của đơn vị vượt quá 10^15")


def test_the_workbook_refuses_a_units_figure_too_large_when_it_is_read(tmp_path: Path) -> None:
    """The workbook read 1e308 tasks of 1e308 as a valid units sheet, then classifying it
    overflowed: read_month (``evalkit validate``) now says it, at its cell."""
    from evalkit.io.workbook import UNITS_SHEET, read_month
    from tests._io_helpers import filled_workbook

    path = filled_workbook(tmp_path / "t.xlsx", [{"staff_id": "A1", "full_name": "Nguyễn A",
                                                   "unit_id": "P1"}], units=(
        {"unit_id": "P1", "name": "Phòng 1", "head_id": "A1", "tasks_assigned": 1e308,
         "tasks_done": 1e308},))  # fmt: skip
    got = read_month(path).problems
    assert [(p.sheet, p.row, p.column, p.value) for p in got] == [
        (UNITS_SHEET, 2, c, 1e308) for c in ("tasks_assigned", "tasks_done")]
    assert all(TOO_LARGE in sentence(p, "en") for p in got)


def _month_results() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """March's staff inputs joined with their results (what finalize archives), its unit
    results and unit inputs."""
    demo = load_demo()
    f, u = demo.frame(), demo.units_frame()
    f = f[f["period"].astype(str) == MONTH].reset_index(drop=True)
    u = u[u["period"].astype(str) == MONTH].reset_index(drop=True)
    staff, units = evalkit.classify_frame(f, u)
    return pd.concat([f, staff[[c for c in staff.columns if c not in f.columns]]], axis=1), units, u


def test_finalize_refuses_points_off_their_block(tmp_path: Path) -> None:
    """The archive kept a month's ``points_tasks`` of 1e308 (only text and infinity were
    refused), which its sheets print and a year reads: refused as the roll-up refuses it."""
    results, units, u = _month_results()
    results.loc[3, "points_tasks"] = 1e308
    with Archive(tmp_path / "a.sqlite") as arc, pytest.raises(InputError) as info:
        arc.finalize(results, by="x", units=units, unit_inputs=u)
    assert [(p.row, p.column, p.value, p.staff_id, p.message) for p in info.value.problems] == [
        (3, "points_tasks", 1e308, results.loc[3, "staff_id"], "exceeds its maximum 70")]


def test_finalize_of_a_frame_read_from_a_csv_gives_no_fragmentation_warning(
        tmp_path: Path) -> None:
    """A month's results joined to its inputs, written to CSV and read back (a block per
    column, 147 of them), was finalized with pandas' PerformanceWarning: the rule set column
    was inserted into it (archive._derivation). Archived as the same frame in one block."""
    results, units, u = _month_results()
    buf = io.StringIO()
    results.to_csv(buf, index=False)
    csv = pd.read_csv(io.StringIO(buf.getvalue()))
    assert csv._mgr.nblocks > 100  # type: ignore[attr-defined]
    assert csv["rule_set"].nunique() > 1  # several sets: the path that set the column
    grades = []
    for name, frame in (("csv", csv), ("whole", csv.copy())):
        with Archive(tmp_path / f"{name}.sqlite") as arc:
            arc.finalize(frame, by="x", units=units, unit_inputs=u)
            grades.append(arc.month(MONTH)[["staff_id", "grade"]].astype(str).values.tolist())
    assert grades[0] == grades[1]
    assert grades[0] == results[["staff_id", "grade"]].astype(str).values.tolist()
