"""A units frame cannot fool the engine either (issue 13, "impossible to fool with bad input").

A unit input typed under a wrong header (``task_done``, ``Tasks_Done``, ``hoàn thành``,
``council score``, ``exceptionnal``) was silently ignored and the unit graded without it:
its tasks done, its council's score, its recognition as especially outstanding (which
raises its staff's quota). And :func:`evalkit.classify_frame` stopped at the first kind of
problem: a bad ``period`` or a missing key column hid the unknown columns and the bad
values of the same call. Both frames' problems now come in one InputError.
"""

from __future__ import annotations

import string
from typing import Any

import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit._classify.units import UNIT_COLUMNS, UNIT_FLAG_COLUMNS, UNIT_INPUT_COLUMNS
from evalkit.scoring import KEPT_PREFIXES

RS = evalkit.rules.get("vn.nd335-2025")
FULL = RS.full_marks()
PERIOD = "2026-03"
KNOWN = UNIT_COLUMNS | set(UNIT_INPUT_COLUMNS) | set(UNIT_FLAG_COLUMNS)


def person(staff_id: str, **extra: Any) -> dict[str, Any]:
    return {"staff_id": staff_id, "unit_id": "U", "period": PERIOD, "category": "cong_chuc",
            **FULL, **extra}  # fmt: skip


#: H heads U: a management post (NĐ 335/2025 Điều 15), đ and e typed, d computed
HEAD_MARKS = {"to_chuc_trien_khai": 100.0, "tap_hop_doan_ket": 100.0}
STAFF = pd.DataFrame([person("H", **HEAD_MARKS), person("A"), person("B", so_luong=60)])


def unit(**extra: Any) -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": "U", "head_id": "H", "tasks_assigned": 10, **extra}])


def problems_of(call: Any) -> list[evalkit.InputProblem]:
    with pytest.raises(evalkit.InputError) as exc:
        call()
    return list(exc.value.problems)


class TestUnknownUnitColumns:
    @pytest.mark.parametrize(("header", "meant"), [
        ("task_done", "tasks_done"), ("Tasks_Done", "tasks_done"), ("hoàn thành", None),
        ("council score", "council_score"), ("exceptionnal", "exceptional"),
        ("TASKS-ASSIGNED", "tasks_assigned"), ("Đã_Kỷ_Luật", None), ("Unit_ID", "unit_id"),
    ])
    def test_a_misspelt_unit_column_is_refused_with_the_name_meant(
            self, header: str, meant: str | None) -> None:
        found = problems_of(lambda: evalkit.classify_frame(STAFF, unit(**{header: 9})))
        mine = [p for p in found if p.column == header]
        assert [(p.row, p.column, p.value) for p in mine] == [(None, header, None)]
        hint = f" (did you mean {meant!r}?)" if meant else ":"
        assert mine[0].message.startswith(f"unknown column {header!r}{hint}")
        assert "not a column of a units frame" in mine[0].message

    def test_a_body_no_rule_set_declares_is_refused(self) -> None:
        found = problems_of(lambda: evalkit.classify_frame(STAFF, unit(body_xyz=70)))
        assert [p.column for p in found] == ["body_xyz"]
        assert "evaluating body 'xyz' is not declared by rule set 'vn.nd335-2025'" in \
            found[0].message

    def test_the_value_under_a_wrong_header_is_not_lost(self) -> None:
        """Nine of ten tasks done: HTXS with the right header; the wrong one never grades."""
        _staff, right = evalkit.classify_frame(STAFF, unit(tasks_done=9))
        assert right["tasks_done"].tolist() == [9.0]
        found = problems_of(lambda: evalkit.classify_frame(STAFF, unit(Tasks_Done=9)))
        assert [p.column for p in found] == ["Tasks_Done"]

    def test_a_unit_results_frame_fed_back_is_accepted(self) -> None:
        staff, results = evalkit.classify_frame(STAFF, unit(tasks_done=9, exceptional=True))
        assert set(results.columns) <= KNOWN | {"score", "self_score", "council_score"}
        again_staff, again = evalkit.classify_frame(STAFF, results)
        assert again["grade"].tolist() == results["grade"].tolist()
        assert again_staff["grade"].tolist() == staff["grade"].tolist()
        year_staff = evalkit.classify_year(staff, results)  # the year reads them as they are
        assert len(year_staff) == 3

    def test_the_units_sheet_identity_columns_are_known(self) -> None:
        units = unit(tasks_done=9, name="Phòng A", parent_id=None, governing_body="UBND",
                     place="Hà Nội", rule_set=None, category=None)  # fmt: skip
        _staff, results = evalkit.classify_frame(STAFF, units)
        assert results["unit_id"].tolist() == ["U"]

    def test_own_columns_are_kept_by_prefix_or_by_extra_columns(self) -> None:
        _s, plain = evalkit.classify_frame(STAFF, unit(tasks_done=9))
        own = unit(tasks_done=9, _note="x", x_code=7, ma_don_vi_hrm="HR-1")
        _s, out = evalkit.classify_frame(STAFF, own, extra_columns=["ma_don_vi_hrm"])
        pd.testing.assert_frame_equal(out, plain)
        found = problems_of(lambda: evalkit.classify_frame(STAFF, own))
        assert [p.column for p in found] == ["ma_don_vi_hrm"]

    @given(st.text(string.ascii_letters + string.digits + "_ -.ạỷđà", min_size=1, max_size=20))
    def test_any_column_outside_the_known_set_is_refused(self, name: str) -> None:
        assume(name not in KNOWN and not name.startswith(KEPT_PREFIXES))
        assume(not name.startswith("body_"))  # checked against the rule set's bodies
        found = problems_of(lambda: evalkit.classify_frame(STAFF, unit(**{name: 1})))
        assert [(p.column, p.row) for p in found] == [(name, None)]

    @given(st.sampled_from(sorted(KNOWN - {"unit_id", "period", "score"})))
    def test_a_known_column_left_blank_is_accepted(self, name: str) -> None:
        # without a head H manages nobody: no đ, e typed for H then
        staff = STAFF.drop(columns=[*HEAD_MARKS]) if name == "head_id" else STAFF
        evalkit.classify_frame(staff, unit(**{name: None}))


class TestEveryProblemAtOnce:
    """Periods, unknown columns and bad values of both frames in one InputError."""

    def test_periods_columns_and_values_of_both_frames_together(self) -> None:
        staff = pd.DataFrame([person("H", period="2026-13"),
                              person("A", chat_luong=130, Discipline=1),
                              person("B", period="abc")])  # fmt: skip
        units = pd.DataFrame({"unit_id": ["U", "V"], "head_id": ["H", None],
                              "period": [PERIOD, "2026-14"], "tasks_assigned": [3, 1],
                              "tasks_done": [5, 1], "Tasks_Overdue": [1, 1]})  # fmt: skip
        found = problems_of(lambda: evalkit.classify_frame(staff, units))
        assert [(p.row, p.column, p.value, p.staff_id) for p in found] == [
            (None, "Tasks_Overdue", None, None),
            (0, "tasks_done", 5.0, None),
            (1, "period", "2026-14", None),
            (None, "Discipline", None, None),
            (0, "period", "2026-13", "H"),
            (1, "chat_luong", 130.0, "A"),
            (2, "period", "abc", "B"),
        ]
        assert "did you mean 'tasks_overdue'" in found[0].message
        assert "did you mean 'discipline'" in found[3].message

    def test_a_bad_period_does_not_hide_a_bad_cell_of_another_row(self) -> None:
        staff = pd.DataFrame([person("H", period="2026-13"), person("A", tien_do=-5)])
        found = problems_of(lambda: evalkit.classify_frame(staff, unit(tasks_done=9)))
        assert [(p.row, p.column) for p in found] == [(0, "period"), (1, "tien_do")]

    def test_a_bad_period_with_a_rule_set_named(self) -> None:
        staff = pd.DataFrame([person("H", period="2026-13"), person("A", kỷ_luật=1)])
        found = problems_of(lambda: evalkit.classify_frame(staff, unit(task_done=9), RS))
        assert [(p.row, p.column) for p in found] == [
            (None, "task_done"), (None, "kỷ_luật"), (0, "period")]

    def test_a_missing_key_column_does_not_hide_the_rest(self) -> None:
        staff = STAFF.drop(columns=["unit_id"]).assign(Discipline=1)
        units = unit(tasks_done=11, council_scor=90).drop(columns=["unit_id"])
        found = problems_of(lambda: evalkit.classify_frame(staff, units))
        assert [(p.row, p.column) for p in found] == [
            (None, "council_scor"), (None, "unit_id"), (None, "unit_id"), (None, "Discipline")]
        assert found[1].message == "the units frame needs a 'unit_id' column"
        assert found[2].message == "the staff-month frame needs a 'unit_id' column"

    def test_a_missing_period_column_is_named_once(self) -> None:
        found = problems_of(lambda: evalkit.classify_frame(STAFF.drop(columns=["period"]),
                                                           unit(bonus="abc")))  # fmt: skip
        assert [(p.row, p.column, p.value) for p in found] == [
            (0, "bonus", "abc"), (None, "period", None)]

    def test_a_unit_in_an_unknown_unit_is_named_with_the_other_problems(self) -> None:
        staff = pd.DataFrame([person("H", **HEAD_MARKS), person("A", unit_id="UU"),
                              person("B", period="2026-00")])  # fmt: skip
        found = problems_of(lambda: evalkit.classify_frame(staff, unit(tasks_done=9)))
        assert [(p.row, p.column, p.value) for p in found] == [
            (1, "unit_id", "UU"), (2, "period", "2026-00")]

    def test_text_in_several_unit_columns_is_reported_at_once(self) -> None:
        found = problems_of(lambda: evalkit.classify_frame(
            STAFF, unit(tasks_done="chín", bonus="abc", exceptional="maybe")))
        assert sorted((p.row, p.column) for p in found) == [
            (0, "bonus"), (0, "exceptional"), (0, "tasks_done")]

    def test_a_bad_cell_of_a_units_frame_without_periods_is_named_once(self) -> None:
        staff = pd.concat([STAFF, STAFF.assign(period="2026-04")], ignore_index=True)
        found = problems_of(lambda: evalkit.classify_frame(staff, unit(tasks_done="chín")))
        assert [(p.row, p.column, p.value) for p in found] == [(0, "tasks_done", "chín")]


@pytest.mark.parametrize(("units_extra", "staff_extra"), [
    ({"Tasks_Done": [3]}, {"Discipline": 1}),
    ({"zzz": [3]}, {"qqq": 1}),
])
def test_an_unknown_column_of_either_frame_is_said_in_vietnamese(
        units_extra: dict[str, Any], staff_extra: dict[str, Any]) -> None:
    """The command line speaks Vietnamese: the refusal of a column names it and says why
    in Vietnamese, with the name meant when there is one, for both frames."""
    from evalkit.messages import translate

    units = pd.DataFrame({"unit_id": ["U"], "head_id": ["H"], **units_extra})
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_frame(STAFF.assign(**staff_extra), units)
    said = {p.column: translate(p.message) for p in exc.value.problems}
    for col in (*units_extra, *staff_extra):
        assert said[col].startswith(f"cột không xác định {col!r}")
        assert "unknown" not in said[col] and "ignored" not in said[col]
        assert ("có phải là" in said[col]) == (col[0].isupper())
    assert "bảng đơn vị" in said[next(iter(units_extra))]
    assert "bảng nhân sự theo kỳ" in said[next(iter(staff_extra))]
