"""The year's inputs in every dtype (audit af33): the months' results, the units' results
and the competent level's conclusions give the same year whatever their dtypes, and the
doors beside the year (``rank_units``, ``explain``, ``results_from_frame``,
``quota_report``) read numbers and yes/no cells as every door does
(:mod:`evalkit._columns`).

A classified month reaches the year from memory, from ``pd.read_csv`` (pandas 3's ``str``,
numbers as ``int64``/``float64``; with ``dtype=str`` every cell text — the way to keep an id
``007``), from Parquet or Excel, or from another system with nullable, categorical, Arrow
or float32 columns. The expectations are computed by hand from NĐ 335/2025/NĐ-CP (Điều 20,
21) and the preset's half-up rounding to the cent, or are the in-memory frames' year.
"""

from __future__ import annotations

import importlib.util
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
from evalkit.errors import InputError
from evalkit.io.results import write_results_csv, write_results_xlsx
from evalkit.reasons import explain
from evalkit.units import (
    classify_frame,
    classify_year,
    quota_report,
    rank_units,
    results_from_frame,
    rollup_frame,
)
from tests.strategies import organisation_periods

RULE_SET = "vn.nd335-2025"
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
#: The sets the properties' years are drawn under: NĐ 335 (công chức, 2026),
#: NĐ 233 (viên chức from 2026-07), customs (CV 21169: months made into quarters, the year
#: counted from them), Hà Nội (QĐ 3814, monthly) and NĐ 90 (viên chức, 2025: six months).
YEAR_SETS = {RULE_SET: MONTHS, "vn.nd233-2026": MONTHS[6:], "vn.customs-2026q": MONTHS[6:],
             "hanoi.3814-2018": MONTHS, "vn.nd90-2020": [f"2025-{m:02d}" for m in range(1, 13)]}
Year = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, str]
HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None
HAS_OPENPYXL = importlib.util.find_spec("openpyxl") is not None
FLOAT32 = ["float32", "Float32"] + (["float[pyarrow]"] if HAS_PYARROW else [])


def half_up(x: str) -> float:
    """A decimal text rounded half-up to the cent, in exact decimal arithmetic."""
    return float(Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# =========================================================================== by hand


@pytest.mark.parametrize("dtype", FLOAT32)
def test_a_float32_total_is_the_number_it_shows(dtype: str) -> None:
    """Months 89.99 and 90.00: the mean 89.995 is 90.00 half-up to the cent, in the HTXS band
    (≥ 90, Điều 20 k1; alone in the unit, the quota of k5 a then leaves none). A float32 holds 89.99 as 89.98999786, whose mean would round to 89.99 (HTT)."""
    mean = half_up(str((Decimal("89.99") + Decimal("90.00")) / 2))
    assert mean == 90.0
    months = pd.DataFrame({"staff_id": ["A", "A"], "period": ["2026-01", "2026-02"],
                           "total": pd.Series([89.99, 90.0], dtype=dtype)})  # fmt: skip
    for out in (rollup_frame(months, RULE_SET), classify_year(months, None, RULE_SET)):
        assert out[["total", "score_grade"]].values.tolist() == [[mean, "HTXS"]]
    objects = months.assign(total=pd.Series(list(np.array([89.99, 90.0], np.float32)),
                                            dtype=object))  # fmt: skip
    assert rollup_frame(objects, RULE_SET)["grade"].tolist() == ["HTXS"]


def test_rank_units_reads_its_figures_as_every_door() -> None:
    """``"91,5"`` is 91.5 (the Vietnamese decimal comma) and ranks first; a float32 89.995 is
    published 90.00 (half-up) above 89.99; ``"9l"`` is refused with its row, column and value,
    never left out of the ranking as a blank."""
    u = pd.DataFrame({"unit_id": ["A", "B"], "period": "2026-03", "score": ["91,5", "90"]})
    assert rank_units(u)[["unit_id", "points", "rank"]].values.tolist() == [
        ["A", 91.5, 1], ["B", 90.0, 2]]
    f32 = u.assign(score=np.array([89.995, 89.99], dtype=np.float32))
    assert rank_units(f32)[["unit_id", "points", "rank"]].values.tolist() == [
        ["A", 90.0, 1], ["B", 89.99, 2]]
    with pytest.raises(InputError) as err:
        rank_units(u.assign(score=["9l", "90"]))
    (p,) = err.value.problems
    assert (p.row, p.column, p.value) == (0, "score", "9l")


def _seven() -> pd.DataFrame:
    """Seven people of one unit for 2026: 95, 93 and five 80s. HTXS may not exceed 20 % of
    those rated HTT (Điều 20 k5 a): 20 % of 5 = 1, so B (93, second) is demoted to HTT."""
    sy = pd.DataFrame({"staff_id": list("ABCDEFG"), "period": "2026-12", "unit_id": "U",
                       "rule_set": RULE_SET, "total": [95.0, 93.0] + [80.0] * 5})  # fmt: skip
    return classify_year(sy)


def test_rows_already_for_the_year_read_back_as_text_give_number_totals() -> None:
    """The year's rows given again (read back with ``dtype=str``): ``"95"`` is the total 95.0
    in ``total`` and ``annual_total``, as from numbers; A (95) stays HTXS, B (93) is demoted
    (20 % of the five HTT at 80 is 1, Điều 20 k5 a)."""
    year = _seven()
    rows = year[["staff_id", "period", "unit_id", "rule_set", "total", "grade"]]
    text = rows.astype(str).assign(total=["95", "93"] + ["80"] * 5)
    for out in (classify_year(rows), classify_year(text)):
        assert out["annual_total"].tolist() == [95.0, 93.0] + [80.0] * 5
        assert out["total"].dtype == np.float64
        assert out["grade"].astype(str).tolist()[:2] == ["HTXS", "HTT"]

def _csv(frame: pd.DataFrame, tmp_path: Path, **read: Any) -> pd.DataFrame:
    write_results_csv(frame, tmp_path / "r.csv")
    return pd.read_csv(tmp_path / "r.csv", **read)


def test_the_year_read_back_as_text_explains_and_reports_the_same(tmp_path: Path) -> None:
    """Read back with ``dtype=str`` (every cell text): ``quota_raised`` ``"False"`` is no, so
    B's sentence cites Điều 20 k5 a (not k5 b, the raised quota); the quota report counts
    ``"1"`` and ``"2"`` as numbers: cap 1, 2 candidates, B demoted."""
    year = _seven()
    back = _csv(year, tmp_path, dtype=str)
    said = explain(back).tolist()
    assert said == explain(year).tolist()
    assert said[1][-1].endswith("(NĐ 335/2025/NĐ-CP, Điều 20 k5 a)")
    report = quota_report(back)
    assert report[["cap", "candidates", "kept", "demoted", "demoted_ids"]].values.tolist() == [
        [1, 2, 1, 1, "B"]]
    assert report.astype(str).values.tolist() == quota_report(year).astype(str).values.tolist()


def test_a_total_typed_as_text_is_read_or_refused_by_its_row() -> None:
    """``"88,5"`` is 88.5 (HTT: 70 to < 90, Điều 20 k2) in ``results_from_frame`` and
    ``explain``; ``"9l"`` is refused with its row, column and value (not a bare ValueError)."""
    rows = pd.DataFrame({"staff_id": ["A", "B"], "rule_set": RULE_SET, "period": "2026",
                         "total": ["95", "88,5"], "score_grade": ["HTXS", "HTT"],
                         "grade": ["HTXS", "HTT"], "reasons": "rollup.average",
                         "months": 12})  # fmt: skip
    numbers = rows.assign(total=[95.0, 88.5])
    assert [r.total for r in results_from_frame(rows)] == [95.0, 88.5]
    assert explain(rows).tolist() == explain(numbers).tolist()
    assert "Tổng điểm 88,5 thuộc mức" in explain(rows)[1][0]  # the figure as its cell prints it
    for door in (explain, results_from_frame):
        with pytest.raises(InputError) as err:
            door(rows.assign(total=["95", "9l"]))
        (p,) = err.value.problems
        assert (p.row, p.column, p.value) == (1, "total", "9l")


# =========================================================================== properties

TEXT_REPS = ["object", "str", "string[python]", "category"] + (
    ["string[pyarrow]"] if HAS_PYARROW else [])  # fmt: skip
STAFF_TEXT = ("staff_id", "period", "unit_id", "rule_set", "score_grade", "proposed_grade",
              "grade", "unit_grade", "reasons", "leave", "duty_group", "competent_grade",
              "competent_reason", "category", "effective_manager_id")  # fmt: skip
UNIT_TEXT = ("unit_id", "period", "rule_set", "parent_id", "head_id", "score_grade", "grade",
             "reasons")  # fmt: skip
STAFF_FLAGS = ("is_head", "manages_others", "classified", "degradation", "corruption_in_unit",
               "party_discipline", "discipline_related_to_duty")  # fmt: skip
UNIT_FLAGS = ("exceptional", "late_work", "classified", "disciplined")
UNIT_NUMBERS = ("score", "computed_score", "self_score", "council_score", "tasks_percent",
                "done_percent", "exceeded_percent", "tasks_assigned", "tasks_done",
                "tasks_exceeded", "inspection_points")  # fmt: skip
YES_NO = {"boolean": None, "0-1": None, "x-blank": ("x", ""), "có-không": ("có", "không")}
NUMBERS = ["Float64", "float32", "text", "text with comma"]
ROUND_TRIPS = ["csv", "csv as text"] + (["parquet"] if HAS_PYARROW else []) + (
    ["excel"] if HAS_OPENPYXL else [])  # fmt: skip


def _blank(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def _texts(col: pd.Series, rep: str) -> pd.Series:
    values = [None if _blank(v) else str(v) for v in col.astype(object).tolist()]
    return pd.Series(values, index=col.index, dtype=object if rep == "object" else rep)


def _yes_no(col: pd.Series, rep: str) -> pd.Series:
    if rep == "boolean":
        return col.astype("boolean")
    if rep == "0-1":
        return col.astype("Float64").astype("Int64")
    yes, no = YES_NO[rep] or ("", "")
    return pd.Series([None if _blank(v) else (yes if v else no) for v in col.astype(object)],
                     index=col.index, dtype=object)  # fmt: skip


def _numbers(col: pd.Series, rep: str) -> pd.Series:
    v = col.astype("float64")
    if rep in ("Float64", "float32"):
        return v.astype(rep)
    text = [None if np.isnan(x) else repr(float(x)) for x in v]
    return pd.Series([t and t.replace(".", ",") if rep == "text with comma" else t
                      for t in text], index=col.index, dtype=object)  # fmt: skip


def represent(sr: pd.DataFrame, ur: pd.DataFrame, conc: pd.DataFrame, text: str, yes_no: str,
              number: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """The same months, units and conclusions with other dtypes."""
    s, u, c = sr.copy(), ur.copy(), conc.copy()
    for frame, texts, flags in ((s, STAFF_TEXT, STAFF_FLAGS), (u, UNIT_TEXT, UNIT_FLAGS),
                                (c, ("staff_id", "competent_grade", "competent_reason"), ())):
        for col in (x for x in texts if x in frame.columns):
            frame[col] = _texts(frame[col], text)
        for col in (x for x in flags if x in frame.columns):
            frame[col] = _yes_no(frame[col], yes_no)
    for col in ("total", "months_worked", *(x for x in s.columns if x.startswith("points_"))):
        if col in s.columns and number != "float32":  # float32 for the totals only: a
            s[col] = _numbers(s[col], number)  # point block's 64.1666… has no float32 twin
    if number == "float32":
        s["total"] = _numbers(s["total"], number)
    for col in (x for x in UNIT_NUMBERS if x in u.columns):
        u[col] = _numbers(u[col], number)
    c["competent_order"] = (c["competent_order"].astype("Int64") if number != "text"
                            else c["competent_order"].map(lambda x: str(int(x))))  # fmt: skip
    return s, u, c


def round_trip(frame: pd.DataFrame, how: str) -> pd.DataFrame:
    """``frame`` written by evalkit's writers (Parquet: pandas') and read with pandas."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r"
        if how.startswith("csv"):
            write_results_csv(frame, path)
            return pd.read_csv(path, index_col=0, **({"dtype": str} if how == "csv as text"
                                                       else {}))  # fmt: skip
        if how == "parquet":
            frame.to_parquet(path)
            return pd.read_parquet(path)
        write_results_xlsx(frame, path)
        return pd.read_excel(path, index_col=0)


@st.composite
def year_inputs(draw: st.DrawFn) -> Year:
    """Up to three classified months of a random organisation (leave, deputies, duty groups,
    monthly conclusions), their unit results, and up to three annual conclusions."""
    name = draw(st.sampled_from(list(YEAR_SETS)))
    rs = evalkit.rules.get(name)
    _org, months = draw(organisation_periods(rs, YEAR_SETS[name], max_units=3,
                                             max_staff_per_unit=3,
                                             max_periods=3, extras=True))  # fmt: skip
    parts = [classify_frame(sm, units, rs) for sm, units in months]
    sr = pd.concat([p[0] for p in parts], ignore_index=True)
    ur = pd.concat([p[1] for p in parts], ignore_index=True)
    who = draw(st.lists(st.sampled_from(sorted(set(sr["staff_id"].astype(str)))), unique=True,
                        max_size=3))  # fmt: skip
    grade = [draw(st.sampled_from(["HTXS", "HTT", "HT", "KHT"])) for _ in who]
    conc = pd.DataFrame({"staff_id": pd.Series(who, dtype=object),
                         "competent_grade": pd.Series(grade, dtype=object),
                         "competent_reason": pd.Series([f"Kết luận {g}" for g in grade],
                                                       dtype=object),
                         "competent_order": np.arange(1.0, len(who) + 1)})  # fmt: skip
    return sr, ur, conc, name


def the_year(sr: pd.DataFrame, ur: pd.DataFrame, conc: pd.DataFrame, name: str) -> list[Any]:
    """The year (with the head cap, the unit's grade, the conclusions and the quota), its
    sentences, and the roll-up alone, as plain values."""
    year = classify_year(sr, ur, name, conclusions=conc)
    cols = ["staff_id", "period", "unit_id", "months", "total", "score_grade", "proposed_grade",
            "grade", "unit_grade", "classified", "reasons"]  # fmt: skip
    rolled = rollup_frame(sr, name)[["staff_id", "total", "grade", "reasons"]]

    def plain(frame: pd.DataFrame) -> list[list[Any]]:
        return [[None if _blank(v) else round(v, 9) if isinstance(v, float) else
                 v if isinstance(v, bool | np.bool_) else str(v) for v in row]
                for row in frame.astype(object).values.tolist()]  # fmt: skip

    return [plain(year[cols]), explain(year).tolist(), plain(rolled)]


@settings(max_examples=max(1, settings.default.max_examples // 4), deadline=None)
@given(data=year_inputs(), text=st.sampled_from(TEXT_REPS),
       yes_no=st.sampled_from(list(YES_NO)), number=st.sampled_from(NUMBERS))  # fmt: skip
def test_every_representation_gives_the_same_year(
    data: Year, text: str, yes_no: str, number: str
) -> None:
    """Text as object/str/string/Arrow/category, yes/no as boolean/0-1/x/có, numbers as
    Float64/float32/text/text with a decimal comma, ``competent_order`` as Int64 or "2":
    ``classify_year`` (with unit results and conclusions) and ``rollup_frame`` give the year
    of the frames as :func:`classify_frame` returns them."""
    sr, ur, conc, name = data
    assert the_year(*represent(sr, ur, conc, text, yes_no, number), name) == the_year(*data)


@settings(max_examples=max(1, settings.default.max_examples // 5), deadline=None)
@given(data=year_inputs(), how=st.sampled_from(ROUND_TRIPS))
def test_a_round_trip_gives_the_same_year(
    data: Year, how: str
) -> None:
    """The months and units written (CSV, Excel as evalkit writes them; Parquet) and read
    back with pandas' defaults (or every cell as text, the way to keep an id ``007``): the
    same year, head caps, quota and sentences."""
    sr, ur, conc, name = data
    back = round_trip(sr, how), round_trip(ur, how)
    assert the_year(*back, conc, name) == the_year(*data)
