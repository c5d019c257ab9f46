"""The year's ``points_<block>`` are the mean of the evaluated months' points, rounded as the
year's ``total`` is (the rule set's ``[scoring]`` rounding and decimals; lead's decision,
af133): a results file then holds ``61.11``, never ``61.105``, which a text reader refuses
as ambiguous (``1.000`` may be one thousand).

The oracle is exact arithmetic (:class:`fractions.Fraction`): the months' points are on the
cent grid, their mean a fraction, rounded half-up (``⌊x·10ᵈ + ½⌋``) or cut (``⌊x·10ᵈ⌋``).
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
from evalkit.rules import ScorePolicy

ND335 = evalkit.rules.get("vn.nd335-2025")
SETS = {"half_up 2": ND335,
        "truncate 1": attrs.evolve(ND335, id="t.af133-truncate-1",
                                   scoring=ScorePolicy("truncate", 1)),
        "half_up 0": attrs.evolve(ND335, id="t.af133-half-up-0",
                                  scoring=ScorePolicy("half_up", 0))}  # fmt: skip


def _rounded(cents: list[int], policy: ScorePolicy) -> float:
    """The mean of ``cents`` (hundredths of a point), rounded as ``policy`` says."""
    if not cents:
        return math.nan
    scaled = Fraction(sum(cents), 100 * len(cents)) * 10**policy.decimals
    cut = math.floor(scaled + Fraction(1, 2)) if policy.rounding == "half_up" else \
        math.floor(scaled)
    return cut / 10**policy.decimals


# a month: None (on leave, not evaluated) or (general points, task points) in cents
_MONTH = st.one_of(st.none(), st.tuples(st.integers(0, 3000), st.integers(0, 7000)))


@settings(deadline=None)
@given(people=st.lists(st.lists(_MONTH, min_size=1, max_size=12), min_size=1, max_size=4),
       which=st.sampled_from(sorted(SETS)))  # fmt: skip
def test_the_years_points_are_the_rounded_mean_of_the_months(
        people: list[list[tuple[int, int] | None]], which: str) -> None:  # fmt: skip
    """For any year of months (some on leave), each ``points_*`` of the roll-up and of
    :func:`evalkit.classify_year` is round(mean of the evaluated months' points) under the
    set's rounding, NaN where no month was evaluated; the total is rounded the same way."""
    rs = SETS[which]
    rows = [{"staff_id": f"S{i}", "period": f"2026-{m:02d}", "rule_set": rs.id,
             "category": "cong_chuc",
             "total": np.nan if x is None else (x[0] + x[1]) / 100,
             "points_general": np.nan if x is None else x[0] / 100,
             "points_tasks": np.nan if x is None else x[1] / 100,
             "leave": "sick" if x is None else ""}
            for i, months in enumerate(people) for m, x in enumerate(months, start=1)]
    frame = pd.DataFrame(rows)
    for year in (evalkit.rollup_frame(frame, rs, force=True),
                 evalkit.classify_year(frame, rules=rs, force=True)):
        got = year.set_index("staff_id")
        for i, months in enumerate(people):
            given_ = [x for x in months if x is not None]
            want = {"points_general": _rounded([g for g, _ in given_], rs.scoring),
                    "points_tasks": _rounded([t for _, t in given_], rs.scoring),
                    "total": _rounded([g + t for g, t in given_], rs.scoring)}
            for col, w in want.items():
                v = float(got.loc[f"S{i}", col])
                assert (math.isnan(v) and math.isnan(w)) or math.isclose(v, w, abs_tol=1e-9), (
                    col, months, v, w)


def test_the_demo_years_task_points_are_rounded() -> None:
    """The demo's SNV-002: task points 61.25 nine months, 60.67 three (March, July,
    November): 733.26 / 12 = 61.105 → 61.11 (NĐ 335's half-up to the cent), as its total
    88.605 → 88.61."""
    from evalkit.demo import classify_demo

    year = classify_demo().year.set_index("staff_id")
    assert (year.loc["SNV-002", "points_tasks"], year.loc["SNV-002", "total"]) == (61.11, 88.61)


def test_every_year_door_shows_the_same_rounded_points(tmp_path: Path) -> None:
    """tests/test_equivalence_year.py's organisation: X2's task points are 0.7 × 90 = 63
    eleven months and 0.7 × 80 = 56 in December: 749 / 12 = 62.4166… → 62.42 through the
    objects (``components``), classify_year on the frames and on the frames read back from
    CSV, and the year's results file written and read back as text. (The archive's annual
    and ``evalkit annual`` show no points: they read them for the quota's tie-break only,
    through the same roll-up.)"""
    from evalkit.io.results import write_results_csv
    from evalkit.units import results_from_frame
    from tests import test_equivalence_year as eq

    months = [eq.month_frames(p) for p in eq.MONTHS]
    objects = evalkit.classify_organisation_year([evalkit.classify_organisation(
        eq.organisation(p), [eq.assessment(s, p) for s in eq.PEOPLE],
        [evalkit.UnitInputs(u, p, tasks_assigned=10, tasks_done=eq.DONE[u]) for u in eq.HEADS])
        for p in eq.MONTHS])  # fmt: skip
    staff, units = eq._frames(months)
    year = evalkit.classify_year(staff, units)
    staff.to_csv(tmp_path / "s.csv", index=False)
    units.to_csv(tmp_path / "u.csv", index=False)
    write_results_csv(year, tmp_path / "nam.csv")
    back = pd.read_csv(tmp_path / "nam.csv", dtype=str)
    said = {"objects": objects["P"].result_of("X2").components["tasks"],
            "frames": _x2(year),
            "csv": _x2(evalkit.classify_year(pd.read_csv(tmp_path / "s.csv"),
                                             pd.read_csv(tmp_path / "u.csv"))),
            "file": next(r.components["tasks"] for r in results_from_frame(back)
                         if r.staff_id == "X2")}  # fmt: skip
    assert said == dict.fromkeys(said, pytest.approx(62.42, abs=1e-9))
    assert back.set_index("staff_id").loc["X2", "points_tasks"] == "62.42"


def _x2(year: pd.DataFrame) -> float:
    return float(year.set_index("staff_id").loc["X2", "points_tasks"])
