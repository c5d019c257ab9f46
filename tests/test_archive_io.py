"""Issue 16: I/O failures — disk full, a read-only file, a folder in place of the file, an
over-long path — are an ArchiveError with a clear message (CLI exit 1) and leave the
archive as it was; never "cannot rollback - no transaction is active"."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from evalkit.cli import main
from evalkit.io.archive import Archive, ArchiveError
from evalkit.io.results import results_document
from tests._archive_helpers import classified, dump, plain_month


class FailingConnection:
    """A connection that fails one statement the way SQLite does when the disk is full:
    with ``rollback_first``, SQLite has already rolled the transaction back itself."""

    def __init__(self, db: sqlite3.Connection, fail_on: str, *, rollback_first: bool):
        self._db = db
        self._fail_on = fail_on
        self._rollback_first = rollback_first

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)

    @property
    def in_transaction(self) -> bool:
        return self._db.in_transaction

    def _maybe_fail(self, sql: str) -> None:
        if sql.lstrip().upper().startswith(self._fail_on):
            if self._rollback_first and self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")

    def execute(self, sql: str, *args: Any) -> Any:
        self._maybe_fail(sql)
        return self._db.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        self._maybe_fail(sql)
        return self._db.executemany(sql, *args)


def _archive_with_a_month(path: Path) -> Path:
    with Archive(path) as arc:
        arc.finalize(plain_month("2026-02"), by="A")
    return path


class TestDiskFull:
    def test_a_disk_filling_up_during_finalize_leaves_the_archive_as_it_was(
        self, tmp_path: Path
    ) -> None:
        """SQLite's own SQLITE_FULL (max_page_count): a clear error, nothing written, and the
        archive works afterwards."""
        path = _archive_with_a_month(tmp_path / "a.sqlite")
        before = dump(path)
        with Archive(path) as arc:
            pages = arc.db.execute("PRAGMA page_count").fetchone()[0]
            arc.db.execute(f"PRAGMA max_page_count = {pages + 2}")
            with pytest.raises(ArchiveError) as exc:
                arc.finalize(plain_month("2026-03", n=5000), by="A")
            assert "the disk is full" in str(exc.value)
            assert "nothing was written, the archive is as it was" in str(exc.value)
            assert "cannot rollback" not in str(exc.value)
        assert dump(path) == before
        with Archive(path) as arc:
            arc.finalize(plain_month("2026-03", n=50), by="A")
            assert arc.verify().ok

    @pytest.mark.parametrize("statement", ["COMMIT", "INSERT INTO RESULTS", "UPDATE MONTHS"])
    @pytest.mark.parametrize("rollback_first", [True, False], ids=["sqlite-rolled-back", "open"])
    def test_a_failure_at_any_statement_never_says_cannot_rollback(
        self, tmp_path: Path, statement: str, rollback_first: bool
    ) -> None:
        """Whether SQLite rolled back by itself (disk full at COMMIT) or not, the error is
        the disk, and the file is unchanged."""
        path = _archive_with_a_month(tmp_path / "a.sqlite")
        before = dump(path)
        with Archive(path) as arc:
            arc._db = FailingConnection(arc.db, statement, rollback_first=rollback_first)  # type: ignore[assignment]
            with pytest.raises(ArchiveError) as exc:
                arc.finalize(plain_month("2026-03"), by="A")
        assert "the disk is full" in str(exc.value)
        assert "cannot rollback" not in str(exc.value)
        assert dump(path) == before

    def test_an_amendment_that_cannot_be_committed_is_not_recorded(self, tmp_path: Path) -> None:
        """The same for amend: one transaction, all or nothing."""
        path = tmp_path / "a.sqlite"
        results, units, inputs = classified("2026-03", {"H": 100.0, "A": 80.0}, head="H")
        with Archive(path) as arc:
            arc.finalize(results, by="A", units=units, unit_inputs=inputs)
        before = dump(path)
        with Archive(path) as arc:
            arc._db = FailingConnection(arc.db, "COMMIT", rollback_first=True)  # type: ignore[assignment]
            with pytest.raises(ArchiveError, match="the disk is full"):
                arc.amend("2026-03", "A", {"tien_do": 90}, by="GĐ", why="sửa")
        assert dump(path) == before


class TestUnwritable:
    def test_a_read_only_archive_refuses_writes_and_reads_fine(self, tmp_path: Path) -> None:
        """A database SQLite can only read: a sentence, not a traceback; reads still work."""
        path = _archive_with_a_month(tmp_path / "a.sqlite")
        before = dump(path)
        with Archive(path) as arc:
            arc.db.execute("PRAGMA query_only = ON")  # SQLite refuses every write from here
            with pytest.raises(ArchiveError, match="cannot be written") as exc:
                arc.finalize(plain_month("2026-03"), by="A")
            assert "nothing was written" in str(exc.value)
        with Archive(path, readonly=True) as arc:
            assert arc.month("2026-02")["total"].tolist() == [91.0] * 3
            with pytest.raises(ArchiveError, match="opened read-only"):
                arc.finalize(plain_month("2026-03"), by="A")
        assert dump(path) == before

    @pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                        reason="file modes do not bind root")  # fmt: skip
    def test_a_file_without_write_permission_is_a_clear_error(self, tmp_path: Path) -> None:
        """chmod 444 on the file and its folder: an ArchiveError naming the file."""
        path = _archive_with_a_month(tmp_path / "ro" / "a.sqlite")
        path.chmod(0o444)
        path.parent.chmod(0o555)
        try:
            with pytest.raises(ArchiveError, match="cannot"), Archive(path) as arc:
                arc.finalize(plain_month("2026-03"), by="A")
        finally:
            path.parent.chmod(0o755)
            path.chmod(0o644)

    def test_a_folder_in_place_of_the_file_is_named(self, tmp_path: Path) -> None:
        """`--archive some-folder/`: said plainly."""
        with pytest.raises(ArchiveError, match="is a folder, not an archive file"):
            Archive(tmp_path)

    @pytest.mark.parametrize("where", ["name", "folder"])
    def test_an_over_long_path_is_named(self, tmp_path: Path, where: str) -> None:
        """A file or folder name longer than the file system allows."""
        long = "x" * 300
        path = tmp_path / f"{long}.sqlite" if where == "name" else tmp_path / long / "a.sqlite"
        with pytest.raises(ArchiveError, match="the path of the archive is too long"):
            Archive(path)
        assert list(tmp_path.iterdir()) == []


def _run(args: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(args, stdout=io.StringIO())
    return code, err.getvalue()


class TestCommandLine:
    @pytest.mark.parametrize("target", ["folder", "long"])
    def test_finalize_into_an_unusable_archive_exits_1_with_the_reason(
        self, tmp_path: Path, target: str
    ) -> None:
        """Exit 1 and a sentence on stderr, never exit 4 or a traceback."""
        results, units, inputs = classified("2026-03", {"H": 100.0, "A": 80.0}, head="H")
        results.attrs.update(units=units, unit_inputs=inputs, period="2026-03")
        doc = tmp_path / "ket-qua.json"
        doc.write_text(json.dumps(results_document(results), ensure_ascii=False))
        archive = tmp_path / "dir.sqlite" if target == "folder" else tmp_path / ("y" * 300)
        if target == "folder":
            archive.mkdir()
        args = ["finalize", str(doc), "--archive", str(archive), "--by", "A"]
        code, err = _run([*args, "--lang", "en"])
        assert code == 1
        if target == "folder":
            assert err == f"Error: {archive} is a folder, not an archive file\n"
        else:
            assert err == ("Error: cannot open the archive: the path of the archive is too "
                           f"long (a name over 255 bytes): {archive}\n")
        code, err = _run(args)  # Vietnamese by default, every word of it
        assert code == 1
        if target == "folder":
            assert err == f"Lỗi: {archive} là một thư mục, không phải tệp lưu trữ\n"
        else:
            assert err == ("Lỗi: không mở được tệp lưu trữ: đường dẫn của tệp lưu trữ quá dài "
                           f"(có phần tên dài hơn 255 byte): {archive}\n")
        assert set(tmp_path.iterdir()) == ({doc, archive} if target == "folder" else {doc})

    def test_annual_on_a_missing_archive_exits_1(self, tmp_path: Path) -> None:
        """Nothing to read: say which file."""
        args = ["annual", "--archive", str(tmp_path / "none.sqlite"), "--year", "2026"]
        code, err = _run([*args, "--lang", "en"])
        assert (code, err.strip()) == (1, f"Error: archive {tmp_path / 'none.sqlite'} does "
                                          "not exist")  # fmt: skip
        code, err = _run(args)
        assert (code, err.strip()) == (1, f"Lỗi: tệp lưu trữ {tmp_path / 'none.sqlite'} không "
                                          "tồn tại")  # fmt: skip
        assert list(tmp_path.iterdir()) == []

    def test_annual_with_a_name_too_long_exits_1_not_4(self, tmp_path: Path) -> None:
        """A name over the file system's limit is the archive's sentence, not a crash."""
        archive = tmp_path / ("y" * 300)
        code, err = _run(["annual", "--archive", str(archive), "--year", "2026"])
        assert (code, err) == (1, "Lỗi: không mở được tệp lưu trữ: đường dẫn của tệp lưu trữ "
                                  f"quá dài (có phần tên dài hơn 255 byte): {archive}\n")
