"""The archive of finalized months: an SQLite file (standard library, WAL mode).

* :meth:`Archive.finalize` stores a month's results in **one transaction**: either every
  row is there or none is (a process killed in the middle leaves the file as before).
* A finalized month is **immutable**: finalizing it again raises, and triggers refuse any
  UPDATE or DELETE of archived rows.
* A correction is an **amendment** (:meth:`Archive.amend`) recording who, when, why, the
  previous values and the new ones; :meth:`Archive.month` shows the current values,
  :meth:`Archive.history` every earlier one.
* :meth:`Archive.annual` rolls a year up from the archive.
* Two processes writing at once neither corrupt the file nor lose a write: WAL journal,
  ``busy_timeout``, and ``BEGIN IMMEDIATE`` for every write.
* The schema carries its version (table ``schema_version``) and migrates forward on
  open; a file from a newer evalkit is refused.

>>> import tempfile, pathlib, pandas as pd
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.sqlite"
>>> frame = pd.DataFrame({"staff_id": ["A"], "unit_id": ["U"], "period": ["2026-03"],
...     "rule_set": ["vn.nd335-2025"], "total": [91.0], "grade": ["HTXS"]})
>>> with Archive(path) as arc:
...     m = arc.finalize(frame, by="TCCB")
...     print(m.period, m.rows, arc.month("2026-03")["grade"].tolist())
2026-03 1 ['HTXS']
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit.errors import EvalkitError, InputError, InputProblem
from evalkit.model import Grade, Period

_encode_str: Callable[[str], str] = json.encoder.encode_basestring

__all__ = [
    "SCHEMA_VERSION",
    "Amendment",
    "Archive",
    "ArchiveError",
    "FinalizedMonth",
    "MonthAlreadyFinalizedError",
    "default_archive_path",
]

#: The schema version this evalkit writes; older files migrate forward on open.
SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 60_000
_PROGRESS_EVERY = 1_000

#: Archived columns with their own SQL columns; everything else is kept in ``data``.
_KEY_COLUMNS = ("staff_id", "unit_id", "rule_set", "total", "score_grade", "grade", "reasons")
#: Columns a roll-up reads besides the key columns (from the stored JSON when present).
_ROLLUP_EXTRA = ("discipline", "leave")

# Each migration takes the schema from version i to i + 1 (index 0: empty -> 1).
_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE months (
        period       TEXT PRIMARY KEY,
        rule_set     TEXT,
        finalized_at TEXT NOT NULL,
        finalized_by TEXT NOT NULL,
        rows         INTEGER NOT NULL,
        checksum     TEXT NOT NULL
    );
    CREATE TABLE results (
        period      TEXT NOT NULL REFERENCES months(period),
        staff_id    TEXT NOT NULL,
        unit_id     TEXT,
        rule_set    TEXT,
        total       REAL,
        score_grade TEXT,
        grade       TEXT,
        reasons     TEXT,
        data        TEXT NOT NULL,
        PRIMARY KEY (period, staff_id)
    );
    CREATE TABLE amendments (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        period      TEXT NOT NULL,
        staff_id    TEXT NOT NULL,
        amended_at  TEXT NOT NULL,
        amended_by  TEXT NOT NULL,
        reason      TEXT NOT NULL,
        previous    TEXT NOT NULL,
        new         TEXT NOT NULL,
        FOREIGN KEY (period, staff_id) REFERENCES results(period, staff_id)
    );
    CREATE TRIGGER months_immutable_u BEFORE UPDATE ON months
        BEGIN SELECT RAISE(ABORT, 'a finalized month is immutable'); END;
    CREATE TRIGGER months_immutable_d BEFORE DELETE ON months
        BEGIN SELECT RAISE(ABORT, 'a finalized month is immutable'); END;
    CREATE TRIGGER results_immutable_u BEFORE UPDATE ON results
        BEGIN SELECT RAISE(ABORT, 'finalized results are immutable; record an amendment'); END;
    CREATE TRIGGER results_immutable_d BEFORE DELETE ON results
        BEGIN SELECT RAISE(ABORT, 'finalized results are immutable; record an amendment'); END;
    CREATE TRIGGER amendments_append_only_u BEFORE UPDATE ON amendments
        BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END;
    CREATE TRIGGER amendments_append_only_d BEFORE DELETE ON amendments
        BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END;
    """,
    """
    CREATE INDEX results_unit ON results(unit_id, period);
    CREATE INDEX amendments_person ON amendments(period, staff_id, id);
    CREATE TABLE unit_results (
        period   TEXT NOT NULL REFERENCES months(period),
        unit_id  TEXT NOT NULL,
        grade    TEXT,
        data     TEXT NOT NULL,
        PRIMARY KEY (period, unit_id)
    );
    CREATE TRIGGER unit_results_immutable_u BEFORE UPDATE ON unit_results
        BEGIN SELECT RAISE(ABORT, 'finalized unit results are immutable'); END;
    CREATE TRIGGER unit_results_immutable_d BEFORE DELETE ON unit_results
        BEGIN SELECT RAISE(ABORT, 'finalized unit results are immutable'); END;
    """,
)
assert len(_MIGRATIONS) == SCHEMA_VERSION


class ArchiveError(EvalkitError):
    """The archive refused an operation (immutable month, unknown month, newer schema)."""


class MonthAlreadyFinalizedError(ArchiveError):
    """The month is already finalized; corrections are amendments."""


@attrs.frozen(slots=True)
class FinalizedMonth:
    """A month in the archive: who finalized it, when, how many rows, their checksum."""

    period: Period
    rule_set: str | None
    finalized_at: str
    finalized_by: str
    rows: int
    checksum: str


@attrs.frozen(slots=True)
class Amendment:
    """A correction of one finalized result: who, when, why, the previous and new values."""

    id: int
    period: Period
    staff_id: str
    amended_at: str
    amended_by: str
    reason: str
    previous: Mapping[str, Any]
    new: Mapping[str, Any]


def default_archive_path() -> Path:
    """``$EVALKIT_ARCHIVE`` or ``evalkit-archive.sqlite`` in the working directory."""
    return Path(os.environ.get("EVALKIT_ARCHIVE", "evalkit-archive.sqlite"))


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if v is None or isinstance(v, str | int | float | bool):
        return v
    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp | _dt.date):
        return v.isoformat()
    return str(v)


class Archive:
    """An SQLite archive of finalized months at ``path`` (created when missing).

    Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, timeout_ms: int = BUSY_TIMEOUT_MS):
        self.path = Path(path) if path is not None else default_archive_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(
                self.path, timeout=timeout_ms / 1000, isolation_level=None, check_same_thread=False
            )
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"{self.path} is not a usable evalkit archive: {exc}") from None

    # ------------------------------------------------------------------ plumbing
    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def _write(self) -> _Tx:
        return _Tx(self._db)

    def schema_version(self) -> int:
        """The schema version of the file."""
        row = self._db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        with self._write() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            current = int(db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0)
            if current > SCHEMA_VERSION:
                raise ArchiveError(
                    f"archive {self.path} has schema version {current}, newer than this "
                    f"evalkit supports ({SCHEMA_VERSION}); upgrade evalkit"
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in _statements(_MIGRATIONS[version - 1]):
                    db.execute(statement)
                db.execute("INSERT INTO schema_version VALUES (?, ?)", (version, _now()))

    # ------------------------------------------------------------------ finalize
    def finalize(
        self,
        results: pd.DataFrame,
        *,
        by: str,
        period: Period | str | None = None,
        units: pd.DataFrame | None = None,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> FinalizedMonth:
        """Archive a month's results frame in one transaction; return the month's record.

        ``results`` needs ``staff_id`` and either a ``period`` column or ``period``; other
        columns are kept as they are. ``units`` (optional) are the month's unit results
        (``unit_id``, ``grade`` ...). Raises :class:`MonthAlreadyFinalizedError` if the
        month is already archived and :class:`~evalkit.errors.InputError` for results
        that are not one month of unique staff ids.
        """
        if not by or not str(by).strip():
            raise InputError([InputProblem("finalize needs who finalizes (by=...)")])
        per = self._period_of(results, period)
        frame = results.reset_index(drop=results.index.name != "row")
        problems: list[InputProblem] = []
        if "staff_id" not in frame.columns:
            problems.append(InputProblem("results have no staff_id column", column="staff_id"))
        else:
            ids = frame["staff_id"]
            for sid in ids[ids.isna()].index:
                problems.append(InputProblem("blank staff id", row=int(sid), column="staff_id"))
            for sid in pd.unique(ids[ids.notna() & ids.duplicated()]):
                problems.append(InputProblem("duplicate staff id in the results",
                                             column="staff_id", value=str(sid)))  # fmt: skip
        if problems:
            raise InputError(problems)
        values, texts = _encode(frame)
        total = len(frame)
        none = [None] * total
        staff_ids = [str(v) for v in values["staff_id"]]
        rows = list(zip(
            [str(per)] * total, staff_ids,
            *(values.get(c, none) for c in _KEY_COLUMNS[1:]), texts, strict=True,
        ))  # fmt: skip
        order = np.argsort(np.asarray(staff_ids, dtype=object), kind="stable")
        checksum = hashlib.sha256(
            "\n".join(np.asarray(texts, dtype=object)[order].tolist()).encode()
        ).hexdigest()
        rule_set = next((str(v) for v in values.get("rule_set", ()) if v), None)
        rule_set = rule_set or results.attrs.get("rule_set")
        at = _now()
        with self._write() as db:
            exists = db.execute("SELECT finalized_at, finalized_by FROM months WHERE period = ?",
                                (str(per),)).fetchone()  # fmt: skip
            if exists:
                raise MonthAlreadyFinalizedError(
                    f"{per} was finalized on {exists[0]} by {exists[1]}; it cannot change — "
                    "record a correction with amend()"
                )
            db.execute("INSERT INTO months VALUES (?, ?, ?, ?, ?, ?)",
                       (str(per), rule_set, at, str(by), total, checksum))  # fmt: skip
            for start in range(0, total, _PROGRESS_EVERY):
                db.executemany(
                    "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows[start : start + _PROGRESS_EVERY],
                )
                if progress is not None:
                    progress(min(start + _PROGRESS_EVERY, total), total)
            if units is not None and not units.empty:
                ufr = units.reset_index() if "unit_id" not in units.columns else units
                db.executemany(
                    "INSERT INTO unit_results VALUES (?, ?, ?, ?)",
                    [(str(per), str(u["unit_id"]), u.get("grade"),
                      json.dumps(u, ensure_ascii=False, sort_keys=True))
                     for u in _records(ufr)],
                )  # fmt: skip
        return FinalizedMonth(per, rule_set, at, str(by), total, checksum)

    @staticmethod
    def _period_of(results: pd.DataFrame, period: Period | str | None) -> Period:
        found: set[str] = set()
        if "period" in results.columns:
            found = {str(Period.parse(p)) for p in pd.unique(results["period"].dropna())}
        if period is not None:
            per = Period.parse(period)
            other = found - {str(per)}
            if other:
                raise InputError([InputProblem(
                    f"results hold {', '.join(sorted(other))}, not only {per}", column="period",
                )])  # fmt: skip
            return per
        if len(found) != 1:
            what = ", ".join(sorted(found)) or "none"
            raise InputError([InputProblem(
                f"results must hold exactly one month to finalize (found: {what})",
                column="period",
            )])  # fmt: skip
        per = Period.parse(found.pop())
        if per.kind != "month":
            raise InputError([InputProblem(f"{per} is not a month", column="period")])
        return per

    # ------------------------------------------------------------------ amend
    def amend(
        self,
        period: Period | str,
        staff_id: str,
        changes: Mapping[str, Any],
        *,
        by: str,
        why: str,
    ) -> Amendment:
        """Correct one finalized result; the previous values, who, when and why are kept.

        ``changes`` maps column names to new values (``grade`` is checked to be a grade,
        ``total`` a number). Raises :class:`ArchiveError` for a month or person not in
        the archive.
        """
        per = Period.parse(period)
        if not by or not str(by).strip() or not why or not str(why).strip():
            raise InputError([InputProblem("an amendment needs who (by) and why")])
        if not changes:
            raise InputError([InputProblem("an amendment needs at least one changed value")])
        new = {str(k): _plain(v) for k, v in changes.items()}
        for key in ("grade", "score_grade", "unit_grade"):
            if key in new and new[key] is not None:
                new[key] = Grade.parse(new[key]).code
        if "total" in new and new["total"] is not None:
            try:
                new["total"] = float(new["total"])
            except (TypeError, ValueError):
                raise InputError([InputProblem("total must be a number", column="total",
                                               value=new["total"])]) from None  # fmt: skip
        if "staff_id" in new or "period" in new:
            raise InputError([InputProblem("staff_id and period cannot be amended")])
        with self._write() as db:
            current = _current(db, str(per), staff_id)
            if current is None:
                raise ArchiveError(f"no finalized result for staff {staff_id!r} in {per}")
            previous = {k: current.get(k) for k in new}
            at = _now()
            cur = db.execute(
                "INSERT INTO amendments (period, staff_id, amended_at, amended_by, reason, "
                "previous, new) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (str(per), staff_id, at, by, why, json.dumps(previous, ensure_ascii=False),
                 json.dumps(new, ensure_ascii=False)),
            )  # fmt: skip
            aid = int(cur.lastrowid or 0)
        return Amendment(aid, per, staff_id, at, by, why, previous, new)

    # ------------------------------------------------------------------ reading
    def months(self) -> list[FinalizedMonth]:
        """Every finalized month, in order."""
        rows = self._db.execute(
            "SELECT period, rule_set, finalized_at, finalized_by, rows, checksum FROM months "
            "ORDER BY period"
        ).fetchall()
        return [FinalizedMonth(Period.parse(r[0]), *r[1:]) for r in rows]

    def is_finalized(self, period: Period | str) -> bool:
        """Whether ``period`` is in the archive."""
        row = self._db.execute("SELECT 1 FROM months WHERE period = ?",
                               (str(Period.parse(period)),)).fetchone()  # fmt: skip
        return row is not None

    def month(self, period: Period | str, *, original: bool = False) -> pd.DataFrame:
        """A finalized month's results with amendments applied (``original=True``: as
        finalized). Raises :class:`ArchiveError` for a month not in the archive."""
        per = str(Period.parse(period))
        if not self.is_finalized(per):
            raise ArchiveError(f"{per} is not finalized in {self.path}")
        data = [json.loads(r[0]) for r in self._db.execute(
            "SELECT data FROM results WHERE period = ? ORDER BY rowid", (per,))]  # fmt: skip
        frame = pd.DataFrame.from_records(data)
        if not original and not frame.empty:
            frame = _apply_amendments(self._db, frame, [per])
        if "row" in frame.columns:
            frame = frame.set_index("row")
        frame.attrs["period"] = per
        return frame

    def history(self, period: Period | str, staff_id: str) -> list[Amendment]:
        """Every amendment of one person's result in a month, oldest first."""
        per = str(Period.parse(period))
        rows = self._db.execute(
            "SELECT id, period, staff_id, amended_at, amended_by, reason, previous, new "
            "FROM amendments WHERE period = ? AND staff_id = ? ORDER BY id", (per, staff_id),
        ).fetchall()  # fmt: skip
        return [
            Amendment(r[0], Period.parse(r[1]), r[2], r[3], r[4], r[5], json.loads(r[6]),
                      json.loads(r[7]))
            for r in rows
        ]  # fmt: skip

    def year(self, year: int) -> pd.DataFrame:
        """Every finalized month of ``year`` (amendments applied), one row per person-month."""
        pers = [str(m.period) for m in self.months() if m.period.year == year]
        if not pers:
            return pd.DataFrame(columns=["staff_id", "period", "total", "grade"])
        frames = [self.month(p).reset_index(drop=True) for p in pers]
        return pd.concat(frames, ignore_index=True)

    def _rollup_input(self, year: int) -> pd.DataFrame:
        """What a roll-up reads of ``year``: :meth:`year`'s rows, only the columns it uses.

        The key columns come straight from their SQL columns and ``discipline`` / ``leave``
        from the stored JSON (only when some row or amendment has them), so a province's
        year (~900,000 rows) is read without decoding each row's JSON in Python.
        Amendments are applied as in :meth:`month`.
        """
        pers = [str(m.period) for m in self.months() if m.period.year == year]
        if not pers:
            return pd.DataFrame(columns=["staff_id", "period", "total", "grade"])
        marks = ",".join("?" * len(pers))
        amendments = self._db.execute(
            f"SELECT period, staff_id, new FROM amendments WHERE period IN ({marks}) "
            "ORDER BY id", pers,
        ).fetchall()  # fmt: skip
        changes = [(p, sid, json.loads(new)) for p, sid, new in amendments]
        keys = {k for _, _, new in changes for k in new}
        spans = []
        for per in pers:  # finalize writes every column for every row: one row has the keys
            # two queries: SQLite answers a lone MIN or MAX from the index's end
            lo = self._db.execute("SELECT MIN(rowid) FROM results WHERE period = ?",
                                  (per,)).fetchone()[0]  # fmt: skip
            hi = self._db.execute("SELECT MAX(rowid) FROM results WHERE period = ?",
                                  (per,)).fetchone()[0]  # fmt: skip
            first = self._db.execute("SELECT data FROM results WHERE rowid = ?", (lo,)).fetchone()
            if first is not None:
                keys |= set(json.loads(first[0]))
                spans.append((per, lo, hi))
        extras = [k for k in _ROLLUP_EXTRA if k in keys]
        names = ["staff_id", "total", "reasons", *extras]
        sql = ", ".join(["staff_id", "total", "reasons"]
                        + [f"json_extract(data, '$.{k}')" for k in extras])  # fmt: skip
        parts: dict[str, list[npt.NDArray[Any]]] = {name: [] for name in ["period", *names]}
        for per, lo, hi in spans:  # a rowid range: the month's rows in the order written
            rows = self._db.execute(
                f"SELECT {sql} FROM results NOT INDEXED WHERE rowid BETWEEN ? AND ? "
                "AND period = ?", (lo, hi, per),
            ).fetchall()  # fmt: skip
            if not rows:
                continue
            parts["period"].append(np.full(len(rows), per, dtype=object))
            table = np.array(rows, dtype=object)  # one C pass; columns are views
            for j, name in enumerate(names):
                column = table[:, j]
                if name == "total":  # REAL or NULL; anything else is not a number
                    column = pd.to_numeric(column, errors="coerce").astype(np.float64)
                parts[name].append(column)
        cols: dict[str, npt.NDArray[Any]] = {
            name: np.concatenate(arrays) if arrays else np.zeros(0, dtype=object)
            for name, arrays in parts.items()
        }
        n = len(cols["period"])
        if changes:
            keys_at = pd.MultiIndex.from_tuples([(p, sid) for p, sid, _ in changes])
            where = pd.MultiIndex.from_arrays([cols["period"], cols["staff_id"]]).get_indexer(
                keys_at
            )
            for (_, _, new), at in zip(changes, where, strict=True):
                if at < 0:
                    continue
                for key, value in new.items():
                    if key not in cols:
                        cols[key] = np.full(n, None, dtype=object)
                    cols[key][at] = np.nan if key == "total" and value is None else value
        return pd.DataFrame(cols)

    def annual(self, year: int, *, rules: Any = None) -> pd.DataFrame:
        """Roll the finalized months of ``year`` up to one row per person.

        Uses :func:`evalkit.units.rollup_frame` when available; otherwise the average of
        the monthly totals banded by the rule set (``rules`` or the months' own), with
        the roll-up policy's minimum of months and discipline → KHT. Columns:
        ``staff_id``, ``unit_id``, ``months``, ``total``, ``annual_grade``, ``reasons``.
        """
        monthly = self._rollup_input(year)
        if monthly.empty:
            raise ArchiveError(f"no finalized month of {year} in {self.path}")
        monthly.attrs["year"] = year
        try:
            import evalkit.units as units_mod
        except ImportError:
            units_mod = None  # type: ignore[assignment]
        fn = getattr(units_mod, "rollup_frame", None) if units_mod is not None else None
        if fn is not None:
            out = fn(monthly, rules=rules) if rules is not None else fn(monthly)
            return out if isinstance(out, pd.DataFrame) else pd.DataFrame(out)
        return _average_rollup(monthly, year, rules)


class _Tx:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error): one write transaction."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if t is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")


def _statements(script: str) -> Iterator[str]:
    buf = ""
    for line in script.strip().splitlines():
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            yield buf.strip()
            buf = ""


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    obj = frame.astype(object)
    return [
        {str(k): _plain(v) for k, v in r.items()}
        for r in obj.where(frame.notna(), None).to_dict(orient="records")
    ]


def _json_strings(values: list[Any]) -> list[str]:
    """JSON texts of plain strings (or None), as ``json.dumps(..., ensure_ascii=False)``."""
    arr = np.asarray(values, dtype=object)
    present = ~pd.isna(arr)
    out = np.full(len(values), "null", dtype=object)
    # the C encoder json.dumps itself uses for a str when ensure_ascii=False
    out[present] = list(map(_encode_str, arr[present].tolist()))
    return list(out)


def _encode_column(s: pd.Series) -> tuple[list[Any], list[str]]:
    """A column's plain values (None for missing) and their JSON texts, column at a time.

    The values are what :func:`_plain` gives each cell; the texts are exactly what
    ``json.dumps(value, ensure_ascii=False)`` gives. Only unusual object columns fall
    back to a call per cell.
    """
    n = len(s)
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cats = [_plain(c) for c in dtype.categories]
        cat_values = np.array([*cats, None], dtype=object)
        cat_texts = np.array([*(json.dumps(c, ensure_ascii=False) for c in cats), "null"],
                             dtype=object)  # fmt: skip
        codes = np.asarray(s.cat.codes, dtype=np.int64)
        codes = np.where(codes < 0, len(cats), codes)
        return cat_values[codes].tolist(), cat_texts[codes].tolist()
    if dtype == np.bool_:
        arr = s.to_numpy(dtype=bool)
        return arr.tolist(), np.where(arr, "true", "false").astype(object).tolist()
    if dtype.kind in "iu" and isinstance(dtype, np.dtype):
        ints = s.to_numpy().tolist()
        return ints, list(map(str, ints))
    if dtype.kind == "f" and isinstance(dtype, np.dtype):
        arr = s.to_numpy(dtype=np.float64)
        ok = np.isfinite(arr)
        floats = arr.tolist()
        texts = np.full(n, "null", dtype=object)
        texts[ok] = list(map(float.__repr__, arr[ok].tolist()))
        vals = np.array(floats, dtype=object)
        vals[~ok] = None
        return vals.tolist(), texts.tolist()
    if isinstance(dtype, pd.StringDtype):
        plain = s.astype(object).where(s.notna(), None).tolist()
        return plain, _json_strings(plain)
    obj = s.astype(object).where(s.notna(), None).to_numpy(dtype=object)
    plain = list(map(_plain, obj))
    if pd.api.types.infer_dtype(plain, skipna=True) in ("string", "empty"):
        return plain, _json_strings(plain)
    return plain, [json.dumps(v, ensure_ascii=False) for v in plain]


def _encode(frame: pd.DataFrame) -> tuple[dict[str, list[Any]], list[str]]:
    """Every column's plain values, and each row as ``json.dumps(record, sort_keys=True)``.

    Built column by column (the JSON object of each row is the concatenation of its
    cells' texts), so a province's month costs a few vectorised passes, not a Python
    call per cell.
    """
    values: dict[str, list[Any]] = {}
    texts: dict[str, list[str]] = {}
    for name in frame.columns:
        key = str(name)
        values[key], texts[key] = _encode_column(frame[name])
    keys = sorted(texts)
    if not keys:
        return values, ["{}"] * len(frame)
    names = (json.dumps(k, ensure_ascii=False).replace("{", "{{").replace("}", "}}")
             for k in keys)  # fmt: skip
    template = "{{" + ", ".join(f"{k}: {{}}" for k in names) + "}}"
    # str.format fills a row's cells in one C call; map() runs it down the columns
    return values, list(map(template.format, *(texts[k] for k in keys)))


def _current(db: sqlite3.Connection, period: str, staff_id: str) -> dict[str, Any] | None:
    row = db.execute("SELECT data FROM results WHERE period = ? AND staff_id = ?",
                     (period, staff_id)).fetchone()  # fmt: skip
    if row is None:
        return None
    data: dict[str, Any] = json.loads(row[0])
    for (new,) in db.execute("SELECT new FROM amendments WHERE period = ? AND staff_id = ? "
                             "ORDER BY id", (period, staff_id)):  # fmt: skip
        data.update(json.loads(new))
    return data


def _apply_amendments(db: sqlite3.Connection, frame: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    marks = ",".join("?" * len(periods))
    rows = db.execute(
        f"SELECT staff_id, new FROM amendments WHERE period IN ({marks}) ORDER BY id", periods
    ).fetchall()
    if not rows:
        return frame
    out = frame.set_index("staff_id", drop=False)
    for staff_id, new in rows:  # one row per amendment, not per result
        for key, value in json.loads(new).items():
            if key not in out.columns:
                out[key] = None
            out[key] = out[key].astype(object)
            out.loc[staff_id, key] = value
    return out.reset_index(drop=True)


def _average_rollup(monthly: pd.DataFrame, year: int, rules: Any) -> pd.DataFrame:
    from evalkit.rules import RuleSet, _registry

    rs: RuleSet | None = rules if isinstance(rules, RuleSet) else None
    if rs is None:
        rid = rules if isinstance(rules, str) else None
        if rid is None and "rule_set" in monthly.columns:
            ids = monthly["rule_set"].dropna()
            rid = str(ids.mode().iloc[0]) if not ids.empty else None
        if rid is None:
            raise ArchiveError(f"no rule set to band the {year} roll-up; pass rules=...")
        rs = _registry.default_registry().get(rid)
    policy = rs.rollup
    m = monthly.copy()
    m["total"] = pd.to_numeric(m["total"], errors="coerce")
    reasons = (m["reasons"] if "reasons" in m.columns else pd.Series("", index=m.index))
    reasons = reasons.astype("string").fillna("")
    m["disciplined"] = reasons.str.contains("disqualifier.discipline", regex=False)
    m["evaluated"] = m["total"].notna()
    g = m.groupby("staff_id", sort=True)
    out = pd.DataFrame(index=g.size().index)
    out["unit_id"] = g["unit_id"].last() if "unit_id" in m.columns else None
    out["months"] = g["evaluated"].sum().astype(np.int64)
    out["total"] = g["total"].mean().round(2)
    disciplined = g["disciplined"].any()
    edges = sorted(rs.bands, key=lambda b: b.min)
    mins = np.array([b.min for b in edges])
    codes = np.array([b.grade.code for b in edges], dtype=object)
    tot = out["total"].to_numpy(dtype=np.float64)
    idx = np.searchsorted(mins, np.nan_to_num(tot, nan=-1.0), side="right") - 1
    few = out["months"].to_numpy() < policy.min_months
    grade: npt.NDArray[Any] = codes[np.clip(idx, 0, None)]
    grade[(idx < 0) | np.isnan(tot) | few] = None
    grade[disciplined.to_numpy(dtype=bool) & ~few] = policy.discipline_grade.code
    reason = np.where(few, f"rollup.too_few_months(<{policy.min_months})",
                      np.where(disciplined.to_numpy(), "rollup.discipline", "rollup.average"))
    from evalkit.scoring import GRADE_DTYPE

    out["annual_grade"] = pd.Categorical(grade, dtype=GRADE_DTYPE)
    out["reasons"] = reason
    out["rule_set"] = rs.id
    out = out.reset_index()
    out.attrs["period"] = str(year)
    out.attrs["rule_set"] = rs.id
    return out
