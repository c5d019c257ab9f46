"""A quarter or a year rolled up from months scored with nothing assigned says so.

Domain brief §4.1: an empty denominator (nothing assigned) → "not evaluated", a product
choice (``example.tasks-80``: ``empty = "not_evaluated"``); the month says
``not_evaluated.nothing_assigned``. A quarter or year whose every period was not evaluated,
one of them for nothing assigned, says so — a quarter ``not_evaluated.nothing_assigned``
(*Chưa đánh giá*, as each month), not "nobody scored the person" (``not_evaluated``); a
year ``rollup.nothing_assigned`` (*Không xếp loại*: no time evaluated to classify on, as
``rollup.no_months``, docs/classification.md), not only "no month worked" — in every door:
the objects (:func:`evalkit.rollup`), the frames (:func:`evalkit.rollup_frame`,
:func:`evalkit.classify_year`, the reasons column in any dtype), the command line
(``finalize`` then ``annual``; ``render --period 2026-Q1``). Where some month was evaluated
the roll-up's own reasons stay: the minimum months (NĐ 233/2026 Điều 14 k1) still says
"fewer than 6 months" where the months worked — the nothing-assigned months among them, never
in the mean (tests/test_year_nothing_assigned_worked.py) — are fewer than 6.
"""

from __future__ import annotations

import csv
from pathlib import Path

import attrs
import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit.reasons import explain, not_classified_rows
from tests._cli_helpers import ok
from tests.test_hunt_af136 import pdf_text

NA = "not_evaluated.nothing_assigned"
#: The year's: no time evaluated, not classified (as ``rollup.no_months``), saying why.
NY = "rollup.nothing_assigned"
#: What each roll-up says: its code and its Vietnamese sentence.
SAID = {"quarter": (NA, "Không được giao nhiệm vụ, sản phẩm nào trong kỳ: chưa đánh giá"),
        "year": (NY, "Các tháng được chấm điểm trong năm đều không được giao nhiệm vụ, sản phẩm "
                     "nào, không có tháng nào được đánh giá: không xếp loại")}
GENERAL = {"chinh_tri": 4, "dao_duc": 4, "tac_phong": 4, "ky_luat": 4}
EMPTY = {**GENERAL, "giao": 0, "hoan_thanh": 0, "dat_chat_luong": 0, "dung_han": 0}
FULL = {**GENERAL, "giao": 10, "hoan_thanh": 10, "dat_chat_luong": 10, "dung_han": 10}
Q1 = ("2026-01", "2026-02", "2026-03")


def _months(rows: dict[str, dict[str, int]]) -> pd.DataFrame:
    """A, nothing assigned in the first quarter; B, everything done; ``rows`` per month."""
    return pd.DataFrame([{"staff_id": sid, "period": m, "unit_id": "U", **marks}
                         for m in Q1 for sid, marks in rows.items()])  # fmt: skip


class TestTheObjects:
    """:func:`evalkit.rollup` over :func:`evalkit.score`'s results."""

    @pytest.mark.parametrize("to", ["quarter", "year"])
    def test_a_period_of_months_with_nothing_assigned_says_so(self, to: str) -> None:
        results = [evalkit.score(evalkit.Assessment("A", m, manager_scores=EMPTY),
                                 rules="example.tasks-80") for m in Q1]  # fmt: skip
        assert all(r.reason_codes() == (NA,) for r in results)  # the months
        [out] = evalkit.rollup(results, "example.tasks-80", to=to)  # type: ignore[arg-type]
        code, sentence = SAID[to]
        assert (out.total, out.grade, out.reason_codes()) == (None, None, (code,))
        # a quarter "Chưa đánh giá", as each month; the year "Không xếp loại", as a year
        # without one evaluated month (docs/classification.md)
        assert out.not_classified == (to == "year")
        assert out.reasons[0].message_vi == sentence

    def test_a_period_without_any_result_still_says_no_scores(self) -> None:
        """Nobody scored A in any month: the quarter says the generic reason, as before."""
        results = [evalkit.score(evalkit.Assessment("A", m), rules="example.tasks-80")
                   for m in Q1]  # fmt: skip
        [out] = evalkit.rollup(results, "example.tasks-80", to="quarter")
        assert out.reason_codes() == ("not_evaluated",)


class TestTheFrames:
    """:func:`evalkit.rollup_frame` and :func:`evalkit.classify_year` over
    :func:`evalkit.score_frame`'s months, the reasons column in each dtype a reader gives."""

    @pytest.mark.parametrize("dtype", ["category", object, "string", "str"])
    @pytest.mark.parametrize("to", ["quarter", "year"])
    def test_the_rollup_says_nothing_assigned(self, to: str, dtype: str) -> None:
        given = _months({"A": EMPTY, "B": FULL})
        months = given[["staff_id", "period"]].join(evalkit.score_frame(given, "example.tasks-80"))
        months["reasons"] = months["reasons"].astype(dtype)
        out = evalkit.rollup_frame(months, "example.tasks-80", to=to).set_index("staff_id")
        code, sentence = SAID[to]
        assert out.loc["A", "reasons"] == code and np.isnan(out.loc["A", "total"])
        assert out.loc["B", "total"] == 96.0 and "rollup.average" in out.loc["B", "reasons"]
        [said] = explain(out.reset_index())[0]
        assert said.startswith(sentence), said
        assert not_classified_rows(out, "grade").tolist() == [to == "year", False]

    def test_the_year_classified_says_nothing_assigned(self) -> None:
        staff, _units = evalkit.classify_frame(_months({"A": EMPTY, "B": FULL}),
                                               pd.DataFrame({"unit_id": ["U"]}),
                                               "example.tasks-80")  # fmt: skip
        year = evalkit.classify_year(staff).set_index("staff_id")
        assert year.loc["A", "reasons"] == NY and pd.isna(year.loc["A", "annual_grade"])

    def test_some_months_nothing_assigned_some_absent_too_few_worked(self) -> None:
        """NĐ 233/2026 Điều 14 k1 (min_months 6): two months scored, three with nothing
        assigned, seven without a row — five months worked, fewer than six: not classified,
        the minimum's reason and its 6, not "nothing assigned"; C, nothing assigned and absent
        the rest of the year, is not classified saying why (not only "no month worked")."""
        scored = [("V", f"2027-0{m}", 80.0, "band") for m in (1, 2)]
        empty = [(s, f"2027-0{m}", np.nan, NA) for s in ("V", "C") for m in (3, 4, 5)]
        rows = pd.DataFrame(scored + empty, columns=["staff_id", "period", "total", "reasons"])
        rows["category"] = "vien_chuc"
        out = evalkit.rollup_frame(rows, "vn.nd233-2026").set_index("staff_id")
        assert out.loc["V", "reasons"].split(";") == ["rollup.average", "rollup.too_few_months"]
        assert pd.isna(out.loc["V", "grade"]) and out.loc["V", "months"] == 5
        said = dict(zip(out.index, explain(out.reset_index()), strict=True))
        assert said["V"][1].startswith("Làm việc dưới 6 tháng trong năm: không xếp loại (NĐ 233")
        assert out.loc["C", "reasons"] == NY and said["C"] == [
            "Các tháng được chấm điểm trong năm đều không được giao nhiệm vụ, sản phẩm nào, "
            "không có tháng nào được đánh giá: không xếp loại (NĐ 233/2026/NĐ-CP, Điều 14 k1)"]


@pytest.fixture(scope="module")
def months(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """The first quarter's three months scored by ``evalkit score`` from CSV files."""
    folder = tmp_path_factory.mktemp("nothing-assigned")
    out = []
    for m in Q1:
        src, res = folder / f"{m}.csv", folder / f"{m}.json"
        with src.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["staff_id", "full_name", "unit_id", "period",
                        *(f"manager__{k}" for k in FULL)])  # fmt: skip
            w.writerow(["A", "Nguyễn Văn An", "U", m, *EMPTY.values()])
            w.writerow(["B", "Trần Thị Bình", "U", m, *FULL.values()])
        ok("score", str(src), "--rules", "example.tasks-80", "--out", str(res))
        out.append(res)
    return folder, out


class TestTheCommandLine:
    """The months finalized, then the year (``annual``) and the quarter's sheets
    (``render --period 2026-Q1``)."""

    def test_the_year_from_the_archive_says_nothing_assigned(
        self, months: tuple[Path, list[Path]]
    ) -> None:
        folder, files = months
        arc, year = folder / "luu-tru.sqlite", folder / "nam.csv"
        for f in files:
            ok("finalize", str(f), "--archive", str(arc), "--by", "TCCB")
        ok("annual", "--archive", str(arc), "--year", "2026", "--out", str(year))
        got = pd.read_csv(year, dtype={"staff_id": str}).set_index("staff_id")
        assert got.loc["A", "reasons"] == NY
        assert got.loc["A", "reasons_vi"].startswith(SAID["year"][1])

    def test_the_quarter_sheet_says_nothing_assigned(self, months: tuple[Path, list[Path]]
                                                     ) -> None:  # fmt: skip
        folder, files = months
        out = folder / "quy-1"
        ok("render", "--period", "2026-Q1", *map(str, files), "--out", str(out), "--no-classify")
        [sheet] = out.glob("2026-Q1_U_A_*.pdf")
        text = pdf_text(sheet)
        assert "Không được giao nhiệm vụ, sản phẩm nào trong kỳ: chưa đánh giá" in text
        assert "Không có điểm đánh giá trong kỳ" not in text


def test_the_code_is_a_rollup_flag_of_its_own() -> None:
    """The roll-up's code is the catalogue's (one entry, both languages), not a second."""
    from evalkit._classify.year import ROLLUP_FLAGS
    from evalkit.reasons import template_for

    for code in (NA, NY):
        assert list(ROLLUP_FLAGS.values()).count(code) == 1
        t = template_for(code)
        assert t.vi and t.en and attrs.has(type(t))


def test_a_customs_year_of_quarters_with_nothing_assigned_says_so() -> None:
    """Customs (CV 21169/CHQ-TCCB, from 2026-Q3) counts the year over quarters: two
    quarters not evaluated for nothing assigned (their rows read back, the code kept) make a
    year not evaluated for that reason, not "no month worked"."""
    rows = pd.DataFrame({"staff_id": "A", "period": ["2026-Q3", "2026-Q4"], "total": np.nan,
                         "reasons": NA, "category": "cong_chuc"})  # fmt: skip
    out = evalkit.rollup_frame(rows, "vn.customs-2026q")
    assert out["reasons"].tolist() == [NY] and out["total"].isna().all()
    said = explain(out)[0]
    assert said[0].startswith("Các quý được chấm điểm trong năm đều không được giao"), said
