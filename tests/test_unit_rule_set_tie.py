"""A unit's rule set, where neither the unit nor the call names one, is the most common
among its staff (docs/workbook.md); a unit half công chức (NĐ 335/2025), half viên chức
(NĐ 233/2026) is decided by the sets' ids, never by the order of the rows: the same
people listed in another order give the same unit result at every door (audit af20)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit.units import classify_frame

PERIOD = "2026-08"  # both sets in force: NĐ 335 for công chức, NĐ 233 for viên chức
PEOPLE = [("C1", "cong_chuc"), ("C2", "cong_chuc"), ("V1", "vien_chuc"), ("V2", "vien_chuc")]


def _marks(category: str) -> dict[str, float]:
    return evalkit.rules.for_period(category, PERIOD).full_marks()


def _unit_sets(order: list[tuple[str, str]]) -> tuple[str, str]:
    rows = [{"staff_id": s, "unit_id": "U", "period": PERIOD, "category": c, **_marks(c)}
            for s, c in order]  # fmt: skip
    units = pd.DataFrame([{"unit_id": "U", "head_id": None, "parent_id": None,
                           "tasks_assigned": 10, "tasks_done": 10}])  # fmt: skip
    _, ur = classify_frame(pd.DataFrame(rows), units)
    org = evalkit.Organisation(
        units=[evalkit.Unit("U", "Phòng")], positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff(s, s, "CV", "U", category=c) for s, c in order])
    uc = evalkit.classify_organisation(
        org, [evalkit.Assessment(s, PERIOD, competent_scores=_marks(c)) for s, c in order],
        [evalkit.UnitInputs("U", PERIOD, tasks_assigned=10, tasks_done=10)])
    return str(ur["rule_set"].iloc[0]), uc["U"].unit.rule_set_id


@given(st.permutations(PEOPLE))
def test_a_tie_is_decided_by_the_sets_not_the_row_order(order: list[tuple[str, str]]) -> None:
    ids = sorted({evalkit.rules.for_period(c, PERIOD).id for _, c in PEOPLE})
    assert len(ids) == 2  # a real tie between two sets
    assert _unit_sets(order) == (ids[0], ids[0])


def test_a_majority_still_decides() -> None:
    three = [*PEOPLE, ("V3", "vien_chuc")]
    want = evalkit.rules.for_period("vien_chuc", PERIOD).id
    assert _unit_sets(three) == (want, want)
    assert _unit_sets(three[::-1]) == (want, want)
