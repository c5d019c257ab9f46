"""``scoring.unit_sets_in_force`` fills each unit without a set on its own (af217).

Its docstring: a unit nothing else gives a set gets "the set in force in its period ... else
the first set". It used to call the raising ``assign_rule_sets`` and, when any one period had
no set in force (a period before every preset), set *all* the units it filled to the first
set — a unit of March 2026 beside one of 1990 was graded under the first set given, not the
set in force in March 2026 (NĐ 335/2025/NĐ-CP for công chức). Each unit now gets its own.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from evalkit.rules import default_registry, for_period
from evalkit.scoring import unit_sets_in_force

REG = default_registry()
IN_FORCE = ["2026-03", "2026-09", "2027-01"]


def test_a_period_without_a_set_leaves_the_others_their_own() -> None:
    sets = [REG.get("vn.nd90-2020")]
    out = unit_sets_in_force(np.array([-1, -1, 0]), np.array(["2026-03", "1990-01", "2026-03"],
                                                             dtype=object), sets)  # fmt: skip
    # March 2026, công chức: the set in force then (for_period, as a person's row finds it)
    assert sets[out[0]].id == for_period("cong_chuc", "2026-03").id == "vn.nd335-2025"
    assert out[1] == 0  # none in force in 1990: the first set
    assert out[2] == 0  # a unit that has a set keeps it


@given(
    st.lists(st.sampled_from([*IN_FORCE, "1990-01", "not a period"]), min_size=1, max_size=6),
    st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_each_unit_is_filled_as_it_would_be_alone(periods: list[str], marked: list[bool]) -> None:
    n = len(periods)
    psu = np.array(marked[:n], dtype=bool)
    sets = [REG.get("vn.nd90-2020")]
    together = unit_sets_in_force(np.full(n, -1), np.array(periods, dtype=object), sets,
                                  marked=psu)  # fmt: skip
    for i, p in enumerate(periods):
        alone = [REG.get("vn.nd90-2020")]
        one = unit_sets_in_force(np.array([-1]), np.array([p], dtype=object), alone,
                                 marked=psu[i : i + 1])  # fmt: skip
        assert sets[together[i]].id == alone[one[0]].id
