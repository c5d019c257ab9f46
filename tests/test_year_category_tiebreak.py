"""The year's quota tie-break for a person whose staff category changed mid-year (af90).

Domain brief §4.6: quota candidates are ranked by total, then task results, then *fewer
deductions*, then the competent level's order (then the staff id). The year is classified
under the person's last set (NĐ 233/2026 for a viên chức at the end of 2026), but the
months are scored — and their deductions made — under each month's own set: the year's
total and task points are the means of those months, and its deductions are the events
those months' sets deducted (NĐ 335/2025/NĐ-CP Điều 14 k2 b: 25 % of a product per major
quality error), whatever the year's set (``rollup_frame``: "summed over the evaluated
periods whose rule set counts them: the year's deductions").

Phòng P (công chức, head HP) and Trung tâm V (viên chức, head HV) each did 8 of 10 tasks
every month: 80, HTT. General criteria full (30) for everyone; P1–P5 and V1–V5 tasks 70 %
(79, HTT); the heads 100, capped at their unit's HTT.

* S, a công chức of P January to August (NĐ 335/2025), a viên chức of V from September
  (NĐ 233/2026): full marks, but in January to April one major quality error a month
  (quality 100 → 75 after the deduction): 30 + 0.7 × (100 + 75 + 100) / 3 = 94.17 in those
  months, 100 in the others.
* W, a viên chức of V all year (NĐ 90/2020 to June, NĐ 233/2026 from July): full marks,
  but timeliness 75 % typed in January to April (no deduction: a percentage scored as is):
  94.17 in those months, 100 in the others.

By hand: both are 98.06 for the year ((4 × 94.17 + 8 × 100) / 12), task points 68.06 —
tied. V's year is NĐ 233's: HTT are HV (after the head cap) and V1–V5, 6, so 1 HTXS (20 %,
floor). S's year has 4 deductions, W's none: W keeps HTXS, S is HTT (``quota.demoted``).
The staff id, the last key, would favour S ("S" < "W"): it must not decide. Every door
gives this year: the objects, the frames, the archive and the command line.
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
ERRING = {f"2026-{m:02d}" for m in range(1, 5)}  # S's errors, W's 75 % timeliness
HEADS = {"P": "HP", "V": "HV"}
PEOPLE = [*HEADS.values(), *(f"{u}{i}" for u in "PV" for i in range(1, 6)), "S", "W"]
YEAR = {"HP": (100.0, "HTT", "P"), "HV": (100.0, "HTT", "V"),
        **{f"{u}{i}": (79.0, "HTT", u) for u in "PV" for i in range(1, 6)},
        "S": (98.06, "HTT", "V"), "W": (98.06, "HTXS", "V")}  # fmt: skip


def category(sid: str, per: str) -> str:
    if sid == "S":
        return "cong_chuc" if per < "2026-09" else "vien_chuc"
    return "cong_chuc" if sid in ("HP", "P1", "P2", "P3", "P4", "P5") else "vien_chuc"


def organisation(per: str) -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit("P", "Phòng P", head_id="HP"),
               evalkit.Unit("V", "Trung tâm V", head_id="HV")],
        positions=[evalkit.Position("CV", "Chuyên viên"),
                   evalkit.Position("TP", "Trưởng đơn vị", manages_others=True)],
        staff=[evalkit.Staff(s, f"Người {s}", "TP" if s in HEADS.values() else "CV",
                             "P" if category(s, per) == "cong_chuc" else "V",
                             category=category(s, per)) for s in PEOPLE])  # fmt: skip


def assessment(sid: str, per: str) -> evalkit.Assessment:
    rs = default_registry().for_period(category(sid, per), per, "vn")
    marks = rs.full_marks(manages_others=sid in HEADS.values())
    if sid not in ("S", "W", *HEADS.values()):
        marks.update(dict.fromkeys(("so_luong", "chat_luong", "tien_do"), 70))
    elif per in ERRING and sid == "S":
        marks.update(loi_chat_luong=1)
    elif per in ERRING and sid == "W":
        marks.update(tien_do=75)
    return evalkit.Assessment(sid, per, competent_scores=marks)


def unit_inputs(per: str) -> list[UnitInputs]:
    return [UnitInputs(u, per, tasks_assigned=10, tasks_done=8) for u in HEADS]


def _months_made() -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    """Each month classified by the frames: (the staff inputs with their results, the unit
    results, the unit inputs)."""
    made = []
    for p in MONTHS:
        sm, units = evalkit.frames_from_objects(organisation(p), [assessment(s, p)
                                                                  for s in PEOPLE],
                                                unit_inputs(p))  # fmt: skip
        st, ut = evalkit.classify_frame(sm, units)
        made.append((pd.concat([sm, st[[c for c in st if c not in sm]]], axis=1), ut, units))
    return made


def test_the_deductions_of_the_other_categorys_months_break_the_tie(tmp_path: Path) -> None:
    sets = {p: {s: default_registry().for_period(category(s, p), p, "vn").id for s in ("S", "W")}
            for p in ("2026-01", "2026-07", "2026-09")}  # fmt: skip
    assert sets == {"2026-01": {"S": "vn.nd335-2025", "W": "vn.nd90-2020"},
                    "2026-07": {"S": "vn.nd335-2025", "W": "vn.nd233-2026"},
                    "2026-09": {"S": "vn.nd233-2026", "W": "vn.nd233-2026"}}
    # objects
    months = [evalkit.classify_organisation(organisation(p), [assessment(s, p) for s in PEOPLE],
                                            unit_inputs(p)) for p in MONTHS]  # fmt: skip
    jan = {r.staff_id: r for c in months[0].values() for r in c.staff}
    assert round(jan["S"].total, 2) == round(jan["W"].total, 2) == 94.17  # the month's tie
    by_objects = evalkit.classify_organisation_year(months)
    objects = _of_objects(by_objects)
    assert _by_hand(objects) == YEAR
    assert "quota.demoted" in [c for c, _, _ in objects["S"][3]]
    assert "quota.demoted" not in [c for c, _, _ in objects["W"][3]]
    # frames
    made = _months_made()
    year = evalkit.classify_year(pd.concat([m[0] for m in made], ignore_index=True),
                                 pd.concat([m[1] for m in made], ignore_index=True))
    y = year.set_index("staff_id")
    # the year's deductions: S's four errors under NĐ 335; none of W's months counts any
    assert y.loc["S", "loi_chat_luong"] == 4.0 and pd.isna(y.loc["W", "loi_chat_luong"])
    assert str(y.loc["S", "rule_set"]) == str(y.loc["W", "rule_set"]) == "vn.nd233-2026"
    assert (y.loc["W", "quota_rank"], y.loc["S", "quota_rank"]) == (1, 2)
    assert _of_frame(year) == objects
    # the archive, and the command line over it
    arc = tmp_path / "a.sqlite"
    with Archive(arc) as a:
        for results, unit_results, inputs in made:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        annual = a.annual(2026)
    assert _of_frame(annual) == objects
    code, out, err = run("annual", "--year", "2026", "--archive", str(arc),
                         "--out", str(tmp_path / "nam.csv"))  # fmt: skip
    assert code == 0, (out, err)
    assert _of_frame(pd.read_csv(tmp_path / "nam.csv", dtype={"staff_id": str})) == objects


def test_the_year_rolled_up_then_read_back_breaks_the_tie_as_well(tmp_path: Path) -> None:
    """The same months rolled up to the year (:func:`evalkit.rollup_frame`) and classified as
    rows already for the year (:func:`evalkit.classify_year`'s other input, af92): as the
    frame, written to a CSV and read back, and as the two units' roll-ups put together. The
    year's ``loi_chat_luong`` (S's four errors under NĐ 335, blank for W) is the roll-up's
    count of the deductions its months' sets made; read back, the frame no longer says which
    sets those were, and the tie-break counted only the year's set's (NĐ 233: none), so the
    staff id gave S the HTXS. By hand, as above: W HTXS, S HTT (``quota.demoted``)."""
    made = _months_made()
    months = pd.concat([m[0] for m in made], ignore_index=True)
    unit_results = pd.concat([m[1] for m in made], ignore_index=True)
    year = evalkit.rollup_frame(months)
    assert year.set_index("staff_id").loc["S", "loi_chat_luong"] == 4.0
    year.to_csv(tmp_path / "nam.csv", index=False)
    read_back = pd.read_csv(tmp_path / "nam.csv", dtype={"staff_id": str, "unit_id": str})
    assert "deduction_inputs" not in read_back.attrs
    last_unit = months.groupby("staff_id")["unit_id"].last()
    parts = [evalkit.rollup_frame(months[months["staff_id"].map(last_unit) == u]) for u in "PV"]
    together = pd.concat(parts, ignore_index=True)
    for rows in (year, read_back, together):
        got = _by_hand(_of_frame(evalkit.classify_year(rows, unit_results)))
        assert got == YEAR, rows.attrs
