"""An Arrow-backed column is factorised once while its data lives (evalkit._columns.factorize):
the month and then the year read the staff ids of the same data. The kept codes must never
be stale, never be written through, and never keep the data alive."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalkit import _columns

pytest.importorskip("pyarrow")

TEXT = st.lists(st.one_of(st.none(), st.sampled_from(["S1", "S2", " S1", "s1", "", "Ánh"])),
                max_size=30)


@given(TEXT, st.sampled_from(["str", "string[pyarrow]"]), st.booleans())
def test_a_kept_factorisation_is_pandas_own(values: list[str | None], dtype: str,
                                            sentinel: bool) -> None:
    col = pd.Series(values, dtype=dtype)
    want_codes, want_uniq = pd.factorize(col, use_na_sentinel=sentinel)
    for _ in range(2):  # the second call is the kept one
        codes, uniq = _columns.factorize(col, use_na_sentinel=sentinel)
        assert codes.tolist() == want_codes.tolist()
        assert list(uniq) == list(want_uniq)


def test_the_codes_a_caller_writes_to_are_its_own() -> None:
    col = pd.Series(["a", "b", "a"], dtype="str")
    codes, _ = _columns.factorize(col)
    codes[:] = 7
    assert _columns.factorize(col)[0].tolist() == [0, 1, 0]


def test_a_column_set_anew_is_factorised_anew() -> None:
    frame = pd.DataFrame({"staff_id": pd.Series(["a", "b", "a"], dtype="str")})
    assert _columns.factorize(frame["staff_id"])[0].tolist() == [0, 1, 0]
    frame.loc[0, "staff_id"] = "b"  # new Arrow data behind the column
    codes, uniq = _columns.factorize(frame["staff_id"])
    assert codes.tolist() == [0, 0, 1] and list(uniq) == ["b", "a"]
    frame["staff_id"] = pd.Series(["c", "a", "c"], dtype="str")
    codes, uniq = _columns.factorize(frame["staff_id"])
    assert codes.tolist() == [0, 1, 0] and list(uniq) == ["c", "a"]


def test_the_kept_codes_go_with_the_data() -> None:
    gc.collect()
    before = len(_columns._FACTORIZED)
    col = pd.Series([f"S{i}" for i in range(1000)], dtype="str")
    _columns.factorize(col)
    assert len(_columns._FACTORIZED) == before + 1
    del col
    gc.collect()
    assert len(_columns._FACTORIZED) == before


def test_numpy_and_object_columns_are_not_kept() -> None:
    before = len(_columns._FACTORIZED)
    _columns.factorize(pd.Series(["a", "b"], dtype=object))
    _columns.factorize(np.array(["a", "b"], dtype=object))
    assert len(_columns._FACTORIZED) == before


def test_an_unhashable_cell_is_still_refused_with_its_row() -> None:
    from evalkit.errors import InputError

    with pytest.raises(InputError, match="row"):
        _columns.factorize(pd.Series([["a"], "b"], dtype=object, name="staff_id"))


@given(TEXT, st.sampled_from(["str", "string[pyarrow]"]))
def test_kept_staff_codes_are_the_columns_own(values: list[str | None], dtype: str) -> None:
    col = pd.Series(values, dtype=dtype)
    want = _columns._text_codes(col)
    for _ in range(2):  # the second call is the kept one
        codes, text, blank = _columns.staff_codes(col)
        assert codes.tolist() == want[0].tolist() and list(text) == list(want[1])
        assert blank.tolist() == want[2].tolist()
        assert blank.tolist() == [v is None or not v.strip() for v in values]
        codes[:] = -7  # a caller's own copy
        blank[:] = True
