"""A customs year given as months (CV 21169/CHQ-TCCB; domain.md §4.4): the year counts the
quarters' CONCLUDED grades — after each quarter's head cap and quota (HTXS ≤ 20 % a
quarter) — never their bands. The months are classified into quarters first, at every door:
classify_year, Archive.annual and `evalkit annual` (audit 17, customs2)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit.rules
from evalkit.io.archive import Archive
from evalkit.units import classify_frame, classify_year
from tests._cli_helpers import run

CQ = evalkit.rules.get("vn.customs-2026q")
MONTHS = [f"2026-{m:02d}" for m in range(7, 13)]
# percent of a, b, c per quarter (Q3, Q4): a civil servant scores 30 + 0.7 × pct with the
# general criteria full → 100: 100 (HTXS), 95: 96.5 (HTXS), 70: 79 (HTT)
PLAN = {"X1": (100, 100), "X2": (100, 95), "X3": (95, 100),
        **{f"S{i}": (70, 70) for i in range(10)}}
# by hand: 13 people rated HTT or above each quarter, 20 % → 2 may stay HTXS, the highest
# totals first. Q3: X1 100, X2 100 keep it, X3 (96.5) is demoted to HTT; Q4: X1 100, X3 100
# keep it, X2 (96.5) is demoted. The year (≥ 2 HTXS and no KHT → HTXS; ≤ 2 HT and ≤ 1 KHT →
# HTT): X1 2 HTXS → HTXS; X2, X3 1 HTXS → HTT; S* → HTT. By bands X2 and X3 would count 2.
QUARTERS = {"X1": ("HTXS", "HTXS"), "X2": ("HTXS", "HTT"), "X3": ("HTT", "HTXS")}
YEAR = {"X1": "HTXS", "X2": "HTT", "X3": "HTT", **{f"S{i}": "HTT" for i in range(10)}}
COUNT_XS = {"X1": 2, "X2": 1, "X3": 1}
GRADE_VI = {"HTXS": "Hoàn thành xuất sắc nhiệm vụ", "HTT": "Hoàn thành tốt nhiệm vụ"}
Months = list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]


def _month(per: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    q = 0 if per <= "2026-09" else 1
    inputs = pd.DataFrame([{"staff_id": s, "full_name": f"Người {s}", "unit_id": "HQ1",
                            "period": per, "category": "cong_chuc", **CQ.full_marks(),
                            **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), p[q])}
                           for s, p in PLAN.items()])  # fmt: skip
    units = pd.DataFrame([{"unit_id": "HQ1", "name": "Đội Thủ tục", "head_id": None,
                           "tasks_assigned": 10, "tasks_done": 10, "period": per}])
    out, unit_results = classify_frame(inputs, units, CQ)
    results = pd.concat([inputs, out[[c for c in out.columns if c not in inputs]]], axis=1)
    return results, unit_results, units


@pytest.fixture(scope="module")
def months() -> Months:
    return [_month(p) for p in MONTHS]


def _grades(frame: pd.DataFrame, col: str = "grade") -> dict[str, str]:
    return dict(zip(frame["staff_id"].astype(str), frame[col].astype(str), strict=True))


def test_classify_year_counts_the_classified_quarters(months: Months) -> None:
    staff = pd.concat([m[0] for m in months], ignore_index=True)
    units = pd.concat([m[1] for m in months], ignore_index=True)
    quarters = classify_year(staff, units, to="quarter")
    for q, per in enumerate(("2026-Q3", "2026-Q4")):
        got = _grades(quarters[quarters["period"] == per])
        assert {s: got[s] for s in QUARTERS} == {s: g[q] for s, g in QUARTERS.items()}
    year = classify_year(staff, units)
    assert _grades(year) == YEAR
    assert year.set_index("staff_id").loc[list(COUNT_XS), "count_xs"].to_dict() == COUNT_XS
    # the same year as from the quarters' results, and with the customs set named
    assert _grades(classify_year(quarters, units)) == YEAR
    assert _grades(classify_year(staff, units, CQ)) == YEAR


def test_the_archive_and_the_command_line_count_the_classified_quarters(
        months: Months, tmp_path: Path) -> None:  # fmt: skip
    arc = tmp_path / "a.sqlite"
    with Archive(arc) as a:
        for results, unit_results, inputs in months:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        annual = a.annual(2026)
    assert _grades(annual, "annual_grade") == YEAR
    assert annual.set_index("staff_id").loc[list(COUNT_XS), "count_xs"].to_dict() == COUNT_XS
    table = tmp_path / "y.csv"
    code, out, err = run("annual", "--year", "2026", "--archive", str(arc), "--out", str(table))
    assert code == 0, (out, err)
    assert _grades(pd.read_csv(table, dtype={"staff_id": str}), "annual_grade") == YEAR
    # render --period 2026 from the archived months: each sheet prints the year's grade
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    code, out, err = run("render", "--period", "2026", "--archive", str(arc), "--out",
                         str(tmp_path / "nam"))  # fmt: skip
    assert code == 0, (out, err)
    for sid in COUNT_XS:
        (pdf,) = (tmp_path / "nam").glob(f"2026_*{sid}_*.pdf")
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
        got = {g.strip() for g in re.findall(r"Xếp loại chất lượng: (.+)", text.replace(
            "\xa0", " "))}  # fmt: skip
        assert got == {GRADE_VI[YEAR[sid]]}, (sid, got)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.sampled_from([30.0, 55.0, 79.0, 88.0, 91.0, 96.5, 100.0]),
                         min_size=6, max_size=6), min_size=3, max_size=8))  # fmt: skip
def test_the_year_of_months_is_the_year_of_their_classified_quarters(
        totals: list[list[float]]) -> None:  # fmt: skip
    """For any months, the year from the months is the year from the quarters that
    classify_year(..., to="quarter") concludes from them (the quota included)."""
    sr = pd.DataFrame([{"staff_id": f"P{i}", "unit_id": "U", "period": per, "total": t,
                        "rule_set": CQ.id} for i, row in enumerate(totals)
                       for per, t in zip(MONTHS, row, strict=True)])  # fmt: skip
    from_months = classify_year(sr)
    from_quarters = classify_year(classify_year(sr, to="quarter"))
    cols = ["staff_id", "grade", "count_xs", "count_ht", "count_kht"]
    pd.testing.assert_frame_equal(from_months[cols].astype(str).reset_index(drop=True),
                                  from_quarters[cols].astype(str).reset_index(drop=True))


def _head_month(per: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rows = []
    for sid, pct in [("H", 100), *((f"S{i}", 70) for i in range(8))]:
        head = sid == "H"
        rows.append({"staff_id": sid, "full_name": f"Người {sid}", "unit_id": "HQ1",
                     "period": per, "category": "cong_chuc", **CQ.full_marks(manages_others=head),
                     **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), pct),
                     **({"manages_others": True} if head else {})})  # fmt: skip
    inputs = pd.DataFrame(rows)
    done = 8 if per <= "2026-09" else 10  # the unit: 80 (HTT) in Q3, 100 (HTXS) in Q4
    units = pd.DataFrame([{"unit_id": "HQ1", "name": "Đội Thủ tục", "head_id": "H",
                           "tasks_assigned": 10, "tasks_done": done, "period": per}])
    out, unit_results = classify_frame(inputs, units, CQ)
    results = pd.concat([inputs, out[[c for c in out.columns if c not in inputs]]], axis=1)
    return results, unit_results, units


def test_the_head_is_capped_at_each_quarters_unit(tmp_path: Path) -> None:
    """The head H scores 100 every month; the unit is HTT in Q3 (80) and HTXS in Q4 (100).
    By hand: Q3 capped to HTT (the head not above the unit), Q4 HTXS → one HTXS quarter →
    the year HTT. Uncapped quarters would count two (HTXS), and the year's unit (mean 90,
    HTXS) would not cap it."""
    made = [_head_month(p) for p in MONTHS]
    staff = pd.concat([m[0] for m in made], ignore_index=True)
    units = pd.concat([m[1] for m in made], ignore_index=True)
    quarters = classify_year(staff, units, to="quarter").set_index(["staff_id", "period"])
    assert quarters.loc[("H", "2026-Q3"), ["unit_grade", "grade"]].tolist() == ["HTT", "HTT"]
    assert "cap.head_unit" in quarters.loc[("H", "2026-Q3"), "reasons"]
    assert quarters.loc[("H", "2026-Q4"), ["unit_grade", "grade"]].tolist() == ["HTXS", "HTXS"]
    year = classify_year(staff, units).set_index("staff_id")
    assert year.loc["H", ["count_xs", "grade"]].tolist() == [1, "HTT"]
    arc = tmp_path / "a.sqlite"
    with Archive(arc) as a:
        for results, unit_results, inputs in made:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        annual = a.annual(2026).set_index("staff_id")
    assert annual.loc["H", ["count_xs", "annual_grade"]].tolist() == [1, "HTT"]
    table = tmp_path / "y.csv"
    code, out, err = run("annual", "--year", "2026", "--archive", str(arc), "--out", str(table))
    assert code == 0, (out, err)
    cli = pd.read_csv(table, dtype={"staff_id": str}).set_index("staff_id")
    assert cli.loc["H", "annual_grade"] == "HTT"


def test_the_transition_year_of_months_is_the_same_at_every_door(tmp_path: Path) -> None:
    """2026 given as months only: NĐ 335 months January to June (Q1, Q2: NĐ 335 does not
    classify quarters, they count with their band, docs/periods.md), customs months July to
    December (Q3, Q4 classified). The head H: 100 in Q1 and Q2 (HTXS bands); Q3 100 capped
    at the unit's HTT (8 of 10 tasks); Q4 93 (a leader: 30 + 0.7 × the mean of a, b, c at 80
    and d, đ, e at 100), third of the three HTXS
    candidates (A 100, B 96.5) where 20 % of the 13 rated HTT or above allows two →
    demoted. By hand H counts 2 HTXS quarters (Q1, Q2), no HT or KHT → HTXS; the bands
    alone would count 4."""
    nd = evalkit.rules.get("vn.nd335-2025")
    plan = {"A": (100, 100, 100), "B": (70, 95, 95), "H": (100, 100, 80),
            **{f"F{i}": (70, 70, 70) for i in range(10)}}
    made = []
    for m in range(1, 13):
        per, rs, k = f"2026-{m:02d}", nd if m <= 6 else CQ, 0 if m <= 6 else (m - 4) // 3
        inputs = pd.DataFrame([{"staff_id": s, "full_name": f"Người {s}", "unit_id": "HQ1",
                                "period": per, "category": "cong_chuc",
                                **rs.full_marks(manages_others=s == "H"),
                                **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), p[k]),
                                **({"manages_others": True} if s == "H" else {})}
                               for s, p in plan.items()])  # fmt: skip
        units = pd.DataFrame([{"unit_id": "HQ1", "name": "Đội Thủ tục", "head_id": "H",
                               "tasks_assigned": 10, "tasks_done": 8 if 7 <= m <= 9 else 10,
                               "period": per}])  # fmt: skip
        out, unit_results = classify_frame(inputs, units, rs)
        made.append((pd.concat([inputs, out[[c for c in out.columns if c not in inputs]]],
                               axis=1), unit_results, units))  # fmt: skip
    staff = pd.concat([m[0] for m in made], ignore_index=True)
    units_all = pd.concat([m[1] for m in made], ignore_index=True)
    quarters = classify_year(staff, units_all, to="quarter").set_index(["staff_id", "period"])
    assert quarters.loc["H", "total"].tolist() == pytest.approx([100.0, 100.0, 100.0, 93.0])
    assert quarters.loc["H", "grade"].astype(str).tolist() == ["HTXS", "HTXS", "HTT", "HTT"]
    assert "cap.head_unit" in quarters.loc[("H", "2026-Q3"), "reasons"]
    assert "quota.demoted" in quarters.loc[("H", "2026-Q4"), "reasons"]
    cols = ["count_xs", "count_ht", "count_kht"]
    year = classify_year(staff, units_all).set_index("staff_id").sort_index()
    assert year.loc["H", [*cols, "grade"]].tolist() == [2, 0, 0, "HTXS"]
    with Archive(tmp_path / "a.sqlite") as a:
        for results, unit_results, inputs in made:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        annual = a.annual(2026).set_index("staff_id").sort_index()
    pd.testing.assert_frame_equal(annual[cols].astype(int), year[cols].astype(int))
    assert annual["annual_grade"].astype(str).tolist() == year["grade"].astype(str).tolist()


@pytest.mark.parametrize("to", ["quarter", "year"])
def test_a_quarters_head_without_the_units_result_is_refused(to: str) -> None:
    """The head is capped at each quarter's unit (CV 21169/CHQ-TCCB): where the unit results
    lack the unit's months of Q4, the head's Q4 cannot be capped, so it is refused, naming
    the head, the unit and the quarter — never left uncapped without a word (audit 18)."""
    made = [_head_month(p) for p in MONTHS]
    staff = pd.concat([m[0] for m in made], ignore_index=True)
    units = pd.concat([m[1] for m in made], ignore_index=True)
    q3_only = units[units["period"].astype(str) <= "2026-09"]
    with pytest.raises(evalkit.errors.InputError) as exc:
        classify_year(staff, q3_only, to=to)
    (p,) = exc.value.problems
    assert (p.staff_id, p.column, p.value) == ("H", "unit_id", "HQ1")
    assert "2026-Q4" in p.message and "2026-Q3" not in p.message
    assert len(classify_year(staff, units, to=to)) > 0  # all given: classified


def test_months_worked_outside_the_period_is_refused_by_the_roll_up() -> None:
    """A quarter worked −7 or 40 months would change the months counted (NĐ 90's minimum,
    the absence cap): refused with its row, as every other door refuses it."""
    df = pd.DataFrame({"staff_id": "A", "period": ["2026-Q1", "2026-Q2", "2026-Q3"],
                       "total": [80.0, 80.0, 80.0], "months_worked": [-7, 40, 2]})
    with pytest.raises(evalkit.errors.InputError) as exc:
        evalkit.rollup_frame(df, "vn.nd335-2025")
    assert [(p.row, p.column) for p in exc.value.problems] == [(0, "months_worked"),
                                                               (1, "months_worked")]
    assert evalkit.rollup_frame(df.iloc[2:], "vn.nd335-2025")["months"].tolist() == [2]
