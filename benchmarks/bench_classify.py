"""Benchmark: classify N staff-months in N/200 units, against a bare pandas pipeline.

What evalkit does (``classify_frame`` then ``rollup_frame``): validates the unit tree
and the staff-months, scores every row under NĐ 335 (caps included), grades units
bottom-up, derives the heads' management component from their subordinates (heads
rescored level by level), caps heads at their unit, applies the quota per unit and
duty group with the full tie-break, and rolls the months up to the year.

The bare baseline does the arithmetic only: a weighted sum, ``np.select`` banding,
grade counts per unit-month with ``groupby``, a per-unit quota by ``rank`` and
``cumcount``, and a yearly mean. Both run in the same process on the same data; the
script prints the times and their ratio (target ≤ 5×).

Run: ``python benchmarks/bench_classify.py`` (N = 100,000) or ``BENCH_FULL=1`` for
N = 1,000,000; ``BENCH_N=...`` sets N directly.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit.rules import get
from evalkit.units import classify_frame, rollup_frame

GENERAL = ("chinh_tri", "dao_duc", "tac_phong", "ky_luat", "phuc_vu")
TASKS = ("so_luong", "chat_luong", "tien_do")


def make_data(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """N staff-months over 12 months of 2026, in N/200 units three levels deep."""
    rng = np.random.default_rng(seed)
    months = 12
    n_staff = max(n // months, 1)
    n_units = max(n // 200, 1)
    n = n_staff * months
    unit_ids = np.array([f"U{i:06d}" for i in range(n_units)], dtype=object)
    # tree: unit i's parent is unit (i - 1) // 8 (a root, then 8 children each, ...)
    parent = np.where(np.arange(n_units) == 0, -1, (np.arange(n_units) - 1) // 8)
    staff_unit = np.sort(rng.integers(0, n_units, n_staff))
    staff_unit[:n_units] = np.arange(n_units)  # every unit has at least one member
    staff_unit = np.sort(staff_unit)
    staff_ids = np.array([f"S{i:07d}" for i in range(n_staff)], dtype=object)
    first = np.searchsorted(staff_unit, np.arange(n_units))  # the head: first member
    is_head = np.zeros(n_staff, dtype=bool)
    is_head[first] = True
    sid = np.tile(np.arange(n_staff), months)
    month = np.repeat(np.arange(1, months + 1), n_staff)
    periods = np.array([f"2026-{m:02d}" for m in range(1, 13)], dtype=object)
    sm = pd.DataFrame({
        "staff_id": staff_ids[sid],
        "period": periods[month - 1],
        "unit_id": unit_ids[staff_unit[sid]],
        "manages_others": is_head[sid],
        "duty_group": np.array(["a", "b"], dtype=object)[rng.integers(0, 2, n)],
    })  # fmt: skip
    for c in GENERAL:
        sm[c] = rng.integers(3, 7, n).astype(np.float64)
    for c in TASKS:
        sm[c] = rng.choice([60.0, 80.0, 90.0, 95.0, 100.0], n)
    sm["ket_qua_linh_vuc"] = np.where(sm["manages_others"], 90.0, np.nan)
    sm["nang_luc_lanh_dao"] = np.where(sm["manages_others"], 90.0, np.nan)
    sm["discipline"] = (rng.random(n) < 0.002).astype(np.int64)
    assigned = rng.integers(5, 30, n_units * months).astype(np.float64)
    done = np.minimum(assigned, np.round(assigned * rng.uniform(0.6, 1.0, assigned.size)))
    units = pd.DataFrame({
        "unit_id": np.repeat(unit_ids, months),
        "period": np.tile(periods, n_units),
        "parent_id": np.repeat(np.where(parent >= 0, unit_ids[np.maximum(parent, 0)], None),
                               months),
        "head_id": np.repeat(staff_ids[first], months),
        "tasks_assigned": assigned,
        "tasks_done": done,
        "tasks_exceeded": np.floor(done * 0.3),
    })  # fmt: skip
    return sm, units


def evalkit_pipeline(sm: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Classify with evalkit and roll up to the year."""
    rules = get("vn.nd335-2025")
    staff, _ = classify_frame(sm, units, rules)
    return rollup_frame(staff, rules)


def bare_pipeline(sm: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """The same shape of work in plain pandas/numpy, without any rule or check."""
    general = sm[list(GENERAL)].sum(axis=1).to_numpy()
    tasks = sm[list(TASKS)].mean(axis=1).to_numpy() * 0.7
    total = np.round(general + tasks, 2)
    grade = np.select([total >= 90, total >= 70, total >= 50], [3, 2, 1], 0)
    df = pd.DataFrame({"unit_id": sm["unit_id"], "period": sm["period"],
                       "staff_id": sm["staff_id"], "total": total, "grade": grade})  # fmt: skip
    counts = df.groupby(["unit_id", "period", "grade"]).size().unstack(fill_value=0)
    cap = np.floor(counts.get(2, 0) * 0.2).rename("cap")
    df = df.join(cap, on=["unit_id", "period"])
    cand = df[df["grade"] == 3].copy()
    cand["r"] = cand["total"].rank(method="first", ascending=False)
    cand = cand.sort_values(["unit_id", "period", "r"])
    pos = cand.groupby(["unit_id", "period"]).cumcount()
    demote = cand.index[pos.to_numpy() >= cand["cap"].to_numpy()]
    df.loc[demote, "grade"] = 2
    year = df.groupby("staff_id")["total"].mean()
    del units
    return year.to_frame()


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> list[dict[str, Any]]:
    """Run both pipelines, print their times and ratio (to stderr); the table row."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import row

    full = os.environ.get("BENCH_FULL", "") not in ("", "0")
    n = int(os.environ.get("BENCH_N", "1000000" if full else "100000"))
    sm, units = make_data(n)
    repeat = 2 if full else 3
    evalkit_pipeline(sm, units)  # warm-up (imports, registry)
    t_ev = best_of(lambda: evalkit_pipeline(sm, units), repeat)
    t_bare = best_of(lambda: bare_pipeline(sm, units), repeat)
    n_units = units["unit_id"].nunique()
    err = sys.stderr
    print(f"staff-months: {n:,}  units: {n_units:,}", file=err)
    print(f"evalkit classify_frame + rollup_frame: {t_ev:8.3f} s", file=err)
    print(f"bare pandas pipeline:                  {t_bare:8.3f} s", file=err)
    print(f"ratio: {t_ev / t_bare:.2f}x (target <= 5x)", file=err)
    ratio = t_ev / t_bare
    return [
        row(f"classify {n:,} staff-months in {n_units:,} units + roll-up to the year",
            f"{t_ev:.2f} s", f"bare pandas pipeline {t_bare:.2f} s", ratio, "≤ 5×",
            ratio <= 5.0),
    ]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
