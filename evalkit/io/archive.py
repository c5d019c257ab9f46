"""The archive of finalized months: an SQLite file (standard library, WAL mode), tamper-evident.

* :meth:`Archive.finalize` checks a month's results (:func:`check_results`) and stores them
  in **one transaction**: either every row is there or none is (a process killed in the
  middle leaves the file as before).
* A finalized month is **immutable** and **sealed**: triggers refuse UPDATE, DELETE,
  ``INSERT OR REPLACE`` / UPSERT of archived rows, and any INSERT into a sealed month; each
  month stores a SHA-256 **hash chain** over its record, its rows (staff results, unit
  results, unit inputs, in key order) and its amendments. Every read checks the chain of
  the months it reads and raises :class:`ArchiveIntegrityError` naming the month and the
  row that does not match; :meth:`Archive.verify` checks a whole file.
* A correction is an **amendment** (:meth:`Archive.amend`) of one *input* the month's rule
  set defines (a criterion score, a flag such as ``discipline``, ``kpi``): the month is
  re-derived through :func:`evalkit.units.classify_frame` on its stored inputs and every
  row whose results change is recorded with the amendment (before and after), with who,
  when and why. :meth:`Archive.month` shows the current values, :meth:`Archive.history`
  every earlier one.
* :meth:`Archive.annual` classifies a year from the archive with
  :func:`evalkit.units.rollup_frame` and :func:`evalkit.units.classify_year`, each person
  under their own months' rule set and with their staff ``category`` (the rules' own
  categories: NĐ 90's year disqualifier never reached contract staff), as those read a
  frame's; a row finalized without one keeps NULL, read as a frame without the column.
  A set named for the year (``annual(rules=...)``) is recorded (``year_rule_sets``,
  :meth:`Archive.year_rules`): the year is classified under it again without ``rules``,
  after an amendment too, and :meth:`Archive.amend` reads the year's fields under it.
* Each month keeps the rule sets it was finalized with, whole (schema 5:
  :func:`evalkit.rules.content_json`, wording included; ``rule_set_contents``), in its
  sealed record: :meth:`Archive.annual` and :meth:`Archive.amend` classify it again under
  the set it kept, whatever the registry holds today (a preset changed under its id by a
  later release). A month finalized before keeps only its set's fingerprint and is
  refused under a set of that id with other content, as before.
* Two processes writing at once neither corrupt the file nor lose a write: WAL journal,
  ``busy_timeout``, and ``BEGIN IMMEDIATE`` for every write. I/O failures (disk full, a
  read-only file, a folder in place of the file) are :class:`ArchiveError` with the
  archive unchanged.
* The schema carries its version (table ``schema_version``) and migrates forward on
  open for writing (a read-only open migrates nothing: :meth:`Archive.verify` checks an
  older file as it is, reads ask for one open for writing); a file from a newer evalkit is
  refused. Version 4 adds the SQL column ``category``, sealed in the *person* part (which
  the year reads of each person's latest month, where the category counts) rather than a
  part of its own: no read does more than it did. A version 3 file is migrated in one
  transaction: every month is checked against its version 3 seal (record, every part —
  the person part without the category —, amendments and their numbering) before
  anything is written, and a mismatch refuses the migration naming month and row, the
  file left as it was; then each row's category is copied from its (so checked) JSON
  document, the month is sealed again and its amendments are chained from the new seal,
  their records unchanged. The seals printed before (each month's by ``evalkit
  finalize``, each amendment's link by ``evalkit amend``) are kept in ``seal_history``
  with the schema they were made under and when the migration replaced them: append-only
  (triggers), each record linked to its month's new seal, and one for every month and
  amendment older than the migration. :meth:`Archive.verify` checks each against the
  month's content as schema 3 sealed it (``MonthCheck.superseded``) and
  :meth:`Archive.find_seal` says which month a printed seal is of.

>>> import tempfile, pathlib, pandas as pd
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.sqlite"
>>> frame = pd.DataFrame({"staff_id": ["A"], "unit_id": ["U"], "period": ["2026-03"],
...     "rule_set": ["vn.nd335-2025"], "total": [91.0], "grade": ["HTXS"]})
>>> with Archive(path) as arc:
...     m = arc.finalize(frame, by="TCCB")
...     print(m.period, m.rows, arc.month("2026-03")["grade"].tolist(), arc.verify().ok)
2026-03 1 ['HTXS'] True
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import difflib
import errno
import hashlib
import json
import math
import operator
import os
import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _ids, _tables
from evalkit._columns import grade_codes, grade_sentence, with_columns
from evalkit._files import make_folder
from evalkit._words import NAME_COLUMNS, NOT_FINITE, UNIT_NAME_COLUMNS, _number_of, bool_of
from evalkit.errors import EvalkitError, InputError, InputProblem, RuleSetError
from evalkit.messages import LEAVE_VI, Msg, Words, msg, or_blank, problem
from evalkit.model import Grade, Period, Position

if TYPE_CHECKING:
    from evalkit.rules import RuleSet

_encode_str: Callable[[str], str] = json.encoder.encode_basestring

__all__ = [
    "SCHEMA_VERSION",
    "Amendment",
    "Archive",
    "ArchiveError",
    "ArchiveIntegrityError",
    "FinalizedMonth",
    "IntegrityProblem",
    "MonthAlreadyFinalizedError",
    "MonthCheck",
    "RowChange",
    "SealRecord",
    "VerifyReport",
    "amendable_fields",
    "check_month_results",
    "check_results",
    "default_archive_path",
    "finalize_problems",
    "follow_problems",
    "period_refusal",
    "results_file_problems",
]

#: The schema version this evalkit writes; older files migrate forward on open.
SCHEMA_VERSION = 5
BUSY_TIMEOUT_MS = 60_000
_PROGRESS_EVERY = 1_000
_DIGEST = 32  # bytes of one SHA-256 digest
_NAME_MAX = 255  # bytes of one file or folder name on common file systems
_CHAIN_TAG = b"evalkit-archive/3\x00"

#: Archived columns with their own SQL columns (what the year reads); every column,
#: these included, is also kept in ``data``.
_KEY_COLUMNS = ("staff_id", "unit_id", "rule_set", "total", "score_grade", "grade", "reasons",
                "full_name", "is_head", "duty_group", "discipline", "leave", "category")
#: Grade columns of a results frame: a code (HTXS, HTT, HT, KHT) or blank.
_GRADE_COLUMNS = ("score_grade", "proposed_grade", "grade", "unit_grade")
#: Columns the engine derives; the rest of a stored row is its input (for re-derivation).
_DERIVED = frozenset({
    "rule_set", "is_head", "effective_manager_id", "total", "score_grade", "proposed_grade",
    "grade", "unit_grade", "reasons", "quota_group", "quota_base", "quota_percent",
    "quota_cap", "quota_candidates", "quota_rank", "quota_groups", "amendments",
})  # fmt: skip
_IDENTITY = ("staff_id", "period", "unit_id")
#: Reason codes (besides the rule set's caps) that may leave a grade below its band.
_LOWERING = frozenset({"cap.head_unit", "cap.deputy_head", "competent.concluded",
                       "quota.demoted"})  # fmt: skip
#: Reason codes that may leave a grade above its band (a competent level's conclusion
#: where the rule set allows it); without one, a grade above the band is refused.
_RAISING = frozenset({"competent.above_band_applied"})

# The seal hashes a month's rows as SQLite gives them back, each part as one JSON text
# (json.dumps of the list of rows: exact for text, integers and reals), so finalize and
# every check compute it the same way from the same reads. The staff results are three
# parts — the SQL columns the year reads of every month, those it reads of a person's
# latest month, and the JSON documents — so a read checks what it reads and no more. A
# row's period is the month's (a row moved to another month breaks both seals). The staff
# category (schema 4) is in the person part: the year reads it of a person's latest month.
_V3_PERSON = "staff_id, unit_id, rule_set, score_grade, grade, full_name, is_head, duty_group"
_SEAL_PARTS: tuple[tuple[str, str, str, str], ...] = (
    ("year", "results", "staff_id", "staff_id, total, reasons, discipline, leave"),
    ("person", "results", "staff_id", f"{_V3_PERSON}, category"),
    ("data", "results", "staff_id", "data"),
    ("unit", "unit_results", "unit_id", "unit_id, grade, data"),
    ("input", "unit_inputs", "unit_id", "unit_id, data"),
)
_ALL_PARTS = tuple(p[0] for p in _SEAL_PARTS)
# The year part's columns in key order, so that SQLite reads a month's year part from this
# index (about 45 bytes a row) rather than from each row's whole record (about 1 KB: the
# JSON document); the seal is unchanged (the same rows, values and order). It is no part
# of the versioned schema: every open for writing creates it if it is missing (a file from
# an older evalkit, once, in about a second for a province-year), and a file without it
# reads the same, only slower.
_YEAR_INDEX = ("CREATE INDEX IF NOT EXISTS results_year ON results "
               "(period, staff_id, total, reasons, discipline, leave)")
_MONTH_COLUMNS = "period, rule_set, finalized_at, finalized_by, rows, checksum, inputs"
#: What each table of the archive holds, in Vietnamese (longest names first).
_TABLE_WORDS = {
    "rule_set_contents": "các bộ quy định của tháng",
    "amendment_rows": "các dòng được điều chỉnh", "amendments": "các điều chỉnh",
    "unit_results": "kết quả của đơn vị", "unit_inputs": "dữ liệu đầu vào của đơn vị",
    "schema_version": "phiên bản cấu trúc", "months": "thông tin chốt tháng",
    "results": "kết quả cá nhân", "seal_history": "các dấu niêm phong đã được thay",
    "year_rule_sets": "các bộ quy định được ghi cho năm",
}  # fmt: skip
#: The triggers of the current schema (``Archive.verify`` reports a missing one).
_TRIGGERS = (
    "months_immutable_u", "months_immutable_d", "months_no_replace", "months_insert_open",
    "results_immutable_u", "results_immutable_d", "results_sealed_i", "results_no_replace",
    "unit_results_immutable_u", "unit_results_immutable_d", "unit_results_sealed_i",
    "unit_results_no_replace", "unit_inputs_immutable_u", "unit_inputs_immutable_d",
    "unit_inputs_sealed_i", "unit_inputs_no_replace", "amendments_append_only_u",
    "amendments_append_only_d", "amendments_no_replace", "amendments_sealed_month",
    "amendment_rows_append_only_u", "amendment_rows_append_only_d",
    "amendment_rows_no_replace", "amendment_rows_latest", "schema_version_u",
    "schema_version_d", "schema_version_no_replace",
)  # fmt: skip
#: The triggers of the seal history (schema 4 on).
_HISTORY_TRIGGERS = ("seal_history_u", "seal_history_d", "seal_history_no_replace")


def _sealed_table(table: str, key: str, what: str) -> str:
    """Triggers of a table of a month's rows: no UPDATE/DELETE/REPLACE, no INSERT once sealed."""
    return f"""
    CREATE TRIGGER {table}_immutable_u BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{what} are immutable; record an amendment'); END;
    CREATE TRIGGER {table}_immutable_d BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{what} are immutable; record an amendment'); END;
    CREATE TRIGGER {table}_sealed_i BEFORE INSERT ON {table}
        WHEN NOT EXISTS (SELECT 1 FROM months WHERE period = NEW.period AND sealed = 0)
        BEGIN SELECT RAISE(ABORT, 'the month is finalized and sealed: no row can be added'); END;
    CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table}
        WHEN EXISTS (SELECT 1 FROM {table} WHERE period = NEW.period AND {key} = NEW.{key})
        BEGIN SELECT RAISE(ABORT, '{what} are immutable: no REPLACE or UPSERT'); END;
    """


# The months, results and amendments of version 1; unit results in 2; the seal in 3.
_V1 = """
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
"""
_V2 = """
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
"""
# Version 3, first part: new columns and tables; the old triggers go (the seal below
# computes the chain of the months already there, then the new triggers are created).
_V3_BEFORE = """
    DROP TRIGGER IF EXISTS months_immutable_u;
    DROP TRIGGER IF EXISTS months_immutable_d;
    DROP TRIGGER IF EXISTS results_immutable_u;
    DROP TRIGGER IF EXISTS results_immutable_d;
    DROP TRIGGER IF EXISTS unit_results_immutable_u;
    DROP TRIGGER IF EXISTS unit_results_immutable_d;
    DROP TRIGGER IF EXISTS amendments_append_only_u;
    DROP TRIGGER IF EXISTS amendments_append_only_d;
    ALTER TABLE months ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE months ADD COLUMN inputs INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE months ADD COLUMN chain TEXT;
    ALTER TABLE months ADD COLUMN digests BLOB;
    ALTER TABLE months ADD COLUMN parts BLOB;
    ALTER TABLE results ADD COLUMN full_name TEXT;
    ALTER TABLE results ADD COLUMN is_head INTEGER;
    ALTER TABLE results ADD COLUMN duty_group TEXT;
    ALTER TABLE results ADD COLUMN discipline REAL;
    ALTER TABLE results ADD COLUMN leave TEXT;
    UPDATE results SET full_name = json_extract(data, '$.full_name'),
        is_head = json_extract(data, '$.is_head'), duty_group = json_extract(data, '$.duty_group'),
        discipline = json_extract(data, '$.discipline'), leave = json_extract(data, '$.leave');
    ALTER TABLE amendments ADD COLUMN chain TEXT;
    CREATE TABLE unit_inputs (
        period   TEXT NOT NULL REFERENCES months(period),
        unit_id  TEXT NOT NULL,
        data     TEXT NOT NULL,
        PRIMARY KEY (period, unit_id)
    );
    CREATE TABLE amendment_rows (
        amendment_id INTEGER NOT NULL REFERENCES amendments(id),
        staff_id     TEXT NOT NULL,
        previous     TEXT NOT NULL,
        new          TEXT NOT NULL,
        PRIMARY KEY (amendment_id, staff_id)
    );
"""
_V3_AFTER = (
    """
    CREATE TRIGGER months_immutable_u BEFORE UPDATE ON months
        WHEN NOT (OLD.sealed = 0 AND NEW.sealed = 1 AND OLD.chain IS NULL
                  AND NEW.period IS OLD.period AND NEW.rule_set IS OLD.rule_set
                  AND NEW.finalized_at IS OLD.finalized_at
                  AND NEW.finalized_by IS OLD.finalized_by AND NEW.rows IS OLD.rows
                  AND NEW.checksum IS OLD.checksum AND NEW.inputs IS OLD.inputs)
        BEGIN SELECT RAISE(ABORT, 'a finalized month is immutable'); END;
    CREATE TRIGGER months_immutable_d BEFORE DELETE ON months
        BEGIN SELECT RAISE(ABORT, 'a finalized month is immutable'); END;
    CREATE TRIGGER months_no_replace BEFORE INSERT ON months
        WHEN EXISTS (SELECT 1 FROM months WHERE period = NEW.period)
        BEGIN SELECT RAISE(ABORT, 'the month is already finalized: no REPLACE or UPSERT'); END;
    CREATE TRIGGER months_insert_open BEFORE INSERT ON months
        WHEN NEW.sealed IS NOT 0 OR NEW.chain IS NOT NULL OR NEW.digests IS NOT NULL
             OR NEW.parts IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a month is sealed by finalize, after its rows'); END;
    """
    + _sealed_table("results", "staff_id", "finalized results")
    + _sealed_table("unit_results", "unit_id", "finalized unit results")
    + _sealed_table("unit_inputs", "unit_id", "finalized unit inputs")
    + """
    CREATE TRIGGER amendments_append_only_u BEFORE UPDATE ON amendments
        BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END;
    CREATE TRIGGER amendments_append_only_d BEFORE DELETE ON amendments
        BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END;
    CREATE TRIGGER amendments_no_replace BEFORE INSERT ON amendments
        WHEN EXISTS (SELECT 1 FROM amendments WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'amendments are append-only: no REPLACE or UPSERT'); END;
    CREATE TRIGGER amendments_sealed_month BEFORE INSERT ON amendments
        WHEN NOT EXISTS (SELECT 1 FROM months WHERE period = NEW.period AND sealed = 1)
        BEGIN SELECT RAISE(ABORT, 'an amendment needs a finalized month'); END;
    CREATE TRIGGER amendment_rows_append_only_u BEFORE UPDATE ON amendment_rows
        BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END;
    CREATE TRIGGER amendment_rows_append_only_d BEFORE DELETE ON amendment_rows
        BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END;
    CREATE TRIGGER amendment_rows_no_replace BEFORE INSERT ON amendment_rows
        WHEN EXISTS (SELECT 1 FROM amendment_rows
                     WHERE amendment_id = NEW.amendment_id AND staff_id = NEW.staff_id)
        BEGIN SELECT RAISE(ABORT, 'amendments are append-only: no REPLACE or UPSERT'); END;
    CREATE TRIGGER amendment_rows_latest BEFORE INSERT ON amendment_rows
        WHEN NEW.amendment_id IS NOT (SELECT MAX(id) FROM amendments)
        BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END;
    CREATE TRIGGER schema_version_u BEFORE UPDATE ON schema_version
        BEGIN SELECT RAISE(ABORT, 'the schema version is append-only'); END;
    CREATE TRIGGER schema_version_d BEFORE DELETE ON schema_version
        BEGIN SELECT RAISE(ABORT, 'the schema version is append-only'); END;
    CREATE TRIGGER schema_version_no_replace BEFORE INSERT ON schema_version
        WHEN EXISTS (SELECT 1 FROM schema_version WHERE version = NEW.version)
        BEGIN SELECT RAISE(ABORT, 'the schema version is append-only'); END;
    """
)


@attrs.frozen(slots=True)
class _Migration:
    """SQL, then an optional Python step on the open transaction, then more SQL."""

    before: str
    step: Callable[[sqlite3.Connection, str], None] | None = None
    after: str = ""


# =========================================================================== errors, records


class ArchiveError(EvalkitError):
    """The archive refused an operation (immutable month, unknown month, newer schema,
    a file that cannot be opened or written)."""


class MonthAlreadyFinalizedError(ArchiveError):
    """The month is already finalized; corrections are amendments."""


class ArchiveIntegrityError(ArchiveError):
    """A month does not match its seal: a row, a unit, an amendment or the month's record
    was changed outside evalkit. ``period`` and ``row`` name the first mismatch;
    ``problems`` lists every one found in the month.

    >>> str(ArchiveIntegrityError([IntegrityProblem("2026-03", "row", "A", "edited")]))
    'archive integrity: 2026-03, staff A: edited'
    """

    def __init__(self, problems: Sequence[IntegrityProblem], path: str | None = None):
        self.problems = tuple(problems)
        self.path = path
        first = self.problems[0]
        self.period = first.period
        self.row = first.key
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        where = f" of {path}" if path else ""
        super().__init__(f"archive integrity{where}: {first}{more}")


@attrs.frozen(slots=True)
class IntegrityProblem:
    """One mismatch found by a check: the month, what (``month``, ``row`` (a staff
    result), ``unit``, ``input`` (a unit's input), ``amendment``, ``file``, ``year`` (a
    rule set recorded for the year ``period``, :meth:`Archive.year_rules`)), its key and
    a sentence."""

    period: str | None
    kind: Literal["month", "row", "unit", "input", "amendment", "file", "year"]
    key: str | None
    message: str
    #: The sentence as a catalogue message (shown in Vietnamese by the command line).
    msg: Msg | None = attrs.field(default=None, eq=False, kw_only=True)

    def __str__(self) -> str:
        label = {"row": "staff", "unit": "unit", "input": "unit input",
                 "amendment": "amendment", "year": "rule set record"}.get(self.kind)
        parts = [p for p in (self.period, f"{label} {self.key}" if label and self.key else None)
                 if p]  # fmt: skip
        return f"{', '.join(parts)}: {self.message}" if parts else self.message


def _integrity(period: str | None, kind: Literal["month", "row", "unit", "input", "amendment",
                                                "file", "year"],
               key: str | None, said: Msg) -> IntegrityProblem:  # fmt: skip
    """A mismatch whose sentence is a catalogue message (English in ``message``)."""
    return IntegrityProblem(period, kind, key, str(said), msg=said)


@attrs.frozen(slots=True)
class FinalizedMonth:
    """A month in the archive: who finalized it, when, how many rows, its seal.

    ``checksum`` is the SHA-256 of the rows' JSON documents (as in schema 1 and 2);
    ``chain`` the seal of the month as finalized and ``head`` the seal after its last
    amendment (both SHA-256, hex); ``inputs`` whether the unit inputs are stored, so that
    an amendment can re-derive the month.
    """

    period: Period
    rule_set: str | None
    finalized_at: str
    finalized_by: str
    rows: int
    checksum: str
    chain: str = ""
    head: str = ""
    inputs: bool = False
    amendments: int = 0


@attrs.frozen(slots=True)
class RowChange:
    """One person's values changed by an amendment: the fields before and after."""

    staff_id: str
    previous: Mapping[str, Any]
    new: Mapping[str, Any]


@attrs.frozen(slots=True)
class Amendment:
    """A correction of one input of a finalized month: who, when, why, the input's
    previous and new values, and every row the re-derivation changed (``rows``, the
    amended person first)."""

    id: int
    period: Period
    staff_id: str
    amended_at: str
    amended_by: str
    reason: str
    previous: Mapping[str, Any]
    new: Mapping[str, Any]
    rows: tuple[RowChange, ...] = ()
    chain: str = ""
    #: The set the month's year is classified under: the one recorded for the year
    #: (``year_rule_set_recorded``), else the set of the person's latest month of the year
    #: archived then (or the set in force for their group at the year's end where it no
    #: longer covers them: :func:`evalkit.rules.for_year_end`), as :meth:`Archive.annual`
    #: applies them; None where this record does not say (an agency's file not given).
    year_rule_set: str | None = None
    year_rule_set_recorded: bool = False


@attrs.frozen(slots=True)
class SealRecord:
    """A seal of the archive and the month it is of: the month's own (``amendment`` 0,
    printed by finalize) or an amendment's link. ``replaced_at`` and ``replaced_by`` say
    when a migration sealed the month again and the seal that replaced this one (None for
    a current seal); ``ok`` whether it still matches the month's content as the schema
    ``schema_version`` sealed it."""

    seal: str
    period: str
    amendment: int
    schema_version: int
    replaced_at: str | None
    replaced_by: str | None
    ok: bool


@attrs.frozen(slots=True)
class MonthCheck:
    """What :meth:`Archive.verify` found for one month; ``superseded`` the seals a
    migration replaced (each checked)."""

    period: str
    rows: int
    amendments: int
    head: str
    ok: bool
    superseded: tuple[SealRecord, ...] = ()


@attrs.frozen(slots=True)
class VerifyReport:
    """The result of :meth:`Archive.verify`: each month checked and every problem found."""

    path: str
    schema_version: int
    months: tuple[MonthCheck, ...]
    problems: tuple[IntegrityProblem, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every month matches its seal and nothing else is wrong."""
        return not self.problems

    def __str__(self) -> str:
        lines = [f"archive {self.path} (schema version {self.schema_version}): "
                 f"{len(self.months)} month(s)"]  # fmt: skip
        for m in self.months:
            head = m.head[:16] + "…" if m.head else "-"
            state = "ok" if m.ok else "MISMATCH"
            lines.append(f"  {m.period}  {m.rows:>7,} rows  {m.amendments:>3} amendment(s)  "
                         f"seal {head}  {state}")  # fmt: skip
            lines += [f"    seal {f'of amendment {s.amendment} ' if s.amendment else ''}printed "
                      f"before the upgrade (schema {s.schema_version}, replaced {s.replaced_at}): "
                      f"{s.seal[:16]}…  {'ok' if s.ok else 'MISMATCH'}"
                      for s in m.superseded]  # fmt: skip
        lines += [f"  note: {n}" for n in self.notes]
        if self.problems:
            lines.append(f"{len(self.problems)} problem(s):")
            lines += [f"  - {p}" for p in self.problems]
        else:
            lines.append("every month matches its seal")
        return "\n".join(lines)


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


def _explain(exc: BaseException, path: Path) -> str:
    """A sentence for an SQLite or OS error on the archive at ``path``."""
    text = str(exc)
    # the words of the error, not of a path or name in it (a folder named 'blocked')
    low = re.sub(r"'[^']*'|\"[^\"]*\"|\S*[/\\]\S*", "", text.replace(str(path), "")).lower()
    if (isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG) or "name too long" in low:
        return f"the path of the archive is too long: {path}"
    if "disk is full" in low or "disk full" in low or (
            isinstance(exc, OSError) and exc.errno == errno.ENOSPC):  # fmt: skip
        return f"the disk is full while writing {path}"
    if "readonly" in low or "read-only" in low or (
            isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)):
        return f"{path} cannot be written (a read-only file or folder, or no permission)"
    if isinstance(exc, OSError) and exc.errno in (errno.EEXIST, errno.ENOTDIR):
        # its folder cannot be made: a file holds the name of a folder on the way
        return f"{path} cannot be made: a part of its path is a file, not a folder"
    if "locked" in low or "busy" in low:
        return f"{path} is locked by another process for longer than the timeout"
    if any(w in low for w in ("not a database", "malformed", "file is encrypted",
                              "no such table")):  # no table: empty, or another program's
        return f"{path} is not an evalkit archive, or it is damaged"
    if "unable to open" in low:
        if path.is_dir():
            return f"{path} is a folder, not an archive file"
        return f"{path} cannot be opened (a missing folder, no permission or a bad name)"
    return f"{path}: {text}"


# =========================================================================== results checks


def _unmarked(results: pd.DataFrame) -> pd.DataFrame:
    """``results`` as the checks read them: the ``row`` index a column, without the marks
    of a frame read back (:func:`evalkit._tables.without_mark`), whose records' places in
    their file (:data:`evalkit._tables.RECORD`) are kept in ``attrs`` for
    :func:`_row_labels`."""
    frame = _tables.without_mark(results).reset_index(drop=results.index.name != "row")
    if _tables.RECORD in results.columns:
        frame.attrs[_tables.RECORD] = tuple(results[_tables.RECORD].tolist())
    return frame


def _row_labels(frame: pd.DataFrame) -> npt.NDArray[Any]:
    """The row each result is reported at: a results file's record at its place in the
    file (:func:`_unmarked`: the row :func:`evalkit.io.results.read_results` names it
    at), else its ``row`` (the workbook row, or the frame's label), else its position."""
    pos = np.arange(len(frame), dtype=object)
    record = frame.attrs.get(_tables.RECORD)
    if isinstance(record, tuple) and len(record) == len(frame):
        return np.array(record, dtype=object)
    if "row" in frame.columns:
        r = frame["row"].astype(object).to_numpy(dtype=object)
        ok = _types(r).isin(_INT_TYPES).to_numpy(dtype=bool)
        return np.where(ok, r, pos)
    return pos


_INT_TYPES = (int, np.int64, np.int32, np.int16, np.int8, np.uint64, np.uint32)
_NUM_TYPES = (*_INT_TYPES, float, np.float64, np.float32)


def _hashable(col: pd.Series) -> pd.Series:
    """``col`` as objects with lists, dicts and other unhashable values as their text, so
    it can be counted and compared (the checks then name them as wrong values)."""
    obj = col.astype(object)
    bad = obj.map(type).isin((list, dict, set)).to_numpy(dtype=bool)
    if bad.any():
        obj = obj.copy()
        obj[bad] = obj[bad].map(lambda v: json.dumps(v, ensure_ascii=False, default=str))
    return obj


def _types(values: npt.NDArray[Any]) -> pd.Series:
    return pd.Series(values, dtype=object).map(type)


def _floats(values: list[Any]) -> npt.NDArray[np.float64]:
    """Python numbers as float64; integers too large for a float become infinite."""
    try:
        return np.asarray(values, dtype=np.float64)
    except OverflowError:
        out = np.empty(len(values))
        for i, v in enumerate(values):  # only when some integer has hundreds of digits
            try:
                out[i] = float(v)
            except OverflowError:
                out[i] = math.inf if v > 0 else -math.inf
        return out


def _numeric(col: pd.Series) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Values as float64 (NaN = blank) and the mask of non-blank cells that are not
    numbers as every door reads them (:func:`evalkit._words._number_of`: ``"8,5"`` is 8.5,
    ``"91"`` 91; ``"abc"``, a yes/no, a date are not)."""
    if isinstance(col.dtype, np.dtype) and col.dtype.kind in "iuf":
        return col.to_numpy(dtype=np.float64), np.zeros(len(col), dtype=bool)
    if isinstance(col.dtype, pd.BooleanDtype) or col.dtype == bool:
        return np.full(len(col), np.nan), col.notna().to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(col.dtype) and not isinstance(col.dtype, pd.CategoricalDtype):
        return col.to_numpy(dtype=np.float64, na_value=np.nan), np.zeros(len(col), dtype=bool)
    obj = col.astype(object).to_numpy(dtype=object)
    blank = pd.isna(obj) if len(obj) else np.zeros(0, dtype=bool)
    blank = np.asarray(blank, dtype=bool)
    num = _types(obj).isin(_NUM_TYPES).to_numpy(dtype=bool)
    values = np.full(len(obj), np.nan)
    ok = num & ~blank
    if ok.any():
        values[ok] = _floats(obj[ok].tolist())
    text = ~blank & ~num  # read as the doors read text (one reading per distinct value)
    read = {v: _number_of(v) for v in pd.unique(pd.Series(obj[text], dtype=object).astype(str))
            } if text.any() else {}  # fmt: skip
    said = pd.Series(obj[text], dtype=object).astype(str).map(read)
    values[text] = [x if e is None else (math.inf if e == NOT_FINITE else math.nan)
                    for x, e in said]  # an infinity typed as text is said as one
    bad = text.copy()
    bad[text] = [e is not None and e != NOT_FINITE for _, e in said]
    return values, bad


def _discipline_levels(col: pd.Series) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """:func:`_numeric` of a ``discipline`` column, its level names read as every door
    reads them (``"khiển trách"``, ``"REPRIMAND"``, ``"khien_trach"`` are 1:
    :func:`evalkit._columns.discipline_names`, which the frames and the workbook use), so
    a month ``classify_frame`` classified is archived with the level it read."""
    from evalkit import _columns

    values, wrong = _numeric(col)
    if wrong.any():
        named = _columns.discipline_names(col)
        hit = wrong & ~np.isnan(named)
        values[hit] = named[hit]
        wrong = wrong & ~hit
    return values, wrong


def _blanked(mask: npt.NDArray[np.bool_], values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``values`` (objects) with None where ``mask``."""
    out = values.astype(object, copy=True)
    out[mask] = None
    return out


def _texts(col: pd.Series) -> tuple[npt.NDArray[Any], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Values as objects (None = blank), the blank mask and the mask of non-text values."""
    dtype = col.dtype
    if isinstance(dtype, pd.StringDtype) or (
            isinstance(dtype, pd.CategoricalDtype)
            and pd.api.types.is_string_dtype(dtype.categories.dtype)):  # fmt: skip
        blank = col.isna().to_numpy(dtype=bool, copy=True)
        return _blanked(blank, col.astype(object).to_numpy(dtype=object)), blank, np.zeros(
            len(col), dtype=bool)
    obj = col.astype(object).to_numpy(dtype=object)
    blank = np.asarray(pd.isna(obj), dtype=bool) if len(obj) else np.zeros(0, dtype=bool)
    typ = _types(obj)
    text = typ.isin((str, np.str_)).to_numpy(dtype=bool)
    return _blanked(blank, obj), blank, ~blank & ~text


def _given_rules(rules: RuleSet | str | os.PathLike[str] | None) -> RuleSet | None:
    """``rules=`` as every door takes it (:func:`evalkit.rules.resolve`): a RuleSet as it is,
    a registered id, or the path of an agency's rule file (read and validated)."""
    if rules is None:
        return None
    from evalkit.rules import resolve

    return resolve(rules)


def _rule_set(rule_id: str, rules: RuleSet | None) -> RuleSet:
    """The set ``rule_id`` names: ``rules`` when it has that id, else the registered one.
    ``rules`` taking a registered set's id with other content is refused (RuleSetError):
    the archive keeps the id, and an id names one content."""
    from evalkit import rules as _rules

    if rules is not None and rules.id == rule_id:
        _rules.refuse_shadow(rules)
        return rules
    return _rules.get(rule_id)


#: The content (:func:`evalkit.rules.content_fingerprint`) of each rule set a month was
#: finalized with and, from schema 5, the whole set as it was (``content``:
#: :func:`evalkit.rules.content_json`, wording included), which :meth:`Archive.annual` and
#: :meth:`Archive.amend` classify the month again under (:func:`_kept_sets`); the kept sets
#: are in the month's sealed record (:func:`_header`). Made on every open for writing (an
#: archive finalized before has none: its months are not checked); a month finalized
#: before schema 5 has no ``content`` (NULL): its set is the one at hand, checked against
#: the fingerprint (:func:`_refuse_other_content`).
_CONTENTS = (
    "CREATE TABLE IF NOT EXISTS rule_set_contents (period TEXT NOT NULL, "
    "rule_set TEXT NOT NULL, fingerprint TEXT NOT NULL, content TEXT, "
    "PRIMARY KEY (period, rule_set))",
    "CREATE TRIGGER IF NOT EXISTS rule_set_contents_u BEFORE UPDATE ON rule_set_contents "
    "BEGIN SELECT RAISE(ABORT, 'a finalized month''s rule sets are immutable'); END",
    "CREATE TRIGGER IF NOT EXISTS rule_set_contents_d BEFORE DELETE ON rule_set_contents "
    "BEGIN SELECT RAISE(ABORT, 'a finalized month''s rule sets are immutable'); END",
    "CREATE TRIGGER IF NOT EXISTS rule_set_contents_sealed_i BEFORE INSERT ON "
    "rule_set_contents WHEN EXISTS (SELECT 1 FROM months WHERE period = NEW.period AND "
    "sealed = 1) BEGIN SELECT RAISE(ABORT, 'a finalized month''s rule sets are immutable'); "
    "END",
)
_CONTENT_TRIGGERS = ("rule_set_contents_u", "rule_set_contents_d", "rule_set_contents_sealed_i")


def _keeps_sets(db: sqlite3.Connection) -> bool:
    """Whether the file keeps the rule sets themselves (schema 5: ``content``)."""
    return "content" in {r[1] for r in db.execute("PRAGMA table_info(rule_set_contents)")}


def _keep_sets(db: sqlite3.Connection, _path: str) -> None:
    """Migration to 5: the column of the sets kept whole; the months there keep none
    (their seals unchanged: :func:`_header` adds nothing for them)."""
    db.execute(_CONTENTS[0])
    if not _keeps_sets(db):
        db.execute("ALTER TABLE rule_set_contents ADD COLUMN content TEXT")


def _kept_rows(db: sqlite3.Connection, pers: Sequence[str]) -> list[tuple[Any, ...]]:
    """``(period, rule_set, fingerprint, content)`` of every set kept whole for ``pers``,
    by period and id (none in a file before schema 5)."""
    if not pers or not _keeps_sets(db):
        return []
    marks = ", ".join("?" * len(pers))
    rows: list[tuple[Any, ...]] = db.execute(
        f"SELECT period, rule_set, fingerprint, content FROM rule_set_contents WHERE period "
        f"IN ({marks}) AND content IS NOT NULL ORDER BY period, rule_set", list(pers)).fetchall()
    return rows


def _contents_of(db: sqlite3.Connection, pers: Sequence[str]) -> list[tuple[Any, ...]]:
    """``(period, rule_set, fingerprint)`` of every set the months ``pers`` were finalized
    with, by period (none in a file that keeps no fingerprints)."""
    if not pers or not db.execute("PRAGMA table_info(rule_set_contents)").fetchall():
        return []
    marks = ", ".join("?" * len(pers))
    rows: list[tuple[Any, ...]] = db.execute(
        f"SELECT period, rule_set, fingerprint FROM rule_set_contents WHERE period IN "
        f"({marks}) ORDER BY period", list(pers)).fetchall()  # fmt: skip
    return rows


def _kept_sets(db: sqlite3.Connection, pers: Sequence[str], path: str) -> dict[str, RuleSet]:
    """The rule set of each id the months ``pers`` were finalized with, as the archive kept
    it (the months' seals checked by the caller cover it) or, for a month finalized before
    the sets were kept whole, as the preset was then (:func:`evalkit.rules.earlier_content`
    of its fingerprint: a preset changed since). An id the months hold with two contents
    (a preset amended between them) is the latest month's content under the id — the
    content in force at the year's end, which classifies the year — and each earlier
    month's own under :func:`_own_key` (``id@period``): every month is read under the
    content it was finalized with, nothing mixed. A content found nowhere is the set at
    hand, checked against the fingerprint (:func:`_refuse_other_content`)."""
    from evalkit.rules import earlier_content, from_content_json

    rows = _kept_rows(db, pers)
    if rows:
        _raise_if([p for per in sorted({str(r[0]) for r in rows})
                   for p in _check_record(db, per)], path)  # a kept set is read as its seal covers it
    texts = {(str(per), str(rid)): str(c) for per, rid, _f, c in rows}
    found: dict[str, RuleSet | None] = {}  # by the content kept (wording too), else by fingerprint

    def own(per: str, rid: str, fp: str) -> RuleSet | None:
        text = texts.get((per, rid))
        if (key := text or fp) not in found:
            found[key] = from_content_json(text) if text else earlier_content(rid, fp)
        return found[key]

    every = [(str(p), str(r), str(f)) for p, r, f in _contents_of(db, pers)]  # by period
    year = {rid: own(per, rid, fp) for per, rid, fp in every}  # the latest month's
    out: dict[str, RuleSet] = {}
    for per, rid, fp in every:
        if (rs := own(per, rid, fp)) is not None:
            out[rid if rs is year[rid] or rs == year[rid] else _own_key(rid, per)] = rs
    return out


def _own_key(rid: str, per: str) -> str:
    """The key of the month ``per``'s own content of ``rid`` in :func:`_kept_sets` where
    it is not the content the year is classified under (a preset amended later in it)."""
    return f"{rid}@{per}"


def own_contents(frames: Sequence[pd.DataFrame]) -> list[pd.DataFrame]:
    """Months read from the archive (:meth:`Archive.month_and_units`, in period order), to be
    read together as :meth:`Archive.annual` reads them: where the months hold two contents
    of one rule set id (a preset amended in the year), an earlier month's rows name its own
    content by their own key (``id@period``, in ``attrs["rule_sets"]``) and the id is the
    latest month's content, which classifies the year; nothing is mixed."""
    from evalkit.rules import resolve

    def sets(f: pd.DataFrame) -> dict[str, RuleSet]:
        known = f.attrs.get("rule_sets") or {}
        ids = f["rule_set"].dropna().astype(str).unique() if "rule_set" in f.columns else ()
        return {str(r): resolve(str(r), known=known) for r in ids}

    each = [sets(f) for f in frames]
    year = {r: rs for s in each for r, rs in s.items()}  # the latest month's
    out = []
    for frame, mine in zip(frames, each, strict=True):
        own = {r: rs for r, rs in mine.items() if rs is not year[r] and rs != year[r]}
        if not own:
            out.append(frame)
            continue
        per = str(frame.attrs.get("period") or frame["period"].iloc[0])
        keys = {r: _own_key(r, per) for r in own}
        kept = {k: v for k, v in (frame.attrs.get("rule_sets") or {}).items() if k not in own}
        out.append(frame.assign(rule_set=frame["rule_set"].astype(object).replace(keys)))
        out[-1].attrs = {**frame.attrs, "rule_sets": {**kept, **{keys[r]: own[r] for r in own}}}
    return out


def _kept_of(db: sqlite3.Connection, rid: str, *, period: str | None = None,
             fingerprint: str | None = None) -> RuleSet | None:  # fmt: skip
    """The set ``rid`` as the archive kept it for the month ``period``, or with the content
    ``fingerprint`` for any month, else as the preset was then (a month finalized before
    the sets were kept whole: :func:`evalkit.rules.earlier_content`); None when none is."""
    from evalkit.rules import earlier_content, from_content_json

    row = db.execute("SELECT content FROM rule_set_contents WHERE rule_set = ? AND content IS "
                     "NOT NULL AND (period = ? OR fingerprint = ?) LIMIT 1",
                     (rid, period, fingerprint)).fetchone() if _keeps_sets(db) else None  # fmt: skip
    if row is not None:
        return from_content_json(str(row[0]))
    if fingerprint is None and period is not None:
        fingerprint = next((str(f) for _p, r, f in _contents_of(db, [period]) if r == rid), None)
    return earlier_content(rid, fingerprint) if fingerprint is not None else None


def _sets_of(db: sqlite3.Connection, pers: Sequence[str], rules: RuleSet | None, path: str,
             kept: Mapping[str, RuleSet], recorded: bool = False,
             ) -> tuple[Callable[[str], RuleSet | None], RuleSet | None]:  # fmt: skip
    """The set each rule set id of the months ``pers`` is classified again under — the one
    the archive kept for it (``kept``: :func:`_kept_sets`), else ``rules`` for its own id,
    else the registered one — and ``rules`` as the year applies it: a registered set named
    by its id is the one kept under that id. A set at hand with other content than a
    month's of its id is refused (:func:`_refuse_other_content`): a month kept whole never
    is, a month finalized before the sets were kept is, as before. The set ``recorded`` for
    the year (kept whole by the archive) is the year's as it was recorded, whatever content
    a later month kept under its id (each month is read under its own)."""
    if not recorded and rules is not None and rules.id in kept and rules != kept[rules.id]:
        given = rules
        if not _registered(given):  # an agency's file or object
            _year_set(given)  # (under a registered id with other content: RuleSetError)
            _refuse_other_content(db, pers, lambda r: given if r == given.id else None, path)
        rules = kept[rules.id]
    find = _finder(kept, rules)
    _refuse_other_content(db, pers, find, path)
    return find, rules


def _other_content(db: sqlite3.Connection, pers: Sequence[str], year: int,
                   rules: RuleSet) -> list[str]:  # fmt: skip
    """The note that the latest months of ``pers`` kept another content of ``rules``'s id
    than ``rules``, the set recorded for ``year`` (which classifies it), naming those that
    did; [] when the latest month of the id kept the recorded content."""
    from evalkit.rules import content_fingerprint

    fingerprint = content_fingerprint(rules)
    ids = [(p, f) for p, r, f in _contents_of(db, pers) if r == rules.id]
    if not ids or ids[-1][1] == fingerprint:
        return []
    other = [p for p, f in ids if f != fingerprint]
    many, listed = len(other) > 1, ", ".join(other)
    return [str(msg("archive.year.recorded_other_content", year=str(year),
                    rules=repr(rules.id), again=f"--rules {rules.id}", months=Words(
                        f"tháng {listed}", f"the month{'s' * many} {listed} "
                        f"{'were' if many else 'was'}")))]


def _registered(rs: RuleSet) -> bool:
    """Whether ``rs`` is the registered set of its id (a preset named by its id)."""
    from evalkit.rules import default_registry

    reg = default_registry()
    return rs.id in reg and reg.get(rs.id) is rs


def _unlike_registry(kept: Mapping[str, RuleSet]) -> dict[str, RuleSet]:
    """The kept sets the registry does not hold as they are (a preset changed since)."""
    if not kept:
        return {}
    from evalkit.rules import default_registry

    reg = default_registry()
    return {r: rs for r, rs in kept.items() if r not in reg or reg.get(r) != rs}


def _finder(kept: Mapping[str, RuleSet], rules: RuleSet | None
            ) -> Callable[[str], RuleSet | None]:  # fmt: skip
    """The set of a rule set id: the one kept, else ``rules`` for its own id, else the
    registered one (None: not registered)."""
    other = _year_set(None if rules is not None and rules.id in kept else rules)

    def find(rid: str) -> RuleSet | None:
        if rid in kept:
            return kept[rid]
        return rules if rules is not None and rid == rules.id else other(rid)

    return find


#: The rule set each year was classified under where one was named (``annual(rules=...)``,
#: ``evalkit annual --rules``; the nd233 preset's "Transition": a unit without its own
#: regulation names its NĐ 90-based set for 2026), with its content
#: (:func:`evalkit.rules.content_fingerprint`): a row each time another set is named, the
#: latest the year's, which :meth:`Archive.annual` without ``rules`` and
#: :meth:`Archive.amend` apply again. Append-only; made on every open for writing (an
#: older archive has none: its years follow each person's months, as before). Sealed as
#: the amendments are: each row's ``link`` chains it to the row before
#: (:func:`_amendment_link`), numbered with no gap; every read of it and
#: :meth:`Archive.verify` check both (:func:`_check_year_sets`).
_YEAR_SETS = (
    "CREATE TABLE IF NOT EXISTS year_rule_sets (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "year INTEGER NOT NULL, rule_set TEXT NOT NULL, fingerprint TEXT NOT NULL, "
    "recorded_at TEXT NOT NULL, link TEXT, amendment INTEGER, content TEXT)",
    "CREATE TRIGGER IF NOT EXISTS year_rule_sets_u BEFORE UPDATE ON year_rule_sets "
    "BEGIN SELECT RAISE(ABORT, 'a year''s rule sets are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS year_rule_sets_d BEFORE DELETE ON year_rule_sets "
    "BEGIN SELECT RAISE(ABORT, 'a year''s rule sets are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS year_rule_sets_no_replace BEFORE INSERT ON year_rule_sets "
    "WHEN EXISTS (SELECT 1 FROM year_rule_sets WHERE id = NEW.id) "
    "BEGIN SELECT RAISE(ABORT, 'a year''s rule sets are append-only'); END",
)


#: A row of year_rule_sets as its link seals it (``amendment``: the last amendment of the
#: archive when it was recorded, which orders the two; NULL in a row made before af151).
_YEAR_RECORD = "id, year, rule_set, fingerprint, recorded_at, amendment"
_YEAR_TRIGGERS = ("year_rule_sets_u", "year_rule_sets_d", "year_rule_sets_no_replace")


def _year_content(db: sqlite3.Connection) -> str:
    """The SQL of ``year_rule_sets.content`` (the set named for the year, whole, as a
    month's is kept: :data:`_CONTENTS`): NULL in a file whose table has no such column."""
    return "content" if "content" in {
        r[1] for r in db.execute("PRAGMA table_info(year_rule_sets)")} else "NULL"  # fmt: skip


def _keep_year_sets(db: sqlite3.Connection) -> None:
    """On an open for writing: the column of the year's sets kept whole (a table made
    before has none; its rows keep none, their links unchanged)."""
    if _has_year_sets(db) and _year_content(db) == "NULL":
        db.execute("ALTER TABLE year_rule_sets ADD COLUMN content TEXT")


def _year_sealed(record: Sequence[Any], content: Any) -> tuple[Any, ...]:
    """A year_rule_sets row as its link seals it: the record and, where the set is kept
    whole, the SHA-256 of it (a row without one links as before)."""
    if content is None:
        return tuple(record)
    text = content if isinstance(content, str) else _NOT_TEXT
    return (*record, hashlib.sha256(_utf8(text)).hexdigest())


def _has_year_sets(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                      "name = 'year_rule_sets'").fetchone() is not None  # fmt: skip


def _seal_year_sets(db: sqlite3.Connection) -> None:
    """On an open for writing: give the rows recorded before they were sealed (a table
    without ``link``, made by the evalkit of 2026-12-05 before af151) their links, as
    they are; a row inserted later without one is a forgery (:func:`_check_year_sets`)."""
    if not _has_year_sets(db) or "link" in {
            r[1] for r in db.execute("PRAGMA table_info(year_rule_sets)")}:  # fmt: skip
        return
    db.execute("ALTER TABLE year_rule_sets ADD COLUMN link TEXT")
    db.execute("ALTER TABLE year_rule_sets ADD COLUMN amendment INTEGER")
    db.execute("DROP TRIGGER IF EXISTS year_rule_sets_u")  # made again by _YEAR_SETS
    link = b""
    for record in db.execute(f"SELECT {_YEAR_RECORD} FROM year_rule_sets ORDER BY id"
                             ).fetchall():  # fmt: skip
        new = _amendment_link(link, record, ())
        db.execute("UPDATE year_rule_sets SET link = ? WHERE id = ?", (new, record[0]))
        link = bytes.fromhex(new)


def _check_year_sets(db: sqlite3.Connection) -> list[IntegrityProblem]:
    """Every row of ``year_rule_sets`` against its link from the row before, and the
    numbering (a row deleted at the end): a set recorded for a year, changed or added
    with SQL outside evalkit, is named by its year and number."""
    if not _has_year_sets(db) or "link" not in {
            r[1] for r in db.execute("PRAGMA table_info(year_rule_sets)")}:  # fmt: skip
        return []  # (made before the seal, read-only: sealed on the next open for writing)
    problems: list[IntegrityProblem] = []
    link = b""
    rows = db.execute(f"SELECT {_YEAR_RECORD}, {_year_content(db)}, link FROM year_rule_sets "
                      "ORDER BY id").fetchall()  # fmt: skip
    for *record, content, stored in rows:
        if stored != _amendment_link(link, _year_sealed(record, content), ()):
            problems.append(_integrity(str(record[1]), "year", str(record[0]), msg(
                "archive.verify.year_rule_set", rules=repr(record[2]))))
        try:
            link = bytes.fromhex(stored) if isinstance(stored, str) else b""
        except ValueError:
            link = b""
    seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'year_rule_sets'").fetchone()
    top = max(int(seq[0]) if seq else 0, int(rows[-1][0]) if rows else 0)
    have = {int(r[0]) for r in rows}
    problems += [_integrity(None, "year", str(i), msg("archive.verify.amendment_missing"))
                 for i in range(1, top + 1) if i not in have][:50]  # fmt: skip
    return problems


def _recorded_year(db: sqlite3.Connection, year: int, path: str) -> tuple[str, str] | None:
    """The id and content of the set last recorded for ``year`` (:data:`_YEAR_SETS`),
    the record checked first (:func:`_check_year_sets`, ArchiveIntegrityError); None
    when none is (or the file, an older evalkit's, has no such table)."""
    if not _has_year_sets(db):
        return None
    _raise_if(_check_year_sets(db), path)
    row = db.execute("SELECT rule_set, fingerprint FROM year_rule_sets WHERE year = ? "
                     "ORDER BY id DESC LIMIT 1", (int(year),)).fetchone()  # fmt: skip
    return (str(row[0]), str(row[1])) if row is not None else None


def _recorded_set(db: sqlite3.Connection, year: int, rules: RuleSet | None,
                  path: str) -> RuleSet | None:  # fmt: skip
    """The set recorded for ``year``, as it was recorded (``rules``: an agency's rule file,
    found by its id); None when none is. A set of that id with other content now, or one
    not found (an agency's file not given), is refused, naming the year and the set."""
    from evalkit.rules import content_fingerprint

    found = _recorded_year(db, year, path)
    if found is None:
        return None
    rid, fingerprint = found
    if rules is not None and rules.id == rid and not _registered(rules) \
            and content_fingerprint(rules) != fingerprint:  # a file given, changed since
        raise ArchiveError(str(msg("foreign.archive.other_content", period=str(year),
                                   rules=repr(rid), path=path)))  # fmt: skip
    kept = _kept_of(db, rid, fingerprint=fingerprint)  # the content some month kept
    if kept is None:  # else the set as the year kept it (its link checked above)
        row = db.execute(f"SELECT {_year_content(db)} FROM year_rule_sets WHERE year = ? "
                         "ORDER BY id DESC LIMIT 1", (int(year),)).fetchone()  # fmt: skip
        if row is not None and row[0] is not None:
            from evalkit.rules import from_content_json

            kept = from_content_json(str(row[0]))
    if kept is not None:
        return kept
    try:
        rs = _rule_set(rid, rules)
    except EvalkitError:
        raise ArchiveError(str(msg("foreign.archive.year_set_missing", year=str(year),
                                   rules=repr(rid), path=path))) from None
    if content_fingerprint(rs) != fingerprint:
        raise ArchiveError(str(msg("foreign.archive.other_content", period=str(year),
                                   rules=repr(rid), path=path)))  # fmt: skip
    return rs


def _refuse_unrecorded(db: sqlite3.Connection, year: int, rules: RuleSet, path: str) -> None:
    """Refuse ``rules`` named for ``year`` on an archive that cannot record it (opened
    read-only, a file that cannot be written), unless it is the set recorded already."""
    from evalkit.rules import content_fingerprint

    found = _recorded_year(db, year, path)
    if found != (rules.id, content_fingerprint(rules)):
        raise ArchiveError(str(msg("archive.year.cannot_record", year=year, rules=repr(rules.id),
                                   path=path, recorded=repr(found[0]) if found else Words(
                                       "chưa ghi bộ nào", "none is recorded"))))


#: The seals a migration replaced (schema 3's, when 4 sealed every month again): a month's
#: own (``amendment`` 0) and each amendment's link, the schema that made them, when they
#: were replaced (the new version's ``applied_at``) and ``link``, which ties the record to
#: the month's new seal. Append-only; made by the migration to 4 and every open for writing.
_HISTORY = (
    "CREATE TABLE IF NOT EXISTS seal_history (period TEXT NOT NULL, amendment INTEGER NOT "
    "NULL, seal TEXT NOT NULL, schema_version INTEGER NOT NULL, replaced_at TEXT NOT NULL, "
    "link TEXT NOT NULL, PRIMARY KEY (period, amendment))",
    "CREATE TRIGGER IF NOT EXISTS seal_history_u BEFORE UPDATE ON seal_history "
    "BEGIN SELECT RAISE(ABORT, 'the seal history is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS seal_history_d BEFORE DELETE ON seal_history "
    "BEGIN SELECT RAISE(ABORT, 'the seal history is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS seal_history_no_replace BEFORE INSERT ON seal_history "
    "WHEN EXISTS (SELECT 1 FROM seal_history WHERE period = NEW.period "
    "AND amendment = NEW.amendment) "
    "BEGIN SELECT RAISE(ABORT, 'the seal history is append-only'); END",
)


def _refuse_other_content(db: sqlite3.Connection, pers: Sequence[str],
                          sets: Callable[[str], RuleSet | None], path: str) -> None:  # fmt: skip
    """Raise ArchiveError when a month of ``pers`` was finalized with other content under
    a rule set id than the set ``sets(id)`` that would now classify it (a registered set
    replaced, a preset changed, a copy under its id): the archive never re-classifies a
    month under another set than its own. ``sets`` gives None for an id it leaves out. The
    preset's content of a month's fingerprint (:func:`evalkit.rules.earlier_content`: an
    earlier release computed the fingerprint) is the month's own, and so is the set
    ``sets`` gives under the month's own key (:func:`_own_key`)."""
    from evalkit.rules import content_fingerprint, earlier_content

    now: dict[str, str | None] = {}
    for per, rid, fp in _contents_of(db, pers):
        key = _own_key(rid, per)  # the month's own content, kept: :func:`_kept_sets`
        if sets(key) is None:
            key = rid
        if key not in now:
            rs = sets(key)
            now[key] = content_fingerprint(rs) if rs is not None else None
        if now[key] is not None and now[key] != fp and earlier_content(rid, fp) != sets(key):
            raise ArchiveError(str(msg("foreign.archive.other_content", period=per,
                                       rules=repr(rid), path=path)))  # fmt: skip


def _lowering(rs: RuleSet) -> tuple[frozenset[str], dict[str, int]]:
    """Reason codes that may leave a grade below its band under ``rs``, and the cap
    codes with the grade each allows at most."""
    caps = {f"{'disqualifier' if c.grade == Grade.KHT else 'cap'}.{c.id}": int(c.grade)
            for c in rs.caps}  # fmt: skip
    return _LOWERING | frozenset(caps), caps


def period_refusal(period: Period, rules: RuleSet | None) -> Msg | None:
    """Why results of ``period`` cannot be archived (or rendered as they are) under
    ``rules``; None when they can. A month always; a quarter only under a rule set that
    scores quarters (``RuleSet.period == "quarter"``, the customs set); never a year (the
    year is classified from the archived months or quarters, by ``annual``). The one rule
    for ``finalize``, ``render RESULTS.json`` and :func:`check_results`.

    >>> from evalkit import rules
    >>> period_refusal(Period.parse("2026-Q3"), rules.get("vn.customs-2026q")) is None
    True
    >>> str(period_refusal(Period.parse("2026-Q3"), rules.get("vn.nd335-2025")))
    "2026-Q3 is a quarter: 'vn.nd335-2025' scores months, not quarters"
    """
    if period.kind == "month":
        return None
    if period.kind == "quarter":
        if rules is None or rules.period == "quarter":
            return None
        return msg("archive.check.quarter_not_quarterly", period=str(period), rules=rules.id)
    return msg("archive.check.period_not_month", period=str(period))


def check_results(
    results: pd.DataFrame,
    *,
    period: Period | str | None = None,
    rules: RuleSet | str | os.PathLike[str] | None = None,
    file: str | None = None,
    positions: Mapping[str, Position] | None = None,
    other_month: str = "archive.check.other_month",
) -> list[InputProblem]:
    """Every problem of a month's results frame before it is archived (empty: fine).

    Checked: ``staff_id`` present, text, unique (also after Unicode normalisation and
    removing invisible characters); one period, a month — or a quarter under a rule set
    that scores quarters (:func:`period_refusal`); a known rule set per row (``rule_set``,
    else ``results.attrs["rule_set"]`` or ``rules``); ``total`` blank or a finite number
    in ``[0, rule set total]``; ``score_grade``, ``proposed_grade``, ``grade`` and
    ``unit_grade`` blank or a grade as every door reads one (a code, its full name, 0 to 3:
    :func:`evalkit._columns.grade_codes`; kept as its code), else the one sentence
    ``foreign.grade``; ``full_name`` and ``title_vi`` without a control character
    (``foreign.name_control``); a grade only with a total;
    ``score_grade`` the band of the total; ``grade`` never above the band, and below it
    only with a reason code that lowers grades (a cap or disqualifier of the rule set —
    then at most its grade —, ``cap.head_unit``, ``competent.concluded``,
    ``quota.demoted``); ``reasons`` and ``unit_id`` text; ``points_*`` finite numbers;
    every criterion score (the counted one and each level's, ``self__``, ``manager__``,
    ``competent__``) blank or from 0 to its maximum under the row's rule set (a position's
    maximum where the rule set, or ``positions``, overrides it); ``discipline`` blank or
    a level 0 to 5, or its name as every door reads it (``khiển trách`` is 1);
    ``carried_months`` and ``months_worked`` as the frames read them
    (:func:`evalkit._columns.carried_months`: a month carries none in, nor a quarter before
    its set began; CV 21169/CHQ-TCCB), named at the row and staff as
    :func:`evalkit.units.results_from_frame` names them.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"staff_id": ["A", "B"], "period": "2026-03",
    ...     "rule_set": "vn.nd335-2025", "total": [91.0, 85.0], "grade": ["HTXS", "HTXS"]})
    >>> [p.message for p in check_results(frame)]
    ["grade HTXS is above the band of the total 85 (HTT) under vn.nd335-2025 (staff 'B')"]
    """
    from evalkit import _columns as cols

    rules = _given_rules(rules)
    frame = _unmarked(results)
    n = len(frame)
    problems: list[InputProblem] = []
    rows = _row_labels(frame)

    def add(mask: npt.NDArray[np.bool_], column: str, values: npt.NDArray[Any] | None,
            message: Msg | Callable[[int], Msg]) -> None:  # fmt: skip
        for i in np.flatnonzero(mask):
            said = message(int(i)) if callable(message) else message
            sid = ids[i] if ids is not None else None
            if isinstance(sid, str) and column != "staff_id":
                said = msg("archive.check.who", text=said, staff=sid)
            value = _plain(values[i]) if values is not None else None
            problems.append(problem(said, file=file, row=int(rows[i]), column=column,
                                    value=value))  # fmt: skip

    ids: npt.NDArray[Any] | None = None
    if "staff_id" not in frame.columns:
        problems.append(problem(msg("archive.check.no_staff_column"), file=file,
                                column="staff_id"))
    else:
        # a whole-number float id (7.0) is its integer text '7', as every door reads it
        # (evalkit._ids.normal_id); one that is not whole (7.5) is no id
        try:  # a list or a dict is no id: said below as not text, with the other problems
            said_ids = _ids.number_ids(frame["staff_id"])
        except InputError:
            said_ids = frame["staff_id"]
        obj, blank, wrong = _texts(said_ids)
        wrong &= ~_types(obj).isin(_INT_TYPES).to_numpy(dtype=bool)
        try:
            fraction = _ids.fraction_ids(pd.Series(obj, dtype=object))
        except InputError:
            fraction = np.zeros(len(obj), dtype=bool)
        add(blank, "staff_id", obj, msg("archive.check.blank_staff"))
        add(fraction, "staff_id", obj, msg("archive.check.staff_fraction"))
        add(wrong & ~fraction, "staff_id", obj, msg("archive.check.staff_not_text"))
        ids = _blanked(blank | wrong, obj)
        ok = ~blank & ~wrong
        sid = pd.Series(ids, dtype=object)[ok].astype(str)
        # ids compared as every door compares them (evalkit._ids: 'S1 ' and 'S1\u200b' are
        # 'S1'), each problem quoting the id as typed
        norm = _ids.normal_id_column(sid)
        blank_now = norm.isna()  # a zero-width space alone
        for i in blank_now[blank_now].index:
            problems.append(problem(msg("archive.check.blank_staff"), file=file,
                                    row=int(rows[i]), column="staff_id", value=str(ids[i])))
        norm = norm[~blank_now]
        control = _ids.control_ids(norm)
        for i in norm.index[control]:
            problems.append(problem(msg("archive.check.staff_control"), file=file,
                                    row=int(rows[i]), column="staff_id",
                                    value=str(ids[i])))  # fmt: skip
        dup = sid[sid.duplicated()]
        for value in pd.unique(dup):
            at = sid.index[sid == value]
            problems.append(problem(msg("archive.check.duplicate_staff"), file=file,
                                    row=int(rows[at[1]]), column="staff_id",
                                    value=str(value)))  # fmt: skip
        clash = norm.duplicated(keep=False) & ~sid[norm.index].duplicated(keep=False)
        for key in pd.unique(norm[clash]):
            same = sorted(set(sid[norm.index[norm == key]]))
            at = norm.index[norm == key]
            problems.append(problem(
                msg("archive.check.same_person", ids=", ".join(map(repr, same))), file=file,
                row=int(rows[at[-1]]), column="staff_id", value=same[-1]))  # fmt: skip
    # -- names printed on the sheets: no control character (the rule of every door)
    for name in NAME_COLUMNS:
        if name in frame.columns:
            add(_control_names(frame[name]), name, frame[name].astype(object).to_numpy(
                dtype=object), msg("foreign.name_control"))
    # -- period
    expected = str(Period.parse(period)) if period is not None else None
    canon = np.full(n, None, dtype=object)
    period_blank = np.ones(n, dtype=bool)
    if "period" in frame.columns:
        obj, blank, wrong = _texts(frame["period"])
        strings = ~blank & ~wrong
        for value in pd.unique(pd.Series(obj[strings], dtype=object)):
            mask = strings & (obj == value)
            try:
                p = Period.parse(value)
            except (EvalkitError, TypeError, ValueError):
                add(mask, "period", obj, msg("archive.check.not_a_month"))
                continue
            canon[mask] = str(p)
        add(wrong, "period", obj, msg("archive.check.not_a_month"))
        period_blank = blank
        if expected is not None:
            parsed = ~np.asarray(pd.isna(canon), dtype=bool)
            other = strings & parsed & (canon != expected)
            add(other, "period", obj, msg(other_month, expected=expected))
    # -- rule sets
    rule_ids = np.full(n, None, dtype=object)
    default = results.attrs.get("rule_set") or (rules.id if rules is not None else None)
    if "rule_set" in frame.columns:
        obj, blank, wrong = _texts(frame["rule_set"])
        add(wrong, "rule_set", obj, msg("archive.check.rules_not_text"))
        rule_ids = _blanked(blank | wrong, obj)
        missing = blank
    else:
        missing = np.ones(n, dtype=bool)
    if default is not None and isinstance(default, str):
        rule_ids = np.where(missing, default, rule_ids)
    elif missing.any():
        if "rule_set" in frame.columns:
            add(missing, "rule_set", None, msg("archive.check.no_rules_here"))
        else:
            problems.append(problem(msg("archive.check.no_rules"), file=file,
                                    column="rule_set"))  # fmt: skip
    known: dict[str, RuleSet] = {}
    for rid in pd.unique(pd.Series(rule_ids, dtype=object).dropna()):
        try:
            known[str(rid)] = _rule_set(str(rid), rules)
        except RuleSetError:  # ``rules`` takes a registered set's id, other content
            problems.append(problem(msg("foreign.rules.id_shadow", rules=repr(str(rid))),
                                    file=file, column="rule_set", value=str(rid)))
        except EvalkitError:
            from evalkit import rules as _rules

            close = difflib.get_close_matches(str(rid), [r.id for r in _rules.available()], n=1)
            hint = msg("hint.did_you_mean", name=close[0]) if close else ""
            add(rule_ids == rid, "rule_set", rule_ids,
                msg("archive.check.unknown_rules", rules=str(rid), hint=hint))
    # -- each row's period (its own, else the one archived) is one its rule set keeps
    if n:
        here = pd.Series(canon, dtype=object)
        if expected is not None:
            here = here.where(~period_blank, expected)
        shown = here.to_numpy(dtype=object)
        sets = pd.Series(rule_ids, dtype=object)
        for p_text in pd.unique(here.dropna()):
            of_p = (here == p_text).to_numpy(dtype=bool)
            for rid in pd.unique(sets[of_p]):
                refused = period_refusal(Period.parse(str(p_text)),
                                         known.get(rid) if isinstance(rid, str) else None)
                if refused is not None:
                    mine = (sets == rid) if isinstance(rid, str) else sets.isna()
                    add(of_p & mine.to_numpy(dtype=bool), "period", shown, refused)
        # -- the months a row counts, read by the frames' own readers and said alike: a
        # short quarter is carried into the next of its year, never into a month, nor
        # before its set began (CV 21169/CHQ-TCCB; evalkit._columns.carried_months)
        sub = frame[[c for c in ("months_worked", "carried_months", "staff_id")
                     if c in frame.columns]].assign(period=shown)  # fmt: skip
        found = cols.Problems(sub, file=file)
        cols.counted_months(sub, found, rule_ids, known)
        problems += [_relabel(p, rows, file) for p in found.in_order()]
    # -- totals
    total = np.full(n, np.nan)
    total_bad = np.zeros(n, dtype=bool)
    if "total" in frame.columns:
        raw = frame["total"].astype(object).to_numpy(dtype=object)
        total, wrong = _numeric(frame["total"])
        add(wrong, "total", raw, msg("archive.check.total_not_number"))
        inf = np.isinf(total)
        add(inf, "total", raw, msg("archive.check.total_not_finite"))
        total = np.where(inf, np.nan, total)
        top = (pd.Series(rule_ids, dtype=object).map({k: v.total for k, v in known.items()})
               .astype(np.float64).fillna(np.inf).to_numpy(dtype=np.float64))
        out = ~np.isnan(total) & ((total < 0) | (total > top + 1e-9))
        add(out, "total", raw, lambda i: msg("archive.check.total_outside", top=_number(top[i])))
        total_bad = wrong | inf | out
        total = np.where(out, np.nan, total)
    elif n:
        problems.append(problem(msg("archive.check.no_total_column"), file=file, column="total"))
    # -- grades
    codes: dict[str, npt.NDArray[np.int64]] = {}
    for col in _GRADE_COLUMNS:
        if col not in frame.columns:
            continue
        # read as every door reads a grade (a code, its full name, 0 to 3), said alike
        read, bad = grade_codes(frame[col])
        codes[col] = read.astype(np.int64)
        add(bad, col, frame[col].astype(object).to_numpy(dtype=object),
            grade_sentence({}))
    if "grade" not in frame.columns and n:
        problems.append(problem(msg("archive.check.no_grade_column"), file=file, column="grade"))
    reasons = np.full(n, "", dtype=object)
    if "reasons" in frame.columns:
        obj, blank, wrong = _texts(frame["reasons"])
        add(wrong, "reasons", obj, msg("archive.check.reasons_not_text"))
        reasons = np.where(blank | wrong, "", obj)
    if "unit_id" in frame.columns:
        obj, _blank, wrong = _texts(frame["unit_id"])
        wrong &= ~_types(obj).isin(_INT_TYPES).to_numpy(dtype=bool)
        add(wrong, "unit_id", obj, msg("archive.check.unit_not_text"))
    for col in frame.columns:
        if str(col).startswith("points_"):
            raw = frame[col].astype(object).to_numpy(dtype=object)
            values, wrong = _numeric(frame[col])
            add(wrong, str(col), raw, msg("foreign.not_a_number"))  # the doors' words
            add(np.isinf(values), str(col), raw, msg("archive.check.not_finite"))
            # within the block of the row's rule set, as the roll-up reads them (a number
            # said above is not read again)
            lo, hi = (pd.Series(rule_ids, dtype=object).map(
                {k: v.result_range(str(col))[j] for k, v in known.items()}).astype(
                np.float64).fillna(x).to_numpy(dtype=np.float64)
                for j, x in ((0, -np.inf), (1, np.inf)))  # fmt: skip
            sub = frame[[c for c in ("staff_id",) if c in frame.columns]].assign(
                **{col: np.where(wrong | np.isinf(values), np.nan, values)})
            found = cols.Problems(sub, file=file)
            cols.numbers(sub, col, found, minimum=lo, maximum=hi)
            problems += [_relabel(p, rows, file) for p in found.in_order()]
    if "classified" in frame.columns:
        obj = frame["classified"].astype(object).to_numpy(dtype=object)
        add(_not_yes_no(obj), "classified", obj, msg("archive.check.not_yes_no"))
    # -- the inputs: every criterion score within 0 and its maximum, discipline 0 to 5
    if "discipline" in frame.columns:
        raw = frame["discipline"].astype(object).to_numpy(dtype=object)
        values, wrong = _discipline_levels(frame["discipline"])
        with np.errstate(invalid="ignore"):
            bad = wrong | np.isinf(values) | (values < 0) | (values > 5) | (
                values != np.floor(values))
        add(bad & ~np.isnan(np.where(wrong, 0.0, values)), "discipline", raw,
            msg("foreign.discipline"))
    if "leave" in frame.columns:  # a month on leave has no score (the year leaves it out)
        raw = frame["leave"].astype(object).to_numpy(dtype=object)
        kind = cols.choice(frame, "leave", cols.Problems(frame), mapping=cols.LEAVE_NAMES,
                           default=0)  # fmt: skip
        typed = ~pd.isna(raw) & pd.Series(raw, dtype=object).astype(str).str.strip().ne(
            "").to_numpy(dtype=bool)
        add(typed & (kind == 0), "leave", raw, msg("foreign.leave"))
        in_period = pd.DataFrame({"period": pd.Series(canon, dtype=object).where(
            ~period_blank, expected)}, dtype=object)  # each row's own, else the one archived
        for on_scored, words in cols.leave_scored(kind, ~np.isnan(total),
                                                  cols.period_months(in_period) == 3):
            add(on_scored, "leave", raw, words)
    for rid, rs in known.items():
        mine = rule_ids == rid
        if not mine.any():
            continue
        from evalkit.scoring import criterion_maxima

        for crit in rs.criteria():
            crit_tops: npt.NDArray[np.float64] = np.broadcast_to(
                np.asarray(criterion_maxima(rs, crit.id, frame, positions), dtype=np.float64), (n,))
            said = _score_outside(crit.id, crit_tops, positions is None)
            for col in (crit.id, *(f"{lv}__{crit.id}" for lv in ("self", "manager", "competent"))):
                if col not in frame.columns:
                    continue
                raw = frame[col].astype(object).to_numpy(dtype=object)
                values, wrong = _numeric(frame[col])
                add(mine & wrong, col, raw, msg("foreign.not_a_number"))
                add(mine & np.isinf(values), col, raw, msg("archive.check.not_finite"))
                with np.errstate(invalid="ignore"):
                    outside = mine & ~np.isnan(values) & ~np.isinf(values) & (
                        (values < 0) | (values > crit_tops + 1e-9))
                add(outside, col, raw, said)
    # -- every reason code is one the sheets can explain under the row's rule set
    for rid, rs in known.items():
        mine = rule_ids == rid
        for text in pd.unique(pd.Series(reasons[mine], dtype=object)):
            unknown = _unknown_codes(str(text), rs)
            if unknown:
                add(mine & (reasons == text), "reasons", reasons,
                    msg("archive.check.unknown_reason", codes=", ".join(unknown),
                        rules=str(rid)))  # fmt: skip
    # -- consistency of total, band, grade and reasons, per rule set
    has_total = ~np.isnan(total)
    for col, c in codes.items():
        if col != "unit_grade" and "total" in frame.columns:
            add((c >= 0) & ~has_total & ~total_bad, col,
                frame[col].astype(object).to_numpy(dtype=object),
                msg("archive.check.grade_without_total", what=msg(f"archive.check.col.{col}")))
    for rid, rs in known.items():
        here = (rule_ids == rid) & has_total
        if not here.any():
            continue
        for mask, col, messages in _consistency(rid, rs, here, total, codes, reasons):
            add(mask, col, frame[col].astype(object).to_numpy(dtype=object),
                messages.__getitem__)
    return problems


def check_month_results(
    results: pd.DataFrame,
    *,
    rules: RuleSet | str | os.PathLike[str] | None = None,
    file: str | None = None,
    positions: Mapping[str, Position] | None = None,
) -> list[InputProblem]:
    """Every problem of one month's results read back from a file, before anything is
    made of them (``evalkit render`` of a results file): no rows at all is a problem; the
    month is the document's (``results.attrs["period"]``), else the one most rows hold,
    and a row of another month is named at its row; then :func:`check_results`.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"staff_id": ["A", "B"], "period": ["2026-03", "2026-04"],
    ...     "rule_set": "vn.nd335-2025", "total": [91.0, 85.0], "grade": ["HTXS", "HTT"]})
    >>> [p.message for p in check_month_results(frame)]
    ["is not the file's month, 2026-03: a results file holds one month (staff 'B')"]
    """
    rules = _given_rules(rules)
    if len(results) == 0:
        return [problem(msg("archive.check.no_rows"), file=file)]
    period: str | None = None
    declared = results.attrs.get("period")
    if isinstance(declared, str):
        try:
            period = str(Period.parse(declared))
        except EvalkitError:
            period = None
    if period is None and "period" in results.columns:
        months: list[str] = []
        for value in _hashable(results["period"].dropna()).tolist():
            try:
                months.append(str(Period.parse(value)))
            except (EvalkitError, TypeError, ValueError):
                continue
        if months:
            period = pd.Series(months).value_counts(sort=True).index[0]
    return check_results(results, period=period, rules=rules, file=file, positions=positions,
                         other_month="archive.check.file_month")


def finalize_problems(
    results: pd.DataFrame,
    *,
    period: Period | str | None = None,
    units: pd.DataFrame | None = None,
    unit_inputs: pd.DataFrame | None = None,
    rules: RuleSet | str | os.PathLike[str] | None = None,
    positions: Mapping[str, Position] | None = None,
) -> list[InputProblem]:
    """Every problem :meth:`Archive.finalize` refuses ``results`` for before it compares
    them with what the unit inputs give (no archive is read or written): the month
    (``period`` or the rows'), :func:`check_results` and the checks of the unit tables.
    ``evalkit finalize`` lists them with the problems a results file's reader found in
    its other records (:func:`evalkit.io.results.read_results_and_problems`).

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"staff_id": ["A"], "period": "2026-03",
    ...     "rule_set": "vn.nd335-2025", "total": [91.0], "score_grade": ["KHT"],
    ...     "grade": ["HTXS"]})
    >>> [p.column for p in finalize_problems(frame)]
    ['score_grade']
    """
    rules = _given_rules(rules)
    file = results.attrs.get("file")
    file = str(file) if file is not None else None
    try:
        per: Period | None = _period_of(results, period, file)
        said: list[InputProblem] = []
    except InputError as exc:  # the month is said once: not again at each row
        per, said = None, list(exc.problems)
    found = _finalize_checks(_finalize_frame(results, rules), per, rules, file, positions,
                             units, unit_inputs)  # fmt: skip
    return [*said, *(p for p in found if not said or p.column != "period")]


def follow_problems(
    results: pd.DataFrame,
    *,
    units: pd.DataFrame | None = None,
    unit_inputs: pd.DataFrame | None = None,
    rules: RuleSet | str | os.PathLike[str] | None = None,
    positions: Mapping[str, Position] | None = None,
) -> list[InputProblem]:
    """The rows of a month's results that the engine does not give for their own inputs
    (the staff rows' scores with ``unit_inputs``), as :meth:`Archive.finalize` refuses
    them after :func:`finalize_problems`: a results file edited by hand (a total and its
    grades raised together) is refused by ``evalkit render`` as by ``evalkit finalize``,
    never printed on a signed sheet. Without ``unit_inputs``, the rows marked
    ``classified_by_unit`` false (a month only scored, ``evalkit score --out``) are scored
    again from their own inputs (:func:`_check_scored`); rows without the mark have
    nothing to derive from."""
    rules = _given_rules(rules)
    file = results.attrs.get("file")
    file = str(file) if file is not None else None
    frame = _finalize_frame(results, rules)
    rule_ids = _rule_ids(frame, results, rules)
    _as_stored(frame, rule_ids, rules)
    try:
        _follows(frame, rule_ids, rules, file, positions, units, unit_inputs, in_file=True)
    except InputError as exc:
        return list(exc.problems)
    return []


def results_file_problems(
    results: pd.DataFrame,
    *,
    rules: RuleSet | str | os.PathLike[str] | None = None,
    positions: Mapping[str, Position] | None = None,
) -> list[InputProblem]:
    """Why a month's results read back from a results file (:func:`evalkit.io.results.
    read_results`) may not be printed on a signed sheet: :func:`check_month_results`,
    then :func:`follow_problems` over the unit tables the file carries. The one check
    of ``evalkit render`` and of :func:`evalkit.render.sheets_from_results`: both refuse
    what ``evalkit finalize`` refuses, with the same problems (the file's name from
    ``results.attrs["file"]``)."""
    file = results.attrs.get("file")
    file = str(file) if file is not None else None
    units, inputs = _tables.table(results, "units"), _tables.table(results, "unit_inputs")
    return [*check_month_results(results, rules=rules, file=file, positions=positions),
            *_tables_problems(units, inputs, file)] or \
        follow_problems(results, units=units, unit_inputs=inputs, rules=rules,
                        positions=positions)  # fmt: skip


def _rule_ids(frame: pd.DataFrame, results: pd.DataFrame, rules: RuleSet | None) -> list[str]:
    """The rule sets of a month's results (:func:`_finalize_frame`'s ``frame``)."""
    rule_ids = sorted({str(r) for r in frame["rule_set"].dropna()}) if len(frame) else []
    if rules is None and not rule_ids and isinstance(results.attrs.get("rule_set"), str):
        rule_ids = [results.attrs["rule_set"]]
    return rule_ids


def _as_stored(frame: pd.DataFrame, rule_ids: Sequence[str], rules: RuleSet | None) -> None:
    """``frame``'s numbers as checked ("8,5" typed as text is 8.5), never the text they
    were typed as, and no reason as "" (as the engine writes it, never a CSV's blank read
    back): every door stores, and reads back, one frame."""
    crits = {c.id for r in rule_ids for c in _rule_set(r, rules).criteria()}
    for key in map(str, frame.columns):
        number = key in ("total", "discipline") or key.startswith("points_") or \
            key.split("__", 1)[-1] in crits
        if number and not pd.api.types.is_numeric_dtype(frame[key].dtype):
            read = _discipline_levels if key == "discipline" else _numeric
            frame[key] = read(frame.loc[:, key])[0]
    if "reasons" in frame.columns:
        text, blank, _ = _texts(frame["reasons"])
        frame["reasons"] = pd.Series(np.where(blank, "", text), index=frame.index, dtype=object)


def _follows(frame: pd.DataFrame, rule_ids: Sequence[str], rules: RuleSet | None,
             file: str | None, positions: Mapping[str, Position] | None,
             units: pd.DataFrame | None, unit_inputs: pd.DataFrame | None,
             *, in_file: bool = False, read_back: bool = False) -> None:
    """:func:`_check_follows` of a month's results, when they carry their unit inputs,
    else :func:`_check_scored` (a month scored, not classified: each row's own inputs);
    ``in_file``: the results file's own inputs (``render``), not those to be archived.
    Results read back from a results file (``in_file`` or ``read_back``) whose rows say
    they were classified by unit must carry each such row's unit among their unit inputs
    (:func:`_claimed_without_inputs`): a classification is re-derived from them, never
    taken on the file's word."""
    if not rule_ids or not len(frame):
        return
    if (in_file or read_back) and (found := _claimed_without_inputs(frame, unit_inputs, file)):
        raise InputError(found)
    sets = [_rule_set(r, rules) for r in rule_ids]
    if unit_inputs is not None:
        _check_follows(frame, _unit_frame(unit_inputs), sets, file, positions,
                       unit_results=units, in_file=in_file)  # fmt: skip
    else:
        _check_scored(frame, sets, file, positions, in_file=in_file)


def _claimed_without_inputs(frame: pd.DataFrame, unit_inputs: pd.DataFrame | None,
                            file: str | None) -> list[InputProblem]:
    """One problem per unit whose rows are marked ``classified_by_unit`` (as ``evalkit
    classify`` writes them) while the unit inputs given (a results file's ``unit_inputs``)
    hold no row of that unit — removed, or the mark edited to true on a month only scored:
    units come before individuals, so such a row's grade cannot be classified again (a
    month only scored says false, and is scored again from its own rows)."""
    claimed = _marked("classified_by_unit", frame)
    if not claimed.any():
        return []
    ids = (_ids.normal_id_column(frame["unit_id"]).astype(object) if "unit_id" in frame.columns
           else pd.Series(None, index=frame.index, dtype=object))  # fmt: skip
    known: set[Any] = set()
    if unit_inputs is not None and "unit_id" in _unit_frame(unit_inputs).columns:
        known = set(_ids.normal_id_column(_unit_frame(unit_inputs)["unit_id"]).dropna())
    missing = claimed & ~ids.isin(known).to_numpy(dtype=bool)
    rows = _row_labels(frame)
    found: list[InputProblem] = []
    seen: set[Any] = set()
    for i in np.flatnonzero(missing):  # the first row of each unit, the unit's count said
        unit = ids.iloc[i]
        if unit in seen:
            continue
        seen.add(unit)
        n = int((missing & (ids == unit).to_numpy(dtype=bool)).sum()) if unit is not None \
            else int((missing & ids.isna().to_numpy(dtype=bool)).sum())  # fmt: skip
        found.append(problem(msg(
            "archive.check.unit_inputs_missing", n=n, staff=frame["staff_id"].iloc[i],
            unit=unit if unit is not None else msg("word.blank")), file=file, row=int(rows[i]),
            column="classified_by_unit", value=True, staff_id=str(frame["staff_id"].iloc[i]),
            unit_id=None if unit is None else str(unit)))
    return found


def _finalize_frame(results: pd.DataFrame, rules: RuleSet | None) -> pd.DataFrame:
    """``results`` as :meth:`Archive.finalize` checks and stores them: the ``row`` index a
    column, a blank rule set the document's (or ``rules``'), the places of a results
    file's records kept for the checks (:func:`_unmarked`)."""
    frame = _unmarked(results)
    if "rule_set" not in frame.columns or frame["rule_set"].isna().any():
        default = results.attrs.get("rule_set") or (rules.id if rules is not None else None)
        if isinstance(default, str):
            col = (frame["rule_set"].astype(object) if "rule_set" in frame.columns
                   else pd.Series(None, index=frame.index, dtype=object))  # fmt: skip
            frame["rule_set"] = col.where(col.notna(), default)
    for name in _GRADE_COLUMNS:  # a grade every door reads (its full name, 0 to 3) kept
        if name in frame.columns:  # as its code, as the engine writes it; others as typed
            read, _bad = grade_codes(frame[name])
            code = np.array([*(Grade(i).code for i in range(4)), None], dtype=object)[read]
            typed = frame[name].astype(object).to_numpy(dtype=object)
            if ((read >= 0) & (code != typed)).any():
                frame[name] = np.where(read >= 0, code, typed)
    frame.attrs = {**{k: v for k, v in results.attrs.items() if k != "units"},
                   **{k: v for k, v in frame.attrs.items() if k == _tables.RECORD}}
    return frame


def _finalize_checks(frame: pd.DataFrame, per: Period | None, rules: RuleSet | None,
                     file: str | None, positions: Mapping[str, Position] | None,
                     units: pd.DataFrame | None, unit_inputs: pd.DataFrame | None,
                     ) -> list[InputProblem]:  # fmt: skip
    """:func:`check_results` of ``frame`` and the checks of the unit tables (a unit flag
    the unit result's rule set does not read refused as the year refuses it)."""
    from evalkit.units import unit_flag_problems

    problems = check_results(frame, period=per, rules=rules, file=file, positions=positions)
    problems += _tables_problems(units, unit_inputs, file)
    if units is not None and not units.empty:  # (an agency's rule file found as finalize finds it)
        known = {rules.id: rules} if rules is not None else None
        problems += [attrs.evolve(_relabel(p, _unit_labels(units), file), sheet="units")
                     for p in unit_flag_problems(_unit_frame(units), frame, known=known)]
    return problems


def _score_outside(criterion: str, tops: npt.NDArray[np.float64],
                   no_positions: bool = False) -> Callable[[int], Msg]:  # fmt: skip
    """The message of a criterion score outside 0 to its maximum, for row ``i`` (saying
    where a position's own maximum comes from when no positions were given)."""
    key = "archive.check.score_outside_no_org" if no_positions else "archive.check.score_outside"
    return lambda i: msg(key, criterion=criterion, top=_number(float(tops[i])))


_NAMES = {int(g): g.code for g in Grade}


def _not_yes_no(values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Cells that are not a yes/no value as every door reads one (:func:`evalkit._words.
    bool_of`: bool, 0/1, x, có/không, đúng/sai, true/false …, blank); each distinct value is
    judged once."""
    codes, uniq = pd.factorize(pd.Series(values, dtype=object))  # blanks: -1

    lut = np.array([*(bool_of(v)[1] is not None for v in uniq.tolist()), False], dtype=bool)
    out: npt.NDArray[np.bool_] = lut[np.asarray(codes, dtype=np.int64)]
    return out


def _unknown_codes(text: str, rs: RuleSet) -> list[str]:
    """The codes of a ``reasons`` cell that no sentence of ``rs`` explains: not in the
    catalogue, or a disqualifier, cap or notice the rule set does not have."""
    from evalkit.reasons import UnknownReasonError, split_codes, template_for

    out = []
    for code in split_codes(text):
        try:
            tpl = template_for(code)
        except UnknownReasonError:
            out.append(code)
            continue
        if tpl.is_family:
            rules = rs.notices if code.startswith("notice.") else rs.caps
            if not any(r.id == code.split(".", 1)[1] for r in rules):
                out.append(code)
    return out


def _consistency(
    rid: str,
    rs: RuleSet,
    here: npt.NDArray[np.bool_],
    total: npt.NDArray[np.float64],
    codes: Mapping[str, npt.NDArray[np.int64]],
    reasons: npt.NDArray[Any],
) -> list[tuple[npt.NDArray[np.bool_], str, dict[int, Msg]]]:
    """Rows of one rule set whose score grade or grade contradicts the total's band or
    the reasons, with a message per row."""
    from evalkit.rules.blocks import band_codes

    n = len(here)
    band = np.full(n, -1, dtype=np.int64)
    band[here] = band_codes(rs.bands, total[here]).astype(np.int64)
    out: list[tuple[npt.NDArray[np.bool_], str, dict[int, Msg]]] = []
    named = Words(rs.source or rs.title_vi, rid)

    def said(key: str, i: int, grade: int, **more: Any) -> Msg:
        b = int(band[i])
        return msg(key, grade=_NAMES[grade], total=_number(total[i]), rules=named,
                   band=_NAMES[b] if b in _NAMES else msg("archive.check.no_band"), **more)

    if "score_grade" in codes:
        sg = codes["score_grade"]
        bad = here & (sg >= 0) & (sg != band)
        out.append((bad, "score_grade", {
            int(i): said("archive.check.score_grade_band", int(i), int(sg[i]))
            for i in np.flatnonzero(bad)}))  # fmt: skip
    if "grade" not in codes:
        return out
    g = codes["grade"]
    raised = np.zeros(n, dtype=bool)
    uniq, inv = np.unique(reasons[here].astype(str), return_inverse=True)
    raised[here] = np.array([bool({c.strip() for c in t.split(";")} & _RAISING)
                             for t in uniq.tolist()], dtype=bool)[inv.reshape(-1)]  # fmt: skip
    above = here & (g >= 0) & (band >= 0) & (g > band) & ~raised
    out.append((above, "grade", {
        int(i): said("archive.check.above_band", int(i), int(g[i]))
        for i in np.flatnonzero(above)}))  # fmt: skip
    lowering, caps = _lowering(rs)
    uniq, inv = np.unique(reasons[here].astype(str), return_inverse=True)
    allowed = np.empty(len(uniq), dtype=bool)
    ceiling = np.empty(len(uniq), dtype=np.int64)
    for k, text in enumerate(uniq.tolist()):  # distinct reason strings, not rows
        found = {c.strip() for c in text.split(";") if c.strip()}
        allowed[k] = bool(found & lowering)
        ceiling[k] = min([caps[c] for c in found if c in caps], default=int(Grade.HTXS))
    ok_low = np.zeros(n, dtype=bool)
    cap_at = np.full(n, int(Grade.HTXS), dtype=np.int64)
    ok_low[here] = allowed[inv.reshape(-1)]
    cap_at[here] = ceiling[inv.reshape(-1)]
    below = here & (g >= 0) & (band >= 0) & (g < band) & ~ok_low
    out.append((below, "grade", {
        int(i): said("archive.check.below_band", int(i), int(g[i]))
        for i in np.flatnonzero(below)}))  # fmt: skip
    over_cap = here & (g >= 0) & (g > cap_at) & ~above
    out.append((over_cap, "grade", {
        int(i): said("archive.check.above_cap", int(i), int(g[i]), cap=_NAMES[int(cap_at[i])],
                     reasons=Words(_cap_words(rs, str(reasons[i])), str(reasons[i])))
        for i in np.flatnonzero(over_cap)}))  # fmt: skip
    return out


def _number(value: float) -> Words:
    """A number as each language writes it (``96,5`` / ``96.5``)."""
    shown = f"{float(value):g}"
    return Words(shown.replace(".", ","), shown)


def _cap_words(rs: RuleSet, reasons: str) -> str:
    """The Vietnamese labels of the caps and disqualifiers among ``reasons`` (codes)."""
    labels = {f"{'disqualifier' if c.grade == Grade.KHT else 'cap'}.{c.id}": c.label_vi
              for c in rs.caps}  # fmt: skip
    found = [labels[c.strip()][:1].lower() + labels[c.strip()][1:] for c in reasons.split(";")
             if c.strip() in labels]  # fmt: skip
    return "; ".join(dict.fromkeys(found))


def _control_names(col: pd.Series) -> npt.NDArray[np.bool_]:
    """Rows of a name column whose text holds a control character (``foreign.name_control``,
    the rule of every door); a value that is no text is not judged here."""
    obj = col.astype(object).to_numpy(dtype=object)
    kept = obj.copy()
    kept[~_types(obj).isin((str,)).to_numpy(dtype=bool)] = None
    return _ids.control_ids(pd.Series(kept, dtype=object))


def _unit_labels(units: pd.DataFrame) -> npt.NDArray[Any]:
    """The row each unit record is reported at: a ``row`` index (a results file's records at
    their place in their table: :func:`evalkit.io.results.read_results`), else its position."""
    return (units.index.to_numpy(dtype=object) if units.index.name == "row"
            else np.arange(len(units), dtype=object))  # fmt: skip


def _tables_problems(units: pd.DataFrame | None, unit_inputs: pd.DataFrame | None,
                     file: str | None) -> list[InputProblem]:  # fmt: skip
    """:func:`_check_units` of the unit results and the unit inputs given (none: none)."""
    return [p for key, table in (("units", units), ("unit_inputs", unit_inputs))
            if table is not None and not table.empty for p in _check_units(table, key, file)]


def _check_units(units: pd.DataFrame, key: str, file: str | None) -> list[InputProblem]:
    """Unit rows (``units``: results, or ``unit_inputs``): a unique text ``unit_id``, grade
    codes, numbers, names without a control character (:data:`evalkit._words.
    UNIT_NAME_COLUMNS`); each problem in its table (``sheet``: ``key``, as the results
    file's reader names it) at its row (:func:`_unit_labels`), naming its unit. Ids are
    read as every door reads them (:func:`evalkit._ids.normal_id`): ``'  '`` is blank,
    ``'P1 '`` is ``'P1'``."""
    what = msg("archive.check.what.units" if key == "units" else "archive.check.what.inputs")
    problems: list[InputProblem] = []
    frame = _unit_frame(units)
    rows = _unit_labels(units)
    if "unit_id" not in frame.columns:
        return [problem(msg("archive.check.units.no_column", what=what), file=file, sheet=key,
                        column="unit_id")]  # fmt: skip
    # a number id (10, 10.0) is the id '10', as the results' unit_id and every door read it
    obj, blank, wrong = _texts(_ids.number_ids(frame["unit_id"]))
    wrong &= ~_types(obj).isin(_INT_TYPES).to_numpy(dtype=bool)
    norm = _ids.normal_id_column(pd.Series(_blanked(blank | wrong, obj), dtype=object))
    blank |= norm.isna().to_numpy(dtype=bool) & ~wrong  # spaces or invisible characters only
    unit = [None if blank[i] or wrong[i] else str(_plain(u)) for i, u in enumerate(norm)]

    def at(i: int | np.integer[Any], said: Msg, column: str, value: object) -> InputProblem:
        return problem(said, file=file, sheet=key, row=_plain(rows[i]), column=column,
                       value=value, unit_id=unit[i])  # fmt: skip

    for i in np.flatnonzero(blank | wrong):
        problems.append(at(i, msg("archive.check.units.blank", what=what), "unit_id",
                           _plain(obj[i])))  # fmt: skip
    ids = pd.Series(unit, dtype=object)[~blank & ~wrong]
    for value in pd.unique(ids[ids.duplicated()]):  # at its second record, as a staff id
        i = ids.index[ids == value][1]
        problems.append(at(i, msg("archive.check.units.duplicate", what=what), "unit_id",
                           _plain(obj[i])))  # fmt: skip
    if "grade" in frame.columns:  # read as every door reads a grade, said alike
        g = _hashable(frame["grade"])
        _read, bad = grade_codes(g)
        for i in np.flatnonzero(bad):
            problems.append(at(i, msg("archive.check.units.said", what=what,
                                      text=grade_sentence({})), "grade", _plain(g.iloc[i])))
    for name in UNIT_NAME_COLUMNS:  # printed on the sheets, as every door refuses it
        if name in frame.columns:
            raw = frame[name].astype(object).to_numpy(dtype=object)
            for i in np.flatnonzero(_control_names(frame[name])):
                problems.append(at(i, msg("archive.check.units.said", what=what,
                                          text=msg("foreign.name_control")), name,
                                   _plain(raw[i])))  # fmt: skip
    from evalkit.units import UNIT_INPUT_COLUMNS

    for col in frame.columns:
        if col in UNIT_INPUT_COLUMNS or str(col).startswith("body_"):
            raw = frame[col].astype(object).to_numpy(dtype=object)
            values, wrong = _numeric(frame[col])
            neg = np.asarray(values < 0, dtype=bool)
            for i in np.flatnonzero(wrong | np.isinf(values) | neg):
                problems.append(at(i, msg("archive.check.units.not_number", what=what),
                                   str(col), _plain(raw[i])))  # fmt: skip
    return problems


# =========================================================================== amendable inputs


#: The inputs a derived cap flag is computed from (``evalkit._kernels.derived_flags``):
#: the amendment changes the input, the engine derives the flag again.
_FLAG_SOURCES = {
    "duty_discipline": ("discipline", "discipline_related_to_duty"),
    "any_discipline": ("discipline", "party_discipline"),
    "duty_any_discipline": ("discipline", "party_discipline", "discipline_related_to_duty"),
}
#: Yes/no inputs (read like the workbook's ``x`` / ``không`` cells).
_FLAG_FIELDS = frozenset({"degradation", "corruption_in_unit", "party_discipline",
                          "discipline_related_to_duty"})  # fmt: skip
#: A yes/no input that counts as true when it is left blank.
_TRUE_WHEN_BLANK = frozenset({"discipline_related_to_duty"})


def amendable_fields(rules: RuleSet) -> dict[str, str]:
    """The input fields an amendment may change under ``rules``, with their kind:
    ``number`` (a criterion scored in points or percent), ``count`` (whole numbers),
    ``flag`` (yes/no), ``discipline`` (level 0-5) or ``percent`` (``kpi``).

    ``discipline`` (the disciplinary level) is an input of every rule set, and so is
    ``discipline_related_to_duty``, what the discipline was for: a viên chức's NĐ 90/2020
    month of 2026 (any discipline counts for the month, Điều 2 k5 a as amended by NĐ
    48/2023) is read by the year under NĐ 233/2026 (the set in force when the year is
    classified, Điều 19, Điều 15 k1 a), which counts only a violation related to the
    duties (Điều 12 k4 c, Điều 14 k3 a). A cap that tests a derived flag makes its inputs
    amendable, never the flag itself:
    ``duty_discipline`` comes from ``discipline`` and ``discipline_related_to_duty``,
    ``any_discipline`` from ``discipline`` and ``party_discipline``,
    ``duty_any_discipline`` from the three.

    >>> import evalkit.rules
    >>> fields = amendable_fields(evalkit.rules.get("vn.nd335-2025"))
    >>> fields["chat_luong"], fields["discipline"], fields["discipline_related_to_duty"]
    ('number', 'discipline', 'flag')
    >>> "total" in fields, "duty_discipline" in fields
    (False, False)
    """
    out: dict[str, str] = {}
    for c in rules.criteria():
        out[c.id] = "count" if c.unit == "count" else "number"
    flags = {"discipline", "discipline_related_to_duty"}
    for flag in {c.flag for c in rules.caps} | {n.flag for n in rules.notices}:
        flags.update(_FLAG_SOURCES.get(flag, (flag,)))
    for flag in sorted(flags):
        out[flag] = ("discipline" if flag == "discipline" else
                     "flag" if flag in _FLAG_FIELDS else "count")
    if any(b.kind == "percent_average" and b.params.get("kpi") for b in rules.blocks):
        out["kpi"] = "percent"
    if rules.carries_months:  # a short quarter's months, carried on (CV 21169/CHQ-TCCB)
        out["carried_months"] = "count"
    # the month's leave (thai sản, ốm, vắng; blank: none), which every door reads: a month
    # on leave has no score and is left out of the year (NĐ 335/2025 Điều 21)
    out["leave"] = "leave"
    return out


def _year_rules(db: sqlite3.Connection, period: str, staff_id: str, rules: RuleSet | None,
                recorded: RuleSet | None, at: str | None = None,
                jurisdiction: str | None = None) -> RuleSet | None:
    """The set the year of a person's month ``period`` is classified under: the one
    ``recorded`` for the year (:data:`_YEAR_SETS`), else the one
    :func:`evalkit.rules.for_year_end` gives for the person's latest month (or quarter) of
    the year in the archive — finalized by ``at`` where given: as :meth:`Archive.amend` said
    it then — its set (``rules``: an agency's file, found by its id) and its category: the
    year follows the person's last period (:func:`evalkit.units.rollup_frame`), as
    :meth:`Archive.annual` classifies it, in ``jurisdiction`` (as ``annual(jurisdiction=)``).
    None where that set is not found (an agency's file not given)."""
    from evalkit.rules import for_year_end

    if recorded is not None:
        return recorded
    year = Period.parse(period).year
    rows = db.execute("SELECT r.period, r.rule_set, r.category FROM months m CROSS JOIN results r "
                      "ON r.period = m.period AND r.staff_id = ? WHERE m.period LIKE ? AND "
                      "(? IS NULL OR m.finalized_at <= ?)", (staff_id, f"{year}-%", at, at)
                      ).fetchall()  # (the year's months first: each row by its key)  # fmt: skip
    last, rid, category = max(rows, key=lambda r: (Period.parse(r[0]).start, r[0]),
                              default=(period, None, None))
    try:  # the set as that month kept it, else the one at hand
        rs = _kept_of(db, str(rid), period=last) or _rule_set(str(rid), rules)
    except EvalkitError:
        return None
    return for_year_end(rs, category if isinstance(category, str) else None, year, jurisdiction)


def _year_fields(rs: RuleSet, year: RuleSet) -> dict[str, str]:
    """The inputs of a month that its own set ``rs`` does not read but the set its year is
    classified under (``year``, :func:`_year_rules`) does: a party discipline
    (``party_discipline``) of a viên chức month of 2026 before July under a set that reads
    none still counts for the year, classified under NĐ 233/2026 (Điều 19, Điều 15 k1 a),
    whose Điều 14 k3 a and Điều 12 k4 c take a party or administrative discipline "trong
    năm đánh giá". The month's own results stay what its set says."""
    if year.id == rs.id:
        return {}
    theirs = amendable_fields(year)
    return {f: theirs[f] for f in ("party_discipline",) if f in theirs}


def _score_fields(allowed: Mapping[str, str], rules: RuleSet) -> list[str]:
    """The amendable fields that are a month's scores (a criterion, the KPI): what a month
    on leave leaves blank (:func:`evalkit.scoring.leave_with_scores`)."""
    criteria = {c.id for c in rules.criteria()}
    return [f for f in allowed if f in criteria or f == "kpi"]


def _amend_value(rules: RuleSet, field: str, kind: str, value: Any, position: str | None,
                 positions: Mapping[str, Position] | None = None, *,
                 clear: bool = False) -> Any:  # fmt: skip
    """Parse and check one amended value the way the workbook validator reads a cell: a
    number with :func:`evalkit.io.workbook.number_cells`, the workbook's own reading (a
    fraction in a percent criterion or the KPI is refused as in a cell).

    A blank reads as the workbook reads a blank cell of the column: a yes/no mark its
    default (``discipline_related_to_duty`` yes, the others no), a discipline level 0, a
    count of events 0, a leave none (None). A blank score needs a value, but where
    ``clear`` (the same amendment puts the month on leave: a month on leave has no
    score) it clears the score (None)."""
    from evalkit.io.workbook import _LEAVES, _blank, _bools, _named, number_cells
    from evalkit.messages import problem as _problem

    def problem(message: str) -> InputError:
        return InputError([InputProblem(message, column=field, value=_plain(value))])

    cell = pd.Series([value], dtype=object)
    if kind in ("flag", "discipline", "count", "leave") and _blank(cell)[0]:
        if kind == "flag":  # the workbook's reader, with the column's blank
            return bool(_bools(cell, field in _TRUE_WHEN_BLANK)[0][0])
        return None if kind == "leave" else 0
    if kind == "leave":
        named, wrong = _named(cell, _LEAVES)
        if wrong[0] or named[0] is None:
            raise InputError([_problem(msg("foreign.leave"), column=field,
                                       value=_plain(value))])  # fmt: skip
        return str(named[0])
    if value is None or (isinstance(value, str) and not value.strip()):
        if clear:
            return None
        raise problem(f"{field} needs a value")
    if kind == "flag":
        true, bad = _bools(cell)
        if bad[0] or isinstance(value, float):
            raise InputError([_problem(msg("foreign.yes_no_value"), column=field,
                                       value=_plain(value))])  # fmt: skip
        return bool(true[0])
    if kind == "discipline":  # a level 0-5 or its name, else the workbook's sentence
        num, bad = _discipline_levels(cell)
        x = float(num[0])
        if bad[0] or not (0 <= x <= 5 and x == math.floor(x)):  # NaN fails too
            raise InputError([_problem(msg("foreign.discipline"), column=field,
                                       value=_plain(value))])  # fmt: skip
        return int(x)
    try:
        percent = kind == "percent" or rules.criterion(field).unit == "percent"
    except (EvalkitError, KeyError):
        percent = False
    num, found, bad = number_cells(cell, percent=percent)
    if found:
        raise InputError([_problem(msg("archive.amend.cell", field=field, what=what),
                                   column=field, value=_plain(value))
                          for _mask, what in found])  # fmt: skip
    if bad[0] or np.isnan(num[0]):
        raise problem(f"{field} must be a finite number")
    x = float(num[0])
    if x < 0:
        raise problem(f"{field} is negative")
    if kind == "count" and x != math.floor(x):
        raise problem(f"{field} is a count: a whole number")
    maximum = 100.0 if kind == "percent" else None
    if kind in ("number", "count"):
        try:
            maximum = rules.maximum(field, position)
        except EvalkitError:
            maximum = None
        own = positions.get(position) if positions and position else None
        if own is not None and field in own.maxima:  # the position's own maximum
            maximum = float(own.maxima[field])
    if maximum is not None and x > maximum + 1e-9:
        shown = int(x) if x.is_integer() else x
        raise problem(f"score {shown:g} for {field!r} exceeds its maximum {maximum:g} "
                      f"({rules.id})")  # fmt: skip
    return int(x) if kind == "count" else x


def _leave_typed(changes: Mapping[str, Any]) -> bool:
    """Whether an amendment types a leave (a cell the workbook would not read as blank)."""
    if "leave" not in changes:
        return False
    from evalkit.io.workbook import _blank

    return not bool(_blank(pd.Series([changes["leave"]], dtype=object))[0])


def _stored_reading(rules: RuleSet, field: str, kind: str, value: Any) -> Any:
    """A stored value of ``field`` as an amended value of it reads (:func:`_amend_value`):
    a blank leave is none, a leave's name its kind; a stored value an amendment could
    not take is kept as it is."""
    if kind not in ("flag", "discipline", "count", "leave"):
        return value
    try:
        return _amend_value(rules, field, kind, value, None)
    except InputError:
        return value


def _leave_and_scores(row: pd.Series, new: Mapping[str, Any], scores: Sequence[str],
                      allowed: Mapping[str, str], rules: RuleSet, per: str,
                      typed: Any = None) -> list[InputProblem]:  # fmt: skip
    """The amended row's leave against its scores: a month on leave has no score, and is
    left out of the year (NĐ 335/2025 Điều 21; maternity NĐ 90/2020 Điều 2 k3, NĐ 233/2026
    Điều 14 k2: the refusal cites the month's own set), so every door refuses a row with both — as the amendment does, saying at
    the ``leave`` what to type in the same amendment: the scores cleared (``--set
    so_luong=``) with a leave, ``--set leave=`` with the scores of a month worked. A leave
    cleared from a month with no score needs the month's scores in the same amendment."""
    from evalkit.messages import problem as _problem
    from evalkit.reasons import make_reason

    stored = _stored_reading(rules, "leave", "leave", _plain(row.get("leave")))
    leave = new.get("leave", stored)
    value = _plain(typed if "leave" in new else row.get("leave"))  # as typed, as stored

    def blank(v: Any) -> bool:
        v = _plain(v)
        return v is None or (isinstance(v, str) and not v.strip())

    final = {f: new[f] if f in new else row.get(f) for f in scores}
    typed = [f for f in scores if not blank(final[f])]
    if leave is not None and typed:
        kind = Words(LEAVE_VI.get(str(leave), str(leave)), str(leave))
        # the month's own set says why (its rule on leave, as the year's sentence cites it:
        # NĐ 335/2025 Điều 21, NĐ 233/2026 Điều 14 k2, NĐ 90/2020 Điều 2 k3 …)
        source = make_reason("rollup.leave", rules, {"category": row.get("category"),
                                                     "period": per}).source
        cited = f" ({source})" if source else ""
        if "leave" in new:  # put on leave: the scores cleared with it
            said = msg("archive.amend.leave_clear_scores", leave=kind, period=per, cited=cited,
                       fields=", ".join(typed), sets=" ".join(f"--set {f}=" for f in typed))
        else:  # a score typed into a month on leave: the leave cleared with it
            said = msg("archive.amend.leave_month_scored", leave=kind, period=per, cited=cited,
                       fields=", ".join(f for f in typed if f in new))
        return [_problem(said, column="leave", value=value)]
    if leave is None and stored is not None:  # a month on leave made a month worked
        needed = [f for f in rules.required_inputs(False) if f in allowed]
        missing = [f for f in needed if blank(final[f]) if f in final]
        if missing:
            return [_problem(msg("archive.amend.leave_cleared_no_scores", period=per,
                                 fields=", ".join(missing),
                                 sets=" ".join(f"--set {f}=…" for f in missing)),
                             column="leave", value=value)]  # fmt: skip
    return []


# =========================================================================== the archive


class Archive:
    """An SQLite archive of finalized months at ``path`` (created when missing).

    ``readonly=True`` opens an existing file without writing to it (no migration): reads
    and :meth:`verify` work, writes raise :class:`ArchiveError`. Use it as a context
    manager, or call :meth:`close`.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        timeout_ms: int = BUSY_TIMEOUT_MS,
        readonly: bool = False,
    ):
        self.path = Path(path) if path is not None else default_archive_path()
        self.readonly = readonly
        self._db: sqlite3.Connection | None = None
        self._created = False  # made by this call: removed again if it fails empty
        try:
            if any(len(part.encode("utf-8", "surrogatepass")) > _NAME_MAX
                   for part in self.path.parts):  # fmt: skip
                raise ArchiveError(f"cannot open the archive: the path of the archive is too "
                                   f"long (a name over {_NAME_MAX} bytes): {self.path}")
            if self.path.is_dir():
                raise ArchiveError(f"{self.path} is a folder, not an archive file")
            if readonly:
                if not self.path.is_file():
                    raise ArchiveError(f"archive {self.path} does not exist")
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                db = sqlite3.connect(uri, uri=True, timeout=timeout_ms / 1000,
                                     isolation_level=None, check_same_thread=False)  # fmt: skip
            else:
                # ``sub/../a.sqlite``: no folder ``sub`` is made (evalkit._files.make_folder)
                self.path = make_folder(self.path.parent) / self.path.name
                self._created = not self.path.exists()
                db = sqlite3.connect(self.path, timeout=timeout_ms / 1000,
                                     isolation_level=None, check_same_thread=False)  # fmt: skip
            self._db = db
            db.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
            if not readonly:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            # REPLACE's implicit delete fires the delete triggers only with this on; the
            # BEFORE INSERT triggers refuse a REPLACE on any connection anyway
            db.execute("PRAGMA recursive_triggers = ON")
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            if not readonly:
                self._migrate()
        except ArchiveError:
            self.close()
            raise
        except (sqlite3.Error, OSError) as exc:
            self.close()
            raise ArchiveError(f"cannot open the archive: {_explain(exc, self.path)}") from None

    # ------------------------------------------------------------------ plumbing
    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        empty = False
        if t is not None and self._created and self._db is not None:
            with contextlib.suppress(sqlite3.Error):  # a refused first month leaves no file
                empty = self._db.execute("SELECT COUNT(*) FROM months").fetchone()[0] == 0
        self.close()
        if empty:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{self.path}{suffix}").unlink()

    def close(self) -> None:
        """Close the connection."""
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def db(self) -> sqlite3.Connection:
        """The open SQLite connection (raises once closed)."""
        if self._db is None:
            raise ArchiveError(f"the archive {self.path} is closed")
        return self._db

    def _write(self) -> _Tx:
        if self.readonly:
            raise ArchiveError(f"the archive {self.path} was opened read-only")
        return _Tx(self.db, self.path, immediate=True)

    def _read(self) -> _Tx:
        return _Tx(self.db, self.path, immediate=False)

    def schema_version(self) -> int:
        """The schema version of the file."""
        with self._read() as db:
            return _version(db)

    def _migrate(self) -> None:
        with self._write() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            current = _version(db)
            if current > SCHEMA_VERSION:
                raise ArchiveError(
                    f"archive {self.path} has schema version {current}, newer than this "
                    f"evalkit supports ({SCHEMA_VERSION}); upgrade evalkit"
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                step = _MIGRATIONS[version - 1]
                db.execute("INSERT INTO schema_version VALUES (?, ?)", (version, _now()))
                for statement in _statements(step.before):
                    db.execute(statement)
                if step.step is not None:
                    step.step(db, str(self.path))
                for statement in _statements(step.after):
                    db.execute(statement)
            if current == SCHEMA_VERSION and not _has_history(db):  # migrated keeping none
                _keep_seals(db, {k: v for per, in db.execute("SELECT period FROM months")
                                 for k, v in _v3_seals(db, per, older=True).items()})
            db.execute(_YEAR_INDEX)
            _seal_year_sets(db)
            for statement in (*_CONTENTS, *_HISTORY, *_YEAR_SETS):
                db.execute(statement)
            _keep_year_sets(db)

    def _current(self, db: sqlite3.Connection) -> None:
        """Refuse reading an older schema that a read-only open did not migrate."""
        version = _version(db)
        if version != SCHEMA_VERSION:
            raise ArchiveError(
                f"archive {self.path} has schema version {version}; open it once for writing "
                f"to migrate it to {SCHEMA_VERSION} (or run `evalkit archive verify`)"
            )

    # ------------------------------------------------------------------ finalize
    def finalize(
        self,
        results: pd.DataFrame,
        *,
        by: str,
        period: Period | str | None = None,
        units: pd.DataFrame | None = None,
        unit_inputs: pd.DataFrame | None = None,
        rules: RuleSet | str | os.PathLike[str] | None = None,
        progress: Callable[[int, int | None], None] | None = None,
        positions: Mapping[str, Position] | None = None,
        force: bool = False,
    ) -> FinalizedMonth:
        """Check and archive a month's results in one transaction; return its record.

        ``results`` has one row per person: ``staff_id``, ``period`` (or pass
        ``period``), ``rule_set`` (or ``results.attrs["rule_set"]`` / ``rules``),
        ``total``, ``grade`` and whatever else (kept as it is) — :func:`check_results`
        lists what is checked. ``units`` are the month's unit results (``unit_id``,
        ``grade`` ...). ``unit_inputs`` are the units as classified (``unit_id``,
        ``parent_id``, ``head_id``, task counts, scores): with them the month can be
        re-derived by :meth:`amend`, and the results must be what
        :func:`evalkit.units.classify_frame` gives for the staff rows and these units:
        each person's ``total`` and ``grade``, and every value of ``units`` (a unit row
        that differs, or a unit not among the inputs, is refused).
        Without them, rows marked ``classified_by_unit`` false (a month only scored:
        ``evalkit score --out``, ``--no-classify``) must be what :func:`evalkit.score_frame`
        gives for their own inputs, a leader's computed management component as the
        engine applied it (``mgmt_value``); a leader whose d no engine computed is refused.
        ``rules`` resolves a rule set id that is not registered: a RuleSet, or the path of
        the agency's rule file, as ``classify_frame(rules=...)`` takes it.
        ``positions`` (position id → :class:`~evalkit.model.Position`) gives the maxima a
        position overrides, as the month was scored with them (``evalkit finalize --org``).
        A rule set not in force in the month is refused
        (:class:`~evalkit.errors.RuleSetNotInForceError`) unless ``force=True``: archiving
        a month under another set's dates is an explicit choice, as scoring it is.

        Raises :class:`MonthAlreadyFinalizedError` if the month is archived,
        :class:`~evalkit.errors.InputError` listing every problem of the results, and
        :class:`ArchiveError` when the file cannot be written (nothing is written then).
        """
        rules = _given_rules(rules)
        if not isinstance(by, str) or not by.strip():
            raise InputError([problem(msg("archive.check.no_by"))])
        file = results.attrs.get("file")
        file = str(file) if file is not None else None
        per = _period_of(results, period, file)
        with self._read() as db:  # checked again in the write transaction
            _refuse_finalized(db, str(per))
        frame = _finalize_frame(results, rules)
        problems = _finalize_checks(frame, per, rules, file, positions, units, unit_inputs)
        if problems:
            raise InputError(problems)
        rule_ids = _rule_ids(frame, results, rules)
        from evalkit.scoring import require_in_force

        for r in rule_ids:
            require_in_force(_rule_set(r, rules), [per], force=force)
        _as_stored(frame, rule_ids, rules)
        _follows(frame, rule_ids, rules, file, positions, units, unit_inputs,
                 read_back=results.attrs.get("results_file") is not None
                 or bool(_tables.read_back(results)))  # fmt: skip
        frame["staff_id"] = _ids.number_ids(frame["staff_id"])  # 7.0 is '7' (evalkit._ids)
        if frame["staff_id"].dtype != object or not _types(
                frame["staff_id"].to_numpy(dtype=object)).isin((str,)).all():  # fmt: skip
            frame["staff_id"] = frame["staff_id"].astype(object).map(str)
        # the id every door compares is the id stored: 'S1 ' typed in July is January's
        # 'S1' (evalkit._ids), so the year reads one person
        frame["staff_id"] = _ids.normal_id_column(frame["staff_id"]).astype(object)
        values, texts = _encode(frame)
        total = len(frame)
        none = [None] * total
        staff_ids: list[str] = list(values["staff_id"])
        # SQLite's column affinity stores numbers as REAL and ids as TEXT; the seal is
        # computed from the rows as read back, so it matches what every check reads
        rows = list(zip(
            [str(per)] * total, *(values.get(c, none) for c in _KEY_COLUMNS), texts, strict=True,
        ))  # fmt: skip
        order = np.argsort(np.asarray(staff_ids, dtype=object), kind="stable")
        checksum = hashlib.sha256(
            "\n".join(np.asarray(texts, dtype=object)[order].tolist()).encode()
        ).hexdigest()
        rule_set = ",".join(rule_ids) or None
        from evalkit.rules import content_fingerprint, content_json

        # the sets of the staff rows and of the unit results (a Sở under NĐ 335 that nobody
        # in the month is in): each kept whole, so a re-derivation grades each unit under
        # the content it was finalized with (issue 13)
        given = results.attrs.get("rule_sets") or {}
        unit_ids = sorted({str(u) for u in (units["rule_set"] if units is not None and
                                            "rule_set" in units.columns else ())
                           if pd.notna(u) and u != ""} - set(rule_ids))  # fmt: skip
        contents = [(str(per), r, content_fingerprint(rs), content_json(rs))
                    for r in [*rule_ids, *unit_ids]
                    for rs in (given[r] if r in unit_ids and r in given
                               else _rule_set(r, rules),)]  # fmt: skip
        unit_rows = _unit_rows(per, units, with_grade=True)
        input_rows = _unit_rows(per, unit_inputs, with_grade=False)
        at = _now()
        with self._write() as db:
            _refuse_finalized(db, str(per))
            db.execute(f"INSERT INTO months ({_MONTH_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (str(per), rule_set, at, by, total, checksum,
                        int(unit_inputs is not None)))  # fmt: skip
            for start in range(0, total, _PROGRESS_EVERY):
                db.executemany(
                    f"INSERT INTO results (period, {', '.join(_KEY_COLUMNS)}, data) "
                    f"VALUES ({', '.join('?' * (len(_KEY_COLUMNS) + 2))})",
                    rows[start : start + _PROGRESS_EVERY],
                )
                if progress is not None:
                    progress(min(start + _PROGRESS_EVERY, total), total)
            db.executemany("INSERT INTO unit_results VALUES (?, ?, ?, ?)", unit_rows)
            db.executemany("INSERT INTO unit_inputs VALUES (?, ?, ?)",
                           [(p, u, d) for p, u, _g, d in input_rows])  # fmt: skip
            db.executemany("INSERT INTO rule_set_contents VALUES (?, ?, ?, ?)", contents)
            chain = _seal(db, str(per))
        return FinalizedMonth(per, rule_set, at, by, total, checksum, chain, chain,
                              unit_inputs is not None)  # fmt: skip

    # ------------------------------------------------------------------ amend
    def amend(
        self,
        period: Period | str,
        staff_id: str,
        changes: Mapping[str, Any],
        *,
        by: str,
        why: str,
        rules: RuleSet | str | os.PathLike[str] | None = None,
        positions: Mapping[str, Position] | None = None,
        jurisdiction: str | None = None,
    ) -> Amendment:
        """Correct inputs of one person in a finalized month and re-derive the month.

        ``changes`` maps input fields the month's rule set defines (criterion ids, flags
        such as ``discipline``, ``degradation``, ``corruption_in_unit``, ``kpi`` and the
        month's ``leave`` — :func:`amendable_fields`) to new values, read and checked as
        the workbook validator reads a cell (``"8,5"``, ``"x"``, ``"khiển trách"``, a
        blank flag as its default). A month on leave has no score: a leave is set with
        the month's scores cleared (``""``), or cleared (``""``) with its scores given,
        in one amendment; anything else is refused at the ``leave``. Derived fields
        (``total``, ``grade`` ...) are never typed: the month is re-derived with
        :func:`evalkit.units.classify_frame` from its stored inputs, and every row whose
        results change is recorded with the amendment, in one transaction.
        ``positions`` gives the maxima a position overrides, as the month was scored
        with them (``evalkit amend --org``). A 0 under another set's count of events
        (:func:`evalkit.scoring.foreign_said`: a viên chức's ``loi_chat_luong`` under NĐ
        233/2026) says what its blank says: it changes nothing, and is answered so.
        ``jurisdiction`` (``'vn.hanoi'``) is where the year's end looks for its set where
        none is recorded for the year (``year_rule_set``), as :meth:`annual` with it.

        Raises :class:`~evalkit.errors.InputError` for a field or value that is not
        allowed, :class:`ArchiveError` for a month or person not in the archive or a
        month that cannot be re-derived (finalized without its unit inputs), and
        :class:`ArchiveIntegrityError` when the month no longer matches its seal.
        """
        from evalkit.scoring import foreign_said

        rules = _given_rules(rules)
        per = str(Period.parse(period))
        for name, value in (("by", by), ("why", why)):
            if not isinstance(value, str) or not value.strip():
                raise InputError([InputProblem(f"an amendment needs who (by) and why ({name})")])
        if not changes:
            raise InputError([InputProblem("an amendment needs at least one changed value")])
        with self._write() as db:
            self._current(db)
            month = db.execute("SELECT inputs FROM months WHERE period = ?", (per,)).fetchone()
            if month is None:
                raise ArchiveError(f"{per} is not finalized in {self.path}")
            _raise_if(_check_month(db, per), str(self.path))
            frame = _month_frame(db, per)
            # the id compared as every door compares it (evalkit._ids: 'S1 ', 'S1\u200b' and
            # an NFD spelling are 'S1'; 7.0 is '7'), against the stored ids read so too
            typed_sid = str(staff_id)
            key = _ids.normal_id(staff_id)
            sid = typed_sid if key is None else str(key)
            frame["staff_id"] = frame["staff_id"].astype(str)
            stored = frame["staff_id"].to_numpy()
            hit = np.flatnonzero(stored == typed_sid)
            normal = _normal_ids(stored) if not hit.size and not frame.empty else None
            if normal is not None:
                hit = np.flatnonzero(normal == sid)
            if frame.empty or not hit.size:
                # never matched silently: an id of the month that differs only in upper and
                # lower case (a case twin, evalkit._ids.case_twins) is named for the user
                twins = _case_twins_of(sid, normal) if normal is not None else []
                if twins:
                    raise ArchiveError(f"no finalized result for staff {typed_sid!r} in {per}; "
                                       f"did you mean {', '.join(map(repr, twins))}? (the "
                                       f"archive tells upper from lower case in an id)")
                raise ArchiveError(f"no finalized result for staff {typed_sid!r} in {per}")
            at_row = int(hit[0])
            sid = str(stored[at_row])
            row = frame.iloc[at_row]
            rid = row.get("rule_set")
            if not isinstance(rid, str):
                raise ArchiveError(f"cannot re-derive {per}: staff {sid!r} has no rule set")
            # the month's own sets, as the archive kept them (else the ones at hand)
            find, _ = _sets_of(db, [per], rules, str(self.path),
                               _kept_sets(db, [per], str(self.path)))  # fmt: skip
            try:
                rs = find(rid) or _rule_set(rid, rules)
            except EvalkitError as exc:
                raise ArchiveError(f"cannot re-derive {per}: {exc}") from None
            # the year's set: the one recorded when the year was classified, else as today
            recorded = _recorded_set(db, Period.parse(per).year, rules, str(self.path))
            year_rs = _year_rules(db, per, sid, rules, recorded, jurisdiction=jurisdiction)
            allowed = {**amendable_fields(rs), **_year_fields(rs, year_rs or rs)}
            position = row.get("position_id")
            position = position if isinstance(position, str) else None
            new: dict[str, Any] = {}
            nothing: dict[str, Any] = {}  # "0 events" under another set's count, as a blank
            problems: list[InputProblem] = []
            scores = _score_fields(allowed, rs)
            # a month put on leave by this amendment: its scores may be cleared with it (a
            # kind of leave not known is said alone, not with each score cleared)
            clearing = _leave_typed(changes)
            for key, value in changes.items():
                field = str(key)
                cell = pd.Series([value], dtype=object)
                if (field not in allowed and not foreign_said(cell, field)[0]
                        and cell.notna()[0] and str(value).strip()):  # fmt: skip
                    nothing[field] = 0  # what the cell says: no event
                    continue
                if field not in allowed:
                    close = difflib.get_close_matches(field, list(allowed), n=3)
                    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
                    why_not = (" — it is derived: change the inputs it comes from"
                               if field in _DERIVED or field.startswith("points_") else "")
                    problems.append(InputProblem(
                        f"{field!r} cannot be amended{why_not}{hint} (the inputs of "
                        f"{rs.id}: {', '.join(allowed)})", column=field, value=_plain(value)))
                    continue
                try:
                    new[field] = _amend_value(rs, field, allowed[field], value, position,
                                              positions, clear=clearing and field in scores)
                except InputError as exc:
                    problems += exc.problems
            if not problems:  # a month on leave has no score: never both (every door)
                problems = _leave_and_scores(row, new, scores, allowed, rs, per,
                                             changes.get("leave"))  # fmt: skip
            if problems:  # each said where it is: the archive and the person
                raise InputError([attrs.evolve(p, file=str(self.path), staff_id=sid)
                                  for p in problems])  # fmt: skip
            if not month[0]:
                raise ArchiveError(
                    f"cannot re-derive {per}: it was finalized without its unit inputs (a "
                    "results file without them, or --no-classify), so an amended input "
                    "cannot be carried to the grades; nothing was recorded"
                )
            staff_in, units_in, derive_rs = _derivation(
                _input_columns(frame), frame["rule_set"], lambda r: find(r) or _rule_set(r, rules),
                _inputs_frame(db, per), _unit_sets(db, per))  # fmt: skip
            changed = staff_in.copy()
            for field, value in new.items():
                if field not in changed.columns:  # the others keep the blank's meaning
                    changed[field] = (np.nan if allowed[field] != "flag" else
                                      field in _TRUE_WHEN_BLANK)
                changed[field] = changed[field].astype(object)
                changed.loc[changed.index[at_row], field] = value
            previous = {f: _plain(row.get(f)) for f in new}
            fields = ", ".join([*new, *nothing])
            # a stored leave read as the new one is (a blank cell, '' or None, is none):
            # clearing a blank leave changes nothing
            said = {f: _stored_reading(rs, f, allowed[f], previous[f]) if f == "leave"
                    else previous[f] for f in new}  # fmt: skip
            if all(_same(pd.Series([said[f]], dtype=object),
                         pd.Series([new[f]], dtype=object))[0] for f in new):  # fmt: skip
                first = next(iter({**new, **nothing}.items()))
                raise InputError([problem(msg("archive.amend.same", fields=fields, staff=sid),
                                          file=str(self.path), column=first[0],
                                          value=_plain(first[1]), staff_id=sid)])
            before = _derive(staff_in, units_in, derive_rs, per, positions=positions)
            # the engine's refusals said as amend says its own: in the archive, at the
            # person (no row: a frame position or a workbook's row is no place in the file)
            after = _derive(changed, units_in, derive_rs, per, file=str(self.path),
                            labels=np.full(len(frame), None, dtype=object),
                            positions=positions)  # fmt: skip
            row_changes = _row_changes(frame, before, after, at_row, previous, new)
            # a criterion score that counts for no result (a management criterion of
            # someone who manages nobody) is refused; a fact (discipline, a flag) is kept
            # on record even when it leaves every result as it was
            scored = {c.id for c in rs.criteria()}
            if (len(row_changes) == 1 and set(row_changes[0].new) <= set(new)
                    and set(new) <= scored):  # fmt: skip
                raise InputError([problem(msg("archive.amend.no_effect", fields=fields,
                                              staff=sid, period=per),
                                          file=str(self.path), column=next(iter(new)),
                                          value=_plain(next(iter(new.values()))),
                                          staff_id=sid)])
            at = _now()
            aid = _next_id(db)
            record = (aid, per, sid, at, by, why, json.dumps(previous, ensure_ascii=False),
                      json.dumps(new, ensure_ascii=False))  # fmt: skip
            rows = [(aid, c.staff_id, json.dumps(dict(c.previous), ensure_ascii=False),
                     json.dumps(dict(c.new), ensure_ascii=False)) for c in row_changes]
            link = _amendment_link(bytes.fromhex(_head(db, per)), record, rows)
            db.execute("INSERT INTO amendments (id, period, staff_id, amended_at, amended_by, "
                       "reason, previous, new, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (*record, link))  # fmt: skip
            db.executemany("INSERT INTO amendment_rows VALUES (?, ?, ?, ?)", rows)
        return Amendment(aid, Period.parse(per), sid, at, by, why, previous, new,
                         tuple(row_changes), link, None if year_rs is None else year_rs.id,
                         recorded is not None)  # fmt: skip

    # ------------------------------------------------------------------ reading
    def months(self) -> list[FinalizedMonth]:
        """Every finalized month, in order (each month's record checked against its seal)."""
        with self._read() as db:
            self._current(db)
            pers = [r[0] for r in db.execute("SELECT period FROM months ORDER BY period")]
            problems = [p for per in pers for p in _check_record(db, per)]
            _raise_if(problems, str(self.path))
            return [_month_record(db, per) for per in pers]

    def is_finalized(self, period: Period | str) -> bool:
        """Whether ``period`` is in the archive."""
        with self._read() as db:
            row = db.execute("SELECT 1 FROM months WHERE period = ?",
                             (str(Period.parse(period)),)).fetchone()  # fmt: skip
        return row is not None

    def month(self, period: Period | str, *, original: bool = False) -> pd.DataFrame:
        """A finalized month's results with amendments applied (``original=True``: as
        finalized), after checking the month against its seal. Raises
        :class:`ArchiveError` for a month not in the archive and
        :class:`ArchiveIntegrityError` for a month that does not match its seal."""
        per = str(Period.parse(period))
        with self._read() as db:
            self._current(db)
            self._checked(db, [per])
            frame = _month_frame(db, per, amended=not original)
            if not original:
                frame = _with_amendments(db, per, frame)
            kept = _unlike_registry(_kept_sets(db, [per], str(self.path)))
        if "row" in frame.columns:
            frame = frame.set_index("row")
        frame.attrs["period"] = per
        if kept:  # the month's sets as kept, where the registry's differ: its sheets cite them
            frame.attrs["rule_sets"] = kept
        return frame

    def units(self, period: Period | str, *, original: bool = False,
              rules: RuleSet | str | os.PathLike[str] | None = None) -> pd.DataFrame:  # fmt: skip
        """A finalized month's unit results (checked against the month's seal). Where an
        amendment changed the month (a unit's result — a leader's discipline under QĐ
        366-QĐ/TW Điều 11 k1 — or its quota's counts: the candidates, the demoted), the
        units as the engine derives them from the amended month
        (``original=True``: as finalized; ``rules`` finds a rule file's set)."""
        rules = _given_rules(rules)
        per = str(Period.parse(period))
        with self._read() as db:
            self._current(db)
            self._checked(db, [per])
            if not original and _changes(db, [per]):  # an amendment may move the quota too
                kept = _kept_sets(db, [per], str(self.path))
                return _amended_units(db, per, _sets_of(db, [per], rules, str(self.path), kept)[0],
                                      str(self.path), set())  # fmt: skip
            docs = [json.loads(d) for (d,) in db.execute(
                "SELECT data FROM unit_results WHERE period = ? ORDER BY unit_id", (per,))]
        return pd.DataFrame.from_records(docs)

    def month_and_units(self, period: Period | str, *,
                        rules: RuleSet | str | os.PathLike[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
        """:meth:`month` and :meth:`units` of ``period`` (amendments applied) read together,
        the month checked against its seal once for both."""
        rules = _given_rules(rules)
        per = str(Period.parse(period))
        with self._read() as db:
            self._current(db)
            self._checked(db, [per])
            frame = _with_amendments(db, per, _month_frame(db, per, amended=True))
            kept = _kept_sets(db, [per], str(self.path))
            # the month's own sets, or refused (other content), amended or not: what is read
            # here is rendered and classified into the year under them (as annual)
            find = _sets_of(db, [per], rules, str(self.path), kept)[0]
            if _changes(db, [per]):  # the unit's grade, or its quota's counts
                units = _amended_units(db, per, find, str(self.path), set())
            else:
                units = pd.DataFrame.from_records([json.loads(d) for (d,) in db.execute(
                    "SELECT data FROM unit_results WHERE period = ? ORDER BY unit_id", (per,))])
        if "row" in frame.columns:
            frame = frame.set_index("row")
        frame.attrs["period"] = per
        if kept := _unlike_registry(kept):  # (as month)
            frame.attrs["rule_sets"] = kept
        return frame, units

    def inputs(self, period: Period | str) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        """A month's stored inputs ``(staff, units)`` as :func:`evalkit.units.classify_frame`
        takes them (amendments applied), or None when it was finalized without them."""
        per = str(Period.parse(period))
        with self._read() as db:
            self._current(db)
            self._checked(db, [per])
            if not db.execute("SELECT inputs FROM months WHERE period = ?", (per,)).fetchone()[0]:
                return None
            return _input_columns(_month_frame(db, per)), _inputs_frame(db, per)

    def history(self, period: Period | str, staff_id: str, *,
                jurisdiction: str | None = None) -> list[Amendment]:
        """Every amendment that changed one person's row in a month, oldest first (the
        month is checked against its seal first), each with the set its year was
        classified under when it was made (``year_rule_set``, as :meth:`amend` said it:
        the set recorded for the year then, else :func:`evalkit.rules.for_year_end` in
        ``jurisdiction``, as :meth:`amend` was given it; None where the month's set is an
        agency's file, not registered)."""
        per = str(Period.parse(period))
        with self._read() as db:
            self._current(db)
            self._checked(db, [per])
            ids = [r[0] for r in db.execute(
                "SELECT id FROM amendments WHERE period = ? AND (staff_id = ? OR id IN "
                "(SELECT amendment_id FROM amendment_rows WHERE staff_id = ?)) ORDER BY id",
                (per, staff_id, staff_id))]  # fmt: skip
            return [_with_year_set(db, _amendment(db, i), str(self.path), jurisdiction)
                    for i in ids]  # fmt: skip

    def year(self, year: int) -> pd.DataFrame:
        """Every finalized month of ``year`` (amendments applied), one row per person-month."""
        pers = [str(m.period) for m in self.months() if m.period.year == year]
        if not pers:
            return pd.DataFrame(columns=["staff_id", "period", "total", "grade"])
        with self._read() as db:
            self._checked(db, pers)
            frames = [_month_frame(db, p) for p in pers]
        return pd.concat(frames, ignore_index=True)

    def _checked(self, db: sqlite3.Connection, periods: Sequence[str]) -> None:
        for per in periods:
            if db.execute("SELECT 1 FROM months WHERE period = ?", (per,)).fetchone() is None:
                raise ArchiveError(f"{per} is not finalized in {self.path}")
            _raise_if(_check_month(db, per), str(self.path))

    def verify(self) -> VerifyReport:
        """Check the whole file: every month's record, rows, units, inputs and amendments
        against the month's seal, the amendment numbering, rows outside any month, the
        triggers and SQLite's own ``quick_check``. Never raises for a mismatch: the
        report lists each one (``report.ok``)."""
        problems: list[IntegrityProblem] = []
        checks: list[MonthCheck] = []
        notes: list[str] = []
        with self._read() as db:
            version = _version(db)
            quick = [r[0] for r in db.execute("PRAGMA quick_check")]
            if quick != ["ok"]:
                problems += [_integrity(None, "file", None, msg("archive.verify.sqlite", text=q))
                             for q in quick]  # fmt: skip
            if version < 3:  # no seal yet: the checksums
                notes.append(str(msg("foreign.archive.legacy", version=version)))
                for (per,) in db.execute("SELECT period FROM months ORDER BY period").fetchall():
                    found = _legacy_check(db, per)
                    problems += found
                    n = db.execute("SELECT COUNT(*) FROM results WHERE period = ?",
                                   (per,)).fetchone()[0]  # fmt: skip
                    checks.append(MonthCheck(per, n, 0, "", not found))
                return VerifyReport(str(self.path), version, tuple(checks), tuple(problems),
                                    tuple(notes))  # fmt: skip
            if version > SCHEMA_VERSION:
                raise ArchiveError(f"archive {self.path} has schema version {version}, newer "
                                   f"than this evalkit supports ({SCHEMA_VERSION})")  # fmt: skip
            present = {r[0] for r in db.execute("SELECT name FROM sqlite_master "
                                                "WHERE type = 'trigger'")}  # fmt: skip
            for name in (*_TRIGGERS, *(_HISTORY_TRIGGERS if version > 3 else ()),
                         *(_YEAR_TRIGGERS if _has_year_sets(db) else ()),
                         *(_CONTENT_TRIGGERS if version > 4 else ())):
                if name not in present:
                    table = next(t for t in _TABLE_WORDS if name.startswith(t + "_"))
                    problems.append(_integrity(None, "file", name, msg(
                        "archive.verify.trigger", name=Words(_TABLE_WORDS[table], name))))
            pers = [r[0] for r in db.execute("SELECT period FROM months ORDER BY period")]
            for per in pers:  # a schema 3 file (read-only: not migrated) on its own seals
                found = _check_month(db, per, numbering=False,
                                     given=_v3_person(db, per) if version == 3 else None)
                kept, wrong = (_superseded(db, per, matches=not found) if version > 3
                               else ([], []))  # fmt: skip
                problems += found + wrong
                rows = db.execute("SELECT rows FROM months WHERE period = ?", (per,)).fetchone()
                n_am = db.execute("SELECT COUNT(*) FROM amendments WHERE period = ?",
                                  (per,)).fetchone()[0]  # fmt: skip
                checks.append(MonthCheck(per, int(rows[0] or 0), int(n_am), _head(db, per),
                                         not found and not wrong, tuple(kept)))  # fmt: skip
            problems += _check_file(db) + _check_year_sets(db)
        return VerifyReport(str(self.path), version, tuple(checks), tuple(problems),
                            tuple(notes))  # fmt: skip

    def find_seal(self, seal: str) -> SealRecord | None:
        """The month a seal is of, checked against the month as stored: a current seal (a
        month's, printed by ``evalkit finalize``, or an amendment's link) or one that a
        migration replaced (``replaced_at``: when); None when no month has it. ``seal`` may
        be cut to its first 16 hexadecimal characters or more (``evalkit archive verify``
        prints 16 and "…")."""
        text = seal.strip().rstrip("…").lower()
        if len(text) < 16 or text.strip("0123456789abcdef"):
            raise ValueError(f"a seal is 64 hexadecimal characters, at least its first 16 "
                             f"given: {seal!r}")  # fmt: skip
        like = (text + "%",) * 2
        with self._read() as db:
            version = _version(db)
            hit = db.execute("SELECT period, 0, chain FROM months WHERE chain LIKE ? UNION ALL "
                             "SELECT period, id, chain FROM amendments WHERE chain LIKE ?",
                             like).fetchone()  # fmt: skip
            if hit is not None:
                found = _check_month(db, hit[0], numbering=False,
                                     given=_v3_person(db, hit[0]) if version == 3 else None)
                return SealRecord(str(hit[2]), hit[0], int(hit[1]), version, None, None,
                                  not found)  # fmt: skip
            old = db.execute("SELECT period, amendment FROM seal_history WHERE seal LIKE ?",
                             like[:1]).fetchone() if _has_history(db) else None  # fmt: skip
            if old is None:
                return None
            kept, _ = _superseded(db, old[0], matches=not _check_month(db, old[0],
                                                                       numbering=False))
            return next(r for r in kept if r.amendment == old[1])

    # ------------------------------------------------------------------ annual
    def annual(
        self,
        year: int,
        *,
        rules: RuleSet | str | os.PathLike[str] | None = None,
        unit_year: pd.DataFrame | None = None,
        conclusions: pd.DataFrame | None = None,
        force: bool = False,
        tree: pd.DataFrame | None = None,
        jurisdiction: str | None = None,
    ) -> pd.DataFrame:
        """Classify ``year`` from its finalized months (amendments applied).

        A named ``rules`` not in force at the year's end is refused
        (:class:`~evalkit.errors.RuleSetNotInForceError`) unless ``force=True``.
        Each month keeps the set it was finalized under (its id is stored: no jurisdiction
        is); ``jurisdiction`` (``'vn.hanoi'``) is where the year's end looks for the set
        that follows one no longer in force then, and the set of a unit that names none
        (:func:`evalkit.units.classify_year`).

        Each person is rolled up (:func:`evalkit.units.rollup_frame`) and classified for
        the year (:func:`evalkit.units.classify_year`: the head capped at the unit's
        annual grade, then the quota on the year) under the rule set of their latest
        month in the year — each month's own stored rule set, never an assumed one —
        or under ``rules`` when given. Months kept under two contents of one id (a preset
        amended within the year) are each read under their own; the year is classified
        under the latest month's, in force at the year's end. ``unit_year`` gives the units' annual grades
        (``unit_id``, ``grade``); by default the units are graded for the year from their
        archived months under the same rule set, as :func:`evalkit.units.classify_year`
        grades them (the mean score, then the unit conditions on the year). Given, it is
        read beside the archived months' unit results: a unit it grades keeps that grade,
        another is graded from its months, and where it says no ``parent_id`` (or no
        ``public_service_unit``) the tree is the months' (the unit's latest month of the
        year): the raised quota of NĐ 233/2026 Điều 12 k6 b follows the public service unit
        above the person on the year too. ``tree`` (``unit_id``, ``parent_id``,
        ``public_service_unit``: the organisation file's units) gives the tree of the units
        no archived month has a unit row for (months finalized without their units,
        ``evalkit finalize --no-classify``), where ``unit_year`` says none: a parent above a
        unit of the year is a unit of the year. Unit, name, head and duty group come
        from the person's latest month, and so does the staff category, which the year's
        rules read as :func:`evalkit.units.classify_year` reads a frame's (a contract
        worker is outside the rules of the categories a decree governs; none archived:
        as a frame without the column). ``conclusions`` holds the competent level's annual
        conclusions (``staff_id``, ``competent_grade``, ``competent_reason``, optionally
        ``competent_order``), applied as :func:`evalkit.units.classify_year` applies them; a
        conclusion for someone with no month of the year is refused.

        A named ``rules`` is recorded for the year (see :meth:`year_rules`): without
        ``rules`` the year is classified again under the set last recorded for it — after
        an amendment too — never under the one the registry would give today; with none
        recorded, as above. On an archive opened read-only, a named set that is not the
        one recorded for the year is refused (ArchiveError naming the year and the set):
        it could not be recorded, and the year would then be classified otherwise.

        Columns: ``staff_id``, ``full_name``, ``unit_id``, ``annual_total``,
        ``annual_grade``, ``reasons``, then ``rule_set`` and the engine's other columns
        (``months``, ``score_grade``, ``proposed_grade``, ``unit_grade``, quota columns …).
        """
        rules = _given_rules(rules)
        named = rules
        with self._read() as db:
            self._current(db)
            pers = [r[0] for r in db.execute("SELECT period FROM months ORDER BY period")
                    if Period.parse(r[0]).year == year]  # fmt: skip
            if not pers:
                raise ArchiveError(f"no finalized month of {year} in {self.path}")
            # each month's sets as the archive kept them; a preset named by its id is the
            # one kept under that id (the year as its months were finalized)
            kept = _kept_sets(db, pers, str(self.path))
            if named is not None:
                named = rules = _sets_of(db, pers, named, str(self.path), kept)[1]
            if named is not None and self.readonly:
                _refuse_unrecorded(db, year, named, str(self.path))
            recorded = rules is None and _recorded_year(db, year, str(self.path)) is not None
            if recorded:  # the set the year was classified under, as it was named then
                rules = _recorded_set(db, year, None, str(self.path))
                force = True
                if rules is not None and rules.id not in kept:  # (as the archive kept it)
                    kept = {**kept, rules.id: rules}
            find, rules = _sets_of(db, pers, rules, str(self.path), kept, recorded)
            notes = _other_content(db, pers, year, rules) if recorded and rules is not None else []
            checked: set[str] = set()  # months whose documents this read has checked
            monthly, person = _year_rows(db, pers, str(self.path), checked,
                                         rules.id if rules is not None else None, find)
            unit_monthly = _unit_scores(db, pers, lambda per: _amended_units(
                db, per, find, str(self.path), checked))
            if tree is not None and unit_year is not None:
                unit_year = year_tree(unit_year, tree, unit_monthly)
            unknown = ([] if unit_year is None else _unknown_year_units(
                db, pers, [monthly, person], unit_year, year))  # fmt: skip
            try:
                out = _classify_year(monthly, person, unit_monthly, unit_year, rules, year,
                                     conclusions, ties=lambda ids: _tie_columns(
                                         db, pers, ids, str(self.path), checked, find),
                                     force=force, kept_sets=kept,
                                     jurisdiction=jurisdiction)  # fmt: skip
            except InputError as exc:  # every problem at once: the unknown units first; a
                # head's unit result lacking names the person, not the engine's row of them
                # (or their rule set: the engine's row of them is no place in the archive)
                said = [attrs.evolve(p, row=None) if p.staff_id is not None and p.file is None
                        and p.column in ("unit_id", "rule_set") else p
                        for p in exc.problems]  # fmt: skip
                if unknown or said != list(exc.problems):
                    raise InputError([*unknown, *said]) from None
                raise
            if unknown:
                raise InputError(unknown)
        if named is not None and not self.readonly:
            self._record_year(year, named)
        if notes:
            out.attrs["notes"] = notes
        return out

    def _record_year(self, year: int, rules: RuleSet) -> None:
        """Record ``rules`` as the set ``year`` is classified under, unless it already is."""
        from evalkit.rules import content_fingerprint, content_json

        fingerprint = content_fingerprint(rules)
        with self._write() as db:
            if _recorded_year(db, year, str(self.path)) != (rules.id, fingerprint):
                last = db.execute("SELECT link FROM year_rule_sets ORDER BY id DESC LIMIT 1"
                                  ).fetchone()  # fmt: skip
                record = (_next_id(db, "year_rule_sets"), int(year), rules.id, fingerprint,
                          _now(), _next_id(db) - 1)  # fmt: skip
                content = content_json(rules)  # the set whole, as a month keeps its own
                link = _amendment_link(bytes.fromhex(last[0]) if last else b"",
                                       _year_sealed(record, content), ())  # fmt: skip
                db.execute(f"INSERT INTO year_rule_sets ({_YEAR_RECORD}, link, content) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*record, link, content))

    def year_rule_set(self, year: int) -> RuleSet | None:
        """The rule set recorded for ``year`` (:meth:`year_rules`), as the archive kept it
        when it was named — which :meth:`annual` without ``rules`` applies, whatever the
        registry holds under its id now; None when none is recorded."""
        with self._read() as db:
            return _recorded_set(db, year, None, str(self.path))

    def year_rules(self, year: int) -> str | None:
        """The id of the rule set ``year`` was last classified under by name
        (:meth:`annual` with ``rules``, ``evalkit annual --rules``), which :meth:`annual`
        without ``rules`` applies again; None when no set was named for it (the year then
        follows each person's months: the set in force for their group at the year's end).
        """
        with self._read() as db:
            found = _recorded_year(db, year, str(self.path))
        return found[0] if found is not None else None


def year_tree(unit_year: pd.DataFrame, tree: pd.DataFrame, months: pd.DataFrame) -> pd.DataFrame:
    """``unit_year`` with ``tree``'s ``parent_id`` and ``public_service_unit`` on the rows of
    the units no month of ``months`` (the archived unit rows) has, where the row gives none:
    the months' tree, where there is one, and the year's own always win (NĐ 233/2026 Điều 7
    k7, k8 and Điều 12 k6 b apply to the year)."""
    normal_id_column = _ids.normal_id_column
    key = normal_id_column(unit_year["unit_id"]).astype("string")
    at = pd.Index(normal_id_column(tree["unit_id"]).astype("string")).get_indexer(pd.Index(key))
    seen = normal_id_column(months["unit_id"]).astype("string") if "unit_id" in months.columns \
        else pd.Series([], dtype="string")  # fmt: skip
    take = (at >= 0) & ~key.isin(seen).fillna(False).to_numpy(dtype=bool)
    if not take.any():
        return unit_year
    out = unit_year.copy()
    for col in ("parent_id", "public_service_unit"):
        if col not in tree.columns:
            continue
        mine = out[col].astype(object) if col in out.columns else pd.Series(
            None, index=out.index, dtype=object)  # fmt: skip
        blank = mine.isna() | (mine.astype(str).str.strip() == "")
        theirs = tree[col].astype(object).to_numpy(dtype=object)[np.maximum(at, 0)]
        out[col] = mine.where(~(blank.to_numpy(dtype=bool) & take), pd.Series(
            theirs, index=out.index, dtype=object))  # fmt: skip
    return out


def _unknown_year_units(db: sqlite3.Connection, pers: Sequence[str],
                        people: Sequence[pd.DataFrame], unit_year: pd.DataFrame, year: int
                        ) -> list[InputProblem]:  # fmt: skip
    """The rows of ``unit_year`` (the units' grades for the year) whose unit is in no month
    of the year: neither a unit (or a parent unit) of the archived months nor the unit of a
    person's month (``people``). Each at its row (the frame's label), as typed, with the
    closest id."""
    if "unit_id" not in unit_year.columns or not len(unit_year):
        return []
    marks = ",".join("?" * len(pers))
    rows = db.execute(
        f"SELECT unit_id, json_extract(data, '$.parent_id') FROM unit_results "
        f"WHERE period IN ({marks}) UNION SELECT unit_id, NULL FROM unit_inputs "
        f"WHERE period IN ({marks})", [*pers, *pers]).fetchall()  # fmt: skip
    known = {_ids.normal_id(v) for r in rows for v in r if v is not None}
    for frame in people:  # the person-months and each person's latest month
        if "unit_id" in frame.columns:
            known |= set(_ids.normal_id_column(frame["unit_id"].dropna()).tolist())
    known = {str(k) for k in known if k is not None}
    typed = unit_year["unit_id"]
    if "parent_id" in unit_year.columns:  # the tree given on the year (a month finalized
        # without its units, --no-classify, has none): a parent above a known unit is known
        child = _ids.normal_id_column(typed).astype("string")
        parent = _ids.normal_id_column(unit_year["parent_id"]).astype("string")
        while True:  # one step up the tree per pass: a tree's depth, never its rows
            up = parent[child.isin(sorted(known)).fillna(False).astype(bool)].dropna()
            more = set(up.tolist()) - known
            if not more:
                break
            known |= more
    normal = _ids.normal_id_column(typed).astype("string")
    bad = normal.notna() & ~normal.isin(sorted(known)).fillna(False).astype(bool)
    if not bad.any():
        return []
    from evalkit._columns import closest_ids

    choices = sorted(known)
    out: list[InputProblem] = []
    for label, value in typed[bad.to_numpy(dtype=bool)].items():  # the few unknown rows
        close = closest_ids(str(_ids.normal_id(value)), choices, 1)
        hint = msg("hint.did_you_mean", name=close[0]) if close else ""
        out.append(problem(msg("archive.year.unknown_unit", value=value, year=year, hint=hint),
                           row=label if isinstance(label, int | str) else None,
                           column="unit_id", value=value))  # fmt: skip
    return out


def _year_set(rules: RuleSet | str | None) -> Callable[[str], RuleSet | None]:
    """The set that classifies a month's rule set id in ``annual``: ``rules`` for its own
    id (refused when it takes a registered set's id with other content), the registered
    set otherwise (None: not registered, the engine says so)."""
    from evalkit import rules as _rules

    given = _rules.get(rules) if isinstance(rules, str) else rules
    if given is not None:
        _rules.refuse_shadow(given)

    def find(rid: str) -> RuleSet | None:
        if given is not None and given.id == rid:
            return given
        return _rules.get(rid) if rid in _rules.default_registry() else None

    return find


class _Tx:
    """One transaction: ``BEGIN IMMEDIATE`` (a write) or ``BEGIN`` (a consistent read) ...
    ``COMMIT``; ``ROLLBACK`` on error when SQLite has not already rolled back. SQLite and
    OS errors become :class:`ArchiveError` naming the file."""

    def __init__(self, db: sqlite3.Connection, path: Path, *, immediate: bool):
        self.db = db
        self.path = path
        self.immediate = immediate

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.db.execute("BEGIN IMMEDIATE" if self.immediate else "BEGIN")
        except sqlite3.Error as exc:
            raise ArchiveError(_write_failed(exc, self.path, self.immediate)) from None
        return self.db

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if t is None:
            try:
                self.db.execute("COMMIT")
                return
            except sqlite3.Error as exc:
                self._rollback()
                raise ArchiveError(_write_failed(exc, self.path, self.immediate)) from None
        self._rollback()
        if isinstance(e, sqlite3.Error):
            raise ArchiveError(_write_failed(e, self.path, self.immediate)) from None
        if isinstance(e, OSError):
            raise ArchiveError(_write_failed(e, self.path, self.immediate)) from None

    def _rollback(self) -> None:
        # SQLite rolls a transaction back by itself after some errors (disk full, I/O):
        # a second ROLLBACK would fail with "cannot rollback - no transaction is active"
        if self.db.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # the connection is unusable anyway
                self.db.execute("ROLLBACK")


def _write_failed(exc: BaseException, path: Path, write: bool) -> str:
    what = _explain(exc, path)
    if write:
        return f"{what}; nothing was written, the archive is as it was"
    return f"cannot read the archive: {what}"


def _refuse_finalized(db: sqlite3.Connection, per: str) -> None:
    exists = db.execute("SELECT finalized_at, finalized_by, inputs FROM months "
                        "WHERE period = ?", (per,)).fetchone()  # fmt: skip
    if exists and not exists[2]:  # no amendment either: the way left is the year's
        raise MonthAlreadyFinalizedError(
            f"{per} was finalized on {exists[0]} by {exists[1]} without its unit inputs: it "
            "cannot change, nor be amended — a unit's result the year lacks is given with "
            "Archive.annual(unit_year=...)"
        )
    if exists:
        raise MonthAlreadyFinalizedError(
            f"{per} was finalized on {exists[0]} by {exists[1]}; it cannot change — "
            "record a correction with `evalkit amend` (Archive.amend)"
        )
    p = Period.parse(per)  # a quarter and its months are never both archived (counted twice)
    if p.kind not in ("month", "quarter"):
        return
    near = [str(m) for m in p.months()] if p.kind == "quarter" else [str(p.quarter_of())]
    found = db.execute(f"SELECT period, finalized_at, finalized_by FROM months WHERE period IN "
                       f"({', '.join('?' * len(near))}) ORDER BY period", near).fetchone()
    if found:
        raise MonthAlreadyFinalizedError(
            f"{per} overlaps {found[0]}, finalized on {found[1]} by {found[2]}; a period is "
            "archived once, as its months or as its quarter")  # fmt: skip


def _version(db: sqlite3.Connection) -> int:
    try:
        row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
    except sqlite3.OperationalError:
        return 0
    return int(row[0] or 0)


def _statements(script: str) -> Iterator[str]:
    buf = ""
    for line in script.strip().splitlines():
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            yield buf.strip()
            buf = ""


def _period_of(results: pd.DataFrame, period: Period | str | None, file: str | None) -> Period:
    def fail(message: str | Msg, value: Any = None) -> InputError:
        if isinstance(message, Msg):
            return InputError([problem(message, file=file, column="period", value=value)])
        return InputError([InputProblem(message, file, column="period", value=value)])

    found: set[str] = set()
    if "period" in results.columns:
        bad: list[Any] = []
        for p in pd.unique(_hashable(results["period"].dropna())):
            try:
                found.add(str(Period.parse(p)))
            except (EvalkitError, TypeError, ValueError):
                bad.append(p)
        if bad:
            raise InputError([problem(msg("archive.check.not_a_month"), file=file,
                                      column="period", value=_plain(b)) for b in bad])
    if period is not None:
        try:
            per = Period.parse(period)
        except EvalkitError as exc:
            raise fail(str(exc), _plain(period)) from None
        other = found - {str(per)}
        if other:
            raise fail(msg("archive.check.other_months", others=", ".join(sorted(other)),
                           period=str(per)))
    else:
        if len(found) != 1:
            what = ", ".join(sorted(found)) or msg("archive.check.none")
            raise fail(msg("archive.check.one_month", found=what))
        per = Period.parse(found.pop())
    if per.kind == "year":  # a quarter is checked against the rows' rule sets
        raise fail(msg("archive.check.period_not_month", period=str(per)), str(per))
    return per


def _unit_frame(units: pd.DataFrame) -> pd.DataFrame:
    if "unit_id" not in units.columns and units.index.name == "unit_id":
        return units.reset_index()
    return units.reset_index(drop=True)


def _unit_rows(
    per: Period, units: pd.DataFrame | None, *, with_grade: bool
) -> list[tuple[str, str, str | None, str]]:
    if units is None or units.empty:
        return []
    frame = _unit_frame(units)
    if "period" in frame.columns:
        col = frame["period"].astype(object)
        keep = col.isna() | (col.astype(str) == str(per))
        frame = frame[keep.to_numpy(dtype=bool)]
    from evalkit.units import UNIT_INPUT_COLUMNS

    for key in map(str, frame.columns):  # the numbers as checked ("85,5" is 85.5), never text
        if (key in UNIT_INPUT_COLUMNS or key.startswith("body_")) and \
                not pd.api.types.is_numeric_dtype(frame[key].dtype):  # object, Arrow text
            frame = frame.assign(**{key: _numeric(frame.loc[:, key])[0]})
    values, texts = _encode(frame)
    ids = [str(v) for v in values["unit_id"]]
    grades = values.get("grade", [None] * len(ids)) if with_grade else [None] * len(ids)
    return [(str(per), u, None if g is None else str(g), t)
            for u, g, t in zip(ids, grades, texts, strict=True)]  # fmt: skip


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


# =========================================================================== the seal


def _part_rows(db: sqlite3.Connection, per: str, part: str) -> list[tuple[Any, ...]]:
    """The rows of one part of a month's seal, in key order."""
    _kind, table, key, cols = next(p for p in _SEAL_PARTS if p[0] == part)
    rows: list[tuple[Any, ...]] = db.execute(
        f"SELECT {cols} FROM {table} WHERE period = ? ORDER BY {key}", (per,)).fetchall()
    return rows


_ENCODE: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False).encode


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


#: What a document that is not text (a BLOB, a NULL put in by hand) counts as in a digest:
#: no document evalkit writes (JSON text, its control characters escaped) is this.
_NOT_TEXT = "\x00"


def _texts_of(rows: Sequence[Any]) -> list[str]:
    """The documents of a month's rows: a value that is not text matches no seal."""
    return [t if isinstance(t, str) else _NOT_TEXT for (t,) in rows]


def _digest(rows: Sequence[Any], part: str) -> bytes:
    """SHA-256 of one part as read back: the JSON text of its rows (a list of rows); for
    the staff results' JSON documents, the documents joined by newlines followed by each
    one's length (so no document can take text from its neighbour)."""
    if part == "data":
        texts = _texts_of(rows)
        lengths = np.fromiter(map(len, texts), dtype="<i8", count=len(texts)).tobytes()
        return hashlib.sha256(_utf8("\n".join(texts)) + lengths).digest()
    return hashlib.sha256(_utf8(_ENCODE(rows))).digest()


# The documents of a month as SQLite holds them (UTF-8 bytes, no decoding) with each one's
# length in characters; a value that is not text gives no bytes and a length of -1, which no
# sealed document has (so its month falls back to the reading below, and fails there).
_DATA_BYTES = ("SELECT CASE typeof(data) WHEN 'text' THEN CAST(data AS BLOB) ELSE X'' END, "
               "CASE typeof(data) WHEN 'text' THEN length(data) ELSE -1 END "
               "FROM results WHERE period = ? ORDER BY staff_id")
_DATA_CHUNK = 1_024
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)


def _data_digest(db: sqlite3.Connection, per: str) -> bytes:
    """:func:`_digest` of a month's document part, computed from the bytes SQLite stores,
    a chunk of rows at a time: the same digest as decoding each document and encoding it
    again, without either (UTF-8 text is its own encoding, and SQLite's ``length`` of a
    text counts its characters). Only a match is taken as such: the caller reads the part
    as text on a mismatch (a file in another encoding, a document that is not text)."""
    cursor = db.execute(_DATA_BYTES, (per,))
    sha = hashlib.sha256()
    lengths: list[npt.NDArray[np.int64]] = []
    sep = b""
    while rows := cursor.fetchmany(_DATA_CHUNK):  # a chunk's bytes stay in the CPU's cache
        sha.update(sep)
        sha.update(b"\n".join(map(_FIRST, rows)))
        sep = b"\n"
        lengths.append(np.fromiter(map(_SECOND, rows), dtype="<i8", count=len(rows)))
    if lengths:
        sha.update(np.concatenate(lengths).astype("<i8").tobytes())
    return sha.digest()


def _locators(rows: Sequence[Any], part: str) -> bytes:
    """Each row's own SHA-256, to name a row that no longer matches (not part of the seal)."""
    sha = hashlib.sha256
    texts = _texts_of(rows) if part == "data" else map(_ENCODE, rows)
    return b"".join([sha(_utf8(t)).digest() for t in texts])


def _header(db: sqlite3.Connection, per: str) -> tuple[Any, ...] | None:
    """The month's record as its seal covers it: the row of ``months`` and, where the month
    keeps its rule sets whole (schema 5), the SHA-256 of them (id, fingerprint, content):
    a kept set changed, added or removed outside evalkit no longer matches the seal."""
    row: tuple[Any, ...] | None = db.execute(
        f"SELECT {_MONTH_COLUMNS} FROM months WHERE period = ?", (per,)).fetchone()
    kept = _kept_rows(db, [per]) if row is not None else []
    if row is not None and kept:
        row = (*row, hashlib.sha256(_utf8(_ENCODE([list(r[1:]) for r in kept]))).hexdigest())
    return row


def _chain_of(header: Sequence[Any], parts: bytes) -> str:
    """The month's seal: SHA-256 of (SHA-256 of its record) and the digest of each part."""
    head = hashlib.sha256(_CHAIN_TAG + json.dumps(list(header), ensure_ascii=False)
                          .encode("utf-8", "surrogatepass")).digest()  # fmt: skip
    return hashlib.sha256(head + parts).hexdigest()


def _seal(db: sqlite3.Connection, per: str,
          given: Mapping[str, Sequence[tuple[Any, ...]]] | None = None) -> str:  # fmt: skip
    """Seal a month as it is in the file now (inside the finalize transaction); ``given``
    holds parts read otherwise (an older schema's, in migration)."""
    header = _header(db, per)
    assert header is not None
    parts = b""
    locators: dict[str, bytes] = {}
    for part, *_rest in _SEAL_PARTS:
        rows = given[part] if given and part in given else _part_rows(db, per, part)
        parts += _digest(rows, part)
        locators[part] = _locators(rows, part)
    chain = _chain_of(header, parts)
    db.execute("UPDATE months SET sealed = 1, chain = ?, parts = ?, digests = ? "
               "WHERE period = ?", (chain, parts, b"".join(locators.values()), per))
    return chain


def _amendment_link(prev: bytes, record: Sequence[Any], rows: Sequence[Sequence[Any]]) -> str:
    """The chain link of an amendment: SHA-256 of the previous link, the amendment and its
    rows (by staff id)."""
    changed = sorted([list(r[1:]) for r in rows], key=lambda r: str(r[0]))
    return hashlib.sha256(prev + _utf8(_ENCODE([list(record), changed]))).hexdigest()


def _head(db: sqlite3.Connection, per: str) -> str:
    """The month's latest seal: its last amendment's link, or the month's own chain."""
    row = db.execute("SELECT chain FROM amendments WHERE period = ? ORDER BY id DESC LIMIT 1",
                     (per,)).fetchone()  # fmt: skip
    if row is not None and row[0]:
        return str(row[0])
    chain = db.execute("SELECT chain FROM months WHERE period = ?", (per,)).fetchone()
    return str(chain[0] or "") if chain else ""


def _next_id(db: sqlite3.Connection, table: str = "amendments") -> int:
    seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    top = db.execute(f"SELECT MAX(id) FROM {table}").fetchone()[0]
    return max(int(seq[0]) if seq else 0, int(top or 0)) + 1


def _raise_if(problems: Sequence[IntegrityProblem], path: str) -> None:
    if problems:
        raise ArchiveIntegrityError(problems, path)


def _check_record(db: sqlite3.Connection, per: str) -> list[IntegrityProblem]:
    """The month's record (who, when, rows, rule set) and its parts' digests vs its seal."""
    row = db.execute("SELECT sealed, chain, parts FROM months WHERE period = ?",
                     (per,)).fetchone()  # fmt: skip
    header = _header(db, per)
    if row is None or header is None:
        return [_integrity(per, "month", None, msg("archive.verify.not_in_archive"))]
    sealed, chain, parts = row
    if (sealed != 1 or not isinstance(chain, str) or not isinstance(parts, bytes)
            or len(parts) != _DIGEST * len(_SEAL_PARTS)):  # fmt: skip
        return [_integrity(per, "month", None, msg("archive.verify.never_sealed"))]
    if _chain_of(header, parts) != chain:
        return [_integrity(per, "month", None, msg("archive.verify.record"))]
    return []


_NEVER_SEALED = str(msg("archive.verify.never_sealed"))
_PART_NAMES = {"year": "staff", "person": "staff", "data": "data", "unit": "unit",
               "input": "input"}  # fmt: skip


def _split(blob: bytes) -> list[bytes]:
    return [blob[i : i + _DIGEST] for i in range(0, len(blob), _DIGEST)]


def _name_rows(db: sqlite3.Connection, per: str, part: str,
               rows: Sequence[tuple[Any, ...]]) -> list[IntegrityProblem]:  # fmt: skip
    """A part whose digest does not match: which rows (by the stored row locators)."""
    kind: Literal["row", "unit", "input"] = ("unit" if part == "unit" else
                                             "input" if part == "input" else "row")
    key_at = 0 if part != "data" else None
    stored = db.execute("SELECT digests FROM months WHERE period = ?", (per,)).fetchone()
    sealed = set(_split(stored[0])) if stored and isinstance(stored[0], bytes) else set()
    ids: list[str] = ([str(r[key_at]) for r in rows] if key_at is not None else
                      [str(k) for (k,) in db.execute("SELECT staff_id FROM results WHERE "
                                                     "period = ? ORDER BY staff_id", (per,))])
    now = _split(_locators(rows, part))
    name = msg(f"archive.verify.part.{_PART_NAMES[part]}")
    out = [_integrity(per, kind, key, msg("archive.verify.part_changed", part=name))
           for key, d in zip(ids, now, strict=False) if d not in sealed]  # fmt: skip
    finalized = db.execute("SELECT rows FROM months WHERE period = ?", (per,)).fetchone()
    if part in ("year", "person", "data") and finalized and len(rows) < int(finalized[0] or 0):
        out.append(_integrity(per, "month", None, msg("archive.verify.rows_missing",
                                                      n=int(finalized[0]) - len(rows))))
    if not out:
        out.append(_integrity(per, "month", None, msg("archive.verify.parts_changed", part=name)))
    return out


def _check_month(
    db: sqlite3.Connection,
    per: str,
    *,
    parts: Sequence[str] = _ALL_PARTS,
    given: Mapping[str, Sequence[tuple[Any, ...]]] | None = None,
    numbering: bool = True,
) -> list[IntegrityProblem]:
    """Every mismatch between a month as stored and its seal (empty: it matches).

    The month's record, its amendments and the ``parts`` of its rows (all by default;
    :meth:`Archive.annual` checks what it reads) are compared with the seal; ``given``
    holds parts the caller has read already (in key order)."""
    problems = _check_record(db, per)
    if problems and problems[0].message == _NEVER_SEALED:
        return problems
    stored = db.execute("SELECT parts FROM months WHERE period = ?", (per,)).fetchone()[0]
    given = given or {}
    for i, part in enumerate(_ALL_PARTS):
        if part not in parts:
            continue
        sealed = stored[i * _DIGEST : (i + 1) * _DIGEST]
        if part == "data" and part not in given and _data_digest(db, per) == sealed:
            continue  # the documents as stored match (else read as text, to name the rows)
        found = given[part] if part in given else _part_rows(db, per, part)
        if _digest(found, part) != sealed:
            problems += [p for p in _name_rows(db, per, part, found) if p not in problems]
    problems += _check_amendments(db, per)
    if numbering:
        problems += _check_numbering(db)
    return problems


def _check_numbering(db: sqlite3.Connection) -> list[IntegrityProblem]:
    """Amendments are numbered 1, 2, 3 … with no gap: a gap, or a number given out but
    missing at the end, is an amendment deleted outside evalkit."""
    seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'amendments'").fetchone()
    count, top = db.execute("SELECT COUNT(*), MAX(id) FROM amendments").fetchone()
    last = max(int(seq[0]) if seq else 0, int(top or 0))
    if last == count:
        return []
    if last - count > 1_000:
        return [_integrity(None, "amendment", None,
                           msg("archive.verify.numbering", last=last, count=count))]
    have = {r[0] for r in db.execute("SELECT id FROM amendments")}
    return [_integrity(None, "amendment", str(i), msg("archive.verify.amendment_missing"))
            for i in range(1, last + 1) if i not in have][:50]  # fmt: skip


def _check_amendments(db: sqlite3.Connection, per: str) -> list[IntegrityProblem]:
    """Each amendment of the month against the chain from the month's seal."""
    problems: list[IntegrityProblem] = []
    chain = db.execute("SELECT chain FROM months WHERE period = ?", (per,)).fetchone()
    link = bytes.fromhex(chain[0]) if chain and isinstance(chain[0], str) else b""
    for aid, *rest in db.execute(
            "SELECT id, period, staff_id, amended_at, amended_by, reason, previous, new, chain "
            "FROM amendments WHERE period = ? ORDER BY id", (per,)).fetchall():  # fmt: skip
        record = (aid, *rest[:-1])
        stored_link = rest[-1]
        rows_of = db.execute("SELECT amendment_id, staff_id, previous, new FROM amendment_rows "
                             "WHERE amendment_id = ?", (aid,)).fetchall()  # fmt: skip
        expected = _amendment_link(link, record, rows_of)
        if stored_link != expected:
            problems.append(_integrity(per, "amendment", str(aid), msg(
                "archive.verify.amendment_chain", staff=rest[1], by=rest[3])))
        try:
            link = bytes.fromhex(stored_link) if isinstance(stored_link, str) else b""
        except ValueError:
            link = b""
    return problems


def _check_file(db: sqlite3.Connection) -> list[IntegrityProblem]:
    """What belongs to no month: the amendment numbering, orphan rows."""
    problems = _check_numbering(db)
    for table, key in (("results", "staff_id"), ("unit_results", "unit_id"),
                       ("unit_inputs", "unit_id"), ("amendments", "id")):  # fmt: skip
        for per, k in db.execute(f"SELECT period, {key} FROM {table} WHERE period NOT IN "
                                 "(SELECT period FROM months) LIMIT 50").fetchall():  # fmt: skip
            kind: Literal["row", "unit", "input", "amendment"] = (
                "row" if table == "results" else "unit" if table == "unit_results"
                else "input" if table == "unit_inputs" else "amendment")  # fmt: skip
            problems.append(_integrity(per, kind, str(k), msg("archive.verify.orphan")))
    for (aid,) in db.execute("SELECT DISTINCT amendment_id FROM amendment_rows WHERE "
                             "amendment_id NOT IN (SELECT id FROM amendments)").fetchall():
        problems.append(_integrity(None, "amendment", str(aid),
                                   msg("archive.verify.orphan_rows")))
    return problems


def _legacy_check(db: sqlite3.Connection, per: str) -> list[IntegrityProblem]:
    """A schema 1-2 month against its checksum (SHA-256 of its rows' JSON by staff id)."""
    stored = db.execute("SELECT checksum FROM months WHERE period = ?", (per,)).fetchone()[0]
    texts = [r[0] for r in db.execute("SELECT data FROM results WHERE period = ? "
                                      "ORDER BY staff_id", (per,))]  # fmt: skip
    if hashlib.sha256("\n".join(texts).encode()).hexdigest() != stored:
        return [_integrity(per, "month", None, msg("archive.verify.checksum"))]
    return []


def _seal_existing(db: sqlite3.Connection, path: str) -> None:
    """Migration to 3: check each month against its old checksum, then seal it and chain
    its amendments (one changed row each, as recorded)."""
    pers = [r[0] for r in db.execute("SELECT period FROM months ORDER BY period")]
    problems = [p for per in pers for p in _legacy_check(db, per)]
    if problems:
        raise ArchiveIntegrityError(problems, path)
    for per in pers:  # as schema 3 sealed it (migration to 4 checks it so)
        _seal(db, per, _v3_person(db, per))
    links = {per: bytes.fromhex(c) for per, c in db.execute("SELECT period, chain FROM months")}
    for row in db.execute("SELECT id, period, staff_id, amended_at, amended_by, reason, "
                          "previous, new FROM amendments ORDER BY id").fetchall():  # fmt: skip
        aid, per, sid, prev, new = row[0], row[1], row[2], row[6], row[7]
        rows = [(aid, sid, prev, new)]
        db.execute("INSERT INTO amendment_rows VALUES (?, ?, ?, ?)", rows[0])
        link = _amendment_link(links.get(per, b""), row, rows)
        db.execute("UPDATE amendments SET chain = ? WHERE id = ?", (link, aid))
        links[per] = bytes.fromhex(link)


# Version 4: the staff category gets its SQL column, sealed in the person part. The
# triggers that refuse the migration's writes go first and come back as they were.
_V4_WRITES = ("results_immutable_u", "months_immutable_u", "amendments_append_only_u")
_V4_BEFORE = "".join(f"DROP TRIGGER IF EXISTS {t};\n" for t in _V4_WRITES) + \
    "ALTER TABLE results ADD COLUMN category TEXT;"
_V4_AFTER = "\n".join(t for t in _statements(_V3_AFTER)
                      if any(f"TRIGGER {w} " in t for w in _V4_WRITES))


def _v3_person(db: sqlite3.Connection, per: str) -> dict[str, list[tuple[Any, ...]]]:
    """The person part of a schema 3 month (no category), as its seal covers it."""
    return {"person": db.execute(f"SELECT {_V3_PERSON} FROM results WHERE period = ? "
                                 "ORDER BY staff_id", (per,)).fetchall()}  # fmt: skip


def _categorise_existing(db: sqlite3.Connection, path: str) -> None:
    """Migration to 4: check every month against its schema 3 seal (its record, every part,
    its amendments) before anything is written; then copy each row's category from its
    document (so checked) into its SQL column, seal the month again (the person part now
    with the category) and chain its amendments from the new seal, their records kept."""
    pers = [r[0] for r in db.execute("SELECT period FROM months ORDER BY period")]
    _raise_if([*(p for per in pers for p in _check_month(db, per, given=_v3_person(db, per),
                                                         numbering=False)),
               *_check_numbering(db)], path)  # fmt: skip
    db.execute("UPDATE results SET category = json_extract(data, '$.category') "
               "WHERE json_extract(data, '$.category') IS NOT NULL")
    printed = {(per, 0): c for per, c in db.execute("SELECT period, chain FROM months")}
    printed |= {(per, a): c for a, per, c in db.execute("SELECT id, period, chain FROM amendments")}
    for per in pers:
        link = bytes.fromhex(_seal(db, per))
        for aid, *record in db.execute(
                "SELECT id, period, staff_id, amended_at, amended_by, reason, previous, new "
                "FROM amendments WHERE period = ? ORDER BY id", (per,)).fetchall():  # fmt: skip
            rows = db.execute("SELECT amendment_id, staff_id, previous, new FROM "
                              "amendment_rows WHERE amendment_id = ?", (aid,)).fetchall()
            new = _amendment_link(link, (aid, *record), rows)
            db.execute("UPDATE amendments SET chain = ? WHERE id = ?", (new, aid))
            link = bytes.fromhex(new)
    _keep_seals(db, printed)


def _has_history(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                      "name = 'seal_history'").fetchone() is not None  # fmt: skip


def _migrated_at(db: sqlite3.Connection) -> str:
    """When the file reached schema 4 (what is finalized or amended before was sealed by 3)."""
    row = db.execute("SELECT applied_at FROM schema_version WHERE version = 4").fetchone()
    return str(row[0]) if row else ""


def _history_link(anchor: Any, record: Sequence[Any]) -> str:
    """The link of a seal history record: SHA-256 of its month's seal and the record."""
    return hashlib.sha256(_utf8(_ENCODE([anchor, *record]))).hexdigest()


def _keep_seals(db: sqlite3.Connection, seals: Mapping[tuple[str, int], str]) -> None:
    """Record the schema 3 seals (by month and amendment, 0 the month's own) that migration
    to 4 replaced, each linked to its month's new seal."""
    for statement in _HISTORY:
        db.execute(statement)
    when = _migrated_at(db)
    anchors = dict(db.execute("SELECT period, chain FROM months").fetchall())
    rows = [(per, aid, seal, 3, when) for (per, aid), seal in sorted(seals.items())]
    db.executemany("INSERT INTO seal_history VALUES (?, ?, ?, ?, ?, ?)",
                   [(*r, _history_link(anchors[r[0]], r)) for r in rows])  # fmt: skip


def _v3_seals(db: sqlite3.Connection, per: str, *, matches: bool = True,
              older: bool = False) -> dict[tuple[str, int], str]:  # fmt: skip
    """The seals schema 3 gives the month as stored: its own (amendment 0) and each
    amendment's link. ``matches``: the month matched its seal, so its stored digests are
    its content's (only the person part is read again, without the category); else every
    part is read. ``older``: only what is older than the migration to 4, of a month that
    matches (none of a month that does not)."""
    when = _migrated_at(db)
    first = db.execute("SELECT finalized_at, parts FROM months WHERE period = ?",
                       (per,)).fetchone()  # fmt: skip
    if older and (first is None or not str(first[0]) < when
                  or _check_month(db, per, numbering=False)):  # fmt: skip
        return {}
    person = _digest(_v3_person(db, per)["person"], "person")
    stored = first[1] if first is not None and isinstance(first[1], bytes) else b""
    parts = (stored[:_DIGEST] + person + stored[2 * _DIGEST:] if matches
             and len(stored) == _DIGEST * len(_SEAL_PARTS) else b"".join(
                 person if part == "person" else _digest(_part_rows(db, per, part), part)
                 for part in _ALL_PARTS))  # fmt: skip
    header = _header(db, per)
    seals = {(per, 0): _chain_of(header, parts)} if header is not None else {}
    link = bytes.fromhex(seals[(per, 0)]) if seals else b""
    for aid, *record in db.execute(
            "SELECT id, period, staff_id, amended_at, amended_by, reason, previous, new "
            "FROM amendments WHERE period = ? ORDER BY id", (per,)).fetchall():  # fmt: skip
        rows = db.execute("SELECT amendment_id, staff_id, previous, new FROM "
                          "amendment_rows WHERE amendment_id = ?", (aid,)).fetchall()
        seal = _amendment_link(link, (aid, *record), rows)
        link = bytes.fromhex(seal)
        if not older or str(record[2]) < when:
            seals[(per, aid)] = seal
    return seals


def _superseded(db: sqlite3.Connection, per: str, *, matches: bool
                ) -> tuple[list[SealRecord], list[IntegrityProblem]]:  # fmt: skip
    """The month's seals that migration replaced, each checked — its record against its
    link to the month's seal, its seal against the month's content as schema 3 sealed it
    (``matches``: the month matched its seal) — and one kept for the month and each
    amendment older than the migration."""
    if not _has_history(db):
        return [], []  # the triggers' check names the missing table
    kept = db.execute("SELECT amendment, seal, schema_version, replaced_at, link FROM "
                      "seal_history WHERE period = ? ORDER BY amendment", (per,)).fetchall()
    when = _migrated_at(db)
    born = db.execute("SELECT finalized_at, chain FROM months WHERE period = ?", (per,)).fetchone()
    current = {0: born[1]} | dict(db.execute("SELECT id, chain FROM amendments WHERE "
                                             "period = ?", (per,)).fetchall())  # fmt: skip
    need = ({0} if str(born[0]) < when else set()) | {a for (a,) in db.execute(
        "SELECT id FROM amendments WHERE period = ? AND amended_at < ?", (per, when))}
    expected = _v3_seals(db, per, matches=matches) if kept else {}
    records: list[SealRecord] = []
    problems: list[IntegrityProblem] = []
    for aid, seal, version, replaced, link in kept:
        linked = link == _history_link(born[1], (per, aid, seal, version, replaced))
        ok = linked and version == 3 and seal == expected.get((per, aid))
        records.append(SealRecord(str(seal), per, int(aid), int(version), str(replaced),
                                  current.get(aid), ok))  # fmt: skip
        if not ok:
            problems.append(_integrity(per, "amendment" if aid else "month",
                                       str(aid) if aid else None,
                                       msg("archive.verify.old_seal", seal=str(seal)[:16] + "…",
                                           version=version) if linked
                                       else msg("archive.verify.history_record")))  # fmt: skip
    problems += [_integrity(per, "amendment" if aid else "month", str(aid) if aid else None,
                            msg("archive.verify.history_missing"))
                 for aid in sorted(need - {r.amendment for r in records})]  # fmt: skip
    return records, problems


_MIGRATIONS: tuple[_Migration, ...] = (
    _Migration(_V1),
    _Migration(_V2),
    _Migration(_V3_BEFORE, _seal_existing, _V3_AFTER),
    _Migration(_V4_BEFORE, _categorise_existing, _V4_AFTER),
    _Migration("", _keep_sets),
)
assert len(_MIGRATIONS) == SCHEMA_VERSION


# =========================================================================== reading rows


def _month_record(db: sqlite3.Connection, per: str) -> FinalizedMonth:
    r = db.execute("SELECT period, rule_set, finalized_at, finalized_by, rows, checksum, chain, "
                   "inputs FROM months WHERE period = ?", (per,)).fetchone()  # fmt: skip
    n = db.execute("SELECT COUNT(*) FROM amendments WHERE period = ?", (per,)).fetchone()[0]
    return FinalizedMonth(Period.parse(r[0]), r[1], r[2], r[3], int(r[4]), r[5], r[6] or "",
                          _head(db, per), bool(r[7]), int(n))  # fmt: skip


def _changes(db: sqlite3.Connection, periods: Sequence[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every amended row of ``periods`` in order: (period, staff id, new values)."""
    marks = ",".join("?" * len(periods))
    rows = db.execute(
        f"SELECT a.period, r.staff_id, r.new FROM amendment_rows r JOIN amendments a "
        f"ON a.id = r.amendment_id WHERE a.period IN ({marks}) ORDER BY a.id, r.staff_id",
        list(periods),
    ).fetchall()
    return [(p, s, json.loads(n)) for p, s, n in rows]


def _month_frame(db: sqlite3.Connection, per: str, *, amended: bool = True) -> pd.DataFrame:
    data = [json.loads(r[0]) for r in db.execute(
        "SELECT data FROM results WHERE period = ? ORDER BY rowid", (per,))]  # fmt: skip
    # a month nobody was scored in (no staff row: a unit's results alone) still has the
    # results' columns, which the year and the sheets read
    frame = pd.DataFrame.from_records(data, columns=None if data else ["period", *_KEY_COLUMNS])
    if amended and not frame.empty:
        frame = _apply(frame, [(s, new) for _p, s, new in _changes(db, [per])])
    return frame


def _with_amendments(db: sqlite3.Connection, per: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with, in ``amendments``, each amended row's record as JSON (a list, oldest
    first, of ``at``, ``by``, ``why`` and the row's ``previous`` and ``new`` values), so a
    sheet printed from the amended month says that it was amended; None where no
    amendment changed the row, and no column when none changed any."""
    rows = db.execute(
        "SELECT r.staff_id, a.amended_at, a.amended_by, a.reason, r.previous, r.new "
        "FROM amendment_rows r JOIN amendments a ON a.id = r.amendment_id "
        "WHERE a.period = ? ORDER BY a.id", (per,)).fetchall()  # fmt: skip
    if not rows or frame.empty:
        return frame
    notes: dict[str, list[dict[str, Any]]] = {}
    for sid, at, by, why, previous, new in rows:
        notes.setdefault(str(sid), []).append(
            {"at": at, "by": by, "why": why, "previous": json.loads(previous),
             "new": json.loads(new)})  # fmt: skip
    out = frame.copy()
    text = {k: json.dumps(v, ensure_ascii=False) for k, v in notes.items()}
    out["amendments"] = out["staff_id"].astype(str).map(text).astype(object)
    out["amendments"] = out["amendments"].where(out["amendments"].notna(), None)
    return out


def _apply(frame: pd.DataFrame, changes: Sequence[tuple[str, Mapping[str, Any]]]) -> pd.DataFrame:
    if not changes:
        return frame
    out = frame.copy()
    where = pd.Index(out["staff_id"].astype(str))
    for staff_id, new in changes:  # one amended row at a time, not one per result
        at = int(where.get_indexer(pd.Index([staff_id]))[0])
        if at < 0:
            continue
        for key, value in new.items():
            if key not in out.columns:
                out[key] = None
            if out[key].dtype != object:
                out[key] = out[key].astype(object)
            out.loc[out.index[at], key] = value
    return out


def _inputs_frame(db: sqlite3.Connection, per: str) -> pd.DataFrame:
    docs = [json.loads(d) for (d,) in db.execute(
        "SELECT data FROM unit_inputs WHERE period = ? ORDER BY rowid", (per,))]  # fmt: skip
    frame = pd.DataFrame.from_records(docs)
    if frame.empty:
        frame = pd.DataFrame(columns=["unit_id", "parent_id", "head_id"])
    for c in ("parent_id", "head_id"):
        if c in frame.columns:
            frame[c] = frame[c].astype(object)
    return frame


def _input_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A stored month's staff rows without what the engine derives: its inputs."""
    from evalkit._columns import PERCENT_READ

    drop = [c for c in frame.columns
            if c in _DERIVED or str(c).startswith("points_") or c == "row"]  # fmt: skip
    out = frame.drop(columns=drop).reset_index(drop=True)
    out.attrs[PERCENT_READ] = True  # read from cells (a 0.5 % cell is 0.5): checked there
    return out


def _derivation(staff: pd.DataFrame, rule_ids: pd.Series, find: Callable[[str], RuleSet | None],
                units: pd.DataFrame, unit_sets: Mapping[Any, Any]
                ) -> tuple[pd.DataFrame, pd.DataFrame, RuleSet | None]:  # fmt: skip
    """A month's staff inputs (:func:`_input_columns`), its unit inputs and the rule set to
    classify them again under, as :func:`evalkit.units.classify_frame` classified them: the
    month's one set (``rule_ids``, each row's) where every unit result kept (``unit_sets``,
    each unit's ``rule_set`` by its id) is under it too, or none says — one set named for
    everyone —; else None: each row under its own set (``find`` gives it by its id: the
    kept one, an agency's file) and each unit under its own, by the engine's rule (its
    ``category``'s set in force, its people's, its tree's): a Sở of công chức with nobody
    in the month over hospitals of viên chức is graded under NĐ 335/2025, never under its
    hospitals' set. A unit under a set none of the rows is under is named it in the unit
    inputs, found by ``find`` (the content kept with the month, never today's registry).
    The one choice of finalize, render, amend and an amended month's units (issue 13)."""
    ids = sorted({str(r) for r in rule_ids.dropna()})
    named = {str(u): str(r) for u, r in unit_sets.items() if pd.notna(r) and r != ""}
    if len(ids) == 1 and set(named.values()) <= set(ids):
        return staff, units, find(ids[0])
    # (set once: a frame of a column per block, as pd.read_csv gives, is never inserted into)
    out = with_columns(staff, {"rule_set": rule_ids.astype(object).to_numpy(dtype=object)})
    out.attrs = {**staff.attrs, "rule_sets": {**(staff.attrs.get("rule_sets") or {}),
                                              **{r: find(r) for r in ids}}}  # fmt: skip
    only = {r: rs for r in set(named.values()) - set(ids) if (rs := find(r)) is not None}
    if only and "unit_id" in units.columns:
        own = units["unit_id"].astype(str).map({u: r for u, r in named.items() if r in only})
        units = units.assign(rule_set=own.where(own.notna(), units.get("rule_set")))
        units.attrs["rule_sets"] = {**(units.attrs.get("rule_sets") or {}), **only}
    return out, units, None


def _of_period(frame: pd.DataFrame, per: str) -> pd.DataFrame:
    """The rows of ``frame`` (a unit table) of the month ``per``, or with no ``period``."""
    if "period" not in frame.columns:
        return frame
    pers = frame["period"].astype(object)
    return frame[(pers.isna() | (pers.astype(str) == per)).to_numpy(dtype=bool)]


def _unit_sets(db: sqlite3.Connection, per: str) -> dict[Any, Any]:
    """The rule set of each unit result of the month ``per`` as finalized, by unit id."""
    return dict(db.execute("SELECT unit_id, json_extract(data, '$.rule_set') FROM "
                           "unit_results WHERE period = ?", (per,)).fetchall())  # fmt: skip


def _derive(staff: pd.DataFrame, units: pd.DataFrame, rs: RuleSet | None, per: str,
            labels: npt.NDArray[Any] | None = None, file: str | None = None,
            positions: Mapping[str, Position] | None = None) -> pd.DataFrame:
    """The engine's staff results for a month's inputs (errors say what cannot be derived).

    With ``labels`` (each row's own number: the workbook row of the results file) the
    engine's problems are raised as an :class:`~evalkit.errors.InputError` located at
    those rows (never the frame's internal 0-based position), in ``file``. ``rs`` None:
    each row under its own ``rule_set`` (a month of several workbooks' groups)."""
    return _derive_both(staff, units, rs, per, labels, file, positions)[0]


def _derive_both(staff: pd.DataFrame, units: pd.DataFrame, rs: RuleSet | None, per: str,
                 labels: npt.NDArray[Any] | None = None, file: str | None = None,
                 positions: Mapping[str, Position] | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """:func:`_derive`'s staff results and the engine's unit results for them."""
    from evalkit.units import classify_frame

    rid = rs.id if rs is not None else ", ".join(sorted(
        {str(r) for r in staff["rule_set"].dropna()})) if "rule_set" in staff.columns else "?"
    try:
        out, unit_out = classify_frame(staff, units, rs, force=True, positions=positions,
                                       known_staff=named_people(staff, units))
    except InputError as exc:
        if labels is None:
            raise ArchiveError(f"cannot re-derive {per} under {rid}: {exc}") from None
        raise InputError([_relabel(q, labels, file) for q in exc.problems]) from None
    except EvalkitError as exc:
        raise ArchiveError(f"cannot re-derive {per} under {rid}: {exc}") from None
    except (TypeError, ValueError, KeyError) as exc:  # values the engine cannot read at all
        raise ArchiveError(f"cannot re-derive {per} under {rid}: the inputs cannot be "
                           f"read ({type(exc).__name__}: {exc})") from None
    return out.reset_index(drop=True), unit_out.reset_index(drop=True)


def named_people(staff: pd.DataFrame, units: pd.DataFrame | None) -> list[Any]:
    """The heads and managers finalized months name (the units' ``head_id``, the rows'
    ``manager_id``): checked when the months were classified, so one with no row was absent
    (an organisation's member), not unknown — :func:`evalkit.classify_frame`'s
    ``known_staff`` when they are classified again (the archive's re-derivation,
    :func:`evalkit.impact.load_data`)."""
    heads = pd.Series() if units is None else units.get("head_id", pd.Series())
    return [*heads.dropna(), *staff.get("manager_id", pd.Series()).dropna()]


def _relabel(p: InputProblem, labels: npt.NDArray[Any], file: str | None) -> InputProblem:
    """``p`` at the row its frame position stands for (``labels``), in ``file``."""
    row = p.row
    if isinstance(row, int | np.integer) and 0 <= int(row) < len(labels):
        row = _plain(labels[int(row)])
    return attrs.evolve(p, row=row, file=p.file if p.file is not None else file)


def _same(a: pd.Series, b: pd.Series) -> npt.NDArray[np.bool_]:
    """Element-wise equality with blanks equal to blanks (any dtype)."""
    x = a.astype(object).to_numpy(dtype=object)
    y = b.astype(object).to_numpy(dtype=object)
    xb = np.asarray(pd.isna(x), dtype=bool)
    yb = np.asarray(pd.isna(y), dtype=bool)
    both = ~xb & ~yb
    eq = np.zeros(len(x), dtype=bool)
    if both.any():
        eq[both] = np.asarray(x[both] == y[both], dtype=bool)
    out: npt.NDArray[np.bool_] = eq | (xb & yb)
    return out


def _row_changes(
    stored: pd.DataFrame,
    before: pd.DataFrame,
    after: pd.DataFrame,
    at_row: int,
    previous: Mapping[str, Any],
    new: Mapping[str, Any],
) -> list[RowChange]:
    """The rows an amendment changes: the amended inputs, and every derived field whose
    re-derivation differs (stored value → new value), the amended person first."""
    cols = [c for c in after.columns if c not in _IDENTITY and c in before.columns]
    changed: dict[int, dict[str, tuple[Any, Any]]] = {}
    for c in cols:
        diff = ~_same(before[c], after[c])
        for i in np.flatnonzero(diff).tolist():
            old = stored[c].iloc[i] if c in stored.columns else None
            changed.setdefault(int(i), {})[c] = (_plain(old), _plain(after[c].iloc[i]))
    person = changed.pop(at_row, {})
    out = [RowChange(str(stored["staff_id"].iloc[at_row]),
                     {**previous, **{k: v[0] for k, v in person.items()}},
                     {**new, **{k: v[1] for k, v in person.items()}})]  # fmt: skip
    for i in sorted(changed, key=lambda j: str(stored["staff_id"].iloc[j])):
        fields = changed[i]
        out.append(RowChange(str(stored["staff_id"].iloc[i]),
                             {k: v[0] for k, v in fields.items()},
                             {k: v[1] for k, v in fields.items()}))  # fmt: skip
    return out


def _check_follows(staff: pd.DataFrame, units: pd.DataFrame, sets: Sequence[RuleSet],
                   file: str | None, positions: Mapping[str, Position] | None = None,
                   unit_results: pd.DataFrame | None = None,
                   in_file: bool = False) -> None:  # fmt: skip
    """Refuse results that the engine does not give for their own inputs (each position's
    maxima as ``positions`` give them): the staff rows' total and grade and, given
    ``unit_results``, every value of a unit's result (:func:`_unit_differences`).
    ``sets``: the month's rule set, or its rule sets (several workbooks' groups: each row
    under its own ``rule_set``)."""
    per = str(staff["period"].iloc[0]) if "period" in staff.columns else "?"
    rows = _row_labels(staff)
    # whose inputs: the results file's own (render), or those archived with them (finalize)
    source = msg("archive.check.inputs.file" if in_file else "archive.check.inputs.archived")
    words = Words(", ".join(s.source or s.title_vi for s in sets), ", ".join(s.id for s in sets))
    # a count of errors or delays (an adjustment's events, kept in the results for the
    # quota's tie-break) is no score to classify again from
    scored = [c.id for s in sets for c in s.criteria()
              if c.id not in {a.events for a in s.adjustments} and any(
                  f"{p}{c.id}" in staff.columns for p in ("", "self__", "manager__", "competent__"))]
    # results alone: nothing to derive from (a month nobody was scored in has no criterion
    # column to carry: its inputs, the leaves, are classified again as they are)
    anyone = "total" not in staff.columns or bool(staff["total"].notna().any())
    if not scored and "kpi" not in staff.columns and anyone:
        raise InputError([problem(msg("archive.check.no_inputs", rules=words), file=file)])
    kept = _unit_frame(unit_results) if unit_results is not None else pd.DataFrame()
    kept = _of_period(kept, per)
    inputs, units, rs = _derivation(_input_columns(staff), staff["rule_set"],
                                    {s.id: s for s in sets}.get, units,
                                    dict(zip(kept.get("unit_id", ()), kept.get("rule_set", ()),
                                             strict=True)))  # fmt: skip
    try:
        derived, derived_units = _derive_both(inputs, units, rs, per,
                                              labels=rows, file=file, positions=positions)
    except ArchiveError as exc:
        raise InputError([InputProblem((
            "the inputs in the results file" if in_file else "the archived inputs") +
            f" cannot be classified again: {exc}", file)]) from None
    problems = _not_following(staff, derived, rows, words, source, file)
    if unit_results is not None:
        problems += _unit_differences(unit_results, derived_units, words, per, file, source)
    if problems:
        raise InputError(problems)


def _not_following(staff: pd.DataFrame, derived: pd.DataFrame, rows: npt.NDArray[Any],
                   words: Words, source: Msg, file: str | None) -> list[InputProblem]:
    """A problem for each staff row whose ``total``, ``grade`` or a leader's applied
    management component ``mgmt_value`` (NĐ 335/2025 Điều 15 k3: d computed from the
    scores of the staff under the leader, which the sheet prints) is not the engine's
    (``derived``, in the same order): staff id, column, value and the derived value."""
    problems: list[InputProblem] = []
    for col in ("total", "grade", "mgmt_value"):
        if col not in staff.columns or col not in derived.columns:
            continue
        a = staff[col].reset_index(drop=True)
        b = derived[col]
        if col != "grade":
            x = pd.to_numeric(a, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
            y = pd.to_numeric(b, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
            diff = ~((np.abs(x - y) <= 1e-9) | (np.isnan(x) & np.isnan(y)))
        else:
            diff = ~_same(a.astype(object), b.astype(object))
        for i in np.flatnonzero(diff):
            problems.append(problem(msg(
                "archive.check.not_following", staff=staff["staff_id"].iloc[i],
                what=msg(f"archive.check.col.{col}"), value=or_blank(_plain(a.iloc[i])),
                derived=or_blank(_plain(b.iloc[i])), rules=words, inputs=source),
                file=file, row=int(rows[i]), column=col, value=_plain(a.iloc[i])))
    return problems


def _classifies(rs: RuleSet, period: str) -> bool:
    """Whether ``rs`` classifies ``period`` (a value that is no period: not here, the
    checks of the results say it)."""
    try:
        return rs.classifies(Period.parse(period))
    except EvalkitError:
        return False


def _marked(col: str, frame: pd.DataFrame, *, default: bool = False) -> npt.NDArray[np.bool_]:
    """``frame[col]`` as yes/no marks, as every door reads one (:func:`bool_of`); a blank
    or missing column is ``default``."""
    if col not in frame.columns:
        return np.full(len(frame), default, dtype=bool)
    codes, uniq = pd.factorize(frame[col].astype(object))  # blanks: -1, each value read once
    lut = np.array([*(default if bool_of(v)[0] < 0 else bool(bool_of(v)[0])
                      for v in uniq.tolist()), default], dtype=bool)  # fmt: skip
    out: npt.NDArray[np.bool_] = lut[np.asarray(codes, dtype=np.int64)]
    return out


def _check_scored(staff: pd.DataFrame, sets: Sequence[RuleSet], file: str | None,
                  positions: Mapping[str, Position] | None, *, in_file: bool) -> None:
    """Refuse the rows of a month scored and not classified (``classified_by_unit`` false,
    as ``evalkit score`` and ``--no-classify`` mark them; no unit inputs) that the engine
    does not give for their own inputs: each row's ``total`` and ``grade`` scored again
    (:func:`evalkit.score_frame`) from its criteria, flags and conclusion. A leader's
    management component that the rule set computes from the staff under them (NĐ
    335/2025 Điều 15 k3) is the one the engine applied when the month was scored with its
    units (``mgmt_value``); a leader whose d no engine computed (no units) cannot be
    checked without the units, and is refused at the d: such a month is classified."""
    from evalkit.scoring import management_duty, score_frame

    mine = ~_marked("classified_by_unit", staff, default=True)  # the mark score writes
    if not mine.any():
        return
    rows = _row_labels(staff)
    source = msg("archive.check.inputs.file" if in_file else "archive.check.inputs.archived")
    words = Words(", ".join(s.source or s.title_vi for s in sets), ", ".join(s.id for s in sets))
    inputs = _input_columns(staff)
    if "is_head" in staff.columns:  # a head by the units score had: it holds a management post
        inputs["is_head"] = _marked("is_head", staff)
    ids = staff["rule_set"].astype(object).to_numpy(dtype=object)
    total = (pd.to_numeric(staff["total"], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan) if "total" in staff.columns
        else np.full(len(staff), np.nan))  # fmt: skip
    applied = (pd.to_numeric(staff["mgmt_value"], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan) if "mgmt_value" in staff.columns
        else np.full(len(staff), np.nan))  # fmt: skip

    problems: list[InputProblem] = []
    derived = pd.DataFrame(index=range(len(staff)), columns=["total", "grade"], dtype=object)
    periods = (staff["period"].astype(object).to_numpy(dtype=object) if "period" in
               staff.columns else np.full(len(staff), None, dtype=object))  # fmt: skip
    for rs in sets:
        here = mine & (ids == rs.id)
        # a period the set classifies (units first, the head capped, the quota): a grade
        # only scored is no classification, and a sheet or the archive would say it is one
        graded = sorted({str(p) for p in periods[here] if isinstance(p, str) and _classifies(
            rs, p)})  # fmt: skip
        if graded:
            problems.append(problem(msg(
                "archive.check.scored_not_classified", n=int(here.sum()), period=graded[0],
                rules=Words(rs.source or rs.title_vi, rs.id)), file=file,
                column="classified_by_unit", value=False))  # fmt: skip
            mine &= ~here  # said once for them all, not again at each row
            continue
        d = rs.management.computed
        if d is not None:
            lead = here & management_duty(rs, _marked("manages_others", inputs),
                                          _marked("is_head", staff))  # fmt: skip
            if d in inputs.columns:
                typed = pd.to_numeric(inputs[d], errors="coerce").to_numpy(
                    dtype=np.float64, na_value=np.nan)  # fmt: skip
                inputs[d] = np.where(lead & ~np.isnan(applied), applied, typed)
            for i in np.flatnonzero(lead & np.isnan(applied) & ~np.isnan(total)):
                value = _plain(staff[d].iloc[i]) if d in staff.columns else None
                problems.append(problem(msg(
                    "archive.check.d_unchecked", staff=staff["staff_id"].iloc[i],
                    criterion=d, value=value, rules=Words(rs.management.source or rs.source
                                                          or rs.title_vi, rs.id)),
                    file=file, row=int(rows[i]), column=d, value=value))  # fmt: skip
        if not here.any():
            continue
        part = inputs.loc[here]
        try:
            out = score_frame(part, rs, force=True, positions=positions,
                              extra_columns=list(map(str, part.columns)))  # fmt: skip
        except InputError as exc:
            raise InputError([_relabel(q, rows[here], file) for q in exc.problems]) from None
        derived.loc[here, "total"] = out["total"].to_numpy(dtype=np.float64, na_value=np.nan)
        derived.loc[here, "grade"] = out["grade"].astype(object).to_numpy(dtype=object)
    problems += _not_following(staff.reset_index(drop=True).loc[mine].reset_index(drop=True),
                               derived.loc[mine].reset_index(drop=True), rows[mine], words,
                               source, file)  # fmt: skip
    if problems:
        raise InputError(problems)


#: Columns of a unit result that are no value of the unit (the row's place in its file).
_UNIT_NOT_COMPARED = frozenset({"row"})


def _unit_differences(given: pd.DataFrame, derived: pd.DataFrame, rules: Words, per: str,
                      file: str | None, inputs: Msg) -> list[InputProblem]:  # fmt: skip
    """A problem for each value of a unit result (``given``, the month ``per``'s rows)
    that is not what the engine gives for the archived unit inputs (``derived``), and for
    a unit result with no unit in the inputs: its unit, column, value and the expected
    value. Numbers are equal within 1e-9; a blank equals a blank (an empty text too)."""
    frame = _of_period(_unit_frame(given), per)
    if frame.empty or "unit_id" not in frame.columns:
        return []
    ids = frame["unit_id"].astype(str).to_numpy(dtype=object)
    by_id = pd.Index(derived["unit_id"].astype(str), dtype=object)
    at = by_id.get_indexer(pd.Index(ids, dtype=object))
    out: list[InputProblem] = [
        problem(msg("archive.check.unit_not_in_inputs", unit=str(ids[i])), file=file,
                column="unit_id", value=str(ids[i]))
        for i in np.flatnonzero(at < 0)]  # fmt: skip
    found = at >= 0
    if not found.any():
        return out
    mine = frame.reset_index(drop=True).loc[found].reset_index(drop=True)
    theirs = derived.iloc[at[found]].reset_index(drop=True)
    where = np.flatnonzero(found)
    for col in [str(c) for c in mine.columns
                if c in theirs.columns and c not in _UNIT_NOT_COMPARED]:  # fmt: skip
        engine: pd.Series = theirs[col]
        a: pd.Series = mine[col].astype(object)
        b: pd.Series = engine.astype(object)
        blank_a = np.asarray(pd.isna(a) | (a == ""), dtype=bool)
        blank_b = np.asarray(pd.isna(b) | (b == ""), dtype=bool)
        if (pd.api.types.is_numeric_dtype(engine)
                and not pd.api.types.is_bool_dtype(engine)):  # fmt: skip
            x = pd.to_numeric(a, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
            y = pd.to_numeric(b, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
            same = np.abs(x - y) <= 1e-9
        else:
            same = _same(a, b)
        diff = ~((blank_a & blank_b) | (same & ~blank_a & ~blank_b))
        for j in np.flatnonzero(diff):
            i = int(where[j])
            out.append(problem(msg(
                "archive.check.unit_not_following", unit=str(ids[i]), column=str(col),
                value=or_blank(_plain(a.iloc[j])), derived=or_blank(_plain(b.iloc[j])), rules=rules,
                period=per, inputs=inputs), file=file, column=str(col),
                value=_plain(a.iloc[j])))  # fmt: skip
    return out


def _amendment(db: sqlite3.Connection, aid: int) -> Amendment:
    r = db.execute("SELECT id, period, staff_id, amended_at, amended_by, reason, previous, new, "
                   "chain FROM amendments WHERE id = ?", (aid,)).fetchone()  # fmt: skip
    rows = db.execute("SELECT staff_id, previous, new FROM amendment_rows WHERE amendment_id = ?",
                      (aid,)).fetchall()  # fmt: skip
    changes = [RowChange(s, json.loads(p), json.loads(n)) for s, p, n in rows]
    changes.sort(key=lambda c: (c.staff_id != r[2], c.staff_id))
    return Amendment(r[0], Period.parse(r[1]), r[2], r[3], r[4], r[5], json.loads(r[6]),
                     json.loads(r[7]), tuple(changes), r[8] or "")  # fmt: skip


def _with_year_set(db: sqlite3.Connection, amendment: Amendment, path: str,
                   jurisdiction: str | None = None) -> Amendment:
    """``amendment`` with the set its year was classified under when it was made (what
    :meth:`Archive.amend` said): the set last recorded for the year by then, else the
    one :func:`_year_rules` gives for the person's latest month finalized by then."""
    year = amendment.period.year
    _recorded_year(db, year, path)  # the record checked against its seal
    found = db.execute("SELECT rule_set FROM year_rule_sets WHERE year = ? AND (amendment < ? "
                       "OR amendment IS NULL AND recorded_at <= ?) ORDER BY id DESC LIMIT 1",
                       (year, amendment.id, amendment.amended_at)
                       ).fetchone() if _has_year_sets(db) else None  # fmt: skip
    if found is not None:
        return attrs.evolve(amendment, year_rule_set=str(found[0]), year_rule_set_recorded=True)
    rs = _year_rules(db, str(amendment.period), amendment.staff_id, None, None,
                     amendment.amended_at, jurisdiction)
    return amendment if rs is None else attrs.evolve(amendment, year_rule_set=rs.id)


# =========================================================================== the year

_YEAR_COLUMNS = ("staff_id", "total", "reasons", "discipline", "leave")
#: The input flags a month's results keep (evalkit.scoring.INPUT_FLAGS) that the year
#: reads: a disqualifier in any month hits the year, as the month's own rule set tests it.
_YEAR_FLAGS = ("degradation", "party_discipline", "discipline_related_to_duty",
               "corruption_in_unit", "late_files", "apologies", "inspection_findings",
               "manages_others")  # fmt: skip
_PERSON_COLUMNS = ("staff_id", "unit_id", "rule_set", "score_grade", "grade", "full_name",
                   "is_head", "duty_group", "category")


def _columns(rows: Sequence[tuple[Any, ...]], names: Sequence[str]) -> dict[str, npt.NDArray[Any]]:
    """Rows as one object array per column (one C-level transpose)."""
    table = np.empty((len(rows), len(names)), dtype=object)
    if rows:
        table[:] = rows  # one C pass; the columns are views
    return {n: table[:, j] for j, n in enumerate(names)}


def _write_changes(columns: Mapping[str, npt.NDArray[Any]],
                   rows: Sequence[tuple[int | None, Mapping[str, Any]]]) -> None:  # fmt: skip
    """Write amended values into object ``columns`` in place: (row, new values) in the
    order they were recorded (a later amendment wins); a row of ``None`` is not there."""
    for i, new in rows:  # one amended row at a time, not one per result
        if i is not None:
            for key, value in new.items():
                if key in columns:
                    columns[key][i] = value


def _classifies_quarter(sets: str, per: str,
                        find: Callable[[str], RuleSet | None] = lambda _r: None) -> bool:
    """Whether a month under the rule sets ``sets`` (ids, comma-separated) is in a quarter
    one of them classifies (customs from Q3/2026): the year counts that quarter's concluded
    grade, so the quarter is classified from its months (their units and heads). A set that
    cannot be loaded here counts as one (its person part is read: slower, never wrong)."""
    from evalkit import rules as _rules

    p = Period.parse(per)
    if p.kind != "month":
        return False
    for rid in filter(None, sets.split(",")):
        try:
            if (find(rid) or _rules.get(rid)).classifies(str(p.quarter_of())):
                return True
        except EvalkitError:
            return True
    return False


def _caps_of_the_year(sets: str, per: str,
                      find: Callable[[str], RuleSet | None] = lambda _r: None) -> bool:
    """Whether a month under the rule sets ``sets`` (ids, comma-separated) may hold a flag
    its reason codes do not carry: a cap that applies to the year but not to the month —
    one of the year's classification only (``periods``), or dated so that the year's end
    is inside its dates and the month is not (NĐ 48/2023 from 15/9/2023). A month carries
    a cap's code only where the cap applies (:func:`evalkit._kernels.apply_caps`). A set
    that cannot be loaded here counts as one (its flags are read: slower, never wrong); so
    does a month or quarter whose set caps deputies (customs: who manages others is read), and a
    set that no longer covers one of its categories at the year's end: the year of such a
    person is under the set then in force (a viên chức's 2026 under NĐ 233/2026 after Hà
    Nội QĐ 3814 or NĐ 90/2020 months, as :func:`evalkit.classify_year` decides), which
    judges the month's flags and discipline itself, not the month's codes."""
    from evalkit import rules as _rules

    p = Period.parse(per)
    for rid in filter(None, sets.split(",")):
        try:
            rs = find(rid) or _rules.get(rid)
        except EvalkitError:
            return True
        if not all(rs.covers(c, f"{p.year}-12") for c in rs.categories):
            return True  # the year may be under the set in force at its end
        if rs.units.deputy_capped_at_head_when_late:  # its quarter (and the year) caps
            return True  # deputies: who manages others is read
        for c in rs.caps:
            if c.enabled and c.reaches("year") and c.scope.covers(None, str(p.year)) and (
                    not c.reaches(p.kind) or not c.scope.covers(None, p)):
                return True
    return False


def _flag_columns(db: sqlite3.Connection, monthly: Mapping[str, npt.NDArray[Any]],
                  uniform: bool, path: str, checked: set[str],
                  every_row: Sequence[str] = ()
                  ) -> tuple[dict[str, npt.NDArray[Any]], npt.NDArray[np.bool_]]:  # fmt: skip
    """The flags the person-months' documents carry, read (by SQLite) only where the
    month's reason codes cannot stand for them: a month without a score (it has no codes),
    every row of the months ``every_row`` (under a cap of the year the month does not
    carry: :func:`_caps_of_the_year`) and a discipline in a month under another rule set
    than the person's year (whether it related to the duties decides under NĐ 233). A
    month read from is checked against
    its documents' seal first; elsewhere a disqualifier that hit the month is in its
    codes, which the year reads. ``uniform``: every person-month is under one and the
    same rule set (then no month is under another set than its person's year). Only the
    flags read are returned: a flag no month's document was read for is blank all year,
    and the year leaves a blank flag out (as an absent one). Also returned: the
    person-months whose documents were read."""
    n = len(monthly["staff_id"])
    columns: dict[str, npt.NDArray[Any]] = {}
    if not n:
        return columns, np.zeros(0, dtype=bool)
    need = np.isnan(monthly["total"])
    periods = monthly["period"]
    if len(every_row):
        need |= pd.Index(periods, dtype=object).isin(list(every_row))
    if not uniform:
        frame = pd.DataFrame({c: monthly[c] for c in ("staff_id", "rule_set", "discipline")})
        year_set = frame.groupby("staff_id", sort=False)["rule_set"].transform("last")
        disc = pd.to_numeric(frame["discipline"], errors="coerce").fillna(0).to_numpy() != 0
        need |= disc & (frame["rule_set"] != year_set).to_numpy(dtype=bool)
    for per in pd.unique(periods[need]):
        first = db.execute("SELECT data FROM results WHERE period = ? LIMIT 1",
                           (per,)).fetchone()  # fmt: skip
        flags = [f for f in _YEAR_FLAGS if first and f in json.loads(first[0])]
        if not flags:
            continue
        _check_documents(db, str(per), path, checked)
        rows = np.flatnonzero(need & (periods == per))
        sql = ", ".join(f"json_extract(data, '$.{f}')" for f in flags)
        marks = ",".join("?" * len(rows))
        ids = monthly["staff_id"][rows].tolist()
        if per in every_row:  # the whole month: no list of ids (SQLite's variable limit)
            got = db.execute(f"SELECT staff_id, {sql} FROM results WHERE period = ?",
                             (per,)).fetchall()  # fmt: skip
        else:
            got = db.execute(f"SELECT staff_id, {sql} FROM results WHERE period = ? AND "
                             f"staff_id IN ({marks})", (per, *ids)).fetchall()  # fmt: skip
        by_id = {r[0]: r[1:] for r in got}
        for j, f in enumerate(flags):
            if f not in columns:
                columns[f] = np.full(n, None, dtype=object)
            columns[f][rows] = [by_id.get(i, (None,) * len(flags))[j] for i in ids]
    return columns, need


def _check_documents(db: sqlite3.Connection, per: str, path: str, checked: set[str]) -> None:
    """Check a month's documents against its seal once in a read (``checked``: the months
    checked so far in the same transaction, which sees the file as it was at its start)."""
    if per not in checked:
        _raise_if(_check_month(db, per, parts=("data",), numbering=False), path)
        checked.add(per)


def _year_rows(db: sqlite3.Connection, pers: Sequence[str], path: str, checked: set[str],
               named: str | None = None,
               find: Callable[[str], RuleSet | None] = lambda _r: None,
               ) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """The year as :meth:`Archive.annual` reads it, each part checked against its month's
    seal on the very rows read, amendments applied, column at a time (``named``: the id of
    the one set the year is classified under, when one is named: a month under another set
    has its flags read, as that set judges them, not its own set's codes; ``find``: the
    months' kept sets, by id, before the registered ones):

    * every person-month: ``period``, ``staff_id``, ``total``, ``reasons``,
      ``discipline``, ``leave``, ``rule_set``, ``is_head``, ``grade`` (a quarter's
      concluded grade, else blank), the flags read from its documents
      (:func:`_flag_columns`) and, where a month's person part is read (a month of
      several groups, or of a quarter its set classifies), ``unit_id`` and ``category``
      (blank elsewhere);
    * each person's latest month of the year (indexed by staff id): unit, rule set,
      grades, name, head, duty group, category.

    The year's rows go into one object table, which the amendments are written into
    (a month's rows found by a dict of its ids); the frame is built once from it.
    """
    changes = _changes(db, pers)
    by_month: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for p, s, new in changes:
        by_month.setdefault(p, []).append((s, new))
    person_rows: dict[str, list[tuple[Any, ...]]] = {}
    year_rows: list[tuple[Any, ...]] = []
    starts = [0]
    month_sets: list[str] = []  # each month's rule set(s), as its record names them
    for per in pers:
        rows = _part_rows(db, per, "year")
        sets = db.execute("SELECT rule_set FROM months WHERE period = ?",
                          (per,)).fetchone()[0] or ""  # fmt: skip
        several = "," in sets  # else every row is under the month's one set
        # a month of a quarter its set classifies (customs): the quarter is classified
        # before the year counts it, in the person's unit of the month, with its heads
        if several or _classifies_quarter(sets, per, find):
            person_rows[per] = _part_rows(db, per, "person")
        # the unit inputs are checked too: the unit results the year reads follow from
        # them (finalize refuses any that do not), and they are a few rows a month
        has_person = per in person_rows
        _raise_if(_check_month(db, per, parts=("year", "unit", "input",
                                               *(("person",) if has_person else ())),
                               given={"year": rows, **({"person": person_rows[per]}
                                                       if has_person else {})}), path)  # fmt: skip
        year_rows += rows
        starts.append(len(year_rows))
        month_sets.append(sets)
    n = len(year_rows)
    columns: dict[str, Any] = _columns(year_rows, _YEAR_COLUMNS)
    del year_rows
    # each month's own rule set (its record's one set, else the person part checked
    # above) and, where the person part was read, who headed a unit that month
    rule_set = np.full(n, None, dtype=object)
    is_head = np.full(n, None, dtype=object)
    # the month's unit and category, where the person part is read
    unit_id, category = np.full(n, None, dtype=object), np.full(n, None, dtype=object)
    for k, per in enumerate(pers):
        if per in person_rows:
            got = _columns(person_rows[per], _PERSON_COLUMNS)
            rule_set[starts[k] : starts[k + 1]] = got["rule_set"]
            is_head[starts[k] : starts[k + 1]] = got["is_head"]
            unit_id[starts[k] : starts[k + 1]] = got["unit_id"]
            category[starts[k] : starts[k + 1]] = got["category"]
        else:
            rule_set[starts[k] : starts[k + 1]] = month_sets[k] or None
    columns["rule_set"], columns["is_head"] = rule_set, is_head
    if person_rows:
        columns["unit_id"], columns["category"] = unit_id, category
    # a quarter's concluded grade (after its caps, conclusion and quota): a year counted
    # over quarters counts it, as classify_year does (the person part, checked on its seal)
    columns["grade"] = np.full(n, None, dtype=object)
    for k, per in enumerate(pers):
        if Period.parse(per).kind == "quarter":
            if per not in person_rows:
                person_rows[per] = _part_rows(db, per, "person")
                _raise_if(_check_month(db, per, parts=("person",), given={
                    "person": person_rows[per]}, numbering=False), path)  # fmt: skip
            got = _columns(person_rows[per], _PERSON_COLUMNS)
            at = pd.Index(got["staff_id"], dtype=object).get_indexer(
                columns["staff_id"][starts[k] : starts[k + 1]])
            columns["grade"][starts[k] : starts[k + 1]] = np.where(at >= 0, got["grade"][at], None)
    # a quarter's months worked and carried in, as its document says them (blank: all of it,
    # none), which the year counts as classify_year does (docs/periods.md); checked first
    quarters = [k for k, per in enumerate(pers) if Period.parse(per).kind == "quarter"]
    for c in ("months_worked", "carried_months") if quarters else ():
        columns[c] = np.full(n, None, dtype=object)
    for k in quarters:
        _check_documents(db, pers[k], path, checked)
        worked = {s: (w, c) for s, w, c in db.execute(
            "SELECT staff_id, json_extract(data, '$.months_worked'), json_extract(data, "
            "'$.carried_months') FROM results WHERE period = ?", (pers[k],))}  # fmt: skip
        for j, c in enumerate(("months_worked", "carried_months")):
            columns[c][starts[k] : starts[k + 1]] = [
                worked.get(s, (None, None))[j] for s in columns["staff_id"][starts[k] : starts[k + 1]]]
    amended: list[tuple[int | None, Mapping[str, Any]]] = []  # (row, new values), in order
    for k, per in enumerate(pers):
        if per in by_month:
            ids = columns["staff_id"][starts[k] : starts[k + 1]].tolist()
            at = dict(zip(ids, range(starts[k], starts[k + 1]), strict=True))
            amended += [(at.get(s), new) for s, new in by_month[per]]
    _write_changes(columns, amended)
    amended_sets = any("rule_set" in new for _p, _s, new in changes)
    try:  # SQLite's REAL or NULL: NumPy reads None as NaN
        columns["total"] = columns["total"].astype(np.float64)
    except (TypeError, ValueError):
        columns["total"] = pd.to_numeric(columns["total"], errors="coerce").astype(np.float64)
    plain = not person_rows and not amended_sets  # each month under its record's sets
    one = len(set(month_sets)) == 1 and month_sets[0] and "," not in month_sets[0]
    # a month under an earlier content of its set than the year's (a preset amended later in
    # the year): its own, by its own key (:func:`_kept_sets`); its flags read, as the year's
    # content judges them, not its codes
    own = {k: [r for r in sets.split(",") if find(_own_key(r, per)) is not None]
           for k, (per, sets) in enumerate(zip(pers, month_sets, strict=True))}  # fmt: skip
    year_caps = [per for k, (per, sets) in enumerate(zip(pers, month_sets, strict=True))
                 if _caps_of_the_year(sets, per, find) or (named is not None and sets != named)
                 or own[k]]  # fmt: skip
    read, need = _flag_columns(db, {"period": np.repeat(np.asarray(pers, dtype=object),
                                                        np.diff(starts)), **columns},
                               bool(plain and one), path, checked, year_caps)  # fmt: skip
    for i, typed in amended:  # a flag amended in a month whose documents carry none of it
        read.update({f: np.full(n, None, dtype=object) for f in typed if f in _YEAR_FLAGS
                     and f not in read and i is not None and need[i]})  # fmt: skip
    _write_changes(read, amended)  # the documents' flags as amended (a month on leave)
    columns.update(read)
    # a scored month whose documents were not read: its reason codes stand for what its
    # own rule set concluded from the discipline, with whether it related to the duties
    # (NĐ 335/2025 Điều 20 k4 c) — its level alone would be judged again without that
    columns["discipline"] = np.where(need, columns["discipline"], None)
    lengths = np.diff(starts)
    month_of_row = np.repeat(np.arange(len(pers)), lengths)
    # a value per month (the period, the month's one rule set): Arrow text by one take,
    # when every month has a row (else the frame infers from what its rows hold)
    keyed: dict[str, Any] = {"period": np.asarray(pers, dtype=object),
                             **({"rule_set": np.asarray([s or None for s in month_sets],
                                                        dtype=object)} if plain else {})}
    for name, each in keyed.items():
        columns[name] = (pd.Series(each).array.take(month_of_row) if lengths.all()
                         else each[month_of_row])  # fmt: skip
    if any(own.values()):
        labels = np.asarray(columns["rule_set"], dtype=object).copy()
        for k, rids in own.items():
            mine = labels[starts[k] : starts[k + 1]]  # (a view: written in place)
            for r in rids:
                mine[mine == r] = _own_key(r, pers[k])
        columns["rule_set"] = labels
    # a person is their normal id (evalkit._ids), as finalize stores it: a month archived
    # before with 'S1 ' or 'S1\u200b' is the same person as 'S1' (the reads above and the
    # amendments keep the ids as stored)
    columns["staff_id"] = _normal_ids(columns["staff_id"])
    order = ("period", *_YEAR_COLUMNS, "rule_set", "is_head")
    monthly = pd.DataFrame({c: columns[c] for c in (*order, *(c for c in columns
                                                               if c not in order))})
    # months are read in order: a person's last row is their latest month
    staff = columns["staff_id"]
    last = np.flatnonzero(~monthly["staff_id"].duplicated(keep="last").to_numpy(dtype=bool))
    month_of = month_of_row[last]
    people: list[pd.DataFrame] = []
    for k in np.unique(month_of):
        per = pers[k]
        if per not in person_rows:
            person_rows[per] = _part_rows(db, per, "person")
            _raise_if(_check_month(db, per, parts=("person",),
                                   given={"person": person_rows[per]},
                                   numbering=False), path)  # fmt: skip
        got = _columns(person_rows[per], _PERSON_COLUMNS)
        # the person part has the year part's rows, in the same (key) order
        wanted = last[month_of == k]
        keep = np.zeros(len(got["staff_id"]), dtype=bool)
        local = wanted - starts[k]
        month_ids = got["staff_id"]  # as stored: the amendments name them so
        normal = _normal_ids(month_ids)
        if (len(month_ids) == starts[k + 1] - starts[k]
                and (normal[local] == staff[wanted]).all()):  # fmt: skip
            keep[local] = True
        else:  # not the same rows: by id
            keep = pd.Index(normal, dtype=object).isin(staff[wanted])
        if per in by_month:  # the amendments of the rows kept, in order
            at = dict(zip(month_ids[keep].tolist(), np.flatnonzero(keep).tolist(),
                          strict=True))  # fmt: skip
            _write_changes(got, [(at.get(s), new) for s, new in by_month[per]])
        got["staff_id"] = normal
        month_frame = pd.DataFrame(got)
        month_frame.insert(0, "period", per)
        people.append(month_frame[keep])
    person = pd.concat(people, ignore_index=True) if people else pd.DataFrame(
        columns=["period", *_PERSON_COLUMNS])  # fmt: skip
    _mark_heads(db, monthly, staff, person.set_index("staff_id"),
                [(per, starts[k], starts[k + 1]) for k, per in enumerate(pers)
                 if per not in person_rows])  # fmt: skip
    return monthly, person.set_index("staff_id")


def _mark_heads(db: sqlite3.Connection, monthly: pd.DataFrame, ids: npt.NDArray[Any],
                person: pd.DataFrame, months: Sequence[tuple[str, int, int]]) -> None:
    """Mark in ``monthly`` (its staff ``ids``) who headed a unit in each of ``months``
    (period, first and end row; its person part not read): the unit results' ``head_id``,
    checked with the unit part. The year's caps for leaders reach a head in any month and
    its head cap a head of the year's unit in any month
    (:func:`evalkit._classify.year.rollup_frame`), as on the frames. A month's rows are in
    key order: a head is found by a binary search, checked (by id otherwise). The heads'
    units are written only where someone headed a unit they do not head in their latest
    month (the rest need none)."""
    rows, units = [], []
    for per, first, end in months:
        found = db.execute("SELECT json_extract(data, '$.head_id'), unit_id FROM unit_results "
                           "WHERE period = ?", (per,)).fetchall()  # fmt: skip
        # a head id kept as a number (7: a units frame read back by pd.read_csv) is its text
        heads = _normal_ids([str(h) if isinstance(h, int) else h for h, _u in found])
        known = np.array([h is not None for h in heads], dtype=bool)
        if not known.any() or end == first:
            continue
        heads, found = heads[known], [f for f, k in zip(found, known, strict=True) if k]
        at = first + np.minimum(np.searchsorted(ids[first:end], heads), max(end - first - 1, 0))
        ok = ids[at] == heads
        for i in np.flatnonzero(~ok):  # not in order (or not there): by id
            hit = first + np.flatnonzero(ids[first:end] == heads[i])
            at[i], ok[i] = (hit[0], True) if hit.size else (at[i], False)
        rows.append(at[ok])
        units.append(np.array([u for _h, u in found], dtype=object)[ok])
    if not rows:
        return
    at, unit = np.concatenate(rows), np.concatenate(units)
    is_head = monthly["is_head"].to_numpy(dtype=object).copy()
    is_head[at] = True
    monthly["is_head"] = is_head
    latest = person.reindex(pd.Index(ids[at], dtype=object))
    now = latest["is_head"].isin([True, 1]).to_numpy(dtype=bool) & (
        _normal_ids(latest["unit_id"]) == _normal_ids(unit))
    if not now.all() or "unit_id" in monthly.columns:
        have = (monthly["unit_id"].to_numpy(dtype=object).copy() if "unit_id" in monthly.columns
                else np.full(len(monthly), None, dtype=object))  # fmt: skip
        have[at] = unit
        monthly["unit_id"] = have


def _case_twins_of(sid: str, normal: npt.NDArray[Any]) -> list[str]:
    """The ids of ``normal`` (stored ids, :func:`_normal_ids`) that differ from ``sid``
    only in upper and lower case, as the workbook finds its case twins
    (:func:`evalkit._ids.case_twins`), in the month's order: at most two.

    >>> _case_twins_of("nv-a", np.array(["NV-B", "NV-A", "Nv-A", "NV-A"], dtype=object))
    ['NV-A', 'Nv-A']
    """
    ids = pd.Series([sid, *pd.unique(pd.Series(normal, dtype=object).dropna())], dtype=object)
    return [str(ids[at]) for at, first in _ids.case_twins(ids) if first == 0][:2]


def _normal_ids(ids: Any) -> npt.NDArray[Any]:
    """Stored staff ids as every door compares them (:func:`evalkit._ids.normal_id`)."""
    col = pd.Series(np.asarray(ids, dtype=object), dtype=object)
    return np.asarray(_ids.normal_id_column(col).to_numpy(dtype=object), dtype=object)


def _unit_scores(db: sqlite3.Connection, pers: Sequence[str],
                 amended: Callable[[str], pd.DataFrame]) -> pd.DataFrame:  # fmt: skip
    """The units' archived months, as :func:`evalkit.units.classify_year` grades a unit's
    year from them: score, tree, task counts and shares, discipline flags, reasons. A
    month whose amendment changed a unit's result (a leader's discipline under QĐ
    366-QĐ/TW Điều 11 k1) has its units as ``amended(period)`` derives them."""
    marks = ",".join("?" * len(pers))
    paths = ", ".join(f"json_extract(data, '$.{f}')" for f in _UNIT_YEAR_FIELDS)
    rows = db.execute(f"SELECT period, unit_id, {paths} FROM unit_results "
                      f"WHERE period IN ({marks})", list(pers)).fetchall()  # fmt: skip
    frame = pd.DataFrame(rows, columns=["period", "unit_id", *_UNIT_YEAR_FIELDS])
    if redo := sorted({p for p, _s, new in _changes(db, pers) if "unit_grade" in new}):
        frame = pd.concat([frame[~frame["period"].isin(redo)], *(amended(p).assign(period=p)
                           .reindex(columns=frame.columns) for p in redo)], ignore_index=True)
    for col in _UNIT_YEAR_FIELDS[3:11]:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(np.float64)
    for col in _UNIT_YEAR_FIELDS[11:]:
        frame[col] = frame[col].isin([1, True])
    return frame.drop(columns=[c for c in _UNIT_YEAR_FIELDS if frame[c].isna().all()])


def _amended_units(db: sqlite3.Connection, per: str, find: Callable[[str], RuleSet | None],
                   path: str, checked: set[str]) -> pd.DataFrame:  # fmt: skip
    """The unit results of an amended month as the engine derives them from its inputs,
    amendments applied (the month's documents checked against its seal first), as
    :meth:`Archive.amend` derived them."""
    _check_documents(db, per, path, checked)
    month = _month_frame(db, per)
    staff, units, rs = _derivation(_input_columns(month), month["rule_set"],
                                   lambda r: find(r) or _rule_set(r, None),
                                   _inputs_frame(db, per), _unit_sets(db, per))
    return _derive_both(staff, units, rs, per)[1]


#: what the year reads of a unit's archived month (json fields of ``unit_results.data``);
#: ``classified`` tells a results row (its flags the engine wrote) from a typed one; the
#: month's ``rule_set`` is the unit's own set, which the year grades it under as
#: classify_year does from the month's unit results (a unit mixing categories)
_UNIT_YEAR_FIELDS = ("parent_id", "rule_set", "reasons", "score", "done_percent",
                     "exceeded_percent", "tasks_assigned", "tasks_done", "tasks_exceeded", "tasks_on_time",
                     "on_time_percent", "exceptional",
                     "disciplined", "leadership_disciplined", "late_work",
                     "public_service_unit", "shortcomings_unremedied",
                     "personnel_wrongdoing", "leadership_duty_disciplined",
                     "leadership_degraded", "socioeconomic_targets_missed",
                     "excellent_share_raised", "classified")  # fmt: skip


def _tied(year: pd.DataFrame) -> list[str]:
    """The quota candidates whose grade the order among equal totals decides: in a group
    where the last one kept and the first one demoted share the total, everyone with that
    total (elsewhere the next tie-break keys change no grade)."""
    if "quota_rank" not in year.columns or "quota_group" not in year.columns:
        return []
    cand = year[year["quota_rank"].to_numpy() > 0]
    if not len(cand):
        return []
    total = (cand["total"] if "total" in cand.columns else cand["annual_total"]).round(6)
    group = cand["quota_group"].astype(np.int64)
    demoted = cand["reasons"].astype(str).str.contains("quota.demoted", regex=False)
    low_kept = total[~demoted].groupby(group[~demoted]).min()
    high_out = total[demoted].groupby(group[demoted]).max()
    both = pd.concat([low_kept, high_out], axis=1, keys=["kept", "out"]).dropna()
    edge: pd.Series = both.loc[both["kept"] == both["out"], "kept"]
    hit = group.map(edge).to_numpy(dtype=np.float64) == total.to_numpy(dtype=np.float64)
    return sorted(cand["staff_id"].astype(str)[hit].tolist())


def _tie_columns(db: sqlite3.Connection, pers: Sequence[str], ids: list[str],
                 path: str, checked: set[str],
                 find: Callable[[str], RuleSet | None] = lambda _r: None,
                 ) -> pd.DataFrame | None:  # fmt: skip
    """``points_*``, the deduction inputs and ``competent_order`` of ``ids`` in ``pers``
    from the months' documents (each month's document part checked against its seal
    first; amended rows take the amendment's values); None when there is nothing to read."""
    if not ids:
        return None
    from evalkit import rules as _rules

    wanted = set(ids)
    changes = [(p, s, new) for p, s, new in _changes(db, pers) if s in wanted]
    parts: list[pd.DataFrame] = []
    marks = ",".join("?" * len(ids))
    for per in pers:
        _check_documents(db, per, path, checked)
        recs = [json.loads(data) for (data,) in db.execute(
            f"SELECT data FROM results WHERE period = ? AND staff_id IN ({marks})",
            (per, *ids))]  # fmt: skip
        if recs:
            part = _apply(pd.DataFrame.from_records(recs),
                          [(s, n) for p, s, n in changes if p == per])  # fmt: skip
            parts.append(part.assign(period=per))
    if not parts:
        return None
    frame = pd.concat(parts, ignore_index=True)
    ded: set[str] = set()
    for rid in (pd.unique(frame["rule_set"].dropna().astype(str))
                if "rule_set" in frame.columns else ()):  # fmt: skip
        try:
            ded.update((find(rid) or _rules.get(rid)).deduction_inputs())
        except EvalkitError:
            continue
    cols = [c for c in frame.columns if isinstance(c, str) and (
        c.startswith("points_") or c in ded or c == "competent_order")]  # fmt: skip
    if not cols:
        return None
    out = frame[["period", "staff_id", *cols]].copy()
    for c in cols:
        out[c] = pd.to_numeric(out[c], errors="coerce")
    return out


def _classify_year(
    monthly: pd.DataFrame,
    person: pd.DataFrame,
    unit_monthly: pd.DataFrame | None,
    unit_year: pd.DataFrame | None,
    rules: RuleSet | str | None,
    year: int,
    conclusions: pd.DataFrame | None = None,
    ties: Callable[[list[str]], pd.DataFrame | None] | None = None,
    force: bool = False,
    kept_sets: Mapping[str, RuleSet] | None = None,
    jurisdiction: str | None = None,
) -> pd.DataFrame:
    """Roll up and classify the year per annual rule set (each person's latest month's).

    ``kept_sets``: the sets the archive kept for the months' ids (:func:`_kept_sets`), found by
    the rows' id before the registered ones.

    ``ties(ids)`` gives the months' task points, deduction counts and order of the quota
    candidates ``ids`` who tie on the total (read from the months' documents, checked
    against their seals, only when there is a tie): the quota's next tie-break keys.

    ``monthly`` has a row per person-month, ``person`` a row per person (their latest
    month, indexed by staff id). The one place that calls the engine's year."""
    from evalkit import rules as _rules
    from evalkit.units import classify_year, rollup_frame

    m = monthly.assign(leave=monthly["leave"].astype(object).where(monthly["leave"].notna(), ""))
    m.attrs["rule_sets"] = dict(kept_sets or {})
    # the flags each month kept (months finalized before they were kept: their reason
    # codes count instead, as the month's rule set gave them)
    flags = [f for f in ("discipline", *_YEAR_FLAGS)
             if f in m.columns and m[f].notna().any()]  # fmt: skip
    # the periods' concluded grades: a year counted over quarters counts them, as
    # classify_year does from the quarters' results (never their bands alone)
    kept = ["staff_id", "period", "total", "grade", "leave", "reasons", "rule_set", *flags]
    kept += [c for c in ("is_head",) if m[c].notna().any()]  # a leader's cap in any month
    kept += [c for c in ("months_worked", "carried_months") if c in m.columns]  # a quarter's
    if "unit_id" in m.columns:  # months of classified quarters: each month's own unit
        m["unit_id"] = m["unit_id"].where(m["unit_id"].notna(), person["unit_id"].reindex(
            m["staff_id"]).to_numpy(dtype=object))  # fmt: skip
        kept.append("unit_id")
    # the staff category (the rules' own categories: a contract worker's year): each month's
    # where its person part is read, else the latest month's — the year reads the last
    # period's; NULL (none given) is none, as a frame without the column
    latest = person["category"].reindex(m["staff_id"]).to_numpy(dtype=object)
    m["category"] = m["category"].where(m["category"].notna(), latest) \
        if "category" in m.columns else latest
    kept += [c for c in ("category",) if m[c].notna().any()]
    last = person
    given: RuleSet | None = _rules.get(rules) if isinstance(rules, str) else rules
    named = m["rule_set"] if "rule_set" in m.columns else last["rule_set"]
    if given is not None and given.id not in _rules.default_registry() and bool(
            (named.astype(object) == given.id).any()):  # fmt: skip
        # an agency's rule file some months were finalized with: found by its id, each
        # person under their own set (a viên chức beside it keeps NĐ 233; one whose months
        # of January–June were under the file and July's on, NĐ 233's), as classify found
        # it (docs/cli.md, "An agency's rule file")
        m.attrs["rule_sets"], given = {**m.attrs["rule_sets"], given.id: given}, None
    if given is not None:
        annual_ids = pd.Series(given.id, index=last.index, dtype=object)
    else:
        annual_ids = last["rule_set"].astype(object)
        blank = annual_ids.isna()
        if blank.any():
            raise ArchiveError(f"no rule set is archived for staff "
                               f"{', '.join(map(repr, annual_ids.index[blank][:5]))} in "
                               f"{year}; pass rules=...")  # fmt: skip
    # each month under its own rule set (the year's: the person's latest month's, or the
    # set in force at the year's end), unless one set is named for everyone — the engine
    # decides, as classify_year does for frames
    # the units' months: classify_year grades each unit's year (score, conditions)
    uy = unit_year if unit_year is not None else unit_monthly
    # the year's: the grades given for the year beside the months (a unit given keeps its
    # grade, one not given is graded from its months, and a row without parent_id or
    # public_service_unit keeps the months' tree, as classify_year reads its unit rows)
    year_units = uy
    if unit_year is not None and unit_monthly is not None and len(unit_monthly):
        year_units = pd.concat([unit_monthly, unit_year if "period" in unit_year.columns
                                else unit_year.assign(period=str(year))])  # fmt: skip
    for frame in {id(f): f for f in (uy, year_units) if f is not None}.values():
        # a unit month's set is found as its people's are: the contents the archive kept
        # and an agency's file named for the year (its rule_set read back since af213)
        frame.attrs["rule_sets"] = {**(frame.attrs.get("rule_sets") or {}), **m.attrs["rule_sets"]}

    # a year counted over quarters, given months: the quarters are classified first (each
    # quarter's head cap and quota), as classify_year classifies them from the same months;
    # candidates tied on a quarter's total: again with their months' next tie-break keys
    def quarters(months: pd.DataFrame, rs: RuleSet | str | None) -> pd.DataFrame:
        out = classify_year(months, uy, rs, to="quarter", force=force, jurisdiction=jurisdiction)
        if ties is None or (more := ties(_tied(out))) is None:
            return out
        return classify_year(months.merge(more, on=["period", "staff_id"], how="left"), uy, rs,
                             to="quarter", force=force, jurisdiction=jurisdiction)  # fmt: skip

    sy = rollup_frame(m[kept], given, force=force, quarters=quarters, jurisdiction=jurisdiction)
    info = last.loc[sy["staff_id"]]
    for col in ("unit_id", "full_name", "duty_group"):
        sy[col] = info[col].to_numpy(dtype=object)
    sy["is_head"] = info["is_head"].astype(object).isin([True, 1]).to_numpy(dtype=bool) \
        | (sy["is_head"].to_numpy(dtype=bool) if "is_head" in sy.columns else False)
    out = classify_year(sy, year_units, given, conclusions=conclusions, force=force,
                        jurisdiction=jurisdiction)
    shown = set(out.columns)  # (a column read for the tied only is not: see drop below)
    tied: list[str] = []
    if ties is not None:  # candidates tied on the total: the next keys from their documents
        tied = _tied(out)
        more = ties(tied)
        if more is not None:  # their months rolled up by the engine give their year's keys
            mine = m[kept][m["staff_id"].astype(str).isin(set(tied)).to_numpy()]
            keys = rollup_frame(mine.merge(more, on=["period", "staff_id"], how="left"), given,
                                force=force, jurisdiction=jurisdiction)
            cols = [c for c in more.columns if c in keys.columns and c not in ("period",
                                                                               "staff_id")]
            at = pd.Index(sy["staff_id"].astype(str)).get_indexer(
                pd.Index(keys["staff_id"].astype(str)))
            for c in cols:
                values = np.full(len(sy), np.nan)
                values[at] = pd.to_numeric(keys[c], errors="coerce").to_numpy(np.float64)
                sy[c] = values
            # the deductions the months' sets counted, whatever the year's (quota.tie_keys)
            sy.attrs["deduction_inputs"] = keys.attrs["deduction_inputs"]
            out = classify_year(sy, year_units, given, conclusions=conclusions, force=force,
                                jurisdiction=jurisdiction)
    out["rule_set"] = out["rule_set"].astype(object)
    for col in ("total", "grade"):  # the engine may name them for the year itself
        if f"annual_{col}" not in out.columns:
            out = out.rename(columns={col: f"annual_{col}"})
    first = ["staff_id", "full_name", "unit_id", "annual_total", "annual_grade", "reasons",
             "rule_set"]  # fmt: skip
    # who manages others is read from the documents only where a month needs it (its
    # reasons carry what it concluded): a column read for some months only would say False
    # for leaders, so it is left out rather than shown wrong (docs/cli.md, annual); so are
    # the tie-break's keys read for the tied candidates only (blank for everyone else)
    partial = "manages_others" not in m.columns or bool(m["manages_others"].isna().any())
    read = [c for c in out.columns if c not in shown]
    tie_inputs = out.loc[out["staff_id"].astype(str).isin(set(tied)).to_numpy(),
                         ["staff_id", *read]]  # fmt: skip
    drop = [*(["manages_others"] if partial else []), *read]
    out = out[first + [c for c in out.columns if c not in first and c not in drop]]
    out = out.reset_index(drop=True)
    if read:  # ... kept beside the table with the deductions their months' sets counted:
        # what the quota compared (quota.tie_keys), for evalkit.workflow.quota_tie_notices
        _tables.attach(out, "tie_inputs", tie_inputs.reset_index(drop=True))
        out.attrs["deduction_inputs"] = sy.attrs.get("deduction_inputs", ())
    out.attrs["period"] = str(year)
    out.attrs["rule_set"] = ",".join(sorted(set(out["rule_set"].unique())))
    return out
