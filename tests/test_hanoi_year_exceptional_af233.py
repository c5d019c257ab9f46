"""Hà Nội: a unit recognised as especially outstanding (``exceptional``) for the YEAR (af233).

QĐ 3814-QĐ/TU raises the share of A to 40 % of all staff in a unit with especially
outstanding collective achievements — a monthly framework ("đánh giá hằng tháng"): the
preset's ``[quota]`` has ``periods = ["month"]`` (docs/_research/legal-sources.md §6). The
year's quota of cán bộ, công chức and viên chức is NĐ 90/2020 Điều 2 k6 (``[rollup.quota]``,
20 % of HTT, no raised share); contract staff's year has none. So nothing reads
``exceptional`` on a units row for the year: it used to be ignored without a word (a
contract unit of 20 all at the top band: 20 HTXS, recognised or not). It is now refused at
every door with the one sentence ``foreign.unit.flag_unread``, naming the sets whose year
reads it; the month's mark is still read (8 of 20 instead of 6).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.cli import main
from evalkit.io.archive import Archive
from evalkit.units import UnitInputs

RS = evalkit.rules.get("hanoi.3814-2018")
MONTH = "2026-03"
STAFF = [f"S{i:02d}" for i in range(20)]
SAID = ("unit A has exceptional set (2026), which rule set hanoi.3814-2018 does not read: the "
        "unit would be classified as if it were blank; clear it, or classify the unit under a "
        "rule set that reads it (vn.customs-2026q, vn.nd335-2025, vn.qd366-2025)")


def _staff() -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": s, "full_name": f"Người {s}", "unit_id": "A",
                          "period": MONTH, "category": "hop_dong", "rule_set": RS.id,
                          **RS.full_marks()} for s in STAFF])  # fmt: skip


def _units(exceptional: bool = False) -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": "A", "period": MONTH, "tasks_assigned": 10,
                          "tasks_done": 10, "exceptional": exceptional}])  # fmt: skip


def test_the_month_reads_it_the_year_does_not() -> None:
    assert "exceptional" in RS.unit_flags_read("month")
    assert "exceptional" not in RS.unit_flags_read("year")
    assert "exceptional" in RS.unit_flags_read()  # any period: the month's
    # the month: 30 % of 20 classified = 6 A; recognised: 40 % of all 20 = 8
    for flag, top in ((False, 6), (True, 8)):
        st, _ = evalkit.classify_frame(_staff(), _units(flag))
        assert (st["grade"] == "HTXS").sum() == top


def test_frame_refuses_the_years_exceptional() -> None:
    st, ut = evalkit.classify_frame(_staff(), _units())
    year_row = pd.DataFrame([{"unit_id": "A", "period": "2026", "exceptional": "x"}])
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_year(st, pd.concat([year_row, ut], ignore_index=True))
    assert [(p.unit_id, p.column, p.message) for p in exc.value.problems] == [
        ("A", "exceptional", SAID)]
    # the month's own mark, read back in its results, is the month's: not refused
    st, ut = evalkit.classify_frame(_staff(), _units(True))
    assert len(evalkit.classify_year(st, ut)) == len(STAFF)


def test_objects_refuse_the_years_exceptional() -> None:
    org = evalkit.Organisation(
        units=[evalkit.Unit("A", "Đơn vị A")],
        staff=[evalkit.Staff(s, f"Người {s}", "CV", "A", category="hop_dong") for s in STAFF],
        positions=[evalkit.Position("CV", "Chuyên viên")])  # fmt: skip
    said = [evalkit.Assessment(s, MONTH, competent_scores=RS.full_marks()) for s in STAFF]
    month = evalkit.classify_organisation(
        org, said, [UnitInputs("A", MONTH, tasks_assigned=10, tasks_done=10)], RS)
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_organisation_year([month], RS,
                                           unit_year=[UnitInputs("A", "2026", exceptional=True)])
    assert [(p.unit_id, p.column, p.message) for p in exc.value.problems] == [
        ("A", "exceptional", SAID)]


def test_cli_annual_refuses_the_years_exceptional(tmp_path: Path) -> None:
    st, ut = evalkit.classify_frame(_staff(), _units())
    results = pd.concat([_staff(), st[[c for c in st.columns if c not in _staff()]]], axis=1)
    results.attrs["rule_set"] = RS.id
    archive = tmp_path / "a.sqlite"
    with Archive(archive) as arc:
        arc.finalize(results, by="TCCB", units=ut)
    grades = tmp_path / "don-vi.csv"
    grades.write_text("unit_id,exceptional\nA,x\n", encoding="utf-8")
    buf = io.StringIO()
    code = main(["--lang", "en", "annual", "--archive", str(archive), "--year", "2026",
                 "--unit-grades", str(grades), "--json"], stdout=buf)  # fmt: skip
    out = json.loads(buf.getvalue())
    assert code == 1, out
    assert [(p["column"], p["message"]) for p in out["problems"]] == [("exceptional", SAID)]
