"""Ids inside the engine: matched as text whatever their dtype, carried without a round
trip through Python objects, and the unit tree checked once (parents, depth, cycles)."""

from __future__ import annotations

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit.rules
from evalkit._classify.common import codes_in, take
from evalkit.errors import InputError, OrganisationError, UnknownReferenceError
from evalkit.units import classify_frame

VC = evalkit.rules.get("vn.nd233-2026")
#: QĐ 366-QĐ/TW Điều 11 k1 switched on: a disciplined leader keeps the unit from HTXS.
VC366 = attrs.evolve(VC, units=attrs.evolve(VC.units, excellent_requires_no_discipline=True))

TEXT_DTYPES = [object, "str", "string[python]", "category"]
try:  # pragma: no cover - depends on the environment
    import pyarrow  # noqa: F401

    TEXT_DTYPES.append("string[pyarrow]")
except ImportError:  # pragma: no cover
    pass


class TestCodesIn:
    @given(st.lists(st.sampled_from(["7", "A", "B", "Z", None]), max_size=30),
           st.sampled_from(TEXT_DTYPES))  # fmt: skip
    def test_the_position_of_each_value_whatever_the_dtype(self, values: list[str | None],
                                                           dtype: object) -> None:  # fmt: skip
        index = pd.Index(["A", "7", "B"], dtype=object)
        got = codes_in(pd.Series(values, dtype=dtype), index)  # type: ignore[arg-type]
        want = [{"A": 0, "7": 1, "B": 2}.get(v, -1) if v is not None else -1 for v in values]
        assert got.tolist() == want

    def test_a_number_is_compared_as_its_text(self) -> None:
        index = pd.Index(["7", "8"], dtype=object)
        assert codes_in(pd.Series([8, 7, 9]), index).tolist() == [1, 0, -1]
        assert codes_in(pd.Series([8, None], dtype="Int64"), index).tolist() == [1, -1]

    def test_an_integer_index_is_matched_as_integers(self) -> None:
        assert codes_in(np.array([30, 10, 99]), pd.Index([10, 20, 30])).tolist() == [2, 0, -1]


class TestFirstRows:
    @given(st.lists(st.integers(0, 40), max_size=60), st.lists(st.integers(0, 40), max_size=20))
    def test_each_key_finds_its_first_row_in_the_table_and_in_the_hash(
            self, keys: list[int], queries: list[int]) -> None:  # fmt: skip
        """A key given twice (a staff id twice in a period, refused) finds its first row, -1
        where no row has it, whether the keys are dense (a table) or sparse (a hash)."""
        from evalkit._classify.month import _first_rows

        k, q = np.array(keys, dtype=np.int64), np.array(queries, dtype=np.int64)
        want = [keys.index(x) if x in keys else -1 for x in queries]
        for size in (41, 10**9):  # dense, then sparse
            assert _first_rows(k, size)(q).tolist() == want


class TestTake:
    @pytest.mark.parametrize("dtype", TEXT_DTYPES)
    def test_values_at_positions_with_blanks_for_minus_one(self, dtype: object) -> None:
        col = pd.Series(["a", "b", "c"], dtype=dtype)  # type: ignore[call-overload]
        got = pd.Series(take(col, np.array([2, -1, 0])))
        assert got.iloc[0] == "c" and pd.isna(got.iloc[1]) and got.iloc[2] == "a"

    def test_numbers_stay_numbers_where_nothing_is_missing(self) -> None:
        got = take(pd.Series([1.5, 2.5]), np.array([1, 1, 0]))
        assert got.dtype == np.float64 and got.tolist() == [2.5, 2.5, 1.5]


def _month(ids: object, dtype: object) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Unit 7 (head: staff 70) under unit 1 (head: staff 10); staff 70 is disciplined."""
    full, lead = VC.full_marks(), VC.full_marks(manages_others=True)
    staff = pd.DataFrame([
        {"staff_id": 10, "unit_id": 1, "manages_others": True, **lead},
        {"staff_id": 70, "unit_id": 7, "manages_others": True, "discipline": 1, **lead},
        {"staff_id": 71, "unit_id": 7, **full},
    ])  # fmt: skip
    staff["period"] = "2026-09"
    staff["category"] = "vien_chuc"
    units = pd.DataFrame({"unit_id": [1, 7], "parent_id": [None, 1], "head_id": [10, 70],
                          "tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": 5,
                          "period": "2026-09"})  # fmt: skip
    if ids == "text":
        for frame, cols in ((staff, ["staff_id", "unit_id"]),
                            (units, ["unit_id", "parent_id", "head_id"])):  # fmt: skip
            for c in cols:
                frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
                frame[c] = frame[c].map(lambda v: None if v is None else str(int(v)))
                frame[c] = frame[c].astype(dtype)  # type: ignore[call-overload]
    return staff, units


class TestIdsOfAnyDtype:
    @pytest.mark.parametrize("dtype", TEXT_DTYPES)
    def test_numbers_and_text_give_the_same_month(self, dtype: object) -> None:
        """Ids typed as numbers (an Excel cell) and as text of every dtype: the same heads,
        managers, unit grades and reasons; staff 70's discipline (QĐ 366 Điều 11 k1) keeps
        unit 7 from HTXS and not unit 1."""
        runs = [classify_frame(*_month(ids, dtype), VC366) for ids in ("number", "text")]
        (s1, u1), (s2, u2) = runs
        for s, u in runs:
            grade = dict(zip(u["unit_id"].astype(str), u["grade"].astype(str), strict=True))
            assert grade == {"1": "HTXS", "7": "HTT"}
            assert "unit.excellent_condition.discipline" in u["reasons"].iloc[1]
            assert s["is_head"].tolist() == [True, True, False]
            assert [None if pd.isna(v) else str(v) for v in s["effective_manager_id"]] == \
                [None, "10", "70"]
        for c in ("total", "grade", "reasons"):
            assert s1[c].astype(str).tolist() == s2[c].astype(str).tolist()
        assert u1["reasons"].astype(str).tolist() == u2["reasons"].astype(str).tolist()


class TestUnitTree:
    def test_a_staff_member_in_a_month_without_units_names_the_unit(self) -> None:
        staff = pd.DataFrame({"staff_id": ["A"], "unit_id": ["P1"], "period": "2026-03",
                              "category": "cong_chuc"})  # fmt: skip
        with pytest.raises(InputError, match="unknown unit 'P1'"):
            classify_frame(staff, pd.DataFrame({"unit_id": pd.Series([], dtype=object)}))

    def test_unknown_parent_own_parent_duplicate_and_cycle(self) -> None:
        def units(ids: list[str], parents: list[str | None]) -> pd.DataFrame:
            return pd.DataFrame({"unit_id": ids, "parent_id": parents, "period": "2026-03"})

        empty = pd.DataFrame()
        with pytest.raises(UnknownReferenceError, match="unknown parent unit 'X'"):
            classify_frame(empty, units(["A", "B"], [None, "X"]), VC)
        with pytest.raises(OrganisationError, match="'A' cannot be its own parent"):
            classify_frame(empty, units(["A"], ["A"]), VC)
        with pytest.raises(InputError, match="unit appears more than once in 2026-03") as e:
            classify_frame(empty, units(["A", "A"], [None, None]).set_axis(["x", "y"]), VC)
        assert [p.row for p in e.value.problems] == ["y"]  # the row too many, by its label
        assert str(e.value.problems[0]) == ("row 'y', unit 'A', column 'unit_id', value 'A': "
                                            "unit appears more than once in 2026-03")
        with pytest.raises(OrganisationError, match=r"units form a cycle: (A -> B -> A|B -> A -> B)"):
            classify_frame(empty, units(["R", "A", "B"], [None, "B", "A"]), VC)

    def test_depth_counts_the_levels_above(self) -> None:
        from evalkit._classify.units import tree_checks

        ut = pd.DataFrame({"unit_id": ["R", "A", "B", "C"], "parent_id": [None, "R", "A", "R"],
                           "period": "2026-03", "p": 0})  # fmt: skip
        parent, depth = tree_checks(ut)[:2]
        assert parent.tolist() == [-1, 0, 1, 0] and depth.tolist() == [0, 1, 2, 1]

    def test_top_is_the_topmost_ancestor(self) -> None:
        """Each unit's top row under one rule set: the root of its tree (a root its own), per
        period: R over A, B (under A) and C; S over D; E alone; in April B hangs from S."""
        from evalkit._classify.units import service_tops, tree_checks

        ut = pd.DataFrame({"unit_id": ["R", "A", "B", "C", "S", "D", "E", "R", "A", "B", "S"],
                           "parent_id": [None, "R", "A", "R", None, "S", None, None, "R", "S",
                                         None],
                           "period": ["2026-03"] * 7 + ["2026-04"] * 4,
                           "p": [0] * 7 + [1] * 4})  # fmt: skip
        parent = tree_checks(ut)[0]
        same = np.zeros(len(ut), dtype=np.int64)
        assert service_tops(parent, same, np.zeros(len(ut), bool)).tolist() == [0, 0, 0, 0, 4, 4, 6, 7, 7, 10, 10]
        # R under another rule set (a Sở of công chức over public service units): A, C stop
        # at themselves and B at A; a unit nobody says the set of (-1) joins either side
        other = np.array([1, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0])
        assert service_tops(parent, other, np.zeros(len(ut), bool)).tolist() == [0, 1, 1, 3, 4, 4, 6, 7, 8, 10, 10]
