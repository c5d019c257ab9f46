"""Hypothesis strategies for evalkit's domain: periods, rule sets, assessments, staff,
unit trees, organisations, staff-month frames and task tables.

Every public strategy takes keyword-only arguments, checks them when it is called (not
when it is drawn from) and raises :class:`InvalidArgument` naming the bad value. Every
strategy shrinks towards a small, readable example: the first month of the range, the
unperturbed preset, one person scored only by themself with zero scores, no flags.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import attrs
import hypothesis.errors
import numpy as np
import pandas as pd
from hypothesis import strategies as st

from evalkit.errors import EvalkitError
from evalkit.model import (
    Assessment,
    Criterion,
    CriterionGroup,
    Level,
    Organisation,
    Period,
    Position,
    Staff,
    StaffCategory,
    Unit,
)
from evalkit.rules import Block, QuotaPolicy, Rounding, RuleSet

__all__ = [
    "PERTURBATIONS",
    "TASK_COLUMNS",
    "InvalidArgument",
    "assessments",
    "organisation_months",
    "organisations",
    "periods",
    "rule_sets",
    "staff",
    "staff_month_frames",
    "task_tables",
    "unit_trees",
]

T = TypeVar("T")

#: What :func:`rule_sets` may change in a preset, and how.
PERTURBATIONS: dict[str, str] = {
    "bands": "shift the edges between bands by multiples of 0.5 points; bands stay contiguous",
    "maxima": "move points between criteria of a group; the group maximum is unchanged",
    "notices": "switch optional rules (notices) on or off",
    "quota": "change the quota percentages (0-100) and the rounding",
    "weights": "move points between score blocks; a criteria group's maximum follows its block",
}

FLAG_COLUMNS = ("degradation", "discipline", "corruption_in_unit", "late_files", "apologies")


class InvalidArgument(EvalkitError, hypothesis.errors.InvalidArgument):
    """A strategy or :func:`~evalkit.testing.check_rule_set` was called with a bad argument.

    It is both an :class:`~evalkit.errors.EvalkitError` and Hypothesis's own
    ``InvalidArgument``, so either ``except`` catches it.

    >>> from evalkit.testing import periods
    >>> periods(kind="week")
    Traceback (most recent call last):
    ...
    evalkit.testing._strategies.InvalidArgument: periods(kind='week'): kind must be one of 'month', 'quarter', 'year'
    """


# =========================================================================== argument checks


def _fail(func: str, arg: str, value: object, why: str) -> InvalidArgument:
    return InvalidArgument(f"{func}({arg}={value!r}): {why}")


def _check_int(func: str, arg: str, value: object, *, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(func, arg, value, "expected a whole number")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise _fail(func, arg, value, f"must be {bound}")
    return value


def _check_bool(func: str, arg: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _fail(func, arg, value, "expected True or False")
    return value


def _check_opt_bool(func: str, arg: str, value: object) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise _fail(func, arg, value, "expected True, False or None (drawn)")
    return value


def _check_range(func: str, lo_name: str, lo: int, hi_name: str, hi: int) -> None:
    if lo > hi:
        raise InvalidArgument(f"{func}({lo_name}={lo!r}, {hi_name}={hi!r}): {lo_name} > {hi_name}")


def _as_period(func: str, arg: str, value: object) -> Period:
    try:
        return Period.parse(value)
    except EvalkitError as exc:
        raise _fail(func, arg, value, str(exc)) from None


def _as_rule_set(func: str, arg: str, value: object) -> RuleSet:
    """A RuleSet from a RuleSet, a registered id or the path of a TOML file."""
    if isinstance(value, RuleSet):
        return value
    if isinstance(value, str | Path):
        from evalkit import rules as _rules

        text = str(value)
        if isinstance(value, str) and text in _rules.default_registry():
            return _rules.get(text)
        if text.endswith(".toml") or isinstance(value, Path):
            try:
                return _rules.load(text)
            except EvalkitError as exc:
                raise _fail(func, arg, value, str(exc)) from None
        known = ", ".join(_rules.default_registry().ids())
        raise _fail(func, arg, value, f"not a registered rule set id (known: {known}) "
                    "nor a .toml file")  # fmt: skip
    raise _fail(func, arg, value, "expected a RuleSet, a registered rule set id or a TOML path")


def _strategy_or_just(
    func: str, arg: str, value: object, check: Callable[[object], T]
) -> st.SearchStrategy[T]:
    """``value`` itself (checked) or, if it is a strategy, that strategy."""
    if isinstance(value, st.SearchStrategy):
        return value
    try:
        return st.just(check(value))
    except (EvalkitError, TypeError, ValueError) as exc:
        if isinstance(exc, InvalidArgument):
            raise
        raise _fail(func, arg, value, str(exc)) from None


def _text_id(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError("expected a non-empty string or a strategy of strings")
    return value


# =========================================================================== periods


def _month_index(p: Period) -> int:
    return p.year * 12 + p.start.month - 1


def _first_month_on_or_after(day: _dt.date) -> Period:
    p = Period.of_date(day)
    return p if p.start >= day else p.next()


@st.composite
def _period_between(draw: st.DrawFn, lo: int, hi: int, kind: str) -> Period:
    i = draw(st.integers(lo, hi))
    p = Period.month(i // 12, i % 12 + 1)
    if kind == "quarter":
        return p.quarter_of()
    if kind == "year":
        return p.year_of()
    return p


def periods(
    *,
    min_value: Period | str = "2020-01",
    max_value: Period | str = "2035-12",
    kind: str = "month",
) -> st.SearchStrategy[Period]:
    """Periods between ``min_value`` and ``max_value`` (inclusive), shrinking to ``min_value``.

    ``kind`` is ``'month'`` (the evaluation period), ``'quarter'`` or ``'year'`` (roll-up
    periods: the quarters and years that contain the months of the range).

    >>> from evalkit.testing import periods
    >>> periods(min_value="2026-01", max_value="2026-12").example().year
    2026
    """
    func = "periods"
    if kind not in ("month", "quarter", "year"):
        raise _fail(func, "kind", kind, "kind must be one of 'month', 'quarter', 'year'")
    lo = _as_period(func, "min_value", min_value)
    hi = _as_period(func, "max_value", max_value)
    if hi.end < lo.start:
        raise InvalidArgument(
            f"{func}(min_value={str(lo)!r}, max_value={str(hi)!r}): min_value is after max_value"
        )
    return _period_between(_month_index(Period.of_date(lo.start)),
                           _month_index(Period.of_date(hi.end)), kind)  # fmt: skip


def _periods_in_force(rules: RuleSet, years: int = 5) -> st.SearchStrategy[Period]:
    first = _first_month_on_or_after(rules.effective_from)
    last = (
        Period.of_date(rules.effective_to)
        if rules.effective_to is not None
        else Period.month(first.year + years, first.number)
    )
    last = max(last, first)
    # a quarterly rule set scores quarters (its first quarter starts on or after the date)
    if rules.period == "quarter" and first.number % 3 != 1:
        first = Period.month(first.year + (first.number > 10), (first.number + 2) // 3 * 3 % 12 + 1)
    return _period_between(_month_index(first), _month_index(last), rules.period)


# =========================================================================== rule sets


def _perturbable_blocks(rules: RuleSet) -> list[Block]:
    out = []
    for b in rules.blocks:
        if b.weight != 1.0:
            continue
        if b.kind in ("percent_average", "ratio") or (
            b.kind == "criteria_sum" and _sum_group_ok(rules, b)
        ):
            out.append(b)
    return out


def _point_criteria(group: CriterionGroup) -> list[Criterion]:
    return [c for c in group.criteria if c.unit == "points"]


def _sum_group_ok(rules: RuleSet, block: Block) -> bool:
    g = rules.group(block.params["group"])
    pts = _point_criteria(g)
    return (
        g.maximum is not None
        and bool(pts)
        and len(pts) == len(g.criteria)
        and not any(c.management for c in pts)
        and math.isclose(g.maximum, block.points)
        and math.isclose(sum(c.maximum for c in pts), g.maximum)
        and all(float(c.maximum).is_integer() for c in pts)
    )


def _capacity(rules: RuleSet, block: Block) -> int:
    if block.kind == "criteria_sum":
        return int(block.points) - len(rules.group(block.params["group"]).criteria)
    return math.ceil(block.points) - 1


def _reshape_group(group: CriterionGroup, delta: int) -> CriterionGroup:
    """Add (or remove) ``delta`` points to the group's criteria, one point at a time."""
    maxima = [c.maximum for c in group.criteria]
    for _ in range(abs(delta)):
        if delta > 0:
            i = maxima.index(min(maxima))
            maxima[i] += 1
        else:
            i = maxima.index(max(maxima))
            maxima[i] -= 1
    crits = tuple(attrs.evolve(c, maximum=m) for c, m in zip(group.criteria, maxima, strict=True))
    return attrs.evolve(group, maximum=float(sum(maxima)), criteria=crits)


def _replace_group(rules: RuleSet, group: CriterionGroup) -> tuple[CriterionGroup, ...]:
    return tuple(group if g.id == group.id else g for g in rules.groups)


def _move_block_points(rules: RuleSet, src: Block, dst: Block, d: int) -> RuleSet:
    blocks = []
    groups = rules.groups
    for b in rules.blocks:
        if b.id in (src.id, dst.id):
            delta = -d if b.id == src.id else d
            if b.kind == "criteria_sum":
                g = _reshape_group(rules.group(b.params["group"]), delta)
                groups = tuple(g if x.id == g.id else x for x in groups)
            b = attrs.evolve(b, points=b.points + delta)  # noqa: PLW2901
        blocks.append(b)
    return attrs.evolve(rules, blocks=tuple(blocks), groups=groups)


@st.composite
def _perturb_weights(draw: st.DrawFn, rules: RuleSet) -> RuleSet:
    movable = _perturbable_blocks(rules)
    if len(movable) < 2:
        return rules
    moves = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(movable) - 1),
                st.integers(0, len(movable) - 1),
                st.integers(1, 10),
            ),
            max_size=2,
        )
    )
    for i, j, d in moves:
        by_id = {b.id: b for b in rules.blocks}
        src, dst = by_id[movable[i].id], by_id[movable[j].id]
        step = min(d, _capacity(rules, src))
        if i == j or step <= 0:
            continue
        rules = _move_block_points(rules, src, dst, step)
    return rules


@st.composite
def _perturb_maxima(draw: st.DrawFn, rules: RuleSet) -> RuleSet:
    for g in rules.groups:
        pts = _point_criteria(g)
        if g.maximum is None or len(pts) < 2 or len(pts) != len(g.criteria):
            continue
        if any(c.management or not float(c.maximum).is_integer() for c in pts):
            continue
        n = len(pts)
        transfers = draw(
            st.lists(
                st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 5)),
                max_size=3,
            )
        )
        maxima = [c.maximum for c in g.criteria]
        for i, j, amount in transfers:
            step = min(amount, maxima[i] - 1)
            if i == j or step <= 0:
                continue
            maxima[i] -= step
            maxima[j] += step
        crits = tuple(attrs.evolve(c, maximum=m) for c, m in zip(g.criteria, maxima, strict=True))
        rules = attrs.evolve(rules, groups=_replace_group(rules, attrs.evolve(g, criteria=crits)))
    return rules


@st.composite
def _perturb_bands(draw: st.DrawFn, rules: RuleSet) -> RuleSet:
    bands = sorted(rules.bands, key=lambda b: b.min)
    k = len(bands) - 1  # inner edges
    if k < 1:
        return rules
    deltas = draw(st.lists(st.integers(-20, 20), min_size=k, max_size=k))
    edges = [bands[0].min]
    top = bands[-1].max
    for i in range(k):
        want = bands[i].max + 0.5 * deltas[i]
        lo = edges[-1] + 0.5
        hi = top - 0.5 * (k - i)
        edges.append(min(max(want, lo), hi))
    edges.append(top)
    new = tuple(attrs.evolve(b, min=edges[i], max=edges[i + 1]) for i, b in enumerate(bands))
    return attrs.evolve(rules, bands=new)


@st.composite
def _perturb_quota(draw: st.DrawFn, rules: RuleSet) -> RuleSet:
    q = rules.quota
    if q is None:
        return rules
    pct = draw(st.one_of(st.just(q.percent), st.integers(0, 100).map(float)))
    pie = q.percent_if_unit_excellent
    if pie is not None:
        pie = max(pct, draw(st.one_of(st.just(pie), st.integers(0, 100).map(float))))
    others = [r for r in ("floor", "half_up", "ceil") if r != q.rounding]
    rounding = draw(st.sampled_from([q.rounding, *others]))
    new: QuotaPolicy = attrs.evolve(
        q, percent=pct, percent_if_unit_excellent=pie, rounding=cast(Rounding, rounding)
    )
    return attrs.evolve(rules, quota=new)


@st.composite
def _perturb_notices(draw: st.DrawFn, rules: RuleSet) -> RuleSet:
    notices = tuple(
        attrs.evolve(n, enabled=draw(st.sampled_from([n.enabled, not n.enabled])))
        for n in rules.notices
    )
    return attrs.evolve(rules, notices=notices)


_PERTURBERS: dict[str, Callable[[RuleSet], st.SearchStrategy[RuleSet]]] = {
    "weights": _perturb_weights,
    "maxima": _perturb_maxima,
    "bands": _perturb_bands,
    "quota": _perturb_quota,
    "notices": _perturb_notices,
}


@st.composite
def _variant(draw: st.DrawFn, base: RuleSet, perturb: tuple[str, ...]) -> RuleSet:
    rules = base
    for name in ("weights", "maxima", "bands", "quota", "notices"):  # fixed order
        if name in perturb:
            rules = draw(_PERTURBERS[name](rules))
    return rules


def rule_sets(
    *,
    base: RuleSet | str | Iterable[RuleSet | str] | None = None,
    perturb: Iterable[str] | str = tuple(PERTURBATIONS),
) -> st.SearchStrategy[RuleSet]:
    """Valid variants of a rule set, shrinking to the unchanged ``base``.

    ``base`` is a :class:`~evalkit.rules.RuleSet`, a registered id (``'vn.nd335-2025'``), a
    list of either, or None for every registered preset. ``perturb`` names what may
    change (see :data:`PERTURBATIONS`): ``bands``, ``maxima``, ``notices``, ``quota``,
    ``weights``, or ``()`` for the base itself. Every variant passes the loader's
    checks: block points still sum to the total, group maxima match their criteria,
    bands stay contiguous over ``[0, total]`` and keep their order, quotas stay within
    0-100 %. The variant keeps the base's id and dates.

    >>> from evalkit.testing import rule_sets
    >>> rs = rule_sets(base="vn.nd335-2025", perturb=["bands"]).example()
    >>> rs.id, [b.grade.code for b in rs.bands]
    ('vn.nd335-2025', ['KHT', 'HT', 'HTT', 'HTXS'])
    """
    func = "rule_sets"
    if isinstance(perturb, str):
        perturb = (perturb,)
    try:
        names = tuple(perturb)
    except TypeError:
        raise _fail(func, "perturb", perturb, "expected a list of perturbation names") from None
    for name in names:
        if name not in PERTURBATIONS:
            raise _fail(func, "perturb", perturb,
                        f"unknown perturbation {name!r}; expected some of "
                        + ", ".join(sorted(PERTURBATIONS)))  # fmt: skip
    if base is None:
        from evalkit import rules as _rules

        bases = list(_rules.available())
    elif isinstance(base, RuleSet | str | Path):
        bases = [_as_rule_set(func, "base", base)]
    else:
        try:
            items = list(base)
        except TypeError:
            raise _fail(func, "base", base, "expected a RuleSet, an id or a list of them") from None
        if not items:
            raise _fail(func, "base", base, "expected at least one rule set")
        bases = [_as_rule_set(func, "base", b) for b in items]
    return st.sampled_from(bases).flatmap(lambda rs: _variant(rs, names))


# =========================================================================== scores


@functools.lru_cache(maxsize=512)
def _score_values(maximum: float, percent: bool = False) -> st.SearchStrategy[float]:
    """Scores in [0, maximum]: whole points, or cents; shrinking to 0. A ``percent`` (0-100)
    is never strictly between 0 and 1: every door refuses that as 0.95 typed for 95 %."""
    whole = st.integers(0, math.floor(maximum)).map(float)
    cents = st.integers(0, math.floor(maximum * 100 + 1e-6)).map(lambda c: c / 100)
    if percent:
        cents = cents.map(lambda v: v if not 0 < v < 1 else v + 1)
    return st.one_of(whole, cents)


@functools.lru_cache(maxsize=512)
def _counts(maximum: float, top: int = 5) -> st.SearchStrategy[float]:
    return st.integers(0, int(min(top, math.floor(maximum)))).map(float)


@functools.lru_cache(maxsize=32)
def _rarely(n: int = 10) -> st.SearchStrategy[bool]:
    """True about once in ``n`` draws, shrinking to False."""
    return st.integers(0, n - 1).map(lambda x: x == n - 1)


_BOOLS = st.booleans()
_DISCIPLINE = st.integers(0, 19).map(lambda x: max(0, x - 14))  # mostly 0, up to 5
_EVENT_COUNTS = st.integers(0, 3)


def _kpi_blocks(rules: RuleSet) -> list[Block]:
    return [b for b in rules.blocks if b.kind == "percent_average" and b.params.get("kpi")]


def _has_manager_inputs(rules: RuleSet) -> bool:
    return any(b.params.get("manager_inputs") for b in rules.blocks)


def _optional_inputs(rules: RuleSet) -> list[str]:
    """Inputs a person may leave blank: bonus/deduction points and adjustment events."""
    out: list[str] = []
    for b in rules.blocks:
        if b.kind in ("bonus", "deduction"):
            out.extend(b.inputs())
    out.extend(a.events for a in rules.adjustments)
    return list(dict.fromkeys(out))


Inputs = tuple[tuple[str, st.SearchStrategy[float]], ...]


@attrs.frozen(eq=False)
class _Plan:
    """What to draw for one rule set, with its strategies built once."""

    rules: RuleSet
    required: Mapping[bool | None, Inputs]
    optional: Inputs
    has_manager_inputs: bool
    has_kpi: bool


_PLANS: dict[int, tuple[RuleSet, _Plan]] = {}


def _plan(rules: RuleSet) -> _Plan:
    hit = _PLANS.get(id(rules))
    if hit is not None and hit[0] is rules:
        return hit[1]

    def strat(cid: str, top: int) -> st.SearchStrategy[float]:
        c = rules.criterion(cid)
        if c.management and rules.management.values:  # d, đ, e take the set's values only
            return st.sampled_from(sorted(rules.management.values))
        return (_counts(c.maximum, top) if c.unit == "count"
                else _score_values(c.maximum, c.unit == "percent"))  # fmt: skip

    required: dict[bool | None, Inputs] = {}
    for manages in (False, True, None):
        ids = (
            rules.required_inputs(manages)
            if manages is not None
            else tuple(dict.fromkeys(rules.required_inputs(False) + rules.required_inputs(True)))
        )
        required[manages] = tuple((cid, strat(cid, 20)) for cid in ids)
    optional = tuple((cid, strat(cid, 5)) for cid in _optional_inputs(rules))
    plan = _Plan(rules, required, optional, _has_manager_inputs(rules), bool(_kpi_blocks(rules)))
    if len(_PLANS) > 256:
        _PLANS.clear()
    _PLANS[id(rules)] = (rules, plan)
    return plan


@attrs.frozen
class _Draft:
    """One person-month's inputs before they become an Assessment or a frame row."""

    scores: dict[str, float]
    manages: bool
    is_head: bool
    kpi: float | None
    flags: dict[str, float]


def _draw_scores(draw: st.DrawFn, plan: _Plan, manages: bool | None) -> dict[str, float]:
    out = {cid: draw(s) for cid, s in plan.required[manages]}
    for cid, s in plan.optional:
        if cid not in out and draw(_BOOLS):
            out[cid] = draw(s)
    for c in plan.rules.criteria():  # bounded by another (at_most): never above it
        if c.at_most is not None and c.id in out and c.at_most in out:
            out[c.id] = min(out[c.id], out[c.at_most])
    for b in plan.rules.blocks:  # a scored row: something assigned where 0 is not evaluated
        den = b.params.get("denominator") if b.kind == "ratio" else None
        if den in out and b.params.get("empty") == "not_evaluated":
            out[den] = max(out[den], 1.0)
    return out


def _draw_flags(draw: st.DrawFn, disqualifiers: bool, events: bool,
                leader: bool = True) -> dict[str, float]:  # fmt: skip
    """The month's facts; corruption in the unit led only for a ``leader`` (NĐ 335/2025
    Điều 20 k4 d: on anyone else the mark is refused)."""
    flags = dict.fromkeys(FLAG_COLUMNS, 0.0)
    if disqualifiers:
        flags["degradation"] = float(draw(_rarely()))
        flags["discipline"] = float(draw(_DISCIPLINE))
        flags["corruption_in_unit"] = float(draw(_rarely())) if leader else 0.0
    if events:
        flags["late_files"] = float(draw(_EVENT_COUNTS))
        flags["apologies"] = float(draw(_EVENT_COUNTS))
    return flags


def _draw_draft(
    draw: st.DrawFn,
    plan: _Plan,
    *,
    manages_others: bool | None,
    kpi: bool | None,
    disqualifiers: bool,
    events: bool,
    both: bool = False,
) -> _Draft:
    """``both``: score the inputs of staff with and without management duty."""
    if plan.has_manager_inputs:
        manages = draw(_BOOLS) if manages_others is None else manages_others
    else:
        manages = bool(manages_others)
    is_head = draw(_BOOLS) if manages else False
    # ``both`` (manages_others not given): the inputs of staff without management duty —
    # a management component typed for a person who manages nobody is refused
    scores = _draw_scores(draw, plan, False if both else manages)
    value: float | None = None
    if plan.has_kpi and kpi is not False:
        use = True if kpi else draw(_rarely(4))
        if use:
            value = draw(_score_values(100.0, percent=True))
            scores = _without_kpi_inputs(plan, scores)
    return _Draft(scores, manages, is_head, value,
                  _draw_flags(draw, disqualifiers, events, manages or is_head))


def _without_kpi_inputs(plan: _Plan, scores: dict[str, float]) -> dict[str, float]:
    """``scores`` without the inputs of the blocks a kpi stands for (a task score typed
    beside the kpi is refused: the total would not read it)."""
    drop = {cid for b in _kpi_blocks(plan.rules) for cid in b.inputs(None)}
    return {k: v for k, v in scores.items() if k not in drop}


def _check_levels(func: str, levels: object) -> tuple[Level, ...]:
    if isinstance(levels, str | Level):
        levels = (levels,)
    try:
        parsed = {Level(x) for x in levels}  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise _fail(func, "levels", levels,
                    "expected levels among 'self', 'manager', 'competent'") from None  # fmt: skip
    if not parsed:
        raise _fail(func, "levels", levels, "expected at least one level")
    return tuple(lv for lv in (Level.SELF, Level.MANAGER, Level.COMPETENT) if lv in parsed)


def _staff_ids() -> st.SearchStrategy[str]:
    return st.integers(1, 9999).map(lambda i: f"CC-{i:04d}")


@st.composite
def _assessment(
    draw: st.DrawFn,
    rules: RuleSet,
    staff_id: st.SearchStrategy[str],
    period: st.SearchStrategy[Period],
    levels: tuple[Level, ...],
    manages_others: bool | None,
    kpi: bool | None,
    disqualifiers: bool,
    events: bool,
) -> Assessment:
    plan = _plan(rules)
    both = manages_others is None
    d = _draw_draft(draw, plan, manages_others=manages_others, kpi=kpi,
                    disqualifiers=disqualifiers, events=events, both=both)  # fmt: skip
    n = draw(st.integers(1, len(levels)))
    by_level: dict[Level, dict[str, float]] = {}
    for i, lv in enumerate(levels[:n]):
        other = _draw_scores(draw, plan, False if both else d.manages) if i < n - 1 else {}
        by_level[lv] = d.scores if i == n - 1 else (
            _without_kpi_inputs(plan, other) if d.kpi is not None else other)
    return Assessment(
        draw(staff_id),
        draw(period),
        self_scores=by_level.get(Level.SELF, {}),
        manager_scores=by_level.get(Level.MANAGER, {}),
        competent_scores=by_level.get(Level.COMPETENT, {}),
        degradation=bool(d.flags["degradation"]),
        discipline=int(d.flags["discipline"]),
        # a leader's mark (NĐ 335/2025 Điều 20 k4 d): on staff it is refused
        corruption_in_unit=bool(d.flags["corruption_in_unit"]) and manages_others is True,
        kpi=d.kpi,
        events={"late_files": d.flags["late_files"], "apologies": d.flags["apologies"]},
    )


def assessments(
    rules: RuleSet | str,
    *,
    staff_id: str | st.SearchStrategy[str] | None = None,
    period: Period | str | st.SearchStrategy[Period] | None = None,
    levels: Iterable[Level | str] = (Level.SELF, Level.MANAGER, Level.COMPETENT),
    manages_others: bool | None = None,
    kpi: bool | None = None,
    disqualifiers: bool = True,
    events: bool = True,
) -> st.SearchStrategy[Assessment]:
    """Valid :class:`~evalkit.Assessment` objects for ``rules``.

    Each level of ``levels`` that scores (self first, then manager, then competent: at
    least one) scores every required criterion within its maximum. Optional inputs
    (bonus and deduction points, error and delay counts) are sometimes given.
    ``manages_others`` True scores a leader's inputs (pass ``manages_others=True`` to
    :func:`evalkit.score`); None or False those of staff without management duty (a
    management component typed for a person who manages nobody is refused). ``kpi`` None sometimes adds a task-tracker percentage (where
    the rule set accepts one), True always, False never. ``disqualifiers`` and
    ``events`` allow the flags (degradation, discipline, and corruption in the unit led
    where ``manages_others`` is True: a leader's mark) and the Thanh Hóa event counts.
    ``period`` defaults to a month in which ``rules`` is in force.

    >>> from evalkit import score
    >>> from evalkit.testing import assessments
    >>> a = assessments("vn.nd335-2025", manages_others=False).example()
    >>> 0 <= score(a, rules="vn.nd335-2025").total <= 100
    True
    """
    func = "assessments"
    rs = _as_rule_set(func, "rules", rules)
    sid = (
        _staff_ids()
        if staff_id is None
        else _strategy_or_just(func, "staff_id", staff_id, _text_id)
    )
    per = (
        _periods_in_force(rs)
        if period is None
        else _strategy_or_just(func, "period", period, Period.parse)
    )
    lv = _check_levels(func, levels)
    mo = _check_opt_bool(func, "manages_others", manages_others)
    kp = _check_opt_bool(func, "kpi", kpi)
    dq = _check_bool(func, "disqualifiers", disqualifiers)
    ev = _check_bool(func, "events", events)
    return _assessment(rs, sid, per, lv, mo, kp, dq, ev)


# =========================================================================== people and units

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
_MIDDLE = ("Văn", "Thị", "Minh", "Hữu", "Ngọc", "Thanh", "Đức")
_GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hương", "Lan", "Long", "Mai", "Nam",
          "Phương", "Quân", "Thảo", "Trang", "Tuấn", "Yến")  # fmt: skip
_UNIT_NAMES = (
    "Sở Nội vụ",
    "Văn phòng Sở",
    "Phòng Tổ chức - Biên chế",
    "Phòng Công chức - Viên chức",
    "Thanh tra Sở",
    "Phòng Cải cách hành chính",
    "Phòng Xây dựng chính quyền",
    "Ban Thi đua - Khen thưởng",
    "Ban Tôn giáo",
    "Chi cục Văn thư - Lưu trữ",
)


def _full_names() -> st.SearchStrategy[str]:
    return st.builds(
        lambda f, m, g: f"{f} {m} {g}",
        st.sampled_from(_FAMILY),
        st.sampled_from(_MIDDLE),
        st.sampled_from(_GIVEN),
    )


def _category(value: object) -> StaffCategory:
    return StaffCategory.parse(value)


def staff(
    *,
    staff_id: str | st.SearchStrategy[str] | None = None,
    unit_id: str | st.SearchStrategy[str] = "U1",
    position_id: str | st.SearchStrategy[str] = "P1",
    category: StaffCategory | str | st.SearchStrategy[StaffCategory] | None = None,
    manages_others: bool | None = None,
) -> st.SearchStrategy[Staff]:
    """:class:`~evalkit.Staff` with Vietnamese names (with diacritics), shrinking to
    ``Nguyễn Văn An``, a công chức without management duty.

    >>> from evalkit.testing import staff
    >>> staff(staff_id="CC-0001").example().id
    'CC-0001'
    """
    func = "staff"
    sid = (
        _staff_ids()
        if staff_id is None
        else _strategy_or_just(func, "staff_id", staff_id, _text_id)
    )
    uid = _strategy_or_just(func, "unit_id", unit_id, _text_id)
    pid = _strategy_or_just(func, "position_id", position_id, _text_id)
    cat = (
        st.sampled_from(list(StaffCategory))
        if category is None
        else _strategy_or_just(func, "category", category, _category)
    )
    mo = _check_opt_bool(func, "manages_others", manages_others)
    manages = st.booleans() if mo is None else st.just(mo)
    return st.builds(
        lambda i, n, p, u, c, m: Staff(i, n, p, u, category=c, manages_others=m),
        sid, _full_names(), pid, uid, cat, manages,
    )  # fmt: skip


@st.composite
def _unit_tree(draw: st.DrawFn, min_units: int, max_units: int, max_depth: int) -> tuple[Unit, ...]:
    n = draw(st.integers(min_units, max_units))
    depth = {"U1": 1}
    units = [Unit("U1", _UNIT_NAMES[0])]
    for i in range(2, n + 1):
        parents = [u.id for u in units if depth[u.id] < max_depth]
        parent = draw(st.sampled_from(parents))
        uid = f"U{i}"
        depth[uid] = depth[parent] + 1
        name = _UNIT_NAMES[i - 1] if i <= len(_UNIT_NAMES) else f"Đơn vị {i}"
        units.append(Unit(uid, name, parent_id=parent))
    return tuple(units)


def unit_trees(
    *, min_units: int = 1, max_units: int = 8, max_depth: int = 3
) -> st.SearchStrategy[tuple[Unit, ...]]:
    """A tree of :class:`~evalkit.Unit` objects: one root ``U1``, parents before children.

    ``max_depth`` counts the root as depth 1 (``max_depth=1`` is a single unit). Units
    have no heads; :func:`organisations` adds them. Shrinks to the root alone.

    >>> from evalkit.testing import unit_trees
    >>> units = unit_trees(max_units=3).example()
    >>> units[0].id, units[0].parent_id
    ('U1', None)
    """
    func = "unit_trees"
    _check_int(func, "min_units", min_units, low=1)
    _check_int(func, "max_units", max_units, low=1, high=500)
    _check_int(func, "max_depth", max_depth, low=1)
    _check_range(func, "min_units", min_units, "max_units", max_units)
    if max_depth == 1 and max_units > 1:
        max_units = 1 if min_units == 1 else max_units
        if min_units > 1:
            raise InvalidArgument(
                f"{func}(min_units={min_units!r}, max_depth=1): a tree of depth 1 has one unit"
            )
    return _unit_tree(min_units, max_units, max_depth)


_POSITIONS = (
    Position("P1", "Chuyên viên", "Officer"),
    Position("P2", "Trưởng phòng", "Head of unit", manages_others=True),
    Position("P3", "Phó Trưởng phòng", "Deputy head", manages_others=True),
)


@st.composite
def _organisation(
    draw: st.DrawFn,
    units: st.SearchStrategy[tuple[Unit, ...]],
    min_staff: int,
    max_staff: int,
    heads: bool | None,
    category: st.SearchStrategy[StaffCategory],
) -> Organisation:
    tree = draw(units)
    people: list[Staff] = []
    out_units: list[Unit] = []
    names = _full_names()
    for u in tree:
        k = draw(st.integers(min_staff, max_staff))
        has_head = k > 0 and (draw(st.booleans()) if heads is None else heads)
        head_id: str | None = None
        for j in range(k):
            sid = f"S{len(people) + 1:03d}"
            is_head = has_head and j == 0
            deputy = has_head and j == 1 and k > 3
            pos = "P2" if is_head else ("P3" if deputy else "P1")
            if is_head:
                head_id = sid
            people.append(
                Staff(
                    sid,
                    draw(names),
                    pos,
                    u.id,
                    category=draw(category),
                    manages_others=is_head or deputy,
                    manager_id=None if is_head or head_id is None else head_id,
                    title_vi="Trưởng phòng" if is_head else "",
                )
            )
        out_units.append(attrs.evolve(u, head_id=head_id))
    return Organisation(units=out_units, positions=_POSITIONS, staff=people)  # type: ignore[arg-type]


def organisations(
    *,
    min_units: int = 1,
    max_units: int = 4,
    max_depth: int = 3,
    min_staff_per_unit: int = 1,
    max_staff_per_unit: int = 5,
    heads: bool | None = True,
    category: StaffCategory | str | st.SearchStrategy[StaffCategory] = StaffCategory.CONG_CHUC,
) -> st.SearchStrategy[Organisation]:
    """A valid :class:`~evalkit.Organisation`: a unit tree, three positions, staff.

    With ``heads=True`` every unit with staff has a head, who is a member of that unit,
    holds position ``P2`` (Trưởng phòng), manages others and is the manager of the other
    staff of the unit; ``heads=None`` draws it per unit, ``False`` gives no heads. Staff
    ids are ``S001``, ``S002``... in unit order.

    >>> from evalkit.testing import organisations
    >>> org = organisations(max_units=2).example()
    >>> all(org.member(u.head_id).unit_id == u.id for u in org.units if u.head_id)
    True
    """
    func = "organisations"
    trees = unit_trees(min_units=min_units, max_units=max_units, max_depth=max_depth)
    _check_int(func, "min_staff_per_unit", min_staff_per_unit, low=0)
    _check_int(func, "max_staff_per_unit", max_staff_per_unit, low=0, high=200)
    _check_range(func, "min_staff_per_unit", min_staff_per_unit,
                 "max_staff_per_unit", max_staff_per_unit)  # fmt: skip
    hd = _check_opt_bool(func, "heads", heads)
    cat = _strategy_or_just(func, "category", category, _category)
    return _organisation(trees, min_staff_per_unit, max_staff_per_unit, hd, cat)


# =========================================================================== frames


def _frame_from_drafts(
    rules: RuleSet,
    drafts: Sequence[_Draft | None],
    periods_: Sequence[Period],
    categories: Sequence[StaffCategory],
) -> pd.DataFrame:
    n = len(drafts)
    cols: dict[str, Any] = {
        "staff_id": [f"S{i + 1:03d}" for i in range(n)],
        "period": [str(p) for p in periods_],
        "category": [c.value for c in categories],
        "manages_others": [bool(d and d.manages) for d in drafts],
        "is_head": [bool(d and d.is_head) for d in drafts],
    }
    for c in rules.criteria():
        vals = [d.scores.get(c.id, np.nan) if d else np.nan for d in drafts]
        if any(not math.isnan(v) for v in vals):
            cols[c.id] = np.array(vals, dtype=np.float64)
    if _kpi_blocks(rules):
        cols["kpi"] = np.array(
            [d.kpi if d is not None and d.kpi is not None else np.nan for d in drafts],
            dtype=np.float64,
        )
    cols["degradation"] = [bool(d and d.flags["degradation"]) for d in drafts]
    cols["discipline"] = [int(d.flags["discipline"]) if d else 0 for d in drafts]
    cols["corruption_in_unit"] = [bool(d and d.flags["corruption_in_unit"]) for d in drafts]
    cols["late_files"] = [int(d.flags["late_files"]) if d else 0 for d in drafts]
    cols["apologies"] = [int(d.flags["apologies"]) if d else 0 for d in drafts]
    return pd.DataFrame(cols)


@st.composite
def _frames(
    draw: st.DrawFn,
    rules: RuleSet,
    min_rows: int,
    max_rows: int,
    period: st.SearchStrategy[Period],
    manages_others: bool | None,
    kpi: bool | None,
    disqualifiers: bool,
    events: bool,
    not_evaluated: bool,
) -> pd.DataFrame:
    n = draw(st.integers(min_rows, max_rows))
    p = draw(period)
    drafts: list[_Draft | None] = []
    plan = _plan(rules)
    for _ in range(n):
        if not_evaluated and draw(_rarely(8)):
            drafts.append(None)
            continue
        d = _draw_draft(draw, plan, manages_others=manages_others, kpi=kpi,
                        disqualifiers=disqualifiers, events=events)  # fmt: skip
        drafts.append(d)
    cats = [draw(st.sampled_from(rules.categories)) for _ in range(n)]
    return _frame_from_drafts(rules, drafts, [p] * n, cats)


def staff_month_frames(
    rules: RuleSet | str,
    *,
    min_rows: int = 1,
    max_rows: int = 10,
    period: Period | str | st.SearchStrategy[Period] | None = None,
    manages_others: bool | None = None,
    kpi: bool | None = None,
    disqualifiers: bool = True,
    events: bool = True,
    not_evaluated: bool = False,
) -> st.SearchStrategy[pd.DataFrame]:
    """DataFrames of staff-months in :func:`evalkit.score_frame`'s documented columns.

    One row per person (``staff_id`` ``S001``, ``S002``...) for one month (``period``,
    by default a month in which ``rules`` is in force): ``category``,
    ``manages_others``, ``is_head``, one column per criterion scored, ``kpi`` where the
    rule set accepts one, and the flag columns ``degradation``, ``discipline``,
    ``corruption_in_unit``, ``late_files``, ``apologies``. ``not_evaluated=True`` adds
    now and then a row nobody scored (all criteria NaN). Other arguments are as for
    :func:`assessments`. Shrinks to one row of zeros.

    >>> import evalkit
    >>> from evalkit.testing import staff_month_frames
    >>> df = staff_month_frames("vn.nd335-2025", max_rows=3).example()
    >>> out = evalkit.score_frame(df, "vn.nd335-2025")
    >>> bool(out["total"].between(0, 100).all())
    True
    """
    func = "staff_month_frames"
    rs = _as_rule_set(func, "rules", rules)
    _check_int(func, "min_rows", min_rows, low=0)
    _check_int(func, "max_rows", max_rows, low=0, high=100_000)
    _check_range(func, "min_rows", min_rows, "max_rows", max_rows)
    per = (
        _periods_in_force(rs)
        if period is None
        else _strategy_or_just(func, "period", period, Period.parse)
    )
    mo = _check_opt_bool(func, "manages_others", manages_others)
    kp = _check_opt_bool(func, "kpi", kpi)
    dq = _check_bool(func, "disqualifiers", disqualifiers)
    ev = _check_bool(func, "events", events)
    ne = _check_bool(func, "not_evaluated", not_evaluated)
    return _frames(rs, min_rows, max_rows, per, mo, kp, dq, ev, ne)


@st.composite
def _org_months(
    draw: st.DrawFn,
    rules: RuleSet,
    orgs: st.SearchStrategy[Organisation],
    period: st.SearchStrategy[Period],
    disqualifiers: bool,
) -> tuple[Organisation, pd.DataFrame, pd.DataFrame]:
    org = draw(orgs)
    p = draw(period)
    plan = _plan(rules)
    heads = {u.head_id for u in org.units if u.head_id}
    drafts: list[_Draft | None] = []
    for s in org.staff:
        d = _draw_draft(draw, plan, manages_others=s.manages_others and plan.has_manager_inputs,
                        kpi=False, disqualifiers=disqualifiers, events=False)  # fmt: skip
        drafts.append(attrs.evolve(d, is_head=s.id in heads))
    cats = [s.category for s in org.staff]
    sm = _frame_from_drafts(rules, drafts, [p] * len(drafts), cats)
    sm["staff_id"] = [s.id for s in org.staff]
    sm["unit_id"] = [s.unit_id for s in org.staff]
    sm["manager_id"] = pd.Series([s.manager_id for s in org.staff], dtype=object)
    units: dict[str, list[Any]] = {
        "unit_id": [], "parent_id": [], "head_id": [], "period": [],
        "tasks_assigned": [], "tasks_done": [], "tasks_exceeded": [],
    }  # fmt: skip
    for u in org.units:
        assigned = draw(st.integers(1, 20))
        done = draw(st.integers(0, assigned))
        units["unit_id"].append(u.id)
        units["parent_id"].append(u.parent_id)
        units["head_id"].append(u.head_id)
        units["period"].append(str(p))
        units["tasks_assigned"].append(float(assigned))
        units["tasks_done"].append(float(done))
        units["tasks_exceeded"].append(float(draw(st.integers(0, done))))
    uf = pd.DataFrame(units)
    for c in ("parent_id", "head_id"):
        uf[c] = uf[c].astype(object)
    return org, sm, uf


def organisation_months(
    rules: RuleSet | str,
    *,
    max_units: int = 4,
    max_depth: int = 3,
    max_staff_per_unit: int = 5,
    period: Period | str | st.SearchStrategy[Period] | None = None,
    disqualifiers: bool = True,
) -> st.SearchStrategy[tuple[Organisation, pd.DataFrame, pd.DataFrame]]:
    """A whole organisation-month: ``(organisation, staff_months, units)``.

    ``organisation`` is drawn by :func:`organisations` (every unit with staff has a
    head who belongs to it); ``staff_months`` is a frame as :func:`staff_month_frames`
    draws, one row per member, with ``unit_id``, ``manager_id`` and ``is_head`` from the
    organisation; ``units`` has one row per unit with ``parent_id``, ``head_id``,
    ``period`` and task completion (``tasks_assigned``, ``tasks_done``,
    ``tasks_exceeded``) -- the two inputs of :func:`evalkit.units.classify_frame`.

    >>> from evalkit.testing import organisation_months
    >>> org, sm, units = organisation_months("vn.nd335-2025", max_units=2).example()
    >>> sorted(sm["unit_id"].unique()) == sorted(units["unit_id"])
    True
    """
    func = "organisation_months"
    rs = _as_rule_set(func, "rules", rules)
    orgs = organisations(max_units=max_units, max_depth=max_depth,
                         max_staff_per_unit=max_staff_per_unit, min_staff_per_unit=1,
                         category=st.sampled_from(rs.categories))  # fmt: skip
    per = (
        _periods_in_force(rs)
        if period is None
        else _strategy_or_just(func, "period", period, Period.parse)
    )
    dq = _check_bool(func, "disqualifiers", disqualifiers)
    return _org_months(rs, orgs, per, dq)


# =========================================================================== task tables

TASK_COLUMNS: dict[str, str] = {
    "task_id": "the task's id (text)",
    "assignee": "the staff id of the person the task is assigned to",
    "unit_id": "the unit of the assignee",
    "assigned": "the date the task was assigned",
    "due": "the due date (on or after assigned)",
    "done": "the date it was done (NaT while open)",
    "quality_errors": "count of major quality errors found in the work product",
    "exceeded": "bool: the result exceeded what was asked",
}


@st.composite
def _tasks(
    draw: st.DrawFn,
    staff_ids: Sequence[str],
    unit_of: Mapping[str, str],
    period: st.SearchStrategy[Period],
    min_rows: int,
    max_rows: int,
) -> pd.DataFrame:
    p = draw(period)
    n = draw(st.integers(min_rows, max_rows))
    days = (p.end - p.start).days
    rows: dict[str, list[Any]] = {k: [] for k in TASK_COLUMNS}
    for i in range(n):
        who = draw(st.sampled_from(staff_ids))
        assigned = p.start + _dt.timedelta(days=draw(st.integers(0, days)))
        due = assigned + _dt.timedelta(days=draw(st.integers(0, 20)))
        state = draw(st.sampled_from(["on_time", "late", "open"]))
        if state == "on_time":
            done: _dt.date | None = assigned + _dt.timedelta(
                days=draw(st.integers(0, (due - assigned).days))
            )
        elif state == "late":
            done = due + _dt.timedelta(days=draw(st.integers(1, 15)))
        else:
            done = None
        rows["task_id"].append(f"T{i + 1:04d}")
        rows["assignee"].append(who)
        rows["unit_id"].append(unit_of.get(who, "U1"))
        rows["assigned"].append(pd.Timestamp(assigned))
        rows["due"].append(pd.Timestamp(due))
        rows["done"].append(pd.Timestamp(done) if done is not None else pd.NaT)
        rows["quality_errors"].append(draw(st.integers(0, 9).map(lambda x: max(0, x - 7))))
        rows["exceeded"].append(draw(_rarely(5)) if done is not None else False)
    frame = pd.DataFrame(rows)
    for col in ("assigned", "due", "done"):
        frame[col] = pd.to_datetime(frame[col])
    frame["quality_errors"] = frame["quality_errors"].astype("int64")
    frame["exceeded"] = frame["exceeded"].astype(bool)
    return frame


def task_tables(
    *,
    staff_ids: Collection[str] = ("S001", "S002", "S003"),
    unit_of: Mapping[str, str] | None = None,
    period: Period | str | st.SearchStrategy[Period] | None = None,
    min_rows: int = 0,
    max_rows: int = 20,
) -> st.SearchStrategy[pd.DataFrame]:
    """Task-tracker tables: one row per task in the columns of :data:`TASK_COLUMNS`.

    Tasks are assigned within ``period`` (default: a month of 2026) to ``staff_ids``
    (whose units come from ``unit_of``, default ``U1``); each is done on time, done late
    or still open; some have major quality errors or exceeded what was asked. Shrinks to
    the empty table.

    >>> from evalkit.testing import task_tables
    >>> df = task_tables(min_rows=1, max_rows=3).example()
    >>> bool((df["due"] >= df["assigned"]).all())
    True
    """
    func = "task_tables"
    if isinstance(staff_ids, str):
        raise _fail(func, "staff_ids", staff_ids, "expected a collection of staff ids, not text")
    ids = list(staff_ids)
    if not ids or not all(isinstance(i, str) and i for i in ids):
        raise _fail(func, "staff_ids", staff_ids, "expected at least one non-empty staff id")
    units = dict(unit_of or {})
    per = (
        periods(min_value="2026-01", max_value="2026-12")
        if period is None
        else _strategy_or_just(func, "period", period, Period.parse)
    )
    _check_int(func, "min_rows", min_rows, low=0)
    _check_int(func, "max_rows", max_rows, low=0, high=100_000)
    _check_range(func, "min_rows", min_rows, "max_rows", max_rows)
    return _tasks(ids, units, per, min_rows, max_rows)
