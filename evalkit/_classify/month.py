"""Staff-periods of a whole organisation: the engine of :func:`evalkit.classify_frame`.

The order of one period (domain brief §3):

1. each person gets the rule set in force for their category and the period (or the one
   named for everyone);
2. units are graded bottom-up (:mod:`evalkit._classify.units`);
3. everyone is scored (one kernel, :mod:`evalkit._kernels`); then the leaders, level by
   level of the management chain (those under them first), get the management component
   (d) from the scores of the staff under their authority — a typed d that differs is
   reported, never silently replaced;
4. where the rule set classifies the period, the steps of :mod:`evalkit._classify.steps`:
   the competent level's conclusion, the head cap, the deputy cap, the quota. Where it
   only scores the period, the grade is the band (with the disqualifiers) as information.

Everything works on columns: integer codes, ``bincount``, one ``lexsort`` per quota, and
loops over *levels* (of the unit tree and of the management chain) and over rule sets —
never over rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NoReturn

import numpy as np
import pandas as pd

from evalkit import _columns, _ids, _kernels, messages
from evalkit._classify.common import (
    BoolArray,
    IntArray,
    categorical,
    codes_in,
    custom_sets,
    floats,
    found_set,
    frame_of,
    grades,
    id_texts,
    join_reasons,
    per_rule,
    per_rule_period,
    take,
    texts,
)
from evalkit._classify.quota import deduction_columns, unlisted_staff
from evalkit._classify.steps import (
    F_MGMT_D,
    F_MGMT_DEFAULT,
    F_MGMT_TYPED,
    F_QUOTA,
    STAFF_FLAGS,
    run_steps,
)
from evalkit._classify.units import (
    PSU,
    Structural,
    at_unit,
    expand_periods,
    inherited_sets,
    quota_readers,
    tree_checks,
    unit_frame,
    unit_inputs,
    unit_table,
)
from evalkit._org import effective_managers, loops
from evalkit.errors import InputError, InputProblem, OrganisationError
from evalkit.model import Position
from evalkit.rules import RuleSet
from evalkit.scoring import (
    INPUT_FLAGS,
    LEVEL_PREFIXES,
    YES_NO_FLAGS,
    assign_unit_rule_sets,
    cell_problems,
    checked_rule_sets,
    counting_from_levels,
    management_duty,
    management_only_inputs,
    read_flags,
    score_assigned,
    score_levels,
    with_assumed_category,
)

__all__ = ["classify_frame"]
_KEYS = ("staff_id", "unit_id", "period")

def classify_frame(staff_months: pd.DataFrame, units: pd.DataFrame,
                   rules: RuleSet | str | None = None, *, force: bool = False,
                   options: Mapping[str, bool] | None = None,
                   positions: Mapping[str, Position] | None = None,
                   jurisdiction: str | None = None, extra_columns: Sequence[str] = (),
                   known_staff: Iterable[Any] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Classify a whole organisation, vectorised: ``(staff_results, unit_results)``.

    ``staff_months`` has one row per person and period: ``staff_id`` (a column, or the
    index named ``staff_id``, as :func:`evalkit.score_frame` reads it), ``period``,
    ``unit_id``, the criterion columns and flags of :data:`evalkit.scoring.FRAME_COLUMNS`
    (``category``, or a ``rule_set`` of the row's own, to find each person's rule set when
    ``rules`` is None), and optionally ``manager_id``, ``duty_group``,
    ``competent_grade`` and ``competent_reason`` (the competent level's conclusion and its
    written reason), ``competent_order``, and each level's own scores (``self__<id>``,
    ``manager__<id>``, ``competent__<id>``). Any other column is refused, as by
    :func:`evalkit.score_frame` (``extra_columns``, a leading ``_`` or ``x_`` keep one).
    ``units`` has one row per unit (or per unit-period, with ``period``): ``unit_id``,
    ``parent_id``, ``head_id``, optionally ``rule_set`` or ``category`` (the unit's own
    rule set; else the most common among its staff), the columns of
    :data:`evalkit.units.UNIT_INPUT_COLUMNS` and :data:`evalkit.units.UNIT_FLAG_COLUMNS`,
    ``body_<id>`` for each evaluating body the rule set declares, the units sheet's
    ``name``, ``governing_body`` and ``place``, and the columns of ``unit_results`` (a
    results frame fed back). Any other unit column is refused too (a ``Tasks_Done`` would
    otherwise be ignored), with the same escape hatches: ``extra_columns`` names the
    caller's own columns of either frame.

    A ``head_id`` must name someone: a ``staff_id`` of the staff frame (a head with no row
    in a period is absent that period, led by the nearest head above; with a row in
    another unit that period, refused), or one of ``known_staff`` (the ids of an
    organisation's members, those without a row included: :class:`~evalkit.model.Organisation`
    checked them; :func:`evalkit.units.frames_from_objects` gives them in the units frame's
    ``attrs["known_staff"]``, read too). A ``head_id`` naming nobody, of a unit with rows in
    the period, is refused at its row of the units frame: the head cap (``[units]
    head_capped_at_unit``; NĐ 233/2026/NĐ-CP Điều 12 k7) would reach nobody, and the real
    head, among its rows, would escape it (a unit without rows — the units alone, a unit of
    another staff group — caps nobody either way). A ``manager_id`` likewise: one of no
    ``staff_id`` in any period nor of ``known_staff`` is refused at its row of the staff
    frame (the person would silently leave their manager's area for d, NĐ 335/2025 Điều 15
    k3); a manager without a row in the period is absent, the person led by their head.

    Every problem of the input comes in one :class:`~evalkit.errors.InputError`, the units
    frame's first: a missing key column, a bad ``period`` (the row is left out of the
    further checks), the unknown columns, the bad values of both frames, a person in an
    unknown unit, and the problems of the unit tree (a unit its own parent, an unknown
    parent, a cycle, a head who is a member of another unit), each on its row of the units
    frame. The tree's problems alone raise :class:`~evalkit.errors.OrganisationError`
    (:meth:`~evalkit.errors.OrganisationError.of`: every one, of every period).

    ``staff_results`` keeps the input's index and has ``rule_set``, ``total``,
    ``points_<block>``, ``score_grade`` (the band), ``proposed_grade`` (before the
    quota), ``grade`` (final), ``unit_grade``, ``classified`` (False: the grade is the
    band, as information), ``is_head``, ``manages_others`` (where given: the year reads it
    for the caps on leaders, deputies included), ``effective_manager_id``, the management
    columns (``mgmt_value`` the d applied, ``mgmt_typed``, ``mgmt_subordinates``,
    ``mgmt_below``), the quota columns (``quota_base``, ``quota_percent``, ``quota_cap``,
    ``quota_candidates``, ``quota_rank`` — 1-based among candidates —, ``quota_raised``),
    ``head_grade`` (where a deputy was capped at the head: the head's final grade),
    each level's ``<level>_total`` where given, ``months_worked``, ``leave``, ``category``
    (as given, else ``cong_chuc`` where no rule set is named), ``full_name`` (where given),
    ``competent_order`` (for the year's rules and tie-break) and the flag
    columns of :data:`evalkit.scoring.INPUT_FLAGS` (``discipline`` …, as read: numbers,
    yes/no as booleans, blanks at their defaults) where given — so
    :func:`evalkit.classify_year` counts the time worked and sees a discipline recorded in
    any month, one without scores included (NĐ 335/2025 Điều 20 k4 c, Điều 21) —, the
    deduction inputs the quota's tie-break "fewer deductions" counts (the rule set's
    adjustment event counts such as ``loi_chat_luong`` and ``cham_tien_do``, and the inputs
    of its deduction blocks) where given, as read (numbers, blanks NaN; NaN on rows whose
    rule set does not count the column) — so :func:`evalkit.classify_year` breaks the
    year's quota ties on the year's deductions (domain brief §4.6) —, and
    ``reasons`` (codes joined by ``;``; :func:`evalkit.reasons.explain` gives the
    sentences). ``unit_results`` has one row per unit-period with its scores, grades,
    reasons, staff count and quota totals.

    >>> import pandas as pd, evalkit.rules
    >>> top = evalkit.rules.get("hanoi.3814-2018").full_marks()
    >>> sm = pd.DataFrame([{"staff_id": "H", "unit_id": "U1", "period": "2026-03", **top}])
    >>> units = pd.DataFrame({"unit_id": ["U1"], "head_id": ["H"], "tasks_assigned": [10],
    ...                       "tasks_done": [8]})
    >>> staff, unit = classify_frame(sm, units, "hanoi.3814-2018")
    >>> staff[["grade", "reasons"]].values.tolist()
    [['HTT', 'cap.head_unit']]
    """
    _columns.need_frame(staff_months, "the staff-month frame")
    # ids as a column or as the index named staff_id, as score_frame reads them
    raw = _columns.with_index_ids(staff_months)  # its ids as typed, for the problems
    n = len(raw)
    if n == 0:  # units alone: an empty frame needs no columns
        raw = pd.DataFrame({c: pd.Series(dtype=object) for c in (*_KEYS, "category")})
    # ids compared as the workbook compares them: a head id typed in NFC finds the staff id
    # exported in NFD, a trailing space or a zero-width space is no other person
    kw: dict[str, Any] = {"options": options, "positions": positions}  # every scoring's
    sm = with_assumed_category(counting_from_levels(_ids.normal_ids(
        raw, ("staff_id", "unit_id", "manager_id"))), rules)  # the results say it (công chức)
    _columns.need_frame(units, "the units frame")
    unit_ids = ("unit_id", "parent_id", "head_id")
    # a float id that is not whole (7.5) is no id
    uproblems: list[InputProblem] = _ids.fraction_problems(units, unit_ids, id_column="unit_id")
    # ---- the checks of the input, every problem of both frames collected before any is
    # raised: the staff frame's (key columns, periods, then checked_rule_sets on the rows
    # with a period), the units frame's (expand_periods), and their cells
    units, found = _ids.normal_ids(units, unit_ids), _columns.Problems(sm)
    _columns.missing(sm, _KEYS, "the staff-month frame", found)
    # a missing period column is said above: its rows have no period (-1)
    pcode, periods = _columns.periods(sm, "period", found, required="period" in sm.columns)
    problems, ok = found.in_order(), pcode >= 0
    # the rows with a period, the periods read once: every step sees their canonical labels
    period = categorical(pcode[ok], periods)
    checked = (sm if ok.all() else sm[ok]).assign(period=period)
    sids = _columns.staff_codes(checked["staff_id"]) if "staff_id" in sm.columns else None
    ut = expand_periods(units, periods, uproblems, extra_columns)
    # the unit tree's problems (each unit its own parent, unknown parents, cycles) and the
    # heads who are members of another unit: said with the cells' problems when there are
    # any (one InputError), else raised together (OrganisationError) once the rest is checked
    # (elsewhere: the staff rows of heads named in another unit)
    structure, elsewhere = list[Structural](), np.zeros(0, dtype=np.int64)
    if ut is not None:
        prow, depth, twice, structure = tree_checks(ut)
        uproblems += twice
    if linked := ut is not None and sids is not None and "unit_id" in sm.columns:
        # (period, staff) keys: each unit-period's head row (-1: none; of a staff id given
        # twice in a period, its first row)
        hcode = codes_in(ut["head_id"], sids[1])
        P = max(len(periods), int(ut["p"].to_numpy().max(initial=-1)) + 1)
        S = len(sids[1]) + 1  # a staff code -1 (a blank id) keys no head, no manager
        srow = _first_rows(pcode[ok] * S + sids[0] + 1, P * S)
        head_row = np.where(hcode >= 0, srow(ut["p"].to_numpy() * S + hcode + 1), -1)
        # units matched once, as integer codes; the unit-period keys of the units and of
        # each staff row (-1: none), and whether the row heads its unit-period (a blank or
        # unknown unit or staff id: no; a unit given twice in a period: any of its rows)
        uindex = pd.Index(pd.unique(ut["unit_id"].astype(str)))
        ucode, utcode = codes_in(sm["unit_id"], uindex), codes_in(ut["unit_id"], uindex)
        ukey = utcode * P + ut["p"].to_numpy()
        skey = np.where(ucode >= 0, ucode * P + pcode, -1)
        pairs = (ukey * S + hcode + 1)[(hcode >= 0) & (utcode >= 0)]  # (unit-period, head)
        head = pd.Index(skey[ok] * S + sids[0] + 1).isin(pairs)  # (skey -1: negative)
    # the heads the units frame names hold a management post (NĐ 335/2025 Điều 15): the
    # checks before the organisation is read score them as the engine will, as leaders
    # (a typed mark kept as typed); a bad mark is said with the staff frame's other cells
    cells = _columns.Problems(checked)
    marked = _columns.booleans(checked, "manages_others", cells)  # a head: marked, or head_id
    # (not linked, for the problems said before the organisation is read: the heads the units
    # frame names anywhere, ids read as the engine reads them, 7.0 the staff id 7)
    named = ~marked & (head if linked else sids is not None and np.isin(
        id_texts(checked["staff_id"]), id_texts(units.get("head_id", pd.Series()).dropna())))
    heads = checked if not named.any() else _columns.with_columns(checked, {"is_head": (
        checked["is_head"].astype(object).where(~named, True) if "is_head" in checked else named)})

    def staff_problems() -> list[InputProblem]:
        # the input problems of the rows with a period (what scoring refuses), to list with
        # the other problems (no rule sets: checked_rule_sets read the cells). A head named
        # in another unit: whether they lead is what the unit's problem says; their scores
        # in a column only leaders are scored on are judged once it is fixed
        lead = {c for rs in sets for c in management_only_inputs(rs)}
        away = {_columns.row_label(r) for r in checked.index[elsewhere]}
        return [p for p in cell_problems(heads, rule, sets, engine=True, **kw)
                if not (p.row in away and p.column in lead)]

    def unit_problems(bad: BoolArray) -> list[InputProblem]:
        # the staff rows ``bad`` whose unit is unknown (ucode -1) or has no row for their
        # period, the first 200 then how many more
        return _columns.capped([_at(sm, i, "unit_id", "foreign.unknown_unit" if ucode[i] < 0
                                    else "foreign.unit_no_period", unit=repr(sm["unit_id"].iloc[i]),
                                    period=periods[pcode[i]]) for i in np.flatnonzero(bad).tolist()])

    def refuse(first: Sequence[InputProblem], then: Sequence[InputProblem]) -> NoReturn:
        # everything found so far: the units frame's problems ``first`` with the tree's (each
        # at its row of the units frame), then the staff frame's ``then``
        raise InputError([*_columns.in_row_order(units, [*first, *(p for p, _ in structure)]),
                          *then]) from None  # fmt: skip

    try:  # an empty frame: the rule set given, else the default
        rule, sets = checked_rule_sets(heads, rules, jurisdiction=jurisdiction, force=force,
                                       extra_columns=extra_columns, engine=True, staff=sids,
                                       typed=(raw if ok.all() else raw[ok]).get("staff_id"), **kw)
    except InputError as exc:  # (``checked`` has a period column: a missing one is said once)
        rule, sets = np.zeros(0, np.int64), []  # the rows' cells read by checked_rule_sets
        problems += exc.problems
    if problems or uproblems or structure:  # nothing is computed on a bad input: its
        if ut is not None:  # problems, all
            # one rule set for every unit: its bodies and flags too (a bad rules= is the
            # staff's problem)
            one = [] if rules is None or (rs := found_set(rules)) is None else [rs]
            uproblems += unit_inputs(ut, one, np.full(len(ut), len(one) - 1))[3]  # (-1: none)
        # the heads named in another unit too (a staff frame without ids: its problem)
        if ut is not None and linked:  # (staff and unit ids given)
            elsewhere = _elsewhere(checked, ut, head_row, ucode[ok], utcode, structure)
        # the cells of the rows that passed checked_rule_sets, then the staff in no known unit
        problems += [*staff_problems(), *(unit_problems(ok & (ucode < 0)) if linked else [])]
        if problems or uproblems:  # (the tree's problems alone: the other checks first)
            refuse(uproblems, _columns.in_row_order(sm, problems))
    assert sids is not None and ut is not None
    sm = checked  # every row has a period

    # ---- units: graded bottom-up
    m = len(ut)
    urow = _first_rows(ukey, P * len(uindex) + 1)(skey)  # (the key -1: no unit-period's)
    psu = _columns.booleans(ut, PSU, _columns.Problems(ut))  # (its problems: unit_table's)
    urule = assign_unit_rule_sets(ut, ukey, skey, rule, sets, rules, jurisdiction=jurisdiction, marked=psu,
                                  force=force, inherit=lambda r: inherited_sets(prow, r, psu, sets)[0])
    # the units led by a disciplined head or manager (of any level, or by the party); the
    # staff cells read for it are said with the staff frame's other problems, each once
    # a discipline: a level 1-5 (a number, a Vietnamese or English name), or the party's
    hit = (marked | (typed_head := _columns.booleans(sm, "is_head", cells)) | head) & (
        (_columns.discipline(sm, "discipline", cells) >= 1)
        | _columns.booleans(sm, "party_discipline", cells))  # fmt: skip

    # ---- staff structure: heads, effective managers
    # a head id found nowhere that is a staff id of its unit in another case: one person, or
    # a slip that would cap nobody; said with the units' other problems, once a unit row
    lost = np.flatnonzero((head_row < 0) & np.asarray(pd.notna(texts(ut, "head_id")), dtype=bool))
    pairs = _ids.ref_case_twins(ut["head_id"].iloc[lost], lost, sm["staff_id"], urow)
    # a head id of no staff row in any period, nor of ``known_staff``, in a unit with rows: a
    # head who caps nobody while the real head may be among them
    said = {ut["source_row_"].iloc[u] for u, _, _ in pairs}  # (said: a twin)
    known = _ids.text_ids(known_staff, units)
    nobody = [(u, h, None) for u in lost[(hcode[lost] < 0) & np.isin(lost, urow)].tolist()
              if ut["source_row_"].iloc[u] not in said and str(h := ut["head_id"].iloc[u])
              not in known]
    twins = list(dict.fromkeys(at_unit(ut, u, "head_id", h, messages.text(  # t None: nobody
        "foreign.org.head_case_twin" if t else "foreign.org.unknown_head", "en", head=repr(h),
        member=repr(t), unit=repr(ut["unit_id"].iloc[u]))) for u, h, t in [*pairs, *nobody]))
    # the typed managers (none: no column, every link the default)
    mtext = texts(sm, "manager_id")
    given = np.asarray(pd.notna(mtext), dtype=bool)
    # a manager without a row this period (absent): the unit's head, as if none typed
    mcode = codes_in(mtext, sids[1]) if given.any() else np.full(len(sm), -1)  # (no column)
    typed_mgr = srow(pcode * S + mcode + 1)
    miss = np.flatnonzero(given & (typed_mgr < 0))
    # a manager id found nowhere that is a staff id of the period in another case; else of
    # no staff row in any period nor of ``known_staff`` (t None): a slip that would move the
    # person to the head's area for d (NĐ 335/2025 Điều 15 k3); said with the staff frame's
    # other problems
    pairs = _ids.ref_case_twins(pd.Series(mtext[miss], miss, dtype=object), pcode[miss],
                                sm["staff_id"], pcode)  # fmt: skip
    said = {i for i, _, _ in pairs}
    wrong = [_at(sm, i, "manager_id", "foreign.org.manager_case_twin" if t else
                 "foreign.org.unknown_manager", value=m, manager=repr(m), other=repr(t))
             for i, m, t in [*pairs, *((i, mtext[i], None) for i in miss[mcode[miss] < 0].tolist()
                                  if i not in said and str(mtext[i]) not in known)]]
    if not structure:  # (else found above) the heads named in another unit: every one; a
        # head in a unit with no row for the period is that unit's problem (unit_problems)
        elsewhere = _elsewhere(sm, ut, head_row, np.where(urow >= 0, ucode, -1), utcode, structure)
    early: Sequence[InputProblem] = ()  # the units' problems, with the staff frame's
    try:
        ut = unit_table(ut, sets, urule, np.isin(ukey, skey[hit]), prow, depth,
                        np.isin(ukey, skey[quota_readers(sets, rule)]))
    except InputError as exc:
        early = exc.problems
    if early or cells.problems or twins or wrong:  # the staff frame's: a cell once, in order
        told = [*unit_problems(ucode < 0), *staff_problems(), *wrong]
        cell = {(p.row, p.column) for p in told}
        refuse([*early, *twins], _columns.in_row_order(sm, [*told, *(
            p for p in cells.in_order() if (p.row, p.column) not in cell)]))
    if (urow < 0).any():
        refuse([], [*unit_problems(urow < 0), *staff_problems()])
    # the heads the staff frame marks: checked, never overridden
    if "is_head" in sm.columns and (refused := _typed_heads(sm, typed_head, ut, urow, head_row)):
        refuse([], refused)
    is_head = np.bincount(head_row[head_row >= 0], minlength=n) > 0
    mgr = effective_managers(urow, head_row, ut["parent_row"].to_numpy(), typed_mgr, given)
    # the tree's problems, else a management cycle: with the cells scoring refuses (read
    # here on a bad input only), else the input's only problems, as Organisation says them
    if structure or (height := _heights(mgr)) is None:
        cycles = [] if structure else _manager_loops(sm, mgr)  # (the tree's are in refuse)
        if late := staff_problems():
            refuse([], _columns.in_row_order(sm, [*cycles, *late]))
        raise OrganisationError.of([e for _, e in structure]
                                   or [OrganisationError(p.message) for p in cycles])
    # ---- scoring, then the management component level by level
    # a head of a unit holds a management post (NĐ 335/2025 Điều 15): a leader, marked
    # manages_others or not, whatever is typed, where the set has management components
    # (one rule, scoring.management_duty, as score_frame reads it); d is not computed
    # where a kpi stands for the task block (the total ignores it)
    manages = np.stack([management_duty(rs, marked, is_head) for rs in sets])[rule, np.arange(n)]
    has_kpi = ~np.isnan(floats(sm, "kpi"))
    kpi = per_rule(sets, rule, lambda rs: any(b.params.get("kpi") for b in rs.blocks)) & has_kpi
    # scoring reads the mark and the heads (the heads not marked are told why d, đ, e)
    base = flagged = _columns.with_columns(sm, {"is_head": is_head, "manages_others": marked})
    flags = np.zeros(n, dtype=np.int64)
    lead = {i: str(rs.management.computed) for i, rs in enumerate(sets)  # the sets computing d
            if rs.management.computed in {c.id for c in rs.criteria()}}  # fmt: skip
    typed = np.full(n, np.nan)
    has_m = manages & ~kpi & np.isin(rule, list(lead))  # the leaders whose set computes d
    for i, mc in lead.items():  # d blank: at its full value where the leader is evaluated
        typed = np.where(rule == i, floats(sm, mc), typed)
        req = {*sets[i].required_inputs(True), *sets[i].required_inputs(False)} - {mc}
        fill = (rule == i) & has_m & np.isnan(typed)  # of these, the leaders evaluated: any
        # required score (but d) or a kpi given
        fill[fill] = has_kpi[r := np.flatnonzero(fill)] | np.logical_or.reduce([pd.notna(
            sm[c].to_numpy()[r]) for c in sorted(req & set(sm.columns))], initial=False)
        if fill.any():
            flags[fill] |= F_MGMT_DEFAULT  # (d read as every door reads it: "100,0" too)
            base = base.assign(**{mc: np.where(fill, sets[i].management.full, floats(base, mc))})
    rlabels: list[str] = []  # the reasons' categories, the rescored rows' added
    first = _read(score_assigned(base, rule, sets, **kw), rlabels)
    total, sgrade, grade, rcodes = (first[c] for c in ("total", "score_grade", "grade", "reasons"))
    comps = {c: v for c, v in first.items() if c.startswith("points_")}
    mvalue, msub, mbelow = np.full(n, np.nan), np.zeros(n, np.int64), np.zeros(n, np.int64)
    dval = np.array([(rs.management.full, rs.management.reduced) for rs in sets], np.float64)
    if lead and height.any():
        # each leader's scores with d at its full and at its reduced value (rescored only
        # where the first pass used another d; at d reduced once a level first reduces it);
        # the levels then only choose between them, bottom-up (d depends on the grades of
        # those under them)
        leaders = (height > 0) & has_m & ~np.isnan(total)
        cand, pos = np.flatnonzero(leaders), np.cumsum(leaders) - 1  # pos: the row's place in cand
        alt = {c: np.stack([v[cand]] * 2) for c, v in first.items()}  # d full, d reduced

        def rescore(k: int) -> bool:  # alt[k]: the leaders' scores at d full (0) or reduced (1)
            for (i, mc), d in zip(lead.items(), dval[list(lead), k], strict=True):
                part = np.flatnonzero((rule[cand] == i) & ~np.isclose(floats(base, mc)[cand], d))
                if part.size:
                    new = _read(score_assigned(base.iloc[cand[part]].assign(**{mc: d}),
                                               np.zeros_like(part), [sets[i]], **kw), rlabels)
                    for c in alt.keys() & new.keys():
                        alt[c][k, part] = new[c]
            return True
        reduced = not rescore(0)  # at d full now; at d reduced once a level first needs it
        # who counts for a leader's d: the staff their rule set is about ("công chức thuộc
        # quyền quản lý" under NĐ 335: a Sở's viên chức are under NĐ 233's own d), i.e. the
        # people whose own category the leader's set covers (a contract worker under a local
        # framework that lists công chức too is none; a row whose set does not cover its
        # category, a set named for all: by its set's categories). Scope "area":
        # everyone below the leader in the chain, the whole area led — per leaders' rule
        # set, the counted people of each row's subtree and those of them below its test,
        # summed bottom-up from each subordinate's own subtree once that one is final
        # each row's group, an index into CATEGORIES (-1: none); the groups each set covers
        own = _kernels.category_codes(sm.get("category", pd.Series(None, sm.index)))
        # (a last column for no group, -1: covered by no set)
        covers = np.array([[c in s.categories for c in (*_kernels.CATEGORIES, None)] for s in sets])
        # share: sets with a group in common; covered: the row's set covers the row's own group
        share, covered = covers @ covers.T, covers[rule, own]
        counts_for = {i: np.where(covered, covers[i, own], share[i, rule]) for i in lead}
        # per leaders' rule set: the subordinates counted and those below the test, direct
        # or over the area led (with each one's own counts; exact in floats)
        cnt = np.zeros((len(sets), 2, n))
        up_h = np.append(height, -1)[mgr]
        for h in range(1, int(height.max()) + 1):
            kids = np.flatnonzero(up_h == h)  # those under a leader of height h: final
            for i in lead:
                pol = sets[i].management
                mine = ~np.isnan(total[kids]) & counts_for[i][kids]
                low = mine & ((grade if pol.test == "grade" else sgrade)[kids] < int(pol.threshold))
                for j, v in enumerate((mine, low)):  # per manager (integer counts: exact sums)
                    add = np.bincount(mgr[kids], v + (cnt[i][j, kids] if pol.scope == "area" else 0))
                    cnt[i][j, :add.size] += add  # (only up to the last manager: no n-long add)
            rows = np.flatnonzero((height == h) & leaders)
            msub[rows], mbelow[rows] = cnt[rule[rows], :, rows].T
            rows = rows[msub[rows] > 0]
            red = (mbelow[rows] > 0).astype(np.int64)  # d reduced: someone below the test
            reduced = reduced or (bool(red.any()) and rescore(1))
            mvalue[rows] = value = dval[rule[rows], red]
            flags[rows] = (flags[rows] & ~F_MGMT_DEFAULT) | F_MGMT_D | np.where(
                np.isnan(typed[rows]) | np.isclose(typed[rows], value), 0, F_MGMT_TYPED)
            for c, col in alt.items():
                first[c][rows] = col[red, pos[rows]]
    alone = np.isnan(mvalue) & has_m & ~np.isnan(total)  # nobody evaluated under them: d as
    flags[alone] |= F_MGMT_DEFAULT  # typed, or at its full value — said either way
    mvalue = np.where(alone, np.where(np.isnan(typed), dval[rule, 0], typed), mvalue)
    # ---- the steps where the rule set classifies the period
    classified = per_rule_period(sets, rule, pcode, RuleSet.classifies, periods)
    applies = classified & per_rule_period(sets, rule, pcode, RuleSet.quota_applies, periods)
    ugrade = ut["grade_code"].to_numpy().astype(np.int8)
    unit_grade = ugrade[urow]
    proposed, competent, qcols = run_steps(sm, sets, rule, grade, flags, classified,
        is_head=is_head, unit_grade=unit_grade, applies=applies, group=urow,
        top_grade=ugrade[ut["top_row"].to_numpy()][urow],
        exceptional=ut["exceptional_"].to_numpy()[urow], total=total, comps=comps,
        deputy=(manages & ~is_head, head_row[urow], ut["late_work_"].to_numpy()[urow]),
        unlisted=unlisted_staff(ut, urow)[urow])
    # ---- assemble
    res: dict[str, Any] = {  # the columns, in order: one frame built at the end
        **_kept(sm, "staff_id"), "period": period, **_kept(sm, "unit_id"),
        "rule_set": categorical(rule, [r.id for r in sets]), **_kept(sm, "duty_group"),
        "is_head": is_head, "effective_manager_id": take(sm["staff_id"], mgr), "total": total,
        # where given, whether one manages others: the year's caps on leaders, deputies too
        # (Điều 20 k4 d)
        **({"manages_others": manages} if "manages_others" in sm.columns else {}), **comps,
        "score_grade": grades(sgrade), "proposed_grade": grades(proposed), "grade": grades(grade),
        "unit_grade": grades(unit_grade), "classified": classified,
        # (a quarter's months: its sentences say them, CV 21169/CHQ-TCCB)
        **{c: floats(sm, c) for c in ("months_worked", "carried_months") if c in sm.columns},
        # the year reads them: the leave to count the time worked (Điều 21), the category for
        # the rules' own categories (a contract worker under a local framework), the competent
        # level's order for the quota's tie-break; the name for the sheets
        **_kept(sm, "leave", "competent_order", "full_name"), **{
            c: _kernels.category_names(sm[c]) for c in ("category",) if c in sm.columns},
        # the input flags, as read: a discipline in any month hits the year
        **{f: v.astype(bool) if f in YES_NO_FLAGS else v for f, v in read_flags(sm).items()
           if f in INPUT_FLAGS and f in sm.columns}}  # fmt: skip
    # the deduction inputs the quota's tie-break "fewer deductions" counts, as read (NaN on
    # the rows whose rule set does not count them): the year breaks its ties on their sums
    res.update({c: np.where(counted, floats(sm, c), np.nan) for c, counted
                in deduction_columns(sets, rule, sm.columns).items() if c not in res}, **competent,
               **({"mgmt_value": mvalue, "mgmt_typed": typed, "mgmt_subordinates": msub,
                   "mgmt_below": mbelow} if has_m.any() else {}), **qcols)
    # each level's columns (none given: no columns) with the computed d where that level left
    # it blank: d is the result of the area led, so a leader's self and manager columns total
    # like the counting level's
    levels = [p for p in LEVEL_PREFIXES.values() if any(str(c).startswith(p) for c in sm.columns)]
    for i, mc in lead.items():
        rows = (rule == i) & ~np.isnan(mvalue)
        flagged = _columns.with_columns(flagged, {p + mc: np.where(
            rows & np.isnan(w := floats(flagged, p + mc)), mvalue, w) for p in levels if rows.any()})
    res.update({str(c): v.to_numpy() for c, v in score_levels(flagged, rule, sets, **kw).items()})
    res["reasons"] = join_reasons(categorical(rcodes, rlabels), flags, STAFF_FLAGS)
    # ---- the unit frame
    upcode, ulabels = pd.factorize(ut["period"])
    unit_classified = per_rule_period(sets, urule, upcode, lambda rs, p: p and rs.classifies(p),
                                      list(ulabels))  # fmt: skip
    uq: dict[str, IntArray] = {}
    if qcols:  # per unit-period: the quota's base, cap and candidates summed over its groups
        # each group's first row (a row in no group, -1, sorts first: left out)
        pick = np.unique(qg := qcols["quota_group"], return_index=True)[1][int(qg.min() < 0):]
        uq = {c: np.bincount(urow[pick], weights=qcols[c][pick], minlength=m).astype(np.int64)
              for c in ("quota_base", "quota_cap", "quota_candidates")}
        uq["quota_demoted"] = np.bincount(urow[(flags & F_QUOTA) != 0], minlength=m)
    uf = unit_frame(ut, sets, unit_classified, uq, np.bincount(urow, minlength=m))
    uf.attrs["rule_sets"] = custom_sets(sets)  # (one dict, the staff results' too)
    return frame_of(res, sm.index, rule_sets=uf.attrs["rule_sets"]), uf


def _read(out: pd.DataFrame, labels: list[str]) -> dict[str, Any]:
    """:func:`score_assigned`'s ``out`` as writable arrays: ``total``, the ``points_*``
    columns, the grades' codes and the reasons' codes into ``labels`` (the month's
    categories, to which its new labels are added)."""
    cat = out["reasons"].array
    sub = cat.categories.tolist()
    labels.extend(x for x in sub if x not in labels)  # categories: distinct already
    return {**{c: np.array(out[c].to_numpy(dtype=np.float64, na_value=np.nan)) for c in out.columns
               if c == "total" or c.startswith("points_")},
            **{c: np.array(out[c].cat.codes, dtype=np.int8) for c in ("score_grade", "grade")},
            "reasons": pd.Index(labels).get_indexer(sub)[cat.codes]}


def _first_rows(keys: IntArray, size: int) -> Any:
    """A lookup: integer keys (below ``size``) → the first row of ``keys`` with the key
    (-1: none) — a table where the keys are dense (the usual case), else a hash table."""
    if keys.size * 8 + 1024 >= size:
        table = np.full(size, -1, dtype=np.int64)
        table[keys[::-1]] = np.arange(keys.size - 1, -1, -1)  # (the last written: the first)
        return table.__getitem__
    first = np.flatnonzero(~pd.Index(keys).duplicated())
    return lambda q: np.append(first, -1)[pd.Index(keys[first]).get_indexer(q)]


def _elsewhere(sm: pd.DataFrame, ut: pd.DataFrame, head_row: IntArray, ucode: IntArray,
               utcode: IntArray, out: list[Structural]) -> IntArray:
    """The heads ``ut`` names (per period; ``head_row``: their rows of ``sm``) who are
    members of another unit, added to ``out``: once a row of the units frame (its first
    period), in its order; and their rows of ``sm``, returned. ``ucode`` and ``utcode`` code
    the units of the rows of ``sm`` and of ``ut`` (-1: not in ``ut``, left to the checks of
    the cells); the problems name the period of ``sm``'s ``period`` column."""
    mine = np.append(ucode, -1)[head_row]  # the head's unit (-1: none, or unknown)
    uj = np.flatnonzero((mine >= 0) & (mine != utcode))
    # each one's row of the units frame: its first period, in the frame's order
    for j in uj[np.unique(pd.factorize(ut["source_row_"])[0][uj], return_index=True)[1]].tolist():
        head, h = ut["head_id"].iloc[j], int(head_row[j])
        err = OrganisationError(messages.text(
            "foreign.org.head_outside", "en", head=repr(head), unit=repr(ut["unit_id"].iloc[j]),
            other=repr(sm["unit_id"].iloc[h])) + f" ({sm['period'].iloc[h]})")
        out.append((at_unit(ut, j, "head_id", head, str(err)), err))
    return head_row[uj]


def _typed_heads(sm: pd.DataFrame, typed: BoolArray, ut: pd.DataFrame, urow: IntArray,
                 head_row: IntArray) -> list[InputProblem]:  # fmt: skip
    """Each unit-period's head row ``head_row`` (updated in place) with the staff frame's
    ``is_head`` marks (``typed``, as read): a unit the units frame names no head for takes
    the one person marked; a mark on anyone but the head the units frame names, or on two
    people of a unit without one, is refused (every such row returned, in row order), so a
    typed head is never silently dropped."""
    unit = urow[marked := np.flatnonzero(typed)]
    named = np.asarray(pd.notna(texts(ut, "head_id")), dtype=bool)[unit]  # the unit's head
    found = _columns.Problems(sm)
    many = ~named & (np.bincount(unit[~named], minlength=len(ut))[unit] > 1)
    for rows, key in ((named & (head_row[unit] != marked), "foreign.input.head_other"),
                      (many, "foreign.input.head_many")):
        found.add_rows(marked[rows], "is_head", sm["is_head"], messages.text(key, "en"))
    head_row[unit[~named]] = marked[~named]  # (the problems refused: not read then)
    return found.in_order()


def _kept(sm: pd.DataFrame, *names: str) -> dict[str, Any]:
    """The text columns ``names`` that ``sm`` has, their values for the results: pandas text
    (``str``, Arrow-backed where pyarrow is installed) as the same array, with no round trip
    through Python objects."""
    return {c: sm[c].array if isinstance(sm[c].dtype, pd.StringDtype) else sm[c].to_numpy()
            for c in names if c in sm.columns}  # fmt: skip


def _manager_loops(sm: pd.DataFrame, mgr: IntArray) -> list[InputProblem]:
    """Each management cycle once (a loop repeated every period, named once), at the row of
    the first person on it: their ``manager_id`` as typed.

    Only a typed ``manager_id`` can close a loop: without one each person's manager is the
    head of their unit, and a head's the head of a unit above (:func:`effective_managers`,
    called once the tree has no cycle and every head is a member of their own unit)."""
    ids, first = sm["staff_id"], dict[str, int]()  # each loop's name → its first row
    for ring in loops(mgr):  # (the same loop in another period: named once)
        first.setdefault(" -> ".join(str(ids.iloc[i]) for i in [*ring, ring[0]]), int(ring[0]))
    return [_at(sm, i, "manager_id", "foreign.management_cycle", path=name) for name, i in first.items()]


def _at(sm: pd.DataFrame, i: int, column: str, key: str, **params: Any) -> InputProblem:
    """The message ``key`` (with ``params`` and the person's ``staff``) at the row ``i`` of the
    staff frame ``sm``: its label and its staff id, and the ``value`` in ``params`` (else the
    row's ``column`` as typed)."""
    staff, value = str(sm["staff_id"].iloc[i]), params.pop("value", sm[column].iloc[i])
    return InputProblem(messages.text(key, "en", staff=repr(staff), **params), column=column,
                        row=_columns.row_label(sm.index[i]), value=value, staff_id=staff)


def _heights(mgr: IntArray) -> IntArray | None:
    """Longest chain of subordinates below each row (0 = manages nobody); None where the
    links form a cycle (:func:`_manager_loops` names each once)."""
    height, has = np.zeros_like(mgr), mgr >= 0
    frontier = np.flatnonzero(has)
    # a chain of more levels than there are managers goes round a cycle
    level, bound = 0, int(np.count_nonzero(np.bincount(mgr[has], minlength=len(mgr))))
    while frontier.size and level < bound:
        level += 1
        targets = np.flatnonzero(np.bincount(mgr[frontier], minlength=len(mgr)))  # their managers
        height[targets] = level
        frontier = targets[has[targets]]
    return None if frontier.size else height
