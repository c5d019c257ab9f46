"""Property-testing rule changes: Hypothesis strategies and the invariant suite.

``evalkit.testing`` needs Hypothesis (``pip install evalkit[testing]``); ``import
evalkit`` does not import it. Two uses:

* **Rule authors** check a rule file before it takes effect::

      from evalkit.testing import check_rule_set

      def test_my_province_rules():
          check_rule_set("rules/my-province.toml").assert_ok()

  or, on the command line, ``evalkit rules check rules/my-province.toml``.

* **HR systems and evalkit's own tests** generate valid domain objects::

      from hypothesis import given
      from evalkit.testing import assessments, rule_sets

      @given(rule_sets(base="vn.nd335-2025").flatmap(assessments))
      def test_never_crashes(a): ...

Every strategy takes keyword-only arguments, checks them when called (raising
:class:`InvalidArgument`) and shrinks to a small, readable example.

>>> import evalkit.testing
>>> sorted(evalkit.testing.INVARIANTS)[:3]
['bands', 'bounds', 'disqualifiers']
"""

from __future__ import annotations

from evalkit.testing._check import (
    INVARIANTS,
    CheckReport,
    InvariantResult,
    check_rule_set,
    scalar_frame,
)
from evalkit.testing._strategies import (
    PERTURBATIONS,
    TASK_COLUMNS,
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

__all__ = [
    "INVARIANTS",
    "PERTURBATIONS",
    "TASK_COLUMNS",
    "CheckReport",
    "InvalidArgument",
    "InvariantResult",
    "assessments",
    "check_rule_set",
    "organisation_months",
    "organisations",
    "periods",
    "rule_sets",
    "scalar_frame",
    "staff",
    "staff_month_frames",
    "task_tables",
    "unit_trees",
]
