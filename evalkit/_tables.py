"""The tables a results frame carries in ``attrs`` (``units``, ``unit_inputs``; the
archive's year, ``tie_inputs``: the quota's tie-break keys read for its tied candidates).

pandas copies a frame's ``attrs`` through its operations and, on :func:`pandas.concat`
(and every operation built on it: ``astype``, ``groupby`` …), keeps them only when every
piece's ``attrs`` are equal, which it asks with ``==``. A :class:`pandas.DataFrame` cannot
answer that with yes or no ("The truth value of a DataFrame is ambiguous"), so a table is
kept in ``attrs`` wrapped in :class:`Table`, which compares by value; two months
concatenated keep no ``attrs`` (they differ), one month's results ``astype``'d keep them.

A frame's rows as plain dicts (blanks as None) are :func:`records`: the one reading of
rows that the engine's faces (:mod:`evalkit.units`) and the sheets (:mod:`evalkit.render`)
share.

Read a table back with :func:`table` (a bare :class:`~pandas.DataFrame` put in ``attrs``
by hand is read too), or with the public accessors
:func:`evalkit.io.results.units_of` and :func:`evalkit.io.results.unit_inputs_of`.

>>> import pandas as pd
>>> a = pd.DataFrame({"x": [1.0]})
>>> attach(a, "units", pd.DataFrame({"unit_id": ["P1"]}))
>>> len(pd.concat([a, a.astype({"x": int})]).attrs) == 1
True
>>> table(a, "units")["unit_id"].tolist()
['P1']
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported by the callers: not at import time (evalkit.cli)
    import pandas as pd

#: The ``attrs`` keys that hold tables.
KEYS = ("units", "unit_inputs", "tie_inputs")

#: The column that marks each row read back from a results file and not yet checked:
#: the file's name (:func:`evalkit.io.results.read_results` writes it on every row,
#: :func:`evalkit.workflow.checked` removes it). A column, not ``attrs``: pandas keeps
#: ``attrs`` through :func:`pandas.concat` only when every piece's are equal, so months
#: joined lose any mark there, while a column goes with its rows — months checked and
#: joined have none, a month unchecked joined to them brings its rows' file along.
#: Never written to a file (:func:`without_mark`).
READ_BACK = "read_back_from"


#: The column that marks each row read back from a results file with its record's place in
#: the file, counted from 1 (:func:`evalkit.io.results.read_results` writes it): the row
#: a person counts in the file, which every door that reads the frame names the record at
#: (:class:`evalkit._columns.Problems`, the archive's checks) — not the frame's index, the
#: ``row`` the record carries (the workbook row ``evalkit classify --out`` keeps). Never
#: written to a file nor archived (:func:`without_mark`).
RECORD = "record_in_file"


def read_back(frame: pd.DataFrame) -> list[str]:
    """The results files ``frame`` has rows of that were read back and not checked
    (:data:`READ_BACK`), each once, in the order of the rows; none: []."""
    if READ_BACK not in getattr(frame, "columns", ()):
        return []
    col = frame[READ_BACK]
    return [str(f) for f in col[col.notna()].astype(object).unique().tolist()]


def without_mark(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the :data:`READ_BACK` and :data:`RECORD` columns (its ``attrs``
    kept); as it is when it has none."""
    marks = [c for c in (READ_BACK, RECORD) if c in frame.columns]
    if not marks:
        return frame
    out = frame.drop(columns=marks)
    out.attrs = dict(frame.attrs)
    return out


class Table:
    """A table held in a frame's ``attrs``: equal to another when their frames are equal
    (:meth:`pandas.DataFrame.equals`), so pandas can compare the ``attrs`` it joins."""

    __slots__ = ("frame",)

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Table) and (
            self.frame is other.frame or self.frame.equals(other.frame))

    __hash__ = None  # type: ignore[assignment]  # mutable content

    def __deepcopy__(self, memo: dict[int, Any]) -> Table:
        return Table(copy.deepcopy(self.frame, memo))

    def __repr__(self) -> str:
        return f"Table({len(self.frame)} rows: {', '.join(map(str, self.frame.columns))})"


def attach(frame: pd.DataFrame, key: str, value: pd.DataFrame | Table | None) -> None:
    """Put the table ``value`` in ``frame.attrs[key]`` (wrapped); none removes the key."""
    if isinstance(value, Table):
        value = value.frame
    if value is None:
        frame.attrs.pop(key, None)
    else:
        frame.attrs[key] = Table(value)


def table(frame: pd.DataFrame, key: str) -> pd.DataFrame | None:
    """The table ``frame.attrs[key]`` (wrapped or not), else none."""
    import pandas as pd

    value = frame.attrs.get(key)
    if isinstance(value, Table):
        return value.frame
    return value if isinstance(value, pd.DataFrame) else None


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts by column name, blanks (NaN, NA, NaT) as None."""
    out = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    return [{str(k): v for k, v in r.items()} for r in out]
