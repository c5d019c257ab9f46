"""Archive a province-year and roll it up: ``Archive.finalize`` vs a bare ``executemany``.

Run: ``python benchmarks/bench_archive.py`` (quick: 90,000 staff-months, 7,500 staff) or
``BENCH_FULL=1`` (900,000 staff-months: a province of 75,000 staff over 12 months, issue
9); ``BENCH_N=...`` sets the staff-months directly.

The results are real: ``classify_frame`` on the same synthetic organisation as
``bench_classify``, each row its inputs (criteria, flags) and the engine's columns
(totals, points, grades, quota columns, reasons: 33 columns), as ``evalkit classify``
writes them. Measured in the same run, on the same 12 monthly frames:

* **evalkit**: :meth:`evalkit.io.archive.Archive.finalize` of each month with its unit
  results and unit inputs (every result checked: grades, totals, bands, reasons; the
  month re-derived by ``classify_frame`` and compared; every column kept as a JSON
  document, key columns and indexes, the triggers, the month's SHA-256 seal over its rows
  read back; one ``BEGIN IMMEDIATE`` transaction a month, WAL, ``synchronous=FULL``);
* **bare**: the same columns turned into tuples (``tolist`` + ``zip``) and inserted
  with one ``sqlite3`` ``executemany`` a month into a plain table of the same columns
  with the same primary key, one transaction a month, sqlite3's defaults.

Then :meth:`Archive.annual` (check every month of the year against its seal, read it
back, apply amendments, ``rollup_frame`` and ``classify_year`` under each person's rule
set) — target ≤ 3 s for 75,000 staff. Wall and CPU (this process) times are printed;
the ratio is taken on CPU time, which other processes disturb less.

Then the **migration** of the same year from schema 3 (:func:`as_schema_3` turns the
archive, its five amendments included, into the file schema 3 wrote): the open for
writing that checks every month against its schema 3 seal, fills the category, seals
every month again, chains its amendments and keeps the printed seals; then
:meth:`Archive.verify` of the migrated file (every seal, the printed ones included).
``python benchmarks/bench_archive.py migrate`` measures only that (``BENCH_N`` sets the
staff-months).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import FULL, cold, row
from bench_classify import make_data

from evalkit.io.archive import SCHEMA_VERSION, Archive
from evalkit.rules import get
from evalkit.units import classify_frame

Month = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]


def months_of(n: int) -> list[Month]:
    """The 12 months of ``n`` staff-months classified by evalkit: (results, unit results,
    unit inputs) each."""
    sm, units = make_data(n)
    rules = get("vn.nd335-2025")
    out: list[Month] = []
    for per, part in sm.groupby("period", sort=True):
        staff_in = part.reset_index(drop=True)
        units_in = units[units["period"] == per].reset_index(drop=True)
        staff, unit_results = classify_frame(staff_in, units_in, rules)
        extra = [c for c in staff.columns if c not in staff_in.columns]
        results = pd.concat([staff_in, staff[extra]], axis=1)
        results.attrs["rule_set"] = rules.id
        out.append((results, unit_results, units_in))
    return out


def bare_insert(months: list[Month], path: Path) -> None:
    """The baseline: plain tuples of the same columns, one executemany per month."""
    cols = list(months[0][0].columns)
    db = sqlite3.connect(path)
    db.execute(f"CREATE TABLE results ({', '.join(cols)}, PRIMARY KEY (period, staff_id))")
    sql = f"INSERT INTO results VALUES ({', '.join('?' * len(cols))})"
    for m, _u, _i in months:
        data = [m[c].astype(object).where(m[c].notna(), None).tolist() for c in cols]
        with db:
            db.executemany(sql, zip(*data, strict=True))
    db.close()


def evalkit_finalize(months: list[Month], path: Path) -> None:
    """evalkit: one finalize per month, with its unit results and unit inputs."""
    with Archive(path) as arc:
        for m, unit_results, unit_inputs in months:
            arc.finalize(m, by="Phòng TCCB", units=unit_results, unit_inputs=unit_inputs)


def as_schema_3(path: Path) -> None:
    """Make an archive of today's schema the file schema 3 wrote of the same months: no category
    column, no seal history, each month sealed and its amendments chained as schema 3
    did (evalkit's own seal code, on the person part without the category), schema 3's
    triggers."""
    from evalkit.io import archive as a

    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f"DROP TRIGGER {name}")
    for sql in ("ALTER TABLE results DROP COLUMN category", "DROP TABLE seal_history",
                "ALTER TABLE rule_set_contents DROP COLUMN content",
                "DELETE FROM schema_version WHERE version >= 4"):  # fmt: skip
        db.execute(sql)
    for (per,) in db.execute("SELECT period FROM months").fetchall():
        a._seal(db, per, a._v3_person(db, per))
        for (_per, aid), link in a._v3_seals(db, per).items():
            if aid:
                db.execute("UPDATE amendments SET chain = ? WHERE id = ?", (link, aid))
    for sql in a._statements(a._V3_AFTER):
        db.execute(sql)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def migration(path: Path) -> dict[str, Any]:
    """Time the migration of a copy of the archive ``path`` made schema 3, then
    ``verify`` of the migrated file."""
    from evalkit.io import archive as a

    v3 = path.with_name("v3-" + path.name)
    shutil.copyfile(path, v3)
    as_schema_3(v3)
    out: dict[str, Any] = {"v3_mb": v3.stat().st_size / 1e6}
    out["migrate"] = _timed(lambda: Archive(v3).close())
    with Archive(v3, readonly=True) as arc:
        result: dict[str, Any] = {}
        out["verify"] = _timed(lambda: result.update(r=arc.verify()))
    report = result["r"]
    assert report.ok and report.schema_version == a.SCHEMA_VERSION, str(report)[-2000:]
    out["printed"] = sum(len(m.superseded) for m in report.months)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{v3}{suffix}").unlink(missing_ok=True)
    return out


def measure_migration(n: int) -> dict[str, Any]:
    """Finalize ``n`` staff-months (12 months, five amendments), then :func:`migration`."""
    months = months_of(n)
    tmp = Path(tempfile.mkdtemp(prefix="evalkit-bench-migrate-"))
    try:
        evalkit_finalize(months, tmp / "a.sqlite")
        with Archive(tmp / "a.sqlite") as arc:
            for sid in months[0][0]["staff_id"].iloc[:5]:
                arc.amend("2026-06", str(sid), {"tien_do": 55}, by="TCCB", why="sửa")
        return {"rows": sum(len(m) for m, _u, _i in months), **migration(tmp / "a.sqlite")}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _migration_row(rows: int, m: dict[str, Any]) -> dict[str, Any]:
    (mw, mc), (vw, vc) = m["migrate"], m["verify"]
    per = mw / (rows / 100_000)
    return row(f"migrate {rows:,} staff-months (12 months, {m['v3_mb']:.0f} MB) from schema 3 "
               f"to {SCHEMA_VERSION}, keeping {m['printed']} printed seals; then verify",
               f"{mw:.2f} s wall ({mc:.2f} s CPU)", f"verify {vw:.2f} s wall ({vc:.2f} s CPU)",
               per / 60.0, "≤ 60 s wall a 100,000 staff-months", per <= 60.0)  # fmt: skip


def _timed(fn: Any, *args: Any) -> tuple[float, float]:
    cold()  # (untimed: each run reads its months as new)
    t, c = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - t, time.process_time() - c


def measure(n: int, repeat: int) -> dict[str, Any]:
    """Best (wall, CPU) of finalize, bare insert and annual roll-up on ``n`` staff-months."""
    months = months_of(n)
    tmp = Path(tempfile.mkdtemp(prefix="evalkit-bench-archive-"))
    out: dict[str, Any] = {"rows": sum(len(m) for m, _u, _i in months),
                           "staff": len(months[0][0])}
    try:
        ours: list[tuple[float, float]] = []
        bare: list[tuple[float, float]] = []
        annual: list[tuple[float, float]] = []
        for i in range(repeat):
            ours.append(_timed(evalkit_finalize, months, tmp / f"a{i}.sqlite"))
            bare.append(_timed(bare_insert, months, tmp / f"b{i}.sqlite"))
            (tmp / f"b{i}.sqlite").unlink()
            with Archive(tmp / f"a{i}.sqlite") as arc:
                if i == 0:  # amendments are part of what annual() reads
                    t = time.perf_counter()
                    for sid in months[0][0]["staff_id"].iloc[:5]:
                        arc.amend("2026-06", str(sid), {"tien_do": 55}, by="TCCB", why="sửa")
                    out["amend"] = (time.perf_counter() - t) / 5
                for _ in range(2):
                    result: dict[str, Any] = {}
                    annual.append(_timed(lambda a=arc, r=result: r.update(y=a.annual(2026))))
                out["annual_rows"] = len(result["y"])
            if i == 0:
                out["file_mb"] = (tmp / "a0.sqlite").stat().st_size / 1e6
                out["migration"] = migration(tmp / "a0.sqlite")
            else:
                (tmp / f"a{i}.sqlite").unlink()
        for key, runs in (("ours", ours), ("bare", bare), ("annual", annual)):
            out[key] = (min(w for w, _ in runs), min(c for _, c in runs))
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> list[dict[str, Any]]:
    """Finalize a province-year and roll it up; the table rows."""
    n = int(os.environ.get("BENCH_N") or (900_000 if FULL else 90_000))
    m = measure(n, repeat=2)
    (ow, oc), (bw, bc), (aw, ac) = m["ours"], m["bare"], m["annual"]
    ratio = oc / bc
    return [
        row(f"finalize {m['rows']:,} staff-months (12 months) into the archive "
            f"({m['file_mb']:.0f} MB)",
            f"{oc:.2f} s CPU ({ow:.2f} s wall)", f"bare executemany {bc:.2f} s CPU "
            f"({bw:.2f} s wall)", ratio, "≤ 10× (CPU)", ratio <= 10.0),
        row(f"annual classification of {m['staff']:,} staff read back from the archive "
            "(every month checked against its seal)",
            f"{aw:.2f} s wall ({ac:.2f} s CPU)", "—", aw / 3.0, "≤ 3 s", aw <= 3.0),
        row(f"one amendment re-deriving a month of {m['staff']:,} staff (classify_frame "
            "twice, the month checked against its seal)",
            f"{m['amend']:.2f} s wall", "—", m["amend"] / 5.0, "≤ 5 s", m["amend"] <= 5.0),
        _migration_row(m["rows"], m["migration"]),
    ]  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:] == ["migrate"]:
        size = int(os.environ.get("BENCH_N") or (900_000 if FULL else 90_000))
        got = measure_migration(size)
        print(json.dumps([_migration_row(got["rows"], got)], ensure_ascii=False, indent=1))
    else:
        print(json.dumps(main(), ensure_ascii=False, indent=1))
