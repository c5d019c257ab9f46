"""A unit's ``head_id`` must name someone (af241).

The head of a unit is not graded above the unit (NĐ 233/2026/NĐ-CP Điều 12 k7; the rule
sets' ``[units] head_capped_at_unit``), and the year caps anyone who headed the unit in a
month (docs/cli.md, ``annual``). Before, ``classify_frame`` took a ``head_id`` that names
nobody (a slip: ``TPX`` for ``TP``) as a unit with no head: the real head was capped by
nobody, and their staff went to the head above. The organisation (``Organisation``,
``evalkit org``) and the workbook (``validate``, ``classify``) already refused it; the
frames now refuse it too, at the units frame's row, with every other problem.

A head with no row in a month is absent that month (docs/units.md: "a unit with no head,
or whose head has no row that month, is led by the nearest head above it"): the frames
know them from another period of the staff frame, or from ``known_staff`` (an
organisation's members), which ``classify_organisation`` and ``evalkit classify --org``
pass.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit import Assessment, Organisation, Position, Staff, Unit
from evalkit.errors import InputError, UnknownReferenceError
from evalkit.io.jsonio import write_json
from evalkit.units import classify_organisation
from tests._cli_helpers import run
from tests._io_helpers import GENERAL, TASKS, filled_workbook

RS = evalkit.rules.get("vn.nd335-2025")
LEAD = {**RS.full_marks(), "to_chuc_trien_khai": 100, "tap_hop_doan_ket": 100,
        "manages_others": True}
LOW = {**RS.full_marks(), "so_luong": 10, "chat_luong": 10, "tien_do": 10}


def months(periods: list[str], absent: dict[str, set[str]] | None = None) -> pd.DataFrame:
    """GD heads the Sở S, TP the phòng P (under S), CV works in P (below 50: 37 points);
    ``absent`` leaves a person's row out of the periods given."""
    people = [("GD", "S", LEAD), ("TP", "P", LEAD), ("CV", "P", LOW)]
    return pd.DataFrame([
        {"staff_id": s, "unit_id": u, "period": p, "category": "cong_chuc", **scores}
        for p in periods for s, u, scores in people if p not in (absent or {}).get(s, set())])


def units(head: Any, **extra: Any) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": ["S", "P"], "parent_id": [None, "S"], "head_id": ["GD", head],
                         "tasks_assigned": [10, 10], "tasks_done": [5, 5], **extra})


def test_the_month_and_the_year_as_they_were_with_the_right_head() -> None:
    """The baseline the refused slip would have changed: TP heads P, so CV (37) is under TP,
    TP's d is 50 and TP is capped at the unit's grade for the year (HT: 50 % of tasks)."""
    year = [f"2026-{m:02d}" for m in range(1, 13)]
    staff, unit_results = evalkit.classify_frame(months(year), units("TP"))
    march = staff[staff["period"] == "2026-03"].set_index("staff_id")
    assert march.loc["CV", "effective_manager_id"] == "TP"
    assert march.loc["TP", "mgmt_value"] == 50.0
    got = evalkit.classify_year(staff, unit_results).set_index("staff_id")
    assert got.loc["TP", "grade"] == "HT"  # the head cap: P is HT (5 of 10 tasks done)
    assert "cap.head_unit" in got.loc["TP", "reasons"]


def test_a_head_id_naming_nobody_is_refused_at_its_row() -> None:
    """``TPX`` names no staff row of any period: refused at row 1 of the units frame, column
    ``head_id``, value ``TPX`` — before, TP escaped the head cap (HTT for the year instead
    of HT) and CV fell under GD."""
    with pytest.raises(InputError) as info:
        evalkit.classify_frame(months(["2026-03"]), units("TPX"))
    assert [(p.row, p.unit_id, p.column, p.value) for p in info.value.problems] == [
        (1, "P", "head_id", "TPX")]
    assert "unit 'P' has unknown head 'TPX'" in info.value.problems[0].message


def test_every_problem_comes_at_once() -> None:
    """Two units with rows naming nobody and a bad count: three problems, in the units
    frame's order, each at its row and column with its value; with a staff frame's bad cell
    after them."""
    sm = months(["2026-03"]).astype({"so_luong": object})
    sm.loc[2, ["so_luong", "unit_id"]] = ["abc", "Q"]  # CV in Q
    u = pd.DataFrame({"unit_id": ["S", "P", "Q"], "parent_id": [None, "S", "S"],
                      "head_id": ["G0", "TP", "NOBODY"], "tasks_done": [5, "x", 1]})
    with pytest.raises(InputError) as info:
        evalkit.classify_frame(sm, u)
    got = [(p.row, p.column, p.value) for p in info.value.problems]
    assert (0, "head_id", "G0") in got and (2, "head_id", "NOBODY") in got
    assert (1, "tasks_done", "x") in got and (2, "so_luong", "abc") in got
    assert got.index((0, "head_id", "G0")) < got.index((2, "head_id", "NOBODY"))


def test_a_unit_without_rows_caps_nobody_and_is_not_refused() -> None:
    """A unit with no row in the frame (the units alone; a unit of another staff group):
    whoever its ``head_id`` names, nobody of the frame can escape the cap through it."""
    empty = pd.DataFrame(columns=["staff_id", "unit_id", "period"])
    _, u = evalkit.classify_frame(empty, units("TPX").assign(period="2026-03"))
    assert u["unit_id"].tolist() == ["S", "P"]
    sm = months(["2026-03"])
    staff, _ = evalkit.classify_frame(sm[sm["unit_id"] == "S"], units("TPX"))  # P: no rows
    assert staff["staff_id"].tolist() == ["GD"]


def test_a_head_absent_one_month_is_absent_not_unknown() -> None:
    """TP has rows in February but none in March: absent in March, as documented — CV is
    led by GD that month (the nearest head above), and TP stays P's head in February."""
    staff, _ = evalkit.classify_frame(months(["2026-02", "2026-03"], {"TP": {"2026-03"}}),
                                      units("TP"))  # fmt: skip
    by = staff.set_index(["period", "staff_id"])["effective_manager_id"]
    assert by[("2026-02", "CV")] == "TP" and by[("2026-03", "CV")] == "GD"


def test_known_staff_says_who_exists_without_a_row() -> None:
    """An organisation's member without a row (``known_staff``) is absent; ids compared as
    every door compares them (``' TP'``, ``7.0`` for ``'7'``)."""
    sm = months(["2026-03"], {"TP": {"2026-03"}})
    with pytest.raises(InputError):
        evalkit.classify_frame(sm, units("TP"))
    staff, _ = evalkit.classify_frame(sm, units("TP"), known_staff=[" TP"])
    assert staff.set_index("staff_id").loc["CV", "effective_manager_id"] == "GD"
    evalkit.classify_frame(sm.assign(staff_id=sm["staff_id"].replace("CV", "8")), units(7.0),
                           known_staff=[7])


def org(head: str = "H1") -> Organisation:
    return Organisation(units=[Unit("P1", "Phòng 1", head_id=head)],
                        positions=[Position("CV", "Chuyên viên")],
                        staff=[Staff(s, s, "CV", "P1") for s in ("H1", "A", "B")])  # fmt: skip


def test_the_objects_refuse_a_head_naming_nobody_and_take_an_absent_one() -> None:
    """The objects: ``Organisation`` refuses a head of nobody; a head who is a member
    without an assessment this month is absent (classify_organisation passes its members)."""
    with pytest.raises(UnknownReferenceError, match="unknown head 'HX'"):
        org("HX")
    got = classify_organisation(org(), [Assessment(s, "2026-03", competent_scores={
        **GENERAL, **TASKS}) for s in ("A", "B")], [])["P1"]  # H1 has no assessment
    assert {r.staff_id for r in got.staff} == {"A", "B"}


def book(tmp: Path, head: str, people: tuple[str, ...] = ("H1", "A", "B")) -> Path:
    return filled_workbook(tmp / "thang-03.xlsx",
                           [{"staff_id": s, "full_name": s, "position_id": "CV", "unit_id": "P1",
                             **GENERAL, **TASKS, **({"to_chuc_trien_khai": 100,
                                                     "tap_hop_doan_ket": 100} if s == "H1" else {})}
                            for s in people],
                           units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": head}])


def test_the_workbook_refuses_a_head_naming_nobody(tmp_path: Path) -> None:
    """``validate`` and ``classify`` name the units sheet's cell."""
    wb = book(tmp_path, "HX")
    for cmd in (("validate", str(wb)), ("classify", str(wb), "--out", str(tmp_path / "r.json"))):
        code, out, err = run(*cmd)
        assert code != 0 and "'HX'" in out + err and "head_id" in out + err, (cmd, out, err)


def test_the_workbook_with_the_organisation_takes_a_head_absent_from_the_sheet(
        tmp_path: Path) -> None:
    """H1 is in the organisation file but has no row this month: ``classify --org`` passes
    the organisation's members to the engine, so H1 is absent, not unknown."""
    write_json(tmp_path / "org.json", org())
    wb = book(tmp_path, "H1", ("A", "B"))
    code, out, err = run("classify", str(wb), "--org", str(tmp_path / "org.json"), "--out",
                         str(tmp_path / "r.json"))  # fmt: skip
    assert code == 0, (out, err)
    rows = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["data"]["rows"]
    assert sorted(r["staff_id"] for r in rows) == ["A", "B"]


def test_the_organisation_file_refuses_a_head_naming_nobody(tmp_path: Path) -> None:
    """``evalkit org`` names the units file's row, column and value."""
    for name, text in (("don-vi.csv", "unit_id,name,head_id\nP1,Phòng 1,HX\n"),
                       ("vi-tri.csv", "position_id,title\nCV,Chuyên viên\n"),
                       ("nhan-su.csv", "staff_id,full_name,unit_id,position_id\nH1,H,P1,CV\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = run("org", "--units", str(tmp_path / "don-vi.csv"), "--positions",
                         str(tmp_path / "vi-tri.csv"), "--staff", str(tmp_path / "nhan-su.csv"),
                         "--out", str(tmp_path / "o.json"))  # fmt: skip
    assert code != 0 and "'head_id'" in out + err and "'HX'" in out + err, (out, err)
