"""evalkit.workflow: the month read, checked and classified from a workbook gives what the
object path gives (issue 13 point 6), under a rule set that classifies the month (head cap,
quota, the competent level's conclusion)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

import evalkit
from evalkit import workflow
from evalkit.cli import main
from evalkit.io.results import read_results, units_of
from evalkit.units import UnitInputs, results_from_frame
from tests._io_helpers import filled_workbook

RULES = "hanoi.3814-2018"
PERIOD = "2026-03"

#: Each person's levels (Hà Nội: discipline 20 + tasks 70 + bonus).
PEOPLE: dict[str, dict[str, Any]] = {
    "H": {"self": {"ky_luat": 10, "dao_duc": 10, "ket_qua_nhiem_vu": 70, "sang_kien": 5},
          "competent": {"ket_qua_nhiem_vu": 68}, "self_grade": "HTXS"},
    "A": {"self": {"ky_luat": 10, "dao_duc": 10, "ket_qua_nhiem_vu": 70},
          "manager": {"ky_luat": 10, "dao_duc": 10, "ket_qua_nhiem_vu": 70, "thanh_tich": 4},
          "self_grade": "HTXS", "manager_grade": "HTXS"},
    "B": {"manager": {"ky_luat": 10, "dao_duc": 10, "ket_qua_nhiem_vu": 70, "thanh_tich": 2}},
    "C": {"manager": {"ky_luat": 10, "dao_duc": 9, "ket_qua_nhiem_vu": 70, "thanh_tich": 2}},
    "D": {"manager": {"ky_luat": 10, "dao_duc": 10, "ket_qua_nhiem_vu": 70}},
    "E": {"manager": {"ky_luat": 9, "dao_duc": 9, "ket_qua_nhiem_vu": 72 - 2},
          "competent_grade": "HT", "competent_reason": "Vi phạm quy chế làm việc"},
    "F": {"self": {"ky_luat": 8, "dao_duc": 8, "ket_qua_nhiem_vu": 60},
          "manager": {"ky_luat": 7, "dao_duc": 8, "ket_qua_nhiem_vu": 60},
          "manager_comment": "Cần cố gắng hơn"},
}
UNIT = {"tasks_assigned": 10, "tasks_done": 8}


def _row(sid: str, d: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"staff_id": sid, "full_name": f"Người {sid}", "position_id": "CV",
                           "unit_id": "P1", "manager_id": None if sid == "H" else "H"}
    for level in ("self", "manager", "competent"):
        row.update({f"{level}__{k}": v for k, v in d.get(level, {}).items()})
    row.update({k: v for k, v in d.items() if k not in ("self", "manager", "competent")})
    return row


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return filled_workbook(
        tmp_path / "thang-03.xlsx", [_row(s, d) for s, d in PEOPLE.items()], rules=RULES,
        units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": "H", **UNIT}],
        positions=[{"position_id": "CV", "title": "Chuyên viên"}],
    )  # fmt: skip


def _objects() -> dict[str, evalkit.EvaluationResult]:
    org = evalkit.Organisation(
        units=[evalkit.Unit("P1", "Phòng 1", head_id="H")],
        positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff(s, f"Người {s}", "CV", "P1", manager_id=None if s == "H" else "H")
               for s in PEOPLE],
    )  # fmt: skip
    assessments = [evalkit.Assessment(
        s, PERIOD, self_scores=d.get("self", {}), manager_scores=d.get("manager", {}),
        competent_scores=d.get("competent", {}), proposed_grade=d.get("self_grade"),
        manager_grade=d.get("manager_grade"), competent_grade=d.get("competent_grade"),
        competent_reason=d.get("competent_reason", ""),
        manager_comment=d.get("manager_comment", ""),
    ) for s, d in PEOPLE.items()]  # fmt: skip
    by_unit = evalkit.classify_organisation(org, assessments, [UnitInputs("P1", PERIOD, **UNIT)],
                                            RULES, period=PERIOD)  # fmt: skip
    return {r.staff_id: r for r in by_unit["P1"].staff}


def _same(got: dict[str, evalkit.EvaluationResult],
          want: dict[str, evalkit.EvaluationResult]) -> None:  # fmt: skip
    assert set(got) == set(want)
    for sid, w in want.items():
        g = got[sid]
        assert (g.total, g.score_grade, g.proposed_grade, g.grade, g.classified) == (
            w.total, w.score_grade, w.proposed_grade, w.grade, w.classified), sid
        assert dict(g.level_totals) == dict(w.level_totals), sid
        assert [(r.code, r.message_vi, r.source) for r in g.reasons] == [
            (r.code, r.message_vi, r.source) for r in w.reasons], sid


def test_the_command_line_gives_the_object_paths_answers(book: Path, tmp_path: Path) -> None:
    """Workbook → `evalkit classify` → results file → the same totals, grades, proposed
    and concluded grades and reason sentences with citations as classify_organisation,
    including the head cap, the quota and a concluded grade."""
    out = tmp_path / "ket-qua-03.json"
    assert main(["classify", str(book), "--out", str(out)], stdout=io.StringIO()) == 0
    cli = {r.staff_id: r for r in results_from_frame(read_results(out))}
    want = _objects()
    _same(cli, want)
    codes = {sid: r.reason_codes() for sid, r in want.items()}
    assert "cap.head_unit" in codes["H"]  # the unit is below HTXS: the head too
    assert sum("quota.demoted" in c for c in codes.values()) >= 1
    assert want["E"].grade is evalkit.Grade.HT


def test_the_workflow_gives_the_same_without_the_command_line(book: Path) -> None:
    """read → check → classify_input, in Python."""
    month = workflow.read(book)
    assert workflow.check(month) == []
    frame = workflow.classify_input(month)
    _same({r.staff_id: r for r in results_from_frame(frame)}, _objects())
    assert frame["classified_by_unit"].all()
    assert frame[["position_title", "unit_name"]].drop_duplicates().values.tolist() == [
        ["Chuyên viên", "Phòng 1"]]
    assert units_of(frame)["unit_id"].tolist() == ["P1"]  # type: ignore[index]
    who = frame.set_index("staff_id")  # the direct manager who signs each sheet
    assert (who.loc["A", "manager_name"], who.loc["A", "manager_title"]) == ("Người H",
                                                                             "Chuyên viên")
    assert who.loc["H", "manager_name"] is None


def test_score_input_scores_without_the_unit_steps(book: Path) -> None:
    """Totals equal the classification's; grades are the bands with the disqualifiers and
    the competent level's conclusion (a person's own steps) only: no head cap, no quota,
    marked not classified by unit."""
    month = workflow.read(book)
    scored = workflow.score_input(month).set_index("staff_id")
    classified = workflow.classify_input(month).set_index("staff_id")
    assert scored["total"].tolist() == classified["total"].tolist()
    own = scored.index != "E"  # E: concluded HT with a written reason
    assert scored["grade"].astype(str)[own].tolist() == \
        scored["score_grade"].astype(str)[own].tolist()
    assert (scored.at["E", "grade"], scored.at["E", "reasons"]) == ("HT", "competent.concluded")
    assert classified.at["E", "grade"] == "HT"
    assert not scored["classified_by_unit"].any()


def test_a_leaders_computed_management_score_is_scored_too(tmp_path: Path) -> None:
    """NĐ 335 Điều 15 k3: a leader's d comes from the staff under them; `score` computes
    it as `classify` does, so the totals agree."""
    rs = evalkit.rules.get("vn.nd335-2025")
    lead = {k: v for k, v in rs.full_marks(True).items() if k != "ket_qua_linh_vuc"}
    path = filled_workbook(tmp_path / "f.xlsx", [
        {"staff_id": "L", "unit_id": "P1", "manages_others": "x", **lead},
        {"staff_id": "S", "unit_id": "P1", "manager_id": "L", **rs.full_marks()}],
        units=[{"unit_id": "P1", "name": "P", "head_id": "L"}])  # fmt: skip
    month = workflow.read(path)
    assert workflow.check(month) == []
    scored = workflow.score_input(month)
    classified = workflow.classify_input(month)
    assert scored["total"].tolist() == classified["total"].tolist() == [100.0, 100.0]


@pytest.mark.parametrize("typed", [100, 50, None])
def test_score_input_applies_the_management_score_classify_applies(
    tmp_path: Path, typed: float | None
) -> None:
    """A subordinate below 50: d is 50% (NĐ 335 Điều 15 k3). A typed 100 contradicts it,
    a typed 50 agrees, a blank is computed: score_input gives classify_input's totals,
    d and ``management.*`` reasons in every case (audit 9 finding 3: a typed 100 was
    kept, 100.00 with no reason)."""
    rs = evalkit.rules.get("vn.nd335-2025")
    lead = {k: v for k, v in rs.full_marks(True).items() if k != "ket_qua_linh_vuc"}
    if typed is not None:
        lead["ket_qua_linh_vuc"] = typed
    low = {k: v * 0.4 for k, v in rs.full_marks().items()}
    path = filled_workbook(tmp_path / "f.xlsx", [
        {"staff_id": "L", "unit_id": "P1", "manages_others": "x", **lead},
        {"staff_id": "S", "unit_id": "P1", "manager_id": "L", **low}],
        units=[{"unit_id": "P1", "name": "P", "head_id": "L"}])  # fmt: skip
    month = workflow.read(path)
    scored = workflow.score_input(month).set_index("staff_id")
    classified = workflow.classify_input(month).set_index("staff_id")
    assert scored["total"].tolist() == classified["total"].tolist()
    assert scored.at["L", "total"] < 100
    assert scored["reasons"].astype(str).tolist() == classified["reasons"].astype(str).tolist()
    assert scored.at["L", "mgmt_value"] == classified.at["L", "mgmt_value"] == 50.0
    want = "management.d;management.d_typed" if typed == 100 else "management.d"
    assert scored.at["L", "reasons"] == want


def test_signatories_and_the_agency_come_from_the_sheet(tmp_path: Path) -> None:
    """An approver typed by staff id gets the name and chức vụ of the staff sheet; a unit's
    own row signs for that unit."""
    path = filled_workbook(
        tmp_path / "f.xlsx",
        [{"staff_id": "GD", "full_name": "Lê Văn Thành", "title_vi": "Giám đốc",
          "unit_id": "P1"}],
        signatories=[{"agency": "Sở Nội vụ", "governing_body": "UBND tỉnh", "place": "Lam Giang",
                      "approver_id": "GD"},
                     {"unit_id": "P1", "approver_name": "Ngô Lan", "approver_title": "Phó GĐ"}],
    )  # fmt: skip
    month = workflow.read(path)
    assert workflow.signatories(month) == {
        "competent": {"name": "Lê Văn Thành", "title": "Giám đốc", "staff_id": "GD"},
        "P1": {"name": "Ngô Lan", "title": "Phó GĐ"}}
    assert workflow.agency(month) == {"name": "Sở Nội vụ", "governing_body": "UBND tỉnh",
                                      "place": "Lam Giang"}  # fmt: skip


def test_nobody_signs_as_the_competent_level_on_their_own_sheet(tmp_path: Path) -> None:
    """The ``Người ký`` sheet names the director (``approver_id`` GD) as the competent
    level, as ``template --org`` fills it: every sheet is signed by GD but GD's own — a
    person does not conclude their own evaluation; the level above GD signs it, so the
    block is left for it (the unit's own signatory is not GD either)."""
    from evalkit.render import sheets_from_results

    path = filled_workbook(
        tmp_path / "f.xlsx",
        [{"staff_id": "GD", "full_name": "Lê Văn Thành", "title_vi": "Giám đốc", "unit_id": "P0"},
         {"staff_id": "S1", "full_name": "Ngô Lan", "unit_id": "P1"}],
        units=[{"unit_id": "P0", "name": "Sở", "head_id": "GD"},
               {"unit_id": "P1", "name": "Phòng 1", "parent_id": "P0"}],
        signatories=[{"agency": "Sở Nội vụ", "approver_id": "GD"}],
    )  # fmt: skip
    month = workflow.read(path)
    said = workflow.signatories(month)
    sheets = {s.staff.id: s for s in sheets_from_results(workflow.classify_input(month),
                                                         signatories=said)}  # fmt: skip
    assert sheets["S1"].approver is not None and sheets["S1"].approver.name == "Lê Văn Thành"
    assert sheets["GD"].approver is None


def test_io_never_classifies() -> None:
    """Issue 13 point 6: evalkit.io reads and writes; the pipeline is evalkit.workflow."""
    from evalkit.io import results, workbook

    for mod in (results, workbook):
        assert not hasattr(mod, "classify_input") and not hasattr(mod, "score_input")
        source = Path(mod.__file__ or "").read_text(encoding="utf-8")
        for name in ("classify_frame", "score_frame", "evalkit.render", "evalkit.units"):
            assert name not in source, (mod.__name__, name)




def test_year_units_are_the_units_own_year_grade_and_head() -> None:
    """`workflow.year_units`: one row per unit and year with the unit's grade the engine
    put on its people's year rows, and the head (the row marked is_head); a quarter's
    roll-up (no unit grade) gives each unit's head without a grade (the head signs the
    quarter's summary)."""
    import pandas as pd

    rows = []
    for m in (1, 2, 3):
        per = f"2026-{m:02d}"
        rows += [{"staff_id": sid, "period": per, "unit_id": uid, "rule_set": "vn.nd335-2025",
                  "total": total, "is_head": sid in ("H1", "H2")}
                 for sid, uid, total in (("H1", "U1", 95.0), ("A", "U1", 85.0), ("B", "U1", 80.0),
                                         ("H2", "U2", 75.0), ("C", "U2", 60.0))]  # fmt: skip
    months = pd.DataFrame(rows)
    units = pd.DataFrame([{"unit_id": u, "period": f"2026-{m:02d}", "head_id": h, "score": s}
                          for m in (1, 2, 3) for u, h, s in (("U1", "H1", 95.0),
                                                             ("U2", "H2", 60.0))])  # fmt: skip
    year = evalkit.classify_year(months, units)
    got = workflow.year_units(year)
    assert list(got.columns) == ["unit_id", "period", "grade", "head_id"]
    assert len(got) == 2 and set(got["period"]) == {"2026"}
    by = got.set_index("unit_id")
    for uid, head in (("U1", "H1"), ("U2", "H2")):
        assert by.at[uid, "head_id"] == head
        assert {by.at[uid, "grade"]} == set(year.loc[year["unit_id"] == uid, "unit_grade"])
    assert by.at["U1", "grade"] != by.at["U2", "grade"]  # each unit its own grade
    quarter = evalkit.classify_year(months, None, to="quarter")
    assert workflow.year_units(quarter).to_dict("records") == [
        {"unit_id": "U1", "period": "2026-Q1", "grade": None, "head_id": "H1"},
        {"unit_id": "U2", "period": "2026-Q1", "grade": None, "head_id": "H2"}]
