"""vn.customs-2026q: the customs sector's quarterly scheme, CV 21169/CHQ-TCCB (§4.4, issue 19)."""

from __future__ import annotations

import datetime as dt

import pytest
from contract import GENERAL_30, PresetContract, quota_cap

import evalkit
from evalkit import Grade, Period

FULL = {**GENERAL_30, "so_luong": 100, "chat_luong": 100, "tien_do": 100}
GENERAL_28 = {**GENERAL_30, "ky_luat_ky_cuong": 4, "phuc_vu_phoi_hop": 1.5}


class TestCustoms2026q(PresetContract):
    """The contract plus the quarterly rules of CV 21169/CHQ-TCCB."""

    RULE_SET_ID = "vn.customs-2026q"
    JURISDICTION = "vn.customs"
    CATEGORIES = ("cong_chuc",)
    EFFECTIVE_FROM = dt.date(2026, 7, 1)
    PERIOD_KIND = "quarter"
    CLASSIFIED = ("quarter", "year")
    FULL_SCORES = FULL

    def test_it_cites_the_customs_letter_as_secondary(self) -> None:
        """Issue 19: Customs Department CV 21169/CHQ-TCCB of 28/8/2026, secondary."""
        rs = self.rs
        assert rs.source == "Cục Hải quan, CV 21169/CHQ-TCCB ngày 28/8/2026"
        assert rs.status == "secondary"
        assert rs.classified_source == "CV 21169/CHQ-TCCB ngày 28/8/2026"

    def test_its_period_is_the_quarter_from_q3_2026(self) -> None:
        """'Từ quý III/2026, kỳ đánh giá, xếp loại ... theo quý' (mục II.4)."""
        assert self.in_force_period() == Period.quarter(2026, 3)
        r = self.score(FULL, period="2026-Q4")
        assert str(r.period) == "2026-Q4"
        assert self.rs.classifies("2026-Q3") and self.rs.classifies("2026")

    def test_a_quarter_is_scored_like_an_nd335_month(self) -> None:
        """CC = 30 + (a+b+c)/3 × 70: 28 + (90 + 100 + 80) / 3 × 70% = 91."""
        r = self.score({**GENERAL_28, "so_luong": 90, "chat_luong": 100, "tien_do": 80})
        assert (r.total, r.score_grade) == (91.0, Grade.HTXS)

    def test_the_year_counts_the_quarters_per_table_c(self) -> None:
        """Year: ≥ 2 KHT → KHT; ≥ 2 HTXS, no KHT → HTXS; ≤ 2 HT and ≤ 1 KHT → HTT."""
        r = self.rs.rollup
        assert (r.method, r.of) == ("count", "quarter")
        assert (r.count_kht_min, r.count_excellent_min) == (2, 2)
        assert (r.count_good_max_ht, r.count_good_max_kht) == (2, 1)

    def test_a_quarter_with_one_month_worked_or_less_is_not_evaluated(self) -> None:
        """Staff who worked ≤ 01 tháng in a quarter are 'chưa đánh giá' that quarter."""
        assert self.rs.rollup.period_short_months == 1.0  # CV 21169: ≤ 1 month
        assert self.rs.rollup.min_months == 0

    def test_head_and_deputy_caps(self) -> None:
        """The head not above the unit; the deputy not above the head when the unit is late."""
        u = self.rs.units
        assert u.head_capped_at_unit and u.deputy_capped_at_head_when_late

    def test_quota_20_percent_and_25_in_special_cases(self) -> None:
        """HTXS ≤ 20% (≤ 25% special, on the explicit ``exceptional`` input)."""
        q = self.rs.quota
        assert q is not None and (q.percent, q.raised_percent) == (20, 25)
        assert q.raised_when == "exceptional"
        assert quota_cap(q, 10) == 2 and quota_cap(q, 12, raised=True) == 3

    def test_the_competent_level_may_lower_but_not_raise_a_grade(self) -> None:
        """'Xếp loại không chỉ theo điểm KPI': lowered with a reason, never raised."""
        c = self.rs.conclusion
        assert (c.above_band, c.requires_reason) == (False, True)

    def test_it_never_takes_over_from_the_national_decree(self) -> None:
        """A sector set, chosen with jurisdiction 'vn.customs': others stay under NĐ 335/2025."""
        assert evalkit.rules.for_period("cong_chuc", "2026-Q3").id == "vn.nd335-2025"
        assert evalkit.rules.for_period("cong_chuc", "2026-Q3", "vn.customs").id == self.RULE_SET_ID
        assert evalkit.rules.for_period("cong_chuc", "2026-Q1", "vn.customs").id == "vn.nd335-2025"

    def test_the_old_example_id_still_answers_with_a_deprecation_warning(self) -> None:
        """Issue 19: vn.quarterly-example keeps working for one release."""
        with pytest.warns(DeprecationWarning, match=r"'vn\.quarterly-example'.*'vn\.customs-2026q'"):
            old = evalkit.rules.get("vn.quarterly-example")
        assert old is self.rs
