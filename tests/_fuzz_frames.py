"""Mutated DataFrames at the frame doors a HR system calls (af242): the ``frames`` family of
the fuzz suite.

The clean input is the demo agency's first quarter (:func:`evalkit.demo.load_demo`: 31
people in five units, NĐ 335/2025, NĐ 233/2026 and NĐ 90/2020 by category). One door is
chosen — :func:`evalkit.score_frame` (March's staff frame), :func:`evalkit.classify_frame`
(March's staff and units frames), :func:`evalkit.rollup_frame` (the quarter's classified
months) or :func:`evalkit.classify_year` (those months and the months' unit results) —,
one of its frames, and one mutation a caller's code could make: a blank id (None, NaN,
``""``, ``"  "``, ``"\\u200b"``), a padded id, a duplicated row, an unknown parent or unit,
a cycle, text, a negative, a huge number or inf in a number column, a yes/no typed as text,
a column's dtype changed (object, ``str``, ``string[pyarrow]``, category, Int64, Float64,
boolean), a column dropped or added, an index of text or of duplicates, an empty frame,
a malformed period or one of another kind.

Each mutant is sorted as in :mod:`tests._fuzz_inputs`: ``located`` (an
:class:`~evalkit.errors.InputError` whose problems each name a row or column of the frames,
or a :class:`~evalkit.errors.ModelError` quoting an id of the frames); ``accepted`` (the
door ran; a *harmless* mutation must give the clean input's grades and totals); or
``failure`` — any other exception, a problem naming no place, a *garbage* mutation (a blank
key id, a duplicated row, text or inf in a number column…) accepted, or a harmless one
changing a result. ``python -m tests.fuzz frames`` runs it; ``tests/test_fuzz_frames.py``
draws the same mutations with Hypothesis.
"""

from __future__ import annotations

import functools
import math
import random
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import evalkit
from evalkit.errors import EvalkitError, InputError, ModelError
from tests._fuzz_inputs import Case, Chooser, Outcome, Tally, _short, _tb

MONTHS = ("2026-01", "2026-02", "2026-03")
MONTH = "2026-03"
DOORS = ("score_frame", "classify_frame", "rollup_frame", "classify_year")
BLANKS: tuple[Any, ...] = (None, float("nan"), "", "  ", "\u200b")
ZW = "\u200b"
#: Ids that must not be blank (a blank one is garbage); the others are data (a parent,
#: a manager, a head left blank changes the organisation).
KEY_IDS = {"staff": ("staff_id", "unit_id"), "units": ("unit_id",)}
OPTIONAL_IDS = {"staff": ("manager_id",), "units": ("parent_id", "head_id")}
TEXTS = ("abc", "năm", "5 điểm", "#N/A", "1e999", "--5", "∞")
HUGE: tuple[Any, ...] = (1e308, 10**20, 2**63)
DTYPES = ("object", "str", "string[pyarrow]", "category", "Int64", "Float64", "boolean")
#: The numbers of a results frame the year doors read: the staff's total, the units' score
#: and task counts (the months' other columns are their output, read by none).
YEAR_READS = ("total", "score", "tasks_assigned", "tasks_done", "tasks_exceeded",
              "tasks_on_time", "done_percent", "exceeded_percent", "on_time_percent")
YES_TEXT = {True: ("True", "true", "yes", "có", "x"), False: ("False", "false", "no", "không")}


@functools.cache
def _demo() -> tuple[pd.DataFrame, pd.DataFrame]:
    from evalkit.demo import load_demo

    d = load_demo()
    f, u = d.frame(), d.units_frame()
    f = f[f["period"].astype(str).isin(MONTHS)].reset_index(drop=True)
    u = u[u["period"].astype(str).isin(MONTHS)].reset_index(drop=True)
    return f, u


@functools.cache
def _months() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The quarter's classified months: classify_frame's staff and unit results."""
    f, u = _demo()
    return evalkit.classify_frame(f, u)


def inputs(door: str) -> dict[str, pd.DataFrame]:
    """The clean frames of ``door``, fresh copies: ``staff`` and (where it reads one)
    ``units``."""
    f, u = _demo()
    if door in ("score_frame", "classify_frame"):
        staff = f[f["period"].astype(str) == MONTH].reset_index(drop=True)
        if door == "score_frame":
            return {"staff": staff.copy()}
        return {"staff": staff.copy(), "units": u[u["period"].astype(str) == MONTH]
                .reset_index(drop=True).copy()}  # fmt: skip
    s, ur = _months()
    return {"staff": s.copy()} if door == "rollup_frame" else {"staff": s.copy(),
                                                               "units": ur.copy()}


def _key(v: Any) -> str:
    """An id as every door compares it (NFC, trimmed, no zero-width characters)."""
    text = unicodedata.normalize("NFC", str(v))
    return "".join(c for c in text if c not in "\u200b\u200c\u200d\u2060\ufeff").strip()


def call(door: str, frames: dict[str, pd.DataFrame]) -> dict[tuple[str, str], tuple[Any, Any]]:
    """Run ``door`` on ``frames``: (staff id, period) → (total, grade), and for
    classify_frame the units' too, keyed ``("unit:<id>", period)``."""
    staff, units = frames["staff"], frames.get("units")
    if door == "score_frame":
        out = evalkit.score_frame(staff)
        out = out.assign(staff_id=staff["staff_id"] if "staff_id" in staff.columns
                         else staff.index, period=staff["period"])  # fmt: skip
        unit_out = None
    elif door == "classify_frame":
        out, unit_out = evalkit.classify_frame(staff, units)
    elif door == "rollup_frame":
        out, unit_out = evalkit.rollup_frame(staff), None
    else:
        out, unit_out = evalkit.classify_year(staff, units), None
    got = _graded(out, "staff_id", "")
    if unit_out is not None:
        got |= _graded(unit_out, "unit_id", "unit:")
    return got


def _graded(out: pd.DataFrame, key: str, tag: str) -> dict[tuple[str, str], tuple[Any, Any]]:
    ids = out[key] if key in out.columns else pd.Series(out.index, index=out.index)
    total = out["total"] if "total" in out.columns else out.get("score", pd.Series(
        np.nan, index=out.index))
    res: dict[tuple[str, str], tuple[Any, Any]] = {}
    for i, p, t, g in zip(ids, out["period"].astype(str), total.astype(object),
                          out["grade"].astype(object), strict=True):  # fmt: skip
        res[(tag + _key(i), str(p))] = (None if pd.isna(t) else round(float(t), 6),
                                         None if pd.isna(g) else str(g))
    return res


@functools.cache
def clean_result(door: str) -> dict[tuple[str, str], tuple[Any, Any]]:
    """The clean input's result at ``door``."""
    return call(door, inputs(door))


# =========================================================================== mutations


def _numbers(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
            and not pd.api.types.is_bool_dtype(frame[c]) and frame[c].notna().any()]


def _bools(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c])]


def _set(frame: pd.DataFrame, row: int, col: str, value: Any) -> None:
    if frame[col].dtype != object:
        frame[col] = frame[col].astype(object)
    frame.iloc[row, frame.columns.get_loc(col)] = value


def _retyped(s: pd.Series, dtype: str) -> pd.Series | None:
    """``s`` as ``dtype`` where the values survive the change (None: they would not)."""
    try:
        if dtype in ("Int64", "Float64", "boolean"):
            if not pd.api.types.is_numeric_dtype(s.dtype):  # (bool is numeric here)
                return None
            if dtype == "Int64" and not (s.dropna() == s.dropna().round()).all():
                return None
            if dtype == "boolean" and not pd.api.types.is_bool_dtype(s):
                return None
        if dtype in ("str", "string[pyarrow]") and (
                pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
            return None  # a number as text is another family's (the workbook's) question
        return s.astype(dtype)
    except (TypeError, ValueError, ImportError):
        return None


KINDS_OF = ("blank_id", "blank_id", "padded_id", "duplicate_row", "unknown_ref", "cycle",
            "text_number", "negative", "huge", "inf", "bool_text", "dtype", "dtype",
            "dtype_all", "drop_column", "extra_column", "string_index", "duplicate_index",
            "empty", "period", "shuffle", "duplicate_column", "odd_column", "id_index",
            "period_dtype", "all_blank")  # fmt: skip


def mutate(door: str, frames: dict[str, pd.DataFrame], ch: Chooser) -> tuple[str, str]:
    """Mutate one of ``frames`` in place: (what was done, ``harmless`` | ``garbage`` |
    ``change``)."""
    which = ch.choice(sorted(frames))
    f = frames[which]
    side = "staff" if which == "staff" else "units"
    results = door in ("rollup_frame", "classify_year")
    op = ch.choice(KINDS_OF)
    r = ch.randint(0, max(len(f) - 1, 0))
    where = f"{door} {which}"
    if op in ("blank_id", "padded_id"):
        cols = [c for c in (*KEY_IDS[side], *OPTIONAL_IDS[side]) if c in f.columns]
        if not cols:
            return f"{where}: nothing ({op})", "harmless"
        col = ch.choice(cols)
        if op == "padded_id":
            if pd.isna(f[col].iloc[r]):
                return f"{where}: nothing", "harmless"
            v = ch.choice((" {} ", "{}" + ZW, "{}\u00a0", "\t{}"))
            v = v.format(f[col].iloc[r])
            _set(f, r, col, v)
            return f"{where} row {r} {col} = {v!r}", "harmless"
        v = ch.choice(BLANKS)
        _set(f, r, col, v)
        if ch.randint(0, 1):  # the column then typed as a caller's code may type it
            dtype = ch.choice(("str", "string[pyarrow]", "category"))
            f[col] = f[col].astype(dtype)
            v = f"{v!r} in {dtype}"
        # score_frame reads no organisation; the results doors read a unit id as data
        key = col == "staff_id" or (col in KEY_IDS[side] and door == "classify_frame")
        return f"{where} row {r} {col} = {v!r}", "garbage" if key else "change"
    if op == "duplicate_row":
        frames[which] = pd.concat([f, f.iloc[[r]]])
        return f"{where} row {r} twice", "garbage"
    if op == "unknown_ref":
        cols = [c for c in ("unit_id", "parent_id", "manager_id") if c in f.columns]
        if not cols:
            return f"{where}: nothing ({op})", "harmless"
        col = ch.choice(cols)
        _set(f, r, col, "ZZ-999")
        # the door that reads the organisation refuses an id found nowhere (a manager too:
        # only one absent from the period falls back to the unit's head, af244)
        org = door == "classify_frame"
        return f"{where} row {r} {col} = 'ZZ-999'", "garbage" if org else "change"
    if op == "cycle" and "parent_id" in f.columns:
        roots = np.flatnonzero(f["parent_id"].isna().to_numpy())
        kids = np.flatnonzero(f["parent_id"].notna().to_numpy()
                              & (f["period"].astype(str) == f["period"].astype(str)
                                 .iloc[roots[0]]).to_numpy())  # fmt: skip
        _set(f, int(roots[0]), "parent_id", f["unit_id"].iloc[int(kids[0])])
        return f"{where} root's parent is its child", "garbage" if not results else "change"
    if op in ("text_number", "negative", "huge", "inf"):
        cols = _numbers(f)
        if not cols:
            return f"{where}: nothing ({op})", "harmless"
        col = ch.choice(cols)
        v: Any = {"text_number": lambda: ch.choice(TEXTS), "negative": lambda: ch.choice(
            (-1, -0.5, -1e9)), "huge": lambda: ch.choice(HUGE),
            "inf": lambda: ch.choice((math.inf, -math.inf))}[op]()  # fmt: skip
        _set(f, r, col, v)
        # text, inf and a negative score are never data; a huge or negative count may
        # be refused or read (a deduction, a month's worth of bonus: the door decides)
        # (the results doors read a results frame's total, not the columns beside it)
        read = not results or col in YEAR_READS
        scale = col in (*_criteria(), "total", "score") or col.startswith("tasks_")
        bad = read and (op in ("text_number", "inf") or (op == "negative" and scale))
        return f"{where} row {r} {col} = {_short(v)}", "garbage" if bad else "change"
    if op == "bool_text":
        cols = _bools(f)
        if not cols:
            return f"{where}: nothing", "harmless"
        if not cols:
            return f"{where}: nothing ({op})", "harmless"
        col = ch.choice(cols)
        value = bool(f[col].iloc[r])
        v = ch.choice((*YES_TEXT[value], "maybe"))
        _set(f, r, col, v)
        # (a results frame's yes/no columns are the months' output, read by none)
        return f"{where} row {r} {col} {value} as {v!r}", "garbage" if v == "maybe" and \
            not results else "harmless" if v != "maybe" else "change"  # fmt: skip
    if op in ("dtype", "dtype_all"):
        dtype = ch.choice(DTYPES)
        cols = list(f.columns) if op == "dtype_all" else [ch.choice(list(f.columns))]
        done = []
        for c in cols:
            s = _retyped(f[c], dtype)
            if s is not None:
                f[c] = s
                done.append(c)
        return f"{where} {', '.join(done) if len(done) < 4 else f'{len(done)} columns'} as "\
            f"{dtype}", "harmless"  # fmt: skip
    if op == "drop_column":
        col = ch.choice(list(f.columns))
        frames[which] = f.drop(columns=[col])
        need = {"staff": ("staff_id", "period", "unit_id")[:2 if door == "score_frame" else 3],
                "units": ("unit_id",)}[side]
        if results:
            need = ("staff_id", "period", "total") if side == "staff" else ("unit_id",)
        return f"{where} column {col} dropped", "garbage" if col in need else "change"
    if op == "extra_column":
        col = ch.choice(("_note", "x_note", "Tasks_Done", "ghi_chu", "Discipline"))
        f[col] = ch.choice(("x", 5, None))
        return f"{where} extra column {col}", "harmless" if col[0] in "_x" else "change"
    if op == "string_index":
        f.index = [f"r{i}" for i in range(len(f))]
        return f"{where} index of text", "harmless"
    if op == "duplicate_index":
        f.index = [i // 2 for i in range(len(f))]
        return f"{where} index with duplicates", "change"
    if op == "empty":
        frames[which] = f.iloc[0:0]
        return f"{where} empty", "change"
    if op == "period" and "period" in f.columns:
        v = ch.choice(("2026-13", "March", "", None, 202603, "2026-Q1", "2026", "2026-3",
                       pd.Period("2026-03", "M"), "03/2026"))  # fmt: skip
        _set(f, r, "period", v)
        return f"{where} row {r} period = {v!r}", "change"
    if op == "duplicate_column":
        col = ch.choice(list(f.columns))
        frames[which] = pd.concat([f, f[[col]]], axis=1)
        return f"{where} column {col} twice", "garbage"
    if op == "odd_column":
        name = ch.choice((5, None, ("a", "b"), "", 2.5, " staff_id"))
        f[name] = 1
        return f"{where} extra column {name!r}", "garbage" if not results else "change"
    if op == "id_index" and side == "staff" and not results and "staff_id" in f.columns:
        frames[which] = f.set_index("staff_id")
        return f"{where} staff_id as the index", "harmless"
    if op == "period_dtype" and "period" in f.columns:
        how = ch.choice(("period", "timestamp", "datetime64"))
        p = pd.PeriodIndex(f["period"].astype(str), freq="M")
        f["period"] = {"period": lambda: pd.Series(p, index=f.index),
                       "timestamp": lambda: pd.Series(p.to_timestamp(), index=f.index,
                                                      dtype=object),
                       "datetime64": lambda: pd.Series(p.to_timestamp(), index=f.index)}[how]()
        return f"{where} period as {how}", "change"
    if op == "all_blank":
        cols = [c for c in (*KEY_IDS[side], *OPTIONAL_IDS[side]) if c in f.columns]
        if not cols:
            return f"{where}: nothing ({op})", "harmless"
        col = ch.choice(cols)
        f[col] = pd.Series(ch.choice(BLANKS), index=f.index, dtype=object)
        key = col == "staff_id" or (col in KEY_IDS[side] and door == "classify_frame")
        return f"{where} every {col} blank", "garbage" if key else "change"
    if op == "shuffle":
        frames[which] = f.sample(frac=1.0, random_state=ch.randint(0, 10**6))
        return f"{where} rows shuffled", "harmless"
    return f"{where}: nothing ({op})", "harmless"


@functools.cache
def _criteria() -> frozenset[str]:
    return frozenset(c.id for rid in ("vn.nd335-2025", "vn.nd233-2026", "vn.nd90-2020")
                     for c in evalkit.rules.get(rid).criteria())  # fmt: skip


# =========================================================================== judging


def _labels(frames: dict[str, pd.DataFrame]) -> set[str]:
    return {str(x) for f in frames.values() for x in f.index}


def _judge_error(exc: Exception, frames: dict[str, pd.DataFrame]) -> Outcome:
    if isinstance(exc, InputError):
        if not exc.problems:
            return Outcome("failure", "an InputError with no problem listed")
        labels = _labels(frames)
        for p in exc.problems:
            if getattr(p, "unlisted", 0):
                continue
            if not p.message:
                return Outcome("failure", f"a problem without a message: {p!r}")
            if p.row is None and p.column is None:
                return Outcome("failure", f"a problem that names no row or column: {p}")
            if p.row is not None and str(p.row) not in labels:
                return Outcome("failure", f"a problem at a row the frames lack: {p}")
        return Outcome("located", str(exc.problems[0]))
    if isinstance(exc, ModelError):
        ids = {_key(v) for f in frames.values() for c in ("staff_id", "unit_id")
               if c in f.columns for v in f[c].dropna()} - {""}
        text = str(exc)
        if any(re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text) for i in ids):
            return Outcome("located", text.split("\n", maxsplit=1)[0])
        return Outcome("failure", f"{type(exc).__name__} naming no id: {text[:300]}")
    return Outcome("failure", f"{type(exc).__name__} is no located error: {exc}")


def _differs(got: dict[Any, Any], want: dict[Any, Any]) -> str:
    keys = sorted(set(got) | set(want), key=str)
    return "\n".join(f"  {k}: got {got.get(k)}, expected {want.get(k)}"
                     for k in keys if got.get(k) != want.get(k))[:1500]  # fmt: skip


def run_case(case: Case) -> Outcome:
    """Run one mutant at its door and sort it."""
    door, frames, kind = case.preset, case.payload, case.expected
    try:
        got = call(door, frames)
    except EvalkitError as exc:
        return _judge_error(exc, frames)
    except Exception:
        return Outcome("failure", "the door raised:\n" + _tb())
    base = clean_result(door)
    if kind == "garbage":
        return Outcome("failure", "accepted a mutation that must be refused")
    if kind == "harmless":
        if got == base:
            return Outcome("accepted", identical=True)
        return Outcome("failure", "a harmless mutation changed the result:\n"
                       + _differs(got, base))  # fmt: skip
    return Outcome("accepted", identical=got == base)


def frames_case(ch: Chooser) -> Case:
    """One mutant: a door, its frames, one mutation (or two, now and then: the worse kind
    of the two is the mutant's)."""
    door = ch.choice(DOORS)
    frames = inputs(door)
    what, kind = mutate(door, frames, ch)
    if ch.randint(0, 3) == 0 and kind != "garbage" and all(len(f) for f in frames.values()):
        what2, kind2 = mutate(door, frames, ch)
        what, kind = f"{what}; {what2}", max(kind, kind2, key=_WORSE.index)
    return Case(door, what, kind == "harmless", frames, kind)


_WORSE = ("harmless", "change", "garbage")


def run_one(ch: Chooser, folder: Path | None = None) -> tuple[Case, Outcome]:
    """Make one mutant and run it (``folder`` unused: the doors read no file)."""
    try:
        case = frames_case(ch)
    except Exception:
        return Case("harness", "building the mutant", False), Outcome(
            "failure", "the harness raised:\n" + _tb())  # fmt: skip
    try:
        return case, run_case(case)
    except Exception:
        return case, Outcome("failure", "the harness raised:\n" + _tb())


def run(n: int, seed: int = 0, *, progress: Callable[[int], None] | None = None
        ) -> list[Tally]:  # fmt: skip
    """Try ``n`` mutants of the frame doors from ``seed``."""
    rnd = random.Random(seed)
    tally = Tally("frames (score/classify/rollup/year)")
    with tempfile.TemporaryDirectory(prefix="fuzz-frames-") as d:
        for k in range(n):
            tally.add(*run_one(rnd, Path(d)))
            if progress is not None:
                progress(k + 1)
    return [tally]
