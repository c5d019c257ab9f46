"""Quy định 366-QĐ/TW Điều 11 k4 for a collective, as the preset ``vn.qd366-2025`` follows it,
worked by hand from the text (docs/_research/legal-sources.md §9, quoted from a secondary
source that reproduces Điều 11):

* k4 "Không hoàn thành nhiệm vụ: Tập thể, cá nhân có tổng điểm đánh giá dưới 50 điểm hoặc
  thuộc một trong các trường hợp sau: - Đối với tập thể lãnh đạo, quản lý: Bị cấp có thẩm
  quyền kết luận có sai phạm trong công tác cán bộ, mất đoàn kết nội bộ, bè phái, chạy chức,
  chạy quyền trong phạm vi phụ trách. … Địa phương, tổ chức, cơ quan, đơn vị do mình trực
  tiếp lãnh đạo, quản lý hoàn thành dưới 70% số nhiệm vụ theo chương trình, kế hoạch trong
  năm …" — the unit's flag ``personnel_wrongdoing`` and Σ done ÷ Σ assigned below 70 %;
* k1 "Không có đơn vị trực thuộc (đối với tổ chức, cơ quan, đơn vị) hoặc thành viên của tập
  thể lãnh đạo, quản lý bị kỷ luật": a unit flagged ``disciplined`` keeps its parent from
  HTXS; the collective's own discipline is in neither k1's conditions nor k4's cases (only in
  k4's last sentence, on mitigation): its own grade is unchanged.

The preset scores a unit 100 × done ÷ assigned plus its ``bonus``, to the cent (every unit a
root unless said). By hand, (assigned, done, exceeded, bonus, W = personnel_wrongdoing):

* ``X`` (10, 10, 3, 0) → 100, 100 % done, 30 % exceeded → HTXS;
* ``W`` the same with W → KHT whatever its score (k4), ``unit.kht_personnel_wrongdoing``;
* ``L`` (10, 6, 0, 30) → 90, 60 % done < 70 % → KHT (k4), ``unit.kht_below_done``; before
  this preset read k4: HTT (the HTXS band, 100 % done not met);
* ``E`` (10, 7, 0, 20) → 90, 70 % done: not below 70 % → HTT (k1's 100 % not met).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.workflow import year_units
from tests._cli_helpers import unit_month

RS = evalkit.rules.get("vn.qd366-2025")
PERIOD = "2026-03"
WRONG, BELOW = "unit.kht_personnel_wrongdoing", "unit.kht_below_done"
CITED = "QĐ 366-QĐ/TW, Điều 11 k4"
COLUMNS = ("tasks_assigned", "tasks_done", "tasks_exceeded", "bonus", "personnel_wrongdoing")
UNITS: dict[str, tuple[Any, ...]] = {
    "X": (10, 10, 3, 0, False), "W": (10, 10, 3, 0, True),
    "L": (10, 6, 0, 30, False), "E": (10, 7, 0, 20, False)}  # fmt: skip
#: by hand (module docstring): unit → (score, grade, the k4 codes said)
WANT = {"X": (100.0, "HTXS", set()), "W": (100.0, "KHT", {WRONG}),
        "L": (90.0, "KHT", {BELOW}), "E": (90.0, "HTT", set())}  # fmt: skip
WRONG_VI = ("Bị cấp có thẩm quyền kết luận có sai phạm trong công tác cán bộ, mất đoàn kết nội "
            "bộ, bè phái, chạy chức, chạy quyền: xếp loại Không hoàn thành nhiệm vụ")
BELOW_VI = "Hoàn thành 60% nhiệm vụ, dưới 70%: xếp loại Không hoàn thành nhiệm vụ"


def _inputs(u: str) -> dict[str, Any]:
    return dict(zip(COLUMNS, UNITS[u], strict=True))


def _staff(units: Any, periods: list[str]) -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                          "period": p, "category": "can_bo", **RS.full_marks()}
                         for u in units for p in periods])  # fmt: skip


def _org(units: Any) -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}") for u in units],
        staff=[evalkit.Staff(f"S{u}", f"Người {u}", "CB", u, category="can_bo") for u in units],
        positions=[evalkit.Position("CB", "Cán bộ")])  # fmt: skip


def test_the_preset_reads_article_11_k4_for_a_collective() -> None:
    """The two k4 cases are data in the preset, each cited to the clause."""
    u = RS.units
    assert (u.kht_personnel_wrongdoing, u.kht_below_done_percent) == (True, 70)
    assert (u.personnel_wrongdoing_source, u.kht_source) == (CITED, CITED)
    assert "personnel_wrongdoing" in RS.unit_flags_read()
    # k1's "khắc phục 100% … ở thời điểm kiểm điểm trước", in its own words since af176
    # (before: not read, the one sentence being NĐ 233's k1 c)
    assert "shortcomings_unremedied" in RS.unit_flags_read()
    assert (u.shortcomings_pointed_out_by, u.shortcomings_source) == (
        "previous_review", "QĐ 366-QĐ/TW, Điều 11 k1")


def test_the_frame_and_the_objects_grade_each_case_kht_with_its_citation() -> None:
    """Điều 11 k4: wrongdoing in personnel work, or under 70 % of the tasks done, is KHT
    whatever the score; 70 % itself is not below it. The frame and the objects agree."""
    frame = pd.DataFrame([{"unit_id": u, "period": PERIOD, **_inputs(u)} for u in UNITS])
    _, ut = evalkit.classify_frame(_staff(UNITS, [PERIOD]), frame, RS)
    got = {str(r.unit_id): (float(r.score), str(r.grade),
                            set(str(r.reasons).split(";")) & {WRONG, BELOW})
           for r in ut.itertuples()}  # fmt: skip
    assert got == WANT
    out = evalkit.classify_organisation(
        _org(UNITS), [evalkit.Assessment(f"S{u}", PERIOD, competent_scores=RS.full_marks())
                      for u in UNITS],
        [evalkit.UnitInputs(u, PERIOD, **_inputs(u)) for u in UNITS], RS)  # fmt: skip
    assert {u: (c.unit.score, c.unit.grade.code if c.unit.grade else None,
                {r.code for r in c.unit.reasons} & {WRONG, BELOW})
            for u, c in out.items()} == WANT  # fmt: skip
    said = {r.code: (r.message_vi, r.source) for u in ("W", "L") for r in out[u].unit.reasons}
    assert said[WRONG] == (WRONG_VI, CITED)
    assert said[BELOW] == (BELOW_VI, CITED)


@pytest.mark.slow
def test_the_command_line_grades_each_case(tmp_path: Path) -> None:
    """The QĐ 366 template's units sheet has the flag; "x" typed in it and the task counts
    are read by validate and classify as by the frame and the objects."""
    units = unit_month(
        tmp_path, RS.id, PERIOD, dict.fromkeys(UNITS),
        lambda s, row: {f"competent__{k}": v for k, v in RS.full_marks().items()},
        lambda u, row: {k: ("x" if v is True else None if v is False else v)
                        for k, v in _inputs(u).items()}, category="can_bo")  # fmt: skip
    got = {str(r["unit_id"]): (float(r["score"]), str(r["grade"]),
                               set(str(r.get("reasons") or "").split(";")) & {WRONG, BELOW})
           for r in units}  # fmt: skip
    assert got == WANT


def test_the_year_is_kht_below_70_percent_of_its_months_tasks() -> None:
    """k4 "hoàn thành dưới 70% số nhiệm vụ … trong năm": Σ done ÷ Σ assigned over the months,
    13 of 20 = 65 % → KHT, though the year's mean score is 95 (100 and 90); 14 of 20 = 70 % is
    not below it (HTT: k1's 100 % not met)."""
    months = ["2026-01", "2026-02"]
    rows = {("Y", "2026-01"): (10, 10, 3, 0), ("Y", "2026-02"): (10, 3, 0, 60),
            ("Z", "2026-01"): (10, 10, 3, 0), ("Z", "2026-02"): (10, 4, 0, 50)}
    units = pd.DataFrame([{"unit_id": u, "period": p, **dict(zip(COLUMNS, v, strict=False))}
                          for (u, p), v in rows.items()])  # fmt: skip
    st_, ut = evalkit.classify_frame(_staff("YZ", months), units, RS)
    year = evalkit.classify_year(st_, ut, RS)
    graded = year_units(year, ut).set_index("unit_id")
    assert {u: (str(graded.loc[u, "grade"]), BELOW in str(graded.loc[u, "reasons"]).split(";"))
            for u in "YZ"} == {"Y": ("KHT", True), "Z": ("HTT", False)}  # fmt: skip
    assert dict(zip(year["staff_id"], year["unit_grade"].astype(str), strict=True)) == {
        "SY": "KHT", "SZ": "HTT"}


def test_a_disciplined_collective_keeps_its_parent_from_htxs_not_itself() -> None:
    """k1 names a subordinate unit disciplined, not the collective itself; k4 does not list a
    collective's own discipline among its cases (unchanged reading, said in the preset)."""
    units = pd.DataFrame([
        {"unit_id": "P", "period": PERIOD, **_inputs("X")},
        {"unit_id": "C", "parent_id": "P", "period": PERIOD, **_inputs("X"),
         "disciplined": True}])  # fmt: skip
    _, ut = evalkit.classify_frame(_staff("PC", [PERIOD]), units, RS)
    got = ut.set_index("unit_id")
    assert (str(got.loc["P", "grade"]), str(got.loc["C", "grade"])) == ("HTT", "HTXS")
    assert "unit.excellent_condition.discipline" in str(got.loc["P", "reasons"]).split(";")
