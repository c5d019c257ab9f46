"""Helpers shared by the io and CLI tests: fill a template workbook like a person would."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from evalkit.io.workbook import SCORES_SHEET, TASKS_SHEET, UNITS_SHEET, write_template

GENERAL = {"chinh_tri": 6, "dao_duc": 6, "tac_phong": 6, "ky_luat": 5, "phuc_vu": 5}
TASKS = {"so_luong": 90, "chat_luong": 100, "tien_do": 80}


def person(staff_id: str, unit: str = "P1", **values: Any) -> dict[str, Any]:
    """A filled score row: general 28 + tasks (90, 100, 80) = 91 unless overridden."""
    return {"staff_id": staff_id, "full_name": f"Người {staff_id}", "position_id": "CV",
            "unit_id": unit, **GENERAL, **TASKS, **values}


def header_ids(ws: Any) -> list[str | None]:
    """The column ids in a sheet's header row."""
    out: list[str | None] = []
    for cell in next(ws.iter_rows(min_row=1, max_row=1, values_only=True)):
        text = str(cell or "")
        out.append(text[text.rfind("[") + 1 : text.rfind("]")] if "[" in text else None)
    return out


def append_rows(ws: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """Append dict rows to a sheet under its header ids."""
    ids = header_ids(ws)
    for r in rows:
        ws.append([r.get(i) if i else None for i in ids])


def filled_workbook(
    path: Path,
    rows: Sequence[Mapping[str, Any]],
    *,
    period: str = "2026-03",
    rules: str = "vn.nd335-2025",
    units: Sequence[Mapping[str, Any]] = ({"unit_id": "P1", "name": "Phòng 1", "head_id": None},),
    tasks: Sequence[Mapping[str, Any]] = (),
) -> Path:
    """Write a template and fill it with ``rows`` (score sheet), ``units`` and ``tasks``."""
    write_template(path, rules, period, staff_rows=20)
    wb = openpyxl.load_workbook(path)
    append_rows(wb[SCORES_SHEET], rows)
    append_rows(wb[UNITS_SHEET], units)
    append_rows(wb[TASKS_SHEET], tasks)
    wb.save(path)
    return path
