"""One engine, one answer for the QUARTER (af73): a customs organisation's months of July to
December 2026 (CV 21169/CHQ-TCCB: from Q3/2026 each quarter is classified — the head capped
at the unit's quarter, a deputy at the head where the unit had late work, HTXS at most 20 %
a quarter), classified for its quarters through every door that classifies quarters.

The doors:

* **objects** — each month :func:`evalkit.classify_organisation`, then
  :func:`evalkit.classify_organisation_quarters` over the six months;
* **frames** — the months' :func:`evalkit.classify_frame` results, then
  :func:`evalkit.classify_year` with ``to="quarter"`` (and :func:`evalkit.units.quota_report`,
  :func:`evalkit.workflow.year_units` for the quotas and the units);
* **CLI** — each month's results file ``evalkit finalize``d, then ``evalkit render --archive
  … --period 2026-Q3`` (and Q4): the quarter's sheets and unit summaries.

By hand (a civil servant scores 30 + 0.7 × the task percentage with the general criteria
full; a leader 30 + 0.7 × the mean of a, b, c and d, đ, e at 100):

* Đội P (head H, deputy DP): 8 of 10 tasks every month → 80, HTT each quarter; late work in
  July to September. Đội R has nobody, only its unit inputs: 9 of 10 → 90, HTXS.
* H full marks → 100, capped at P's HTT each quarter (``cap.head_unit``); DP tasks 90 → 96.5;
  A 100; B tasks 93 → 95.1; F0–F3 tasks 70 → 79; S the same, but sick in July and August: one
  month worked in Q3 is not evaluated there, carried to Q4 (``period_short_months = 1``):
  Q4 is the mean of September to December, 79.
* Q3: DP not above the head (late work: ``cap.deputy_head``) → HTT. Rated HTT: H, DP, F0–F3
  = 6 → 20 % keeps 1 HTXS: A (100); B is demoted (``quota.demoted``).
* Q4: no late work; F0 reprimanded in November → KHT (NĐ 335/2025 Điều 20 k4 c). Rated HTT:
  H, F1–F3, S = 5 → 1 HTXS: A; DP (96.5) and B (95.1) are demoted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest

import evalkit
from evalkit import workflow
from evalkit.model import Grade
from evalkit.units import UnitInputs, quota_report
from tests._cli_helpers import run
from tests.test_equivalence_year import (
    MONTHS,
    Row,
    _by_hand,
    _finalize_by_cli,
    _frames,
    _of_frame,
    _of_objects,
)

CQ = evalkit.rules.get("vn.customs-2026q")
ND = evalkit.rules.get("vn.nd335-2025")
HALF = MONTHS[6:]
TASKS = {"A": 100, "B": 93, **{f"F{i}": 70 for i in range(4)}, "S": 70}
POSITION = {"H": "DT", "DP": "DP", **dict.fromkeys(TASKS, "CV")}
SICK = {("S", "2026-07"), ("S", "2026-08")}
QUARTERS = {
    "2026-Q3": {"H": (100.0, "HTT", "P"), "DP": (96.5, "HTT", "P"), "A": (100.0, "HTXS", "P"),
                "B": (95.1, "HTT", "P"), **{f"F{i}": (79.0, "HTT", "P") for i in range(4)},
                "S": (None, None, "P")},
    "2026-Q4": {"H": (100.0, "HTT", "P"), "DP": (96.5, "HTT", "P"), "A": (100.0, "HTXS", "P"),
                "B": (95.1, "HTT", "P"), "F0": (79.0, "KHT", "P"),
                **{f"F{i}": (79.0, "HTT", "P") for i in range(1, 4)}, "S": (79.0, "HTT", "P")},
}  # fmt: skip
# the codes the quarter's steps add, by person (the band and the average aside)
STEPS = {"2026-Q3": {"H": "cap.head_unit", "DP": "cap.deputy_head", "B": "quota.demoted",
                     "S": "rollup.period_carried_next"},
         "2026-Q4": {"H": "cap.head_unit", "DP": "quota.demoted", "B": "quota.demoted",
                     "F0": "disqualifier.discipline", "S": "rollup.period_carried"}}  # fmt: skip
UNITS = {"P": (80.0, "HTT"), "R": (90.0, "HTXS")}  # each quarter
QUOTAS = {"2026-Q3": (6, 1, ("A",), ("B",)), "2026-Q4": (5, 1, ("A",), ("DP", "B"))}

ORG = evalkit.Organisation(
    units=[evalkit.Unit("P", "Đội P", head_id="H"), evalkit.Unit("R", "Đội R")],
    positions=[evalkit.Position("CV", "Công chức"),
               evalkit.Position("DT", "Đội trưởng", manages_others=True),
               evalkit.Position("DP", "Đội phó", manages_others=True)],
    staff=[evalkit.Staff(s, f"Người {s}", p, "P") for s, p in POSITION.items()])  # fmt: skip


def assessments(per: str) -> list[evalkit.Assessment]:
    lead = {**CQ.full_marks(manages_others=True)}
    out = [evalkit.Assessment("H", per, competent_scores=lead),
           evalkit.Assessment("DP", per, competent_scores={**lead, **dict.fromkeys(
               ("so_luong", "chat_luong", "tien_do"), 90)})]  # fmt: skip
    for s, x in TASKS.items():
        out.append(evalkit.Assessment(s, per, leave="sick") if (s, per) in SICK else
                   evalkit.Assessment(s, per, competent_scores={**CQ.full_marks(), **dict.fromkeys(
                       ("so_luong", "chat_luong", "tien_do"), x)},
                       discipline="khien_trach" if (s, per) == ("F0", "2026-11") else ""))
    return out


def unit_inputs(per: str) -> list[UnitInputs]:
    return [UnitInputs("P", per, tasks_assigned=10, tasks_done=8, late_work=per <= "2026-09"),
            UnitInputs("R", per, tasks_assigned=10, tasks_done=9)]


Quarters = dict[tuple[str, str], evalkit.UnitClassification]


@pytest.fixture(scope="module")
def objects_quarters() -> Quarters:
    return evalkit.classify_organisation_quarters([evalkit.classify_organisation(
        ORG, assessments(p), unit_inputs(p), CQ) for p in HALF])


@pytest.fixture(scope="module")
def months() -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    made = []
    for p in HALF:
        sm, units = evalkit.frames_from_objects(ORG, assessments(p), unit_inputs(p))
        st, ut = evalkit.classify_frame(sm, units, CQ)
        made.append((pd.concat([sm, st[[c for c in st if c not in sm]]], axis=1), ut, units))
    return made


def _of_quarter(qs: Quarters, per: str) -> dict[str, Row]:
    return _of_objects({u: c for (p, u), c in qs.items() if p == per and c.staff})


def _steps(said: dict[str, Row]) -> dict[str, str]:
    return {s: c for s, row in said.items() for c, _, _ in row[3]
            if c not in ("band", "rollup.average")}


def test_the_objects_quarters_are_the_quarters_by_hand(objects_quarters: Quarters) -> None:
    """The head capped at the unit's quarter, the deputy at the head's where the unit was
    late, the quota each quarter, the month carried and the reprimand, as worked out in the
    module's docstring; the unit without people graded from its own months."""
    assert sorted(objects_quarters) == [(q, u) for q in QUARTERS for u in "PR"]
    for per, expected in QUARTERS.items():
        said = _of_quarter(objects_quarters, per)
        assert _by_hand(said) == expected, per
        assert _steps(said) == STEPS[per], per
        (q,) = objects_quarters[per, "P"].quotas
        assert (q.base_count, q.cap, q.kept, q.demoted) == QUOTAS[per]
        assert str(q.period) == per
        for uid, (score, grade) in UNITS.items():
            unit = objects_quarters[per, uid].unit
            assert (str(unit.period), unit.score, unit.grade) == (per, score, Grade.parse(grade))
    assert objects_quarters["2026-Q3", "R"].staff == ()


def _num(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _score_band(total: float) -> str:
    return CQ.band_for(total).grade.label_vi


def _cli_quarter(per: str, arc: Path, out: Path) -> dict[str, str]:
    """The quarter's PDFs (``evalkit render --archive --period``) as text, by file stem."""
    from tests.test_render_reports import pdf_text

    code, said, err = run("render", "--archive", str(arc), "--period", per, "--out", str(out))
    assert code == 0, (said, err)
    return {f.stem: re.sub(r"\s+", " ", pdf_text(f.read_bytes())[1]) for f in out.rglob("*.pdf")}


def test_every_door_gives_the_same_quarters(
        objects_quarters: Quarters, months: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]],
        tmp_path: Path) -> None:  # fmt: skip
    """Objects == classify_year(to="quarter") on frames == the CLI's quarterly sheets and
    unit summaries: totals, grades, reasons (codes, Vietnamese sentences, citations), the
    head and deputy caps, the quota's groups and demotions, the units' quarter grades."""
    pytest.importorskip("weasyprint")
    staff, units = _frames(months)
    frames = evalkit.classify_year(staff, units, to="quarter")
    unit_rows = workflow.year_units(frames, units).set_index(["period", "unit_id"])
    quotas = quota_report(frames).set_index(["period", "unit_id"])
    arc = tmp_path / "a.sqlite"
    _finalize_by_cli(months, CQ.id, tmp_path, arc)
    for per in QUARTERS:
        objects = _of_quarter(objects_quarters, per)
        quarter = frames[frames["period"] == per]
        assert _of_frame(quarter) == objects, per
        # the unit each person's head cap read, and every unit's own quarter
        p_grade = objects_quarters[per, "P"].unit.grade
        assert p_grade is not None
        assert set(zip(quarter["staff_id"], quarter["unit_grade"].astype(str), strict=True)) == \
            {(s, p_grade.code) for s in objects}
        for uid in UNITS:
            unit = objects_quarters[per, uid].unit
            assert (unit_rows.loc[(per, uid), "score"], unit_rows.loc[(per, uid), "grade"]) == \
                (unit.score, unit.grade.code if unit.grade else None)
        (q,) = objects_quarters[per, "P"].quotas
        row = quotas.loc[(per, "P")]
        assert (row["base_count"], row["cap"], tuple(row["demoted_ids"].split(";"))) == \
            (q.base_count, q.cap, q.demoted)
        # the CLI: each person's row of the unit's summary, each sheet's grade and reasons
        pdfs = _cli_quarter(per, arc, tmp_path / per)
        summary = pdfs[f"{per}_P"]
        for sid, (total, grade, _, reasons) in objects.items():
            shown = (f"{sid} {POSITION[sid]} Chưa đánh giá" if total is None or grade is None
                     else f"{sid} {POSITION[sid]} {_num(total)} {_score_band(total)} "
                     f"{Grade.parse(grade).label_vi}")
            assert shown in summary, (per, sid)
            sheet = pdfs[f"{per}_P_{sid}_{sid}"]
            if grade is not None:
                assert f"Xếp loại chất lượng: {Grade.parse(grade).label_vi}" in sheet, (per, sid)
            for code, sentence, _ in reasons:
                assert sentence.split(" (")[0] in sheet, (per, sid, code)
        for uid, unit_said in (("P", summary), ("R", pdfs[f"{per}_R"])):
            unit = objects_quarters[per, uid].unit
            assert unit.score is not None and unit.grade is not None
            assert (f"Điểm được công nhận {_num(unit.score)} Xếp loại của đơn vị: "
                    f"{unit.grade.label_vi}") in unit_said, (per, uid)
        assert (f"Số người làm căn cứ tính (Hoàn thành tốt nhiệm vụ) {q.base_count} "
                f"Số người tối đa được giữ mức {q.cap}") in summary
        assert f"Số người chuyển xuống mức liền kề {len(q.demoted)}" in summary


def test_the_objects_quarters_take_the_competent_levels_conclusions(
        objects_quarters: Quarters, months: Any) -> None:  # fmt: skip
    """The competent level concludes A HTT for Q3, with its written reason: B (95.1, next in
    rank) keeps Q3's one HTXS — through the objects as through the frames' ``conclusions=``."""
    said = evalkit.Assessment("A", "2026-Q3", competent_grade="HTT",
                              competent_reason="Chưa hoàn thành nhiệm vụ trọng tâm")
    qs = evalkit.classify_organisation_quarters([evalkit.classify_organisation(
        ORG, assessments(p), unit_inputs(p), CQ) for p in HALF], conclusions=[said])
    objects = _of_quarter(qs, "2026-Q3")
    assert (objects["A"][1], objects["B"][1]) == ("HTT", "HTXS")
    assert _of_quarter(qs, "2026-Q4") == _of_quarter(objects_quarters, "2026-Q4")
    frames = evalkit.classify_year(*_frames(months), to="quarter", conclusions=pd.DataFrame([{
        "staff_id": "A", "period": "2026-Q3", "competent_grade": "HTT",
        "competent_reason": "Chưa hoàn thành nhiệm vụ trọng tâm"}]))
    assert _of_frame(frames[frames["period"] == "2026-Q3"]) == objects


def test_months_of_two_years_are_refused_for_the_quarters_too() -> None:
    ucs = [evalkit.classify_organisation(ORG, [], [attrs.evolve(u, late_work=False) for u in
                                                   unit_inputs(p)], ND, force=True)
           for p in ("2025-12", "2026-01")]  # NĐ 335 does not read late_work (refused: af150)
    with pytest.raises(evalkit.ModelError, match="the months must be of one year"):
        evalkit.classify_organisation_quarters(ucs)


# =========================================================================== nobody all year


def test_a_unit_nobody_was_scored_in_all_year_gets_its_year_at_every_door() -> None:
    """Phòng Q has only its unit inputs, January to March 2026 under NĐ 335 (6, 8 and 10 of
    10 tasks: 60, 80, 100), and nobody of the organisation was scored: its year is the mean
    of its months, 80, HTT (Điều 20 k1–k4 bands on the unit's score) — through the objects
    as through the frames' unit table (:func:`evalkit.workflow.year_units` of
    :func:`evalkit.classify_year`); it had none at either door."""
    org = evalkit.Organisation(units=[evalkit.Unit("Q", "Phòng Q")],
                               positions=[evalkit.Position("CV", "Chuyên viên")], staff=[])
    done = dict(zip(MONTHS[:3], (6, 8, 10), strict=True))
    inputs = {p: [UnitInputs("Q", p, tasks_assigned=10, tasks_done=d)] for p, d in done.items()}
    year = evalkit.classify_organisation_year([evalkit.classify_organisation(
        org, [], inputs[p], ND) for p in done])["Q"].unit  # fmt: skip
    assert (str(year.period), year.score, year.score_grade, year.grade) == \
        ("2026", 80.0, Grade.HTT, Grade.HTT)
    made = []
    for p in done:
        sm, units = evalkit.frames_from_objects(org, [], inputs[p])
        made.append(evalkit.classify_frame(sm, units, ND)[1])
    ut = pd.concat(made, ignore_index=True)
    frames = workflow.year_units(evalkit.classify_year(
        pd.DataFrame(columns=["staff_id", "period", "total"]), ut, ND), ut)
    assert frames[["unit_id", "period", "grade", "score"]].to_dict("records") == [
        {"unit_id": "Q", "period": "2026", "grade": year.grade.code, "score": year.score}]
