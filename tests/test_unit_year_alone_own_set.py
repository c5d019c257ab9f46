"""A unit nobody is in, whose rows name a rule set none of the year's people has, is graded
under one set by both year paths (found by af153 while comparing ``_unit_year``'s two callers).

``classify_year`` looks the unit's own set up among the people's sets only
(``_unit_rules``): a sub-unit C with nobody in it, its rows under NĐ 335/2025, under a parent
P whose people are viên chức under NĐ 233/2026 is then graded under P's set (its parent's),
while ``unit_year_grades`` (what the objects' year reports) grades it under its own NĐ 335.
With 3 of its 10 tasks done and a score of 60, C is KHT under NĐ 233/2026 Điều 7 k4 b
(``unit.kht_below_done``), which costs P its HTXS (``unit.excellent_condition.subunit_kht``),
but HT under NĐ 335's bands: P's people carry ``unit_grade`` HTT while the unit's year
reports P as HTXS.
``_unit_rules``' docstring says a unit's own set applies "where it has nobody": the
reported grade is the documented one. Now ``_unit_rules`` looks the unit's own set up as the
month does (:func:`evalkit.scoring.own_unit_sets`), a set none of the people has added to the
year's sets, so both year paths grade C under NĐ 335 (af165; a strict xfail before).
"""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit import classify_frame, classify_year
from evalkit._classify.year import unit_year_grades
from evalkit.errors import InputError
from evalkit.workflow import year_units
from tests.test_year_unit_tree import _marks

MONTHS = [f"2026-{m:02d}" for m in range(7, 13)]


def _inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    people = pd.DataFrame([
        {"staff_id": s, "period": p, "unit_id": "P", "total": t, "rule_set": "vn.nd233-2026",
         "is_head": s == "A", "category": "vien_chuc"}
        for s, t in (("A", 95.0), ("B", 80.0)) for p in MONTHS])
    units = pd.DataFrame([
        {"unit_id": u, "period": p, "parent_id": parent, "score": score, "rule_set": rs,
         "tasks_assigned": 10, "tasks_done": done, "tasks_exceeded": min(4, done)}
        for u, parent, score, rs, done in (("P", None, 95.0, "vn.nd233-2026", 10),
                                           ("C", "P", 60.0, "vn.nd335-2025", 3))
        for p in MONTHS])
    return people, units


def test_a_person_s_unit_grade_is_the_grade_the_unit_s_year_reports() -> None:
    """The unit grade on each person's year row is the grade the unit's year reports."""
    people, units = _inputs()
    year = classify_year(people, units)
    graded = unit_year_grades(year, units).set_index("unit_id")["grade"].astype(str)
    assert graded["P"] == str(year["unit_grade"].iloc[0])


def test_the_months_and_their_year_grade_c_under_its_own_set() -> None:
    """Through the month (classify_frame, C's rows naming NĐ 335): C under NĐ 335 every month
    and in the year (year_units), with its months' grade; P's people carry P's months' grade
    (six equal months), which before was lost to C graded KHT under P's NĐ 233."""
    staff = pd.DataFrame([{"staff_id": s, "unit_id": "P", "period": p, "category": "vien_chuc",
                           **_marks(x)}
                          for s, x in (("A", 100), ("B", 80)) for p in MONTHS])  # fmt: skip
    units = _inputs()[1]  # (C exceeds 3 of its 3 done: the month refuses 4)
    st_, ut = classify_frame(staff, units.assign(tasks_exceeded=units["tasks_done"].clip(upper=4)))
    assert set(ut.loc[ut["unit_id"] == "C", "rule_set"].astype(str)) == {"vn.nd335-2025"}
    year = classify_year(st_, ut)
    graded = year_units(year, ut).set_index("unit_id")
    month = ut.groupby("unit_id")["grade"].agg(lambda g: set(g.astype(str)))
    assert graded.loc["C", "rule_set"] == "vn.nd335-2025"
    assert {str(graded.loc["C", "grade"])} == month["C"]  # six equal months: the year's
    assert set(year["unit_grade"].astype(str)) == month["P"]


def test_an_unknown_set_on_a_units_rows_is_refused_by_the_year_as_by_the_month() -> None:
    """C's rows naming a set that does not exist: the year refuses each row, with the month's
    words (one lookup); before, the year ignored the name and graded C under P's set."""
    people, units = _inputs()
    units.loc[units["unit_id"] == "C", "rule_set"] = "vn.nope"
    staff = pd.DataFrame([{"staff_id": s, "unit_id": "P", "period": p, "category": "vien_chuc",
                           **_marks(x)} for s, x in (("A", 100), ("B", 80)) for p in MONTHS])
    said = []
    for call in (lambda: classify_year(people, units), lambda: classify_frame(
            staff, units.assign(tasks_exceeded=units["tasks_done"].clip(upper=4)))):
        with pytest.raises(InputError) as err:
            call()
        said.append([(p.row, p.column, p.message) for p in err.value.problems])
    assert said[0] == said[1] == [(r, "rule_set", "unknown rule set 'vn.nope'")
                                  for r in range(6, 12)]  # fmt: skip
