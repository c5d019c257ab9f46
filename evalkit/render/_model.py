"""What a document shows: :class:`Agency`, :class:`Signatory`, :class:`Sheet`,
:class:`UnitSummary` and the figures it prints (:class:`UnitFacts`, :class:`QuotaFigures`).

These are plain frozen attrs classes, picklable, so batches can be shipped to worker
processes or to Dask workers as they are. They hold results the engine made
(:mod:`evalkit.units`, :func:`evalkit.score`); nothing here computes a score, a grade or
a quota.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from evalkit.errors import RenderError
from evalkit.model import (
    Assessment,
    EvaluationResult,
    Grade,
    Level,
    Period,
    Position,
    Reason,
    Scores,
    Staff,
    Unit,
)
from evalkit.rules import RuleSet

__all__ = [
    "Agency",
    "QuotaFigures",
    "Sheet",
    "Signatory",
    "SummaryRow",
    "UnitFacts",
    "UnitSummary",
]


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
class Signatory:
    """A person who signs a document: the name under the signature and the title (chức vụ).

    >>> Signatory("Lê Văn Thành", "Giám đốc Sở").full_name
    'Lê Văn Thành'
    >>> Signatory.of(Staff("S1", "Ngô Thanh Sơn", "TP", "U1", title_vi="Trưởng phòng")).title
    'Trưởng phòng'
    """

    name: str
    title: str = ""
    #: the title in English where known (a position's ``title_en``; a typed chức vụ has
    #: none): an English document prints it, else :attr:`title`
    title_en: str = ""
    #: the signer's staff id where known (the ``Người ký`` sheet's ``approver_id``): nobody
    #: signs as the competent level on their own sheet
    staff_id: str = ""

    @property
    def full_name(self) -> str:
        """The name (as :attr:`Staff.full_name <evalkit.Staff.full_name>` reads)."""
        return self.name

    @classmethod
    def of(cls, who: Staff | Signatory | str | None) -> Signatory | None:
        """A signatory from a :class:`~evalkit.Staff`, a name, or itself (None stays None)."""
        if who is None or isinstance(who, Signatory):
            return who
        if isinstance(who, Staff):
            return cls(who.full_name, who.title_vi, staff_id=who.id)
        if isinstance(who, str):
            return cls(who) if who.strip() else None
        raise RenderError(f"a signatory is a Staff, a Signatory or a name, not {who!r}")


def _signatory(value: object) -> Signatory | None:
    return Signatory.of(value)  # type: ignore[arg-type]


def _applied(value: Mapping[str, object] | None) -> Scores:
    return value if isinstance(value, Scores) else Scores(value or {})


def _level_applied(value: Mapping[Any, Mapping[str, Any]] | Iterable[tuple[Any, Any]] | None
                   ) -> tuple[tuple[str, Scores], ...]:  # fmt: skip
    """Level → applied values, from a mapping or the pairs it is kept as (``evolve``)."""
    pairs = value.items() if isinstance(value, Mapping) else (value or ())
    out = []
    for key, scores in pairs:
        level = key.value if isinstance(key, Level) else str(key)
        if level not in ("self", "manager", "competent"):
            raise RenderError(f"applied values by level: {key!r} is not a level "
                              "(self, manager, competent)")  # fmt: skip
        out.append((level, _applied(scores)))
    return tuple(out)


def _deducted(rules: RuleSet, a: Assessment, typed: Mapping[str, float],
              counting: Level | None) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """The percentages the engine's adjustments lowered (NĐ 335/2025 Điều 14 k2 b, c: 25 %
    off quality per major error, off timeliness per delay), as the engine gives them
    (:func:`evalkit.rules.blocks.applied_inputs`): on the scores that count, for the inputs the
    counting level typed, and on each other level's own scores (its own points read them);
    none where a KPI stands for the block that reads them."""
    from evalkit.rules.blocks import applied_inputs

    replaced = {cid for b in rules.blocks if b.params.get("kpi") for cid in b.inputs(None)} \
        if a.kpi is not None else set()  # fmt: skip
    merged: dict[str, float] = {}
    others: dict[str, dict[str, float]] = {}
    for level in (Level.SELF, Level.MANAGER, Level.COMPETENT):  # the later level's score wins
        own = a.scores(level)
        merged.update(own)
        if level != counting and own:
            mine = {cid: v for cid, v in applied_inputs(rules, own).items()
                    if cid in own and cid not in replaced}  # fmt: skip
            if mine:
                others[level.value] = mine
    return ({cid: v for cid, v in applied_inputs(rules, merged).items()
             if cid in typed and cid not in replaced}, others)  # fmt: skip


def _default_applied(sheet: Any) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """A sheet's ``applied`` and ``level_applied`` from its result, assessment and
    amendments: the values amended after finalization (:func:`amended_inputs`), the
    deductions the engine's adjustments made (:func:`_deducted`, on the amended values) and
    the management component the engine applied (:attr:`~evalkit.model.EvaluationResult.applied`)."""
    r, a = sheet.result, sheet.assessment
    if not r.evaluated:
        return {}, {}
    level = r.level if r.level is not None else a.counting_level()
    amended = amended_inputs(sheet)
    if amended and level is not None:  # the amended month was re-derived from these
        a = attrs.evolve(a, **{f"{level.value}_scores": {**a.scores(level), **amended}})
    typed = a.scores(level) if level is not None else {}
    deducted, by_level = _deducted(sheet.rules, a, typed, level)
    return {**amended, **deducted, **r.applied}, by_level


def amended_inputs(sheet: Any) -> dict[str, float]:
    """The criteria whose value counted, after the sheet's amendments (the archive's
    record: the latest amendment's ``new`` value), is not the one its counting level
    typed: the amendment corrected the value the month was re-derived from, never the
    levels' own columns (a workbook of three levels)."""
    level = sheet.result.level or sheet.assessment.counting_level()
    typed = sheet.assessment.scores(level) if level is not None else {}
    ids = {c.id for c in sheet.rules.criteria()}
    new = {k: v for x in sheet.amendments for k, v in x.new.items() if k in ids}
    return {k: float(v) for k, v in new.items()
            if isinstance(v, (int, float)) and k in typed and typed[k] != v}  # fmt: skip


@attrs.frozen(slots=True)
class Amended:
    """One amendment of a finalized result (:meth:`evalkit.io.archive.Archive.amend`), as
    the sheet prints it: when (``at``, ISO), by whom, the written reason, and the values
    of the person's row before and after (inputs and results, as the archive recorded
    them; nothing is computed here)."""

    at: str
    by: str
    why: str
    previous: Mapping[str, Any] = attrs.field(factory=dict)
    new: Mapping[str, Any] = attrs.field(factory=dict)


def _amended(value: Iterable[Amended]) -> tuple[Amended, ...]:
    return tuple(value)


@attrs.frozen(slots=True)
class Sheet:
    """Everything one person's evaluation sheet shows for one period (month or quarter).

    ``result`` is the engine's outcome for ``assessment`` under ``rules``
    (:func:`evalkit.score`, :func:`evalkit.classify_frame` through
    :func:`evalkit.units.results_from_frame`, or :func:`sheets_from_results`): each level's
    column shows that level's own scores from ``assessment`` and its block points and
    total from ``result.level_points`` / ``result.level_totals``. Where ``result`` is not
    classified (NĐ 335/2025: the months) the sheet is the monthly monitoring record and
    prints the band as information; where it is, the sheet is the classification.

    ``manager`` and ``approver`` (a :class:`~evalkit.Staff`, a :class:`Signatory` or a
    name) sign for the direct manager and the competent level. ``amendments`` (each an
    :class:`Amended`) are the corrections of the finalized result, printed in block C.

    ``applied`` maps a criterion to the value the engine applied in place of the one the
    counting level typed: the management component d computed from the
    scores of the staff under a leader (NĐ 335/2025 Điều 15; the result's
    :attr:`~evalkit.model.EvaluationResult.applied`), or a percentage lowered per counted
    event (Điều 14 k2 b, c: quality per major error, timeliness per delay;
    :func:`evalkit.rules.blocks.applied_inputs`), or a value amended after finalization
    (:func:`amended_inputs`): by default all, from the result, the assessment and the
    ``amendments``. The typed value stays in its cell, a row
    under it prints the applied one (for a deduction: what was taken off and the article),
    and the counting level's block points and total are then the result's
    (``components``, ``total``): the ones that count. ``level_applied`` maps another level
    (``"self"``, ``"manager"``) to the values its own points read in place of what it typed
    (a deduction that level counted itself), printed in its column of the same row; by
    default from the assessment.

    The ids and periods must
    agree, else :class:`~evalkit.errors.RenderError` names them; so must the competent
    level's conclusion: a concluded grade other than the result's, without a
    ``competent.*`` reason in the result, is refused (it would print unexplained).
    """

    staff: Staff
    position: Position
    unit: Unit
    assessment: Assessment
    result: EvaluationResult
    rules: RuleSet
    agency: Agency
    signed_on: datetime.date | None = None
    manager: Signatory | None = attrs.field(default=None, converter=_signatory)
    approver: Signatory | None = attrs.field(default=None, converter=_signatory)
    amendments: tuple[Amended, ...] = attrs.field(default=(), converter=_amended)
    applied: Scores = attrs.field(converter=_applied, default=attrs.Factory(
        lambda self: Scores(_default_applied(self)[0]), takes_self=True))
    level_applied: tuple[tuple[str, Scores], ...] = attrs.field(
        converter=_level_applied, default=attrs.Factory(
            lambda self: _level_applied(_default_applied(self)[1]), takes_self=True))

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
        if self.result.period.kind == "year":
            raise RenderError(
                f"sheet for staff {sid!r}: {self.result.period} is a year; the annual "
                "classification is a PeriodSheet"
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
        known = {c.id for c in self.rules.criteria()}
        unknown = [cid for cid in [*self.applied, *(c for _, v in self.level_applied
                                                      for c in v)] if cid not in known]
        if unknown:
            raise RenderError(
                f"sheet for staff {sid!r}: applied values for {', '.join(map(repr, unknown))}, "
                f"which rule set {self.rules.id!r} has no criterion for"
            )
        concluded = self.rules.read_grades(self.assessment)["competent_grade"]
        r = self.result
        graded = r.proposed_grade if r.proposed_grade is not None else r.grade
        if concluded is not None and graded is not None and concluded != graded and not any(
                c.startswith("competent.") for c in r.reason_codes()):
            # a conclusion the result never saw would print beside another grade, unexplained
            raise RenderError(
                f"sheet for staff {sid!r}: the competent level concluded {concluded.code} but "
                f"the result ({graded.code}) does not carry the conclusion; score the "
                "assessment with it (evalkit.score, score_frame or classify_frame)"
            )

    @property
    def period(self) -> Period:
        """The evaluated period."""
        return self.result.period

    def applied_at(self, level: Level) -> Mapping[str, float]:
        """The values ``level``'s column prints under the typed ones: :attr:`applied` for
        the counting level, that level's ``level_applied`` for another."""
        counting = self.result.level or self.assessment.counting_level()
        if level == counting:
            return self.applied
        return next((v for lv, v in self.level_applied if lv == level.value), Scores())


@attrs.frozen(slots=True)
class SummaryRow:
    """One person on a unit summary: who, their result, their position and any leave.

    A result with no total is printed *Chưa đánh giá* and counted as such; ``leave``
    (``"maternity"``, ``"sick"``, ``"absent"``) says why; ``amendments`` (each an
    :class:`Amended`), the corrections of the finalized result, are noted under the table.
    """

    staff: Staff
    result: EvaluationResult
    position: Position | None = None
    leave: str = ""
    amendments: tuple[Amended, ...] = attrs.field(default=(), converter=_amended)


def _rows(value: Iterable[SummaryRow]) -> tuple[SummaryRow, ...]:
    return tuple(value)


def _period(value: object) -> Period:
    return Period.parse(value)


def _reasons(value: Iterable[Reason]) -> tuple[Reason, ...]:
    return tuple(value)


def _opt_int(value: object) -> int | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise RenderError(f"expected a whole number, not {value!r}") from None
    if math.isnan(number):
        return None
    if not number.is_integer() or number < 0:
        raise RenderError(f"expected a whole number ≥ 0, not {value!r}")
    return int(number)


def _opt_float(value: object) -> float | None:
    """A sheet's figure: anything :class:`float` reads (numeric text too), NaN as none,
    anything else a :class:`RenderError`. Not ``evalkit.units``' converter, which refuses
    text, yes/no values and infinities with a ``ModelError``."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise RenderError(f"expected a number, not {value!r}") from None
    return None if math.isnan(number) else number


@attrs.frozen(slots=True)
class QuotaFigures:
    """The quota's figures for a unit and period, as the engine's ``quota_*`` columns give them.

    ``percent`` (None when the unit's groups differ), ``base_count`` (the people counted
    for the base), ``cap`` (the most who may keep the quota's grade), ``candidates`` and
    ``demoted``. Summed over the unit's ``groups`` quota groups (each counted on its own:
    per group with similar duties, NĐ 335/2025/NĐ-CP Điều 20 k5 a); ``rule_set_id`` names
    the rule set of a group of one rule set (a unit of công chức and viên chức has a group
    under each: :attr:`UnitSummary.quotas`), None for the unit's figures. A person's
    figures (an annual sheet's) name their ``duty_group`` and their unit's ``groups``,
    for the words of the group they were counted in (:func:`evalkit.reasons.quota_where`);
    ``raised``: a group counted the raised base (:func:`evalkit.reasons.quota_base_words`).

    >>> QuotaFigures(20.0, 6, 1, 3, 2).kept
    1
    """

    percent: float | None = attrs.field(converter=_opt_float)
    base_count: int = attrs.field(converter=_opt_int)
    cap: int = attrs.field(converter=_opt_int)
    candidates: int = attrs.field(converter=_opt_int)
    demoted: int = attrs.field(default=0, converter=_opt_int)
    rule_set_id: str | None = None
    groups: int = 1
    duty_group: str | None = None
    raised: bool = False

    @property
    def kept(self) -> int:
        """Candidates who kept the grade."""
        return max((self.candidates or 0) - (self.demoted or 0), 0)


@attrs.frozen(slots=True)
class UnitFacts:
    """A unit's own result for the period, from the engine's unit results.

    ``score`` is the score that counts (the appraisal council's where it re-scored),
    ``computed_score`` the one computed from the unit's results, ``self_score`` the
    unit's own, ``council_score`` the council's; ``grade`` and whether the period is
    ``classified`` (else the grade is the band, as information); ``reasons`` from
    :mod:`evalkit.reasons`.
    """

    grade: Grade | None = None
    score: float | None = attrs.field(default=None, converter=_opt_float)
    computed_score: float | None = attrs.field(default=None, converter=_opt_float)
    self_score: float | None = attrs.field(default=None, converter=_opt_float)
    council_score: float | None = attrs.field(default=None, converter=_opt_float)
    classified: bool = True
    reasons: tuple[Reason, ...] = attrs.field(default=(), converter=_reasons)


def _rule_sets(value: Iterable[RuleSet]) -> tuple[RuleSet, ...]:
    return tuple(value)


def _quotas(value: Iterable[QuotaFigures]) -> tuple[QuotaFigures, ...]:
    return tuple(value)


def _sub_units(value: Iterable[tuple[Unit, UnitFacts]]) -> tuple[tuple[Unit, UnitFacts], ...]:
    return tuple(value)


@attrs.frozen(slots=True)
class UnitSummary:
    """A unit's period on one report: every person, the grade counts, the quota, the unit.

    ``rows`` lists every person of the unit, those not evaluated included (a result
    without a total). ``unit`` facts (:class:`UnitFacts`) and ``quota``
    (:class:`QuotaFigures`) come from the engine's results; the summary prints them as
    given. ``preparer`` signs as *người lập biểu*; the head signs for the unit.

    ``rule_sets`` are the sets the unit's people were graded under (the *Căn cứ* line
    cites each; default: ``rules`` alone). ``quotas`` has one :class:`QuotaFigures` per
    quota group of a unit with two or more (công chức under one set, viên chức under
    another), each naming its ``rule_set_id`` among ``rule_sets``: the quota block then
    prints a line per group; ``quota`` alone prints as one block. ``sub_units`` are the
    results of the units directly under a unit without people of its own (a "Khối"),
    each a unit and its :class:`UnitFacts`, listed in place of the staff.
    ``nobody_evaluated``: the unit has staff of its own but the engine counted none of them
    for the period (all absent, or none evaluated: its row's ``staff`` is 0); a summary
    without ``rows`` then says so in its empty staff table, with its counts at 0, instead of
    the sentence that the unit has no staff of its own.
    """

    unit: Unit
    period: Period = attrs.field(converter=_period)
    rules: RuleSet
    agency: Agency
    rows: tuple[SummaryRow, ...] = attrs.field(converter=_rows)
    head: Staff | None = None
    facts: UnitFacts | None = None
    quota: QuotaFigures | None = None
    signed_on: datetime.date | None = None
    preparer: Signatory | None = attrs.field(default=None, converter=_signatory)
    rule_sets: tuple[RuleSet, ...] = attrs.field(default=(), converter=_rule_sets)
    quotas: tuple[QuotaFigures, ...] = attrs.field(default=(), converter=_quotas)
    sub_units: tuple[tuple[Unit, UnitFacts], ...] = attrs.field(default=(), converter=_sub_units)
    nobody_evaluated: bool = False

    def __attrs_post_init__(self) -> None:
        known = {r.id for r in self.all_rules}
        for q in self.quotas:
            if q.rule_set_id not in known:
                raise RenderError(
                    f"unit summary of {self.unit.id!r} for {self.period}: a quota group of "
                    f"rule set {q.rule_set_id!r}, which is not among the summary's rule sets "
                    f"({', '.join(sorted(known))})"
                )
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

    @property
    def all_rules(self) -> tuple[RuleSet, ...]:
        """The rule sets the unit's people were graded under (``rule_sets``, else
        ``rules``), each once, in order."""
        return tuple({r.id: r for r in (self.rule_sets or (self.rules,))}.values())

    @property
    def classified(self) -> bool:
        """Whether the period is classified (else the grades are bands, as information)."""
        evaluated = [r.result for r in self.rows if r.result.evaluated]
        if evaluated:
            return any(r.classified for r in evaluated)
        return self.rules.classifies(self.period)

    @classmethod
    def from_sheets(
        cls,
        sheets: Iterable[Sheet],
        *,
        unit: Unit | None = None,
        head: Staff | None = None,
        facts: UnitFacts | None = None,
        quota: QuotaFigures | None = None,
        absent: Iterable[SummaryRow] = (),
        preparer: Signatory | Staff | None = None,
    ) -> UnitSummary:
        """The summary of ``sheets`` (all of one unit and period; the unit's head is found
        among them by ``unit.head_id`` unless ``head`` is given). ``absent`` adds people
        of the unit who have no sheet (printed *Chưa đánh giá*)."""
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
        rows = [SummaryRow(s.staff, s.result, s.position, s.assessment.leave, s.amendments)
                for s in items]  # fmt: skip
        return cls(
            unit=u,
            period=first.period,
            rules=first.rules,
            agency=first.agency,
            rows=[*rows, *absent],
            head=head,
            facts=facts,
            quota=quota,
            signed_on=max((s.signed_on for s in items if s.signed_on), default=None),
            preparer=preparer,
            rule_sets={s.rules.id: s.rules for s in items}.values(),
        )  # fmt: skip

    def grade_counts(self) -> dict[Grade, int]:
        """The number of people at each final grade (every grade present, best first); for
        a period the rule set only scores, at each band of the score (information)."""
        counts = dict.fromkeys(sorted(Grade, reverse=True), 0)
        for row in self.rows:
            r = row.result
            if r.evaluated and r.grade is not None:
                shown = r.score_grade if not r.classified and r.score_grade is not None \
                    else r.grade
                counts[shown] += 1
        return counts

    def not_evaluated(self) -> int:
        """The number of people listed without a result (*Chưa đánh giá*)."""
        return sum(1 for row in self.rows if not row.result.evaluated
                   and not row.result.not_classified)

    def quota_share(self) -> tuple[int, int, bool] | None:
        """The quota's grade: the people at it under a rule set whose quota applied, the
        people the quota counted for its base (summed over the unit's quota groups) and
        whether a group counted its raised base; None where no quota applied. The share of
        the quota's grade is of this base (NĐ 335/2025/NĐ-CP Điều 20 k5 a)."""
        figures = self.quotas or ((self.quota,) if self.quota is not None else ())
        grade = {r.id: r.quota.grade for r in self.all_rules if r.quota is not None}
        ids = {f.rule_set_id for f in figures if f.rule_set_id} or set(grade)
        if not figures or not self.classified:
            return None
        kept = [row.result.grade == grade.get(row.result.rule_set_id) for row in self.rows
                if row.result.rule_set_id in ids]  # fmt: skip
        return sum(kept), sum(f.base_count for f in figures), any(f.raised for f in figures)
