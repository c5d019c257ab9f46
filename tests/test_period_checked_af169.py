"""af169 (issue 13): the last doors that skipped the results check.

A month's results file edited by hand (a total and its grades raised together: only scoring
the row again from its own inputs finds it) is refused by ``evalkit finalize`` and by
``evalkit render`` of the month (af168). Rolled up to a quarter or a year (``render FILE.json
… --period 2026-Q1``) it reached the quarter's sheets unchecked before af169; now every
month read back goes through :func:`evalkit.workflow.checked`, and the library's
:func:`evalkit.render.period_sheets_from_results` refuses months read back and not checked,
as :func:`evalkit.render.sheets_from_results` does (one refusal shared).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalkit.errors import InputError, RenderError
from evalkit.io.results import read_results
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person
from tests.test_score_only_finalize_af168 import _edit, _lines, _scored


def test_render_period_refuses_a_month_edited_by_hand(tmp_path: Path) -> None:
    """CC-2 scores 81.67 (HTT); raised to 95 HTXS by hand the quarter would print HTXS."""
    edited = _edit(_scored(tmp_path), "CC-2", total=95.0, score_grade="HTXS", grade="HTXS")
    out = tmp_path / "q1"
    code, stdout, err = run("--lang", "en", "render", str(edited), "--period", "2026-Q1",
                            "--out", str(out))  # fmt: skip
    lines = _lines(stdout, err)
    assert code == 1 and len(lines) == 2, (stdout, err)
    assert "staff 'CC-2': the total is 95.0 but its inputs give 81.67" in lines[0]
    assert all(str(edited) in line for line in lines)
    assert not out.exists() or not list(out.rglob("*.pdf"))


def test_render_period_of_an_unedited_month_is_written(tmp_path: Path) -> None:
    code, _, err = run("render", str(_scored(tmp_path)), "--period", "2026-Q1",
                       "--out", str(tmp_path / "q1"))  # fmt: skip
    assert code == 0, err
    assert list((tmp_path / "q1").glob("*.pdf"))


def test_the_library_refuses_months_read_back_and_not_checked(tmp_path: Path) -> None:
    """The Python door: the same months, unchecked, are refused (RenderError, as for a
    month's sheets); checked, the edited one is refused (InputError), the unedited printed."""
    from evalkit import workflow
    from evalkit.render import period_sheets_from_results, sheets_from_results
    from evalkit.units import classify_year

    scored = _scored(tmp_path)
    months = read_results(scored)
    year = classify_year(months.copy(), None, None, to="quarter")
    for door in (lambda: period_sheets_from_results(year, months),
                 lambda: sheets_from_results(months)):  # fmt: skip
        with pytest.raises(RenderError, match="printed once checked"):
            door()
    assert period_sheets_from_results(year, workflow.checked(months))
    edited = read_results(_edit(scored, "CC-2", total=95.0, score_grade="HTXS", grade="HTXS"))
    with pytest.raises(InputError, match=r"81\.67"):
        workflow.checked(edited)


@pytest.mark.parametrize("command", ["finalize", "render", "python"])
def test_a_workbook_only_scored_is_refused_naming_the_workbook(
        tmp_path: Path, command: str) -> None:  # fmt: skip
    """``finalize``/``render --no-classify`` of a Hà Nội workbook (QĐ 3814-QĐ/TU classifies
    the month) is refused with one problem: it names the workbook, as the same refusal of
    the results file names that file (before af169 it named no file: the frame only scored
    carried no ``attrs["file"]``, the one classified did)."""
    from evalkit import workflow
    from evalkit.io.archive import Archive
    from tests.test_score_only_finalize_af168 import _hanoi

    book, scored = _hanoi(tmp_path)
    archive = tmp_path / "a.sqlite"
    if command == "python":
        with Archive(archive) as arc, pytest.raises(InputError) as caught:
            arc.finalize(workflow.score_input(workflow.read(book)), by="X")
        assert [(p.file, p.column) for p in caught.value.problems] == [
            (str(book), "classified_by_unit")]
        return
    where = (["--out", str(tmp_path / "pdf")] if command == "render" else
             ["--archive", str(archive), "--by", "X"])  # fmt: skip
    for given, named in ((book, ["--no-classify"]), (scored, [])):
        code, out, err = run("--lang", "en", command, str(given), *named, *where)
        lines = _lines(out, err)
        assert code == 1 and len(lines) == 1, (out, err)
        assert lines[0].startswith(f"  - {given}, column 'classified_by_unit'"), lines[0]


def test_evalkit_org_names_hidden_rows_and_columns_as_the_month_commands_do(
        tmp_path: Path) -> None:  # fmt: skip
    """The organisation built from a month's workbook (``evalkit org m.xlsx``) takes its
    people from hidden rows and its units' names from a hidden column as from any other:
    they are named in the words ``validate`` and ``classify`` use (``cli.hidden``), once
    each, save that ``org`` reads them and scores nothing (af176: "read", not "read and
    scored"). Before af169 ``org`` said nothing of them. (A CSV hides nothing.)"""
    import openpyxl

    from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET

    book = filled_workbook(tmp_path / "m.xlsx", [person("CC-1"), person("CC-2")],
                           units=[{"unit_id": "P1", "name": "Phòng 1", "tasks_assigned": 10,
                                   "tasks_done": 10, "tasks_on_time": 10}],
                           positions=[{"position_id": "CV", "title": "Chuyên viên"}])  # fmt: skip
    wb = openpyxl.load_workbook(book)
    wb[SCORES_SHEET].row_dimensions[3].hidden = True
    units = wb[UNITS_SHEET]
    letter = next(c.column_letter for c in units[1]
                  if str(c.value).rsplit("[", 1)[-1].rstrip("]") == "name")
    units.column_dimensions[letter].hidden = True
    wb.save(book)

    def notes(err: str) -> list[str]:
        return [line for line in err.splitlines() if "hidden in Excel" in line]

    code, _, err = run("--lang", "en", "validate", str(book))
    assert code == 0, err
    said = notes(err)
    assert len(said) == 2 and f"sheet '{SCORES_SHEET}': 1 row(s) hidden in Excel (row 3)" \
        in said[0] and f"(column {letter}: name)" in said[1], said  # fmt: skip
    read = [n.replace(" are read and scored like ", " are read like ") for n in said]
    assert read != said
    code, out, err = run("--lang", "en", "org", str(book), "--out", str(tmp_path / "o.json"))
    assert code == 0, (out, err)
    assert notes(err) == read
    code, out, err = run("--lang", "en", "org", str(book), "--json")
    assert code == 0 and notes(err) == read and json.loads(out)["staff"] == 2, (out, err)


def test_render_period_lists_every_files_problems(tmp_path: Path) -> None:
    """A month edited by hand beside a file that cannot be read: both said, each naming its
    file, nothing written (before af169 the first unreadable file stopped the listing, and
    the edited month was not checked at all)."""
    edited = _edit(_scored(tmp_path), "CC-2", total=95.0, score_grade="HTXS", grade="HTXS")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    out = tmp_path / "q1"
    code, stdout, err = run("--lang", "en", "render", str(broken), str(edited), "--period",
                            "2026-Q1", "--out", str(out))  # fmt: skip
    lines = _lines(stdout, err)
    assert code == 1 and len(lines) == 3, (stdout, err)
    assert str(broken) in lines[0] and all(str(edited) in line for line in lines[1:])
    assert not out.exists() or not list(out.rglob("*.pdf"))
