"""A unit mixing công chức and viên chức has one grade for the year, whatever the rows' order.

Phòng U has a công chức C (NĐ 335/2025/NĐ-CP) and a viên chức V (NĐ 233/2026/NĐ-CP, in force
2026-07-01), and did 10 of its 10 tasks each month of 2026-07 … 2026-12, none exceeded: 100
points under either set. NĐ 335's units are HTXS at ≥ 90; NĐ 233 Điều 7 k1 a also asks ≥ 30 %
of the tasks exceeded, so under it the unit is HTT (``unit.excellent_condition.exceeded``).

The month grades a mixed unit under the set its units frame's ``category`` names, else the
most common among its staff, a tie to the set whose id sorts first
(:func:`evalkit.scoring.assign_unit_rule_sets`): one công chức and one viên chức tie, and
``vn.nd233-2026`` sorts before ``vn.nd335-2025`` → HTT; declared ``cong_chuc`` → NĐ 335 → HTXS.
The year grades the unit once, under the set its last month was graded under where one of
its people has it (else the most common of theirs): every person's row carries that one grade
(the head cap reads it), in any order of the rows, and the objects' year agrees. Before, each
row carried the unit graded under that person's own set, and the set for the unit's public
service unit was the last row's.
"""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit import classify_frame, classify_year

MONTHS = [f"2026-{m:02d}" for m in range(7, 13)]


def _months(category: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    cc, vc = (evalkit.rules.get(i) for i in ("vn.nd335-2025", "vn.nd233-2026"))
    staff, units = [], []
    for p in MONTHS:
        frame = pd.DataFrame([
            {"staff_id": "C", "unit_id": "U", "period": p, "category": "cong_chuc",
             **cc.full_marks()},
            {"staff_id": "V", "unit_id": "U", "period": p, "category": "vien_chuc",
             **vc.full_marks()}])  # fmt: skip
        unit = pd.DataFrame({"unit_id": ["U"], "period": [p], "tasks_assigned": [10],
                             "tasks_done": [10], "tasks_exceeded": [0]})
        if category is not None:
            unit["category"] = category
        s, u = classify_frame(frame, unit)
        staff.append(pd.concat([frame, s[[c for c in s.columns if c not in frame]]], axis=1))
        units.append(u)
    return pd.concat(staff, ignore_index=True), pd.concat(units, ignore_index=True)


@pytest.mark.parametrize(("category", "want_set", "want"), [
    (None, "vn.nd233-2026", "HTT"),          # a tie: the first id; Điều 7 k1 a (0 % exceeded)
    ("cong_chuc", "vn.nd335-2025", "HTXS"),  # declared: NĐ 335's bands alone
])  # fmt: skip
def test_the_unit_has_one_grade_for_the_year_in_any_row_order(
        category: str | None, want_set: str, want: str) -> None:
    staff, units = _months(category)
    assert set(units["rule_set"].astype(str)) == {want_set}  # the months, by hand above
    assert set(units["grade"].astype(str)) == {want}
    for order in (staff, staff.iloc[::-1], staff.sort_values("staff_id", ascending=False)):
        year = classify_year(order.reset_index(drop=True), units)
        got = dict(zip(year["staff_id"], year["unit_grade"].astype(str), strict=True))
        assert got == {"C": want, "V": want}, (category, got)


@pytest.mark.parametrize("category", [None, "cong_chuc"])
def test_the_objects_year_of_the_unit_is_the_frames(category: str | None) -> None:
    """``unit_year_grades`` (what the objects' year reads) grades the unit under the same set
    as the people's rows: one answer per unit."""
    from evalkit._classify.year import unit_year_grades

    staff, units = _months(category)
    year = classify_year(staff, units)
    graded = unit_year_grades(year, units).set_index("unit_id")
    assert graded.loc["U", "grade"] == year["unit_grade"].astype(str).iloc[0]
    assert graded.loc["U", "rule_set"] == ("vn.nd335-2025" if category else "vn.nd233-2026")
