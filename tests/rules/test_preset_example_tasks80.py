"""example.tasks-80: a 20 + 80 example citing no document (formerly haiphong.212-2025, §4.4)."""

from __future__ import annotations

import datetime as dt

import pytest
from contract import PresetContract

import evalkit
from evalkit import Grade

GENERAL_20 = {"chinh_tri": 5, "dao_duc": 5, "tac_phong": 5, "ky_luat": 5}
FULL = {**GENERAL_20, "giao": 25, "hoan_thanh": 25, "dat_chat_luong": 25, "dung_han": 25}


class TestExampleTasks80(PresetContract):
    """The contract plus the 20 + 80 arithmetic of domain brief §4.4."""

    RULE_SET_ID = "example.tasks-80"
    JURISDICTION = "example"
    CATEGORIES = ("cong_chuc",)
    EFFECTIVE_FROM = dt.date(2025, 1, 1)
    CLASSIFIED = ("year",)
    FULL_SCORES = FULL

    def test_it_cites_no_document_and_is_marked_unsourced(self) -> None:
        """Issue 19: the Hải Phòng decision it was named after was not found."""
        rs = self.rs
        assert (rs.status, rs.source) == ("unsourced", "")
        assert all(b.status == "unsourced" and b.source == "" for b in rs.blocks)
        assert "212" not in rs.title_vi and "Hải Phòng" not in rs.title_vi

    def test_20_done_of_25_assigned_gives_20_of_25_quantity_points(self) -> None:
        """Quantity = done ÷ assigned × 25 → 20 ÷ 25 × 25 = 20."""
        r = self.score({**FULL, "hoan_thanh": 20})
        assert r.components["quantity"] == 20.0
        assert r.total == 95.0

    def test_quality_and_timeliness_are_shares_of_the_assigned_work(self) -> None:
        """Quality × 30 and timeliness × 25 of what was assigned."""
        r = self.score({**FULL, "dat_chat_luong": 20, "dung_han": 15})
        assert r.components["quality"] == 24.0
        assert r.components["timeliness"] == 15.0
        assert r.total == 20 + 25 + 24 + 15

    def test_blocks_split_80_task_points_25_30_25(self) -> None:
        """20 general + quantity 25 + quality 30 + timeliness 25."""
        pts = {b.id: (b.kind, b.points) for b in self.rs.blocks}
        assert pts == {"general": ("criteria_sum", 20), "quantity": ("ratio", 25),
                       "quality": ("ratio", 30), "timeliness": ("ratio", 25)}  # fmt: skip

    def test_more_done_than_assigned_is_still_25(self) -> None:
        """A ratio block never exceeds its points."""
        assert self.score({**FULL, "hoan_thanh": 30}).components["quantity"] == 25.0

    def test_a_month_with_nothing_assigned_gets_full_task_points(self) -> None:
        """evalkit's default for ratio blocks (see uncertainties): 0 assigned → full."""
        r = self.score({**GENERAL_20, "giao": 0, "hoan_thanh": 0, "dat_chat_luong": 0,
                        "dung_han": 0})  # fmt: skip
        assert r.total == 100.0

    def test_half_the_work_done_is_in_the_ht_band(self) -> None:
        """With the national bands: 20 + 40 = 60 → HT."""
        half = {**GENERAL_20, "giao": 20, "hoan_thanh": 10, "dat_chat_luong": 10, "dung_han": 10}
        r = self.score(half)
        assert (r.total, r.score_grade) == (60.0, Grade.HT)

    def test_real_staff_never_get_it_by_date(self) -> None:
        """Hải Phòng and national civil servants get NĐ 335/2025; only 'example' gets it."""
        assert evalkit.rules.for_period("cong_chuc", "2026-03", "vn.haiphong").id == "vn.nd335-2025"
        assert evalkit.rules.for_period("cong_chuc", "2026-03").id == "vn.nd335-2025"
        assert evalkit.rules.for_period("cong_chuc", "2026-03", "example").id == self.RULE_SET_ID

    def test_the_old_id_still_answers_with_a_deprecation_warning(self) -> None:
        """Issue 19: a preset id that disappears keeps working for one release."""
        with pytest.warns(DeprecationWarning, match=r"'haiphong\.212-2025'.*'example\.tasks-80'"):
            old = evalkit.rules.get("haiphong.212-2025")
        assert old is self.rs
