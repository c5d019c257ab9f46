"""Bad input loses nothing (audit af99): each input door's refusals name the file and the
line (or cell) and list every problem; no exit code 4, no half-written output and no empty
folder left behind.

Found in this audit, each the input and what the door said before:

- the year's conclusions and the units' grades (``annual --conclusions``, ``--unit-grades``,
  ``render --period … --unit-grades``) were read by ``pandas.read_csv``: an empty file
  (``EmptyDataError``), a Windows-1258/latin-1 file (``UnicodeDecodeError``), a stray quote
  (``ParserError``) and a value beyond the header (``TypeError``) ended in exit 4, an
  internal error with Python's text; the missing ``staff_id`` column was said in English;
- an empty (0-byte) CSV of the score sheet was 14 "missing column" problems;
- a score sheet (or CSV) with no one in it: ``validate`` said "0 rows, no problems",
  ``classify`` wrote an empty results file, ``render`` wrote 0 files (exit 0), and
  ``finalize`` of a header-only CSV archived and sealed the month with nobody in it;
- an organisation built from CSV files with an empty units file said "the file has no
  sheet 'Đơn vị'" of a CSV, and each person's unit twice (two wordings, one cell);
- ``render --out`` into a folder that cannot be written named the hidden staging folder
  (``.run.evalkit-….tmp``) rather than the folder asked for;
- ``demo --out`` under a file (or an unwritable folder) ended in exit 4 (``mkdir``);
- an output path with ``..`` (``sub/../r.json``, ``--archive sub/../a.sqlite``) left an
  empty folder ``sub`` behind;
- an empty (0-byte) ``--archive`` file: ``annual``, ``amend`` and ``render --archive``
  turned it into an archive (98 kB of tables written by a reading command) before saying
  nothing was finalized; ``archive verify`` said "không đọc được dữ liệu the archive: …:
  no such table: months" (English and SQLite's text);
- ``validate ket-qua.json`` said "not a valid Excel .xlsx file";
- ``evalkit.io.inspections.read_inspections``: a file that is not UTF-8 was Python's codec
  text with no line; an empty file was every required column "missing".
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from pathlib import Path

import pytest

from evalkit import _files
from evalkit.errors import InputError, OutputError
from evalkit.io.workbook import read_csv, read_organisation, read_table_csv
from tests._cli_helpers import run
from tests._io_helpers import GENERAL, TASKS, filled_workbook, person

HEADER = "staff_id,competent_grade,competent_reason\n"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finalized March with A (91, HTXS by its score) and B."""
    d = tmp_path_factory.mktemp("af99")
    wb = filled_workbook(d / "t.xlsx", [person("A"), person("B", chat_luong=90)])
    path = d / "a.sqlite"
    code, _, err = run("finalize", str(wb), "--archive", str(path), "--by", "x")
    assert code == 0, err
    return path


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# =========================================================================== the table door


class TestReadTableCsv:
    def test_a_bom_semicolons_blank_lines_and_a_multiline_reason_are_read(
        self, tmp_path: Path
    ) -> None:
        text = ("\ufeffstaff_id;competent_grade;competent_reason\n\n"
                'A;HT;"chậm tiến độ\nhai lần"\nB;;\n')  # fmt: skip
        frame = read_table_csv(_file(tmp_path, "c.csv", text.encode()),
                               multiline=("competent_reason",))  # fmt: skip
        # lines: header 1, blank 2, A 3-4, B 5
        assert frame.index.tolist() == [3, 5]
        assert frame.loc[3, "competent_reason"] == "chậm tiến độ\nhai lần"
        assert frame.loc[5, "competent_grade"] is None

    def test_every_problem_of_the_file_is_listed_at_its_line(self, tmp_path: Path) -> None:
        """A line with a field missing and a line with a value beyond the header: both."""
        text = HEADER + "A,HT\nB,HTT,x,thừa\nC,HT,y\n"
        with pytest.raises(InputError) as info:
            read_table_csv(_file(tmp_path, "c.csv", text.encode()))
        got = [(Path(str(p.file)).name, p.row, p.value) for p in info.value.problems]
        assert got == [("c.csv", 2, None), ("c.csv", 3, "thừa")]

    def test_a_header_twice_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(InputError) as info:
            read_table_csv(_file(tmp_path, "c.csv", b"staff_id,grade,staff_id\nA,HT,B\n"))
        [p] = info.value.problems
        assert (p.row, p.column) == (1, "staff_id") and "twice" in p.message

    @pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \r\n\r\n", b",,\n"])
    def test_an_empty_file_is_one_problem_at_line_1(self, tmp_path: Path, data: bytes) -> None:
        with pytest.raises(InputError) as info:
            read_table_csv(_file(tmp_path, "c.csv", data))
        [p] = info.value.problems
        assert p.row == 1 and p.message.startswith("the file is empty")


# =========================================================================== annual's CSVs


class TestAnnualConclusions:
    @pytest.mark.parametrize(("name", "data", "line", "said"), [
        ("empty.csv", b"", 1, "tệp trống: không có dòng tiêu đề"),
        ("blank.csv", b"  \n\n", 1, "tệp trống: không có dòng tiêu đề"),
        ("latin1.csv", (HEADER + "A,HT,Müller\n").encode("latin-1"), 2,
         "tệp không phải là văn bản mã UTF-8"),
        ("quote.csv", (HEADER + 'A,HT,"chậm\nB,HTT,x\n').encode(), 2,
         "mở một ô ở đây và không bao giờ đóng"),
        ("extra.csv", (HEADER + "A,HT,x,thừa\n").encode(), 2, "có giá trị ngoài tiêu đề"),
    ])  # fmt: skip
    def test_a_bad_file_is_exit_1_at_its_line_in_vietnamese(
        self, archive: Path, tmp_path: Path, name: str, data: bytes, line: int, said: str
    ) -> None:
        path = _file(tmp_path, name, data)
        out = tmp_path / "y.json"
        code, _, err = run("annual", "--archive", str(archive), "--year", "2026",
                           "--conclusions", str(path), "--out", str(out))  # fmt: skip
        assert code == 1, err
        assert err.startswith("Có 1 lỗi:") and f"{path}, dòng {line}" in err and said in err
        assert "Error" not in err and "nội bộ" not in err and not out.exists()

    def test_english_with_lang_en_and_json_for_scripts(self, archive: Path,
                                                        tmp_path: Path) -> None:
        path = _file(tmp_path, "e.csv", b"")
        code, _, err = run("annual", "--archive", str(archive), "--year", "2026",
                           "--conclusions", str(path), "--lang", "en")  # fmt: skip
        assert code == 1 and f"{path}, row 1: the file is empty" in err
        code, out, _ = run("annual", "--archive", str(archive), "--year", "2026",
                           "--conclusions", str(path), "--json")  # fmt: skip
        doc = json.loads(out)
        assert code == 1 and doc["ok"] is False
        assert [(p["file"], p["row"]) for p in doc["problems"]] == [(str(path), 1)]

    def test_a_missing_staff_id_column_is_said_in_vietnamese(self, archive: Path,
                                                              tmp_path: Path) -> None:
        path = _file(tmp_path, "c.csv", b"id,grade\nA,HT\n")
        code, _, err = run("annual", "--archive", str(archive), "--year", "2026",
                           "--conclusions", str(path))  # fmt: skip
        assert code == 1 and "cần có cột 'staff_id'" in err and "needs" not in err

    def test_good_conclusions_still_apply(self, archive: Path, tmp_path: Path) -> None:
        """B's 88.67 (28 + (90 + 90 + 80) / 3 × 0.7) is HTT by its score; the competent
        level concludes HT with a reason, in a file with a BOM and semicolons."""
        path = _file(tmp_path, "c.csv", ("\ufeff" + HEADER.replace(",", ";")
                                         + "B;HT;chậm tiến độ\n").encode())  # fmt: skip
        grades = {}
        for name, more in (("plain", ()), ("concluded", ("--conclusions", str(path)))):
            out = tmp_path / f"{name}.json"
            code, _, err = run("annual", "--archive", str(archive), "--year", "2026",
                               "--out", str(out), *more)  # fmt: skip
            assert code == 0, err
            rows = json.loads(out.read_text("utf-8"))["data"]["rows"]
            grades[name] = {r["staff_id"]: r["grade"] for r in rows}
        assert grades["plain"]["B"] == "HTT" and grades["concluded"]["B"] == "HT"
        assert grades["plain"]["A"] == grades["concluded"]["A"]

    @pytest.mark.parametrize("data", [b"", "unit_id,grade\nP1,\xe0\n".encode("latin-1")])
    def test_a_bad_unit_grades_file_is_exit_1(self, archive: Path, tmp_path: Path,
                                              data: bytes) -> None:
        path = _file(tmp_path, "g.csv", data)
        code, _, err = run("annual", "--archive", str(archive), "--year", "2026",
                           "--unit-grades", str(path))  # fmt: skip
        assert code == 1 and f"{path}, dòng " in err and "nội bộ" not in err, err


# =========================================================================== score CSV, org CSV


def test_an_empty_score_csv_is_one_problem(tmp_path: Path) -> None:
    _, problems = read_csv(_file(tmp_path, "s.csv", b""), "vn.nd335-2025", period="2026-03")
    assert [(p.row, p.message) for p in problems] == [
        (1, "the file is empty: it has no header line (the columns' names)")]
    code, _, err = run("validate", str(tmp_path / "s.csv"), "--rules", "vn.nd335-2025",
                       "--period", "2026-03")  # fmt: skip
    assert code == 1 and err.startswith("Có 1 lỗi:") and "tệp trống" in err


class TestOrganisationCsv:
    STAFF = "staff_id,full_name,unit_id,position_id\nL1,Lãnh đạo,P1,CV\nA,Ánh,P1,CV\n"
    POSITIONS = "position_id,title\nCV,Chuyên viên\n"

    def _files(self, d: Path, units: str) -> dict[str, Path]:
        paths = {"units": d / "u.csv", "positions": d / "p.csv", "staff": d / "s.csv"}
        for key, text in (("units", units), ("positions", self.POSITIONS),
                          ("staff", self.STAFF)):  # fmt: skip
            paths[key].write_text(text, encoding="utf-8")
        return paths

    def test_a_units_file_with_no_row_is_said_once_per_cell(self, tmp_path: Path) -> None:
        paths = self._files(tmp_path, "unit_id,name,head_id\n")
        org, problems = read_organisation(**paths)
        assert org is None
        got = [(Path(str(p.file)).name, p.row, p.column, p.message) for p in problems]
        assert got == [
            ("u.csv", None, "unit_id", "the file has no rows (only its header line)"),
            ("s.csv", 2, "unit_id", "unknown unit 'P1'"),
            ("s.csv", 3, "unit_id", "unknown unit 'P1'")]
        assert not any("sheet" in p.message for p in problems)

    def test_an_empty_units_file_is_said_once(self, tmp_path: Path) -> None:
        paths = self._files(tmp_path, "")
        _, problems = read_organisation(**paths)
        assert [(Path(str(p.file)).name, p.row) for p in problems if p.row in (None, 1)] == [
            ("u.csv", 1)]
        code, _, err = run("org", *(x for k, v in paths.items() for x in (f"--{k}", str(v))))
        assert code == 1 and "không có trang" not in err and "tệp trống" in err


# =========================================================================== outputs


def test_a_folder_that_refuses_the_stage_is_named_as_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not the hidden ``.run.evalkit-….tmp`` folder inside it."""
    real = Path.mkdir

    def refuse(self: Path, *args: object, **kw: object) -> None:
        if self.name.startswith(".run.evalkit-"):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(OutputError) as info, _files.staged_folder(tmp_path / "out"):
        pass
    assert str(info.value) == (f"cannot write the folder {str(tmp_path / 'out')!r}: "
                               "permission denied (the folder or the file is not writable "
                               "by you)")  # fmt: skip
    assert list(tmp_path.iterdir()) == []  # no stage left, and no empty ``out`` it made


def test_demo_under_a_file_is_exit_1_with_a_sentence(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("")
    code, _, err = run("demo", "--out", str(tmp_path / "blocker" / "demo"))
    assert code == 1 and err.startswith("Lỗi: không ghi được thư mục"), err
    assert "nội bộ" not in err and "NotADirectoryError" not in err


class TestDotDot:
    def test_atomic_write_makes_no_folder_for_the_part_dotdot_leaves(self,
                                                                     tmp_path: Path) -> None:
        _files.atomic_write(tmp_path / "sub" / ".." / "a.txt", "x")
        assert (tmp_path / "a.txt").read_text() == "x"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]

    def test_an_existing_folder_before_dotdot_is_still_followed(self, tmp_path: Path) -> None:
        (tmp_path / "a" / "b").mkdir(parents=True)
        _files.atomic_write(tmp_path / "a" / "b" / ".." / "c" / "x.txt", "y")
        assert (tmp_path / "a" / "c" / "x.txt").read_text() == "y"

    @pytest.mark.skipif(os.name != "posix", reason="symbolic links")
    def test_a_link_before_dotdot_goes_to_the_links_parent(self, tmp_path: Path) -> None:
        """As the system resolves ``link/..``: the parent of where the link points."""
        (tmp_path / "real" / "inner").mkdir(parents=True)
        (tmp_path / "link").symlink_to(tmp_path / "real" / "inner")
        _files.atomic_write(tmp_path / "link" / ".." / "z.txt", "z")
        assert (tmp_path / "real" / "z.txt").read_text() == "z"
        assert not (tmp_path / "z.txt").exists()

    def test_the_commands_leave_no_empty_folder(self, tmp_path: Path) -> None:
        wb = filled_workbook(tmp_path / "t.xlsx", [person("A")])
        for args in (("classify", str(wb), "--out", str(tmp_path / "n1" / ".." / "r.json")),
                     ("render", str(wb), "--out", str(tmp_path / "n2" / ".." / "pdf")),
                     ("finalize", str(wb), "--archive", str(tmp_path / "n3" / ".." / "a.sqlite"),
                      "--by", "x")):  # fmt: skip
            code, _, err = run(*args)
            assert code == 0, (args, err)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sqlite", "pdf", "r.json",
                                                              "t.xlsx"]  # fmt: skip
        assert any((tmp_path / "pdf").glob("*.pdf"))


# =========================================================================== no one


class TestNoOne:
    def test_a_template_with_no_one_is_refused_by_every_command(self, tmp_path: Path) -> None:
        wb = filled_workbook(tmp_path / "t.xlsx", [])
        said = (f"{wb}, trang 'Nhân sự - Điểm', dòng 2, cột 'staff_id': trang 'Nhân sự - Điểm' "
                "không có người nào")  # fmt: skip
        for args in (("validate", str(wb)), ("score", str(wb)),
                     ("classify", str(wb), "--out", str(tmp_path / "r.json")),
                     ("render", str(wb), "--out", str(tmp_path / "pdf")),
                     ("finalize", str(wb), "--archive", str(tmp_path / "a.sqlite"),
                      "--by", "x")):  # fmt: skip
            code, _, err = run(*args)
            assert code == 1 and err.startswith("Có 1 lỗi:") and said in err, (args, err)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]
        code, _, err = run("validate", str(wb), "--lang", "en")
        assert code == 1 and "has no one in it" in err

    def test_a_header_only_csv_is_not_finalized(self, tmp_path: Path) -> None:
        """It was: an empty month archived and sealed (exit 0)."""
        header = ",".join(["staff_id", "full_name", "unit_id", *GENERAL, *TASKS]) + "\n"
        path = _file(tmp_path, "s.csv", header.encode())
        archive = tmp_path / "a.sqlite"
        code, _, err = run("finalize", str(path), "--rules", "vn.nd335-2025", "--period",
                           "2026-03", "--archive", str(archive), "--by", "x",
                           "--no-classify")  # fmt: skip
        assert code == 1 and f"{path}, dòng 2, cột 'staff_id': tệp không có người nào" in err
        assert not archive.exists()

    def test_one_empty_workbook_among_a_months_workbooks_is_not_no_one(
        self, tmp_path: Path
    ) -> None:
        from evalkit import workflow
        from evalkit.io.workbook import read_month

        empty = read_month(filled_workbook(tmp_path / "a.xlsx", []))
        full = read_month(filled_workbook(tmp_path / "b.xlsx", [person("A")]))
        assert workflow.no_one([empty, full]) == [] and workflow.no_one([full]) == []
        [p] = workflow.no_one([empty, read_month(tmp_path / "a.xlsx")])
        assert (Path(str(p.file)).name, p.row, p.column) == ("a.xlsx", 2, "staff_id")
        assert workflow.check(empty) == []  # the library's check: nothing the engine refuses


# =========================================================================== archives, JSON


class TestEmptyArchive:
    @pytest.mark.parametrize("args", [
        ("annual", "--year", "2026"),
        ("amend", "--period", "2026-03", "--staff", "A", "--set", "chat_luong=50", "--by", "x",
         "--why", "y"),
        ("render", "--period", "2026", "--out", "OUT"),
    ])  # fmt: skip
    def test_a_reading_command_leaves_an_empty_file_as_it_is(
        self, tmp_path: Path, args: tuple[str, ...]
    ) -> None:
        path = _file(tmp_path, "a.sqlite", b"")
        full = [str(tmp_path / "out") if a == "OUT" else a for a in args]
        code, _, err = run(*full, "--archive", str(path))
        assert code == 1 and f"tệp lưu trữ {path} trống (0 byte)" in err, err
        assert path.stat().st_size == 0 and not (tmp_path / "out").exists()

    @pytest.mark.parametrize("empty", [True, False])
    def test_verify_says_it_is_not_an_archive_in_vietnamese(self, tmp_path: Path,
                                                            empty: bool) -> None:
        """An empty file, and another program's SQLite database (no table 'months')."""
        import sqlite3

        path = _file(tmp_path, "a.sqlite", b"")
        if not empty:
            with contextlib.closing(sqlite3.connect(path)) as db:
                db.execute("CREATE TABLE notes (x TEXT)")
        code, _, err = run("archive", "verify", str(path))
        assert code == 1 and "không phải là tệp lưu trữ của evalkit" in err, err
        assert "the archive" not in err and "no such table" not in err
        code, _, err = run("archive", "verify", str(path), "--lang", "en")
        assert "not an evalkit archive" in err and "no such table" not in err


def test_validate_of_a_json_file_says_what_it_reads(archive: Path, tmp_path: Path) -> None:
    wb = filled_workbook(tmp_path / "t.xlsx", [person("A")])
    results = tmp_path / "r.json"
    assert run("classify", str(wb), "--out", str(results))[0] == 0
    code, _, err = run("validate", str(results))
    assert code == 1 and "tệp .json không phải là tệp nhập điểm của tháng" in err
    assert "Excel .xlsx hợp lệ" not in err


@pytest.mark.parametrize(("data", "line", "starts"), [
    (b"", 1, "the file is empty"),
    ("inspected_on,inspector,staff_id,finding\n12/03/2026,S\xf4,A,x\n".encode("latin-1"), 2,
     "not a readable UTF-8 CSV file: the text is not UTF-8"),
])  # fmt: skip
def test_the_findings_reader_says_an_empty_or_non_utf8_file_at_its_line(
    tmp_path: Path, data: bytes, line: int, starts: str
) -> None:
    from evalkit.io.inspections import read_inspections
    from evalkit.messages import located

    path = _file(tmp_path, "k.csv", data)
    with pytest.raises(InputError) as info:
        read_inspections(path)
    [p] = info.value.problems
    assert (p.file, p.row) == (str(path), line) and p.message.startswith(starts)
    assert "codec" not in located(p, "vi") and f"dòng {line}" in located(p, "vi")


def test_an_archive_error_is_worded_by_its_cause_not_by_the_paths_words(tmp_path: Path) -> None:
    """A folder named ``blocked`` (or ``busy``) is not a lock held by another process."""
    from evalkit.io.archive import _explain

    path = tmp_path / "blocked" / "busy" / "a.sqlite"
    said = _explain(OSError(f"cannot write the folder {str(path.parent)!r}: x"), path)
    assert "by another process" not in said
    assert "locked by another process" in _explain(OSError("database is locked"), path)
