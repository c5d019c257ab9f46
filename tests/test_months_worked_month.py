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
