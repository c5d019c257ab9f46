"""Cases found by the af98 hunt (issue 13, "one engine, one answer": frames of any dtype).

A ``period`` column typed as a pandas categorical may carry categories no row holds (a
frame filtered from a larger one keeps its categories: ``df[df.period == "2026-03"]``).
Such a frame holds the same staff-months as its ``object`` twin and must give the same
answer: no unit-month for a period nobody is in, and no refusal of a rule set for a period
nobody is in (NĐ 335/2025/NĐ-CP is in force from 2026-01-01; an unused ``2025-12`` is no
month of the frame).
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

import evalkit
from evalkit.errors import InputError
from evalkit.units import classify_frame, classify_year, rollup_frame
from tests.strategies import organisation_periods
from tests.test_staff_month_dtypes import csv_round_trip, outcome

RULE_SET = "vn.nd335-2025"
FULL = evalkit.rules.get(RULE_SET).full_marks()


def _month(period: pd.Series) -> pd.DataFrame:
    """Two people of unit U with full marks (100 points: 30 general + 70 task results,
    Điều 12 k2, k3): HTXS by the band (≥ 90, Điều 20 k1)."""
    return pd.DataFrame([{"staff_id": s, "unit_id": "U", **FULL} for s in "AB"]).assign(
        period=period.array)


def _filtered(unused: str) -> pd.Series:
    """``2026-03`` twice, as a categorical that also knows ``unused`` (held by no row)."""
    return pd.Series(pd.Categorical(["2026-03"] * 2, categories=sorted([unused, "2026-03"])))


UNITS = pd.DataFrame({"unit_id": ["U"], "tasks_assigned": [10], "tasks_done": [10]})


def test_an_unused_period_category_adds_no_unit_month() -> None:
    """The units frame has no ``period``: its row is the unit's in every month of the
    staff-months, and those are 2026-03 only, whatever categories the column knows."""
    for period in (pd.Series(["2026-03"] * 2, dtype=object), _filtered("2026-04")):
        staff, units = classify_frame(_month(period), UNITS, RULE_SET)
        assert units[["unit_id", "period"]].astype(str).values.tolist() == [["U", "2026-03"]]
        assert staff["score_grade"].astype(str).tolist() == ["HTXS", "HTXS"]


@pytest.mark.parametrize("door", ["score_frame", "classify_frame", "rollup_frame",
                                  "classify_year"])  # fmt: skip
def test_an_unused_period_category_out_of_force_is_not_refused(door: str) -> None:
    """An unused ``2025-12`` (before NĐ 335/2025 is in force) is no month of the frame: the
    set named is in force for every month a row holds (2026-03), so nothing is refused and
    the answer is the ``object`` frame's (100 points, HTXS by the band, Điều 20 k1)."""
    answers = []
    for period in (pd.Series(["2026-03"] * 2, dtype=object), _filtered("2025-12")):
        sm = _month(period)
        if door == "score_frame":
            out = evalkit.score_frame(sm.drop(columns="unit_id"), RULE_SET)
        elif door == "classify_frame":
            out = classify_frame(sm, UNITS, RULE_SET)[0]
        else:
            months, units = classify_frame(sm.assign(period="2026-03"), UNITS, RULE_SET)
            months = months.assign(period=period.array)
            out = (rollup_frame(months, RULE_SET) if door == "rollup_frame"
                   else classify_year(months, units, RULE_SET))  # fmt: skip
        answers.append(out[["total", "score_grade"]].astype(str).values.tolist())
    assert answers[1] == answers[0]
    assert answers[0] == [["100.0", "HTXS"]] * 2


def test_conclusions_whose_index_is_named_staff_id_are_read() -> None:
    """The competent level's conclusions kept with their ids as the index too (a frame made
    by ``set_index("staff_id", drop=False)``): the same year as without the index. C (80,
    the HTT band, Điều 20 k2) concluded HT with a written reason is HT; the HTT left are
    D–G, 20 % of 4 is 0.8, floored to 0 (Điều 20 k5 a; domain brief §4.6), so A (95) and B
    (93) are both demoted to HTT. A conclusion without its reason is said at its own row
    label."""
    sy = pd.DataFrame({"staff_id": list("ABCDEFG"), "period": "2026-12", "unit_id": "U",
                       "rule_set": RULE_SET, "total": [95.0, 93.0] + [80.0] * 5})  # fmt: skip
    conc = pd.DataFrame({"staff_id": ["C"], "competent_grade": ["HT"],
                         "competent_reason": ["chậm tiến độ"]})  # fmt: skip
    want = ["HTT", "HTT", "HT", "HTT", "HTT", "HTT", "HTT"]
    for c in (conc, conc.set_index("staff_id", drop=False)):
        assert classify_year(sy, conclusions=c)["grade"].astype(str).tolist() == want
    with pytest.raises(InputError) as err:
        classify_year(sy, conclusions=conc.assign(competent_reason=[None]).set_index(
            pd.Index(["r7"], name="staff_id")))
    (p,) = err.value.problems
    assert (p.row, p.staff_id, p.column) == ("r7", "C", "competent_reason")


def test_a_date_period_read_back_from_csv_is_its_month() -> None:
    """A ``period`` column of dates is read as the month that contains each date; written by
    ``to_csv`` it comes back as the text ``2026-03-01``, which must be the same month (not a
    refusal): full marks, 100 points, HTXS by the band (Điều 20 k1), in 2026-03. A text that
    is no date (``2026-02-30``) is still refused."""
    sm = _month(pd.Series(pd.to_datetime(["2026-03-01", "2026-03-15"])))
    buf = io.StringIO()
    sm.to_csv(buf, index=False)
    back = pd.read_csv(io.StringIO(buf.getvalue()))
    assert back["period"].tolist() == ["2026-03-01", "2026-03-15"]
    for frame in (sm, back, back.assign(period=["2026-03-01 00:00:00", "2026-03-15T08:30"])):
        staff, units = classify_frame(frame, UNITS, RULE_SET)
        assert staff[["period", "total", "score_grade"]].astype(str).values.tolist() == [
            ["2026-03", "100.0", "HTXS"]] * 2
        assert units["period"].astype(str).tolist() == ["2026-03"]
    with pytest.raises(InputError) as err:
        classify_frame(back.assign(period=["2026-03-01", "2026-02-30"]), UNITS, RULE_SET)
    assert [(p.row, p.column, p.value) for p in err.value.problems] == [(1, "period", "2026-02-30")]


KNOWN = ["2025-12"] + [f"2026-{m:02d}" for m in range(1, 13)]  # 2025-12: before NĐ 335


@settings(deadline=None, max_examples=max(3, settings.default.max_examples // 5))
@given(data=st.data(), how=st.sampled_from(["categories", "dates", "dates as csv text"]))
def test_every_spelling_of_the_period_gives_the_same_months_and_year(
        data: st.DataObject, how: str) -> None:  # fmt: skip
    """Random organisations over months of 2026 (NĐ 335, heads, deputies, leave, conclusions):
    the ``period`` column as a categorical that knows every month from 2025-12 (most of them
    held by no row), as dates (a day drawn in the month) or as those dates' text read back
    from CSV gives the months, units and year of the text column."""
    rs = evalkit.rules.get(RULE_SET)
    _, months = data.draw(organisation_periods(rs, KNOWN[1:], max_units=3, max_staff_per_unit=3,
                                               max_periods=3, extras=True))  # fmt: skip
    try:
        want = outcome(months, RULE_SET)
    except InputError as exc:  # drawn inputs the engine refuses (each door alike)
        note(str(exc))
        assume(False)
    other = []
    for sm, units in months:
        per = sm["period"].astype(str)
        if how == "categories":
            typed: Any = pd.Categorical(per, categories=KNOWN)
        else:
            day = data.draw(st.integers(1, 28))
            typed = pd.to_datetime(per + f"-{day:02d}")
            if how == "dates as csv text":
                typed = csv_round_trip(pd.DataFrame({"period": typed}), False)["period"].array
        other.append((sm.assign(period=pd.Series(typed, index=sm.index)), units))
    assert outcome(other, RULE_SET) == want
