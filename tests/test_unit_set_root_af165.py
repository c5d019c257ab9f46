"""A root unit nobody is in, with no set in its tree, is graded under one set, month = year
(issue 13).

NĐ 233/2026/NĐ-CP applies to the *đơn vị sự nghiệp công lập* and their constituent units
(Điều 2 k1 a–đ; Điều 7 its levels), not to the agency above them: a Sở (*cơ quan chuyên môn
thuộc Ủy ban nhân dân cấp tỉnh*) is the authority that recognises them (Điều 8 k5), and its
own people are công chức (NĐ 335/2025/NĐ-CP). So a unit that nothing else gives a set (nobody
in it, no ``rule_set`` or ``category`` on its rows, every unit below it a public service unit
of its own: :func:`evalkit._classify.units.inherited_sets` finds none) takes the set in force
for viên chức where it is itself marked a public service unit, else the set in force for
công chức — :func:`evalkit.scoring.unit_sets_in_force`, for the month and the year. Before,
the month always took the công chức set and the year its people's first set.

The tree of tests/test_year_unit_tree.py without ``category`` on the units' rows: a root
``SO`` over a Trung tâm ``TT`` (marked) over three khoa of viên chức, July–December 2026, every
unit 10 of 10 tasks done every month; the root exceeds none of them. Its score is
100 × 10/10 = 100: under NĐ 233 Điều 7 k1 a HTXS needs at least 30 % of the tasks exceeded,
0 % → HTT (``unit.excellent_condition.exceeded``); under NĐ 335's unit bands (no such
condition) 100 is HTXS.

* ``SO`` unmarked (a Sở): NĐ 335, HTXS, month and year; before, the year said NĐ 233, HTT.
* ``SO`` marked (a university over its member school ``TT``): NĐ 233, HTT, month and year;
  before, every month said NĐ 335, HTXS.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import evalkit
import evalkit.units
from evalkit.io.jsonio import to_json
from evalkit.rules import get
from evalkit.workflow import year_units
from tests.test_year_unit_tree import MONTHS, PEOPLE, UNITS, _marks

ND233, ND335 = "vn.nd233-2026", "vn.nd335-2025"
#: by hand (docstring): the root's (set, grade), unmarked and marked, every month and the year
WANT = {False: (ND335, "HTXS"), True: (ND233, "HTT")}
EXCEEDED = {u: 0 if u == "SO" else e for u, (_, e, _) in UNITS.items()}


def _tree(marked: bool) -> dict[str, tuple[str | None, bool]]:
    return {u: (par, psu or (u == "SO" and marked)) for u, (par, _, psu) in UNITS.items()}


def _staff() -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": s, "full_name": f"Người {s}", "unit_id": u, "period": p,
                          "category": "vien_chuc", **_marks(x)}
                         for p in MONTHS for s, (u, x) in PEOPLE.items()])  # fmt: skip


def _units(marked: bool, dtype: str = "object") -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": u, "parent_id": par, "period": p,
                          "public_service_unit": "x" if psu else None, "tasks_assigned": 10,
                          "tasks_done": 10, "tasks_exceeded": EXCEEDED[u]}
                         for p in MONTHS for u, (par, psu) in _tree(marked).items()]
                        ).astype(dict.fromkeys(("unit_id", "parent_id", "public_service_unit"),
                                               dtype))  # fmt: skip


def _root(units: pd.DataFrame) -> set[tuple[str, str]]:
    so = units[units["unit_id"].astype(str) == "SO"]
    return set(zip(so["rule_set"].astype(str), so["grade"].astype(str), strict=True))


@pytest.mark.parametrize("marked", [False, True])
@pytest.mark.parametrize("dtype", ["object", "string[pyarrow]", "category"])
def test_the_frames_grade_the_root_under_one_set_every_month_and_the_year(
        marked: bool, dtype: str) -> None:
    """classify_frame's months and classify_year's units (year_units, from the months'
    results or from the units' inputs, which name no set): the root under the set in force
    for its kind of unit, the same grade."""
    st_, ut = evalkit.classify_frame(_staff(), _units(marked, dtype))
    assert _root(ut) == {WANT[marked]}
    for units in (ut, _units(marked, dtype).assign(score=100.0)):  # the months' results, or
        # the units' inputs with the score the months computed
        year = year_units(evalkit.classify_year(st_, units), units).set_index("unit_id")
        assert (year.loc["SO", "rule_set"], str(year.loc["SO", "grade"])) == WANT[marked]


@pytest.mark.parametrize("marked", [False, True])
def test_the_objects_grade_the_root_under_one_set_every_month_and_the_year(marked: bool) -> None:
    """classify_organisation each month and classify_organisation_year: as the frames."""
    org = evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}", parent_id=par, public_service_unit=psu)
               for u, (par, psu) in _tree(marked).items()],
        staff=[evalkit.Staff(s, f"Người {s}", "VC", u, category="vien_chuc")
               for s, (u, _) in PEOPLE.items()],
        positions=[evalkit.Position("VC", "Viên chức")])  # fmt: skip
    months = [evalkit.classify_organisation(org, [
        evalkit.Assessment(s, p, competent_scores=_marks(x)) for s, (_, x) in PEOPLE.items()], [
        evalkit.UnitInputs(u, p, tasks_assigned=10, tasks_done=10, tasks_exceeded=EXCEEDED[u])
        for u in UNITS]) for p in MONTHS]  # fmt: skip
    for month in months:
        so = month["SO"].unit
        assert so.grade is not None and (so.rule_set_id, so.grade.code) == WANT[marked]
    year = evalkit.units.classify_organisation_year(months)["SO"].unit
    assert year.grade is not None and (year.rule_set_id, year.grade.code) == WANT[marked]


@pytest.mark.parametrize("marked", [False, True])
def test_the_cli_gives_the_root_the_set_of_the_other_doors(tmp_path: Path, marked: bool) -> None:
    """``evalkit classify`` of July as two group files (the khoa's viên chức; the công chức
    of another root ``VP``, so that no one set is named for everyone) with ``--org`` (the
    units' marks): the root under the same set as the frames and the objects."""
    org = evalkit.Organisation(
        units=[*(evalkit.Unit(u, f"Đơn vị {u}", parent_id=par, public_service_unit=psu)
                 for u, (par, psu) in _tree(marked).items()), evalkit.Unit("VP", "Văn phòng")],
        staff=[*(evalkit.Staff(s, f"Người {s}", "VC", u, category="vien_chuc")
                 for s, (u, _) in PEOPLE.items()),
               *(evalkit.Staff(f"VP{i}", f"Người VP{i}", "CV", "VP") for i in range(1, 4))],
        positions=[evalkit.Position("VC", "Viên chức"),
                   evalkit.Position("CV", "Chuyên viên")])  # fmt: skip
    (tmp_path / "org.json").write_text(to_json(org), encoding="utf-8")
    staff = _staff()
    staff[staff["period"] == MONTHS[0]].to_csv(vc := tmp_path / "vc.csv", index=False)
    pd.DataFrame([{"staff_id": f"VP{i}", "unit_id": "VP", "period": MONTHS[0],
                   "category": "cong_chuc", **get(ND335).full_marks()} for i in range(1, 4)]
                 ).to_csv(cc := tmp_path / "cc.csv", index=False)  # fmt: skip
    res = tmp_path / "r.json"
    done = subprocess.run([sys.executable, "-m", "evalkit", "classify", str(vc), str(cc),
                           "--org", str(tmp_path / "org.json"), "--out", str(res)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    cli = {u["unit_id"]: u["rule_set"] for u in
           json.loads(res.read_text(encoding="utf-8"))["data"]["units"]}  # fmt: skip
    assert (cli["SO"], cli["TT"], cli["VP"]) == (WANT[marked][0], ND233, ND335)
