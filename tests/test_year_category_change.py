"""The year of a person whose staff category changes mid-year (issue 13, af85).

The year is classified at its end (NĐ 335/2025/NĐ-CP Điều 21; NĐ 90/2020 Điều 20; domain
brief §4.1, §4.2, §4.5): in the person's last month's category, under the set of their
last month — or, where that set no longer covers the category at the year's end, the set
then in force for it (docs/classification.md) —, in the unit of their last month, from
all their months' scores (a transferred person is classified by the new unit from the old
unit's monthly results, §4.1). A disqualifier is "in the evaluation year" whatever month
it was recorded in and whichever set scored that month: the year's set says what
disqualifies (§4.5).

Phòng P (a state agency, công chức, head HP) and Trung tâm V (a public service unit,
viên chức, head HV) each did 8 of 10 tasks every month: 80, HTT for the year. Everyone's
general criteria are full (30) and their task criteria x % (score 30 + 0.7 x): P1–P5 and
V1–V5 79 (x = 70), the heads 100.

* R, a viên chức of V, is recruited as a công chức into P in September 2026: January to
  June under NĐ 90/2020 (viên chức), July and August under NĐ 233/2026, September to
  December under NĐ 335/2025 (công chức). Reprimanded in March for a violation related
  to the duties (a viên chức's month under NĐ 90): the year is NĐ 335's, in P, as a công
  chức, and a reprimand for a duty-related violation in the year is KHT whatever the
  score (Điều 20 k4 c): KHT, though 100 every month.
* S, a công chức of P, becomes a viên chức of V in September: January to August under
  NĐ 335, then NĐ 233. Disciplined in March for a violation not related to the duties:
  neither NĐ 335 nor NĐ 233 disqualifies it. The year is NĐ 233's, in V, as a viên chức:
  100, HTXS, the one HTXS V's quota allows (20 % of 6 HTT: HV after the head cap, V1–V5).
* L, a viên chức of V, leaves after June (last month 2026-06, under NĐ 90): NĐ 90 no
  longer covers viên chức in December, so the year is NĐ 233's (the set then in force;
  its "fewer than 6 months worked → not classified", Điều 14 k1, counts the NĐ 90 months:
  classified on the 6 months worked). Disciplined in April
  for a violation not related to the duties — KHT for NĐ 90's month (any discipline,
  Điều 2 k5 a), not for NĐ 233's year: the year keeps the band and tells the competent
  level (``rollup.dropped_disqualifier``). 93 (x = 90), HTXS band, but V's one HTXS is S's
  (100): HTT (``quota.demoted``).
* HP and HV (100) are capped at their unit's HTT (``cap.head_unit``).

Every door gives this year: the objects (:func:`evalkit.classify_organisation_year`), the
frames (:func:`evalkit.classify_year`), the archive (``Archive.annual``) and the command
line (``evalkit annual``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import evalkit
from evalkit.io.archive import Archive
from evalkit.rules import default_registry
from evalkit.units import UnitInputs
from tests._cli_helpers import run
from tests.test_equivalence_year import _by_hand, _of_frame, _of_objects

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
HEADS = {"P": "HP", "V": "HV"}
X = {**{f"{u}{i}": 70 for u in "PV" for i in range(1, 6)}, "R": 100, "S": 100, "L": 90}
PEOPLE = [*HEADS.values(), *X]
#: (person, month) → discipline related to the duties or not
DISCIPLINE = {("R", "2026-03"): True, ("S", "2026-03"): False, ("L", "2026-04"): False}
ND335, ND233 = "vn.nd335-2025", "vn.nd233-2026"
# by hand (the module's docstring): total, grade, unit; the year's set and category
YEAR = {"HP": (100.0, "HTT", "P"), "HV": (100.0, "HTT", "V"),
        **{f"{u}{i}": (79.0, "HTT", u) for u in "PV" for i in range(1, 6)},
        "R": (100.0, "KHT", "P"), "S": (100.0, "HTXS", "V"), "L": (93.0, "HTT", "V")}
SETS = {s: (ND335, "cong_chuc") if u == "P" else (ND233, "vien_chuc")
        for s, (_, _, u) in YEAR.items()}  # fmt: skip
CODES = {"HP": "cap.head_unit", "HV": "cap.head_unit", "R": "disqualifier.discipline",
         "L": "rollup.dropped_disqualifier"}  # and L's quota.demoted


def category(sid: str, per: str) -> str:
    if sid == "R":
        return "vien_chuc" if per < "2026-09" else "cong_chuc"
    if sid == "S":
        return "cong_chuc" if per < "2026-09" else "vien_chuc"
    return "cong_chuc" if sid[0] == "P" or sid == "HP" else "vien_chuc"


def people(per: str) -> list[str]:
    return [s for s in PEOPLE if s != "L" or per <= "2026-06"]


def organisation(per: str) -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit("P", "Phòng P", head_id="HP"),
               evalkit.Unit("V", "Trung tâm V", head_id="HV")],
        positions=[evalkit.Position("CV", "Chuyên viên"),
                   evalkit.Position("TP", "Trưởng đơn vị", manages_others=True)],
        staff=[evalkit.Staff(s, f"Người {s}", "TP" if s in HEADS.values() else "CV",
                             "P" if category(s, per) == "cong_chuc" else "V",
                             category=category(s, per)) for s in people(per)])  # fmt: skip


def assessment(sid: str, per: str) -> evalkit.Assessment:
    """The month's scores under the set in force for the person's category then."""
    rs = default_registry().for_period(category(sid, per), per, "vn")
    marks = rs.full_marks(manages_others=True) if sid in HEADS.values() else {
        **rs.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), X[sid])}
    duty = DISCIPLINE.get((sid, per))
    return evalkit.Assessment(sid, per, competent_scores=marks,
                              discipline="" if duty is None else "khien_trach",
                              discipline_related_to_duty=duty)  # fmt: skip


def unit_inputs(per: str) -> list[UnitInputs]:
    return [UnitInputs(u, per, tasks_assigned=10, tasks_done=8) for u in HEADS]


def test_every_door_classifies_the_year_at_its_end(tmp_path: Path) -> None:
    # the months' sets, as the rule set follows each person
    months = {p: {s: default_registry().for_period(category(s, p), p, "vn").id
                  for s in people(p)} for p in MONTHS}  # fmt: skip
    assert [months[p]["R"] for p in ("2026-06", "2026-08", "2026-09")] == [
        "vn.nd90-2020", ND233, ND335]
    assert [months[p]["S"] for p in ("2026-08", "2026-09")] == [ND335, ND233]
    assert months["2026-06"]["L"] == "vn.nd90-2020" and "L" not in months["2026-07"]
    # objects
    ucs = [evalkit.classify_organisation(organisation(p), [assessment(s, p) for s in people(p)],
                                         unit_inputs(p)) for p in MONTHS]  # fmt: skip
    by_objects = evalkit.classify_organisation_year(ucs)
    objects = _of_objects(by_objects)
    assert _by_hand(objects) == YEAR
    assert {r.staff_id: r.rule_set_id for c in by_objects.values() for r in c.staff} == {
        s: rs for s, (rs, _) in SETS.items()}
    for sid, code in CODES.items():
        assert code in [c for c, _, _ in objects[sid][3]], sid
    assert "quota.demoted" in [c for c, _, _ in objects["L"][3]]
    assert "disqualifier.discipline" not in [c for c, _, _ in objects["L"][3]]
    assert {u: c.unit.grade.code if c.unit.grade else None
            for u, c in by_objects.items()} == {"P": "HTT", "V": "HTT"}
    # frames
    made = []
    for p in MONTHS:
        sm, units = evalkit.frames_from_objects(organisation(p), [assessment(s, p)
                                                                  for s in people(p)],
                                                unit_inputs(p))  # fmt: skip
        st, ut = evalkit.classify_frame(sm, units)
        made.append((pd.concat([sm, st[[c for c in st if c not in sm]]], axis=1), ut, units))
    year = evalkit.classify_year(pd.concat([m[0] for m in made], ignore_index=True),
                                 pd.concat([m[1] for m in made], ignore_index=True))
    assert _of_frame(year) == objects
    assert {s: (str(r), str(c)) for s, r, c in zip(year["staff_id"], year["rule_set"],
                                                   year["category"], strict=True)} == SETS
    assert dict(zip(year["staff_id"], year["months"], strict=True))["L"] == 6
    # the archive, and the command line over it
    arc = tmp_path / "a.sqlite"
    with Archive(arc) as a:
        for results, unit_results, inputs in made:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        annual = a.annual(2026)
    assert _of_frame(annual) == objects
    assert dict(zip(annual["staff_id"], annual["rule_set"].astype(str), strict=True)) == {
        s: rs for s, (rs, _) in SETS.items()}
    code, out, err = run("annual", "--year", "2026", "--archive", str(arc),
                         "--out", str(tmp_path / "nam.csv"))  # fmt: skip
    assert code == 0, (out, err)
    cli = pd.read_csv(tmp_path / "nam.csv", dtype={"staff_id": str})
    assert _of_frame(cli) == objects
    assert dict(zip(cli["staff_id"], cli["rule_set"], strict=True)) == {
        s: rs for s, (rs, _) in SETS.items()}

