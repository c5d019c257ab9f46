"""The year's quota tie-break counts the year's deductions (domain brief §4.6).

Among quota candidates: total, then task results, then *fewer deductions*, then the
competent level's order. The month reads the deduction inputs (the adjustments' event
counts such as ``loi_chat_luong``) from its input; the year must see them too:
:func:`evalkit.classify_frame` keeps them and the roll-up sums them over the year.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit.units import classify_frame, classify_year, rollup_frame

RS = "vn.nd335-2025"
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def _months(erring: str, clean: str) -> pd.DataFrame:
    """Two HTXS candidates with the same totals and task points every month: ``erring``
    has one major quality error a month (quality 100 → 75 after the deduction), ``clean``
    none (its progress typed 75 instead); five HTT, so the year's HTXS cap is 1."""
    top = evalkit.rules.get(RS).full_marks()
    rows: list[dict[str, Any]] = []
    for p in MONTHS:
        base = {"unit_id": "U", "period": p, "category": "cong_chuc", **top}
        rows.append({**base, "staff_id": erring, "chat_luong": 100, "loi_chat_luong": 1})
        rows.append({**base, "staff_id": clean, "chat_luong": 100, "loi_chat_luong": 0,
                     "tien_do": 75})  # fmt: skip
        rows += [{**base, "staff_id": f"G{i}", "so_luong": 80, "chat_luong": 80,
                  "tien_do": 80} for i in range(5)]  # fmt: skip
    return pd.DataFrame(rows)


def _grades(year: pd.DataFrame) -> dict[str, str]:
    return dict(zip(year["staff_id"].astype(str), year["grade"].astype(str), strict=True))


@pytest.mark.parametrize(("erring", "clean"), [("A", "B"), ("B", "A"), ("Z", "B"),
                                               ("B", "Z"), ("S01", "S10")])  # fmt: skip
def test_year_quota_keeps_the_candidate_with_fewer_deductions(erring: str, clean: str) -> None:
    """Equal year totals and task points: the one without errors keeps HTXS, whatever
    the ids (the staff id is the last key, never before fewer deductions)."""
    staff, unit = classify_frame(_months(erring, clean), pd.DataFrame({"unit_id": ["U"]}))
    first = staff[staff["period"].astype(str) == MONTHS[0]].set_index("staff_id")
    assert first.loc[erring, "total"] == first.loc[clean, "total"]
    assert first.loc[erring, "points_tasks"] == first.loc[clean, "points_tasks"]
    year = classify_year(staff, unit)
    got = _grades(year)
    assert got[clean] == "HTXS"
    assert got[erring] == "HTT"
    y = year.set_index("staff_id")
    assert y.loc[erring, "reasons"].endswith("quota.demoted")
    assert (y.loc[clean, "quota_rank"], y.loc[erring, "quota_rank"]) == (1, 2)
    assert y.loc[erring, "loi_chat_luong"] == 12.0
    assert y.loc[clean, "loi_chat_luong"] == 0.0


def test_classify_frame_keeps_the_deduction_inputs_as_read() -> None:
    """The staff results carry the deduction inputs the input has (floats, blanks NaN);
    one the input lacks is not made up."""
    sm = _months("A", "B")
    sm = sm[sm["period"] == MONTHS[0]].reset_index(drop=True)
    sm["loi_chat_luong"] = sm["loi_chat_luong"].astype(object)
    sm.loc[sm["staff_id"] == "G0", "loi_chat_luong"] = "2"  # text typed in a number cell
    staff, _ = classify_frame(sm, pd.DataFrame({"unit_id": ["U"]}))
    assert staff["loi_chat_luong"].dtype == np.float64
    got = dict(zip(staff["staff_id"], staff["loi_chat_luong"], strict=True))
    assert got["A"] == 1.0 and got["B"] == 0.0 and got["G0"] == 2.0
    assert all(np.isnan(got[f"G{i}"]) for i in range(1, 5))  # blank: NaN
    assert "cham_tien_do" not in staff.columns
    assert list(staff.index) == list(sm.index)


def _results(erring: str, clean: str, **extra: list[Any]) -> pd.DataFrame:
    """Months already scored (as an archive or another engine gives them): the two
    candidates tie on total and task points; five at HTT."""
    rows: list[dict[str, Any]] = []
    for p in MONTHS:
        rows.append({"staff_id": erring, "loi_chat_luong": 1, "cham_tien_do": 1})
        rows.append({"staff_id": clean, "loi_chat_luong": 0, "cham_tien_do": np.nan})
        rows += [{"staff_id": f"G{i}", "total": 86.0, "points_tasks": 56.0}
                 for i in range(5)]  # fmt: skip
        for r in rows[-7:]:
            r.update(period=p, unit_id="U", rule_set=RS)
            r.setdefault("total", 95.0)
            r.setdefault("points_tasks", 65.0)
    out = pd.DataFrame(rows)
    return out.assign(**extra) if extra else out


@pytest.mark.parametrize(("erring", "clean"), [("A", "B"), ("Z", "B"), ("B", "Z")])
def test_rollup_sums_the_deductions_and_the_year_breaks_ties_on_them(erring: str,
                                                                      clean: str) -> None:  # fmt: skip
    """rollup_frame sums each deduction input over the evaluated months (NaN where no
    month gives one); classify_year keeps the candidate with fewer deductions."""
    months = _results(erring, clean)
    # a month without a score does not count: its errors are not the year's
    months.loc[(months["staff_id"] == clean) & (months["period"] == MONTHS[-1]),
               ["total", "points_tasks", "loi_chat_luong"]] = [np.nan, np.nan, 9]  # fmt: skip
    months.loc[(months["staff_id"] == erring) & (months["period"] == MONTHS[-1]),
               ["total", "points_tasks"]] = [np.nan, np.nan]  # fmt: skip
    year = rollup_frame(months).set_index("staff_id")
    assert year.loc[erring, "loi_chat_luong"] == 11.0
    assert year.loc[erring, "cham_tien_do"] == 11.0
    assert year.loc[clean, "loi_chat_luong"] == 0.0
    assert np.isnan(year.loc[clean, "cham_tien_do"])
    assert np.isnan(year.loc["G0", "loi_chat_luong"])
    assert year.loc[erring, "total"] == year.loc[clean, "total"] == 95.0
    got = _grades(classify_year(months))
    assert (got[clean], got[erring]) == ("HTXS", "HTT")


def test_the_year_counts_only_the_inputs_a_rule_set_counts() -> None:
    """A column no rule set in play deducts is not summed; one the rule set counts is."""
    months = _results("A", "B").assign(ghi_chu=1.0)
    year = rollup_frame(months)
    assert "ghi_chu" not in year.columns
    assert {"loi_chat_luong", "cham_tien_do"} <= set(year.columns)


@pytest.mark.parametrize(("erring", "clean"), [("A", "B"), ("Z", "B")])
def test_the_archives_year_breaks_the_tie_as_classify_year_does(
        tmp_path: Any, erring: str, clean: str) -> None:  # fmt: skip
    """The archive's annual reads the tied candidates' task points and deduction counts
    from the months' documents (checked against their seals): the same answer as
    classify_year on the frames, whatever the ids."""
    from evalkit.io.archive import Archive
    from evalkit.units import classify_frame, classify_year

    sm = _months(erring, clean)
    units = pd.DataFrame({"unit_id": ["U"], "parent_id": pd.Series([None], dtype=object),
                          "head_id": pd.Series([None], dtype=object)})  # fmt: skip
    with Archive(tmp_path / "a.sqlite") as archive:
        for p in MONTHS:
            part = sm[sm["period"] == p].reset_index(drop=True)
            out, unit = classify_frame(part, units, RS)
            res = pd.concat([part, out[[c for c in out.columns if c not in part.columns]]],
                            axis=1)  # fmt: skip
            archive.finalize(res, by="t", units=unit, unit_inputs=units)
        annual = archive.annual(2026).set_index("staff_id")
    staff, unit = classify_frame(sm, units, RS)
    direct = classify_year(staff, unit).set_index("staff_id")
    assert direct.loc[[erring, clean], "grade"].tolist() == ["HTT", "HTXS"]
    assert annual.loc[[erring, clean], "annual_grade"].tolist() == ["HTT", "HTXS"]
    assert annual.loc[erring, "reasons"] == direct.loc[erring, "reasons"]
