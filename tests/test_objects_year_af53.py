"""The objects' year (issue 13, "One engine, one answer"; af53).

Phòng K (head H, specialist A), January and February 2026 under NĐ 335/2025: both fully
marked (100), the unit 6 of 10 tasks done (60: HT). By hand the year is H HT — the head not
above the unit's HT (``cap.head_unit``) — and A HTT — 20 % of nobody rated HTT leaves no
HTXS (Điều 20 k5 a, ``quota.demoted``); ``classify_year`` on the frames of the same objects
says so.

Through the objects, ``classify_organisation(org, the months' assessments, the months' unit
inputs, period="2026")`` used to answer a unit with no grade and no member, silently; it now
refuses, naming the months given (the year is ``classify_year``'s).
"""

from __future__ import annotations

import pandas as pd

import evalkit
from evalkit.errors import EvalkitError
from evalkit.units import (
    UnitInputs,
    classify_frame,
    classify_organisation,
    classify_year,
    frames_from_objects,
)

RS = evalkit.rules.get("vn.nd335-2025")
ORG = evalkit.Organisation(
    units=[evalkit.Unit("K", "Phòng K", head_id="H")],
    positions=[evalkit.Position("CV", "Chuyên viên"),
               evalkit.Position("TP", "Trưởng phòng", manages_others=True)],
    staff=[evalkit.Staff("H", "Người H", "TP", "K"), evalkit.Staff("A", "Người A", "CV", "K")],
)  # fmt: skip
MONTHS = ("2026-01", "2026-02")
ASSESSMENTS = [evalkit.Assessment(s, p, competent_scores=RS.full_marks(manages_others=s == "H"))
               for s in "HA" for p in MONTHS]  # fmt: skip
UNIT_INPUTS = [UnitInputs("K", p, tasks_assigned=10, tasks_done=6) for p in MONTHS]


def _frames_year() -> pd.DataFrame:
    sm, units = frames_from_objects(ORG, ASSESSMENTS, UNIT_INPUTS)
    st, ut = classify_frame(sm, units, RS)
    months = pd.concat([sm, st[[c for c in st.columns if c not in sm]]], axis=1)
    return classify_year(months, ut).set_index("staff_id")


def test_the_frames_year_caps_the_head_and_applies_the_quota() -> None:
    year = _frames_year()
    assert year.loc["H", "grade"] == "HT" and "cap.head_unit" in year.loc["H", "reasons"]
    assert year.loc["A", "grade"] == "HTT" and "quota.demoted" in year.loc["A", "reasons"]


def test_classify_organisation_for_the_year_is_the_frames_year_or_refuses() -> None:
    year = _frames_year()
    said = ""
    try:
        by = classify_organisation(ORG, ASSESSMENTS, UNIT_INPUTS, RS, period="2026")
    except EvalkitError as exc:  # a refusal is an answer too, if it names the months
        said = str(exc)
    if said:
        assert "2026-01" in said
        return
    k = by["K"]
    assert {r.staff_id: r.grade.code if r.grade else None for r in k.staff} == \
        year["grade"].to_dict()
    assert k.unit.grade is not None and k.unit.grade.code == "HT"
