"""The archive's commands: finalize classifies a workbook first, annual is the engine's year."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from evalkit.cli import cli, main
from evalkit.io.archive import Archive
from tests._io_helpers import HEAD, filled_workbook, person


def run(*args: str) -> tuple[int, dict[str, Any]]:
    buf = io.StringIO()
    code = main([*args, "--json"], stdout=buf)
    return code, json.loads(buf.getvalue()) if buf.getvalue().strip() else {}


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """A filled month: the head of P1 (a perfect score) and two staff."""
    return filled_workbook(tmp_path / "thang-03.xlsx", [
        person("CC-1", san_pham_dot_pha=2.5, nhiem_vu_kho_khan=2.5, chiu_trach_nhiem=2.5,
               chu_dong_quyet_dinh=2.5, so_luong=100, chat_luong=100, tien_do=100, **HEAD),
        person("CC-2"), person("CC-3", tien_do=60)],
        units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": "CC-1", "tasks_assigned": 10,
                "tasks_done": 8}])  # fmt: skip


class TestNoClassifyYear:
    """Audit 13: a month finalized with --no-classify has no unit results; its year is
    classified with the units' grades given by `annual --unit-grades`, and every message
    on the way names that option (never a command that cannot work)."""

    def test_the_year_of_months_without_unit_results_takes_the_units_grades(
        self, tmp_path: Path, workbook: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        archive = str(tmp_path / "a.sqlite")
        capsys.readouterr()
        code = main(["--lang", "en", "finalize", str(workbook), "--no-classify", "--archive",
                     archive, "--by", "TCCB"], stdout=io.StringIO())  # fmt: skip
        err = capsys.readouterr().err
        assert code == 0 and "evalkit annual --unit-grades FILE.csv" in err, err
        # without the units' grades: refused, each head named, the hint names the option
        code, out = run("--lang", "en", "annual", "--archive", archive, "--year", "2026")
        assert code == 1 and "--unit-grades FILE.csv" in out["hint"]
        assert [(p["staff_id"], p["value"]) for p in out["problems"]] == [("CC-1", "P1")]
        code = main(["--lang", "vi", "annual", "--archive", archive, "--year", "2026"],
                    stdout=io.StringIO())  # fmt: skip
        assert code == 1 and "--unit-grades TỆP.csv" in capsys.readouterr().err
        # finalizing the month again is refused, pointing to the year's option, not amend
        code = main(["--lang", "en", "finalize", str(workbook), "--archive", archive, "--by",
                     "TCCB"], stdout=io.StringIO())  # fmt: skip
        err = capsys.readouterr().err
        assert code == 1 and "--unit-grades" in err and "evalkit amend" not in err, err
        # with them: P1 graded HT for the year caps its head (a perfect score, HTXS band)
        grades = tmp_path / "don-vi.csv"
        grades.write_text("unit_id,grade\nP1,HT\n", encoding="utf-8")
        code, out = run("annual", "--archive", archive, "--year", "2026", "--unit-grades",
                        str(grades))  # fmt: skip
        assert code == 0, out
        year = {r["staff_id"]: r for r in out["results"]["data"]["rows"]}
        assert year["CC-1"]["annual_grade"] == "HT"
        assert "cap.head_unit" in year["CC-1"]["reasons"].split(";")
        # a bad grade: its file, line and value
        grades.write_text("unit_id,grade\nP0,HTT\nP1,XX\n", encoding="utf-8")
        code, out = run("annual", "--archive", archive, "--year", "2026", "--unit-grades",
                        str(grades))  # fmt: skip
        assert code == 1
        # ... with the unit P0, in no month of the year, named too (audit af21)
        assert [(p["file"], p["row"], p["column"], p["value"]) for p in out["problems"]] == [
            (str(grades), 2, "unit_id", "P0"), (str(grades), 3, "grade", "XX")]
        # render --period of the year: the same refusal and hint
        code, out = run("--lang", "en", "render", "--period", "2026", "--archive", archive,
                        "--out", str(tmp_path / "pdf"))  # fmt: skip
        assert code == 1 and "--unit-grades FILE.csv" in out["hint"]


def test_an_unknown_unit_of_the_unit_grades_is_named_with_its_line(
    tmp_path: Path, workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Audit af21: a unit typed wrong in --unit-grades was not named: the head of P1 was
    said to lack the unit's grade, and the line at fault never. Now each unknown unit is
    named with its file, line and value as typed, and the closest unit, with every other
    problem of the file, in English and in Vietnamese."""
    archive = str(tmp_path / "a.sqlite")
    assert main(["finalize", str(workbook), "--archive", archive, "--by", "TCCB"],
                stdout=io.StringIO()) == 0  # fmt: skip
    capsys.readouterr()
    grades = tmp_path / "don-vi.csv"
    grades.write_text("unit_id,grade\nP1x,HT\nP1,XX\nZZ9,HTT\n", encoding="utf-8")
    code, out = run("--lang", "en", "annual", "--archive", archive, "--year", "2026",
                    "--unit-grades", str(grades))  # fmt: skip
    assert code == 1
    found = [(p["file"], p["row"], p["column"], p["value"], p["message"])
             for p in out["problems"]]  # fmt: skip
    assert found[:2] == [
        (str(grades), 2, "unit_id", "P1x",
         "unit 'P1x' is in no month of 2026 in the archive; did you mean 'P1'?"),
        (str(grades), 4, "unit_id", "ZZ9", "unit 'ZZ9' is in no month of 2026 in the archive")]
    assert (str(grades), 3, "grade", "XX") in [f[:4] for f in found]
    code = main(["--lang", "vi", "annual", "--archive", archive, "--year", "2026",
                 "--unit-grades", str(grades)], stdout=io.StringIO())  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert (f"{grades}, dòng 2, cột 'unit_id', giá trị 'P1x': đơn vị 'P1x' không có trong "
            "tháng nào của năm 2026 trong tệp lưu trữ; có phải là 'P1'?") in err
    # the units of the year pass: P1 graded HT caps its head
    grades.write_text("unit_id,grade\nP1\u200b,HT\n", encoding="utf-8")
    code, out = run("annual", "--archive", archive, "--year", "2026", "--unit-grades",
                    str(grades))  # fmt: skip
    assert code == 0, out


def test_every_problem_of_the_unit_grades_in_one_error_with_its_line(
    tmp_path: Path, workbook: Path
) -> None:
    """A unit given twice, a grade that is none and a flag that is not yes/no in
    --unit-grades: one refusal, each problem in that file with its line, unit, column and
    value, in line order (a flag's problem too, not said to be the conclusions')."""
    archive = str(tmp_path / "a.sqlite")
    assert main(["finalize", str(workbook), "--archive", archive, "--by", "TCCB"],
                stdout=io.StringIO()) == 0  # fmt: skip
    grades = tmp_path / "don-vi.csv"
    grades.write_text("unit_id,grade,exceptional\nP1,HT,\nP1,XX,maybe\n", encoding="utf-8")
    code, out = run("--lang", "en", "annual", "--archive", archive, "--year", "2026",
                    "--unit-grades", str(grades))  # fmt: skip
    assert code == 1
    assert [(p["file"], p["row"], p.get("unit_id"), p["column"], p["value"])
            for p in out["problems"]] == [
        (str(grades), 2, "P1", "unit_id", "P1"), (str(grades), 3, "P1", "unit_id", "P1"),
        (str(grades), 3, "P1", "grade", "XX"), (str(grades), 3, "P1", "exceptional", "maybe")]


def test_the_unit_grades_blank_ids_missing_column_and_heads_through_annual(
    tmp_path: Path, workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`annual --unit-grades`: a blank unit id is one problem at its file and line, with
    the file's other problems, in English and in Vietnamese; a file without unit_id is
    refused naming the file and the column; a head whose unit has no row is named by the
    person and the unit, at no row (the archive's rows are no file's), the unit once."""
    archive = str(tmp_path / "a.sqlite")
    assert main(["finalize", str(workbook), "--no-classify", "--archive", archive, "--by",
                 "TCCB"], stdout=io.StringIO()) == 0  # fmt: skip
    grades = tmp_path / "don-vi.csv"
    grades.write_text("unit_id,grade\n,HT\n  ,HTT\nP1,XX\n", encoding="utf-8")
    code, out = run("--lang", "en", "annual", "--archive", archive, "--year", "2026",
                    "--unit-grades", str(grades))  # fmt: skip
    assert code == 1
    assert [(p["file"], p["row"], p.get("unit_id"), p["column"], p["value"], p["message"])
            for p in out["problems"]] == [
        (str(grades), 2, None, "unit_id", None, "blank unit id"),
        (str(grades), 3, None, "unit_id", "  ", "blank unit id"),
        (str(grades), 4, "P1", "grade", "XX", out["problems"][2]["message"])]
    capsys.readouterr()
    code = main(["--lang", "vi", "annual", "--archive", archive, "--year", "2026",
                 "--unit-grades", str(grades)], stdout=io.StringIO())  # fmt: skip
    assert code == 1
    assert f"{grades}, dòng 2, cột 'unit_id': mã đơn vị để trống" in capsys.readouterr().err
    grades.write_text("grade\nHT\n", encoding="utf-8")
    code = main(["--lang", "en", "annual", "--archive", archive, "--year", "2026",
                 "--unit-grades", str(grades)], stdout=io.StringIO())  # fmt: skip
    assert code == 1 and f"{grades} has no column unit_id" in capsys.readouterr().err
    grades.write_text("unit_id,grade\nP2,HT\n", encoding="utf-8")  # a unit, not P1
    code, out = run("--lang", "en", "annual", "--archive", archive, "--year", "2026",
                    "--unit-grades", str(grades))  # fmt: skip
    assert code == 1
    head = out["problems"][-1]
    assert (head["file"], head["row"], head["staff_id"], head["unit_id"], head["column"],
            head["value"]) == (None, None, "CC-1", "P1", "unit_id", "P1")  # fmt: skip
    assert head["text"] == ("staff 'CC-1', unit 'P1', column 'unit_id', value 'P1': the head "
                            "cap needs the unit's result for 2026: pass unit_results with a "
                            "row for this unit")  # fmt: skip


class TestFinalize:
    def test_a_results_file_whose_unit_results_differ_from_its_unit_inputs_is_refused(
        self, tmp_path: Path, workbook: Path
    ) -> None:
        """Audit 13: the unit P1 did 8 of 10 tasks (80, HTT); a results file whose unit row
        says 20 / KHT is refused naming the unit, the column, the value and what the
        inputs give, in English and in Vietnamese; nothing is archived."""
        good = tmp_path / "k.json"
        assert run("classify", str(workbook), "--out", str(good))[0] == 0
        doc = json.loads(good.read_text(encoding="utf-8"))
        for u in doc["data"]["units"]:
            u.update(score=20.0, computed_score=20.0, score_grade="KHT", grade="KHT")
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        archive = tmp_path / "a.sqlite"
        code, out = run("--lang", "en", "finalize", str(bad), "--archive", str(archive),
                        "--by", "TCCB")  # fmt: skip
        assert code == 1
        found = {(p["column"], p["value"]): p["message"] for p in out["problems"]}
        assert "'P1'" in found[("score", 20.0)] and "80.0" in found[("score", 20.0)]
        assert "'HTT'" in found[("grade", "KHT")]
        code, out = run("--lang", "vi", "finalize", str(bad), "--archive", str(archive),
                        "--by", "TCCB")  # fmt: skip
        assert code == 1
        assert any("kết quả của đơn vị không khớp" in p["message"] for p in out["problems"])
        if archive.exists():
            with Archive(archive) as arc:
                assert arc.months() == []
        assert run("finalize", str(good), "--archive", str(archive), "--by", "TCCB")[0] == 0

    def test_a_workbook_is_classified_before_it_is_archived(
        self, tmp_path: Path, workbook: Path
    ) -> None:
        """Issue 15: finalize of a workbook classifies it first (units, head cap, quota).

        Under NĐ 335 a month is monitored, not classified (Điều 21, domain brief §4.1): the
        month keeps the band of its score as information and its unit's grade; the head
        cap and the quota are applied to the year the archive classifies."""
        archive = str(tmp_path / "a.sqlite")
        code, out = run("finalize", str(workbook), "--archive", archive, "--by", "TCCB")
        assert code == 0 and out["amendable"] and len(out["seal"]) == 64
        with Archive(archive) as arc:
            month = arc.month("2026-03").set_index("staff_id")
        assert month.loc["CC-1", "total"] == 100.0
        assert month["unit_grade"].tolist() == ["HTT"] * 3  # 8 of 10 tasks: the unit is HTT
        assert month["grade"].tolist() == month["score_grade"].tolist() == ["HTXS", "HTXS", "HTT"]
        assert not month["classified"].any()
        code, out = run("annual", "--archive", archive, "--year", "2026")
        assert code == 0
        year = {r["staff_id"]: (r["annual_grade"], r["reasons"])
                for r in out["results"]["data"]["rows"]}  # fmt: skip
        assert year == {  # the unit is HTT: the head too; 20 % of nobody rated HTT: no HTXS
            "CC-1": ("HTT", "rollup.average;cap.head_unit"),
            "CC-2": ("HTT", "rollup.average;quota.demoted"),
            "CC-3": ("HTT", "rollup.average")}

    def test_finalize_says_what_it_did_in_the_language(
        self, tmp_path: Path, workbook: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Vietnamese by default, English with --lang en; the seal is printed."""
        archive = tmp_path / "a.sqlite"
        out = io.StringIO()
        assert main(["finalize", str(workbook), "--archive", str(archive), "--by", "TCCB"],
                    stdout=out) == 0  # fmt: skip
        with Archive(archive) as arc:
            seal = arc.months()[0].chain
        assert out.getvalue() == (f"2026-03: đã chốt 3 kết quả vào {archive}\n"
                                  f"dấu niêm phong (SHA-256): {seal}\n")
        capsys.readouterr()
        again = tmp_path / "b.sqlite"
        out = io.StringIO()
        assert main(["finalize", str(workbook), "--archive", str(again), "--by", "TCCB",
                     "--no-classify", "--lang", "en"], stdout=out) == 0  # fmt: skip
        with Archive(again) as arc:
            seal = arc.months()[0].chain
        assert out.getvalue() == (f"2026-03: 3 results finalized in {again}\n"
                                  f"seal (SHA-256): {seal}\n")
        assert capsys.readouterr().err.endswith(
            "note: archived without unit inputs, so the month cannot be amended\n"
            "note: the month has no unit results; for the year, a head needs the unit's "
            "annual grade: `evalkit annual --unit-grades FILE.csv` (columns unit_id, grade)\n")

    def test_no_classify_archives_scores_that_cannot_be_amended(
        self, tmp_path: Path, workbook: Path
    ) -> None:
        """--no-classify: the scores only, said on stderr; an amendment is refused."""
        archive = str(tmp_path / "a.sqlite")
        code, out = run("finalize", str(workbook), "--archive", archive, "--by", "TCCB",
                        "--no-classify")  # fmt: skip
        assert code == 0 and not out["amendable"]
        code, _ = run("amend", "--archive", archive, "--period", "2026-03", "--staff", "CC-2",
                      "--set", "tien_do=90", "--by", "GĐ", "--why", "x")  # fmt: skip
        assert code == 1


class TestAnnual:
    def test_annual_gives_the_documented_columns(self, tmp_path: Path) -> None:
        """staff_id, full_name, unit_id, annual_total, annual_grade, reasons first."""
        archive = str(tmp_path / "a.sqlite")
        for m in range(1, 7):
            book = filled_workbook(tmp_path / f"t{m}.xlsx", [person("CC-1"), person("CC-2")],
                                   period=f"2026-{m:02d}")  # fmt: skip
            assert run("finalize", str(book), "--archive", archive, "--by", "TCCB")[0] == 0
        code, out = run("annual", "--archive", archive, "--year", "2026")
        assert code == 0 and out["rows"] == 2
        data = out["results"]["data"]
        assert data["columns"][:6] == ["staff_id", "full_name", "unit_id", "annual_total",
                                       "annual_grade", "reasons"]  # fmt: skip
        # 91 every month (HTXS band), but 20 % of nobody rated HTT is no HTXS for the year;
        # the year's score is the mean of the months worked (NĐ 335 Điều 21: rollup.average)
        assert [(r["annual_total"], r["score_grade"], r["annual_grade"], r["reasons"])
                for r in data["rows"]] == [(91.0, "HTXS", "HTT",
                                            "rollup.average;quota.demoted")] * 2  # fmt: skip
        assert [r["full_name"] for r in data["rows"]] == ["Người CC-1", "Người CC-2"]

    def test_the_help_describes_the_engines_year_not_an_average(self) -> None:
        """The old second roll-up is gone from the help too."""
        text = CliRunner().invoke(cli, ["annual", "--help"]).output
        assert "classify_year" in text and "head is not rated above" in text
        assert "average" not in text.lower()


class TestAnnualConclusions:
    """The competent level concludes the year (domain brief §3): the archive and
    `evalkit annual --conclusions` apply the conclusion as classify_year does."""

    def _archive(self, path: Path) -> None:
        from tests._archive_helpers import classified

        with Archive(path) as arc:
            for m in range(1, 4):
                results, units, inputs = classified(f"2026-{m:02d}", {"A": 100.0, "B": 80.0})
                arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)

    def test_a_lower_conclusion_is_applied_with_its_reason(self, tmp_path: Path) -> None:
        self._archive(tmp_path / "a.sqlite")
        concl = pd.DataFrame({"staff_id": ["A"], "competent_grade": ["HT"],
                              "competent_reason": ["Chậm báo cáo năm"]})  # fmt: skip
        with Archive(tmp_path / "a.sqlite") as arc:
            year = arc.annual(2026, conclusions=concl).set_index("staff_id")
        assert year.loc["A", "annual_grade"] == "HT"
        assert "competent.concluded" in year.loc["A", "reasons"]
        csv_path = tmp_path / "ket-luan.csv"
        concl.to_csv(csv_path, index=False)
        out = tmp_path / "nam.csv"
        code = main(["annual", "--archive", str(tmp_path / "a.sqlite"), "--year", "2026",
                     "--conclusions", str(csv_path), "--out", str(out)],
                    stdout=io.StringIO())  # fmt: skip
        assert code == 0
        table = pd.read_csv(out, encoding="utf-8-sig").set_index("staff_id")
        assert table.loc["A", "annual_grade"] == "HT"

    def test_a_conclusion_for_nobody_is_refused_naming_its_line(self, tmp_path: Path) -> None:
        self._archive(tmp_path / "a.sqlite")
        csv_path = tmp_path / "ket-luan.csv"
        csv_path.write_text("staff_id,competent_grade,competent_reason\nZ,HT,x\n",
                            encoding="utf-8")  # fmt: skip
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["annual", "--archive", str(tmp_path / "a.sqlite"), "--year", "2026",
                         "--conclusions", str(csv_path)], stdout=io.StringIO())  # fmt: skip
        assert code == 1
        assert "ket-luan.csv" in err.getvalue() and "dòng 2" in err.getvalue()
        assert "kết luận cho một người không có kết quả trong năm" in err.getvalue()

    def test_every_bad_conclusion_is_named_at_once(self, tmp_path: Path) -> None:
        """Audit af21: the archive refused a conclusion for nobody before the engine saw
        the file, so its other problems came in two more runs. B's band is HTT (80), so
        HT needs its written reason; XS is no grade; 'abc' is no order."""
        self._archive(tmp_path / "a.sqlite")
        csv_path = tmp_path / "ket-luan.csv"
        csv_path.write_text("staff_id,competent_grade,competent_reason,competent_order\n"
                            "Z,HT,x,\nA,XS,lý do,abc\nB,HT,,\n", encoding="utf-8")  # fmt: skip
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["annual", "--archive", str(tmp_path / "a.sqlite"), "--year", "2026",
                         "--conclusions", str(csv_path)], stdout=io.StringIO())  # fmt: skip
        lines = [ln for ln in err.getvalue().splitlines() if "ket-luan.csv, dòng" in ln]
        assert code == 1
        assert [(ln.split("dòng ")[1].split(",")[0], ln.split("cột '")[1].split("'")[0])
                for ln in lines] == [("2", "staff_id"), ("3", "competent_grade"),
                                     ("3", "competent_order"), ("4", "competent_reason")]


def test_a_positions_own_maximum_is_finalized_with_the_organisation(tmp_path: Path) -> None:
    """A position may raise a criterion's maximum (Position.maxima): the month classified
    with the organisation is finalized with it, and without it the problem says to pass
    --org (a score of 12 for a 10-point criterion is this position's right)."""
    import openpyxl

    import evalkit
    import evalkit.rules
    from evalkit.io.jsonio import write_json
    from evalkit.io.workbook import SCORES_SHEET

    rs = evalkit.rules.get("hanoi.3814-2018")
    org = evalkit.Organisation(
        units=[evalkit.Unit("U", "Phòng")],
        positions=[evalkit.Position("P", "Chuyên viên", maxima={"ky_luat": 12, "dao_duc": 8})],
        staff=[evalkit.Staff("A", "An", "P", "U", category="hop_dong"),
               evalkit.Staff("B", "Bình", "P", "U", category="hop_dong")])
    write_json(tmp_path / "org.json", org)  # (Hà Nội's set: contract staff in 2026)
    book, res = tmp_path / "t.xlsx", tmp_path / "r.json"
    assert main(["template", "--rules", rs.id, "--period", "2026-03", "--org",
                 str(tmp_path / "org.json"), str(book)], stdout=io.StringIO()) == 0
    wb = openpyxl.load_workbook(book)
    ws = wb[SCORES_SHEET]
    ids = [str(c.value).rsplit("[", 1)[-1].rstrip("]") for c in ws[1]]
    for r in (2, 3):
        for k, v in {**rs.full_marks(), "ky_luat": 12, "dao_duc": 8}.items():
            ws.cell(r, ids.index(f"competent__{k}") + 1, v)
    wb.save(book)
    org_args = ["--org", str(tmp_path / "org.json")]
    assert main(["classify", str(book), *org_args, "--out", str(res)], stdout=io.StringIO()) == 0
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["finalize", str(res), "--archive", str(tmp_path / "a.sqlite"), "--by", "x"],
                    stdout=io.StringIO())  # fmt: skip
    assert code == 1 and "chạy kèm --org" in err.getvalue()
    assert main(["finalize", str(res), *org_args, "--archive", str(tmp_path / "b.sqlite"),
                 "--by", "x"], stdout=io.StringIO()) == 0  # fmt: skip
    # amend re-derives the month with the same maxima: 11 is within this position's 12
    assert main(["amend", "--archive", str(tmp_path / "b.sqlite"), "--period", "2026-03",
                 "--staff", "B", "--set", "ky_luat=11", "--by", "Giám đốc", "--why", "phúc khảo",
                 *org_args], stdout=io.StringIO()) == 0  # fmt: skip
    with Archive(tmp_path / "b.sqlite") as arc:
        assert arc.month("2026-03").set_index("staff_id").loc["B", "total"] == 89.0


class TestAnnualFileHasNoWorkbookRow:
    """Audit af22: `annual --out` started with a `row` counter (0, 1, 2 …) that is not a
    documented annual column; a month's results keep `row`, the workbook row, on purpose."""

    def test_the_annual_table_starts_with_staff_id_and_the_month_keeps_its_rows(
        self, tmp_path: Path, workbook: Path
    ) -> None:
        import openpyxl

        from evalkit.io.results import read_results

        archive = str(tmp_path / "a.sqlite")
        month = tmp_path / "thang-03.json"
        assert main(["classify", str(workbook), "--out", str(month)],
                    stdout=io.StringIO()) == 0  # fmt: skip
        assert main(["finalize", str(month), "--archive", archive, "--by", "TCCB"],
                    stdout=io.StringIO()) == 0  # fmt: skip
        documented = ["staff_id", "full_name", "unit_id", "annual_total", "annual_grade",
                      "reasons"]  # fmt: skip
        for suffix in (".csv", ".json", ".xlsx"):
            out = tmp_path / f"nam{suffix}"
            assert main(["annual", "--archive", archive, "--year", "2026", "--out", str(out)],
                        stdout=io.StringIO()) == 0  # fmt: skip
            if suffix == ".csv":
                header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
                first = pd.read_csv(out, dtype=str)["staff_id"].tolist()
            elif suffix == ".json":
                data = json.loads(out.read_text(encoding="utf-8"))["data"]
                header = data["columns"]
                assert all("row" not in r for r in data["rows"])
                first = [r["staff_id"] for r in data["rows"]]
                assert "row" not in read_results(out).columns  # it reads back
            else:
                ws = openpyxl.load_workbook(out)["Kết quả"]
                header = [c.value for c in ws[1]]
                first = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
            assert header[:6] == documented, (suffix, header[:7])
            assert "row" not in header, suffix
            assert sorted(first) == ["CC-1", "CC-2", "CC-3"], suffix
        # the month's results file keeps each person's workbook row
        rows = json.loads(month.read_text(encoding="utf-8"))["data"]
        assert rows["columns"][0] == "row"
        assert sorted(r["row"] for r in rows["rows"]) == sorted(read_results(month).index)
        assert all(isinstance(r["row"], int) and r["row"] > 1 for r in rows["rows"])


class TestFinalizeHoldsTheSetToItsDates:
    """Audit af25: archiving a month under a rule set not in force in it is an explicit
    choice (domain brief §4), at the archive's door as at scoring's: NĐ 90/2020 governs
    viên chức until 30/6/2026 (NĐ 233/2026 from 1/7/2026, domain brief §4.2), and an
    agency's set in force from 2027 does not cover March 2026."""

    def test_the_archive_refuses_a_month_outside_the_sets_dates_without_force(
        self, tmp_path: Path
    ) -> None:
        import evalkit
        from evalkit.errors import RuleSetNotInForceError

        rs = evalkit.rules.get("vn.nd90-2020")
        row = pd.DataFrame([{"staff_id": "VC-1", "period": "2026-09", "category": "vien_chuc",
                             **rs.full_marks()}])  # fmt: skip
        results = pd.concat([row[["staff_id", "period"]],
                             evalkit.score_frame(row, rs, force=True)], axis=1)  # fmt: skip
        with Archive(tmp_path / "a.sqlite") as arc:
            with pytest.raises(RuleSetNotInForceError, match="not in 2026-09"):
                arc.finalize(results, by="TCCB")
            assert arc.months() == []
            assert arc.finalize(results, by="TCCB", force=True).rule_set == "vn.nd90-2020"

    def test_finalize_of_forced_results_needs_force_too(
        self, tmp_path: Path, workbook: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        rule_file = tmp_path / "mau.toml"
        rule_file.write_text('extends = "vn.nd335-2025"\nid = "mau.nd335-2027"\n'
                             'jurisdiction = "vn.mau"\ntitle_vi = "Tỉnh Mẫu"\n'
                             "effective_from = 2027-01-01\n", encoding="utf-8")  # fmt: skip
        out, archive = str(tmp_path / "r.json"), str(tmp_path / "a.sqlite")
        code, _ = run("classify", str(workbook), "--rules", str(rule_file), "--force",
                      "--out", out)  # fmt: skip
        assert code == 0
        finalize = ["--lang", "en", "finalize", out, "--rules", str(rule_file), "--archive",
                    archive, "--by", "TCCB"]  # fmt: skip
        capsys.readouterr()
        assert main(finalize, stdout=io.StringIO()) == 3
        assert "not in 2026-03; add --force" in capsys.readouterr().err
        assert main([*finalize, "--force"], stdout=io.StringIO()) == 0
        with Archive(archive) as arc:
            assert [str(m.period) for m in arc.months()] == ["2026-03"]


class TestRenderAnArchivedMonth:
    """Issue 13: `render --archive FILE --period YYYY-MM` renders the finalized month (its
    amendments applied) — the same sheets and summary as rendering its workbook."""

    def test_the_archived_month_renders_as_its_workbook_and_follows_an_amendment(
        self, tmp_path: Path, workbook: Path
    ) -> None:
        import pypdf

        def text(folder: Path) -> dict[str, str]:
            return {str(p.relative_to(folder)): "\n".join(
                pg.extract_text() for pg in pypdf.PdfReader(p).pages)
                for p in sorted(folder.rglob("*.pdf"))}  # fmt: skip

        archive = str(tmp_path / "a.sqlite")
        assert run("finalize", str(workbook), "--archive", archive, "--by", "TCCB")[0] == 0
        assert run("render", str(workbook), "--out", str(tmp_path / "B"))[0] == 0
        code, out = run("render", "--archive", archive, "--period", "2026-03",
                        "--out", str(tmp_path / "C"))  # fmt: skip
        assert code == 0, out
        assert text(tmp_path / "C") == text(tmp_path / "B")
        assert run("amend", "--archive", archive, "--period", "2026-03", "--staff", "CC-3",
                   "--set", "tien_do=100", "--by", "GĐ", "--why", "sửa")[0] == 0
        assert run("render", "--archive", archive, "--period", "2026-03",
                   "--out", str(tmp_path / "D"))[0] == 0  # fmt: skip
        after = text(tmp_path / "D")
        sheet = next(k for k in after if "CC-3" in k)
        assert after[sheet] != text(tmp_path / "C")[sheet]
        code, out = run("render", "--archive", archive, "--period", "2026-04",
                        "--out", str(tmp_path / "E"))  # fmt: skip
        assert code != 0 and not (tmp_path / "E").exists()
