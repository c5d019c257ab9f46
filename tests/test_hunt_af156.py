"""Hunt af156 (issue 13, "one engine, one answer"): the CLI month-to-year cycle against the
objects and the frames, on cases the demo lacks.

A unit-year whose months never gave a count of tasks exceeded. Under QĐ 366-QĐ/TW Điều 11
k1 a collective is HTXS only with at least 30 % of its tasks exceeded; a month without the
count fails that condition and says so ("Không có số nhiệm vụ hoàn thành vượt mức", the
reason catalogue's ``unit.excellent_condition.exceeded``). The year summed the months'
counts with the blanks as 0 and said "Tỷ lệ nhiệm vụ vượt mức 0%": a figure nobody typed,
on the year's unit summary printed by ``evalkit render --archive … --period 2026`` and in
:func:`evalkit.classify_organisation_year`. The year now takes the months' counts only
where a month gave one, else the months' shares (none given: not known), as a month does.

The organisation (worked by hand; QĐ 366's two criteria: general 30, tasks 70; bands
90/70/50, QĐ 366 Điều 11 k1–k4; no quota in the set):

* UB (Văn phòng, head CB1 at 30 + 65 = 95, deputy CB2 at 28 + 62 = 90): 10 of 10 tasks
  done each month, no count exceeded → score 100, not HTXS (no count of tasks exceeded) →
  HTT; CB1 capped at HTT (``cap.head_unit``), CB2 (a deputy: not capped) HTXS at 90.
* P (Ban, under UB, head CB3 at 95): 10 of 10 done, 3 exceeded each month → 30 % → HTXS;
  CB3 keeps HTXS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from tests._cli_helpers import fill_workbook, ok, org_file
from tests._io_helpers import classify_months, csv_frames

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

RULES = "vn.qd366-2025"
MONTHS = ("2026-04", "2026-05")
UNITS_CSV = """unit_id,name,parent_id,head_id,governing_body,place
UB,Văn phòng Ủy ban,,CB1,Ủy ban nhân dân xã Sông Lam,Lam Giang
P,Ban Kinh tế,UB,CB3,Ủy ban nhân dân xã Sông Lam,Lam Giang
"""
POSITIONS_CSV = """position_id,title,title_en,manages_others
CT,Chủ tịch,Chairman,x
PCT,Phó Chủ tịch,Vice chairman,x
TB,Trưởng ban,Head of board,x
"""
STAFF = {"CB1": ("UB", "CT", None), "CB2": ("UB", "PCT", "CB1"), "CB3": ("P", "TB", "CB1")}
STAFF_CSV = "staff_id,full_name,position_id,unit_id,manager_id,category\n" + "".join(
    f"{s},Người {s},{p},{u},{m or ''},can_bo\n" for s, (u, p, m) in STAFF.items())
POINTS = {"CB1": (30, 65), "CB2": (28, 62), "CB3": (30, 65)}
#: unit → (assigned, done, exceeded): UB never gives a count exceeded
TASKS: dict[str, tuple[int, int, int | None]] = {"UB": (10, 10, None), "P": (10, 10, 3)}
#: the year by hand (module docstring)
YEAR = {"CB1": (95.0, "HTT"), "CB2": (90.0, "HTXS"), "CB3": (95.0, "HTXS")}
UNIT_YEAR = {"UB": "HTT", "P": "HTXS"}
NO_COUNT = "Không có số nhiệm vụ hoàn thành vượt mức: tỷ lệ vượt mức chưa đạt 30%"


def marks(sid: str) -> dict[str, float]:
    general, tasks = POINTS[sid]
    return {"tieu_chi_chung": general, "ket_qua_nhiem_vu": tasks}


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(path).pages).split())


def objects_year() -> dict[str, evalkit.UnitClassification]:
    org = evalkit.Organisation(
        units=[evalkit.Unit("UB", "Văn phòng Ủy ban", head_id="CB1"),
               evalkit.Unit("P", "Ban Kinh tế", parent_id="UB", head_id="CB3")],
        positions=[evalkit.Position(p, p, manages_others=True) for p in ("CT", "PCT", "TB")],
        staff=[evalkit.Staff(s, f"Người {s}", p, u, category="can_bo", manages_others=True,
                             manager_id=m) for s, (u, p, m) in STAFF.items()])  # fmt: skip
    months = [evalkit.classify_organisation(
        org, [evalkit.Assessment(s, per, competent_scores=marks(s)) for s in STAFF],
        [evalkit.UnitInputs(u, per, tasks_assigned=a, tasks_done=d, tasks_exceeded=x)
         for u, (a, d, x) in TASKS.items()]) for per in MONTHS]  # fmt: skip
    return evalkit.classify_organisation_year(months)


def frames_year(folder: Path) -> pd.DataFrame:
    rows = [{"staff_id": s, "full_name": f"Người {s}", "unit_id": u, "period": per,
             "category": "can_bo", "manages_others": True, "manager_id": m, **marks(s)}
            for per in MONTHS for s, (u, _p, m) in STAFF.items()]  # fmt: skip
    units = [{"unit_id": u, "parent_id": None if u == "UB" else "UB",
              "head_id": "CB1" if u == "UB" else "CB3", "period": per, "tasks_assigned": a,
              "tasks_done": d, "tasks_exceeded": x}
             for per in MONTHS for u, (a, d, x) in TASKS.items()]  # fmt: skip
    staff, unit_frame = csv_frames(folder, rows, units)
    _, results, unit_results = classify_months(staff, unit_frame)
    return evalkit.classify_year(results, unit_results)


def cli_year(folder: Path) -> dict[str, Any]:
    org = org_file(folder, UNITS_CSV, POSITIONS_CSV, STAFF_CSV)
    archive = folder / "luu-tru.sqlite"
    for per in MONTHS:
        tpl, book, res = folder / f"mau-{per}.xlsx", folder / f"{per}.xlsx", folder / f"{per}.json"
        ok("template", "--rules", RULES, "--period", per, "--org", str(org), str(tpl))
        fill_workbook(tpl, book,
                      lambda s, _r: {f"competent__{k}": v for k, v in marks(s).items()},
                      lambda u, _r: dict(zip(("tasks_assigned", "tasks_done", "tasks_exceeded"),
                                             TASKS[u], strict=True)))  # fmt: skip
        ok("validate", str(book), "--org", str(org))
        ok("classify", str(book), "--org", str(org), "--out", str(res))
        ok("finalize", str(res), "--archive", str(archive), "--by", "TCCB", "--org", str(org))
    ok("annual", "--archive", str(archive), "--year", "2026", "--out", str(folder / "nam.csv"))
    ok("render", "--archive", str(archive), "--period", "2026", "--org", str(org),
       "--out", str(folder / "pdf"))  # fmt: skip
    return {"annual": pd.read_csv(folder / "nam.csv", dtype={"staff_id": str}),
            "units": {u: pdf_text(folder / "pdf" / "units" / f"2026_{u}.pdf") for u in TASKS}}


def test_a_unit_year_without_a_count_exceeded_says_so_at_every_door(tmp_path: Path) -> None:
    objects = objects_year()
    frames = frames_year(tmp_path)
    cli = cli_year(tmp_path)
    # the people's year by hand, the same at the three doors
    assert {r.staff_id: (r.total, r.grade.code if r.grade else None)
            for c in objects.values() for r in c.staff} == YEAR  # fmt: skip
    for year, total, grade in ((frames, "total", "grade"),
                               (cli["annual"], "annual_total", "annual_grade")):  # fmt: skip
        got = year.set_index("staff_id")
        assert {s: (float(got.loc[s, total]), str(got.loc[s, grade])) for s in YEAR} == YEAR
    assert {u: str(g) for u, g in frames.groupby("unit_id")["unit_grade"].first().items()
            } == UNIT_YEAR  # fmt: skip
    # the unit's year: HTT for want of a count exceeded, said as the months say it
    said = {u: [f"{r.message_vi} ({r.source})" for r in c.unit.reasons]
            for u, c in objects.items()}  # fmt: skip
    assert {u: c.unit.grade.code for u, c in objects.items() if c.unit.grade} == UNIT_YEAR
    assert objects["UB"].unit.exceeded_percent is None
    assert said["UB"] == [f"{NO_COUNT} để xếp Hoàn thành xuất sắc nhiệm vụ "
                          "(QĐ 366-QĐ/TW, Điều 11 k1)"]  # fmt: skip
    assert said["P"] == [] and objects["P"].unit.exceeded_percent == pytest.approx(30.0)
    # the year's unit summary printed from the archive says the same, never a 0 % typed by nobody
    assert NO_COUNT in cli["units"]["UB"] and "vượt mức 0%" not in cli["units"]["UB"]
    assert "QĐ 366-QĐ/TW, Điều 11 k1" in cli["units"]["UB"]
    assert "vượt mức" not in cli["units"]["P"]
