"""The scoring kernel shared by the scalar and the vectorised paths.

Both :func:`evalkit.score` (one person) and :func:`evalkit.score_frame` (a DataFrame of
staff-months) gather their inputs into float64 arrays and call :func:`compute`, so the
arithmetic, rounding, banding and caps are one code path; what differs is how inputs
are gathered and validated. A Hypothesis property keeps the two paths identical.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs
import numpy as np
import numpy.typing as npt

from evalkit.model import Grade, Reason
from evalkit.rules._schema import RuleSet
from evalkit.rules.blocks import apply_adjustments, band_codes, block_points, total_points

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

__all__ = ["KernelOutput", "compute", "reason_table"]


@attrs.frozen(slots=True)
class ReasonSpec:
    """A reason a row may carry, with its bit in the reason mask."""

    bit: int
    reason: Reason
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
    """The caps and enabled notices of ``rules`` as numbered reasons (bit order)."""
    out: list[ReasonSpec] = []
    for cap in rules.caps:
        prefix = "disqualifier" if cap.grade == Grade.KHT else "cap"
        label_g = rules.grade_label(cap.grade)
        label_g_en = rules.grade_label(cap.grade, "en")
        out.append(
            ReasonSpec(
                len(out),
                Reason(
                    f"{prefix}.{cap.id}",
                    f"{cap.label_vi}: xếp loại tối đa {label_g}",
                    f"{cap.label_en or cap.label_vi}: graded at most {label_g_en}",
                    cap.source,
                ),
                cap.grade,
            )
        )
    for notice in rules.enabled_notices(options):
        out.append(
            ReasonSpec(
                len(out),
                Reason(
                    f"notice.{notice.id}",
                    notice.label_vi,
                    notice.label_en or notice.label_vi,
                    notice.source,
                ),
                None,
            )
        )
    if len(out) > 32:  # pragma: no cover - absurdly many rules
        raise ValueError("at most 32 caps and notices per rule set")
    return tuple(out)


def compute(
    rules: RuleSet,
    get: Callable[[str], FloatArray],
    *,
    manages: BoolArray,
    is_head: BoolArray,
    flags: Mapping[str, FloatArray],
    kpi: FloatArray | None,
    options: Mapping[str, bool] | None = None,
) -> KernelOutput:
    """Score every row. Inputs must already be validated (in range, present where required).

    ``get(id)`` returns a criterion's column as float64; ``flags`` maps flag names
    (``degradation``, ``discipline``, ``corruption_in_unit``, ``late_files``,
    ``apologies``) to float64 columns (0 where absent).
    """
    adjusted = apply_adjustments(rules.adjustments, get)

    def getter(cid: str) -> FloatArray:
        return adjusted[cid] if cid in adjusted else get(cid)

    components: dict[str, FloatArray] = {}
    for b in rules.blocks:
        group_inputs: tuple[str, ...] = ()
        if b.kind == "criteria_sum":
            group_inputs = tuple(c.id for c in rules.group(b.params["group"]).criteria)
        components[b.id] = block_points(b, getter, manages, group_inputs=group_inputs, kpi=kpi)
    total = total_points(rules, components)
    score_grade = band_codes(rules.bands, total)
    grade = score_grade.copy()
    n = total.shape[0]
    bits = np.zeros(n, dtype=np.uint32)
    specs = reason_table(rules, options)
    zero = np.zeros(n)
    by_id = {c.id: c for c in rules.caps}
    notices = {f"notice.{x.id}": x for x in rules.notices}
    for spec in specs:
        if spec.lowers_to is not None:
            cap = by_id[spec.reason.code.split(".", 1)[1]]
            hit = flags.get(cap.flag, zero) >= cap.at_least
            if cap.heads_only:
                hit = hit & is_head
            grade = np.where(hit, np.minimum(grade, np.int8(spec.lowers_to.value)), grade)
        else:
            nt = notices[spec.reason.code]
            hit = flags.get(nt.flag, zero) >= nt.at_least
        bits |= np.where(hit, np.uint32(1 << spec.bit), np.uint32(0))
    return KernelOutput(components, total, score_grade, grade.astype(np.int8), bits, specs)
