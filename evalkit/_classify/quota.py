"""The quota step: how many people of a group may keep the quota grade, and who.

The cap of a group is ``percent`` % of its base count, rounded as the rule set says
(domain brief §4.6: default floor, counted before demotion). When the cap is counted
*after* demotion and the people demoted join the base (an HTXS demoted to HTT joins an
HTT base), the cap is the largest ``k`` kept such that ``k <= round(p × (base + C - k))``
for ``C`` candidates — solved in closed form, element-wise.

A group is one unit (and, when the rule set says so, one group with similar duties)
under one rule set in one period. The higher percentage applies where the unit (or the
public service unit it belongs to, the top of its tree) is rated excellent or was
recognised as especially outstanding (an explicit input), as the rule set's
``raised_when`` says, counted on its ``raised_base``. A base of all staff counts the
group's rows and the unit's staff without a row (the units frame's ``staff_total``,
:func:`unlisted_staff`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from evalkit import _columns, _kernels
from evalkit._classify.common import BoolArray, FloatArray, IntArray, floats, rank_within
from evalkit.errors import InputError, InputProblem
from evalkit.model import Grade
from evalkit.rules import QuotaPolicy, RuleSet

_EPS = 1e-9

__all__ = ["apply_quota", "base_grade", "deduction_columns", "kept_counts", "round_count",
           "tie_keys", "unlisted_staff", "year_quota"]


def round_count(x: FloatArray, rounding: str) -> IntArray:
    """Round non-negative head counts: ``floor`` (2.4 → 2), ``half_up`` (2.5 → 3), ``ceil``.

    >>> round_count(np.array([2.4, 2.5, 6.0]), "floor").tolist()
    [2, 2, 6]
    >>> round_count(np.array([2.4, 2.5, 6.0]), "half_up").tolist()
    [2, 3, 6]
    >>> round_count(np.array([2.4, 2.5, 6.0]), "ceil").tolist()
    [3, 3, 6]
    """
    half = 0.5 if rounding == "half_up" else 0.0  # x + 0.0: x exactly
    out = np.floor(x + half + _EPS) if rounding in ("floor", "half_up") else np.ceil(x - _EPS)
    return np.maximum(out, 0).astype(np.int64)


def base_grade(base: str) -> Grade | None:
    """The grade counted as the base, or None when the base is not a grade."""
    return None if base in ("classified", "all_staff") else Grade.parse(base)


def _joins(policy: QuotaPolicy) -> bool:
    """Whether the cap is counted after demotion with the demoted joining the base (a base
    of the grade just below the quota grade)."""
    return policy.count_base == "after_demotion" and base_grade(policy.base) == policy.grade - 1


def kept_counts(base: IntArray, candidates: IntArray, percent: FloatArray, policy: QuotaPolicy,
                join_base: BoolArray | None = None) -> tuple[IntArray, IntArray]:  # fmt: skip
    """Per group, ``(cap, kept)``: how many may keep the grade and how many do.

    ``base`` is the base count before demotion, ``candidates`` the number proposed for
    the quota grade, ``percent`` the percentage that applies to the group; ``join_base``
    marks groups whose cap is counted after demotion with the demoted joining the base
    (default: as ``policy`` says for its base).

    >>> from evalkit.rules import QuotaPolicy
    >>> cap, kept = kept_counts(np.array([10]), np.array([4]), np.array([20.0]), QuotaPolicy())
    >>> int(cap[0]), int(kept[0])
    (2, 2)
    """
    p = percent / 100.0
    # where the demoted join the base: the largest k in [0, C] with k <= round(p (B + C - k));
    # the right side falls as k grows
    cap, n = round_count(base * p, policy.rounding), base + candidates
    k0 = np.floor(p * n / (1.0 + p) + _EPS).astype(np.int64)
    best = np.zeros_like(candidates)
    for kk in np.clip(k0 + np.arange(-1, 3)[:, None], 0, None):  # k0 - 1 .. k0 + 2
        ok = (kk <= candidates) & (kk <= round_count(p * (n - kk), policy.rounding))
        best = np.where(ok, kk, best)  # kk grows: the last that fits
    cap_j = np.maximum(round_count(p * (n - best), policy.rounding), best)
    join = _joins(policy) if join_base is None else join_base
    return np.where(join, cap_j, cap), np.where(join, best, np.minimum(cap, candidates))


def deduction_columns(sets: Sequence[RuleSet], rule: IntArray,
                      columns: Collection[Any]) -> dict[str, BoolArray]:  # fmt: skip
    """The columns of ``columns`` that tie-break ``fewer_deductions`` counts under some of
    ``sets`` (:meth:`evalkit.rules.RuleSet.deduction_inputs`: error/delay counts,
    deductions), each with the rows whose rule set (``rule`` codes
    each row's set into ``sets``) counts it.

    >>> import evalkit.rules
    >>> rs = evalkit.rules.get("vn.nd335-2025")
    >>> {c: v.tolist() for c, v in deduction_columns([rs], np.zeros(2, np.int64),
    ...                                              ["total", "loi_chat_luong"]).items()}
    {'loi_chat_luong': [True, True]}
    """
    per_set = [rs.deduction_inputs() for rs in sets]
    return {cid: np.array([cid in d for d in per_set])[rule]
            for cid in dict.fromkeys(c for d in per_set for c in d) if cid in columns}


def unlisted_staff(ut: pd.DataFrame, urow: IntArray) -> IntArray:
    """Per unit-period of ``ut`` (the engine's unit table; ``urow`` gives each staff row's),
    its staff without a row in the staff frame: ``staff_total`` less its rows (0 where
    ``staff_total`` is blank or absent). Hà Nội QĐ 3814-QĐ/TU: the raised cap counts "tổng
    số … của cơ quan, đơn vị", the people without an assessment this period included.

    A ``staff_total`` below the unit's rows is refused, every such unit-period named.

    >>> ut = pd.DataFrame({"unit_id": ["U", "V"], "period": "2026-03", "source_row_": [0, 1],
    ...                    "staff_total": [9, None]})
    >>> unlisted_staff(ut, np.array([0, 0, 1])).tolist()
    [7, 0]
    """
    rows, total = np.bincount(urow, minlength=len(ut)), floats(ut, "staff_total")
    if (low := np.flatnonzero(total < rows)).size:
        ids, per = ut["unit_id"].astype(str).to_numpy(), ut["period"].astype(str).to_numpy()
        raise InputError(_columns.capped([InputProblem(
            f"staff_total {total[i]:g} is below the {rows[i]} staff rows of unit {ids[i]!r} "
            f"({per[i]}): it counts the unit's whole staff, those rows included",
            row=_columns.row_label(ut["source_row_"].iloc[i]), column="staff_total",
            value=float(total[i])) for i in low]))  # fmt: skip
    return np.where(np.isnan(total), 0, total - rows).astype(np.int64)


def year_quota(sets: Sequence[RuleSet], rule: IntArray, applies: BoolArray, on: BoolArray,
               day: IntArray, category: IntArray | None) -> tuple[list[RuleSet], IntArray, BoolArray]:  # fmt: skip
    """The year's sets, rule codes and quota rows for :func:`~evalkit._classify.steps.run_steps`:
    a set's own year quota (``rollup.quota``) takes the rows ``on`` (classified) it reaches
    (its scope: ``day``, ``category``, :func:`evalkit._kernels.scope_mask`), as a copy of the
    set holding it — counted apart from the set's other people, who keep ``[quota]``."""
    out, rule, applies = [*sets], rule.copy(), applies.copy()
    for i, rs in enumerate(sets):
        if (q := rs.rollup.quota) is not None:
            mine = (rule == i) & on & _kernels.scope_mask(q.scope, day, category)
            rule[mine], applies[mine] = len(out), True
            out.append(attrs.evolve(rs, quota=q))
    return out, rule, applies


def tie_keys(rules: RuleSet, frame: pd.DataFrame, total: FloatArray,
             comps: Mapping[str, FloatArray], rows: IntArray) -> Iterator[Any]:  # fmt: skip
    """Sort keys (ascending, primary first) of the quota candidates ``rows``.

    Domain brief §4.6: total, then task results, then fewer deductions, then the competent
    level's explicit order (as the rule set's ``tie_break`` lists), then the staff id. A
    year's deductions are those its months' sets deducted (``frame.attrs["deduction_inputs"]``,
    :func:`evalkit.units.rollup_frame`), as its total and task points are their months'
    whatever the year's set: a viên chức's months as a công chức count (NĐ 335 Điều 14 k2).
    """
    assert rules.quota is not None
    for t in (*rules.quota.tie_break, "staff_id"):
        if t == "total":
            yield -total[rows]
        elif t == "tasks":  # the blocks that score task results (Hà Nội: the group `tasks`)
            yield -sum((np.nan_to_num(comps[f"points_{b.id}"][rows]) for b in rules.blocks
                        if (b.kind in ("percent_average", "ratio") or b.params.get("group")
                            == "tasks") and f"points_{b.id}" in comps), np.zeros(rows.size))
        elif t == "fewer_deductions":  # a year's: those its months' sets counted (roll-up)
            yield sum((np.nan_to_num(floats(frame, c)[rows]) for c in frame.attrs.get(
                "deduction_inputs", rules.deduction_inputs())), np.zeros(rows.size))
        elif t == "competent_order":
            yield np.nan_to_num(floats(frame, "competent_order")[rows], nan=np.inf)
        elif t == "staff_id":  # the ids as text: lexsort compares them as they are
            yield frame["staff_id"].iloc[rows].astype(str).to_numpy()


def apply_quota(rules: RuleSet, frame: pd.DataFrame, rows: IntArray, grade: IntArray,
                group: IntArray, raising: Mapping[str, BoolArray],
                total: FloatArray, comps: Mapping[str, FloatArray], unlisted: IntArray | None,
                follows: IntArray) -> tuple[IntArray, dict[str, Any]]:  # fmt: skip
    """The quota of ``rules`` over ``rows`` (positions in ``frame``); nothing is changed here.

    ``group`` numbers each row's group (unit and period; the duty group is added when the
    policy groups by it); ``raising`` says per row, by each value of the policy's
    ``raised_when``, whether the higher percentage applies: ``unit_excellent`` its unit
    rated excellent, ``top_unit_excellent`` its unit's topmost ancestor (the public service
    unit, NĐ 233/2026/NĐ-CP Điều 12 k6 b), ``exceptional`` its unit recognised as especially
    outstanding; ``unlisted`` per row,
    its unit's staff without a row (:func:`unlisted_staff`), which a base of all staff
    counts where the group is the whole unit (a head count does not say whose duty group).
    ``follows`` gives per row of ``frame`` the row it ranks right after when both are
    candidates of one group, -1 for none: a deputy who may not be graded above the head
    (customs CV 21169/CHQ-TCCB, when the unit has late work) holds a place only with the
    head, so the quota ranks the pair at the head's place and a place the deputy could not
    keep goes to the next candidate instead of being lost.
    Returns the rows the quota demotes and the ``quota_*`` columns for ``rows``.
    """
    q = rules.quota
    assert q is not None
    g = group[rows]
    by_duty = "duty_group" in q.group_by and "duty_group" in frame.columns
    if by_duty:
        dcode = pd.factorize(frame["duty_group"].iloc[rows].astype(object))[0]
        g = g * (int(dcode.max()) + 2) + (dcode + 1)
    gcode = pd.factorize(g)[0].astype(np.int64)
    n_groups, gr = int(gcode.max(initial=-1)) + 1, grade[rows]
    raised = np.zeros(n_groups, dtype=bool)  # (never without a raised percentage)
    raised[gcode] = raising[q.raised_when][rows] & (q.raised_percent is not None)

    def count(base: str) -> IntArray:
        # no grade (None): all the graded rows (or all rows)
        member = (gr >= 0) | (base == "all_staff") if (bg := base_grade(base)) is None else gr == bg
        out = np.bincount(gcode[member], minlength=n_groups)
        if base == "all_staff" and unlisted is not None and not by_duty:
            out[gcode] += unlisted[rows]  # the same per row of a group: once per group
        return out

    (up_base, up_pct, _), (base, pct0, _) = q.terms(True), q.terms(False)
    base_n = np.where(raised, count(up_base), count(base))
    cand = gr == q.grade
    cand_n = np.bincount(gcode[cand], minlength=n_groups)
    pct = np.where(raised, float(up_pct), float(pct0))
    join = _joins(q) & (~raised | (base_grade(up_base) == base_grade(base)))
    cap, kept = kept_counts(base_n, cand_n, pct, q, join)
    if q.small_group_size is not None and q.small_group_keep is not None:
        small = count("classified") < q.small_group_size  # the group's graded rows
        cap = np.where(small, np.maximum(cap, q.small_group_keep), cap)
        kept = np.where(small, np.minimum(np.maximum(kept, q.small_group_keep), cand_n), kept)
    # qrank: 1-based among candidates, 0 for none
    qrank, ci = np.zeros(rows.shape[0], dtype=np.int64), np.flatnonzero(cand)
    keys = list(tie_keys(rules, frame, total, comps, rows[ci]))
    # a capped deputy: the head's keys, then after the head
    lead = pd.Index(rows[ci]).get_indexer(pd.Index(follows[rows[ci]]))  # its place in ci
    after = (lead >= 0) & (gcode[ci][np.maximum(lead, 0)] == gcode[ci])
    if after.any():  # (each key at the head's place, else at the row's own)
        keys = [*(k[np.where(after, lead, np.arange(ci.size))] for k in keys), after, *keys]
    qrank[ci] = rank_within(gcode[ci], *keys) + 1
    return rows[ci[qrank[ci] > kept[gcode[ci]]]], {
        "quota_group": gcode, "quota_base": base_n[gcode], "quota_percent": pct[gcode],
        "quota_cap": cap[gcode], "quota_candidates": cand_n[gcode], "quota_rank": qrank,
        "quota_raised": raised[gcode]}

