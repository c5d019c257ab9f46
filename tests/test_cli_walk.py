"""The walk of docs/monthly-script.md, run exactly with the command line."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import openpyxl
import pytest

from evalkit.cli import main
from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET
from tests._io_helpers import append_rows, person


def run(*args: str) -> dict:  # type: ignore[type-arg]
    """Run a command with --json; assert it succeeded; return its JSON."""
    buf = io.StringIO()
    code = main([*args, "--json"], stdout=buf)
    assert code == 0, (args, buf.getvalue())
    return json.loads(buf.getvalue())  # type: ignore[no-any-return]


def fill(path: Path, month: int) -> None:
    """What the agency does in Excel: the head of P1 and two staff, scores typed in."""
    wb = openpyxl.load_workbook(path)
    append_rows(wb[UNITS_SHEET], [{"unit_id": "P1", "name": "Phòng Tổ chức", "head_id": "CC-1",
                                   "tasks_assigned": 10, "tasks_done": 10}])
    append_rows(wb[SCORES_SHEET], [
        person("CC-1", chinh_tri=6, dao_duc=6, tac_phong=6, ky_luat=6, phuc_vu=6),
        person("CC-2", so_luong=70 + month),
        person("CC-3", tien_do=60, cham_tien_do=1 if month == 2 else 0),
    ])
    wb.save(path)


def test_the_monthly_script_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """template → fill → validate → score/classify → render → finalize, x3; then annual."""
    monkeypatch.chdir(tmp_path)
    archive = str(tmp_path / "luu-tru.sqlite")
    classify = importlib.util.find_spec("evalkit.units") is not None
    render = (importlib.util.find_spec("evalkit.render") is not None
              and importlib.util.find_spec("weasyprint") is not None)
    for month in (1, 2, 3):
        period = f"2026-{month:02d}"
        book = f"thang-{month:02d}.xlsx"
        out = run("template", "--rules", "vn.nd335-2025", "--period", period, book)
        assert out["file"] == book
        fill(tmp_path / book, month)
        assert run("validate", book, "--period", period)["ok"]
        scored = run("score", book, "--out", f"diem-{month:02d}.xlsx")
        assert scored["rows"] == 3
        results = f"ket-qua-{month:02d}.json"
        if classify:
            run("classify", book, "--out", results)
        else:
            run("score", book, "--out", results)
        if render and month == 3:
            rendered = run("render", results, "--out", f"phieu-{month:02d}")
            assert len(rendered["files"]) >= 3
        done = run("finalize", results, "--archive", archive, "--by", "Trưởng phòng TCCB")
        assert (done["period"], done["rows"]) == (period, 3)
    buf = io.StringIO()
    assert main(["finalize", "ket-qua-03.json", "--archive", archive, "--by", "X"],
                stdout=buf) == 1  # a finalized month cannot change
    amended = run("amend", "--archive", archive, "--period", "2026-02", "--staff", "CC-3",
                  "--set", "tien_do=90", "--by", "Giám đốc", "--why", "kết luận lại")
    assert amended["previous"] == {"tien_do": 60.0}
    assert amended["rows"]["CC-3"]["new"]["total"] > amended["rows"]["CC-3"]["previous"]["total"]
    year = run("annual", "--archive", archive, "--year", "2026", "--out", "nam-2026.xlsx")
    assert year["rows"] == 3
    assert (tmp_path / "nam-2026.xlsx").exists()
