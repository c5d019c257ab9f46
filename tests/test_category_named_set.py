"""A category no door reads is refused when a rule set is named, as it is without one and
in a workbook (foreign.category): the named set applies to everyone, but 'giao_vien' is not
a staff category (af197 found `score_frame`/`classify_frame` with ``rules=`` ignoring the
column). A blank category and every spelling a door reads stay accepted."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
from evalkit.errors import InputError

RS = evalkit.rules.get("vn.nd335-2025")
_DTYPES = [object, "string", "str", "category"]


def _frame(categories: list[object], dtype: object = object) -> pd.DataFrame:
    top = {c.id: c.maximum for c in RS.criteria() if c.group == "general"}
    rows = [{"staff_id": f"S{i}", "period": "2026-03", "unit_id": "U", **top,
             "so_luong": 90, "chat_luong": 90, "tien_do": 90} for i in range(len(categories))]
    frame = pd.DataFrame(rows)
    frame["category"] = pd.Series(categories, dtype=object).astype(dtype)  # type: ignore[call-overload]
    return frame


def _doors(frame: pd.DataFrame, rules: str | None) -> list[InputError | None]:
    """What score_frame and classify_frame say of the frame (None: accepted)."""
    out: list[InputError | None] = []
    for run in (lambda: evalkit.score_frame(frame, rules),
                lambda: evalkit.classify_frame(frame, pd.DataFrame({"unit_id": ["U"]}),
                                               rules)):  # fmt: skip
        try:
            run()
            out.append(None)
        except InputError as exc:
            out.append(exc)
    return out


@pytest.mark.parametrize("dtype", _DTYPES)
@pytest.mark.parametrize("rules", ["vn.nd335-2025", None])
def test_an_unknown_category_is_refused_named_set_or_not(dtype: object, rules: str | None) -> None:
    frame = _frame(["giao_vien", "Công chức", "giao_vien"], dtype)
    for exc in _doors(frame, rules):
        assert exc is not None
        bad = [p for p in exc.problems if p.column == "category"]
        assert [p.staff_id for p in bad] == ["S0", "S2"]
        assert all("giao_vien" in p.message and "cong_chuc" in p.message for p in bad)


def test_the_same_sentence_with_and_without_a_named_set() -> None:
    frame = _frame(["giao_vien"])
    named, none = _doors(frame, "vn.nd335-2025")[0], _doors(frame, None)[0]
    assert named is not None and none is not None
    said = {p.message for p in named.problems if p.column == "category"}
    assert said == {p.message for p in none.problems if p.column == "category"}


def test_a_csv_read_back_is_refused_the_same() -> None:
    frame = pd.read_csv(io.StringIO(_frame(["giao_vien", "cong_chuc"]).to_csv(index=False)))
    for exc in _doors(frame, "vn.nd335-2025"):
        assert exc is not None and [p.staff_id for p in exc.problems] == ["S0"]


@given(st.lists(st.sampled_from(["cong_chuc", "Công chức", "CÔNG CHỨC", None, "", "  "]),
                min_size=1, max_size=4), st.sampled_from(_DTYPES))
def test_blank_and_readable_categories_stay_accepted_under_a_named_set(
    categories: list[object], dtype: object
) -> None:
    frame = _frame(categories, dtype)
    assert _doors(frame, "vn.nd335-2025") == [None, None]
    scored = evalkit.score_frame(frame, "vn.nd335-2025")
    assert scored["total"].tolist() == [93.0] * len(categories)
