"""The public Hypothesis strategies of :mod:`evalkit.testing` (issue 8 item 1).

Each strategy draws only valid domain objects, validates its arguments when called, and
shrinks to a small, readable example.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import evalkit
import evalkit.testing
from evalkit import Level, Period, score, score_frame
from evalkit.rules import check_bands
from evalkit.scoring import FRAME_COLUMNS
from evalkit.testing import (
    InvalidArgument,
    assessments,
    organisation_months,
    organisations,
    periods,
    rule_sets,
    staff,
    staff_month_frames,
    task_tables,
    unit_trees,
)

ROOT = Path(__file__).resolve().parents[1]
PRESETS = [rs.id for rs in evalkit.rules.available()]
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def minimal(strategy: st.SearchStrategy[Any]) -> Any:
    """The simplest example: the one Hypothesis draws first and shrinks every failure to."""
    quick = settings(database=None, max_examples=1, phases=(Phase.generate, Phase.shrink))
    return find(strategy, lambda _x: True, settings=quick)


class TestRuleSets:
    """rule_sets() draws valid variants of the presets."""

    @FEW
    @given(rs=rule_sets())
    def test_every_variant_passes_the_loaders_checks(self, rs: evalkit.RuleSet) -> None:
        """A variant's bands are contiguous and its block points sum to its total (issue 4 item 5)."""
        assert check_bands(rs.bands, rs.total) == []
        assert math.isclose(
            rs.total, sum(b.points * b.weight for b in rs.blocks if b.kind != "deduction")
        )
        for g in rs.groups:
            points = [c for c in g.criteria if c.unit == "points" and not c.management]
            if g.maximum is not None and points and len(points) == len(g.criteria):
                assert math.isclose(g.maximum, sum(c.maximum for c in points))
        if rs.quota is not None:
            assert 0 <= rs.quota.percent <= 100

    def test_an_unperturbed_variant_is_the_preset_itself(self) -> None:
        """With nothing to perturb the strategy gives back the preset."""
        base = evalkit.rules.get("vn.nd335-2025")
        assert base == minimal(rule_sets(base=base, perturb=()))

    def test_the_simplest_variant_is_the_preset_itself(self) -> None:
        """Every perturbation shrinks to no change."""
        base = evalkit.rules.get("vn.nd335-2025")
        assert base == minimal(rule_sets(base="vn.nd335-2025"))

    def test_band_perturbations_can_move_the_edges(self) -> None:
        """Bands do move: some variant has an HTT band that no longer starts at 70."""
        moved = find(rule_sets(base="vn.nd335-2025", perturb=["bands"]),
                     lambda rs: rs.band_for(70).grade != evalkit.Grade.HTT,
                     settings=settings(database=None, max_examples=500))  # fmt: skip
        assert check_bands(moved.bands, moved.total) == []

    @FEW
    @given(data=st.data())
    def test_variants_score_their_own_assessments(self, data: st.DataObject) -> None:
        """Scoring an assessment drawn for a variant never raises and stays in bounds."""
        rs = data.draw(rule_sets())
        a = data.draw(assessments(rs, manages_others=False))
        r = score(a, rules=rs, manages_others=False, force=True)
        assert r.total is not None
        assert 0 <= r.total <= rs.total


class TestAssessments:
    """assessments() draws valid assessments for a rule set."""

    @pytest.mark.parametrize("rule_set_id", PRESETS)
    def test_drawn_scores_are_within_their_maxima(self, rule_set_id: str) -> None:
        """Every score lies in [0, maximum] of its criterion (issue 3 item 2)."""
        rs = evalkit.rules.get(rule_set_id)

        @FEW
        @given(a=assessments(rs))
        def check(a: evalkit.Assessment) -> None:
            for level in Level:
                for cid, value in a.scores(level).items():
                    assert 0 <= value <= rs.maximum(cid)
            assert rs.in_force(a.period)
            assert score(a, rules=rs).evaluated  # manages_others not given: staff's inputs

        check()

    def test_the_simplest_assessment_is_self_scored_zeros_without_flags(self) -> None:
        """It shrinks to one level (self) scoring zero everywhere, with no flags; a leader's
        management components shrink to their lowest allowed value, 50."""
        a = minimal(assessments("vn.nd335-2025"))
        rs = evalkit.rules.get("vn.nd335-2025")
        mgmt = {c.id for c in rs.criteria() if c.management}
        assert a.counting_level() == Level.SELF
        assert {0.0} == set(a.self_scores.values())
        assert not mgmt & set(a.self_scores)  # not a leader: no d, đ, e typed
        lead = minimal(assessments("vn.nd335-2025", manages_others=True))
        assert {50.0} == {v for k, v in lead.self_scores.items() if k in mgmt}
        assert (a.degradation, int(a.discipline), a.kpi) == (False, 0, None)
        assert Period.parse("2026-01") == a.period

    def test_levels_limit_who_scores(self) -> None:
        """levels=['competent'] gives assessments scored by the competent level only."""
        a = minimal(assessments("vn.nd335-2025", levels=["competent"]))
        assert a.counting_level() == Level.COMPETENT
        assert len(a.self_scores) + len(a.manager_scores) == 0

    def test_fixed_staff_id_and_period_are_kept(self) -> None:
        """A fixed staff_id and period are used as given."""
        a = minimal(assessments("vn.nd335-2025", staff_id="CC-0042", period="2026-03"))
        assert ("CC-0042", Period.parse("2026-03")) == (a.staff_id, a.period)


class TestPeopleAndUnits:
    """staff(), unit_trees() and organisations() draw a valid organisation."""

    @FEW
    @given(org=organisations(max_units=5, heads=None))
    def test_heads_are_members_of_their_units(self, org: evalkit.Organisation) -> None:
        """A head belongs to the unit they head (domain brief §2)."""
        for u in org.units:
            if u.head_id is not None:
                assert u.id == org.member(u.head_id).unit_id

    @FEW
    @given(units=unit_trees(max_units=6, max_depth=2))
    def test_unit_trees_respect_their_size_and_depth(self, units: tuple[evalkit.Unit, ...]) -> None:
        """At most max_units units, one root, no unit deeper than max_depth."""
        assert 1 <= len(units) <= 6
        parents = {u.id: u.parent_id for u in units}
        assert [p for p in parents.values() if p is None] == [None]
        for parent in parents.values():
            depth, cur = 1, parent
            while cur is not None:
                depth, cur = depth + 1, parents[cur]
            assert depth <= 2

    def test_the_simplest_organisation_is_one_unit_headed_by_its_only_member(self) -> None:
        """It shrinks to the root unit with one member, Nguyễn Văn An, who heads it."""
        org = minimal(organisations())
        assert 1 == len(org.units) == len(org.staff)
        assert (org.staff[0].id, org.staff[0].full_name) == ("S001", "Nguyễn Văn An")
        assert org.units[0].head_id == "S001"

    def test_the_simplest_staff_member_is_a_cong_chuc_without_management_duty(self) -> None:
        """staff() shrinks to Nguyễn Văn An, công chức, not a manager."""
        s = minimal(staff(category="cong_chuc"))
        assert (s.full_name, s.category.value, s.manages_others) == (
            "Nguyễn Văn An",
            "cong_chuc",
            False,
        )


class TestFrames:
    """staff_month_frames() and organisation_months() use score_frame's documented columns."""

    @pytest.mark.parametrize("rule_set_id", PRESETS)
    def test_frames_hold_documented_columns_and_score(self, rule_set_id: str) -> None:
        """Every column is a criterion or a FRAME_COLUMNS name, and the frame scores."""
        rs = evalkit.rules.get(rule_set_id)
        allowed = set(FRAME_COLUMNS) | {c.id for c in rs.criteria()}

        @FEW
        @given(df=staff_month_frames(rs, max_rows=4, not_evaluated=True))
        def check(df: pd.DataFrame) -> None:
            assert set(df.columns) <= allowed
            out = score_frame(df, rs)
            assert len(df) == len(out)

        check()

    def test_the_simplest_frame_is_one_row_of_zeros(self) -> None:
        """It shrinks to one person, S001, scoring zero on every required criterion."""
        df = minimal(staff_month_frames("vn.nd335-2025"))
        assert df["staff_id"].tolist() == ["S001"]
        required = evalkit.rules.get("vn.nd335-2025").required_inputs(False)
        assert [0.0] * len(required) == df.loc[0, list(required)].tolist()

    @FEW
    @given(ex=organisation_months("vn.nd335-2025", max_units=3))
    def test_organisation_months_agree_with_their_organisation(self, ex: Any) -> None:
        """Each staff row carries its member's unit; each unit row its unit's head."""
        org, sm, units = ex
        assert [s.unit_id for s in org.staff] == sm["unit_id"].tolist()
        assert [u.head_id for u in org.units] == units["head_id"].tolist()
        heads = {u.head_id for u in org.units}
        assert [s.id in heads for s in org.staff] == sm["is_head"].tolist()


class TestPeriodsAndTasks:
    """periods() and task_tables()."""

    @FEW
    @given(p=periods(min_value="2026-03", max_value="2026-08"))
    def test_periods_stay_within_their_range(self, p: Period) -> None:
        """A drawn month lies between min_value and max_value."""
        assert Period.parse("2026-03") <= p <= Period.parse("2026-08")

    def test_periods_shrink_to_the_first_month(self) -> None:
        """The simplest period is min_value."""
        assert Period.parse("2026-07") == minimal(periods(min_value="2026-07"))

    def test_quarter_periods_are_quarters(self) -> None:
        """kind='quarter' draws quarters."""
        assert minimal(periods(kind="quarter")).kind == "quarter"

    @FEW
    @given(df=task_tables(min_rows=1, max_rows=8, period="2026-03"))
    def test_tasks_are_assigned_in_the_period_and_due_after(self, df: pd.DataFrame) -> None:
        """Assigned within the month, due on or after assigned, done (if done) after assigned."""
        assert df["assigned"].between("2026-03-01", "2026-03-31").all()
        assert (df["due"] >= df["assigned"]).all()
        done = df["done"].notna()
        assert (df.loc[done, "done"] >= df.loc[done, "assigned"]).all()
        assert not df.loc[~done, "exceeded"].any()


# --------------------------------------------------------------------------- bad arguments

BAD_ARGUMENTS: list[tuple[Callable[..., Any], dict[str, Any], str]] = [
    (periods, {"kind": "week"}, "kind must be one of"),
    (periods, {"min_value": "2026-13"}, "month 13"),
    (periods, {"min_value": "2026-05", "max_value": "2026-01"}, "after max_value"),
    (rule_sets, {"base": "vn.nd999"}, "not a registered rule set"),
    (rule_sets, {"base": []}, "at least one rule set"),
    (rule_sets, {"base": 42}, "expected a RuleSet"),
    (rule_sets, {"perturb": ["band"]}, "unknown perturbation 'band'"),
    (assessments, {"rules": "vn.nd335-2025", "levels": []}, "at least one level"),
    (assessments, {"rules": "vn.nd335-2025", "levels": ["boss"]}, "'self', 'manager'"),
    (assessments, {"rules": "vn.nd335-2025", "staff_id": ""}, "non-empty string"),
    (assessments, {"rules": "vn.nd335-2025", "period": "2026-13"}, "month 13"),
    (assessments, {"rules": "vn.nd335-2025", "manages_others": "yes"}, "True, False or None"),
    (assessments, {"rules": "vn.nd335-2025", "disqualifiers": None}, "True or False"),
    (staff, {"category": "boss"}, "unknown staff category"),
    (staff, {"unit_id": 7}, "non-empty string"),
    (unit_trees, {"max_units": 0}, "between 1 and 500"),
    (unit_trees, {"min_units": 5, "max_units": 2}, "min_units > max_units"),
    (unit_trees, {"max_depth": 1, "min_units": 2}, "depth 1 has one unit"),
    (unit_trees, {"max_depth": 2.5}, "whole number"),
    (organisations, {"max_staff_per_unit": -1}, "between 0 and 200"),
    (organisations, {"min_staff_per_unit": 3, "max_staff_per_unit": 1}, "min_staff_per_unit >"),
    (organisations, {"heads": "always"}, "True, False or None"),
    (staff_month_frames, {"rules": "vn.nd335-2025", "min_rows": 5, "max_rows": 1},
     "min_rows > max_rows"),
    (staff_month_frames, {"rules": "vn.nd335-2025", "max_rows": True}, "whole number"),
    (staff_month_frames, {"rules": "nope.toml"}, "nope.toml"),
    (organisation_months, {"rules": "vn.nd335-2025", "max_units": 0}, "between 1 and 500"),
    (task_tables, {"staff_ids": "S001"}, "not text"),
    (task_tables, {"staff_ids": []}, "at least one"),
    (task_tables, {"min_rows": -1}, "at least 0"),
    (evalkit.testing.check_rule_set, {"rule_set_or_path": "missing.toml"}, "no such file"),
    (evalkit.testing.check_rule_set, {"rule_set_or_path": "vn.nd335-2025", "max_examples": 0},
     "between 1 and"),
    (evalkit.testing.check_rule_set, {"rule_set_or_path": "vn.nd335-2025",
                                      "invariants": ["bandz"]}, "unknown invariant"),
]  # fmt: skip


def test_scalar_frame_takes_a_rule_files_path_as_score_frame_does(tmp_path: Path) -> None:
    """The oracle of scalar_equals_vectorised reads ``rules`` as score_frame does: a
    RuleSet, an id, or the path (str or Path) of an agency's rule file."""
    from evalkit.testing import scalar_frame

    agency = tmp_path / "agency.toml"
    agency.write_text('extends = "vn.nd335-2025"\nid = "so.truncate"\njurisdiction = "vn.so"\n'
                      '[scoring]\nrounding = "truncate"\n', encoding="utf-8")  # fmt: skip
    rs = evalkit.rules.load(agency)
    df = pd.DataFrame([{"staff_id": "A", "period": "2026-03", **rs.full_marks(),
                        "tien_do": 99.99}])  # fmt: skip
    want = score_frame(df, agency)["total"].tolist()
    assert want == [99.99]  # 30 + 70 × 299.99 / 300 = 99.9976…, truncated
    for rules in (str(agency), agency, rs):
        assert scalar_frame(df, rules)["total"].tolist() == want


@pytest.mark.parametrize(
    ("function", "kwargs", "message"),
    BAD_ARGUMENTS,
    ids=[f"{f.__name__}-{'-'.join(map(str, k.values()))}" for f, k, _ in BAD_ARGUMENTS],
)
def test_bad_arguments_raise_when_the_strategy_is_built(
    function: Callable[..., Any], kwargs: dict[str, Any], message: str
) -> None:
    """A bad argument raises InvalidArgument at call time, naming the value (style: Hypothesis)."""
    args = [kwargs.pop("rules")] if "rules" in kwargs else []
    if "rule_set_or_path" in kwargs:
        args = [kwargs.pop("rule_set_or_path")]
    with pytest.raises(InvalidArgument, match=message.replace("(", r"\(")):
        function(*args, **kwargs)


def test_invalid_argument_is_caught_as_an_evalkit_error_and_as_hypothesis_own() -> None:
    """One except clause of either family catches it."""
    import hypothesis.errors

    assert issubclass(InvalidArgument, evalkit.EvalkitError)
    assert issubclass(InvalidArgument, hypothesis.errors.InvalidArgument)


# --------------------------------------------------------------------------- the module


def test_every_exported_name_is_documented() -> None:
    """Each name of __all__ has a docstring or is described in the tutorial (style: Hypothesis)."""
    page = (ROOT / "docs" / "testing-a-rule-change.md").read_text(encoding="utf-8")
    for name in evalkit.testing.__all__:
        obj = getattr(evalkit.testing, name)
        if callable(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name
        in_code = re.search(rf"`[^`\n]*\b{name}\b[^`\n]*`", page)
        assert in_code, f"{name} is not in docs/testing-a-rule-change.md"


def test_all_is_sorted() -> None:
    """The public module re-exports its names with a sorted __all__ (style: attrs; ruff RUF022)."""

    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert sorted(evalkit.testing.__all__, key=kind) == evalkit.testing.__all__


def test_importing_evalkit_does_not_import_hypothesis() -> None:
    """``import evalkit`` stays light: evalkit.testing and Hypothesis load only on demand."""
    code = ("import sys, evalkit; "
            "print('hypothesis' in sys.modules, 'evalkit.testing' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.strip() == "False False"


@pytest.mark.parametrize(
    "name", ["evalkit.testing", "evalkit.testing._strategies", "evalkit.testing._check"]
)
def test_docstring_examples_run(name: str) -> None:
    """Every docstring example of evalkit.testing runs as written (style: docs examples run)."""
    import doctest
    import importlib
    import warnings

    module = importlib.import_module(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # .example() warns that it is for interactive use
        result = doctest.testmod(
            module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
        )
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
