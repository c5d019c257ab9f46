"""The vectorised face of :mod:`evalkit.units`: a whole organisation in two DataFrames.

Everything here works on columns: ``groupby``-free integer codes, ``bincount``, one
``lexsort`` over the quota candidates, and a loop over *levels* (of the unit tree and of
the management chain), never over rows. The object face (:func:`evalkit.units.classify_unit`)
computes the same answer one unit at a time; a Hypothesis property keeps them equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _quota
from evalkit._unitkernel import (
    BIT_SMALL_PARENT,
    BIT_SUBUNIT_KHT,
    UNIT_BITS,
    UNIT_INPUT_COLUMNS,
    unit_kernel,
)
from evalkit.errors import (
    InputError,
    InputProblem,
    ModelError,
    OrganisationError,
    UnknownReferenceError,
)
from evalkit.model import Grade, Organisation, Period, Position, Unit
from evalkit.rules._schema import RuleSet
from evalkit.scoring import GRADE_DTYPE, score_frame

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

KHT = int(Grade.KHT)
HTT = int(Grade.HTT)
HTXS = int(Grade.HTXS)

# extra reason flags of a staff row, in message order
F_MGMT = 1
F_MGMT_DEFAULT = 2
F_HEAD = 4
F_QUOTA = 8
F_CONCLUDED = 16
F_ABOVE_BAND = 32
F_COMPETENT = F_CONCLUDED | F_ABOVE_BAND
STAFF_FLAGS: dict[int, str] = {
    F_MGMT: "management.subordinates",
    F_MGMT_DEFAULT: "management.no_subordinates",
    F_HEAD: "cap.head_unit",
    F_CONCLUDED: "competent.concluded",
    F_ABOVE_BAND: "competent.above_band",
    F_QUOTA: "quota.demoted",
}


# --------------------------------------------------------------------------- helpers


def canonical_periods(col: pd.Series) -> tuple[IntArray, list[str]]:
    """Codes and canonical labels (``'2026-03'``) of a period column (parsed once per value)."""
    codes, uniq = pd.factorize(col, use_na_sentinel=True)
    if (codes < 0).any():
        i = int(np.flatnonzero(codes < 0)[0])
        raise InputError([InputProblem("period is blank", row=i, column="period")])
    labels = [str(Period.parse(u)) for u in uniq]
    canon, remap = np.unique(np.array(labels, dtype=object), return_inverse=True)
    return remap.reshape(-1)[codes].astype(np.int64), [str(x) for x in canon]


def _codes_in(values: pd.Series, index: pd.Index) -> IntArray:
    """Position of each value in ``index`` (-1 when absent or blank)."""
    return np.asarray(index.get_indexer(pd.Index(values)), dtype=np.int64)


def _float(frame: pd.DataFrame, name: str) -> FloatArray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def _bool(frame: pd.DataFrame, name: str) -> BoolArray:
    if name not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    col = frame[name]
    if col.dtype == bool:
        return col.to_numpy()
    return col.fillna(False).astype(bool).to_numpy()


def _text(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return frame[name]


def grade_codes(frame: pd.DataFrame, name: str) -> npt.NDArray[np.int8]:
    """Grade codes (-1 = blank) of a text or categorical grade column, e.g. ``competent_grade``."""
    n = len(frame)
    if name not in frame.columns:
        return np.full(n, -1, dtype=np.int8)
    col = frame[name]
    codes, uniq = pd.factorize(col.astype(object), use_na_sentinel=True)
    lut = np.empty(len(uniq), dtype=np.int8)
    problems: list[InputProblem] = []
    for i, value in enumerate(uniq.tolist()):
        if isinstance(value, str) and not value.strip():
            lut[i] = -1
            continue
        try:
            lut[i] = int(Grade.parse(value))
        except ModelError:
            row = int(np.flatnonzero(codes == i)[0])
            problems.append(InputProblem(
                f"unknown grade {value!r}; expected one of HTXS, HTT, HT, KHT or blank",
                row=row, column=name, value=value))  # fmt: skip
    if problems:
        raise InputError(problems)
    out = np.where(codes >= 0, lut[np.maximum(codes, 0)] if len(uniq) else -1, -1)
    return np.asarray(out, dtype=np.int8)


def _rank_within(groups: IntArray, *keys: Any) -> IntArray:
    """0-based rank of each row inside its group under ``keys`` (primary first)."""
    n = groups.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((*reversed(keys), groups))
    g = groups[order]
    start = np.r_[True, g[1:] != g[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(n), 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - first
    return rank


def _labels(base_codes: IntArray, base_labels: list[str], flags: IntArray,
            names: Mapping[int, str]) -> pd.Categorical[Any]:  # fmt: skip
    """Join base reason labels and flag codes into ``;``-separated categorical strings."""
    key = base_codes.astype(np.int64) * 64 + flags
    uniq, inverse = np.unique(key, return_inverse=True)
    out: list[str] = []
    for u in uniq.tolist():
        parts = [base_labels[u // 64]] if base_labels[u // 64] else []
        parts += [code for bit, code in names.items() if (u % 64) & bit]
        out.append(";".join(parts))
    cats = list(dict.fromkeys(out))
    remap = np.array([cats.index(x) for x in out], dtype=np.int32)
    out_cat: pd.Categorical[Any] = pd.Categorical.from_codes(
        remap[inverse.reshape(-1)], dtype=pd.CategoricalDtype(cats)
    )
    return out_cat


def grades(codes: npt.NDArray[Any]) -> pd.Categorical:
    """Grade codes (-1 = none) as the ordered grade categorical."""
    return pd.Categorical.from_codes(codes.astype(np.int8), dtype=GRADE_DTYPE)


# --------------------------------------------------------------------------- units


def body_names(frame: pd.DataFrame, rules: RuleSet) -> tuple[str, ...]:
    """The evaluating bodies: ``body_<name>`` columns plus the rule set's weighted bodies."""
    names = [c[5:] for c in frame.columns if isinstance(c, str) and c.startswith("body_")]
    return tuple(sorted(set(names)))


def unit_table(units: pd.DataFrame, periods: list[str], rules: RuleSet) -> pd.DataFrame:
    """Validate the units frame and grade every unit-period bottom-up.

    Returns one row per (period, unit) with ``p`` (period code), ``depth``,
    ``parent_row``, ``score``, ``score_grade_code``, ``grade_code`` and ``bits``.
    """
    if "unit_id" not in units.columns:
        raise InputError([InputProblem("the units frame needs a 'unit_id' column",
                                       column="unit_id")])  # fmt: skip
    if "period" in units.columns and len(units):
        p_codes, p_labels = canonical_periods(units["period"])
        label_to_p = {lbl: i for i, lbl in enumerate(periods)}
        extra = [lbl for lbl in p_labels if lbl not in label_to_p]
        allp = periods + extra
        lut = np.array([allp.index(lbl) for lbl in p_labels], dtype=np.int64)
        ut = units.reset_index(drop=True).copy()
        ut["p"] = lut[p_codes]
        ut["period"] = np.array(allp, dtype=object)[ut["p"].to_numpy()]
    else:
        base = units.reset_index(drop=True)
        reps = max(len(periods), 1)
        ut = base.loc[np.tile(np.arange(len(base)), reps)].reset_index(drop=True)
        ut["p"] = np.repeat(np.arange(reps, dtype=np.int64), len(base))
        ut["period"] = np.array(periods or [""], dtype=object)[ut["p"].to_numpy()]
    for c in ("parent_id", "head_id"):
        if c not in ut.columns:
            ut[c] = None
    m = len(ut)
    # structure: reuse Organisation's checks (duplicates, unknown parents, cycles) per period
    struct = ut[["unit_id", "parent_id"]].astype(object).drop_duplicates()
    same = not struct["unit_id"].duplicated().any() and not ut.duplicated(["p", "unit_id"]).any()
    parts = [(0, struct.assign(period=""))] if same else ut.groupby("p", sort=True)
    for per, part in parts:
        ids = part["unit_id"].astype(str).tolist()
        parents = [None if pd.isna(x) else str(x) for x in part["parent_id"].tolist()]
        try:
            tree = tuple(Unit(u, u, parent_id=pa) for u, pa in zip(ids, parents, strict=True))
            kwargs: dict[str, Any] = {"units": tree, "positions": (), "staff": ()}
            Organisation(**kwargs)
        except (OrganisationError, UnknownReferenceError) as exc:
            label = part["period"].iloc[0]
            raise type(exc)(f"{exc} ({label})" if label else str(exc)) from None
        del per
    key = ut["unit_id"].astype(str) + "\x1f" + ut["p"].astype(str)
    pkey = ut["parent_id"].astype(str) + "\x1f" + ut["p"].astype(str)
    kindex = pd.Index(key)
    parent_row = np.where(ut["parent_id"].isna().to_numpy(), -1,
                          _codes_in(pkey, kindex))  # fmt: skip
    depth = np.zeros(m, dtype=np.int64)
    anc = parent_row.copy()
    while (anc >= 0).any():
        live = anc >= 0
        depth += live
        anc = np.where(live, parent_row[np.where(live, anc, 0)], -1)
    # scores and grades
    bodies = body_names(ut, rules)
    cols = {c: _float(ut, c) for c in UNIT_INPUT_COLUMNS}
    cols.update({f"body_{b}": _float(ut, f"body_{b}") for b in bodies})
    _check_unit_inputs(ut, cols)
    nan = np.full(m, np.nan)
    k = unit_kernel(rules, lambda c: cols.get(c, nan), bodies, m)
    grade = k.grade.copy()
    bits = k.bits.copy()
    pol = rules.units
    uid_rank = np.argsort(np.argsort(ut["unit_id"].astype(str).to_numpy(), kind="stable"))
    has_parent = parent_row >= 0
    nchild = np.bincount(parent_row[has_parent], minlength=m) if m else np.zeros(0, np.int64)
    small = (
        pol.small_parent_threshold is not None and pol.small_parent_max_excellent is not None
    )
    for d in range(int(depth.max()) if m else -1, -1, -1):
        level = depth == d
        if pol.excellent_requires_no_subunit_kht:
            ch = (depth == d + 1) & has_parent & (grade == KHT)
            kht_parent = np.zeros(m, dtype=bool)
            kht_parent[parent_row[ch]] = True
            hit = level & kht_parent & (k.score_grade == HTXS)
            bits |= np.where(hit, BIT_SUBUNIT_KHT, 0)
            grade = np.where(hit, np.int8(HTT), grade).astype(np.int8)
        if small:
            pr = np.where(has_parent, parent_row, 0)
            cand = (level & has_parent & (grade == HTXS)
                    & (nchild[pr] < int(pol.small_parent_threshold or 0)))  # fmt: skip
            idx = np.flatnonzero(cand)
            if idx.size:
                rank = _rank_within(parent_row[idx], -k.score[idx], uid_rank[idx])
                drop = idx[rank >= int(pol.small_parent_max_excellent or 0)]
                bits[drop] |= BIT_SMALL_PARENT
                grade[drop] = HTT
    ut["depth"] = depth
    ut["parent_row"] = parent_row
    ut["score"] = k.score
    ut["tasks_percent"] = k.tasks_percent
    ut["done_percent"] = k.done_percent
    ut["exceeded_percent"] = k.exceeded_percent
    ut["score_grade_code"] = k.score_grade
    ut["grade_code"] = grade
    ut["bits"] = bits
    return ut


def _check_unit_inputs(ut: pd.DataFrame, cols: Mapping[str, FloatArray]) -> None:
    problems: list[InputProblem] = []
    ids = ut["unit_id"].astype(str).to_numpy()
    per = ut["period"].astype(str).to_numpy()

    def report(mask: BoolArray, column: str, values: FloatArray, msg: str) -> None:
        for i in np.flatnonzero(mask)[:200]:
            problems.append(InputProblem(f"{msg} (unit {ids[i]!r}, {per[i]})", column=column,
                                         value=float(values[i])))  # fmt: skip

    for c, arr in cols.items():
        if c in ("bonus", "deduction"):
            bad = arr < 0
            if bad.any():
                report(bad, c, arr, f"{c} is negative")
            continue
        bad = arr < 0
        if bad.any():
            report(bad, c, arr, f"{c} is negative")
        if c in ("cross_score", "satisfaction", "score") or c.startswith("body_"):
            over = arr > 100
            if over.any():
                report(over, c, arr, f"{c} exceeds 100")
    a, d = cols["tasks_assigned"], cols["tasks_done"]
    for c, lim, word in (("tasks_done", a, "assigned"), ("tasks_on_time", d, "done"),
                         ("tasks_exceeded", d, "done")):  # fmt: skip
        over = cols[c] > lim
        if over.any():
            report(over, c, cols[c], f"{c} exceeds the tasks {word}")
    if problems:
        raise InputError(problems)


# --------------------------------------------------------------------------- staff


def classify(
    staff_months: pd.DataFrame,
    units: pd.DataFrame,
    rules: RuleSet,
    *,
    force: bool,
    options: Mapping[str, bool] | None,
    positions: Mapping[str, Position] | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The engine of :func:`evalkit.units.classify_frame` (see there)."""
    sm = staff_months
    n = len(sm)
    missing = [c for c in ("staff_id", "unit_id", "period") if c not in sm.columns]
    if missing:
        raise InputError([InputProblem(f"the staff-month frame needs a {c!r} column", column=c)
                          for c in missing])  # fmt: skip
    pcode, periods = canonical_periods(sm["period"]) if n else (np.zeros(0, np.int64), [])
    ut = unit_table(units, periods, rules)
    m = len(ut)
    P = max(len(periods), int(ut["p"].max()) + 1 if m else 0, 1)
    # staff codes, duplicates and the two-units check
    scode, suniq = pd.factorize(sm["staff_id"])
    S = max(len(suniq), 1)
    skey = pcode * S + scode
    uindex = pd.Index(pd.unique(ut["unit_id"].astype(str)))
    ucode_ut = _codes_in(ut["unit_id"].astype(str), uindex)
    U = max(len(uindex), 1)
    lut = np.full(P * U, -1, dtype=np.int64)
    lut[ut["p"].to_numpy() * U + ucode_ut] = np.arange(m)
    ucode = _codes_in(sm["unit_id"].astype(str), uindex)
    urow = np.where(ucode >= 0, lut[pcode * U + np.maximum(ucode, 0)], -1)
    if (urow < 0).any():
        i = int(np.flatnonzero(urow < 0)[0])
        raise UnknownReferenceError(
            f"staff {sm['staff_id'].iloc[i]!r} is in unknown unit {sm['unit_id'].iloc[i]!r} "
            f"({periods[pcode[i]]})"
        )
    _check_duplicates(sm, skey, pcode, periods)
    # row of (period, staff)
    dense = 8 * n + 1024 >= P * S
    if dense:
        srow_lut = np.full(P * S, -1, dtype=np.int64)
        srow_lut[skey] = np.arange(n)

        def row_of(p: IntArray, s: IntArray) -> IntArray:
            ok = s >= 0
            return np.where(ok, srow_lut[p * S + np.maximum(s, 0)], -1)
    else:
        kidx = pd.Index(skey)

        def row_of(p: IntArray, s: IntArray) -> IntArray:
            ok = s >= 0
            got = np.asarray(kidx.get_indexer(p * S + np.maximum(s, 0)), dtype=np.int64)
            return np.where(ok, got, -1)

    sindex = pd.Index(suniq)
    head_s = _codes_in(ut["head_id"], sindex)
    head_row = row_of(ut["p"].to_numpy(), head_s)  # per unit-period: the head's staff row
    # a head must be a member of the unit they head (Organisation's rule, per period)
    head_unit = urow[np.maximum(head_row, 0)] if n else np.full(m, -1)
    bad = (head_row >= 0) & (head_unit != np.arange(m))
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        hr = int(head_row[j])
        raise OrganisationError(
            f"head {ut['head_id'].iloc[j]!r} of unit {ut['unit_id'].iloc[j]!r} is a member of "
            f"unit {sm['unit_id'].iloc[hr]!r}, not of {ut['unit_id'].iloc[j]!r} "
            f"({periods[pcode[hr]]})"
        )
    is_head = np.zeros(n, dtype=bool)
    is_head[head_row[head_row >= 0]] = True
    # effective manager of each row: explicit manager_id, else the head of the unit,
    # else (for a head) the head of the parent unit
    parent_row = ut["parent_row"].to_numpy()
    own_head = head_row[urow]
    parent_head = np.where(parent_row[urow] >= 0, head_row[np.maximum(parent_row[urow], 0)], -1)
    mgr = np.where(is_head, parent_head, np.where(own_head != np.arange(n), own_head, -1))
    if "manager_id" in sm.columns:
        mcol = sm["manager_id"]
        given = mcol.notna().to_numpy()
        if given.any():
            ms = _codes_in(mcol, sindex)
            mgr = np.where(given, row_of(pcode, ms), mgr)
    height = _heights(mgr, sm)
    # scoring: everyone once, then the managers level by level (subordinates first)
    unit_grade = ut["grade_code"].to_numpy().astype(np.int8)[urow]
    pol = rules.units
    mcrit = pol.management_criterion
    has_mcrit = mcrit is not None and any(c.id == mcrit for c in rules.criteria())
    manages = _bool(sm, "manages_others")
    base = sm.assign(is_head=is_head)
    flags = np.zeros(n, dtype=np.int64)
    if has_mcrit:
        assert mcrit is not None
        given_m = _float(sm, mcrit)
        fill = manages & np.isnan(given_m) & _has_scores(sm, rules, mcrit)
        flags |= np.where(fill, F_MGMT_DEFAULT, 0)
        base = base.assign(**{mcrit: np.where(fill, pol.management_all_ht, given_m)})
    scored = score_frame(base, rules, force=force, options=options, positions=positions)
    total = np.array(scored["total"].to_numpy(dtype=np.float64, na_value=np.nan))
    comp_cols = [c for c in scored.columns if c.startswith("points_")]
    comps = {c: np.array(scored[c].to_numpy(dtype=np.float64, na_value=np.nan))
             for c in comp_cols}  # fmt: skip
    sgrade = np.asarray(scored["score_grade"].cat.codes, dtype=np.int8).copy()
    grade = np.asarray(scored["grade"].cat.codes, dtype=np.int8).copy()
    rcat = scored["reasons"].cat
    rlabels = [str(x) for x in rcat.categories]
    rcodes = np.asarray(rcat.codes, dtype=np.int64).copy()
    capped = pol.head_capped_at_unit
    concluded = grade_codes(sm, "competent_grade")

    def cap_and_conclude(rows: IntArray) -> None:
        """The head cap, then the competent level's conclusion (lower only, else reported)."""
        if rows.size == 0:
            return
        if capped:
            ug = unit_grade[rows]
            hit = is_head[rows] & (ug >= 0) & (grade[rows] > ug)
            r = rows[hit]
            grade[r] = ug[hit]
            flags[r] |= F_HEAD
        cg = concluded[rows]
        given = (cg >= 0) & (grade[rows] >= 0)
        lower = given & (cg < grade[rows])
        above = given & (cg > grade[rows])
        grade[rows[lower]] = cg[lower]
        flags[rows[lower]] |= F_CONCLUDED
        flags[rows[above]] |= F_ABOVE_BAND

    cap_and_conclude(np.arange(n))
    maxh = int(height.max()) if n else 0
    if has_mcrit and maxh > 0:
        assert mcrit is not None
        has_m = mgr >= 0
        for h in range(1, maxh + 1):
            rows = np.flatnonzero((height == h) & manages)
            if rows.size == 0:
                continue
            ev = has_m & (grade >= 0)
            n_sub = np.bincount(mgr[ev], minlength=n)
            kht = np.bincount(mgr[ev & (grade == KHT)], minlength=n)
            rows = rows[(n_sub[rows] > 0) & ~np.isnan(total[rows])]
            if rows.size == 0:
                continue
            value = np.where(kht[rows] > 0, pol.management_any_kht, pol.management_all_ht)
            sub = base.iloc[rows].assign(**{mcrit: value})
            out = score_frame(sub, rules, force=True, options=options, positions=positions)
            total[rows] = out["total"].to_numpy(dtype=np.float64, na_value=np.nan)
            for c in comp_cols:
                comps[c][rows] = out[c].to_numpy(dtype=np.float64, na_value=np.nan)
            sgrade[rows] = np.asarray(out["score_grade"].cat.codes, dtype=np.int8)
            grade[rows] = np.asarray(out["grade"].cat.codes, dtype=np.int8)
            sub_labels = [str(x) for x in out["reasons"].cat.categories]
            for lbl in sub_labels:
                if lbl not in rlabels:
                    rlabels.append(lbl)
            remap = np.array([rlabels.index(lbl) for lbl in sub_labels], dtype=np.int64)
            rcodes[rows] = remap[np.asarray(out["reasons"].cat.codes, dtype=np.int64)]
            flags[rows] = (flags[rows] & ~(F_MGMT_DEFAULT | F_HEAD | F_COMPETENT)) | F_MGMT
            cap_and_conclude(rows)
    proposed = grade.copy()
    # quotas
    q = rules.quota
    qcols: dict[str, Any] = {}
    if q is not None and n:
        group = urow.copy() if "unit" in q.group_by else pcode.copy()
        demote, qcols = apply_quota(q, rules, sm, grade, unit_grade, group, total, comps)
        grade[demote] = int(q.grade) - 1
        flags[demote] |= F_QUOTA
    # assemble
    res = pd.DataFrame(index=sm.index)
    res["staff_id"] = sm["staff_id"].to_numpy()
    res["period"] = pd.Categorical.from_codes(pcode, dtype=pd.CategoricalDtype(periods))
    res["unit_id"] = sm["unit_id"].to_numpy()
    if "duty_group" in sm.columns:
        res["duty_group"] = sm["duty_group"].to_numpy()
    res["is_head"] = is_head
    ids = sm["staff_id"].to_numpy(dtype=object)
    eff = ids[np.maximum(mgr, 0)] if n else ids.copy()
    eff[mgr < 0] = None
    res["effective_manager_id"] = eff
    res["total"] = total
    for c in comp_cols:
        res[c] = comps[c]
    res["score_grade"] = grades(sgrade)
    res["proposed_grade"] = grades(proposed)
    res["grade"] = grades(grade)
    res["unit_grade"] = grades(unit_grade)
    for c, v in qcols.items():
        res[c] = v
    res["reasons"] = _labels(rcodes, rlabels, flags, STAFF_FLAGS)
    unit_q = q is not None and "unit" in q.group_by
    return res, _unit_frame(ut, qcols if unit_q else {}, urow, flags)


def tie_keys(
    tie_break: tuple[str, ...],
    rules: RuleSet,
    sm: pd.DataFrame,
    total: FloatArray,
    comps: Mapping[str, FloatArray],
    rows: IntArray,
) -> list[Any]:
    """Sort keys (ascending, primary first) of the quota candidates ``rows``."""
    keys: list[Any] = []
    for t in (*tie_break, "staff_id"):
        if t == "total":
            keys.append(-total[rows])
        elif t == "tasks":
            acc = np.zeros(rows.size)
            for bid in task_blocks(rules):
                acc = acc + np.nan_to_num(comps[f"points_{bid}"][rows])
            keys.append(-acc)
        elif t == "fewer_deductions":
            acc = np.zeros(rows.size)
            for cid in deduction_inputs(rules):
                acc = acc + np.nan_to_num(_float(sm, cid)[rows])
            keys.append(acc)
        elif t == "competent_order":
            keys.append(np.nan_to_num(_float(sm, "competent_order")[rows], nan=np.inf))
        elif t == "staff_id":
            ids = sm["staff_id"].astype(str).to_numpy()[rows]
            keys.append(np.argsort(np.argsort(ids, kind="stable"), kind="stable"))
    return keys


def task_blocks(rules: RuleSet) -> tuple[str, ...]:
    """Ids of the blocks that score task results (tie-break ``tasks``)."""
    return tuple(b.id for b in rules.blocks if b.kind in ("percent_average", "ratio"))


def deduction_inputs(rules: RuleSet) -> tuple[str, ...]:
    """Criteria counted by tie-break ``fewer_deductions``: error/delay counts, deductions."""
    out = [a.events for a in rules.adjustments]
    out += [cid for b in rules.blocks if b.kind == "deduction" for cid in b.inputs()]
    return tuple(dict.fromkeys(out))


def _heights(mgr: IntArray, sm: pd.DataFrame) -> IntArray:
    """Longest chain of subordinates below each row (0 = manages nobody); cycles raise."""
    n = mgr.shape[0]
    height = np.zeros(n, dtype=np.int64)
    has = mgr >= 0
    frontier = np.flatnonzero(has)
    level = 0
    bound = int(np.count_nonzero(np.bincount(mgr[has], minlength=n))) if n else 0
    while frontier.size:
        level += 1
        if level > bound:
            ids = sm["staff_id"].astype(str).to_numpy()
            start = int(frontier[0])
            seen = [start]
            cur = int(mgr[start])
            while cur not in seen:
                seen.append(cur)
                cur = int(mgr[cur])
            cyc = [*seen[seen.index(cur):], cur]
            raise OrganisationError("staff form a management cycle: "
                                    + " -> ".join(str(ids[i]) for i in cyc))  # fmt: skip
        targets = np.unique(mgr[frontier])
        height[targets] = level
        frontier = targets[has[targets]]
    return height


def _check_duplicates(sm: pd.DataFrame, skey: IntArray, pcode: IntArray,
                      periods: list[str]) -> None:  # fmt: skip
    dup = pd.Series(skey).duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    rows = np.flatnonzero(dup)
    part = pd.DataFrame({"staff_id": sm["staff_id"].to_numpy()[rows],
                         "unit_id": sm["unit_id"].astype(str).to_numpy()[rows],
                         "period": np.array(periods, dtype=object)[pcode[rows]]})  # fmt: skip
    problems: list[str] = []
    for (sid, per), grp in part.groupby(["staff_id", "period"], sort=True):
        us = sorted(set(grp["unit_id"]))
        if len(us) > 1:
            problems.append(f"staff {sid!r} is in {len(us)} units in {per}: {', '.join(us)}")
        else:
            problems.append(f"staff {sid!r} appears {len(grp)} times in {per} (unit {us[0]})")
    raise OrganisationError("; ".join(problems[:20]))


def _has_scores(sm: pd.DataFrame, rules: RuleSet, skip: str) -> BoolArray:
    """Rows with any required score (other than ``skip``) or a kpi: the evaluated rows."""
    present = ~np.isnan(_float(sm, "kpi"))
    for cid in set(rules.required_inputs(True)) | set(rules.required_inputs(False)):
        if cid != skip and cid in sm.columns:
            present |= sm[cid].notna().to_numpy()
    return present


def _unit_frame(ut: pd.DataFrame, qcols: Mapping[str, Any], urow: IntArray,
                flags: IntArray) -> pd.DataFrame:  # fmt: skip
    m = len(ut)
    out = pd.DataFrame({
        "unit_id": ut["unit_id"].to_numpy(),
        "period": ut["period"].to_numpy(),
        "parent_id": ut["parent_id"].to_numpy(),
        "head_id": ut["head_id"].to_numpy(),
        "depth": ut["depth"].to_numpy(),
        "score": ut["score"].to_numpy(),
        "tasks_percent": ut["tasks_percent"].to_numpy(),
        "done_percent": ut["done_percent"].to_numpy(),
        "exceeded_percent": ut["exceeded_percent"].to_numpy(),
        "score_grade": grades(ut["score_grade_code"].to_numpy()),
        "grade": grades(ut["grade_code"].to_numpy()),
    })  # fmt: skip
    bits = ut["bits"].to_numpy().astype(np.int64)
    out["reasons"] = _labels(np.zeros(m, dtype=np.int64), [""], bits, UNIT_BITS)
    out["staff"] = np.bincount(urow, minlength=m)
    if "quota_group" in qcols:
        gcode = np.asarray(qcols["quota_group"])
        first = np.unique(gcode, return_index=True)[1]
        gu = urow[first]
        out["quota_base"] = np.bincount(gu, weights=qcols["quota_base"][first], minlength=m
                                        ).astype(np.int64)  # fmt: skip
        out["quota_cap"] = np.bincount(gu, weights=qcols["quota_cap"][first], minlength=m
                                       ).astype(np.int64)  # fmt: skip
        out["quota_candidates"] = np.bincount(
            gu, weights=qcols["quota_candidates"][first], minlength=m).astype(np.int64)
        out["quota_demoted"] = np.bincount(urow[(flags & F_QUOTA) != 0], minlength=m)
    return out


def apply_quota(
    q: Any,
    rules: RuleSet,
    frame: pd.DataFrame,
    grade: npt.NDArray[np.signedinteger[Any]],
    unit_grade: npt.NDArray[np.signedinteger[Any]],
    group: npt.NDArray[np.signedinteger[Any]],
    total: npt.NDArray[np.float64],
    comps: Mapping[str, npt.NDArray[np.float64]],
) -> tuple[npt.NDArray[np.int64], dict[str, Any]]:
    """The quota of one classification (a month or a year), shared by both callers.

    ``group`` numbers each row's unit (or period) group; the duty group is added when the
    policy groups by it. Returns the rows the quota demotes and the ``quota_*`` columns;
    it changes nothing itself.
    """
    g = group.astype(np.int64)
    if "duty_group" in q.group_by and "duty_group" in frame.columns:
        dcode, _ = pd.factorize(frame["duty_group"], use_na_sentinel=True)
        g = g * (int(dcode.max()) + 2) + (dcode + 1)
    gcode, _g = pd.factorize(g)
    gcode = gcode.astype(np.int64)
    n_groups = int(gcode.max()) + 1
    bg = _quota.base_grade(q)
    in_base = grade >= 0 if bg is None else grade == int(bg)
    base_n = np.bincount(gcode[in_base], minlength=n_groups)
    cand = grade == int(q.grade)
    cand_n = np.bincount(gcode[cand], minlength=n_groups)
    pct = np.full(n_groups, float(q.percent))
    if "unit" in q.group_by and q.percent_if_unit_excellent is not None:
        gx = np.zeros(n_groups, dtype=bool)
        gx[gcode] = unit_grade == HTXS
        pct = np.where(gx, float(q.percent_if_unit_excellent), pct)
    cap, kept = _quota.kept_counts(base_n, cand_n, pct, q)
    qrank = np.full(len(grade), -1, dtype=np.int64)
    ci = np.flatnonzero(cand)
    demote = np.zeros(0, dtype=np.int64)
    if ci.size:
        keys = tie_keys(q.tie_break, rules, frame, total, comps, ci)
        qrank[ci] = _rank_within(gcode[ci], *keys)
        demote = ci[qrank[ci] >= kept[gcode[ci]]]
    return demote, {
        "quota_group": gcode,
        "quota_base": base_n[gcode],
        "quota_percent": pct[gcode],
        "quota_cap": cap[gcode],
        "quota_candidates": cand_n[gcode],
        "quota_rank": np.where(qrank >= 0, qrank + 1, 0),
    }
