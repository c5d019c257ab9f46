"""A typed score the total would not read is never dropped without a word (domain brief
§4.1: "a typed value is never overwritten silently"), at every door; a head of a unit is
scored as a leader (NĐ 335/2025/NĐ-CP Điều 15), marked ``manages_others`` or not."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
from evalkit import Assessment, Organisation, Position, Staff, Unit
from evalkit.errors import InputError, ScoreError
from evalkit.io.workbook import read_month
from evalkit.scoring import management_only_inputs
from evalkit.units import classify_unit
from tests._fuzz_inputs import _base_workbook

RS = evalkit.rules.get("vn.nd335-2025")
LEADER = RS.full_marks(manages_others=True)
STAFF = RS.full_marks()
TASKS = ("so_luong", "chat_luong", "tien_do")
GENERAL = {k: v for k, v in STAFF.items() if k not in TASKS}
MGMT = management_only_inputs(RS)  # d, đ, e
D, DD, E = MGMT


def staff_row(sid: str, pct: float, **extra: object) -> dict[str, object]:
    """General 30, a = b = c = pct: total 30 + 0.7 × pct."""
    return {"staff_id": sid, "unit_id": "U", "period": "2026-03", "category": "cong_chuc", **GENERAL,
            **dict.fromkeys(TASKS, pct), **extra}


def test_the_management_components_are_d_dd_e() -> None:
    assert MGMT == ("ket_qua_linh_vuc", "to_chuc_trien_khai", "tap_hop_doan_ket")


@settings(max_examples=25, deadline=None)
@given(st.sets(st.sampled_from(MGMT), min_size=1))
def test_components_of_a_person_who_manages_nobody_are_refused(typed: set[str]) -> None:
    """Objects and frames refuse exactly the typed management components, cell by cell."""
    scores = {**STAFF, **dict.fromkeys(typed, 50.0)}
    with pytest.raises(ScoreError) as info:
        evalkit.score(Assessment("A", "2026-03", manager_scores=scores))
    said = str(info.value)
    assert "manages nobody" in said and "manager_scores" in said
    assert {c for c in MGMT if repr(c) in said} == typed
    frame = pd.DataFrame([staff_row("A", 100, **dict.fromkeys(typed, 50.0))])
    for door in (lambda: evalkit.score_frame(frame, "vn.nd335-2025"),
                 lambda: evalkit.classify_frame(frame, pd.DataFrame({"unit_id": ["U"]}))):
        with pytest.raises(InputError) as err:
            door()
        assert {p.column for p in err.value.problems} == typed
        assert all("manages nobody" in p.message for p in err.value.problems)


def test_a_head_with_components_typed_is_a_leader_at_every_door() -> None:
    """The head of U is not marked manages_others; đ, e typed 100, d left to compute; the one
    subordinate scores 37 (< 50), so d = 50 %: 30 + 0.7 × (300 + 50 + 200) / 6 = 94.17."""
    expected = round(30 + 0.7 * (300 + 50 + 200) / 6, 2)
    head_scores = {**{k: v for k, v in LEADER.items() if k != D}}
    sub_scores = {**GENERAL, **dict.fromkeys(TASKS, 10.0)}
    frame = pd.DataFrame([staff_row("H", 100, **{DD: 100.0, E: 100.0}), staff_row("S", 10)])
    res, _ = evalkit.classify_frame(frame, pd.DataFrame({"unit_id": ["U"], "head_id": ["H"]}))
    h = res.set_index("staff_id").loc["H"]
    assert h["total"] == pytest.approx(expected) and "management.d" in h["reasons"]
    org = Organisation(units=[Unit("U", "Phòng", head_id="H")], positions=[Position("CV", "CV")],
                       staff=[Staff("H", "H", "CV", "U"), Staff("S", "S", "CV", "U")])
    c = classify_unit(org, "U", [Assessment("H", "2026-03", competent_scores=head_scores),
                                 Assessment("S", "2026-03", competent_scores=sub_scores)], [])
    assert c.result_of("H").total == pytest.approx(expected)
    assert "management.d" in c.result_of("H").reason_codes()
    # alone (no subordinates to compute d from) a head types d: the leader formula
    one = evalkit.score(Assessment("H", "2026-03", manager_scores={**LEADER, D: 50.0}),
                        is_head=True)
    assert one.total == pytest.approx(expected)
    sf = evalkit.score_frame(pd.DataFrame([staff_row("H", 100, is_head=True, **{D: 50.0, DD: 100.0,
                                                                             E: 100.0})]))
    assert sf["total"].iloc[0] == pytest.approx(expected)


def test_a_head_without_components_is_refused_not_scored_with_the_staff_formula() -> None:
    """A head holds a management post whatever is typed: đ and e missing are said (d is
    computed), never a total of 30 + 0.7 × 80 (tests/test_head_management.py: every door)."""
    frame = pd.DataFrame([staff_row("H", 80), staff_row("S", 10)])
    with pytest.raises(InputError) as err:
        evalkit.classify_frame(frame, pd.DataFrame({"unit_id": ["U"], "head_id": ["H"]}))
    assert {(p.staff_id, p.column) for p in err.value.problems} == {("H", DD), ("H", E)}
    assert all("holds a management post" in p.message for p in err.value.problems)


@pytest.mark.parametrize("leader", [False, True])
def test_the_kpi_stands_for_the_task_scores_typed_beside_it(leader: bool) -> None:
    """The kpi stands for the whole task block (docs/rule-sets.md ``percent_average``); the
    task scores typed beside it are kept and the sheet says the kpi stands for them (the
    ``kpi`` reason): 30 + 0.7 × 82.3 = 87.61 at both doors, a leader's d/đ/e included."""
    typed = MGMT if leader else TASKS
    scores = {**GENERAL, **dict.fromkeys(typed, 50.0)}
    one = evalkit.score(Assessment("L", "2026-03", manager_scores=scores, kpi=82.3),
                        manages_others=leader)
    frame = pd.DataFrame([{**staff_row("L", 0, kpi=82.3, manages_others=leader),
                           **dict.fromkeys(TASKS, None), **dict.fromkeys(typed, 50.0)}])
    out = evalkit.score_frame(frame, "vn.nd335-2025")
    assert one.total == out["total"].iloc[0] == pytest.approx(round(30 + 0.7 * 82.3, 2))


def test_a_leader_on_kpi_has_no_management_reason() -> None:
    """A leader whose task block is a kpi: 30 + 0.7 × 82.3 = 87.61, and no d is said (the
    total does not read it), although a subordinate scores below 50."""
    lead = {**staff_row("L", 0, kpi=82.3, manages_others=True), **dict.fromkeys(TASKS, None)}
    res, _ = evalkit.classify_frame(pd.DataFrame([lead, staff_row("S", 10)]),
                                    pd.DataFrame({"unit_id": ["U"], "head_id": ["L"]}))
    row = res.set_index("staff_id").loc["L"]
    assert row["total"] == pytest.approx(round(30 + 0.7 * 82.3, 2))
    assert "management" not in str(row["reasons"])
    assert pd.isna(row.get("mgmt_value", float("nan")))


@pytest.mark.parametrize("level", ["self", "manager", "competent"])
def test_the_workbook_says_a_component_of_a_person_who_manages_nobody(
    level: str, tmp_path: Path
) -> None:
    """validate (:func:`read_month`) names the cell where d was typed for a person who
    manages nobody, as classify refuses it: it used to pass the month that classify then
    refused (found by the fuzzer: ``python -m tests.fuzz -n 150 --seed 20271``)."""
    wb = openpyxl.load_workbook(io.BytesIO(_base_workbook()))
    ws = wb.worksheets[0]
    heads = [str(c.value) for c in ws[1]]
    col = next(i for i, h in enumerate(heads, 1) if h.endswith(f"[{level}__{D}]"))
    marked = next(i for i, h in enumerate(heads, 1) if h.endswith("[manages_others]"))
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "CC-4")
    assert ws.cell(row, marked).value is None and ws.cell(row, col).value is None
    path = tmp_path / "thang-03.xlsx"
    wb.save(path)
    assert not read_month(path).problems  # the clean month (its leaders type d, đ, e)
    ws.cell(row, col).value = 50
    wb.save(path)
    problems = read_month(path).problems
    assert [(p.row, p.column, p.staff_id, float(p.value)) for p in problems] == [
        (row, f"{level}__{D}", "CC-4", 50.0)]  # fmt: skip
    assert "the person manages nobody" in str(problems[0])
