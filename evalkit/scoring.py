"""Scoring: one person for one period (:func:`score`) and a whole frame (:func:`score_frame`).

Both paths run the same kernel (:mod:`evalkit._kernels`) and give identical results.

>>> from evalkit import Assessment, score
>>> a = Assessment("CC-0042", "2026-03", manager_scores={
...     "chinh_tri": 6, "dao_duc": 6, "tac_phong": 6, "ky_luat": 5, "phuc_vu": 5,
...     "so_luong": 90, "chat_luong": 100, "tien_do": 80})
>>> r = score(a)
>>> r.total, r.grade.code, r.rule_set_id
(91.0, 'HTXS', 'vn.nd335-2025')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _kernels
from evalkit.errors import (
    InputError,
    InputProblem,
    RuleSetNotInForceError,
    ScoreError,
    UnknownReferenceError,
)
from evalkit.model import (
    Assessment,
    Discipline,
    EvaluationResult,
    Grade,
    Level,
    Period,
    Position,
    Reason,
    Staff,
    StaffCategory,
)
from evalkit.rules import _registry
from evalkit.rules._schema import FLAG_INPUTS, RuleSet

__all__ = [
    "FRAME_COLUMNS",
    "GRADE_DTYPE",
    "assessments_to_frame",
    "resolve_rules",
    "score",
    "score_frame",
]

#: The grade column's dtype: ordered categories KHT < HT < HTT < HTXS.
GRADE_DTYPE = pd.CategoricalDtype(["KHT", "HT", "HTT", "HTXS"], ordered=True)

#: Documented columns of a staff-month frame besides one column per criterion id.
FRAME_COLUMNS: dict[str, str] = {
    "staff_id": "the person's id (text); used in error messages",
    "period": "the month, '2026-03' (text, Period or pandas Period); needed when rules=None",
    "category": "cong_chuc | vien_chuc | can_bo | hop_dong; needed when rules=None",
    "position_id": "the job position, for per-position maxima (optional)",
    "manages_others": "bool: scored with the management components (default False)",
    "is_head": "bool: heads a unit, for head-only disqualifiers (default False)",
    "kpi": "task-tracker percentage 0-100 standing for the task block (optional, NaN = none)",
    "degradation": "bool: ideological/ethical degradation concluded (default False)",
    "discipline": "0-5 or a Discipline name: 1 = reprimand (khiển trách) and up",
    "corruption_in_unit": "bool: corruption or waste in the unit the person leads",
    "late_files": "count of files handled late (optional rule)",
    "apologies": "count of public apologies (optional rule)",
}

_LEVEL_ORDER = (Level.COMPETENT, Level.MANAGER, Level.SELF)


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
        return _registry.default_registry().for_period(category, p, jurisdiction)
    rs = _registry.default_registry().get(rules) if isinstance(rules, str) else rules
    if not force and not rs.in_force(p):
        end = rs.effective_to or "open end"
        raise RuleSetNotInForceError(
            f"rule set {rs.id!r} is in force from {rs.effective_from} to {end}, not in {p}; "
            "pass force=True to apply it anyway"
        )
    return rs


# =========================================================================== scalar path


def _merged_scores(a: Assessment) -> tuple[dict[str, float], Level | None]:
    """Per criterion, the score of the last level that scored it."""
    merged: dict[str, float] = {}
    for level in reversed(_LEVEL_ORDER):  # self, manager, competent: later wins
        merged.update(a.scores(level))
    return merged, a.counting_level()


def _validate_scores(
    rules: RuleSet,
    scores: Mapping[str, float],
    *,
    staff_id: str,
    period: Period,
    position_id: str | None,
    position: Position | None,
) -> None:
    for cid, value in scores.items():
        try:
            rules.criterion(cid)
        except UnknownReferenceError as exc:
            raise UnknownReferenceError(f"{exc} (staff {staff_id!r}, {period})") from None
        maximum = rules.maximum(cid, position_id)
        if position is not None and cid in position.maxima:
            maximum = position.maxima[cid]
        if value > maximum + 1e-9:
            raise ScoreError(
                f"criterion {cid!r} score {_fmt(value)} exceeds its maximum {_fmt(maximum)} "
                f"(staff {staff_id!r}, {period})"
            )


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

    A person nobody scored is *not evaluated*: ``total`` and ``grade`` are None.

    Raises :class:`~evalkit.errors.ScoreError` for a score above its maximum or a
    missing required score, :class:`~evalkit.errors.UnknownReferenceError` for an
    unknown criterion.
    """
    cat = StaffCategory.parse(
        category if category is not None else (staff.category if staff else "cong_chuc")
    )
    manages = bool(
        manages_others if manages_others is not None else (staff.manages_others if staff else False)
    )
    rs = resolve_rules(rules, cat, assessment.period, jurisdiction=jurisdiction, force=force)
    merged, level = _merged_scores(assessment)
    pos_id = position.id if position else (staff.position_id if staff else None)
    period = assessment.period
    sid = assessment.staff_id
    for lvl in _LEVEL_ORDER:
        _validate_scores(
            rs, assessment.scores(lvl), staff_id=sid, period=period,
            position_id=pos_id, position=position,
        )  # fmt: skip
    if level is None and assessment.kpi is None:
        return EvaluationResult(
            sid, period, rs.id, None, None, None, level=None,
            reasons=[Reason("not_evaluated", "Không có điểm đánh giá trong kỳ: chưa đánh giá",
                            "No scores for the period: not evaluated")],
        )  # fmt: skip
    required = _required(rs, manages, has_kpi=assessment.kpi is not None)
    missing = [cid for cid in required if cid not in merged]
    if missing:
        raise ScoreError(
            f"criterion {missing[0]!r} has no score (staff {sid!r}, {period})"
            + (f"; also missing: {', '.join(missing[1:])}" if len(missing) > 1 else "")
        )
    flags = _scalar_flags(assessment)
    out = _run_scalar(rs, merged, manages, is_head, flags, assessment.kpi, options)
    level_totals: dict[str, float] = {}
    for lvl in _LEVEL_ORDER:
        s = dict(assessment.scores(lvl))
        if s and all(cid in s for cid in required):
            o = _run_scalar(rs, s, manages, is_head, flags, assessment.kpi, options)
            level_totals[lvl.value] = float(o.total[0])
    return _result_from(rs, out, 0, sid, period, level, level_totals)


def _required(rs: RuleSet, manages: bool, *, has_kpi: bool) -> tuple[str, ...]:
    req = list(rs.required_inputs(manages))
    if has_kpi:
        kpi_blocks = [b for b in rs.blocks if b.kind == "percent_average" and b.params.get("kpi")]
        drop = {cid for b in kpi_blocks for cid in b.inputs(None)}
        req = [c for c in req if c not in drop]
    return tuple(req)


def _scalar_flags(a: Assessment) -> dict[str, npt.NDArray[np.float64]]:
    return {
        "degradation": np.array([float(a.degradation)]),
        "discipline": np.array([float(a.discipline)]),
        "corruption_in_unit": np.array([float(a.corruption_in_unit)]),
        "late_files": np.array([a.events.get("late_files", 0.0)]),
        "apologies": np.array([a.events.get("apologies", 0.0)]),
    }


def _run_scalar(
    rs: RuleSet,
    scores: Mapping[str, float],
    manages: bool,
    is_head: bool,
    flags: Mapping[str, npt.NDArray[np.float64]],
    kpi: float | None,
    options: Mapping[str, bool] | None,
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
    )


def _vi_number(x: float, spec: str = ".2f") -> str:
    """A number the Vietnamese way: decimal comma (93,50)."""
    return format(x, spec).replace(".", ",")


def _band_reason(rs: RuleSet, total: float, code: int) -> Reason:
    if code < 0:
        return Reason(
            "band.none",
            f"Tổng điểm {_vi_number(total, 'g')} không thuộc khung nào của {rs.id}",
            f"Total {total:g} falls in no band of {rs.id}",
        )
    band = next(b for b in rs.bands if b.grade.value == code)
    top = band is max(rs.bands, key=lambda b: b.max)
    close = "]" if top else ")"
    rng_vi = f"[{_vi_number(band.min, 'g')}; {_vi_number(band.max, 'g')}{close}"
    rng_en = f"[{band.min:g}, {band.max:g}{close}"
    return Reason(
        "band",
        f"Tổng điểm {_vi_number(total)} thuộc khung {rs.grade_label(band.grade)} {rng_vi} ({rs.id})",
        f"Total {total:.2f} is in the band {rs.grade_label(band.grade, 'en')} {rng_en} ({rs.id})",
        band.source,
    )


def _result_from(
    rs: RuleSet,
    out: _kernels.KernelOutput,
    i: int,
    staff_id: str,
    period: Period,
    level: Level | None,
    level_totals: Mapping[str, float],
) -> EvaluationResult:
    total = float(out.total[i])
    sg = int(out.score_grade[i])
    g = int(out.grade[i])
    reasons = [_band_reason(rs, total, sg)]
    bits = int(out.reason_bits[i])
    reasons += [s.reason for s in out.reasons if bits & (1 << s.bit)]
    return EvaluationResult(
        staff_id,
        period,
        rs.id,
        total,
        Grade(sg) if sg >= 0 else None,
        Grade(g) if g >= 0 else None,
        components={k: float(v[i]) for k, v in out.components.items()},
        level=level,
        level_totals=level_totals,
        reasons=reasons,
    )


# =========================================================================== frame path


def _bool_col(frame: pd.DataFrame, name: str, n: int) -> npt.NDArray[np.bool_]:
    if name not in frame.columns:
        return np.zeros(n, dtype=bool)
    col = frame[name]
    if col.dtype == bool:
        return col.to_numpy()
    return col.fillna(False).astype(bool).to_numpy()


def _float_col(frame: pd.DataFrame, name: str, n: int, default: float) -> npt.NDArray[np.float64]:
    if name not in frame.columns:
        return np.full(n, default)
    col = frame[name]
    if name == "discipline" and col.dtype == object:
        names = {d.name.lower(): float(d.value) for d in Discipline}
        names.update({"khien_trach": 1.0, "canh_cao": 2.0, "cach_chuc": 4.0, "": 0.0})
        col = col.map(lambda v: names.get(str(v).strip().lower(), v) if isinstance(v, str) else v)
    arr = pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return np.where(np.isnan(arr), default, arr)


def score_frame(
    frame: pd.DataFrame,
    rules: RuleSet | str | None = None,
    *,
    jurisdiction: str | None = None,
    force: bool = False,
    options: Mapping[str, bool] | None = None,
    positions: Mapping[str, Position] | None = None,
) -> pd.DataFrame:
    """Score a DataFrame of staff-months, vectorised (no per-row Python).

    ``frame`` has one row per staff-month: one column per criterion id (the counting
    level's score; NaN when not scored) plus the columns of :data:`FRAME_COLUMNS`. When
    ``rules`` is None each row gets the set in force for its ``category`` and
    ``period``. Returns a frame with the same index and the columns ``rule_set``,
    ``total``, one ``points_<block>`` column per score block, ``score_grade`` and
    ``grade`` (ordered categoricals, NaN when not evaluated) and ``reasons`` (reason
    codes joined by ``;``).

    Every invalid value is reported at once in an :class:`~evalkit.errors.InputError`
    naming the row, the column and the value.

    >>> import pandas as pd, evalkit
    >>> df = pd.DataFrame({"staff_id": ["A", "B"], "chinh_tri": [6, 6], "dao_duc": [6, 6],
    ...     "tac_phong": [6, 6], "ky_luat": [5, 6], "phuc_vu": [5, 6],
    ...     "so_luong": [90, 100], "chat_luong": [100, 100], "tien_do": [80, 100],
    ...     "discipline": [0, 1]})
    >>> out = evalkit.score_frame(df, "vn.nd335-2025")
    >>> out[["total", "grade", "reasons"]].values.tolist()
    [[91.0, 'HTXS', ''], [100.0, 'KHT', 'disqualifier.discipline']]
    """
    n = len(frame)
    if rules is not None or n == 0:
        rs = _registry.default_registry().get(rules) if isinstance(rules, str) else rules
        if rs is None:
            rs = _registry.default_registry().get("vn.nd335-2025")
        if not force and "period" in frame.columns and n:
            for p in pd.unique(frame["period"]):
                resolve_rules(rs, rs.categories[0], Period.parse(p), force=False)
        return _score_with(frame, rs, options=options, positions=positions)
    missing = [c for c in ("category", "period") if c not in frame.columns]
    if missing:
        raise InputError(
            [InputProblem(f"column {c!r} is needed when no rule set is given", column=c)
             for c in missing]
        )  # fmt: skip
    keys = frame[["category", "period"]].astype(str)
    parts: list[pd.DataFrame] = []
    problems: list[InputProblem] = []
    groups: dict[Any, Any] = keys.groupby(["category", "period"], sort=False).groups
    for key, idx in groups.items():
        cat, per = str(key[0]), str(key[1])
        try:
            rs = resolve_rules(None, cat, per, jurisdiction=jurisdiction)
        except Exception as exc:
            problems.append(InputProblem(str(exc), column="category", value=f"{cat} {per}"))
            continue
        try:
            parts.append(_score_with(frame.loc[idx], rs, options=options, positions=positions))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    out = pd.concat(parts)
    return out.loc[frame.index]


def _score_with(
    frame: pd.DataFrame,
    rs: RuleSet,
    *,
    options: Mapping[str, bool] | None,
    positions: Mapping[str, Position] | None,
) -> pd.DataFrame:
    n = len(frame)
    manages = _bool_col(frame, "manages_others", n)
    is_head = _bool_col(frame, "is_head", n)
    kpi = _float_col(frame, "kpi", n, np.nan) if "kpi" in frame.columns else None
    problems: list[InputProblem] = []
    ids = frame["staff_id"].to_numpy() if "staff_id" in frame.columns else None
    index = frame.index.to_numpy()

    def report(mask: npt.NDArray[np.bool_], column: str, values: Any, message: str) -> None:
        for i in np.flatnonzero(mask)[:200]:
            who = f" (staff {ids[i]!r})" if ids is not None else ""
            problems.append(
                InputProblem(f"{message}{who}", row=_row(index[i]), column=column,
                             value=_py(values[i]))
            )  # fmt: skip

    cols: dict[str, npt.NDArray[np.float64]] = {}
    for crit in rs.criteria():
        if crit.id not in frame.columns:
            continue
        raw = frame[crit.id]
        if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw):
            arr = raw.to_numpy(dtype=np.float64, na_value=np.nan)
        else:  # text typed into a number cell is reported, never silently dropped
            arr = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
            bad_text = np.isnan(arr) & raw.notna().to_numpy()
            if bad_text.any():
                report(bad_text, crit.id, raw.to_numpy(), "is not a number")
        maxima = _maxima(rs, crit.id, frame, positions, n)
        neg = arr < 0
        over = arr > maxima + 1e-9
        if neg.any():
            report(neg, crit.id, arr, "is negative")
        if over.any():
            mx = np.broadcast_to(np.asarray(maxima, dtype=np.float64), (n,))
            for i in np.flatnonzero(over)[:200]:
                who = f"staff {ids[i]!r}, " if ids is not None else ""
                problems.append(
                    InputProblem(
                        f"score {_fmt(arr[i])} for {crit.id!r} exceeds its maximum "
                        f"{_fmt(float(mx[i]))} ({who}{rs.id})",
                        row=_row(index[i]), column=crit.id, value=_py(arr[i]),
                    )
                )  # fmt: skip
        cols[crit.id] = arr
    nan = np.full(n, np.nan)

    def get(cid: str) -> npt.NDArray[np.float64]:
        return cols.get(cid, nan)

    # evaluated rows: any required input or a kpi present
    all_inputs = set(rs.required_inputs(True)) | set(rs.required_inputs(False))
    present = np.zeros(n, dtype=bool)
    for cid in all_inputs:
        if cid in cols:
            present |= ~np.isnan(cols[cid])
    has_kpi = ~np.isnan(kpi) if kpi is not None else np.zeros(n, dtype=bool)
    evaluated = present | has_kpi
    kpi_blocks = {
        cid for b in rs.blocks if b.kind == "percent_average" and b.params.get("kpi")
        for cid in b.inputs(None)
    }  # fmt: skip
    for mgr_flag in (False, True):
        rows = evaluated & (manages == mgr_flag)
        if not rows.any():
            continue
        for cid in rs.required_inputs(mgr_flag):
            need = rows & ~has_kpi if cid in kpi_blocks else rows
            if not need.any():
                continue
            miss = need & np.isnan(get(cid))
            if miss.any():
                report(miss, cid, get(cid), f"criterion {cid!r} has no score")
    if kpi is not None:
        bad = (kpi < 0) | (kpi > 100)
        if bad.any():
            report(bad, "kpi", kpi, "kpi must be a percentage between 0 and 100")
    flags = {f: _float_col(frame, f, n, 0.0) for f in FLAG_INPUTS}
    if problems:
        raise InputError(problems)

    out = _kernels.compute(
        rs, get, manages=manages, is_head=is_head, flags=flags, kpi=kpi, options=options
    )
    everyone = bool(evaluated.all())

    def only_evaluated(arr: npt.NDArray[Any], missing: float) -> npt.NDArray[Any]:
        return arr if everyone else np.where(evaluated, arr, missing)

    columns: dict[str, Any] = {
        "rule_set": pd.Categorical.from_codes(
            np.zeros(n, dtype=np.int8), dtype=pd.CategoricalDtype([rs.id])
        ),
        "total": only_evaluated(out.total, np.nan),
    }
    for bid, arr in out.components.items():
        columns[f"points_{bid}"] = only_evaluated(arr, np.nan)
    columns["score_grade"] = _grades(only_evaluated(out.score_grade, -1))
    columns["grade"] = _grades(only_evaluated(out.grade, -1))
    columns["reasons"] = _reason_strings(out, evaluated)
    return pd.DataFrame(columns, index=frame.index, copy=False)


def _maxima(
    rs: RuleSet,
    cid: str,
    frame: pd.DataFrame,
    positions: Mapping[str, Position] | None,
    n: int,
) -> float | npt.NDArray[np.float64]:
    base = float(rs.criterion(cid).maximum)
    table: dict[str, float] = {p: m[cid] for p, m in rs.position_maxima.items() if cid in m}
    if positions:
        table.update({k: p.maxima[cid] for k, p in positions.items() if cid in p.maxima})
    if not table or "position_id" not in frame.columns:
        return base
    mapped = frame["position_id"].map(table)
    return pd.to_numeric(mapped, errors="coerce").fillna(base).to_numpy(dtype=np.float64)


def _grades(codes: npt.NDArray[Any]) -> pd.Categorical[Any]:
    return pd.Categorical.from_codes(codes.astype(np.int8), dtype=GRADE_DTYPE)


def _reason_strings(
    out: _kernels.KernelOutput, evaluated: npt.NDArray[np.bool_]
) -> pd.Categorical[Any]:
    # codes: 0 = not evaluated, 1 + reason mask otherwise; few distinct values, so a
    # bincount + lookup table replaces a sort-based np.unique.
    codes = np.where(evaluated, out.reason_bits.astype(np.int64) + 1, 0)
    top = int(codes.max()) if codes.size else 0
    if top < 1 << 16:
        present = np.flatnonzero(np.bincount(codes, minlength=1))
        lookup = np.full(top + 1, -1, dtype=np.int32)
        lookup[present] = np.arange(present.size, dtype=np.int32)
        cat_codes = lookup[codes]
        uniq = present
    else:  # pragma: no cover - more than 16 caps and notices
        uniq, inverse = np.unique(codes, return_inverse=True)
        cat_codes = inverse.reshape(-1).astype(np.int32)
    labels: list[str] = []
    for u in uniq:
        if u == 0:
            labels.append("not_evaluated")
        else:
            mask = int(u) - 1
            labels.append(";".join(s.reason.code for s in out.reasons if mask & (1 << s.bit)))
    cats = list(dict.fromkeys(labels))
    remap = np.array([cats.index(lbl) for lbl in labels], dtype=np.int32)
    return pd.Categorical.from_codes(remap[cat_codes], dtype=pd.CategoricalDtype(cats))


def _row(label: Any) -> int | None:
    try:
        return int(label)
    except (TypeError, ValueError):
        return None


def _py(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


def assessments_to_frame(
    assessments: Sequence[Assessment], staff: Mapping[str, Staff] | None = None
) -> pd.DataFrame:
    """Build a score_frame input from assessments (the counting level's scores)."""
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
            "corruption_in_unit": a.corruption_in_unit,
            "late_files": a.events.get("late_files", 0.0),
            "apologies": a.events.get("apologies", 0.0),
        }
        row.update(merged)
        rows.append(row)
    return pd.DataFrame(rows)
