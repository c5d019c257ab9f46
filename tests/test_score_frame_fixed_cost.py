"""score_frame's fixed cost (af88): the readers keep a clean column in place, Arrow ids
are read without a copy, bands are found without a binary search — the same answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import evalkit
from evalkit import _columns
from evalkit.rules.blocks import band_codes


def _reference_bands(bands, totals: np.ndarray) -> np.ndarray:
    """The bands as the rule says them, one total at a time (top band includes its max)."""
    top = max(b.max for b in bands)
    out = []
    for t in totals.tolist():
        hit = [b.grade.value for b in bands
               if b.min <= t and (t < b.max or (b.max == top and t <= b.max))]  # fmt: skip
        out.append(hit[0] if hit else -1)
    return np.array(out, dtype=np.int8)


@pytest.mark.parametrize("rule_set", ["vn.nd335-2025", "vn.nd90-2020"])
def test_band_codes_as_the_rule_says(rule_set: str) -> None:
    bands = evalkit.rules.get(rule_set).bands
    rng = np.random.default_rng(5)
    edges = [x for b in bands for x in (b.min, b.max)]
    totals = np.concatenate([
        rng.uniform(-5, 105, 2000).round(2), np.array(edges), np.nextafter(edges, -np.inf),
        np.nextafter(edges, np.inf), [np.nan, np.inf, -np.inf, 100.01, -0.01]])  # fmt: skip
    got = band_codes(bands, totals)
    assert got.dtype == np.int8
    assert got.tolist() == _reference_bands(bands, totals).tolist()


def test_percent_and_count_columns_clean_are_read_in_place() -> None:
    df = pd.DataFrame({"so_luong": [90.0, np.nan, 100.0], "loi": [0.0, 2.0, np.nan]})
    found = _columns.Problems(df)
    pct = _columns.numbers(df, "so_luong", found, percent=True)
    cnt = _columns.numbers(df, "loi", found, integer=True)
    assert not found.problems
    assert np.shares_memory(pct, df["so_luong"].to_numpy())  # no copy of a clean column
    assert np.shares_memory(cnt, df["loi"].to_numpy())
    assert not pct.flags.writeable and not cnt.flags.writeable  # never written through
    assert np.array_equal(pct, [90.0, np.nan, 100.0], equal_nan=True)
    assert np.array_equal(cnt, [0.0, 2.0, np.nan], equal_nan=True)


def test_percent_and_count_columns_with_problems_still_refused() -> None:
    df = pd.DataFrame({"so_luong": [0.9, 95.0, np.inf], "loi": [1.5, 2.0, 0.0]})
    found = _columns.Problems(df)
    pct = _columns.numbers(df, "so_luong", found, percent=True)
    cnt = _columns.numbers(df, "loi", found, integer=True, default=0.0)
    said = sorted((p.row, p.column) for p in found.problems)
    assert said == [(0, "loi"), (0, "so_luong"), (2, "so_luong")]  # the index labels
    assert np.array_equal(pct, [np.nan, 95.0, np.nan], equal_nan=True)
    assert cnt.tolist() == [0.0, 2.0, 0.0]


def test_arrow_ids_of_one_chunk_read_in_place() -> None:
    ids = pd.Series(pd.array([f"S{i:03d}" for i in range(50)], dtype="string[pyarrow]"))
    chunk = ids.array.__arrow_array__().chunk(0)
    off, data = _columns.arrow_text(ids)
    assert np.shares_memory(data, np.frombuffer(chunk.buffers()[2], dtype=np.uint8))
    assert bytes(data[off[7]:off[8]]) == b"S007"
    # several chunks, and a slice of one, read as the same texts
    two = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([chunk[:20], chunk[20:]])))
    part = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([chunk[10:30]])))
    for s, first in ((two, 0), (part, 10)):
        o, d = _columns.arrow_text(s)
        texts = [bytes(d[o[i]:o[i + 1]]).decode() for i in range(len(s))]
        assert texts == [f"S{i:03d}" for i in range(first, first + len(s))]


def test_one_period_codes_as_before() -> None:
    df = pd.DataFrame({"period": pd.Categorical(["2026-03", None, "2026-03"])})
    codes, labels = _columns.periods(df, "period", _columns.Problems(df))
    assert codes.dtype == np.int64 and codes.tolist() == [0, -1, 0] and labels == ["2026-03"]
    df = pd.DataFrame({"period": pd.Categorical(["2026-04", "2026-03"],
                                                categories=["2026-04", "2026-03"])})  # fmt: skip
    codes, labels = _columns.periods(df, "period", _columns.Problems(df))
    assert codes.tolist() == [1, 0] and labels == ["2026-03", "2026-04"]


def test_rule_set_input_ids_worked_out_once() -> None:
    rs = evalkit.rules.get("vn.nd335-2025")
    ids = rs.input_ids
    assert ids is rs.input_ids  # the frozen set's own, not rebuilt per frame
    assert {c.id for c in rs.criteria()} <= ids
    assert set(rs.deduction_inputs()) | set(rs.required_inputs(True)) <= ids


@pytest.mark.parametrize(("ids", "twins", "control"), [
    (["S1", "S2", "S3"], [], [False] * 3),  # upper-case ASCII: proved by one reduction
    (["S1", "s1", "S2"], [(1, 0)], [False] * 3),
    (["a1", "b\x7f", "c"], [], [False, True, False]),
    (["Ab", "aB", "x\x01"], [(1, 0)], [False, False, True]),
])  # fmt: skip
def test_arrow_ids_case_twins_and_control_characters(ids, twins, control) -> None:
    from evalkit import _ids

    col = pd.Series(ids, dtype="string[pyarrow]")
    assert _ids.case_twins(col) == twins == _ids.case_twins(pd.Series(ids, dtype=object))
    assert _ids.control_ids(col).tolist() == control
