"""score_frame on N staff-months vs a bare pandas weighted sum + np.select banding.

Run: ``python benchmarks/bench_score.py`` (quick, 200,000 rows) or with ``BENCH_FULL=1``
(1,000,000 rows). Both are measured in the same run on the same frame; the ratio is
what counts on these noisy 2-core machines. Also checks growth: 10× the rows must cost
≤ 12× the time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import FULL, best_of_pair, row

import evalkit

RULES = evalkit.rules.get("vn.nd335-2025")
GENERAL = [c.id for c in RULES.group("general").criteria]
TASKS = ["so_luong", "chat_luong", "tien_do"]
MGR = [c.id for c in RULES.criteria() if c.management]


def make_frame(n: int, seed: int = 7) -> pd.DataFrame:
    """A realistic staff-month frame for NĐ 335/2025 (10 % managers, a few flags)."""
    rng = np.random.default_rng(seed)
    data: dict[str, Any] = {
        "staff_id": pd.array([f"S{i:07d}" for i in range(n)], dtype="string"),
        "period": pd.Categorical(["2026-03"] * n),
        "category": pd.Categorical(["cong_chuc"] * n),
        "manages_others": rng.random(n) < 0.1,
        "is_head": rng.random(n) < 0.05,
    }
    for c in RULES.group("general").criteria:
        data[c.id] = np.round(rng.uniform(0.4, 1.0, n) * c.maximum * 2) / 2  # 0.5 steps
    for c in TASKS:
        data[c] = np.round(rng.uniform(50, 100, n), 0)
    # d, đ, e: 100 % or 50 %, for the leaders only (refused for anyone else): those marked
    # and the heads (a head holds a management post, NĐ 335/2025/NĐ-CP Điều 15)
    lead = data["manages_others"] | data["is_head"]
    for c in MGR:
        data[c] = np.where(lead, rng.choice([50.0, 100.0], n), np.nan)
    data["loi_chat_luong"] = rng.poisson(0.1, n).astype(float)
    data["cham_tien_do"] = rng.poisson(0.1, n).astype(float)
    data["discipline"] = (rng.random(n) < 0.002).astype(np.int8)
    data["degradation"] = rng.random(n) < 0.001
    return pd.DataFrame(data)


def _half_up(x: np.ndarray) -> np.ndarray:
    return np.floor(x * 100 + 0.5 + 1e-6) / 100


def bare(df: pd.DataFrame) -> pd.Series:
    """The same answer in plain numpy, for this frame: general sum; quality and timeliness
    less 25 points per error or delay (floor 0); (a+b+c)/3 × 70 %, leaders
    (a+b+c+d+đ+e)/6 × 70 %; half-up to the cent; bands 90/70/50; degradation, a reprimand
    or heavier, or (for a leader) corruption → KHT."""
    general = _half_up(np.minimum(df[GENERAL].to_numpy().sum(axis=1), 30.0))
    a = df["so_luong"].to_numpy()
    b = np.maximum(0.0, df["chat_luong"].to_numpy() - 25.0 * df["loi_chat_luong"].to_numpy())
    c = np.maximum(0.0, df["tien_do"].to_numpy() - 25.0 * df["cham_tien_do"].to_numpy())
    leader = df["manages_others"].to_numpy() | df["is_head"].to_numpy()  # heads lead too
    staff_tasks = (a + b + c) / 3 * 0.7
    lead_tasks = (a + b + c + df[MGR].to_numpy().sum(axis=1)) / 6 * 0.7
    tasks = _half_up(np.where(leader, lead_tasks, staff_tasks))
    total = _half_up(np.clip(general + tasks, 0, 100))
    grade = np.select([total >= 90, total >= 70, total >= 50], [3, 2, 1], 0)
    head = df["is_head"].to_numpy()
    out = (df["degradation"].to_numpy() | (df["discipline"].to_numpy() >= 1)
           | ((head | leader) & df.get("corruption_in_unit", pd.Series(False, index=df.index))
              .to_numpy(dtype=bool)))  # fmt: skip
    grade = np.where(out, 0, grade)
    return pd.Series(np.array(["KHT", "HT", "HTT", "HTXS"], dtype=object)[grade], index=df.index)


def measure(n: int, shuffled: bool = False) -> tuple[float, float]:
    df = make_frame(n)
    if shuffled:  # ids in no order: the staff-id check sorts every id's key
        df = df.sample(frac=1, random_state=3).reset_index(drop=True)
    rules = evalkit.rules.get("vn.nd335-2025")
    same = evalkit.score_frame(df, rules)["grade"].astype(str).to_numpy() == bare(df).to_numpy()
    if not same.all():  # the baseline must compute the same answer to be a fair one
        print(f"warning: {int((~same).sum())} grades differ from the baseline", file=sys.stderr)
    return best_of_pair(lambda: evalkit.score_frame(df, rules), lambda: bare(df), repeat=7)


def main() -> list[dict[str, Any]]:
    n = 1_000_000 if FULL else 200_000
    ours, base = measure(n)
    small_ours, _ = measure(n // 10)
    growth = ours / small_ours
    mixed, mixed_base = measure(n, shuffled=True)
    rows = [
        row(f"score_frame, {n:,} staff-months", f"{ours * 1000:.0f} ms",
            f"{base * 1000:.0f} ms", ours / base, "≤ 2×", ours / base <= 2.0),
        row(f"score_frame growth {n // 10:,} → {n:,}", f"{growth:.1f}× time", "10× rows",
            growth, "≤ 12×", growth <= 12.0),
        row(f"score_frame, {n:,} staff-months, rows shuffled", f"{mixed * 1000:.0f} ms",
            f"{mixed_base * 1000:.0f} ms", mixed / mixed_base, "≤ 2×",
            mixed / mixed_base <= 2.0),
    ]  # fmt: skip
    return rows


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
