"""A quota counted on all the unit's staff (Hà Nội QĐ 3814-QĐ/TU: an outstanding unit may
have "không nên vượt quá 40% tổng số … của cơ quan, đơn vị") counts the members without an
assessment in the object door as a frame counts its rows without scores (audit 9: the object
door counted only the assessed, 40% of 17 = 6 instead of 40% of 20 = 8)."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.model import Assessment, Organisation, Position, Staff, Unit
from evalkit.units import UnitInputs, classify_organisation

HANOI = evalkit.rules.get("hanoi.3814-2018")
PERIOD = "2025-03"


def _org(n: int) -> Organisation:
    ids = ["H"] + [f"S{i:02d}" for i in range(n - 1)]
    return Organisation(units=[Unit("U", "Phòng", head_id="H")],
                        positions=[Position("p", "Chuyên viên")],
                        staff=[Staff(s, s, "p", "U", category="cong_chuc") for s in ids])


@pytest.mark.parametrize(("size", "assessed", "exceptional"),
                         [(20, 17, True), (20, 17, False), (12, 9, True), (7, 7, True)])
def test_the_object_door_counts_the_quota_on_the_same_base_as_the_frame(
        size: int, assessed: int, exceptional: bool) -> None:  # fmt: skip
    org = _org(size)
    ids = [s.id for s in org.staff]
    top = HANOI.full_marks()
    objs = classify_organisation(
        org, [Assessment(s, PERIOD, competent_scores=top) for s in ids[:assessed]],
        [UnitInputs("U", PERIOD, tasks_assigned=10, tasks_done=10, exceptional=exceptional)],
        HANOI)["U"]  # fmt: skip
    rows = [{"staff_id": s, "unit_id": "U", "period": PERIOD, **(top if i < assessed else {})}
            for i, s in enumerate(ids)]
    units = pd.DataFrame([{"unit_id": "U", "head_id": "H", "period": PERIOD,
                           "tasks_assigned": 10, "tasks_done": 10, "exceptional": exceptional}])
    staff, _ = evalkit.classify_frame(pd.DataFrame(rows), units, HANOI)
    base = size if exceptional else assessed  # all staff, else those classified
    cap = int((0.4 if exceptional else 0.3) * base + 1e-9)
    frame_a = int((staff["grade"].astype(str) == "HTXS").sum())
    object_a = sum(r.grade is not None and r.grade.code == "HTXS" for r in objs.staff)
    assert object_a == frame_a == min(cap, assessed)
    (q,) = objs.quotas
    assert (q.cap, q.base_count) == (cap, base)
    # the members without an assessment get no result: they are only counted
    assert sorted(r.staff_id for r in objs.staff) == sorted(ids[:assessed])
