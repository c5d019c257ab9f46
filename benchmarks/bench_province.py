"""A province's year end in one process: where the time and the memory go, as ratios.

Run: ``python benchmarks/bench_province.py`` (quick: 90,000 staff-months, 7,500 staff) or
``BENCH_FULL=1`` (900,000 staff-months: 75,000 staff over 12 months, domain brief §6);
``BENCH_N=...`` sets the staff-months directly. The data is ``bench_classify``'s.

Measured in the same run, on the same frames (CPU time of this process, best of runs):

* ``classify_frame`` of the 12 months together, and ``classify_year`` on its results;
* ``workflow.counted_periods`` (the annual sheets' periods: the engine's roll-up run
  once more, with a hook that keeps the quarters it classifies), as a share of
  ``classify_year``: what the repeated roll-up costs where no quarter is counted;
* growth: ``classify_year`` on a quarter of the staff against all of them (linear: 4×);
* the annual sheets' objects (``render.period_sheets_from_results``, no PDF drawn, for
  a tenth of the staff): CPU per person and the resident memory they add per person,
  the figure that decides whether a province's annual sheets fit a machine.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import FULL, best_of, row
from bench_classify import make_data

from evalkit import workflow
from evalkit.units import classify_frame, classify_year


def _rss_mb() -> float:
    """Resident memory of this process now (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")  # pragma: no cover - not Linux


def main() -> list[dict[str, Any]]:
    """Time the year end of a synthetic province; the table rows."""
    from evalkit.render import period_sheets_from_results

    n = int(os.environ.get("BENCH_N") or (900_000 if FULL else 90_000))
    sm, units = make_data(n)
    staff, unit_results = classify_frame(sm, units)
    t_cls = best_of(lambda: classify_frame(sm, units), 2)
    t_year = best_of(lambda: classify_year(staff, unit_results))
    t_counted = best_of(lambda: workflow.counted_periods(staff, unit_results))
    ids = staff["staff_id"].drop_duplicates()
    quarter = staff[staff["staff_id"].isin(set(ids.iloc[: len(ids) // 4]))]
    t_quarter = best_of(lambda: classify_year(quarter, unit_results))
    year = classify_year(staff, unit_results)
    tenth = set(ids.iloc[: len(ids) // 10])
    y10, m10 = year[year["staff_id"].isin(tenth)], staff[staff["staff_id"].isin(tenth)]
    before, t0 = _rss_mb(), time.process_time()
    sheets = period_sheets_from_results(y10, m10)
    t_sheets, grown = time.process_time() - t0, _rss_mb() - before
    people = len(sheets)
    err = sys.stderr
    print(f"staff-months {len(staff):,}, staff {len(ids):,}: classify_frame {t_cls:.2f} s, "
          f"classify_year {t_year:.2f} s, counted_periods {t_counted:.2f} s, "
          f"sheets of {people:,} {t_sheets:.2f} s (+{grown:.0f} MB)", file=err)  # fmt: skip
    share = t_counted / t_year
    growth = t_year / t_quarter
    return [
        row(f"counted_periods (the annual sheets' second roll-up), {len(staff):,} staff-months",
            f"{t_counted:.2f} s", f"classify_year {t_year:.2f} s", share,
            "≤ 1× classify_year", share <= 1.0),
        row(f"classify_year growth {len(quarter):,} → {len(staff):,} staff-months",
            f"{growth:.1f}× the time", "4× the rows", growth / 4, "≤ 1.5× linear",
            growth <= 6.0),
        row(f"annual sheets' objects of {people:,} people (no PDF), per person",
            f"{1000 * t_sheets / people:.2f} ms CPU, {1024 * grown / people:.0f} KB",
            f"classify_frame + classify_year {1000 * (t_cls + t_year) / len(ids):.3f} ms",
            t_sheets / (t_cls + t_year) * len(ids) / people, "—", True),
    ]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
