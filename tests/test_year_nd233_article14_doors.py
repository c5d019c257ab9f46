"""NĐ 233/2026/NĐ-CP Điều 14 k1–k2 and Điều 12 k6–k7 across the doors (af96), the 2026
transition year of a hospital department (NĐ 90/2020 January to June, NĐ 233 from July;
the year classified under NĐ 233, the set in force at its end). Decree text:
docs/_research/legal-sources.md §13.

  Điều 14 k1: Viên chức có thời gian làm việc trong năm chưa đủ 06 tháng không xếp loại
  chất lượng, trừ trường hợp quy định tại khoản 2 Điều này.
  Điều 14 k2: ... nghỉ ốm hoặc nghỉ thai sản theo quy định của pháp luật về bảo hiểm xã hội
  thì kết quả xếp loại chất lượng trong năm là kết quả xếp loại chất lượng của thời gian
  làm việc thực tế của năm đó.
  Điều 12 k6 a: HTXS ≤ 20 % of those rated HTT (in one body, per group of similar duties).
  Điều 12 k7: the head not above the unit.

Khoa Nội (K1) is led by TK0 from January to July, then by TK (August to December: five
months, not classified, Điều 14 k1). Every month K1 does 8 of 10 tasks (80: HTT); general
criteria full, a, b, c all at the person's share: 30 + 0.7 × share (80 → 86, 100 → 100).
By hand:

* S1 sick January–March (NĐ 90's half), works April–July: 4 months, classified on them
  (k2): 86, HTT; S0 sick all year: no month worked, not classified; F1 works January–May:
  5 months, not classified (k1); A1 absent February–July, 6 months worked: classified, HTT
  (no absence cap in NĐ 233);
* the quota's base is those rated HTT (k6 a): A1, S1, TK0 (91.8 capped at K1's HTT),
  V2–V5 → 7, not F1, TK, S0 → at most 1 HTXS: V1 (100) keeps it, V6 (96.5) is HTT;
* the summary of K1's year is headed and signed by its head at the year's end, TK — not
  by TK0, who left in July.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit.rules
from evalkit import workflow
from evalkit.io.archive import Archive
from evalkit.units import classify_frame, classify_year
from tests._cli_helpers import ok

SHARE = {"TK0": 80, "TK": 100, "V1": 100, "V2": 80, "V3": 80, "V4": 80, "V5": 80, "V6": 95,
         "S0": 80, "S1": 80, "A1": 80, "F1": 80}  # fmt: skip
WORKS = {"TK0": range(1, 8), "TK": range(8, 13), "S1": range(1, 8), "F1": range(1, 6)}
LEAVE = {"S0": dict.fromkeys(range(1, 13), "sick"), "S1": dict.fromkeys((1, 2, 3), "sick"),
         "A1": dict.fromkeys(range(2, 8), "absent")}  # fmt: skip
YEAR = {"TK0": "HTT", "TK": None, "V1": "HTXS", "V2": "HTT", "V3": "HTT", "V4": "HTT",
        "V5": "HTT", "V6": "HTT", "S0": None, "S1": "HTT", "A1": "HTT", "F1": None}  # fmt: skip


def _head(m: int) -> str:
    return "TK0" if m <= 7 else "TK"


def _month(m: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    per = f"2026-{m:02d}"
    rs = evalkit.rules.get("vn.nd90-2020" if m <= 6 else "vn.nd233-2026")
    rows = []
    for sid, share in SHARE.items():
        if m not in WORKS.get(sid, range(1, 13)):
            continue
        row = {"staff_id": sid, "full_name": f"Người {sid}", "unit_id": "K1", "period": per,
               "category": "vien_chuc", "rule_set": rs.id, "manages_others": sid == _head(m)}
        if kind := LEAVE.get(sid, {}).get(m):
            row["leave"] = kind
        else:
            row.update(rs.full_marks(manages_others=sid == _head(m)),
                       **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), share))
        rows.append(row)
    inputs = pd.DataFrame(rows)
    units = pd.DataFrame([{"unit_id": "K1", "name": "Khoa Nội", "head_id": _head(m),
                           "tasks_assigned": 10, "tasks_done": 8, "period": per}])
    out, unit_results = classify_frame(inputs, units, rs)
    return pd.concat([inputs, out[[c for c in out if c not in inputs]]], axis=1), unit_results, units


@pytest.fixture(scope="module")
def months() -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    return [_month(m) for m in range(1, 13)]


def _grades(year: pd.DataFrame, col: str = "grade") -> dict[str, str | None]:
    return {s: (None if pd.isna(g) else str(g))
            for s, g in zip(year["staff_id"], year[col].astype(object), strict=True)}


def test_the_year_by_hand_and_its_head_at_the_years_end(months: list[Any]) -> None:
    staff = pd.concat([m[0] for m in months], ignore_index=True)
    units = pd.concat([m[1] for m in months], ignore_index=True)
    year = classify_year(staff, units)
    assert _grades(year) == YEAR
    y = year.set_index("staff_id")
    assert y.loc["S1", "months"] == 4 and "rollup.sick" in y.loc["S1", "reasons"].split(";")
    assert y.loc["S0", "reasons"] == "rollup.no_months"
    for sid in ("F1", "TK"):
        assert "rollup.too_few_months" in y.loc[sid, "reasons"].split(";")
    assert (y.loc["A1", "months"], y.loc["A1", "total"]) == (6, 86.0)
    assert y.loc["V6", "quota_base"] == 7 and "quota.demoted" in y.loc["V6", "reasons"]
    table = workflow.year_units(year, units).set_index("unit_id")
    assert table.loc["K1", "head_id"] == "TK"


def test_the_archive_and_the_annual_sheet_name_the_head_at_the_years_end(
        months: list[Any], tmp_path: Path) -> None:  # fmt: skip
    from tests.test_cli_annual_org import text_of

    arc = tmp_path / "a.sqlite"
    with Archive(arc) as a:
        for results, unit_results, inputs in months:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        assert _grades(a.annual(2026), "annual_grade") == YEAR
    ok("annual", "--year", "2026", "--archive", str(arc), "--pdf", str(tmp_path / "pdf"))
    summary = text_of(tmp_path / "pdf" / "units" / "2026_K1.pdf")
    assert "người đứng đầu: người tk " in summary and "người đứng đầu: người tk0" not in summary
