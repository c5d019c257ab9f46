"""Hunt af147 (issue 13, "every door gives the same answer"): the quota's columns.

The same staff-months through the frames (:func:`evalkit.classify_frame`,
:func:`evalkit.classify_year`) and through the archive (:meth:`Archive.finalize` then
:meth:`Archive.annual`) gave the same totals, grades, proposed grades and reason sentences,
but not the same ``quota_group``: the engine numbered the quota groups in the order their
first row came in (``pd.factorize`` of the rows, then the rule sets in the order their
first row came), so the archive — which stores and reads the months in staff-id order —
numbered a unit's group of công chức 0 where the frames had numbered it 1, and the same
month with its rows in another order numbered its units the other way round;
:func:`evalkit.units.quota_report` listed its groups in that order too. A group is named by
its period, unit, rule set and duty group (``quota_report``'s docstring): the number now
follows them, whatever the order of the rows.

The people (worked by hand; general criteria full, 30, plus 0.7 × the task percentage):

* the month: Hà Nội QĐ 3814-QĐ/TU (A ≤ 30 % of those classified, each month), two units of
  four, in each two at 100 and two at 80 % of tasks (30 + 56 = 86; the month's bands,
  Loại A from 90): 30 % of 4 = 1.2 → 1 A a unit.
* the year 2026 of a unit mixing công chức (NĐ 335/2025/NĐ-CP) and viên chức (NĐ 90/2020
  until June, NĐ 233/2026/NĐ-CP from July): each group its own quota (NĐ 335 Điều 20 k5 a;
  NĐ 233 Điều 12 k6 a: HTXS ≤ 20 % of those rated HTT): two at 100 and five at 86 in
  each group → one HTXS kept per group, the other demoted (``quota.demoted``); the head (a
  viên chức at 100) capped at the unit's HTT (8 of 10 tasks: 80).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import evalkit
from evalkit.io.archive import Archive
from evalkit.reasons import explain
from evalkit.units import classify_frame, classify_year, quota_report
from tests._archive_helpers import head_marks, month_inputs, scores

HANOI = evalkit.rules.get("hanoi.3814-2018")
QUOTA = ["staff_id", "grade", "quota_group", "quota_base", "quota_cap", "quota_candidates",
         "quota_rank", "quota_groups"]  # fmt: skip


def _by_id(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[columns].sort_values("staff_id").reset_index(drop=True)


def test_a_months_quota_groups_do_not_follow_the_order_of_the_rows() -> None:
    s1, u1 = month_inputs("2026-03", {"A": 100, "B": 100, "C": 80, "D": 80}, rs=HANOI, unit="U1")
    s2, u2 = month_inputs("2026-03", {"E": 100, "F": 100, "G": 80, "H": 80}, rs=HANOI, unit="U2")
    staff, units = pd.concat([s1, s2], ignore_index=True), pd.concat([u1, u2], ignore_index=True)
    ahead = classify_frame(staff, units, HANOI)[0]
    behind = classify_frame(staff.iloc[::-1].reset_index(drop=True),
                            units.iloc[::-1].reset_index(drop=True), HANOI)[0]  # fmt: skip
    pd.testing.assert_frame_equal(_by_id(ahead, QUOTA), _by_id(behind, QUOTA))
    # by hand: one Loại A kept in each unit (A, E: the staff id breaks the tie)
    assert ahead.set_index("staff_id")["grade"].to_dict() == {
        "A": "HTXS", "B": "HTT", "C": "HTT", "D": "HTT",
        "E": "HTXS", "F": "HTT", "G": "HTT", "H": "HTT"}  # fmt: skip
    # the groups numbered by their unit (U1 before U2), and reported in that order
    assert ahead.groupby("unit_id")["quota_group"].unique().map(list).to_dict() == {
        "U1": [0], "U2": [1]}  # fmt: skip
    pd.testing.assert_frame_equal(quota_report(ahead), quota_report(behind))
    assert quota_report(ahead)["unit_id"].tolist() == ["U1", "U2"]


PEOPLE = {"H": ("vien_chuc", 100), "V1": ("vien_chuc", 100), "V2": ("vien_chuc", 100),
          **{f"V{i}": ("vien_chuc", 80) for i in range(3, 8)},
          "C1": ("cong_chuc", 100), "C2": ("cong_chuc", 100),
          **{f"C{i}": ("cong_chuc", 80) for i in range(3, 8)}}  # fmt: skip


def _month(m: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    period, rows = f"2026-{m:02d}", []
    for sid, (category, tasks) in PEOPLE.items():
        rs = evalkit.rules.for_period(category, period)
        row = {"staff_id": sid, "full_name": f"Người {sid}", "unit_id": "U", "period": period,
               "category": category, "discipline": 0, **scores(rs, tasks)}  # fmt: skip
        if sid == "H":
            row.update(head_marks(rs), manages_others=True)
        rows.append(row)
    units = pd.DataFrame({"unit_id": ["U"], "parent_id": pd.Series([None], dtype=object),
                          "head_id": ["H"], "tasks_assigned": [10.0], "tasks_done": [8.0]})
    return pd.DataFrame(rows), units


def _year_both_ways(tmp_path: Path) -> tuple[list[pd.DataFrame], list[pd.DataFrame],
                                              pd.DataFrame]:  # fmt: skip
    """The twelve months of :func:`_month` classified by ``classify_frame`` (the people's
    results, the units'), each finalized into an archive, and the archive's year."""
    months, unit_months = [], []
    with Archive(tmp_path / "a.sqlite") as arc:
        for m in range(1, 13):
            staff, units = _month(m)
            out, unit_results = classify_frame(staff, units)[:2]
            results = pd.concat([staff, out[[c for c in out.columns if c not in staff]]], axis=1)
            months.append(results)
            unit_months.append(unit_results)
            arc.finalize(results, by="TCCB", units=unit_results, unit_inputs=units)
        return months, unit_months, arc.annual(2026)


def test_the_years_quota_groups_are_the_same_from_the_frames_and_the_archive(
        tmp_path: Path) -> None:  # fmt: skip
    months, unit_months, archived = _year_both_ways(tmp_path)
    rows, unit_rows = pd.concat(months, ignore_index=True), pd.concat(unit_months, ignore_index=True)
    year = classify_year(rows, unit_rows)
    turned = classify_year(rows.iloc[::-1].reset_index(drop=True), unit_rows)
    columns = [*QUOTA, "annual_total", "proposed_grade", "annual_grade", "reasons"]
    for other in (archived, turned):
        pd.testing.assert_frame_equal(_by_id(year, columns), _by_id(other, columns),
                                      check_dtype=False)  # fmt: skip
        assert list(explain(_by_id(year, columns))) == list(explain(_by_id(other, columns)))
    # by hand: one HTXS per group (C1, V1 by staff id), the head capped at the unit's HTT
    grades = year.set_index("staff_id")["annual_grade"]
    assert grades[["C1", "V1"]].tolist() == ["HTXS", "HTXS"]
    assert grades.drop(["C1", "V1"]).eq("HTT").all()
    assert "cap.head_unit" in year.set_index("staff_id").at["H", "reasons"]
    # the groups numbered by their rule set's id (vn.nd233-2026 before vn.nd335-2025)
    assert year.groupby("rule_set")["quota_group"].unique().map(list).to_dict() == {
        "vn.nd233-2026": [0], "vn.nd335-2025": [1]}  # fmt: skip


def test_the_archives_year_shows_no_column_it_read_for_the_tied_only(tmp_path: Path) -> None:
    """The archive's year reads the months' task points and deduction counts from the
    months' documents for the quota candidates tied on the total only (the tie-break's
    next keys, ``Archive.annual``): C1 and C2, V1 and V2 showed their ``points_general``
    and ``points_tasks``, everyone else a blank — a column true for some rows and blank
    for the others, where ``classify_year`` over the same months shows everyone's. As
    ``manages_others`` read for some months only, such a column is left out (the archive's
    annual shows no points: tests/test_year_points_rounded.py); every column the archive's
    year and the frames' year both show is the same for everyone."""
    months, unit_months, archived = _year_both_ways(tmp_path)
    year = classify_year(pd.concat(months, ignore_index=True),
                         pd.concat(unit_months, ignore_index=True))  # fmt: skip
    assert not [c for c in archived.columns if str(c).startswith("points_")]
    both = [c for c in year.columns if c in archived.columns]
    def plain(frame: pd.DataFrame) -> pd.DataFrame:  # grades, sets as text
        return _by_id(frame, both).astype({c: object for c in both if c.endswith("grade") or c == "rule_set"})

    pd.testing.assert_frame_equal(plain(year), plain(archived), check_dtype=False)
