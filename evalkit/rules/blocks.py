"""The score building blocks: small, documented, vectorised arithmetic.

A rule set's score is a composition of these blocks; there is no expression language.
Every function works on NumPy arrays (one element per staff-month), so the scalar path
(one person, arrays of length 1) and the vectorised path (a DataFrame of a million rows)
run the very same arithmetic and give bit-identical results.

Blocks (``block = "..."`` in a rule file):

``criteria_sum``
    The sum of a group's criterion scores (each already checked against its maximum),
    capped at the block's points. NĐ 335/2025: the 30 points of general criteria.
``percent_average``
    ``mean(inputs) / 100 × points``: the average of percentages times a weight.
    NĐ 335/2025: ``(a + b + c) / 3 × 70%``; for staff who manage others, the
    ``manager_inputs`` (``(a + b + c + d + đ + e) / 6 × 70%``). With ``kpi = true``, a
    task-tracker percentage, where given, stands for the whole block (82.3 % → 57.61).
``ratio``
    ``numerator / denominator × points`` clipped to ``[0, points]``; with nothing
    assigned (denominator 0) the block gives ``empty × points`` (default: full points), or
    NaN with ``empty = "not_evaluated"`` (the row is then not evaluated).
    Hải Phòng QĐ 212/2025: done ÷ assigned × 25.
``bonus``
    The sum of bonus points, capped at ``cap``. Hà Nội QĐ 3814: up to 10 bonus points.
``deduction``
    Minus the sum of deduction points, capped at ``cap``.

Adjustments (``adjustment = "..."``) change an input before blocks read it:

``per_event_deduction``
    ``min(input, max(floor, input − step × events))``: NĐ 335/2025, 25 % off quality
    per major error and 25 % off timeliness per delay (two errors → 50 %, one delay →
    75 %). A deduction never raises a value: an input already below ``floor`` keeps it.

Rounding: each block's points are rounded as the rule set's ``[scoring]`` says
(:func:`round_scores`: half-up by default, or truncated, to 2 decimals by default), then
the total is the rounded sum of the weighted blocks, clipped to ``[0, total]``. These are
the only rounding points; the rounded total is the figure that is banded.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from evalkit.rules._schema import Adjustment, Band, Block, RuleSet, ScorePolicy

__all__ = [
    "applied_inputs",
    "apply_adjustments",
    "band_codes",
    "block_points",
    "round_half_up",
    "round_scores",
    "total_points",
    "truncate",
]

FloatArray = npt.NDArray[np.float64]
Getter = Callable[[str], FloatArray]

_EPS = 1e-6  # tolerance for binary representation (28.705 is stored as 28.70499999...)


def round_half_up(values: FloatArray, decimals: int = 2) -> FloatArray:
    """Round half-up at ``decimals`` (default: the cent), element-wise.

    >>> round_half_up(np.array([64.16666, 28.705, 57.61, 89.994999]))
    array([64.17, 28.71, 57.61, 89.99])
    """
    scale = 10.0**decimals
    out: Any = np.multiply(values, scale)  # then in place: one array, not five
    if not isinstance(out, np.ndarray):  # a scalar
        return np.floor(out + 0.5 + _EPS) / scale  # type: ignore[no-any-return]
    out += 0.5
    out += _EPS
    np.floor(out, out=out)
    out /= scale
    return out


def truncate(values: FloatArray, decimals: int = 2) -> FloatArray:
    """Cut to ``decimals`` places (towards zero), element-wise: 89.997 stays below 90.

    A tolerance absorbs binary representation (0.29 × 100 is 28.999999999999996).

    >>> truncate(np.array([89.997, 28.705, 57.61, 89.999999]))
    array([89.99, 28.7 , 57.61, 89.99])
    """
    scale = 10.0**decimals
    out: FloatArray = np.trunc(values * scale + np.sign(values) * 1e-7) / scale
    return out


def round_scores(values: FloatArray, policy: ScorePolicy | None = None) -> FloatArray:
    """Round as ``policy`` says (default: half-up to the cent).

    >>> from evalkit.rules import ScorePolicy
    >>> vals = np.array([89.995, 89.994])
    >>> round_scores(vals).tolist(), round_scores(vals, ScorePolicy("truncate")).tolist()
    ([90.0, 89.99], [89.99, 89.99])
    """
    if policy is None or policy.rounding == "half_up":
        return round_half_up(values, policy.decimals if policy else 2)
    return truncate(values, policy.decimals)


def apply_adjustments(adjustments: Sequence[Adjustment], get: Getter) -> dict[str, FloatArray]:
    """Return the adjusted inputs (by input id) of every adjustment, in order.

    >>> from evalkit.rules._schema import Adjustment
    >>> adj = Adjustment("q", "per_event_deduction", "chat_luong", "loi", 25.0)
    >>> vals = {"chat_luong": np.array([100.0, 100.0]), "loi": np.array([2.0, 5.0])}
    >>> apply_adjustments([adj], vals.__getitem__)["chat_luong"]
    array([50.,  0.])
    >>> floored = Adjustment("q", "per_event_deduction", "chat_luong", "loi", 25.0, 50.0)
    >>> vals = {"chat_luong": np.array([100.0, 30.0]), "loi": np.array([3.0, 1.0])}
    >>> apply_adjustments([floored], vals.__getitem__)["chat_luong"]
    array([50., 30.])
    """
    out: dict[str, FloatArray] = {}
    for a in adjustments:
        base = out[a.input] if a.input in out else get(a.input)
        events = get(a.events)
        hit = np.flatnonzero(events > 0)  # NaN compares False: no events
        if not hit.size:
            out[a.input] = base
            continue
        # never above the input: a value already below the floor is not raised to it; only
        # the rows with events are computed (few), the others keep the input
        at = base[hit]
        adjusted = np.array(base, dtype=np.float64)
        adjusted[hit] = np.minimum(at, np.maximum(a.floor, at - a.step * events[hit]))
        out[a.input] = adjusted
    return out


def applied_inputs(rules: RuleSet, scores: Mapping[str, float]) -> dict[str, float]:
    """The inputs the score reads in place of the typed ones in ``scores`` (the scores that
    count): each of the rule set's adjustments applied as the scoring kernel applies them
    (:func:`apply_adjustments`, the same function, so the same figures). NĐ 335/2025
    Điều 14 k2 b, c: 25 % off quality per major error, off timeliness per delay. Only the
    inputs whose events were counted (> 0); for the sheet, which prints them under the typed
    values (:attr:`evalkit.render.Sheet.applied`).

    >>> import evalkit.rules
    >>> rs = evalkit.rules.get("vn.nd335-2025")
    >>> applied_inputs(rs, {"chat_luong": 100, "tien_do": 100, "loi_chat_luong": 2,
    ...                     "cham_tien_do": 1})
    {'chat_luong': 50.0, 'tien_do': 75.0}
    >>> applied_inputs(rs, {"chat_luong": 100, "tien_do": 100})
    {}
    """
    def get(cid: str) -> FloatArray:
        return np.array([np.nan if (v := scores.get(cid)) is None else float(v)], dtype=np.float64)

    hit = {a.input for a in rules.adjustments if (scores.get(a.events) or 0) > 0}
    return {cid: float(arr[0]) for cid, arr in apply_adjustments(rules.adjustments, get).items()
            if cid in hit and cid in scores and not math.isnan(arr[0])}


def block_points(
    block: Block,
    get: Getter,
    manages: npt.NDArray[np.bool_],
    *,
    group_inputs: Sequence[str] = (),
    kpi: FloatArray | None = None,
    rounding: ScorePolicy | None = None,
) -> FloatArray:
    """The points of ``block`` for every row, rounded as ``rounding`` says.

    ``get(id)`` returns the (adjusted) input column ``id`` as float64 (NaN = missing;
    optional inputs such as bonus count missing as 0). ``manages`` says which rows are
    staff who manage others. ``group_inputs`` are the criteria of a ``criteria_sum``
    block's group. ``kpi`` is the task-tracker percentage (NaN where not given).
    """
    p = block.params
    n = manages.shape[0]
    if block.kind == "criteria_sum":
        acc = np.zeros(n)
        for cid in group_inputs:
            np.add(acc, get(cid), out=acc)
        raw = np.minimum(acc, block.points, out=acc)
    elif block.kind == "percent_average":
        base: Sequence[str] = p["inputs"]
        mgr: Sequence[str] = p.get("manager_inputs") or ()
        raw = _percent(base, get, n, block.points)
        if mgr and manages.any():  # the managers' rows only (the same arithmetic there)
            at = np.flatnonzero(manages)
            raw[at] = _percent(mgr, lambda cid: get(cid)[at], at.size, block.points)
        if p.get("kpi") and kpi is not None:
            raw = np.where(np.isnan(kpi), raw, kpi / 100.0 * block.points)
    elif block.kind == "ratio":
        num = get(p["numerator"])
        den = get(p["denominator"])
        with np.errstate(divide="ignore", invalid="ignore"):
            empty = np.nan if p["empty"] == "not_evaluated" else float(p["empty"])
            frac = np.where(den > 0, num / np.where(den > 0, den, 1.0), empty)
        raw = np.clip(frac, 0.0, 1.0) * block.points
    elif block.kind == "bonus":
        raw = np.minimum(_sum(p["inputs"], get, n), float(p["cap"]))
    elif block.kind == "deduction":
        raw = -np.minimum(_sum(p["inputs"], get, n), float(p["cap"]))
    else:  # pragma: no cover - the schema rejects unknown blocks
        raise ValueError(f"unknown block {block.kind!r}")
    return round_scores(raw, rounding)


def _mean(ids: Sequence[str], get: Getter, n: int) -> FloatArray:
    acc = np.zeros(n)
    for cid in ids:
        np.add(acc, get(cid), out=acc)
    acc /= len(ids)
    return acc


def _percent(ids: Sequence[str], get: Getter, n: int, points: float) -> FloatArray:
    """``mean(ids) / 100 × points``, in one array (the same operations in the same order)."""
    out = _mean(ids, get, n)
    out /= 100.0
    out *= points
    return out


def _sum(ids: Sequence[str], get: Getter, n: int) -> FloatArray:
    acc = np.zeros(n)
    for cid in ids:
        acc = acc + np.nan_to_num(get(cid), nan=0.0)
    return acc


def total_points(rules: RuleSet, components: Mapping[str, FloatArray]) -> FloatArray:
    """The total: the weighted sum of the blocks, clipped to ``[0, total]``, rounded."""
    acc: FloatArray | None = None
    for b in rules.blocks:
        part = components[b.id] * b.weight if b.weight != 1.0 else components[b.id]
        acc = part if acc is None else acc + part
    assert acc is not None
    return round_scores(np.clip(acc, 0.0, rules.total), rules.scoring)


def band_codes(bands: Sequence[Band], totals: FloatArray) -> npt.NDArray[np.int8]:
    """The Grade value of each total's band; ``-1`` where no band contains it (NaN too).

    The top band includes its maximum; every other band is ``[min, max)``.

    >>> import evalkit.rules
    >>> bands = evalkit.rules.get("vn.nd335-2025").bands
    >>> band_codes(bands, np.array([100.0, 90.0, 89.99, 50.0, 49.99, 0.0, np.nan, 101.0])).tolist()
    [3, 3, 2, 1, 0, 0, -1, -1]
    """
    srt = sorted(bands, key=lambda b: b.min)
    contiguous = all(a.max == b.min for a, b in itertools.pairwise(srt))
    if not contiguous:  # bands with gaps or overlaps (a set under check): the plain way
        top = max(bands, key=lambda b: b.max)
        conds = []
        for b in bands:
            upper = totals <= b.max if b is top else totals < b.max
            conds.append((totals >= b.min) & upper)
        out: npt.NDArray[np.int8] = np.select(
            conds, [np.int8(b.grade.value) for b in bands], default=np.int8(-1)
        ).astype(np.int8)
        return out
    grades = np.array([b.grade.value for b in srt] + [-1], dtype=np.int8)
    # the number of band minima reached (NaN reaches none): a few comparisons, in C, are
    # quicker than a binary search of each total
    idx = np.zeros(np.shape(totals), dtype=np.int8 if len(srt) < 127 else np.intp)
    for b in srt:
        idx += np.greater_equal(totals, float(b.min))
    idx -= 1
    outside = idx < 0
    outside |= totals > srt[-1].max
    outside |= np.isnan(totals)
    idx[outside] = len(srt)
    return grades[idx]
