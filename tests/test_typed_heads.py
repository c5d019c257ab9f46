"""A head marked in the staff frame (``is_head``, a documented frame column) is never
silently dropped (audit 10): a unit whose units frame names no head takes the person marked,
and is capped at the unit's result (NĐ 335/2025/NĐ-CP Điều 20; Hà Nội's month); a mark that
contradicts the units frame, or two marks in one unit, is refused with the rows named."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit.messages import translate

HANOI = evalkit.rules.get("hanoi.3814-2018")
TOP = HANOI.full_marks()
LOW = {k: v * 0.8 for k, v in TOP.items()}


def month(marks: dict[str, Any], text: str | type = object) -> pd.DataFrame:
    rows = [{"staff_id": "H", "unit_id": "U", "period": "2026-03", "category": "cong_chuc",
             **TOP}]  # fmt: skip
    rows += [{"staff_id": f"T{i}", "unit_id": "U", "period": "2026-03", "category": "cong_chuc",
              **LOW} for i in range(10)]  # fmt: skip
    df = pd.DataFrame(rows)
    df["is_head"] = df["staff_id"].map(marks)
    for c in ("staff_id", "unit_id", "period", "category"):
        df[c] = df[c].astype(text)
    return df


def units(head: str | None) -> pd.DataFrame:
    out = pd.DataFrame({"unit_id": ["U"], "tasks_assigned": [10], "tasks_done": [8]})
    if head is not None:
        out["head_id"] = [head]
    return out


@pytest.mark.parametrize("text", [object, "str", "category"])
@pytest.mark.parametrize("mark", [True, 1, "x", "có"])
def test_a_marked_head_is_the_head_where_the_units_frame_names_none(text: str | type,
                                                                    mark: Any) -> None:
    staff, unit = evalkit.classify_frame(month({"H": mark}, text), units(None), HANOI)
    h = staff.set_index("staff_id").loc["H"]
    assert unit["grade"].iloc[0] == "HTT"  # 8 of 10 tasks: the unit is B
    assert bool(h["is_head"]) and h["score_grade"] == "HTXS"
    assert h["grade"] == "HTT" and "cap.head_unit" in h["reasons"].split(";")


def test_the_same_mark_and_the_units_frames_head_agree() -> None:
    a, _ = evalkit.classify_frame(month({"H": True}), units("H"), HANOI)
    b, _ = evalkit.classify_frame(month({}), units("H"), HANOI)
    pd.testing.assert_frame_equal(a.drop(columns=["is_head"]), b.drop(columns=["is_head"]))
    assert a["is_head"].tolist() == b["is_head"].tolist()


def test_a_mark_on_someone_else_than_the_named_head_is_refused() -> None:
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_frame(month({"T3": True}), units("H"), HANOI)
    [p] = exc.value.problems
    assert (p.row, p.column, p.staff_id) == (4, "is_head", "T3")
    assert translate(p.message).startswith("được đánh dấu là người đứng đầu")


def test_two_marks_in_a_unit_without_a_named_head_are_refused_both() -> None:
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_frame(month({"H": True, "T1": True}), units(None), HANOI)
    assert [(p.row, p.staff_id) for p in exc.value.problems] == [(0, "H"), (2, "T1")]
    assert all("several people marked head" in p.message for p in exc.value.problems)


def test_the_year_caps_the_marked_head_too() -> None:
    """NĐ 335: the year's head (classified annually) is the one marked every month."""
    nd335 = evalkit.rules.get("vn.nd335-2025")
    full = nd335.full_marks()
    lead = nd335.full_marks(manages_others=True)  # the head's d, đ, e (Điều 15)
    rows = [{"staff_id": s, "unit_id": "U", "period": f"2026-{m:02d}", "category": "cong_chuc",
             **(lead if s == "H" else full), "so_luong": 100.0 if s == "H" else 50.0,
             "is_head": s == "H"}
            for s in ["H", *(f"T{i}" for i in range(10))] for m in range(1, 13)]  # fmt: skip
    u = pd.DataFrame([{"unit_id": "U", "period": f"2026-{m:02d}", "tasks_assigned": 10,
                       "tasks_done": 8} for m in range(1, 13)])  # fmt: skip
    staff, unit = evalkit.classify_frame(pd.DataFrame(rows), u)
    year = evalkit.classify_year(staff, unit).set_index("staff_id")
    assert year.loc["H", "score_grade"] == "HTXS"
    assert year.loc["H", "grade"] == "HTT"
    assert "cap.head_unit" in year.loc["H", "reasons"].split(";")


def test_a_head_id_that_differs_from_a_member_only_by_case_is_refused() -> None:
    """Audit af21: the units frame's head 'h' of unit U, whose member is 'H': the frame
    door matched nobody and left H uncapped — 90 points, A (HTXS) above the unit's C
    (council score 60: 50 to < 70, QĐ 3814) — where the workbook refuses the head as not
    on the staff sheet (did you mean 'H'?). Case twins are one person or a typing slip,
    as between staff ids; both ids are named."""
    units = pd.DataFrame({"unit_id": ["U"], "head_id": ["H"], "council_score": [60.0]})
    staff, _ = evalkit.classify_frame(month({}), units, HANOI)
    assert staff.set_index("staff_id").loc["H", "grade"] == "HT"  # capped at the unit's C
    with pytest.raises(evalkit.EvalkitError, match=r"'h'.*'H'"):
        evalkit.classify_frame(month({}), units.assign(head_id="h"), HANOI)
