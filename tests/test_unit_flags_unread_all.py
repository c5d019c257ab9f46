"""Every unit flag a rule set does not read is refused, never ignored (af150).

af146 refused NĐ 233/2026 Điều 7's two flags under a set that does not read them. The other
unit flags were still ignored without a word under such a set:

* ``late_work`` — read only where a deputy is capped at the head of a unit with late work
  (CV 21169/CHQ-TCCB, ``vn.customs-2026q``);
* ``disciplined``, ``leadership_disciplined`` — read only where a unit's HTXS needs nobody
  disciplined (QĐ 366-QĐ/TW Điều 11 k1, ``vn.qd366-2025``);
* ``exceptional`` — read only where the quota is raised for a unit the competent level
  recognises (``raised_when = "exceptional"``: NĐ 335/2025 Điều 20 k5 b, the customs quarter,
  Hà Nội QĐ 3814, QĐ 366-QĐ/TW Điều 11 k1 since af212); NĐ 233/2026 raises it from the public service unit's own grade (Điều 12
  k6 b), so a typed ``exceptional`` under it changes nothing.

Each is now refused with the one sentence ``foreign.unit.flag_unread`` through the objects,
``classify_frame``, the workbook's ``validate`` and ``classify`` (the value as typed, ``x``),
the year and the archive. ``leadership_disciplined`` is also written by the engine (a
disciplined head) in the unit results under any set: a results frame read back is not
refused for it. An evaluating body the set does not declare is said in Vietnamese too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.io.archive import Archive
from evalkit.io.workbook import unit_columns
from evalkit.messages import located, sentence
from tests._cli_helpers import (
    fill_workbook,
    older_template,
    one_each,
    run,
)
from tests.test_unit_flags_unread import refused_in_book

PERIOD = "2026-09"
#: flag → the set a unit is classified under that does not read it, and the sets that do
#: (the registry's order), each as the module docstring reasons
CASES: dict[str, tuple[str, str]] = {
    "late_work": ("vn.nd335-2025", "vn.customs-2026q"),
    "disciplined": ("vn.nd335-2025", "vn.qd366-2025"),
    "leadership_disciplined": ("vn.nd335-2025", "vn.qd366-2025"),
    "exceptional": ("vn.nd233-2026",
                    "hanoi.3814-2018, vn.customs-2026q, vn.nd335-2025, vn.qd366-2025"),
}
UNITS = ("A", "B", "C")
#: as a person types it: A "x", B "có" (set), C "không" (not set)
TYPED = {"A": "x", "B": "có", "C": "không"}


def _said(flag: str, unit: str, period: str = PERIOD) -> str:
    rules, readers = CASES[flag]
    if period == "2026":  # Hà Nội's raised share is the month's (QĐ 3814; af233)
        readers = readers.removeprefix("hanoi.3814-2018, ")
    return (f"unit {unit} has {flag} set ({period}), which rule set {rules} does not read: the "
            "unit would be classified as if it were blank; clear it, or classify the unit "
            f"under a rule set that reads it ({readers})")


def _problems(exc: pytest.ExceptionInfo[evalkit.InputError]) -> list[tuple[Any, ...]]:
    return [(p.unit_id, p.column, p.message) for p in exc.value.problems]


def _category(rs: evalkit.rules.RuleSet) -> str:
    return sorted(c.value for c in rs.categories)[0]


def _staff(rs: evalkit.rules.RuleSet) -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                          "period": PERIOD, "category": _category(rs), **rs.full_marks()}
                         for u in UNITS])  # fmt: skip


def _units(flag: str | None = None, values: dict[str, Any] | None = None) -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": u, "parent_id": None if u == "A" else "A",
                          "period": PERIOD, "tasks_assigned": 10, "tasks_done": 10,
                          **({flag: (values or {}).get(u)} if flag else {})}
                         for u in UNITS])  # fmt: skip


@pytest.mark.parametrize("flag", list(CASES))
def test_every_door_refuses_a_unit_flag_its_set_does_not_read(flag: str, tmp_path: Path) -> None:
    rs = evalkit.rules.get(CASES[flag][0])
    assert flag not in rs.unit_flags_read()
    want = [(u, flag, _said(flag, u)) for u in ("A", "B")]
    cat = _category(rs)

    # the objects
    org = evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}", parent_id=None if u == "A" else "A")
               for u in UNITS],
        staff=[evalkit.Staff(f"S{u}", f"Người {u}", "CV", u, category=cat) for u in UNITS],
        positions=[evalkit.Position("CV", "Chuyên viên")])  # fmt: skip
    said = [evalkit.Assessment(f"S{u}", PERIOD, competent_scores=rs.full_marks()) for u in UNITS]
    objects = [evalkit.UnitInputs(u, PERIOD, tasks_assigned=10, tasks_done=10,
                                  **{flag: TYPED[u] != "không"}) for u in UNITS]  # fmt: skip
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_organisation(org, said, objects)
    assert _problems(exc) == want

    # the frame, its values as typed
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_frame(_staff(rs), _units(flag, TYPED))
    assert _problems(exc) == want
    assert [(p.row, p.value) for p in exc.value.problems] == [(0, "x"), (1, "có")]
    # not set: the same as without the column
    st_, ut = evalkit.classify_frame(_staff(rs), _units(flag, dict.fromkeys(UNITS, "không")))
    pd.testing.assert_frame_equal(st_, evalkit.classify_frame(_staff(rs), _units())[0])

    # the workbook: the template lacks the column (the set does not read it); an older one
    # had it, typed "x" and "có"
    org_path = one_each(tmp_path, {u: None if u == "A" else "A" for u in UNITS}, cat)
    tpl, book = older_template(tmp_path, rs.id, PERIOD, org_path,
                               {flag: {c.id: c.header() for c in unit_columns(rs)}[flag]})
    fill_workbook(tpl, book, lambda s, row: {f"competent__{k}": v for k, v in
                                             rs.full_marks().items()},
                  lambda u, row: {"tasks_assigned": 10, "tasks_done": 10, flag: TYPED[u]})
    refused_in_book(book, org_path, want)
    code, _out, err = run("validate", str(book), "--org", str(org_path))
    assert code == 1
    assert (f"đơn vị A được đánh dấu {flag} (2026-09) nhưng bộ tiêu chí {rs.id} không xét "
            "điều kiện này") in err

    # the year: the flag typed on the year's row (a row the engine did not write)
    year_row = pd.DataFrame([{"unit_id": "A", "period": "2026", flag: "x"}])
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_year(st_, pd.concat([year_row, ut], ignore_index=True))
    assert _problems(exc) == [("A", flag, _said(flag, "A", "2026"))]
    flagged = ut.assign(**{flag: [True, True, False]})
    if flag != "leadership_disciplined":  # the engine writes it: a results row keeps it
        with pytest.raises(evalkit.InputError) as exc:
            evalkit.classify_year(st_, flagged)
        assert _problems(exc) == want

    # the archive: a month's unit inputs refused at finalize, its unit results at the year
    results = pd.concat([_staff(rs), st_[[c for c in st_.columns if c not in _staff(rs)]]],
                        axis=1)  # fmt: skip
    results.attrs["rule_set"] = rs.id
    with Archive(tmp_path / "a.sqlite") as arc:
        with pytest.raises(evalkit.InputError) as exc:
            arc.finalize(results, by="TCCB", units=ut,
                         unit_inputs=_units(flag, TYPED).drop(columns=["period"]))
        assert _problems(exc) == want
        assert sentence(exc.value.problems[0]).startswith(
            f"đơn vị A được đánh dấu {flag} (2026-09) nhưng bộ tiêu chí {rs.id} không xét "
            "điều kiện này")
        if flag != "leadership_disciplined":  # the month's unit results: refused at finalize
            with pytest.raises(evalkit.InputError) as exc:  # as the year refuses them (af159)
                arc.finalize(results, by="TCCB", units=flagged)
            assert _problems(exc) == want
            assert not arc.months()  # nothing archived


def test_the_leadership_disciplined_the_engine_writes_is_read_back_under_any_set(
        tmp_path: Path) -> None:  # fmt: skip
    """NĐ 335 (no unit condition on discipline): unit A's head disciplined (a reprimand).
    The month writes ``leadership_disciplined`` True for A in its unit results (the year
    reads it where a set needs it); those results read back by the year, and through the
    archive, are classified, not refused — while the same True typed on the year's row is."""
    rs = evalkit.rules.get("vn.nd335-2025")
    staff = _staff(rs).assign(discipline=["reprimand", None, None],
                              **rs.full_marks(manages_others=True))  # heads: a post each
    units = _units().assign(head_id=["SA", "SB", "SC"])
    st_, ut = evalkit.classify_frame(staff, units)
    assert ut["leadership_disciplined"].tolist() == [True, False, False]
    year = evalkit.classify_year(st_, ut)
    assert len(year) == 3
    results = pd.concat([staff, st_[[c for c in st_.columns if c not in staff]]], axis=1)
    results.attrs["rule_set"] = rs.id
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(results, by="TCCB", units=ut, unit_inputs=units.drop(columns=["period"]))
        assert len(arc.annual(2026)) == 3
    typed = ut.drop(columns=["classified"]).iloc[[0]].assign(period="2026")
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_year(st_, pd.concat([typed, ut], ignore_index=True))
    assert _problems(exc) == [("A", "leadership_disciplined",
                               _said("leadership_disciplined", "A", "2026"))]


def test_an_undeclared_evaluating_body_is_said_in_vietnamese() -> None:
    """The body sentence is the catalogue's (``foreign.unit.body_undeclared``): the frame
    says it in English, ``sentence`` and the command line's line in Vietnamese, with the
    close ids where there are some."""
    rs = evalkit.rules.get("vn.nd335-2025")
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_frame(_staff(rs), _units().assign(body_xyz=[70, None, None]))
    (p,) = exc.value.problems
    assert p.message == ("evaluating body 'xyz' is not declared by rule set 'vn.nd335-2025' "
                         "(declared: none)")
    assert sentence(p) == ("chủ thể đánh giá 'xyz' không có trong bộ tiêu chí 'vn.nd335-2025' "
                           "(các chủ thể đánh giá của bộ tiêu chí: không có)")
    english = ("evaluating body 'thanh_tra' is not declared by rule set 'thanhhoa.example' "
               "(declared: vanphong, thanhtra); did you mean 'thanhtra'?")
    assert sentence(evalkit.InputProblem(english)) == (
        "chủ thể đánh giá 'thanh_tra' không có trong bộ tiêu chí 'thanhhoa.example' (các chủ "
        "thể đánh giá của bộ tiêu chí: vanphong, thanhtra); có phải là 'thanhtra'?")
    # the line the command line prints for it (evalkit.cli: ``located(p, lang)``); no
    # preset declares a body, so no workbook of a preset reaches the engine with one
    assert located(p, "vi").endswith(
        "cột 'body_xyz': chủ thể đánh giá 'xyz' không có trong bộ tiêu chí 'vn.nd335-2025' "
        "(các chủ thể đánh giá của bộ tiêu chí: không có)")
