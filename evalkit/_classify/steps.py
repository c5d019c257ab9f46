"""The classification steps every classified period shares (a month under a monthly scheme,
a quarter, the year), in their legal order, on arrays of person-periods:

1. the competent level's conclusion (lower always applies with a written reason; higher
   only where the rule set allows it);
2. the head of a unit is not graded above the unit (``cap.head_unit``);
3. the deputy is not graded above the head when the unit has late work (customs option);
4. the quota per unit (and group with similar duties) and rule set; then step 3 again, as
   the quota may have demoted the head.

The disqualifiers and caps of the rule set come before, from the scoring kernel (months)
or from the year's flags (years). Each step leaves a flag bit whose code is in
:mod:`evalkit.reasons`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalkit import _conclusion
from evalkit._classify.common import (
    HTXS,
    BoolArray,
    FloatArray,
    IntArray,
    grade_codes,
    grades,
    per_rule,
    texts,
)  # fmt: skip
from evalkit._classify.quota import apply_quota
from evalkit.errors import InputError
from evalkit.rules import RuleSet

__all__ = ["STAFF_FLAGS", "run_steps"]

#: Flag bit → reason code of a person-period: bit ``1 << i`` is the i-th code (8, 32, 512 and
#: 1024 are set by the conclusion step through ``_CONCLUSION_FLAGS``).
STAFF_FLAGS: dict[int, str] = {1 << i: code for i, code in enumerate((
    "management.d", "management.d_typed", "management.d_default", "competent.concluded",
    "competent.above_band", "competent.above_band_applied", "cap.head_unit", "cap.deputy_head",
    "quota.demoted", "competent.not_applied", "competent.not_graded"))}  # fmt: skip
(F_MGMT_D, F_MGMT_TYPED, F_MGMT_DEFAULT, _, F_ABOVE, _, F_HEAD, F_DEPUTY,
 F_QUOTA) = list(STAFF_FLAGS)[:9]

#: The value of a ``quota_*`` column on a row outside every quota (0 where not listed).
_NO_QUOTA = {"quota_group": -1, "quota_percent": np.nan, "quota_raised": False}
#: The conclusion's cases (fields of :class:`evalkit._conclusion.Conclusion`) → flag bit.
_CONCLUSION_FLAGS = {f: {c: b for b, c in STAFF_FLAGS.items()}[code]
                     for f, code in _conclusion.CODES.items()}  # fmt: skip


def run_steps(frame: pd.DataFrame, sets: Sequence[RuleSet], rule: IntArray, grade: Any,
              flags: IntArray, classified: BoolArray, *, is_head: BoolArray, unit_grade: Any,
              applies: BoolArray, group: IntArray, exceptional: BoolArray, total: FloatArray,
              comps: Mapping[str, FloatArray], deputy: tuple[BoolArray, IntArray, BoolArray],
              top_grade: Any, unlisted: IntArray | None = None
              ) -> tuple[Any, dict[str, Any], dict[str, Any]]:  # fmt: skip
    """The steps, in their legal order, over ``n`` person-periods of ``frame``; ``rule[i]``
    indexes ``sets``. ``grade`` (int8 codes, -1 = not graded) is changed in place; ``flags``
    collects the reason bits; ``classified`` marks the rows whose rule set classifies their
    period — the only rows the steps touch.

    ``deputy`` is who is a deputy, the row of their unit's head and the unit's late work
    (capped where the rule set says so); ``top_grade`` per row, the grade of its unit's
    topmost ancestor (the public service unit, which raises a quota ``raised_when =
    "top_unit_excellent"``); ``unlisted`` per row, its unit's staff without a row (counted
    by a quota on all staff). Returns the grades before the quota, the competent level's
    columns (where the frame has them) and the quota columns (where a quota applied;
    ``head_grade`` where a deputy was capped at the head)."""
    given = "competent_grade" in frame.columns
    if not given and not classified.any():  # a period only scored: no step applies
        return grade.copy(), {}, {}

    def cap(who: BoolArray, at: Any, bit: int) -> None:  # who is not graded above ``at``
        hit = classified & who & (at >= 0) & (grade > at)
        grade[hit] = at[hit]
        flags[hit] |= bit

    # the competent level's concluded grade (-1 = none) with its written reason, as
    # evalkit._conclusion.conclude gives it (the one implementation the scoring paths
    # share). A period the rule set does not classify keeps its band; a conclusion that
    # differs from it is said not to apply (never dropped without a word)
    concluded = grade_codes(frame, "competent_grade", sets, rule)
    reason = texts(frame, "competent_reason")
    c = _conclusion.conclude(grade, concluded, reason, classified,
                             per_rule(sets, rule, lambda rs: rs.conclusion.requires_reason),
                             per_rule(sets, rule, lambda rs: rs.conclusion.above_band))
    if c.missing_reason.any():
        raise InputError(_conclusion.problems(frame, c.missing_reason))
    grade[:] = c.grade
    for field, bit in _CONCLUSION_FLAGS.items():
        flags[getattr(c, field)] |= bit
    # a head is not graded above the unit's grade
    cap(is_head & per_rule(sets, rule, lambda rs: rs.units.head_capped_at_unit), unit_grade, F_HEAD)
    # a deputy is not graded above the head (``head``: the row of their unit's head) when
    # the unit has late work, where the rule set says so: at the head's grade after the
    # head's own steps, and again after the quota (a head it demoted caps their deputy too)
    who, head, late = deputy
    capped = who & late & per_rule(sets, rule, lambda rs: rs.units.deputy_capped_at_head_when_late)
    cap(capped, np.where(head >= 0, grade[np.maximum(head, 0)], -1), F_DEPUTY)
    # a conclusion still above the grade after the caps is reported (never applied)
    flags[classified & (grade >= 0) & (concluded > grade)] |= F_ABOVE
    proposed = grade.copy()
    qcols: dict[str, Any] = {}  # each rule set's quota over its rows where it applies
    raising = {"unit_excellent": unit_grade == HTXS, "exceptional": exceptional,
               "top_unit_excellent": top_grade == HTXS}
    for i, rs in enumerate(sets):
        rows = np.flatnonzero(applies & (rule == i))
        if rs.quota is None or rows.size == 0:
            continue
        # a capped deputy ranks right after the head (the row it follows; -1 for none)
        demote, q = apply_quota(rs, frame, rows, grade, group, raising, total, comps, unlisted,
                                np.where(capped, head, -1))
        grade[demote] = int(rs.quota.grade) - 1
        flags[demote] |= F_QUOTA
        q["quota_group"] += int(qcols["quota_group"].max()) + 1 if qcols else 0
        for k, v in q.items():  # a row outside every quota: no group (-1), no figure
            qcols.setdefault(k, np.full(applies.size, _NO_QUOTA.get(k, 0), v.dtype))[rows] = v
        qcols["quota_groups"] = quota_groups(group, qcols["quota_group"])  # (so far)
    if qcols:  # numbered by what names a group, never by the order of the rows
        qcols["quota_group"] = _numbered(frame, sets, rule, qcols["quota_group"])
    cap(capped, np.where(head >= 0, grade[np.maximum(head, 0)], -1), F_DEPUTY)
    capped = (flags & F_DEPUTY) != 0
    if capped.any():  # the head's final grade, for the sentence
        qcols["head_grade"] = grades(np.where(capped, grade[np.maximum(head, 0)], -1))
    competent = {"competent_grade": grades(concluded), "competent_reason": reason}
    return proposed, competent if given else {}, qcols


def _numbered(frame: pd.DataFrame, sets: Sequence[RuleSet], rule: IntArray,
              qg: IntArray) -> IntArray:
    """The quota groups ``qg`` (-1: none) renumbered in the order of their period, unit,
    rule set and duty group (what names a group, :func:`evalkit.units.quota_report`)."""
    first = np.unique(qg, return_index=True)[1][int(qg.min() < 0):]  # each group's row
    names = [c for c in ("period", "unit_id", "duty_group") if c in frame.columns]
    sub = frame[names].iloc[first]  # (the groups' first rows only: the cost is k)
    # the keys last first, as lexsort takes them ("": the set)
    keys = [texts(sub, c) if c else np.array([rs.id for rs in sets], dtype=object)[rule[first]]
            for c in ("duty_group", "", "unit_id", "period") if not c or c in names]
    # each group's place in that order: the inverse of the sorting permutation (-1: none)
    return np.append(np.argsort(np.lexsort([pd.factorize(k, sort=True)[0] for k in keys])), -1)[qg]


def quota_groups(group: IntArray, quota_group: IntArray) -> IntArray:
    """Per row: how many quota groups its unit has in the period (``group``: the unit-period
    of each row; ``quota_group``: its quota group, ``-1`` outside any), 0 outside any. Two
    or more: a unit mixing rule sets (công chức under NĐ 335/2025 beside viên chức) or duty
    groups, whose demotion sentence names the group (``quota.demoted``).

    >>> quota_groups(np.array([0, 0, 0, 1]), np.array([0, 1, 1, -1])).tolist()
    [2, 2, 2, 0]
    """
    inside = (quota_group >= 0) & (group >= 0)
    # each quota group's unit-period (a quota group lies in one), counted per unit-period
    unit_of = group[inside][np.unique(quota_group[inside], return_index=True)[1]]
    per_unit = np.bincount(unit_of, minlength=int(group.max(initial=0)) + 1)
    return np.where(inside, per_unit[np.maximum(group, 0)], 0)
