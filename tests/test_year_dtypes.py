"""The year's inputs in every dtype (audit af33): the months' results, the units' results
and the competent level's conclusions give the same year whatever their dtypes, and the
doors beside the year (``rank_units``, ``explain``, ``results_from_frame``,
``quota_report``) read numbers and yes/no cells as every door does
(:mod:`evalkit._columns`).

A classified month reaches the year from memory, from ``pd.read_csv`` (pandas 3's ``str``,
numbers as ``int64``/``float64``; with ``dtype=str`` every cell text — the way to keep an id
``007``), from Parquet or Excel, or from another system with nullable, categorical, Arrow
or float32 columns. The expectations are computed by hand from NĐ 335/2025/NĐ-CP (Điều 20,
21) and the preset's half-up rounding to the cent, or are the in-memory frames' year.
"""

from __future__ import annotations

import importlib.util
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit.errors import InputError
from evalkit.io.results import write_results_csv
from evalkit.reasons import explain
from evalkit.units import (
    classify_year,
    quota_report,
    rank_units,
    results_from_frame,
    rollup_frame,
)

RULE_SET = "vn.nd335-2025"
RS = evalkit.rules.get(RULE_SET)
HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None
FLOAT32 = ["float32", "Float32"] + (["float[pyarrow]"] if HAS_PYARROW else [])


def half_up(x: str) -> float:
    """A decimal text rounded half-up to the cent, in exact decimal arithmetic."""
    return float(Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# =========================================================================== by hand


@pytest.mark.parametrize("dtype", FLOAT32)
def test_a_float32_total_is_the_number_it_shows(dtype: str) -> None:
    """Months 89.99 and 90.00: the mean 89.995 is 90.00 half-up to the cent, in the HTXS band
    (≥ 90, Điều 20 k1; alone in the unit, the quota of k5 a then leaves none). A float32 holds 89.99 as 89.98999786, whose mean would round to 89.99 (HTT)."""
    mean = half_up(str((Decimal("89.99") + Decimal("90.00")) / 2))
    assert mean == 90.0
    months = pd.DataFrame({"staff_id": ["A", "A"], "period": ["2026-01", "2026-02"],
                           "total": pd.Series([89.99, 90.0], dtype=dtype)})  # fmt: skip
    for out in (rollup_frame(months, RULE_SET), classify_year(months, None, RULE_SET)):
        assert out[["total", "score_grade"]].values.tolist() == [[mean, "HTXS"]]
    objects = months.assign(total=pd.Series(list(np.array([89.99, 90.0], np.float32)),
                                            dtype=object))  # fmt: skip
    assert rollup_frame(objects, RULE_SET)["grade"].tolist() == ["HTXS"]


def test_rank_units_reads_its_figures_as_every_door() -> None:
    """``"91,5"`` is 91.5 (the Vietnamese decimal comma) and ranks first; a float32 89.995 is
    published 90.00 (half-up) above 89.99; ``"9l"`` is refused with its row, column and value,
    never left out of the ranking as a blank."""
    u = pd.DataFrame({"unit_id": ["A", "B"], "period": "2026-03", "score": ["91,5", "90"]})
    assert rank_units(u)[["unit_id", "points", "rank"]].values.tolist() == [
        ["A", 91.5, 1], ["B", 90.0, 2]]
    f32 = u.assign(score=np.array([89.995, 89.99], dtype=np.float32))
    assert rank_units(f32)[["unit_id", "points", "rank"]].values.tolist() == [
        ["A", 90.0, 1], ["B", 89.99, 2]]
    with pytest.raises(InputError) as err:
        rank_units(u.assign(score=["9l", "90"]))
    (p,) = err.value.problems
    assert (p.row, p.column, p.value) == (0, "score", "9l")


def _seven() -> pd.DataFrame:
    """Seven people of one unit for 2026: 95, 93 and five 80s. HTXS may not exceed 20 % of
    those rated HTT (Điều 20 k5 a): 20 % of 5 = 1, so B (93, second) is demoted to HTT."""
    sy = pd.DataFrame({"staff_id": list("ABCDEFG"), "period": "2026-12", "unit_id": "U",
                       "rule_set": RULE_SET, "total": [95.0, 93.0] + [80.0] * 5})  # fmt: skip
    return classify_year(sy)


def _csv(frame: pd.DataFrame, tmp_path: Path, **read: Any) -> pd.DataFrame:
    write_results_csv(frame, tmp_path / "r.csv")
    return pd.read_csv(tmp_path / "r.csv", **read)


def test_the_year_read_back_as_text_explains_and_reports_the_same(tmp_path: Path) -> None:
    """Read back with ``dtype=str`` (every cell text): ``quota_raised`` ``"False"`` is no, so
    B's sentence cites Điều 20 k5 a (not k5 b, the raised quota); the quota report counts
    ``"1"`` and ``"2"`` as numbers: cap 1, 2 candidates, B demoted."""
    year = _seven()
    back = _csv(year, tmp_path, dtype=str)
    said = explain(back).tolist()
    assert said == explain(year).tolist()
    assert said[1][-1].endswith("(NĐ 335/2025/NĐ-CP, Điều 20 k5 a)")
    report = quota_report(back)
    assert report[["cap", "candidates", "kept", "demoted", "demoted_ids"]].values.tolist() == [
        [1, 2, 1, 1, "B"]]
    assert report.astype(str).values.tolist() == quota_report(year).astype(str).values.tolist()


def test_a_total_typed_as_text_is_read_or_refused_by_its_row() -> None:
    """``"88,5"`` is 88.5 (HTT: 70 to < 90, Điều 20 k2) in ``results_from_frame`` and
    ``explain``; ``"9l"`` is refused with its row, column and value (not a bare ValueError)."""
    rows = pd.DataFrame({"staff_id": ["A", "B"], "rule_set": RULE_SET, "period": "2026",
                         "total": ["95", "88,5"], "score_grade": ["HTXS", "HTT"],
                         "grade": ["HTXS", "HTT"], "reasons": "rollup.average"})  # fmt: skip
    numbers = rows.assign(total=[95.0, 88.5])
    assert [r.total for r in results_from_frame(rows)] == [95.0, 88.5]
    assert explain(rows).tolist() == explain(numbers).tolist()
    assert "88,50" in explain(rows)[1][0]
    for door in (explain, results_from_frame):
        with pytest.raises(InputError) as err:
            door(rows.assign(total=["95", "9l"]))
        (p,) = err.value.problems
        assert (p.row, p.column, p.value) == (1, "total", "9l")
