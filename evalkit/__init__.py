"""evalkit: monthly individual performance evaluation for the Vietnamese public sector.

Units, job positions and monthly criteria; staff scored under effective-dated legal rule
sets; units classified before individuals, heads capped at their unit, quotas; months
rolled up to quarters and years; signed-off PDF evaluation sheets.

>>> import evalkit
>>> full = evalkit.rules.get("vn.nd335-2025").full_marks()
>>> a = evalkit.Assessment("CC-0042", "2026-03", competent_scores={
...     **full, "so_luong": 90, "chat_luong": 100, "tien_do": 80})
>>> r = evalkit.score(a)
>>> r.total, r.score_grade, r.classified
(93.0, <Grade.HTXS: 3>, False)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evalkit.errors import (
    EvalkitError,
    InputError,
    InputProblem,
    ModelError,
    NoRuleSetError,
    OrganisationError,
    OutputError,
    PeriodError,
    RenderError,
    RuleSetError,
    RuleSetNotInForceError,
    ScoreError,
    UnknownReferenceError,
)
from evalkit.model import (
    Assessment,
    Criterion,
    CriterionGroup,
    Discipline,
    EvaluationResult,
    Grade,
    Level,
    Organisation,
    Period,
    Position,
    Reason,
    Scores,
    Section,
    Staff,
    StaffCategory,
    Unit,
)
from evalkit.rules import RuleSet

if TYPE_CHECKING:
    from evalkit.reasons import explain
    from evalkit.scoring import assessments_to_frame, score, score_frame
    from evalkit.units import (
        QuotaReport,
        UnitClassification,
        UnitInputs,
        UnitResult,
        classify_frame,
        classify_organisation,
        classify_organisation_quarters,
        classify_organisation_year,
        classify_unit,
        classify_year,
        frames_from_objects,
        quota_report,
        rank_units,
        results_from_frame,
        rollup,
        rollup_frame,
    )

_LAZY = {"assessments_to_frame", "score", "score_frame"}
_LAZY_UNITS = {
    "QuotaReport", "UnitClassification", "UnitInputs", "UnitResult", "classify_frame",
    "classify_organisation", "classify_organisation_quarters", "classify_organisation_year",
    "classify_unit", "classify_year", "frames_from_objects", "quota_report", "rank_units", "results_from_frame", "rollup",
    "rollup_frame",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    """Import the scoring functions (and pandas) on first use, so ``evalkit --help`` is fast."""
    if name in _LAZY:
        from evalkit import scoring

        value = getattr(scoring, name)
        globals()[name] = value
        return value
    if name == "explain":
        from evalkit.reasons import explain

        globals()[name] = explain
        return explain
    if name in _LAZY_UNITS:
        from evalkit import units

        value = getattr(units, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'evalkit' has no attribute {name!r}")

__version__ = "0.1.0"

__all__ = [
    "Assessment",
    "Criterion",
    "CriterionGroup",
    "Discipline",
    "EvalkitError",
    "EvaluationResult",
    "Grade",
    "InputError",
    "InputProblem",
    "Level",
    "ModelError",
    "NoRuleSetError",
    "Organisation",
    "OrganisationError",
    "OutputError",
    "Period",
    "PeriodError",
    "Position",
    "QuotaReport",
    "Reason",
    "RenderError",
    "RuleSet",
    "RuleSetError",
    "RuleSetNotInForceError",
    "ScoreError",
    "Scores",
    "Section",
    "Staff",
    "StaffCategory",
    "Unit",
    "UnitClassification",
    "UnitInputs",
    "UnitResult",
    "UnknownReferenceError",
    "__version__",
    "assessments_to_frame",
    "classify_frame",
    "classify_organisation",
    "classify_organisation_quarters",
    "classify_organisation_year",
    "classify_unit",
    "classify_year",
    "explain",
    "frames_from_objects",
    "quota_report",
    "rank_units",
    "results_from_frame",
    "rollup",
    "rollup_frame",
    "score",
    "score_frame",
]
