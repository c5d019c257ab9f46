"""Two reads of classify_frame that depended on what else was in the frame (found while
shrinking the engine): a leader's typed d written with a decimal comma, and a numeric
staff id in the unknown-unit problem. Each gives the same answer alone and beside others."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
import evalkit.rules

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
