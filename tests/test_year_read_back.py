"""Months written by evalkit and read back with pandas' defaults reach the year (audit af33).

``write_results_csv`` writes the months' results as ``pd.concat`` gives them (a yes/no
column typed in some months only is an object column of NaN/True/False), and the archive
takes the months read back by ``pd.read_csv`` — ids of digits become ``int64`` (staff 7,
unit 10, head 7), which every door reads as the id's text — and gives the year the frames
give. The expectations are computed by hand from NĐ 335/2025/NĐ-CP Điều 20.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

import evalkit
from evalkit.io.archive import Archive
from evalkit.io.results import write_results_csv
from evalkit.units import classify_frame, classify_year

RULE_SET = "vn.nd335-2025"
RS = evalkit.rules.get(RULE_SET)


def _csv(frame: pd.DataFrame, tmp_path: Path, **read: Any) -> pd.DataFrame:
    write_results_csv(frame, tmp_path / "r.csv")
    return pd.read_csv(tmp_path / "r.csv", **read)


def _month(m: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Head 007 at full marks, five at 80 %, 015 at 92 %; the unit 010 did every task."""
    people = [("007", True, 1.0)] + [(f"{i:03d}", False, s)
                                     for i, s in zip(range(10, 16), [0.8] * 5 + [0.92], strict=True)]  # fmt: skip
    staff = pd.DataFrame([{"staff_id": sid, "period": f"2026-{m:02d}", "unit_id": "010",
                           "is_head": head, "manages_others": head,
                           **{k: v * share for k, v in RS.full_marks(head).items()}}
                          for sid, head, share in people])  # fmt: skip
    units = pd.DataFrame({"unit_id": ["010"], "period": [f"2026-{m:02d}"], "head_id": "007",
                          "tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": 4})  # fmt: skip
    return classify_frame(staff, units, RULE_SET)


def test_the_archive_takes_months_read_back_by_pandas(tmp_path: Path) -> None:
    """The months written with ``write_results_csv`` and read back with ``pd.read_csv`` (ids
    all digits: int64, unit 10, head 7) are archived, and the year is the in-memory one: 007
    at 100 is HTXS; 015 at 92 is in the HTXS band but 20 % of 5 HTT is 1 and 007 ranks first,
    so HTT; the others HTT (80). (``pd.read_csv`` dropped the ids' zeros: 7, 10 … 15.)"""
    archive = Archive(tmp_path / "a.db")
    months = [_month(m) for m in (1, 2, 3)]
    for staff, units in months:
        archive.finalize(_csv(staff, tmp_path), by="test", units=_csv(units, tmp_path))
    year = archive.annual(2026).set_index("staff_id")
    want = {"7": (100.0, "HTXS"), **{str(i): (80.0, "HTT") for i in range(10, 15)},
            "15": (92.0, "HTT")}  # fmt: skip
    assert {k: (r.annual_total, r.annual_grade) for k, r in year.iterrows()} == want
    memory = classify_year(pd.concat([s for s, _ in months]), pd.concat([u for _, u in months]),
                           RULE_SET)  # fmt: skip
    assert {str(int(k)): (t, g) for k, t, g in memory[["staff_id", "total", "grade"]].values
            } == want  # fmt: skip


def test_months_concatenated_with_a_flag_in_some_months_are_written(tmp_path: Path) -> None:
    """``pd.concat`` of two months where ``degradation`` is typed in February only: an object
    column of NaN/True/False, which the CSV writer writes (it crashed on ``.str``). A, found
    degraded in February, is KHT for the year (Điều 20 k4 b); B at 100 both months is in the
    HTXS band, alone with no one rated HTT: 20 % of 0 leaves no HTXS (k5 a) → HTT."""
    units = pd.DataFrame({"unit_id": ["U"], "period": ["2026-01"]})
    jan = pd.DataFrame([{"staff_id": s, "period": "2026-01", "unit_id": "U", **RS.full_marks()}
                        for s in "AB"])  # fmt: skip
    feb = jan.assign(period="2026-02", degradation=[True, False])
    sr = pd.concat([classify_frame(jan, units, RS)[0],
                    classify_frame(feb, units.assign(period="2026-02"), RS)[0]],
                   ignore_index=True)  # fmt: skip
    assert sr["degradation"].dtype == object
    back = _csv(sr, tmp_path)
    for months in (sr, back):
        assert classify_year(months, None, RULE_SET)[["staff_id", "grade"]].values.tolist() == [
            ["A", "KHT"], ["B", "HTT"]]
