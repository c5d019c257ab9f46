"""A grade is never falsy and prints as its code (audit 7, D5).

``None`` means "not evaluated"; a KHT person is evaluated, so ``if result.grade:`` must keep
them, and ``f"{result.grade}"`` must print ``KHT``, not ``0``.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from evalkit import Grade


@given(st.sampled_from(list(Grade)))
def test_every_grade_is_truthy_and_prints_its_code(grade: Grade) -> None:
    assert bool(grade) is True
    assert str(grade) == grade.code == f"{grade}"
    assert f"{grade:>6}" == grade.code.rjust(6)


@given(st.sampled_from(list(Grade)))
def test_numeric_formats_and_order_still_use_the_number(grade: Grade) -> None:
    assert f"{grade:d}" == str(int(grade))
    assert f"{grade:.1f}" == f"{int(grade):.1f}"
    assert Grade.parse(int(grade)) is grade
    assert (grade < Grade.HTXS) == (int(grade) < 3)


def test_a_kht_result_is_not_mistaken_for_not_evaluated() -> None:
    grades = [Grade.KHT, None, Grade.HT]
    assert [g for g in grades if g] == [Grade.KHT, Grade.HT]
    assert (Grade.KHT or "not evaluated") is Grade.KHT
