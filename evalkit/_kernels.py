"""The scoring kernel shared by the scalar and the vectorised paths.

Both :func:`evalkit.score` (one person) and :func:`evalkit.score_frame` (a DataFrame of
staff-months) gather their inputs into float64 arrays and call :func:`compute`, so the
arithmetic, rounding, banding and caps are one code path; what differs is how inputs
are gathered and validated. A Hypothesis property keeps the two paths identical.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _columns
from evalkit.model import Grade, StaffCategory
from evalkit.rules import RuleSet, Scope
from evalkit.rules.blocks import apply_adjustments, band_codes, block_points, total_points

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

__all__ = [
    "CATEGORIES", "KernelOutput", "ReasonSpec", "apply_caps", "category_codes", "category_names",
    "compute",
    "derived_flags",
    "reason_table", "scope_mask", "unread_categories",
]  # fmt: skip

#: The staff categories in the order of the category codes :func:`scope_mask` reads
#: (-1: not known).
CATEGORIES: tuple[StaffCategory, ...] = tuple(StaffCategory)


def category_codes(values: Sequence[object] | npt.NDArray[np.object_] | pd.Series) -> IntArray:
    """Each value's index into :data:`CATEGORIES` (a code or a Vietnamese name, read by
    :meth:`evalkit.model.StaffCategory.parse`), -1 where blank or not a category; each
    distinct value read once.

    >>> category_codes(["vien_chuc", "Giáo viên", None, "Hợp đồng"]).tolist()
    [2, -1, -1, 3]
    """
    col = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values,
                                                                              dtype=object))
    codes, _uniq, read = _category_read(col)
    return np.append(read, -1)[codes.astype(np.intp)]  # -1 (blank): the last entry


def unread_categories(col: pd.Series) -> list[tuple[Any, npt.NDArray[np.intp]]]:
    """Each value of ``col`` that is neither blank (:func:`evalkit._columns.blank_ids`) nor
    a category (:func:`category_codes`), with the positions of the rows that hold it, in the
    order first met: what a named set's frame refuses (``foreign.category``). Each distinct
    value is read once and the rows are looked up only for a value unread.

    >>> [(v, r.tolist()) for v, r in unread_categories(pd.Series(["x", "cong_chuc", " ", "x"]))]
    [('x', [0, 3])]
    """
    codes, uniq, read = _category_read(col)
    unread = np.flatnonzero(read < 0)  # no category, or blank: a blank is the named set's
    if unread.size:
        unread = unread[~_columns.blank_ids(pd.Series([uniq[i] for i in unread], dtype=object))]
    if not unread.size:  # (every value read: no row looked up)
        return []
    rows = np.flatnonzero(np.isin(codes, unread))  # (a category no row holds: none)
    rows = rows[np.argsort(codes[rows], kind="stable")]  # by value, each in row order
    held, start = np.unique(codes[rows], return_index=True)
    found = zip(held.tolist(), np.split(rows, start[1:]) if rows.size else [], strict=True)
    return sorted(((uniq[k], at) for k, at in found), key=lambda f: int(f[1][0]))


def _category_read(col: pd.Series) -> tuple[npt.NDArray[np.signedinteger[Any]], list[Any],
                                            IntArray]:
    """``col``'s codes (-1: missing), its distinct values and each one's category code
    (:func:`category_codes`); a categorical's own codes and categories (no hashing)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes, uniq = col.cat.codes.to_numpy(), col.cat.categories.tolist()
    else:  # in the column's own dtype: no Python objects per row
        codes, found = _columns.factorize(col)
        uniq = found.tolist()
    read = np.full(len(uniq), -1, dtype=np.int64)
    for i, v in enumerate(uniq):
        try:
            read[i] = CATEGORIES.index(StaffCategory.parse(v))
        except Exception:  # blank or unknown: not known here (reported where it is read)
            continue
    return np.asarray(codes), uniq, read


def category_names(values: pd.Series) -> Any:
    """Each value's category code as read (``"Công chức"`` → ``"cong_chuc"``), for the
    results to say the category the engine read; a value that is no category as typed.
    Each distinct value is read once, and pandas text stays pandas text (no Python object
    per row).

    >>> category_names(pd.Series(["CÔNG CHỨC", "vien_chuc", "xyz"])).tolist()
    ['cong_chuc', 'vien_chuc', 'xyz']
    """
    text = isinstance(values.dtype, pd.StringDtype)
    if text and _names(typed := pd.unique(values).tolist()) == typed:  # every value read as
        return values.array  # typed (distinct values found without codes): the column itself
    codes, uniq = _columns.factorize(values)
    names = _names(uniq.tolist())
    if isinstance(values.dtype, pd.StringDtype):
        return pd.array(names, dtype=values.dtype).take(codes, allow_fill=True)
    return np.array([*names, None], dtype=object)[codes]  # -1 (blank): the last entry


def _names(values: list[Any]) -> list[Any]:
    """Each distinct value's category code as read, a value that is no category (or blank)
    as it is (:func:`category_names`)."""
    read = category_codes(pd.Series(np.asarray(values, dtype=object), dtype=object))
    return [CATEGORIES[c].value if c >= 0 else u for u, c in zip(values, read.tolist(),
                                                                 strict=True)]  # fmt: skip


def scope_mask(scope: Scope, day: IntArray | None, category: IntArray | None) -> BoolArray | bool:
    """The rows a rule's own dates and categories (:class:`evalkit.rules.Scope`) reach, or
    ``True`` for every row (a mask to ``&`` with, never built where the rule has no scope).

    ``day`` is each row's classification day as a proleptic ordinal
    (:func:`evalkit.rules.rule_day`; negative: not known, reached), ``category`` each row's
    index into :data:`CATEGORIES` (-1: not known, reached).

    >>> import datetime
    >>> s = Scope(datetime.date(2023, 9, 15), None, (StaffCategory.VIEN_CHUC,))
    >>> day = np.array([datetime.date(2023, 12, 1).toordinal(),
    ...                 datetime.date(2022, 12, 1).toordinal(), -1, -1])
    >>> scope_mask(s, day, np.array([2, 2, 3, -1])).tolist()
    [True, False, False, True]
    """
    if scope.everywhere:
        return True
    out: BoolArray | bool = True
    if day is not None and (scope.effective_from is not None
                            or scope.effective_until is not None):  # fmt: skip
        lo = scope.effective_from.toordinal() if scope.effective_from else 0
        hi = scope.effective_until.toordinal() if scope.effective_until else np.iinfo(np.int64).max
        out = (day < 0) | ((day >= lo) & (day <= hi))
    if category is not None and scope.categories:
        lut = np.array([c in scope.categories for c in CATEGORIES] + [True], dtype=bool)
        mine = lut[np.where(category < 0, len(CATEGORIES), category)]
        out = out & mine
    return out


@attrs.frozen(slots=True)
class ReasonSpec:
    """A reason code a row may carry, with its bit in the reason mask."""

    bit: int
    code: str
    lowers_to: Grade | None  # the cap's grade, None for a notice


@attrs.frozen(slots=True)
class KernelOutput:
    """Arrays for every row: component points, total, band grade, final grade, reasons."""

    components: dict[str, FloatArray]
    total: FloatArray
    score_grade: npt.NDArray[np.int8]
    grade: npt.NDArray[np.int8]
    reason_bits: npt.NDArray[np.uint32]
    reasons: tuple[ReasonSpec, ...]


def reason_table(
    rules: RuleSet, options: Mapping[str, bool] | None = None
) -> tuple[ReasonSpec, ...]:
    """The enabled caps and notices of ``rules`` as numbered reason codes (bit order).

    A cap lowering to KHT is a ``disqualifier.<id>``, any other a ``cap.<id>``; a notice is
    ``notice.<id>``; inspection findings give ``inspection.deduction`` (where the rule set
    deducts their points) and ``inspection.notice``. Their sentences are in
    :mod:`evalkit.reasons`.
    """
    out: list[ReasonSpec] = []
    for cap in rules.caps:
        if not cap.enabled:
            continue
        prefix = "disqualifier" if cap.grade == Grade.KHT else "cap"
        out.append(ReasonSpec(len(out), f"{prefix}.{cap.id}", cap.grade))
    for notice in rules.enabled_notices(options):
        out.append(ReasonSpec(len(out), f"notice.{notice.id}", None))
    if rules.inspections.criterion is not None:  # the findings' points (evalkit.inspections)
        out.append(ReasonSpec(len(out), "inspection.deduction", None))
    if rules.inspections.notice:
        out.append(ReasonSpec(len(out), "inspection.notice", None))
    if len(out) > 32:  # pragma: no cover - absurdly many rules
        raise ValueError("at most 32 caps and notices per rule set")
    return tuple(out)


def derived_flags(flags: Mapping[str, FloatArray], n: int) -> dict[str, FloatArray]:
    """The flags caps test, with the derived ones.

    ``duty_discipline`` is ``discipline`` where ``discipline_related_to_duty`` (default
    true) holds, else 0 (NĐ 335/2025 Điều 20 k4 c counts only violations related to public
    duty); ``any_discipline`` is the heavier of ``discipline`` and ``party_discipline``
    (NĐ 90/2020 Điều 2 k5 a, added by NĐ 48/2023: any party or administrative discipline);
    ``duty_any_discipline`` is that heavier one (a party discipline counts as at least a
    reprimand, 1) where ``discipline_related_to_duty`` holds, else 0 (NĐ 233/2026 Điều 14 k3 a:
    a party or administrative discipline for a violation related to the duties).

    A derived flag given is kept where it is not NaN (a year's flags; a period combined from
    months, whose flags were derived month by month: :data:`evalkit.scoring.PERIOD_FLAGS`),
    and derived from the inputs on the other rows.
    """
    zero = np.zeros(n)
    out = dict(flags)
    disc = out.get("discipline", zero)
    related = out.get("discipline_related_to_duty")
    # every discipline related to duty (the default): the discipline as it is
    mask = None if related is None or not n or bool(np.min(related) > 0) else related > 0
    party = out.get("party_discipline")
    out["duty_discipline"] = _given_or(out.get("duty_discipline"), disc, mask)
    out["any_discipline"] = _given_or(out.get("any_discipline"), disc if party is None or not (
        party.any()) else np.maximum(disc, party), None)
    out["duty_any_discipline"] = _given_or(out.get("duty_any_discipline"),
                                           out["any_discipline"], mask)
    return out


def _given_or(given: FloatArray | None, value: FloatArray, related: BoolArray | None
              ) -> FloatArray:  # fmt: skip
    """A derived flag: ``given`` where it is not NaN, else ``value`` where ``related``
    (None: everywhere), else 0."""
    if given is not None and not (blank := np.isnan(given)).any():
        return given
    derived = value if related is None else np.where(related, value, 0.0)
    return derived if given is None else np.where(blank, derived, given)


def compute(
    rules: RuleSet,
    get: Callable[[str], FloatArray],
    *,
    manages: BoolArray,
    is_head: BoolArray,
    flags: Mapping[str, FloatArray],
    kpi: FloatArray | None,
    options: Mapping[str, bool] | None = None,
    kind: str | None = None,
    day: IntArray | None = None,
    category: IntArray | None = None,
) -> KernelOutput:
    """Score every row. Inputs must already be validated (in range, present where required).

    ``get(id)`` returns a criterion's column as float64; ``flags`` maps flag names
    (``degradation``, ``discipline``, ``party_discipline``, ``discipline_related_to_duty``,
    ``corruption_in_unit``, ``late_files``, ``apologies``) to float64 columns (0 where
    absent; ``discipline_related_to_duty`` 1 where absent). ``day`` and ``category``: the
    rows' classification days and categories, for the caps' own dates and categories
    (:func:`scope_mask`; None: not known).
    """
    adjusted = apply_adjustments(rules.adjustments, get)

    def getter(cid: str) -> FloatArray:
        return adjusted[cid] if cid in adjusted else get(cid)

    components: dict[str, FloatArray] = {}
    for b in rules.blocks:
        group_inputs: tuple[str, ...] = ()
        if b.kind == "criteria_sum":
            group_inputs = tuple(c.id for c in rules.group(b.params["group"]).criteria)
        components[b.id] = block_points(b, getter, manages, group_inputs=group_inputs, kpi=kpi,
                                        rounding=rules.scoring)  # fmt: skip
    total = total_points(rules, components)
    score_grade = band_codes(rules.bands, total)
    if rules.inspections.criterion is not None:  # the inspection findings' points
        flags = {**flags, "inspection_points": np.nan_to_num(getter(rules.inspections.criterion))}
    grade, bits, specs = apply_caps(rules, score_grade, flags, is_head=is_head, manages=manages,
                                    options=options, kind=kind, day=day,
                                    category=category)  # fmt: skip
    return KernelOutput(components, total, score_grade, grade, bits, specs)


def apply_caps(
    rules: RuleSet,
    grade: npt.NDArray[np.int8],
    flags: Mapping[str, FloatArray],
    *,
    is_head: BoolArray,
    manages: BoolArray,
    options: Mapping[str, bool] | None = None,
    kind: str | None = None,
    day: IntArray | None = None,
    category: IntArray | None = None,
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.uint32], tuple[ReasonSpec, ...]]:
    """The rule set's enabled caps and notices over band ``grade`` (not changed in place).

    Shared by the month (after scoring) and the year (on the year's flags). A cap for
    ``leaders`` reaches heads and everyone who manages others (deputies included). A cap
    whose condition holds on a row without a grade (not evaluated) sets its bit there too
    (a discipline in a month without scores still hits the year: NĐ 335/2025 Điều 20 k4);
    notices only speak of graded rows. A row carries a cap's code exactly where the cap
    applies, so that its grade is never above what its codes allow (the archive's check):
    ``kind`` is the rows' period kind, and a cap whose ``periods`` do not include it (a cap
    of the year, on a month) neither lowers nor sets its bit (the year applies it from the
    periods' flags); None: every cap applies. A cap with dates or categories of its own
    (``scope``) neither lowers nor sets its bit on a row outside them (``day``: each row's
    classification day as an ordinal, ``category``: its index into :data:`CATEGORIES`;
    None or negative: not known, reached): the clause did not exist then, or does not
    govern that person — a month before a clause's start date whose year is classified
    after it carries no code; the year counts the month's flag.
    """
    n = grade.shape[0]
    out = grade.copy()
    bits = np.zeros(n, dtype=np.uint32)
    specs = reason_table(rules, options)
    zero = np.zeros(n)
    every = derived_flags(flags, n)
    by_id = {c.id: c for c in rules.caps}
    notices = {f"notice.{x.id}": x for x in rules.notices}
    leaders = is_head | manages
    graded = out >= 0  # a cap lowers a grade to another grade: the graded rows stay graded
    for spec in specs:
        if spec.lowers_to is not None:
            cap = by_id[spec.code.split(".", 1)[1]]
            hit = every.get(cap.flag, zero) >= cap.at_least
            if not hit.any():
                continue
            if cap.applies_to == "heads":
                hit = hit & is_head
            elif cap.applies_to == "leaders":
                hit = hit & leaders
            if not cap.reaches(kind):
                # a cap of another period's classification (a cap of the year, on a month):
                # neither lowers nor gives its code here — the year applies it from the
                # periods' flags (evalkit.classify_frame keeps them)
                continue
            # the code exactly where the cap applies: a row of a period it reaches, inside
            # its own dates and categories; it lowers a graded row, an ungraded one (not
            # evaluated) still carries its code: the condition is a fact of the period,
            # and the year counts it
            hit = hit & scope_mask(cap.scope, day, category)
            at = np.flatnonzero(hit & graded)
            out[at] = np.minimum(out[at], np.int8(spec.lowers_to.value))
        elif spec.code == "inspection.notice":
            hit = (every.get("inspection_findings", zero) >= 1) & graded
        elif spec.code == "inspection.deduction":
            hit = (every.get("inspection_points", zero) > 0) & graded
        else:
            nt = notices[spec.code]
            hit = (every.get(nt.flag, zero) >= nt.at_least) & graded
        if hit.any():
            bits[hit] |= np.uint32(1 << spec.bit)
    return out.astype(np.int8), bits, specs
