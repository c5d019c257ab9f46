"""Scoring: one person for one period (:func:`score`) and a whole frame (:func:`score_frame`).

Both paths run the same kernel (:mod:`evalkit._kernels`) and give identical results.

NĐ 335/2025: general criteria 10 + 10 + 8 = 28 of 30, tasks (90 + 100 + 80) / 3 × 70% = 63,
total 91. A month is monitored, not classified (Điều 21): its grade is the band, shown as
information.

>>> from evalkit import Assessment, score
>>> a = Assessment("CC-0042", "2026-03", manager_scores={
...     "pham_chat_dao_duc": 5, "ky_luat_ky_cuong": 5,
...     "nang_luc_chuyen_mon": 2.5, "dap_ung_nhiem_vu": 2.5, "tinh_than_trach_nhiem": 2.5,
...     "phuc_vu_phoi_hop": 2.5, "san_pham_dot_pha": 2, "nhiem_vu_kho_khan": 2,
...     "chiu_trach_nhiem": 2, "chu_dong_quyet_dinh": 2,
...     "so_luong": 90, "chat_luong": 100, "tien_do": 80})
>>> r = score(a)
>>> r.total, r.grade.code, r.classified, r.rule_set_id
(91.0, 'HTXS', False, 'vn.nd335-2025')
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _columns, _conclusion, _ids, _kernels, _words, messages
from evalkit.errors import (
    EvalkitError,
    InputError,
    InputProblem,
    ModelError,
    NoRuleSetError,
    RuleSetNotInForceError,
    ScoreError,
    UnknownReferenceError,
)
from evalkit.model import (
    Assessment,
    EvaluationResult,
    Grade,
    Level,
    Period,
    Position,
    Scores,
    Staff,
    StaffCategory,
)
from evalkit.reasons import catalogue_order, make_reasons
from evalkit.rules import RuleSet, default_registry, resolve, rule_day

__all__ = [
    "CONCLUSION_COLUMNS",
    "FRAME_COLUMNS",
    "GRADE_DTYPE",
    "INPUT_FLAGS",
    "YES_NO_FLAGS",
    "assessments_to_frame",
    "assign_rule_sets",
    "assign_unit_rule_sets",
    "criterion_maxima",
    "criterion_of",
    "foreign_said",
    "has_levels",
    "read_flags",
    "require_in_force",
    "resolve_rules",
    "score",
    "score_assigned",
    "score_frame",
    "score_levels",
]

#: The grade column's dtype: ordered categories KHT < HT < HTT < HTXS.
GRADE_DTYPE = pd.CategoricalDtype(["KHT", "HT", "HTT", "HTXS"], ordered=True)

#: Documented columns of a staff-month frame besides one column per criterion id.
FRAME_COLUMNS: dict[str, str] = {
    "staff_id": "the person's id (text); used in error messages",
    "period": "the month, '2026-03' (text, a date, Period or pandas Period; a number such as "
    "2026.1 is refused: it may have been 2026.10); needed when rules=None",
    "category": "cong_chuc | vien_chuc | can_bo | hop_dong; read when rules=None; without "
    "the column every row is cong_chuc (a Staff's default), a blank cell is refused",
    "rule_set": "the row's own rule set (an id or a rule file; optional): when rules=None it "
    "comes before category, a blank cell falls back to category; in force for the period "
    "unless force=True",
    "position_id": "the job position, for per-position maxima (optional)",
    "manages_others": "bool: scored with the management components (default False)",
    "is_head": "bool: heads a unit, for head-only disqualifiers; a head holds a management "
               "post, scored with d, đ, e where the rule set has them (default False)",
    "kpi": "task-tracker percentage 0-100 standing for the task block (optional, NaN = none)",
    "degradation": "bool: ideological/ethical degradation concluded (default False)",
    "discipline": "0-5 or a Discipline name: 1 = reprimand (khiển trách) and up",
    "discipline_related_to_duty": "bool: the discipline was for a violation related to public "
    "duty (default True; NĐ 335/2025 Điều 20 k4 c counts only those)",
    "party_discipline": "bool: a party discipline in the year (NĐ 90/2020 Điều 2 k5 a; NĐ 335/2025 Điều 20 k4 c and NĐ 233/2026 Điều 12 k4 c where related to duty)",
    "corruption_in_unit": "bool: corruption or waste in the unit the person leads",
    "late_files": "count of files handled late (optional rule)",
    "apologies": "count of public apologies (optional rule)",
    "inspection_findings": "count of inspection findings on the person in the period "
    "(written by evalkit.inspections.apply; a notice for the competent level)",
    "competent_grade": "the competent level's concluded grade (optional): applied after the "
    "caps where the rule set classifies the period, as classify_frame does",
    "competent_reason": "the written reason of a concluded grade other than the score's "
    "(required where the rule set's conclusion policy says so)",
}

_LEVEL_ORDER = (Level.COMPETENT, Level.MANAGER, Level.SELF)

#: The grades a staff-period frame may carry as inputs: each level's proposed grade and
#: the competent level's conclusion, read as every door reads a grade (HTXS, a full name,
#: 0-3); one that is no grade is a problem of its cell, listed with every other.
GRADE_INPUTS: tuple[str, ...] = ("self_grade", "manager_grade", "competent_grade")

#: Further columns of a staff-period frame (docs/workbook.md, the shared contracts): the
#: inputs classify_frame reads, the identity and comments the sheets print, and the
#: columns score_frame, classify_frame and inspections write, so a results frame can be
#: fed back. With :data:`FRAME_COLUMNS`, :data:`INPUT_FLAGS`, the criterion ids of the
#: rule sets in play (bare and ``self__``/``manager__``/``competent__``), their event and
#: deduction inputs and :data:`KEPT_PREFIXES`, these are the columns a staff-period frame
#: may have: any other is refused (a misspelt ``Discipline`` would otherwise be ignored).
STAFF_COLUMNS: frozenset[str] = frozenset({
    # inputs
    "unit_id", "jurisdiction", "duty_group", "manager_id", "leave", "months_worked",
    "carried_months",
    "competent_order", "self_comment", "manager_comment", "competent_comment",
    "self_grade", "manager_grade", "full_name", "title_vi", "position_title", "unit_name",
    "manager_name", "manager_title", "position_title_en", "manager_title_en",
    # what evalkit.inspections.apply and evalkit.io.tasks.task_components add
    "inspection_points", "inspection_refs", "inspection_deduction",
    "n_assigned", "n_done", "n_on_time", "n_delayed", "n_exceeded", "n_errors",
    # outputs a results frame carries back
    "total", "score_grade", "proposed_grade", "grade", "unit_grade", "head_grade",
    "classified", "classified_by_unit",
    "effective_manager_id", "reasons", "reasons_vi", "reasons_en",
})

#: Output column prefixes (``points_<block>``, ``quota_rank``, ``mgmt_value`` …; with
#: ``<level>_total`` and ``<level>_points_<block>``) a results frame fed back carries.
OUTPUT_PREFIXES = ("points_", "mgmt_", "quota_")

#: A column whose name starts with one of these is the user's own: kept untouched and never
#: read (``_note``, ``x_employee_no``); ``extra_columns=`` names others.
KEPT_PREFIXES = _columns.KEPT_PREFIXES


def _known_columns(sets: Sequence[RuleSet]) -> set[str]:
    """Every column a staff-period frame under ``sets`` may carry (see
    :data:`STAFF_COLUMNS`)."""
    crit: set[str] = set().union(*(rs.input_ids for rs in sets))
    known = set(FRAME_COLUMNS) | set(INPUT_FLAGS) | set(STAFF_COLUMNS) | crit
    known.update(p + c for p in LEVEL_PREFIXES.values() for c in crit)
    return known


def _output_column(name: str) -> bool:
    """An output column of score_frame / classify_frame (``points_tasks``,
    ``manager_total``, ``quota_rank`` …), not a misspelt criterion."""
    for lvl in ("self_", "manager_", "competent_"):
        if name.startswith(lvl):  # a level's result; ``manager__x`` is a level's score
            rest = name[len(lvl):]
            return rest == "total" or rest.startswith("points_")
    return name.startswith(OUTPUT_PREFIXES)


def check_columns(
    frame: pd.DataFrame,
    sets: Sequence[RuleSet],
    found: _columns.Problems,
    extra_columns: Sequence[str] = (),
) -> None:
    """Report to ``found`` every column of ``frame`` that a staff-period frame under
    ``sets`` does not have (:data:`STAFF_COLUMNS`), naming it with a "did you mean"
    suggestion: a reprimand typed under ``Discipline`` or ``kỷ luật`` would otherwise be
    ignored and the person graded HTXS. Columns starting with ``_`` or ``x_``
    (:data:`KEPT_PREFIXES`) and those in ``extra_columns`` are the user's own. A
    criterion of another registered rule set is not refused (data typed for one set and
    scored under another), nor suggested.

    >>> import pandas as pd, evalkit.rules
    >>> from evalkit._columns import Problems
    >>> df = pd.DataFrame({"staff_id": ["A"], "Discipline": [1], "_note": ["x"]})
    >>> found = Problems(df)
    >>> check_columns(df, [evalkit.rules.get("vn.nd335-2025")], found)
    >>> print(found.problems[0].message)  # doctest: +ELLIPSIS
    unknown column 'Discipline' (did you mean 'discipline'?): it is neither a column ...
    """
    meant = _known_columns(sets)  # the names a misspelt header is compared with
    # the criteria of every registered set are accepted too: data typed for one set and
    # scored under another (a what-if, last year's sheet) carries real criteria, not
    # misspellings, and the set's own required criteria are checked cell by cell anyway
    ids = ", ".join(rs.id for rs in sets) or "none"
    _columns.unknown_columns(
        frame, found, known=meant | _known_columns(tuple(default_registry())), meant=meant,
        kind="staff", ids=ids, extra=extra_columns, also_known=_output_column)  # fmt: skip


#: The columns a conclusions frame (:func:`evalkit.classify_year`'s ``conclusions=``,
#: ``evalkit annual --conclusions``) is read for: who and when, the competent level's grade,
#: written reason and order (the year's result), and the three levels' words (the sheets).
CONCLUSION_COLUMNS: tuple[str, ...] = (
    "staff_id", "period", "competent_grade", "competent_reason", "competent_order",
    "self_comment", "self_grade", "manager_comment", "manager_grade", "competent_comment")


def check_conclusion_columns(frame: pd.DataFrame, sets: Sequence[RuleSet],
                             found: _columns.Problems) -> None:  # fmt: skip
    """Report to ``found`` every column of a conclusions ``frame`` that is neither one of
    :data:`CONCLUSION_COLUMNS` nor a column :func:`assessments_to_frame` writes (the
    objects door's conclusions: an assessment's facts and each level's score of a
    criterion of ``sets`` or of a registered set), with the closest name read, and a
    missing ``staff_id``: a conclusion under a misspelt header (``grade``, ``staf_id``)
    would otherwise be ignored. Names starting with ``_`` or ``x_`` are the user's own.

    >>> import pandas as pd
    >>> from evalkit._columns import Problems
    >>> df = pd.DataFrame({"staf_id": ["A"], "grade": ["HT"], "_note": ["x"]})
    >>> found = Problems(df)
    >>> check_conclusion_columns(df, [], found)
    >>> [p.column for p in found.problems]
    ['staf_id', 'grade', 'staff_id']
    >>> print(found.problems[0].message)  # doctest: +ELLIPSIS
    unknown column 'staf_id' (did you mean 'staff_id'?): it is not a column of the ...
    """
    crit: set[str] = set().union(*(rs.input_ids for rs in (*sets, *default_registry())))
    known = crit | {p + c for p in LEVEL_PREFIXES.values() for c in crit} | set(
        _assessment_columns())  # fmt: skip
    _columns.unknown_columns(frame, found, known=known, meant=CONCLUSION_COLUMNS,
                             kind="conclusions", ids=", ".join(CONCLUSION_COLUMNS))  # fmt: skip
    _columns.missing(frame, ("staff_id",), "the conclusions", found)


@functools.cache
def _assessment_columns() -> tuple[str, ...]:
    """The columns :func:`assessments_to_frame` writes besides the criteria (with each
    level's words, and the inspection findings an assessment may carry)."""
    probe = Assessment("x", Period.parse("2026"), events={"inspection_findings": 0.0})
    return tuple(assessments_to_frame([probe], levels=True).columns)


#: Flag columns read by the kernel (absent = 0; ``discipline_related_to_duty`` absent = true).
INPUT_FLAGS = (
    "degradation",
    "discipline",
    "party_discipline",
    "discipline_related_to_duty",
    "corruption_in_unit",
    "late_files",
    "apologies",
    "inspection_findings",
)

#: The flags a period combined from months keeps besides :data:`INPUT_FLAGS` (a quarter of
#: :func:`evalkit.classify_year`), each month's derived first (:func:`evalkit._kernels.
#: derived_flags`), then the heaviest: the one relation flag a combined period keeps cannot
#: say that of an administrative discipline unrelated to the duties in one month and a party
#: discipline related to them in another, only the latter counts (NĐ 233/2026 Điều 14 k3 a).
#: Each value is the flag's default where not given (NaN: derived from the inputs).
PERIOD_FLAGS: dict[str, float] = {**{f: float(f == "discipline_related_to_duty")
                                     for f in INPUT_FLAGS},
                                  "duty_discipline": np.nan, "duty_any_discipline": np.nan}


def period_flags(columns: Iterable[Any]) -> dict[str, float]:
    """The flags of :data:`PERIOD_FLAGS` a period combined from months with ``columns``
    keeps, with their defaults: the inputs given, and the derived ones where a discipline
    level is given (without one, the inputs say them: only a party discipline's relation).

    >>> list(period_flags(["staff_id", "discipline", "party_discipline"]))
    ['discipline', 'party_discipline', 'duty_discipline', 'duty_any_discipline']
    >>> period_flags(["late_files"])
    {'late_files': 0.0}
    """
    given = set(columns)
    return {f: d for f, d in PERIOD_FLAGS.items() if f in given or (
        "discipline" in given and np.isnan(d))}


def resolve_rules(
    rules: RuleSet | str | None,
    category: StaffCategory | str,
    period: Period | str,
    *,
    jurisdiction: str | None = None,
    force: bool = False,
) -> RuleSet:
    """The rule set to apply: ``rules`` (an id or object) checked for its dates, or the set
    in force for ``category`` and ``period``.

    Applying a set outside its effective dates raises
    :class:`~evalkit.errors.RuleSetNotInForceError` unless ``force=True``.
    """
    p = Period.parse(period)
    if rules is None:
        return default_registry().for_period(category, p, jurisdiction)
    rs = resolve(rules)
    require_in_force(rs, [p], force=force)
    return rs


def require_in_force(rs: RuleSet, periods: Iterable[Period | str], *, force: bool) -> None:
    """Refuse to apply ``rs`` to a period outside its effective dates unless ``force``
    (domain brief §4: applying a set outside its dates is an explicit choice): the one
    check behind :func:`score`, :func:`score_frame`, :func:`evalkit.classify_frame` and
    :func:`evalkit.classify_year`. A month or quarter is held to its first day, a year to
    its December (:func:`evalkit.rules.rule_day`: the year is classified at its end, so a
    set that ended in June does not classify that year).

    >>> import evalkit.rules
    >>> require_in_force(evalkit.rules.get("vn.nd90-2020"), ["2026"], force=False)
    Traceback (most recent call last):
    ...
    evalkit.errors.RuleSetNotInForceError: rule set 'vn.nd90-2020' is in force from 2020-08-20 to 2026-06-30, not in 2026; pass force=True to apply it anyway
    """
    if force:
        return
    parsed = [Period.parse(p) for p in periods]
    outside = [p for p in parsed if not rs.in_force_on(rule_day(p))]
    if outside:  # one sentence the CLI translates (evalkit.messages: foreign.not_in_force)
        end = rs.effective_to or "open end"
        raise RuleSetNotInForceError(
            f"rule set {rs.id!r} is in force from {rs.effective_from} to {end}, not in "
            f"{', '.join(map(str, outside))}; pass force=True to apply it anyway"
        )


# =========================================================================== scalar path


def _merged_scores(a: Assessment) -> tuple[dict[str, float], Level | None]:
    """Per criterion, the score of the last level that scored it."""
    merged: dict[str, float] = {}
    for level in reversed(_LEVEL_ORDER):  # self, manager, competent: later wins
        merged.update(a.scores(level))
    return merged, a.counting_level()


def _score_problems(
    rules: RuleSet,
    scores: Mapping[str, float],
    *,
    position_id: str | None,
    position: Position | None,
) -> list[ModelError]:
    """Every score of ``scores`` the rule set refuses: an unknown criterion (but a 0 under
    another set's count of events, :func:`foreign_said`), a count that is not whole, a
    score above its maximum."""
    out: list[ModelError] = []
    for cid, value in scores.items():
        try:
            crit = rules.criterion(cid)
        except UnknownReferenceError as exc:
            if foreign_said(pd.Series([value]), cid)[0]:
                out.append(UnknownReferenceError(str(exc)))
            continue
        if crit.unit == "count" and not float(value).is_integer():
            out.append(ScoreError(f"criterion {cid!r} score {_fmt(value)} is not a whole number"))
        why = scores.fraction_problem(cid) if (crit.unit == "percent"
                                               and isinstance(scores, Scores)) else None
        if why is not None:  # 0.95 typed for 95 %, refused as every door refuses it
            out.append(ScoreError(f"criterion {cid!r} score {_fmt(value)}: {why}"))
        maximum = rules.maximum(cid, position_id)
        if position is not None and cid in position.maxima:
            maximum = position.maxima[cid]
        if value > maximum + 1e-9:
            out.append(ScoreError(f"criterion {cid!r} score {_fmt(value)} exceeds its maximum "
                                  f"{_fmt(maximum)}"))  # fmt: skip
    for cid, other, _above in _above_other(rules, lambda c: np.array([scores.get(c, np.nan)],
                                                                     dtype=np.float64)):
        out.append(ScoreError(f"criterion {cid!r} score {_fmt(scores[cid])} is above {other!r} "
                              f"({_fmt(scores[other])})"))  # fmt: skip
    return out


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def score(
    assessment: Assessment,
    *,
    staff: Staff | None = None,
    rules: RuleSet | str | None = None,
    category: StaffCategory | str | None = None,
    manages_others: bool | None = None,
    is_head: bool = False,
    position: Position | None = None,
    jurisdiction: str | None = None,
    force: bool = False,
    options: Mapping[str, bool] | None = None,
) -> EvaluationResult:
    """Score one person's assessment for its period.

    The rule set is ``rules`` (checked to be in force unless ``force=True``) or the set
    in force for the person's category (from ``staff``, else ``category``, else công
    chức) and the assessment's period. The counting score of each criterion is the last
    level's that scored it (competent, else manager, else self); ``level_totals`` gives
    each level's own total where that level scored every required criterion.

    ``manages_others`` defaults to the person's mark, else their ``position``'s (a position
    that manages others: its holder is scored with the management components, as the
    organisation's doors score them).

    A person nobody scored is *not evaluated*: ``total`` and ``grade`` are None.

    The competent level's conclusion (``competent_grade`` with ``competent_reason``) is
    applied after the caps, as :func:`evalkit.classify_frame` applies it (one
    implementation, :mod:`evalkit._conclusion`): where the rule set classifies the period
    a lower conclusion is the grade (``competent.concluded``), a higher one applies only
    where the rule set allows it (else ``competent.above_band``); on a period it does not
    classify the band stays (``competent.not_applied``).

    Raises :class:`~evalkit.errors.ScoreError` for a score above its maximum, a
    missing required score or a differing conclusion without its required written
    reason, :class:`~evalkit.errors.UnknownReferenceError` for an unknown criterion,
    :class:`~evalkit.errors.ModelError` when ``assessment`` is not an Assessment.
    """
    if not isinstance(assessment, Assessment):
        raise ModelError(
            f"score needs an Assessment, not {type(assessment).__name__}: build one with "
            "Assessment(staff_id, period, manager_scores={...}); score_frame scores a frame"
        )
    cat = StaffCategory.parse(
        category if category is not None else (staff.category if staff else "cong_chuc")
    )
    rs = resolve_rules(rules, cat, assessment.period, jurisdiction=jurisdiction, force=force)
    assessment = attrs.evolve(assessment, **rs.read_grades(assessment))  # type: ignore[arg-type]
    marked = bool(  # the person's mark, else their position's (as the organisation's doors)
        manages_others if manages_others is not None
        else (staff is not None and staff.manages_others)
        or (position is not None and position.manages_others)
    )  # fmt: skip
    manages = bool(management_duty(rs, np.array([marked]), np.array([is_head]))[0])
    known = category if category is not None else (staff.category if staff else None)
    scope = (np.array([rule_day(assessment.period).toordinal()], dtype=np.int64),
             _kernels.category_codes([known]))  # the caps' own dates and categories
    merged, level = _merged_scores(assessment)
    pos_id = position.id if position else (staff.position_id if staff else None)
    period = assessment.period
    sid = assessment.staff_id
    found = [(lvl, e) for lvl in _LEVEL_ORDER for e in _score_problems(
        rs, assessment.scores(lvl), position_id=pos_id, position=position)]  # fmt: skip
    unread = unread_scores(rs, np.array([manages]), np.array([assessment.kpi is not None]))
    for lvl in _LEVEL_ORDER:  # per level and sentence, the criteria it names
        said_of: dict[str, list[str]] = {}
        for cid, rows, key in unread:
            if rows[0] and cid in assessment.scores(lvl):
                said_of.setdefault(key, []).append(repr(cid))
        found += [(lvl, ScoreError(f"{'criteria' if len(ids) > 1 else 'criterion'} "
                                   f"{', '.join(ids)}: {messages.text(key, 'en')}"))
                  for key, ids in said_of.items()]  # fmt: skip
    if found:  # every one said, with its level; the first's kind raised
        levels = {lvl for lvl, _e in found}
        one = f", {found[0][0].value}_scores" if len(levels) == 1 else ""
        said = "; ".join(str(e) if one else f"{e} ({lvl.value}_scores)" for lvl, e in found)
        raise type(found[0][1])(f"{said} (staff {sid!r}, {period}{one})")
    if marks := leader_flag_problems(rs, _scalar_flags(assessment), np.array([manages]),
                                    np.array([is_head])):  # a mark for leaders only
        raise ScoreError("; ".join(m for _, _, m in marks) + f" (staff {sid!r}, {period})")
    classified = rs.classifies(period)
    if assessment.carried_months and (rs.period != "quarter"
                                                  or rs.rollup.period_short_months is None):
        raise ScoreError(f"{messages.text('foreign.carried_not_quarter', 'en')} (staff "
                         f"{sid!r}, {period})")
    if assessment.carried_months and assessment.carried_months > (most := _columns.carried_most(
            period, rs.effective_from)):  # (above the year's months: the model refused it)
        raise ScoreError(f"carried_months {assessment.carried_months:g}: " + messages.text(
            "foreign.carried_before_set", "en", rules=rs.id, start=str(rs.effective_from),
            period=str(period), most=most) + f" (staff {sid!r}, {period})")

    # a conclusion for someone without a grade is not applied, and said (competent.not_graded)
    unconcluded = [] if assessment.competent_grade is None else \
        _conclude_one(rs, -1, assessment)[1]  # fmt: skip

    def not_evaluated(level: Level | None, why: str = "not_evaluated") -> EvaluationResult:
        """Nobody scored the person (``why``: ``not_evaluated``), or nothing was assigned
        (:data:`NOTHING_ASSIGNED`): "not evaluated", never a zero; the caps the month's
        facts hit are said all the same."""
        return EvaluationResult(
            sid, period, rs.id, None, None, None, level=level,
            reasons=make_reasons([why, *_unscored_caps(rs, assessment, manages,
                                                                   is_head, options, scope),
                                  *unconcluded], rs,
                                 {"total": None, "competent_grade": assessment.competent_grade}),
            classified=classified, flags=kept_flags(_scalar_flags(assessment)),
            leave=assessment.leave, tie_inputs=_tie_inputs(rs, assessment),
            manages_others=manages, months_worked=assessment.months_worked,
            carried_months=assessment.carried_months,
        )  # fmt: skip

    if level is None and assessment.kpi is None:
        return not_evaluated(None)
    worked = assessment.months_worked
    if worked is not None and worked <= rs.rollup.period_short_limit \
            and period.kind == "quarter":  # customs: ≤ 1 month of a quarter  # fmt: skip
        return EvaluationResult(
            sid, period, rs.id, None, None, None, level=level,
            reasons=make_reasons(["rollup.period_short", *_unscored_caps(
                rs, assessment, manages, is_head, options, scope), *unconcluded], rs, {
                "total": None, "months_worked": worked,
                "competent_grade": assessment.competent_grade}),
            classified=classified, flags=kept_flags(_scalar_flags(assessment)),
            leave=assessment.leave, tie_inputs=_tie_inputs(rs, assessment),
            manages_others=manages, months_worked=assessment.months_worked,
            carried_months=assessment.carried_months,
        )  # fmt: skip
    # nothing assigned: not evaluated whatever else is blank, as score_frame reads the row
    if _nothing_assigned(rs, lambda cid: np.array([merged.get(cid, np.nan)]))[0]:
        return not_evaluated(level, NOTHING_ASSIGNED)
    required = _required(rs, manages, has_kpi=assessment.kpi is not None)
    missing = [cid for cid in required if cid not in merged]
    if missing:
        post = manages and not marked and bool(set(missing) & set(management_only_inputs(rs)))
        raise ScoreError(
            f"criterion {missing[0]!r} has no score (staff {sid!r}, {period})"
            + (f"; also missing: {', '.join(missing[1:])}" if len(missing) > 1 else "")
            + (f"; {messages.text('foreign.head_post', 'en', source=head_post_source(rs))}"
               if post else "")
        )
    _check_management_values(rs, merged, staff_id=sid, period=period)
    flags = _scalar_flags(assessment)
    out = _run_scalar(rs, merged, manages, is_head, flags, assessment.kpi, options, scope)
    level_totals: dict[str, float] = {}
    level_points: dict[str, dict[str, float]] = {}
    for lvl in _LEVEL_ORDER:
        s = dict(assessment.scores(lvl))
        if s and all(cid in s for cid in required):
            o = _run_scalar(rs, s, manages, is_head, flags, assessment.kpi, options, scope)
            level_totals[lvl.value] = float(o.total[0])
            level_points[lvl.value] = {k: float(v[0]) for k, v in o.components.items()}
    return _result_from(rs, out, 0, sid, period, level, level_totals, level_points,
                        assessment=assessment, manages=manages)  # fmt: skip


#: The reason code of a row scored but with nothing assigned (:func:`_nothing_assigned`),
#: which both doors (:func:`score` and :func:`score_frame`) give: not "nobody scored it".
NOTHING_ASSIGNED = "not_evaluated.nothing_assigned"


def _nothing_assigned(rs: RuleSet, get: Callable[[str], npt.NDArray[np.float64]]
                      ) -> npt.NDArray[np.bool_]:  # fmt: skip
    """Rows with nothing assigned (a denominator of 0) in a ratio block whose rule set says
    such a period is not evaluated (``empty = "not_evaluated"``; domain brief §4.1's
    product choice, as the products table gives it)."""
    out: npt.NDArray[np.bool_] | None = None
    for b in rs.blocks:
        if b.kind == "ratio" and b.params["empty"] == "not_evaluated":
            zero = get(b.params["denominator"]) == 0
            out = zero if out is None else out | zero
    return out if out is not None else np.zeros(1, dtype=bool)


def _above_other(rs: RuleSet, get: Callable[[str], npt.NDArray[np.float64]]
                 ) -> list[tuple[str, str, npt.NDArray[np.bool_]]]:  # fmt: skip
    """Per criterion bounded by another (``at_most``): the rows where it is above it
    (both typed), e.g. products done to quality above the products done."""
    out = []
    for crit in rs.criteria():
        if crit.at_most is not None:
            above = get(crit.id) > get(crit.at_most) + 1e-9  # NaN compares False
            if above.any():
                out.append((crit.id, crit.at_most, above))
    return out


def management_only_inputs(rs: RuleSet) -> tuple[str, ...]:
    """The inputs only the formula for staff with management duty reads (NĐ 335/2025/NĐ-CP
    Điều 15: d, đ, e), in the rule set's order.

    >>> import evalkit.rules
    >>> management_only_inputs(evalkit.rules.get("vn.nd335-2025"))
    ('ket_qua_linh_vuc', 'to_chuc_trien_khai', 'tap_hop_doan_ket')
    """
    staff = set(rs.required_inputs(False))
    return tuple(c for c in rs.required_inputs(True) if c not in staff)


def management_duty(rs: RuleSet, marked: npt.NDArray[np.bool_], is_head: npt.NDArray[np.bool_]
                    ) -> npt.NDArray[np.bool_]:  # fmt: skip
    """The rows scored with the formula for staff with management duty: those marked
    ``manages_others`` and, under a rule set that has management-only components
    (:func:`management_only_inputs`), every head of a unit — the head holds a management
    post (NĐ 335/2025/NĐ-CP Điều 15: (a + b + c + d + đ + e) / 6 × 70 %), marked or not,
    whatever is typed. Where the set has none (a local framework without d, đ, e) a head
    is scored as the set scores everyone.

    One rule, read by every door: :func:`score`, :func:`score_frame`,
    :func:`evalkit.classify_frame`, the workbook reader and the archive.

    >>> import numpy as np, evalkit.rules
    >>> management_duty(evalkit.rules.get("vn.nd335-2025"), np.array([False, True, False]),
    ...                 np.array([True, False, False])).tolist()
    [True, True, False]
    >>> management_duty(evalkit.rules.get("vn.qd366-2025"), np.array([False]),
    ...                 np.array([True])).tolist()
    [False]
    """
    out: npt.NDArray[np.bool_] = np.asarray(marked, dtype=bool)
    if management_only_inputs(rs):
        out = out | np.asarray(is_head, dtype=bool)
    return out


def unknown_criteria(assessments: Sequence[Assessment], staff: Mapping[str, Staff],
                     rules: RuleSet | str | None = None, *, force: bool = False,
                     jurisdiction: str | None = None
                     ) -> tuple[list[InputProblem], set[str]]:  # fmt: skip
    """The scores of ``assessments`` under an id no rule set has (a typo), each said as
    :func:`score` says it — the criterion, the person's rule set, the month and the level —
    with the frame columns they become (``so_luongg``, ``manager__so_luongg``), which a frame
    door reports as unknown columns. ``staff`` maps each assessment's staff id to the person
    (their category finds their rule set)."""
    out: list[InputProblem] = []
    columns: set[str] = set()
    known = _all_criteria()
    for a in assessments:
        person = staff.get(_ids.normal_id(a.staff_id))
        try:
            rs = resolve_rules(rules, person.category if person else "cong_chuc", a.period,
                               jurisdiction=jurisdiction, force=force)  # fmt: skip
        except EvalkitError:
            continue  # no set to read the scores by: the engine says why
        for lvl in _LEVEL_ORDER:
            for cid in (c for c in a.scores(lvl) if c not in known):
                try:
                    rs.criterion(cid)
                except UnknownReferenceError as exc:
                    out.append(InputProblem(f"{exc.args[0]} ({a.period}, {lvl.value}_scores)",
                                            staff_id=a.staff_id))  # fmt: skip
                    columns |= {cid, LEVEL_PREFIXES[lvl] + cid}
    return out, columns


def missing_score(problem: InputProblem) -> bool:
    """Whether ``problem`` says its column's criterion has no score (the frames' sentence,
    with or without the head of a unit's management post): the doors that compute d leave
    such a problem of the computed column unsaid."""
    return str(problem.message).startswith(f"criterion {problem.column!r} has no score")


def unread_scores(rs: RuleSet, manages: npt.NDArray[np.bool_], has_kpi: npt.NDArray[np.bool_]
                  ) -> list[tuple[str, npt.NDArray[np.bool_], str]]:  # fmt: skip
    """The typed scores a total would not read, which are never dropped without a word
    (domain brief §4.1): per criterion id, the rows where a typed value is refused and the
    catalogue key of what is said (:mod:`evalkit.messages`) —
    ``foreign.input.management_only``: a component of the formula for staff with
    management duty (NĐ 335/2025/NĐ-CP Điều 15: d, đ, e) typed for a person who manages
    nobody (``manages`` is :func:`management_duty`: the ``manages_others`` mark or being the
    head of a unit). A task score beside a ``kpi`` that stands for its block is not refused:
    the sheet says the kpi stands for it (the ``kpi`` reason).

    One function, so the scalar :func:`score` and the frames refuse the same cells.
    """
    out: list[tuple[str, npt.NDArray[np.bool_], str]] = []
    for b in rs.blocks:
        if b.kind != "percent_average":
            continue
        kpi_rows = has_kpi if b.params.get("kpi") else np.zeros_like(has_kpi)
        staff_inputs = set(b.inputs(False))
        for cid in b.inputs(None):
            if cid not in staff_inputs:
                out.append((cid, ~manages & ~kpi_rows, "foreign.input.management_only"))
    return out


def head_post_source(rs: RuleSet) -> str:
    """The citation of why a head of a unit is scored as staff with management duty, from
    the rule set's data: its management components' source (NĐ 335/2025/NĐ-CP, Điều 15 k3;
    NĐ 233/2026/NĐ-CP, Điều 11 k3 b; Điều 12 k5), else the source of the block that holds
    them, else the set's own.

    >>> from evalkit import rules
    >>> head_post_source(rules.get("vn.nd233-2026"))
    'NĐ 233/2026/NĐ-CP, Điều 11 k3 b; Điều 12 k5'
    >>> head_post_source(rules.get("vn.nd90-2020"))
    'NĐ 90/2020/NĐ-CP, Điều 12–14'
    """
    m = rs.management
    if m is not None and m.source:
        return m.source
    only = set(management_only_inputs(rs))
    return next((b.source for b in rs.blocks if b.source and only & set(b.inputs(None))),
                rs.source_short or rs.source)


def _check_management_values(
    rs: RuleSet, scores: Mapping[str, float], *, staff_id: str, period: Period
) -> None:
    """A typed management component must be one of the values the rule set allows."""
    allowed = rs.management.values
    if not allowed:
        return
    for c in rs.criteria():
        if c.management and c.id in scores and not _allowed(scores[c.id], allowed):
            raise ScoreError(
                f"criterion {c.id!r} score {_fmt(scores[c.id])} is not one of the values the "
                f"rule set allows ({', '.join(_fmt(v) for v in allowed)}) "
                f"(staff {staff_id!r}, {period})"
            )


def _allowed(value: float, allowed: Sequence[float]) -> bool:
    return any(abs(value - a) <= 1e-9 for a in allowed)


def _required(rs: RuleSet, manages: bool, *, has_kpi: bool) -> tuple[str, ...]:
    req = list(rs.required_inputs(manages))
    if has_kpi:
        kpi_blocks = [b for b in rs.blocks if b.kind == "percent_average" and b.params.get("kpi")]
        drop = {cid for b in kpi_blocks for cid in b.inputs(None)}
        req = [c for c in req if c not in drop]
    return tuple(req)


_Scope = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]


def _unscored_caps(rs: RuleSet, a: Assessment, manages: bool, is_head: bool,
                   options: Mapping[str, bool] | None, scope: _Scope) -> list[str]:
    """The codes of the caps whose condition holds for an assessment without scores (a
    discipline in a month not evaluated still hits the year), as the frame path gives."""
    _, bits, specs = _kernels.apply_caps(rs, np.full(1, -1, dtype=np.int8), _scalar_flags(a),
                                         is_head=np.array([is_head]),
                                         manages=np.array([manages]), options=options,
                                         kind=rs.period, day=scope[0], category=scope[1])
    return [spec.code for spec in specs if int(bits[0]) & (1 << spec.bit)]


def leader_flag_problems(rs: RuleSet, flags: Mapping[str, npt.NDArray[np.float64]],
                         manages: npt.NDArray[np.bool_], is_head: npt.NDArray[np.bool_]
                         ) -> list[tuple[str, npt.NDArray[np.bool_], str]]:  # fmt: skip
    """The marks of a cap for leaders (or heads) typed for someone who holds no management
    post: ``(flag, rows, sentence)`` per such cap. NĐ 335/2025 Điều 20 k4 d (corruption or
    waste "tại cơ quan, đơn vị do mình trực tiếp quản lý, phụ trách") speaks of those who
    manage a body: the mark on anyone else would be dropped without a word, and on a deputy
    not marked ``manages_others`` it would leave them uncapped. Every door refuses it. (A
    deputy's mark under a cap a local file narrowed to heads is a fact, kept: the cap does
    not reach them.)

    >>> import evalkit.rules
    >>> rs = evalkit.rules.get("vn.nd335-2025")
    >>> [(f, r.tolist()) for f, r, _ in leader_flag_problems(
    ...     rs, {"corruption_in_unit": np.array([1.0, 1.0, 0.0])},
    ...     np.array([True, False, False]), np.array([False, False, False]))]
    [('corruption_in_unit', [False, True, False])]
    """
    out = []
    for cap in rs.caps:
        if cap.applies_to in ("leaders", "heads") and cap.flag in flags:
            rows = (flags[cap.flag] >= cap.at_least) & ~(is_head | manages)
            if rows.any():
                out.append((cap.flag, rows, messages.text(
                    "foreign.flag_leaders_only", "en", column=cap.flag,
                    source=cap.source or rs.id)))  # fmt: skip
    return out

def _scalar_flags(a: Assessment) -> dict[str, npt.NDArray[np.float64]]:
    return {
        "degradation": np.array([float(a.degradation)]),
        "discipline": np.array([float(a.discipline)]),
        "party_discipline": np.array([float(a.party_discipline)]),
        "discipline_related_to_duty": np.array([float(a.discipline_related_to_duty)]),
        "corruption_in_unit": np.array([float(a.corruption_in_unit)]),
        "late_files": np.array([a.events.get("late_files", 0.0)]),
        "apologies": np.array([a.events.get("apologies", 0.0)]),
        "inspection_findings": np.array([a.events.get("inspection_findings", 0.0)]),
    }


def kept_flags(flags: Mapping[str, Any]) -> dict[str, float]:
    """The period's facts a result keeps for the year (:attr:`EvaluationResult.flags`):
    each of :data:`PERIOD_FLAGS` given other than its default (0; a discipline related to
    the duties: 1; a combined period's derived flags, whatever their value)."""
    out: dict[str, float] = {}
    for name, default in PERIOD_FLAGS.items():
        value = flags.get(name)
        if value is None:
            continue
        v = float(np.asarray(value, dtype=np.float64).reshape(-1)[0])
        if not np.isnan(v) and v != default:
            out[name] = v
    return out


def _tie_inputs(rs: RuleSet, a: Assessment) -> dict[str, float]:
    """What the quota's tie-break reads besides the points (:attr:`EvaluationResult.
    tie_inputs`), as a results frame keeps it: the counting scores of the deduction inputs
    ``rs`` counts, and the competent level's order."""
    merged, _ = _merged_scores(a)
    order = {} if a.competent_order is None else {"competent_order": float(a.competent_order)}
    return {**{c: merged[c] for c in rs.deduction_inputs() if c in merged}, **order}


def _run_scalar(
    rs: RuleSet,
    scores: Mapping[str, float],
    manages: bool,
    is_head: bool,
    flags: Mapping[str, npt.NDArray[np.float64]],
    kpi: float | None,
    options: Mapping[str, bool] | None,
    scope: _Scope,
) -> _kernels.KernelOutput:
    def get(cid: str) -> npt.NDArray[np.float64]:
        return np.array([scores.get(cid, np.nan)], dtype=np.float64)

    return _kernels.compute(
        rs,
        get,
        manages=np.array([manages]),
        is_head=np.array([is_head]),
        flags=flags,
        kpi=np.array([np.nan if kpi is None else float(kpi)]),
        options=options,
        kind=rs.period,
        day=scope[0],
        category=scope[1],
    )


def _result_from(
    rs: RuleSet,
    out: _kernels.KernelOutput,
    i: int,
    staff_id: str,
    period: Period,
    level: Level | None,
    level_totals: Mapping[str, float],
    level_points: Mapping[str, Mapping[str, float]],
    *,
    assessment: Assessment | None = None,
    manages: bool = False,
) -> EvaluationResult:
    total = float(out.total[i])
    sg = int(out.score_grade[i])
    g = int(out.grade[i])
    bits = int(out.reason_bits[i])
    codes = [s.code for s in out.reasons if bits & (1 << s.bit)]
    extra: dict[str, Any] = {}
    if assessment is not None and assessment.competent_grade is not None:
        g, more = _conclude_one(rs, g, assessment)  # after the caps, as classify_frame
        codes += more
        extra = {"competent_grade": str(assessment.competent_grade),
                 "competent_reason": _columns.clean_text(assessment.competent_reason)}
    if assessment is not None and assessment.carried_months:  # as score_frame says it
        extra["carried_months"] = assessment.carried_months
        codes = str(carried_reasons(pd.Categorical([";".join(codes)]), np.ones(1))[0]).split(";")
    grade = Grade(g) if g >= 0 else None
    row = {"total": total, "score_grade": Grade(sg).code if sg >= 0 else None,
           "grade": grade.code if grade is not None else None, "period": str(period),
           "proposed_grade": grade.code if grade is not None else None, **extra}  # fmt: skip
    return EvaluationResult(
        staff_id,
        period,
        rs.id,
        total,
        Grade(sg) if sg >= 0 else None,
        grade,
        components={k: float(v[i]) for k, v in out.components.items()},
        level=level,
        level_totals=level_totals,
        reasons=make_reasons(codes, rs, row),
        classified=rs.classifies(period),
        proposed_grade=grade,
        level_points=level_points,
        flags=kept_flags(_scalar_flags(assessment)) if assessment is not None else {},
        leave=assessment.leave if assessment is not None else "",
        tie_inputs=_tie_inputs(rs, assessment) if assessment is not None else {},
        manages_others=manages,
        months_worked=assessment.months_worked if assessment is not None else None,
        carried_months=assessment.carried_months if assessment is not None else None,
    )


def _conclude_one(rs: RuleSet, grade: int, a: Assessment) -> tuple[int, list[str]]:
    """The grade after the competent level's conclusion of ``a`` and its reason codes
    (:mod:`evalkit._conclusion`, the rule the frame paths apply). A differing conclusion
    without its required written reason raises :class:`~evalkit.errors.ScoreError`."""
    assert a.competent_grade is not None
    c = _conclusion.conclude(
        np.array([grade], dtype=np.int8), np.array([Grade.parse(a.competent_grade)], dtype=np.int8),
        np.array([_columns.clean_text(a.competent_reason)], dtype=object),
        np.array([rs.classifies(a.period)]), np.array([rs.conclusion.requires_reason]),
        np.array([rs.conclusion.above_band]),
    )  # fmt: skip
    if c.missing_reason[0]:
        raise ScoreError(f"{_conclusion.message(a.period)} (staff {a.staff_id!r})")
    return int(c.grade[0]), [code for f, code in _conclusion.CODES.items() if getattr(c, f)[0]]


# =========================================================================== frame path


#: Flag inputs read as yes/no (every door reads them so); ``discipline`` is a level 0-5;
#: the others are counts.
YES_NO_FLAGS = frozenset(
    {"degradation", "corruption_in_unit", "party_discipline", "discipline_related_to_duty"}
)


def read_flags(frame: pd.DataFrame, found: _columns.Problems | None = None
               ) -> dict[str, npt.NDArray[np.float64]]:  # fmt: skip
    """The disqualifier and notice inputs of ``frame`` as floats (every bad cell reported in
    one :class:`~evalkit.errors.InputError`, or added to ``found`` where given); absent
    columns give their defaults. The derived flags a combined period keeps
    (:data:`PERIOD_FLAGS`) are read where the frame has them (NaN where blank: derived
    from the row's inputs)."""
    own = _columns.Problems(frame) if found is None else found
    flags = _flag_cols(frame, own)
    for f in [f for f in PERIOD_FLAGS if f not in flags and f in frame.columns]:
        flags[f] = _columns.numbers(frame, f, own, minimum=0)
    if found is None:
        own.raise_if_any()
    return flags


def _flag_cols(frame: pd.DataFrame, found: _columns.Problems) -> dict[str, npt.NDArray[np.float64]]:
    """The disqualifier and notice inputs as floats, bad cells reported to ``found``."""
    flags: dict[str, npt.NDArray[np.float64]] = {}
    n = len(frame)
    absent: dict[float, npt.NDArray[np.float64]] = {}
    for f in INPUT_FLAGS:
        if f not in frame.columns:  # one shared read-only column per default value
            value = 1.0 if f == "discipline_related_to_duty" else 0.0
            if value not in absent:
                absent[value] = np.full(n, value)
                absent[value].flags.writeable = False
            flags[f] = absent[value]
        elif f == "discipline":
            flags[f] = _columns.discipline(frame, f, found).astype(np.float64)
        elif f in YES_NO_FLAGS:
            default = f == "discipline_related_to_duty"  # absent: the discipline counts
            flags[f] = _columns.booleans(frame, f, found, default=default).astype(np.float64)
        else:
            flags[f] = _columns.numbers(frame, f, found, default=0.0, minimum=0, integer=True)
    return flags


def score_frame(
    frame: pd.DataFrame,
    rules: RuleSet | str | None = None,
    *,
    jurisdiction: str | None = None,
    force: bool = False,
    options: Mapping[str, bool] | None = None,
    positions: Mapping[str, Position] | None = None,
    extra_columns: Sequence[str] = (),
) -> pd.DataFrame:
    """Score a DataFrame of staff-months, vectorised (no per-row Python).

    ``frame`` has one row per staff-month: one column per criterion id (the counting
    level's score; NaN when not scored) plus the columns of :data:`FRAME_COLUMNS`. When
    ``rules`` is None each row gets the set in force for its ``category`` and
    ``period``. Returns a frame with the same index and the columns ``rule_set``,
    ``total``, one ``points_<block>`` column per score block, ``score_grade`` and
    ``grade`` (ordered categoricals, NaN when not evaluated) and ``reasons`` (reason
    codes joined by ``;``). With a ``competent_grade`` column the competent level's
    conclusions are applied after the caps, as in :func:`score` (the output then carries
    ``competent_grade`` and ``competent_reason`` too).

    Every invalid value is reported at once in an :class:`~evalkit.errors.InputError`
    naming the row, the column and the value. A column that is neither documented nor a
    criterion of the rule sets in play is refused with a "did you mean" (a reprimand typed
    under ``Discipline`` must not be lost, :func:`check_columns`): name your own columns
    with a leading ``_`` or ``x_``, or list them in ``extra_columns``. A blank
    ``staff_id``, one holding a control character and a person's second row for a period
    are refused, as in :func:`evalkit.classify_frame`: ids are compared as every door
    compares them (:mod:`evalkit._ids`: ``'S1 '`` and ``'S1\u200b'`` are ``'S1'``), the
    problem quoting them as typed.

    A gets 28 + 63 = 91; B full marks (100) and a reprimand, which makes the grade KHT
    (NĐ 335/2025 Điều 20 k4 c) — in a month, as information (``classified`` False):

    >>> import pandas as pd, evalkit
    >>> nd335 = evalkit.rules.get("vn.nd335-2025")
    >>> a = {"pham_chat_dao_duc": 5, "ky_luat_ky_cuong": 5, "nang_luc_chuyen_mon": 2.5,
    ...      "dap_ung_nhiem_vu": 2.5, "tinh_than_trach_nhiem": 2.5, "phuc_vu_phoi_hop": 2.5,
    ...      "san_pham_dot_pha": 2, "nhiem_vu_kho_khan": 2, "chiu_trach_nhiem": 2,
    ...      "chu_dong_quyet_dinh": 2, "so_luong": 90, "chat_luong": 100, "tien_do": 80}
    >>> df = pd.DataFrame([{"staff_id": "A", **a, "discipline": 0},
    ...                    {"staff_id": "B", **nd335.full_marks(), "discipline": 1}])
    >>> out = evalkit.score_frame(df.assign(period="2026-03"), "vn.nd335-2025")
    >>> out[["total", "grade", "classified", "reasons"]].values.tolist()
    [[91.0, 'HTXS', False, ''], [100.0, 'KHT', False, 'disqualifier.discipline']]
    """
    _columns.need_frame(frame, "score_frame's staff-month frame")
    frame = counting_from_levels(frame)  # a frame of the levels' scores alone counts too
    codes, sets = checked_rule_sets(frame, rules, jurisdiction=jurisdiction, force=force,
                                    extra_columns=extra_columns, options=options,
                                    positions=positions)  # fmt: skip
    if len(frame) == 0:
        return _score_with(frame, sets[0], options=options, positions=positions)
    out = score_assigned(frame, codes, sets, options=options, positions=positions)
    if "competent_grade" in frame.columns:  # after the caps, as classify_frame
        out = _conclude_frame(frame, out, codes, sets)
    if has_levels(frame):
        out = pd.concat([out, score_levels(frame, codes, sets, options=options,
                                           positions=positions)], axis=1)  # fmt: skip
    return out


def _conclude_frame(frame: pd.DataFrame, out: pd.DataFrame, codes: npt.NDArray[np.int64],
                    sets: Sequence[RuleSet]) -> pd.DataFrame:  # fmt: skip
    """``out`` with the competent level's conclusions of ``frame`` applied
    (:mod:`evalkit._conclusion`, the rule classify_frame applies) and its
    ``competent_grade`` and ``competent_reason`` columns; a differing conclusion without its
    required written reason is refused (every such row in one InputError)."""
    found = _columns.Problems(frame)
    concluded = _columns.grades(frame, "competent_grade", found,
                                labels=[rs.grade_names for rs in sets], rule=codes)
    reason = _columns.text(frame, "competent_reason", found)
    found.raise_if_any()
    grade = np.asarray(out["grade"].array.codes, dtype=np.int8)
    c = _conclusion.conclude(
        grade, concluded, reason, out["classified"].to_numpy(dtype=bool),
        np.array([rs.conclusion.requires_reason for rs in sets], dtype=bool)[codes],
        np.array([rs.conclusion.above_band for rs in sets], dtype=bool)[codes],
    )  # fmt: skip
    if c.missing_reason.any():
        raise InputError(_conclusion.problems(frame, c.missing_reason))
    bits = np.zeros(len(frame), dtype=np.int64)
    for k, field in enumerate(_conclusion.CODES):
        bits |= getattr(c, field).astype(np.int64) << k
    out = out.copy(deep=False)
    if bits.any():
        out["grade"] = grades(c.grade)
        out["reasons"] = _with_codes(out["reasons"].array, bits,
                                     list(_conclusion.CODES.values()))  # fmt: skip
    out["competent_grade"] = grades(concluded)
    out["competent_reason"] = reason
    return out


def _with_codes(reasons: pd.Categorical[Any], bits: npt.NDArray[np.int64],
                names: Sequence[str]) -> pd.Categorical[Any]:  # fmt: skip
    """``reasons`` with the codes ``names[k]`` of each row's set bits ``k`` added, in
    catalogue order; computed once per distinct (reasons, bits) pair."""
    width = 1 << len(names)
    rc = np.asarray(reasons.codes, dtype=np.int64) + 1  # 0: a missing cell
    inverse, uniq = pd.factorize(rc * width + bits)
    cats = [str(x) for x in reasons.categories]
    labels: list[str] = []
    for u in np.asarray(uniq).tolist():
        r, b = divmod(int(u), width)
        parts = [p for p in (cats[r - 1] if r else "").split(";") if p]
        add = [code for k, code in enumerate(names) if b & (1 << k) and code not in parts]
        labels.append(";".join(sorted(parts + add, key=catalogue_order) if add else parts))
    distinct = list(dict.fromkeys(labels))
    where = {lbl: i for i, lbl in enumerate(distinct)}
    remap = np.array([where[lbl] for lbl in labels], dtype=np.int32)
    return pd.Categorical.from_codes(remap[np.asarray(inverse)],
                                     dtype=pd.CategoricalDtype(distinct))  # fmt: skip


def counting_from_levels(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the counting score of each criterion the levels alone give: for a
    ``<level>__<id>`` column without its ``<id>`` column, ``<id>`` is the last level's score
    that is given (competent, else manager, else self), cell by cell, as the workbook reads
    its three levels (domain brief §3: the last level's score counts). ``frame`` itself
    where every criterion a level gives has its column.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"self__tien_do": [90.0, 80.0], "competent__tien_do": [None, 70.0]})
    >>> counting_from_levels(f)["tien_do"].tolist()
    [90.0, 70.0]
    """
    prefixes = [LEVEL_PREFIXES[lv] for lv in _LEVEL_ORDER[::-1]]  # self, manager, competent
    ids = dict.fromkeys(c[len(p):] for c in frame.columns if isinstance(c, str)
                        for p in prefixes if c.startswith(p))  # fmt: skip
    add: dict[str, pd.Series] = {}
    for cid in ids:
        if not cid or cid in frame.columns:
            continue
        value: pd.Series | None = None
        for p in prefixes:  # later levels win where they give a value
            if p + cid not in frame.columns or isinstance(frame[p + cid], pd.DataFrame):
                continue
            v = frame[p + cid].astype(object)
            text = frame[p + cid].astype("string").str.strip()  # blank text is not given
            given = (text.notna() & (text != "")).fillna(False).to_numpy(dtype=bool)
            value = v if value is None else v.where(given, value)
        if value is not None:
            add[cid] = value
    return _columns.with_columns(frame, add) if add else frame


def has_levels(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` carries per-level score columns (``self__<id>`` …)."""
    return any(isinstance(c, str) and c.startswith(tuple(LEVEL_PREFIXES.values()))
               for c in frame.columns)  # fmt: skip


def score_levels(
    frame: pd.DataFrame,
    codes: npt.NDArray[np.int64],
    sets: Sequence[RuleSet],
    *,
    options: Mapping[str, bool] | None = None,
    positions: Mapping[str, Position] | None = None,
) -> pd.DataFrame:
    """Each level's own result, for the sheet's three columns: ``<level>_total`` and
    ``<level>_points_<block>`` from the ``<level>__<criterion>`` columns, where that level
    scored every required criterion (NaN elsewhere). Same kernel, same rounding."""
    crit = {c.id for rs in sets for c in rs.criteria()}
    prefixes = tuple(LEVEL_PREFIXES.values())
    keep = [c for c in frame.columns
            if not (isinstance(c, str) and (c in crit or c.startswith(prefixes)))]  # fmt: skip
    out = pd.DataFrame(index=frame.index)
    for lvl, prefix in LEVEL_PREFIXES.items():
        cols = [c for c in frame.columns if isinstance(c, str) and c.startswith(prefix)
                and c[len(prefix):] in crit]  # fmt: skip
        if not cols:
            continue
        sub = frame[keep].copy()
        for c in cols:
            sub[c[len(prefix):]] = frame[c].to_numpy()
        problems: list[InputProblem] = []
        n = len(frame)
        got: dict[str, npt.NDArray[np.float64]] = {"total": np.full(n, np.nan)}
        for i, rs in enumerate(sets):
            rows = np.flatnonzero(codes == i)
            if rows.size == 0:
                continue
            try:
                part = _score_with(sub.iloc[rows], rs, options=options, positions=positions,
                                   complete_only=True)  # fmt: skip
            except InputError as exc:
                for p in exc.problems:
                    if p.column in ("leave", "months_worked", "kpi"):  # the row's own: once
                        if p not in problems:
                            problems.append(p)
                        continue
                    problems.append(InputProblem(f"{p.message} ({lvl.value} level)", p.file,
                                                 p.sheet, p.row, prefix + (p.column or ""),
                                                 p.value, p.staff_id))  # fmt: skip
                continue
            for c in part.columns:
                if c == "total" or (isinstance(c, str) and c.startswith("points_")):
                    got.setdefault(c, np.full(n, np.nan))[rows] = part[c].to_numpy(
                        dtype=np.float64, na_value=np.nan)  # fmt: skip
        if problems:
            raise InputError(problems)
        for c, v in got.items():
            out[f"{lvl.value}_{c}"] = v
    return out


def score_assigned(
    frame: pd.DataFrame,
    codes: npt.NDArray[np.int64],
    sets: Sequence[RuleSet],
    *,
    options: Mapping[str, bool] | None = None,
    positions: Mapping[str, Position] | None = None,
) -> pd.DataFrame:
    """:func:`score_frame` with each row's rule set already assigned (``sets[codes[i]]``,
    see :func:`assign_rule_sets`); every row's problems are reported together."""
    if len(sets) == 1 or not len(frame):  # (no row: nothing to split, the columns alone)
        return _score_with(frame, sets[0], options=options, positions=positions)
    parts: list[pd.DataFrame] = []
    problems: list[InputProblem] = []
    for i, rs in enumerate(sets):
        part = frame.iloc[np.flatnonzero(codes == i)]
        if not len(part):
            continue
        try:
            parts.append(_score_with(part, rs, options=options, positions=positions))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    for part in parts:
        part["rule_set"] = part["rule_set"].astype(object)
    out = pd.concat(parts)
    out["rule_set"] = pd.Categorical(out["rule_set"], categories=[r.id for r in sets])
    for col in out.columns:  # categoricals of different categories concatenate to text
        if any(col in p.columns and isinstance(p[col].dtype, pd.CategoricalDtype) for p in parts
               ) and not isinstance(out[col].dtype, pd.CategoricalDtype):  # fmt: skip
            out[col] = pd.Categorical(out[col].astype(object))
    order = np.argsort(np.concatenate([np.flatnonzero(codes == i) for i in range(len(sets))]),
                       kind="stable")  # fmt: skip
    return out.iloc[order]


def with_assumed_category(frame: pd.DataFrame, rules: RuleSet | str | None) -> pd.DataFrame:
    """``frame`` with the category the engine assumes where nothing names the rule set (no
    ``rules``, no ``category`` nor ``rule_set`` column): công chức, a
    :class:`~evalkit.model.Staff`'s default (docs/organisation.md), so that the results say
    it as the objects door's results do."""
    if rules is None and "category" not in frame.columns and "rule_set" not in frame.columns:
        return frame.assign(category=StaffCategory.CONG_CHUC.value)
    return frame


def assign_rule_sets(
    frame: pd.DataFrame,
    rules: RuleSet | str | None = None,
    *,
    jurisdiction: str | None = None,
    force: bool = False,
    known: Mapping[str, RuleSet] | None = None,
    required: bool = True,
) -> tuple[npt.NDArray[np.int64], list[RuleSet]]:
    """The rule set of every row: ``(codes, sets)`` with ``sets[codes[i]]`` for row ``i``.

    With ``rules`` given it applies to every row (checked to be in force for each period
    unless ``force``). Without, a row's ``rule_set`` column names its set (an id in
    ``known`` or the registry, or a rule file; held to its dates the same way); else the
    row gets the set in force for its
    ``category`` and ``period`` (and its ``jurisdiction`` column, else ``jurisdiction``):
    the rule set follows the person. Every row that has none is reported in one
    InputError; with ``required=False`` its code is -1 instead. The one place a row's rule
    set is found: scoring, classification (staff and units), roll-ups and inspections.
    """
    found = _columns.Problems(frame)
    codes, sets = _assign(frame, rules, jurisdiction=jurisdiction, force=force, known=known,
                          required=required, found=found)  # fmt: skip
    found.raise_if_any()
    return codes, sets


def recorded_rule_sets(frame: pd.DataFrame, known: Mapping[str, RuleSet] | None = None
                       ) -> tuple[npt.NDArray[np.int64], list[RuleSet]]:  # fmt: skip
    """The rule set each row's ``rule_set`` cell records, read as :func:`assign_rule_sets`
    reads it (not held to its dates), never raising: -1 where the cell is blank or names no
    set found (an unknown id, a bad file), for a caller that falls back to its own set."""
    return _assign(frame[["rule_set"]], None, jurisdiction=None, force=True, known=known,
                   required=False, found=_columns.Problems(frame))


def _assign(
    frame: pd.DataFrame,
    rules: RuleSet | str | None,
    *,
    jurisdiction: str | None,
    force: bool,
    known: Mapping[str, RuleSet] | None,
    required: bool,
    found: _columns.Problems,
) -> tuple[npt.NDArray[np.int64], list[RuleSet]]:
    """:func:`assign_rule_sets` reporting to ``found``: a row without a rule set gets -1
    and, when ``required``, a problem naming the cell at fault (``rule_set``, ``period``
    or ``category``) with its value as typed, on every row it concerns."""
    n = len(frame)
    if rules is not None:
        rs = resolve(rules)
        if not force and "period" in frame.columns and n:  # a bad period is one problem more
            _codes, labels = _columns.periods(frame, "period", found)
            require_in_force(rs, labels, force=force)
        if "category" in frame.columns and n:  # the named set applies to all, but a value no
            col = frame["category"]  # door reads is refused, as without it and in a workbook
            for value, rows in _kernels.unread_categories(col):  # (blank: the named set's)
                found.add_rows(rows, "category", col,
                               str(messages.msg("foreign.category", value=repr(
                                   value.item() if isinstance(value, np.generic) else value))))
        return np.zeros(n, dtype=np.int64), [rs]
    assumed = required and "category" not in frame.columns  # no category typed: not said
    if assumed:  # no column: công chức, as a Staff
        # object's default (docs/organisation.md, docs/products.md); a blank cell is refused
        # below. Not for a unit (required=False): without its own, its staff's set applies
        frame = frame.assign(category=StaffCategory.CONG_CHUC.value)
    missing = [c for c in ("period",) if c not in frame.columns]
    if missing and required and "rule_set" not in frame.columns:
        for c in missing:
            found.add_frame(f"column {c!r} is needed to find each person's rule set when no "
                            "rule set is given (or a 'rule_set' column)", column=c)  # fmt: skip
        return np.full(n, -1, dtype=np.int64), []
    cols = [c for c in ("rule_set", "category", "period", "jurisdiction") if c in frame.columns]
    coded = {c: _key_codes(frame[c]) for c in cols[:1] if c == "rule_set"}
    if coded and all(_text_or_none(u) is not None for u in coded["rule_set"][2]):
        # every row names its rule set: the category and jurisdiction are not read, the
        # period only to hold the set to its dates
        cols = ["rule_set", *(["period"] if "period" in cols and not force else [])]
    combined = np.zeros(n, dtype=np.int64)
    values: dict[str, list[Any]] = {}
    for c in cols:  # integer codes per column, combined: no string keys per row
        code, values[c], _used = coded[c] if c in coded else _key_codes(frame[c])
        combined = combined * len(values[c]) + code
    gcode, uniq = pd.factorize(combined)
    gcode = np.asarray(gcode, dtype=np.int64)
    # each group's key, read back from its combined code (the last column's code first)
    rest, keys = np.asarray(uniq, dtype=np.int64), {}
    for c in reversed(cols):
        keys[c] = [values[c][k] for k in (rest % len(values[c])).tolist()]
        rest = rest // len(values[c])
    sets: list[RuleSet] = []
    ids: dict[str, list[int]] = {}
    lut = np.full(len(uniq), -1, dtype=np.int64)
    for g in range(len(uniq)):
        # a rule set id is read as every id is (a zero-width space dropped, NFC, trimmed)
        key = {c: (_ids.normal_id(_text_or_none(keys[c][g])) if c == "rule_set"
                   else _text_or_none(keys[c][g])) for c in cols}  # fmt: skip
        jur = key.get("jurisdiction") or jurisdiction

        def report(column: str, message: str, g: int = g, group: bool = False) -> None:
            rows = np.flatnonzero(gcode == g)
            if column in frame.columns and group:  # a problem of the group's rule set (not
                # in force in its period, none for its category then): said once, its rows
                found.add_group(rows, column, frame[column], message)
            elif column in frame.columns:  # a cell's (a typo, a blank): at each row
                found.add_rows(rows, column, frame[column], message)
            else:
                found.add_frame(message, column=column)

        if key.get("period"):  # read as every door reads it: a date or timestamp is its month
            period, why = _columns.period_of(keys["period"][g])
            if period is None:
                report("period", why or "is not a period")
                continue
            key["period"] = str(period)
        column = "rule_set" if key.get("rule_set") else "category"
        try:
            if key.get("rule_set"):
                rs = resolve(str(key["rule_set"]), known=known)
                if not force and key.get("period"):  # held to its dates (category unread)
                    resolve_rules(rs, "cong_chuc", str(key["period"]))
            elif key.get("category") and key.get("period"):
                rs = resolve_rules(None, str(key["category"]), str(key["period"]),
                                   jurisdiction=jur)  # fmt: skip
            elif not required:
                continue
            elif key.get("category"):
                column = "period"
                raise NoRuleSetError("no rule set: the row has a category but no period"
                                     if not assumed else  # the category was not typed
                                     "no rule set: the row has neither a rule set nor a period")
            elif key.get("period"):
                raise NoRuleSetError("no rule set: the row has neither a rule set nor a "
                                     "category")  # fmt: skip
            else:
                raise NoRuleSetError("no rule set: the row has neither a rule set nor a "
                                     "category and a period")  # fmt: skip
        except (EvalkitError, ValueError) as exc:  # a bad reference is a located problem
            report(column, str(exc), group=isinstance(exc, RuleSetNotInForceError) or (
                isinstance(exc, NoRuleSetError) and bool(key.get("category"))
                and bool(key.get("period"))))  # fmt: skip
            continue
        # one code per content: two contents under one id (a month kept under a preset's
        # earlier content, evalkit.io.archive) are two sets, each row under its own
        at = ids.setdefault(rs.id, [])
        if not (same := [i for i in at if sets[i] is rs or sets[i] == rs]):
            at.append(len(sets))
            sets.append(rs)
        lut[g] = same[0] if same else at[-1]
    return lut[gcode], sets


def checked_rule_sets(
    frame: pd.DataFrame,
    rules: RuleSet | str | None = None,
    *,
    jurisdiction: str | None = None,
    force: bool = False,
    extra_columns: Sequence[str] = (),
    options: Mapping[str, bool] | None = None,
    positions: Mapping[str, Position] | None = None,
    engine: bool = False,
    staff: _columns.StaffCodes | None = None,
    typed: pd.Series | None = None,
) -> tuple[npt.NDArray[np.int64], list[RuleSet]]:
    """Each row's rule set (as :func:`assign_rule_sets`) after the checks every door of a
    staff-period frame shares (:func:`score_frame`, :func:`evalkit.classify_frame`): no
    unknown column (:func:`check_columns`), no blank ``staff_id``, no person twice in a
    period. When anything is wrong, the cells of the rows that did get a rule set are
    checked too and every problem is raised in one
    :class:`~evalkit.errors.InputError` (``engine``: the management score the engine
    computes is not reported missing; ``staff``: the ``staff_id`` column's
    :func:`~evalkit._columns.staff_codes`, where the caller has them, its ids normal;
    ``typed``: the ``staff_id`` column as typed, row for row, where the caller normalised it —
    :func:`evalkit._ids.normal_id`, the ids every door compares —, for the problems).

    >>> import pandas as pd, evalkit
    >>> df = pd.DataFrame({"staff_id": ["A", "A", " "], "period": ["2026-03"] * 3,
    ...                    "category": ["cong_chuc", "cong_chuc", "cong_chuc"]})
    >>> try:
    ...     checked_rule_sets(df)
    ... except evalkit.InputError as exc:
    ...     print([(p.row, p.column, p.staff_id) for p in exc.problems][:2])
    [(1, 'staff_id', 'A'), (2, 'staff_id', None)]
    """
    found = _columns.Problems(frame)
    if rules is not None or len(frame):
        codes, sets = _assign(frame, rules, jurisdiction=jurisdiction, force=force,
                              known=frame.attrs.get("rule_sets"), required=True,
                              found=found)  # a rule file's set the rows name: fmt: skip
    else:
        codes, sets = np.zeros(0, np.int64), [default_registry().get("vn.nd335-2025")]
    _check_staff_ids(frame, found, staff, typed)
    check_columns(frame, [*sets, *(frame.attrs.get("rule_sets") or {}).values()], found,
                  extra_columns)  # fmt: skip
    _check_foreign_scores(frame, codes, sets, found)
    if not found.problems:
        return codes, sets
    problems = found.in_order()
    said = {(p.row, p.column, str(p.message)) for p in problems}  # a period said once
    problems += [p for p in cell_problems(frame, codes, sets, engine=engine, options=options,
                                          positions=positions)
                 if (p.row, p.column, str(p.message)) not in said]  # fmt: skip
    raise InputError(_columns.in_row_order(frame, problems))


def cell_problems(
    frame: pd.DataFrame,
    codes: npt.NDArray[np.int64],
    sets: Sequence[RuleSet],
    *,
    engine: bool = False,
    options: Mapping[str, bool] | None = None,
    positions: Mapping[str, Position] | None = None,
) -> list[InputProblem]:
    """The problems :func:`score_assigned` finds in the cells of the rows of ``frame`` that
    have a rule set (``codes`` >= 0; none without ``sets``), to say with a bad frame's other
    problems (:func:`checked_rule_sets`, :func:`evalkit.classify_frame`): read only on a bad
    input, so nothing is spent on a valid one. ``engine``: the management score the engine
    computes (d) is not reported missing."""
    ok = np.flatnonzero(codes >= 0)
    if not (sets and ok.size):
        return []
    try:
        score_assigned(frame if ok.size == len(frame) else frame.iloc[ok], codes[ok], sets,
                       options=options, positions=positions)  # fmt: skip
    except InputError as exc:
        filled = {rs.management.computed for rs in sets} if engine else set()
        return [p for p in exc.problems if not (p.column in filled and missing_score(p))]
    except EvalkitError:
        pass
    return []


def _check_foreign_scores(frame: pd.DataFrame, codes: npt.NDArray[np.int64],
                          sets: Sequence[RuleSet], found: _columns.Problems) -> None:  # fmt: skip
    """A score typed under a criterion the row's own rule set does not have (a viên chức
    under NĐ 90/2020 scored on NĐ 233/2026's ``tap_hop_doan_ket``, a cán bộ scored on NĐ
    335's columns) is refused, cell by cell (row, staff, column, value, the row's rule
    set), as :func:`evalkit.score` refuses it: no rule reads that cell, so its score would
    vanish without a word. A frame spanning several rule sets carries the columns of each:
    a blank cell under another set's criterion is fine, and so is a 0 under another set's
    count of events (:func:`foreign_said`)."""
    own = [{c.id for c in rs.criteria()} for rs in sets]
    base = _criterion_columns(frame.columns, set().union(*own))
    foreign = {c: [i for i, o in enumerate(own) if b not in o] for c, b in base.items()}
    foreign = {c: lacking for c, lacking in foreign.items() if lacking}
    if not foreign or not len(frame):
        return
    for c, lacking in foreign.items():
        given = foreign_said(frame[c], base[c], sets)
        if not given.any():
            continue
        for i in lacking:
            hit = given & (codes == i)
            if hit.any():
                found.add(hit, c, frame[c], f"unknown criterion {base[c]!r} for rule set "
                                            f"{sets[i].id!r}")  # fmt: skip


def _criterion_columns(columns: Iterable[Any], also: set[str]) -> dict[str, str]:
    """The columns naming a criterion of a registered rule set or of ``also`` (as typed or
    under a level's prefix, ``manager__so_luong``), each with its criterion id."""
    known = _all_criteria() | also
    prefixes = tuple(LEVEL_PREFIXES.values())
    base = {c: next((c[len(p):] for p in prefixes if c.startswith(p)), c)
            for c in columns if isinstance(c, str)}  # fmt: skip
    return {c: b for c, b in base.items() if b in known}


def foreign_columns(columns: Iterable[Any], rules: RuleSet, also: Iterable[RuleSet] = ()
                    ) -> list[str]:  # fmt: skip
    """The columns of ``columns`` under a criterion of another rule set that ``rules``
    does not have: what a frame scored under ``rules`` must leave blank (a score there is
    refused, :func:`checked_rule_sets`), and what a what-if that scores one set's data
    under another (:mod:`evalkit.impact`) leaves out, saying so. The sets of ``also`` count
    as other sets though not registered (an agency's rule file compared with a preset).

    >>> import evalkit.rules
    >>> foreign_columns(["so_luong", "ky_luat", "manager__tap_hop_doan_ket", "note"],
    ...                 evalkit.rules.get("vn.nd90-2020"))
    ['manager__tap_hop_doan_ket']
    """
    own = {c.id for c in rules.criteria()}
    others = {c.id for rs in also for c in rs.criteria()}
    return [c for c, b in _criterion_columns(columns, own | others).items() if b not in own]


def criterion_of(column: object) -> str | None:
    """The criterion of a registered rule set that ``column`` names, as typed or under a
    level's prefix (``manager__loi_chat_luong``); None for any other column."""
    return _criterion_columns([column], set()).get(column) if isinstance(column, str) else None


def foreign_said(values: pd.Series, criterion: str, sets: Iterable[RuleSet] = ()
                 ) -> npt.NDArray[np.bool_]:  # fmt: skip
    """The cells of ``values``, typed under ``criterion`` on rows whose rule set does not
    have it, that say something no rule of that set reads: every cell but a blank (or text
    of spaces) — and, under a count of events (the criterion's ``unit`` is ``count`` in every
    set, registered or of ``sets``, that has it: NĐ 335/2025/NĐ-CP Điều 14 k2 b, c's major
    errors and delays), but a 0 in any dtype, as every door reads a number, too: "0 lỗi"
    says that nothing happened, as a blank does. A 0 under a criterion scored in points or
    percent is a score, said; so is a yes/no (a count is no flag: the number reader refuses
    it). The one rule of the frame doors (:func:`checked_rule_sets`) and the workbook's
    cells.

    >>> import pandas as pd
    >>> foreign_said(pd.Series([None, 0, "0,0", 2, " "], dtype=object),
    ...              "loi_chat_luong").tolist()
    [False, False, False, True, False]
    >>> foreign_said(pd.Series([0.0, None]), "chinh_tri").tolist()
    [True, False]
    """
    out = np.array(values.notna().to_numpy(dtype=bool))
    if not pd.api.types.is_numeric_dtype(values.dtype) and out.any():
        # blank as every door reads a cell (:func:`evalkit._columns.clean_text`: a cell of
        # spaces or of invisible characters, a zero-width space, is blank), each distinct
        # value once
        codes, uniq = pd.factorize(values)
        text = np.array([_columns.clean_text(v) is not None for v in uniq] + [False])
        out &= text[codes]
    units = {c.unit for rs in (*default_registry(), *sets) for c in rs.criteria() if c.id == criterion}
    if not out.any() or units != {"count"}:
        return out
    cells = values.to_frame("cell")  # read as every door reads a number (_words.number_of)
    said: npt.NDArray[np.bool_] = out & (_columns.numbers(cells, "cell",
                                                          _columns.Problems(cells)) != 0)
    return said


def _all_criteria() -> frozenset[str]:
    """The criterion ids of every registered rule set."""
    return frozenset(c.id for rs in default_registry() for c in rs.criteria())


def _distinct_ids(col: pd.Series, text: Any = None) -> bool:
    """Whether a text column holds no value twice. Arrow-backed text (``text``: its
    :func:`~evalkit._columns.arrow_text`, where the caller has it) is read as one uint64 key
    per id (:func:`~evalkit._columns.text_keys`): ids in increasing order (an export sorted
    by id) need one comparison of neighbours, others a sort of the keys; hashed keys that
    meet are compared as texts (a hash table of every id), so a collision never refuses a
    frame. Any other column: a hash table of every id."""
    if text is None and len(col) > 1:
        text = _columns.arrow_text(col)
    keys = _columns.text_keys(*text) if text is not None and len(col) > 1 else None
    if keys is not None:
        key, exact = keys
        if exact and bool((key[1:] > key[:-1]).all()):
            return True
        ordered = np.sort(key)
        if not (ordered[1:] == ordered[:-1]).any():
            return True
        if exact:
            return False
    elif text is not None and len(col) > 1:  # long ids: sorted ones are compared in Arrow
        import pyarrow as pa  # type: ignore[import-untyped]  # stores the column
        import pyarrow.compute as pc  # type: ignore[import-untyped]

        arr = pa.chunked_array(col.array.__arrow_array__()).combine_chunks()
        if pc.all(pc.greater(arr[1:], arr[:-1])).as_py():
            return True
    return bool(col.is_unique)


def _blank_ids(col: pd.Series, text: Any = None) -> bool:
    """Whether a text column has a missing id or one of spaces only. With its
    :func:`~evalkit._columns.arrow_text` (no missing cell), only the ids that are empty or
    start with a byte that may begin a space (ASCII space or control, or any non-ASCII
    character) are stripped."""
    if text is not None:
        off, data = text
        first = data[np.minimum(off[:-1], data.size - 1)]
        maybe = (off[1:] == off[:-1]) | (first <= 0x20) | (first >= 0x80)
        if not maybe.any():
            return False
        col = col.iloc[np.flatnonzero(maybe)]
    return bool((col.isna() | (col.str.strip() == "").fillna(True)).any())


def _check_staff_ids(frame: pd.DataFrame, found: _columns.Problems,
                     staff: _columns.StaffCodes | None = None,
                     typed: pd.Series | None = None) -> None:  # fmt: skip
    """Report a blank ``staff_id``, one holding a control character and a person's second
    row for a period (in another unit or the same): one row per person and period. Ids are
    compared as every door compares them (:func:`evalkit._ids.normal_id`: ``'S1 '`` and
    ``'S1\u200b'`` are ``'S1'``); a problem quotes the id as typed (``typed``: the column
    before the caller normalised it, where it did). ``staff`` is the column's
    :func:`~evalkit._columns.staff_codes` where the caller has them already (its ids normal:
    not normalised again)."""
    if "staff_id" not in frame.columns or not len(frame):
        return
    col: Any = frame["staff_id"]
    if isinstance(col, pd.DataFrame):
        return  # a header written twice is reported by the readers
    typed = col if typed is None else typed
    found.add(_ids.fraction_ids(typed), "staff_id", typed, _ids.FRACTION_ID)
    _ids.fraction_problems(frame, ("unit_id", "manager_id"), found)
    normal, control = _ids.checked_ids(col) if staff is None else (col, _ids.control_ids(col))
    if normal is not col:
        col, staff = normal, None
    found.add(control, "staff_id", typed, _ids.CONTROL_ID)
    _ids.name_problems(frame, _words.NAME_COLUMNS, found)  # printed on the sheets
    # ids differing only in upper/lower case: one person, or two sheets with one file name
    # (the workbook reader's words: evalkit._ids.case_twins, problem.case_id)
    for at, first in _ids.case_twins(col):
        said = str(messages.msg("problem.case_id", value=col.iloc[at], other=col.iloc[first],
                                row=_columns.row_label(frame.index[first])))  # fmt: skip
        found.add_rows(np.array([at], dtype=np.intp), "staff_id", typed, said)
    if "period" in frame.columns:
        pcode, labels = _columns.periods(frame, "period", _columns.Problems(frame))
        per = np.asarray(pcode, dtype=np.int64)
    else:
        per, labels = np.zeros(len(frame), dtype=np.int64), [""]
    month_of_texts = staff is None and isinstance(col.dtype, pd.StringDtype) \
        and len(labels) == 1 and bool((per >= 0).all())  # fmt: skip
    # a month's frame of text ids (the usual case): Arrow ids packed into uint64 keys, in
    # increasing order (an export sorted by id) or sorted once, prove it clean; other text
    # one hash pass
    if month_of_texts:
        utf8 = _columns.arrow_text(col)
        if _distinct_ids(col, utf8) and not _blank_ids(col, utf8):
            return
    # ids equal as text, as classify_frame keys them; each distinct value read once, in C
    sid, text, blank = staff if staff is not None else _columns.staff_codes(col)
    found.add(blank, "staff_id", typed, "blank staff id")
    key = np.where(blank | (per < 0), -1, sid * (len(labels) + 1) + per)
    dup = np.zeros(key.shape[0], dtype=bool)
    dup[key >= 0] = _columns.repeated(key[key >= 0])
    if not dup.any():
        return
    rows = np.flatnonzero(dup)
    units = (frame["unit_id"].astype(str).to_numpy()[rows] if "unit_id" in frame.columns
             else np.full(rows.size, "", dtype=object))  # fmt: skip
    part = pd.DataFrame({"sid": text.to_numpy(dtype=object)[sid[rows]],
                         "per": [labels[p] if p >= 0 else "" for p in per[rows]],
                         "unit": units, "row": rows})  # fmt: skip
    spelt = typed.iloc[rows].tolist()  # as typed: 'S1' and 'S1 ' are one person, both shown
    groups = list(part.groupby(["sid", "per"], sort=True))
    for (sid_, per_), grp in groups[:_columns.LISTED_PER_KIND]:
        us = sorted(set(grp["unit"]) - {""})
        where = ", ".join(str(_columns.row_label(frame.index[r])) for r in grp["row"])
        ways = list(dict.fromkeys(_ids.show_id(v) if isinstance(v := spelt[k], str)
                                  else repr(v) for k in grp.index))  # fmt: skip
        if len(ways) > 1:
            where += f"; typed {', '.join(ways)}"
        when = f" in {per_}" if per_ else ""
        if len(us) > 1:
            msg = f"staff {sid_!r} is in {len(us)} units{when}: {', '.join(us)} (rows {where})"
        elif us:
            msg = f"staff {sid_!r} appears {len(grp)} times{when} (unit {us[0]}, rows {where})"
        else:
            msg = f"staff {sid_!r} appears {len(grp)} times{when} (rows {where})"
        found.add_rows(np.array([grp["row"].iloc[1]], dtype=np.intp), "staff_id", typed, msg)
    found.add_more(len(groups) - _columns.LISTED_PER_KIND, "staff_id")  # the rest, counted


def assign_unit_rule_sets(
    units: pd.DataFrame,
    unit_key: npt.NDArray[np.int64],
    staff_key: npt.NDArray[np.int64],
    rule: npt.NDArray[np.int64],
    sets: list[RuleSet],
    rules: RuleSet | str | None,
    *,
    jurisdiction: str | None = None,
    force: bool = False,
    inherit: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.int64]] | None = None,
    marked: npt.NDArray[np.bool_] | None = None,
) -> npt.NDArray[np.int64]:
    """The rule set of each unit-period row of ``units`` (one row per unit and period, with
    ``period``), as codes into ``sets`` (new sets are appended to it): the one named for
    everyone (``sets[0]``); else the unit's own (:func:`own_unit_sets`);
    else the most common among the unit's staff that period (``unit_key`` numbers each
    unit-period, ``staff_key`` gives each staff row's, -1 for none; ``rule`` the staff
    rows' codes; a tie to the set whose id sorts first, never to the rows' order: the units
    frame's ``category`` decides a unit half công chức, half viên chức); else (nobody in it)
    the set ``inherit`` fills in from the codes so far (-1: none; the tree's,
    :func:`evalkit._classify.units.inherited_sets`); else :func:`unit_sets_in_force` (a
    public service unit, ``marked``, the viên chức set; else the công chức set). The
    month's units; the year's take the same steps (``evalkit._classify.year._unit_year``)."""
    m = len(units)
    if rules is not None:
        return np.zeros(m, dtype=np.int64)
    out = own_unit_sets(units, sets, jurisdiction=jurisdiction, force=force)
    ok = staff_key >= 0
    if (out < 0).any() and ok.any():  # the most common rule set among the unit's staff
        K = int(max(unit_key.max(initial=0), staff_key.max(initial=0))) + 1
        out = np.where(out < 0, most_common_set(staff_key[ok], rule[ok], sets, K)[1][unit_key], out)
    if inherit is not None and (out < 0).any():  # nobody in it: its parent's, its top's
        out = inherit(out)
    return unit_sets_in_force(out, units["period"].to_numpy(), sets, jurisdiction, marked)


def own_unit_sets(units: pd.DataFrame, sets: list[RuleSet], *, jurisdiction: str | None = None,
                  force: bool = False) -> npt.NDArray[np.int64]:
    """Each unit row's own rule set, as a code into ``sets`` (new sets are appended to it;
    -1: none): its ``rule_set`` (in force unless ``force``; an id of ``sets``, of the
    frame's ``attrs["rule_sets"]`` or the registry), else the set in force for its
    ``category`` and ``period`` (:func:`assign_rule_sets`), whether or not any person has
    it. The month's units (:func:`assign_unit_rule_sets`) and the year's, one lookup."""
    known = {**(units.attrs.get("rule_sets") or {}), **{rs.id: rs for rs in sets}}
    own, found = assign_rule_sets(units, None, jurisdiction=jurisdiction, required=False,
                                  force=force, known=known)  # fmt: skip
    return _append_sets(sets, found)[own]


def unit_sets_in_force(codes: npt.NDArray[np.int64], periods: npt.NDArray[Any],
                       sets: list[RuleSet], jurisdiction: str | None = None,
                       marked: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[np.int64]:
    """``codes`` (into ``sets``) with each -1 — a unit that nothing else gives a set: nobody
    in it, no set or category on its rows, none in its tree
    (:func:`evalkit._classify.units.inherited_sets`) — filled in (new sets are appended to
    ``sets``): the set in force in its period (``periods``) for viên chức where the unit is
    ``marked`` a public service unit (NĐ 233/2026/NĐ-CP Điều 2 k1 grades the đơn vị sự
    nghiệp công lập and their constituent units), else for công chức (a state agency, as a
    person without a category: :func:`assign_rule_sets`); else (none in force in its period,
    an unreadable period) the first set, each unit on its own. The month's units and the
    year's, one rule."""
    if not (none := codes < 0).any():
        return codes
    kind = np.where(np.zeros(len(codes), bool) if marked is None else marked, "vien_chuc",
                    "cong_chuc")[none]  # fmt: skip
    out, frame = codes.copy(), pd.DataFrame({"period": periods[none], "category": kind})
    own, found = _assign(frame, None, jurisdiction=jurisdiction, force=False, known=None,
                         required=False, found=_columns.Problems(frame))  # never raises
    out[none] = np.maximum(_append_sets(sets, found)[own], 0)  # (-1: none in force)
    return out


def _append_sets(sets: list[RuleSet], found: Sequence[RuleSet]) -> npt.NDArray[np.int64]:
    """The code in ``sets`` of each of ``found`` (those not in it appended), with -1 last."""
    have = {rs.id: i for i, rs in enumerate(sets)}
    for rs in found:
        if rs.id not in have:
            have[rs.id] = len(sets)
            sets.append(rs)
    return np.array([have[rs.id] for rs in found] + [-1], dtype=np.int64)


def most_common_set(key: npt.NDArray[np.int64], rule: npt.NDArray[np.int64],
                    sets: Sequence[RuleSet], k: int
                    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:  # fmt: skip
    """Per group ``0 .. k-1`` (``key``: each row's group, ``rule``: its set in ``sets``): the
    tally of each set among its rows (``k`` × ``len(sets)``) and the most common set (-1:
    no row), a tie to the set whose id sorts first, never to the rows' order. The month's
    units (:func:`assign_unit_rule_sets`) and the year's (``_unit_year``), one rule."""
    r = max(len(sets), 1)
    tally = np.bincount(key * r + rule, minlength=k * r).reshape(k, r)
    by_id = np.argsort([rs.id for rs in sets], kind="stable")  # a tie: the first id
    return tally, np.where(tally.max(axis=1) > 0, by_id[tally[:, by_id].argmax(axis=1)], -1)


def _key_codes(col: pd.Series) -> tuple[npt.NDArray[np.int64], list[Any], list[Any]]:
    """A key column's codes (blank included as a value), the value of each code, and the
    values found in the column; a categorical through its codes (code 0 = blank), without
    touching its strings."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = col.cat.categories.tolist()
        codes = np.asarray(col.cat.codes, dtype=np.int64) + 1
        return codes, [None, *cats], cats + ([None] if (codes == 0).any() else [])
    code, uniq = _columns.factorize(col)  # as the category's reader: hashed once
    code, found = np.asarray(code, dtype=np.int64), list(uniq)  # a blank (-1): the last code
    return np.where(code < 0, len(found), code), [*found, None], found + [None] * bool((code < 0).any())


def _text_or_none(value: Any) -> str | None:
    """A key's text, None when blank (None, NaN, NA or spaces; a ``Decimal`` NaN is typed:
    the number reader refuses it, :func:`evalkit._words.number_of`)."""
    if value is None or (not isinstance(value, str) and _words._is_blank(value)):
        return None
    text = str(value).strip()
    return text or None


def _score_with(
    frame: pd.DataFrame,
    rs: RuleSet,
    *,
    options: Mapping[str, bool] | None,
    positions: Mapping[str, Position] | None,
    complete_only: bool = False,
) -> pd.DataFrame:
    n = len(frame)
    found = _columns.Problems(frame)
    marked = _columns.booleans(frame, "manages_others", found)
    if positions and "position_id" in frame.columns:  # a position that manages others
        leads = [k for k, x in positions.items() if x.manages_others]
        marked = marked | frame["position_id"].isin(leads).to_numpy(dtype=bool)
    if "competent_order" in frame.columns:  # the quota's last tie-break: 1, 2, 3 ...
        _columns.numbers(frame, "competent_order", found, minimum=1, integer=True)
    for col in GRADE_INPUTS:  # a grade that is no grade ('XS'): refused with every other
        if col in frame.columns:  # problem, as the workbook and Assessment refuse it
            _columns.grades(frame, col, found, labels=[rs.grade_names])
    is_head = _columns.booleans(frame, "is_head", found)
    # a percentage: 0.95 typed for 95 % is refused, as every door refuses it (a reader of
    # cells that knows their format checked it already: _columns.PERCENT_READ)
    pct = not frame.attrs.get(_columns.PERCENT_READ, False)
    kpi = _columns.numbers(frame, "kpi", found, percent=pct) if "kpi" in frame.columns else None

    def report(mask: npt.NDArray[np.bool_], column: str, values: Any, message: str) -> None:
        # every problem in one collector, in row order (the first 200 of a kind listed,
        # the rest counted: _columns.LISTED_PER_KIND)
        found.add_rows(np.flatnonzero(mask), column, values, message)

    cols: dict[str, npt.NDArray[np.float64]] = {}
    full: set[str] = set()  # the columns with a number in every row (a finite sum)
    for crit in rs.criteria():
        if crit.id not in frame.columns:
            continue
        # text typed into a number cell is reported (never silently dropped); "90,5" is 90.5
        # a count (errors, delays) is whole, as the workbook and amend read it
        arr = _columns.numbers(frame, crit.id, found, integer=crit.unit == "count",
                               percent=pct and crit.unit == "percent")  # fmt: skip
        maxima = criterion_maxima(rs, crit.id, frame, positions)
        # one reduction each (NaN ignored) before any mask is built: most columns are clean
        low_ok = not n or not np.fmin.reduce(arr) < 0
        high_ok = not n or (np.ndim(maxima) == 0 and not np.fmax.reduce(arr) > maxima + 1e-9)
        with np.errstate(invalid="ignore", over="ignore"):  # a sum too large: not full
            if n and np.isfinite(np.add.reduce(arr)):
                full.add(crit.id)
        if low_ok and high_ok:
            cols[crit.id] = arr
            continue
        neg = arr < 0
        over = arr > maxima + 1e-9
        cells = frame[crit.id]  # each problem shows the cell as typed (130, not 130.0)
        shown = cells if isinstance(cells, pd.Series) else arr
        if neg.any():
            report(neg, crit.id, shown, "is negative")
        if over.any():
            mx = np.broadcast_to(np.asarray(maxima, dtype=np.float64), (n,))
            for i in np.flatnonzero(over)[:_columns.LISTED_PER_KIND]:
                found.add_rows(np.array([i]), crit.id, shown, f"score {_fmt(arr[i])} for "
                               f"{crit.id!r} exceeds its maximum {_fmt(float(mx[i]))} ({rs.id})")
            found.add_more(int(over.sum()) - _columns.LISTED_PER_KIND, crit.id)
        cols[crit.id] = arr
    blank: list[npt.NDArray[np.float64]] = []  # a missing column's NaN, made when asked

    def get(cid: str) -> npt.NDArray[np.float64]:
        if cid in cols:
            return cols[cid]
        if not blank:
            blank.append(np.full(n, np.nan))
            blank[0].flags.writeable = False
        return blank[0]

    # evaluated rows: any required input or a kpi present
    all_inputs = set(rs.required_inputs(True)) | set(rs.required_inputs(False))
    given = [cols[cid] for cid in all_inputs if cid in cols]
    if any(cid in full for cid in all_inputs):  # an input given in every row
        present = np.ones(n, dtype=bool)
    elif given:  # fmax ignores NaN: the row's fold is NaN only where every input is blank
        fold = given[0].copy()
        for arr in given[1:]:
            np.fmax(fold, arr, out=fold)
        present = ~np.isnan(fold)
    else:
        present = np.zeros(n, dtype=bool)
    has_kpi = ~np.isnan(kpi) if kpi is not None else np.zeros(n, dtype=bool)
    evaluated = present | has_kpi
    # a head of a unit holds a management post (NĐ 335/2025 Điều 15): a leader, marked
    # manages_others or not, whatever is typed (where the set has management components)
    manages = management_duty(rs, marked, is_head)
    post = manages & ~marked  # the heads not marked: their missing components say why
    post_only = set(management_only_inputs(rs)) if post.any() else set()
    for cid, rows, key in unread_scores(rs, manages, has_kpi):
        if cid in cols and rows.any():  # a typed score the total would not read: said
            report(rows & ~np.isnan(cols[cid]), cid, cols[cid], messages.text(key, "en"))
    if "leave" in frame.columns:  # a period on leave has no score: with scores, refused
        evaluated &= ~leave_with_scores(frame, [*cols.values(), *([kpi] if kpi is not None
                                                                   else [])], found, rs.period)
    # a scored quarter with too few months worked is not evaluated (customs: ≤ 1 month)
    short = np.zeros(n, dtype=bool)
    if "months_worked" in frame.columns:  # 0 to the months of the row's period
        worked = _columns.months_worked(frame, found)
        if rs.rollup.period_short_months is not None:  # a quarter's rule (CV 21169): a
            short = evaluated & (worked <= rs.rollup.period_short_limit)  # month is whole
            short &= _columns.period_months(frame) == 3
            evaluated = evaluated & ~short
    carried = _columns.carried_months(frame, found, np.full(n, rs.carries_months), rs)
    for cid, other, above in _above_other(rs, get):  # done to quality above done …
        vals = get(other)
        for i in np.flatnonzero(above)[:_columns.LISTED_PER_KIND]:
            found.add_rows(np.array([i]), cid, get(cid), f"score {_fmt(get(cid)[i])} for "
                           f"{cid!r} is above {other!r} ({_fmt(float(vals[i]))})")
        found.add_more(int(np.count_nonzero(above)) - _columns.LISTED_PER_KIND, cid)
    empty = None
    if n:  # nothing assigned where the rule set says so: not evaluated (NaN total), said so
        empty = evaluated & _nothing_assigned(rs, get)
        evaluated = evaluated & ~empty
    kpi_blocks = {
        cid for b in rs.blocks if b.kind == "percent_average" and b.params.get("kpi")
        for cid in b.inputs(None)
    }  # fmt: skip
    for mgr_flag in (False, True):
        rows = evaluated & (manages == mgr_flag)
        if not rows.any():
            continue
        required = rs.required_inputs(mgr_flag)
        if kpi is None and all(cid in full for cid in required):  # nothing blank
            continue
        if kpi is None:  # one sum first: NaN where any required input is blank
            acc = np.zeros(n)
            for cid in required:
                np.add(acc, get(cid), out=acc)
            if not (rows & np.isnan(acc)).any():
                continue
        for cid in required:
            need = rows & ~has_kpi if cid in kpi_blocks else rows
            if not need.any():
                continue
            miss = need & np.isnan(get(cid))
            if miss.any() and cid in frame.columns:  # a refused cell is said once, not blank
                at = np.flatnonzero(miss)
                typed = [_text_or_none(v) is not None for v in frame[cid].iloc[at].tolist()]
                miss[at[np.asarray(typed, dtype=bool)]] = False
            if miss.any() and complete_only:
                evaluated = evaluated & ~miss
            elif miss.any() and cid in post_only and (miss & post).any():
                report(miss & ~post, cid, get(cid), f"criterion {cid!r} has no score")
                report(miss & post, cid, get(cid), f"criterion {cid!r} has no score; "
                       + messages.text("foreign.head_post", "en", source=head_post_source(rs)))
            elif miss.any() and cid not in frame.columns:  # the set's criterion, no column:
                # one problem of every row its set needs it on, not one per person
                found.add_group(np.flatnonzero(miss), cid, get(cid),
                                f"criterion {cid!r} has no score")  # fmt: skip
            elif miss.any():
                report(miss, cid, get(cid), f"criterion {cid!r} has no score")
    if kpi is not None:
        bad = (kpi < 0) | (kpi > 100)
        if bad.any():
            report(bad, "kpi", kpi, "kpi must be a percentage between 0 and 100")
    flags = _flag_cols(frame, found)
    for flag, rows, said in leader_flag_problems(rs, {f: v for f, v in flags.items()
                                                      if f in frame.columns}, manages, is_head):
        report(rows, flag, frame[flag], said)
    allowed = rs.management.values
    if allowed:
        ok_values = np.asarray(allowed, dtype=np.float64)
        for crit in rs.criteria():
            if crit.management and crit.id in cols:
                arr = cols[crit.id]
                exact = np.isnan(arr)
                for v in ok_values:  # the usual case: the values typed exactly
                    exact |= arr == v
                if exact.all():
                    continue
                allowed_mask = np.zeros(arr.shape[0], dtype=bool)
                for v in ok_values:
                    allowed_mask |= np.abs(arr - v) <= 1e-9
                bad = ~np.isnan(arr) & ~allowed_mask
                if bad.any():
                    report(bad, crit.id, arr, f"criterion {crit.id!r} must be one of "
                           + ", ".join(_fmt(v) for v in allowed) + " (the rule set's values)")
    classified = _classified(frame, rs, n, found)
    found.raise_if_any()

    day, category = _scope_rows(frame, rs, found)
    out = _kernels.compute(
        rs, get, manages=manages, is_head=is_head, flags=flags, kpi=kpi, options=options,
        kind=rs.period, day=day, category=category,
    )
    everyone = bool(evaluated.all())

    def only_evaluated(arr: npt.NDArray[Any], missing: float) -> npt.NDArray[Any]:
        return arr if everyone else np.where(evaluated, arr, missing)

    columns: dict[str, Any] = {
        "rule_set": pd.Categorical.from_codes(
            np.zeros(n, dtype=np.int8), dtype=_columns.category_dtype((rs.id,)), validate=False
        ),
        "total": only_evaluated(out.total, np.nan),
    }
    for bid, arr in out.components.items():
        columns[f"points_{bid}"] = only_evaluated(arr, np.nan)
    columns["score_grade"] = grades(only_evaluated(out.score_grade, -1))
    columns["grade"] = grades(only_evaluated(out.grade, -1))
    columns["classified"] = classified
    columns["reasons"] = carried_reasons(_reason_strings(out, evaluated, short, empty),
                                         np.where(evaluated, carried, np.nan))
    return pd.DataFrame(columns, index=frame.index, copy=False)


def carried_reasons(reasons: pd.Categorical[Any], carried: npt.NDArray[Any]
                    ) -> pd.Categorical[Any]:  # fmt: skip
    """``reasons`` (``a;b`` codes per row) with ``rollup.period_carried`` where ``carried``
    months of a short quarter count in the row's quarter (CV 21169/CHQ-TCCB): the one place
    that says it, for the quarters the roll-up makes and the quarter rows typed with their
    ``carried_months`` alike."""
    on = np.nan_to_num(np.asarray(carried, dtype=np.float64)) > 0
    if not on.any():
        return reasons
    cats = [str(c) for c in reasons.categories]
    # (deduplicated in the cell's order, not as a set: codes sharing a catalogue place,
    # disqualifier.discipline and .degradation, keep it whatever the process's hash seed)
    more = [";".join(sorted(dict.fromkeys([*filter(None, c.split(";")), "rollup.period_carried"]),
                            key=catalogue_order)) for c in cats]  # fmt: skip
    remap, labels = pd.factorize(np.array([*cats, *more], dtype=object), sort=True)
    codes = np.asarray(reasons.codes, dtype=np.int64) + on * len(cats)
    return pd.Categorical.from_codes(remap[codes], dtype=_columns.category_dtype(
        tuple(labels))).remove_unused_categories()


def leave_with_scores(frame: pd.DataFrame, scores: Sequence[npt.NDArray[np.float64]],
                      found: _columns.Problems, kind_of_period: str = "month"
                      ) -> npt.NDArray[np.bool_]:  # fmt: skip
    """The rows of ``frame`` whose ``leave`` names a kind of leave although one of
    ``scores`` (number columns, NaN = blank) holds a value, each reported to ``found`` at
    its ``leave`` cell, naming the row's period as it is (a month or a quarter; without a
    ``period`` column, ``kind_of_period``: the rule set's); an unknown kind of leave is
    reported there too. A period on leave has no score and is left out of the year (NĐ
    335/2025 Điều 21: the time actually worked): a row with both contradicts itself."""
    n = len(frame)
    col: Any = frame["leave"]
    if isinstance(col, pd.DataFrame):  # a header written twice: said, the first read
        kind = _columns.leave(frame, "leave", found)
        col = col.iloc[:, 0]
    else:  # the typed cells read alone (most rows have no leave); an unknown kind is
        kind = np.zeros(n, dtype=np.int64)  # read again on the whole frame, located
        typed = np.flatnonzero(col.notna().to_numpy(dtype=bool))
        if typed.size:
            sub = frame[["leave"]].iloc[typed]
            mine = _columns.Problems(sub)
            kind[typed] = _columns.leave(sub, "leave", mine)
            if mine.problems:
                kind = _columns.leave(frame, "leave", found)
    hit = kind > 0
    if not hit.any() or not scores:
        return np.zeros(n, dtype=bool)
    at = np.flatnonzero(hit)  # only the rows on leave are looked at
    given = np.zeros(at.size, dtype=bool)
    for arr in scores:
        given |= ~np.isnan(arr[at])
    hit[at[~given]] = False
    quarter = (_columns.period_months(frame) == 3 if "period" in frame.columns
               else np.full(n, kind_of_period == "quarter"))  # fmt: skip
    for clash, said in _columns.leave_scored(kind, hit, quarter):
        found.add(clash, "leave", col, str(said))
    return hit


def _scope_rows(frame: pd.DataFrame, rs: RuleSet, found: _columns.Problems
                ) -> tuple[npt.NDArray[np.int64] | None, npt.NDArray[np.int64] | None]:  # fmt: skip
    """Each row's classification day (an ordinal) and category code, for the caps' own
    dates and categories (:func:`evalkit._kernels.scope_mask`); None where the set's caps
    have none (nothing read) or the frame lacks the column."""
    if all(c.scope.everywhere for c in rs.caps):
        return None, None
    day = None
    if "period" in frame.columns:
        codes, labels = _columns.periods(frame, "period", found)
        lut = np.array([rule_day(Period.parse(lbl)).toordinal() for lbl in labels] + [-1],
                       dtype=np.int64)  # fmt: skip
        day = lut[codes]
    category = _kernels.category_codes(frame["category"]) if "category" in frame.columns \
        else None  # fmt: skip
    return day, category


def _classified(
    frame: pd.DataFrame, rs: RuleSet, n: int, found: _columns.Problems
) -> npt.NDArray[np.bool_]:
    """Per row: whether the rule set classifies the row's period (else the grade is the band,
    shown as information). The period is read as every door reads it (text, a date or
    timestamp is its month, a pandas Period); a bad one is reported to ``found``."""
    if "period" not in frame.columns or n == 0:
        return np.full(n, rs.period in rs.classified)
    codes, labels = _columns.periods(frame, "period", found)
    lut = np.array([rs.classifies(Period.parse(lbl)) for lbl in labels] + [False], dtype=bool)
    return lut[codes]  # code -1 (blank or refused): the last entry, never classified


def criterion_maxima(
    rs: RuleSet,
    cid: str,
    frame: pd.DataFrame,
    positions: Mapping[str, Position] | None,
) -> float | npt.NDArray[np.float64]:
    """The maximum of criterion ``cid`` under ``rs`` for each row of ``frame``: the
    criterion's own, else — where ``frame`` has ``position_id`` — its position's (an entry
    of ``positions`` over one of the rule set's ``position_maxima``); one float where no
    position changes it."""
    base = float(rs.criterion(cid).maximum)
    table: dict[str, float] = {p: m[cid] for p, m in rs.position_maxima.items() if cid in m}
    if positions:
        table.update({k: p.maxima[cid] for k, p in positions.items() if cid in p.maxima})
    if not table or "position_id" not in frame.columns:
        return base
    mapped = frame["position_id"].map(table)
    return pd.to_numeric(mapped, errors="coerce").fillna(base).to_numpy(dtype=np.float64)


def grades(codes: npt.NDArray[Any]) -> pd.Categorical[Any]:
    """Grade codes (-1 = none) as the ordered grade categorical."""
    return pd.Categorical.from_codes(np.asarray(codes).astype(np.int8), dtype=GRADE_DTYPE)


def _reason_strings(
    out: _kernels.KernelOutput,
    evaluated: npt.NDArray[np.bool_],
    short: npt.NDArray[np.bool_] | None = None,
    empty: npt.NDArray[np.bool_] | None = None,
) -> pd.Categorical[Any]:
    # codes: 0 = not evaluated, 1 + reason mask otherwise; 2**33 + caps' mask: not evaluated
    # but capped; 2**34 + caps' mask: a period with too few months worked; 2**35 + caps'
    # mask: scored but nothing assigned (``empty``, NOTHING_ASSIGNED); few distinct
    # values, so a bincount + lookup table replaces a sort-based np.unique.
    bits = out.reason_bits
    codes = bits.astype(np.int64)
    codes += 1
    if not evaluated.all():
        codes[~evaluated] = 0
    if short is not None and short.any():  # not evaluated, but its caps' facts still hit
        caps = sum(1 << s.bit for s in out.reasons if s.lowers_to is not None)  # the year
        codes[short] = (1 << 34) + (bits[short].astype(np.int64) & caps)
    # a row without scores whose cap condition holds (a discipline in a month not
    # evaluated): "not_evaluated" and the cap's code; such rows are few
    unscored = np.flatnonzero((codes == 0) & (bits != 0)) if not evaluated.all() else ()
    if len(unscored):
        codes[unscored] = (1 << 33) + bits[unscored].astype(np.int64)
    if empty is not None and empty.any():  # scored, nothing assigned: its own lead word
        codes[empty] = (1 << 35) + bits[empty].astype(np.int64)
    top = int(codes.max()) if codes.size else 0
    if top < 1 << 16:
        present = np.flatnonzero(np.bincount(codes, minlength=1))
        uniq = present
    else:  # a short period, a cap on a row not evaluated, or more than 16 caps: rare
        uniq, inverse = np.unique(codes, return_inverse=True)
        cat_codes = inverse.reshape(-1).astype(np.int32)
    labels: list[str] = []
    for u in map(int, uniq):  # each code's leading word, then its mask's reasons
        lead, mask = (([NOTHING_ASSIGNED], u - (1 << 35)) if u >= 1 << 35 else
                      (["rollup.period_short"], u - (1 << 34)) if u >= 1 << 34 else
                      (["not_evaluated"], u - (1 << 33)) if u >= 1 << 33 else
                      (["not_evaluated"], 0) if u == 0 else ([], u - 1))
        labels.append(";".join([*lead, *(s.code for s in out.reasons if mask & (1 << s.bit))]))
    cats = list(dict.fromkeys(labels))
    remap = np.array([cats.index(lbl) for lbl in labels], dtype=np.int32)
    if top < 1 << 16:  # one lookup from each code to its label's position
        lookup = np.full(top + 1, -1, dtype=np.int32)
        lookup[uniq] = remap
        return pd.Categorical.from_codes(lookup[codes], dtype=_columns.category_dtype(
            tuple(cats)), validate=False)  # fmt: skip
    return pd.Categorical.from_codes(remap[cat_codes], dtype=_columns.category_dtype(tuple(cats)))


#: Level prefixes of the per-level score columns (``self__chat_luong`` …).
LEVEL_PREFIXES = {Level.SELF: "self__", Level.MANAGER: "manager__", Level.COMPETENT: "competent__"}


def assessments_to_frame(
    assessments: Sequence[Assessment],
    staff: Mapping[str, Staff] | None = None,
    *,
    levels: bool = False,
) -> pd.DataFrame:
    """Build a :func:`score_frame` input from assessments.

    One row per assessment: the counting level's score of every criterion (the column
    named by the criterion id), the person's category, position and flags, the competent
    level's concluded grade and reason, the leave. ``levels=True`` adds each level's own
    scores as ``self__<id>``, ``manager__<id>``, ``competent__<id>`` and the comments and
    proposed grades, for sheets.
    """
    rows = []
    for a in assessments:
        merged, _ = _merged_scores(a)
        s = staff.get(a.staff_id) if staff else None
        row: dict[str, Any] = {
            "staff_id": a.staff_id,
            "period": str(a.period),
            "category": (s.category.value if s else "cong_chuc"),
            "position_id": s.position_id if s else None,
            "manages_others": bool(s.manages_others) if s else False,
            "kpi": np.nan if a.kpi is None else a.kpi,
            "degradation": a.degradation,
            "discipline": int(a.discipline),
            "party_discipline": a.party_discipline,
            "discipline_related_to_duty": a.discipline_related_to_duty,
            "corruption_in_unit": a.corruption_in_unit,
            "late_files": a.events.get("late_files", 0.0),
            "apologies": a.events.get("apologies", 0.0),
            "competent_grade": None if a.competent_grade is None else str(a.competent_grade),
            "competent_reason": a.competent_reason or None,
            "competent_order": np.nan if a.competent_order is None else a.competent_order,
            "leave": a.leave or None,
            "months_worked": np.nan if a.months_worked is None else float(a.months_worked),
        }
        if "inspection_findings" in a.events:
            row["inspection_findings"] = a.events["inspection_findings"]
        if a.carried_months is not None:  # a customs quarter's (CV 21169/CHQ-TCCB)
            row["carried_months"] = float(a.carried_months)
        row.update(merged)
        if levels:
            for lvl, prefix in LEVEL_PREFIXES.items():
                row.update({prefix + k: v for k, v in a.scores(lvl).items()})
            row.update({
                "self_comment": a.self_comment or None,
                "manager_comment": a.manager_comment or None,
                "competent_comment": a.competent_comment or None,
                "self_grade": None if a.proposed_grade is None else str(a.proposed_grade),
                "manager_grade": None if a.manager_grade is None else str(a.manager_grade),
            })  # fmt: skip
        rows.append(row)
    frame = pd.DataFrame(rows)
    for col in ("competent_grade", "competent_reason", "leave", "position_id"):
        if col in frame.columns:
            frame[col] = frame[col].astype(object)
    return frame
