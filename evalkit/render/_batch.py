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
* Files are written to a temporary name in the output folder and renamed with
  :func:`os.replace`: a finished name always holds a complete PDF, so a resumed batch
  skips the names that exist.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import multiprocessing.util
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs

from evalkit.errors import RenderError
from evalkit.render._api import render_pdf, sheet_filename
from evalkit.render._model import Sheet

__all__ = ["BatchReport", "ChunkReport", "render_chunk", "run_batch", "write_pdfs"]

ExecutorSpec = Literal["process", "serial"] | cf.Executor | None

DEFAULT_CHUNK_SIZE = 16


@attrs.frozen(slots=True)
class ChunkReport:
    """What one chunk did: files written, seconds, and the worker's pid and peak RSS (KiB)."""

    written: tuple[str, ...]
    skipped: tuple[str, ...]
    seconds: float
    pid: int
    max_rss_kib: int


@attrs.frozen(slots=True)
class BatchReport:
    """What a batch did: every target path in input order, counts, time, peak RSS per worker."""

    paths: tuple[Path, ...]
    written: int
    skipped: int
    seconds: float
    max_rss_kib_by_pid: dict[int, int] = attrs.field(factory=dict)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    The temporary file is removed on any error, so ``path`` either does not exist or
    holds the complete data.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


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
    resume: bool = True,
) -> ChunkReport:
    """Render and write one chunk of ``(sheet, target path)`` pairs; runs in a worker.

    A module-level function so that process pools and Dask can ship it by reference.
    """
    start = time.perf_counter()
    written: list[str] = []
    skipped: list[str] = []
    for sheet, target in items:
        path = Path(target)
        if resume and path.exists():
            skipped.append(target)
            continue
        data = render_pdf(sheet, lang=lang, template_dir=template_dir, pdf_variant=pdf_variant)
        atomic_write(path, data)
        written.append(target)
    return ChunkReport(
        tuple(written), tuple(skipped), time.perf_counter() - start, os.getpid(), _max_rss_kib()
    )


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


def _plan(sheets: Iterable[Sheet], out_dir: Path) -> list[tuple[Sheet, str]]:
    plan: list[tuple[Sheet, str]] = []
    owner: dict[str, str] = {}
    for sheet in sheets:
        if not isinstance(sheet, Sheet):
            raise RenderError(f"write_pdfs expects Sheet objects, got {type(sheet).__name__}")
        name = sheet_filename(sheet)
        key = name.lower()  # case-insensitive file systems
        if key in owner:
            raise RenderError(
                f"staff {owner[key]!r} and staff {sheet.staff.id!r} would both be written "
                f"to {name!r}; make their ids distinct"
            )
        owner[key] = sheet.staff.id
        plan.append((sheet, str(out_dir / name)))
    return plan


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
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plan = _plan(sheets, out)
    paths = tuple(Path(p) for _, p in plan)
    todo = [item for item in plan if not (resume and Path(item[1]).exists())]
    skipped = len(plan) - len(todo)
    tdir = str(Path(template_dir).resolve()) if template_dir is not None else None
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
    try:
        futures = [
            pool.submit(render_chunk, chunk, lang, tdir, pdf_variant, resume)
            for chunk in _chunks(todo, chunk_size)
        ]
        for fut in cf.as_completed(futures):
            rep: ChunkReport = fut.result()
            written += len(rep.written)
            skipped += len(rep.skipped)
            rss[rep.pid] = max(rss.get(rep.pid, 0), rep.max_rss_kib)
            if bar is not None:
                bar.advance(task, len(rep.written) + len(rep.skipped))
    except BaseException:
        for f in futures:
            f.cancel()
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
    name raise RenderError before anything is written). Each file is written to a
    temporary name and renamed, so no partial PDF is ever left behind; with
    ``resume=True`` files that already exist are skipped.

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
