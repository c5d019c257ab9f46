"""vn.nd90-2020: viên chức under Nghị định 90/2020/NĐ-CP as amended by NĐ 48/2023/NĐ-CP."""

from __future__ import annotations

import datetime as dt

from contract import GENERAL_30 as GENERAL_335
from contract import PresetContract, ThanhHoaNoticesContract, decided, quota_cap

import evalkit
from evalkit import Discipline, Grade

GENERAL_30 = {"chinh_tri": 7.5, "dao_duc": 7.5, "tac_phong": 7.5, "ky_luat": 7.5}
FULL = {**GENERAL_30, "so_luong": 100, "chat_luong": 100, "tien_do": 100}


class TestNd90(PresetContract, ThanhHoaNoticesContract):
    """The contract plus NĐ 90/2020's rules as far as the monthly translation carries them."""

    RULE_SET_ID = "vn.nd90-2020"
    JURISDICTION = "vn"
    CATEGORIES = ("vien_chuc",)
    EFFECTIVE_FROM = dt.date(2020, 8, 20)
    EFFECTIVE_TO = dt.date(2026, 6, 30)
    CLASSIFIED = ("year",)
    FULL_SCORES = FULL

    def test_august_2020_is_not_a_whole_month_in_force(self) -> None:
        """NĐ 90/2020 took effect 20/8/2020: the first whole month in force is September 2020."""
        assert not self.rs.in_force("2020-08")
        assert self.rs.in_force("2020-09")
        assert self.in_force_period() == evalkit.Period.parse("2020-09")

    def test_a_vien_chuc_month_in_march_2026_is_scored_under_it(self) -> None:
        """NĐ 90/2020 applies to viên chức until NĐ 233/2026 takes over on 2026-07-01."""
        a = evalkit.Assessment("VC-1", "2026-03", manager_scores=FULL)
        assert evalkit.score(a, category="vien_chuc").rule_set_id == self.RULE_SET_ID

    def test_general_criteria_are_the_four_of_article_3(self) -> None:
        """NĐ 90/2020 Điều 3 khoản 1–4: political stance, ethics, style, discipline."""
        ids = [c.id for c in self.rs.group("general").criteria]
        assert ids == ["chinh_tri", "dao_duc", "tac_phong", "ky_luat"]

    def test_tasks_80_percent_with_full_general_is_in_the_htt_band(self) -> None:
        """NĐ 90/2020 Điều 13 (translated): 30 + 80% × 70 = 86 → HTT band."""
        r = self.score({**GENERAL_30, "so_luong": 80, "chat_luong": 80, "tien_do": 80})
        assert (r.total, r.score_grade) == (86.0, Grade.HTT)

    def test_a_manager_averages_five_components(self) -> None:
        """NĐ 90/2020 Điều 12 khoản 2 (translated): (a+b+c+unit+sub-units)/5 × 70%."""
        r = self.score({**FULL, "ket_qua_don_vi": 50, "don_vi_cap_duoi": 100}, manages=True)
        assert r.total == 30 + 63.0

    def test_a_party_reprimand_in_the_year_makes_kht(self) -> None:
        """NĐ 90/2020 Điều 2 k5 a (NĐ 48/2023): a party discipline alone → KHT."""
        r = self.score(FULL, party_discipline=True, period="2024-03")
        assert (r.score_grade, decided(r)) == (Grade.HTXS, Grade.KHT)
        assert "disqualifier.discipline" in [x.code for x in r.reasons]

    def test_any_administrative_discipline_counts_even_unrelated_to_duty(self) -> None:
        """NĐ 90/2020 Điều 2 k5 a is broader than NĐ 335 Điều 20 k4 c: any discipline."""
        r = self.score(FULL, discipline=Discipline(1), discipline_related_to_duty=False,
                       period="2024-03")  # fmt: skip
        assert decided(r) is Grade.KHT
        cap = next(c for c in self.rs.caps if c.id == "discipline")
        assert (cap.flag, cap.status, cap.enabled) == ("any_discipline", "verified", True)
        assert cap.source == "NĐ 90/2020/NĐ-CP, Điều 2 k5 a, bổ sung bởi NĐ 48/2023/NĐ-CP"

    def test_a_party_reprimand_disqualifies_a_cong_chuc_under_nd335_only_for_duty(self) -> None:
        """Contrast: NĐ 335/2025 Điều 20 k4 c counts a discipline of either kind, the party's
        too (af158), but only for a violation related to public duty; NĐ 90 counts any."""
        marks = {**GENERAL_335, "so_luong": 100, "chat_luong": 100, "tien_do": 100}
        codes = {}
        for related in (True, False):
            a = evalkit.Assessment("CC-1", "2026-03", party_discipline=True,
                                   discipline_related_to_duty=related, manager_scores=marks)
            r = evalkit.score(a, rules="vn.nd335-2025", category="cong_chuc")
            codes[related] = "disqualifier.discipline" in [x.code for x in r.reasons]
        assert codes == {True: True, False: False}

    def test_a_manager_with_corruption_in_the_unit_is_kht(self) -> None:
        """NĐ 90/2020 Điều 15 k2 d (Japanese translation): viên chức quản lý."""
        cap = next(c for c in self.rs.caps if c.id == "corruption")
        assert cap.applies_to == "leaders"
        r = self.score({**FULL, "ket_qua_don_vi": 100, "don_vi_cap_duoi": 100}, manages=True,
                       corruption_in_unit=True)  # fmt: skip
        assert decided(r) is Grade.KHT

    def test_unit_conditions_mirror_the_manager_htxs_criteria(self) -> None:
        """NĐ 90/2020 Điều 12 khoản 2: the unit led at 100% of tasks with ≥ 50% exceeded."""
        u = self.rs.units
        assert (u.excellent_tasks_done_percent, u.excellent_exceeded_percent) == (100, 50)
        assert u.excellent_requires_no_subunit_kht and u.head_capped_at_unit

    def test_quota_is_capped_at_20_percent_of_htt(self) -> None:
        """NĐ 90/2020 Điều 2 khoản 6 (NĐ 48/2023): HTXS ≤ the party's ratio, 20% of HTT."""
        q = self.rs.quota
        assert q is not None and q.percent == 20 and q.raised_percent is None
        assert quota_cap(q, 12) == 2

    def test_months_worked_rules_are_those_of_article_2(self) -> None:
        """NĐ 90/2020 Điều 2 khoản 3: < 6 months not classified (maternity excepted);
        absent 3 to < 6 months → at most HT."""
        r = self.rs.rollup
        assert (r.min_months, r.maternity_exempt, r.absent_cap) == (6, True, True)
        assert (r.absent_cap_min_months, r.absent_cap_max_months) == (3, 6)
        assert r.absent_cap_grade is Grade.HT
        assert (r.source, r.status) == ("NĐ 90/2020/NĐ-CP, Điều 2 k3", "verified")
