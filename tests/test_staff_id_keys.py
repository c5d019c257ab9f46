"""The staff-id check through packed keys (:func:`evalkit._columns.text_keys`): a frame is
refused exactly when an id is blank or a (staff_id, period) pair comes twice, in every
text dtype, whatever the ids' lengths and characters, and whether the keys are exact,
hashed, or (forced here) all colliding."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
from evalkit import _columns
from evalkit._ids import CONTROL_ID
from evalkit.scoring import _blank_ids, _distinct_ids, checked_rule_sets

pytest.importorskip("pyarrow")

_DTYPES = ["str", "string[pyarrow]", "string[python]", object, "category"]
_SPACES = [" ", "\t", "\n", "\u00a0", "\u3000"]
# ids of one pattern (8 bytes: one exact word), short and long ones, a NUL, Vietnamese
# letters, texts longer than a key packs
_ID = st.one_of(
    st.integers(0, 40).map(lambda i: f"S{i:07d}"),
    st.text(alphabet="ABab01 -ăđ\x00", min_size=1, max_size=10),
    st.text(alphabet="xy", min_size=15, max_size=40),
    st.sampled_from(["", *_SPACES, "  ", " A", "A "]),
)
_ROWS = st.lists(_ID, min_size=1, max_size=30)


def _blank(x: str) -> bool:
    return x.strip() == ""


def _expected(ids: list[str], periods: list[str]) -> tuple[set[str], bool, bool]:
    """The ids some (id, period) pair of which comes twice, whether a blank id is there and
    whether an id holds a control character: the plain definition, in Python (ids
    compared trimmed, as every door compares them: ' A' and 'A ' are 'A'; NUL is a control
    character left inside an id, a tab or a line break around it is trimmed)."""
    pairs = [(i.strip(), p) for i, p in zip(ids, periods, strict=True) if not _blank(i)]
    twice = {i for i, p in pairs if pairs.count((i, p)) > 1}  # named stripped
    control = any(re.search(r"[\x00-\x1f]", i) for i, _p in pairs)
    return twice, any(_blank(i) for i in ids), control


def _refusals(frame: pd.DataFrame) -> tuple[set[str], bool, bool] | None:
    try:
        checked_rule_sets(frame)
    except evalkit.InputError as exc:
        mine = [p for p in exc.problems if p.column == "staff_id"]
        twice = [p for p in mine if "appears" in p.message or "units" in p.message]
        return ({str(p.staff_id) for p in twice if p.staff_id is not None},
                any(p.message == "blank staff id" for p in mine),
                any(p.message == CONTROL_ID for p in mine))  # fmt: skip
    return None


def _frame(ids: list[str], periods: list[str], dtype: Any) -> pd.DataFrame:
    return pd.DataFrame({"staff_id": pd.Series(ids, dtype=dtype), "period": periods,
                         "category": "cong_chuc"})  # fmt: skip


@given(ids=_ROWS, copies=st.lists(st.tuples(st.integers(0, 29), st.integers(0, 30)),
                                  max_size=3),
       ordered=st.booleans(), two_months=st.booleans(), dtype=st.sampled_from(_DTYPES))
def test_refused_exactly_when_a_person_comes_twice_in_a_period(
    ids: list[str], copies: list[tuple[int, int]], ordered: bool, two_months: bool,
    dtype: Any,
) -> None:
    for src, at in copies:  # inject duplicates at random places
        ids.insert(min(at, len(ids)), ids[src % len(ids)])
    if ordered:
        ids = sorted(ids)
    periods = [("2026-03", "2026-04")[k % 2] if two_months else "2026-03"
               for k in range(len(ids))]  # fmt: skip
    want = _expected(ids, periods)
    got = _refusals(_frame(ids, periods, dtype))
    if not any(want):
        assert got is None
    else:
        assert got == want


@given(ids=st.lists(_ID, min_size=2, max_size=30), dtype=st.sampled_from(_DTYPES[:4]))
def test_distinct_and_blank_agree_with_their_definitions(ids: list[str], dtype: Any) -> None:
    col = pd.Series(ids, dtype=dtype)
    text = _columns.arrow_text(col)
    assert _distinct_ids(col, text) == (len(set(ids)) == len(ids))
    if dtype is not object:
        assert _blank_ids(col, text) == any(_blank(i) for i in ids)


@given(ids=st.lists(_ID, min_size=2, max_size=30))
def test_keys_are_equal_exactly_for_equal_ids_when_exact(ids: list[str]) -> None:
    text = _columns.arrow_text(pd.Series(ids, dtype="string[pyarrow]"))
    assert text is not None
    keys = _columns.text_keys(*text)
    if any(len(i.encode()) > _columns.KEY_BYTES for i in ids):
        assert keys is None
        return
    assert keys is not None
    key, exact = keys
    for a in range(len(ids)):
        for b in range(len(ids)):
            if ids[a] == ids[b]:
                assert key[a] == key[b]
            elif exact:
                assert key[a] != key[b]
                # exact keys keep the texts' (UTF-8 byte) order
                assert (key[a] < key[b]) == (ids[a].encode() < ids[b].encode())


@given(ids=st.lists(_ID, min_size=2, max_size=30),
       dtype=st.sampled_from(["str", "string[pyarrow]"]))
def test_colliding_hashes_never_refuse_distinct_ids(ids: list[str], dtype: Any) -> None:
    col = pd.Series(ids, dtype=dtype)
    with pytest.MonkeyPatch.context() as mp:  # every key the same, not exact: texts decide
        mp.setattr(_columns, "text_keys",
                   lambda off, data: (np.zeros(off.size - 1, np.uint64), False))
        assert _distinct_ids(col) == (len(set(ids)) == len(ids))


def test_a_month_of_shuffled_ids_with_one_copy_is_refused_naming_both_rows() -> None:
    rng = np.random.default_rng(5)
    ids = [f"S{i:07d}" for i in rng.permutation(5000)]
    ids[4321] = ids[17]  # one person twice, far apart
    frame = _frame(ids, ["2026-03"] * len(ids), "string[pyarrow]")
    with pytest.raises(evalkit.InputError) as info:
        checked_rule_sets(frame)
    (problem,) = [p for p in info.value.problems if p.column == "staff_id"]
    assert problem.staff_id == ids[17]
    assert "appears 2 times" in str(problem.message)
    assert "rows 17, 4321" in str(problem.message)  # the index labels
    assert problem.row == 4321
