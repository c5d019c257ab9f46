"""The long fuzz run (issue 16 item 5): ``python -m tests.fuzz [FAMILY ...] [-n N]``.

Each family mutates one kind of input and sorts every mutant into a located error, a
refusal by a later check, an accepted input, or a failure (a traceback, an error that names
no place). The run prints a Markdown table for docs/reliability.md and exits 1 when any
mutant failed, printing the first failures with the mutation that caused them.

A family is a function ``run(n, seed) -> list[Tally]`` (see
``tests/_fuzz_rule_files.py``, and ``tests/_fuzz_inputs.py`` for the workbook, CSV, task
table and results JSON, whose tallies also count the accepted mutants that gave the clean
input's result); to add one, add its ``module:function`` to
:data:`FAMILIES`. ``make fuzz`` runs every family with ``FUZZ_N`` mutants each (10,000 by
default).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import pandas as pd
from hypothesis import strategies as st

T = TypeVar("T")


class HypothesisChooser:
    """The fuzz families' chooser (``choice``, ``randint``) drawing from Hypothesis, so a
    failing mutant shrinks; ``make fuzz`` uses :class:`random.Random` instead."""

    def __init__(self, data: st.DataObject):
        self.data = data

    def choice(self, seq: Sequence[T]) -> T:
        return self.data.draw(st.sampled_from(list(seq)))

    def randint(self, a: int, b: int) -> int:
        return self.data.draw(st.integers(a, b))

#: family name → "module:function" of its runner, imported only when the family runs.
FAMILIES: dict[str, str] = {
    "rule_files": "tests._fuzz_rule_files:run",
    "workbook": "tests._fuzz_inputs:run_workbook",
    "csv": "tests._fuzz_inputs:run_csv",
    "tasks": "tests._fuzz_inputs:run_tasks",
    "results_json": "tests._fuzz_inputs:run_results_json",
    "frames": "tests._fuzz_frames:run",
}


def _runner(family: str) -> Callable[..., Sequence[Any]]:
    module, _, func = FAMILIES[family].partition(":")
    fn: Callable[..., Sequence[Any]] = getattr(importlib.import_module(module), func)
    return fn


def table(rows: Sequence[Any]) -> str:
    """The Markdown summary: family, tried, located errors, refused, accepted, failures.

    A family that knows which accepted mutants gave the clean input's result (a tally with
    an ``identical`` count) shows it beside the accepted count.
    """
    out = ["| family | tried | located errors | refused by a later check | accepted | "
           "failures |", "| --- | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for t in rows:
        c = t.counts
        same = getattr(t, "identical", None)
        accepted = f"{c['accepted']:,}" + (f" ({same:,} identical)" if same is not None else "")
        out.append(f"| {t.family} | {t.tried:,} | {c['located']:,} | {c['refused']:,} | "
                   f"{accepted} | {c['failure']:,} |")  # fmt: skip
    if len(rows) > 1:
        tot = {k: sum(t.counts[k] for t in rows) for k in rows[0].counts}
        out.append(f"| **all** | {sum(tot.values()):,} | {tot['located']:,} | "
                   f"{tot['refused']:,} | {tot['accepted']:,} | {tot['failure']:,} |")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen families; print the table; exit 1 if a mutant failed."""
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("families", nargs="*", metavar="FAMILY",
                        help=f"one of {', '.join(FAMILIES)} (default: all)")  # fmt: skip
    parser.add_argument("-n", type=int, default=10_000, help="mutants per family")
    parser.add_argument("--seed", type=int, default=0, help="the first random seed")
    args = parser.parse_args(argv)
    unknown = [f for f in args.families if f not in FAMILIES]
    if unknown:
        parser.error(f"unknown family {', '.join(unknown)}; known: {', '.join(FAMILIES)}")
    rows: list[Any] = []
    # NumPy's and pandas' warnings caused by evalkit are failures, as in the suite (pyproject's
    # filterwarnings): a caller running with -W error never gets one (af248)
    warnings.filterwarnings("error", category=RuntimeWarning, module="evalkit.*")
    warnings.filterwarnings("error", category=pd.errors.PerformanceWarning)
    for family in args.families or list(FAMILIES):
        start = time.perf_counter()
        step = max(1, args.n // 10)

        def progress(i: int, family: str = family, start: float = start,
                     step: int = step) -> None:
            if i % step == 0 or i == args.n:
                print(f"  {family}: {i:,}/{args.n:,} in {time.perf_counter() - start:.0f} s",
                      file=sys.stderr, flush=True)  # fmt: skip

        rows += _runner(family)(args.n, args.seed, progress=progress)
    print(table(rows))
    failures = [(t.family, case, outcome) for t in rows for case, outcome in t.failures]
    for family, case, outcome in failures[:10]:
        print(f"\nFAILURE ({family}) {case.preset}: {case.mutation}\n{outcome.detail}",
              file=sys.stderr)  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
