"""Hunt af160 (issue 13): the workbook/CLI door's loose ends of af157's bad-input hunt.

* A period the information sheet (``Thông tin``) holds that is no month is the one
  problem: the rows' blank period cells follow the sheet's and are not said again.
* A frame's blank period without a ``category`` column is said as such, never as "the row
  has a category but no period" (the category was assumed, not typed).
* The ``format`` cell of ``Thông tin`` is read: a format this version does not know is
  refused, naming the cell and the formats it reads; the older ones it reads still read.
* A row hidden in Excel (by hand, a filter, a collapsed group) is read and scored as
  every row — a filter's hidden rows are the month's too — and ``validate`` names it.
* Every command that writes a file refuses to replace one without ``--force``, as
  ``template`` does (one guard: ``cli._refuse_existing``).
* A folder that is there but takes no new file is said not writable.
* ``render`` and ``finalize`` refuse results that do not follow from their inputs in one
  check, each sentence naming whose inputs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import evalkit
from evalkit.errors import InputError
from evalkit.io.workbook import INFO_SHEET, WORKBOOK_FORMAT, WORKBOOK_FORMATS_READ, read_month
from evalkit.units import classify_frame
from tests._archive_helpers import ND335, month_inputs, scores
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

UNITS = [{"unit_id": "P1", "name": "Phòng 1", "tasks_assigned": 10, "tasks_done": 10,
          "tasks_on_time": 10}]  # fmt: skip


def _book(folder: Path, edit: Callable[[Any], None]) -> Path:
    """A filled month of two people, ``edit`` done on the saved workbook as a person would."""
    book = filled_workbook(folder / "m.xlsx", [person("CC-1"), person("CC-2")], units=UNITS)
    wb = openpyxl.load_workbook(book)
    edit(wb)
    wb.save(book)
    return book


def _info(key: str, value: object) -> Callable[[Any], None]:
    def edit(wb: Any) -> None:
        for row in wb[INFO_SHEET].iter_rows():
            if row[0].value == key:
                row[1].value = value

    return edit


def _said(book: Path) -> tuple[int, list[str]]:
    code, out, err = run("--lang", "en", "validate", str(book))
    return code, [line for line in (out + err).splitlines() if line.startswith("  - ")]


# ---------------------------------------------------------------- 1. the sheet's period


def test_a_bad_period_on_the_information_sheet_is_the_one_problem(tmp_path: Path) -> None:
    book = _book(tmp_path, _info("period", "2026-13"))
    code, lines = _said(book)
    assert code == 1
    assert len(lines) == 1, lines
    assert "sheet 'Thông tin'" in lines[0] and "'2026-13'" in lines[0]
    assert "blank period" not in lines[0]
    problems = read_month(book).problems
    assert [(p.sheet, p.column, p.value) for p in problems] == [(INFO_SHEET, "period", "2026-13")]


def test_without_any_period_a_blank_cell_is_still_said_at_its_row(tmp_path: Path) -> None:
    """No period on the sheet and none given: each row's blank cell is the problem."""
    def drop(wb: Any) -> None:
        ws = wb[INFO_SHEET]
        for row in ws.iter_rows():
            if row[0].value == "period":
                ws.delete_rows(row[0].row)
                return

    problems = read_month(_book(tmp_path, drop)).problems
    assert [(p.row, p.column) for p in problems] == [(2, "period"), (3, "period")]


# ---------------------------------------------------------------- 2. no category column


def _no_period_frame() -> pd.DataFrame:
    full = scores(ND335, 100)
    return pd.DataFrame([{**full, "staff_id": "A", "period": "2026-07"},
                         {**full, "staff_id": "B", "period": None}])  # fmt: skip


def _problems(call: Callable[[], Any]) -> list[Any]:
    with pytest.raises(InputError) as caught:
        call()
    return list(caught.value.problems)


def test_a_blank_period_without_a_category_column_says_no_category_was_typed() -> None:
    frame = _no_period_frame()
    assert "category" not in frame.columns
    (p,) = _problems(lambda: evalkit.score_frame(frame))
    assert (p.row, p.staff_id, p.column) == (1, "B", "period")
    assert "category" not in p.message
    assert p.message == "no rule set: the row has neither a rule set nor a period"
    # with a category typed, the sentence that says so
    (q,) = _problems(lambda: evalkit.score_frame(frame.assign(category="cong_chuc")))
    assert q.message == "no rule set: the row has a category but no period"
    # the month door does not speak of a category either
    staff, units = month_inputs("2026-07", {"A": 100, "B": 100})
    staff = staff.drop(columns=[c for c in ("category",) if c in staff.columns])
    staff["period"] = pd.Series(["2026-07", None], dtype=object)
    found = _problems(lambda: classify_frame(staff, units))
    said = [x.message for x in found if x.column == "period"]
    assert len(said) == 1 and "category" not in said[0]


def test_the_sentence_is_in_vietnamese_too() -> None:
    from evalkit.messages import translate

    said = translate("no rule set: the row has neither a rule set nor a period", "vi")
    assert said == "không có bộ quy định: dòng không ghi bộ quy định, cũng không ghi kỳ"


# ---------------------------------------------------------------- 3. the format cell


def test_a_format_this_version_does_not_know_is_refused_at_its_cell(tmp_path: Path) -> None:
    book = _book(tmp_path, _info("format", "evalkit-workbook/9"))
    code, lines = _said(book)
    assert code == 1 and len(lines) == 1, lines
    assert "sheet 'Thông tin', row 1, column 'format', value 'evalkit-workbook/9'" in lines[0]
    assert all(f in lines[0] for f in WORKBOOK_FORMATS_READ)
    code, out, err = run("validate", str(book))  # in Vietnamese
    assert code == 1 and "định dạng" in err + out
    code, _, err = run("--lang", "en", "classify", str(book), "--out", str(tmp_path / "r.json"))
    assert code == 1 and "evalkit-workbook/9" in err
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize("form", WORKBOOK_FORMATS_READ)
def test_the_formats_this_version_reads_are_read(tmp_path: Path, form: str) -> None:
    assert WORKBOOK_FORMAT in WORKBOOK_FORMATS_READ
    code, lines = _said(_book(tmp_path, _info("format", form)))
    assert (code, lines) == (0, [])


# ---------------------------------------------------------------- 6. a folder not writable


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="Linux's /proc")
def test_a_folder_that_is_there_but_takes_no_file_is_said_not_writable(tmp_path: Path) -> None:
    """``--out /proc/x.json``: /proc exists, the system refuses a new file in it (ENOENT);
    it is said not writable, never "the folder does not exist"."""
    book = _book(tmp_path, lambda wb: None)
    for lang, words in (("en", "not writable"), ("vi", "không ghi được (")):
        code, _, err = run("--lang", lang, "classify", str(book), "--out", "/proc/x.json")
        assert code == 1 and words in err, err
        assert "does not exist" not in err and "không tồn tại" not in err


# ---------------------------------------------------------------- 7. whose inputs


def test_render_and_finalize_name_the_inputs_the_results_do_not_follow(tmp_path: Path) -> None:
    """``render`` checks a results file against its own inputs, ``finalize`` against the
    inputs it archives with them: one check, each sentence naming its caller's inputs."""
    book = filled_workbook(tmp_path / "m.xlsx", [person("CC-1"), person("CC-2", so_luong=50)],
                           units=UNITS)  # fmt: skip
    results = tmp_path / "r.json"
    assert run("classify", str(book), "--out", str(results))[0] == 0
    doc = json.loads(results.read_text(encoding="utf-8"))
    row = next(r for r in doc["data"]["rows"] if r["staff_id"] == "CC-2")
    row.update(total=95.0, score_grade="HTXS", grade="HTXS")  # raised together by hand
    edited = tmp_path / "e.json"
    edited.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    words = {("render", "en"): "the inputs in the results file",
             ("render", "vi"): "dữ liệu đầu vào ghi trong tệp kết quả",
             ("finalize", "en"): "the inputs archived with them",
             ("finalize", "vi"): "dữ liệu đầu vào được lưu cùng kết quả"}
    for (command, lang), said in words.items():
        where = (["--out", str(tmp_path / "pdf")] if command == "render" else
                 ["--archive", str(tmp_path / "a.sqlite"), "--by", "X"])  # fmt: skip
        code, out, err = run("--lang", lang, command, str(edited), *where)
        lines = [line for line in (out + err).splitlines() if line.startswith("  - ")]
        assert code == 1 and len(lines) == 2, (command, lang, out, err)
        assert all(said in line for line in lines), (command, lang, lines)
        assert "archived inputs" not in err and "được lưu;" not in err


# ---------------------------------------------------------------- 4. hidden rows


def _hide(*rows: int) -> Callable[[Any], None]:
    def edit(wb: Any) -> None:
        from evalkit.io.workbook import SCORES_SHEET

        for r in rows:
            wb[SCORES_SHEET].row_dimensions[r].hidden = True

    return edit


def test_a_hidden_row_is_read_scored_and_named_by_validate(tmp_path: Path) -> None:
    from evalkit.io.workbook import SCORES_SHEET

    book = _book(tmp_path, _hide(3, 40))  # row 40 is hidden but holds nothing: not named
    month = read_month(book)
    assert month.problems == []
    assert month.staff["staff_id"].tolist() == ["CC-1", "CC-2"]  # the hidden row is read
    assert month.hidden == {SCORES_SHEET: [3]}
    code, out, err = run("--lang", "en", "validate", str(book))
    assert code == 0, err
    assert f"sheet '{SCORES_SHEET}': 1 row(s) hidden in Excel (row 3)" in err
    code, out, err = run("validate", str(book))
    assert code == 0 and "dòng bị ẩn trong Excel (dòng 3)" in err
    code, out, _ = run("--lang", "en", "validate", str(book), "--json")
    assert code == 0 and any("row 3" in n for n in json.loads(out)["notices"])
    # scored as if nobody had hidden it: the same results as the unhidden workbook
    (tmp_path / "plain").mkdir()
    plain = _book(tmp_path / "plain", lambda wb: None)
    outs = []
    for b in (book, plain):
        res = b.with_suffix(".csv")
        assert run("classify", str(b), "--out", str(res))[0] == 0
        outs.append(pd.read_csv(res, dtype=str).drop(columns=["reasons_vi"], errors="ignore"))
    pd.testing.assert_frame_equal(outs[0], outs[1])


def test_a_workbook_without_hidden_rows_has_no_note(tmp_path: Path) -> None:
    book = _book(tmp_path, lambda wb: None)
    assert read_month(book).hidden == {}
    code, _, err = run("--lang", "en", "validate", str(book))
    assert code == 0 and "hidden" not in err


# ---------------------------------------------------------------- 5. --out and --force


@pytest.mark.parametrize("command", ["score", "classify"])
@pytest.mark.parametrize("suffix", [".json", ".csv", ".xlsx"])
def test_an_existing_out_file_is_never_replaced_without_force(
    tmp_path: Path, command: str, suffix: str
) -> None:
    book = _book(tmp_path, lambda wb: None)
    out = tmp_path / f"out{suffix}"
    out.write_bytes(b"a colleague's file")
    code, _, err = run("--lang", "en", command, str(book), "--out", str(out))
    assert code == 1 and "already exists" in err and "--force" in err, err
    assert out.read_bytes() == b"a colleague's file"
    code, _, err = run("--lang", "en", command, str(book), "--out", str(out), "--force")
    assert code == 0, err
    assert out.read_bytes() != b"a colleague's file"


def test_the_template_and_the_organisation_file_keep_their_own_words(tmp_path: Path) -> None:
    """One guard for every file; the template's and the organisation file's sentences say
    what each may hold."""
    tpl = tmp_path / "mau.xlsx"
    tpl.write_bytes(b"x")
    code, _, err = run("--lang", "en", "template", "--rules", "vn.nd335-2025", "--period",
                       "2026-03", str(tpl))  # fmt: skip
    assert code == 1 and "it may hold typed scores" in err


def test_rules_diff_refuses_to_replace_its_files_without_force(tmp_path: Path) -> None:
    book = _book(tmp_path, lambda wb: None)
    quota = tmp_path / "d.quota.csv"  # one of the three files --csv writes
    quota.write_text("kept", encoding="utf-8")
    args = ("--lang", "en", "rules", "diff", "vn.nd335-2025", "vn.nd233-2026", "--data",
            str(book), "--csv", str(tmp_path / "d.csv"))  # fmt: skip
    code, _, err = run(*args)
    assert code == 1 and "d.quota.csv already exists" in err, err
    assert quota.read_text(encoding="utf-8") == "kept" and not (tmp_path / "d.csv").exists()
    code, _, err = run(*args, "--force")
    assert code == 0, err
    assert quota.read_text(encoding="utf-8") != "kept"
