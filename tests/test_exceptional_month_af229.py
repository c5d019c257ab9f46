"""A month's ``exceptional`` under NĐ 335/2025 is said, never silently ignored (af229).

Under ``vn.nd335-2025`` the months are monitored, not classified; the quota is the year's
(Điều 20 k5 a), raised for a unit the competent level recognises for the year (k5 b). A
unit marked ``exceptional`` in a month raises nothing — not the month, not the year (the
year reads a row for the year: ``annual --unit-grades``, ``unit_year=...``). Before af229
nothing told the user; now every door says it, in the catalogue's words, with the unit and
the period: ``validate`` and ``classify`` on stderr (``"notices"`` with ``--json``), the
frame and object doors through :func:`evalkit.workflow.exceptional_notices`. Where the mark
acts (a Hà Nội month, a customs quarter) nothing is said. Not an error: exit 0.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit import Assessment, Organisation, Position, Staff, Unit
from evalkit.cli import main
from evalkit.units import UnitInputs
from evalkit.workflow import exceptional_notices
from tests._io_helpers import filled_workbook

ND335, HANOI, CUSTOMS = "vn.nd335-2025", "hanoi.3814-2018", "vn.customs-2026q"


def _workbook(tmp_path: Path, rules: str, period: str, flag: object = "x") -> Path:
    marks = evalkit.rules.get(rules).full_marks()
    rows = [{"staff_id": f"S{i}", "full_name": f"Người {i}", "position_id": "CV",
             "unit_id": "P1", **marks, "competent_order": i + 1}  # no quota tie (af235)
            for i in range(3)]
    return filled_workbook(tmp_path / f"{rules}.xlsx", rows, period=period, rules=rules,
                           units=[{"unit_id": "P1", "name": "Phòng 1", "exceptional": flag}])


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(argv), stdout=out)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", ["validate", "classify"])
@pytest.mark.parametrize(("rules", "period", "flag"), [
    (ND335, "2026-03", "x"),
    (ND335, "2026-03", None),  # not marked: nothing to say
    (HANOI, "2026-03", "x"),  # the month classified: the mark raises its quota
    (CUSTOMS, "2026-Q4", "x")])  # the quarter classified, as Hà Nội's month
def test_cli_says_a_months_exceptional_under_nd335_only(tmp_path: Path, command: str,
                                                       rules: str, period: str,
                                                       flag: str | None) -> None:
    path = str(_workbook(tmp_path, rules, period, flag))
    code, out, err = _run(command, path)
    assert code == 0  # a notice, not a problem: the workbook is read as it is
    said = [line for line in err.splitlines() if "exceptional" in line]
    code, out, json_err = _run(command, path, "--lang", "en", "--json")
    assert code == 0 and "exceptional" not in json_err  # --json: in the document only
    notices = json.loads(out).get("notices", [])
    if rules != ND335 or flag is None:
        assert (said, notices) == ([], [])
        return
    assert len(said) == 1, err
    assert said[0].startswith("Lưu ý — đơn vị P1, kỳ 2026-03:")
    assert "vn.nd335-2025 không xếp loại kỳ 2026-03" in said[0]
    assert "kể cả tỷ lệ của năm 2026 (NĐ 335/2025/NĐ-CP, Điều 20 k5 b)" in said[0]
    assert "--unit-grades của lệnh evalkit annual" in said[0]
    assert len(notices) == 1
    assert notices[0].startswith("Note — unit P1, 2026-03: the unit is marked exceptional")
    assert "give exceptional in the --unit-grades file of evalkit annual" in notices[0]


def test_finalize_says_it_from_the_workbook_and_from_the_results_file(tmp_path: Path) -> None:
    """The month archived is the one the year reads: the moment to say it once more."""
    book = str(_workbook(tmp_path, ND335, "2026-03"))
    code, out, err = _run("classify", book, "--out", str(tmp_path / "r.json"))
    assert code == 0
    for source, archive in ((book, "a.sqlite"), (str(tmp_path / "r.json"), "b.sqlite")):
        code, out, err = _run("finalize", source, "--archive", str(tmp_path / archive),
                              "--by", "TCCB")
        said = [line for line in err.splitlines() if "exceptional" in line]
        assert code == 0 and len(said) == 1, err
        assert said[0].startswith("Lưu ý — đơn vị P1, kỳ 2026-03:")
    code, out, err = _run("finalize", book, "--archive", str(tmp_path / "c.sqlite"),
                          "--by", "TCCB", "--json")
    assert code == 0 and len(json.loads(out)["notices"]) == 1


def _frame(rules: str, period: str, units: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rs = evalkit.rules.get(rules)
    rows = [{"staff_id": f"S{i}", "unit_id": "Q", "period": period, "rule_set": rules,
             **rs.full_marks()} for i in range(3)]
    return evalkit.classify_frame(pd.DataFrame(rows), units)


def test_frame_and_object_doors_agree() -> None:
    units = pd.DataFrame({"unit_id": ["Q", "R"], "exceptional": ["x", None]})
    staff, unit_results = _frame(ND335, "2026-03", units)
    by_frame = exceptional_notices(staff, "en", units=unit_results)
    org = Organisation(units=[Unit("Q", "Phòng Q"), Unit("R", "Phòng R")],
                       positions=[Position("CV", "Chuyên viên")],
                       staff=[Staff(f"S{i}", f"Người {i}", "CV", "Q") for i in range(3)])
    marks = evalkit.rules.get(ND335).full_marks()
    objects = evalkit.classify_organisation(
        org, [Assessment(f"S{i}", "2026-03", competent_scores=marks) for i in range(3)],
        [UnitInputs("Q", "2026-03", exceptional=True), UnitInputs("R", "2026-03")])
    assert by_frame == exceptional_notices(objects, "en") == exceptional_notices(
        list(objects.values()), "en")
    assert len(by_frame) == 1  # Q, not R (unmarked)
    assert by_frame[0].startswith("Note — unit Q, 2026-03: the unit is marked exceptional")
    assert "but vn.nd335-2025 does not classify 2026-03" in by_frame[0]
    assert "not even 2026's (NĐ 335/2025/NĐ-CP, Điều 20 k5 b)" in by_frame[0]
    assert "unit_year=... in Python" in by_frame[0]
    # in Vietnamese by default, the same line as the CLI's
    assert exceptional_notices(objects)[0].startswith("Lưu ý — đơn vị Q, kỳ 2026-03:")


@pytest.mark.parametrize(("rules", "period"), [(HANOI, "2026-03"), (CUSTOMS, "2026-Q4")])
def test_frames_say_nothing_where_the_mark_acts(rules: str, period: str) -> None:
    staff, unit_results = _frame(rules, period, pd.DataFrame({"unit_id": ["Q"],
                                                              "exceptional": [True]}))
    assert unit_results["classified"].tolist() == [True]
    assert exceptional_notices(staff, units=unit_results) == []


def test_a_mixed_unit_names_the_set_that_does_not_classify_the_month() -> None:
    """A unit of Hà Nội viên chức (QĐ 3814: the month classified, the mark raises their
    quota) and NĐ 335 công chức: said once, of NĐ 335's people only, whichever set the unit
    itself is graded under."""
    rows = [{"staff_id": f"{r[:2]}{i}", "unit_id": "Q", "period": "2026-03", "rule_set": r,
             **evalkit.rules.get(r).full_marks()} for r in (HANOI, ND335) for i in range(3)]
    # NĐ 335 the unit's set (3 of its people against 1), then Hà Nội's (3 against 1)
    for people, own in ((rows[2:], ND335), (rows[:4], HANOI)):
        staff, units = evalkit.classify_frame(pd.DataFrame(people), pd.DataFrame(
            {"unit_id": ["Q"], "exceptional": [True]}))
        assert units["rule_set"].tolist() == [own]
        said = exceptional_notices(staff, "en", units=units)
        assert len(said) == 1 and "of the people under vn.nd335-2025" in said[0]
        assert HANOI not in said[0]
