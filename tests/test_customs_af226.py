"""Fresh-eyes acceptance of the customs quarterly scheme (CV 21169/CHQ-TCCB, 28/8/2026, from
Q3/2026; domain.md §4.1, §4.4; docs/_research/legal-sources.md §8) through the doors: the
objects, the frames and the command line. Every expected value is computed by hand from the
texts, in the comments beside it, never copied from the engine's output.

The scheme, as the sources give it: CC = 30 + (a+b+c)/3 × 70, LĐ = 30 + (a+b+c+d+đ+e)/6 × 70
(customs bands the exact value, the total shown truncated to the cent); bands 90/70/50
(NĐ 335/2025 Điều 20 k1–k4 a); HTXS ≤ 20 % of those rated HTT (≤ 25 % in an exceptional
unit), floor; the head not above the unit, the deputy not above the head where the unit has
late work; a quarter worked one month or less is not evaluated, its months carried to the
next; the year from the four quarters' concluded grades (≥ 2 KHT → KHT; ≥ 2 HTXS and no KHT
→ HTXS; ≤ 2 quarters at HT or below and ≤ 1 KHT → HTT; otherwise HT — the preset's "and"
reading, documented as an uncertainty); a duty-related reprimand in the year → KHT
(NĐ 335/2025 Điều 20 k4 c). In 2026 Q1 and Q2 are NĐ 335 months, which NĐ 335 only scores:
the year counts those quarters with their band (docs/periods.md)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import evalkit
from evalkit import Assessment, Organisation, Position, Staff, Unit, UnitInputs
from evalkit.reasons import explain
from tests._cli_helpers import ok

CQ = evalkit.rules.get("vn.customs-2026q")
FULL = CQ.full_marks()
GENERAL = [k for k in FULL if k not in ("so_luong", "chat_luong", "tien_do")]
ABC = ("so_luong", "chat_luong", "tien_do")
DEE = ("ket_qua_linh_vuc", "to_chuc_trien_khai", "tap_hop_doan_ket")
SOURCE = "CV 21169/CHQ-TCCB ngày 28/8/2026"


def general(points: float) -> dict[str, float]:
    """The general criteria filled in order up to ``points`` (of 30)."""
    out, left = {}, points
    for k in GENERAL:
        out[k] = min(FULL[k], left)
        left -= out[k]
    assert left == 0
    return out


def civil_servant(g: float, a: float, b: float, c: float) -> dict[str, float]:
    return {**general(g), "so_luong": a, "chat_luong": b, "tien_do": c}


# one quarter's scores per grade for a civil servant without management duty:
# 30 + 100 × 0.7 = 100; 24 + 80 × 0.7 = 80; 18 + 60 × 0.7 = 60; 12 + 40 × 0.7 = 40
POINTS = {"XS": (30, 100), "T": (24, 80), "H": (18, 60), "K": (12, 40)}


def of_grade(code: str) -> dict[str, float]:
    g, x = POINTS[code]
    return civil_servant(g, x, x, x)


# --- a quarter's score at the band edges -------------------------------------------------


def _truncated(value: Fraction) -> float:
    return float(Fraction(int(value * 100), 100))


EDGES = [  # (general, a, b, c) → the exact total, by hand
    (27, 90, 90, 90),  # 27 + 90 × 0.7 = 90 → HTXS
    (27, 90, 90, 89.99),  # 27 + 89.99666… × 0.7 = 89.99766… → shown 89.99, HTT
    (28, 60, 60, 60),  # 28 + 42 = 70 → HTT
    (28, 60, 60, 59.99),  # 69.99766… → 69.99, HT
    (22, 40, 40, 40),  # 22 + 28 = 50 → HT
    (22, 40, 40, 39.99),  # 49.99766… → 49.99, KHT
]
EDGE_GRADES = ["HTXS", "HTT", "HTT", "HT", "HT", "KHT"]


def test_a_quarter_at_the_band_edges_frames_and_objects() -> None:
    rows = [{"staff_id": f"S{i}", "period": "2026-Q3", **civil_servant(*e)}
            for i, e in enumerate(EDGES)]  # fmt: skip
    exact = [Fraction(g) + (Fraction(str(a)) + Fraction(str(b)) + Fraction(str(c))) / 3
             * Fraction(7, 10) for g, a, b, c in EDGES]  # fmt: skip
    out = evalkit.score_frame(pd.DataFrame(rows), CQ)
    assert out["total"].tolist() == [_truncated(t) for t in exact]
    assert out["score_grade"].tolist() == EDGE_GRADES
    for row, grade, t in zip(rows, EDGE_GRADES, exact, strict=True):
        scores = {k: v for k, v in row.items() if k in FULL}
        result = evalkit.score(Assessment(row["staff_id"], "2026-Q3", competent_scores=scores),
                               rules=CQ)  # fmt: skip
        assert (result.total, result.grade.code) == (_truncated(t), grade)


def test_a_leader_scores_over_six_components() -> None:
    # LĐ: 30 + (100 + 100 + 100 + 50 + 100 + 100) / 6 × 0.7 = 30 + 64.1666… = 94.1666… → 94.16
    # (truncated to the cent, customs' [scoring]); 27 + 90 × 0.7 = 90 exactly with d = đ = e
    # = 100 and a = b = c = 80: (240 + 300) / 6 = 90
    rows = [{"staff_id": "L1", "period": "2026-Q3", "manages_others": True, **general(30),
             **dict.fromkeys(ABC, 100), "ket_qua_linh_vuc": 50, "to_chuc_trien_khai": 100,
             "tap_hop_doan_ket": 100},
            {"staff_id": "L2", "period": "2026-Q3", "manages_others": True, **general(27),
             **dict.fromkeys(ABC, 80), **dict.fromkeys(DEE, 100)}]  # fmt: skip
    out = evalkit.score_frame(pd.DataFrame(rows), CQ)
    assert out["total"].tolist() == [94.16, 90.0]
    assert out["score_grade"].tolist() == ["HTXS", "HTXS"]


# --- one quarter of one unit: quota, head, deputy ----------------------------------------


def _quarter_unit(late: bool, exceptional: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    # the unit: 10 tasks, 8 done on time → 80: HTT. TP heads it (100 → HTXS by band),
    # PP is a deputy (30 + (500 + 50) / 6 × 0.7 = 94.16 → HTXS by band), CV1 100, CV2
    # 26.5 + 70 = 96.5 (tasks 70), CV3 30 + 66.5 = 96.5 (tasks 66.5), CV4–CV13 80 (HTT)
    lead = {**general(30), **dict.fromkeys(ABC, 100)}
    rows = [{"staff_id": "TP", **lead, **dict.fromkeys(DEE, 100)},
            {"staff_id": "PP", **lead, "ket_qua_linh_vuc": 100, "to_chuc_trien_khai": 100,
             "tap_hop_doan_ket": 50},
            {"staff_id": "CV1", **civil_servant(30, 100, 100, 100)},
            {"staff_id": "CV2", **civil_servant(26.5, 100, 100, 100)},
            {"staff_id": "CV3", **civil_servant(30, 95, 95, 95)},
            *({"staff_id": f"CV{i}", **of_grade("T")} for i in range(4, 14))]  # fmt: skip
    frame = pd.DataFrame(rows).assign(unit_id="P1", period="2026-Q3",
                                      manages_others=lambda f: f["staff_id"].isin(["TP", "PP"]))
    units = pd.DataFrame([{"unit_id": "P1", "period": "2026-Q3", "head_id": "TP",
                           "tasks_assigned": 10, "tasks_done": 8, "tasks_on_time": 8,
                           "late_work": late, "exceptional": exceptional}])  # fmt: skip
    return evalkit.classify_frame(frame, units, CQ)


@pytest.mark.parametrize(("late", "exceptional", "kept", "pp"), [
    # late work: PP capped at TP's HTT; HTT: CV4–13, TP, PP = 12 → 20 % = 2.4 → 2: CV1 (100),
    # CV2 (96.5, tasks 70 > 66.5) keep HTXS, CV3 is demoted
    (True, False, ["CV1", "CV2"], ("HTT", "cap.deputy_head")),
    # exceptional: 25 % of 12 = 3 → CV3 keeps it too
    (True, True, ["CV1", "CV2", "CV3"], ("HTT", "cap.deputy_head")),
    # no late work: PP stays a candidate; HTT = 11 (CV4–13, TP) → 2.2 → 2; PP (94.16) ranks
    # last of CV1, CV2, CV3, PP and is demoted by the quota
    (False, False, ["CV1", "CV2"], ("HTT", "quota.demoted")),
    # exceptional, no late work: 25 % of 11 = 2.75 → 2: the same two
    (False, True, ["CV1", "CV2"], ("HTT", "quota.demoted")),
])  # fmt: skip
def test_a_quarter_quota_head_and_deputy(late: bool, exceptional: bool, kept: list[str],
                                         pp: tuple[str, str]) -> None:  # fmt: skip
    staff, unit = _quarter_unit(late, exceptional)
    by = staff.set_index("staff_id")
    assert sorted(by.index[by["grade"] == "HTXS"]) == kept
    assert by.loc["TP", "grade"] == "HTT"  # not above the unit (80: HTT)
    assert by.loc["TP", "reasons"].split(";")[-1] == "cap.head_unit"
    assert (by.loc["PP", "grade"], by.loc["PP", "reasons"].split(";")[-1]) == pp
    assert unit.loc[0, "grade"] == "HTT"
    said = dict(zip(staff["staff_id"], explain(staff, rules=CQ), strict=True))
    assert said["TP"][-1] == ("Người đứng đầu không được xếp loại cao hơn kết quả của đơn vị "
                              f"(Hoàn thành tốt nhiệm vụ) ({SOURCE})")  # fmt: skip
    if late:
        assert said["PP"][-1] == ("Đơn vị còn việc chậm tiến độ: cấp phó không được xếp loại "
                                  f"cao hơn người đứng đầu (Hoàn thành tốt nhiệm vụ) ({SOURCE})")


# --- the year from four quarters (2027: every quarter under the scheme) ------------------

YEARS = {  # four quarter grades → the year, by the table (and-reading)
    "A": ("XS XS K T", "HTT"),  # 2 HTXS but a KHT; 1 at HT or below, 1 KHT → HTT
    "B": ("H H H T", "HT"),  # 3 at HT → not HTT → HT
    "C": ("K K XS XS", "KHT"),  # 2 KHT → KHT, whatever else
    "D": ("XS XS T T", "HTXS"),  # 2 HTXS, no KHT
    "E": ("XS T T T", "HTT"),  # 1 HTXS: not HTXS; none at HT or below → HTT
    "F": ("H H T T", "HTT"),  # 2 at HT → HTT
    "G": ("H K T T", "HTT"),  # HT + KHT = 2 at HT or below, 1 KHT → HTT
    "H": ("H H K T", "HT"),  # 3 at HT or below → HT (the literal "hoặc" would say HTT)
    "I": ("XS XS XS K", "HTT"),  # a KHT bars HTXS; 1 at HT or below, 1 KHT → HTT
    "J": ("K H H H", "HT"),  # 4 at HT or below, 1 KHT → HT
    "K": ("K K K K", "KHT"),
    "L": ("H XS XS T", "HTXS"),  # 2 HTXS, no KHT (the HT quarter does not bar it)
}
QUARTERS = [f"2027-Q{i}" for i in range(1, 5)]


def test_the_year_counts_four_quarter_grades() -> None:
    # each person alone in a unit with ten colleagues at 80 (HTT) every quarter: the quota
    # (20 % of 10 = 2) never touches the one HTXS, in a quarter or in the year; no head
    rows, units = [], []
    for who, (plan, _) in YEARS.items():
        for q, code in zip(QUARTERS, plan.split(), strict=True):
            rows.append({"staff_id": who, "unit_id": f"U{who}", "period": q, **of_grade(code)})
            rows += [{"staff_id": f"{who}{i}", "unit_id": f"U{who}", "period": q,
                      **of_grade("T")} for i in range(10)]  # fmt: skip
            units.append({"unit_id": f"U{who}", "period": q, "tasks_assigned": 10,
                          "tasks_done": 10, "tasks_on_time": 10})  # fmt: skip
    staff, unit = evalkit.classify_frame(pd.DataFrame(rows), pd.DataFrame(units), CQ)
    year = evalkit.classify_year(staff, unit, CQ).set_index("staff_id")
    assert year.loc[list(YEARS), "grade"].to_dict() == {w: g for w, (_, g) in YEARS.items()}
    counts = {w: (p.split().count("XS"), p.split().count("H"), p.split().count("K"))
              for w, (p, _) in YEARS.items()}  # fmt: skip
    assert {w: tuple(year.loc[w, ["count_xs", "count_ht", "count_kht"]]) for w in YEARS} == counts
    said = dict(zip(year.index, explain(year.reset_index(), rules=CQ), strict=True))
    assert said["C"] == [f"Có 2 quý Không hoàn thành nhiệm vụ: xếp loại Không hoàn thành "
                         f"nhiệm vụ ({SOURCE})"]  # fmt: skip
    assert said["D"] == [f"Có 2 quý Hoàn thành xuất sắc nhiệm vụ và không có quý Không hoàn "
                         f"thành nhiệm vụ: xếp loại Hoàn thành xuất sắc nhiệm vụ ({SOURCE})"]


@pytest.mark.parametrize(("related", "q3", "year_grade", "counts"), [
    # a reprimand for a violation related to public duty in Q3: the quarter, classified by
    # the scheme, is KHT (Điều 20 k4 c), and so is the year, whatever the count (3 HTXS, 1 KHT)
    (None, "KHT", "KHT", (3, 1)),
    # one not related to public duty counts for nothing: 4 HTXS → HTXS
    ("không", "HTXS", "HTXS", (4, 0)),
])  # fmt: skip
def test_a_reprimand_in_a_customs_quarter(related: str | None, q3: str, year_grade: str,
                                          counts: tuple[int, int]) -> None:  # fmt: skip
    rows, units = [], []
    for q in QUARTERS:
        extra = {"discipline": 1, "discipline_related_to_duty": related} if q == "2027-Q3" else {}
        rows.append({"staff_id": "X", "period": q, **of_grade("XS"), **extra})
        rows += [{"staff_id": f"C{j}", "period": q, **of_grade("T")} for j in range(10)]
        units.append({"unit_id": "P1", "period": q, "tasks_assigned": 10, "tasks_done": 10,
                      "tasks_on_time": 10})  # fmt: skip
    staff, unit = evalkit.classify_frame(pd.DataFrame(rows).assign(unit_id="P1"),
                                         pd.DataFrame(units), CQ)  # fmt: skip
    x = staff[staff["staff_id"] == "X"].set_index("period")
    assert x.loc["2027-Q3", "grade"] == q3
    year = evalkit.classify_year(staff, unit, CQ).set_index("staff_id")
    assert year.loc["X", "grade"] == year_grade
    assert tuple(year.loc["X", ["count_xs", "count_kht"]]) == counts


def _leader(code: str) -> dict[str, float]:
    # XS: 30 + 100 × 0.7 = 100; T: 24 + (3 × 80 + 3 × 100) / 6 × 0.7 = 24 + 63 = 87 (HTT)
    if code == "XS":
        return {**general(30), **dict.fromkeys((*ABC, *DEE), 100)}
    return {**general(24), **dict.fromkeys(ABC, 80), **dict.fromkeys(DEE, 100)}


@pytest.mark.parametrize(("late", "pp"), [(None, "HTXS"), ("2027-Q3", "HTT")])
def test_the_deputy_not_above_the_head_for_the_year(late: str | None, pp: str) -> None:
    # head TP: HTXS, HTT, HTT, HTT → 1 HTXS → HTT; deputy PP: HTXS, HTXS, HTT, HTT → 2 HTXS
    # → HTXS, unless the unit had late work in the year (Q3): then not above TP → HTT. The
    # unit does all its tasks on time (100: HTXS), so no head cap; ten colleagues at 80 keep
    # the quota (20 % of 10 or 11 HTT: 2) from touching TP and PP
    plan = {"TP": "XS T T T", "PP": "XS XS T T"}
    rows, units = [], []
    for i, q in enumerate(QUARTERS):
        rows += [{"staff_id": w, "period": q, "manages_others": True, **_leader(p.split()[i])}
                 for w, p in plan.items()]  # fmt: skip
        rows += [{"staff_id": f"C{j}", "period": q, "manages_others": False, **of_grade("T")}
                 for j in range(10)]  # fmt: skip
        units.append({"unit_id": "P1", "period": q, "head_id": "TP", "tasks_assigned": 10,
                      "tasks_done": 10, "tasks_on_time": 10, "late_work": q == late})
    staff, unit = evalkit.classify_frame(pd.DataFrame(rows).assign(unit_id="P1"),
                                         pd.DataFrame(units), CQ)  # fmt: skip
    year = evalkit.classify_year(staff, unit, CQ).set_index("staff_id")
    assert year.loc[["TP", "PP"], "count_xs"].tolist() == [1, 2]
    assert year.loc[["TP", "PP"], "grade"].tolist() == ["HTT", pp]
    assert year.loc["PP", "reasons"].endswith("cap.deputy_head") == (late is not None)


# --- the transition year 2026: NĐ 335 months, then customs ------------------------------

# per person, January to December: a grade's scores, or L (a month of sick leave)
PLAN = {
    # Q1 HTXS, Q2 HTXS, Q3 KHT, Q4 HTT → 2 HTXS and a KHT; 1 at HT or below, 1 KHT → HTT
    "T1": "XS XS XS XS XS XS K K K T T T",
    # Q1–Q3 HT, Q4 HTT → 3 at HT → HT
    "T2": "H H H H H H H H H T T T",
    # 100 every month, a duty-related reprimand in February → KHT for the year (Điều 20 k4
    # c); Q1 is NĐ 335 months, only scored: it counts with its band (HTXS), so 4 HTXS
    "T3": "XS XS XS XS XS XS XS XS XS XS XS XS",
    # sick July and August: Q3 worked 1 month (September) → not evaluated, carried into Q4
    # (Sep–Dec, 100); the year counts Q1, Q2, Q4: 3 HTXS → HTXS; 10 months worked
    "T4": "XS XS XS XS XS XS L L XS XS XS XS",
    # sick November and December: Q4 worked 1 month, no later quarter in the year → not
    # evaluated; the year counts Q1–Q3 (HTT) → HTT; 10 months worked
    "T5": "T T T T T T T T T XS L L",
}
YEAR_2026 = {"T1": "HTT", "T2": "HT", "T3": "KHT", "T4": "HTXS", "T5": "HTT"}
COUNTS_2026 = {"T1": (2, 0, 1), "T2": (0, 3, 0), "T3": (4, 0, 0), "T4": (3, 0, 0),
               "T5": (0, 0, 0)}  # fmt: skip
MONTHS_2026 = {"T1": 12, "T2": 12, "T3": 12, "T4": 10, "T5": 10}
FILLERS = [f"F{i}" for i in range(10)]  # ten colleagues at 80 every month (HTT)


def _month_rows(m: int) -> pd.DataFrame:
    rows = []
    for who, plan in {**PLAN, **dict.fromkeys(FILLERS, " ".join(["T"] * 12))}.items():
        code = plan.split()[m - 1]
        row = {"staff_id": who, "unit_id": "HQ1", "period": f"2026-{m:02d}",
               "category": "cong_chuc", **({"leave": "sick"} if code == "L" else of_grade(code))}
        if who == "T3" and m == 2:
            row["discipline"] = 1  # khiển trách, related to public duty (blank relation: yes)
        rows.append(row)
    return pd.DataFrame(rows)


def _unit_inputs(m: int) -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": "HQ1", "period": f"2026-{m:02d}", "tasks_assigned": 10,
                          "tasks_done": 10, "tasks_on_time": 10}])  # fmt: skip


@pytest.fixture(scope="module")
def months_2026() -> tuple[pd.DataFrame, pd.DataFrame]:
    staff, units = [], []
    for m in range(1, 13):  # NĐ 335 until June (the set in force), customs from July (named)
        inputs = _month_rows(m)
        out, unit = evalkit.classify_frame(inputs, _unit_inputs(m), CQ if m >= 7 else None)
        staff.append(pd.concat([inputs, out[[c for c in out if c not in inputs]]], axis=1))
        units.append(unit)
    return pd.concat(staff, ignore_index=True), pd.concat(units, ignore_index=True)


def _check_year(year: pd.DataFrame) -> None:
    y = year.set_index("staff_id")
    grade = "annual_grade" if "annual_grade" in y.columns else "grade"
    assert y.loc[list(PLAN), grade].to_dict() == YEAR_2026
    assert {w: tuple(int(x) for x in y.loc[w, ["count_xs", "count_ht", "count_kht"]])
            for w in PLAN} == COUNTS_2026  # fmt: skip
    assert {w: int(y.loc[w, "months"]) for w in PLAN} == MONTHS_2026
    assert str(y.loc["T3", "reasons"]).split(";") == ["rollup.count.excellent",
                                                      "disqualifier.discipline"]


@pytest.mark.parametrize("named", [False, True])
def test_the_transition_year_from_months_frames(
        months_2026: tuple[pd.DataFrame, pd.DataFrame], named: bool) -> None:  # fmt: skip
    staff, units = months_2026
    quarters = evalkit.classify_year(staff, units, to="quarter").set_index(["staff_id", "period"])
    assert quarters.loc[("T4", "2026-Q3"), "reasons"] == "rollup.period_carried_next"
    assert (quarters.loc[("T4", "2026-Q4"), ["months", "carried_months"]].tolist()) == [4, 1]
    assert quarters.loc[("T5", "2026-Q4"), "reasons"] == "rollup.period_short"
    assert pd.isna(quarters.loc[("T5", "2026-Q4"), "grade"])
    year = evalkit.classify_year(staff, units, CQ if named else None)
    _check_year(year)
    t3 = explain(year[year["staff_id"] == "T3"], rules=CQ).iloc[0]
    assert t3 == [
        "Có 4 quý Hoàn thành xuất sắc nhiệm vụ và không có quý Không hoàn thành nhiệm vụ: xếp "
        f"loại Hoàn thành xuất sắc nhiệm vụ ({SOURCE})",
        "Bị kỷ luật từ khiển trách trở lên do vi phạm liên quan đến thi hành công vụ trong năm "
        "đánh giá: xếp loại Không hoàn thành nhiệm vụ (NĐ 335/2025/NĐ-CP, Điều 20 k4 c)"]


# the customs quarters typed as quarter rows (a quarter's workbook): the months worked and
# carried typed on them (docs/periods.md); Q3 and Q4 grades as in PLAN
QROWS = {"2026-Q3": {"T1": ("K", {}), "T2": ("H", {}), "T3": ("XS", {}),
                     "T4": ("XS", {"months_worked": 1}), "T5": ("T", {})},
         "2026-Q4": {"T1": ("T", {}), "T2": ("T", {}), "T3": ("XS", {}),
                     "T4": ("XS", {"months_worked": 4, "carried_months": 1}),
                     "T5": ("XS", {"months_worked": 1})}}  # fmt: skip


def _quarter_rows(q: str) -> pd.DataFrame:
    rows = [{"staff_id": w, "unit_id": "HQ1", "period": q, "category": "cong_chuc",
             **of_grade(code), **extra} for w, (code, extra) in QROWS[q].items()]
    rows += [{"staff_id": f, "unit_id": "HQ1", "period": q, "category": "cong_chuc",
              **of_grade("T")} for f in FILLERS]  # fmt: skip
    return pd.DataFrame(rows)


@pytest.mark.parametrize("named", [False, True])
def test_the_transition_year_months_beside_quarter_rows(
        months_2026: tuple[pd.DataFrame, pd.DataFrame], named: bool) -> None:  # fmt: skip
    staff, units = months_2026
    half = staff["period"] <= "2026-06"
    parts, unit_parts = [staff[half]], [units[units["period"] <= "2026-06"]]
    for q in ("2026-Q3", "2026-Q4"):
        inputs = _quarter_rows(q)
        out, unit = evalkit.classify_frame(inputs, pd.DataFrame([{
            "unit_id": "HQ1", "period": q, "tasks_assigned": 10, "tasks_done": 10,
            "tasks_on_time": 10}]), CQ)  # fmt: skip
        parts.append(pd.concat([inputs, out[[c for c in out if c not in inputs]]], axis=1))
        unit_parts.append(unit)
    year = evalkit.classify_year(pd.concat(parts, ignore_index=True),
                                 pd.concat(unit_parts, ignore_index=True), CQ if named else None)
    _check_year(year)


ORG = Organisation(units=[Unit("HQ1", "Đội Thủ tục")], positions=[Position("CV", "Công chức")],
                   staff=[Staff(w, f"Người {w}", "CV", "HQ1") for w in [*PLAN, *FILLERS]])


def _month_objects(m: int) -> dict[str, evalkit.UnitClassification]:
    assessments = []
    for row in _month_rows(m).to_dict("records"):
        scores = {k: v for k, v in row.items() if k in FULL and pd.notna(v)}
        extra = {"leave": "sick"} if row.get("leave") == "sick" else {}
        if row.get("discipline") == 1:
            extra["discipline"] = 1
        assessments.append(Assessment(row["staff_id"], row["period"],
                                      competent_scores=scores or None, **extra))
    return evalkit.classify_organisation(
        ORG, assessments, [UnitInputs("HQ1", f"2026-{m:02d}", tasks_assigned=10, tasks_done=10,
                                      tasks_on_time=10)], CQ if m >= 7 else None)  # fmt: skip


@pytest.mark.parametrize("named", [False, True])
def test_the_transition_year_objects_months_beside_quarters(named: bool) -> None:
    periods = [_month_objects(m) for m in range(1, 7)]
    for q in ("2026-Q3", "2026-Q4"):
        assessments = [Assessment(w, q, competent_scores=of_grade(code), **extra)
                       for w, (code, extra) in QROWS[q].items()]  # fmt: skip
        assessments += [Assessment(f, q, competent_scores=of_grade("T")) for f in FILLERS]
        periods.append(evalkit.classify_organisation(ORG, assessments, [UnitInputs(
            "HQ1", q, tasks_assigned=10, tasks_done=10, tasks_on_time=10)], CQ))  # fmt: skip
    year = evalkit.classify_organisation_year(periods, CQ if named else None)["HQ1"]
    assert {w: year.result_of(w).grade.code for w in PLAN} == YEAR_2026
    assert {w: year.result_of(w).months_worked for w in PLAN} == MONTHS_2026
    assert year.result_of("T3").reason_codes() == ("rollup.count.excellent",
                                                   "disqualifier.discipline")  # fmt: skip


@pytest.mark.parametrize("named", [False, True])
def test_the_transition_year_objects(named: bool) -> None:
    months = [_month_objects(m) for m in range(1, 13)]
    year = evalkit.classify_organisation_year(months, CQ if named else None)["HQ1"]
    grades = {w: year.result_of(w).grade.code for w in PLAN}
    assert grades == YEAR_2026
    assert year.result_of("T3").reason_codes() == ("rollup.count.excellent",
                                                   "disqualifier.discipline")  # fmt: skip
    quarters = evalkit.classify_organisation_quarters(months)
    assert quarters[("2026-Q3", "HQ1")].result_of("T4").reason_codes() == (
        "rollup.period_carried_next",)
    assert quarters[("2026-Q4", "HQ1")].result_of("T5").reason_codes() == ("rollup.period_short",)


# --- the command line: template → fill → validate → classify → render → finalize → annual


def _fill(path: Path, period: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    col = {str(c.value).rsplit("[", 1)[-1].rstrip("]"): c.column for c in ws[1]}
    if "Q" in period:
        people = {w: (code, extra) for w, (code, extra) in QROWS[period].items()}
    else:
        m = int(period[-2:])
        people = {w: (plan.split()[m - 1], {"discipline": 1} if (w, m) == ("T3", 2) else {})
                  for w, plan in PLAN.items()}  # fmt: skip
    people.update({f: ("T", {}) for f in FILLERS})
    for r, (who, (code, extra)) in enumerate(people.items(), start=2):
        cells = {"staff_id": who, "full_name": f"Người {who}", "unit_id": "HQ1",
                 "position_id": "CV", "category": "cong_chuc", "period": period, **extra}
        if code == "L":
            cells["leave"] = "sick"
        else:
            cells.update({f"competent__{k}": v for k, v in of_grade(code).items()})
        for k, v in cells.items():
            ws.cell(r, col[k], v)
    units = wb.worksheets[1]
    ucol = {str(c.value).rsplit("[", 1)[-1].rstrip("]"): c.column for c in units[1]}
    for k, v in {"unit_id": "HQ1", "name": "Đội Thủ tục", "tasks_assigned": 10,
                 "tasks_done": 10, "tasks_on_time": 10}.items():  # fmt: skip
        units.cell(2, ucol[k], v)
    wb.worksheets[2].cell(2, 1, "CV")
    wb.worksheets[2].cell(2, 2, "Công chức")
    wb.save(path)


def test_the_transition_year_on_the_command_line(tmp_path: Path) -> None:
    arc = tmp_path / "a.sqlite"
    for per in [f"2026-{m:02d}" for m in range(1, 7)] + ["2026-Q3", "2026-Q4"]:
        book, res = tmp_path / f"{per}.xlsx", tmp_path / f"{per}.json"
        rules = "vn.customs-2026q" if "Q" in per else "vn.nd335-2025"
        ok("template", "--rules", rules, "--period", per, "--rows", "20", str(book))
        _fill(book, per)
        ok("validate", str(book))
        ok("classify", str(book), "--out", str(res))
        ok("finalize", str(res), "--archive", str(arc), "--by", "TCCB")
    ok("render", str(tmp_path / "2026-Q3.json"), "--out", str(tmp_path / "q3"))
    assert len(list((tmp_path / "q3").glob("2026-Q3_HQ1_T4_*.pdf"))) == 1  # not evaluated: a sheet
    for more in ([], ["--rules", "vn.customs-2026q"]):  # the set followed, or named
        out = tmp_path / f"year{len(more)}.csv"
        ok("annual", "--archive", str(arc), "--year", "2026", "--out", str(out), *more)
        _check_year(pd.read_csv(out))
