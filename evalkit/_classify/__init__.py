"""The one classification engine (private): a whole organisation's periods in frames.

Data flows one way through its modules::

    common   helpers over columns (codes, grades, ranks, reason labels)
    units    the unit table: structure, unit scores and grades, bottom-up conditions
    quota    quota arithmetic and the quota step
    steps    the classification steps every classified period shares: the competent
             level's conclusion, the head cap, the deputy cap, the quota
    month    staff-periods: rule set per person, scoring, management component (d),
             then the steps where the rule set classifies the period
    year     roll-up of months (or quarters) to the year, then the same steps

:mod:`evalkit.units` is the public face: objects → frames → this engine → objects; it
re-exports the engine's three frame functions as they are.
"""

from __future__ import annotations

from evalkit._classify.month import classify_frame
from evalkit._classify.year import classify_year, rollup_frame

__all__ = ["classify_frame", "classify_year", "rollup_frame"]
