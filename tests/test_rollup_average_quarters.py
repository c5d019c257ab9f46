"""The year's mean sentence names what was averaged (issue 13): a year of NĐ 335/2025 made
from quarter rows is the mean of its quarters ("… của 3 quý …"), not of the months they
cover (the months still count as months worked, for ``min_months``); a year of months is
unchanged; a results file without ``periods_kind`` says what it said before."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
from evalkit import EvaluationResult, Period
from evalkit.errors import InputError
from evalkit.reasons import with_sentences
from evalkit.units import classify_year, rollup, rollup_frame

ND335 = "vn.nd335-2025"
CUSTOMS = "vn.customs-2026q"


def _quarters(totals: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"staff_id": "Q", "period": [f"2026-Q{i + 1}" for i in
                                                      range(len(totals))], "total": totals})


def _months(totals: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"staff_id": "M", "period": [f"2026-{i + 1:02d}" for i in
                                                      range(len(totals))], "total": totals})


def _said(out: pd.DataFrame, lang: str = "vi") -> str:
    return str(with_sentences(out, langs=(lang,))[f"reasons_{lang}"].iloc[0])


def test_quarter_rows_are_averaged_as_quarters_at_every_door() -> None:
    """Three quarters (90, 80, 70): the year's 80 is the mean of 3 quarters, 9 months
    worked; rollup_frame, classify_year and the objects' rollup say the same."""
    df = _quarters([90.0, 80.0, 70.0])
    for out in (rollup_frame(df, ND335), classify_year(df, ND335)):
        row = out.iloc[0]
        assert (row["total"], row["months"], row["periods"], row["periods_kind"]) == (
            80.0, 9, 3, "quarter")
        assert "Điểm năm 80 là trung bình cộng điểm của 3 quý được đánh giá" in _said(out)
        assert "9 tháng" not in _said(out)
        assert "The year's score 80 is the mean of the 3 quarters evaluated" in _said(out, "en")
    objs = [EvaluationResult("Q", Period.parse(f"2026-Q{i}"), ND335, t, None, None)
            for i, t in enumerate((90.0, 80.0, 70.0), start=1)]
    (year,) = rollup(objs, ND335)  # the objects' door
    assert (year.total, year.reasons[-1].message_vi) == (
        80.0, "Điểm năm 80 là trung bình cộng điểm của 3 quý được đánh giá")
    one = rollup_frame(_quarters([85.0]), ND335)
    assert "The year's score 85 is the mean of the 1 quarter evaluated" in _said(one, "en")


def test_months_still_say_months() -> None:
    out = rollup_frame(_months([80.0] * 11 + [float("nan")]), ND335)
    assert out.iloc[0]["periods_kind"] == "month"
    assert "Điểm năm 80 là trung bình cộng điểm của 11 tháng được đánh giá" in _said(out)


def test_a_file_without_the_column_says_what_it_said() -> None:
    """Results written before ``periods_kind``: the rule set's period (months here)."""
    out = rollup_frame(_months([80.0] * 12), ND335).drop(columns="periods_kind")
    assert "trung bình cộng điểm của 12 tháng được đánh giá" in _said(out)


def test_quarters_with_a_blank_periods_are_refused_never_guessed() -> None:
    """A file of quarter rows whose ``periods`` is blank (af189's audit: it said "9 quý";
    af192 then guessed months ÷ 3): the count of quarters averaged is not in the months (a
    quarter of two months worked, one not evaluated), so the sentence is refused naming the
    column, as every quoted figure left blank (af200)."""
    out = rollup_frame(_quarters([90.0, 80.0, 70.0]), ND335)
    out["periods"] = float("nan")
    with pytest.raises(InputError) as err:
        _said(out)
    assert err.value.problems[0].column == "periods"


def test_customs_quarters_of_months_and_the_year_of_them() -> None:
    """Customs (in force from Q3/2026): a quarter is the mean of its months; the year made
    from months counts their quarters (method = "count"), and a year with no quarter
    evaluated says quarters."""
    months = pd.DataFrame({"staff_id": "C", "period": [f"2026-{m:02d}" for m in range(7, 13)],
                           "total": 80.0, "rule_set": CUSTOMS})
    q = rollup_frame(months, CUSTOMS, to="quarter")
    assert q["periods_kind"].tolist() == ["month"] * 2
    assert "Điểm quý 80 là trung bình cộng điểm của 3 tháng được đánh giá" in _said(q.iloc[:1])
    assert rollup_frame(months, CUSTOMS).iloc[0]["periods_kind"] == "quarter"
    none = pd.DataFrame({"staff_id": "C", "period": ["2026-Q3", "2026-Q4"],
                         "total": float("nan"), "rule_set": CUSTOMS})
    out = rollup_frame(none, CUSTOMS)
    assert out.iloc[0]["periods_kind"] == "quarter"
    assert "Không có quý làm việc thực tế nào được đánh giá trong năm" in _said(out)


def test_no_quarter_of_nd335_evaluated_says_quarters() -> None:
    """The other rollup sentences that name the periods read the same kind."""
    out = rollup_frame(_quarters([float("nan")] * 4), ND335)
    assert "Không có quý làm việc thực tế nào được đánh giá trong năm" in _said(out)


def test_evalkit_exports_the_same_function() -> None:
    assert evalkit.units.rollup_frame is rollup_frame


def test_the_rendered_year_sheet_says_quarters() -> None:
    """The annual sheet of a year made from quarter rows (its PDF, as pdftotext reads it)
    says the mean of 3 quarters; the quarters' count line agrees."""
    import shutil
    import subprocess

    import pytest

    pytest.importorskip("weasyprint")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    from evalkit.render import period_sheets_from_results, render_period_pdf

    df = _quarters([90.0, 80.0, 70.0]).assign(full_name="Nguyễn Văn A", rule_set=ND335)
    (sheet,) = period_sheets_from_results(classify_year(df, ND335), df, agency="Sở Nội vụ")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=render_period_pdf(sheet),
                          capture_output=True, check=True).stdout.decode()
    assert "Số quý được đánh giá: 3/4" in text
    assert "Điểm năm 80 là trung bình cộng điểm của 3 quý được đánh giá" in text
    assert "9 tháng" not in text
