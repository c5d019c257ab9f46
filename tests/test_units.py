"""Unit results, units before individuals, heads and the management component (issue 5)."""

from __future__ import annotations

from typing import Any

import attrs
import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit import (
    Assessment,
    Grade,
    Organisation,
    OrganisationError,
    Position,
    Staff,
    Unit,
    UnknownReferenceError,
)
from evalkit.errors import InputError
from evalkit.rules import RuleSet
from evalkit.units import (
    UnitInputs,
    classify_frame,
    classify_organisation,
    classify_unit,
    frames_from_objects,
)
from tests.helpers import DD, D, E, general, general_ids, monthly  # noqa: F401

ND335 = monthly("vn.nd335-2025")  # an agency grading every month
P = "2026-03"
GENERAL = general(30)
NDD233_UNITS = attrs.evolve(
    ND335.units,
    excellent_tasks_done_percent=100.0,
    excellent_exceeded_percent=30.0,
    excellent_requires_no_subunit_kht=True,
    small_parent_threshold=5,
    small_parent_max_excellent=1,
)
ND233_LIKE = attrs.evolve(ND335, units=NDD233_UNITS)


def person(sid: str, a: float = 100, b: float = 100, c: float = 100, *,
           manages: bool = False, **kw: Any) -> Assessment:  # fmt: skip
    """An assessment with full general points and task percentages a, b, c."""
    s: dict[str, float] = {**GENERAL, "so_luong": a, "chat_luong": b, "tien_do": c}
    if manages:
        s.update({DD: 100, E: 100})
    return Assessment(sid, P, competent_scores=s, **kw)


def org_of(units: list[Unit], staff: list[Staff]) -> Organisation:
    """An organisation with one position."""
    return Organisation(units=units, positions=[Position("P", "Chuyên viên")], staff=staff)


def unit_only(rules: RuleSet, *inputs: UnitInputs, tree: dict[str, str | None]) -> dict[str, Any]:
    """Classify units alone (no staff): unit id -> UnitResult."""
    org = org_of([Unit(u, u, parent_id=p) for u, p in tree.items()], [])
    return {k: v.unit for k, v in classify_organisation(org, [], inputs, rules).items()}


class TestUnitScore:
    """Domain brief §3: a unit's result comes from task completion and evaluating bodies."""

    def test_unit_score_is_the_share_of_tasks_done(self) -> None:
        """19 of 20 tasks done scores 95 (HTXS under the 90 band)."""
        r = unit_only(ND335, UnitInputs("U", P, tasks_assigned=20, tasks_done=19),
                      tree={"U": None})["U"]  # fmt: skip
        assert (r.score, r.grade, r.done_percent) == (95.0, Grade.HTXS, 95.0)

    def test_late_tasks_earn_the_late_credit_and_overdue_tasks_deduct(self) -> None:
        """With late credit 0.5, 10 done of which 6 on time score (6 + 2) / 10; −1 per overdue."""
        rules = attrs.evolve(ND335, units=attrs.evolve(ND335.units, late_credit=0.5,
                                                       overdue_deduction=1.0))  # fmt: skip
        r = unit_only(rules, UnitInputs("U", P, tasks_assigned=10, tasks_done=10,
                                        tasks_on_time=6, tasks_overdue=2),
                      tree={"U": None})["U"]  # fmt: skip
        assert r.score == 78.0

    def test_four_evaluating_bodies_are_weighted_and_bonus_deduction_applied(self) -> None:
        """Thanh Hóa: four bodies' scores weighted 2:1:1:1 with the tasks, +bonus −deduction."""
        pol = attrs.evolve(ND335.units, tasks_weight=1.0,
                           body_weights={"vp": 2, "nv": 1, "kh": 1, "tt": 1})  # fmt: skip
        rules = attrs.evolve(ND335, units=pol)
        ui = UnitInputs("U", P, tasks_assigned=10, tasks_done=10, bonus=2, deduction=5,
                        body_scores={"vp": 80, "nv": 90, "kh": 70, "tt": 100})  # fmt: skip
        r = unit_only(rules, ui, tree={"U": None})["U"]
        assert r.score == round((100 + 160 + 90 + 70 + 100) / 6 + 2 - 5, 2)

    def test_cross_evaluation_and_satisfaction_count_only_when_weighted(self) -> None:
        """SIPAS and cross-evaluation enter the mean with their configured weights."""
        ui = UnitInputs("U", P, tasks_assigned=10, tasks_done=10, cross_score=70,
                        satisfaction=40)  # fmt: skip
        plain = unit_only(ND335, ui, tree={"U": None})["U"]
        pol = attrs.evolve(ND335.units, cross_weight=1.0, satisfaction_weight=2.0)
        weighted = unit_only(attrs.evolve(ND335, units=pol), ui, tree={"U": None})["U"]
        assert (plain.score, weighted.score) == (100.0, 62.5)

    def test_a_concluded_score_overrides_the_computed_one(self) -> None:
        """The appraisal council's score is the unit's score."""
        ui = UnitInputs("U", P, tasks_assigned=10, tasks_done=2, score=91)
        assert unit_only(ND335, ui, tree={"U": None})["U"].grade == Grade.HTXS

    def test_a_unit_without_results_is_not_evaluated_and_caps_no_one(self) -> None:
        """No inputs: not evaluated (never zero) and its head is not capped."""
        org = org_of([Unit("U", "U", head_id="H")], [Staff("H", "H", "P", "U")])
        c = classify_unit(org, "U", [person("H", manages=True)], [],
                          attrs.evolve(ND335, quota=None))  # H heads U: d, đ, e (Điều 15)
        assert (c.unit.score, c.unit.reason_codes()) == (None, ("unit.not_evaluated",))
        assert c.staff[0].grade == Grade.HTXS


class TestNd233UnitConditions:
    """NĐ 233/2026 (domain brief §4.2): conditions for a unit to be HTXS."""

    def test_excellent_unit_needs_thirty_percent_of_tasks_exceeded(self) -> None:
        """All tasks done and score 100 but 25% exceeded: HTT, with the reason."""
        r = unit_only(ND233_LIKE, UnitInputs("U", P, tasks_assigned=20, tasks_done=20,
                                             tasks_exceeded=5), tree={"U": None})["U"]  # fmt: skip
        assert (r.score_grade, r.grade) == (Grade.HTXS, Grade.HTT)
        assert r.reason_codes() == ("unit.excellent_condition.exceeded",)
        assert "Tasks exceeded 25% is below" in r.reasons[0].message_en and "30%" in r.reasons[0].message_vi

    def test_excellent_unit_needs_every_task_done(self) -> None:
        """95% done is HTXS by score but not by the 100% condition."""
        r = unit_only(ND233_LIKE, UnitInputs("U", P, tasks_assigned=20, tasks_done=19,
                                             tasks_exceeded=10), tree={"U": None})["U"]  # fmt: skip
        assert r.grade == Grade.HTT
        assert r.reason_codes() == ("unit.excellent_condition.tasks_done",)

    def test_unit_with_a_kht_subunit_is_not_excellent(self) -> None:
        """A parent with a KHT sub-unit cannot be HTXS (sub-units are graded first)."""
        full = {"tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": 5}
        res = unit_only(ND233_LIKE, UnitInputs("R", P, **full),
                        UnitInputs("A", P, tasks_assigned=10, tasks_done=4),
                        tree={"R": None, "A": "R"})  # fmt: skip
        assert res["A"].grade == Grade.KHT
        assert res["R"].grade == Grade.HTT
        assert res["R"].reason_codes() == ("unit.excellent_condition.subunit_kht",)

    def test_small_parent_rates_at_most_one_subunit_excellent(self) -> None:
        """Three excellent sub-units of a parent with fewer than 5: only the best stays HTXS."""
        full = {"tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": 5}
        res = unit_only(ND233_LIKE, UnitInputs("R", P, **full),
                        UnitInputs("A", P, **full, bonus=0),
                        UnitInputs("B", P, **full, score=97),
                        UnitInputs("C", P, **full),
                        tree={"R": None, "A": "R", "B": "R", "C": "R"})  # fmt: skip
        assert [res[u].grade for u in "ABC"] == [Grade.HTXS, Grade.HTT, Grade.HTT]
        assert res["C"].reason_codes() == ("unit.small_parent",)

    def test_frame_face_grades_units_like_the_object_face(self) -> None:
        """classify_frame's unit frame has the same grades and reasons."""
        full = {"tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": 5}
        org = org_of([Unit("R", "R"), Unit("A", "A", "R"), Unit("B", "B", "R")], [])
        inputs = [UnitInputs("R", P, **full), UnitInputs("A", P, **full),
                  UnitInputs("B", P, tasks_assigned=10, tasks_done=3)]  # fmt: skip
        _, units = frames_from_objects(org, [], inputs)
        empty = pd.DataFrame(columns=["staff_id", "unit_id", "period"])
        _, out = classify_frame(empty, units, ND233_LIKE)
        got = out.set_index("unit_id")[["grade", "reasons"]].astype(str).to_dict("index")
        assert got == {"R": {"grade": "HTT", "reasons": "unit.excellent_condition.subunit_kht"},
                       "A": {"grade": "HTXS", "reasons": ""},
                       "B": {"grade": "KHT", "reasons": ""}}  # fmt: skip


class TestHeadAccountability:
    """Domain brief §3 step 5, §4.1: the head answers for the unit."""

    def test_head_is_never_graded_above_the_unit(self) -> None:
        """A head scoring 100 in a unit graded HT is HT, with a bilingual, cited reason."""
        org = org_of([Unit("U", "Phòng", head_id="H")], [Staff("H", "Trưởng phòng", "P", "U")])
        c = classify_unit(org, "U", [person("H", manages=True)],
                          [UnitInputs("U", P, tasks_assigned=10, tasks_done=6)], ND335)  # fmt: skip
        r = c.result_of("H")
        assert (r.score_grade, r.grade) == (Grade.HTXS, Grade.HT)
        reason = r.reasons[-1]
        assert reason.code == "cap.head_unit"
        assert "đơn vị" in reason.message_vi and "unit" in reason.message_en
        assert reason.source == ND335.units.source

    def test_members_other_than_the_head_are_not_capped_by_the_unit(self) -> None:
        """Only the head is capped; a member keeps HTXS (quota aside)."""
        org = org_of([Unit("U", "Phòng", head_id="H")],
                     [Staff("H", "H", "P", "U"), Staff("M", "M", "P", "U")])  # fmt: skip
        rules = attrs.evolve(ND335, quota=None)
        c = classify_unit(org, "U", [person("H", manages=True), person("M")],
                          [UnitInputs("U", P, tasks_assigned=10, tasks_done=6)], rules)  # fmt: skip
        assert c.result_of("M").grade == Grade.HTXS

    def test_head_whose_unit_had_corruption_is_kht(self) -> None:
        """NĐ 335 Điều 20 k4 đ: corruption or waste in the unit led makes its head KHT."""
        org = org_of([Unit("U", "Phòng", head_id="H")],
                     [Staff("H", "H", "P", "U"), Staff("M", "M", "P", "U")])  # fmt: skip
        unit = [UnitInputs("U", P, tasks_assigned=10, tasks_done=10)]
        c = classify_unit(org, "U", [person("H", manages=True, corruption_in_unit=True),
                                     person("M")], unit, ND335)  # fmt: skip
        assert c.result_of("H").grade == Grade.KHT
        assert "disqualifier.corruption" in c.result_of("H").reason_codes()
        assert "disqualifier.corruption" not in c.result_of("M").reason_codes()
        # the mark on staff who lead nothing is refused, named (never dropped silently)
        with pytest.raises(InputError) as exc:
            classify_unit(org, "U", [person("H", manages=True), person("M", corruption_in_unit=True)],
                          unit, ND335)  # fmt: skip
        assert [(p.staff_id, p.column) for p in exc.value.problems] == [("M", "corruption_in_unit")]


class TestManagementComponent:
    """NĐ 335/2025 Điều 15 k3: d comes from the scores of the staff under the leader."""

    def make(self) -> Organisation:
        return org_of(
            [Unit("R", "Sở", head_id="D"), Unit("A", "Phòng A", "R", head_id="H")],
            [Staff("D", "Giám đốc", "P", "R", manages_others=True),
             Staff("H", "Trưởng phòng", "P", "A", manages_others=True),
             Staff("M1", "M1", "P", "A"), Staff("M2", "M2", "P", "A")],
        )  # fmt: skip

    def test_management_component_is_fifty_when_any_subordinate_scores_below_50(self) -> None:
        """d = 50 with all else 100 and general 30 gives 30 + 64.17 = 94.17 (domain §4.1)."""
        c = classify_unit(self.make(), "A", [person("H", manages=True), person("M1"),
                                             person("M2", 10, 10, 10)], [], ND335)  # fmt: skip
        h = c.result_of("H")
        assert h.total == 94.17
        assert "management.d" in h.reason_codes()
        msg = h.reasons[h.reason_codes().index("management.d")]
        assert msg.message_en == ("Component (d) = 50%: 1 of 2 staff under the leader's "
                                  "authority are below Completed duties")
        assert msg.source == "NĐ 335/2025/NĐ-CP, Điều 15 k3"

    def test_management_component_is_full_when_every_subordinate_is_at_least_ht(self) -> None:
        """All subordinates HT or better: e = 100, total 100."""
        c = classify_unit(self.make(), "A", [person("H", manages=True), person("M1"),
                                             person("M2", 60, 60, 60)], [], ND335)  # fmt: skip
        assert c.result_of("H").total == 100.0

    def test_d_reads_scores_not_grades(self) -> None:
        """Domain brief §4.1: a head capped to KHT by a KHT unit still scores 100, so the
        director's d stays 100 — the test is the subordinates' scores, not their grades."""
        rules = attrs.evolve(ND335, quota=None)
        inputs = [UnitInputs("A", P, tasks_assigned=10, tasks_done=3)]
        a = [person("D", manages=True), person("H", manages=True), person("M1"), person("M2")]
        org = classify_organisation(self.make(), a, inputs, rules)
        assert org["A"].result_of("H").grade is Grade.KHT
        assert org["R"].result_of("D").total == 100.0

    def test_the_directors_d_counts_the_heads_of_sub_units_and_own_staff(self) -> None:
        """Bottom-up: the director's staff are the head of the sub-unit and R's own members;
        one of them below 50 makes the director's d 50 (94.17)."""
        org = org_of(
            [Unit("R", "Sở", head_id="D"), Unit("A", "Phòng A", "R", head_id="H")],
            [Staff("D", "Giám đốc", "P", "R", manages_others=True), Staff("X", "X", "P", "R"),
             Staff("H", "Trưởng phòng", "P", "A", manages_others=True), Staff("M", "M", "P", "A")],
        )  # fmt: skip
        rules = attrs.evolve(ND335, quota=None)
        c = classify_organisation(org, [person("D", manages=True), person("X", 10, 10, 10),
                                        person("H", manages=True), person("M")], [], rules)
        assert (c["R"].result_of("D").total, c["A"].result_of("H").total) == (94.17, 100.0)

    def test_manager_without_evaluated_subordinates_counts_the_full_component(self) -> None:
        """No subordinate evaluated and no d given: d = 100 with a reason."""
        c = classify_unit(self.make(), "A", [person("H", manages=True)], [], ND335)
        assert c.result_of("H").total == 100.0
        assert "management.d_default" in c.result_of("H").reason_codes()

    def test_typed_d_without_evaluated_subordinates_is_kept_and_said(self) -> None:
        """Nobody under H is evaluated and d is typed 50: nothing to compute d from, so the
        typed 50 applies (30 + (100·5 + 50)/6 × 0.7 = 94.17, NĐ 335 Điều 12 k3) and the sheet
        says why (management.d_default with 50 %), never a silent figure."""
        h = person("H", manages=True)
        h = attrs.evolve(h, competent_scores={**h.competent_scores, D: 50})
        r = classify_unit(self.make(), "A", [h], [], ND335).result_of("H")
        said = [x.message_vi for x in r.reasons if x.code == "management.d_default"]
        assert r.total == 94.17 and len(said) == 1 and "(d) = 50%" in said[0], said

    def test_explicit_manager_ids_take_precedence_over_the_unit_head(self) -> None:
        """A deputy with manager_id links gets d from them. The head counts them through
        the deputy (the whole area led, ``scope = "area"``), not as direct reports: with
        ``scope = "direct"`` the head's d is full."""
        org = org_of([Unit("U", "U", head_id="H")],
                     [Staff("H", "H", "P", "U", manages_others=True),
                      Staff("V", "Phó", "P", "U", manages_others=True),
                      Staff("M", "M", "P", "U", manager_id="V")])  # fmt: skip
        rules = attrs.evolve(ND335, quota=None)
        c = classify_unit(org, "U", [person("H", manages=True), person("V", manages=True),
                                     person("M", 10, 10, 10)], [], rules)  # fmt: skip
        assert (c.result_of("V").total, c.result_of("H").total) == (94.17, 94.17)
        direct = attrs.evolve(rules, id="nd335+direct",
                              management=attrs.evolve(rules.management, scope="direct"))
        c = classify_unit(org, "U", [person("H", manages=True), person("V", manages=True),
                                     person("M", 10, 10, 10)], [], direct)  # fmt: skip
        assert (c.result_of("V").total, c.result_of("H").total) == (94.17, 100.0)


class TestBadInput:
    """Issue 5: bad structure is a clear error naming the ids."""

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        sm = pd.DataFrame([{"staff_id": "S1", "unit_id": "A", "period": P, **GENERAL,
                            "so_luong": 90, "chat_luong": 90, "tien_do": 90}])  # fmt: skip
        units = pd.DataFrame({"unit_id": ["R", "A"], "parent_id": [None, "R"],
                              "head_id": [None, None]})  # fmt: skip
        return sm, units

    def test_two_inputs_of_one_unit_in_a_period_are_refused_not_replaced(self) -> None:
        """frames_from_objects (and so classify_unit) never drops the first of two inputs."""
        org = org_of([Unit("A", "A")], [Staff("S1", "S", "P", "A")])
        twice = [UnitInputs("A", P, tasks_assigned=10, tasks_done=9),
                 UnitInputs("A", P, tasks_assigned=10, tasks_done=2)]  # fmt: skip
        for call in (lambda: frames_from_objects(org, [person("S1")], twice),
                     lambda: classify_unit(org, "A", [person("S1")], twice, ND335)):  # fmt: skip
            with pytest.raises(OrganisationError, match=f"unit 'A' has two inputs in {P}"):
                call()
        other = [twice[0], UnitInputs("A", "2026-04", tasks_assigned=10, tasks_done=2)]
        assert len(frames_from_objects(org, [person("S1")], other)[1]) == 2

    def test_two_assessments_of_one_person_in_a_period_are_refused(self) -> None:
        """The engine's duplicate check names the person, the period and both rows."""
        org = org_of([Unit("A", "A")], [Staff("S1", "S", "P", "A")])
        with pytest.raises(InputError, match=f"staff 'S1' appears 2 times in {P}") as info:
            classify_unit(org, "A", [person("S1"), person("S1", 50)], [], ND335)
        assert (info.value.problems[0].staff_id, info.value.problems[0].row) == ("S1", 1)

    def test_a_unit_tree_with_a_cycle_names_the_units(self) -> None:
        """A -> B -> A is refused with the cycle spelled out."""
        sm, _ = self.frames()
        units = pd.DataFrame({"unit_id": ["A", "B"], "parent_id": ["B", "A"]})
        with pytest.raises(OrganisationError, match=r"cycle: .*A -> B -> A|B -> A -> B"):
            classify_frame(sm, units, ND335)

    def test_a_missing_parent_names_the_unit_and_the_parent(self) -> None:
        """A parent id that is not a unit is refused."""
        sm, _ = self.frames()
        units = pd.DataFrame({"unit_id": ["A"], "parent_id": ["ZZ"]})
        with pytest.raises(UnknownReferenceError, match="unit 'A' has unknown parent unit 'ZZ'"):
            classify_frame(sm, units, ND335)

    def test_a_head_not_in_the_unit_names_both_units(self) -> None:
        """The head of R must be a member of R."""
        sm, units = self.frames()
        units["head_id"] = ["S1", None]
        with pytest.raises(OrganisationError, match="head 'S1' of unit 'R' is a member of unit 'A'"):
            classify_frame(sm, units, ND335)

    def test_a_staff_member_in_two_units_the_same_month_is_refused(self) -> None:
        """One person, one unit per month."""
        sm, units = self.frames()
        sm = pd.concat([sm, sm.assign(unit_id="R")], ignore_index=True)
        with pytest.raises(InputError, match="staff 'S1' is in 2 units in 2026-03: A, R"):
            classify_frame(sm, units, ND335)

    def test_a_staff_member_in_an_unknown_unit_is_refused(self) -> None:
        """Every staff-month's unit must be in the units frame."""
        sm, units = self.frames()
        with pytest.raises(InputError, match="staff 'S1' is in unknown unit 'Q'"):
            classify_frame(sm.assign(unit_id="Q"), units, ND335)

    def test_a_known_unit_without_the_month_is_named_as_such(self) -> None:
        """A units frame with periods that lacks the staff-month's period: the unit is
        known, its row for the month is what is missing."""
        sm, units = self.frames()
        monthly = units.assign(period="2026-02")
        with pytest.raises(InputError, match=f"'A', which has no row for {P} in the units"):
            classify_frame(sm, monthly, ND335)

    def test_bad_units_and_bad_staff_rows_are_listed_together(self) -> None:
        """A unit row out of range and two bad staff rows (one in an unknown unit): one
        InputError naming all of them, not only the unit's (audit d09)."""
        sm, units = self.frames()
        sm = pd.concat([sm.assign(so_luong=-1, unit_id="Q"),
                        sm.assign(staff_id="S2", chat_luong="x")], ignore_index=True)  # fmt: skip
        units["council_score"] = [None, 500]
        with pytest.raises(InputError) as info:
            classify_frame(sm, units, ND335)
        got = {(p.column, p.staff_id) for p in info.value.problems}
        assert {("council_score", None), ("unit_id", "S1"), ("so_luong", "S1"),
                ("chat_luong", "S2")} <= got  # fmt: skip

    def test_an_unknown_unit_is_listed_with_the_staff_scores_problems(self) -> None:
        """Units fine, one person in an unknown unit, another with text for a score."""
        sm, units = self.frames()
        sm = pd.concat([sm.assign(unit_id="Q"), sm.assign(staff_id="S2", chat_luong="x")],
                       ignore_index=True)  # fmt: skip
        with pytest.raises(InputError) as info:
            classify_frame(sm, units, ND335)
        got = {(p.column, p.staff_id) for p in info.value.problems}
        assert got == {("unit_id", "S1"), ("chat_luong", "S2")}

    def test_a_management_cycle_names_the_staff(self) -> None:
        """Managers must form a tree."""
        sm, units = self.frames()
        two = pd.concat([sm.assign(manager_id="S2"), sm.assign(staff_id="S2", manager_id="S1")],
                        ignore_index=True)  # fmt: skip
        with pytest.raises(OrganisationError, match="management cycle: S1 -> S2 -> S1"):
            classify_frame(two, units, ND335)

    def test_unit_inputs_that_do_not_add_up_are_refused(self) -> None:
        """More tasks done than assigned is an input error naming the unit."""
        sm, units = self.frames()
        units["tasks_assigned"] = [10, 10]
        units["tasks_done"] = [10, 12]
        with pytest.raises(InputError) as info:
            classify_frame(sm, units, ND335)
        (p,) = info.value.problems  # the unit named once: the problem's, not in its sentence
        assert (p.unit_id, p.column, p.message) == (
            "A", "tasks_done", "tasks_done exceeds the tasks assigned (2026-03)")

    def test_object_face_reuses_the_organisation_checks(self) -> None:
        """Organisation refuses a cycle before classify_unit is ever called."""
        with pytest.raises(OrganisationError, match="cycle"):
            org_of([Unit("A", "A", "B"), Unit("B", "B", "A")], [])

    def test_classify_unit_needs_one_period(self) -> None:
        """Inputs of two months without period= are refused."""
        org = org_of([Unit("U", "U")], [Staff("S", "S", "P", "U")])
        with pytest.raises(evalkit.ModelError, match="2026-03, 2026-04"):
            classify_unit(org, "U", [person("S"), attrs.evolve(person("S"), period="2026-04")],
                          [], ND335)  # fmt: skip


class TestClassifyFrameShape:
    """The frame face's documented columns."""

    def test_staff_results_keep_the_input_index_and_document_their_columns(self) -> None:
        """The result is aligned with the input rows."""
        org = org_of([Unit("U", "U", head_id="H")],
                     [Staff("H", "H", "P", "U"), Staff("M", "M", "P", "U")])  # fmt: skip
        sm, units = frames_from_objects(org, [person("H", manages=True), person("M", 80, 80, 80)],
                                        [UnitInputs("U", P, tasks_assigned=4, tasks_done=4)])  # fmt: skip
        sm.index = [10, 20]
        staff, unit = classify_frame(sm, units, ND335)
        assert list(staff.index) == [10, 20]
        for col in ("total", "score_grade", "proposed_grade", "grade", "unit_grade", "is_head",
                    "quota_cap", "quota_rank", "reasons"):  # fmt: skip
            assert col in staff.columns
        assert unit.loc[0, "staff"] == 2


class TestResultsReadBack:
    """results_from_frame on a results file read back as text: yes/no read as yes/no."""

    def test_classified_written_as_text_keeps_its_meaning(self) -> None:
        """'False' from a CSV read with dtype=str is no (it was truthy text); a blank
        falls back to the rule set; an unreadable word is a located problem."""
        from evalkit.units import results_from_frame

        hanoi = evalkit.rules.get("hanoi.3814-2018")  # classifies every month
        sm = pd.DataFrame([{"staff_id": "H", "unit_id": "U1", "period": P,
                            **hanoi.full_marks()}])  # fmt: skip
        staff, _ = classify_frame(sm, pd.DataFrame({"unit_id": ["U1"]}), hanoi)
        read = {v: results_from_frame(staff.astype({"classified": object}).assign(
            classified=[v]))[0].classified for v in ("False", "True", "0", None)}  # fmt: skip
        assert read == {"False": False, "True": True, "0": False, None: True}
        with pytest.raises(InputError, match="yes/no"):
            results_from_frame(staff.assign(classified=["maybe"]))
