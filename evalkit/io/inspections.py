"""Import a table of inspection findings (kiểm tra công vụ) from a CSV file or a workbook.

One row per finding, with the columns of :data:`evalkit.inspections.FINDING_COLUMNS`.
The headers may be the column ids (``inspected_on`` …) or their Vietnamese names
(``Ngày kiểm tra``, ``Cơ quan kiểm tra``, ``Mã công chức``, ``Mã đơn vị``, ``Nội dung``,
``Mức độ``, ``Số văn bản kết luận``, ``Hình thức kỷ luật``), in any case and with or
without accents. Every problem — a missing column, a header that is not a column, a cell
that is not a date or a severity, a stray quote in the CSV, a formula saved without its
result — is reported at once, naming the file, the sheet, the row and the column.

>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "kiem-tra.csv"
>>> _ = path.write_text(
...     "Ngày kiểm tra,Cơ quan kiểm tra,Mã công chức,Nội dung,Mức độ,Số văn bản kết luận\\n"
...     "12/03/2026,Sở Nội vụ,CC-1,Đi muộn 3 buổi,nhẹ,15/TB-SNV\\n", encoding="utf-8")
>>> read_inspections(path)[["inspected_on", "staff_id", "severity"]].values.tolist()
[['2026-03-12', 'CC-1', 'minor']]
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit._words import fold
from evalkit.errors import InputError, InputProblem
from evalkit.inspections import FINDING_COLUMNS, findings_frame
from evalkit.io._cells import (
    SheetScan,
    csv_records,
    open_csv,
    padding_styles,
    percent_styles,
    scan_sheet,
    shown_number,
    split_ref,
)
from evalkit.io.workbook import _CSV_FAILURES, _blank_csv, _csv_failure
from evalkit.messages import msg, problem

__all__ = ["HEADERS", "SHEET", "read_inspections"]

#: The default sheet of a workbook (else the only sheet, else the first).
SHEET = "Kiểm tra công vụ"

#: Vietnamese headers read as each column (besides the column ids themselves).
HEADERS: dict[str, tuple[str, ...]] = {
    "inspected_on": ("Ngày kiểm tra", "Ngày"),
    "inspector": ("Cơ quan kiểm tra", "Đoàn kiểm tra", "Người kiểm tra"),
    "staff_id": ("Mã công chức", "Mã cán bộ", "Mã nhân sự"),
    "unit_id": ("Mã đơn vị", "Đơn vị"),
    "finding": ("Nội dung", "Nội dung phát hiện", "Kết quả kiểm tra"),
    "severity": ("Mức độ", "Mức độ vi phạm"),
    "decision_ref": ("Số văn bản kết luận", "Số kết luận", "Số văn bản"),
    "discipline": ("Hình thức kỷ luật", "Kỷ luật"),
}


#: The columns holding ids: a number in them is read as the text its cell shows.
_ID_COLUMNS = ("staff_id", "unit_id")


_BY_NAME: dict[str, str] = {}
for _col, _names in HEADERS.items():
    for _name in (_col, *_names):
        _BY_NAME[fold(_name)] = _col


def _columns_of(header: Sequence[object], file: str, sheet: str | None
                ) -> tuple[list[str | None], list[InputProblem]]:  # fmt: skip
    """The column id under each header cell (None: ignored blank header) and problems."""
    out: list[str | None] = []
    problems: list[InputProblem] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(header):
        text = "" if cell is None else str(cell).strip()
        if not text:
            out.append(None)
            continue
        col = _BY_NAME.get(fold(text))
        if col is None:
            problems.append(InputProblem(
                "is not a column of the findings table; expected "
                + ", ".join(FINDING_COLUMNS), file, sheet, 1, text, None))  # fmt: skip
        elif col in seen:
            problems.append(InputProblem(f"a second header for {col!r}", file, sheet, 1, text))
            col = None
        else:
            seen[col] = i
        out.append(col)
    return out, problems


def _frame(records: Iterator[tuple[int, Sequence[object]]], cols: list[str | None], file: str,
           sheet: str | None, problems: list[InputProblem]) -> pd.DataFrame:  # fmt: skip
    """Rows (indexed by their line or sheet row) under their column ids."""
    rows: list[dict[str, object]] = []
    index: list[int] = []
    width = len(cols)
    for line, values in records:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # an empty line
        for j in range(width, len(values)):
            if values[j] not in (None, ""):
                problems.append(InputProblem("a value beyond the last header", file, sheet,
                                             line, None, values[j]))  # fmt: skip
        rows.append({c: values[j] for j, c in enumerate(cols) if c is not None
                     and j < len(values)})  # fmt: skip
        index.append(line)
    frame = pd.DataFrame(rows, index=pd.Index(index, dtype="int64"),
                         columns=[c for c in cols if c is not None], dtype=object)  # fmt: skip
    return frame


def _read_csv(path: Path, problems: list[InputProblem]) -> pd.DataFrame | None:
    file = str(path)
    with open_csv(path) as src:
        header = next(src.reader, [])
        if _blank_csv(header, path):  # one problem, not every required column
            problems.append(problem(msg("problem.csv_empty"), file=file, row=1))
            return None
        cols, bad = _columns_of(header, file, None)
        problems.extend(bad)
        free = {j for j, c in enumerate(cols) if c in ("finding", "inspector")}
        records = csv_records(
            src.reader, multiline_ok=free.__contains__, reopen=src.reopen, width=len(header),
            delimiter=src.delimiter,
            report=lambda q: problems.append(InputProblem(q.message, file, None, q.line)),
        )  # fmt: skip
        return _frame(records, cols, file, None, problems)


def _read_xlsx(path: Path, sheet: str | None, problems: list[InputProblem]
               ) -> tuple[pd.DataFrame | None, str | None]:  # fmt: skip
    import openpyxl

    file = str(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        problems.append(InputProblem(f"not a readable .xlsx workbook ({type(exc).__name__}: "
                                     f"{exc})", file))  # fmt: skip
        return None, None
    try:
        names = list(wb.sheetnames)
        name = sheet if sheet is not None else (SHEET if SHEET in names else names[0])
        if name not in names:
            problems.append(InputProblem(f"the workbook has no sheet {name!r}", file,
                                         value=", ".join(names)))  # fmt: skip
            return None, None
        ws = wb[name]
        ws.reset_dimensions()
        rows = ws.iter_rows(values_only=True)
        header = list(next(rows, ()))
        cols, bad = _columns_of(header, file, name)
        problems.extend(bad)
        frame = _frame(((i, list(r)) for i, r in enumerate(rows, start=2)), cols, file, name,
                       problems)  # fmt: skip
        scan = _scan(path, wb, name)
        for row, formats in scan.padded.items():  # an id shown 007 (format 000) is '007'
            for j, code in formats.items():
                cid = cols[j] if j < len(cols) else None
                if cid in _ID_COLUMNS and row in frame.index:
                    shown = shown_number(frame.at[row, cid], code)
                    if shown is not None:
                        frame.at[row, cid] = shown
        for ref, formula in scan.formulas:
            where = split_ref(ref)
            col = cols[where[1]] if where and where[1] < len(cols) else None
            problems.append(InputProblem(
                f"cell {ref} holds a formula saved without its result: evalkit never "
                "calculates formulas; open the file in Excel and save it, or type the value",
                file, name, where[0] if where else None, col,
                f"={formula}" if formula else None))  # fmt: skip
        return frame, name
    finally:
        wb.close()


def _scan(path: Path, wb: Any, name: str) -> SheetScan:
    """What the sheet's XML shows beyond its values (formulas saved without a result)."""
    member = getattr(wb[name], "_worksheet_path", None)  # openpyxl read-only, best effort
    if not isinstance(member, str):
        return SheetScan()
    try:
        return scan_sheet(path, member.lstrip("/"), percent_styles(wb), padding_styles(wb))
    except Exception:  # the scan only adds reports; the values were read already
        return SheetScan()


def read_inspections(path: str | os.PathLike[str], *, sheet: str | None = None) -> pd.DataFrame:
    """Read and check a findings table (``.csv`` or ``.xlsx``): :func:`findings_frame`'s table.

    The index is the row's line in the file (CSV) or its row in the sheet (the header is
    row 1). ``sheet`` picks a workbook's sheet (default :data:`SHEET`, else the first).
    Raises :class:`~evalkit.errors.InputError` listing every problem of the file; the
    result feeds :func:`evalkit.inspections.apply`.
    """
    p = Path(path)
    problems: list[InputProblem] = []
    name: str | None = None
    try:
        if p.suffix.lower() == ".xlsx":
            frame, name = _read_xlsx(p, sheet, problems)
        else:
            frame = _read_csv(p, problems)
    except _CSV_FAILURES as exc:  # said as the score sheet's CSV says it
        failure, line = _csv_failure(exc, p)
        raise InputError([problem(failure, file=str(p), row=line)]) from None
    if frame is None:
        raise InputError(problems)
    try:
        out = findings_frame(frame, file=str(p), sheet=name)
    except InputError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return out
