"""The customs rule "one month or less worked in a quarter → the quarter is not evaluated"
(CV 21169/CHQ-TCCB) is a quarter's: a month row with months_worked = 1 is a whole month
worked and is scored (audit 14), at the frame and the object doors alike."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit

RS = evalkit.rules.get("vn.customs-2026q")
TOP = RS.full_marks()


@pytest.mark.parametrize(("period", "worked", "evaluated"), [
    ("2026-07", 1, True), ("2026-07", 0.5, True), ("2026-Q3", 1, False),
    ("2026-Q3", 1.5, True), ("2026-Q3", 3, True)])
def test_short_is_a_quarter_rule(period: str, worked: float, evaluated: bool) -> None:
    row = {"staff_id": "A", "period": period, "months_worked": worked, **TOP}
    out = evalkit.score_frame(pd.DataFrame([row]), RS)
    one = evalkit.score(evalkit.Assessment("A", period, manager_scores=TOP,
                                           months_worked=worked), rules=RS)
    assert (not pd.isna(out["total"].iloc[0])) is evaluated
    assert one.evaluated is evaluated
    if not evaluated:
        assert "rollup.period_short" in out["reasons"].iloc[0]
        assert "rollup.period_short" in one.reason_codes()
    else:
        assert out["total"].iloc[0] == one.total == 100.0


@pytest.mark.parametrize("part", [0.4, 0.5])
def test_a_scored_month_is_a_month_worked_in_the_year(part: float) -> None:
    """Audit af20: NĐ 90/2020 Điều 2 k3 (fewer than 6 months worked → not classified). Five
    whole months, a sixth scored with ``months_worked`` below 1, six months sick: the sixth
    was worked (docs/classification.md: nothing divides a month), so six months — classified
    at every door. The frames summed 5.4 (not classified) or 5.5, rounded half-to-even to 6,
    while ``evalkit.rollup`` counted 6 either way."""
    nd90 = evalkit.rules.get("vn.nd90-2020")
    rows = [{"staff_id": "P", "period": f"2025-{m:02d}", "rule_set": nd90.id, "total": 95.0,
             "months_worked": part if m == 6 else None} for m in range(1, 7)]
    rows += [{"staff_id": "P", "period": f"2025-{m:02d}", "rule_set": nd90.id, "leave": "sick"}
             for m in range(7, 13)]  # fmt: skip
    year = evalkit.rollup_frame(pd.DataFrame(rows)).iloc[0]
    assert (year["months"], year["grade"]) == (6, "HTXS")
    assert "rollup.too_few_months" not in year["reasons"]
    res = [evalkit.score(evalkit.Assessment("P", f"2025-{m:02d}", competent_scores=nd90.full_marks(),
                                            months_worked=part if m == 6 else None), rules=nd90)
           for m in range(1, 7)]
    res += [evalkit.score(evalkit.Assessment("P", f"2025-{m:02d}", leave="sick"), rules=nd90)
            for m in range(7, 13)]  # fmt: skip
    assert evalkit.rollup(res, nd90)[0].grade is evalkit.Grade.HTXS
