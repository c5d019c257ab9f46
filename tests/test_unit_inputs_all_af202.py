"""All problems of a unit table are said together (af202; the standard: collect all errors of
an input rather than stopping at the first).

Before af202 the engine's unit table (``evalkit._classify.units.unit_table``) raised only the
undeclared evaluating bodies when there were any: a units frame with an undeclared body AND a
bad number, or an unread unit flag, had the body said, the rest only once it was fixed. The
frame door and the object door (which gives the frame door its frames) say them all.
"""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit.errors import InputError
from tests.test_units_issue17 import BODIES, by_frame, by_objects, frame_row, unit_inputs

BODY = "body_thanh_tra"  # not declared by THANH_HOA (it declares thanhtra)


def said(call: object, *args: object) -> set[str | None]:
    with pytest.raises(InputError) as exc:
        call(*args)  # type: ignore[operator]
    return {p.column for p in exc.value.problems}


def test_an_undeclared_body_and_a_bad_number_are_said_together() -> None:
    row = frame_row(unit_inputs(body_scores={**BODIES, "thanh_tra": 100.0}))
    assert said(by_frame, {**row, "tasks_assigned": "many"}) == {BODY, "tasks_assigned"}


def test_an_undeclared_body_and_an_unread_flag_are_said_together_at_every_door() -> None:
    """NĐ 335/2025 reads no ``personnel_wrongdoing`` (an NĐ 233/2026 flag): refused, as is
    the misspelt body — by the frame and by the objects alike."""
    ui = unit_inputs(body_scores={**BODIES, "thanh_tra": 100.0}, personnel_wrongdoing=True)
    want = {BODY, "personnel_wrongdoing"}
    assert said(by_frame, frame_row(ui) | {"personnel_wrongdoing": True}) == want
    assert said(by_objects, ui) == want


def test_each_alone_is_said_as_before() -> None:
    row = frame_row(unit_inputs())
    assert said(by_frame, {**row, "tasks_assigned": "many"}) == {"tasks_assigned"}
    assert isinstance(by_frame(row), pd.DataFrame)
