"""The year's sheet says, in its period's note (Ghi chú), why a period's grade is not its
score's band — or, on a month the rule set scores only, the grounds that month gives the
year (issue 13: reasons in words at every door). The sentence is the reason catalogue's,
carried in the period's results; render only formats it.

- A customs head (CV 21169/CHQ-TCCB): 100 points every quarter, but the unit did 24 of its
  30 tasks in Q3 and Q4 (80 %: the unit is HTT), so the head is capped at HTT in those
  quarters — the sheet prints "100 — Hoàn thành tốt nhiệm vụ" and must say why.
- An NĐ 90/2020 viên chức with a reprimand in March 2025: NĐ 90 classifies only the year, so
  March shows its band (HTXS) for information; the year is KHT (Điều 2 k5 a, NĐ 48/2023), and
  March's note names that ground."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit.rules
from evalkit import workflow
from evalkit.io.archive import Archive
from evalkit.render import period_sheets_from_results, render_period_html
from evalkit.units import classify_frame, classify_year
from tests._archive_helpers import classified
from tests._cli_helpers import run

ND = evalkit.rules.get("vn.nd335-2025")
CQ = evalkit.rules.get("vn.customs-2026q")
ND90 = evalkit.rules.get("vn.nd90-2020")
PERIODS = [f"2026-{m:02d}" for m in range(1, 7)] + ["2026-Q3", "2026-Q4"]
#: CV 21169/CHQ-TCCB: a head is not graded above the unit's result (HTT here)
CAPPED = ("Người đứng đầu không được xếp loại cao hơn kết quả của đơn vị (Hoàn thành tốt "
          "nhiệm vụ) (CV 21169/CHQ-TCCB ngày 28/8/2026)")
#: NĐ 90/2020 Điều 2 k5 a (added by NĐ 48/2023): a discipline in the year
DISCIPLINED = ("Bị xử lý kỷ luật đảng hoặc kỷ luật hành chính trong năm đánh giá "
               "(NĐ 90/2020/NĐ-CP, Điều 2 k5 a, bổ sung bởi NĐ 48/2023/NĐ-CP)")

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext is not installed")


def _customs(per: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Unit HQ1, head H at full marks, ten staff at 70 %; the unit does 8 of 10 tasks each
    NĐ 335 month and 24 of 30 in each customs quarter."""
    rs = CQ if "Q" in per else ND
    rows = []
    for sid in ["H", *(f"S{i}" for i in range(10))]:
        row: dict[str, Any] = {"staff_id": sid, "full_name": f"Người {sid}", "unit_id": "HQ1",
                               "period": per, "category": "cong_chuc",
                               **rs.full_marks(manages_others=sid == "H")}
        if sid == "H":
            row.pop("ket_qua_linh_vuc")
            row["manages_others"] = True
        else:
            row.update(dict.fromkeys(("so_luong", "chat_luong", "tien_do"), 70))
        rows.append(row)
    inputs = pd.DataFrame(rows)
    n = 30.0 if rs is CQ else 10.0
    units = pd.DataFrame({"unit_id": ["HQ1"], "name": ["Đội 1"], "head_id": ["H"],
                          "tasks_assigned": [n], "tasks_done": [24.0 if rs is CQ else 8.0],
                          "period": [per]})  # fmt: skip
    out, unit_results = classify_frame(inputs, units, rs)
    results = pd.concat([inputs, out[[c for c in out.columns if c not in inputs]]], axis=1)
    return results, unit_results, units


def _nd90(per: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    extra = {"A": {"discipline": 1}} if per == "2025-03" else {}
    return classified(per, {"H": 100.0, "A": 100.0, "B": 80.0}, rs=ND90, head="H",
                      extra=extra)


def _flat(text: str) -> str:
    # pdftotext breaks a line before a comma after a span kept on one line ("NĐ-CP\n, Điều")
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).replace(" ,", ",")


CASES = {
    "customs": (_customs, PERIODS, "2026", "H", {"Quý 3/2026": CAPPED, "Quý 4/2026": CAPPED},
                ("Quý 1/2026", "Quý 2/2026")),
    "nd90": (_nd90, [f"2025-{m:02d}" for m in range(1, 13)], "2025", "A",
             {"03/2025": DISCIPLINED}, ("02/2025",)),
}


@pytest.mark.parametrize("case", CASES)
def test_the_period_note_says_why_the_grade_is_off_its_band(tmp_path: Path, case: str) -> None:
    pytest.importorskip("weasyprint")
    make, periods, year, sid, noted, plain = CASES[case]
    made = [make(p) for p in periods]
    arc = tmp_path / "a.sqlite"
    with Archive(arc) as a:
        for results, unit_results, inputs in made:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
    # -- the archive, on the command line
    code, out, err = run("render", "--period", year, "--archive", str(arc), "--out",
                         str(tmp_path / "nam"))  # fmt: skip
    assert code == 0, (out, err)
    (pdf,) = (tmp_path / "nam").glob(f"{year}_*_{sid}_*.pdf")
    text = _flat(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout)
    # -- the objects: the year classified from the frames, its sheets in Python
    months = pd.concat([m[0] for m in made], ignore_index=True)
    units = pd.concat([m[1] for m in made], ignore_index=True)
    result = classify_year(months, units)
    (sheet,) = [s for s in period_sheets_from_results(
        result, workflow.counted_periods(months, units)) if s.staff.id == sid]  # fmt: skip
    html = _flat(re.sub(r"<[^>]+>", " ", render_period_html(sheet)))
    for said in (text, html):
        table = said[:said.index("KẾT QUẢ XẾP LOẠI")]
        for label, sentence in noted.items():
            assert _flat(sentence) in table, (label, table)
        assert table.count(_flat(sentence)) == len(noted)
        for label in plain:
            row = table[table.index(f" {label} "):]
            nxt = re.search(r" \d+ (Quý \d/\d{4}|\d\d/\d{4}) ", row[1:])
            assert "(" not in (row[:nxt.start() + 1] if nxt else row), label
