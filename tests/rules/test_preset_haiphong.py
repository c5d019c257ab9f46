"""haiphong.212-2025: Hải Phòng's 20 + 80 scheme, QĐ 212/2025 (domain brief §4.4)."""

from __future__ import annotations

import datetime as dt

from contract import PresetContract

import evalkit
from evalkit import Grade

GENERAL_20 = {"chinh_tri": 5, "dao_duc": 5, "tac_phong": 5, "ky_luat": 5}
FULL = {**GENERAL_20, "giao": 25, "hoan_thanh": 25, "dat_chat_luong": 25, "dung_han": 25}


class TestHaiphong212(PresetContract):
    """The contract plus the Hải Phòng examples of domain brief §4.4."""

    RULE_SET_ID = "haiphong.212-2025"
    JURISDICTION = "vn.haiphong"
    CATEGORIES = ("cong_chuc",)
    EFFECTIVE_FROM = dt.date(2025, 1, 1)
    FULL_SCORES = FULL

    def test_20_done_of_25_assigned_gives_20_of_25_quantity_points(self) -> None:
        """Hải Phòng QĐ 212/2025: quantity = done ÷ assigned × 25 → 20 ÷ 25 × 25 = 20."""
        r = self.score({**FULL, "hoan_thanh": 20})
        assert r.components["quantity"] == 20.0
        assert r.total == 95.0

    def test_quality_and_timeliness_are_shares_of_the_assigned_work(self) -> None:
        """Hải Phòng QĐ 212/2025: quality × 30 and timeliness × 25 of what was assigned."""
        r = self.score({**FULL, "dat_chat_luong": 20, "dung_han": 15})
        assert r.components["quality"] == 24.0
        assert r.components["timeliness"] == 15.0
        assert r.total == 20 + 25 + 24 + 15

    def test_blocks_split_80_task_points_25_30_25(self) -> None:
        """Hải Phòng QĐ 212/2025: 20 general + quantity 25 + quality 30 + timeliness 25."""
        pts = {b.id: (b.kind, b.points) for b in self.rs.blocks}
        assert pts == {"general": ("criteria_sum", 20), "quantity": ("ratio", 25),
                       "quality": ("ratio", 30), "timeliness": ("ratio", 25)}  # fmt: skip

    def test_more_done_than_assigned_is_still_25(self) -> None:
        """Hải Phòng QĐ 212/2025: a ratio block never exceeds its points."""
        assert self.score({**FULL, "hoan_thanh": 30}).components["quantity"] == 25.0

    def test_a_month_with_nothing_assigned_gets_full_task_points(self) -> None:
        """Hải Phòng QĐ 212/2025 (evalkit default, see uncertainties): 0 assigned → full."""
        r = self.score({**GENERAL_20, "giao": 0, "hoan_thanh": 0, "dat_chat_luong": 0,
                        "dung_han": 0})  # fmt: skip
        assert r.total == 100.0

    def test_half_the_work_done_is_ht(self) -> None:
        """Hải Phòng QĐ 212/2025 with the national bands: 20 + 40 = 60 → HT."""
        half = {**GENERAL_20, "giao": 20, "hoan_thanh": 10, "dat_chat_luong": 10, "dung_han": 10}
        r = self.score(half)
        assert (r.total, r.grade) == (60.0, Grade.HT)

    def test_hai_phong_civil_servants_get_it_and_others_the_national_decree(self) -> None:
        """Hải Phòng QĐ 212/2025 applies in vn.haiphong only; elsewhere NĐ 335/2025."""
        assert (
            evalkit.rules.for_period("cong_chuc", "2026-03", "vn.haiphong").id == self.RULE_SET_ID
        )
        assert evalkit.rules.for_period("cong_chuc", "2026-03", "vn").id == "vn.nd335-2025"
