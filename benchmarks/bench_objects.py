"""Benchmark: the object face of classification at an organisation's scale.

``classify_organisation`` (objects in, objects out: what an HR screen or a sheet needs)
turns the objects into frames, runs the one engine and turns the rows back into
:class:`~evalkit.model.EvaluationResult`, :class:`~evalkit.units.UnitResult` and
:class:`~evalkit.units.QuotaReport` objects with their reasons' sentences. Two figures:

* **growth**: the time for 4× the units and staff over the time for 1× (target ≤ 5×: the
  object face grows linearly; work per unit over all staff would grow 16×);
* **objects over frames** (printed, no target): the object face over ``classify_frame``
  on the same month's frames (:func:`~evalkit.units.frames_from_objects`), measured in
  the same run — what building the result objects and their reasons' sentences costs.

Run: ``python benchmarks/bench_objects.py`` (1,000 units of 10 staff, then 4,000) or
``BENCH_FULL=1`` (2,500 units, then 10,000).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from evalkit import Assessment, Organisation, Position, Staff, Unit
from evalkit.rules import get
from evalkit.units import UnitInputs, classify_frame, classify_organisation, frames_from_objects

RULES = get("hanoi.3814-2018")  # an agency grading every month: caps and quota each month
PERIOD = "2026-03"
TASKS = ("ket_qua_nhiem_vu",)  # the points for the tasks' results


def make_month(n_units: int, size: int = 10) -> tuple[Organisation, list[Assessment],
                                                       list[UnitInputs]]:  # fmt: skip
    """``n_units`` units of ``size`` staff (the first is the head), two levels deep, with
    scores spread over the bands so that caps and quotas act."""
    units = [Unit(f"U{i:05d}", f"Đơn vị {i}", parent_id=None if i == 0 else "U00000",
                  head_id=f"S{i:05d}_0") for i in range(n_units)]  # fmt: skip
    staff = [Staff(f"S{i:05d}_{j}", "Nguyễn Văn A", "P", f"U{i:05d}")
             for i in range(n_units) for j in range(size)]
    org = Organisation(units=units, positions=[Position("P", "Chuyên viên")], staff=staff)
    full = RULES.full_marks()
    out = []
    for k, s in enumerate(staff):
        # three in five full (HTXS candidates, above the 30 % quota); the rest down to 61 %
        f = 1.0 if k % 5 < 3 else 1.0 - ((k * 7) % 40) / 100
        marks = {c: round(v * f, 2) if c in TASKS else v
                 for c, v in full.items()}  # fmt: skip
        out.append(Assessment(s.id, PERIOD, competent_scores=marks))
    inputs = [UnitInputs(u.id, PERIOD, tasks_assigned=10, tasks_done=10 - i % 3)
              for i, u in enumerate(units)]  # fmt: skip
    return org, out, inputs


def main() -> list[dict[str, Any]]:
    """Time both sizes and the frame face; the table row (growth)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import FULL, best_of, row

    small = 2_500 if FULL else 1_000
    times = {}
    data = {}
    for n in (small, 4 * small):
        data[n] = make_month(n)
        classify_organisation(*data[n], RULES)  # warm-up
        times[n] = best_of(lambda n=n: classify_organisation(*data[n], RULES), 3)
    org, a, ui = data[4 * small]
    sm, units = frames_from_objects(org, a, ui)
    positions = {p.id: p for p in org.positions}
    t_frame = best_of(lambda: classify_frame(sm, units, RULES, positions=positions), 3)
    growth = times[4 * small] / times[small]
    over = times[4 * small] / t_frame
    staff = 4 * small * 10
    err = sys.stderr
    print(f"classify_organisation {small:,} units: {times[small]:.2f} s; "
          f"{4 * small:,} units: {times[4 * small]:.2f} s (growth {growth:.2f}x)", file=err)
    print(f"classify_frame on the same {staff:,} staff: {t_frame:.2f} s "
          f"(objects / frames {over:.2f}x)", file=err)
    return [
        row(f"classify_organisation: {4 * small:,} units over {small:,} (10 staff each)",
            f"{times[4 * small]:.2f} s", f"{times[small]:.2f} s at 1×", growth, "≤ 5×",
            growth <= 5.0),
    ]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
