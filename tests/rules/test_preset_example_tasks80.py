"""example.tasks-80: a 20 + 80 example citing no document (formerly haiphong.212-2025, §4.4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
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
        """Quantity = done ÷ assigned × 25 → 20 ÷ 25 × 25 = 20 (the 20 done all to quality
        and on time: 20 ÷ 25 × 30 = 24, 20 ÷ 25 × 25 = 20)."""
        r = self.score({**FULL, "hoan_thanh": 20, "dat_chat_luong": 20, "dung_han": 20})
        assert r.components["quantity"] == 20.0
        assert r.total == 20 + 20 + 24 + 20

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

    def test_a_month_with_nothing_assigned_is_not_evaluated(self) -> None:
        """Domain brief §4.1: an empty denominator (nothing assigned) → "not evaluated",
        never 100 (the products table gives NaN too); in every door."""
        empty = {**GENERAL_20, "giao": 0, "hoan_thanh": 0, "dat_chat_luong": 0, "dung_han": 0}
        r = evalkit.score(evalkit.Assessment("A", "2026-03", manager_scores=empty),
                          rules=self.rs)  # fmt: skip
        assert (r.total, r.grade) == (None, None)
        # scored, nothing assigned: not "nobody scored them" (af139), in both doors
        assert [x.code for x in r.reasons] == ["not_evaluated.nothing_assigned"]
        frame = pd.DataFrame([{"staff_id": "A", "period": "2026-03", "unit_id": "U", **empty},
                              {"staff_id": "B", "period": "2026-03", "unit_id": "U", **FULL}])
        out = evalkit.score_frame(frame, self.rs)
        assert np.isnan(out["total"].iloc[0]) and out["total"].iloc[1] == 100.0
        assert out["reasons"].astype(str).iloc[0] == "not_evaluated.nothing_assigned"
        staff, _u = evalkit.classify_frame(frame, pd.DataFrame({"unit_id": ["U"]}), self.rs)
        assert pd.isna(staff["grade"].iloc[0]) and staff["reasons"].iloc[0] == \
            "not_evaluated.nothing_assigned"
        b = next(x for x in self.rs.blocks if x.id == "quantity")
        assert b.params["empty"] == "not_evaluated"

    def test_nothing_assigned_is_not_evaluated_whatever_else_is_blank(self) -> None:
        """Nothing assigned, and a general criterion left blank: the person is not evaluated
        (domain brief §4.1), in both doors; before, ``score`` refused the blank criterion
        where ``score_frame`` said "not evaluated"."""
        empty = {"dao_duc": 4, "tac_phong": 4, "ky_luat": 4, "giao": 0, "hoan_thanh": 0,
                 "dat_chat_luong": 0, "dung_han": 0}  # chinh_tri left blank
        r = evalkit.score(evalkit.Assessment("A", "2026-03", manager_scores=empty),
                          rules=self.rs)  # fmt: skip
        assert (r.total, [x.code for x in r.reasons]) == (None, ["not_evaluated.nothing_assigned"])
        out = evalkit.score_frame(pd.DataFrame([{"staff_id": "A", "period": "2026-03", **empty}]),
                                  self.rs)  # fmt: skip
        assert np.isnan(out["total"].iloc[0])
        assert out["reasons"].astype(str).iloc[0] == "not_evaluated.nothing_assigned"
        with pytest.raises(evalkit.ScoreError, match="'chinh_tri' has no score"):
            evalkit.score(evalkit.Assessment("A", "2026-03", manager_scores={
                **empty, "giao": 2, "hoan_thanh": 2, "dat_chat_luong": 2, "dung_han": 2}),
                rules=self.rs)  # something assigned: the blank criterion is refused

    @pytest.mark.parametrize("field", ["dat_chat_luong", "dung_han"])
    def test_more_done_to_quality_or_on_time_than_done_is_refused(self, field: str) -> None:
        """9 done to quality (or on time) of 5 done cannot be: bad input, located."""
        bad = {**GENERAL_20, "giao": 10, "hoan_thanh": 5, "dat_chat_luong": 5, "dung_han": 5,
               field: 9}
        with pytest.raises(evalkit.ScoreError, match=rf"^criterion '{field}' score 9 is above "
                           r"'hoan_thanh' \(5\) \(staff 'T-1', 2025-01, manager_scores\)$"):
            self.score(bad)
        frame = pd.DataFrame([{"staff_id": "A", "period": "2026-03", **FULL},
                              {"staff_id": "B", "period": "2026-03", **bad},
                              {"staff_id": "C", "period": "2026-03", **bad, "dung_han": 7,
                               "dat_chat_luong": 6}])
        with pytest.raises(evalkit.InputError) as exc:
            evalkit.score_frame(frame, self.rs)
        got = [(p.row, p.column, p.value) for p in exc.value.problems]
        assert (1, field, 9.0) in got  # the row, the column and the value
        assert (2, "dat_chat_luong", 6.0) in got and (2, "dung_han", 7.0) in got  # all at once
        assert len(got) == 3

    def test_as_many_done_to_quality_as_done_is_fine(self) -> None:
        r = self.score({**GENERAL_20, "giao": 10, "hoan_thanh": 5, "dat_chat_luong": 5,
                        "dung_han": 5})  # fmt: skip
        assert r.total == 20 + 12.5 + 15 + 12.5

    def test_the_bound_is_rule_data(self) -> None:
        crit = {c.id: c for c in self.rs.criteria()}
        assert crit["dat_chat_luong"].at_most == crit["dung_han"].at_most == "hoan_thanh"
        assert crit["hoan_thanh"].at_most is None and crit["giao"].at_most is None

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


class TestTheBoundsInRuleFiles:
    """``at_most`` and ``empty = "not_evaluated"`` are rule data, checked like the rest."""

    def _data(self) -> dict[str, Any]:
        from pathlib import Path

        from evalkit.rules._schema import load_rule_data

        return load_rule_data(Path(evalkit.rules.get("example.tasks-80").path or ""))

    def test_every_problem_is_reported_at_once(self) -> None:
        from evalkit.errors import RuleSetError
        from evalkit.rules._schema import validate_rule_set

        data = self._data()
        crits = data["groups"][1]["criteria"]
        crits[2]["at_most"] = "hoan_thanhh"  # a typo
        crits[3]["at_most"] = "chinh_tri"  # points, not a count
        data["blocks"][1]["empty"] = "chua_danh_gia"
        with pytest.raises(RuleSetError) as exc:
            validate_rule_set(data, source="x.toml")
        text = str(exc.value)
        for part in ("groups[1].criteria[2].at_most", "'hoan_thanhh'", "did you mean 'hoan_thanh'",
                     "groups[1].criteria[3].at_most", "blocks[1].empty"):
            assert part in text, (part, text)

    def test_a_file_without_them_keeps_the_old_arithmetic(self) -> None:
        from evalkit.rules._schema import validate_rule_set

        data = self._data()
        for b in data["blocks"]:
            b.pop("empty", None)
        for c in data["groups"][1]["criteria"]:
            c.pop("at_most", None)
        rs = validate_rule_set(data, source="x.toml")
        r = evalkit.score(evalkit.Assessment("A", "2026-03", manager_scores={
            **GENERAL_20, "giao": 0, "hoan_thanh": 0, "dat_chat_luong": 3, "dung_han": 0}),
            rules=rs)  # fmt: skip
        assert r.total == 100.0  # full points with nothing assigned: the default
