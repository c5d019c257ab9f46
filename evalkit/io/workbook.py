"""Fill-in workbooks: write a month's template, read it back with cell-precise problems.

:func:`write_template` writes an ``.xlsx`` with a score sheet (one row per person, one
column per criterion of the rule set with its maximum in the header and Excel data
validation), sheets for units, job positions and tasks, a metadata sheet and
instructions in Vietnamese.

:func:`read_workbook` (and :func:`read_csv` for the same columns as CSV) streams the
file in bounded memory (openpyxl read-only mode, chunks of rows checked vectorised) and
returns ``(frame, problems)``: the staff-month frame that :func:`evalkit.score_frame`
takes, and *every* problem found, each with file, sheet, row, column and value — it
never raises on bad content. :func:`read_month` returns everything the workbook holds.

>>> import tempfile, pathlib
>>> from evalkit.io.workbook import write_template, read_workbook
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
>>> _ = write_template(path, "vn.nd335-2025", "2026-03")
>>> frame, problems = read_workbook(path)
>>> len(frame), problems
(0, [])
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit.errors import EvalkitError, InputProblem
from evalkit.io._cells import (
    SheetScan,
    csv_records,
    describe_difference,
    normalise_ids,
    percent_styles,
    scan_sheet,
    show_id,
    split_ref,
)
from evalkit.model import Organisation, Period, StaffCategory
from evalkit.rules import RuleSet, _registry

__all__ = [
    "INFO_SHEET",
    "INSTRUCTIONS_SHEET",
    "POSITIONS_SHEET",
    "SCORES_SHEET",
    "TASKS_SHEET",
    "UNITS_SHEET",
    "MonthInput",
    "read_csv",
    "read_input",
    "read_month",
    "read_workbook",
    "score_columns",
    "write_template",
]

#: The score sheet: one row per person. (Excel forbids "/" in sheet names.)
SCORES_SHEET = "Nhân sự - Điểm"
#: Units and their own results.
UNITS_SHEET = "Đơn vị"
#: Job positions.
POSITIONS_SHEET = "Vị trí việc làm"
#: Tasks from a task tracker (optional).
TASKS_SHEET = "Nhiệm vụ"
#: Metadata: rule set, period, format version.
INFO_SHEET = "Thông tin"
#: Instructions in Vietnamese.
INSTRUCTIONS_SHEET = "Hướng dẫn"

WORKBOOK_FORMAT = "evalkit-workbook/1"
CHUNK_ROWS = 20_000
DEFAULT_MAX_PROBLEMS = 10_000

Progress = Callable[[int, "int | None"], None]
Kind = Literal["text", "number", "count", "bool", "discipline", "period", "category", "date"]


@attrs.frozen(slots=True)
class Column:
    """One column of a sheet: id (in brackets in the header), label, kind, maximum."""

    id: str
    label: str
    kind: Kind = "text"
    maximum: float | None = None
    required: bool = False
    note: str = ""

    def header(self) -> str:
        """The header cell text: ``'Chính trị, tư tưởng (tối đa 6) [chinh_tri]'``."""
        if self.kind == "number" and self.maximum is not None:
            return f"{self.label} (tối đa {_fmt(self.maximum)}) [{self.id}]"
        return f"{self.label} [{self.id}]"


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


_STAFF_HEAD = (
    Column("staff_id", "Mã cán bộ", "text", required=True),
    Column("full_name", "Họ và tên"),
    Column("position_id", "Mã vị trí việc làm"),
    Column("unit_id", "Mã đơn vị"),
    Column("category", "Nhóm (cong_chuc, vien_chuc, can_bo, hop_dong)", "category"),
    Column("period", "Kỳ đánh giá (yyyy-mm)", "period"),
    Column("manages_others", "Có quản lý (x)", "bool"),
    Column("duty_group", "Nhóm nhiệm vụ tương đồng"),
)
_STAFF_TAIL = (
    Column("kpi", "KPI phần mềm (%)", "number", 100.0),
    Column("degradation", "Suy thoái (x)", "bool"),
    Column("discipline", "Kỷ luật (0 không, 1 khiển trách ... 5)", "discipline"),
    Column("corruption_in_unit", "Tham nhũng, lãng phí trong đơn vị (x)", "bool"),
    Column("late_files", "Số hồ sơ trễ hẹn", "count"),
    Column("apologies", "Số lần xin lỗi công khai", "count"),
    Column("competent_order", "Thứ tự ưu tiên của cấp có thẩm quyền", "count"),
    Column("self_comment", "Tự nhận xét"),
    Column("manager_comment", "Nhận xét của người quản lý trực tiếp"),
    Column("competent_comment", "Kết luận của cấp có thẩm quyền"),
)
UNIT_COLUMNS = (
    Column("unit_id", "Mã đơn vị", required=True),
    Column("name", "Tên đơn vị"),
    Column("parent_id", "Mã đơn vị cấp trên"),
    Column("head_id", "Mã người đứng đầu"),
    Column("score", "Điểm đơn vị", "number", 100.0),
    Column("tasks_assigned", "Số nhiệm vụ được giao", "count"),
    Column("tasks_done", "Số nhiệm vụ hoàn thành", "count"),
    Column("tasks_on_time", "Số nhiệm vụ đúng hạn", "count"),
    Column("tasks_overdue", "Số nhiệm vụ quá hạn", "count"),
    Column("tasks_exceeded", "Số nhiệm vụ vượt", "count"),
    Column("cross_score", "Điểm đánh giá chéo", "number", 100.0),
    Column("satisfaction", "Chỉ số hài lòng (SIPAS)", "number", 100.0),
    Column("bonus", "Điểm thưởng", "number"),
    Column("deduction", "Điểm trừ", "number"),
)
POSITION_COLUMNS = (
    Column("position_id", "Mã vị trí việc làm", required=True),
    Column("title", "Tên vị trí việc làm"),
    Column("manages_others", "Có quản lý (x)", "bool"),
)
TASK_COLUMNS = (
    Column("task_id", "Mã nhiệm vụ"),
    Column("assignee", "Mã cán bộ được giao", required=True),
    Column("unit_id", "Mã đơn vị"),
    Column("title", "Nội dung nhiệm vụ"),
    Column("assigned", "Ngày giao", "date", required=True),
    Column("due", "Hạn hoàn thành", "date", required=True),
    Column("done", "Ngày hoàn thành", "date"),
    Column("errors", "Số lỗi lớn về chất lượng", "count"),
    Column("exceeded", "Vượt yêu cầu (x)", "bool"),
)


def score_columns(rules: RuleSet) -> tuple[Column, ...]:
    """The score sheet's columns for ``rules``: staff, one per criterion, flags, comments."""
    crits = tuple(
        Column(c.id, c.label_vi, "count" if c.unit == "count" else "number", float(c.maximum))
        for c in rules.criteria()
    )
    return _STAFF_HEAD + crits + _STAFF_TAIL


# =========================================================================== reading


@attrs.define
class MonthInput:
    """Everything a month's workbook holds, read and checked.

    ``staff`` is the frame :func:`evalkit.score_frame` takes (index: the sheet's row
    numbers); ``units``, ``positions`` and ``tasks`` are the other sheets (empty frames
    when absent); ``problems`` lists every problem found.
    """

    staff: pd.DataFrame
    units: pd.DataFrame
    positions: pd.DataFrame
    tasks: pd.DataFrame
    rules: RuleSet | None
    period: Period | None
    problems: list[InputProblem]
    file: str


class _Problems:
    """Collects problems up to a limit, then counts the rest."""

    def __init__(self, file: str, limit: int):
        self.file = file
        self.limit = limit
        self.items: list[InputProblem] = []
        self.dropped = 0
        # cells whose one problem is already said (a formula without a result): other
        # problems of the same cell ("blank required cell") are left out
        self.primary: set[tuple[str | None, int | None, str | None]] = set()
        self.primary_ids: set[int] = set()

    def add(
        self,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        primary: bool = False,
    ) -> None:
        if primary:
            self.primary.add((sheet, row, column))
        if len(self.items) >= self.limit:
            self.dropped += 1
            return
        problem = InputProblem(message, self.file, sheet, row, column, _plain(value))
        if primary:
            self.primary_ids.add(id(problem))
        self.items.append(problem)

    def has(self, sheet: str) -> bool:
        """Whether any problem was found on ``sheet``."""
        return any(p.sheet == sheet for p in self.items)

    def done(self) -> list[InputProblem]:
        rank: dict[str | None, int] = {}
        for p in self.items:
            rank.setdefault(p.sheet, len(rank))
        items = self.items
        if self.primary:
            items = [p for p in items if id(p) in self.primary_ids
                     or (p.sheet, p.row, p.column) not in self.primary]  # fmt: skip
        out = sorted(items, key=lambda p: (rank[p.sheet], p.row or 0))
        if self.dropped:
            out.append(
                InputProblem(
                    f"{self.dropped} more problem(s) not listed (limit {self.limit}); "
                    "fix these first",
                    self.file,
                )
            )
        return out


def _plain(v: object) -> object:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, _dt.datetime | _dt.date | _dt.time | _dt.timedelta):
        return v.isoformat() if hasattr(v, "isoformat") else str(v)
    if v is None or isinstance(v, int | float | str | bool):
        return v
    return str(v)


_ID_RE = re.compile(r"\[\s*([A-Za-z0-9_.\-]+)\s*\]\s*$")


def _col_letter(i: int) -> str:
    """Excel letters of the 0-based column ``i``."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


class _Sheet:
    """A sheet being read: its header mapped to column specs."""

    def __init__(
        self, name: str, specs: Sequence[Column], problems: _Problems, *, csv: bool = False
    ):
        self.name = name
        self.specs = {c.id: c for c in specs}
        self.problems = problems
        self.positions: dict[str, int] = {}  # column id -> 0-based position
        self.unread: dict[int, str] = {}  # position -> text of a header evalkit does not read
        self.width = 0  # columns up to the last non-blank header cell
        self.csv = csv
        self.percent: Mapping[int, set[int]] = {}  # row -> percent-formatted columns

    def where(self, row: int, pos: int) -> str:
        """``'cell K17'`` in a workbook, ``'line 17, field 11'`` in a CSV."""
        return f"line {row}, field {pos + 1}" if self.csv else f"cell {_col_letter(pos)}{row}"

    def column_of(self, pos: int) -> str:
        """The column id at ``pos`` if the header names one, else its letter (or field)."""
        for cid, p in self.positions.items():
            if p == pos:
                return cid
        return f"field {pos + 1}" if self.csv else _col_letter(pos)

    def read_header(self, header: Sequence[object], *, bare_ids: bool = False) -> None:
        """Map header cells to column ids; report renamed, duplicate and missing headers."""
        expected = {c.header(): c.id for c in self.specs.values()}
        by_label = {c.label.strip().lower(): c.id for c in self.specs.values()}
        for i, cell in enumerate(header):
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            self.width = i + 1
            text = unicodedata.normalize("NFC", str(cell)).strip()
            m = _ID_RE.search(text)
            cid = m.group(1) if m else None
            if cid is None and bare_ids and text in self.specs:
                cid = text
            if cid is None:
                cid = by_label.get(re.sub(r"\s*\(tối đa [^)]*\)\s*$", "", text).lower())
            letter = _col_letter(i)
            if cid is None or cid not in self.specs:
                close = difflib.get_close_matches(text, list(expected), n=1, cutoff=0.5)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.problems.add(
                    f"header cell {letter}1 is not a known column (renamed?){hint}",
                    sheet=self.name, row=1, column=letter, value=text,
                )  # fmt: skip
                self.unread[i] = text
                continue
            if cid in self.positions:
                self.problems.add(
                    f"column {cid!r} appears twice in the header (cells "
                    f"{_col_letter(self.positions[cid])}1 and {letter}1)",
                    sheet=self.name, row=1, column=cid, value=text,
                )  # fmt: skip
                self.unread[i] = text
                continue
            self.positions[cid] = i

    def require(self, ids: Iterable[str]) -> None:
        """Report required columns missing from the header."""
        for cid in ids:
            if cid not in self.positions:
                spec = self.specs[cid]
                self.problems.add(
                    f"required column {spec.header()!r} is missing from the header",
                    sheet=self.name, row=1, column=cid,
                )  # fmt: skip


_NUMERIC_KINDS = ("integer", "floating", "mixed-integer-float", "empty", "decimal")


def _kind(s: pd.Series) -> str:
    return str(pd.api.types.infer_dtype(s, skipna=True))


def _blank(s: pd.Series) -> npt.NDArray[np.bool_]:
    """Cells that are empty: None/NaN or whitespace-only text."""
    blank: npt.NDArray[np.bool_] = s.isna().to_numpy(dtype=bool, copy=True)
    if _kind(s) in _NUMERIC_KINDS:
        return blank
    is_str = s.map(type).isin((str,)).to_numpy(dtype=bool)
    if is_str.any():
        blank[is_str] = (s[is_str].str.strip() == "").to_numpy(dtype=bool)
    return blank


def _obj(s: pd.Series) -> npt.NDArray[Any]:
    """A column as an object array with None for every blank (no pd.NA leaks out)."""
    arr = s.to_numpy(dtype=object, copy=True)
    arr[pd.isna(arr)] = None
    return arr


def _nfc(s: pd.Series) -> pd.Series:
    """Text in NFC (precomposed Vietnamese letters), as the sheets print it."""
    return s.str.normalize("NFC") if len(s) else s


def _text(s: pd.Series) -> pd.Series:
    """Cell values as stripped text (a number cell ``42.0`` becomes ``'42'``), blanks <NA>."""
    if _kind(s) == "string":
        txt = s.str.strip().astype("string")
    else:
        txt = s.astype("string").str.strip().str.replace(r"^(-?\d+)\.0$", r"\1", regex=True)
    return txt.mask(txt == "")


_TRUE = {"x", "1", "1.0", "true", "có", "co", "yes", "y", "v", "✓", "✔"}
_FALSE = {"0", "0.0", "false", "không", "khong", "no", "n", "-"}
_DISCIPLINE = {
    "none": 0.0, "không": 0.0, "khong": 0.0,
    "reprimand": 1.0, "khiển trách": 1.0, "khien trach": 1.0, "khien_trach": 1.0,
    "warning": 2.0, "cảnh cáo": 2.0, "canh cao": 2.0, "canh_cao": 2.0,
    "demotion": 3.0, "hạ bậc lương": 3.0, "giáng chức": 3.0,
    "removal": 4.0, "cách chức": 4.0, "cach chuc": 4.0, "cach_chuc": 4.0,
    "dismissal": 5.0, "buộc thôi việc": 5.0, "buoc thoi viec": 5.0,
}  # fmt: skip


_DATE_TYPES = (_dt.datetime, _dt.date, _dt.time, _dt.timedelta, pd.Timestamp, pd.Timedelta,
               np.datetime64, np.timedelta64)  # fmt: skip
_DATE_WORDS = "is a date or a time, not a number: format the cell as Number and type the value"


def _dated(s: pd.Series) -> npt.NDArray[np.bool_]:
    """Cells holding a date, a time or a duration (Excel date/time cells)."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype) or pd.api.types.is_timedelta64_dtype(
        s.dtype
    ):
        return s.notna().to_numpy(dtype=bool)
    if _kind(s) in _NUMERIC_KINDS or len(s) == 0:
        return np.zeros(len(s), dtype=bool)
    return s.map(type).isin(_DATE_TYPES).to_numpy(dtype=bool)


def _numbers(s: pd.Series) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Numbers of a column and the mask of non-blank cells that are not numbers.

    Accepts a decimal comma (``8,5``) and a percent sign (``90%`` is 90). Booleans, dates,
    times, durations, text and infinities are not numbers (:func:`_dated` tells dates).
    Number cells take a fast path; only the other cells are handled as text.
    """
    if len(s) == 0:
        return np.zeros(0), np.zeros(0, dtype=bool)
    notna = s.notna().to_numpy(dtype=bool)
    dated = _dated(s)
    if dated.all():
        num = np.full(len(s), np.nan)
        return num, dated & notna
    num = pd.to_numeric(s.mask(pd.Series(dated, index=s.index)), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan, copy=True
    )
    blank = ~notna
    wrong = dated.copy()
    if _kind(s) not in _NUMERIC_KINDS:
        typ = s.map(type)
        wrong |= typ.isin((bool, np.bool_)).to_numpy(dtype=bool)
        num[wrong] = np.nan
        retry = notna & np.isnan(num) & ~wrong & typ.isin((str,)).to_numpy(dtype=bool)
        if retry.any():
            txt = s[retry].str.strip()
            empty = (txt == "").to_numpy(dtype=bool)
            plain = txt.str.replace(",", ".", regex=False).str.replace(
                r"^([-+]?[0-9.]+)\s*%$", r"\1", regex=True
            )
            parsed = pd.to_numeric(plain, errors="coerce")
            num[retry] = parsed.to_numpy(dtype=np.float64, na_value=np.nan)
            idx = np.flatnonzero(retry)
            blank[idx[empty]] = True
    bad = (~blank & ~np.isfinite(num)) | wrong
    num[blank | bad] = np.nan
    return num, bad


def _bools(s: pd.Series) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Booleans of a column (x, 1, có, yes ... / blank, 0, không, no ...) and bad cells."""
    if len(s) == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    blank = _blank(s)
    key = s.astype("string").str.strip().str.lower()
    true = key.isin(_TRUE).fillna(False).to_numpy(dtype=bool)
    false = key.isin(_FALSE).fillna(False).to_numpy(dtype=bool)
    return true, ~blank & ~true & ~false


@attrs.define
class _Context:
    """What the checks of a score sheet need to know."""

    rules: RuleSet
    period: Period | None
    maxima: dict[str, dict[str, float]]  # criterion -> position -> maximum
    tasks: Any = None  # a TaskSummary from the tasks sheet, or None
    manager_positions: frozenset[str] = frozenset()  # positions that manage others
    typed_ids: dict[int, str] = attrs.Factory(dict)  # row -> staff id as typed, if normalised


def _task_summary(tasks: pd.DataFrame, period: Period | None, probs: _Problems) -> Any:
    """The tasks sheet summarised per person-month, or None if empty or it has problems."""
    from evalkit.io.tasks import check_tasks, task_components

    if tasks.empty or any(p.sheet == TASKS_SHEET for p in probs.items):
        return None
    for p in check_tasks(tasks):
        row = p.row if isinstance(p.row, int) else None  # check_tasks numbers its rows
        probs.add(p.message, sheet=TASKS_SHEET, row=row, column=p.column, value=p.value)
    if any(p.sheet == TASKS_SHEET for p in probs.items):
        return None
    return task_components(tasks, period=period)


def _check_staff_chunk(
    raw: pd.DataFrame, rows: npt.NDArray[np.int64], sheet: _Sheet, ctx: _Context
) -> pd.DataFrame:
    """Type and check one chunk of the score sheet (vectorised); return the typed chunk."""
    probs = sheet.problems
    name = sheet.name
    out = pd.DataFrame(index=pd.Index(rows, name="row"))
    n = len(raw)

    def report(mask: npt.NDArray[np.bool_], cid: str, values: Any, message: str) -> None:
        pos = sheet.positions.get(cid)
        for i in np.flatnonzero(mask):
            sid = ids[i] if ids is not None else None
            who = f" (staff {sid!r})" if isinstance(sid, str) else ""
            cell = f"{sheet.where(int(rows[i]), pos)}: " if pos is not None else ""
            probs.add(
                f"{cell}{message}{who}", sheet=name, row=int(rows[i]), column=cid,
                value=values[i],
            )  # fmt: skip

    ids: npt.NDArray[Any] | None = None
    if "staff_id" in raw.columns:
        typed = _text(raw["staff_id"])
        sid = normalise_ids(typed)
        changed = (typed != sid).fillna(False).to_numpy(dtype=bool)
        for i in np.flatnonzero(changed):
            ctx.typed_ids[int(rows[i])] = str(typed.iloc[i])
        ids = _obj(sid)
        out["staff_id"] = ids
    for cid in ("position_id", "unit_id"):
        if cid in raw.columns:
            out[cid] = _obj(normalise_ids(_text(raw[cid])))
    for cid in ("full_name", "duty_group", "self_comment", "manager_comment",
                "competent_comment"):  # fmt: skip
        if cid in raw.columns:
            out[cid] = _obj(_nfc(_text(raw[cid])))
    rs = ctx.rules
    # -- category
    if "category" in raw.columns:
        cat = _text(raw["category"])
        cats = np.full(n, rs.categories[0].value, dtype=object)
        present = cat.notna().to_numpy()
        for value in pd.unique(cat[present]):
            mask = present & (cat == value).fillna(False).to_numpy(dtype=bool)
            try:
                c = StaffCategory.parse(value)
            except EvalkitError:
                report(mask, "category", cat.to_numpy(dtype=object), "unknown staff category")
                continue
            if c not in rs.categories:
                report(mask, "category", cat.to_numpy(dtype=object),
                       f"rule set {rs.id!r} does not apply to {c.value}")  # fmt: skip
            cats[mask] = c.value
        out["category"] = cats
    else:
        out["category"] = rs.categories[0].value
    # -- period
    expected = ctx.period
    if "period" in raw.columns:
        per = _text(raw["period"])
        periods = np.full(n, str(expected) if expected else None, dtype=object)
        present = per.notna().to_numpy()
        values = raw["period"].to_numpy(dtype=object)
        for value in pd.unique(per[present]):
            mask = present & (per == value).fillna(False).to_numpy(dtype=bool)
            original = values[np.flatnonzero(mask)[0]]
            try:
                p = Period.parse(original if isinstance(original, _dt.date) else value)
            except EvalkitError:
                report(mask, "period", values, "is not a month like 2026-03")
                continue
            if expected is not None and p != expected:
                report(mask, "period", values, f"period {p} does not match the workbook's {expected}")
            periods[mask] = str(p)
        out["period"] = periods
    else:
        out["period"] = str(expected) if expected else None
    if expected is None and ids is not None:
        no_period = pd.isna(out["period"].to_numpy(dtype=object)) & ~pd.isna(ids)
        if no_period.any():
            report(no_period, "period", np.full(n, None),
                   "blank period, and the workbook names none (sheet 'Thông tin' or --period)")
    # -- booleans
    for cid in ("manages_others", "degradation", "corruption_in_unit"):
        if cid in raw.columns:
            val, bad = _bools(raw[cid])
            if bad.any():
                report(bad, cid, raw[cid].to_numpy(dtype=object),
                       "is not a yes/no mark (x, có, 1 / blank, không, 0)")  # fmt: skip
            out[cid] = val
    # -- discipline
    if "discipline" in raw.columns:
        col = raw["discipline"]
        num, bad = _numbers(col)
        dated = _dated(col)
        key = col.astype("string").str.strip().str.lower()
        named = key.map(_DISCIPLINE).to_numpy(dtype=np.float64, na_value=np.nan)
        fix = bad & ~np.isnan(named) & ~dated
        num[fix] = named[fix]
        bad &= ~fix
        out_of_range = ~np.isnan(num) & ((num < 0) | (num > 5) | (num != np.floor(num)))
        if dated.any():
            report(dated, "discipline", col.to_numpy(dtype=object), _DATE_WORDS)
        if (bad & ~dated).any() or out_of_range.any():
            report((bad & ~dated) | out_of_range, "discipline", col.to_numpy(dtype=object),
                   "is not a discipline level 0 to 5 (0 none, 1 khiển trách, 2 cảnh cáo, ...)")
        out["discipline"] = np.where(np.isnan(num) | out_of_range, 0.0, num)
    # -- numbers: criteria, kpi, counts
    unreadable: dict[str, npt.NDArray[np.bool_]] = {}
    position = out["position_id"].to_numpy(dtype=object) if "position_id" in out else None
    for spec in sheet.specs.values():
        cid = spec.id
        if spec.kind not in ("number", "count") or cid not in raw.columns:
            continue
        col = raw[cid]
        num, bad = _numbers(col)
        original = col.to_numpy(dtype=object)
        if bad.any():
            dated = _dated(col)
            if (bad & dated).any():
                report(bad & dated, cid, original, _DATE_WORDS)
            if (bad & ~dated).any():
                report(bad & ~dated, cid, original, "is not a number")
            unreadable[cid] = bad
        neg = num < 0
        if neg.any():
            report(neg, cid, original, "is negative")
        if spec.kind == "count":
            frac = ~np.isnan(num) & (num != np.floor(num))
            if frac.any():
                report(frac, cid, original, "is not a whole number")
        if spec.maximum is not None:
            mx = np.full(n, spec.maximum)
            table = ctx.maxima.get(cid)
            if table and position is not None:
                mapped = pd.Series(position).map(table).to_numpy(dtype=np.float64, na_value=np.nan)
                mx = np.where(np.isnan(mapped), mx, mapped)
            over = num > mx + 1e-9
            if over.any():
                for i in np.flatnonzero(over):
                    sid_i: object = ids[i] if ids is not None else None
                    who = f"staff {sid_i!r}, " if isinstance(sid_i, str) else ""
                    cell = sheet.where(int(rows[i]), sheet.positions[cid])
                    probs.add(
                        f"{cell}: score {_fmt(num[i])} for {cid!r} exceeds its "
                        f"maximum {_fmt(mx[i])} ({who}{rs.id})",
                        sheet=name, row=int(rows[i]), column=cid, value=original[i],
                    )  # fmt: skip
        out[cid] = num
    # -- task components from the tasks sheet fill blank cells (typed values win)
    if ctx.tasks is not None and ids is not None and not ctx.tasks.people.empty:
        task_key = pd.MultiIndex.from_arrays([pd.Series(ids, dtype="string"),
                                         pd.Series(out["period"].to_numpy(), dtype="string")])
        for cid in ("so_luong", "chat_luong", "tien_do", "loi_chat_luong", "cham_tien_do"):
            if cid in ctx.tasks.people.columns and any(c.id == cid for c in rs.criteria()):
                found = ctx.tasks.people[cid].reindex(task_key).to_numpy(dtype=np.float64)
                current = out[cid].to_numpy(dtype=np.float64) if cid in out else np.full(n, np.nan)
                out[cid] = np.where(np.isnan(current), found, current)
    # -- required cells
    if ids is not None:
        has_any = np.zeros(n, dtype=bool)
        for cid in raw.columns:
            has_any |= ~_blank(raw[cid])
        no_id = has_any & pd.isna(ids)
        if no_id.any():
            report(no_id, "staff_id", ids, "blank staff id in a row that has other values")
    manages = out["manages_others"].to_numpy(dtype=bool) if "manages_others" in out else (
        np.zeros(n, dtype=bool))  # fmt: skip
    if ctx.manager_positions and "position_id" in out:
        manages = manages | out["position_id"].isin(ctx.manager_positions).to_numpy(dtype=bool)
        out["manages_others"] = manages
    all_inputs = set(rs.required_inputs(True)) | set(rs.required_inputs(False))
    present = np.zeros(n, dtype=bool)
    for cid in all_inputs:
        if cid in out:
            present |= ~np.isnan(out[cid].to_numpy(dtype=np.float64))
    has_kpi = ~np.isnan(out["kpi"].to_numpy(dtype=np.float64)) if "kpi" in out else (
        np.zeros(n, dtype=bool))  # fmt: skip
    evaluated = present | has_kpi
    kpi_inputs = {
        cid for b in rs.blocks if b.kind == "percent_average" and b.params.get("kpi")
        for cid in b.inputs(None)
    }  # fmt: skip
    for mgr in (False, True):
        rows_here = evaluated & (manages == mgr)
        if not rows_here.any():
            continue
        for cid in rs.required_inputs(mgr):
            need = rows_here & ~has_kpi if cid in kpi_inputs else rows_here
            if cid not in out or not need.any():
                continue
            miss = need & np.isnan(out[cid].to_numpy(dtype=np.float64))
            if cid in unreadable:
                miss &= ~unreadable[cid]
            if miss.any():
                report(miss, cid, np.full(n, None), "blank required cell")
    return out


def _report_formulas(sheet: _Sheet, formulas: Sequence[tuple[str, str]]) -> None:
    """One problem per formula saved without its result (evalkit never calculates)."""
    for ref, formula in formulas:
        where = split_ref(ref)
        if where is None:
            continue
        row, pos = where
        shown = f" (={formula})" if formula else " (a shared formula)"
        sheet.problems.add(
            f"cell {ref} holds a formula{shown} saved without its result: evalkit never "
            "calculates formulas; open the file in Excel and save it, or type the value",
            sheet=sheet.name, row=row, column=sheet.column_of(pos),
            value=f"={formula}" if formula else None, primary=True,
        )  # fmt: skip


def _manager_positions(positions: pd.DataFrame, org: Organisation | None) -> frozenset[str]:
    """Positions marked as managing others (positions sheet, organisation file)."""
    out: set[str] = set()
    if not positions.empty and {"position_id", "manages_others"} <= set(positions.columns):
        out |= set(positions.loc[positions["manages_others"].astype(bool), "position_id"].dropna())
    if org is not None:
        out |= {p.id for p in org.positions if p.manages_others}
    return frozenset(str(x) for x in out)


def _ranges_touching_row(ranges: Iterable[str], row: int) -> list[str]:
    out = []
    for ref in ranges:
        m = re.findall(r"[A-Z]+([0-9]+)", ref)
        lo, hi = int(m[0]), int(m[-1])
        if lo <= row <= hi:
            out.append(ref)
    return out


def _filled(v: object) -> bool:
    return v is not None and not (isinstance(v, str) and not v.strip())


def _iter_chunks(
    rows: Iterator[tuple[int, Sequence[object]]], width: int, sheet: _Sheet
) -> Iterator[tuple[list[int], list[Any]]]:
    """Yield (row numbers, rows cut to ``width``) in chunks of CHUNK_ROWS, skipping empty rows.

    A value beyond ``width`` (right of the last header cell) is reported with its cell,
    never dropped in silence; a percent-formatted number is read as the percentage it
    shows (0.9 shown as 90 % is 90).
    """
    chunk: list[Any] = []
    numbers: list[int] = []
    percent = sheet.percent
    for number, row in rows:
        if not any(_filled(v) for v in row):
            continue
        values = list(row[:width])
        if len(values) < width:
            values += [None] * (width - len(values))
        if len(row) > width:
            _stray_tail(sheet, number, row, width)
        if percent and number in percent:
            for j in percent[number]:
                v = values[j] if j < width else None
                if isinstance(v, int | float) and not isinstance(v, bool):
                    values[j] = round(v * 100.0, 9)
        chunk.append(values)
        numbers.append(number)
        if len(chunk) >= CHUNK_ROWS:
            yield numbers, chunk
            chunk, numbers = [], []
    if chunk:
        yield numbers, chunk


def _stray_tail(sheet: _Sheet, number: int, row: Sequence[object], width: int) -> None:
    """Report every value right of the last header cell of ``row``."""
    last = (f"the last header is field {sheet.width}" if sheet.csv
            else f"the last header is {_col_letter(sheet.width - 1)}1") if sheet.width else (
            "the header row is blank")  # fmt: skip
    for j in range(width, len(row)):
        v = row[j]
        if _filled(v):
            sheet.problems.add(
                f"{sheet.where(number, j)}: a value right of the last column ({last}); "
                "evalkit would not read it: give the column a header or clear the cell",
                sheet=sheet.name, row=number, column=sheet.column_of(j), value=v,
            )  # fmt: skip


def _stray_inside(sheet: _Sheet, arr: npt.NDArray[Any], numbers: list[int]) -> None:
    """Report values under a blank header cell or under a header evalkit does not read."""
    mapped = set(sheet.positions.values())
    for j in range(arr.shape[1]):
        if j in mapped:
            continue
        filled = ~_blank(pd.Series(arr[:, j], dtype=object))
        if not filled.any():
            continue
        header = sheet.unread.get(j)
        head = (f"field {j + 1}" if sheet.csv else f"{_col_letter(j)}1")
        why = (f"under the header {header!r} ({head}), which is not a column evalkit reads"
               if header is not None else f"under a blank header cell ({head})")  # fmt: skip
        for i in np.flatnonzero(filled):
            sheet.problems.add(
                f"{sheet.where(int(numbers[i]), j)}: a value {why}; give the column its "
                "header or clear the cell",
                sheet=sheet.name, row=int(numbers[i]), column=sheet.column_of(j),
                value=arr[i, j],
            )  # fmt: skip


def _read_rows(
    sheet: _Sheet, rows: Iterator[tuple[int, Sequence[object]]],
    check: Callable[..., pd.DataFrame], progress: Progress | None, total: int | None,
) -> pd.DataFrame:  # fmt: skip
    """Read data rows chunk by chunk through ``check``; concatenate the typed chunks."""
    if not sheet.positions:  # no known column: the header problems say it all
        return pd.DataFrame(index=pd.Index([], name="row", dtype=np.int64))
    width = max(max(sheet.positions.values()) + 1, sheet.width)
    order = sorted(sheet.positions.items(), key=lambda kv: kv[1])
    parts: list[pd.DataFrame] = []
    done = 0
    for numbers, chunk in _iter_chunks(rows, width, sheet):
        arr = np.empty((len(chunk), width), dtype=object)
        arr[:] = chunk
        if width > len(order):
            _stray_inside(sheet, arr, numbers)
        raw = pd.DataFrame({cid: arr[:, pos] for cid, pos in order})
        parts.append(check(raw, np.asarray(numbers, dtype=np.int64), sheet))
        done = numbers[-1]
        if progress is not None:
            progress(done, total)
    if not parts:
        return check(
            pd.DataFrame({cid: pd.Series([], dtype=object) for cid, _ in order}),
            np.zeros(0, dtype=np.int64), sheet,
        )  # fmt: skip
    return pd.concat(parts) if len(parts) > 1 else parts[0]


_ID_COLUMNS = frozenset({"unit_id", "parent_id", "head_id", "position_id", "assignee",
                         "task_id", "staff_id"})  # fmt: skip


def _simple_check(raw: pd.DataFrame, rows: npt.NDArray[np.int64], sheet: _Sheet) -> pd.DataFrame:
    """Type and check a chunk of a units, positions or tasks sheet."""
    from evalkit.io.tasks import FIRST_YEAR, LAST_YEAR, parse_dates

    out = pd.DataFrame(index=pd.Index(rows, name="row"))

    def add(mask: npt.NDArray[np.bool_], cid: str, original: Any, message: str,
            with_value: bool = True) -> None:  # fmt: skip
        pos = sheet.positions[cid]
        for i in np.flatnonzero(mask):
            sheet.problems.add(f"{sheet.where(int(rows[i]), pos)}: {message}", sheet=sheet.name,
                               row=int(rows[i]), column=cid,
                               value=original[i] if with_value else None)  # fmt: skip

    for spec in sheet.specs.values():
        cid = spec.id
        if cid not in raw.columns:
            continue
        col = raw[cid]
        original = col.to_numpy(dtype=object)
        if spec.kind in ("number", "count"):
            num, bad = _numbers(col)
            dated = _dated(col)
            add(bad & dated, cid, original, _DATE_WORDS)
            add(bad & ~dated, cid, original, "is not a number")
            neg = num < 0
            over = num > spec.maximum + 1e-9 if spec.maximum is not None else np.zeros_like(neg)
            frac = (~np.isnan(num) & (num != np.floor(num))) if spec.kind == "count" else neg & False
            add(neg, cid, original, "is negative")
            add(over, cid, original, f"exceeds its maximum {_fmt(spec.maximum or 0)}")
            add(frac, cid, original, "is not a whole number")
            out[cid] = num
        elif spec.kind == "bool":
            val, bad = _bools(col)
            add(bad, cid, original, "is not a yes/no mark (x, có, 1 / blank, không, 0)")
            out[cid] = val
        elif spec.kind == "date":
            values, bad, far = parse_dates(col)
            add(bad, cid, original, "is not a date (a date cell, yyyy-mm-dd or dd/mm/yyyy)")
            add(far, cid, original,
                f"is a date outside the years {FIRST_YEAR} to {LAST_YEAR} (a typing mistake?)")
            out[cid] = values.to_numpy(dtype="datetime64[ns]")
        elif cid in _ID_COLUMNS:
            out[cid] = _obj(normalise_ids(_text(col)))
        else:
            out[cid] = _obj(_nfc(_text(col)))
        if spec.required:
            miss = _blank(col)
            if cid in _ID_COLUMNS:  # only invisible characters: blank too
                miss = miss | pd.isna(out[cid].to_numpy(dtype=object))
            add(miss, cid, original, "blank required cell", with_value=False)
    return out


def _info(rows: Iterator[Sequence[object]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in rows:
        if len(row) >= 2 and isinstance(row[0], str) and row[1] is not None:
            out[row[0].strip()] = str(row[1]).strip()
    return out


def _resolve_rules(
    rules: RuleSet | str | None, info: Mapping[str, str], probs: _Problems, where: str
) -> RuleSet | None:
    reg = _registry.default_registry()
    if isinstance(rules, RuleSet):
        return rules
    rid = rules if isinstance(rules, str) else info.get("rule_set")
    if not rid:
        return None
    try:
        return reg.get(rid)
    except EvalkitError as exc:
        probs.add(str(exc), sheet=where, column="rule_set", value=rid)
        return None


def _org_frames(org: Organisation | str | os.PathLike[str] | None) -> Organisation | None:
    if org is None or isinstance(org, Organisation):
        return org
    from evalkit.io.jsonio import read_json

    obj = read_json(org, Organisation)
    assert isinstance(obj, Organisation)
    return obj


def read_month(
    path: str | os.PathLike[str],
    rules: RuleSet | str | None = None,
    *,
    period: Period | str | None = None,
    org: Organisation | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> MonthInput:
    """Read every sheet of a month's workbook (or a CSV of the score sheet) and check it.

    ``rules`` and ``period`` default to the workbook's own (its information sheet);
    passing them checks the workbook against them. ``org`` (an
    :class:`~evalkit.model.Organisation` or its JSON file) adds known units and
    positions. Never raises on bad content: every problem is in ``problems`` (at most
    ``max_problems``, then one line counting the rest).
    """
    p = Path(path)
    probs = _Problems(str(path), max_problems)
    empty = pd.DataFrame()
    result = MonthInput(empty, empty, empty, empty, None, None, [], str(path))
    try:
        organisation = _org_frames(org)
    except EvalkitError as exc:
        probs.add(f"cannot read the organisation file: {exc}", value=str(org))
        organisation = None
    if p.suffix.lower() in (".csv", ".txt"):
        _read_csv_into(result, p, rules, period, organisation, probs, progress)
    else:
        _read_xlsx_into(result, p, rules, period, organisation, probs, progress)
    result.problems = probs.done()
    return result


def _expected_period(
    period: Period | str | None, info: Mapping[str, str], probs: _Problems
) -> Period | None:
    declared: Period | None = None
    if info.get("period"):
        try:
            declared = Period.parse(info["period"])
        except EvalkitError:
            probs.add("the workbook's period is not a month like 2026-03", sheet=INFO_SHEET,
                      column="period", value=info["period"])  # fmt: skip
    if period is None:
        return declared
    try:
        want = Period.parse(period)
    except EvalkitError as exc:
        probs.add(str(exc), value=str(period))
        return declared
    if declared is not None and declared != want:
        probs.add(f"period mismatch: the workbook is for {declared}, expected {want}",
                  sheet=INFO_SHEET, column="period", value=str(declared))  # fmt: skip
    return want


def _maxima(rules: RuleSet, org: Organisation | None) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for pos, table in rules.position_maxima.items():
        for cid, mx in table.items():
            out.setdefault(cid, {})[pos] = float(mx)
    if org is not None:
        for position in org.positions:
            for cid, mx in position.maxima.items():
                out.setdefault(cid, {})[position.id] = float(mx)
    return out


def _read_xlsx_into(
    result: MonthInput, path: Path, rules: RuleSet | str | None, period: Period | str | None,
    org: Organisation | None, probs: _Problems, progress: Progress | None,
) -> None:  # fmt: skip
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        probs.add("file not found")
        return
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        probs.add(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})")
        return
    try:
        names = list(wb.sheetnames)
        info = _info(wb[INFO_SHEET].iter_rows(values_only=True)) if INFO_SHEET in names else {}
        result.period = _expected_period(period, info, probs)
        rs = _resolve_rules(rules, info, probs, INFO_SHEET)
        if rs is None and not probs.items:
            probs.add(f"the workbook names no rule set (sheet {INFO_SHEET!r}); pass --rules",
                      sheet=INFO_SHEET, column="rule_set")  # fmt: skip
        result.rules = rs
        if SCORES_SHEET not in names:
            close = difflib.get_close_matches(SCORES_SHEET, names, n=1, cutoff=0.4)
            hint = f"; is {close[0]!r} it (renamed)?" if close else ""
            probs.add(f"the workbook has no sheet {SCORES_SHEET!r}{hint}", value=", ".join(names))
            return
        members = _sheet_members(wb)
        pct_styles = percent_styles(wb)
        summary = None
        typed_ids: dict[int, str] = {}
        for name, specs in ((UNITS_SHEET, UNIT_COLUMNS), (POSITIONS_SHEET, POSITION_COLUMNS),
                            (TASKS_SHEET, TASK_COLUMNS),
                            (SCORES_SHEET, score_columns(rs) if rs else _STAFF_HEAD)):  # fmt: skip
            if name not in names:
                continue
            scan = scan_sheet(path, members[name], pct_styles) if name in members else SheetScan()
            for ref in _ranges_touching_row(scan.merged, 1):
                probs.add(f"merged header cells {ref}: unmerge them so every column has "
                          "its own header", sheet=name, row=1, value=ref)  # fmt: skip
            ws = wb[name]
            ws.reset_dimensions()
            rows = ws.iter_rows(values_only=True)
            header = next(rows, ())
            sheet = _Sheet(name, specs, probs)
            sheet.read_header(header)
            sheet.percent = scan.percent
            _report_formulas(sheet, scan.formulas)
            numbered = enumerate(rows, start=2)
            if name == SCORES_SHEET:
                if rs is None:
                    return
                sheet.require(["staff_id", *rs.required_inputs(False)])
                ctx = _Context(rs, result.period, _maxima(rs, org), summary,
                               _manager_positions(result.positions, org))  # fmt: skip
                total = _declared_rows(ws)
                result.staff = _read_rows(
                    sheet, numbered, functools.partial(_check_staff_chunk, ctx=ctx), progress,
                    total,
                )  # fmt: skip
                typed_ids = ctx.typed_ids
            else:
                sheet.require(c.id for c in specs if c.required)
                frame = _read_rows(sheet, numbered, _simple_check, None, None)
                if name == UNITS_SHEET:
                    result.units = frame
                elif name == POSITIONS_SHEET:
                    result.positions = frame
                else:
                    result.tasks = frame
                    summary = _task_summary(frame, result.period, probs)
        _cross_checks(result, org, probs, typed_ids, summary, workbook=True)
    except Exception as exc:  # a malformed part inside an otherwise valid zip
        if isinstance(exc, KeyboardInterrupt | MemoryError):
            raise
        probs.add(f"the workbook could not be read to the end ({type(exc).__name__}: {exc})")
    finally:
        wb.close()


def _declared_rows(ws: Any) -> int | None:
    try:
        return int(ws.max_row) if ws.max_row else None
    except Exception:
        return None


def _sheet_members(wb: Any) -> dict[str, str]:
    """Sheet name -> zip member path (openpyxl read-only internals, best effort)."""
    out: dict[str, str] = {}
    for ws in wb.worksheets:
        member = getattr(ws, "_worksheet_path", None)
        if isinstance(member, str):
            out[ws.title] = member.lstrip("/")
    return out


def _cross_checks(
    result: MonthInput, org: Organisation | None, probs: _Problems, typed_ids: Mapping[int, str],
    summary: Any = None, *, workbook: bool,
) -> None:  # fmt: skip
    """Checks across rows and sheets: everything classification would refuse later.

    Duplicate staff ids (also when they differ only by invisible characters, Unicode form
    or case), unknown or blank units and positions, an empty units sheet, unit cycles,
    heads outside the unit they head, unit task counts that contradict each other, tasks
    of people not on the score sheet.
    """
    staff = result.staff
    if not result.units.empty:
        result.units = _units_with_tasks(result.units, summary, result.period)
    units_frame = result.units if not result.units.empty else _org_unit_frame(org)
    if not result.units.empty and "unit_id" in result.units:
        _unit_checks(result.units, probs)
    if staff.empty or "staff_id" not in staff.columns:
        staff["is_head"] = pd.Series(dtype=bool)
        return
    ids = staff["staff_id"]
    _duplicate_ids(ids, typed_ids, probs)
    units: set[str] = set()
    positions: set[str] = set()
    heads: set[str] = set()
    if not units_frame.empty and "unit_id" in units_frame:
        units |= set(units_frame["unit_id"].dropna())
        if "head_id" in units_frame:
            heads |= set(units_frame["head_id"].dropna())
    if not result.positions.empty and "position_id" in result.positions:
        positions |= set(result.positions["position_id"].dropna())
    if org is not None:
        positions |= {p.id for p in org.positions}
    for cid, known, what in (("unit_id", units, "unit"), ("position_id", positions, "position")):
        if not known or cid not in staff.columns:
            continue
        col = staff[cid]
        bad = col.notna() & ~col.isin(known)
        for row, value in col[bad].items():
            close = difflib.get_close_matches(str(value), sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            probs.add(f"unknown {what} {value!r}{hint}", sheet=SCORES_SHEET, row=_int_row(row),
                      column=cid, value=value)  # fmt: skip
    if workbook or org is not None:
        _units_of_staff(staff, units, probs, org is not None)
    if not units_frame.empty and "head_id" in units_frame and "unit_id" in staff.columns:
        _head_checks(units_frame, staff, probs, from_org=result.units.empty)
    staff["is_head"] = ids.isin(heads).to_numpy(dtype=bool)
    if "manages_others" not in staff.columns:
        staff["manages_others"] = False
    if not result.tasks.empty and "assignee" in result.tasks.columns:
        t = result.tasks["assignee"]
        bad = t.notna() & ~t.isin(set(ids.dropna()))
        for row, value in t[bad].items():
            probs.add("task assigned to a staff id that is not on the score sheet",
                      sheet=TASKS_SHEET, row=_int_row(row), column="assignee", value=value)


def _duplicate_ids(ids: pd.Series, typed: Mapping[int, str], probs: _Problems) -> None:
    """Duplicate staff ids, naming both spellings when they were typed differently."""
    present = ids.notna()
    dup = present & ids.duplicated(keep=False)
    if dup.any():
        rows = [_int_row(r) for r in ids.index[dup.to_numpy(dtype=bool)]]
        groups: dict[object, list[int | None]] = {}
        for r, sid in zip(rows, ids[dup], strict=True):
            groups.setdefault(sid, []).append(r)
        for sid, members in groups.items():
            for k, r in enumerate(members):
                other = members[1] if k == 0 else members[0]
                mine = typed.get(r if r is not None else -1, str(sid))
                theirs = typed.get(other if other is not None else -1, str(sid))
                if mine != theirs:
                    why = describe_difference(mine, theirs)
                    msg = (f"staff id {show_id(mine)} is the same as {show_id(theirs)} at row "
                           f"{other} (they differ only by {why}): one person typed twice")
                else:
                    msg = f"duplicate staff id (first at row {members[0]})"
                probs.add(msg, sheet=SCORES_SHEET, row=r, column="staff_id", value=mine)
    # ids that differ only in upper/lower case: one person, or two sheets with one file name
    key = ids.astype("string").str.casefold()
    distinct = ~ids.duplicated(keep="first") & present
    case = distinct & key.duplicated(keep=False) & present
    if case.any():
        frame = pd.DataFrame({"id": ids[case], "key": key[case]})
        for _, grp in frame.groupby("key", sort=False):
            (r0, id0), *rest = list(grp["id"].items())
            for row, sid in rest:
                probs.add(f"staff id {sid!r} differs from {id0!r} at row {_int_row(r0)} only in "
                          "upper/lower case: the same person, or make the ids distinct",
                          sheet=SCORES_SHEET, row=_int_row(row), column="staff_id",
                          value=sid)  # fmt: skip


def _units_of_staff(staff: pd.DataFrame, units: set[str], probs: _Problems, org: bool) -> None:
    """Every person needs a unit that classification knows."""
    has_id = staff["staff_id"].notna()
    if "unit_id" not in staff.columns:
        for row in staff.index[has_id.to_numpy(dtype=bool)]:
            probs.add("no unit: the score sheet has no unit column (Mã đơn vị [unit_id])",
                      sheet=SCORES_SHEET, row=_int_row(row), column="unit_id")  # fmt: skip
        return
    col = staff["unit_id"]
    blank = has_id & col.isna()
    for row in staff.index[blank.to_numpy(dtype=bool)]:
        probs.add("blank unit: every person needs the unit they belong to",
                  sheet=SCORES_SHEET, row=_int_row(row), column="unit_id")  # fmt: skip
    if not units:
        where = "the organisation file lists no units" if org else (
            f"the units sheet {UNITS_SHEET!r} is empty")  # fmt: skip
        for row, value in col[has_id & col.notna()].items():
            probs.add(f"unit {value!r} is not known: {where}", sheet=SCORES_SHEET,
                      row=_int_row(row), column="unit_id", value=value)  # fmt: skip


def _head_checks(
    units: pd.DataFrame, staff: pd.DataFrame, probs: _Problems, *, from_org: bool
) -> None:
    """A head on the score sheet must be a member of the unit they head."""
    member = staff.dropna(subset=["staff_id"]).drop_duplicates("staff_id")
    unit_of = pd.Series(member["unit_id"].to_numpy(dtype=object),
                        index=member["staff_id"].to_numpy(dtype=object))  # fmt: skip
    row_of = pd.Series(member.index.to_numpy(), index=member["staff_id"].to_numpy(dtype=object))
    heads = units[units["head_id"].notna() & units["unit_id"].notna()]
    for row, (uid, hid) in zip(heads.index, zip(heads["unit_id"], heads["head_id"],
                                                 strict=True), strict=True):  # fmt: skip
        if hid not in unit_of.index:
            continue
        theirs = unit_of[hid]
        if theirs == uid or pd.isna(theirs):
            continue
        msg = (f"head {hid!r} of unit {uid!r} is in unit {theirs!r} on the score sheet "
               f"(row {_int_row(row_of[hid])}); a head belongs to the unit they head")
        if from_org:
            probs.add(msg + " (organisation file)", sheet=SCORES_SHEET,
                      row=_int_row(row_of[hid]), column="unit_id", value=theirs)  # fmt: skip
        else:
            probs.add(msg, sheet=UNITS_SHEET, row=_int_row(row), column="head_id", value=hid)


def _org_unit_frame(org: Organisation | None) -> pd.DataFrame:
    if org is None:
        return pd.DataFrame(columns=["unit_id", "parent_id", "head_id"])
    return pd.DataFrame({"unit_id": [u.id for u in org.units],
                         "parent_id": [u.parent_id for u in org.units],
                         "head_id": [u.head_id for u in org.units]})  # fmt: skip


_UNIT_TASKS = ("tasks_assigned", "tasks_done", "tasks_on_time", "tasks_overdue",
               "tasks_exceeded")  # fmt: skip


def _units_with_tasks(units: pd.DataFrame, summary: Any, period: Period | None) -> pd.DataFrame:
    """The units sheet with blank task counts filled from the tasks sheet (typed values win)."""
    if summary is None or summary.units.empty or "unit_id" not in units.columns:
        return units
    table = summary.units
    if period is not None and "period" in table.index.names:
        try:
            table = table.xs(str(period), level="period")
        except KeyError:
            return units
    elif "period" in table.index.names:
        return units
    out = units.copy()
    for col in _UNIT_TASKS:
        found = table[col].reindex(out["unit_id"]).to_numpy(dtype=np.float64)
        cur = (out[col].to_numpy(dtype=np.float64, na_value=np.nan) if col in out.columns
               else np.full(len(out), np.nan))  # fmt: skip
        out[col] = np.where(np.isnan(cur), found, cur)
    return out


def _int_row(label: object) -> int | None:
    try:
        return int(label)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def _unit_checks(units: pd.DataFrame, probs: _Problems) -> None:
    """Duplicate, case-colliding and unknown parent units, cycles, contradictory counts."""
    ids = units["unit_id"]
    dup = ids.notna() & ids.duplicated(keep=False)
    for row, value in ids[dup].items():
        probs.add("duplicate unit id", sheet=UNITS_SHEET, row=_int_row(row), column="unit_id",
                  value=value)  # fmt: skip
    key = ids.astype("string").str.casefold()
    case = ids.notna() & ~ids.duplicated(keep=False) & key.duplicated(keep="first")
    for row, value in ids[case].items():
        probs.add("unit id differs from another only in upper/lower case (their summaries "
                  "would share a file name): make the ids distinct", sheet=UNITS_SHEET,
                  row=_int_row(row), column="unit_id", value=value)  # fmt: skip
    if "parent_id" in units.columns:
        par = units["parent_id"]
        known = set(ids.dropna())
        bad = par.notna() & ~par.isin(known)
        for row, value in par[bad].items():
            probs.add("unknown parent unit", sheet=UNITS_SHEET, row=_int_row(row),
                      column="parent_id", value=value)  # fmt: skip
        _cycles(units, probs)
    for col, limit, word in (("tasks_done", "tasks_assigned", "assigned"),
                             ("tasks_on_time", "tasks_done", "done"),
                             ("tasks_exceeded", "tasks_done", "done")):  # fmt: skip
        if col not in units.columns or limit not in units.columns:
            continue
        a = units[col].to_numpy(dtype=np.float64, na_value=np.nan)
        b = units[limit].to_numpy(dtype=np.float64, na_value=np.nan)
        over = a > b
        for i in np.flatnonzero(over):
            probs.add(f"{col} {_fmt(a[i])} exceeds the tasks {word} ({_fmt(b[i])}) of unit "
                      f"{ids.iloc[i]!r} (typed, or counted from the tasks sheet)",
                      sheet=UNITS_SHEET, row=_int_row(units.index.to_numpy()[i]), column=col,
                      value=float(a[i]))  # fmt: skip


def _cycles(units: pd.DataFrame, probs: _Problems) -> None:
    """Units whose parents lead back to themselves (one problem per cycle)."""
    frame = units.dropna(subset=["unit_id"]).drop_duplicates("unit_id")
    parent = dict(zip(frame["unit_id"], frame["parent_id"], strict=True))
    row_of = dict(zip(frame["unit_id"], frame.index, strict=True))
    reported: set[str] = set()
    for start in parent:  # units are few: a walk per unit
        seen: list[str] = []
        node: Any = start
        while isinstance(node, str) and node in parent and node not in seen:
            seen.append(node)
            node = parent[node]
        if isinstance(node, str) and node in seen:
            cycle = seen[seen.index(node):]
            if reported.isdisjoint(cycle):
                reported.update(cycle)
                first = min(cycle, key=lambda u: row_of[u])
                k = cycle.index(first)
                path = " → ".join([*cycle[k:], *cycle[:k], first])
                probs.add(f"units form a cycle: {path}; a unit cannot be its own parent",
                          sheet=UNITS_SHEET, row=_int_row(row_of[first]), column="parent_id",
                          value=parent[first])  # fmt: skip


_MULTILINE_COLUMNS = frozenset({"self_comment", "manager_comment", "competent_comment"})


def _read_csv_into(
    result: MonthInput, path: Path, rules: RuleSet | str | None, period: Period | str | None,
    org: Organisation | None, probs: _Problems, progress: Progress | None,
) -> None:  # fmt: skip
    """Read a CSV of the score sheet: every record or a problem naming its line.

    The records are counted against the lines: a quote that opens a cell and swallows
    the following lines (a stray ``"`` in a name) is refused with the line where it
    opens; only the comment columns may hold line breaks (Alt+Enter in Excel). A field
    beyond the header, and a value under a blank header, is a problem with its line and
    field.
    """
    import csv

    result.period = _expected_period(period, {}, probs)
    rs = _resolve_rules(rules, {}, probs, "")

    def reopen() -> Any:
        return open(path, encoding="utf-8-sig", newline="")

    try:
        with reopen() as fh:
            reader = csv.reader(fh, strict=True)
            header = next(reader, [])
            if rs is None:
                rs = _infer_rules(header, path, result.period)
                if rs is None:
                    probs.add("a CSV file names no rule set; pass --rules")
                    return
            result.rules = rs
            sheet = _Sheet("csv", score_columns(rs), probs, csv=True)
            sheet.read_header(header, bare_ids=True)
            sheet.require(["staff_id", *rs.required_inputs(False)])
            ctx = _Context(rs, result.period, _maxima(rs, org),
                           manager_positions=_manager_positions(pd.DataFrame(), org))
            text_positions = {p for c, p in sheet.positions.items() if c in _MULTILINE_COLUMNS}
            records = csv_records(
                reader, multiline_ok=text_positions.__contains__, reopen=reopen,
                width=len(header),
                report=lambda q: probs.add(q.message, sheet="csv", row=q.line),
            )  # fmt: skip
            result.staff = _read_rows(
                sheet, records, functools.partial(_check_staff_chunk, ctx=ctx), progress,
                None,
            )  # fmt: skip
    except FileNotFoundError:
        probs.add("file not found")
        return
    except (UnicodeDecodeError, csv.Error) as exc:
        probs.add(f"not a readable UTF-8 CSV file ({exc})")
        return
    except OSError as exc:
        probs.add(f"cannot read the file: {exc.strerror or exc}")
        return
    for p in probs.items:
        if p.sheet == "csv":
            object.__setattr__(p, "sheet", None)
    _cross_checks(result, org, probs, ctx.typed_ids, workbook=False)


def _infer_rules(header: Sequence[str], path: Path, period: Period | None) -> RuleSet | None:
    """The set in force for the CSV's period (cong_chuc) when none is named."""
    if period is None:
        return None
    try:
        return _registry.default_registry().for_period("cong_chuc", period)
    except EvalkitError:
        return None


def read_workbook(
    path: str | os.PathLike[str],
    rules: RuleSet | str | None = None,
    *,
    period: Period | str | None = None,
    org: Organisation | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Read a filled-in workbook: ``(frame, problems)``; never raises on bad content.

    The frame has one row per person (index: the sheet's row number), the columns of
    :data:`evalkit.scoring.FRAME_COLUMNS`, one per criterion, and ``is_head`` (from the
    units sheet). ``frame.attrs`` holds ``rule_set``, ``period`` and ``file``.
    Problems name file, sheet, row, column and value.
    """
    month = read_month(path, rules, period=period, org=org, progress=progress,
                       max_problems=max_problems)  # fmt: skip
    return _staff_frame(month), month.problems


def _staff_frame(month: MonthInput) -> pd.DataFrame:
    frame = month.staff
    frame.attrs["rule_set"] = month.rules.id if month.rules else None
    frame.attrs["period"] = str(month.period) if month.period else None
    frame.attrs["file"] = month.file
    return frame


def read_csv(
    path: str | os.PathLike[str],
    rules: RuleSet | str | None = None,
    *,
    period: Period | str | None = None,
    org: Organisation | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Read a CSV with the score sheet's columns (headers as in the workbook, or bare ids).

    Same checks and result as :func:`read_workbook`; rows are the file's line numbers.
    """
    return read_workbook(path, rules, period=period, org=org, progress=progress,
                         max_problems=max_problems)  # fmt: skip


def read_input(
    path: str | os.PathLike[str],
    rules: RuleSet | str | None = None,
    *,
    period: Period | str | None = None,
    org: Organisation | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Read a workbook or CSV by its suffix; see :func:`read_workbook`."""
    return read_workbook(path, rules, period=period, org=org, progress=progress)


# =========================================================================== writing

_INSTRUCTIONS = """\
HƯỚNG DẪN NHẬP ĐIỂM ĐÁNH GIÁ, XẾP LOẠI HẰNG THÁNG
Bộ tiêu chí: {rule_id} — {title}
Kỳ đánh giá: {period_label}

1. Sheet "{scores}": mỗi dòng là một người. Không đổi tên, không gộp (merge) ô tiêu đề,
   không xóa mã trong ngoặc vuông [..] ở tiêu đề — phần mềm đọc cột theo mã này.
2. Mỗi tiêu chí có một cột; điểm tối đa ghi ở tiêu đề. Điểm tiêu chí chung là điểm (0 đến tối đa);
   các thành phần kết quả nhiệm vụ (số lượng, chất lượng, tiến độ ...) là tỷ lệ phần trăm 0–100.
3. Người không có điểm nào trong tháng: để trống cả dòng điểm — được ghi nhận "chưa đánh giá",
   không phải điểm 0. Đã nhập một tiêu chí thì phải nhập đủ các tiêu chí bắt buộc.
4. Cột "Có quản lý", "Suy thoái", "Tham nhũng, lãng phí trong đơn vị": đánh dấu x (hoặc có / 1).
   Cột "Kỷ luật": 0 không; 1 khiển trách; 2 cảnh cáo; 3 hạ bậc lương/giáng chức; 4 cách chức;
   5 buộc thôi việc.
5. Cột "KPI phần mềm (%)": nếu cơ quan dùng phần mềm theo dõi nhiệm vụ, tỷ lệ KPI thay cho
   phần kết quả thực hiện nhiệm vụ.
6. Sheet "{units}": mã đơn vị, đơn vị cấp trên, người đứng đầu và kết quả nhiệm vụ của đơn vị.
   Sheet "{positions}": mã và tên vị trí việc làm. Sheet "{tasks}": danh sách nhiệm vụ (tùy chọn).
7. Kiểm tra trước khi nộp:  evalkit validate <tệp>.xlsx
   Mọi lỗi được liệt kê cùng lúc, kèm sheet, dòng, cột và giá trị.
"""


def write_template(
    path: str | os.PathLike[str],
    rules: RuleSet | str,
    period: Period | str,
    *,
    org: Organisation | str | os.PathLike[str] | None = None,
    staff_rows: int = 500,
    force: bool = False,
) -> Path:
    """Write a fill-in workbook for ``period`` under ``rules``; return its path.

    With ``org`` the staff, units and positions are filled in. Each criterion column
    carries its maximum in the header and an Excel data validation (0 to maximum).
    Raises :class:`~evalkit.errors.RuleSetNotInForceError` when the set is not in
    force in the period, unless ``force=True``. The file is written atomically.
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from evalkit import __version__
    from evalkit._files import atomic_path
    from evalkit.scoring import resolve_rules

    per = Period.parse(period)
    rs = _registry.default_registry().get(rules) if isinstance(rules, str) else rules
    rs = resolve_rules(rs, rs.categories[0], per, force=force)
    organisation = _org_frames(org)

    wb = openpyxl.Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")

    def header(ws: Any, cols: Sequence[Column]) -> None:
        ws.append([c.header() for c in cols])
        for i, _c in enumerate(cols, start=1):
            cell = ws.cell(row=1, column=i)
            cell.font, cell.fill, cell.alignment = bold, fill, wrap
            ws.column_dimensions[get_column_letter(i)].width = 16
        ws.freeze_panes = "B2"
        ws.row_dimensions[1].height = 60

    scores = wb.active
    scores.title = SCORES_SHEET
    cols = score_columns(rs)
    header(scores, cols)
    scores.column_dimensions["B"].width = 26
    n_rows = staff_rows
    if organisation is not None:
        for s in organisation.staff:
            if s.category not in rs.categories:
                continue
            pos = next((p for p in organisation.positions if p.id == s.position_id), None)
            row: dict[str, object] = {
                "staff_id": s.id, "full_name": s.full_name, "position_id": s.position_id,
                "unit_id": s.unit_id, "category": s.category.value, "period": str(per),
                "manages_others": "x" if (s.manages_others or (pos and pos.manages_others))
                else None, "duty_group": s.duty_group,
            }  # fmt: skip
            scores.append([row.get(c.id) for c in cols])
        n_rows = max(len(organisation.staff) + 50, 50)
    last = n_rows + 1
    for i, c in enumerate(cols, start=1):
        letter = get_column_letter(i)
        rng = f"{letter}2:{letter}{last}"
        dv: DataValidation | None = None
        if c.kind == "number" and c.maximum is not None:
            dv = DataValidation(type="decimal", operator="between", formula1="0",
                                formula2=_fmt(c.maximum), allow_blank=True)  # fmt: skip
            dv.error = f"Điểm từ 0 đến {_fmt(c.maximum)}"
        elif c.kind == "count":
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                allow_blank=True)  # fmt: skip
            dv.error = "Số nguyên không âm"
        elif c.kind == "bool":
            dv = DataValidation(type="list", formula1='"x,có,không"', allow_blank=True)
        elif c.kind == "discipline":
            dv = DataValidation(type="whole", operator="between", formula1="0", formula2="5",
                                allow_blank=True)  # fmt: skip
        elif c.kind == "category":
            dv = DataValidation(type="list", allow_blank=True,
                                formula1='"' + ",".join(x.value for x in rs.categories) + '"')
        elif c.id == "unit_id":
            dv = DataValidation(type="list", formula1=f"'{UNITS_SHEET}'!$A$2:$A$5000",
                                allow_blank=True)  # fmt: skip
        elif c.id == "position_id":
            dv = DataValidation(type="list", formula1=f"'{POSITIONS_SHEET}'!$A$2:$A$5000",
                                allow_blank=True)  # fmt: skip
        if dv is not None:
            dv.showErrorMessage = True
            dv.errorTitle = "Giá trị không hợp lệ"
            dv.add(rng)
            scores.add_data_validation(dv)

    units = wb.create_sheet(UNITS_SHEET)
    header(units, UNIT_COLUMNS)
    positions = wb.create_sheet(POSITIONS_SHEET)
    header(positions, POSITION_COLUMNS)
    if organisation is not None:
        for u in organisation.units:
            units.append([u.id, u.name, u.parent_id, u.head_id])
        for p in organisation.positions:
            positions.append([p.id, p.title_vi, "x" if p.manages_others else None])
    for p_id, _ in sorted(rs.position_maxima.items()):
        if organisation is None:
            positions.append([p_id, None, None])
    tasks = wb.create_sheet(TASKS_SHEET)
    header(tasks, TASK_COLUMNS)

    info = wb.create_sheet(INFO_SHEET)
    for key, value, note in (
        ("format", WORKBOOK_FORMAT, "Định dạng tệp (không sửa)"),
        ("rule_set", rs.id, "Bộ tiêu chí (không sửa)"),
        ("rule_set_title", rs.title_vi, ""),
        ("period", str(per), "Kỳ đánh giá (không sửa)"),
        ("generated_by", f"evalkit {__version__}", ""),
        ("generated_at", _dt.datetime.now().replace(microsecond=0).isoformat(), ""),
    ):
        info.append([key, value, note])
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 40

    guide = wb.create_sheet(INSTRUCTIONS_SHEET)
    text = _INSTRUCTIONS.format(
        rule_id=rs.id, title=rs.title_vi, period_label=per.label("vi"), scores=SCORES_SHEET,
        units=UNITS_SHEET, positions=POSITIONS_SHEET, tasks=TASKS_SHEET,
    )  # fmt: skip
    for line in text.splitlines():
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    guide["A1"].font = Font(bold=True, size=13)

    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)
