"""A problem of the units frame names its unit, as a staff problem names its person
(issue 13, "One engine, one answer"; af52).

The units frame's problems named only the row: ``row 1, column 'tasks_done'``. Each now
carries the unit's id (:attr:`evalkit.InputProblem.unit_id`, said ``unit 'U2'`` /
``đơn vị 'U2'``), on every door: the frame, the workbook's Units sheet, the CLI. A head
id that is a member's id in another case is said with the other unit problems (one
raise, row order), and a ``score_grade`` fed back that is no grade is refused as a
``grade`` is.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.messages import located

sys.path.insert(0, str(Path(__file__).parent))
from _io_helpers import filled_workbook, person

RS = "hanoi.3814-2018"
TOP = evalkit.rules.get(RS).full_marks()
STAFF = pd.DataFrame([{"staff_id": s, "unit_id": u, "period": "2026-03", **TOP}
                      for s, u in (("H", "U1"), ("A", "U2"))])


def units(**cols: Any) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": ["U1", "U2"], "head_id": ["H", "A"],
                         "tasks_assigned": [10, 5], "tasks_done": [8, 3], **cols})


def problems_of(frame: pd.DataFrame) -> list[evalkit.InputProblem]:
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_frame(STAFF, frame, RS)
    return list(exc.value.problems)


def test_a_bad_cell_of_the_units_frame_names_its_unit() -> None:
    found = problems_of(units(tasks_done=[8, "x"], satisfaction=[120, None]))
    assert [(p.row, p.unit_id, p.column) for p in found] == [
        (0, "U1", "satisfaction"), (1, "U2", "tasks_done")]
    assert "row 1, unit 'U2', column 'tasks_done'" in str(found[1])
    assert "dòng 1, đơn vị 'U2', cột 'tasks_done'" in located(found[1], "vi")


def test_a_unit_period_given_twice_names_its_unit() -> None:
    frame = pd.concat([units(), units().iloc[[1]]], ignore_index=True)
    assert [(p.row, p.unit_id) for p in problems_of(frame)] == [(2, "U2")]


def test_a_head_in_another_case_is_said_with_the_other_unit_problems() -> None:
    found = problems_of(units(head_id=["H", "a"], tasks_done=["x", 3]))
    assert [(p.row, p.unit_id, p.column) for p in found] == [
        (0, "U1", "tasks_done"), (1, "U2", "head_id")]


def test_a_score_grade_fed_back_that_is_no_grade_is_refused() -> None:
    found = problems_of(units(score_grade=["HTT", "ZZZ"], grade=["HTT", "HTT"]))
    assert [(p.row, p.unit_id, p.column, p.value) for p in found] == [
        (1, "U2", "score_grade", "ZZZ")]


def test_a_good_score_grade_fed_back_passes() -> None:
    evalkit.classify_frame(STAFF, units(score_grade=["HTT", "Hoàn thành"]), RS)


def test_the_cli_names_the_unit_of_a_bad_units_sheet(tmp_path: Path) -> None:
    from evalkit.cli import main

    path = filled_workbook(tmp_path / "m.xlsx", [person("CC-1"), person("CC-2", unit="P2")],
                           units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": "CC-7",
                                   "tasks_assigned": 10, "tasks_done": "abc"},
                                  {"unit_id": "P2", "name": "Phòng 2", "tasks_assigned": 10,
                                   "tasks_done": 12}])
    for command in ("validate", "classify"):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err):
            main(["--lang", "en", command, str(path)], stdout=out)
        out = out.getvalue() + err.getvalue()
        assert "row 2, unit 'P1', column 'head_id'" in out, out
        assert "row 2, unit 'P1', column 'tasks_done'" in out, out
        assert "row 3, unit 'P2', column 'tasks_done'" in out, out
    out = io.StringIO()
    main(["--lang", "en", "validate", "--json", str(path)], stdout=out)
    assert [p["unit_id"] for p in json.loads(out.getvalue())["problems"]] == ["P1", "P1", "P2"]


def test_the_year_names_the_unit_of_a_bad_grade_fed_back() -> None:
    rs = "vn.nd335-2025"
    full = {**evalkit.rules.get(rs).full_marks(), "to_chuc_trien_khai": 100.0,
            "tap_hop_doan_ket": 100.0}
    sm = pd.DataFrame([{"staff_id": "H", "unit_id": "U1", "period": f"2026-{m:02d}",
                        "category": "cong_chuc", **full} for m in range(1, 13)])
    staff, unit = evalkit.classify_frame(sm, units().iloc[:1], rs)
    for column in ("grade", "score_grade"):
        bad = unit.assign(**{column: pd.Series(["ZZ"] + ["HTT"] * 11, dtype=object)})
        with pytest.raises(evalkit.InputError) as exc:
            evalkit.classify_year(staff, bad, rs)
        assert [(p.row, p.unit_id, p.column, p.value) for p in exc.value.problems] == [
            (0, "U1", column, "ZZ")]


def test_a_head_id_that_is_no_whole_number_names_its_unit() -> None:
    found = problems_of(units(head_id=["H", 7.5]))
    assert [(p.row, p.unit_id, p.column, p.value) for p in found] == [(1, "U2", "head_id", 7.5)]
