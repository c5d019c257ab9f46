"""The unit-score kernel shared by the object and the frame paths of :mod:`evalkit.units`.

A unit's score for a period (domain brief §3, §4.2) is the weighted mean of the
components present — task completion, the scores of the evaluating bodies,
cross-evaluation, the satisfaction index — plus bonus, minus deduction and a deduction per
overdue task, clipped to ``[0, total]`` and rounded half-up to the cent. Its grade is
the band of the score, then the NĐ 233 conditions for HTXS (score, tasks done, tasks
exceeded); the conditions that look at other units (no sub-unit KHT, a small parent's
limit) are applied bottom-up by the callers.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import numpy as np
import numpy.typing as npt

from evalkit.model import Grade, Reason
from evalkit.rules._schema import RuleSet
from evalkit.rules.blocks import band_codes, round_half_up

FloatArray = npt.NDArray[np.float64]
Int8Array = npt.NDArray[np.int8]

__all__ = [
    "UNIT_BITS",
    "UNIT_INPUT_COLUMNS",
    "UnitKernelOutput",
    "unit_kernel",
    "unit_reasons",
]

#: Numeric input columns of a unit-period (besides ``body_<name>`` columns).
UNIT_INPUT_COLUMNS: dict[str, str] = {
    "tasks_assigned": "tasks assigned in the period (count)",
    "tasks_done": "tasks done (count, at most assigned)",
    "tasks_on_time": "tasks done on time (count, at most done; blank = all done on time)",
    "tasks_overdue": "tasks past their deadline and not done (count)",
    "tasks_exceeded": "tasks done beyond their target (count, at most done)",
    "cross_score": "cross-evaluation score 0-100 (districts, departments, enterprises)",
    "satisfaction": "satisfaction index 0-100 (e.g. SIPAS)",
    "bonus": "bonus points (điểm thưởng)",
    "deduction": "deduction points (điểm trừ)",
    "score": "the unit's concluded score 0-100 (e.g. by an appraisal council); overrides",
}

# reason bits of a unit result, in message order
BIT_NOT_EVALUATED = 1
BIT_SCORE = 2
BIT_TASKS_DONE = 4
BIT_EXCEEDED = 8
BIT_SUBUNIT_KHT = 16
BIT_SMALL_PARENT = 32
UNIT_BITS: dict[int, str] = {
    BIT_NOT_EVALUATED: "unit.not_evaluated",
    BIT_SCORE: "unit.excellent_condition.score",
    BIT_TASKS_DONE: "unit.excellent_condition.tasks_done",
    BIT_EXCEEDED: "unit.excellent_condition.exceeded",
    BIT_SUBUNIT_KHT: "unit.excellent_condition.subunit_kht",
    BIT_SMALL_PARENT: "unit.small_parent",
}


@attrs.frozen(slots=True)
class UnitKernelOutput:
    """Arrays per unit-period: score, task percentages, band grade, grade, reason bits."""

    score: FloatArray
    tasks_percent: FloatArray
    done_percent: FloatArray
    exceeded_percent: FloatArray
    score_grade: Int8Array
    grade: Int8Array
    bits: npt.NDArray[np.int64]


def unit_kernel(
    rules: RuleSet, get: Callable[[str], FloatArray], body_names: tuple[str, ...], n: int
) -> UnitKernelOutput:
    """Score and band every unit-period; ``get(column)`` returns float64 (NaN = absent)."""
    pol = rules.units
    assigned = get("tasks_assigned")
    done = get("tasks_done")
    on_time = get("tasks_on_time")
    on_time = np.where(np.isnan(on_time), done, on_time)
    with np.errstate(invalid="ignore", divide="ignore"):
        credited = on_time + pol.late_credit * (done - on_time)
        ok = assigned > 0
        tasks_pct = np.where(ok, np.clip(100.0 * credited / np.where(ok, assigned, 1), 0, 100),
                             np.nan)  # fmt: skip
        done_pct = np.where(ok, 100.0 * done / np.where(ok, assigned, 1), np.nan)
        exc_pct = np.where(ok, 100.0 * get("tasks_exceeded") / np.where(ok, assigned, 1), np.nan)
    parts: list[tuple[FloatArray, float]] = [(tasks_pct, pol.tasks_weight)]
    weights = dict(pol.body_weights)
    for name in body_names:
        parts.append((get(f"body_{name}"), float(weights.get(name, 1.0))))
    parts.append((get("cross_score"), pol.cross_weight))
    parts.append((get("satisfaction"), pol.satisfaction_weight))
    num = np.zeros(n)
    den = np.zeros(n)
    for arr, w in parts:
        if w <= 0:
            continue
        present = ~np.isnan(arr)
        num += np.where(present, arr * w, 0.0)
        den += np.where(present, w, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        weighted = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    adj = (
        np.nan_to_num(get("bonus"))
        - np.nan_to_num(get("deduction"))
        - pol.overdue_deduction * np.nan_to_num(get("tasks_overdue"))
    )
    computed = round_half_up(np.clip(weighted + adj, 0.0, rules.total))
    given = get("score")
    score = np.where(np.isnan(given), computed, given)
    evaluated = ~np.isnan(score)
    sg = np.where(evaluated, band_codes(rules.bands, np.where(evaluated, score, 0.0)), -1)
    sg = sg.astype(np.int8)
    bits = np.where(evaluated, 0, BIT_NOT_EVALUATED).astype(np.int64)
    xs = sg == int(Grade.HTXS)
    fail_score = xs & (score < pol.excellent_min_score - 1e-9)
    bits |= np.where(fail_score, BIT_SCORE, 0)
    if pol.excellent_tasks_done_percent is not None:
        f = xs & ~(done_pct >= pol.excellent_tasks_done_percent - 1e-9)
        bits |= np.where(f, BIT_TASKS_DONE, 0)
    if pol.excellent_exceeded_percent is not None:
        f = xs & ~(exc_pct >= pol.excellent_exceeded_percent - 1e-9)
        bits |= np.where(f, BIT_EXCEEDED, 0)
    failed = (bits & (BIT_SCORE | BIT_TASKS_DONE | BIT_EXCEEDED)) != 0
    grade = np.where(failed, np.int8(Grade.HTT), sg).astype(np.int8)
    return UnitKernelOutput(score, tasks_pct, done_pct, exc_pct, sg, grade, bits)


def unit_reasons(
    rules: RuleSet, bits: int, *, score: float | None, done_percent: float | None,
    exceeded_percent: float | None,
) -> tuple[Reason, ...]:  # fmt: skip
    """The reasons of a unit result from its bits, bilingual, with the rule's source."""
    pol = rules.units
    src = pol.source
    xs_vi = rules.grade_label(Grade.HTXS)
    xs_en = rules.grade_label(Grade.HTXS, "en")
    out: list[Reason] = []

    def pct(v: float | None) -> str:
        return "không có" if v is None else f"{v:.2f}%"

    def pct_en(v: float | None) -> str:
        return "none" if v is None else f"{v:.2f}%"

    if bits & BIT_NOT_EVALUATED:
        out.append(Reason("unit.not_evaluated", "Đơn vị chưa có kết quả trong kỳ: chưa đánh giá",
                          "The unit has no results for the period: not evaluated", src))
    if bits & BIT_SCORE:
        out.append(Reason(
            "unit.excellent_condition.score",
            f"Điểm {score:g} thấp hơn mức {pol.excellent_min_score:g} để xếp {xs_vi}",
            f"Score {score:g} is below {pol.excellent_min_score:g} needed for {xs_en}", src))
    if bits & BIT_TASKS_DONE:
        out.append(Reason(
            "unit.excellent_condition.tasks_done",
            f"Tỷ lệ nhiệm vụ hoàn thành {pct(done_percent)} chưa đạt "
            f"{pol.excellent_tasks_done_percent:g}% để xếp {xs_vi}",
            f"Tasks done {pct_en(done_percent)} is below "
            f"{pol.excellent_tasks_done_percent:g}% needed for {xs_en}", src))
    if bits & BIT_EXCEEDED:
        out.append(Reason(
            "unit.excellent_condition.exceeded",
            f"Tỷ lệ nhiệm vụ vượt mức {pct(exceeded_percent)} chưa đạt "
            f"{pol.excellent_exceeded_percent:g}% để xếp {xs_vi}",
            f"Tasks exceeded {pct_en(exceeded_percent)} is below "
            f"{pol.excellent_exceeded_percent:g}% needed for {xs_en}", src))
    if bits & BIT_SUBUNIT_KHT:
        out.append(Reason(
            "unit.excellent_condition.subunit_kht",
            f"Có đơn vị trực thuộc xếp loại {rules.grade_label(Grade.KHT)}: không xếp {xs_vi}",
            f"A sub-unit is rated {rules.grade_label(Grade.KHT, 'en')}: not {xs_en}", src))
    if bits & BIT_SMALL_PARENT:
        out.append(Reason(
            "unit.small_parent",
            f"Đơn vị cấp trên có dưới {pol.small_parent_threshold} đơn vị trực thuộc: tối đa "
            f"{pol.small_parent_max_excellent} đơn vị được xếp {xs_vi}; đơn vị này xếp sau",
            f"The parent has fewer than {pol.small_parent_threshold} sub-units: at most "
            f"{pol.small_parent_max_excellent} may be {xs_en}; this unit ranks below", src))
    return tuple(out)
