"""A unit's impossible figure is said in Vietnamese at every door (found by af248): the
month's units frame added the period to the English sentence, which the catalogue could not
match, and four sentences had no Vietnamese at all."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import evalkit.rules
from evalkit import messages
from evalkit.errors import InputError
from evalkit.units import classify_frame, classify_year

ENGLISH = re.compile(r"\b(is|exceeds|negative|count|whole|number|tasks|give|not both|large)\b")

BAD = [({"tasks_done": 12}, "tasks_done"), ({"tasks_assigned": 10.5}, "tasks_assigned"),
       ({"tasks_done": -1}, "tasks_done"), ({"satisfaction": 150}, "satisfaction"),
       ({"tasks_on_time": 9, "tasks_done": 8}, "tasks_on_time"),
       ({"tasks_exceeded": 9, "tasks_done": 8}, "tasks_exceeded"),
       ({"score": 80, "council_score": 80}, "score"), ({"tasks_assigned": 1e16}, "tasks_assigned")]


def _month(unit: dict[str, object]) -> tuple[pd.DataFrame, pd.DataFrame]:
    top = evalkit.rules.get("vn.nd335-2025").full_marks(manages_others=True)
    sm = pd.DataFrame([{"staff_id": "H", "unit_id": "U1", "period": "2026-03", **top}])
    units = pd.DataFrame([{"unit_id": "U1", "head_id": "H", "tasks_assigned": 10,
                           "tasks_done": 10, **unit}])
    return sm, units


@pytest.mark.parametrize(("unit", "column"), BAD)
def test_the_months_unit_problem_reads_in_vietnamese(unit: dict[str, object],
                                                     column: str) -> None:
    sm, units = _month(unit)
    with pytest.raises(InputError) as err:
        classify_frame(sm, units, "vn.nd335-2025")
    said = [p for p in err.value.problems if p.column == column]
    assert said, err.value.problems
    for p in said:
        assert p.message.endswith("(2026-03)")  # the period the month adds
        vi = messages.translate(p.message, "vi")
        assert vi.endswith("(2026-03)") and vi != p.message
        assert not ENGLISH.search(vi.replace(column, "").replace("council_score", "")), vi


@pytest.mark.parametrize(("unit", "column"), [b for b in BAD if b[1] not in (
    "satisfaction", "score")])  # (figures the year reads)
def test_the_years_unit_problem_reads_in_vietnamese(unit: dict[str, object], column: str) -> None:
    sm, units = _month({})
    staff, unit_results = classify_frame(sm, units, "vn.nd335-2025")
    bad = unit_results.assign(**{k: [v] for k, v in unit.items()})
    with pytest.raises(InputError) as err:
        classify_year(staff, bad)
    said = [p for p in err.value.problems if p.column == column]
    assert said, err.value.problems
    for p in said:
        vi = messages.translate(p.message, "vi")
        assert vi != p.message
        assert not ENGLISH.search(vi.replace(column, "").replace("council_score", "")), vi


def test_a_sentence_the_catalogue_does_not_know_is_left_as_it_is() -> None:
    assert messages.translate("something else (2026-03)", "vi") == "something else (2026-03)"
