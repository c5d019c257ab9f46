"""One answer to "which rule set grades a unit nobody is in" (issue 13), month = year.

A unit with nobody of its own and no ``category``/``rule_set`` on its row is graded under
its parent's set (walking up), and without one above under the set of the units it is the
public service unit of; a unit marked a public service unit takes its own units' set first
(NĐ 233/2026/NĐ-CP Điều 7: the levels of a *đơn vị sự nghiệp công lập*).
:func:`evalkit._classify.units.inherited_sets` is that rule, for the month
(``classify_frame``, the objects, the CLI) and the year. Before, the month fell back to the
công chức set (NĐ 335/2025) for such a unit whenever the units frame gave no category — the
objects always (``frames_from_objects`` gives units none), and the CLI for a month of
several group files (no one set for everyone). The objects' year lost the units' public
service unit marks too (``UnitClassification`` did not carry them), so its quota read
another top than ``classify_year``'s.

The tree of tests/test_year_unit_tree.py: a Sở ``SO`` (root, nobody) over a Trung tâm ``TT``
(marked a public service unit, nobody of its own) over three khoa of viên chức, July–December
2026 (NĐ 233 in force), every month each unit 10 of 10 tasks done; here TT exceeds none of
them (the others as there). TT's score is 100 × 10/10 = 100, but under NĐ 233 Điều 7 k1 a
HTXS needs at least 30 % of the tasks exceeded: 0 % → HTT (``unit.excellent_condition.
exceeded``); under NĐ 335's unit bands (no such condition) the same 100 is HTXS — the wrong
grade the objects gave TT every month.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.units
from evalkit.io.jsonio import to_json
from evalkit.rules import get
from evalkit.workflow import year_units
from tests.test_year_unit_tree import MONTHS, PEOPLE, UNITS, _marks, organisation

ND233, ND335 = "vn.nd233-2026", "vn.nd335-2025"
#: by hand (docstring): TT's set and grade, every month and the year
TT = (ND233, "HTT")
EXCEEDED = {u: 0 if u == "TT" else e for u, (_, e, _) in UNITS.items()}


def _staff() -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": s, "full_name": f"Người {s}", "unit_id": u, "period": p,
                          "category": "vien_chuc", **_marks(x)}
                         for p in MONTHS for s, (u, x) in PEOPLE.items()])  # fmt: skip


def _units(category: bool) -> pd.DataFrame:
    """The units' months, with ``category`` (viên chức, given) or without the column."""
    return pd.DataFrame([{"unit_id": u, "name": f"Đơn vị {u}", "parent_id": par, "period": p,
                          **({"category": "vien_chuc"} if category else {}),
                          "public_service_unit": "x" if psu else None, "tasks_assigned": 10,
                          "tasks_done": 10, "tasks_exceeded": EXCEEDED[u]}
                         for p in MONTHS for u, (par, _, psu) in UNITS.items()])  # fmt: skip


def _tt(units: pd.DataFrame) -> set[tuple[str, str]]:
    """TT's (set, grade) on every row of a units result."""
    tt = units[units["unit_id"].astype(str) == "TT"]
    return set(zip(tt["rule_set"].astype(str), tt["grade"].astype(str), strict=True))


def _as(frame: pd.DataFrame, dtype: str) -> pd.DataFrame:
    cols = [c for c in ("unit_id", "parent_id", "public_service_unit", "category", "name")
            if c in frame.columns]  # fmt: skip
    return frame.astype(dict.fromkeys(cols, dtype))


def test_the_year_grades_tt_under_its_units_set() -> None:
    """The year, from the months classified with the category given: TT under NĐ 233, HTT.
    Unchanged by the fix (the year had this rule already)."""
    st_, ut = evalkit.classify_frame(_staff(), _units(category=True))
    assert _tt(ut) == {TT}
    units = year_units(evalkit.classify_year(st_, ut), ut).set_index("unit_id")
    assert (units.loc["TT", "rule_set"], str(units.loc["TT", "grade"])) == TT
    assert "unit.excellent_condition.exceeded" in units.loc["TT", "reasons"]


@pytest.mark.parametrize("dtype", ["object", "string", "string[pyarrow]", "category"])
def test_classify_frame_without_a_category_gives_the_years_set(dtype: str) -> None:
    """The units frame without ``category`` (any text dtype), or with it blank for TT and SO:
    TT every month under NĐ 233, HTT, as the year; before, NĐ 335, HTXS."""
    blank = _units(category=True)
    blank.loc[blank["unit_id"].isin(["SO", "TT"]), "category"] = None
    for units in (_units(category=False), blank):
        st_, ut = evalkit.classify_frame(_staff(), _as(units, dtype))
        assert _tt(ut) == {TT}
        year = year_units(evalkit.classify_year(st_, ut), ut).set_index("unit_id")
        assert (year.loc["TT", "rule_set"], str(year.loc["TT", "grade"])) == TT


def test_a_category_on_the_units_row_still_wins() -> None:
    """TT's row typed công chức: graded under NĐ 335 (its bands: 100 → HTXS), as given."""
    units = _units(category=False).assign(category=None)
    units.loc[units["unit_id"] == "TT", "category"] = "cong_chuc"
    _, ut = evalkit.classify_frame(_staff(), units)
    assert _tt(ut) == {(ND335, "HTXS")}


def test_the_objects_give_the_years_set_every_month_and_the_year() -> None:
    org = organisation()
    months = [evalkit.classify_organisation(org, [
        evalkit.Assessment(s, p, competent_scores=_marks(x)) for s, (_, x) in PEOPLE.items()], [
        evalkit.UnitInputs(u, p, tasks_assigned=10, tasks_done=10, tasks_exceeded=EXCEEDED[u])
        for u in UNITS]) for p in MONTHS]  # fmt: skip
    for month in months:
        tt = month["TT"].unit
        assert tt.grade is not None
        assert (tt.rule_set_id, tt.grade.code) == TT
    years = evalkit.units.classify_organisation_year(months)
    year = years["TT"].unit
    assert year.grade is not None and (year.rule_set_id, year.grade.code) == TT
    # the people's year as the frames': TT HTT, so the khoa's quota is 20 % (NĐ 233/2026
    # Điều 12 k6 a): 20 % × 4 = 0,8 → 0 — no X keeps HTXS
    frames = evalkit.classify_year(*evalkit.classify_frame(_staff(), _units(category=True)))
    want = frames.set_index("staff_id")["grade"].astype(str).to_dict()
    got = {s: years[u].result_of(s).grade
           for s, (u, _) in PEOPLE.items()}  # fmt: skip
    assert {s: g.code if g else None for s, g in got.items()} == want
    assert set(want.values()) == {"HTT"}


#: a Sở whose own office VP holds its công chức, beside the marked centre TT (nobody of its
#: own) over the khoa: TT's parent chain (SO) reaches only công chức, its own units viên chức
MIXED = {"SO": (None, False), "VP": ("SO", False), "TT": ("SO", True), "K1": ("TT", False),
         "K2": ("TT", False)}  # fmt: skip


def _mixed_org() -> evalkit.Organisation:
    staff = [evalkit.Staff(f"{u}{i}", f"Người {u}{i}", "VC" if u[0] == "K" else "CV", u,
                           category="vien_chuc" if u[0] == "K" else "cong_chuc")
             for u in ("VP", "K1", "K2") for i in range(1, 4)]  # fmt: skip
    return evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}", parent_id=p, public_service_unit=m)
               for u, (p, m) in MIXED.items()],
        staff=staff, positions=[evalkit.Position("VC", "Viên chức"),
                                evalkit.Position("CV", "Chuyên viên")])  # fmt: skip


def _mixed_rows() -> dict[str, pd.DataFrame]:
    """July 2026: VP's công chức (NĐ 335) and the khoa's viên chức (NĐ 233), full marks."""
    groups = {"cong_chuc": (("VP",), ND335), "vien_chuc": (("K1", "K2"), ND233)}
    return {cat: pd.DataFrame([
        {"staff_id": f"{u}{i}", "unit_id": u, "period": "2026-07", "category": cat,
         **get(rs).full_marks()} for u in units for i in range(1, 4)])
        for cat, (units, rs) in groups.items()}


def test_a_public_service_unit_nobody_is_in_takes_its_own_units_set(tmp_path: Path) -> None:
    """TT, marked, nobody of its own, under a Sở of công chức: NĐ 233 (its khoa's), by
    Điều 7 — the frame, the objects and the CLI (two files of one month, --org); before, the
    công chức set's fallback (NĐ 335) through every door."""
    org, rows = _mixed_org(), _mixed_rows()
    figures = {u: {"tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": 0 if u == "TT" else 3}
               for u in MIXED}  # fmt: skip
    units = pd.DataFrame([{"unit_id": u, "name": f"Đơn vị {u}", "parent_id": p, "period": "2026-07",
                           "public_service_unit": "x" if m else None, **figures[u]}
                          for u, (p, m) in MIXED.items()])  # fmt: skip
    st_, ut = evalkit.classify_frame(pd.concat(rows.values(), ignore_index=True), units)
    sets = ut.set_index("unit_id")["rule_set"].astype(str).to_dict()
    assert sets == {"SO": ND335, "VP": ND335, "TT": ND233, "K1": ND233, "K2": ND233}
    assert _tt(ut) == {TT}  # 0 % exceeded: HTT (Điều 7 k1 a)
    year = year_units(evalkit.classify_year(st_, ut), ut).set_index("unit_id")
    assert (year.loc["TT", "rule_set"], str(year.loc["TT", "grade"])) == TT
    out = evalkit.classify_organisation(org, [
        evalkit.Assessment(s, "2026-07", competent_scores=get(
            ND233 if s[0] == "K" else ND335).full_marks()) for s in (x.id for x in org.staff)],
        [evalkit.UnitInputs(u, "2026-07", **f) for u, f in figures.items()])  # fmt: skip
    assert {u: c.unit.rule_set_id for u, c in out.items()} == sets
    assert out["TT"].unit.grade is not None and out["TT"].unit.grade.code == "HTT"
    (tmp_path / "org.json").write_text(to_json(org), encoding="utf-8")
    files = []
    for cat, frame in rows.items():
        files.append(str(tmp_path / f"{cat}.csv"))
        frame.to_csv(files[-1], index=False)
    res = tmp_path / "r.json"
    done = subprocess.run([sys.executable, "-m", "evalkit", "classify", *files, "--org",
                           str(tmp_path / "org.json"), "--out", str(res)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    cli = json.loads(res.read_text(encoding="utf-8"))["data"]["units"]
    assert {u["unit_id"]: u["rule_set"] for u in cli} == sets


@given(tree=st.lists(st.tuples(st.integers(-1, 8), st.integers(-1, 1), st.booleans()),
                     min_size=1, max_size=9))
def test_a_given_set_is_kept_and_a_set_anywhere_in_the_tree_reaches_its_root(
        tree: list[tuple[int, int, bool]]) -> None:
    """Any forest (each row's parent an earlier row, or none), any sets and marks: a set
    given is kept; a unit left without one has none in its parent chain nor among the units
    it tops; a unit whose parent has a set and is not marked takes its parent's; a marked one
    the first set by id among the units it tops, where any has one."""
    from evalkit._classify.units import inherited_sets

    sets = [get(ND233), get(ND335)]
    parent = np.array([p if 0 <= p < i else -1 for i, (p, _, _) in enumerate(tree)])
    rcode = np.array([r for _, r, _ in tree])
    marked = np.array([m for _, _, m in tree])
    fill, top = inherited_sets(parent, rcode, marked, sets)
    assert (fill[rcode >= 0] == rcode[rcode >= 0]).all()
    for i in np.flatnonzero(fill < 0):
        chain, j = [], i
        while j >= 0:
            chain.append(j)
            j = parent[j]
        assert (rcode[chain] < 0).all() and (rcode[top == top[i]] < 0).all()
    for i in np.flatnonzero((rcode < 0) & ~marked & (parent >= 0)):
        if fill[parent[i]] >= 0 and rcode[parent[i]] >= 0:
            assert fill[i] == fill[parent[i]]
    for i in np.flatnonzero((rcode < 0) & marked):  # its own units' set, the first by id
        if (own := rcode[(top == i) & (rcode >= 0)]).size:
            assert sets[fill[i]].id == min(sets[c].id for c in own)
    if not ((rcode < 0) & marked).any():  # no marked unit nobody is in: the year as before
        assert (np.maximum(fill, 0) == _year_before(parent, rcode, marked, sets)).all()


def _year_before(parent: np.ndarray, rcode: np.ndarray, marked: np.ndarray,
                 sets: list[Any]) -> np.ndarray:
    """The year's fill as ``_unit_year`` wrote it before af162 (its parent's, then its
    top's units', then the first set), copied from that commit as the reference."""
    from evalkit._classify.units import service_tops

    depth = np.zeros(len(parent), dtype=np.int64)
    for i, p in enumerate(parent):  # (parents are earlier rows)
        depth[i] = depth[p] + 1 if p >= 0 else 0
    fill, by_id = rcode.copy(), np.argsort([rs.id for rs in sets], kind="stable")
    utop = service_tops(parent, rcode, marked)
    for _ in range(int(depth.max(initial=0))):
        fill = np.where(fill < 0, np.append(fill, -1)[parent], fill)
    np.minimum.at(sub := np.full(len(fill), len(sets)), utop,
                  np.append(np.argsort(by_id), len(sets))[fill])  # fmt: skip
    return np.where(fill < 0, np.append(by_id, 0)[sub[utop]], fill)


def test_the_two_group_workbooks_of_a_month_give_the_frames_set_and_grade(
        tmp_path: Path) -> None:
    """The same month as two workbooks (công chức, viên chức: `template` per group), their
    units sheet with TT marked and nobody in it, no category: `classify` gives TT NĐ 233,
    HTT (0 % exceeded, Điều 7 k1 a), as the frame; before, NĐ 335, HTXS."""
    import io

    from evalkit.cli import main
    from tests._io_helpers import filled_workbook

    units = [{"unit_id": u, "name": f"Đơn vị {u}", "parent_id": p,
              "public_service_unit": "x" if m else None, "tasks_assigned": 10, "tasks_done": 10,
              "tasks_exceeded": 0 if u == "TT" else 3} for u, (p, m) in MIXED.items()]
    books = [str(filled_workbook(
        tmp_path / f"{cat}.xlsx", [{**r, "full_name": f"Người {r['staff_id']}",
                                    "position_id": "CV"} for r in rows.drop(
            columns="period").to_dict("records")],
        period="2026-07", rules=ND335 if cat == "cong_chuc" else ND233, units=units))
        for cat, rows in _mixed_rows().items()]  # fmt: skip
    res = tmp_path / "r.json"
    code = main(["classify", *books, "--out", str(res)], stdout=io.StringIO())
    assert code == 0
    got = {u["unit_id"]: (u["rule_set"], u["grade"])
           for u in json.loads(res.read_text(encoding="utf-8"))["data"]["units"]}
    assert got["TT"] == TT
    _, ut = evalkit.classify_frame(pd.concat(_mixed_rows().values(), ignore_index=True),
                                   pd.DataFrame(units).assign(period="2026-07"))
    assert got == dict(zip(ut["unit_id"].astype(str), zip(
        ut["rule_set"].astype(str), ut["grade"].astype(str), strict=True), strict=True))
