"""The year sees every month's inputs (NĐ 335/2025 Điều 20 k4 c, Điều 21): flags kept by
classify_frame, month codes carried only onto the same test, the head cap never skipped."""

from __future__ import annotations

import pandas as pd

import evalkit.rules
from evalkit import classify_frame, classify_year

ND335 = evalkit.rules.get("vn.nd335-2025")
UNITS = pd.DataFrame({"unit_id": ["U"], "head_id": [None], "tasks_assigned": [10],
                      "tasks_done": [10]})  # fmt: skip


def _month(period: str, scored: bool, **flags: object) -> pd.DataFrame:
    """X (scored, or on sick leave with no scores) and two colleagues scored 86."""
    top = ND335.full_marks()
    rows = [{"staff_id": s, "unit_id": "U", "period": period, "category": "cong_chuc",
             **top, "so_luong": 80, "chat_luong": 80, "tien_do": 80} for s in ("Y", "Z")]
    x = {"staff_id": "X", "unit_id": "U", "period": period, "category": "cong_chuc",
         **flags}  # fmt: skip
    x.update({**top, "leave": ""} if scored else {"leave": "sick"})
    return pd.DataFrame([*rows, x])


class TestFlagsKept:
    def test_a_discipline_in_a_month_without_scores_makes_the_year_kht(self) -> None:
        """NĐ 335 Điều 20 k4 c: a reprimand recorded in a sick-leave month is in the year."""
        months = [_month("2026-01", False, discipline=1), _month("2026-02", True, discipline=0)]
        staff, units = zip(*(classify_frame(m, UNITS) for m in months), strict=True)
        assert staff[0]["discipline"].tolist() == [0.0, 0.0, 1.0]
        year = classify_year(pd.concat(staff, ignore_index=True),
                             pd.concat(units, ignore_index=True)).set_index("staff_id")  # fmt: skip
        assert year.loc["X", "grade"] == "KHT"
        assert "disqualifier.discipline" in year.loc["X", "reasons"].split(";")

    def test_the_results_keep_only_the_flags_the_input_has_as_read(self) -> None:
        """Named disciplines are read as levels, yes/no flags as booleans."""
        m = _month("2026-02", True, discipline="Khiển trách", discipline_related_to_duty="không")
        staff, _ = classify_frame(m, UNITS)
        assert staff["discipline"].tolist() == [0.0, 0.0, 1.0]
        assert staff["discipline_related_to_duty"].tolist() == [True, True, False]
        assert "party_discipline" not in staff.columns

