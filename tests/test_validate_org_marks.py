"""``validate --org``: the units sheet's ``public_service_unit`` marks (and parents) say what
the organisation file says. The mark decides whose grade raises the viên chức's HTXS quota
to 25 % (NĐ 233/2026/NĐ-CP Điều 12 k6 b), the parent whose constituent units are limited
(Điều 7 k1 b, k7, k8): a sheet that disagrees with the organisation file is a problem
naming the file, the sheet, the row, the column and both values — every one, never one
source taken silently. A sheet that marks no unit takes the organisation's marks
(docs/workbook.md): nothing to disagree with.

The organisation, a university as tests/test_public_service_unit_marker.py: U over two
member schools S1, S2 (marked), each over a khoa K1, K2.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from evalkit.io.workbook import UNITS_SHEET
from tests._cli_helpers import header_columns, ok, org_file, run

PERIOD = "2026-09"
#: unit: (parent, name, marked in the organisation file)
UNITS = {"U": (None, "Đại học U", False), "S1": ("U", "Trường 1", True),
         "S2": ("U", "Trường 2", True), "K1": ("S1", "Khoa 1", False),
         "K2": ("S2", "Khoa 2", False)}  # fmt: skip


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The organisation file and the template ``template --org`` writes from it."""
    tmp = tmp_path_factory.mktemp("orgmarks")
    org = org_file(
        tmp, "unit_id,name,parent_id,public_service_unit\n" + "".join(
            f"{u},{n},{par or ''},{'x' if m else ''}\n" for u, (par, n, m) in UNITS.items()),
        "position_id,title,manages_others\nVC,Viên chức,\n",
        "staff_id,full_name,position_id,unit_id,category\n"
        + "".join(f"{u}A,Người {u}A,VC,{u},vien_chuc\n" for u in UNITS))
    tpl = tmp / "mau.xlsx"
    ok("template", "--rules", "vn.nd233-2026", "--period", PERIOD, "--org", str(org), str(tpl))
    return org, tpl


def _typed(tpl: Path, out: Path, cells: dict[tuple[str, str], object]) -> dict[str, int]:
    """The template with the units sheet's ``cells`` ((unit, column) → value) typed over
    what ``template --org`` wrote; each unit's sheet row."""
    wb = openpyxl.load_workbook(tpl)
    ws = wb[UNITS_SHEET]
    col = header_columns(ws)
    rows = {ws.cell(r, col["unit_id"]).value: r for r in range(2, ws.max_row + 1)
            if ws.cell(r, col["unit_id"]).value}  # fmt: skip
    for (unit, column), value in cells.items():
        ws.cell(rows[unit], col[column]).value = value
    wb.save(out)
    return rows


def _problems(book: Path, org: Path) -> list[dict[str, object]]:
    code, out, err = run("--lang", "en", "validate", str(book), "--org", str(org), "--json")
    assert code == 1, (out, err)
    return [p for p in json.loads(out)["problems"]
            if p.get("column") in ("public_service_unit", "parent_id")]  # fmt: skip


def test_the_template_agrees(book: tuple[Path, Path]) -> None:
    """What ``template --org`` writes (the marks, the parents) is what the organisation says:
    only the blank scores are problems, none of the units' marks or parents."""
    org, tpl = book
    _code, out, _ = run("--lang", "en", "validate", str(tpl), "--org", str(org), "--json")
    assert [p for p in json.loads(out)["problems"]
            if p.get("column") in ("public_service_unit", "parent_id")] == []  # fmt: skip


def test_every_disagreeing_mark_and_parent_is_said_with_both_values(
        book: tuple[Path, Path], tmp_path: Path) -> None:
    """S2 unmarked, K1 marked, K2 moved under S1: three problems, each at its file, sheet,
    row and column with the sheet's value and the organisation's."""
    org, tpl = book
    typed = tmp_path / "thang.xlsx"
    rows = _typed(tpl, typed, {("S2", "public_service_unit"): None,
                               ("K1", "public_service_unit"): "x",
                               ("K2", "parent_id"): "S1"})  # fmt: skip
    got = _problems(typed, org)
    assert sorted((p["file"], p["sheet"], p["row"], p["column"], p["value"]) for p in got) \
        == sorted([(str(typed), UNITS_SHEET, rows["S2"], "public_service_unit", None),
                   (str(typed), UNITS_SHEET, rows["K1"], "public_service_unit", "x"),
                   (str(typed), UNITS_SHEET, rows["K2"], "parent_id", "S1")])  # fmt: skip
    said = {p["row"]: str(p["message"]) for p in got}
    # both values in the words: the sheet's and the organisation file's
    assert "blank" in said[rows["S2"]] and "'x'" in said[rows["S2"]]
    assert "'x'" in said[rows["K1"]] and "blank" in said[rows["K1"]]
    assert "'S1'" in said[rows["K2"]] and "'S2'" in said[rows["K2"]]
    code, _, err = run("--lang", "vi", "validate", str(typed), "--org", str(org))
    assert code == 1
    assert "đơn vị sự nghiệp công lập" in err and "Điều 12 k6 b" in err


def test_a_sheet_that_marks_no_unit_takes_the_organisations_marks(
        book: tuple[Path, Path], tmp_path: Path) -> None:
    """Every mark erased: the organisation's marks are read (workflow), nothing disagrees."""
    org, tpl = book
    typed = tmp_path / "thang.xlsx"
    _typed(tpl, typed, {(u, "public_service_unit"): None for u in UNITS})
    _code, out, _ = run("--lang", "en", "validate", str(typed), "--org", str(org), "--json")
    assert [p for p in json.loads(out)["problems"] if p.get("column") == "public_service_unit"] \
        == []  # fmt: skip
