"""vn.qd366-2025: cán bộ under Quy định 366-QĐ/TW (issue 14 point 5; findings §6)."""

from __future__ import annotations

import datetime as dt

from contract import PresetContract

import evalkit
from evalkit import Grade

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

    def test_a_duty_related_discipline_or_degradation_makes_the_year_kht(self) -> None:
        """Điều 11 k4 (quoted, secondary): a violation related to the duties disciplined
        from reprimand (administrative or party), or degradation concluded by the competent
        level, is KHT whatever the score; a discipline unrelated to the duties is not."""
        import pandas as pd

        caps = {c.id: c for c in self.rs.caps}
        assert {k: (c.enabled, c.source, c.grade) for k, c in caps.items()} == {
            "degradation": (True, "QĐ 366-QĐ/TW, Điều 11 k4", Grade.KHT),
            "discipline": (True, "QĐ 366-QĐ/TW, Điều 11 k4", Grade.KHT),
        }
        assert caps["discipline"].flag == "duty_any_discipline"
        months = [f"2026-{m:02d}" for m in range(1, 13)]
        people = {"A": {}, "B": {"discipline": 1}, "C": {"party_discipline": True},
                  "D": {"discipline": 2, "discipline_related_to_duty": False},
                  "E": {"degradation": True}}
        rows = [{"staff_id": s, "period": p, "total": 95.0, "category": "can_bo",
                 "discipline": 0, "party_discipline": False, "degradation": False,
                 "discipline_related_to_duty": True, **(f if p == "2026-05" else {})}
                for s, f in people.items() for p in months]
        year = evalkit.rollup_frame(pd.DataFrame(rows), self.RULE_SET_ID).set_index("staff_id")
        assert year["grade"].astype(str).to_dict() == {
            "A": "HTXS", "B": "KHT", "C": "KHT", "D": "HTXS", "E": "KHT"}
        said = year["reasons"].astype(str)
        assert "disqualifier.discipline" in said["B"] and "disqualifier.degradation" in said["E"]

    def test_the_quota_is_article_11_k1_point_1_5(self) -> None:
        """Điều 11 k1 (1.5), quoted by thuvienphapluat.vn (legal-sources §16, af212): HTXS at
        most 20% of those rated HTT, up to 25% where the competent level decides it."""
        q = self.rs.quota
        assert q is not None
        assert (q.grade.code, q.base, q.percent, q.raised_percent, q.raised_when) == (
            "HTXS", "HTT", 20, 25, "exceptional")
        assert (q.source, q.raised_source) == ("QĐ 366-QĐ/TW, Điều 11 k1",) * 2
