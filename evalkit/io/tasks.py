"""Task-tracker import: a table of tasks becomes each person-month's task percentages.

Thanh Hóa (seed 004) tracks every assigned task per person; NĐ 335/2025 scores a person's
task results from (a) quantity, (b) quality and (c) timeliness of the **converted products
assigned** (Điều 14): each task is a product line of :mod:`evalkit.products`.

Input: one row per task with the columns

================  =======================================================================
``assignee``      staff id (required)
``unit_id``       the unit the task belongs to (needed for unit completion)
``assigned``      date assigned (required)
``due``           due date (required)
``done``          date done; blank = not done
``quantity``      units of product the task asks for (a number ≥ 0, default 1)
``coefficient``   conversion coefficient of the product (> 0, default 1)
``errors``        number of major quality errors found in the product (default 0)
``exceeded``      the task exceeded its requirement (bool, default False)
``delays``        number of delays (optional; default: one per unit done late)
``objective``     yes/no: the competent level exempted its errors and delays (optional)
================  =======================================================================

A task belongs to the month of its due date (``by="due"``, default) or of its
assignment (``by="assigned"``) — to its quarter when ``period`` is a quarter, the
quarter's tasks pooled (NĐ 335/2025 Điều 14 k1). Within its month it is *done* if done by the month's
end, *on time* if done by its due date, *delayed* if done after its due date or still
open after it.

Output per person-month (:attr:`TaskSummary.people`): ``so_luong`` = converted done ÷
converted assigned × 100 (quantity × coefficient) and the task counts ``n_assigned``,
``n_done``, ``n_on_time``, ``n_delayed``, ``n_exceeded``, ``n_errors``, and, by ``mode``:

``mode="per_product"`` (default; NĐ 335/2025 Điều 14 k2: per product, divided by what was assigned)
    ``so_luong``, ``chat_luong``, ``tien_do`` come from
    :func:`evalkit.products.task_components` under the rule set's ``[products]`` table:
    each major error / delay takes 25 % off one unit of that product, and an unfinished
    task counts 0 in all three (an open overdue task is not "75 % on time": it was not
    done). ``loi_chat_luong`` / ``cham_tien_do`` are 0 so the rule set does not deduct
    twice (the counts stay in ``n_errors`` / ``n_delayed``). One error in one of ten
    one-unit products gives 97.5 % quality. Without ``rules`` each month uses the set in
    force for công chức. A named set without a ``[products]`` table (NĐ 233/2026 for
    viên chức: quality and timeliness as assessed), or a month whose set for công chức has
    none, keeps ``so_luong`` (the plain converted ratio) and gets NaN for ``chat_luong``
    and ``tien_do`` (typed values or the month-level inputs must supply them): another
    set's product rule is never applied.
``mode="rules"`` (the month-level shortcut, exact only for a **one-product month**)
    ``chat_luong`` and ``tien_do`` are the percentages *before* deductions (100 when
    something was done / assigned) and ``loi_chat_luong`` / ``cham_tien_do`` carry the
    counts, so the rule set's month-level adjustments take 25 % per event off the whole
    month (two errors → 50 %). That is the decree's rule only when the month has one
    product; with several, use ``per_product``.

Per unit-month (:attr:`TaskSummary.units`): ``tasks_assigned``, ``tasks_done``,
``tasks_on_time``, ``tasks_overdue`` (past due and not done by the month's end), ``tasks_exceeded`` and ``done_percent``,
``on_time_percent``, ``exceeded_percent``. Everything is computed with group-bys.

>>> import pandas as pd
>>> t = pd.DataFrame({"assignee": ["A", "A", "B"], "unit_id": ["U", "U", "U"],
...     "assigned": ["2026-03-01"] * 3, "due": ["2026-03-10", "2026-03-20", "2026-03-15"],
...     "done": ["2026-03-09", None, "2026-03-16"], "errors": [2, 0, 0]})
>>> s = task_components(t, mode="rules")
>>> s.people[["so_luong", "chat_luong", "loi_chat_luong", "cham_tien_do"]].to_dict("index")
{('A', '2026-03'): {'so_luong': 50.0, 'chat_luong': 100.0, 'loi_chat_luong': 2.0, 'cham_tien_do': 1.0}, ('B', '2026-03'): {'so_luong': 100.0, 'chat_luong': 100.0, 'loi_chat_luong': 0.0, 'cham_tien_do': 1.0}}
>>> task_components(t).people[["so_luong", "chat_luong", "tien_do"]].loc[("A", "2026-03")].tolist()
[50.0, 25.0, 50.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _columns, _ids
from evalkit.errors import EvalkitError, InputError, InputProblem
from evalkit.io._cells import normalise_ids
from evalkit.messages import msg
from evalkit.model import Period
from evalkit.products import task_components as _by_product
from evalkit.rules import RuleSet, for_period, resolve

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "TaskSummary",
    "check_tasks",
    "fill_from_tasks",
    "parse_dates",
    "task_components",
]

_REQUIRED = ("assignee", "assigned", "due")


@attrs.frozen(slots=True)
class TaskSummary:
    """Per person-month and per unit-month results of a task table.

    ``people`` is indexed by ``(staff_id, period)``, ``units`` by ``(unit_id, period)``.
    """

    people: pd.DataFrame
    units: pd.DataFrame


#: Dates outside these years are typing mistakes (9999, 0001, 2062 for 2026 ...), never
#: silently read: they are problems naming the cell.
FIRST_YEAR, LAST_YEAR = _columns.FIRST_YEAR, _columns.LAST_YEAR


def parse_dates(s: pd.Series) -> tuple[pd.Series, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Dates of a column, the mask of cells that are not dates, and of dates out of range.

    Accepts datetime columns of any resolution, date/datetime objects, ``yyyy-mm-dd``
    (with an optional time) and ``dd/mm/yyyy`` text. A date before :data:`FIRST_YEAR` or
    after :data:`LAST_YEAR` is *out of range* (and NaT in the result), never an overflow.
    Blank cells are NaT and in neither mask.

    >>> d, bad, far = parse_dates(pd.Series(["2026-03-01", "15/03/2026", "9999-12-31", "x", None]))
    >>> [str(x.date()) if x is not pd.NaT else None for x in d], bad.tolist(), far.tolist()
    (['2026-03-01', '2026-03-15', None, None, None], [False, False, False, True, False], [False, False, True, False, False])
    """
    days, bad, far = _columns.parse_dates(s)
    return pd.Series(days, index=s.index, dtype="datetime64[ns]"), bad, far


def _dates(s: pd.Series) -> pd.Series:
    return parse_dates(s)[0]


def _counts(s: pd.Series) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """A count column as floats (blank = NaN) and the cells that are not whole counts ≥ 0
    (a number read as every door reads it: :func:`evalkit._columns.number_cells`)."""
    num, bad = _columns.number_cells(s)
    with np.errstate(invalid="ignore"):
        bad = bad | (~np.isnan(num) & ((num < 0) | (num != np.floor(num))))
    return num, bad


def _amounts(
    s: pd.Series, *, positive: bool = False
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """A quantity or coefficient column as floats (blank = NaN) and the cells that are not
    finite numbers ≥ 0 (``positive``: > 0); ``"2,5"`` is 2.5, as every door reads it."""
    vals, bad = _columns.number_cells(s)
    with np.errstate(invalid="ignore"):
        good = np.isfinite(vals) & ((vals > 0) if positive else (vals >= 0))
    return np.where(good, vals, np.nan), bad | (~np.isnan(vals) & ~good)


def check_tasks(tasks: pd.DataFrame, *, source: str | None = None) -> list[InputProblem]:
    """Every problem of a task table: missing columns, bad or far dates, impossible orders,
    counts that are not whole numbers ≥ 0 (``inf``, ``-1``, ``1.5``, text), a quantity
    that is not a number ≥ 0, a coefficient that is not above 0, unclear marks.

    >>> t = pd.DataFrame({"assignee": ["A"], "assigned": ["2026-03-01"], "due": ["9999-12-31"],
    ...                   "errors": [float("inf")]})
    >>> [f"{p.column}: {p.message}" for p in check_tasks(t)]
    ['due: is a date outside the years 1900 to 2199 (a typing mistake?)', 'errors: is not a count (0, 1, 2 ...)']
    """
    problems: list[InputProblem] = []
    for col in _REQUIRED:
        if col not in tasks.columns:
            problems.append(InputProblem("required column is missing", source, column=col))
    if problems:
        return problems
    parsed: dict[str, pd.Series] = {}
    for col in ("assigned", "due", "done"):
        if col not in tasks.columns:
            continue
        raw = tasks[col]
        values, bad, far = parse_dates(raw)
        parsed[col] = values
        blank = values.isna().to_numpy(dtype=bool) & ~bad & ~far
        for idx in tasks.index[bad]:
            problems.append(InputProblem("is not a date", source, row=_columns.row_label(idx), column=col,
                                         value=_text(raw[idx])))  # fmt: skip
        for idx in tasks.index[far]:
            problems.append(InputProblem(
                f"is a date outside the years {FIRST_YEAR} to {LAST_YEAR} (a typing mistake?)",
                source, row=_columns.row_label(idx), column=col, value=_text(raw[idx]),
            ))  # fmt: skip
        if col != "done":
            for idx in tasks.index[blank]:
                problems.append(InputProblem("blank required date", source, row=_columns.row_label(idx),
                                             column=col))  # fmt: skip
    assigned, due = parsed["assigned"], parsed["due"]
    before = (due < assigned).fillna(False).to_numpy(dtype=bool)
    for idx in tasks.index[before]:
        problems.append(InputProblem("due date is before the assigned date", source,
                                     row=_columns.row_label(idx), column="due", value=_text(tasks["due"][idx])))
    if "done" in parsed:
        early = (parsed["done"] < assigned).fillna(False).to_numpy(dtype=bool)
        for idx in tasks.index[early]:
            problems.append(InputProblem("done date is before the assigned date", source,
                                         row=_columns.row_label(idx), column="done",
                                         value=_text(tasks["done"][idx])))  # fmt: skip
    for col in ("errors", "delays"):
        if col in tasks.columns:
            _, bad_count = _counts(tasks[col])
            for idx in tasks.index[bad_count]:
                problems.append(InputProblem("is not a count (0, 1, 2 ...)", source,
                                             row=_columns.row_label(idx), column=col,
                                             value=_text(tasks[col][idx])))  # fmt: skip
    for col, positive in (("quantity", False), ("coefficient", True)):
        if col in tasks.columns:
            _, bad_amount = _amounts(tasks[col], positive=positive)
            for idx in tasks.index[bad_amount]:
                problems.append(InputProblem(
                    "a coefficient must be a number above 0" if positive
                    else "is not a quantity (a number ≥ 0)", source, row=_columns.row_label(idx),
                    column=col, value=_text(tasks[col][idx])))  # fmt: skip
    for col in ("exceeded", "objective"):
        if col not in tasks.columns:
            continue
        _, unclear = _marks(tasks[col])
        for idx in tasks.index[unclear]:
            problems.append(InputProblem(_columns.NOT_YES_NO, source, row=_columns.row_label(idx), column=col,
                                         value=_text(tasks[col][idx])))  # fmt: skip
    blank_id = normalise_ids(tasks["assignee"]).isna()  # a zero-width space alone is blank
    for idx in tasks.index[blank_id.to_numpy(dtype=bool)]:
        problems.append(InputProblem("blank assignee", source, row=_columns.row_label(idx), column="assignee"))
    if "title" in tasks.columns:  # a task's text is printed: no control character
        for idx in tasks.index[_ids.control_ids(tasks["title"])]:
            problems.append(InputProblem(str(msg("foreign.name_control")), source,
                                         row=_columns.row_label(idx), column="title",
                                         value=_text(tasks["title"][idx])))  # fmt: skip
    if "task_id" in tasks.columns:  # a task given twice would count twice (or once)
        ids = normalise_ids(tasks["task_id"])
        present = ids.notna().to_numpy(dtype=bool)
        again = present & ids.duplicated(keep="first").to_numpy(dtype=bool)
        if again.any():
            first = pd.Series(tasks.index[present], index=ids[present].to_numpy()).groupby(
                level=0, sort=False).first()
            for idx, value in zip(tasks.index[again], ids[again], strict=True):
                problems.append(InputProblem(
                    str(msg("foreign.tasks.id_again", value=str(value),
                            first=_columns.row_label(first[value]))), source,
                    row=_columns.row_label(idx), column="task_id",
                    value=_text(tasks["task_id"][idx])))  # fmt: skip
    problems.sort(key=lambda p: (p.row if p.row is not None else -1))
    return problems


def _text(value: object) -> object:
    """A cell value for a problem report: numbers as they are, anything else as text."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, int | float | str | bool):
        return value
    return str(value)




def task_components(
    tasks: pd.DataFrame,
    *,
    period: Period | str | None = None,
    by: Literal["due", "assigned"] = "due",
    mode: Literal["rules", "per_product"] = "per_product",
    rules: RuleSet | str | Path | None = None,
    coefficients: pd.DataFrame | Mapping[Any, Any] | None = None,
) -> TaskSummary:
    """Summarise a task table per person-month and unit-month (see the module doc).

    ``period`` keeps only that month, or that quarter (its tasks pooled: done by the
    quarter's end, one product table for the quarter). ``rules`` gives the ``[products]`` policy of
    ``mode="per_product"`` (default: the set in force for công chức in each month);
    ``coefficients`` is a per-position catalogue (see
    :func:`evalkit.products.task_components`; the table then needs ``position_id`` and
    ``product_type`` columns). Raises :class:`~evalkit.errors.InputError` with every
    problem of the table (:func:`check_tasks`, then the product checks).

    >>> import pandas as pd
    >>> t = pd.DataFrame({"assignee": ["A", "A"], "assigned": ["2026-03-01"] * 2,
    ...     "due": ["2026-03-10", "2026-03-20"], "done": ["2026-03-09", None],
    ...     "quantity": [3, 1], "coefficient": [1.0, 2.5]})
    >>> round(float(task_components(t).people.loc[("A", "2026-03"), "so_luong"]), 2)
    54.55
    """
    problems = check_tasks(tasks)
    if problems:
        raise InputError(problems)
    if by not in ("due", "assigned"):
        raise InputError([InputProblem(f"by must be 'due' or 'assigned', not {by!r}")])
    if mode not in ("rules", "per_product"):
        raise InputError([InputProblem(f"mode must be 'rules' or 'per_product', not {mode!r}")])
    t = pd.DataFrame(index=tasks.index)
    # ids as the workbook reads them: NFC, invisible characters removed, trimmed
    t["staff_id"] = normalise_ids(tasks["assignee"])
    t["unit_id"] = normalise_ids(tasks["unit_id"]) if "unit_id" in tasks.columns else pd.NA
    assigned = _dates(tasks["assigned"])
    due = _dates(tasks["due"])
    done = _dates(tasks["done"]) if "done" in tasks.columns else pd.Series(
        pd.NaT, index=tasks.index, dtype="datetime64[ns]")  # fmt: skip
    anchor = due if by == "due" else assigned
    # a quarter (a quarterly rule set's workbook) pools its tasks (NĐ 335/2025 Điều 14 k1)
    kind: Literal["month", "quarter"] = ("quarter" if period is not None
                                         and Period.parse(period).kind == "quarter" else "month")
    month = anchor.dt.to_period("Q" if kind == "quarter" else "M")
    t["period"] = month.astype("string").str.replace("Q", "-Q", regex=False)
    month_end = (month.dt.end_time.dt.normalize()).astype("datetime64[ns]")
    errors = (
        pd.Series(_counts(tasks["errors"])[0], index=tasks.index).fillna(0.0)
        if "errors" in tasks.columns else pd.Series(0.0, index=tasks.index)
    )  # fmt: skip
    exceeded = (
        _truthy(tasks["exceeded"]) if "exceeded" in tasks.columns
        else pd.Series(False, index=tasks.index)
    )  # fmt: skip
    quantity = (np.nan_to_num(_amounts(tasks["quantity"])[0], nan=1.0)
                if "quantity" in tasks.columns else np.ones(len(tasks)))  # fmt: skip
    coef = (_amounts(tasks["coefficient"], positive=True)[0] if "coefficient" in tasks.columns
            else np.full(len(tasks), np.nan))  # fmt: skip
    is_done = (done.notna() & (done <= month_end)).to_numpy()
    on_time = (is_done & (done <= due).to_numpy())
    late = (done.notna() & (done > due)).to_numpy()
    open_overdue = (~is_done & (due < month_end).to_numpy()) & ~late
    delays_default = (late | open_overdue).astype(np.float64)
    given = (_counts(tasks["delays"])[0] if "delays" in tasks.columns
             else np.full(len(tasks), np.nan))  # fmt: skip
    delays = np.where(np.isnan(given), delays_default, given)
    weight = quantity * np.nan_to_num(coef, nan=1.0)
    t["assigned"] = 1.0
    t["done"] = is_done.astype(np.float64)
    t["on_time"] = on_time.astype(np.float64)
    t["delayed"] = (delays > 0).astype(np.float64)
    t["overdue"] = open_overdue.astype(np.float64)
    t["delays"] = delays
    t["errors"] = np.where(is_done, errors.to_numpy(dtype=np.float64), 0.0)
    t["exceeded"] = (exceeded.to_numpy(dtype=bool) & is_done).astype(np.float64)
    t["converted"] = weight
    t["converted_done"] = np.where(is_done, weight, 0.0)
    keep = np.ones(len(t), dtype=bool)
    if period is not None:
        keep = (t["period"] == str(Period.parse(period))).fillna(False).to_numpy(dtype=bool)
        t = t[keep]

    g = t.groupby(["staff_id", "period"], sort=True)
    sums = g[["assigned", "done", "on_time", "delayed", "delays", "errors", "exceeded",
              "converted", "converted_done"]].sum()  # fmt: skip
    people = pd.DataFrame(index=sums.index)
    with np.errstate(invalid="ignore", divide="ignore"):
        people["so_luong"] = np.where(sums["converted"] > 0,
                                      sums["converted_done"] / sums["converted"] * 100.0, np.nan)
    if mode == "rules":
        people["chat_luong"] = np.where(sums["done"] > 0, 100.0, 0.0)
        people["tien_do"] = 100.0
        people["loi_chat_luong"] = sums["errors"]
        people["cham_tien_do"] = sums["delays"]
    else:
        product = pd.DataFrame({
            "staff_id": t["staff_id"], "period": t["period"],
            "quantity": quantity[keep], "coefficient": coef[keep],
            "done": np.where(t["done"] > 0, quantity[keep], 0.0),
            "on_time": np.where(t["on_time"] > 0, quantity[keep], 0.0),
            "errors": t["errors"],
            "delays": np.where(t["done"] > 0, given[keep], np.nan),
        }, index=t.index)  # fmt: skip
        for col in ("objective", "position_id", "product_type"):
            if col in tasks.columns:
                product[col] = tasks.loc[t.index, col]
        found = _per_product(product, rules, coefficients, kind)
        for col in ("so_luong", "chat_luong", "tien_do"):
            got = found[col].reindex(people.index).to_numpy(dtype=np.float64)
            # a month no [products] policy covers keeps the plain ratio a, and no b, c
            people[col] = np.where(np.isnan(got), people[col], got) if col == "so_luong" \
                else got
        people["loi_chat_luong"] = 0.0
        people["cham_tien_do"] = 0.0
    for name, col in (("n_assigned", "assigned"), ("n_done", "done"), ("n_on_time", "on_time"),
                      ("n_delayed", "delayed"), ("n_exceeded", "exceeded"),
                      ("n_errors", "errors")):  # fmt: skip
        people[name] = sums[col].astype(np.int64)

    has_unit = t["unit_id"].notna()
    gu = t[has_unit].groupby(["unit_id", "period"], sort=True)
    us = gu[["assigned", "done", "on_time", "overdue", "exceeded"]].sum()
    units = pd.DataFrame(index=us.index)
    units["tasks_assigned"] = us["assigned"].astype(np.int64)
    units["tasks_done"] = us["done"].astype(np.int64)
    units["tasks_on_time"] = us["on_time"].astype(np.int64)
    units["tasks_overdue"] = us["overdue"].astype(np.int64)
    units["tasks_exceeded"] = us["exceeded"].astype(np.int64)
    units["done_percent"] = us["done"] / us["assigned"] * 100.0
    units["on_time_percent"] = us["on_time"] / us["assigned"] * 100.0
    units["exceeded_percent"] = us["exceeded"] / us["assigned"] * 100.0
    return TaskSummary(people, units)


def _per_product(
    product: pd.DataFrame,
    rules: RuleSet | str | Path | None,
    coefficients: pd.DataFrame | Mapping[Any, Any] | None,
    kind: Literal["month", "quarter"] = "month",
) -> pd.DataFrame:
    """a, b, c per person-month (or quarter) (indexed by staff_id, period; columns so_luong, chat_luong,
    tien_do) from the tasks as product lines. A named ``rules`` without a ``[products]``
    table, or — without ``rules`` — a month whose set for công chức has none, leaves them
    out (NaN): no other set's product rule is applied."""
    cols = ["so_luong", "chat_luong", "tien_do"]
    if rules is not None:  # a set without [products] gives no b, c (NaN): a stays the ratio
        named = resolve(rules)
        groups: list[tuple[RuleSet, pd.DataFrame]] = [(named, product)] if named.products else []
    else:
        codes, months = pd.factorize(product["period"])
        by_id: dict[str, tuple[RuleSet, list[int]]] = {}
        for j, m in enumerate(months):  # distinct months, not rows
            try:
                rs = for_period("cong_chuc", str(m))
            except EvalkitError:
                continue
            if rs.products is not None:
                by_id.setdefault(rs.id, (rs, []))[1].append(j)
        groups = [(rs, product[np.isin(codes, js)]) for rs, js in by_id.values()]
    parts = []
    for rs, sub in groups:  # a handful of rule sets
        out = _by_product(sub, rs, period_kind=kind, coefficients=coefficients)
        assert rs.products is not None  # task_components raised otherwise
        ids = [rs.products.a, rs.products.b, rs.products.c]
        renamed = out.rename(columns=dict(zip(ids, cols, strict=True)))
        parts.append(renamed.set_index(["staff_id", "period"])[cols])
    if not parts:
        return pd.DataFrame(columns=cols, index=pd.MultiIndex.from_arrays([[], []]))
    return pd.concat(parts)


def _marks(s: pd.Series) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """A yes/no column: the yes mask and the mask of cells that are neither yes nor no, in
    the words every door reads (:func:`evalkit._columns.yes_no_cells`)."""
    return _columns.yes_no_cells(s)


def _truthy(s: pd.Series) -> pd.Series:
    return pd.Series(_marks(s)[0], index=s.index)


def fill_from_tasks(staff: pd.DataFrame, summary: TaskSummary) -> pd.DataFrame:
    """Fill blank task components of a staff frame from a task summary (typed values win).

    Matches on ``staff_id`` and ``period``; returns a new frame.
    """
    if staff.empty or summary.people.empty:
        return staff
    out = staff.copy()
    key = pd.MultiIndex.from_arrays(
        [out["staff_id"].astype("string"), out["period"].astype("string")]
    )
    for col in ("so_luong", "chat_luong", "tien_do", "loi_chat_luong", "cham_tien_do"):
        if col not in out.columns:
            continue
        found = summary.people[col].reindex(key).to_numpy(dtype=np.float64)
        current = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=np.float64)
        out[col] = np.where(np.isnan(current), found, current)
    return out
