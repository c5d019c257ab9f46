"""The engine against an independent oracle (tests/oracle_schemes.py, written from the domain
brief §4.3, §4.4 and the presets' documented options) on random units: customs quarters
(CV 21169/CHQ-TCCB), Hà Nội months (QĐ 3814-QĐ/TU) and the example 20 + 80 scheme, through
the frames (score_frame, classify_frame, rollup_frame, classify_year) and the objects
(evalkit.score, classify_organisation). Audit af36."""

from __future__ import annotations

import math
from typing import Any
from unittest import mock

import attrs
import pandas as pd
import pytest
from hypothesis import Phase, given, note, settings
from hypothesis import strategies as st

import evalkit
from evalkit import Assessment, Organisation, Position, Staff, Unit
from evalkit.units import UnitInputs, classify_frame, classify_year, rollup_frame
from tests import oracle_schemes as o

CQ = evalkit.rules.get("vn.customs-2026q")
HN = evalkit.rules.get("hanoi.3814-2018")
T80 = evalkit.rules.get("example.tasks-80")
RULES = {"customs": CQ, "hanoi": HN, "tasks80": T80}  # what the engine is given: the
# broken-engine test swaps one for a wrong copy
FAST = settings(deadline=None, max_examples=max(5, settings.default.max_examples // 4))
MONTHS = [f"2026-{m:02d}" for m in range(7, 13)]


def _nan(v: Any) -> Any:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else v


# ------------------------------------------------------------------ strategies ----------
@st.composite
def customs_scores(draw: st.DrawFn, lead: bool, head: bool, strong: bool = False
                   ) -> dict[str, Any]:  # fmt: skip
    """One person's quarter (or month); ``strong``: near the HTXS threshold, where the
    quota and the caps act."""
    share = st.sampled_from([1.0, 1.0, 0.9] if strong else [1.0, 1.0, 0.9, 0.8, 0.5, 0.3])
    r: dict[str, Any] = {k: draw(share) * m for k, m in o.CUSTOMS_GENERAL.items()}
    pct = st.sampled_from([100, 100, 95, 90, 80] if strong
                          else [100, 100, 95, 90, 80, 70, 50, 20, 0])  # fmt: skip
    r.update(so_luong=draw(pct), chat_luong=draw(pct), tien_do=draw(pct),
             loi_chat_luong=draw(st.sampled_from([0, 0, 0, 1, 2])),
             cham_tien_do=draw(st.sampled_from([0, 0, 0, 1, 5])))  # fmt: skip
    if lead:
        for k in o.MANAGEMENT:
            r[k] = draw(st.sampled_from([100, 100, 50]))
        if head and draw(st.booleans()):
            r["ket_qua_linh_vuc"] = None  # d computed from the people led
    return r


@st.composite
def customs_units(draw: st.DrawFn, periods: list[str], months_worked: bool = True,
                  leave: int = 9) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:  # fmt: skip
    """1–2 units, each a head, 0–6 staff (some deputies) over ``periods``: quarters with
    0–3 months worked, leave (1 row in ``leave`` + 1), a late unit, an especially
    outstanding unit."""
    rows, units = [], []
    for u in range(draw(st.integers(1, 2))):
        people = [f"U{u}H"] + [f"U{u}S{i}" for i in range(draw(st.integers(0, 7)))]
        deputies = set(draw(st.sets(st.sampled_from(people[1:] or ["-"]), max_size=2)))
        strong = draw(st.booleans())
        for p in periods:
            units.append({"unit_id": f"U{u}", "period": p, "head_id": people[0],
                          "tasks_assigned": 10, "tasks_done": draw(st.integers(4, 10)),
                          "late_work": draw(st.booleans()),
                          "exceptional": draw(st.booleans())})  # fmt: skip
            for s in people:
                head, lead = s == people[0], s == people[0] or s in deputies
                r = {"staff_id": s, "unit_id": f"U{u}", "period": p, "category": "cong_chuc",
                     "manages_others": lead, "is_head": head}  # fmt: skip
                if not head and draw(st.integers(0, leave)) == 0:
                    r["leave"] = "sick"
                else:
                    r.update(draw(customs_scores(lead, head, strong)))
                    if months_worked:
                        r["months_worked"] = draw(st.sampled_from([None, 3, 2, 1.5, 1, 0.5]))
                    r["degradation"] = draw(st.integers(0, 14)) == 0
                rows.append(r)
    return rows, units


def _frames(rows: list[dict[str, Any]], units: list[dict[str, Any]]
            ) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    sm = pd.DataFrame(rows).drop(columns="is_head")
    for c in ("leave",):
        if c in sm:
            sm[c] = sm[c].astype(object).where(sm[c].notna(), None)
    return sm, pd.DataFrame(units)


def _oracle_quarters(rows: list[dict[str, Any]], units: list[dict[str, Any]]
                     ) -> dict[tuple[str, str], dict[str, Any]]:  # fmt: skip
    out = {}
    for u in units:
        mine = [r for r in rows if r["unit_id"] == u["unit_id"] and r["period"] == u["period"]]
        for s, v in o.customs_quarter(mine, u).items():
            out[(s, u["period"])] = v
    return out


def _engine(frame: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["staff_id"], str(r["period"])): {k: _nan(r[k]) for k in
                                                ("total", "score_grade", "grade")}
            for r in frame.to_dict("records")}  # fmt: skip


def _objects(rows: list[dict[str, Any]], units: list[dict[str, Any]], rs: evalkit.RuleSet
             ) -> dict[tuple[str, str], dict[str, Any]]:  # fmt: skip
    """The same units as a user's objects, through classify_organisation, period by period."""
    heads = {u["unit_id"]: u["head_id"] for u in units}
    lead = {r["staff_id"] for r in rows if r.get("manages_others")}
    cat = {r["staff_id"]: r["category"] for r in rows}
    org = Organisation(
        positions=(Position("CV", "Chuyên viên"), Position("LD", "Lãnh đạo", manages_others=True)),
        units=tuple(Unit(u, u, None, h) for u, h in heads.items()),
        staff=tuple(Staff(s, s, "LD" if s in lead else "CV", u, cat[s], manages_others=s in lead)
                    for s, u in {r["staff_id"]: r["unit_id"] for r in rows}.items()),
    )  # fmt: skip
    crit = [c.id for c in rs.criteria()]
    out = {}
    for p in sorted({u["period"] for u in units}):
        a = [Assessment(r["staff_id"], p, leave=r.get("leave") or "",
                        competent_scores={c: r[c] for c in crit if _nan(r.get(c)) is not None},
                        degradation=bool(r.get("degradation")),
                        months_worked=_nan(r.get("months_worked")))
             for r in rows if r["period"] == p]  # fmt: skip
        ui = [UnitInputs(u["unit_id"], p, **{k: v for k, v in u.items()
                                             if k not in ("unit_id", "period", "head_id")})
              for u in units if u["period"] == p]  # fmt: skip
        for c in evalkit.classify_organisation(org, a, ui, rs).values():
            out.update({(r.staff_id, p): {"total": r.total,
                                          "score_grade": r.score_grade and r.score_grade.name,
                                          "grade": r.grade and r.grade.name}
                        for r in c.staff})  # fmt: skip
    return out


def _agree(got: dict[Any, Any], want: dict[Any, Any]) -> None:
    assert set(got) == set(want)
    bad = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
    assert not bad, bad


# ------------------------------------------------------------------ customs --------------
# ------------------------------------------------------------------ Hà Nội ---------------
@st.composite
def hanoi_units(draw: st.DrawFn, periods: list[str]
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:  # fmt: skip
    """1–2 units of contract staff (the set covers them in every year), a head and 0–11
    staff each, scores near the A threshold, bonus points, leave, an especially outstanding
    unit and a head count with people without a row (``staff_total``)."""
    rows, units = [], []
    for u in range(draw(st.integers(1, 2))):
        people = [f"U{u}H"] + [f"U{u}S{i:02d}" for i in range(draw(st.integers(0, 11)))]
        for p in periods:
            total = draw(st.one_of(st.none(), st.integers(len(people), len(people) + 8)))
            units.append({"unit_id": f"U{u}", "period": p, "head_id": people[0],
                          "tasks_assigned": 10, "tasks_done": draw(st.integers(6, 10)),
                          "exceptional": draw(st.booleans()), "staff_total": total})  # fmt: skip
            for s in people:
                r: dict[str, Any] = {"staff_id": s, "unit_id": f"U{u}", "period": p,
                                     "category": "hop_dong", "is_head": s == people[0]}
                if s != people[0] and draw(st.integers(0, 7)) == 0:
                    r["leave"] = "maternity"
                else:
                    r.update(ky_luat=draw(st.sampled_from([10, 10, 9.5, 8, 5])),
                             dao_duc=draw(st.sampled_from([10, 10, 9, 7.25])),
                             ket_qua_nhiem_vu=draw(st.sampled_from([70, 70, 68, 65.5, 60, 50, 30])),
                             sang_kien=draw(st.sampled_from([0, 0, 2, 5, 10])),
                             thanh_tich=draw(st.sampled_from([0, 0, 1.5, 7])))  # fmt: skip
                rows.append(r)
    return rows, units


def _oracle_hanoi(rows: list[dict[str, Any]], units: list[dict[str, Any]]
                  ) -> dict[tuple[str, str], dict[str, Any]]:  # fmt: skip
    out = {}
    for u in units:
        mine = [r for r in rows if r["unit_id"] == u["unit_id"] and r["period"] == u["period"]]
        for s, v in o.hanoi_month(mine, u).items():
            out[(s, u["period"])] = v
    return out


# ------------------------------------------------------------------ example.tasks-80 -----
@st.composite
def tasks80_rows(draw: st.DrawFn, periods: list[str]) -> tuple[list[dict[str, Any]],
                                                              list[dict[str, Any]]]:  # fmt: skip
    """1–2 units, a head and 0–6 staff, products assigned 0–12 (0: not evaluated), done,
    done to quality and done on time each at most the products done."""
    rows, units = [], []
    for u in range(draw(st.integers(1, 2))):
        people = [f"U{u}H"] + [f"U{u}S{i}" for i in range(draw(st.integers(0, 6)))]
        for p in periods:
            units.append({"unit_id": f"U{u}", "period": p, "head_id": people[0],
                          "tasks_assigned": 10, "tasks_done": draw(st.integers(6, 10))})
            for s in people:
                giao = draw(st.sampled_from([0, 1, 3, 10, 10, 12]))
                done = draw(st.integers(max(0, giao - 3), giao))
                r = {"staff_id": s, "unit_id": f"U{u}", "period": p, "category": "cong_chuc",
                     "is_head": s == people[0], "giao": giao, "hoan_thanh": done,
                     "dat_chat_luong": draw(st.integers(max(0, done - 2), done)),
                     "dung_han": draw(st.integers(max(0, done - 2), done)),
                     **{k: draw(st.sampled_from([5, 5, 4.5, 4, 2.5])) for k in o.TASKS80_GENERAL}}
                rows.append(r)  # fmt: skip
    return rows, units


# ------------------------------------------------------------------ the checks -----------
def _rows_of(frame: pd.DataFrame, cols: tuple[str, ...], key: tuple[str, ...] = ("staff_id",
             "period")) -> dict[Any, dict[str, Any]]:  # fmt: skip
    return {(tuple(str(r[k]) for k in key) if len(key) > 1 else str(r[key[0]])):
            {c: _nan(r[c]) for c in cols} for r in frame.to_dict("records")}  # fmt: skip


def check_customs_quarters(rows: list[dict[str, Any]], units: list[dict[str, Any]]) -> None:
    """Quarter rows: classify_frame and classify_organisation give the oracle's totals,
    bands and grades; classify_year counts the oracle's year."""
    rs = RULES["customs"]
    want = _oracle_quarters(rows, units)
    staff, ur = classify_frame(*_frames(rows, units), rs)
    _agree(_engine(staff), want)
    _agree(_objects(rows, units, rs), want)
    if len(units) > len({u["unit_id"] for u in units}):  # several quarters: the year
        year = _rows_of(classify_year(staff, ur, rs), ("total", "proposed_grade", "grade"),
                        ("staff_id",))  # fmt: skip
        _agree(year, o.customs_year(rows, units, want))


def check_customs_months(rows: list[dict[str, Any]], units: list[dict[str, Any]]) -> None:
    """Customs months: rollup_frame and classify_year(to="quarter") make the oracle's
    quarters (carried months included), classify_year counts the oracle's year."""
    rs = RULES["customs"]
    quarters, year = o.customs_year_from_months(rows, units)
    staff, ur = classify_frame(*_frames(rows, units), rs)
    cols = ("total", "score_grade", "grade")
    _agree(_rows_of(classify_year(staff, ur, rs, to="quarter"), cols), quarters)
    bands = {k: {c: v[c] for c in cols[:2]} for k, v in quarters.items()}
    _agree(_rows_of(rollup_frame(staff, rs, to="quarter"), cols[:2]), bands)
    _agree(_rows_of(classify_year(staff, ur, rs), ("total", "proposed_grade", "grade"),
                    ("staff_id",)), year)  # fmt: skip


def check_hanoi(rows: list[dict[str, Any]], units: list[dict[str, Any]]) -> None:
    """Hà Nội months: classify_frame and classify_organisation give the oracle's grades;
    classify_year the oracle's year (contract staff: the average of the months worked, the
    head cap, no quota for the year)."""
    rs = RULES["hanoi"]
    want = _oracle_hanoi(rows, units)
    staff, ur = classify_frame(*_frames(rows, units), rs)
    _agree(_engine(staff), want)
    _agree(_objects(rows, units, rs), want)
    totals = {k: v["total"] for k, v in want.items()}
    _agree(_rows_of(classify_year(staff, ur, rs), ("total", "proposed_grade", "grade"),
                    ("staff_id",)), o.average_year(rows, units, totals, percent=None))  # fmt: skip


def check_tasks80(rows: list[dict[str, Any]], units: list[dict[str, Any]]) -> None:
    """example.tasks-80: score_frame and evalkit.score give the oracle's totals;
    classify_year the oracle's year (average, head cap, 20 % quota)."""
    rs = RULES["tasks80"]
    frame = evalkit.score_frame(pd.DataFrame(rows).drop(columns=["is_head", "unit_id"]), rs)
    crit = [c.id for c in rs.criteria()]
    totals = {(r["staff_id"], r["period"]): o.tasks80_total(r) for r in rows}
    for r, got in zip(rows, frame["total"], strict=True):
        one = evalkit.score(Assessment(r["staff_id"], r["period"],
                                       competent_scores={c: r[c] for c in crit}), rules=rs)
        assert (_nan(got), one.total) == (totals[(r["staff_id"], r["period"])],) * 2, r
    year = classify_year(*classify_frame(*_frames(rows, units), rs), rs)
    _agree(_rows_of(year, ("total", "proposed_grade", "grade"), ("staff_id",)),
           o.average_year(rows, units, totals))


# ------------------------------------------------------------------ the properties -------
@FAST
@given(data=st.data())
def test_customs_quarters_agree_with_the_oracle(data: st.DataObject) -> None:
    rows, units = data.draw(customs_units(data.draw(st.sampled_from(
        [["2026-Q3"], ["2026-Q3", "2026-Q4"]]))))  # fmt: skip
    note(repr(units))
    check_customs_quarters(rows, units)


@FAST
@given(data=st.data())
def test_customs_months_agree_with_the_oracle(data: st.DataObject) -> None:
    rows, units = data.draw(customs_units(MONTHS, months_worked=False,
                                          leave=data.draw(st.sampled_from([2, 9]))))
    note(repr(units))
    check_customs_months(rows, units)


@FAST
@given(data=st.data())
def test_hanoi_months_agree_with_the_oracle(data: st.DataObject) -> None:
    rows, units = data.draw(hanoi_units(data.draw(st.sampled_from(
        [["2026-03"], ["2026-03", "2026-04"]]))))  # fmt: skip
    note(repr(units))
    check_hanoi(rows, units)


@FAST
@given(data=st.data())
def test_tasks80_agrees_with_the_oracle(data: st.DataObject) -> None:
    rows, units = data.draw(tasks80_rows(["2026-03", "2026-04", "2026-05"]))
    note(repr(units))
    check_tasks80(rows, units)


def _broken(rs: evalkit.RuleSet, **what: Any) -> evalkit.RuleSet:
    """A copy of ``rs`` with one part of a table changed: ``quota__percent=30``."""
    part, field = next(iter(what)).split("__")
    return attrs.evolve(rs, **{part: attrs.evolve(getattr(rs, part), **{field: what[
        f"{part}__{field}"]})})  # fmt: skip


BROKEN = [  # (the check, its strategy, the rule set swapped, how it is broken)
    (check_customs_quarters, customs_units(["2026-Q3", "2026-Q4"]), "customs",
     {"quota__percent": 100}),
    (check_customs_quarters, customs_units(["2026-Q3", "2026-Q4"]), "customs",
     {"units__deputy_capped_at_head_when_late": False}),
    (check_customs_months, customs_units(MONTHS, months_worked=False, leave=2), "customs",
     {"rollup__period_short_months": None}),
    (check_customs_months, customs_units(MONTHS, months_worked=False), "customs",
     {"rollup__count_kht_min": 1}),
    (check_hanoi, hanoi_units(["2026-03"]), "hanoi", {"quota__percent": 50}),
    (check_hanoi, hanoi_units(["2026-03"]), "hanoi", {"units__head_capped_at_unit": False}),
    (check_tasks80, tasks80_rows(["2026-03", "2026-04"]), "tasks80", {"quota__percent": 50}),
]


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # a large repr
@pytest.mark.parametrize(("check", "drawn", "which", "how"), BROKEN,
                         ids=[f"{b[2]}-{next(iter(b[3]))}" for b in BROKEN])
def test_each_property_fails_on_a_broken_engine(check: Any, drawn: Any, which: str,
                                                how: dict[str, Any]) -> None:
    """Each check fails when the engine is given a wrong rule (a monkeypatched rule set):
    the properties would catch such an engine."""
    broken = _broken(RULES[which], **how)

    # Derandomized, and far more examples than the few (4–35 over 30 seeds) each broken rule
    # needs: the test stops at the first disagreement, and must not miss it by chance.
    @settings(deadline=None, max_examples=1000, phases=[Phase.generate], derandomize=True)
    @given(drawn)
    def run(made: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        check(*made)

    # (a set broken so that it no longer reads a unit flag the strategy sets refuses it:
    # deputy_capped_at_head_when_late off and late_work drawn, af150)
    with mock.patch.dict(RULES, {which: broken}), pytest.raises(
            (AssertionError, evalkit.InputError)):  # fmt: skip
        run()


# ------------------------------------------------------------------ the minimal cases ----
def test_a_month_is_never_carried_into_a_quarter_that_is_itself_short() -> None:
    """Found by the oracle (af36). CV 21169/CHQ-TCCB (domain brief §4.4): "staff who worked
    ≤ 1 month in a quarter are not evaluated that quarter (carried to the next)". A worked
    August (Q3: 1 month) and November (Q4: 1 month): Q4 is a quarter of one month worked,
    so it is not evaluated either; August's month was worked in Q3, not in Q4. Neither
    quarter is graded and the year has no quarter to count. The engine graded Q4 on the two
    months (95, HTT for the year)."""
    rows = pd.DataFrame([{"staff_id": "A", "unit_id": "U", "rule_set": CQ.id, "period": p,
                          "total": 95.0} for p in ("2026-08", "2026-11")])  # fmt: skip
    q = rollup_frame(rows, CQ, to="quarter")
    assert q["total"].isna().all() and q["reasons"].tolist() == ["rollup.period_short"] * 2
    assert q["months"].tolist() == [1, 1] and q["carried_months"].tolist() == [0, 0]
    year = rollup_frame(rows, CQ)
    assert year["total"].isna().all() and year["grade"].isna().all()
    # a month carried on through a short quarter to one with two months of its own: counted
    more = pd.concat([rows, rows.tail(1).assign(period="2026-12", total=80.0)], ignore_index=True)
    q = rollup_frame(more, CQ, to="quarter")
    assert q["carried_months"].tolist() == [0, 1] and q["total"].tolist()[1] == 90.0  # 270 / 3


def _customs_months(flag: dict[str, Any], month: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, units = [], []
    for m in range(7, 13):
        p = f"2026-{m:02d}"
        units.append({"unit_id": "U", "period": p, "head_id": "H", "tasks_assigned": 10,
                      "tasks_done": 10})  # fmt: skip
        for s, lead in (("H", True), ("A", False)):
            hit = m == month and (lead or "corruption_in_unit" not in flag)
            rows.append({"staff_id": s, "unit_id": "U", "period": p, "category": "cong_chuc",
                         **CQ.full_marks(manages_others=lead), **(flag if hit else {})})
    return pd.DataFrame(rows), pd.DataFrame(units)


@pytest.mark.parametrize("flag", [{"degradation": True},
                                  {"discipline": 1, "discipline_related_to_duty": True},
                                  {"corruption_in_unit": True}], ids=lambda f: next(iter(f)))
@pytest.mark.parametrize("month", [9, 12])
def test_a_customs_year_of_months_keeps_the_disqualifiers(flag: dict[str, Any], month: int,
                                                          tmp_path: Any) -> None:  # fmt: skip
    """Found by the oracle (af36). NĐ 335/2025 Điều 20 k4 b, c, d (domain brief §4.1: "the
    grades, the disqualifiers and the quota below are the annual classification"; the
    customs set's caps apply in the periods it classifies, the quarter and the year). By
    hand: H (head) and A at full marks all year (100); each quarter the quota (20 % of 0 HTT)
    leaves both HTT; the flag in ``month`` makes that quarter KHT. The count alone gives
    HTT (1 KHT quarter, 1 at HT or below); the year's disqualifier gives KHT — to A unless
    the flag is a leader's (corruption in the unit: the head only). The year from the same
    facts as quarter rows said KHT; from months the flag was lost (HTT)."""
    from evalkit.io.archive import Archive

    sm, units = _customs_months(flag, month)
    staff, ur = classify_frame(sm, units, CQ)
    want = {"H": "KHT", "A": "HTT" if "corruption_in_unit" in flag else "KHT"}
    year = classify_year(staff, ur, CQ).set_index("staff_id")
    assert year["grade"].to_dict() == want
    assert year.loc["H", "reasons"].startswith("rollup.count.good;disqualifier.")
    both = pd.concat([sm, staff[[c for c in staff.columns if c not in sm]]], axis=1)
    with Archive(tmp_path / "a.sqlite") as a:
        for p in sorted(sm["period"].unique()):
            a.finalize(both[both["period"] == p], by="TCCB", units=ur[ur["period"] == p],
                       unit_inputs=units[units["period"] == p])  # fmt: skip
        assert a.annual(2026).set_index("staff_id")["annual_grade"].to_dict() == want
