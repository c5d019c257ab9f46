"""Reading input columns of any dtype, with every bad cell located (issue 13, part 4)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import unicodedata
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

from evalkit import _columns as cols
from evalkit.errors import InputError, InputProblem
from evalkit.scoring import GRADE_DTYPE

HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None

#: Every way a text column may arrive: Python objects, pandas 3's ``str``, the two
#: ``string`` storages and a categorical.
TEXT_DTYPES: list[Any] = [
    pytest.param(object, id="object"),
    pytest.param("str", id="str"),
    pytest.param("string[python]", id="string-python"),
    pytest.param(
        "string[pyarrow]",
        id="string-pyarrow",
        marks=pytest.mark.skipif(not HAS_PYARROW, reason="pyarrow is not installed"),
    ),
    pytest.param("category", id="category"),
]

#: the catalogue's one sentence for a discipline no door reads (``foreign.discipline``)
ACCEPTED_DISCIPLINE = (
    "is not a discipline level 0 to 5 (0 none, 1 khiển trách, 2 cảnh cáo, 3 hạ bậc "
    "lương/giáng chức, 4 cách chức, 5 buộc thôi việc)"
)
#: the catalogue's one sentence for a grade no door reads (``foreign.grade``)
ACCEPTED_GRADE = (
    "is not a grade: write HTXS, HTT, HT, KHT, its full name or a number from 0 (KHT) to 3 "
    "(HTXS)"
)


def frame(name: str, values: list[Any], dtype: Any = object, **more: list[Any]) -> pd.DataFrame:
    """A one-column frame (plus ``more``) with ``values`` in ``dtype``."""
    data: dict[str, Any] = {name: pd.Series(values, dtype=dtype)}
    data.update({k: pd.Series(v, dtype=object) for k, v in more.items()})
    return pd.DataFrame(data)


def located(found: cols.Problems) -> list[tuple[Any, str | None, Any, str]]:
    """(row, column, value, message) of each problem, in row order."""
    return [(p.row, p.column, p.value, p.message) for p in found.in_order()]


def same(actual: np.ndarray[Any, Any], expected: list[Any]) -> bool:
    """Element-wise equality that treats NaN as equal to NaN."""
    return bool(
        len(actual) == len(expected)
        and all(
            (isinstance(e, float) and np.isnan(e) and np.isnan(a)) or a == e
            for a, e in zip(actual.tolist(), expected, strict=True)
        )
    )


# =========================================================================== Problems


class TestProblems:
    def test_an_integer_row_label_is_shifted_by_the_row_offset(self) -> None:
        """Index 0 of a sheet read below its header is row 2 of the sheet."""
        df = pd.DataFrame({"staff_id": ["A", "B"], "kpi": [1, 2]})
        found = cols.Problems(df, file="in.xlsx", sheet="Điểm", row_offset=2)
        found.add(np.array([False, True]), "kpi", df["kpi"], "is wrong")
        assert found.problems == [
            InputProblem("is wrong", "in.xlsx", "Điểm", 3, "kpi", 2, staff_id="B")
        ]

    def test_a_staff_id_index_is_the_row_and_the_staff(self) -> None:
        """A frame indexed by staff_id shows the label as the row and as the staff id."""
        df = pd.DataFrame({"kpi": [1, 2]}, index=pd.Index(["CC-1", "CC-2"], name="staff_id"))
        found = cols.Problems(df, row_offset=5)
        found.add(np.array([True, False]), "kpi", df["kpi"], "is wrong")
        assert str(found.problems[0]) == "row 'CC-1', staff 'CC-1', column 'kpi', value 1: is wrong"

    def test_the_staff_id_column_wins_over_an_unnamed_string_index(self) -> None:
        """A string index that is not named staff_id is the row; the column is the staff."""
        df = pd.DataFrame({"staff_id": ["A", "B"], "kpi": [1, 2]}, index=["r1", "r2"])
        found = cols.Problems(df)
        found.add(np.array([False, True]), "kpi", df["kpi"], "is wrong")
        assert (found.problems[0].row, found.problems[0].staff_id) == ("r2", "B")

    def test_a_frame_without_ids_has_no_staff(self) -> None:
        """Without a staff_id column or index the problems carry no staff id."""
        df = pd.DataFrame({"kpi": [1, 2]})
        found = cols.Problems(df)
        found.add(np.array([True, True]), "kpi", df["kpi"].to_numpy(), "is wrong")
        assert [(p.row, p.staff_id, p.value) for p in found.problems] == [
            (0, None, 1),
            (1, None, 2),
        ]

    def test_a_numeric_staff_id_is_text(self) -> None:
        """Staff ids read as floats from a sheet (42.0) are shown as typed ids ('42')."""
        df = pd.DataFrame({"staff_id": [42.0, np.nan], "kpi": [1, 2]})
        found = cols.Problems(df)
        found.add(np.array([True, True]), "kpi", df["kpi"], "is wrong")
        assert [p.staff_id for p in found.problems] == ["42", None]

    def test_problems_are_raised_together_in_row_order(self) -> None:
        """raise_if_any lists whole-frame problems first, then rows in frame order."""
        df = pd.DataFrame({"a": [1, 2, 3]}, index=[30, 10, 20])
        found = cols.Problems(df)
        found.add(np.array([False, False, True]), "a", df["a"], "third")
        found.add(np.array([True, False, False]), "a", df["a"], "first")
        found.add_frame("no column 'b'", column="b")
        with pytest.raises(InputError) as info:
            found.raise_if_any()
        assert [(p.row, p.message) for p in info.value.problems] == [
            (None, "no column 'b'"),
            (30, "first"),
            (20, "third"),
        ]

    def test_nothing_is_raised_without_problems(self) -> None:
        """A clean frame raises nothing."""
        found = cols.Problems(pd.DataFrame({"a": [1]}))
        found.add(np.array([False]), "a", np.array([1]), "never")
        found.raise_if_any()
        assert found.problems == []

    def test_a_mask_of_the_wrong_length_is_a_programming_error(self) -> None:
        """A mask for another frame raises ValueError, never a wrong location."""
        found = cols.Problems(pd.DataFrame({"a": [1, 2]}))
        with pytest.raises(ValueError, match=r"mask has shape \(3,\), expected \(2,\)"):
            found.add(np.array([True, False, True]), "a", np.array([1, 2, 3]), "x")

    def test_input_problem_keeps_its_positional_fields_and_adds_staff_id_last(self) -> None:
        """InputProblem(message, file, sheet, row, column, value, staff_id)."""
        p = InputProblem("bad", "f.csv", "S", 4, "kpi", 120, "CC-9")
        assert str(p) == "f.csv, sheet 'S', row 4, staff 'CC-9', column 'kpi', value 120: bad"
        assert str(InputProblem("bad", row=4)) == "row 4: bad"


# =========================================================================== text


class TestText:
    @pytest.mark.parametrize("dtype", TEXT_DTYPES)
    def test_text_is_stripped_and_blank_is_none(self, dtype: Any) -> None:
        """Spaces are stripped; "", whitespace and missing cells are None, in every dtype."""
        df = frame("name", [" Nguyễn An ", "", "   ", None, "B"], dtype)
        found = cols.Problems(df)
        assert cols.text(df, "name", found).tolist() == ["Nguyễn An", None, None, None, "B"]
        assert found.problems == []

    def test_text_is_nfc_normalised(self) -> None:
        """A name typed with combining accents equals the same name precomposed."""
        decomposed = unicodedata.normalize("NFD", "Nguyễn")
        df = frame("name", [decomposed])
        assert cols.text(df, "name", cols.Problems(df)).tolist() == ["Nguyễn"]

    def test_non_breaking_and_zero_width_spaces_are_stripped(self) -> None:
        """A cell copied from a web page ('\\xa0CC-1\\u200b') is 'CC-1'."""
        df = frame("id", ["\xa0CC-1\u200b", "\ufeff"])
        assert cols.text(df, "id", cols.Problems(df)).tolist() == ["CC-1", None]

    def test_numbers_in_a_text_column_are_their_text(self) -> None:
        """An id typed as a number in a sheet (42, read as 42.0) is '42'."""
        df = frame("id", [42, 42.0, 7.5, np.nan])
        assert cols.text(df, "id", cols.Problems(df)).tolist() == ["42", "42", "7.5", None]

    def test_a_missing_column_is_none_unless_required(self) -> None:
        """A missing optional column is all None; a required one is a problem."""
        df = frame("x", [1, 2])
        found = cols.Problems(df)
        assert cols.text(df, "name", found).tolist() == [None, None]
        assert found.problems == []
        assert cols.text(df, "name", found, required=True).tolist() == [None, None]
        assert located(found) == [(None, "name", None, "the required column 'name' is missing")]

    @pytest.mark.parametrize("dtype", TEXT_DTYPES)
    def test_a_required_blank_cell_is_a_problem(self, dtype: Any) -> None:
        """With required=True every blank cell is located."""
        df = frame("name", ["A", " ", None], dtype)
        found = cols.Problems(df)
        cols.text(df, "name", found, required=True)
        assert located(found) == [
            (1, "name", " ", "is blank; a value is required"),
            (2, "name", None, "is blank; a value is required"),
        ]


# =========================================================================== numbers


class TestNumbers:
    @pytest.mark.parametrize(
        ("values", "dtype"),
        [
            ([90, 85, 0], "int64"),
            ([90.0, 85.0, 0.0], "float64"),
            ([90, 85, 0], "Int64"),
            ([90.0, 85.0, 0.0], "Float64"),
            ([90, 85, 0], object),
            ([Decimal("90"), Decimal("85"), Decimal("0")], object),
        ],
    )
    def test_numeric_columns_of_every_dtype_read_alike(self, values: list[Any], dtype: Any) -> None:
        """ints, floats, nullable ints/floats and Decimal objects give the same floats."""
        df = frame("so_luong", values, dtype)
        found = cols.Problems(df)
        out = cols.numbers(df, "so_luong", found)
        assert out.dtype == np.float64
        assert out.tolist() == [90.0, 85.0, 0.0]
        assert found.problems == []

    @pytest.mark.parametrize("dtype", TEXT_DTYPES)
    def test_numeric_text_is_read_with_a_decimal_point_or_comma(self, dtype: Any) -> None:
        """'90', ' 90 ', '90,5' (Vietnamese decimal comma), '90.5', '.5', '1e2' in every dtype."""
        df = frame("x", ["90", " 90 ", "90,5", "90.5", ",5", "1e2", "-0"], dtype)
        found = cols.Problems(df)
        assert cols.numbers(df, "x", found).tolist() == [90, 90, 90.5, 90.5, 0.5, 100, 0]
        assert found.problems == []

    @pytest.mark.parametrize(
        ("values", "dtype"),
        [
            ([np.nan, 1.0], "float64"),
            ([None, 1], "Int64"),
            ([None, 1.0], "Float64"),
            ([None, 1], object),
            (["", "1"], "str"),
            (["  ", "1"], "category"),
        ],
    )
    def test_blank_cells_get_the_default(self, values: list[Any], dtype: Any) -> None:
        """NaN, NA, None, "" and whitespace are blank: the default, and no problem."""
        df = frame("x", values, dtype)
        found = cols.Problems(df)
        assert cols.numbers(df, "x", found, default=-7.0).tolist() == [-7.0, 1.0]
        assert same(cols.numbers(df, "x", found), [np.nan, 1.0])
        assert found.problems == []

    def test_a_missing_column_is_the_default(self) -> None:
        """No column: every row gets the default, and no problem."""
        df = frame("x", [1, 2])
        found = cols.Problems(df)
        assert cols.numbers(df, "kpi", found, default=3.0).tolist() == [3.0, 3.0]
        assert found.problems == []

    @pytest.mark.parametrize("dtype", TEXT_DTYPES)
    def test_text_that_is_not_a_number_is_located_as_typed(self, dtype: Any) -> None:
        """'abc', '9 0', '%' are not numbers; the value is shown as typed. '90%' is 90, as
        the workbook reads it (one number reader for every door)."""
        df = frame("x", ["abc", "90", "90%", "9 0", "%"], dtype)
        found = cols.Problems(df)
        assert same(cols.numbers(df, "x", found), [np.nan, 90.0, 90.0, np.nan, np.nan])
        assert located(found) == [
            (0, "x", "abc", "is not a number"),
            (3, "x", "9 0", "is not a number"),
            (4, "x", "%", "is not a number"),
        ]

    @pytest.mark.parametrize("typed", ["1.234,5", "1,234.5", "1.234.567", "1,234,567"])
    def test_thousands_separators_are_refused_as_ambiguous(self, typed: str) -> None:
        """Text with more than one separator is not guessed at."""
        df = frame("x", [typed])
        found = cols.Problems(df)
        cols.numbers(df, "x", found)
        assert located(found) == [(0, "x", typed, cols.AMBIGUOUS_SEPARATORS)]

    @pytest.mark.parametrize("typed", ["inf", "-Infinity", "NaN", "nan"])
    def test_non_finite_text_is_a_problem(self, typed: str) -> None:
        """'inf' and 'NaN' typed as text are not blanks: they are reported."""
        df = frame("x", [typed])
        found = cols.Problems(df)
        cols.numbers(df, "x", found)
        assert located(found) == [(0, "x", typed, "is not a finite number")]

    @pytest.mark.parametrize("dtype", ["float64", "Float64", object])
    def test_an_infinite_float_is_a_problem(self, dtype: Any) -> None:
        """inf in a float column is reported, never compared with a maximum."""
        df = frame("x", [np.inf, 1.0, -np.inf], dtype)
        found = cols.Problems(df)
        assert same(cols.numbers(df, "x", found, maximum=10), [np.nan, 1.0, np.nan])
        assert located(found) == [
            (0, "x", np.inf, "is not a finite number"),
            (2, "x", -np.inf, "is not a finite number"),
        ]

    @pytest.mark.parametrize("dtype", ["bool", "boolean"])
    def test_a_yes_no_column_is_not_a_number(self, dtype: str) -> None:
        """A bool column given where numbers are expected: each value is located."""
        df = frame("x", [True, False], dtype)
        found = cols.Problems(df)
        cols.numbers(df, "x", found)
        assert located(found) == [
            (0, "x", True, "is a yes/no value, not a number"),
            (1, "x", False, "is a yes/no value, not a number"),
        ]

    def test_true_beside_one_in_an_object_column_stays_a_yes_no_value(self) -> None:
        """True == 1 in Python, yet True among numbers is reported, and 1 is read."""
        df = frame("x", [1, True, 0, False, "2"])
        found = cols.Problems(df)
        assert same(cols.numbers(df, "x", found), [1.0, np.nan, 0.0, np.nan, 2.0])
        assert located(found) == [
            (1, "x", True, "is a yes/no value, not a number"),
            (3, "x", False, "is a yes/no value, not a number"),
        ]

    def test_dates_and_durations_are_not_numbers(self) -> None:
        """Dates (a datetime column or date objects) and durations are reported."""
        df = pd.DataFrame(
            {
                "d": pd.to_datetime(["2026-03-01", None]),
                "o": pd.Series([dt.date(2026, 3, 1), dt.timedelta(days=1)], dtype=object),
            }
        )
        found = cols.Problems(df)
        cols.numbers(df, "d", found)
        cols.numbers(df, "o", found)
        assert located(found) == [
            (0, "d", pd.Timestamp("2026-03-01"), "is a date, not a number"),
            (0, "o", dt.date(2026, 3, 1), "is a date, not a number"),
            (1, "o", dt.timedelta(days=1), "is a duration, not a number"),
        ]

    @pytest.mark.parametrize("dtype", ["int64", "Float64", "str"])
    def test_values_out_of_range_are_located(self, dtype: Any) -> None:
        """Below the minimum, above the maximum and not whole: three located problems."""
        raw = [-1, 7, 2.5, 6] if dtype != "int64" else [-1, 7, 3, 6]
        values = [str(v) for v in raw] if dtype == "str" else raw
        df = frame("chinh_tri", values, dtype)
        found = cols.Problems(df)
        out = cols.numbers(df, "chinh_tri", found, default=0.0, minimum=0, maximum=6, integer=True)
        typed = [values[0], values[1], values[2]]
        expected = [
            (0, "chinh_tri", typed[0], "is negative"),
            (1, "chinh_tri", typed[1], "exceeds its maximum 6"),
        ]
        if dtype != "int64":
            expected.append((2, "chinh_tri", typed[2], "is not a whole number"))
        assert located(found) == expected
        assert out.tolist()[0:2] == [0.0, 0.0]
        assert out.tolist()[3] == 6.0

    def test_a_minimum_other_than_zero_is_named(self) -> None:
        """A minimum of 1 reads 'is below its minimum 1'."""
        df = frame("x", [0.5])
        found = cols.Problems(df)
        cols.numbers(df, "x", found, minimum=1)
        assert located(found) == [(0, "x", 0.5, "is below its minimum 1")]

    def test_each_row_may_have_its_own_maximum(self) -> None:
        """Per-row maxima (a position's own maximum) are named in each message."""
        df = frame("x", [8, 8, 11], "int64")
        found = cols.Problems(df)
        cols.numbers(df, "x", found, maximum=np.array([10.0, 6.0, 10.0]))
        assert located(found) == [
            (1, "x", 8, "exceeds its maximum 6"),
            (2, "x", 11, "exceeds its maximum 10"),
        ]


# =========================================================================== booleans


class TestBooleans:
    @pytest.mark.parametrize(
        ("values", "dtype"),
        [
            ([True, False, True], "bool"),
            ([True, False, True], "boolean"),
            ([1, 0, 1], "int64"),
            ([1.0, 0.0, 1.0], "float64"),
            ([1, 0, 1], "Int64"),
            ([True, False, True], object),
        ],
    )
    def test_yes_no_columns_of_every_dtype_read_alike(self, values: list[Any], dtype: Any) -> None:
        """bool, nullable boolean and 0/1 give the same flags."""
        df = frame("is_head", values, dtype)
        found = cols.Problems(df)
        out = cols.booleans(df, "is_head", found)
        assert out.dtype == np.bool_
        assert out.tolist() == [True, False, True]
        assert found.problems == []

    @pytest.mark.parametrize("dtype", TEXT_DTYPES)
    def test_x_and_blank_read_as_yes_and_no(self, dtype: Any) -> None:
        """'x' (any case) is yes, a blank or missing cell is no, in every text dtype."""
        df = frame("degradation", ["x", "", "X", None, " x "], dtype)
        found = cols.Problems(df)
        assert cols.booleans(df, "degradation", found).tolist() == [
            True, False, True, False, True,
        ]  # fmt: skip
        assert found.problems == []

    @pytest.mark.parametrize(
        "word", ["x", "có", "Có", "CÓ", "co", "yes", "Y", "true", "TRUE", "1", "1.0", "đúng"]
    )
    def test_words_for_yes(self, word: str) -> None:
        """Yes in Vietnamese or English, with or without accents."""
        df = frame("f", [word])
        assert cols.booleans(df, "f", cols.Problems(df), default=False).tolist() == [True]

    @pytest.mark.parametrize("word", ["không", "Không", "khong", "no", "N", "false", "0", "sai"])
    def test_words_for_no(self, word: str) -> None:
        """No in Vietnamese or English is False even when the default is True."""
        df = frame("f", [word])
        assert cols.booleans(df, "f", cols.Problems(df), default=True).tolist() == [False]

    @pytest.mark.parametrize(
        ("values", "dtype"),
        [([None, True], "boolean"), ([np.nan, 1.0], "float64"), ([None, "x"], "str")],
    )
    def test_blank_is_the_default(self, values: list[Any], dtype: Any) -> None:
        """A missing value (NA, NaN, blank) takes the default."""
        df = frame("f", values, dtype)
        assert cols.booleans(df, "f", cols.Problems(df), default=True).tolist() == [True, True]
        assert cols.booleans(df, "f", cols.Problems(df), default=False).tolist() == [False, True]

    def test_a_missing_column_is_the_default(self) -> None:
        """No column: every row gets the default."""
        df = frame("x", [1, 2])
        found = cols.Problems(df)
        assert cols.booleans(df, "is_head", found, default=True).tolist() == [True, True]
        assert found.problems == []

    @pytest.mark.parametrize(
        ("values", "dtype"),
        [
            (["maybe", "x", "False?"], object),
            (["maybe", "x", "False?"], "category"),
            ([2, 1, -1], "int64"),
            ([0.5, 1.0, 3.0], "float64"),
        ],
    )
    def test_anything_else_is_located(self, values: list[Any], dtype: Any) -> None:
        """Other words and numbers are reported as typed."""
        df = frame("f", values, dtype)
        found = cols.Problems(df)
        assert cols.booleans(df, "f", found).tolist() == [False, True, False]
        assert located(found) == [
            (0, "f", values[0], cols.NOT_YES_NO),
            (2, "f", values[2], cols.NOT_YES_NO),
        ]

    def test_the_message_says_what_to_write(self) -> None:
        """The message lists the accepted words."""
        assert cols.NOT_YES_NO == (
            "is not a yes/no value: write x, có, yes, true or 1 for yes; "
            "leave blank or write không, no, false or 0 for no"
        )


# =========================================================================== choice

LEVELS = {"Thấp": 1, "Trung bình": 2, "Cao": 3}


class TestChoice:
    @pytest.mark.parametrize("dtype", TEXT_DTYPES)
    def test_names_match_whatever_the_case_accents_and_separators(self, dtype: Any) -> None:
        """'Trung bình', 'trung_binh', 'TRUNG-BÌNH', 'trungbinh' are one name."""
        df = frame("lvl", ["Trung bình", "trung_binh", "TRUNG-BÌNH", "trungbinh", "thap"], dtype)
        found = cols.Problems(df)
        out = cols.choice(df, "lvl", found, mapping=LEVELS, default=0)
        assert out.dtype == np.int64
        assert out.tolist() == [2, 2, 2, 2, 1]
        assert found.problems == []

    @pytest.mark.parametrize(
        ("values", "dtype"),
        [([3, None], "Int64"), ([3.0, np.nan], "float64"), (["3", ""], "str"), ([3, None], object)],
    )
    def test_numbers_in_range_are_codes_and_blank_is_the_default(
        self, values: list[Any], dtype: Any
    ) -> None:
        """Whole numbers in numeric_range are taken as codes; blank is the default."""
        df = frame("lvl", values, dtype)
        found = cols.Problems(df)
        out = cols.choice(df, "lvl", found, mapping=LEVELS, default=0, numeric_range=(0, 3))
        assert out.tolist() == [3, 0]
        assert found.problems == []

    def test_numbers_are_refused_without_a_numeric_range(self) -> None:
        """Without numeric_range only names are accepted."""
        df = frame("lvl", ["3"])
        found = cols.Problems(df)
        assert cols.choice(df, "lvl", found, mapping=LEVELS, default=0).tolist() == [0]
        assert located(found) == [
            (0, "lvl", "3", "is not an accepted value; accepted: Thấp; Trung bình; Cao")
        ]  # no "3 = Cao": a listing that shows numbers would invite the number it refuses

    @pytest.mark.parametrize(
        ("values", "dtype"),
        [
            (["Rất cao", "4", "2.5", "Cao"], object),
            ([True, 4, 2.5, 3], object),
            ([7.0, 4.0, 2.5, 3.0], "float64"),
        ],
    )
    def test_unknown_values_list_the_accepted_names(self, values: list[Any], dtype: Any) -> None:
        """Unknown names, numbers out of range or not whole, and yes/no values are located."""
        df = frame("lvl", values, dtype)
        found = cols.Problems(df)
        out = cols.choice(df, "lvl", found, mapping=LEVELS, default=0, numeric_range=(0, 3))
        assert out.tolist() == [0, 0, 0, 3]
        message = (
            "is not an accepted value; accepted: 1 = Thấp; 2 = Trung bình; 3 = Cao; "
            "or a whole number from 0 to 3"
        )
        assert located(found) == [(i, "lvl", values[i], message) for i in range(3)]

    @pytest.mark.parametrize("dtype", ["int64", "uint8", "int8"])
    def test_whole_number_columns_are_read_and_checked_alike(self, dtype: str) -> None:
        """A column of whole numbers (no blanks possible) is read as codes; a number
        outside numeric_range is located, as in a float or text column."""
        df = frame("lvl", [3, 0, 1, 9], dtype)
        found = cols.Problems(df)
        out = cols.choice(df, "lvl", found, mapping=LEVELS, default=0, numeric_range=(0, 3))
        assert out.tolist() == [3, 0, 1, 0]
        assert out.dtype == np.int64
        assert [(p.row, p.value) for p in found.problems] == [(3, 9)]
        clean = frame("lvl", [2, 3], dtype)
        found = cols.Problems(clean)
        out = cols.choice(clean, "lvl", found, mapping=LEVELS, default=0, numeric_range=(0, 3))
        assert out.tolist() == [2, 3] and found.problems == []
        assert not np.shares_memory(out, clean["lvl"].to_numpy())

    def test_a_yes_no_column_is_not_a_choice(self) -> None:
        """A bool column is reported, not read as 0/1."""
        df = frame("lvl", [True], "bool")
        found = cols.Problems(df)
        cols.choice(df, "lvl", found, mapping=LEVELS, default=0, numeric_range=(0, 3))
        assert [p.row for p in found.problems] == [0]

    def test_names_that_fold_alike_with_different_values_are_refused(self) -> None:
        """A mapping must not be ambiguous once case and accents are ignored."""
        df = frame("lvl", ["a"])
        with pytest.raises(ValueError, match="folds to 'cao' like another name"):
            cols.choice(df, "lvl", cols.Problems(df), mapping={"Cao": 1, "cáo": 2}, default=0)


# =========================================================================== discipline

REPRIMAND_SPELLINGS = ["REPRIMAND", "reprimand", "khien_trach", "Khiển trách", "KHIỂN TRÁCH", "1"]


class TestDiscipline:
    @pytest.mark.parametrize("dtype", TEXT_DTYPES)
    def test_a_reprimand_is_level_1_in_every_spelling_and_dtype(self, dtype: Any) -> None:
        """Issue 13: a name must never be read as 0 under pandas 3's str dtype."""
        df = frame("discipline", REPRIMAND_SPELLINGS, dtype)
        found = cols.Problems(df)
        assert cols.discipline(df, "discipline", found).tolist() == [1] * 6
        assert found.problems == []

    @pytest.mark.parametrize(
        ("spelling", "level"),
        [
            ("Không", 0), ("khong", 0), ("NONE", 0), ("", 0),
            ("Cảnh cáo", 2), ("canh_cao", 2), ("WARNING", 2),
            ("Hạ bậc lương", 3), ("ha_bac_luong", 3), ("Giáng chức", 3), ("giang_chuc", 3),
            ("Hạ bậc lương / giáng chức", 3), ("DEMOTION", 3),
            ("Cách chức", 4), ("cach_chuc", 4), ("removal", 4),
            ("Buộc thôi việc", 5), ("buoc_thoi_viec", 5), ("Dismissal", 5),
        ],
    )  # fmt: skip
    def test_every_measure_by_its_names(self, spelling: str, level: int) -> None:
        """Vietnamese labels, ids and English names of each measure (Discipline)."""
        df = frame("discipline", [spelling], "str")
        assert cols.discipline(df, "discipline", cols.Problems(df)).tolist() == [level]

    @pytest.mark.parametrize(
        ("values", "dtype"),
        [
            ([0, 1, 5], "int64"),
            ([0, 1, 5], "int8"),
            ([0.0, 1.0, 5.0], "float64"),
            ([None, 1, 5], "Int64"),
            ([np.nan, 1.0, 5.0], "Float64"),
            ([0, "REPRIMAND", 5], object),
        ],
    )
    def test_levels_as_numbers_of_every_dtype(self, values: list[Any], dtype: Any) -> None:
        """0-5 as ints, floats, nullable numbers, or mixed with names."""
        df = frame("discipline", values, dtype)
        found = cols.Problems(df)
        out = cols.discipline(df, "discipline", found)
        assert out.dtype == np.int64
        assert out.tolist() == [0, 1, 5]
        assert found.problems == []

    @pytest.mark.parametrize(
        ("values", "dtype"),
        [(["reprimandd", "6", "1,5"], "str"), ([9, 6, 1.5], object), ([9.0, 6.0, 1.5], "float64")],
    )
    def test_unknown_levels_are_located_with_the_accepted_names(
        self, values: list[Any], dtype: Any
    ) -> None:
        """A misspelt name, a level above 5 and a fraction are reported, not read as 0."""
        df = frame("discipline", values, dtype)
        found = cols.Problems(df)
        cols.discipline(df, "discipline", found)
        assert located(found) == [
            (i, "discipline", values[i], ACCEPTED_DISCIPLINE) for i in range(3)
        ]

    def test_a_missing_column_is_no_discipline(self) -> None:
        """No discipline column: level 0 for everyone."""
        df = frame("x", [1, 2])
        assert cols.discipline(df, "discipline", cols.Problems(df)).tolist() == [0, 0]

    def test_the_names_table_covers_every_measure(self) -> None:
        """DISCIPLINE_NAMES has each Discipline's English name and Vietnamese label."""
        from evalkit.model import Discipline

        for d in Discipline:
            assert cols.DISCIPLINE_NAMES[d.name] == d.value
            assert cols.DISCIPLINE_NAMES[d.label_vi] == d.value


# =========================================================================== grades


class TestGrades:
    def test_the_results_grade_dtype_gives_its_codes(self) -> None:
        """A GRADE_DTYPE categorical (score_frame's output) reads back as its codes."""
        df = pd.DataFrame({"grade": pd.Categorical(["HTXS", None, "KHT"], dtype=GRADE_DTYPE)})
        out = cols.grades(df, "grade", cols.Problems(df))
        assert out.dtype == np.int8
        assert out.tolist() == [3, -1, 0]

    @pytest.mark.parametrize("dtype", TEXT_DTYPES)
    def test_codes_and_labels_in_any_case(self, dtype: Any) -> None:
        """Codes in any case, Vietnamese and English labels, numbers; blank is -1."""
        values = ["htxs", "HTT", "Hoàn thành nhiệm vụ", "không hoàn thành nhiệm vụ",
                  "Well completed duties", "2", "", None]  # fmt: skip
        df = frame("grade", values, dtype)
        found = cols.Problems(df)
        assert cols.grades(df, "grade", found).tolist() == [3, 2, 1, 0, 2, 2, -1, -1]
        assert found.problems == []

    @pytest.mark.parametrize(
        ("values", "dtype"), [([0, 3, None], "Int64"), ([0.0, 3.0, np.nan], "float64")]
    )
    def test_numbers_zero_to_three(self, values: list[Any], dtype: Any) -> None:
        """0 = KHT ... 3 = HTXS as numbers."""
        df = frame("grade", values, dtype)
        assert cols.grades(df, "grade", cols.Problems(df)).tolist() == [0, 3, -1]

    def test_unknown_grades_are_located(self) -> None:
        """Another rule set's labels (A) and 4 are reported with the accepted names."""
        df = frame("grade", ["A", 4, "HT"])
        found = cols.Problems(df)
        assert cols.grades(df, "grade", found).tolist() == [-1, -1, 1]
        assert located(found) == [
            (0, "grade", "A", ACCEPTED_GRADE),
            (1, "grade", 4, ACCEPTED_GRADE),
        ]

    def test_a_missing_column_is_blank(self) -> None:
        """No grade column: -1 everywhere."""
        df = frame("x", [1])
        assert cols.grades(df, "grade", cols.Problems(df)).tolist() == [-1]


# =========================================================================== periods


class TestPeriods:
    @pytest.mark.parametrize("dtype", TEXT_DTYPES)
    def test_text_periods_get_sorted_canonical_labels(self, dtype: Any) -> None:
        """'2026-03', '03/2026', '2026-Q1', '2026' in every text dtype; labels in time order."""
        df = frame("period", ["2026-03", " 03/2026", "2026-Q1", "2026", None, "2026-02"], dtype)
        found = cols.Problems(df)
        codes, labels = cols.periods(df, "period", found)
        assert labels == ["2026-Q1", "2026", "2026-02", "2026-03"]
        assert codes.tolist() == [3, 3, 0, 1, -1, 2]
        assert found.problems == []

    @pytest.mark.parametrize(
        "column",
        [
            pd.Series(pd.period_range("2026-02", periods=2, freq="M")),
            pd.Series(pd.to_datetime(["2026-02-14", "2026-03-31"])),
            pd.Series([pd.Timestamp("2026-02-01"), dt.date(2026, 3, 5)], dtype=object),
            pd.Series([dt.datetime(2026, 2, 1), "2026-03"], dtype=object),
        ],
        ids=["pandas-period", "datetime64", "timestamp-and-date", "datetime-and-text"],
    )
    def test_dates_and_pandas_periods_are_their_month(self, column: pd.Series[Any]) -> None:
        """A date or timestamp is the month that contains it."""
        df = pd.DataFrame({"period": column})
        codes, labels = cols.periods(df, "period", cols.Problems(df))
        assert (codes.tolist(), labels) == ([0, 1], ["2026-02", "2026-03"])

    def test_quarterly_and_yearly_pandas_periods_keep_their_length(self) -> None:
        """pd.Period('2026Q1') is the quarter, pd.Period('2026', 'Y') the year."""
        df = pd.DataFrame(
            {"period": pd.Series([pd.Period("2026Q1", "Q"), pd.Period("2026", "Y")], dtype=object)}
        )
        codes, labels = cols.periods(df, "period", cols.Problems(df))
        assert (codes.tolist(), labels) == ([0, 1], ["2026-Q1", "2026"])

    def test_a_year_read_as_a_number_is_the_year(self) -> None:
        """2026 (or 2026.0 from a sheet) is the year 2026."""
        df = frame("period", [2026, 2026.0], object)
        codes, labels = cols.periods(df, "period", cols.Problems(df))
        assert (codes.tolist(), labels) == ([0, 0], ["2026"])

    def test_bad_periods_are_located_with_the_reason(self) -> None:
        """A month 13 and text that is no period are reported as typed."""
        df = frame("period", ["2026-13", "2026-03", "March", True], object)
        found = cols.Problems(df)
        codes, labels = cols.periods(df, "period", found)
        assert (codes.tolist(), labels) == ([-1, 0, -1, -1], ["2026-03"])
        assert located(found) == [
            (0, "period", "2026-13", "month 13 of 2026 is not a month (expected 1 to 12)"),
            (1 + 1, "period", "March",
             "period 'March' is not a month like '2026-03', a quarter like '2026-Q1' "
             "or a year like '2026'"),
            (3, "period", True, "period True is a yes/no value, not a month, quarter or year"),
        ]  # fmt: skip

    def test_required_periods_report_blanks_and_a_missing_column(self) -> None:
        """With required=True a blank period and a missing column are problems."""
        df = frame("period", ["2026-03", ""], "str")
        found = cols.Problems(df)
        cols.periods(df, "period", found, required=True)
        cols.periods(df, "month", found, required=True)
        assert located(found) == [
            (None, "month", None, "the required column 'month' is missing"),
            (1, "period", "", "is blank; a period is required"),
        ]

    def test_a_missing_column_is_blank(self) -> None:
        """No period column: code -1 and no labels."""
        df = frame("x", [1])
        codes, labels = cols.periods(df, "period", cols.Problems(df))
        assert (codes.tolist(), labels) == ([-1], [])


# =========================================================================== every reader


class TestEveryReaderLocatesItsProblems:
    def test_a_staff_id_index_appears_in_every_problem(self) -> None:
        """Each reader's problems carry the row label and the staff id of a staff_id index."""
        ids = pd.Index(["CC-1", "CC-2"], name="staff_id")
        df = pd.DataFrame(
            {
                "name": ["An", " "],
                "kpi": ["90", "abc"],
                "is_head": ["x", "maybe"],
                "lvl": ["Cao", "Rất cao"],
                "discipline": [0, 9],
                "grade": ["HT", "Z"],
                "period": ["2026-03", "2026-13"],
            },
            index=ids,
        )
        found = cols.Problems(df, file="in.csv")
        cols.text(df, "name", found, required=True)
        cols.numbers(df, "kpi", found)
        cols.booleans(df, "is_head", found)
        cols.choice(df, "lvl", found, mapping=LEVELS, default=0)
        cols.discipline(df, "discipline", found)
        cols.grades(df, "grade", found)
        cols.periods(df, "period", found)
        assert [p.column for p in found.problems] == [
            "name", "kpi", "is_head", "lvl", "discipline", "grade", "period",
        ]  # fmt: skip
        assert {(p.file, p.row, p.staff_id) for p in found.problems} == {("in.csv", "CC-2", "CC-2")}
        with pytest.raises(InputError, match=r"in\.csv, row 'CC-2', staff 'CC-2', column 'kpi'"):
            found.raise_if_any()

    def test_a_header_written_twice_is_reported_and_the_first_read(self) -> None:
        """Two 'kpi' columns: one whole-frame problem; the first column is read."""
        df = pd.DataFrame([[1, 2]], columns=["kpi", "kpi"])
        found = cols.Problems(df)
        assert cols.numbers(df, "kpi", found).tolist() == [1.0]
        assert located(found) == [
            (None, "kpi", None, "column 'kpi' appears 2 times; the first is read")
        ]
