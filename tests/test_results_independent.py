"""The results frames own their columns: they are built without copying the arrays the
engine computed (``evalkit._classify.common.frame_of``), so writing into a result must
never write into the caller's input, into another column of the result, or into a later
call's result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import evalkit

RULES = evalkit.rules.get("vn.nd335-2025")
TOP = RULES.full_marks()


def _month(period: str, text_dtype: str | type) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A unit of three: a head, a member at full marks and one at lower marks."""
    rows = [
        {"staff_id": "H", "unit_id": "U", "period": period, "manages_others": True, **TOP,
         "to_chuc_trien_khai": 100.0, "tap_hop_doan_ket": 100.0},
        {"staff_id": "A", "unit_id": "U", "period": period, **TOP},
        {"staff_id": "B", "unit_id": "U", "period": period, **TOP, "so_luong": 60.0},
    ]
    sm = pd.DataFrame(rows)
    sm["category"] = "cong_chuc"
    sm["discipline"] = np.array([0, 0, 1], dtype=np.int64)
    for c in ("staff_id", "unit_id", "period", "category"):
        sm[c] = sm[c].astype(text_dtype)
    units = pd.DataFrame({"unit_id": ["U"], "head_id": ["H"], "tasks_assigned": [10.0],
                          "tasks_done": [10.0]})  # fmt: skip
    return sm, units


@pytest.mark.parametrize("text_dtype", [object, "str", "string[python]", "category"])
def test_writing_into_results_leaves_the_input_and_other_columns_alone(
    text_dtype: str | type,
) -> None:
    months = [_month(f"2026-{m:02d}", text_dtype) for m in (1, 2)]
    sm = pd.concat([m[0] for m in months], ignore_index=True)
    units = months[0][1]
    before = sm.copy(deep=True)
    staff, unit_results = evalkit.classify_frame(sm, units)
    again, _ = evalkit.classify_frame(sm, units)
    year = evalkit.classify_year(staff, unit_results)
    expected_year = year.copy(deep=True)
    expected_staff = staff.copy(deep=True)

    # a cell of every column of the month's results written into, in place
    for j in range(staff.shape[1]):
        staff.iloc[0, j] = staff.iloc[-1, j]
    assert staff.iloc[0].equals(staff.iloc[-1]) and not expected_staff.iloc[0].equals(
        expected_staff.iloc[-1])
    pd.testing.assert_frame_equal(sm, before)
    pd.testing.assert_frame_equal(again, expected_staff)
    pd.testing.assert_frame_equal(year, expected_year)

    # one cell of the year: its twin column (annual_total is total) keeps its value
    first = year.index[0]
    year.loc[first, "total"] = -1.0
    year.loc[first, "grade"] = "KHT"
    assert year.loc[first, "annual_total"] == expected_year.loc[first, "annual_total"] != -1.0
    assert year.loc[first, "annual_grade"] == expected_year.loc[first, "annual_grade"]
    pd.testing.assert_frame_equal(sm, before)
