"""Hunt af164 (issue 13): what the CLI checks and says, every door checks and says.

* ``evalkit render`` of a results file refuses what ``evalkit finalize`` refuses (af157);
  the library refuses it too, with the same problems: :func:`evalkit.workflow.checked`
  (the one check both call, :func:`evalkit.io.archive.results_file_problems`) raises, and
  :func:`evalkit.render.sheets_from_results` prints a results file read back with
  :func:`evalkit.io.results.read_results` only once checked (render re-derives nothing).
* Rows hidden in Excel were named by ``validate`` alone and hidden columns by nobody:
  every command that reads a workbook names both, in one catalogue sentence
  (``cli.hidden``), naming file, sheet and rows or columns.
* "cán bộ" is a category of its own (elected or appointed posts), not everyone: a person
  is *người được đánh giá*, an id *mã nhân sự*, and a sentence about one person under a
  set of one category uses that category's word (*cán bộ* under QĐ 366-QĐ/TW only).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalkit.errors import InputError, RenderError
from evalkit.io.results import read_results
from evalkit.messages import located
from evalkit.render import sheets_from_results, write_pdfs
from evalkit.workflow import checked
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person


def _edited_results(tmp_path: Path) -> Path:
    """A classified month written as a results file, then CC-2's total and grades raised
    together by hand (each consistent with the other, not with the inputs)."""
    book = filled_workbook(tmp_path / "m.xlsx", [person("CC-1"), person("CC-2", so_luong=50)],
                           units=[{"unit_id": "P1", "name": "Phòng 1", "tasks_assigned": 10,
                                   "tasks_done": 10, "tasks_on_time": 10}])  # fmt: skip
    results = tmp_path / "r.json"
    code, _, err = run("--lang", "en", "classify", str(book), "--out", str(results))
    assert code == 0, err
    doc = json.loads(results.read_text(encoding="utf-8"))
    row = next(r for r in doc["data"]["rows"] if r["staff_id"] == "CC-2")
    # by hand: 28 + (50 + 100 + 80) / 3 × 0.7 = 28 + 53.67 = 81.67, HTT
    assert (row["total"], row["grade"]) == (81.67, "HTT")
    row.update(total=95.0, score_grade="HTXS", grade="HTXS")
    edited = tmp_path / "e.json"
    edited.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return edited


class TestTheLibraryDoorRefusesWhatTheCliRefuses:
    def test_an_edited_results_file_is_refused_by_both_doors_with_the_same_problems(
        self, tmp_path: Path
    ) -> None:
        """The CLI's problem lines are the library's problems, located the same way, and
        neither door writes a file."""
        edited = _edited_results(tmp_path)
        code, out, err = run("--lang", "en", "render", str(edited), "--out",
                             str(tmp_path / "pdf"))  # fmt: skip
        assert code == 1, (out, err)
        cli_lines = [line for line in err.splitlines() if line.startswith("  - ")]
        with pytest.raises(InputError) as caught:
            write_pdfs(sheets_from_results(checked(read_results(edited))), tmp_path / "lib")
        lib_lines = [f"  - {located(p, 'en')}" for p in caught.value.problems]
        assert lib_lines == cli_lines
        assert len(lib_lines) == 2 and all("CC-2" in line for line in lib_lines)
        assert "95" in lib_lines[0] and "81.67" in lib_lines[0]
        assert not (tmp_path / "pdf").exists() and not (tmp_path / "lib").exists()

    def test_the_results_file_as_the_engine_wrote_it_renders_at_both_doors(
        self, tmp_path: Path
    ) -> None:
        """The check refuses only what does not follow: the unedited file gives sheets."""
        _edited_results(tmp_path)
        sheets = sheets_from_results(checked(read_results(tmp_path / "r.json")))
        assert sorted(s.staff.id for s in sheets) == ["CC-1", "CC-2"]

    def test_a_results_file_read_back_is_not_printed_unchecked(self, tmp_path: Path) -> None:
        """Render formats and re-derives nothing: a frame read back from a results file,
        edited or not, is refused until :func:`evalkit.workflow.checked` has passed it."""
        edited = _edited_results(tmp_path)
        for path in (edited, tmp_path / "r.json"):
            with pytest.raises(RenderError, match="checked"):
                sheets_from_results(read_results(path))


# ------------------------------------------------ hidden columns, said as hidden rows are


def _hidden_column_book(tmp_path: Path) -> tuple[Path, str]:
    """A month whose competent level's ``so_luong`` column (CC-2's 50) is hidden in Excel,
    beside an empty hidden column (the self level's, typed by no one), and that column's
    letter."""
    import openpyxl

    from evalkit.io.workbook import SCORES_SHEET

    book = filled_workbook(tmp_path / "m.xlsx", [person("CC-1"), person("CC-2", so_luong=50)],
                           units=[{"unit_id": "P1", "name": "Phòng 1", "tasks_assigned": 10,
                                   "tasks_done": 10, "tasks_on_time": 10}])  # fmt: skip
    wb = openpyxl.load_workbook(book)
    ws = wb[SCORES_SHEET]
    letters = {str(c.value).rsplit("[", 1)[-1].rstrip("]"): c.column_letter for c in ws[1]}
    for cid in ("competent__so_luong", "self__so_luong"):
        ws.column_dimensions[letters[cid]].hidden = True
    wb.save(book)
    return book, letters["competent__so_luong"]


class TestHiddenColumnsAreNamedAsHiddenRowsAre:
    def test_validate_score_and_classify_name_a_hidden_column_that_holds_a_score(
        self, tmp_path: Path
    ) -> None:
        """Each command says the one note, naming file, sheet and column; the empty hidden
        column is not named; the hidden score is read (CC-2's total is still 81.67)."""
        from evalkit.io.workbook import SCORES_SHEET, read_month

        book, letter = _hidden_column_book(tmp_path)
        month = read_month(book)
        assert month.hidden_columns == {SCORES_SHEET: [(letter, "competent__so_luong")]}
        note = (f"Note — {book}, sheet '{SCORES_SHEET}': 1 column(s) hidden in Excel "
                f"(column {letter}: competent__so_luong) are read and scored like every "
                "other column")  # fmt: skip
        code, _, err = run("--lang", "en", "validate", str(book))
        assert code == 0, err
        assert [line for line in err.splitlines() if "hidden" in line] == [
            line for line in err.splitlines() if line.startswith(note)]
        assert err.count(note) == 1 and "self__so_luong" not in err
        out = tmp_path / "r.json"
        code, _, err = run("--lang", "en", "classify", str(book), "--out", str(out))
        assert code == 0, err
        assert err.count(note) == 1 and "self__so_luong" not in err
        rows = json.loads(out.read_text(encoding="utf-8"))["data"]["rows"]
        assert {r["staff_id"]: r["total"] for r in rows}["CC-2"] == 81.67
        code, _, err = run("--lang", "en", "score", str(book))
        assert code == 0 and err.count(note) == 1, err
        code, _, err = run("validate", str(book))
        assert code == 0 and f"1 cột bị ẩn trong Excel (cột {letter}: competent__so_luong)" in err

    def test_validate_json_lists_the_hidden_column_among_its_notices(
        self, tmp_path: Path
    ) -> None:
        book, letter = _hidden_column_book(tmp_path)
        code, out, _ = run("--lang", "en", "validate", str(book), "--json")
        assert code == 0
        assert [n for n in json.loads(out)["notices"] if "hidden" in n] == [
            n for n in json.loads(out)["notices"] if f"column {letter}: competent__so_luong" in n]
        assert len(json.loads(out)["notices"]) == 1


def test_a_hidden_row_is_named_by_classify_as_by_validate(tmp_path: Path) -> None:
    """Hidden rows, once named by ``validate`` only, are named by every command that reads
    the workbook, in the same words."""
    import openpyxl

    from evalkit.io.workbook import SCORES_SHEET

    book = filled_workbook(tmp_path / "m.xlsx", [person("CC-1"), person("CC-2")],
                           units=[{"unit_id": "P1", "name": "Phòng 1", "tasks_assigned": 10,
                                   "tasks_done": 10, "tasks_on_time": 10}])  # fmt: skip
    wb = openpyxl.load_workbook(book)
    wb[SCORES_SHEET].row_dimensions[3].hidden = True
    wb.save(book)
    said = {}
    for command in ("validate", "classify"):
        code, _, err = run("--lang", "en", command, str(book))
        assert code == 0, err
        said[command] = [line for line in err.splitlines() if "hidden in Excel" in line]
    assert said["validate"] == said["classify"] != []
    assert f"sheet '{SCORES_SHEET}': 1 row(s) hidden in Excel (row 3)" in said["classify"][0]


# ------------------------------------------------ "cán bộ" only where it is the category


@pytest.mark.parametrize(("rule_set", "word"), [("vn.qd366-2025", "cán bộ"),
                                                ("vn.nd335-2025", "công chức")])
def test_amend_names_the_person_by_their_sets_one_category(
    tmp_path: Path, rule_set: str, word: str
) -> None:
    """``amend`` says whom it amended by the word of the person's category — *cán bộ*
    under QĐ 366-QĐ/TW (cán bộ only), *công chức* under NĐ 335 —, never *cán bộ* for
    everyone."""
    import io

    import evalkit
    from evalkit.cli import main
    from evalkit.io.archive import Archive
    from tests._archive_helpers import classified

    rs = evalkit.rules.get(rule_set)
    results, units, inputs = classified("2026-03", {"H": 100.0, "A": 80.0}, rs=rs, head="H")
    path = tmp_path / "a.sqlite"
    with Archive(path) as arc:
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
    first = rs.criteria()[0]  # its score halved: a change the month records
    out = io.StringIO()
    assert main(["amend", "--archive", str(path), "--period", "2026-03", "--staff", "A",
                 "--set", f"{first.id}={first.maximum / 2:g}", "--by", "GĐ", "--why", "phúc khảo"],
                stdout=out) == 0  # fmt: skip
    assert out.getvalue().startswith(f"đã ghi điều chỉnh số 1 cho {word} A, kỳ 2026-03\n"), \
        out.getvalue()  # fmt: skip
