"""scoring.recorded_rule_sets: the sets a results frame's ``rule_set`` column records, read
as every door reads an id, never raising (the year's carried codes fall back to the named
set where a row records none)."""

from __future__ import annotations

import attrs
import numpy as np
import pandas as pd
import pytest

import evalkit.rules
from evalkit.scoring import recorded_rule_sets


@pytest.mark.parametrize("dtype", [object, "string", "category"])
def test_each_row_gets_the_set_its_cell_names_and_minus_one_for_none(dtype: object) -> None:
    """A blank, an unknown id and a missing file are -1; an id is read as every door reads
    it (spaces around it dropped); the registry and ``known`` are both looked in."""
    custom = attrs.evolve(evalkit.rules.get("vn.nd335-2025"), id="agency.x")
    frame = pd.DataFrame({"rule_set": pd.Series(
        ["vn.nd335-2025", None, "no.such-set", " vn.nd233-2026 ", "agency.x", "missing.toml"],
        dtype=dtype)})  # fmt: skip
    codes, sets = recorded_rule_sets(frame, {"agency.x": custom})
    ids = [sets[c].id if c >= 0 else None for c in codes.tolist()]
    assert ids == ["vn.nd335-2025", None, None, "vn.nd233-2026", "agency.x", None]
    assert sets[int(codes[4])] is custom


def test_a_frame_of_no_rows_records_no_set() -> None:
    """No rows: no codes, no sets, no error."""
    codes, sets = recorded_rule_sets(pd.DataFrame({"rule_set": pd.Series([], dtype=object)}))
    assert (codes.tolist(), sets) == ([], [])
    assert codes.dtype == np.int64
