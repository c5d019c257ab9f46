"""Customs (CV 21169/CHQ-TCCB, domain brief §4.4): a person who worked one month or less of a
quarter is not evaluated that quarter and the months are carried to the next. The quarter
left keeps a row — not evaluated, with the reason ``rollup.period_carried_next`` — at every
door (rollup_frame, classify_year, the objects, the archive, the sheets), and the year counts
only the evaluated quarters (never a zero for the quarter left)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

import evalkit
import evalkit.rules
from evalkit import workflow
from evalkit.io.archive import Archive
from evalkit.reasons import explain, make_reason
from evalkit.units import classify_year, results_from_frame, rollup, rollup_frame

CQ = evalkit.rules.get("vn.customs-2026q")
RS = CQ.id
# a civil servant under customs scores 30 + (a + b + c)/3 × 70 % with the general criteria
# at their full 30: 100 % → 100 (HTXS), 70 % → 79 (HTT), 40 % → 58 (HT)
POINTS = {100: 100.0, 70: 79.0, 40: 58.0}


def _row(sid: str, period: str, pct: int, **more: object) -> dict[str, object]:
    return {"staff_id": sid, "full_name": f"Người {sid}", "unit_id": "HQ1", "period": period,
            "category": "cong_chuc", **CQ.full_marks(), "so_luong": pct, "chat_luong": pct,
            "tien_do": pct, **more}  # fmt: skip


def _months(plan: dict[str, dict[int, int]], year: int = 2026) -> pd.DataFrame:
    """Scored months (as ``evalkit classify`` keeps them: the inputs, then the engine's)."""
    rows = pd.DataFrame([_row(s, f"{year}-{m:02d}", p) for s, ms in plan.items()
                         for m, p in ms.items()])  # fmt: skip
    scored = evalkit.score_frame(rows, CQ, force=True)
    return pd.concat([rows, scored[[c for c in scored.columns if c not in rows]]], axis=1)


# X worked September only (1 month of Q3: carried to Q4) and October to December;
# ten others worked every month at 70 %
PLAN = {"X": {9: 100, 10: 70, 11: 70, 12: 70},
        **{f"F{i}": dict.fromkeys(range(7, 13), 70) for i in range(10)}}


def _x(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["staff_id"] == "X"].set_index(frame["period"].astype(str)[
        frame["staff_id"] == "X"])


class TestTheQuarterLeftKeepsARow:
    def test_rollup_frame(self) -> None:
        q = _x(rollup_frame(_months(PLAN), RS, to="quarter"))
        assert q.index.tolist() == ["2026-Q3", "2026-Q4"]
        q3, q4 = q.loc["2026-Q3"], q.loc["2026-Q4"]
        assert np.isnan(q3["total"]) and pd.isna(q3["score_grade"]) and pd.isna(q3["grade"])
        assert not q3["classified"] and q4["classified"]
        assert (q3["months"], q3["months_worked"], q3["carried_months"], q3["leave_months"]) == (
            1, 1, 0, 0)
        assert q3["reasons"] == "rollup.period_carried_next"
        # the receiving quarter is unchanged: September's 100 with October–December's 79
        assert (q4["months"], q4["carried_months"]) == (4, 1)
        assert q4["total"] == pytest.approx((100 + 3 * 79) / 4, abs=0.005)
        assert q4["reasons"] == "rollup.average;rollup.period_carried"

    def test_leave_in_the_quarter_left_is_counted_there(self) -> None:
        months = _months({"X": {9: 100, 10: 70, 11: 70, 12: 70}})
        leave = pd.DataFrame([{"staff_id": "X", "unit_id": "HQ1", "period": f"2026-{m:02d}",
                               "category": "cong_chuc", "total": np.nan, "leave": "maternity"}
                              for m in (7, 8)])  # fmt: skip
        q = _x(rollup_frame(pd.concat([leave, months], ignore_index=True), RS, to="quarter"))
        q3 = q.loc["2026-Q3"]
        assert (q3["months"], q3["leave_months"], q3["maternity_months"]) == (1, 2, 2)
        assert np.isnan(q3["total"]) and q3["reasons"] == "rollup.period_carried_next"
        assert q.loc["2026-Q4", "leave_months"] == 0

    def test_carried_twice(self) -> None:
        """Q2/2027 one month, carried to Q3, itself one month: both left, all in Q4."""
        q = _x(rollup_frame(_months({"X": {6: 100, 9: 100, 10: 70, 11: 70, 12: 70}}, 2027),
                            RS, to="quarter", force=True))  # fmt: skip
        assert q["reasons"].tolist() == ["rollup.period_carried_next"] * 2 + [
            "rollup.average;rollup.period_carried"]
        assert q["months"].tolist() == [1, 1, 5] and q["carried_months"].tolist() == [0, 0, 2]

    def test_the_sentences_cite_the_letter(self) -> None:
        r = make_reason("rollup.period_carried_next", CQ, {"months_worked": 1,
                                                           "period": "2026-Q3"})
        assert r.message_vi == ("Làm việc 1 tháng trong quý (không quá 1 tháng): chưa đánh giá "
                                "quý này, kết quả chuyển sang quý sau")
        assert r.message_en == ("Worked 1 month in the quarter (at most 1): not evaluated this "
                                "quarter, the result is carried to the next quarter")
        assert r.source.startswith("CV 21169/CHQ-TCCB")

    def test_classify_year_by_quarter_and_the_objects(self) -> None:
        months = _months(PLAN)
        q = classify_year(months, None, RS, to="quarter")
        q3 = _x(q).loc["2026-Q3"]
        assert np.isnan(q3["total"]) and pd.isna(q3["grade"]) and not q3["classified"]
        assert q3["reasons"] == "rollup.period_carried_next"
        # the others of Q3 are classified as without X: the quarter left counts in no quota
        others = q[q["staff_id"] != "X"]
        alone = classify_year(months[months["staff_id"] != "X"], None, RS, to="quarter")
        assert others["grade"].tolist() == alone["grade"].tolist()
        said = explain(q[(q["staff_id"] == "X") & (q["period"] == "2026-Q3")], rules=CQ)
        assert said.iloc[0][-1] == ("Làm việc 1 tháng trong quý (không quá 1 tháng): chưa đánh "
                                    "giá quý này, kết quả chuyển sang quý sau (CV 21169/CHQ-TCCB "
                                    "ngày 28/8/2026)")
        objects = rollup(results_from_frame(months[months["staff_id"] == "X"]), CQ, to="quarter")
        assert [(str(r.period), r.total is None) for r in objects] == [("2026-Q3", True),
                                                                       ("2026-Q4", False)]
        assert [x.code for x in objects[0].reasons] == ["rollup.period_carried_next"]


def _year_by_hand(quarter_grades: list[str]) -> str:
    """The customs count (§4.4, the preset's [rollup]) over the evaluated quarters only."""
    xs, ht, kht = (quarter_grades.count(g) for g in ("HTXS", "HT", "KHT"))
    if kht >= 2:
        return "KHT"
    if xs >= 2 and kht == 0:
        return "HTXS"
    return "HTT" if ht <= 2 and kht <= 1 else "HT"


class TestTheYearCountsOnlyEvaluatedQuarters:
    # 2027 (a whole customs year): X works February only in Q1 (carried to Q2), then
    # April–September at 100 % (HTXS quarters) and October–December at 40 % (HT)
    X: ClassVar = {2: 100, **dict.fromkeys(range(4, 10), 100), **dict.fromkeys(range(10, 13), 40)}
    PLAN: ClassVar = {"X": X, **{f"F{i}": dict.fromkeys(range(1, 13), 70) for i in range(10)}}

    def test_by_hand(self) -> None:
        months = _months(self.PLAN, 2027)
        # by hand: Q1 left (not evaluated), Q2 = mean(100, 100, 100, 100) HTXS, Q3 HTXS,
        # Q4 58 HT → two HTXS quarters and no KHT: HTXS; a zero (KHT) for Q1 would give HTT
        assert _year_by_hand(["HTXS", "HTXS", "HT"]) == "HTXS"
        assert _year_by_hand(["KHT", "HTXS", "HTXS", "HT"]) == "HTT"
        for year in (classify_year(months, None, RS, force=True),
                     rollup_frame(months, RS, force=True)):
            x = year.set_index("staff_id").loc["X"]
            assert (x["grade"], x["count_xs"], x["count_ht"], x["count_kht"]) == ("HTXS", 2, 1, 0)
            assert x["months"] == 10  # 4 (February carried) + 3 + 3: Q1 is not counted again
        q = classify_year(months, None, RS, to="quarter", force=True)
        assert _x(q)["grade"].astype(object).fillna("-").tolist() == ["-", "HTXS", "HTXS", "HT"]


@given(st.lists(st.sampled_from([0, 40, 70, 100]), min_size=12, max_size=12))
def test_no_quarter_vanishes_and_the_left_rows_never_count(pcts: list[int]) -> None:
    """For any months worked (0 = not worked) and scores: every quarter with a month worked
    keeps exactly one row; the quarters left are not evaluated; and the year from the months
    is the year from the quarters with the quarters left dropped."""
    plan = {"X": {m: p for m, p in enumerate(pcts, start=1) if p}}
    if not plan["X"]:
        return
    months = _months(plan, 2027)
    q = rollup_frame(months, RS, to="quarter", force=True)
    worked = sorted({f"2027-Q{(m - 1) // 3 + 1}" for m in plan["X"]})
    assert q["period"].tolist() == worked
    left = q["reasons"].astype(str).str.contains("rollup.period_carried_next").to_numpy()
    assert np.isnan(q["total"].to_numpy()[left]).all() and not q["classified"][left].any()
    # each month worked counted once where it is evaluated; the quarter left shows its own
    assert q["months"][~left].sum() == len(plan["X"])
    assert q["carried_months"].sum() == q["months"][left].sum()
    year = rollup_frame(months, RS, force=True).iloc[0]
    kept = rollup_frame(q[~left].drop(columns=["reasons"]), RS, force=True).iloc[0]
    assert (year["grade"], year["count_xs"], year["count_kht"]) == (
        kept["grade"], kept["count_xs"], kept["count_kht"])


def _text(pdf: Path) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text)


def test_the_archive_and_the_summary(tmp_path: Path) -> None:
    """The quarters finalized (the quarter left among them), the year from the archive is
    the year from the months; the quarter's unit summary lists X with the reason."""
    from evalkit.render import period_sheets_from_results, write_reports

    months = _months(PLAN)
    quarters = classify_year(months, None, RS, to="quarter")
    with Archive(tmp_path / "a.sqlite") as arc:
        for per in ("2026-Q3", "2026-Q4"):
            arc.finalize(quarters[quarters["period"] == per].reset_index(drop=True), by="TCCB")
        archived = arc.month("2026-Q3").set_index("staff_id")
        assert archived.loc["X", "reasons"] == "rollup.period_carried_next"
        year = arc.annual(2026).set_index("staff_id")
    direct = classify_year(months, None, RS).set_index("staff_id")
    assert year.loc["X", "annual_grade"] == direct.loc["X", "grade"] == "HTT"  # Q4 84.25
    assert year["annual_grade"].to_dict() == direct["grade"].to_dict()
    q3 = quarters[quarters["period"] == "2026-Q3"].reset_index(drop=True)
    sheets = period_sheets_from_results(q3, months[months["period"] <= "2026-09"])
    written = write_reports(sheets, tmp_path / "out", results=q3,
                            unit_results=workflow.year_units(q3))  # fmt: skip
    (summary,) = [p for p in written if p.suffix == ".pdf"]
    text = _text(summary)
    assert "Người X" in text and "chưa đánh giá quý này, kết quả chuyển sang quý sau" in text


def test_the_command_line_sees_the_months_carried(tmp_path: Path) -> None:
    """The months archived: `render --period` of each quarter and `annual` agree with the
    engine on the whole year — Q3 leaves X a row saying where the month went, Q4 counts it."""
    from tests._cli_helpers import run

    months = _months(PLAN)
    arc = tmp_path / "a.sqlite"
    with Archive(arc) as a:
        for per in sorted(months["period"].unique()):
            a.finalize(months[months["period"] == per].reset_index(drop=True), by="TCCB")
    for per in ("2026-Q3", "2026-Q4"):
        code, out, err = run("render", "--period", per, "--archive", str(arc), "--out",
                             str(tmp_path / per))  # fmt: skip
        assert code == 0, (out, err)
    (q3,) = (tmp_path / "2026-Q3" / "units").glob("*.pdf")
    assert re.search(r"Người X Chưa đánh giá \(1\).*\(1\) Người X: Làm việc 1 tháng trong quý "
                     r"\(không quá 1 tháng\): chưa đánh giá quý này, kết quả chuyển sang quý sau "
                     r"\(CV 21169/CHQ-TCCB", _text(q3))  # fmt: skip
    (q4,) = (tmp_path / "2026-Q4" / "units").glob("*.pdf")
    assert "Người X 84,25 Hoàn thành tốt nhiệm vụ" in _text(q4)  # (100 + 3 × 79) / 4
    code, out, err = run("annual", "--year", "2026", "--archive", str(arc), "--out",
                         str(tmp_path / "y.csv"))  # fmt: skip
    assert code == 0, (out, err)
    table = pd.read_csv(tmp_path / "y.csv", dtype={"staff_id": str}).set_index("staff_id")
    direct = classify_year(months, None, RS).set_index("staff_id")
    assert table.loc["X", ["annual_total", "annual_grade"]].tolist() == [84.25, "HTT"]
    assert table["annual_grade"].to_dict() == direct["grade"].to_dict()


def test_the_annual_sheet_notes_the_quarter_left_and_the_quarter_that_counts_it(
    tmp_path: Path,
) -> None:
    """Audit af22: X's annual sheet showed Q3 only as "Chưa đánh giá", nothing in Ghi chú.
    The quarter left says why in its note (the catalogue's sentence and citation), the
    quarter that counts the carried month says so; the other quarters have no such note."""
    from evalkit.render import period_sheets_from_results
    from evalkit.render._reports import period_sheet_context
    from tests._cli_helpers import run

    months = _months(PLAN)
    left = ("Làm việc 1 tháng trong quý (không quá 1 tháng): chưa đánh giá quý này, kết quả "
            "chuyển sang quý sau")
    year = classify_year(months, None, RS)
    quarters = classify_year(months, None, RS, to="quarter")
    (sheet,) = period_sheets_from_results(year[year["staff_id"] == "X"], quarters)
    rows = {r["label"]: r for r in period_sheet_context(sheet, "vi")["months"]}
    assert rows["Quý 3/2026"]["grade"].replace("\xa0", " ") == "Chưa đánh giá"
    assert rows["Quý 3/2026"]["notes"].startswith(left + " (CV 21169/CHQ-TCCB")
    assert rows["Quý 4/2026"]["notes"].startswith("Gồm kết quả 1 tháng của quý trước chuyển sang")
    assert rows["Quý 1/2026"]["notes"] == rows["Quý 2/2026"]["notes"] == ""
    (other,) = period_sheets_from_results(year[year["staff_id"] == "F0"], quarters)
    assert all(r["notes"] == "" for r in period_sheet_context(other, "vi")["months"])
    en = {r["label"]: r for r in period_sheet_context(sheet, "en")["months"]}
    assert "carried to the next quarter" in en["Q3/2026"]["notes"]
    # the sheet printed from the archived months says it too
    arc = tmp_path / "a.sqlite"
    with Archive(arc) as a:
        for per in sorted(months["period"].unique()):
            a.finalize(months[months["period"] == per].reset_index(drop=True), by="TCCB")
    code, out, err = run("render", "--period", "2026", "--archive", str(arc), "--out",
                         str(tmp_path / "y"))  # fmt: skip
    assert code == 0, (out, err)
    (pdf,) = (tmp_path / "y").glob("2026_*_X_*.pdf")
    text = _text(pdf)
    assert "chưa đánh giá quý này, kết quả chuyển sang quý sau" in text
    assert "Gồm kết quả 1 tháng của quý trước chuyển sang" in text
