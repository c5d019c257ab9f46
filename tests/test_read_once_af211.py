"""The bulk path's checks read each distinct value once (af211: ``score_frame`` back to its
speed before the named set's category check): a categorical's own codes and categories,
rows looked up only for a value refused. Each is held here to the cell-by-cell reading it
replaced, on random columns of every dtype a door meets (``object``, ``str``,
``string[pyarrow]``, ``category``) with blanks, NaN, spaces and control characters."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
from evalkit import _columns, _ids, _kernels
from evalkit.errors import InputError
from evalkit.model import StaffCategory

RS = evalkit.rules.get("vn.nd335-2025")
_DTYPES = st.sampled_from([object, "str", "string[pyarrow]", "category"])
#: Codes, Vietnamese names in other cases, no category, blanks, control characters.
_CATEGORIES = st.sampled_from(["cong_chuc", "Công chức", "CÔNG CHỨC", "vien_chuc", "Hợp đồng",
                               "giao_vien", "xyz", "", "  ", "\t", "cong_chuc\x00", "x\x85",
                               None, np.nan])  # fmt: skip


def _column(values: list[Any], dtype: Any) -> pd.Series:
    return pd.Series(values, dtype=object).astype(dtype)


def _cells(col: pd.Series) -> list[Any]:
    """The column's cells as Python objects, None where missing."""
    return [None if v is None or (not isinstance(v, str) and pd.isna(v)) else v
            for v in col.astype(object).tolist()]  # fmt: skip


def _read(value: Any) -> int:
    """One cell read by itself: its index into the categories, -1 when no category."""
    try:
        return _kernels.CATEGORIES.index(StaffCategory.parse(value))
    except Exception:
        return -1


def _frame(col: pd.Series) -> pd.DataFrame:
    top = {c.id: c.maximum for c in RS.criteria() if c.group == "general"}
    frame = pd.DataFrame([{"staff_id": f"S{i}", "period": "2026-03", "unit_id": "U", **top,
                           "so_luong": 90, "chat_luong": 90, "tien_do": 90}
                          for i in range(len(col))])  # fmt: skip
    frame["category"] = col.to_numpy() if col.dtype == object else col.array
    return frame


@settings(deadline=None)
@given(values=st.lists(_CATEGORIES, min_size=1, max_size=12), dtype=_DTYPES,
       unused=st.lists(st.sampled_from(["giao_vien", "vien_chuc", "abc"]), max_size=2))
def test_the_named_sets_category_check_reads_each_cell_as_by_itself(
    values: list[Any], dtype: Any, unused: list[str]
) -> None:
    """A cell neither blank (missing or spaces only) nor a category is refused at its row
    with its value, by ``score_frame`` and ``classify_frame`` under a named set alike; a
    category no row holds (an unused categorical category) is none of the frame's."""
    col = _column(values, dtype)
    if dtype == "category":
        col = col.cat.add_categories([u for u in dict.fromkeys(unused)
                                      if u not in col.cat.categories])  # fmt: skip
    cells = _cells(col)
    assert _kernels.category_codes(col).tolist() == [
        -1 if v is None else _read(v) for v in cells]
    refused = [(f"S{i}", v) for i, v in enumerate(cells)
               if v is not None and _read(v) < 0 and not (isinstance(v, str) and not v.strip())]
    first: dict[Any, str] = {}
    for s, v in refused:
        first.setdefault(v, s)
    assert [(f"S{int(rows[0])}", v) for v, rows in _kernels.unread_categories(col)] == [
        (s, v) for v, s in first.items()]
    frame = _frame(col)
    for run in (lambda: evalkit.score_frame(frame, RS),
                lambda: evalkit.classify_frame(frame, pd.DataFrame({"unit_id": ["U"]}), RS)):
        try:
            run()
            said: list[tuple[Any, ...]] = []
        except InputError as exc:
            said = [(p.staff_id, p.value, str(p.message)) for p in exc.problems
                    if p.column == "category"]  # fmt: skip
        assert said == [(s, v,
                         str(evalkit.messages.msg("foreign.category", value=repr(v))))
                        for s, v in refused]  # fmt: skip


_PERIODS = st.sampled_from(["2026-03", "03/2026", "2026-02", "2026-Q1", "2026", "2026-13",
                            "x", " ", "2025-12"])  # fmt: skip


@settings(deadline=None)
@given(categories=st.lists(_PERIODS, min_size=1, max_size=6, unique=True),
       picks=st.lists(st.integers(-1, 5), max_size=20))
def test_a_categorical_period_reads_as_its_object_column(categories: list[str],
                                                         picks: list[int]) -> None:
    """Only the categories some row holds are the frame's periods (codes, labels and the
    refused cells the same as the object column's), whichever codes the rows hold: one,
    the least and greatest only, any between, a blank."""
    codes = np.array([p if p < len(categories) else -1 for p in picks], dtype=np.int8)
    col = pd.Series(pd.Categorical.from_codes(codes, categories=categories))
    as_cat, as_obj = pd.DataFrame({"period": col}), pd.DataFrame({"period": col.astype(object)})
    found_cat, found_obj = _columns.Problems(as_cat), _columns.Problems(as_obj)
    got_cat = _columns.periods(as_cat, "period", found_cat, required=True)
    got_obj = _columns.periods(as_obj, "period", found_obj, required=True)
    assert got_cat[0].tolist() == got_obj[0].tolist() and got_cat[1] == got_obj[1]
    assert [str(p) for p in found_cat.in_order()] == [str(p) for p in found_obj.in_order()]


#: Names with and without control characters (C0, DEL, C1), characters that print as
#: nothing or as a space but are no control (a zero-width space, a no-break space).
_NAMES = st.sampled_from(["Nguyễn Văn A", "Trần Thị Bình", "abc", "", " ", "Lê\x00An",
                          "Lê\tAn", "An\n", "\x7fB", "Hà\x85", "x\x9f", "Lan\xa0Anh",
                          "Tú\u200b", "\xa0", None, np.nan, 7])  # fmt: skip


@settings(deadline=None)
@given(values=st.lists(_NAMES, max_size=12),
       dtype=st.sampled_from([object, "str", "string[pyarrow]", "string[python]", "category"]))
def test_a_control_character_is_found_in_every_text_as_by_itself(values: list[Any],
                                                                  dtype: Any) -> None:
    """:func:`evalkit._ids.control_ids` (the names', ids' and titles' check at every door),
    with its texts joined: each row as its own value is read (a value that is no text,
    the readers'), in every dtype; and a name column refused by ``score_frame`` at those
    rows."""
    col = _column(values, dtype)
    cells = _cells(col)
    want = [isinstance(v, str) and _ids.CONTROL.search(v) is not None for v in cells]
    assert _ids.control_ids(col).tolist() == want
    frame = _frame(_column(["cong_chuc"] * len(values), dtype)).assign(full_name=col.array)
    try:
        evalkit.score_frame(frame, RS)
        said: list[str | None] = []
    except InputError as exc:
        said = [p.staff_id for p in exc.problems if p.column == "full_name"]
    assert said == [f"S{i}" for i, bad in enumerate(want) if bad]
