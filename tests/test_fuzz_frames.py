"""Mutated DataFrames at the frame doors never end in a traceback or a silent change of a
grade (af242: the ``frames`` family of the fuzz suite, ``tests/_fuzz_frames.py``).

Hypothesis draws a door (score_frame, classify_frame, rollup_frame, classify_year), one of
its frames and a mutation — blank, padded or unknown ids, duplicated rows, cycles, text,
negatives, huge numbers or inf in number columns, yes/no as text, dtypes, columns dropped
or added, indexes of text or duplicates, empty frames, bad periods — and each mutant must be
a located error or an accepted input (a harmless mutation: the clean input's grades). The
``ci`` profile keeps the file within seconds; ``python -m tests.fuzz frames`` tries
thousands.

The last class holds the bugs the fuzzer found, each as a plain example.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalkit
from evalkit.errors import InputError
from evalkit.messages import sentence
from tests import fuzz
from tests._fuzz_frames import DOORS, Case, _months, clean_result, inputs, run_case, run_one

_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
#: Examples: a mutant takes about 0.1 s (the demo's 31 people); the ci profile keeps the
#: file within about 20 s on 2 cores shared with other work.
EXAMPLES = {"ci": 80, "thorough": 1500}.get(_PROFILE, 30)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_frame_is_located_or_classified_as_its_data_says(data: st.DataObject) -> None:
    """A mutated frame at a door: a located error, or the clean input's result (harmless),
    or a result (a change of the data), never a traceback or a garbage input accepted."""
    case, outcome = run_one(fuzz.HypothesisChooser(data))
    assert outcome.kind != "failure", f"{case.mutation}\n{outcome.detail}"


def test_the_clean_frames_give_the_demo_grades_at_every_door() -> None:
    """The base: March's 31 people at the month doors, their quarter at the year doors;
    SNV-001's March is 89.83 (HTT) both ways, the units' five grades beside the people's."""
    months = clean_result("classify_frame")
    assert months[("SNV-001", "2026-03")] == (89.83, "HTT")
    assert clean_result("score_frame") == {k: v for k, v in months.items()
                                           if not k[0].startswith("unit:")}  # fmt: skip
    assert sum(k[0].startswith("unit:") for k in months) == 5
    assert clean_result("rollup_frame").keys() == clean_result("classify_year").keys()
    assert len(clean_result("classify_year")) == 31


def test_a_garbage_mutation_accepted_is_a_failure() -> None:
    """The harness itself fails a garbage mutant the door accepted, and a harmless one whose
    result changed."""
    frames = inputs("score_frame")
    assert run_case(Case("score_frame", "nothing", False, frames, "garbage")).kind == "failure"
    frames["staff"].loc[0, "so_luong"] = 10.0
    assert run_case(Case("score_frame", "so_luong", True, frames, "harmless")).kind == "failure"
    assert run_case(Case("score_frame", "so_luong", False, frames, "change")).kind == "accepted"


def test_every_door_is_drawn() -> None:
    """The family covers the four doors."""
    assert set(DOORS) == {"score_frame", "classify_frame", "rollup_frame", "classify_year"}


# =========================================================================== found by the fuzzer


def _twice(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return pd.concat([frame, frame[[column]]], axis=1)


class TestFoundByTheFuzzer:
    """Each bug the frames family found at a door, as a plain example."""

    @staticmethod
    def _twice_cases() -> list[tuple[Any, str, str]]:
        """(call, the column given twice, the frame's name in the sentence). score_frame
        raised AttributeError ('DataFrame' object has no attribute 'dtype') on a criterion
        column given twice, classify_frame too, and on a units frame with head_id twice;
        rollup_frame raised ValueError (cannot reindex on an axis with duplicate labels) on a
        results frame with a column twice; classify_year ValueError (If using all scalar
        values, you must pass an index) on ``period`` twice."""
        sm = pd.DataFrame({"staff_id": ["A"], "unit_id": "U", "period": "2026-03",
                           "so_luong": [90.0]})  # fmt: skip
        units = pd.DataFrame({"unit_id": ["U"], "head_id": ["A"]})
        res = pd.DataFrame({"staff_id": "A", "period": ["2026-01", "2026-02"],
                            "unit_id": "U", "total": [80.0, 90.0], "classified": False})
        rs = "vn.nd335-2025"
        return [
            (lambda: evalkit.score_frame(_twice(sm, "so_luong"), rs), "so_luong",
             "score_frame's staff-month frame"),
            (lambda: evalkit.classify_frame(_twice(sm, "so_luong"), units, rs), "so_luong",
             "the staff-month frame"),
            (lambda: evalkit.classify_frame(sm, _twice(units, "head_id"), rs), "head_id",
             "the units frame"),
            (lambda: evalkit.rollup_frame(_twice(res, "classified"), rs), "classified",
             "the roll-up"),
            (lambda: evalkit.classify_year(_twice(res, "period"), None, rs), "period",
             "the staff results"),
        ]  # fmt: skip

    def test_a_column_twice_is_said_not_a_crash(self) -> None:
        """A column given twice, in any frame of any door: one located sentence."""
        for call, column, what in self._twice_cases():
            with pytest.raises(InputError) as info:
                call()
            assert [(p.column, p.message) for p in info.value.problems] == [
                (column, f"column {column!r} is given 2 times in {what}: give each column once")]
            assert sentence(info.value.problems[0]).startswith(f"cột {column!r} có 2 lần")

    def test_a_unit_score_off_its_scale_in_the_unit_results_is_refused(self) -> None:
        """classify_year read a month's unit score of 150 or 1e308 (and counted it in the
        year's mean) and one of -5, which lowered SNV-VP's year and capped its head SNV-101
        at HT: the unit results now meet the month's bounds (units.value_problems)."""
        staff, units = _months()
        for value, message in ((150.0, "score exceeds 100"), (-5.0, "score is negative")):
            bad = units.assign(score=units["score"].where(units.index != 3, value))
            with pytest.raises(InputError) as info:
                evalkit.classify_year(staff, bad)
            assert [(p.row, p.column, p.value, p.message) for p in info.value.problems] == [
                (3, "score", value, message)]
        tasks = units.assign(tasks_done=units["tasks_done"].where(units.index != 3, -1.0))
        with pytest.raises(InputError) as info:
            evalkit.classify_year(staff, tasks)
        assert (3, "tasks_done", "tasks_done is negative") in [
            (p.row, p.column, p.message) for p in info.value.problems]
