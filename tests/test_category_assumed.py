"""A frame without a ``category`` column is classified as công chức (a Staff's default,
docs/organisation.md): the results say so in a ``category`` column at every door that
classifies (af66), as the objects door's results do; the year path too, from months or from
rows for the year, read back from CSV (pandas ``str``)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import evalkit

RS = evalkit.rules.get("vn.nd335-2025")


def _months(*ids: str, months: tuple[int, ...] = (1, 2, 3)) -> pd.DataFrame:
    """Every general criterion at its maximum (30) and tasks at 90 % (63): 93 each month."""
    top = {c.id: c.maximum for c in RS.criteria() if c.group == "general"}
    return pd.DataFrame([{"staff_id": sid, "period": f"2026-{m:02d}", "unit_id": "U", **top,
                          "so_luong": 90, "chat_luong": 90, "tien_do": 90}
                         for m in months for sid in ids])  # fmt: skip


def _csv(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(frame.to_csv(index=False)))


@pytest.mark.parametrize("read_back", [False, True])
def test_classify_frame_says_the_category_it_assumed(read_back: bool) -> None:
    frame = _months("A", "B", months=(3,))
    staff, _ = evalkit.classify_frame(_csv(frame) if read_back else frame,
                                      pd.DataFrame({"unit_id": ["U"]}))  # fmt: skip
    assert staff["category"].astype(str).tolist() == ["cong_chuc", "cong_chuc"]
    assert staff["rule_set"].astype(str).tolist() == ["vn.nd335-2025"] * 2


def test_the_year_from_months_without_category_says_cong_chuc() -> None:
    """Months → classify_frame → classify_year, and months given straight to classify_year."""
    months = _months("A", "B")
    staff, units = evalkit.classify_frame(months, pd.DataFrame({"unit_id": ["U"]}))
    bare = staff[["staff_id", "period", "unit_id", "total", "grade"]]  # a hand-made file
    for given in (staff, _csv(staff), _csv(bare)):
        year = evalkit.classify_year(given, None if given is not staff else units)
        assert year["category"].astype(str).tolist() == ["cong_chuc", "cong_chuc"]
        assert year["rule_set"].astype(str).tolist() == ["vn.nd335-2025"] * 2
        assert year["annual_total"].tolist() == [93.0, 93.0]


def test_rows_for_the_year_without_category_say_cong_chuc() -> None:
    year = pd.DataFrame({"staff_id": ["A", "B"], "period": "2026", "unit_id": "U",
                         "total": [95.0, 80.0], "grade": ["HTXS", "HTT"]})  # fmt: skip
    out = evalkit.classify_year(_csv(year))
    assert out["category"].astype(str).tolist() == ["cong_chuc", "cong_chuc"]


def test_a_named_rule_set_assumes_no_category() -> None:
    """A set named for everyone (or a ``rule_set`` column) says nothing of the category."""
    frame = _months("A", months=(3,))
    staff, _ = evalkit.classify_frame(frame, pd.DataFrame({"unit_id": ["U"]}), RS)
    assert "category" not in staff.columns
    staff, _ = evalkit.classify_frame(frame.assign(rule_set=RS.id),
                                      pd.DataFrame({"unit_id": ["U"]}))  # fmt: skip
    assert "category" not in staff.columns


@pytest.mark.parametrize("typed", ["Công chức", "CÔNG CHỨC", "cong chuc", " cong_chuc "])
def test_the_results_say_the_category_as_read_not_as_typed(typed: str) -> None:
    """A category typed in Vietnamese words is read as công chức (NĐ 335/2025 applies), and
    the results say ``cong_chuc``, as the objects door's frames say a Staff's category, at
    the month and the year."""
    frame = _months("A", months=(3,)).assign(category=typed)
    staff, _ = evalkit.classify_frame(frame, pd.DataFrame({"unit_id": ["U"]}))
    assert staff["category"].astype(str).tolist() == ["cong_chuc"]
    year = evalkit.classify_year(_csv(staff.drop(columns="rule_set").assign(category=typed)))
    assert year["category"].astype(str).tolist() == ["cong_chuc"]
    rows = pd.DataFrame({"staff_id": ["A"], "period": "2026", "unit_id": "U", "total": [95.0],
                         "grade": ["HTXS"], "category": [typed]})  # fmt: skip
    assert evalkit.classify_year(rows)["category"].astype(str).tolist() == ["cong_chuc"]
