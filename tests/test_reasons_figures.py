"""A reason's sentence never says a figure the results do not have (af66): explain refuses a
frame without the column a sentence quotes, and a row that leaves it blank, naming the
column, for every catalogue code whose template quotes a figure of the result row; a dash,
"nan" or a made-up 0 is never said. The competent level's written reason is the one figure
a sentence can do without: said without it, never ": —"."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import evalkit
from evalkit.reasons import explain

#: code -> (rule set, the result columns its sentence quotes, a value of each)
QUOTES = {
    "rollup.average": ("vn.nd335-2025", {"months": 12}),
    "rollup.leave": ("vn.nd335-2025", {"leave_months": 3}),
    "rollup.count.excellent": ("vn.customs-2026q", {"count_xs": 2}),
    "rollup.count.good": ("vn.customs-2026q", {"count_ht": 1, "count_kht": 0}),
    "rollup.count.kht": ("vn.customs-2026q", {"count_kht": 2}),
    "rollup.period_short": ("vn.customs-2026q", {"months_worked": 1}),
    "rollup.period_carried": ("vn.customs-2026q", {"carried_months": 1}),
    "rollup.period_carried_next": ("vn.customs-2026q", {"months_worked": 1}),
    "management.d": ("vn.nd335-2025", {"mgmt_value": 50, "mgmt_subordinates": 4,
                                       "mgmt_below": 1}),
    "management.d_typed": ("vn.nd335-2025", {"mgmt_value": 50, "mgmt_typed": 100}),
    "competent.concluded": ("vn.nd335-2025", {"competent_grade": "HT"}),
    "competent.above_band": ("vn.nd335-2025", {"competent_grade": "HTXS"}),
    "competent.above_band_applied": ("vn.nd335-2025", {"competent_grade": "HTXS"}),
    "competent.not_applied": ("vn.nd335-2025", {"competent_grade": "HT"}),
    "competent.not_graded": ("vn.nd335-2025", {"competent_grade": "HT"}),
    "cap.head_unit": ("vn.nd335-2025", {"unit_grade": "HT"}),
    "cap.deputy_head": ("vn.customs-2026q", {"head_grade": "HT"}),
    "quota.demoted": ("vn.nd335-2025", {"quota_cap": 2, "quota_percent": 20, "quota_base": 10,
                                        "quota_rank": 3, "quota_candidates": 3}),
    "unit.council": ("vn.nd335-2025", {"council_score": 88}),
    "unit.excellent_condition.score": ("vn.nd335-2025", {"score": 85}),
    "unit.excellent_condition.tasks_done": ("vn.qd366-2025", {"done_percent": 90}),
    "inspection.deduction": ("vn.nd335-2025", {"inspection_points": 2}),
}  # fmt: skip


def _row(code: str, **figures: object) -> pd.DataFrame:
    rs, _ = QUOTES[code]
    return pd.DataFrame([{"rule_set": rs, "period": "2026", "total": 85.0, "grade": "HTT",
                          "reasons": code, **figures}])  # fmt: skip


@pytest.mark.parametrize("code", sorted(QUOTES))
def test_the_full_row_says_every_figure(code: str) -> None:
    said = " ".join(explain(_row(code, **QUOTES[code][1]))[0])
    assert "—" not in said and "nan" not in said.lower().split()


@pytest.mark.parametrize(("code", "column"),
                         [(c, k) for c, (_, f) in sorted(QUOTES.items()) for k in f
                          if k != "mgmt_below"])  # fmt: skip
def test_a_figure_missing_is_refused_naming_its_column(code: str, column: str) -> None:
    figures = dict(QUOTES[code][1])
    for frame in (_row(code, **{k: v for k, v in figures.items() if k != column}),
                  _row(code, **{**figures, column: math.nan})):  # absent, then blank
        with pytest.raises(evalkit.InputError) as exc:
            explain(frame)
        assert exc.value.problems[0].column == column


def test_a_conclusion_without_its_written_reason_is_said_without_it() -> None:
    said = explain(_row("competent.concluded", competent_grade="HT"))[0][-1]
    assert said.startswith("Cấp có thẩm quyền kết luận xếp loại Hoàn thành nhiệm vụ")
    assert "—" not in said and ":" not in said.split("(")[0]
    with_reason = explain(_row("competent.concluded", competent_grade="HT",
                               competent_reason="Chưa chủ động"))[0][-1]  # fmt: skip
    assert "Hoàn thành nhiệm vụ: Chưa chủ động" in with_reason
