"""The year sees every month's inputs (NĐ 335/2025 Điều 20 k4 c, Điều 21): flags kept by
classify_frame, month codes carried only onto the same test; the head cap never skipped."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit.rules
from evalkit import classify_frame, classify_year, rollup_frame
from evalkit.errors import InputError

ND335 = evalkit.rules.get("vn.nd335-2025")
UNITS = pd.DataFrame({"unit_id": ["U"], "head_id": [None], "tasks_assigned": [10],
                      "tasks_done": [10]})  # fmt: skip


def _month(period: str, scored: bool, **flags: object) -> pd.DataFrame:
    """X (scored, or on sick leave with no scores) and two colleagues scored 86."""
    top = ND335.full_marks()
    rows = [{"staff_id": s, "unit_id": "U", "period": period, "category": "cong_chuc",
             **top, "so_luong": 80, "chat_luong": 80, "tien_do": 80} for s in ("Y", "Z")]
    x = {"staff_id": "X", "unit_id": "U", "period": period, "category": "cong_chuc",
         **flags}  # fmt: skip
    x.update({**top, "leave": ""} if scored else {"leave": "sick"})
    return pd.DataFrame([*rows, x])


class TestFlagsKept:
    def test_a_discipline_in_a_month_without_scores_makes_the_year_kht(self) -> None:
        """NĐ 335 Điều 20 k4 c: a reprimand recorded in a sick-leave month is in the year."""
        months = [_month("2026-01", False, discipline=1), _month("2026-02", True, discipline=0)]
        staff, units = zip(*(classify_frame(m, UNITS) for m in months), strict=True)
        assert staff[0]["discipline"].tolist() == [0.0, 0.0, 1.0]
        year = classify_year(pd.concat(staff, ignore_index=True),
                             pd.concat(units, ignore_index=True)).set_index("staff_id")  # fmt: skip
        assert year.loc["X", "grade"] == "KHT"
        assert "disqualifier.discipline" in year.loc["X", "reasons"].split(";")

    def test_the_results_keep_only_the_flags_the_input_has_as_read(self) -> None:
        """Named disciplines are read as levels, yes/no flags as booleans."""
        m = _month("2026-02", True, discipline="Khiển trách", discipline_related_to_duty="không")
        staff, _ = classify_frame(m, UNITS)
        assert staff["discipline"].tolist() == [0.0, 0.0, 1.0]
        assert staff["discipline_related_to_duty"].tolist() == [True, True, False]
        assert "party_discipline" not in staff.columns


def _vc_year(reasons: list[str], **cols: list[object]) -> pd.DataFrame:
    """A viên chức's 2026: NĐ 90 until June, NĐ 233 from July (the year's rule set)."""
    return pd.DataFrame({"staff_id": "V", "period": [f"2026-{m:02d}" for m in range(1, 13)],
                         "rule_set": ["vn.nd90-2020"] * 6 + ["vn.nd233-2026"] * 6,
                         "total": 98.0, "reasons": reasons, **cols})  # fmt: skip


class TestMonthCodesOnTheYear:
    NO_DUTY = [""] * 4 + ["disqualifier.discipline"] + [""] * 7

    def test_nd90s_any_discipline_code_is_not_nd233s_duty_discipline(self) -> None:
        """NĐ 90 (Điều 2 k5 a) caps any discipline, NĐ 233 only one related to the duties:
        May's NĐ 90 code does not make the NĐ 233 year KHT, nor print its sentence."""
        out = rollup_frame(_vc_year(self.NO_DUTY)).iloc[0]
        assert (out["rule_set"], out["grade"]) == ("vn.nd233-2026", "HTXS")
        assert "disqualifier.discipline" not in out["reasons"].split(";")

    def test_a_code_of_the_same_test_still_counts(self) -> None:
        """Under NĐ 233 in September the same cap: the code is enough (results without flags)."""
        reasons = [""] * 8 + ["disqualifier.discipline"] + [""] * 3
        out = rollup_frame(_vc_year(reasons)).iloc[0]
        assert (out["grade"], out["reasons"]) == ("KHT", "rollup.average;disqualifier.discipline")

    def test_where_the_rows_carry_the_flags_the_flags_decide(self) -> None:
        """May's discipline was not related to the duties: NĐ 233's year is not KHT; one
        related to the duties is, whatever rule set the month was under."""
        related = [True] * 4 + [False] + [True] * 7
        df = _vc_year(self.NO_DUTY, discipline=[0] * 4 + [1] + [0] * 7,
                      discipline_related_to_duty=related)  # fmt: skip
        assert rollup_frame(df).iloc[0]["grade"] == "HTXS"
        df = df.assign(discipline_related_to_duty=True)
        out = rollup_frame(df).iloc[0]
        assert (out["grade"], out["reasons"]) == ("KHT", "rollup.average;disqualifier.discipline")

    def test_classify_frame_results_carry_the_flags_to_the_year(self) -> None:
        """The same through classify_frame: a non-duty reprimand in May (NĐ 90 month: KHT
        for the month), NĐ 233 year: not KHT."""
        nd90, nd233 = (evalkit.rules.get(r) for r in ("vn.nd90-2020", "vn.nd233-2026"))
        rows = [{"staff_id": "V", "unit_id": "U", "period": f"2026-{m:02d}",
                 "category": "vien_chuc", **(nd90 if m <= 6 else nd233).full_marks(),
                 "discipline": int(m == 5), "discipline_related_to_duty": m != 5}
                for m in range(1, 13)]  # fmt: skip
        staff, units = classify_frame(pd.DataFrame(rows), UNITS)
        assert staff["reasons"].iloc[4] == "disqualifier.discipline"
        out = classify_year(staff, units).iloc[0]
        assert (out["rule_set"], out["score_grade"]) == ("vn.nd233-2026", "HTXS")
        assert out["grade"] != "KHT"
        assert "disqualifier.discipline" not in out["reasons"].split(";")


def _heads_year() -> pd.DataFrame:
    """H heads U (95 every month of 2026), S works in U (80)."""
    return pd.DataFrame([{"staff_id": s, "period": f"2026-{m:02d}", "unit_id": "U",
                          "rule_set": "vn.nd335-2025", "total": t, "is_head": s == "H"}
                         for s, t in (("H", 95.0), ("S", 80.0)) for m in range(1, 13)])


class TestHeadCapNeedsTheUnit:
    """A head not above the unit (``[units] head_capped_at_unit``, its ``source`` in the
    preset): never silently left uncapped for want of the unit's result."""

    @pytest.mark.parametrize("units", [None, pd.DataFrame({"unit_id": ["OTHER"],
                                                           "grade": ["HTT"]})])
    def test_a_head_without_the_units_result_is_refused(self, units: object) -> None:
        """At the head's last month (the row whose unit_id is the year's unit), the unit
        named once: by the problem's unit, column and value, not again in the sentence."""
        with pytest.raises(InputError) as info:
            classify_year(_heads_year().set_axis(range(100, 124)), units)  # type: ignore[arg-type]
        (problem,) = info.value.problems
        assert (problem.row, problem.staff_id, problem.unit_id, problem.column,
                problem.value) == (111, "H", "U", "unit_id", "U")  # fmt: skip
        assert problem.message == "the head cap needs the unit's result for 2026: pass " \
            "unit_results with a row for this unit"
        assert str(problem).count("'U'") == 2  # unit 'U', value 'U'

    def test_a_head_of_rows_already_for_the_year_is_named_at_that_row(self) -> None:
        """Rows already rolled up: the head's own row, the unit as typed there; a head
        moved in December at the row of their last month (its unit the year's)."""
        year = pd.DataFrame({"staff_id": ["S", "H"], "period": "2026", "unit_id": ["U", "U "],
                             "total": [80.0, 95.0], "grade": ["HTT", "HTXS"],
                             "is_head": [False, True]}, index=["a", "b"])  # fmt: skip
        with pytest.raises(InputError) as info:
            classify_year(year)
        assert [(p.row, p.staff_id, p.unit_id, p.column, p.value)
                for p in info.value.problems] == [("b", "H", "U", "unit_id", "U ")]
        moved = _heads_year()
        moved.loc[11, "unit_id"] = "V"  # H's December, in V
        with pytest.raises(InputError) as info:
            classify_year(moved.iloc[::-1], pd.DataFrame({"unit_id": ["U"], "grade": ["HTT"]}))
        assert [(p.row, p.staff_id, p.unit_id, p.column, p.value)
                for p in info.value.problems] == [(11, "H", "V", "unit_id", "V")]

    def test_every_problem_of_the_unit_results_comes_in_one_error(self) -> None:
        """A unit given twice for the year, a grade that is none, a score that is no number,
        a flag that is not yes/no and a period that is none: one error, in the unit results'
        row order (their own labels), each naming its unit, column and value; the head
        whose unit has no row after them."""
        units = pd.DataFrame({"unit_id": ["U", "U", "W", "W2", "W3"],
                              "period": ["2026", "2026", "2026", "2026", "2026-13"],
                              "grade": ["HTT", "ZZ", "HT", "HT", "HT"],
                              "score": [90, 80, "abc", 70, 70],
                              "exceptional": ["", "", "", "maybe", ""]},
                             index=[10, 11, 12, 13, 14])  # fmt: skip
        with pytest.raises(InputError) as info:
            classify_year(_heads_year().assign(unit_id="V"), units)
        got = [(p.row, p.unit_id, p.staff_id, p.column, p.value) for p in info.value.problems]
        assert got == [(10, "U", None, "unit_id", "U"), (11, "U", None, "unit_id", "U"),
                       (11, "U", None, "grade", "ZZ"), (12, "W", None, "score", "abc"),
                       (13, "W2", None, "exceptional", "maybe"),
                       (14, "W3", None, "period", "2026-13"),
                       (11, "V", "H", "unit_id", "V")]  # fmt: skip
        assert info.value.count == 7
        assert "more than once for the same period" in info.value.problems[0].message
        assert "head cap needs the unit's result" in info.value.problems[-1].message

    @pytest.mark.parametrize("blank", [None, "", float("nan"), "  ", "\u200b"])
    def test_a_blank_unit_id_is_said_with_the_other_problems(self, blank: object) -> None:
        """A unit row without its unit is one problem at its row, the id as typed (never a
        row silently read for no unit), with the unit results' other problems and the head
        whose unit has no row; two blank rows of a period are not one unit twice."""
        units = pd.DataFrame({"unit_id": ["W", blank, blank, "W"],
                              "period": ["2026", "2026", "2026", "2026"],
                              "grade": ["HTT", "HT", "ZZ", "HT"]}, index=[5, 6, 7, 8])
        with pytest.raises(InputError) as info:
            classify_year(_heads_year(), units)
        typed = None if blank is None or pd.isna(blank) else blank  # NaN said as no value
        got = [(p.row, p.unit_id, p.staff_id, p.column, p.value) for p in info.value.problems]
        assert got == [(5, "W", None, "unit_id", "W"), (6, None, None, "unit_id", typed),
                       (7, None, None, "unit_id", typed), (7, None, None, "grade", "ZZ"),
                       (8, "W", None, "unit_id", "W"),
                       (11, "U", "H", "unit_id", "U")]  # fmt: skip
        assert [p.message for p in info.value.problems][1:3] == ["blank unit id"] * 2
        assert info.value.count == 6

    def test_unit_results_without_unit_id_are_said_with_their_other_problems(self) -> None:
        """No unit_id column: one problem of the whole frame, then each cell read without
        it (a bad period, grade and number at their rows), in one error — also beside the
        staff rows' own problems; no head is said to lack a row (which unit a row is for
        is unknown until the column is given)."""
        units = pd.DataFrame({"period": ["2026", "2026-13"], "grade": ["HTT", "ZZ"],
                              "score": [90, "abc"]}, index=[3, 4])  # fmt: skip
        expected = [(None, None, None, "unit_id", None), (4, None, None, "period", "2026-13"),
                    (4, None, None, "grade", "ZZ"), (4, None, None, "score", "abc")]
        with pytest.raises(InputError) as info:
            classify_year(_heads_year(), units)
        got = [(p.row, p.unit_id, p.staff_id, p.column, p.value) for p in info.value.problems]
        assert got == expected
        assert info.value.problems[0].message == "the unit results needs a 'unit_id' column"
        staff = _heads_year().astype({"total": object})
        staff.loc[3, "total"] = "x"
        with pytest.raises(InputError) as info:
            classify_year(staff, units)
        got = [(p.row, p.unit_id, p.staff_id, p.column, p.value) for p in info.value.problems]
        assert got == [(3, None, "H", "total", "x"), *expected]

    def test_the_staff_rows_problems_and_the_unit_results_in_one_error(self) -> None:
        """A month given twice for a person and a bad unit grade: both in one error, the
        staff rows' first, then the unit results' (each in its row order)."""
        staff = _heads_year()
        staff.loc[1, "period"] = "2026-01"  # H's January twice
        units = pd.DataFrame({"unit_id": ["U", "U"], "period": "2026", "grade": ["HTT", "ZZ"]})
        with pytest.raises(InputError) as info:
            classify_year(staff, units)
        got = [(p.row, p.staff_id, p.unit_id, p.column, p.value) for p in info.value.problems]
        assert got == [(0, "H", None, "period", "2026-01"), (1, "H", None, "period", "2026-01"),
                       (0, None, "U", "unit_id", "U"), (1, None, "U", "unit_id", "U"),
                       (1, None, "U", "grade", "ZZ")]  # fmt: skip

    def test_a_year_over_quarters_says_each_unit_problem_once(self) -> None:
        """Customs: the year classifies its quarters first (each reading the unit results);
        the unit results' problems are said once, not once per quarter and again."""
        staff = pd.DataFrame({"staff_id": "A", "unit_id": "U", "is_head": True,
                              "period": ["2026-07", "2026-08", "2026-09"],
                              "rule_set": "vn.customs-2026q", "total": [80.0, 90.0, 85.0]})
        units = pd.DataFrame({"unit_id": "U", "period": ["2026-07", "2026-07", "2026-08"],
                              "score": [90, 90, "x"]})  # fmt: skip
        for to in ("year", "quarter"):
            with pytest.raises(InputError) as info:
                classify_year(staff, units, "vn.customs-2026q", to=to)  # type: ignore[arg-type]
            got = [(p.row, p.unit_id, p.column, p.value) for p in info.value.problems]
            assert got == [(0, "U", "unit_id", "U"), (1, "U", "unit_id", "U"),
                           (2, "U", "score", "x")], to

    def test_another_years_unit_row_is_not_this_years(self) -> None:
        units = pd.DataFrame({"unit_id": ["U"], "period": ["2025"], "grade": ["HTT"]})
        with pytest.raises(InputError, match="unit 'U'"):
            classify_year(_heads_year(), units)

    def test_a_unit_with_a_row_but_no_score_leaves_the_head_uncapped(self) -> None:
        """As in the month: a unit not evaluated caps nobody."""
        units = pd.DataFrame({"unit_id": "U", "period": [f"2026-{m:02d}" for m in range(1, 13)],
                              "score": float("nan")})  # fmt: skip
        out = classify_year(_heads_year(), units).set_index("staff_id")
        assert out.loc["H", "proposed_grade"] == "HTXS"  # then the quota (20 % of 1 HTT)
        assert "cap.head_unit" not in out.loc["H", "reasons"]

    def test_the_units_year_or_months_cap_the_head(self) -> None:
        for units in (pd.DataFrame({"unit_id": ["U"], "period": ["2026"], "grade": ["HTT"]}),
                      pd.DataFrame({"unit_id": "U", "score": 80.0,
                                    "period": [f"2026-{m:02d}" for m in range(1, 13)]})):
            out = classify_year(_heads_year(), units).set_index("staff_id")
            assert (out.loc["H", "grade"], out.loc["H", "reasons"]) == (
                "HTT", "rollup.average;cap.head_unit")

    def test_without_heads_no_unit_result_is_needed(self) -> None:
        out = classify_year(_heads_year().assign(is_head=False))
        assert out["proposed_grade"].tolist() == ["HTXS", "HTT"]


class TestMonthWithoutScoresCarriesTheDiscipline:
    """A month without scores whose discipline hits the year says so on its own result, in
    every door: the object roll-up then needs no ``disciplined=`` to see it."""

    def _org(self) -> evalkit.Organisation:
        return evalkit.Organisation(
            units=[evalkit.Unit("U", "Phòng A", head_id="H")],
            positions=[evalkit.Position("P", "Chuyên viên")],
            staff=[evalkit.Staff("H", "Hoa", "P", "U"), evalkit.Staff("X", "Xuân", "P", "U")])

    def _year(self) -> list[evalkit.EvaluationResult]:
        top = ND335.full_marks()
        lead = ND335.full_marks(manages_others=True)  # H heads U: a management post
        out = []
        for m in range(1, 13):
            p = f"2026-{m:02d}"
            x = evalkit.Assessment("X", p, discipline="khien_trach") if m == 5 else \
                evalkit.Assessment("X", p, manager_scores=top)
            c = evalkit.classify_organisation(
                self._org(), [evalkit.Assessment("H", p, manager_scores=lead), x],
                [evalkit.UnitInputs("U", p, tasks_assigned=10, tasks_done=10)])
            out.append(c["U"].result_of("X"))
        return out

    def test_the_month_says_not_evaluated_and_the_discipline_without_a_grade(self) -> None:
        may = self._year()[4]
        assert may.total is None and may.grade is None
        assert may.reason_codes() == ("not_evaluated", "disqualifier.discipline")
        said = may.reasons[1]
        assert said.message_vi == ("Bị kỷ luật từ khiển trách trở lên do vi phạm liên quan đến "
                                   "thi hành công vụ trong năm đánh giá")
        assert "xếp loại" not in said.message_vi and "graded" not in said.message_en
        assert said.source == "NĐ 335/2025/NĐ-CP, Điều 20 k4 c"

    def test_a_graded_month_still_says_the_grade(self) -> None:
        from evalkit.reasons import make_reason

        r = make_reason("disqualifier.discipline", ND335, {"total": 0.0})  # 0 is a total
        kht = ND335.grade_label(evalkit.Grade.KHT, "vi")
        assert r.message_vi.endswith(f": xếp loại {kht}")
        assert r.message_en.endswith(": graded " + ND335.grade_label(evalkit.Grade.KHT, "en"))

    def test_the_object_rollup_makes_the_year_kht_without_disciplined(self) -> None:
        year = evalkit.rollup(self._year())[0]
        assert year.grade == evalkit.Grade.KHT
        assert "disqualifier.discipline" in year.reason_codes()

    def test_scalar_and_frame_scoring_agree_on_the_month(self) -> None:
        a = evalkit.Assessment("X", "2026-05", discipline="khien_trach")
        one = evalkit.score(a, rules=ND335)
        frame = evalkit.score_frame(pd.DataFrame([{"discipline": "khien_trach"}]), ND335)
        assert frame["reasons"].tolist() == ["not_evaluated;disqualifier.discipline"]
        assert tuple(frame["reasons"].iloc[0].split(";")) == one.reason_codes()
        assert frame["grade"].isna().all() and one.grade is None

    def test_a_month_without_scores_and_without_discipline_is_only_not_evaluated(self) -> None:
        a = evalkit.Assessment("X", "2026-05")
        assert evalkit.score(a, rules=ND335).reason_codes() == ("not_evaluated",)


class TestPeriodsRead:
    """Audit af21: classify_year read the periods with ``Period.parse(str(p))`` before the
    roll-up: a month given as a date (what score_frame, classify_frame and rollup_frame
    accept) was refused, and bad periods raised a bare PeriodError for the first only."""

    @staticmethod
    def _months(periods: list[object]) -> pd.DataFrame:
        # A: 95 and 85 → 90 (HTXS); B-F: 80 → HTT; 20 % of 5 HTT = 1 HTXS (NĐ 335/2025
        # Điều 20 k1, k2, k5 a; Điều 21: the mean of the months)
        rows = [{"staff_id": s, "period": p, "unit_id": "U", "rule_set": ND335.id,
                 "total": (95.0 if p is periods[0] else 85.0) if s == "A" else 80.0}
                for s in "ABCDEF" for p in periods]  # fmt: skip
        return pd.DataFrame(rows)

    @pytest.mark.parametrize("as_dates", [
        [pd.Timestamp("2026-03-01"), pd.Timestamp("2026-04-01")],
        [pd.Period("2026-03", "M"), pd.Period("2026-04", "M")]])
    def test_months_given_as_dates_are_classified_as_their_months(self, as_dates: list[object]
                                                                  ) -> None:  # fmt: skip
        units = pd.DataFrame({"unit_id": ["U"], "grade": ["HTXS"]})
        out = classify_year(self._months(as_dates), units)
        assert out.set_index("staff_id")["total"].to_dict() == {
            "A": 90.0, **dict.fromkeys("BCDEF", 80.0)}
        assert out.set_index("staff_id")["grade"].astype(str).to_dict() == {
            "A": "HTXS", **dict.fromkeys("BCDEF", "HTT")}

    def test_every_bad_period_is_named_with_its_row(self) -> None:
        months = self._months(["2026-03", "2026-04"])
        months.loc[[1, 4], "period"] = ["tháng 4", "2026-13"]
        with pytest.raises(InputError) as info:
            classify_year(months)
        assert [(p.row, p.column, p.value) for p in info.value.problems] == [
            (1, "period", "tháng 4"), (4, "period", "2026-13")]
