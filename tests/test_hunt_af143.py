"""Hunt af143: the sheets read what they print as every door reads it, and say it as a
Vietnamese legal document.

An amended yes/no fact is printed "Có" / "Không" as the object door
(:class:`evalkit.Assessment`) and the frame door (:func:`evalkit.scoring.read_flags`,
what ``score_frame`` and the workbook read) read the recorded value: the sheet had its own
reader, which took "Đúng", "✓", "v", "Y" and "1.0" for no, a blank (NaN) suy thoái for
yes, a blank of spaces in ``discipline_related_to_duty`` for no and stopped on ``pd.NA``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import evalkit.rules
from evalkit.model import Assessment
from evalkit.render import Amended, amended_words
from evalkit.scoring import read_flags

#: The yes/no facts an amendment may change (evalkit.io.archive.amendable_fields) and the
#: words a sheet says them by (render's labels).
FLAGS = {
    "degradation": "Suy thoái về tư tưởng chính trị, đạo đức, lối sống",
    "corruption_in_unit": "Tham nhũng, lãng phí trong đơn vị mình quản lý",
    "party_discipline": "Kỷ luật Đảng trong năm",
    "discipline_related_to_duty": "Kỷ luật do vi phạm liên quan đến thi hành công vụ",
}
#: Values an archive may hold for a yes/no fact: typed words, marks, numbers, blanks.
RECORDED = ["x", "có", "1", True, "false", "", None, "Đúng", "✓", "v", "Y", "1.0", "0",
            0, 1, "không", "KHÔNG", "False", " ", math.nan, np.float64("nan"), pd.NA,
            np.bool_(True)]  # fmt: skip


def _doors(key: str, value: object) -> set[bool]:
    """What the object door and the frame door read ``value`` of ``key`` as."""
    obj = bool(getattr(Assessment("S", "2026-03", **{key: value}), key))
    frame = bool(read_flags(pd.DataFrame({key: [value]}, dtype=object))[key][0])
    return {obj, frame}


@pytest.mark.parametrize("value", RECORDED, ids=repr)
@pytest.mark.parametrize("key", sorted(FLAGS))
def test_an_amended_yes_no_fact_is_printed_as_every_door_reads_it(key: str, value: object) -> None:
    """The sheet's "Có"/"Không" for a recorded yes/no value is what the Assessment and a
    frame read it as (one reader, evalkit._words.bool_of); a blank is the fact's default
    on every door: yes for discipline_related_to_duty (NĐ 335/2025/NĐ-CP Điều 20 k4 c
    counts a discipline unless it is said to be unrelated to the duties), no otherwise."""
    (read,) = _doors(key, value)  # the doors agree with each other
    rs = evalkit.rules.get("vn.nd90-2020")  # the set with every one of these facts
    opposite = not read
    a = Amended("2026-12-05T10:00:00+00:00", "Giám đốc", "Kiểm tra", {key: value},
                {key: opposite})  # fmt: skip
    (said,) = amended_words(rs, [a], classified=False, lang="vi")
    words = {True: "Có", False: "Không"}
    assert said["changes"] == [f"{FLAGS[key]}: {words[read]} → {words[opposite]}"]
    (en,) = amended_words(rs, [a], classified=False, lang="en")
    assert en["changes"][0].endswith(f": {'Yes' if read else 'No'} → {'Yes' if opposite else 'No'}")


def _deduction_rows(rule_set_id: str, period: str) -> list[str]:
    """The rows a sheet prints under (b) for a person whose direct manager counted one
    major error (every other criterion at its maximum), as the results file gives it."""
    from evalkit.render import sheets_from_results
    from evalkit.render._view import criteria_rows
    from evalkit.units import classify_frame

    rs = evalkit.rules.get(rule_set_id)
    scores = {**rs.full_marks(), "loi_chat_luong": 1}
    sm = pd.DataFrame([{"staff_id": "CV1", "full_name": "Trần Văn An", "unit_id": "TCCB",
                        "unit_name": "Phòng Tổ chức cán bộ", "position_title": "Chuyên viên",
                        "category": "cong_chuc", "period": period, **scores,
                        **{f"manager__{k}": v for k, v in scores.items()}}])  # fmt: skip
    staff, _ = classify_frame(sm, pd.DataFrame({"unit_id": ["TCCB"]}), rules=rs)
    (sheet,) = sheets_from_results(sm.join(staff.drop(columns=sm.columns, errors="ignore")))
    return [r.label for r in criteria_rows(sheet, "vi") if r.kind == "applied"]


def test_a_deduction_row_names_the_decree_where_the_sheet_rests_on_another_document() -> None:
    """A customs quarter sheet rests on CV 21169/CHQ-TCCB (its "Căn cứ"); the 25 % taken off
    per major error is NĐ 335/2025/NĐ-CP Điều 14 k2 b, so its row names the decree — a bare
    "Điều 14 k2 b" there reads as an article of the letter. Under NĐ 335 itself the row
    keeps the article alone (the sheet's basis names the decree)."""
    want = "Trừ 1 lần × 25% (sản phẩm không đạt yêu cầu do lỗi lớn)"
    assert _deduction_rows("vn.customs-2026q", "2026-Q3") == [
        f"{want}, NĐ 335/2025/NĐ-CP, Điều 14 k2 b"]
    assert _deduction_rows("vn.nd335-2025", "2026-03") == [f"{want}, Điều 14 k2 b"]


def test_a_quarters_ground_on_the_year_sheet_is_said_as_a_quarter() -> None:
    """A customs leader's year (CV 21169/CHQ-TCCB: quarters): the quarter whose component
    (d) was halved (NĐ 335/2025/NĐ-CP, Điều 15 k3) is said "Quý 3/2026: Thành phần (d) …",
    never "Tháng Quý 3/2026" (the year of months' word before a quarter); a month of a year
    of months keeps "Tháng 03/2026"."""
    from evalkit import EvaluationResult, Grade, Period, Position, Staff, Unit
    from evalkit.reasons import make_reasons
    from evalkit.render import Agency, PeriodSheet
    from evalkit.render._reports import period_sheet_context

    def said(rule_set_id: str, periods: list[str]) -> list[str]:
        rs = evalkit.rules.get(rule_set_id)
        d = rs.management.computed if rs.management else ""
        row = {"mgmt_value": 50.0, "mgmt_subordinates": 4, "mgmt_below": 1}
        parts = [EvaluationResult("TP", Period.parse(p), rs.id, 94.17, Grade.HTXS, Grade.HTXS,
                                  reasons=make_reasons("management.d", rs, row))
                 for p in periods]  # fmt: skip
        sheet = PeriodSheet(Staff("TP", "Nguyễn Thị Hồng", "TP", "P", manages_others=True),
                            Position("TP", "Trưởng phòng", manages_others=True),
                            Unit("P", "Phòng Tổ chức cán bộ", head_id="TP"), "2026", parts, rs,
                            Agency("Sở Nội vụ"), management={p: {d: 50.0} for p in periods},
                            result=EvaluationResult("TP", Period.parse("2026"), rs.id, 94.17,
                                                    Grade.HTXS, Grade.HTXS))  # fmt: skip
        return [g["period"] for g in period_sheet_context(sheet, "vi")["month_grounds"]]

    assert said("vn.customs-2026q", ["2026-Q3", "2026-Q4"]) == ["Quý 3/2026", "Quý 4/2026"]
    assert said("vn.nd335-2025", ["2026-03"]) == ["Tháng 03/2026"]
