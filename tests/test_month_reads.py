"""Two reads of classify_frame that depended on what else was in the frame (found while
shrinking the engine): a leader's typed d written with a decimal comma, and a numeric
staff id in the unknown-unit problem. Each gives the same answer alone and beside others."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.io.workbook import read_workbook
from tests._io_helpers import filled_workbook, person

RS = evalkit.rules.get("vn.nd335-2025")
LEAD = {"to_chuc_trien_khai": 100.0, "tap_hop_doan_ket": 100.0}


def test_a_decimal_comma_d_reads_alike_beside_a_leader_whose_d_is_computed() -> None:
    """B's d typed "100,0" (read as 100 by every door); A's d blank (computed): B's total is
    the same whether A is in the frame or not."""
    rows = [{"staff_id": s, "unit_id": u, "period": "2026-03", "category": "cong_chuc",
             **RS.full_marks(), **(LEAD if s.isupper() else {}), "ket_qua_linh_vuc": d}
            for s, u, d in [("A", "U1", None), ("a1", "U1", None), ("B", "U2", "100,0"),
                            ("b1", "U2", None)]]  # fmt: skip
    sm = pd.DataFrame(rows)
    units = pd.DataFrame({"unit_id": ["U1", "U2"], "head_id": ["A", "B"]})
    alone, _ = evalkit.classify_frame(sm[sm["unit_id"] == "U2"], units.iloc[1:], RS)
    both, _ = evalkit.classify_frame(sm, units, RS)
    b_alone = alone.set_index("staff_id").loc["B", ["total", "grade", "mgmt_value"]].tolist()
    assert both.set_index("staff_id").loc["B", ["total", "grade", "mgmt_value"]].tolist() \
        == b_alone
    assert b_alone[2] == 100.0


def test_a_numeric_staff_id_is_shown_as_text_in_every_unknown_unit_problem() -> None:
    top = evalkit.rules.get("hanoi.3814-2018").full_marks()
    units = pd.DataFrame({"unit_id": ["U1"], "head_id": [7]})
    sm = pd.DataFrame([{"staff_id": 7, "unit_id": "U1", "period": "2026-03", **top},
                       {"staff_id": 8, "unit_id": "U9", "period": "2026-03", **top}])
    worse = pd.concat([sm, sm.iloc[:1].assign(staff_id=9, period="bad")], ignore_index=True)
    said = []
    for frame in (sm, worse):
        with pytest.raises(evalkit.InputError) as exc:
            evalkit.classify_frame(frame, units, "hanoi.3814-2018")
        said.append([p.message for p in exc.value.problems if p.column == "unit_id"])
    assert said[0] == said[1] == ["staff '8' is in unknown unit 'U9' (2026-03)"]


def test_a_period_typed_as_a_number_is_refused_at_every_door(tmp_path: Path) -> None:
    """Audit af21: '2026.10' typed in a General cell is the number 2026.1, which read as
    2026-01 (January) in silence; 2026.10 and 2026.1 are one number, so no number but a
    whole year names a period: the frames, the objects and the workbook refuse it."""
    row = {"staff_id": "A", "unit_id": "U", "category": "cong_chuc", **RS.full_marks()}
    for period in (2026.1, np.float64(2026.1), 2026.03):
        frame = pd.DataFrame([{**row, "period": period}])
        with pytest.raises(evalkit.InputError) as info:
            evalkit.score_frame(frame)
        assert [(p.row, p.column) for p in info.value.problems] == [(0, "period")]
        with pytest.raises(evalkit.InputError):
            evalkit.classify_frame(frame, pd.DataFrame({"unit_id": ["U"]}))
        with pytest.raises(evalkit.PeriodError):
            evalkit.Assessment("A", period)
    path = filled_workbook(tmp_path / "t.xlsx", [person("CC-1", period=2026.1)], period="2026-10")
    _, problems = read_workbook(path)
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "period", 2026.1)]
