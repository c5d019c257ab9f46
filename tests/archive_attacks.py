"""Attacks on an archive file, shared by the tests and ``benchmarks/archive_reliability.py``.

* :data:`TAMPERING`: every statement issue 16 names — ``INSERT OR REPLACE`` and UPSERT on
  each table, a plain INSERT into a finalized month, UPDATE and DELETE — run with a plain
  ``sqlite3`` connection (``recursive_triggers`` off, SQLite's default, and on), and edits
  made after dropping every trigger. Each must be **refused** (an SQLite error, the file
  unchanged) or **detected** (``Archive.verify`` and the next read name the month and
  the row).
* :func:`kill_trials`: a finalize killed with SIGKILL at a random moment; the file must be
  in the state before or after, and verify.
* :func:`concurrency_rounds`: processes finalizing and amending different months at once;
  nothing may be lost.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import attrs

from evalkit.io.archive import Archive, ArchiveIntegrityError
from tests._archive_helpers import ND335, classified, dump, task_ids

ROOT = Path(__file__).resolve().parents[1]
TASK = task_ids(ND335)[0]

#: The base archive: 2026-03 (with inputs, amended once for B3, then once for B1) and
#: 2026-04 (with inputs).
PEOPLE = {"H": 100.0, "A": 100.0, **{f"B{i}": 80.0 for i in range(5)}}


def base_archive(path: Path) -> Path:
    """Two finalized months and two amendments; returns ``path``."""
    with Archive(path) as arc:
        for per in ("2026-03", "2026-04"):
            results, units, inputs = classified(per, PEOPLE, head="H")
            arc.finalize(results, by="Trưởng phòng TCCB", units=units, unit_inputs=inputs)
        arc.amend("2026-03", "B3", {TASK: 90}, by="Giám đốc", why="kiểm tra công vụ")
        arc.amend("2026-03", "B1", {TASK: 85}, by="Giám đốc", why="phúc khảo")
    return path


_ROW = ("'2026-03', 'B3', 'U1', 'vn.nd335-2025', 99.0, 'HTXS', 'HTXS', '', 'Người B3', 0, "
        "NULL, 0, NULL, '{}'")  # fmt: skip
_NEW_ROW = _ROW.replace("'B3'", "'Z9'")
_RESULT_COLS = ("period, staff_id, unit_id, rule_set, total, score_grade, grade, reasons, "
                "full_name, is_head, duty_group, discipline, leave, data")  # fmt: skip
_MONTH = "'2026-03', 'vn.nd335-2025', '2026-01-01T00:00:00+00:00', 'Mallory', 7, 'x'"
_MONTH_COLS = "period, rule_set, finalized_at, finalized_by, rows, checksum"
_AMEND = "1, '2026-03', 'B3', 't', 'Mallory', 'forged', '{}', '{}', NULL"
_AMEND_COLS = "id, period, staff_id, amended_at, amended_by, reason, previous, new, chain"

Family = Literal["replace", "upsert", "insert", "update", "delete", "triggers dropped"]


@attrs.frozen
class Attack:
    """One tampering attempt: SQL run as anyone could, and what a check must name when
    it is not refused (``expect``: period, kind, key; ``None`` for the key: any)."""

    name: str
    family: Family
    sql: tuple[str, ...]
    expect: tuple[str | None, str, str | None]
    drop_triggers: bool = False


def _replace(table: str, cols: str, values: str, expect: tuple[str | None, str, str | None]
             ) -> list[Attack]:  # fmt: skip
    return [Attack(f"{verb} {table}", "replace", (f"{verb} INTO {table} ({cols}) VALUES ({values})",),
                   expect) for verb in ("INSERT OR REPLACE", "REPLACE")]  # fmt: skip


TAMPERING: tuple[Attack, ...] = (
    # -- REPLACE (a delete then an insert) on every table
    *_replace("months", _MONTH_COLS, _MONTH, ("2026-03", "month", None)),
    *_replace("results", _RESULT_COLS, _ROW, ("2026-03", "row", "B3")),
    *_replace("unit_results", "period, unit_id, grade, data", "'2026-03', 'U1', 'KHT', '{}'",
              ("2026-03", "unit", "U1")),
    *_replace("unit_inputs", "period, unit_id, data", "'2026-03', 'U1', '{}'",
              ("2026-03", "input", "U1")),
    *_replace("amendments", _AMEND_COLS, _AMEND, ("2026-03", "amendment", "1")),
    *_replace("amendment_rows", "amendment_id, staff_id, previous, new",
              "1, 'B3', '{}', '{\"total\": 99}'", ("2026-03", "amendment", "1")),
    *_replace("schema_version", "version, applied_at", "3, 'forged'", (None, "file", None)),
    # -- UPSERT
    Attack("UPSERT months", "upsert", (
        f"INSERT INTO months ({_MONTH_COLS}) VALUES ({_MONTH}) "
        "ON CONFLICT(period) DO UPDATE SET finalized_by = 'Mallory'",), ("2026-03", "month", None)),
    Attack("UPSERT results", "upsert", (
        f"INSERT INTO results ({_RESULT_COLS}) VALUES ({_ROW}) "
        "ON CONFLICT(period, staff_id) DO UPDATE SET total = 99",), ("2026-03", "row", "B3")),
    Attack("UPSERT amendments", "upsert", (
        f"INSERT INTO amendments ({_AMEND_COLS}) VALUES ({_AMEND}) "
        "ON CONFLICT(id) DO UPDATE SET amended_by = 'Mallory'",), ("2026-03", "amendment", "1")),
    # -- a plain INSERT into a finalized month
    Attack("INSERT a person into a finalized month", "insert",
           (f"INSERT INTO results ({_RESULT_COLS}) VALUES ({_NEW_ROW})",), ("2026-03", "row", "Z9")),
    Attack("INSERT OR IGNORE a person into a finalized month", "insert",
           (f"INSERT OR IGNORE INTO results ({_RESULT_COLS}) VALUES ({_NEW_ROW})",),
           ("2026-03", "row", "Z9")),
    Attack("INSERT a unit into a finalized month", "insert",
           ("INSERT INTO unit_results VALUES ('2026-03', 'U9', 'HTXS', '{}')",),
           ("2026-03", "unit", "U9")),
    Attack("INSERT a unit input into a finalized month", "insert",
           ("INSERT INTO unit_inputs VALUES ('2026-03', 'U9', '{}')",), ("2026-03", "input", "U9")),
    Attack("INSERT an amendment row into an earlier amendment", "insert",
           ("INSERT INTO amendment_rows VALUES (1, 'A', '{}', '{\"grade\": \"HT\"}')",),
           ("2026-03", "amendment", "1")),
    Attack("INSERT an amendment row into the latest amendment", "insert",
           ("INSERT INTO amendment_rows VALUES (2, 'A', '{}', '{\"grade\": \"HT\"}')",),
           ("2026-03", "amendment", "2")),
    Attack("INSERT a forged amendment", "insert", (
        "INSERT INTO amendments (period, staff_id, amended_at, amended_by, reason, previous, "
        "new, chain) VALUES ('2026-03', 'A', 't', 'Mallory', 'forged', '{}', '{}', "
        "'00')",), ("2026-03", "amendment", "3")),
    Attack("INSERT an open month with a person", "insert", (
        f"INSERT INTO months ({_MONTH_COLS}) VALUES "
        "('2026-05', 'vn.nd335-2025', 't', 'Mallory', 1, 'x')",
        f"INSERT INTO results ({_RESULT_COLS}) VALUES ({_NEW_ROW.replace('2026-03', '2026-05')})"),
        ("2026-05", "month", None)),
    Attack("INSERT a month already sealed", "insert", (
        f"INSERT INTO months ({_MONTH_COLS}, sealed, chain, parts) VALUES "
        "('2026-05', 'vn.nd335-2025', 't', 'Mallory', 0, 'x', 1, 'x', x'00')",),
        ("2026-05", "month", None)),
    # -- UPDATE and DELETE
    Attack("UPDATE a result", "update", ("UPDATE results SET total = 99 WHERE staff_id = 'B3'",),
           ("2026-03", "row", "B3")),
    Attack("UPDATE a month's finalizer", "update",
           ("UPDATE months SET finalized_by = 'Mallory' WHERE period = '2026-03'",),
           ("2026-03", "month", None)),
    Attack("UPDATE a month back to open", "update",
           ("UPDATE months SET sealed = 0 WHERE period = '2026-03'",), ("2026-03", "month", None)),
    Attack("UPDATE a unit result", "update", ("UPDATE unit_results SET grade = 'KHT'",),
           ("2026-03", "unit", "U1")),
    Attack("UPDATE a unit input", "update", ("UPDATE unit_inputs SET data = '{}'",),
           ("2026-03", "input", "U1")),
    Attack("UPDATE an amendment's author", "update",
           ("UPDATE amendments SET amended_by = 'Mallory' WHERE id = 1",),
           ("2026-03", "amendment", "1")),
    Attack("UPDATE an amendment row", "update",
           ("UPDATE amendment_rows SET new = '{\"total\": 99}' WHERE amendment_id = 1",),
           ("2026-03", "amendment", "1")),
    Attack("UPDATE the schema version", "update", ("UPDATE schema_version SET version = 1",),
           (None, "file", None)),
    Attack("DELETE a result", "delete", ("DELETE FROM results WHERE staff_id = 'B3'",),
           ("2026-03", "month", None)),
    Attack("DELETE a month", "delete", ("DELETE FROM months WHERE period = '2026-04'",),
           ("2026-04", "row", None)),
    Attack("DELETE a unit result", "delete", ("DELETE FROM unit_results",),
           ("2026-03", "month", None)),
    Attack("DELETE an amendment", "delete", ("DELETE FROM amendments WHERE id = 1",),
           ("2026-03", "amendment", "2")),
    Attack("DELETE an amendment row", "delete", ("DELETE FROM amendment_rows",),
           ("2026-03", "amendment", "1")),
)

#: The same edits made after dropping every trigger: each must be detected.
_DROPPED: tuple[tuple[str, tuple[str, ...], tuple[str | None, str, str | None]], ...] = (
    ("a result's total", ("UPDATE results SET total = 99 WHERE staff_id = 'B3' AND "
                          "period = '2026-03'",), ("2026-03", "row", "B3")),
    ("a result's grade", ("UPDATE results SET grade = 'HTXS' WHERE staff_id = 'B4' AND "
                          "period = '2026-04'",), ("2026-04", "row", "B4")),
    ("a result's staff category", ("UPDATE results SET category = 'hop_dong' WHERE "
                                   "staff_id = 'B3' AND period = '2026-03'",),
     ("2026-03", "row", "B3")),
    ("a result's JSON document", (
        "UPDATE results SET data = replace(data, '\"discipline\": 0', '\"discipline\": 1') "
        "WHERE staff_id = 'B2' AND period = '2026-03'",), ("2026-03", "row", "B2")),
    ("a result's total replaced", (f"INSERT OR REPLACE INTO results ({_RESULT_COLS}) "
                                   f"VALUES ({_ROW})",), ("2026-03", "row", "B3")),
    ("a person added", (f"INSERT INTO results ({_RESULT_COLS}) VALUES ({_NEW_ROW})",),
     ("2026-03", "row", "Z9")),
    ("a person deleted", ("DELETE FROM results WHERE staff_id = 'B0' AND period = '2026-04'",),
     ("2026-04", "month", None)),
    ("who finalized", ("UPDATE months SET finalized_by = 'Mallory' WHERE period = '2026-03'",),
     ("2026-03", "month", None)),
    ("a unit's grade", ("UPDATE unit_results SET grade = 'KHT' WHERE period = '2026-04'",),
     ("2026-04", "unit", "U1")),
    ("a unit's inputs", ("UPDATE unit_inputs SET data = replace(data, '10.0', '1.0') "
                         "WHERE period = '2026-04'",), ("2026-04", "input", "U1")),
    ("an amendment's reason", ("UPDATE amendments SET reason = 'forged' WHERE id = 1",),
     ("2026-03", "amendment", "1")),
    ("an amendment's re-derived values", (
        "UPDATE amendment_rows SET new = replace(new, '\"total\"', '\"totalx\"') "
        "WHERE amendment_id = 2",), ("2026-03", "amendment", "2")),
    ("the first amendment deleted", ("DELETE FROM amendment_rows WHERE amendment_id = 1",
                                     "DELETE FROM amendments WHERE id = 1"),
     ("2026-03", "amendment", "2")),
    ("the last amendment deleted", ("DELETE FROM amendment_rows WHERE amendment_id = 2",
                                    "DELETE FROM amendments WHERE id = 2"),
     (None, "amendment", "2")),
    ("a month re-opened", ("UPDATE months SET sealed = 0 WHERE period = '2026-04'",),
     ("2026-04", "month", None)),
    ("a month's record deleted", ("DELETE FROM months WHERE period = '2026-04'",),
     ("2026-04", "row", None)),
)
TAMPERING = TAMPERING + tuple(
    Attack(f"triggers dropped: {name}", "triggers dropped", sql, expect, drop_triggers=True)
    for name, sql, expect in _DROPPED
)


@attrs.frozen
class Outcome:
    """What happened to one attack: refused by SQLite, detected by the checks, or neither."""

    attack: Attack
    recursive_triggers: bool
    refused: bool
    detected: bool
    unchanged: bool
    problems: tuple[str, ...]
    read_error: str

    @property
    def ok(self) -> bool:
        """Refused with the file unchanged, or detected naming what ``expect`` says."""
        return (self.refused and self.unchanged) or self.detected


def _drop_triggers(db: sqlite3.Connection) -> None:
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f"DROP TRIGGER {name}")


def attempt(attack: Attack, base: Path, work: Path, *, recursive_triggers: bool) -> Outcome:
    """Run ``attack`` on a copy of the archive ``base`` at ``work``; check the result."""
    shutil.copyfile(base, work)
    before = dump(work)
    db = sqlite3.connect(work, isolation_level=None)
    refused = False
    try:
        db.execute(f"PRAGMA recursive_triggers = {'ON' if recursive_triggers else 'OFF'}")
        if attack.drop_triggers:
            _drop_triggers(db)
        db.execute("BEGIN")
        for sql in attack.sql:
            db.execute(sql)
        db.execute("COMMIT")
    except sqlite3.Error:
        refused = True
        if db.in_transaction:
            db.execute("ROLLBACK")
    finally:
        db.close()
    unchanged = dump(work) == before if not attack.drop_triggers else False
    with Archive(work, readonly=True) as arc:
        report = arc.verify()
        read_error = ""
        try:
            for m in ("2026-03", "2026-04"):
                arc.month(m)
                arc.history(m, "B3")
            arc.annual(2026)
        except ArchiveIntegrityError as exc:
            read_error = str(exc)
        except Exception as exc:  # an archive error of another kind still stops the read
            read_error = f"{type(exc).__name__}: {exc}"
    period, kind, key = attack.expect
    named = any((period is None or p.period == period) and p.kind == kind
                and (key is None or p.key == key) for p in report.problems)  # fmt: skip
    if attack.family == "triggers dropped":
        named = named and bool(read_error or not any(p.period for p in report.problems))
    return Outcome(attack, recursive_triggers, refused, named and not report.ok, unchanged,
                   tuple(str(p) for p in report.problems), read_error)  # fmt: skip


def tamper_outcomes(tmp: Path) -> Iterator[Outcome]:
    """Every attack of :data:`TAMPERING` on the base archive, with ``recursive_triggers``
    off and on."""
    base = base_archive(tmp / "base.sqlite")
    for attack in TAMPERING:
        for rt in (False, True):
            yield attempt(attack, base, tmp / "work.sqlite", recursive_triggers=rt)


# =========================================================================== processes

_FINALIZER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from tests._archive_helpers import classified
    from evalkit.io.archive import Archive
    path, per, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    people = {{f"S{{i:05d}}": 70.0 + (i % 30) for i in range(n)}}
    results, units, inputs = classified(per, people)
    arc = Archive(path)
    print("READY", flush=True)
    sys.stdin.readline()
    t = time.perf_counter()
    writing = []

    def progress(done, total):
        if not writing:  # the first rows are in: inside the write transaction
            writing.append(time.perf_counter())
            print("WRITING", flush=True)

    arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs, progress=progress)
    end = time.perf_counter()
    print(f"DONE {{end - t:.4f}} {{end - writing[0]:.4f}}", flush=True)
    arc.close()
""")


@attrs.frozen
class KillTrial:
    """One finalize killed (SIGKILL) ``delay`` seconds after it started (``when`` =
    ``"any"``) or after its first rows were written (``"writing"``): the state the file
    was left in, and whether it verified."""

    when: Literal["any", "writing"]
    delay: float
    state: Literal["before", "after"]
    verified: bool


def finalize_time(tmp: Path, n: int) -> tuple[float, float]:
    """How long one finalize of ``n`` people takes here, and its writing part (to aim)."""
    path = tmp / "timing.sqlite"
    out = _run_finalizer(path, "2026-01", n, None, "any")
    path.unlink(missing_ok=True)
    assert out is not None
    return out


def _run_finalizer(path: Path, per: str, n: int, kill_after: float | None,
                   when: Literal["any", "writing"]) -> tuple[float, float] | None:  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-c", _FINALIZER.format(root=str(ROOT)),
                             str(path), per, str(n)], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.readline().strip() == "READY"
    proc.stdin.write("go\n")
    proc.stdin.flush()
    if kill_after is None:
        line = ""
        while not line.startswith("DONE"):
            line = proc.stdout.readline()
        proc.wait(timeout=120)
        _done, total, writing = line.split()
        return float(total), float(writing)
    if when == "writing":
        assert proc.stdout.readline().strip() == "WRITING"
    time.sleep(kill_after)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stdout.close()
    proc.stdin.close()
    return None


def kill_trials(tmp: Path, trials: int, *, n: int = 3000, seed: int = 16,
                timing: tuple[float, float] | None = None) -> list[KillTrial]:  # fmt: skip
    """``trials`` finalizes of ``n`` people, each killed with SIGKILL: every other one at a
    random moment of the whole finalize (checks, re-derivation, writing, sealing; up to
    1.2× its duration), the others at a random moment after its first rows were written
    (up to 1.2× the writing). After each, the month is absent ("before") or complete
    ("after"), the month finalized earlier is intact, and the archive verifies."""
    rng = random.Random(seed)
    total, writing = timing or finalize_time(tmp, n)
    path = tmp / "killed.sqlite"
    with Archive(path) as arc:  # a month already there, which must survive every kill
        results, units, inputs = classified("2025-12", PEOPLE, head="H")
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs, rules=ND335,
                     force=True)  # NĐ 335 is in force from 2026-01-01: Dec 2025 is forced
    out: list[KillTrial] = []
    for i in range(trials):
        per = f"{2027 + i // 12}-{i % 12 + 1:02d}"
        when: Literal["any", "writing"] = "any" if i % 2 == 0 else "writing"
        delay = rng.uniform(0, 1.2 * (total if when == "any" else writing))
        _run_finalizer(path, per, n, delay, when)
        with Archive(path) as arc:
            months = {str(m.period): m.rows for m in arc.months()}
            state: Literal["before", "after"] = "after" if per in months else "before"
            complete = state == "before" or (months[per] == n and len(arc.month(per)) == n)
            verified = arc.verify().ok and complete and months.get("2025-12") == len(PEOPLE)
        out.append(KillTrial(when, delay, state, verified))
    return out


_WORKER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from tests._archive_helpers import classified
    from tests.archive_attacks import PEOPLE, TASK
    from evalkit.io.archive import Archive
    path, role, per = sys.argv[1], sys.argv[2], sys.argv[3]
    with Archive(path) as arc:
        if role == "finalize":
            results, units, inputs = classified(per, PEOPLE, head="H")
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        else:
            for i, sid in enumerate(("B0", "B1", "B2", "B3")):
                arc.amend(per, sid, {{TASK: 81 + i}}, by="GĐ", why=f"round {{role}}")
    print("OK", flush=True)
""")


@attrs.frozen
class Round:
    """One round: what was written at once and whether all of it is there."""

    writers: int
    months: int
    amendments: int
    lost: int
    verified: bool


def concurrency_rounds(tmp: Path, rounds: int, *, writers: int = 3) -> list[Round]:
    """``rounds`` times: ``writers`` processes at once, one amending an existing month
    (four amendments) and the others finalizing new months; then count what is there."""
    out: list[Round] = []
    for r in range(rounds):
        path = tmp / f"round{r}.sqlite"
        with Archive(path) as arc:
            results, units, inputs = classified("2026-01", PEOPLE, head="H")
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        jobs = [("amend", "2026-01")] + [("finalize", f"2026-{m + 2:02d}")
                                         for m in range(writers - 1)]  # fmt: skip
        procs = [subprocess.Popen([sys.executable, "-c", _WORKER.format(root=str(ROOT)),
                                   str(path), role, per], cwd=ROOT, stdout=subprocess.PIPE,
                                  text=True) for role, per in jobs]  # fmt: skip
        codes = [p.wait(timeout=300) for p in procs]
        for p in procs:
            assert p.stdout is not None
            p.stdout.close()
        with Archive(path) as arc:
            months = arc.months()
            n_am = sum(m.amendments for m in months)
            expected_months = writers  # the first month and the finalized ones
            lost = (expected_months - len(months)) + (4 - n_am) + sum(c != 0 for c in codes)
            out.append(Round(writers, len(months), n_am, lost, arc.verify().ok))
        path.unlink()
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    return out


def summary(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """The figures table: per family, attempts tried, refused, detected, neither."""
    rows: list[dict[str, Any]] = []
    for family in ("replace", "upsert", "insert", "update", "delete", "triggers dropped"):
        these = [o for o in outcomes if o.attack.family == family]
        rows.append({"family": family, "tried": len(these),
                     "refused": sum(o.refused and o.unchanged for o in these),
                     "detected": sum(o.detected and not o.refused for o in these),
                     "neither": sum(not o.ok for o in these)})  # fmt: skip
    return rows
