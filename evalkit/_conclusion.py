"""The competent level's conclusion, on arrays of person-periods: the one implementation
shared by :func:`evalkit.score`, :func:`evalkit.score_frame` and the classification steps
(:func:`evalkit._classify.steps.run_steps`).

A conclusion (a grade code, ``-1`` = none) that differs from the grade the score and the
caps give:

* on a period the rule set does not classify (NĐ 335/2025: a month) is not applied, and
  said not to be (``competent.not_applied``);
* lower, with its written reason (required where the rule set's ``conclusion`` policy
  says so), is applied (``competent.concluded``);
* higher is applied only where the policy allows a grade above the band
  (``competent.above_band_applied``), else the grade is kept and the conclusion reported
  (``competent.above_band``).

The caller refuses the rows of :attr:`Conclusion.missing_reason` (see :func:`problems`)
before it uses the grades.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _columns
from evalkit.errors import InputProblem

__all__ = ["CODES", "Conclusion", "conclude", "message", "problems"]

BoolArray = npt.NDArray[np.bool_]

#: The fields of :class:`Conclusion` that are reason flags, and their codes.
CODES: dict[str, str] = {"concluded": "competent.concluded", "above": "competent.above_band",
                         "above_applied": "competent.above_band_applied",
                         "not_applied": "competent.not_applied",
                         "not_graded": "competent.not_graded"}


class Conclusion(NamedTuple):
    """The grades after the conclusion and, per row, which case applied."""

    grade: npt.NDArray[Any]
    concluded: BoolArray  # a lower conclusion, applied
    above: BoolArray  # a higher conclusion the rule set does not allow: the grade kept
    above_applied: BoolArray  # a higher conclusion the rule set allows, applied
    not_applied: BoolArray  # a conclusion on a period the rule set does not classify
    not_graded: BoolArray  # a conclusion for someone without a grade to conclude on
    missing_reason: BoolArray  # a differing conclusion without its required written reason


def conclude(grade: npt.NDArray[Any], concluded: npt.NDArray[Any], reason: npt.NDArray[Any],
             classified: BoolArray, requires_reason: BoolArray, above_band: BoolArray) -> Conclusion:  # fmt: skip
    """The conclusion over ``n`` rows: ``grade`` (codes, -1 = not graded; not changed: the
    result has its own copy), ``concluded`` (codes, -1 = none), ``reason`` (the written
    reasons, None or blank text for none), ``classified`` (the rule set classifies the
    row's period) and, per row, the rule set's ``conclusion.requires_reason`` and
    ``conclusion.above_band``. Vectorised: the reasons are looked at once per distinct
    text, on the rows whose conclusion differs only.
    """
    differs = (concluded >= 0) & (grade >= 0) & (concluded != grade)
    given = differs & classified
    # of the rows that need a written reason, those without one (None, NaN or spaces)
    missing = given & requires_reason
    missing[missing] = _columns.staff_codes(pd.Series(np.asarray(reason, dtype=object)[missing],
                                                      dtype=object))[2]  # fmt: skip
    lower = given & (concluded < grade)
    above = given & (concluded > grade)
    up = above & above_band
    out = np.where(lower | up, concluded, grade).astype(grade.dtype)
    # not evaluated, or not classified (no month worked, too few months): nothing to
    # conclude on — the conclusion is not applied, and said, never dropped without a word
    not_graded = (concluded >= 0) & (grade < 0) & classified
    return Conclusion(out, lower, above & ~above_band, up, differs & ~classified, not_graded, missing)


def message(period: object) -> str:
    """The refusal of a differing conclusion without its written reason."""
    return ("the competent level concluded a grade other than the score's without a "
            f"written reason (competent_reason) ({period})")  # fmt: skip


def problems(frame: pd.DataFrame, rows: BoolArray) -> list[InputProblem]:
    """One :class:`~evalkit.errors.InputProblem` per refused row of ``frame`` (the first 200,
    then a line counting the rest), located by its row label, ``staff_id`` and ``period``."""
    at = np.flatnonzero(rows)  # each refused row's staff id and period as text (or None)
    ids, per = (frame[c].iloc[at].astype(str).tolist() if c in frame.columns else [None] * at.size
                for c in ("staff_id", "period"))  # fmt: skip
    return _columns.capped([InputProblem(message(p or ""), row=_columns.row_label(frame.index[i]),
                                         column="competent_reason", value=None, staff_id=sid)
                            for i, sid, p in zip(at.tolist(), ids, per, strict=True)])  # fmt: skip
