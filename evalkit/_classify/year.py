"""Roll-ups (months → quarter → year) and the year's classification.

Under NĐ 335/2025/NĐ-CP Điều 21 the quality classification is annual: the year's score is
the **average of the monthly (or quarterly) scores of the time actually worked** — legal
absence, sick and maternity leave simply have no score — and the bands, the
disqualifiers, the head cap and the quota belong to that annual classification. A
transferred person is classified by the new unit (their unit in their last period) from
all their months, the old unit's included.

Roll-up rules (the rule set's ``[rollup]``):

* a period with no score is *not evaluated* and left out — never a zero; a year without
  one evaluated period (on leave every month, or never scored) has no time worked to be
  classified on: no total, no grade, ``rollup.no_months`` — ``rollup.nothing_assigned``
  where a period was scored with nothing assigned (``not_evaluated.nothing_assigned``,
  which a quarter of such months says itself);
* ``method = "average"``: the mean of the periods' totals, rounded as the rule set says;
* ``method = "count"`` (customs, quarters): the year follows the count of the quarters'
  **concluded** grades (after caps and quotas): ``count_kht_min`` KHT quarters → KHT;
  else ``count_excellent_min`` HTXS quarters and no KHT → HTXS; else at most
  ``count_good_max_ht`` quarters at HT or below (a KHT quarter counts: it is never better
  than an HT one) and at most ``count_good_max_kht`` KHT quarters → HTT; else HT
  (without the HTT branch configured: the band of the mean kept within HT..HTT);
* options from NĐ 90/2020 Điều 2 k3 and NĐ 233/2026 Điều 14 (on in ``vn.nd90-2020`` and,
  without the absence cap, ``vn.nd233-2026``; off in ``vn.nd335-2025``): fewer than
  ``min_months`` months worked in the year → not classified unless maternity leave (or
  sick leave, where ``sick_exempt``: NĐ 233/2026 Điều 14 k2); a month scored with nothing
  assigned was worked: it counts among the months worked (and in a customs quarter's
  ``period_short_months``), never in the mean;
  on legal leave other than maternity (sick or absent: ``away_months``)
  ``absent_cap_min_months`` to under ``absent_cap_max_months`` → at most ``absent_cap_grade``;
* the disqualifiers and caps of the rule set hit the year when they hit any of its
  months (they are "in the evaluation year").

Then the steps of :mod:`evalkit._classify.steps` for the year.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _columns, _ids, _kernels, _words
from evalkit._classify.common import (
    HT,
    HTT,
    HTXS,
    KHT,
    BoolArray,
    FloatArray,
    IntArray,
    bools,
    canonical_periods,
    categorical,
    codes_in,
    custom_sets,
    distinct_texts,
    floats,
    frame_of,
    grade_codes,
    grades,
    group_sum,
    id_codes,
    id_texts,
    join_reasons,
    per_period,
    per_rule,
    per_rule_period,
    take,
)
from evalkit._classify.month import _first_rows, _typed_heads
from evalkit._classify.quota import deduction_columns, year_quota
from evalkit._classify.steps import STAFF_FLAGS, run_steps
from evalkit._classify.units import (
    BIT_DISCIPLINE,
    CONDITION_FLAGS,
    KHT_FLAGS,
    PSU,
    UNIT_BITS,
    _bottom_up,
    _excellent,
    flag_problems,
    inherited_sets,
    quota_readers,
    tree_checks,
    value_problems,
)
from evalkit.errors import EvalkitError, InputError, InputProblem, ModelError, OrganisationError
from evalkit.model import Period
from evalkit.reasons import split_codes
from evalkit.rules import RuleSet, default_registry, for_year_end, resolve, rule_day
from evalkit.rules.blocks import band_codes, round_scores
from evalkit.scoring import (
    NOTHING_ASSIGNED,
    YES_NO_FLAGS,
    assign_rule_sets,
    carried_reasons,
    check_conclusion_columns,
    most_common_set,
    own_unit_sets,
    period_flags,
    read_flags,
    recorded_rule_sets,
    require_in_force,
    unit_sets_in_force,
    with_assumed_category,
)

__all__ = ["ROLLUP_FLAGS", "classify_year", "rollup_frame", "unit_year_grades"]

#: Roll-up flag bit → reason code (the staff steps' bits are below 1 << 11).
ROLLUP_FLAGS: dict[int, str] = {1 << b: code for b, code in enumerate((
    "rollup.average", "rollup.leave", "rollup.too_few_months", "rollup.absent_cap",
    "rollup.count.excellent", "rollup.count.good", "rollup.count.kht", "rollup.count.otherwise",
    "not_evaluated", "rollup.period_short", "rollup.period_carried", "rollup.dropped_disqualifier",
    "rollup.period_carried_next", "rollup.no_months", NOTHING_ASSIGNED,
    "rollup.nothing_assigned"), start=11)}
(R_AVERAGE, R_LEAVE, R_FEW, R_ABSENT, R_COUNT_XS, R_COUNT_GOOD, R_COUNT_KHT, R_COUNT_OTHER,
 R_NOT_EVALUATED, R_PERIOD_SHORT, R_CARRIED, R_DROPPED, R_CARRIED_NEXT, R_NO_MONTHS, R_NOTHING,
 R_NOTHING_YEAR) = ROLLUP_FLAGS
_ALL_FLAGS = {**STAFF_FLAGS, **ROLLUP_FLAGS}
#: The person's columns a roll-up keeps (their last period's).
_PEOPLE = ("full_name", "unit_id", "duty_group", "position_id", "category")
#: The months of leave a roll-up counts (quarter rows made from months give theirs).
_LEAVE = ("leave_months", "maternity_months", "absent_months", "away_months")


def _groups(key: IntArray, *by: Any) -> tuple[IntArray, int, IntArray]:
    """The rows' group codes ``0 .. g-1`` (one per distinct ``key``), ``g``, and the last row
    of each group in the order of ``by`` (:func:`numpy.lexsort`'s keys, the last primary: the
    rows by person, then date, its last period's row)."""
    gcode, order = pd.factorize(key)[0], np.lexsort(by)
    last = np.zeros(int(gcode.max()) + 1, dtype=np.int64)
    last[gcode[order]] = order
    return gcode, len(last), last


def _period_of(p: Period, quarter: bool) -> str:
    """The label of the period ``p`` rolls up to: its quarter (``quarter``; a year: itself),
    else its year."""
    return str(p.quarter_of() if quarter and p.kind != "year" else p.year_of())


def _at_year_end(res: pd.DataFrame, last: IntArray, rule: IntArray, sets: list[RuleSet],
                 years: npt.NDArray[np.str_], jurisdiction: str | None = None
                 ) -> tuple[IntArray, list[RuleSet]]:  # fmt: skip
    """The year is classified at its end (NĐ 90/2020 Điều 20; NĐ 335/2025 Điều 21): a
    person's last set that no longer covers their category then (a viên chức who left in
    June 2026 under NĐ 90) gives way to the set in force in the year's last month for the
    category (NĐ 233), so one unit's people share the year's rules and quota. ``last`` are
    the output rows' last periods in ``res`` (``rule`` their sets, ``years`` their years'
    labels, ``'2026'``); the category is the row's ``category``, else the set's only
    category; where neither says, or no set is in force, or the set did not cover the
    category at the year's start either (it was named for them: an explicit choice), the
    last set stays."""
    if all(rs.covers(c, f"{y}-12") for rs in sets for c in rs.categories
           for y in np.unique(years).tolist()):  # every set still covers its people then
        return rule, sets
    sub = res.filter(["category"]).take(last)  # (the column alone: read for the last rows)
    cats = pd.Series(_columns.text(sub, "category", _columns.Problems(sub)), dtype=object)
    kcode, keys = pd.MultiIndex.from_arrays([rule, years, cats.fillna("")]).factorize()
    # each distinct (set, year, category) looked up once; the sets found, one per id
    pool = [*sets, *(for_year_end(sets[r], c, int(y), jurisdiction) for r, y, c in keys)]
    same = pd.factorize(np.array([rs.id for rs in pool], dtype=object))[0]
    used, inv = np.unique(same[len(sets) + kcode], return_inverse=True)
    return inv.reshape(-1), [pool[list(same).index(u)] for u in used]


def _latest_content(rule: IntArray, sets: list[RuleSet], out: IntArray,
                    start: IntArray) -> IntArray:  # fmt: skip
    """Each row's set (``rule`` into ``sets``) for its output period ``out``: its own, or,
    where the rows hold two contents under its id (a preset amended within the period:
    the archive's months, each kept under its own), the content of the period's latest
    row of that id — the one in force at the period's end, which classifies it."""
    ids = pd.factorize(np.array([rs.id for rs in sets], dtype=object))[0]
    if len(set(ids.tolist())) == len(sets):
        return rule
    key, o = out * len(sets) + ids[rule], np.argsort(start, kind="stable")
    return pd.Series(rule[o], index=key[o]).groupby(level=0).last().reindex(key).to_numpy(np.int64)


def rollup_frame(results: pd.DataFrame, rules: RuleSet | str | None = None, *,
                 to: Literal["year", "quarter"] = "year", force: bool = False,
                 quarters: Callable[[pd.DataFrame, Any], pd.DataFrame] | None = None,
                 jurisdiction: str | None = None) -> pd.DataFrame:  # fmt: skip
    """Roll periods up to years (or months to quarters), one row per person and period.

    A named ``rules`` must be in force for each year (tested at its end, when the year is
    classified) or quarter, else :class:`~evalkit.errors.RuleSetNotInForceError` unless
    ``force=True`` (:func:`evalkit.scoring.require_in_force`, as :func:`evalkit.score_frame`).

    ``results`` has one row per person and period (a second row of the same period is
    refused: it would count twice) with ``staff_id``, ``period`` (months, or quarters
    under a quarterly rule set) and ``total`` (NaN = not evaluated), and optionally
    ``rule_set`` (each row's rule set; the year follows the person's last period, or —
    when that set no longer covers their category at the year's end and no set is named —
    the set then in force: ``category`` or the set's only category says which; rows under
    two contents of one id — keys of ``attrs["rule_sets"]``, as the archive gives months
    kept under a preset's earlier content — each period under its own, the year under
    the content of the latest period of that id) or
    ``category``, ``unit_id`` (the year's unit is the last period's), ``leave``
    (``maternity``/``sick``/``absent``; quarter rows made from months say theirs in
    ``leave_months``, ``maternity_months``, ``absent_months`` and ``away_months``),
    ``grade`` (the periods' concluded grades, for ``method = "count"``), the flag columns
    of :data:`evalkit.scoring.FRAME_COLUMNS` or ``reasons`` codes (a disqualifier in any
    period hits the year; a period's code only where its rule set's cap tests the same
    flag, threshold and grade as the year's, and the row has no flag column), ``is_head``, ``manages_others``, ``duty_group``, ``full_name``
    ``points_<block>`` (averaged and rounded as the total, for the quota's tie-break) and
    the deduction inputs the tie-break "fewer deductions" counts (``loi_chat_luong``,
    ``cham_tien_do`` … as :func:`evalkit.classify_frame` keeps them; summed over the evaluated
    periods whose rule set counts them: the year's deductions, NaN where no period gives one).

    ``jurisdiction`` (``'vn.hanoi'``) is where a row that names no set finds the one in
    force for its ``category`` (its parents' where it has none:
    :func:`evalkit.rules.for_period`), as in :func:`evalkit.classify_frame`, and where the
    year's end looks (:func:`evalkit.rules.for_year_end`); a named ``rules`` ignores it.

    Returns ``staff_id``, ``period``, ``unit_id``, ``rule_set``, ``months``,
    ``leave_months`` (months of legal leave without a score, any kind: a month row counts
    one, a quarter row the months of it not worked — three where ``months_worked`` is
    blank), ``maternity_months``,
    ``absent_months`` (leave kind ``absent`` only), ``away_months`` (legal leave other than
    maternity — sick or absent: the months NĐ 90/2020/NĐ-CP Điều 2 k3 counts, "nghỉ không
    tham gia công tác theo quy định của pháp luật trong năm từ 03 tháng đến dưới 06 tháng"
    → not HTT or above, maternity leave having its own sentence there),
    ``nothing_assigned_months`` (months scored with nothing assigned: counted in ``months``,
    the months worked, never in the mean), ``total``,
    ``score_grade`` (band of the total), ``grade`` (after the year's caps and options),
    ``classified`` and ``reasons``; the head cap and the quota are
    :func:`classify_year`'s.

    Where the year counts quarters and months are given, the months become quarters
    first: ``quarters(months, rules)`` gives them (a named set for the quarters it is in
    force for, None — each month's own set — for those before it; :func:`classify_year`
    classifies them, so the year counts their concluded grades); by default they are rolled
    up (their bands).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"staff_id": "A", "period": [f"2026-{m:02d}" for m in range(1, 13)],
    ...                    "total": [80.0] * 11 + [None]})
    >>> rollup_frame(df, "vn.nd335-2025")[["period", "months", "total", "grade"]].values.tolist()
    [['2026', 11, 80.0, 'HTT']]
    """
    if to not in ("year", "quarter"):
        raise ModelError(f"to must be 'year' or 'quarter', not {to!r}")
    _columns.require(results, ("staff_id", "period", "total"), "the roll-up")
    # its own row labels, for the problems; everything below is positional. Ids compared as
    # every door compares them (evalkit._ids): 'S1 ' in July is January's 'S1'
    res = _ids.normal_ids(results, ("staff_id", "unit_id"))
    n = len(res)
    scode, _texts, blank = _columns.staff_codes(res["staff_id"])
    # the rows' ids and periods first, every bad one said at once (the rows are grouped by
    # them below: the rows' other problems follow once they are sound)
    keys = _columns.Problems(res)
    keys.add(blank, "staff_id", res["staff_id"], "blank staff id")
    keys.add(_ids.control_ids(res["staff_id"]), "staff_id", res["staff_id"], _ids.CONTROL_ID)
    if n == 0:  # (the person's columns given kept, as on rows: the archive's annual reads them)
        return pd.DataFrame(columns=[
            "staff_id", "period", *(c for c in _PEOPLE if c == "unit_id" or c in res.columns),
            "rule_set", "months", *_LEAVE, "nothing_assigned_months", "total", "score_grade",
            "grade", "classified", "reasons"])
    pcode, plabels = _columns.periods(res, "period", keys, required=True)
    pl = [Period.parse(x) for x in plabels]
    month = per_period(pl, pcode, lambda p: p.kind == "month")
    wrong = ~month & ((to == "quarter") | per_period(pl, pcode, lambda p: p.kind == "year"))
    keys.add(wrong, "period", res["period"], "roll-up input periods must be months"
             + (" or quarters" if to == "year" else ""))  # fmt: skip
    keys.raise_if_any()
    row_rule, row_sets = assign_rule_sets(res, rules, force=True, known=res.attrs.get("rule_sets"),
                                          jurisdiction=jurisdiction)  # fmt: skip
    # the output period of each input period (its quarter or year), as codes
    olabels, of_p = np.unique([_period_of(p, to == "quarter") for p in pl], return_inverse=True)
    ocode = of_p.reshape(-1)[pcode]
    if rules is not None:  # a named set: in force for the periods it classifies
        require_in_force(row_sets[0], olabels.tolist(), force=force)
    start = per_period(pl, pcode, lambda p: p.start.toordinal())
    cells = _columns.Problems(res)  # the rows' problems from here on, all said at once
    _ids.name_problems(res, _words.NAME_COLUMNS, cells)  # printed on the year's sheets
    # a month counted twice would weigh twice in the average and count twice as worked
    cells.add(_columns.repeated(scode * len(plabels) + pcode), "period", res["period"],
              "the person has another row for this period")
    # rows of the output: one per (staff, out period); the set of each: its last period's
    gcode, g, last = _groups(scode * len(olabels) + ocode, start, scode)
    grule, uniq = pd.factorize(_latest_content(row_rule, row_sets, ocode, start)[last])
    sets = [row_sets[int(u)] for u in uniq]
    if to == "year" and rules is None:  # the rule set follows the person to the year's end
        grule, sets = _at_year_end(res, last, grule, sets, olabels[ocode[last]], jurisdiction)
    rcode = grule[gcode]
    total = np.asarray(_columns.numbers(res, "total", cells), dtype=np.float64)
    cells.add((total < 0) | (total > per_rule(row_sets, row_rule, lambda rs: rs.total, np.float64)
              + 1e-9), "total", res["total"], "the total is outside 0 to the rule set's total")
    # the points and deductions as the row's set gives them; months of leave, of its period
    points = [c for c in res.columns if str(c).startswith("points_")]
    span = per_period(pl, pcode, lambda p: len(p.months()))  # the months of the row's period
    for col in [*points, *deduction_columns(row_sets, row_rule, res.columns), *_LEAVE]:
        lut = np.array([rs.result_range(str(col)) for rs in row_sets])  # (one set: its range)
        lo, hi = (0, span) if col in _LEAVE else lut[0] if len(lut) == 1 else lut[row_rule].T
        _columns.numbers(res, col, cells, minimum=lo, maximum=hi)
    # months worked: 0 to the months of the row's period, as every door reads it
    given = _columns.months_worked(res, cells) if "months_worked" in res.columns else total * np.nan
    by_q = (to == "year") & per_rule(sets, rcode, lambda rs: rs.rollup.of == "quarter")
    # a person's year of months or of quarters, not both — unless it counts quarters (customs
    # from Q3/2026): then no month of a quarter given (a quarter is only in a roll-up to the
    # year, months only being rolled up to quarters: gcode is the person-year)
    qk = gcode * 4 + per_period(pl, pcode, lambda p: (p.start.month - 1) // 3)
    cells.add(~month & ~by_q & (np.bincount(gcode, month)[gcode] > 0), "period", res["period"],
              "the person has months and quarters in the same year: give one or the other")
    cells.add(~month & by_q & (np.bincount(qk, month)[qk] > 0), "period", res["period"],
              "the person has months of this quarter too: give one or the other")
    evaluated = ~np.isnan(total)
    # a period scored with nothing assigned (its code: the months' results, or a quarter's
    # rows made of them) is not evaluated, and says so: the roll-up it alone makes too. It
    # was worked all the same ("thời gian làm việc", NĐ 233/2026 Điều 14 k1; "thời gian
    # công tác", NĐ 90/2020 Điều 2 k3; customs: "công tác ≤ 01 tháng"): it counts in the
    # months worked (min_months, a short quarter), never in the mean
    empty = ~evaluated & _says(res, NOTHING_ASSIGNED)
    # 0 = no leave, else 1 + the kind's index in LEAVE_KINDS (the ids or the Vietnamese words of
    # LEAVE_NAMES, as the workbook reads them); every unknown kind reported with its row
    lv = _columns.leave(res, "leave", cells)
    on_leave = (lv > 0) & ~evaluated
    for on_scored, words in _columns.leave_scored(lv, evaluated, ~month):  # leave: no score
        cells.add(on_scored, "leave", res.get("leave", lv), str(words))  # (none without it)
    cells.raise_if_any()
    if (fold := by_q & month).any():  # a year counted over quarters: months make quarters first
        # a named set makes the quarters it is in force for; the months before it (NĐ 335's of
        # a customs year from Q3/2026) make theirs under their own sets, as when the set
        # follows the person: the year is named at its end (require_in_force), not its quarters
        early = fold & (rules is not None and not force) & ~per_period(
            pl, pcode, lambda p: row_sets[0].in_force_on(rule_day(p.quarter_of())))
        make = quarters or (lambda m, r: rollup_frame(m, r, to="quarter", force=force,
                                                      jurisdiction=jurisdiction))  # fmt: skip
        parts = [make(res[f], r) for f, r in ((fold & ~early, rules), (early, None)) if f.any()]
        made = (pd.concat(parts) if len(parts) > 1 else parts[0]).drop(columns="reasons")
        if "reasons" in res.columns:  # the months' codes (a leader's cap, a notice: results
            # carry no such flag) reach the year through their quarter, worked or not
            said = pd.Series(res["reasons"].to_numpy(dtype=object)[fold]).fillna("").astype(str)
            said = said.groupby([res["staff_id"].astype(str).to_numpy()[fold], per_period(
                pl, pcode, lambda p: str(p.quarter_of()))[fold]]).agg(";".join)
            made["reasons"] = said.reindex(pd.MultiIndex.from_arrays(
                [made["staff_id"].astype(str), made["period"].astype(str)])).to_numpy()
        both = made if fold.all() else pd.concat([made, res[~fold]])
        both.attrs["rule_sets"] = {**(res.attrs.get("rule_sets") or {}), **{
            k: v for m in parts for k, v in m.attrs["rule_sets"].items()}}  # fmt: skip
        return rollup_frame(both, rules, to="year", force=force, jurisdiction=jurisdiction)
    carried = left = np.zeros(n, dtype=bool)  # left: a row of the quarter its months left
    limit = per_rule(row_sets, row_rule, lambda rs: rs.rollup.period_short_limit, np.float64)
    if to == "quarter":  # customs (CV 21169/CHQ-TCCB): a person who worked ``limit`` months
        # of a quarter or fewer ([rollup] period_short_months; NaN: off) is not evaluated that
        # quarter; those months are carried to the next quarter of the same year where the
        # person has months (a quarter carried into one that is itself short: once more). A
        # quarter is short by its own months — the ones carried in were worked elsewhere —,
        # so months are never carried into a quarter that is not evaluated in the end
        home, key = ocode, scode * len(olabels)  # (person, quarter) = key + quarter
        # each quarter's next in its year, else -1
        nxt = pd.Index(olabels).get_indexer([f"{p.year}-Q{p.number + 1}"
                                             for p in map(Period.parse, olabels)])
        in_q = np.bincount((key + home)[evaluated | empty], minlength=int(key.max()) + len(olabels))
        to_q, ok = home, in_q[key + home] > limit  # ok: the row's quarter is evaluated
        for _ in range(4):
            step = ~ok & (nxt[to_q] >= 0) & (in_q[key + np.maximum(nxt[to_q], 0)] > 0)
            to_q = np.where(step, nxt[to_q], to_q)
            ok |= step & (in_q[key + to_q] > limit)
        carried = evaluated & ok & (to_q != home)
        if carried.any():  # the quarter left keeps a row: its months there, without a total
            c = np.flatnonzero(carried)
            src = np.r_[np.arange(n), c]  # the carried rows twice: in the quarter left, moved
            scode, pcode, lv, row_rule, rcode, month, start, limit, span = (
                a[src] for a in (scode, pcode, lv, row_rule, rcode, month, start, limit, span))
            res, on_leave, empty, given = res.take(src), on_leave[src], empty[src], given[src]
            ocode, total = np.r_[home, to_q[c]], np.r_[np.where(carried, np.nan, total), total[c]]
            left, carried = np.r_[carried, ~carried[c]], np.r_[np.zeros(n, bool), carried[c]]
            evaluated = ~np.isnan(total)
            gcode, g, last = _groups(scode * len(olabels) + ocode, start, scode)
    # months worked: a month counts 1 (scored, it was worked: nothing divides a month, as in
    # evalkit.rollup), a quarter its months (or its months_worked column)
    worked, ev_last = np.where(np.isnan(given) | month, span, given), np.full(g, -1)
    # a short quarter (customs, CV 21169/CHQ-TCCB) with no later quarter evaluated to carry its
    # months into was worked all the same ("thời gian làm việc thực tế", NĐ 335/2025 Điều 21):
    # its months count as worked, never in the mean (docs/periods.md; a quarter's rows are
    # months: never one)
    np.maximum.at(ev_last, gcode[evaluated], start[evaluated])
    lone = ~evaluated & ~month & (start > ev_last[gcode]) & (given <= limit)
    months, unassigned = (np.rint(group_sum(gcode, worked, g, m)[0]).astype(np.int64)
                          for m in (evaluated | left | empty | lone, empty))
    sums, periods_n = group_sum(gcode, total, g)
    rule = rcode[last]
    # a quarter with too few months worked, and no next quarter to carry them to (NaN: off)
    short = (periods_n > 0) & (months <= per_rule(
        sets, rule, lambda rs: rs.rollup.period_short_limit, np.float64)) & (to == "quarter")
    ev = (periods_n > 0) & ~short  # the output periods with a total: evaluated
    total_out = _each_set(sets, rule, ev, sums / np.maximum(periods_n, 1))
    sg = _each_set(sets, rule, ev, total_out, band=True)
    grade = sg.copy()
    # the months of leave: a month row counts 1, a quarter row the months of it not worked
    # (its months_worked; blank: all three) — a quarter on leave is three months, never one;
    # quarter rows made from months say theirs in their columns (no ``leave`` cell)
    off = np.where(month, 1.0, np.maximum(span - np.nan_to_num(given), 0)) * on_leave
    l_, m_, a_, w_ = (np.where((lv == 0) & (to == "year"), np.nan_to_num(floats(res, c)), 0.0)
                      if c in res.columns else np.zeros(len(res)) for c in _LEAVE)  # fmt: skip
    kind = {k: lv == i for i, k in enumerate(_columns.LEAVE_KINDS, start=1)}  # as leave reads
    leave_months, mat, sick, absent = (np.rint(group_sum(gcode, off * k + v, g)[0]).astype(
        np.int64) for k, v in ((lv > 0, l_), (kind["maternity"], m_), (kind["sick"], w_ - a_),
                               (kind["absent"], a_)))  # fmt: skip
    carried_n = np.bincount(gcode[carried], minlength=g)
    # away: sick or absent, what NĐ 90/2020 Điều 2 k3's absence cap counts; gone: its months
    # carried to the next quarter
    away, gone = leave_months - mat, _any(gcode, left, g)
    # a year without one evaluated period (on leave all year, or never scored): no time worked
    # to classify on (NĐ 335/2025 Điều 21; NĐ 90/2020 Điều 2 k3): not classified, never graded
    # a period none of whose periods was evaluated, one of them for nothing assigned (the
    # domain brief's product choice, §4.1): a quarter is not evaluated for that reason; a
    # year has no time evaluated to classify on, as rollup.no_months, and says why
    blank = ~ev & ~short & ~gone & _any(gcode, empty, g)
    none = ~ev & ~short & ~gone & ~blank  # no period evaluated, none for nothing assigned
    # (a short quarter says why; carried_n: carried_reasons)
    flags = (ev * R_AVERAGE | (ev & (leave_months > 0)) * R_LEAVE | short * R_PERIOD_SHORT
             | none * (R_NO_MONTHS if to == "year" else R_NOT_EVALUATED) | gone * R_CARRIED_NEXT
             | blank * (R_NOTHING_YEAR if to == "year" else R_NOTHING)).astype(np.int64)
    extra: dict[str, npt.NDArray[np.generic]] = {}
    # each period's own rule set: where a set is named for the roll-up, the one its
    # ``rule_set`` column records — the set its codes and grade were given under (NĐ
    # 90/2020's any discipline in an NĐ 90 month is not NĐ 233/2026's; a quarter of NĐ
    # 335/2025 months beside customs quarters is only scored, so the year counts its band:
    # docs/periods.md), as when the year's set is followed; the named set where none is
    # recorded or it cannot be found (both: the caps' codes, _carried, and the count below)
    own_rule, own_sets = row_rule, row_sets
    if rules is not None and "rule_set" in res.columns:
        rec, recorded = recorded_rule_sets(res, {**(res.attrs.get("rule_sets") or {}), **{
            r.id: r for r in row_sets}})  # a blank or unknown id: the named set
        own_rule, own_sets = np.where(rec >= 0, rec + len(row_sets), row_rule), row_sets + recorded
    # count of concluded quarter grades (quarterly schemes)
    if to == "year" and any(rs.rollup.method == "count" for rs in sets):
        # no concluded grade given (no column, a blank cell): the period's band under the year's set
        # a period its own rule set only scores (a quarter of NĐ 335's months, before the
        # customs scheme began in Q3/2026) counts with its band under that set: the year's
        # scheme reads every quarter of the year, as it does when named for all of them
        # (its own: the set it records, the year's set named or not)
        own = per_rule_period(own_sets, own_rule, pcode, RuleSet.classifies, plabels)
        qg = np.where(evaluated & own & ((qg := grade_codes(res, "grade")) >= 0), qg, _each_set(
            [*sets, *own_sets], np.where(own, rcode, len(sets) + own_rule), evaluated, total, True))
        n_xs, n_kht, n_ht = (np.bincount(gcode[qg == x], minlength=g) for x in (HTXS, KHT, HT))
        extra.update(count_xs=n_xs, count_kht=n_kht, count_ht=n_ht)
    # the year's caps: a cap that hits any period hits the year
    # a cap for heads or leaders reaches whoever held the post in a month of the period;
    # the head cap of the steps only the head of the period's unit (its last unit): a head
    # who moved on to another unit as staff is not capped at the new unit's grade
    heads = bools(res, "is_head")
    head_any = is_head = _any(gcode, heads, g)
    if "unit_id" in res.columns and heads.any():  # the heads' rows against their last
        at, end = id_codes(res["unit_id"][heads], res["unit_id"].iloc[last[gcode[heads]]])
        is_head = _any(gcode[heads], at == end, g)
    manages = _any(gcode, bools(res, "manages_others"), g)
    cap_bits = np.zeros(g, dtype=np.uint32)
    specs_by_rule: dict[int, tuple[_kernels.ReasonSpec, ...]] = {}
    # the heaviest value of each flag over the person's periods (absent flags: 0)
    year_flags: dict[str, FloatArray] = {}
    if period_flags(res.columns):  # (the duty relation: 1, folded into duty_discipline already)
        for f, v in _kernels.derived_flags(read_flags(res), len(res)).items():
            year_flags[f] = np.full(g, float(related := f == "discipline_related_to_duty"))
            if not related and v.any() and (v := np.nan_to_num(v)).any():  # most are clean: no max
                np.maximum.at(year_flags[f], gcode[v != 0], v[v != 0])  # (a 0 raises no max)
    carried_hit, dropped = _carried(res, gcode, g, own_rule, own_sets, rcode, sets)
    # the rules' own dates and categories (:func:`evalkit._kernels.scope_mask`): each output
    # row's classification day (an ordinal: a year is classified at its end) and its category
    # code (the last period's row; -1 where not known)
    oday = per_period(map(Period.parse, olabels), ocode[last], lambda p: rule_day(p).toordinal())
    ocat = _kernels.category_codes(pd.Series(take(res.get("category", pd.Series(None, res.index)),
                                                  last), copy=False))  # (Arrow text as is)
    # each set's output rows with a total: the count of its quarters' grades (quarterly
    # schemes), its caps, then its months-worked options
    for i, rs in enumerate(sets):
        r, at_i = rs.rollup, (rule == i) & ev
        mine = np.flatnonzero(at_i)
        if to == "year" and r.method == "count":
            good = r.count_good_max_ht is not None
            kht = r.count_kht_min - 1 if r.count_good_max_kht is None else r.count_good_max_kht
            branch = np.select([n_kht >= r.count_kht_min,  # KHT, HTXS, HTT, otherwise
                                (n_xs >= r.count_excellent_min) & (n_kht == 0),
                                good & (n_ht + n_kht <= (r.count_good_max_ht or 0)) & (n_kht <= kht)],
                               [0, 1, 2], 3)[mine]
            grade[mine] = np.choose(branch, [KHT, HTXS, HTT, HT if good else np.clip(
                sg[mine], HT, HTT)])  # without the HTT branch: the mean's band, HT..HTT
            flags[mine] = (flags[mine] & ~R_AVERAGE) | np.array(
                [R_COUNT_KHT, R_COUNT_XS, R_COUNT_GOOD, R_COUNT_OTHER])[branch]
        # a notice a period carries is on for the year too, whatever switched it on (the
        # rule file, or options given to the month): the competent level is told
        told = {c: hit[mine] for (j, c), hit in carried_hit.items() if j == i}
        gi, bi, specs_by_rule[i] = _kernels.apply_caps(
            rs, grade[mine], {k: v[mine] for k, v in year_flags.items()}, is_head=head_any[mine],
            manages=manages[mine], kind=to, day=oday[mine], category=ocat[mine],
            options={c.split(".", 1)[1]: True for c in told if c.startswith("notice.")} or None)
        # the codes told: notices speak of graded rows only, never grade them
        for spec in [s for s in specs_by_rule[i] if s.code in told]:
            h = told[spec.code] & (gi >= 0)
            if spec.lowers_to is not None:  # a cap's code counts too (results without flags)
                h &= _kernels.scope_mask(_cap(rs, spec.code).scope, oday[mine], ocat[mine])
                gi[h] = np.minimum(gi[h], spec.lowers_to.value)
            bi[h] |= 1 << spec.bit
        grade[mine], cap_bits[mine] = gi, bi
        # a month's KHT disqualifier under another set than the year's (NĐ 90 → NĐ 233 on
        # 2026-07-01) that the year's caps do not repeat: the competent level is told
        flags[at_i & dropped & (grade != KHT)] |= R_DROPPED
        # the months-worked options of a year (NĐ 90/2020 Điều 2 k3; NĐ 233/2026 Điều 14 k1,
        # k2): too few months (the months worked of the whole year, whichever set scored
        # each), the leave that exempts from it, legal absence
        at_i &= (to == "year") & _kernels.scope_mask(r.months_scope, oday, ocat)
        # the leave exempt from it (never "absent": Điều 14 k2 names two): its rollup.leave
        # says, once, that the year is classified on the time worked
        of_kind = {"maternity": mat, "sick": sick}
        exempt = sum((of_kind[k] for k in r.worked_time_leave(True)), mat * 0) > 0
        # "classified on the time worked" only for the leave it exempts (with min_months)
        flags[at_i & ~exempt & (r.min_months > 0)] &= ~R_LEAVE
        drop = at_i & (months < r.min_months) & ~exempt  # (min_months 0: no count is below)
        # not classified: "classified on the time worked" is false, and no disqualifier, cap
        # or notice grades (or is told of) a year that has no grade
        flags[drop] = flags[drop] & ~(R_LEAVE | R_DROPPED) | R_FEW
        grade[drop], cap_bits[drop] = -1, 0
        # any legal leave but maternity (its own rule)
        capped = at_i & r.absent_cap & (grade > int(r.absent_cap_grade)) & (
            away >= r.absent_cap_min_months) & (away < r.absent_cap_max_months)
        flags[capped] |= R_ABSENT
        grade[capped] = int(r.absent_cap_grade)
    # the columns, in order: one frame built at the end (the period's str: taken, not converted)
    cols: dict[str, Any] = {"staff_id": take(res["staff_id"], last), "period": _columns.labels_at(
        olabels, ocode[last]), **{c: take(res[c], last) for c in _PEOPLE[:4] if c in res.columns}}
    if "category" in res.columns:  # as read ("Công chức": cong_chuc)
        cols["category"] = _kernels.category_names(pd.Series(take(res["category"], last)))
    cols.update(rule_set=categorical(rule, [r.id for r in sets]), is_head=is_head,
                manages_others=manages, months=months, periods=periods_n, leave_months=leave_months,
                periods_kind=_columns.labels_at(["quarter", "month"], month[last] * 1),
                maternity_months=mat, absent_months=absent, away_months=away,
                nothing_assigned_months=unassigned, total=total_out)
    if to == "quarter":  # what the year counts as the quarter's time worked
        cols.update(months_worked=months, carried_months=carried_n)
        # and the months' disqualifier and notice inputs, the heaviest of each: a year
        # counted over these quarters is capped by them (NĐ 335/2025 Điều 20 k4, "trong năm"):
        # the year's flags; related to duty where some discipline of the quarter is; blank
        # where a month left it blank and none set it otherwise (that month's codes decide,
        # _carried; a relation "không" is no blank: blank is "có");
        # without an administrative one, where a party discipline is; and the flags derived
        # month by month (PERIOD_FLAGS: one relation flag cannot say both, NĐ 233 Điều 14 k3 a)
        for f, default in period_flags(res.columns).items():  # (blank: its default, given)
            most = year_flags[f] if f != "discipline_related_to_duty" else np.where(
                year_flags["discipline"] > 0, year_flags["duty_discipline"],
                year_flags["duty_any_discipline"])
            blank = (most == default) & _any(gcode, bools(res.reindex(columns=[f]).isna(), f), g)
            cols[f] = pd.Series(most > 0 if f in YES_NO_FLAGS else most).mask(blank).to_numpy()
    # the points averaged over the evaluated periods, rounded as the total is; the year's
    # deductions (the quota's tie-break "fewer deductions"): each counted input summed over
    # the evaluated periods whose rule set counts it (NaN where none gives it)
    counted = deduction_columns(row_sets, row_rule, res.columns)
    for col in [*points, *counted]:
        if col not in cols:
            s, c = group_sum(gcode, floats(res, col), g, evaluated & counted.get(col, True))
            cols[col] = np.where(c > 0, s, np.nan) if col in counted else _each_set(
                sets, rule, c > 0, s / np.maximum(c, 1))
    cols.update({c: floats(res, c)[last] for c in ["competent_order"] if c in res.columns}, **extra)
    cols.update(score_grade=grades(sg), grade=grades(grade), classified=~gone & per_rule_period(
        sets, rule, ocode[last], RuleSet.classifies, list(olabels)))
    # the caps' codes: one label per distinct (rule set, cap bits), then each row's
    inv, uniq = pd.factorize(rule << 32 | cap_bits)
    caps: Any = pd.Categorical([";".join(s.code for s in specs_by_rule[u >> 32]
                                        if u & (1 << s.bit)) for u in uniq.tolist()])
    cols["reasons"] = carried_reasons(join_reasons(caps[inv], flags, _ALL_FLAGS), carried_n)
    # the deductions summed: the tie-break's, whatever the year's set
    return frame_of(cols, rule_sets=custom_sets(sets), deduction_inputs=tuple(counted))


def _each_set(sets: list[RuleSet], code: IntArray, rows: BoolArray, values: FloatArray,
              band: bool = False) -> npt.NDArray[Any]:  # fmt: skip
    """The ``values`` on the ``rows`` of each set (``code`` into ``sets``) rounded as the set
    rounds scores, else NaN; or (``band``) banded by the set's bands, else -1."""
    out = np.full(len(code), -1 if band else np.nan, dtype=np.int8 if band else np.float64)
    for i, rs in enumerate(sets):
        v = values[mine := rows & (code == i)]
        out[mine] = band_codes(rs.bands, v) if band else round_scores(v, rs.scoring)
    return out


def _any(gcode: IntArray, values: BoolArray, g: int) -> BoolArray:
    return np.bincount(gcode[values], minlength=g) > 0


def _says(res: pd.DataFrame, code: str) -> BoolArray:
    """The rows whose ``reasons`` (``a;b`` codes) hold ``code``; none without the column."""
    codes, uniq = distinct_texts(res.get("reasons", pd.Series(None, index=res.index)))
    return np.array([code in split_codes(cell) for cell in uniq], dtype=bool)[codes]


#: The input columns a cap's flag is read from (``evalkit._kernels.derived_flags``): a row
#: that has the first carries the flag itself, and the flag decides, not the month's code.
_FLAG_SOURCES = dict.fromkeys(("duty_discipline", "any_discipline", "duty_any_discipline"), "discipline")


def _cap(rs: RuleSet, code: str) -> Any:
    """The enabled cap of ``rs`` whose reason code (``disqualifier.<id>``, ``cap.<id>``) has
    the id of ``code``; None where there is none."""
    return next((c for c in rs.caps if c.enabled and c.id == code.split(".", 1)[1]), None)


def _test(cap: Any) -> Any:
    """What a cap tests: its flag, threshold, grade and people (None: no cap)."""
    return cap and (cap.flag, cap.at_least, cap.grade, cap.applies_to)


def _carried(res: pd.DataFrame, gcode: IntArray, g: int, row_rule: IntArray,
             row_sets: list[RuleSet], rcode: IntArray, sets: list[RuleSet]
             ) -> tuple[dict[tuple[int, str], BoolArray], BoolArray]:  # fmt: skip
    """The codes the periods carry in ``reasons``. Per year rule set (index into ``sets``)
    and code of one of its caps or notices: whether any of the person's periods under that
    year set carries the code (a cap's *for the same test*); and per output row whether one
    of its periods carries a KHT disqualifier code (``disqualifier.<id>``) under a rule set
    other than the year's (``rollup.dropped_disqualifier``): the year's rules may not have
    that ground.

    A period's ``disqualifier.<id>`` counts for the year's cap ``<id>`` only where the
    period's rule set (``row_sets[row_rule]``) has a cap of that id testing the same flag,
    threshold, grade and people (NĐ 90/2020's any discipline is not NĐ 233/2026's
    discipline for a violation related to the duties), and only on rows without the flag's
    own input column: where the rows carry the flags (:func:`evalkit.classify_frame` keeps
    them), the flags decide. A notice never changes a grade; the months' notices are for the
    competent level, who concludes the year (NĐ 335/2025 Điều 21), so the year keeps them
    whether the rule set or a call's ``options`` switched them on for the months.

    ``row_rule``, ``row_sets``: each period's own rule set (where a set is named for the
    roll-up, the one its ``rule_set`` column records: see :func:`rollup_frame`)."""
    out: dict[tuple[int, str], BoolArray] = {}  # (no reasons column: every cell blank)
    codes, uniq = distinct_texts(res.get("reasons", pd.Series(None, index=res.index)))
    split = [split_codes(cell) for cell in uniq]
    found = {c for cs in split for c in cs} - {"cap.head_unit"}  # the steps' code, no cap's
    other = np.array([[a != b for b in sets] for a in row_sets], dtype=bool)[row_rule, rcode]
    disq = np.array([any(c.startswith("disqualifier.") for c in cs) for cs in split], bool)[codes]
    for i, rs in enumerate(sets):
        caps = {s.code: _cap(rs, s.code) for s in _kernels.reason_table(rs) if s.lowers_to}
        for code in [c for c in (*caps, *(f"notice.{x.id}" for x in rs.notices)) if c in found]:
            rows = np.array([code in cs for cs in split], dtype=bool)[codes] & (rcode == i)
            if cap := caps.get(code):  # the same test under the period's own set
                rows &= np.array([_test(_cap(m, code)) == _test(cap) for m in row_sets])[row_rule]
                if (source := _FLAG_SOURCES.get(cap.flag, cap.flag)) in res.columns:
                    rows &= res[source].isna().to_numpy(dtype=bool)  # the flag decides
            if rows.any():
                out[(i, code)] = _any(gcode, rows, g)
    return out, _any(gcode, disq & other, g)


def classify_year(staff_results: pd.DataFrame, unit_results: pd.DataFrame | None = None,
                  rules: RuleSet | str | None = None, *, conclusions: pd.DataFrame | None = None,
                  to: Literal["year", "quarter"] = "year", force: bool = False,
                  jurisdiction: str | None = None) -> pd.DataFrame:  # fmt: skip
    """The year's classification from the periods' results: roll-up, then the steps.

    A named ``rules`` must be in force when the year is classified (its end; a quarter:
    its first day), else :class:`~evalkit.errors.RuleSetNotInForceError` unless
    ``force=True`` — applying a set outside its dates is an explicit choice (domain
    brief §4), as in :func:`evalkit.score_frame`.

    ``jurisdiction`` is read as :func:`rollup_frame` reads it, for the people and for the
    units that name no set.

    ``staff_results`` are the months (or quarters) of :func:`rollup_frame` — e.g.
    :func:`evalkit.classify_frame`'s staff results, which keep the input flags — or rows
    already rolled up to the year. ``unit_results`` gives each unit's grade for
    the year: rows with ``unit_id`` and ``grade`` (for the year, or without ``period``),
    or the months' unit results (the mean score, banded, then the unit conditions judged
    on the year: ``_unit_year``), and optionally ``exceptional`` (the competent
    level recognised the unit as especially outstanding: for the year, on a row for the
    year or without ``period`` — a month's recognition does not raise the year's quota;
    for quarters, on the quarter's row or any of its months).
    ``conclusions`` holds the competent level's annual conclusions: ``staff_id``,
    ``competent_grade``, ``competent_reason`` (required when the grade differs), and
    ``competent_order`` (tie-break); a conclusion for a person (or a ``period``) with no
    result is refused, never dropped, and so is a column it is not read for (``grade``:
    :func:`evalkit.scoring.check_conclusion_columns`), said with the unit results' problems.

    Heads are capped at their unit's grade for the year (``cap.head_unit``) — where the
    rule set caps heads and classifies the year, a head whose unit has no row in
    ``unit_results`` for the year is refused (an :class:`~evalkit.errors.InputError` naming
    the person, the unit and the year), never left uncapped; a unit with a row but no score
    caps nobody; a head is a row's ``is_head``, or the person the unit results' ``head_id``
    of its unit and period names, as :func:`evalkit.classify_frame` reads them, a mark
    beside another head named refused at its row (:func:`_named_heads`) —, then the rule
    set's quota runs on the year (``quota.demoted``, ``quota_*`` columns), where the rule
    set classifies the year. Returns the roll-up's columns plus ``unit_grade``,
    ``proposed_grade`` (before the quota), ``annual_total`` and ``annual_grade`` (the same
    as ``total`` and ``grade``, for archives and sheets).

    >>> import pandas as pd
    >>> sy = pd.DataFrame({"staff_id": list("ABCDEFG"), "period": "2026-12", "unit_id": "U",
    ...                    "rule_set": "vn.nd335-2025", "total": [95.0, 93.0] + [80.0] * 5})
    >>> out = classify_year(sy)
    >>> out[["staff_id", "grade", "reasons"]].values.tolist()[:2]
    [['A', 'HTXS', 'rollup.average'], ['B', 'HTT', 'rollup.average;quota.demoted']]
    """
    try:
        year, kept = _staff_year(staff_results, unit_results, rules, to, force, jurisdiction)
    except InputError as exc:  # the unit results' problems said with the staff rows' own
        if type(exc) is not InputError or not isinstance(unit_results, pd.DataFrame) \
                or to == "quarter":  # (a quarter's are said by the year's call)
            raise
        u: list[InputProblem] = []
        with suppress(EvalkitError):  # (none expected: each is collected, not raised)
            u = _unit_cells(unit_results)[1].in_order() if len(unit_results) else []
        # (those not said already by a quarter)
        raise InputError([*exc.problems, *(p for p in u if p not in exc.problems)]) from None
    named = [] if rules is None else [resolve(rules)]
    if (n := len(year)) == 0:  # nobody: the sets given, to grade the units' year under
        given = [*named, *(rs for f in (unit_results, staff_results) if f is not None
                           for rs in (f.attrs.get("rule_sets") or {}).values())]
        year.attrs["rule_sets"] = custom_sets(given)
        return year
    known = {**(year.attrs.get("rule_sets") or {}), **{rs.id: rs for rs in named}}
    sets = [resolve(str(r), known=known) for r in year["rule_set"].cat.categories]
    rule = np.asarray(year["rule_set"].cat.codes, dtype=np.int64)
    grade, flags = grade_codes(year, "grade").copy(), np.zeros(n, dtype=np.int64)
    pc, plabels = pd.factorize(year["period"].astype(str).to_numpy())  # each period read once
    classified = per_rule_period(sets, rule, pc, RuleSet.classifies, list(plabels))
    # the units' grades for the year
    said: list[InputProblem] = []  # the unit results' problems, with the head cap's below
    has_unit, unit = _unit_year(year, unit_results, sets, rule, to == "quarter", said, jurisdiction)
    # the unit's, and its public service unit's (NĐ 233 k6 b); a quarter its set only scores
    # (NĐ 335) classifies no unit — not the same test as unit_year_grades' ``ok``: the
    # person's set here, the unit's there
    unit_grade, top_grade = (np.where(classified | (to == "year"), unit[c], -1).astype(np.int8)
                             for c in ("grade", "top_grade"))
    # a head is not graded above the unit's result for the period (the rule set's
    # units.head_capped_at_unit, cited by its units.source): where the rule set caps heads
    # and classifies the year (or the customs quarter: CV 21169/CHQ-TCCB), a head whose unit
    # has no row in the unit results for that period is refused — never silently left
    # uncapped; a unit that has a row but no score (not evaluated) leaves its head
    # uncapped, as in the month
    is_head = bools(year, "is_head")
    on = per_rule(sets, rule, lambda rs: rs.units.head_capped_at_unit) & classified & ~has_unit
    missing = (on & is_head & np.array([len(p) == 4 or "Q" in p for p in plabels])[pc]).nonzero()[0]
    frame, told = year, []  # told: the conclusions' own problems (said with the units')
    if conclusions is not None and len(conclusions):
        _columns.need_frame(conclusions, "the conclusions")
        found = _columns.Problems(conclusions, file=conclusions.attrs.get("file"))
        check_conclusion_columns(conclusions, sets, found)  # a misspelt header is not ignored
        if "staff_id" not in conclusions.columns:
            raise InputError([*said, *found.in_order()])
        keys = ["staff_id"] + (["period"] if "period" in conclusions.columns else [])
        c, left = (f.assign(staff_id=id_texts(f["staff_id"])).astype(dict.fromkeys(keys, str))
                   for f in (_ids.normal_ids(conclusions, ("staff_id",)), frame[keys]))  # fmt: skip
        twice = c.duplicated(keys, keep=False).to_numpy()
        found.add(twice, "staff_id", conclusions["staff_id"],
                  "more than one conclusion for the person")
        ck, years = (pd.MultiIndex.from_frame(f[keys]) for f in (c, left))
        found.add(~twice & ~ck.isin(years), "staff_id", conclusions["staff_id"],
                  "a conclusion for a person who has no result for the year")  # never dropped
        at_year = years.get_indexer(ck) if years.is_unique else np.full(len(c), -1, np.int64)
        _columns.grades(conclusions, "competent_grade", found,  # each by its year row's set
                        labels=[rs.grade_names for rs in sets],
                        rule=np.where(at_year >= 0, rule[at_year], -1))  # fmt: skip
        _columns.numbers(conclusions, "competent_order", found, minimum=1, integer=True)
        told = found.in_order()
        rows = pd.Index([_columns.row_label(x) for x in conclusions.index], dtype=object)
        bad = np.asarray(rows.isin([p.row for p in told]), dtype=bool)  # left out, said
        # each year row's conclusion (its position, -1: none), the rows said bad left out
        pos = np.append(good := np.flatnonzero(~bad & ~twice), -1)[ck[good].get_indexer(years)]
        frame = frame.assign(**{k: take(conclusions[k], pos) for k in ("competent_grade",
                               "competent_reason", "competent_order") if k in conclusions})
        frame = frame.set_axis(np.where(pos >= 0, np.asarray(conclusions.index, dtype=object)[
            pos], np.asarray(frame.index, dtype=object)))  # the row its problems are said at
    if missing.size or said:  # all in one error: the unit results', the conclusions', the heads
        units = id_texts(year.get("unit_id", pd.Series(index=year.index, dtype=object)))
        # the row giving the unit: the year's own where the rows are kept, else its last period
        at = missing if kept else _staff_rows(staff_results, year, missing, to)
        typed = staff_results["unit_id"] if "unit_id" in staff_results.columns else None
        raise InputError([*said, *told, *_columns.capped([InputProblem(
            f"the head cap needs the unit's result for {plabels[pc[i]]}: pass unit_results with "
            "a row for this unit", column="unit_id", staff_id=str(year["staff_id"].iloc[i]),
            unit_id=units[i], **({"value": units[i]} if r < 0 or typed is None else {
                "row": _columns.row_label(staff_results.index[r]), "value": typed.iloc[r]}))
            for i, r in zip(missing, at, strict=True)])])
    applies = classified & per_rule_period(sets, rule, pc, RuleSet.quota_applies, list(plabels))
    ucode = pd.factorize(year["unit_id"])[0] if "unit_id" in year.columns else 0
    group = pd.factorize(ucode * (int(pc.max()) + 1) + pc)[0]
    comps = {c: floats(year, c) for c in year.columns if str(c).startswith("points_")}
    # a deputy is not above the head of their unit and period where it had late work (the
    # customs quarter and year, CV 21169/CHQ-TCCB; units.deputy_capped_at_head_when_late)
    head_of = np.full(len(group), -1, dtype=np.int64)
    head_of[group[is_head]] = np.flatnonzero(is_head)
    deputy = (bools(year, "manages_others") & ~is_head, head_of[group], unit["late_work"])
    day = per_period(map(Period.parse, plabels), pc, lambda p: rule_day(p).toordinal(), 0, np.int64)
    qsets, qrule, applies = (sets, rule, applies) if to != "year" else year_quota(  # [rollup.quota]
        sets, rule, applies, classified, day, _kernels.category_codes(year["category"])
        if "category" in year.columns else None)  # fmt: skip
    try:
        proposed, competent, qcols = run_steps(frame, qsets, qrule, grade, flags, classified,
            is_head=is_head, unit_grade=unit_grade, applies=applies, group=group,
            exceptional=unit["exceptional"], total=floats(frame, "total"), comps=comps,
            deputy=deputy, top_grade=top_grade)
    except InputError as exc:  # a conclusion without its reason, named by its own row
        raise InputError(sorted([*told, *exc.problems], key=lambda p: str(p.row).zfill(12))
                         ) from None  # fmt: skip
    if told:
        raise InputError(told)
    cols: dict[str, Any] = {**year, "unit_grade": grades(unit_grade), "proposed_grade": grades(
        proposed), "grade": grades(grade), **competent, **qcols,
        "reasons": join_reasons(year["reasons"], flags, STAFF_FLAGS)}  # fmt: skip
    cols.update(annual_total=cols["total"], annual_grade=cols["grade"], **{c: floats(frame, c)
                for c in ["competent_order"] if c in frame.columns})  # the conclusions' order
    return frame_of(cols, year.index, rule_sets=custom_sets(sets))


def _staff_rows(staff_results: pd.DataFrame, year: pd.DataFrame, at: IntArray,
                to: Literal["year", "quarter"]) -> IntArray:
    """The position in ``staff_results`` (periods rolled up by :func:`_staff_year`) of each
    year row ``at``: the person's last period of it — the row whose ``unit_id`` gives the
    year its unit. Only said on a problem."""
    codes, periods = canonical_periods(staff_results["period"])
    # each person's last row of each quarter or year: the latest period (the labels are in
    # date order; a person's periods of a quarter or year have distinct dates, else refused)
    sid = id_texts(_ids.normal_ids(staff_results, ("staff_id",))["staff_id"])
    out = per_period(periods, codes, lambda p: _period_of(p, to == "quarter"), dtype=object)
    last = pd.Series(codes).groupby([sid, out]).idxmax()
    asked = pd.MultiIndex.from_arrays([id_texts(year["staff_id"])[at],
                                       year["period"].astype(str).to_numpy()[at]])
    return last.reindex(asked).fillna(-1).to_numpy(dtype=np.int64)


def _staff_year(staff_results: pd.DataFrame, unit_results: pd.DataFrame | None,
                rules: RuleSet | str | None, to: Literal["year", "quarter"],
                force: bool, jurisdiction: str | None = None
                ) -> tuple[pd.DataFrame, bool]:  # fmt: skip
    """:func:`classify_year`'s rows for the year (or quarter), and whether they are the
    input's own: rows already for the year kept (True), else the months rolled up (a year
    counted over quarters classifies each quarter first, at its unit and quota; the year
    counts their grades)."""
    _columns.need_frame(staff_results, "the staff results")  # (a column twice: its problem)
    staff_results = with_assumed_category(staff_results, rules)  # the results say it
    # rows already for the year (the old interface): kept, with what the steps read; the
    # problems named by the input's row labels (the periods read first, whatever ``to``)
    if "period" in staff_results.columns and {p.kind for p in canonical_periods(
            staff_results["period"])[1]} == {"year"} and to == "year":
        sy = _ids.normal_ids(staff_results, ("staff_id", "unit_id")).reset_index(drop=True)
        labels = staff_results.index
        _columns.require(sy, ("staff_id", "period", "unit_id", "total", "grade"),
                         "the year classification")
        _columns.refuse(sy.set_axis(labels), sy.astype({"staff_id": str, "period": str}).duplicated(
            ["staff_id", "period"], keep=False), "staff_id", "appears more than once in the year")
        rule, sets = assign_rule_sets(sy, rules, force=True, known=sy.attrs.get("rule_sets"),
                                      jurisdiction=jurisdiction)  # fmt: skip
        if rules is not None:  # a named set: in force at each year's end
            require_in_force(sets[0], list(sy["period"].dropna().astype(str).unique()), force=force)
        sy["rule_set"] = categorical(rule, [rs.id for rs in sets])
        if "deduction_inputs" not in sy.attrs:  # a year read back (a CSV, a concat): its
            # deduction columns are the roll-up's, the events its months' sets deducted,
            # counted whatever the year's set (quota.tie_keys; rollup_frame says them)
            every = [*sets, *default_registry()]
            sy.attrs["deduction_inputs"] = tuple(deduction_columns(every, rule, sy.columns))
        if "category" in sy.columns:  # as read ("Công chức": cong_chuc), as the months say it
            sy["category"] = _kernels.category_names(sy["category"])
        sy["grade"] = grades(grade_codes(sy, "grade"))
        sy["total"] = floats(sy.set_axis(labels), "total")  # "80" read back as text is 80.0
        sy["reasons"] = sy.get("reasons", pd.Series("", index=sy.index)).astype(object).fillna("")
        return sy, True
    return rollup_frame(_named_heads(staff_results, unit_results), rules, to=to, force=force,
                        jurisdiction=jurisdiction, quarters=lambda m, r: classify_year(
                            m, unit_results, r, to="quarter", force=force,
                            jurisdiction=jurisdiction)), False


def _named_heads(res: pd.DataFrame, unit_results: pd.DataFrame | None) -> pd.DataFrame:
    """``res`` (months or quarters) with ``is_head`` where the unit results' row of a row's
    unit and period names its person in ``head_id`` — the head of that unit-period, as
    :func:`evalkit.classify_frame` reads a units frame (ids compared as every door compares
    them) — or its own ``is_head`` says so. A mark on anyone but the head named, or on two
    people of a unit-period whose row names none, is refused at its row as the month refuses
    it (:func:`~evalkit._classify.month._typed_heads`). Unit results without ``head_id`` or
    ``period``, and a unit row for a period of no row of ``res`` (the year's), name nobody."""
    u, cols = unit_results, ("staff_id", "unit_id", "period")
    if u is None or not len(u) or {*cols} - {*res} or {*cols[1:], "head_id"} - {*u}:
        return res
    typed, n = bools(res, "is_head"), len(res)  # (a bad mark: said at once, as the roll-up)
    s, u = _ids.normal_ids(res, cols[:2]), _ids.normal_ids(u, ("unit_id", "head_id"))  # (ids)
    # the unit-period keys of the rows (:n) and of the unit rows (n:) in one space: a bad
    # period or a blank id keys nothing (the roll-up and _unit_year say them); a unit given
    # twice for a period is read at its first row (_unit_year refuses it)
    (pc, pl), (qc, ql) = (_columns.periods(f, "period", _columns.Problems(f)) for f in (s, u))
    pc = np.r_[pc, np.append(pd.Index(pl).get_indexer(pd.Index(ql)), -1)[qc]]  # units: in pl
    # (0: no key; the first unit row of each key, as the month looks up a unit-period's head)
    key = np.where(((c := np.r_[*id_codes(s["unit_id"], u["unit_id"])]) >= 0) & (pc >= 0),
                   c * len(pl) + pc + 1, 0)  # fmt: skip
    urow = np.where(key[:n] > 0, _first_rows(key[n:], len(key) * len(pl) + 1)(key[:n]), -1)
    sid, text, blank = _columns.staff_codes(s["staff_id"])  # (the month's reading: codes_in)
    sid, head = np.where(blank, -1, sid), codes_in(u["head_id"], text)
    # named: the row's unit-period names it; head_row: each unit row's head among the rows
    # (-1: none), for the marks' check
    named, head_row = (urow >= 0) & (sid >= 0) & (head[urow] == sid), np.full(len(u), -1)
    head_row[urow[named][::-1]] = np.flatnonzero(named)[::-1]  # (a person twice: the first)
    if (typed & (urow >= 0) & ~named).any() and (wrong := _typed_heads(  # (only a mark on
            s, typed & (urow >= 0), u, urow, head_row)):  # a head named: nothing to refuse)
        raise InputError(wrong)
    return _columns.with_columns(res, {"is_head": typed | named}) if (named > typed).any() else res


def unit_year_grades(year: pd.DataFrame, unit_results: pd.DataFrame | None,
                     to: Literal["year", "quarter"] | None = None, *,
                     jurisdiction: str | None = None) -> pd.DataFrame:
    """Every unit of ``unit_results`` (the months' unit results) graded for each year (or,
    ``to="quarter"``, quarter; by default as ``year``'s rows are) of ``year``
    (:func:`classify_year`'s rows) as :func:`classify_year` grades the unit of a person
    (``_unit_year``), under the rule set of the unit's rows (else of the year's people):
    also the units without people of their own, such as a "Khối" between the Sở and its
    phòng, whose grade is on no person's row. Where nobody was scored all year (``year``
    has no row), the periods are those of the unit results' rows. Columns ``unit_id``,
    ``period``, ``grade``, ``score`` (the score it was graded from: the mean of the
    months' scores rounded as the rule set rounds, or the year's own row) and ``rule_set``
    (the set it was graded under, found in ``year.attrs``); none for a
    quarter its rule set only scores (NĐ 335's: the unit is not classified for it); and
    ``done_percent``, ``exceeded_percent`` and ``reasons`` as the month's unit results
    have them (the HTXS conditions the year failed: :data:`UNIT_BITS`, the month's codes)."""
    cols = ["unit_id", "period", "grade", "score", "rule_set", *_PERCENTS, "reasons"]
    if (unit_results is None or not len(unit_results) or "unit_id" not in unit_results.columns
            or not {"unit_id", "period", "rule_set"} <= set(year.columns)):  # fmt: skip
        return pd.DataFrame(columns=cols)
    u = _ids.normal_ids(unit_results, ("unit_id",))
    last = u.drop_duplicates("unit_id", keep="last")  # each unit's own set: its last row's
    own = last[["unit_id"]].dropna().assign(
        unit_set=last["rule_set"].astype(object) if "rule_set" in last else None)
    pers = year.assign(period=year["period"].astype(str), rule_set=year["rule_set"].astype(str))
    quarters = to == "quarter" or (to is None and bool(pers["period"].str.contains("Q").any()))
    if pers.empty and "period" in u.columns:  # nobody scored: the unit results' periods
        pers = pd.DataFrame({"period": [_period_of(p, quarters) for p in canonical_periods(
            u["period"])[1] if p.kind != "year" or not quarters], "rule_set": None})
    pers = pers[pers["period"].str.contains("Q") == quarters]
    people = pers.reindex(columns=["unit_id", "period", "rule_set"]).dropna()
    rows = pers[["period", "rule_set"]].drop_duplicates("period").merge(own, how="cross")
    rid = rows["unit_set"].where(rows["unit_set"].notna(), rows["rule_set"])
    if (rows := rows.assign(rule_set=rid)[rid.notna()]).empty:  # (no set: no row of the
        return pd.DataFrame(columns=cols)  # year, none of the unit's)
    # a unit-year with people is graded on their rows, under the set they make it
    # (``_unit_year``), as classify_year grades it; one without, under its own
    # (_unit_year's ``fill``: none of its own, its parent's)
    # (each of ``rows`` after them, counted by nobody but the one alone: its figures)
    key, pkey = (f["unit_id"].astype(str) + "\x00" + f["period"] for f in (rows, people))
    both = pd.concat([people, rows[["unit_id", "period"]].assign(
        rule_set=rows["unit_set"].where(~key.isin(pkey)))], ignore_index=True)
    rule, ids = pd.factorize(both["rule_set"].astype(object))
    sets = [resolve(r, known=year.attrs.get("rule_sets") or {}) for r in ids]
    said: list[InputProblem] = []  # (each of ``rows``' figures: after the people's)
    facts = {n: v[len(people):] for n, v in _unit_year(
        both, unit_results, sets, rule, quarters, said, jurisdiction)[1].items()}
    if said:
        raise InputError(said)
    # the set its unit-year was graded under (a unit without a row for the period:
    # ungraded, the period's set said)
    rule = np.where(facts["rule"] >= 0, facts["rule"],
                    pd.Index(ids).get_indexer(rows["rule_set"].astype(object)))
    pc, pl = pd.factorize(rows["period"])  # a quarter its set only scores classifies no unit
    ok = per_rule_period(sets, rule, pc, RuleSet.classifies, list(pl))
    return pd.DataFrame({"unit_id": rows["unit_id"].astype(object).to_numpy(),
                         "period": rows["period"].to_numpy(),
                         "grade": grades(np.where(ok, facts["grade"], -1)),
                         "score": np.where(ok, facts["score"], np.nan),  # (sets: the units' too)
                         "rule_set": [sets[r].id for r in rule], **{c: facts[c] for c in _PERCENTS},
                         "reasons": join_reasons(None, np.where(ok, facts["bits"], 0), UNIT_BITS)})


#: The unit-year's shares of its tasks (:func:`_unit_year`'s facts, unit_year_grades' columns).
_PERCENTS = ("done_percent", "exceeded_percent", "on_time_percent")
#: The columns of the unit results :func:`_unit_year` reads as numbers, and as yes/no.
_UNIT_NUMBERS = ("score", "tasks_assigned", "tasks_done", "tasks_exceeded", "tasks_on_time",
                 *_PERCENTS)
_UNIT_FLAGS = ("exceptional", "late_work", "disciplined", "leadership_disciplined", PSU,
               *CONDITION_FLAGS, "excellent_share_raised")
#: A unit-year's figures (:func:`_unit_year`), each with its value where it has none.
_UNIT_YEAR: dict[str, Any] = {"grade": np.int8(-1), "exceptional": False, "late_work": False,
                              "bits": np.int64(0), **dict.fromkeys(("score", *_PERCENTS), np.nan),
                              "top_grade": np.int8(-1), "rule": np.int64(-1)}


def _of_rows(unit_years: Mapping[str, Any], at: IntArray) -> dict[str, Any]:
    """Each row's figures of its unit-year ``at`` (-1: none, each figure blank; a figure not
    in ``unit_years``, not computed: blank for every unit-year)."""
    blank = {c: np.full(len(at), b) for c, b in _UNIT_YEAR.items()}
    return blank | {c: np.append(v, _UNIT_YEAR[c])[at] for c, v in unit_years.items()}


def _unit_cells(unit_results: pd.DataFrame) -> tuple[
        pd.DataFrame, _columns.Problems, IntArray, list[str], dict[str, Any]]:  # fmt: skip
    """The unit results read once, every problem collected (not raised): their ids read
    as every id is (a unit grade typed 'P1\u200b' is P1's), the period codes and labels
    (-1: no period, a year of its own, "*"), and each column :func:`_unit_year` reads by
    name. A unit given twice for a period (a month twice would weigh twice in the mean),
    a blank unit id, a bad period, grade, number (a score or count the month refuses too:
    :func:`~evalkit._classify.units.value_problems`) or yes/no is each named by the caller's
    row, its unit, the column and the value as typed, in row order
    (:class:`evalkit._columns.Problems`); a missing ``unit_id`` column is one problem
    among them (the other columns are read without it)."""
    _columns.need_frame(unit_results, "the unit results")
    u = _ids.normal_ids(unit_results.reset_index(drop=True), ("unit_id", "parent_id"))
    found = _columns.Problems(uu := u.set_axis(unit_results.index), id_column="unit_id")
    _columns.missing(u, ("unit_id",), "the unit results", found)
    pcode, plabels = _columns.periods(uu, "period", found, required="period" in u.columns)
    if "unit_id" in u.columns:  # one row per unit and period (a row whose period is
        # unreadable is said as such; a blank id once, as blank; its code -1)
        ucode, blank = id_codes(u["unit_id"])[0], _columns.blank_ids(u["unit_id"])
        found.add(blank, "unit_id", unit_results["unit_id"], "blank unit id")
        found.add(_columns.repeated((ucode + 1) * (len(plabels) + 1) + pcode + 1) & ~blank & (
            (pcode >= 0) | ("period" not in u.columns)), "unit_id", unit_results["unit_id"],
            "unit appears more than once for the same period in the unit results")
    _ids.name_problems(uu, _words.UNIT_NAME_COLUMNS, found)  # printed on the sheets
    cells: dict[str, Any] = {c: _columns.grades(uu, c, found) for c in ("grade", "score_grade")}
    cells.update({c: _columns.numbers(uu, c, found) for c in _UNIT_NUMBERS})  # float64
    for bad, c, why in value_problems({c: cells[c] for c in _UNIT_NUMBERS}):  # the month's
        found.add(bad, c, uu[c], why)  # bounds: a negative count, a score above 100 …
    cells.update({c: _columns.booleans(uu, c, found) for c in _UNIT_FLAGS})
    return u, found, pcode, list(plabels), cells


def _unit_year(year: pd.DataFrame, unit_results: pd.DataFrame | None, sets: list[RuleSet],
               rule: IntArray, quarters: bool, said: list[InputProblem],
               jurisdiction: str | None = None) -> tuple[BoolArray, dict[str, Any]]:  # fmt: skip
    """Per person-year: whether the unit results have a row for its unit's year, and the
    figures of that unit-year (:data:`_UNIT_YEAR`, blank where it has none): its ``grade``,
    its ``exceptional`` flag, its ``late_work`` (in any of the period's months), the reason
    ``bits`` of :data:`UNIT_BITS` (the conditions failed; none for a grade given), the
    ``score`` the grade came from (NaN: none), the ``done_percent``, ``exceeded_percent``
    and ``on_time_percent`` judged, the ``top_grade`` of the person's public service unit
    (:func:`~evalkit._classify.units.service_tops`) and the ``rule`` (the set it was graded
    under, a code into ``sets``).

    Unit rows for the year (or without a period) give their ``grade``, beside monthly rows
    too; from monthly unit rows the unit is graded for the year once, under the unit-year's
    rule set (its people's, else its own), whichever person's row reads it.
    Where the rows are quarters (``quarters``: ``to="quarter"``), each quarter's unit is
    graded the same way from its months (or its quarter's row). The tree (``parent_id``)
    and the ``public_service_unit`` marks are a row for the year's where it gives them (a
    tree given on the year wins), else the unit's latest month's of the year: a year's rows
    given without them beside the months keep the months' tree.

    Every problem of ``unit_results`` (:func:`_unit_cells`, :func:`flag_problems`) is added
    to ``said``, leaving every unit ungraded (only whether each person's unit has a row is
    said), so the caller says them with its own in one error (or raises them).
    """
    nobody = np.full(len(year), -1)
    if unit_results is None or not len(unit_results) or "unit_id" not in year.columns:
        return nobody >= 0, _of_rows({}, nobody)
    u, found, pcode, plabels, cells = _unit_cells(unit_results)
    pl = [Period.parse(x) for x in plabels]
    # the period each unit row counts for: its year, or — where quarters are classified
    # (to="quarter") — its quarter, so the quarter's heads are capped at the quarter's unit
    uyear = per_period(pl, pcode, lambda p: _period_of(p, quarters), "*", object)
    start = per_period(pl, pcode, lambda p: p.start.toordinal(), 0, np.int64)
    ucode, yunit = id_codes(u.get("unit_id", pd.Series(None, index=u.index)), year["unit_id"])
    # integer keys (unit code × years + year code) in one space for the unit and year rows
    ycode, ylabels = pd.factorize(np.r_[uyear, year["period"].astype(str).to_numpy(), ["*"]])
    kcode, keys = pd.factorize(ucode * len(ylabels) + ycode[:len(u)])
    k = len(keys)
    at, star = (pd.Index(keys).get_indexer(yunit * len(ylabels) + y)
                for y in (ycode[len(u):-1], ycode[-1]))  # fmt: skip
    at = np.where(at >= 0, at, star)  # the year's row, else the row without a period
    # which unit a row is for, unknown (no unit_id column: its problem is said): no head is
    # said to lack one
    hit = (at >= 0) | ("unit_id" not in u.columns)
    if found.problems:  # said by the caller, with its own problems
        said.extend(found.in_order())
        return hit, _of_rows({}, nobody)
    # a row for the year (or without a period)
    yrow = per_period(pl, pcode, lambda p: p.kind == "year", True, bool)
    # the unit's flags for the period: late work in any of its months; exceptional as the
    # competent level recognised the unit for the period classified — a quarter's from its
    # months, a year's only from a row for the year: a month's recognition does not raise
    # the year's quota (NĐ 335/2025 Điều 20 k5 b)
    kf: dict[str, Any] = {"late_work": _any(kcode, cells["late_work"], k),
                          "exceptional": _any(kcode, cells["exceptional"] & (yrow | quarters), k)}
    # so the higher share of HTXS sub-units (NĐ 233/2026 Điều 7 k7 b), per unit-year
    raised = _any(kcode, cells["excellent_share_raised"] & (yrow | quarters), k)
    # a row for the year with a grade keeps it, and its score, beside the months (one per
    # unit and year)
    given, given_score = np.full(k, -1, dtype=np.int8), np.full(k, np.nan)
    given[kcode[yrow]], given_score[kcode[yrow]] = cells["grade"][yrow], cells["score"][yrow]
    only_given = "grade" in u.columns and bool(yrow.all())  # rows for the year: their grades
    # each unit-year's parent and public service unit mark: a row for the year's where it
    # gives one (a tree given on the year wins), else the unit's latest month of the year (a
    # year given without them keeps the months' tree: NĐ 233/2026 Điều 7 k1 b, k7, k8 and
    # Điều 12 k6 b apply to the year, Điều 15 k1); the tree checked whatever is graded below
    # (a cycle is refused under every rule set, a unit nobody is in included)
    pid = id_texts(u.get("parent_id", pd.Series(None, index=u.index)))  # blank: "", no id
    marked = ~_columns.staff_codes(u.get(PSU, pd.Series(None, index=u.index)))[2]
    last, mlast = (_groups(kcode, start, np.where(yrow, 2 * gives, 1), kcode)[2]
                   for gives in (pid != "", marked))  # fmt: skip
    uy = pd.DataFrame({"unit_id": id_texts(u["unit_id"])[last], "parent_id": pid[last],
                       "p": pd.factorize(uyear[last])[0], "period": uyear[last]})
    prow, depth, twice, structure = tree_checks(uy, strict=False)
    if twice or structure:  # a unit twice first, then every problem of the tree at once
        raise InputError(twice) if twice else OrganisationError.of([e for _, e in structure])
    # the rule set (a code into ``sets``; -1: none) each unit-year is graded under, whatever
    # the rows' order: the unit's own set on its last row (its ``rule_set``, else its
    # ``category``'s, as the month looks it up: a set none of the people has is appended to
    # ``sets``; every row read, each bad one said) where one of its people has it or it has
    # nobody, else the most common among its people (``at``: each one's unit-year), a tie to
    # the set whose id sorts first — as the month (scoring.assign_unit_rule_sets)
    own = own_unit_sets(u.set_axis(unit_results.index), sets, force=True,
                        jurisdiction=jurisdiction)[last]  # fmt: skip
    tally, best = most_common_set(at[ok := (at >= 0) & (rule >= 0)], rule[ok], sets, k)
    urule = np.where((own >= 0) & ((best < 0) | (tally[np.arange(k), np.maximum(own, 0)] > 0)),
                     own, best)  # (nobody: its own)
    # one without a set (nobody in it, none on its rows): a public service unit (its last
    # month's mark) under its units' set; else under its parent's, as the parent counts it;
    # without one above, under its public service unit's units' (the id sorting first); each
    # unit-year once, whoever asks — the month's rule (:func:`inherited_sets`)
    # (nothing in its tree: the set in force for its kind of unit, as the month's)
    fill, utop = inherited_sets(prow, urule, psu := cells[PSU][mlast], sets)
    fill = unit_sets_in_force(fill, uyear[last], sets, jurisdiction, marked=psu)
    # a unit flag set on a row (a month's or the year's) whose unit-year's set does not read
    # it: refused, as the month refuses it (never ignored); a results row (the engine wrote
    # its ``classified``) keeps the flags the engine wrote in it
    rows_of = u.assign(source_row_=unit_results.index, unit_id=id_texts(u["unit_id"]),
                       period=np.array([*plabels, ""], dtype=object)[pcode])
    results = u["classified"].notna().to_numpy() if "classified" in u.columns else None
    # the unit-years one of whose people's quota reads exceptional
    people = _any(at, hit & quota_readers(sets, rule, "quarter" if quarters else "year"), k)
    if unread := flag_problems(rows_of, sets, fill[kcode], results, people[kcode]):
        said.extend(unread)
        return hit, _of_rows({}, nobody)
    if hit.any() and not only_given:  # a unit-year to grade (else no months to read)
        # each unit-year (kcode groups the unit rows u) graded under its rule set (above)
        # by the month's code (evalkit._classify.units._excellent, then _bottom_up):
        # * score: the mean of the months' score (a month without one is not evaluated; a
        #   quarter's row weighs its three months);
        # * tasks done %, exceeded % and on time % over the year: from the months' counts
        #   where the rows carry them (Σ tasks_done ÷ Σ tasks_assigned, Σ tasks_exceeded ÷
        #   Σ tasks_assigned, each over the months that gave both counts), else the mean of
        #   the months' done_percent/exceeded_percent/on_time_percent;
        # * sub-unit KHT: a sub-unit (parent_id of the unit's last month) KHT for the year;
        # * discipline (QĐ 366-QĐ/TW Điều 11 k1): disciplined/leadership_disciplined in any
        #   month, or a month whose reasons carry unit.excellent_condition.discipline;
        # * NĐ 233/2026 Điều 7 k1 c, k4 a; QĐ 366-QĐ/TW Điều 11 k4 (CONDITION_FLAGS): set in
        #   any month or on the year's row
        # a row weighs the months it stands for: an archived customs quarter is three months
        # of the year beside the NĐ 335 months (CV 21169/CHQ-TCCB from Q3/2026), never one
        span = per_period(pl, pcode, lambda p: len(p.months()), 1, np.float64)

        def mean(v: FloatArray) -> FloatArray:
            s, w = (group_sum(kcode, x, k, ~np.isnan(v))[0] for x in (v * span, span))
            return np.where(w > 0, s / np.where(w > 0, w, 1), np.nan)

        tasks = cells["tasks_assigned"]
        # on time: a month's blank count (or share) is all its tasks done (NĐ 233 Điều 7 k1 a)
        cells["tasks_on_time"] = np.fmin(cells["tasks_on_time"], cells["tasks_done"])
        cells["on_time_percent"] = np.fmin(cells["on_time_percent"], cells["done_percent"])
        with np.errstate(invalid="ignore", divide="ignore"):  # each share over the months
            # that gave both counts (a month without one counts neither: never as 0); no
            # tasks assigned in them, or none gave the count: the mean % (none: not known)
            done, exceeded, on_time = (np.where(a > 0, 100.0 * s / a, mean(cells[f"{x}_percent"]))
                for x in ("done", "exceeded", "on_time")
                for s, a in [(group_sum(kcode, cells[f"tasks_{x}"], k, ~np.isnan(tasks))[0],
                              group_sum(kcode, tasks, k, ~np.isnan(cells[f"tasks_{x}"]))[0])])
        marks = {c: _any(kcode, cells[c], k) for c in ("disciplined", *CONDITION_FLAGS)}
        lead = _any(kcode, cells["leadership_disciplined"] | _says(u, UNIT_BITS[BIT_DISCIPLINE]), k)
        # each unit-year under its own set (``fill``): the mean rounded as the set rounds
        # scores (NaN, not evaluated, stays NaN), banded, its own HTXS conditions judged
        # (:func:`_excellent`), then in one pass bottom-up as the month's: a sub-unit KHT is
        # a sub-unit whose *year* grade is KHT, under its own set (:func:`_bottom_up`)
        score = _each_set(sets, fill, fill >= 0, mean(cells["score"]))
        sg, grade, bits = np.full(k, -1, np.int8), np.full(k, -1, np.int8), np.zeros(k, np.int64)
        for i, rs in enumerate(sets):
            sg[r], grade[r], bits[r] = _excellent(rs, score[r := fill == i], done[r], exceeded[r],
                                                  on_time[r], {c: v[r] for c, v in marks.items()})
        _bottom_up(sets, fill, prow, depth, uy["unit_id"], score, sg, grade, bits,
                   marks["disciplined"], lead, raised)  # (in place)
        kf.update(zip(("grade", "bits", "score", *_PERCENTS), (grade, bits, score, done, exceeded,
                                                                on_time), strict=True))
    # a grade given above KHT beside a flag of KHT_FLAGS its set reads (a month's or the
    # year's row; the competent level's conclusion of wrongdoing in personnel work, NĐ
    # 233/2026 Điều 7 k4 a; a leadership member's, QĐ 366-QĐ/TW Điều 11 k4): KHT, said
    wrong = np.bitwise_or.reduce([np.where((given > 0) & _any(kcode, cells[f], k) & np.array(
        [*(getattr(rs.units, f"kht_{f}") for rs in sets), False])[urule], bit, 0)
        for f, bit in KHT_FLAGS.items()])  # fmt: skip
    given[wrong > 0] = 0
    # the grade given, its score and its bits (not the months')
    for c, v in (("grade", given), ("score", given_score), ("bits", wrong)):
        kf[c] = np.where((given >= 0) | only_given, v, kf.get(c, _UNIT_YEAR[c]))
    # each one's public service unit's, and the set each one's unit was graded under
    return hit, _of_rows({**kf, "top_grade": kf["grade"][utop], "rule": fill}, at)
