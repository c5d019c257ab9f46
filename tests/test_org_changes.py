"""The organisation changing during the year (NĐ 335/2025/NĐ-CP Điều 15 k3, Điều 20, Điều 21;
domain brief §3, §4.5), expectations computed by hand.

Scores: general criteria full (30) + tasks x → 30 + 0.7x for staff; a leader with a, b, c = x,
đ = e = 100 and the computed d: 30 + (3x + 200 + d) / 6 × 70 %. A unit's score is tasks done
÷ assigned."""

from __future__ import annotations

from typing import Any

import pandas as pd

import evalkit
from evalkit import classify_frame, classify_year, rank_units

ND335 = evalkit.rules.get("vn.nd335-2025")
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
TOP, LEAD = ND335.full_marks(), ND335.full_marks(manages_others=True)
del LEAD["ket_qua_linh_vuc"]  # d is computed from the staff under the leader


def _marks(x: float, lead: bool = False) -> dict[str, float]:
    return {**(LEAD if lead else TOP), "so_luong": x, "chat_luong": x, "tien_do": x}


def _year() -> pd.DataFrame:
    """A Sở (SO, head GD) whose units change in July: A dissolved (its head HA a deputy in B,
    A1 to B), C and D merged into the new N (HC heads N, HD staff there), E created; T1 moves
    from B to N in October. B is 8/10 (80, HTT) all year, N 6/10 (60, HT), the rest 10/10."""
    rows: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []

    def add(sid: str, uid: str, p: str, x: float, lead: bool = False) -> None:
        rows.append({"staff_id": sid, "unit_id": uid, "period": p, "manages_others": lead,
                     **_marks(x, lead)})

    for i, p in enumerate(MONTHS, start=1):
        ids = [("SO", None, "GD", 10), ("B", "SO", "HB", 8)]
        ids += ([("A", "SO", "HA", 10), ("C", "SO", "HC", 10), ("D", "SO", "HD", 10)] if i <= 6
                else [("N", "SO", "HC", 6), ("E", "SO", "HE", 10)])  # fmt: skip
        units += [{"unit_id": u, "parent_id": par, "head_id": h, "period": p,
                   "tasks_assigned": 10, "tasks_done": done} for u, par, h, done in ids]
        add("GD", "SO", p, 100, True)
        add("HB", "B", p, 80, True)
        for k in range(5):
            add(f"B{k}", "B", p, 80)
        if i <= 6:
            for h, s, u in (("HA", "A1", "A"), ("HC", "C1", "C"), ("HD", "D1", "D")):
                add(h, u, p, 100, True)
                add(s, u, p, 100)
        else:
            add("HA", "B", p, 100, True)
            add("A1", "B", p, 100)
            add("HC", "N", p, 100, True)
            for s in ("C1", "HD", "D1"):
                add(s, "N", p, 100)
            add("HE", "E", p, 100, True)
            add("E1", "E", p, 100)
        add("T1", "B" if i <= 9 else "N", p, 100)
    staff, unit = classify_frame(pd.DataFrame(rows).assign(category="cong_chuc"),
                                 pd.DataFrame(units))
    return classify_year(staff, unit).set_index("staff_id")


class TestAYearOfMergers:
    def test_each_person_is_classified_by_the_unit_of_their_last_month(self) -> None:
        y = _year()
        assert y["unit_id"].to_dict() == {
            "GD": "SO", "HB": "B", **dict.fromkeys(["B0", "B1", "B2", "B3", "B4"], "B"),
            "HA": "B", "A1": "B", "HC": "N", "C1": "N", "HD": "N", "D1": "N", "T1": "N",
            "HE": "E", "E1": "E"}
        assert y.loc["T1", "months"] == 12 and y.loc["HE", "months"] == 6  # E from July

    def test_the_new_units_head_is_capped_at_its_own_months(self) -> None:
        """N's year is its own months (6/10 = 60: HT), not C's (100): HC is capped at HT; the
        head of the dissolved A, a deputy in B since July, and D's head, staff in N, are not
        heads of their year's unit."""
        y = _year()
        assert (y.loc["HC", "unit_grade"], y.loc["HC", "is_head"]) == ("HT", True)
        assert (y.loc["HC", "total"], y.loc["HC", "grade"]) == (100.0, "HT")
        assert not y.loc["HA", "is_head"] and not y.loc["HD", "is_head"]
        # HB: a = b = c = 80, d = 100 → 30 + (240 + 300) / 6 × 0.7 = 93, capped at B (80: HTT)
        assert (y.loc["HB", "total"], y.loc["HB", "grade"]) == (93.0, "HTT")

    def test_the_quota_counts_the_units_of_the_year(self) -> None:
        """B: HB and B0..B4 rated HTT (6) → at most 1 HTXS (20 %, floor) among HA and A1 (both
        100); N: nobody HTT → no HTXS: C1, HD, D1 and T1 demoted."""
        y = _year()
        b = y[y["unit_id"] == "B"]
        assert (b["proposed_grade"] == "HTT").sum() == 6
        assert sorted(b["grade"][b["proposed_grade"] == "HTXS"]) == ["HTT", "HTXS"]
        assert set(y.loc[["C1", "HD", "D1", "T1"], "grade"]) == {"HTT"}


class TestRankingAUnitThatMoved:
    def test_a_unit_ranks_once_a_year_under_its_last_parent_on_all_its_months(self) -> None:
        """Phòng P under S1 until June (80), under S2 from July (100): its year is (6 × 80 +
        6 × 100) / 12 = 90, ranked among S2's units, after Q (95)."""
        rows = []
        for i, p in enumerate(MONTHS, start=1):
            rows += [{"unit_id": "P", "parent_id": "S1" if i <= 6 else "S2", "period": p,
                      "score": 80.0 if i <= 6 else 100.0},
                     {"unit_id": "Q", "parent_id": "S2", "period": p, "score": 95.0},
                     {"unit_id": "K", "parent_id": "S1", "period": p, "score": 85.0}]
        out = rank_units(pd.DataFrame(rows), to="year", within="parent_id")
        assert out[["unit_id", "parent_id", "points", "rank"]].values.tolist() == [
            ["K", "S1", 85.0, 1], ["Q", "S2", 95.0, 1], ["P", "S2", 90.0, 2]]
