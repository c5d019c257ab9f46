"""Acceptance hunt af110: bad input, all-or-nothing outputs and security at every door.

The README standard and domain brief §6 (workbooks typed by people: blanks, text in number
cells, scores above the maximum, duplicate staff ids, unknown positions, merged header
cells): bad input gets a clear error naming the file, sheet, row, column and value, every
error of an input is listed at once, no half-finished output is ever written (docs/cli.md:
"all of its files or none, as `render` writes"; docs/rendering.md: "the files are all
written or none"), an id holding a control character is refused "at every door with its
row and value" (docs/cli.md, the id table), and hostile names print as text.

Findings (each test below failed on the code before its fix):

1. ``evalkit render IN.xlsx --out DIR`` (a month) wrote every person's sheet into DIR and
   then failed on the unit summaries (a file ``units`` in the way of the folder ``units/``,
   or a folder in the way of a summary): exit 1 with DIR holding the month's sheets and a
   manifest — a half-finished output. Fixed: what is in the way of the summaries is said
   before any sheet is written (``evalkit._files.in_the_way``).
2. ``evalkit._files.staged_folder`` (``evalkit demo``, ``render --period``, ``annual
   --pdf``): moving the staged files in made their folders one by one and raised on the
   first that a file was in the way of, leaving the folders made before it (``overview/``,
   ``publication/``, ``sheets/`` of ``evalkit demo`` beside a file ``units``) while the
   command said the folder was "as it was". Fixed: everything in the way is said before any
   folder is made.
3. ``evalkit org --staff S.csv`` accepted a staff id holding NUL (``a\\x00b``) and wrote it
   into the organisation file; ``evalkit template --org`` then wrote the id as ``ab`` (the
   workbook cannot hold NUL), another person. ``Staff`` and ``Assessment`` accepted such
   ids too (``score`` gave a result for ``'a\\x00b'``). Fixed: the staff CSV names the line,
   the column and the value, and the objects refuse the id (ModelError), as the frames, the
   workbook reader and the archive do (evalkit._ids).
4. ``evalkit validate`` (one workbook or several) listed the engine's problems (a competent
   level's conclusion without its written reason) only when the reader found none: a file
   with text in one number cell hid them until that cell was corrected. Fixed: where the
   reader's problems are all on score-sheet rows, the engine runs on the other rows
   (``evalkit.workflow._beside``) and both are listed.

5. ``evalkit annual --pdf DIR --out FILE`` wrote the year's sheets into DIR, then failed on
   FILE (a file in the way of its folder, a name too long, a format it does not write):
   fixed by saying so before the sheets are written (``evalkit._files.check_target``).

6. ``evalkit rules diff --csv OUT.csv --pdf OUT.pdf`` wrote the three CSV files, then
   failed on the PDF's path: the same check now comes before any of them is written.

7. A list or a dict in a frame's cell (``score_frame``, ``classify_frame``,
   ``classify_year``) raised TypeError (unhashable type) from pd.factorize: now an
   InputError naming the row and the column (``evalkit._columns.factorize``).

8. ``finalize`` of a results file listed the reader's problems (a grade, a number) without
   the archive's checks of the other records: now one list (af133,
   ``evalkit.io.results.read_results_and_problems`` and
   ``evalkit.io.archive.finalize_problems``), nothing written.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
from evalkit._files import atomic_write, staged_folder
from evalkit.errors import OutputError
from evalkit.io.workbook import SCORES_SHEET
from tests._cli_helpers import run
from tests._io_helpers import HEAD, filled_workbook, header_ids, person

#: A unit P1 headed by H1 (đ, e 100: NĐ 335/2025/NĐ-CP Điều 15) with two staff members.
UNITS = [{"unit_id": "P1", "name": "Phòng 1", "head_id": "H1"}]


def _month(path: Path, **extra: Any) -> Path:
    return filled_workbook(path, [person("H1", **HEAD), person("CC-2"), person("CC-3", **extra)],
                           units=UNITS)  # fmt: skip


def _snapshot(folder: Path) -> dict[str, str | None]:
    """Every path under ``folder`` (hidden ones too) with its content's SHA-256 (None for a
    folder)."""
    out: dict[str, str | None] = {}
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            out[str(Path(root, d).relative_to(folder))] = None
        for f in files:
            p = Path(root, f)
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _month(tmp_path_factory.mktemp("month") / "thang-03.xlsx")


# ------------------------------------------------ finding 1: a month's render, all or none


@pytest.mark.parametrize("blocker", ["file units", "folder units/2026-03_P1.pdf"])
def test_a_month_whose_summary_cannot_go_in_writes_no_sheet(month: Path, tmp_path: Path,
                                                           blocker: str) -> None:  # fmt: skip
    """docs/cli.md (`demo`: "all of its files or none, as `render` writes"; the atomic
    writer: "a failed run leaves no partial folder"): the month's three sheets are not left
    behind when its unit summary cannot be written."""
    out = tmp_path / "phieu"
    out.mkdir()
    (out / "ghi-chu.txt").write_text("của người dùng", encoding="utf-8")
    if blocker == "file units":
        (out / "units").write_text("không phải thư mục", encoding="utf-8")
        said = f"cannot write the folder {str(out / 'units')!r}"
    else:
        (out / "units" / "2026-03_P1.pdf").mkdir(parents=True)
        said = f"cannot write {str(out / 'units' / '2026-03_P1.pdf')!r}"
    before = _snapshot(out)
    code, stdout, err = run("render", str(month), "--out", str(out), "--lang", "en")
    assert code == 1, (stdout, err)
    assert said in err
    assert _snapshot(out) == before  # no sheet, no manifest, no hidden folder


def test_the_same_month_renders_once_the_way_is_clear(month: Path, tmp_path: Path) -> None:
    """The control: with nothing in the way, three sheets (H1, CC-2, CC-3) and one summary
    (P1) are written."""
    out = tmp_path / "phieu"
    code, stdout, err = run("render", str(month), "--out", str(out), "--lang", "en")
    assert code == 0, (stdout, err)
    pdfs = sorted(str(p.relative_to(out)) for p in out.rglob("*.pdf"))
    assert len(pdfs) == 4 and "units/2026-03_P1.pdf" in pdfs


@pytest.fixture(scope="module")
def archive(month: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    arc = tmp_path_factory.mktemp("archive") / "luu-tru.sqlite"
    code, stdout, err = run("finalize", str(month), "--by", "TCCB", "--archive", str(arc))
    assert code == 0, (stdout, err)
    return arc


@pytest.mark.parametrize("case", ["file in the way", "name too long", "unknown format"])
def test_annual_writes_no_sheet_when_its_results_file_cannot_be_written(
        archive: Path, tmp_path: Path, case: str) -> None:  # fmt: skip
    """docs/cli.md, `annual --pdf DIR`: "The files are all written or none … a failure leaves
    none of the run's files in DIR". Before the fix the year's three sheets and the unit's
    summary were in DIR when `--out` then failed (exit 1, or exit 2 for a `.txt`)."""
    (tmp_path / "ghi-chu.txt").write_text("x", encoding="utf-8")
    out = {"file in the way": tmp_path / "ghi-chu.txt" / "nam.csv",
           "name too long": tmp_path / ("n" * 300 + ".csv"),
           "unknown format": tmp_path / "nam.txt"}[case]  # fmt: skip
    pdf = tmp_path / "phieu-nam"
    code, stdout, err = run("annual", "--year", "2026", "--archive", str(archive), "--pdf",
                            str(pdf), "--out", str(out), "--lang", "en")  # fmt: skip
    assert code == (2 if case == "unknown format" else 1), (stdout, err)
    assert str(out.suffix) in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ghi-chu.txt"]  # no DIR, no FILE
    assert (tmp_path / "ghi-chu.txt").read_text(encoding="utf-8") == "x"


def test_annual_writes_the_sheets_and_the_results_file_together(archive: Path,
                                                                tmp_path: Path) -> None:  # fmt: skip
    """The control: three annual sheets, one summary and the results file."""
    pdf, out = tmp_path / "phieu-nam", tmp_path / "nam.csv"
    code, stdout, err = run("annual", "--year", "2026", "--archive", str(archive), "--pdf",
                            str(pdf), "--out", str(out), "--lang", "en")  # fmt: skip
    assert code == 0, (stdout, err)
    assert len(list(pdf.rglob("*.pdf"))) == 4 and out.exists()


def test_rules_diff_writes_no_csv_when_its_pdf_cannot_be_written(month: Path,
                                                                 tmp_path: Path) -> None:  # fmt: skip
    """`evalkit rules diff --csv OUT.csv --pdf OUT.pdf` (docs/cli.md, every file through one
    atomic writer; a failed run leaves no partial output): with a file in the way of the
    PDF's folder, the three CSV files (OUT.csv, OUT.distribution.csv, OUT.quota.csv) were
    written before the PDF failed."""
    (tmp_path / "f").write_text("x", encoding="utf-8")
    code, stdout, err = run("rules", "diff", "vn.nd335-2025", "vn.nd335-2025", "--data",
                            str(month), "--csv", str(tmp_path / "tac-dong.csv"), "--pdf",
                            str(tmp_path / "f" / "tac-dong.pdf"), "--lang", "en")  # fmt: skip
    assert code == 1, (stdout, err)
    assert f"cannot write {str(tmp_path / 'f' / 'tac-dong.pdf')!r}" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


# ------------------------------------ finding 2: staging leaves no folder made on failure


def test_a_staged_run_blocked_late_makes_no_folder(tmp_path: Path) -> None:
    """What `evalkit demo` writes (overview/, publication/, sheets/, units/) with a file
    named ``units`` in the folder: the run fails saying so and the folder is as it was —
    not with empty ``overview``, ``publication`` and ``sheets`` folders made on the way."""
    (tmp_path / "units").write_text("x", encoding="utf-8")
    before = _snapshot(tmp_path)

    def stage_all() -> None:
        with staged_folder(tmp_path) as stage:
            for name in ("overview/a.pdf", "publication/b.pdf", "sheets/c.pdf", "units/d.pdf"):
                atomic_write(stage / name, b"%PDF")

    with pytest.raises(OutputError, match="a file is in the way of the folder"):
        stage_all()
    assert _snapshot(tmp_path) == before


@given(names=st.lists(st.sampled_from(["a", "b", "c", "a/x", "b/y", "c/z/w"]), min_size=1,
                      unique=True),
       blocked=st.sampled_from(["a", "b", "c", "c/z"]))  # fmt: skip
def test_a_staged_run_is_all_or_nothing(tmp_path_factory: pytest.TempPathFactory,
                                        names: list[str], blocked: str) -> None:  # fmt: skip
    """Property: a staged run of any files, with a file in the way of one folder, either
    writes every file (nothing of it is in the way) or leaves the folder exactly as it was."""
    out = tmp_path_factory.mktemp("out")
    (out / blocked).parent.mkdir(parents=True, exist_ok=True)
    (out / blocked).write_bytes(b"old")
    before = _snapshot(out)
    files = [f"{n}/f.pdf" for n in names]
    in_way = any(f.startswith(blocked + "/") for f in files)
    try:
        with staged_folder(out) as stage:
            for f in files:
                atomic_write(stage / f, f.encode())
    except OutputError:
        assert in_way
        assert _snapshot(out) == before
    else:
        assert not in_way
        assert all((out / f).read_bytes() == f.encode() for f in files)


# --------------------------------------------- finding 3: control characters in staff ids

_UNITS_CSV = "unit_id,name,parent_id,head_id\nSNV,Sở Nội vụ,,GD-01\n"
_POSITIONS_CSV = "position_id,title,manages_others\ngiam_doc,Giám đốc Sở,x\ncv,Chuyên viên,\n"


def _org_run(folder: Path, staff: str) -> tuple[int, str, str]:
    for name, text in (("don-vi.csv", _UNITS_CSV), ("vi-tri.csv", _POSITIONS_CSV),
                       ("nhan-su.csv", staff)):  # fmt: skip
        (folder / name).write_text(text, encoding="utf-8")
    return run("org", "--units", str(folder / "don-vi.csv"), "--positions",
               str(folder / "vi-tri.csv"), "--staff", str(folder / "nhan-su.csv"),
               "--out", str(folder / "to-chuc.json"), "--json", "--lang", "en")  # fmt: skip


@pytest.mark.parametrize("bad", ["a\x00b", "CV\t01", "CV\x0b01", "CV\x7f1"])
def test_the_organisation_door_refuses_a_control_character_in_a_staff_id(tmp_path: Path,
                                                                         bad: str) -> None:  # fmt: skip
    """docs/cli.md: "An id that still holds a control character (NUL, DEL, a tab or line
    break inside it) is refused at every door with its row and value" (a line break inside
    a CSV cell is the reader's own problem: a quote that swallows a line). Line 3 of the staff
    file; the unknown unit of line 4 is listed with it (every problem at once), and no
    organisation file is written."""
    staff = ("staff_id,full_name,position_id,unit_id\nGD-01,Lê Văn Thành,giam_doc,SNV\n"
             f"{bad},Trần Văn An,cv,SNV\nCV-02,Phạm Thị Bình,cv,SNX\n")  # fmt: skip
    code, stdout, _err = _org_run(tmp_path, staff)
    assert code == 1
    assert not (tmp_path / "to-chuc.json").exists()
    problems = json.loads(stdout)["problems"]
    located = {(Path(p["file"]).name, p["row"], p["column"], p["value"]) for p in problems}
    assert ("nhan-su.csv", 3, "staff_id", bad) in located, problems
    assert ("nhan-su.csv", 4, "unit_id", "SNX") in located, problems
    [ctl] = [p for p in problems if p["column"] == "staff_id"]
    assert "control character" in ctl["message"]


def test_spaces_and_tabs_around_a_staff_id_pass_the_organisation_door(tmp_path: Path) -> None:
    """The control: a tab or spaces around an id are trimmed, as at every door."""
    staff = ("staff_id,full_name,position_id,unit_id\nGD-01,Lê Văn Thành,giam_doc,SNV\n"
             "CV-01\t ,Trần Văn An,cv,SNV\n")  # fmt: skip
    code, stdout, err = _org_run(tmp_path, staff)
    assert code == 0, (stdout, err)
    org = json.loads((tmp_path / "to-chuc.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in org["data"]["staff"]] == ["GD-01", "CV-01"]


@pytest.mark.parametrize("bad", ["a\x00b", "S\t1", "S\n1", "S1\x7fx", "S1\x85x"])
def test_the_objects_refuse_a_control_character_in_a_staff_id(bad: str) -> None:
    """The object door says what the frame door says (`score_frame` refuses the same id,
    tests/test_id_doors.py): no result is given for a person whose id prints as another."""
    with pytest.raises(evalkit.ModelError, match="control character"):
        evalkit.Assessment(bad, "2026-03")
    with pytest.raises(evalkit.ModelError, match="control character"):
        evalkit.Staff(bad, "Trần Văn An", "cv", "SNV")


@pytest.mark.parametrize("edge", ["S1\t", "\nS1", " S1 "])
def test_the_objects_accept_spaces_and_tabs_around_a_staff_id(edge: str) -> None:
    assert evalkit.Assessment(edge, "2026-03").staff_id == edge  # kept as typed
    assert evalkit.Staff(edge, "Trần Văn An", "cv", "SNV").id == edge


# ------------------------------------------ the standard, checked where it already holds


def test_validate_lists_every_problem_of_a_workbook_located(tmp_path: Path) -> None:
    """Domain brief §6's typed-by-people problems, each once with its file, sheet, row,
    column and value: text in a number cell, a score above its maximum (so_luong is a
    percentage, at most 100), a duplicate staff id (both rows), an unknown unit, a formula
    saved without its result, a date in a number cell, a yes/no cell holding 2."""
    import datetime as dt

    rows = [person("CC-1"), person("CC-2", so_luong="chín mươi"), person("CC-1"),
            person("CC-4", chat_luong=150), person("CC-5", unit="P9"), person("CC-6"),
            person("CC-7"), person("CC-8")]  # fmt: skip
    path = filled_workbook(tmp_path / "thang-03.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    ws = wb[SCORES_SHEET]
    ids = header_ids(ws)
    ws.cell(7, ids.index("competent__tien_do") + 1).value = "=40+40"
    ws.cell(8, ids.index("competent__so_luong") + 1).value = dt.datetime(2026, 3, 1)
    ws.cell(9, ids.index("manages_others") + 1).value = 2
    wb.save(path)
    code, stdout, _err = run("validate", str(path), "--json", "--lang", "en")
    assert code == 1
    got = sorted((p["sheet"], p["row"], p["column"], str(p["value"]))
                 for p in json.loads(stdout)["problems"])  # fmt: skip
    assert all(p_file == str(path) for p_file in
               (p["file"] for p in json.loads(stdout)["problems"]))  # fmt: skip
    assert got == sorted([
        (SCORES_SHEET, 2, "staff_id", "CC-1"),
        (SCORES_SHEET, 3, "competent__so_luong", "chín mươi"),
        (SCORES_SHEET, 4, "staff_id", "CC-1"),
        (SCORES_SHEET, 5, "competent__chat_luong", "150"),
        (SCORES_SHEET, 6, "unit_id", "P9"),
        (SCORES_SHEET, 7, "competent__tien_do", "=40+40"),
        (SCORES_SHEET, 8, "competent__so_luong", "2026-03-01T00:00:00"),
        (SCORES_SHEET, 9, "manages_others", "2"),
    ])


def test_a_failed_finalize_and_amend_leave_the_archive_as_it_was(month: Path,
                                                                 tmp_path: Path) -> None:  # fmt: skip
    """A month finalized twice (exit 1, pointing to `evalkit amend`), and one amendment with
    four bad values (text in a number, 150 above the maximum 100, an unknown field, a
    derived field) listed together: the archive's bytes are unchanged by either."""
    arc = tmp_path / "luu-tru.sqlite"
    code, stdout, err = run("finalize", str(month), "--by", "TCCB", "--archive", str(arc))
    assert code == 0, (stdout, err)
    digest = hashlib.sha256(arc.read_bytes()).hexdigest()
    code, _out, err = run("finalize", str(month), "--by", "TCCB", "--archive", str(arc),
                          "--lang", "en")  # fmt: skip
    assert code == 1 and "evalkit amend" in err
    args = ["amend", "--period", "2026-03", "--staff", "CC-3", "--by", "TCCB", "--why", "sửa",
            "--archive", str(arc), "--json", "--lang", "en"]  # fmt: skip
    for s in ("so_luong=abc", "chat_luong=150", "foo=1", "total=99"):
        args += ["--set", s]
    code, stdout, _err = run(*args)
    assert code == 1
    got = {(p["staff_id"], p["column"], p["value"]) for p in json.loads(stdout)["problems"]}
    assert got == {("CC-3", "so_luong", "abc"), ("CC-3", "chat_luong", "150"),
                   ("CC-3", "foo", "1"), ("CC-3", "total", "99")}  # fmt: skip
    assert hashlib.sha256(arc.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["luu-tru.sqlite"]


# -------------------- finding 4: the engine's problems are listed beside the reader's


def _hanoi_person(staff_id: str, **extra: Any) -> dict[str, Any]:
    """Hà Nội QĐ 3814-QĐ/TU: discipline 10 + ethics 10 + tasks 70 = 90, band A (90–100)."""
    return {"staff_id": staff_id, "full_name": f"Người {staff_id}", "position_id": "CV",
            "unit_id": "P1", "ky_luat": 10, "dao_duc": 10, "ket_qua_nhiem_vu": 70, **extra}


def test_validate_lists_the_engines_problem_beside_a_cell_problem(tmp_path: Path) -> None:
    """docs/cli.md, `validate`: "Reports **every** problem at once … after the reader, it runs
    the classification and names the cell of anything the engine refuses — a competent
    level's conclusion that differs from the score's grade without its written reason".
    Row 3 (90 points, band A) is concluded Loại C with no reason; row 4 has text in a number
    cell. Before the fix only row 4 was said: the conclusion came up only once row 4 was
    corrected, a second round-trip to the agency."""
    rows = [_hanoi_person("CC-1"), _hanoi_person("CC-2", competent_grade="Loại C"),
            _hanoi_person("CC-3", ket_qua_nhiem_vu="bảy mươi")]  # fmt: skip
    path = filled_workbook(tmp_path / "thang-03.xlsx", rows, rules="hanoi.3814-2018",
                           units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": None}])
    code, stdout, _err = run("validate", str(path), "--json", "--lang", "en")
    assert code == 1
    got = [(p["sheet"], p["row"], p["staff_id"], p["column"])
           for p in json.loads(stdout)["problems"]]  # fmt: skip
    assert got == [(SCORES_SHEET, 3, "CC-2", "competent_reason"),
                   (SCORES_SHEET, 4, "CC-3", "competent__ket_qua_nhiem_vu")]  # fmt: skip
    # the control: with row 4 corrected the conclusion alone is said, at the same cell
    rows[2] = _hanoi_person("CC-3")
    path = filled_workbook(tmp_path / "thang-03b.xlsx", rows, rules="hanoi.3814-2018",
                           units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": None}])
    code, stdout, _err = run("validate", str(path), "--json", "--lang", "en")
    assert code == 1
    assert [(p["row"], p["column"]) for p in json.loads(stdout)["problems"]] == [
        (3, "competent_reason")]


def test_validate_of_two_workbooks_lists_the_engines_problem_of_the_first(tmp_path: Path
                                                                         ) -> None:  # fmt: skip
    """docs/cli.md, several workbooks of one month: "every problem of every file is listed at
    once (each with its own file)". The first workbook's row 3 is concluded Loại C without a
    reason (90 points: band A, QĐ 3814-QĐ/TU); the second's row 2 has text in a number cell."""
    units = [{"unit_id": "P1", "name": "Phòng 1", "head_id": None}]
    first = filled_workbook(tmp_path / "a.xlsx", [
        _hanoi_person("CC-1"), _hanoi_person("CC-2", competent_grade="Loại C")],
        rules="hanoi.3814-2018", units=units)  # fmt: skip
    second = filled_workbook(tmp_path / "b.xlsx", [
        _hanoi_person("CC-3", ket_qua_nhiem_vu="bảy mươi"), _hanoi_person("CC-4")],
        rules="hanoi.3814-2018", units=())  # fmt: skip
    code, stdout, _err = run("validate", str(first), str(second), "--json", "--lang", "en")
    assert code == 1
    got = {(Path(p["file"]).name, p["row"], p["column"]) for p in json.loads(stdout)["problems"]}
    assert got == {("a.xlsx", 3, "competent_reason"),
                   ("b.xlsx", 2, "competent__ket_qua_nhiem_vu")}  # fmt: skip


def test_a_problem_row_says_nothing_more_of_the_people_it_names(tmp_path: Path) -> None:
    """The head H1 of P1 has text in a number cell: the engine, run on the other rows, does
    not call H1 an unknown head or manager (H1 is on the sheet), and nothing is said twice."""
    rows = [person("H1", **{**HEAD, "so_luong": "chín mươi"}), person("CC-2", manager_id="H1"),
            person("CC-3")]  # fmt: skip
    path = filled_workbook(tmp_path / "thang-03.xlsx", rows, units=UNITS)
    code, stdout, _err = run("validate", str(path), "--json", "--lang", "en")
    assert code == 1
    got = [(p["row"], p["column"], p["value"]) for p in json.loads(stdout)["problems"]]
    assert got == [(2, "competent__so_luong", "chín mươi")]


_HOSTILE = ("<script>alert(1)</script></td>{{ 7*7 }} url(file:///etc/passwd) "
            "<img src=http://127.0.0.1:9/x.png>")


def test_hostile_ids_and_names_stay_inside_the_folder_and_print_as_text(tmp_path: Path) -> None:
    """The README standard: ids like '../x', 'a/b', 'CON', '名前' or 300 characters neither
    escape the output folder nor crash; a name, a unit name and a comment holding markup,
    a template expression and outside URLs print as typed ('{{ 7*7 }}' never as 49)."""
    pypdf = pytest.importorskip("pypdf")
    ids = ["../x", "a/b", "CON", "名前", "A" * 300, "..", "a\\b"]
    rows = [person(i, unit="../U", full_name=_HOSTILE, competent_comment=_HOSTILE) for i in ids]
    path = filled_workbook(tmp_path / "in" / "thang-03.xlsx", rows,
                           units=[{"unit_id": "../U", "name": _HOSTILE, "head_id": None}])
    out = tmp_path / "out" / "phieu"
    code, stdout, err = run("render", str(path), "--out", str(out), "--lang", "en")
    assert code == 0, (stdout, err)
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) == len(ids) + 1  # a sheet each, one summary
    assert all(p.resolve().is_relative_to(out.resolve()) for p in pdfs)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["in", "out"]
    assert sorted(x.name for x in (tmp_path / "out").iterdir()) == ["phieu"]
    [summary] = out.glob("units/*.pdf")
    for pdf in (pdfs[0], summary):
        text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
        flat = " ".join(text.split())
        assert "<script>alert(1)</script></td>{{ 7*7 }} url(file:///etc/passwd)" in flat


def test_finalize_lists_every_problem_of_a_results_file(month: Path, tmp_path: Path) -> None:
    """docs/cli.md, `finalize`: "Every result is checked before anything is written, and every
    problem is listed with its file, row, column and value". Record 1: grade XYZ; record 2:
    score grade KHT for a total of 91 (NĐ 335/2025/NĐ-CP Điều 20 k1: ≥ 90 is HTXS)."""
    doc_path = tmp_path / "ket-qua.json"
    code, stdout, err = run("classify", str(month), "--out", str(doc_path))
    assert code == 0, (stdout, err)
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    rows = doc["data"]["rows"]
    rows[0]["grade"] = "XYZ"
    [second] = [r for r in rows if r["staff_id"] == "CC-2"]
    assert second["total"] == 91.0  # 28 + (90 + 100 + 80) / 3 × 70 % (tests/_io_helpers.py)
    second["score_grade"] = "KHT"
    doc_path.write_text(json.dumps(doc), encoding="utf-8")
    code, stdout, _err = run("finalize", str(doc_path), "--by", "TCCB", "--archive",
                             str(tmp_path / "a.sqlite"), "--json", "--lang", "en")  # fmt: skip
    assert code == 1
    columns = {p["column"] for p in json.loads(stdout)["problems"]}
    assert {"grade", "score_grade"} <= columns
    assert not (tmp_path / "a.sqlite").exists()


@pytest.mark.parametrize("column", ["so_luong", "pham_chat_dao_duc", "discipline",
                                    "staff_id", "period", "category", "unit_id"])
@pytest.mark.parametrize("door", ["score_frame", "classify_frame", "classify_year"])
@pytest.mark.parametrize("cell", [[5], {"a": 5}])
def test_a_list_in_a_frames_cell_is_a_located_problem(column: str, door: str,
                                                      cell: object) -> None:  # fmt: skip
    """Issue 13 ("Frames of any dtype … rejected with a clear error"): a frame built from
    nested JSON records can hold a list or a dict in a cell. Before the fix every door
    raised TypeError (unhashable type) from pd.factorize; now an InputError names the
    row and the column (or the door refuses the row for another located reason)."""
    import pandas as pd

    from tests.helpers import full

    rows = [{"staff_id": f"S{i}", "period": "2026-03", "category": "cong_chuc",
             "unit_id": "U", **full()} for i in range(3)]  # fmt: skip
    frame = pd.DataFrame(rows)
    if door == "classify_year":  # the year reads the months' results
        frame = pd.concat([frame, evalkit.score_frame(frame)], axis=1)
        column = {"so_luong": "total", "pham_chat_dao_duc": "total"}.get(column, column)
    cells = list(frame[column].astype(object)) if column in frame else [None] * 3
    cells[1] = cell
    frame[column] = pd.Series(cells, dtype=object)
    units = pd.DataFrame([{"unit_id": "U", "head_id": None}])
    call = {"score_frame": lambda: evalkit.score_frame(frame),
            "classify_frame": lambda: evalkit.classify_frame(frame, units),
            "classify_year": lambda: evalkit.classify_year(frame)}[door]  # fmt: skip
    with pytest.raises(evalkit.InputError) as info:
        call()
    if (door, column) == ("classify_year", "category"):  # read by the roll-up without its
        # column's name (evalkit._classify.year.rollup_frame, line-counted): said, not located
        assert f"a {type(cell).__name__} is no cell value" in str(info.value)
        return
    assert any(p.row == 1 and p.column in (column, f"competent__{column}")
               for p in info.value.problems), info.value.problems
