"""The domain model: construction validates, errors name the offending values."""

from __future__ import annotations

import datetime as dt

import pytest

import evalkit
from evalkit import (
    Assessment,
    Criterion,
    Discipline,
    Grade,
    Organisation,
    Period,
    Position,
    Scores,
    Staff,
    StaffCategory,
    Unit,
)


class TestGrade:
    def test_grades_are_ordered_from_kht_to_htxs(self) -> None:
        """KHT < HT < HTT < HTXS, so a cap is a minimum."""
        assert sorted([Grade.HTXS, Grade.KHT, Grade.HTT, Grade.HT]) == [
            Grade.KHT,
            Grade.HT,
            Grade.HTT,
            Grade.HTXS,
        ]
        assert min(Grade.HTXS, Grade.HT) is Grade.HT

    def test_grade_has_vietnamese_and_english_labels(self) -> None:
        """Sheets are Vietnamese by default, English on request."""
        assert Grade.HTXS.label_vi == "Hoàn thành xuất sắc nhiệm vụ"
        assert Grade.KHT.label("en") == "Did not complete duties"

    @pytest.mark.parametrize(
        ("text", "grade"),
        [("HTXS", Grade.HTXS), ("htt", Grade.HTT), (" ht ", Grade.HT), (0, Grade.KHT)],
    )
    def test_grade_parses_codes_in_any_case(self, text: object, grade: Grade) -> None:
        """Workbooks carry grades as typed by people."""
        assert Grade.parse(text) is grade

    def test_unknown_grade_is_an_error_naming_it(self) -> None:
        """An unknown grade names the value and the valid ones."""
        with pytest.raises(evalkit.ModelError, match="'XS'"):
            Grade.parse("XS")


class TestPeriod:
    def test_month_parses_from_iso_and_vietnamese_forms(self) -> None:
        """'2026-03' and '03/2026' are the same month."""
        assert Period.parse("2026-03") == Period.parse("03/2026") == Period.month(2026, 3)

    @pytest.mark.parametrize("bad", ["2026-13", "2026-00", "13/2026", "2026-Q5", "abc", "26-3"])
    def test_invalid_period_raises_period_error_naming_it(self, bad: str) -> None:
        """A month like 2026-13 is refused with a sentence naming it."""
        with pytest.raises(evalkit.PeriodError) as info:
            Period.parse(bad)
        assert isinstance(info.value, evalkit.EvalkitError)

    def test_month_13_message_names_the_month_and_year(self) -> None:
        """The error says which month of which year."""
        with pytest.raises(evalkit.PeriodError, match="month 13 of 2026"):
            Period.parse("2026-13")

    def test_quarter_and_year_cover_their_months(self) -> None:
        """Quarters and years are roll-ups of months."""
        assert Period.parse("2026-Q2").months() == tuple(Period.month(2026, m) for m in (4, 5, 6))
        assert len(Period.of_year(2026).months()) == 12
        assert Period.month(2026, 5).quarter_of() == Period.quarter(2026, 2)

    def test_period_bounds_and_order(self) -> None:
        """A period knows its first and last day and sorts by time."""
        feb = Period.month(2028, 2)
        assert feb.end == dt.date(2028, 2, 29)
        assert Period.month(2026, 12).next() == Period.month(2027, 1)
        assert Period.month(2026, 1) < Period.month(2026, 2)

    def test_period_labels(self) -> None:
        """Labels follow Vietnamese and English conventions."""
        assert Period.month(2026, 3).label() == "tháng 03/2026"
        assert Period.month(2026, 3).label("en") == "March 2026"

    def test_english_month_names_do_not_follow_the_locale(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A program that set a Vietnamese ``LC_TIME`` gets "tháng ba" from ``%B``; the
        English label, sheet date and report period stay English. ``date.strftime`` calls
        ``time.strftime``, so patching it stands in for the locale (CI has only C)."""
        import time

        from evalkit.render._format import en_date_words
        from evalkit.render._reports import _month_words

        real = time.strftime
        vi = {"%B": "tháng ba", "%b": "thg 3"}

        def localised(fmt: str, *args: object) -> str:
            for k, v in vi.items():
                fmt = fmt.replace(k, v)
            return real(fmt, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(time, "strftime", localised)
        assert dt.date(2026, 3, 5).strftime("%B") == "tháng ba"  # the stand-in works
        assert Period.month(2026, 3).label("en") == "March 2026"
        assert [Period.month(2026, m).label("en").split()[0] for m in (1, 12)] == [
            "January", "December"]  # fmt: skip
        assert en_date_words(dt.date(2026, 3, 5)) == "5 March 2026"
        assert _month_words(Period.month(2026, 11), "en") == "November 2026"


class TestScores:
    def test_negative_score_is_refused_naming_the_criterion(self) -> None:
        """A negative score is a ScoreError naming the criterion and value."""
        with pytest.raises(
            evalkit.ScoreError, match=r"criterion 'chat_luong' score -5 is negative"
        ):
            Assessment("CC-1", "2026-03", self_scores={"chat_luong": -5})

    @pytest.mark.parametrize("bad", ["abc", float("inf"), True, "1.000", "1.234,5"])
    def test_non_numeric_score_is_refused(self, bad: object) -> None:
        """Text, infinity, booleans and thousands separators are not scores."""
        with pytest.raises(evalkit.ScoreError, match="chat_luong"):
            Scores({"chat_luong": bad})

    @pytest.mark.parametrize("blank", [None, float("nan"), "", "  "])
    def test_a_blank_score_is_not_scored_as_on_the_frame_path(self, blank: object) -> None:
        """Audit 7 D4: a blank cell is no score on both paths, never a zero nor an error."""
        assert dict(Scores({"chat_luong": blank, "so_luong": "90,5"})) == {"so_luong": 90.5}

    def test_scores_are_immutable_and_hashable(self) -> None:
        """Assessments are frozen, so their scores are too."""
        s = Scores({"a": 1})
        assert hash(s) == hash(Scores({"a": 1.0}))
        with pytest.raises(TypeError):
            s["a"] = 2  # type: ignore[index]

    def test_score_above_its_maximum_names_staff_and_period(self) -> None:
        """The message has the criterion, the score, the maximum, the staff and the month."""
        c = Criterion("chat_luong", "Chất lượng", "Quality", 30, "tasks")
        with pytest.raises(evalkit.ScoreError) as info:
            c.check(31, staff_id="CC-0042", period=Period.parse("2026-03"))
        assert str(info.value) == (
            "criterion 'chat_luong' score 31 exceeds its maximum 30 (staff 'CC-0042', 2026-03)"
        )

    def test_counting_level_is_the_last_level_that_scored(self) -> None:
        """The score that counts is the last level's (domain brief §3)."""
        a = Assessment("S", "2026-03", self_scores={"a": 1}, manager_scores={"a": 2})
        assert a.counting_level() is evalkit.Level.MANAGER
        assert Assessment("S", "2026-03").counting_level() is None

    def test_kpi_above_100_is_refused(self) -> None:
        """A task-tracker percentage cannot exceed 100."""
        with pytest.raises(evalkit.ScoreError, match="kpi"):
            Assessment("S", "2026-03", kpi=101)


def _org(**overrides: object) -> dict[str, list[object]]:
    data: dict[str, list[object]] = {
        "units": [Unit("U0", "Sở"), Unit("U1", "Phòng A", parent_id="U0", head_id="S1")],
        "positions": [Position("CV", "Chuyên viên"), Position("TP", "Trưởng phòng")],
        "staff": [
            Staff("S1", "Nguyễn Văn An", "TP", "U1", manages_others=True),
            Staff("S2", "Trần Thị Bình", "CV", "U1", manager_id="S1"),
        ],
    }
    data.update(overrides)  # type: ignore[arg-type]
    return data


class TestOrganisation:
    def test_valid_organisation_answers_tree_questions(self) -> None:
        """Heads, members and children are found by id."""
        o = Organisation(**_org())
        assert o.head_of("U1").id == "S1"  # type: ignore[union-attr]
        assert [s.id for s in o.members_of("U1")] == ["S1", "S2"]
        assert [u.id for u in o.children_of("U0")] == ["U1"]
        assert o.is_head("S1") and not o.is_head("S2")

    def test_staff_in_unknown_unit_names_both_ids(self) -> None:
        """A staff member in an unknown unit is an UnknownReferenceError."""
        staff = [Staff("S1", "An", "CV", "U9")]
        with pytest.raises(
            evalkit.UnknownReferenceError, match="staff 'S1' is in unknown unit 'U9'"
        ):
            Organisation(**_org(staff=staff, units=[Unit("U0", "Sở")]))

    def test_unit_cycle_is_named(self) -> None:
        """A unit tree with a cycle lists the cycle."""
        units = [Unit("A", "a", parent_id="B"), Unit("B", "b", parent_id="A")]
        with pytest.raises(evalkit.OrganisationError, match="cycle: A -> B -> A"):
            Organisation(units=units, positions=[], staff=[])

    def test_missing_parent_is_named(self) -> None:
        """A unit whose parent does not exist is an error naming both."""
        with pytest.raises(
            evalkit.UnknownReferenceError, match="unit 'A' has unknown parent unit 'Z'"
        ):
            Organisation(units=[Unit("A", "a", parent_id="Z")], positions=[], staff=[])

    def test_head_outside_the_unit_is_refused(self) -> None:
        """The head of a unit must be a member of it."""
        units = [Unit("U0", "Sở", head_id="S2"), Unit("U1", "Phòng A", parent_id="U0")]
        with pytest.raises(evalkit.OrganisationError, match="head 'S2' of unit 'U0'"):
            Organisation(**_org(units=units))

    def test_duplicate_staff_ids_are_listed(self) -> None:
        """Duplicate ids are named."""
        staff = [Staff("S1", "A", "CV", "U1"), Staff("S1", "B", "CV", "U1")]
        with pytest.raises(evalkit.OrganisationError, match=r"duplicate staff id.*S1"):
            Organisation(**_org(staff=staff, units=[Unit("U0", "Sở"), Unit("U1", "P", "U0")]))

    def test_ids_that_differ_only_in_case_or_spaces_are_refused(self) -> None:
        """'CC-01' and 'cc-01 ' would be one person typed twice: both ids are named, per
        kind, with every other problem, and the command line says it in Vietnamese."""
        from evalkit.messages import translate

        units = [Unit("U0", "Sở"), Unit("U1", "P", "U0"), Unit("u1", "Q", "U0")]
        staff = [Staff("CC-01", "A", "CV", "U1"), Staff("cc-01 ", "B", "CV", "U1")]
        with pytest.raises(evalkit.OrganisationError) as info:
            Organisation(**_org(staff=staff, units=units))
        said = [str(p) for p in info.value.problems]
        assert "unit ids 'U1', 'u1' differ only in case or spaces: give each unit one id" in said
        assert ("staff ids 'CC-01', 'cc-01 ' differ only in case or spaces: give each person "
                "one id") in said
        assert translate(said[-1]).startswith("các mã nhân sự 'CC-01', 'cc-01 ' chỉ khác nhau")

    def test_ids_that_differ_in_more_than_case_are_distinct(self) -> None:
        staff = [Staff("CC-01", "A", "CV", "U1"), Staff("CC-010", "B", "CV", "U1")]
        o = Organisation(**_org(staff=staff, units=[Unit("U0", "Sở"), Unit("U1", "P", "U0")]))
        assert {s.id for s in o.staff} == {"CC-01", "CC-010"}

    def test_unknown_position_is_named(self) -> None:
        """A staff member with an unknown position is an error."""
        staff = [Staff("S1", "A", "XX", "U1")]
        with pytest.raises(evalkit.UnknownReferenceError, match="unknown position 'XX'"):
            Organisation(**_org(staff=staff, units=[Unit("U0", "Sở"), Unit("U1", "P", "U0")]))


def test_staff_category_parses_vietnamese_names() -> None:
    """Categories may be typed as codes or Vietnamese names."""
    assert StaffCategory.parse("Công chức") is StaffCategory.CONG_CHUC
    assert StaffCategory.parse("vien_chuc") is StaffCategory.VIEN_CHUC
    with pytest.raises(evalkit.ModelError, match="unknown staff category 'x'"):
        StaffCategory.parse("x")


def test_discipline_levels_are_ordered_by_severity() -> None:
    """Reprimand (khiển trách) is the lightest measure that disqualifies."""
    assert Discipline.NONE < Discipline.REPRIMAND < Discipline.WARNING < Discipline.DISMISSAL
    assert Discipline.REPRIMAND.label_vi == "Khiển trách"


class TestAssessmentInputs:
    """An Assessment reads discipline, yes/no flags and leave as a frame's column does."""

    @pytest.mark.parametrize(
        ("typed", "level"),
        [
            (2, Discipline.WARNING),
            ("2", Discipline.WARNING),
            (2.0, Discipline.WARNING),
            ("cảnh cáo", Discipline.WARNING),
            ("Cảnh cáo", Discipline.WARNING),
            ("canh_cao", Discipline.WARNING),
            ("WARNING", Discipline.WARNING),
            ("giáng chức", Discipline.DEMOTION),
            (Discipline.REMOVAL, Discipline.REMOVAL),
            (None, Discipline.NONE),
            ("", Discipline.NONE),
        ],
    )
    def test_discipline_is_read_like_the_frame_column(
        self, typed: object, level: Discipline
    ) -> None:
        """Numbers 0-5, Vietnamese names, ids and English names; blank is none."""
        import pandas as pd

        from evalkit import _columns

        a = Assessment("A", "2026-03", discipline=typed)
        assert a.discipline is level
        df = pd.DataFrame({"discipline": [typed]}, dtype=object)
        assert _columns.discipline(df, "discipline", _columns.Problems(df)).tolist() == [level]

    @pytest.mark.parametrize("typed", [9, -1, 1.5, "nặng", True, [1]])
    def test_other_disciplines_are_a_model_error_naming_field_value_and_accepted(
        self, typed: object
    ) -> None:
        """Never a bare enum ValueError: the field, the value, the person and what is accepted."""
        with pytest.raises(evalkit.ModelError) as info:
            Assessment("A", "2026-03", discipline=typed)
        text = str(info.value)
        assert text.startswith(f"discipline {typed!r} (staff 'A', 2026-03)")
        assert text.endswith("is not a discipline level 0 to 5 (0 none, 1 khiển trách, 2 cảnh "
                             "cáo, 3 hạ bậc lương/giáng chức, 4 cách chức, 5 buộc thôi việc)")

    @pytest.mark.parametrize("field", ["degradation", "corruption_in_unit", "party_discipline"])
    @pytest.mark.parametrize(
        ("typed", "value"),
        [("x", True), ("có", True), ("Có", True), (1, True), (True, True), ("1", True),
         ("không", False), ("no", False), (0, False), (False, False), ("", False),
         (None, False)],
    )  # fmt: skip
    def test_yes_no_fields_take_the_frames_words(
        self, field: str, typed: object, value: bool
    ) -> None:
        """The written yes/no values of a frame column; blank is no."""
        a = Assessment("A", "2026-03", **{field: typed})
        assert getattr(a, field) is value

    def test_related_to_duty_is_yes_when_blank(self) -> None:
        """``discipline_related_to_duty`` defaults to yes, also when written blank."""
        assert Assessment("A", "2026-03", discipline_related_to_duty="").discipline_related_to_duty
        assert not Assessment(
            "A", "2026-03", discipline_related_to_duty="không"
        ).discipline_related_to_duty

    @pytest.mark.parametrize("typed", ["maybe", 2, 0.5, "không rõ"])
    def test_other_yes_no_values_are_a_model_error(self, typed: object) -> None:
        """Refused at construction, not deep in scoring."""
        with pytest.raises(evalkit.ModelError, match=r"degradation .* is not a yes/no value"):
            Assessment("A", "2026-03", degradation=typed)

    def test_a_written_no_scores_as_no(self) -> None:
        """``degradation="không"`` scores like ``False`` (audit d08: a ValueError in scoring)."""
        rs = evalkit.rules.get("vn.nd335-2025")
        full = rs.full_marks()
        typed = evalkit.score(Assessment("A", "2026-03", competent_scores=full,
                                         degradation="không"), rules=rs)  # fmt: skip
        plain = evalkit.score(Assessment("A", "2026-03", competent_scores=full), rules=rs)
        assert typed.grade == plain.grade == Grade.HTXS

    @pytest.mark.parametrize(
        ("typed", "kind"),
        [("maternity", "maternity"), ("Thai sản", "maternity"), ("nghỉ ốm", "sick"),
         ("Vắng mặt", "absent"), ("", ""), (None, "")],
    )  # fmt: skip
    def test_leave_takes_its_vietnamese_words(self, typed: object, kind: str) -> None:
        """The leave kinds' ids and the words the year's engine and the workbook read."""
        assert Assessment("A", "2026-03", leave=typed).leave == kind

    @pytest.mark.parametrize("typed", ["holiday", 1, True])
    def test_other_leaves_are_a_model_error(self, typed: object) -> None:
        """Named with the person and the period, in the sentence of every door."""
        with pytest.raises(evalkit.ModelError, match=r"^leave .* \(staff 'A', 2026-03\) is not "
                           r"a kind of leave \(thai sản/maternity, ốm/sick, vắng/absent, or blank\)$"):
            Assessment("A", "2026-03", leave=typed)


class TestOrganisationListsEveryProblem:
    """Organisation checks everything, then raises one error listing every problem."""

    def test_every_problem_is_listed_and_both_exceptions_catch_it(self) -> None:
        """A duplicate unit, an unknown head, unit and position: four problems, one error
        (audit d09: only the duplicate was named)."""
        with pytest.raises(evalkit.OrganisationError) as info:
            Organisation(
                [Unit("U", "P", head_id="ZZ"), Unit("U", "dup")],
                [Position("cv", "C")],
                [Staff("A", "a", "zz", "NOPE")],
            )
        err = info.value
        assert isinstance(err, evalkit.UnknownReferenceError)
        assert [str(p) for p in err.problems] == [
            "duplicate unit id(s): U",
            "staff 'A' is in unknown unit 'NOPE'",
            "staff 'A' has unknown position 'zz'",
            "unit 'U' has unknown head 'ZZ'",
        ]
        assert str(err).startswith("4 problems in the organisation:")

    def test_one_problem_is_raised_as_itself(self) -> None:
        """Alone, a problem keeps its own class and message."""
        with pytest.raises(evalkit.UnknownReferenceError) as info:
            Organisation([Unit("U", "P")], [Position("cv", "C")], [Staff("A", "a", "zz", "U")])
        assert str(info.value) == "staff 'A' has unknown position 'zz'"
        assert not isinstance(info.value, evalkit.OrganisationError)

    def test_a_management_loop_is_refused_like_the_engine_does(self) -> None:
        """H manages K and K manages H: refused as classify_frame refuses it."""
        with pytest.raises(evalkit.OrganisationError, match="management cycle: H -> K -> H"):
            Organisation([Unit("U", "P")], [Position("cv", "C")],
                         [Staff("H", "h", "cv", "U", manager_id="K"),
                          Staff("K", "k", "cv", "U", manager_id="H")])  # fmt: skip

    def test_a_cycle_is_named_once(self) -> None:
        """A cycle of two units and a missing parent elsewhere: two problems."""
        with pytest.raises(evalkit.OrganisationError) as info:
            Organisation([Unit("A", "a", "B"), Unit("B", "b", "A"), Unit("C", "c", "Z")], [], [])
        assert len(info.value.problems) == 2
        assert "cycle: A -> B -> A" in str(info.value)
