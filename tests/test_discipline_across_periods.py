"""Disciplines of different months, and of different rule sets, in one year (af124).

Texts read: NĐ 233/2026/NĐ-CP (``git show HEAD:van-ban/233-2026-ND-CP-danh-gia-xep-loai-vien-
chuc.md`` in the diepxuan.github.io mirror, an OCR copy of the signed text) and the domain
brief §4.1, §4.5:

* NĐ 233 Điều 14 k3 a: "Viên chức bị xử lý kỷ luật đảng hoặc kỷ luật hành chính trong năm
  đánh giá do …, vi phạm liên quan đến thực hiện nhiệm vụ thì xếp loại chất lượng ở mức không
  hoàn thành nhiệm vụ"; Điều 12 k4 c: "Có hành vi vi phạm liên quan đến thực hiện nhiệm vụ bị
  kỷ luật bằng hình thức từ khiển trách trở lên trong năm đánh giá" — each discipline is
  judged by its own violation: one unrelated to the duties does not make another unrelated;
* NĐ 335/2025 Điều 20 k4 c (brief §4.1): a reprimand or heavier for a violation related to
  public duty, the same sentence as NĐ 233 Điều 12 k4 c, naming no kind of discipline: a
  party discipline counts too (vn.nd335-2025 reads ``duty_any_discipline`` since af158);
* NĐ 233 Điều 19: in force from 1/7/2026, NĐ 90/2020 (as amended by NĐ 48/2023) repealed
  from that day; Điều 15 k1 a: a viên chức is classified per working year — so the 2026 year
  of a viên chức is classified under NĐ 233 and its discipline rule reads every discipline
  "trong năm đánh giá", those of January–June (NĐ 90 months) included. NĐ 90 Điều 2 k5 a (as
  amended) counts any discipline, so the NĐ 90 month itself stays KHT. (Điều 20 k1 lets a unit
  without its own regulation at the end of 2026 evaluate under NĐ 90: the competent level's
  choice, told by the ``rollup.dropped_disqualifier`` notice.)
* the score sheet's column ``discipline_related_to_duty``: "để trống = có" (blank: related).

A. NĐ 233, unit K (head H), July–December 2026: general criteria 30, quantity, quality,
   timeliness 80 % every month → 30 + 0.7 × 80 = 86 (HTT, [70, 90)). In July V1–V4 get an
   administrative reprimand typed ``không`` (unrelated); in August V1 a party discipline
   (relation blank: related), V3 a party discipline typed ``không``, V4 an administrative
   reprimand (relation blank). By hand: V1 KHT (Điều 14 k3 a, the party discipline), V2 86
   HTT, V3 86 HTT (neither related), V4 KHT (Điều 12 k4 c, August's), V5 86 HTT. The old code
   lost V1's party discipline once the months were combined into a quarter (the quarter kept
   one relation flag: July's "unrelated"), so the year over the quarters said HTT; and it
   wrote a quarter's relation blank where one month typed ``không`` and the others left the
   cell blank, which the year reads as related: V2 and V3 KHT (under NĐ 335, V1–V3).
   The same months under NĐ 335 (công chức): the same (af158; until then V1 86 HTT, the
   party discipline not read).
B. Viên chức, January–June under NĐ 90 (full marks: 100), July–December under NĐ 233
   (general 30, tasks 50 % → 30 + 35 = 65): the year's mean (6 × 100 + 6 × 65) ÷ 12 = 82.5
   (HTT). In March V1 gets a reprimand typed ``không``, V2 one with the relation blank. By
   hand: March is KHT for both (NĐ 90: any discipline); the year: V1 82.5 HTT, V2 KHT, V3
   82.5 HTT. The archive refused to amend an NĐ 90 month's relation (not an input of NĐ 90),
   so a reprimand amended into March could only be read as related: KHT.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit.io.archive import Archive
from evalkit.units import classify_frame, classify_year
from tests._cli_helpers import ok

TASKS = ("so_luong", "chat_luong", "tien_do")
ND233, ND335, ND90 = "vn.nd233-2026", "vn.nd335-2025", "vn.nd90-2020"
REPRIMAND = "khiển trách"

# ============================================================ A: months of one rule set

A_STAFF = ("V1", "V2", "V3", "V4", "V5")
#: (person, month) → the discipline cells typed (None: left blank)
A_FACTS: dict[tuple[str, int], dict[str, Any]] = {
    **{(s, 7): {"discipline": REPRIMAND, "discipline_related_to_duty": "không"}
       for s in ("V1", "V2", "V3", "V4")},
    ("V1", 8): {"party_discipline": "x"},
    ("V3", 8): {"party_discipline": "x", "discipline_related_to_duty": "không"},
    ("V4", 8): {"discipline": REPRIMAND},
}
#: the year by hand (module docstring, A)
A_YEAR = {ND233: {"V1": (86.0, "KHT"), "V2": (86.0, "HTT"), "V3": (86.0, "HTT"),
                  "V4": (86.0, "KHT"), "V5": (86.0, "HTT")},
          ND335: {"V1": (86.0, "KHT"), "V2": (86.0, "HTT"), "V3": (86.0, "HTT"),
                  "V4": (86.0, "KHT"), "V5": (86.0, "HTT")}}  # fmt: skip
CATEGORY = {ND233: "vien_chuc", ND335: "cong_chuc"}


def rule_of(month: int, rules: str) -> str:
    """The set in force for the month: a viên chức's NĐ 90 before July 2026."""
    return ND90 if rules == ND233 and month < 7 else rules


def staff_rows(rules: str, months: range, facts: dict[tuple[str, int], dict[str, Any]],
               people: tuple[str, ...], task: float) -> pd.DataFrame:  # fmt: skip
    """The months' score rows of the head H and ``people``: full marks, the tasks at
    ``task`` % under NĐ 233/335 (full under NĐ 90), the facts typed."""
    out = []
    for m in months:
        rs = evalkit.rules.get(rule_of(m, rules))
        for sid in ("H", *people):
            row: dict[str, Any] = {
                "staff_id": sid, "unit_id": "K", "period": f"2026-{m:02d}",
                "category": CATEGORY[rules], "manages_others": sid == "H",
                **rs.full_marks(manages_others=sid == "H")}
            if sid != "H" and rs.id != ND90:
                row.update(dict.fromkeys(TASKS, task))
            row.update(facts.get((sid, m), {}))
            out.append(row)
    return pd.DataFrame(out)


def unit_rows(months: range) -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": "K", "head_id": "H", "period": f"2026-{m:02d}",
                          "tasks_assigned": 10, "tasks_done": 10} for m in months])


def by_frames(staff: pd.DataFrame, months: range, named: str | None
              ) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """Each month through ``classify_frame`` (as a CSV read back: the cells as typed):
    the months' staff and unit results."""
    u = unit_rows(months)
    done = [classify_frame(staff[staff["period"] == p].dropna(axis=1, how="all")
                           .reset_index(drop=True), u[u["period"] == p].reset_index(drop=True),
                           named)
            for p in sorted(set(staff["period"]))]  # fmt: skip
    return (pd.concat([d[0] for d in done], ignore_index=True),
            pd.concat([d[1] for d in done], ignore_index=True))


def _got(year: pd.DataFrame, people: tuple[str, ...], total: str = "total",
         grade: str = "grade") -> dict[str, tuple[float, str]]:  # fmt: skip
    y = year.set_index("staff_id")
    return {s: (round(float(y.loc[s, total]), 2), str(y.loc[s, grade])) for s in people}


def _csv(tmp: Path, frame: pd.DataFrame) -> pd.DataFrame:
    frame.to_csv(tmp / "thang.csv", index=False)
    typed = ("discipline", "party_discipline", "discipline_related_to_duty")
    return pd.read_csv(tmp / "thang.csv", dtype=dict.fromkeys(typed, str))


@pytest.mark.parametrize("rules", [ND233, ND335])
def test_the_frames_year_over_quarters_keeps_each_months_discipline(
        rules: str, tmp_path: Path) -> None:  # fmt: skip
    """A: the year over the quarters (``classify_year(to="quarter")``, then the year) is the
    year over the months, as by hand: an administrative discipline unrelated to the duties
    in July does not make August's party discipline unrelated (NĐ 233 Điều 14 k3 a)."""
    months = range(7, 13)
    staff = _csv(tmp_path, staff_rows(rules, months, A_FACTS, A_STAFF, 80))
    res, units = by_frames(staff, months, rules)
    assert _got(classify_year(res, units, rules), A_STAFF) == A_YEAR[rules]
    quarters = classify_year(res, units, rules, to="quarter")
    q3 = quarters[quarters["period"] == "2026-Q3"]
    assert _got(q3, A_STAFF)["V1"] == (86.0, "KHT")  # NĐ 335 too since af158 (k4 c)
    assert _got(classify_year(quarters, units, rules), A_STAFF) == A_YEAR[rules]


def _org(category: str, people: tuple[str, ...]) -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit("K", "Trường Mẫu", head_id="H")],
        staff=[evalkit.Staff(s, f"Người {s}", "LD" if s == "H" else "VC", "K",
                             category=category, manages_others=s == "H")
               for s in ("H", *people)],
        positions=[evalkit.Position("LD", "Hiệu trưởng", manages_others=True),
                   evalkit.Position("VC", "Viên chức")])  # fmt: skip


#: the typed cells as an Assessment takes them
_AS_OBJECT = {"discipline": lambda v: 1 if v == REPRIMAND else v,
              "party_discipline": lambda v: v == "x",
              "discipline_related_to_duty": lambda v: v != "không"}


def by_objects(rules: str, months: range, facts: dict[tuple[str, int], dict[str, Any]],
               people: tuple[str, ...], task: float) -> list[Any]:  # fmt: skip
    """Each month through ``classify_organisation`` (the set followed: none named)."""
    org, out = _org(CATEGORY[rules], people), []
    for m in months:
        rs, per = evalkit.rules.get(rule_of(m, rules)), f"2026-{m:02d}"
        said = []
        for sid in ("H", *people):
            marks = {**rs.full_marks(manages_others=sid == "H"),
                     **({} if sid == "H" or rs.id == ND90 else dict.fromkeys(TASKS, task))}
            typed = {k: _AS_OBJECT[k](v) for k, v in facts.get((sid, m), {}).items()}
            said.append(evalkit.Assessment(sid, per, competent_scores=marks, **typed))
        inputs = [evalkit.UnitInputs("K", per, tasks_assigned=10, tasks_done=10)]
        out.append(evalkit.classify_organisation(org, said, inputs))
    return out


def _objects_got(year: Any, people: tuple[str, ...]) -> dict[str, tuple[float, str]]:
    got = {r.staff_id: r for c in year.values() for r in c.staff}
    return {s: (round(got[s].total, 2), got[s].grade.code) for s in people}


@pytest.mark.parametrize("rules", [ND233, ND335])
def test_the_objects_year_over_quarters_keeps_each_months_discipline(rules: str) -> None:
    """A through the objects: ``classify_organisation_quarters`` (it failed on a quarter its
    set only scores: the unit's grade NaN), then ``classify_organisation_year`` over the
    quarters, as over the months and by hand."""
    months = by_objects(rules, range(7, 13), A_FACTS, A_STAFF, 80)
    assert _objects_got(evalkit.classify_organisation_year(months), A_STAFF) == A_YEAR[rules]
    quarters = evalkit.classify_organisation_quarters(months)
    assert set(quarters) == {("2026-Q3", "K"), ("2026-Q4", "K")}
    q3 = quarters[("2026-Q3", "K")]
    assert q3.unit.grade is None  # NĐ 233/335 classify the year only: the quarter is scored
    assert q3.result_of("V1").grade.code == "KHT"  # NĐ 335 too since af158 (k4 c)
    year = evalkit.classify_organisation_year(list(quarters.values()))
    assert _objects_got(year, A_STAFF) == A_YEAR[rules]


# Each month: an administrative level 0–2, a party discipline or not, the relation typed
# yes, no or left blank (None).
_MONTH = st.tuples(st.integers(0, 2), st.booleans(), st.sampled_from([True, False, None]))


@given(months=st.lists(_MONTH, min_size=6, max_size=6), rules=st.sampled_from([ND233, ND335]))
# A's V1 (KHT under NĐ 233); one reprimand typed unrelated, the other months blank (HTT: the
# old quarter wrote its relation blank, read back as related)
@example(months=[(1, False, False), (0, True, None), *[(0, False, None)] * 4], rules=ND233)
@example(months=[(1, False, False), *[(0, False, None)] * 5], rules=ND335)
def test_a_year_over_quarters_is_the_year_over_the_months(
        months: list[tuple[int, bool, bool | None]], rules: str) -> None:  # fmt: skip
    """For any disciplines typed in July–December (every month 86), the year over the
    months and the year over their quarters are KHT exactly where one month's discipline
    counts by hand: NĐ 233 (Điều 12 k4 c, Điều 14 k3 a) and NĐ 335 (Điều 20 k4 c) alike, an
    administrative reprimand or heavier or a party discipline, with the relation typed yes
    or blank; else 86 HTT."""
    rows = pd.DataFrame({
        "staff_id": "A", "unit_id": "K", "rule_set": rules, "category": CATEGORY[rules],
        "period": [f"2026-{m:02d}" for m in range(7, 13)], "total": 86.0,
        "discipline": [lv for lv, _, _ in months],
        "party_discipline": [party for _, party, _ in months],
        "discipline_related_to_duty": pd.Series([r for _, _, r in months], dtype=object)})
    counted = any((lv >= 1 or party) and related is not False
                  for lv, party, related in months)  # fmt: skip
    want = {"A": (86.0, "KHT" if counted else "HTT")}
    assert _got(classify_year(rows, rules=rules), ("A",)) == want
    quarters = classify_year(rows, rules=rules, to="quarter")
    assert _got(classify_year(quarters, rules=rules), ("A",)) == want


# ============================================================ B: NĐ 90 months, NĐ 233 year

B_STAFF = ("V1", "V2", "V3")
B_FACTS: dict[tuple[str, int], dict[str, Any]] = {
    ("V1", 3): {"discipline": REPRIMAND, "discipline_related_to_duty": "không"},
    ("V2", 3): {"discipline": REPRIMAND},
}
B_YEAR = {"V1": (82.5, "HTT"), "V2": (82.5, "KHT"), "V3": (82.5, "HTT")}


def test_the_frames_year_reads_what_an_nd90_months_reprimand_was_for(tmp_path: Path) -> None:
    """B through the frames, the set followed: March (NĐ 90) KHT for V1 and V2, the year
    under NĐ 233 as by hand; V1's year tells the competent level of March's ground."""
    months = range(1, 13)
    staff = _csv(tmp_path, staff_rows(ND233, months, B_FACTS, B_STAFF, 50))
    res, units = by_frames(staff, months, None)
    march = res[res["period"] == "2026-03"].set_index("staff_id")
    assert (march.loc["V1", "rule_set"], str(march.loc["V1", "grade"]),
            str(march.loc["V2", "grade"])) == (ND90, "KHT", "KHT")  # fmt: skip
    year = classify_year(res, units)
    assert _got(year, B_STAFF) == B_YEAR
    assert set(year["rule_set"].astype(str)) == {ND233}
    reasons = dict(zip(year["staff_id"], year["reasons"].astype(str), strict=True))
    assert "rollup.dropped_disqualifier" in reasons["V1"].split(";")


def test_the_objects_year_reads_what_an_nd90_months_reprimand_was_for() -> None:
    """B through the objects: the same year."""
    months = by_objects(ND233, range(1, 13), B_FACTS, B_STAFF, 50)
    assert months[2]["K"].result_of("V1").grade.code == "KHT"  # NĐ 90 Điều 2 k5 a
    year = evalkit.classify_organisation_year(months)
    assert _objects_got(year, B_STAFF) == B_YEAR


@pytest.fixture(scope="module")
def b_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """B's twelve months without March's disciplines, finalized with their unit inputs."""
    path = tmp_path_factory.mktemp("af124") / "luu-tru.sqlite"
    with Archive(path) as arc:
        for m in range(1, 13):  # the results: the inputs followed by the engine's columns
            staff = staff_rows(ND233, range(m, m + 1), {}, B_STAFF, 50)
            inputs = unit_rows(range(m, m + 1))
            out, units = classify_frame(staff, inputs)
            arc.finalize(pd.concat([staff, out[[c for c in out if c not in staff]]], axis=1),
                         by="TCCB", units=units, unit_inputs=inputs)
    return path


def _copy(path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "luu-tru.sqlite"
    shutil.copy(path, out)
    return out


def test_the_archive_amends_what_an_nd90_months_reprimand_was_for(
        b_archive: Path, tmp_path: Path) -> None:  # fmt: skip
    """B amended into the archive: V1's March a reprimand with the relation ``không`` in one
    amendment, V3's in two (the reprimand, then the relation), V2's a reprimand alone: March
    KHT for all three (NĐ 90), the year V1 and V3 82.5 HTT, V2 KHT (NĐ 233 Điều 12 k4 c)."""
    path = _copy(b_archive, tmp_path)
    with Archive(path) as arc:
        arc.amend("2026-03", "V1", {"discipline": REPRIMAND,
                                    "discipline_related_to_duty": "không"}, by="TCCB", why="a")
        arc.amend("2026-03", "V2", {"discipline": REPRIMAND}, by="TCCB", why="b")
        arc.amend("2026-03", "V3", {"discipline": REPRIMAND}, by="TCCB", why="c")
        arc.amend("2026-03", "V3", {"discipline_related_to_duty": "không"}, by="TCCB", why="d")
        march = arc.month("2026-03").set_index("staff_id")["grade"]
        year = arc.annual(2026)
    assert {s: str(march[s]) for s in B_STAFF} == dict.fromkeys(B_STAFF, "KHT")
    assert _got(year, B_STAFF, "annual_total", "annual_grade") == B_YEAR | {
        "V3": (82.5, "HTT")}


def test_the_command_line_amends_what_an_nd90_months_reprimand_was_for(
        b_archive: Path, tmp_path: Path) -> None:  # fmt: skip
    """B at the command line: ``amend`` sets V1's March reprimand ``không`` (refused before:
    not an input of NĐ 90), V2's with the relation blank; ``annual`` gives the year by hand."""
    path = _copy(b_archive, tmp_path)
    for sid, extra in (("V1", ("--set", "discipline_related_to_duty=không")), ("V2", ())):
        ok("amend", "--archive", str(path), "--period", "2026-03", "--staff", sid,
           "--set", f"discipline={REPRIMAND}", *extra, "--by", "TCCB",
           "--why", "Quyết định kỷ luật")  # fmt: skip
    table = tmp_path / "nam.csv"
    ok("annual", "--archive", str(path), "--year", "2026", "--out", str(table))
    year = pd.read_csv(table, dtype={"staff_id": str})
    assert _got(year, B_STAFF, "annual_total", "annual_grade") == B_YEAR
