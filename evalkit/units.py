"""Units and accountability: unit results, units before individuals, the head capped at
the unit, the management component from subordinates, quotas, roll-ups and emulation
ranking (domain brief §3, §4.1–§4.6).

One engine (:mod:`evalkit._classify`) gives every answer; two faces call it:

* :func:`classify_frame` — two DataFrames for a whole organisation, vectorised;
* :func:`classify_unit` / :func:`classify_organisation` — objects in, objects out
  (what a sheet or an HR screen needs): the objects become frames, the engine runs, the
  rows become :class:`~evalkit.model.EvaluationResult` and :class:`UnitResult` objects
  whose reasons come from the one catalogue (:mod:`evalkit.reasons`).

When no rule set is named, each person gets the set in force for their category and the
period (the rule set follows the person); a unit gets its own (see :func:`classify_frame`).
Where the rule set classifies the period (the year under NĐ 335/2025; every month under
Hà Nội's framework), the competent level's conclusion, the head cap and the quota apply;
a period it only scores shows the band as information.

>>> from evalkit import Assessment, Organisation, Position, Staff, Unit
>>> from evalkit.units import UnitInputs, classify_unit
>>> org = Organisation(units=[Unit("U1", "Phòng A", head_id="H")],
...                    positions=[Position("P", "Chuyên viên")],
...                    staff=[Staff("H", "Trần Thị Hoa", "P", "U1")])
>>> import evalkit.rules
>>> top = evalkit.rules.get("hanoi.3814-2018").full_marks()
>>> a = Assessment("H", "2026-03", competent_scores=top)
>>> unit = UnitInputs("U1", "2026-03", tasks_assigned=10, tasks_done=8)
>>> c = classify_unit(org, "U1", [a], [unit], "hanoi.3814-2018")
>>> c.unit.grade.code, c.staff[0].score_grade.code, c.staff[0].grade.code
('HTT', 'HTXS', 'HTT')
>>> c.staff[0].reason_codes()
('band', 'cap.head_unit')
"""

from __future__ import annotations

import functools
import math
import numbers
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from evalkit import _columns
from evalkit._classify import classify_frame, classify_year, rollup_frame
from evalkit._classify import units as engine_units
from evalkit._classify.common import codes_in, found_set
from evalkit._classify.ranking import rank_units
from evalkit._classify.units import UNIT_FLAG_COLUMNS, UNIT_INPUT_COLUMNS
from evalkit._classify.year import unit_year_grades
from evalkit._ids import normal_id
from evalkit._tables import records as _records
from evalkit._words import _float, is_blank
from evalkit._words import number_or_none as _opt
from evalkit.errors import (
    InputError,
    InputProblem,
    ModelError,
    OrganisationError,
    UnknownReferenceError,
)
from evalkit.model import (
    LEAVE_KINDS,
    Assessment,
    EvaluationResult,
    Grade,
    Level,
    Organisation,
    Period,
    Reason,
    Scores,
    _read_leave,
    _to_period,
    _to_reasons,
)
from evalkit.reasons import PARAM_COLUMNS, make_reasons, read_params
from evalkit.rules import RuleSet, resolve
from evalkit.rules.blocks import applied_inputs
from evalkit.scoring import (
    PERIOD_FLAGS,
    assessments_to_frame,
    kept_flags,
    read_flags,
    unknown_criteria,
)

__all__ = ["UNIT_FLAG_COLUMNS", "UNIT_INPUT_COLUMNS", "QuotaReport", "UnitClassification",
           "UnitInputs", "UnitResult", "applied_inputs", "classify_frame", "classify_organisation",
           "classify_organisation_quarters", "classify_organisation_year", "classify_unit",
           "classify_year", "frames_from_objects", "quota_report", "rank_units",
           "results_from_frame", "rollup", "rollup_frame", "unit_flag_problems"]  # fmt: skip


def _opt_float(value: object) -> float | None:
    """A number of any kind a frame holds (``int``, ``float``, NumPy's) as a float; a blank
    (None, ``pd.NA``, a NaN or NaT: :func:`evalkit._words.is_blank`) as None, as a units
    frame reads it."""
    if is_blank(value):
        return None
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise ModelError(f"expected a number or None, not {value!r}")
    if math.isinf(value):
        raise ModelError(f"expected a finite number, not {value!r}")
    return _float(value)  # a float32 as the number it shows, as the frame door reads it


def _to_body_scores(value: object, self: Any) -> Scores:
    """Body scores with blanks dropped; a negative score (which :class:`Scores` cannot hold)
    is refused here with the frame's words, any other problem with the rest of the inputs."""
    if not isinstance(value, Mapping):  # (a Scores too: read again, as a mapping)
        raise ModelError(f"body_scores must map evaluating bodies to scores, not {value!r}")
    given = {str(k): x for k, v in value.items() if (x := _opt_float(v)) is not None}
    _refuse(self, {f"body_{k}": np.array([v]) for k, v in given.items() if v < 0})
    return Scores(given)


def _refuse(inputs: Any, cols: Mapping[str, Any]) -> None:
    """The impossible values of a unit's input ``cols``, refused with the frame's words."""
    if problems := _columns.value_problems(cols):
        raise ModelError("; ".join(f"{msg} (unit {inputs.unit_id!r}, {inputs.period})"
                                   for _, _, msg in problems))  # fmt: skip


def _to_flag(value: object) -> object:
    return False if is_blank(value) else bool(value) if isinstance(value, np.bool_) else value


@attrs.frozen(slots=True)
class UnitInputs:
    """A unit's results for one period: task completion and what other bodies scored.

    Counts: ``tasks_assigned``, ``tasks_done`` (≤ assigned), ``tasks_on_time`` (≤ done;
    None = all on time), ``tasks_overdue``, ``tasks_exceeded`` (≤ done). Scores 0–100:
    ``body_scores`` (evaluating body → score; the bodies are declared by the rule set),
    ``cross_score`` (cross-evaluation), ``satisfaction`` (e.g. SIPAS), ``reform_index``.
    Points: ``bonus``, ``deduction``, ``inspection_deduction`` (and the count of
    ``inspection_findings``: see :func:`evalkit.inspections.apply`). ``self_score`` is the
    unit's own score (kept and shown); ``council_score`` an appraisal council's, which
    counts instead of the computed one (``score`` is its old name). Flags: ``exceptional``
    (recognised by the competent level as especially outstanding: raises the quota where
    the rule set says so), ``late_work``, ``disciplined``, ``leadership_disciplined``,
    ``shortcomings_unremedied`` and ``personnel_wrongdoing`` (NĐ 233/2026 Điều 7 k1 c, k4 a),
    ``leadership_duty_disciplined`` (a member of the leadership collective disciplined from
    reprimand for a duty-related violation; the competent level leaves it blank for one
    transferred in for a violation elsewhere, or a violation unrelated to the collective's
    duties), ``leadership_degraded`` (a member concluded to show degradation) and
    ``socioeconomic_targets_missed`` (the 5 basic socio-economic targets assigned or approved
    by the competent level not met; force majeure is the competent level's, which then leaves
    it blank), all QĐ 366-QĐ/TW Điều 11 k4; ``excellent_share_raised`` on a parent: the
    competent level decided a higher share of its sub-units rated HTXS (NĐ 233/2026 Điều 7
    k7 b: at most ``excellent_share_raised_percent``, 25%, of those rated HTT). A flag the
    unit's rule set does not read (that of its sub-units, for ``excellent_share_raised``) is
    refused.
    ``staff_total``: the unit's staff in the period, those without an assessment included
    (the base of a quota counted on all staff; :func:`frames_from_objects` fills it from the
    organisation when None).

    Impossible values are refused with the same words as in a units frame; a blank
    (None or NaN) is a value not given, as in a frame.

    >>> UnitInputs("U1", "2026-03", tasks_assigned=20, tasks_done=19).tasks_done
    19.0
    >>> UnitInputs("U1", "2026-03", tasks_assigned=10, tasks_done=12)
    Traceback (most recent call last):
    ...
    evalkit.errors.ModelError: tasks_done exceeds the tasks assigned (unit 'U1', 2026-03)
    """

    unit_id: str
    period: Period = attrs.field(converter=_to_period)
    tasks_assigned: float | None = attrs.field(default=None, converter=_opt_float)
    tasks_done: float | None = attrs.field(default=None, converter=_opt_float)
    tasks_on_time: float | None = attrs.field(default=None, converter=_opt_float)
    tasks_overdue: float | None = attrs.field(default=None, converter=_opt_float)
    tasks_exceeded: float | None = attrs.field(default=None, converter=_opt_float)
    body_scores: Scores = attrs.field(factory=Scores,
        converter=attrs.Converter(_to_body_scores, takes_self=True))  # type: ignore[misc]
    cross_score: float | None = attrs.field(default=None, converter=_opt_float)
    satisfaction: float | None = attrs.field(default=None, converter=_opt_float)
    bonus: float | None = attrs.field(default=None, converter=_opt_float)
    deduction: float | None = attrs.field(default=None, converter=_opt_float)
    score: float | None = attrs.field(default=None, converter=_opt_float)
    reform_index: float | None = attrs.field(default=None, converter=_opt_float)
    inspection_deduction: float | None = attrs.field(default=None, converter=_opt_float)
    self_score: float | None = attrs.field(default=None, converter=_opt_float)
    council_score: float | None = attrs.field(default=None, converter=_opt_float)
    exceptional: bool = attrs.field(default=False, converter=_to_flag)
    late_work: bool = attrs.field(default=False, converter=_to_flag)
    disciplined: bool = attrs.field(default=False, converter=_to_flag)
    leadership_disciplined: bool = attrs.field(default=False, converter=_to_flag)
    inspection_findings: float | None = attrs.field(default=None, converter=_opt_float)
    staff_total: float | None = attrs.field(default=None, converter=_opt_float)
    shortcomings_unremedied: bool = attrs.field(default=False, converter=_to_flag)
    personnel_wrongdoing: bool = attrs.field(default=False, converter=_to_flag)
    leadership_duty_disciplined: bool = attrs.field(default=False, converter=_to_flag)
    leadership_degraded: bool = attrs.field(default=False, converter=_to_flag)
    socioeconomic_targets_missed: bool = attrs.field(default=False, converter=_to_flag)
    excellent_share_raised: bool = attrs.field(default=False, converter=_to_flag)

    def __attrs_post_init__(self) -> None:
        # each flag True or False (a blank: False): the first other, in field order, refused
        if bad := [f for f in UNIT_FLAG_COLUMNS if not isinstance(getattr(self, f), bool)]:
            raise ModelError(f"{bad[0]} must be True or False, not {getattr(self, bad[0])!r} "
                             f"(unit {self.unit_id!r}, {self.period})")  # fmt: skip
        names = [*UNIT_INPUT_COLUMNS, *(f"body_{b}" for b in self.body_scores)]
        _refuse(self, {c: np.array([self.column(c)]) for c in names})

    def column(self, name: str) -> float | bool:
        """The value of frame column ``name`` (``body_<name>`` for a body), NaN if absent."""
        # a body's score, a flag, or a number as converted (float)
        value = self.body_scores.get(name[5:]) if name.startswith("body_") else getattr(self, name)
        return math.nan if value is None else value


@attrs.frozen(slots=True)
class UnitResult:
    """A unit's result for a period: its score (the council's where one concluded, with the
    computed score and the unit's own score beside it), band grade, final grade, reasons.
    """

    unit_id: str
    period: Period
    rule_set_id: str
    score: float | None
    score_grade: Grade | None
    grade: Grade | None
    tasks_percent: float | None = None
    done_percent: float | None = None
    exceeded_percent: float | None = None
    reasons: tuple[Reason, ...] = attrs.field(default=(), converter=_to_reasons)
    computed_score: float | None = None
    self_score: float | None = None
    council_score: float | None = None
    classified: bool = True
    exceptional: bool = False
    #: The period's counts and facts the year reads (Σ done ÷ Σ assigned; any month's).
    tasks_assigned: float | None = None
    tasks_done: float | None = None
    tasks_exceeded: float | None = None
    late_work: bool = False
    disciplined: bool = False
    leadership_disciplined: bool = False
    #: The tasks done on time (None: all done on time) and their share of those assigned.
    tasks_on_time: float | None = None
    on_time_percent: float | None = None
    shortcomings_unremedied: bool = False
    personnel_wrongdoing: bool = False
    leadership_duty_disciplined: bool = False
    leadership_degraded: bool = False
    socioeconomic_targets_missed: bool = False
    excellent_share_raised: bool = False

    @property
    def evaluated(self) -> bool:
        """False when the unit had no results for the period."""
        return self.score is not None

    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)


#: The number fields of :class:`UnitResult` (score, computed_score, tasks_percent, …).
_UNIT_NUMBERS = [f.name for f in attrs.fields(UnitResult) if str(f.type) == "float | None"]


@attrs.frozen(slots=True)
class QuotaReport:
    """What a quota did in one group: counts, the cap, who kept the grade, who was demoted.

    ``candidates`` are in rank order (the tie-break order); ``kept`` are the first
    ``len(kept)`` of them and ``demoted`` the rest.
    """

    period: Period
    unit_id: str | None
    duty_group: str | None
    grade: Grade
    base: str
    base_count: int
    percent: float
    cap: int
    candidates: tuple[str, ...] = attrs.field(converter=tuple)
    kept: tuple[str, ...] = attrs.field(converter=tuple)
    demoted: tuple[str, ...] = attrs.field(converter=tuple)
    source: str = ""
    #: The group's rule set: a unit of công chức and viên chức has a group under each.
    rule_set_id: str = ""


@attrs.frozen(slots=True)
class UnitClassification:
    """One unit's period: its result, its members' results and the quota reports."""

    unit: UnitResult
    staff: tuple[EvaluationResult, ...]
    quotas: tuple[QuotaReport, ...]
    head_id: str | None = None
    parent_id: str | None = None
    #: Marked a public service unit (:attr:`evalkit.model.Unit.public_service_unit`): the
    #: year's quota reads it (NĐ 233/2026/NĐ-CP Điều 12 k6 b), as the month's.
    public_service_unit: bool = False

    def result_of(self, staff_id: str) -> EvaluationResult:
        """The result of member ``staff_id``."""
        if found := [r for r in self.staff if r.staff_id == normal_id(staff_id)]:
            return found[0]
        raise UnknownReferenceError(f"staff {staff_id!r} is not a member of unit "
                                    f"{self.unit.unit_id!r}")  # fmt: skip


# =========================================================================== frame face


def frames_from_objects(org: Organisation, assessments: Iterable[Assessment],
                        unit_inputs: Iterable[UnitInputs] = (), *,
                        levels: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """The ``(staff_months, units)`` frames of :func:`classify_frame` for objects.

    Every unit of ``org`` gets a row per period present in the inputs (blank results when
    it has no :class:`UnitInputs` for the period), its ``staff_total`` the organisation's
    members of the unit where its inputs do not give one (the base of a quota counted on all
    staff, members without an assessment included). ``levels`` adds each level's own scores.
    The units frame's ``attrs["known_staff"]`` holds the organisation's staff ids: a head
    without an assessment is absent that period, not unknown (:func:`classify_frame`).
    """
    # the staff by their ids as every door compares them
    staff, a_list = {normal_id(s.id): s for s in org.staff}, list(assessments)
    if unknown := [a.staff_id for a in a_list if normal_id(a.staff_id) not in staff]:
        raise UnknownReferenceError(f"assessment for unknown staff {', '.join(map(repr, unknown))}")
    who = [staff[normal_id(a.staff_id)] for a in a_list]  # one row per assessment, in order
    sm = assessments_to_frame(a_list, {a.staff_id: s for a, s in zip(a_list, who, strict=True)},
                              levels=levels)  # fmt: skip
    if len(sm):
        marked = {p.id for p in org.positions if p.manages_others}
        sm = sm.assign(unit_id=[s.unit_id for s in who], **{c: pd.Series(
            [getattr(s, c) for s in who], dtype=object) for c in ("manager_id", "duty_group")},
            manages_others=[bool(s.manages_others) or s.position_id in marked for s in who])
    u_list = list(unit_inputs)
    periods = sorted({str(a.period) for a in a_list} | {str(u.period) for u in u_list})
    # unit ids too as every door compares them: inputs for 'P1 ' are those of unit 'P1'
    keys = [(normal_id(u.unit_id), str(u.period)) for u in u_list]
    # (refused: a second input for a unit and period would silently replace the first)
    if twice := next((k for k, n in Counter(keys).items() if n > 1), None):
        raise OrganisationError(f"unit {twice[0]!r} has two inputs in {twice[1]}")
    by_key = dict(zip(keys, u_list, strict=True))
    known_units = {normal_id(x.id) for x in org.units}
    if unknown := [u.unit_id for u in u_list if normal_id(u.unit_id) not in known_units]:
        raise UnknownReferenceError(f"unit inputs for unknown unit {', '.join(map(repr, unknown))}")
    bodies = sorted({b for u in u_list for b in u.body_scores})
    cols = [*UNIT_INPUT_COLUMNS, *UNIT_FLAG_COLUMNS, *(f"body_{b}" for b in bodies)]
    blank = {c: False if c in UNIT_FLAG_COLUMNS else np.nan for c in cols}
    rows = [{"unit_id": u.id, "parent_id": u.parent_id, "head_id": u.head_id, "period": p,
             **({c: ui.column(c) for c in cols} if (ui := by_key.get((normal_id(u.id), p)))
                else blank)}
            for p in periods for u in org.units]  # fmt: skip
    units = pd.DataFrame(rows, columns=["unit_id", "parent_id", "head_id", "period", *cols])
    if any(u.public_service_unit for u in org.units):  # (none marked: the frame as before)
        units["public_service_unit"] = [u.public_service_unit for _ in periods for u in org.units]
    count = Counter(normal_id(s.unit_id) for s in org.staff)  # a unit without members: 0
    units["staff_total"] = units["staff_total"].fillna(units["unit_id"].map(normal_id).map(count))
    # its members, those without an assessment included: a head among them with no row is
    # absent that period, not unknown (classify_frame reads them as its ``known_staff``)
    units.attrs["known_staff"] = [s.id for s in org.staff]
    return sm, units.astype({"parent_id": object, "head_id": object})


#: The same few periods on every row of a results frame: each parsed once.
_period = functools.lru_cache(maxsize=256)(Period.parse)


def results_from_frame(staff_results: pd.DataFrame, *, rules: RuleSet | Iterable[RuleSet]
                       | Mapping[str, RuleSet] | None = None) -> list[EvaluationResult]:  # fmt: skip
    """:class:`~evalkit.model.EvaluationResult` objects for the rows of a results frame.

    Works on :func:`classify_frame`'s staff results, :func:`evalkit.score_frame`'s
    output joined with ``staff_id``/``period``, :func:`classify_year`'s output, or a
    results file read back: the reasons are made by :mod:`evalkit.reasons` from the row,
    so every door explains a result with the same sentences.

    Every cell is read first, as every door reads it, and all the problems of the frame
    are raised in one :class:`~evalkit.errors.InputError` naming the row, the staff, the
    column and the value (and the file, from ``attrs["file"]``) before any object is
    built: the period, the grades, the numbers, the yes/no and disqualifier columns, and
    ``months_worked`` and ``carried_months`` (each row under its own rule set, as the
    archive reads them: months carried in on a quarter's row of a set that carries them
    only, none before that set began; CV 21169/CHQ-TCCB).

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"staff_id": ["A"], "period": "2026-11",
    ...                       "rule_set": "vn.nd335-2025", "total": [91.0], "carried_months": 1})
    >>> results_from_frame(frame)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    evalkit.errors.InputError: 1 problem in the input:
      - row 0, staff 'A', column 'carried_months', value 1: carried_months is for a quarter's row ...
    """
    _columns.require(staff_results, ("staff_id", "period", "rule_set"),
                     "a results frame (as score_frame or classify_frame return it)")
    # the frame's sets, then those given (a mapping: its own keys)
    known = {**(staff_results.attrs.get("rule_sets") or {}), **(rules if isinstance(rules, Mapping)
             else {r.id: r for r in ([rules] if isinstance(rules, RuleSet) else rules or ())})}
    out: list[EvaluationResult] = []
    point_cols = [c for c in staff_results if isinstance(c, str) and c.startswith("points_")]
    # every bad cell said at once, before any object is built (a file read back: named)
    found = _columns.Problems(staff_results, file=staff_results.attrs.get("file"))
    pcode, plabels = _columns.periods(staff_results, "period", found, required=True)
    sets = {r: resolve(r, known=known) for r in staff_results["rule_set"].astype(str).unique()}
    # the months as every door reads them, each row under its own set: carried in on a
    # quarter's row of a set that carries them, none before it began (CV 21169/CHQ-TCCB)
    months = _columns.counted_months(staff_results, found,
                                     staff_results["rule_set"].astype(str), sets)
    sg, gr, pg = ([None if k < 0 else Grade(int(k)) for k in _columns.grades(
        staff_results, c, found)] for c in ("score_grade", "grade", "proposed_grade"))
    staff_results = staff_results.assign(**read_params(staff_results, [  # "88,5" is 88.5
        c for c in staff_results.columns if (c in PARAM_COLUMNS or c in point_cols
        or c in {f"{lv}_total" for lv in Level}) and c not in months], found), **months)
    said = _columns.booleans(staff_results, "classified", found)  # "False" from a text file
    flags = read_flags(staff_results, found)  # as the engine read them ("khiển trách", "x")
    manages = _columns.booleans(staff_results, "manages_others", found)
    found.raise_if_any()
    blank = said != _columns.booleans(staff_results, "classified", found, default=True)
    for i, rec in enumerate(_records(staff_results)):
        rs, period = sets[str(rec["rule_set"])], _period(plabels[pcode[i]])
        totals = {lv.value: t for lv in Level if (t := _opt(rec.get(f"{lv}_total"))) is not None}
        out.append(EvaluationResult(str(rec["staff_id"]), period, rs.id, _opt(rec.get("total")),
            sg[i], gr[i], components=_points(rec, point_cols), level_totals=totals,
            level=Level(lv) if (lv := rec.get("level")) in tuple(Level) else None,
            reasons=make_reasons(rec.get("reasons"), rs, rec),
            classified=rs.classifies(period) if blank[i] else bool(said[i]),
            proposed_grade=(pg if "proposed_grade" in staff_results else gr)[i],
            level_points={x: _points(rec, point_cols, f"{x}_") for x in totals},
            applied=_applied(rec, rs), flags=kept_flags({k: v[i] for k, v in flags.items()}),
            leave=kind if (kind := _read_leave(rec.get("leave"))) in LEAVE_KINDS else "",
            duty_group=None if (g := rec.get("duty_group")) is None else str(g),
            tie_inputs={c: v for c in (*rs.deduction_inputs(), "competent_order")
                        if (v := _opt(rec.get(c))) is not None},
            manages_others=bool(manages[i]), category=rec.get("category"),
            months_worked=_opt(rec.get("months_worked", rec.get("months"))),
            carried_months=_opt(rec.get("carried_months")) or None))  # fmt: skip
    return out


def _applied(rec: Mapping[str, Any], rs: RuleSet) -> dict[str, float]:
    """The management component d the engine applied (``mgmt_value``) where the counting
    level typed another value (``mgmt_typed``, else the criterion's own column): the sheet
    prints both (NĐ 335/2025 Điều 15). A d left blank is not replaced: the engine computed
    it, and the reason ``management.d`` gives its value."""
    cid, value = rs.management.computed, _opt(rec.get("mgmt_value"))
    typed = _opt(rec.get("mgmt_typed", rec.get(str(cid))))
    return {} if (cid is None or value is None or typed is None or _opt(rec.get("total")) is None
                  or cid not in {c.id for c in rs.criteria()}
                  or math.isclose(typed, value, rel_tol=1e-5, abs_tol=1e-8)) else {cid: value}


def _points(rec: Mapping[str, Any], cols: Sequence[str], prefix: str = "") -> dict[str, float]:
    """A row's given ``points_<block>`` (each level's with its ``prefix``), by block id."""
    return {c[7:]: x for c in cols if (x := _opt(rec.get(prefix + c))) is not None}


def _unit_result(rec: Mapping[str, Any], known: Mapping[str, RuleSet]) -> UnitResult:
    rs = resolve(str(rec["rule_set"]), known=known)
    given: dict[str, Any] = {**{f: _opt(rec.get(f)) for f in _UNIT_NUMBERS},
                             **{f: bool(rec.get(f)) for f in UNIT_FLAG_COLUMNS},
                             # the grades as the engine wrote them: a blank (None from
                             # _records, NaN: a period its set only scores) is none
                             **{g: None if pd.isna(x := rec.get(g)) else Grade.parse(x)
                                for g in ("score_grade", "grade")}}
    return UnitResult(str(rec["unit_id"]), _period(str(rec["period"])), rs.id,
        reasons=make_reasons(rec.get("reasons"), rs, rec, with_band=False),
        classified=bool(rec.get("classified", True)), **given)


def _quota_reports(staff_results: pd.DataFrame, known: Mapping[str, RuleSet]
                   ) -> dict[tuple[str, str], list[QuotaReport]]:  # fmt: skip
    """The quota groups of the periods' results as :class:`QuotaReport` objects, by period
    and unit id."""
    first, cands, demoted = _quota_groups(staff_results)
    out: dict[tuple[str, str], list[QuotaReport]] = {}
    for g, rec in first.to_dict(orient="index").items():
        # the year's own quota where it counted the group (its category)
        q = resolve(str(rec["rule_set"]), known=known).quota_for(str(rec["period"]),
            cat if isinstance(cat := rec.get("category"), str) and cat else None)
        assert q is not None
        base, _, source = q.terms(bool(rec.get("quota_raised")))
        dg = rec.get("duty_group") if "duty_group" in q.group_by else None
        c, d, period = cands.get(g, ()), demoted.get(g, ()), _period(str(rec["period"]))
        out.setdefault((str(period), str(rec["unit_id"])), []).append(QuotaReport(
            period, str(rec["unit_id"]), None if pd.isna(dg) else str(dg), q.grade, base,
            int(rec["quota_base"]), float(rec["quota_percent"]), int(rec["quota_cap"]), c,
            [x for x in c if x not in d], d, source, str(rec["rule_set"])))  # fmt: skip
    return out


def classify_organisation(org: Organisation, assessments: Iterable[Assessment],
                          unit_inputs: Iterable[UnitInputs], rules: RuleSet | str | None = None, *,
                          period: Period | str | None = None, force: bool = False,
                          options: Mapping[str, bool] | None = None,
                          jurisdiction: str | None = None) -> dict[str, UnitClassification]:  # fmt: skip
    """Classify every unit of ``org`` for one period, by unit id (see :func:`classify_unit`)."""
    a_all, u_all = list(assessments), list(unit_inputs)
    seen = {a.period for a in a_all} | {u.period for u in u_all}
    found = ", ".join(sorted(str(p) for p in seen)) or "none"
    if period is None and len(seen) != 1:
        raise ModelError(f"pass period=...: the inputs cover periods {found}, not exactly one")
    p = next(iter(seen)) if period is None else Period.parse(period)
    if seen and p not in seen:  # months given for their year: classify_organisation_year's
        raise ModelError(f"the inputs cover periods {found}, not {p}: classify each period "
                         "given, and the year with classify_organisation_year over them")
    a_list, u_list = [a for a in a_all if a.period == p], [u for u in u_all if u.period == p]
    # the units' staff_total (the organisation's members, those without an assessment
    # included) is the base of a quota counted on all staff (Hà Nội QĐ 3814: "40% tổng số …
    # của cơ quan, đơn vị"), as in any units frame that gives it; without any input, a blank
    # one gives every unit its blank row for p (no staff: classify_frame makes its frame)
    sm, units = frames_from_objects(org, a_list, u_list or [UnitInputs(u.id, p)
                                                            for u in org.units[:1]])  # fmt: skip
    try:
        staff_res, unit_res = classify_frame(sm, units, rules, force=force, options=options,
            positions={x.id: x for x in org.positions}, jurisdiction=jurisdiction)
    except InputError as exc:  # a typo in an object's scores is said of the object
        said, cols = unknown_criteria(a_list, {normal_id(s.id): s for s in org.staff}, rules,
                                      force=force, jurisdiction=jurisdiction)  # fmt: skip
        if not said:
            raise
        raise InputError([*said, *(p for p in exc.problems if p.column not in cols)]) from None
    # the sets the registry does not hold as they are (a ``rules`` object among them, as
    # every set the rows name); the unit frame carries the same sets
    custom = staff_res.attrs["rule_sets"]
    # each result's level: the last that gave any score
    staff_res["level"] = staff_res["staff_id"].map({normal_id(a.staff_id): a.counting_level()
                                                    for a in a_list})  # fmt: skip
    results = {r.staff_id: r for r in results_from_frame(staff_res)}  # (its sets: ``custom``)
    by_unit = {str(r["unit_id"]): _unit_result(r, custom) for r in _records(unit_res)}
    quotas = _quota_reports(staff_res, custom)
    return {unit.id: UnitClassification(  # each unit's members in the organisation's order
        by_unit[uid], tuple(results[sid] for s in org.members_of(unit.id)
                            if (sid := normal_id(s.id)) in results),
        tuple(quotas.get((str(p), uid), ())), unit.head_id, unit.parent_id,
        unit.public_service_unit)
        for unit in org.units for uid in (normal_id(unit.id),)}  # fmt: skip


def classify_unit(org: Organisation, unit_id: str, assessments: Iterable[Assessment],
                  unit_inputs: Iterable[UnitInputs], rules: RuleSet | str | None = None, *,
                  period: Period | str | None = None, force: bool = False,
                  options: Mapping[str, bool] | None = None, jurisdiction: str | None = None
                  ) -> UnitClassification:  # fmt: skip
    """Classify one unit for one period: its result, its members, its quota groups.

    ``assessments`` and ``unit_inputs`` may cover the whole organisation; what the unit
    depends on is used (its sub-units, its siblings, the staff under its leaders in
    sub-units). Without ``rules`` each person gets the set in force for their category
    and ``period`` (inferred when every input has the same period), in ``jurisdiction``
    (as :func:`classify_frame`'s: ``"vn.hanoi"`` finds Hà Nội's set for contract staff,
    the national sets for the others). Staff without an
    assessment get no result; where the rule set counts a quota on all the unit's staff
    (Hà Nội: 40% of all staff of an outstanding unit) they count in its base, as the
    units frame's ``staff_total`` (:func:`frames_from_objects`).

    The engine classifies the whole organisation to answer for one unit (a unit's result
    depends on its sub-units, its siblings and the staff under its leaders): to classify
    every unit, call :func:`classify_organisation` once rather than this per unit.
    """
    unit = org.unit(unit_id)  # an unknown unit is refused before any work ('P1 ' is 'P1')
    return classify_organisation(org, assessments, unit_inputs, rules, period=period, force=force,
                                 options=options, jurisdiction=jurisdiction)[unit.id]  # fmt: skip


def _quota_groups(staff_results: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Per quota group (by ``quota_group``): its first row, its candidates' ids in rank
    order and its demoted ids in rank order (tuples)."""
    if "quota_group" not in staff_results.columns:  # no quota applied: no group
        return pd.DataFrame(), pd.Series(dtype=object), pd.Series(dtype=object)
    found = _columns.Problems(staff_results)  # read as every door reads a number: "3" is 3
    # the quota columns of a result that are numbers (all whole but the percentage)
    cols = {c: _columns.numbers(staff_results, c, found, integer=c != "quota_percent")
            for c in ("quota_group", "quota_base", "quota_percent", "quota_cap",
                      "quota_candidates", "quota_rank") if c in staff_results.columns}
    found.raise_if_any()
    staff_results = staff_results.assign(**{c: v if c == "quota_percent" or np.isnan(v).any()
                                            else v.astype(np.int64) for c, v in cols.items()})
    sr = staff_results[staff_results["quota_group"] >= 0]
    # without the tables a results file read back keeps in ``attrs`` (``units``,
    # ``unit_inputs``): pandas compares the ``attrs`` of the pieces it joins with ``==``,
    # which a table cannot answer with yes or no
    sr.attrs = {k: v for k, v in sr.attrs.items() if not isinstance(v, pd.DataFrame)}
    first = sr.groupby("quota_group", sort=True, observed=True).first()
    ranked = sr[sr["quota_rank"] > 0].sort_values(["quota_group", "quota_rank"])
    ids = ranked["staff_id"].astype(str)
    demoted = ranked["reasons"].astype(str).str.contains("quota.demoted", regex=False)
    return (first, ids.groupby(ranked["quota_group"]).agg(tuple),
            ids[demoted].groupby(ranked["quota_group"][demoted]).agg(tuple))


def unit_flag_problems(unit_results: pd.DataFrame, staff_results: pd.DataFrame | None = None,
                       *, known: Mapping[str, RuleSet] | None = None) -> list[InputProblem]:
    """The unit flags set on a period's unit results that the row's rule set (its
    ``rule_set``, found by :func:`evalkit.rules.resolve` with ``known``: an agency's rule
    file, as the year finds it; a set not found is not judged here) does not read, each as
    :func:`classify_year` refuses the results for (``foreign.unit.flag_unread``):
    :meth:`evalkit.io.archive.Archive.finalize` refuses them with the month, not at the
    year. ``exceptional`` is read where a person of the unit (``staff_results``:
    ``unit_id``, ``rule_set``) counts under a quota that reads it.

    >>> import pandas as pd
    >>> units = pd.DataFrame({"unit_id": ["A"], "period": "2026-09",
    ...                       "rule_set": "vn.nd335-2025", "personnel_wrongdoing": [True]})
    >>> [(p.unit_id, p.column) for p in unit_flag_problems(units)]
    [('A', 'personnel_wrongdoing')]
    """
    ut = unit_results.reset_index(drop=True)
    ut.attrs = {}  # (a workbook's records: never compared)
    if "unit_id" not in ut.columns or "rule_set" not in ut.columns:
        return []
    ut = ut.assign(source_row_=ut.index, unit_id=ut["unit_id"].astype(str),
                   period=ut.get("period", pd.Series("", index=ut.index)).astype(str))
    people = staff_results if staff_results is not None and {"unit_id", "rule_set"} <= set(
        staff_results.columns) else pd.DataFrame(columns=["unit_id", "rule_set"])
    sid, srs = (people[c].astype(str).to_numpy(dtype=object) for c in ("unit_id", "rule_set"))
    sets = list({rs.id: rs for i in pd.unique(np.append(ut["rule_set"].astype(str), srs)).tolist()
                 if (rs := found_set(i, known)) is not None}.values())  # (not found: not judged)
    rcode, scode = (codes_in(v, pd.Index([rs.id for rs in sets], dtype=object))
                    for v in (ut["rule_set"].astype(str).to_numpy(), srs))
    reads = ut["unit_id"].isin(sid[engine_units.quota_readers(sets, scode)]).to_numpy()
    return engine_units.flag_problems(ut, sets, rcode, np.ones(len(ut), bool), reads)


def quota_report(staff_results: pd.DataFrame) -> pd.DataFrame:
    """One row per quota group of a :func:`classify_frame` result: what the quota changed.

    Columns: ``period``, ``unit_id``, ``rule_set`` (the group's: a unit of công chức and
    viên chức has a group under each set), ``duty_group`` (when grouped by it),
    ``base_count``, ``percent``, ``cap``, ``candidates``, ``kept``, ``demoted`` (count) and
    ``demoted_ids`` (``;``-joined, in rank order). A group is one row: ``period``,
    ``unit_id``, ``rule_set`` and ``duty_group`` identify it.
    """
    first, _, demoted = _quota_groups(staff_results)
    names = {"period": "period", "unit_id": "unit_id", "rule_set": "rule_set",
             "quota_base": "base_count", "quota_percent": "percent", "quota_cap": "cap",
             "quota_candidates": "candidates"}  # fmt: skip
    if not len(first):
        return pd.DataFrame(columns=[*names.values(), "kept", "demoted", "demoted_ids"])
    out = first[list(names)].rename(columns=names).astype({"period": str, "rule_set": str})
    if "duty_group" in first.columns:  # only where the group's set counts its quota per
        # duty group, or cannot be found again (a frame that lost its ``attrs``: shown)
        sets = [found_set(r, staff_results.attrs.get("rule_sets")) for r in out["rule_set"]]
        out.insert(3, "duty_group", first["duty_group"].astype(object).where(np.array([
            rs is None or (rs.quota is not None and "duty_group" in rs.quota.group_by)
            for rs in sets], dtype=bool), None))
    gone = demoted.reindex(out.index)
    out["demoted"] = gone.map(lambda t: len(t) if isinstance(t, tuple) else 0).astype(int)
    out["kept"] = out["candidates"] - out["demoted"]
    out["demoted_ids"] = gone.map(lambda t: ";".join(t) if isinstance(t, tuple) else "")
    return out.reset_index(drop=True)


# =========================================================================== roll-ups


def rollup(results: Sequence[EvaluationResult], rules: RuleSet | str | None = None, *,
           to: Literal["year", "quarter"] = "year", leave: Mapping[str, str] | None = None,
           disciplined: Sequence[str] = (), jurisdiction: str | None = None
           ) -> list[EvaluationResult]:  # fmt: skip
    """Roll one or more people's results up (the object face of :func:`rollup_frame`).

    ``leave`` maps a month (``'2026-03'``) to ``"maternity"``, ``"sick"`` or ``"absent"``
    (for everyone in ``results``); ``disciplined`` lists months with a discipline (else a
    disqualifier code on a month counts). To classify the year — the head capped at the
    unit's grade for the year, then the quota — use :func:`classify_organisation_year`.
    """
    return results_from_frame(rollup_frame(_periods_frame(results, rules, leave, disciplined),
                                           rules, to=to, jurisdiction=jurisdiction))


def _periods_frame(results: Sequence[EvaluationResult], rules: RuleSet | str | None,
                   leave: Mapping[str, str] | None, disciplined: Sequence[str]) -> pd.DataFrame:
    """The rows :func:`rollup_frame` reads for the periods' results, in their order (then a
    row per month of ``leave`` a person has no result for)."""
    leave_map = {str(Period.parse(k)): v for k, v in (leave or {}).items()}
    months = {str(Period.parse(d)) for d in disciplined}
    # who leads is not in a result: a flag that a cap for heads or leaders tests is left to
    # the periods' codes (a period carries the cap's code exactly where it applied)
    known = {rules.id: rules} if isinstance(rules, RuleSet) else {}
    led = {c.flag for rid in {r.rule_set_id for r in results}
           for c in resolve(rid, known=known).caps if c.applies_to in ("heads", "leaders")}
    # (and the discipline where months are named)
    kept = [f for f in PERIOD_FLAGS if (f not in led and any(f in r.flags for r in results))
            or (f == "discipline" and months)]

    def facts(flags: Mapping[str, float], period: str) -> Iterable[float]:
        # a fact not given takes its default: 0, but 1 for discipline_related_to_duty, and
        # NaN for a derived flag (a month's: derived from its inputs; a quarter keeps its own)
        return (max(flags.get(f, PERIOD_FLAGS[f]),
                    float(f == "discipline" and period in months)) for f in kept)  # fmt: skip

    blocks = sorted({b for r in results for b in r.components})  # the tie-break's points
    ties = sorted({c for r in results for c in r.tie_inputs})  # and its other inputs
    columns = ["staff_id", "period", "total", "leave", "rule_set", "grade", "reasons", *kept,
               *(f"points_{b}" for b in blocks), *ties, "months_worked", "carried_months"]
    rows = [(r.staff_id, str(r.period), np.nan if r.total is None else r.total,
             r.leave or leave_map.get(str(r.period), ""), r.rule_set_id,
             r.grade.code if r.grade is not None else None, ";".join(r.reason_codes()),
             *facts(r.flags, str(r.period)), *(r.components.get(b, np.nan) for b in blocks),
             *(r.tie_inputs.get(c, np.nan) for c in ties),
             *(np.nan if m is None else m for m in (r.months_worked, r.carried_months)))
            for r in results]  # fmt: skip
    seen = {(sid, per) for sid, per, *_ in rows}
    # a month of leave takes the person's latest rule set (the year follows the last period)
    latest = {r.staff_id: r.rule_set_id for r in sorted(results, key=lambda r: r.period.start)}
    for sid in dict.fromkeys(r.staff_id for r in results):
        rows += [(sid, per, np.nan, kind, latest[sid], None, "", *facts({}, per),
                  *(np.nan for _ in (*blocks, *ties, 1, 2)))
                 for per, kind in leave_map.items() if (sid, per) not in seen]  # fmt: skip
    # no facts kept and no months named: the periods' codes decide (a column of 0 would
    # hide them)
    return pd.DataFrame(rows, columns=columns)


#: The months' classifications, as :func:`classify_organisation_year` takes them.
Months = Iterable[UnitClassification | Mapping[str, UnitClassification]]


def classify_organisation_year(months: Months, rules: RuleSet | str | None = None, *,
                               conclusions: Iterable[Assessment] = (), force: bool = False,
                               jurisdiction: str | None = None, unit_year: Iterable[UnitInputs] = ()
                               ) -> dict[str, UnitClassification]:  # fmt: skip
    """The year's classification from the months' (the object face of :func:`classify_year`).

    ``months`` are the months' :class:`UnitClassification` objects, or the dicts
    :func:`classify_organisation` returns for each month (each month may have its own
    organisation: a person transferred is in the unit of each month). The months' results
    are rolled up to the year (the mean of the months evaluated: NĐ 335/2025/NĐ-CP Điều
    21), each head is capped at their unit's grade for the year, graded from the unit's
    months, then the quota applies to the year (Điều 20 k5), as :func:`classify_year` does
    on frames. A person's year is in the unit of their last month. Returns, by unit id, the
    unit's year: its grade, its members' results for the year and its quota reports.
    ``rules`` names one set for everyone's year (else each person's latest month's, or the
    one in force at the year's end in ``jurisdiction``: :func:`evalkit.rules.for_year_end`).
    ``conclusions`` are the competent level's conclusions for the year: an
    :class:`~evalkit.model.Assessment` for the year with ``competent_grade``,
    ``competent_reason`` (required when the grade differs) and ``competent_order``.
    ``unit_year`` are the units' :class:`UnitInputs` for the year, as :func:`classify_year`'s
    unit rows for the year: a unit the competent level recognises as especially outstanding
    for the year (``exceptional``) raises its quota (NĐ 335/2025/NĐ-CP Điều 20 k5 b); a
    month's recognition does not.

    >>> from evalkit import Assessment, Organisation, Position, Staff, Unit
    >>> org = Organisation(units=[Unit("U", "Phòng A", head_id="H")],
    ...                    positions=[Position("P", "Chuyên viên", manages_others=True)],
    ...                    staff=[Staff("H", "Trần Thị Hoa", "P", "U")])
    >>> import evalkit.rules
    >>> top = evalkit.rules.get("vn.nd335-2025").full_marks(manages_others=True)
    >>> months = [classify_organisation(org, [Assessment("H", f"2026-{m:02d}",
    ...           competent_scores=top)], [UnitInputs("U", f"2026-{m:02d}",
    ...           tasks_assigned=10, tasks_done=8)]) for m in (1, 2)]
    >>> year = classify_organisation_year(months)["U"]
    >>> str(year.unit.period), year.unit.grade.code, year.result_of("H").grade.code
    ('2026', 'HTT', 'HTT')
    >>> year.result_of("H").reason_codes()
    ('band', 'rollup.average', 'cap.head_unit')
    """
    return _classify_periods(months, rules, "year", conclusions, force, jurisdiction, unit_year)


def classify_organisation_quarters(months: Months, rules: RuleSet | str | None = None, *,
                                   conclusions: Iterable[Assessment] = (), force: bool = False,
                                   jurisdiction: str | None = None
                                   ) -> dict[tuple[str, str], UnitClassification]:  # fmt: skip
    """The quarters' classification from the months' (the object face of
    :func:`classify_year` with ``to="quarter"``), by ``(quarter, unit id)``.

    ``months`` and ``conclusions`` (for a quarter: ``Assessment(..., "2026-Q3",
    competent_grade=...)``) are as :func:`classify_organisation_year` takes them, the months
    of one year, of any of its quarters: every quarter with a month given is classified, in
    one call, as the frames are — a person who worked a month or less of a customs quarter
    is not evaluated in it, the month carried to the person's next quarter of the year (CV
    21169/CHQ-TCCB, the rule set's ``[rollup] period_short_months``), which only a call
    given both quarters can do. Where the rule set classifies the quarter (customs from
    Q3/2026), each head is capped at their unit's grade for the quarter, a deputy at the
    head's where the unit had late work, then the quota applies to the quarter; a quarter
    its set only scores (NĐ 335's) gets the months' mean and band, and its unit no grade.
    A person's quarter is in the unit of their last month of it.

    >>> from evalkit import Assessment, Organisation, Position, Staff, Unit
    >>> org = Organisation(units=[Unit("U", "Đội A", head_id="H")],
    ...                    positions=[Position("P", "Đội trưởng", manages_others=True)],
    ...                    staff=[Staff("H", "Trần Thị Hoa", "P", "U")])
    >>> import evalkit.rules
    >>> cq = evalkit.rules.get("vn.customs-2026q")
    >>> top = cq.full_marks(manages_others=True)
    >>> months = [classify_organisation(org, [Assessment("H", f"2026-{m:02d}",
    ...           competent_scores=top)], [UnitInputs("U", f"2026-{m:02d}",
    ...           tasks_assigned=10, tasks_done=8)], cq) for m in (7, 8, 9)]
    >>> q = classify_organisation_quarters(months)[("2026-Q3", "U")]
    >>> str(q.unit.period), q.unit.grade.code, q.result_of("H").grade.code
    ('2026-Q3', 'HTT', 'HTT')
    >>> q.result_of("H").reason_codes()
    ('band', 'rollup.average', 'cap.head_unit')
    """
    return _classify_periods(months, rules, "quarter", conclusions, force, jurisdiction)


def _classify_periods(months: Months, rules: RuleSet | str | None, to: Literal["year", "quarter"],
                      conclusions: Iterable[Assessment], force: bool, jurisdiction: str | None,
                      unit_year: Iterable[UnitInputs] = ()) -> dict[Any, UnitClassification]:
    """:func:`classify_organisation_year` (``to="year"``, with the units' ``unit_year``: by
    unit id) and :func:`classify_organisation_quarters` (by period and unit id)."""
    ucs = sorted((c for m in months for c in (m.values() if isinstance(m, Mapping) else (m,))),
                 key=lambda c: c.unit.period.start)  # the last month's unit, head and parent
    if len(years := {c.unit.period.year for c in ucs}) != 1:
        raise ModelError("the months must be of one year, not "
                         f"{', '.join(map(str, sorted(years))) or 'none given'}")
    staff = [(r, c) for c in ucs for r in c.staff]
    sm = _periods_frame([r for r, _ in staff], rules, None, ()).assign(
        unit_id=[c.unit.unit_id for _, c in staff], category=[r.category or "" for r, _ in staff],
        duty_group=pd.Series([r.duty_group for r, _ in staff], dtype=object),
        manages_others=[r.manages_others for r, _ in staff])
    units = pd.DataFrame([{**attrs.asdict(c.unit, recurse=False), "rule_set": c.unit.rule_set_id,
        **{k: getattr(c, k) for k in ("parent_id", "public_service_unit", "head_id")},
        "period": str(c.unit.period), "reasons": ";".join(c.unit.reason_codes()),
        **{g: getattr(c.unit, g) and getattr(c.unit, g).code for g in ("score_grade", "grade")}}
        for c in ucs])  # fmt: skip
    if uy := list(unit_year):  # the units' rows for the year (k5 b: recognised for the year)
        if other := [str(u.period) for u in uy if str(u.period) != str(*years)]:
            raise ModelError(f"unit_year must be for {years.pop()}, not {', '.join(other)}")
        units = pd.concat([units, pd.DataFrame([{"unit_id": u.unit_id, "period": str(u.period), **{
            c: u.column(c) for c in (*UNIT_INPUT_COLUMNS, *UNIT_FLAG_COLUMNS)}} for u in uy])])
    # the conclusions' competent_* columns are read
    year = classify_year(sm, units, rules, conclusions=assessments_to_frame(list(conclusions)),
                         to=to, force=force, jurisdiction=jurisdiction)
    known = year.attrs.get("rule_sets") or {}
    # each period's last month of each unit (its Period.quarter_of or Period.year_of)
    last = {(str(getattr(c.unit.period, f"{to}_of")()), c.unit.unit_id): c for c in ucs}
    graded: dict[Any, Any] = unit_year_grades(year, units, to, jurisdiction=jurisdiction).set_index(
        ["period", "unit_id"]).to_dict("index")
    members: dict[tuple[str, str], list[EvaluationResult]] = {}
    for r, uid in zip(results_from_frame(year), year["unit_id"], strict=True):
        members.setdefault((str(r.period), str(uid)), []).append(r)
    quotas, out = _quota_reports(year, known), {}
    for key, c in last.items():
        rec = {"period": key[0], "unit_id": key[1], **graded.get(key, {})}
        # the set the year graded the unit under (else the month's)
        rs = resolve(rec.get("rule_set") or c.unit.rule_set_id, known=known)
        band = None if (score := _opt(rec.get("score"))) is None else rs.band_for(score).grade
        # the year's reasons as the month's (evalkit.reasons)
        unit = _unit_result({**rec, "rule_set": rs.id, "classified": rs.classifies(key[0]),
                             "score_grade": band}, known)
        out[key[1] if to == "year" else key] = attrs.evolve(  # its tree: the last month's
            c, unit=unit, staff=tuple(members.get(key, ())), quotas=tuple(quotas.get(key, ())))
    return out
