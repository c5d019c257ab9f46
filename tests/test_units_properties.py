"""Properties of units and accountability (issue 5), proven with Hypothesis.

Run many examples with ``HYPOTHESIS_PROFILE=thorough`` (≥ 500 each); ``dev`` stays quick.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from evalkit import Assessment, Grade, Organisation, Position, Staff, Unit
from evalkit.rules import QuotaPolicy, RuleSet
from evalkit.units import (
    UnitInputs,
    classify_frame,
    classify_organisation,
    frames_from_objects,
    rollup_frame,
)
from tests.helpers import DD, E, general, general_ids, monthly

ND335 = monthly("vn.nd335-2025")  # an agency grading every month
PERIOD = "2026-03"
GENERAL = general_ids()

# --------------------------------------------------------------------------- strategies


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    """NĐ 335 with drawn quota and unit policies (every documented option)."""
    quota = QuotaPolicy(
        grade=Grade.HTXS,
        base=draw(st.sampled_from(["HTT", "classified"])),
        percent=draw(st.sampled_from([20.0, 25.0, 30.0, 50.0])),
        percent_if_unit_excellent=draw(st.sampled_from([None, 25.0, 40.0])),
        rounding=draw(st.sampled_from(["floor", "half_up", "ceil"])),
        count_base=draw(st.sampled_from(["before_demotion", "after_demotion"])),
        tie_break=draw(st.sampled_from([
            ("total", "tasks", "fewer_deductions", "competent_order"),
            ("competent_order", "total"), ("tasks",)])),
        group_by=draw(st.sampled_from([("unit",), ("unit", "duty_group"), ("duty_group",)])),
    )  # fmt: skip
    nd233 = draw(st.booleans())
    units = attrs.evolve(
        ND335.units,
        excellent_tasks_done_percent=100.0 if nd233 else None,
        excellent_exceeded_percent=30.0 if nd233 else None,
        excellent_requires_no_subunit_kht=nd233,
        small_parent_threshold=5 if nd233 else None,
        small_parent_max_excellent=1 if nd233 else None,
        late_credit=draw(st.sampled_from([1.0, 0.5])),
        overdue_deduction=draw(st.sampled_from([0.0, 1.0])),
    )
    return attrs.evolve(ND335, quota=quota, units=units)


def scores(draw: st.DrawFn, manages: bool) -> dict[str, float]:
    s: dict[str, float] = {
        c.id: draw(st.sampled_from([x for x in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0)
                                    if x <= c.maximum]))
        for c in ND335.group("general").criteria
    }  # fmt: skip
    for c in ("so_luong", "chat_luong", "tien_do"):
        s[c] = draw(st.sampled_from([0, 30, 50, 70, 85, 90, 95, 100]))
    if manages:
        s[E] = draw(st.sampled_from([50, 100]))
        s[DD] = draw(st.sampled_from([50, 100]))
    if draw(st.integers(0, 5)) == 0:
        s["loi_chat_luong"] = draw(st.integers(0, 2))
    return s


@st.composite
def organisations(draw: st.DrawFn, max_units: int = 5, max_staff: int = 18) -> dict[str, Any]:
    """An organisation, its assessments and unit inputs for one month."""
    n_units = draw(st.integers(1, max_units))
    parents: list[int | None] = [None]
    for i in range(1, n_units):
        parents.append(draw(st.one_of(st.none(), st.integers(0, i - 1))))
    n_staff = draw(st.integers(1, max_staff))
    unit_of = [draw(st.integers(0, n_units - 1)) for _ in range(n_staff)]
    heads: dict[int, int] = {}
    for u in range(n_units):
        members = [i for i in range(n_staff) if unit_of[i] == u]
        if members and draw(st.booleans()):
            heads[u] = draw(st.sampled_from(members))

    def ancestors(u: int) -> list[int]:
        out = []
        p = parents[u]
        while p is not None:
            out.append(p)
            p = parents[p]
        return out

    staff = []
    for i in range(n_staff):
        u = unit_of[i]
        upper = [j for j in range(n_staff) if unit_of[j] in ancestors(u)]
        mgr = draw(st.one_of(st.none(), st.sampled_from(upper))) if upper else None
        manages = heads.get(u) == i or draw(st.integers(0, 6)) == 0
        staff.append(Staff(f"S{i:02d}", f"Người {i}", "P", f"U{u}", manages_others=manages,
                           duty_group=draw(st.sampled_from([None, "a", "b"])),
                           manager_id=None if mgr is None else f"S{mgr:02d}"))  # fmt: skip
    units = [Unit(f"U{u}", f"Đơn vị {u}", parent_id=None if parents[u] is None
                  else f"U{parents[u]}", head_id=f"S{heads[u]:02d}" if u in heads else None)
             for u in range(n_units)]  # fmt: skip
    org = Organisation(units=units, positions=[Position("P", "Chuyên viên")], staff=staff)
    assessments = []
    for s in staff:
        if draw(st.integers(0, 9)) == 0:
            continue  # absent this month
        if draw(st.integers(0, 9)) == 0:
            assessments.append(Assessment(s.id, PERIOD))  # nobody scored: not evaluated
            continue
        assessments.append(Assessment(
            s.id, PERIOD, competent_scores=scores(draw, s.manages_others),
            discipline=1 if draw(st.integers(0, 15)) == 0 else 0,
            # a leader's mark (Điều 20 k4 d); on staff it is refused
            corruption_in_unit=s.manages_others and draw(st.integers(0, 15)) == 0,
            competent_order=draw(st.one_of(st.none(), st.integers(1, 5)))))  # fmt: skip
    inputs = []
    for u in units:
        if draw(st.integers(0, 7)) == 0:
            continue  # no unit results this month
        assigned = draw(st.integers(1, 12))
        done = draw(st.integers(0, assigned))
        inputs.append(UnitInputs(
            u.id, PERIOD, tasks_assigned=assigned, tasks_done=done,
            tasks_on_time=draw(st.integers(0, done)),
            tasks_exceeded=draw(st.integers(0, done)),
            tasks_overdue=draw(st.integers(0, assigned - done)),
            bonus=draw(st.sampled_from([None, 0, 2, 5])),
            deduction=draw(st.sampled_from([None, 0, 3]))))  # fmt: skip
    return {"org": org, "assessments": assessments, "inputs": inputs}


def run_frame(case: dict[str, Any], rules: RuleSet) -> tuple[pd.DataFrame, pd.DataFrame]:
    sm, units = frames_from_objects(case["org"], case["assessments"], case["inputs"])
    if not len(sm):
        return sm, units
    return classify_frame(sm, units, rules)


def codes(text: str) -> tuple[str, ...]:
    return tuple(c for c in str(text).split(";") if c)


# --------------------------------------------------------------------------- properties


class TestTwoFacesOneAnswer:
    """Domain brief §3 / issue 5 item 6: the object and frame faces agree."""

    @given(case=organisations(), rules=rule_sets())
    def test_object_and_frame_faces_give_identical_results(
        self, case: dict[str, Any], rules: RuleSet
    ) -> None:
        """Every staff and unit result is the same through classify_unit and classify_frame."""
        if not case["assessments"]:
            return
        by_unit = classify_organisation(case["org"], case["assessments"], case["inputs"],
                                        rules, period=PERIOD)  # fmt: skip
        staff, units = run_frame(case, rules)
        frame = staff.set_index("staff_id")
        for c in by_unit.values():
            u = units.set_index("unit_id").loc[c.unit.unit_id]
            assert (None if pd.isna(u["grade"]) else u["grade"]) == (
                c.unit.grade.code if c.unit.grade is not None else None)
            assert codes(u["reasons"]) == c.unit.reason_codes()
            for r in c.staff:
                row = frame.loc[r.staff_id]
                assert (r.total is None) == pd.isna(row["total"])
                if r.total is not None:
                    assert r.total == row["total"]
                expected = None if r.grade is None else r.grade.code
                assert expected == (None if pd.isna(row["grade"]) else row["grade"])
                assert tuple(x for x in r.reason_codes() if x != "band") == codes(
                    row["reasons"])


class TestQuotaProperties:
    """Domain brief §4.1, §4.6: quotas per unit and duty group."""

    @given(case=organisations(), rules=rule_sets())
    def test_no_quota_is_exceeded_in_any_group(self, case: dict[str, Any], rules: RuleSet) -> None:
        """After quotas no group has more of the quota grade than its cap allows."""
        staff, _ = run_frame(case, rules)
        if not len(staff):
            return
        kept = staff[staff["grade"] == "HTXS"].groupby("quota_group").size()
        cap = staff.groupby("quota_group")["quota_cap"].first()
        assert (kept <= cap.reindex(kept.index)).all()

    @given(case=organisations(max_staff=12), rules=rule_sets(), data=st.data())
    def test_adding_one_more_htt_person_never_lowers_anyone_elses_grade(
        self, case: dict[str, Any], rules: RuleSet, data: st.DataObject
    ) -> None:
        """One more HTT member only raises the HTT base, so no one else is graded lower."""
        org: Organisation = case["org"]
        staff, _ = run_frame(case, rules)
        unit = data.draw(st.sampled_from([u.id for u in org.units]))
        new = Staff("Z99", "Người mới", "P", unit, duty_group=data.draw(
            st.sampled_from([None, "a", "b"])))  # fmt: skip
        full_general = general(30)
        more = {
            "org": attrs.evolve(org, staff=(*org.staff, new)),
            "assessments": [*case["assessments"], Assessment("Z99", PERIOD, competent_scores={
                **full_general, "so_luong": 80, "chat_luong": 70, "tien_do": 70})],  # 30 + 51.33
            "inputs": case["inputs"],
        }  # fmt: skip
        after, _ = run_frame(more, rules)
        assert after.set_index("staff_id").loc["Z99", "proposed_grade"] == "HTT"
        if not len(staff):
            return
        before = staff.set_index("staff_id")["grade"].cat.codes
        now = after.set_index("staff_id")["grade"].cat.codes.reindex(before.index)
        assert (now >= before).all()


class TestAccountability:
    """Domain brief §3, §4.2: heads and their units."""

    @given(case=organisations(), rules=rule_sets())
    def test_head_is_never_graded_above_the_unit(self, case: dict[str, Any], rules: RuleSet) -> None:
        """A head's final grade never exceeds the grade of the unit they head."""
        staff, _ = run_frame(case, rules)
        if not len(staff):
            return
        heads = staff[staff["is_head"] & staff["unit_grade"].notna() & staff["grade"].notna()]
        assert (heads["grade"].cat.codes <= heads["unit_grade"].cat.codes).all()

    @given(case=organisations(), rules=rule_sets(), seed=st.integers(0, 2**32 - 1))
    def test_results_are_invariant_under_any_permutation_of_input_rows(
        self, case: dict[str, Any], rules: RuleSet, seed: int
    ) -> None:
        """Shuffling staff-month and unit rows changes no result."""
        sm, units = frames_from_objects(case["org"], case["assessments"], case["inputs"])
        if not len(sm):
            return
        a, ua = classify_frame(sm, units, rules)
        rng = np.random.default_rng(seed)
        sm2 = sm.iloc[rng.permutation(len(sm))]
        u2 = units.iloc[rng.permutation(len(units))]
        b, ub = classify_frame(sm2, u2, rules)
        cols = ["total", "score_grade", "grade", "reasons"]
        pd.testing.assert_frame_equal(
            a.set_index("staff_id")[cols].sort_index().astype(str),
            b.set_index("staff_id")[cols].sort_index().astype(str))
        ucols = ["score", "grade", "reasons"]
        pd.testing.assert_frame_equal(
            ua.set_index("unit_id")[ucols].sort_index().astype(str),
            ub.set_index("unit_id")[ucols].sort_index().astype(str))

    @given(case=organisations(max_units=4, max_staff=2), rules=rule_sets(), data=st.data())
    def test_unit_grade_is_monotone_in_task_completion(
        self, case: dict[str, Any], rules: RuleSet, data: st.DataObject
    ) -> None:
        """More tasks done (on time, exceeded) never lowers the unit's own grade."""
        if not case["inputs"]:
            return
        i = data.draw(st.integers(0, len(case["inputs"]) - 1))
        ui: UnitInputs = case["inputs"][i]
        assigned = ui.tasks_assigned or 0
        more = data.draw(st.integers(0, int(assigned - (ui.tasks_done or 0))))
        better = attrs.evolve(
            ui, tasks_done=(ui.tasks_done or 0) + more,
            tasks_on_time=(ui.tasks_on_time or 0) + more,
            tasks_exceeded=(ui.tasks_exceeded or 0) + more,
            tasks_overdue=max(0.0, (ui.tasks_overdue or 0) - more))  # fmt: skip
        inputs2 = [*case["inputs"][:i], better, *case["inputs"][i + 1:]]
        _, units1 = frames_from_objects(case["org"], [], case["inputs"])
        _, units2 = frames_from_objects(case["org"], [], inputs2)
        dummy = pd.DataFrame(columns=["staff_id", "unit_id", "period"])
        _, r1 = classify_frame(dummy, units1, rules)
        _, r2 = classify_frame(dummy, units2, rules)
        g1 = r1.set_index("unit_id").loc[ui.unit_id, "grade"]
        g2 = r2.set_index("unit_id").loc[ui.unit_id, "grade"]
        assert Grade.parse(g2) >= Grade.parse(g1)


class TestRollupProperties:
    """Domain brief §4.2, §4.4: the roll-up of identical months."""

    @given(total=st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)),
           months=st.integers(6, 12), method=st.sampled_from(["average", "count"]),
           of=st.sampled_from(["month", "quarter"]))  # fmt: skip
    def test_rollup_of_identical_months_equals_the_month(
        self, total: float, months: int, method: str, of: str
    ) -> None:
        """A year of identical monthly totals gets the month's total and grade."""
        rules = attrs.evolve(ND335, rollup=attrs.evolve(ND335.rollup, method=method, of=of))
        if method == "count":  # a count of concluded period grades: the set classifies them
            rules = attrs.evolve(rules, classified=(of, "year"))
        df = pd.DataFrame({"staff_id": "A", "total": total,
                           "period": [f"2026-{m:02d}" for m in range(1, months + 1)]})
        out = rollup_frame(df, rules).iloc[0]
        assert out["total"] == total
        assert out["grade"] == ND335.band_for(total).grade.code
