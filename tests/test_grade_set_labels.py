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


# ------------------------------------------------------------------ af66: the objects door

_HN_SCORES = {"ky_luat": 10, "dao_duc": 10, "ket_qua_nhiem_vu": 65, "sang_kien": 10}  # 95: Loại A


def _hanoi_org() -> evalkit.Organisation:
    return evalkit.Organisation(units=[evalkit.Unit("P1", "Phòng 1")],
                                positions=[evalkit.Position("CV", "Chuyên viên")],
                                staff=[evalkit.Staff("HN1", "Nguyễn Văn A", "CV", "P1")])  # fmt: skip


@pytest.mark.parametrize("typed", ["Loại B", "loại b", "Grade B"])
def test_assessment_reads_the_set_label_by_the_set_it_is_scored_under(typed: str) -> None:
    """A Hà Nội conclusion typed "Loại B" on an Assessment is HTT (QĐ 3814-QĐ/TU: B is
    70 to < 90), as the frame doors read it: score, classify_unit, classify_organisation."""
    a = evalkit.Assessment("HN1", "2024-03", manager_scores=_HN_SCORES, competent_grade=typed,
                           competent_reason="Chưa chủ động", proposed_grade=typed)  # fmt: skip
    one = evalkit.score(a, rules=HANOI, category="cong_chuc")
    assert (one.total, one.grade) == (95.0, evalkit.Grade.HTT)
    assert "competent.concluded" in one.reason_codes()
    unit = evalkit.classify_unit(_hanoi_org(), "P1", [a], [], HANOI).result_of("HN1")
    assert unit.grade == evalkit.Grade.HTT
    assert "competent.concluded" in unit.reason_codes()
    org = evalkit.classify_organisation(_hanoi_org(), [a], [], HANOI)["P1"].result_of("HN1")
    assert org.grade == evalkit.Grade.HTT


def test_assessment_label_of_another_set_is_refused_when_scored() -> None:
    """"Loại B" names no grade of NĐ 335/2025 (its bands are HTXS/HTT/HT/KHT): refused,
    naming the field and the words accepted, as score_frame refuses the cell."""
    a = evalkit.Assessment("CC1", "2026-03", competent_grade="Loại B",
                           competent_reason="x")  # fmt: skip
    with pytest.raises(evalkit.EvalkitError, match=r"competent_grade.*Loại B.*HTT"):
        evalkit.score(a, rules="vn.nd335-2025", category="cong_chuc")


def test_bad_grade_under_hanoi_lists_the_sets_words_too() -> None:
    """A grade no word of the Hà Nội set names is refused with its words (Loại A … Loại D)
    listed beside the national codes: at the frame door and the objects door."""
    frame = _staff(competent_grade="Loại E")
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.score_frame(frame, HANOI)
    said = [p.message for p in exc.value.problems if p.column == "competent_grade"]
    assert len(said) == 1 and all(w in said[0] for w in ("Loại A", "Loại B", "Loại C", "Loại D",
                                                          "HTXS", "KHT"))  # fmt: skip
    a = evalkit.Assessment("HN1", "2024-03", manager_scores=_HN_SCORES,
                           competent_grade="Loại E", competent_reason="x")  # fmt: skip
    with pytest.raises(evalkit.EvalkitError, match=r"Loại E.*Loại A"):
        evalkit.score(a, rules=HANOI, category="cong_chuc")


def test_national_row_message_does_not_offer_the_hanoi_words() -> None:
    """Under NĐ 335 the accepted words are the national ones only."""
    frame = pd.DataFrame([{"staff_id": "A", "period": "2026-03", "category": "cong_chuc",
                           "self_grade": "Loại E"}])  # fmt: skip
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.score_frame(frame, "vn.nd335-2025")
    said = [p.message for p in exc.value.problems if p.column == "self_grade"]
    assert len(said) == 1 and "Loại" not in said[0] and "HTT" in said[0]


@pytest.mark.parametrize("bare", ["A", "B", "c", "D"])
def test_a_bare_letter_is_no_hanoi_grade_and_the_error_names_the_words(bare: str) -> None:
    """The set's data spells its bands "Loại A" … "Loại D" / "Grade A" … (label_vi,
    label_en): a bare letter is no documented spelling, refused naming the words."""
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.score_frame(_staff(competent_grade=bare), HANOI)
    said = [p.message for p in exc.value.problems if p.column == "competent_grade"]
    assert len(said) == 1 and "Loại B" in said[0] and "Grade B" in said[0]


def test_year_sheet_reads_the_conclusions_grades_by_the_set() -> None:
    """The annual conclusions classify_year reads ("Loại B") print on the year's sheet:
    the person's "Loại A" and the manager's "Loại B" as the Hà Nội set names them, not
    refused as unknown national grades."""
    from evalkit import render

    year = pd.DataFrame({"staff_id": list("ABC"), "period": "2024-12", "unit_id": "U",
                         "category": "hop_dong", "rule_set": HANOI,
                         "total": [95.0, 80.0, 80.0]})  # fmt: skip
    said = pd.DataFrame({"staff_id": ["A"], "competent_grade": ["Loại B"],
                         "competent_reason": ["Chưa chủ động"], "self_grade": ["Loại A"],
                         "manager_grade": ["loại b"]})  # fmt: skip
    out = evalkit.classify_year(year, conclusions=said)
    sheet = render.period_sheets_from_results(out[out["staff_id"] == "A"], conclusions=said)[0]
    assert (sheet.proposed_grade, sheet.manager_grade) == (evalkit.Grade.HTXS, evalkit.Grade.HTT)
    bad = said.assign(self_grade="Loại E")
    with pytest.raises(evalkit.EvalkitError, match="Loại E"):
        render.period_sheets_from_results(out[out["staff_id"] == "A"], conclusions=bad)


@pytest.mark.parametrize("typed", ["Loại E", "B"])
def test_workbook_names_the_sets_words_for_a_bad_grade(tmp_path, typed: str) -> None:
    """The workbook refuses a grade the Hà Nội set does not name with the set's own words
    (Loại A … Loại D) beside the national ones, as the frame doors do; a bare letter is no
    spelling the set's data gives (its labels are "Loại A" …, "Grade A" …)."""
    path = tmp_path / "t.xlsx"
    write_template(path, HANOI, "2024-03", staff_rows=5)
    wb = openpyxl.load_workbook(path)
    ws = wb["Nhân sự - Điểm"]
    col = {str(c.value).split("[")[-1].rstrip("]"): c.column for c in ws[1]}
    for key, value in {"staff_id": "HN1", "full_name": "Nguyễn Văn A", "unit_id": "P1",
                       "category": "cong_chuc", "competent_grade": typed}.items():
        ws.cell(2, col[key], value)
    wb.save(path)
    _frame, problems = read_workbook(path)
    said = [p.message for p in problems if p.column == "competent_grade"]
    assert len(said) == 1 and all(w in said[0] for w in ("HTXS", "Loại A", "Loại D"))


def test_objects_year_reads_a_hanoi_conclusion_word_as_its_grade() -> None:
    """The object door's year reads the competent level's 'Loại B' for the year by the Hà Nội
    set (QĐ 3814: B is HTT), as it reads 'HTT': the same grade and the same reasons."""
    from evalkit import Assessment, Organisation, Position, Staff, Unit
    from evalkit.units import UnitInputs, classify_organisation, classify_organisation_year

    rs = "hanoi.3814-2018"
    org = Organisation(units=[Unit("U", "Phòng A", head_id="H")],
                       positions=[Position("P", "Chuyên viên")],
                       staff=[Staff("H", "Trần Thị Hoa", "P", "U"),
                              Staff("S", "Lê Văn Sơn", "P", "U")])  # fmt: skip
    top = evalkit.rules.get(rs).full_marks()
    months = [classify_organisation(
        org, [Assessment(s, f"2024-{m:02d}", competent_scores=top) for s in "HS"],
        [UnitInputs("U", f"2024-{m:02d}", tasks_assigned=10, tasks_done=10)], rs)
        for m in range(1, 13)]  # fmt: skip

    def year_of(word: str) -> tuple[object, tuple[str, ...]]:
        said = [Assessment("S", "2024", competent_grade=word, competent_reason="Lý do")]
        r = classify_organisation_year(months, rs, conclusions=said)["U"].result_of("S")
        return r.grade, r.reason_codes()

    grade, codes = year_of("Loại B")
    assert grade == evalkit.Grade.HTT and "competent.concluded" in codes
    assert year_of("Loại B") == year_of("HTT")
