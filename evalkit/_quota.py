"""Quota arithmetic shared by the object and the frame paths of :mod:`evalkit.units`.

The cap of a group is ``percent`` % of its base count, rounded as the rule set says
(domain brief §4.6: default floor, counted before demotion). When the cap is counted
*after* demotion and the people demoted join the base (an HTXS demoted to HTT joins an
HTT base), the cap is the largest ``k`` kept such that ``k <= round(p × (base + C - k))``
for ``C`` candidates — solved here in closed form, element-wise, so both paths share it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from evalkit.model import Grade
from evalkit.rules._schema import QuotaPolicy

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_EPS = 1e-9

__all__ = ["base_grade", "demoted_join_base", "kept_counts", "round_count"]


def round_count(x: FloatArray, rounding: str) -> IntArray:
    """Round non-negative head counts: ``floor`` (2.4 → 2), ``half_up`` (2.5 → 3), ``ceil``.

    >>> round_count(np.array([2.4, 2.5, 6.0]), "floor").tolist()
    [2, 2, 6]
    >>> round_count(np.array([2.4, 2.5, 6.0]), "half_up").tolist()
    [2, 3, 6]
    >>> round_count(np.array([2.4, 2.5, 6.0]), "ceil").tolist()
    [3, 3, 6]
    """
    if rounding == "floor":
        out = np.floor(x + _EPS)
    elif rounding == "half_up":
        out = np.floor(x + 0.5 + _EPS)
    else:
        out = np.ceil(x - _EPS)
    return np.maximum(out, 0).astype(np.int64)


def base_grade(policy: QuotaPolicy) -> Grade | None:
    """The grade counted as the base, or None when the base is everyone classified."""
    return None if policy.base == "classified" else Grade.parse(policy.base)


def demoted_join_base(policy: QuotaPolicy) -> bool:
    """Whether the cap is counted after demotion *and* the demoted join the base."""
    bg = base_grade(policy)
    return (
        policy.count_base == "after_demotion"
        and bg is not None
        and int(policy.grade) > 0
        and int(bg) == int(policy.grade) - 1
    )


def kept_counts(
    base: IntArray,
    candidates: IntArray,
    percent: FloatArray,
    policy: QuotaPolicy,
) -> tuple[IntArray, IntArray]:
    """Per group, ``(cap, kept)``: how many may keep the grade and how many do.

    ``base`` is the base count before demotion, ``candidates`` the number proposed for
    the quota grade, ``percent`` the percentage that applies to the group.

    >>> import numpy as np
    >>> from evalkit.rules import QuotaPolicy
    >>> cap, kept = kept_counts(np.array([10]), np.array([4]), np.array([20.0]), QuotaPolicy())
    >>> int(cap[0]), int(kept[0])
    (2, 2)
    """
    b = base.astype(np.int64)
    c = candidates.astype(np.int64)
    p = percent / 100.0
    if not demoted_join_base(policy):
        cap = round_count(b * p, policy.rounding)
        return cap, np.minimum(cap, c)
    # largest k in [0, C] with k <= round(p (B + C - k)); the right side falls as k grows
    k0 = np.floor(p * (b + c) / (1.0 + p) + _EPS).astype(np.int64)
    best = np.zeros_like(c)
    for k in (k0 - 1, k0, k0 + 1, k0 + 2):
        kk = np.clip(k, 0, None)
        ok = (kk <= c) & (kk <= round_count(p * (b + c - kk), policy.rounding))
        best = np.where(ok, np.maximum(best, kk), best)
    kept = best
    cap = round_count(p * (b + c - kept), policy.rounding)
    return np.maximum(cap, kept), kept
