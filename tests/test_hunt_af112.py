"""Acceptance hunt af112 (issue 13 item 5): the archive — finalize, amend, annual, read back.

A mixed organisation through the twelve months of 2026, finalized both through the Python
``Archive`` API (months classified by ``classify_frame`` without naming a rule set) and
through the command line (``org`` → ``template`` per staff group → workbooks filled with
openpyxl → ``classify`` → ``finalize``). The archive's year must be ``classify_year`` over
the same months, the objects' year, and the year worked out by hand below.

Rule sets (domain brief §4.1, §4.2): công chức under ``vn.nd335-2025`` all year; viên chức
under ``vn.nd90-2020`` January–June and ``vn.nd233-2026`` from July; a viên chức's year under
NĐ 233 (the set of the last month). Every staff member has the general criteria full (30)
and the task criteria a = b = c = x %, so a month is 30 + 0.7 x (NĐ 335 Điều 12 k2, k3,
Điều 14): x = 100 → 100, 90 → 93, 70 → 79. A head types full marks as a leader, (d)
computed from the công chức under them (NĐ 335 Điều 15 k3): 100.

Units (8 of 10 tasks every month → the unit's 80 → HTT for the year; bands 90/70/50,
NĐ 335 Điều 20 k1–k4):

* Phòng P, head H (công chức). Công chức: H 100 → band HTXS, capped at P's HTT
  (``cap.head_unit``, NĐ 335 Điều 20 … the head not above the unit; NĐ 233 Điều 12 k7);
  C1 100, C2 93, C3–C6 79 (C5 sick in February: 11 months, still 79, Điều 21).
  Quota per unit and staff group on the year (NĐ 335 Điều 20 k5 a): HTT = H, C3, C4, C5, C6
  = 5 → 20 % × 5 = 1 HTXS: C1 (100) keeps it, C2 (93) is HTT (``quota.demoted``).
  Viên chức: V1 100, V2 93, V3–V7 79 → HTT = 5 → 1 HTXS: V1 keeps it, V2 is HTT
  (NĐ 233 Điều 12 k6 a).
* Phòng Q (under P), head K (công chức, 100 → capped at Q's HTT). Q1–Q3 93 (band HTXS every month),
  Q4, Q5 79. HTT = K, Q4, Q5 = 3 → 20 % × 3 = 0.6 → floor 0 (domain brief §4.6): none of
  Q1–Q3 keeps HTXS for the year — the unit whose HTXS months all exceed the quota.

Amendments (after finalize): C1's May tasks typed 20 % → 30 + 0.7 × 20 = 44 (band KHT);
H's May (d) then 50 % (C1, a công chức under H, below 50: Điều 15 k3): 30 + 0.7 × (5 × 100
+ 50) / 6 = 94.17. C6 reprimanded (khiển trách, duty-related) in March → KHT for the year
(Điều 20 k4 c). The year after: C1 (11 × 100 + 44) / 12 = 95.33, band HTXS; H (11 × 100 +
94.17) / 12 = 99.51, still capped HTT; P's công chức HTT = H, C3, C4, C5 = 4 → 0.8 → 0 HTXS:
C1 and C2 are both HTT (``quota.demoted``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.errors import InputError
from evalkit.io.archive import Archive, ArchiveError, MonthAlreadyFinalizedError
from evalkit.io.workbook import SCORES_SHEET
from tests._archive_helpers import dump, plain_month
from tests._cli_helpers import fill_workbook, header_columns, ok, org_file, run

MONTHS = list(range(1, 13))
#: the task share x of each person, by unit
P_CC = {"H": 100, "C1": 100, "C2": 90, "C3": 70, "C4": 70, "C5": 70, "C6": 70}
P_VC = {"V1": 100, "V2": 90, "V3": 70, "V4": 70, "V5": 70, "V6": 70, "V7": 70}
Q_CC = {"K": 100, "Q1": 90, "Q2": 90, "Q3": 90, "Q4": 70, "Q5": 70}
SHARE = {**P_CC, **P_VC, **Q_CC}
HEADS = {"P": "H", "Q": "K"}
PARENT = {"P": None, "Q": "P"}
LEAVE = {("C5", 2): "Ốm"}
LEAVE_KIND = {"Ốm": "sick"}
TASKS = ("so_luong", "chat_luong", "tien_do")

#: the year by hand (module docstring): grade, total
YEAR: dict[str, tuple[str, float]] = {
    "H": ("HTT", 100.0), "C1": ("HTXS", 100.0), "C2": ("HTT", 93.0),
    **{f"C{i}": ("HTT", 79.0) for i in range(3, 7)},
    "K": ("HTT", 100.0), **{f"Q{i}": ("HTT", 93.0) for i in range(1, 4)},
    "Q4": ("HTT", 79.0), "Q5": ("HTT", 79.0),
    "V1": ("HTXS", 100.0), "V2": ("HTT", 93.0), **{f"V{i}": ("HTT", 79.0) for i in range(3, 8)},
}  # fmt: skip
DEMOTED = {"C2", "V2", "Q1", "Q2", "Q3"}
CAPPED = {"H", "K"}
#: the year after the amendments (module docstring)
AMENDED_YEAR = {**YEAR, "C1": ("HTT", 95.33), "H": ("HTT", 99.51), "C6": ("KHT", 79.0)}


def unit_of(sid: str) -> str:
    return "Q" if sid in Q_CC else "P"


def set_of(sid: str, month: int) -> str:
    """The rule set in force for the person in the month (domain brief §4.1, §4.2)."""
    if sid.startswith("V"):
        return "vn.nd90-2020" if month <= 6 else "vn.nd233-2026"
    return "vn.nd335-2025"


def marks(sid: str, month: int) -> dict[str, float] | None:
    """The competent level's scores under the person's set (None: on leave)."""
    if (sid, month) in LEAVE:
        return None
    rs = evalkit.rules.get(set_of(sid, month))
    if sid in CAPPED:
        return dict(rs.full_marks(manages_others=True))
    return {**rs.full_marks(), **dict.fromkeys(TASKS, float(SHARE[sid]))}


def _grades(frame: pd.DataFrame, total: str = "annual_total",
            grade: str = "annual_grade") -> dict[str, tuple[str, float]]:  # fmt: skip
    return {str(s): (str(g), round(float(t), 2))
            for s, g, t in zip(frame["staff_id"], frame[grade], frame[total], strict=True)}


# ============================================================ the months as frames


def _month_inputs(month: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    per = f"2026-{month:02d}"
    rows = []
    for sid in SHARE:
        m = marks(sid, month)
        rows.append({
            "staff_id": sid, "full_name": f"Người {sid}", "unit_id": unit_of(sid),
            "period": per, "category": "vien_chuc" if sid.startswith("V") else "cong_chuc",
            "manages_others": sid in CAPPED,
            "manager_id": None if sid in CAPPED else HEADS[unit_of(sid)],
            "leave": LEAVE_KIND[LEAVE[sid, month]] if m is None else "",
            "discipline": 0, **(m or {}),
        })  # fmt: skip
    units = pd.DataFrame([{"unit_id": u, "name": f"Phòng {u}", "parent_id": PARENT[u],
                           "head_id": h, "tasks_assigned": 10, "tasks_done": 8}
                          for u, h in HEADS.items()])  # fmt: skip
    return pd.DataFrame(rows), units


@pytest.fixture(scope="module")
def frames() -> dict[str, Any]:
    """Each month classified by ``classify_frame`` without a rule set (the set follows the
    person), its results the inputs followed by the engine's columns."""
    months = []
    for m in MONTHS:
        staff, units = _month_inputs(m)
        out, unit_results = evalkit.classify_frame(staff, units)
        results = pd.concat([staff, out[[c for c in out if c not in staff]]], axis=1)
        months.append((results, unit_results, units))
    return {"months": months}


@pytest.fixture(scope="module")
def py_archive(frames: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The twelve months finalized through ``Archive.finalize`` with their unit inputs."""
    path = tmp_path_factory.mktemp("py112") / "luu-tru.sqlite"
    with Archive(path) as arc:
        for results, unit_results, units in frames["months"]:
            arc.finalize(results, by="TCCB", units=unit_results, unit_inputs=units)
    return path


def _copy(path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "luu-tru.sqlite"
    shutil.copy(path, out)
    return out


# ============================================================ the year at every door


def test_the_archives_annual_has_the_documented_columns_and_the_year_by_hand(
    py_archive: Path,
) -> None:
    """Issue 13 item 5: ``staff_id``, ``full_name``, ``unit_id``, ``annual_total``,
    ``annual_grade``, ``reasons`` first; the year of the module docstring."""
    with Archive(py_archive) as arc:
        year = arc.annual(2026)
    assert list(year.columns[:6]) == ["staff_id", "full_name", "unit_id", "annual_total",
                                      "annual_grade", "reasons"]  # fmt: skip
    assert _grades(year) == YEAR
    units = dict(zip(year["staff_id"], year["unit_id"], strict=True))
    assert units == {s: unit_of(s) for s in SHARE}


def test_each_person_is_classified_under_the_set_of_their_last_month(py_archive: Path) -> None:
    """A viên chức's year under NĐ 233/2026 (in force in December), a công chức's under
    NĐ 335/2025; every month archived under the set in force for the person."""
    with Archive(py_archive) as arc:
        year = arc.annual(2026)
        months = arc.year(2026)
    assert dict(zip(year["staff_id"], year["rule_set"], strict=True)) == {
        s: set_of(s, 12) for s in SHARE}
    got = {(s, int(p[-2:])): r for s, p, r in zip(months["staff_id"], months["period"],
                                                   months["rule_set"], strict=True)}  # fmt: skip
    assert got == {(s, m): set_of(s, m) for s in SHARE for m in MONTHS}


def test_the_head_is_capped_and_the_quota_applies_to_the_year(py_archive: Path) -> None:
    """H and K (band HTXS, 100) are capped at their unit's HTT; the quota on the year
    demotes C2, V2 and all three of Q's HTXS (20 % of 3 HTT = 0.6 → 0)."""
    with Archive(py_archive) as arc:
        year = arc.annual(2026).set_index("staff_id")
    codes = {s: str(r).split(";") for s, r in year["reasons"].items()}
    assert {s for s, c in codes.items() if "cap.head_unit" in c} == CAPPED
    assert {s for s, c in codes.items() if "quota.demoted" in c} == DEMOTED
    assert {s: int(year.loc[s, "quota_cap"]) for s in ("Q1", "C1", "V1")} == {
        "Q1": 0, "C1": 1, "V1": 1}
    assert set(year["unit_grade"]) == {"HTT"}


def test_classify_year_on_the_same_months_is_the_archives_year(
    frames: dict[str, Any], py_archive: Path,
) -> None:
    """The archive's year is ``classify_year`` over the months it stores: the same totals,
    grades and reason codes (one engine)."""
    months = pd.concat([r for r, _, _ in frames["months"]], ignore_index=True)
    units = pd.concat([u for _, u, _ in frames["months"]], ignore_index=True)
    frame_year = evalkit.classify_year(months, units)
    with Archive(py_archive) as arc:
        year = arc.annual(2026)
    assert _grades(frame_year, "total", "grade") == YEAR
    assert _grades(year) == _grades(frame_year, "total", "grade")

    def codes(frame: pd.DataFrame) -> dict[str, str]:
        return {str(s): str(r) for s, r in zip(frame["staff_id"], frame["reasons"], strict=True)}

    assert codes(year) == codes(frame_year)


def _organisation() -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit(u, f"Phòng {u}", parent_id=PARENT[u], head_id=h)
               for u, h in HEADS.items()],
        positions=[evalkit.Position("TP", "Trưởng phòng", manages_others=True),
                   evalkit.Position("CV", "Chuyên viên"), evalkit.Position("VC", "Viên chức")],
        staff=[evalkit.Staff(s, f"Người {s}", "TP" if s in CAPPED else
                             "VC" if s.startswith("V") else "CV", unit_of(s),
                             category="vien_chuc" if s.startswith("V") else "cong_chuc",
                             manages_others=s in CAPPED,
                             manager_id=None if s in CAPPED else HEADS[unit_of(s)])
               for s in SHARE])  # fmt: skip


def _assessment(sid: str, month: int) -> evalkit.Assessment:
    per, m = f"2026-{month:02d}", marks(sid, month)
    if m is None:
        return evalkit.Assessment(sid, per, leave=LEAVE_KIND[LEAVE[sid, month]])
    return evalkit.Assessment(sid, per, competent_scores=m)


def objects_year(
    assess: Callable[[str, int], evalkit.Assessment],
) -> dict[str, evalkit.UnitClassification]:
    """``classify_organisation`` month by month without a rule set (every unit's tasks 8 of
    10), each person's month ``assess(staff_id, month)``, then ``classify_organisation_year``."""
    org = _organisation()
    months = [evalkit.classify_organisation(
        org, [assess(s, m) for s in SHARE],
        [evalkit.UnitInputs(u, f"2026-{m:02d}", tasks_assigned=10, tasks_done=8)
         for u in HEADS]) for m in MONTHS]  # fmt: skip
    return evalkit.classify_organisation_year(months)


def assert_the_archives_year(
    year: dict[str, evalkit.UnitClassification], path: Path, want: dict[str, tuple[str, float]],
    sentence: Callable[[Any], str] = lambda x: x.message_vi,
) -> None:
    """The objects' ``year`` has the grades and totals ``want``, and the archive at ``path``
    says the same ``sentence`` of each reason for 2026."""
    got = {r.staff_id: (r.grade.code, round(r.total, 2)) for c in year.values() for r in c.staff}
    assert got == want
    with Archive(path) as arc:
        archived = evalkit.results_from_frame(arc.annual(2026))
    said = {r.staff_id: [sentence(x) for x in r.reasons] for c in year.values() for r in c.staff}
    assert {r.staff_id: [sentence(x) for x in r.reasons] for r in archived} == said


def test_the_objects_year_is_the_archives_year(py_archive: Path) -> None:
    """``classify_organisation`` month by month without a rule set, then
    ``classify_organisation_year``: the year by hand, with the archive's reason sentences."""
    assert_the_archives_year(objects_year(_assessment), py_archive, YEAR)


# ============================================================ amend: refusals


REFUSED = [
    ("unknown field", "2026-05", "C1", {"so_luog": 20}, "so_luog"),
    ("derived field", "2026-05", "C1", {"annual_grade": "HTXS"}, "annual_grade"),
    ("above the maximum", "2026-05", "C1", {"pham_chat_dao_duc": 6}, "pham_chat_dao_duc"),
    ("above 100 %", "2026-05", "C1", {"so_luong": 101}, "so_luong"),
    ("a blank score", "2026-05", "C1", {"so_luong": ""}, "so_luong"),
    ("a missing score", "2026-05", "C1", {"so_luong": None}, "so_luong"),
    ("NĐ 335's field in an NĐ 90 month", "2026-03", "V2", {"pham_chat_dao_duc": 5},
     "pham_chat_dao_duc"),
    ("NĐ 90's field for a công chức", "2026-03", "C2", {"chinh_tri": 7}, "chinh_tri"),
    # a party discipline under NĐ 335 is no longer refused: Điều 20 k4 c counts it (af158)
    ("NĐ 335's count for an NĐ 233 viên chức", "2026-08", "V2", {"loi_chat_luong": 2},
     "loi_chat_luong"),
    ("a score of a sick month", "2026-02", "C5", {"so_luong": 80}, None),
]  # fmt: skip


@pytest.mark.parametrize(("case", "period", "sid", "changes", "column"), REFUSED,
                         ids=[c[0] for c in REFUSED])  # fmt: skip
def test_an_amendment_the_rule_set_cannot_take_is_refused_where_it_is(
    py_archive: Path, tmp_path: Path, case: str, period: str, sid: str,
    changes: dict[str, Any], column: str | None,
) -> None:
    """Issue 13 item 5: ``amend`` validates the field against the month's own rule set and
    the value as the workbook reads a cell (a score within its maximum; a required score
    never blank); each problem names the archive, the person and the column, and nothing
    is recorded. C5 was on sick leave in February (no scores: not evaluated, domain brief
    §4.5): one task score alone cannot be re-derived (the other criteria are blank)."""
    path = _copy(py_archive, tmp_path)
    before = dump(path)
    with Archive(path) as arc, pytest.raises(InputError) as exc:
        arc.amend(period, sid, changes, by="TCCB", why="Sửa")
    problems = exc.value.problems
    assert problems
    for p in problems:
        assert (p.file, p.staff_id) == (str(path), sid), case
    if column is not None:
        assert column in {p.column for p in problems}, case
    assert dump(path) == before


def test_a_month_not_finalized_cannot_be_amended(py_archive: Path, tmp_path: Path) -> None:
    """2027-01 is not in the archive: ``ArchiveError`` naming it; the CLI exits 1 in
    Vietnamese; nothing is written."""
    path = _copy(py_archive, tmp_path)
    before = dump(path)
    with Archive(path) as arc, pytest.raises(ArchiveError, match="2027-01"):
        arc.amend("2027-01", "C1", {"so_luong": 20}, by="TCCB", why="Sửa")
    code, out, err = run("amend", "--archive", str(path), "--period", "2027-01", "--staff",
                         "C1", "--set", "so_luong=20", "--by", "TCCB", "--why", "Sửa")
    assert code == 1, (out, err)
    assert "2027-01" in err and "chưa" in err, err
    assert dump(path) == before


def test_a_finalized_month_cannot_be_finalized_again(
    frames: dict[str, Any], py_archive: Path, tmp_path: Path,
) -> None:
    """A finalized month cannot change except by ``amend`` (docs/cli.md, finalize)."""
    path = _copy(py_archive, tmp_path)
    before = dump(path)
    results, unit_results, units = frames["months"][4]
    with Archive(path) as arc, pytest.raises(MonthAlreadyFinalizedError, match="2026-05"):
        arc.finalize(results, by="TCCB", units=unit_results, unit_inputs=units)
    assert dump(path) == before


# ============================================================ amend: the month and the year


def _amend_py(path: Path) -> list[Any]:
    with Archive(path) as arc:
        return [arc.amend("2026-05", "C1", dict.fromkeys(TASKS, "20"), by="Trưởng phòng TCCB",
                          why="Nhập nhầm tỷ lệ nhiệm vụ"),
                arc.amend("2026-03", "C6", {"discipline": "khiển trách"},
                          by="Hội đồng kỷ luật", why="Quyết định kỷ luật số 12")]  # fmt: skip


def test_an_amended_score_re_derives_the_month_the_leader_and_the_year(
    py_archive: Path, tmp_path: Path,
) -> None:
    """C1's May 44 (KHT band), H's May 94.17 ((d) 50 %, the typed 100 % reported); C6 KHT
    in March; the year after as in the module docstring (C1 demoted: 0 HTXS of 4 HTT)."""
    path = _copy(py_archive, tmp_path)
    first, second = _amend_py(path)
    assert {c.staff_id for c in first.rows} == {"C1", "H"}
    assert {c.staff_id for c in second.rows} == {"C6"}
    with Archive(path) as arc:
        may = arc.month("2026-05").set_index("staff_id")
        march = arc.month("2026-03").set_index("staff_id")
        year = arc.annual(2026)
    assert (may.loc["C1", "total"], may.loc["C1", "score_grade"]) == (44.0, "KHT")
    assert may.loc["H", "total"] == pytest.approx(94.17)
    assert "management.d_typed" in str(may.loc["H", "reasons"]).split(";")
    assert march.loc["C6", "grade"] == "KHT"
    assert _grades(year) == AMENDED_YEAR
    demoted = {s for s, r in zip(year["staff_id"], year["reasons"], strict=True)
               if "quota.demoted" in str(r).split(";")}  # fmt: skip
    assert demoted == DEMOTED | {"C1"}


def test_the_amended_archive_and_the_amended_objects_say_the_same_year(
    py_archive: Path, tmp_path: Path,
) -> None:
    """The objects' year with C1's May typed at 20 % and C6's March reprimand
    (``khien_trach``) is the amended archive's year: totals and grades of the module
    docstring, the same Vietnamese sentences with their citations."""
    path = _copy(py_archive, tmp_path)
    _amend_py(path)

    def assess(sid: str, m: int) -> evalkit.Assessment:
        a = _assessment(sid, m)
        if (sid, m) == ("C1", 5):
            return evalkit.Assessment(sid, a.period, competent_scores={
                **dict(a.competent_scores or {}), **dict.fromkeys(TASKS, 20.0)})
        if (sid, m) == ("C6", 3):
            return evalkit.Assessment(sid, a.period, competent_scores=a.competent_scores,
                                      discipline="khien_trach")
        return a

    assert_the_archives_year(objects_year(assess), path, AMENDED_YEAR,
                             lambda x: f"{x.message_vi} ({x.source})")


def test_the_amendment_trail_keeps_who_when_why_and_the_values_before(
    py_archive: Path, tmp_path: Path,
) -> None:
    """``Archive.history``: each amendment that changed a person's row, with who, when,
    why and the input before and after; the month as finalized is still readable."""
    path = _copy(py_archive, tmp_path)
    first, _ = _amend_py(path)
    with Archive(path) as arc:
        (c1,) = arc.history("2026-05", "C1")
        (h,) = arc.history("2026-05", "H")  # touched as C1's leader
        (c6,) = arc.history("2026-03", "C6")
        original = arc.month("2026-05", original=True).set_index("staff_id")
        assert arc.verify().ok
    assert (c1.amended_by, c1.reason, c1.staff_id) == ("Trưởng phòng TCCB",
                                                       "Nhập nhầm tỷ lệ nhiệm vụ", "C1")
    assert c1.amended_at == first.amended_at and c1.amended_at.startswith("20")
    assert dict(c1.previous) == dict.fromkeys(TASKS, 100.0)
    assert dict(c1.new) == dict.fromkeys(TASKS, 20.0)
    assert h.id == c1.id
    assert (c6.amended_by, c6.reason) == ("Hội đồng kỷ luật", "Quyết định kỷ luật số 12")
    assert (original.loc["C1", "total"], original.loc["H", "total"]) == (100.0, 100.0)


def test_the_command_line_amends_as_the_python_api_does(
    py_archive: Path, tmp_path: Path,
) -> None:
    """``evalkit amend`` with the same values (``20``, ``khiển trách``) gives the same year
    (``evalkit annual --out``) as ``Archive.amend``."""
    path = _copy(py_archive, tmp_path)
    ok("amend", "--archive", str(path), "--period", "2026-05", "--staff", "C1",
       *(x for t in TASKS for x in ("--set", f"{t}=20")), "--by", "TCCB", "--why", "Nhập nhầm")
    ok("amend", "--archive", str(path), "--period", "2026-03", "--staff", "C6",
       "--set", "discipline=khiển trách", "--by", "TCCB", "--why", "Kỷ luật")  # fmt: skip
    table = tmp_path / "nam.csv"
    ok("annual", "--archive", str(path), "--year", "2026", "--out", str(table))
    year = pd.read_csv(table, dtype={"staff_id": str})
    assert _grades(year) == AMENDED_YEAR


def test_an_amended_reprimand_unrelated_to_the_duty_leaves_the_year(
    py_archive: Path, tmp_path: Path,
) -> None:
    """NĐ 335/2025/NĐ-CP Điều 20 k4 c: only a reprimand for a violation related to public
    duty makes the year KHT. C3's May amended to a reprimand with
    ``discipline_related_to_duty = không`` in one amendment, C6's June in two (the
    reprimand, then the flag): both stay HTT (79) for the year, as their months do; C4's
    May reprimand with the flag blank (duty-related unless said otherwise) is KHT. P's
    công chức HTT are then H, C3, C5, C6 = 4 → 20 % = 0.8 → 0: C1 is demoted too. The
    months January–June hold viên chức under NĐ 90/2020, so the year reads their
    documents' flags: an amended flag those documents never carried must still count.
    ``classify_year`` on the months read back from the archive gives the same year."""
    path = _copy(py_archive, tmp_path)
    with Archive(path) as arc:
        arc.amend("2026-05", "C3", {"discipline": "khiển trách",
                                    "discipline_related_to_duty": "không"}, by="TCCB", why="a")
        arc.amend("2026-05", "C4", {"discipline": "khiển trách"}, by="TCCB", why="b")
        arc.amend("2026-06", "C6", {"discipline": "khiển trách"}, by="TCCB", why="c")
        arc.amend("2026-06", "C6", {"discipline_related_to_duty": "không"}, by="TCCB", why="d")
        months = [arc.month_and_units(f"2026-{m:02d}") for m in MONTHS]
        year = arc.annual(2026)
        grades = arc.month("2026-05").set_index("staff_id")["grade"]
    assert (grades["C3"], grades["C4"]) == ("HTT", "KHT")
    want = {**YEAR, "C4": ("KHT", 79.0), "C1": ("HTT", 100.0)}
    assert _grades(year) == want
    frame_year = evalkit.classify_year(pd.concat([m.reset_index() for m, _ in months]),
                                       pd.concat([u for _, u in months]))  # fmt: skip
    assert _grades(frame_year, "total", "grade") == want


@pytest.mark.parametrize(("args", "said"), [
    (("--set", "so_luog=20"), "so_luong"),
    (("--set", "pham_chat_dao_duc=6"), "5"),
    (("--set", "chinh_tri=7"), "chinh_tri"),
    (("--set", "so_luong="), "so_luong"),
])  # fmt: skip
def test_the_command_line_refuses_in_vietnamese_and_writes_nothing(
    py_archive: Path, tmp_path: Path, args: tuple[str, ...], said: str,
) -> None:
    """Exit 1, the problem located (the archive, the person, the column) and said in
    Vietnamese (the ids of fields and rule sets stay as written); the archive as it was."""
    path = _copy(py_archive, tmp_path)
    before = dump(path)
    code, out, err = run("amend", "--archive", str(path), "--period", "2026-05", "--staff",
                         "C1", *args, "--by", "TCCB", "--why", "Sửa")
    assert code == 1, (out, err)
    assert "Có 1 lỗi" in err and f"{path}, người được đánh giá 'C1', cột" in err and said in err, err
    assert dump(path) == before


# ============================================================ a failure while writing


def test_a_failure_in_the_middle_of_a_write_leaves_the_archive_unchanged(
    py_archive: Path, tmp_path: Path,
) -> None:
    """A month of 2500 rows written in chunks of 1000; the write fails after the first
    chunk (the progress callback raises an OSError, as a dying disk would): an
    ``ArchiveError`` saying nothing was written (docs/cli.md, I/O failures), the transaction
    rolled back, the month not finalized, every row of every table as before, the seals
    verified."""
    path = _copy(py_archive, tmp_path)
    before = dump(path)
    seen: list[int] = []

    def dies(done: int, total: int | None) -> None:
        seen.append(done)
        if done > 1000:
            raise OSError("the disk died")

    with Archive(path) as arc, pytest.raises(ArchiveError, match="nothing was written"):
        arc.finalize(plain_month("2027-01", 2500), by="TCCB", progress=dies)
    assert seen == [1000, 2000]
    assert dump(path) == before
    with Archive(path) as arc:
        assert not arc.is_finalized("2027-01")
        assert arc.verify().ok


# ============================================================ the command line's year


POSITIONS_CSV = """position_id,title,title_en,manages_others
TP,Trưởng phòng,Head of division,x
CV,Chuyên viên,Specialist,
VC,Viên chức,Public employee,
"""
UNITS_CSV = ("unit_id,name,parent_id,head_id,governing_body,place\n"
             "P,Phòng Văn hóa và Thông tin,,H,Ủy ban nhân dân huyện Sông Lam,Lam Giang\n"
             "Q,Phòng Tư pháp,P,K,Ủy ban nhân dân huyện Sông Lam,Lam Giang\n")  # fmt: skip
STAFF_CSV = "staff_id,full_name,position_id,unit_id,manager_id,category\n" + "".join(
    f"{s},Người {s},{'TP' if s in CAPPED else 'VC' if s.startswith('V') else 'CV'},"
    f"{unit_of(s)},{'' if s in CAPPED else HEADS[unit_of(s)]},"
    f"{'vien_chuc' if s.startswith('V') else 'cong_chuc'}\n" for s in SHARE
)


def _fill(template: Path, out: Path, month: int) -> None:
    """Type the competent level's scores (or the leave) and the units' tasks."""

    def staff(sid: str, _row: Mapping[str, Any]) -> dict[str, Any]:
        m = marks(sid, month)
        if m is None:
            return {"leave": LEAVE[sid, month]}
        return {"competent__" + k: v for k, v in m.items()}

    fill_workbook(template, out, staff, lambda _u, _row: {"tasks_assigned": 10, "tasks_done": 8})


@pytest.fixture(scope="module")
def cli_year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The twelve months through the command line (two workbooks a month, one per staff
    group), each classified to JSON, CSV and Excel, then finalized."""
    tmp = tmp_path_factory.mktemp("cli112")
    org = org_file(tmp, UNITS_CSV, POSITIONS_CSV, STAFF_CSV)
    archive = tmp / "luu-tru.sqlite"
    for m in MONTHS:
        per, books = f"2026-{m:02d}", []
        for rs in ("vn.nd335-2025", set_of("V1", m)):
            tpl, book = tmp / f"mau-{rs}-{m:02d}.xlsx", tmp / f"{rs}-{m:02d}.xlsx"
            ok("template", "--rules", rs, "--period", per, "--org", str(org), str(tpl))
            _fill(tpl, book, m)
            books.append(str(book))
        for ext in ("json", "csv", "xlsx"):
            ok("classify", *books, "--org", str(org), "--out", str(tmp / f"ket-qua-{m:02d}.{ext}"))
        ok("finalize", str(tmp / f"ket-qua-{m:02d}.json"), "--archive", str(archive),
           "--by", "TCCB", "--org", str(org))  # fmt: skip
    return {"tmp": tmp, "org": org, "archive": archive}


@pytest.mark.slow
def test_the_command_lines_year_is_the_python_archives_year(
    cli_year: dict[str, Any], py_archive: Path,
) -> None:
    """``evalkit annual --out`` (CSV and JSON) on the months finalized by the command line
    is the year by hand, and ``Archive.annual`` on the same file says the same sentences."""
    tmp, archive = cli_year["tmp"], cli_year["archive"]
    ok("annual", "--archive", str(archive), "--year", "2026", "--out", str(tmp / "nam.csv"))
    year = pd.read_csv(tmp / "nam.csv", dtype={"staff_id": str})
    assert _grades(year) == YEAR
    doc = json.loads(ok("annual", "--archive", str(archive), "--year", "2026", "--json"))
    assert doc
    with Archive(archive) as arc, Archive(py_archive) as py:
        cli_said = {r.staff_id: [x.message_vi for x in r.reasons]
                    for r in evalkit.results_from_frame(arc.annual(2026))}  # fmt: skip
        py_said = {r.staff_id: [x.message_vi for x in r.reasons]
                   for r in evalkit.results_from_frame(py.annual(2026))}  # fmt: skip
    assert cli_said == py_said


@pytest.mark.slow
def test_the_years_results_read_back_say_the_same_sentences(
    cli_year: dict[str, Any], tmp_path: Path,
) -> None:
    """``annual --out`` as CSV and as Excel, read with pandas: ``reasons_vi`` is the same in
    both and is what ``results_from_frame`` says for the rows read back (from the CSV, and
    from the JSON through ``evalkit.io.results.read_results``) — the quota's
    sentence citing NĐ 335/2025 Điều 20 k5, the head cap's its article."""
    archive = cli_year["archive"]
    tables = {}
    for ext in ("csv", "xlsx"):
        out = tmp_path / f"nam.{ext}"
        ok("annual", "--archive", str(archive), "--year", "2026", "--out", str(out))
        read = pd.read_csv if ext == "csv" else pd.read_excel
        tables[ext] = read(out, dtype={"staff_id": str}).set_index("staff_id")
    assert tables["csv"]["reasons_vi"].to_dict() == tables["xlsx"]["reasons_vi"].to_dict()
    from evalkit.io.results import read_results

    ok("annual", "--archive", str(archive), "--year", "2026", "--out", str(tmp_path / "n.json"))
    for frame in (tables["csv"].reset_index(), read_results(tmp_path / "n.json")):
        again = {r.staff_id: " | ".join(f"{x.message_vi} ({x.source})" if x.source
                                         else x.message_vi for x in r.reasons)
                 for r in evalkit.results_from_frame(frame)}  # fmt: skip
        assert again == tables["csv"]["reasons_vi"].to_dict()
    c2 = tables["csv"].loc["C2", "reasons_vi"]
    assert "Điều 20 k5" in c2 and "NĐ 335/2025" in c2, c2


@pytest.mark.slow
def test_a_bad_workbook_in_a_months_batch_leaves_the_archive_as_it_was(
    cli_year: dict[str, Any], tmp_path: Path,
) -> None:
    """``finalize`` of a month's two workbooks (one per staff group) where the viên chức
    workbook holds a score above its maximum (V3's ``chinh_tri`` 9 > 7.5, NĐ 90/2020): exit
    1 naming the file and the cell, nothing archived — the archive's rows exactly as before,
    March not finalized; a month finalized again is refused (exit 1) pointing to ``amend``."""
    tmp, org = cli_year["tmp"], str(cli_year["org"])
    archive = tmp_path / "luu-tru.sqlite"
    ok("finalize", str(tmp / "ket-qua-01.json"), "--archive", str(archive), "--by", "TCCB",
       "--org", org)  # fmt: skip
    before = dump(archive)
    good = tmp / "vn.nd335-2025-03.xlsx"
    bad = tmp_path / "vn.nd90-2020-03.xlsx"
    wb = openpyxl.load_workbook(tmp / "vn.nd90-2020-03.xlsx")
    ws = wb[SCORES_SHEET]
    col = header_columns(ws)
    (row,) = [r for r in range(2, ws.max_row + 1) if ws.cell(r, col["staff_id"]).value == "V3"]
    ws.cell(row, col["competent__chinh_tri"], 9)
    wb.save(bad)
    code, out, err = run("finalize", str(good), str(bad), "--archive", str(archive), "--by",
                         "TCCB", "--org", org)  # fmt: skip
    assert code == 1, (out, err)
    assert bad.name in err and "chinh_tri" in err and "V3" in err, err
    assert dump(archive) == before
    code, out, err = run("finalize", str(tmp / "ket-qua-01.json"), "--archive", str(archive),
                         "--by", "TCCB", "--org", org)  # fmt: skip
    assert code == 1 and "amend" in err, (out, err)
    assert dump(archive) == before
    with Archive(archive) as arc:
        assert [str(m.period) for m in arc.months()] == ["2026-01"]


@pytest.mark.slow
def test_a_months_results_say_the_same_sentences_from_csv_excel_and_the_archive(
    cli_year: dict[str, Any],
) -> None:
    """August classified to CSV and Excel (``reasons_vi``, docs/cli.md) and read with
    pandas, and August read back from the archive through ``results_from_frame``: each
    person's reasons in the same Vietnamese sentences with their citations (H's (d) cites
    NĐ 335/2025 Điều 15)."""
    tmp = cli_year["tmp"]
    csv = pd.read_csv(tmp / "ket-qua-08.csv", dtype={"staff_id": str}).set_index("staff_id")
    xlsx = pd.read_excel(tmp / "ket-qua-08.xlsx", dtype={"staff_id": str}).set_index("staff_id")
    with Archive(cli_year["archive"]) as arc:
        month = arc.month("2026-08")
    said = {r.staff_id: " | ".join(f"{x.message_vi} ({x.source})" if x.source
                                   else x.message_vi for x in r.reasons)
            for r in evalkit.results_from_frame(month)}  # fmt: skip
    assert csv["reasons_vi"].to_dict() == xlsx["reasons_vi"].to_dict() == said
    assert "Điều 15" in said["H"], said["H"]


def _pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True)  # fmt: skip
    return re.sub(r"\s+", " ", out.stdout.replace("\xa0", " "))


def _pdfs(folder: Path) -> dict[str, str]:
    """Each person's sheet text by staff id (the file name holds ``_<id>_``)."""
    out = {}
    for pdf in folder.glob("*.pdf"):
        hit = [s for s in SHARE if f"_{s}_" in pdf.name or pdf.stem.endswith(f"_{s}")]
        if len(hit) == 1:
            out[hit[0]] = _pdf_text(pdf)
    return out


@pytest.mark.slow
def test_a_month_rendered_from_json_and_from_the_archive_says_the_same(
    cli_year: dict[str, Any], tmp_path: Path,
) -> None:
    """The month's results read back from its JSON file and from the archive (with the
    organisation, docs/cli.md render) render the same sheets, word for word (pdftotext) —
    up to the signatures on the agency head's own sheet: the JSON keeps the workbook's
    ``Người ký`` (H, the agency's head, signs as competent level on his own sheet), the
    archive keeps none and leaves the competent level blank there (reported, no legal text
    says who concludes the agency head's grade)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    tmp, org = cli_year["tmp"], str(cli_year["org"])
    ok("render", str(tmp / "ket-qua-08.json"), "--org", org, "--out", str(tmp_path / "json"))
    ok("render", "--archive", str(cli_year["archive"]), "--period", "2026-08", "--org", org,
       "--out", str(tmp_path / "arc"))  # fmt: skip
    from_json, from_archive = _pdfs(tmp_path / "json"), _pdfs(tmp_path / "arc")
    assert set(from_json) == set(SHARE)
    for sid in SHARE:
        if sid == "H":
            cut = "NGƯỜI TỰ ĐÁNH GIÁ"
            assert from_json[sid].split(cut)[0] == from_archive[sid].split(cut)[0]
        else:
            assert from_json[sid] == from_archive[sid], sid
    for unit in HEADS:
        (a,) = (tmp_path / "json" / "units").glob(f"*_{unit}.pdf")
        (b,) = (tmp_path / "arc" / "units").glob(f"*_{unit}.pdf")
        assert _pdf_text(a) == _pdf_text(b), unit


@pytest.mark.slow
def test_the_years_sheets_show_the_amended_values_with_cited_sentences(
    cli_year: dict[str, Any], tmp_path: Path,
) -> None:
    """After the amendments, ``annual --pdf``: C1's year sheet shows 95,33, May's 44, the
    amendment (who, why) and the quota's sentence with its citation; C6's the reprimand's
    article (NĐ 335/2025 Điều 20 k4); no English on the sheets."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = _copy(cli_year["archive"], tmp_path)
    _amend_py(path)
    out = tmp_path / "pdf"
    ok("annual", "--archive", str(path), "--year", "2026", "--org", str(cli_year["org"]),
       "--pdf", str(out))  # fmt: skip
    sheets = _pdfs(out)
    c1 = sheets["C1"]
    assert "95,33" in c1 and "44" in c1, c1
    assert "Điều chỉnh sau khi chốt" in c1 and "Nhập nhầm tỷ lệ nhiệm vụ" in c1, c1
    assert "Điều 20 k5" in c1, c1
    assert "Điều 20 k4" in sheets["C6"], sheets["C6"]
    assert "99,51" in sheets["H"], sheets["H"]
    from tests.test_archive_cli_words import foreign

    assert {s: foreign(t) for s, t in sheets.items() if foreign(t)} == {}
