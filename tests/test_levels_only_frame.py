"""A frame that carries only the levels' scores (``self__<id>``, ``manager__<id>``,
``competent__<id>``: the workbook's own columns) counts the last level's score, cell by
cell, as the workbook does (domain brief §3) — never "not evaluated" without a word
(audit 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit

RS = evalkit.rules.get("vn.nd335-2025")
IDS = list(RS.full_marks())
LEVELS = ("self__", "manager__", "competent__")


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_the_levels_alone_score_as_their_last_level(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 4))
    rows, counting = [], []
    for i in range(n):
        row: dict[str, object] = {"staff_id": f"S{i}", "unit_id": "U", "period": "2026-03",
                                  "category": "cong_chuc"}
        expect: dict[str, float] = {}
        for cid in IDS:
            top = RS.maximum(cid)
            given_at = data.draw(st.lists(st.booleans(), min_size=3, max_size=3).filter(any))
            for lvl, on in zip(LEVELS, given_at, strict=True):
                value = float(data.draw(st.integers(0, int(top))))
                row[lvl + cid] = value if on else None
                if on:
                    expect[cid] = value  # the later level wins
        rows.append(row)
        counting.append({k: v for k, v in row.items() if "__" not in k} | expect)
    levels = pd.DataFrame(rows)
    typed = pd.DataFrame(counting)
    ours = evalkit.score_frame(levels, "vn.nd335-2025")
    want = evalkit.score_frame(typed, "vn.nd335-2025")
    assert np.allclose(ours["total"].to_numpy(float), want["total"].to_numpy(float))
    assert ours["grade"].astype(str).tolist() == want["grade"].astype(str).tolist()
    units = pd.DataFrame({"unit_id": ["U"]})
    c1, _ = evalkit.classify_frame(levels, units, "vn.nd335-2025")
    c2, _ = evalkit.classify_frame(typed, units, "vn.nd335-2025")
    assert np.allclose(c1["total"].to_numpy(float), c2["total"].to_numpy(float))
    assert c1["grade"].astype(str).tolist() == c2["grade"].astype(str).tolist()


def test_a_typed_counting_column_is_kept() -> None:
    """Where the frame gives the counting column, it is what counts (the levels are each
    level's own totals for the sheet)."""
    row = {"staff_id": "A", "period": "2026-03", **RS.full_marks(),
           **{f"self__{k}": 0.0 for k in RS.full_marks()}}
    out = evalkit.score_frame(pd.DataFrame([row]), "vn.nd335-2025")
    assert out["total"].iloc[0] == 100.0 and out["self_total"].iloc[0] == 0.0
