"""The contract every shipped rule set keeps, as a base class each preset's test class inherits.

A preset's test module subclasses :class:`PresetContract`, sets the class attributes that
describe the preset (id, jurisdiction, categories, dates, period kind, a full-marks score
sheet) and adds its own worked examples. The inherited tests check what every rule set
must satisfy (domain brief §4): it loads from its file, its dates are exact to the day, the
registry picks it automatically inside its dates and refuses it outside without ``force``,
every rule cites a source, and its bands cover ``[0, total]`` without gap or overlap.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit import Assessment, Grade, NoRuleSetError, Period, RuleSetNotInForceError
from evalkit.rules import QuotaPolicy, RuleSet, check_bands, read_rule_file
from evalkit.rules.blocks import band_codes
from evalkit.scoring import resolve_rules

ROOT = Path(__file__).resolve().parents[2]
PRESET_DIR = ROOT / "evalkit" / "rules" / "presets"
DOCS_DIR = ROOT / "docs" / "presets"
ONE_DAY = dt.timedelta(days=1)

#: Grades from the top band down, for "the band below".
_ORDER = (Grade.HTXS, Grade.HTT, Grade.HT, Grade.KHT)


def period_containing(day: dt.date, kind: str) -> Period:
    """The month or quarter that contains ``day``."""
    month = Period.of_date(day)
    return month if kind == "month" else month.quarter_of()


def first_full_period(day: dt.date, kind: str) -> Period:
    """The first month or quarter that starts on or after ``day``."""
    p = period_containing(day, kind)
    if p.start >= day:
        return p
    nxt = p.end + ONE_DAY
    return period_containing(nxt, kind)


def quota_cap(policy: QuotaPolicy, base_count: int, *, unit_excellent: bool = False) -> int:
    """How many people a quota policy lets into its grade (documented semantics, §4.6).

    ``base_count`` is the number graded ``policy.base`` (or everyone classified).
    """
    pct = policy.percent
    if unit_excellent and policy.percent_if_unit_excellent is not None:
        pct = policy.percent_if_unit_excellent
    raw = base_count * pct / 100.0
    if policy.rounding == "floor":
        return math.floor(raw + 1e-9)
    if policy.rounding == "ceil":
        return math.ceil(raw - 1e-9)
    return math.floor(raw + 0.5 + 1e-9)


class PresetContract:
    """What every shipped rule set must satisfy; subclasses describe one preset."""

    RULE_SET_ID: ClassVar[str]
    JURISDICTION: ClassVar[str]
    CATEGORIES: ClassVar[tuple[str, ...]]
    EFFECTIVE_FROM: ClassVar[dt.date]
    EFFECTIVE_TO: ClassVar[dt.date | None] = None
    PERIOD_KIND: ClassVar[str] = "month"
    TOTAL: ClassVar[float] = 100.0
    #: Band minimum of each grade, as the legal source states them.
    BAND_MINIMA: ClassVar[Mapping[Grade, float]] = {
        Grade.HTXS: 90.0, Grade.HTT: 70.0, Grade.HT: 50.0, Grade.KHT: 0.0,
    }  # fmt: skip
    #: Scores of every required criterion at full marks (a non-manager).
    FULL_SCORES: ClassVar[Mapping[str, float]]

    # ------------------------------------------------------------------ helpers
    @property
    def rs(self) -> RuleSet:
        """The registered preset."""
        return evalkit.rules.get(self.RULE_SET_ID)

    def in_force_period(self) -> Period:
        """The first whole period inside the preset's dates."""
        return first_full_period(self.EFFECTIVE_FROM, self.PERIOD_KIND)

    def category(self) -> str:
        """The first staff category the preset covers."""
        return self.CATEGORIES[0]

    def score(
        self,
        scores: Mapping[str, float],
        *,
        manages: bool = False,
        is_head: bool = False,
        period: Period | str | None = None,
        options: Mapping[str, bool] | None = None,
        **flags: Any,
    ) -> evalkit.EvaluationResult:
        """Score ``scores`` under the preset through both paths and check they agree.

        ``flags`` are Assessment fields (``discipline=...``, ``events={...}``).
        """
        per = Period.parse(period) if period is not None else self.in_force_period()
        a = Assessment("T-1", per, manager_scores=dict(scores), **flags)
        scalar = evalkit.score(
            a, rules=self.RULE_SET_ID, category=self.category(), manages_others=manages,
            is_head=is_head, options=options,
        )  # fmt: skip
        row: dict[str, Any] = {
            "staff_id": "T-1", "period": str(per), "manages_others": manages, "is_head": is_head,
            "discipline": int(a.discipline), "degradation": a.degradation,
            "corruption_in_unit": a.corruption_in_unit,
            "late_files": a.events.get("late_files", 0.0),
            "apologies": a.events.get("apologies", 0.0),
            **scores,
        }  # fmt: skip
        frame = evalkit.score_frame(pd.DataFrame([row]), self.RULE_SET_ID, options=options)
        assert frame["total"].iloc[0] == scalar.total
        assert frame["grade"].iloc[0] == (scalar.grade.code if scalar.grade is not None else None)
        return scalar

    # ------------------------------------------------------------------ identity
    def test_preset_file_loads_on_its_own_and_equals_the_registered_set(self) -> None:
        """A preset is a plain TOML file: reading it alone gives the registered rule set."""
        path = PRESET_DIR / f"{self.RULE_SET_ID}.toml"
        alone = read_rule_file(path)
        assert alone.id == self.RULE_SET_ID
        assert alone.blocks == self.rs.blocks and alone.bands == self.rs.bands

    def test_id_jurisdiction_categories_and_period_are_as_the_issue_fixes_them(self) -> None:
        """The preset's identity is fixed by the issue: id, jurisdiction, categories, period."""
        rs = self.rs
        assert rs.id == self.RULE_SET_ID
        assert rs.jurisdiction == self.JURISDICTION
        assert tuple(c.value for c in rs.categories) == self.CATEGORIES
        assert rs.period == self.PERIOD_KIND
        assert rs.total == self.TOTAL

    # ------------------------------------------------------------------ dates
    def test_nothing_of_it_is_in_force_the_day_before_effective_from(self) -> None:
        """A rule set applies only from its effective date (domain brief §4)."""
        assert self.rs.effective_from == self.EFFECTIVE_FROM
        assert not self.rs.in_force_on(self.EFFECTIVE_FROM - ONE_DAY)

    def test_it_is_in_force_on_the_effective_date_itself(self) -> None:
        """The effective date is the first day in force."""
        assert self.rs.in_force_on(self.EFFECTIVE_FROM)

    def test_it_is_in_force_on_effective_to_and_not_the_day_after(self) -> None:
        """effective_to is the last day in force; without one the set stays in force."""
        assert self.rs.effective_to == self.EFFECTIVE_TO
        if self.EFFECTIVE_TO is None:
            assert self.rs.in_force_on(dt.date(2100, 12, 31))
        else:
            assert self.rs.in_force_on(self.EFFECTIVE_TO)
            assert not self.rs.in_force_on(self.EFFECTIVE_TO + ONE_DAY)

    def test_the_registry_picks_it_for_its_first_period_without_being_told(self) -> None:
        """Applying the set in force on the period's date is automatic (domain brief §4)."""
        per = self.in_force_period()
        for cat in self.CATEGORIES:
            assert evalkit.rules.for_period(cat, per, self.JURISDICTION).id == self.RULE_SET_ID

    def test_the_period_before_it_takes_effect_gets_another_set_or_none(self) -> None:
        """The day before effective_from, the registry does not return this set."""
        before = period_containing(self.EFFECTIVE_FROM - ONE_DAY, self.PERIOD_KIND)
        for cat in self.CATEGORIES:
            try:
                found = evalkit.rules.for_period(cat, before, self.JURISDICTION).id
            except NoRuleSetError:
                continue
            assert found != self.RULE_SET_ID

    def test_the_period_after_it_ends_gets_another_set_or_none(self) -> None:
        """After effective_to the registry moves on to the next set (if any)."""
        if self.EFFECTIVE_TO is None:
            return
        after = period_containing(self.EFFECTIVE_TO + ONE_DAY, self.PERIOD_KIND)
        for cat in self.CATEGORIES:
            try:
                found = evalkit.rules.for_period(cat, after, self.JURISDICTION).id
            except NoRuleSetError:
                continue
            assert found != self.RULE_SET_ID

    def test_applying_it_before_its_dates_needs_force(self) -> None:
        """Applying a set outside its dates must be an explicit choice (domain brief §4)."""
        before = period_containing(self.EFFECTIVE_FROM - ONE_DAY, self.PERIOD_KIND)
        with pytest.raises(RuleSetNotInForceError, match=self.RULE_SET_ID):
            resolve_rules(self.RULE_SET_ID, self.category(), before)
        assert resolve_rules(self.RULE_SET_ID, self.category(), before, force=True) is self.rs

    # ------------------------------------------------------------------ citations
    def test_every_rule_cites_a_non_empty_source(self) -> None:
        """A rule set is data with a source citation for every rule (domain brief §4)."""
        missing = [rule for rule, source in self.rs.citations() if not source.strip()]
        assert missing == []

    def test_its_uncertainties_are_written_into_the_file(self) -> None:
        """Where a detail is uncertain the file says so (domain brief, preamble)."""
        assert self.rs.uncertainties
        assert all(len(u) > 20 for u in self.rs.uncertainties)

    def test_its_documentation_page_lists_every_citation(self) -> None:
        """docs/presets/<id>.md carries the preset's citations table, kept in step with the file."""
        page = (DOCS_DIR / f"{self.RULE_SET_ID}.md").read_text(encoding="utf-8")
        assert self.RULE_SET_ID in page
        absent = [src for _, src in self.rs.citations() if src not in page]
        assert absent == []

    # ------------------------------------------------------------------ bands
    def test_bands_cover_zero_to_total_without_gap_or_overlap(self) -> None:
        """Every total in [0, total] falls in exactly one band."""
        rs = self.rs
        assert check_bands(rs.bands, rs.total) == []
        srt = sorted(rs.bands, key=lambda b: b.min)
        assert srt[0].min == 0 and srt[-1].max == rs.total
        assert all(a.max == b.min for a, b in itertools.pairwise(srt))
        grid = np.round(np.arange(0, rs.total + 0.005, 0.01), 2)
        assert (band_codes(rs.bands, grid) >= 0).all()

    def test_each_band_starts_at_its_minimum_and_one_cent_below_is_the_band_below(self) -> None:
        """Band edges are exact: the minimum is in the band, 0.01 below is not."""
        rs = self.rs
        assert {b.grade: b.min for b in rs.bands} == dict(self.BAND_MINIMA)
        for b in rs.bands:
            assert rs.band_for(b.min).grade is b.grade
            assert band_codes(rs.bands, np.array([b.min]))[0] == b.grade.value
            if b.min > 0:
                below = _ORDER[_ORDER.index(b.grade) + 1]
                assert rs.band_for(round(b.min - 0.01, 2)).grade is below
                assert band_codes(rs.bands, np.array([b.min - 0.01]))[0] == below.value
        assert rs.band_for(rs.total).grade is Grade.HTXS

    def test_block_points_add_up_to_the_total(self) -> None:
        """The score blocks (without deductions) share out exactly the total points."""
        rs = self.rs
        assert sum(b.points * b.weight for b in rs.blocks if b.kind != "deduction") == rs.total

    # ------------------------------------------------------------------ scoring
    def test_full_marks_score_the_total_and_the_top_grade(self) -> None:
        """Every criterion at its maximum gives the full total and the top band."""
        r = self.score(self.FULL_SCORES)
        assert r.total == self.TOTAL
        assert r.grade is Grade.HTXS

    def test_a_person_nobody_scored_is_not_evaluated_never_zero(self) -> None:
        """No scores for a period means not evaluated, never a zero (domain brief §4.5)."""
        a = Assessment("T-0", self.in_force_period())
        r = evalkit.score(a, rules=self.RULE_SET_ID, category=self.category())
        assert r.total is None and r.grade is None


class ThanhHoaNoticesContract:
    """The Thanh Hóa late-file / apology flags: shipped off, switched on per call (§4.4).

    Mixed into the test classes of the national presets, after :class:`PresetContract`.
    """

    FULL_SCORES: ClassVar[Mapping[str, float]]

    def score(self, scores: Mapping[str, float], **kw: Any) -> evalkit.EvaluationResult:
        """Provided by PresetContract."""
        raise NotImplementedError

    def test_thanh_hoa_flags_are_shipped_switched_off(self) -> None:
        """Seed 004: the flags are for the competent level, optional, off by default."""
        rs: RuleSet = self.rs  # type: ignore[attr-defined]
        notices = {n.id: n for n in rs.notices}
        assert set(notices) >= {"thanhhoa.late_files", "thanhhoa.apologies"}
        assert not notices["thanhhoa.late_files"].enabled
        assert not notices["thanhhoa.apologies"].enabled
        r = self.score(self.FULL_SCORES, events={"late_files": 5, "apologies": 5})
        assert [x.code for x in r.reasons] == ["band"]

    def test_late_files_flag_switches_on_by_option_and_never_changes_the_grade(self) -> None:
        """Seed 004: two late files or more → flag for the competent level, grade unchanged."""
        on = {"thanhhoa.late_files": True}
        r = self.score(self.FULL_SCORES, events={"late_files": 2}, options=on)
        assert "notice.thanhhoa.late_files" in [x.code for x in r.reasons]
        assert r.grade is Grade.HTXS
        r1 = self.score(self.FULL_SCORES, events={"late_files": 1}, options=on)
        assert "notice.thanhhoa.late_files" not in [x.code for x in r1.reasons]

    def test_apologies_flag_needs_three_apologies(self) -> None:
        """Seed 004: three public apologies or more → heavier handling considered."""
        on = {"thanhhoa.apologies": True}
        r3 = self.score(self.FULL_SCORES, events={"apologies": 3}, options=on)
        r2 = self.score(self.FULL_SCORES, events={"apologies": 2}, options=on)
        assert "notice.thanhhoa.apologies" in [x.code for x in r3.reasons]
        assert "notice.thanhhoa.apologies" not in [x.code for x in r2.reasons]
