"""The library's invariants as Hypothesis properties (audit af30): what must hold for every
organisation, every period and every rule set, through the engine's frame doors
(:func:`evalkit.classify_frame`, :func:`classify_year`, :func:`rollup_frame`) and back
through the results files and the archive.

Each property is checked with expectations computed here, never read from the engine:
the head not above the unit, the deputy not above the head (customs, late work), the
quota's demotions in the order of the totals, the year's mean within its months, leave
never lowering the year, a worse quarter never making a better year, row order changing
nothing, every reason code in the catalogue with its two languages and its citation. The
examples follow ``HYPOTHESIS_PROFILE`` (``ci``: 100 each).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, note
from hypothesis import strategies as st

import evalkit
from evalkit import Grade
from evalkit.io.archive import Archive
from evalkit.io.results import read_results, write_results, write_results_csv
from evalkit.reasons import _NOT_CITED, _cited_rule, explain, make_reasons, template_for
from evalkit.units import classify_frame, classify_year, rollup_frame
from tests.strategies import Months, organisation_months, organisation_periods

ND335 = evalkit.rules.get("vn.nd335-2025")
CUSTOMS = evalkit.rules.get("vn.customs-2026q")
MONTHLY = [rs.id for rs in evalkit.rules.available() if rs.classifies("month")]  # Hà Nội
AVERAGED = [rs.id for rs in evalkit.rules.available() if rs.rollup.method == "average"]
YEAR_2026 = [f"2026-{m:02d}" for m in range(1, 13)]
LEVEL = {g.code: int(g) for g in Grade}


def _months(rs: evalkit.RuleSet, months: Months) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The months classified by classify_frame, staff and units each in one frame."""
    done = [classify_frame(sm, units, rs) for sm, units in months]
    return (pd.concat([d[0] for d in done], ignore_index=True),
            pd.concat([d[1] for d in done], ignore_index=True))  # fmt: skip


def _level(value: Any) -> int:
    """A grade as its rank (KHT 1 … HTXS 4), 0 for none."""
    return 0 if pd.isna(value) else LEVEL[str(value)]


# --------------------------------------------------------------------------- the checks


def heads_not_above_units(out: pd.DataFrame) -> None:
    """Domain brief §3 step 5 (NĐ 335 heads; NĐ 233 Điều 12 k7): a head's final grade is
    never above their unit's grade, where both exist."""
    for _, r in out[out["is_head"].astype(bool)].iterrows():
        if _level(r["unit_grade"]) and _level(r["grade"]):
            assert _level(r["grade"]) <= _level(r["unit_grade"]), r.to_dict()


def deputies_not_above_heads(out: pd.DataFrame, late_units: set[str]) -> None:
    """CV 21169/CHQ-TCCB (domain brief §4.4): in a quarter where the unit had late work,
    the deputy's final grade is not above the head's final grade."""
    heads = out[out["is_head"].astype(bool)].set_index(["unit_id", "period"])["grade"]
    deputies = out[out["manages_others"].astype(bool) & ~out["is_head"].astype(bool)]
    for _, r in deputies[deputies["unit_id"].isin(late_units)].iterrows():
        head = heads.get((r["unit_id"], r["period"]))
        if head is not None:
            assert _level(r["grade"]) <= _level(head), (r.to_dict(), head)


def quota_in_order(out: pd.DataFrame, late_units: Collection[str] = ()) -> None:
    """NĐ 335 Điều 20 k5 a, domain brief §4.6: in each quota group no more HTXS than its
    cap; a demoted candidate never has a higher total than a kept one (the tie-break's
    first key) and carries ``quota.demoted`` (or, a deputy, ``cap.deputy_head``); nobody
    demoted keeps HTXS. A deputy capped at the head (customs, a unit in ``late_units``)
    ranks right after the head (docs/units.md step 3): compared at the head's total when
    that is lower."""
    if "quota_group" not in out.columns:
        return
    if late_units and "manages_others" in out.columns:
        heads = out[out["is_head"].astype(bool)].set_index(["unit_id", "period"])["total"]
        deputy = (out["manages_others"].astype(bool) & ~out["is_head"].astype(bool)
                  & out["unit_id"].isin(late_units))  # fmt: skip
        key = pd.MultiIndex.from_frame(out[["unit_id", "period"]].astype(str))
        head_total = heads.reindex(key).to_numpy(dtype=float)
        out = out.assign(total=np.where(deputy & (head_total < out["total"].to_numpy(float)),
                                        head_total, out["total"]))
    for _, g in out[out["quota_group"] >= 0].groupby("quota_group"):
        assert (g["grade"] == "HTXS").sum() <= g["quota_cap"].iloc[0]
        codes = g["reasons"].astype(str).str.split(";")
        demoted = g[codes.map(lambda c: "quota.demoted" in c)]
        kept = g[(g["proposed_grade"] == "HTXS") & (g["grade"] == "HTXS")]
        assert (demoted["proposed_grade"] == "HTXS").all()
        assert demoted["grade"].map(_level).le(LEVEL["HTT"]).all()
        if len(demoted) and len(kept):
            assert demoted["total"].max() <= kept["total"].min(), g.to_dict("records")
        lost = g[(g["proposed_grade"] == "HTXS") & (g["grade"] != "HTXS")]
        said = lost["reasons"].astype(str).str.contains(r"quota\.demoted|cap\.deputy_head")
        assert said.all(), lost.to_dict("records")


def catalogued(out: pd.DataFrame) -> None:
    """Every reason of every row is in the catalogue, in Vietnamese and English with every
    parameter filled (no "—" standing for a missing value), and cites the source its rule
    gives unless that rule is practice or unsourced (reasons.py ``_NOT_CITED``)."""
    for rec in out.to_dict("records"):
        rs = evalkit.rules.get(rec["rule_set"])
        for r in make_reasons(rec.get("reasons", ""), rs, rec):
            tpl = template_for(r.code)
            assert r.message_vi and r.message_en, r
            assert "—" not in r.message_vi + r.message_en and "{" not in r.message_vi, (r, rec)
            rule, source = _cited_rule(rs, tpl, r.code, rec)
            if source and getattr(rule, "status", "") not in _NOT_CITED:
                assert r.source == source, r


def within_months(months: pd.DataFrame, year: pd.DataFrame) -> None:
    """NĐ 335 Điều 21: the year's score is the mean of the months worked, so it lies
    between their lowest and highest total."""
    ev = months[months["total"].notna()].groupby("staff_id")["total"]
    got = year.set_index("staff_id")["total"].reindex(ev.min().index)
    assert ((got >= ev.min()) & (got <= ev.max())).all(), pd.concat([ev.min(), got, ev.max()],
                                                                    axis=1)  # fmt: skip


def same_rows(a: pd.DataFrame, b: pd.DataFrame, cols: list[str]) -> None:
    """``a`` and ``b`` give every person the same values of ``cols``."""
    keys = ["staff_id", "period"]
    pd.testing.assert_frame_equal(a.set_index(keys)[cols].sort_index().astype(str),
                                  b.set_index(keys)[cols].sort_index().astype(str))  # fmt: skip


# --------------------------------------------------------------------------- properties


@given(ex=organisation_periods(ND335, YEAR_2026, max_units=2, max_staff_per_unit=3,
                                max_periods=2), seed=st.integers(0, 2**16))  # fmt: skip
def test_the_year_of_any_organisation_keeps_every_invariant(ex: Any, seed: int) -> None:
    """NĐ 335, classified for the year from its months (classify_year): heads capped at
    their units, the quota in order, the mean within the months, reasons catalogued, and
    the same answer whatever the order of the input rows."""
    _, months = ex
    staff, units = _months(ND335, months)
    year = classify_year(staff, units, ND335)
    note(year[["staff_id", "is_head", "total", "proposed_grade", "grade", "unit_grade",
               "reasons"]].to_string())  # fmt: skip
    heads_not_above_units(year)
    quota_in_order(year)
    within_months(staff, year)
    catalogued(year)
    rng = np.random.default_rng(seed)
    shuffled = classify_year(staff.iloc[rng.permutation(len(staff))],
                             units.iloc[rng.permutation(len(units))], ND335)  # fmt: skip
    same_rows(year, shuffled, ["total", "grade", "unit_grade", "reasons"])


@st.composite
def _customs_quarters(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One customs unit over two or three months of Q3/2026: a head, a deputy and 0-8 staff,
    each scored every month at a drawn share of every maximum (total = 100 × share); the
    unit's tasks all done, its late work drawn per month."""
    share = st.sampled_from([1.0, 0.95, 0.9, 0.8, 0.75, 0.6])
    people = {"H": draw(share), "D": draw(share)}
    staff_share = draw(share)
    people |= {f"S{i}": staff_share for i in range(draw(st.integers(0, 8)))}
    rows, units = [], []
    for m in draw(st.sampled_from([(7, 8), (7, 8, 9), (8, 9)])):
        for sid, part in people.items():
            leader = sid in ("H", "D")
            marks = {cid: round(top * part, 2) for cid, top in CUSTOMS.full_marks(leader).items()
                     if not CUSTOMS.criterion(cid).management}  # fmt: skip
            rows.append({"staff_id": sid, "unit_id": "HQ", "period": f"2026-{m:02d}",
                         "category": "cong_chuc", "manages_others": leader, **marks,
                         **({"to_chuc_trien_khai": 100.0, "tap_hop_doan_ket": 100.0}
                            if leader else {})})  # fmt: skip
        units.append({"unit_id": "HQ", "head_id": "H", "period": f"2026-{m:02d}",
                      "tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": 10,
                      "late_work": draw(st.booleans())})  # fmt: skip
    return pd.DataFrame(rows), pd.DataFrame(units)


@given(ex=_customs_quarters())
def test_a_customs_quarter_never_grades_the_deputy_above_the_head(ex: Any) -> None:
    """CV 21169/CHQ-TCCB: each quarter the head is not above the unit and, where the unit
    had late work, the deputy not above the head — after the quota too (a head the quota
    demotes caps the deputy: audit af30); the quota in order; reasons catalogued (the
    deputy's sentence names the head's grade)."""
    staff, units = classify_frame(*ex, CUSTOMS)
    q = classify_year(staff, units, CUSTOMS, to="quarter")
    note(q[["staff_id", "total", "proposed_grade", "grade", "unit_grade", "reasons"]].to_string())
    heads_not_above_units(q)
    late = set(units.loc[units["late_work"].astype(bool), "unit_id"])
    deputies_not_above_heads(q, late)
    quota_in_order(q, late)
    catalogued(q)


@given(data=st.data(), rule_set_id=st.sampled_from(MONTHLY))
def test_a_monthly_scheme_keeps_its_invariants_each_month(
    data: st.DataObject, rule_set_id: str
) -> None:
    """A set that classifies the month (Hà Nội QĐ 3814): head capped, quota in order,
    reasons catalogued; and a disqualifier (degradation, a reprimand) never raises the
    grade of the person it hits (NĐ 335 Điều 20 k4)."""
    rs = evalkit.rules.get(rule_set_id)
    _, sm, units = data.draw(organisation_months(rs, max_units=3))
    if data.draw(st.booleans()):
        units["exceptional"] = data.draw(st.lists(st.booleans(), min_size=len(units),
                                                  max_size=len(units)))  # fmt: skip
    staff, _ = classify_frame(sm, units, rs)
    heads_not_above_units(staff)
    quota_in_order(staff)
    catalogued(staff)
    i = data.draw(st.sampled_from(list(sm.index)))
    hit = sm.copy()
    flag = data.draw(st.sampled_from(["degradation", "discipline"]))
    hit.loc[i, flag] = True if flag == "degradation" else 3
    after, _ = classify_frame(hit, units, rs)
    assert _level(after.at[i, "grade"]) <= _level(staff.at[i, "grade"])


def _year_rows(draw: st.DrawFn, rs: evalkit.RuleSet, year: int) -> pd.DataFrame:
    """Up to three people's months: scored (cents), not evaluated, or on legal leave."""
    rows = []
    for person in range(draw(st.integers(1, 3))):
        for m in sorted(draw(st.sets(st.integers(1, 12), min_size=1))):
            kind = draw(st.sampled_from(["score", "score", "score", "none", "maternity",
                                         "sick", "absent"]))  # fmt: skip
            total = draw(st.integers(0, 10_000)) / 100 if kind == "score" else np.nan
            rows.append({"staff_id": f"S{person}", "period": f"{year}-{m:02d}",
                         "total": total, "category": rs.categories[0],
                         "leave": None if kind in ("score", "none") else kind})  # fmt: skip
    return pd.DataFrame(rows)


@given(data=st.data(), rule_set_id=st.sampled_from(AVERAGED))
def test_the_averaged_year_lies_within_its_months_and_leave_never_lowers_it(
    data: st.DataObject, rule_set_id: str
) -> None:
    """NĐ 335 Điều 21 (and the sets averaging months): the year's total lies between the
    lowest and highest month worked; a month without a score marked as legal leave
    (maternity; sick or absent where the set has no absence cap) changes no total and
    lowers no grade; shuffling the rows changes nothing."""
    rs = evalkit.rules.get(rule_set_id)
    year = rs.effective_from.year + 1 if rs.effective_to is None else rs.effective_to.year - 1
    df = _year_rows(data.draw, rs, year)
    out = rollup_frame(df, rs, force=True)
    within_months(df, out)
    blank = df.index[df["total"].isna() & df["leave"].isna()]
    if len(blank):
        i = data.draw(st.sampled_from(list(blank)))
        kinds = ["maternity"] if rs.rollup.absent_cap else ["maternity", "sick", "absent"]
        leave = df.assign(leave=df["leave"].astype(object))
        leave.loc[i, "leave"] = data.draw(st.sampled_from(kinds))
        a = out.set_index("staff_id").loc[df.at[i, "staff_id"]]
        b = rollup_frame(leave, rs, force=True).set_index("staff_id").loc[df.at[i, "staff_id"]]
        assert a["total"] == b["total"] or (pd.isna(a["total"]) and pd.isna(b["total"]))
        assert _level(b["grade"]) >= _level(a["grade"])
    shuffled = rollup_frame(df.sample(frac=1, random_state=len(df)), rs, force=True)
    same_rows(out, shuffled, ["total", "grade", "reasons", "months", "leave_months"])


def test_a_better_quarter_never_makes_a_worse_customs_year() -> None:
    """The customs year counted from four quarter grades (domain brief §4.4): raising one
    quarter's grade never lowers the year's grade (a KHT quarter is never better than an HT
    one: KHT + 2 HT + HTT was HTT while 3 HT + HTT is HT — audit af30). All 256 years of
    four grades, in one roll-up (too few for sampling to be surer than listing them)."""
    codes = list(LEVEL)  # KHT, HT, HTT, HTXS; the totals follow (30, 50, 70, 90)
    years = list(itertools.product(codes, repeat=4))
    df = pd.DataFrame({"staff_id": np.repeat([f"Y{i:03d}" for i in range(len(years))], 4),
                       "period": [f"2027-Q{q}" for q in range(1, 5)] * len(years),
                       "unit_id": "U", "rule_set": CUSTOMS.id,
                       "grade": [g for y in years for g in y],
                       "total": [30.0 + 20 * codes.index(g) for y in years for g in y]})
    out = rollup_frame(df, CUSTOMS).set_index("staff_id")["grade"].map(_level)
    of = dict(zip(years, out.loc[[f"Y{i:03d}" for i in range(len(years))]], strict=True))
    for y, grade in of.items():
        for q in range(4):
            if y[q] != "HTXS":
                better = (*y[:q], codes[codes.index(y[q]) + 1], *y[q + 1:])
                assert of[better] >= grade, (y, better)


def _round_trips(results: pd.DataFrame, units: pd.DataFrame, inputs: pd.DataFrame,
                 folder: Path) -> dict[str, Callable[[], pd.DataFrame]]:
    period = str(results["period"].iloc[0])

    def archived() -> pd.DataFrame:
        with Archive(folder / "a.sqlite") as a:
            a.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
            return a.month(period).set_index("staff_id").loc[results["staff_id"]].reset_index()

    return {"json": lambda: read_results(write_results(results, folder / "r.json")),
            "csv": lambda: pd.read_csv(write_results_csv(results, folder / "r.csv"),
                                       dtype={"staff_id": str}),
            "archive": archived}  # fmt: skip


@given(data=st.data(), rule_set_id=st.sampled_from([*MONTHLY, ND335.id]))
def test_results_read_back_give_the_same_grades_and_sentences(
    data: st.DataObject, rule_set_id: str
) -> None:
    """A month's results written (JSON, CSV) or archived and read back give every person the
    same grade and the same ``explain`` sentences in both languages."""
    rs = evalkit.rules.get(rule_set_id)
    _, sm, units = data.draw(organisation_months(rs, max_units=1, max_staff_per_unit=4))
    staff, unit_results = classify_frame(sm, units, rs)
    results = pd.concat([sm, staff[[c for c in staff.columns if c not in sm.columns]]], axis=1)
    want = {lang: explain(results, lang=lang).tolist() for lang in ("vi", "en")}
    grades = results["grade"].astype(object).where(results["grade"].notna(), None).tolist()
    door = data.draw(st.sampled_from(["json", "csv", "archive"]))  # one a case: quicker
    with TemporaryDirectory() as tmp:
        back = _round_trips(results, unit_results, units, Path(tmp))[door]()
    got = back["grade"].astype(object).where(back["grade"].notna(), None).tolist()
    assert got == grades, door
    for lang in ("vi", "en"):
        assert explain(back, lang=lang).tolist() == want[lang], (door, lang)
