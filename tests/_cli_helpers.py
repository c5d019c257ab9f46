"""Running the command line in-process, as a person at a terminal would."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from evalkit.cli import main
from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET

#: What a person types on one row: ``(row's id, the row's cells by column id) → column id →
#: value``; a value None leaves that cell as it is.
Typing = Callable[[str, Mapping[str, Any]], Mapping[str, Any]]


def run(*args: str) -> tuple[int, str, str]:
    """Run a command: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(args), stdout=out)
    return code, out.getvalue(), err.getvalue()


def ok(*args: str) -> str:
    """Run a command that must succeed; its stdout."""
    code, out, err = run(*args)
    assert code == 0, (args, out, err)
    return out


def org_file(folder: Path, units: str, positions: str, staff: str) -> Path:
    """The organisation file ``folder/to-chuc.json`` made by ``evalkit org`` from the three
    CSV texts, written first as ``don-vi.csv``, ``vi-tri.csv`` and ``nhan-su.csv`` in
    ``folder``, as a person would."""
    for name, text in (("don-vi.csv", units), ("vi-tri.csv", positions),
                       ("nhan-su.csv", staff)):  # fmt: skip
        (folder / name).write_text(text, encoding="utf-8")
    org = folder / "to-chuc.json"
    ok("org", "--units", str(folder / "don-vi.csv"), "--positions", str(folder / "vi-tri.csv"),
       "--staff", str(folder / "nhan-su.csv"), "--out", str(org))  # fmt: skip
    return org


def header_columns(ws: Any) -> dict[str, int]:
    """A sheet's header ids → column numbers: the id in a header's ``[...]`` (the whole
    header where it has none)."""
    return {str(c.value).split("[")[-1].rstrip("]"): c.column for c in ws[1] if c.value}


def _type_rows(ws: Any, key: str, values: Typing) -> None:
    """Type ``values(id, row)`` on each row of ``ws`` whose ``key`` cell is filled."""
    col = header_columns(ws)
    for r in range(2, ws.max_row + 1):
        rid = ws.cell(r, col[key]).value
        if rid is None or rid == "":
            continue
        row = {c: ws.cell(r, n).value for c, n in col.items()}
        for c, v in values(str(rid), row).items():
            if v is not None:
                ws.cell(r, col[c]).value = v


def unit_month(folder: Path, rules_id: str, period: str, parents: Mapping[str, str | None],
               staff: Typing, units: Typing, category: str = "vien_chuc"
               ) -> list[dict[str, Any]]:  # fmt: skip
    """A month of one person of ``category`` (a viên chức unless said) ``S<unit>`` in each
    unit of ``parents`` (unit id → its parent's id, None for a root) run as a person runs
    it: ``evalkit org`` from CSV texts, ``template``, the workbook filled (``staff``,
    ``units``: :func:`fill_workbook`), ``validate`` and ``classify``; the unit records of
    the results file (evalkit/1)."""
    org = one_each(folder, parents, category)
    tpl, book, res = folder / "mau.xlsx", folder / "thang.xlsx", folder / "ket-qua.json"
    ok("template", "--rules", rules_id, "--period", period, "--org", str(org), str(tpl))
    fill_workbook(tpl, book, staff, units)
    ok("validate", str(book), "--rules", rules_id, "--org", str(org))
    ok("classify", str(book), "--rules", rules_id, "--org", str(org), "--out", str(res))
    units_out: list[dict[str, Any]] = json.loads(res.read_text(encoding="utf-8"))["data"]["units"]
    return units_out


def one_each(folder: Path, parents: Mapping[str, str | None],
             category: str = "vien_chuc") -> Path:
    """The organisation file (``evalkit org`` from CSV texts) of one person ``S<unit>`` of
    ``category`` in each unit of ``parents`` (unit id → its parent's id, None for a root)."""
    pos = "VC,Viên chức" if category == "vien_chuc" else "CV,Chuyên viên"
    return org_file(
        folder, "unit_id,name,parent_id\n" + "".join(
            f"{u},Đơn vị {u},{p or ''}\n" for u, p in parents.items()),
        f"position_id,title,manages_others\n{pos},\n",
        "staff_id,full_name,position_id,unit_id,category\n" + "".join(
            f"S{u},Người {u},{pos[:2]},{u},{category}\n" for u in parents))  # fmt: skip


def older_template(folder: Path, rules_id: str, period: str, org: Path,
                   columns: Mapping[str, str]) -> tuple[Path, Path]:
    """``evalkit template`` for ``rules_id`` with the unit columns ``columns`` (id → header)
    added after the last, as an older template had them (each checked absent first); the
    template's path and the path its filled workbook is to take."""
    tpl, book = folder / "mau.xlsx", folder / "thang.xlsx"
    ok("template", "--rules", rules_id, "--period", period, "--org", str(org), str(tpl))
    wb = openpyxl.load_workbook(tpl)
    ws = wb[UNITS_SHEET]
    assert not set(columns) & set(header_columns(ws))
    for k, header in enumerate(columns.values(), start=ws.max_column + 1):
        ws.cell(1, k).value = header
    wb.save(tpl)
    return tpl, book


def fill_workbook(template: Path, out: Path, staff: Typing, units: Typing) -> None:
    """Fill a template made by ``evalkit template`` as a person would and save it as
    ``out``: on the score sheet each row's ``staff(staff_id, row)`` values, on the units
    sheet each row's ``units(unit_id, row)`` values (column id → value; a column the sheet
    lacks is a KeyError)."""
    wb = openpyxl.load_workbook(template)
    _type_rows(wb[SCORES_SHEET], "staff_id", staff)
    _type_rows(wb[UNITS_SHEET], "unit_id", units)
    wb.save(out)


def month_by_cli(org: Path, rules: str, period: str, fill: Callable[[Path, Path], None],
                 template: Path, book: Path, res: Path, csv: Path) -> pd.DataFrame:  # fmt: skip
    """One period as a person runs it: ``template`` of ``rules`` for ``period``, filled into
    ``book`` by ``fill(template, book)``, ``validate``, then ``classify`` to the JSON ``res``
    and to the CSV ``csv``: that CSV read back (``staff_id`` as text)."""
    ok("template", "--rules", rules, "--period", period, "--org", str(org), str(template))
    fill(template, book)
    ok("validate", str(book), "--org", str(org))
    ok("classify", str(book), "--org", str(org), "--out", str(res))
    ok("classify", str(book), "--org", str(org), "--out", str(csv))
    return pd.read_csv(csv, dtype={"staff_id": str})
