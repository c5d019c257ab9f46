"""The 2026 transition year drawn across its boundaries (issue 13, "one engine, one answer").

:mod:`tests.test_door_properties` draws a mixed organisation (công chức and viên chức, each
under the set in force for them) only from July 2026, so the months where a viên chức is still
under NĐ 90/2020 (until 2026-06-30) beside a công chức under NĐ 335/2025 (from 2026-01-01) —
and the year that joins NĐ 90 months to NĐ 233/2026 months — were never drawn. Here the
periods are drawn from the whole of 2026: each viên chức row of a month up to June is scored on
NĐ 90's criteria, from July on NĐ 233's; units mix both categories, with heads and deputies of
either, leave months, competent-level conclusions with their reason and the competent order.
The object door (:func:`evalkit.classify_organisation`, :func:`evalkit.units.rollup`,
:func:`evalkit.classify_organisation_year`) and the frame door (:func:`classify_frame`,
:func:`rollup_frame`, :func:`classify_year`) must give the same totals, grades, proposed
grades, reasons and :func:`evalkit.reasons.explain` sentences.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

import evalkit
from evalkit import Assessment, Grade, Organisation, Position, Staff, Unit
from evalkit.errors import InputError
from evalkit.io.archive import Archive
from evalkit.io.results import read_results
from evalkit.testing._strategies import _draw_scores, _plan
from evalkit.units import (
    UnitInputs,
    classify_frame,
    classify_year,
    frames_from_objects,
    results_from_frame,
    rollup,
    rollup_frame,
)
from tests._cli_helpers import ok
from tests._io_helpers import filled_workbook
from tests.strategies import Months, organisation_periods
from tests.test_door_properties import _cells, _value, objects_of, same
from tests.test_staff_month_dtypes import (
    NUMBERS,
    TEXT,
    YES_NO,
    csv_round_trip,
    outcome,
    represent,
)

ND335 = evalkit.rules.get("vn.nd335-2025")
ND90 = evalkit.rules.get("vn.nd90-2020")
ND233 = evalkit.rules.get("vn.nd233-2026")
YEAR = [f"2026-{m:02d}" for m in range(1, 13)]


def _own(per: str) -> evalkit.RuleSet:
    """The set in force for a viên chức in ``per`` (NĐ 90 until 2026-06-30, then NĐ 233)."""
    return ND90 if per <= "2026-06" else ND233


def transition_months(data: st.DataObject, *, max_periods: int) -> tuple[Organisation, Months]:
    """A mixed organisation over periods of 2026; each viên chức row scored on its own set
    (NĐ 90's criteria drawn for the months up to June), a row on leave left blank."""
    org, months = data.draw(organisation_periods(
        ND335, YEAR, max_units=3, max_staff_per_unit=3, max_periods=max_periods, extras=True,
        categories=("cong_chuc", "vien_chuc")))  # fmt: skip
    for sm, _ in months:
        own = _own(str(sm["period"].iloc[0]))
        vc = (sm["category"].astype(str) == "vien_chuc").to_numpy()
        theirs = {c.id for c in own.criteria()}
        sm.loc[vc, [c.id for c in ND335.criteria() if c.id in sm and c.id not in theirs]] = np.nan
        if own is not ND90:
            continue
        plan = _plan(ND90)
        for i in sm.index[vc & sm["leave"].isna().to_numpy()]:
            for cid, v in _draw_scores(data.draw, plan, bool(sm.at[i, "manages_others"])).items():
                sm.loc[i, cid] = v
    return org, months


def objects(org: Organisation, sm: pd.DataFrame, units: pd.DataFrame
            ) -> tuple[Organisation, list[Assessment], list[UnitInputs]]:  # fmt: skip
    """:func:`objects_of` with NĐ 90's criteria too (a viên chức's months to June)."""
    o, out, ui = objects_of(ND335, org, sm, units)
    extra = [c.id for c in ND90.criteria() if c.id in sm.columns]
    order = sm.get("competent_order", pd.Series(index=sm.index, dtype=float))
    more = []
    for a, rec, k in zip(out, sm[extra].to_dict("records"), order, strict=True):
        typed = {c: v for c, v in rec.items() if _value(v) is not None}
        kw: dict[str, Any] = {"competent_scores": {**a.competent_scores, **typed}}
        if _value(k) is not None:
            kw["competent_order"] = int(k)
        more.append(attrs.evolve(a, **kw))
    return o, more, ui


def _order(data: st.DataObject, months: Months) -> None:
    """Now and then the competent level's order among quota candidates."""
    for sm, _ in months:
        if data.draw(st.booleans()):
            n = len(sm)
            drawn = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
            sm["competent_order"] = pd.Series([x or None for x in drawn], dtype="Int64")


@settings(deadline=None, max_examples=max(1, settings.default.max_examples * 3 // 5))
@given(data=st.data())
def test_the_transition_year_objects_and_frames_agree(data: st.DataObject) -> None:
    """Months, roll-up and classified year of a mixed organisation drawn across 2026."""
    org, months = transition_months(data, max_periods=4)
    _order(data, months)
    note(repr(org))
    note([sm.to_dict("records") for sm, _ in months])
    done = [(sm, *classify_frame(sm, units, None)) for sm, units in months]
    frame = pd.concat([s for _, s, _ in done], ignore_index=True)
    by_month = [evalkit.classify_organisation(*objects(org, sm, units), None)
                for sm, units in months]  # fmt: skip
    obj = {(r.staff_id, str(r.period)): r for m in by_month for c in m.values() for r in c.staff}
    same(obj, frame)
    same({(r.staff_id, str(r.period)): r for r in rollup(list(obj.values()), None)},
         rollup_frame(frame, None))  # fmt: skip
    staff = pd.concat([pd.concat([sm, s[[c for c in s.columns if c not in sm]]], axis=1)
                       for sm, s, _ in done], ignore_index=True)  # fmt: skip
    year = classify_year(staff, pd.concat([u for _, _, u in done], ignore_index=True), None)
    years = evalkit.classify_organisation_year(by_month, None)
    same({(r.staff_id, str(r.period)): r for c in years.values() for r in c.staff}, year)


@pytest.mark.slow
@settings(deadline=None, max_examples=5)
@given(data=st.data())
def test_the_transition_year_on_the_command_line(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each month as one workbook per staff group (công chức under NĐ 335, viên chức under the
    set in force for them that month) → ``validate`` → ``classify`` → ``finalize``, then
    ``annual``: each month what the frame door gives, the year what :func:`classify_year`
    over the frame door's months gives (each person's year under their own set)."""
    org, months = transition_months(data, max_periods=3)
    _order(data, months)
    note(repr(org))
    root = tmp_path_factory.mktemp("cli")
    positions = [{"position_id": p.id, "title": p.title_vi,
                  "manages_others": "x" if p.manages_others else None} for p in org.positions]
    names = {u.id: u.name for u in org.units}
    done = []
    for sm, units in months:
        p = str(sm["period"].iloc[0])
        rows = [{**r, "name": names[r["unit_id"]], "late_work": "x" if r.get("late_work") else None}
                for r in units.to_dict("records")]  # fmt: skip
        books = []
        for cat, rs in (("cong_chuc", ND335), ("vien_chuc", _own(p))):
            mine = sm[sm["category"].astype(str) == cat]
            if len(mine):
                books.append(str(filled_workbook(root / f"{p}-{cat}.xlsx", _cells(mine, org),
                                                 period=p, rules=rs.id, positions=positions,
                                                 units=rows)))  # fmt: skip
        ok("validate", *books, "--period", p)
        ok("classify", *books, "--out", str(root / f"{p}.json"))
        ok("finalize", str(root / f"{p}.json"), "--archive", str(root / "a.sqlite"), "--by", "TCCB")
        staff, unit_res = classify_frame(sm, units, None)
        same({(r.staff_id, str(r.period)): r for r in results_from_frame(staff)},
             read_results(root / f"{p}.json"))
        done.append((pd.concat([sm, staff[[c for c in staff if c not in sm]]], axis=1), unit_res))
    ok("annual", "--archive", str(root / "a.sqlite"), "--year", "2026", "--out",
       str(root / "y.json"))  # fmt: skip
    year = classify_year(pd.concat([d[0] for d in done], ignore_index=True),
                         pd.concat([d[1] for d in done], ignore_index=True), None)  # fmt: skip
    same({(r.staff_id, str(r.period)): r for r in results_from_frame(year)},
         read_results(root / "y.json"))


@settings(max_examples=max(3, settings.default.max_examples // 5), deadline=None)
@given(data=st.data(), text=st.sampled_from(TEXT), yes_no=st.sampled_from(YES_NO),
       number=st.sampled_from(NUMBERS), names=st.booleans(),
       how=st.sampled_from(["dtypes", "dtypes", "dtypes", "csv", "csv as text"]))  # fmt: skip
def test_the_transition_year_in_every_dtype(data: st.DataObject, text: str, yes_no: str,
                                            number: str, names: bool, how: str) -> None:  # fmt: skip
    """The transition year's staff-months in another representation (as
    :mod:`tests.test_staff_month_dtypes`) give the same months, units and year."""
    _, months = transition_months(data, max_periods=3)
    _order(data, months)
    try:
        want = outcome(months, None)
    except InputError as exc:  # drawn inputs the engine refuses (each door alike)
        note(str(exc))
        assume(False)
    if how == "dtypes":
        other = [(represent(sm, text, yes_no, number, names),
                  represent(u, text, yes_no, number, False)) for sm, u in months]  # fmt: skip
    else:
        other = [(csv_round_trip(sm, how == "csv as text"), csv_round_trip(u, how == "csv as text"))
                 for sm, u in months]  # fmt: skip
    assert outcome(other, None) == want


CQ = evalkit.rules.get("vn.customs-2026q")
CUSTOMS_YEAR = [*YEAR[:6], "2026-Q3", "2026-Q4"]


@settings(deadline=None, max_examples=max(1, settings.default.max_examples * 2 // 5),
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_the_customs_transition_year_objects_frames_and_archive_agree(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A customs unit's 2026 (docs/periods.md): NĐ 335 months up to June, the customs
    quarters Q3 and Q4 (CV 21169/CHQ-TCCB); each period through both doors, then the year
    through :func:`classify_year`, :func:`evalkit.classify_organisation_year` and the
    archive (``finalize`` each period, ``annual``)."""
    org, months = data.draw(organisation_periods(
        ND335, CUSTOMS_YEAR, max_units=3, max_staff_per_unit=3, max_periods=4, extras=True))
    _order(data, months)
    note(repr(org))
    note([sm.to_dict("records") for sm, _ in months])
    done, by_period = [], []
    for sm, units in months:
        rs = CQ if "Q" in str(sm["period"].iloc[0]) else ND335
        staff, unit_res = classify_frame(sm, units, rs)
        by_period.append(evalkit.classify_organisation(*objects(org, sm, units), rs))
        same({(r.staff_id, str(r.period)): r for c in by_period[-1].values() for r in c.staff},
             staff)  # fmt: skip
        done.append((pd.concat([sm, staff[[c for c in staff if c not in sm]]], axis=1),
                     unit_res, units))  # fmt: skip
    year = classify_year(pd.concat([d[0] for d in done], ignore_index=True),
                         pd.concat([d[1] for d in done], ignore_index=True), None)  # fmt: skip
    years = evalkit.classify_organisation_year(by_period, None)
    same({(r.staff_id, str(r.period)): r for c in years.values() for r in c.staff}, year)
    path = tmp_path_factory.mktemp("arc") / "a.sqlite"
    with Archive(path) as arc:
        for results, unit_res, units in done:
            arc.finalize(results, by="TCCB", units=unit_res, unit_inputs=units)
        annual = arc.annual(2026)
    got = {r["staff_id"]: (r["annual_total"], r["annual_grade"], str(r["reasons"]))
           for r in annual.astype(object).to_dict("records")}  # fmt: skip
    want = {r["staff_id"]: (r["total"], None if pd.isna(r["grade"]) else str(r["grade"]),
                            str(r["reasons"])) for r in year.astype(object).to_dict("records")}
    assert set(got) == set(want)
    for k, w in want.items():
        g = got[k]
        assert (pd.isna(g[0]) and pd.isna(w[0])) or g[0] == pytest.approx(w[0]), (k, g, w)
        assert (None if pd.isna(g[1]) else str(g[1]), g[2]) == w[1:], (k, g, w)


@pytest.mark.parametrize("leave", ["sick", ""])
def test_a_heads_corruption_in_a_month_before_the_customs_quarters(leave: str) -> None:
    """The customs property's counter-example: a head whose unit had corruption in May 2026
    (NĐ 335 month, worked or on sick leave), then the customs Q3. The year counts quarters, so
    the months become Q2 first; the object door's results carry a leader's cap only as its
    code (who leads is not in a result) and the quarter made from the months dropped the
    months' codes: the year was HTT through the objects, KHT through the frames. NĐ 335/2025
    Điều 20 k4 d: corruption in the body a leader directly manages, in the evaluation year →
    KHT. By hand: full marks in Q3 (100, HTXS) and Q2 → the count gives HTT (Q2 at most one
    quarter of HTXS), then KHT by the disqualifier; S2 keeps HTT."""
    org = Organisation(
        positions=(Position("P1", "Trưởng phòng", manages_others=True), Position("P2", "Chuyên viên")),
        units=(Unit("U1", "Đội Thủ tục", None, "S1"),),
        staff=(Staff("S1", "Nguyễn Văn An", position_id="P1", unit_id="U1"),
               Staff("S2", "Trần Thị Bình", position_id="P2", unit_id="U1")))  # fmt: skip
    by_period, frames = [], []
    for p, rs in (("2026-05", ND335), ("2026-Q3", CQ)):
        away = leave if p == "2026-05" else ""  # (a month on leave has no score)
        a = [Assessment("S1", p, corruption_in_unit=p == "2026-05", leave=away,
                        competent_scores={} if away else rs.full_marks(True)),
             Assessment("S2", p, competent_scores=rs.full_marks(False))]  # fmt: skip
        u = [UnitInputs("U1", p, tasks_assigned=1, tasks_done=1)]
        by_period.append(evalkit.classify_organisation(org, a, u, rs))
        sm, uf = frames_from_objects(org, a, u)
        s, ur = classify_frame(sm, uf, rs)
        frames.append((pd.concat([sm, s[[c for c in s if c not in sm]]], axis=1), ur))
    years = evalkit.classify_organisation_year(by_period)
    obj = {r.staff_id: (r.grade, r.reason_codes()) for c in years.values() for r in c.staff}
    year = classify_year(pd.concat([f[0] for f in frames], ignore_index=True),
                         pd.concat([f[1] for f in frames], ignore_index=True))  # fmt: skip
    frame = {r.staff_id: (r.grade, r.reason_codes()) for r in results_from_frame(year)}
    # a month of leave is said on the year, as a year of months says it (af200: the quarter
    # made from the months keeps their leave)
    said = ("rollup.leave",) * bool(leave)
    want = {"S1": (Grade.KHT, (*said, "rollup.count.good", "disqualifier.corruption")),
            "S2": (Grade.HTT, ("rollup.count.good",))}
    assert obj == frame == want


@pytest.mark.parametrize("away_in_january", [False, True])
def test_a_degradation_in_a_month_before_the_customs_quarters_reaches_the_archived_year(
    away_in_january: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The customs property's second counter-example, through the archive: the head S1 is
    concluded to show degradation in March 2026 (NĐ 335 month), Q3 under the customs
    scheme. NĐ 335/2025 Điều 20 k4 b: KHT for the year whatever the score. The archive's
    months carry a disqualifier as its code (the flag is read only where codes cannot
    stand for it: a month on leave), and a year counted over quarters makes Q1 from the
    months first: Q1 dropped the months' codes (the year HTT), then — S1 away in January,
    whose flags the archive reads — turned the blank March flag into a definite "no" that
    outweighed March's code (HTT, "rollup.dropped_disqualifier"). By hand: S1 100 in March
    and Q3 → HTT by the count (CV 21169: not two HTXS quarters), KHT by the disqualifier."""
    org = Organisation(
        positions=(Position("P1", "Trưởng phòng", manages_others=True), Position("P2", "Chuyên viên")),
        units=(Unit("U1", "Đội Thủ tục", None, "S1"),),
        staff=(Staff("S1", "Nguyễn Văn An", position_id="P1", unit_id="U1"),
               Staff("S2", "Trần Thị Bình", position_id="P2", unit_id="U1")))  # fmt: skip
    done = []
    for p in ["2026-01"] * away_in_january + ["2026-03", "2026-Q3"]:
        rs = CQ if "Q" in p else ND335
        s1 = (Assessment("S1", p, leave="absent") if p == "2026-01" else Assessment(
            "S1", p, competent_scores=rs.full_marks(True), degradation=p == "2026-03"))
        a = [s1, Assessment("S2", p, competent_scores=rs.full_marks(False))]
        u = [UnitInputs("U1", p, tasks_assigned=1, tasks_done=1)]
        sm, uf = frames_from_objects(org, a, u)
        s, ur = classify_frame(sm, uf, rs)
        done.append((pd.concat([sm, s[[c for c in s if c not in sm]]], axis=1), ur, uf))
    year = classify_year(pd.concat([d[0] for d in done], ignore_index=True),
                         pd.concat([d[1] for d in done], ignore_index=True))  # fmt: skip
    with Archive(tmp_path_factory.mktemp("arc") / "a.sqlite") as arc:
        for results, unit_res, units in done:
            arc.finalize(results, by="TCCB", units=unit_res, unit_inputs=units)
        annual = arc.annual(2026)
    said = "rollup.leave;" * away_in_january  # the absent January said, as a year of months
    want = {"S1": ("KHT", said + "rollup.count.good;disqualifier.degradation"),
            "S2": ("HTT", "rollup.count.good")}
    assert dict(zip(year["staff_id"], zip(year["grade"].astype(str), year["reasons"],
                                          strict=True), strict=True)) == want  # fmt: skip
    assert dict(zip(annual["staff_id"], zip(annual["annual_grade"], annual["reasons"],
                                            strict=True), strict=True)) == want  # fmt: skip
