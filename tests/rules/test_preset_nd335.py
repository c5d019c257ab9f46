"""vn.nd335-2025: công chức under Nghị định 335/2025/NĐ-CP (domain brief §4.1), the model preset."""

from __future__ import annotations

import datetime as dt

from contract import PresetContract, ThanhHoaNoticesContract, quota_cap

from evalkit import Discipline, Grade

GENERAL_30 = {"chinh_tri": 6, "dao_duc": 6, "tac_phong": 6, "ky_luat": 6, "phuc_vu": 6}
FULL = {**GENERAL_30, "so_luong": 100, "chat_luong": 100, "tien_do": 100}


class TestNd335(PresetContract, ThanhHoaNoticesContract):
    """The contract plus the worked examples of domain brief §4.1."""

    RULE_SET_ID = "vn.nd335-2025"
    JURISDICTION = "vn"
    CATEGORIES = ("cong_chuc",)
    EFFECTIVE_FROM = dt.date(2026, 1, 1)
    FULL_SCORES = FULL

    def test_general_28_and_tasks_90_100_80_give_91(self) -> None:
        """NĐ 335/2025 Điều 16 khoản 1: 28 + (90 + 100 + 80) / 3 × 70% = 91 → HTXS."""
        g28 = {**GENERAL_30, "ky_luat": 5, "phuc_vu": 5}
        r = self.score({**g28, "so_luong": 90, "chat_luong": 100, "tien_do": 80})
        assert (r.total, r.grade) == (91.0, Grade.HTXS)

    def test_a_manager_with_d_50_scores_94_17(self) -> None:
        """NĐ 335/2025 Điều 16 khoản 2: 30 + (5 × 100 + 50) / 6 × 70% = 94.17."""
        mgr = {"ket_qua_linh_vuc": 50, "nang_luc_lanh_dao": 100, "cap_duoi": 100}
        r = self.score({**FULL, **mgr}, manages=True)
        assert r.total == 94.17

    def test_reprimand_makes_a_full_score_kht(self) -> None:
        """NĐ 335/2025 Điều 20 khoản 4 điểm c: discipline of reprimand or heavier → KHT."""
        r = self.score(FULL, discipline=Discipline(1))
        assert (r.total, r.score_grade, r.grade) == (100.0, Grade.HTXS, Grade.KHT)

    def test_quota_is_20_percent_of_htt_rounded_down(self) -> None:
        """NĐ 335/2025 Điều 20 khoản 5 điểm a: 20% of 12 HTT = 2.4 → 2 (floor, §4.6)."""
        q = self.rs.quota
        assert q is not None and q.base == "HTT" and q.grade is Grade.HTXS
        assert quota_cap(q, 12) == 2
        assert quota_cap(q, 12, unit_excellent=True) == 3
