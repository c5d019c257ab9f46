"""The one id normaliser of every door, and the one rule on control characters in ids.

An id is compared as the workbook compares it (docs/cli.md): invisible characters removed
(zero-width space and joiners, BOM, soft hyphen …: :data:`evalkit._words.INVISIBLE`), then
Unicode NFC, then trimmed (spaces, tabs and line breaks around it); an id left empty is
blank. ``'S1'``, ``'S1 '``, ``'S1\\u200b'`` are one person, and so are ``'NV-Đặng'`` typed
in NFC and in NFD. An id that still holds a control character (NUL, a tab or a line break
inside it, DEL, C1 controls) is refused at every door: it prints as nothing or breaks a
line, so two people would look alike on paper.

A number id reads as the workbook reads a number cell: a whole-number float (``7.0``: a
numeric id column with a blank row, as pandas reads it) is its integer text ``'7'``, so it
finds the head id ``7``, ``7.0`` or ``'7'``; a float that is not a whole number (``7.5``)
is no id and is refused at every door (:data:`FRACTION_ID`, :func:`fraction_ids`).

:func:`score_frame <evalkit.score_frame>`, :func:`classify_frame <evalkit.classify_frame>`,
:func:`classify_year <evalkit.classify_year>` and its roll-up, :func:`classify_organisation
<evalkit.classify_organisation>` (the organisation's and the assessments' ids), the workbook
and CSV reader and the archive (``finalize`` stores the normal id, ``annual`` reads old rows through it)
all use these functions (``Assessment`` and ``Staff`` refuse a control character in a staff
id by :data:`CONTROL` too); a ``rule_set`` cell (a frame's, the workbook's information and
units sheets') is read through :func:`normal_id` too.

>>> [normal_id(x) for x in ["S1", " S1 ", "S1\\u200b", "\\u200b", "S1\\t", 7.0, 7]]
['S1', 'S1', 'S1', None, 'S1', '7', 7]
>>> bool(CONTROL.search(normal_id("S1\\x00")))
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _columns, _words, messages
from evalkit._words import INVISIBLE, text_id

__all__ = [
    "CONTROL",
    "CONTROL_ID",
    "FRACTION_ID",
    "case_twins",
    "checked_ids",
    "control_ids",
    "fraction_ids",
    "fraction_problems",
    "name_problems",
    "normal_id",
    "normal_id_column",
    "normal_ids",
    "normalise_ids",
    "number_ids",
    "show_id",
]

#: Control characters an id may not hold once normalised (C0, DEL, C1), and what every
#: door says of an id holding one (the archive's words too: ``archive.check.staff_control``
#: of :mod:`evalkit.messages`): :data:`evalkit._words.CONTROL`, which the objects use too.
CONTROL = _words.CONTROL
CONTROL_ID = _words.CONTROL_ID
#: What every door says of a float id that is not a whole number (``7.5``).
FRACTION_ID = "the id is a number that is not whole: an id is text or a whole number"
#: Where ids joined by line breaks may change: a space (or line break) at an id's edge, an
#: empty id (two line breaks), an invisible character — three plain searches, each in C.
_MAY_CHANGE = (re.compile(r"\s\n"), re.compile(r"\n\s"), re.compile("[" + INVISIBLE + "]"))
#: A control character other than the line break joining ids.
_CONTROL_JOINED = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _same_when_normal(values: list[str]) -> bool:
    """Whether no text of ``values`` changes under :func:`normal_id` (one pass in C)."""
    joined = "\n".join(values)
    if not joined or joined[0].isspace() or joined[-1].isspace():
        return False
    return (not any(r.search(joined) for r in _MAY_CHANGE)
            and unicodedata.is_normalized("NFC", joined))


def _plain_ascii(values: list[str]) -> bool:
    """Whether ``values`` are ASCII ids none of which changes under :func:`normal_id` or
    holds a control character: their bytes, joined by line breaks, checked in NumPy."""
    joined = "\n".join(values)
    if not joined.isascii():
        return False
    data = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    breaks = data == 10
    if int(breaks.sum()) != len(values) - 1 or ((data < 32) & ~breaks).any() \
            or (data == 127).any():  # fmt: skip
        return False
    edge = np.concatenate([data[:1], data[-1:], data[1:][breaks[:-1]], data[:-1][breaks[1:]]])
    return bool(edge.size) and not np.isin(edge, _EDGE_SPACE).any()


def _no_control(values: list[str]) -> bool:
    """Whether no text of ``values`` holds a control character (one pass in C)."""
    joined = "\n".join(values)
    return not _CONTROL_JOINED.search(joined) and joined.count("\n") == len(values) - 1
_EDGE_SPACE = _columns.EDGE_SPACE


def _clean_texts(col: pd.Series) -> bool:
    """Whether no text of ``col`` holds a control character (:data:`CONTROL`: C0, DEL,
    C1), proved on its texts joined, in one pass in C (no hashing of every text: names are
    mostly distinct); a value that is no text is not read. False when a text holds one."""
    values = col.tolist()
    try:
        joined = "".join(values)
    except TypeError:  # a blank or a number beside the texts
        joined = "".join([v for v in values if isinstance(v, str)])
    return joined.isprintable() or CONTROL.search(joined) is None  # (a control: unprintable)


def normal_id(value: Any) -> Any:
    """``value`` as an id compared at every door: text without invisible characters, in
    NFC, trimmed (None when nothing is left); a whole-number float as its integer text
    (``7.0`` is ``'7'``, as the workbook reads a number cell); any other value as it is
    (a float that is not whole is refused by :func:`fraction_ids`)."""
    if not isinstance(value, str):
        if isinstance(value, float | np.floating) and float(value).is_integer():
            return str(int(value))
        return value
    return text_id(value)


def text_ids(values: Iterable[Any], frame: pd.DataFrame | None = None) -> set[str]:
    """``values`` (ids of people known to exist: an organisation's members), with those of
    ``frame.attrs["known_staff"]`` (:func:`evalkit.units.frames_from_objects`), as the text
    every door compares (:func:`normal_id`; ``7.0`` is ``'7'``), blanks left out."""
    more = () if frame is None else frame.attrs.get("known_staff", ())
    return {str(k) for v in [*values, *more] if (k := normal_id(v)) is not None and str(k).strip()}


def normal_id_column(col: pd.Series) -> pd.Series:
    """``col`` with every id :func:`normal_id` (blanks None; a ``string`` column keeps its
    dtype, <NA> for blanks), or ``col`` itself when no id changes — ASCII Arrow text is
    checked on its bytes, any other column on its distinct values."""
    if _columns.plain_ids(col) is not None:  # ASCII Arrow text: only the edges change
        return col
    codes, uniq = _columns.factorize(col)
    values = uniq.tolist()
    if pd.api.types.infer_dtype(uniq, skipna=False) == "string" and _same_when_normal(values):
        return col
    new = [normal_id(v) for v in values]
    if all(a == b for a, b in zip(values, new, strict=True)):
        return col
    lut = np.array([*new, None], dtype=object)
    return pd.Series(lut[np.asarray(codes, dtype=np.int64)], index=col.index, name=col.name,
                     dtype=col.dtype if isinstance(col.dtype, pd.StringDtype)
                     else object)  # fmt: skip


def checked_ids(col: pd.Series) -> tuple[pd.Series, npt.NDArray[np.bool_]]:
    """:func:`normal_id_column` of ``col`` and :func:`control_ids` of the result, the text
    ids factorised once (a column of plain text ids: two searches in C)."""
    if _columns.arrow_text(col) is None and col.dtype == object:
        _codes, uniq = _columns.factorize(col)
        values = uniq.tolist()
        if pd.api.types.infer_dtype(uniq, skipna=False) == "string" and (
                _plain_ascii(values) or (_same_when_normal(values)
                                         and _no_control(values))):  # fmt: skip
            return col, np.zeros(len(col), dtype=bool)
    normal = normal_id_column(col)
    return normal, control_ids(normal)


def normal_ids(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``frame`` with its id ``columns`` :func:`normal_id_column`: a head id typed in NFC
    finds its staff id exported in NFD. ``frame`` itself where no id changes."""
    changed: dict[str, Any] = {}
    for name in columns:
        if name not in frame.columns or isinstance(frame[name], pd.DataFrame):
            continue
        col = frame[name]
        new = normal_id_column(col)
        if new is not col:
            changed[name] = new
    return frame.assign(**changed) if changed else frame


def normalise_ids(s: pd.Series) -> pd.Series:
    """Ids as comparable text (``string`` dtype, :func:`normal_id`); blanks <NA>.

    >>> normalise_ids(pd.Series(["CC-1\\u200b", " CC-2 ", "Cu\\u0301c", ""])).tolist()
    ['CC-1', 'CC-2', 'Cúc', <NA>]
    """
    txt = s.astype("string")
    out = normal_id_column(txt)
    if out is txt:
        return txt.mask(txt == "") if (txt == "").any() else txt
    return out.astype("string")


def show_id(text: str) -> str:
    """``repr(text)`` with invisible and combining characters spelled out as ``\\uXXXX``.

    >>> print(show_id("CC-1\u200b"), show_id("Cu\u0301c"), show_id("Cúc"))
    'CC-1\\u200b' 'Cu\\u0301c' 'Cúc'
    """
    out = []
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Cf", "Zs") and ch != " ":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "'" + "".join(out).replace("'", "\\'") + "'"


def case_twins(ids: pd.Series) -> list[tuple[int, int]]:
    """Ids that differ from an earlier one only in upper/lower case (``'S1'``, ``'s1'``):
    ``(position, position of the first id of its kind)`` for each such id's first row, in
    row order — one person, or two sheets with one file name on Windows and macOS. Pass
    normal ids (:func:`normal_id_column`); blanks are left out. The workbook reader and the
    frame doers (:func:`evalkit.score_frame`, :func:`evalkit.classify_frame`) refuse them
    alike.

    >>> case_twins(pd.Series(["S1", "S2", "s1", "S1", None, "S2", 7, "7"]))
    [(2, 0)]
    """
    at = _columns.arrow_text(ids)
    if at is not None and (top := int(at[1].max())) < 0x80:  # ASCII: one case, no twin
        data = at[1]  # nothing from 'a' up: no lower-case letter (one reduction)
        if top < 0x61 or not ((data >= 0x61) & (data <= 0x7A)).any() or \
                not ((data >= 0x41) & (data <= 0x5A)).any():  # fmt: skip
            return []
    raw, values = pd.factorize(ids)
    if len(values) < 2:
        return []
    # ids equal as text (7 and '7') are one id, said by the duplicate check, not here
    text_codes, uniq = pd.factorize(pd.Series([str(v) for v in values.tolist()], dtype=object))
    codes = np.append(np.asarray(text_codes, dtype=np.int64), -1)[np.asarray(raw, np.int64)]
    folded = pd.Series([v.casefold() for v in uniq.tolist()], dtype=object)
    kcodes, kuniq = pd.factorize(folded)
    if len(kuniq) == len(uniq):
        return []
    kcodes = np.asarray(kcodes, dtype=np.int64)
    # the first distinct id of each kind (factorize numbers values in order of appearance)
    _k, first_u = np.unique(kcodes, return_index=True)
    lead = first_u[kcodes]
    twins = np.flatnonzero(lead != np.arange(len(uniq)))
    seen = np.flatnonzero(codes >= 0)
    _u, first_row = np.unique(codes[seen], return_index=True)
    pos = seen[first_row]  # each distinct id's first row
    return sorted((int(pos[u]), int(pos[lead[u]])) for u in twins)


def ref_case_twins(refs: pd.Series, scope: npt.NDArray[np.int64], ids: pd.Series,
                   id_scope: npt.NDArray[np.int64]) -> list[tuple[int, Any, Any]]:  # fmt: skip
    """``(label in refs, ref, id)`` for each reference (a head or manager id not found as
    typed) equal but for case to an id of the same scope (unit row, or period): the ids of
    those scopes only are folded (:func:`evalkit.classify_frame`'s heads and managers)."""
    if not len(refs):  # every reference found (the usual case): nothing to fold
        return []
    sel = np.flatnonzero(np.isin(id_scope, scope))
    fold = ids.iloc[sel].astype(str).str.casefold().to_numpy()
    known = pd.DataFrame({"u": id_scope[sel], "k": fold, "id": ids.iloc[sel].to_numpy()})
    found = pd.DataFrame({"u": scope, "k": refs.astype(str).str.casefold().to_numpy(),
                          "ref": refs.to_numpy(), "j": refs.index}).merge(
        known.drop_duplicates(["u", "k"]), on=["u", "k"])  # fmt: skip
    return list(found[["j", "ref", "id"]].itertuples(index=False, name=None))


def number_ids(col: pd.Series) -> pd.Series:
    """``col`` with each whole-number float as its integer text (``7.0`` is ``'7'``, as
    :func:`normal_id` reads it), text and every other value as typed; ``col`` itself when
    it holds no float. For a door that keeps the typed text (the archive's checks)."""
    if col.dtype.kind != "f" and (col.dtype != object or not _has_floats(col)):
        return col
    codes, uniq = _columns.factorize(col)
    values = uniq.tolist()
    new = [str(int(v)) if isinstance(v, float) and v.is_integer() else v for v in values]
    if all(a is b for a, b in zip(values, new, strict=True)):
        return col
    lut = np.array([*new, None], dtype=object)
    return pd.Series(lut[np.asarray(codes, dtype=np.int64)], index=col.index, name=col.name,
                     dtype=object)


def _has_floats(col: pd.Series) -> bool:
    """Whether the object column ``col`` may hold a float id (text ids: one pass in C; an
    unhashable value, refused by the door as no id, makes it hold none to look at)."""
    if not len(col) or pd.api.types.infer_dtype(col, skipna=True) in (
            "string", "empty", "integer", "boolean"):  # fmt: skip
        return False
    try:
        _columns.factorize(col)
    except TypeError:
        return False
    return True


def _is_fraction(value: Any) -> bool:
    return (isinstance(value, float | np.floating) and not np.isnan(value)
            and not float(value).is_integer())


def fraction_ids(col: pd.Series) -> npt.NDArray[np.bool_]:
    """Rows whose id is a float that is not a whole number (``7.5``, ``inf``): no id, refused
    at every door (:data:`FRACTION_ID`). Pass the ids as typed; text and whole numbers pass.

    >>> fraction_ids(pd.Series([7.0, 7.5, None, "7.5"], dtype=object)).tolist()
    [False, True, False, False]
    """
    if col.dtype.kind == "f":
        arr = col.to_numpy(dtype=np.float64)
        out: npt.NDArray[np.bool_] = (~np.isnan(arr) & (arr != np.round(arr))) | np.isinf(arr)
        return out
    if col.dtype != object or not _has_floats(col):
        return np.zeros(len(col), dtype=bool)
    codes, uniq = _columns.factorize(col)
    lut = np.array([_is_fraction(v) for v in uniq.tolist()] + [False], dtype=bool)
    picked: npt.NDArray[np.bool_] = lut[np.asarray(codes, dtype=np.int64)]
    return picked


def fraction_problems(frame: pd.DataFrame, columns: Sequence[str],
                      found: _columns.Problems | None = None,
                      id_column: str = "staff_id") -> list[Any]:  # fmt: skip
    """One problem per row of ``frame`` whose id in one of ``columns`` is a float that is
    not whole (:func:`fraction_ids`), naming row, column and value (and the row's record,
    ``id_column``): added to ``found`` when given, else returned in row order."""
    out = _columns.Problems(frame, id_column=id_column) if found is None else found
    for name in columns:
        col: Any = frame[name] if name in frame.columns else None
        if isinstance(col, pd.Series):  # a header written twice is the readers' problem
            mask = fraction_ids(col)
            if mask.any():
                out.add(mask, name, col, FRACTION_ID)
    return out.in_order() if found is None else []


def name_problems(frame: pd.DataFrame, columns: Sequence[str],
                  found: _columns.Problems) -> None:  # fmt: skip
    """Add to ``found`` one problem per name in ``columns`` of ``frame`` (those it has; a
    person's, a unit's, a position's title: printed on the sheets) holding a control
    character (:func:`control_ids`, at its edges too), in the words of every door
    (``foreign.name_control``), naming its row, column and value: the frames' check, as
    the objects (:class:`evalkit.Unit`), the workbook and the archive refuse it.

    >>> df = pd.DataFrame({"unit_id": ["P1", "P2"], "name": ["Phòng 1", "Phòng\\t2"]})
    >>> found = _columns.Problems(df, id_column="unit_id")
    >>> name_problems(df, ("name", "place"), found)
    >>> [(p.row, p.unit_id, p.column, p.value) for p in found.problems]
    [(1, 'P2', 'name', 'Phòng\\t2')]
    """
    for name in columns:
        col = frame[name] if name in frame.columns else None
        if isinstance(col, pd.Series) and len(col):  # (a header written twice: the readers')
            found.add(control_ids(col), name, col, str(messages.msg("foreign.name_control")))


def control_ids(col: pd.Series) -> npt.NDArray[np.bool_]:
    """Rows whose id holds a control character (:data:`CONTROL`; pass normal ids: a tab
    around an id is trimmed, not refused). Arrow text without such a byte is clean at once,
    other text when its texts joined hold none (:func:`_clean_texts`); any other column is
    read once per distinct text value."""
    at = _columns.arrow_text(col)
    if at is not None:
        data = at[1]  # printable ASCII only (two reductions), or no such byte at all
        if (int(data.min()) >= 0x20 and int(data.max()) < 0x7F) or not (
                (data < 0x20) | (data == 0x7F) | (data == 0xC2)).any():  # C1: C2 80-9F
            return np.zeros(len(col), dtype=bool)
    if (col.dtype == object or isinstance(col.dtype, pd.StringDtype)) and _clean_texts(col):
        return np.zeros(len(col), dtype=bool)
    codes, uniq = _columns.factorize(col)
    values = uniq.tolist()
    if pd.api.types.infer_dtype(uniq, skipna=False) == "string" and _no_control(values):
        return np.zeros(len(col), dtype=bool)
    lut = np.array([isinstance(v, str) and CONTROL.search(v) is not None for v in values]
                   + [False], dtype=bool)  # fmt: skip
    out: npt.NDArray[np.bool_] = lut[np.asarray(codes, dtype=np.int64)]
    return out
