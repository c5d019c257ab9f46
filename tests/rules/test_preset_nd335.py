"""vn.nd335-2025: công chức under Nghị định 335/2025/NĐ-CP (domain brief §4.1), the model preset."""

from __future__ import annotations

import datetime as dt

from contract import GENERAL_30, PresetContract, ThanhHoaNoticesContract, decided, quota_cap

from evalkit import Discipline, Grade

FULL = {**GENERAL_30, "so_luong": 100, "chat_luong": 100, "tien_do": 100}
#: General criteria at 28: one point off group a) and one off group b).
GENERAL_28 = {**GENERAL_30, "ky_luat_ky_cuong": 4, "phuc_vu_phoi_hop": 1.5}
MANAGER_FULL = {"ket_qua_linh_vuc": 100, "to_chuc_trien_khai": 100, "tap_hop_doan_ket": 100}


class TestNd335(PresetContract, ThanhHoaNoticesContract):
    """The contract plus the worked examples of domain brief §4.1."""

    RULE_SET_ID = "vn.nd335-2025"
    JURISDICTION = "vn"
    CATEGORIES = ("cong_chuc",)
    EFFECTIVE_FROM = dt.date(2026, 1, 1)
    CLASSIFIED = ("year",)
    FULL_SCORES = FULL

    def test_the_general_criteria_are_the_decrees_three_groups_of_10(self) -> None:
        """NĐ 335/2025 Điều 12 k2: groups a), b), c); 10 points each (practice)."""
        g = self.rs.group("general")
        assert [(s.id, s.maximum) for s in g.sections] == [("a", 10), ("b", 10), ("c", 10)]
        assert sum(c.maximum for c in g.criteria) == 30

    def test_general_28_and_tasks_90_100_80_give_91(self) -> None:
        """NĐ 335/2025 Điều 16 khoản 1: 28 + (90 + 100 + 80) / 3 × 70% = 91 → HTXS band."""
        r = self.score({**GENERAL_28, "so_luong": 90, "chat_luong": 100, "tien_do": 80})
        assert (r.total, r.score_grade) == (91.0, Grade.HTXS)

    def test_a_manager_with_d_50_scores_94_17(self) -> None:
        """NĐ 335/2025 Điều 16 khoản 2: 30 + (5 × 100 + 50) / 6 × 70% = 94.17."""
        r = self.score({**FULL, **MANAGER_FULL, "ket_qua_linh_vuc": 50}, manages=True)
        assert r.total == 94.17

    def test_a_duty_related_reprimand_makes_a_full_score_kht(self) -> None:
        """NĐ 335/2025 Điều 20 k4 c: a reprimand or heavier for a duty-related violation."""
        r = self.score(FULL, discipline=Discipline(1))
        assert (r.total, r.score_grade, decided(r)) == (100.0, Grade.HTXS, Grade.KHT)
        assert "disqualifier.discipline" in [x.code for x in r.reasons]

    def test_a_reprimand_unrelated_to_public_duty_does_not_disqualify(self) -> None:
        """NĐ 335/2025 Điều 20 k4 c counts only violations related to public duty."""
        r = self.score(FULL, discipline=Discipline(1), discipline_related_to_duty=False)
        assert "disqualifier.discipline" not in [x.code for x in r.reasons]

    def test_a_deputy_with_corruption_in_the_body_they_manage_is_kht(self) -> None:
        """NĐ 335/2025 Điều 20 k4 d covers every leadership post, deputies included."""
        cap = next(c for c in self.rs.caps if c.id == "corruption")
        assert (cap.flag, cap.applies_to, cap.enabled) == ("corruption_in_unit", "leaders", True)
        r = self.score({**FULL, **MANAGER_FULL}, manages=True, corruption_in_unit=True)
        assert decided(r) is Grade.KHT
        assert "disqualifier.corruption" in [x.code for x in r.reasons]

    def test_quota_is_20_percent_of_htt_rounded_down_and_25_when_exceptional(self) -> None:
        """NĐ 335/2025 Điều 20 k5 a: 20% of 12 HTT = 2.4 → 2 (floor, §4.6); k5 b: 25% → 3,
        only for a unit the competent level recognises (input ``exceptional``)."""
        q = self.rs.quota
        assert q is not None and q.base == "HTT" and q.grade is Grade.HTXS
        assert (q.raised_percent, q.raised_when) == (25, "exceptional")
        assert quota_cap(q, 12) == 2
        assert quota_cap(q, 12, raised=True) == 3

    def test_nd90_months_worked_rules_are_off(self) -> None:
        """NĐ 335/2025 Điều 21 classifies on the time actually worked: no 6-month minimum."""
        r = self.rs.rollup
        assert (r.method, r.min_months, r.absent_cap, r.maternity_exempt) == (
            "average", 0, False, True)
