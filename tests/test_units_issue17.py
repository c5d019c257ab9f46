"""Unit results with their history, quarters that roll up, exact rankings (issue 17).

Hand-computed cases: the council keeps 79.25 beside 85; a misspelt evaluating body is
refused with a suggestion; the object and frame faces refuse the same unit inputs with the
same words; a head capped to HTT in every quarter counts no HTXS quarter; published
figures that print the same tie.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit import Grade, Organisation, Position, Staff, Unit
from evalkit.errors import InputError, ModelError
from evalkit.reasons import explain, make_reasons
from evalkit.rules import RuleSet, UnitBody, parse_rule_set
from evalkit.units import (
    UNIT_INPUT_COLUMNS,
    UnitInputs,
    classify_frame,
    classify_organisation,
    frames_from_objects,
    rank_units,
)

ND335 = evalkit.rules.get("vn.nd335-2025")
P = "2026-12"

# Thanh Hóa (seed 004): four bodies follow the units' work — the provincial office, Home
# Affairs, Planning and Investment, the provincial inspectorate — each weighted 1 here.
THANH_HOA = attrs.evolve(
    ND335,
    id="thanhhoa.example",
    units=attrs.evolve(ND335.units, bodies=(
        UnitBody("vanphong", "Văn phòng UBND tỉnh"), UnitBody("noivu", "Sở Nội vụ"),
        UnitBody("kehoach", "Sở Kế hoạch và Đầu tư"), UnitBody("thanhtra", "Thanh tra tỉnh"),
    )),
)  # fmt: skip
# tasks 16 of 20 (80) and the bodies 78, 77, 80, 81.25: (80 + 78 + 77 + 80 + 81.25) / 5
BODIES = {"vanphong": 78.0, "noivu": 77.0, "kehoach": 80.0, "thanhtra": 81.25}
COMPUTED = 79.25


def unit_inputs(**kw: Any) -> UnitInputs:
    args: dict[str, Any] = {"tasks_assigned": 20, "tasks_done": 16, "body_scores": BODIES}
    args.update(kw)
    return UnitInputs("U", P, **args)


def by_objects(*inputs: UnitInputs, rules: RuleSet = THANH_HOA) -> Any:
    org = Organisation(units=[Unit("U", "Sở A")], positions=[Position("P", "Chuyên viên")],
                       staff=[])  # fmt: skip
    return classify_organisation(org, [], inputs, rules, period=P)["U"].unit


def by_frame(row: dict[str, Any], rules: RuleSet = THANH_HOA) -> pd.DataFrame:
    units = pd.DataFrame([{"unit_id": "U", "period": P, **row}])
    sm = pd.DataFrame({"staff_id": pd.Series([], dtype=str), "unit_id": pd.Series([], dtype=str),
                       "period": pd.Series([], dtype=str)})  # fmt: skip
    return classify_frame(sm, units, rules)[1]


def frame_row(ui: UnitInputs) -> dict[str, Any]:
    """The units-frame row of a UnitInputs (as an HR export would write it)."""
    row = {c: ui.column(c) for c in UNIT_INPUT_COLUMNS}
    row.update({f"body_{b}": v for b, v in ui.body_scores.items()})
    return row


# =========================================================================== the council


class TestCouncil:
    """Seed 004: units score themselves, the province's appraisal council re-scores."""

    def test_the_council_score_counts_and_the_computed_one_is_kept_beside_it(self) -> None:
        """Computed 79.25, self-score 88, council 85: the unit scores 85 (HTT), with its reason."""
        r = by_objects(unit_inputs(self_score=88, council_score=85))
        assert (r.score, r.computed_score, r.self_score, r.council_score) == (85.0, COMPUTED,
                                                                              88.0, 85.0)
        assert (r.score_grade, r.grade, r.reason_codes()) == (Grade.HTT, Grade.HTT,
                                                              ("unit.council",))
        reason = r.reasons[0]
        assert reason.message_vi == ("Hội đồng thẩm định kết luận 85 điểm (điểm tính theo "
                                     "kết quả 79,25, đơn vị tự chấm 88)")
        assert reason.message_en == "The appraisal council concluded 85 (computed 79.25, " \
                                    "self-score 88)"
        # the units' rules of NĐ 335 come from the workflow, no identified article: no
        # citation is printed (status practice)
        assert (reason.source, THANH_HOA.units.source, THANH_HOA.units.status) == (
            "", "", "practice")

    def test_the_frame_keeps_the_same_history(self) -> None:
        """The units frame gives the same four figures and the same reason."""
        u = by_frame(frame_row(unit_inputs(self_score=88, council_score=85)))
        assert u[["score", "computed_score", "self_score", "council_score", "grade",
                  "reasons"]].values.tolist() == [[85.0, COMPUTED, 88.0, 85.0, "HTT",
                                                   "unit.council"]]  # fmt: skip
        rec = u.iloc[0].to_dict()
        assert make_reasons(rec["reasons"], THANH_HOA, rec)[0].message_vi.startswith(
            "Hội đồng thẩm định kết luận 85 điểm")

    def test_without_a_council_the_computed_score_counts_and_the_self_score_is_shown(
        self,
    ) -> None:
        """No council: 79.25 is the score; the unit's own 88 is kept, no reason."""
        r = by_objects(unit_inputs(self_score=88))
        assert (r.score, r.computed_score, r.self_score, r.council_score, r.reason_codes()) == (
            COMPUTED, COMPUTED, 88.0, None, ())

    def test_a_rule_set_where_the_council_does_not_override_keeps_the_computed_score(
        self,
    ) -> None:
        """council_overrides = false: the council's 85 is shown, 79.25 counts."""
        rules = attrs.evolve(THANH_HOA, units=attrs.evolve(THANH_HOA.units,
                                                           council_overrides=False))
        r = by_objects(unit_inputs(council_score=85), rules=rules)
        assert (r.score, r.council_score, r.reason_codes()) == (COMPUTED, 85.0, ())


# =========================================================================== bodies


class TestDeclaredBodies:
    """An undeclared or misspelt evaluating body is an error naming the close matches."""

    MESSAGE = ("evaluating body 'thanh_tra' is not declared by rule set 'thanhhoa.example' "
               "(declared: vanphong, noivu, kehoach, thanhtra); did you mean 'thanhtra'?")

    def test_a_misspelt_body_is_refused_with_a_suggestion_in_a_frame(self) -> None:
        """'thanh_tra' for 'thanhtra' never silently weighs 1 (78 → 82.22 before issue 17)."""
        row = frame_row(unit_inputs(body_scores={**BODIES, "thanh_tra": 100.0}))
        with pytest.raises(InputError) as exc:
            by_frame(row)
        assert [(p.column, p.message) for p in exc.value.problems] == [("body_thanh_tra",
                                                                        self.MESSAGE)]

    def test_the_object_face_refuses_it_with_the_same_words(self) -> None:
        """UnitInputs does not know the rule set; classifying it refuses the same body."""
        ui = unit_inputs(body_scores={**BODIES, "thanh_tra": 100.0})
        with pytest.raises(InputError) as exc:
            by_objects(ui)
        assert [p.message for p in exc.value.problems] == [self.MESSAGE]

    def test_declared_bodies_are_weighted_as_declared(self) -> None:
        """The Thanh Hóa mean, hand-computed: (80 + 78 + 77 + 80 + 81.25) / 5 = 79.25."""
        assert by_objects(unit_inputs()).score == COMPUTED
        assert by_frame(frame_row(unit_inputs()))["score"].tolist() == [COMPUTED]


# =========================================================================== two faces


_BAD: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
    ({"body_scores": {"vanphong": 120.0}},
     [("body_vanphong", "body_vanphong exceeds 100")]),
    ({"council_score": 150.0}, [("council_score", "council_score exceeds 100")]),
    ({"score": 150.0}, [("score", "score exceeds 100")]),
    ({"tasks_assigned": 10, "tasks_done": 12},
     [("tasks_done", "tasks_done exceeds the tasks assigned")]),
    ({"tasks_assigned": 10, "tasks_done": 5, "tasks_on_time": 6, "tasks_exceeded": 7},
     [("tasks_on_time", "tasks_on_time exceeds the tasks done"),
      ("tasks_exceeded", "tasks_exceeded exceeds the tasks done")]),
    ({"tasks_assigned": 2.5},
     [("tasks_assigned", "tasks_assigned is a count and must be a whole number")]),
    ({"inspection_findings": 1.5},
     [("inspection_findings", "inspection_findings is a count and must be a whole number")]),
    ({"body_scores": {"vanphong": -1.0}},
     [("body_vanphong", "body_vanphong is negative")]),
    ({"bonus": -2.0, "satisfaction": 101.0},
     [("satisfaction", "satisfaction exceeds 100"),
      ("bonus", "bonus is negative")]),
    ({"score": 80.0, "council_score": 85.0},
     [("score", "give council_score or its old name score, not both")]),
]  # fmt: skip


class TestTwoFacesRefuseTheSameInputs:
    """UnitInputs and a units frame refuse the same values with the same sentences, each
    with its period: the object's error names its unit, a frame's problem names it once,
    as its ``unit_id`` (its prefix), not again in the sentence."""

    @pytest.mark.parametrize(("kw", "expected"), _BAD)
    def test_the_same_problems_in_the_same_words(self, kw: dict[str, Any],
                                                 expected: list[tuple[str, str]]) -> None:  # fmt: skip
        """Each impossible value: the object's error lists what the frame's problems say."""
        row = {"body_scores": {}, **kw}
        with pytest.raises(ModelError) as obj:
            UnitInputs("U", P, **row)
        frame_row_ = {c: v for c, v in kw.items() if c != "body_scores"}
        frame_row_.update({f"body_{b}": v for b, v in kw.get("body_scores", {}).items()})
        with pytest.raises(InputError) as frame:
            by_frame(frame_row_)
        assert [(p.unit_id, p.column, p.message) for p in frame.value.problems] == [
            ("U", c, f"{m} ({P})") for c, m in expected]
        assert str(obj.value) == "; ".join(f"{m} (unit 'U', {P})" for _, m in expected)

    def test_every_unit_row_s_problems_at_once_the_unit_named_once(self) -> None:
        """Three units' impossible values in one error, in row order, each naming its row,
        unit, column and value; the sentence keeps the period, not the unit again."""
        units = pd.DataFrame({"unit_id": ["U1", "U2", "U3"], "period": "2026-07",
                              "tasks_assigned": [5, 10, 10], "tasks_done": [9, 5, 4],
                              "tasks_on_time": [None, 6, None], "satisfaction": [None, None, 101]})
        sm = pd.DataFrame({"staff_id": pd.Series([], dtype=str),
                           "unit_id": pd.Series([], dtype=str),
                           "period": pd.Series([], dtype=str)})  # fmt: skip
        with pytest.raises(InputError) as info:
            evalkit.classify_frame(sm, units, THANH_HOA)
        got = info.value.problems
        assert [(p.row, p.unit_id, p.column, p.value) for p in got] == [
            (0, "U1", "tasks_done", 9.0), (1, "U2", "tasks_on_time", 6.0),
            (2, "U3", "satisfaction", 101.0)]
        assert str(got[0]) == ("row 0, unit 'U1', column 'tasks_done', value 9: tasks_done "
                               "exceeds the tasks assigned (2026-07)")  # as typed, not 9.0
        assert all(str(p).count("'U") == 1 for p in got)  # the unit said once

    def test_a_blank_is_a_value_not_given_in_both_faces(self) -> None:
        """NaN (and None) is blank in an object as in a frame, never an error."""
        ui = UnitInputs("U", P, tasks_assigned=10, tasks_done=10, bonus=math.nan,
                        council_score=float("nan"), body_scores={"vanphong": math.nan})
        assert (ui.bonus, ui.council_score, dict(ui.body_scores)) == (None, None, {})
        r = by_objects(ui)
        u = by_frame({"tasks_assigned": 10, "tasks_done": 10, "bonus": np.nan,
                      "council_score": np.nan, "body_vanphong": np.nan})  # fmt: skip
        assert (r.score, u["score"].iloc[0]) == (100.0, 100.0)

    @pytest.mark.parametrize("flag", ["exceptional", "late_work", "disciplined",
                                      "leadership_disciplined"])  # fmt: skip
    def test_a_flag_that_is_not_yes_or_no_is_refused_in_both_faces(self, flag: str) -> None:
        """'maybe' is refused by both (the object no longer accepts it to fail later)."""
        with pytest.raises(ModelError, match=f"{flag} must be True or False, not 'maybe'"):
            UnitInputs("U", P, **{flag: "maybe"})
        with pytest.raises(InputError, match="is not a yes/no value"):
            by_frame({flag: "maybe"})
        assert UnitInputs("U", P, **{flag: np.True_}).column(flag) is True

    @given(values=st.fixed_dictionaries({}, optional={
        c: st.one_of(st.integers(-3, 130), st.floats(-3, 130, allow_nan=False).map(
            lambda x: round(x, 1)))
        for c in ("tasks_assigned", "tasks_done", "tasks_on_time", "tasks_overdue",
                  "tasks_exceeded", "cross_score", "satisfaction", "bonus", "deduction",
                  "inspection_deduction", "self_score", "council_score")}),
        body=st.one_of(st.none(), st.floats(-3, 130, allow_nan=False).map(lambda x: round(x, 1))))
    def test_any_inputs_valid_or_not_get_the_same_answer_from_both_faces(
        self, values: dict[str, float], body: float | None
    ) -> None:
        """Property: refused by both with the same sentences, or the same score and grade."""
        bodies = {} if body is None else {"vanphong": body}
        frame = {**values, **({"body_vanphong": body} if body is not None else {})}
        try:
            ui = UnitInputs("U", P, body_scores=bodies, **values)
        except ModelError as exc:
            with pytest.raises(InputError) as frame_exc:
                by_frame(frame)
            # the frame's problems name the unit as theirs; the object's sentence, beside
            frame_msgs = [f"{p.message[:-len(P) - 1]}unit {p.unit_id!r}, {P})"
                          for p in frame_exc.value.problems]  # fmt: skip
            obj_msgs = str(exc).split("; ")
            if body is not None and body < 0:  # a negative body score is refused first
                assert set(obj_msgs) <= set(frame_msgs)
            else:
                assert obj_msgs == frame_msgs
            return
        r = by_objects(ui)
        u = by_frame(frame)
        got = u[["score", "computed_score", "grade", "reasons"]].iloc[0].tolist()
        grade = None if r.grade is None else r.grade.code
        assert [r.score, r.computed_score, grade, ";".join(r.reason_codes())] == [
            None if pd.isna(got[0]) else got[0], None if pd.isna(got[1]) else got[1],
            None if pd.isna(got[2]) else got[2], got[3]]


# =========================================================================== quarters

QUARTERLY_TOML = {
    "schema_version": 1, "id": "test.quarterly-count", "title_vi": "Theo quý (thử)",
    "jurisdiction": "vn.test-quarterly", "categories": ["cong_chuc"],
    "effective_from": ND335.effective_from, "period": "quarter", "total": 100,
    "classified": ["quarter", "year"], "source": "Quy chế thử nghiệm",
    "groups": [{"id": "chung", "label_vi": "Tiêu chí chung", "max": 30, "criteria": [
                   {"id": "chung", "label_vi": "Tiêu chí chung", "max": 30}]},
               {"id": "nv", "label_vi": "Nhiệm vụ", "criteria": [
                   {"id": "ket_qua", "label_vi": "Kết quả", "unit": "percent"}]}],
    "blocks": [{"id": "chung", "block": "criteria_sum", "group": "chung", "label_vi": "Chung",
                "points": 30, "source": "x"},
               {"id": "nv", "block": "percent_average", "inputs": ["ket_qua"],
                "label_vi": "Nhiệm vụ", "points": 70, "source": "x"}],
    "bands": [{"grade": "HTXS", "min": 90, "max": 100, "source": "x"},
              {"grade": "HTT", "min": 70, "max": 90, "source": "x"},
              {"grade": "HT", "min": 50, "max": 70, "source": "x"},
              {"grade": "KHT", "min": 0, "max": 50, "source": "x"}],
    "quota": {"grade": "HTXS", "base": "HTT", "percent": 20, "source": "x"},
    "units": {"head_capped_at_unit": True, "source": "x"},
    "rollup": {"method": "count", "of": "quarter", "count_excellent_min": 2, "count_kht_min": 2,
               "count_good_max_ht": 2, "count_good_max_kht": 1, "min_months": 6,
               "source": "Cách đếm quý (thử)"},
}  # fmt: skip
QUARTERLY = parse_rule_set(QUARTERLY_TOML)
QUARTERS = [f"2026-Q{q}" for q in range(1, 5)]


def quarter_rows(sid: str, total: float, quarters: list[str] = QUARTERS) -> list[dict[str, Any]]:
    """A person's quarters with ``total`` points (30 general + the task share of 70)."""
    return [{"staff_id": sid, "unit_id": "U", "period": q, "chung": 30.0,
             "ket_qua": (total - 30) / 70 * 100} for q in quarters]  # fmt: skip


class TestQuartersRollUp:
    """Customs scheme: the year counts the quarters' concluded grades (after caps and quota)."""

    def quarters(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Unit U scores 80 (HTT) each quarter; its head H scores 100 and is capped to HTT;
        X (100) and Y (95) are HTXS by band but the quota (20% of 6 HTT → 1) keeps X only;
        five colleagues score 80."""
        rows = quarter_rows("H", 100) + quarter_rows("X", 100) + quarter_rows("Y", 95)
        for i in range(5):
            rows += quarter_rows(f"S{i}", 80)
        sm = pd.DataFrame(rows)
        units = pd.DataFrame({"unit_id": "U", "period": QUARTERS, "head_id": "H",
                              "tasks_assigned": 10, "tasks_done": 8})  # fmt: skip
        staff, unit = classify_frame(sm, units, QUARTERLY)
        return staff, unit

    def test_each_quarter_is_concluded_after_the_head_cap_and_the_quota(self) -> None:
        """H: band HTXS, capped to HTT; X keeps HTXS; Y is demoted by the quota."""
        staff, _ = self.quarters()
        q1 = staff[staff["period"] == "2026-Q1"].set_index("staff_id")
        assert q1.loc[["H", "X", "Y"], ["score_grade", "grade", "reasons"]].values.tolist() == [
            ["HTXS", "HTT", "cap.head_unit"], ["HTXS", "HTXS", ""],
            ["HTXS", "HTT", "quota.demoted"]]  # fmt: skip

    def test_a_head_capped_to_htt_in_every_quarter_counts_no_htxs_quarter(self) -> None:
        """count_xs = 0 for H and Y (their bands were HTXS four times), 4 for X; the four
        quarters are twelve months worked."""
        staff, unit = self.quarters()
        year = evalkit.classify_year(staff, unit, QUARTERLY).set_index("staff_id")
        assert year.loc[["H", "X", "Y"], ["months", "count_xs", "count_ht", "count_kht"]
                        ].values.tolist() == [[12, 0, 0, 0], [12, 4, 0, 0], [12, 0, 0, 0]]
        assert year.loc[["H", "X", "Y"], ["grade", "classified"]].values.tolist() == [
            ["HTT", True], ["HTXS", True], ["HTT", True]]
        assert year.loc["H", "reasons"] == "rollup.count.good"
        assert year.loc["X", "reasons"] == "rollup.count.excellent"

    def test_the_reason_trail_states_the_count_that_decided(self) -> None:
        """The sheet's sentences name the counts, with the rule set's roll-up source."""
        staff, unit = self.quarters()
        year = evalkit.classify_year(staff, unit, QUARTERLY).set_index("staff_id")
        said = explain(year.loc[["H", "X"]], rules=QUARTERLY)
        assert said.loc["X"][-1] == ("Có 4 quý Hoàn thành xuất sắc nhiệm vụ và không có quý "
                                     "Không hoàn thành nhiệm vụ: xếp loại Hoàn thành xuất sắc "
                                     "nhiệm vụ (Cách đếm quý (thử))")  # fmt: skip
        assert said.loc["H"][-1] == ("Không có quý Hoàn thành nhiệm vụ và không có quý Không "
                                     "hoàn thành nhiệm vụ: xếp loại Hoàn thành tốt nhiệm vụ "
                                     "(Cách đếm quý (thử))")  # fmt: skip

    def test_bands_alone_would_have_counted_four_htxs_quarters(self) -> None:
        """Without the concluded grades the count falls back to the bands: the grade column
        is what makes H's year HTT."""
        staff, unit = self.quarters()
        bands_only = evalkit.classify_year(staff.drop(columns=["grade"]), unit, QUARTERLY)
        h = bands_only.set_index("staff_id").loc["H"]
        assert (h["count_xs"], h["proposed_grade"]) == (4, "HTT")  # the year's head cap
        assert "rollup.count.excellent" in h["reasons"]

    def test_four_quarters_are_twelve_months_for_the_minimum(self) -> None:
        """min_months = 6: four evaluated quarters (12 months) are classified; one quarter
        (3 months) is not (rollup.too_few_months)."""
        staff, unit = self.quarters()
        late = classify_frame(pd.DataFrame(quarter_rows("Z", 80, ["2026-Q4"])),
                              pd.DataFrame({"unit_id": ["U"], "period": ["2026-Q4"]}),
                              QUARTERLY)[0]  # fmt: skip
        year = evalkit.classify_year(pd.concat([staff, late], ignore_index=True), unit, QUARTERLY)
        y = year.set_index("staff_id")
        assert (y.loc["S0", "classified"], y.loc["S0", "grade"]) == (True, "HTT")
        assert pd.isna(y.loc["Z", "grade"])
        assert y.loc["Z", "reasons"].startswith("rollup.too_few_months")


# =========================================================================== rankings


class TestExactRankings:
    """Seed 004's emulation points: equal published figures tie; the table shows them."""

    def test_a_month_at_68_90_ties_with_68_899999999(self) -> None:
        """Rounded to the cent, both print 68,90: rank 1 and 1, tied."""
        u = pd.DataFrame({"unit_id": ["A", "B", "C"], "period": "2026-03",
                          "score": [68.90, 68.899999999, 68.89]})  # fmt: skip
        out = rank_units(u)
        assert out[["unit_id", "points", "rank", "tied"]].values.tolist() == [
            ["A", 68.9, 1, True], ["B", 68.9, 1, True], ["C", 68.89, 2, False]]

    def test_a_yearly_mean_with_floating_noise_ties_with_the_same_published_mean(self) -> None:
        """(60.23 + 77.57) / 2 is 68.89999999999999 in floating point; (68.9 + 68.9) / 2 is
        68.9: both publish 68.90."""
        assert (60.23 + 77.57) / 2 != 68.9
        y = pd.DataFrame({"unit_id": ["A", "A", "B", "B"],
                          "period": ["2026-01", "2026-02"] * 2,
                          "score": [60.23, 77.57, 68.9, 68.9]})  # fmt: skip
        out = rank_units(y, to="year")
        assert out[["unit_id", "period", "points", "rank", "tied"]].values.tolist() == [
            ["A", "2026", 68.9, 1, True], ["B", "2026", 68.9, 1, True]]

    def test_a_yearly_sum_of_227_01000000000002_ties_with_227_01(self) -> None:
        """65.00 + 65.04 + 96.97 = 227.01000000000002 in floating point; the sum publishes
        227,01 like B's 75.67 × 3."""
        assert 65.0 + 65.04 + 96.97 == 227.01000000000002
        y = pd.DataFrame({"unit_id": list("AAABBB"), "period": ["2026-01", "2026-02",
                          "2026-03"] * 2, "score": [65.0, 65.04, 96.97, 75.67, 75.67, 75.67]})
        out = rank_units(y, to="year", how="sum")
        assert out[["unit_id", "points", "rank", "tied"]].values.tolist() == [
            ["A", 227.01, 1, True], ["B", 227.01, 1, True]]

    def test_the_figure_ranked_on_is_the_published_one_at_the_precision_asked(self) -> None:
        """decimals=1: 68.94 and 68.86 both publish 68,9 and tie; at the cent they do not."""
        u = pd.DataFrame({"unit_id": ["A", "B"], "period": "2026-03", "score": [68.94, 68.86]})
        assert rank_units(u, decimals=1)[["points", "rank", "tied"]].values.tolist() == [
            [68.9, 1, True], [68.9, 1, True]]
        assert rank_units(u)[["points", "rank", "tied"]].values.tolist() == [
            [68.94, 1, False], [68.86, 2, False]]

    def test_ranks_from_classified_units_use_their_scores(self) -> None:
        """The unit frame of classify_frame ranks on its score column."""
        ui = [UnitInputs("A", "2026-03", tasks_assigned=3, tasks_done=2),
              UnitInputs("B", "2026-03", council_score=66.67)]
        org = Organisation(units=[Unit("A", "A"), Unit("B", "B")],
                           positions=[Position("P", "P")], staff=[Staff("S", "S", "P", "A")])
        _, units = frames_from_objects(org, [], ui)
        sm = pd.DataFrame({"staff_id": pd.Series([], dtype=str),
                           "unit_id": pd.Series([], dtype=str),
                           "period": pd.Series([], dtype=str)})  # fmt: skip
        _, res = classify_frame(sm, units, ND335)
        out = rank_units(res)
        assert out[["unit_id", "points", "rank", "tied"]].values.tolist() == [
            ["A", 66.67, 1, True], ["B", 66.67, 1, True]]
