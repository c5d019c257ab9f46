"""Column helpers shared by the engine's modules: codes, grades, ranks and reason labels."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _columns
from evalkit.errors import EvalkitError
from evalkit.model import Grade, Period
from evalkit.reasons import catalogue_order
from evalkit.scoring import grades as grades  # noqa: PLC0414 (re-exported: the one categorical)

if TYPE_CHECKING:
    from evalkit.rules import RuleSet

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

KHT, HT, HTT, HTXS = (int(g) for g in (Grade.KHT, Grade.HT, Grade.HTT, Grade.HTXS))


def canonical_periods(col: pd.Series) -> tuple[IntArray, list[Period]]:
    """Codes and periods, in date order, of a period column whatever its dtype (text, pandas
    Period, dates; ``str`` of each is its canonical label, ``'2026-03'``); every blank or bad
    value is reported with its row."""
    codes, labels = read(pd.DataFrame({"period": col}), _columns.periods, "period", required=True)
    return np.asarray(codes, dtype=np.int64), [Period.parse(x) for x in labels]


def per_period(periods: Iterable[Period], codes: IntArray, fn: Callable[[Period], Any],
               blank: Any = False, dtype: Any = None) -> npt.NDArray[Any]:  # fmt: skip
    """``fn(period)`` for every row, computed once per period: ``codes`` are the rows'
    positions in ``periods``, a row coded -1 (no period) gets ``blank``.

    >>> per_period(map(Period.parse, ["2026-Q1", "2026-02"]), np.array([1, 0, -1]),
    ...            lambda p: len(p.months()), 0).tolist()
    [1, 3, 0]
    """
    return np.array([*(fn(p) for p in periods), blank], dtype=dtype)[codes]


def codes_in(values: pd.Series | npt.NDArray[Any], index: pd.Index) -> IntArray:
    """Position of each value in ``index`` (-1 when absent or blank).

    The values are factorised first and only their distinct values are looked up: for
    Arrow-backed text this is a dictionary encoding instead of a hash lookup per row.
    Against a text ``index``, values of any dtype are compared as text (:func:`id_texts`:
    an id typed as the number 7, or read as 7.0 from a number column with blanks, is
    ``"7"``); blanks are -1."""
    codes, uniq = _columns.factorize(values)
    look = pd.Index(uniq)
    text = isinstance(index.dtype, pd.StringDtype) or pd.api.types.is_object_dtype(index.dtype)
    if text and look.inferred_type not in ("string", "empty"):  # 7 as object
        look = pd.Index(_id_text_list(uniq), dtype=object)
    lut = np.append(np.asarray(index.get_indexer(look), dtype=np.int64), -1)
    return lut[np.asarray(codes, dtype=np.int64)]


def _id_text_list(uniq: Any) -> list[str]:
    """Each distinct id as text, as a cell reads (:func:`evalkit._columns._as_text`): a whole
    number stored as a float (a spreadsheet column of numbers with blanks) without its
    ``.0``. Pandas text is text already: no call each."""
    text = isinstance(uniq.dtype, pd.StringDtype)
    return uniq.tolist() if text else [_columns._as_text(u) for u in uniq.tolist()]


def id_texts(values: pd.Series) -> npt.NDArray[np.object_]:
    """Every value as id text (blank: ``""``; a whole-number float without its ``.0``),
    computed once per distinct value."""
    codes, uniq = _columns.factorize(values)
    return np.array([*_id_text_list(uniq), ""], dtype=object)[np.asarray(codes, dtype=np.int64)]


def id_codes(*columns: pd.Series | npt.NDArray[Any]) -> list[IntArray]:
    """Codes of ids in one shared space, one array per column: equal where the ids'
    :func:`id_texts` are equal (``7``, ``7.0`` and ``"7"`` alike), -1 for a blank. Each
    column is factorised once and only its distinct values become text."""
    parts = [_columns.factorize(c) for c in columns]
    text = [t for _, uniq in parts for t in _id_text_list(uniq)]
    shared = np.asarray(pd.factorize(np.array(text, dtype=object))[0], dtype=np.int64)
    luts = np.split(shared, np.cumsum([len(uniq) for _, uniq in parts])[:-1])
    return [np.append(lut, -1)[np.asarray(codes, dtype=np.int64)]
            for lut, (codes, _) in zip(luts, parts, strict=False)]  # no columns: one empty lut


def cell(col: pd.Series, i: int) -> Any:
    """The value at position ``i`` of ``col`` as typed, a Python value (no NumPy scalar)."""
    return col.iloc[[i]].tolist()[0]


def take(col: pd.Series, rows: IntArray) -> Any:
    """The values of ``col`` at positions ``rows`` (-1 = missing), in the column's own
    dtype: Arrow-backed text is taken by Arrow, without a round trip through Python
    objects; other columns as a NumPy array, ``None`` where the row is -1."""
    rows = np.asarray(rows, dtype=np.int64)
    if isinstance(col.dtype, (pd.StringDtype, pd.CategoricalDtype)):
        return col.array.take(rows, allow_fill=True)
    values = col.to_numpy()  # (a -1 row takes the None appended)
    return values[rows] if not (rows < 0).any() else np.append(values.astype(object), [None])[rows]


def read(frame: pd.DataFrame, reader: Any, name: str, **kw: Any) -> Any:
    """``reader(frame, name, problems, **kw)`` of :mod:`evalkit._columns`, its problems
    raised at once (each with its row, and its unit in a units frame)."""
    unit = "staff_id" not in frame.columns and "unit_id" in frame.columns
    found = _columns.Problems(frame, id_column="unit_id" if unit else "staff_id")
    out = reader(frame, name, found, **kw)
    found.raise_if_any()
    return out


def floats(frame: pd.DataFrame, name: str) -> FloatArray:
    """A numeric column as float64 (NaN where absent or blank); text that is not a number
    is reported (any dtype: object, ``str``, Arrow, nullable)."""
    return np.asarray(read(frame, _columns.numbers, name), dtype=np.float64)


def bools(frame: pd.DataFrame, name: str) -> BoolArray:
    """A yes/no column (False where absent or blank): bool, nullable boolean, 0/1, "x"/blank."""
    return np.asarray(read(frame, _columns.booleans, name), dtype=bool)


def texts(frame: pd.DataFrame, name: str) -> npt.NDArray[np.object_]:
    """A text column as an object array of NFC-normalised, trimmed text (None for blank)."""
    return np.asarray(read(frame, _columns.text, name), dtype=object)


def grade_codes(frame: pd.DataFrame, name: str, sets: Sequence[RuleSet] = (),
                rule: IntArray | None = None) -> npt.NDArray[np.int8]:  # fmt: skip
    """Grade codes (-1 = blank) of a grade column, e.g. ``competent_grade``: codes in any
    case, Vietnamese labels, the ordered categorical, and the labels of the row's rule set
    ``sets[rule[i]]`` where given (Hà Nội's ``Loại B``); every unknown value is reported."""
    return np.asarray(read(frame, _columns.grades, name,
                           labels=[rs.grade_names for rs in sets], rule=rule), dtype=np.int8)


def group_sum(key: IntArray, values: FloatArray, k: int,
              rows: BoolArray | None = None) -> tuple[npt.NDArray[Any], IntArray]:  # fmt: skip
    """Per group of ``key`` (``0 .. k-1``): the sum of ``values`` over ``rows`` (all rows
    when None) where a value is given (not NaN), and how many values were summed."""
    ok = ~np.isnan(values) if rows is None else rows & ~np.isnan(values)
    # the rows left out weigh 0 (the rows kept, not copied: a sum plus 0.0 is the same sum)
    return np.bincount(key, np.where(ok, values, 0.0), k), np.bincount(key, ok, k).astype(np.int64)


def rank_within(groups: IntArray, *keys: Any) -> IntArray:
    """0-based rank of each row inside its group under ``keys`` (primary first)."""
    order = np.lexsort((*reversed(keys), groups))  # (no rows: an empty rank)
    g = groups[order]  # sorted: each row's place less its group's first place
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size) - np.searchsorted(g, g)
    return rank


#: Codes a result's row never stores: they follow from its total and period.
_DERIVED = frozenset({"band", "band.none", "band.information"})


def join_reasons(base: Sequence[str] | pd.Categorical | npt.NDArray[Any] | pd.Series | None,
                 flags: IntArray, names: Mapping[int, str]) -> pd.Categorical:  # fmt: skip
    """Join base reason codes (``'a;b'`` per row) and flag codes into ``;``-strings.

    ``names`` maps a flag bit (below ``1 << 32``) to its code. Vectorised over the distinct
    (base, flags) pairs; a categorical ``base`` is used through its codes, without touching
    its strings; ``None`` is no base codes.
    """
    bcode, blabels = ((np.zeros(len(flags), dtype=np.int64), [""]) if base is None
                      else distinct_texts(base))  # fmt: skip
    # the (base, flags) pairs: hashing, not sorting (the distinct pairs are few)
    inverse, uniq = pd.factorize(bcode * (1 << 32) + flags.astype(np.int64))
    out: list[str] = []
    for u in np.asarray(uniq).tolist():
        parts = [c for c in blabels[u >> 32].split(";") if c and c not in _DERIVED]
        parts += [code for bit, code in names.items() if u & bit and code not in parts]
        out.append(";".join(sorted(parts, key=catalogue_order)))
    # sorted: the same categories whatever the row order
    remap, cats = pd.factorize(np.array(out, dtype=object), sort=True)
    return categorical(remap[np.asarray(inverse)], list(cats))


def distinct_texts(values: Any) -> tuple[IntArray, list[str]]:
    """Codes of a text column (``'a;b'`` reason codes) into its distinct texts, a blank row
    coded as ``''``: a categorical through its codes, without touching its strings."""
    codes, uniq = _columns._distinct(pd.Series(values, copy=False))
    return np.where(codes < 0, len(uniq), codes).astype(np.int64), [*(str(x) for x in uniq), ""]


def categorical(codes: npt.NDArray[Any], categories: Sequence[str]) -> pd.Categorical:
    """A categorical of ``categories`` from integer ``codes`` (-1 = missing)."""
    dtype = _columns.category_dtype(tuple(categories))  # pandas checks the codes, once
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int32), dtype=dtype)


def per_rule(sets: Any, rule: IntArray, fn: Any, dtype: Any = bool) -> npt.NDArray[Any]:
    """``fn(rule set)`` for every row, computed once per rule set."""
    return np.array([fn(rs) for rs in sets], dtype=dtype)[rule]


def per_rule_period(sets: Any, rule: IntArray, codes: IntArray, fn: Any,
                    labels: Sequence[str]) -> BoolArray:  # fmt: skip
    """``fn(rule set, period text)`` for every row, computed once per distinct pair.

    ``codes`` are the rows' periods as positions in ``labels``; one set (the usual case)
    is looked up in its one row (quicker than a lookup by two arrays)."""
    lut = np.array([[bool(fn(rs, str(p))) for p in labels] for rs in sets], dtype=np.bool_)
    return lut[0][codes] if len(lut) == 1 else lut.reshape(len(lut), len(labels))[rule, codes]


def custom_sets(sets: Any) -> dict[str, Any]:
    """The rule sets a results frame must carry in ``attrs["rule_sets"]``: those the default
    registry does not hold as they are (agency objects, evolved or unregistered files).
    Registered presets are found again by id; keeping them out keeps ``attrs`` light."""
    from evalkit.rules import default_registry

    reg = default_registry()
    return {rs.id: rs for rs in sets if rs.id not in reg or reg.get(rs.id) is not rs}


def found_set(ref: Any, known: Mapping[str, RuleSet] | None = None) -> RuleSet | None:
    """The set :func:`evalkit.rules.resolve` finds for ``ref`` (with ``known``), None where
    it finds none: for a check that judges only the sets it finds."""
    from evalkit.rules import resolve

    try:
        return resolve(ref, known=known)
    except EvalkitError:
        return None


def frame_of(columns: Mapping[str, Any], index: pd.Index | None = None,
             **attrs: Any) -> pd.DataFrame:  # fmt: skip
    """The results frame of ``columns`` (with ``attrs``: its ``rule_sets`` …), built without
    copying the arrays computed for it.

    Consolidating the columns into blocks would copy every one of them (most of the cost of
    building a result of a hundred thousand rows); instead each column keeps its array. Only
    an array the engine owns alone is kept: a view, a read-only array (one read from the
    input), an array given twice or an extension array not made here (the input's text) is
    copied or passed as a Series, so writing into the results never writes into the input
    nor into another column."""
    cols: dict[str, Any] = {}
    for name, v in columns.items():
        twice = any(v is kept for kept in cols.values())  # (given again: copied)
        if isinstance(v, np.ndarray):
            cols[name] = v.copy() if v.base is not None or not v.flags.writeable or twice else v
        else:  # a Series: copy-on-write keeps it apart
            cols[name] = v if isinstance(v, pd.Series | pd.Categorical) and not twice else (
                pd.Series(v, index=index, copy=True))
    out = pd.DataFrame(cols, index=index, copy=False)
    out.attrs.update(attrs)
    return out
