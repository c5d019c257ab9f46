"""hanoi.3814-2018: Hà Nội's monthly framework, Quyết định 3814-QĐ/TU of 16/5/2018 (§4.3)."""

from __future__ import annotations

import datetime as dt

import pytest
from contract import PresetContract, quota_cap

import evalkit
from evalkit import Grade, ScoreError

FULL = {"ky_luat": 10, "dao_duc": 10, "ket_qua_nhiem_vu": 70}
FULL_WITH_BONUS = {**FULL, "sang_kien": 10}


class TestHanoi3814(PresetContract):
    """The contract plus the Hà Nội examples of domain brief §4.3."""

    RULE_SET_ID = "hanoi.3814-2018"
    JURISDICTION = "vn.hanoi"
    CATEGORIES = ("can_bo", "cong_chuc", "vien_chuc", "hop_dong")
    EFFECTIVE_FROM = dt.date(2018, 6, 1)
    FULL_SCORES = FULL_WITH_BONUS

    def test_20_plus_70_plus_10_is_100(self) -> None:
        """QĐ 3814-QĐ/TU: 20 discipline/ethics + 70 task results + 10 bonus = 100."""
        r = self.score({**FULL, "sang_kien": 6, "thanh_tich": 4})
        assert r.total == 100.0
        assert dict(r.components) == {"discipline": 20.0, "tasks": 70.0, "bonus": 10.0}

    def test_a_bonus_above_10_is_capped_at_10(self) -> None:
        """QĐ 3814-QĐ/TU: the bonus is at most 10 points (8 + 7 counts as 10)."""
        r = self.score({"ky_luat": 10, "dao_duc": 10, "ket_qua_nhiem_vu": 55,
                        "sang_kien": 8, "thanh_tich": 7})  # fmt: skip
        assert r.components["bonus"] == 10.0
        assert r.total == 85.0

    def test_bonus_is_optional_and_counts_as_zero_when_absent(self) -> None:
        """QĐ 3814-QĐ/TU: 20 + 70 without bonus is 90, still grade A."""
        r = self.score(FULL)
        assert (r.total, r.grade) == (90.0, Grade.HTXS)

    def test_a_task_score_above_70_is_refused(self) -> None:
        """QĐ 3814-QĐ/TU: task results carry at most 70 points."""
        with pytest.raises(ScoreError, match="exceeds its maximum 70"):
            self.score({**FULL, "ket_qua_nhiem_vu": 71})

    def test_grades_are_labelled_a_b_c_d(self) -> None:
        """QĐ 3814-QĐ/TU: A ≥ 90, B 70 to < 90, C 50 to < 70, D < 50."""
        labels = {g: self.rs.grade_label(g) for g in Grade}
        assert labels == {Grade.HTXS: "Loại A", Grade.HTT: "Loại B",
                          Grade.HT: "Loại C", Grade.KHT: "Loại D"}  # fmt: skip
        assert self.rs.grade_label(Grade.HTT, "en") == "Grade B"

    def test_89_99_is_b_and_90_is_a(self) -> None:
        """QĐ 3814-QĐ/TU: 'A 90–100, B 70–90' — a total of exactly 90 is A."""
        low = self.score({"ky_luat": 10, "dao_duc": 9.99, "ket_qua_nhiem_vu": 70})
        assert (low.total, self.rs.grade_label(low.grade)) == (89.99, "Loại B")
        assert "Loại B" in low.reasons[0].message_vi

    def test_at_most_30_percent_a_so_20_staff_allow_6(self) -> None:
        """QĐ 3814-QĐ/TU: A ≤ 30% of the staff classified in the unit; 20 staff → 6 A."""
        q = self.rs.quota
        assert q is not None and (q.base, q.percent) == ("classified", 30)
        assert quota_cap(q, 20) == 6

    def test_an_exceptional_unit_allows_40_percent(self) -> None:
        """QĐ 3814-QĐ/TU: an especially outstanding unit 'không nên vượt quá' 40%; 20 → 8."""
        q = self.rs.quota
        assert q is not None and q.percent_if_unit_excellent == 40
        assert quota_cap(q, 20, unit_excellent=True) == 8
        assert "không nên" in q.source

    def test_hanoi_staff_of_every_category_get_the_framework(self) -> None:
        """QĐ 3814-QĐ/TU covers cán bộ, công chức, viên chức and contract staff alike."""
        for cat in self.CATEGORIES:
            assert evalkit.rules.for_period(cat, "2019-05", "vn.hanoi").id == self.RULE_SET_ID

    def test_staff_outside_hanoi_never_get_it(self) -> None:
        """QĐ 3814-QĐ/TU is Hà Nội's: national look-ups in 2026 get the national decrees."""
        assert evalkit.rules.for_period("cong_chuc", "2026-03").id == "vn.nd335-2025"
