"""A unit flag of NĐ 233/2026/NĐ-CP Điều 7 (``shortcomings_unremedied``, k1 c;
``personnel_wrongdoing``, k4 a) that the unit's rule set does not read is never ignored.

Only ``vn.nd233-2026`` and ``vn.qd366-2025`` (Điều 11 k1, k4) read them (``[units]
excellent_requires_shortcomings_remedied``, ``kht_personnel_wrongdoing``). Under another set (NĐ 335, NĐ 90, customs …) a unit with a
flag set used to be graded as if it were blank, without a word, and every template asked
for both columns. Now, as an evaluating body the set does not declare (``body_<id>``) is
refused, a flag set is an input problem naming the unit, the flag, its value, the period
and the rule set — the same sentence through the objects, ``classify_frame``, the workbook's
``validate`` and ``classify``, the year and the archive; a blank or false flag is fine; and
a template shows a flag's column only under a set that reads it, while a workbook that has
the column (an older template's) is still read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit.io.archive import Archive, finalize_problems
from evalkit.io.results import write_results
from evalkit.io.workbook import UNITS_SHEET, unit_columns, write_template
from evalkit.messages import sentence
from tests._cli_helpers import (
    fill_workbook,
    header_columns,
    older_template,
    one_each,
    run,
)

RS = evalkit.rules.get("vn.nd335-2025")
PERIOD = "2026-09"
FLAGS = ("shortcomings_unremedied", "personnel_wrongdoing")
#: unit → its flags as a person types them: A and B set one each, C's "không" is no flag
TYPED: dict[str, dict[str, Any]] = {"A": {"personnel_wrongdoing": "x"},
                                    "B": {"shortcomings_unremedied": "có"},
                                    "C": {"personnel_wrongdoing": "không"}}  # fmt: skip
#: what every door says: (unit, flag), each with the sentence below
WANT = [("A", "personnel_wrongdoing"), ("B", "shortcomings_unremedied")]
#: the presets that read each flag, as the sentence names them: NĐ 233/2026 Điều 7 k1 c, k4 a;
#: QĐ 366-QĐ/TW Điều 11 k4 (a collective's personnel wrongdoing)
READERS = {"shortcomings_unremedied": "vn.nd233-2026, vn.qd366-2025",  # QĐ 366 k1 (af176)
           "personnel_wrongdoing": "vn.nd233-2026, vn.qd366-2025"}


def _said(unit: str, flag: str, period: str = PERIOD) -> str:
    return (f"unit {unit} has {flag} set ({period}), which rule set {RS.id} does not read: the "
            "unit would be classified as if it were blank; clear it, or classify the unit "
            f"under a rule set that reads it ({READERS[flag]})")


def _problems(exc: pytest.ExceptionInfo[evalkit.InputError]) -> list[tuple[Any, ...]]:
    return [(p.unit_id, p.column, p.message) for p in exc.value.problems]


def _staff() -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                          "period": PERIOD, "category": "cong_chuc", **RS.full_marks()}
                         for u in TYPED])  # fmt: skip


def _units(**flags: Any) -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": u, "parent_id": None if u == "A" else "A",
                          "period": PERIOD, "tasks_assigned": 10, "tasks_done": 10,
                          **flags.get(u, {})} for u in TYPED])  # fmt: skip


@pytest.mark.parametrize("rule_set", [r.id for r in evalkit.rules.available()])
def test_a_template_asks_for_a_flag_only_under_a_set_that_reads_it(
        rule_set: str, tmp_path: Path) -> None:  # fmt: skip
    """The units sheet of ``template`` has ``shortcomings_unremedied`` and
    ``personnel_wrongdoing`` under ``vn.nd233-2026`` and ``vn.qd366-2025``,
    no other (the customs template lacks both); the reader still knows both columns under
    every set."""
    rs = evalkit.rules.get(rule_set)
    period = "2026-Q3" if rs.period == "quarter" else PERIOD
    path = write_template(tmp_path / "mau.xlsx", rs, period, force=True)
    shown = header_columns(openpyxl.load_workbook(path)[UNITS_SHEET])
    every = tuple(evalkit.rules.RuleSet.UNIT_FLAGS)
    assert tuple(f for f in every if f in shown) == rs.unit_flags_read()
    assert {f: rule_set in READERS[f].split(", ") for f in FLAGS} == {
        f: f in rs.unit_flags_read() for f in FLAGS}
    assert set(every) <= {c.id for c in unit_columns(rs)}


def refused_in_book(book: Path, org: Path, want: list[tuple[Any, ...]]) -> None:
    """``validate`` and ``classify`` of ``book`` each exit 1 with exactly ``want`` (unit,
    column, English sentence), at the units sheet's rows 2 and 3 where "x" and "có" were
    typed — the values as typed, not True (af150)."""
    for command in ("validate", "classify"):
        code, out, _err = run("--lang", "en", command, str(book), "--org", str(org), "--json")
        assert code == 1, out
        got = json.loads(out)["problems"]
        assert [(p["unit_id"], p["column"], p["message"]) for p in got] == want
        assert [(p["sheet"], p["row"], p["value"]) for p in got] == [
            (UNITS_SHEET, 2, "x"), (UNITS_SHEET, 3, "có")]


def test_every_door_refuses_a_flag_its_set_does_not_read(tmp_path: Path) -> None:
    """A NĐ 335 month (công chức; NĐ 335/2025 has no unit condition of Điều 7's kind): A
    flagged ``personnel_wrongdoing`` ("x"), B ``shortcomings_unremedied`` ("có"), C
    "không". The objects, ``classify_frame``, the workbook (an older template's columns
    typed as a person types them) through ``validate`` and ``classify``, the year and the
    archive's year each refuse A's and B's flag with the same sentence; with the flags
    cleared each door classifies."""
    org = evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}", parent_id=None if u == "A" else "A")
               for u in TYPED],
        staff=[evalkit.Staff(f"S{u}", f"Người {u}", "CV", u, category="cong_chuc")
               for u in TYPED],
        positions=[evalkit.Position("CV", "Chuyên viên")])  # fmt: skip
    said = [evalkit.Assessment(f"S{u}", PERIOD, competent_scores=RS.full_marks()) for u in TYPED]
    objects = [evalkit.UnitInputs(u, PERIOD, tasks_assigned=10, tasks_done=10,
                                  **{f: v in ("x", "có") for f, v in TYPED[u].items()})
               for u in TYPED]  # fmt: skip
    want = [(u, f, _said(u, f)) for u, f in WANT]

    # the objects: an organisation, and one unit of it
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_organisation(org, said, objects)
    assert _problems(exc) == want
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_unit(org, "B", said, objects)
    assert _problems(exc) == want
    # the frame, its values as typed
    staff = _staff()
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_frame(staff, _units(**TYPED))
    assert _problems(exc) == want
    assert [p.value for p in exc.value.problems] == ["x", "có"]
    assert [p.row for p in exc.value.problems] == [0, 1]

    # the workbook: NĐ 335's template has no flag column; an older one had both
    org_path = one_each(tmp_path, {u: None if u == "A" else "A" for u in TYPED}, "cong_chuc")
    headers = {c.id: c.header() for c in unit_columns(RS)}
    tpl, book = older_template(tmp_path, RS.id, PERIOD, org_path, {f: headers[f] for f in FLAGS})

    def fill(flags: dict[str, dict[str, Any]]) -> None:
        fill_workbook(tpl, book, lambda s, row: {f"competent__{k}": v for k, v in
                                                 RS.full_marks().items()},
                      lambda u, row: {"tasks_assigned": 10, "tasks_done": 10,
                                      **flags.get(u, {})})  # fmt: skip

    fill(TYPED)
    refused_in_book(book, org_path, want)
    code, _out, err = run("validate", str(book), "--org", str(org_path))
    assert code == 1 and ("đơn vị A được đánh dấu personnel_wrongdoing (2026-09) nhưng bộ "
                          "tiêu chí vn.nd335-2025 không xét điều kiện này") in err
    fill({"C": TYPED["C"]})  # cleared: the same workbook, its columns kept, classifies
    assert run("validate", str(book), "--org", str(org_path))[0] == 0

    # the year: a flag on the year's row, or on a month of the unit results
    st_, ut = evalkit.classify_frame(staff, _units())
    year_row = pd.DataFrame([{"unit_id": "A", "period": "2026", "personnel_wrongdoing": "x"}])
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_year(st_, pd.concat([year_row, ut], ignore_index=True))
    assert _problems(exc) == [("A", "personnel_wrongdoing",
                               _said("A", "personnel_wrongdoing", "2026"))]
    flagged = ut.assign(personnel_wrongdoing=[True, False, False],
                        shortcomings_unremedied=[False, True, False])
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_year(st_, flagged)
    assert _problems(exc) == want
    assert len(evalkit.classify_year(st_, ut.assign(personnel_wrongdoing=False))) == 3

    # the archive: a month's unit inputs, and its unit results, refused at finalize (the
    # year's problem, found by the engine's one check: evalkit.units.unit_flag_problems)
    results = pd.concat([staff, st_[[c for c in st_.columns if c not in staff.columns]]],
                        axis=1)  # fmt: skip
    results.attrs["rule_set"] = RS.id
    clean = _units().drop(columns=["period"])
    assert finalize_problems(results, units=flagged, unit_inputs=clean) != []
    assert [(p.unit_id, p.column, p.message) for p in finalize_problems(
        results, units=flagged, unit_inputs=clean)] == want
    assert finalize_problems(results, units=ut, unit_inputs=clean) == []
    with Archive(tmp_path / "a.sqlite") as arc:
        with pytest.raises(evalkit.InputError) as exc:
            arc.finalize(results, by="TCCB", units=ut,
                         unit_inputs=_units(**TYPED).drop(columns=["period"]))
        assert _problems(exc) == want
        with pytest.raises(evalkit.InputError) as exc:
            arc.finalize(results, by="TCCB", units=flagged, unit_inputs=clean)
        assert _problems(exc) == want
        assert sentence(exc.value.problems[0]).startswith(
            "đơn vị A được đánh dấu personnel_wrongdoing (2026-09) nhưng bộ tiêu chí "
            "vn.nd335-2025 không xét điều kiện này")
        assert arc.months() == []  # nothing half-written
        # evalkit finalize: the results file carrying the flagged unit results, refused
        doc = results.copy()
        doc.attrs.update(units=flagged, unit_inputs=clean)
        write_results(doc, tmp_path / "ket-qua.json")
        code, _out, err = run("finalize", str(tmp_path / "ket-qua.json"), "--archive",
                              str(tmp_path / "b.sqlite"), "--by", "TCCB")  # fmt: skip
        assert code != 0 and err.count("nhưng bộ tiêu chí vn.nd335-2025 không xét") == 2, err
        assert ("đơn vị A được đánh dấu personnel_wrongdoing (2026-09) nhưng bộ tiêu chí "
                "vn.nd335-2025 không xét điều kiện này") in err
        # the year says the same of the unit results it is given
        arc.finalize(results, by="TCCB", units=ut, unit_inputs=clean)
        with pytest.raises(evalkit.InputError) as exc:
            evalkit.classify_year(arc.month(PERIOD), flagged)
        assert _problems(exc) == want


#: a flag set, as a person types it; and not set
YES: tuple[Any, ...] = (True, 1, "x", "có", "X")
NO: tuple[Any, ...] = (False, 0, "", "không", None)


@given(st.lists(st.tuples(st.sampled_from(YES + NO), st.sampled_from(YES + NO)),
                min_size=len(TYPED), max_size=len(TYPED)))  # fmt: skip
def test_exactly_the_flags_set_are_refused_and_blank_ones_change_nothing(
        drawn: list[tuple[Any, Any]]) -> None:  # fmt: skip
    """Under NĐ 335 each unit's two flags typed any way: the problems are exactly the cells
    set, in row order, each naming its unit, flag and value as typed; with none set the
    results are those of a units frame without the columns."""
    units = _units().assign(**{f: [d[j] for d in drawn] for j, f in enumerate(FLAGS)})
    want = [(u, f, _said(u, f)) for u, d in zip(TYPED, drawn, strict=True)
            for f, v in zip(FLAGS, d, strict=True) if v in YES]  # fmt: skip
    if not want:
        got = evalkit.classify_frame(_staff(), units)
        base = evalkit.classify_frame(_staff(), _units())
        pd.testing.assert_frame_equal(got[0], base[0])
        return
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_frame(_staff(), units)
    assert _problems(exc) == want
    assert [p.value for p in exc.value.problems] == [
        v for d in drawn for v in d if v in YES]
