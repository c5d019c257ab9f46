"""The results' ``category`` column (:func:`evalkit._kernels.category_names`): pandas text
whose every value is already a category code is returned as the column itself (the fast
path); it must read exactly as the general path reads the same values as Python objects."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from evalkit import _kernels

#: Codes as typed, Vietnamese names, other case, unknown text, blanks.
_VALUES = st.sampled_from(["cong_chuc", "vien_chuc", "Công chức", "CÔNG CHỨC", "xyz", "", None])


@settings(deadline=None)
@given(values=st.lists(_VALUES, max_size=10), dtype=st.sampled_from(["str", "string[pyarrow]",
                                                                      "string[python]"]))
def test_category_names_of_text_read_as_the_objects_path(values: list[str | None],
                                                         dtype: str) -> None:
    """By hand: a code stays itself, a Vietnamese name becomes its code, any other text
    stays as typed, a blank stays blank — in the column's own dtype."""
    col = pd.Series(values, dtype=dtype)
    fast = _kernels.category_names(col)
    slow = _kernels.category_names(col.astype(object).where(col.notna(), None))
    by_hand = {"Công chức": "cong_chuc", "CÔNG CHỨC": "cong_chuc"}
    assert fast.dtype == col.dtype
    assert [None if pd.isna(v) else v for v in fast] == list(slow) == [
        None if v is None else by_hand.get(v, v) for v in values]
