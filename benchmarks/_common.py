"""Shared helpers for the benchmarks: timing, peak memory, the result table row."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from typing import Any

FULL = os.environ.get("BENCH_FULL", "") not in ("", "0")


def cold() -> None:
    """Forget the columns evalkit has factorised (``evalkit._columns.factorize`` keeps them
    while their data lives, for the steps of one run that read the same column): every timed
    run reads its input as a first run on new data would, not the previous run's codes."""
    from evalkit import _columns

    getattr(_columns, "_FACTORIZED", {}).clear()  # (an older evalkit, compared: none kept)


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """The best CPU time of ``repeat`` runs of ``fn`` (seconds of this process: steadier
    than wall time on a shared 2-core machine for single-threaded code), each cold."""
    best = float("inf")
    for _ in range(repeat):
        cold()
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def best_of_pair(ours: Callable[[], Any], baseline: Callable[[], Any],
                 repeat: int = 3) -> tuple[float, float]:
    """The best CPU times of ``ours`` and ``baseline``, run in turn ``repeat`` times, each
    run cold (:func:`cold`).

    Interleaving gives both the same conditions: on a shared machine a burst of load
    during one of two back-to-back series would otherwise move the ratio by itself."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for i, fn in enumerate((ours, baseline)):
            cold()  # (untimed)
            t0 = time.process_time()
            fn()
            best[i] = min(best[i], time.process_time() - t0)
    return best[0], best[1]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def row(figure: str, ours: str, base: str, ratio: float, target: str, met: bool) -> dict[str, Any]:
    """One line of the benchmark table."""
    return {
        "figure": figure,
        "evalkit": ours,
        "baseline": base,
        "ratio": round(ratio, 2),
        "target": target,
        "met": "met" if met else "missed",
    }
