"""Scoring one person under NĐ 335/2025/NĐ-CP (domain brief §4.1) and the frame path."""

from __future__ import annotations

from typing import Any

import attrs
import pandas as pd
import pytest

import evalkit
from evalkit import Assessment, Discipline, Grade, score, score_frame
from evalkit.rules import ScorePolicy
from tests.helpers import DD, GENERAL, D, E, general


def assess(
    g: float = 30, *, a: float = 100, b: float = 100, c: float = 100, **kw: Any
) -> Assessment:
    scores: dict[str, float] = {**general(g), "so_luong": a, "chat_luong": b, "tien_do": c}
    scores.update(kw.pop("extra", {}))
    return Assessment("CC-0042", kw.pop("period", "2026-03"), competent_scores=scores, **kw)


class TestWorkedExamples:
    def test_staff_without_management_duty(self) -> None:
        """NĐ 335/2025 Điều 16 k1: a 90, b 100, c 80, general 28 → 28 + 63 = 91 (HTXS)."""
        r = score(assess(28, a=90, b=100, c=80))
        assert r.components == {"general": 28.0, "tasks": 63.0}
        assert r.total == 91.0
        assert r.grade is Grade.HTXS

    def test_staff_with_management_duty(self) -> None:
        """NĐ 335/2025 Điều 16 k2: d = 50, all else 100, general 30 → 30 + 64.17 = 94.17."""
        extra = {D: 50, DD: 100, E: 100}
        r = score(assess(30, extra=extra), manages_others=True)
        assert r.components["tasks"] == 64.17
        assert r.total == 94.17
        assert r.grade is Grade.HTXS

    def test_disunity_takes_e_to_50_percent(self) -> None:
        """NĐ 335/2025 Điều 15 k3: e (gathering and uniting the staff) at 50 % → 94.17."""
        r = score(assess(30, extra={D: 100, DD: 100, E: 50}), manages_others=True)
        assert r.total == 94.17

    def test_a_typed_management_value_outside_100_or_50_is_refused(self) -> None:
        """NĐ 335/2025 Điều 15 k3: d, đ, e are 100 % or 50 %; 70 is named with the staff."""
        with pytest.raises(
            evalkit.ScoreError,
            match=r"'to_chuc_trien_khai' score 70 is not one "
            r"of the values the rule set allows \(100, 50\) \(staff 'CC-0042'",
        ):
            score(assess(30, extra={D: 100, DD: 70, E: 100}), manages_others=True)

    def test_two_major_errors_halve_quality(self) -> None:
        """NĐ 335/2025 Điều 14 k2 b: two major errors → quality 50 %."""
        r = score(assess(30, extra={"loi_chat_luong": 2}))
        assert r.components["tasks"] == round((100 + 50 + 100) / 3 * 0.7, 2) == 58.33

    def test_one_delay_takes_a_quarter_of_timeliness(self) -> None:
        """NĐ 335/2025 Điều 14 k2 c: one delay → timeliness 75 %."""
        r = score(assess(30, extra={"cham_tien_do": 1}))
        assert r.components["tasks"] == 64.17  # (100 + 100 + 75) / 3 × 70 % = 64.1666…

    def test_deductions_never_go_below_zero(self) -> None:
        """Five errors take quality to 0 %, not below."""
        r = score(assess(30, extra={"loi_chat_luong": 5}))
        assert r.components["tasks"] == round((100 + 0 + 100) / 3 * 0.7, 2)

    def test_kpi_stands_for_the_task_block(self) -> None:
        """Domain brief §4.1: a task-tracker KPI of 82.3 % gives 57.61 of 70."""
        a = Assessment("CC-1", "2026-03", competent_scores=general(30), kpi=82.3)
        r = score(a)
        assert r.components["tasks"] == 57.61
        assert r.total == 87.61
        assert r.grade is Grade.HTT


class TestBandEdges:
    @pytest.mark.parametrize(
        ("g", "kpi", "total", "grade"),
        [
            (30, 100, 100.0, Grade.HTXS),
            (20, 100, 90.0, Grade.HTXS),
            (19.99, 100, 89.99, Grade.HTT),
            (0, 100, 70.0, Grade.HTT),
            (13.99, 80, 69.99, Grade.HT),
            (15, 50, 50.0, Grade.HT),
            (14.99, 50, 49.99, Grade.KHT),
            (0, 0, 0.0, Grade.KHT),
        ],
    )
    def test_band_edges(self, g: float, kpi: float, total: float, grade: Grade) -> None:
        """NĐ 335/2025 Điều 20: ≥ 90 HTXS; 70 to < 90 HTT; 50 to < 70 HT; < 50 KHT."""
        scores = general(g) if g else dict.fromkeys(GENERAL, 0)
        r = score(Assessment("S", "2026-03", competent_scores=scores, kpi=kpi))
        assert r.total == total
        assert r.grade is grade

    def test_half_cent_rounds_up(self) -> None:
        """Scores are rounded half-up to the cent by default: 89.995 → 90.00 → HTXS."""
        a = Assessment("S", "2026-03", competent_scores=general(19.995), kpi=100)
        r = score(a)
        assert r.total == 90.0
        assert r.grade is Grade.HTXS

    def test_truncation_keeps_89_995_below_90(self) -> None:
        """The rule-set option rounding = "truncate": 89.995 → 89.99 → HTT."""
        rs = evalkit.rules.get("vn.nd335-2025")
        cut = attrs.evolve(rs, scoring=ScorePolicy("truncate"))
        a = Assessment("S", "2026-03", competent_scores=general(19.995), kpi=100)
        r = score(a, rules=cut)
        assert r.total == 89.99
        assert r.score_grade is Grade.HTT

    def test_truncation_keeps_whole_points(self) -> None:
        """Truncation to the cent leaves 90.00 at 90 (the band edge itself is HTXS)."""
        rs = evalkit.rules.get("vn.nd335-2025")
        cut = attrs.evolve(rs, scoring=ScorePolicy("truncate"))
        a = Assessment("S", "2026-03", competent_scores=general(20), kpi=100)
        assert score(a, rules=cut).total == 90.0


class TestDisqualifiers:
    @pytest.mark.parametrize(
        "level", [Discipline.REPRIMAND, Discipline.WARNING, Discipline.DISMISSAL]
    )
    def test_discipline_of_reprimand_or_heavier_gives_kht(self, level: Discipline) -> None:
        """NĐ 335/2025 Điều 20 k4 c: disciplined at khiển trách or heavier → KHT."""
        r = score(assess(30, discipline=level))
        assert r.total == 100.0
        assert r.score_grade is Grade.HTXS
        assert r.grade is Grade.KHT
        assert "disqualifier.discipline" in r.reason_codes()

    def test_degradation_gives_kht(self) -> None:
        """NĐ 335/2025 Điều 20 k4 b: ideological or ethical degradation → KHT."""
        r = score(assess(30, degradation=True))
        assert r.grade is Grade.KHT
        assert "disqualifier.degradation" in r.reason_codes()

    def test_corruption_disqualifies_heads_and_deputies(self) -> None:
        """NĐ 335/2025 Điều 20 k4 d: corruption or waste in the body a leader directly manages
        → KHT for anyone holding a leadership or management post, deputies included."""
        a = assess(30, corruption_in_unit=True)
        deputy = assess(30, corruption_in_unit=True, extra={D: 100, DD: 100, E: 100})
        assert score(deputy, is_head=True).grade is Grade.KHT  # a head is scored as a leader
        assert score(deputy, manages_others=True).grade is Grade.KHT
        with pytest.raises(evalkit.ScoreError, match="Điều 20 k4 d"):  # never dropped silently
            score(a, is_head=False)

    def test_discipline_unrelated_to_public_duty_does_not_disqualify(self) -> None:
        """NĐ 335/2025 Điều 20 k4 c counts a violation related to public duty only."""
        r = score(assess(30, discipline=Discipline.REPRIMAND, discipline_related_to_duty=False))
        assert r.grade is Grade.HTXS
        assert "disqualifier.discipline" not in r.reason_codes()

    def test_thanh_hoa_notices_are_off_by_default_and_never_change_grades(self) -> None:
        """Seed 004: late files twice or more is a flag for the competent level, off by default."""
        a = assess(30, events={"late_files": 2})
        assert "notice.thanhhoa.late_files" not in score(a).reason_codes()
        r = score(a, options={"thanhhoa.late_files": True})
        assert "notice.thanhhoa.late_files" in r.reason_codes()
        assert r.grade is Grade.HTXS


class TestInputs:
    def test_nobody_scored_means_not_evaluated_never_zero(self) -> None:
        """Domain brief §4.5: a month with no scores is not evaluated."""
        r = score(Assessment("S", "2026-03"))
        assert r.total is None and r.grade is None and not r.evaluated
        assert r.reason_codes() == ("not_evaluated",)

    def test_last_level_counts_per_criterion(self) -> None:
        """Domain brief §3: the competent level's score counts where given, else the manager's."""
        mgr = {**general(30), "so_luong": 100, "chat_luong": 100, "tien_do": 100}
        a = Assessment(
            "S", "2026-03", self_scores=mgr, manager_scores=mgr, competent_scores={"so_luong": 70}
        )
        r = score(a)
        assert r.level is evalkit.Level.COMPETENT
        assert r.total == round(30 + (70 + 100 + 100) / 3 * 0.7, 2)
        assert r.level_totals == {"self": 100.0, "manager": 100.0}

    def test_score_above_its_maximum_is_refused(self) -> None:
        """A general criterion above 5 points names criterion, maximum, staff and period."""
        a = Assessment("CC-0042", "2026-03", manager_scores={"pham_chat_dao_duc": 7})
        with pytest.raises(evalkit.ScoreError) as info:
            score(a)
        assert str(info.value) == (
            "criterion 'pham_chat_dao_duc' score 7 exceeds its maximum 5 (staff 'CC-0042', 2026-03, "
            "manager_scores)"
        )

    def test_percentage_above_100_is_refused(self) -> None:
        """Task components are percentages of the assigned work."""
        with pytest.raises(
            evalkit.ScoreError, match="'chat_luong' score 120 exceeds its maximum 100"
        ):
            score(assess(30, b=120))

    def test_unknown_criterion_is_named_with_a_suggestion(self) -> None:
        """A typo in a criterion id suggests the closest one."""
        a = Assessment("S", "2026-03", manager_scores={"chat_luongg": 10})
        with pytest.raises(evalkit.UnknownReferenceError, match="did you mean 'chat_luong'"):
            score(a)

    def test_missing_required_score_is_named(self) -> None:
        """A scored person with a criterion left blank is an error, not a zero."""
        a = Assessment("S", "2026-03", manager_scores={"pham_chat_dao_duc": 5})
        with pytest.raises(evalkit.ScoreError, match="criterion 'ky_luat_ky_cuong' has no score"):
            score(a)

    def test_rule_set_is_chosen_by_period(self) -> None:
        """No công chức rule set is in force before NĐ 90/2020 took effect."""
        with pytest.raises(evalkit.NoRuleSetError, match="cong_chuc in 2020-07"):
            score(assess(30, period="2020-07"))

    def test_forcing_a_set_outside_its_dates_needs_the_flag(self) -> None:
        """Applying a set outside its effective range is an explicit choice."""
        a = assess(30, period="2025-12")
        with pytest.raises(evalkit.RuleSetNotInForceError, match="force=True"):
            score(a, rules="vn.nd335-2025")
        assert score(a, rules="vn.nd335-2025", force=True).total == 100.0

    def test_effective_date_boundary(self) -> None:
        """NĐ 335/2025 is in force from 2026-01-01: December 2025 no, January 2026 yes."""
        rs = evalkit.rules.get("vn.nd335-2025")
        assert not rs.in_force("2025-12")
        assert rs.in_force("2026-01")


class TestFrame:
    def test_frame_reports_every_bad_cell_at_once(self) -> None:
        """Bad input gets all its errors with row, column and value."""
        df = pd.DataFrame(
            {
                "staff_id": ["A", "B", "C"],
                **{cid: [v, v, v] for cid, v in general(30).items()},
                "so_luong": [90, "chín mươi", 100],
                "chat_luong": [100, 100, 130],
                "tien_do": [80, 80, None],
            }
        )
        with pytest.raises(evalkit.InputError) as info:
            score_frame(df, "vn.nd335-2025")
        problems = info.value.problems
        cells = {(p.row, p.column) for p in problems}
        assert {(1, "so_luong"), (2, "chat_luong"), (2, "tien_do")} <= cells
        text = str(info.value)
        assert "'chín mươi'" in text and "130" in text

    def test_frame_matches_scalar_on_worked_examples(self) -> None:
        """The vectorised path gives the scalar path's answers."""
        cases = [
            assess(28, a=90, b=100, c=80),
            assess(30, extra={"loi_chat_luong": 2, "cham_tien_do": 1}),
            assess(30, discipline=Discipline.WARNING),
            Assessment("S", "2026-03"),
        ]
        df = evalkit.assessments_to_frame(cases)
        df["staff_id"] = [f"S{i}" for i in range(len(df))]  # one row per person and month
        out = score_frame(df)
        for i, a in enumerate(cases):
            r = score(a)
            got = out.iloc[i]
            if r.total is None:
                assert pd.isna(got["total"]) and got["reasons"] == "not_evaluated"
                continue
            assert got["total"] == r.total
            assert got["grade"] == r.grade.code  # type: ignore[union-attr]
            assert got["points_tasks"] == r.components["tasks"]

    def test_frame_without_rules_picks_the_set_per_row(self) -> None:
        """Each row gets the rule set in force for its category and period."""
        df = evalkit.assessments_to_frame([assess(30), assess(30, period="2026-04")])
        out = score_frame(df)
        assert list(out["rule_set"]) == ["vn.nd335-2025", "vn.nd335-2025"]
        assert list(out["total"]) == [100.0, 100.0]


class TestCountsAreWhole:
    """A count criterion (errors, delays) and an event count are whole numbers at every door,
    as the workbook and amend read them (audit d08: 1.5 errors was scored)."""

    def test_a_fractional_count_is_refused_by_score(self) -> None:
        rs = evalkit.rules.get("vn.nd335-2025")
        count = next(c.id for c in rs.criteria() if c.unit == "count")
        a = evalkit.Assessment("A", "2026-03", competent_scores={**rs.full_marks(), count: 1.5})
        with pytest.raises(evalkit.ScoreError,
                           match=f"criterion '{count}' score 1.5 is not a whole number "
                                 r"\(staff 'A', 2026-03, competent_scores\)"):  # fmt: skip
            evalkit.score(a, rules=rs)

    def test_a_fractional_count_is_refused_by_score_frame_with_the_workbooks_words(self) -> None:
        rs = evalkit.rules.get("vn.nd335-2025")
        count = next(c.id for c in rs.criteria() if c.unit == "count")
        df = pd.DataFrame([{"staff_id": "A", "period": "2026-03", **rs.full_marks(),
                            count: 1.5}])  # fmt: skip
        with pytest.raises(evalkit.InputError) as info:
            evalkit.score_frame(df, rs)
        (p,) = info.value.problems
        assert (p.column, p.value, p.message) == (count, 1.5, "is not a whole number")

    def test_a_whole_count_is_scored(self) -> None:
        rs = evalkit.rules.get("vn.nd335-2025")
        count = next(c.id for c in rs.criteria() if c.unit == "count")
        a = evalkit.Assessment("A", "2026-03", competent_scores={**rs.full_marks(), count: 1.0})
        assert evalkit.score(a, rules=rs).total is not None

    def test_a_fractional_event_count_is_refused_by_assessment(self) -> None:
        with pytest.raises(
            evalkit.ScoreError, match=r"event .late_files. count 1\.5 is not a whole"
        ):
            evalkit.Assessment("A", "2026-03", events={"late_files": 1.5})


class TestPeriodCells:
    """A period cell holding a timestamp or a date is its month, as a workbook's date cell is
    (audit: a pd.Timestamp raised PeriodError without a row)."""

    @pytest.mark.parametrize("given", [True, False])
    def test_a_timestamp_or_date_period_is_its_month(self, given: bool) -> None:
        import datetime as dt

        rs = evalkit.rules.get("vn.nd335-2025")
        rows = [{"staff_id": s, "category": "cong_chuc", "period": p, **rs.full_marks()}
                for s, p in (("A", pd.Timestamp("2026-03-14")), ("B", dt.date(2026, 3, 1)),
                             ("C", "2026-03"))]  # fmt: skip
        out = score_frame(pd.DataFrame(rows), rs if given else None)
        assert out["total"].tolist() == [100.0] * 3
        assert out["classified"].tolist() == [False] * 3

    @pytest.mark.parametrize("given", [True, False])
    def test_a_bad_period_is_located(self, given: bool) -> None:
        rs = evalkit.rules.get("vn.nd335-2025")
        rows = [{"staff_id": s, "category": "cong_chuc", "period": p, **rs.full_marks()}
                for s, p in (("A", pd.Timestamp("2026-03-14")), ("B", "2026-13"))]  # fmt: skip
        with pytest.raises(evalkit.InputError) as info:
            score_frame(pd.DataFrame(rows), rs if given else None)
        (p,) = info.value.problems
        assert (p.row, p.column, p.value) == (1, "period", "2026-13")
