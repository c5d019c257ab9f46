"""Task-tracker import: person-month percentages and unit-month completion (NĐ 335, NĐ 233)."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit.errors import InputError
from evalkit.io.tasks import check_tasks, fill_from_tasks, task_components
from evalkit.scoring import score_frame


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
    """NĐ 335: two major errors → quality 50 %, two delays → timeliness 50 %, via the preset."""
    people = task_components(_tasks(), mode="rules").people
    a = people.loc[("A", "2026-03")]
    assert (a["chat_luong"], a["loi_chat_luong"]) == (100.0, 2.0)
    assert (a["tien_do"], a["cham_tien_do"]) == (100.0, 2.0)  # one late, one open overdue
    frame = people.reset_index()
    for c in ("chinh_tri", "dao_duc", "tac_phong", "ky_luat", "phuc_vu"):
        frame[c] = 6
    out = score_frame(frame, "vn.nd335-2025")
    assert out.loc[0, "points_tasks"] == pytest.approx((75 + 50 + 50) / 3 * 0.7, abs=0.01)


def test_per_product_is_the_default_and_does_not_deduct_twice() -> None:
    """Per product: quality (50 + 100 + 100) / 3; timeliness (100 + 75 + 75 + 100) / 4."""
    a = task_components(_tasks()).people.loc[("A", "2026-03")]  # the default mode
    assert a["chat_luong"] == pytest.approx(250 / 3)
    assert a["tien_do"] == pytest.approx(87.5)
    assert (a["loi_chat_luong"], a["cham_tien_do"], a["n_errors"]) == (0.0, 0.0, 2)


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
