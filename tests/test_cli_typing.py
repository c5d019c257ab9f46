"""What people type that the file readers must not guess at: a fraction in a percent
column, '1.000' in a vi-VN number cell, a CSV saved with semicolons, an empty note column,
and the wording of a few messages."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

import evalkit
from evalkit.io.workbook import SCORES_SHEET, read_csv, read_organisation, read_workbook
from evalkit.messages import located
from tests._io_helpers import GENERAL, TASKS, filled_workbook, header_ids, person


def _letter(ws: Any, cid: str) -> str:
    return openpyxl.utils.get_column_letter(header_ids(ws).index(cid) + 1)


def _csv(path: Path, rows: list[dict[str, Any]], sep: str = ",") -> Path:
    cols = list(rows[0])
    text = sep.join(cols) + "\n" + "".join(
        sep.join(str(r[c]) for c in cols) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")
    return path


class TestFractionInAPercentColumn:
    """0.95 typed for 95 % in a 0-100 column is refused, naming the cell."""

    def test_a_fraction_in_a_criterion_and_in_the_kpi_is_a_problem(self, tmp_path: Path) -> None:
        path = filled_workbook(tmp_path / "a.xlsx", [
            person("CC-1", so_luong=0.95), person("CC-2", kpi=0.95),
            person("CC-3", kpi="95%"), person("CC-4", so_luong=1, chat_luong=0)])
        _, problems = read_workbook(path)
        found = [(p.row, p.column, p.staff_id) for p in problems]
        assert found == [(2, "competent__so_luong", "CC-1"), (3, "kpi", "CC-2")]
        vi = located(problems[0], "vi")
        assert vi.endswith("giá trị 0,95 nằm giữa 0 và 1: nếu là 95% hãy ghi 95"), vi
        assert "ô " in vi and "between 0 and 1" in str(problems[0])

    def test_a_percent_formatted_cell_and_percent_text_read_as_shown(
        self, tmp_path: Path
    ) -> None:
        path = filled_workbook(tmp_path / "b.xlsx", [
            person("CC-1", so_luong=0.95), person("CC-2", chat_luong="0,5%")])
        wb = openpyxl.load_workbook(path)
        ws = wb[SCORES_SHEET]
        ws[f"{_letter(ws, 'competent__so_luong')}2"].number_format = "0%"
        wb.save(path)
        frame, problems = read_workbook(path)
        assert problems == []
        assert frame.loc[2, "so_luong"] == 95.0 and frame.loc[3, "chat_luong"] == 0.5

    def test_a_csv_fraction_is_a_problem_with_its_line(self, tmp_path: Path) -> None:
        row = {"staff_id": "CC-1", "unit_id": "P1", **GENERAL, **TASKS}
        path = _csv(tmp_path / "f.csv", [{**row, "tien_do": "0.8"}])
        _, problems = read_csv(path, "vn.nd335-2025", period="2026-03")
        assert [(p.row, p.column) for p in problems] == [(2, "competent__tien_do")]
        assert "nếu là 80% hãy ghi 80" in located(problems[0], "vi")


class TestThousandsDot:
    """'1.000' is one thousand in vi-VN and one in English: refused, naming the cell."""

    def test_text_with_a_dot_and_three_digits_is_ambiguous(self, tmp_path: Path) -> None:
        path = filled_workbook(tmp_path / "a.xlsx", [
            person("CC-1", tien_do="1.000"), person("CC-2", so_luong="85,50"),
            person("CC-3", chat_luong="85.5"), person("CC-4", so_luong=1.5)])
        frame, problems = read_workbook(path)
        assert [(p.row, p.column, p.value) for p in problems] == [
            (2, "competent__tien_do", "1.000")]
        assert located(problems[0], "vi").endswith(
            "'1.000' có thể là 1000 (dấu chấm phân cách hàng nghìn) hoặc 1: ghi 1 hoặc 1000")
        assert frame.loc[3, "so_luong"] == 85.5 and frame.loc[4, "chat_luong"] == 85.5

    def test_a_unit_count_and_a_csv_cell_too(self, tmp_path: Path) -> None:
        path = filled_workbook(tmp_path / "b.xlsx", [person("CC-1")], units=[
            {"unit_id": "P1", "name": "Phòng 1", "tasks_assigned": "2.500"}])
        _, problems = read_workbook(path)
        assert [(p.column, p.value) for p in problems] == [("tasks_assigned", "2.500")]
        assert "ghi 2,5 hoặc 2500" in located(problems[0], "vi")
        row = {"staff_id": "CC-1", "unit_id": "P1", **GENERAL, **TASKS}
        csv_path = _csv(tmp_path / "f.csv", [{**row, "so_luong": "1.000"}])
        _, problems = read_csv(csv_path, "vn.nd335-2025", period="2026-03")
        assert [(p.row, p.column) for p in problems] == [(2, "competent__so_luong")]


class TestSemicolonCsv:
    """Excel in a Vietnamese locale saves "CSV UTF-8" with ';': read like the comma file."""

    def test_a_semicolon_score_csv_reads_like_the_comma_one(self, tmp_path: Path) -> None:
        rows = [{"staff_id": "CC-1", "unit_id": "P1", **GENERAL, **TASKS},
                {"staff_id": "CC-2", "unit_id": "P1", **GENERAL, **TASKS, "so_luong": 50}]
        comma, _ = read_csv(_csv(tmp_path / "c.csv", rows), "vn.nd335-2025", period="2026-03")
        semi_rows = [{k: str(v).replace(".", ",") for k, v in r.items()} for r in rows]
        semi, problems = read_csv(_csv(tmp_path / "s.csv", semi_rows, ";"), "vn.nd335-2025",
                                  period="2026-03")
        assert problems == []
        pd.testing.assert_frame_equal(semi, comma, check_like=True)

    def test_labelled_headers_with_commas_in_them_too(self, tmp_path: Path) -> None:
        """The template's headers hold commas ('(tối đa 2,5)'); the separator is still ';'."""
        from evalkit.io._cells import csv_delimiter
        from evalkit.io.workbook import score_columns

        heads = [c.header() for c in score_columns(evalkit.rules.get("vn.nd335-2025"))]
        path = tmp_path / "h.csv"
        path.write_text("\ufeff" + ";".join(heads) + "\n", encoding="utf-8")
        assert csv_delimiter(path) == ";"
        path.write_text(",".join(f'"{h}"' if "," in h else h for h in heads) + "\n",
                        encoding="utf-8")
        assert csv_delimiter(path) == ","

    def test_an_organisation_from_semicolon_csvs_is_the_comma_ones(self, tmp_path: Path) -> None:
        files = {"units": [["unit_id", "name", "head_id"], ["P1", "Phòng 1, Sở A", "CC-1"]],
                 "positions": [["position_id", "title"], ["CV", "Chuyên viên"]],
                 "staff": [["staff_id", "full_name", "unit_id", "position_id"],
                           ["CC-1", "An", "P1", "CV"], ["CC-2", "Bình", "P1", "CV"]]}
        found = []
        for sep in ",;":
            paths = {}
            for name, rows in files.items():
                path = tmp_path / f"{name}{sep == ';'}.csv"
                with path.open("w", encoding="utf-8", newline="") as fh:
                    csv.writer(fh, delimiter=sep).writerows(rows)
                paths[name] = path
            org, problems = read_organisation(**paths)
            assert problems == [] and org is not None
            found.append(org)
        assert found[0] == found[1]
        assert [u.name for u in found[1].units] == ["Phòng 1, Sở A"]


class TestEmptyExtraColumn:
    """A header evalkit does not know with nothing under it (a note column added at the
    end) is harmless; a value under it is still refused, with the header."""

    def test_an_empty_note_column_is_accepted(self, tmp_path: Path) -> None:
        path = filled_workbook(tmp_path / "a.xlsx", [person("CC-1"), person("CC-2")])
        wb = openpyxl.load_workbook(path)
        ws = wb[SCORES_SHEET]
        col = ws.max_column + 1
        ws.cell(1, col).value = "Ghi chú (tự thêm)"
        wb.save(path)
        frame, problems = read_workbook(path)
        assert problems == [] and len(frame) == 2
        ws.cell(3, col).value = "đi công tác"
        wb.save(path)
        _, problems = read_workbook(path)
        assert [(p.row, p.value) for p in problems] == [
            (1, "Ghi chú (tự thêm)"), (3, "đi công tác")]

    def test_an_empty_csv_column_too(self, tmp_path: Path) -> None:
        row = {"staff_id": "CC-1", "unit_id": "P1", **GENERAL, **TASKS, "Ghi chú": ""}
        _, problems = read_csv(_csv(tmp_path / "f.csv", [row]), "vn.nd335-2025",
                               period="2026-03")
        assert problems == []
        _, problems = read_csv(_csv(tmp_path / "g.csv", [{**row, "Ghi chú": "x"}]),
                               "vn.nd335-2025", period="2026-03")
        assert [(p.row, p.value) for p in problems] == [(1, "Ghi chú"), (2, "x")]

    def test_a_number_in_the_header_row_is_still_refused(self, tmp_path: Path) -> None:
        """5 typed right of the last header is data in the wrong row, not a label."""
        path = filled_workbook(tmp_path / "a.xlsx", [person("CC-1")])
        wb = openpyxl.load_workbook(path)
        ws = wb[SCORES_SHEET]
        ws.cell(1, ws.max_column + 2).value = 5
        wb.save(path)
        _, problems = read_workbook(path)
        assert [(p.row, p.value) for p in problems] == [(1, "5")]


class TestMessages:
    """Small wording fixes: the staff id of a formula cell, whole counts, allowed values in
    the template header, no stray tracebacks when a results file cannot be written."""

    def test_a_formula_problem_names_the_staff_id(self, tmp_path: Path) -> None:
        path = filled_workbook(tmp_path / "f.xlsx",
                               [person("CC-1"), person("CC-2", pham_chat_dao_duc="=2+3")])
        _, problems = read_workbook(path)
        assert [(p.row, p.staff_id) for p in problems] == [(3, "CC-2")]
        assert "người được đánh giá 'CC-2'" in located(problems[0], "vi")

    def test_a_unit_task_count_prints_as_a_whole_number(self, tmp_path: Path) -> None:
        path = filled_workbook(tmp_path / "u.xlsx", [person("CC-1")], units=[
            {"unit_id": "P1", "tasks_assigned": 10, "tasks_done": 20}])
        _, problems = read_workbook(path)
        text = located(problems[0], "vi")
        assert "giá trị 20:" in text and "20.0" not in text, text

    def test_the_template_header_says_the_allowed_values(self, tmp_path: Path) -> None:
        from evalkit.io.workbook import write_template

        path = write_template(tmp_path / "t.xlsx", "vn.nd335-2025", "2026-03")
        heads = [str(c.value) for c in openpyxl.load_workbook(path)[SCORES_SHEET][1]
                 if c.value]  # fmt: skip
        mine = [h for h in heads if h.endswith("[manager__to_chuc_trien_khai]")]
        assert mine and "(100 hoặc 50)" in mine[0] and "tối đa" not in mine[0]
        assert any("(tối đa 100) [manager__so_luong]" in h for h in heads)
        # the header without its [id] is still recognised by its label
        frame, problems = read_workbook(filled_workbook(tmp_path / "f.xlsx", [person("CC-1")]))
        assert problems == [] and len(frame) == 1

    def test_an_unwritable_results_file_prints_no_stray_traceback(self, tmp_path: Path) -> None:
        import subprocess
        import sys

        path = filled_workbook(tmp_path / "f.xlsx", [person("CC-1")])
        (tmp_path / "a-file").write_text("x", encoding="utf-8")  # not a folder
        done = subprocess.run(
            [sys.executable, "-m", "evalkit", "score", str(path), "--out",
             str(tmp_path / "a-file" / "x.xlsx")],
            capture_output=True, text=True, check=False)
        assert done.returncode == 1 and "Lỗi:" in done.stderr
        assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr


class TestAnnualGaps:
    """`evalkit annual` says which months of the year it read and which are missing."""

    def test_the_missing_months_are_named_on_stderr(
        self, tmp_path: Path, capsys: Any
    ) -> None:
        import io

        from evalkit.cli import main
        from evalkit.io.archive import Archive
        from tests._archive_helpers import classified

        path = tmp_path / "a.sqlite"
        with Archive(path) as arc:
            for period in ("2026-02", "2026-03"):
                results, units, inputs = classified(period, {"H": 100.0, "A": 90.0},
                                                    head="H")  # fmt: skip
                arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        out = io.StringIO()
        assert main(["annual", "--archive", str(path), "--year", "2026"], stdout=out) == 0
        err = capsys.readouterr().err
        assert ("năm 2026: đã đọc 2 tháng đã chốt (2026-02, 2026-03); thiếu 10 tháng: "
                "2026-01, 2026-04, 2026-05") in err, err
        assert err.rstrip().endswith("2026-12") and "năm 2026" not in out.getvalue()
