"""An error's count is the true count of problems found (audit 16 #6): a kind's listing is
capped (the first 200 rows) and a line says how many more rows have it — in English and in
Vietnamese —, at every door that caps (score_frame, classify_frame, classify_year, the
workbook reader, the command line)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
from evalkit._columns import LISTED_PER_KIND
from evalkit.errors import InputError, InputProblem, problem_count
from evalkit.messages import located
from evalkit.units import classify_frame
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

TOP = evalkit.rules.get("vn.nd335-2025").full_marks()
BLANK = ("so_luong", "chat_luong")


def _frame(n: int, blank: tuple[str, ...] = BLANK) -> pd.DataFrame:
    f = pd.DataFrame([dict(staff_id=f"S{i}", unit_id="U", period="2026-03",
                           category="cong_chuc", **TOP) for i in range(n)])  # fmt: skip
    for c in blank:
        f[c] = float("nan")  # blank: the criterion has no score
    return f


def _doors(f: pd.DataFrame) -> dict[str, InputError]:
    out = {}
    for door, call in (("score_frame", lambda: evalkit.score_frame(f)),
                       ("classify_frame", lambda: classify_frame(
                           f, pd.DataFrame({"unit_id": ["U"]})))):  # fmt: skip
        with pytest.raises(InputError) as info:
            call()
        out[door] = info.value
    return out


def test_a_thousand_rows_missing_two_scores_are_two_thousand_problems() -> None:
    for door, e in _doors(_frame(1000)).items():
        assert e.count == 2000, door
        assert str(e).splitlines()[0] == "2000 problems in the input:", door
        for c in BLANK:
            listed = [p for p in e.problems if p.column == c and not p.unlisted]
            (more,) = [p for p in e.problems if p.column == c and p.unlisted]
            assert len(listed) == LISTED_PER_KIND == 200
            assert more.unlisted == 800
            assert "800 more row(s) with the same problem not listed" in str(more)
            assert "còn 800 dòng nữa có cùng lỗi chưa liệt kê" in located(more, "vi")
        assert str(e).splitlines()[-1].strip() == f"... and {2000 - 50} more"


def test_below_the_cap_every_problem_is_listed_without_a_count_line() -> None:
    for e in _doors(_frame(LISTED_PER_KIND)).values():
        assert e.count == len(e.problems) == 2 * LISTED_PER_KIND
        assert not any(p.unlisted for p in e.problems)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 2 * LISTED_PER_KIND + 20),
       blank=st.sets(st.sampled_from((*BLANK, "tien_do")), min_size=1))
def test_the_count_is_rows_times_blank_columns_whatever_the_cap(n: int, blank: set[str]) -> None:
    e = _doors(_frame(n, tuple(sorted(blank))))["score_frame"]
    assert e.count == problem_count(e.problems) == n * len(blank)
    assert len(e.problems) == len(blank) * (min(n, LISTED_PER_KIND) + (n > LISTED_PER_KIND))


def test_the_count_line_is_counted_by_input_error() -> None:
    e = InputError([InputProblem("a"), InputProblem("b"), InputProblem("more", unlisted=7)])
    assert e.count == 9 and str(e).startswith("9 problems in the input:")


def test_the_workbook_reader_counts_what_it_does_not_list(tmp_path: Path) -> None:
    from evalkit.io.workbook import read_month

    rows = [person(f"S{i}", competent__so_luong=None, competent__chat_luong=None)
            for i in range(30)]  # fmt: skip
    book = filled_workbook(tmp_path / "t.xlsx", rows)
    full = read_month(book).problems
    capped = read_month(book, max_problems=10).problems
    assert problem_count(capped) == problem_count(full) == len(full) > 10
    assert capped[-1].unlisted == len(full) - 10
    # the command line says the true count, in Vietnamese by default
    code, _out, err = run("validate", str(book))
    assert code != 0 and f"Có {len(full)} lỗi" in err, err
