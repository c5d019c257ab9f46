"""QĐ 366-QĐ/TW Điều 11 k1: a collective is HTXS only if no member of its leadership was
disciplined. The head a units frame (or the organisation) names is a member of the
leadership, marked ``manages_others``/``is_head`` or not; and the year sees a leader's
discipline of any month, whatever band the unit's score was in that month (audit af24)."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
from evalkit import Assessment, Organisation, Position, Staff, Unit
from evalkit.units import UnitInputs, classify_organisation

QD366 = evalkit.rules.get("vn.qd366-2025")  # the unit conditions of Điều 11 k1 are on
SCORES = {"tieu_chi_chung": 30, "ket_qua_nhiem_vu": 65}  # 95 points: HTXS band
TASKS = {"tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": 3}  # 100 % done, 30 % exceeded


def staff(period: str, disciplined_head: bool, **head: object) -> list[dict[str, object]]:
    return [{"staff_id": "H", "unit_id": "U", "period": period, "category": "can_bo", **SCORES,
             "discipline": int(disciplined_head), **head},
            {"staff_id": "A", "unit_id": "U", "period": period, "category": "can_bo", **SCORES}]


@pytest.mark.parametrize("disciplined", [False, True])
def test_the_head_named_by_head_id_is_in_the_leadership(disciplined: bool) -> None:
    """Score 100, every task done, 30 % exceeded: HTXS, unless the head (named only by the
    units frame's head_id, nothing marked) was disciplined → HTT."""
    units = pd.DataFrame([{"unit_id": "U", "head_id": "H", "period": "2025-10", **TASKS}])
    unit = evalkit.classify_frame(pd.DataFrame(staff("2025-10", disciplined)), units, QD366)[1]
    assert unit["grade"].iloc[0] == ("HTT" if disciplined else "HTXS")
    assert ("unit.excellent_condition.discipline" in unit["reasons"].iloc[0]) == disciplined


def test_the_objects_see_the_heads_discipline() -> None:
    """The organisation's head on a position not marked as managing: the same answer."""
    org = Organisation(units=[Unit("U", "Ban X", head_id="H")],
                       positions=[Position("BT", "Bí thư"), Position("CV", "Chuyên viên")],
                       staff=[Staff("H", "Nguyễn Văn H", "BT", "U", category="can_bo"),
                              Staff("A", "Trần Văn A", "CV", "U", category="can_bo")])
    done = classify_organisation(org, [Assessment("H", "2025-10", competent_scores=SCORES,
                                                  discipline=1),
                                       Assessment("A", "2025-10", competent_scores=SCORES)],
                                 [UnitInputs("U", "2025-10", **TASKS)], QD366)  # fmt: skip
    assert done["U"].unit.grade is not None and done["U"].unit.grade.code == "HTT"


def test_the_year_sees_a_leaders_discipline_in_a_month_below_the_htxs_band() -> None:
    """The head disciplined in March, when the unit's council scored 85 (HTT band: no
    condition to fail that month). The year's mean (11 × 95 + 85) / 12 = 94.17 is in the
    HTXS band, but its leadership was disciplined in the year → the unit HTT for the year
    (Điều 11 k1); the head's own reprimand for a violation related to the duties (blank:
    related) makes his year KHT (Điều 11 k4), below the unit's grade."""
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    sm = pd.DataFrame([r for p in months for r in staff(p, p == "2026-03", is_head=True)])
    units = pd.DataFrame([{"unit_id": "U", "period": p, "council_score": 85 if p == "2026-03"
                           else 95, **TASKS} for p in months])  # fmt: skip
    st, ut = evalkit.classify_frame(sm, units, QD366)
    year = evalkit.classify_year(st, ut).set_index("staff_id")
    assert year.loc["H", ["unit_grade", "grade"]].tolist() == ["HTT", "KHT"]
    assert "disqualifier.discipline" in year.loc["H", "reasons"]
    # A's 95 is HTXS by its band, but no one of the unit is rated HTT: QĐ 366 Điều 11 k1
    # (1.5, legal-sources §16) allows 20% of 0 → A is HTT (quota.demoted, since af212)
    assert year.loc["A", ["unit_grade", "grade"]].tolist() == ["HTT", "HTT"]
    assert "quota.demoted" in year.loc["A", "reasons"]
