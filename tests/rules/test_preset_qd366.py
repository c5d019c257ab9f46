"""vn.qd366-2025: cán bộ under Quy định 366-QĐ/TW (issue 14 point 5; findings §6)."""

from __future__ import annotations

import datetime as dt

from contract import PresetContract

import evalkit
from evalkit import Discipline, Grade

FULL = {"tieu_chi_chung": 30, "ket_qua_nhiem_vu": 70}


class TestQd366(PresetContract):
    """The contract plus Điều 11 of Quy định 366-QĐ/TW."""

    RULE_SET_ID = "vn.qd366-2025"
    JURISDICTION = "vn"
    CATEGORIES = ("can_bo",)
    EFFECTIVE_FROM = dt.date(2025, 8, 30)
    CLASSIFIED = ("year",)
    FULL_SCORES = FULL

    def test_can_bo_have_a_rule_set_in_2026(self) -> None:
        """Issue 14.5: everyone has a rule set; NĐ 335/2025 covers công chức only."""
        assert evalkit.rules.for_period("can_bo", "2026-03").id == self.RULE_SET_ID
        assert evalkit.rules.for_period("cong_chuc", "2026-03").id == "vn.nd335-2025"

    def test_30_general_plus_70_task_points(self) -> None:
        """The appendices' 100-point frame: 30 general + 70 task results (secondary)."""
        r = self.score({"tieu_chi_chung": 27, "ket_qua_nhiem_vu": 63})
        assert dict(r.components) == {"general": 27.0, "tasks": 63.0}
        assert (r.total, r.score_grade) == (90.0, Grade.HTXS)

    def test_the_bands_are_those_of_article_11(self) -> None:
        """QĐ 366-QĐ/TW Điều 11 k1–k3 (verified): 90, 70 to < 90, 50 to < 70."""
        assert {b.grade: (b.source, b.status) for b in self.rs.bands if b.min > 0} == {
            Grade.HTXS: ("QĐ 366-QĐ/TW, Điều 11 k1", "verified"),
            Grade.HTT: ("QĐ 366-QĐ/TW, Điều 11 k2", "verified"),
            Grade.HT: ("QĐ 366-QĐ/TW, Điều 11 k3", "verified"),
        }
        assert self.score({"tieu_chi_chung": 20, "ket_qua_nhiem_vu": 50}).score_grade is Grade.HTT
        assert self.score({"tieu_chi_chung": 20, "ket_qua_nhiem_vu": 49.99}).score_grade \
            is Grade.HT

    def test_a_collective_with_a_disciplined_leadership_member_cannot_be_htxs(self) -> None:
        """Điều 11 k1: 100% done, ≥ 30% exceeded, no subordinate unit or member of the
        leadership collective disciplined (the 366 conditions, on in this Party set)."""
        u = self.rs.units
        assert (u.excellent_tasks_done_percent, u.excellent_exceeded_percent) == (100, 30)
        assert u.excellent_requires_no_discipline is True
        assert u.excellent_requires_no_subunit_kht is False
        assert u.excellent_conditions_source == "QĐ 366-QĐ/TW, Điều 11 k1"

    def test_discipline_is_shipped_off_as_unsourced_for_can_bo(self) -> None:
        """Whether NĐ 90's discipline rule still applies to cán bộ was not found: off."""
        cap = next(c for c in self.rs.caps if c.id == "discipline")
        assert (cap.enabled, cap.status, cap.source) == (False, "unsourced", "")
        r = self.score(FULL, discipline=Discipline(2), party_discipline=True)
        assert "disqualifier.discipline" not in [x.code for x in r.reasons]

    def test_no_quota_is_invented(self) -> None:
        """The Party's HTXS ratio under Quy định 366 was not found: no quota."""
        assert self.rs.quota is None
