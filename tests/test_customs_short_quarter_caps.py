"""A customs quarter the person worked too little of (CV 21169/CHQ-TCCB: ≤ 1 month) is not
evaluated, but the facts of that quarter still hit the year: a head whose unit had corruption
that quarter (NĐ 335/2025/NĐ-CP Điều 20 k4 d, "trong năm đánh giá") is KHT for the year at
every door. Found by a random run of the door properties (af92, seed 9207): the object door
dropped the fact with the quarter's codes and graded the year HTT."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
from evalkit.units import UnitInputs, classify_frame, rollup, rollup_frame

RS = evalkit.rules.get("vn.customs-2026q")
ORG = evalkit.Organisation(
    units=[evalkit.Unit("U2", "Văn phòng", head_id="S003")],
    positions=[evalkit.Position("P1", "Chuyên viên"),
               evalkit.Position("P2", "Trưởng phòng", manages_others=True)],
    staff=[evalkit.Staff("S003", "Nguyễn Văn A", "P2", "U2"),
           evalkit.Staff("S004", "Trần Thị B", "P1", "U2", manager_id="S003")],
)


def assessment(sid: str, per: str, **kw: object) -> evalkit.Assessment:
    return evalkit.Assessment(sid, per, competent_scores=RS.full_marks(
        manages_others=sid == "S003"), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("corruption", [True, False])
def test_a_short_quarters_cap_reaches_the_year_at_every_door(corruption: bool) -> None:
    results, frames = [], []
    for per, kw in (("2026-Q3", {"months_worked": 0, "corruption_in_unit": corruption}),
                    ("2026-Q4", {})):
        a = [assessment("S003", per, **kw), assessment("S004", per)]
        u = [UnitInputs("U2", per, tasks_assigned=10, tasks_done=10)]
        for c in evalkit.classify_organisation(ORG, a, u, RS).values():
            results += list(c.staff)
        sm, units = evalkit.frames_from_objects(ORG, a, u)
        frames.append(classify_frame(sm, units, RS)[0])
    f = pd.concat(frames, ignore_index=True)
    q3 = next(r for r in results if r.staff_id == "S003" and str(r.period) == "2026-Q3")
    assert q3.total is None and q3.grade is None  # ≤ 1 month worked: not evaluated
    want = ("rollup.period_short", *(("disqualifier.corruption",) if corruption else ()))
    assert q3.reason_codes() == want
    row = f[(f.staff_id == "S003") & (f.period == "2026-Q3")]
    assert row["reasons"].tolist() == [";".join(want)]
    # the year: Q4 at 100 (HTXS), Q3 not evaluated → "≤ 2 HT quarters" → HTT; the
    # corruption in the head's unit in Q3 → KHT
    obj = next(r for r in rollup(results, RS) if r.staff_id == "S003")
    frm = rollup_frame(f, RS).set_index("staff_id").loc["S003"]
    grade = "KHT" if corruption else "HTT"
    assert obj.grade is not None and obj.grade.code == grade
    assert frm["grade"] == grade
    assert ("disqualifier.corruption" in obj.reason_codes()) is corruption
    assert frm["reasons"].split(";") == list(obj.reason_codes())
    # the deputy-free member is untouched: the fact is the head's unit's, not theirs
    other = next(r for r in rollup(results, RS) if r.staff_id == "S004")
    assert "disqualifier.corruption" not in other.reason_codes()
