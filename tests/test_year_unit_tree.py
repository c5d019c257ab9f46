"""The year's unit tree: a units' year given without ``parent_id`` (or without
``public_service_unit``) keeps the months' tree; a tree given on the year wins.

NĐ 233/2026/NĐ-CP applies its unit levels and its quota to the year, the evaluated period
(Điều 15 k1): Điều 7 k1 b (no constituent unit KHT), k7 c ("dưới 05 đơn vị … trực thuộc thì
có tối đa 01 đơn vị được xếp loại 'Hoàn thành xuất sắc nhiệm vụ'"), k8 (the constituent
units likewise) and Điều 12 k6 b (25 % of those rated HTT where the *public service unit* is
recognised HTXS; 20 % otherwise, k6 a). Decree text read as in
tests/test_quota_public_service_unit.py.

A Sở ``SO`` (root) over a Trung tâm ``TT`` (a public service unit: ``public_service_unit``
x, viên chức) over three khoa ``K1``, ``K2``, ``K3``; months July–December 2026 (NĐ 233 in
force), every month the same figures (assigned, done, exceeded):

* SO, TT, K1, K2: (10, 10, 3) → 100 × 10/10 = 100, 100 % done, 30 % exceeded: k1 a met;
* K3: (10, 10, 0) → 100 but 0 % exceeded < 30 % (k1 a) → HTT;
* under TT, 3 sub-units (fewer than 5: k7 c) → at most one HTXS: K1 and K2 tie at 100, the
  lower id keeps it → K1 HTXS, K2 HTT (``unit.small_parent``);
* TT: no constituent unit KHT (k1 b) → HTXS; SO: one sub-unit, HTXS.

The year (the mean of six equal months, Σ done ÷ Σ assigned = 60/60, Σ exceeded 18/60 = 30 %)
grades the same: SO, TT, K1 HTXS; K2, K3 HTT.

Each khoa: four viên chức at x = 80 (30 + 0,7 × 80 = 86, HTT) and one X at 100 (HTXS). The
quota per khoa: the public service unit of every khoa is TT (HTXS) → 25 % × 4 = 1 → each X
keeps HTXS (k6 b). With the tree lost (each khoa its own top), K2X and K3X would be under
K2/K3 (HTT): 20 % × 4 = 0,8 → 0 → HTT (k6 a): the wrong answer the old archive door gave.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
import evalkit.units
from evalkit.io.archive import Archive
from evalkit.workflow import year_units
from tests._cli_helpers import ok

RS = evalkit.rules.get("vn.nd233-2026")
MONTHS = [f"2026-{m:02d}" for m in range(7, 13)]
#: unit → (parent, tasks exceeded of 10 done of 10, public service unit)
UNITS: dict[str, tuple[str | None, int, bool]] = {
    "SO": (None, 3, False), "TT": ("SO", 3, True), "K1": ("TT", 3, False),
    "K2": ("TT", 3, False), "K3": ("TT", 0, False)}  # fmt: skip
#: by hand (docstring): the units' year
UNIT_YEAR = {"SO": "HTXS", "TT": "HTXS", "K1": "HTXS", "K2": "HTT", "K3": "HTT"}
PEOPLE = {f"{u}{s}": (u, 100 if s == "X" else 80)
          for u in ("K1", "K2", "K3") for s in ("S1", "S2", "S3", "S4", "X")}  # fmt: skip
#: by hand: (grade, quota percent, unit grade) of each X; everyone else HTT (86)
WANT = {"K1X": ("HTXS", 25.0, "HTXS"), "K2X": ("HTXS", 25.0, "HTT"),
        "K3X": ("HTXS", 25.0, "HTT")}  # fmt: skip


def _marks(x: int) -> dict[str, Any]:
    return {**RS.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), x)}


def _inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    staff = pd.DataFrame([{"staff_id": s, "full_name": f"Người {s}", "unit_id": u, "period": p,
                           "category": "vien_chuc", **_marks(x)}
                          for p in MONTHS for s, (u, x) in PEOPLE.items()])  # fmt: skip
    units = pd.DataFrame([{"unit_id": u, "name": f"Đơn vị {u}", "parent_id": par, "period": p,
                           "category": "vien_chuc", "public_service_unit": "x" if psu else None,
                           "tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": e}
                          for p in MONTHS for u, (par, e, psu) in UNITS.items()])  # fmt: skip
    return staff, units


@functools.cache
def _months() -> tuple[pd.DataFrame, pd.DataFrame]:
    return evalkit.classify_frame(*_inputs())


@pytest.fixture(scope="module")
def months() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The months classified (the month's tree: K2 HTT by k7 c, as the year)."""
    st_, ut = _months()
    july = ut[ut["period"] == "2026-07"].set_index("unit_id")
    assert july["grade"].astype(str).to_dict() == UNIT_YEAR
    assert "unit.small_parent" in july.loc["K2", "reasons"]
    return st_, ut


def _year_grades(**extra: dict[str, Any]) -> pd.DataFrame:
    """The units' grades for the year as a competent level gives them: no tree."""
    return pd.DataFrame([{"unit_id": u, "period": "2026", "grade": g, **extra.get(u, {})}
                         for u, g in UNIT_YEAR.items()])  # fmt: skip


def _got(year: pd.DataFrame, grade: str = "grade") -> dict[str, tuple[str, float, str]]:
    y = year.set_index("staff_id")
    for s in set(PEOPLE) - set(WANT):  # the base: 86, HTT
        assert str(y.loc[s, grade]) == "HTT", s
    return {s: (str(y.loc[s, grade]), float(y.loc[s, "quota_percent"]),
                str(y.loc[s, "unit_grade"])) for s in WANT}  # fmt: skip


def test_the_year_from_the_months_has_the_raised_quota_and_the_k7c_limit(
        months: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    st_, ut = months
    assert _got(evalkit.classify_year(st_, ut)) == WANT
    units = year_units(evalkit.classify_year(st_, ut), ut).set_index("unit_id")
    assert units["grade"].astype(str).to_dict() == UNIT_YEAR
    assert "unit.small_parent" in units.loc["K2", "reasons"]  # k7 c on the year


def test_a_year_given_without_the_tree_keeps_the_months_tree_read_from_csv(
        months: tuple[pd.DataFrame, pd.DataFrame], tmp_path: Path) -> None:
    """The months' unit results with the year's grades beside them, without parent_id and
    public_service_unit, all written to CSV and read back with pd.read_csv."""
    st_, ut = months
    st_.to_csv(tmp_path / "staff.csv", index=False)
    # (the months' marks are kept: only the year's rows lack them)
    both = pd.concat([ut, _year_grades()], ignore_index=True)
    both.to_csv(tmp_path / "units.csv", index=False)
    read = pd.read_csv(tmp_path / "units.csv")
    assert read.loc[read["period"] == "2026", ["parent_id", "public_service_unit"]].isna().all().all()
    year = evalkit.classify_year(pd.read_csv(tmp_path / "staff.csv"), read)
    assert _got(year) == WANT


def test_a_tree_given_on_the_year_wins(months: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """The year's rows say K2 is a public service unit of its own and K3 is under K2: K2X and
    K3X reach K2 (HTT, given) → 20 % × 4 = 0,8 → 0 → HTT (k6 a); K1X still reaches TT."""
    st_, ut = months
    year = _year_grades(K2={"public_service_unit": "x"}, K3={"parent_id": "K2"})
    got = _got(evalkit.classify_year(st_, pd.concat([ut, year], ignore_index=True)))
    assert got == {**WANT, "K2X": ("HTT", 20.0, "HTT"), "K3X": ("HTT", 20.0, "HTT")}


def organisation() -> evalkit.Organisation:
    """The tree of :data:`UNITS` with :data:`PEOPLE`, viên chức of one position."""
    return evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}", parent_id=par, public_service_unit=psu)
               for u, (par, _, psu) in UNITS.items()],
        staff=[evalkit.Staff(s, f"Người {s}", "VC", u, category="vien_chuc")
               for s, (u, _) in PEOPLE.items()],
        positions=[evalkit.Position("VC", "Viên chức")])  # fmt: skip


def test_the_objects_give_the_same_year() -> None:
    org = organisation()
    out = [evalkit.classify_organisation(org, [
        evalkit.Assessment(s, p, competent_scores=_marks(x)) for s, (_, x) in PEOPLE.items()], [
        evalkit.UnitInputs(u, p, tasks_assigned=10, tasks_done=10, tasks_exceeded=e)
        for u, (_, e, _) in UNITS.items()]) for p in MONTHS]  # fmt: skip
    year = evalkit.units.classify_organisation_year(out)
    assert {u: c.unit.grade.code for u, c in year.items() if c.unit.grade} == UNIT_YEAR
    got = {}
    for s, (u, _) in PEOPLE.items():
        r = year[u].result_of(s)
        assert r.grade is not None
        got[s] = r.grade.code
    assert {s: got[s] for s in WANT} == {s: w[0] for s, w in WANT.items()}


@pytest.fixture
def archive(months: tuple[pd.DataFrame, pd.DataFrame], tmp_path: Path) -> Path:
    st_, ut = months
    path = tmp_path / "luu-tru.sqlite"
    with Archive(path) as arc:
        for p in MONTHS:
            arc.finalize(st_[st_["period"] == p], by="TCCB", units=ut[ut["period"] == p])
    return path


def test_the_archive_annual_with_the_units_year_keeps_the_months_tree(archive: Path) -> None:
    """``annual(unit_year=...)`` (unit_id, grade: no tree) read the grades alone before: K2X
    and K3X were demoted at 20 % under their own khoa."""
    with Archive(archive) as arc:
        default = arc.annual(2026)
        given = arc.annual(2026, unit_year=_year_grades().drop(columns="period"))
    assert _got(default, "annual_grade") == WANT
    assert _got(given, "annual_grade") == WANT


@pytest.mark.slow
def test_the_command_line_annual_with_unit_grades_keeps_the_months_tree(
        archive: Path, tmp_path: Path) -> None:
    grades = tmp_path / "don-vi.csv"
    grades.write_text("unit_id,grade\n" + "".join(f"{u},{g}\n" for u, g in UNIT_YEAR.items()),
                      encoding="utf-8")
    out = tmp_path / "nam.csv"
    ok("annual", "--archive", str(archive), "--year", "2026", "--unit-grades", str(grades),
       "--out", str(out))
    assert _got(pd.read_csv(out, dtype={"staff_id": str}), "annual_grade") == WANT


@given(drop=st.lists(st.sampled_from(sorted(UNITS)), unique=True),
       column=st.booleans(), grades=st.lists(st.sampled_from(["HTXS", "HTT", "HT"]),
                                             min_size=len(UNITS), max_size=len(UNITS)))
def test_dropping_the_years_parent_id_never_changes_the_result(
        drop: list[str], column: bool, grades: list[str]) -> None:
    """The year's rows with the months' parent_id, or with it blank for some units (or the
    column absent): the same year, whatever the grades given."""
    st_, ut = _months()
    tree = {u: {"parent_id": par} for u, (par, _, _) in UNITS.items()}
    year = pd.DataFrame([{"unit_id": u, "period": "2026", "grade": g, **tree[u]}
                         for u, g in zip(UNITS, grades, strict=True)])  # fmt: skip
    cut = year.drop(columns="parent_id") if column else year.assign(parent_id=year[
        "parent_id"].where(~year["unit_id"].isin(drop), None))
    a, b = (evalkit.classify_year(st_, pd.concat([ut, y], ignore_index=True))
            for y in (year, cut))  # fmt: skip
    cols = ["staff_id", "grade", "unit_grade", "quota_percent", "reasons"]
    pd.testing.assert_frame_equal(a[cols], b[cols])

