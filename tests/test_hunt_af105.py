"""Acceptance hunt af105 (issue 13, "One engine, one answer"): one unit mixing công chức
and viên chức under a công chức head, the twelve months of 2026 through the command line
(``org`` → ``template`` per staff group → the workbooks filled with openpyxl → ``validate``
→ ``classify`` → ``finalize`` → ``annual``), the same year through the objects and the
frames, and the band edges of NĐ 233/2026 and NĐ 335/2025.

Phòng P (head H, công chức, leads everyone). 8 of 10 tasks done every month: the unit
scores 80, HTT for the year (bands 90/70/50: NĐ 335/2025 Điều 20 k1–k4). Every score below
has the general criteria full (30) and the task criteria a = b = c = x %, so a staff
member's month is 30 + 0.7 x (x = 100 → 100, 99 → 99.3, 95 → 96.5, 80 → 86, 70 → 79, 60 →
72, 20 → 44); H has full marks as a leader, (d) included: 100.

Rule sets (domain brief §4.1, §4.2, §4.5): công chức under ``vn.nd335-2025`` all year;
viên chức under ``vn.nd90-2020`` January–June and ``vn.nd233-2026`` from July; the year of
a viên chức under NĐ 233 (the set of the last month).

Công chức (the year: mean of the months worked, NĐ 335 Điều 21):

* H: 100 → band HTXS, capped at the unit's HTT (``cap.head_unit``) → HTT;
* C1: 100; C6: maternity leave January–July, 99.3 the five months worked → 99.3, classified
  (Điều 21: the time actually worked; no 6-month rule in NĐ 335); C2: 96.5;
* C3: 86; C4 and C7–C13: 79 → HTT; C5: 100 but reprimanded (duty-related) in March → KHT
  (Điều 20 k4 c).
* Quota (Điều 20 k5 a, per unit and per rule set's group): HTT = H, C3, C4, C7–C13 = 10 →
  20 % → 2 HTXS: C1 (100) and C6 (99.3) keep it, C2 (96.5) is HTT (``quota.demoted``).

Viên chức (the year under NĐ 233/2026):

* V1: 100; V8: sick January–July, 99.3 the five months worked → classified on them
  (NĐ 233 Điều 14 k2: sick leave exempt from the 6-month rule) → 99.3; V2: 96.5;
* V3: 86; V4, V10–V15: 79; V5: 72 → HTT; V9: 72 but 44 in August → mean 69.67 → HT;
* V6: 100 but reprimanded (duty-related) in September → KHT (NĐ 233 Điều 12 k4 c);
* V7: absent ("vắng") January–July, 100 the five months worked → fewer than 6 months, not
  classified (NĐ 233 Điều 14 k1; absence is not in k2's list).
* Quota (Điều 12 k6 a): HTT = V3, V4, V5, V10–V15 = 9 → 20 % = 1.8 → floor 1 HTXS: V1
  keeps it, V8 (99.3) and V2 (96.5) are HTT (``quota.demoted``).

H's (d) counts only the công chức under H (NĐ 335 Điều 15 k3 speaks of the civil servants
under the leader's authority): V9's 44 in August does not lower it — H's August is 100.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit.rules
from tests._cli_helpers import fill_workbook, ok, org_file
from tests._io_helpers import classify_months, csv_frames

pytestmark = pytest.mark.slow

CC_IDS = ["H", *(f"C{i}" for i in range(1, 14))]
VC_IDS = [f"V{i}" for i in range(1, 16)]
MONTHS = list(range(1, 13))

UNITS_CSV = """unit_id,name,parent_id,head_id,governing_body,place
P,Phòng Văn hóa và Thông tin,,H,Ủy ban nhân dân huyện Sông Lam,Lam Giang
"""
POSITIONS_CSV = """position_id,title,title_en,manages_others
TP,Trưởng phòng,Head of division,x
CV,Chuyên viên,Specialist,
VC,Viên chức,Public employee,
"""
STAFF_CSV = "staff_id,full_name,position_id,unit_id,manager_id,category\n" + "".join(
    ["H,Trần Văn Bình,TP,P,,cong_chuc\n"]
    + [f"{s},Người {s},CV,P,H,cong_chuc\n" for s in CC_IDS[1:]]
    + [f"{s},Người {s},VC,P,H,vien_chuc\n" for s in VC_IDS]
)

#: the task share x of each person (every month unless SHARE_IN says otherwise)
SHARE: dict[str, int] = {
    "H": 100, "C1": 100, "C2": 95, "C3": 80, "C4": 70, "C5": 100, "C6": 99,
    **{f"C{i}": 70 for i in range(7, 14)},
    "V1": 100, "V2": 95, "V3": 80, "V4": 70, "V5": 60, "V6": 100, "V7": 100, "V8": 99,
    "V9": 60, **{f"V{i}": 70 for i in range(10, 16)},
}  # fmt: skip
SHARE_IN = {("V9", 8): 20}
#: (person, month) → the leave typed on the sheet (no scores that month)
LEAVE = {**{("C6", m): "Thai sản" for m in range(1, 8)},
         **{("V8", m): "Ốm" for m in range(1, 8)},
         **{("V7", m): "Vắng" for m in range(1, 8)}}  # fmt: skip
#: (person, month) → a reprimand (discipline 1) for a duty-related violation
REPRIMAND = {("C5", 3), ("V6", 9)}

#: the year by hand (module docstring): grade (None: not classified), total
YEAR: dict[str, tuple[str | None, float | None]] = {
    "H": ("HTT", 100.0), "C1": ("HTXS", 100.0), "C2": ("HTT", 96.5), "C3": ("HTT", 86.0),
    "C4": ("HTT", 79.0), "C5": ("KHT", 100.0), "C6": ("HTXS", 99.3),
    **{f"C{i}": ("HTT", 79.0) for i in range(7, 14)},
    "V1": ("HTXS", 100.0), "V2": ("HTT", 96.5), "V3": ("HTT", 86.0), "V4": ("HTT", 79.0),
    "V5": ("HTT", 72.0), "V6": ("KHT", 100.0), "V7": (None, 100.0), "V8": ("HTT", 99.3),
    "V9": ("HT", 69.67), **{f"V{i}": ("HTT", 79.0) for i in range(10, 16)},
}  # fmt: skip
DEMOTED = {"C2", "V2", "V8"}


def set_of(sid: str, month: int) -> str:
    """The rule set in force for the person in the month (domain brief §4.1, §4.2)."""
    if sid.startswith("V"):
        return "vn.nd90-2020" if month <= 6 else "vn.nd233-2026"
    return "vn.nd335-2025"


def month_total(sid: str, month: int) -> float | None:
    """The person's month by hand: None on leave, else 30 + 0.7 x (H: 100)."""
    if (sid, month) in LEAVE:
        return None
    x = SHARE_IN.get((sid, month), SHARE[sid])
    return round(30 + 0.7 * x, 2)


def fill(template: Path, out: Path, rule_set: str, month: int) -> None:
    """Type the competent level's scores, leave and discipline, and the unit's tasks."""
    rs = evalkit.rules.get(rule_set)

    def staff(sid: str, row: Mapping[str, Any]) -> dict[str, Any]:
        if (sid, month) in LEAVE:
            return {"leave": LEAVE[sid, month]}
        leads = row["manages_others"] == "x"
        x = SHARE_IN.get((sid, month), SHARE[sid])
        typed = {"competent__" + k: x if k in ("so_luong", "chat_luong", "tien_do") else v
                 for k, v in rs.full_marks(manages_others=leads).items()}  # fmt: skip
        if (sid, month) in REPRIMAND:
            typed["discipline"] = 1
        return typed

    fill_workbook(template, out, staff, lambda _u, _row: {"tasks_assigned": 10, "tasks_done": 8})


@pytest.fixture(scope="module")
def cli_year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The twelve months through the command line, then ``annual``."""
    tmp = tmp_path_factory.mktemp("hunt105")
    org = org_file(tmp, UNITS_CSV, POSITIONS_CSV, STAFF_CSV)
    archive = tmp / "luu-tru.sqlite"
    months: dict[int, pd.DataFrame] = {}
    for m in MONTHS:
        per = f"2026-{m:02d}"
        books = []
        for rs in ("vn.nd335-2025", set_of("V1", m)):
            tpl, book = tmp / f"mau-{rs}-{m:02d}.xlsx", tmp / f"{rs}-{m:02d}.xlsx"
            ok("template", "--rules", rs, "--period", per, "--org", str(org), str(tpl))
            fill(tpl, book, rs, m)
            books.append(str(book))
        ok("validate", *books, "--org", str(org))
        res = tmp / f"ket-qua-{m:02d}.json"
        ok("classify", *books, "--org", str(org), "--out", str(res))
        csv = tmp / f"ket-qua-{m:02d}.csv"
        ok("classify", *books, "--org", str(org), "--out", str(csv))
        months[m] = pd.read_csv(csv, dtype={"staff_id": str})
        ok("finalize", str(res), "--archive", str(archive), "--by", "TCCB", "--org", str(org))
    table = tmp / "nam.csv"
    ok("annual", "--archive", str(archive), "--year", "2026", "--out", str(table))
    doc = json.loads(ok("annual", "--archive", str(archive), "--year", "2026", "--json"))
    return {"tmp": tmp, "org": org, "archive": archive, "months": months,
            "annual": pd.read_csv(table, dtype={"staff_id": str}), "json": doc}  # fmt: skip


def test_every_month_is_scored_under_the_set_in_force_for_each_person(
    cli_year: dict[str, Any],
) -> None:
    """NĐ 90/2020 for viên chức until 2026-06-30, NĐ 233/2026 from 2026-07-01, NĐ 335/2025
    for công chức: each row's rule set and total are those worked out by hand."""
    for m, frame in cli_year["months"].items():
        got = frame.set_index("staff_id")
        assert sorted(got.index) == sorted(CC_IDS + VC_IDS), m
        for sid in CC_IDS + VC_IDS:
            assert got.loc[sid, "rule_set"] == set_of(sid, m), (sid, m)
            want = month_total(sid, m)
            total = got.loc[sid, "total"]
            if want is None:
                assert pd.isna(total), (sid, m, total)
            else:
                assert total == pytest.approx(want), (sid, m)


def test_the_heads_d_counts_only_the_civil_servants(cli_year: dict[str, Any]) -> None:
    """NĐ 335/2025 Điều 15 k3: (d) is 100 % when every công chức under the leader scores 50
    or more; V9 (viên chức, 44 in August) does not count, so H's August is 100."""
    aug = cli_year["months"][8].set_index("staff_id")
    assert aug.loc["V9", "total"] == pytest.approx(44.0)
    assert aug.loc["H", "total"] == pytest.approx(100.0)


def test_the_annual_grades_are_those_worked_out_by_hand(cli_year: dict[str, Any]) -> None:
    """The year (module docstring): NĐ 335 Điều 20, 21 for công chức, NĐ 233 Điều 12, 14
    for viên chức; the head capped at the unit's HTT; the quota per group on the year."""
    year = cli_year["annual"].set_index("staff_id")
    assert sorted(year.index) == sorted(YEAR)
    got = {s: (None if pd.isna(year.loc[s, "annual_grade"]) else year.loc[s, "annual_grade"])
           for s in YEAR}  # fmt: skip
    assert got == {s: g for s, (g, _) in YEAR.items()}
    for sid, (_, total) in YEAR.items():
        if total is not None and sid != "V7":
            assert year.loc[sid, "annual_total"] == pytest.approx(total), sid


def test_the_year_is_under_the_set_of_the_last_month(cli_year: dict[str, Any]) -> None:
    """A viên chức's year under NĐ 233/2026 (in force in December), a công chức's under
    NĐ 335/2025."""
    year = cli_year["annual"].set_index("staff_id")
    for sid in CC_IDS + VC_IDS:
        assert year.loc[sid, "rule_set"] == set_of(sid, 12), sid


def test_the_reasons_name_the_cap_the_quota_and_the_disqualifiers(
    cli_year: dict[str, Any],
) -> None:
    """The head cap (H), the quota (C2, V2, V8), the discipline (C5, V6), the 6-month rule
    (V7) and the sick leave (V8) are in the year's reasons."""
    year = cli_year["annual"].set_index("staff_id")
    reasons = {s: str(year.loc[s, "reasons"]) for s in YEAR}
    assert "cap.head_unit" in reasons["H"]
    for sid in YEAR:
        assert ("quota.demoted" in reasons[sid]) == (sid in DEMOTED), sid
    assert "disqualifier.discipline" in reasons["C5"]
    assert "disqualifier.discipline" in reasons["V6"]
    assert "rollup.too_few_months" in reasons["V7"]
    assert "rollup.leave" in reasons["V8"]


# ============================================================ seed 2: objects and frames

LEAVE_KIND = {"Thai sản": "maternity", "Ốm": "sick", "Vắng": "absent"}
Said = dict[str, tuple[float | None, str | None, tuple[str, ...], tuple[str, ...]]]


def marks(sid: str, month: int) -> dict[str, float] | None:
    """The competent level's scores of the month under the person's set (None: on leave)."""
    if (sid, month) in LEAVE:
        return None
    rs = evalkit.rules.get(set_of(sid, month))
    x = SHARE_IN.get((sid, month), SHARE[sid])
    if sid == "H":
        return dict(rs.full_marks(manages_others=True))
    return {**rs.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), x)}


def organisation() -> evalkit.Organisation:
    """Phòng P of the module docstring as objects."""
    return evalkit.Organisation(
        units=[evalkit.Unit("P", "Phòng Văn hóa và Thông tin", head_id="H")],
        positions=[evalkit.Position("TP", "Trưởng phòng", manages_others=True),
                   evalkit.Position("CV", "Chuyên viên"), evalkit.Position("VC", "Viên chức")],
        staff=[evalkit.Staff("H", "Trần Văn Bình", "TP", "P", manages_others=True),
               *(evalkit.Staff(s, f"Người {s}", "CV", "P", manager_id="H") for s in CC_IDS[1:]),
               *(evalkit.Staff(s, f"Người {s}", "VC", "P", category="vien_chuc", manager_id="H")
                 for s in VC_IDS)])  # fmt: skip


def assessment(sid: str, month: int) -> evalkit.Assessment:
    per = f"2026-{month:02d}"
    m = marks(sid, month)
    if m is None:
        return evalkit.Assessment(sid, per, leave=LEAVE_KIND[LEAVE[sid, month]])
    return evalkit.Assessment(sid, per, competent_scores=m,
                              discipline="khien_trach" if (sid, month) in REPRIMAND else "")


def _said(results: list[Any]) -> Said:
    """Each person's year: total, grade, reason codes, Vietnamese sentences with sources."""
    return {r.staff_id: (None if r.total is None else round(r.total, 2),
                         r.grade.code if r.grade else None,
                         tuple(x.code for x in r.reasons),
                         tuple(f"{x.message_vi} ({x.source})" if x.source else x.message_vi
                               for x in r.reasons)) for r in results}  # fmt: skip


@pytest.fixture(scope="module")
def objects_year() -> dict[str, Any]:
    org = organisation()
    months = [evalkit.classify_organisation(
        org, [assessment(s, m) for s in CC_IDS + VC_IDS],
        [evalkit.UnitInputs("P", f"2026-{m:02d}", tasks_assigned=10, tasks_done=8)])
        for m in MONTHS]  # fmt: skip
    return {"months": months, "year": evalkit.classify_organisation_year(months)}


def staff_months_csv(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The twelve months as frames, written with ``to_csv`` and read with ``pd.read_csv``."""
    rows = [{"staff_id": s, "full_name": f"Người {s}", "unit_id": "P",
             "period": f"2026-{m:02d}",
             "category": "vien_chuc" if s.startswith("V") else "cong_chuc",
             "manages_others": s == "H", "manager_id": None if s == "H" else "H",
             "leave": LEAVE_KIND[LEAVE[s, m]] if (s, m) in LEAVE else "",
             "discipline": "khien_trach" if (s, m) in REPRIMAND else "",
             **(marks(s, m) or {})} for m in MONTHS for s in CC_IDS + VC_IDS]  # fmt: skip
    units = [{"unit_id": "P", "name": "Phòng Văn hóa và Thông tin", "head_id": "H",
              "period": f"2026-{m:02d}", "tasks_assigned": 10, "tasks_done": 8}
             for m in MONTHS]  # fmt: skip
    return csv_frames(folder, rows, units)


@pytest.fixture(scope="module")
def frames_year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    staff, units = staff_months_csv(tmp_path_factory.mktemp("frames105"))
    _, results, unit_results = classify_months(staff, units)
    return {"months": results, "year": evalkit.classify_year(results, unit_results)}


def _of_objects(year: dict[str, Any]) -> Said:
    return {k: v for c in year.values() for k, v in _said(list(c.staff)).items()}


def _of_frame(year: pd.DataFrame) -> Said:
    return _said(evalkit.results_from_frame(year))


def _grades(said: Said) -> dict[str, tuple[str | None, float | None]]:
    return {s: (g, t) for s, (t, g, _, _) in said.items()}


def test_the_objects_year_is_the_year_by_hand(objects_year: dict[str, Any]) -> None:
    """classify_organisation month by month without a rule set (the set follows the
    person), then classify_organisation_year: the year of the module docstring."""
    assert _grades(_of_objects(objects_year["year"])) == YEAR
    assert objects_year["year"]["P"].unit.grade.code == "HTT"


def test_the_objects_months_follow_the_person(objects_year: dict[str, Any]) -> None:
    """Each month's result is under the set in force for the person, with the total by
    hand (H's August 100: (d) counts only công chức)."""
    for m, month in zip(MONTHS, objects_year["months"], strict=True):
        for r in month["P"].staff:
            assert r.rule_set_id == set_of(r.staff_id, m), (r.staff_id, m)
            want = month_total(r.staff_id, m)
            assert (r.total if want is None else round(r.total, 2)) == want, (r.staff_id, m)


def test_the_csv_frames_year_is_the_year_by_hand(frames_year: dict[str, Any]) -> None:
    """classify_frame per month on frames read back from CSV, then classify_year."""
    assert _grades(_of_frame(frames_year["year"])) == YEAR


def test_objects_frames_and_the_command_line_say_the_same(
    objects_year: dict[str, Any], frames_year: dict[str, Any], cli_year: dict[str, Any],
) -> None:
    """Issue 13 "One engine, one answer": the same totals, grades, reason codes and
    Vietnamese sentences with their citations at every door."""
    objects, frames = _of_objects(objects_year["year"]), _of_frame(frames_year["year"])
    assert objects == frames
    cli = cli_year["annual"].set_index("staff_id")
    for sid, (total, grade, codes, vi) in objects.items():
        row = cli.loc[sid]
        assert (None if pd.isna(row["annual_grade"]) else row["annual_grade"]) == grade, sid
        assert row["annual_total"] == pytest.approx(total), sid
        # a frame's codes leave the band implicit (its sentence comes first in reasons_vi)
        assert tuple(str(row["reasons"]).split(";")) == tuple(c for c in codes if c != "band")
        assert tuple(str(row["reasons_vi"]).split(" | ")) == vi, sid


# ============================================================ seed 3: band edges, months, moves
#
# Two units: P (head H, 8 of 10 tasks: 80, HTT) and Q (head K, 6 of 10: 60, HT). A month's
# total T is typed as the task criteria at x % (0.7 x points) plus general criteria that
# make up the rest, so T is exact to the cent under any of the three sets.
#
# Công chức (NĐ 335/2025, the year = mean of the months worked, Điều 21; bands Điều 20 k1–k4:
# ≥ 90 HTXS, 70 to < 90 HTT, 50 to < 70 HT, < 50 KHT):
#   E90 90 → HTXS, E9001 90.01 → HTXS, E8999 89.99 → HTT, E70 70 → HTT, E6999 69.99 → HT,
#   E50 50 → HT, E4999 49.99 → KHT (all in P, every month);
#   S1 79 but sick in May → 11 months, 79, HTT; F1–F12 79 → HTT;
#   T 100, in Q January–June, in P from July → classified by P (the unit of the last month)
#   from all twelve months (domain brief §4.1: "a transferred person is classified by the new
#   unit from the old unit's monthly results") → 100, HTXS;
#   H full marks as a leader, but E4999 (công chức under H) scores below 50 every month, so
#   H's (d) is 50 % (NĐ 335 Điều 15 k3): 30 + (5 × 100 + 50) / 6 × 0.7 = 94.17 → band HTXS,
#   capped at P's HTT; K 100 (his công chức Z and T score ≥ 50) → capped at Q's HT.
#   Quota in P: HTT = H, E8999, E70, S1, F1–F12 = 16 → floor(3.2) = 3 HTXS: T, E9001, E90 all
#   keep it. Q: Z 79 → HTT.
# Viên chức (the year under NĐ 233/2026; Điều 14 k1: fewer than 6 months worked → not
# classified; bands Điều 12 k1–k4): recruited in the year, months 7–12 only (6 months):
#   WE90 90 → HTXS, WE8999 89.99 → HTT, WE70 70 → HTT, WE6999 69.99 → HT, WE50 50 → HT,
#   WE4999 49.99 → KHT (and not counted in H's (d): a viên chức);
#   W5 79 in months 8–12 (5 months) → not classified; W6 months 7–12 → HTT; W7 months 6–12
#   (June under NĐ 90) → HTT; WR 79 all year, reprimanded for a duty-related violation in
#   March (an NĐ 90 month) → KHT (NĐ 233 Điều 12 k4 c: "in the evaluation year");
#   G1–G10 79 → HTT. Quota: HTT = W6, W7, WE8999, WE70, G1–G10 = 14 → 2; WE90 keeps HTXS.

EDGE_CC = {"E90": 90.0, "E9001": 90.01, "E8999": 89.99, "E70": 70.0, "E6999": 69.99,
           "E50": 50.0, "E4999": 49.99}  # fmt: skip
EDGE_VC = {"WE90": 90.0, "WE8999": 89.99, "WE70": 70.0, "WE6999": 69.99, "WE50": 50.0,
           "WE4999": 49.99}  # fmt: skip
PLAN: dict[str, tuple[str, dict[int, float | str]]] = {
    "H": ("cong_chuc", dict.fromkeys(MONTHS, 100.0)),
    "K": ("cong_chuc", dict.fromkeys(MONTHS, 100.0)),
    "T": ("cong_chuc", dict.fromkeys(MONTHS, 100.0)),
    "Z": ("cong_chuc", dict.fromkeys(MONTHS, 79.0)),
    "S1": ("cong_chuc", {**dict.fromkeys(MONTHS, 79.0), 5: "sick"}),
    **{s: ("cong_chuc", dict.fromkeys(MONTHS, t)) for s, t in EDGE_CC.items()},
    **{f"F{i}": ("cong_chuc", dict.fromkeys(MONTHS, 79.0)) for i in range(1, 13)},
    **{s: ("vien_chuc", dict.fromkeys(range(7, 13), t)) for s, t in EDGE_VC.items()},
    "W5": ("vien_chuc", dict.fromkeys(range(8, 13), 79.0)),
    "W6": ("vien_chuc", dict.fromkeys(range(7, 13), 79.0)),
    "W7": ("vien_chuc", dict.fromkeys(range(6, 13), 79.0)),
    "WR": ("vien_chuc", dict.fromkeys(MONTHS, 79.0)),
    **{f"G{i}": ("vien_chuc", dict.fromkeys(MONTHS, 79.0)) for i in range(1, 11)},
}  # fmt: skip
EDGE_REPRIMAND = {("WR", 3)}
EDGE_YEAR: dict[str, tuple[str | None, float]] = {
    "H": ("HTT", 94.17), "K": ("HT", 100.0), "T": ("HTXS", 100.0), "Z": ("HTT", 79.0),
    "S1": ("HTT", 79.0), "E90": ("HTXS", 90.0), "E9001": ("HTXS", 90.01),
    "E8999": ("HTT", 89.99), "E70": ("HTT", 70.0), "E6999": ("HT", 69.99), "E50": ("HT", 50.0),
    "E4999": ("KHT", 49.99), **{f"F{i}": ("HTT", 79.0) for i in range(1, 13)},
    "WE90": ("HTXS", 90.0), "WE8999": ("HTT", 89.99), "WE70": ("HTT", 70.0),
    "WE6999": ("HT", 69.99), "WE50": ("HT", 50.0), "WE4999": ("KHT", 49.99),
    "W5": (None, 79.0), "W6": ("HTT", 79.0), "W7": ("HTT", 79.0), "WR": ("KHT", 79.0),
    **{f"G{i}": ("HTT", 79.0) for i in range(1, 11)},
}  # fmt: skip
EDGE_UNITS = {"P": ("H", 8), "Q": ("K", 6)}


def edge_unit(sid: str, month: int) -> str:
    if sid in ("K", "Z") or (sid == "T" and month <= 6):
        return "Q"
    return "P"


def typed(rule_set: str, total: float, *, leads: bool) -> dict[str, float]:
    """Scores giving ``total`` exactly: the task criteria at x %, the general ones the rest."""
    rs = evalkit.rules.get(rule_set)
    full = rs.full_marks(manages_others=leads)
    if leads:
        return dict(full)
    x = 100 if total >= 70 else 70 if total >= 49 else 50
    tasks = ("so_luong", "chat_luong", "tien_do")
    rest, out = round(total - 0.7 * x, 2), dict.fromkeys(tasks, float(x))
    for k, most in full.items():
        if k not in tasks:
            out[k] = min(most, rest)
            rest = round(rest - out[k], 2)
    assert rest == 0, (rule_set, total)
    return out


def edge_set(category: str, month: int) -> str:
    if category == "vien_chuc":
        return "vn.nd90-2020" if month <= 6 else "vn.nd233-2026"
    return "vn.nd335-2025"


@pytest.fixture(scope="module")
def edge_year() -> dict[str, Any]:
    done = []
    for m in MONTHS:
        per, rows = f"2026-{m:02d}", []
        for sid, (cat, months) in PLAN.items():
            if m not in months:
                continue
            leads = sid in ("H", "K")
            row: dict[str, Any] = {
                "staff_id": sid, "full_name": f"Người {sid}", "unit_id": edge_unit(sid, m),
                "period": per, "category": cat, "manages_others": leads,
                "manager_id": None if leads else EDGE_UNITS[edge_unit(sid, m)][0],
                "discipline": "khien_trach" if (sid, m) in EDGE_REPRIMAND else "",
                "leave": ""}  # fmt: skip
            if isinstance(months[m], str):
                row["leave"] = months[m]
            else:
                row.update(typed(edge_set(cat, m), float(months[m]), leads=leads))
            rows.append(row)
        staff = pd.DataFrame(rows)
        units = pd.DataFrame([{"unit_id": u, "name": f"Phòng {u}", "head_id": h, "period": per,
                               "tasks_assigned": 10, "tasks_done": d}
                              for u, (h, d) in EDGE_UNITS.items()])  # fmt: skip
        out, unit_results = evalkit.classify_frame(staff, units)
        done.append((pd.concat([staff, out[[c for c in out if c not in staff]]], axis=1),
                     unit_results))  # fmt: skip
    months_ = pd.concat([d[0] for d in done], ignore_index=True)
    units_ = pd.concat([d[1] for d in done], ignore_index=True)
    return {"months": months_, "year": evalkit.classify_year(months_, units_)}


def test_the_month_totals_are_the_typed_ones(edge_year: dict[str, Any]) -> None:
    """Each month's total is the figure typed (H: 94.17, NĐ 335 Điều 15 k3, (d) at 50 %
    because E4999 scores below 50; WE4999, a viên chức, is not counted)."""
    months = edge_year["months"]
    for _, r in months.iterrows():  # a test's check, not a bulk path
        sid, m = r["staff_id"], int(str(r["period"])[-2:])
        want = PLAN[sid][1][m]
        if isinstance(want, str):
            assert pd.isna(r["total"]), (sid, m)
        else:
            assert r["total"] == pytest.approx(94.17 if sid == "H" else want), (sid, m)
        assert r["rule_set"] == edge_set(PLAN[sid][0], m), (sid, m)


def test_the_band_edges_months_and_moves_by_hand(edge_year: dict[str, Any]) -> None:
    """The year of each person as worked out above."""
    year = edge_year["year"].set_index("staff_id")
    got = {s: (None if pd.isna(year.loc[s, "grade"]) else str(year.loc[s, "grade"]),
               round(float(year.loc[s, "total"]), 2)) for s in year.index}  # fmt: skip
    assert got == EDGE_YEAR


def test_a_transferred_person_is_classified_by_the_new_unit(edge_year: dict[str, Any]) -> None:
    """T (Q until June, P from July): the year in P, from the twelve months."""
    year = edge_year["year"].set_index("staff_id")
    assert (year.loc["T", "unit_id"], int(year.loc["T", "months"])) == ("P", 12)


def test_the_months_counted_for_the_six_month_rule(edge_year: dict[str, Any]) -> None:
    """NĐ 233/2026 Điều 14 k1: 5 months → not classified, 6 and 7 → classified; S1's sick
    May leaves 11 months (NĐ 335 Điều 21)."""
    year = edge_year["year"].set_index("staff_id")
    assert {s: int(year.loc[s, "months"]) for s in ("W5", "W6", "W7", "S1")} == \
        {"W5": 5, "W6": 6, "W7": 7, "S1": 11}
    assert "rollup.too_few_months" in str(year.loc["W5", "reasons"])
    assert "disqualifier.discipline" in str(year.loc["WR", "reasons"])


# ============================================================ amendments of the mixed year


def test_amending_a_month_re_derives_the_leader_and_the_year(
    cli_year: dict[str, Any], tmp_path: Path,
) -> None:
    """``evalkit amend`` on a copy of the archive. C4's May typed at 20 % (44: below HT)
    makes H's (d) 50 % in May (NĐ 335/2025 Điều 15 k3): 94.17, the typed 100 % reported;
    the printout says the sentences with the row's figures (1 of the 12 công chức scored in
    May — C6 is on leave — below HT), not a (d) of 100 % over 0 people. V9's August typed at
    60 % (72) makes the viên chức's HTT 10, so the year's quota 2 (NĐ 233/2026 Điều 12 k6 a):
    V8 (99.3) keeps HTXS beside V1; V2 (96.5) is still HTT. H's year: (11 × 100 + 94.17) / 12
    = 99.51, still capped at the unit's HTT; C4's: (11 × 79 + 44) / 12 = 76.08."""
    import shutil

    archive = tmp_path / "luu-tru.sqlite"
    shutil.copy(cli_year["archive"], archive)
    org = str(cli_year["org"])
    out = ok("amend", "--archive", str(archive), "--period", "2026-05", "--staff", "C4",
             "--set", "so_luong=20", "--set", "chat_luong=20", "--set", "tien_do=20",
             "--by", "TCCB", "--why", "Nhập nhầm", "--org", org)  # fmt: skip
    (h_line,) = [x for x in out.splitlines() if x.strip().startswith("H:")]
    assert "100 → 94,17" in h_line
    assert ("Thành phần (d) = 100%: cả 12 công chức thuộc quyền quản lý có điểm từ mức Hoàn "
            "thành nhiệm vụ trở lên → Thành phần (d) = 50%: có 1/12 công chức") in h_line
    assert "Thành phần (d) ghi 100% khác với kết quả tính" in h_line
    assert "(50%); áp dụng 50%" in h_line
    assert "cả 0 công chức" not in h_line and "—%" not in h_line
    ok("amend", "--archive", str(archive), "--period", "2026-08", "--staff", "V9",
       "--set", "so_luong=60", "--set", "chat_luong=60", "--set", "tien_do=60",
       "--by", "TCCB", "--why", "Nhập nhầm", "--org", org)  # fmt: skip
    table = tmp_path / "nam.csv"
    ok("annual", "--archive", str(archive), "--year", "2026", "--out", str(table))
    year = pd.read_csv(table, dtype={"staff_id": str}).set_index("staff_id")
    want = {**{s: g for s, (g, _) in YEAR.items()}, "V8": "HTXS", "V9": "HTT"}
    got = {s: (None if pd.isna(g) else g) for s, g in year["annual_grade"].items()}
    assert got == want
    assert year.loc["H", "annual_total"] == pytest.approx(99.51)
    assert year.loc["C4", "annual_total"] == pytest.approx(76.08)
    assert year.loc["V9", "annual_total"] == pytest.approx(72.0)
    assert int(year.loc["V1", "quota_cap"]) == 2


def test_a_year_mean_on_the_half_cent_is_banded_as_shown() -> None:
    """No text sets the rounding (domain brief §4.1): the default is half up to the cent and
    the figure banded is the one shown. (89.98 + 90.01) / 2 = 89.995 → 90 → HTXS band;
    (69.98 + 70.01) / 2 → 70 → HTT; (49.98 + 50.01) / 2 → 50 → HT; and 89.99 with 89.98 →
    89.985 → 89.99 → HTT."""
    plan = {"A": (89.98, 90.01), "B": (69.98, 70.01), "C": (49.98, 50.01), "D": (89.99, 89.98)}
    done = []
    for m in (1, 2):
        per = f"2026-{m:02d}"
        staff = pd.DataFrame([{"staff_id": s, "full_name": f"Người {s}", "unit_id": "P",
                               "period": per, "category": "cong_chuc",
                               **typed("vn.nd335-2025", t[m - 1], leads=False)}
                              for s, t in plan.items()])  # fmt: skip
        units = pd.DataFrame([{"unit_id": "P", "name": "Phòng P", "head_id": None,
                               "period": per, "tasks_assigned": 10, "tasks_done": 10}])
        out, unit_results = evalkit.classify_frame(staff, units)
        done.append((pd.concat([staff, out[[c for c in out if c not in staff]]], axis=1),
                     unit_results))  # fmt: skip
    year = evalkit.classify_year(pd.concat([d[0] for d in done], ignore_index=True),
                                 pd.concat([d[1] for d in done], ignore_index=True))
    got = {s: (round(float(t), 2), str(g))
           for s, t, g in zip(year["staff_id"], year["total"], year["score_grade"], strict=True)}
    assert got == {"A": (90.0, "HTXS"), "B": (70.0, "HTT"), "C": (50.0, "HT"),
                   "D": (89.99, "HTT")}  # fmt: skip


def test_the_edges_through_the_objects_give_the_same_year() -> None:
    """The same months as objects (each month's organisation: T in Q, then in P; the viên
    chức recruited in the year only from their first month), classify_organisation without
    a rule set, then classify_organisation_year: the year by hand, the units P HTT, Q HT."""
    def org(m: int) -> evalkit.Organisation:
        staff = [evalkit.Staff(s, f"Người {s}", "TP" if s in ("H", "K") else "CV",
                               edge_unit(s, m), category=cat, manages_others=s in ("H", "K"),
                               manager_id=None if s in ("H", "K")
                               else EDGE_UNITS[edge_unit(s, m)][0])
                 for s, (cat, months) in PLAN.items() if m in months]  # fmt: skip
        return evalkit.Organisation(
            units=[evalkit.Unit(u, f"Phòng {u}", head_id=h) for u, (h, _) in EDGE_UNITS.items()],
            positions=[evalkit.Position("TP", "Trưởng phòng", manages_others=True),
                       evalkit.Position("CV", "Chuyên viên")], staff=staff)  # fmt: skip

    def assess(sid: str, m: int) -> evalkit.Assessment:
        cat, months = PLAN[sid]
        value, per = months[m], f"2026-{m:02d}"
        if isinstance(value, str):
            return evalkit.Assessment(sid, per, leave=value)
        return evalkit.Assessment(
            sid, per, competent_scores=typed(edge_set(cat, m), float(value),
                                             leads=sid in ("H", "K")),
            discipline="khien_trach" if (sid, m) in EDGE_REPRIMAND else "")  # fmt: skip

    months = [evalkit.classify_organisation(
        org(m), [assess(s, m) for s, (_, ms) in PLAN.items() if m in ms],
        [evalkit.UnitInputs(u, f"2026-{m:02d}", tasks_assigned=10, tasks_done=d)
         for u, (_, d) in EDGE_UNITS.items()]) for m in MONTHS]  # fmt: skip
    year = evalkit.classify_organisation_year(months)
    got = {r.staff_id: (r.grade.code if r.grade else None, round(r.total, 2))
           for c in year.values() for r in c.staff}  # fmt: skip
    assert got == EDGE_YEAR
    assert {u: c.unit.grade.code for u, c in year.items()} == {"P": "HTT", "Q": "HT"}
    assert "T" in {r.staff_id for r in year["P"].staff}


def test_the_years_conclusions_on_the_mixed_unit(cli_year: dict[str, Any], tmp_path: Path) -> None:
    """``annual --conclusions``: V2 concluded HT with its written reason is HT and leaves
    the viên chức's HTXS candidates V1 and V8 — still 1 place (20 % of 9 HTT, NĐ 233/2026
    Điều 12 k6 a): V8 ranked 2/2 is HTT; C3 (86) concluded HTXS above the band keeps HTT,
    said (``competent.above_band``)."""
    table, kl = tmp_path / "nam.csv", tmp_path / "ket-luan.csv"
    kl.write_text("staff_id,competent_grade,competent_reason\nV2,HT,Chậm đề án năm\n"
                  "C3,HTXS,Thành tích đột xuất\n", encoding="utf-8")  # fmt: skip
    ok("annual", "--archive", str(cli_year["archive"]), "--year", "2026", "--conclusions",
       str(kl), "--out", str(table))  # fmt: skip
    year = pd.read_csv(table, dtype={"staff_id": str}).set_index("staff_id")
    got = {s: (None if pd.isna(g) else g) for s, g in year["annual_grade"].items()}
    assert got == {**{s: g for s, (g, _) in YEAR.items()}, "V2": "HT"}
    assert "competent.concluded" in year.loc["V2", "reasons"]
    assert "Chậm đề án năm" in year.loc["V2", "reasons_vi"]
    assert "competent.above_band" in year.loc["C3", "reasons"]
    assert "xếp thứ 2/2" in year.loc["V8", "reasons_vi"]
