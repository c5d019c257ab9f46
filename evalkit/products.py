"""Converted products: the task percentages a, b, c of NĐ 335/2025/NĐ-CP, Điều 14.

A civil servant's task results are scored from the products (sản phẩm, công việc) assigned
in the month or quarter, each **converted** by a coefficient (quantity × coefficient, from
the catalogue a ministry or province issues per job position). All three percentages divide
by the converted products **assigned**, so an unfinished product counts 0:

* a (quantity) = Σ done × coefficient ÷ Σ assigned × coefficient × 100;
* b (quality) = Σ coefficient × quality units ÷ Σ assigned × coefficient × 100, where each
  major error takes ``error_step`` % (25 %) off one unit of the product
  (``per = "unit"``: quality units = max(0, done − 0.25 × errors)) or off the whole line
  (``per = "line"``: quality units = done × max(0, 1 − 0.25 × errors));
* c (timeliness) likewise with the delays and ``delay_step``.

Errors and delays the competent level exempts for an objective cause are not deducted. The
criterion ids, the steps, ``per`` and how a quarter is formed come from the rule set's
``[products]`` table (:class:`evalkit.rules.ProductPolicy`), never from this code.

The product table has one row per product line (or per product and week) with the columns
of :data:`PRODUCT_COLUMNS`. Rows of the same ``product_id`` in the same scored period are one
product (a product tracked over several weeks); weeks and dated rows go to the month (or
quarter) the rule set scores. See ``docs/products.md`` for every choice and its source.

>>> import pandas as pd
>>> table = pd.DataFrame({
...     "staff_id": ["CC-1", "CC-1"], "period": ["2026-03", "2026-03"],
...     "product_id": ["report", "inspection"], "quantity": [3, 1],
...     "coefficient": [1.0, 2.5], "done": [3, 0]})
>>> out = task_components(table, "vn.nd335-2025")
>>> round(float(out.loc[0, "so_luong"]), 4), float(out.loc[0, "converted_assigned"])
(54.5455, 5.5)
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _columns
from evalkit.errors import EvalkitError, InputError, InputProblem, RuleSetError
from evalkit.model import Period
from evalkit.rules import ProductPolicy, RuleSet, for_period, resolve

__all__ = ["PRODUCT_COLUMNS", "check_products", "task_components"]

#: The columns of a product table and what each holds. Only ``staff_id``, ``done`` and a
#: ``period`` or ``date`` are required; blank cells take the default given here.
PRODUCT_COLUMNS: dict[str, str] = {
    "staff_id": "the person (required)",
    "period": "a month '2026-03', a week '2026-W05', a date range '2026-03-02..2026-03-08', "
              "a date, or a quarter '2026-Q1' (quarterly scoring only)",
    "date": "the day the row's work belongs to (optional); decides the month of a week "
            "that spans two months and must lie inside the row's period",
    "product_id": "the product; rows with the same id in one scored period are one product "
                  "(default: each row is its own product)",
    "quantity": "units assigned (a number ≥ 0; default 1)",
    "coefficient": "conversion coefficient (> 0; default: the coefficient table, else 1)",
    "position_id": "job position, to look the coefficient up (with a coefficient table)",
    "product_type": "product type in the coefficient table (default: the product_id)",
    "done": "units done by the end of the period (required; blank = 0)",
    "on_time": "units done on time (default: all units done)",
    "errors": "major quality errors (a whole count; default 0)",
    "delays": "delays (a whole count; default: one per unit done late, or one per product "
              "done late under per = 'line')",
    "objective": "yes/no: the competent level confirmed an objective cause for every error "
                 "and delay of the row (none is deducted)",
    "objective_errors": "errors of the row exempted for an objective cause (default 0)",
    "objective_delays": "delays of the row exempted for an objective cause (default 0)",
    "category": "staff category, to find the rule set when none is given "
                "(default cong_chuc)",
}  # fmt: skip

_OUT_COUNTS = (
    "converted_assigned", "converted_done", "converted_quality", "converted_timely",
    "products", "errors", "delays", "exempted",
)  # fmt: skip
_FIRST_YEAR, _LAST_YEAR = _columns.FIRST_YEAR, _columns.LAST_YEAR
_DEFAULT_CATEGORY = "cong_chuc"  # the category whose decree (NĐ 335) converts products

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-?[Ww](\d{1,2})$")
_RANGE = re.compile(r"^(.+?)\s*(?:\.\.|–|—|\s-\s)\s*(.+)$")
_ISO_RANGE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})/(\d{4}-\d{1,2}-\d{1,2})$")

PeriodKind = Literal["month", "quarter"]


# =========================================================================== public API


def task_components(
    products: pd.DataFrame,
    rules: RuleSet | str | Path | None = None,
    *,
    period_kind: PeriodKind | None = None,
    coefficients: pd.DataFrame | Mapping[Any, Any] | None = None,
    source: str | None = None,
) -> pd.DataFrame:
    """The task percentages a, b, c per person and scored period from a product table.

    ``rules`` (a rule set, its id or a rule file) supplies the ``[products]`` policy and
    the period kind it scores (``period`` = month or quarter); ``period_kind`` overrides
    the kind (NĐ 335 Điều 14 k1 allows "trong tháng hoặc quý"). Without ``rules`` each
    scored period uses the set in force for the rows' ``category`` (default công chức)
    and months are scored. ``coefficients`` is a per-position catalogue: a frame with
    ``position_id``, ``product_type``, ``coefficient`` or a mapping
    ``{position_id: {product_type: coefficient}}``.

    Returns one row per person and scored period, sorted, with ``staff_id``, ``period``,
    the three criterion columns (the policy's ``a``, ``b``, ``c``: ``so_luong``,
    ``chat_luong``, ``tien_do`` in NĐ 335) and the converted sums behind them:
    ``converted_assigned``, ``converted_done``, ``converted_quality``,
    ``converted_timely``, ``products`` (products counted), ``errors`` and ``delays``
    (deducted) and ``exempted`` (errors and delays not deducted for an objective cause).
    Nothing assigned (a converted total of 0) gives NaN: *not evaluated*.

    Raises :class:`~evalkit.errors.InputError` with every problem of the table
    (:func:`check_products`), and :class:`~evalkit.errors.RuleSetError` when ``rules`` has
    no ``[products]`` table.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"staff_id": ["A"], "period": ["2026-03"], "quantity": [4],
    ...                   "done": [4], "errors": [1]})
    >>> task_components(t, "vn.nd335-2025")[["so_luong", "chat_luong", "tien_do"]].iloc[0].tolist()
    [100.0, 93.75, 100.0]
    """
    rs, kind, averaged = _plan(rules, period_kind)
    lines, problems = _prepare(products, rs, "month" if averaged else kind, coefficients,
                               source)  # fmt: skip
    if problems:
        raise InputError(problems)
    assert lines is not None
    out = _score(lines)
    if averaged:
        assert rs is not None and rs.products is not None
        return _average_months(out, rs.products)
    return out


def check_products(
    products: pd.DataFrame,
    rules: RuleSet | str | Path | None = None,
    *,
    period_kind: PeriodKind | None = None,
    coefficients: pd.DataFrame | Mapping[Any, Any] | None = None,
    source: str | None = None,
) -> list[InputProblem]:
    """Every problem of a product table, each with its row, staff id, column and value, and
    the product and period in its message (arguments as :func:`task_components`).

    >>> import pandas as pd
    >>> t = pd.DataFrame({"staff_id": ["A", "A"], "period": ["2026-03", "2026-13"],
    ...                   "product_id": ["P1", "P2"], "quantity": [2, 1], "done": [3, 1],
    ...                   "coefficient": [1.0, 0.0]})
    >>> for p in check_products(t, "vn.nd335-2025"):
    ...     print(p)
    row 1, staff 'A', column 'coefficient', value 0.0: product 'P2', period '2026-13': a coefficient must be a number above 0
    row 1, staff 'A', column 'period', value '2026-13': product 'P2': month 13 of 2026 is not a month (expected 1 to 12)
    row 0, staff 'A', column 'done', value 3: product 'P1', period '2026-03': done 3 is more than the quantity assigned 2
    """
    rs, kind, averaged = _plan(rules, period_kind)
    return _prepare(products, rs, "month" if averaged else kind, coefficients, source)[1]


def _plan(
    rules: RuleSet | str | Path | None, period_kind: PeriodKind | None
) -> tuple[RuleSet | None, PeriodKind, bool]:
    """The rule set, the scored period kind, and whether a quarter averages its months."""
    if period_kind not in (None, "month", "quarter"):
        raise InputError([InputProblem(
            f"period_kind must be 'month' or 'quarter', not {period_kind!r}")])  # fmt: skip
    rs = resolve(rules) if rules is not None else None
    if rs is not None and rs.products is None:
        raise RuleSetError(f"rule set {rs.id!r} has no [products] table: it does not score "
                           "converted products (NĐ 335/2025/NĐ-CP, Điều 14)")  # fmt: skip
    kind: PeriodKind = period_kind or (rs.period if rs is not None else "month")
    averaged = (kind == "quarter" and rs is not None and rs.products is not None
                and rs.products.quarter == "average_months")  # fmt: skip
    return rs, kind, averaged


# =========================================================================== reading


class _Problems:
    """Problems of one table, located (row, staff, column, value) with the product and
    period in the message."""

    def __init__(self, source: str | None, index: pd.Index, staff: pd.Series,
                 product: pd.Series, period: pd.Series | None) -> None:  # fmt: skip
        self.source = source
        self.index = index
        self.staff = staff  # stripped text by position (NA = blank), read only for problems
        self.product = product
        self.period = period
        self.items: list[InputProblem] = []
        self.bad = np.zeros(len(index), dtype=bool)  # rows with a problem of their own

    def rows(self, mask: npt.NDArray[np.bool_], column: str, values: Any, message: str) -> None:
        """One problem per row of ``mask`` (``values``: the column's raw cells)."""
        for i in np.flatnonzero(mask).tolist():
            self.at(i, column, _cell(values.iloc[i] if hasattr(values, "iloc")
                                     else values[i]), message)  # fmt: skip

    def at(self, i: int, column: str | None, value: object, message: str,
           *, period: object = None) -> None:  # fmt: skip
        where = []
        product = _item(self.product, i)
        if product is not None:
            where.append(f"product {product!r}")
        per = period if period is not None else _item(self.period, i)
        if per is not None and per != "":  # "" = the problem is the period itself
            where.append(f"period {str(per)!r}")
        prefix = ", ".join(where)
        self.bad[i] = True
        self.items.append(InputProblem(
            f"{prefix}: {message}" if prefix else message, file=self.source,
            row=_columns.row_label(self.index[i]), column=column, value=value,
            staff_id=_item(self.staff, i),
        ))  # fmt: skip


def _item(s: pd.Series | None, i: int) -> str | None:
    """The text at position ``i`` of a stripped text column, None when blank."""
    if s is None:
        return None
    v = s.iloc[i]
    return None if pd.isna(v) else str(v)




def _cell(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):  # NaN: a blank cell
        return None
    if isinstance(value, int | float | str | bool):
        return value
    return str(value)


def _text(s: pd.Series) -> pd.Series:
    """A column as stripped text (blank → NA)."""
    t = s.astype("string").str.strip()
    return t.mask(t == "")


def _numbers(s: pd.Series) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """A numeric column as floats (blank = NaN) and the mask of cells that are not finite
    numbers (text, ``inf``, a yes/no value), read as every door reads a number
    (:func:`evalkit._columns.number_cells`: ``"1,5"`` is 1.5)."""
    return _columns.number_cells(s)


def _marks(s: pd.Series) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """A yes/no column: the yes mask and the mask of cells that are neither yes nor no, in
    the words every door reads (:func:`evalkit._columns.yes_no_cells`)."""
    return _columns.yes_no_cells(s)


def _date_of(text: str) -> _dt.date | str | None:
    """A date written as ISO or dd/mm/yyyy; None when the text is not shaped like a date;
    an error message when it is shaped like one but is not a day."""
    m = _ISO_DATE.match(text)
    ymd = (m.group(1), m.group(2), m.group(3)) if m else None
    if ymd is None:
        m = _VN_DATE.match(text)
        ymd = (m.group(3), m.group(2), m.group(1)) if m else None
    if ymd is None:
        return None
    y, mo, d = (int(x) for x in ymd)
    if not _FIRST_YEAR <= y <= _LAST_YEAR:
        return f"is a date outside the years {_FIRST_YEAR} to {_LAST_YEAR} (a typing mistake?)"
    try:
        return _dt.date(y, mo, d)
    except ValueError:
        return "is not a date"


def _scored(day: _dt.date, kind: PeriodKind) -> str:
    p = Period.of_date(day)
    return str(p.quarter_of() if kind == "quarter" else p)


def _span_of(text: str) -> tuple[_dt.date, _dt.date, str | None] | str:
    """``(first day, last day, period it is)`` of a period cell, or an error message.

    The third item is the period itself for a month, quarter or year, None for a week, a
    range or a date (they are placed by a day).
    """
    d = _date_of(text)
    if isinstance(d, str):
        return d
    if d is not None:
        return d, d, None
    m = _WEEK.match(text)
    if m:
        try:
            monday = _dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return f"week {m.group(2)} of {m.group(1)} is not an ISO week"
        return monday, monday + _dt.timedelta(days=6), None
    m = _ISO_RANGE.match(text) or _RANGE.match(text)
    if m:
        ends = [_date_of(x.strip()) for x in (m.group(1), m.group(2))]
        if any(isinstance(e, str) or e is None for e in ends):
            return "is not a date range like '2026-03-02..2026-03-08'"
        first, last = ends
        assert isinstance(first, _dt.date) and isinstance(last, _dt.date)
        if last < first:
            return "the date range ends before it starts"
        return first, last, None
    try:
        p = Period.parse(text)
    except Exception as exc:  # PeriodError: an unknown period
        return str(exc)
    return p.start, p.end, p.kind


def _periods(
    raw: pd.DataFrame, kind: PeriodKind, probs: _Problems
) -> tuple[npt.NDArray[Any], npt.NDArray[np.bool_]]:
    """The scored period of each row (text; None where unknown) and the mask of good rows.

    A month goes to itself (or its quarter); a quarter only to a quarterly scoring; a week,
    a date range or a date to the period holding its middle day (a Monday-to-Sunday
    week: its Thursday, as ISO 8601 places a week in a year) unless the row's ``date``
    says otherwise; a range longer than a week must lie inside one scored period.
    """
    n = len(raw)
    label = np.full(n, None, dtype=object)
    ok = np.ones(n, dtype=bool)
    first = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    last = first.copy()
    has_period = np.zeros(n, dtype=bool)
    loose = np.zeros(n, dtype=bool)  # a long range with no scored period of its own
    if "period" in raw.columns:
        col = raw["period"]
        if pd.api.types.is_datetime64_any_dtype(col.dtype):
            col = col.dt.strftime("%Y-%m-%d")
        txt = _text(col)
        codes, uniq = pd.factorize(txt, use_na_sentinel=True)
        has_period = codes >= 0
        u_label = np.full(len(uniq), None, dtype=object)
        u_first = np.full(len(uniq), np.datetime64("NaT"), dtype="datetime64[D]")
        u_last = u_first.copy()
        u_error = np.full(len(uniq), None, dtype=object)
        u_loose = np.zeros(len(uniq), dtype=bool)
        for j, u in enumerate(uniq):  # distinct period cells, not rows
            span = _span_of(str(u))
            if isinstance(span, str):
                u_error[j] = span
                continue
            a, b, pkind = span
            u_first[j], u_last[j] = np.datetime64(a, "D"), np.datetime64(b, "D")
            if pkind == "year":
                u_error[j] = "a year is not a period products are scored in (a month or a quarter)"
            elif pkind == "quarter" and kind == "month":
                u_error[j] = ("a quarter cannot be split into months: give the months, or "
                              "score quarters (period_kind='quarter')")  # fmt: skip
            elif pkind is not None or (b - a).days <= 6 or _scored(a, kind) == _scored(b, kind):
                u_label[j] = _scored(a + (b - a) // 2, kind)
            else:
                u_loose[j] = True
        sel = has_period
        label[sel] = u_label[codes[sel]]
        first[sel], last[sel] = u_first[codes[sel]], u_last[codes[sel]]
        loose[sel] = u_loose[codes[sel]]
        err = np.zeros(n, dtype=bool)
        err[sel] = pd.notna(u_error[codes[sel]])
        for i in np.flatnonzero(err):
            probs.at(int(i), "period", _cell(raw["period"].iloc[i]), str(u_error[codes[i]]),
                     period="")  # fmt: skip
        ok &= ~err
    has_date = np.zeros(n, dtype=bool)
    if "date" in raw.columns:
        days, bad, far = _dates(raw["date"])
        probs.rows(bad, "date", raw["date"], "is not a date")
        probs.rows(far, "date", raw["date"],
                   f"is a date outside the years {_FIRST_YEAR} to {_LAST_YEAR} "
                   "(a typing mistake?)")  # fmt: skip
        ok &= ~bad & ~far
        has_date = ~np.isnat(days)
        outside = has_date & has_period & ~np.isnat(first) & ((days < first) | (days > last))
        probs.rows(outside, "date", raw["date"], "the date is outside the row's period")
        ok &= ~outside
        if has_date.any():
            ts = pd.Series(days[has_date]).astype("datetime64[s]")
            if kind == "quarter":
                lab = (ts.dt.year.astype("string") + "-Q"
                       + ((ts.dt.month - 1) // 3 + 1).astype("string"))  # fmt: skip
            else:
                lab = ts.dt.strftime("%Y-%m")
            label[has_date] = lab.to_numpy(dtype=object)
    if "period" not in raw.columns and "date" not in raw.columns:
        probs.items.append(InputProblem("a product table needs a period or a date column",
                                        file=probs.source, column="period"))  # fmt: skip
        return label, np.zeros(n, dtype=bool)
    none = ~has_period & ~has_date
    probs.rows(none & ok, "period", raw.get("period", pd.Series([None] * n)),
               "the row has neither a period nor a date")  # fmt: skip
    ok &= ~none
    long = loose & ~has_date & ok
    for i in np.flatnonzero(long):
        probs.at(int(i), "period", _cell(raw["period"].iloc[i]),
                 f"the date range spans more than one {kind}: split it, or give the row a "
                 "date", period="")  # fmt: skip
    ok &= ~long
    label[~ok] = None
    return label, ok


def _dates(
    s: pd.Series,
) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Days of a date column (NaT blank), the cells that are not dates, the far ones."""
    days, bad, far = _columns.parse_dates(s)
    return days.astype("datetime64[D]"), bad, far


def _coefficient_table(
    coefficients: pd.DataFrame | Mapping[Any, Any], probs: _Problems
) -> pd.Series | None:
    """The catalogue as a Series indexed by (position_id, product_type); problems are
    reported with the table's row and column."""
    if isinstance(coefficients, pd.DataFrame):
        table = coefficients
    else:
        rows: list[tuple[object, object, object]] = []
        for key, value in coefficients.items():
            if isinstance(value, Mapping):
                rows += [(key, t, c) for t, c in value.items()]
            elif isinstance(key, tuple) and len(key) == 2:
                rows.append((key[0], key[1], value))
            else:
                rows.append((key, None, value))
        table = pd.DataFrame(rows, columns=["position_id", "product_type", "coefficient"])
    where = "coefficient table"
    missing = [c for c in ("position_id", "product_type", "coefficient")
               if c not in table.columns]  # fmt: skip
    for c in missing:
        probs.items.append(InputProblem(f"{where}: required column is missing",
                                        file=probs.source, column=c))  # fmt: skip
    if missing:
        return None
    pos, typ = _text(table["position_id"]), _text(table["product_type"])
    coef, bad = _numbers(table["coefficient"])
    found: list[InputProblem] = []
    with np.errstate(invalid="ignore"):
        wrong = bad | np.isnan(coef) | (coef <= 0)
    for col, mask, msg in (
        ("position_id", pos.isna().to_numpy(dtype=bool), "blank position"),
        ("product_type", typ.isna().to_numpy(dtype=bool), "blank product type"),
        ("coefficient", wrong, "a coefficient must be a number above 0"),
    ):
        for i in np.flatnonzero(mask).tolist():
            found.append(InputProblem(f"{where}: {msg}", file=probs.source,
                                      row=_columns.row_label(table.index[i]), column=col,
                                      value=_cell(table[col].iloc[i])))  # fmt: skip
    good = ~(pos.isna().to_numpy(dtype=bool) | typ.isna().to_numpy(dtype=bool) | wrong)
    keyed = pd.Series(coef[good], index=pd.MultiIndex.from_arrays(
        [pos[good].astype(str), typ[good].astype(str)]))  # fmt: skip
    spread = keyed.groupby(level=[0, 1]).agg(["min", "max"])
    for (p, t) in spread.index[spread["min"] != spread["max"]]:
        found.append(InputProblem(
            f"{where}: product type {t!r} of position {p!r} has more than one coefficient",
            file=probs.source, column="coefficient"))  # fmt: skip
    probs.items.extend(found)
    return keyed.groupby(level=[0, 1]).first()


def _policies(
    rs: RuleSet | None,
    labels: npt.NDArray[Any],
    ok: npt.NDArray[np.bool_],
    category: pd.Series | None,
    probs: _Problems,
) -> tuple[npt.NDArray[np.int64], list[ProductPolicy]]:
    """Per row, the index of its product policy (-1 where none) and the policies: the
    given rule set's, or the set in force for the row's category and scored period."""
    n = len(labels)
    which = np.full(n, -1, dtype=np.int64)
    if rs is not None:
        assert rs.products is not None
        which[ok] = 0
        return which, [rs.products]
    cats = (category.fillna(_DEFAULT_CATEGORY).to_numpy(dtype=object) if category is not None
            else np.full(n, _DEFAULT_CATEGORY, dtype=object))  # fmt: skip
    keys = pd.Series(cats.astype(str)) + "\x1f" + pd.Series(labels.astype(str))
    codes, uniq = pd.factorize(keys.where(ok))
    found: list[ProductPolicy] = []
    ids: dict[str, int] = {}
    for j, key in enumerate(uniq):  # distinct (category, period) pairs, not rows
        cat, per = str(key).split("\x1f")
        rows = codes == j
        first = int(np.flatnonzero(rows)[0])
        try:
            found_rs = for_period(cat, per)
        except EvalkitError as exc:  # no set in force, an unknown category
            probs.at(first, "category" if category is not None else "period", cat,
                     str(exc), period=per)  # fmt: skip
            probs.bad[rows] = True
            continue
        if found_rs.products is None:
            probs.at(first, "period", per,
                     f"rule set {found_rs.id!r} (in force for {cat} in {per}) does not score "
                     "converted products (no [products] table)", period=per)  # fmt: skip
            probs.bad[rows] = True
            continue
        if found_rs.id not in ids:
            ids[found_rs.id] = len(found)
            found.append(found_rs.products)
        which[rows] = ids[found_rs.id]
    return which, found


def _prepare(
    products: pd.DataFrame,
    rs: RuleSet | None,
    kind: PeriodKind,
    coefficients: pd.DataFrame | Mapping[Any, Any] | None,
    source: str | None,
) -> tuple[pd.DataFrame | None, list[InputProblem]]:
    """Validate the table; the product lines (one per person, period and product) or None.

    Every problem is collected: the cells first, then whole products (their rows summed)
    among the products none of whose rows has a problem of its own.
    """
    raw = products
    n = len(raw)
    missing = [c for c in ("staff_id", "done") if c not in raw.columns]
    if missing:
        return None, [InputProblem("required column is missing", file=source, column=c)
                      for c in missing]  # fmt: skip
    staff = _text(raw["staff_id"]).reset_index(drop=True)
    pid_given = (_text(raw["product_id"]).reset_index(drop=True) if "product_id" in raw.columns
                 else pd.Series(pd.NA, index=range(n), dtype="string"))  # fmt: skip
    per_raw = _text(raw["period"]).reset_index(drop=True) if "period" in raw.columns else None
    probs = _Problems(source, raw.index, staff, pid_given, per_raw)
    probs.rows(staff.isna().to_numpy(dtype=bool), "staff_id", raw["staff_id"], "blank staff id")

    def number(col: str, default: float | npt.NDArray[np.float64],
               rule: Literal["≥ 0", "> 0", "count"] = "≥ 0") -> npt.NDArray[np.float64]:
        """A numeric column, blank → ``default``; bad cells are reported (and defaulted)."""
        fill = np.broadcast_to(np.asarray(default, dtype=np.float64), (n,))
        if col not in raw.columns:
            return np.array(fill, dtype=np.float64)
        vals, bad = _numbers(raw[col])
        with np.errstate(invalid="ignore"):
            neg = ~bad & (vals < 0)
            if rule == "> 0":
                probs.rows(bad | (vals <= 0), col, raw[col],
                           "a coefficient must be a number above 0")  # fmt: skip
                wrong = bad | (vals <= 0)
            elif rule == "count":
                frac = ~bad & ~neg & ~np.isnan(vals) & (vals != np.floor(vals))
                probs.rows(neg, col, raw[col], "a count cannot be negative")
                probs.rows(bad | frac, col, raw[col], "is not a count (0, 1, 2 ...)")
                wrong = bad | neg | frac
            else:
                probs.rows(neg, col, raw[col], "cannot be negative")
                probs.rows(bad, col, raw[col], "is not a number")
                wrong = bad | neg
        return np.where(np.isnan(vals) | wrong, fill, vals)

    quantity = number("quantity", 1.0)
    coef = number("coefficient", np.nan, "> 0")
    done = number("done", 0.0)
    on_time = number("on_time", done)
    errors = number("errors", 0.0, "count")
    delays_given = number("delays", np.nan, "count")
    obj_errors = number("objective_errors", 0.0, "count")
    obj_delays = number("objective_delays", 0.0, "count")
    if "objective" in raw.columns:
        flag, unclear = _marks(raw["objective"])
        probs.rows(unclear, "objective", raw["objective"], _columns.NOT_YES_NO)
    else:
        flag = np.zeros(n, dtype=bool)

    # -- coefficients: the cell, else the catalogue, else 1
    if coefficients is not None:
        table = _coefficient_table(coefficients, probs)
        need = np.isnan(coef) & ~probs.bad
        if table is not None and need.any():
            if "position_id" not in raw.columns:
                probs.items.append(InputProblem(
                    "the position_id column is needed to look coefficients up in the table",
                    file=source, column="position_id"))  # fmt: skip
                probs.bad[need] = True
            else:
                pos = _text(raw["position_id"]).reset_index(drop=True)
                pid = pid_given.fillna("#" + pd.Series(raw.index.astype(str)))
                typ = (_text(raw["product_type"]).reset_index(drop=True).fillna(pid)
                       if "product_type" in raw.columns else pid)  # fmt: skip
                keys = pd.MultiIndex.from_arrays([pos.fillna("").astype(str),
                                                  typ.astype(str)])  # fmt: skip
                looked = table.reindex(keys).to_numpy(dtype=np.float64)
                absent = need & np.isnan(looked)
                for i in np.flatnonzero(absent):
                    where = pos.iloc[i] if pd.notna(pos.iloc[i]) else ""
                    probs.at(int(i), "product_type", str(typ.iloc[i]),
                             f"no coefficient for product type {str(typ.iloc[i])!r} of "
                             f"position {where!r} in the coefficient table")  # fmt: skip
                coef = np.where(need & ~absent, looked, coef)
    coef = np.where(np.isnan(coef), 1.0, coef)

    labels, ok = _periods(raw, kind, probs)
    ok &= staff.notna().to_numpy(dtype=bool)
    category = (_text(raw["category"]).reset_index(drop=True) if "category" in raw.columns
                else None)  # fmt: skip
    which, pols = _policies(rs, labels, ok, category, probs)
    ok &= which >= 0

    # -- one line per person, scored period and product (rows of a product summed): integer
    #    codes and bincount, the same for ten rows or ten million
    late = np.maximum(done - on_time, 0.0)
    by_unit = np.array([p.per == "unit" for p in pols] or [True])[np.maximum(which, 0)]
    delays = np.where(np.isnan(delays_given), np.where(by_unit, late, (late > 0) * 1.0),
                      delays_given)  # fmt: skip
    s_code, s_uni = pd.factorize(staff)
    r_given, r_uni = pd.factorize(pid_given)  # a blank product id: the row is its own
    r_code = np.where(r_given < 0, len(r_uni) + np.arange(n), r_given)
    p_code, p_uni = pd.factorize(pd.Series(labels, dtype=object))
    n_r, n_p = len(r_uni) + n + 1, max(len(p_uni), 1)
    # products with a bad row anywhere are left out of the product checks (partial sums)
    sp_key = s_code.astype(np.int64) * n_r + r_code
    tainted = np.unique(sp_key[probs.bad & (s_code >= 0)])
    idx = np.flatnonzero(ok)
    line_key = (s_code[idx].astype(np.int64) * n_p + p_code[idx]) * n_r + r_code[idx]
    code, uniq = pd.factorize(line_key)
    g = len(uniq)

    def total(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.asarray(np.bincount(code, weights=x[idx], minlength=g), dtype=np.float64)

    first = np.full(g, n, dtype=np.int64)
    np.minimum.at(first, code, idx)
    k_lo = np.full(g, np.inf)
    np.minimum.at(k_lo, code, coef[idx])
    k_hi = np.full(g, -np.inf)
    np.maximum.at(k_hi, code, coef[idx])
    line_s = s_code[first] if g else np.zeros(0, dtype=np.int64)
    line_p = p_code[first] if g else np.zeros(0, dtype=np.int64)
    lines = pd.DataFrame({
        "staff_id": np.asarray(s_uni, dtype=object)[line_s],
        "period": np.asarray(p_uni, dtype=object)[line_p],
        "pp": line_s.astype(np.int64) * n_p + line_p,
        "policy": which[first] if g else np.zeros(0, dtype=np.int64),
        "row": first, "rows": np.bincount(code, minlength=g),
        "quantity": total(quantity), "coefficient": k_lo, "coef_max": k_hi,
        "done": total(done), "on_time": total(on_time), "errors": total(errors),
        "delays": total(delays), "ex_errors": total(np.where(flag, errors, obj_errors)),
        "ex_delays": total(np.where(flag, delays, obj_delays)),
    })  # fmt: skip
    clean = ~np.isin(line_s.astype(np.int64) * n_r + r_code[first] if g
                     else np.zeros(0, dtype=np.int64), tainted)  # fmt: skip
    cap = (np.array([p.max_per_unit for p in pols], dtype=np.float64)[lines["policy"]]
           if pols else np.zeros(g))  # fmt: skip
    _check_lines(lines, cap, clean, probs)
    # a person's rows in one period must share a category (one rule set)
    if category is not None and len(idx):
        c_code = pd.factorize(category.fillna(_DEFAULT_CATEGORY))[0][idx]
        pp_code, pp_uni = pd.factorize(s_code[idx].astype(np.int64) * n_p + p_code[idx])
        lo = np.full(len(pp_uni), np.iinfo(np.int64).max)
        hi = np.full(len(pp_uni), -1)
        np.minimum.at(lo, pp_code, c_code)
        np.maximum.at(hi, pp_code, c_code)
        for j in np.flatnonzero(lo != hi).tolist():  # only the people in conflict
            at = int(idx[np.flatnonzero(pp_code == j)[0]])
            per = str(labels[at])
            probs.at(at, "category", _cell(raw["category"].iloc[at]),
                     f"the rows of staff {_item(staff, at)!r} in {per} give more than one "
                     "category", period=per)  # fmt: skip
    if probs.items:
        return None, probs.items
    lines.attrs["policies"] = pols
    return lines, []


def _check_lines(lines: pd.DataFrame, cap: npt.NDArray[np.float64],
                 clean: npt.NDArray[np.bool_], probs: _Problems) -> None:  # fmt: skip
    """Problems of whole products (their rows summed): done > quantity, on time > done,
    exemptions > events, implausibly many events, two coefficients."""
    q = lines["quantity"].to_numpy(dtype=np.float64)
    d = lines["done"].to_numpy(dtype=np.float64)
    t = lines["on_time"].to_numpy(dtype=np.float64)
    e = lines["errors"].to_numpy(dtype=np.float64)
    dl = lines["delays"].to_numpy(dtype=np.float64)
    xe = lines["ex_errors"].to_numpy(dtype=np.float64)
    xd = lines["ex_delays"].to_numpy(dtype=np.float64)
    k_lo = lines["coefficient"].to_numpy(dtype=np.float64)
    k_hi = lines["coef_max"].to_numpy(dtype=np.float64)
    eps = 1e-9

    def fmt(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else f"{x:g}"

    checks: list[tuple[npt.NDArray[np.bool_], str, str, npt.NDArray[np.float64]]] = [
        (d > q + eps, "done", "done {v} is more than the quantity assigned {q}", d),
        (t > d + eps, "on_time", "{v} done on time is more than the {d} done", t),
        (xe > e + eps, "objective_errors", "{v} errors exempted is more than the {e} errors",
         xe),
        (xd > dl + eps, "objective_delays", "{v} delays exempted is more than the {dl} "
         "delays", xd),
        ((cap > 0) & (e > cap * q + eps), "errors", "{v} major errors is more than {c} per "
         "unit assigned ({q}), the rule set's plausible maximum — a typing mistake?", e),
        ((cap > 0) & (dl > cap * q + eps), "delays", "{v} delays is more than {c} per unit "
         "assigned ({q}), the rule set's plausible maximum — a typing mistake?", dl),
        (k_hi > k_lo + eps, "coefficient", "the rows of this product give two coefficients "
         "({k} and {v})", k_hi),
    ]  # fmt: skip
    first = lines["row"].to_numpy(dtype=np.int64)
    count = lines["rows"].to_numpy(dtype=np.int64)
    period = lines["period"].to_numpy(dtype=object)
    for mask, col, template, values in checks:
        for i in np.flatnonzero(mask & clean):
            msg = template.format(v=fmt(values[i]), q=fmt(q[i]), d=fmt(d[i]), e=fmt(e[i]),
                                  dl=fmt(dl[i]), c=fmt(cap[i]), k=fmt(k_lo[i]))  # fmt: skip
            if count[i] > 1:
                msg += f" (the product's {count[i]} rows summed)"
            probs.at(int(first[i]), col, _number(values[i]), msg, period=str(period[i]))


# =========================================================================== scoring


def _score(lines: pd.DataFrame) -> pd.DataFrame:
    """a, b, c per person and period from validated product lines (all vectorised)."""
    pols: list[ProductPolicy] = lines.attrs["policies"]
    parts = [_pool(lines[lines["policy"].to_numpy() == k], pol)
             for k, pol in enumerate(pols)]  # a handful of rule sets, never rows
    if not parts:
        return _pool(lines, None)
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return out.sort_values(["staff_id", "period"], kind="stable", ignore_index=True)


def _line_values(sub: pd.DataFrame, pol: ProductPolicy) -> dict[str, npt.NDArray[np.float64]]:
    """Per product: the converted values behind a, b, c (coefficient × units)."""
    k = sub["coefficient"].to_numpy(dtype=np.float64)
    q = sub["quantity"].to_numpy(dtype=np.float64)
    d = sub["done"].to_numpy(dtype=np.float64)
    ex_e = sub["ex_errors"].to_numpy(dtype=np.float64)
    ex_d = sub["ex_delays"].to_numpy(dtype=np.float64)
    e = np.maximum(sub["errors"].to_numpy(dtype=np.float64) - ex_e, 0.0)
    dl = np.maximum(sub["delays"].to_numpy(dtype=np.float64) - ex_d, 0.0)
    se, sd = pol.error_step / 100.0, pol.delay_step / 100.0
    if pol.per == "line":  # each event takes a step off the whole line
        good = d * np.maximum(0.0, 1.0 - se * e)
        timely = d * np.maximum(0.0, 1.0 - sd * dl)
    else:  # each event takes a step off one unit's value
        good = np.maximum(0.0, d - se * e)
        timely = np.maximum(0.0, d - sd * dl)
    return {
        "converted_assigned": k * q, "converted_done": k * d,
        "converted_quality": k * good, "converted_timely": k * timely,
        "products": (q > 0).astype(np.float64), "errors": e, "delays": dl,
        "exempted": ex_e + ex_d,
    }  # fmt: skip


def _empty(ids: tuple[str, ...]) -> pd.DataFrame:
    cols: dict[str, pd.Series] = {"staff_id": pd.Series([], dtype=str),
                                  "period": pd.Series([], dtype=str)}  # fmt: skip
    cols.update({c: pd.Series([], dtype=np.float64) for c in (*ids, *_OUT_COUNTS)})
    cols["products"] = pd.Series([], dtype=np.int64)
    return pd.DataFrame(cols)


def _pool(sub: pd.DataFrame, pol: ProductPolicy | None) -> pd.DataFrame:
    """Σ over each person-period's products; a, b, c = the converted sums ÷ Σ assigned."""
    if pol is None:
        return _empty(())
    ids = (pol.a, pol.b, pol.c)
    if sub.empty:
        return _empty(ids)
    vals = _line_values(sub, pol)
    code, uniq = pd.factorize(sub["pp"].to_numpy(dtype=np.int64))
    first = np.full(len(uniq), len(sub), dtype=np.int64)
    np.minimum.at(first, code, np.arange(len(sub)))
    sums = {c: np.bincount(code, weights=v, minlength=len(uniq)) for c, v in vals.items()}
    base = sums["converted_assigned"]
    out = pd.DataFrame({"staff_id": sub["staff_id"].to_numpy(dtype=object)[first].astype(str),
                        "period": sub["period"].to_numpy(dtype=object)[first].astype(str)})
    with np.errstate(invalid="ignore", divide="ignore"):
        for cid, col in zip(ids, ("converted_done", "converted_quality", "converted_timely"),
                            strict=True):  # fmt: skip
            out[cid] = np.where(base > 0, np.minimum(100.0, sums[col] / base * 100.0), np.nan)
    for col in _OUT_COUNTS:
        out[col] = sums[col]
    return _whole_counts(out).sort_values(["staff_id", "period"], kind="stable",
                                          ignore_index=True)


def _number(x: float) -> int | float:
    """A figure as typed: a whole number an integer (``3``, not ``3.0``)."""
    return int(x) if float(x).is_integer() else float(x)


def _whole_counts(out: pd.DataFrame) -> pd.DataFrame:
    """``products`` as integers, and ``errors``, ``delays``, ``exempted`` too where every
    value is whole (typed counts: ``2``, not ``2.0``); a fraction of a unit done late
    (``per = "unit"``) keeps its column a number."""
    out["products"] = out["products"].astype(np.int64)
    for col in ("errors", "delays", "exempted"):
        v = out[col].to_numpy(dtype=np.float64)
        if np.isfinite(v).all() and (v == np.floor(v)).all():
            out[col] = v.astype(np.int64)
    return out


def _average_months(monthly: pd.DataFrame, pol: ProductPolicy) -> pd.DataFrame:
    """Agency practice (``quarter = "average_months"``): each of a, b, c is the mean of the
    quarter's months that had something assigned; the sums are the quarter's."""
    ids = [pol.a, pol.b, pol.c]
    if monthly.empty:
        return _empty(tuple(ids))
    codes, uniq = pd.factorize(monthly["period"])
    quarter = np.array([str(Period.parse(p).quarter_of()) for p in uniq], dtype=object)[codes]
    g = monthly.assign(period=quarter).groupby(["staff_id", "period"], sort=True)
    res = _whole_counts(pd.concat([g[ids].mean(), g[list(_OUT_COUNTS)].sum()],
                                  axis=1).reset_index())
    res["staff_id"] = res["staff_id"].astype(str)
    res["period"] = res["period"].astype(str)
    return res[["staff_id", "period", *ids, *_OUT_COUNTS]]
