"""The roll-up's English sentence agrees in number with its count (audit 7, D9)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from evalkit import reasons
from evalkit.rules import get


@given(st.integers(min_value=1, max_value=12))
def test_the_average_sentence_counts_months_in_the_right_number(months: int) -> None:
    rules = get("vn.nd335-2025")
    row = {"period": "2026", "total": 90.0, "months": months, "leave_months": 0}
    [reason] = reasons.make_reasons("rollup.average", rules, row, with_band=False)
    unit = "month" if months == 1 else "months"
    assert f"the {months} {unit} evaluated" in reason.message_en
    assert f"{months} tháng được đánh giá" in reason.message_vi
    row["leave_months"] = 13 - months  # the leave sentence agrees in number too
    [leave] = reasons.make_reasons("rollup.leave", rules, row, with_band=False)
    one = "month" if months == 12 else "months"
    assert f"On legal leave for {13 - months} {one} (" in leave.message_en
