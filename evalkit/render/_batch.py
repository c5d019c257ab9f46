"""Many sheets at once: one PDF per person, in chunks, on any ``concurrent.futures`` executor.

Design (measured on a 2-core machine, WeasyPrint 70, no ``libharfbuzz-subset``):

* Each sheet is laid out and written as its own document. Splitting one big document
  per chunk with ``Document.copy()`` re-subsets the fonts per page (0.74 s a sheet) and
  holds ~2.4 MB a page, so it is both slower and heavier.
* The bundled fonts are pre-subset to Vietnamese and embedded whole (``full_fonts``),
  which skips fontTools' subsetting (~0.3 s a PDF) entirely; what remains is layout.
* Each worker process keeps one fontconfig set-up and the parsed stylesheet for all its
  chunks, so the per-sheet cost is the layout and the PDF write.
* A chunk is shipped as one pickle, so a rule set shared by its sheets travels once.
* Files are written through :func:`evalkit._files.atomic_write` (a temporary name, fsync,
  rename; the umask's mode) into a staged folder inside the output folder and moved in
  when the whole batch is done (:func:`evalkit._files.staged_folder`): a finished name
  always holds a complete PDF, and a failed batch leaves none of its files.
* Resume is by content, not by name. Each sheet's *fingerprint* is a SHA-256 over its
  inputs (staff, position, unit, assessment, result, agency with its logo's bytes,
  signatories, date), the rule set (id and content), the language, the PDF variant, every
  template file (the package's and the agency's folder) and the evalkit version. The
  fingerprints of the files written are kept beside the PDFs in
  ``.evalkit-manifest.json`` (written atomically, with each file's size and modification
  time). With ``resume=True`` a PDF is skipped only when its manifest entry has the same
  fingerprint and the file on disk is the one recorded; a sheet whose inputs changed is
  rendered again, so a sheet never disagrees with the unit summary written beside it.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as _dt
import enum
import hashlib
import json
import multiprocessing
import multiprocessing.util
import os
import resource
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

from evalkit._files import atomic_write, staged_folder
from evalkit.errors import RenderError
from evalkit.render._api import render_pdf, sheet_file_names
from evalkit.render._model import Sheet
from evalkit.rules import RuleSet

__all__ = [
    "MANIFEST_NAME",
    "BatchReport",
    "ChunkReport",
    "render_chunk",
    "run_batch",
    "sheet_fingerprints",
    "write_pdfs",
]

ExecutorSpec = Literal["process", "serial"] | cf.Executor | None

DEFAULT_CHUNK_SIZE = 16


@attrs.frozen(slots=True)
class ChunkReport:
    """What one chunk did: files written, seconds, and the worker's pid and peak RSS (KiB).

    ``stats`` holds, per file written, its ``(size, mtime_ns)`` as the worker saw it
    right after the rename: the manifest records it so that a file replaced later (by
    hand or by another run) is not mistaken for the one rendered.
    """

    written: tuple[str, ...]
    skipped: tuple[str, ...]
    seconds: float
    pid: int
    max_rss_kib: int
    stats: tuple[tuple[int, int], ...] = ()


@attrs.frozen(slots=True)
class BatchReport:
    """What a batch did: every target path in input order, counts, time, peak RSS per worker."""

    paths: tuple[Path, ...]
    written: int
    skipped: int
    seconds: float
    max_rss_kib_by_pid: dict[int, int] = attrs.field(factory=dict)


def _max_rss_kib() -> int:
    """This process's own peak resident memory in KiB.

    On Linux it is ``VmHWM`` from ``/proc/self/status``: ``getrusage``'s ``ru_maxrss``
    survives ``exec``, so a Dask worker (exec'd from its nanny) would report the peak of
    the process that started it. Elsewhere ``ru_maxrss`` (bytes on macOS, KiB otherwise).
    """
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])  # "VmHWM:   123456 kB"
    except (OSError, ValueError, IndexError):
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss // 1024 if sys.platform == "darwin" else rss)


def render_chunk(
    items: Sequence[tuple[Sheet, str]],
    lang: str = "vi",
    template_dir: str | None = None,
    pdf_variant: str | None = None,
    resume: bool = False,
) -> ChunkReport:
    """Render and write one chunk of ``(sheet, target path)`` pairs; runs in a worker.

    A module-level function so that process pools and Dask can ship it by reference.
    The decision to skip is taken before (by fingerprint, in :func:`run_batch`); here
    ``resume`` only skips a target that exists, for callers that use this alone.
    """
    start = time.perf_counter()
    written: list[str] = []
    skipped: list[str] = []
    stats: list[tuple[int, int]] = []
    for sheet, target in items:
        path = Path(target)
        if resume and path.exists():
            skipped.append(target)
            continue
        if _is_period_sheet(sheet):
            from evalkit.render._reports import render_period_pdf

            data = render_period_pdf(sheet, lang=lang, template_dir=template_dir,  # type: ignore[arg-type]
                                     pdf_variant=pdf_variant)  # fmt: skip
        else:
            data = render_pdf(sheet, lang=lang, template_dir=template_dir,
                              pdf_variant=pdf_variant)  # fmt: skip
        atomic_write(path, data)
        st = path.stat()
        written.append(target)
        stats.append((st.st_size, st.st_mtime_ns))
    return ChunkReport(
        tuple(written), tuple(skipped), time.perf_counter() - start, os.getpid(),
        _max_rss_kib(), tuple(stats),
    )  # fmt: skip


# ----------------------------------------------------------------------------- resume

#: The manifest beside the PDFs: file name -> fingerprint, size and modification time.
MANIFEST_NAME = ".evalkit-manifest.json"
_MANIFEST_FORMAT = "evalkit-render-manifest/1"


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        return f"unreadable:{exc.errno}"
    return h.hexdigest()


def _tree_digest(h: Any, root: Path) -> None:
    """Feed every file under ``root`` (relative name and bytes) into ``h``, in name order."""
    files = sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink())
    for p in files:
        rel = p.relative_to(root).as_posix()
        h.update(b"\0file\0" + rel.encode("utf-8", "surrogateescape") + b"\0")
        if p.is_symlink():
            h.update(b"link:" + os.fsencode(os.readlink(p)) + b"\0")
        h.update(_file_digest(p).encode())


def _batch_salt(lang: str, template_dir: str | None, pdf_variant: str | None) -> str:
    """What every sheet of a batch shares: evalkit version, options and template files."""
    from evalkit import __version__
    from evalkit.render._env import _fs_templates_dir

    h = hashlib.sha256()
    h.update(json.dumps({"evalkit": __version__, "lang": lang, "pdf_variant": pdf_variant,
                         "format": _MANIFEST_FORMAT}, sort_keys=True).encode())  # fmt: skip
    for label, root in (("package", _fs_templates_dir()),
                        ("agency", Path(template_dir) if template_dir else None)):  # fmt: skip
        h.update(f"\0{label}\0".encode())
        if root is not None and root.is_dir():
            _tree_digest(h, root)
    return h.hexdigest()


class _Canon:
    """A stable JSON encoding of a sheet's inputs (attrs objects, enums, sets, dates, paths).

    Rule sets and files (a logo) are encoded by their digest, computed once per batch.
    """

    def __init__(self) -> None:
        self.rules: dict[int, str] = {}
        self.files: dict[str, str] = {}

    def default(self, obj: Any) -> Any:
        if isinstance(obj, RuleSet):
            rid = id(obj)
            if rid not in self.rules:
                body = self.dumps(self._fields(obj))
                self.rules[rid] = hashlib.sha256(body.encode()).hexdigest()
            return {"__": "RuleSet", "id": obj.id, "sha256": self.rules[rid]}
        if attrs.has(type(obj)):
            return self._fields(obj)
        if isinstance(obj, enum.Enum):
            return [type(obj).__qualname__, obj.value]
        if isinstance(obj, set | frozenset):
            return sorted(self.dumps(x) for x in obj)
        if isinstance(obj, Mapping):
            return {str(k): v for k, v in obj.items()}
        if isinstance(obj, _dt.date | _dt.time | _dt.timedelta):
            return str(obj)
        if isinstance(obj, Path):
            name = str(obj)
            if name not in self.files:
                self.files[name] = _file_digest(obj)
            return {"path": name, "sha256": self.files[name]}
        item = getattr(obj, "item", None)  # numpy scalars
        if callable(item):
            return item()
        return [type(obj).__qualname__, repr(obj)]

    @staticmethod
    def _fields(obj: Any) -> dict[str, Any]:
        out = {"__": type(obj).__qualname__}
        out.update({f.name: getattr(obj, f.name) for f in attrs.fields(type(obj))})
        return out

    def dumps(self, obj: Any) -> str:
        return json.dumps(obj, default=self.default, sort_keys=True, ensure_ascii=False)


def sheet_fingerprints(
    sheets: Sequence[Sheet],
    *,
    lang: str = "vi",
    template_dir: str | os.PathLike[str] | None = None,
    pdf_variant: str | None = None,
) -> list[str]:
    """The content fingerprint of each sheet's PDF (see the module doc), in input order.

    Two sheets with the same fingerprint render to the same PDF; any change to what a
    sheet shows (a score, a reason, a name, the rule set, a template file, the logo, the
    language, the evalkit version) changes it.
    """
    tdir = str(Path(template_dir).resolve()) if template_dir is not None else None
    salt = _batch_salt(lang, tdir, pdf_variant)
    canon = _Canon()
    out = []
    for sheet in sheets:
        body = canon.dumps(canon._fields(sheet))
        out.append(hashlib.sha256((salt + body).encode("utf-8", "surrogatepass")).hexdigest())
    return out


def _read_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """The manifest's entries, or none when it is missing, unreadable or of another format."""
    try:
        doc = json.loads((folder / MANIFEST_NAME).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict) or doc.get("format") != _MANIFEST_FORMAT:
        return {}
    files = doc.get("files")
    if not isinstance(files, dict):
        return {}
    return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, dict)}


def _write_manifest(folder: Path, entries: Mapping[str, Mapping[str, Any]]) -> None:
    doc = {"format": _MANIFEST_FORMAT, "files": dict(sorted(entries.items()))}
    atomic_write(folder / MANIFEST_NAME, json.dumps(doc, ensure_ascii=False, indent=0) + "\n")


def _up_to_date(path: Path, fingerprint: str, entry: Mapping[str, Any] | None) -> bool:
    """Whether ``path`` is the file rendered for ``fingerprint`` (manifest and disk agree)."""
    if not entry or entry.get("sha256") != fingerprint:
        return False
    try:
        st = path.stat()
    except OSError:
        return False
    return bool(st.st_size == entry.get("size") and st.st_mtime_ns == entry.get("mtime_ns"))


def _warm_worker() -> None:  # pragma: no cover - runs in worker processes
    """Import WeasyPrint when a worker starts; clean its font cache when the worker ends."""
    import weasyprint  # noqa: F401

    from evalkit.render import _env

    # Registered here, in the worker itself: multiprocessing ignores finalizers that were
    # registered in another process (the forkserver), and workers never run atexit.
    multiprocessing.util.Finalize(None, _env._STATE.reset, exitpriority=10)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _process_pool(max_workers: int | None) -> cf.ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    return cf.ProcessPoolExecutor(
        max_workers=max_workers or os.cpu_count() or 1,
        mp_context=multiprocessing.get_context(method),
        initializer=_warm_worker,
    )


class _Serial(cf.Executor):
    """Runs each submitted call at once in this process (small batches, tests, debugging)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        fut: cf.Future[Any] = cf.Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            fut.set_exception(exc)
        return fut


def _is_period_sheet(obj: object) -> bool:
    from evalkit.render._reports import PeriodSheet

    return isinstance(obj, PeriodSheet)


def _plan(sheets: Iterable[Any], out_dir: Path) -> list[tuple[Any, str]]:
    """Each sheet with its target, every name claimed (:func:`claim_file_names`) before
    anything is written."""
    items = list(sheets)
    for sheet in items:
        if not (isinstance(sheet, Sheet) or _is_period_sheet(sheet)):
            raise RenderError("write_pdfs expects Sheet or PeriodSheet objects, got "
                              f"{type(sheet).__name__}")  # fmt: skip
    names = sheet_file_names(items)
    return [(s, str(out_dir / name)) for s, name in zip(items, names, strict=True)]


def run_batch(
    sheets: Iterable[Sheet],
    out_dir: str | os.PathLike[str],
    *,
    lang: str = "vi",
    executor: ExecutorSpec = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool = False,
    resume: bool = True,
    template_dir: str | os.PathLike[str] | None = None,
    pdf_variant: str | None = None,
    max_workers: int | None = None,
) -> BatchReport:
    """:func:`write_pdfs` with a :class:`BatchReport` (counts, time, memory per worker)."""
    if chunk_size < 1:
        raise RenderError(f"chunk_size must be at least 1, not {chunk_size}")
    if not isinstance(resume, bool):
        raise RenderError(f"resume must be True or False, not {resume!r}")
    out = Path(out_dir)
    plan = _plan(sheets, out)  # a clash is refused before anything is written
    paths = tuple(Path(p) for _, p in plan)
    tdir = str(Path(template_dir).resolve()) if template_dir is not None else None
    prints = sheet_fingerprints([s for s, _ in plan], lang=lang, template_dir=tdir,
                                pdf_variant=pdf_variant)  # fmt: skip
    fingerprint = {Path(target).name: fp for (_, target), fp in zip(plan, prints, strict=True)}
    manifest = _read_manifest(out)
    todo = [
        (sheet, Path(target).name) for sheet, target in plan
        if not (resume and _up_to_date(Path(target), fingerprint[Path(target).name],
                                       manifest.get(Path(target).name)))
    ]  # fmt: skip
    skipped = len(plan) - len(todo)
    start = time.perf_counter()
    own: cf.Executor | None = None
    pool: cf.Executor
    if executor is None or executor == "process":
        own = _process_pool(max_workers) if len(todo) > chunk_size else _Serial()
        pool = own
    elif executor == "serial":
        pool = _Serial()
    elif isinstance(executor, cf.Executor):
        pool = executor
    else:
        raise RenderError(
            f"executor must be None, 'process', 'serial' or a concurrent.futures.Executor, "
            f"not {executor!r}"
        )
    rss: dict[int, int] = {}
    written = 0
    bar: Any = None
    task: Any = None
    if progress:
        from rich.progress import Progress

        bar = Progress(transient=False)
        bar.start()
        task = bar.add_task("PDF", total=len(plan), completed=skipped)
    futures: list[cf.Future[ChunkReport]] = []
    # all the batch's files or none: written into a folder beside them and moved in, with
    # the manifest, when the last is done (a failure in a late chunk leaves none of them)
    with staged_folder(out) as stage:
        try:
            futures = [
                pool.submit(render_chunk, [(s, str(stage / name)) for s, name in chunk],
                            lang, tdir, pdf_variant, False)
                for chunk in _chunks(todo, chunk_size)
            ]  # fmt: skip
            for fut in cf.as_completed(futures):
                rep: ChunkReport = fut.result()
                written += len(rep.written)
                skipped += len(rep.skipped)
                rss[rep.pid] = max(rss.get(rep.pid, 0), rep.max_rss_kib)
                for target, (size, mtime_ns) in zip(rep.written, rep.stats, strict=True):
                    name = Path(target).name  # the move keeps the size and the time
                    manifest[name] = {"sha256": fingerprint[name], "size": size,
                                      "mtime_ns": mtime_ns}  # fmt: skip
                if bar is not None:
                    bar.advance(task, len(rep.written) + len(rep.skipped))
            if written:
                _write_manifest(stage, manifest)
        except BaseException:
            for f in futures:
                f.cancel()
            cf.wait(futures)  # no chunk still writing when the staged folder is removed
            raise
        finally:
            if bar is not None:
                bar.stop()
            if own is not None:
                own.shutdown(wait=True, cancel_futures=True)
    return BatchReport(paths, written, skipped, time.perf_counter() - start, rss)


def write_pdfs(
    sheets: Iterable[Sheet],
    out_dir: str | os.PathLike[str],
    *,
    lang: str = "vi",
    executor: ExecutorSpec = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool = False,
    resume: bool = True,
    template_dir: str | os.PathLike[str] | None = None,
    pdf_variant: str | None = None,
    max_workers: int | None = None,
) -> list[Path]:
    """Write one PDF per sheet into ``out_dir``; return every target path in input order.

    File names are :func:`sheet_filename` (deterministic; two sheets that would share a
    name raise RenderError before anything is written). The files are all written or
    none: into a staged folder in ``out_dir``, moved in when the last is done.

    ``resume=True`` skips a PDF only when it was written for exactly this sheet: its
    fingerprint (the sheet's inputs, the rule set, the template files, the options and
    the evalkit version) matches the one recorded in ``out_dir/.evalkit-manifest.json``
    and the file is unchanged since. Any other PDF is rendered again, so a corrected
    input always reaches its sheet. ``resume=False`` renders every sheet.

    ``executor`` is ``None`` or ``"process"`` (a process pool of ``max_workers``, the
    CPU count by default; batches of one chunk or less run in this process),
    ``"serial"``, or any :class:`concurrent.futures.Executor` — a thread pool, or Dask's
    ``Client.get_executor()`` for several machines (``out_dir`` must then be shared).
    Sheets are sent in chunks of ``chunk_size``. ``progress=True`` shows a rich bar.
    """
    return list(
        run_batch(
            sheets, out_dir, lang=lang, executor=executor, chunk_size=chunk_size,
            progress=progress, resume=resume, template_dir=template_dir,
            pdf_variant=pdf_variant, max_workers=max_workers,
        ).paths
    )  # fmt: skip
