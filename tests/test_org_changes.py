"""The organisation changing during the year (NĐ 335/2025/NĐ-CP Điều 15 k3, Điều 20, Điều 21;
domain brief §3, §4.5), expectations computed by hand.

Scores: general criteria full (30) + tasks x → 30 + 0.7x for staff; a leader with a, b, c = x,
đ = e = 100 and the computed d: 30 + (3x + 200 + d) / 6 × 70 %. A unit's score is tasks done
÷ assigned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import evalkit
from evalkit import classify_frame, classify_year, rank_units, workflow
from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET, read_month, write_template
from evalkit.model import Organisation, Position, Staff, Unit
from tests._io_helpers import HEAD, append_rows, header_ids, person

ND335 = evalkit.rules.get("vn.nd335-2025")
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
TOP, LEAD = ND335.full_marks(), ND335.full_marks(manages_others=True)
del LEAD["ket_qua_linh_vuc"]  # d is computed from the staff under the leader


def _marks(x: float, lead: bool = False) -> dict[str, float]:
    return {**(LEAD if lead else TOP), "so_luong": x, "chat_luong": x, "tien_do": x}


def _year() -> pd.DataFrame:
    """A Sở (SO, head GD) whose units change in July: A dissolved (its head HA a deputy in B,
    A1 to B), C and D merged into the new N (HC heads N, HD staff there), E created; T1 moves
    from B to N in October. B is 8/10 (80, HTT) all year, N 6/10 (60, HT), the rest 10/10."""
    rows: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []

    def add(sid: str, uid: str, p: str, x: float, lead: bool = False) -> None:
        rows.append({"staff_id": sid, "unit_id": uid, "period": p, "manages_others": lead,
                     **_marks(x, lead)})

    for i, p in enumerate(MONTHS, start=1):
        ids = [("SO", None, "GD", 10), ("B", "SO", "HB", 8)]
        ids += ([("A", "SO", "HA", 10), ("C", "SO", "HC", 10), ("D", "SO", "HD", 10)] if i <= 6
                else [("N", "SO", "HC", 6), ("E", "SO", "HE", 10)])  # fmt: skip
        units += [{"unit_id": u, "parent_id": par, "head_id": h, "period": p,
                   "tasks_assigned": 10, "tasks_done": done} for u, par, h, done in ids]
        add("GD", "SO", p, 100, True)
        add("HB", "B", p, 80, True)
        for k in range(5):
            add(f"B{k}", "B", p, 80)
        if i <= 6:
            for h, s, u in (("HA", "A1", "A"), ("HC", "C1", "C"), ("HD", "D1", "D")):
                add(h, u, p, 100, True)
                add(s, u, p, 100)
        else:
            add("HA", "B", p, 100, True)
            add("A1", "B", p, 100)
            add("HC", "N", p, 100, True)
            for s in ("C1", "HD", "D1"):
                add(s, "N", p, 100)
            add("HE", "E", p, 100, True)
            add("E1", "E", p, 100)
        add("T1", "B" if i <= 9 else "N", p, 100)
    staff, unit = classify_frame(pd.DataFrame(rows).assign(category="cong_chuc"),
                                 pd.DataFrame(units))
    return classify_year(staff, unit).set_index("staff_id")


class TestAYearOfMergers:
    def test_each_person_is_classified_by_the_unit_of_their_last_month(self) -> None:
        y = _year()
        assert y["unit_id"].to_dict() == {
            "GD": "SO", "HB": "B", **dict.fromkeys(["B0", "B1", "B2", "B3", "B4"], "B"),
            "HA": "B", "A1": "B", "HC": "N", "C1": "N", "HD": "N", "D1": "N", "T1": "N",
            "HE": "E", "E1": "E"}
        assert y.loc["T1", "months"] == 12 and y.loc["HE", "months"] == 6  # E from July

    def test_the_new_units_head_is_capped_at_its_own_months(self) -> None:
        """N's year is its own months (6/10 = 60: HT), not C's (100): HC is capped at HT; the
        head of the dissolved A, a deputy in B since July, and D's head, staff in N, are not
        heads of their year's unit."""
        y = _year()
        assert (y.loc["HC", "unit_grade"], y.loc["HC", "is_head"]) == ("HT", True)
        assert (y.loc["HC", "total"], y.loc["HC", "grade"]) == (100.0, "HT")
        assert not y.loc["HA", "is_head"] and not y.loc["HD", "is_head"]
        # HB: a = b = c = 80, d = 100 → 30 + (240 + 300) / 6 × 0.7 = 93, capped at B (80: HTT)
        assert (y.loc["HB", "total"], y.loc["HB", "grade"]) == (93.0, "HTT")

    def test_the_quota_counts_the_units_of_the_year(self) -> None:
        """B: HB and B0..B4 rated HTT (6) → at most 1 HTXS (20 %, floor) among HA and A1 (both
        100); N: nobody HTT → no HTXS: C1, HD, D1 and T1 demoted."""
        y = _year()
        b = y[y["unit_id"] == "B"]
        assert (b["proposed_grade"] == "HTT").sum() == 6
        assert sorted(b["grade"][b["proposed_grade"] == "HTXS"]) == ["HTT", "HTXS"]
        assert set(y.loc[["C1", "HD", "D1", "T1"], "grade"]) == {"HTT"}


class TestRankingAUnitThatMoved:
    def test_a_unit_ranks_once_a_year_under_its_last_parent_on_all_its_months(self) -> None:
        """Phòng P under S1 until June (80), under S2 from July (100): its year is (6 × 80 +
        6 × 100) / 12 = 90, ranked among S2's units, after Q (95)."""
        rows = []
        for i, p in enumerate(MONTHS, start=1):
            rows += [{"unit_id": "P", "parent_id": "S1" if i <= 6 else "S2", "period": p,
                      "score": 80.0 if i <= 6 else 100.0},
                     {"unit_id": "Q", "parent_id": "S2", "period": p, "score": 95.0},
                     {"unit_id": "K", "parent_id": "S1", "period": p, "score": 85.0}]
        out = rank_units(pd.DataFrame(rows), to="year", within="parent_id")
        assert out[["unit_id", "parent_id", "points", "rank"]].values.tolist() == [
            ["K", "S1", 85.0, 1], ["Q", "S2", 95.0, 1], ["P", "S2", 90.0, 2]]


def _org(parent_of_p: str) -> Organisation:
    return Organisation(
        units=[Unit("R", "Tỉnh"), Unit("S1", "Sở 1", "R", "H1"), Unit("S2", "Sở 2", "R", "H2"),
               Unit("P", "Phòng P", parent_of_p, "HP")],
        positions=[Position("LD", "Lãnh đạo", manages_others=True), Position("CV", "Chuyên viên")],
        staff=[Staff("H1", "Người H1", "LD", "S1"), Staff("H2", "Người H2", "LD", "S2"),
               Staff("HP", "Người HP", "LD", "P"), Staff("P1", "Người P1", "CV", "P")])


def _september(tmp_path: Path, org: Organisation, **edits: dict[str, Any]) -> Path:
    """September's workbook from ``org``, scored: P1 at tasks 20 (30 + 14 = 44, below 50),
    everyone else full; ``edits`` changes cells of the units (``units``) or score sheet."""
    path = tmp_path / "thang-09.xlsx"
    write_template(path, ND335, "2026-09", org=org, overwrite=True)
    wb = openpyxl.load_workbook(path)
    for sheet, key in ((UNITS_SHEET, "unit_id"), (SCORES_SHEET, "staff_id")):
        ws = wb[sheet]
        ids = header_ids(ws)
        for row in ws.iter_rows(min_row=2):
            changes = edits.get(sheet, {}).get(row[ids.index(key)].value, {})
            for col, value in changes.items():
                row[ids.index(col)].value = value
    ws = wb[SCORES_SHEET]
    ids = header_ids(ws)
    ws.delete_rows(2, ws.max_row)
    append_rows(ws, [person(h, u, position_id="LD", chiu_trach_nhiem=2.5, **HEAD)
                     for h, u in (("H1", "S1"), ("H2", "S2"), ("HP", "P"))])
    append_rows(ws, [person("P1", edits.get("p1_unit", {}).get("unit_id", "P"),
                            so_luong=20, chat_luong=20, tien_do=20)])
    wb.save(path)
    return path


class TestTheOrganisationFileAndTheMonthsSheets:
    def test_when_they_agree_d_follows_the_months_tree(self, tmp_path: Path) -> None:
        """P under S2 in September: P1 below 50 reduces the d of HP and H2 (50), not H1's."""
        org = _org("S2")
        month = read_month(_september(tmp_path, org), org=org)
        assert workflow.check(month, org=org) == []
        out = workflow.classify_input(month, org=org).set_index("staff_id")
        assert out["mgmt_value"].to_dict() | {"P1": None} == {
            "H1": 100.0, "H2": 50.0, "HP": 50.0, "P1": None}

    @pytest.mark.parametrize(("edits", "column", "said"), [
        ({UNITS_SHEET: {"P": {"parent_id": "S1"}}}, "parent_id", ("'S1'", "'S2'")),
        ({UNITS_SHEET: {"P": {"head_id": None}}}, "head_id", ("blank", "'HP'")),
        ({"p1_unit": {"unit_id": "S2"}}, "unit_id", ("'S2'", "'P'")),
    ])
    def test_a_difference_is_refused_naming_both(self, tmp_path: Path, edits: Any, column: str,
                                                said: tuple[str, str]) -> None:  # fmt: skip
        """The September workbook says P is under S1 (or has no head, or P1 is in S2) while
        the organisation file says S2 (HP, P): which is right cannot be told, and d and the
        head cap depend on it — refused, never one taken silently."""
        org = _org("S2")
        month = read_month(_september(tmp_path, org, **edits), org=org)
        found = [p for p in month.problems if p.column == column]
        assert len(found) == 1, month.problems
        assert all(s in str(found[0]) for s in said), str(found[0])
        assert found[0] in workflow.check(month, org=org)  # validate, classify, finalize


def _units_sheet(found: list[Any]) -> list[Any]:
    """The problems of ``found`` that are not on the score sheet."""
    return [p for p in found if p.sheet != SCORES_SHEET]


class TestTwoWorkbooksOfOneMonth:
    def test_a_later_units_sheet_that_differs_is_refused(self, tmp_path: Path) -> None:
        """The công chức and viên chức workbooks of September: the units are classified once,
        from the first's sheet; the second's P under S2 with 5 of 10 tasks done (where the
        first says S1, 10 of 10) would change the unit's grade and the Sở heads' d with the
        order of the files — refused on its cells; blanks there are no difference."""
        org = _org("S1")
        counts = {UNITS_SHEET: {"P": {"tasks_assigned": 10, "tasks_done": 10}}}
        first = read_month(_september(tmp_path, org, **counts), org=org)
        (tmp_path / "vc").mkdir()
        blank = read_month(_september(tmp_path / "vc", org), org=org)
        # the helper scores the same people on every file: each is said twice (one person,
        # one workbook of the month); the units sheets' problems are the ones looked at here
        said = workflow.month_problems([first, blank])
        assert {p.staff_id for p in said if p.sheet == SCORES_SHEET} == {"H1", "H2", "HP", "P1"}
        assert _units_sheet(said) == []  # a blank gives nothing
        (tmp_path / "vc2").mkdir()
        second = read_month(_september(tmp_path / "vc2", org, **{UNITS_SHEET: {
            "P": {"tasks_assigned": 10, "tasks_done": 5}}}), org=org)  # fmt: skip
        found = _units_sheet(workflow.month_problems([first, second]))
        assert [(p.file, p.column) for p in found] == [(second.file, "tasks_done")]
        assert "is 5 in this file and 10 on" in str(found[0]), str(found[0])
        with pytest.raises(evalkit.errors.InputError):
            workflow.classify_months([first, second], org=org)
