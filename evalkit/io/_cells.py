"""What a cell really holds, below what openpyxl and the csv module report.

* :func:`scan_sheet` streams a worksheet's XML once (bounded memory, C-speed searches)
  and finds what ``openpyxl``'s values hide: formulas saved without a result (openpyxl
  and pandas save them so; a reader sees a blank), cells formatted as a percentage (a
  cell showing 90 % holds 0.9) and merged ranges.
* :func:`csv_records` reads CSV records with the line each starts on and refuses a stray
  quote: a quote that opens a cell and swallows the following lines (or the rest of the
  file) is a problem naming the line where it opens, never a silent merge of people.
* :func:`normalise_ids` makes ids comparable: Unicode NFC, no zero-width or other
  invisible characters, no surrounding spaces (the one normaliser of every door,
  :mod:`evalkit._ids`).
"""

from __future__ import annotations

import csv
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs

from evalkit._ids import normalise_ids, show_id
from evalkit._words import INVISIBLE

if TYPE_CHECKING:
    from _csv import Reader as _reader

__all__ = [
    "COUNTS_SHEET",
    "INVISIBLE",
    "RESULTS_SHEET",
    "CsvSource",
    "QuoteProblem",
    "SheetScan",
    "csv_delimiter",
    "csv_records",
    "describe_difference",
    "is_results_header",
    "normalise_ids",
    "open_csv",
    "padding_styles",
    "percent_styles",
    "scan_sheet",
    "show_id",
    "shown_number",
    "split_ref",
    "undecodable_line",
]

# ----------------------------------------------------------------------------- ids

def describe_difference(a: str, b: str) -> str:
    """Why two spellings of one id are the same id, in words.

    >>> describe_difference("CC-1", "CC-1\\u200b")
    'an invisible character'
    >>> describe_difference("Cúc", "Cu\\u0301c")
    'the Unicode form of its letters (NFC/NFD)'
    """
    reasons = []
    if any(c in INVISIBLE for c in a + b):
        reasons.append("an invisible character")
    if unicodedata.normalize("NFC", a) != a or unicodedata.normalize("NFC", b) != b:
        reasons.append("the Unicode form of its letters (NFC/NFD)")
    if a.strip() != a or b.strip() != b:
        reasons.append("spaces around it")
    return " and ".join(reasons) or "its spelling"


# ----------------------------------------------------------------------------- xlsx

_REF_RE = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


def split_ref(ref: str) -> tuple[int, int] | None:
    """``'K17'`` -> ``(17, 10)``: the row number and the 0-based column index.

    >>> split_ref("K17"), split_ref("AA2"), split_ref("x")
    ((17, 10), (2, 26), None)
    """
    m = _REF_RE.match(ref)
    if m is None:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + (ord(ch) - 64)
    return int(m.group(2)), col - 1


@attrs.define
class SheetScan:
    """What one worksheet's XML holds beyond its values.

    ``formulas``: ``(cell ref, formula text)`` of formulas saved without a result;
    ``percent``: row number -> 0-based columns of cells formatted as a percentage that
    hold a number; ``padded``: row number -> {0-based column: number format} of number
    cells whose format pads digits (``'000'`` shows 7 as ``007``, see
    :func:`shown_number`); ``merged``: merged ranges (``"K1:L1"``); ``hidden``: the rows
    Excel hides (hidden by hand, by a filter or a collapsed group); ``hidden_columns``:
    the columns it hides, as 0-based ``(first, last)`` ranges.
    """

    formulas: list[tuple[str, str]] = attrs.Factory(list)
    percent: dict[int, set[int]] = attrs.Factory(dict)
    padded: dict[int, dict[int, str]] = attrs.Factory(dict)
    merged: list[str] = attrs.Factory(list)
    hidden: set[int] = attrs.Factory(set)
    hidden_columns: list[tuple[int, int]] = attrs.Factory(list)


_F_RE = re.compile(rb"<(?:\w+:)?f[\s/>]")
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_ATTR_R = re.compile(rb'\sr="([A-Z]+[0-9]+)"')
_ATTR_T = re.compile(rb'\st="(\w+)"')
_V_RE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</(?:\w+:)?v>")
_FTEXT_RE = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?>([^<]*)</(?:\w+:)?f>")
_CELL_START = re.compile(rb"<(?:\w+:)?c\s")
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\s[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\sr="([0-9]+)"')
_HIDDEN_COLUMNS = re.compile(rb'<(?:\w+:)?col\s[^>]*?\bhidden="(?:1|true)"[^>]*>')
_COLUMN_SPAN = re.compile(rb'\smin="([0-9]+)"|\smax="([0-9]+)"')


def _cell_start(buf: bytes, before: int) -> int:
    """Start of the ``<c`` element that contains position ``before`` (or -1)."""
    lo = max(0, before - (1 << 16))
    last = -1
    for m in _CELL_START.finditer(buf, lo, before):
        last = m.start()
    return last


def _unescape(text: bytes) -> str:
    s = text.decode("utf-8", "replace")
    return (s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))  # fmt: skip


def _styled_number_cells(part: bytes, style: re.Pattern[bytes]) -> Iterator[tuple[int, int, int]]:
    """(row, 0-based column, style index) of the number cells whose style ``style`` matches
    (its first group, when it has one, is the style index)."""
    for m in style.finditer(part):
        tag = part.rfind(b"<", 0, m.start())
        if tag < 0 or _CELL_START.match(part, tag) is None:
            continue  # a row's or a column's style, not a cell's
        tag_end = part.find(b">", m.start())
        head = part[tag:tag_end]
        if head.endswith(b"/"):
            continue  # an empty cell
        ref = _ATTR_R.search(head)
        t = _ATTR_T.search(head)
        if ref is None or (t is not None and t.group(1) not in (b"n",)):
            continue
        where = split_ref(ref.group(1).decode())
        if where is not None:
            index = int(m.group(1)) if style.groups else -1
            yield where[0], where[1], index


def _scan_part(part: bytes, out: SheetScan, pct: re.Pattern[bytes] | None,
               padding: Mapping[int, str] | None = None) -> None:  # fmt: skip
    for m in _F_RE.finditer(part):
        cs = _cell_start(part, m.start())
        ends = [e for e in (part.find(b"</c>", m.start()), part.find(b":c>", m.start())) if e >= 0]
        if cs < 0 or not ends:
            continue
        cell = part[cs : min(ends)]
        tag_end = cell.find(b">")
        head = cell[: tag_end if tag_end >= 0 else len(cell)]
        ref = _ATTR_R.search(head)
        if ref is None:
            continue
        t = _ATTR_T.search(head)
        kind = t.group(1) if t else b"n"
        v = _V_RE.search(cell)
        if v is not None and (v.group(1) != b"" or kind in (b"str", b"inlineStr")):
            continue
        if kind == b"inlineStr" and b"<is" in cell:
            continue
        ftext = _FTEXT_RE.search(cell)
        out.formulas.append((ref.group(1).decode(), _unescape(ftext.group(1)) if ftext else ""))
    if pct is not None:
        for row, col, _style in _styled_number_cells(part, pct):
            out.percent.setdefault(row, set()).add(col)
    if padding:
        pad = re.compile(rb'\ss="(' + b"|".join(str(i).encode() for i in padding) + rb')"')
        for row, col, style in _styled_number_cells(part, pad):
            out.padded.setdefault(row, {})[col] = padding[style]
    out.merged.extend(m.group(1).decode() for m in _MERGE_RE.finditer(part))
    for m in _HIDDEN_ROW.finditer(part):
        if number := _ROW_NUMBER.search(m.group(0)):
            out.hidden.add(int(number.group(1)))
    for m in _HIDDEN_COLUMNS.finditer(part):
        span = {("min", "max")[bool(g[1])]: int(g[0] or g[1])
                for g in _COLUMN_SPAN.findall(m.group(0))}  # fmt: skip
        if "min" in span:
            out.hidden_columns.append((span["min"] - 1, span.get("max", span["min"]) - 1))


def scan_sheet(path: Path, member: str, percent_style_ids: Sequence[int] = (),
               padding: Mapping[int, str] | None = None) -> SheetScan:  # fmt: skip
    """Scan a worksheet part of the workbook at ``path`` (see :class:`SheetScan`).

    ``padding``: style index -> zero-padding number format (:func:`padding_styles`).

    Best effort: an unreadable part gives an empty scan (openpyxl reports it anyway).
    """
    out = SheetScan()
    pct = (
        re.compile(rb'\ss="(?:' + b"|".join(str(i).encode() for i in percent_style_ids) + rb')"')
        if percent_style_ids else None
    )  # fmt: skip
    try:
        with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
            tail = b""
            while True:
                block = fh.read(1 << 20)
                buf = tail + block
                if not block:
                    _scan_part(buf, out, pct, padding)
                    break
                cut = max(buf.rfind(b"</c>"), buf.rfind(b":c>"), buf.rfind(b"</row>"))
                if cut < 0:
                    tail = buf
                    continue
                cut = buf.find(b">", cut) + 1
                _scan_part(buf[:cut], out, pct, padding)
                tail = buf[cut:]
    except (KeyError, OSError, zipfile.BadZipFile, zlib.error, EOFError, RuntimeError):
        return SheetScan()
    out.merged = list(dict.fromkeys(out.merged))
    return out


def _is_percent_format(code: str) -> bool:
    """Whether an Excel number format shows a percentage (a % outside quotes and escapes)."""
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in plain


def percent_styles(workbook: Any) -> list[int]:
    """The cell style indices of an openpyxl workbook whose number format is a percentage.

    Uses openpyxl's parsed style table (best effort: none when it is unavailable).
    """
    return [i for i, code in enumerate(_style_formats(workbook))
            if code is not None and _is_percent_format(code)]  # fmt: skip


_TOKEN_RE = re.compile(r'"[^"]*"|\\.|0+|.')
_PADDING_RE = re.compile(r'^(?:"[^"]*"|\\.|[-_/ ])*0+(?:"[^"]*"|\\.|[-_/ ])*$')


def _style_formats(workbook: Any) -> list[str | None]:
    """Each cell style's number format code (None when it is unknown), best effort."""
    try:
        from openpyxl.styles.numbers import BUILTIN_FORMATS

        styles = list(workbook._cell_styles)
        custom = list(workbook._number_formats)
    except (AttributeError, TypeError, ImportError):
        return []
    out: list[str | None] = []
    for style in styles:
        fid = int(getattr(style, "numFmtId", 0) or 0)
        code = BUILTIN_FORMATS.get(fid)
        if code is None and fid >= 164 and fid - 164 < len(custom):
            code = custom[fid - 164]
        out.append(code if isinstance(code, str) else None)
    return out


def padding_styles(workbook: Any) -> dict[int, str]:
    """Style index -> number format of the styles that pad a whole number with zeros
    (``'000'``, ``'00000'``, ``'"NV"000'``): a cell showing ``007`` holds the number 7."""
    out = {}
    for i, code in enumerate(_style_formats(workbook)):
        section = (code or "").split(";", maxsplit=1)[0]
        if "00" in section.replace('"', "") and _PADDING_RE.match(section):
            out[i] = section
    return out


def shown_number(value: object, code: str) -> str | None:
    """The text a whole, non-negative number shows through a zero-padding format ``code``
    (:func:`padding_styles`), or None when the format or the value is not one it pads.

    >>> shown_number(7, "000"), shown_number(7.0, "00000"), shown_number(1234, "000")
    ('007', '00007', '1234')
    >>> shown_number(7, '"NV"000'), shown_number(7.5, "000"), shown_number(7, "0.00")
    ('NV007', None, None)
    """
    section = code.split(";", maxsplit=1)[0]
    if isinstance(value, bool) or not isinstance(value, int | float) or not _PADDING_RE.match(section):
        return None
    if not 0 <= value < 1e15 or float(value) != int(value):
        return None
    out = []
    for token in _TOKEN_RE.findall(section):
        if token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        elif token.startswith("0"):
            out.append(str(int(value)).zfill(len(token)))
        else:
            out.append(token)
    return "".join(out)


# ----------------------------------------------------------------------------- csv


def undecodable_line(path: Path) -> int | None:
    """The line holding the first bytes of ``path`` that are not UTF-8 (None: none, or the
    file cannot be read), to name it when a CSV cannot be decoded.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "s.csv")
    ...     _ = p.write_bytes("a,b\\nNgư\\n".encode()[:-2] + b"\\n")
    ...     undecodable_line(p)
    2
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return raw[: exc.start].count(b"\n") + 1
    return None


_HEADER_ID = re.compile(r"(?:\[\s*[A-Za-z0-9_.\-]+\s*\]|^[a-z][a-z0-9_]*)$")


def csv_delimiter(path: Path | str) -> str:
    """The field separator of a CSV: ``';'``, ``','`` (Excel in a Vietnamese locale,
    where the comma is the decimal separator, saves "CSV UTF-8" with semicolons) or a tab
    (a sheet exported as tab-separated text and named ``.csv``).

    The header line decides: the separator that splits it into the most column ids (``[id]``
    at the end of a header, or a bare id like ``unit_id``) wins; labels may hold commas
    (``(tối đa 2,5)``). When neither finds more, the one the line holds more of outside
    quotes; ``','`` on a tie or an unreadable file (its reader reports why).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "s.csv")
    ...     _ = p.write_text('\\ufeffunit_id;"name, full";x, y\\nP1;Phòng 1;A\\n', encoding="utf-8")
    ...     q = Path(d, "c.csv")
    ...     _ = q.write_text("Tên (a; b) [name],Mã [unit_id]\\nP1;2,Phòng 1\\n", encoding="utf-8")
    ...     csv_delimiter(p), csv_delimiter(q)
    (';', ',')
    """
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
            first = fh.readline(1 << 20)
    except OSError:
        return ","
    found = {d: sum(1 for f in next(csv.reader([first], delimiter=d), [])
                    if _HEADER_ID.search(f.strip())) for d in ",;\t"}  # fmt: skip
    most = max(found.values())
    if list(found.values()).count(most) == 1:  # one separator finds the most ids
        return max(found, key=found.__getitem__)
    plain = re.sub(r'"[^"]*"', "", first)
    return ";" if plain.count(";") > plain.count(",") else ","


@attrs.frozen(slots=True)
class CsvSource:
    """An open CSV file typed by people, as every CSV reader of :mod:`evalkit.io` reads it."""

    reader: _reader  # csv.reader(..., strict=True, delimiter=delimiter)
    reopen: Callable[[], IO[str]]  # the file again (to find a line on an error path)
    delimiter: str


@contextmanager
def open_csv(path: Path) -> Iterator[CsvSource]:
    """The one way a CSV is opened: UTF-8 with or without a BOM, universal newlines left to
    :mod:`csv`, the separator found by :func:`csv_delimiter`, strict quoting (a stray quote
    is :func:`csv_records`' problem). ``OSError``, ``UnicodeDecodeError`` and ``csv.Error``
    reach the caller, which says them as a problem of the file."""

    def reopen() -> IO[str]:
        return open(path, encoding="utf-8-sig", newline="")

    delimiter = csv_delimiter(path)
    with reopen() as fh:
        yield CsvSource(csv.reader(fh, strict=True, delimiter=delimiter), reopen, delimiter)


@attrs.frozen(slots=True)
class QuoteProblem:
    """A quote that opens a cell and does not close it where a cell ends."""

    line: int
    last_line: int
    message: str


def _quote_open_line(lines: Sequence[str], first: int, delimiter: str = ",") -> int:
    """The line (numbered from ``first``) where the quoted field still open at the end opens."""
    in_quotes = False
    at_start = True
    opened = first
    for k, line in enumerate(lines):
        i = 0
        while i < len(line):
            ch = line[i]
            if in_quotes:
                if ch == '"':
                    if i + 1 < len(line) and line[i + 1] == '"':
                        i += 1
                    else:
                        in_quotes = False
                        at_start = False
            elif ch == '"' and at_start:
                in_quotes, opened = True, first + k
            elif ch == delimiter or ch in "\r\n":
                at_start = True
            else:
                at_start = False
            i += 1
    return opened


def _swallowed(field: str, width: int, delimiter: str = ",") -> bool:
    """Whether a multi-line cell holds what looks like further records (a stray quote)."""
    need = max(2, width // 2)
    return any(line.count(delimiter) >= need for line in field.splitlines()[1:])


def csv_records(
    reader: Any,
    *,
    multiline_ok: Callable[[int], bool],
    report: Callable[[QuoteProblem], None],
    reopen: Callable[[], IO[str]],
    width: int,
    delimiter: str = ",",
) -> Iterator[tuple[int, list[str]]]:
    """``(line where the record starts, fields)`` of every record ``reader`` has left.

    ``reader`` is a ``csv.reader(..., strict=True)`` whose header was read already, and
    ``delimiter`` its field separator (:func:`csv_delimiter`).

    A record that spans several lines is kept only when every field holding a line break
    is in a column where ``multiline_ok(index)`` (free-text comments typed with Alt+Enter
    in Excel) and none of its continued lines looks like a record of its own (as many
    commas as half the header's columns); otherwise a stray quote merged lines, and the
    record is reported (not yielded). A quote never closed before the end of the file, or a closing quote
    followed by more text in the same cell, is reported with the line where it opens.
    A record with fewer fields than the header (a lost comma, a file cut short) is
    reported with its line, not yielded: its values would fall under the wrong columns.
    ``reopen`` gives the file again to find that line (only on that error path).
    """
    line = reader.line_num  # the header has been read by the caller
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = reader.line_num
            text = str(exc)
            if "unexpected end of data" in text:
                with reopen() as again:
                    lines = [ln for i, ln in enumerate(again, start=1) if i >= start]
                opened = _quote_open_line(lines, start, delimiter)
                report(QuoteProblem(opened, end, (
                    f"line {opened}: a quote (\") opens a cell here and is never closed: "
                    f"lines {opened} to {end} (the end of the file) would be read as one "
                    "cell; remove the stray quote or close it")))  # fmt: skip
                return
            if end > start:
                with reopen() as again:
                    lines = [ln for i, ln in enumerate(again, start=1) if start <= i <= end]
                opened = _quote_open_line(lines, start, delimiter)
                report(QuoteProblem(opened, end, (
                    f"line {opened}: a quote (\") opens a cell here and closes in the middle "
                    f"of a cell on line {end}: lines {opened} to {end} would be read as one "
                    "cell; remove the stray quote or close it")))  # fmt: skip
            else:
                report(QuoteProblem(end, end, (
                    f"line {end}: a quoted cell is followed by more text before the next "
                    f"comma ({text}); a quote may only open or close a whole cell")))  # fmt: skip
            line = end
            continue
        end = reader.line_num
        line = end
        if end > start and not all(
            ("\n" not in f and "\r" not in f) or (multiline_ok(i) and not _swallowed(f, width, delimiter))
            for i, f in enumerate(row)
        ):
            col = next(i for i, f in enumerate(row) if "\n" in f or "\r" in f)
            report(QuoteProblem(start, end, (
                f"line {start}: a quote (\") opens a cell here (field {col + 1}) and runs to "
                f"line {end}: {end - start + 1} lines were read as one record; remove the "
                "stray quote or close it")))  # fmt: skip
            continue
        if len(row) < width and any(f.strip() for f in row):
            report(QuoteProblem(start, end, (
                f"line {start}: {len(row)} fields where the header has {width}: a field is "
                "missing (a lost comma, or the file cut short), so the values would fall "
                "under the wrong columns; nothing on this line was read")))  # fmt: skip
            continue
        yield start, row


#: A text a spreadsheet would read as a formula: =, +, -, @ (after spaces), tab or CR.
_FORMULA_RE = re.compile(r"^(?:[ \u00a0]*[=+\-@＝＋－＠]|[\t\r\n])")


def formula_safe_text(text: str) -> str:
    """``text`` made safe for a CSV cell: a leading ``'`` when it would start a formula.

    >>> formula_safe_text("=cmd|' /C calc'!A0"), formula_safe_text("-5"), formula_safe_text("An")
    ("'=cmd|' /C calc'!A0", "'-5", 'An')
    """
    return "'" + text if _FORMULA_RE.match(text) else text


def _is_formula_like(text: str) -> bool:
    return _FORMULA_RE.match(text) is not None


def xlsx_row(ws: Any, values: Sequence[Any]) -> list[Any]:
    """The cells of one row of ``ws`` (a write-only sheet or an ordinary one), for
    ``ws.append``: the one cell writer of every workbook evalkit writes. A text is always a
    text cell, never a formula (openpyxl would store ``=…`` as one); a text that looks like
    a formula (``=``, ``+``, ``-``, ``@`` …) also carries Excel's quote prefix, so editing
    the cell keeps it text; characters a workbook cannot hold are left out. Numbers and
    blanks are written as they are.

    >>> import openpyxl
    >>> ws = openpyxl.Workbook().active
    >>> ws.append(xlsx_row(ws, ["=1+1", 5]))
    >>> (ws["A1"].value, ws["A1"].data_type, ws["A1"].quotePrefix, ws["B1"].value)
    ('=1+1', 's', True, 5)
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells: list[Any] = []
    for v in values:
        if isinstance(v, str):
            cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", v))
            cell.data_type = "s"
            if _is_formula_like(v):
                cell.quotePrefix = True
            cells.append(cell)
        else:
            cells.append(v)
    return cells


#: The sheets of a results workbook (:func:`evalkit.io.results.write_results_xlsx`): per
#: person, and the grade counts.
RESULTS_SHEET = "Kết quả"
COUNTS_SHEET = "Số lượng xếp loại"


def is_results_header(header: Sequence[object]) -> bool:
    """Whether a CSV header is the one :func:`evalkit.io.results.write_results_csv` writes
    (a month's results, or the year's of ``evalkit annual``): the engine's ``reasons`` with
    a ``grade`` or an ``annual_grade``, columns no input has. Given back as a month's
    input, the file is named for what it is rather than refused column by column.

    >>> is_results_header(["row", "staff_id", "total", "grade", "reasons"])
    True
    >>> is_results_header(["staff_id", "so_luong", "competent_grade"])
    False
    """
    names = {str(h).strip().lstrip("\ufeff") for h in header if h is not None}
    return "reasons" in names and bool(names & {"grade", "annual_grade"})
