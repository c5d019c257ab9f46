"""Acceptance audit af200 (issue 13): the customs quarter and the year made of quarters.

Expectations come from the texts and the docs, never from evalkit's output:

* NĐ 335/2025/NĐ-CP Điều 21 (domain.md §4.1): the year is classified on the time actually
  worked; legal leave has no score. A **quarter** on leave is three months of leave — the
  sentence "Nghỉ theo quy định … tháng" counts months (docs/periods.md: ``min_months`` counts
  months, a quarter counts its three), never one month per quarter row.
* docs/periods.md: the year's mean sentence names what was averaged — for a year given as
  quarter rows "… của N quý được đánh giá", N being the year's ``periods`` column. A row
  whose ``periods`` is blank cannot say N: the sentence is refused with the row and column
  ("a sentence is never said with a figure missing", evalkit.reasons), never guessed from
  the months ÷ 3 (a quarter of two months worked makes 11 months: neither "11 tháng" nor
  "3 quý" is what was averaged).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit.rules
from evalkit import EvaluationResult, Period, _tables
from evalkit.errors import InputError
from evalkit.io.archive import Archive
from evalkit.io.results import read_results, results_document
from evalkit.reasons import explain
from evalkit.units import UnitInputs, classify_frame, classify_year, rollup, rollup_frame
from tests._cli_helpers import run

ND335 = "vn.nd335-2025"
CUSTOMS = "vn.customs-2026q"


def _quarters(totals: list[float | None], **cols: list[object]) -> pd.DataFrame:
    return pd.DataFrame({"staff_id": "A", "unit_id": "U",
                         "period": [f"2026-Q{i + 1}" for i in range(len(totals))],
                         "total": totals, **cols})


def _said(out: pd.DataFrame) -> str:
    return " | ".join(explain(out)[out.index[0]])


# --- a quarter of legal leave is three months of leave -----------------------------------


def test_a_quarter_on_maternity_leave_is_three_months_of_leave_at_every_door() -> None:
    """Q2 on maternity leave, Q1, Q3, Q4 at 80: the year is the mean of 3 quarters (80,
    HTT), 9 months worked, 3 months of maternity leave (the whole quarter) — "Nghỉ theo quy
    định 3 tháng (thai sản)", never "1 tháng"."""
    df = _quarters([80.0, None, 80.0, 80.0], leave=[None, "maternity", None, None])
    objs = [EvaluationResult("A", Period.parse(f"2026-Q{i}"), ND335, t, None, None)
            for i, t in ((1, 80.0), (3, 80.0), (4, 80.0))]
    (year,) = rollup(objs, ND335, leave={"2026-Q2": "maternity"})
    assert year.total == 80.0 and year.grade is not None and year.grade.code == "HTT"
    assert any("Nghỉ theo quy định 3 tháng (thai sản)" in r.message_vi for r in year.reasons)
    for out in (rollup_frame(df, ND335), classify_year(df, rules=ND335)):
        row = out.iloc[0]
        assert (row["total"], row["months"], row["periods"]) == (80.0, 9, 3)
        assert (row["leave_months"], row["maternity_months"], row["away_months"]) == (3, 3, 0)
        said = _said(out)
        assert "trung bình cộng điểm của 3 quý được đánh giá" in said
        assert "Nghỉ theo quy định 3 tháng (thai sản)" in said
        assert "1 tháng" not in said


def test_a_quarter_row_with_months_worked_counts_only_the_months_away() -> None:
    """A quarter row on sick leave with one month worked (customs: not evaluated, ≤ 1
    month) is two months of sick leave; a month row on leave stays one month."""
    df = _quarters([None, 80.0, 80.0, 80.0], leave=["sick", None, None, None],
                   months_worked=[1, None, None, None])
    row = rollup_frame(df, ND335).iloc[0]
    assert (row["leave_months"], row["away_months"], row["maternity_months"]) == (2, 2, 0)
    months = pd.DataFrame({"staff_id": "M", "period": [f"2026-{m:02d}" for m in range(1, 13)],
                           "total": [80.0] * 11 + [None], "leave": [None] * 11 + ["sick"]})
    assert rollup_frame(months, ND335).iloc[0]["leave_months"] == 1


# --- the year's mean sentence counts the quarters averaged, never months ÷ 3 -------------


def test_a_year_of_quarters_counts_the_quarters_whatever_their_months() -> None:
    """Four quarters at 80, Q1 with 2 months worked: the year is the mean of 4 quarters (11
    months worked): "4 quý", and with ``periods`` blank the sentence is refused, naming the
    column — never "11 tháng" (the mean is not over months) nor a count made up."""
    out = classify_year(_quarters([80.0] * 4, months_worked=[2, 3, 3, 3]), rules=ND335)
    row = out.iloc[0]
    assert (row["months"], row["periods"], row["periods_kind"]) == (11, 4, "quarter")
    assert "trung bình cộng điểm của 4 quý được đánh giá" in _said(out)
    blank = out.assign(periods=float("nan"))
    with pytest.raises(InputError) as err:
        explain(blank)
    assert err.value.problems[0].column == "periods"
    with pytest.raises(InputError):  # the column dropped: refused the same
        explain(out.drop(columns="periods"))


def test_a_year_of_quarters_with_one_not_evaluated_and_periods_blank_is_refused() -> None:
    """Q2 not evaluated (nobody scored it), Q1 of 2 months: 8 months worked over 3
    quarters. The engine says "3 quý"; a file whose ``periods`` is blank is refused rather
    than saying "8 tháng"."""
    out = rollup_frame(_quarters([80.0, None, 80.0, 80.0], months_worked=[2, None, 3, 3]),
                       ND335)
    assert (out.iloc[0]["months"], out.iloc[0]["periods"]) == (8, 3)
    assert "trung bình cộng điểm của 3 quý được đánh giá" in _said(out)
    with pytest.raises(InputError):
        explain(out.assign(periods=None))


def test_a_year_of_months_without_periods_still_says_its_months() -> None:
    """A year of months never reads ``periods``: a file without it says the months."""
    months = pd.DataFrame({"staff_id": "M", "period": [f"2026-{m:02d}" for m in range(1, 13)],
                           "total": [80.0] * 12})
    out = rollup_frame(months, ND335).drop(columns="periods")
    assert "trung bình cộng điểm của 12 tháng được đánh giá" in _said(out)


# --- the customs year of four archived quarters, one on maternity leave: every door ------

CQ_SET = evalkit.rules.get(CUSTOMS)
Q2027 = [f"2027-Q{i}" for i in range(1, 5)]


def _customs_quarter(per: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Unit HQ1 (30 of 30 tasks: HTXS), head H at full marks, staff S0–S9 at 70 % (30 +
    0.7 × 70 = 79, HTT); L at 70 % too, but on maternity leave in Q2 (a row without scores)."""
    rows = []
    for sid in ["H", "L", *(f"S{i}" for i in range(10))]:
        row: dict[str, Any] = {"staff_id": sid, "full_name": f"Người {sid}", "unit_id": "HQ1",
                               "period": per, "category": "cong_chuc",
                               **CQ_SET.full_marks(manages_others=sid == "H")}
        if sid == "H":
            row.pop("ket_qua_linh_vuc")
            row["manages_others"] = True
        else:
            row.update(dict.fromkeys(("so_luong", "chat_luong", "tien_do"), 70))
        row["months_worked"] = 3  # typed on the quarter's form
        if sid == "L" and per == "2027-Q2":
            row = {k: row[k] for k in ("staff_id", "full_name", "unit_id", "period", "category")}
            row["leave"] = "maternity"
        rows.append(row)
    inputs = pd.DataFrame(rows)
    units = pd.DataFrame({"unit_id": ["HQ1"], "name": ["Đội 1"], "head_id": ["H"],
                          "tasks_assigned": [30.0], "tasks_done": [30.0], "period": [per]})
    out, unit_results = classify_frame(inputs, units, CQ_SET)
    results = pd.concat([inputs, out[[c for c in out.columns if c not in inputs]]], axis=1)
    return results, unit_results, units


def _l_year(year: pd.DataFrame) -> tuple[Any, ...]:
    row = year.set_index(year["staff_id"].astype(str)).loc["L"]
    grade = row["annual_grade"] if "annual_grade" in year else row["grade"]
    return (str(grade), int(row["leave_months"]), int(row["maternity_months"]))


def test_the_customs_year_with_a_quarter_of_maternity_leave_at_every_door(tmp_path: Path) -> None:
    """L: Q1, Q3, Q4 at 79 (HTT), Q2 on maternity leave. The customs year counts the three
    quarters evaluated (no HTXS, no KHT, no HT → HTT, CV 21169/CHQ-TCCB) and says 3 months
    of maternity leave — the frames, the archive's annual and ``evalkit annual`` alike; a
    quarter's results file hand-edited with its ``months_worked`` and ``periods`` cells
    blanked (blank = the whole quarter, the workbook's column) gives the same year."""
    quarters = [_customs_quarter(p) for p in Q2027]
    frames = classify_year(pd.concat([r for r, _, _ in quarters], ignore_index=True),
                           pd.concat([u for _, u, _ in quarters], ignore_index=True),
                           rules=CUSTOMS)
    assert _l_year(frames) == ("HTT", 3, 3)
    said = " | ".join(explain(frames.loc[frames["staff_id"] == "L"]).iloc[0])
    assert "Nghỉ theo quy định 3 tháng (thai sản)" in said
    with Archive(tmp_path / "a.sqlite") as a:
        for results, unit_results, inputs in quarters:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        assert _l_year(a.annual(2027)) == ("HTT", 3, 3)
    arc = tmp_path / "cli.sqlite"
    for results, unit_results, inputs in quarters:
        doc = results.copy()
        if str(doc["period"].iloc[0]) == "2027-Q3":  # hand-edited: the figures blanked
            assert doc["months_worked"].notna().all()
            doc["months_worked"] = None
        doc.attrs.update(rule_set=CUSTOMS, period=str(results["period"].iloc[0]))
        _tables.attach(doc, "units", unit_results)
        _tables.attach(doc, "unit_inputs", inputs)
        path = tmp_path / f"ket-qua-{doc.attrs['period']}.json"
        path.write_text(json.dumps(results_document(doc), ensure_ascii=False), encoding="utf-8")
        code, out, err = run("finalize", str(path), "--archive", str(arc), "--by", "TCCB")
        assert code == 0, (out, err)
    code, out, err = run("annual", "--year", "2027", "--archive", str(arc), "--out",
                         str(tmp_path / "nam.json"))
    assert code == 0, (out, err)
    year = read_results(tmp_path / "nam.json")
    assert _l_year(year) == ("HTT", 3, 3)
    said = " | ".join(explain(year.loc[year["staff_id"] == "L"]).iloc[0])
    assert "Nghỉ theo quy định 3 tháng (thai sản)" in said


# --- the customs quarter Q3/2026 audited: a move, a month of leave, the head's cap --------
#
# By hand (CV 21169/CHQ-TCCB; a civil servant scores 30 + 0.7 × the tasks % with the general
# criteria full, a leader 30 + 0.7 × the mean of a, b, c, d, đ, e at 100):
# * unit P does 8 of 10 tasks each month → 80, HTT for the quarter; unit R 9 of 10 → 90.
# * H heads P, full marks → 100 each month, capped at P's HTT for the quarter (cap.head_unit:
#   "the head not above the unit").
# * M at 100 % → 100 each month, in R in July and in P from August: the quarter is M's in P,
#   the unit of the last month (a transferred person is classified by the new unit from the
#   old unit's results, NĐ 335/2025 Điều 21), total 100.
# * L at 70 % → 79 in July and September, sick in August: two months worked (more than one,
#   so evaluated), the mean of 2 months, 79, HTT; "Nghỉ theo quy định 1 tháng (ốm đau)".
# * F0–F5 at 70 % → 79, HTT. P's HTT count: H, L, F0–F5 = 8 → 20 % = 1.6 → 1 HTXS: M keeps it.

Q3 = ["2026-07", "2026-08", "2026-09"]
CQ_POS = [evalkit.Position("CV", "Công chức"),
          evalkit.Position("DT", "Đội trưởng", manages_others=True)]


def _org(per: str) -> evalkit.Organisation:
    staff = [evalkit.Staff("H", "Người H", "DT", "P"), evalkit.Staff("L", "Người L", "CV", "P"),
             evalkit.Staff("M", "Người M", "CV", "R" if per == "2026-07" else "P"),
             *(evalkit.Staff(f"F{i}", f"Người F{i}", "CV", "P") for i in range(6))]
    return evalkit.Organisation(units=[evalkit.Unit("P", "Đội P", head_id="H"),
                                       evalkit.Unit("R", "Đội R")],
                                positions=CQ_POS, staff=staff)


def _assessments(per: str) -> list[evalkit.Assessment]:
    def marks(x: float) -> dict[str, float]:
        return {**CQ_SET.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), x)}

    out = [evalkit.Assessment("H", per, competent_scores=CQ_SET.full_marks(manages_others=True)),
           evalkit.Assessment("M", per, competent_scores=marks(100)),
           evalkit.Assessment("L", per, leave="sick") if per == "2026-08" else
           evalkit.Assessment("L", per, competent_scores=marks(70))]
    return out + [evalkit.Assessment(f"F{i}", per, competent_scores=marks(70)) for i in range(6)]


def _unit_inputs(per: str) -> list[UnitInputs]:
    return [UnitInputs("P", per, tasks_assigned=10, tasks_done=8),
            UnitInputs("R", per, tasks_assigned=10, tasks_done=9)]


EXPECTED_Q3 = {"H": (100.0, "HTT", "P"), "M": (100.0, "HTXS", "P"), "L": (79.0, "HTT", "P"),
               **{f"F{i}": (79.0, "HTT", "P") for i in range(6)}}


def test_the_customs_quarter_a_move_a_month_of_leave_and_the_head_at_every_door(
        tmp_path: Path) -> None:  # fmt: skip
    made = []
    for per in Q3:
        sm, units = evalkit.frames_from_objects(_org(per), _assessments(per), _unit_inputs(per))
        st, ut = evalkit.classify_frame(sm, units, CQ_SET)
        made.append((pd.concat([sm, st[[c for c in st if c not in sm]]], axis=1), ut, units))
    # frames
    q = classify_year(pd.concat([m[0] for m in made], ignore_index=True),
                      pd.concat([m[1] for m in made], ignore_index=True), to="quarter")
    got = {str(r.staff_id): (float(r.total), str(r.grade), str(r.unit_id))
           for r in q.itertuples()}
    assert got == EXPECTED_Q3
    said = {str(s): " | ".join(x) for s, x in zip(q["staff_id"], explain(q), strict=True)}
    assert "Nghỉ theo quy định 1 tháng (ốm đau)" in said["L"]
    assert "Điểm quý 79 là trung bình cộng điểm của 2 tháng được đánh giá" in said["L"]
    assert ("Người đứng đầu không được xếp loại cao hơn kết quả của đơn vị (Hoàn thành tốt "
            "nhiệm vụ) (CV 21169/CHQ-TCCB ngày 28/8/2026)") in said["H"]
    # objects
    objs = evalkit.classify_organisation_quarters([evalkit.classify_organisation(
        _org(p), _assessments(p), _unit_inputs(p), CQ_SET) for p in Q3])
    by_obj = {r.staff_id: (r.total, r.grade.code if r.grade else None, uid)
              for (per, uid), c in objs.items() if per == "2026-Q3" for r in c.staff}
    assert by_obj == EXPECTED_Q3
    assert objs[("2026-Q3", "P")].unit.grade is not None
    assert objs[("2026-Q3", "P")].unit.grade.code == "HTT"
    head = objs[("2026-Q3", "P")].result_of("H")
    assert [r.code for r in head.reasons if r.code.startswith("cap.")] == ["cap.head_unit"]
    vi = {r.code: r.message_vi for r in objs[("2026-Q3", "P")].result_of("L").reasons}
    assert vi["rollup.leave"].startswith("Nghỉ theo quy định 1 tháng (ốm đau)")
    # every sentence is Vietnamese with a short citation where it cites: no code, no English
    for c in objs.values():
        for r in c.staff:
            for reason in r.reasons:
                assert not re.search(r"\b[a-z]+\.[a-z_]+\b", reason.message_vi), reason
                assert not re.search(r"\b(the|quarter|month|not)\b", reason.message_vi), reason
    # the CLI: each month's results file, then the quarter's sheets (render --period)
    files = []
    for per, (results, unit_results, inputs) in zip(Q3, made, strict=True):
        doc = results.copy()
        doc.attrs.update(rule_set=CUSTOMS, period=per)
        _tables.attach(doc, "units", unit_results)
        _tables.attach(doc, "unit_inputs", inputs)
        files.append(path := tmp_path / f"ket-qua-{per}.json")
        path.write_text(json.dumps(results_document(doc), ensure_ascii=False), encoding="utf-8")
    code, out, err = run("render", *map(str, files), "--period", "2026-Q3", "--out",
                         str(tmp_path / "q3"))
    assert code == 0, (out, err)
    pypdf = pytest.importorskip("pypdf")

    def sheet(sid: str) -> str:
        (pdf,) = (tmp_path / "q3").glob(f"2026-Q3_P_{sid}_*.pdf")
        text = " ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
        return re.sub(r"\s+", " ", text.replace("\xa0", " "))

    h, lv, m = sheet("H"), sheet("L"), sheet("M")
    assert ("Người đứng đầu không được xếp loại cao hơn kết quả của đơn vị (Hoàn thành tốt "
            "nhiệm vụ) (CV 21169/CHQ-TCCB ngày 28/8/2026)") in h
    assert "Nghỉ theo quy định 1 tháng (ốm đau)" in lv
    assert "trung bình cộng điểm của 2 tháng được đánh giá" in lv
    assert "Xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ" in m
    assert "(NĐ 335/2025/NĐ-CP, Điều 20 k5 a)" in m  # kept within the quota, cited
    for text in (h, lv, m):  # no reason code, no English on the sheet
        assert not re.search(r"\b(?:cap|rollup|quota|band)\.[a-z_]+", text)
        assert not re.search(r"\b(?:the|quarter|month|evaluated)\b", text)


def test_the_quarters_either_side_of_the_customs_start() -> None:
    """April–June scored under NĐ 335/2025 (monthly monitoring, the year classifies: Điều
    21), July–September under the customs scheme (from Q3/2026). Rolled to quarters with no
    set named, each quarter follows its months' set: Q2 is NĐ 335's mean and band, shown for
    monitoring only (not classified: the head is not capped, "chỉ để theo dõi"); Q3 is
    classified under CV 21169/CHQ-TCCB (the head capped at the unit's HTT). Naming the
    customs set for both is refused for Q2, before its start date."""
    nd = evalkit.rules.get(ND335)
    made = []
    for m in range(4, 10):
        per, rs = f"2026-{m:02d}", CQ_SET if m >= 7 else nd
        sm, units = evalkit.frames_from_objects(_org("2026-08"), [
            evalkit.Assessment("H", per, competent_scores=rs.full_marks(manages_others=True)),
            *(evalkit.Assessment(s, per, competent_scores={**rs.full_marks(), **dict.fromkeys(
                ("so_luong", "chat_luong", "tien_do"), 70)}) for s in ("L", "M"))],
            [UnitInputs("P", per, tasks_assigned=10, tasks_done=8)])
        st, ut = evalkit.classify_frame(sm, units, rs)
        made.append((pd.concat([sm, st[[c for c in st if c not in sm]]], axis=1), ut))
    res = pd.concat([m[0] for m in made], ignore_index=True)
    ur = pd.concat([m[1] for m in made], ignore_index=True)
    q = classify_year(res, ur, to="quarter")
    h = q.set_index(["staff_id", "period"]).loc["H"]
    assert list(h["rule_set"].astype(str)) == [ND335, CUSTOMS]
    assert list(h["classified"]) == [False, True]
    assert list(h["grade"].astype(str)) == ["HTXS", "HTT"]  # Q2: the band, shown only
    said = dict(zip(q["staff_id"] + " " + q["period"], explain(q), strict=True))
    assert any("chỉ để theo dõi" in s for s in said["H 2026-Q2"])
    assert not any("Người đứng đầu" in s for s in said["H 2026-Q2"])
    assert any(s.startswith("Người đứng đầu không được xếp loại cao hơn kết quả của đơn vị")
               for s in said["H 2026-Q3"])
    with pytest.raises(evalkit.errors.RuleSetNotInForceError, match="2026-Q2"):
        classify_year(res, ur, rules=CUSTOMS, to="quarter")


def test_a_customs_year_keeps_the_leave_its_quarters_say() -> None:
    """L at 79 from July to December 2026, sick in August. Q3 says "Nghỉ theo quy định 1
    tháng (ốm đau)"; the year made of those quarters — from the months, or from the quarter
    rows rolled up (their ``leave_months``/``absent_months`` columns: no ``leave`` cell) —
    has the same month of sick leave, as a year of months says it (NĐ 335/2025 Điều 21: the
    time actually worked), never 0."""
    m = pd.DataFrame({"staff_id": "L", "period": [f"2026-{i:02d}" for i in range(7, 13)],
                      "total": [79.0, None, 79.0, 79.0, 79.0, 79.0],
                      "leave": [None, "sick", None, None, None, None]})
    q = rollup_frame(m, CUSTOMS, to="quarter")
    assert list(q["leave_months"]) == [1, 0]
    for out in (rollup_frame(m, CUSTOMS), rollup_frame(q, CUSTOMS),
                classify_year(m, rules=CUSTOMS), classify_year(q, rules=CUSTOMS)):
        row = out.iloc[0]
        assert (row["grade"], row["months"]) == ("HTT", 5)
        assert (row["leave_months"], row["away_months"], row["maternity_months"],
                row["absent_months"]) == (1, 1, 0, 0)
        assert "Nghỉ theo quy định 1 tháng (ốm đau)" in _said(out)


def test_a_head_who_moves_on_as_staff_mid_quarter_is_judged_in_the_last_unit() -> None:
    """K heads R in July (R does 6 of 10 tasks: 60, HT for the quarter), then works in P as
    staff from August, full marks → 100. The quarter is K's in P, the unit of the last month,
    where K heads nothing: not capped at R's HT (docs/periods.md: "a head who moved on to
    another unit as staff is not capped at the new unit's grade"; the transferred person
    is classified by the new unit, NĐ 335/2025 Điều 21). H, P's head, is capped at P's HTT.
    P rates 7 HTT (H, F0–F5): 20 % → 1 HTXS, K. Frames and objects agree."""
    def org(per: str) -> evalkit.Organisation:
        july = per == "2026-07"
        staff = [evalkit.Staff("H", "Người H", "DT", "P"),
                 evalkit.Staff("K", "Người K", "DT" if july else "CV", "R" if july else "P"),
                 evalkit.Staff("G", "Người G", "CV", "R"),
                 *(evalkit.Staff(f"F{i}", f"Người F{i}", "CV", "P") for i in range(6))]
        return evalkit.Organisation(units=[evalkit.Unit("P", "Đội P", head_id="H"),
                                           evalkit.Unit("R", "Đội R", head_id="K" if july
                                                        else None)],
                                    positions=CQ_POS, staff=staff)

    def assessments(per: str) -> list[evalkit.Assessment]:
        lead = CQ_SET.full_marks(manages_others=True)
        m70 = {**CQ_SET.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), 70)}
        return [evalkit.Assessment("H", per, competent_scores=lead),
                evalkit.Assessment("K", per, competent_scores=lead if per == "2026-07"
                                   else CQ_SET.full_marks()),
                *(evalkit.Assessment(s, per, competent_scores=m70)
                  for s in ("G", *(f"F{i}" for i in range(6))))]

    def inputs(per: str) -> list[UnitInputs]:
        return [UnitInputs("P", per, tasks_assigned=10, tasks_done=8),
                UnitInputs("R", per, tasks_assigned=10, tasks_done=6)]

    expected = {"H": ("HTT", "P"), "K": ("HTXS", "P"), "G": ("HTT", "R"),
                **{f"F{i}": ("HTT", "P") for i in range(6)}}
    made = []
    for per in Q3:
        sm, units = evalkit.frames_from_objects(org(per), assessments(per), inputs(per))
        st, ut = evalkit.classify_frame(sm, units, CQ_SET)
        made.append((pd.concat([sm, st[[c for c in st if c not in sm]]], axis=1), ut))
    q = classify_year(pd.concat([m[0] for m in made], ignore_index=True),
                      pd.concat([m[1] for m in made], ignore_index=True), to="quarter")
    assert {str(r.staff_id): (str(r.grade), str(r.unit_id)) for r in q.itertuples()} == expected
    caps = dict(zip(q["staff_id"], q["reasons"].astype(str), strict=True))
    assert "cap.head_unit" in caps["H"] and "cap." not in caps["K"]
    objs = evalkit.classify_organisation_quarters([evalkit.classify_organisation(
        org(p), assessments(p), inputs(p), CQ_SET) for p in Q3])
    assert {r.staff_id: (r.grade.code if r.grade else None, uid)
            for (_, uid), c in objs.items() for r in c.staff} == expected
    assert objs[("2026-Q3", "R")].unit.grade is not None
    assert objs[("2026-Q3", "R")].unit.grade.code == "HT"
