"""The staff-id check's fast paths agree with the plain definition (one row per person and
period): sorted Arrow text, unsorted text, object ids, and the reports they lead to."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
from evalkit.scoring import _distinct_ids

_IDS = st.lists(st.sampled_from(["A", "B", "C", "CC-01", "CC-1", "b", "Z9", "ă"]), max_size=8)
_DTYPES = ["str", "string[pyarrow]", "string[python]", object]


@given(ids=_IDS, ordered=st.booleans(), dtype=st.sampled_from(_DTYPES))
def test_distinct_ids_is_no_value_twice(ids: list[str], ordered: bool, dtype: object) -> None:
    pytest.importorskip("pyarrow")
    col = pd.Series(sorted(ids) if ordered else ids, dtype=dtype)  # type: ignore[call-overload]
    assert _distinct_ids(col) == (len(set(ids)) == len(ids))


@given(ids=st.lists(st.sampled_from(["A", "B", "C", "D"]), min_size=2, max_size=6),
       ordered=st.booleans())
def test_score_frame_refuses_a_person_twice_in_a_month_sorted_or_not(
    ids: list[str], ordered: bool
) -> None:
    ids = sorted(ids) if ordered else ids
    frame = pd.DataFrame({"staff_id": pd.Series(ids, dtype="str"), "period": "2026-03",
                          "category": "cong_chuc"})  # fmt: skip
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if not twice:
        return  # no duplicate drawn: other problems (no scores) are not this test's
    with pytest.raises(evalkit.InputError) as info:
        evalkit.score_frame(frame)
    reported = {p.staff_id for p in info.value.problems if p.column == "staff_id"}
    assert reported == set(twice)
