"""Benchmark: classify N staff-months in N/200 units, against a bare pandas pipeline.

What evalkit does (``classify_frame`` on the months, then ``classify_year``): validates
the unit tree and the staff-months, finds each person's rule set, scores every row under
NĐ 335 (caps included), grades units bottom-up, derives the leaders' management component
(d) from the scores of the staff under them (leaders rescored level by level), then rolls
the months up to the year (Điều 21: the average of the months worked), applies the year's
disqualifiers, caps heads at their unit's annual grade and applies the annual quota per
unit and duty group with the full tie-break (Điều 20 k5).

The bare baseline does the arithmetic only: a weighted sum per month, a yearly mean per
person, ``np.select`` banding, grade counts per unit with ``bincount``, the quota by a
``lexsort`` and a rank within the unit. Both run in the same process on the same data;
the script prints the times and their ratio (target ≤ 5×).

Run: ``python benchmarks/bench_classify.py`` (N = 100,000) or ``BENCH_FULL=1`` for
N = 1,000,000; ``BENCH_N=...`` sets N directly.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit.rules import get
from evalkit.units import classify_frame, classify_year

RULES = get("vn.nd335-2025")
GENERAL = tuple(c.id for c in RULES.group("general").criteria)
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
    sm["category"] = "cong_chuc"
    for c in RULES.group("general").criteria:
        sm[c.id] = np.round(rng.uniform(0.7, 1.0, n) * c.maximum * 2) / 2
    for c in TASKS:  # about a third of the year in the HTXS band: the quota bites
        sm[c] = rng.choice([80.0, 90.0, 95.0, 100.0], n)
    sm["to_chuc_trien_khai"] = np.where(sm["manages_others"], 100.0, np.nan)
    sm["tap_hop_doan_ket"] = np.where(sm["manages_others"], 100.0, np.nan)
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
    """Classify the months with evalkit (no rule set named: each person's own), then the
    year (roll-up, disqualifiers, head cap, quota)."""
    staff, unit_results = classify_frame(sm, units)
    return classify_year(staff, unit_results)


def _half_up(x: np.ndarray) -> np.ndarray:
    return np.floor(x * 100 + 0.5 + 1e-6) / 100


def _band(x: np.ndarray) -> np.ndarray:
    return np.select([x >= 90, x >= 70, x >= 50], [3, 2, 1], 0)


def bare_pipeline(sm: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """The same answer in plain numpy/pandas for this data, without checks or reasons:
    monthly scores (general + (a+b+c)/3 × 70 %, leaders (a+b+c+d+đ+e)/6 × 70 % with d from
    the scores of the staff under them, bottom-up), the year's mean, the disqualifier, the
    units' annual grade, the head cap and the annual quota (20 % of HTT per unit and duty
    group, ranked by total then task points then staff id)."""
    n = len(sm)
    general = sm[list(GENERAL)].to_numpy().sum(axis=1)
    abc = sm[list(TASKS)].to_numpy()
    manages = sm["manages_others"].to_numpy(dtype=bool)
    mgmt = sm[["to_chuc_trien_khai", "tap_hop_doan_ket"]].to_numpy()
    # structure: unit of each row, the head of each unit-month, the manager of each row
    ucode, uidx = pd.factorize(sm["unit_id"])
    pcode, _ = pd.factorize(sm["period"])
    scode, sidx = pd.factorize(sm["staff_id"])
    n_u, n_p = len(uidx), int(pcode.max()) + 1
    ut = units.set_index("unit_id")
    parent = pd.Index(uidx).get_indexer(ut["parent_id"].groupby(level=0).first()
                                        .reindex(uidx).to_numpy())  # fmt: skip
    head_s = pd.Index(sidx).get_indexer(ut["head_id"].groupby(level=0).first().reindex(uidx))
    row_of = np.full(len(sidx) * n_p, -1)
    row_of[scode * n_p + pcode] = np.arange(n)
    head_row = row_of[head_s[ucode] * n_p + pcode]
    is_head = head_row == np.arange(n)
    up = np.where(parent[ucode] >= 0, row_of[head_s[np.maximum(parent[ucode], 0)] * n_p + pcode],
                  -1)  # fmt: skip
    mgr = np.where(is_head, up, head_row)
    depth = np.zeros(n_u, dtype=np.int64)
    anc = parent.copy()
    while (anc >= 0).any():
        depth += anc >= 0
        anc = np.where(anc >= 0, parent[np.maximum(anc, 0)], -1)
    tasks = _half_up(abc.mean(axis=1) * 0.7)
    total = _half_up(general + tasks)
    for level in range(int(depth.max()), -1, -1):  # leaders bottom-up: d from their staff
        below = np.bincount(mgr[(mgr >= 0) & (total < 50)], minlength=n)
        rows = manages & (depth[ucode] == level)
        d = np.where(below > 0, 50.0, 100.0)
        lead = _half_up((abc.sum(axis=1) + d + mgmt.sum(axis=1)) / 6 * 0.7)
        tasks = np.where(rows, lead, tasks)
        total = np.where(rows, _half_up(general + tasks), total)
    # the year: mean, band, disqualifier, head cap at the unit's annual grade, quota
    n_s = len(sidx)
    mean = _half_up(np.bincount(scode, weights=total, minlength=n_s)
                    / np.bincount(scode, minlength=n_s))  # fmt: skip
    task_mean = np.bincount(scode, weights=tasks, minlength=n_s) / np.bincount(scode,
                                                                               minlength=n_s)
    grade = _band(mean)
    disc = np.bincount(scode, weights=sm["discipline"].to_numpy(), minlength=n_s) > 0
    grade = np.where(disc, 0, grade)
    last = np.zeros(n_s, dtype=np.int64)
    last[scode] = np.arange(n)  # rows are ordered by month: the last month's row
    unit = ucode[last]
    uscore = 100.0 * units["tasks_done"].to_numpy() / units["tasks_assigned"].to_numpy()
    ucodes = pd.Index(uidx).get_indexer(units["unit_id"])
    ugrade = _band(_half_up(np.bincount(ucodes, weights=uscore, minlength=n_u)
                            / np.bincount(ucodes, minlength=n_u)))  # fmt: skip
    head = is_head[last]
    grade = np.where(head, np.minimum(grade, ugrade[unit]), grade)
    duty = pd.factorize(sm["duty_group"])[0][last]
    group = unit * 2 + duty
    cap = np.floor(np.bincount(group[grade == 2], minlength=n_u * 2) * 0.2 + 1e-9)
    cand = np.flatnonzero(grade == 3)
    order = cand[np.lexsort((cand, -task_mean[cand], -mean[cand], group[cand]))]
    g = group[order]
    start = np.r_[True, g[1:] != g[:-1]]
    rank = np.arange(order.size) - np.maximum.accumulate(np.where(start, np.arange(order.size),
                                                                  0))  # fmt: skip
    grade[order[rank >= cap[g]]] = 2
    return pd.DataFrame({"staff_id": sidx, "total": mean, "grade": grade})


def main() -> list[dict[str, Any]]:
    """Run both pipelines, print their times and ratio (to stderr); the table row."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import best_of_pair, row

    full = os.environ.get("BENCH_FULL", "") not in ("", "0")
    n = int(os.environ.get("BENCH_N", "1000000" if full else "100000"))
    sm, units = make_data(n)
    repeat = 3 if full else 15
    evalkit_pipeline(sm, units)  # warm-up (imports, registry)
    t_ev, t_bare = best_of_pair(lambda: evalkit_pipeline(sm, units),
                                lambda: bare_pipeline(sm, units), repeat)  # fmt: skip
    ours = evalkit_pipeline(sm, units).set_index("staff_id")
    bare = bare_pipeline(sm, units).set_index("staff_id").reindex(ours.index)
    codes = {"KHT": 0, "HT": 1, "HTT": 2, "HTXS": 3}
    same = (ours["grade"].astype(str).map(codes).to_numpy() == bare["grade"].to_numpy())
    if not same.all():  # the baseline must compute the same answer to be a fair one
        print(f"warning: {int((~same).sum())} annual grades differ from the baseline",
              file=sys.stderr)
    n_units = units["unit_id"].nunique()
    err = sys.stderr
    print(f"staff-months: {n:,}  units: {n_units:,}", file=err)
    print(f"evalkit classify_frame + classify_year: {t_ev:8.3f} s", file=err)
    print(f"bare pandas pipeline:                  {t_bare:8.3f} s", file=err)
    print(f"ratio: {t_ev / t_bare:.2f}x (target <= 5x)", file=err)
    ratio = t_ev / t_bare
    return [
        row(f"classify {n:,} staff-months in {n_units:,} units + the year (roll-up, caps, quota)",
            f"{t_ev:.2f} s", f"bare pandas pipeline {t_bare:.2f} s", ratio, "≤ 5×",
            ratio <= 5.0),
    ]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
