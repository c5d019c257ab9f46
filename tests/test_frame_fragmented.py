"""A frame from ``pd.read_csv`` (the documented CSV door) holds one block per column: the
frame doors build their added columns once, so they never insert into it column by column
and pandas never warns that it is "highly fragmented" (audit 16 #10). The answers are the
ones of the same frame held in a few blocks."""

from __future__ import annotations

import io
import warnings

import pandas as pd
import pytest

import evalkit
from evalkit import _columns
from evalkit.demo import load_demo
from evalkit.units import classify_frame

IDS = list(evalkit.rules.get("vn.nd335-2025").full_marks())


def _levels(frame: pd.DataFrame) -> pd.DataFrame:
    """The same scores typed at the self and competent levels only (the workbook's columns)."""
    out = frame.drop(columns=[c for c in IDS if c in frame.columns])
    cols = {f"{lv}__{c}": frame[c] for c in IDS if c in frame.columns
            for lv in ("self", "competent") if f"{lv}__{c}" not in frame.columns}
    return pd.concat([out, pd.DataFrame(cols, index=frame.index)], axis=1)


def _via_csv(frame: pd.DataFrame) -> pd.DataFrame:
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    buf.seek(0)
    return pd.read_csv(buf)


@pytest.mark.parametrize("shape", ["counting", "levels"])
def test_a_csv_frame_is_read_without_a_fragmentation_warning(shape: str) -> None:
    demo = load_demo()
    typed = demo.frame() if shape == "counting" else _levels(demo.frame())
    f = _via_csv(typed)
    assert f._mgr.nblocks > 100  # the shape that made pandas warn  # type: ignore[attr-defined]
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        staff, units = classify_frame(f, demo.units_frame())
        scored = evalkit.score_frame(f)
    whole = f.copy()  # the same cells in a few blocks
    assert whole._mgr.nblocks < 100  # type: ignore[attr-defined]
    staff2, units2 = classify_frame(whole, demo.units_frame())
    pd.testing.assert_frame_equal(staff, staff2)
    pd.testing.assert_frame_equal(units, units2)
    pd.testing.assert_frame_equal(scored, evalkit.score_frame(whole))
    # the levels typed alone count the last level's score: the grades of the counting frame
    expect = classify_frame(demo.frame(), demo.units_frame())[0]
    assert staff["grade"].astype(object).tolist() == expect["grade"].astype(object).tolist()
    assert staff["grade"].notna().sum() > len(staff) // 2


def test_with_columns_replaces_and_adds_without_changing_the_frame() -> None:
    f = pd.DataFrame({"a": [1, 2], "b": [3, 4]}, index=["x", "x"])  # a repeated label too
    out = _columns.with_columns(f, {"b": [5, 6], "c": [7, 8]})
    assert list(out.columns) == ["a", "b", "c"]
    assert out["b"].tolist() == [5, 6] and out["c"].tolist() == [7, 8]
    assert list(out.index) == ["x", "x"]
    assert f["b"].tolist() == [3, 4] and "c" not in f.columns
