"""Nothing is carried into the customs scheme's first quarter, 2026-Q3.

The preset's own rule (vn.customs-2026q, its notes; CV 21169/CHQ-TCCB mục II.4): the
evaluation period is the quarter from Q3/2026 — "Earlier months of 2026 are classified under
vn.nd335-2025" — and staff who worked one month or less in a quarter are not evaluated that
quarter, their result carried to the next. A month is carried only out of a quarter that
was short *under the scheme*; 2026-Q1 and Q2 were NĐ 335/2025's months, each evaluated on
its own, so none was short and none carried a month on: ``carried_months`` on 2026-Q3 is
an input problem naming the row, the column, the value, the set and its first day — in
every door (objects, ``score_frame``, ``classify_frame``, the workbook). 2026-Q4 may carry
Q3's months; 2027-Q2 the months of 2027-Q1 (the year's own quarters under the scheme).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit._columns import carried_most
from evalkit.model import Period
from tests._cli_helpers import run
from tests.test_hunt_af140 import _book

CQ = "vn.customs-2026q"
RS = evalkit.rules.get(CQ)
MARKS = {c.id: (c.maximum if c.unit == "points" else 100) for c in RS.criteria()
         if not c.management}  # fmt: skip
START = "vn.customs-2026q evaluates quarters from 2026-07-01"


def _row(period: str, carried: int) -> dict[str, object]:
    return {"staff_id": "A", "period": period, "unit_id": "U", "months_worked": 3 + carried,
            "carried_months": carried, **MARKS}  # fmt: skip


def test_the_preset_says_when_it_begins_and_what_carries() -> None:
    """The rule read here is the preset's own: quarters from 2026-07-01, short ≤ 1 month."""
    assert RS.effective_from == dt.date(2026, 7, 1)
    assert RS.rollup.period_short_months == 1
    said = " ".join(RS.uncertainties)
    assert "Earlier months of 2026 are classified under vn.nd335-2025" in said
    assert "nothing is carried into 2026-Q3" in said


@pytest.mark.parametrize(("period", "most"), [("2026-Q3", 0), ("2026-Q4", 3), ("2027-Q1", 0),
                                              ("2027-Q2", 3), ("2027-Q4", 9)])  # fmt: skip
def test_the_most_months_carried_in_counts_the_schemes_quarters_only(period: str,
                                                                     most: int) -> None:  # fmt: skip
    assert carried_most(Period.parse(period), RS.effective_from) == most


class TestEveryDoor:
    def test_the_objects_refuse_a_month_carried_into_2026_q3(self) -> None:
        a = evalkit.Assessment("A", "2026-Q3", manager_scores=MARKS, months_worked=4,
                               carried_months=1)  # fmt: skip
        with pytest.raises(evalkit.ScoreError, match=f"carried_months 1: {START}.*'A', 2026-Q3"):
            evalkit.score(a, rules=RS)

    def test_the_objects_take_a_month_carried_into_2026_q4(self) -> None:
        a = evalkit.Assessment("A", "2026-Q4", manager_scores=MARKS, months_worked=4,
                               carried_months=1)  # fmt: skip
        assert "rollup.period_carried" in evalkit.score(a, rules=RS).reason_codes()

    @pytest.mark.parametrize("door", ["score_frame", "classify_frame"])
    def test_the_frames_refuse_it_naming_row_column_and_value(self, door: str) -> None:
        frame = pd.DataFrame([_row("2026-Q4", 1), {**_row("2026-Q3", 2), "staff_id": "B"}])
        units = pd.DataFrame({"unit_id": ["U"]})
        call = {"score_frame": lambda: evalkit.score_frame(frame, RS),
                "classify_frame": lambda: evalkit.classify_frame(frame, units, RS)}[door]
        with pytest.raises(evalkit.InputError) as caught:
            call()
        [p] = [p for p in caught.value.problems if p.column == "carried_months"]
        assert (p.row, p.staff_id, p.value) == (1, "B", 2)
        assert START in p.message and "at most 0 months" in p.message

    def test_the_workbook_refuses_it_in_vietnamese(self, tmp_path: Path) -> None:
        org, book = _book(tmp_path, "2026-Q3", {"months_worked": 4, "carried_months": 1}, "q3")
        code, _out, err = run("validate", str(book), "--org", str(org))
        assert code == 1
        [line] = [x for x in err.splitlines() if "carried_months" in x]
        assert "dòng 3" in line and "người được đánh giá 'S1'" in line and "giá trị 1" in line
        assert "vn.customs-2026q đánh giá theo quý từ ngày 2026-07-01" in line
        assert "tối đa 0" in line and "evaluates" not in line, line
