"""Results tables: write them as JSON, Excel or CSV, and read a results JSON back.

A *results frame* has one row per person and month: the identity and input columns of
the workbook (``staff_id``, ``full_name``, ``unit_id``, ``position_id``, ``period``,
each level's scores ...) followed by the engine's columns (``rule_set``, ``total``,
``points_<block>``, ``score_grade``, ``grade``, ``reasons`` ...); see
:mod:`evalkit.workflow`, which makes them. This module only reads and writes.

JSON results are a document ``{"schema": "evalkit/1", "kind": "results", "data":
{"columns": [...], "rows": [{...}, ...]}}``: one object per person, ``null`` for a
missing value, grades as codes.

Spreadsheet exports are safe to open (OWASP "CSV injection"): a text cell never starts
as a formula. In CSV a text that begins with ``=``, ``+``, ``-``, ``@`` (after any
spaces), a tab or a carriage return is written with a leading ``'``; in Excel every text
is a text cell (never a formula) and such a text also carries Excel's quote prefix, so it
reads back exactly as typed. Numbers stay numbers: ``-5`` is the number −5.

>>> import pandas as pd
>>> frame = pd.DataFrame({"full_name": ["=1+1", "An"], "total": [-5.0, 91.0]})
>>> formula_safe_frame(frame).to_dict("list")
{'full_name': ["'=1+1", 'An'], 'total': [-5.0, 91.0]}
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit import _columns, _ids, _tables, _words
from evalkit._files import atomic_path
from evalkit.errors import InputError, InputProblem
from evalkit.io._cells import (
    _FORMULA_RE,
    COUNTS_SHEET,
    RESULTS_SHEET,
    _is_formula_like,
    formula_safe_text,
    xlsx_row,
)
from evalkit.io.jsonio import SCHEMA, _check_schema, parse_document
from evalkit.messages import msg, problem
from evalkit.model import Grade
from evalkit.reasons import not_classified_rows

__all__ = [
    "COUNTS_SHEET",
    "GRADE_ORDER",
    "RESULTS_SHEET",
    "formula_safe_frame",
    "formula_safe_text",
    "grade_counts",
    "read_results",
    "read_results_and_problems",
    "results_document",
    "unit_inputs_of",
    "units_of",
    "write_results",
    "write_results_csv",
    "write_results_xlsx",
    "write_table_csv",
]

#: Grades from best to worst, as columns of the grade-count sheet.
GRADE_ORDER = ("HTXS", "HTT", "HT", "KHT")
_GRADE_COLUMNS = ("grade", "score_grade", "unit_grade", "annual_grade")


def grade_counts(results: pd.DataFrame, column: str | None = None) -> dict[str, int]:
    """Number of people per grade (best first), then ``not_classified`` where someone is
    (:func:`evalkit.reasons.not_classified_rows`: too few months, no month worked in the
    year — as the sheets count them), then
    ``not_evaluated``."""
    col = column or next((c for c in ("grade", "annual_grade") if c in results.columns), None)
    if col is None:
        return {}
    values = results[col].astype("string")
    counts = {g: int((values == g).sum()) for g in GRADE_ORDER}
    told = not_classified_rows(results, col)
    if n := int(told.sum()):
        counts["not_classified"] = n
    counts["not_evaluated"] = int((values.isna() & ~told).sum())
    return counts


def _has_rows(results: pd.DataFrame) -> bool:
    """Whether a results file of ``results`` carries the ``row`` column (the workbook row
    of each person, or the frame's index): a month's or a quarter's results do; an annual
    table (``annual_grade``: one line per person of the year, rolled up from the archive)
    has no workbook row, and its file starts with ``staff_id``.

    >>> import pandas as pd
    >>> _has_rows(pd.DataFrame({"staff_id": ["A"], "grade": ["HT"]}))
    True
    >>> _has_rows(pd.DataFrame({"staff_id": ["A"], "annual_grade": ["HT"]}))
    False
    """
    return "annual_grade" not in results.columns


def _records(results: pd.DataFrame) -> list[dict[str, Any]]:
    frame = results.copy()
    for col in frame.columns:
        s = frame[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            frame[col] = s.astype(object)
    frame = frame.astype(object).where(frame.notna(), None)
    if "row" not in frame.columns and _has_rows(results):
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
    results = _tables.without_mark(results)  # where rows were read from is no result
    units = _tables.table(results, "units")
    unit_inputs = _tables.table(results, "unit_inputs")
    return {
        "schema": SCHEMA,
        "kind": "results",
        "data": {
            "rule_set": results.attrs.get("rule_set"),
            "period": results.attrs.get("period"),
            "columns": [*(["row"] if _has_rows(results) else []),
                        *[str(c) for c in results.columns if c != "row"]],
            "rows": _records(results),
            "units": _records(units) if isinstance(units, pd.DataFrame) else None,
            "unit_inputs": (_records(unit_inputs) if isinstance(unit_inputs, pd.DataFrame)
                            else None),
            "signatories": _plain_mapping(results.attrs.get("signatories")),
            "agency": _plain_mapping(results.attrs.get("agency")),
        },
    }


def _plain_mapping(value: Any) -> dict[str, Any] | None:
    """A mapping of text (or of mappings of text) as JSON can hold it, else None."""
    if not isinstance(value, dict) or not value:
        return None
    out: dict[str, Any] = {}
    for k, v in value.items():
        if isinstance(v, dict):
            out[str(k)] = {str(a): str(b) for a, b in v.items() if b is not None}
        elif v is not None:
            out[str(k)] = str(v)
    return out


def write_results(results: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write results to ``.json``, ``.xlsx`` or ``.csv`` by the suffix, atomically.

    A month's (or quarter's) results start with ``row``, each person's workbook row; an
    annual table (``Archive.annual``: ``annual_grade``) has none and starts with
    ``staff_id``.
    """
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


def _safe_text_series(s: pd.Series) -> pd.Series:
    """Escape the text cells of one column, vectorised; numbers and blanks are untouched."""
    if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        return s
    if pd.api.types.is_datetime64_any_dtype(s.dtype) or isinstance(
        s.dtype, pd.PeriodDtype | pd.IntervalDtype
    ):
        return s
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = pd.Series(s.cat.categories)
        if not len(cats) or not cats.map(lambda c: isinstance(c, str) and _is_formula_like(c)).any():
            return s
        s = s.astype(object)
    if not len(s) or pd.api.types.infer_dtype(s, skipna=True) not in ("string", "mixed",
                                                                      "mixed-integer"):
        return s  # no text: yes/no values with blanks (months concatenated), numbers
    hit = s.str.match(_FORMULA_RE.pattern)
    mask = hit.fillna(False).astype(bool).to_numpy()
    if not mask.any():
        return s
    out = s.astype(object).copy()
    out[mask] = "'" + s[mask].astype(str)
    return out


def formula_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells, column names and index are CSV-safe.

    Every text that :func:`formula_safe_text` would change gets its leading ``'``;
    number, boolean and date columns are returned as they are.
    """
    out = frame.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        safe = _safe_text_series(col)
        if safe is not col:
            out.isetitem(i, safe.to_numpy())
    out.columns = pd.Index([formula_safe_text(c) if isinstance(c, str) else c
                            for c in out.columns])  # fmt: skip
    if not pd.api.types.is_numeric_dtype(out.index.dtype):
        out.index = pd.Index(_safe_text_series(pd.Series(out.index, dtype=object)).to_numpy(),
                             name=out.index.name)  # fmt: skip
    return out


def write_results_csv(results: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write results as UTF-8 CSV (with BOM, so Excel shows Vietnamese), atomically.

    Text cells that would start a formula get a leading ``'`` (:func:`formula_safe_text`).
    """
    results = _tables.without_mark(results)
    safe = formula_safe_frame(results)
    with atomic_path(path) as tmp:
        # CRLF line ends (Excel's), so a field holding a lone CR or LF is always quoted
        if _has_rows(results):
            safe.to_csv(tmp, index_label="row", encoding="utf-8-sig", lineterminator="\r\n")
        else:  # an annual table: no workbook row (_has_rows)
            safe.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return Path(path)


def write_table_csv(table: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a table (e.g. the publication list the render layer formats) as UTF-8 CSV with a BOM
    and CRLF line ends, without the index, formula-safe (:func:`formula_safe_frame`),
    atomically.

    >>> import tempfile, pandas as pd
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_table_csv(pd.DataFrame({"Họ và tên": ["=1+1"]}), Path(d) / "t.csv")
    ...     p.read_text(encoding="utf-8-sig").splitlines()
    ['Họ và tên', "'=1+1"]
    """
    safe = formula_safe_frame(table)
    with atomic_path(path) as tmp:
        safe.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return Path(path)


def write_results_xlsx(results: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write results to Excel: a per-person sheet ``Kết quả`` and a ``Số lượng xếp loại``
    sheet of grade counts per unit, atomically.

    Every text is a text cell (never a formula, whatever it starts with); a text that
    looks like a formula also carries Excel's quote prefix, so editing the cell in Excel
    keeps it text. Numbers are number cells. Control characters that an Excel file cannot
    hold (U+0000 to U+001F except tab and line breaks) are left out; a carriage return
    reads back as a line feed (XML line ends).
    """
    import openpyxl

    results = _tables.without_mark(results)
    wb = openpyxl.Workbook(write_only=True)
    people = wb.create_sheet(RESULTS_SHEET)
    cols = [str(c) for c in results.columns]
    lead = ["row"] if _has_rows(results) else []  # an annual table has no workbook row
    people.append(xlsx_row(people, [*lead, *cols]))
    records = _records(results)
    for r in records:
        people.append(xlsx_row(people, [*[r.get(c) for c in lead], *[r.get(c) for c in cols]]))
    counts = wb.create_sheet(COUNTS_SHEET)
    total = grade_counts(results)  # a "Không xếp loại" column where someone is not classified
    words = {"not_classified": "Không xếp loại", "not_evaluated": "Chưa đánh giá"}
    counts.append(["Mã đơn vị", *(words.get(k, k) for k in total), "Tổng số"])
    if "unit_id" in results.columns:
        groups = results.groupby(results["unit_id"].astype("string").fillna(""), sort=True)
        for unit, part in groups:
            c = grade_counts(part)
            counts.append(xlsx_row(counts, [unit or None, *(c.get(k, 0) for k in total),
                                            len(part)]))  # fmt: skip
    counts.append(xlsx_row(counts, ["(tổng)", *total.values(), len(results)]))
    try:
        with atomic_path(path) as tmp:
            wb.save(tmp)
    except BaseException:
        _discard(wb)
        raise
    return Path(path)


def _discard(wb: Any) -> None:
    """Close the sheets of a write-only workbook that was not saved and remove their
    temporary files: left open, openpyxl's row writers print "Exception ignored ... I/O
    operation on closed file" tracebacks when they are collected."""
    for ws in getattr(wb, "worksheets", ()):
        try:
            if not ws.closed:
                ws.close()
            if ws._writer is not None:
                ws._writer.cleanup()
        except Exception:  # best effort, on an error path
            continue


def read_results(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a results JSON document back into a results frame (grades as categoricals).

    The document is checked before anything is built: ``rows`` is a list of objects,
    grades are read as every door reads a grade (a code, its full name, a number from 0 to
    3; kept as its code) or null — any other refused with the one sentence
    ``foreign.grade`` —, totals are finite numbers from 0 to
    the rule set's total, ``points_*`` finite numbers, staff ids present and distinct per
    period. Totals and points are read as every door reads a number
    (:func:`evalkit._columns.numbers`): ``"85,5"`` is 85.5, ``"91"`` is 91, a blank is
    none; ``"abc"``, ``"1e400"``, ``true`` are refused. The ``units`` and ``unit_inputs``
    tables are read as the workbook's units sheet is (:func:`_unit_table`: numbers, counts,
    yes/no), their problems naming the table and the unit. Every problem is listed in one
    :class:`~evalkit.errors.InputError` (file, table, record number, field, value).

    A record is named at its place in its table counted from 1 (the row a person counts
    in the file), never at the ``row`` it carries; each row of the frame carries that
    place (:data:`evalkit._tables.RECORD`, dropped when the frame is written or
    archived), so ``results_from_frame``, :func:`evalkit.workflow.checked` and
    :meth:`evalkit.io.archive.Archive.finalize` name it at the same row. The frame's
    index is the ``row`` the records carry (each person's workbook row).
    """
    frame, problems = read_results_and_problems(path)
    if problems:
        raise InputError(problems)
    return frame


def read_results_and_problems(path: str | os.PathLike[str]
                              ) -> tuple[pd.DataFrame, list[InputProblem]]:  # fmt: skip
    """:func:`read_results` without raising on its records' problems: the frame of the
    records read without a problem (the ``units`` and ``unit_inputs`` tables only where
    they have none), and every problem :func:`read_results` lists, so that ``evalkit
    finalize`` lists them with the archive's checks of the other records at once. Still
    raises :class:`~evalkit.errors.InputError` where no frame can be made (no results
    document, a record that is no object, a value that is no scalar).
    """
    from evalkit.scoring import GRADE_DTYPE

    where = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError([InputProblem(f"cannot read results: {exc.strerror or exc}", where)]
                         ) from None  # fmt: skip
    doc = parse_document(raw, where, "results")
    _check_schema(doc, where)
    if doc.get("kind") in ("Organisation",):
        raise InputError([problem(msg("problem.json.other_kind", found=msg("kind.organisation"),
                                      kind=msg("kind.results")),
                                  file=where, column="kind", value=doc.get("kind"))])  # fmt: skip
    if doc.get("kind") != "results" or not isinstance(doc["data"], dict):
        raise InputError([InputProblem(
            "not a results document", where, column="kind", value=doc.get("kind")
        )])  # fmt: skip
    data = doc["data"]
    rows, columns, problems = _checked_records(data, where)
    # (no column named: pandas would make no row either; the records keep their numbers)
    frame = pd.DataFrame.from_records(rows, columns=columns) if columns != [] else \
        pd.DataFrame(index=pd.RangeIndex(len(rows)))  # fmt: skip
    # totals and points read as every door reads a number (evalkit._columns.numbers:
    # "85,5" is 85.5, "91" is 91, a blank is none; "abc", "1e400", true are refused),
    # each problem naming the record (row), the field and the value
    # each record's place in the file, counted from 1: the row every door that reads the
    # frame names it at (a mark, as READ_BACK: evalkit._tables.RECORD)
    frame[_tables.RECORD] = np.arange(1, len(frame) + 1, dtype=np.int64)
    found = _columns.Problems(frame, file=where)
    limit = _total_limit(data.get("rule_set"))
    unread = np.zeros(len(frame), dtype=bool)  # the records with a problem
    unread[[p.row - 1 for p in problems if isinstance(p.row, int)]] = True
    for col in frame.columns:
        if col in _GRADE_COLUMNS:  # read as every door reads a grade, said alike
            read, bad = _columns.grade_codes(frame[col])
            found.add(bad, col, frame[col], str(_columns.grade_sentence({})))
            unread |= bad
        if col == "total" or str(col).startswith("points_"):
            num, bad = _columns.number_cells(frame[col])
            frame[col] = _columns.numbers(frame, col, found, minimum=0.0 if col == "total"
                                          else None, maximum=limit if col == "total" else None)
            unread |= bad | (~np.isnan(num) & np.isnan(frame[col].to_numpy(np.float64)))
    tables: dict[str, pd.DataFrame] = {}
    in_tables: list[InputProblem] = []
    for key in ("units", "unit_inputs"):
        table_rows = data.get(key)
        if table_rows:
            unit_rows, unit_cols, _ = _checked_records({"rows": table_rows}, where, what=key)
            table = pd.DataFrame.from_records(unit_rows, columns=unit_cols)
            # each unit's record at its place in its table, counted from 1 (its ``row`` is
            # only the engine's position), the unit named (Problems' unit_id)
            table.index = pd.RangeIndex(1, len(table) + 1, name="row")
            before = len(in_tables)
            table = _unit_table(table, key, where, in_tables)
            if len(in_tables) == before:
                tables[key] = table
    # in record order ("N more rows" lines last), then the units' tables, each in its
    # records' order
    problems = [*sorted([*problems, *found.in_order()], key=lambda p: (
        p.row if isinstance(p.row, int) else sys.maxsize)), *in_tables]
    if "row" in frame.columns:
        frame = frame.set_index("row")
    elif problems:  # the other records keep their place (evalkit.io.archive's row labels)
        frame.index = pd.RangeIndex(len(frame), name="row")
    frame = frame[~unread].copy() if unread.any() else frame
    # each grade as its code (a full name, 0 to 3: as every door reads it), the records
    # with a grade no door reads left out above
    for col in _GRADE_COLUMNS:
        if col in frame.columns:
            read, _bad = _columns.grade_codes(frame[col])
            frame[col] = pd.Categorical.from_codes(read.astype(np.int64),
                                                   dtype=GRADE_DTYPE)
    frame.attrs["rule_set"] = data.get("rule_set")
    frame.attrs["period"] = data.get("period")
    frame.attrs["file"] = where
    # read back from a results file: checked before it is printed on a signed sheet
    # (evalkit.workflow.checked: what finalize refuses is never printed)
    frame.attrs["results_file"] = where
    # and on every row (a mark pandas.concat keeps, unlike attrs: evalkit._tables.READ_BACK)
    frame[_tables.READ_BACK] = pd.Series(where, index=frame.index, dtype=object)
    for key in ("signatories", "agency"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, dict) or not all(
            isinstance(v, str) or (isinstance(v, dict) and all(isinstance(x, str)
                                                               for x in v.values()))
            for v in value.values()
        ):
            raise InputError([InputProblem(f"{key!r} must be an object of texts", where,
                                           column=key)])  # fmt: skip
        frame.attrs[key] = value
    for key, table in tables.items():
        _tables.attach(frame, key, table.drop(columns="row") if "row" in table.columns
                       else table)  # fmt: skip
    return frame, problems


def units_of(results: pd.DataFrame) -> pd.DataFrame | None:
    """The unit results a results frame carries (a results file read back by
    :func:`read_results`, the CLI's classification), else none.

    They are kept in ``results.attrs["units"]`` in a wrapper pandas can compare, so the
    frame can be ``astype``'d and concatenated (:mod:`evalkit._tables`); read them here.
    Months concatenated with :func:`pandas.concat` keep no ``attrs`` (they differ): take
    each month's unit results before.
    """
    return _tables.table(results, "units")


def unit_inputs_of(results: pd.DataFrame) -> pd.DataFrame | None:
    """The units' inputs (the units sheet as read) a results frame carries, else none;
    as :func:`units_of`."""
    return _tables.table(results, "unit_inputs")


#: The numbers of a units table that are the engine's results (no range: what the
#: classification wrote), read as numbers as every door reads them.
_UNIT_RESULT_NUMBERS = ("score", "computed_score", "depth", "tasks_percent", "done_percent",
                        "exceeded_percent", "on_time_percent", "inspection_points", "staff",
                        "quota_base", "quota_cap", "quota_candidates", "quota_demoted")


def _unit_table(table: pd.DataFrame, key: str, where: str,
                problems: list[InputProblem]) -> pd.DataFrame:  # fmt: skip
    """The ``units`` or ``unit_inputs`` records of a results document read as the
    workbook's units sheet reads its columns (:func:`evalkit.io.workbook.unit_columns`),
    through :mod:`evalkit._columns`: a number (``"80,5"`` is 80.5, a blank none), a yes/no
    (``"x"``, ``"có"``, true) a flag; a unit's figures (and an evaluating body's
    ``body_<id>``) judged as every unit door judges them
    (:func:`evalkit._columns.unit_value_rules`); the engine's own results numbers, and
    ``classified`` a flag; a unit's ``grade`` a grade (kept as written). Each problem,
    appended to ``problems``, names the file, the table (``sheet``), the record (counted
    from 1), the unit (``unit_id``), the column and the value. A unit's ``name``, ``unit_name``, ``governing_body`` and
    ``place`` hold no control character (``foreign.name_control``, as every door says)."""
    from evalkit.io.workbook import unit_columns, unit_figure

    found = _columns.Problems(table, file=where, sheet=key, id_column="unit_id")
    specs = {c.id: c for c in unit_columns(None) if c.kind in ("number", "count", "bool")}
    out = table.copy()
    for col in table.columns:
        name = str(col)
        spec = specs.get(name)
        if spec is not None and spec.kind == "bool":
            out[col] = _columns.booleans(table, name, found)
        elif spec is not None or name.startswith("body_") or name in _UNIT_RESULT_NUMBERS:
            out[col] = _columns.numbers(table, name, found)
        elif name == "classified":
            out[col] = _columns.booleans(table, name, found)
        elif name == "grade":  # read as every door reads a grade, kept as its code
            read = _columns.grades(table, name, found)
            out[col] = np.array([*(Grade(i).code for i in range(4)), None], dtype=object)[read]
    # a unit's figures as every unit door judges them (evalkit._columns.unit_value_rules)
    figures = {c: out[c].to_numpy() for c in table.columns
               if isinstance(c, str) and unit_figure(c)}  # fmt: skip
    for mask, col, why in _columns.value_problems(figures):
        found.add(mask, col, table[col], why)
    _ids.name_problems(table, _words.UNIT_NAME_COLUMNS, found)  # printed on the sheets
    problems.extend(found.in_order())
    return out


def _checked_records(
    data: dict[str, Any], where: str, *, what: str = "rows"
) -> tuple[list[dict[str, Any]], list[str] | None, list[InputProblem]]:
    """The records of a results document and the problems of their grades and staff ids;
    InputError listing every problem when a record is no object or a value no scalar (the
    numbers are read by :func:`read_results`, as every door reads them)."""
    problems: list[InputProblem] = []
    rows = data.get("rows")
    columns = data.get("columns")
    if rows is None:
        rows = []
    if not isinstance(rows, list):
        raise InputError([InputProblem(f"{what!r} must be a list of objects", where,
                                       column=what, value=type(rows).__name__)])  # fmt: skip
    if columns is not None and (
        not isinstance(columns, list) or not all(isinstance(c, str) for c in columns)
    ):
        raise InputError([InputProblem("'columns' must be a list of names", where,
                                       column="columns")])  # fmt: skip
    seen: dict[tuple[object, object], int] = {}
    broken = False  # a record no object, a value no scalar: no frame can be made
    for i, rec in enumerate(rows, start=1):
        if not isinstance(rec, dict):
            broken = True
            problems.append(InputProblem(f"{what}: record {i} is not an object", where, row=i,
                                         value=type(rec).__name__))  # fmt: skip
            continue
        sid = rec.get("staff_id")  # the record's person, named in each of its problems
        person = (str(sid) if isinstance(sid, str | int) and not isinstance(sid, bool)
                  and str(sid).strip() else None)  # fmt: skip
        for key, value in rec.items():
            if isinstance(value, dict | list):
                broken = True
                problems.append(InputProblem(f"{what}: record {i}: a value must be a number, text, "
                                             "true/false or null", where, row=i,
                                             column=str(key), value=type(value).__name__,
                                             staff_id=person))  # fmt: skip
        if what != "rows":
            continue
        if "staff_id" in rec:
            if person is None:
                problems.append(InputProblem(f"record {i}: staff_id is blank", where, row=i,
                                             column="staff_id", value=sid))  # fmt: skip
            else:
                per = rec.get("period")  # a list or object here is reported above
                key2 = (str(sid), repr(per) if isinstance(per, dict | list) else per)
                if key2 in seen:
                    problems.append(InputProblem(
                        f"record {i}: staff {sid!r} appears again (first at record {seen[key2]})",
                        where, row=i, column="staff_id", value=sid, staff_id=person,
                    ))  # fmt: skip
                else:
                    seen[key2] = i
    if broken:
        raise InputError(problems)
    return rows, columns, problems


def _total_limit(rule_set: object) -> float | None:
    """The rule set's total when the document names a registered set."""
    if not isinstance(rule_set, str):
        return None
    from evalkit.errors import EvalkitError
    from evalkit.rules import get

    try:
        return float(get(rule_set).total)
    except EvalkitError:  # an unknown set is the finalize step's to refuse, not the reader's
        return None
