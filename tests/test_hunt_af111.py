"""Acceptance hunt af111 (issue 13): NĐ 335/2025 leaders (d, đ, e), deputies, the management
chain and the quota tie-break, one year of a Sở through the command line, the objects and
frames read back from CSV.

The Sở S (director GD; deputies PG1, PG2) has three phòng P1, P2, P3 (heads TP1, TP2, TP3,
deputies PP1, PP2, PP3). The chain: PG1 is in charge of P1 and P2 (TP1, TP2 report to PG1),
PG2 of P3; each PPi reports to TPi; X (P1) reports to PP1, everyone else to their head.

"Under their authority" (NĐ 335/2025 Điều 15 k3 (d): the results of the *field, part or unit
assigned to lead, manage, be in charge of*; "every civil servant under their authority") is
read as the whole area led, down the chain — the field a director or deputy leads includes
the phòng under it, not only the heads who report to them (docs/rule-sets.md
``[management] scope = "area"``, the preset's reading; an agency may choose ``direct``).

Scores (competent level; general criteria 30 max, Điều 12 k2; task block Điều 16:
(a+b+c)/3 × 70 %, a leader (a+b+c+d+đ+e)/6 × 70 %; totals half-up to the cent, the preset's
``[scoring] rounding``; the year = mean of the months, Điều 21):

* GD, PG1, PG2: a = b = c = 100, đ = e = 100, d computed → 100; with d = 50:
  30 + 550/6 × 0.7 = 30 + 64.1667 = 94.17 (the brief's example).
* TP1, PP1, TP2, PP2: a = b = c = 70, đ = e = 100 → 30 + (210 + 300)/6 × 0.7 = 89.5; with
  d = 50: 30 + 460/6 × 0.7 = 83.67.
* TP3: đ = 50 (a finding, all year) → 30 + 550/6 × 0.7 = 94.17; PP3: đ = e = 50 →
  30 + 500/6 × 0.7 = 88.33.
* X: 79 (30 + 0.7 × 70) but 49.99 in March (14.99 + 0.7 × 50) and 50.00 in April (15 + 35):
  March → the d of PP1, TP1, PG1 and GD is 50 (X below 50 in their area); April → 100
  (50.00 is in the HT band, Điều 20 k3). PG2, TP2, TP3 never count X. Year:
  (10 × 79 + 49.99 + 50)/12 = 74.1658 → 74.17.
* PP1 types d = 100 in March (computed 50); TP2 types d = 50 in May (computed 100): each is
  reported with both values, the computed one counts (domain brief §4.1).

Year: GD (11 × 100 + 94.17)/12 = 99.51, PG1 the same, PG2 100; TP1, PP1
(11 × 89.5 + 83.67)/12 = 89.01; TP2, PP2 89.5; TP3 94.17; PP3 88.33.

Units (tasks done of 10, the unit's score): S 8 → 80 HTT; P1, P2 10 → 100 HTXS; P3 6 → 60
HT. The head is not above the unit: GD 99.51 → HTT; TP3 94.17 → HT.

Disqualifiers (Điều 20 k4): PG2 (a deputy) corruption in the unit in June → KHT (k4 d);
D3 (96) reprimanded for a duty-related violation in July → KHT (k4 c); D4 (79) reprimanded
for a violation *not* related to public duty → stays HTT; D5 (79) degradation concluded in
September → KHT (k4 b).

Quota (Điều 20 k5 a: HTXS ≤ 20 % of those rated HTT, per unit and per duty group; floor,
HTT counted before demotion, tie-break total → task points → fewer deductions → competent
order — domain brief §4.6 — then staff id, docs/units.md):

* S: HTT = GD (capped) = 1 → floor(0.2) = 0: PG1 (99.51) demoted to HTT.
* P1: HTT = TP1, PP1, X, F1–F10 = 13 → floor(2.6) = 2 (half-up, or counting after
  demotion 13 + 2 = 15 → 3, would give 3). Candidates A1 96 (26 + 70), A3 93 (23 + 70),
  A2 93 (30 + 0.7 × 90), A4 91 (21 + 70): A2 and A3 tie on the total, A3's task points
  (70) beat A2's (63) → A1, A3 keep; A2, A4 demoted.
* P2, duty group g1: HTT = TP2, PP2, G1–G10 = 12 → floor(2.4) = 2. B1 96; B2 and B3 both
  30 + (100 + 75 + 100)/3 × 0.7 = 94.17, B2 typed b = 100 with one major error every month
  (−25 %, Điều 14 k2 b), B3 typed b = 75 → B3 has fewer deductions → B1, B3 keep; B2 and
  B4 (91) demoted.
* P2, duty group g2: HTT = H1–H5 = 5 → 1. C1 and C2 both 93 (30 + 63), no deductions; the
  competent level orders C2 first (``competent_order`` 1, C1 2) → C2 keeps, C1 demoted.
  (One group for P2 would be 17 HTT → 3 places.)
* P3: HTT = PP3, D4, E1–E3 = 5 → 1. D1 and D2 identical, no order → staff id: D1 keeps,
  D2 demoted.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import evalkit
from evalkit.errors import InputError
from evalkit.io.workbook import SCORES_SHEET
from tests._cli_helpers import fill_workbook, header_columns, month_by_cli, ok, org_file, run
from tests._io_helpers import classify_months, csv_frames

pytestmark = pytest.mark.slow

RS = evalkit.rules.get("vn.nd335-2025")
MONTHS = list(range(1, 13))
D, DD, E = "ket_qua_linh_vuc", "to_chuc_trien_khai", "tap_hop_doan_ket"
TASKS = ("so_luong", "chat_luong", "tien_do")
GENERAL_IDS = [c for c in RS.full_marks() if c not in TASKS]

# ------------------------------------------------------------------ the Sở

UNITS = {  # unit → (name, parent, head, tasks done of 10)
    "S": ("Sở Nội vụ", None, "GD", 8),
    "P1": ("Phòng Tổ chức cán bộ", "S", "TP1", 10),
    "P2": ("Phòng Công chức - Viên chức", "S", "TP2", 10),
    "P3": ("Phòng Cải cách hành chính", "S", "TP3", 6),
}
#: person → (unit, position, manager, duty group)
PEOPLE: dict[str, tuple[str, str, str | None, str | None]] = {
    "GD": ("S", "GDS", None, None),
    "PG1": ("S", "PGD", "GD", None), "PG2": ("S", "PGD", "GD", None),
    "TP1": ("P1", "TP", "PG1", None), "TP2": ("P2", "TP", "PG1", "g1"),
    "TP3": ("P3", "TP", "PG2", None),
    "PP1": ("P1", "PP", "TP1", None), "PP2": ("P2", "PP", "TP2", "g1"),
    "PP3": ("P3", "PP", "TP3", None),
    "X": ("P1", "CV", "PP1", None),
    **{f"A{i}": ("P1", "CV", "TP1", None) for i in range(1, 5)},
    **{f"F{i}": ("P1", "CV", "TP1", None) for i in range(1, 11)},
    **{f"B{i}": ("P2", "CV", "TP2", "g1") for i in range(1, 5)},
    **{f"G{i}": ("P2", "CV", "TP2", "g1") for i in range(1, 11)},
    "C1": ("P2", "CV", "TP2", "g2"), "C2": ("P2", "CV", "TP2", "g2"),
    **{f"H{i}": ("P2", "CV", "TP2", "g2") for i in range(1, 6)},
    **{f"D{i}": ("P3", "CV", "TP3", None) for i in range(1, 6)},
    **{f"E{i}": ("P3", "CV", "TP3", None) for i in range(1, 4)},
}  # fmt: skip
LEADERS = {"GD", "PG1", "PG2", "TP1", "TP2", "TP3", "PP1", "PP2", "PP3"}
POSITIONS = {"GDS": "Giám đốc Sở", "PGD": "Phó Giám đốc Sở", "TP": "Trưởng phòng",
             "PP": "Phó Trưởng phòng", "CV": "Chuyên viên"}  # fmt: skip

#: staff: (general points, task %) — the total is general + 0.7 × task %
STAFF_PLAN: dict[str, tuple[float, float]] = {
    "A1": (26, 100), "A2": (30, 90), "A3": (23, 100), "A4": (21, 100),
    "B1": (26, 100), "B4": (21, 100), "C1": (30, 90), "C2": (30, 90),
    "D1": (30, 90), "D2": (30, 90), "D3": (26, 100),
}
TYPED_D = {("PP1", 3): 100.0, ("TP2", 5): 50.0}  # (person, month) → a typed d
COMPUTED_D = {("PP1", 3): 50.0, ("TP2", 5): 100.0}
ORDER = {"C1": 2, "C2": 1}  # the competent level's order for the year


def general(points: float) -> dict[str, float]:
    """The general criteria (Điều 12 k2) giving ``points``, filled in the preset's order."""
    out, rest = {}, round(points, 2)
    for cid in GENERAL_IDS:
        out[cid] = min(RS.full_marks()[cid], rest)
        rest = round(rest - out[cid], 2)
    assert rest == 0
    return out


def marks(sid: str, month: int) -> dict[str, float]:
    """The competent level's scores of ``sid`` in ``month`` (module docstring)."""
    if sid in LEADERS:
        top = sid in ("GD", "PG1", "PG2", "TP3", "PP3")
        x = 100.0 if top else 70.0
        out = {**general(30), **dict.fromkeys(TASKS, x), DD: 100.0, E: 100.0}
        if sid in ("TP3", "PP3"):
            out[DD] = 50.0
        if sid == "PP3":
            out[E] = 50.0
        if (sid, month) in TYPED_D:
            out[D] = TYPED_D[sid, month]
        return out
    if sid == "X":
        g, x = {3: (14.99, 50.0), 4: (15.0, 50.0)}.get(month, (30.0, 70.0))
        return {**general(g), **dict.fromkeys(TASKS, x)}
    if sid in ("B2", "B3"):
        return {**general(30), "so_luong": 100.0, "tien_do": 100.0,
                "chat_luong": 100.0 if sid == "B2" else 75.0,
                "loi_chat_luong": 1.0 if sid == "B2" else 0.0}  # fmt: skip
    g, x = STAFF_PLAN.get(sid, (30, 70))
    return {**general(g), **dict.fromkeys(TASKS, float(x))}


def flags(sid: str, month: int) -> dict[str, Any]:
    """PG2's corruption in June; D3, D4 reprimanded in July; D5's degradation in September."""
    if (sid, month) == ("PG2", 6):
        return {"corruption_in_unit": True}
    if (sid, month) == ("D3", 7):
        return {"discipline": 1}
    if (sid, month) == ("D4", 7):
        return {"discipline": 1, "discipline_related_to_duty": False}
    if (sid, month) == ("D5", 9):
        return {"degradation": True}
    return {}


def month_total(sid: str, month: int) -> float:
    """The month by hand (module docstring)."""
    if sid in LEADERS:
        top = sid in ("GD", "PG1", "PG2", "TP3", "PP3")
        d_low = month == 3 and sid in ("GD", "PG1", "TP1", "PP1")
        if sid == "TP3":
            return 94.17
        if sid == "PP3":
            return 88.33
        if top:
            return 94.17 if d_low else 100.0
        return 83.67 if d_low else 89.5
    if sid == "X":
        return {3: 49.99, 4: 50.0}.get(month, 79.0)
    if sid in ("B2", "B3"):
        return 94.17
    g, x = STAFF_PLAN.get(sid, (30, 70))
    return round(g + 0.7 * x, 2)


def month_d(sid: str, month: int) -> float:
    """The computed d: 50 in March for those whose area holds X (PP1, TP1, PG1, GD)."""
    return 50.0 if month == 3 and sid in ("GD", "PG1", "TP1", "PP1") else 100.0


#: the year by hand: (total, grade, a reason code the grade comes from or None)
YEAR: dict[str, tuple[float, str, str | None]] = {
    "GD": (99.51, "HTT", "cap.head_unit"), "PG1": (99.51, "HTT", "quota.demoted"),
    "PG2": (100.0, "KHT", "disqualifier.corruption"),
    "TP1": (89.01, "HTT", None), "PP1": (89.01, "HTT", None), "X": (74.17, "HTT", None),
    "A1": (96.0, "HTXS", None), "A2": (93.0, "HTT", "quota.demoted"),
    "A3": (93.0, "HTXS", None), "A4": (91.0, "HTT", "quota.demoted"),
    **{f"F{i}": (79.0, "HTT", None) for i in range(1, 11)},
    "TP2": (89.5, "HTT", None), "PP2": (89.5, "HTT", None),
    "B1": (96.0, "HTXS", None), "B2": (94.17, "HTT", "quota.demoted"),
    "B3": (94.17, "HTXS", None), "B4": (91.0, "HTT", "quota.demoted"),
    **{f"G{i}": (79.0, "HTT", None) for i in range(1, 11)},
    "C1": (93.0, "HTT", "quota.demoted"), "C2": (93.0, "HTXS", None),
    **{f"H{i}": (79.0, "HTT", None) for i in range(1, 6)},
    "TP3": (94.17, "HT", "cap.head_unit"), "PP3": (88.33, "HTT", None),
    "D1": (93.0, "HTXS", None), "D2": (93.0, "HTT", "quota.demoted"),
    "D3": (96.0, "KHT", "disqualifier.discipline"), "D4": (79.0, "HTT", None),
    "D5": (79.0, "KHT", "disqualifier.degradation"),
    **{f"E{i}": (79.0, "HTT", None) for i in range(1, 4)},
}  # fmt: skip


def test_the_plan_adds_up() -> None:
    """The oracle's own arithmetic: each month's total from the formula (Điều 16), and the
    year's mean (Điều 21), agree with the figures written by hand above."""
    for sid in PEOPLE:
        for m in MONTHS:
            s = marks(sid, m)
            gen = sum(s[c] for c in GENERAL_IDS)
            b = s["chat_luong"] * (1 - 0.25 * s.get("loi_chat_luong", 0))
            parts = [s["so_luong"], b, s["tien_do"]]
            if sid in LEADERS:
                parts += [month_d(sid, m), s[DD], s[E]]
            want = gen + sum(parts) / len(parts) * 0.7
            assert round(want + 1e-9, 2) == month_total(sid, m), (sid, m)
        mean = sum(month_total(sid, m) for m in MONTHS) / 12
        assert round(mean + 1e-9, 2) == YEAR[sid][0], sid


# ------------------------------------------------------------------ the command line

UNITS_CSV = "unit_id,name,parent_id,head_id,governing_body,place\n" + "".join(
    f"{u},{n},{p or ''},{h},Ủy ban nhân dân tỉnh Sông Lam,Lam Giang\n"
    for u, (n, p, h, _) in UNITS.items())
POSITIONS_CSV = "position_id,title,manages_others\n" + "".join(
    f"{p},{t},{'' if p == 'CV' else 'x'}\n" for p, t in POSITIONS.items())
STAFF_CSV = "staff_id,full_name,position_id,unit_id,manager_id,duty_group\n" + "".join(
    f"{s},Người {s},{pos},{u},{m or ''},{g or ''}\n" for s, (u, pos, m, g) in PEOPLE.items())


def fill(template: Path, out: Path, month: int) -> None:
    """Type the competent level's scores, the flags and the units' tasks into the template."""

    def staff(sid: str, _row: Mapping[str, Any]) -> dict[str, Any]:
        return {**{"competent__" + k: v for k, v in marks(sid, month).items()},
                **{k: v if not isinstance(v, bool) else "x" if v else "không"
                   for k, v in flags(sid, month).items()}}  # fmt: skip

    fill_workbook(template, out, staff,
                  lambda u, _row: {"tasks_assigned": 10, "tasks_done": UNITS[u][3]})


@pytest.fixture(scope="module")
def cli_year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Twelve months: ``template`` → filled → ``validate`` → ``classify`` → ``finalize``;
    then ``annual`` with the competent level's order."""
    tmp = tmp_path_factory.mktemp("hunt111")
    org = org_file(tmp, UNITS_CSV, POSITIONS_CSV, STAFF_CSV)
    archive = tmp / "luu-tru.sqlite"
    months: dict[int, pd.DataFrame] = {}
    books: dict[int, Path] = {}
    for m in MONTHS:
        per = f"2026-{m:02d}"
        tpl, book = tmp / f"mau-{m:02d}.xlsx", tmp / f"thang-{m:02d}.xlsx"
        res, csv = tmp / f"ket-qua-{m:02d}.json", tmp / f"ket-qua-{m:02d}.csv"
        months[m] = month_by_cli(org, RS.id, per, partial(fill, month=m), tpl, book, res, csv)
        books[m] = book
        ok("finalize", str(res), "--archive", str(archive), "--by", "TCCB", "--org", str(org))
    conclusions = tmp / "ket-luan.csv"
    conclusions.write_text("staff_id,competent_order\n" + "".join(
        f"{s},{o}\n" for s, o in ORDER.items()), encoding="utf-8")
    table = tmp / "nam.csv"
    ok("annual", "--archive", str(archive), "--year", "2026", "--conclusions",
       str(conclusions), "--out", str(table))  # fmt: skip
    return {"tmp": tmp, "org": org, "archive": archive, "months": months, "books": books,
            "conclusions": conclusions,
            "annual": pd.read_csv(table, dtype={"staff_id": str})}  # fmt: skip


def test_the_month_totals_and_d_on_the_command_line(cli_year: dict[str, Any]) -> None:
    """Every month's total and every leader's computed d, by hand (Điều 15 k3, Điều 16):
    X at 49.99 in March makes the d of PP1, TP1, PG1 and GD 50 (the whole chain above X),
    X at 50.00 in April gives them 100; PG2, TP2, TP3 (other areas) are never touched."""
    for m, frame in cli_year["months"].items():
        got = frame.set_index("staff_id")
        assert sorted(got.index) == sorted(PEOPLE), m
        for sid in PEOPLE:
            assert got.loc[sid, "total"] == pytest.approx(month_total(sid, m), abs=1e-9), (sid, m)
        for sid in LEADERS:
            assert got.loc[sid, "mgmt_value"] == month_d(sid, m), (sid, m)


def test_a_typed_d_against_the_computed_one_is_reported_on_the_command_line(
    cli_year: dict[str, Any],
) -> None:
    """PP1 typed 100 in March, computed 50; TP2 typed 50 in May, computed 100: both values
    and the person are in the results, the sentence says both (domain brief §4.1)."""
    for (sid, m), typed in TYPED_D.items():
        row = cli_year["months"][m].set_index("staff_id").loc[sid]
        assert row["mgmt_typed"] == typed and row["mgmt_value"] == COMPUTED_D[sid, m]
        assert "management.d_typed" in str(row["reasons"]).split(";")
        vi = str(row["reasons_vi"])
        assert f"ghi {typed:g}%" in vi and f"({COMPUTED_D[sid, m]:g}%)" in vi, vi
        assert "Điều 15" in vi, vi
    for m, frame in cli_year["months"].items():
        said = frame[frame["reasons"].astype(str).str.contains("management.d_typed")]
        assert sorted(said["staff_id"]) == sorted(s for s, mm in TYPED_D if mm == m), m


def test_validate_notes_a_typed_d_the_engine_will_replace(cli_year: dict[str, Any]) -> None:
    """``validate`` of a month whose typed d differs from the computed one has no problem
    (exit 0: the computed d counts, NĐ 335/2025 Điều 15 k3) but says so, per leader, with
    both values and the citation, as ``classify`` will (domain brief §4.1: a typed value is
    never replaced silently); a month without such a d says nothing more."""
    org = str(cli_year["org"])
    for m in (1, 3, 5):
        code, out, err = run("validate", str(cli_year["books"][m]), "--org", org)
        assert code == 0, err
        noted = [ln for ln in err.splitlines() if ln.startswith("Lưu ý — ")]
        want = sorted(s for s, mm in TYPED_D if mm == m)
        assert sorted(ln.split()[3] for ln in noted) == want, (m, err)
        for (sid, mm), typed in TYPED_D.items():
            if mm == m:
                line = next(ln for ln in noted if ln.split()[3] == sid)
                assert f"ghi {typed:g}%" in line and f"({COMPUTED_D[sid, m]:g}%)" in line, line
                assert "Điều 15 k3" in line, line
    code, out, _ = run("validate", str(cli_year["books"][3]), "--org", org, "--json")
    import json

    said = json.loads(out)
    assert code == 0 and said["ok"] is True and len(said["notices"]) == 1
    assert "PP1" in said["notices"][0] and "ghi 100%" in said["notices"][0]
    assert "notices" not in json.loads(run("validate", str(cli_year["books"][1]), "--org", org,
                                           "--json")[1])


def test_score_reports_the_typed_d_too(cli_year: dict[str, Any]) -> None:
    """``evalkit score`` (no unit steps) with ``--org`` computes d as ``classify`` does and
    reports PP1's typed d (docs/cli.md, ``score``)."""
    out = cli_year["tmp"] / "diem-03.csv"
    ok("score", str(cli_year["books"][3]), "--org", str(cli_year["org"]), "--out", str(out))
    row = pd.read_csv(out, dtype={"staff_id": str}).set_index("staff_id").loc["PP1"]
    assert (row["mgmt_typed"], row["mgmt_value"], row["total"]) == (100.0, 50.0, 83.67)
    assert "management.d_typed" in str(row["reasons"])


def test_the_year_on_the_command_line(cli_year: dict[str, Any]) -> None:
    """``annual``: every total, grade and the reason it comes from (module docstring)."""
    year = cli_year["annual"].set_index("staff_id")
    assert sorted(year.index) == sorted(YEAR)
    for sid, (total, grade, code) in YEAR.items():
        row = year.loc[sid]
        assert (round(row["annual_total"], 2), row["annual_grade"]) == (total, grade), sid
        codes = str(row["reasons"]).split(";")
        if code:
            assert code in codes, (sid, codes)
        assert ("quota.demoted" in codes) == (code == "quota.demoted"), (sid, codes)


# ------------------------------------------------------------------ objects and frames


def organisation() -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit(u, n, p, head_id=h, governing_body="Ủy ban nhân dân tỉnh Sông Lam")
               for u, (n, p, h, _) in UNITS.items()],
        positions=[evalkit.Position(p, t, manages_others=p != "CV") for p, t in POSITIONS.items()],
        staff=[evalkit.Staff(s, f"Người {s}", pos, u, manages_others=pos != "CV",
                             duty_group=g, manager_id=m)
               for s, (u, pos, m, g) in PEOPLE.items()])  # fmt: skip


def assessment(sid: str, month: int) -> evalkit.Assessment:
    return evalkit.Assessment(sid, f"2026-{month:02d}", competent_scores=marks(sid, month),
                              **flags(sid, month))


def unit_inputs(month: int) -> list[evalkit.UnitInputs]:
    return [evalkit.UnitInputs(u, f"2026-{month:02d}", tasks_assigned=10, tasks_done=d)
            for u, (_, _, _, d) in UNITS.items()]  # fmt: skip


@pytest.fixture(scope="module")
def objects_year() -> dict[str, Any]:
    org = organisation()
    months = [evalkit.classify_organisation(org, [assessment(s, m) for s in PEOPLE],
                                            unit_inputs(m)) for m in MONTHS]  # fmt: skip
    conclusions = [evalkit.Assessment(s, "2026", competent_order=o) for s, o in ORDER.items()]
    return {"months": months,
            "year": evalkit.classify_organisation_year(months, conclusions=conclusions)}


def staff_months_csv(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The twelve months as frames, through ``to_csv`` and ``pd.read_csv``."""
    rows = [{"staff_id": s, "full_name": f"Người {s}", "unit_id": u, "period": f"2026-{m:02d}",
             "manages_others": pos != "CV", "manager_id": mg, "duty_group": g,
             "position_id": pos, **marks(s, m), **flags(s, m)}
            for m in MONTHS for s, (u, pos, mg, g) in PEOPLE.items()]  # fmt: skip
    units = [{"unit_id": u, "name": n, "parent_id": p, "head_id": h, "period": f"2026-{m:02d}",
              "tasks_assigned": 10, "tasks_done": d}
             for m in MONTHS for u, (n, p, h, d) in UNITS.items()]  # fmt: skip
    return csv_frames(folder, rows, units)


@pytest.fixture(scope="module")
def frames_year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    staff, units = staff_months_csv(tmp_path_factory.mktemp("frames111"))
    _, results, unit_results = classify_months(staff, units)
    conclusions = pd.DataFrame({"staff_id": list(ORDER), "competent_order": list(ORDER.values())})
    return {"months": results, "units": unit_results,
            "year": evalkit.classify_year(results, unit_results, conclusions=conclusions)}


def test_the_objects_months_and_d(objects_year: dict[str, Any]) -> None:
    """The month totals and d by hand; the typed d reported with both values on the
    result of the person who typed it."""
    for m, month in zip(MONTHS, objects_year["months"], strict=True):
        for uc in month.values():
            for r in uc.staff:
                assert round(r.total, 2) == month_total(r.staff_id, m), (r.staff_id, m)
                typed = [x for x in r.reasons if x.code == "management.d_typed"]
                assert bool(typed) == ((r.staff_id, m) in TYPED_D), (r.staff_id, m)
                if typed:
                    t, c = TYPED_D[r.staff_id, m], COMPUTED_D[r.staff_id, m]
                    assert f"ghi {t:g}%" in typed[0].message_vi
                    assert f"({c:g}%)" in typed[0].message_vi
                    assert "Điều 15" in typed[0].source


def test_the_frames_months_and_d(frames_year: dict[str, Any]) -> None:
    m = frames_year["months"]
    for _, r in m.iterrows():
        sid, month = r["staff_id"], int(str(r["period"])[5:7])
        assert r["total"] == pytest.approx(month_total(sid, month), abs=1e-9), (sid, month)
        if sid in LEADERS:
            assert r["mgmt_value"] == month_d(sid, month), (sid, month)
        said = "management.d_typed" in str(r["reasons"]).split(";")
        assert said == ((sid, month) in TYPED_D), (sid, month)
        if said:
            assert r["mgmt_typed"] == TYPED_D[sid, month]


def _year_of_objects(year: dict[str, Any]) -> dict[str, tuple[float, str, tuple[str, ...]]]:
    return {r.staff_id: (round(r.total, 2), r.grade.code, tuple(r.reason_codes()))
            for uc in year.values() for r in uc.staff}  # fmt: skip


def _check_year(got: dict[str, tuple[float, str, tuple[str, ...]]]) -> None:
    assert sorted(got) == sorted(YEAR)
    for sid, (total, grade, code) in YEAR.items():
        assert got[sid][:2] == (total, grade), (sid, got[sid])
        if code:
            assert code in got[sid][2], (sid, got[sid])
        assert ("quota.demoted" in got[sid][2]) == (code == "quota.demoted"), (sid, got[sid])


def test_the_objects_year(objects_year: dict[str, Any]) -> None:
    _check_year(_year_of_objects(objects_year["year"]))


def test_the_frames_year(frames_year: dict[str, Any]) -> None:
    y = frames_year["year"]
    _check_year({r["staff_id"]: (round(r["annual_total"], 2), r["annual_grade"],
                                 tuple(str(r["reasons"]).split(";"))) for _, r in y.iterrows()})


def test_the_three_doors_give_the_same_sentences(
    objects_year: dict[str, Any], frames_year: dict[str, Any], cli_year: dict[str, Any],
) -> None:
    """Issue 13: the same Vietnamese reasons with their citations at every door."""
    objects = {r.staff_id: tuple(f"{x.message_vi} ({x.source})" if x.source else x.message_vi
                                 for x in r.reasons)
               for uc in objects_year["year"].values() for r in uc.staff}  # fmt: skip
    frames = {r.staff_id: tuple(f"{x.message_vi} ({x.source})" if x.source else x.message_vi
                                for x in r.reasons)
              for r in evalkit.results_from_frame(frames_year["year"])}  # fmt: skip
    assert objects == frames
    cli = cli_year["annual"].set_index("staff_id")
    for sid, said in objects.items():
        assert tuple(str(cli.loc[sid, "reasons_vi"]).split(" | ")) == said, sid


# ------------------------------------------------------------------ the quota report


def test_the_quota_places_per_unit_and_duty_group(cli_year: dict[str, Any]) -> None:
    """20 % of those proposed HTT, floor, counted before demotion: S 1 → 0, P1 13 → 2,
    P2/g1 12 → 2, P2/g2 5 → 1, P3 5 → 1 (Điều 20 k5 a; domain brief §4.6)."""
    year = cli_year["annual"]
    kept = year[year["annual_grade"] == "HTXS"].groupby("unit_id")["staff_id"].apply(sorted)
    assert kept.to_dict() == {"P1": ["A1", "A3"], "P2": ["B1", "B3", "C2"], "P3": ["D1"]}
    htt_before = year[year["proposed_grade"] == "HTT"]
    base = htt_before.groupby(["unit_id", htt_before["duty_group"].fillna("")]).size()
    assert base.to_dict() == {("S", ""): 1, ("P1", ""): 13, ("P2", "g1"): 12, ("P2", "g2"): 5,
                              ("P3", ""): 5}  # fmt: skip


def test_without_the_competent_order_the_staff_id_decides(cli_year: dict[str, Any]) -> None:
    """The same year without ``--conclusions``: C1 and C2 tie all the way, the staff id
    decides (docs/units.md: "and finally staff id") — C1 keeps, C2 is demoted."""
    table = cli_year["tmp"] / "nam-khong-ket-luan.csv"
    ok("annual", "--archive", str(cli_year["archive"]), "--year", "2026", "--out", str(table))
    year = pd.read_csv(table, dtype={"staff_id": str}).set_index("staff_id")
    got = {s: year.loc[s, "annual_grade"] for s in ("C1", "C2")}
    assert got == {"C1": "HTXS", "C2": "HTT"}


# ------------------------------------------------------------------ đ, e typed findings


def test_a_management_value_outside_the_documented_values_is_refused(
    cli_year: dict[str, Any],
) -> None:
    """đ and e take 100 % or 50 % (Điều 15 k3, the preset's ``values``): đ = 75 typed for
    TP3 is refused, naming the person and the column, by the frames and the CLI."""
    rows = pd.DataFrame([{"staff_id": s, "unit_id": u, "period": "2026-03",
                          "manages_others": pos != "CV", "manager_id": mg,
                          **marks(s, 3)} for s, (u, pos, mg, _) in PEOPLE.items()
                         if u == "P3"])  # fmt: skip
    rows.loc[rows["staff_id"] == "TP3", DD] = 75.0
    units = pd.DataFrame([{"unit_id": "P3", "head_id": "TP3", "tasks_assigned": 10,
                           "tasks_done": 6}])  # fmt: skip
    with pytest.raises(InputError) as e:
        evalkit.classify_frame(rows, units)
    text = str(e.value)
    assert "TP3" in text and DD in text, text
    wb = openpyxl.load_workbook(cli_year["books"][3])
    ws = wb[SCORES_SHEET]
    col = header_columns(ws)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["staff_id"]).value == "TP3")
    ws.cell(row, col["competent__" + DD], 75)
    book = cli_year["tmp"] / "sai-03.xlsx"
    wb.save(book)
    for command in ("validate", "classify"):
        code, _, err = run(command, str(book), "--org", str(cli_year["org"]))
        assert code == 1 and "TP3" in err and DD in err and "75" in err, (command, code, err)


# ------------------------------------------------------------------ the leader's annual sheet


def _text(html: str) -> str:
    """The words of a rendered sheet (tags and styles dropped, spaces collapsed)."""
    import html as h
    import re

    body = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", h.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


@pytest.fixture(scope="module")
def annual_sheets(frames_year: dict[str, Any]) -> dict[str, str]:
    from evalkit.render import period_sheets_from_results, render_period_html

    sheets = period_sheets_from_results(frames_year["year"], frames_year["months"],
                                        org=organisation(),
                                        unit_results=frames_year["units"])  # fmt: skip
    return {s.staff.id: _text(render_period_html(s)) for s in sheets
            if s.staff.id in ("GD", "PG1", "PG2", "TP3", "PP1", "PP3")}  # fmt: skip


def test_the_leaders_annual_sheets_give_the_grounds_in_vietnamese(
    annual_sheets: dict[str, str],
) -> None:
    """The year's grounds with their citations: GD and TP3 capped at their unit (no article
    identified: no citation, the preset's ``[units]`` note), PG1 past the quota (Điều 20
    k5 a, 0 places of 1 HTT), PG2 KHT for corruption in the body led (Điều 20 k4 d)."""
    cap = "Người đứng đầu không được xếp loại cao hơn kết quả của đơn vị"
    assert cap in annual_sheets["GD"] and cap in annual_sheets["TP3"]
    assert "Điểm trung bình: 99,51" in annual_sheets["GD"]
    assert "Điểm trung bình: 94,17" in annual_sheets["TP3"]
    pg1 = annual_sheets["PG1"]
    assert "tối đa 0 người (20% của 1 người" in pg1 and "Điều 20 k5 a" in pg1, pg1
    assert "tham nhũng" in annual_sheets["PG2"] and "Điều 20 k4 d" in annual_sheets["PG2"]


def test_the_leaders_annual_sheet_shows_the_management_components(
    annual_sheets: dict[str, str],
) -> None:
    """GD's March is 94.17 because X scored 49.99 (d = 50 %, Điều 15 k3); PP1's March
    typed d = 100 % against the computed 50 %; TP3's đ = 50 % every month; PP3's đ and e."""
    _management_words(annual_sheets)


def test_the_english_annual_sheet_says_it_too(frames_year: dict[str, Any]) -> None:
    """The same notes in English for a foreign user (domain brief §5)."""
    from evalkit.render import period_sheets_from_results, render_period_html

    (gd,) = [s for s in period_sheets_from_results(
        frames_year["year"], frames_year["months"], org=organisation(),
        unit_results=frames_year["units"]) if s.staff.id == "GD"]  # fmt: skip
    text = _text(render_period_html(gd, lang="en"))
    assert "Component (d) 50%" in text
    assert ("March 2026: Component (d) = 50%: 1 of 52 staff under the leader's authority are "
            "below Completed duties (NĐ 335/2025/NĐ-CP, Điều 15 k3)") in text, text


def _management_words(sheets: dict[str, str]) -> None:
    """What the year's sheets say of the leaders' months (the monthly sheets say it too)."""
    gd, pp1, tp3, pp3 = sheets["GD"], sheets["PP1"], sheets["TP3"], sheets["PP3"]
    assert gd.count("Thành phần (d) 50%") == 1, gd  # March only, beside the month
    assert ("Tháng 03/2026: Thành phần (d) = 50%: có 1/52 công chức thuộc quyền quản lý có "
            "điểm dưới mức Hoàn thành nhiệm vụ (NĐ 335/2025/NĐ-CP, Điều 15 k3)") in gd, gd
    assert ("Tháng 03/2026: Thành phần (d) ghi 100% khác với kết quả tính từ điểm của công "
            "chức thuộc quyền quản lý (50%); áp dụng 50% (NĐ 335/2025/NĐ-CP, Điều 15 k3)"
            ) in pp1, pp1  # fmt: skip
    assert tp3.count("Thành phần (đ) 50%") == 12 and "(e)" not in tp3, tp3
    assert pp3.count("Thành phần (đ) 50%, (e) 50%") == 12, pp3
    for sid in ("PG1", "PG2"):  # d full every month (PG1: 50 in March)
        assert ("Thành phần (d) 50%" in sheets[sid]) == (sid == "PG1"), sid


def test_the_annual_sheets_from_the_archive_say_the_same(cli_year: dict[str, Any]) -> None:
    """``evalkit render --period 2026 --archive``: the PDFs say what the frames' sheets say."""
    pypdf = pytest.importorskip("pypdf")
    out = cli_year["tmp"] / "nam-pdf"
    ok("render", "--period", "2026", "--archive", str(cli_year["archive"]), "--org",
       str(cli_year["org"]), "--out", str(out))  # fmt: skip
    texts = {}
    for sid in ("GD", "PG1", "PG2", "TP3", "PP1", "PP3"):
        (pdf,) = [p for p in out.glob("*.pdf") if f"_{sid}_" in p.name or p.name.startswith(
            f"{sid}_") or f"-{sid}-" in p.name or f"_{sid}." in p.name]  # fmt: skip
        words = " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
        texts[sid] = " ".join(words.split())
    _management_words(texts)


# ------------------------------------------------------------------ amending a subordinate


def test_amending_a_subordinate_re_derives_the_chain_above(cli_year: dict[str, Any]) -> None:
    """X's March is corrected from 49.99 to 50.00 (``dap_ung_nhiem_vu`` 2.49 → 2.5) after
    the month was finalized: everyone above X gets d = 100 % again for March (Điều 15 k3),
    PP1's typed 100 % now agrees (no report), and the year follows: GD and PG1 100 (GD
    still capped at S's HTT, PG1 still past S's quota of 0), TP1 and PP1 89.5, X
    (10 × 79 + 50 + 50)/12 = 74.17."""
    import shutil

    archive = cli_year["tmp"] / "luu-tru-sua.sqlite"
    shutil.copy(cli_year["archive"], archive)
    ok("amend", "--archive", str(archive), "--period", "2026-03", "--staff", "X", "--set",
       "dap_ung_nhiem_vu=2,5", "--by", "TCCB", "--why", "Nhập nhầm điểm",
       "--org", str(cli_year["org"]))  # fmt: skip
    table = cli_year["tmp"] / "nam-sua.csv"
    ok("annual", "--archive", str(archive), "--year", "2026", "--conclusions",
       str(cli_year["conclusions"]), "--out", str(table))  # fmt: skip
    year = pd.read_csv(table, dtype={"staff_id": str}).set_index("staff_id")
    want = {"GD": (100.0, "HTT"), "PG1": (100.0, "HTT"), "TP1": (89.5, "HTT"),
            "PP1": (89.5, "HTT"), "X": (74.17, "HTT")}  # fmt: skip
    got = {s: (round(year.loc[s, "annual_total"], 2), year.loc[s, "annual_grade"]) for s in want}
    assert got == want
    for sid, (_, grade, _code) in YEAR.items():  # nobody else moves
        assert year.loc[sid, "annual_grade"] == grade, sid
