"""hanoi.3814-2018: Hà Nội's monthly framework, Quyết định 3814-QĐ/TU of 16/5/2018 (§4.3)."""

from __future__ import annotations

import datetime as dt

import pytest
from contract import PresetContract, counted_by, quota_cap

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
    CLASSIFIED = ("month", "year")
    FULL_SCORES = FULL_WITH_BONUS

    def test_months_are_graded_and_the_quota_is_monthly(self) -> None:
        """QĐ 3814-QĐ/TU is a monthly framework: monthly grades with a monthly quota."""
        assert self.rs.classifies("2026-03")
        q = self.rs.quota
        assert q is not None and q.periods == ("month",)
        assert self.rs.quota_applies("2026-03") and not self.rs.quota_applies("2026")

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
        assert (r.total, r.score_grade) == (90.0, Grade.HTXS)

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
        assert low.grade is Grade.HTT  # the month is classified under QĐ 3814
        assert (low.total, self.rs.grade_label(low.grade)) == (89.99, "Loại B")
        assert self.score(FULL).grade is Grade.HTXS
        assert "Loại B" in low.reasons[0].message_vi

    def test_at_most_30_percent_of_those_classified_so_20_staff_allow_6(self) -> None:
        """QĐ 3814-QĐ/TU: 'không quá 30% tổng số ... được xếp loại'; 20 classified → 6 A."""
        q = self.rs.quota
        assert q is not None and (q.base, q.percent) == ("classified", 30)
        assert quota_cap(q, 20) == 6

    def test_20_staff_with_3_not_classified_allow_5_a(self) -> None:
        """Issue 19: the 30% counts those classified: 30% of 17 = 5.1 → 5."""
        q = self.rs.quota
        assert q is not None
        staff = ["HTXS"] * 10 + ["HTT"] * 7 + [None] * 3
        assert counted_by(q.base, staff) == 17
        assert quota_cap(q, staff) == 5

    def test_an_exceptional_unit_of_20_staff_allows_8_counted_on_all_staff(self) -> None:
        """QĐ 3814-QĐ/TU: an especially outstanding collective 'không nên vượt quá' 40% of
        all staff of the unit (classified or not); 20 staff, 3 not classified → 8."""
        q = self.rs.quota
        assert q is not None
        assert (q.raised_percent, q.raised_base, q.raised_when) == (40, "all_staff", "exceptional")
        staff = ["HTXS"] * 10 + ["HTT"] * 7 + [None] * 3
        assert quota_cap(q, staff, raised=True) == 8
        assert "không nên vượt quá" in q.note

    def test_the_40_percent_is_never_triggered_by_a_score(self) -> None:
        """The competent level recognises the unit (input ``exceptional``), not a unit score."""
        q = self.rs.quota
        assert q is not None and q.raised_when != "unit_excellent"

    def test_the_bonus_content_is_marked_as_placeholders(self) -> None:
        """The source gives 10 bonus points but not what earns them (issue 19)."""
        assert any("content" in u and "bonus" in u for u in self.rs.uncertainties)
        block = next(b for b in self.rs.blocks if b.id == "bonus")
        assert block.status == "secondary" and "placeholder" in block.note

    def test_a_possible_successor_regulation_is_recorded(self) -> None:
        """A later Thành ủy monthly regulation (2021–2022) may have replaced QĐ 3814."""
        assert self.rs.effective_to is None
        assert any("QĐ 3251" in u for u in self.rs.uncertainties)

    def test_hanoi_staff_of_every_category_get_the_framework(self) -> None:
        """QĐ 3814-QĐ/TU covers cán bộ, công chức, viên chức and contract staff alike."""
        for cat in self.CATEGORIES:
            assert evalkit.rules.for_period(cat, "2019-05", "vn.hanoi").id == self.RULE_SET_ID

    def test_staff_outside_hanoi_never_get_it(self) -> None:
        """QĐ 3814-QĐ/TU is Hà Nội's: national look-ups in 2026 get the national decrees."""
        assert evalkit.rules.for_period("cong_chuc", "2026-03").id == "vn.nd335-2025"
