"""An Assessment with several bad fields says every one of them at once (the brief: collect
all errors of an input rather than stopping at the first), each message naming the person,
the period and the level, exactly as when that field is the only bad one."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalkit import Assessment
from evalkit.errors import ModelError, PeriodError, ScoreError

#: field -> a bad value of it (each refused alone)
BAD: dict[str, Any] = {
    "self_scores": {"chat_luong": -1},
    "manager_scores": {"tien_do": "abc"},
    "competent_scores": {"so_luong": float("inf")},
    "competent_grade": 7,  # a word ("ZZ") is read by the set it is scored under
    "discipline": "very bad",
    "degradation": "maybe",
    "leave": "holiday",
    "kpi": 120,
    "months_worked": -2,
}


def alone(field: str) -> str:
    with pytest.raises(ModelError) as info:
        Assessment("CC-1", "2026-03", **{field: BAD[field]})
    return str(info.value)


@pytest.mark.parametrize("field", sorted(BAD))
def test_each_bad_field_is_refused_alone(field: str) -> None:
    assert "CC-1" in alone(field) and "2026-03" in alone(field)


@given(st.sets(st.sampled_from(sorted(BAD)), min_size=2))
def test_every_bad_field_is_said_together(fields: set[str]) -> None:
    with pytest.raises(ModelError) as info:
        Assessment("CC-1", "2026-03", **{f: BAD[f] for f in fields})
    message = str(info.value)
    for f in fields:
        assert alone(f) in message, f
    # in the order of the fields, one after the other
    order = [f for f in BAD if f in fields]
    at = [message.index(alone(f)) for f in sorted(order, key=list(attrs_order()).index)]
    assert at == sorted(at)


def attrs_order() -> list[str]:
    import attrs

    return [f.name for f in attrs.fields(Assessment)]


def test_bad_scores_at_two_levels_stay_a_score_error() -> None:
    with pytest.raises(ScoreError) as info:
        Assessment("CC-1", "2026-03", self_scores={"a": -1}, manager_scores={"b": -2})
    assert "self_scores" in str(info.value) and "manager_scores" in str(info.value)


def test_a_bad_period_is_said_alone() -> None:
    """The period names every other message: a bad one is said first and alone."""
    with pytest.raises(PeriodError):
        Assessment("CC-1", "2026-13", self_scores={"a": -1})


def test_a_wrong_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Assessment("CC-1", "2026-03", no_such_field=1)  # type: ignore[call-arg]


def test_a_good_assessment_is_unchanged() -> None:
    a = Assessment("CC-1", "2026-03", self_scores={"a": 1}, leave="")
    assert a.self_scores["a"] == 1.0 and a.counting_level() is not None
