"""Every problem of an input in one error (audit 10): the competent level's conclusions for
the year and one person's assessment no longer stop at the first bad value."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit

RS = evalkit.rules.get("vn.nd335-2025")
FULL = RS.full_marks()


def _months() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [{"staff_id": f"T{i}", "unit_id": "U", "period": f"2026-{m:02d}",
             "category": "cong_chuc", **FULL, "so_luong": 40.0}
            for i in range(6) for m in range(1, 13)]  # fmt: skip
    return evalkit.classify_frame(pd.DataFrame(rows), pd.DataFrame({"unit_id": ["U"]}))


def test_every_bad_conclusion_is_named_by_its_own_row() -> None:
    staff, units = _months()
    conclusions = pd.DataFrame({
        "staff_id": ["ZZZ", "T1", "T2", "T3", "T4", "T4"],
        "competent_grade": ["HT", "XS", "HT", None, "HTT", "HTT"],
        "competent_reason": ["x", "", "", "", "y", "y"],
        "competent_order": [None, None, None, "abc", None, None],
    }, index=[f"c{i}" for i in range(6)])
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_year(staff, units, conclusions=conclusions)
    got = [(p.row, p.column, p.staff_id) for p in exc.value.problems]
    assert got == [("c0", "staff_id", "ZZZ"), ("c1", "competent_grade", "T1"),
                   ("c2", "competent_reason", "T2"), ("c3", "competent_order", "T3"),
                   ("c4", "staff_id", "T4"), ("c5", "staff_id", "T4")]


def test_good_conclusions_still_apply() -> None:
    staff, units = _months()
    year = evalkit.classify_year(staff, units, conclusions=pd.DataFrame({
        "staff_id": ["T2"], "competent_grade": ["HT"], "competent_reason": ["chậm tiến độ"]}))
    t2 = year.set_index("staff_id").loc["T2"]
    assert t2["score_grade"] == "HTT" and t2["grade"] == "HT"


def test_an_assessment_says_every_bad_score_with_the_person() -> None:
    with pytest.raises(evalkit.ScoreError) as exc:
        evalkit.Assessment("X", "2026-03", competent_scores={"so_luong": -1, "tien_do": "abc",
                                                            "chat_luong": 90})
    said = str(exc.value)
    assert "'so_luong' score -1 is negative" in said and "'tien_do'" in said
    assert "(staff 'X', 2026-03, competent_scores)" in said


def test_score_says_every_score_the_rule_set_refuses() -> None:
    general = {k: v for k, v in FULL.items() if k not in ("so_luong", "chat_luong", "tien_do")}
    a = evalkit.Assessment("X", "2026-03", competent_scores={
        **general, "so_luong": 130, "chat_luongg": 90, "chat_luong": 90, "tien_do": 90})
    with pytest.raises(evalkit.ScoreError) as exc:
        evalkit.score(a)
    said = str(exc.value)
    assert "'so_luong' score 130 exceeds its maximum 100" in said
    assert "unknown criterion 'chat_luongg'" in said
    assert said.endswith("(staff 'X', 2026-03, competent_scores)")


def test_score_names_the_level_of_each_refused_score() -> None:
    general = {k: v for k, v in FULL.items() if k not in ("so_luong", "chat_luong", "tien_do")}
    a = evalkit.Assessment("X", "2026-03", self_scores={"so_luong": 130},
                           manager_scores={**general, "so_luong": 120, "chat_luong": 90,
                                           "tien_do": 90})  # fmt: skip
    with pytest.raises(evalkit.ScoreError) as exc:
        evalkit.score(a)
    assert str(exc.value) == (
        "criterion 'so_luong' score 120 exceeds its maximum 100 (manager_scores); criterion "
        "'so_luong' score 130 exceeds its maximum 100 (self_scores) (staff 'X', 2026-03)")


def test_a_bad_grade_is_said_in_vietnamese_with_the_vietnamese_names_only() -> None:
    from evalkit.messages import translate

    staff, units = _months()
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_year(staff, units, conclusions=pd.DataFrame({
            "staff_id": ["T1"], "competent_grade": ["XS"], "competent_reason": ["x"]}))
    said = translate(exc.value.problems[0].message)
    # (af192: the one sentence every door says for a grade it cannot read)
    assert said.startswith("không phải là mức xếp loại") and "HTXS" in said
    assert "duties" not in said and "Excellently" not in said


@pytest.mark.parametrize("order", [-1, 0, 1.5, "abc"])
def test_the_competent_levels_order_is_a_rank(order: object) -> None:
    """The quota's last tie-break (domain brief §4.6: the competent level's explicit order)
    is 1, 2, 3 …: anything else is refused with its row, in the year's conclusions and in
    a month's frame."""
    staff, units = _months()
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_year(staff, units, conclusions=pd.DataFrame({
            "staff_id": ["T1"], "competent_grade": ["HTT"], "competent_order": [order]}))
    assert [(p.row, p.column) for p in exc.value.problems] == [(0, "competent_order")]
    month = pd.DataFrame([{"staff_id": "A", "period": "2026-03", "category": "cong_chuc",
                           **FULL, "competent_order": order}])  # fmt: skip
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.score_frame(month)
    assert [(p.row, p.column) for p in exc.value.problems] == [(0, "competent_order")]
