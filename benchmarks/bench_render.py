"""Month-end rendering benchmark: evalkit's per-person pipeline against naive WeasyPrint.

    python benchmarks/bench_render.py            # quick: N = 40 sheets, N/10 naive
    BENCH_FULL=1 python benchmarks/bench_render.py   # N = 1000, 100 naive (issue 6)
    BENCH_N=200 BENCH_WORKERS=2 python benchmarks/bench_render.py

Three measurements in the same run, on the same sheets:

* **naive**: per sheet, a fresh ``FontConfiguration``, the same HTML and stylesheet but
  the system's DejaVu Serif instead of the bundled subsets, ``HTML(...).write_pdf()`` with
  WeasyPrint's defaults (fonts subset at write time: fontTools when the system has no
  ``libharfbuzz-subset``), one process — what a first implementation does;
* **evalkit serial**: :func:`evalkit.render.write_pdfs` with ``executor="serial"``
  (pre-subset bundled fonts embedded whole, cached fontconfig and stylesheet);
* **evalkit pool**: :func:`evalkit.render.write_pdfs` with its default process pool.

Prints sheets/second for each, the ratios, and peak RSS per worker process.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import evalkit
import evalkit.rules
from evalkit import Assessment, Position, Staff, Unit
from evalkit.render import Agency, Sheet, render_html, run_batch, templates_dir

FIRST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Đức", "Ngọc", "Minh", "Thu", "Quốc", "Hữu"]
LAST = ["An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Khánh", "Linh", "Nhung", "Phúc", "Tuyết"]


def make_sheets(n: int) -> list[Sheet]:
    """``n`` realistic, distinct one-page Vietnamese sheets across 10 units."""
    rs = evalkit.rules.get("vn.nd335-2025")
    position = Position("CV", "Chuyên viên", "Officer")
    agency = Agency("Sở Nội vụ", governing_body="UBND tỉnh Thanh Hóa", place="Thanh Hóa")
    units = [Unit(f"P{u:02d}", f"Phòng nghiệp vụ số {u}", place="Thanh Hóa") for u in range(10)]
    out = []
    for i in range(n):
        unit = units[i % len(units)]
        name = f"{FIRST[i % 11]} {MIDDLE[i % 8]} {LAST[(i * 7) % 11]}"
        staff = Staff(f"CC-{i:06d}", name, "CV", unit.id)
        # the preset's own general criteria: full marks but for two that vary a little
        general = {c.id: c.maximum - (((i + j) % 3) / 2 if j in (2, 5) else 0)
                   for j, c in enumerate(rs.group("general").criteria)}  # fmt: skip
        tasks = {"so_luong": 80 + i % 21, "chat_luong": 85 + i % 16, "tien_do": 70 + i % 31}
        scores = {**general, **tasks}
        a = Assessment(
            staff.id, "2026-03", self_scores=scores, manager_scores=scores,
            competent_scores={**scores, "tien_do": max(0, tasks["tien_do"] - 5)},
            self_comment="Hoàn thành đầy đủ, đúng tiến độ các nhiệm vụ được giao trong tháng.",
            manager_comment="Đồng ý với nội dung tự đánh giá.", proposed_grade="HTT",
            manager_grade="HTT", discipline=1 if i % 97 == 0 else 0,
        )  # fmt: skip
        result = evalkit.score(a, staff=staff, rules=rs, position=position)
        out.append(
            Sheet(staff, position, unit, a, result, rs, agency,
                  signed_on=datetime.date(2026, 4, 3))
        )  # fmt: skip
    return out


def naive_css() -> str:
    """evalkit.css without the bundled fonts: the system's DejaVu Serif, as a first try would."""
    text = (Path(str(templates_dir())) / "evalkit.css").read_text(encoding="utf-8")
    text = re.sub(r"@font-face\s*\{[^}]*\}", "", text)
    return text.replace('"Evalkit Serif", "Evalkit Serif Ext"', '"DejaVu Serif", serif')


def naive(sheets: list[Sheet], out: Path) -> float:
    """One ``write_pdf`` per sheet with WeasyPrint's defaults; returns seconds."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    root = Path(str(templates_dir()))
    css_text = naive_css()
    start = time.perf_counter()
    for i, sheet in enumerate(sheets):
        fc = FontConfiguration()
        css = CSS(string=css_text, font_config=fc)
        html = HTML(string=render_html(sheet), base_url=root.as_uri() + "/")
        html.write_pdf(out / f"naive-{i}.pdf", stylesheets=[css], font_config=fc)
    return time.perf_counter() - start


def _rss_kib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main() -> list[dict[str, Any]]:
    """Run the three measurements, print their details (to stderr); the table rows."""
    with contextlib.redirect_stdout(sys.stderr):
        return _measure()


def _measure() -> list[dict[str, Any]]:
    """Run the three measurements and print the details; the table rows."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import row

    full = os.environ.get("BENCH_FULL", "") not in ("", "0")
    n = int(os.environ.get("BENCH_N") or (1000 if full else 40))
    n_naive = max(1, n // 10)
    workers = int(os.environ.get("BENCH_WORKERS") or os.cpu_count() or 1)
    print(f"evalkit {evalkit.__version__}; python {sys.version.split()[0]}; "
          f"{os.cpu_count()} CPUs; N = {n}, naive N = {n_naive}, pool workers = {workers}")  # fmt: skip
    from weasyprint.text.ffi import harfbuzz_subset

    print(f"libharfbuzz-subset: {'present' if harfbuzz_subset else 'absent (fontTools)'}")
    t = time.perf_counter()
    sheets = make_sheets(n)
    print(f"built and scored {n} sheets in {time.perf_counter() - t:.2f} s")

    tmp = Path(tempfile.mkdtemp(prefix="evalkit-bench-"))
    try:
        # warm this process (imports, fontconfig) so that the serial runs compare fairly
        run_batch(sheets[:1], tmp / "warm", executor="serial")
        naive(sheets[:1], tmp)

        (tmp / "naive").mkdir()
        cpu = time.process_time()
        t_naive = naive(sheets[:n_naive], tmp / "naive")
        cpu_naive = (time.process_time() - cpu) / n_naive
        rate_naive = n_naive / t_naive

        cpu = time.process_time()
        serial = run_batch(sheets[:n_naive], tmp / "serial", executor="serial")
        cpu_serial = (time.process_time() - cpu) / max(1, serial.written)
        rate_serial = serial.written / serial.seconds
        rss_main = _rss_kib()

        pool = run_batch(sheets, tmp / "pool", max_workers=workers, chunk_size=16)
        rate_pool = pool.written / pool.seconds
        sizes = [p.stat().st_size for p in pool.paths]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"{'pipeline':<34}{'sheets':>8}{'seconds':>10}{'sheets/s':>10}")
    print(f"{'naive write_pdf per sheet':<34}{n_naive:>8}{t_naive:>10.2f}{rate_naive:>10.2f}")
    print(f"{'evalkit, serial (1 process)':<34}{serial.written:>8}{serial.seconds:>10.2f}"
          f"{rate_serial:>10.2f}")  # fmt: skip
    print(f"{f'evalkit, process pool ({workers})':<34}{pool.written:>8}{pool.seconds:>10.2f}"
          f"{rate_pool:>10.2f}")  # fmt: skip
    print()
    print(
        f"CPU s/sheet: naive {cpu_naive:.3f}, evalkit serial {cpu_serial:.3f}  (load-independent)"
    )
    print(f"ratio evalkit serial / naive : {rate_serial / rate_naive:5.2f}x")
    print(
        f"ratio evalkit pool / naive   : {rate_pool / rate_naive:5.2f}x  (includes pool start-up)"
    )
    print(
        f"PDF size: mean {sum(sizes) / len(sizes) / 1024:.0f} KiB, max {max(sizes) / 1024:.0f} KiB"
    )
    print(f"peak RSS, main process (naive + serial): {rss_main / 1024:.0f} MiB")
    for pid, kib in sorted(pool.max_rss_kib_by_pid.items()):
        print(f"peak RSS, pool worker {pid}: {kib / 1024:.0f} MiB")
    # one core = one CPU-second: the rate per core does not depend on other processes
    per_core, per_core_naive = 1 / cpu_serial, 1 / cpu_naive
    ratio = cpu_naive / cpu_serial
    worker_mb = max(pool.max_rss_kib_by_pid.values(), default=0) / 1024
    return [
        row(f"per-person PDF sheets, one core ({n_naive} sheets; wall {rate_serial:.2f} vs "
            f"{rate_naive:.2f} sheets/s)", f"{per_core:.2f} sheets/s per core",
            f"naive write_pdf {per_core_naive:.2f} sheets/s per core", ratio,
            "≥ 7 sheets/s and ≥ 3×", per_core >= 7 and ratio >= 3),
        row(f"process pool of {workers}, {pool.written} sheets in one batch "
            f"({rate_pool:.2f} sheets/s wall): peak RSS per worker", f"{worker_mb:.0f} MB",
            f"main process {rss_main / 1024:.0f} MB", worker_mb / 400, "≤ 400 MB",
            worker_mb <= 400),
    ]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
