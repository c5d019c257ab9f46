"""What a sheet or a unit summary shows: :class:`Agency`, :class:`Sheet`, :class:`UnitSummary`.

These are plain frozen attrs classes, picklable, so batches can be shipped to worker
processes or to Dask workers as they are.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from pathlib import Path

import attrs

from evalkit.errors import RenderError
from evalkit.model import (
    Assessment,
    EvaluationResult,
    Grade,
    Period,
    Position,
    Reason,
    Staff,
    Unit,
)
from evalkit.rules._schema import RuleSet

__all__ = ["Agency", "Sheet", "SummaryRow", "UnitSummary"]


def _opt_path(value: object) -> Path | None:
    if value is None or value == "":
        return None
    if isinstance(value, str | Path):
        return Path(value)
    raise RenderError(f"logo must be a path to an image file, not {value!r}")


@attrs.frozen(slots=True)
class Agency:
    """The agency that issues the sheets: the top-left header and the place of signing.

    ``governing_body`` is the line above the agency's name (cơ quan chủ quản, e.g.
    ``UBND TỈNH THANH HÓA``); ``place`` opens the date line (``Thanh Hóa, ngày …``);
    ``logo`` is an image file the PDF may embed (the URL fetcher serves exactly that file).

    >>> Agency("Sở Nội vụ", governing_body="UBND tỉnh Thanh Hóa", place="Thanh Hóa").place
    'Thanh Hóa'
    """

    name: str
    governing_body: str = ""
    place: str = ""
    logo: Path | None = attrs.field(default=None, converter=_opt_path)


@attrs.frozen(slots=True)
class Sheet:
    """Everything one person's evaluation sheet shows for one period.

    ``result`` is the outcome of :func:`evalkit.score` (or of the unit pass) for
    ``assessment`` under ``rules``. ``manager`` and ``approver`` name the direct manager
    and the competent level's signatory in the signature blocks when given. The ids and
    periods must agree, else :class:`~evalkit.errors.RenderError` names them.
    """

    staff: Staff
    position: Position
    unit: Unit
    assessment: Assessment
    result: EvaluationResult
    rules: RuleSet
    agency: Agency
    signed_on: datetime.date | None = None
    manager: Staff | None = None
    approver: Staff | None = None

    def __attrs_post_init__(self) -> None:
        sid = self.staff.id
        if self.assessment.staff_id != sid or self.result.staff_id != sid:
            raise RenderError(
                f"sheet for staff {sid!r} has the assessment of {self.assessment.staff_id!r} "
                f"and the result of {self.result.staff_id!r}"
            )
        if self.assessment.period != self.result.period:
            raise RenderError(
                f"sheet for staff {sid!r}: assessment period {self.assessment.period} "
                f"differs from result period {self.result.period}"
            )
        if self.result.rule_set_id != self.rules.id:
            raise RenderError(
                f"sheet for staff {sid!r}: result scored under {self.result.rule_set_id!r}, "
                f"rules given are {self.rules.id!r}"
            )
        if self.staff.unit_id != self.unit.id:
            raise RenderError(
                f"sheet for staff {sid!r}: staff is in unit {self.staff.unit_id!r}, "
                f"unit given is {self.unit.id!r}"
            )
        if self.staff.position_id != self.position.id:
            raise RenderError(
                f"sheet for staff {sid!r}: staff has position {self.staff.position_id!r}, "
                f"position given is {self.position.id!r}"
            )

    @property
    def period(self) -> Period:
        """The evaluated period."""
        return self.result.period


@attrs.frozen(slots=True)
class SummaryRow:
    """One person on a unit summary: who, their result and (optionally) their position."""

    staff: Staff
    result: EvaluationResult
    position: Position | None = None


def _rows(value: Iterable[SummaryRow]) -> tuple[SummaryRow, ...]:
    return tuple(value)


def _period(value: object) -> Period:
    return Period.parse(value)


def _reasons(value: Iterable[Reason]) -> tuple[Reason, ...]:
    return tuple(value)


@attrs.frozen(slots=True)
class UnitSummary:
    """A unit's month on one report: every person, the grade counts, the quota, the unit.

    ``unit_grade``, ``unit_total`` and ``unit_reasons`` are the unit's own result (from
    the unit pass, issue 5); ``quota_limit`` is the number of people the quota allows at
    ``rules.quota.grade``. When ``quota_limit`` is None the report shows a provisional
    limit computed from the rule set's quota policy (:meth:`provisional_quota_limit`).
    """

    unit: Unit
    period: Period = attrs.field(converter=_period)
    rules: RuleSet
    agency: Agency
    rows: tuple[SummaryRow, ...] = attrs.field(converter=_rows)
    head: Staff | None = None
    unit_grade: Grade | None = None
    unit_total: float | None = None
    unit_reasons: tuple[Reason, ...] = attrs.field(default=(), converter=_reasons)
    quota_limit: int | None = None
    signed_on: datetime.date | None = None

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for row in self.rows:
            if row.result.period != self.period:
                raise RenderError(
                    f"unit summary of {self.unit.id!r} for {self.period} has staff "
                    f"{row.staff.id!r} with a result for {row.result.period}"
                )
            if row.staff.id in seen:
                raise RenderError(
                    f"unit summary of {self.unit.id!r} lists staff {row.staff.id!r} twice"
                )
            seen.add(row.staff.id)

    @classmethod
    def from_sheets(
        cls,
        sheets: Iterable[Sheet],
        *,
        unit: Unit | None = None,
        head: Staff | None = None,
        unit_grade: Grade | None = None,
        unit_total: float | None = None,
        unit_reasons: Iterable[Reason] = (),
        quota_limit: int | None = None,
    ) -> UnitSummary:
        """The summary of ``sheets`` (all of one unit and period; the unit's head is found
        among them by ``unit.head_id`` unless ``head`` is given)."""
        items = list(sheets)
        if not items:
            raise RenderError("a unit summary needs at least one sheet")
        first = items[0]
        u = unit or first.unit
        for s in items:
            if s.unit.id != u.id or s.period != first.period:
                raise RenderError(
                    f"unit summary of {u.id!r} for {first.period}: sheet of staff "
                    f"{s.staff.id!r} is for unit {s.unit.id!r}, {s.period}"
                )
        if head is None and u.head_id is not None:
            head = next((s.staff for s in items if s.staff.id == u.head_id), None)
        return cls(
            unit=u,
            period=first.period,
            rules=first.rules,
            agency=first.agency,
            rows=[SummaryRow(s.staff, s.result, s.position) for s in items],
            head=head,
            unit_grade=unit_grade,
            unit_total=unit_total,
            unit_reasons=tuple(unit_reasons),
            quota_limit=quota_limit,
            signed_on=max((s.signed_on for s in items if s.signed_on), default=None),
        )

    def grade_counts(self) -> dict[Grade, int]:
        """The number of people at each final grade (every grade present, best first)."""
        counts = dict.fromkeys(sorted(Grade, reverse=True), 0)
        for row in self.rows:
            if row.result.grade is not None:
                counts[row.result.grade] += 1
        return counts

    def provisional_quota_limit(self) -> tuple[int, int] | None:
        """``(limit, base_count)`` from ``rules.quota``, or None without a quota policy.

        The base counts people whose grade by score (before any demotion, when the
        policy counts before demotion) equals the policy's base grade, or everyone
        classified when the base is ``classified``; the percentage is the excellent-unit
        one when ``unit_grade`` is the quota's grade. The unit pass's own figure
        (``quota_limit``) always wins over this display value.
        """
        q = self.rules.quota
        if q is None:
            return None
        graded = [r.result for r in self.rows if r.result.grade is not None]
        if q.base == "classified":
            base = len(graded)
        else:
            want = Grade.parse(q.base)
            before = q.count_base == "before_demotion"
            base = sum(1 for r in graded if (r.score_grade if before else r.grade) == want)
        pct = q.percent
        if self.unit_grade is q.grade and q.percent_if_unit_excellent is not None:
            pct = q.percent_if_unit_excellent
        raw = base * pct / 100.0
        if q.rounding == "ceil":
            limit = math.ceil(raw - 1e-9)
        elif q.rounding == "half_up":
            limit = math.floor(raw + 0.5 + 1e-9)
        else:
            limit = math.floor(raw + 1e-9)
        return limit, base
