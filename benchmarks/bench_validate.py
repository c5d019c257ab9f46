"""Validate a filled-in workbook: ``read_workbook`` vs a bare openpyxl read-only pass.

Run: ``python benchmarks/bench_validate.py`` (quick: 10,000 rows) or ``BENCH_FULL=1``
(100,000 rows, issue 9); ``BENCH_N=...`` sets the rows directly.

The workbook is a realistic month of NĐ 335 scores (one row per person, the template's
31 columns, a units and a positions sheet, a few hundred problems to find) written once
with openpyxl's write-only mode; writing it is not measured. Each side then runs in its
**own subprocess**, so that its peak RSS is its own:

* **evalkit**: :func:`evalkit.io.workbook.read_workbook` — every cell typed and checked,
  every problem listed;
* **bare**: ``openpyxl.load_workbook(read_only=True, data_only=True)`` and
  ``iter_rows(values_only=True)`` over every sheet, consuming the values and nothing else.

Imports happen before the clock starts in both; peak memory is the child's ``VmHWM``
(``ru_maxrss`` of a child started by ``subprocess`` can carry its parent's peak). The sides alternate ``repeat`` times and
the best wall and CPU times are kept; the ratio is taken on CPU time (user + system of
the child), which other processes on a shared machine disturb less than wall time.
Targets: ratio ≤ 2×, evalkit's peak RSS ≤ 500 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import FULL, row

PERIOD = "2026-03"
RULES = "vn.nd335-2025"

_CHILD = r"""
import json, resource, sys, time
side, path = sys.argv[1], sys.argv[2]
if side == "evalkit":
    import openpyxl
    from evalkit.io.workbook import read_workbook
    def work():
        frame, problems = read_workbook(path)
        return len(frame), len(problems)
else:
    import openpyxl
    def work():
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        cells = rows = 0
        for ws in wb.worksheets:
            for values in ws.iter_rows(values_only=True):
                rows += 1
                cells += len(values)
        wb.close()
        return rows, cells
t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
out = work()
t1, r1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
# VmHWM, not ru_maxrss: a child started with vfork inherits its parent's ru_maxrss
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"wall": t1 - t0, "cpu": cpu, "rss_mb": hwm / 1024, "out": out}))
"""


def make_workbook(path: Path, n: int, seed: int = 3) -> Path:
    """Write an ``n``-row score workbook in the template's layout (openpyxl write-only)."""
    import openpyxl

    import evalkit
    from evalkit.io import workbook as wbmod

    rs = evalkit.rules.get(RULES)
    cols = wbmod.score_columns(rs)
    rng = np.random.default_rng(seed)
    n_units = max(n // 40, 1)
    unit_of = np.sort(rng.integers(0, n_units, n))
    unit_of[:n_units] = np.arange(n_units)
    unit_of = np.sort(unit_of)
    head_row = np.searchsorted(unit_of, np.arange(n_units))
    is_head = np.zeros(n, dtype=bool)
    is_head[head_row] = True
    # the rule set's own criteria (ids and maxima), so the workbook follows the preset
    gen = list(rs.group("general").criteria)
    general = np.round(rng.uniform(0.6, 1.0, (n, len(gen))) * [c.maximum for c in gen] * 2) / 2
    tasks = rng.integers(50, 101, (n, 3))
    typed = [c.id for c in rs.group("tasks").criteria if c.management
             and c.id != rs.management.computed]  # đ, e: the competent level's findings
    mgr = rng.choice(np.asarray(rs.management.values), (n, len(typed)))
    errors = rng.poisson(0.2, n)
    # a few hundred problems a validator must find: over maximum, text, blank required
    bad = rng.random(n)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(wbmod.SCORES_SHEET)
    ws.append([c.header() for c in cols])
    index = {c.id: i for i, c in enumerate(cols)}
    width = len(cols)

    def put(r: list[Any], cid: str, value: Any) -> None:
        """A score typed at every level (self, manager, competent), as a finished month."""
        for level in wbmod.LEVELS:
            r[index[f"{level}__{cid}"]] = value
    first = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
    last = ["An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Linh", "Phúc", "Tuyết"]
    for i in range(n):
        r: list[Any] = [None] * width
        r[index["staff_id"]] = f"CC-{i:06d}"
        r[index["full_name"]] = f"{first[i % 8]} Văn {last[i % 9]}"
        r[index["position_id"]] = "CV"
        r[index["unit_id"]] = f"U{unit_of[i]:05d}"
        r[index["category"]] = "cong_chuc"
        r[index["period"]] = PERIOD
        r[index["manages_others"]] = "x" if is_head[i] else None
        r[index["duty_group"]] = "a" if i % 2 else "b"
        for j, c in enumerate(gen):
            put(r, c.id, float(general[i, j]))
        for j, cid in enumerate(("so_luong", "chat_luong", "tien_do")):
            put(r, cid, int(tasks[i, j]))
        if is_head[i]:
            for j, cid in enumerate(typed):  # d is computed from the staff under them
                put(r, cid, int(mgr[i, j]))
        put(r, "loi_chat_luong", int(errors[i]))
        r[index["discipline"]] = 1 if i % 997 == 0 else 0
        r[index["self_comment"]] = "Hoàn thành tốt nhiệm vụ được giao."
        if bad[i] < 0.001:
            r[index[f"competent__{gen[0].id}"]] = gen[0].maximum + 1.5  # over its maximum
        elif bad[i] < 0.002:
            r[index["competent__so_luong"]] = "tám mươi"  # not a number
        elif bad[i] < 0.003:
            r[index["competent__tien_do"]] = None  # blank required cell
        ws.append(r)
    units = wb.create_sheet(wbmod.UNITS_SHEET)
    ucols = wbmod.unit_columns(rs)
    units.append([c.header() for c in ucols])
    uindex = {c.id: i for i, c in enumerate(ucols)}
    for u in range(n_units):
        cells: list[Any] = [None] * len(ucols)
        cells[uindex["unit_id"]], cells[uindex["name"]] = f"U{u:05d}", f"Phòng {u}"
        cells[uindex["parent_id"]] = f"U{(u - 1) // 8:05d}" if u else None
        cells[uindex["head_id"]] = f"CC-{head_row[u]:06d}"
        cells[uindex["tasks_assigned"]], cells[uindex["tasks_done"]] = 20, 18
        units.append(cells)
    positions = wb.create_sheet(wbmod.POSITIONS_SHEET)
    positions.append([c.header() for c in wbmod.POSITION_COLUMNS])
    positions.append(["CV", "Chuyên viên", None])
    info = wb.create_sheet(wbmod.INFO_SHEET)
    for key, value in (("format", wbmod.WORKBOOK_FORMAT), ("rule_set", RULES),
                       ("period", PERIOD)):  # fmt: skip
        info.append([key, value])
    wb.save(path)
    return path


def _child(side: str, path: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, side, str(path)], check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def measure(n: int, repeat: int) -> dict[str, Any]:
    """Best wall/CPU time and peak RSS of each side on an ``n``-row workbook."""
    tmp = Path(tempfile.mkdtemp(prefix="evalkit-bench-validate-"))
    try:
        path = make_workbook(tmp / f"month-{n}.xlsx", n)
        best: dict[str, dict[str, Any]] = {}
        for _ in range(repeat):
            for side in ("evalkit", "bare"):
                r = _child(side, path)
                b = best.setdefault(side, {"wall": r["wall"], "cpu": r["cpu"], "rss_mb": 0.0,
                                           "out": r["out"]})  # fmt: skip
                b["wall"] = min(b["wall"], r["wall"])
                b["cpu"] = min(b["cpu"], r["cpu"])
                b["rss_mb"] = max(b["rss_mb"], r["rss_mb"])
        best["size_mb"] = {"value": path.stat().st_size / 1e6}
        return best
    finally:
        for p in tmp.iterdir():
            p.unlink()
        tmp.rmdir()


def main() -> list[dict[str, Any]]:
    """Validate N rows with evalkit and with bare openpyxl; the table rows."""
    n = int(os.environ.get("BENCH_N") or (100_000 if FULL else 10_000))
    m = measure(n, repeat=2)
    ev, bare = m["evalkit"], m["bare"]
    rows_read, problems = ev["out"]
    ratio = ev["cpu"] / bare["cpu"]
    return [
        row(f"validate {n:,}-row workbook ({m['size_mb']['value']:.0f} MB, {rows_read:,} rows, "
            f"{problems} problems found)",
            f"{ev['cpu']:.2f} s CPU ({ev['wall']:.2f} s wall)",
            f"openpyxl read-only {bare['cpu']:.2f} s CPU ({bare['wall']:.2f} s wall)",
            ratio, "≤ 2× (CPU)", ratio <= 2.0),
        row(f"validate {n:,} rows: peak RSS", f"{ev['rss_mb']:.0f} MB",
            f"openpyxl read-only {bare['rss_mb']:.0f} MB", ev["rss_mb"] / 500, "≤ 500 MB",
            ev["rss_mb"] <= 500),
    ]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
