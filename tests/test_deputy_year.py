"""A deputy's disqualifier reaches the year (NĐ 335/2025/NĐ-CP Điều 20 k4 d: embezzlement,
corruption or waste in the body a person holding a leadership or management post directly
manages makes the year KHT — heads **and deputies**). Audit 10: the month's results dropped
``manages_others``, so the year treated the deputy as ordinary staff and graded HTXS."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import evalkit

RS = evalkit.rules.get("vn.nd335-2025")
FULL = RS.full_marks()
LEAD = {"to_chuc_trien_khai": 100.0, "tap_hop_doan_ket": 100.0}
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def _year(bad_month: str | None, text: str | type) -> pd.DataFrame:
    rows = [{"staff_id": f"T{i}", "unit_id": "U", "period": p, "category": "cong_chuc", **FULL,
             "so_luong": 50.0, "manages_others": False, "corruption_in_unit": False}
            for i in range(10) for p in MONTHS]  # fmt: skip
    rows += [{"staff_id": "DEP", "unit_id": "U", "period": p, "category": "cong_chuc", **FULL,
              **LEAD, "manages_others": True, "corruption_in_unit": p == bad_month}
             for p in MONTHS]  # fmt: skip
    df = pd.DataFrame(rows)
    for c in ("staff_id", "unit_id", "period", "category"):
        df[c] = df[c].astype(text)
    return df


@pytest.mark.parametrize("text", [object, "str", "category"])
@pytest.mark.parametrize("bad_month", ["2026-01", "2026-05", "2026-12"])
def test_a_deputys_corruption_in_any_month_makes_the_year_kht(bad_month: str,
                                                              text: str | type) -> None:
    staff, units = evalkit.classify_frame(_year(bad_month, text), pd.DataFrame({"unit_id": ["U"]}))
    assert "manages_others" in staff.columns
    year = evalkit.classify_year(staff, units).set_index("staff_id")
    assert year.loc["DEP", "score_grade"] == "HTXS"  # the score alone would be excellent
    assert year.loc["DEP", "grade"] == "KHT"
    assert "disqualifier.corruption" in year.loc["DEP", "reasons"].split(";")
    rolled = evalkit.rollup_frame(staff).set_index("staff_id")
    assert rolled.loc["DEP", "grade"] == "KHT"


def test_without_the_finding_the_deputy_keeps_the_band() -> None:
    staff, units = evalkit.classify_frame(_year(None, object), pd.DataFrame({"unit_id": ["U"]}))
    year = evalkit.classify_year(staff, units).set_index("staff_id")
    assert year.loc["DEP", "grade"] == "HTXS"
    assert np.isclose(year.loc["DEP", "total"], 100.0)


def test_corruption_does_not_reach_ordinary_staff() -> None:
    """Điều 20 k4 d is about leaders: the mark typed for a member of staff is refused at the
    month (never dropped without a word, never a KHT), naming the person and the cell; a
    results frame that carries it anyway (an old archive) leaves the year at the band."""
    df = _year(None, object)
    df.loc[(df["staff_id"] == "T0") & (df["period"] == "2026-05"), "corruption_in_unit"] = True
    with pytest.raises(evalkit.errors.InputError) as exc:
        evalkit.classify_frame(df, pd.DataFrame({"unit_id": ["U"]}))
    (p,) = exc.value.problems
    assert (p.staff_id, p.column, p.row) == ("T0", "corruption_in_unit", 4)
    assert "Điều 20 k4 d" in str(p.message) and "manages_others" in str(p.message)
    staff, units = evalkit.classify_frame(_year(None, object), pd.DataFrame({"unit_id": ["U"]}))
    staff.loc[(staff["staff_id"] == "T0") & (staff["period"] == "2026-05"),
              "corruption_in_unit"] = True
    year = evalkit.classify_year(staff, units).set_index("staff_id")
    assert year.loc["T0", "grade"] == year.loc["T1", "grade"] != "KHT"
