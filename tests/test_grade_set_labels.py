"""A grade cell is read by the labels of its row's rule set too (af62): a Hà Nội competent
level typing its conclusion as "Loại B", "loại b" or "Grade B" (the bands' ``label_vi`` /
``label_en`` of ``hanoi.3814-2018``) is read as HTT at every door of a staff frame and in
the workbook; under a set whose bands carry no such label it is still no grade."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

import evalkit
from evalkit.io.workbook import read_workbook, write_template

HANOI = "hanoi.3814-2018"


def _staff(**grades: str) -> pd.DataFrame:
    return pd.DataFrame([
        dict(staff_id="HN1", period="2024-03", category="cong_chuc", unit_id="P1",
             ky_luat=10, dao_duc=10, ket_qua_nhiem_vu=65, sang_kien=10,  # 95: Loại A
             competent_reason="Chưa chủ động", **grades),
        {"staff_id": "HN2", "period": "2024-03", "category": "cong_chuc", "unit_id": "P1",
             "ky_luat": 10, "dao_duc": 10, "ket_qua_nhiem_vu": 60},
    ])  # fmt: skip


_UNITS = pd.DataFrame([{"unit_id": "P1", "period": "2024-03", "council_score": 95}])


@pytest.mark.parametrize("typed", ["Loại B", "loại b", "LOAI B", "Grade B"])
def test_set_label_is_read_by_score_frame_and_classify_frame(typed: str) -> None:
    frame = _staff(self_grade=typed, manager_grade=typed, competent_grade=typed)
    scored = evalkit.score_frame(frame, HANOI)
    assert scored["competent_grade"].astype(str).tolist()[0] == "HTT"
    assert scored["grade"].astype(str).tolist() == ["HTT", "HTT"]
    staff, _ = evalkit.classify_frame(frame, _UNITS, HANOI)
    assert staff["competent_grade"].astype(str).tolist()[0] == "HTT"
    assert staff["grade"].astype(str).tolist() == ["HTT", "HTT"]
    assert "competent.concluded" in staff["reasons"].iloc[0]


def test_set_label_per_row_rule_set() -> None:
    """Rows under two sets: "Loại B" is a grade of the Hà Nội row only."""
    frame = pd.DataFrame([
        {"staff_id": "HN1", "period": "2024-03", "rule_set": HANOI, "ky_luat": 10, "dao_duc": 10,
             "ket_qua_nhiem_vu": 60, "self_grade": "Loại B"},
        {"staff_id": "CC1", "period": "2024-03", "rule_set": "vn.nd90-2020", "self_grade": "Loại B"},
    ])  # fmt: skip
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.score_frame(frame, force=True)
    bad = [(p.row, p.column) for p in exc.value.problems if "grade" in (p.column or "")]
    assert bad == [(1, "self_grade")]


def test_other_set_refuses_the_label() -> None:
    frame = pd.DataFrame([{"staff_id": "A", "period": "2026-03", "category": "cong_chuc",
                               "self_grade": "Loại B"}])  # fmt: skip
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.score_frame(frame, "vn.nd335-2025")
    assert [p.column for p in exc.value.problems if "grade" in (p.column or "")] == ["self_grade"]


def test_workbook_reads_the_set_labels(tmp_path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(path, HANOI, "2024-03", staff_rows=5)
    wb = openpyxl.load_workbook(path)
    ws = wb["Nhân sự - Điểm"]
    col = {str(c.value).split("[")[-1].rstrip("]"): c.column for c in ws[1]}
    row = {"staff_id": "HN1", "full_name": "Nguyễn Văn A", "unit_id": "P1",
           "category": "cong_chuc", "manager__ky_luat": 10, "manager__dao_duc": 10,
           "manager__ket_qua_nhiem_vu": 65, "manager__sang_kien": 10,
           "manager__thanh_tich": 0, "self_grade": "Loại A", "manager_grade": "grade b",
           "competent_grade": "Loại B", "competent_reason": "Chưa chủ động"}  # fmt: skip
    for key, value in row.items():
        ws.cell(2, col[key], value)
    units = wb["Đơn vị"]
    ucol = {str(c.value).split("[")[-1].rstrip("]"): c.column for c in units[1]}
    units.cell(2, ucol["unit_id"], "P1")
    units.cell(2, ucol["council_score"], 95)
    wb.save(path)
    frame, problems = read_workbook(path)
    assert problems == []
    assert frame[["self_grade", "manager_grade", "competent_grade"]].iloc[0].tolist() == [
        "HTXS", "HTT", "HTT"]


def test_year_conclusion_reads_the_set_labels() -> None:
    """classify_year's conclusions: each read by its year row's rule set."""
    year = pd.DataFrame({"staff_id": list("ABC"), "period": "2024-12", "unit_id": "U",
                         "category": "hop_dong", "rule_set": HANOI,
                         "total": [95.0, 80.0, 80.0]})  # fmt: skip
    said = pd.DataFrame({"staff_id": ["A"], "competent_grade": ["Loại B"],
                         "competent_reason": ["Chưa chủ động"]})  # fmt: skip
    out = evalkit.classify_year(year, conclusions=said)
    assert out["grade"].astype(str).tolist() == ["HTT", "HTT", "HTT"]
    assert "competent.concluded" in out["reasons"].iloc[0]
