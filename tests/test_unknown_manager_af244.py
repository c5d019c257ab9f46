"""A person's ``manager_id`` must name someone (af244).

A leader's component d counts the staff under their authority (NĐ 335/2025/NĐ-CP Điều 15
k3); a deputy's area is the people whose ``manager_id`` chain passes through the deputy.
Before, ``classify_frame`` took a ``manager_id`` naming nobody (a slip: ``PPX`` for ``PP``)
as a manager absent that month: the person silently fell to the head of the unit, out of
the deputy's area — a wrong d, no error. ``Organisation`` and the workbook already refused
it; the frames now refuse it too, at its row and column, with every other problem.

A manager with no row this month but a row in another period, or one of ``known_staff``
(an organisation's members), is absent: the person is in the head's area, as documented
(docs/units.md, step 2).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit import Organisation, Position, Staff, Unit
from evalkit.errors import InputError, UnknownReferenceError
from evalkit.io.archive import Archive
from tests._cli_helpers import run
from tests._io_helpers import GENERAL, TASKS, filled_workbook

RS = evalkit.rules.get("vn.nd335-2025")
LEAD = {**RS.full_marks(), "to_chuc_trien_khai": 100, "tap_hop_doan_ket": 100,
        "manages_others": True}
LOW = {**RS.full_marks(), "so_luong": 10, "chat_luong": 10, "tien_do": 10}
UNITS = pd.DataFrame({"unit_id": ["P"], "parent_id": [None], "head_id": ["TP"]})


def months(periods: list[str], manager: str, absent: dict[str, set[str]] | None = None
           ) -> pd.DataFrame:  # fmt: skip
    """TP heads the phòng P, PP (a deputy) answers to TP, CV (37 points: below 50) answers
    to ``manager``; ``absent`` leaves a person's row out of the periods given."""
    people = [("TP", LEAD, None), ("PP", LEAD, "TP"), ("CV", LOW, manager)]
    return pd.DataFrame([
        {"staff_id": s, "unit_id": "P", "period": p, "category": "cong_chuc",
         "manager_id": m, **scores}
        for p in periods for s, scores, m in people if p not in (absent or {}).get(s, set())])


def test_the_deputys_area_as_it_is_with_the_right_manager() -> None:
    """The baseline a slip would change: CV is under PP, so PP's d is 50 (CV below 50)."""
    staff, _ = evalkit.classify_frame(months(["2026-03"], "PP"), UNITS)
    out = staff.set_index("staff_id")
    assert out.loc["CV", "effective_manager_id"] == "PP"
    assert out.loc["PP", "mgmt_value"] == 50.0


def test_the_three_doors_refuse_a_manager_naming_nobody(tmp_path: Path) -> None:
    """``PPX`` names nobody: the frame refuses it at CV's row (2), column ``manager_id``,
    with the words ``Organisation`` says — before, CV fell under TP and PP's d was 100; the
    objects and the workbook (``validate``) refuse it too."""
    with pytest.raises(InputError) as info:
        evalkit.classify_frame(months(["2026-03"], "PPX"), UNITS)
    assert [(p.row, p.column, p.value) for p in info.value.problems] == [
        (2, "manager_id", "PPX")]
    words = "staff 'CV' has unknown manager 'PPX'"
    assert words in info.value.problems[0].message
    with pytest.raises(UnknownReferenceError, match=words):
        Organisation(units=[Unit("P", "Phòng P", head_id="TP")],
                     positions=[Position("CV", "Chuyên viên")],
                     staff=[Staff(s, s, "CV", "P", manager_id=m)
                            for s, m in (("TP", None), ("PP", "TP"), ("CV", "PPX"))])
    book = filled_workbook(tmp_path / "thang-03.xlsx", [
        {"staff_id": s, "full_name": s, "position_id": "CV", "unit_id": "P", "manager_id": m,
         **GENERAL, **TASKS} for s, m in (("TP", None), ("PP", "TP"), ("CV", "PPX"))],
        units=[{"unit_id": "P", "name": "Phòng P", "head_id": "TP"}])
    code, out, err = run("validate", str(book))
    assert code != 0 and "'PPX'" in out + err and "manager_id" in out + err, (out, err)


def test_every_problem_comes_at_once() -> None:
    """A manager naming nobody, a head naming nobody and a bad cell: one InputError."""
    sm = months(["2026-03"], "PPX").astype({"so_luong": object})
    sm.loc[0, "so_luong"] = "abc"
    with pytest.raises(InputError) as info:
        evalkit.classify_frame(sm, UNITS.assign(head_id="TPX"))
    got = {(p.row, p.column, p.value) for p in info.value.problems}
    assert {(0, "head_id", "TPX"), (0, "so_luong", "abc"), (2, "manager_id", "PPX")} <= got


def test_a_manager_absent_this_month_falls_back_to_the_head() -> None:
    """PP has a row in February, none in March: absent in March — CV is under TP that month
    (and under PP in February), not refused."""
    staff, _ = evalkit.classify_frame(months(["2026-02", "2026-03"], "PP",
                                             {"PP": {"2026-03"}}), UNITS)  # fmt: skip
    by = staff.set_index(["period", "staff_id"])["effective_manager_id"]
    assert by[("2026-02", "CV")] == "PP" and by[("2026-03", "CV")] == "TP"


def test_known_staff_says_who_exists_without_a_row() -> None:
    """A member without a row in any period (``known_staff``, ids compared as every door
    compares them) is absent, not unknown; the organisation's frames carry them."""
    sm = months(["2026-03"], "PP", {"PP": {"2026-03"}})
    with pytest.raises(InputError, match="unknown manager 'PP'"):
        evalkit.classify_frame(sm, UNITS)
    staff, _ = evalkit.classify_frame(sm, UNITS, known_staff=[" PP"])
    assert staff.set_index("staff_id").loc["CV", "effective_manager_id"] == "TP"
    staff, _ = evalkit.classify_frame(sm.assign(manager_id=sm["manager_id"].replace("PP", 7.0)),
                                      UNITS, known_staff=[7])  # fmt: skip
    assert staff.set_index("staff_id").loc["CV", "effective_manager_id"] == "TP"


def test_the_archive_takes_a_month_whose_manager_was_absent(tmp_path: Path) -> None:
    """A month classified with the organisation's members (PP: absent in March), its rows
    keeping the typed ``manager_id``, is finalized: the archive re-derives it with the
    heads and managers it names as known (checked when it was classified), as for heads."""
    sm = months(["2026-03"], "PP", {"PP": {"2026-03"}})
    staff, unit_results = evalkit.classify_frame(sm, UNITS, known_staff=["PP"])
    results = pd.concat([sm, staff[[c for c in staff.columns if c not in sm.columns]]], axis=1)
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(results, by="A", units=unit_results, unit_inputs=UNITS)
        assert arc.month("2026-03").set_index("staff_id").loc["CV", "manager_id"] == "PP"
