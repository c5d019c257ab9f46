"""Acceptance hunt af109: Hà Nội's monthly framework (Quyết định 3814-QĐ/TU, 16/5/2018;
domain brief §4.3, preset ``hanoi.3814-2018``) through the three doors — the command line
(``org`` → ``template --rules hanoi.3814-2018`` → the workbook filled with openpyxl →
``validate`` → ``classify`` → ``render`` → ``finalize`` → ``annual``), the objects and
frames read back from CSV — over October–December 2025 and the year.

The rule (§4.3; the preset's notes): 100 = 20 discipline/ethics (ky_luat 10 + dao_duc 10) +
70 tasks + at most 10 bonus (sang_kien + thanh_tich, capped at 10); A [90, 100], B [70, 90),
C [50, 70), D < 50 (HTXS/HTT/HT/KHT, labelled "Loại A" …). Every month is classified: the
head is not above the unit (§3, step 5), then A ≤ 30 % of those **classified** (rounded
down, §4.6), or in a unit the competent level recognises as especially outstanding
(``exceptional``, never a score) ≤ 40 % of **all** the unit's staff, classified or not.
A unit's month is its tasks done ÷ assigned × 100, banded the same way.

Sở (department) of three units, every month:

* **P** "Phòng Tổng hợp", 22 công chức, head HP. Totals (kỷ luật + đạo đức + tasks + bonus):
  HP 10+10+70+5+5 = 100; P01 10+10+70+6+3 = 99; P02 10+10+68+min(8+7, 10) = 98 (the bonus
  cap: 103 without it); P03 97, P04 96, P05 95, P06 94 (70 + bonus 7, 6, 5, 4); P07
  10+10+70+0.01 = 90.01; P08 90; P09 10+9.99+70 = 89.99 (B); P10 10+10+50 = 70 (B); P11
  69.99 (C); P12 50 (C); P13 49.99 (D); P14–P19 80 (B).
  - October: P20 on maternity leave, P21's row blank (not evaluated) → 20 classified →
    floor(30 % × 20) = 6 A; the candidates HP, P01–P08 (9): HP, P01–P05 keep A; P06, P07,
    P08 → B (``quota.demoted``). Unit 10/10 tasks = 100 → A: HP not capped.
  - November: P03 sick, P20 and P21 score 80 → 21 classified → floor(6.3) = 6: the
    candidates HP, P01, P02, P04–P08 (8): HP, P01, P02, P04, P05, P06 keep A; P07, P08 → B.
  - December: 22 classified → floor(6.6) = 6; the unit did 8 of 10 tasks = 80 → B, so HP's
    100 is capped at B (``cap.head_unit``) before the quota and takes no A place: P01–P06
    keep A, P07, P08 → B.
* **S** "Tổ Hành chính", 3 contract staff (hop_dong), head HS: HS 95, S1 92, S2 10+10+65 =
  85. 30 % of 3 = 0.9 → 0 A (a unit of 3 has no A place: "không quá 30%").
  - October, November: 8/10 tasks = 80 → B: HS capped at B; S1 → B by the quota; S2 B.
  - December: 10/10 = 100 → A: HS is not capped, but the quota is 0: HS and S1 → B.
* **O** "Phòng Nghiệp vụ", head HO (công chức) and O01–O19 (contract staff); 10/10 tasks.
  HO 100; O01–O10 99, 98, …, 90 (10+10+70 + bonus 9 … 0); O11–O19 80.
  - October, recognised especially outstanding: 40 % of all 20 = 8 A: HO, O01–O07 keep A;
    O08, O09, O10 → B.
  - November, recognised: O17, O18 absent (vắng), O19 blank → 17 classified; the cap is
    still 40 % of all 20 staff = 8 (not 30 % of 17 = 5, nor 40 % of 17 = 6): as October.
  - December, not recognised: O10–O19 blank → 10 classified → floor(30 % × 10) = 3: HO,
    O01, O02 keep A; O03–O09 → B.

The year 2025 (``annual``; the months are "căn cứ chính", the preset averages them; the
quota is monthly only; NĐ 90/2020 Điều 2 k3 — fewer than 6 months worked → not classified,
maternity excepted — for cán bộ, công chức, viên chức, never contract staff):

* every công chức (P, HO) has at most 3 months → not classified (``rollup.too_few_months``);
  P20 (maternity leave in October) is the exception: 80, 80 → 80 → B (HTT).
* contract staff: the mean of the months worked, no quota on the year: S1 92 → A; HS 95 →
  band A, capped at S's year: (80 + 80 + 100) / 3 = 86.67 → B; S2 85 → B; O01–O09 keep
  their figure → A; O10 90, 90 (December blank) → 90 → A; O11–O16 80 → B; O17 and O18 80
  (October only … and December blank) → B; O19 80 (October only) → B.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import evalkit
from evalkit.io.workbook import SCORES_SHEET
from evalkit.reasons import with_sentences
from tests._cli_helpers import fill_workbook, header_columns, month_by_cli, ok, org_file, run
from tests._io_helpers import classify_months, csv_frames

pytestmark = pytest.mark.slow

RS = "hanoi.3814-2018"
MONTHS = (10, 11, 12)
UNITS = {"P": ("Phòng Tổng hợp", "HP"), "S": ("Tổ Hành chính", "HS"),
         "O": ("Phòng Nghiệp vụ", "HO")}  # fmt: skip
P_IDS = ["HP", *(f"P{i:02d}" for i in range(1, 22))]
S_IDS = ["HS", "S1", "S2"]
O_IDS = ["HO", *(f"O{i:02d}" for i in range(1, 20))]
ALL = P_IDS + S_IDS + O_IDS
HEADS = {"HP", "HS", "HO"}
CONTRACT = {*S_IDS, *O_IDS[1:]}

Marks = tuple[float, float, float, float, float]  # ky_luat, dao_duc, ket_qua, sang_kien, thanh_tich
CRITERIA = ("ky_luat", "dao_duc", "ket_qua_nhiem_vu", "sang_kien", "thanh_tich")

BASE: dict[str, Marks] = {
    "HP": (10, 10, 70, 5, 5), "P01": (10, 10, 70, 6, 3), "P02": (10, 10, 68, 8, 7),
    "P03": (10, 10, 70, 7, 0), "P04": (10, 10, 70, 6, 0), "P05": (10, 10, 70, 5, 0),
    "P06": (10, 10, 70, 4, 0), "P07": (10, 10, 70, 0, 0.01), "P08": (10, 10, 70, 0, 0),
    "P09": (10, 9.99, 70, 0, 0), "P10": (10, 10, 50, 0, 0), "P11": (10, 9.99, 50, 0, 0),
    "P12": (10, 10, 30, 0, 0), "P13": (10, 9.99, 30, 0, 0),
    **{f"P{i:02d}": (10, 10, 60, 0, 0) for i in range(14, 22)},
    "HS": (10, 10, 70, 5, 0), "S1": (10, 10, 70, 2, 0), "S2": (10, 10, 65, 0, 0),
    "HO": (10, 10, 70, 10, 0),
    **{f"O{i:02d}": (10, 10, 70, 10 - i, 0) for i in range(1, 11)},
    **{f"O{i:02d}": (10, 10, 60, 0, 0) for i in range(11, 20)},
}  # fmt: skip
#: the totals worked out by hand (module docstring)
TOTAL: dict[str, float] = {
    "HP": 100, "P01": 99, "P02": 98, "P03": 97, "P04": 96, "P05": 95, "P06": 94,
    "P07": 90.01, "P08": 90, "P09": 89.99, "P10": 70, "P11": 69.99, "P12": 50, "P13": 49.99,
    **{f"P{i:02d}": 80 for i in range(14, 22)}, "HS": 95, "S1": 92, "S2": 85, "HO": 100,
    **{f"O{i:02d}": 100 - i for i in range(1, 11)}, **{f"O{i:02d}": 80 for i in range(11, 20)},
}  # fmt: skip
#: (person, month) → leave typed on the sheet
LEAVE = {("P20", 10): "Thai sản", ("P03", 11): "Ốm", ("O17", 11): "Vắng", ("O18", 11): "Vắng"}
#: (person, month) → a blank row: not evaluated
BLANK = {("P21", 10), ("O19", 11), *((f"O{i:02d}", 12) for i in range(10, 20))}
TASKS = {("P", 10): 10, ("P", 11): 10, ("P", 12): 8, ("S", 10): 8, ("S", 11): 8,
         ("S", 12): 10, ("O", 10): 10, ("O", 11): 10, ("O", 12): 10}  # fmt: skip
EXCEPTIONAL = {("O", 10), ("O", 11)}


def band(total: float) -> str:
    """QĐ 3814-QĐ/TU: A ≥ 90, B 70 to < 90, C 50 to < 70, D < 50."""
    return "HTXS" if total >= 90 else "HTT" if total >= 70 else "HT" if total >= 50 else "KHT"


#: each month's grades by hand (module docstring): None → not classified
DEMOTED = {10: {"P06", "P07", "P08", "S1", "O08", "O09", "O10"},
           11: {"P07", "P08", "S1", "O08", "O09", "O10"},
           12: {"P07", "P08", "S1", "HS", *(f"O{i:02d}" for i in range(3, 10))}}  # fmt: skip
CAPPED = {10: {"HS"}, 11: {"HS"}, 12: {"HP"}}
QUOTA_CAP = {("P", 10): 6, ("P", 11): 6, ("P", 12): 6, ("S", 10): 0, ("S", 11): 0,
             ("S", 12): 0, ("O", 10): 8, ("O", 11): 8, ("O", 12): 3}  # fmt: skip


def unit_of(sid: str) -> str:
    return "P" if sid in P_IDS else "S" if sid in S_IDS else "O"


def month_total(sid: str, month: int) -> float | None:
    if (sid, month) in LEAVE or (sid, month) in BLANK:
        return None
    if sid in ("P20", "P21"):
        return 80.0
    return float(TOTAL[sid])


def month_grade(sid: str, month: int) -> str | None:
    total = month_total(sid, month)
    if total is None:
        return None
    if sid in DEMOTED[month] or sid in CAPPED[month]:
        return "HTT"
    return band(total)


def marks(sid: str, month: int) -> dict[str, float] | None:
    if month_total(sid, month) is None:
        return None
    m = (10, 10, 60, 0, 0) if sid in ("P20", "P21") else BASE[sid]
    return dict(zip(CRITERIA, map(float, m), strict=True))


YEAR: dict[str, tuple[str | None, float | None]] = {
    **dict.fromkeys(P_IDS, (None, None)), "P20": ("HTT", 80.0), "HO": (None, None),
    "HS": ("HTT", 95.0), "S1": ("HTXS", 92.0), "S2": ("HTT", 85.0),
    **{f"O{i:02d}": ("HTXS", 100.0 - i) for i in range(1, 11)},
    **{f"O{i:02d}": ("HTT", 80.0) for i in range(11, 20)},
}  # fmt: skip


def test_the_hand_figures_are_consistent() -> None:
    """The totals of the docstring are the criteria's sum with the bonus capped at 10."""
    for sid, m in BASE.items():
        if sid in ("P20", "P21"):
            continue
        assert round(m[0] + m[1] + m[2] + min(m[3] + m[4], 10), 2) == TOTAL[sid], sid


# ============================================================ the command line

UNITS_CSV = "unit_id,name,parent_id,head_id,governing_body,place\n" + "".join(
    f"{u},{name},,{head},Sở Văn hóa và Thể thao thành phố Hà Nội,Hà Nội\n"
    for u, (name, head) in UNITS.items())
POSITIONS_CSV = """position_id,title,title_en,manages_others
TP,Trưởng phòng,Head of division,x
CV,Chuyên viên,Specialist,
NV,Nhân viên hợp đồng,Contract staff,
"""
STAFF_CSV = "staff_id,full_name,position_id,unit_id,manager_id,category\n" + "".join(
    f"{s},Người {s},{'TP' if s in HEADS else 'NV' if s in CONTRACT else 'CV'},{unit_of(s)},"
    f"{'' if s in HEADS else UNITS[unit_of(s)][1]},{'hop_dong' if s in CONTRACT else 'cong_chuc'}\n"
    for s in ALL)


def fill(template: Path, out: Path, month: int) -> None:
    """Type the competent level's scores, the leave, and the units' tasks and recognition."""

    def staff(sid: str, _row: Mapping[str, Any]) -> dict[str, Any]:
        return {"leave": LEAVE.get((sid, month)),
                **{"competent__" + k: v for k, v in (marks(sid, month) or {}).items()}}

    def unit(u: str, _row: Mapping[str, Any]) -> dict[str, Any]:
        return {"tasks_assigned": 10, "tasks_done": TASKS[u, month],
                "exceptional": "x" if (u, month) in EXCEPTIONAL else None}

    fill_workbook(template, out, staff, unit)


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """October–December 2025 through the command line, then ``annual``."""
    tmp = tmp_path_factory.mktemp("hunt109")
    org = org_file(tmp, UNITS_CSV, POSITIONS_CSV, STAFF_CSV)
    archive = tmp / "luu-tru.sqlite"
    months: dict[int, pd.DataFrame] = {}
    docs: dict[int, Any] = {}
    for m in MONTHS:
        per = f"2025-{m:02d}"
        tpl, book = tmp / f"mau-{m:02d}.xlsx", tmp / f"thang-{m:02d}.xlsx"
        res, csv = tmp / f"ket-qua-{m:02d}.json", tmp / f"ket-qua-{m:02d}.csv"
        months[m] = month_by_cli(org, RS, per, partial(fill, month=m), tpl, book, res, csv)
        docs[m] = json.loads(res.read_text(encoding="utf-8"))
        ok("render", str(res), "--org", str(org), "--out", str(tmp / f"phieu-{m:02d}"))
        ok("finalize", str(res), "--archive", str(archive), "--by", "TCCB", "--org", str(org))
    table = tmp / "nam.csv"
    ok("annual", "--archive", str(archive), "--year", "2025", "--out", str(table))
    ok("annual", "--archive", str(archive), "--year", "2025", "--pdf", str(tmp / "phieu-nam"))
    return {"tmp": tmp, "org": org, "archive": archive, "months": months, "docs": docs,
            "annual": pd.read_csv(table, dtype={"staff_id": str})}  # fmt: skip


def _grade(v: Any) -> str | None:
    return None if pd.isna(v) else str(v)


def test_cli_month_totals_and_grades_by_hand(cli: dict[str, Any]) -> None:
    """Every total and grade of the three months (module docstring)."""
    for m in MONTHS:
        got = cli["months"][m].set_index("staff_id")
        assert sorted(got.index) == sorted(ALL), m
        tot = {s: (None if pd.isna(got.loc[s, "total"]) else round(float(got.loc[s, "total"]), 2))
               for s in ALL}  # fmt: skip
        assert tot == {s: month_total(s, m) for s in ALL}, m
        assert {s: _grade(got.loc[s, "grade"]) for s in ALL} == \
            {s: month_grade(s, m) for s in ALL}, m
        assert set(got["rule_set"]) == {RS}


def test_cli_quota_counts_at_the_denominators_edges(cli: dict[str, Any]) -> None:
    """QĐ 3814-QĐ/TU: 30 % of those classified, floor (§4.6): 20 → 6, 21 → 6, 22 → 6,
    3 → 0, 10 → 3; an especially outstanding unit: 40 % of all 20 staff → 8, even with 3
    of them not classified (17 classified)."""
    want_base = {("P", 10): 20, ("P", 11): 21, ("P", 12): 22, ("S", 10): 3, ("S", 11): 3,
                 ("S", 12): 3, ("O", 10): 20, ("O", 11): 20, ("O", 12): 10}  # fmt: skip
    for m in MONTHS:
        got = cli["months"][m].groupby("unit_id")[
            ["quota_base", "quota_percent", "quota_cap", "quota_raised"]].first()
        for u in UNITS:
            raised = (u, m) in EXCEPTIONAL
            assert (int(got.loc[u, "quota_base"]), float(got.loc[u, "quota_percent"]),
                    int(got.loc[u, "quota_cap"]), bool(got.loc[u, "quota_raised"])) == (
                want_base[u, m], 40.0 if raised else 30.0, QUOTA_CAP[u, m], raised), (u, m)
        a = cli["months"][m].groupby("unit_id")["grade"].apply(lambda g: int((g == "HTXS").sum()))
        assert {u: int(a[u]) for u in UNITS} == {u: QUOTA_CAP[u, m] for u in UNITS}, m


def test_cli_reasons_say_the_quota_and_its_denominator_in_words(cli: dict[str, Any]) -> None:
    """The sentence says the base: those classified (30 %) or all the unit's staff (40 %),
    with the decision's citation; the head cap says the unit's grade."""
    oct_, nov, dec = (cli["months"][m].set_index("staff_id") for m in MONTHS)
    assert "30% của 20 người được xếp loại" in oct_.loc["P06", "reasons_vi"]
    assert "40% của 20 người của đơn vị" in nov.loc["O08", "reasons_vi"]
    assert "30% của 10 người được xếp loại" in dec.loc["O03", "reasons_vi"]
    assert "tối đa 0 người (30% của 3 người được xếp loại)" in dec.loc["S1", "reasons_vi"]
    for frame in (oct_, nov, dec):
        for s in frame.index[frame["reasons"].fillna("").str.contains("quota.demoted")]:
            assert "(QĐ 3814-QĐ/TU ngày 16/5/2018)" in frame.loc[s, "reasons_vi"], s
    assert "cap.head_unit" in dec.loc["HP", "reasons"]
    assert "Người đứng đầu không được xếp loại cao hơn kết quả của đơn vị (Loại B)" in \
        dec.loc["HP", "reasons_vi"]


def test_cli_the_year_by_hand(cli: dict[str, Any]) -> None:
    """The year of the module docstring: công chức with 3 months are not classified (NĐ 90
    Điều 2 k3) save P20 (maternity); contract staff on the mean, no quota; HS capped."""
    year = cli["annual"].set_index("staff_id")
    assert sorted(year.index) == sorted(ALL)
    assert {s: _grade(year.loc[s, "annual_grade"]) for s in ALL} == \
        {s: g for s, (g, _) in YEAR.items()}
    for s, (g, t) in YEAR.items():
        if g is not None:
            assert year.loc[s, "annual_total"] == pytest.approx(t), s
    assert "rollup.too_few_months" in year.loc["P01", "reasons"]
    assert "rollup.leave" in year.loc["P20", "reasons"]
    assert "cap.head_unit" in year.loc["HS", "reasons"]
    assert not year["reasons"].fillna("").str.contains("quota").any()


# ============================================================ the PDF sheets

CODES = ("HTXS", "HTT", "KHT", "quota.", "cap.", "band.", "rollup.", "hanoi.", "cong_chuc",
         "hop_dong", "None", "nan")  # fmt: skip
ENGLISH = ("Grade", "grade", "Total", "total", "quota", "Quota", "staff", "Staff", "unit ",
           "Unit", "score", "Score", "Head", "head", "Excellent", "Completed", "leave")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip


def _sheets(cli: dict[str, Any]) -> list[Path]:
    tmp = cli["tmp"]
    return sorted([*tmp.glob("phieu-*/*.pdf"), *tmp.glob("phieu-*/units/*.pdf")])


def test_the_sheets_are_vietnamese_with_citations_and_no_codes(cli: dict[str, Any]) -> None:
    """Every sheet and unit summary of the three months and the year: the grades as the
    decision names them (Loại A … D), the decision cited, no code and no English word."""
    sheets = _sheets(cli)
    assert len(sheets) == 4 * (len(ALL) + len(UNITS)), len(sheets)  # 3 months + the year
    for path in sheets:
        text = pdf_text(path)
        assert re.search(r"QĐ 3814-\s*QĐ/TU", text), path.name
        assert "Loại " in text or "Chưa đánh giá" in text, path.name
        for word in CODES + ENGLISH:
            assert word not in text, (path.name, word)


def test_each_sheet_is_headed_and_signed_for_the_persons_own_unit(cli: dict[str, Any]) -> None:
    """Three units of one Sở without a common parent (three roots in the organisation file):
    a sheet of Phòng Nghiệp vụ is not headed "PHÒNG TỔNG HỢP" nor concluded by the head of
    Phòng Tổng hợp (domain brief §5: the agency's name, the competent level's signature)."""
    for m in MONTHS:
        folder = cli["tmp"] / f"phieu-{m:02d}"
        text = pdf_text(folder / f"2025-{m:02d}_O_O08_Nguoi_O08.pdf")
        header = text.split("PHIẾU ĐÁNH GIÁ")[0].upper()
        assert "PHÒNG TỔNG HỢP" not in header and "PHÒNG NGHIỆP VỤ" in header, (m, header)
        assert "Người HP" not in text, m
        summary = pdf_text(folder / "units" / f"2025-{m:02d}_O.pdf").split("BẢNG TỔNG HỢP")[0]
        assert "PHÒNG TỔNG HỢP" not in summary.upper(), (m, summary)


# ============================================================ objects and frames

LEAVE_KIND = {"Thai sản": "maternity", "Ốm": "sick", "Vắng": "absent"}


def organisation() -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit(u, name, head_id=h, governing_body="Sở Văn hóa và Thể thao",
                            place="Hà Nội") for u, (name, h) in UNITS.items()],
        positions=[evalkit.Position("TP", "Trưởng phòng", manages_others=True),
                   evalkit.Position("CV", "Chuyên viên"),
                   evalkit.Position("NV", "Nhân viên hợp đồng")],
        staff=[evalkit.Staff(s, f"Người {s}",
                             "TP" if s in HEADS else "NV" if s in CONTRACT else "CV",
                             unit_of(s), category="hop_dong" if s in CONTRACT else "cong_chuc",
                             manages_others=s in HEADS,
                             manager_id=None if s in HEADS else UNITS[unit_of(s)][1])
               for s in ALL])  # fmt: skip


def unit_inputs(m: int) -> list[evalkit.UnitInputs]:
    return [evalkit.UnitInputs(u, f"2025-{m:02d}", tasks_assigned=10, tasks_done=TASKS[u, m],
                               exceptional=(u, m) in EXCEPTIONAL) for u in UNITS]  # fmt: skip


@pytest.fixture(scope="module")
def objects() -> dict[str, Any]:
    """classify_organisation per month (the blank rows: no assessment at all), the year by
    classify_organisation_year; the rule set named (Hà Nội's, for every category in 2025)."""
    org = organisation()
    months = {}
    for m in MONTHS:
        per = f"2025-{m:02d}"
        items = [evalkit.Assessment(s, per, leave=LEAVE_KIND[LEAVE[s, m]])
                 if (s, m) in LEAVE else evalkit.Assessment(s, per, competent_scores=marks(s, m))
                 for s in ALL if (s, m) not in BLANK]  # fmt: skip
        months[m] = evalkit.classify_organisation(org, items, unit_inputs(m), RS)
    return {"months": months,
            "year": evalkit.classify_organisation_year(list(months.values()), RS)}


def test_objects_months_by_hand(objects: dict[str, Any]) -> None:
    """The same grades as the command line, the quota reports' caps by hand."""
    for m in MONTHS:
        got = {r.staff_id: (r.grade.code if r.grade else None)
               for c in objects["months"][m].values() for r in c.staff}  # fmt: skip
        want = {s: month_grade(s, m) for s in ALL}
        assert {s: got.get(s) for s in ALL} == want, m
        caps = {u: c.quotas[0].cap for u, c in objects["months"][m].items()}
        assert caps == {u: QUOTA_CAP[u, m] for u in UNITS}, m


def test_objects_year_by_hand(objects: dict[str, Any]) -> None:
    got = {r.staff_id: (r.grade.code if r.grade else None,
                        None if r.grade is None else round(r.total, 2))
           for c in objects["year"].values() for r in c.staff}  # fmt: skip
    assert got == YEAR
    assert {u: c.unit.grade.code for u, c in objects["year"].items()} == \
        {"P": "HTXS", "S": "HTT", "O": "HTXS"}  # P (100+100+80)/3 = 93.33; S 86.67; O 100


def frames_from_csv(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The months as frames, the blank rows left out (O's all-staff head count given as
    ``staff_total``), written with ``to_csv`` and read with ``pd.read_csv``."""
    rows = [{"staff_id": s, "full_name": f"Người {s}", "unit_id": unit_of(s),
             "period": f"2025-{m:02d}", "category": "hop_dong" if s in CONTRACT else "cong_chuc",
             "manages_others": s in HEADS,
             "manager_id": None if s in HEADS else UNITS[unit_of(s)][1],
             "leave": LEAVE_KIND.get(LEAVE.get((s, m), ""), ""), **(marks(s, m) or {})}
            for m in MONTHS for s in ALL if (s, m) not in BLANK]  # fmt: skip
    units = [{"unit_id": u, "name": name, "head_id": h, "period": f"2025-{m:02d}",
              "tasks_assigned": 10, "tasks_done": TASKS[u, m],
              "exceptional": "x" if (u, m) in EXCEPTIONAL else "",
              "staff_total": {"P": 22, "S": 3, "O": 20}[u]}
             for m in MONTHS for u, (name, h) in UNITS.items()]  # fmt: skip
    return csv_frames(folder, rows, units)


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    staff, units = frames_from_csv(tmp_path_factory.mktemp("frames109"))
    by_period, results, unit_results = classify_months(staff, units, RS)
    months = {int(per[-2:]): full for per, full in by_period.items()}
    return {"months": months, "year": evalkit.classify_year(results, unit_results, RS)}


def test_frames_months_by_hand(frames: dict[str, Any]) -> None:
    """classify_frame on CSV-read frames: O's November has 19 rows (O19 has none, counted in
    ``staff_total`` = 20), O17 and O18 on leave → 17 classified; 40 % of all 20 → 8 A."""
    for m in MONTHS:
        got = frames["months"][m].set_index("staff_id")
        want = {s: month_grade(s, m) for s in ALL if (s, m) not in BLANK}
        assert {s: _grade(got.loc[s, "grade"]) for s in want} == want, m
        caps = got.groupby("unit_id")["quota_cap"].first()
        assert {u: int(caps[u]) for u in UNITS} == {u: QUOTA_CAP[u, m] for u in UNITS}, m


def test_frames_year_by_hand(frames: dict[str, Any]) -> None:
    year = frames["year"].set_index("staff_id")
    got = {s: (_grade(year.loc[s, "grade"]),
               None if pd.isna(year.loc[s, "grade"]) else round(float(year.loc[s, "total"]), 2))
           for s in year.index}  # fmt: skip
    assert got == YEAR


def test_the_three_doors_say_the_same_sentences(
    cli: dict[str, Any], objects: dict[str, Any], frames: dict[str, Any],
) -> None:
    """Issue 13: the same grades and the same Vietnamese sentences with their citations for
    every graded person-month at every door."""
    for m in MONTHS:
        by_cli = cli["months"][m].set_index("staff_id")
        by_frame = with_sentences(frames["months"][m], langs=("vi",)).set_index("staff_id")
        for c in objects["months"][m].values():
            for r in c.staff:
                if r.grade is None:
                    continue
                vi = " | ".join(f"{x.message_vi} ({x.source})" if x.source else x.message_vi
                                for x in r.reasons)  # fmt: skip
                assert by_cli.loc[r.staff_id, "reasons_vi"] == vi, (r.staff_id, m)
                assert by_frame.loc[r.staff_id, "reasons_vi"] == vi, (r.staff_id, m)


def test_the_bonus_is_at_most_10_on_the_sheet_and_each_criterion_at_most_its_max(
    cli: dict[str, Any], tmp_path: Path,
) -> None:
    """QĐ 3814-QĐ/TU: up to 10 bonus points. P02's 8 + 7 counts 10 (20 + 68 + 10 = 98) on
    the sheet; a bonus criterion typed 11 (its maximum is 10) is refused by ``validate``."""
    oct_ = cli["months"][10].set_index("staff_id")
    assert (oct_.loc["P02", "points_bonus"], oct_.loc["P02", "total"]) == (10.0, 98.0)
    text = pdf_text(cli["tmp"] / "phieu-10" / "2025-10_P_P02_Nguoi_P02.pdf")
    bonus_line = next(x for x in text.splitlines() if "III" in x and "Điểm thưởng" in x)
    assert bonus_line.split()[-2:] == ["10", "10"], bonus_line  # max 10, counted 10
    assert next(x for x in text.splitlines() if "Tổng cộng" in x).split()[-2:] == ["100", "98"]
    wb = openpyxl.load_workbook(cli["tmp"] / "thang-10.xlsx")
    ws = wb[SCORES_SHEET]
    col = header_columns(ws)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["staff_id"]).value == "P01")
    ws.cell(row, col["competent__sang_kien"], 11)
    bad = tmp_path / "thang-10-sai.xlsx"
    wb.save(bad)
    code, out, err = run("validate", str(bad), "--org", str(cli["org"]))
    assert code == 1, (out, err)
    assert "P01" in out + err and "11" in out + err


def test_a_person_without_a_row_still_counts_in_all_staff_with_the_org(
    cli: dict[str, Any], tmp_path: Path,
) -> None:
    """QĐ 3814-QĐ/TU: 40 % of **all** the staff of the unit. O's November with O19's row
    deleted from the workbook: ``--org`` still counts 20 staff in O → 8 A (40 % of the 19
    rows would give 7)."""
    wb = openpyxl.load_workbook(cli["tmp"] / "thang-11.xlsx")
    ws = wb[SCORES_SHEET]
    col = header_columns(ws)
    ws.delete_rows(next(r for r in range(2, ws.max_row + 1)
                        if ws.cell(r, col["staff_id"]).value == "O19"))  # fmt: skip
    book, out = tmp_path / "thang-11.xlsx", tmp_path / "ket-qua.csv"
    wb.save(book)
    ok("classify", str(book), "--org", str(cli["org"]), "--out", str(out))
    got = pd.read_csv(out, dtype={"staff_id": str}).set_index("staff_id")
    assert (int(got.loc["HO", "quota_base"]), int(got.loc["HO", "quota_cap"])) == (20, 8)
    assert {s: _grade(got.loc[s, "grade"]) for s in O_IDS[:-1]} == \
        {s: month_grade(s, 11) for s in O_IDS[:-1]}


def test_a_conclusion_below_the_band_frees_an_a_place_and_one_above_is_not_applied(
    cli: dict[str, Any], tmp_path: Path,
) -> None:
    """October in P with the competent level's conclusions: P01 (99) concluded Loại B with
    its written reason — no longer a candidate, so 8 candidates for the 6 places (30 % of 20
    classified): HP, P02–P06 keep A, P07 and P08 → B; P09 (89.99, band B) concluded Loại A
    keeps B (the preset's ``above_band = false``), said in words."""
    wb = openpyxl.load_workbook(cli["tmp"] / "thang-10.xlsx")
    ws = wb[SCORES_SHEET]
    col = header_columns(ws)
    for r in range(2, ws.max_row + 1):
        sid = ws.cell(r, col["staff_id"]).value
        if sid in ("P01", "P09"):
            ws.cell(r, col["competent_grade"], "Loại B" if sid == "P01" else "Loại A")
            ws.cell(r, col["competent_reason"], "Chậm báo cáo tháng")
    book, out = tmp_path / "thang-10.xlsx", tmp_path / "ket-qua.csv"
    wb.save(book)
    ok("validate", str(book), "--org", str(cli["org"]))
    ok("classify", str(book), "--org", str(cli["org"]), "--out", str(out))
    got = pd.read_csv(out, dtype={"staff_id": str}).set_index("staff_id")
    a = sorted(s for s in P_IDS if got.loc[s, "grade"] == "HTXS")
    assert a == ["HP", "P02", "P03", "P04", "P05", "P06"]
    assert (got.loc["P01", "grade"], got.loc["P09", "grade"]) == ("HTT", "HTT")
    assert "Chậm báo cáo tháng" in got.loc["P01", "reasons_vi"]
    assert "cao hơn mức được xếp theo điểm" in got.loc["P09", "reasons_vi"]


# ============================================================ a year of công chức under the set


def test_the_year_of_civil_servants_takes_the_national_quota_as_it_takes_the_discipline() -> None:
    """Ten công chức of one unit, July–December 2025 (6 months: classified, NĐ 90 Điều 2
    k3), 3 at 20 + 70 + 5 = 95 and 7 at 20 + 60 = 80 every month. Each month: 30 % of 10 =
    3 A (QĐ 3814). The year (the preset: "the annual classification of cán bộ, công chức and
    viên chức follows the national decree"): means 95 and 80 → 3 HTXS and 7 HTT by band; NĐ 90
    Điều 2 k6 (NĐ 48/2023, as evalkit's ``vn.nd90-2020-cc`` reads it: 20 % of the HTT) →
    floor(20 % × 7) = 1 HTXS for the year, not 3."""
    plan = {**{f"A{i}": (70, 5) for i in range(3)}, **{f"B{i}": (60, 0) for i in range(7)}}
    done = []
    for m in range(7, 13):
        per = f"2025-{m:02d}"
        staff = pd.DataFrame([{"staff_id": s, "unit_id": "U", "period": per,
                               "category": "cong_chuc", "ky_luat": 10, "dao_duc": 10,
                               "ket_qua_nhiem_vu": k, "sang_kien": b, "thanh_tich": 0}
                              for s, (k, b) in plan.items()])  # fmt: skip
        units = pd.DataFrame([{"unit_id": "U", "period": per, "tasks_assigned": 10,
                               "tasks_done": 10}])  # fmt: skip
        out, unit_results = evalkit.classify_frame(staff, units, RS)
        assert int((out["grade"] == "HTXS").sum()) == 3, per
        done.append((pd.concat([staff, out[[c for c in out if c not in staff]]], axis=1),
                     unit_results))  # fmt: skip
    year = evalkit.classify_year(pd.concat([d[0] for d in done], ignore_index=True),
                                 pd.concat([d[1] for d in done], ignore_index=True), RS)
    assert set(year.loc[year["grade"].notna(), "staff_id"]) == set(plan)  # all classified
    assert int((year["grade"] == "HTXS").sum()) == 1
