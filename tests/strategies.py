"""The project's shared Hypothesis strategies: the public ones of :mod:`evalkit.testing`.

Tests import from here (``from strategies import assessments``: pytest puts ``tests/`` on
``sys.path``), so that a strategy the public module lacks can be added in one place.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from evalkit import Organisation, Period
from evalkit.rules import RuleSet
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
from evalkit.testing._strategies import _org_months

__all__ = [
    "assessments",
    "organisation_months",
    "organisation_periods",
    "organisations",
    "periods",
    "rule_sets",
    "staff",
    "staff_month_frames",
    "task_tables",
    "unit_trees",
]


Months = list[tuple[pd.DataFrame, pd.DataFrame]]


def _strong(draw: st.DrawFn, rs: RuleSet, sm: pd.DataFrame, top: bool) -> None:
    """Some rows (all when ``top``) scored at 70-100 % of every maximum with no deductions:
    the grades a quota and the caps act on, which drawn scores alone rarely reach."""
    for i in sm.index:
        if not (top or draw(st.integers(0, 2)) == 0):
            continue
        share = draw(st.sampled_from([1.0, 0.95, 0.9, 0.8, 0.7]))
        for cid, top_mark in rs.full_marks(bool(sm.at[i, "manages_others"])).items():
            c = rs.criterion(cid)
            if cid in sm.columns and not c.management and c.unit != "count":
                sm.at[i, cid] = round(top_mark * share, 2)
        for c in rs.criteria():
            if c.unit == "count" and c.id in sm.columns and not np.isnan(sm.at[i, c.id]):
                sm.at[i, c.id] = 0.0


def _deputies(rs: RuleSet, sm: pd.DataFrame, who: set[str]) -> None:
    """Staff ``who`` (none of them a head) manage others: deputies, scored on d, đ, e."""
    mask = sm["staff_id"].isin(who).to_numpy() & ~sm["is_head"].to_numpy(dtype=bool)
    sm.loc[mask, "manages_others"] = True
    for cid, top_mark in rs.full_marks(True).items():
        if rs.criterion(cid).management:
            sm.loc[mask, cid] = top_mark


def _extras(draw: st.DrawFn, rs: RuleSet, sm: pd.DataFrame) -> None:
    """Duty groups, leave and competent conclusions (with a reason) on some rows."""
    n = len(sm)
    sm["duty_group"] = pd.Series(draw(st.lists(st.sampled_from([None, "G1", "G2"]),
                                               min_size=n, max_size=n)), dtype=object)  # fmt: skip
    leave = draw(st.lists(st.sampled_from(["", "", "", "sick", "maternity", "absent"]),
                          min_size=n, max_size=n))  # fmt: skip
    sm["leave"] = pd.Series([x or None for x in leave], dtype=object)
    on_leave = sm["leave"].notna().to_numpy()
    scored = [c.id for c in rs.criteria() if c.id in sm.columns]
    sm.loc[on_leave, scored] = np.nan
    grades = draw(st.lists(st.sampled_from([None, None, "HTXS", "HTT", "HT", "KHT"]),
                           min_size=n, max_size=n))  # fmt: skip
    sm["competent_grade"] = pd.Series(grades, dtype=object)
    sm["competent_reason"] = pd.Series([g and f"Kết luận {g}" for g in grades], dtype=object)
    sm.loc[on_leave, ["competent_grade", "competent_reason"]] = None


@st.composite
def organisation_periods(draw: st.DrawFn, rules: RuleSet, periods_: Sequence[str], *,
                         max_units: int = 3, max_staff_per_unit: int = 4, max_periods: int = 3,
                         extras: bool = False, categories: Sequence[str] = ()
                         ) -> tuple[Organisation, Months]:  # fmt: skip
    """One organisation over several periods: ``(organisation, [(staff_months, units)])``
    as :func:`organisation_months` draws each period (``periods_``: up to ``max_periods``
    of them are drawn, in order), with strong units (every task done) and strong staff now and then,
    some non-heads made deputies (``manages_others``) and the units' ``late_work`` drawn
    (under a set that reads it);
    ``extras`` adds duty groups, legal leave (a month without scores) and competent-level
    conclusions with their written reason, each now and then; ``categories`` replaces the rule
    set's own (a mixed organisation)."""
    org = draw(organisations(max_units=max_units, max_staff_per_unit=max_staff_per_unit,
                             category=st.sampled_from(categories or rules.categories)))  # fmt: skip
    heads = {u.head_id for u in org.units}
    deputies = draw(st.sets(st.sampled_from([s.id for s in org.staff if s.id not in heads]
                                            or ["-"])))  # fmt: skip
    chosen = draw(st.lists(st.sampled_from(list(periods_)), min_size=1, max_size=max_periods,
                           unique=True))  # fmt: skip
    out: Months = []
    for p in sorted(chosen, key=lambda x: Period.parse(x).start):
        _, sm, units = draw(_org_months(rules, st.just(org), st.just(Period.parse(p)), True))
        top = draw(st.booleans())
        _deputies(rules, sm, deputies)
        _strong(draw, rules, sm, top)
        if top:
            units["tasks_done"] = units["tasks_exceeded"] = units["tasks_assigned"]
        if "late_work" in rules.unit_flags_read():  # a flag its set reads (else refused)
            units["late_work"] = [draw(st.booleans()) for _ in range(len(units))]
        if extras:
            _extras(draw, rules, sm)
        out.append((sm, units))
    return org, out
