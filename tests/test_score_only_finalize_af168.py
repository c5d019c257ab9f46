"""af168 (issue 13): a month only scored (``evalkit score --out``: no unit classified, no
head cap, no quota; every row ``classified_by_unit = false``) is archived and rendered only
as the engine gives it for its own inputs.

Archiving scored months is a documented workflow (NĐ 335/2025/NĐ-CP Điều 21: months are
monitored, the year is classified; ``finalize --no-classify``), so such a file is not refused
as a whole: ``finalize`` (CLI and :meth:`Archive.finalize`) and ``render`` score each row
again from the criteria, flags and conclusion it carries and refuse a total or grade the
engine does not give, naming staff id, column, value and the computed value. A leader's
management component d is computed from the scores of the staff under them (Điều 15 k3):
where ``score`` had the units it carries the d the engine applied (``mgmt_value``) and the
row is checked with it; where it had none, the d cannot be re-derived and the row is
refused at the d, saying to classify. Before af168 an edited total and grade raised
together were archived and printed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from evalkit.errors import InputError
from evalkit.io.archive import Archive
from evalkit.io.results import read_results
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

UNITS = [{"unit_id": "P1", "name": "Phòng 1", "head_id": "H1", "tasks_assigned": 10,
          "tasks_done": 10, "tasks_on_time": 10}]  # fmt: skip
#: the leader's own components: đ and e typed, d computed from the staff under them
LEADER = {"manages_others": "x", "to_chuc_trien_khai": 100, "tap_hop_doan_ket": 100}


def _scored(folder: Path, *, command: str = "score", leader_d: float | None = None) -> Path:
    """A month of a head and three staff (CC-2 at 50 % of its quantity, CC-3 at 0 % of its
    tasks: below 50, so the head's d is 50), written by ``command --out``."""
    head = person("H1", **LEADER, **({} if leader_d is None else
                                      {"ket_qua_linh_vuc": leader_d}))  # fmt: skip
    book = filled_workbook(folder / "m.xlsx", [head, person("CC-1"),
                                               person("CC-2", so_luong=50),
                                               person("CC-3", so_luong=0, chat_luong=0,
                                                      tien_do=0)],
                           units=UNITS)  # fmt: skip
    out = folder / f"{command}.json"
    code, _, err = run(command, str(book), "--out", str(out))
    assert code == 0, err
    return out


def _edit(path: Path, staff: str, **values: Any) -> Path:
    doc = json.loads(path.read_text(encoding="utf-8"))
    row = next(r for r in doc["data"]["rows"] if r["staff_id"] == staff)
    row.update(values)
    edited = path.with_name("edited.json")
    edited.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return edited


def _lines(out: str, err: str) -> list[str]:
    return [line for line in (out + err).splitlines() if line.startswith("  - ")]


def test_a_scored_file_whose_total_and_grade_were_raised_together_is_refused(
        tmp_path: Path) -> None:  # fmt: skip
    """CC-2 scores 81.67 (HTT); raised to 95 HTXS by hand, band and grade agree, so only
    scoring the row again finds it: finalize (CLI) refuses, nothing is archived."""
    edited = _edit(_scored(tmp_path), "CC-2", total=95.0, score_grade="HTXS", grade="HTXS")
    archive = tmp_path / "a.sqlite"
    code, out, err = run("--lang", "en", "finalize", str(edited), "--archive", str(archive),
                         "--by", "X")  # fmt: skip
    lines = _lines(out, err)
    assert code == 1 and len(lines) == 2, (out, err)
    assert "staff 'CC-2': the total is 95.0 but its inputs give 81.67" in lines[0]
    assert "column 'total'" in lines[0] and str(edited) in lines[0]
    assert "the grade is 'HTXS' but its inputs give 'HTT'" in lines[1]
    with Archive(archive) as arc:
        assert arc.months() == []


def test_the_python_door_refuses_it_too(tmp_path: Path) -> None:
    """:meth:`Archive.finalize` of the file read back: the same two problems, nothing
    archived."""
    edited = _edit(_scored(tmp_path), "CC-2", total=95.0, score_grade="HTXS", grade="HTXS")
    with Archive(tmp_path / "a.sqlite") as arc:
        with pytest.raises(InputError) as caught:
            arc.finalize(read_results(edited), by="X")
        said = [(p.column, p.value) for p in caught.value.problems]
        assert said == [("total", 95.0), ("grade", "HTXS")]
        assert arc.months() == []


def test_render_refuses_what_finalize_refuses_and_writes_nothing(tmp_path: Path) -> None:
    """A sheet printed from the edited file would say 95 HTXS, which no engine gave."""
    edited = _edit(_scored(tmp_path), "CC-2", total=95.0, score_grade="HTXS", grade="HTXS")
    code, out, err = run("--lang", "en", "render", str(edited), "--out", str(tmp_path / "pdf"))
    lines = _lines(out, err)
    assert code == 1 and len(lines) == 2, (out, err)
    assert all("the inputs in the results file" in line for line in lines)
    assert not list((tmp_path / "pdf").rglob("*.pdf")) if (tmp_path / "pdf").exists() else True


def test_an_unedited_scored_month_is_still_finalized_and_rendered(tmp_path: Path) -> None:
    """The documented workflow stands: the head's d is the one ``score`` computed from its
    units (``mgmt_value``), and every row follows from its inputs."""
    scored = _scored(tmp_path)
    rows = read_results(scored).set_index("staff_id")
    assert not rows["classified_by_unit"].any() and rows.loc["H1", "mgmt_value"] == 50.0
    code, _, err = run("finalize", str(scored), "--archive", str(tmp_path / "a.sqlite"),
                       "--by", "X")  # fmt: skip
    assert code == 0, err
    code, _, err = run("render", str(scored), "--out", str(tmp_path / "pdf"))
    assert code == 0, err


def test_a_leaders_total_is_checked_with_the_d_the_engine_applied(tmp_path: Path) -> None:
    """H1's d is 50 (CC-3 scores below 50): raising H1's total by hand is refused like
    anyone's, scored again with that d."""
    scored = _scored(tmp_path)
    total = float(read_results(scored).set_index("staff_id").loc["H1", "total"])
    edited = _edit(scored, "H1", total=round(total + 0.5, 2))  # in the band: only scoring tells
    code, out, err = run("--lang", "en", "finalize", str(edited), "--archive",
                         str(tmp_path / "a.sqlite"), "--by", "X")  # fmt: skip
    assert code == 1 and "staff 'H1': the total is" in err, (out, err)


def test_a_leaders_d_no_engine_computed_is_refused_at_the_d(tmp_path: Path) -> None:
    """Without units ``score`` keeps a typed d unchecked (its notice says so); the
    archive cannot re-derive it from the staff under the leader: refused at the d, naming
    the leader and the value, saying to classify. The others' rows are no problem."""
    csv = tmp_path / "m.csv"  # a CSV of scores and no --org: no units
    frame = pd.DataFrame([person("H1", **LEADER, ket_qua_linh_vuc=100), person("CC-1")])
    frame.assign(period="2026-03", category="cong_chuc").to_csv(csv, index=False)
    scored = tmp_path / "s.json"
    code, _, err = run("score", str(csv), "--out", str(scored))
    assert code == 0 and "H1" in err, err  # score's notice: d kept as typed, not checked
    code, out, err = run("--lang", "en", "finalize", str(scored), "--archive",
                         str(tmp_path / "a.sqlite"), "--by", "X")  # fmt: skip
    lines = _lines(out, err)
    assert code == 1 and len(lines) == 1, (out, err)
    assert "staff 'H1' holds a leadership post" in lines[0]
    assert "column 'ket_qua_linh_vuc'" in lines[0] and "evalkit classify" in lines[0]
    with Archive(tmp_path / "a.sqlite") as arc:
        assert arc.months() == []


def test_a_classified_month_is_finalized_as_before(tmp_path: Path) -> None:
    """``classify --out`` carries its unit inputs: checked against them, accepted."""
    classified = _scored(tmp_path, command="classify")
    code, _, err = run("finalize", str(classified), "--archive", str(tmp_path / "a.sqlite"),
                       "--by", "X")  # fmt: skip
    assert code == 0, err


def test_results_without_the_scored_mark_are_checked_as_before(tmp_path: Path) -> None:
    """A frame of results alone (an HR system's totals and grades, no mark) has no inputs
    to score again: only the band and grade consistency applies, as before."""
    frame = pd.DataFrame({"staff_id": ["A"], "period": "2026-03", "rule_set": "vn.nd335-2025",
                          "total": [91.0], "grade": ["HTXS"]})  # fmt: skip
    with Archive(tmp_path / "a.sqlite") as arc:
        assert arc.finalize(frame, by="X").rows == 1


def _hanoi(folder: Path) -> tuple[Path, Path]:
    """A Hà Nội month (QĐ 3814-QĐ/TU classifies the month: A at most 30 % of the unit) of
    two people at full marks, and its ``score --out`` (both 'A', no quota applied)."""
    from evalkit import rules

    top = rules.get("hanoi.3814-2018").full_marks()
    book = filled_workbook(folder / "h.xlsx", [person("A", **top), person("B", **top)],
                           rules="hanoi.3814-2018")  # fmt: skip
    scored = folder / "s.json"
    code, _, err = run("score", str(book), "--out", str(scored))
    assert code == 0, err
    return book, scored


@pytest.mark.parametrize("how", ["finalize file", "finalize --no-classify", "render file",
                                 "render --no-classify", "python"])  # fmt: skip
def test_a_month_only_scored_under_a_set_that_classifies_it_is_refused(
        tmp_path: Path, how: str) -> None:  # fmt: skip
    """Under QĐ 3814 the month's grade is its classification (units first, the head not
    above the unit, the quota): grades only scored are none, so no door archives them or
    prints them on a sheet as concluded; one problem, saying to classify."""
    book, scored = _hanoi(tmp_path)
    archive = tmp_path / "a.sqlite"
    if how == "python":
        with Archive(archive) as arc:
            with pytest.raises(InputError) as caught:
                arc.finalize(read_results(scored), by="X")
            assert [(p.column, p.value) for p in caught.value.problems] == [
                ("classified_by_unit", False)]
            assert arc.months() == []
        return
    command, what = how.split(" ")
    given = [str(scored)] if what == "file" else [str(book), "--no-classify"]
    where = (["--out", str(tmp_path / "pdf")] if command == "render" else
             ["--archive", str(archive), "--by", "X"])  # fmt: skip
    code, out, err = run("--lang", "en", command, *given, *where)
    lines = _lines(out, err)
    assert code == 1 and len(lines) == 1, (out, err)
    assert "2 results are only scored, not classified by unit" in lines[0]
    assert "hanoi.3814-2018 classifies 2026-03" in lines[0] and "evalkit classify" in lines[0]
    assert not (tmp_path / "pdf").exists()
    if command == "finalize" and archive.exists():
        with Archive(archive) as arc:
            assert arc.months() == []


def test_the_same_month_classified_is_finalized_and_rendered(tmp_path: Path) -> None:
    """Classified, the Hà Nội month's quota is applied and the results are archived."""
    book, _ = _hanoi(tmp_path)
    classified = tmp_path / "c.json"
    assert run("classify", str(book), "--out", str(classified))[0] == 0
    code, _, err = run("finalize", str(classified), "--archive", str(tmp_path / "a.sqlite"),
                       "--by", "X")  # fmt: skip
    assert code == 0, err
