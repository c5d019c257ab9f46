"""vn.quarterly-example: a customs-style quarterly scheme (domain brief §4.4)."""

from __future__ import annotations

import datetime as dt

from contract import PresetContract

import evalkit
from evalkit import Grade, Period

GENERAL_30 = {"chinh_tri": 6, "dao_duc": 6, "tac_phong": 6, "ky_luat": 6, "phuc_vu": 6}
FULL = {**GENERAL_30, "so_luong": 100, "chat_luong": 100, "tien_do": 100}


class TestQuarterlyExample(PresetContract):
    """The contract plus the quarterly roll-up and head cap of domain brief §4.4."""

    RULE_SET_ID = "vn.quarterly-example"
    JURISDICTION = "vn.customs-example"
    CATEGORIES = ("cong_chuc",)
    EFFECTIVE_FROM = dt.date(2026, 1, 1)
    PERIOD_KIND = "quarter"
    FULL_SCORES = FULL

    def test_its_period_is_the_quarter(self) -> None:
        """Customs-style scheme (§4.4): one evaluation per quarter."""
        assert self.in_force_period() == Period.quarter(2026, 1)
        r = self.score(FULL, period="2026-Q2")
        assert str(r.period) == "2026-Q2"

    def test_a_quarter_is_scored_like_an_nd335_month(self) -> None:
        """As NĐ 335/2025 Điều 16 khoản 1: 28 + (90 + 100 + 80) / 3 × 70% = 91."""
        g28 = {**GENERAL_30, "ky_luat": 5, "phuc_vu": 5}
        r = self.score({**g28, "so_luong": 90, "chat_luong": 100, "tien_do": 80})
        assert (r.total, r.grade) == (91.0, Grade.HTXS)

    def test_the_year_counts_quarters(self) -> None:
        """Customs-style (§4.4): year HTXS with ≥ 2 HTXS quarters and no KHT; KHT with ≥ 2 KHT."""
        r = self.rs.rollup
        assert (r.method, r.of) == ("count", "quarter")
        assert (r.count_excellent_min, r.count_kht_min) == (2, 2)

    def test_the_head_is_capped_at_the_unit_each_quarter(self) -> None:
        """Customs-style (§4.4): the head's grade may not exceed the unit's, every quarter."""
        assert self.rs.units.head_capped_at_unit is True

    def test_it_never_takes_over_from_the_national_decree(self) -> None:
        """The example has its own jurisdiction: national công chức stay under NĐ 335/2025."""
        assert evalkit.rules.for_period("cong_chuc", "2026-Q1").id == "vn.nd335-2025"
