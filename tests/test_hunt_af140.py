"""Hunt af140: this morning's features through the command line's doors.

Customs quarter rows with ``carried_months`` (CV 21169/CHQ-TCCB ngày 28/8/2026, mục II.4: a
person who worked one month or less of a quarter is not evaluated that quarter, the month
carried to the next quarter of the same year; domain.md §4.4): a quarterly workbook made by
``evalkit template``, typed as a person types it, validated, classified to JSON and CSV and
finalized into the archive.

Case (worked by hand, NĐ 335/2025 Điều 12, 14, 20 as the customs set reads them): Chi cục U
of 10 công chức (head H1, S1–S9), Q4/2026, the unit 10/10 tasks. S1: every general criterion
at its maximum (30) and a = b = c = 100 at every level → 30 + 100 × 70 % = 100; typed
months_worked 4 (3 of Q4 + 1 carried from Q3) and carried_months 1 → the sheet says the
month carried in (``rollup.period_carried``) with CV 21169's citation.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from evalkit.io.results import read_results
from evalkit.units import results_from_frame
from tests._cli_helpers import fill_workbook, header_columns, ok, run
from tests.test_hunt_af126 import CUSTOMS_PEOPLE, _filler, _org

pytestmark = pytest.mark.slow

CQ = "vn.customs-2026q"
UNIT = {"tasks_assigned": 10, "tasks_done": 10}
CITE = "CV 21169/CHQ-TCCB"


def _book(folder: Path, per: str, s1: Mapping[str, Any], name: str) -> tuple[Path, Path]:
    """The template of ``per`` and the workbook typed from it (S1 with ``s1`` too)."""
    org = folder / "to-chuc.json"
    if not org.exists():
        _org(folder, "cong_chuc", "Chi cục Hải quan khu vực I", "Cục Hải quan", "Hà Nội",
             "Chi cục trưởng", "Chuyên viên")  # fmt: skip
    tpl, book = folder / f"mau-{name}.xlsx", folder / f"so-{name}.xlsx"
    ok("template", "--rules", CQ, "--period", per, "--org", str(org), str(tpl))
    typed = _filler(CQ, CUSTOMS_PEOPLE)
    fill_workbook(tpl, book, lambda sid, r: {**typed(sid, r), **(s1 if sid == "S1" else {})},
                  lambda _u, _r: dict(UNIT))  # fmt: skip
    return org, book


@pytest.mark.parametrize(("value", "why"), [
    (1.5, "không phải là số nguyên"),  # a count of months carried: whole (CV 21169 counts months)
    (-1, "là số âm"),
    ("hai", "không phải là số"),
])  # fmt: skip
def test_validate_refuses_a_bad_carried_months_in_vietnamese(tmp_path: Path, value: Any,
                                                             why: str) -> None:  # fmt: skip
    """The refusal names the sheet, the row, the column and the value, in Vietnamese (no
    English sentence beside the Vietnamese place: PREAMBLE, 'no English on a sheet' and the
    messages' rule)."""
    org, book = _book(tmp_path, "2026-Q4", {"months_worked": 4, "carried_months": value}, "x")
    code, _out, err = run("validate", str(book), "--org", str(org))
    assert code == 1
    [line] = [x for x in err.splitlines() if "carried_months" in x]
    assert "trang 'Nhân sự - Điểm'" in line and "dòng 3" in line and "cán bộ 'S1'" in line
    assert why in line
    assert "is not" not in line and "negative" not in line, line


def test_a_carried_quarter_through_template_validate_classify_finalize(tmp_path: Path) -> None:
    """The template asks for carried_months; S1's Q4 (months_worked 4, carried_months 1) is
    classified with the sentence of the month carried in and CV 21169's citation, the same in
    the JSON and the CSV read back (pandas 3 ``str``); other people say nothing of it; the
    quarter is finalized into the archive and the year is read back from it."""
    org, book = _book(tmp_path, "2026-Q4", {"months_worked": 4, "carried_months": 1}, "q4")
    import openpyxl

    heads = header_columns(openpyxl.load_workbook(tmp_path / "mau-q4.xlsx")["Nhân sự - Điểm"])
    assert "carried_months" in heads and "months_worked" in heads
    assert "10 dòng, không có lỗi" in ok("validate", str(book), "--org", str(org))
    res, csv = tmp_path / "kq.json", tmp_path / "kq.csv"
    ok("classify", str(book), "--org", str(org), "--out", str(res))
    ok("classify", str(book), "--org", str(org), "--out", str(csv))
    df = pd.read_csv(csv, dtype={"staff_id": str}).set_index("staff_id")
    s1 = df.loc["S1"]
    assert float(s1["total"]) == 100.0  # 30 + 100 × 70 %
    assert (float(s1["months_worked"]), float(s1["carried_months"])) == (4.0, 1.0)
    assert "rollup.period_carried" in str(s1["reasons"]).split(";")
    [said] = [x for x in str(s1["reasons_vi"]).split(" | ") if "chuyển sang" in x]
    assert "1 tháng" in said and CITE in said
    others = df.drop(index="S1")
    assert not others["reasons"].astype(str).str.contains("rollup.period_carried").any()
    by_json = {r.staff_id: r for r in results_from_frame(read_results(res))}
    [js] = [x for x in by_json["S1"].reasons if x.code == "rollup.period_carried"]
    assert f"{js.message_vi} ({js.source})" == said
    arc = tmp_path / "luu-tru.sqlite"
    ok("finalize", str(res), "--archive", str(arc), "--by", "TCCB", "--org", str(org))
    year = tmp_path / "nam.csv"
    ok("annual", "--archive", str(arc), "--year", "2026", "--out", str(year))
    assert "S1" in set(pd.read_csv(year, dtype={"staff_id": str})["staff_id"])
