"""Converted products → a, b, c (NĐ 335/2025/NĐ-CP, Điều 14 k1, k2; issue 14 §2, §6; issue 17 §3).

Every expected value is computed by hand from the decree's rule: each of a, b, c divides by
the converted products assigned (quantity × coefficient); an unfinished product counts 0;
each major error / delay takes 25 % off one unit of that product (``per = "unit"``) or off
the whole line (``per = "line"``), floor 0; a quarter pools the quarter's products.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit.errors import InputError, RuleSetError
from evalkit.products import PRODUCT_COLUMNS, check_products, task_components
from evalkit.rules import ProductPolicy, RuleSet, parse_rule_set
from tests.helpers import A, B, C, general

PRESET = Path(evalkit.rules.__file__).parent / "presets" / "vn.nd335-2025.toml"
ND335 = evalkit.rules.get("vn.nd335-2025")
assert ND335.products is not None
PER_LINE = attrs.evolve(ND335, products=attrs.evolve(ND335.products, per="line"))
QUARTERLY = attrs.evolve(ND335, id="nd335-quarterly", period="quarter",
                         classified=("quarter", "year"))  # fmt: skip
AVERAGING = attrs.evolve(QUARTERLY, products=attrs.evolve(ND335.products,
                                                          quarter="average_months"))  # fmt: skip


def table(*rows: dict[str, Any], **common: Any) -> pd.DataFrame:
    """A product table: ``common`` columns on every row (staff A, March 2026 by default)."""
    base = {"staff_id": "A", "period": "2026-03", **common}
    return pd.DataFrame([{**base, **r} for r in rows])


def abc(frame: pd.DataFrame, rules: RuleSet | str = ND335, **kw: Any) -> list[float]:
    """a, b, c of the only person-period of ``frame``."""
    out = task_components(frame, rules, **kw)
    assert len(out) == 1, out
    return [float(out.loc[0, c]) for c in (A, B, C)]


def pct(numerator: float, denominator: float) -> float:
    return numerator / denominator * 100.0


class TestThePolicyComesFromTheRuleSet:
    """The ids and the 25 % steps are rule data ([products]), cited."""

    def test_the_nd335_preset_declares_its_products_table(self) -> None:
        """NĐ 335 Điều 14 k1, k2: a, b, c ids, 25 % steps, one unit, quarters pooled."""
        p = ND335.products
        assert p == ProductPolicy(
            "so_luong", "chat_luong", "tien_do", 25.0, 25.0, "unit", 4, "pool",
            "NĐ 335/2025/NĐ-CP, Điều 14 k1, k2", "verified", p.note if p else "",
        )  # fmt: skip
        assert ("products", "NĐ 335/2025/NĐ-CP, Điều 14 k1, k2") in ND335.citations()

    def test_another_step_in_the_rule_set_changes_the_deduction(self) -> None:
        """A rule set taking 20 % per error: one error on a one-unit product → b = 80."""
        assert ND335.products is not None
        rs = attrs.evolve(ND335, products=attrs.evolve(ND335.products, error_step=20.0))
        assert abc(table({"done": 1, "errors": 1}), rs) == [100.0, 80.0, 100.0]

    def test_other_criterion_ids_name_the_output_columns(self) -> None:
        """The columns are the policy's a, b, c, not names fixed in code."""
        assert ND335.products is not None
        rs = attrs.evolve(ND335, products=attrs.evolve(ND335.products, a="x", b="y", c="z"))
        out = task_components(table({"done": 1}), rs)
        assert out[["x", "y", "z"]].iloc[0].tolist() == [100.0, 100.0, 100.0]

    def test_a_rule_set_without_a_products_table_is_refused(self) -> None:
        """Hà Nội 3814 has no converted products: a clear RuleSetError."""
        with pytest.raises(RuleSetError, match="has no \\[products\\] table"):
            task_components(table({"done": 1}), "hanoi.3814-2018")

    @pytest.mark.parametrize(("key", "value", "words"), [
        ("per", "unit_of_work", "per must be unit or line"),
        ("error_step", 0, "error_step must be a percentage above 0"),
        ("delay_step", 120, "delay_step must be a percentage above 0"),
        ("a", "so_luongg", "unknown criterion 'so_luongg'"),
        ("b", "loi_chat_luong", "is scored in count, not percent"),
        ("quarter", "mean", "quarter must be pool or average_months"),
        ("max_per_unit", -1, "max_per_unit must be a whole number"),
        ("unit_step", 25, "unknown key 'unit_step'"),
    ])  # fmt: skip
    def test_a_bad_products_table_is_a_rule_set_error(
        self, key: str, value: object, words: str
    ) -> None:
        """The schema checks every key of [products] and names it."""
        data = tomllib.loads(PRESET.read_text(encoding="utf-8"))
        data["products"][key] = value
        with pytest.raises(RuleSetError) as info:
            parse_rule_set(data)
        assert words in str(info.value) and f"products.{key}" in str(info.value)

    def test_a_products_table_must_cite_its_source(self) -> None:
        """Every rule cites its source in rule data."""
        data = tomllib.loads(PRESET.read_text(encoding="utf-8"))
        del data["products"]["source"]
        with pytest.raises(RuleSetError, match="missing required key 'source'"):
            parse_rule_set(data)


class TestDecreeCases:
    """Hand-computed months (NĐ 335 Điều 14 k2)."""

    def test_an_unfinished_product_counts_zero_in_a_b_and_c(self) -> None:
        """Two products, one done on time and clean, one not done: a = b = c = 1 ÷ 2."""
        t = table({"product_id": "P1", "done": 1}, {"product_id": "P2", "done": 0})
        assert abc(t) == [50.0, 50.0, 50.0]

    def test_a_two_coefficient_month_divides_by_converted_products_assigned(self) -> None:
        """3 reports × 1.0 done, 1 inspection × 2.5 not done: a = b = c = 3 ÷ 5.5."""
        t = table({"product_id": "report", "quantity": 3, "coefficient": 1.0, "done": 3},
                  {"product_id": "inspection", "quantity": 1, "coefficient": 2.5, "done": 0})
        out = task_components(t, ND335)
        assert out.loc[0, "converted_assigned"] == 5.5 and out.loc[0, "converted_done"] == 3.0
        assert abc(t) == pytest.approx([pct(3, 5.5)] * 3, rel=1e-12)

    def test_one_error_on_one_unit_of_a_four_unit_line(self) -> None:
        """per unit: b = (3 + 0.75) ÷ 4 = 93.75; per line: (4 × 0.75) ÷ 4 = 75."""
        t = table({"product_id": "P", "quantity": 4, "done": 4, "errors": 1})
        assert abc(t, ND335) == [100.0, 93.75, 100.0]
        assert abc(t, PER_LINE) == [100.0, 75.0, 100.0]

    def test_units_done_late_are_one_delay_each_or_one_per_line(self) -> None:
        """4 done, 2 on time: per unit 2 delays → (4 − 0.5) ÷ 4; per line 1 delay → 75."""
        t = table({"product_id": "P", "quantity": 4, "done": 4, "on_time": 2})
        assert abc(t, ND335) == [100.0, 100.0, 87.5]
        assert abc(t, PER_LINE) == [100.0, 100.0, 75.0]

    def test_recorded_delays_override_the_default(self) -> None:
        """Three delays on a one-unit product: c = 1 − 0.75 = 25 %."""
        assert abc(table({"done": 1, "on_time": 0, "delays": 3})) == [100.0, 100.0, 25.0]

    def test_each_unit_floors_at_zero(self) -> None:
        """4 errors on one unit: b = 0 (not negative); 6 errors on 2 units: (2 − 1.5) ÷ 2."""
        assert abc(table({"done": 1, "errors": 4})) == [100.0, 0.0, 100.0]
        assert abc(table({"quantity": 2, "done": 2, "errors": 6})) == [100.0, 25.0, 100.0]
        assert abc(table({"quantity": 2, "done": 2, "errors": 6}), PER_LINE) == [100.0, 0.0,
                                                                                  100.0]

    def test_an_objective_cause_exempts_the_errors_and_delays(self) -> None:
        """Điều 14 k2 b, c: confirmed objective cause → no deduction; partial counts too."""
        flagged = table({"done": 1, "on_time": 0, "errors": 2, "objective": "x"})
        assert abc(flagged) == [100.0, 100.0, 100.0]
        assert task_components(flagged, ND335).loc[0, "exempted"] == 3.0  # 2 errors, 1 delay
        partial = table({"quantity": 2, "done": 2, "errors": 2, "objective_errors": 1,
                         "delays": 2, "objective_delays": 2})  # fmt: skip
        assert abc(partial) == [100.0, pct(2 - 0.25, 2), 100.0]

    def test_errors_on_a_product_also_lower_nothing_else(self) -> None:
        """A mixed month: P1 2 units done clean, P2 (×2) 1 of 2 done with 1 error, late.

        Assigned 2 + 4 = 6; done 2 + 2 = 4; quality 2 + 2 × 0.75 = 3.5; on time 2 + 2 × 0.75.
        """
        t = table({"product_id": "P1", "quantity": 2, "done": 2},
                  {"product_id": "P2", "quantity": 2, "coefficient": 2.0, "done": 1,
                   "on_time": 0, "errors": 1})  # fmt: skip
        assert abc(t) == pytest.approx([pct(4, 6), pct(3.5, 6), pct(3.5, 6)], rel=1e-12)

    def test_nothing_assigned_is_not_evaluated(self) -> None:
        """A converted total of 0 gives NaN (not 0, not 100): the person is not evaluated."""
        out = task_components(table({"quantity": 0, "done": 0}), ND335)
        assert all(math.isnan(out.loc[0, c]) for c in (A, B, C))
        assert out.loc[0, "products"] == 0

    def test_people_and_periods_are_kept_apart(self) -> None:
        """One row per person and period, sorted."""
        t = table({"staff_id": "B", "done": 1}, {"staff_id": "A", "done": 0},
                  {"staff_id": "A", "period": "2026-04", "done": 1})  # fmt: skip
        out = task_components(t, ND335)
        assert out[["staff_id", "period", A]].values.tolist() == [
            ["A", "2026-03", 0.0], ["A", "2026-04", 100.0], ["B", "2026-03", 100.0]]

    def test_rows_of_one_product_are_summed_before_the_line_rule(self) -> None:
        """A product tracked over two rows is one product: per line, its 1 error takes 25 %
        of the whole product once (4 × 0.75 ÷ 4)."""
        t = table({"product_id": "P", "quantity": 2, "done": 2, "errors": 1},
                  {"product_id": "P", "quantity": 2, "done": 2})  # fmt: skip
        assert abc(t, PER_LINE) == [100.0, 75.0, 100.0]


class TestCoefficients:
    """Quantity × a coefficient from the position's catalogue (NĐ 335 Điều 13, secondary)."""

    CATALOGUE = pd.DataFrame({"position_id": ["CV", "CV", "TTV"],
                              "product_type": ["report", "inspection", "inspection"],
                              "coefficient": [1.0, 2.5, 3.0]})  # fmt: skip

    def test_the_catalogue_gives_each_product_its_coefficient(self) -> None:
        """CV: 3 reports × 1.0 done, 1 inspection × 2.5 open → a = 3 ÷ 5.5."""
        t = table({"product_id": "r", "product_type": "report", "quantity": 3, "done": 3},
                  {"product_id": "i", "product_type": "inspection", "done": 0},
                  position_id="CV")  # fmt: skip
        assert abc(t, coefficients=self.CATALOGUE)[0] == pytest.approx(pct(3, 5.5))

    def test_a_mapping_catalogue_and_a_typed_coefficient(self) -> None:
        """{position: {type: coef}}; a typed coefficient wins over the catalogue."""
        t = table({"product_id": "i", "product_type": "inspection", "done": 1},
                  {"product_id": "j", "product_type": "inspection", "done": 0,
                   "coefficient": 1.0}, position_id="TTV")  # fmt: skip
        out = task_components(t, ND335, coefficients={"TTV": {"inspection": 3.0}})
        assert out.loc[0, A] == pytest.approx(pct(3, 4))

    def test_a_product_type_missing_from_the_catalogue_is_reported(self) -> None:
        """No silent 1: the row, the position and the type are named."""
        t = table({"product_id": "x", "product_type": "audit", "done": 1}, position_id="CV")
        problems = check_products(t, ND335, coefficients=self.CATALOGUE)
        assert [(p.row, p.column, p.staff_id) for p in problems] == [(0, "product_type", "A")]
        assert "no coefficient for product type 'audit' of position 'CV'" in problems[0].message

    def test_a_catalogue_coefficient_of_zero_is_reported(self) -> None:
        """A coefficient ≤ 0 in the catalogue names its row."""
        bad = pd.DataFrame({"position_id": ["CV"], "product_type": ["report"],
                            "coefficient": [0.0]})  # fmt: skip
        problems = check_products(table({"product_type": "report", "done": 1},
                                        position_id="CV"), ND335, coefficients=bad)  # fmt: skip
        assert problems[0].row == 0 and problems[0].column == "coefficient"
        assert "coefficient table: a coefficient must be a number above 0" in problems[0].message


class TestPeriods:
    """Weeks and dated rows go to the scored month; quarters pool (Điều 14 k1)."""

    WEEKS = table(
        {"period": "2026-W10", "product_id": "w10", "quantity": 2, "done": 2},
        {"period": "2026-W11", "product_id": "w11", "quantity": 2, "done": 2, "errors": 1},
        {"period": "2026-W12", "product_id": "w12", "quantity": 1, "coefficient": 2.0,
         "done": 1, "on_time": 0},
        {"period": "2026-W13", "product_id": "w13", "quantity": 3, "done": 1},
    )  # fmt: skip

    def test_four_weeks_of_products_make_the_months_a_b_c(self) -> None:
        """Weeks 10–13 of 2026 (2 to 29 March). Assigned 2 + 2 + 2 + 3 = 9; done 2 + 2 + 2
        + 1 = 7; quality 7 − 0.25; on time 7 − 0.25 × 2 (the late unit is worth 2)."""
        out = task_components(self.WEEKS, ND335)
        assert out["period"].tolist() == ["2026-03"]
        assert abc(self.WEEKS) == pytest.approx([pct(7, 9), pct(6.75, 9), pct(6.5, 9)],
                                                rel=1e-12)  # fmt: skip

    def test_the_weeks_give_what_the_month_gives(self) -> None:
        """The same products filed under the month give the same a, b, c."""
        monthly = self.WEEKS.assign(period="2026-03")
        assert abc(monthly) == abc(self.WEEKS)

    def test_a_week_across_two_months_goes_to_the_month_of_its_thursday(self) -> None:
        """Week 14 (30 March – 5 April 2026): Thursday 2 April → April; week 5 (26 January –
        1 February): Thursday 29 January → January."""
        out = task_components(table({"period": "2026-W14", "done": 1},
                                    {"period": "2026-W05", "done": 1}), ND335)  # fmt: skip
        assert out["period"].tolist() == ["2026-01", "2026-04"]

    def test_the_rows_date_decides_instead_of_the_thursday(self) -> None:
        """Week 14 with the date 31 March → March."""
        out = task_components(table({"period": "2026-W14", "date": "31/03/2026", "done": 1}),
                              ND335)  # fmt: skip
        assert out["period"].tolist() == ["2026-03"]

    def test_a_date_outside_its_week_is_reported(self) -> None:
        """Week 14 with the date 10 April: the row cannot be placed."""
        problems = check_products(table({"period": "2026-W14", "date": "2026-04-10",
                                         "done": 1}), ND335)  # fmt: skip
        assert [(p.row, p.column, p.value) for p in problems] == [(0, "date", "2026-04-10")]
        assert "outside the row's period" in problems[0].message

    def test_dated_rows_and_date_ranges(self) -> None:
        """A date alone; a range by its middle day; a long range inside one month."""
        t = table({"period": None, "date": "2026-02-27", "done": 1},
                  {"period": "2026-03-30..2026-04-05", "done": 1},
                  {"period": "2026-05-01..2026-05-31", "done": 1})  # fmt: skip
        assert task_components(t, ND335)["period"].tolist() == ["2026-02", "2026-04",
                                                                "2026-05"]  # fmt: skip

    def test_a_long_range_across_months_needs_a_date(self) -> None:
        """2026-03-20..2026-04-20 spans two months: reported, unless the row has a date."""
        t = table({"period": "2026-03-20..2026-04-20", "done": 1})
        problems = check_products(t, ND335)
        assert len(problems) == 1 and "spans more than one month" in problems[0].message
        assert task_components(t.assign(date="2026-04-01"), ND335)["period"].tolist() == [
            "2026-04"]

    THREE_MONTHS = table(
        {"period": "2026-01", "product_id": "j", "quantity": 1, "done": 1},
        {"period": "2026-02", "product_id": "f", "quantity": 3, "done": 0},
        {"period": "2026-03", "product_id": "m", "quantity": 4, "done": 4, "errors": 2},
    )  # fmt: skip

    def test_a_quarter_pools_its_products(self) -> None:
        """Q1: assigned 1 + 3 + 4 = 8, done 5, quality 5 − 0.5 = 4.5 (Điều 14 k1, "trong
        tháng hoặc quý") — not the mean of the months (100, 0, 100)."""
        out = task_components(self.THREE_MONTHS, QUARTERLY)
        assert out["period"].tolist() == ["2026-Q1"]
        assert abc(self.THREE_MONTHS, QUARTERLY) == [pct(5, 8), pct(4.5, 8), pct(5, 8)]

    def test_period_kind_scores_quarters_under_a_monthly_set(self) -> None:
        """period_kind='quarter' pools the same way; quarter cells are accepted then."""
        t = pd.concat([self.THREE_MONTHS, table({"period": "2026-Q1", "product_id": "q",
                                                 "done": 0})], ignore_index=True)  # fmt: skip
        assert abc(t, ND335, period_kind="quarter") == [pct(5, 9), pct(4.5, 9), pct(5, 9)]

    def test_averaging_months_is_only_an_explicit_option(self) -> None:
        """quarter = "average_months" (agency practice): a = (100 + 0 + 100) ÷ 3, b =
        (100 + 0 + 87.5) ÷ 3; months with nothing assigned are left out of the mean."""
        assert abc(self.THREE_MONTHS, AVERAGING) == pytest.approx(
            [200 / 3, 187.5 / 3, 200 / 3], rel=1e-12)
        two = self.THREE_MONTHS.assign(quantity=[1, 0, 4], done=[1, 0, 4])
        assert abc(two, AVERAGING) == [100.0, pytest.approx((100 + 87.5) / 2), 100.0]

    @pytest.mark.parametrize(("cell", "words"), [
        ("2026-13", "month 13 of 2026 is not a month"),
        ("next month", "is not a month like '2026-03'"),
        ("2026-W54", "week 54 of 2026 is not an ISO week"),
        ("2026", "a year is not a period products are scored in"),
        ("2026-Q1", "a quarter cannot be split into months"),
        ("2026-04-05..2026-03-30", "ends before it starts"),
        ("31/02/2026", "is not a date"),
    ])  # fmt: skip
    def test_an_unknown_period_is_a_located_problem(self, cell: str, words: str) -> None:
        """Row, staff, column 'period' and the cell as typed."""
        problems = check_products(table({"product_id": "P", "period": cell, "done": 1}), ND335)
        assert [(p.row, p.staff_id, p.column, p.value) for p in problems] == [
            (0, "A", "period", cell)]
        assert words in problems[0].message and "product 'P'" in problems[0].message

    def test_without_rules_each_period_uses_the_set_in_force(self) -> None:
        """2026-03: NĐ 335 (công chức); 2025-06: NĐ 90/2020 (vn.nd90-2020-cc), which scores
        no products; 2020-06: no set for công chức → a located problem."""
        assert abc(table({"done": 1, "errors": 1}), None) == [100.0, 75.0, 100.0]
        problems = check_products(table({"period": "2025-06", "done": 1}))
        assert len(problems) == 1 and "'vn.nd90-2020-cc'" in problems[0].message
        assert "does not score converted products" in problems[0].message
        problems = check_products(table({"period": "2020-06", "done": 1}))
        assert len(problems) == 1 and "no rule set is in force" in problems[0].message


class TestBadInput:
    """Each problem names staff, period, product, column and value; all are collected."""

    @pytest.mark.parametrize(("cells", "column", "value", "words"), [
        ({"coefficient": 0}, "coefficient", 0, "a coefficient must be a number above 0"),
        ({"coefficient": -2.5}, "coefficient", -2.5, "a coefficient must be a number above 0"),
        ({"coefficient": math.inf}, "coefficient", math.inf, "above 0"),
        ({"quantity": 2, "done": 3}, "done", 3.0, "done 3 is more than the quantity assigned 2"),
        ({"done": 1, "on_time": 2}, "on_time", 2.0, "2 done on time is more than the 1 done"),
        ({"done": 1, "errors": -1}, "errors", -1, "a count cannot be negative"),
        ({"done": 1, "delays": -1}, "delays", -1, "a count cannot be negative"),
        ({"done": 1, "errors": 1.5}, "errors", 1.5, "is not a count"),
        ({"done": 1, "errors": math.inf}, "errors", math.inf, "is not a count"),
        ({"done": 1, "errors": 5}, "errors", 5.0, "5 major errors is more than 4 per unit"),
        ({"done": 1, "delays": 9}, "delays", 9.0, "9 delays is more than 4 per unit"),
        ({"quantity": -1, "done": 0}, "quantity", -1, "cannot be negative"),
        ({"quantity": "nhiều", "done": 0}, "quantity", "nhiều", "is not a number"),
        ({"done": math.inf}, "done", math.inf, "is not a number"),
        ({"done": 1, "errors": 1, "objective_errors": 2}, "objective_errors", 2.0,
         "2 errors exempted is more than the 1 errors"),
        ({"done": 1, "objective": "có lẽ"}, "objective", "có lẽ", "is not a yes/no value"),
    ])  # fmt: skip
    def test_a_bad_cell_is_one_located_problem(
        self, cells: dict[str, Any], column: str, value: object, words: str
    ) -> None:
        """The decree's quantities cannot be negative, above what was assigned, or endless."""
        t = table({"product_id": "OK", "done": 1}, {"product_id": "BC-7", **cells})
        problems = check_products(t, ND335)
        assert [(p.row, p.staff_id, p.column) for p in problems] == [(1, "A", column)]
        p = problems[0]
        assert p.value == value
        assert words in p.message
        assert "product 'BC-7'" in p.message and "period '2026-03'" in p.message
        with pytest.raises(InputError) as info:
            task_components(t, ND335)
        assert info.value.problems == tuple(problems)

    def test_every_problem_of_a_table_is_collected(self) -> None:
        """Five bad rows, five problems, in one error; the clean product is not blamed."""
        t = table({"product_id": "a", "coefficient": 0, "done": 1},
                  {"product_id": "b", "done": 2},
                  {"product_id": "c", "period": "2026-14", "done": 1},
                  {"product_id": "d", "staff_id": " ", "done": 1},
                  {"product_id": "e", "done": 1, "errors": -3},
                  {"product_id": "f", "done": 1})  # fmt: skip
        problems = check_products(t, ND335)
        assert sorted((p.row, p.column) for p in problems) == [
            (0, "coefficient"), (1, "done"), (2, "period"), (3, "staff_id"), (4, "errors")]

    def test_the_sums_of_a_product_over_its_rows_are_checked(self) -> None:
        """Two weekly rows of P: 1 assigned, 1 + 1 done → done 2 > 1, on the first row."""
        t = table({"period": "2026-W10", "product_id": "P", "quantity": 1, "done": 1},
                  {"period": "2026-W11", "product_id": "P", "quantity": 0, "done": 1})
        problems = check_products(t, ND335)
        assert [(p.row, p.column, p.value) for p in problems] == [(0, "done", 2.0)]
        assert "the product's 2 rows summed" in problems[0].message

    def test_counts_typed_whole_are_said_and_returned_whole(self) -> None:
        """A count typed ``2`` is ``2`` in the output and in a problem, not ``2.0``; a
        fraction of a unit done late keeps the delays a number."""
        got = task_components(table({"product_id": "P", "quantity": 4, "done": 4, "errors": 1},
                                    {"product_id": "Q", "quantity": 2, "done": 2, "errors": 1,
                                     "delays": 1}), ND335)  # fmt: skip
        row = got.iloc[0]
        assert [str(row[c]) for c in ("products", "errors", "delays", "exempted")] == \
            ["2", "2", "1", "0"]
        assert got["errors"].dtype == np.int64
        half = task_components(table({"quantity": 1, "done": 1, "on_time": 0.5}), ND335)
        assert half["delays"].tolist() == [0.5]
        problems = check_products(table({"product_id": "P", "quantity": 2, "done": 3}), ND335)
        assert "value 3:" in str(problems[0])

    def test_two_coefficients_for_one_product_are_reported(self) -> None:
        """A product has one coefficient."""
        t = table({"product_id": "P", "coefficient": 1.0, "done": 1},
                  {"product_id": "P", "coefficient": 2.0, "done": 0})  # fmt: skip
        problems = check_products(t, ND335)
        assert [(p.column, p.value) for p in problems] == [("coefficient", 2.0)]

    def test_missing_columns_are_named(self) -> None:
        """staff_id and done are required; a period or a date."""
        problems = check_products(pd.DataFrame({"quantity": [1]}), ND335)
        assert [p.column for p in problems] == ["staff_id", "done"]
        problems = check_products(pd.DataFrame({"staff_id": ["A"], "done": [1]}), ND335)
        assert [p.column for p in problems] == ["period"]

    def test_a_bad_period_kind_is_refused(self) -> None:
        """period_kind is month or quarter."""
        with pytest.raises(InputError, match="period_kind must be"):
            task_components(table({"done": 1}), ND335, period_kind="week")  # type: ignore[arg-type]

    def test_text_cells_of_any_dtype_are_read(self) -> None:
        """pandas 3 text columns (str) and object columns with numbers as text."""
        t = table({"quantity": "3", "coefficient": " 1.5 ", "done": "2", "errors": "1"})
        t = t.astype({"quantity": "str", "coefficient": "str", "done": "str", "errors": "str"})
        assert abc(t) == pytest.approx([pct(2, 3), pct(1.75, 3), pct(2, 3)])

    def test_every_documented_column_is_read(self) -> None:
        """PRODUCT_COLUMNS lists what the table may hold."""
        assert set(PRODUCT_COLUMNS) >= {"staff_id", "period", "date", "product_id", "quantity",
                                        "coefficient", "done", "on_time", "errors", "delays",
                                        "objective"}  # fmt: skip


class TestTheScorePathAgrees:
    """The components feed score_frame and score with the same totals (issue 14 Done when)."""

    def test_frame_and_object_paths_give_the_hand_computed_total(self) -> None:
        """3 ÷ 5.5 for a, b, c with general 28: 28 + 54.5454… × 0.7 = 28 + 38.18 = 66.18."""
        t = table({"product_id": "report", "quantity": 3, "done": 3},
                  {"product_id": "inspection", "coefficient": 2.5, "done": 0},
                  {"staff_id": "B", "product_id": "x", "quantity": 4, "done": 4, "errors": 1})
        comp = task_components(t, ND335)
        staff = comp[["staff_id", "period", A, B, C]].assign(category="cong_chuc")
        for cid, v in general(28).items():
            staff[cid] = v
        scored = evalkit.score_frame(staff)
        assert scored["total"].tolist() == [66.18, 96.54]  # B: 28 + 293.75 ÷ 3 × 0.7
        for i, row in enumerate(comp.itertuples()):
            result = evalkit.score(evalkit.Assessment(
                str(row.staff_id), str(row.period),
                manager_scores={**general(28), A: getattr(row, A), B: getattr(row, B),
                                C: getattr(row, C)}))  # fmt: skip
            assert result.total == scored["total"].iloc[i]


# --------------------------------------------------------------------------- properties


@st.composite
def product_tables(draw: st.DrawFn, min_rows: int = 1, max_rows: int = 12) -> pd.DataFrame:
    """Valid product tables: two people, three months, whole quantities, valid counts."""
    n = draw(st.integers(min_rows, max_rows))
    rows = []
    for i in range(n):
        q = draw(st.integers(0, 5))
        d = draw(st.integers(0, q))
        t = draw(st.integers(0, d))
        e = draw(st.integers(0, 4 * q))
        row: dict[str, Any] = {
            "staff_id": draw(st.sampled_from(["A", "B"])),
            "period": draw(st.sampled_from(["2026-01", "2026-02", "2026-03", "2026-W06"])),
            "product_id": f"P{i}", "quantity": q,
            "coefficient": draw(st.sampled_from([0.5, 1.0, 1.5, 2.5])), "done": d,
            "on_time": t, "errors": e,
            "delays": draw(st.one_of(st.none(), st.integers(0, 4 * q))),
            "objective": draw(st.booleans()),
        }  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows)


def _by_key(frame: pd.DataFrame) -> dict[tuple[str, str], list[float]]:
    return {(r.staff_id, r.period): [getattr(r, c) for c in (A, B, C)]
            for r in frame.itertuples()}  # fmt: skip


def _same(x: dict[tuple[str, str], list[float]], y: dict[tuple[str, str], list[float]]) -> bool:
    return x.keys() == y.keys() and all(
        np.allclose(x[k], y[k], rtol=1e-12, atol=1e-9, equal_nan=True) for k in x)


class TestProperties:
    """Invariants of the decree's ratios."""

    @given(product_tables(), st.sampled_from([ND335, PER_LINE]))
    def test_a_b_c_are_percentages_and_b_c_never_exceed_a(
        self, t: pd.DataFrame, rules: RuleSet
    ) -> None:
        """0 ≤ b, c ≤ a ≤ 100; NaN exactly when nothing was assigned."""
        out = task_components(t, rules)
        empty = out["converted_assigned"].to_numpy() == 0
        for c in (A, B, C):
            v = out[c].to_numpy()
            assert (np.isnan(v) == empty).all()
            assert ((v[~empty] >= 0) & (v[~empty] <= 100)).all()
        assert (out[B][~empty] <= out[A][~empty] + 1e-9).all()
        assert (out[C][~empty] <= out[A][~empty] + 1e-9).all()

    @given(product_tables(), st.integers(1, 5), st.sampled_from([0.5, 1.0, 3.0]),
           st.sampled_from([ND335, PER_LINE]))  # fmt: skip
    def test_a_finished_clean_on_time_product_never_lowers_a_b_or_c(
        self, t: pd.DataFrame, q: int, k: float, rules: RuleSet
    ) -> None:
        """(N + v) ÷ (D + v) ≥ N ÷ D when N ≤ D: adding a full product moves a, b, c toward
        100 (and makes a person with nothing assigned evaluated at 100)."""
        before = _by_key(task_components(t, rules))
        extra = pd.DataFrame([{"staff_id": "A", "period": "2026-02", "product_id": "NEW",
                               "quantity": q, "coefficient": k, "done": q}])  # fmt: skip
        after = _by_key(task_components(pd.concat([t, extra], ignore_index=True), rules))
        old = before.get(("A", "2026-02"), [np.nan] * 3)
        new = after[("A", "2026-02")]
        for o, n in zip(old, new, strict=True):
            assert n >= o - 1e-9 if not math.isnan(o) else n == 100.0
        assert {k2: v for k2, v in after.items() if k2 != ("A", "2026-02")}.keys() == {
            k2 for k2 in before if k2 != ("A", "2026-02")}

    @given(product_tables(min_rows=2), st.randoms(use_true_random=False),
           st.sampled_from([ND335, PER_LINE]))  # fmt: skip
    def test_permuting_rows_changes_nothing(
        self, t: pd.DataFrame, rnd: Any, rules: RuleSet
    ) -> None:
        """The order of the rows is not information."""
        order = list(range(len(t)))
        rnd.shuffle(order)
        shuffled = t.iloc[order]
        assert _same(_by_key(task_components(t, rules)), _by_key(task_components(shuffled, rules)))

    @given(product_tables(), st.data())
    def test_splitting_a_line_into_two_rows_of_the_product_changes_nothing(
        self, t: pd.DataFrame, data: st.DataObject
    ) -> None:
        """per = "unit": a line split into two rows of the same product (weeks of it) gives
        the same a, b, c — the 25 % is per unit, so the split cannot matter."""
        i = data.draw(st.integers(0, len(t) - 1))
        row = t.iloc[i]
        q, d, on, e = (int(row[c]) for c in ("quantity", "done", "on_time", "errors"))
        q1 = data.draw(st.integers(0, q))
        d1 = min(d, q1)
        t1 = min(on, d1)
        e1 = data.draw(st.integers(0, e))
        first = {**row.to_dict(), "quantity": q1, "done": d1, "on_time": t1, "errors": e1}
        second = {**row.to_dict(), "quantity": q - q1, "done": d - d1, "on_time": on - t1,
                  "errors": e - e1, "period": row["period"]}  # fmt: skip
        if row["delays"] is not None and not pd.isna(row["delays"]):
            l1 = data.draw(st.integers(0, int(row["delays"])))
            first["delays"], second["delays"] = l1, int(row["delays"]) - l1
        split = pd.concat([t.drop(index=t.index[i]), pd.DataFrame([first, second])],
                          ignore_index=True)  # fmt: skip
        assert _same(_by_key(task_components(t, ND335)), _by_key(task_components(split, ND335)))
