"""Column helpers shared by the engine's modules: codes, grades, ranks and reason labels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit.errors import InputError, InputProblem, ModelError
from evalkit.model import Grade, Period
from evalkit.scoring import GRADE_DTYPE

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

KHT = int(Grade.KHT)
HT = int(Grade.HT)
HTT = int(Grade.HTT)
HTXS = int(Grade.HTXS)


def canonical_periods(col: pd.Series) -> tuple[IntArray, list[str]]:
    """Codes and canonical labels (``'2026-03'``) of a period column (parsed once per value)."""
    codes, uniq = pd.factorize(col.astype(object), use_na_sentinel=True)
    if (codes < 0).any():
        rows = np.flatnonzero(codes < 0)
        raise InputError([InputProblem("period is blank", row=int(i), column="period")
                          for i in rows[:200]])  # fmt: skip
    problems: list[InputProblem] = []
    labels: list[str] = []
    for i, u in enumerate(uniq.tolist()):
        try:
            labels.append(str(Period.parse(u)))
        except ModelError as exc:
            row = int(np.flatnonzero(codes == i)[0])
            problems.append(InputProblem(str(exc), row=row, column="period", value=u))
            labels.append("")
    if problems:
        raise InputError(problems)
    canon, remap = np.unique(np.array(labels, dtype=object), return_inverse=True)
    return remap.reshape(-1)[codes].astype(np.int64), [str(x) for x in canon]


def codes_in(values: pd.Series | npt.NDArray[Any], index: pd.Index) -> IntArray:
    """Position of each value in ``index`` (-1 when absent or blank)."""
    return np.asarray(index.get_indexer(pd.Index(values)), dtype=np.int64)


def floats(frame: pd.DataFrame, name: str) -> FloatArray:
    """A numeric column as float64 (NaN where absent or blank)."""
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def bools(frame: pd.DataFrame, name: str) -> BoolArray:
    """A boolean column (False where absent or blank)."""
    if name not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    col = frame[name]
    if col.dtype == bool:
        return col.to_numpy()
    if pd.api.types.is_numeric_dtype(col.dtype) or isinstance(col.dtype, pd.BooleanDtype):
        return col.fillna(False).astype(bool).to_numpy()
    text = col.astype(object).where(col.notna(), "").astype(str).str.strip().str.lower()
    return text.isin(["x", "1", "true", "yes", "có", "co", "1.0"]).to_numpy()


def texts(frame: pd.DataFrame, name: str) -> npt.NDArray[np.object_]:
    """A text column as an object array (None where absent or blank)."""
    if name not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    col = frame[name].astype(object)
    out = col.where(col.notna(), None).to_numpy(dtype=object)
    blank = np.array([isinstance(v, str) and not v.strip() for v in pd.unique(out)], dtype=bool)
    if blank.any():
        uniq = pd.unique(out)
        for v in uniq[blank]:
            out[out == v] = None
    return out


def grade_codes(frame: pd.DataFrame, name: str) -> npt.NDArray[np.int8]:
    """Grade codes (-1 = blank) of a text or categorical grade column, e.g. ``competent_grade``.

    Every unknown value is reported with its row.
    """
    n = len(frame)
    if name not in frame.columns:
        return np.full(n, -1, dtype=np.int8)
    col = frame[name]
    codes, uniq = pd.factorize(col.astype(object), use_na_sentinel=True)
    lut = np.empty(len(uniq), dtype=np.int8)
    problems: list[InputProblem] = []
    for i, value in enumerate(uniq.tolist()):
        if isinstance(value, str) and not value.strip():
            lut[i] = -1
            continue
        try:
            lut[i] = int(Grade.parse(value))
        except ModelError:
            for row in np.flatnonzero(codes == i)[:200]:
                problems.append(InputProblem(
                    f"unknown grade {value!r}; expected one of HTXS, HTT, HT, KHT or blank",
                    row=_row(frame.index[row]), column=name, value=value,
                    staff_id=_sid(frame, int(row))))  # fmt: skip
    if problems:
        raise InputError(problems)
    out = np.where(codes >= 0, lut[np.maximum(codes, 0)] if len(uniq) else -1, -1)
    return np.asarray(out, dtype=np.int8)


def _row(label: Any) -> int | None:
    try:
        return int(label)
    except (TypeError, ValueError):
        return None


def _sid(frame: pd.DataFrame, i: int) -> str | None:
    if "staff_id" in frame.columns:
        v = frame["staff_id"].iloc[i]
        return None if pd.isna(v) else str(v)
    return None


def grades(codes: npt.NDArray[Any]) -> pd.Categorical:
    """Grade codes (-1 = none) as the ordered grade categorical."""
    return pd.Categorical.from_codes(np.asarray(codes).astype(np.int8), dtype=GRADE_DTYPE)


def rank_within(groups: IntArray, *keys: Any) -> IntArray:
    """0-based rank of each row inside its group under ``keys`` (primary first)."""
    n = groups.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((*reversed(keys), groups))
    g = groups[order]
    start = np.r_[True, g[1:] != g[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(n), 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - first
    return rank


def join_reasons(
    base: Sequence[str] | pd.Categorical | npt.NDArray[Any],
    flags: IntArray,
    names: Mapping[int, str],
) -> pd.Categorical:
    """Join base reason codes (``'a;b'`` per row) and flag codes into ``;``-strings.

    ``names`` maps a flag bit to its code; codes keep the order base, then flags by bit.
    Vectorised over the distinct (base, flags) pairs.
    """
    base_s = pd.Series(np.asarray(base, dtype=object)).fillna("").astype(str)
    bcode, blabels = pd.factorize(base_s)
    key = bcode.astype(np.int64) * (1 << 20) + flags.astype(np.int64)
    uniq, inverse = np.unique(key, return_inverse=True)
    out: list[str] = []
    for u in uniq.tolist():
        b = str(blabels[u >> 20]) if len(blabels) else ""
        parts = [c for c in b.split(";") if c]
        parts += [code for bit, code in names.items() if (u & ((1 << 20) - 1)) & bit
                  and code not in parts]  # fmt: skip
        out.append(";".join(parts))
    cats = list(dict.fromkeys(out))
    remap = np.array([cats.index(x) for x in out], dtype=np.int32)
    return pd.Categorical.from_codes(remap[inverse.reshape(-1)], dtype=pd.CategoricalDtype(cats))
