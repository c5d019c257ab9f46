"""A frame's rows as records: the one reading the engine's faces and the sheets share
(issue 13 point 6: one implementation of each helper, no private name taken across packages)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from evalkit import _tables

_texts = st.one_of(st.none(), st.sampled_from(["", " ", "HTT", "Loại A", "nan"]))
_floats = st.one_of(st.none(), st.just(float("nan")),
                    st.floats(allow_nan=False, allow_infinity=False, width=32))  # fmt: skip
_ints = st.one_of(st.none(), st.integers(-5, 5))


@given(st.lists(st.tuples(_texts, _floats, _ints, st.booleans()), max_size=6))
def test_records_are_the_rows_with_every_blank_as_none(rows: list[tuple[Any, ...]]) -> None:
    frame = pd.DataFrame({
        "text": pd.Series([r[0] for r in rows], dtype=object),
        "x": pd.Series([r[1] for r in rows], dtype="float64"),
        "n": pd.Series([r[2] for r in rows], dtype="Int64"),
        7: pd.Series([r[3] for r in rows], dtype=bool),
        "day": pd.Series([pd.NaT if r[2] is None else pd.Timestamp(2026, 1, 1) for r in rows],
                         dtype="datetime64[ns]"),
    })  # fmt: skip
    got = _tables.records(frame)
    assert len(got) == len(rows)
    for rec, (text, x, n, flag) in zip(got, rows, strict=True):
        assert list(rec) == ["text", "x", "n", "7", "day"]  # column names as text
        assert rec["text"] == text  # "" and " " are text, not blanks: only a missing cell is
        assert rec["x"] is None if x is None or np.isnan(x) else rec["x"] == x
        assert rec["n"] is None if n is None else rec["n"] == n
        assert rec["7"] == flag
        assert (rec["day"] is None) == (n is None)


def test_the_engine_and_the_sheets_read_rows_with_the_one_helper() -> None:
    import evalkit.render._frames as frames
    from evalkit import units

    assert units._records is _tables.records
    assert not hasattr(frames, "_records")  # render calls _tables.records itself
