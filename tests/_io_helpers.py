"""Helpers shared by the io and CLI tests: fill a template workbook like a person would;
write month frames as CSV and classify them period by period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

import evalkit
from evalkit.io.workbook import SCORES_SHEET, TASKS_SHEET, UNITS_SHEET, write_template
from evalkit.rules import RuleSet

#: NĐ 335 general criteria: 10 + 10 + 8 = 28 of 30.
GENERAL = {"pham_chat_dao_duc": 5, "ky_luat_ky_cuong": 5, "nang_luc_chuyen_mon": 2.5,
           "dap_ung_nhiem_vu": 2.5, "tinh_than_trach_nhiem": 2.5, "phuc_vu_phoi_hop": 2.5,
           "san_pham_dot_pha": 2, "nhiem_vu_kho_khan": 2, "chiu_trach_nhiem": 2,
           "chu_dong_quyet_dinh": 2}  # fmt: skip
#: Task results a 90, b 100, c 80: (90 + 100 + 80) / 3 × 70 % = 63.
TASKS = {"so_luong": 90, "chat_luong": 100, "tien_do": 80}
#: What the head of a unit types beyond a person's scores: đ and e at 100 % (a head holds a
#: management post, NĐ 335/2025/NĐ-CP Điều 15; d is computed from the staff under them).
HEAD = {"to_chuc_trien_khai": 100, "tap_hop_doan_ket": 100}


def person(staff_id: str, unit: str = "P1", **values: Any) -> dict[str, Any]:
    """A filled score row: general 28 + tasks (90, 100, 80) = 91 unless overridden.

    Bare criterion ids are the competent level's scores (``competent__<id>``).
    """
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
    """Append dict rows to a sheet under its header ids (a bare criterion id goes to the
    competent level's column)."""
    ids = header_ids(ws)
    for r in rows:
        values = {(k if k in ids or f"competent__{k}" not in ids else f"competent__{k}"): v
                  for k, v in r.items()}  # fmt: skip
        ws.append([values.get(i) if i else None for i in ids])


def filled_workbook(
    path: Path,
    rows: Sequence[Mapping[str, Any]],
    *,
    period: str = "2026-03",
    rules: str = "vn.nd335-2025",
    units: Sequence[Mapping[str, Any]] = ({"unit_id": "P1", "name": "Phòng 1", "head_id": None},),
    tasks: Sequence[Mapping[str, Any]] = (),
    positions: Sequence[Mapping[str, Any]] = (),
    signatories: Sequence[Mapping[str, Any]] = (),
) -> Path:
    """Write a template and fill it with ``rows`` (score sheet), ``units``, ``tasks``,
    ``positions`` and ``signatories``."""
    from evalkit.io.workbook import POSITIONS_SHEET, SIGNATORIES_SHEET

    write_template(path, rules, period, staff_rows=20, overwrite=True)
    wb = openpyxl.load_workbook(path)
    append_rows(wb[SCORES_SHEET], rows)
    append_rows(wb[UNITS_SHEET], units)
    append_rows(wb[TASKS_SHEET], tasks)
    if positions:
        ws = wb[POSITIONS_SHEET]
        ws.delete_rows(2, ws.max_row)
        append_rows(ws, positions)
    append_rows(wb[SIGNATORIES_SHEET], signatories)
    wb.save(path)
    return path


def csv_frames(
    folder: Path, rows: Sequence[Mapping[str, Any]], units: Sequence[Mapping[str, Any]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``rows`` and ``units`` written with ``to_csv`` (``folder/staff.csv``,
    ``folder/units.csv``) and read back with ``pd.read_csv``, as a person's files are."""
    pd.DataFrame(rows).to_csv(folder / "staff.csv", index=False)
    pd.DataFrame(units).to_csv(folder / "units.csv", index=False)
    return pd.read_csv(folder / "staff.csv"), pd.read_csv(folder / "units.csv")


def classify_months(
    staff: pd.DataFrame, units: pd.DataFrame, rules: RuleSet | str | None = None,
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    """``classify_frame`` period by period (in order): each period's rows with their results
    beside them by period, then all periods' staff results and unit results."""
    months: dict[str, pd.DataFrame] = {}
    done = []
    for per, rows in staff.groupby("period", sort=True):
        month = rows.reset_index(drop=True)
        out, unit_results = evalkit.classify_frame(month, units[units["period"] == per], rules)
        full = pd.concat([month, out[[c for c in out if c not in month]]], axis=1)
        months[str(per)] = full
        done.append((full, unit_results))
    return (months, pd.concat([d[0] for d in done], ignore_index=True),
            pd.concat([d[1] for d in done], ignore_index=True))
