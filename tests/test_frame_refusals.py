"""A staff-month frame cannot fool the engine (issue 13, "Frames of any dtype", "Bad input").

Audit 7 (D1-D4, D8): a column typed under a wrong header was ignored, so a reprimand under
``Discipline`` graded the person HTXS for the year (NĐ 335/2025/NĐ-CP Điều 20 k4 c makes
a reprimand for a duty-related violation KHT); rule-set problems stopped the cell checks and
named the wrong cell; ``score_frame`` scored duplicate and nameless rows that
``classify_frame`` refuses; the object and frame paths read typed numbers differently; a
wrong argument raised a bare KeyError or AttributeError.
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit.scoring import (
    FRAME_COLUMNS,
    INPUT_FLAGS,
    KEPT_PREFIXES,
    LEVEL_PREFIXES,
    STAFF_COLUMNS,
)

RS = evalkit.rules.get("vn.nd335-2025")
FULL = RS.full_marks()
PERIOD = "2026-03"
#: Every column a staff-month frame may carry, as the docs list them: the criteria of any
#: registered rule set (data typed for one set may be scored under another).
CRITERIA = {c.id for i in evalkit.rules.default_registry().ids()
            for c in evalkit.rules.get(i).criteria()}
CRITERIA |= {x for i in evalkit.rules.default_registry().ids()
             for x in evalkit.rules.get(i).deduction_inputs()}
KNOWN = (set(FRAME_COLUMNS) | set(INPUT_FLAGS) | set(STAFF_COLUMNS) | CRITERIA
         | {p + c for p in LEVEL_PREFIXES.values() for c in CRITERIA})


#: The criteria of one of two rule sets a viên chức and a công chức share a March 2026 frame
#: under, and not of the other.
_ND90_CRITERIA = {c.id for c in evalkit.rules.get("vn.nd90-2020").criteria()}
_ND90_ONLY = _ND90_CRITERIA - {c.id for c in RS.criteria()}
_ND335_ONLY = {c.id for c in RS.criteria()} - _ND90_CRITERIA


def person(staff_id: object = "A", **extra: Any) -> dict[str, Any]:
    return {"staff_id": staff_id, "period": PERIOD, "category": "cong_chuc", **FULL, **extra}


def problems_of(call: Any) -> list[evalkit.InputProblem]:
    with pytest.raises(evalkit.InputError) as exc:
        call()
    return list(exc.value.problems)


def year_organisation(header: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A year of a unit: A has full marks every month and a reprimand in March typed under
    ``header``; ten colleagues score 80 on every task."""
    rows = [{**person("A"), "unit_id": "U", "period": f"2026-{m:02d}", header: int(m == 3)}
            for m in range(1, 13)]
    rows += [{**person(f"B{i}"), "unit_id": "U", "period": f"2026-{m:02d}", header: 0,
              "so_luong": 80, "chat_luong": 80, "tien_do": 80}
             for m in range(1, 13) for i in range(10)]
    return pd.DataFrame(rows), pd.DataFrame({"unit_id": ["U"]})


class TestUnknownColumns:
    """A column neither documented nor a criterion of the rule sets in play is refused."""

    @pytest.mark.parametrize(("header", "meant"), [
        ("Discipline", "discipline"), ("dicipline", "discipline"),
        ("loi_chatluong", "loi_chat_luong"), (" so_luong", "so_luong"),
        ("SO_LUONG", "so_luong"), ("manager__so_luongg", "manager__so_luong"),
        ("Kỷ_Luật_Kỷ_Cương", "ky_luat_ky_cuong"),
        # the template's headers (a filled workbook or `evalkit template x.csv` read with
        # pandas): the id the command line reads is the one in brackets (audit af56)
        ("Kỷ luật (0 không, 1 khiển trách ... 5) [discipline]", "discipline"),
        ("(a) Số lượng sản phẩm, công việc hoàn thành (đã quy đổi) — cấp có thẩm quyền chấm "
         "(tối đa 100) [competent__so_luong]", "competent__so_luong"),
    ])
    def test_a_misspelt_column_is_refused_with_the_name_meant(self, header: str,
                                                              meant: str) -> None:
        frame = pd.DataFrame([person("A", **{header: 1}), person("B", **{header: 0})])
        found = problems_of(lambda: evalkit.score_frame(frame))
        unknown = [p for p in found if p.column == header]
        assert len(unknown) == 1
        assert unknown[0].row is None
        assert f"unknown column {header!r} (did you mean {meant!r}?)" in unknown[0].message

    def test_a_vietnamese_header_without_a_close_name_is_refused_too(self) -> None:
        frame = pd.DataFrame([person("A", **{"kỷ luật": 1})])
        found = problems_of(lambda: evalkit.score_frame(frame))
        assert [(p.column, p.row) for p in found] == [("kỷ luật", None)]
        assert found[0].message.startswith("unknown column 'kỷ luật': it is neither")

    def test_a_reprimand_under_a_wrong_header_never_gives_the_year_a_grade(self) -> None:
        months, units = year_organisation("Discipline")
        found = problems_of(lambda: evalkit.classify_frame(months, units))
        assert [p.column for p in found] == ["Discipline"]
        right, units = year_organisation("discipline")  # the same year, header right: KHT
        staff, unit_results = evalkit.classify_frame(right, units)
        year = evalkit.classify_year(staff, unit_results)
        assert year.loc[year.staff_id == "A", "grade"].tolist() == ["KHT"]

    def test_a_criterion_of_another_rule_set_is_data_for_that_set_not_a_typo(self) -> None:
        """NĐ 90's columns beside NĐ 335's: a month is scored under its own set, the other
        set's columns blank, and the same data under the other set (a what-if) reads that
        set's columns. A score typed under the other set's column is refused as that set's
        criterion (audit 15 finding 1), never suggested as a misspelling."""
        nd90 = evalkit.rules.get("vn.nd90-2020")
        lead_only = set(evalkit.scoring.management_only_inputs(nd90))  # refused for staff
        other = {c.id: c.maximum for c in nd90.criteria()
                 if c.id not in FULL and c.id not in lead_only}
        blank = pd.DataFrame([person("A", **dict.fromkeys(other))])
        assert evalkit.score_frame(blank)["rule_set"].astype(str).tolist() == ["vn.nd335-2025"]
        found = problems_of(lambda: evalkit.score_frame(pd.DataFrame([person("A", **other)])))
        assert [(p.column, p.message) for p in found] == [
            (c, f"unknown criterion {c!r} for rule set 'vn.nd335-2025'") for c in other]
        own90 = {c.id for c in nd90.criteria()}
        what_if = evalkit.score_frame(pd.DataFrame([person("A", **other)]).drop(
            columns=[c for c in FULL if c not in own90]), nd90, force=True)
        assert what_if["rule_set"].astype(str).tolist() == ["vn.nd90-2020"]
        assert "ky_luat" in other  # never suggested for a misspelt NĐ 335 header:
        typo = problems_of(lambda: evalkit.score_frame(pd.DataFrame([person("A", kyluat=1)])))
        assert "did you mean 'ky_luat'" not in typo[0].message

    def test_own_columns_are_kept_untouched_by_prefix_or_by_name(self) -> None:
        plain = evalkit.score_frame(pd.DataFrame([person("A"), person("B", so_luong=50)]))
        own = pd.DataFrame([person("A", _note="x", x_emp=7, employee_name="An"),
                            person("B", so_luong=50, _note=None, x_emp=8,
                                   employee_name="Bình")])  # fmt: skip
        out = evalkit.score_frame(own, extra_columns=["employee_name"])
        pd.testing.assert_frame_equal(out, plain)
        found = problems_of(lambda: evalkit.score_frame(own))
        assert [p.column for p in found] == ["employee_name"]
        staff, _units = evalkit.classify_frame(own.assign(unit_id="U"),
                                               pd.DataFrame({"unit_id": ["U"]}),
                                               extra_columns=["employee_name"])  # fmt: skip
        assert staff["total"].tolist() == plain["total"].tolist()

    def test_a_results_frame_fed_back_is_accepted(self) -> None:
        frame = pd.DataFrame([person("A"), person("B", so_luong=50)]).assign(unit_id="U")
        staff, _units = evalkit.classify_frame(frame, pd.DataFrame({"unit_id": ["U"]}))
        again = pd.concat([frame, staff.drop(columns=[c for c in staff if c in frame])],
                          axis=1)  # fmt: skip
        out = evalkit.score_frame(again)
        assert out["total"].tolist() == staff["total"].tolist()

    def test_every_level_of_every_criterion_is_known(self) -> None:
        levels = {f"{p}{k}": v for p in LEVEL_PREFIXES.values() for k, v in FULL.items()}
        out = evalkit.score_frame(pd.DataFrame([person("A", **levels)]))
        assert out["self_total"].tolist() == [100.0]

    @given(st.text(string.ascii_letters + string.digits + "_ -.ạỷđ", min_size=1, max_size=20))
    def test_any_column_outside_the_known_set_is_reported(self, name: str) -> None:
        assume(name not in KNOWN and not name.startswith(KEPT_PREFIXES))
        assume(not name.startswith(("points_", "mgmt_", "quota_", "self_", "manager_",
                                    "competent_")))  # output columns fed back
        frame = pd.DataFrame([person("A", **{name: 1})])
        found = problems_of(lambda: evalkit.score_frame(frame))
        assert [(p.column, p.row) for p in found] == [(name, None)]

    @given(st.sampled_from(["Discipline", "DISCIPLINE", "dicipline", "discipline ",
                            "Kỷ luật", "kyluat", "disciplin", "_discipline_"]),
           st.sampled_from([1, "1", "khiển trách", "REPRIMAND"]))
    def test_a_misspelt_discipline_column_never_yields_a_grade(self, header: str,
                                                               value: Any) -> None:
        frame = pd.DataFrame([person("A", **{header: value})])
        if header.startswith(KEPT_PREFIXES):  # the user's own column, documented as unread
            assert evalkit.score_frame(frame)["grade"].tolist() == ["HTXS"]
            return
        found = problems_of(lambda: evalkit.score_frame(frame))
        assert [p.column for p in found] == [header]


class TestOnePass:
    """Every problem of a frame in one InputError, each naming its own cell and person."""

    def test_rule_set_and_cell_problems_come_together(self) -> None:
        df = pd.DataFrame([person(f"CC-{i}") for i in range(6)])
        df = df.set_index(pd.Index([f"r{i}" for i in range(6)], dtype="str"))
        df = df.astype({"so_luong": object, "period": object})
        df.loc["r1", "so_luong"] = "abc"
        df.loc["r2", "period"] = "2026-13"
        df.loc["r3", "category"] = "cong.chuc"
        df.loc["r4", "chat_luong"] = 120
        found = problems_of(lambda: evalkit.score_frame(df))
        assert [(p.row, p.column, p.value, p.staff_id) for p in found] == [
            ("r1", "so_luong", "abc", "CC-1"), ("r2", "period", "2026-13", "CC-2"),
            ("r3", "category", "cong.chuc", "CC-3"), ("r4", "chat_luong", 120.0, "CC-4")]

    @pytest.mark.parametrize("door", ["score_frame", "classify_frame"])
    def test_a_bad_period_under_a_named_rule_set_does_not_hide_the_other_cells(
            self, door: str) -> None:
        """With the rule set named, a period that is not a month is one problem among the
        others, said once, as without it."""
        df = pd.DataFrame([person("A", period="2026-13"), person("", so_luong=140),
                           person("C", discipline="xyz", ket_qua_linh_vuc=100.0,
                                  to_chuc_trien_khai=100.0, tap_hop_doan_ket=100.0)]
                          ).assign(unit_id="U", is_head=[False, False, True])  # fmt: skip
        units = pd.DataFrame({"unit_id": ["U"], "head_id": ["C"]})  # C heads U: d, đ, e typed
        call = {"score_frame": lambda: evalkit.score_frame(df, "vn.nd335-2025"),
                "classify_frame": lambda: evalkit.classify_frame(df, units, "vn.nd335-2025")}
        found = problems_of(call[door])
        assert [(p.row, p.column, p.value) for p in found] == [
            (0, "period", "2026-13"), (1, "staff_id", ""), (1, "so_luong", 140.0),
            (2, "discipline", "xyz")]

    def test_a_blank_period_is_blamed_on_the_period(self) -> None:
        df = pd.DataFrame([person("A", period=""), person("B", period=None)])
        found = problems_of(lambda: evalkit.score_frame(df))
        assert [(p.row, p.column, p.value, p.staff_id) for p in found] == [
            (0, "period", "", "A"), (1, "period", None, "B")]
        assert all("no period" in p.message for p in found)

    def test_a_blank_category_is_blamed_on_the_category(self) -> None:
        df = pd.DataFrame([person("A", category=" ")])
        found = problems_of(lambda: evalkit.score_frame(df))
        assert [(p.row, p.column, p.value, p.staff_id) for p in found] == [
            (0, "category", " ", "A")]

    def test_every_row_of_a_bad_category_is_named(self) -> None:
        df = pd.DataFrame([person(s, category="cong.chuc") for s in ("A", "B", "C")])
        found = problems_of(lambda: evalkit.score_frame(df))
        assert [(p.row, p.staff_id, p.value) for p in found] == [
            (0, "A", "cong.chuc"), (1, "B", "cong.chuc"), (2, "C", "cong.chuc")]

    def test_an_unknown_column_does_not_hide_a_bad_cell(self) -> None:
        df = pd.DataFrame([person("A", chat_luong=130, Discipline=1)])
        found = problems_of(lambda: evalkit.score_frame(df))
        assert [(p.row, p.column) for p in found] == [(None, "Discipline"), (0, "chat_luong")]
        found = problems_of(lambda: evalkit.classify_frame(
            df.assign(unit_id="U"), pd.DataFrame({"unit_id": ["U"]})))
        assert [(p.row, p.column) for p in found] == [(None, "Discipline"), (0, "chat_luong")]


class TestStaffIds:
    """score_frame refuses duplicate staff-months and blank ids, as classify_frame does."""

    def test_both_doors_refuse_a_person_twice_and_a_nameless_row_alike(self) -> None:
        d = pd.DataFrame([person(s) for s in ["CC-0", "CC-0", None]])
        scored = problems_of(lambda: evalkit.score_frame(d))
        assert [(p.row, p.column, p.staff_id, p.message) for p in scored] == [
            (1, "staff_id", "CC-0", "staff 'CC-0' appears 2 times in 2026-03 (rows 0, 1)"),
            (2, "staff_id", None, "blank staff id")]
        d["unit_id"] = "U"
        classified = problems_of(lambda: evalkit.classify_frame(
            d, pd.DataFrame({"unit_id": ["U"]})))
        assert [(p.row, p.column, p.staff_id, p.message) for p in classified] == [
            (1, "staff_id", "CC-0",
             "staff 'CC-0' appears 2 times in 2026-03 (unit U, rows 0, 1)"),
            (2, "staff_id", None, "blank staff id")]

    def test_a_person_in_two_months_is_two_staff_months(self) -> None:
        d = pd.DataFrame([person("A"), person("A", period="2026-04")])
        assert evalkit.score_frame(d)["total"].tolist() == [100.0, 100.0]

    def test_an_id_typed_as_a_number_and_as_text_is_one_person(self) -> None:
        d = pd.DataFrame([person(7), person("7")]).astype({"staff_id": object})
        found = problems_of(lambda: evalkit.score_frame(d))
        assert [(p.row, p.staff_id) for p in found] == [(1, "7")]


class TestOneNumberRule:
    """The object path and the frame path read a typed score alike."""

    def frame_total(self, value: Any) -> float:
        f = pd.DataFrame([person("X")]).astype({"so_luong": object})
        f.loc[0, "so_luong"] = value
        return float(evalkit.score_frame(f)["total"].iloc[0])

    def object_total(self, value: Any) -> float:
        a = evalkit.Assessment("X", PERIOD, manager_scores={**FULL, "so_luong": value})
        total = evalkit.score(a).total
        assert total is not None
        return total

    @pytest.mark.parametrize(("typed", "total"), [("90,5", 97.78), ("90.5", 97.78),
                                                  (" 90 ", 97.67), ("82,3", 95.87)])
    def test_a_decimal_comma_is_read_alike(self, typed: str, total: float) -> None:
        # 30 + (so_luong + 100 + 100) / 3 × 70 %, rounded half up to 2 decimals
        assert self.object_total(typed) == self.frame_total(typed) == total

    @pytest.mark.parametrize("typed", ["1.000", "1,000", "12.500", "1.234,5", "1,234.5"])
    def test_a_thousands_separator_is_refused_on_both_paths(self, typed: str) -> None:
        with pytest.raises(evalkit.ScoreError, match="is not a number"):
            self.object_total(typed)
        found = problems_of(lambda: self.frame_total(typed))
        assert [(p.column, p.value) for p in found] == [("so_luong", typed)]
        assert "thousands" in found[0].message

    @pytest.mark.parametrize("blank", [None, float("nan"), "", "  "])
    def test_a_blank_is_no_score_on_both_paths(self, blank: Any) -> None:
        with pytest.raises(evalkit.ScoreError, match="'so_luong' has no score"):
            self.object_total(blank)
        found = problems_of(lambda: self.frame_total(blank))
        assert [(p.column, p.message) for p in found] == [
            ("so_luong", "criterion 'so_luong' has no score")]

    @pytest.mark.parametrize("door", ["score_frame", "classify_frame"])
    def test_a_score_out_of_range_is_shown_as_typed(self, door: str) -> None:
        """Acceptance af59: 130 typed above the maximum and -1 typed below zero were shown
        as ``value 130.0`` and ``value -1.0`` (the number read, not the cell: the docs'
        first example printed it), where the workbook door shows 130 and every other
        problem its value as typed."""
        f = pd.DataFrame([person("X", unit_id="U"), person("Y", unit_id="U")]).astype(
            {"chat_luong": object, "so_luong": object})
        f.loc[0, "chat_luong"] = 130
        f.loc[1, "so_luong"] = "-1"
        units = pd.DataFrame({"unit_id": ["U"]})
        call = ((lambda: evalkit.score_frame(f.drop(columns="unit_id"))) if door == "score_frame"
                else (lambda: evalkit.classify_frame(f, units)))
        found = problems_of(call)
        assert [(p.column, p.value) for p in found] == [("chat_luong", 130), ("so_luong", "-1")]
        assert [type(p.value) for p in found] == [int, str]
        assert "value 130: score 130 for 'chat_luong'" in str(found[0])

    @given(st.one_of(st.from_regex(r"\A ?[0-9]{1,3}([.,][0-9]{0,4})? ?\Z"),
                     st.text("0123456789.,- e", max_size=8)))
    def test_any_typed_text_gives_one_answer_on_both_paths(self, typed: str) -> None:
        try:
            a: float | str = self.object_total(typed)
        except evalkit.EvalkitError:
            a = "refused"
        try:
            b: float | str = self.frame_total(typed)
        except evalkit.EvalkitError:
            b = "refused"
        assert a == b


class TestWrongArguments:
    """A wrong argument to a public function raises evalkit's own error, saying what it wants."""

    def test_results_from_frame_names_the_missing_rule_set_column(self) -> None:
        frame = pd.DataFrame([{"staff_id": "A", "period": PERIOD, **FULL}])
        found = problems_of(lambda: evalkit.results_from_frame(frame))
        assert [p.column for p in found] == ["rule_set"]

    @pytest.mark.parametrize("call", [
        lambda: evalkit.score_frame({"staff_id": ["A"]}),  # type: ignore[arg-type]
        lambda: evalkit.classify_frame([person("A")], pd.DataFrame()),  # type: ignore[arg-type]
        lambda: evalkit.results_from_frame({"staff_id": ["A"]}),  # type: ignore[arg-type]
    ])
    def test_a_frame_function_given_no_frame_says_so(self, call: Any) -> None:
        found = problems_of(call)
        assert len(found) == 1 and "must be a pandas DataFrame, not" in found[0].message

    def test_score_given_a_dict_says_it_wants_an_assessment(self) -> None:
        with pytest.raises(evalkit.ModelError, match="score needs an Assessment, not dict"):
            evalkit.score({"staff_id": "A"})  # type: ignore[arg-type]

    def test_every_such_error_is_an_evalkit_error(self) -> None:
        with pytest.raises(evalkit.EvalkitError):
            evalkit.score_frame(np.zeros(3))  # type: ignore[arg-type]


class TestScoresUnderAnotherRuleSet:
    """A row scored only on criteria its own rule set does not have comes out of no door
    as "not evaluated" (audit 9 finding 5): the frames refuse it as :func:`evalkit.score`
    does, each cell named; a typed score under another set's criterion beside the row's own
    scores is refused too (audit 15 finding 1): a blank cell there is fine."""

    def test_a_can_bo_scored_on_nd335_columns_is_refused_by_every_door(self) -> None:
        row = {**person("CB1"), "category": "can_bo"}
        qd366 = evalkit.rules.get("vn.qd366-2025")
        assert not set(FULL) & {c.id for c in qd366.criteria()}  # the premise
        frame = pd.DataFrame([row, person("CC1")])
        found = problems_of(lambda: evalkit.score_frame(frame))
        assert {p.column for p in found} == set(FULL)
        assert {(p.staff_id, p.row) for p in found} == {("CB1", 0)}
        assert all("'vn.qd366-2025'" in p.message for p in found)
        from evalkit.messages import translate

        assert translate(found[0].message, "vi") == (
            f"tiêu chí {found[0].column!r} không có trong bộ quy định 'vn.qd366-2025'")
        units = pd.DataFrame({"unit_id": ["U"]})
        in_units = problems_of(lambda: evalkit.classify_frame(frame.assign(unit_id="U"), units))
        assert {p.column for p in in_units} == set(FULL)
        scores = dict(FULL)
        with pytest.raises(evalkit.EvalkitError, match="unknown criterion"):
            evalkit.score(evalkit.Assessment("CB1", PERIOD, competent_scores=scores), rules=qd366)

    def test_a_row_with_its_own_scores_and_blank_foreign_columns_is_scored(self) -> None:
        qd366 = evalkit.rules.get("vn.qd366-2025")
        row = {**person("CB1"), "category": "can_bo", **qd366.full_marks(),
               **dict.fromkeys(FULL, None)}  # the other set's columns, blank
        out = evalkit.score_frame(pd.DataFrame([row, person("CC1")]))
        assert out["rule_set"].astype(str).tolist() == ["vn.qd366-2025", "vn.nd335-2025"]
        assert out["total"].tolist() == [qd366.total, RS.total]

    def test_a_foreign_score_beside_the_rows_own_is_refused_at_every_door(self) -> None:
        """Audit 15 finding 1: a viên chức in 2026-03 (NĐ 90/2020) with full NĐ 90 marks and
        ``tap_hop_doan_ket`` = 50 (NĐ 233/2026's e, typed by an HR export) came out of the
        frames with total 100, the 50 gone, while :func:`evalkit.score` refused it."""
        nd90 = evalkit.rules.get("vn.nd90-2020")
        assert "tap_hop_doan_ket" not in {c.id for c in nd90.criteria()}  # the premise
        vc = {"staff_id": "H", "period": PERIOD, "category": "vien_chuc", **nd90.full_marks(),
              "tap_hop_doan_ket": 50}
        frame = pd.DataFrame([person("C1"), vc])  # a công chức's NĐ 335 column holds it
        want = [(1, "H", "tap_hop_doan_ket", 50)]
        message = "unknown criterion 'tap_hop_doan_ket' for rule set 'vn.nd90-2020'"
        for call in (lambda: evalkit.score_frame(frame),
                     lambda: evalkit.score_frame(frame.iloc[[1]]),
                     lambda: evalkit.classify_frame(frame.assign(unit_id="U"), pd.DataFrame(
                         {"unit_id": ["U"], "period": [PERIOD], "council_score": [80.0]}))):
            found = problems_of(call)
            assert [(p.row, p.staff_id, p.column, p.value) for p in found] == want
            assert [p.message for p in found] == [message]
        from evalkit.messages import translate

        assert translate(message, "vi") == (
            "tiêu chí 'tap_hop_doan_ket' không có trong bộ quy định 'vn.nd90-2020'")
        with pytest.raises(evalkit.EvalkitError, match=message):  # the object door's words
            evalkit.score(evalkit.Assessment("H", PERIOD, competent_scores={
                **nd90.full_marks(), "tap_hop_doan_ket": 50}), category="vien_chuc")

    def test_the_cli_refuses_the_foreign_cell(self, tmp_path: Any) -> None:
        from tests._cli_helpers import run

        nd90 = evalkit.rules.get("vn.nd90-2020")
        path = tmp_path / "vc.csv"
        pd.DataFrame([{"staff_id": "H", "unit_id": "U", "period": PERIOD,
                       "category": "vien_chuc", **nd90.full_marks(),
                       "tap_hop_doan_ket": 50}]).to_csv(path, index=False)
        code, out, err = run("validate", "--lang", "en", str(path))
        assert code != 0
        said = out + err
        assert "'tap_hop_doan_ket'" in said and "'50'" in said and "staff 'H'" in said

    @given(st.lists(st.booleans().flatmap(lambda vc: st.tuples(st.just(vc), st.dictionaries(
        st.sampled_from(sorted(_ND335_ONLY if vc else _ND90_ONLY)),  # the other set's
        st.one_of(st.sampled_from(["", "  ", None, np.nan]),
                  st.integers(0, 10), st.just("5")), max_size=3))), min_size=1, max_size=6))
    def test_a_frame_is_refused_iff_a_row_has_a_foreign_score(
            self, rows: list[tuple[bool, dict[str, Any]]]) -> None:
        """For rows of two rule sets in one frame (viên chức under NĐ 90/2020, công chức
        under NĐ 335/2025, March 2026: the columns of both are normal), the frame is refused
        exactly where a row has a non-blank cell under a criterion its own set lacks, each
        such cell named once; blank cells there are fine, and so is a 0 under NĐ 335's
        counts of events (Điều 14 k2 b, c: "0 lỗi" says nothing happened, as a blank)."""
        sets = {True: evalkit.rules.get("vn.nd90-2020"), False: RS}
        counts = {c.id for c in RS.criteria() if c.unit == "count"}
        frame = pd.DataFrame([
            {"staff_id": f"P{i}", "period": PERIOD,
             "category": "vien_chuc" if vc else "cong_chuc", **sets[vc].full_marks(), **extra}
            for i, (vc, extra) in enumerate(rows)]).astype(object)
        want = {(i, c) for i, (vc, extra) in enumerate(rows) for c, v in extra.items()
                if not (v is None or (isinstance(v, float) and np.isnan(v))
                        or (isinstance(v, str) and not v.strip())
                        or (c in counts and not isinstance(v, str) and v == 0))}
        if not want:
            out = evalkit.score_frame(frame)
            assert out["total"].tolist() == [sets[vc].total for vc, _ in rows]
            return
        found = problems_of(lambda: evalkit.score_frame(frame))
        assert sorted((p.row, p.column) for p in found) == sorted(want)
        assert all(p.message.startswith(f"unknown criterion {p.column!r} for rule set ")
                   and p.staff_id == f"P{p.row}" for p in found)

    @given(st.sampled_from(sorted(FULL)), st.sampled_from(["", "  ", None]))
    def test_blank_cells_under_another_sets_columns_are_not_scores(self, col: str,
                                                                   blank: Any) -> None:
        qd366 = evalkit.rules.get("vn.qd366-2025")
        row = {"staff_id": "CB1", "period": PERIOD, "category": "can_bo",
               **qd366.full_marks(), col: blank}
        out = evalkit.score_frame(pd.DataFrame([row]).astype({col: object}))
        assert out["total"].tolist() == [qd366.total]
