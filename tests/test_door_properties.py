"""Objects == frames as Hypothesis properties over random organisations (audit af32).

For each classifying rule set (NĐ 335 year from months, Hà Nội QĐ 3814 monthly, customs
CV 21169 quarters, NĐ 233 from 2026-07) a random organisation over several periods goes
through the object door (:class:`Assessment` / :class:`UnitInputs` →
:func:`evalkit.classify_organisation`; the year: :func:`evalkit.units.rollup`) and the
frame door (:func:`classify_frame` → :func:`classify_year`), and both give the same totals,
grades, proposed grades, reason codes and :func:`evalkit.reasons.explain` sentences; the
year classified (head cap, quota) through :func:`evalkit.classify_organisation_year` is
:func:`classify_year`'s.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

import attrs
import pandas as pd
import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

import evalkit
from evalkit import Assessment, Grade, Organisation, Position, Staff, Unit
from evalkit.io.results import read_results
from evalkit.reasons import explain
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

QUARTERS = ["2026-Q3", "2026-Q4"]
CASES = {  # rule set → the periods drawn (up to three of them)
    "vn.nd335-2025": [f"2026-{m:02d}" for m in range(1, 13)],
    "hanoi.3814-2018": [f"2026-{m:02d}" for m in range(1, 7)],
    "vn.customs-2026q": QUARTERS,
    "vn.nd233-2026": [f"2026-{m:02d}" for m in range(7, 13)],
    "": [f"2026-{m:02d}" for m in range(7, 13)],  # the set in force per category (mixed)
}
FLAGS = ("degradation", "corruption_in_unit", "party_discipline", "discipline_related_to_duty")
UNIT = ("tasks_assigned", "tasks_done", "tasks_exceeded", "late_work")


def _value(v: Any) -> Any:
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def objects_of(rs: evalkit.RuleSet, org: Organisation, sm: pd.DataFrame, units: pd.DataFrame,
               ) -> tuple[Organisation, list[Assessment], list[UnitInputs]]:  # fmt: skip
    """The frames' month as a user's objects: the scores typed by the competent level."""
    crit = [c.id for c in rs.criteria() if c.id in sm.columns]
    deputies = set(sm.loc[sm["manages_others"].astype(bool), "staff_id"])
    groups = dict(zip(sm["staff_id"], sm.get("duty_group", pd.Series(index=sm.index)),
                      strict=True))  # fmt: skip
    staff = tuple(attrs.evolve(s, manages_others=s.manages_others or s.id in deputies,
                               duty_group=_value(groups.get(s.id)))
                  for s in org.staff)  # fmt: skip
    out = []
    for rec in sm.to_dict("records"):
        kw = {f: bool(rec[f]) for f in FLAGS if f in rec and _value(rec[f]) is not None}
        out.append(Assessment(
            rec["staff_id"], rec["period"],
            competent_scores={c: rec[c] for c in crit if _value(rec[c]) is not None},
            kpi=_value(rec.get("kpi")), discipline=int(rec.get("discipline") or 0),
            events={e: rec[e] for e in ("late_files", "apologies") if _value(rec.get(e))},
            competent_grade=_value(rec.get("competent_grade")),
            competent_reason=_value(rec.get("competent_reason")) or "",
            leave=_value(rec.get("leave")) or "", **kw))  # fmt: skip
    ui = [UnitInputs(r["unit_id"], r["period"], **{c: r[c] for c in UNIT if c in r})
          for r in units.to_dict("records")]  # fmt: skip
    return attrs.evolve(org, staff=staff), out, ui


def _row(r: evalkit.EvaluationResult) -> tuple[Any, ...]:
    return (r.total, r.score_grade, r.grade, r.proposed_grade, r.classified, r.reason_codes(),
            [(x.message_vi, x.message_en, x.source) for x in r.reasons])  # fmt: skip


def object_door(rs: evalkit.RuleSet, org: Organisation, months: Months, use: Any = True
                ) -> dict[tuple[str, str], evalkit.EvaluationResult]:  # fmt: skip
    """``use``: the rule set the doors are given (None: the set in force per category)."""
    out = {}
    for sm, units in months:
        o, a, u = objects_of(rs, org, sm, units)
        for c in evalkit.classify_organisation(o, a, u, rs if use is True else use).values():
            out.update({(r.staff_id, str(r.period)): r for r in c.staff})
    return out


def frame_door(rs: evalkit.RuleSet | None, months: Months) -> pd.DataFrame:
    return pd.concat([classify_frame(sm, units, rs)[0] for sm, units in months],
                     ignore_index=True)  # fmt: skip


def _sentences(r: evalkit.EvaluationResult) -> list[str]:
    return [x.message_vi + (f" ({x.source})" if x.source else "") for x in r.reasons]


def same(obj: dict[tuple[str, str], evalkit.EvaluationResult], frame: pd.DataFrame) -> None:
    """The frame's rows read back as results, and :func:`explain`'s sentences, equal the
    object door's, person by person and period by period."""
    got = {(r.staff_id, str(r.period)): r for r in results_from_frame(frame)}
    assert set(got) == set(obj)
    for (k, r), said in zip(got.items(), explain(frame), strict=True):
        assert _row(r) == _row(obj[k]), (k, _row(r), _row(obj[k]))
        assert list(said) == _sentences(obj[k]), k


def _draw_months(data: st.DataObject, rule_set: str, *,
                 max_periods: int) -> tuple[Any, Any, Any, Any]:  # fmt: skip
    """The rule set of ``rule_set`` (else NĐ 335), the set named (None: each person's own), an
    organisation and its periods; a mixed draw's viên chức rows blank the criteria their
    set (NĐ 233) does not know."""
    rs = evalkit.rules.get(rule_set or "vn.nd335-2025")
    org, months = data.draw(organisation_periods(
        rs, CASES[rule_set], max_units=3, max_staff_per_unit=2, max_periods=max_periods,
        extras=True, categories=() if rule_set else ("cong_chuc", "vien_chuc")))  # fmt: skip
    nd233 = {c.id for c in evalkit.rules.get("vn.nd233-2026").criteria()}
    for sm, _ in [] if rule_set else months:
        own = [c.id for c in rs.criteria() if c.id in sm.columns and c.id not in nd233]
        sm.loc[sm["category"].astype(str) == "vien_chuc", own] = float("nan")
    return rs, rs if rule_set else None, org, months


@pytest.mark.parametrize("rule_set", list(CASES))
@settings(deadline=None, max_examples=max(1, settings.default.max_examples * 3 // 5))  # ≤ 15 s
@given(data=st.data())
def test_objects_and_frames_agree(rule_set: str, data: st.DataObject) -> None:
    """The periods, then the year: :func:`evalkit.units.rollup` over the object door's
    results equals :func:`rollup_frame` over the frame door's periods."""
    rs, use, org, months = _draw_months(data, rule_set, max_periods=2)
    note(repr(org))
    frame = frame_door(use, months)
    obj = object_door(rs, org, months, use)
    same(obj, frame)
    year = rollup_frame(frame, use)
    same({(r.staff_id, str(r.period)): r for r in rollup(list(obj.values()), use)}, year)


def test_the_year_of_a_deputy_with_corruption_in_the_unit() -> None:
    """The property's counter-example (all three yearly sets): the object year lost a
    head's ``corruption_in_unit``. NĐ 335/2025 Điều 20 k4 d: a leader (head or deputy) whose
    body had corruption in the year is KHT whatever the score; the head S1 keeps the band.
    By hand: general 30 × 0.8 = 24, tasks (80 + 80 + 80 + 100 + 100 + 100) / 6 × 70% = 63,
    total 87 → HTT by band (Điều 20 k2), KHT for a leader."""
    rs = evalkit.rules.get("vn.nd335-2025")
    org = Organisation(
        positions=(Position("P1", "Trưởng phòng", manages_others=True),),
        units=(Unit("U1", "Phòng", None, "S1"),),
        staff=(
            Staff("S1", "Nguyễn Văn An", position_id="P1", unit_id="U1"),
            Staff("S2", "Trần Thị Bình", position_id="P1", unit_id="U1"),
        ),
    )
    marks = {
        k: v if rs.criterion(k).management else v * 0.8 for k, v in rs.full_marks(True).items()
    }
    months = [
        [
            Assessment("S1", p, competent_scores=marks),
            Assessment("S2", p, competent_scores=marks, corruption_in_unit=p == "2026-02"),
        ]
        for p in ("2026-01", "2026-02")
    ]
    units = [UnitInputs("U1", p, tasks_assigned=1, tasks_done=1) for p in ("2026-01", "2026-02")]
    by_unit = [evalkit.classify_organisation(org, a, units, rs, period=a[0].period) for a in months]
    res = [r for u in by_unit for c in u.values() for r in c.staff]
    year = {r.staff_id: r for r in rollup(res, rs)}
    assert (year["S2"].total, year["S2"].grade) == (87.0, Grade.KHT)
    assert (year["S1"].total, year["S1"].grade) == (87.0, Grade.HTT)
    sm, uf = frames_from_objects(org, [a for m in months for a in m], units)
    frame = results_from_frame(rollup_frame(classify_frame(sm, uf, rs)[0], rs))
    assert {r.staff_id: _row(r) for r in frame} == {k: _row(r) for k, r in year.items()}


def _raised(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(total=frame["total"] + 0.01)


@settings(deadline=None, max_examples=10)
@given(data=st.data())
def test_a_broken_door_is_caught(data: st.DataObject) -> None:
    """Each property fails when one door is broken: the object door's month (its
    ``classify_frame``) or its year (``rollup``'s ``rollup_frame``) a cent off."""
    rs = evalkit.rules.get("vn.nd335-2025")
    org, months = data.draw(organisation_periods(rs, CASES[rs.id], max_units=1,
                                                 max_staff_per_unit=2, max_periods=1))  # fmt: skip
    frame = frame_door(rs, months)
    assume(frame["total"].notna().any())
    real_month, real_year = evalkit.units.classify_frame, evalkit.units.rollup_frame

    def month(*a: Any, **k: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
        staff_res, unit_res = real_month(*a, **k)
        return _raised(staff_res), unit_res

    with mock.patch("evalkit.units.classify_frame", month):
        obj = object_door(rs, org, months)
    with pytest.raises(AssertionError):
        same(obj, frame)
    obj = object_door(rs, org, months)
    with mock.patch("evalkit.units.rollup_frame", lambda *a, **k: _raised(real_year(*a, **k))):
        year = rollup(list(obj.values()), rs)
    good = results_from_frame(rollup_frame(frame, rs))
    assert [r.total for r in year] != [r.total for r in good]


def _cells(sm: pd.DataFrame, org: Organisation) -> list[dict[str, Any]]:
    """The month's rows as a person types them in the template's score sheet."""
    names = {s.id: (s.full_name, s.position_id) for s in org.staff}
    rows = []
    for rec in sm.to_dict("records"):
        row = {k: v for k, v in rec.items() if k != "is_head" and _value(v) is not None}
        row["full_name"], row["position_id"] = names[rec["staff_id"]]
        rows.append({k: ("x" if v is True else None if v is False else v) for k, v in row.items()})
    return rows


@pytest.mark.slow
@pytest.mark.parametrize("rule_set", [k for k in CASES if k and CASES[k] != QUARTERS])  # months
@settings(deadline=None, max_examples=5)
@given(data=st.data())
def test_the_cli_agrees(
    rule_set: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Per month (the CLI takes months): ``template`` → the workbook typed → ``validate`` → ``classify`` → ``finalize`` →
    ``annual`` give each month what the object door gives and the year what
    :func:`classify_year` over the frame door's months gives (head cap and quota too), each
    person's year under their own set (no set named for the year on either door)."""
    rs = evalkit.rules.get(rule_set)
    org, months = data.draw(organisation_periods(rs, CASES[rs.id], max_units=2,
                                                 max_staff_per_unit=2, max_periods=2,
                                                 extras=True))  # fmt: skip
    root = tmp_path_factory.mktemp("cli")
    obj = object_door(rs, org, months)
    positions = [
        {
            "position_id": p.id,
            "title": p.title_vi,
            "manages_others": "x" if p.manages_others else None,
        }
        for p in org.positions
    ]
    names = {u.id: u.name for u in org.units}
    done = []
    for sm, units in months:
        p = str(sm["period"].iloc[0])
        book = filled_workbook(
            root / f"{p}.xlsx", _cells(sm, org), period=p, rules=rs.id, positions=positions,
            units=[{**r, "name": names[r["unit_id"]], "late_work": "x" if r.get("late_work") else None}
                   for r in units.to_dict("records")])  # fmt: skip
        ok("validate", str(book), "--period", p)
        ok("classify", str(book), "--out", str(root / f"{p}.json"))
        ok("finalize", str(root / f"{p}.json"), "--archive", str(root / "a.sqlite"), "--by", "TCCB")
        cli = read_results(root / f"{p}.json")
        same({k: r for k, r in obj.items() if k[1] == p}, cli)
        done.append(classify_frame(sm, units, rs))
    who = sorted({k[0] for k in obj})  # the competent level's annual conclusions, with reasons
    grades = data.draw(st.lists(st.sampled_from([None, "HTXS", "HTT", "HT", "KHT"]),
                                min_size=len(who), max_size=len(who)))  # fmt: skip
    said = pd.DataFrame([(s, g, f"Kết luận năm {g}") for s, g in zip(who, grades, strict=True) if g],
                        columns=["staff_id", "competent_grade", "competent_reason"])  # fmt: skip
    said.to_csv(root / "c.csv", index=False)
    more = ["--conclusions", str(root / "c.csv")] if len(said) else []
    ok("annual", "--archive", str(root / "a.sqlite"), "--year", "2026", "--out",
       str(root / "y.json"), *more)  # fmt: skip
    # `annual` without --rules: each person's year under their own set, as classify_year
    # without one (a viên chức's Hà Nội year of 2026 under NĐ 233: the set at the year's end)
    year = classify_year(pd.concat([d[0] for d in done], ignore_index=True),
                         pd.concat([d[1] for d in done], ignore_index=True), None,
                         conclusions=said if len(said) else None)  # fmt: skip
    want = {(r.staff_id, str(r.period)): r for r in results_from_frame(year)}
    assert want and {k[0] for k in obj} == {k[0] for k in want}
    same(want, read_results(root / "y.json"))


@pytest.mark.parametrize("rule_set", CASES)
@settings(deadline=None, max_examples=max(1, settings.default.max_examples // 5))  # ≤ 20 s
@given(data=st.data())
def test_the_objects_year_is_classify_year(rule_set: str, data: st.DataObject) -> None:
    """The year (or the customs quarters' year) through the objects —
    :func:`evalkit.classify_organisation_year` over the months'
    :func:`evalkit.classify_organisation` — equals :func:`classify_year` over the frame
    door's months and unit results: totals, grades (the head cap, the quota on the year),
    reasons and their sentences, and each unit's grade for the year."""
    rs, use, org, months = _draw_months(data, rule_set, max_periods=3)
    note(repr(org))
    objects = evalkit.classify_organisation_year(
        [evalkit.classify_organisation(*objects_of(rs, org, sm, units), use)
         for sm, units in months], use)  # fmt: skip
    done = [(sm, *classify_frame(sm, units, use)) for sm, units in months]
    staff = pd.concat([pd.concat([sm, s[[c for c in s.columns if c not in sm]]], axis=1)
                       for sm, s, _ in done], ignore_index=True)  # fmt: skip
    frame = classify_year(staff, pd.concat([u for _, _, u in done], ignore_index=True), use)
    same({(r.staff_id, str(r.period)): r for c in objects.values() for r in c.staff}, frame)
    by_unit = {str(u): str(g) for u, g in zip(frame["unit_id"], frame["unit_grade"], strict=True)
               if not pd.isna(g)}  # fmt: skip
    assert by_unit == {u: c.unit.grade.code for u, c in objects.items()
                       if u in by_unit and c.unit.grade is not None}  # fmt: skip
