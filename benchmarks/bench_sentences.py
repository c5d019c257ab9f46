"""Benchmark: the reasons in words of a year's results table (what ``evalkit annual --out
y.csv`` and ``classify --out r.csv`` add beside the codes: ``reasons_vi``).

:func:`evalkit.reasons.with_sentences` explains each distinct (rule set, codes, parameters)
once; a year's rows mostly differ by their total, so it builds about one list of sentences
per person. It is measured against the ``to_csv`` of the same table, the write it goes
with in the command — not a second way to the same answer, so there is no target: the
ratio says what the sentences add to writing the file.

Run: ``python benchmarks/bench_sentences.py`` (a year of 100,000 staff-months: ~8,300
people) or ``BENCH_FULL=1`` (900,000 staff-months: 75,000 people, a province's year).
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cold
from bench_classify import evalkit_pipeline, make_data

from evalkit.reasons import with_sentences


def _best(fn: Any, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        cold()
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def main() -> list[dict[str, Any]]:
    n = int(os.environ.get("BENCH_N") or (900_000 if os.environ.get("BENCH_FULL") else 100_000))
    year = evalkit_pipeline(*make_data(n))
    words = with_sentences(year, langs=("vi",))["reasons_vi"]
    assert words.str.contains("Điều 21", regex=False).all()  # every year says its average
    ours = _best(lambda: with_sentences(year, langs=("vi",)))
    csv = _best(lambda: year.to_csv(io.StringIO(), index=False))
    return [{
        "figure": f"reasons in words (reasons_vi) for a year of {len(year):,} staff "
                  "(`--out` tables), CPU",
        "evalkit": f"{ours:.2f} s",
        "baseline": f"to_csv of the same table {csv:.2f} s (the write it goes with)",
        "ratio": round(ours / csv, 2),
        "target": "—",
        "met": "—",
    }]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
