"""The object door refuses what it cannot read, with a sentence naming the value: the
branches of :mod:`evalkit.units` that only a bad object reaches (each kept, not dead)."""

from __future__ import annotations

import math

import pytest

import evalkit.rules
from evalkit.errors import ModelError, UnknownReferenceError
from evalkit.model import Assessment, Organisation, Position, Staff, Unit
from evalkit.units import UnitInputs, classify_organisation, frames_from_objects

PERIOD = "2026-03"
ORG = Organisation(units=[Unit("U1", "Phòng A", head_id="H")],
                   positions=[Position("P", "Chuyên viên")],
                   staff=[Staff("H", "Trần Thị Hoa", "P", "U1")])


@pytest.mark.parametrize(("field", "value", "said"), [
    ("tasks_done", "many", "expected a number or None, not 'many'"),
    ("cross_score", True, "expected a number or None, not True"),
    ("satisfaction", math.inf, "expected a finite number, not inf"),
    ("body_scores", [90], "body_scores must map evaluating bodies to scores, not [90]"),
])  # fmt: skip
def test_a_unit_input_that_is_no_number_is_refused_with_its_value(
        field: str, value: object, said: str) -> None:  # fmt: skip
    """A text, a yes/no, an infinity or a list where a number (or a map) belongs: a sentence."""
    with pytest.raises(ModelError) as exc:
        UnitInputs("U1", PERIOD, **{field: value})
    assert said == str(exc.value)


def test_an_assessment_of_a_person_not_in_the_organisation_is_refused() -> None:
    """Every assessment names a member: an unknown id is named, never dropped."""
    with pytest.raises(UnknownReferenceError, match="assessment for unknown staff 'Z'"):
        frames_from_objects(ORG, [Assessment("Z", PERIOD)])


def test_unit_inputs_of_a_unit_not_in_the_organisation_are_refused() -> None:
    """The inputs of an unknown unit are named, never dropped."""
    with pytest.raises(UnknownReferenceError, match="unit inputs for unknown unit 'U9'"):
        frames_from_objects(ORG, [], [UnitInputs("U9", PERIOD)])


def test_a_period_the_inputs_do_not_cover_is_refused() -> None:
    """Asked for April with March's inputs: the periods given are said, nothing is guessed."""
    top = evalkit.rules.get("hanoi.3814-2018").full_marks()
    with pytest.raises(ModelError, match="the inputs cover periods 2026-03, not 2026-04"):
        classify_organisation(ORG, [Assessment("H", PERIOD, competent_scores=top)],
                              [UnitInputs("U1", PERIOD)], "hanoi.3814-2018", period="2026-04")


def test_the_result_of_someone_not_in_the_unit_is_refused() -> None:
    """``result_of`` names the person and the unit when the person is not a member."""
    top = evalkit.rules.get("hanoi.3814-2018").full_marks()
    c = classify_organisation(ORG, [Assessment("H", PERIOD, competent_scores=top)],
                              [UnitInputs("U1", PERIOD)], "hanoi.3814-2018")["U1"]
    assert c.result_of(" H").staff_id == "H"
    with pytest.raises(UnknownReferenceError, match="staff 'X' is not a member of unit 'U1'"):
        c.result_of("X")
