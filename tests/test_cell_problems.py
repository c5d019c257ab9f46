"""One check of a bad staff frame's cells (evalkit.scoring.cell_problems): what
:func:`evalkit.score_frame` refuses in a cell, :func:`evalkit.classify_frame` refuses in the
same words, but the management component d the engine computes from the staff under a
leader (NĐ 335/2025/NĐ-CP Điều 15), which only the engine leaves blank."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit.errors import InputError
from evalkit.scoring import cell_problems, management_only_inputs

RS = evalkit.rules.get("vn.nd335-2025")
D = RS.management.computed  # ket_qua_linh_vuc


def leader(sid: str, **extra: object) -> dict[str, object]:
    """A leader's row with full marks, d left blank, and ``extra`` cells."""
    marks = {**RS.full_marks(manages_others=True), D: np.nan}
    return {"staff_id": sid, "unit_id": "U", "period": "2026-03", "category": "cong_chuc",
            "manages_others": True, **marks, **extra}


FRAME = pd.DataFrame([leader("A", chat_luong=130), leader("B", discipline="maybe")])
CODES = np.zeros(len(FRAME), dtype=np.int64)


def said(problems: list[evalkit.InputProblem]) -> list[tuple[object, object, str]]:
    return [(p.row, p.column, str(p.message)) for p in problems]


def test_d_is_needed_by_the_score_and_computed_by_the_engine() -> None:
    assert D in management_only_inputs(RS)


def test_the_scores_door_says_every_bad_cell_and_the_blank_d() -> None:
    """Scoring alone cannot compute d: its blank is a problem of each leader's row."""
    found = said(cell_problems(FRAME, CODES, [RS]))
    assert {(r, c) for r, c, _ in found} == {(0, "chat_luong"), (0, D), (1, D), (1, "discipline")}


def test_the_engine_leaves_the_blank_d_unsaid_and_says_the_rest_alike() -> None:
    every = said(cell_problems(FRAME, CODES, [RS]))
    engine = said(cell_problems(FRAME, CODES, [RS], engine=True))
    assert engine == [p for p in every if p[1] != D]


def test_rows_without_a_rule_set_are_not_read() -> None:
    assert said(cell_problems(FRAME, np.array([-1, 0]), [RS])) == said(
        cell_problems(FRAME.iloc[[1]], np.zeros(1, np.int64), [RS]))
    assert cell_problems(FRAME, np.full(2, -1), [RS]) == []
    assert cell_problems(FRAME, CODES, []) == []


def test_both_frame_doors_refuse_the_cells_in_the_same_words() -> None:
    """score_frame and classify_frame: one check, so one list of a bad frame's cells (the
    bad period makes the frame bad before any score is read)."""
    frame = pd.concat([FRAME.assign(**{D: 100}), pd.DataFrame([leader("C", period="2026-13")])],
                      ignore_index=True)  # fmt: skip
    units = pd.DataFrame({"unit_id": ["U"], "head_id": ["A"]})
    doors = []
    for door in (lambda: evalkit.score_frame(frame), lambda: evalkit.classify_frame(frame, units)):
        with pytest.raises(InputError) as err:
            door()
        doors.append({p for p in said(err.value.problems) if p[1] != "period"})
    assert doors[0] == doors[1] == {p for p in said(cell_problems(
        frame.iloc[:2], CODES, [RS])) if p[1] != D}
