"""Customs (CV 21169/CHQ-TCCB, domain.md §4.4): in a quarter where the unit has late work,
the deputy is not graded above the head. A customs year given as months classifies its
quarters first; the unit's `late_work` of the quarter's months reaches the quarter (from
the unit inputs, from classify_frame's unit results, and from the archive), so the deputy
is capped there and the year counts the capped quarter — at classify_year, Archive.annual
and `evalkit annual` alike (audit 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit.io.archive import Archive
from evalkit.units import classify_frame, classify_year
from tests._cli_helpers import ok

CQ = evalkit.rules.get("vn.customs-2026q")
LATE = (7, 8, 9)  # every month of Q3 has late work; Q4 has none


def _months() -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    """Unit HQ1, head H (tasks 70 %, d computed 100 → 30 + 0.7 × (3 × 70 + 3 × 100) / 6 =
    89.5, HTT), deputy DP (everything 100 → 100, the HTXS band) and ten staff at 70 %
    (30 + 0.7 × 70 = 79, HTT: the quota's base of 20 % of 10 keeps DP)."""
    made = []
    for m in range(7, 13):
        per = f"2026-{m:02d}"
        rows = []
        for s in ["H", "DP", *[f"S{i}" for i in range(10)]]:
            leader = s in ("H", "DP")
            pct = 100 if s == "DP" else 70
            r: dict[str, Any] = {"staff_id": s, "full_name": f"N {s}", "unit_id": "HQ1",
                                 "period": per, "category": "cong_chuc",
                                 **CQ.full_marks(manages_others=leader),
                                 **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), pct)}
            if leader:
                r.pop("ket_qua_linh_vuc", None)  # d: computed from the people led
            r["manages_others"] = s == "DP"
            rows.append(r)
        inputs = pd.DataFrame(rows)
        units = pd.DataFrame([{"unit_id": "HQ1", "name": "Đội", "head_id": "H", "period": per,
                               "tasks_assigned": 10, "tasks_done": 10,
                               "late_work": m in LATE}])  # fmt: skip
        out, ur = classify_frame(inputs, units, CQ)
        made.append((pd.concat([inputs, out[[c for c in out.columns if c not in inputs]]],
                               axis=1), ur, units))  # fmt: skip
    return made


@pytest.fixture(scope="module")
def months() -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    return _months()


def test_the_months_give_the_head_and_deputy_the_totals_by_hand(months: Any) -> None:
    staff = pd.concat([m[0] for m in months], ignore_index=True).set_index("staff_id")
    assert set(staff.loc["H", "total"]) == {89.5}
    assert set(staff.loc["DP", "total"]) == {100.0}


@pytest.mark.parametrize("which", [1, 2], ids=["unit results", "unit inputs"])
def test_the_quarter_caps_the_deputy_at_the_head_where_the_unit_was_late(
    months: Any, which: int
) -> None:
    staff = pd.concat([m[0] for m in months], ignore_index=True)
    units = pd.concat([m[which] for m in months], ignore_index=True)
    q = classify_year(staff, units, to="quarter").set_index(["staff_id", "period"])
    assert q.loc[("H", "2026-Q3"), "grade"] == "HTT"
    assert q.loc[("DP", "2026-Q3"), "grade"] == "HTT"  # capped at the head's HTT
    assert "cap.deputy_head" in q.loc[("DP", "2026-Q3"), "reasons"]
    assert q.loc[("DP", "2026-Q4"), "grade"] == "HTXS"  # no late work: no cap
    assert "cap.deputy_head" not in q.loc[("DP", "2026-Q4"), "reasons"]
    # the year counts one HTXS quarter: HTT (two would make HTXS)
    y = classify_year(staff, units).set_index("staff_id")
    assert (y.loc["DP", "count_xs"], y.loc["DP", "grade"]) == (1, "HTT")


def test_archive_and_cli_annual_count_the_capped_quarter(months: Any, tmp_path: Path) -> None:
    arc = tmp_path / "a.sqlite"
    with Archive(arc) as a:
        for results, ur, ui in months:
            a.finalize(results, by="TCCB", units=ur, unit_inputs=ui)
        an = a.annual(2026).set_index("staff_id")
    assert (an.loc["DP", "count_xs"], an.loc["DP", "annual_grade"]) == (1, "HTT")
    # every month's documents were read (its quarters cap deputies): who manages is right,
    # never a False for a leader (audit 19)
    assert bool(an.loc["DP", "manages_others"]) and not bool(an.loc["S0", "manages_others"])
    ok("annual", "--year", "2026", "--archive", str(arc), "--out", str(tmp_path / "y.csv"))
    cli = pd.read_csv(tmp_path / "y.csv", dtype={"staff_id": str}).set_index("staff_id")
    assert cli.loc["DP", "annual_grade"] == "HTT"


def test_archive_annual_never_shows_a_leader_as_managing_nobody(tmp_path: Path) -> None:
    """NĐ 335 months whose documents the year need not read: `manages_others` is left out
    of the annual rather than shown False for the deputy (audit 19)."""
    nd335 = evalkit.rules.get("vn.nd335-2025")
    rows = [{"staff_id": s, "full_name": s, "unit_id": "U", "period": "2026-03",
             "category": "cong_chuc", **nd335.full_marks(manages_others=s != "S"),
             "manages_others": s == "DP"} for s in ("H", "DP", "S")]  # fmt: skip
    for r in rows:
        if r["staff_id"] != "S":
            r.pop("ket_qua_linh_vuc")  # d: computed
    inputs = pd.DataFrame(rows)
    units = pd.DataFrame([{"unit_id": "U", "name": "U", "head_id": "H", "period": "2026-03"}])
    out, ur = classify_frame(inputs, units, nd335)
    assert out.set_index("staff_id").loc["DP", "manages_others"]
    with Archive(tmp_path / "a.sqlite") as a:
        a.finalize(pd.concat([inputs, out[[c for c in out.columns if c not in inputs]]],
                             axis=1), by="TCCB", units=ur, unit_inputs=units)  # fmt: skip
        an = a.annual(2026).set_index("staff_id")
    if "manages_others" in an.columns:
        assert bool(an.loc["DP", "manages_others"])


def _late_quarter(pct: dict[str, int]) -> pd.DataFrame:
    """Q3, late work every month: head H, deputy DP (their d computed from the people led:
    30 + 0.7 × (3 × tasks + 3 × 100) / 6), the other staff ``pct`` (30 + 0.7 × tasks), the
    quarter classified from the months."""
    staff, units = [], []
    for m in LATE:
        per = f"2026-{m:02d}"
        rows = []
        for s, v in pct.items():
            leader = s in ("H", "DP")
            r: dict[str, Any] = {"staff_id": s, "unit_id": "HQ1", "period": per,
                                 "category": "cong_chuc", "manages_others": leader,
                                 **CQ.full_marks(manages_others=leader),
                                 **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), v)}
            if leader:
                r.pop("ket_qua_linh_vuc")  # d: computed from the people led
            rows.append(r)
        u = pd.DataFrame([{"unit_id": "HQ1", "head_id": "H", "period": per, "tasks_assigned": 10,
                           "tasks_done": 10, "tasks_exceeded": 5, "late_work": True}])  # fmt: skip
        out, ur = classify_frame(pd.DataFrame(rows), u, CQ)
        staff.append(out)
        units.append(ur)
    return classify_year(pd.concat(staff), pd.concat(units), CQ, to="quarter").set_index("staff_id")


def test_the_quota_place_a_capped_deputy_cannot_keep_goes_to_the_head() -> None:
    """Audit af30, revised. H at tasks 90 % → 96.5, deputy DP at 100, five staff at 70 % →
    79 (HTT). The quota keeps 20 % of 5 HTT = 1 HTXS. DP has the higher total, but may not
    be above the head (the unit has late work), so DP holds the place only with H: the pair
    ranks at H's place, H keeps HTXS and DP is the one the quota demotes. Before, DP took
    the place, H was demoted, then DP was capped at H's HTT: the place was lost and the unit
    had no HTXS though one was allowed."""
    q = _late_quarter({"H": 90, "DP": 100, **{f"S{i}": 70 for i in range(5)}})
    assert q.loc["H", "total"] == 96.5 and q.loc["DP", "total"] == 100.0
    assert (q.loc["H", "grade"], q.loc["DP", "grade"]) == ("HTXS", "HTT")
    assert "quota.demoted" in q.loc["DP", "reasons"]
    assert "quota.demoted" not in q.loc["H", "reasons"]
    assert "cap.deputy_head" not in q.loc["DP", "reasons"]
    assert (q.loc["H", "quota_rank"], q.loc["DP", "quota_rank"]) == (1, 2)
    assert (q["grade"] == "HTXS").sum() == q.loc["H", "quota_cap"] == 1


def test_the_place_goes_to_the_next_candidate_above_the_head() -> None:
    """Staff X at 98 % → 98.6 ranks between DP (100) and H (96.5). DP holds a place only
    with H, so the pair ranks at H's place, after X: the one place is X's, H and DP are
    demoted, and the deputy is still not above the head."""
    q = _late_quarter({"H": 90, "DP": 100, "X": 98, **{f"S{i}": 70 for i in range(5)}})
    assert q.loc["X", "total"] == 98.6
    assert q.loc["X", "grade"] == "HTXS"
    assert (q.loc["H", "grade"], q.loc["DP", "grade"]) == ("HTT", "HTT")
    assert q.loc[["X", "H", "DP"], "quota_rank"].tolist() == [1, 2, 3]
    assert (q["grade"] == "HTXS").sum() == 1


def test_with_two_places_head_and_deputy_both_keep_htxs() -> None:
    """Ten staff at 70 % (HTT): 20 % of 10 = 2 places, for H and DP; DP is not above H."""
    q = _late_quarter({"H": 90, "DP": 100, **{f"S{i}": 70 for i in range(10)}})
    assert (q.loc["H", "grade"], q.loc["DP", "grade"]) == ("HTXS", "HTXS")
    assert (q.loc["H", "quota_rank"], q.loc["DP", "quota_rank"]) == (1, 2)
