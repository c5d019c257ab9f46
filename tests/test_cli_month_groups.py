"""Audit 13: a month of công chức and viên chức comes in one workbook per staff group (as
`template --org` writes them); validate, classify, finalize and render take them together:
every problem of every file, one engine run, one archive month."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import evalkit.rules
from evalkit import workflow
from evalkit.cli import main
from evalkit.io.archive import Archive
from evalkit.io.workbook import SCORES_SHEET
from tests._archive_helpers import scores
from tests._io_helpers import HEAD, filled_workbook, header_ids, person

ND233 = evalkit.rules.get("vn.nd233-2026")
#: the unit did 8 of its 10 tasks: 80 %, HTT under NĐ 335 (Điều 22), by hand
UNITS = [{"unit_id": "P1", "name": "Phòng 1", "head_id": "CC-1", "tasks_assigned": 10,
          "tasks_done": 8}]  # fmt: skip


def run(*args: str) -> tuple[int, dict[str, Any]]:
    buf = io.StringIO()
    code = main([*args, "--json"], stdout=buf)
    return code, json.loads(buf.getvalue()) if buf.getvalue().strip() else {}


def _groups(tmp: Path, vc_period: str = "2026-08") -> tuple[Path, Path]:
    """The công chức workbook (the head CC-1 with a perfect score, CC-2) and the viên chức
    one (VC-1, whose unit's head is on the other workbook)."""
    cc = filled_workbook(tmp / "cong-chuc.xlsx", [
        person("CC-1", san_pham_dot_pha=2.5, nhiem_vu_kho_khan=2.5, chiu_trach_nhiem=2.5,
               chu_dong_quyet_dinh=2.5, so_luong=100, chat_luong=100, tien_do=100, **HEAD),
        person("CC-2")], period="2026-08", units=UNITS)  # fmt: skip
    vc = filled_workbook(tmp / "vien-chuc.xlsx", [
        {"staff_id": "VC-1", "full_name": "Người VC-1", "position_id": "CV", "unit_id": "P1",
         "category": "vien_chuc", **scores(ND233, 90)}],
        period=vc_period, rules=ND233.id, units=UNITS)  # fmt: skip
    return cc, vc


def test_validate_checks_the_groups_together_and_each_alone_is_incomplete(
    tmp_path: Path,
) -> None:
    cc, vc = _groups(tmp_path)
    code, out = run("--lang", "en", "validate", str(vc))
    assert code == 1 and [p["value"] for p in out["problems"]] == ["CC-1"]  # head elsewhere
    code, out = run("--lang", "en", "validate", str(cc), str(vc))
    assert code == 0 and out["rows"] == 3, out
    assert out["rule_set"] == ",".join(sorted([ND233.id, "vn.nd335-2025"]))


def test_every_problem_of_every_workbook_is_listed(tmp_path: Path) -> None:
    cc, vc = _groups(tmp_path)
    for path in (cc, vc):  # text in a number cell of each file
        wb = openpyxl.load_workbook(path)
        ws = wb[SCORES_SHEET]
        ids = header_ids(ws)
        col = next(i for i, h in enumerate(ids, 1) if h and h.startswith("competent__"))
        ws.cell(2, col, "abc")
        wb.save(path)
    code, out = run("--lang", "en", "validate", str(cc), str(vc))
    assert code == 1
    assert {p["file"] for p in out["problems"]} == {str(cc), str(vc)}
    assert all(p["value"] == "abc" for p in out["problems"])


def test_workbooks_of_different_months_are_refused_naming_both(tmp_path: Path) -> None:
    cc, vc = _groups(tmp_path, vc_period="2026-09")
    code, out = run("--lang", "en", "classify", str(cc), str(vc))
    assert code == 1
    [p] = out["problems"]
    assert p["file"] == str(vc) and p["value"] == "2026-09"
    assert str(cc) in p["message"] and "2026-08" in p["message"]


def test_finalize_archives_both_groups_as_one_month_and_the_year_has_everyone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cc, vc = _groups(tmp_path)
    archive = str(tmp_path / "a.sqlite")
    code, out = run("finalize", str(cc), str(vc), "--archive", archive, "--by", "TCCB")
    assert code == 0 and out["rows"] == 3 and out["amendable"], out
    with Archive(archive) as arc:
        month = arc.month("2026-08").set_index("staff_id")
        units = arc.units("2026-08").set_index("unit_id")
    assert month["rule_set"].to_dict() == {"CC-1": "vn.nd335-2025", "CC-2": "vn.nd335-2025",
                                           "VC-1": ND233.id}  # fmt: skip
    assert units.loc["P1", "grade"] == "HTT"  # 8 of 10 tasks
    assert set(month["unit_grade"]) == {"HTT"}
    code, out = run("annual", "--archive", archive, "--year", "2026")
    assert code == 0
    year = {r["staff_id"]: r for r in out["results"]["data"]["rows"]}
    assert set(year) == {"CC-1", "CC-2", "VC-1"}
    # the head's perfect score is capped at the unit's HTT, across the two workbooks
    assert year["CC-1"]["annual_grade"] == "HTT"
    assert "cap.head_unit" in year["CC-1"]["reasons"].split(";")
    # the month is amendable as finalize said: each row re-derived under its own rule set
    code, out = run("amend", "--archive", archive, "--period", "2026-08", "--staff", "VC-1",
                    "--set", "discipline=1", "--by", "GĐ", "--why", "kỷ luật")  # fmt: skip
    assert code == 0, out
    assert out["rows"]["VC-1"]["new"]["grade"] == "KHT"
    # a second finalize of the month is refused, saying its workbooks go to one finalize
    capsys.readouterr()
    code = main(["--lang", "en", "finalize", str(cc), "--archive", archive, "--by", "TCCB"],
                stdout=io.StringIO())  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "2026-08 was finalized on" in err
    assert "are finalized together, in one command: `evalkit finalize" in err, err


def test_render_writes_the_sheets_of_both_groups(tmp_path: Path) -> None:
    cc, vc = _groups(tmp_path)
    code, out = run("render", str(cc), str(vc), "--out", str(tmp_path / "pdf"))
    assert code == 0, out
    people = [f for f in out["files"] if "/units/" not in f and f.endswith(".pdf")
              and "overview" not in f]  # fmt: skip
    assert sorted(Path(f).name.split("_")[2] for f in people) == ["CC-1", "CC-2", "VC-1"]


def test_classify_of_the_groups_scores_each_row_as_its_own_workbook_does(
    tmp_path: Path,
) -> None:
    """The totals do not depend on the files being read together (the engine scores each
    row under its workbook's rule set); one unit result for the unit of both groups."""
    cc, vc = _groups(tmp_path)
    out = tmp_path / "k.json"
    assert run("classify", str(cc), str(vc), "--out", str(out))[0] == 0
    doc = json.loads(out.read_text(encoding="utf-8"))["data"]
    together = {r["staff_id"]: r["total"] for r in doc["rows"]}
    assert [u["unit_id"] for u in doc["units"]] == ["P1"]
    alone = workflow.score_input(workflow.read(vc))
    assert together["VC-1"] == pytest.approx(float(alone["total"].iloc[0]))
    months = [workflow.read(cc), workflow.read(vc)]
    frame = workflow.classify_months(months)
    assert frame["staff_id"].tolist() == ["CC-1", "CC-2", "VC-1"]
    assert workflow.check_months(months) == []


def test_a_results_file_is_one_month_alone(tmp_path: Path) -> None:
    cc, _vc = _groups(tmp_path)
    out = tmp_path / "k.json"
    assert run("classify", str(cc), "--out", str(out))[0] == 0
    code = main(["finalize", str(out), str(cc), "--by", "X", "--archive",
                 str(tmp_path / "a.sqlite")], stdout=io.StringIO())  # fmt: skip
    assert code == 2


def test_a_later_workbook_may_leave_its_units_sheet_blank(tmp_path: Path) -> None:
    """The month's units are the first workbook's units sheet (docs/cli.md): a later
    workbook whose units sheet is blank names the first's units without a problem, and is
    classified, rendered and finalized as with the sheet copied; a unit on neither sheet is
    still refused, on its cell."""
    cc, vc = _groups(tmp_path)
    blank = filled_workbook(tmp_path / "vc-blank.xlsx", [
        {"staff_id": "VC-1", "full_name": "Người VC-1", "position_id": "CV", "unit_id": "P1",
         "category": "vien_chuc", **scores(ND233, 90)}],
        period="2026-08", rules=ND233.id, units=[])  # fmt: skip
    for cmd in ("validate", "classify"):
        code, out = run("--lang", "en", cmd, str(cc), str(blank))
        assert code == 0, out
    same, copied = (tmp_path / "a.json", tmp_path / "b.json")
    assert run("classify", str(cc), str(blank), "--out", str(same))[0] == 0
    assert run("classify", str(cc), str(vc), "--out", str(copied))[0] == 0
    rows = [json.loads(f.read_text(encoding="utf-8"))["data"] for f in (same, copied)]
    assert rows[0]["rows"] == rows[1]["rows"] and rows[0]["units"] == rows[1]["units"]
    code, out = run("finalize", str(cc), str(blank), "--archive", str(tmp_path / "a.sqlite"),
                    "--by", "TCCB")  # fmt: skip
    assert code == 0 and out["rows"] == 3, out
    # a unit the first workbook does not have is refused on the later one's cell
    elsewhere = filled_workbook(tmp_path / "vc-p9.xlsx", [
        {"staff_id": "VC-1", "full_name": "Người VC-1", "position_id": "CV", "unit_id": "P9",
         "category": "vien_chuc", **scores(ND233, 90)}],
        period="2026-08", rules=ND233.id, units=[])  # fmt: skip
    code, out = run("--lang", "en", "validate", str(cc), str(elsewhere))
    assert code == 1
    [p] = out["problems"]
    assert (p["file"], p["column"], p["value"]) == (str(elsewhere), "unit_id", "P9")


def test_a_staff_id_on_two_workbooks_is_said_with_the_other_cells_at_once(
    tmp_path: Path,
) -> None:
    """One person on both workbooks of the month is a duplicate (one row per person and
    period): said on each workbook's own cell, naming the other file and row, together with
    the cell problems, never later with the engine's positions in the joined frame."""
    cc, vc = _groups(tmp_path)
    wb = openpyxl.load_workbook(vc)
    ws = wb[SCORES_SHEET]
    ids = header_ids(ws)
    ws.cell(2, ids.index("staff_id") + 1, "CC-2")  # VC-1's row given CC-2's id
    wb.save(vc)
    wb = openpyxl.load_workbook(cc)
    ws = wb[SCORES_SHEET]
    col = next(i for i, h in enumerate(header_ids(ws), 1) if h and h.startswith("competent__"))
    ws.cell(2, col, "abc")  # and a cell problem on CC-1's row
    wb.save(cc)
    code, out = run("--lang", "en", "validate", str(cc), str(vc))
    assert code == 1
    dup = sorted((p["file"], p["row"]) for p in out["problems"] if p["column"] == "staff_id")
    cc_row = next(p["row"] for p in out["problems"] if p["value"] == "abc")
    assert dup == sorted([(str(cc), 3), (str(vc), 2)]), out["problems"]
    said = {p["file"]: p["message"] for p in out["problems"] if p["column"] == "staff_id"}
    assert str(vc) in said[str(cc)] and str(cc) in said[str(vc)]
    assert cc_row == 2  # the cell problem of the same run
