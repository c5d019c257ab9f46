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


def _timed(fn: Any, *args: Any) -> tuple[float, float]:
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
    ]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
