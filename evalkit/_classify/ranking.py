"""Emulation ranking of units (seed 004: "căn cứ vào kết quả thực hiện nhiệm vụ để tính điểm
thi đua hằng tháng và cả năm đối với các đơn vị").

Units are compared on the figure that is **published**: each period's points and the
year's mean or sum are rounded (half-up, to ``decimals`` places: the cent by default)
before ranking, so two units that print the same figure tie — floating-point noise such as
68.89999999999999 against 68.90 never splits them.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from evalkit import _columns
from evalkit._classify.common import canonical_periods, floats, per_period
from evalkit.rules.blocks import round_half_up

__all__ = ["rank_units"]


def rank_units(unit_results: pd.DataFrame, *, to: Literal["month", "year"] = "month",
               points: str = "score", how: Literal["mean", "sum"] = "mean",
               method: Literal["dense", "min"] = "dense", within: str | None = None,
               decimals: int = 2) -> pd.DataFrame:  # fmt: skip
    """Emulation ranking of units: highest points first, ties reported as ties.

    ``unit_results`` is :func:`evalkit.classify_frame`'s unit frame (or any frame with
    ``unit_id``, ``period`` and the ``points`` column). ``to="year"`` aggregates the
    periods by ``how`` (missing periods are skipped). The figure ranked on — the rounded
    published figure, ``decimals`` places — is the ``points`` column of the result.
    ``within`` ranks inside groups (e.g. ``"parent_id"``). Returns ``unit_id``,
    ``period``, ``points``, ``rank`` (1 = best, ``dense`` or ``min`` numbering) and
    ``tied``.

    >>> u = pd.DataFrame({"unit_id": ["A", "B", "C"], "period": "2026-03",
    ...                   "score": [91.0, 95.5, 91.0]})
    >>> rank_units(u)[["unit_id", "rank", "tied"]].values.tolist()
    [['B', 1, False], ['A', 2, True], ['C', 2, True]]
    >>> y = pd.DataFrame({"unit_id": ["A", "A", "B", "B"], "period": ["2026-01", "2026-02"] * 2,
    ...                   "score": [68.7, 69.1, 68.9, 68.9]})
    >>> rank_units(y, to="year")[["unit_id", "points", "rank", "tied"]].values.tolist()
    [['A', 68.9, 1, True], ['B', 68.9, 1, True]]
    """
    _columns.require(unit_results, ("unit_id", "period", points), "the ranking")
    values = floats(unit_results, points)  # "91,5" is 91.5; "9l" is refused with its row
    pcode, periods = canonical_periods(unit_results["period"])
    start = per_period(periods, pcode, lambda p: p.start.toordinal())
    plabels = [str(p.year_of() if to == "year" else p) for p in periods]  # a year: each one's
    keys = ["period"] if within is None else ["period", within]
    df = pd.DataFrame({"unit_id": unit_results["unit_id"].to_numpy(),
                       "period": np.array(plabels, dtype=object)[pcode],
                       "points": values,
                       **{w: unit_results[w].astype(str).to_numpy() for w in keys[1:]}})
    if to == "year" and within is not None:  # one figure a year, in the unit's group of its last period:
        # a phòng moved under another Sở in July ranks under the new one, on all its months
        # (as the year's unit grade reads the tree: evalkit._classify.year._unit_year)
        last = df.iloc[np.argsort(start, kind="stable")].groupby(["unit_id", "period"])
        df[within] = last[within].transform("last")
    if to == "year":
        grp = df.groupby(["unit_id", *keys], sort=False)["points"]
        df = (grp.sum(min_count=1) if how == "sum" else grp.mean()).reset_index()
    df["points"] = round_half_up(df["points"].to_numpy(np.float64, na_value=np.nan), decimals)
    rank = df.groupby(keys, sort=False)["points"].rank(method=method, ascending=False)
    df["rank"] = rank.astype("Int64")
    df["tied"] = df.duplicated([*keys, "rank"], keep=False).to_numpy() & rank.notna().to_numpy()
    return df.sort_values([*keys, "rank", "unit_id"], kind="stable", ignore_index=True)  # NaN last
