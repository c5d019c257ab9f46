"""The one atomic writer: a temporary file beside the target, fsync, then ``os.replace``.

Every file evalkit writes (workbooks, results, JSON, PDFs, summaries, manifests) goes
through :func:`atomic_path` or :func:`atomic_write`, so

* a finished name always holds a complete file: a crash, a kill or a full disk leaves the
  previous file (or no file), never half of one;
* the file's mode follows the user's umask (``0o666 & ~umask``: ``-rw-r--r--`` under the
  usual umask 022), as a file made by ``open()`` would, not the ``0600`` of
  :func:`tempfile.mkstemp` — colleagues on a shared folder can open the sheets;
* a temporary file left behind by a killed run (``.NAME.evalkit-HOST-PID-XXXX.tmp``) is
  removed by the next run that writes into the same folder, once its process is gone;
* an output path that cannot be written (a folder that does not exist and cannot be made,
  no permission, a read-only file system, a name too long, a full disk) raises
  :class:`~evalkit.errors.OutputError` with a sentence naming the path — exit code 1 on
  the command line, never a traceback.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> with atomic_path(target) as tmp:
...     _ = tmp.write_text("done")
>>> target.read_text()
'done'
>>> atomic_write(target, b"again").read_bytes()
b'again'
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from evalkit.errors import OutputError

__all__ = [
    "atomic_path",
    "atomic_paths",
    "atomic_write",
    "file_mode",
    "make_folder",
    "remove_stale_temporaries",
    "staged_folder",
    "umask",
]

#: A temporary file older than this is stale even if its process cannot be checked
#: (another machine writing into a shared folder, or a recycled process id).
STALE_AFTER_SECONDS = 24 * 3600

_MAX_NAME_BYTES = 255  # NAME_MAX of ext4, XFS, APFS, NTFS (in UTF-16 units there)
_TEMP_RE = re.compile(r"^\..*\.evalkit-([0-9a-f]{8})-(\d+)-[0-9a-f]{8}\.tmp$", re.DOTALL)
_UMASK_LOCK = threading.Lock()
_CLEANED_LOCK = threading.Lock()
_CLEANED: set[tuple[int, str]] = set()  # (pid, folder): cleaned once per process and folder


def _host_tag() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


_HOST = _host_tag()


def umask() -> int:
    """The process's umask, read without changing it where the system allows.

    On Linux it is the ``Umask:`` line of ``/proc/self/status``; elsewhere ``os.umask``
    is set and restored under a lock (the only portable way to read it).

    >>> 0 <= umask() <= 0o777
    True
    """
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        old = os.umask(0o077)
        os.umask(old)
    return old


def file_mode() -> int:
    """The mode a new file gets under the current umask: ``0o666 & ~umask``.

    >>> oct(file_mode()) in ("0o644", "0o664", "0o640", "0o600", "0o660", "0o666")
    True
    """
    return 0o666 & ~umask()


def _temp_name(target: Path) -> str:
    """``.NAME.evalkit-HOST-PID-RANDOM.tmp``, NAME shortened so the whole fits a file name."""
    tail = f".evalkit-{_HOST}-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    name = target.name
    room = _MAX_NAME_BYTES - len(tail.encode()) - 1
    if len(name.encode("utf-8", "surrogateescape")) > room:
        name = name.encode("utf-8", "surrogateescape")[:room].decode("utf-8", "ignore")
    return f".{name}{tail}"


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OSError):
        return False
    return False


def remove_stale_temporaries(folder: str | os.PathLike[str], *, force: bool = False) -> int:
    """Remove temporary files a killed run left in ``folder``; return how many.

    A temporary file is stale when its process (same machine) no longer exists, or when
    it is older than :data:`STALE_AFTER_SECONDS`. Files of running writers, and files
    that are not evalkit's, are never touched. Runs once per process and folder unless
    ``force``; errors (a folder that cannot be listed) are ignored.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> dead = 999_999_999  # no such process
    >>> _ = (d / f".a.pdf.evalkit-{_HOST}-{dead}-0123abcd.tmp").write_bytes(b"half")
    >>> remove_stale_temporaries(d)
    1
    """
    path = Path(folder)
    key = (os.getpid(), os.path.abspath(path))
    with _CLEANED_LOCK:
        if key in _CLEANED and not force:
            return 0
        _CLEANED.add(key)
    removed = 0
    now = time.time()
    try:
        entries = list(os.scandir(path))
    except OSError:
        return 0
    for entry in entries:
        m = _TEMP_RE.match(entry.name)
        if m is None:
            continue
        try:
            staged = entry.is_dir(follow_symlinks=False)  # a run's staged folder
            if not staged and not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_SECONDS
            gone = m.group(1) == _HOST and _process_gone(int(m.group(2)))
            if old or gone:
                shutil.rmtree(entry.path) if staged else os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


_REASONS = {
    errno.EACCES: "permission denied (the folder or the file is not writable by you)",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.ENAMETOOLONG: "the file name or path is too long",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "the path is a folder, not a file",
    errno.ENOENT: "the folder does not exist",
    errno.EEXIST: "a file is in the way of the folder",
    errno.EFBIG: "the file is too large for the file system",
    errno.EIO: "input/output error on the disk",
}


#: Why a file cannot be made in a folder that exists (a system folder such as /proc).
_NOT_WRITABLE = "the folder is there but not writable (it accepts no new file)"


def _output_error(target: Path, exc: OSError, *, what: str = "") -> OutputError:
    why = _REASONS.get(exc.errno or -1) or exc.strerror or str(exc) or type(exc).__name__
    if exc.errno == errno.ENOENT and target.parent.is_dir():  # /proc: it is there, but
        why = _NOT_WRITABLE  # takes no new file (not "the folder does not exist")
    if exc.errno == errno.ENAMETOOLONG:
        size = len(target.name.encode("utf-8", "surrogateescape"))
        if size > _MAX_NAME_BYTES:
            why = f"the file name is too long ({size} bytes; the limit is {_MAX_NAME_BYTES})"
    noun = f"{what} " if what else ""
    out = OutputError(f"cannot write {noun}{str(target)!r}: {why}", path=str(target))
    out.errno = exc.errno  # the cause stays readable (the archive words its own sentence)
    return out


def _folder_path(path: Path) -> Path:
    """The folder :func:`make_folder` makes for ``path``: ``sub/../out`` is ``out`` (``sub``
    is passed through, not made: no empty folder left behind)."""
    return Path(os.path.realpath(path)) if ".." in path.parts else path


def make_folder(folder: str | os.PathLike[str]) -> Path:
    """Create ``folder`` (and its parents) if needed; :class:`OutputError` if it cannot be.
    Returns the folder; one named with ``..`` resolved (links followed, then ``..`` the
    parent: ``sub/../out`` is ``out``), with no folder made for the part ``..`` leaves.

    >>> import tempfile, pathlib
    >>> make_folder(pathlib.Path(tempfile.mkdtemp()) / "a" / "b").is_dir()
    True
    """
    path = Path(folder)
    made = _folder_path(path)
    try:
        made.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _output_error(path, exc, what="the folder") from None
    if not made.is_dir():
        raise OutputError(f"cannot write the folder {str(path)!r}: a file is in the way",
                          path=str(path))  # fmt: skip
    return made


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically.

    The body writes the temporary file (by name: ``wb.save(tmp)``, ``frame.to_csv(tmp)``).
    Afterwards it is flushed to disk, given the umask's mode and renamed over ``path``.
    If the body raises, the temporary file is removed and ``path`` is untouched; an
    ``OSError`` of the file system becomes :class:`~evalkit.errors.OutputError`.
    """
    target = Path(path)
    try:
        folder = make_folder(target.parent)
    except OutputError as exc:
        raise OutputError(f"cannot write {str(target)!r}: {str(exc).split(': ', 1)[-1]}",
                          path=str(target)) from None
    target = folder / target.name  # ``sub/../a.pdf``: where the system resolves it
    remove_stale_temporaries(folder)
    tmp = folder / _temp_name(target)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)  # fmt: skip
        os.close(fd)
    except OSError as exc:
        raise _output_error(target, exc) from None
    try:
        yield tmp
        _finish(tmp, target)
    except OSError as exc:
        if isinstance(exc, OutputError):
            raise
        raise _output_error(target, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


@contextlib.contextmanager
def atomic_paths(paths: Sequence[str | os.PathLike[str]]) -> Iterator[list[Path]]:
    """All or nothing for the few files of one command, in one folder or several: yield a
    temporary path beside each of ``paths`` (:func:`atomic_path`'s); when the body
    succeeds they replace their files together at the end, when it (or making a temporary
    file: a folder not writable) raises, every temporary file is removed and every file
    is left as it was — ``rules diff --csv OUT.csv --pdf OUT.pdf`` whose PDF fails
    writes no CSV either. (The renames themselves come last, each an ``os.replace`` in
    the file's own folder: a disk failing between two of them is the one case left.)

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> try:
    ...     with atomic_paths([d / "a.csv", d / "a.pdf"]) as (csv, pdf):
    ...         _ = csv.write_text("a")
    ...         raise ValueError("the PDF failed")
    ... except ValueError:
    ...     pass
    >>> sorted(p.name for p in d.iterdir())
    []
    >>> with atomic_paths([d / "a.csv", d / "a.pdf"]) as (csv, pdf):
    ...     _ = csv.write_text("a"), pdf.write_text("b")
    >>> sorted(p.name for p in d.iterdir())
    ['a.csv', 'a.pdf']
    """
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(atomic_path(p)) for p in paths]


def _finish(tmp: Path, target: Path) -> None:
    """fsync the temporary file, give it the umask's mode, rename it over ``target``."""
    fd = os.open(tmp, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, file_mode())
    finally:
        os.close(fd)
    if not hasattr(os, "fchmod"):  # pragma: no cover - Windows
        os.chmod(tmp, file_mode())
    if target.is_dir():
        raise OutputError(f"cannot write {str(target)!r}: {_REASONS[errno.EISDIR]}",
                          path=str(target))  # fmt: skip
    os.replace(tmp, target)
    _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); folders cannot be opened on Windows."""
    if os.name != "posix":  # pragma: no cover
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def staged_folder(folder: str | os.PathLike[str]) -> Iterator[Path]:
    """All or nothing for the files of one run: yield a hidden folder inside ``folder``
    (``.run.evalkit-HOST-PID-XXXX.tmp``, on the same disk) that the body writes into; when
    the body succeeds every file in it is moved to the same place under ``folder``
    (``os.replace``), when it raises the staged folder is removed, so ``folder`` holds
    none of the run's files, and the folders the run made for ``folder`` (it did not exist)
    are removed again. A folder a killed run left is removed by the next run, as a
    temporary file is.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> try:
    ...     with staged_folder(d) as tmp:
    ...         _ = atomic_write(tmp / "units" / "a.pdf", b"a")
    ...         raise ValueError("a later chunk failed")
    ... except ValueError:
    ...     pass
    >>> sorted(d.rglob("*"))
    []
    >>> try:
    ...     with staged_folder(d / "2026" / "08") as tmp:
    ...         raise ValueError("the first sheet failed")
    ... except ValueError:
    ...     pass
    >>> sorted(d.rglob("*"))
    []
    >>> with staged_folder(d) as tmp:
    ...     _ = atomic_write(tmp / "units" / "a.pdf", b"a")
    >>> [str(p.relative_to(d)) for p in sorted(d.rglob("*"))]
    ['units', 'units/a.pdf']
    """
    wanted = _folder_path(Path(folder))
    new = [p for p in (wanted, *wanted.parents) if not p.exists()]  # this run makes them
    out = make_folder(folder)
    remove_stale_temporaries(out)
    stage = out / _temp_name(out / "run")
    done = False
    try:
        stage.mkdir()
    except OSError as exc:  # said of the folder asked for, not of the hidden stage in it
        _remove_empty(new)
        raise _output_error(out, exc, what="the folder") from None
    try:
        yield stage
        made = in_the_way(stage, out)  # said before any folder is made or file moved
        for target in made.values():
            make_folder(target.parent)
        for p, target in made.items():
            try:
                os.replace(p, target)
            except OSError as exc:
                raise _output_error(target, exc) from exc
        for d in {t.parent for t in made.values()}:
            _fsync_folder(d)
        done = True
    except OutputError as exc:  # said of the file asked for, not of its copy in the stage
        said = _outside(exc, stage, out)
        if said is exc:
            raise
        raise said from exc
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if not done:  # a failed run leaves no folder it made (an empty one: nothing moved)
            _remove_empty(new)


def in_the_way(stage: Path, out: Path) -> dict[Path, Path]:
    """Each file staged in ``stage`` and where it goes in ``out``; :class:`OutputError`,
    before anything is made or moved, when a file is in the way of one of their folders
    or a folder in the way of one of them (a run that checks this before writing
    elsewhere, as ``evalkit render`` before the month's sheets, then fails on none)."""
    made = {p: out / p.relative_to(stage) for p in sorted(stage.rglob("*")) if not p.is_dir()}
    for target in made.values():
        for folder in reversed(target.relative_to(out).parents):
            if (out / folder).exists() and not (out / folder).is_dir():
                raise _output_error(out / folder, FileExistsError(errno.EEXIST, "in the way"),
                                    what="the folder")  # as making it would say
        if target.is_dir():
            raise OutputError(f"cannot write {str(target)!r}: {_REASONS[errno.EISDIR]}",
                              path=str(target))  # fmt: skip
    return made


def check_target(path: str | os.PathLike[str]) -> None:
    """:class:`OutputError`, as writing it would say, when the file ``path`` cannot be
    written for what is in its way — a file where one of its folders should be, a folder
    where it should be, a name longer than the file system allows — said before a run
    writes its other files (``evalkit annual --pdf DIR --out FILE``: none of DIR's sheets
    for a FILE that cannot be written)."""
    target = Path(path)
    if len(target.name.encode("utf-8", "surrogateescape")) > _MAX_NAME_BYTES:
        raise _output_error(target, OSError(errno.ENAMETOOLONG, "name too long"))
    if target.is_dir():
        raise _output_error(target, IsADirectoryError(errno.EISDIR, "is a folder"))
    for folder in target.parents:
        if folder.exists():
            if not folder.is_dir():
                raise _output_error(target, FileExistsError(errno.EEXIST, "in the way"))
            return


def _remove_empty(folders: Sequence[Path]) -> None:
    """Remove ``folders`` (deepest first) while they are empty: the ones a failed run made."""
    for d in folders:
        try:
            d.rmdir()
        except OSError:
            return


def _outside(exc: OutputError, stage: Path, out: Path) -> OutputError:
    """``exc`` with a path inside ``stage`` named where the file was to go in ``out``
    (``OUT/.run.evalkit-….tmp/units/a.pdf`` is ``OUT/units/a.pdf``); ``exc`` itself when
    it names no such path."""
    forms = [(str(stage), str(out)), (repr(str(stage))[1:-1], repr(str(out))[1:-1])]
    message = str(exc)
    for inner, outer in forms:
        message = message.replace(inner, outer)
    path = exc.path.replace(str(stage), str(out)) if exc.path else exc.path
    if message == str(exc) and path == exc.path:
        return exc
    said = OutputError(message, path=path)
    said.errno = exc.errno
    return said


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` (bytes, or text as UTF-8) to ``path`` atomically; return the path.

    >>> import tempfile, pathlib, stat
    >>> p = atomic_write(pathlib.Path(tempfile.mkdtemp()) / "a.txt", "xin chào")
    >>> p.read_text(encoding="utf-8"), stat.S_IMODE(p.stat().st_mode) == file_mode()
    ('xin chào', True)
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(path)
    with atomic_path(target) as tmp, open(tmp, "wb") as fh:
        fh.write(payload)
    return target
