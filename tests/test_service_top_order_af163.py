"""Month and year find a public service unit's top in one order: after the unit-set fill
(af163; issue 13, "one engine, one answer").

NĐ 233/2026/NĐ-CP Điều 12 k6 b raises the HTXS share from 20 % to 25 % where the public
service unit (đơn vị sự nghiệp công lập, not a khoa: Điều 3 k2) is HTXS; evalkit reads it as
the topmost unit reached through units under the same rule set
(:func:`evalkit._classify.units.service_tops`). A unit nobody is in takes a set from the tree
(:func:`~evalkit._classify.units.inherited_sets`, af162). The month walked to the top on the
sets so filled in; the year walked before the fill, where a unit with no set joins either
side — so a khoa of viên chức under an empty unit under a Sở of công chức reached the Sở,
and the Sở's grade (under NĐ 335/2025) raised or kept the khoa's NĐ 233 quota for the year,
while the month used the khoa's own. Both now walk after the fill: never across two sets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit._classify.units import inherited_sets, service_tops
from evalkit.rules import RuleSet
from tests._archive_helpers import scores

ND335 = evalkit.rules.get("vn.nd335-2025")
MONTHS = [f"2026-{m:02d}" for m in range(7, 13)]  # six: the year is classified (Điều 14 k1)


def _agency(folder: Path) -> RuleSet:
    """NĐ 233/2026 as a hospital's own file that also classifies each month (a month quota:
    the agency practice of domain brief §4.1, a rule-set option)."""
    path = folder / "benh-vien.toml"
    path.write_text('extends = "vn.nd233-2026"\nid = "mau.benh-vien-2026"\n'
                    'classified = ["month", "year"]\n[quota]\nperiods = ["month", "year"]\n',
                    encoding="utf-8")  # fmt: skip
    return evalkit.rules.load(path)


def _month(per: str, vc: RuleSet, so_score: float, k_score: float
           ) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """The Sở SO (one công chức, NĐ 335/2025) → E (nobody in it, no set, not marked) → the
    khoa K (five viên chức under ``vc``: V1 in the HTXS band, four HTT)."""
    staff = pd.DataFrame(
        [{"staff_id": "G1", "full_name": "G1", "unit_id": "SO", "period": per,
          "category": "cong_chuc", "rule_set": ND335.id, **scores(ND335, 80)}]
        + [{"staff_id": f"V{i}", "full_name": f"V{i}", "unit_id": "K", "period": per,
            "category": "vien_chuc", "rule_set": vc.id, **scores(vc, 100 if i == 1 else 80)}
           for i in range(1, 6)])  # fmt: skip
    staff.attrs["rule_sets"] = {vc.id: vc}
    tasks = {"tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": 4}
    units = pd.DataFrame([
        {"unit_id": "SO", "parent_id": None, "period": per, "council_score": so_score, **tasks},
        {"unit_id": "E", "parent_id": "SO", "period": per},
        {"unit_id": "K", "parent_id": "E", "period": per, "council_score": k_score, **tasks}])
    return staff, units


@pytest.mark.parametrize(("so_score", "k_score", "v1"), [
    (80.0, 95.0, "HTXS"),  # the khoa HTXS, the Sở HTT: 25 % of 4 HTT keeps V1
    (95.0, 80.0, "HTT"),   # the Sở HTXS, the khoa HTT: 20 % of 4 HTT is 0, V1 demoted
])  # fmt: skip
def test_a_khoa_under_an_empty_unit_under_a_so_is_its_own_top_in_month_and_year(
        tmp_path: Path, so_score: float, k_score: float, v1: str) -> None:  # fmt: skip
    """Each month's quota (the hospital's file classifies months) and the year's — the
    year given the months' unit results with E's rows naming no set (a unit-year table
    typed without ``rule_set``) — keep or demote V1 alike: on the khoa's own grade, not the
    Sở's (E is graded under the Sở's set, NĐ 335/2025, as its parent counts it)."""
    vc = _agency(tmp_path)
    months, units = [], []
    for per in MONTHS:
        res, ut = evalkit.classify_frame(*_month(per, vc, so_score, k_score))
        assert ut.set_index("unit_id")["rule_set"].astype(str).to_dict() == {
            "SO": ND335.id, "E": ND335.id, "K": vc.id}
        assert str(res.set_index("staff_id").loc["V1", "grade"]) == v1, per
        months.append(res)
        units.append(ut)
    year_units = pd.concat(units, ignore_index=True)
    year_units["rule_set"] = year_units["rule_set"].astype(object).where(
        year_units["unit_id"] != "E", None)
    results = pd.concat(months, ignore_index=True)
    results.attrs["rule_sets"] = {vc.id: vc}
    for given_units in (year_units, pd.concat(units, ignore_index=True)):
        year = evalkit.classify_year(results, given_units).set_index("staff_id")
        assert str(year.loc["V1", "grade"]) == v1
        assert ("quota.demoted" in str(year.loc["V1", "reasons"])) == (v1 == "HTT")


@st.composite
def _trees(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    n = draw(st.integers(1, 12))
    parent = np.array([draw(st.integers(-1, i - 1)) for i in range(n)], dtype=np.int64)
    k = draw(st.integers(1, 3))
    rcode = np.array(draw(st.lists(st.integers(-1, k - 1), min_size=n, max_size=n)), np.int64)
    marked = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    return parent, rcode, marked, k


@given(_trees())
def test_the_walk_to_the_top_never_crosses_two_sets(tree: tuple[Any, ...]) -> None:
    """On any tree, set codes (-1: nobody in the unit, no set on its row) and marks: each
    unit's top is graded under the unit's own set after the fill; where every unit has a
    set, the top is the walk on those sets (nothing filled, nothing changed)."""
    parent, rcode, marked, k = tree
    sets = [evalkit.rules.get(i) for i in ("hanoi.3814-2018", "vn.nd233-2026",
                                           "vn.nd335-2025")[:k]]  # fmt: skip
    fill, top = inherited_sets(parent, rcode, marked, sets)
    assert (fill[top] == fill).all()  # (-1 left: a tree nobody is in, its top too)
    if (rcode >= 0).all():
        assert (fill == rcode).all()
        assert (top == service_tops(parent, rcode, marked)).all()
