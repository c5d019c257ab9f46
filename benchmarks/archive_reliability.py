"""The archive's reliability figures for docs/reliability.md (issue 16).

Run: ``python benchmarks/archive_reliability.py`` (40 kill -9 trials, 20 concurrency
rounds of three processes, every tampering attempt with ``recursive_triggers`` off and
on); ``KILLS=… ROUNDS=…`` change the counts. Prints three Markdown tables. The harness is
``tests/archive_attacks.py``; ``tests/test_archive_reliability.py`` runs it in bounded
time in the test suite.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.archive_attacks import (  # noqa: E402
    concurrency_rounds,
    finalize_time,
    kill_trials,
    summary,
    tamper_outcomes,
)


def main() -> int:
    """Measure and print the three tables; exit 1 if any figure is a failure."""
    kills = int(os.environ.get("KILLS", "40"))
    rounds_n = int(os.environ.get("ROUNDS", "20"))
    failed = False
    with tempfile.TemporaryDirectory(prefix="evalkit-reliability-") as tmp_name:
        tmp = Path(tmp_name)
        t = time.perf_counter()
        total, writing = finalize_time(tmp, 3000)
        trials = kill_trials(tmp, kills, timing=(total, writing))
        states = Counter((k.when, k.state) for k in trials)
        ok = sum(k.verified for k in trials)
        print(f"\n### kill -9 during finalize ({time.perf_counter() - t:.0f} s; one finalize "
              f"of 3,000 people {total:.2f} s, its writing {writing:.2f} s)\n")
        print("| killed | trials | left as before | left as after | verified |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for when, label in (("any", "at a random moment of finalize"),
                            ("writing", "after its first rows were written")):
            n = sum(1 for k in trials if k.when == when)
            print(f"| {label} | {n} | {states[(when, 'before')]} | {states[(when, 'after')]} | "
                  f"{sum(k.verified for k in trials if k.when == when)} |")
        failed |= ok != len(trials)
        t = time.perf_counter()
        rounds = concurrency_rounds(tmp, rounds_n)
        print(f"\n### processes writing at once ({time.perf_counter() - t:.0f} s)\n")
        print("| rounds | processes per round | months finalized | amendments | lost | "
              "verified |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
        print(f"| {len(rounds)} | {rounds[0].writers} | {sum(r.months - 1 for r in rounds)} | "
              f"{sum(r.amendments for r in rounds)} | {sum(r.lost for r in rounds)} | "
              f"{sum(r.verified for r in rounds)} |")
        failed |= any(r.lost or not r.verified for r in rounds)
        t = time.perf_counter()
        outcomes = list(tamper_outcomes(tmp))
        rows = summary(outcomes)
        print(f"\n### tampering ({time.perf_counter() - t:.0f} s)\n")
        print("| statements | tried | refused (file unchanged) | detected on the next read | "
              "neither |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for r in rows:
            print(f"| {r['family']} | {r['tried']} | {r['refused']} | {r['detected']} | "
                  f"{r['neither']} |")
        total = {k: sum(r[k] for r in rows) for k in ("tried", "refused", "detected", "neither")}
        print(f"| **all** | {total['tried']} | {total['refused']} | {total['detected']} | "
              f"{total['neither']} |")
        failed |= total["neither"] > 0
        for o in outcomes:
            if not o.ok:
                print(f"NOT NOTICED: {o.attack.name} (recursive_triggers "
                      f"{'on' if o.recursive_triggers else 'off'})", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
