"""Task-tracker import: person-month percentages and unit-month completion (NĐ 335, NĐ 233)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalkit.errors import InputError, RuleSetError
from evalkit.io.tasks import check_tasks, fill_from_tasks, task_components
from evalkit.scoring import score_frame
from tests.helpers import general


def _tasks() -> pd.DataFrame:
    return pd.DataFrame({
        "assignee": ["A", "A", "A", "A", "B"],
        "unit_id": ["U", "U", "U", "U", "U"],
        "assigned": ["2026-03-01"] * 5,
        "due": ["2026-03-10", "2026-03-20", "2026-03-25", "2026-03-05", "2026-03-15"],
        "done": ["2026-03-09", "2026-03-22", None, "2026-03-05", "2026-03-15"],
        "errors": [2, 0, 0, 0, 0],
        "exceeded": [False, False, False, True, "x"],
    })


def test_quantity_is_done_over_assigned() -> None:
    """NĐ 335 (a): 3 of A's 4 tasks done by the month's end → 75 %."""
    people = task_components(_tasks()).people
    assert people.loc[("A", "2026-03"), "so_luong"] == 75.0
    assert people.loc[("A", "2026-03"), "n_done"] == 3


def test_rules_mode_keeps_counts_for_the_rule_sets_25_percent_deductions() -> None:
    """The month-level shortcut (exact for a one-product month): two major errors → quality
    50 %, two delays → timeliness 50 %, taken by the preset's adjustments."""
    people = task_components(_tasks(), mode="rules").people
    a = people.loc[("A", "2026-03")]
    assert (a["chat_luong"], a["loi_chat_luong"]) == (100.0, 2.0)
    assert (a["tien_do"], a["cham_tien_do"]) == (100.0, 2.0)  # one late, one open overdue
    frame = people.reset_index()
    for c, v in general(28).items():
        frame[c] = v
    out = score_frame(frame, "vn.nd335-2025")
    assert out.loc[0, "points_tasks"] == round((75 + 50 + 50) / 3 * 0.7, 2)


def test_per_product_is_the_default_and_divides_by_what_was_assigned() -> None:
    """NĐ 335 Điều 14 k2: A has 4 one-unit tasks — on time with 2 errors, late, open and
    overdue, on time. a = 3 ÷ 4; b = (0.5 + 1 + 0 + 1) ÷ 4; c = (1 + 0.75 + 0 + 1) ÷ 4."""
    a = task_components(_tasks()).people.loc[("A", "2026-03")]  # the default mode
    assert (a["so_luong"], a["chat_luong"], a["tien_do"]) == (75.0, 62.5, 68.75)
    assert (a["loi_chat_luong"], a["cham_tien_do"], a["n_errors"]) == (0.0, 0.0, 2)


def test_an_unfinished_overdue_task_counts_zero_not_75_percent_timeliness() -> None:
    """One task done on time, one still open after its due date: c = 1 ÷ 2 = 50 (the open
    task was not done, so it has no timeliness to keep), b = 50 as well."""
    t = pd.DataFrame({"assignee": ["A", "A"], "assigned": ["2026-03-01"] * 2,
                      "due": ["2026-03-10", "2026-03-15"], "done": ["2026-03-09", None]})
    a = task_components(t).people.loc[("A", "2026-03")]
    assert (a["so_luong"], a["chat_luong"], a["tien_do"]) == (50.0, 50.0, 50.0)


def test_quantity_and_coefficient_convert_the_tasks() -> None:
    """3 reports × 1.0 done and 1 inspection × 2.5 open: a = b = c = 3 ÷ 5.5."""
    t = pd.DataFrame({"assignee": ["A", "A"], "assigned": ["2026-03-01"] * 2,
                      "due": ["2026-03-10", "2026-03-20"], "done": ["2026-03-09", None],
                      "quantity": [3, 1], "coefficient": [1.0, 2.5]})  # fmt: skip
    a = task_components(t).people.loc[("A", "2026-03")]
    assert a[["so_luong", "chat_luong", "tien_do"]].tolist() == pytest.approx(
        [3 / 5.5 * 100] * 3, rel=1e-12)
    assert a["n_assigned"] == 2 and a["n_done"] == 1  # task counts stay counts
    rules_mode = task_components(t, mode="rules").people.loc[("A", "2026-03")]
    assert rules_mode["so_luong"] == pytest.approx(3 / 5.5 * 100, rel=1e-12)


def test_an_error_on_one_unit_of_a_four_unit_task() -> None:
    """The rule set's per = "unit": one error on 4 units → (3 + 0.75) ÷ 4."""
    t = pd.DataFrame({"assignee": ["A"], "assigned": ["2026-03-01"], "due": ["2026-03-10"],
                      "done": ["2026-03-09"], "quantity": [4], "errors": [1]})
    assert task_components(t).people.loc[("A", "2026-03"), "chat_luong"] == 93.75


def test_an_objective_cause_exempts_a_late_task() -> None:
    """Done late, the competent level confirmed an objective cause: c = 100."""
    t = pd.DataFrame({"assignee": ["A"], "assigned": ["2026-03-01"], "due": ["2026-03-10"],
                      "done": ["2026-03-12"], "objective": ["x"]})
    assert task_components(t).people.loc[("A", "2026-03"), "tien_do"] == 100.0


@pytest.mark.parametrize(("column", "value", "words"), [
    ("quantity", -1, "is not a quantity (a number ≥ 0)"),
    ("quantity", "ba", "is not a quantity"),
    ("coefficient", 0, "a coefficient must be a number above 0"),
    ("coefficient", float("inf"), "a coefficient must be a number above 0"),
    ("objective", "chắc", "is not a yes/no value"),
])  # fmt: skip
def test_bad_quantity_coefficient_and_marks_are_located(
    column: str, value: object, words: str
) -> None:
    """check_tasks names row, column and value; the other rows are fine."""
    t = _tasks()
    t[column] = pd.Series([None] * len(t), dtype=object)
    t.loc[3, column] = value
    problems = check_tasks(t)
    assert [(p.row, p.column, p.value) for p in problems] == [(3, column, value)]
    assert words in problems[0].message
    with pytest.raises(InputError):
        task_components(t)


def test_implausible_errors_are_reported_by_the_product_checks() -> None:
    """Five major errors on a one-unit task (4 bring it to 0): row 0, column errors."""
    t = _tasks()
    t.loc[0, "errors"] = 5
    with pytest.raises(InputError) as info:
        task_components(t)
    (p,) = info.value.problems
    assert (p.row, p.column, p.staff_id) == (0, "errors", "A")
    assert "more than 4 per unit" in p.message and "2026-03" in p.message


def test_a_rule_set_without_products_gets_no_other_sets_product_rule() -> None:
    """NĐ 233/2026 (viên chức) has no [products] table: quality and timeliness are entered
    as assessed. A's month (two major errors, one task done late, one open) keeps a = 3 ÷ 4
    but gets no b, c — not NĐ 335's 25 % per error and per delay, which the set in force for
    công chức would give; the product table itself still refuses the set."""
    from evalkit.products import task_components as by_product

    t = _tasks().assign(assigned="2026-09-01", due=lambda d: d["due"].str.replace(
        "2026-03", "2026-09"), done=lambda d: d["done"].str.replace("2026-03", "2026-09"))
    a = task_components(t, rules="vn.nd233-2026").people.loc[("A", "2026-09")]
    assert a["so_luong"] == 75.0
    assert math.isnan(a["chat_luong"]) and math.isnan(a["tien_do"])
    nd335 = task_components(t, rules="vn.nd335-2025").people.loc[("A", "2026-09")]
    assert nd335["chat_luong"] < 75.0  # the rule NĐ 233's month must not get
    assert len(task_components(t, mode="rules", rules="vn.nd233-2026").people) == 2
    products = pd.DataFrame({"staff_id": ["A"], "period": ["2026-09"], "quantity": [1],
                             "done": [1]})
    with pytest.raises(RuleSetError, match="no \\[products\\] table"):
        by_product(products, "vn.nd233-2026")


def test_a_month_without_a_products_rule_set_has_no_a_b_c() -> None:
    """June 2025: no rule set for công chức converts products: a is the plain ratio 3 ÷ 4,
    b and c are NaN (typed values or the month-level inputs count); units are counted."""
    t = _tasks()
    t["assigned"] = "2025-06-01"
    t["due"] = t["due"].str.replace("2026-03", "2025-06")
    t["done"] = t["done"].str.replace("2026-03", "2025-06")
    summary = task_components(t)
    a = summary.people.loc[("A", "2025-06")]
    assert a["so_luong"] == 75.0
    assert math.isnan(a["chat_luong"]) and math.isnan(a["tien_do"])
    assert summary.units.loc[("U", "2025-06"), "tasks_assigned"] == 5


def test_unit_completion_counts_assigned_done_on_time_overdue_and_exceeded() -> None:
    """NĐ 233 unit conditions read these counts: 5 assigned, 4 done, 3 on time, 1 overdue."""
    u = task_components(_tasks()).units.loc[("U", "2026-03")]
    assert u[["tasks_assigned", "tasks_done", "tasks_on_time", "tasks_overdue",
              "tasks_exceeded"]].tolist() == [5, 4, 3, 1, 2]
    assert u["exceeded_percent"] == 40.0


def test_tasks_belong_to_the_month_of_their_due_date() -> None:
    """A task due in April is April's, even if assigned in March."""
    t = _tasks()
    t.loc[4, "due"] = "2026-04-02"
    people = task_components(t).people
    assert ("B", "2026-04") in people.index and ("B", "2026-03") not in people.index
    assert len(task_components(t, period="2026-03").people) == 1


def test_bad_rows_are_all_reported() -> None:
    """A bad date, a due date before assignment and a blank assignee: three problems."""
    t = _tasks()
    t.loc[0, "due"] = "soon"
    t.loc[1, "due"] = "2026-02-01"
    t.loc[2, "assignee"] = None
    problems = check_tasks(t)
    assert {(p.row, p.column) for p in problems} == {(0, "due"), (1, "due"), (2, "assignee")}
    with pytest.raises(InputError):
        task_components(t)


def test_fill_from_tasks_keeps_typed_values() -> None:
    """A manager's typed percentage wins over the tracker's."""
    staff = pd.DataFrame({"staff_id": ["A", "B"], "period": ["2026-03"] * 2,
                          "so_luong": [60.0, None], "chat_luong": [None, None]})
    out = fill_from_tasks(staff, task_components(_tasks()))
    assert out["so_luong"].tolist() == [60.0, 100.0]
