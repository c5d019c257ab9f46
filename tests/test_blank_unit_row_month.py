"""A blank unit id in a month's units frame is one problem at its row, never a crash.

Before the fix a blank id (factorised as -1) keyed the same row as a parentless unit's
missing parent, so every root unit took the blank row as its parent, a false cycle formed and
naming it raised ``TypeError`` (the blank id is no ``str``)."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit import InputError, classify_frame


@pytest.mark.parametrize("blank", [None, float("nan"), "", "  "])
@pytest.mark.parametrize("parents", [False, True])
@pytest.mark.parametrize("periods", [["2026-03"], ["2026-03", "2026-04"]])
def test_a_blank_unit_id_is_said_at_its_row(blank: object, parents: bool,
                                            periods: list[str]) -> None:
    staff = pd.DataFrame({"staff_id": [f"A{i}" for i in range(len(periods))],
                          "unit_id": "U", "period": periods})
    units = pd.DataFrame({"unit_id": ["U", blank, "V"], "tasks_assigned": [5, 5, 5],
                          "tasks_done": [3, 3, 9]}, index=[4, 5, 6])  # V: done > assigned
    if parents:
        units["parent_id"] = [None, "U", "U"]
    with pytest.raises(InputError) as info:
        classify_frame(staff, units, "hanoi.3814-2018")
    got = [(p.row, p.column) for p in info.value.problems]
    assert (5, "unit_id") in got  # the blank row, at its label
    assert any(p.row == 6 for p in info.value.problems)  # and the other problem beside it
    assert not any("cycle" in p.message for p in info.value.problems)
    assert [p.message for p in info.value.problems if p.row == 5] == ["unit id is blank"]
