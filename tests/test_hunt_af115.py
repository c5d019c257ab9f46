"""Acceptance hunt af115 (issue 13): viên chức of two public service units (đơn vị sự
nghiệp công lập) under NĐ 233/2026/NĐ-CP, July–December 2026, with the unit HTXS
conditions of Quy định 366-QĐ/TW Điều 11 k1 switched on in the unit's own rule file
(``extends = "vn.nd233-2026"``, as docs/presets/vn.nd233-2026.md shows), through the
command line, the objects and CSV frames.

Decree text read (git show HEAD:van-ban/233-2026-ND-CP-danh-gia-xep-loai-vien-chuc.md in
the diepxuan.github.io mirror):

* Điều 12 k1–k4 a: bands 90 / 70 / 50 on the year's score; k5: the year's score from the
  monthly scores; k4 c and Điều 14 k3 a: a discipline (party or administrative) for a
  violation *related to carrying out the duties* (or for degradation) in the year → KHT —
  not any discipline;
* Điều 12 k6 a: HTXS ≤ 20 % of the viên chức rated HTT in one body and group; k6 b: ≤ 25 %
  where the **public service unit** (đơn vị sự nghiệp công lập) is recognised HTXS by the
  competent level — Điều 3 k2 tells the public service unit apart from its constituent
  units (đơn vị cấu thành: khoa, phòng); k7: the head not above the unit;
* Điều 14 k1: fewer than 6 months worked in the year → not classified, except k2: sick or
  maternity leave under the social-insurance law → classified on the time actually worked.

QĐ 366-QĐ/TW Điều 11 k1 (a collective HTXS): ≥ 90 points, 100 % of tasks done, ≥ 30 %
exceeded, no subordinate unit and no member of the leadership collective disciplined.

The organisation (every month the same; every person a viên chức):

* TTA (Trung tâm Y tế A, head GA, deputy PA, staff Q1–Q3), its khoa K1–K5 and K8;
* TTB (Trung tâm Y tế B, head GB, deputy PB, staff R1–R3), its khoa K6, K7.

Scores: general criteria full (30), a = b = c = x % → 30 + 0.7 x; heads x = 100 → 100
(d, đ, e 100: everyone scores ≥ 50); deputies (managers) x = 60 → 30 + 0.7 × (3 × 60 +
3 × 100) / 6 = 30 + 0.7 × 80 = 86; staff x = 80 → 86; S24 x = 100 → 100; M5 x = 60 → 72.

Units (each a computed score 100 × done / assigned unless a council score is given), the
year judged on the year (mean score, Σ done / Σ assigned, Σ exceeded / Σ assigned):

* TTA 10/10, 4 exceeded → 100, 40 % → HTXS; K1 the same → HTXS — TTA has six khoa, five
  of them HTT (K2–K5, K8), so NĐ 233 Điều 7 k7 a, k8 (HTXS ≤ 20 % of the khoa rated HTT:
  20 % × 5 = 1) lets K1 keep it;
* K8 8/10, none exceeded → 80 → HTT (its band); 80 % done on time < 100 % (NĐ 233 Điều 7
  k2): the grade kept, said for the competent level (k5);
* K2 council 89.99 every month → 89.99 < 90 → HTT (only the score fails);
* K3 99 of 100 done, 40 exceeded → 99 points but 99 % done → HTT (only tasks fail);
* K4 10000 of 10000, 2999 exceeded → 100 points, 29.99 % < 30 % → HTT;
* K5 10/10, 4 exceeded, deputy P5 reprimanded in October (not for a duty violation) → a
  member of the leadership collective disciplined → HTT;
* TTB 10/10, 4 exceeded, its khoa K6 disciplined as a collective in November → a
  subordinate unit disciplined → HTT; K7 10/10, 4 exceeded → HTXS; K6 (council 95 every
  month, 10/10, 4 exceeded) meets every condition too, but TTB has fewer than 5 khoa: at
  most one of them HTXS (NĐ 233 Điều 7 k7 c, k8; the preset since af127), the higher score,
  K7's 100 → K6 HTT (``unit.small_parent``).

People (the year):

* heads capped at their unit (Điều 12 k7): T2, T3, T4, T5, T8, GB, T6 100 → HTT;
* S14 (K1) reprimanded in August for a duty violation → KHT (Điều 12 k4 c), and K1 stays
  HTXS (S14 is not of its leadership); P5 → HTT (its discipline is not duty-related);
* K3: M4 sick July–August, 4 months worked → classified on them: 86 HTT; M5 maternity in
  July, 5 months → 72 HTT; A5 absent ("vắng") in July, 5 months → not classified (absence
  is not in k2's list); N5 joined in August, 5 months → not classified (k1);
* quota (k6, per unit, floor): TTA: base PA, Q1–Q3 = 4, TTA HTXS → 25 % → 1: GA keeps
  HTXS; K1: base P1, S11–S13 = 4 (S14 is KHT), 25 % → 1: T1 keeps HTXS; K2: base T2
  (capped), P2, S21, S22 = 4; the public service unit TTA is HTXS → 25 % → 1: S24 keeps
  HTXS; K8: T8 capped, P8, S81 = 3, 25 % → 0, nobody above HTT; K6: T6 capped at K6's HTT
  (above); K7: base 4, TTB is HTT → 20 % →
  0: T7 → HTT (``quota.demoted``).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET
from evalkit.rules import RuleSet
from evalkit.units import classify_frame, classify_year
from tests._cli_helpers import ok, org_file

pytestmark = pytest.mark.slow

RULE_FILE = """extends = "vn.nd233-2026"
id = "mau.ttyt-366-2026"
jurisdiction = "vn.mau.ttyt"

[units]
excellent_tasks_done_percent = 100
excellent_exceeded_percent = 30
excellent_requires_no_discipline = true
excellent_conditions_source = "QĐ 366-QĐ/TW, Điều 11 k1"
"""

#: unit: parent, head, deputy, staff, (assigned, done, exceeded), council score, month the
#: unit as a collective was disciplined
UNITS: dict[str, tuple[Any, ...]] = {
    "TTA": (None, "GA", "PA", ["Q1", "Q2", "Q3"], (10, 10, 4), None, None),
    "K1": ("TTA", "T1", "P1", ["S11", "S12", "S13", "S14"], (10, 10, 4), None, None),
    "K2": ("TTA", "T2", "P2", ["S21", "S22", "S24"], (10, 10, 4), 89.99, None),
    "K3": ("TTA", "T3", "P3", ["S31", "M4", "M5", "A5", "N5"], (100, 99, 40), None, None),
    "K4": ("TTA", "T4", "P4", ["S41"], (10000, 10000, 2999), None, None),
    "K5": ("TTA", "T5", "P5", ["S51"], (10, 10, 4), None, None),
    "K8": ("TTA", "T8", "P8", ["S81"], (10, 8, 0), None, None),
    "TTB": (None, "GB", "PB", ["R1", "R2", "R3"], (10, 10, 4), None, None),
    "K6": ("TTB", "T6", "P6", ["S61"], (10, 10, 4), 95.0, 11),
    "K7": ("TTB", "T7", "P7", ["S71", "S72", "S73"], (10, 10, 4), None, None),
}  # fmt: skip
NAMES = {"TTA": "Trung tâm Y tế A", "TTB": "Trung tâm Y tế B", "K1": "Khoa Khám bệnh",
         "K2": "Khoa Xét nghiệm", "K3": "Khoa Nội", "K4": "Khoa Ngoại", "K5": "Khoa Dược",
         "K6": "Khoa Sản", "K7": "Khoa Nhi", "K8": "Khoa Răng Hàm Mặt"}  # fmt: skip
MONTHS = range(7, 13)
SHARE = {"S24": 100, "M5": 60}
LEAVE = {("M4", 7): "sick", ("M4", 8): "sick", ("M5", 7): "maternity", ("A5", 7): "absent"}
NOT_YET = {("N5", 7)}  # joined in August: no row in July
#: (person, month) → the discipline typed: a reprimand, duty-related or not
DISCIPLINE = {("S14", 8): True, ("P5", 10): False}

#: the unit's grade for the year by hand (module docstring)
UNIT_YEAR = {"TTA": "HTXS", "K1": "HTXS", "K2": "HTT", "K3": "HTT", "K4": "HTT", "K5": "HTT",
             "K8": "HTT", "TTB": "HTT", "K7": "HTXS"}  # fmt: skip
#: the person's year by hand (module docstring): total, grade (None: not classified)
YEAR: dict[str, tuple[float, str | None]] = {
    "GA": (100.0, "HTXS"), "PA": (86.0, "HTT"), "Q1": (86.0, "HTT"), "Q2": (86.0, "HTT"),
    "Q3": (86.0, "HTT"),
    "T1": (100.0, "HTXS"), "P1": (86.0, "HTT"), "S11": (86.0, "HTT"), "S12": (86.0, "HTT"),
    "S13": (86.0, "HTT"), "S14": (86.0, "KHT"),
    "T2": (100.0, "HTT"), "P2": (86.0, "HTT"), "S21": (86.0, "HTT"), "S22": (86.0, "HTT"),
    "S24": (100.0, "HTXS"),
    "T3": (100.0, "HTT"), "P3": (86.0, "HTT"), "S31": (86.0, "HTT"), "M4": (86.0, "HTT"),
    "M5": (72.0, "HTT"), "A5": (86.0, None), "N5": (86.0, None),
    "T4": (100.0, "HTT"), "P4": (86.0, "HTT"), "S41": (86.0, "HTT"),
    "T5": (100.0, "HTT"), "P5": (86.0, "HTT"), "S51": (86.0, "HTT"),
    "T8": (100.0, "HTT"), "P8": (86.0, "HTT"), "S81": (86.0, "HTT"),
    "GB": (100.0, "HTT"), "PB": (86.0, "HTT"), "R1": (86.0, "HTT"), "R2": (86.0, "HTT"),
    "R3": (86.0, "HTT"),
    "T6": (100.0, "HTT"), "P6": (86.0, "HTT"), "S61": (86.0, "HTT"),
    "T7": (100.0, "HTT"), "P7": (86.0, "HTT"), "S71": (86.0, "HTT"), "S72": (86.0, "HTT"),
    "S73": (86.0, "HTT"),
}  # fmt: skip
#: where the old trigger of the 25 % (the row's own khoa rated HTXS) and Điều 12 k6 b (the
#: public service unit recognised HTXS) part: (person, decree's grade, the old engine's)
TRIGGER = {"S24": ("HTXS", "HTT"), "T7": ("HTT", "HTXS")}
HEAD_CAPPED = {"T2", "T3", "T4", "T5", "T8", "GB", "T6"}
UNIT_FAILS = {"K2": None, "K3": "tasks_done", "K4": "exceeded", "K5": "discipline",
              "TTB": "discipline"}  # fmt: skip


def members(unit: str) -> list[str]:
    _, head, deputy, staff, *_ = UNITS[unit]
    return [head, deputy, *staff]


def head_of(unit: str) -> str:
    return str(UNITS[unit][1])


def manager(sid: str, unit: str) -> str | None:
    """Staff and deputies report to their head; a khoa head to the centre's head."""
    parent, head = UNITS[unit][0], UNITS[unit][1]
    if sid != head:
        return str(head)
    return None if parent is None else head_of(parent)


def share(sid: str, unit: str) -> int:
    _, head, deputy, *_ = UNITS[unit]
    return 100 if sid == head else 60 if sid == deputy else SHARE.get(sid, 80)


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    path = tmp_path_factory.mktemp("rules115") / "mau.ttyt-366-2026.toml"
    path.write_text(RULE_FILE, encoding="utf-8")
    return evalkit.rules.load(path)


def staff_rows(rs: RuleSet) -> list[dict[str, Any]]:
    rows = []
    for m in MONTHS:
        for unit, (_, head, deputy, *_) in UNITS.items():
            for sid in members(unit):
                if (sid, m) in NOT_YET:
                    continue
                lead = sid in (head, deputy)
                row: dict[str, Any] = {
                    "staff_id": sid, "full_name": f"Người {sid}", "unit_id": unit,
                    "period": f"2026-{m:02d}", "category": "vien_chuc",
                    "manages_others": lead, "manager_id": manager(sid, unit)}  # fmt: skip
                if (sid, m) in LEAVE:
                    row["leave"] = LEAVE[sid, m]
                else:
                    x = share(sid, unit)
                    row.update(rs.full_marks(manages_others=lead),
                               **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), x))
                if (sid, m) in DISCIPLINE:
                    row.update(discipline="khien_trach",
                               discipline_related_to_duty=DISCIPLINE[sid, m])
                rows.append(row)
    return rows


def unit_rows() -> list[dict[str, Any]]:
    return [{"unit_id": u, "name": NAMES[u], "parent_id": par, "head_id": head,
             "period": f"2026-{m:02d}", "tasks_assigned": a, "tasks_done": d,
             "tasks_exceeded": x, "council_score": council, "disciplined": when == m}
            for m in MONTHS
            for u, (par, head, _, _, (a, d, x), council, when) in UNITS.items()]  # fmt: skip


@pytest.fixture(scope="module")
def frames_months(rules: RuleSet, tmp_path_factory: pytest.TempPathFactory
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """The months as CSV files read back with ``pd.read_csv`` (pandas ``str`` columns),
    classified month by month with ``classify_frame``: the staff and unit results."""
    tmp = tmp_path_factory.mktemp("frames115")
    pd.DataFrame(staff_rows(rules)).to_csv(tmp / "staff.csv", index=False)
    pd.DataFrame(unit_rows()).to_csv(tmp / "units.csv", index=False)
    staff, units = pd.read_csv(tmp / "staff.csv"), pd.read_csv(tmp / "units.csv")
    done = [classify_frame(staff[staff["period"] == p].reset_index(drop=True),
                           units[units["period"] == p].reset_index(drop=True), rules)
            for p in sorted(set(staff["period"]))]  # fmt: skip
    return (pd.concat([d[0] for d in done], ignore_index=True),
            pd.concat([d[1] for d in done], ignore_index=True))


@pytest.fixture(scope="module")
def frames_year(rules: RuleSet, frames_months: tuple[pd.DataFrame, pd.DataFrame]
                ) -> pd.DataFrame:  # fmt: skip
    """The months of :func:`frames_months`, then ``classify_year``."""
    return classify_year(*frames_months, rules=rules)


def organisation() -> evalkit.Organisation:
    units = [evalkit.Unit(u, NAMES[u], parent_id=v[0], head_id=v[1]) for u, v in UNITS.items()]
    staff = [evalkit.Staff(s, f"Người {s}", "LD" if s in v[1:3] else "VC", u,
                           category="vien_chuc", manages_others=s in v[1:3],
                           manager_id=manager(s, u))
             for u, v in UNITS.items() for s in members(u)]  # fmt: skip
    return evalkit.Organisation(units=units, staff=staff, positions=[
        evalkit.Position("LD", "Lãnh đạo khoa, trung tâm", manages_others=True),
        evalkit.Position("VC", "Viên chức")])  # fmt: skip


@pytest.fixture(scope="module")
def objects_year(rules: RuleSet) -> dict[str, evalkit.UnitClassification]:
    """``classify_organisation`` month by month, then ``classify_organisation_year``."""
    org = organisation()
    months = []
    for m in MONTHS:
        per = f"2026-{m:02d}"
        said = []
        for row in staff_rows(rules):
            if row["period"] != per:
                continue
            sid = row["staff_id"]
            if "leave" in row:
                said.append(evalkit.Assessment(sid, per, leave=row["leave"]))
                continue
            marks = {k: row[k] for k in rules.full_marks(manages_others=row["manages_others"])}
            said.append(evalkit.Assessment(
                sid, per, competent_scores=marks, discipline=row.get("discipline", ""),
                discipline_related_to_duty=row.get("discipline_related_to_duty", True)))
        inputs = [evalkit.UnitInputs(u["unit_id"], per, tasks_assigned=u["tasks_assigned"],
                                     tasks_done=u["tasks_done"],
                                     tasks_exceeded=u["tasks_exceeded"],
                                     council_score=u["council_score"],
                                     disciplined=u["disciplined"])
                  for u in unit_rows() if u["period"] == per]  # fmt: skip
        # (N5 has no assessment in July: not yet in the unit)
        months.append(evalkit.classify_organisation(org, said, inputs, rules))
    return evalkit.classify_organisation_year(months, rules)


def _frame_year(year: pd.DataFrame) -> dict[str, tuple[float, str | None]]:
    g = year.set_index("staff_id")
    return {str(s): (round(float(g.loc[s, "total"]), 2),
                     None if pd.isna(g.loc[s, "grade"]) else str(g.loc[s, "grade"]))
            for s in g.index}  # fmt: skip


def _objects_year(year: dict[str, Any]) -> dict[str, tuple[float, str | None]]:
    return {r.staff_id: (round(r.total, 2), r.grade.code if r.grade else None)
            for c in year.values() for r in c.staff}  # fmt: skip


def _agreed(got: dict[str, tuple[float, str | None]]) -> None:
    """Every person's year as worked out by hand, TRIGGER's by the decree (af119)."""
    assert set(got) == set(YEAR)
    for sid, want in YEAR.items():
        assert got[sid] == want, sid


def test_the_csv_frames_year_is_the_year_by_hand(frames_year: pd.DataFrame) -> None:
    _agreed(_frame_year(frames_year))


def test_the_objects_year_is_the_year_by_hand(objects_year: dict[str, Any]) -> None:
    _agreed(_objects_year(objects_year))


def test_the_units_year_fails_each_condition_of_366_alone(frames_year: pd.DataFrame,
                                                          objects_year: dict[str, Any]) -> None:
    """QĐ 366-QĐ/TW Điều 11 k1, each condition failing alone (module docstring): the unit's
    grade for the year, as its people's ``unit_grade`` and as the objects' unit result."""
    g = frames_year.drop_duplicates("unit_id").set_index("unit_id")["unit_grade"]
    for unit, want in UNIT_YEAR.items():
        assert g[unit] == want, unit
        got = objects_year[unit].unit
        assert got.grade is not None and got.grade.code == want, unit


def test_the_units_year_says_which_condition_failed(objects_year: dict[str, Any]) -> None:
    """QĐ 366-QĐ/TW Điều 11 k1: the year's grade of a unit that scored ≥ 90 but is HTT
    says the condition that failed, as the month's does."""
    for unit, which in UNIT_FAILS.items():
        codes = [r.code for r in objects_year[unit].unit.reasons]
        if which is not None:  # (K2: the score alone, banded HTT: no condition said)
            assert f"unit.excellent_condition.{which}" in codes, (unit, codes)


def test_the_head_is_capped_at_the_unit_citing_article_12_k7(
    frames_year: pd.DataFrame, objects_year: dict[str, Any],
) -> None:
    """NĐ 233/2026 Điều 12 k7: 'Mức xếp loại chất lượng của người đứng đầu không cao hơn
    mức xếp loại chất lượng của đơn vị' — heads of the units rated HTT, 100 points, HTT."""
    capped = set(frames_year.loc[frames_year["reasons"].str.contains("cap.head_unit"),
                                 "staff_id"])  # fmt: skip
    assert capped == HEAD_CAPPED
    for c in objects_year.values():
        for r in c.staff:
            said = [x for x in r.reasons if x.code == "cap.head_unit"]
            assert bool(said) == (r.staff_id in HEAD_CAPPED), r.staff_id
            for x in said:
                assert "Điều 12 k7" in x.source and "233/2026" in x.source, x.source


def test_discipline_counts_only_when_related_to_the_duties(frames_year: pd.DataFrame) -> None:
    """Điều 12 k4 c, Điều 14 k3 a: S14 (duty-related reprimand) KHT; P5 (a reprimand not
    related to the duties) keeps HTT, though it fails K5's QĐ 366 condition."""
    g = frames_year.set_index("staff_id")
    assert g.loc["S14", "grade"] == "KHT"
    assert "disqualifier.discipline" in g.loc["S14", "reasons"]
    assert g.loc["P5", "grade"] == "HTT"
    assert "disqualifier" not in g.loc["P5", "reasons"]


def test_article_14_months_worked(frames_year: pd.DataFrame) -> None:
    """Điều 14 k1, k2 in the half year under NĐ 233: 4 months + sick, 5 + maternity
    classified; 5 + absent, 5 without leave not classified."""
    g = frames_year.set_index("staff_id")
    assert "rollup.leave" in g.loc["M4", "reasons"]
    assert "rollup.leave" in g.loc["M5", "reasons"]
    for sid in ("A5", "N5"):
        assert "rollup.too_few_months" in g.loc[sid, "reasons"], sid
        assert pd.isna(g.loc[sid, "grade"]), sid


def test_the_raised_quota_follows_the_public_service_unit(frames_year: pd.DataFrame,
                                                           objects_year: dict[str, Any]) -> None:
    """NĐ 233/2026 Điều 12 k6 b raises the share to 25 % where the public service unit (đơn
    vị sự nghiệp công lập, not a constituent unit, Điều 3 k2) is recognised HTXS: S24 of K2
    (HTT) in TTA (HTXS) keeps HTXS (25 % of 4 = 1); T7 of K7 (HTXS) in TTB (HTT) does not
    (20 % of 4 = 0). The engine once raised it on the person's own khoa (af115)."""
    want = {s: d for s, (d, _) in TRIGGER.items()}
    for got in (_frame_year(frames_year), _objects_year(objects_year)):
        assert {s: got[s][1] for s in TRIGGER} == want
    g = frames_year.set_index("staff_id")
    assert (g.loc["S24", "quota_percent"], g.loc["T7", "quota_percent"]) == (25.0, 20.0)
    assert "quota.demoted" in g.loc["T7", "reasons"]


# ============================================================ the command line

LEAVE_VI = {"sick": "Ốm", "maternity": "Thai sản", "absent": "Vắng"}


def _org_csv() -> tuple[str, str, str]:
    units = "unit_id,name,parent_id,head_id,governing_body,place\n" + "".join(
        f"{u},{NAMES[u]},{v[0] or ''},{v[1]},Sở Y tế tỉnh Mẫu,Mẫu Sơn\n"
        for u, v in UNITS.items())  # fmt: skip
    positions = ("position_id,title,title_en,manages_others\n"
                 "LD,\"Lãnh đạo khoa, trung tâm\",Leader,x\nVC,Viên chức,Public employee,\n")
    staff = "staff_id,full_name,position_id,unit_id,manager_id,category\n" + "".join(
        f"{s},Người {s},{'LD' if s in v[1:3] else 'VC'},{u},{manager(s, u) or ''},vien_chuc\n"
        for u, v in UNITS.items() for s in members(u))  # fmt: skip
    return units, positions, staff


def _header(ws: Any) -> dict[str, int]:
    return {str(c.value).split("[")[-1].rstrip("]"): c.column for c in ws[1] if c.value}


def fill(template: Path, out: Path, rs: RuleSet, month: int) -> None:
    """Type the competent level's scores, leave and discipline, and the units' inputs."""
    wb = openpyxl.load_workbook(template)
    ws = wb[SCORES_SHEET]
    col = _header(ws)
    unit_of = {s: u for u in UNITS for s in members(u)}
    gone = []
    for r in range(2, ws.max_row + 1):
        sid = ws.cell(r, col["staff_id"]).value
        if sid is None:
            continue
        if (sid, month) in NOT_YET:
            gone.append(r)
            continue
        if (sid, month) in LEAVE:
            ws.cell(r, col["leave"], LEAVE_VI[LEAVE[sid, month]])
            continue
        lead = ws.cell(r, col["manages_others"]).value == "x"
        x = share(sid, unit_of[sid])
        for k, v in rs.full_marks(manages_others=lead).items():
            ws.cell(r, col["competent__" + k], x if k in ("so_luong", "chat_luong", "tien_do")
                    else v)  # fmt: skip
        if (sid, month) in DISCIPLINE:
            ws.cell(r, col["discipline"], 1)
            if not DISCIPLINE[sid, month]:
                ws.cell(r, col["discipline_related_to_duty"], "không")
    for r in reversed(gone):
        ws.delete_rows(r)
    wu = wb[UNITS_SHEET]
    ucol = _header(wu)
    for r in range(2, wu.max_row + 1):
        u = wu.cell(r, ucol["unit_id"]).value
        if not u:
            continue
        _, _, _, _, (a, d, x), council, when = UNITS[u]
        for k, v in (("tasks_assigned", a), ("tasks_done", d), ("tasks_exceeded", x),
                     ("council_score", council), ("disciplined", "x" if when == month else None)):
            if v is not None:
                wu.cell(r, ucol[k], v)
    wb.save(out)


@pytest.fixture(scope="module")
def cli_year(rules: RuleSet, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """template → filled → validate → classify → finalize per month, then ``annual``
    with the sheets (``--pdf``), all with the unit's rule file."""
    tmp = tmp_path_factory.mktemp("cli115")
    rule_file = tmp / "mau.ttyt-366-2026.toml"
    rule_file.write_text(RULE_FILE, encoding="utf-8")
    org = org_file(tmp, *_org_csv())
    archive = tmp / "luu-tru.sqlite"
    for m in MONTHS:
        per = f"2026-{m:02d}"
        tpl, book = tmp / f"mau-{m:02d}.xlsx", tmp / f"thang-{m:02d}.xlsx"
        ok("template", "--rules", str(rule_file), "--period", per, "--org", str(org), str(tpl))
        fill(tpl, book, rules, m)
        ok("validate", str(book), "--rules", str(rule_file), "--org", str(org))
        res = tmp / f"ket-qua-{m:02d}.json"
        ok("classify", str(book), "--rules", str(rule_file), "--org", str(org), "--out", str(res))
        ok("finalize", str(res), "--archive", str(archive), "--by", "TCCB", "--org", str(org),
           "--rules", str(rule_file))  # fmt: skip
    table, pdf = tmp / "nam.csv", tmp / "phieu-nam"
    ok("annual", "--archive", str(archive), "--year", "2026", "--rules", str(rule_file),
       "--org", str(org), "--out", str(table), "--pdf", str(pdf))  # fmt: skip
    return {"annual": pd.read_csv(table, dtype={"staff_id": str}), "pdf": pdf}


def test_the_command_line_year_is_the_year_by_hand(cli_year: dict[str, Any]) -> None:
    g = cli_year["annual"].set_index("staff_id")
    _agreed({str(s): (round(float(g.loc[s, "annual_total"]), 2),
                      None if pd.isna(g.loc[s, "annual_grade"]) else str(g.loc[s, "annual_grade"]))
             for s in g.index})  # fmt: skip
    ug = cli_year["annual"].drop_duplicates("unit_id").set_index("unit_id")["unit_grade"]
    assert {u: ug[u] for u in UNIT_YEAR} == UNIT_YEAR


def text_of(pdf: Path) -> str:
    """The PDF's text, NFC, spaces collapsed."""
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def _sheet(cli_year: dict[str, Any], unit: str, sid: str) -> str:
    return text_of(cli_year["pdf"] / f"2026_{unit}_{sid}_Nguoi_{sid}.pdf")


def test_the_annual_sheets_say_each_ground_with_its_citation(cli_year: dict[str, Any]) -> None:
    """The year's sheets (``annual --pdf``), in Vietnamese, each ground with its article of
    NĐ 233/2026 (the decree's text, module docstring)."""
    said = {
        ("K2", "T2"): ["Người đứng đầu không được xếp loại cao hơn kết quả của đơn vị",
                       "Điều 12 k7"],
        ("K1", "S14"): ["vi phạm liên quan đến thực hiện nhiệm vụ", "Điều 12 k4 c"],
        ("K3", "A5"): ["Làm việc dưới 6 tháng trong năm: không xếp loại", "Điều 14 k1"],
        ("K3", "N5"): ["Làm việc dưới 6 tháng trong năm: không xếp loại", "Điều 14 k1"],
        # k2 alone: the leave clause (k1 is the 6-month rule; af166)
        ("K3", "M4"): ["Nghỉ theo quy định 2 tháng (ốm đau): xếp loại theo thời gian làm việc "
                       "thực tế (NĐ 233/2026/NĐ-CP, Điều 14 k2)"],
        ("K3", "M5"): ["Nghỉ theo quy định 1 tháng (thai sản): xếp loại theo thời gian làm "
                       "việc thực tế (NĐ 233/2026/NĐ-CP, Điều 14 k2)"],
        ("K5", "P5"): [],
    }  # fmt: skip
    for (unit, sid), words in said.items():
        text = _sheet(cli_year, unit, sid)
        assert "NĐ 233/2026/NĐ-CP" in text, sid
        for w in words:
            assert w in text, (sid, w)
        for en in ("Head ", "quota", "months worked", "Reprimand"):
            assert en not in text, (sid, en)
    # P5's reprimand was not duty-related: no disqualifier on the sheet (Điều 12 k4 c)
    assert "Điều 12 k4 c" not in _sheet(cli_year, "K5", "P5")


def test_the_raised_quota_is_cited_as_article_12_k6_b(cli_year: dict[str, Any]) -> None:
    """NĐ 233/2026 Điều 12 k6 b is the 25 %: GA kept HTXS within TTA's 25 % (1 of 4), so
    his sheet and TTA's summary cite k6 b, as does K2's (HTT, but in TTA: 25 %); K7's
    (HTXS, but in TTB, rated HTT: 20 %) cites k6 a. The old sheets cited k6 a beside a 25 %
    rate (the render layer printed the policy's first source)."""
    ga = _sheet(cli_year, "TTA", "GA")
    assert "Trong tỷ lệ khống chế" in ga
    assert "Điều 12 k6 b" in ga and "Điều 12 k6 a" not in ga
    tta = text_of(cli_year["pdf"] / "units" / "2026_TTA.pdf")
    assert "25%" in tta and "Điều 12 k6 b" in tta and "Điều 12 k6 a" not in tta
    k2 = text_of(cli_year["pdf"] / "units" / "2026_K2.pdf")
    assert "25%" in k2 and "Điều 12 k6 b" in k2 and "Điều 12 k6 a" not in k2
    k7 = text_of(cli_year["pdf"] / "units" / "2026_K7.pdf")
    assert "20%" in k7 and "Điều 12 k6 a" in k7 and "Điều 12 k6 b" not in k7


#: the unit's reason for the year by hand (module docstring), each with the figures it
#: quotes: K3 99 of 100 done → 99 % < 100 %; K4 2999 of 10000 exceeded → 29,99 % < 30 %;
#: K8 (band HTT) 48 of 60 done on time → 80 % < 100 % (NĐ 233 Điều 7 k2, k5)
UNIT_SAYS = {"K3": ("excellent_condition.tasks_done", ["99%", "100%"]),
             "K4": ("excellent_condition.exceeded", ["29,99%", "30%"]),
             "K5": ("excellent_condition.discipline", []),
             "TTB": ("excellent_condition.discipline", []),
             "K8": ("band_condition.good", ["80%", "100%"])}  # fmt: skip


def test_the_units_year_reasons_are_one_answer_through_every_door(
    rules: RuleSet, frames_months: tuple[pd.DataFrame, pd.DataFrame],
    objects_year: dict[str, Any], cli_year: dict[str, Any],
) -> None:
    """QĐ 366-QĐ/TW Điều 11 k1: the unit's year says the condition it failed (UNIT_SAYS),
    and nothing where none failed (TTA, K1, K7 HTXS; K2 banded HTT on its score alone), the
    same through the objects (``UnitResult.reasons``), the frames (``workflow.year_units``'s
    ``reasons``, as the month's unit results have them) and the command line (``annual
    --pdf``'s unit summaries, in Vietnamese) — each sentence the catalogue's, cited as the
    month's reason of the same code is."""
    from evalkit import workflow
    from evalkit.reasons import make_reasons

    months, unit_months = frames_months
    frames = workflow.year_units(classify_year(months, unit_months, rules=rules), unit_months)
    frames = frames.set_index("unit_id")
    month_said = {c: r for rec in unit_months.to_dict("records")
                  for r in make_reasons(rec["reasons"], rules, rec, with_band=False)
                  for c in [r.code]}  # fmt: skip
    for unit in UNIT_YEAR:
        which, figures = UNIT_SAYS.get(unit, (None, []))
        want = [] if which is None else [f"unit.{which}"]
        said = objects_year[unit].unit.reasons
        assert [r.code for r in said] == want, unit
        assert [c for c in str(frames.loc[unit, "reasons"] or "").split(";") if c] == want, unit
        summary = text_of(cli_year["pdf"] / "units" / f"2026_{unit}.pdf")
        for r in said:
            # the band's: vn.nd233-2026's, extended, each its own clause (af134: k2's HTT
            # sentence cites k2, k5, k3's HT sentence k3, k5; before, both "k2, k3, k5")
            cited = {"unit.band_condition.good": "NĐ 233/2026/NĐ-CP, Điều 7 k2, k5",
                     "unit.band_condition.fair": "NĐ 233/2026/NĐ-CP, Điều 7 k3, k5"}.get(
                r.code, "QĐ 366-QĐ/TW, Điều 11 k1")
            assert r.source == month_said[r.code].source == cited, unit
            assert all(f in r.message_vi for f in figures), (unit, r.message_vi)
            assert r.message_vi in summary and r.source in summary, (unit, summary)
        if not want:  # no condition said on its summary either
            assert "chưa đạt" not in summary and "bị kỷ luật" not in summary, unit


def test_a_party_discipline_for_a_duty_violation_is_kht_under_nd233() -> None:
    """Điều 14 k3 a: 'Viên chức bị xử lý kỷ luật đảng hoặc kỷ luật hành chính trong năm
    đánh giá do ... vi phạm liên quan đến thực hiện nhiệm vụ thì xếp loại chất lượng ở mức
    không hoàn thành nhiệm vụ.' V1 scores 86 every month and is disciplined by the Party in
    September for a duty violation (related to the duties: the column's default)."""
    rs = evalkit.rules.get("vn.nd233-2026")
    rows = [{"staff_id": sid, "unit_id": "K", "period": f"2026-{m:02d}",
             "category": "vien_chuc", "manages_others": sid == "H",
             **rs.full_marks(manages_others=sid == "H"),
             **({} if sid == "H" else dict.fromkeys(("so_luong", "chat_luong", "tien_do"), 80)),
             **({"party_discipline": True} if (sid, m) == ("V1", 9) else {})}
            for m in MONTHS for sid in ("H", "V1", "V2")]  # fmt: skip
    units = pd.DataFrame([{"unit_id": "K", "head_id": "H", "period": f"2026-{m:02d}",
                           "tasks_assigned": 10, "tasks_done": 10} for m in MONTHS])
    staff, unit_results = classify_frame(pd.DataFrame(rows), units)
    year = classify_year(staff, unit_results).set_index("staff_id")
    assert year.loc["V2", "grade"] == "HTT"  # 86, as a control
    assert year.loc["V1", "grade"] == "KHT", year.loc["V1", "grade"]
