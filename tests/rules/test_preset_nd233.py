"""vn.nd233-2026: viên chức under Nghị định 233/2026/NĐ-CP from 2026-07-01 (domain brief §4.2)."""

from __future__ import annotations

import datetime as dt

from contract import PresetContract, ThanhHoaNoticesContract, quota_cap

import evalkit
from evalkit import Discipline, Grade

GENERAL_30 = {"chinh_tri": 6, "dao_duc": 6, "tac_phong": 6, "ky_luat": 6, "phuc_vu": 6}
FULL = {**GENERAL_30, "so_luong": 100, "chat_luong": 100, "tien_do": 100}


class TestNd233(PresetContract, ThanhHoaNoticesContract):
    """The contract plus the rules of domain brief §4.2 (NĐ 233/2026/NĐ-CP)."""

    RULE_SET_ID = "vn.nd233-2026"
    JURISDICTION = "vn"
    CATEGORIES = ("vien_chuc",)
    EFFECTIVE_FROM = dt.date(2026, 7, 1)
    FULL_SCORES = FULL

    def test_it_follows_nd90_without_gap_or_overlap(self) -> None:
        """NĐ 233/2026 replaces NĐ 90/2020 for viên chức on 2026-07-01 (domain brief §4.2)."""
        old = evalkit.rules.get("vn.nd90-2020")
        assert old.effective_to == self.EFFECTIVE_FROM - dt.timedelta(days=1)
        assert evalkit.rules.for_period("vien_chuc", "2026-06").id == "vn.nd90-2020"
        assert evalkit.rules.for_period("vien_chuc", "2026-07").id == self.RULE_SET_ID

    def test_a_vien_chuc_month_is_scored_under_it_without_naming_it(self) -> None:
        """NĐ 233/2026: a September 2026 month of a viên chức gets this set automatically."""
        a = evalkit.Assessment("VC-1", "2026-09", manager_scores=FULL)
        assert evalkit.score(a, category="vien_chuc").rule_set_id == self.RULE_SET_ID

    def test_general_28_and_tasks_90_100_80_give_91_as_under_nd335(self) -> None:
        """NĐ 233/2026 (structure mirrors NĐ 335/2025 Điều 16): 28 + 63 = 91 → HTXS."""
        g28 = {**GENERAL_30, "ky_luat": 5, "phuc_vu": 5}
        r = self.score({**g28, "so_luong": 90, "chat_luong": 100, "tien_do": 80})
        assert (r.total, r.grade) == (91.0, Grade.HTXS)

    def test_two_major_errors_halve_quality(self) -> None:
        """NĐ 233/2026 (mirroring NĐ 335/2025 Điều 14 k2 b): two errors → quality 50%."""
        r = self.score({**FULL, "loi_chat_luong": 2})
        assert r.total == 30 + round((100 + 50 + 100) / 3 * 0.7, 2)

    def test_discipline_makes_kht_whatever_the_score(self) -> None:
        """NĐ 233/2026 (as NĐ 90 Điều 2 k5 a, NĐ 48/2023): disciplined in the year → KHT."""
        r = self.score(FULL, discipline=Discipline(1))
        assert r.grade is Grade.KHT

    def test_quota_is_20_percent_of_htt_or_25_where_the_unit_is_excellent(self) -> None:
        """NĐ 233/2026 (domain brief §4.2): HTXS ≤ 20% of HTT, 25% if the unit is HTXS."""
        q = self.rs.quota
        assert q is not None and (q.base, q.percent, q.percent_if_unit_excellent) == ("HTT", 20, 25)
        assert quota_cap(q, 10) == 2
        assert quota_cap(q, 12, unit_excellent=True) == 3

    def test_unit_htxs_conditions_are_those_of_the_decree(self) -> None:
        """NĐ 233/2026 (domain brief §4.2): unit HTXS needs ≥ 90, 100% done, ≥ 30% exceeded."""
        u = self.rs.units
        assert u.excellent_min_score == 90
        assert u.excellent_tasks_done_percent == 100
        assert u.excellent_exceeded_percent == 30
        assert u.excellent_requires_no_subunit_kht is True

    def test_a_parent_of_fewer_than_5_units_rates_at_most_one_htxs(self) -> None:
        """NĐ 233/2026 (domain brief §4.2): fewer than 5 units → at most one unit HTXS."""
        u = self.rs.units
        assert (u.small_parent_threshold, u.small_parent_max_excellent) == (5, 1)

    def test_the_head_is_capped_at_the_unit(self) -> None:
        """NĐ 233/2026 Điều 12 khoản 7 (per secondary source): head not above the unit."""
        assert self.rs.units.head_capped_at_unit is True
        assert "Điều 12 khoản 7" in self.rs.units.source

    def test_the_year_is_the_average_of_the_months(self) -> None:
        """NĐ 233/2026 (domain brief §4.2): annual score = average of monthly scores."""
        r = self.rs.rollup
        assert (r.method, r.of) == ("average", "month")
        assert r.discipline_grade is Grade.KHT and r.absent_cap_grade is Grade.HT
