"""Who answers to whom: one rule (:mod:`evalkit._org`) behind three doors (issue 13).

The engine (:func:`evalkit.classify_frame`), the workbook's checks (``read_month``, so
``evalkit validate``) and :class:`evalkit.Organisation` follow the same effective manager
links — ``manager_id`` where typed, else the head of the person's unit, for that head the
head of the parent unit — and refuse the same loops.
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
from evalkit import Organisation, OrganisationError, Position, Staff, Unit
from evalkit._org import effective_managers, loops, manager_links
from evalkit.io.workbook import read_month
from evalkit.messages import located
from evalkit.model import rings
from evalkit.units import classify_frame
from tests._io_helpers import GENERAL, HEAD, TASKS, filled_workbook, person

P = "2026-03"


@st.composite
def link_lists(draw: st.DrawFn) -> list[int]:
    """Links row -> row (-1: none) over up to 30 rows: chains, trees and loops."""
    n = draw(st.integers(0, 30))
    return draw(st.lists(st.integers(-1, n - 1), min_size=n, max_size=n))


class TestLoops:
    """:func:`loops` is :func:`evalkit.model.rings` on integer rows, vectorised."""

    @given(link_lists())
    def test_the_loops_are_those_rings_finds_in_the_same_order_and_rotation(
        self, links: list[int]
    ) -> None:
        """Same loops, same order (first row leading into each), same first member."""
        parent = {str(i): (str(v) if v >= 0 else None) for i, v in enumerate(links)}
        got = [[str(i) for i in ring.tolist()] for ring in loops(np.array(links, np.int64))]
        assert got == rings(parent)

    def test_a_person_as_their_own_manager_is_a_loop_of_one(self) -> None:
        """A link to itself is a loop (the engine refuses it; the reader reports it)."""
        assert [r.tolist() for r in loops(np.array([-1, 1, 1]))] == [[1]]

    def test_no_rows_no_loops(self) -> None:
        """An empty organisation has no loop."""
        assert loops(np.zeros(0, np.int64)) == []


class TestEffectiveManagers:
    """The default links: the unit's head; for the head, the parent unit's head."""

    def test_a_typed_manager_wins_and_an_absent_one_falls_back_to_the_head(self) -> None:
        """``manager_id`` where typed and among the rows; one not among them (absent that
        period) gives the default link, the unit's head: the head leads the whole unit, so
        no one drops out of a leader's area (NĐ 335/2025 Điều 15). An unknown one (naming
        nobody) is refused before: tests/test_unknown_manager_af244.py."""
        units = pd.DataFrame({"unit_id": ["R", "U"], "parent_id": [None, "R"],
                              "head_id": ["D", "H"]})  # fmt: skip
        mgr, typed = manager_links(["D", "H", "M", "N"], ["R", "U", "U", "U"],
                                   [None, None, "D", "X"], units)  # fmt: skip
        assert mgr.tolist() == [-1, 0, 0, 1]
        assert typed.tolist() == [False, False, True, True]

    def test_a_head_without_a_parent_unit_has_none_and_an_absent_head_the_one_above(
        self
    ) -> None:
        """A root's head has no manager; a unit whose head is not among the rows is led
        by the head of the unit above (NĐ 335/2025 Điều 15 k3: the head of the parent
        unit leads the sub-unit too); a root unit without a head leaves its staff none."""
        assert effective_managers(np.array([0, 1, -1]), np.array([0, 5 - 6]),
                                  np.array([-1, 0])).tolist() == [-1, 0, -1]  # fmt: skip
        # two levels without a head below the root's head (row 0): both led by row 0
        assert effective_managers(np.array([0, 2, 1]), np.array([0, -1, -1]),
                                  np.array([-1, 0, 1])).tolist() == [-1, 0, 0]  # fmt: skip

    @given(st.data())
    def test_the_links_are_the_workbooks_former_rule(self, data: st.DataObject) -> None:
        """Against the workbook's former per-row walk (dicts of heads and parents), on
        organisations with distinct ids: the same link for every person — but a typed
        manager who is not among the rows ("X"), who now gives the default link, and a
        unit without a head among the rows, now led by the nearest head above it."""
        n_units = data.draw(st.integers(1, 5))
        n = data.draw(st.integers(1, 12))
        uids = [f"U{i}" for i in range(n_units)]
        sids = [f"S{i}" for i in range(n)]
        maybe_staff = st.one_of(st.none(), st.sampled_from([*sids, "X"]))
        unit_of = data.draw(st.lists(st.one_of(st.none(), st.sampled_from([*uids, "V"])),
                                     min_size=n, max_size=n))  # fmt: skip
        typed = data.draw(st.lists(maybe_staff, min_size=n, max_size=n))
        heads = data.draw(st.lists(maybe_staff, min_size=n_units, max_size=n_units))
        parents = data.draw(st.lists(st.one_of(st.none(), st.sampled_from(uids)),
                                     min_size=n_units, max_size=n_units))  # fmt: skip
        # a head not among the rows ("X") is absent: the unit is led from above
        head_of = {u: h for u, h in zip(uids, heads, strict=True) if h in sids}
        parent_of = {u: q for u, q in zip(uids, parents, strict=True) if q is not None}

        def lead(u: str | None) -> str | None:
            """The unit's head, else the nearest one above (the unit loop walked once)."""
            seen: set[str] = set()
            while u is not None and u not in seen and head_of.get(u) is None:
                seen.add(u)
                u = parent_of.get(u)
            return None if u is None else head_of.get(u)

        expected: list[Any] = []
        for sid, m, u in zip(sids, typed, unit_of, strict=True):
            if m is not None and m in sids:
                expected.append(m)
                continue
            head = lead(u)
            if head == sid:
                head = lead(parent_of.get(u))  # type: ignore[arg-type]
            expected.append(head if head != sid else None)
        units = pd.DataFrame({"unit_id": uids, "parent_id": parents, "head_id": heads},
                             dtype=object)  # fmt: skip
        mgr, _ = manager_links(sids, unit_of, typed, units)
        got = [sids[i] if i >= 0 else None for i in mgr.tolist()]
        assert got == [e if e in sids else None for e in expected]


# --------------------------------------------------------------------------- three doors

#: Organisations as (units, staff): unit (id, parent, head); staff (id, unit, manager_id).
Org = tuple[list[tuple[str, str | None, str | None]], list[tuple[str, str, str | None]]]

#: A loop of a typed link and a default one, and the loop each door names.
LOOPS: dict[str, tuple[Org, str]] = {
    # head H of U typed under M, a member of U whose manager is H (the unit's head)
    "head under their own staff": (([("U", None, "H")], [("H", "U", "M"), ("M", "U", None)]),
                                   "H -> M -> H"),
    # head D of R typed under H, head of U below R, whose manager is D (the parent's head)
    "head under a sub-unit's head": (
        ([("R", None, "D"), ("U", "R", "H")], [("D", "R", "H"), ("H", "U", None),
                                               ("M", "U", None)]),
        "D -> H -> D"),
}

#: The same organisations without a loop.
FINE: dict[str, Org] = {
    "member under the head": ([("U", None, "H")], [("H", "U", None), ("M", "U", "H")]),
    "head under the parent's head, typed": (
        [("R", None, "D"), ("U", "R", "H")], [("D", "R", None), ("H", "U", "D"),
                                              ("M", "U", None)]),
    "a member typed under another unit's member": (
        [("R", None, "D"), ("U", "R", "H")], [("D", "R", None), ("H", "U", None),
                                              ("M", "U", "N"), ("N", "R", None)]),
}


def _organisation(org: Org) -> Organisation:
    units, staff = org
    return Organisation([Unit(u, u, p, h) for u, p, h in units], [Position("CV", "Chuyên viên")],
                        [Staff(s, s, "CV", u, manager_id=m) for s, u, m in staff])  # fmt: skip


def _frames(org: Org) -> tuple[pd.DataFrame, pd.DataFrame]:
    units, staff = org
    heads = {h for _u, _p, h in units}  # a management post (Điều 15): đ, e typed
    sm = pd.DataFrame([{"staff_id": s, "unit_id": u, "manager_id": m, "period": P, **GENERAL,
                        **TASKS, **(HEAD if s in heads else {})} for s, u, m in staff])  # fmt: skip
    ut = pd.DataFrame(units, columns=["unit_id", "parent_id", "head_id"], dtype=object)
    return sm, ut.assign(tasks_assigned=10, tasks_done=10)


def _workbook(tmp_path: Path, org: Org) -> list[Any]:
    units, staff = org
    heads = {h for _u, _p, h in units}
    path = filled_workbook(tmp_path / "f.xlsx",
                           [person(s, u, manager_id=m, **(HEAD if s in heads else {}))
                            for s, u, m in staff],
                           units=[{"unit_id": u, "name": u, "parent_id": p, "head_id": h}
                                  for u, p, h in units])  # fmt: skip
    return read_month(path).problems


class TestThreeDoorsAgree:
    """Organisation, the workbook and the engine refuse the same loops and pass the same
    organisations."""

    @pytest.mark.parametrize("case", LOOPS)
    def test_the_organisation_refuses_a_loop_through_a_default_link(self, case: str) -> None:
        """Before, only loops of typed ``manager_id`` links were seen here: this
        organisation passed, then failed in the engine."""
        org, path = LOOPS[case]
        with pytest.raises(OrganisationError) as info:
            _organisation(org)
        assert str(info.value) == f"staff form a management cycle: {path}"

    @pytest.mark.parametrize("case", LOOPS)
    def test_the_workbook_names_the_same_loop_on_the_typed_row(
        self, case: str, tmp_path: Path
    ) -> None:
        """One problem, on the typed link's row, naming the same loop."""
        org, path = LOOPS[case]
        problems = _workbook(tmp_path, org)
        first = next(s for s, _u, m in org[1] if m is not None)
        row = 2 + [s for s, _u, _m in org[1]].index(first)
        assert [(p.row, p.column, p.staff_id) for p in problems] == [
            (row, "manager_id", first)]
        assert located(problems[0], "en").endswith(
            f"managers form a loop: {path.replace('->', '→')}")

    @pytest.mark.parametrize("case", LOOPS)
    def test_the_engine_names_the_same_loop(self, case: str) -> None:
        """classify_frame raises the Organisation's error, word for word."""
        org, path = LOOPS[case]
        with pytest.raises(OrganisationError) as info:
            classify_frame(*_frames(org), "vn.nd335-2025")
        assert str(info.value) == f"staff form a management cycle: {path}"

    @pytest.mark.parametrize("case", FINE)
    def test_an_organisation_without_a_loop_passes_every_door(
        self, case: str, tmp_path: Path
    ) -> None:
        """No error from the Organisation, no problem from the workbook, and the engine
        classifies it with those managers."""
        org = FINE[case]
        _organisation(org)
        assert _workbook(tmp_path, org) == []
        staff, _ = classify_frame(*_frames(org), "vn.nd335-2025")
        assert staff["staff_id"].notna().all()


class TestEngineNamesEachLoopOnce:
    """The engine lists every loop, each once however many periods repeat it."""

    def test_two_loops_over_two_periods_are_two_problems(self) -> None:
        org: Org = ([("U", None, "H"), ("V", None, "K")],
                    [("H", "U", "M"), ("M", "U", None), ("K", "V", "L"), ("L", "V", None)])
        sm, ut = _frames(org)
        sm = pd.concat([sm, sm.assign(period="2026-04")], ignore_index=True)
        with pytest.raises(OrganisationError) as info:
            classify_frame(sm, ut, "vn.nd335-2025")
        assert [str(p) for p in info.value.problems] == [
            "staff form a management cycle: H -> M -> H",
            "staff form a management cycle: K -> L -> K"]
        with pytest.raises(OrganisationError) as again:
            _organisation(org)
        assert [str(p) for p in again.value.problems] == [str(p) for p in info.value.problems]


def test_a_manager_id_that_differs_from_a_staff_id_only_by_case_is_refused() -> None:
    """Audit af21: CV (37 points) typed under manager 'pp' where the deputy is 'PP'. The
    frame door found no such manager and left CV under nobody, so the deputy PP, the head
    TP and the director GD each had d = 100 (100 points) where CV below 50 gives d = 50:
    (5 × 100 + 50) / 6 × 70 % + 30 = 94.17 (NĐ 335/2025/NĐ-CP Điều 15 k3). The workbook
    refuses the manager as not on the staff sheet; the frame now refuses the case twin."""
    from evalkit import InputError
    from evalkit.rules import get

    top = get("vn.nd335-2025").full_marks()
    lead = {**top, "to_chuc_trien_khai": 100, "tap_hop_doan_ket": 100, "manages_others": True}
    staff = pd.DataFrame([
        {"staff_id": "GD", "unit_id": "S", **lead},
        {"staff_id": "TP", "unit_id": "P", **lead, "manager_id": "GD"},
        {"staff_id": "PP", "unit_id": "P", **lead, "manager_id": "TP"},
        {"staff_id": "CV", "unit_id": "P", **top, "so_luong": 10, "chat_luong": 10,
         "tien_do": 10, "manager_id": "PP"}]).assign(period=P, category="cong_chuc")
    units = pd.DataFrame({"unit_id": ["S", "P"], "parent_id": [None, "S"], "head_id": ["GD", "TP"]})
    results, _ = classify_frame(staff, units)
    assert results.set_index("staff_id")["total"].to_dict() == {
        "GD": 94.17, "TP": 94.17, "PP": 94.17, "CV": 37.0}  # CV: 30 + 10 × 70 % = 37
    staff.loc[3, "manager_id"] = "pp"
    with pytest.raises(InputError) as info:
        classify_frame(staff, units)
    assert [(p.row, p.column, p.value) for p in info.value.problems] == [(3, "manager_id", "pp")]
    assert "'PP'" in str(info.value)


def test_a_manager_absent_from_the_period_leaves_the_person_in_the_heads_area() -> None:
    """CV's typed manager PP, a member (``known_staff``), has no row in March (absent; a slip
    naming nobody is refused: tests/test_unknown_manager_af244.py): CV falls under the head of
    the unit, so CV's 37 points (below the HT band, 50) reduce the head's d and the director's
    to 50 % (NĐ 335/2025 Điều 15: d is 100 % only when everyone under the leader's authority
    scores 50 or more); before, CV was under no one and every d above stayed 100 %."""
    rs = evalkit.rules.get("vn.nd335-2025")
    lead = {**rs.full_marks(), "to_chuc_trien_khai": 100, "tap_hop_doan_ket": 100,
            "manages_others": True}
    base = {"period": "2026-03", "category": "cong_chuc"}
    rows = pd.DataFrame([
        {**base, "staff_id": "GD", "unit_id": "S", **lead},
        {**base, "staff_id": "TP", "unit_id": "P", **lead, "manager_id": "GD"},
        {**base, "staff_id": "CV", "unit_id": "P", **rs.full_marks(), "so_luong": 10,
         "chat_luong": 10, "tien_do": 10, "manager_id": "PP"}])
    units = pd.DataFrame({"unit_id": ["S", "P"], "parent_id": [None, "S"],
                          "head_id": ["GD", "TP"]})
    staff, _ = classify_frame(rows, units, known_staff=["PP"])
    out = staff.set_index("staff_id")
    assert out.loc["CV", "total"] < 50
    assert out.loc["CV", "effective_manager_id"] == "TP"
    # 30 + (100 × 5 + 50) / 6 × 70 % = 94.17 for both leaders
    for leader in ("TP", "GD"):
        assert out.loc[leader, "mgmt_value"] == 50.0
        assert out.loc[leader, "total"] == pytest.approx(30 + (500 + 50) / 6 * 0.7, abs=0.006)
