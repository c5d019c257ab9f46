"""The one atomic writer: whole files, the user's umask, stale temporaries, clear errors."""

from __future__ import annotations

import errno
import io
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import evalkit._files as files
from evalkit._files import (
    atomic_path,
    atomic_write,
    file_mode,
    make_folder,
    remove_stale_temporaries,
    umask,
)
from evalkit.cli import EXIT_INVALID_INPUT, main
from evalkit.errors import EvalkitError, OutputError


@pytest.fixture
def with_umask() -> Iterator[object]:
    """Set a umask for one test and restore the previous one afterwards."""
    old = os.umask(0o022)
    os.umask(old)

    def set_to(mask: int) -> None:
        os.umask(mask)

    yield set_to
    os.umask(old)


def mode(path: Path) -> int:
    """The permission bits of ``path``."""
    return stat.S_IMODE(path.stat().st_mode)


def temporaries(folder: Path) -> list[str]:
    """Temporary files in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


class TestUmask:
    """Issue 15 §2: files follow the user's umask, not mkstemp's 0600."""

    @pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640),
                                                    (0o002, 0o664), (0o077, 0o600)])  # fmt: skip
    def test_a_written_file_has_the_mode_the_umask_gives(
        self, tmp_path: Path, with_umask: object, mask: int, expected: int
    ) -> None:
        """Under umask 022 a colleague (group, others) can read the file: -rw-r--r--."""
        with_umask(mask)  # type: ignore[operator]
        assert umask() == mask
        assert file_mode() == expected
        path = atomic_write(tmp_path / "phieu.pdf", b"%PDF-1.7")
        assert mode(path) == expected
        with atomic_path(tmp_path / "ket-qua.csv") as tmp:
            tmp.write_text("a,b\n")
        assert mode(tmp_path / "ket-qua.csv") == expected

    def test_umask_022_files_are_readable_by_group_and_others(
        self, tmp_path: Path, with_umask: object
    ) -> None:
        """The issue's reproduction: a results file written by the CLI is mode 0644."""
        from tests._io_helpers import filled_workbook, person

        with_umask(0o022)  # type: ignore[operator]
        book = filled_workbook(tmp_path / "thang-03.xlsx", [person("CC-1")])
        out = tmp_path / "ket-qua.json"
        assert main(["score", str(book), "--out", str(out)], stdout=io.StringIO()) == 0
        for path in (book, out):
            assert mode(path) & (stat.S_IRGRP | stat.S_IROTH) == stat.S_IRGRP | stat.S_IROTH
            assert mode(path) == 0o644

    def test_reading_the_umask_does_not_change_it(self, with_umask: object) -> None:
        """umask() is a read: the process's umask is the same afterwards."""
        with_umask(0o027)  # type: ignore[operator]
        assert umask() == 0o027 and umask() == 0o027
        old = os.umask(0o022)
        assert old == 0o027


class TestAtomicity:
    """A finished name holds a complete file, or the previous one."""

    def test_a_failing_body_leaves_the_previous_file_and_no_temporary(
        self, tmp_path: Path
    ) -> None:
        """The old content survives an error in the middle of writing."""
        target = atomic_write(tmp_path / "a.json", "old")

        def crash() -> None:
            with atomic_path(target) as tmp:
                tmp.write_text("half")
                raise RuntimeError("crash")

        with pytest.raises(RuntimeError):
            crash()
        assert target.read_text() == "old" and temporaries(tmp_path) == []

    def test_a_temporary_name_fits_even_for_a_long_target_name(self, tmp_path: Path) -> None:
        """A 250-byte name is writable: its temporary name is shortened, not the target."""
        target = tmp_path / ("đ" * 123 + ".pdf")
        assert len(target.name.encode()) == 250
        assert atomic_write(target, b"x").read_bytes() == b"x"


class TestStaleTemporaries:
    """Issue 16: a killed run's hidden .tmp file is removed by the next run."""

    def test_a_killed_writers_temporary_is_removed_by_the_next_write(
        self, tmp_path: Path
    ) -> None:
        """A child process killed with SIGKILL in the middle of a write leaves a .tmp file;
        the next write into that folder removes it."""
        code = (
            "import os, signal, sys; from evalkit._files import atomic_path\n"
            "with atomic_path(sys.argv[1]) as tmp:\n"
            "    tmp.write_bytes(b'half a sheet')\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n"
        )
        target = tmp_path / "CC-0001.pdf"
        proc = subprocess.run([sys.executable, "-c", code, str(target)], check=False)
        assert proc.returncode == -9
        left = temporaries(tmp_path)
        assert len(left) == 1 and left[0].startswith(".CC-0001.pdf.evalkit-")
        assert not target.exists()
        files._CLEANED.clear()
        atomic_write(tmp_path / "CC-0002.pdf", b"%PDF")
        assert temporaries(tmp_path) == []

    def test_a_running_writers_temporary_is_kept(self, tmp_path: Path) -> None:
        """A temporary of a live process (this one) is not touched."""
        live = tmp_path / f".a.pdf.evalkit-{files._HOST}-{os.getpid()}-0123abcd.tmp"
        live.write_bytes(b"writing")
        assert remove_stale_temporaries(tmp_path, force=True) == 0
        assert live.exists()

    def test_files_that_are_not_evalkits_are_kept(self, tmp_path: Path) -> None:
        """Only evalkit's own temporary names are candidates."""
        for name in (".notes.tmp", ".a.pdf.abc123.tmp", "x.tmp"):
            (tmp_path / name).write_bytes(b"")
        assert remove_stale_temporaries(tmp_path, force=True) == 0
        assert len(temporaries(tmp_path)) == 3

    def test_an_old_temporary_of_another_machine_is_removed(self, tmp_path: Path) -> None:
        """Older than a day: stale whatever process made it."""
        other = tmp_path / ".a.pdf.evalkit-ffffffff-1-0123abcd.tmp"
        other.write_bytes(b"")
        assert remove_stale_temporaries(tmp_path, force=True) == 0
        old = 1_000_000_000
        os.utime(other, (old, old))
        assert remove_stale_temporaries(tmp_path, force=True) == 1


class TestErrors:
    """Unwritable paths are OutputError sentences (exit 1), never tracebacks."""

    def test_a_name_too_long_is_an_output_error_naming_the_limit(self, tmp_path: Path) -> None:
        """300 bytes exceed NAME_MAX (255) of the usual file systems."""
        target = tmp_path / ("a" * 296 + ".pdf")
        with pytest.raises(OutputError, match=r"the file name is too long \(300 bytes"):
            atomic_write(target, b"x")
        assert temporaries(tmp_path) == []

    def test_a_file_in_the_way_of_the_folder_is_an_output_error(self, tmp_path: Path) -> None:
        """out/ is a file: the sheets cannot go under it."""
        (tmp_path / "out").write_text("")
        with pytest.raises(OutputError, match="cannot write") as info:
            atomic_write(tmp_path / "out" / "a.pdf", b"x")
        assert isinstance(info.value, EvalkitError) and isinstance(info.value, OSError)
        with pytest.raises(OutputError, match="a file is in the way"):
            make_folder(tmp_path / "out")

    def test_writing_over_a_folder_is_an_output_error(self, tmp_path: Path) -> None:
        """The target name is a folder."""
        (tmp_path / "a.pdf").mkdir()
        with pytest.raises(OutputError, match="the path is a folder, not a file"):
            atomic_write(tmp_path / "a.pdf", b"x")
        assert temporaries(tmp_path) == []

    @pytest.mark.parametrize(("code", "words"), [
        (errno.EACCES, "permission denied"), (errno.EROFS, "the file system is read-only"),
        (errno.ENOSPC, "no space left on the disk"),
    ])  # fmt: skip
    def test_file_system_refusals_are_sentences(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
    ) -> None:
        """Permission, read-only and full-disk errors say so and name the file."""
        real_open = os.open

        def refuse(path: object, flags: int, *args: object) -> int:
            if str(path).endswith(".tmp") and flags & os.O_CREAT:
                raise OSError(code, os.strerror(code), str(path))
            return real_open(path, flags, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(files.os, "open", refuse)
        with pytest.raises(OutputError) as info:
            atomic_write(tmp_path / "a.pdf", b"x")
        assert str(info.value) == f"cannot write {str(tmp_path / 'a.pdf')!r}: {words}" + (
            " (the folder or the file is not writable by you)" if code == errno.EACCES else "")
        assert info.value.path == str(tmp_path / "a.pdf")

    @pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
    def test_a_folder_without_write_permission_is_an_output_error(self, tmp_path: Path) -> None:
        """A real read-only folder (not as root)."""
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        try:
            with pytest.raises(OutputError, match="permission denied"):
                atomic_write(folder / "a.pdf", b"x")
        finally:
            folder.chmod(0o700)

    def test_the_cli_exits_1_with_a_sentence_for_an_unwritable_output(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`evalkit score … --out` under a file and with a 300-byte name: exit 1, no traceback."""
        from tests._io_helpers import filled_workbook, person

        book = filled_workbook(tmp_path / "t.xlsx", [person("CC-1")])
        (tmp_path / "blocker").write_text("")
        for out in (tmp_path / "blocker" / "r.json", tmp_path / ("r" * 300 + ".json")):
            code = main(["score", str(book), "--out", str(out)], stdout=io.StringIO())
            err = capsys.readouterr().err
            assert code == EXIT_INVALID_INPUT
            assert err.startswith("Lỗi: không ghi được") and "Traceback" not in err
