"""Roll-ups (month → quarter → year) and the emulation ranking of units.

Roll-up rules (domain brief §4.2, §4.4, §4.5; ``RollupPolicy`` of the rule set):

* a month with no scores is *not evaluated* and skipped — never a zero;
* ``method = "average"``: the period's total is the mean of the monthly totals (of the
  quarterly means when ``of = "quarter"``), rounded half-up to the cent, then banded;
* ``method = "count"`` (quarterly schemes such as customs): each quarter is banded on its
  monthly mean; the year is KHT with at least ``count_kht_min`` KHT quarters, else HTXS
  with at least ``count_excellent_min`` HTXS quarters and no KHT quarter, else the band of
  the mean of the months **kept within HT..HTT** (evalkit's choice: the texts name only the
  two counted outcomes; without enough HTXS quarters a year cannot be HTXS, and a single
  KHT quarter does not make it KHT);
* fewer than ``min_months`` evaluated months in the year → not classified, unless the
  person had maternity leave that year (``maternity_exempt``): then graded on the months
  worked;
* legally absent ``absent_cap_min_months`` to < ``absent_cap_max_months`` months → at most
  ``absent_cap_grade``;
* disciplined in the period → ``discipline_grade`` (KHT).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit._unitframe import (
    _bool,
    _codes_in,
    _float,
    apply_quota,
    grade_codes,
    grades,
    task_blocks,
)
from evalkit.errors import InputError, InputProblem
from evalkit.model import EvaluationResult, Grade, Period, Reason
from evalkit.rules._schema import RuleSet
from evalkit.rules.blocks import band_codes, round_half_up
from evalkit.scoring import GRADE_DTYPE, resolve_rules

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "ROLLUP_CODES", "YEAR_CODES", "classify_year", "rank_units", "rollup", "rollup_frame",
]  # fmt: skip

#: Reason codes a roll-up may give, with their English meaning.
ROLLUP_CODES: dict[str, str] = {
    "rollup.too_few_months": "fewer evaluated months than the minimum: not classified",
    "rollup.maternity": "maternity leave: graded on the months worked",
    "rollup.count.excellent": "enough HTXS quarters and no KHT quarter: HTXS",
    "rollup.count.kht": "enough KHT quarters: KHT",
    "rollup.count.otherwise": "neither count reached: band of the mean, within HT..HTT",
    "rollup.absent_cap": "legally absent for a capped number of months",
    "rollup.discipline": "disciplined in the period",
    "not_evaluated": "no evaluated month in the period",
}
_BITS = {c: 1 << i for i, c in enumerate(ROLLUP_CODES)}


def _rules(rules: RuleSet | str | None, first: str) -> RuleSet:
    if isinstance(rules, RuleSet):
        return rules
    return resolve_rules(rules, "cong_chuc", first, force=rules is not None)


def _labels(periods: pd.Series) -> tuple[list[Period], npt.NDArray[np.int64]]:
    codes, uniq = pd.factorize(periods.astype(str))
    return [Period.parse(u) for u in uniq], np.asarray(codes, dtype=np.int64)


def rollup_frame(
    results: pd.DataFrame,
    rules: RuleSet | str | None = None,
    *,
    to: Literal["year", "quarter"] = "year",
) -> pd.DataFrame:
    """Roll monthly results up to quarters or years, one row per staff member and period.

    ``results`` has ``staff_id``, ``period`` (a month) and ``total`` (NaN = not
    evaluated), optionally ``leave`` (``"maternity"`` or ``"absent"`` for a month on
    leave) and ``discipline`` (≥ 1 = disciplined that month; without it a reason code
    ``disqualifier.discipline`` in ``reasons`` counts). Returns ``staff_id``, ``period``,
    ``months``, ``maternity_months``, ``absent_months``, ``total``, ``score_grade``,
    ``grade`` and ``reasons``.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"staff_id": "A", "period": [f"2026-{m:02d}" for m in range(1, 13)],
    ...                    "total": [80.0] * 11 + [None]})
    >>> rollup_frame(df, "vn.nd335-2025")[["period", "months", "total", "grade"]].values.tolist()
    [['2026', 11, 80.0, 'HTT']]
    """
    missing = [c for c in ("staff_id", "period", "total") if c not in results.columns]
    if missing:
        raise InputError([InputProblem(f"roll-up needs a {c!r} column", column=c)
                          for c in missing])  # fmt: skip
    if not len(results):
        return pd.DataFrame(columns=["staff_id", "period", "months", "maternity_months",
                                     "absent_months", "total", "score_grade", "grade",
                                     "reasons"])  # fmt: skip
    rs = _rules(rules, str(results["period"].iloc[0]))
    pol = rs.rollup
    plist, pcodes = _labels(results["period"])
    bad = [str(p) for p in plist if p.kind != "month"]
    if bad:
        raise InputError([InputProblem("roll-up input periods must be months", column="period",
                                       value=b) for b in bad])  # fmt: skip
    qlab = np.array([str(p.quarter_of()) for p in plist], dtype=object)[pcodes]
    ylab = np.array([str(p.year_of()) for p in plist], dtype=object)[pcodes]
    total = pd.to_numeric(results["total"], errors="coerce").to_numpy(np.float64, na_value=np.nan)
    if "discipline" in results.columns:
        disc = pd.to_numeric(results["discipline"], errors="coerce").fillna(0).to_numpy() >= 1
    elif "reasons" in results.columns:
        rc = results["reasons"]
        if not isinstance(rc.dtype, pd.CategoricalDtype):
            rc = rc.astype(str).astype("category")
        hit = np.array(["disqualifier.discipline" in str(c).split(";")
                        for c in rc.cat.categories], dtype=bool)  # fmt: skip
        codes = np.asarray(rc.cat.codes, dtype=np.int64)
        disc = np.where(codes >= 0, hit[np.maximum(codes, 0)] if hit.size else False, False)
    else:
        disc = np.zeros(len(results), dtype=bool)
    leave = (results["leave"].astype(str).str.lower().to_numpy()
             if "leave" in results.columns else np.full(len(results), ""))  # fmt: skip
    df = pd.DataFrame({
        "staff_id": results["staff_id"].to_numpy(),
        "out": qlab if to == "quarter" else ylab,
        "quarter": qlab,
        "total": total,
        "evaluated": ~np.isnan(total),
        "disc": disc,
        "maternity": leave == "maternity",
        "absent": leave == "absent",
    })  # fmt: skip
    keys = ["staff_id", "out"]
    g = df.groupby(keys, sort=True)
    agg = g.agg(months=("evaluated", "sum"), maternity_months=("maternity", "sum"),
                absent_months=("absent", "sum"), disc=("disc", "any"),
                mean=("total", "mean"))  # fmt: skip
    bits = np.zeros(len(agg), dtype=np.int64)
    mean = agg["mean"].to_numpy(np.float64, na_value=np.nan)
    if to == "year" and (pol.of == "quarter" or pol.method == "count"):
        qg = df.groupby([*keys, "quarter"], sort=True).agg(
            mean=("total", "mean"), disc=("disc", "any"))
        qmean = qg["mean"].to_numpy(np.float64, na_value=np.nan)
        if pol.of == "quarter" and pol.method == "average":
            mean = qg["mean"].groupby(level=[0, 1]).mean().reindex(agg.index).to_numpy(
                np.float64, na_value=np.nan)  # fmt: skip
    total_out = round_half_up(np.where(np.isnan(mean), 0.0, mean))
    total_out = np.where(np.isnan(mean), np.nan, total_out)
    evaluated = ~np.isnan(total_out)
    sg = np.where(evaluated, band_codes(rs.bands, np.nan_to_num(total_out)), -1).astype(np.int64)
    grade = sg.copy()
    if to == "year" and pol.method == "count":
        qcode = np.where(np.isnan(qmean), -1, band_codes(rs.bands, np.nan_to_num(qmean)))
        qcode = np.where(qg["disc"].to_numpy() & (qcode >= 0),
                         np.minimum(qcode, int(pol.discipline_grade)), qcode)  # fmt: skip
        qf = pd.DataFrame({"xs": qcode == int(Grade.HTXS), "kht": qcode == int(Grade.KHT)},
                          index=qg.index)  # fmt: skip
        counts = qf.groupby(level=[0, 1]).sum().reindex(agg.index).fillna(0)
        n_xs = counts["xs"].to_numpy()
        n_kht = counts["kht"].to_numpy()
        is_kht = n_kht >= pol.count_kht_min
        is_xs = ~is_kht & (n_xs >= pol.count_excellent_min) & (n_kht == 0)
        other = np.clip(sg, int(Grade.HT), int(Grade.HTT))
        grade = np.where(is_kht, int(Grade.KHT), np.where(is_xs, int(Grade.HTXS), other))
        grade = np.where(evaluated, grade, -1)
        bits |= np.where(evaluated & is_kht, _BITS["rollup.count.kht"], 0)
        bits |= np.where(evaluated & is_xs, _BITS["rollup.count.excellent"], 0)
        bits |= np.where(evaluated & ~is_kht & ~is_xs, _BITS["rollup.count.otherwise"], 0)
    months = agg["months"].to_numpy()
    mat = agg["maternity_months"].to_numpy()
    absent = agg["absent_months"].to_numpy()
    if to == "year":
        few = evaluated & (months < pol.min_months)
        exempt = few & pol.maternity_exempt & (mat > 0)
        bits |= np.where(exempt, _BITS["rollup.maternity"], 0)
        drop = few & ~exempt
        bits |= np.where(drop, _BITS["rollup.too_few_months"], 0)
        grade = np.where(drop, -1, grade)
        capped = (grade > int(pol.absent_cap_grade)) & (absent >= pol.absent_cap_min_months) & (
            absent < pol.absent_cap_max_months)
        bits |= np.where(capped, _BITS["rollup.absent_cap"], 0)
        grade = np.where(capped, int(pol.absent_cap_grade), grade)
    dis = agg["disc"].to_numpy() & (grade > int(pol.discipline_grade))
    bits |= np.where(dis, _BITS["rollup.discipline"], 0)
    grade = np.where(dis, int(pol.discipline_grade), grade)
    bits |= np.where(~evaluated, _BITS["not_evaluated"], 0)
    out = agg.reset_index()[["staff_id", "out", "months", "maternity_months", "absent_months"]]
    out = out.rename(columns={"out": "period"})
    out["total"] = total_out
    out["score_grade"] = pd.Categorical.from_codes(sg.astype(np.int8), dtype=GRADE_DTYPE)
    out["grade"] = pd.Categorical.from_codes(grade.astype(np.int8), dtype=GRADE_DTYPE)
    uniq, inv = np.unique(bits, return_inverse=True)
    labels = [";".join(c for c, b in _BITS.items() if int(u) & b) for u in uniq]
    out["reasons"] = np.array(labels, dtype=object)[inv.reshape(-1)]
    return out


_MESSAGES: dict[str, tuple[str, str]] = {
    "rollup.too_few_months": ("Làm việc dưới {m} tháng trong năm: không xếp loại",
                              "Worked fewer than {m} months in the year: not classified"),
    "rollup.maternity": ("Nghỉ thai sản: xếp loại theo số tháng làm việc",
                         "Maternity leave: graded on the months worked"),
    "rollup.count.excellent": ("Đủ số quý {xs} và không có quý {kht}",
                               "Enough {xs_en} quarters and no {kht_en} quarter"),
    "rollup.count.kht": ("Đủ số quý {kht}", "Enough {kht_en} quarters"),
    "rollup.count.otherwise": ("Không đủ số quý để xếp {xs} hoặc {kht}: theo điểm trung bình",
                               "Not enough quarters for {xs_en} or {kht_en}: by the mean"),
    "rollup.absent_cap": ("Nghỉ theo quy định từ {a} đến dưới {b} tháng: tối đa {cap}",
                          "Legally absent {a} to under {b} months: at most {cap_en}"),
    "rollup.discipline": ("Bị kỷ luật trong kỳ: {dg}", "Disciplined in the period: {dg_en}"),
    "not_evaluated": ("Không có tháng nào được đánh giá", "No evaluated month in the period"),
}  # fmt: skip


def rollup(
    results: Sequence[EvaluationResult],
    rules: RuleSet | str | None = None,
    *,
    to: Literal["year", "quarter"] = "year",
    leave: Mapping[str, str] | None = None,
    disciplined: Sequence[str] = (),
) -> list[EvaluationResult]:
    """Roll one or more people's monthly results up (the object face of :func:`rollup_frame`).

    ``leave`` maps a month (``'2026-03'``) to ``"maternity"`` or ``"absent"`` (for
    everyone in ``results``); ``disciplined`` lists months with a discipline (else a
    ``disqualifier.discipline`` reason on a month counts).
    """
    leave = {str(Period.parse(k)): v for k, v in (leave or {}).items()}
    months = {str(Period.parse(d)) for d in disciplined}
    rows = [(r.staff_id, str(r.period), np.nan if r.total is None else r.total,
             leave.get(str(r.period), ""),
             int(str(r.period) in months or "disqualifier.discipline" in r.reason_codes()))
            for r in results]  # fmt: skip
    seen = {(r[0], r[1]) for r in rows}
    for sid in dict.fromkeys(r.staff_id for r in results):
        rows += [(sid, per, np.nan, kind, int(per in months))
                 for per, kind in leave.items() if (sid, per) not in seen]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["staff_id", "period", "total", "leave", "discipline"])
    rs = _rules(rules, frame["period"].iloc[0] if len(frame) else "2026-01")
    out = rollup_frame(frame, rs, to=to)
    pol = rs.rollup
    fmt = {
        "m": pol.min_months, "a": pol.absent_cap_min_months, "b": pol.absent_cap_max_months,
        "xs": rs.grade_label(Grade.HTXS), "xs_en": rs.grade_label(Grade.HTXS, "en"),
        "kht": rs.grade_label(Grade.KHT), "kht_en": rs.grade_label(Grade.KHT, "en"),
        "cap": rs.grade_label(pol.absent_cap_grade),
        "cap_en": rs.grade_label(pol.absent_cap_grade, "en"),
        "dg": rs.grade_label(pol.discipline_grade),
        "dg_en": rs.grade_label(pol.discipline_grade, "en"),
    }  # fmt: skip
    res: list[EvaluationResult] = []
    for sid, per, tot, sg, g, codes in zip(out["staff_id"], out["period"], out["total"],
                                           out["score_grade"], out["grade"], out["reasons"],
                                           strict=True):  # fmt: skip
        reasons = []
        for c in (x for x in str(codes).split(";") if x):
            vi, en = _MESSAGES[c]
            reasons.append(Reason(c, vi.format(**fmt), en.format(**fmt), pol.source))
        res.append(EvaluationResult(
            str(sid), Period.parse(per), rs.id, None if pd.isna(tot) else float(tot),
            None if pd.isna(sg) else Grade.parse(sg), None if pd.isna(g) else Grade.parse(g),
            reasons=reasons))  # fmt: skip
    return res


def rank_units(
    unit_results: pd.DataFrame,
    *,
    to: Literal["month", "year"] = "month",
    points: str = "score",
    how: Literal["mean", "sum"] = "mean",
    method: Literal["dense", "min"] = "dense",
    within: str | None = None,
) -> pd.DataFrame:
    """Emulation ranking of units (seed 004: monthly and yearly points from task completion
    with bonus and deduction): highest points first, ties reported as ties.

    ``unit_results`` is :func:`evalkit.units.classify_frame`'s unit frame (or any frame
    with ``unit_id``, ``period`` and the ``points`` column). ``to="year"`` aggregates the
    months by ``how`` (missing months are skipped). ``within`` ranks inside groups (e.g.
    ``"parent_id"``). Returns ``unit_id``, ``period``, ``points``, ``rank`` (1 = best,
    ``dense`` or ``min`` numbering) and ``tied``.

    >>> import pandas as pd
    >>> u = pd.DataFrame({"unit_id": ["A", "B", "C"], "period": "2026-03",
    ...                   "score": [91.0, 95.5, 91.0]})
    >>> rank_units(u)[["unit_id", "rank", "tied"]].values.tolist()
    [['B', 1, False], ['A', 2, True], ['C', 2, True]]
    """
    df = pd.DataFrame({"unit_id": unit_results["unit_id"].to_numpy(),
                       "period": unit_results["period"].astype(str).to_numpy(),
                       "points": pd.to_numeric(unit_results[points], errors="coerce")
                       .to_numpy(np.float64, na_value=np.nan)})  # fmt: skip
    extra: list[str] = []
    if within is not None:
        df[within] = unit_results[within].astype(str).to_numpy()
        extra = [within]
    if to == "year":
        plist, codes = _labels(df["period"])
        df["period"] = np.array([str(p.year_of()) for p in plist], dtype=object)[codes]
        grp = df.groupby(["unit_id", "period", *extra], sort=False)["points"]
        df = (grp.sum(min_count=1) if how == "sum" else grp.mean()).reset_index()
    keys = ["period", *extra]
    rank = df.groupby(keys, sort=False)["points"].rank(method=method, ascending=False)
    df["rank"] = rank.astype("Int64")
    size = df.groupby([*keys, "rank"], dropna=False)["unit_id"].transform("size")
    df["tied"] = (size > 1).to_numpy() & df["rank"].notna().to_numpy()
    df = df.sort_values([*keys, "rank", "unit_id"], na_position="last", kind="stable")
    return df.reset_index(drop=True)


#: Reason codes :func:`classify_year` may add to a rolled-up row.
YEAR_CODES: dict[str, str] = {
    "cap.head_unit": "a head is not rated above the unit's annual grade",
    "quota.demoted": "ranked past the annual quota of the group: next grade down",
}


def classify_year(
    staff_year: pd.DataFrame,
    unit_year: pd.DataFrame | None = None,
    rules: RuleSet | str | None = None,
) -> pd.DataFrame:
    """Re-apply the head cap and the quota to rolled-up (year or quarter) results.

    The annual classification is bound by the same accountability as the month (NĐ 90/2020;
    NĐ 335/2025 Điều 20 k5: HTXS ≤ 20 % of those rated HTT per unit and per similar-duty
    group; a head is not rated above the unit). ``staff_year`` is :func:`rollup_frame`'s
    output with ``unit_id`` and, optionally, ``duty_group``, ``is_head`` and tie-break
    columns (``points_<block>``, deduction inputs, ``competent_order``). ``unit_year`` has
    ``unit_id``, ``grade`` and optionally ``period`` (else it applies to every period).
    Heads are capped at their unit's grade (``cap.head_unit``, when the rule set's
    ``head_capped_at_unit``); the result is ``proposed_grade``. Then the rule set's quota
    runs with the monthly arithmetic and tie-break (``quota.demoted``; ``quota_*``
    columns as :func:`evalkit.units.classify_frame`). Rows without a grade (not
    classified) are neither candidates nor in the base. Row order is kept.

    >>> import pandas as pd
    >>> sy = pd.DataFrame({"staff_id": list("ABCDEFG"), "period": "2026", "unit_id": "U",
    ...                    "total": [95.0, 93.0] + [80.0] * 5,
    ...                    "grade": ["HTXS", "HTXS"] + ["HTT"] * 5})
    >>> out = classify_year(sy, None, "vn.nd335-2025")
    >>> out[["staff_id", "grade", "reasons"]].values.tolist()[:2]
    [['A', 'HTXS', ''], ['B', 'HTT', 'quota.demoted']]
    """

    sy = staff_year.reset_index(drop=True)
    missing = [c for c in ("staff_id", "period", "unit_id", "total", "grade")
               if c not in sy.columns]  # fmt: skip
    if missing:
        raise InputError([InputProblem(f"the year classification needs a {c!r} column",
                                       column=c) for c in missing])  # fmt: skip
    n = len(sy)
    rs = _rules(rules, str(sy["period"].iloc[0]) if n else "2026")
    per = sy["period"].astype(str)
    dup = (sy["staff_id"].astype(str) + "\x1f" + per).duplicated(keep=False).to_numpy()
    if dup.any():
        rows = np.flatnonzero(dup)
        raise InputError([InputProblem(f"staff {sy['staff_id'].iloc[i]!r} appears more than "
                                       f"once in {per.iloc[i]}", row=int(i), column="staff_id",
                                       value=sy["staff_id"].iloc[i])
                          for i in rows[:200]])  # fmt: skip
    grade = grade_codes(sy, "grade").astype(np.int64)
    unit_grade = np.full(n, -1, dtype=np.int64)
    if unit_year is not None and len(unit_year):
        ug = grade_codes(unit_year, "grade").astype(np.int64)
        ukey = unit_year["unit_id"].astype(str)
        skey = sy["unit_id"].astype(str)
        if "period" in unit_year.columns:
            ukey = ukey + "\x1f" + unit_year["period"].astype(str)
            skey = skey + "\x1f" + per
        uidx = pd.Index(ukey)
        if uidx.has_duplicates:
            bad = sorted(set(ukey[uidx.duplicated()].str.replace("\x1f", " ")))
            raise InputError([InputProblem("unit appears more than once in unit_year",
                                           column="unit_id", value=b) for b in bad])  # fmt: skip
        at = _codes_in(skey, uidx)
        unit_grade = np.where(at >= 0, ug[np.maximum(at, 0)] if len(ug) else -1, -1)
    flags = np.zeros(n, dtype=np.int64)
    is_head = _bool(sy, "is_head")
    if rs.units.head_capped_at_unit:
        hit = is_head & (unit_grade >= 0) & (grade > unit_grade)
        grade = np.where(hit, unit_grade, grade)
        flags |= np.where(hit, 1, 0)
    proposed = grade.copy()
    out = sy.copy()
    q = rs.quota
    if q is not None and n:
        pcode, _p = pd.factorize(per)
        g = pcode.astype(np.int64)
        if "unit" in q.group_by:
            ucode, _u = pd.factorize(sy["unit_id"].astype(str))
            g = g * (int(ucode.max()) + 1) + ucode
        total = _float(sy, "total")
        comps = {f"points_{b}": _float(sy, f"points_{b}") for b in task_blocks(rs)}
        demote, qcols = apply_quota(q, rs, sy, grade, unit_grade, g, total, comps)
        grade[demote] = int(q.grade) - 1
        flags[demote] |= 2
        for col, values in qcols.items():
            out[col] = values
    out["is_head"] = is_head
    out["unit_grade"] = grades(unit_grade)
    out["proposed_grade"] = grades(proposed)
    out["grade"] = grades(grade)
    old = (sy["reasons"].astype(object).where(sy["reasons"].notna(), "").astype(str)
           if "reasons" in sy.columns else pd.Series("", index=sy.index))  # fmt: skip
    rcode, rlab = pd.factorize(old.to_numpy())
    key = np.asarray(rcode, dtype=np.int64) * 4 + flags
    uniq, inv = np.unique(key, return_inverse=True)
    added = list(YEAR_CODES)
    labels = [";".join([p for p in [str(rlab[u // 4])] if p]
                       + [added[b] for b in range(2) if (u % 4) & (1 << b)])
              for u in uniq.tolist()]  # fmt: skip
    out["reasons"] = np.array(labels, dtype=object)[inv.reshape(-1)]
    return out
