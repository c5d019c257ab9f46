"""The same staff-months give the same results whatever the dtypes of the frame (issue 13, part 4).

A frame reaches ``score_frame`` from Python objects, from ``pd.read_csv`` (pandas 3's ``str``
text columns), from Parquet, from Excel, or built by hand with nullable or categorical
columns. Each representation must give the totals, grades and reasons of the plain
``object`` frame: a reprimanded person is KHT whatever the dtype of ``discipline``.
"""

from __future__ import annotations

import importlib.util
import io
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules

RULE_SET = "vn.nd335-2025"
RS = evalkit.rules.get(RULE_SET)
PERIOD = "2026-03"  # NĐ 335/2025 is in force from 2026-01-01
#: The preset's criteria a person without management duties is scored on, with the event
#: counts; read from the preset so the test follows a change of the rule file.
CRITERIA = tuple(c for c in RS.criteria() if not c.management)
#: The management components (d, đ, e): typed for the heads only (a head holds a management
#: post, NĐ 335/2025/NĐ-CP Điều 15), at the values the rule set allows.
MGMT = tuple(c for c in RS.criteria() if c.management)
RESULT_COLUMNS = ["total", "score_grade", "grade", "reasons"]
YES_NO = ("degradation", "corruption_in_unit", "is_head")

HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None
HAS_OPENPYXL = importlib.util.find_spec("openpyxl") is not None

#: Ways of writing each discipline level: the number, Vietnamese labels, ids, English names.
SPELLINGS: dict[int, list[Any]] = {
    0: [0, "Không", "NONE", "none", "", None],
    1: [1, "REPRIMAND", "reprimand", "khien_trach", "Khiển trách", "KHIỂN TRÁCH"],
    2: [2, "WARNING", "canh_cao", "Cảnh cáo"],
    3: [3, "DEMOTION", "ha_bac_luong", "giang_chuc", "Hạ bậc lương", "Giáng chức"],
    4: [4, "REMOVAL", "cach_chuc", "Cách chức"],
    5: [5, "DISMISSAL", "buoc_thoi_viec", "Buộc thôi việc"],
}

TEXT_REPS = ["object", "str", "string[python]", "category"] + (
    ["string[pyarrow]"] if HAS_PYARROW else []
)
BOOL_REPS = ["bool", "boolean", "0-1", "x-blank"]
NUMBER_REPS = ["int64", "float64", "Int64", "Float64", "text"]
DISCIPLINE_REPS = ["as drawn", "text", "int64", "Int64", "float64"]


# =========================================================================== drawing


@st.composite
def staff_months(draw: st.DrawFn) -> tuple[pd.DataFrame, np.ndarray[Any, Any]]:
    """An object-dtype staff-month frame, and each row's discipline level."""
    n = draw(st.integers(1, 6))
    data: dict[str, Any] = {
        "staff_id": pd.Series([f"CC-{i:04d}" for i in range(1, n + 1)], dtype=object),
        "period": pd.Series([PERIOD] * n, dtype=object),
    }
    for c in CRITERIA:
        if c.unit == "count":  # events: mostly none
            score = st.one_of(st.just(0), st.integers(0, 3))
        else:  # half points up to the maximum, often the maximum (so every grade occurs)
            halves = [k / 2 for k in range(int(2 * c.maximum) + 1)
                      if c.unit != "percent" or k != 1]  # 0.5 %: refused as 50 % typed 0.5
            score = st.one_of(st.just(c.maximum), st.sampled_from(halves))
        values = draw(st.lists(score, min_size=n, max_size=n))
        whole = all(float(v).is_integer() for v in values)
        data[c.id] = pd.Series(values, dtype="int64" if whole else "float64")
    levels = draw(st.lists(st.one_of(st.just(0), st.integers(0, 5)), min_size=n, max_size=n))
    data["discipline"] = pd.Series(
        [draw(st.sampled_from(SPELLINGS[lvl])) for lvl in levels], dtype=object
    )
    for flag in YES_NO:
        flags = st.lists(st.booleans() if flag == "is_head" else st.sampled_from([False] * 3 + [True]),
                         min_size=n, max_size=n)  # fmt: skip
        data[flag] = pd.Series(draw(flags), dtype=bool)
    head = data["is_head"].to_numpy(dtype=bool)
    # the mark of corruption in the body one leads is a leader's (Điều 20 k4 d): on anyone
    # else it is refused (tests/test_leader_flags.py)
    data["corruption_in_unit"] = data["corruption_in_unit"] & data["is_head"]
    for c in MGMT:
        values = draw(st.lists(st.sampled_from(RS.management.values), min_size=n, max_size=n))
        data[c.id] = pd.Series(np.where(head, values, np.nan), dtype="float64")
    return pd.DataFrame(data), np.array(levels)


def _text(values: list[Any], rep: str) -> pd.Series:
    if rep == "object":
        return pd.Series(values, dtype=object)
    return pd.Series(values, dtype=rep)


def represent(
    df: pd.DataFrame,
    levels: np.ndarray[Any, Any],
    *,
    text: str,
    yes_no: str,
    number: str,
    disc: str,
    blanks: list[bool],
) -> pd.DataFrame:
    """The same staff-months with other dtypes (``blanks`` marks False cells left empty)."""
    out: dict[str, Any] = {
        "staff_id": _text(df["staff_id"].tolist(), text),
        "period": _text(df["period"].tolist(), text),
    }
    for c in CRITERIA:
        values = df[c.id]
        whole = bool((values == values.round()).all())
        if number == "text":  # whole numbers without '.0', some with spaces around
            typed = [str(int(v)) if float(v).is_integer() else str(v) for v in values]
            out[c.id] = _text([f" {t} " if i % 2 else t for i, t in enumerate(typed)], text)
        elif number in ("int64", "Int64") and not whole:  # half points need a float column
            out[c.id] = values.astype("float64" if number == "int64" else "Float64")
        else:
            out[c.id] = values.astype(number)
    for c in MGMT:  # blank for everyone but the heads: a float column
        out[c.id] = df[c.id].astype("float64")
    raw = df["discipline"].tolist()
    if disc == "as drawn" and text == "object":
        out["discipline"] = pd.Series(raw, dtype=object)
    elif disc == "as drawn":  # the ints become their text in a text column
        out["discipline"] = _text([None if v is None else str(v) for v in raw], text)
    elif disc == "text":
        out["discipline"] = _text([str(v) for v in levels], text)
    else:
        out["discipline"] = pd.Series(levels).astype(disc)
    for flag in YES_NO:
        truth = df[flag].tolist()
        empty = [b and not t for b, t in zip(blanks, truth, strict=True)]
        if yes_no == "bool":
            out[flag] = pd.Series(truth, dtype=bool)
        elif yes_no == "boolean":
            out[flag] = pd.Series(
                [pd.NA if e else t for e, t in zip(empty, truth, strict=True)], dtype="boolean"
            )
        elif yes_no == "0-1":
            out[flag] = pd.Series(truth).astype("int64")
        else:
            out[flag] = _text(
                ["x" if t else (None if e else "") for e, t in zip(empty, truth, strict=True)],
                text,
            )
    return pd.DataFrame(out)


def results(df: pd.DataFrame) -> dict[str, list[Any]]:
    """The scored columns compared across representations, as plain lists."""
    out = evalkit.score_frame(df, RULE_SET)[RESULT_COLUMNS]
    return {
        "total": out["total"].tolist(),
        "score_grade": out["score_grade"].astype(object).tolist(),
        "grade": out["grade"].astype(object).tolist(),
        "reasons": out["reasons"].astype(str).tolist(),
    }


def check_disqualifiers(
    df: pd.DataFrame, levels: np.ndarray[Any, Any], got: dict[str, Any]
) -> None:
    """NĐ 335/2025 Điều 20 k4 b-d, checked independently of the code under test."""
    kht = (
        (levels >= 1)
        | df["degradation"].to_numpy(dtype=bool)
        | (df["is_head"].to_numpy(dtype=bool) & df["corruption_in_unit"].to_numpy(dtype=bool))
    )
    for i in np.flatnonzero(kht):
        assert got["grade"][i] == "KHT", (i, df.iloc[i].to_dict(), got)
    for i in np.flatnonzero(levels >= 1):
        assert "disqualifier.discipline" in got["reasons"][i].split(";")


# =========================================================================== properties


@given(
    drawn=staff_months(),
    text=st.sampled_from(TEXT_REPS),
    yes_no=st.sampled_from(BOOL_REPS),
    number=st.sampled_from(NUMBER_REPS),
    disc=st.sampled_from(DISCIPLINE_REPS),
    blanks=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_every_representation_scores_like_the_object_frame(
    drawn: tuple[pd.DataFrame, np.ndarray[Any, Any]],
    text: str,
    yes_no: str,
    number: str,
    disc: str,
    blanks: list[bool],
) -> None:
    """object / str / string / category text, bool / boolean / 0-1 / x-blank flags and
    int / float / Int64 / Float64 / text numbers give identical totals, grades and reasons."""
    df, levels = drawn
    expected = results(df)
    check_disqualifiers(df, levels, expected)
    other = represent(
        df, levels, text=text, yes_no=yes_no, number=number, disc=disc, blanks=blanks[: len(df)]
    )
    assert results(other) == expected


@given(drawn=staff_months(), yes_no=st.sampled_from(BOOL_REPS))
def test_a_csv_round_trip_scores_like_the_object_frame(
    drawn: tuple[pd.DataFrame, np.ndarray[Any, Any]], yes_no: str
) -> None:
    """to_csv then read_csv (text comes back as pandas 3's str) changes no result."""
    df, levels = drawn
    expected = results(df)
    written = represent(
        df, levels, text="object", yes_no=yes_no, number="int64", disc="as drawn",
        blanks=[True] * len(df),
    )  # fmt: skip
    buf = io.StringIO()
    written.to_csv(buf, index=False)
    buf.seek(0)
    assert results(pd.read_csv(buf)) == expected


@pytest.mark.skipif(not HAS_PYARROW, reason="pyarrow is not installed")
@given(
    drawn=staff_months(),
    text=st.sampled_from([r for r in TEXT_REPS if r != "object"]),
    yes_no=st.sampled_from(BOOL_REPS),
    number=st.sampled_from(NUMBER_REPS),
)
def test_a_parquet_round_trip_scores_like_the_object_frame(
    drawn: tuple[pd.DataFrame, np.ndarray[Any, Any]], text: str, yes_no: str, number: str
) -> None:
    """to_parquet then read_parquet (pyarrow) changes no result, whatever was written."""
    df, levels = drawn
    expected = results(df)
    written = represent(
        df, levels, text=text, yes_no=yes_no, number=number, disc="as drawn",
        blanks=[True] * len(df),
    )  # fmt: skip
    buf = io.BytesIO()
    written.to_parquet(buf, engine="pyarrow", index=False)
    buf.seek(0)
    assert results(pd.read_parquet(buf, engine="pyarrow")) == expected


@pytest.mark.skipif(not HAS_OPENPYXL, reason="openpyxl is not installed")
@given(drawn=staff_months(), yes_no=st.sampled_from(BOOL_REPS), number=st.sampled_from(NUMBER_REPS))
def test_an_excel_round_trip_scores_like_the_object_frame(
    drawn: tuple[pd.DataFrame, np.ndarray[Any, Any]], yes_no: str, number: str
) -> None:
    """to_excel then read_excel (openpyxl) changes no result."""
    df, levels = drawn
    expected = results(df)
    written = represent(
        df, levels, text="object", yes_no=yes_no, number=number, disc="as drawn",
        blanks=[True] * len(df),
    )  # fmt: skip
    buf = io.BytesIO()
    written.to_excel(buf, index=False, engine="openpyxl")
    buf.seek(0)
    assert results(pd.read_excel(buf, engine="openpyxl")) == expected


# =========================================================================== regression

PERFECT = {c.id: (0 if c.unit == "count" else c.maximum) for c in CRITERIA}


#: (discipline column, how the reprimand is written): names in every text dtype, the
#: number in numeric dtypes.
REPRIMANDS = [
    *[
        (rep, spelling)
        for rep in TEXT_REPS
        for spelling in ("REPRIMAND", "khien_trach", "Khiển trách", "1")
    ],
    *[(rep, 1) for rep in ("object", "int64", "int8", "Int64", "float64", "Float64")],
]


@pytest.mark.parametrize(("dtype", "spelling"), REPRIMANDS)
def test_a_reprimanded_person_is_kht_whatever_the_dtype(dtype: str, spelling: Any) -> None:
    """Issue 13: names in a str discipline column were read as 0, grading a reprimanded
    person HTXS; NĐ 335/2025 Điều 20 k4 c makes them KHT."""
    if isinstance(spelling, int):
        column = pd.Series([0, spelling], dtype=object if dtype == "object" else dtype)
    elif dtype == "object":
        column = pd.Series([0, spelling], dtype=object)
    else:
        column = pd.Series(["0", spelling], dtype=dtype)
    df = pd.DataFrame({"staff_id": ["CC-1", "CC-2"], **PERFECT, "discipline": column})
    out = evalkit.score_frame(df, RULE_SET)
    assert out["total"].tolist() == [100.0, 100.0]
    assert out["grade"].astype(object).tolist() == ["HTXS", "KHT"]
    assert out["reasons"].astype(str).tolist() == ["", "disqualifier.discipline"]


@pytest.mark.parametrize(("dtype", "spelling"), REPRIMANDS)
def test_a_reprimanded_leader_is_kht_in_the_month_and_the_year(dtype: str,
                                                               spelling: Any) -> None:  # fmt: skip
    """The same through classify_frame and classify_year (the engine reads the discipline
    column for the unit's conditions too: QĐ 366-QĐ/TW Điều 11 k1): a reprimanded head
    is KHT for the month and the year, the colleague is not."""
    if isinstance(spelling, int):
        column = pd.Series([spelling, 0], dtype=object if dtype == "object" else dtype)
    elif dtype == "object":
        column = pd.Series([spelling, 0], dtype=object)
    else:
        column = pd.Series([spelling, "0"], dtype=dtype)
    lead = RS.full_marks(manages_others=True)
    df = pd.DataFrame({"staff_id": ["H", "A"], "unit_id": "U", "period": "2026-12",
                       "category": "cong_chuc", "manages_others": [True, False],
                       **{k: [v, v if k in RS.full_marks() else None]  # A: no d, đ, e
                          for k, v in lead.items()},
                       "discipline": column})  # fmt: skip
    units = pd.DataFrame({"unit_id": ["U"], "head_id": ["H"], "tasks_assigned": [10],
                          "tasks_done": [10]})  # fmt: skip
    staff, unit_results = evalkit.classify_frame(df, units)
    assert staff["grade"].astype(str).tolist()[0] == "KHT"
    assert "disqualifier.discipline" in str(staff["reasons"].iloc[0])
    year = evalkit.classify_year(staff, unit_results)  # the results keep the flags
    assert year.set_index("staff_id")["annual_grade"].astype(str)["H"] == "KHT"
    assert year.set_index("staff_id")["annual_grade"].astype(str)["A"] != "KHT"


def test_a_misspelt_discipline_is_reported_not_read_as_none() -> None:
    """An unknown discipline name stops scoring with its row, staff id and value."""
    df = pd.DataFrame(
        {**{k: [v, v] for k, v in PERFECT.items()}, "discipline": ["REPRIMAND", "reprimnd"]},
        index=pd.Index(["CC-1", "CC-2"], name="staff_id"),
    )
    with pytest.raises(evalkit.InputError) as info:
        evalkit.score_frame(df, RULE_SET)
    [problem] = info.value.problems
    assert (problem.row, problem.staff_id, problem.column, problem.value) == (
        "CC-2", "CC-2", "discipline", "reprimnd",
    )  # fmt: skip


def test_a_yes_no_word_that_is_no_is_not_read_as_yes() -> None:
    """'không' and 'False' text used to be truthy (astype(bool)); they mean no."""
    df = pd.DataFrame(
        {
            "staff_id": ["CC-1", "CC-2", "CC-3"],
            **{k: [v] * 3 for k, v in PERFECT.items()},
            "degradation": pd.Series(["không", "False", "có"], dtype="str"),
        }
    )
    out = evalkit.score_frame(df, RULE_SET)
    assert out["grade"].astype(object).tolist() == ["HTXS", "HTXS", "KHT"]


@pytest.mark.parametrize("dtype", ["object", "str"])
def test_text_in_a_score_cell_is_one_problem_not_also_a_blank(dtype: str) -> None:
    """'abc' and '85 pts' in a score cell are each reported once as not a number (with their
    row label and value), never again as a criterion without a score; a blank cell is."""
    crit = CRITERIA[0].id
    index = pd.Index(["CC-1", "CC-2", "CC-3", "CC-4"], name="staff_id")
    df = pd.DataFrame({**{k: [v] * 4 for k, v in PERFECT.items()},
                       crit: pd.Series(["abc", "85 pts", None, "4"], dtype=dtype, index=index)},
                      index=index)  # fmt: skip
    with pytest.raises(evalkit.InputError) as info:
        evalkit.score_frame(df, RULE_SET)
    got = {(p.row, p.staff_id, str(p.value), p.message.split(":")[-1].strip())
           for p in info.value.problems}
    assert got == {("CC-1", "CC-1", "abc", "is not a number"),
                   ("CC-2", "CC-2", "85 pts", "is not a number"),
                   ("CC-3", "CC-3", "None", f"criterion {crit!r} has no score")}  # fmt: skip
