"""Rendering scaled out: 2 worker processes vs 1, Dask ``LocalCluster`` 2 workers vs 1.

Run: ``python benchmarks/bench_scaling.py`` (quick: 48 sheets a configuration) or
``BENCH_FULL=1`` (240 sheets); ``BENCH_N=...`` sets the sheets directly.

Four configurations render the same per-person sheets (``bench_render.make_sheets``)
with :func:`evalkit.render.run_batch`:

* evalkit's own process pool (forkserver, one fontconfig set-up per worker), 1 and 2
  workers;
* a Dask ``LocalCluster(processes=True, threads_per_worker=1)`` of 1 and 2 workers,
  through ``client.get_executor()``.

Each pool or cluster is started and **warmed** (every worker renders one sheet) before
the clock starts, so the figures are the steady-state rate of a month end, not the
start-up. Speed-up = sheets/s with 2 workers ÷ sheets/s with 1, in wall time: it can
only reach 2 when two cores are free, so the load average is printed alongside. The CPU
seconds of every worker (read from ``/proc`` for all descendants of this process) give
the load-independent part: sheets per CPU-second should not drop with more workers.
Peak RSS per worker is each worker's ``VmHWM`` (``/proc/<pid>/status``): a Dask worker
is started by exec from its nanny and inherits the nanny's ``ru_maxrss`` (itself inherited
from this process), so ``getrusage`` inside the worker can report this process's peak.
Targets: process pool ≥ 1.8×, Dask ≥ 1.7×, ≤ 400 MB per worker.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import FULL, row
from bench_render import make_sheets

from evalkit.render import Sheet, run_batch
from evalkit.render._batch import _process_pool

_TICK = os.sysconf("SC_CLK_TCK")


def _descendants_cpu() -> float:
    """CPU seconds (user + system) of every live descendant of this process."""
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parent[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / _TICK
    me = os.getpid()
    total = 0.0
    for pid, seconds in cpu.items():
        p = pid
        while p in parent and p not in (0, 1, me):
            p = parent[p]
        if p == me and pid != me:
            total += seconds
    return total


def _hwm_kib(pid: int) -> int:
    """A live process's peak resident memory (``VmHWM``) in KiB; 0 if unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@contextmanager
def _pool(workers: int) -> Iterator[cf.Executor]:
    ex = _process_pool(workers)
    try:
        yield ex
    finally:
        ex.shutdown(wait=True)


@contextmanager
def _dask(workers: int) -> Iterator[cf.Executor]:
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.wait_for_workers(workers)
        yield client.get_executor()


def _run(
    make: Callable[[int], Any], workers: int, sheets: list[Sheet], tmp: Path, chunk: int
) -> dict[str, Any]:
    with make(workers) as ex:
        # warm every worker: one sheet each, chunks of one, all at once
        run_batch(sheets[:workers], tmp / "warm", executor=ex, chunk_size=1, resume=False)
        cpu0 = _descendants_cpu()
        rep = run_batch(sheets, tmp / f"run-{workers}", executor=ex, chunk_size=chunk)
        cpu = _descendants_cpu() - cpu0
        hwm = [_hwm_kib(pid) for pid in rep.max_rss_kib_by_pid]
    shutil.rmtree(tmp / "warm", ignore_errors=True)
    shutil.rmtree(tmp / f"run-{workers}", ignore_errors=True)
    return {
        "rate": rep.written / rep.seconds,
        "seconds": rep.seconds,
        "cpu_per_sheet": cpu / max(rep.written, 1),
        "rss_mb": max(rep.max_rss_kib_by_pid.values()) / 1024,
        "hwm_mb": max(hwm) / 1024 if all(hwm) else None,
        "workers_seen": len(rep.max_rss_kib_by_pid),
    }


def measure(n: int) -> dict[str, Any]:
    """Sheets/s, CPU s/sheet and peak worker RSS for pool and Dask, 1 and 2 workers."""
    sheets = make_sheets(n)
    chunk = max(1, n // 24)  # enough chunks to keep two workers even
    tmp = Path(tempfile.mkdtemp(prefix="evalkit-bench-scaling-"))
    out: dict[str, Any] = {"n": n, "chunk": chunk, "load_before": os.getloadavg()[0]}
    try:
        for name, make in (("pool", _pool), ("dask", _dask)):
            for workers in (1, 2):
                out[f"{name}{workers}"] = _run(make, workers, sheets, tmp, chunk)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out["load_after"] = os.getloadavg()[0]
    return out


def main() -> list[dict[str, Any]]:
    """Scale the month-end rendering over 1 and 2 workers; the table rows."""
    n = int(os.environ.get("BENCH_N") or (240 if FULL else 48))
    t = time.perf_counter()
    m = measure(n)
    load = f"load avg {m['load_before']:.1f} → {m['load_after']:.1f}"
    rows = []
    for name, label, target in (("pool", "process pool", 1.8), ("dask", "Dask LocalCluster", 1.7)):
        one, two = m[f"{name}1"], m[f"{name}2"]
        speed = two["rate"] / one["rate"]
        cpu_eff = one["cpu_per_sheet"] / two["cpu_per_sheet"]
        rows.append(row(
            f"{label}: 2 workers vs 1, {n} sheets ({load}; CPU s/sheet "
            f"{one['cpu_per_sheet']:.3f} → {two['cpu_per_sheet']:.3f}, ×{cpu_eff:.2f})",
            f"{two['rate']:.2f} sheets/s", f"1 worker {one['rate']:.2f} sheets/s", speed,
            f"≥ {target}×", speed >= target,
        ))  # fmt: skip
    # /proc VmHWM of each worker; the workers' own getrusage only where /proc is missing:
    # a process started by exec (Dask's nanny → worker) inherits its parent's ru_maxrss
    rss = max(m[k]["hwm_mb"] or m[k]["rss_mb"] for k in ("pool1", "pool2", "dask1", "dask2"))
    rows.append(row(
        f"peak RSS per rendering worker (batches up to {n} sheets)", f"{rss:.0f} MB",
        "—", rss / 400, "≤ 400 MB", rss <= 400,
    ))  # fmt: skip
    print(f"bench_scaling: {time.perf_counter() - t:.0f} s; {json.dumps(m)}", file=sys.stderr)
    return rows


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
