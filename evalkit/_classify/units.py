"""The unit table: every unit-period's structure, score, grade and reasons.

A unit's score for a period (domain brief §3) is the weighted mean of the components
present — task completion, the scores of the evaluating bodies the rule set declares,
cross-evaluation, the satisfaction index, the administrative-reform index — plus bonus,
minus deduction, minus a deduction per overdue task and the inspection deductions,
clipped to ``[0, total]`` and rounded as the rule set says. Where an appraisal council
concluded a score (seed 004: units self-score, a council re-scores), the council's score
counts and the computed one is kept beside it (``computed_score``, ``self_score``).
The grade is the band of the score, then the conditions for HTXS (score, tasks done,
tasks exceeded, no sub-unit KHT, nobody disciplined under QĐ 366-QĐ/TW), then the
small-parent limit where switched on (NĐ 233/2026 Điều 7 k7 c) — bottom-up, level by level
of the tree.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _columns, _ids, _words, messages
from evalkit._classify.common import (
    HT,
    HTT,
    HTXS,
    KHT,
    BoolArray,
    FloatArray,
    IntArray,
    bools,
    categorical,
    cell,
    codes_in,
    floats,
    grades,
    join_reasons,
    per_rule,
    rank_within,
)
from evalkit._columns import value_problems
from evalkit._org import loops
from evalkit.errors import (
    InputError,
    InputProblem,
    ModelError,
    OrganisationError,
    UnknownReferenceError,
)
from evalkit.rules import RuleSet, default_registry
from evalkit.rules.blocks import band_codes, round_scores

__all__ = ["CONDITION_FLAGS", "KHT_FLAGS", "UNIT_BITS", "UNIT_COLUMNS", "UNIT_FLAG_COLUMNS",
           "UNIT_INPUT_COLUMNS", "at_unit", "expand_periods",
           "flag_problems", "quota_readers", "tree_checks", "unit_inputs",
           "unit_table", "value_problems"]  # fmt: skip

#: Input columns of a unit-period (besides ``body_<id>`` columns, one per declared body).
UNIT_INPUT_COLUMNS: dict[str, str] = {
    "tasks_assigned": "tasks assigned in the period (count)",
    "tasks_done": "tasks done (count, at most assigned)",
    "tasks_on_time": "tasks done on time (count, at most done; blank = all done on time)",
    "tasks_overdue": "tasks past their deadline and not done (count)",
    "tasks_exceeded": "tasks done beyond their target (count, at most done)",
    "cross_score": "cross-evaluation score 0-100 (districts, departments, enterprises)",
    "satisfaction": "satisfaction index 0-100 (e.g. SIPAS)",
    "reform_index": "administrative-reform index 0-100 (where the rule set weighs it)",
    "bonus": "bonus points (điểm thưởng)",
    "deduction": "deduction points (điểm trừ)",
    "inspection_deduction": "points deducted by inspection findings on the unit",
    "inspection_findings": "inspection findings on the unit in the period (count; a notice)",
    "self_score": "the unit's own score 0-100 (tự chấm), kept and shown",
    "council_score": "the appraisal council's score 0-100; counts instead of the computed one",
    "score": "old name of council_score",
    "staff_total": "the unit's staff in the period, those without a row included (count, at "
    "least its rows; blank = its rows): the base of a quota on all staff (Hà Nội)",
}

#: Boolean inputs of a unit-period.
UNIT_FLAG_COLUMNS: dict[str, str] = {
    "exceptional": "recognised by the competent level as especially outstanding (raises the quota)",
    "late_work": "the unit has late work this period (customs: a deputy not above the head)",
    "disciplined": "the unit as a collective was disciplined (QĐ 366-QĐ/TW Điều 11 k1)",
    "leadership_disciplined": "a member of its leadership collective was disciplined",
    "shortcomings_unremedied": "a shortcoming pointed out (NĐ 233/2026 Điều 7 k1 c; QĐ "
    "366-QĐ/TW Điều 11 k1) is not remedied (blank: remedied or none)",
    "personnel_wrongdoing": "concluded by the competent level to have wrongdoing in personnel "
    "work, disunity, factionalism, buying positions or power (NĐ 233/2026 Điều 7 k4 a)",
    "leadership_duty_disciplined": "a member of its leadership collective disciplined from "
    "reprimand for a violation related to the duties of the collective (QĐ 366-QĐ/TW Điều 11 "
    "k4; one transferred in for a violation elsewhere, or unrelated to the duties, not set)",
    "leadership_degraded": "a member of its leadership collective concluded by the competent "
    "level to show ideological, ethical or lifestyle degradation (QĐ 366-QĐ/TW Điều 11 k4)",
    "socioeconomic_targets_missed": "the units it directly leads missed the 5 basic socio-"
    "economic targets assigned or approved (QĐ 366-QĐ/TW Điều 11 k4; force majeure: not set)",
    "excellent_share_raised": "on a parent: the competent level decided a higher share of its "
    "sub-units rated HTXS for their outstanding results (NĐ 233/2026 Điều 7 k7 b, k8)",
}
#: The flags :func:`_excellent` judges the unit on, where its rule set reads them
#: (:meth:`evalkit.rules.RuleSet.unit_flags_read`; one set under a set that does not read it:
#: :func:`flag_problems`): NĐ 233/2026 Điều 7 k1 c, then the flags of :data:`KHT_FLAGS`.
CONDITION_FLAGS = ("shortcomings_unremedied", "personnel_wrongdoing",
                   "leadership_duty_disciplined", "leadership_degraded",
                   "socioeconomic_targets_missed")
#: The unit flag the engine itself writes in the unit results (the typed flag or a
#: disciplined head, under any set): never refused on a results row (:func:`flag_problems`).
_WRITTEN = "leadership_disciplined"

#: Unit flags :func:`unit_frame` passes through to the unit results when given (with the
#: task counts): the year's unit conditions are judged on them. ``leadership_disciplined``
#: is the engine's: typed, or a head or manager of the unit disciplined (:func:`unit_table`).
UNIT_PASS_FLAGS = ("disciplined", "leadership_disciplined", "late_work", "public_service_unit",
                   *CONDITION_FLAGS, "excellent_share_raised")
#: The unit is its own public service unit (đơn vị sự nghiệp công lập, NĐ 233/2026/NĐ-CP
#: Điều 3 k2, Điều 12 k6 b): who the unit is, not an input of the period; blank = not said
#: (:func:`service_tops`). :attr:`evalkit.model.Unit.public_service_unit`.
PSU = "public_service_unit"
#: Who a unit is, passed from the units frame to the unit results where given.
UNIT_IDENTITY = ("name", "governing_body", "place")

#: Reason bit → reason code of a unit result: bit ``1 << i`` is the i-th code.
UNIT_BITS: dict[int, str] = {1 << i: code for i, code in enumerate((
    "unit.not_evaluated", "unit.excellent_condition.score", "unit.excellent_condition.tasks_done",
    "unit.excellent_condition.exceeded", "unit.excellent_condition.subunit_kht",
    "unit.excellent_condition.discipline", "unit.small_parent", "unit.council",
    "inspection.deduction", "inspection.notice", "unit.kht_below_done",
    "unit.excellent_share", "unit.excellent_condition.on_time", "unit.band_condition.good",
    "unit.band_condition.fair", "unit.excellent_condition.shortcomings",
    "unit.kht_personnel_wrongdoing", "unit.kht_leadership_duty_disciplined",
    "unit.kht_leadership_degraded", "unit.kht_socioeconomic_targets_missed",
    "unit.excellent_share_raised"))}  # fmt: skip
(BIT_NOT_EVALUATED, BIT_SCORE, BIT_TASKS_DONE, BIT_EXCEEDED, BIT_SUBUNIT_KHT, BIT_DISCIPLINE,
 BIT_SMALL_PARENT, BIT_COUNCIL, BIT_INSPECTION, BIT_INSPECTION_NOTICE, BIT_KHT_DONE,
 BIT_SHARE, BIT_ON_TIME, BIT_GOOD, BIT_FAIR, BIT_SHORTCOMINGS, *_, BIT_SHARE_RAISED) = UNIT_BITS
#: Each unit flag that makes the unit KHT whatever its score where its set's switch
#: ``UnitPolicy.kht_<flag>`` is on, → the bit of its reason ``unit.kht_<flag>`` (NĐ 233/2026
#: Điều 7 k4 a; QĐ 366-QĐ/TW Điều 11 k4, the collective's cases): the month's and the year's.
KHT_FLAGS: dict[str, int] = {f: next(b for b, c in UNIT_BITS.items() if c == f"unit.kht_{f}")
                             for f in CONDITION_FLAGS[1:]}


#: Further columns a units frame may have besides :data:`UNIT_INPUT_COLUMNS`,
#: :data:`UNIT_FLAG_COLUMNS` and ``body_<id>``: who the unit is (the units sheet and the
#: organisation's CSV: ``name``, ``governing_body``, ``place``), its own rule set, what
#: :func:`evalkit.inspections.apply` and the task summary of :mod:`evalkit.io.tasks` add,
#: and the columns of :func:`evalkit.classify_frame`'s unit results (:func:`unit_frame`),
#: so a results frame fed back is read as the units it describes. Any other column is refused
#: (:func:`expand_periods`): a ``Tasks_Done`` or ``hoàn thành`` would otherwise be
#: ignored and the unit graded without it.
UNIT_COLUMNS: frozenset[str] = frozenset({
    # who the unit is
    "unit_id", "parent_id", "head_id", "period", "name", "unit_name", "governing_body", "place",
    "rule_set", "category", "jurisdiction", "public_service_unit",
    # what evalkit.inspections.apply and evalkit.io.tasks.task_components add
    "inspection_refs", "on_time_percent",
    # the unit results of classify_frame (unit_frame), fed back
    "depth", "computed_score", "tasks_percent", "done_percent", "exceeded_percent",
    "inspection_points", "score_grade", "grade", "classified", "reasons", "staff",
    "quota_base", "quota_cap", "quota_candidates", "quota_demoted",
})


def expand_periods(units: pd.DataFrame, periods: list[str], problems: list[InputProblem],
                   extra_columns: Sequence[str] = ()) -> pd.DataFrame | None:  # fmt: skip
    """One row per (unit, period) — from a units frame with or without a ``period``
    column — with its period code ``p`` and ``parent_id``/``head_id`` (blank when absent).

    The problems of the units frame itself are appended to ``problems``, all of them: a
    missing ``unit_id`` column (then None is returned), a column a units frame does not have
    (:data:`UNIT_COLUMNS`, :data:`UNIT_INPUT_COLUMNS`, :data:`UNIT_FLAG_COLUMNS`, any
    ``body_<id>`` — the bodies are checked against each unit's rule set by the engine),
    with a "did you mean" suggestion (:func:`evalkit._columns.unknown_columns`, the staff
    frames' check; ``extra_columns`` and names starting with ``_`` or ``x_`` are the
    user's own), a blank or bad ``period`` (that row is left out), a blank unit id.
    ``units`` is a frame (the caller checked it).

    >>> import pandas as pd
    >>> problems: list[InputProblem] = []
    >>> _ = expand_periods(pd.DataFrame({"unit_id": ["U"], "task_done": [3]}), [], problems)
    >>> print(problems[0].message)  # doctest: +ELLIPSIS
    unknown column 'task_done' (did you mean 'tasks_done'?): it is not a column of a units ...
    """
    found = _columns.Problems(units, id_column="unit_id")  # each row's problem names its unit
    known = UNIT_COLUMNS | set(UNIT_INPUT_COLUMNS) | set(UNIT_FLAG_COLUMNS)
    meant = (known - {"score"}) | {f"body_{b}" for rs in default_registry()
                                   for b in rs.units.body_ids()}
    _columns.unknown_columns(units, found, known=known, meant=meant, kind="units",
                             extra=extra_columns, also_known=lambda name: name.startswith("body_"))
    _ids.name_problems(units, _words.UNIT_NAME_COLUMNS, found)  # printed on the sheets
    if dated := "period" in units.columns and len(units) > 0:  # row problems only
        p_codes, p_labels = _columns.periods(units, "period", found, required=True)
    if "unit_id" not in units.columns:  # a whole-frame problem, after the unknown columns
        found.add_frame("the units frame needs a 'unit_id' column", column="unit_id")
        problems.extend(found.in_order())
        return None
    # blank ids, once per row of the frame as given
    found.add_rows(np.flatnonzero(_columns.blank_ids(units["unit_id"])), "unit_id",
                   units["unit_id"], "unit id is blank")  # fmt: skip
    problems.extend(found.in_order())
    if dated:  # the rows of a good period
        take = np.flatnonzero(p_codes >= 0)
        allp = periods + [lbl for lbl in p_labels if lbl not in periods]
        p = np.array([allp.index(lbl) for lbl in p_labels], dtype=np.int64)[p_codes[take]]
    else:  # every row once per period
        allp = periods or [""]
        take = np.tile(np.arange(len(units)), len(allp))
        p = np.repeat(np.arange(len(allp), dtype=np.int64), len(units))
    ut = units.iloc[take].reset_index(drop=True).assign(  # each row's label in the units frame
        source_row_=np.asarray(units.index, dtype=object)[take], p=p,
        period=np.array(allp, dtype=object)[p])
    for c in ("parent_id", "head_id"):
        if c not in ut.columns:
            ut[c] = None
        elif (empty := _columns.blank_ids(ut[c]) & ut[c].notna().to_numpy()).any():
            ut[c] = ut[c].astype(object).where(~empty, None)  # '' or spaces: a blank cell
    return ut


#: A problem of the unit tree: its place in the units frame, and the error it raises alone.
Structural = tuple[InputProblem, ModelError]


def tree_checks(ut: pd.DataFrame, strict: bool = True
                ) -> tuple[IntArray, IntArray, list[InputProblem], list[Structural]]:  # fmt: skip
    """Each unit-period's parent row (-1: none) and depth, after the checks of
    :class:`~evalkit.model.Organisation`, vectorised per period, with the same messages (not
    ``strict``: a parent with no row for the period counts as none); the rows of a
    unit given twice in a period (capped), and every problem of the tree — each unit its own parent,
    each unknown parent (``strict``), each cycle once (a cycle repeated in every period is
    one), each named at its row of the units frame — with the links they break cut (a
    unit given twice is looked up at its first row), so the rest of the checks can run."""
    ids = ut["unit_id"].astype(str)
    code, index = pd.factorize(ids)
    p = ut["p"].to_numpy()
    P = int(p.max(initial=0)) + 1
    key = code * P + p
    # each row's row of the units frame (a frame of unit-periods of its own: its rows)
    ut = ut if "source_row_" in ut.columns else ut.assign(source_row_=ut.index)
    blank = _columns.blank_ids(ut["unit_id"])  # a blank id: a problem said elsewhere
    second = pd.Series(key).duplicated().to_numpy() & ~blank  # the row too many
    # (the cells read where a problem is: a bad input may have many, a sound one none)
    idl, perl, parl = (functools.partial(cell, c) for c in (ids, ut["period"], ut["parent_id"]))
    twice = _columns.capped([at_unit(ut, i, "unit_id", idl(i), f"unit appears more than once in "
                                     f"{perl(i)}") for i in np.flatnonzero(second).tolist()])
    first = np.flatnonzero(~second & ~blank)  # (a blank id is nobody's parent: its code -1)
    pcode = codes_in(ut["parent_id"], index)  # -1: blank, or not a unit (any period)
    # the parent's first row in the period (-1: none; a parent that is no unit keys no row)
    prow = np.append(first, -1)[pd.Index(key[first]).get_indexer(pcode * P + p)]
    own = (pcode == code) & ~blank
    prow[own] = -1
    unknown = ut["parent_id"].notna().to_numpy() & (prow < 0) & ~own & ~blank & strict
    # a row of the units frame, or (None, a cycle) → its first ut row and the problem
    found: dict[Any, tuple[int, Structural]] = {}

    def add(i: int, key: Any, error: ModelError) -> None:  # each key once: its first row
        found.setdefault(key, (i, (at_unit(ut, i, "parent_id", parl(i), str(error)), error)))

    def at(i: int) -> str:  # the period of row i, where the frame has one
        return f" ({label})" if (label := perl(i)) else ""

    # once a row of the units frame (a frame without periods repeats its rows; a row is
    # its own parent in every period or in none)
    for i in np.flatnonzero(own | unknown).tolist():
        add(i, _columns.row_label(ut["source_row_"].iloc[i]), UnknownReferenceError(
            f"unit {idl(i)!r} has unknown parent unit {str(parl(i))!r}{at(i)}") if unknown[i]
            else OrganisationError(f"unit {idl(i)!r} cannot be its own parent"))
    # a chain that never ends: every one, each cycle named once, in the words of
    # Organisation's check (found before any loop is cut)
    for r in [ring.tolist() for ring in loops(prow)]:
        path = " -> ".join(ids.iloc[[*r, r[0]]])
        add(r[0], (None, path), OrganisationError(f"units form a cycle: {path}{at(r[0])}"))
        prow[r] = -1  # the loop cut (each of its units a root: no chain as long as it)
    depth = _climb(prow)[0]
    # in the units frame's order (a frame without periods: its rows, the first period's)
    order = pd.factorize(ut["source_row_"])[0] if found else np.zeros(0, dtype=np.int64)
    return prow, depth, twice, [v for _, v in sorted(found.values(), key=lambda x: order[x[0]])]


def service_tops(parent_row: IntArray, rcode: IntArray, marked: BoolArray) -> IntArray:
    """Each unit row's public service unit, as a row: its topmost ancestor reached through
    parents under the same rule set (``rcode``; -1, a unit with nobody to say it, joins
    either) — a root its own. NĐ 233/2026/NĐ-CP Điều 12 k6 b raises the quota where the
    *đơn vị sự nghiệp công lập* is recognised HTXS, not its constituent units (Điều 3 k2: a
    khoa, a phòng): a hospital's khoa reach the hospital, while a centre under a Sở (its
    people công chức, another rule set) stops at the centre.

    ``marked`` (the units' ``public_service_unit``) settles it where the walk cannot (a
    university's member schools, all of one rule set): a marked unit is its own public
    service unit — its link up is cut, so the walk never goes above it, and a marked unit
    under another marked unit is its own — and an unmarked one reaches the nearest marked
    unit above it through the same chain. Nobody marked: the walk alone, as before."""
    r = np.append(rcode, -1)[parent_row]
    link = np.where(((r == rcode) | (r < 0) | (rcode < 0)) & ~marked, parent_row, -1)  # (root: -1)
    return _climb(link)[1]


def _climb(link: IntArray) -> tuple[IntArray, IntArray]:
    """Each row's depth (how many links up to the end of its chain) and the row at that end
    (itself where its link is -1), walking up ``link`` (each row's parent row, -1: none) one
    level at a time for every row at once: :func:`tree_checks` (the parents) and
    :func:`service_tops` (the links under one rule set). The chains must end (the tree's
    cycles are cut)."""
    depth, top, anc = np.zeros(len(link), dtype=np.int64), np.arange(len(link)), link
    while (anc >= 0).any():
        depth, top = depth + (anc >= 0), np.where(anc >= 0, anc, top)
        anc = np.append(link, -1)[anc]  # the parent's parent; -1 (none) picks the -1 added
    return depth, top


def inherited_sets(parent_row: IntArray, rcode: IntArray, marked: BoolArray,
                   sets: Sequence[RuleSet]) -> tuple[IntArray, IntArray]:
    """Each unit row's rule set (a code into ``sets``) where ``rcode`` gives none (-1: nobody
    in it, no set on its row): a unit marked a public service unit (``marked``), the set of
    the units it is the public service unit of, as NĐ 233/2026/NĐ-CP Điều 7 grades a đơn vị
    sự nghiệp công lập by its own units; else its parent's (walking up), as the parent counts
    it; else the set of the units it is the public service unit of, as the unit it is the top
    of; -1 where none (a tie: the id sorting first). With each row's :func:`service_tops`
    under the sets so filled in — never across two sets: a unit nobody is in joins the side
    it is graded under, as :func:`unit_table` walks the month's. The month's units and the
    year's, one rule in one order."""
    by_id = np.argsort([rs.id for rs in sets], kind="stable")
    top, rank = service_tops(parent_row, rcode, marked), np.append(np.argsort(by_id), len(sets))
    # the first set by id among the units of each row's top (a unit left without one after
    # the walk up has none above it: its top's units hold only their own sets)
    first = np.append(by_id, -1)[pd.Series(rank[rcode]).groupby(top).transform("min").to_numpy()]
    fill = np.where((rcode < 0) & marked, first, rcode)
    while ((fill < 0) & ((up := np.append(fill, -1)[parent_row]) >= 0)).any():  # its parent's
        fill = np.where(fill < 0, up, fill)
    fill = np.where(fill < 0, first, fill)
    return fill, service_tops(parent_row, fill, marked)


def unit_inputs(ut: pd.DataFrame, sets: Sequence[RuleSet], rcode: IntArray,
                quota_read: BoolArray | None = None) -> tuple[
                    list[str], dict[str, FloatArray], dict[str, BoolArray], list[InputProblem]]:
    """The inputs of the unit-periods (:func:`expand_periods`) under their rule sets
    (``sets[rcode]``; -1: none, not judged; read also, the engine not run, for a call that
    has other problems to report with them): the bodies of the ``body_<id>`` columns, the
    numbers (:data:`UNIT_INPUT_COLUMNS` and each body's ``body_<id>``; NaN where absent,
    blank or not a number), the flags (:data:`UNIT_FLAG_COLUMNS`, False where absent or
    blank), and every problem of theirs together — each body a unit gives a score for that
    its rule set does not declare, text that is not a number, a flag that is not yes/no, a
    ``grade`` or ``score_grade`` (a results frame fed back) that is no grade, the impossible
    values of :func:`value_problems`, each flag its rule set does not read
    (:func:`flag_problems`)."""
    names = [c[5:] for c in ut.columns if isinstance(c, str) and c.startswith("body_")]
    given = {name: ut[f"body_{name}"].notna().to_numpy() for name in names}
    problems = [InputProblem(messages.text(
        "foreign.unit.body_undeclared_hint" if (hint := _columns.did_you_mean(name, declared))
        else "foreign.unit.body_undeclared", "en", body=repr(name), rules=repr(rs.id),
        declared=", ".join(declared) or "none", hint=hint), column=f"body_{name}")
        for name in names for i, rs in enumerate(sets)
        if name not in (declared := rs.units.body_ids()) and (given[name] & (rcode == i)).any()]
    frame = ut.set_axis(ut["source_row_"])  # each problem names its row of the units frame
    found = _columns.Problems(frame, id_column="unit_id")
    cols = {c: _columns.numbers(frame, c, found)
            for c in [*UNIT_INPUT_COLUMNS, *(f"body_{b}" for b in names)]}
    flags = {c: _columns.booleans(frame, c, found) for c in (*UNIT_FLAG_COLUMNS, PSU)}
    # a unit grade fed back (the results' ``grade``, ``score_grade``) is checked as the year
    # reads it (evalkit._classify.year), on every unit, one nobody is in too: a bad one refused
    for c in ("grade", "score_grade"):
        _columns.grades(frame, c, found)
    # a units frame without ``period`` is repeated for every period: each cell named once
    problems += {(p.row, p.column, p.message): p for p in found.in_order()}.values()
    for mask, column, msg in value_problems(cols):  # (none: the texts are not read)
        # each value as typed (9, not the number read 9.0)
        problems += _columns.capped([at_unit(ut, i, column, v, messages.text(
            "foreign.unit.in_period", "en", text=msg, period=ut["period"].iloc[i]))
            for i, v in zip(np.flatnonzero(mask).tolist(), ut[column][mask].tolist(), strict=True)])
    return names, cols, flags, [*problems, *flag_problems(ut, sets, rcode, quota_read=quota_read)]


def flag_problems(ut: pd.DataFrame, sets: Sequence[RuleSet], rcode: IntArray,
                  results: BoolArray | None = None,
                  quota_read: BoolArray | None = None) -> list[InputProblem]:  # fmt: skip
    """A problem for each unit-period (:func:`expand_periods`) that sets a unit flag of
    :attr:`evalkit.rules.RuleSet.UNIT_FLAGS` (read as :func:`unit_inputs` reads them)
    which its rule set (``sets[rcode]``; -1: none, not judged) does not read: the unit would
    be graded as if it were blank (as an evaluating body the set does not declare,
    :func:`unit_inputs`, it is refused). ``results`` marks the rows of a results frame read
    back (the year, the archive): the flag the engine writes there (:data:`_WRITTEN`) is
    its own, not an input. ``quota_read`` marks the rows one of whose people counts under a
    quota that reads ``exceptional`` (:func:`quota_readers`; the quota is the people's, a
    unit of a mixed organisation under another set included). ``excellent_share_raised`` is
    read on a unit that is the parent (``parent_id``) of a unit whose set reads it (a Sở
    under NĐ 335 over public service units under NĐ 233: the sub-units' share, k7 b).
    Each names the row, the unit, the flag, its value as typed, the
    period and the rule set, and the sets that read it; a row repeated for several periods
    once."""
    names, mine = list(RuleSet.UNIT_FLAGS), np.zeros(len(ut), bool) if results is None else results
    flags = {f: _columns.booleans(ut, f, _columns.Problems(ut)) for f in names}  # (said there)
    if not any(v.any() for v in flags.values()):  # no flag set (the usual case): none unread
        return []
    # what a row's set reads for its period (Hà Nội's 40 % is the month's: QĐ 3814; no
    # period: any); no set (-1): not judged
    pinv, pers = pd.factorize(ut["period"], use_na_sentinel=False)  # (no sort)
    unread = ~np.array([_reading(sets, names, str(p)) for p in pers.tolist()], bool).reshape(
        -1, len(sets) + 1, len(names))[pinv, rcode] & (rcode >= 0)[:, None]  # (no rows: none)
    people = np.zeros(len(ut), bool) if quota_read is None else quota_read
    # a period's own set read it then: the set a results row's ``rule_set`` names (a month's
    # or a quarter's, classified under it); a row naming no set, or one not found, none
    # (no column: no set; a blank: -1, the last row, no set)
    inv, ids = pd.factorize(ut.get("rule_set", pd.Series(None, index=ut.index, dtype=object)))
    known = {rs.id: rs for rs in (*default_registry(), *sets)}
    own = _reading([known.get(str(i)) for i in ids.tolist()], names)[inv] & mine[:, None]
    if "parent_id" in ut.columns:  # the sub-units' share: read where a sub-unit's set reads it
        j = names.index("excellent_share_raised")
        below = ut["parent_id"][~unread[:, j] & ut["parent_id"].notna().to_numpy()]
        own[:, j] |= ut["unit_id"].astype(str).isin(below.astype(str)).to_numpy()
    hits = np.column_stack([flags[f] & unread[:, j] & ~(mine & (f == _WRITTEN)) & ~own[:, j]
                            & ~(people & (f == "exceptional")) for j, f in enumerate(names)])
    out: dict[tuple[Any, str], InputProblem] = {}
    for i, j in np.argwhere(hits).tolist():  # in row order, then the flags' order
        f, p = names[j], str(pers[pinv[i]])
        said = at_unit(ut, i, f, cell(ut[f], i), messages.text(  # as typed
            "foreign.unit.flag_unread", "en", unit=str(ut["unit_id"].iloc[i]), flag=f, period=p,
            rules=sets[int(rcode[i])].id, readers=", ".join(  # the sets that read it then
                r.id for r in default_registry() if f in r.unit_flags_read(p)) or "none"))
        out.setdefault((said.row, f), said)
    return _columns.capped(list(out.values()))


def at_unit(ut: pd.DataFrame, i: int, column: str, value: Any, message: str) -> InputProblem:
    """``message`` at the unit-period ``i`` of ``ut`` (:func:`expand_periods`): its row of the
    units frame and its unit id."""
    return InputProblem(message, row=_columns.row_label(ut["source_row_"].iloc[i]), column=column,
                        value=value, unit_id=str(ut["unit_id"].iloc[i]))


def _reading(sets: Sequence[RuleSet | None], names: Sequence[str], period: str = "") -> BoolArray:
    """Per set of ``sets`` (None: no set), then a last row for no set (the code -1), and per
    unit flag of ``names``: whether the set reads the flag for ``period`` (a period or a
    kind; "": any; :meth:`evalkit.rules.RuleSet.unit_flags_read`; no set: False)."""
    return np.array([[f in r for f in names] for r in [*(() if rs is None else rs.unit_flags_read(
        period) for rs in sets), ()]], dtype=bool).reshape(len(sets) + 1, len(names))  # once a set


def quota_readers(sets: Sequence[RuleSet], rule: IntArray, kind: str = "") -> BoolArray:
    """Whether each person (``rule``: their set's code into ``sets``; -1: none) counts under a
    quota that reads the unit flag ``exceptional`` (for a period of ``kind``; "": any;
    :func:`flag_problems`)."""
    return np.asarray(_reading(sets, ["exceptional"], kind)[rule, 0])


def unit_table(ut: pd.DataFrame, sets: Sequence[RuleSet], rcode: IntArray,
               leader_disciplined: BoolArray, parent_row: IntArray, depth: IntArray,
               quota_read: BoolArray | None = None) -> pd.DataFrame:
    """Validate the unit-periods (:func:`expand_periods`) and grade them bottom-up.

    ``sets``/``rcode`` give each row its rule set (computed by the caller from the units
    frame and the staff); ``leader_disciplined`` marks the rows whose head or a member who
    manages others was disciplined (with the typed flag: ``leadership_disciplined`` of the
    results where any is set or the column was given). Returns the rows with
    ``depth``, ``parent_row``, ``score``, ``computed_score``, ``score_grade_code``,
    ``grade_code``, ``bits``, ``rule``, ``top_row`` (:func:`service_tops`) … ``parent_row``
    and ``depth``: the parent rows and depths of :func:`tree_checks`.
    """
    bodies, cols, flags, bad = unit_inputs(ut, sets, rcode, quota_read)
    if bad:
        raise InputError(bad)
    out: dict[str, Any] = {}
    for i, rs in enumerate(sets):  # every row has its rule set (``rcode``): every row is set
        rows = np.flatnonzero(rcode == i)
        for name, v in _kernel(rs, {c: x[rows] for c, x in (cols | flags).items()}, bodies).items():
            out.setdefault(name, np.empty(len(ut), dtype=v.dtype))[rows] = v
    lead = flags["leadership_disciplined"] | leader_disciplined
    _bottom_up(sets, rcode, parent_row, depth, ut["unit_id"], out["score"],  # (in place)
               out["score_grade_code"], out["grade_code"], out["bits"], flags["disciplined"],
               lead, flags["excellent_share_raised"])
    if lead.any() or "leadership_disciplined" in ut.columns:  # the year reads it (any band)
        out["leadership_disciplined"] = lead
    return _columns.with_columns(ut, {
        "depth": depth, "parent_row": parent_row,
        "top_row": service_tops(parent_row, rcode, flags[PSU]), "rule": rcode, **out,
        "self_score_": cols["self_score"], "inspection_points": cols["inspection_deduction"],
        "exceptional_": flags["exceptional"], "late_work_": flags["late_work"]})


def _bottom_up(sets: Sequence[RuleSet], rcode: IntArray, parent_row: IntArray, depth: IntArray,
               unit_ids: pd.Series, score: FloatArray, sg: npt.NDArray[np.int8],
               grade: npt.NDArray[np.int8], bits: IntArray, disciplined: BoolArray,
               lead_disc: BoolArray, raised: BoolArray) -> None:  # fmt: skip
    """The unit HTXS conditions judged on the tree, bottom-up, level by level: nobody
    disciplined (QĐ 366-QĐ/TW Điều 11 k1: a sub-unit ``disciplined`` or the unit's
    leadership ``lead_disc``), no sub-unit KHT, then the sub-units' share of HTXS (NĐ
    233/2026 Điều 7 k7, k8, where the sub-units' own set switches it on: among a parent's
    sub-units under such a set, at most ``small_parent_max_excellent`` HTXS under a parent
    with fewer than ``small_parent_threshold`` of them (k7 c), else at most
    ``excellent_share_percent`` % of those rated HTT, floor (k7 a), or
    ``excellent_share_raised_percent`` % where the parent is ``raised`` (the competent
    level decided the higher share, k7 b); of the HTXS the higher
    score, then the lower unit id, keeps HTXS). One implementation for the month
    (:func:`unit_table`) and the year (``evalkit._classify.year._unit_year``): ``sg`` is the
    band of ``score``, ``grade``/``bits`` what the score conditions left (both changed in
    place)."""
    m, pol = len(score), [rs.units for rs in sets]
    need_sub = per_rule(pol, rcode, lambda u: u.excellent_requires_no_subunit_kht)
    need_disc = per_rule(pol, rcode, lambda u: u.excellent_requires_no_discipline)
    # the small-parent limit where switched on (both set), else a threshold 0 no count is below
    thr = per_rule(pol, rcode, lambda u: (u.small_parent_max_excellent is not None
                                          and u.small_parent_threshold) or 0, np.int64)
    lim = per_rule(pol, rcode, lambda u: u.small_parent_max_excellent or 0, np.int64)
    has_parent = parent_row >= 0
    child_disc = np.bincount(parent_row[has_parent & disciplined], minlength=m) > 0

    def demote(rows: IntArray, bit: Any) -> None:  # the reason said; an HTXS graded HTT
        bits[rows] |= bit
        grade[rows[grade[rows] == HTXS]] = HTT  # (never raises a unit KHT by its own tasks)

    demote(np.flatnonzero(need_disc & (sg == HTXS) & (child_disc | lead_disc)), BIT_DISCIPLINE)
    # the sub-units counted, by their own set (NĐ 233 Điều 7 k7 counts the public service
    # units under a parent — a Sở of công chức over hospitals too — not its phòng)
    share = per_rule(pol, rcode, lambda u: u.excellent_share_percent or np.nan, np.float64)
    higher = per_rule(pol, rcode, lambda u: u.excellent_share_raised_percent or np.nan, np.float64)
    up = has_parent & raised[np.maximum(parent_row, 0)] & ~np.isnan(higher) & ~np.isnan(share)
    share = np.where(up, higher, share)  # k7 b: the share the parent's competent level decided
    on = has_parent & ((thr > 0) | ~np.isnan(share))
    small = on & (np.bincount(parent_row[on], minlength=m)[np.maximum(parent_row, 0)] < thr)
    uid = unit_ids.astype(str).to_numpy()  # the ids as text: lexsort compares them
    for d in range(int(depth.max(initial=0)), -1, -1):
        level = depth == d
        kht_parent = np.bincount(parent_row[(depth == d + 1) & (grade == KHT)], minlength=m) > 0
        demote(np.flatnonzero(level & need_sub & kht_parent & (sg == HTXS)), BIT_SUBUNIT_KHT)
        idx = np.flatnonzero(level & on & (grade == HTXS))  # (no share: a cap NaN keeps all)
        htt = np.bincount(parent_row[level & on & (grade == HTT)], minlength=m)[parent_row[idx]]
        cap = np.where(small[idx], lim[idx], np.floor(share[idx] * htt / 100 + 1e-9))
        drop = idx[rank_within(parent_row[idx], -score[idx], uid[idx]) >= cap]
        demote(drop, np.where(small[drop], BIT_SMALL_PARENT,
                              np.where(up[drop], BIT_SHARE_RAISED, BIT_SHARE)))


def _kernel(rules: RuleSet, cols: Mapping[str, npt.NDArray[Any]],
            bodies: Sequence[str]) -> dict[str, Any]:  # fmt: skip
    """Score and band the unit-periods of one rule set (columns and flags validated)."""
    pol = rules.units
    council = np.fmax(cols["council_score"], cols["score"])  # the one given (never both)
    assigned, done = cols["tasks_assigned"], cols["tasks_done"]
    on_time = np.fmin(cols["tasks_on_time"], done)  # blank: all done (never above done)
    # the parts and their weights (a weight 0 counts no part)
    w = np.maximum([pol.tasks_weight, *map(pol.body_weight, bodies), pol.cross_weight,
                    pol.satisfaction_weight, pol.reform_weight], 0.0)[:, None]
    # no task assigned: no share; no part given: 0 / 0, not weighted
    with np.errstate(invalid="ignore", divide="ignore"):
        credited = on_time + pol.late_credit * (done - on_time)
        tasks_pct, done_pct, exc_pct, on_pct = (
            np.where(assigned > 0, 100.0 * x / assigned, np.nan)
            for x in (credited, done, cols["tasks_exceeded"], on_time))
        tasks_pct = np.clip(tasks_pct, 0, 100)
        vals = np.array([tasks_pct, *(cols[f"body_{b}"] for b in bodies), cols["cross_score"],
                         cols["satisfaction"], cols["reform_index"]])
        weighted = np.nansum(vals * w, axis=0) / (w * ~np.isnan(vals)).sum(axis=0)
    inspection = np.nan_to_num(cols["inspection_deduction"])
    adj = (np.nan_to_num(cols["bonus"]) - np.nan_to_num(cols["deduction"])
           - pol.overdue_deduction * np.nan_to_num(cols["tasks_overdue"]) - inspection)
    computed = round_scores(np.clip(weighted + adj, 0.0, rules.total), rules.scoring)
    use_council = ~np.isnan(council) & pol.council_overrides
    score = np.where(use_council, council, computed)
    evaluated = ~np.isnan(score)
    sg, grade, bits = _excellent(rules, score, done_pct, exc_pct, on_pct, cols)
    found = evaluated & (cols["inspection_findings"] > 0) & rules.inspections.notice
    bits |= (use_council * BIT_COUNCIL | found * BIT_INSPECTION_NOTICE
             | (~use_council & evaluated & (inspection > 0)) * BIT_INSPECTION)
    return {"score": score, "computed_score": computed, "tasks_percent": tasks_pct,
            "done_percent": done_pct, "exceeded_percent": exc_pct, "on_time_percent": on_pct,
            "score_grade_code": sg, "grade_code": grade, "bits": bits, "council_score_": council}


def _excellent(rules: RuleSet, score: FloatArray, done_pct: FloatArray, exc_pct: FloatArray,
               on_pct: FloatArray, marks: Mapping[str, npt.NDArray[Any]]
               ) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8], IntArray]:  # fmt: skip
    """The band of each unit's ``score`` and the unit's own HTXS conditions (the score, the
    share of tasks done, done on time, exceeded; a share not known fails its condition; k1 c:
    ``marks["shortcomings_unremedied"]``), then KHT below ``kht_below_done_percent`` of the
    tasks done (NĐ 233/2026 Điều 7 k4 b; a share not known does not apply it) or for a flag of
    :data:`KHT_FLAGS` its switch reads (k4 a; QĐ 366-QĐ/TW Điều 11 k4), then the other
    conditions of HTT and HT for a unit whose score is in their band (k2, k3: said, the grade kept — k5 leaves the level to the
    competent level; a share not known is not said): ``(score grade, grade, bits)``. The month's and the year's, one
    implementation."""
    # sg: -1 for NaN, not evaluated
    pol, sg = rules.units, band_codes(rules.bands, score)
    bits = np.where(np.isnan(score), BIT_NOT_EVALUATED, 0).astype(np.int64)
    xs = sg == HTXS
    for pct, need, bit in ((score, pol.excellent_min_score, BIT_SCORE),
                           (done_pct, pol.excellent_tasks_done_percent, BIT_TASKS_DONE),
                           (on_pct, pol.excellent_on_time_percent, BIT_ON_TIME),
                           (exc_pct, pol.excellent_exceeded_percent, BIT_EXCEEDED)):
        if need is not None:
            bits |= np.where(xs & ~(pct >= need - 1e-9), bit, 0)
    bits |= np.where(xs & marks["shortcomings_unremedied"]
                     & pol.excellent_requires_shortcomings_remedied, BIT_SHORTCOMINGS, 0)
    # on time is said where a task was done late (the tasks not done are said once)
    bits &= ~np.where(((bits & BIT_TASKS_DONE) > 0) & (on_pct >= done_pct - 1e-9), BIT_ON_TIME, 0)
    grade = np.where(xs & (bits != 0), np.int8(HTT), sg)  # a condition failed
    # the shares of k4 b, k2 and k3 the set gives (off: NaN, never applied nor said)
    low, on, done, late = (np.nan if v is None else v for v in (pol.kht_below_done_percent,
        pol.good_on_time_percent, pol.fair_done_percent, pol.fair_late_max_percent))  # fmt: skip
    for kht, bit in ((done_pct < low - 1e-9, BIT_KHT_DONE),  # below the share (NaN: no)
                     *((marks[f] & getattr(pol, f"kht_{f}"), b) for f, b in KHT_FLAGS.items())):
        bits |= np.where((sg >= 0) & kht, bit, 0)  # evaluated
        grade = np.where((sg >= 0) & kht, np.int8(KHT), grade)
    # k5: the score in the band of k2 (k3) and graded so (not a unit of the HTXS band
    # graded HTT: its condition is said above)
    band = np.where(sg == grade, grade, -1)
    bits |= ((band == HTT) & (on_pct < on - 1e-9)) * BIT_GOOD
    bits |= ((band == HT) & ((done_pct < done - 1e-9) | (100 - on_pct > late + 1e-9))) * BIT_FAIR
    return sg, grade, bits


def unit_frame(ut: pd.DataFrame, sets: Sequence[RuleSet], classified: BoolArray,
               quota: Mapping[str, IntArray] | None, staff_count: IntArray) -> pd.DataFrame:  # fmt: skip
    """The public unit results frame of :func:`evalkit.classify_frame`."""
    cols: dict[str, Any] = {c: ut[c].array for c in ("unit_id", "period")}
    cols["rule_set"] = categorical(ut["rule"].to_numpy(), [r.id for r in sets])
    # who the unit is, as given (the units sheet's name, governing body and place): what
    # the sheets print in the unit's header and date line
    cols |= {c: ut[c].array for c in ("parent_id", "head_id", *UNIT_IDENTITY) if c in ut.columns}
    cols |= {c.rstrip("_"): ut[c].to_numpy() for c in (
        "depth", "score", "computed_score", "self_score_", "council_score_", "tasks_percent",
        "done_percent", "exceeded_percent", "on_time_percent")}
    # the task counts and discipline flags as given (only where the inputs have them):
    # what the year's conditions are judged on (``evalkit._classify.year._unit_year``)
    cols |= {c: floats(ut, c) for c in UNIT_INPUT_COLUMNS if c.startswith("tasks_") and c in ut}
    cols |= {c: bools(ut, c) for c in UNIT_PASS_FLAGS if c in ut.columns}
    cols |= {c.rstrip("_"): ut[c].to_numpy() for c in ("inspection_points", "exceptional_")}
    cols |= {"score_grade": grades(ut["score_grade_code"].to_numpy()),
             "grade": grades(ut["grade_code"].to_numpy()), "classified": classified,
             "reasons": join_reasons(None, ut["bits"].to_numpy(), UNIT_BITS), "staff": staff_count}
    return pd.DataFrame({**cols, **(quota or {})})
