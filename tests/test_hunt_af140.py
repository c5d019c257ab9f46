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

Found and fixed here: validate/classify said a fraction in a whole-number column
(``carried_months`` 1.5) and a number below its minimum (``competent_order`` 0) in English
beside the Vietnamese place (``is not a whole number``, ``is below its minimum 1``): now
``không phải là số nguyên``, ``nhỏ hơn mức tối thiểu 1`` (evalkit.messages); ``render
--period 2026 --archive --unit-grades --org`` ignored the organisation's unit tree that
``annual --org`` reads for months finalized ``--no-classify`` (K2X/K3X HTT at 20 % where
annual said HTXS at 25 %: NĐ 233/2026 Điều 12 k6 b). Left as a strict xfail: a year's
unit row giving grade HTXS beside ``personnel_wrongdoing`` x keeps HTXS (Điều 7 k4 a).
"""

from __future__ import annotations

import shutil
import subprocess
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
    assert "trang 'Nhân sự - Điểm'" in line and "dòng 3" in line and "người được đánh giá 'S1'" in line
    assert why in line
    assert "is not" not in line and "negative" not in line, line


def test_validate_refuses_a_competent_order_below_one_in_vietnamese(tmp_path: Path) -> None:
    """The competent level's order of priority starts at 1 (1, 2, 3 …): 0 is refused in
    Vietnamese, naming its place (the same reader as carried_months above)."""
    org, book = _book(tmp_path, "2026-Q4", {"competent_order": 0}, "o")
    code, _out, err = run("validate", str(book), "--org", str(org))
    assert code == 1
    [line] = [x for x in err.splitlines() if "competent_order" in x]
    assert "dòng 3" in line and "giá trị 0" in line and "tối thiểu 1" in line
    assert "below" not in line, line


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
    # the signed sheet, from the results file and from the archive, says the same sentence
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent")
    ok("render", str(res), "--org", str(org), "--out", str(tmp_path / "pdf"))
    ok("render", "--period", "2026-Q4", "--archive", str(arc), "--org", str(org), "--out",
       str(tmp_path / "pdf-luu"))  # fmt: skip
    for folder in ("pdf", "pdf-luu"):
        [sheet] = (tmp_path / folder).glob("*_S1_*.pdf")
        text = " ".join(subprocess.run(["pdftotext", str(sheet), "-"], check=True,
                                       capture_output=True, text=True).stdout.split())  # fmt: skip
        assert said in text, folder


# --------------------------------------------------------------------------- NĐ 233's year
#: NĐ 233/2026 viên chức, July–December 2026 (tests/test_hunt_af126's people): the unit
#: 10/10 tasks, 3 exceeded each month → 100 points, 30 % exceeded → HTXS each month (Điều 7
#: k1 a). On ``annual --unit-grades``, a row for the year with no grade and
#: ``personnel_wrongdoing`` x: "Không hoàn thành nhiệm vụ: … hoặc thuộc một trong các trường
#: hợp sau: a) Bị cấp có thẩm quyền kết luận có sai phạm trong công tác cán bộ, …" (Điều 7 k4
#: a) → the unit's year KHT whatever its 100 points; with ``shortcomings_unremedied`` x the
#: k1 c condition of HTXS is not met → HTT (k5: the competent level, evalkit's HTT).
ND233 = "vn.nd233-2026"
WRONG_VI = "sai phạm trong công tác cán bộ"


@pytest.fixture(scope="module")
def nd233_year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from tests.test_hunt_af126 import _nd233_people

    d = tmp_path_factory.mktemp("af140-nd233")
    org = _org(d, "vien_chuc", "Trung tâm Kiểm soát bệnh tật", "Sở Y tế tỉnh Nghệ An",
               "Nghệ An", "Giám đốc", "Viên chức chuyên môn")  # fmt: skip
    arc = d / "luu-tru.sqlite"
    for m in range(7, 13):
        tpl, book, res = d / f"mau-{m}.xlsx", d / f"so-{m}.xlsx", d / f"kq-{m}.json"
        ok("template", "--rules", ND233, "--period", f"2026-{m:02d}", "--org", str(org), str(tpl))
        fill_workbook(tpl, book, _filler(ND233, _nd233_people(m)),
                      lambda _u, _r: {"tasks_assigned": 10, "tasks_done": 10,
                                      "tasks_exceeded": 3})  # fmt: skip
        ok("classify", str(book), "--org", str(org), "--out", str(res))
        ok("finalize", str(res), "--archive", str(arc), "--by", "TCCB", "--org", str(org))
    return {"dir": d, "org": org, "archive": arc}


def _annual(y: dict[str, Path], name: str, grades: str) -> tuple[int, pd.DataFrame | None, str]:
    csv, out = y["dir"] / f"ug-{name}.csv", y["dir"] / f"nam-{name}.csv"
    csv.write_text(grades, encoding="utf-8")
    code, _o, err = run("annual", "--archive", str(y["archive"]), "--year", "2026",
                        "--unit-grades", str(csv), "--out", str(out))  # fmt: skip
    got = pd.read_csv(out, dtype={"staff_id": str}) if code == 0 and out.exists() else None
    return code, got, err


@pytest.mark.parametrize(("flag", "want", "h1"), [
    # 100 points, 30 % exceeded, all on time: Điều 7 k1; H1 (94.17, band HTXS) → HTT by the
    # quota (25 % of the 2 rated HTT before it, S3 and S7 → 0: Điều 12 k6 b; test_hunt_af126)
    ("", "HTXS", "HTT"),
    ("personnel_wrongdoing", "KHT", "KHT"),  # Điều 7 k4 a; the head not above it: Điều 12 k7
    ("shortcomings_unremedied", "HTT", "HTT"),  # Điều 7 k1 c not met (k5); Điều 12 k7
])  # fmt: skip
def test_annual_reads_a_flag_on_the_years_unit_row(nd233_year: dict[str, Path], flag: str,
                                                   want: str, h1: str) -> None:  # fmt: skip
    """The year's row of the unit grades file, without a grade, carries the flag beside
    the archived months; the head's year is capped at the unit's (NĐ 233/2026 Điều 12 k7:
    'Mức xếp loại chất lượng của người đứng đầu không cao hơn mức xếp loại của đơn vị')."""
    cols = "unit_id,grade" + (f",{flag}" if flag else "")
    code, year, err = _annual(nd233_year, flag or "none", f"{cols}\nU,{',x' if flag else ''}\n")
    assert code == 0, err
    assert year is not None
    assert set(year["unit_grade"].astype(str)) == {want}
    assert year.set_index("staff_id").loc["H1", "annual_grade"] == h1


def test_annual_pdf_says_the_wrongdoing_with_its_citation(nd233_year: dict[str, Path]) -> None:
    """The unit's year summary (annual --pdf) says k4 a's sentence with its citation."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent")
    csv = nd233_year["dir"] / "ug-pdf.csv"
    csv.write_text("unit_id,grade,personnel_wrongdoing\nU,,x\n", encoding="utf-8")
    pdf = nd233_year["dir"] / "pdf"
    ok("annual", "--archive", str(nd233_year["archive"]), "--year", "2026", "--unit-grades",
       str(csv), "--pdf", str(pdf))  # fmt: skip
    [summary] = (pdf / "units").glob("*.pdf")
    text = " ".join(subprocess.run(["pdftotext", str(summary), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())  # fmt: skip
    assert WRONG_VI in text and "Xếp loại của đơn vị: Không hoàn thành nhiệm vụ" in text
    assert "Điều 7 k4 a" in text


def test_a_given_grade_beside_the_wrongdoing_flag_is_not_htxs(
        nd233_year: dict[str, Path]) -> None:  # fmt: skip
    code, year, _err = _annual(nd233_year, "given",
                               "unit_id,grade,personnel_wrongdoing\nU,HTXS,x\n")
    assert code == 1 or (year is not None and set(year["unit_grade"].astype(str)) == {"KHT"})


def test_render_period_reads_the_org_tree_for_months_without_units(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """``render --period 2026 --archive --unit-grades --org`` (months finalized without their
    units) makes the year's sheets from the year ``annual --org`` gives: tests/test_year_unit_
    tree.py's year worked by hand there (NĐ 233/2026 Điều 7 k7 c, Điều 12 k6 b: each X
    reaches TT, a public service unit graded HTXS → 25 % × 4 = 1 → HTXS), the tree read from
    the organisation file (af135 checked ``annual --pdf``, not ``render --period``)."""
    from tests.test_hunt_af135 import TestYearSheetsReadTheSameUnits, TestYearTreeWithoutMonthUnits
    from tests.test_year_unit_tree import WANT, _got

    path = TestYearTreeWithoutMonthUnits._archive(tmp_path)
    org = TestYearTreeWithoutMonthUnits._org(tmp_path)
    seen = TestYearSheetsReadTheSameUnits()
    grades = seen._grades(tmp_path)
    year = seen._sheets_year(monkeypatch, "render", "--period", "2026", "--archive", str(path),
                             "--unit-grades", str(grades), "--org", str(org),
                             "--out", str(tmp_path / "p"))  # fmt: skip
    assert _got(year) == WANT
    out = tmp_path / "nam.csv"
    ok("annual", "--archive", str(path), "--year", "2026", "--unit-grades", str(grades),
       "--org", str(org), "--out", str(out))  # fmt: skip
    assert _got(pd.read_csv(out, dtype={"staff_id": str}), "annual_grade") == WANT


@pytest.mark.parametrize(("typed", "want"), [
    ("abc", None), (2, None),  # not a yes/no mark: refused, its place named
    ("có", "KHT"), (1, "KHT"),  # Điều 7 k4 a: KHT whatever its 100 points
    ("không", "HTXS"), (0, "HTXS"),  # no: 10/10 tasks, 3 exceeded, on time → k1
])  # fmt: skip
def test_the_month_units_sheet_reads_the_wrongdoing_mark(tmp_path: Path, typed: Any,
                                                         want: str | None) -> None:  # fmt: skip
    """A NĐ 233 month's units sheet: ``personnel_wrongdoing`` typed as a person types it."""
    import json

    from tests.test_hunt_af126 import _nd233_people

    org = _org(tmp_path, "vien_chuc", "Trung tâm Kiểm soát bệnh tật", "Sở Y tế tỉnh Nghệ An",
               "Nghệ An", "Giám đốc", "Viên chức chuyên môn")  # fmt: skip
    tpl, book, res = tmp_path / "mau.xlsx", tmp_path / "so.xlsx", tmp_path / "kq.json"
    ok("template", "--rules", ND233, "--period", "2026-07", "--org", str(org), str(tpl))
    fill_workbook(tpl, book, _filler(ND233, _nd233_people(7)),
                  lambda _u, _r: {"tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": 3,
                                  "personnel_wrongdoing": typed})  # fmt: skip
    code, _out, err = run("validate", str(book), "--org", str(org))
    if want is None:
        assert code == 1
        [line] = [x for x in err.splitlines() if "personnel_wrongdoing" in x]
        assert "trang 'Đơn vị'" in line and "dòng 2" in line and "đơn vị 'U'" in line
        assert "không phải là giá trị có/không" in line
        return
    assert code == 0, err
    ok("classify", str(book), "--org", str(org), "--out", str(res))
    [unit] = json.loads(res.read_text(encoding="utf-8"))["data"]["units"]
    assert unit["grade"] == want


def test_the_csv_template_of_a_carried_quarter(tmp_path: Path) -> None:
    """The same quarter through a CSV template (``template … mau.csv``), typed with pandas
    (pandas 3 ``str``) and read with ``--rules`` (a CSV names no rule set): the carried month
    is said as from the workbook; a fraction is refused in Vietnamese at its row and column."""
    org, _wb = _book(tmp_path, "2026-Q4", {}, "x")
    tpl = tmp_path / "mau.csv"
    ok("template", "--rules", CQ, "--period", "2026-Q4", "--org", str(org), str(tpl))
    typed = pd.read_csv(tpl, dtype=str, keep_default_na=False)
    ids = {c.split("[")[-1].rstrip("]"): c for c in typed.columns}
    fill = _filler(CQ, CUSTOMS_PEOPLE)
    for i, sid in enumerate(typed[ids["staff_id"]]):
        cells = {**fill(sid, {}), **({"months_worked": 4, "carried_months": 1}
                                     if sid == "S1" else {})}  # fmt: skip
        for k, v in cells.items():
            typed.loc[i, ids[k]] = str(v)
    good, bad, out = tmp_path / "so.csv", tmp_path / "sai.csv", tmp_path / "kq.csv"
    typed.to_csv(good, index=False)
    typed.loc[typed[ids["staff_id"]] == "S1", ids["carried_months"]] = "1.5"
    typed.to_csv(bad, index=False)
    code, _o, err = run("validate", str(bad), "--rules", CQ, "--org", str(org))
    assert code == 1
    [line] = [x for x in err.splitlines() if "carried_months" in x]
    assert "dòng 3" in line and "người được đánh giá 'S1'" in line and "không phải là số nguyên" in line
    ok("validate", str(good), "--rules", CQ, "--org", str(org))
    ok("classify", str(good), "--rules", CQ, "--org", str(org), "--out", str(out))
    df = pd.read_csv(out, dtype={"staff_id": str}).set_index("staff_id")
    assert "rollup.period_carried" in str(df.loc["S1", "reasons"]).split(";")
    assert CITE in str(df.loc["S1", "reasons_vi"])
    assert float(df.loc["S1", "total"]) == 100.0
