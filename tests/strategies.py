"""The project's shared Hypothesis strategies: the public ones of :mod:`evalkit.testing`.

Tests import from here (``from strategies import assessments``: pytest puts ``tests/`` on
``sys.path``), so that a strategy the public module lacks can be added in one place.
"""

from __future__ import annotations

from evalkit.testing import (
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
    "assessments",
    "organisation_months",
    "organisations",
    "periods",
    "rule_sets",
    "staff",
    "staff_month_frames",
    "task_tables",
    "unit_trees",
]
