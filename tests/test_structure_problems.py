"""The unit tree's problems said with every other problem of the input (af54).

Before: :func:`evalkit.classify_frame` checked the cells of both frames, and only when they
passed read the unit tree, where the first structural problem raised alone — a units frame
with a cycle and a ``tasks_done`` of ``"abc"`` was refused for the cycle only, the bad cell
lost; a unit its own parent hid an unknown parent, one foreign head hid the next.

Now: structural problems (a unit its own parent, an unknown parent, a cycle, a head who is
a member of another unit) and cell problems come in one :class:`InputError`, the units
frame's rows first, each structural one an :class:`InputProblem` naming the row, unit,
column and value in today's words; structural problems alone still raise
:class:`OrganisationError` (or :class:`UnknownReferenceError`), with every one of them. The
workbook door (``evalkit validate``/``classify``) and the objects door
(:class:`evalkit.model.Organisation`) already said every problem: pinned here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit.cli import EXIT_INVALID_INPUT
from evalkit.errors import InputError, OrganisationError, UnknownReferenceError
from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET
from evalkit.model import Organisation, Unit
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

RS = evalkit.rules.get("vn.nd335-2025")
JUL, AUG = "2026-07", "2026-08"


def staff(periods: tuple[str, ...] = (JUL,), heads: tuple[str, ...] = ("A", "C"),
          bad: dict[int, Any] | None = None) -> pd.DataFrame:  # fmt: skip
    """A, B in U1 and C in U2 (heads scored as leaders); ``bad``: row → a bad
    ``ky_luat_ky_cuong``."""
    sm = pd.DataFrame([{"staff_id": s, "unit_id": u, "period": p, "category": "cong_chuc",
                        **RS.full_marks(s in heads)}
                       for p in periods for s, u in (("A", "U1"), ("B", "U1"), ("C", "U2"))])
    if bad:
        sm["ky_luat_ky_cuong"] = sm["ky_luat_ky_cuong"].astype(object)
        for row, value in bad.items():
            sm.loc[row, "ky_luat_ky_cuong"] = value
    return sm


def units(**cols: Any) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": ["U1", "U2"], **cols})


def located(exc: InputError) -> list[tuple[Any, ...]]:
    """(unit or staff, row, column, value, message) of every problem, in order."""
    return [(p.unit_id or p.staff_id, p.row, p.column, p.value, p.message) for p in exc.problems]


def refusal(sm: pd.DataFrame, ut: pd.DataFrame) -> Exception:
    with pytest.raises(evalkit.EvalkitError) as info:
        evalkit.classify_frame(sm, ut)
    return info.value


CYCLE = "units form a cycle: U1 -> U2 -> U1 (2026-07)"
BAD_CELL = ("U1", 0, "tasks_done", "abc", "is not a number")


class TestFrames:
    def test_the_valid_input_classifies(self) -> None:
        """The checks below refuse what is wrong, not the organisation itself."""
        out, _ = evalkit.classify_frame(staff(), units(parent_id=[None, "U1"], head_id=["A", "C"]))
        assert out["is_head"].tolist() == [True, False, True]

    def test_the_reproduction_a_cycle_and_a_bad_cell_are_both_listed(self) -> None:
        """The brief's script: before, only the cycle was raised and the cell was lost."""
        exc = refusal(staff(), units(parent_id=["U2", "U1"], head_id=["A", "C"],
                                     tasks_done=["abc", 3]))  # fmt: skip
        assert type(exc) is InputError
        assert located(exc) == [BAD_CELL, ("U1", 0, "parent_id", "U2", CYCLE)]

    def test_a_bad_staff_cell_is_listed_after_the_units_structure(self) -> None:
        exc = refusal(staff(bad={1: "abc"}), units(parent_id=["U2", "U1"], head_id=["A", "C"]))
        assert type(exc) is InputError
        assert located(exc) == [("U1", 0, "parent_id", "U2", CYCLE),
                                ("B", 1, "ky_luat_ky_cuong", "abc", "is not a number")]

    def test_every_kind_of_structural_problem_with_a_bad_cell(self) -> None:
        """U1 its own parent, U2 under an unknown ZZ, and U2's head A a member of U1."""
        exc = refusal(staff(heads=("A",), bad={2: "x"}),
                      units(parent_id=["U1", "ZZ"], head_id=["A", "A"]))
        assert type(exc) is InputError
        assert located(exc) == [
            ("U1", 0, "parent_id", "U1", "unit 'U1' cannot be its own parent"),
            ("U2", 1, "parent_id", "ZZ", "unit 'U2' has unknown parent unit 'ZZ' (2026-07)"),
            ("U2", 1, "head_id", "A",
             "head 'A' of unit 'U2' is a member of unit 'U1', not of 'U2' (2026-07)"),
            ("C", 2, "ky_luat_ky_cuong", "x", "is not a number")]
        # the rows are the units frame's labels: a text index is named as such
        exc = refusal(staff(bad={2: "x"}), units(parent_id=["U1", "ZZ"], head_id=["A", "C"])
                      .set_axis(["first", "second"]))  # fmt: skip
        assert [(p.row, p.column) for p in exc.problems] == [
            ("first", "parent_id"), ("second", "parent_id"), (2, "ky_luat_ky_cuong")]

    def test_foreign_heads_alone_in_the_tree_with_a_bad_staff_cell(self) -> None:
        """No cycle, no unknown parent: the heads named in another unit are found with the
        engine's rows, and the cell scoring refuses is still said with them."""
        exc = refusal(staff(bad={1: "abc"}), units(head_id=["C", "A"]))
        assert type(exc) is InputError
        assert located(exc) == [
            ("U1", 0, "head_id", "C",
             "head 'C' of unit 'U1' is a member of unit 'U2', not of 'U1' (2026-07)"),
            ("U2", 1, "head_id", "A",
             "head 'A' of unit 'U2' is a member of unit 'U1', not of 'U2' (2026-07)"),
            ("B", 1, "ky_luat_ky_cuong", "abc", "is not a number")]
        exc = refusal(staff(), units(head_id=["C", "A"], tasks_done=[2, "x"]))
        assert [(p.row, p.column) for p in exc.problems] == [
            (0, "head_id"), (1, "tasks_done"), (1, "head_id")]  # a row's cells, then its tree

    def test_a_unit_twice_comes_with_the_cycle_and_the_staff_cells(self) -> None:
        """A duplicate unit was raised alone too (before the cells of the staff frame)."""
        ut = pd.DataFrame({"unit_id": ["U1", "U2", "U2"], "parent_id": ["U2", "U1", None],
                           "head_id": ["A", "C", None]})  # fmt: skip
        exc = refusal(staff(bad={1: "abc"}), ut)
        assert [(p.row, p.column) for p in exc.problems] == [
            (0, "parent_id"), (2, "unit_id"), (1, "ky_luat_ky_cuong")]
        assert "appears more than once" in exc.problems[1].message


class TestStructureAlone:
    """Structural problems alone: OrganisationError, every one, as Organisation says them."""

    def test_one_cycle_is_the_error_itself(self) -> None:
        exc = refusal(staff(), units(parent_id=["U2", "U1"], head_id=["A", "C"]))
        assert type(exc) is OrganisationError
        assert str(exc) == CYCLE

    def test_two_cycles_in_two_periods_are_both_named(self) -> None:
        """U1 <-> U2 in July; U3 <-> U4 in August (a units frame with periods)."""
        ut = pd.DataFrame({
            "unit_id": ["U1", "U2", "U1", "U2", "U3", "U4"],
            "period": [JUL, JUL, AUG, AUG, AUG, AUG],
            "parent_id": ["U2", "U1", None, "U1", "U4", "U3"],
            "head_id": ["A", "C", "A", "C", None, None]})  # fmt: skip
        exc = refusal(staff((JUL, AUG)), ut)
        assert isinstance(exc, OrganisationError)
        assert [str(p) for p in exc.problems] == [
            CYCLE, "units form a cycle: U3 -> U4 -> U3 (2026-08)"]
        assert str(exc).splitlines()[0] == "2 problems in the organisation:"

    def test_a_cycle_repeated_in_every_period_is_named_once(self) -> None:
        exc = refusal(staff((JUL, AUG)), units(parent_id=["U2", "U1"], head_id=["A", "C"]))
        assert type(exc) is OrganisationError and str(exc) == CYCLE

    def test_a_cycle_and_a_self_parent_are_both_named(self) -> None:
        ut = pd.DataFrame({"unit_id": ["U1", "U2", "U3", "U4"],
                           "parent_id": ["U2", "U1", "U3", None], "head_id": ["A", "C", None, None]})
        exc = refusal(staff(), ut)
        assert isinstance(exc, OrganisationError)
        assert [str(p) for p in exc.problems] == [CYCLE, "unit 'U3' cannot be its own parent"]

    def test_an_unknown_parent_among_them_is_caught_either_way(self) -> None:
        ut = pd.DataFrame({"unit_id": ["U1", "U2", "U3"], "parent_id": ["U2", "U1", "ZZ"],
                           "head_id": ["A", "C", None]})  # fmt: skip
        exc = refusal(staff(), ut)
        assert isinstance(exc, OrganisationError) and isinstance(exc, UnknownReferenceError)
        assert [str(p) for p in exc.problems] == [
            CYCLE, "unit 'U3' has unknown parent unit 'ZZ' (2026-07)"]
        assert isinstance(exc.problems[1], UnknownReferenceError)

    def test_every_foreign_head_is_named(self) -> None:
        """A heads U2 but is in U1, C heads U1 but is in U2: both (their management
        scores are not said to be wrong: whether they lead is what the units' problem says)."""
        exc = refusal(staff(), units(head_id=["C", "A"]))
        assert isinstance(exc, OrganisationError)
        assert [str(p) for p in exc.problems] == [
            "head 'C' of unit 'U1' is a member of unit 'U2', not of 'U1' (2026-07)",
            "head 'A' of unit 'U2' is a member of unit 'U1', not of 'U2' (2026-07)"]


# --------------------------------------------------------------------------- property


def _rings(links: list[int | None]) -> list[set[int]]:
    """Every loop of parent links (unit index -> parent index), as sets, by walking."""
    out: list[set[int]] = []
    for start in range(len(links)):
        seen: list[int] = []
        cur: int | None = start
        while cur is not None and cur not in seen:
            seen.append(cur)
            cur = links[cur]
        if cur is not None:
            ring = set(seen[seen.index(cur):])
            if ring not in out:
                out.append(ring)
    return out


@settings(deadline=None, max_examples=40)
@given(data=st.data())
def test_random_links_with_a_bad_cell_name_the_cell_and_every_cycle(data: st.DataObject) -> None:
    """Random parent links and heads among n units (person S<i> is in U<i>) and a bad cell
    in a random frame: the error names the bad cell, every cycle of the links (a
    self-parent in its own words), every head named in another unit than theirs, and
    nothing else of the tree; without the bad cell, an input with any of these is an
    OrganisationError naming the same ones."""
    n = data.draw(st.integers(1, 6), label="units")
    links: list[int | None] = [data.draw(st.one_of(st.none(), st.integers(0, n - 1)),
                                         label=f"parent of U{i}") for i in range(n)]  # fmt: skip
    heads: list[int | None] = [data.draw(st.one_of(st.none(), st.integers(0, n - 1)),
                                         label=f"head of U{i}") for i in range(n)]  # fmt: skip
    ids, who = [f"U{i}" for i in range(n)], [f"S{i}" for i in range(n)]
    ut = pd.DataFrame({"unit_id": ids, "parent_id": [None if p is None else ids[p] for p in links],
                       "head_id": [None if h is None else who[h] for h in heads],
                       "tasks_assigned": [5] * n, "tasks_done": [3] * n})
    sm = pd.DataFrame([{"staff_id": who[i], "unit_id": ids[i], "period": JUL,
                        "category": "cong_chuc", **RS.full_marks(heads[i] == i)}
                       for i in range(n)])  # fmt: skip
    rings = _rings(links)
    foreign = {(ids[u], who[h]) for u, h in enumerate(heads) if h is not None and h != u}
    note(f"links {links}, rings {rings}, heads {heads}")

    def tree_problems(messages: list[str]) -> list[Any]:
        found: list[Any] = []
        for m in messages:
            if m.startswith("units form a cycle: "):
                found.append(sorted(set(m.removeprefix("units form a cycle: ").split(" (")[0]
                                        .split(" -> "))))  # fmt: skip
            elif m.endswith("cannot be its own parent"):
                found.append([m.split("'")[1]])
            elif m.startswith("head "):
                found.append(("head", m.split("'")[3], m.split("'")[1]))
        return sorted(found, key=str)

    expected = sorted([sorted(ids[i] for i in r) for r in rings]
                      + [("head", u, h) for u, h in foreign], key=str)  # fmt: skip
    if expected:  # structure alone
        with pytest.raises(OrganisationError) as info:
            evalkit.classify_frame(sm, ut)
        assert tree_problems([str(p) for p in info.value.problems]) == expected
    else:
        evalkit.classify_frame(sm, ut)
    in_units = data.draw(st.booleans(), label="bad cell in the units frame")
    row = data.draw(st.integers(0, n - 1), label="bad row")
    if in_units:
        ut["tasks_done"] = ut["tasks_done"].astype(object)
        ut.loc[row, "tasks_done"] = "abc"
        cell = (ids[row], row, "tasks_done", "abc")
    else:
        sm["ky_luat_ky_cuong"] = sm["ky_luat_ky_cuong"].astype(object)
        sm.loc[row, "ky_luat_ky_cuong"] = "abc"
        cell = (who[row], row, "ky_luat_ky_cuong", "abc")
    with pytest.raises(InputError) as info2:
        evalkit.classify_frame(sm, ut)
    problems = info2.value.problems
    assert cell in [(p.unit_id or p.staff_id, p.row, p.column, p.value) for p in problems]
    assert tree_problems([p.message for p in problems]) == expected
    assert len(problems) == 1 + len(expected)  # nothing else
    for p in problems:
        if p.column in ("parent_id", "head_id"):  # each at its row: the unit it names
            assert p.unit_id == ids[int(p.row)] and p.value == ut[p.column].iloc[int(p.row)]
    # the units frame's problems before the staff frame's
    kinds = [p.unit_id is not None for p in problems]
    assert kinds == sorted(kinds, reverse=True)


# --------------------------------------------------------------------------- the other doors


def _book(tmp_path: Path, parent: str) -> Path:
    """P1 under ``parent``, P2 under P1; a bad score of CC-1 and a bad tasks_done of P1."""
    return filled_workbook(
        tmp_path / f"{parent}.xlsx",
        [person("CC-1", ky_luat_ky_cuong="abc"), person("CC-2", unit="P2")],
        units=[{"unit_id": "P1", "parent_id": parent, "tasks_done": "abc"},
               {"unit_id": "P2", "parent_id": "P1"}])  # fmt: skip


@pytest.mark.parametrize("command", ["validate", "classify"])
def test_the_workbook_door_reports_a_cycle_with_the_bad_cells(tmp_path: Path, command: str
                                                             ) -> None:  # fmt: skip
    path = _book(tmp_path, "P2")
    extra = ["--out", str(tmp_path / "out.json")] if command == "classify" else []
    code, out, err = run("--lang", "en", command, str(path), *extra)
    assert code == EXIT_INVALID_INPUT
    lines = [ln.strip() for ln in (out + err).splitlines() if ln.strip().startswith("- ")]
    assert lines == [
        f"- {path}, sheet {SCORES_SHEET!r}, row 2, staff 'CC-1', column "
        "'competent__ky_luat_ky_cuong', value 'abc': cell AZ2: is not a number",
        f"- {path}, sheet {UNITS_SHEET!r}, row 2, unit 'P1', column 'parent_id', value 'P2': "
        "units form a cycle: P1 → P2 → P1; a unit cannot be above itself",
        f"- {path}, sheet {UNITS_SHEET!r}, row 2, unit 'P1', column 'tasks_done', value 'abc': "
        "cell J2: is not a number"]
    assert not (tmp_path / "out.json").exists()


def test_the_workbook_door_reports_an_unknown_parent_with_the_bad_cells(tmp_path: Path) -> None:
    path = _book(tmp_path, "ZZ")
    code, out, err = run("--lang", "en", "validate", str(path))
    assert code == EXIT_INVALID_INPUT
    text = out + err
    assert (f"{path}, sheet {UNITS_SHEET!r}, row 2, unit 'P1', column 'parent_id', value 'ZZ': "
            "unknown parent unit") in text  # fmt: skip
    assert f"{path}, sheet {SCORES_SHEET!r}, row 2, staff 'CC-1'" in text
    assert "column 'tasks_done', value 'abc'" in text


def test_the_objects_door_refuses_the_organisation_with_every_problem() -> None:
    """An Organisation is checked whole when built: a cycle cannot reach the engine, and
    every problem of its tree is named (a Unit its own parent is refused by the Unit)."""
    with pytest.raises(OrganisationError) as info:
        Organisation(units=(Unit("U1", "a", parent_id="U2"), Unit("U2", "b", parent_id="U1"),
                            Unit("U3", "c", parent_id="ZZ")), positions=(), staff=())
    assert isinstance(info.value, UnknownReferenceError)
    assert sorted(str(p) for p in info.value.problems) == [
        "unit 'U3' has unknown parent unit 'ZZ'", "units form a cycle: U1 -> U2 -> U1"]
    with pytest.raises(OrganisationError, match="cannot be its own parent"):
        Unit("U4", "d", parent_id="U4")


@pytest.mark.parametrize("periods", [(JUL,), (JUL, AUG)])
def test_a_management_cycle_is_said_with_the_cells_problems(periods: tuple[str, ...]) -> None:
    """B and C (heads of nothing) name each other as manager: with a bad cell, one
    InputError names the cycle once (at its first person's row, their manager as typed) and
    the cell; alone, the cycle is an OrganisationError as before."""
    n = len(periods) * 3
    mgr = {"manager_id": [None, "C", "B"] * len(periods)}
    ok = staff(periods, heads=("A",)).assign(**mgr)
    unit = pd.DataFrame({"unit_id": ["U1", "U2"], "head_id": ["A", None]})
    with pytest.raises(OrganisationError) as alone:
        evalkit.classify_frame(ok, unit)
    assert str(alone.value) == "staff form a management cycle: B -> C -> B"
    with pytest.raises(InputError) as both:
        evalkit.classify_frame(staff(periods, heads=("A",), bad={n - 3: "abc"}).assign(**mgr),
                               unit)  # fmt: skip
    # in row order: the bad cell is in the last period's first row
    assert [(p.staff_id, p.row, p.column, p.value) for p in both.value.problems] == sorted(
        [("A", n - 3, "ky_luat_ky_cuong", "abc"), ("B", 1, "manager_id", "C")],
        key=lambda x: x[1])  # fmt: skip
    assert sum("management cycle: B -> C -> B" in p.message for p in both.value.problems) == 1
