"""A carried quarter's reasons are the same in every process (found by af245).

``disqualifier.discipline`` and ``disqualifier.degradation`` share one place in the
catalogue; ``scoring.carried_reasons`` deduplicated a cell's codes through a ``set``, so the
two came out in either order depending on the process's hash seed (main against main differed
on 7 of 222 random roll-ups). The result must not depend on ``PYTHONHASHSEED``."""

from __future__ import annotations

import os
import subprocess
import sys

from evalkit.reasons import catalogue_order

_SCRIPT = """
import numpy as np, pandas as pd
from evalkit.scoring import carried_reasons
cells = ["disqualifier.discipline;disqualifier.degradation",
         "disqualifier.degradation;disqualifier.discipline", "band", ""]
got = carried_reasons(pd.Categorical(cells), np.ones(len(cells)))
print("|".join(str(c) for c in np.asarray(got, dtype=object)))
"""


def _run(seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    return subprocess.run([sys.executable, "-c", _SCRIPT], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def test_the_two_codes_share_a_place_in_the_catalogue() -> None:
    # the premise: a sort by catalogue place alone leaves their order to the input
    assert catalogue_order("disqualifier.discipline") == catalogue_order(
        "disqualifier.degradation")


def test_carried_reasons_do_not_depend_on_the_hash_seed() -> None:
    outs = {_run(seed) for seed in range(12)}
    assert len(outs) == 1, outs
    cells = outs.pop().split("|")
    # each cell keeps its own order of the tied codes, with the carried month added
    assert cells[0].endswith("disqualifier.discipline;disqualifier.degradation")
    assert cells[1].endswith("disqualifier.degradation;disqualifier.discipline")
    assert all("rollup.period_carried" in c for c in cells)
