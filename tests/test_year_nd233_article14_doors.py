"""NĐ 233/2026/NĐ-CP Điều 14 k1–k2 and Điều 12 k6–k7 across the doors (af96), the 2026
transition year of a hospital department (NĐ 90/2020 January to June, NĐ 233 from July;
the year classified under NĐ 233, the set in force at its end). Decree text:
docs/_research/legal-sources.md §13.

  Điều 14 k1: Viên chức có thời gian làm việc trong năm chưa đủ 06 tháng không xếp loại
  chất lượng, trừ trường hợp quy định tại khoản 2 Điều này.
  Điều 14 k2: ... nghỉ ốm hoặc nghỉ thai sản theo quy định của pháp luật về bảo hiểm xã hội
  thì kết quả xếp loại chất lượng trong năm là kết quả xếp loại chất lượng của thời gian
  làm việc thực tế của năm đó.
  Điều 12 k6 a: HTXS ≤ 20 % of those rated HTT (in one body, per group of similar duties).
  Điều 12 k7: the head not above the unit.

Khoa Nội (K1) is led by TK0 from January to July, then by TK (August to December: five
months, not classified, Điều 14 k1). Every month K1 does 8 of 10 tasks (80: HTT); general
criteria full, a, b, c all at the person's share: 30 + 0.7 × share (80 → 86, 100 → 100).
By hand:

* S1 sick January–March (NĐ 90's half), works April–July: 4 months, classified on them
  (k2): 86, HTT; S0 sick all year: no month worked, not classified; F1 works January–May:
  5 months, not classified (k1); A1 absent February–July, 6 months worked: classified, HTT
  (no absence cap in NĐ 233);
* the quota's base is those rated HTT (k6 a): A1, S1, TK0 (91.8 capped at K1's HTT),
  V2–V5 → 7, not F1, TK, S0 → at most 1 HTXS: V1 (100) keeps it, V6 (96.5) is HTT;
* the summary of K1's year is headed and signed by its head at the year's end, TK — not
  by TK0, who left in July.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit.rules
from evalkit import workflow
from evalkit.io.archive import Archive
from evalkit.model import Grade
from evalkit.units import classify_frame, classify_year, results_from_frame, rollup, rollup_frame
from tests._cli_helpers import ok

SHARE = {"TK0": 80, "TK": 100, "V1": 100, "V2": 80, "V3": 80, "V4": 80, "V5": 80, "V6": 95,
         "S0": 80, "S1": 80, "A1": 80, "F1": 80}  # fmt: skip
WORKS = {"TK0": range(1, 8), "TK": range(8, 13), "S1": range(1, 8), "F1": range(1, 6)}
LEAVE = {"S0": dict.fromkeys(range(1, 13), "sick"), "S1": dict.fromkeys((1, 2, 3), "sick"),
         "A1": dict.fromkeys(range(2, 8), "absent")}  # fmt: skip
YEAR = {"TK0": "HTT", "TK": None, "V1": "HTXS", "V2": "HTT", "V3": "HTT", "V4": "HTT",
        "V5": "HTT", "V6": "HTT", "S0": None, "S1": "HTT", "A1": "HTT", "F1": None}  # fmt: skip


def _head(m: int) -> str:
    return "TK0" if m <= 7 else "TK"


def _month(m: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    per = f"2026-{m:02d}"
    rs = evalkit.rules.get("vn.nd90-2020" if m <= 6 else "vn.nd233-2026")
    rows = []
    for sid, share in SHARE.items():
        if m not in WORKS.get(sid, range(1, 13)):
            continue
        row = {"staff_id": sid, "full_name": f"Người {sid}", "unit_id": "K1", "period": per,
               "category": "vien_chuc", "rule_set": rs.id, "manages_others": sid == _head(m)}
        if kind := LEAVE.get(sid, {}).get(m):
            row["leave"] = kind
        else:
            row.update(rs.full_marks(manages_others=sid == _head(m)),
                       **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), share))
        rows.append(row)
    inputs = pd.DataFrame(rows)
    units = pd.DataFrame([{"unit_id": "K1", "name": "Khoa Nội", "head_id": _head(m),
                           "tasks_assigned": 10, "tasks_done": 8, "period": per}])
    out, unit_results = classify_frame(inputs, units, rs)
    return pd.concat([inputs, out[[c for c in out if c not in inputs]]], axis=1), unit_results, units


@pytest.fixture(scope="module")
def months() -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    return [_month(m) for m in range(1, 13)]


def _grades(year: pd.DataFrame, col: str = "grade") -> dict[str, str | None]:
    return {s: (None if pd.isna(g) else str(g))
            for s, g in zip(year["staff_id"], year[col].astype(object), strict=True)}


def test_the_year_by_hand_and_its_head_at_the_years_end(months: list[Any]) -> None:
    staff = pd.concat([m[0] for m in months], ignore_index=True)
    units = pd.concat([m[1] for m in months], ignore_index=True)
    year = classify_year(staff, units)
    assert _grades(year) == YEAR
    y = year.set_index("staff_id")
    assert y.loc["S1", "months"] == 4 and "rollup.leave" in y.loc["S1", "reasons"].split(";")
    assert y.loc["S0", "reasons"] == "rollup.no_months"
    for sid in ("F1", "TK"):
        assert "rollup.too_few_months" in y.loc[sid, "reasons"].split(";")
    assert (y.loc["A1", "months"], y.loc["A1", "total"]) == (6, 86.0)
    assert y.loc["V6", "quota_base"] == 7 and "quota.demoted" in y.loc["V6", "reasons"]
    table = workflow.year_units(year, units).set_index("unit_id")
    assert table.loc["K1", "head_id"] == "TK"


def test_the_archive_and_the_annual_sheet_name_the_head_at_the_years_end(
        months: list[Any], tmp_path: Path) -> None:  # fmt: skip
    from tests.test_cli_annual_org import text_of

    arc = tmp_path / "a.sqlite"
    with Archive(arc) as a:
        for results, unit_results, inputs in months:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        assert _grades(a.annual(2026), "annual_grade") == YEAR
    ok("annual", "--year", "2026", "--archive", str(arc), "--pdf", str(tmp_path / "pdf"))
    summary = text_of(tmp_path / "pdf" / "units" / "2026_K1.pdf")
    assert "người đứng đầu: người tk " in summary and "người đứng đầu: người tk0" not in summary


# --- a property against an oracle written from the decree's text (Điều 14 k1–k2, Điều 12
# k1–k4 a/c, k5, k6 a), independent of the engine and of tests/oracle_national.py ---------

ND233 = evalkit.rules.get("vn.nd233-2026")
#: a month: a total (scored), a leave kind (no score) or None (no row: not working there)
MONTH = st.one_of(st.sampled_from([45.0, 62.5, 75.0, 86.0, 89.995, 90.0, 95.5, 100.0]),
                  st.sampled_from(["sick", "maternity", "absent"]), st.none())


def _oracle(people: dict[str, list[Any]], disciplined: set[str]) -> dict[str, Any]:
    """Each person's year, by the decree: the months worked are the scored months of the
    whole year (in 2026 NĐ 90's too); none, or fewer than 6 without sick or maternity leave
    (Điều 14 k1, k2), not classified; else the mean of the months (Điều 12 k5), half-up to
    the cent, banded 90/70/50 (k1–k4 a), KHT for a duty-related discipline in the year
    (k4 c); then HTXS kept for at most ⌊20 % of those rated HTT⌋ (k6 a; those not
    classified are not rated HTT), highest totals first."""
    out: dict[str, Any] = {}
    for sid, ms in people.items():
        scores = [Fraction(str(m)) for m in ms if isinstance(m, float)]
        exempt = {m for m in ms if m in ("sick", "maternity")}
        total = None
        if scores:
            mean = sum(scores, Fraction(0)) / len(scores)
            total = float(Decimal(mean.numerator / Decimal(mean.denominator)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP))  # fmt: skip
        if not scores or (len(scores) < 6 and not exempt):
            out[sid] = (len(scores), total, None, exempt if scores else set())
            continue
        band = "HTXS" if total >= 90 else "HTT" if total >= 70 else "HT" if total >= 50 else "KHT"
        out[sid] = (len(scores), total, "KHT" if sid in disciplined else band, exempt)
    base = sum(v[2] == "HTT" for v in out.values())
    cands = sorted((s for s, v in out.items() if v[2] == "HTXS"), key=lambda s: -out[s][1])
    for s in cands[base * 20 // 100:]:
        out[s] = (*out[s][:2], "HTT (quota)", out[s][3])
    return out


@st.composite
def units(draw: st.DrawFn) -> tuple[int, dict[str, list[Any]], set[str]]:
    year = draw(st.sampled_from([2026, 2027]))
    n = draw(st.integers(1, 9))
    people = {f"P{i}": draw(st.lists(MONTH, min_size=12, max_size=12)) for i in range(n)}
    people = {s: ms for s, ms in people.items() if any(m is not None for m in ms)} or {
        "P0": [86.0] * 12}
    # a duty-related reprimand in one of the person's scored months (either half in 2026)
    disciplined = {s for s in people if any(isinstance(m, float) for m in people[s])
                   and draw(st.integers(0, 5)) == 0}  # fmt: skip
    return year, people, disciplined


def _frame(year: int, people: dict[str, list[Any]], disciplined: set[str]) -> pd.DataFrame:
    rows = []
    for sid, ms in people.items():
        first = next((i for i, m in enumerate(ms) if isinstance(m, float)), -1)
        for i, m in enumerate(ms):
            if m is None:
                continue
            rows.append({"staff_id": sid, "unit_id": "K", "category": "vien_chuc",
                         "period": f"{year}-{i + 1:02d}",
                         "rule_set": "vn.nd90-2020" if year == 2026 and i < 6 else ND233.id,
                         "total": m if isinstance(m, float) else None,
                         "leave": m if isinstance(m, str) else "",
                         "discipline": int(sid in disciplined and i == first),
                         "discipline_related_to_duty": True})
    return pd.DataFrame(rows)


def _check(year_rows: pd.DataFrame, want: dict[str, Any], quota: bool = True) -> None:
    got = year_rows.set_index("staff_id")
    assert set(got.index) == set(want)
    for sid, (worked, total, graded, exempt) in want.items():
        row, codes = got.loc[sid], set(str(got.loc[sid, "reasons"]).split(";"))
        assert row["rule_set"] == ND233.id, sid  # the set in force at the year's end
        assert row["months"] == worked, sid
        assert (pd.isna(row["total"]) and total is None) or row["total"] == total, sid
        demoted = graded == "HTT (quota)"
        grade = ("HTT" if quota else "HTXS") if demoted else graded
        assert (None if pd.isna(row["grade"]) else str(row["grade"])) == grade, sid
        assert ("quota.demoted" in codes) == (demoted and quota), sid
        assert ("rollup.no_months" in codes) == (worked == 0), sid
        assert ("rollup.too_few_months" in codes) == (worked > 0 and grade is None), sid
        # k2's leave, said once for a year classified on the time worked (any count)
        assert ("rollup.leave" in codes) == bool(exempt), sid
        assert "rollup.absent_cap" not in codes, sid  # NĐ 233 has no absence cap


@given(units())
def test_the_year_agrees_with_article_14_through_the_frames_and_objects(
        unit: tuple[int, dict[str, list[Any]], set[str]]) -> None:  # fmt: skip
    year, people, disciplined = unit
    want = _oracle(people, disciplined)
    frame = _frame(year, people, disciplined)
    _check(classify_year(frame), want)
    _check(rollup_frame(frame), want, quota=False)
    # the objects: each person's months as results, leave given per month
    objects = results_from_frame(frame[frame["total"].notna()])
    for sid, ms in people.items():
        mine = [r for r in objects if r.staff_id == sid]
        leave = {f"{year}-{i + 1:02d}": m for i, m in enumerate(ms) if isinstance(m, str)}
        if not mine:  # on leave every month of the year: no result to give the objects
            continue
        [y] = rollup(mine, leave=leave, disciplined=[
            str(r.period) for r in mine if sid in disciplined][:1])  # fmt: skip
        _worked, total, grade, exempt = want[sid]
        grade = "HTXS" if grade == "HTT (quota)" else grade
        assert (y.grade.code if y.grade is not None else None) == grade, sid
        assert y.total == total, sid
        assert ("rollup.leave" in [r.code for r in y.reasons]) == bool(exempt), sid


def test_the_property_can_fail() -> None:
    """Without the sick-leave exemption (NĐ 90's reading) or with NĐ 90's absence cap the
    oracle disagrees: four months worked and two sick; six worked and four absent."""
    sick = {"P0": [86.0] * 4 + ["sick"] * 2 + [None] * 6}
    absent = {"P0": [86.0] * 6 + ["absent"] * 4 + [None] * 2}
    _check(classify_year(_frame(2027, sick, set()), None, ND233), _oracle(sick, set()))
    _check(classify_year(_frame(2027, absent, set()), None, ND233), _oracle(absent, set()))
    for change, people in (({"sick_exempt": False}, sick),
                           ({"absent_cap": True, "absent_cap_min_months": 3,
                             "absent_cap_max_months": 6, "absent_cap_grade": Grade.HT}, absent)):
        broken = attrs.evolve(ND233, rollup=attrs.evolve(ND233.rollup, **change))
        frame = _frame(2027, people, set()).assign(rule_set=None)
        with pytest.raises(AssertionError):
            _check(classify_year(frame, None, broken).assign(rule_set=ND233.id),
                   _oracle(people, set()))
