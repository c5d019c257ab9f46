"""A quota counted on all the unit's staff (Hà Nội QĐ 3814-QĐ/TU: an outstanding unit may
have "không nên vượt quá 40% tổng số … của cơ quan, đơn vị") counts the members without an
assessment in the object door as a frame counts its rows without scores (audit 9: the object
door counted only the assessed, 40% of 17 = 6 instead of 40% of 20 = 8)."""

from __future__ import annotations

import io
from pathlib import Path

import attrs
import pandas as pd
import pytest

import evalkit
import evalkit.rules
import evalkit.units
from evalkit.errors import InputError
from evalkit.model import Assessment, Organisation, Position, Staff, Unit
from evalkit.units import UnitInputs, classify_organisation

HANOI = evalkit.rules.get("hanoi.3814-2018")
PERIOD = "2025-03"


def _org(n: int) -> Organisation:
    ids = ["H"] + [f"S{i:02d}" for i in range(n - 1)]
    return Organisation(units=[Unit("U", "Phòng", head_id="H")],
                        positions=[Position("p", "Chuyên viên")],
                        staff=[Staff(s, s, "p", "U", category="cong_chuc") for s in ids])


@pytest.mark.parametrize(("size", "assessed", "exceptional"),
                         [(20, 17, True), (20, 17, False), (12, 9, True), (7, 7, True)])
def test_the_object_door_counts_the_quota_on_the_same_base_as_the_frame(
        size: int, assessed: int, exceptional: bool) -> None:  # fmt: skip
    org = _org(size)
    ids = [s.id for s in org.staff]
    top = HANOI.full_marks()
    objs = classify_organisation(
        org, [Assessment(s, PERIOD, competent_scores=top) for s in ids[:assessed]],
        [UnitInputs("U", PERIOD, tasks_assigned=10, tasks_done=10, exceptional=exceptional)],
        HANOI)["U"]  # fmt: skip
    rows = [{"staff_id": s, "unit_id": "U", "period": PERIOD, **(top if i < assessed else {})}
            for i, s in enumerate(ids)]
    units = pd.DataFrame([{"unit_id": "U", "head_id": "H", "period": PERIOD,
                           "tasks_assigned": 10, "tasks_done": 10, "exceptional": exceptional}])
    staff, _ = evalkit.classify_frame(pd.DataFrame(rows), units, HANOI)
    base = size if exceptional else assessed  # all staff, else those classified
    cap = int((0.4 if exceptional else 0.3) * base + 1e-9)
    frame_a = int((staff["grade"].astype(str) == "HTXS").sum())
    object_a = sum(r.grade is not None and r.grade.code == "HTXS" for r in objs.staff)
    assert object_a == frame_a == min(cap, assessed)
    (q,) = objs.quotas
    assert (q.cap, q.base_count) == (cap, base)
    # the members without an assessment get no result: they are only counted
    assert sorted(r.staff_id for r in objs.staff) == sorted(ids[:assessed])


# --------------------------------------------------------------------------- one base, three doors
# audit 10: unit TC has 9 staff in the organisation, 6 of them with a row this month; the
# unit is recognised as especially outstanding, so 40% of its 9 staff may keep A. The
# frame door (frames_from_objects → classify_frame) and the CLI counted only the 6 rows.

def _tc_org() -> Organisation:
    tc = ["TP", "PP", *(f"CV{i}" for i in range(1, 8))]
    return Organisation(
        units=[Unit("SNV", "Sở", head_id="GD"),
               Unit("TC", "Phòng", parent_id="SNV", head_id="TP")],
        positions=[Position("L", "Lãnh đạo", manages_others=True),
                   Position("CV", "Chuyên viên")],
        staff=[Staff("GD", "GD", "L", "SNV"),
               *(Staff(s, s, "L" if s in ("TP", "PP") else "CV", "TC",
                       manager_id="GD" if s == "TP" else "TP") for s in tc)])  # fmt: skip


_ROWS = ("GD", "TP", "PP", "CV1", "CV2", "CV3", "CV4")  # CV5-CV7 have no row this month
_UNITS = [UnitInputs("TC", PERIOD, tasks_assigned=10, tasks_done=10, exceptional=True),
          UnitInputs("SNV", PERIOD, tasks_assigned=10, tasks_done=10)]  # fmt: skip


def _tc_assessments() -> list[Assessment]:
    return [Assessment(s, PERIOD, competent_scores=HANOI.full_marks(
        manages_others=s in ("GD", "TP", "PP"))) for s in _ROWS]  # fmt: skip


def _a_in_tc(staff: pd.DataFrame) -> list[str]:
    tc = staff[(staff["unit_id"].astype(str) == "TC") & (staff["grade"].astype(str) == "HTXS")]
    return sorted(tc["staff_id"].astype(str))


def test_the_object_and_frame_doors_count_the_whole_unit() -> None:
    org = _tc_org()
    cap = int(0.4 * sum(s.unit_id == "TC" for s in org.staff) + 1e-9)  # 40% of 9 staff
    assert cap == 3  # fewer than the 6 candidates: the base decides
    objs = classify_organisation(org, _tc_assessments(), _UNITS, HANOI)["TC"]
    object_a = sorted(r.staff_id for r in objs.staff if r.grade is not None
                      and r.grade.code == "HTXS")  # fmt: skip
    sm, units = evalkit.units.frames_from_objects(org, _tc_assessments(), _UNITS)
    assert dict(zip(units["unit_id"], units["staff_total"], strict=True)) == {"SNV": 1, "TC": 9}
    staff, unit_res = evalkit.classify_frame(sm, units, HANOI)
    assert len(object_a) == cap and _a_in_tc(staff) == object_a
    (q,) = objs.quotas if objs.quotas[0].unit_id == "TC" else ()
    assert (q.base, q.base_count, q.cap) == ("all_staff", 9, cap)
    tc = unit_res[unit_res["unit_id"] == "TC"].iloc[0]
    assert (tc["quota_base"], tc["quota_cap"], tc["staff"]) == (9, cap, 6)


def test_a_unit_inputs_own_staff_total_replaces_the_organisations_count() -> None:
    """12 people on the unit's payroll, 9 in the organisation file: 40% of 12 = 4."""
    units = [attrs.evolve(_UNITS[0], staff_total=12), _UNITS[1]]
    objs = classify_organisation(_tc_org(), _tc_assessments(), units, HANOI)["TC"]
    assert (objs.quotas[0].base_count, objs.quotas[0].cap) == (12, int(0.4 * 12))


def test_the_cli_counts_the_organisations_people_without_a_row(tmp_path: Path) -> None:
    """`evalkit classify --org` on a workbook whose rows of CV5-CV7 were deleted: 3 A in TC,
    as the objects give, and the units' staff_total kept with the unit inputs (what
    finalize archives and an amendment re-derives from)."""
    import openpyxl

    from evalkit.cli import main
    from evalkit.io.jsonio import write_json
    from evalkit.io.results import read_results, unit_inputs_of
    from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET

    org = _tc_org()
    write_json(tmp_path / "org.json", org)
    book, res = tmp_path / "t.xlsx", tmp_path / "r.json"
    orgarg = ["--org", str(tmp_path / "org.json")]
    assert main(["template", "--rules", HANOI.id, "--period", PERIOD, *orgarg, str(book)],
                stdout=io.StringIO()) == 0  # fmt: skip
    wb = openpyxl.load_workbook(book)
    ws, wu = wb[SCORES_SHEET], wb[UNITS_SHEET]
    col = {str(c.value).rsplit("[", 1)[-1].rstrip("]"): c.column for c in ws[1] if c.value}
    for r in range(ws.max_row, 1, -1):
        sid = ws.cell(r, col["staff_id"]).value
        if sid not in _ROWS:
            ws.delete_rows(r)
            continue
        for k, v in HANOI.full_marks(manages_others=sid in ("GD", "TP", "PP")).items():
            ws.cell(r, col[f"competent__{k}"], v)
    ucol = {str(c.value).rsplit("[", 1)[-1].rstrip("]"): c.column for c in wu[1] if c.value}
    for r in range(2, wu.max_row + 1):
        if wu.cell(r, ucol["unit_id"]).value:
            wu.cell(r, ucol["tasks_assigned"], 10)
            wu.cell(r, ucol["tasks_done"], 10)
            wu.cell(r, ucol["exceptional"], "x" if wu.cell(r, ucol["unit_id"]).value == "TC"
                    else None)  # fmt: skip
    wb.save(book)
    assert main(["classify", str(book), *orgarg, "--out", str(res)], stdout=io.StringIO()) == 0
    cli = read_results(res)
    assert sorted(cli["staff_id"].astype(str)) == sorted(_ROWS)
    objs = classify_organisation(org, _tc_assessments(), _UNITS, HANOI)["TC"]
    assert _a_in_tc(cli) == sorted(r.staff_id for r in objs.staff
                                   if r.grade is not None and r.grade.code == "HTXS")  # fmt: skip
    assert len(_a_in_tc(cli)) == int(0.4 * 9)
    inputs = unit_inputs_of(cli)
    assert inputs is not None
    assert dict(zip(inputs["unit_id"], inputs["staff_total"], strict=True)) == {"SNV": 1, "TC": 9}


# --------------------------------------------------------------------------- the column itself


def _frame(rows: int, **unit: object) -> tuple[pd.DataFrame, pd.DataFrame]:
    top = HANOI.full_marks()
    sm = pd.DataFrame([{"staff_id": f"S{i}", "unit_id": "U", "period": PERIOD, **top}
                       for i in range(rows)])  # fmt: skip
    units = pd.DataFrame([{"unit_id": "U", "period": PERIOD, "tasks_assigned": 10,
                           "tasks_done": 10, **unit}])  # fmt: skip
    return sm, units


@pytest.mark.parametrize(("total", "exceptional", "base"),
                         [(9, True, 9), (None, True, 6), (9, False, 6), (6, True, 6)])
def test_staff_total_is_the_base_of_a_quota_on_all_staff_only(
        total: int | None, exceptional: bool, base: int) -> None:  # fmt: skip
    """6 rows all proposed A: an exceptional unit's 40% counts staff_total (blank: the
    rows); the ordinary 30% counts those classified, whatever the unit's size."""
    sm, units = _frame(6, staff_total=total, exceptional=exceptional)
    staff, _ = evalkit.classify_frame(sm, units, HANOI)
    cap = int((0.4 if exceptional else 0.3) * base + 1e-9)
    assert (staff["quota_base"] == base).all() and (staff["quota_cap"] == cap).all()
    assert int((staff["grade"].astype(str) == "HTXS").sum()) == cap


@pytest.mark.parametrize(("value", "words"), [(5, "below the 6 staff rows"),
                                              (8.5, "whole number"), (-1, "negative")])
def test_an_impossible_staff_total_is_refused_with_its_cell(value: float, words: str) -> None:
    sm, units = _frame(6, staff_total=value, exceptional=True)
    units.index = pd.Index([7])
    with pytest.raises(InputError) as exc:
        evalkit.classify_frame(sm, units, HANOI)
    (p,) = [p for p in exc.value.problems if p.column == "staff_total"]
    assert words in str(p.message) and p.value == value and str(p.row) == "7"
    if value == 5:  # the command line says it in Vietnamese
        from evalkit.messages import translate

        assert translate(str(p.message)).startswith(
            "tổng số người staff_total 5 ít hơn 6 dòng nhân sự của đơn vị 'U' (2025-03)")
