"""The contract every shipped rule set keeps, as a base class each preset's test class inherits.

A preset's test module subclasses :class:`PresetContract`, sets the class attributes that
describe the preset (id, jurisdiction, categories, dates, period kind, classified periods,
a full-marks score sheet) and adds its own worked examples. The inherited tests check what
every rule set must satisfy (domain brief §4, issue 19): it loads from its file, its dates
are exact to the day, the registry picks it automatically inside its dates and refuses it
outside without ``force``, every rule carries a source status and a short citation unless
it is practice or unsourced, nothing unsourced is switched on by default, its page in
docs/presets shows every rule's source and status, and its bands cover ``[0, total]``
without gap or overlap.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest

import evalkit
from evalkit import Assessment, Grade, NoRuleSetError, Period, RuleSetNotInForceError
from evalkit.rules import SOURCE_STATUSES, QuotaPolicy, RuleSet, check_bands, read_rule_file
from evalkit.rules.blocks import band_codes
from evalkit.rules.sources import rule_sources, unsourced_on_by_default
from evalkit.scoring import resolve_rules

ROOT = Path(__file__).resolve().parents[2]
PRESET_DIR = ROOT / "evalkit" / "rules" / "presets"
DOCS_DIR = ROOT / "docs" / "presets"
ONE_DAY = dt.timedelta(days=1)
PAGES_SCRIPT = ROOT / "docs" / "_ext" / "preset_pages.py"

#: Words that betray English or hedging in a citation printed on a Vietnamese sheet.
_NOT_A_CITATION = re.compile(
    r"\b(the|of|per|not|verified|secondary|sources?|evalkit|domain|brief|article|see|as|"
    r"mirrors?|unverified|points?|default|optional|off)\b", re.IGNORECASE)
#: The longest short citation a sheet prints (characters).
MAX_CITATION = 80
#: TOML tables of a rule file that are rules and must carry a ``status``.
_RULE_ARRAYS = ("groups", "blocks", "adjustments", "bands", "caps", "notices")
_RULE_TABLES = ("quota", "management", "conclusion", "scoring", "units", "rollup")


def load_pages_module() -> Any:
    """docs/_ext/preset_pages.py, which writes the rule tables of docs/presets/*.md."""
    spec = importlib.util.spec_from_file_location("preset_pages", PAGES_SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod

#: NĐ 335/2025 Điều 12 k2 general criteria at full marks (groups a/b/c of 10, practice points);
#: the same in vn.customs-2026q.
GENERAL_30: Mapping[str, float] = {
    "pham_chat_dao_duc": 5, "ky_luat_ky_cuong": 5,
    "nang_luc_chuyen_mon": 2.5, "dap_ung_nhiem_vu": 2.5, "tinh_than_trach_nhiem": 2.5,
    "phuc_vu_phoi_hop": 2.5,
    "san_pham_dot_pha": 2.5, "nhiem_vu_kho_khan": 2.5, "chiu_trach_nhiem": 2.5,
    "chu_dong_quyet_dinh": 2.5,
}  # fmt: skip

#: vn.nd233-2026's general criteria at full marks: a) and b) as NĐ 335's practice, c) the
#: three items of NĐ 233/2026 Phụ lục I item 3 (a–c), 4 + 3 + 3 (practice) — no
#: ``nhiem_vu_kho_khan``, which the annex does not have.
GENERAL_30_VC: Mapping[str, float] = {
    **{k: v for k, v in GENERAL_30.items() if k != "nhiem_vu_kho_khan"},
    "san_pham_dot_pha": 4, "chiu_trach_nhiem": 3, "chu_dong_quyet_dinh": 3,
}  # fmt: skip

#: Grades from the top band down, for "the band below".
_ORDER = (Grade.HTXS, Grade.HTT, Grade.HT, Grade.KHT)


def decided(r: evalkit.EvaluationResult) -> Grade | None:
    """The grade the rules decide for ``r``: its grade, or for a period the set only
    monitors (the month under an annual classification) the grade proposed after caps."""
    return r.grade if r.grade is not None else r.proposed_grade


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


def counted_by(base: str, grades: Sequence[str | None]) -> int:
    """How many of a group's people a quota base counts (docs/rule-sets.md, ``[quota]``).

    ``grades`` has one entry per staff member of the group: a grade code, or None for
    someone not classified. ``"classified"`` counts everyone with a grade, ``"all_staff"``
    everyone, a grade code those with that grade.
    """
    if base == "all_staff":
        return len(grades)
    if base == "classified":
        return sum(g is not None for g in grades)
    return sum(g == base for g in grades)


def quota_cap(
    policy: QuotaPolicy,
    counted: int | Sequence[str | None],
    *,
    raised: bool = False,
) -> int:
    """How many people a quota policy lets into its grade (documented semantics, §4.6).

    ``counted`` is the number the base counts, or the group's grades (see
    :func:`counted_by`). ``raised``: the unit is rated excellent or recognised as
    exceptional (as the policy's ``raised_when`` says), so ``raised_percent`` of
    ``raised_base`` (default: the same base) applies.
    """
    pct = policy.percent
    base = policy.base
    if raised and policy.raised_percent is not None:
        pct = policy.raised_percent
        base = policy.raised_base or policy.base
    n = counted if isinstance(counted, int) else counted_by(base, counted)
    raw = n * pct / 100.0
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
    #: The periods the set classifies (grades, caps, quota), as its source says.
    CLASSIFIED: ClassVar[tuple[str, ...]] = ("year",)
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
            "party_discipline": a.party_discipline,
            "discipline_related_to_duty": a.discipline_related_to_duty,
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

    def test_it_classifies_the_periods_its_source_says_and_cites_why(self) -> None:
        """Issue 18: a rule set says which periods it classifies, with a citation."""
        assert self.rs.classified == self.CLASSIFIED
        assert self.rs.classified_source.strip()
        assert self.rs.classifies("year") == ("year" in self.CLASSIFIED)

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
    def test_every_rule_carries_a_source_status(self) -> None:
        """Issue 19: every rule is verified, secondary, practice or unsourced."""
        rows = rule_sources(self.rs)
        assert [r.rule for r in rows if r.status not in SOURCE_STATUSES] == []

    def test_every_rule_table_of_the_file_carries_a_status(self) -> None:
        """Issue 19: every rule of the TOML file (groups included) says how sure it is."""
        data = tomllib.loads((PRESET_DIR / f"{self.RULE_SET_ID}.toml").read_text("utf-8"))
        missing = [] if data.get("status") in SOURCE_STATUSES else ["rule set"]
        for key in _RULE_ARRAYS:
            missing += [f"{key}[{i}]" for i, t in enumerate(data.get(key) or [])
                        if t.get("status") not in SOURCE_STATUSES]  # fmt: skip
        missing += [k for k in _RULE_TABLES if k in data
                    and data[k].get("status") not in SOURCE_STATUSES]  # fmt: skip
        assert missing == []

    def test_every_sourced_rule_cites_a_short_vietnamese_citation(self) -> None:
        """A rule that is verified or secondary prints a short citation on the sheet: no
        English, no hedging (uncertainty goes to ``note`` and ``uncertainties``)."""
        bad = []
        for r in rule_sources(self.rs):
            if r.status in ("practice", "unsourced") and not r.source:
                continue
            if (not r.source.strip() or len(r.source) > MAX_CITATION
                    or _NOT_A_CITATION.search(r.source)):  # fmt: skip
                bad.append((r.rule, r.source))
        assert bad == []

    def test_no_unsourced_rule_is_switched_on_by_default(self) -> None:
        """Issue 19: an unsourced rule is only an option — caps and notices off, quota
        options off, the small-parent limit off."""
        rs = self.rs
        assert unsourced_on_by_default(rs) == ()
        for cap in rs.caps:
            assert cap.status != "unsourced" or not cap.enabled, cap.id
        for notice in rs.notices:
            assert notice.status != "unsourced" or not notice.enabled, notice.id
        if rs.quota is not None:
            assert (rs.quota.small_group_size, rs.quota.small_group_keep) == (None, None)
        if not rs.units.small_parent_source:
            assert rs.units.small_parent_threshold is None

    def test_a_set_marked_unsourced_is_never_in_force_by_default(self) -> None:
        """An unsourced set (an example) is an option itself: no look-up for real staff
        (jurisdiction 'vn' or below) ever returns it."""
        rs = self.rs
        if rs.status != "unsourced":
            return
        assert rs.jurisdiction != "vn" and not rs.jurisdiction.startswith("vn.")
        per = self.in_force_period()
        for jur in (None, "vn", "vn.hanoi", "vn.haiphong"):
            for cat in self.CATEGORIES:
                try:
                    found = evalkit.rules.for_period(cat, per, jur).id
                except NoRuleSetError:
                    continue
                assert found != rs.id

    def test_its_uncertainties_are_written_into_the_file(self) -> None:
        """Where a detail is uncertain the file says so (domain brief, preamble)."""
        assert self.rs.uncertainties
        assert all(len(u) > 20 for u in self.rs.uncertainties)

    def test_its_documentation_page_lists_every_rule_with_its_status(self) -> None:
        """docs/presets/<id>.md carries the table of every rule's source and status, as
        docs/_ext/preset_pages.py writes it from the file (run it after editing a preset)."""
        page = (DOCS_DIR / f"{self.RULE_SET_ID}.md").read_text(encoding="utf-8")
        assert self.RULE_SET_ID in page
        pages = load_pages_module()
        assert pages.rules_block(self.rs) in page
        for r in rule_sources(self.rs):
            assert f"| {r.rule} |" in page and r.source in page

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
    def test_full_marks_score_the_total_and_the_top_band(self) -> None:
        """Every criterion at its maximum gives the full total and the top band."""
        r = self.score(self.FULL_SCORES)
        assert r.total == self.TOTAL
        assert r.score_grade is Grade.HTXS

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
        assert [x.code for x in r.reasons if x.code.startswith("notice.")] == []
        assert r.score_grade is Grade.HTXS

    def test_late_files_flag_switches_on_by_option_and_never_changes_the_grade(self) -> None:
        """Seed 004: two late files or more → flag for the competent level, grade unchanged."""
        on = {"thanhhoa.late_files": True}
        r = self.score(self.FULL_SCORES, events={"late_files": 2}, options=on)
        assert "notice.thanhhoa.late_files" in [x.code for x in r.reasons]
        assert r.score_grade is Grade.HTXS
        r1 = self.score(self.FULL_SCORES, events={"late_files": 1}, options=on)
        assert "notice.thanhhoa.late_files" not in [x.code for x in r1.reasons]

    def test_apologies_flag_needs_three_apologies(self) -> None:
        """Seed 004: three public apologies or more → heavier handling considered."""
        on = {"thanhhoa.apologies": True}
        r3 = self.score(self.FULL_SCORES, events={"apologies": 3}, options=on)
        r2 = self.score(self.FULL_SCORES, events={"apologies": 2}, options=on)
        assert "notice.thanhhoa.apologies" in [x.code for x in r3.reasons]
        assert "notice.thanhhoa.apologies" not in [x.code for x in r2.reasons]
