"""Reading input columns of any dtype: one place that turns a DataFrame column into numbers,
yes/no flags, choices, grades, periods or text, and reports every bad cell where it is.

The bulk paths (``score_frame``, ``classify_frame``, the roll-up) read their input columns
here, so a column gives the same answer whether it arrived as ``object``, pandas 3's
``str``, ``string[python]``, ``string[pyarrow]``, a categorical, a nullable ``Int64`` /
``Float64`` / ``boolean`` or a plain numpy column, and whether it came from Python, a CSV,
Parquet or an Excel workbook.

The readers are vectorised: numeric and boolean columns are converted as arrays, and other
columns are parsed once per *distinct* value (``pd.factorize`` or the categories), then
mapped back with the integer codes. Bad cells are not raised one by one: each reader adds
them to a :class:`Problems` collector (row label, staff id, column, the value as typed and
a sentence), and the caller raises them all at once with :meth:`Problems.raise_if_any`.

Accepted forms (in every dtype):

numbers
    ints, floats, nullable ints/floats, ``Decimal`` and numeric text: ``"90"``,
    ``" 90 "``, ``"90.5"`` and the Vietnamese decimal comma ``"90,5"``. A single ``.`` or
    ``,`` is always the decimal separator; text with more than one separator
    (``"1.234,5"``, ``"1,234.5"``) is rejected as ambiguous rather than guessed. Blank
    cells (NaN, NA, None, "", whitespace) get the default. A float32 (NumPy, nullable or
    Arrow) is the number it shows: 89.99, not the 89.98999786 it holds. Rejected: other
    text, yes/no values, dates and durations, ``inf`` (text or float) and ``"nan"`` typed
    as text, values out of range.
yes/no
    bool, nullable boolean (NA gets the default), 0/1, and the words of :data:`TRUE_WORDS`
    and :data:`FALSE_WORDS` in any case and with or without accents (``x``, ``có``,
    ``yes``, ``true``, ``1`` / ``không``, ``no``, ``false``, ``0``); blank gets the default.
choices
    names matched ignoring case, accents and separators (``"Khiển trách"``,
    ``"khien_trach"``, ``"KHIEN TRACH"`` are one name) and whole numbers in a range.

>>> import pandas as pd
>>> from evalkit._columns import Problems, discipline, numbers
>>> df = pd.DataFrame({"staff_id": ["A", "B", "C"], "discipline": ["", "Khiển trách", "2"],
...                    "kpi": ["90,5", None, "abc"]})
>>> found = Problems(df)
>>> discipline(df, "discipline", found).tolist()
[0, 1, 2]
>>> numbers(df, "kpi", found, minimum=0, maximum=100).tolist()
[90.5, nan, nan]
>>> print(found.problems[0])
row 2, staff 'C', column 'kpi', value 'abc': is not a number
"""

from __future__ import annotations

import decimal
import difflib
import functools
import re
import weakref
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _tables, messages
from evalkit._words import (
    AMBIGUOUS_SEPARATORS,
    DATE_NOT_NUMBER,
    DURATION_NOT_NUMBER,
    FALSE_WORDS,
    NOT_A_NUMBER,
    NOT_FINITE,
    NOT_YES_NO,
    TRUE_WORDS,
    YES_NO_NOT_NUMBER,
    _bool_of,
    _choices,
    _clean,
    _fold,
    _is_blank,
    _number_of,
    _percent_fraction,
)
from evalkit.errors import InputError, InputProblem, ModelError
from evalkit.model import DISCIPLINE_NAMES, LEAVE_NAMES, Assessment, Discipline, Grade, Period

__all__ = [
    "AMBIGUOUS_SEPARATORS",
    "DATE_NOT_NUMBER",
    "DISCIPLINE_NAMES",
    "DURATION_NOT_NUMBER",
    "FALSE_WORDS",
    "GRADE_NAMES",
    "KEPT_PREFIXES",
    "LEAVE_NAMES",
    "NOT_A_NUMBER",
    "NOT_YES_NO",
    "PERCENT_READ",
    "TRUE_WORDS",
    "Problems",
    "booleans",
    "choice",
    "clean_text",
    "discipline",
    "grades",
    "in_row_order",
    "months_worked",
    "need_frame",
    "numbers",
    "periods",
    "text",
    "unit_value_rules",
    "unknown_columns",
    "value_problems",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]

# =========================================================================== problems


#: At most this many rows are listed for one problem of one column (a kind); the rest are
#: counted on one line (:func:`more_rows`), so an error's count is the true count.
LISTED_PER_KIND = 200


def more_rows(n: int, message: str, *, file: str | None = None, sheet: str | None = None,
              column: str | None = None) -> InputProblem:
    """The line standing for ``n`` more rows with the problem ``message`` that are not
    listed (``unlisted=n``: :func:`evalkit.errors.problem_count` counts them), said in
    either language.

    >>> p = more_rows(1800, "criterion has no score", column="so_luong")
    >>> p.unlisted, str(p)
    (1800, "column 'so_luong': 1800 more row(s) with the same problem not listed (at most 200 of a kind are listed): criterion has no score")
    """
    what = messages.Words(messages.translate(message, "vi"), message)
    line = messages.problem(messages.msg("problem.more_rows", n=n, limit=LISTED_PER_KIND,
                                         what=what), file=file, sheet=sheet, column=column)
    return attrs.evolve(line, unlisted=n)


#: At most this many rows (or people) are named by a problem shared by a group of rows.
SHOWN_ALIKE = 10


def alike(message: str | messages.Msg, n: int, rows: Sequence[Any],
          people: Sequence[Any] = ()) -> messages.Msg:  # fmt: skip
    """The sentence of one problem shared by ``n`` rows: ``message`` (an English sentence
    of the library, said in Vietnamese as :func:`evalkit.messages.translate` says it, or a
    catalogue message), then the count and the first rows (``rows``, their labels), or the
    first people (``people``) where the rows have no label (the archive's).

    >>> str(alike("criterion 'so_luong' has no score", 12, [2, 3, 4]))
    "criterion 'so_luong' has no score — the same for 12 rows: 2, 3, 4 …"
    >>> alike("criterion 'so_luong' has no score", 2, [None, None], ["A", "B"]).text("vi")
    "tiêu chí 'so_luong' chưa có điểm — cùng một lỗi của 2 người: 'A', 'B'"
    """
    what = message if isinstance(message, messages.Msg) else messages.Words(
        messages.translate(message, "vi"), message)
    more = " …" if n > len(rows) else ""
    if any(r is not None for r in rows):
        return messages.msg("problem.alike_rows", what=what, n=n,
                            rows=", ".join(str(r) for r in rows if r is not None) + more)
    return messages.msg("problem.alike_people", what=what, n=n,
                        people=", ".join(repr(p) for p in people if p is not None) + more)


def more_problems(n: int, *, file: str | None = None, sheet: str | None = None,
                  column: str | None = None) -> InputProblem:
    """The line standing for ``n`` more problems of a kind that are not listed (each with
    its own sentence), counted by :func:`evalkit.errors.problem_count`."""
    line = messages.problem(messages.msg("problem.more", n=n, limit=LISTED_PER_KIND),
                            file=file, sheet=sheet, column=column)  # fmt: skip
    return attrs.evolve(line, unlisted=n)


def capped(problems: Sequence[InputProblem]) -> list[InputProblem]:
    """``problems`` of one kind listed up to :data:`LISTED_PER_KIND`, then one line
    counting the rest (:func:`more_problems`).

    >>> from evalkit.errors import InputError
    >>> e = InputError(capped([InputProblem(f"unit {i} twice") for i in range(500)]))
    >>> e.count, len(e.problems), e.problems[-1].unlisted
    (500, 201, 300)
    """
    if len(problems) <= LISTED_PER_KIND:
        return list(problems)
    last = problems[LISTED_PER_KIND - 1]
    return [*problems[:LISTED_PER_KIND],
            more_problems(len(problems) - LISTED_PER_KIND, file=last.file, sheet=last.sheet,
                          column=last.column)]  # fmt: skip


class Problems:
    """Collects the problems of one input frame, each located by row label and staff id.

    ``row_offset`` is added to integer row labels (e.g. 2 when index 0 is row 2 of a sheet
    below its header); string labels (a ``staff_id`` index) are shown as given; the rows
    of a results file read back at their records' places in the file (the
    :data:`evalkit._tables.RECORD` column), as its reader names them. The staff
    id comes from the ``id_column`` column, else from the index level of that name; with
    ``id_column="unit_id"`` (a units frame) it is the problem's ``unit_id``.
    Problems appended to :attr:`problems` directly count as whole-frame problems.

    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"kpi": [50, 120]}, index=pd.Index(["A", "B"], name="staff_id"))
    >>> found = Problems(df, file="in.csv")
    >>> found.add(np.array([False, True]), "kpi", df["kpi"], "exceeds its maximum 100")
    >>> print(found.problems[0])
    in.csv, row 'B', staff 'B', column 'kpi', value 120: exceeds its maximum 100
    """

    __slots__ = ("_frame", "_id_column", "_index", "_n", "_positions", "file", "problems",
                 "row_offset", "sheet")

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        file: str | None = None,
        sheet: str | None = None,
        id_column: str = "staff_id",
        row_offset: int = 0,
    ) -> None:
        self.file = file
        self.sheet = sheet
        self.row_offset = row_offset
        self.problems: list[InputProblem] = []
        self._positions: list[int] = []
        self._n = len(frame)
        # a results file's records at their place in the file (evalkit._tables.RECORD)
        self._index = (pd.Index(frame[_tables.RECORD]) if _tables.RECORD in frame.columns
                       else frame.index)  # fmt: skip
        self._frame = frame  # its ids are read only when a problem is added
        self._id_column = id_column

    def _ids(self) -> pd.Series[Any] | pd.Index[Any] | None:
        return ids_of(self._frame, self._id_column)

    def add(
        self,
        mask: npt.NDArray[np.bool_],
        column: str,
        values: npt.NDArray[Any] | pd.Series[Any],
        message: str,
    ) -> None:
        """One problem per True row of ``mask``, with that row's ``values`` item as typed."""
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != (self._n,):
            raise ValueError(f"mask has shape {mask.shape}, expected ({self._n},)")
        self.add_rows(np.flatnonzero(mask), column, values, message)

    def add_rows(
        self,
        rows: npt.NDArray[np.intp],
        column: str,
        values: npt.NDArray[Any] | pd.Series[Any],
        message: str,
    ) -> None:
        """One problem per row position in ``rows`` (see :meth:`add`): the first
        :data:`LISTED_PER_KIND`, then one line saying how many more rows have it
        (:func:`more_rows`), so the count stays true."""
        if rows.size == 0:
            return
        rows = np.asarray(rows)
        if rows.size > LISTED_PER_KIND:
            self.add_rows(rows[:LISTED_PER_KIND], column, values, message)
            self.problems.append(more_rows(rows.size - LISTED_PER_KIND, message,
                                           file=self.file, sheet=self.sheet, column=column))
            self._positions.append(int(rows[LISTED_PER_KIND - 1]))
            return
        picked = _pick(values, rows)
        labels = self._index[rows].tolist()
        col = self._ids()
        ids = _pick(col, rows) if col is not None else [None] * rows.size
        unit = self._id_column == "unit_id"  # a units frame: the row's record is a unit
        for pos, label, sid, value in zip(rows.tolist(), labels, ids, picked, strict=True):
            self.problems.append(InputProblem(
                message, self.file, self.sheet, self._row(label), column, _plain(value),
                None if unit else _staff(sid), unit_id=_staff(sid) if unit else None))
            self._positions.append(pos)

    def add_group(
        self,
        rows: npt.NDArray[np.intp],
        column: str,
        values: npt.NDArray[Any] | pd.Series[Any],
        message: str,
    ) -> None:
        """One problem for the rows in ``rows`` that share it and its cause (a rule set not
        in force in their period, a criterion column their set needs and the frame lacks:
        a problem of the group, not of each person): its file, sheet, column and the first
        row's value, and a sentence naming how many rows and the first of them
        (:func:`alike`); a single row is said as :meth:`add_rows` says it."""
        rows = np.asarray(rows)
        if rows.size <= 1:
            self.add_rows(rows, column, values, message)
            return
        col = self._ids()
        ids = _pick(col, rows[:SHOWN_ALIKE]) if col is not None else []
        labels = [self._row(x) for x in self._index[rows[:SHOWN_ALIKE]].tolist()]
        said = alike(message, int(rows.size), labels, [_staff(x) for x in ids])
        first = _pick(values, rows[:1])[0]
        self.problems.append(messages.problem(said, file=self.file, sheet=self.sheet,
                                              column=column, value=_plain(first)))  # fmt: skip
        self._positions.append(int(rows[0]))

    def add_more(self, n: int, column: str | None = None) -> None:
        """A line counting ``n`` more problems of a kind that are not listed (each listed
        one said with its own value): :func:`more_problems`, after the listed ones."""
        if n > 0:
            self.problems.append(more_problems(n, file=self.file, sheet=self.sheet,
                                               column=column))  # fmt: skip
            self._positions.append(max(self._positions, default=-1))

    def add_frame(self, message: str, *, column: str | None = None, value: object = None) -> None:
        """A problem of the whole frame (no row), e.g. a missing required column."""
        self.problems.append(
            InputProblem(message, self.file, self.sheet, None, column, value)
        )  # fmt: skip
        self._positions.append(-1)

    def extend(self, other: Problems, rows: npt.NDArray[np.intp]) -> None:
        """The problems ``other`` found in the rows ``rows`` of this frame (``other``'s
        frame: those rows, in that order), kept at those rows' places."""
        self.problems += other.problems
        self._positions += [int(rows[p]) if p >= 0 else -1 for p in other._positions]

    def in_order(self) -> list[InputProblem]:
        """The problems sorted by row order in the frame (whole-frame problems first)."""
        pos = self._positions + [-1] * (len(self.problems) - len(self._positions))
        order = sorted(range(len(self.problems)), key=lambda k: (pos[k], k))
        return [self.problems[k] for k in order]

    def raise_if_any(self) -> None:
        """Raise one :class:`~evalkit.errors.InputError` listing every problem, in row order."""
        if self.problems:
            raise InputError(self.in_order())

    def _row(self, label: Any) -> int | str | None:
        return row_label(label, self.row_offset)

    def __repr__(self) -> str:
        return f"<Problems: {len(self.problems)} in {self._n} rows>"


#: A column whose name starts with one of these is the user's own: kept untouched and never
#: read (``_note``, ``x_employee_no``); ``extra_columns=`` names others.
KEPT_PREFIXES = ("_", "x_")

#: The id a header names in brackets at its end — the month's workbook and its CSV
#: (``Mã nhân sự [staff_id]``): the column the command line reads it as.
HEADER_ID = re.compile(r"\[\s*([A-Za-z0-9_.\-]+)\s*\]\s*$")



def did_you_mean(value: str, known: Sequence[str]) -> str:
    """``"; did you mean 'x'?"`` for the (up to two) ids of ``known`` closest to ``value``,
    or ``""``: the suggestion an unknown id's problem ends with.

    >>> did_you_mean("ban_chi_dao", ["ban_chi_dao_tinh", "hdnd"])
    "; did you mean 'ban_chi_dao_tinh'?"
    """
    close = closest_ids(value, known, 2)
    return f"; did you mean {' or '.join(repr(x) for x in close)}?" if close else ""


def closest_ids(value: str, known: Iterable[str], n: int) -> list[str]:
    """Up to ``n`` ids of ``known`` closest to ``value``: first the same id but for its
    leading zeros (001 typed in a General cell is the number 1), else the closest spelt.

    >>> closest_ids("001", ["003", "1", "002"], 1), closest_ids("CV-1", ["CV-2", "TP"], 1)
    (['1'], ['CV-2'])
    """
    known = list(known)
    same = [k for k in known if k != value and k.lstrip("0") == value.lstrip("0")]
    return same[:n] or difflib.get_close_matches(value, known, n=n)

def unknown_columns(
    frame: pd.DataFrame,
    found: Problems,
    *,
    known: Collection[str],
    meant: Iterable[str],
    kind: str,
    ids: str = "",
    extra: Iterable[str] = (),
    also_known: Callable[[str], bool] | None = None,
) -> None:
    """Report to ``found`` every column of ``frame`` that is not ``known`` (nor in
    ``extra``, nor starting with :data:`KEPT_PREFIXES`, nor accepted by ``also_known``),
    one whole-frame problem each, with a "did you mean" suggestion among ``meant``: the
    same name ignoring case, accents and separators, else the closest one. ``kind`` is the
    frame's (``"staff"``: a staff-period frame under the rule sets ``ids``; ``"units"``),
    for the sentence of :mod:`evalkit.messages` that says what the column is not. The one check
    behind the staff-period frames (:func:`evalkit.scoring.check_columns`) and the units
    frame of :func:`evalkit.classify_frame`: a value under a misspelt header would
    otherwise be ignored.

    >>> df = pd.DataFrame({"unit_id": ["U"], "Tasks_Done": [3], "_note": ["x"]})
    >>> found = Problems(df)
    >>> unknown_columns(df, found, known={"unit_id", "tasks_done"}, meant={"tasks_done"},
    ...                 kind="units")
    >>> print(found.problems[0].message)  # doctest: +ELLIPSIS
    unknown column 'Tasks_Done' (did you mean 'tasks_done'?): it is not a column of ...
    """
    extra = set(extra)
    folded: dict[str, str] = {}  # the names meant, folded once an unknown column is met
    for col in frame.columns:
        name = col if isinstance(col, str) else None
        if name is not None and (name in known or name in extra or name.startswith(KEPT_PREFIXES)
                                 or (also_known is not None and also_known(name))):  # fmt: skip
            continue
        if not folded:
            for k in sorted(meant):
                folded.setdefault(_fold(k), k)
        text = str(col)
        key = _fold(text)
        # a template's header read by pandas names its id in brackets: that id is meant
        said_id = h.group(1) if (h := HEADER_ID.search(text)) else None
        if said_id is not None and (said_id in known or said_id in extra or (
                also_known is not None and also_known(said_id))):  # fmt: skip
            close = [said_id]
        else:
            close = [folded[key]] if key in folded else [
                folded[m] for m in difflib.get_close_matches(key, list(folded), n=1,
                                                             cutoff=0.75)]  # fmt: skip
        key = f"foreign.input.unknown_{kind}" + ("_meant" if close else "")
        said = messages.text(key, "en", column=repr(text), meant=repr(close[:1] and close[0]),
                             ids=ids)  # fmt: skip
        found.add_frame(said, column=text)


def require(frame: pd.DataFrame, names: Sequence[str], what: str) -> None:
    """Raise one :class:`~evalkit.errors.InputError` naming every column of ``names`` that
    ``frame`` lacks (``what`` names the frame: "the roll-up", "the units frame" …); one
    naming what was given when ``frame`` is not a DataFrame at all."""
    need_frame(frame, what)
    found = Problems(frame)
    missing(frame, names, what, found)
    found.raise_if_any()


def missing(frame: pd.DataFrame, names: Sequence[str], what: str, found: Problems) -> None:
    """Add to ``found`` a whole-frame problem for every column of ``names`` that ``frame``
    lacks, said as :func:`require` says it: with the frame's other problems, where its
    other columns can be read without them."""
    for c in names:
        if c not in frame.columns:
            found.add_frame(f"{what} needs a {c!r} column", column=c)


def with_columns(frame: pd.DataFrame, columns: Mapping[str, Any]) -> pd.DataFrame:
    """``frame`` with ``columns`` set, built once: a column it has is replaced, the new ones
    are joined as one frame, never inserted one by one into the caller's frame (a frame
    from ``pd.read_csv`` holds a block per column, where each insert warns that the frame
    is highly fragmented). ``frame`` itself is not changed."""
    have = {c: v for c, v in columns.items() if c in frame.columns}
    new = {c: v for c, v in columns.items() if c not in frame.columns}
    out = frame.assign(**have) if have else frame
    return pd.concat([out, pd.DataFrame(new, index=frame.index)], axis=1) if new else out


def ids_of(frame: pd.DataFrame, id_column: str = "staff_id") -> pd.Series[Any] | pd.Index[Any] | None:
    """The ids of ``frame``'s rows: its ``id_column`` column (the first of a header written
    twice), else its index level of that name (a frame indexed by ``staff_id``, as
    :func:`evalkit.score_frame` takes it), else None."""
    if id_column in frame.columns:
        col: Any = frame[id_column]
        return col.iloc[:, 0] if isinstance(col, pd.DataFrame) else col
    if id_column in frame.index.names:
        return frame.index.get_level_values(id_column)
    return None


def with_index_ids(frame: pd.DataFrame, id_column: str = "staff_id") -> pd.DataFrame:
    """``frame`` with its ``id_column`` column read from its index (:func:`ids_of`) where it
    is no column, the index kept: the ids every door reads, given either way; ``frame``
    itself otherwise."""
    if id_column in frame.columns or id_column not in frame.index.names:
        return frame
    ids = frame.index.get_level_values(id_column)
    return with_columns(frame, {id_column: pd.Series(ids.array, index=frame.index)})


def need_frame(frame: object, what: str) -> None:
    """Raise an :class:`~evalkit.errors.InputError` when ``frame`` is not a pandas
    DataFrame (a dict or a list of rows given where a frame is expected), or names a column
    twice (every door would read one of the two, or crash on both).

    >>> need_frame({"staff_id": ["A"]}, "the staff-month frame")
    Traceback (most recent call last):
    ...
    evalkit.errors.InputError: 1 problem in the input:
      - the staff-month frame must be a pandas DataFrame, not dict (pd.DataFrame(...) makes one)
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError([InputProblem(
            f"{what} must be a pandas DataFrame, not {type(frame).__name__} "
            "(pd.DataFrame(...) makes one)")])  # fmt: skip
    names = list(frame.columns)  # a column given twice: which one counts is no door's guess
    if len(set(names)) < len(names):
        raise InputError([messages.problem(messages.msg(
            "problem.frame.column_twice", column=str(c), times=names.count(c), what=what),
            column=str(c)) for c in dict.fromkeys(c for c in names if names.count(c) > 1)])


def refuse(frame: pd.DataFrame, mask: Any, column: str, message: str) -> None:
    """Raise naming each row of ``frame`` where ``mask`` holds (its label, staff id and
    ``column``'s value; the first :data:`LISTED_PER_KIND` rows, then how many more), if any."""
    rows = np.flatnonzero(np.asarray(mask, dtype=bool))
    if rows.size:
        found = Problems(frame)
        found.add_rows(rows, column, frame[column], message)
        found.raise_if_any()


def in_row_order(frame: pd.DataFrame, problems: list[InputProblem]) -> list[InputProblem]:
    """``problems`` sorted by the frame's row order (problems of the whole frame first; a
    row label the frame cannot place keeps its place after the others)."""
    if not frame.index.is_unique:
        return problems
    labels = pd.Index([p.row for p in problems], dtype=object)
    found = np.asarray(frame.index.get_indexer(labels), dtype=np.int64)
    key = np.where([p.row is None for p in problems], -1,
                   np.where(found >= 0, found, len(frame)))  # fmt: skip
    return [problems[k] for k in np.argsort(key, kind="stable").tolist()]


def _pick(values: Any, rows: npt.NDArray[np.intp]) -> list[Any]:
    if isinstance(values, pd.Series | pd.Index):
        picked = values.take(rows) if isinstance(values, pd.Index) else values.iloc[rows]
        return list(picked.tolist())
    arr = np.asarray(values)
    if arr.dtype.kind in "mM":
        return list(pd.Series(arr[rows]).tolist())
    return list(arr[rows].tolist())


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return None if _is_blank(value) else value


def _staff(value: Any) -> str | None:
    if _is_blank(value):
        return None
    return _clean(_as_text(value)) or None


def clean_text(value: Any) -> str | None:
    """One value as :func:`text` reads a cell: NFC-normalised, stripped, None when blank."""
    return _staff(value)


# =========================================================================== helpers


def row_label(label: Any, offset: int = 0) -> int | str | None:
    """A row's label as an :class:`~evalkit.errors.InputProblem` names it: an integer label
    as a number (plus ``offset``: 2 when label 0 is row 2 of a sheet), any other label —
    a ``staff_id`` index, a date — as its text, a blank label as None."""
    if isinstance(label, int | np.integer) and not isinstance(label, bool | np.bool_):
        return int(label) + offset
    return None if _is_blank(label) else str(label)


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, np.generic):
        return str(value.item())
    return str(value)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _column(frame: pd.DataFrame, name: str, problems: Problems) -> pd.Series[Any] | None:
    if name not in frame.columns:
        return None
    col: Any = frame[name]
    if isinstance(col, pd.DataFrame):  # a header written twice
        problems.add_frame(
            f"column {name!r} appears {col.shape[1]} times; the first is read", column=name
        )
        col = col.iloc[:, 0]
    series: pd.Series[Any] = col
    return series


def refuse_unhashable(col: pd.Series[Any]) -> None:
    """:class:`InputError` naming each cell of ``col`` that holds a list, a dict or a set
    (what a frame of nested JSON records can hold), its row label, column and value — called
    where hashing the column failed, so that no door ends in a TypeError."""
    bad = col[~col.map(lambda v: isinstance(v, Hashable)).to_numpy(dtype=bool)]
    if len(bad):
        said = {"list": "danh sách", "dict": "từ điển", "set": "tập hợp"}
        raise InputError([messages.problem(messages.msg("problem.not_a_cell_value", kind=(
                                               messages.Words(said.get(type(v).__name__,
                                                                       type(v).__name__),
                                                              type(v).__name__))),
                                           row=label if isinstance(label, int | str) else None,
                                           column=None if col.name is None else str(col.name),
                                           value=repr(v))
                          for label, v in bad.items()])  # fmt: skip


#: The factorisations of Arrow-backed columns, by their Arrow data (immutable: a column set
#: anew holds new data), kept while the data lives: a column read by several steps (the
#: staff ids by the month, then by the year, its results' column the same data) is hashed once.
_FACTORIZED: dict[tuple[int, str], tuple[Any, Any, Any]] = {}


def _kept_of(col: Any, what: str, compute: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
    """``compute()``, kept for an Arrow-backed column while its data lives (:data:`_FACTORIZED`;
    ``what`` names the reading); its arrays copied out each time: a caller may write to its own."""
    arrow: Any = col.array if isinstance(col, pd.Series) and getattr(
        col.dtype, "storage", None) == "pyarrow" else None  # fmt: skip
    if arrow is None:
        return compute()
    data = arrow.__arrow_array__()
    key = (id(data), what)
    if (hit := _FACTORIZED.get(key)) is None or hit[0]() is not data:
        # forgotten with the data (an id is reused only once the data is freed)
        hit = _FACTORIZED[key] = (weakref.ref(data, lambda _r: _FACTORIZED.pop(key, None)),
                                  *compute())  # fmt: skip
    return tuple(x.copy() if isinstance(x, np.ndarray) else x for x in hit[1:])


def factorize(col: pd.Series[Any] | npt.NDArray[Any], **kwargs: Any) -> tuple[Any, Any]:
    """:func:`pandas.factorize` of ``col``; a cell that cannot be hashed (a list, a dict) is
    refused with its row and column (:func:`refuse_unhashable`), never a TypeError."""
    try:
        codes, uniq = _kept_of(col, repr(sorted(kwargs.items())),
                               lambda: pd.factorize(col, **kwargs))  # fmt: skip
    except TypeError:
        if isinstance(col, pd.Series):
            refuse_unhashable(col)
        raise
    return codes, uniq


def _distinct(col: pd.Series[Any]) -> tuple[npt.NDArray[np.intp], list[Any]]:
    """Integer codes (-1 = missing) and the distinct values of ``col``, as Python scalars.

    Parsing once per distinct value keeps the readers vectorised. In an ``object`` column
    mixing yes/no values with numbers, ``True`` and ``1`` stay distinct (a hash table would
    merge them).
    """
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = np.asarray(col.cat.codes.to_numpy(), dtype=np.intp)
        return codes, list(col.cat.categories.tolist())
    if col.dtype == object and pd.api.types.infer_dtype(col, skipna=True) in (
            "decimal", "mixed", "mixed-integer"):  # Decimal('NaN') beside 85: mixed-integer
        col = _decimal_nans(col)
    raw_codes, uniq = factorize(col, use_na_sentinel=True)
    codes = np.asarray(raw_codes, dtype=np.intp)
    values = list(uniq.tolist())
    if col.dtype == object and pd.api.types.infer_dtype(col, skipna=True) in (
        "mixed",
        "mixed-integer",
    ):
        is_bool = col.map(type).isin([bool, np.bool_]).to_numpy(dtype=bool)
        if is_bool.any() and not is_bool.all():
            key = np.where(codes >= 0, codes + is_bool * len(values), -1)
            uniq_keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            inverse = inverse.reshape(-1)
            if uniq_keys[0] < 0:
                codes = inverse - 1
                first = first[1:]
            else:
                codes = inverse
            values = list(col.iloc[first].tolist())
    return codes, values


def _decimal_nans(col: pd.Series[Any]) -> pd.Series[Any]:
    """``col`` with each ``Decimal`` NaN, quiet or signaling, as the text ``"NaN"``: pandas
    takes Decimal('NaN') for a blank and cannot hash Decimal('sNaN'); the number reader
    says of both what it says of ``"NaN"``, "is not a finite number"."""
    values = col.to_numpy(dtype=object)
    odd = np.fromiter((isinstance(v, decimal.Decimal) and v.is_nan() for v in values),
                      dtype=bool, count=len(values))  # fmt: skip
    if not odd.any():
        return col
    values = values.copy()
    values[odd] = "NaN"
    return pd.Series(values, index=col.index, dtype=object)


def _lookup(lut: npt.NDArray[Any], missing: Any, codes: npt.NDArray[np.intp]) -> npt.NDArray[Any]:
    """``lut[codes]`` with ``missing`` where the code is -1."""
    if lut.dtype.kind == "i" and missing == -1 and np.array_equal(lut, np.arange(len(lut))):
        return codes.astype(lut.dtype)  # each code its own value (one period): a cast
    table = np.empty(len(lut) + 1, dtype=lut.dtype)
    table[: len(lut)] = lut
    table[-1] = missing
    return table[codes]


def _report(
    problems: Problems,
    codes: npt.NDArray[np.intp],
    errors: Sequence[str | None],
    name: str,
    col: pd.Series[Any],
) -> npt.NDArray[np.bool_]:
    """Report the rows whose distinct value has an error; return the mask of those rows."""
    bad_any = np.zeros(len(codes), dtype=bool)
    by_message: dict[str, list[int]] = {}
    for k, err in enumerate(errors):
        if err is not None:
            by_message.setdefault(err, []).append(k)
    for message, ks in by_message.items():
        mask = np.isin(codes, np.asarray(ks, dtype=np.intp))
        problems.add(mask, name, col, message)
        bad_any |= mask
    return bad_any


def _is_bool_dtype(dtype: Any) -> bool:
    return bool(pd.api.types.is_bool_dtype(dtype)) and not isinstance(dtype, pd.CategoricalDtype)


def _is_plain_numeric(dtype: Any) -> bool:
    """ints/floats (numpy, nullable or Arrow), not bool, not categorical."""
    return (
        bool(pd.api.types.is_numeric_dtype(dtype))
        and not _is_bool_dtype(dtype)
        and not isinstance(dtype, pd.CategoricalDtype)
        and not pd.api.types.is_complex_dtype(dtype)
    )


def _floats(col: pd.Series[Any]) -> FloatArray:
    """The column as float64; a narrower float column (float32 of NumPy, nullable or Arrow)
    as the numbers it shows: float32 holds 89.99 as 89.98999786, whose mean with 90 would
    round to 89.99, not 90.00 as from the 89.99 typed."""
    arr = np.asarray(col.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
    narrow = getattr(col.dtype, "numpy_dtype", col.dtype)
    if isinstance(narrow, np.dtype) and narrow.kind == "f" and narrow.itemsize < 8:
        arr = arr.astype(narrow).astype(str).astype(np.float64)  # its shortest decimal text
    return arr


# =========================================================================== text


def text(
    frame: pd.DataFrame, name: str, problems: Problems, *, required: bool = False
) -> ObjectArray:
    """The column as ``str`` or None: NFC-normalised and stripped; blank cells are None.

    Numbers become their text (``42`` and ``42.0`` → ``'42'``). With ``required`` a missing
    column and every blank cell are problems.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"name": [" Nguyễn An ", "", None]})
    >>> text(df, "name", Problems(df)).tolist()
    ['Nguyễn An', None, None]
    """
    n = len(frame)
    col = _column(frame, name, problems)
    if col is None:
        if required:
            problems.add_frame(f"the required column {name!r} is missing", column=name)
        return np.full(n, None, dtype=object)
    codes, values = _distinct(col)
    lut = np.empty(len(values), dtype=object)
    lut[:] = [_clean(_as_text(v)) or None for v in values]
    out = _lookup(lut, None, codes)
    if required:
        blank = np.asarray(pd.isna(out), dtype=bool)
        if blank.any():
            problems.add(blank, name, col, "is blank; a value is required")
    return out


# =========================================================================== numbers


def numbers(
    frame: pd.DataFrame,
    name: str,
    problems: Problems,
    *,
    default: float = np.nan,
    minimum: float | npt.NDArray[np.floating[Any]] | None = None,
    maximum: float | npt.NDArray[np.floating[Any]] | None = None,
    integer: bool = False,
    percent: bool = False,
) -> FloatArray:
    """The column as float64; blank cells (and a missing column) get ``default``.

    ``minimum`` and ``maximum`` may be one number or one per row (a position's own maximum,
    each row's rule set's range). Every cell that is not a finite number, is below
    ``minimum``, above ``maximum``, (with ``integer``) not whole or (with ``percent``, a
    0-100 percentage) a number strictly between 0 and 1 typed without a percent sign (0.95
    for 95 %: the rule every door shares, :func:`evalkit._words.percent_fraction`) is a
    problem and gets ``default``.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"so_luong": ["90", " 85,5 ", "", "1.234,5"]})
    >>> found = Problems(df)
    >>> numbers(df, "so_luong", found, default=0.0).tolist()
    [90.0, 85.5, 0.0, 0.0]
    >>> print(found.problems[0])  # doctest: +NORMALIZE_WHITESPACE
    row 3, column 'so_luong', value '1.234,5': is not a number: write it without thousands
    separators, with one ',' or '.' before the decimals (90,5 or 90.5)
    """
    n = len(frame)
    col = _column(frame, name, problems)
    if col is None:
        return np.full(n, default, dtype=np.float64)
    if _is_plain_numeric(col.dtype):
        arr = _floats(col)
        # a finite sum: no infinity (nor NaN) in the column, without a mask of each cell
        with np.errstate(invalid="ignore", over="ignore"):  # inf - inf, an overflow
            finite = bool(np.isfinite(np.add.reduce(arr))) if n else True
        bad: Any = False  # no cell refused yet (a mask once one is)
        inf = None if finite else np.isinf(arr)
        if inf is not None and inf.any():
            problems.add(inf, name, col, NOT_FINITE)
            arr, bad = np.where(inf, np.nan, arr), inf
        if percent:
            frac = (arr > 0) & (arr < 1)
            if frac.any():
                for x in np.unique(arr[frac]):  # one message per distinct value
                    here = frac & (arr == x)
                    problems.add(here, name, col, str(_percent_fraction(float(x), float(x))))
                bad = bad | frac
    elif _is_bool_dtype(col.dtype):
        bad = col.notna().to_numpy(dtype=bool)
        problems.add(bad, name, col, YES_NO_NOT_NUMBER)
        arr = np.full(n, np.nan)
    else:
        codes, values = _distinct(col)
        parsed = [_number_of(v) for v in values]
        lut = np.array([x for x, _ in parsed], dtype=np.float64)
        arr = _lookup(lut, np.nan, codes)
        why = [e if e is not None or not percent else _percent_fraction(v, x)
               for v, (x, e) in zip(values, parsed, strict=True)]  # fmt: skip
        bad = _report(problems, codes, why, name, col)
    if minimum is not None:
        mn = np.broadcast_to(np.asarray(minimum, dtype=np.float64), (n,))
        low = arr < mn
        if low.any():
            for m in np.unique(mn[low]):  # one message per distinct minimum
                problems.add(low & (mn == m), name, col, "is negative" if m == 0
                             else f"is below its minimum {_fmt(m)}")  # fmt: skip
            bad = bad | low
    if maximum is not None:
        mx = np.broadcast_to(np.asarray(maximum, dtype=np.float64), (n,))
        high = arr > mx + 1e-9
        if high.any():
            for m in np.unique(mx[high]):  # one message per distinct maximum
                problems.add(high & (mx == m), name, col, f"exceeds its maximum {_fmt(m)}")
            bad = bad | high
    if integer:
        frac = np.isfinite(arr) & (arr != np.floor(arr))
        if frac.any():
            problems.add(frac, name, col, "is not a whole number")
            bad = bad | frac
    if bad is False and np.isnan(default):
        # nothing refused, blanks stay NaN: the column as it is, no copy (read-only, so a
        # caller can never write through to the user's frame)
        arr = arr.view()
        arr.flags.writeable = False
        return arr
    return np.where(np.isnan(arr) | bad, default, arr)


def number_cells(col: pd.Series[Any]) -> tuple[FloatArray, BoolArray]:
    """One column read as :func:`numbers` reads it (``"1,5"`` is 1.5), for a reader that
    words its own problems (the product and task tables): the floats (NaN where blank or
    refused) and the mask of the cells given that are no finite number.

    >>> import pandas as pd
    >>> x, bad = number_cells(pd.Series(["1,5", "", "abc", 2], dtype=object))
    >>> x.tolist()[:2], bad.tolist()
    ([1.5, nan], [False, False, True, False])
    """
    frame = pd.DataFrame({"v": col.array})  # by position
    scratch = Problems(frame)
    num = np.array(numbers(frame, "v", scratch), dtype=np.float64, copy=True)
    given = np.asarray(pd.notna(text(frame, "v", scratch)), dtype=bool)
    return num, given & np.isnan(num)


#: The largest figure of a unit (a task count, bonus or deduction points) any door reads
#: (:func:`unit_value_rules`): a larger one is refused, so that a year's sums of months,
#: and their shares × 100, stay finite.
UNIT_MOST = 1e15
#: A unit's task count and the count it cannot exceed (:func:`unit_value_rules`).
UNIT_BOUNDS = {"tasks_done": "tasks_assigned", "tasks_on_time": "tasks_done",
               "tasks_exceeded": "tasks_done"}  # fmt: skip


def unit_value_rules(cols: Mapping[str, FloatArray]) -> list[tuple[BoolArray, str, str]]:
    """Every impossible figure of a unit (``cols``: its input columns as floats, NaN where
    blank): ``(rows, column, catalogue key)``, each said with ``column=`` and ``field=`` the
    column. The one check of a unit's figures at every door: the workbook's units sheet
    (:mod:`evalkit.io.workbook`, located on its cell), a units frame and the unit results
    of the year (:mod:`evalkit._classify`), :class:`evalkit.units.UnitInputs`
    (:func:`value_problems`). A score is out of 100, no other figure above
    :data:`UNIT_MOST`; a count is whole; a task count is at most its bound
    (:data:`UNIT_BOUNDS`); ``score`` is the old name of ``council_score``, not both."""
    out: list[tuple[BoolArray, str, str]] = []
    nan = np.full(len(next(iter(cols.values()), ())), np.nan)  # a column absent
    for c, arr in cols.items():
        hundred = c in ("cross_score", "satisfaction", "reform_index", "score", "council_score",
                        "self_score") or c.startswith("body_")  # fmt: skip
        out += [(arr < 0, c, "foreign.amend.negative"), (arr > 100, c, "foreign.unit.over_hundred")
                if hundred else (arr > UNIT_MOST, c, "foreign.unit.too_large")]
        if c.startswith("tasks_") or c in ("inspection_findings", "staff_total"):
            out.append((np.floor(arr) < arr, c, "foreign.unit.not_whole"))
    for c, lim in UNIT_BOUNDS.items():  # a count above its bound ("tasks_" + word), a
        bound = cols.get(lim, nan)  # negative bound said as negative only
        out.append(((cols.get(c, nan) > bound) & (bound >= 0), c, f"foreign.unit.over_{lim[6:]}"))
    both = ~np.isnan(cols.get("score", nan)) & ~np.isnan(cols.get("council_score", nan))
    out.append((both, "score", "foreign.unit.score_twice"))
    return [(m, c, k) for m, c, k in out if m.any()]


def value_problems(cols: Mapping[str, FloatArray]) -> list[tuple[BoolArray, str, str]]:
    """:func:`unit_value_rules` as ``(rows, column, its English sentence)``: the frame and
    object doors add the period (and the object its unit) to the one sentence."""
    return [(m, c, messages.text(k, "en", column=c, field=c)) for m, c, k in unit_value_rules(cols)]


#: A frame attribute (``frame.attrs``) set by a reader of cells that knows each cell's
#: format (the workbook and CSV readers, the archive's checked inputs): its percentages
#: were checked for a fraction typed for a percentage there, where a cell formatted as a
#: percentage may hold 0.5 %; a frame door does not check them again.
PERCENT_READ = "evalkit.percent_read"


def months_worked(frame: pd.DataFrame, problems: Problems) -> FloatArray:
    """The ``months_worked`` column: a number of months from 0 to the months of the row's
    period (a month 1, a quarter 3, a year 12; 12 where the period is unreadable, which is
    reported on its own) and the months carried into it (``carried_months``, a customs
    quarter's roll-up: CV 21169/CHQ-TCCB), as :class:`evalkit.model.Assessment` reads it;
    NaN where blank.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": ["2026-Q1", "2026-03"], "months_worked": ["1,5", 2]})
    >>> found = Problems(df)
    >>> months_worked(df, found).tolist()
    [1.5, nan]
    >>> print(found.problems[0])
    row 1, column 'months_worked', value 2: exceeds its maximum 1
    """
    most = period_months(frame)
    if "carried_months" in frame.columns:  # read alone: a bad count is its own column's problem
        most = most + np.nan_to_num(numbers(frame, "carried_months", Problems(frame)))
    return numbers(frame, "months_worked", problems, minimum=0, maximum=most)


def carried_most(period: Period, since: Any = None) -> int:
    """The most months a quarter can carry in (CV 21169/CHQ-TCCB): its year's months before
    it — from ``since`` (a date: the quarterly set's first day) only, since a quarter before
    the set began was never evaluated under it, so never short (customs from Q3/2026: the
    months of 2026-Q1 and Q2 were NĐ 335/2025's, evaluated month by month); -1 for a period
    that is no quarter.

    >>> import datetime
    >>> [carried_most(Period.parse(q), datetime.date(2026, 7, 1)) for q in ("2026-Q3",
    ...  "2026-Q4", "2027-Q2")], carried_most(Period.parse("2026-Q3"))
    ([0, 3, 3], 6)
    """
    if period.kind != "quarter":
        return -1
    gone = 0 if since is None or since.year < period.year else \
        since.month - 1 if since.year == period.year else 12  # fmt: skip
    return max(0, 3 * (period.number - 1) - gone)


def carried_months(frame: pd.DataFrame, problems: Problems, quarterly: BoolArray,
                   rules: Any = None) -> FloatArray:  # fmt: skip
    """The ``carried_months`` column (NaN where blank): the months of a short quarter counted
    in the row's quarter (CV 21169/CHQ-TCCB: one month or less worked there, not evaluated,
    carried to the next quarter of the same year), a whole number from 0 to the months of the
    year before the quarter; above 0 on a row that is no quarter, or whose rule set scores
    no quarters (``quarterly`` False), a problem; and so is more than the months of the year
    since ``rules`` (the rows' set) began (:func:`carried_most`: nothing carried into
    customs' first quarter, 2026-Q3), said with the set and its first day.

    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"period": ["2026-Q4", "2026-Q1", "2026-11"], "carried_months": 1})
    >>> found = Problems(df)
    >>> carried_months(df, found, np.array([True, True, True])).tolist()
    [1.0, nan, nan]
    >>> [p.message[:31] for p in found.problems]  # Q1: none before it; a month: no quarter
    ['exceeds its maximum 0', 'carried_months is for a quarter']
    """
    n = len(frame)
    if "carried_months" not in frame.columns:
        return np.full(n, np.nan)
    codes, labels = periods(frame, "period", Problems(frame)) if "period" in frame.columns \
        else (np.full(n, -1), [])  # (the period's problems: said apart)
    start = np.array([3 * (p.number - 1) if p.kind == "quarter" else -1
                      for p in map(Period.parse, labels)] + [-1], dtype=np.float64)[codes]
    out = numbers(frame, "carried_months", problems, minimum=0, integer=True,
                  maximum=np.where(start >= 0, start, np.inf))
    wrong = (out > 0) & ((start < 0) | ~np.asarray(quarterly, dtype=bool))  # (0: blank)
    problems.add(wrong, "carried_months", frame["carried_months"],
                 messages.text("foreign.carried_not_quarter", "en"))
    since: Any = getattr(rules, "effective_from", None)
    for k, p in enumerate(map(Period.parse, labels) if since is not None else ()):
        most = carried_most(p, since)
        early = ~wrong & (codes == k) & (out > most) & (out <= carried_most(p))
        if most >= 0 and early.any():  # (above the year's months: numbers said it)
            problems.add(early, "carried_months", frame["carried_months"], messages.text(
                "foreign.carried_before_set", "en", rules=rules.id, start=since.isoformat(),
                period=str(p), most=most))
            wrong = wrong | early
    return np.where(wrong, np.nan, out)


def counted_months(frame: pd.DataFrame, problems: Problems, rule_ids: npt.ArrayLike,
                   sets: Mapping[Any, Any]) -> dict[str, FloatArray]:  # fmt: skip
    """The ``months_worked`` and ``carried_months`` columns ``frame`` has, each row read
    under its own rule set (``rule_ids``: keys of ``sets``; a row of a set not in ``sets``
    is not read, NaN) — :func:`carried_months` with that set's quarters and first day, and
    :func:`months_worked` — as the results frames and the archive read them.

    >>> import evalkit.rules, pandas as pd
    >>> cq = "vn.customs-2026q"
    >>> df = pd.DataFrame({"period": ["2026-Q4", "2026-Q3", "2026-Q3"],
    ...                    "carried_months": 3, "rule_set": [cq, cq, "x"]})
    >>> found = Problems(df)
    >>> counted_months(df, found, df["rule_set"], {cq: evalkit.rules.get(cq)}
    ...                )["carried_months"].tolist()  # "x": not read
    [3.0, nan, nan]
    >>> [p.row for p in found.problems]  # nothing carried into customs' first quarter
    [1]
    """
    counts = [c for c in ("months_worked", "carried_months") if c in frame.columns]
    out = {c: np.full(len(frame), np.nan) for c in counts}
    ids = np.asarray(rule_ids, dtype=object)
    for rid, rs in sets.items() if counts else ():
        at = np.flatnonzero(ids == rid)
        sub = frame.take(at)
        found = Problems(sub, file=problems.file, sheet=problems.sheet,
                         id_column=problems._id_column, row_offset=problems.row_offset)
        if "carried_months" in out:
            quarterly = np.full(at.size, rs.carries_months)
            out["carried_months"][at] = carried_months(sub, found, quarterly, rs)
        if "months_worked" in out:
            out["months_worked"][at] = months_worked(sub, found)
        problems.extend(found, at)
    return out


def period_months(frame: pd.DataFrame) -> FloatArray:
    """The months of each row's ``period`` (a month 1, a quarter 3, a year 12; 12 where
    the period is missing or unreadable, which is reported on its own)."""
    if "period" not in frame.columns:
        return np.full(len(frame), 12.0)
    codes, labels = periods(frame, "period", Problems(frame))  # its problems: said apart
    lut = np.array([len(Period.parse(x).months()) for x in labels] + [12], dtype=np.float64)
    return np.asarray(lut[codes], dtype=np.float64)


# =========================================================================== yes/no


def booleans(
    frame: pd.DataFrame, name: str, problems: Problems, *, default: bool = False
) -> BoolArray:
    """The column as bool; blank cells (and a missing column) get ``default``.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"is_head": ["x", "", "Có", "không", None, "1"]})
    >>> booleans(df, "is_head", Problems(df)).tolist()
    [True, False, True, False, False, True]
    """
    n = len(frame)
    col = _column(frame, name, problems)
    if col is None:
        return np.full(n, default, dtype=bool)
    if col.dtype == bool:
        return np.asarray(col.to_numpy(), dtype=bool)
    if _is_bool_dtype(col.dtype):  # nullable boolean, Arrow bool
        return np.asarray(col.to_numpy(dtype=bool, na_value=default), dtype=bool)
    if _is_plain_numeric(col.dtype):
        arr = _floats(col)
        bad = ~np.isnan(arr) & (arr != 0) & (arr != 1)
        if bad.any():
            problems.add(bad, name, col, NOT_YES_NO)
        return np.where(np.isnan(arr) | bad, default, arr == 1)
    codes, values = _distinct(col)
    parsed = [_bool_of(v) for v in values]
    lut = np.array([b for b, _ in parsed], dtype=np.int8)
    coded = _lookup(lut, -1, codes)
    _report(problems, codes, [e for _, e in parsed], name, col)
    return np.where(coded < 0, default, coded == 1)


def yes_no_cells(col: pd.Series[Any]) -> tuple[BoolArray, BoolArray]:
    """One column read as :func:`booleans` reads it, for a reader that words its own
    problems (the task and product tables): the mask of the cells that say yes and the
    mask of those given that are neither yes nor no.

    >>> import pandas as pd
    >>> yes, bad = yes_no_cells(pd.Series(["Đúng", "sai", "", "maybe"], dtype=object))
    >>> yes.tolist(), bad.tolist()
    ([True, False, False, False], [False, False, False, True])
    """
    frame = pd.DataFrame({"v": col.array})  # by position
    scratch = Problems(frame)
    yes = booleans(frame, "v", scratch)
    no = ~booleans(frame, "v", scratch, default=True)
    blank = np.asarray(pd.isna(text(frame, "v", scratch)), dtype=bool)
    return yes, ~blank & ~yes & ~no


# =========================================================================== choices


def choice(
    frame: pd.DataFrame,
    name: str,
    problems: Problems,
    *,
    mapping: Mapping[str, int],
    default: int,
    numeric_range: tuple[int, int] | None = None,
    accepted: str | None = None,
) -> IntArray:
    """The column as int64 codes: names of ``mapping`` or whole numbers in ``numeric_range``.

    Names match ignoring case, accents and separators; blank cells (and a missing column)
    get ``default``; anything else is a problem listing the accepted names (or saying
    ``accepted``, a field's own sentence from the catalogue).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"level": ["Cao", "thap", "", 2]}, dtype=object)
    >>> choice(df, "level", Problems(df), mapping={"Thấp": 1, "Cao": 3}, default=0,
    ...        numeric_range=(0, 3)).tolist()
    [3, 1, 0, 2]
    """
    n = len(frame)
    col = _column(frame, name, problems)
    if col is None:
        return np.full(n, default, dtype=np.int64)
    table = _choices(mapping, numeric_range, accepted)
    if numeric_range is not None and n and isinstance(col.dtype, np.dtype) \
            and col.dtype.kind in "iu":  # fmt: skip
        ints = col.to_numpy()  # whole numbers, none blank: all in range is the usual case
        if ints.min() >= numeric_range[0] and ints.max() <= numeric_range[1]:
            return ints.astype(np.int64)
    if _is_plain_numeric(col.dtype):
        whole = isinstance(col.dtype, np.dtype) and col.dtype.kind in "iu"  # no blanks
        arr = col.to_numpy() if whole else _floats(col)
        if numeric_range is None:
            ok = np.zeros(n, dtype=bool)
        else:  # NaN compares False: a blank is never ok, and is not a problem either
            lo, hi = numeric_range
            ok = (arr >= lo) & (arr <= hi)
            if not whole:
                ok &= arr == np.floor(arr)
        if whole and ok.all():
            return arr.astype(np.int64)
        bad = ~ok if whole else ~ok & ~np.isnan(arr)
        if bad.any():
            problems.add(bad, name, col, table.accepted)
        return np.where(ok, arr, default).astype(np.int64)
    if _is_bool_dtype(col.dtype):
        bad = col.notna().to_numpy(dtype=bool)
        problems.add(bad, name, col, table.accepted)
        return np.full(n, default, dtype=np.int64)
    codes, values = _distinct(col)
    parsed = [table.of(v, default) for v in values]
    lut = np.array([c for c, _ in parsed], dtype=np.int64)
    _report(problems, codes, [e for _, e in parsed], name, col)
    return _lookup(lut, default, codes)


def discipline(frame: pd.DataFrame, name: str, problems: Problems) -> IntArray:
    """The column as Discipline levels 0-5 (0 when blank or missing); see :data:`DISCIPLINE_NAMES`.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"discipline": ["REPRIMAND", "khien_trach", "Khiển trách", "1",
    ...                                   "Giáng chức", None]})
    >>> discipline(df, "discipline", Problems(df)).tolist()
    [1, 1, 1, 1, 3, 0]
    """
    return choice(
        frame, name, problems, mapping=DISCIPLINE_NAMES, default=0,
        numeric_range=(0, max(Discipline)), accepted=str(messages.msg("foreign.discipline")),
    )  # fmt: skip


def leave(frame: pd.DataFrame, name: str, problems: Problems) -> IntArray:
    """The column as 0 (no leave) or 1 + a kind's index in :data:`LEAVE_KINDS`, read by
    :data:`LEAVE_NAMES`; a kind no door reads said as every door says it."""
    return choice(frame, name, problems, mapping=LEAVE_NAMES, default=0,
                  accepted=str(messages.msg("foreign.leave")))


#: Kinds of leave a month may carry (the year counts the months worked: NĐ 335/2025
#: Điều 21; the options of NĐ 90/2020 for maternity and absence).
LEAVE_KINDS = ("maternity", "sick", "absent")


def leave_scored(kind: IntArray, scored: BoolArray, quarter: BoolArray
                 ) -> Iterator[tuple[BoolArray, messages.Msg]]:  # fmt: skip
    """The rows on leave (``kind``: 0 = none, else 1 + an index of :data:`LEAVE_KINDS`, as
    :func:`leave` reads it) that are ``scored``, by kind of leave and of period (a month, or
    a ``quarter``), each with what every door says of them (``foreign.leave_scored``, the
    period named as it is): a period on leave has no score and is left out of the year (NĐ
    335/2025 Điều 21: the time actually worked), so a row with both contradicts itself."""
    for k, name in enumerate(LEAVE_KINDS, start=1):
        for span, rows in (("month", ~quarter), ("quarter", quarter)):
            yield scored & rows & (kind == k), messages.msg(
                "foreign.leave_scored", leave=messages.Words(messages.LEAVE_VI[name], name),
                period_kind=messages.msg(f"rules.period.{span}"))


def discipline_names(col: pd.Series) -> npt.NDArray[np.float64]:
    """Each cell's discipline level where the cell is one of :data:`DISCIPLINE_NAMES`
    (case, accents and separators ignored, as :func:`discipline` reads them), else NaN.
    The workbook's reader uses it, so the workbook and a frame accept the same names.

    >>> discipline_names(pd.Series(["KHIỂN TRÁCH", "giang_chuc", "2", None])).tolist()
    [1.0, 3.0, nan, nan]
    """
    table = _choices(DISCIPLINE_NAMES, None).table
    codes, values = _distinct(col)
    lut = np.full(len(values) + 1, np.nan)  # the last slot: blank cells (code -1)
    for i, v in enumerate(values):
        hit = table.get(_fold(_clean(v))) if isinstance(v, str) else None
        if hit is not None:
            lut[i] = hit
    return lut[codes]


def _grade_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for g in sorted(Grade, reverse=True):
        names[g.code] = g.value
        names[g.label_vi] = g.value
        names[g.label_vi.removesuffix(" nhiệm vụ")] = g.value  # "Hoàn thành tốt"
        names[g.label_en] = g.value
    return names


#: Names read as a :class:`~evalkit.model.Grade`: codes, Vietnamese and English labels.
GRADE_NAMES: Mapping[str, int] = _grade_names()
_GRADE_CATEGORIES = tuple(g.code for g in sorted(Grade))
_NATIONAL = frozenset(_fold(k) for k in GRADE_NAMES)


def grades(
    frame: pd.DataFrame,
    name: str,
    problems: Problems,
    *,
    labels: Sequence[Mapping[str, int]] = (),
    rule: npt.NDArray[np.integer[Any]] | None = None,
) -> npt.NDArray[np.int8]:
    """The column as Grade codes 0-3 (KHT..HTXS), -1 when blank or missing.

    Read are the codes, the numbers and :data:`GRADE_NAMES`, and, where the caller knows
    the row's rule set, the names its bands give the grades: ``labels`` holds one table per
    rule set (:attr:`evalkit.rules.RuleSet.grade_names`, Hà Nội's ``Loại B`` and
    ``Grade B``), ``rule`` each row's index into it (every row the first table when None;
    -1: no set, the national names only). A name of another row's set is no grade.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"grade": ["htxs", "Hoàn thành tốt nhiệm vụ", None, "1", "loại b"]})
    >>> grades(df, "grade", Problems(df), labels=[{"Loại B": 2}]).tolist()
    [3, 2, -1, 1, 2]
    """
    col = _column(frame, name, Problems(frame))  # a header written twice: said once, below
    if (
        col is not None
        and isinstance(col.dtype, pd.CategoricalDtype)
        and tuple(col.cat.categories.tolist()) == _GRADE_CATEGORIES
    ):  # the results' own GRADE_DTYPE: the codes are the grades
        return np.asarray(col.cat.codes.to_numpy(), dtype=np.int8)
    read = functools.partial(choice, name=name, problems=problems, default=-1,
                             numeric_range=(int(min(Grade)), int(max(Grade))))
    if col is None or not labels:
        return read(frame, mapping=GRADE_NAMES, accepted=str(grade_sentence({}))).astype(np.int8)
    _column(frame, name, problems)
    which = np.zeros(len(col), dtype=np.int64) if rule is None else np.asarray(rule)
    out = np.full(len(col), -1, dtype=np.int8)
    for k in np.unique(which).tolist():  # each row by its set's words (and refused naming them)
        rows = which == k
        part = pd.DataFrame({name: col if rows.all() else col.where(rows)}, index=frame.index)
        out[rows] = read(part, mapping=GRADE_NAMES if k < 0 else _with_set(labels[k]),
                         accepted=str(grade_sentence({} if k < 0 else labels[k])))[rows]
    return out


def grade_codes(values: pd.Series) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
    """Each value's grade as :func:`grades` reads a cell (-1: blank or no grade) and the
    values that are no grade: a stored or read-back grade column (the archive's check of
    its results, a results file's records and unit tables) read as every door reads a
    grade, refused with the one sentence (:func:`grade_sentence`). A value that is no text
    nor number (a list, a bool) is no grade.

    >>> codes, bad = grade_codes(pd.Series(["HTXS", "Hoàn thành tốt nhiệm vụ", 1, None,
    ...                                     "HTXS+", True], dtype=object))
    >>> codes.tolist(), bad.tolist()
    ([3, 2, 1, -1, -1, -1], [False, False, False, False, True, True])
    """
    obj = values.astype(object).to_numpy(dtype=object)
    types = pd.Series(obj, dtype=object).map(type)
    scalar = types.isin((str, int, float, np.str_, np.int64, np.float64)).to_numpy(dtype=bool)
    kept = obj.copy()
    kept[~scalar] = None
    part = pd.DataFrame({"grade": kept}, dtype=object)
    codes = grades(part, "grade", Problems(part))
    blank = np.asarray(pd.isna(obj), dtype=bool) if len(obj) else np.zeros(0, dtype=bool)
    text = types.isin((str, np.str_)).to_numpy(dtype=bool)
    if text.any():  # a text of spaces only is blank
        blank[text] = (pd.Series(obj[text], dtype=object).str.strip() == "").to_numpy(dtype=bool)
    return codes, ~blank & (codes < 0)


def grade_sentence(names: Mapping[str, int]) -> messages.Msg:
    """What every door says of a grade it does not read (``foreign.grade``): the codes and
    the rule set's own names of the grades among ``names`` (Hà Nội's ``Loại A``), best
    first."""
    own = [k for k, _g in sorted(names.items(), key=lambda x: -int(x[1]))
           if _fold(k) and _fold(k) not in _NATIONAL]  # fmt: skip
    return messages.grade_msg(own)


#: An :class:`~evalkit.model.Assessment`'s grades, as a staff frame names them.
ASSESSMENT_GRADES = {"proposed_grade": "self_grade", "manager_grade": "manager_grade",
                     "competent_grade": "competent_grade"}


def assessment_grades(a: Assessment | Mapping[str, object],
                      labels: Mapping[str, int]) -> dict[str, Grade | None]:  # fmt: skip
    """The grades of ``a`` (an assessment's, or named values such as an annual conclusion's
    ``self_grade``) by name, each read as :func:`grades` reads the cell of a row under the
    rule set whose names are ``labels`` (Hà Nội's ``"Loại B"`` is HTT); a word that set
    does not give a grade is refused (:class:`~evalkit.errors.ModelError` naming the
    field, the person and the words accepted)."""
    typed = {f: getattr(a, f) for f in ASSESSMENT_GRADES} if isinstance(a, Assessment) \
        else dict(a)  # fmt: skip
    frame = pd.DataFrame({f: [None if v is None else v if _is_blank(v) else str(v)]
                          for f, v in typed.items()}, dtype=object)  # fmt: skip
    found = Problems(frame)
    read = {f: int(grades(frame, f, found, labels=[labels])[0]) for f in typed}
    if found.problems:
        where = f" (staff {a.staff_id!r}, {a.period})" if isinstance(a, Assessment) else ""
        raise ModelError("; ".join(f"{p.column} {p.value!r}{where} {p.message}"
                                   for p in found.problems))  # fmt: skip
    return {f: Grade(g) if g >= 0 else None for f, g in read.items()}


def _with_set(names: Mapping[str, int]) -> dict[str, int]:
    """:data:`GRADE_NAMES` and a rule set's own names of the grades (a national name wins)."""
    table = dict(GRADE_NAMES)
    seen = {_fold(k) for k in table}
    for label, g in names.items():
        if (key := _fold(label)) and key not in seen:
            table[label] = int(g)
            seen.add(key)
    return table


# =========================================================================== periods


def _period_of(value: Any) -> tuple[Period | None, str | None]:
    return _text_period(value) if type(value) is str else _any_period(value)


@functools.lru_cache(maxsize=4096)
def _text_period(value: str) -> tuple[Period | None, str | None]:
    """A text's period (the periods of a frame are few, read by every step): once each."""
    return _any_period(value)


def _any_period(value: Any) -> tuple[Period | None, str | None]:
    if _is_blank(value):
        return None, None
    if isinstance(value, bool | np.bool_):
        return None, f"period {value!r} is a yes/no value, not a month, quarter or year"
    try:
        if isinstance(value, pd.Period):
            freq = value.freqstr.upper()
            if freq.startswith("Q"):
                return Period.quarter(value.year, value.quarter), None
            if freq.startswith(("Y", "A")):
                return Period.of_year(value.year), None
            return Period.month(value.year, value.month), None
        if isinstance(value, float | np.floating) and float(value).is_integer():
            value = int(value)
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, str):
            value = _clean(value)
            if not value:
                return None, None
        return Period.parse(value), None
    except ModelError as exc:
        return None, str(exc)


def period_of(value: Any) -> tuple[Period | None, str | None]:
    """One cell's :class:`~evalkit.model.Period` as :func:`periods` reads it (a date or a
    timestamp is its month), or None and why it is refused (None, None when blank)."""
    return _period_of(value)


def periods(
    frame: pd.DataFrame, name: str, problems: Problems, *, required: bool = False
) -> tuple[IntArray, list[str]]:
    """Codes into sorted canonical labels (``'2026-03'``, ``'2026-Q1'``, ``'2026'``).

    Each distinct value is parsed once with :meth:`evalkit.model.Period.parse` (text,
    dates, timestamps, pandas Periods of monthly, quarterly or yearly frequency). Blank
    cells get code -1 (a problem with ``required``, as is a missing column).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": ["03/2026", "2026-03", pd.Timestamp("2026-02-14"), None]})
    >>> codes, labels = periods(df, "period", Problems(df))
    >>> codes.tolist(), labels
    ([1, 1, 0, -1], ['2026-02', '2026-03'])
    """
    n = len(frame)
    col = _column(frame, name, problems)
    if col is None:
        if required:
            problems.add_frame(f"the required column {name!r} is missing", column=name)
        return np.full(n, -1, dtype=np.int64), []
    codes: Any
    if isinstance(col.dtype, pd.CategoricalDtype):  # its own small codes, -1 = blank:
        # looked up without a wider copy; only the categories some row holds are periods of
        # the frame (an unused '2025-12' would add a unit-month nobody has, or refuse a rule
        # set not in force for a month no row is in), as in an object column
        codes = np.asarray(col.cat.codes.to_numpy())
        used = np.zeros(len(col.cat.categories) + 1, dtype=bool)  # -1 (blank): the last entry
        if codes.size:  # the least and greatest codes are held; any between, looked up
            used[[lo := int(codes.min()), hi := int(codes.max())]] = True
            if hi - lo > 1:
                used[codes.astype(np.intp)] = True
        values = [v if k else None for v, k in zip(col.cat.categories.tolist(), used[:-1],
                                                    strict=True)]  # fmt: skip
    else:
        codes, values = _distinct(col)
    parsed = [_period_of(v) for v in values]
    bad = _report(problems, codes, [e for _, e in parsed], name, col)
    found = {str(p): p for p, _ in parsed if p is not None}
    labels = sorted(found, key=lambda lbl: (found[lbl].start, found[lbl].end))
    position = {lbl: i for i, lbl in enumerate(labels)}
    lut = np.array([position[str(p)] if p is not None else -1 for p, _ in parsed], dtype=np.int64)
    out = _lookup(lut, -1, codes)
    if required:
        blank = (out < 0) & ~bad
        if blank.any():
            problems.add(blank, name, col, "is blank; a period is required")
    return out, labels


# =========================================================================== dates

#: The years a date may fall in; outside them it is a typing mistake (``9999-12-31``).
FIRST_YEAR, LAST_YEAR = 1900, 2199
_ISO_DATE = r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$"
_VN_DATE = r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$"


def parse_dates(
    s: pd.Series,
) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """A date column as ``datetime64[ns]`` (NaT where blank or bad), the cells that are not
    dates, and the cells whose year is outside 1900–2199 (both masks exclude blanks).

    Dates may be typed ``2026-03-15`` (a time after it is ignored) or ``15/03/2026``, or
    come as datetimes (a time zone is dropped); vectorised, no per-row Python.

    >>> d, bad, far = parse_dates(pd.Series(["2026-03-01", "15/03/2026", "9999-12-31", "x", None]))
    >>> [str(x)[:10] for x in d], bad.tolist(), far.tolist()
    (['2026-03-01', '2026-03-15', 'NaT', 'NaT', 'NaT'], [False, False, False, True, False], [False, False, True, False, False])
    """
    n = len(s)
    if n == 0:
        empty = np.zeros(0, dtype=bool)
        return np.zeros(0, dtype="datetime64[ns]"), empty, empty.copy()
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        vals = s.dt.tz_localize(None) if getattr(s.dtype, "tz", None) is not None else s
        secs = vals.to_numpy().astype("datetime64[s]")
        blank = np.isnat(secs)
        years = secs.astype("datetime64[Y]").astype(np.int64) + 1970
        far = ~blank & ((years < FIRST_YEAR) | (years > LAST_YEAR))
        good = np.where(far | blank, np.datetime64("NaT"), secs).astype("datetime64[ns]")
        return good, np.zeros(n, dtype=bool), far
    txt = s.astype("string").str.strip()
    blank = (txt.isna() | (txt == "")).to_numpy(dtype=bool)
    iso = txt.str.extract(_ISO_DATE)
    vn = txt.str.extract(_VN_DATE)
    year = pd.to_numeric(iso[0].fillna(vn[2]), errors="coerce")
    month = pd.to_numeric(iso[1].fillna(vn[1]), errors="coerce")
    day = pd.to_numeric(iso[2].fillna(vn[0]), errors="coerce")
    shaped = year.notna().to_numpy(dtype=bool)
    y = year.to_numpy(dtype=np.float64, na_value=np.nan)
    far = shaped & ((y < FIRST_YEAR) | (y > LAST_YEAR))
    ok = shaped & ~far
    parts = pd.DataFrame({"year": year.where(ok, 2000), "month": month.where(ok, 1),
                          "day": day.where(ok, 1)})  # fmt: skip
    values = pd.to_datetime(parts, errors="coerce").astype("datetime64[ns]").where(ok)
    days = values.to_numpy(dtype="datetime64[ns]")
    bad = ~blank & ~far & np.isnat(days)
    return days, bad, far


#: An id column's codes, its distinct ids as text and its blank rows (:func:`staff_codes`).
StaffCodes = tuple[npt.NDArray[np.int64], pd.Index, npt.NDArray[np.bool_]]


def staff_codes(col: pd.Series) -> StaffCodes:
    """An id column factorised once: codes equal where the ids are equal as text
    (``col.astype(str)``), the distinct ids as text, and which rows are blank (missing, or
    text of spaces only: refused before any key is built from the ids; a blank row's code
    is meaningless)."""
    if isinstance(col.dtype, pd.StringDtype):  # distinct texts already: no Python pass
        return _kept_of(col, "staff_codes", lambda: _text_codes(col))
    raw, uniq = factorize(col)
    raw = np.asarray(raw, dtype=np.int64)
    if pd.api.types.infer_dtype(uniq, skipna=False) == "string":  # distinct texts already
        strip = pd.Series(uniq, dtype=object).str.strip().to_numpy(dtype=object)
        lut = np.append(strip == "", True)
        return raw, pd.Index(uniq, dtype=object), lut[raw]
    values = uniq.tolist()
    lut = np.array([isinstance(u, str) and not u.strip() for u in values] + [True], dtype=bool)
    text, labels = pd.factorize(np.array([str(u) for u in values], dtype=object))
    codes = np.append(np.asarray(text, dtype=np.int64), -1)[raw]
    return codes, pd.Index(labels, dtype=object), lut[raw]


def _text_codes(col: pd.Series) -> StaffCodes:
    """:func:`staff_codes` of pandas text (its distinct values are texts already)."""
    raw, uniq = factorize(col)
    raw = np.asarray(raw, dtype=np.int64)
    lut = np.append((pd.Series(uniq).str.strip() == "").to_numpy(dtype=bool), True)
    return raw, pd.Index(uniq.astype(object)), lut[raw]


def labels_at(labels: Any, codes: npt.NDArray[np.integer[Any]]) -> Any:
    """``labels[codes]`` in the dtype pandas gives a column of ``labels`` (text: ``str``
    under pandas 3, ``object`` before), taken by position: a results column of a few
    distinct texts without a Python object per row to convert."""
    return pd.Series(np.asarray(labels, dtype=object)).array.take(codes)


@functools.lru_cache(maxsize=1024)
def category_dtype(categories: tuple[str, ...]) -> pd.CategoricalDtype:
    """The categorical dtype of the text ``categories``, built once and shared (immutable):
    building one costs more than the codes of a hundred thousand rows."""
    return pd.CategoricalDtype(list(categories))


def repeated(key: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Rows whose non-negative integer ``key`` another row shares: a ``bincount`` where the
    keys are dense (person × period codes), else a hash."""
    if key.size and int(key.max()) < 8 * key.size + 1024:
        out: npt.NDArray[np.bool_] = np.bincount(key)[key] > 1
        return out
    return np.asarray(pd.Series(key).duplicated(keep=False).to_numpy(), dtype=bool)


#: The longest id (in UTF-8 bytes) :func:`text_keys` packs into words; a longer one is
#: left to a hash table of the texts.
KEY_BYTES = 32


def arrow_text(col: pd.Series) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]] | None:
    """The offsets and UTF-8 bytes of an Arrow-backed text column with no missing cell
    (value ``i`` is ``data[offsets[i]:offsets[i + 1]]``), read in place; None for any other
    column (another dtype, a missing cell, a type that is not plain Arrow text)."""
    found = _arrow_text(col)
    return None if found is None or found[2] is not None else found[:2]


def _arrow_text(col: pd.Series) -> tuple[Any, Any, npt.NDArray[np.bool_] | None] | None:
    """:func:`arrow_text` of a column that may have missing cells, and which cells are
    missing (None: none is)."""
    if getattr(col.dtype, "storage", None) != "pyarrow" or not len(col):
        return None
    import pyarrow as pa  # type: ignore[import-untyped]  # stores the column

    arr: Any = col.array.__arrow_array__()
    if isinstance(arr, pa.ChunkedArray):  # one chunk (the usual case) read in place
        arr = arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
    large = pa.types.is_large_string(arr.type)
    if not (large or pa.types.is_string(arr.type)):
        return None
    missing = arr.is_null().to_numpy(zero_copy_only=False) if arr.null_count else None
    _, offsets, data = arr.buffers()
    raw = np.frombuffer(offsets, dtype=np.int64 if large else np.int32)
    off = np.asarray(raw[arr.offset : arr.offset + len(arr) + 1], dtype=np.int64)
    if data is None or not data.size:  # every value empty
        return off, np.zeros(1, dtype=np.uint8), missing
    return off, np.frombuffer(data, dtype=np.uint8), missing


#: Bytes that may change an ASCII id: the ones ``str.strip`` removes at its edges.
EDGE_SPACE = np.array([9, 10, 11, 12, 13, 28, 29, 30, 31, 32], dtype=np.uint8)


def plain_ids(col: pd.Series) -> npt.NDArray[np.bool_] | None:
    """Which cells are missing, for Arrow-backed ASCII text none of whose values is empty or
    starts or ends with a space or a control byte — ids that normalising leaves as they are
    (:func:`evalkit._ids.normal_id`) and that are blank only where missing, read on their
    bytes —; None for any other column (it may hold an id to normalise or a blank text)."""
    found = _arrow_text(col)
    if found is None or int(found[1].max(initial=0)) >= 0x80:
        return None
    off, data, missing = found
    start, end = off[:-1], off[1:]
    if missing is not None:  # (a missing cell's bytes are not read)
        start, end = start[~missing], end[~missing]
    # no empty id (a blank) and no edge byte that can be a space
    if not (end > start).all() or int(np.fmin(data[start], data[end - 1]).min(initial=0xFF)) \
            <= EDGE_SPACE.max():  # fmt: skip
        return None
    return np.zeros(len(col), dtype=bool) if missing is None else missing


def blank_ids(col: pd.Series) -> npt.NDArray[np.bool_]:
    """Which cells of an id column are blank (missing, or text of spaces only), as
    :func:`staff_codes` says; plain ids (:func:`plain_ids`) without factorising them."""
    missing = plain_ids(col)
    return staff_codes(col)[2] if missing is None else missing


def text_keys(
    off: npt.NDArray[np.int64], data: npt.NDArray[np.uint8]
) -> tuple[npt.NDArray[np.uint64], bool] | None:
    """One uint64 key per text of :func:`arrow_text` (equal texts, equal keys), and whether
    the keys are exact (equal keys, equal texts): a text of at most 8 bytes when all have
    one length, else of at most 7 bytes, is its bytes as a big-endian word (its length in
    the last byte), so a keys' order is the texts' order; a longer one (up to
    :data:`KEY_BYTES`) is a hash of its words and its length, which two texts may share.
    None when a text is longer.

    >>> import pandas as pd
    >>> ids = pd.Series(["S01", "S1", "S01", "ă"], dtype="string[pyarrow]")
    >>> key, exact = text_keys(*arrow_text(ids))
    >>> [bool(key[0] == key[2]), bool(key[0] == key[1]), bool(key[1] < key[0]), exact]
    [True, False, False, True]
    """
    n = off.size - 1
    lens = np.diff(off)
    top, low = int(lens.max()), int(lens.min())
    if top > KEY_BYTES:
        return None
    words = max(1, -(-top // 8))
    if low == top and top == 8 * words:  # one length, whole words: the bytes as stored
        start = int(off[0])
        w = data[start : start + n * top].reshape(n, words, 8).view(">u8")[:, :, 0]
        w = w.astype(np.uint64)
    else:  # word j of each text: its bytes 8j to 8j + 7, zeros past its end
        end = int(off[-1])
        buf = np.zeros(end + 8, dtype=np.uint8)  # the bytes, and room to read 8 past the end
        buf[:end] = data[:end]
        # the 8 bytes from each place, as a big-endian word (unaligned: one byte apart)
        word_at = np.ndarray((end + 1,), dtype=">u8", buffer=buf, strides=(1,))
        keep = np.array([0] + [(1 << 64) - (1 << (8 * (8 - k))) for k in range(1, 9)],
                        dtype=np.uint64)  # a word's first k bytes  # fmt: skip
        w = np.empty((n, words), dtype=np.uint64)
        for j in range(words):
            word = word_at[np.minimum(off[:-1] + 8 * j, end) if j else off[:-1]]
            w[:, j] = word
            if low < 8 * (j + 1):  # a text shorter than this word's end
                cut = np.subtract(lens, 8 * j)
                np.clip(cut, 0, 8, out=cut)
                w[:, j] &= keep[cut]
    if words == 1 and (low == top or top < 8):
        key: npt.NDArray[np.uint64] = w[:, 0]
        if low != top:  # the last byte is free: the length tells "a" from "a\0"
            key = key | lens.astype(np.uint64)
        return key, True
    h = lens.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    for j in range(words):
        h ^= w[:, j]
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(31)
    return h, False
