"""Results tables: score a read workbook, and write results as JSON, Excel or CSV.

A *results frame* has one row per person and month: the identity and input columns of
the workbook (``staff_id``, ``full_name``, ``unit_id``, ``position_id``, ``period``,
criteria ...) followed by :func:`evalkit.score_frame`'s columns (``rule_set``,
``total``, ``points_<block>``, ``score_grade``, ``grade``, ``reasons``) and, once units
are classified, whatever :mod:`evalkit.units` adds.

JSON results are a document ``{"schema": "evalkit/1", "kind": "results", "data":
{"columns": [...], "rows": [{...}, ...]}}``: one object per person, ``null`` for a
missing value, grades as codes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit.errors import InputError, InputProblem
from evalkit.io._atomic import atomic_path
from evalkit.io.jsonio import SCHEMA, _check_schema
from evalkit.model import Grade

__all__ = [
    "GRADE_ORDER",
    "classify_input",
    "grade_counts",
    "read_results",
    "results_document",
    "score_input",
    "sheets_from_results",
    "write_results",
    "write_results_csv",
    "write_results_xlsx",
]

#: Grades from best to worst, as columns of the grade-count sheet.
GRADE_ORDER = ("HTXS", "HTT", "HT", "KHT")
_GRADE_COLUMNS = ("grade", "score_grade", "unit_grade", "annual_grade")


def score_input(
    frame: pd.DataFrame, *, rules: Any = None, force: bool = False
) -> pd.DataFrame:
    """Score a frame read by :func:`evalkit.io.workbook.read_workbook`; return the results.

    The rule set is ``rules`` or the workbook's (``frame.attrs["rule_set"]``).
    """
    from evalkit.scoring import score_frame

    rs = rules if rules is not None else frame.attrs.get("rule_set")
    scored = score_frame(frame, rs, force=force)
    out = pd.concat([frame, scored], axis=1)
    out.attrs.update(frame.attrs)
    return out


def grade_counts(results: pd.DataFrame, column: str | None = None) -> dict[str, int]:
    """Number of people per grade (best first) plus ``not_evaluated``."""
    col = column or next((c for c in ("grade", "annual_grade") if c in results.columns), None)
    if col is None:
        return {}
    values = results[col].astype("string")
    counts = {g: int((values == g).sum()) for g in GRADE_ORDER}
    counts["not_evaluated"] = int(values.isna().sum())
    return counts


def _records(results: pd.DataFrame) -> list[dict[str, Any]]:
    frame = results.copy()
    for col in frame.columns:
        s = frame[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            frame[col] = s.astype(object)
    frame = frame.astype(object).where(frame.notna(), None)
    if "row" not in frame.columns:
        frame.insert(0, "row", results.index.to_numpy())
    rows = frame.to_dict(orient="records")
    return [{str(k): _jsonable(v) for k, v in r.items()} for r in rows]


def _jsonable(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if v is None or isinstance(v, str | int | float | bool):
        return v
    return str(v)


def results_document(results: pd.DataFrame) -> dict[str, Any]:
    """The JSON document of a results frame (schema ``evalkit/1``, kind ``results``)."""
    units = results.attrs.get("units")
    return {
        "schema": SCHEMA,
        "kind": "results",
        "data": {
            "rule_set": results.attrs.get("rule_set"),
            "period": results.attrs.get("period"),
            "columns": ["row", *[str(c) for c in results.columns if c != "row"]],
            "rows": _records(results),
            "units": _records(units) if isinstance(units, pd.DataFrame) else None,
            "unit_inputs": (_records(unit_inputs)
                            if isinstance(unit_inputs := results.attrs.get("unit_inputs"),
                                          pd.DataFrame) else None),
        },
    }


def write_results(results: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write results to ``.json``, ``.xlsx`` or ``.csv`` by the suffix, atomically."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".json":
        with atomic_path(p) as tmp:
            tmp.write_text(
                json.dumps(results_document(results), ensure_ascii=False, indent=1) + "\n",
                encoding="utf-8",
            )
        return p
    if suffix == ".xlsx":
        return write_results_xlsx(results, p)
    if suffix == ".csv":
        return write_results_csv(results, p)
    raise InputError([InputProblem(
        f"unknown output format {suffix!r}; use .json, .xlsx or .csv", str(p)
    )])  # fmt: skip


def write_results_csv(results: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write results as UTF-8 CSV (with BOM, so Excel shows Vietnamese), atomically."""
    with atomic_path(path) as tmp:
        results.to_csv(tmp, index_label="row", encoding="utf-8-sig")
    return Path(path)


def write_results_xlsx(results: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write results to Excel: a per-person sheet ``Kết quả`` and a ``Số lượng xếp loại``
    sheet of grade counts per unit, atomically."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    people = wb.create_sheet("Kết quả")
    cols = [str(c) for c in results.columns]
    people.append(["row", *cols])
    records = _records(results)
    for r in records:
        people.append([r.get("row"), *[r.get(c) for c in cols]])
    counts = wb.create_sheet("Số lượng xếp loại")
    counts.append(["unit_id", *GRADE_ORDER, "not_evaluated", "total"])
    if "unit_id" in results.columns:
        groups = results.groupby(results["unit_id"].astype("string").fillna(""), sort=True)
        for unit, part in groups:
            c = grade_counts(part)
            counts.append([unit or None, *c.values(), len(part)])
    c = grade_counts(results)
    counts.append(["(tổng)", *c.values(), len(results)])
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def read_results(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a results JSON document back into a results frame (grades as categoricals)."""
    from evalkit.scoring import GRADE_DTYPE

    try:
        doc = json.loads(Path(path).read_bytes())
    except (OSError, ValueError, RecursionError) as exc:
        raise InputError([InputProblem(f"cannot read results: {exc}", str(path))]) from None
    _check_schema(doc, str(path))
    if doc.get("kind") != "results" or not isinstance(doc["data"], dict):
        raise InputError([InputProblem(
            "not a results document", str(path), column="kind", value=doc.get("kind")
        )])  # fmt: skip
    data = doc["data"]
    frame = _table(data, "rows", str(path), data.get("columns"))
    if "row" in frame.columns:
        frame = frame.set_index("row")
    # values are converted only when every one converts: a grade 'XYZ' or a total 'abc'
    # stays as it is, for the checks downstream (evalkit.io.archive.check_results) to name
    for col in _GRADE_COLUMNS:
        if col in frame.columns:
            values = frame[col].astype(object).where(frame[col].notna(), None)
            present = values.dropna()
            if present.map(type).isin((str,)).all() and present.isin(GRADE_ORDER).all():
                frame[col] = pd.Categorical(values, dtype=GRADE_DTYPE)
    for col in frame.columns:
        if col == "total" or str(col).startswith("points_"):
            kinds = frame[col].dropna().map(type)
            if kinds.isin((int, float)).all():
                frame[col] = pd.to_numeric(frame[col], errors="coerce")
    for key in ("rule_set", "period"):
        value = data.get(key)
        frame.attrs[key] = value if isinstance(value, str) else None
    frame.attrs["file"] = str(path)
    for key in ("units", "unit_inputs"):
        if data.get(key) is not None:
            table = _table(data, key, str(path), None)
            frame.attrs[key] = table.set_index("row") if "row" in table.columns else table
    return frame


def _table(data: dict[str, Any], key: str, where: str, columns: Any) -> pd.DataFrame:
    """``data[key]`` (a list of objects) as a frame, or an InputError naming the key."""
    rows = data.get(key) or []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise InputError([InputProblem(f"data.{key} must be a list of objects", where,
                                       column=key)])  # fmt: skip
    if columns is not None and (not isinstance(columns, list)
                                or not all(isinstance(c, str) for c in columns)):
        raise InputError([InputProblem("data.columns must be a list of column names", where,
                                       column="columns")])  # fmt: skip
    if columns is not None and len(set(columns)) != len(columns):
        raise InputError([InputProblem("data.columns names a column twice", where,
                                       column="columns")])  # fmt: skip
    try:
        return pd.DataFrame.from_records(rows, columns=columns)
    except (TypeError, ValueError) as exc:
        raise InputError([InputProblem(f"data.{key} cannot be read: {exc}", where,
                                       column=key)]) from None


def classify_input(month: Any, *, org: Any = None, force: bool = False) -> pd.DataFrame:
    """Score and classify a read workbook (:class:`~evalkit.io.workbook.MonthInput`).

    Units come from the units sheet (task counts filled from the tasks sheet where
    blank) or from ``org``; returns the staff results frame (identity columns first) with
    the unit results in ``attrs["units"]``. Needs :func:`evalkit.units.classify_frame`.
    """
    from evalkit.units import classify_frame

    staff = month.staff
    units = month.units.copy() if not month.units.empty else _org_units(org)
    if not month.tasks.empty and not units.empty:
        from evalkit.io.tasks import task_components

        summary = task_components(month.tasks, period=month.period)
        if not summary.units.empty:
            per = str(month.period) if month.period else None
            table = summary.units.xs(per, level="period") if per else summary.units
            for col in ("tasks_assigned", "tasks_done", "tasks_on_time", "tasks_overdue",
                        "tasks_exceeded"):  # fmt: skip
                found = table[col].reindex(units["unit_id"]).to_numpy(dtype=np.float64)
                cur = (pd.to_numeric(units[col], errors="coerce").to_numpy(dtype=np.float64)
                       if col in units.columns else np.full(len(units), np.nan))  # fmt: skip
                units[col] = np.where(np.isnan(cur), found, cur)
    keep = [c for c in units.columns if c not in ("name",)]
    staff_results, unit_results = classify_frame(staff, units[keep], month.rules, force=force)
    extra = [c for c in staff_results.columns if c not in staff.columns or c == "is_head"]
    out: pd.DataFrame = pd.concat(
        [staff.drop(columns=["is_head"], errors="ignore"), staff_results[extra]], axis=1
    )
    out.attrs.update({"rule_set": month.rules.id, "period": str(month.period),
                      "units": unit_results, "unit_inputs": units[keep]})  # fmt: skip
    return out


def _org_units(org: Any) -> pd.DataFrame:
    if org is None:
        return pd.DataFrame(columns=["unit_id", "parent_id", "head_id"])
    from evalkit.io.workbook import _org_frames

    o = _org_frames(org)
    assert o is not None
    return pd.DataFrame({"unit_id": [u.id for u in o.units],
                         "parent_id": [u.parent_id for u in o.units],
                         "head_id": [u.head_id for u in o.units]})  # fmt: skip


def sheets_from_results(
    results: pd.DataFrame, *, agency: str = "", org: Any = None, lang: str = "vi"
) -> list[Any]:
    """Build :class:`evalkit.render.Sheet` objects (one per evaluated person) from results.

    The counting scores are shown at the competent level; names and titles come from
    ``org`` where given, else from the results' own columns.
    """
    from evalkit.model import Assessment, EvaluationResult, Level, Position, Reason, Staff, Unit
    from evalkit.render import Agency, Sheet
    from evalkit.rules import _registry

    o = None
    if org is not None:
        from evalkit.io.workbook import _org_frames

        o = _org_frames(org)
    units = {u.id: u for u in o.units} if o else {}
    positions = {p.id: p for p in o.positions} if o else {}
    people = {s.id: s for s in o.staff} if o else {}
    ag = Agency(agency or (next(iter(units.values())).name if units else ""))
    reg = _registry.default_registry()
    sheets: list[Any] = []
    evaluated = results[pd.to_numeric(results["total"], errors="coerce").notna()]
    for r in _records(evaluated):
        rs = reg.get(str(r.get("rule_set") or results.attrs.get("rule_set")))
        crits = {c.id for c in rs.criteria()}
        scores = {k: v for k, v in r.items() if k in crits and v is not None}
        sid = str(r["staff_id"])
        staff = people.get(sid) or Staff(sid, str(r.get("full_name") or sid),
                                         str(r.get("position_id") or "-"),
                                         str(r.get("unit_id") or "-"))  # fmt: skip
        pos = positions.get(staff.position_id) or Position(staff.position_id, staff.position_id)
        unit = units.get(staff.unit_id) or Unit(staff.unit_id, staff.unit_id)
        a = Assessment(
            sid, str(r["period"]), competent_scores=scores,
            competent_comment=str(r.get("competent_comment") or ""),
            manager_comment=str(r.get("manager_comment") or ""),
            self_comment=str(r.get("self_comment") or ""),
            kpi=r.get("kpi"), discipline=int(r.get("discipline") or 0),
        )  # fmt: skip
        codes = [c for c in str(r.get("reasons") or "").split(";") if c]
        res = EvaluationResult(
            sid, a.period, rs.id, float(r["total"]),
            Grade.parse(r["score_grade"]) if r.get("score_grade") else None,
            Grade.parse(r["grade"]) if r.get("grade") else None,
            components={k[7:]: float(v) for k, v in r.items()
                        if k.startswith("points_") and v is not None},
            level=Level.COMPETENT,
            reasons=[Reason(c, c, c) for c in codes],
        )  # fmt: skip
        sheets.append(Sheet(staff, pos, unit, a, res, rs, ag))
    return sheets
