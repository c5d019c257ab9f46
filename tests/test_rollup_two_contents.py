"""The roll-up of periods kept under two contents of one rule set id (a preset amended
within the year, as the archive hands its months over: each earlier month's rows name
their own content by their own key in ``attrs["rule_sets"]``): each period is read under
its own content, and the year is classified under the content of the latest period of
that id — the one in force at the year's end (NĐ 335/2025/NĐ-CP, Điều 21)."""

from __future__ import annotations

import attrs
import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import evalkit
from evalkit.rules import RuleSet
from evalkit.rules.blocks import band_codes
from evalkit.units import classify_year, rollup_frame

ND335 = evalkit.rules.get("vn.nd335-2025")
GRADES = {3: "HTXS", 2: "HTT", 1: "HT", 0: "KHT"}


def _amended(rs: RuleSet, excellent_from: float) -> RuleSet:
    """``rs`` with HTXS from ``excellent_from`` (HTT up to it): another content, same id."""
    return attrs.evolve(rs, bands=tuple(
        attrs.evolve(b, min=excellent_from) if b.grade.name == "HTXS"
        else attrs.evolve(b, max=excellent_from) if b.grade.name == "HTT" else b
        for b in rs.bands))  # fmt: skip


@given(totals=st.lists(st.floats(50, 100).map(lambda x: round(x, 2)), min_size=2, max_size=12),
       cut=st.integers(1, 11), excellent_from=st.sampled_from([85.0, 95.0, 99.0]),
       later_first=st.booleans())  # fmt: skip
def test_the_year_is_banded_by_the_latest_periods_content(
        totals: list[float], cut: int, excellent_from: float, later_first: bool) -> None:  # fmt: skip
    """Months 1 .. cut-1 under the preset, the rest under its amended content (HTXS from
    ``excellent_from``): the year's total is the months' mean and its band the amended
    content's — whatever order the rows come in; so says classify_year."""
    cut = min(cut, len(totals) - 1)
    months = [f"2026-{m:02d}" for m in range(1, len(totals) + 1)]
    key = f"{ND335.id}@{months[cut - 1]}"  # (the archive's key of an earlier month's own)
    later = _amended(ND335, excellent_from)
    frame = pd.DataFrame({"staff_id": "A", "period": months, "unit_id": "U", "total": totals,
                          "rule_set": [key] * cut + [ND335.id] * (len(totals) - cut)})
    if later_first:
        frame = frame.iloc[::-1]
    frame.attrs["rule_sets"] = {key: ND335, ND335.id: later}
    year = rollup_frame(frame)
    mean = round(float(np.mean(totals)) + 1e-9, 2)
    expected = GRADES[int(band_codes(later.bands, np.array([mean]))[0])]
    assert (year["total"].iloc[0], year["grade"].iloc[0]) == (mean, expected)
    assert list(year["rule_set"].astype(str)) == [ND335.id]
    assert year.attrs["rule_sets"] == {ND335.id: later}
    assert classify_year(frame, pd.DataFrame({"unit_id": ["U"], "grade": ["HTXS"]}))[
        "score_grade"].iloc[0] == expected


def test_a_months_disqualifier_the_years_content_lacks_is_said() -> None:
    """March's own content makes a reprimand KHT (NĐ 335/2025/NĐ-CP, Điều 20 k4 c), the
    year's content has no such ground: the year keeps its band and says that a month had
    one (rollup.dropped_disqualifier); read as one content, nothing would be said."""
    later = attrs.evolve(ND335, caps=tuple(attrs.evolve(c, enabled=False)
                                           if c.id == "discipline" else c for c in ND335.caps))
    key = f"{ND335.id}@2026-03"
    frame = pd.DataFrame({"staff_id": "A", "period": ["2026-03", "2026-04"], "total": 80.0,
                          "rule_set": [key, ND335.id],
                          "reasons": ["disqualifier.discipline", ""]})
    frame.attrs["rule_sets"] = {key: ND335, ND335.id: later}
    year = rollup_frame(frame)
    assert (year["grade"].iloc[0], year["reasons"].iloc[0]) == (
        "HTT", "rollup.average;rollup.dropped_disqualifier")
