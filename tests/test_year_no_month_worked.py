"""The year of people who did not work every month (audit af37).

* No month worked and evaluated in the year (on leave all year): nothing to classify on
  (NĐ 335/2025 Điều 21: the scores of the time actually worked; NĐ 90/2020 Điều 2 k3: fewer
  than 6 months → not classified), so *Không xếp loại* with its reason and citation at every
  door — never *Chưa đánh giá* without a word, as if nobody had looked.
* Someone not classified (too few months, no month worked) is counted *Không xếp loại* by the
  results files and the command line, as the sheets count them, never *chưa đánh giá*.
* The year's mean is of the months *evaluated*: a month merely not scored (no leave) is not
  called a month not worked.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import evalkit
from evalkit import Organisation, Position, Staff, Unit
from evalkit.io.archive import Archive
from evalkit.io.results import grade_counts
from evalkit.render import (
    Agency,
    OrganisationOverview,
    render_overview_html,
    summaries_from_results,
)
from evalkit.units import results_from_frame, rollup
from tests._archive_helpers import ND335, classified
from tests._cli_helpers import ok

ND90 = evalkit.rules.get("vn.nd90-2020")
NO_MONTH_VI = ("Không có tháng làm việc thực tế nào được đánh giá trong năm: không xếp loại "
               "(NĐ 335/2025/NĐ-CP, Điều 21)")  # fmt: skip


def _year(rs: str, year: int, people: dict[str, list[tuple[float | None, str]]]) -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": sid, "unit_id": "U", "period": f"{year}-{m:02d}",
                          "rule_set": rs, "total": t, "leave": lv}
                         for sid, months in people.items()
                         for m, (t, lv) in enumerate(months, start=1)])  # fmt: skip


def test_a_year_on_leave_every_month_is_not_classified_and_says_why() -> None:
    """A on maternity leave all 2026 (NĐ 335), B at 80 every month: A has no grade, no
    total, and the one reason that there was no month worked to classify on, cited."""
    df = _year("vn.nd335-2025", 2026, {"A": [(None, "maternity")] * 12, "B": [(80.0, "")] * 12})
    year = evalkit.classify_year(df).set_index("staff_id")
    assert pd.isna(year.loc["A", "grade"]) and pd.isna(year.loc["A", "total"])
    assert year.loc["A", "reasons"] == "rollup.no_months"
    assert (year.loc["A", "months"], year.loc["A", "leave_months"]) == (0, 12)
    assert year.loc["B", "grade"] == "HTT"
    assert evalkit.explain(year.loc[["A"]]).iloc[0] == [NO_MONTH_VI]
    assert evalkit.explain(year.loc[["A"]], lang="en").iloc[0] == [
        "No month actually worked was evaluated in the year: not classified "
        "(NĐ 335/2025/NĐ-CP, Điều 21)"]
    # the object door: the same code, and the result says it is not classified
    [a] = results_from_frame(year.reset_index().loc[[0]])
    assert a.not_classified and not a.evaluated
    [ra] = rollup(results_from_frame(df[df["staff_id"] == "A"]))
    assert ra.reason_codes() == ("rollup.no_months",) and ra.grade is None and ra.not_classified


def test_under_nd90_a_year_without_a_month_worked_cites_nd90() -> None:
    """NĐ 90/2020 Điều 2 k3 (viên chức, 2025): sick all year, or on maternity leave all year
    (the maternity exception grades the time worked: there is none) → not classified."""
    df = _year("vn.nd90-2020", 2025, {"S": [(None, "sick")] * 12,
                                      "M": [(None, "maternity")] * 12})  # fmt: skip
    year = evalkit.rollup_frame(df).set_index("staff_id")
    assert year["reasons"].tolist() == ["rollup.no_months"] * 2
    assert year["grade"].isna().all()
    for lines in evalkit.explain(year):
        assert lines == ["Không có tháng làm việc thực tế nào được đánh giá trong năm: không "
                         "xếp loại (NĐ 90/2020/NĐ-CP, Điều 2 k3)"]  # fmt: skip


def test_the_count_says_not_classified_for_too_few_months_and_no_month() -> None:
    """NĐ 90, 2025: F worked 4 months and was sick 8 (fewer than 6: not classified), Z was
    sick all year, B worked all year (HTT), N has a month nobody scored (not evaluated for
    the year? no: 12 rows, none scored, no leave — no month evaluated: not classified).
    Counted by hand: HTT 1, not classified 3, not evaluated 0."""
    df = _year("vn.nd90-2020", 2025, {
        "F": [(95.0, "")] * 4 + [(None, "sick")] * 8, "Z": [(None, "sick")] * 12,
        "B": [(80.0, "")] * 12, "N": [(None, "")] * 12})  # fmt: skip
    year = evalkit.classify_year(df)
    assert grade_counts(year) == {"HTXS": 0, "HTT": 1, "HT": 0, "KHT": 0,
                                  "not_classified": 3, "not_evaluated": 0}  # fmt: skip
    # a month of people not scored stays "not evaluated" (no total, no reason to say why)
    month = pd.DataFrame({"staff_id": ["A", "B"], "total": [None, 80.0], "grade": [None, "HTT"],
                          "reasons": ["not_evaluated", ""]})  # fmt: skip
    assert grade_counts(month) == {"HTXS": 0, "HTT": 1, "HT": 0, "KHT": 0, "not_evaluated": 1}


def test_the_mean_is_of_the_months_evaluated_not_of_the_months_worked() -> None:
    """A scored 11 months at 80, December not scored and not on leave: the year is 80 on
    the 11 months evaluated — December is not called a month not worked."""
    df = _year("vn.nd335-2025", 2026, {"A": [(80.0, "")] * 11 + [(None, "")]})
    year = evalkit.rollup_frame(df)
    vi, en = (evalkit.explain(year, lang=x).iloc[0] for x in ("vi", "en"))
    assert ("Điểm năm 80 là trung bình cộng điểm của 11 tháng được đánh giá "
            "(NĐ 335/2025/NĐ-CP, Điều 21)") in vi  # fmt: skip
    assert "The year's score 80 is the mean of the 11 months evaluated" in en[1]
    assert not any("làm việc thực tế" in x for x in vi)


@pytest.mark.slow
def test_every_door_of_the_archived_year_says_not_classified(tmp_path: Path) -> None:
    """A on maternity leave every month of 2026, B at 80 % of tasks: the archive's year, the
    command line's counts, its CSV and Excel files and the annual sheets all say A is not
    classified (Không xếp loại), with the reason, and nobody is "not evaluated"."""
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    blank = {c.id: None for c in ND335.criteria()}
    path = tmp_path / "a.sqlite"
    with Archive(path) as arc:
        for m in range(1, 13):
            results, units, inputs = classified(f"2026-{m:02d}", {"A": 100.0, "B": 80.0},
                                                extra={"A": {**blank, "leave": "maternity"}})
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        year = arc.annual(2026).set_index("staff_id")
    assert year.loc["A", "reasons"] == "rollup.no_months" and pd.isna(year.loc["A", "annual_grade"])
    args = ("annual", "--archive", str(path), "--year", "2026")
    assert json.loads(ok(*args, "--json"))["grades"] == {
        "HTXS": 0, "HTT": 1, "HT": 0, "KHT": 0, "not_classified": 1, "not_evaluated": 0}
    assert "HTT 1, HT 0, KHT 0, không xếp loại 1, chưa đánh giá 0" in ok(*args)
    ok(*args, "--out", str(tmp_path / "y.xlsx"))
    counts = list(openpyxl.load_workbook(tmp_path / "y.xlsx")["Số lượng xếp loại"].values)
    assert counts[0] == ("Mã đơn vị", "HTXS", "HTT", "HT", "KHT", "Không xếp loại",
                         "Chưa đánh giá", "Tổng số")  # fmt: skip
    assert counts[-1] == ("(tổng)", 0, 1, 0, 0, 1, 0, 2)
    ok(*args, "--out", str(tmp_path / "y.csv"))
    csv = pd.read_csv(tmp_path / "y.csv", encoding="utf-8-sig").set_index("staff_id")
    assert csv.loc["A", "reasons"] == "rollup.no_months"
    ok(*args, "--pdf", str(tmp_path / "pdf"))

    def text(pdf: Path) -> str:
        return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(
            io.BytesIO(pdf.read_bytes())).pages).split())

    sheet = text(next((tmp_path / "pdf").glob("2026_U1_A_*.pdf")))
    assert "Xếp loại chất lượng: Không xếp loại" in sheet and "Chưa đánh giá Nghỉ" in sheet
    assert NO_MONTH_VI in sheet and "rollup." not in sheet
    summary = text(tmp_path / "pdf" / "units" / "2026_U1.pdf")
    assert f"Người A: {NO_MONTH_VI}" in summary
    # shares are of the people graded (af38): the not-classified row has a count, no share
    assert "Không xếp loại 1 Chưa đánh giá 0 Tổng số người 2" in summary


def test_the_overview_counts_who_is_not_classified() -> None:
    """NĐ 90, 2025: F too few months, Z sick all year, B HTT. By hand: 3 people, HTT 1, not
    classified 2, not evaluated 0 — from the frame and from the summaries alike. Before,
    from_frame left F (a total, no grade) out of the staff count, and from_summaries counted
    both as not evaluated."""
    df = _year("vn.nd90-2020", 2025, {"F": [(95.0, "")] * 4 + [(None, "sick")] * 8,
                                      "Z": [(None, "sick")] * 12, "B": [(80.0, "")] * 12})
    year = evalkit.classify_year(df)
    org = Organisation(units=[Unit("U", "Phòng U")], positions=[Position("P", "Chuyên viên")],
                       staff=[Staff(s, f"Người {s}", "P", "U") for s in "FZB"])  # fmt: skip
    framed = OrganisationOverview.from_frame(year, organisation=org, rules=ND90,
                                             agency=Agency("Sở"))  # fmt: skip
    summed = OrganisationOverview.from_summaries(summaries_from_results(year, org=org),
                                                 organisation=org)  # fmt: skip
    for ov in (framed, summed):
        [row] = ov.rows
        assert (row.staff_count, row.not_classified, row.not_evaluated) == (3, 2, 0)
        assert {g.code: n for g, n in row.counts.items()} == {"HTXS": 0, "HTT": 1, "HT": 0,
                                                               "KHT": 0}  # fmt: skip
        html = " ".join(render_overview_html(ov).split())
        assert "Không xếp loại" in html and "Chưa đánh giá" in html


def test_a_conclusion_for_someone_without_a_grade_is_said_not_applied() -> None:
    """The competent level concludes HTT for A (maternity leave all 2026: no month worked)
    and for F (NĐ 90, 2025: 4 months worked, too few): neither can be graded, so the
    conclusion is not applied — and said (competent.not_graded), never dropped in silence.
    The same at a classified month (Hà Nội): nobody scored N, a grade typed for N."""
    conc = pd.DataFrame({"staff_id": ["A"], "competent_grade": ["HTT"],
                         "competent_reason": ["Kết luận của Giám đốc"]})  # fmt: skip
    df = _year("vn.nd335-2025", 2026, {"A": [(None, "maternity")] * 12, "B": [(80.0, "")] * 12})
    a = evalkit.classify_year(df, conclusions=conc).set_index("staff_id").loc["A"]
    assert pd.isna(a["grade"]) and a["reasons"] == "rollup.no_months;competent.not_graded"
    df = _year("vn.nd90-2020", 2025, {"A": [(95.0, "")] * 4 + [(None, "sick")] * 8})
    f = evalkit.classify_year(df, conclusions=conc).iloc[0]
    assert pd.isna(f["grade"])
    assert f["reasons"] == "rollup.average;rollup.too_few_months;competent.not_graded"
    assert ("Kết luận xếp loại Hoàn thành tốt nhiệm vụ của cấp có thẩm quyền không áp dụng: "
            "không có kết quả đánh giá để xếp loại (chưa đánh giá hoặc không xếp loại)"
            ) in evalkit.explain(pd.DataFrame([f])).iloc[0]  # fmt: skip
    hanoi = evalkit.rules.get("hanoi.3814-2018")
    one = evalkit.score(evalkit.Assessment("N", "2026-03", competent_grade="HTT",
                                           competent_reason="Kết luận"), rules=hanoi)
    frame = pd.DataFrame({"staff_id": ["N"], "unit_id": ["U"], "period": ["2026-03"],
                          "competent_grade": ["HTT"], "competent_reason": ["Kết luận"]})
    staff, _units = evalkit.classify_frame(frame, pd.DataFrame({"unit_id": ["U"]}), hanoi)
    assert one.grade is None and one.reason_codes() == ("not_evaluated", "competent.not_graded")
    assert staff["reasons"].tolist() == ["not_evaluated;competent.not_graded"]
