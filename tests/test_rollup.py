"""Roll-ups month → quarter → year and the emulation ranking (domain brief §4.2, §4.4, §4.5)."""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np
import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit import EvaluationResult, Grade, Period
from evalkit.errors import InputError
from evalkit.units import classify_year, rank_units, rollup, rollup_frame

ND335 = evalkit.rules.get("vn.nd335-2025")
#: A quarterly scheme over NĐ 335: it classifies its quarters, whose grades the year counts.
COUNTING = attrs.evolve(ND335, classified=("quarter", "year"),
                        rollup=attrs.evolve(ND335.rollup, method="count", of="quarter"))


def year(totals: list[float | None], **cols: list[object]) -> pd.DataFrame:
    """One person's months January.. with ``totals`` (None = not evaluated)."""
    n = len(totals)
    return pd.DataFrame({"staff_id": "A", "period": [f"2026-{m:02d}" for m in range(1, n + 1)],
                         "total": totals, **cols})  # fmt: skip


ND90_LIKE = attrs.evolve(ND335, rollup=attrs.evolve(
    ND335.rollup, min_months=6, maternity_exempt=True, absent_cap=True))  # fmt: skip


class TestYear:
    """NĐ 335/2025 Điều 21: the year is the average of the monthly scores of the time worked."""

    def test_the_year_is_the_band_of_the_average_of_monthly_totals(self) -> None:
        """Average of 12 months (85 × 6, 95 × 6) = 90 → HTXS."""
        out = rollup_frame(year([85.0] * 6 + [95.0] * 6), ND335).iloc[0]
        assert (out["total"], out["grade"], out["months"]) == (90.0, "HTXS", 12)
        assert out["reasons"] == "rollup.average"

    def test_the_average_decides_whatever_the_monthly_bands(self) -> None:
        """Issue 18: 10 HTT-band months and 2 HTXS-band months averaging 88 → HTT."""
        out = rollup_frame(year([87.4] * 10 + [91.0] * 2), ND335).iloc[0]
        assert (out["total"], out["grade"]) == (88.0, "HTT")

    def test_a_month_not_evaluated_is_skipped_never_zero(self) -> None:
        """Eleven months of 92 and one blank month: 92, not 84.33."""
        out = rollup_frame(year([92.0] * 11 + [None]), ND335).iloc[0]
        assert (out["total"], out["months"]) == (92.0, 11)

    def test_five_months_worked_are_classified_on_those_months(self) -> None:
        """NĐ 335 has no 6-month minimum: five months worked are the year's basis."""
        out = rollup_frame(year([95.0] * 5 + [None] * 7), ND335).iloc[0]
        assert (out["grade"], out["months"]) == ("HTXS", 5)

    def test_maternity_leave_is_classified_on_the_months_worked(self) -> None:
        """Issue 18: seven months of maternity leave, five months averaging 92 → 92, HTXS."""
        df = year([90.0, 94.0, 92.0, 91.0, 93.0] + [None] * 7, leave=[""] * 5 + ["maternity"] * 7)
        out = rollup_frame(df, ND335).iloc[0]
        assert (out["total"], out["grade"], out["leave_months"]) == (92.0, "HTXS", 7)
        assert out["reasons"] == "rollup.average;rollup.leave"

    def test_legal_absence_does_not_cap_the_year_under_nd335(self) -> None:
        """NĐ 90's 'absent 3 to < 6 months → at most HT' is not in NĐ 335: off."""
        df = year([95.0] * 8 + [None] * 4, leave=[""] * 8 + ["absent"] * 4)
        assert rollup_frame(df, ND335).iloc[0]["grade"] == "HTXS"

    def test_disciplined_in_the_year_is_kht(self) -> None:
        """NĐ 335 Điều 20 k4 c: a reprimand for a duty-related violation in any month → KHT."""
        df = year([95.0] * 12, discipline=[0] * 11 + [1])
        out = rollup_frame(df, ND335).iloc[0]
        assert (out["grade"], out["reasons"]) == ("KHT", "rollup.average;disqualifier.discipline")

    def test_discipline_unrelated_to_public_duty_leaves_the_year(self) -> None:
        """NĐ 335 Điều 20 k4 c counts only violations related to public duty."""
        df = year([95.0] * 12, discipline=[0] * 11 + [1],
                  discipline_related_to_duty=[True] * 11 + [False])  # fmt: skip
        assert rollup_frame(df, ND335).iloc[0]["grade"] == "HTXS"

    def test_a_monthly_discipline_reason_counts_when_no_discipline_column(self) -> None:
        """The monthly result's ``disqualifier.discipline`` code is enough."""
        df = year([95.0] * 12, reasons=[""] * 11 + ["disqualifier.discipline"])
        assert rollup_frame(df, ND335).iloc[0]["grade"] == "KHT"

    def test_quarters_roll_up_from_their_months(self) -> None:
        """to='quarter' gives one row per quarter with its months' mean."""
        out = rollup_frame(year([80.0, 90.0, 100.0, 60.0, 60.0, 60.0]), ND335, to="quarter")
        assert out[["period", "total", "grade"]].values.tolist() == [
            ["2026-Q1", 90.0, "HTXS"], ["2026-Q2", 60.0, "HT"]]


class TestTheRowsKeysAllAtOnce:
    """A blank staff id, an id with a control character, a period that is none and a year
    given to the roll-up: one error, in row order, each naming its row, person, column and
    value (the rows are grouped by their ids and periods, so their other problems follow
    once these are sound)."""

    def test_every_bad_id_and_period_in_one_error(self) -> None:
        df = year([80.0, 80.0, 80.0, 80.0, 80.0]).assign(
            staff_id=["A", " ", "B\x07", "C", "D"],
            period=["2026-01", "2026-01", "2026-02", "2026-13", "2026"]).set_axis(list("vwxyz"))
        with pytest.raises(InputError) as info:
            rollup_frame(df, ND335)
        got = [(p.row, p.staff_id, p.column, p.value) for p in info.value.problems]
        assert got == [("w", None, "staff_id", None), ("x", "B\x07", "staff_id", "B\x07"),
                       ("y", "C", "period", "2026-13"), ("z", "D", "period", "2026")]
        assert info.value.count == 4
        assert info.value.problems[-1].message == "roll-up input periods must be months or " \
            "quarters"


class TestOneRowPerMonth:
    """A month given twice would weigh twice in the average and count twice as worked:
    every door refuses it, naming the rows by the input's own labels."""

    def frame(self) -> pd.DataFrame:
        df = year([95.0, 50.0, 80.0]).assign(period=["2026-01", "2026-01", "2026-02"])
        return df.set_axis([10, 11, 12])

    def test_rollup_frame_refuses_the_second_row_of_a_month(self) -> None:
        with pytest.raises(InputError) as info:
            rollup_frame(self.frame(), ND335)
        got = [(p.row, p.staff_id, p.column, p.value) for p in info.value.problems]
        assert got == [(10, "A", "period", "2026-01"), (11, "A", "period", "2026-01")]

    def test_classify_year_refuses_it_too(self) -> None:
        with pytest.raises(InputError, match="another row for this period") as info:
            classify_year(self.frame().assign(unit_id="U"), None, ND335)
        assert [p.row for p in info.value.problems] == [10, 11]

    def test_other_people_and_other_months_are_not_duplicates(self) -> None:
        df = pd.concat([year([80.0, 90.0]), year([70.0, 60.0]).assign(staff_id="B")])
        out = rollup_frame(df.reset_index(drop=True), ND335).set_index("staff_id")
        assert out.loc["A", "months"] == out.loc["B", "months"] == 2
        assert (out.loc["A", "total"], out.loc["B", "total"]) == (85.0, 65.0)

    def test_a_units_month_given_twice_is_refused_for_the_year(self) -> None:
        """The unit's year is the mean of its months' scores: a month twice is refused."""
        staff = year([80.0, 90.0]).assign(unit_id="U", is_head=True)
        months = pd.DataFrame({"unit_id": "U", "period": ["2026-01", "2026-02", "2026-02"],
                               "score": [95.0, 50.0, 50.0]}, index=["x", "y", "z"])
        with pytest.raises(InputError, match="more than once for the same period") as info:
            classify_year(staff, months, ND335)
        assert [p.row for p in info.value.problems] == ["y", "z"]
        # counted once the unit's mean is 72.5 (HTT) and the head (85) keeps HTT; counted
        # twice it would be 65 (HT) and the head capped at HT
        once = classify_year(staff, months.iloc[:2], ND335).iloc[0]
        assert (once["unit_grade"], once["grade"]) == ("HTT", "HTT")

    def test_a_conclusion_for_nobody_in_the_year_is_refused_not_dropped(self) -> None:
        """The competent level's conclusion for an id (or a year) with no result is named;
        an id typed as a number matches its text, as everywhere in the engine."""
        sy = pd.DataFrame({"staff_id": [1, 2, 3], "period": "2026-12", "unit_id": "U",
                           "total": [95.0, 80.0, 80.0]})  # fmt: skip
        bad = pd.DataFrame({"staff_id": ["9", "2"], "competent_grade": "HT",
                            "competent_reason": "x"}, index=["c1", "c2"])  # fmt: skip
        with pytest.raises(InputError, match="no result for the year") as info:
            classify_year(sy, None, ND335, conclusions=bad)
        assert [(p.row, p.value) for p in info.value.problems] == [("c1", "9")]
        other_year = bad.iloc[1:].assign(period="2025")
        with pytest.raises(InputError, match="no result for the year"):
            classify_year(sy, None, ND335, conclusions=other_year)
        typed = pd.DataFrame({"staff_id": [2.0], "competent_grade": ["HT"],
                              "competent_reason": ["x"]})  # fmt: skip
        out = classify_year(sy, None, ND335, conclusions=typed).set_index("staff_id")
        assert out.loc[2, "grade"] == "HT"
        assert "competent.concluded" in out.loc[2, "reasons"]

    def test_a_problem_of_the_year_names_the_inputs_row(self) -> None:
        """classify_year's reader problems name the input's labels, not positions."""
        df = year([80.0, 90.0], leave=["", "holiday"]).set_axis(["a", "b"]).assign(unit_id="U")
        with pytest.raises(InputError) as info:
            classify_year(df, None, ND335)
        assert [(p.row, p.column) for p in info.value.problems] == [("b", "leave")]


class TestNd90Options:
    """NĐ 90/2020 Điều 2 k3, as options of the roll-up (on in vn.nd90-2020)."""

    def test_five_months_worked_is_not_classified(self) -> None:
        """Fewer than 6 months worked: not classified for the year."""
        out = rollup_frame(year([95.0] * 5 + [None] * 7), ND90_LIKE).iloc[0]
        assert pd.isna(out["grade"])
        assert out["reasons"] == "rollup.average;rollup.too_few_months"

    def test_maternity_leave_is_graded_on_the_months_worked(self) -> None:
        """Five months worked and seven on maternity leave: graded on the five."""
        df = year([95.0] * 5 + [None] * 7, leave=[""] * 5 + ["maternity"] * 7)
        out = rollup_frame(df, ND90_LIKE).iloc[0]
        assert out["grade"] == "HTXS"
        assert "rollup.leave" in out["reasons"].split(";")

    def test_four_months_absent_caps_the_year_at_ht(self) -> None:
        """Legally absent 3 to < 6 months: at most HT."""
        df = year([95.0] * 8 + [None] * 4, leave=[""] * 8 + ["absent"] * 4)
        out = rollup_frame(df, ND90_LIKE).iloc[0]
        assert (out["score_grade"], out["grade"]) == ("HTXS", "HT")
        assert "rollup.absent_cap" in out["reasons"].split(";")

    def test_two_months_absent_is_not_capped(self) -> None:
        """Below the 3-month threshold nothing changes."""
        df = year([95.0] * 10 + [None] * 2, leave=[""] * 10 + ["absent"] * 2)
        assert rollup_frame(df, ND90_LIKE).iloc[0]["grade"] == "HTXS"


class TestCountingQuarters:
    """Quarterly schemes (domain brief §4.4): count HTXS and KHT quarters."""

    def test_two_excellent_quarters_and_no_kht_quarter_make_an_excellent_year(self) -> None:
        """Q1, Q2 HTXS; Q3, Q4 HTT: HTXS (the average 87.5 would be HTT)."""
        out = rollup_frame(year([95.0] * 6 + [80.0] * 6), COUNTING).iloc[0]
        assert (out["total"], out["grade"], out["reasons"]) == (
            87.5, "HTXS", "rollup.count.excellent")

    def test_two_kht_quarters_make_a_kht_year(self) -> None:
        """Q1, Q2 KHT: KHT even though the average is HT."""
        out = rollup_frame(year([40.0] * 6 + [95.0] * 6), COUNTING).iloc[0]
        assert (out["grade"], out["reasons"]) == ("KHT", "rollup.count.kht")

    def test_one_kht_quarter_blocks_excellence_and_the_year_falls_back_to_the_mean(self) -> None:
        """Three HTXS quarters and one KHT: not HTXS, the mean's band kept within HT..HTT."""
        out = rollup_frame(year([100.0] * 9 + [40.0] * 3), COUNTING).iloc[0]
        assert (out["score_grade"], out["grade"], out["reasons"]) == (
            "HTT", "HTT", "rollup.count.otherwise")

    def test_a_single_kht_quarter_with_a_low_mean_is_ht_not_kht(self) -> None:
        """Evalkit's documented choice: the fallback never goes below HT."""
        out = rollup_frame(year([30.0] * 3 + [55.0] * 9), COUNTING).iloc[0]
        assert (out["total"], out["score_grade"], out["grade"]) == (48.75, "KHT", "HT")


class TestObjectFace:
    """rollup() over EvaluationResults gives the frame's answer with bilingual reasons."""

    def test_scalar_rollup_gives_bilingual_reasons(self) -> None:
        """Four absent months under the NĐ 90 options: HT with a cited reason."""
        results = [EvaluationResult("A", Period.month(2026, m), "vn.nd335-2025", 95.0,
                                    Grade.HTXS, Grade.HTXS) for m in range(1, 9)]  # fmt: skip
        leave = {f"2026-{m:02d}": "absent" for m in range(9, 13)}
        (r,) = rollup(results, ND90_LIKE, leave=leave)
        assert (r.period, r.total, r.grade) == (Period.of_year(2026), 95.0, Grade.HT)
        cap = r.reasons[r.reason_codes().index("rollup.absent_cap")]
        assert cap.message_vi == ("Nghỉ theo quy định từ 3 đến dưới 6 tháng trong năm: xếp loại "
                                  "tối đa Hoàn thành nhiệm vụ")
        assert "at most" in cap.message_en

    def test_a_leave_month_takes_the_latest_rule_set_whatever_the_list_order(self) -> None:
        """January-June under NĐ 90 (in force to 2026-06-30), July-November under NĐ 335,
        maternity leave in December, the results listed out of date order: the year is
        NĐ 335's (the last period's set), not the set of the last result listed."""
        later = [EvaluationResult("A", Period.month(2026, m), "vn.nd335-2025", 80.0, None, None)
                 for m in range(7, 12)]  # fmt: skip
        earlier = [EvaluationResult("A", Period.month(2026, m), "vn.nd90-2020", 80.0, None,
                                    None) for m in range(1, 7)]  # fmt: skip
        for listed in (later + earlier, earlier + later):
            (r,) = rollup(listed, leave={"2026-12": "maternity"})
            assert (r.rule_set_id, r.total) == ("vn.nd335-2025", 80.0)

    def test_roll_up_input_must_be_months_or_quarters(self) -> None:
        """A year as input is refused."""
        with pytest.raises(evalkit.InputError, match="must be months or quarters") as info:
            rollup_frame(pd.DataFrame({"staff_id": ["A", "A"], "period": ["2026-01", "2026"],
                                       "total": [90.0, 90.0]}, index=["m", "y"]), ND335)
        assert [(p.row, p.staff_id, p.value) for p in info.value.problems] == [("y", "A", "2026")]


class TestEmulationRanking:
    """Seed 004: monthly and yearly emulation points of units, ties reported as ties."""

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({
            "unit_id": ["A", "B", "C", "D"] * 2,
            "period": ["2026-01"] * 4 + ["2026-02"] * 4,
            "score": [90.0, 95.0, 90.0, 70.0, 100.0, 95.0, 90.0, None],
            "parent_id": ["R", "R", "S", "S"] * 2,
        })  # fmt: skip

    def test_ties_share_a_rank_and_are_flagged(self) -> None:
        """Dense ranking: 95 first, the two 90s tied second, 70 third."""
        out = rank_units(self.frame()[lambda d: d["period"] == "2026-01"])
        assert out[["unit_id", "rank", "tied"]].values.tolist() == [
            ["B", 1, False], ["A", 2, True], ["C", 2, True], ["D", 3, False]]

    def test_min_ranking_skips_after_a_tie(self) -> None:
        """Competition ranking: 1, 2, 2, 4."""
        out = rank_units(self.frame()[lambda d: d["period"] == "2026-01"], method="min")
        assert out["rank"].tolist() == [1, 2, 2, 4]

    def test_the_year_ranks_the_mean_of_the_months_skipping_missing_ones(self) -> None:
        """A: 95, B: 95, C: 90, D: 70 (its blank month skipped)."""
        out = rank_units(self.frame(), to="year")
        assert out[["unit_id", "points", "rank", "tied"]].values.tolist() == [
            ["A", 95.0, 1, True], ["B", 95.0, 1, True], ["C", 90.0, 2, False],
            ["D", 70.0, 3, False]]

    def test_the_year_may_sum_the_months(self) -> None:
        """how='sum': A 190, B 190, C 180, D 70."""
        out = rank_units(self.frame(), to="year", how="sum")
        assert out.set_index("unit_id")["points"].to_dict() == {
            "A": 190.0, "B": 190.0, "C": 180.0, "D": 70.0}

    def test_ranking_within_a_parent(self) -> None:
        """within='parent_id' ranks siblings against each other."""
        out = rank_units(self.frame()[lambda d: d["period"] == "2026-01"], within="parent_id")
        assert out.set_index("unit_id")["rank"].to_dict() == {"A": 2, "B": 1, "C": 1, "D": 2}


class TestCustomsShortQuarter:
    """CV 21169/CHQ-TCCB (domain brief §4.4): one month worked or less in a quarter → not
    evaluated that quarter, the result carried to the next (``period_short_months = 1``)."""

    RS = "vn.customs-2026q"

    def months(self, given: list[tuple[str, float | None]]) -> pd.DataFrame:
        return pd.DataFrame([{"staff_id": "A", "period": p, "unit_id": "U", "rule_set": self.RS,
                              "total": t} for p, t in given])  # fmt: skip

    def test_one_month_and_no_next_quarter_is_not_evaluated(self) -> None:
        q = rollup_frame(self.months([("2026-07", 95.0), ("2026-08", None)]), self.RS,
                         to="quarter")  # fmt: skip
        assert q["period"].tolist() == ["2026-Q3"] and np.isnan(q["total"].iloc[0])
        assert q["reasons"].tolist() == ["rollup.period_short"]  # as score_frame says it

    def test_one_month_is_carried_to_the_next_quarter(self) -> None:
        q = rollup_frame(self.months([("2026-09", 95.0), ("2026-10", 70.0), ("2026-11", 75.0),
                                      ("2026-12", 80.0)]), self.RS, to="quarter")  # fmt: skip
        assert q["period"].tolist() == ["2026-Q3", "2026-Q4"]  # the quarter left keeps a row
        assert q["months"].tolist() == [1, 4] and q["carried_months"].tolist() == [0, 1]
        assert np.isnan(q["total"].iloc[0]) and q["total"].tolist()[1] == 80.0  # 320 / 4
        assert q["reasons"].tolist() == ["rollup.period_carried_next",
                                         "rollup.average;rollup.period_carried"]

    @pytest.mark.parametrize("worked", [2, 3])
    def test_two_months_or_more_make_a_quarter(self, worked: int) -> None:
        given = [(f"2026-{m:02d}", 90.0) for m in range(10 - worked, 10)] + [("2026-10", 70.0)]
        q = rollup_frame(self.months(given), self.RS, to="quarter")
        assert q["period"].tolist() == ["2026-Q3", "2026-Q4"]
        assert q["total"].tolist()[0] == 90.0 and q["months"].tolist() == [worked, 1]

    def test_a_decree_without_the_rule_never_carries(self) -> None:
        frame = self.months([("2026-09", 95.0), ("2026-10", 70.0)]).assign(
            rule_set="vn.nd335-2025")
        q = rollup_frame(frame, "vn.nd335-2025", to="quarter")
        assert q["period"].tolist() == ["2026-Q3", "2026-Q4"] and q["total"].tolist() == [95.0, 70.0]

    def test_the_scored_quarter_says_the_same(self) -> None:
        """score_frame on a quarter row with one month worked: not evaluated, same code."""
        rs = evalkit.rules.get(self.RS)
        frame = pd.DataFrame([{"staff_id": "A", "period": "2026-Q3", **rs.full_marks(),
                               "months_worked": 1}])  # fmt: skip
        scored = evalkit.score_frame(frame, rs)
        q = rollup_frame(self.months([("2026-07", 95.0)]), self.RS, to="quarter")
        assert np.isnan(scored["total"].iloc[0]) and np.isnan(q["total"].iloc[0])
        assert "rollup.period_short" in str(scored["reasons"].iloc[0])
        assert "rollup.period_short" in str(q["reasons"].iloc[0])


    @pytest.mark.parametrize(("worked", "evaluated"), [(0, False), (0.5, False), (1, False),
                                                       (1.01, True), (1.5, True), (2, True),
                                                       (3, True)])  # fmt: skip
    def test_at_most_one_month_not_more(self, worked: float, evaluated: bool) -> None:
        """§4.4: "worked ≤ 1 month in a quarter → not evaluated": 1.5 months is evaluated,
        in score_frame and in evalkit.score alike."""
        rs = evalkit.rules.get(self.RS)
        frame = pd.DataFrame([{"staff_id": "A", "period": "2026-Q3", **rs.full_marks(),
                               "months_worked": worked}])  # fmt: skip
        scored = evalkit.score_frame(frame, rs)
        assert (not np.isnan(scored["total"].iloc[0])) is evaluated
        assert ("rollup.period_short" in str(scored["reasons"].iloc[0])) is not evaluated
        one = evalkit.score(evalkit.Assessment("A", "2026-Q3", months_worked=worked,
                                               manager_scores=rs.full_marks()), rules=rs)
        assert (one.total is not None) is evaluated

    def test_the_sentence_says_one_month(self) -> None:
        from evalkit.reasons import make_reason

        rs = evalkit.rules.get(self.RS)
        r = make_reason("rollup.period_short", rs, {"months_worked": 1, "period": "2026-Q3"})
        assert r.message_vi == ("Làm việc 1 tháng trong quý (không quá 1 tháng): không đánh "
                                "giá quý này")

    def test_the_older_key_is_read_as_one_less(self, tmp_path: Path) -> None:
        path = tmp_path / "agency.toml"
        path.write_text('extends = "vn.nd335-2025"\nid = "hq.old"\njurisdiction = "vn.hq"\n'
                        '[rollup]\nperiod_min_months = 3\n', encoding="utf-8")  # fmt: skip
        old = evalkit.rules.load(path)
        assert old.rollup.period_short_months == 2.0  # fewer than 3 whole months


class TestImpossibleRollUpInput:
    """A roll-up refuses what cannot be a period's result, naming row, column and value,
    instead of averaging it into the year."""

    YEAR = pd.DataFrame({"staff_id": "A", "period": [f"2026-{m:02d}" for m in range(1, 13)],
                         "total": 80.0})  # fmt: skip

    @pytest.mark.parametrize("bad", [500.0, -1.0, 100.01])
    def test_a_total_outside_the_rule_sets_range(self, bad: float) -> None:
        with pytest.raises(InputError) as err:
            rollup_frame(self.YEAR.assign(total=[bad] + [80.0] * 11), "vn.nd335-2025")
        (p,) = err.value.problems
        assert (p.row, p.column, p.value) == (0, "total", bad)

    def test_the_top_of_the_range_is_a_result(self) -> None:
        out = rollup_frame(self.YEAR.assign(total=[100.0] + [0.0] * 11), "vn.nd335-2025")
        assert out["total"].tolist() == [8.33]

    def test_months_and_quarters_of_one_year(self) -> None:
        mixed = self.YEAR.assign(period=["2026-Q1"] + [f"2026-{m:02d}" for m in range(2, 13)])
        with pytest.raises(InputError) as err:
            rollup_frame(mixed, "vn.nd335-2025")
        assert [(p.row, p.value) for p in err.value.problems] == [(0, "2026-Q1")]

    def test_a_blank_staff_id(self) -> None:
        with pytest.raises(InputError) as err:
            rollup_frame(self.YEAR.assign(staff_id=[None, "  "] + ["A"] * 10), "vn.nd335-2025")
        assert [(p.row, p.column) for p in err.value.problems] == [(0, "staff_id"),
                                                                   (1, "staff_id")]

    def test_an_unknown_target(self) -> None:
        with pytest.raises(evalkit.errors.ModelError, match="to must be 'year' or 'quarter'"):
            rollup_frame(self.YEAR, "vn.nd335-2025", to="week")  # type: ignore[arg-type]


class TestCustomsTransitionYear:
    """2026 under customs: January–June NĐ 335 months (only scored), the customs quarters
    from Q3 (CV 21169/CHQ-TCCB). The year's scheme counts every quarter of the year: Q1, Q2
    (not classified under NĐ 335) count with their band, as when the customs set is named
    for all four (one answer whichever way the rule set is found; docs/periods.md)."""

    @staticmethod
    def _months(first: float, second: float) -> pd.DataFrame:
        return pd.DataFrame({
            "staff_id": "C", "period": [f"2026-{m:02d}" for m in range(1, 13)],
            "total": [first] * 6 + [second] * 6,
            "rule_set": ["vn.nd335-2025"] * 6 + ["vn.customs-2026q"] * 6})

    def test_the_quarters_keep_their_own_rule_set(self) -> None:
        q = rollup_frame(self._months(95.0, 80.0), to="quarter").set_index("period")
        assert q["rule_set"].astype(str).to_dict() == {
            "2026-Q1": "vn.nd335-2025", "2026-Q2": "vn.nd335-2025",
            "2026-Q3": "vn.customs-2026q", "2026-Q4": "vn.customs-2026q"}
        assert q["classified"].to_dict() == {"2026-Q1": False, "2026-Q2": False,
                                             "2026-Q3": True, "2026-Q4": True}

    def test_nd335_quarters_count_with_their_band(self) -> None:
        """Hand count (§4.4): ≥ 2 HTXS quarters and no KHT → HTXS; ≥ 2 KHT → KHT."""
        out = rollup_frame(self._months(95.0, 80.0)).iloc[0]  # Q1, Q2 bands HTXS; Q3, Q4 HTT
        assert (out["rule_set"], out["count_xs"], out["count_kht"], out["grade"]) == (
            "vn.customs-2026q", 2, 0, "HTXS")
        out = rollup_frame(self._months(60.0, 95.0)).iloc[0]  # Q1, Q2 HT; Q3, Q4 HTXS
        assert (out["count_xs"], out["count_ht"], out["grade"]) == (2, 2, "HTXS")
        out = rollup_frame(self._months(30.0, 100.0)).iloc[0]  # Q1, Q2 KHT: two KHT quarters
        assert (out["count_xs"], out["count_kht"], out["grade"]) == (2, 2, "KHT")

    @pytest.mark.parametrize(("first", "second"), [(95.0, 80.0), (60.0, 95.0), (30.0, 100.0),
                                                   (45.0, 92.0), (70.0, 49.0)])
    def test_named_or_found_the_year_is_the_same(self, first: float, second: float) -> None:
        """Audit 12: the customs set named for the whole year gives the year the rule set
        that follows the person gives."""
        months = self._months(first, second)
        q = rollup_frame(months, to="quarter")
        found = rollup_frame(q.drop(columns=["reasons"])).iloc[0]
        named = rollup_frame(q.drop(columns=["reasons", "rule_set"]),
                             "vn.customs-2026q").iloc[0]
        assert (found["count_xs"], found["count_kht"], found["grade"]) == (
            named["count_xs"], named["count_kht"], named["grade"])
