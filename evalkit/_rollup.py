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

from evalkit.errors import InputError, InputProblem
from evalkit.model import EvaluationResult, Grade, Period, Reason
from evalkit.rules._schema import RuleSet
from evalkit.rules.blocks import band_codes, round_half_up
from evalkit.scoring import GRADE_DTYPE, resolve_rules

FloatArray = npt.NDArray[np.float64]

__all__ = ["ROLLUP_CODES", "rank_units", "rollup", "rollup_frame"]

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
