"""Archive a province-year and roll it up: ``Archive.finalize`` vs a bare ``executemany``.

Run: ``python benchmarks/bench_archive.py`` (quick: 90,000 staff-months, 7,500 staff) or
``BENCH_FULL=1`` (900,000 staff-months: a province of 75,000 staff over 12 months, issue
9); ``BENCH_N=...`` sets the staff-months directly.

The results are real: ``classify_frame`` on the same synthetic organisation as
``bench_classify`` (20 columns a row: totals, points, grades, quota columns, reasons).
Measured in the same run, on the same 12 monthly frames:

* **evalkit**: :meth:`evalkit.io.archive.Archive.finalize` of each month (checks, every
  column kept as a JSON document, checksum, key columns and indexes, immutable-row
  triggers, one ``BEGIN IMMEDIATE`` transaction a month, WAL, ``synchronous=FULL``);
* **bare**: the same 20 columns turned into tuples (``tolist`` + ``zip``) and inserted
  with one ``sqlite3`` ``executemany`` a month into a plain table of the same columns
  with the same primary key, one transaction a month, sqlite3's defaults.

Then :meth:`Archive.annual` (read back the year from the archive, apply amendments,
``rollup_frame``) — target ≤ 3 s for 75,000 staff. Wall and CPU (this process) times
are printed; the ratio is taken on CPU time, which other processes disturb less.
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
from _common import FULL, row
from bench_classify import make_data

from evalkit.io.archive import Archive
from evalkit.rules import get
from evalkit.units import classify_frame


def months_of(n: int) -> list[pd.DataFrame]:
    """The 12 monthly results frames of ``n`` staff-months, classified by evalkit."""
    sm, units = make_data(n)
    staff, _ = classify_frame(sm, units, get("vn.nd335-2025"))
    return [m for _, m in staff.groupby("period", observed=True, sort=True)]


def bare_insert(months: list[pd.DataFrame], path: Path) -> None:
    """The baseline: plain tuples of the same columns, one executemany per month."""
    cols = list(months[0].columns)
    db = sqlite3.connect(path)
    db.execute(f"CREATE TABLE results ({', '.join(cols)}, PRIMARY KEY (period, staff_id))")
    sql = f"INSERT INTO results VALUES ({', '.join('?' * len(cols))})"
    for m in months:
        data = [m[c].astype(object).where(m[c].notna(), None).tolist() for c in cols]
        with db:
            db.executemany(sql, zip(*data, strict=True))
    db.close()


def evalkit_finalize(months: list[pd.DataFrame], path: Path) -> None:
    """evalkit: one finalize per month."""
    with Archive(path) as arc:
        for m in months:
            arc.finalize(m, by="Phòng TCCB")


def _timed(fn: Any, *args: Any) -> tuple[float, float]:
    t, c = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - t, time.process_time() - c


def measure(n: int, repeat: int) -> dict[str, Any]:
    """Best (wall, CPU) of finalize, bare insert and annual roll-up on ``n`` staff-months."""
    months = months_of(n)
    tmp = Path(tempfile.mkdtemp(prefix="evalkit-bench-archive-"))
    out: dict[str, Any] = {"rows": sum(len(m) for m in months), "staff": len(months[0])}
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
                    for sid in months[0]["staff_id"].iloc[:20]:
                        arc.amend("2026-06", str(sid), {"total": 95.0}, by="TCCB", why="sửa")
                for _ in range(2):
                    result: dict[str, Any] = {}
                    annual.append(_timed(lambda a=arc, r=result: r.update(y=a.annual(2026))))
                out["annual_rows"] = len(result["y"])
            if i == 0:
                out["file_mb"] = (tmp / "a0.sqlite").stat().st_size / 1e6
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
        row(f"annual roll-up of {m['staff']:,} staff read back from the archive",
            f"{aw:.2f} s wall ({ac:.2f} s CPU)", "—", aw / 3.0, "≤ 3 s", aw <= 3.0),
    ]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
