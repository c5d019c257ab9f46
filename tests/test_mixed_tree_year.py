"""The year grades a mixed unit tree as the month does: each unit under its own rule set.

Sở S (công chức, NĐ 335/2025/NĐ-CP) has two phòng P1, P2 (công chức, NĐ 335) and three public
service units H1, H2, H3 (viên chức, NĐ 233/2026/NĐ-CP, in force 2026-07-01). Every unit did
10 of its 10 tasks, 5 of them exceeded, on time, each month of 2026-07 … 2026-12: 100 points,
every own HTXS condition met under either set (NĐ 233 Điều 7 k1 a: ≥ 30 % exceeded).

NĐ 233 Điều 7 k7 limits the HTXS among a parent's public service units — counted by their own
set, the Sở's phòng (NĐ 335, which has no such limit) not among them: S has three (fewer than
k7 c's five), so at most one is HTXS — of equal scores the lower id, H1 — and H2, H3 are HTT
(``unit.small_parent``). The phòng and the Sở stay HTXS under NĐ 335.
The month (:func:`evalkit.classify_frame`) grades so each month; the year, from the same
months, must give the same grades (NĐ 233 Điều 15 k1: the year's unit classification applies
Điều 7 to the year). Before, the year graded the whole tree once per rule set and took each
unit's grade from its own set's pass: in NĐ 233's pass the phòng were graded under NĐ 233 too
and counted as public service units — five sub-units, no small parent, and a 20 % share of
no HTT (k7 a) — so H1 lost HTXS as well.
"""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit import classify_frame, classify_year
from evalkit._classify.year import unit_year_grades
from evalkit.units import UnitInputs

MONTHS = [f"2026-{m:02d}" for m in range(7, 13)]
#: unit → (parent, category, public service unit)
TREE = {"S": (None, "cong_chuc", False), "P1": ("S", "cong_chuc", False),
        "P2": ("S", "cong_chuc", False), "H1": ("S", "vien_chuc", True),
        "H2": ("S", "vien_chuc", True), "H3": ("S", "vien_chuc", True)}
SETS = {"cong_chuc": "vn.nd335-2025", "vien_chuc": "vn.nd233-2026"}
#: the legal reading above, by hand
WANT = {"S": "HTXS", "P1": "HTXS", "P2": "HTXS", "H1": "HTXS", "H2": "HTT", "H3": "HTT"}


def _months() -> tuple[pd.DataFrame, pd.DataFrame]:
    staff, units = [], []
    for p in MONTHS:
        frame = pd.DataFrame([
            {"staff_id": f"X{u}", "unit_id": u, "period": p, "category": cat,
             **evalkit.rules.get(SETS[cat]).full_marks()} for u, (_, cat, _) in TREE.items()])
        unit = pd.DataFrame([
            {"unit_id": u, "parent_id": parent, "period": p, "category": cat,
             "public_service_unit": psu, "tasks_assigned": 10, "tasks_done": 10,
             "tasks_exceeded": 5} for u, (parent, cat, psu) in TREE.items()])
        s, r = classify_frame(frame, unit)
        staff.append(pd.concat([frame, s[[c for c in s.columns if c not in frame]]], axis=1))
        units.append(r)
    return pd.concat(staff, ignore_index=True), pd.concat(units, ignore_index=True)


def test_the_year_grades_each_unit_of_a_mixed_tree_under_its_own_set() -> None:
    staff, units = _months()
    # the month: each unit under its own set (by hand above)
    assert dict(zip(units["unit_id"], units["rule_set"].astype(str), strict=True)) == {
        u: SETS[c] for u, (_, c, _) in TREE.items()}
    for p in MONTHS:
        month = units[units["period"] == p]
        assert dict(zip(month["unit_id"], month["grade"].astype(str), strict=True)) == WANT, p
        said = month.set_index("unit_id")["reasons"].astype(str)
        assert all("unit.small_parent" in said[u] for u in ("H2", "H3")), p
    # the year, every door: each person's unit grade and the objects' unit-year grades
    year = classify_year(staff, units)
    got = dict(zip(year["unit_id"].astype(str), year["unit_grade"].astype(str), strict=True))
    assert got == WANT
    graded = unit_year_grades(year, units)
    assert dict(zip(graded["unit_id"], graded["grade"].astype(str), strict=True)) == WANT
    assert dict(zip(graded["unit_id"], graded["rule_set"].astype(str), strict=True)) == {
        u: SETS[c] for u, (_, c, _) in TREE.items()}
    said = graded.set_index("unit_id")["reasons"].astype(str)
    assert all("unit.small_parent" in said[u] for u in ("H2", "H3"))
    assert not any("unit.excellent_share" in said[u] for u in TREE)
    # the objects: the month's organisation each month, then its year
    org = evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}", parent_id=parent, public_service_unit=psu)
               for u, (parent, _, psu) in TREE.items()],
        positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff(f"X{u}", f"Người {u}", "CV", u, category=cat)
               for u, (_, cat, _) in TREE.items()])  # fmt: skip
    months = [evalkit.classify_organisation(org, [evalkit.Assessment(
        f"X{u}", p, competent_scores=evalkit.rules.get(SETS[cat]).full_marks())
        for u, (_, cat, _) in TREE.items()], [UnitInputs(
            u, p, tasks_assigned=10, tasks_done=10, tasks_exceeded=5) for u in TREE])
        for p in MONTHS]  # fmt: skip
    assert {u: str(c.unit.grade) for u, c in months[-1].items()} == WANT
    by_objects = evalkit.classify_organisation_year(months)
    assert {u: str(c.unit.grade) for u, c in by_objects.items()} == WANT


def test_a_unit_nobody_is_in_has_one_grade_for_the_year() -> None:
    """A unit with nobody in it and no rule set on its rows is graded once for the year, under
    its parent's set — what the parent counts it as, and what the objects' year reports.

    Phòng P (công chức, NĐ 335) and the public service unit S (viên chức, NĐ 233) each have
    one person; S's sub-unit N has nobody and did 6 of its 10 tasks each month of 2026-07 …
    2026-12 (60 points). Under NĐ 233 Điều 7 k4 b (below 70 % of the tasks done) N is KHT,
    so S — 100 points, every task done, half exceeded — is HTT, not HTXS (k1 b: a
    constituent unit KHT). Under NĐ 335 N would be HT (50 to < 70, Điều 20). Before, S was
    judged on N graded under NĐ 233 while ``unit_year_grades`` graded N under the year's
    first person's set (NĐ 335): HT, beside a parent said to have a sub-unit KHT."""
    people = pd.DataFrame([
        {"staff_id": s, "unit_id": u, "period": p, "total": 95.0, "rule_set": SETS[cat]}
        for s, u, cat in (("C", "P", "cong_chuc"), ("V", "S", "vien_chuc")) for p in MONTHS])
    units = pd.DataFrame([
        {"unit_id": u, "parent_id": parent, "period": p, "score": score, "tasks_assigned": 10,
         "tasks_done": done, "tasks_exceeded": 5 if done == 10 else 0}
        for u, parent, score, done in (("P", None, 100.0, 10), ("S", None, 100.0, 10),
                                       ("N", "S", 60.0, 6)) for p in MONTHS])
    year = classify_year(people, units)
    assert dict(zip(year["unit_id"], year["unit_grade"].astype(str), strict=True)) == {
        "P": "HTXS", "S": "HTT"}
    graded = unit_year_grades(year, units).set_index("unit_id")
    assert graded.loc["N", "grade"] == "KHT"
    assert graded.loc["N", "rule_set"] == "vn.nd233-2026"
    assert "unit.kht_below_done" in graded.loc["N", "reasons"]
    assert graded.loc["S", "grade"] == "HTT"
    assert "unit.excellent_condition.subunit_kht" in graded.loc["S", "reasons"]


def test_the_objects_year_says_the_set_the_unit_was_graded_under() -> None:
    """A Trung tâm U whose only viên chức V was scored January … June 2026 under NĐ 90/2020
    (its last month's unit set) is classified at the year's end under the set then in force
    for viên chức, NĐ 233/2026 (NĐ 335/2025 Điều 21; ``rollup_frame``): V's year and the unit's
    are graded under NĐ 233, and the objects' year result says so — its score band read with
    that set — as ``unit_year_grades`` does. Before, it said the last month's NĐ 90."""
    org = evalkit.Organisation(
        units=[evalkit.Unit("U", "Trung tâm U")], positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff("V", "Người V", "CV", "U", category="vien_chuc")])
    first = [f"2026-{m:02d}" for m in range(1, 7)]
    months = [evalkit.classify_organisation(org, [evalkit.Assessment(
        "V", p, competent_scores=evalkit.rules.get("vn.nd90-2020").full_marks())],
        [UnitInputs("U", p, tasks_assigned=10, tasks_done=10, tasks_exceeded=5)]) for p in first]
    assert {c.unit.rule_set_id for m in months for c in m.values()} == {"vn.nd90-2020"}
    year = evalkit.classify_organisation_year(months)["U"]
    assert year.unit.rule_set_id == "vn.nd233-2026"
    assert [r.rule_set_id for r in year.staff] == ["vn.nd233-2026"]


def test_a_public_service_unit_nobody_is_in_is_graded_under_its_units_set() -> None:
    """Bệnh viện H has nobody of its own and no rule set on its rows; its khoa K has a viên
    chức (NĐ 233), and Phòng P elsewhere a công chức (NĐ 335) listed first. H did all its
    tasks, none exceeded, 100 points each month of 2026-07 … 2026-12: HTT under NĐ 233
    (Điều 7 k1 a asks ≥ 30 % exceeded), HTXS under NĐ 335. H is the public service unit of
    K's people (NĐ 233 Điều 12 k6 b) and is graded, for them and for the objects' year alike,
    under their set — never the first person's of the year."""
    people = pd.DataFrame([
        {"staff_id": s, "unit_id": u, "period": p, "total": 95.0, "rule_set": SETS[cat]}
        for s, u, cat in (("C", "P", "cong_chuc"), ("V", "K", "vien_chuc")) for p in MONTHS])
    units = pd.DataFrame([
        {"unit_id": u, "parent_id": parent, "period": p, "score": 100.0, "tasks_assigned": 10,
         "tasks_done": 10, "tasks_exceeded": exceeded}
        for u, parent, exceeded in (("P", None, 5), ("H", None, 0), ("K", "H", 5))
        for p in MONTHS])
    graded = unit_year_grades(classify_year(people, units), units).set_index("unit_id")
    assert graded.loc["H", "rule_set"] == "vn.nd233-2026"
    assert graded.loc["H", "grade"] == "HTT"
    assert "unit.excellent_condition.exceeded" in graded.loc["H", "reasons"]


def test_a_flag_on_a_unit_nobody_is_in_is_read_under_the_set_it_is_graded_under() -> None:
    """Sub-unit N of phòng P (công chức, NĐ 335) has nobody in it and no rule set on its
    rows: the year grades it under P's set, NĐ 335, which does not read NĐ 233 Điều 7 k4 a's
    ``personnel_wrongdoing``. The flag set on N's rows is refused, as under any set that
    does not read it (never ignored); under an NĐ 233 parent it is read: N is KHT."""
    def year(cat: str, parent_set: str) -> pd.DataFrame:
        people = pd.DataFrame([{"staff_id": "C", "unit_id": "P", "period": p, "total": 95.0,
                                "rule_set": parent_set, "category": cat} for p in MONTHS])
        units = pd.DataFrame([
            {"unit_id": u, "parent_id": parent, "period": p, "score": 100.0,
             "tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": 5,
             "personnel_wrongdoing": u == "N"}
            for u, parent in (("P", None), ("N", "P")) for p in MONTHS])
        return unit_year_grades(classify_year(people, units), units).set_index("unit_id")

    with pytest.raises(evalkit.InputError) as exc:  # (before: ignored under NĐ 335)
        year("cong_chuc", "vn.nd335-2025")
    said = [(p.column, p.value) for p in exc.value.problems]
    assert said and set(said) == {("personnel_wrongdoing", True)}, said
    assert all("vn.nd335-2025 does not read" in p.message for p in exc.value.problems)
    graded = year("vien_chuc", "vn.nd233-2026")
    assert graded.loc["N", "grade"] == "KHT"
    assert "unit.kht_personnel_wrongdoing" in graded.loc["N", "reasons"]
