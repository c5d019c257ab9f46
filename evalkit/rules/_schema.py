"""Rule sets as data: the attrs classes a TOML rule file is validated into.

A rule set is read with :mod:`tomllib` and turned into a frozen :class:`RuleSet`.
Every problem of a file is collected and reported together, each with the file and
the key path (``bands[1].min``), so a rule author can fix them in one pass.

The format is documented in ``docs/rule-sets.md``; the presets in
``evalkit/rules/presets/`` are complete examples.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import itertools
import json
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

import attrs

from evalkit.errors import RuleSetError
from evalkit.messages import text as _say_in
from evalkit.model import (
    Assessment,
    Criterion,
    CriterionGroup,
    Grade,
    Period,
    Scores,
    Section,
    StaffCategory,
)

__all__ = [
    "BLOCK_KINDS",
    "CAP_SCOPES",
    "CITED_BY",
    "FLAG_INPUTS",
    "INSPECTION_SEVERITIES",
    "PERIOD_KINDS",
    "SOURCE_STATUSES",
    "Adjustment",
    "Band",
    "Block",
    "Cap",
    "ConclusionPolicy",
    "InspectionPolicy",
    "ManagementPolicy",
    "Notice",
    "ProductPolicy",
    "QuotaPolicy",
    "RollupPolicy",
    "RuleSet",
    "Scope",
    "ScorePolicy",
    "UnitBody",
    "UnitPolicy",
    "cited",
    "citing_key",
    "merge_rule_data",
    "rule_day",
    "validate_rule_set",
]

SCHEMA_VERSION = 1

#: Bounds a rule file is held to before it is parsed (issue 16): a larger file, deeper
#: nesting of arrays and inline tables, or a longer number literal is refused with the
#: file and the line, before :mod:`tomllib` recurses or builds a number no key can hold.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 20
MAX_DIGITS = 30
#: The largest magnitude of any number in a rule set.
MAX_NUMBER = 1e9
#: The largest rule-set total (100 in every known scheme).
MAX_TOTAL = 10_000
#: Caps and notices of one rule set together (one bit each in the reasons mask).
MAX_RULES = 32

#: A jurisdiction: dotted names, most general first (``vn.hanoi.dongda``).
_JURISDICTION = re.compile(r"^[^.\s;]+(\.[^.\s;]+)*$")

#: The score building blocks and the parameters each takes (see ``blocks.py``).
BLOCK_KINDS: dict[str, tuple[str, ...]] = {
    "criteria_sum": ("group",),
    "percent_average": ("inputs", "manager_inputs", "kpi"),
    "ratio": ("numerator", "denominator", "empty"),
    "bonus": ("inputs", "cap"),
    "deduction": ("inputs", "cap"),
}
ADJUSTMENT_KINDS: dict[str, tuple[str, ...]] = {
    "per_event_deduction": ("input", "events", "step", "floor"),
}

#: Flags a cap or notice may test. Booleans and counts; ``discipline`` is a Discipline level.
#: ``duty_discipline`` is ``discipline`` where the violation was related to public duty
#: (else 0); ``any_discipline`` is the heavier of ``discipline`` and ``party_discipline``;
#: ``duty_any_discipline`` is ``any_discipline`` where the violation was related to the duties.
#: ``inspection_findings`` counts the inspection findings on the person in the period
#: (:mod:`evalkit.inspections`).
FLAG_INPUTS = (
    "degradation",
    "discipline",
    "duty_discipline",
    "party_discipline",
    "any_discipline",
    "duty_any_discipline",
    "corruption_in_unit",
    "late_files",
    "apologies",
    "inspection_findings",
)

#: How sure the source of a rule is (docs/_research/legal-sources.md):
#: ``verified`` the text is quoted with its article; ``secondary`` the article comes from
#: secondary sources; ``practice`` common practice, no legal text; ``unsourced`` no source
#: found (kept only as an option, never on by default in a preset).
SOURCE_STATUSES = ("verified", "secondary", "practice", "unsourced")

#: Who a cap applies to: everyone, leaders (heads and deputies: anyone holding a leadership
#: or management post, i.e. heads and staff who manage others), or heads of unit only.
CAP_SCOPES = ("all", "leaders", "heads")

#: Period kinds a rule set may score and classify.
PERIOD_KINDS = ("month", "quarter", "year")

#: By whom a unit's shortcomings to remedy were pointed out (``[units]
#: shortcomings_pointed_out_by``): NĐ 233/2026 Điều 7 k1 c, QĐ 366-QĐ/TW Điều 11 k1.
SHORTCOMINGS_POINTED_OUT_BY = ("evaluation_or_inspection", "previous_review")

Rounding = Literal["floor", "half_up", "ceil"]
ScoreRounding = Literal["half_up", "truncate"]
TIE_BREAKS = ("total", "tasks", "fewer_deductions", "competent_order", "staff_id")


@attrs.frozen(slots=True)
class Band:
    """A score band: totals in ``[min, max)`` get ``grade`` (the top band includes max)."""

    grade: Grade
    min: float
    max: float
    label_vi: str
    label_en: str
    source: str = ""
    status: str = ""
    note: str = ""

    def label(self, lang: str = "vi") -> str:
        """The band's label in ``lang``."""
        return self.label_en if lang == "en" else self.label_vi


@attrs.frozen(slots=True)
class Block:
    """One score building block producing points (see :mod:`evalkit.rules.blocks`)."""

    id: str
    kind: str
    label_vi: str
    label_en: str
    points: float
    weight: float = 1.0
    params: Mapping[str, Any] = attrs.field(factory=dict)
    source: str = ""
    status: str = ""
    note: str = ""

    def label(self, lang: str = "vi") -> str:
        """The block's label in ``lang``."""
        return self.label_en if lang == "en" else self.label_vi

    def inputs(self, manages_others: bool | None = None) -> tuple[str, ...]:
        """The input criterion ids this block reads.

        ``manages_others`` None means every input it may read.
        """
        p = self.params
        if self.kind == "percent_average":
            base = tuple(p["inputs"])
            mgr = tuple(p.get("manager_inputs") or ())
            if manages_others is None:
                return tuple(dict.fromkeys(base + mgr))
            return mgr if (manages_others and mgr) else base
        if self.kind == "ratio":
            return (p["numerator"], p["denominator"])
        if self.kind in ("bonus", "deduction"):
            return tuple(p["inputs"])
        return ()


@attrs.frozen(slots=True)
class Adjustment:
    """A change to an input before the blocks read it, e.g. −25 points of quality per error.

    The month-level event count is a shortcut that is exact for a month with a single
    product; the product table (:mod:`evalkit.products`) deducts per product.
    """

    id: str
    kind: str
    input: str
    events: str
    step: float
    floor: float = 0.0
    source: str = ""
    status: str = ""
    note: str = ""


@attrs.frozen(slots=True)
class Scope:
    """When and to whom one rule of a set applies, inside the set's own dates and
    categories: an amendment that added a clause on a later date (NĐ 48/2023/NĐ-CP added
    NĐ 90/2020 Điều 2 k5, k6 from 15/9/2023), or a national rule a local framework applies
    only to the categories the decree governs.

    A period is tested on its classification day (:func:`rule_day`: a month's or quarter's
    first day, a year's December, since the year is classified at its end). Empty
    ``categories``: every category of the set; a row whose category is not known is taken
    as covered (the set's own categories decide then).

    >>> import datetime
    >>> s = Scope(datetime.date(2023, 9, 15), None, (StaffCategory.VIEN_CHUC,))
    >>> s.covers("vien_chuc", "2023"), s.covers("vien_chuc", "2023-06"), s.covers("hop_dong")
    (True, False, False)
    """

    effective_from: _dt.date | None = None
    effective_until: _dt.date | None = None
    categories: tuple[StaffCategory, ...] = ()

    @property
    def everywhere(self) -> bool:
        """Whether the rule has no dates or categories of its own."""
        return self.effective_from is None and self.effective_until is None \
            and not self.categories  # fmt: skip

    def covers(self, category: StaffCategory | str | None = None,
               period: Period | str | None = None) -> bool:  # fmt: skip
        """Whether the rule applies to ``category`` in ``period`` (None: not known)."""
        if category and self.categories and StaffCategory.parse(category) not in self.categories:
            return False
        if period is None:
            return True
        day = rule_day(Period.parse(period))
        return (self.effective_from is None or day >= self.effective_from) and (
            self.effective_until is None or day <= self.effective_until)


def rule_day(period: Period) -> _dt.date:
    """The day a period is classified on, for a rule's dates: a month's or quarter's first
    day (as :meth:`RuleSet.in_force`), a year's December 1st — the year is classified at
    its end (NĐ 90/2020/NĐ-CP Điều 20; NĐ 335/2025/NĐ-CP Điều 21; NĐ 233/2026/NĐ-CP Điều 15
    k1 b: before 5 December).

    >>> rule_day(Period.parse("2023")), rule_day(Period.parse("2023-04"))
    (datetime.date(2023, 12, 1), datetime.date(2023, 4, 1))
    """
    if period.kind == "year":
        return _dt.date(period.year, 12, 1)
    return period.start


@attrs.frozen(slots=True)
class Cap:
    """A disqualifier or cap: when ``flag >= at_least``, the grade is at most ``grade``.

    ``applies_to`` is ``all``, ``leaders`` (heads and deputies: staff who head a unit or
    manage others) or ``heads``. ``periods`` names the periods whose classification the cap
    belongs to (empty: every period the set scores or classifies), e.g. ``["year"]`` for a
    national disqualifier of the annual classification over a monthly local framework.
    ``scope`` (keys ``effective_from``, ``effective_until``, ``categories``): the dates and
    categories of the cap itself, inside the set's (a clause added by a later amendment).
    """

    id: str
    flag: str
    grade: Grade
    label_vi: str
    label_en: str
    at_least: float = 1.0
    applies_to: str = "all"
    source: str = ""
    status: str = ""
    note: str = ""
    enabled: bool = True
    periods: tuple[str, ...] = ()
    scope: Scope = Scope()

    def reaches(self, kind: str | None) -> bool:
        """Whether the cap applies to a period of ``kind`` (None: any)."""
        return kind is None or not self.periods or kind in self.periods

    @property
    def heads_only(self) -> bool:
        """Whether the cap applies to heads of unit only (``applies_to == "heads"``)."""
        return self.applies_to == "heads"


@attrs.frozen(slots=True)
class Notice:
    """An optional rule that flags a person for the competent level without changing grades."""

    id: str
    flag: str
    at_least: float
    label_vi: str
    label_en: str
    enabled: bool = False
    source: str = ""
    status: str = ""
    note: str = ""


@attrs.frozen(slots=True)
class QuotaPolicy:
    """How many people may get ``grade`` in a group.

    The cap is ``percent`` % of the number of people graded ``base`` (a Grade code, e.g.
    HTT), of everyone classified (``base = "classified"``) or of all the unit's staff,
    classified or not (``base = "all_staff"``), rounded by ``rounding``. Where the unit is
    rated excellent (``raised_when = "unit_excellent"``), where the public service unit the
    person works in is (``"top_unit_excellent"``: the topmost ancestor of the person's unit
    in the unit tree — one tree, one đơn vị sự nghiệp công lập, its constituent units below;
    NĐ 233/2026/NĐ-CP Điều 12 k6 b, Điều 3 k2) or recognised by the competent level as
    especially outstanding (``raised_when = "exceptional"``: an explicit unit input, never a
    score threshold), ``raised_percent`` of ``raised_base`` applies.
    ``small_group_size``/``small_group_keep``: a group smaller than the size may keep that
    many (a local exception, off when None). ``periods``: the classified periods the quota
    applies to (default: every classified period). ``scope`` (keys ``effective_from``,
    ``effective_until``): the dates of the quota itself, inside the set's (NĐ 90/2020 Điều 2
    k6, added by NĐ 48/2023/NĐ-CP from 15/9/2023); a period outside them has no quota.
    """

    grade: Grade = Grade.HTXS
    base: str = "HTT"
    percent: float = 20.0
    percent_if_unit_excellent: float | None = None
    rounding: Rounding = "floor"
    count_base: Literal["before_demotion", "after_demotion"] = "before_demotion"
    tie_break: tuple[str, ...] = ("total", "tasks", "fewer_deductions", "competent_order")
    group_by: tuple[str, ...] = ("unit",)
    source: str = ""
    raised_when: Literal["unit_excellent", "top_unit_excellent", "exceptional"] = "unit_excellent"
    raised_base: str | None = None
    raised_source: str = ""
    small_group_size: int | None = None
    small_group_keep: int | None = None
    periods: tuple[str, ...] = ()
    status: str = ""
    note: str = ""
    scope: Scope = Scope()

    @property
    def raised_percent(self) -> float | None:
        """The higher percentage (``percent_if_unit_excellent``), or None."""
        return self.percent_if_unit_excellent

    def terms(self, raised: bool) -> tuple[str, float, str]:
        """The ``(base, percent, source)`` a group's quota counts with: the raised ones
        where the unit raises it (``raised``), each unset raised term the plain one.

        >>> q = QuotaPolicy(percent=20.0, percent_if_unit_excellent=25.0, source="k5 a")
        >>> q.terms(False), q.terms(True)
        (('HTT', 20.0, 'k5 a'), ('HTT', 25.0, 'k5 a'))
        """
        if not raised:
            return self.base, self.percent, self.source
        pct = self.percent if self.raised_percent is None else self.raised_percent
        return self.raised_base or self.base, pct, cited(self, "percent_if_unit_excellent")


@attrs.frozen(slots=True)
class ManagementPolicy:
    """The management components of a leader's task block (NĐ 335/2025 Điều 15).

    ``computed`` names the criterion derived from the staff under the leader's authority
    (d: ``full`` % when every one of them has a score in the ``threshold`` band or above,
    else ``reduced`` %; ``test = "grade"`` tests their final grades instead). ``scope``
    says who is under that authority: ``"area"`` (default) everyone below the leader in
    the management chain, the whole area led; ``"direct"`` the direct reports only.
    ``values`` lists the values a typed management criterion may take (empty = any
    percentage).
    """

    computed: str | None = None
    full: float = 100.0
    reduced: float = 50.0
    test: Literal["score", "grade"] = "score"
    threshold: Grade = Grade.HT
    values: tuple[float, ...] = ()
    source: str = ""
    status: str = ""
    note: str = ""
    scope: Literal["area", "direct"] = "area"


@attrs.frozen(slots=True)
class ConclusionPolicy:
    """What the competent level may conclude besides the band.

    A concluded grade below what the score and caps give always applies (with its written
    reason when ``requires_reason``); one above applies only when ``above_band`` (and is
    then subject to the quota like any other), else it is reported and not applied.
    """

    above_band: bool = False
    requires_reason: bool = True
    source: str = ""
    status: str = ""
    note: str = ""


@attrs.frozen(slots=True)
class ScorePolicy:
    """How scores are rounded: ``half_up`` or ``truncate`` to ``decimals`` places.

    Block points and the total are rounded this way; the rounded total is the figure
    that is banded and printed.
    """

    rounding: ScoreRounding = "half_up"
    decimals: int = 2
    source: str = ""
    status: str = ""
    note: str = ""


@attrs.frozen(slots=True)
class ProductPolicy:
    """How converted products make the task percentages a, b, c (NĐ 335/2025 Điều 14).

    ``a``, ``b``, ``c`` are the criterion ids the quantity, quality and timeliness
    percentages fill. Each major error takes ``error_step`` % and each delay
    ``delay_step`` % off the converted value of one unit of the product
    (``per = "unit"``) or of the whole product line (``per = "line"``), floored at 0.
    More than ``max_per_unit`` errors or delays per unit assigned are reported as a
    typing mistake (0 = no check). A quarter pools the quarter's products
    (``quarter = "pool"``) or averages the months' percentages
    (``"average_months"``, agency practice). Used by :mod:`evalkit.products`.

    >>> import evalkit.rules
    >>> p = evalkit.rules.get("vn.nd335-2025").products
    >>> (p.a, p.b, p.c, p.error_step, p.per)
    ('so_luong', 'chat_luong', 'tien_do', 25.0, 'unit')
    """

    a: str
    b: str
    c: str
    error_step: float = 25.0
    delay_step: float = 25.0
    per: Literal["unit", "line"] = "unit"
    max_per_unit: int = 4
    quarter: Literal["pool", "average_months"] = "pool"
    source: str = ""
    status: str = ""
    note: str = ""


@attrs.frozen(slots=True)
class UnitBody:
    """An evaluating body whose score feeds a unit's result (seed 004: four bodies)."""

    id: str
    label_vi: str
    label_en: str = ""
    weight: float = 1.0


@attrs.frozen(slots=True)
class UnitPolicy:
    """How a unit is classified (before its staff).

    ``excellent_on_time_percent`` (None = off): the share of its tasks a unit did on time
    (``tasks_on_time`` ÷ ``tasks_assigned``, blank = all done on time; the year: over the
    year's months) needed for HTXS (NĐ 233/2026 Điều 7 k1 a "đúng thời hạn": 100).
    ``kht_below_done_percent`` (None = off): a unit that did less than this share of its
    tasks (``tasks_done`` ÷ ``tasks_assigned``; the year: over the year's months) is KHT
    whatever its score (NĐ 233/2026 Điều 7 k4 b: 70), cited ``kht_source`` (else ``source``).
    ``excellent_share_percent`` (None = off): the sub-units of a parent under this set rated
    HTXS are at most this share of those rated HTT (floor; NĐ 233/2026 Điều 7 k7 a, k8: 20),
    where the parent is not small (``small_parent_threshold``), cited ``excellent_share_source``;
    ``excellent_share_raised_percent`` (None = off; not below ``excellent_share_percent``)
    instead where the parent's ``excellent_share_raised`` flag says the competent level
    decided the higher share for the units under it (k7 b: 25), cited
    ``excellent_share_raised_source``.
    The other conditions of the bands HTT and HT (NĐ 233/2026 Điều 7 k2, k3), None = off:
    a unit graded HTT with less than ``good_on_time_percent`` of its tasks done on time, or
    graded HT with less than ``fair_done_percent`` done or more than
    ``fair_late_max_percent`` not done on time (assigned − on time), keeps its grade with a
    reason for the competent level (k5), cited ``good_conditions_source`` (k2, k5) and
    ``fair_conditions_source`` (k3, k5), else ``band_conditions_source``, else ``source``.
    ``excellent_requires_shortcomings_remedied``: a unit whose ``shortcomings_unremedied``
    flag is set is not HTXS (NĐ 233/2026 Điều 7 k1 c; QĐ 366-QĐ/TW Điều 11 k1), cited
    ``shortcomings_source``; ``shortcomings_pointed_out_by`` says by whom the text has them
    pointed out, which the sentence words: ``"evaluation_or_inspection"`` (NĐ 233: the
    previous evaluation or an inspection's conclusion) or ``"previous_review"`` (QĐ 366:
    the previous review, "thời điểm kiểm điểm trước");
    ``kht_personnel_wrongdoing``: a unit whose ``personnel_wrongdoing`` flag is set is KHT
    whatever its score (Điều 7 k4 a), cited ``personnel_wrongdoing_source``;
    ``kht_leadership_duty_disciplined`` and ``kht_leadership_degraded``: a unit whose flag of
    the same name is set (a member of its leadership collective disciplined from reprimand for
    a duty-related violation; concluded to show degradation) is KHT whatever its score
    (QĐ 366-QĐ/TW Điều 11 k4), cited ``kht_source`` (else ``source``);
    ``kht_socioeconomic_targets_missed``: the same for the flag ``socioeconomic_targets_missed``
    (the 5 basic socio-economic targets assigned or approved by the competent level not met by
    the localities, bodies or units the collective directly leads; force majeure is the
    competent level's, k4's last sentence). Off: the flag is not read.
    """

    excellent_min_score: float = 90.0
    excellent_tasks_done_percent: float | None = None
    excellent_on_time_percent: float | None = None
    excellent_exceeded_percent: float | None = None
    excellent_requires_no_subunit_kht: bool = False
    excellent_requires_no_discipline: bool = False
    excellent_requires_shortcomings_remedied: bool = False
    shortcomings_pointed_out_by: str = "evaluation_or_inspection"
    kht_personnel_wrongdoing: bool = False
    kht_leadership_duty_disciplined: bool = False
    kht_leadership_degraded: bool = False
    kht_socioeconomic_targets_missed: bool = False
    small_parent_threshold: int | None = None
    small_parent_max_excellent: int | None = None
    kht_below_done_percent: float | None = None
    excellent_share_percent: float | None = None
    excellent_share_raised_percent: float | None = None
    good_on_time_percent: float | None = None
    fair_done_percent: float | None = None
    fair_late_max_percent: float | None = None
    head_capped_at_unit: bool = True
    deputy_capped_at_head_when_late: bool = False
    source: str = ""
    # -- the unit's score (evalkit.units): a weighted mean of the components present,
    #    then + bonus - deduction - overdue_deduction per overdue task, clipped to [0, total].
    tasks_weight: float = 1.0
    late_credit: float = 1.0
    overdue_deduction: float = 0.0
    body_weights: Mapping[str, float] = attrs.field(factory=Scores, converter=Scores)
    cross_weight: float = 0.0
    satisfaction_weight: float = 0.0
    reform_weight: float = 0.0
    bodies: tuple[UnitBody, ...] = ()
    council_overrides: bool = True
    inspection_deduction: float = 0.0
    excellent_conditions_source: str = ""
    small_parent_source: str = ""
    kht_source: str = ""
    excellent_share_source: str = ""
    excellent_share_raised_source: str = ""
    band_conditions_source: str = ""
    good_conditions_source: str = ""
    fair_conditions_source: str = ""
    shortcomings_source: str = ""
    personnel_wrongdoing_source: str = ""
    status: str = ""
    note: str = ""

    def body_ids(self) -> tuple[str, ...]:
        """The declared evaluating bodies (``bodies`` and the keys of ``body_weights``)."""
        return tuple(dict.fromkeys([b.id for b in self.bodies] + list(self.body_weights)))

    def body_weight(self, body: str) -> float:
        """The weight of body ``body`` (declared bodies only)."""
        for b in self.bodies:
            if b.id == body:
                return b.weight
        return float(self.body_weights.get(body, 1.0))


@attrs.frozen(slots=True)
class RollupPolicy:
    """How months (or quarters) roll up into the year.

    ``method = "average"``: the mean of the scores of the periods actually worked
    (NĐ 335/2025 Điều 21); ``"count"``: counting the concluded grades of the quarters.
    ``min_months`` (0 = off): fewer months worked (evaluated, or scored with nothing
    assigned: NĐ 233/2026 Điều 14 k1 "thời gian làm việc") → not classified, unless
    ``maternity_exempt`` and the person had maternity leave, or ``sick_exempt`` (off when
    False) and the person had sick leave — both then graded on the months worked (NĐ
    233/2026 Điều 14 k2: "nghỉ ốm hoặc nghỉ thai sản theo quy định của pháp luật về bảo
    hiểm xã hội"; leave kind ``absent`` is never exempt). ``absent_cap`` (off when
    False): on legal leave other than maternity (sick or absent: "nghỉ không tham gia công
    tác theo quy định của pháp luật", NĐ 90/2020 Điều 2 k3; maternity has its own sentence
    there) ``absent_cap_min_months`` to < ``absent_cap_max_months`` months → at most
    ``absent_cap_grade``. ``period_short_months`` (None = off): a scored quarter in which
    the person worked this many months or fewer is not evaluated (customs, CV 21169: ≤ 1
    month; months may be fractional, 1.5 months is evaluated); the older key
    ``period_min_months = N`` ("fewer than N whole months") is read as
    ``period_short_months = N - 1``. ``average_source`` is the
    citation of the sentence "the year is the mean of the months worked" where it is not
    ``source`` (``""``: no text sets the mean, e.g. NĐ 90/2020 grades the year directly);
    ``months_source`` that of the months-worked options (``min_months``, the maternity
    and sick-leave exemptions, ``absent_cap``) where it is not ``source`` (``""``: none — NĐ 335/2025 has no
    such rule, so an agency switching them on over it cites no article of NĐ 335);
    ``leave_source`` that of the leave exemptions alone (the sentence "on legal leave:
    classified on the time actually worked") where it is not ``months_source`` (NĐ
    233/2026 Điều 14 k2, where k1 is the 6-month rule); a row a months-worked rule does not
    reach (``months_scope``) has its leave sentence cited as the mean (``average_source``).
    ``months_scope`` (keys ``months_effective_from``, ``months_effective_until``,
    ``months_categories``): the dates and categories of those months-worked options (a
    local framework applying NĐ 90/2020's to the categories and years NĐ 90 governed).
    ``quota`` (``[rollup.quota]``, None = none): the year's own quota, used for the year
    instead of ``[quota]`` for the categories and dates of its ``scope`` (a local monthly
    framework whose year follows the national decree: NĐ 90/2020 Điều 2 k6, NĐ 335/2025
    Điều 20 k5 a); the others of the set keep ``[quota]`` as its ``periods`` say.
    """

    method: Literal["average", "count"] = "average"
    of: Literal["month", "quarter"] = "month"
    min_months: int = 0
    maternity_exempt: bool = True
    sick_exempt: bool = False
    absent_cap: bool = False
    absent_cap_min_months: int = 3
    absent_cap_max_months: int = 6
    absent_cap_grade: Grade = Grade.HT
    discipline_grade: Grade = Grade.KHT
    count_excellent_min: int = 2
    count_kht_min: int = 2
    count_good_max_ht: int | None = None
    count_good_max_kht: int | None = None
    period_short_months: float | None = None
    source: str = ""
    status: str = ""
    note: str = ""
    average_source: str | None = None
    months_source: str | None = None
    leave_source: str | None = None
    months_scope: Scope = Scope()
    quota: QuotaPolicy | None = None

    def worked_time_leave(self, months_rule: bool) -> tuple[str, ...]:
        """The kinds of leave (``maternity``, ``sick``, ``absent``) the year is classified
        on the time actually worked for: every kind where no months-worked rule applies
        (``months_rule`` False: NĐ 335/2025 Điều 21, the months actually worked), else the
        kinds exempt from it (``maternity_exempt``, ``sick_exempt``; never ``absent``)."""
        if not months_rule:
            return ("maternity", "sick", "absent")
        return tuple(k for k, on in (("maternity", self.maternity_exempt),
                                     ("sick", self.sick_exempt)) if on)

    @property
    def period_short_limit(self) -> float:
        """``period_short_months``, NaN when off: ``worked <= limit`` is then never true."""
        return float("nan") if self.period_short_months is None else self.period_short_months


#: Severities of an inspection finding, lightest first (:mod:`evalkit.inspections`).
INSPECTION_SEVERITIES = ("minor", "moderate", "serious")


@attrs.frozen(slots=True)
class InspectionPolicy:
    """What the findings of an inspection of public duty do to a period (``[inspections]``).

    A finding on a person counts in their ``inspection_findings`` (a flag caps and notices
    may test) and, where ``notice`` (default), gives the reason ``inspection.notice`` for
    the competent level. Points are deducted only where the rule set says so:
    ``points`` (severity → points per finding) go to ``criterion``, an input of a
    ``deduction`` block; ``unit_points`` (severity → points per finding) are deducted
    from the unit's score. ``head_notice``: a finding on a unit counts for its head too.
    Without the table: notices only, no points (NĐ 335/2025's 30 + 70 has no deduction).
    """

    notice: bool = True
    criterion: str | None = None
    points: Mapping[str, float] = attrs.field(factory=Scores, converter=Scores)
    unit_points: Mapping[str, float] = attrs.field(factory=Scores, converter=Scores)
    head_notice: bool = False
    source: str = ""
    status: str = ""
    note: str = ""

    def points_for(self, severity: str, *, unit: bool = False) -> float:
        """Points per finding of ``severity`` on a person (or on a unit); 0 when not set.

        >>> InspectionPolicy(unit_points={"serious": 5}).points_for("serious", unit=True)
        5.0
        """
        table = self.unit_points if unit else self.points
        return float(table.get(severity, 0.0))


def _grade_labels(bands: Sequence[Band]) -> dict[Grade, Band]:
    return {b.grade: b for b in bands}


#: Which source key cites a field of a rule table that has several (``[units]``,
#: ``[quota]`` and ``[rollup.quota]``, ``[rollup]``, the set's own keys): the keys tried in
#: turn, the first one set (not at its default) answering, else the last one's value; a
#: field not listed cites its table's ``source``. The one table of these fallbacks: the
#: reasons on a sheet (:mod:`evalkit.reasons`), :func:`evalkit.rules.rule_changes` and
#: :func:`evalkit.rules.sources.rule_sources` all cite through :func:`cited`.
_EXCELLENT = ("excellent_conditions_source", "source")
_KHT = ("kht_source", "source")
_FAIR = ("fair_conditions_source", "band_conditions_source", "source")
_RAISED = ("raised_source", "source")
_MONTHS = ("months_source", "source")
CITED_BY: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "UnitPolicy": {
        **dict.fromkeys(("excellent_tasks_done_percent", "excellent_on_time_percent",
                         "excellent_exceeded_percent", "excellent_requires_no_subunit_kht",
                         "excellent_requires_no_discipline"), _EXCELLENT),
        "excellent_requires_shortcomings_remedied": ("shortcomings_source", *_EXCELLENT),
        "kht_personnel_wrongdoing": ("personnel_wrongdoing_source", "source"),
        **dict.fromkeys(("kht_below_done_percent", "kht_leadership_duty_disciplined",
                         "kht_leadership_degraded", "kht_socioeconomic_targets_missed"), _KHT),
        # an option with no source of its own cites none (unsourced, never the unit's)
        **dict.fromkeys(("small_parent_threshold", "small_parent_max_excellent"),
                        ("small_parent_source",)),
        "excellent_share_percent": ("excellent_share_source", "source"),
        "excellent_share_raised_percent": ("excellent_share_raised_source",
                                           "excellent_share_source", "source"),
        "good_on_time_percent": ("good_conditions_source", "band_conditions_source", "source"),
        **dict.fromkeys(("fair_done_percent", "fair_late_max_percent"), _FAIR),
    },
    "QuotaPolicy": dict.fromkeys(("percent_if_unit_excellent", "raised_when", "raised_base"),
                                 _RAISED),
    "RollupPolicy": {
        "method": ("average_source", "source"),
        **dict.fromkeys(("min_months", "absent_cap", "absent_cap_min_months",
                         "absent_cap_max_months", "absent_cap_grade"), _MONTHS),
        **dict.fromkeys(("maternity_exempt", "sick_exempt"), ("leave_source", *_MONTHS)),
    },
    # the management component cites the units' rule without its own (the sheet's
    # sentences do, :mod:`evalkit.reasons`); an inspection only its own table's source:
    # the units' is a clause of theirs (NĐ 233/2026 Điều 12 k7, the head's cap), which says
    # nothing of an inspection of public duty (af239)
    "RuleSet": {"classified": ("classified_source",),
                "management": ("management.source", "units.source"),
                "inspections": ("inspections.source",)},
    # a cap, a notice, a band or an adjustment with no source cites none (as on the sheet),
    # never the set's
    **{kind: {} for kind in ("Cap", "Notice", "Band", "Adjustment")},
}


def cited(policy: Any, field: str) -> str:
    """The citation of ``field`` of ``policy`` (a rule set or one of its tables), by
    :data:`CITED_BY`: the first of its source keys set, else the last key's value.

    >>> u = UnitPolicy(source="k7", kht_source="k4 b")
    >>> cited(u, "kht_below_done_percent"), cited(u, "excellent_on_time_percent")
    ('k4 b', 'k7')
    >>> cited(u, "small_parent_threshold")
    ''
    """
    return str(_attr(policy, citing_key(policy, field)) or "")


def citing_key(policy: Any, field: str) -> str:
    """The source key (a dotted path from ``policy``) that cites ``field`` (:func:`cited`).

    >>> citing_key(RollupPolicy(source="k1", leave_source="k3"), "sick_exempt")
    'leave_source'
    """
    keys = CITED_BY.get(type(policy).__name__, {}).get(field, ("source",))
    for key in keys:
        owner, _, name = key.rpartition(".")
        table = _attr(policy, owner)
        if getattr(table, name) != attrs.fields_dict(type(table))[name].default:
            return key
    return keys[-1]


def _attr(obj: Any, path: str) -> Any:
    return functools.reduce(getattr, path.split("."), obj) if path else obj


@attrs.frozen(slots=True)
class RuleSet:
    """A validated, effective-dated rule set. Build one with :func:`evalkit.rules.load`.

    >>> import evalkit.rules
    >>> rs = evalkit.rules.get("vn.nd335-2025")
    >>> rs.band_for(91).grade
    <Grade.HTXS: 3>
    >>> rs.in_force(evalkit.Period.parse("2025-12"))
    False
    """

    id: str
    title_vi: str
    title_en: str
    jurisdiction: str
    categories: tuple[StaffCategory, ...]
    effective_from: _dt.date
    effective_to: _dt.date | None
    period: Literal["month", "quarter"]
    total: float
    source: str
    groups: tuple[CriterionGroup, ...]
    blocks: tuple[Block, ...]
    adjustments: tuple[Adjustment, ...]
    bands: tuple[Band, ...]
    caps: tuple[Cap, ...]
    notices: tuple[Notice, ...]
    quota: QuotaPolicy | None
    units: UnitPolicy
    rollup: RollupPolicy
    position_maxima: Mapping[str, Mapping[str, float]] = attrs.field(factory=dict)
    uncertainties: tuple[str, ...] = ()
    path: str | None = None
    classified: tuple[str, ...] = ("month", "year")
    scoring: ScorePolicy = ScorePolicy()
    management: ManagementPolicy = ManagementPolicy()
    conclusion: ConclusionPolicy = ConclusionPolicy()
    status: str = ""
    source_short: str = ""
    classified_source: str = ""
    products: ProductPolicy | None = None
    inspections: InspectionPolicy = InspectionPolicy()
    categories_until: Mapping[StaffCategory, _dt.date] = attrs.field(factory=dict)

    # -- periods
    def __deepcopy__(self, memo: dict[int, Any]) -> RuleSet:
        """The set itself: it is frozen and never changed in place, so a frame's ``attrs``
        holding it (pandas deep-copies them on every operation) need not copy it."""
        return self

    def classifies(self, period: Period | str) -> bool:
        """Whether the set classifies (grades, caps the head, applies the quota) ``period``.

        A period it only scores gets a score and, as information, the band it falls in.

        >>> import evalkit.rules
        >>> rs = evalkit.rules.get("hanoi.3814-2018")
        >>> rs.classifies("2026-03"), rs.classifies("2026")
        (True, True)
        """
        kind = Period.parse(period).kind if not isinstance(period, str) or period not in \
            PERIOD_KINDS else period
        return kind in self.classified

    def quota_applies(self, period: Period | str) -> bool:
        """Whether the quota applies to ``period``: a classified period the quota covers,
        on a day inside the quota's own dates (``quota.scope``; a kind such as ``"year"``
        is not dated).

        >>> import evalkit.rules
        >>> rs = evalkit.rules.get("vn.nd90-2020")
        >>> rs.quota_applies("2022"), rs.quota_applies("2023")
        (False, True)
        """
        if self.quota is None or not self.classifies(period):
            return False
        kind = Period.parse(period).kind if not isinstance(period, str) or period not in \
            PERIOD_KINDS else period
        if kind == period:  # a kind, not a period: no dates to test
            return not self.quota.periods or kind in self.quota.periods
        return (not self.quota.periods or kind in self.quota.periods) and \
            self.quota.scope.covers(None, period)  # fmt: skip

    #: Each unit flag an input may set (a unit-period's yes/no), and what in a rule set
    #: reads it: ``(table, key, value)``, ``"quota"`` the month's or the year's quota. A
    #: flag the unit's set does not read is refused, never ignored, and a template asks for
    #: it only under a set that reads it (:meth:`unit_flags_read`). A value None: read where
    #: the key is set (``excellent_share_raised``: on a parent, read by its sub-units' set).
    UNIT_FLAGS: ClassVar[Mapping[str, tuple[str, str, object]]] = {
        "exceptional": ("quota", "raised_when", "exceptional"),
        "late_work": ("units", "deputy_capped_at_head_when_late", True),
        "disciplined": ("units", "excellent_requires_no_discipline", True),
        "leadership_disciplined": ("units", "excellent_requires_no_discipline", True),
        "shortcomings_unremedied": ("units", "excellent_requires_shortcomings_remedied", True),
        "personnel_wrongdoing": ("units", "kht_personnel_wrongdoing", True),
        "leadership_duty_disciplined": ("units", "kht_leadership_duty_disciplined", True),
        "leadership_degraded": ("units", "kht_leadership_degraded", True),
        "socioeconomic_targets_missed": ("units", "kht_socioeconomic_targets_missed", True),
        "excellent_share_raised": ("units", "excellent_share_raised_percent", None)}  # fmt: skip

    def unit_flags_read(self, period: Period | str | None = None) -> tuple[str, ...]:
        """The unit flags of :attr:`UNIT_FLAGS` this set reads (for a ``period``, or a kind
        of period as :meth:`classifies` takes it: the quota that counts for it, ``quota``
        where its ``periods`` have the kind, ``rollup.quota`` for the year; None or "": any).

        >>> import evalkit.rules
        >>> evalkit.rules.get("vn.nd233-2026").unit_flags_read()
        ('shortcomings_unremedied', 'personnel_wrongdoing', 'excellent_share_raised')
        >>> evalkit.rules.get("vn.customs-2026q").unit_flags_read()
        ('exceptional', 'late_work')
        >>> [("exceptional" in evalkit.rules.get("hanoi.3814-2018").unit_flags_read(p))
        ...  for p in ("2026-03", "2026", "year")]
        [True, False, False]
        """
        kind = None if not period else period if isinstance(period, str) and period in \
            PERIOD_KINDS else Period.parse(period).kind  # fmt: skip
        if (read := self._flags_read.get(kind)) is None:  # once a kind (the set is frozen)
            read = self._flags_read[kind] = self._unit_flags_of(kind)
        return read

    @functools.cached_property
    def _flags_read(self) -> dict[str | None, tuple[str, ...]]:
        return {}  # :meth:`unit_flags_read`, per kind of period

    def _unit_flags_of(self, kind: str | None) -> tuple[str, ...]:
        month = () if self.quota is None else self.quota.periods  # (none: every kind)
        tables: dict[str, list[object]] = {"units": [self.units], "quota": [
            q for q, kinds in ((self.quota, month), (self.rollup.quota, ("year",)))
            if q is not None and (kind is None or not kinds or kind in kinds)]}
        return tuple(f for f, (t, key, on) in self.UNIT_FLAGS.items() if any(
            getattr(x, key) is not None if on is None else getattr(x, key) == on
            for x in tables[t]))

    def quota_for(self, period: Period | str, category: str | None = None) -> QuotaPolicy | None:
        """The quota a ``period`` of a person of ``category`` counts with: the year's own
        (``rollup.quota``) where its scope covers them, else ``quota``.

        >>> import evalkit.rules
        >>> rs = evalkit.rules.get("hanoi.3814-2018")
        >>> rs.quota_for("2025", "cong_chuc").base, rs.quota_for("2025", "hop_dong").base
        ('HTT', 'classified')
        """
        q = self.rollup.quota
        yes = q is not None and Period.parse(period).kind == "year" and q.scope.covers(
            category or None, period)
        return q if yes else self.quota

    # -- criteria
    def criteria(self) -> tuple[Criterion, ...]:
        """Every criterion of every group, in order."""
        return tuple(c for g in self.groups for c in g.criteria)

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion ``criterion_id``; raises UnknownReferenceError with a suggestion."""
        from evalkit.errors import UnknownReferenceError

        for c in self.criteria():
            if c.id == criterion_id:
                return c
        ids = [c.id for c in self.criteria()]
        close = difflib.get_close_matches(criterion_id, ids, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UnknownReferenceError(
            f"unknown criterion {criterion_id!r} for rule set {self.id!r}{hint}"
        )

    def full_marks(self, manages_others: bool = False) -> dict[str, float]:
        """The highest score of every criterion a person must be scored on (for examples,
        templates and tests).

        >>> import evalkit.rules
        >>> marks = evalkit.rules.get("vn.nd335-2025").full_marks()
        >>> sum(v for k, v in marks.items() if k not in ("so_luong", "chat_luong", "tien_do"))
        30.0
        """
        return {cid: float(self.criterion(cid).maximum)
                for cid in self.required_inputs(manages_others)}  # fmt: skip

    def maximum(self, criterion_id: str, position_id: str | None = None) -> float:
        """The maximum of a criterion, for ``position_id`` where the set overrides it."""
        if position_id is not None:
            over = self.position_maxima.get(position_id)
            if over and criterion_id in over:
                return float(over[criterion_id])
        return float(self.criterion(criterion_id).maximum)

    def required_inputs(self, manages_others: bool) -> tuple[str, ...]:
        """Criterion ids that must be scored for a person (general criteria, task components)."""
        out: list[str] = []
        for b in self.blocks:
            if b.kind == "criteria_sum":
                group = self.group(b.params["group"])
                out.extend(c.id for c in group.criteria)
            elif b.kind in ("percent_average", "ratio"):
                out.extend(b.inputs(manages_others))
        return tuple(dict.fromkeys(out))

    @functools.cached_property
    def input_ids(self) -> frozenset[str]:
        """Every input a staff-period frame under this set carries by id: the criteria, the
        counts the deductions read, the required inputs and the management score the engine
        computes (worked out once: the set is frozen)."""
        out = {c.id for c in self.criteria()} | set(self.deduction_inputs())
        out.update(self.required_inputs(True), self.required_inputs(False))
        if self.management.computed:
            out.add(self.management.computed)
        return frozenset(out)

    def deduction_inputs(self) -> tuple[str, ...]:
        """The inputs the quota's tie-break ``fewer_deductions`` counts: the error and delay
        counts of the adjustments and the inputs of deduction blocks."""
        out = [a.events for a in self.adjustments]
        out += [cid for b in self.blocks if b.kind == "deduction" for cid in b.inputs()]
        return tuple(dict.fromkeys(out))

    def result_range(self, column: str) -> tuple[float, float]:
        """The values a results column of this set can hold (a roll-up refuses the others):
        a block's points (``points_<id>``: a deduction's ``-cap`` to 0, a bonus's 0 to its
        ``cap``, any other block's 0 to its points; a block the set lacks, within ± the
        total), a criterion's 0 to its largest maximum (a position's too); any other column
        has no range.

        >>> import evalkit.rules
        >>> rs = evalkit.rules.get("hanoi.3814-2018")
        >>> [rs.result_range(c) for c in ("points_tasks", "points_bonus", "sang_kien", "x")]
        [(0.0, 70.0), (0.0, 10.0), (0.0, 10.0), (-inf, inf)]
        """
        for b in self.blocks:
            if column == f"points_{b.id}":
                cap = float(b.params.get("cap", b.points))
                return (-cap, 0.0) if b.kind == "deduction" else (
                    0.0, cap if b.kind == "bonus" else b.points)
        if column.startswith("points_"):
            return -self.total, self.total
        if not (crit := [c for c in self.criteria() if c.id == column]):
            return -math.inf, math.inf
        return 0.0, max([crit[0].maximum, *(m[column] for m in self.position_maxima.values()
                                            if column in m)])  # fmt: skip

    def group(self, group_id: str) -> CriterionGroup:
        """The criterion group ``group_id``."""
        for g in self.groups:
            if g.id == group_id:
                return g
        raise RuleSetError(_say("foreign.rules.unknown_group_of", group=repr(group_id),
                                rules=repr(self.id)))

    def block_of_group(self, group_id: str) -> Block | None:
        """The block that scores group ``group_id`` (criteria_sum or percent_average)."""
        for b in self.blocks:
            if b.params.get("group") == group_id:
                return b
            ins = set(b.inputs())
            if ins and ins <= {c.id for c in self.group(group_id).criteria}:
                return b
        return None

    # -- bands and grades
    def band_for(self, total: float) -> Band:
        """The band that contains ``total`` (raises if the bands leave it uncovered)."""
        top = max(self.bands, key=lambda b: b.max)
        for b in self.bands:
            if b.min <= total < b.max or (b is top and total == b.max):
                return b
        raise RuleSetError(_say("foreign.rules.no_band_total", rules=repr(self.id),
                                total=total))

    def grade_label(self, grade: Grade, lang: str = "vi") -> str:
        """The label this set gives ``grade`` (Hà Nội: ``'A'`` ...)."""
        band = _grade_labels(self.bands).get(grade)
        return band.label(lang) if band else grade.label(lang)

    @functools.cached_property
    def grade_names(self) -> dict[str, int]:
        """The names this set's bands give the grades (``label_vi``, ``label_en``) and the
        grade each names, by number: a grade cell of a row under this set is read by them
        too (Hà Nội's ``Loại B`` or ``Grade B`` is HTT); a label two grades share is none.

        >>> import evalkit.rules
        >>> evalkit.rules.get("hanoi.3814-2018").grade_names["Loại B"]
        2
        """
        names: dict[str, int] = {}
        shared: set[str] = set()
        for b in self.bands:
            for label in (b.label_vi, b.label_en):
                if names.setdefault(label, int(b.grade)) != int(b.grade):
                    shared.add(label)
        return {k: v for k, v in names.items() if k not in shared}

    def read_grades(self, source: Assessment | Mapping[str, object]) -> dict[str, Grade | None]:
        """The grades of an assessment (by field) or of named values (an annual
        conclusion's ``self_grade`` …), each read as a grade cell of a row under this set
        is (its :attr:`grade_names` too: Hà Nội's ``"Loại B"`` is HTT); a word naming no
        grade of this set is refused (:class:`~evalkit.errors.ModelError` naming the words
        accepted)."""
        from evalkit._columns import assessment_grades  # pandas: not on import (CLI help)

        return assessment_grades(source, self.grade_names)

    def grade_short(self, grade: Grade, lang: str = "vi") -> str:
        """``grade`` in a count or a table head: the set's label where short (Hà Nội's
        ``Loại A``), else the code (``HTXS`` for "Hoàn thành xuất sắc nhiệm vụ")."""
        label = self.grade_label(grade, lang)
        return label if len(label) <= 8 else grade.code

    @property
    def carries_months(self) -> bool:
        """Whether a row may carry months in (``carried_months``): the set scores quarters
        and a short quarter is not evaluated, carried to the next (CV 21169/CHQ-TCCB).

        >>> import evalkit.rules
        >>> [evalkit.rules.get(i).carries_months for i in ("vn.customs-2026q", "vn.nd335-2025")]
        [True, False]
        """
        return self.period == "quarter" and self.rollup.period_short_months is not None

    # -- dates
    def in_force(self, period: Period | str) -> bool:
        """Whether the set is in force for ``period``: on its :func:`rule_day` (a month's or
        quarter's first day, a year's December — the year is classified at its end).

        >>> import evalkit.rules
        >>> [evalkit.rules.get(i).in_force("2026") for i in ("vn.nd90-2020", "vn.nd233-2026")]
        [False, True]
        """
        return self.in_force_on(rule_day(Period.parse(period)))

    def in_force_on(self, day: _dt.date) -> bool:
        """Whether the set is in force on the calendar day ``day`` (both ends inclusive).

        >>> import evalkit.rules
        >>> evalkit.rules.get("vn.nd335-2025").in_force_on(_dt.date(2026, 1, 1))
        True
        """
        if day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to

    def applies_to(self, category: StaffCategory | str) -> bool:
        """Whether the set covers staff of ``category``."""
        return StaffCategory.parse(category) in self.categories

    def end_for(self, category: StaffCategory | str) -> _dt.date | None:
        """The last day the set covers ``category``: ``effective_to``, or earlier where a
        higher text took the category over (``categories_until``); None = open end."""
        until = self.categories_until.get(StaffCategory.parse(category))
        if until is None or (self.effective_to is not None and self.effective_to < until):
            return self.effective_to
        return until

    def covers(self, category: StaffCategory | str, period: Period | str) -> bool:
        """Whether the set is the one for ``category`` in ``period``: it names the category
        and is in force for it then (what the registry looks up).

        >>> import evalkit.rules
        >>> rs = evalkit.rules.get("hanoi.3814-2018")
        >>> rs.covers("cong_chuc", "2025-12"), rs.covers("cong_chuc", "2026-01")
        (True, False)
        """
        if not self.applies_to(category) or not self.in_force(period):
            return False
        end = self.end_for(category)
        return end is None or rule_day(Period.parse(period)) <= end

    def holds(self, category: StaffCategory | str, period: Period | str) -> bool:
        """Whether a workbook of the set for ``period`` holds the staff of ``category``
        (``evalkit template --org``): the set covers them then — Hà Nội's set names công
        chức, whom NĐ 335/2025 governs from 2026: they are left to their own workbook — or,
        the set applied outside its dates (``--force``), it names the category.

        >>> import evalkit.rules
        >>> rs = evalkit.rules.get("hanoi.3814-2018")
        >>> [rs.holds(c, p) for c, p in (("cong_chuc", "2025-12"), ("cong_chuc", "2026-03"),
        ...                              ("hop_dong", "2026-03"))]
        [True, False, True]
        """
        return self.covers(category, period) or (not self.in_force(period)
                                                 and self.applies_to(category))

    def enabled_notices(self, options: Mapping[str, bool] | None = None) -> tuple[Notice, ...]:
        """The optional rules switched on, by default or by ``options`` (id to bool)."""
        opts = dict(options or {})
        unknown = set(opts) - {n.id for n in self.notices}
        if unknown:
            raise RuleSetError(_say("foreign.rules.unknown_notices", ids=sorted(unknown),
                                    rules=repr(self.id), known=[n.id for n in self.notices]))
        return tuple(n for n in self.notices if opts.get(n.id, n.enabled))

    def citations(self) -> list[tuple[str, str]]:
        """Every (rule, source) pair of the set, for documentation and sheets."""
        out = [("rule set", self.source)]
        out += [(f"block {b.id}", b.source) for b in self.blocks]
        out += [(f"adjustment {a.id}", a.source) for a in self.adjustments]
        out += [(f"band {b.grade.code}", b.source) for b in self.bands]
        out += [(f"cap {c.id}", c.source) for c in self.caps]
        out += [(f"notice {n.id}", n.source) for n in self.notices]
        if self.quota:
            out.append(("quota", self.quota.source))
        out.append(("units", self.units.source))
        out.append(("rollup", self.rollup.source))
        if self.rollup.quota:
            out.append(("rollup.quota", self.rollup.quota.source))
        if self.products is not None:
            out.append(("products", self.products.source))
        return out


# =========================================================================== parsing


class _Collector:
    """Collects every problem of a file before raising one RuleSetError."""

    def __init__(self, source: str | None):
        self.source = source
        self.problems: list[tuple[str, str]] = []
        #: key paths an unknown key's hint named (``lable_vi`` → ``label_vi``)
        self.hinted: set[str] = set()

    def add(self, key: str, message: str) -> None:
        self.problems.append((key, message))

    def raise_if_any(self) -> None:
        # one typo is one problem: a required key that a misspelt key's hint names is
        # not said missing again (``lable_vi`` — did you mean ``label_vi``?)
        self.problems = [(k, m) for k, m in self.problems if not (
            k in self.hinted and m == _say("foreign.rules.missing_key",
                                           key=repr(k.rsplit(".", 1)[-1])))]  # fmt: skip
        if not self.problems:
            return
        if len(self.problems) == 1:
            key, msg = self.problems[0]
            raise RuleSetError(msg, source=self.source, key=key)
        lines = [f"{len(self.problems)} problems in the rule set:"]
        lines += [f"  - {k}: {m}" for k, m in self.problems]
        err = RuleSetError("\n".join(lines), source=self.source)
        err.problems = list(self.problems)  # type: ignore[attr-defined]
        raise err


def _show(v: Any) -> str:
    """``repr(v)`` for a message, short: a long string or a huge number is summarised."""
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10**MAX_DIGITS:
        digits = len(str(abs(v))) if v.bit_length() < 13_000 else None  # str() caps at 4300
        return (f"a whole number of {digits} digits" if digits else
                f"a whole number of about {v.bit_length() * 0.30103:.0f} digits")
    if isinstance(v, dict):
        return "a table"
    if isinstance(v, list):
        return f"an array of {len(v)} value(s)" if len(v) > 5 else _cut(repr(v))
    return _cut(repr(v))


def _cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _suggest(value: object, known: Sequence[str]) -> str:
    close = _close(value, known)
    return f" — did you mean {close}?" if close else ""


def _close(value: object, known: Sequence[str]) -> str | None:
    """The known name closest to a misspelt ``value``, as Python writes it; None if none."""
    if not isinstance(value, str) or len(value) > 200:
        return None
    close = difflib.get_close_matches(value, list(known), n=1)
    return repr(close[0]) if close else None


def _period_kind(k: object) -> str:
    """An unknown period kind ``k``, with the kinds and the closest one."""
    close = _close(k, PERIOD_KINDS)
    return _say("foreign.rules.period_kind_hint" if close else "foreign.rules.period_kind",
                value=_show(k), kinds=", ".join(PERIOD_KINDS), close=close)


def _unknown_flag(flag: object) -> str:
    """An unknown flag of a cap or notice, with the closest known one."""
    close = _close(flag, FLAG_INPUTS)
    return _say("foreign.rules.flag_hint" if close else "foreign.rules.flag", value=_show(flag),
                close=close)


def _status(status: object) -> str:
    """An unknown source status, with the statuses and the closest one."""
    close = _close(status, SOURCE_STATUSES)
    return _say("foreign.rules.status_hint" if close else "foreign.rules.status",
                value=_show(status), known=", ".join(SOURCE_STATUSES), close=close)


def _say(key: str, /, **params: Any) -> str:
    """The English sentence of catalogue ``key`` (:mod:`evalkit.messages`, where its
    Vietnamese is kept too) with ``params`` as they are shown."""
    return _say_in(key, "en", **params)


#: Names for the types a rule file's keys take, in messages.
_TYPE_NAMES: dict[Any, str] = {str: "text", bool: "true or false", list: "an array",
                               dict: "a table", int: "a whole number",
                               _dt.date: "a date (2026-01-01)"}  # fmt: skip


def _req(c: _Collector, d: Mapping[str, Any], key: str, path: str, typ: Any) -> Any:
    if key not in d:
        c.add(f"{path}{key}", _say("foreign.rules.missing_key", key=repr(key)))
        return None
    v = d[key]
    if typ is float:
        if isinstance(v, bool) or not isinstance(v, int | float):
            c.add(f"{path}{key}", _say("foreign.rules.expected", expected="a number",
                                       got=_show(v)))  # fmt: skip
            return None
        if abs(v) > MAX_NUMBER or not math.isfinite(v):  # abs first: 10**400 is no float
            c.add(f"{path}{key}", _say("foreign.rules.expected", got=_show(v),
                                       expected="a number between -10^9 and 10^9"))  # fmt: skip
            return None
        return float(v)
    if typ is int:
        if isinstance(v, bool) or not isinstance(v, int):
            c.add(f"{path}{key}", _say("foreign.rules.expected", expected="a whole number",
                                       got=_show(v)))  # fmt: skip
            return None
        if abs(v) > MAX_NUMBER:
            c.add(f"{path}{key}", _say("foreign.rules.expected", got=_show(v),
                                       expected="a number between -10^9 and 10^9"))  # fmt: skip
            return None
        return v
    if typ is _dt.date and isinstance(v, _dt.datetime):  # a datetime is a date subclass
        c.add(f"{path}{key}", _say("foreign.rules.expected", got=v.isoformat(),
                                   expected="a date without a time (2026-01-01)"))  # fmt: skip
        return None
    if not isinstance(v, typ):
        name = _TYPE_NAMES.get(typ, getattr(typ, "__name__", str(typ)))
        c.add(f"{path}{key}", _say("foreign.rules.expected", expected=name, got=_show(v)))
        return None
    return v


def _opt(c: _Collector, d: Mapping[str, Any], key: str, path: str, typ: Any, default: Any) -> Any:
    if key not in d:
        return default
    return _req(c, d, key, path, typ)


def _num(
    c: _Collector,
    d: Mapping[str, Any],
    key: str,
    path: str,
    default: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    above: float | None = None,
    whole: bool = False,
    what: str = "",
) -> Any:
    """A number of ``d[key]`` within a range, or ``default`` when the key is absent.

    ``low``/``high`` are inclusive bounds, ``above`` an exclusive lower bound; ``whole``
    asks for a whole number. A present value that is not a number or out of range is a
    problem (never replaced by the default) and gives None.
    """
    if key not in d:
        return default
    v = _req(c, d, key, path, int if whole else float)
    if v is None:
        return None
    ok = ((low is None or v >= low) and (high is None or v <= high)
          and (above is None or v > above))  # fmt: skip
    if ok:
        return v
    kind = "a whole number" if whole else "a number"
    top = high if high is not None and high < MAX_NUMBER else None
    if what:
        rng = what
    elif above is not None:
        rng = f"{kind} above {_fmt_num(above)}" + (
            f" and at most {_fmt_num(top)}" if top is not None else "")
    elif low is not None and top is not None:
        rng = f"{kind} from {_fmt_num(low)} to {_fmt_num(top)}"
    elif low == 0:
        rng = f"{kind} ≥ 0 (not negative)"
    elif low is not None:
        rng = f"{kind} ≥ {_fmt_num(low)}"
    else:
        rng = f"{kind} ≤ {_fmt_num(top or 0)}"
    c.add(f"{path}{key}", _say("foreign.rules.must_be", key=key, rng=rng, value=_fmt_num(v)))
    return None


#: Characters an id may not hold: ";" joins reason codes, control characters are invisible.
_BAD_ID_CHARS = re.compile(r"[;\x00-\x1f\x7f]")


def _ident(c: _Collector, d: Mapping[str, Any], key: str, path: str, *,
           required: bool = True, what: str = "id") -> str | None:  # fmt: skip
    """A non-empty id without surrounding spaces, control characters or ``;``."""
    v: str | None = (_req(c, d, key, path, str) if required
                     else _opt(c, d, key, path, str, None))  # fmt: skip
    if v is None:
        return None
    if not v.strip():
        c.add(f"{path}{key}", _say("foreign.rules.empty", what=what))
        return None
    if v != v.strip() or _BAD_ID_CHARS.search(v):
        c.add(f"{path}{key}", _say("foreign.rules.bad_id", what=what, value=_show(v)))
        return None
    return v


def _text(c: _Collector, d: Mapping[str, Any], key: str, path: str) -> str | None:
    """A required, non-empty text (a label or title)."""
    v: str | None = _req(c, d, key, path, str)
    if v is not None and not v.strip():
        c.add(f"{path}{key}", _say("foreign.rules.empty", what=key))
        return None
    return v


def _tables(c: _Collector, data: Mapping[str, Any], key: str, path: str = "", *,
            required: bool = False) -> list[tuple[int, dict[str, Any]]]:  # fmt: skip
    """The entries of an array of tables ``key`` with their index; anything else is a
    problem at ``key`` or ``key[i]``."""
    if key not in data:
        if required:
            c.add(f"{path}{key}", _say("foreign.rules.missing_key", key=repr(key)))
        return []
    value = data[key]
    if not isinstance(value, list):
        c.add(f"{path}{key}", _say("foreign.rules.expected", got=_show(value),
                                   expected=f"an array of tables ([[{key}]])"))  # fmt: skip
        return []
    out: list[tuple[int, dict[str, Any]]] = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            out.append((i, item))
        else:
            c.add(f"{path}{key}[{i}]", _say("foreign.rules.expected", expected="a table",
                                            got=_show(item)))  # fmt: skip
    return out


def _str_list(c: _Collector, d: Mapping[str, Any], key: str, path: str,
              default: Sequence[str] | None) -> list[str] | None:  # fmt: skip
    """An array of texts; a non-text entry is a problem at ``key[i]``."""
    if key not in d:
        return None if default is None else list(default)
    v = _req(c, d, key, path, list)
    if v is None:
        return None
    out: list[str] = []
    for i, x in enumerate(v):
        if isinstance(x, str):
            out.append(x)
        else:
            c.add(f"{path}{key}[{i}]", _say("foreign.rules.expected", expected="text",
                                            got=_show(x)))  # fmt: skip
    return out


def _duplicates(c: _Collector, ids: Sequence[tuple[str, str | None]], what: str) -> None:
    """A problem at the key of every id seen before (``ids``: (key path, id))."""
    seen: set[str] = set()
    for key, v in ids:
        if v is None:
            continue
        if v in seen:
            c.add(key, _say("foreign.rules.duplicate", what=what, value=repr(v)))
        seen.add(v)


#: Flags that are true or false (1 or 0), discipline levels (1 reprimand … 5 dismissal)
#: and counts, for the threshold ``at_least`` of caps and notices.
_BOOL_FLAGS = ("degradation", "party_discipline", "corruption_in_unit")
_LEVEL_FLAGS = ("discipline", "duty_discipline", "any_discipline", "duty_any_discipline")


def _at_least(c: _Collector, d: Mapping[str, Any], path: str, flag: str | None,
              default: float | None) -> float | None:  # fmt: skip
    """The threshold of a cap or notice: a whole number ≥ 1 (a flag of 0 means "not set"),
    1 for a true/false flag, at most 5 for a discipline level."""
    if "at_least" not in d:
        return default
    v: float | None = _req(c, d, "at_least", path, float)
    if v is None:
        return None
    key = f"{path}at_least"
    if v < 1 or not v.is_integer():
        c.add(key, _say("foreign.rules.at_least", value=_fmt_num(v)))
        return None
    if flag in _BOOL_FLAGS and v != 1:
        c.add(key, _say("foreign.rules.at_least_flag", flag=flag, value=_fmt_num(v)))
        return None
    if flag in _LEVEL_FLAGS and v > 5:
        c.add(key, _say("foreign.rules.at_least_level", flag=flag, value=_fmt_num(v)))
        return None
    return v


def _grade(c: _Collector, value: Any, key: str) -> Grade | None:
    try:
        return Grade.parse(value)
    except Exception:
        c.add(key, _say("foreign.rules.grade", value=repr(value)))
        return None


def _check_keys(c: _Collector, d: Mapping[str, Any], allowed: Sequence[str], path: str,
                also: Sequence[str] = ()) -> None:  # fmt: skip
    """Every key of ``d`` not in ``allowed`` is a problem, with the closest of ``allowed``
    and ``also`` (keys read before this one: the top level's ``extends``) as a hint."""
    for k in d:
        if k not in allowed:
            close = _close(k, (*allowed, *also))
            if close:
                c.hinted.add(f"{path}{close[1:-1]}")
            c.add(f"{path}{k}", _say("foreign.rules.unknown_key_hint", key=_cut(repr(k)), close=close)
                  if close else _say("foreign.rules.unknown_key", key=_cut(repr(k))))  # fmt: skip


def _fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def quota_percent_problems(percent: float | None, raised: float | None,
                           raised_key: str = "percent_if_unit_excellent"
                           ) -> list[tuple[str, str]]:  # fmt: skip
    """What is wrong with a quota's percentages, as ``(key, problem)``: each must be within
    0-100, and the raised one (``raised_key``) is the higher cap for an excellent or
    exceptional unit (NĐ 335/2025 Điều 20 k5 b allows more, never less), so not below
    ``percent`` (compared once both are percentages). The one rule for the loader and :func:`evalkit.testing.check_rule_set`.

    >>> quota_percent_problems(20, 25)
    []
    >>> quota_percent_problems(20, 5, "raised_percent")  # doctest: +NORMALIZE_WHITESPACE
    [('raised_percent', 'the raised quota raised_percent = 5 is below percent = 20: it is
      the higher cap for an excellent unit, at least percent')]
    """
    out = [(key, _say("foreign.rules.quota_percent", pct=_fmt_num(value)))
           for key, value in (("percent", percent), (raised_key, raised))
           if value is not None and not 0 <= value <= 100]  # fmt: skip
    if not out and percent is not None and raised is not None and raised < percent:
        out.append((raised_key, _say("foreign.rules.raised_below", key=raised_key,
                                     raised=_fmt_num(raised), pct=_fmt_num(percent))))
    return out


_META_KEYS = ("source", "status", "note")
#: A single rule's own dates and categories (:class:`Scope`).
_SCOPE_KEYS = ("effective_from", "effective_until", "categories")


def _meta(c: _Collector, d: Mapping[str, Any], path: str, *, required: bool = True
          ) -> tuple[str, str, str]:  # fmt: skip
    """``(source, status, note)`` of a rule: its citation, how sure it is, a docs-only note."""
    src = (_req(c, d, "source", path, str) if required else _opt(c, d, "source", path, str, ""))
    status = _opt(c, d, "status", path, str, "") or ""
    if status and status not in SOURCE_STATUSES:
        close = _close(status, SOURCE_STATUSES)
        c.add(f"{path}status", _say("foreign.rules.status_hint" if close else "foreign.rules.status",
                                    value=repr(status), known=", ".join(SOURCE_STATUSES),
                                    close=close))  # fmt: skip
    note = _opt(c, d, "note", path, str, "") or ""
    if not required or "source" in d:  # a required one missing is already said
        _cites(c, path, d.get("source"), status)
    return src or "", status, note


#: The statuses that vouch for a citation: the rule's ``source`` must then give one.
_CITING_STATUSES = ("verified", "secondary")


def _cites(c: _Collector, path: str, source: object, status: object) -> None:
    """A rule whose ``status`` vouches for its citation (verified, secondary) must cite
    something: an empty or missing ``source`` is said at ``<path>source`` (a rule with no
    legal text is ``practice`` or ``unsourced``, whose empty source prints nothing); an
    empty ``source`` given without a ``status`` is said there too: a rule that cites
    nothing says why (every rule cites its source). A ``source`` that is no text has its
    own problem, said once (not this one over it)."""
    if source is not None and not isinstance(source, str):
        return
    if status in _CITING_STATUSES and not (source or "").strip():
        c.add(f"{path}source", _say("foreign.rules.no_citation", status=repr(status)))
    elif source is not None and not source.strip() and not status:
        c.add(f"{path}source", _say("foreign.rules.no_citation_no_status"))


def _table(c: _Collector, data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        c.add(key, _say("foreign.rules.expected", expected=f"a table ([{key}])", got=_show(value)))
        return {}
    return dict(value)


def validate_rule_set(
    data: Mapping[str, Any],
    *,
    source: str | None = None,
    strict: bool = True,
) -> RuleSet:
    """Validate a complete parsed TOML mapping into a :class:`RuleSet` (all problems at
    once): the checks behind :func:`evalkit.rules.parse_rule_set`, which first completes a
    mapping that ``extends`` a registered set.

    Raises :class:`~evalkit.errors.RuleSetError` naming the file and key path.
    ``strict=False`` accepts bands with gaps or overlaps and quota percentages outside
    0-100, so that :func:`evalkit.testing.check_rule_set` can report them with a
    counter-example; never score with such a set.
    """
    check_rule_data(data, source=source)
    c = _Collector(source)
    top_keys = (
        "schema_version", "id", "title_vi", "title_en", "jurisdiction", "categories",
        "effective_from", "effective_to", "period", "total", "source", "groups", "blocks",
        "adjustments", "bands", "caps", "notices", "quota", "units", "rollup",
        "position_maxima", "uncertainties", "classified", "scoring", "management",
        "conclusion", "status", "source_short", "classified_source", "inspections",
        "categories_until",
    )  # fmt: skip
    _check_keys(c, data, (*top_keys, "products"), "", also=("extends",))
    version = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        c.add("schema_version", _say("foreign.rules.schema_version", value=_show(version)))
    rid = _ident(c, data, "id", "") or "?"
    title_vi = _text(c, data, "title_vi", "") or ""
    title_en = _opt(c, data, "title_en", "", str, "") or title_vi
    jurisdiction = _opt(c, data, "jurisdiction", "", str, "vn")
    if jurisdiction is not None and not _JURISDICTION.match(jurisdiction):
        c.add("jurisdiction", _say("foreign.rules.jurisdiction", value=_show(jurisdiction)))
    jurisdiction = jurisdiction or "vn"
    src = _req(c, data, "source", "", str) or ""
    cats: list[StaffCategory] = []
    cats_raw = _req(c, data, "categories", "", list)
    for i, cat in enumerate(cats_raw or []):
        try:
            cats.append(StaffCategory.parse(cat))
        except Exception:
            c.add(f"categories[{i}]", _say("foreign.rules.category", value=_show(cat)))
    if cats_raw is not None and not cats_raw:
        c.add("categories", _say("foreign.rules.no_category"))
    eff_from = _req(c, data, "effective_from", "", _dt.date)
    eff_to = _opt(c, data, "effective_to", "", _dt.date, None)
    if eff_from and eff_to and eff_to < eff_from:
        c.add("effective_to", _say("foreign.rules.before_start", end=eff_to, start=eff_from))
    until: dict[StaffCategory, _dt.date] = {}
    for key, day in (_opt(c, data, "categories_until", "", dict, None) or {}).items():
        kp = f"categories_until.{key}"
        try:
            cat = StaffCategory.parse(key)
        except Exception:
            c.add(kp, _say("foreign.rules.category", value=_show(key)))
            continue
        if cat not in cats:
            c.add(kp, _say("foreign.rules.not_category", cat=key))
        elif not isinstance(day, _dt.date) or isinstance(day, _dt.datetime):
            c.add(kp, _say("foreign.rules.expected_not", expected="a date (2025-12-31)", got=_show(day)))
        elif eff_from and day < eff_from:
            c.add(kp, _say("foreign.rules.ends_before", key=key, day=day, start=eff_from))
        else:
            until[cat] = day
    period = _opt(c, data, "period", "", str, "month")
    if period not in ("month", "quarter"):
        c.add("period", _say("foreign.rules.period", value=_show(period)))
    total_raw = _num(c, data, "total", "", None, above=0, high=MAX_TOTAL,
                     what=f"a number above 0 and at most {MAX_TOTAL}")  # fmt: skip
    if "total" not in data:
        c.add("total", _say("foreign.rules.missing_key", key="'total'"))
    total = total_raw if total_raw is not None else 100.0
    total_ok = total_raw is not None

    # ---- groups and criteria
    groups: list[CriterionGroup] = []
    crit_ids: set[str] = set()
    at_most_refs: list[tuple[str, str, str | None]] = []  # (key, criterion named, unit)
    broken: set[str] = set()  # ids of criteria and groups with a problem: no follow-on errors
    group_keys: list[tuple[str, str | None]] = []
    for gi, g in _tables(c, data, "groups", required=True):
        gp = f"groups[{gi}]."
        _check_keys(c, g, ("id", "label_vi", "label_en", "max", "criteria", "sections",
                           *_META_KEYS), gp)  # fmt: skip
        n_before = len(c.problems)
        gid_ = _ident(c, g, "id", gp)
        group_keys.append((f"{gp}id", gid_))
        gid = gid_ or f"group{gi}"
        gmax = _num(c, g, "max", gp, None, above=0, high=MAX_NUMBER)
        glabel = _text(c, g, "label_vi", gp)
        sections: list[Section] = []
        sec_keys: list[tuple[str, str | None]] = []
        for si, srow in _tables(c, g, "sections", gp):
            sp = f"{gp}sections[{si}]."
            _check_keys(c, srow, ("id", "label_vi", "label_en", "max", *_META_KEYS), sp)
            smax = _num(c, srow, "max", sp, None, above=0, high=MAX_NUMBER)
            if "max" not in srow:
                c.add(f"{sp}max", _say("foreign.rules.missing_key", key="'max'"))
            sid = _ident(c, srow, "id", sp)
            slabel = _text(c, srow, "label_vi", sp)
            slabel_en = _opt(c, srow, "label_en", sp, str, "")
            sec_keys.append((f"{sp}id", sid))
            if sid is None or smax is None or slabel is None or slabel_en is None:
                continue
            sections.append(Section(sid, slabel, slabel_en, smax))
        _duplicates(c, sec_keys, "section")
        section_ids = [x.id for x in sections]
        crits: list[Criterion] = []
        crit_rows = _tables(c, g, "criteria", gp, required=True)
        if "criteria" in g and isinstance(g["criteria"], list) and not g["criteria"]:
            c.add(f"{gp}criteria", _say("foreign.rules.group_empty", group=repr(gid)))
        for ci, cr in crit_rows:
            cp = f"{gp}criteria[{ci}]."
            _check_keys(
                c, cr, ("id", "label_vi", "label_en", "max", "unit", "management", "section",
                        "at_most", *_META_KEYS), cp
            )  # fmt: skip
            n_crit = len(c.problems)
            cid = _ident(c, cr, "id", cp)
            csec = _opt(c, cr, "section", cp, str, None)
            if csec is not None and csec not in section_ids:
                close = _close(csec, section_ids)
                c.add(f"{cp}section", _say("foreign.rules.section_hint" if close
                                           else "foreign.rules.section", value=_show(csec),
                                           group=repr(gid), close=close))  # fmt: skip
            unit = _opt(c, cr, "unit", cp, str, "points")
            if unit is not None and unit not in ("points", "percent", "count"):
                close = _close(unit, ("points", "percent", "count"))
                c.add(f"{cp}unit", _say("foreign.rules.unit_hint" if close else "foreign.rules.unit",
                                        value=_show(unit), close=close))  # fmt: skip
                unit = None
            if unit == "percent":
                cmax = _num(c, cr, "max", cp, 100.0, above=0, high=100)
            else:
                cmax = _num(c, cr, "max", cp, None, above=0, high=MAX_NUMBER)
                if "max" not in cr:
                    c.add(f"{cp}max", _say("foreign.rules.missing_key", key="'max'"))
            cmanagement = _opt(c, cr, "management", cp, bool, False)
            clabel = _text(c, cr, "label_vi", cp)
            clabel_en = _opt(c, cr, "label_en", cp, str, "")
            if cid is not None and cid in crit_ids:
                c.add(f"{cp}id", _say("foreign.rules.duplicate", what="criterion", value=repr(cid)))
            if cid:
                crit_ids.add(cid)
            if len(c.problems) > n_crit or cid is None or clabel is None:
                if cid:
                    broken.add(cid)
                continue
            cat_most = _opt(c, cr, "at_most", cp, str, None)
            if cat_most is not None:
                at_most_refs.append((f"{cp}at_most", cat_most, unit))
            crits.append(Criterion(cid, clabel, clabel_en, cmax, gid, unit=unit,
                                   management=cmanagement, section=csec,
                                   at_most=cat_most))  # fmt: skip
        raw_crits = g.get("criteria")
        # a criterion that did not read (its problem said) would make the sums look wrong
        all_crits_read = isinstance(raw_crits, list) and len(crits) == len(raw_crits)
        for sec in sections:
            inside = [x for x in crits if x.section == sec.id]
            if not inside:
                if not any(k.startswith(f"{gp}criteria") for k, _ in c.problems):
                    c.add(f"{gp}sections", _say("foreign.rules.section_empty",
                                                section=repr(sec.id), group=repr(gid)))
            elif all_crits_read and abs(sum(x.maximum for x in inside) - sec.maximum) > 1e-9:
                c.add(f"{gp}sections", _say("foreign.rules.section_sum", section=repr(sec.id),
                                            sum=_fmt_num(sum(x.maximum for x in inside)),
                                            max=_fmt_num(sec.maximum)))  # fmt: skip
        point_crits = [x for x in crits if x.unit == "points"]
        if gmax is not None and point_crits and not any(x.management for x in point_crits) \
                and all_crits_read:
            s = sum(x.maximum for x in point_crits)
            if abs(s - gmax) > 1e-9:
                c.add(
                    f"{gp}criteria",
                    _say("foreign.rules.group_sum", group=repr(gid), sum=_fmt_num(s),
                         max=_fmt_num(gmax)),
                )
        glabel_en = _opt(c, g, "label_en", gp, str, "")
        _meta(c, g, gp, required=False)
        if len(c.problems) > n_before:
            broken.add(gid)
            broken.update(x.id for x in crits)
        if gid_ is None or glabel is None or glabel_en is None or \
                ("max" in g and gmax is None):  # fmt: skip
            continue
        groups.append(CriterionGroup(gid, glabel, glabel_en or gid, gmax, crits, sections))
    _duplicates(c, group_keys, "group")
    group_ids = [g.id for g in groups]
    crit_by_id = {cr.id: cr for g in groups for cr in g.criteria}

    def need_criterion(key: str, cid: Any, unit: str | None = None) -> None:
        if isinstance(cid, str) and cid in broken:
            return  # its own problem is reported where it is defined
        if not isinstance(cid, str) or cid not in crit_by_id:
            close = _close(cid, list(crit_by_id))
            c.add(key, _say("foreign.rules.criterion_hint" if close else "foreign.rules.criterion",
                            value=_show(cid), close=close))  # fmt: skip
        elif unit is not None and crit_by_id[cid].unit != unit:
            c.add(key, _say("foreign.rules.scored_in", criterion=repr(cid),
                            unit=crit_by_id[cid].unit, other=unit))  # fmt: skip

    for key, ref, unit_ in at_most_refs:  # a criterion bounded by another, in its unit
        need_criterion(key, ref, unit_)

    # ---- blocks
    blocks: list[Block] = []
    block_rows = _tables(c, data, "blocks", required=True)
    raw_blocks = data.get("blocks")
    blocks_ok = isinstance(raw_blocks, list) and len(block_rows) == len(raw_blocks)
    block_keys: list[tuple[str, str | None]] = []
    for bi, b in block_rows:
        bp = f"blocks[{bi}]."
        n_before = len(c.problems)
        kind = _req(c, b, "block", bp, str)
        if kind is not None and kind not in BLOCK_KINDS:
            close = _close(kind, list(BLOCK_KINDS))
            c.add(f"{bp}block", _say("foreign.rules.block_hint" if close else "foreign.rules.block",
                                     value=_show(kind), close=close))  # fmt: skip
            blocks_ok = False
            continue
        if kind is None:
            blocks_ok = False
            continue
        common = ("id", "block", "label_vi", "label_en", "points", "weight", *_META_KEYS)
        _check_keys(c, b, common + BLOCK_KINDS[kind], bp)
        bid_ = _ident(c, b, "id", bp)
        block_keys.append((f"{bp}id", bid_))
        bid = bid_ or f"block{bi}"
        params = {k: b[k] for k in BLOCK_KINDS[kind] if k in b}
        points = _num(c, b, "points", bp, None, above=0, high=MAX_TOTAL)
        points_bad = "points" in b and points is None
        if kind == "criteria_sum":
            bgroup = params.get("group")
            if not isinstance(bgroup, str) or bgroup not in group_ids:
                if not (isinstance(bgroup, str) and bgroup in broken):
                    close = _close(bgroup, group_ids)
                    c.add(f"{bp}group", _say("foreign.rules.group_hint" if close
                                             else "foreign.rules.group", value=_show(bgroup),
                                             close=close))  # fmt: skip
            else:
                gmax = next(g.maximum for g in groups if g.id == bgroup)
                if points is None and not points_bad:
                    points = gmax
        elif kind == "percent_average":
            ins = params.get("inputs")
            if not isinstance(ins, list) or not ins:
                c.add(f"{bp}inputs", _say("foreign.rules.expected_only",
                                           expected="a non-empty list of percentage criteria"))
                ins = []
            for i, x in enumerate(ins):
                need_criterion(f"{bp}inputs[{i}]", x, "percent")
            mins = params.get("manager_inputs")
            if mins is not None and not isinstance(mins, list):
                c.add(f"{bp}manager_inputs", _say("foreign.rules.expected", got=_show(mins),
                                                  expected="a list of percentage criteria"))
                mins = []
            for i, x in enumerate(mins or []):
                need_criterion(f"{bp}manager_inputs[{i}]", x, "percent")
            if "kpi" in params and params["kpi"] is not True and params["kpi"] is not False:
                c.add(f"{bp}kpi", _say("foreign.rules.bool"))
        elif kind == "ratio":
            for k in ("numerator", "denominator"):
                if k not in params:
                    c.add(f"{bp}{k}", _say("foreign.rules.missing_key", key=repr(k)))
                else:
                    need_criterion(f"{bp}{k}", params[k], "count")
            if b.get("empty") == "not_evaluated":  # nothing assigned: not evaluated
                params["empty"] = "not_evaluated"
            else:
                empty = _num(c, b, "empty", bp, 1.0, low=0, high=1)
                params["empty"] = empty if empty is not None else 1.0
        elif kind in ("bonus", "deduction"):
            ins = params.get("inputs")
            if not isinstance(ins, list) or not ins:
                c.add(f"{bp}inputs", _say("foreign.rules.expected_only",
                                           expected="a non-empty list of criteria"))
                ins = []
            for i, x in enumerate(ins):
                need_criterion(f"{bp}inputs[{i}]", x, "points")
            bcap = _num(c, b, "cap", bp, None, above=0, high=MAX_TOTAL)
            if bcap is not None:
                params["cap"] = bcap
            if points is None and not points_bad and bcap is not None:
                points = float(bcap)
        if points is None:
            if not points_bad and not (kind == "criteria_sum" and len(c.problems) > n_before):
                c.add(f"{bp}points", _say("foreign.rules.block_points", block=repr(bid)))
            points = 1.0
            blocks_ok = False
        if kind in ("bonus", "deduction"):
            params.setdefault("cap", points)
        weight = _num(c, b, "weight", bp, 1.0, above=0, high=MAX_NUMBER)
        bsrc, bstat, bnote = _meta(c, b, bp)
        blabel = _opt(c, b, "label_vi", bp, str, "")
        blabel_en = _opt(c, b, "label_en", bp, str, "")
        if len(c.problems) > n_before:
            blocks_ok = False
        blocks.append(
            Block(
                bid,
                kind,
                blabel or bid,
                blabel_en or bid,
                float(points),
                float(weight) if weight is not None else 1.0,
                params,
                bsrc,
                bstat,
                bnote,
            )
        )
    _duplicates(c, block_keys, "block")
    if not blocks and "blocks" in data and isinstance(data["blocks"], list):
        c.add("blocks", _say("foreign.rules.no_block"))
    pos_sum = sum(b.points * b.weight for b in blocks if b.kind != "deduction")
    # a block with a problem, or an invalid total, would make the sum a follow-on error
    if blocks and blocks_ok and total_ok and abs(pos_sum - total) > 1e-9:
        c.add(
            "blocks",
            _say("foreign.rules.block_sum", sum=_fmt_num(pos_sum), total=_fmt_num(total)),
        )

    # ---- adjustments
    adjustments: list[Adjustment] = []
    adj_keys: list[tuple[str, str | None]] = []
    for ai, a in _tables(c, data, "adjustments"):
        ap = f"adjustments[{ai}]."
        kind = _req(c, a, "adjustment", ap, str)
        if kind is None:
            continue
        if kind not in ADJUSTMENT_KINDS:
            c.add(
                f"{ap}adjustment",
                _say("foreign.rules.adjustment_hint" if _close(kind, list(ADJUSTMENT_KINDS))
                     else "foreign.rules.adjustment", value=_show(kind),
                     close=_close(kind, list(ADJUSTMENT_KINDS))),
            )
            continue
        _check_keys(c, a, ("id", "adjustment", *_META_KEYS, *ADJUSTMENT_KINDS[kind]), ap)
        aid = _ident(c, a, "id", ap, required=False)
        adj_keys.append((f"{ap}id", aid))
        inp = _req(c, a, "input", ap, str)
        ev = _req(c, a, "events", ap, str)
        if inp is not None:
            need_criterion(f"{ap}input", inp, "percent")
        if ev is not None:
            need_criterion(f"{ap}events", ev, "count")
        step = _num(c, a, "step", ap, None, above=0, high=100,
                    what="in (0, 100] percentage points")  # fmt: skip
        if "step" not in a:
            c.add(f"{ap}step", _say("foreign.rules.missing_key", key="'step'"))
        floor = _num(c, a, "floor", ap, 0.0, low=0, high=100)
        adjustments.append(
            Adjustment(
                aid or f"adjust{ai}",
                kind,
                inp or "?",
                ev or "?",
                step or 25.0,
                float(floor or 0.0),
                *_meta(c, a, ap),
            )
        )
    _duplicates(c, adj_keys, "adjustment")

    # ---- bands
    bands: list[Band] = []
    band_rows = _tables(c, data, "bands", required=True)
    raw_bands = data.get("bands")
    bands_read = isinstance(raw_bands, list) and len(band_rows) == len(raw_bands)
    for bi, b in band_rows:
        bp = f"bands[{bi}]."
        _check_keys(c, b, ("grade", "min", "max", "label_vi", "label_en", *_META_KEYS), bp)
        bgrade: Grade | None = None
        if "grade" not in b:
            c.add(f"{bp}grade", _say("foreign.rules.missing_key", key="'grade'"))
        else:
            bgrade = _grade(c, b["grade"], f"{bp}grade")
        lo = _req(c, b, "min", bp, float)
        hi = _req(c, b, "max", bp, float)
        blabel = _opt(c, b, "label_vi", bp, str, "")
        blabel_en = _opt(c, b, "label_en", bp, str, "")
        meta = _meta(c, b, bp)
        if bgrade is None or lo is None or hi is None:
            bands_read = False
            continue
        if hi <= lo:
            c.add(f"{bp}max", _say("foreign.rules.band_range", grade=bgrade.code,
                                   high=_fmt_num(hi), low=_fmt_num(lo)))  # fmt: skip
            bands_read = False  # a band whose numbers cannot be a range: no coverage check
        # a band's other problems (a missing source, an unknown key) leave its numbers
        # readable: coverage is still checked, so every problem is reported at once
        bands.append(Band(bgrade, lo, hi, blabel or bgrade.label_vi,
                          blabel_en or bgrade.label_en, *meta))  # fmt: skip
    band_problems = check_bands(bands, total) if strict and bands_read else []
    for msg in band_problems:
        c.add("bands", msg)
    if not bands and isinstance(raw_bands, list) and not band_problems and not raw_bands:
        c.add("bands", _say("foreign.rules.no_bands"))

    # ---- caps (disqualifiers) and notices (optional rules)
    caps: list[Cap] = []
    cap_keys: list[tuple[str, str | None]] = []
    cap_rows = _tables(c, data, "caps")
    for ci, cp_ in cap_rows:
        kp = f"caps[{ci}]."
        _check_keys(
            c, cp_, ("id", "flag", "grade", "at_least", "heads_only", "applies_to", "enabled",
                     "periods", "label_vi", "label_en", *_SCOPE_KEYS, *_META_KEYS), kp,
        )  # fmt: skip
        cap_periods = tuple(_str_list(c, cp_, "periods", kp, None) or ())
        for i, k in enumerate(cap_periods):
            if k not in PERIOD_KINDS:
                c.add(f"{kp}periods[{i}]", _period_kind(k))
        cap_id = _ident(c, cp_, "id", kp)
        cap_keys.append((f"{kp}id", cap_id))
        flag = _req(c, cp_, "flag", kp, str)
        if flag is not None and flag not in FLAG_INPUTS:
            c.add(f"{kp}flag", _unknown_flag(flag))
            flag = None
        cgrade = _grade(c, cp_.get("grade", "KHT"), f"{kp}grade")
        scope = _opt(c, cp_, "applies_to", kp, str, None)
        if bool(_opt(c, cp_, "heads_only", kp, bool, False)):
            if scope not in (None, "heads"):
                c.add(f"{kp}heads_only", _say("foreign.rules.heads_only"))
            scope = "heads"
        scope = scope or "all"
        if scope not in CAP_SCOPES:
            close = _close(scope, CAP_SCOPES)
            c.add(f"{kp}applies_to", _say("foreign.rules.applies_to_hint" if close
                                          else "foreign.rules.applies_to",
                                          choices=", ".join(CAP_SCOPES), value=_show(scope),
                                          close=close))  # fmt: skip
        at_least = _at_least(c, cp_, kp, flag, 1.0)
        caps.append(
            Cap(
                cap_id or f"cap{ci}",
                flag or "?",
                cgrade if cgrade is not None else Grade.KHT,
                _text(c, cp_, "label_vi", kp) or "",
                _opt(c, cp_, "label_en", kp, str, "") or "",
                float(at_least) if at_least is not None else 1.0,
                scope,
                *_meta(c, cp_, kp),
                enabled=bool(_opt(c, cp_, "enabled", kp, bool, True)),
                periods=cap_periods,
                scope=_parse_scope(c, cp_, kp, cats, eff_from, eff_to),
            )
        )
    notices: list[Notice] = []
    notice_keys: list[tuple[str, str | None]] = []
    notice_rows = _tables(c, data, "notices")
    for ni, n in notice_rows:
        kp = f"notices[{ni}]."
        _check_keys(
            c, n, ("id", "flag", "at_least", "enabled", "label_vi", "label_en", *_META_KEYS), kp
        )
        notice_id = _ident(c, n, "id", kp)
        notice_keys.append((f"{kp}id", notice_id))
        flag = _req(c, n, "flag", kp, str)
        if flag is not None and flag not in FLAG_INPUTS:
            c.add(f"{kp}flag", _unknown_flag(flag))
            flag = None
        if "at_least" not in n:
            c.add(f"{kp}at_least", _say("foreign.rules.missing_key", key="'at_least'"))
        at_least = _at_least(c, n, kp, flag, None)
        notices.append(
            Notice(
                notice_id or f"notice{ni}",
                flag or "?",
                float(at_least) if at_least is not None else 1.0,
                _text(c, n, "label_vi", kp) or "",
                _opt(c, n, "label_en", kp, str, "") or "",
                bool(_opt(c, n, "enabled", kp, bool, False)),
                *_meta(c, n, kp),
            )
        )
    _duplicates(c, cap_keys, "cap")
    _duplicates(c, notice_keys, "notice")
    if len(cap_rows) + len(notice_rows) > MAX_RULES:
        c.add("caps", _say("foreign.rules.too_many_caps", limit=MAX_RULES,
                           n=len(cap_rows) + len(notice_rows)))  # fmt: skip

    # ---- periods
    classified_raw = _str_list(c, data, "classified", "", None)
    classified: tuple[str, ...]
    if classified_raw is None:
        classified = (str(period), "year")
    else:
        classified = tuple(classified_raw)
        if "classified" in data and isinstance(data["classified"], list) \
                and not data["classified"]:  # fmt: skip
            c.add("classified", _say("foreign.rules.classified"))
        for i, k in enumerate(classified):
            if k not in PERIOD_KINDS:
                c.add(f"classified[{i}]", _period_kind(k))
            elif k == "month" and period == "quarter":
                c.add(f"classified[{i}]", _say("foreign.rules.quarters_not_months"))

    # ---- quota
    q = data.get("quota")
    if q is not None and not isinstance(q, dict):
        c.add("quota", _say("foreign.rules.expected", expected="a table ([quota])", got=_show(q)))
        q = None
    quota = None if q is None else _parse_quota(c, q, "quota.", classified, cats, eff_from,
                                                 eff_to, strict)  # fmt: skip

    # ---- scoring, management, conclusion
    sc = _table(c, data, "scoring")
    _check_keys(c, sc, ("rounding", "decimals", *_META_KEYS), "scoring.")
    srounding = _opt(c, sc, "rounding", "scoring.", str, "half_up")
    if srounding not in ("half_up", "truncate"):
        if srounding is not None:
            c.add("scoring.rounding", _say("foreign.rules.score_rounding",
                                           value=_show(srounding)))
        srounding = "half_up"
    decimals = _num(c, sc, "decimals", "scoring.", 2, low=0, high=4, whole=True)
    if decimals is None:
        decimals = 2
    scoring = ScorePolicy(srounding, decimals, *_meta(c, sc, "scoring.", required=False))

    u = _table(c, data, "units")
    mg = _table(c, data, "management")
    # compatibility: the management keys once lived in [units]
    for old, new in (("management_criterion", "computed"), ("management_all_ht", "full"),
                     ("management_any_kht", "reduced")):  # fmt: skip
        if old in u:
            if new in mg:
                c.add(f"units.{old}", _say("foreign.rules.moved", new=new, old=old))
            mg[new] = u.pop(old)
    mp = "management."
    _check_keys(c, mg, ("computed", "full", "reduced", "test", "threshold", "scope", "values",
                        *_META_KEYS), mp)  # fmt: skip
    computed = _opt(c, mg, "computed", mp, str, None)
    if computed is not None:
        need_criterion(f"{mp}computed", computed, "percent")
        if computed in crit_by_id and not crit_by_id[computed].management:
            c.add(f"{mp}computed", _say("foreign.rules.not_management",
                                        criterion=repr(computed)))
    mfull = _num(c, mg, "full", mp, 100.0, low=0, high=100,
                 what="a percentage from 0 to 100")  # fmt: skip
    mred = _num(c, mg, "reduced", mp, 50.0, low=0, high=100,
                what="a percentage from 0 to 100")  # fmt: skip
    if mfull is not None and mred is not None and mred > mfull:
        c.add(f"{mp}reduced", _say("foreign.rules.reduced_above", reduced=_fmt_num(mred),
                                   full=_fmt_num(mfull)))
    mtest = _opt(c, mg, "test", mp, str, "score")
    if mtest not in ("score", "grade"):
        if mtest is not None:
            c.add(f"{mp}test", _say("foreign.rules.must_be", key="test", rng="score or grade",
                                     value=_show(mtest)))  # fmt: skip
        mtest = "score"
    mthr = _grade(c, mg.get("threshold", "HT"), f"{mp}threshold")
    mscope = _opt(c, mg, "scope", mp, str, "area")
    if mscope not in ("area", "direct"):
        if mscope is not None:
            c.add(f"{mp}scope", _say("foreign.rules.mscope", value=_show(mscope)))
        mscope = "area"
    mvalues: list[float] = []
    values_raw = _opt(c, mg, "values", mp, list, [])
    for i, v in enumerate(values_raw or []):
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 100:
            c.add(f"{mp}values[{i}]", _say("foreign.rules.expected", got=_show(v),
                                            expected="a percentage from 0 to 100"))  # fmt: skip
        else:
            mvalues.append(float(v))
    if mvalues and values_raw is not None and len(mvalues) == len(values_raw):
        need = {f"the maximum of {x.id!r}": x.maximum
                for x in crit_by_id.values() if x.management}  # fmt: skip
        need.update({"full": mfull, "reduced": mred} if computed is not None else {})
        missing: dict[float, str] = {}
        for what, v in need.items():
            if v is not None and not any(abs(v - a) <= 1e-9 for a in mvalues):
                missing.setdefault(v, what)
        for v, what in missing.items():
            c.add(f"{mp}values", _say("foreign.rules.values_include", value=_fmt_num(v),
                                      what=what))
    management = ManagementPolicy(
        computed, mfull if mfull is not None else 100.0, mred if mred is not None else 50.0,
        mtest, mthr if mthr is not None else Grade.HT,
        tuple(mvalues), *_meta(c, mg, mp, required=False),
        scope="direct" if mscope == "direct" else "area",
    )  # fmt: skip

    cc = _table(c, data, "conclusion")
    _check_keys(c, cc, ("above_band", "requires_reason", *_META_KEYS), "conclusion.")
    conclusion = ConclusionPolicy(
        bool(_opt(c, cc, "above_band", "conclusion.", bool, False)),
        bool(_opt(c, cc, "requires_reason", "conclusion.", bool, True)),
        *_meta(c, cc, "conclusion.", required=False),
    )

    # ---- units and roll-up
    units = _parse_units(c, u, total)
    rollup = _parse_rollup(c, rt := _table(c, data, "rollup"), cats, eff_from, eff_to)
    if isinstance(yq := rt.get("quota"), dict):  # [rollup.quota]: the year's own quota
        rollup = attrs.evolve(rollup, quota=_parse_quota(c, yq, "rollup.quota.", classified, cats,
                                                         eff_from, eff_to, strict, year=True))
    elif yq is not None:
        c.add("rollup.quota", _say("foreign.rules.expected", expected="a table ([rollup.quota])",
                                   got=_show(yq)))

    source_short = _opt(c, data, "source_short", "", str, "") or ""
    uncertainties = tuple(_str_list(c, data, "uncertainties", "", []) or ())
    classified_source = _opt(c, data, "classified_source", "", str, "") or ""
    rs_status = _opt(c, data, "status", "", str, "") or ""
    if rs_status and rs_status not in SOURCE_STATUSES:
        c.add("status", _say("foreign.rules.status", value=repr(rs_status),
                             known=", ".join(SOURCE_STATUSES)))
    if "source" in data:  # a missing one is already said
        _cites(c, "", data["source"], rs_status)

    # ---- per-position maxima
    pm: dict[str, dict[str, float]] = {}
    pm_raw = data.get("position_maxima")
    if pm_raw is not None and not isinstance(pm_raw, dict):
        c.add("position_maxima", _say("foreign.rules.expected", got=_show(pm_raw),
                                      expected="a table of job positions "
                                               "([position_maxima.<position>])"))
        pm_raw = None
    group_max = {g.id: g.maximum for g in groups}
    for pos, table in (pm_raw or {}).items():
        pp = f"position_maxima.{pos}"
        if not pos.strip() or _BAD_ID_CHARS.search(pos):
            c.add(pp, _say("foreign.rules.bad_position", value=_show(pos)))
        if not isinstance(table, dict):
            c.add(pp, _say("foreign.rules.expected", expected="a table of criterion id to maximum",
                              got=_show(table)))  # fmt: skip
            continue
        pm[pos] = {}
        for cid in table:
            need_criterion(f"{pp}.{cid}", cid)
            mx = _num(c, table, cid, f"{pp}.", None, above=0, high=MAX_NUMBER)
            crit = crit_by_id.get(cid)
            if mx is None or crit is None:
                continue
            if crit.unit == "percent":
                limit, what = 100.0, "a percentage criterion's 100"
            elif crit.unit == "count":
                limit, what = MAX_NUMBER, ""
            elif group_max.get(crit.group) is not None:
                limit = float(group_max[crit.group] or 0)
                what = f"the maximum {_fmt_num(limit)} of its group {crit.group!r}"
            else:
                limit, what = total, f"the rule set's total {_fmt_num(total)}"
            if mx > limit:
                c.add(f"{pp}.{cid}", _say("foreign.rules.position_max", max=_fmt_num(mx),
                                          criterion=repr(cid), position=repr(pos), what=what))
                continue
            pm[pos][cid] = float(mx)

    products = _parse_products(c, data, need_criterion)

    inspections = _parse_inspections(c, data, blocks, groups)
    rs = RuleSet(
        id=rid,
        title_vi=title_vi,
        title_en=title_en,
        jurisdiction=jurisdiction,
        categories=tuple(cats),
        effective_from=eff_from,
        effective_to=eff_to,
        period=period,
        total=total,
        source=src,
        groups=tuple(groups),
        blocks=tuple(blocks),
        adjustments=tuple(adjustments),
        bands=tuple(sorted(bands, key=lambda b: b.min)),
        caps=tuple(caps),
        notices=tuple(notices),
        quota=quota,
        units=units,
        rollup=rollup,
        position_maxima=pm,
        uncertainties=uncertainties,
        path=source,
        classified=classified,
        scoring=scoring,
        management=management,
        conclusion=conclusion,
        status=rs_status,
        source_short=source_short,
        classified_source=classified_source,
        products=products,
        inspections=inspections,
        categories_until=until,
    )
    try:
        c.raise_if_any()
    except RuleSetError as err:
        if not strict:  # what was read, for the checks its problems leave standing
            err.partial = rs  # type: ignore[attr-defined]
            err.partial_keys = tuple(k for k, _ in c.problems)  # type: ignore[attr-defined]
        raise
    return rs


def _parse_units(c: _Collector, u: dict[str, Any], total: float) -> UnitPolicy:
    """``[units]``: every key typed and ranged (weights ≥ 0, percentages 0-100, counts
    whole ≥ 1, sources text); a present but invalid value is a problem, never a default."""
    up = "units."
    ufields = [f.name for f in attrs.fields(UnitPolicy)]
    _check_keys(c, u, ufields, up)
    kw: dict[str, Any] = {}

    def put(key: str, value: Any) -> None:
        if value is not None:
            kw[key] = value

    put("excellent_min_score", _num(c, u, "excellent_min_score", up, None, low=0, high=total))
    for k in ("excellent_tasks_done_percent", "excellent_on_time_percent",
              "excellent_exceeded_percent", "kht_below_done_percent", "excellent_share_percent",
              "excellent_share_raised_percent", "good_on_time_percent", "fair_done_percent", "fair_late_max_percent"):
        put(k, _num(c, u, k, up, None, low=0, high=100))
    for k in ("excellent_requires_no_subunit_kht", "excellent_requires_no_discipline",
              "excellent_requires_shortcomings_remedied", "kht_personnel_wrongdoing",
              "kht_leadership_duty_disciplined", "kht_leadership_degraded",
              "kht_socioeconomic_targets_missed",
              "head_capped_at_unit", "deputy_capped_at_head_when_late", "council_overrides"):
        put(k, _opt(c, u, k, up, bool, None))
    by = _opt(c, u, "shortcomings_pointed_out_by", up, str, None)
    if by is not None and by not in SHORTCOMINGS_POINTED_OUT_BY:
        close = _close(by, SHORTCOMINGS_POINTED_OUT_BY)
        c.add(f"{up}shortcomings_pointed_out_by", _say(
            "foreign.rules.must_be_hint" if close else "foreign.rules.must_be",
            key="shortcomings_pointed_out_by", rng=" or ".join(SHORTCOMINGS_POINTED_OUT_BY),
            value=_show(by), close=close))  # fmt: skip
    else:
        put("shortcomings_pointed_out_by", by)
    for k in ("small_parent_threshold", "small_parent_max_excellent"):
        put(k, _num(c, u, k, up, None, low=1, whole=True))
    if ("small_parent_threshold" in u) != ("small_parent_max_excellent" in u):
        c.add(f"{up}small_parent_threshold", _say("foreign.rules.small_parent"))
    share, raised = (kw.get(k) for k in ("excellent_share_percent", "excellent_share_raised_percent"))
    if raised is not None and (share is None or raised < share):  # k7 b: higher than k7 a's
        c.add(f"{up}excellent_share_raised_percent", _say(
            "foreign.rules.share_raised", raised=_fmt_num(raised),
            pct="none" if share is None else _fmt_num(share)))
    for k in ("tasks_weight", "cross_weight", "satisfaction_weight", "reform_weight"):
        put(k, _num(c, u, k, up, None, low=0, high=MAX_NUMBER))
    put("late_credit", _num(c, u, "late_credit", up, None, low=0, high=1,
                            what="a fraction from 0 to 1 (the share of a late task credited)"))
    for k in ("overdue_deduction", "inspection_deduction"):
        put(k, _num(c, u, k, up, None, low=0, high=total))
    for k in ("source", "excellent_conditions_source", "small_parent_source", "kht_source",
              "excellent_share_source", "excellent_share_raised_source", "band_conditions_source", "good_conditions_source",
              "fair_conditions_source", "shortcomings_source", "personnel_wrongdoing_source",
              "note"):
        put(k, _opt(c, u, k, up, str, None))
    status = _opt(c, u, "status", up, str, None)
    if status and status not in SOURCE_STATUSES:
        c.add(f"{up}status", _status(status))
    _cites(c, up, u.get("source"), status)
    put("status", status)
    weights: dict[str, float] = {}
    bw = u.get("body_weights")
    if bw is not None and not isinstance(bw, dict):
        c.add(f"{up}body_weights", _say("foreign.rules.expected", got=_show(bw),
                                         expected="a table of body id to weight"))  # fmt: skip
    for body in bw if isinstance(bw, dict) else ():
        v = _num(c, bw or {}, body, f"{up}body_weights.", None, low=0, high=MAX_NUMBER)
        if v is not None:
            weights[body] = v
    kw["body_weights"] = weights
    bodies: list[UnitBody] = []
    body_keys: list[tuple[str, str | None]] = []
    for bi, body in _tables(c, u, "bodies", up):
        bp = f"{up}bodies[{bi}]."
        _check_keys(c, body, ("id", "label_vi", "label_en", "weight"), bp)
        bid = _ident(c, body, "id", bp)
        body_keys.append((f"{bp}id", bid))
        w = _num(c, body, "weight", bp, 1.0, low=0, high=MAX_NUMBER)
        bodies.append(UnitBody(bid or f"body{bi}",
                               _opt(c, body, "label_vi", bp, str, "") or "",
                               _opt(c, body, "label_en", bp, str, "") or "",
                               float(w) if w is not None else 1.0))  # fmt: skip
    _duplicates(c, body_keys, "body")
    units = UnitPolicy(**kw, bodies=tuple(bodies))
    positive = [units.tasks_weight, units.cross_weight, units.satisfaction_weight,
                units.reform_weight, *(units.body_weight(b) for b in units.body_ids())]
    if not any(w > 0 for w in positive):
        c.add(f"{up}tasks_weight", _say("foreign.rules.unit_weight"))
    return units


def _parse_scope(c: _Collector, d: Mapping[str, Any], path: str, cats: Sequence[StaffCategory],
                 eff_from: _dt.date | None, eff_to: _dt.date | None,
                 prefix: str = "", *, with_categories: bool = True) -> Scope:  # fmt: skip
    """A rule's own ``effective_from``/``effective_until``/``categories`` (with ``prefix``),
    held inside the set's dates and categories: a rule that can never apply is a problem."""
    k_from, k_until, k_cats = (f"{prefix}effective_from", f"{prefix}effective_until",
                               f"{prefix}categories")  # fmt: skip
    start = _opt(c, d, k_from, path, _dt.date, None)
    until = _opt(c, d, k_until, path, _dt.date, None)
    if start is not None and until is not None and until < start:
        c.add(f"{path}{k_until}", _say("foreign.rules.until_before", k_until=k_until, until=until,
                                        k_from=k_from, start=start))  # fmt: skip
    if start is not None and eff_to is not None and start > eff_to:
        c.add(f"{path}{k_from}", _say("foreign.rules.from_after_set", k_from=k_from,
                                      start=start, end=eff_to))
    if until is not None and eff_from is not None and until < eff_from:
        c.add(f"{path}{k_until}", _say("foreign.rules.until_before_set", k_until=k_until,
                                       until=until, start=eff_from))
    mine: list[StaffCategory] = []
    for i, cat in enumerate((_str_list(c, d, k_cats, path, None) if with_categories else None)
                            or ()):  # fmt: skip
        try:
            one = StaffCategory.parse(cat)
        except Exception:
            c.add(f"{path}{k_cats}[{i}]", _say("foreign.rules.category_expected",
                                               value=_show(cat),
                                               known=", ".join(x.value for x in StaffCategory)))
            continue
        if cats and one not in cats:
            c.add(f"{path}{k_cats}[{i}]", _say("foreign.rules.not_category_of", cat=one.value,
                                               cats=", ".join(x.value for x in cats)))
        mine.append(one)
    if with_categories and k_cats in d and isinstance(d[k_cats], list) and not d[k_cats]:
        c.add(f"{path}{k_cats}", _say("foreign.rules.scope_no_category", key=k_cats))
    return Scope(start, until, tuple(dict.fromkeys(mine)))


def _parse_quota(c: _Collector, q: dict[str, Any], qp: str, classified: Sequence[str],
                 cats: Sequence[StaffCategory], eff_from: _dt.date | None,
                 eff_to: _dt.date | None, strict: bool, year: bool = False) -> QuotaPolicy:  # fmt: skip
    """``[quota]`` (or, ``year``, the year's own ``[rollup.quota]``: no ``periods``, its own
    ``categories``): every key typed and checked, each problem at ``qp`` + its key."""
    _check_keys(
        c, q, ("grade", "base", "percent", "percent_if_unit_excellent", "raised_percent",
               "raised_when", "raised_base", "raised_source", "small_group_size",
               "small_group_keep", "categories" if year else "periods", "rounding", "count_base",
               "tie_break", "group_by", "effective_from", "effective_until", *_META_KEYS), qp,
    )  # fmt: skip
    if year and "year" not in classified:  # the year's quota of a set not classifying it
        c.add(qp[:-1], _say("foreign.rules.quota_period" if classified else
                            "foreign.rules.quota_no_period", value="year",
                            periods=", ".join(map(str, classified))))  # fmt: skip
    pct = _req(c, q, "percent", qp, float)
    if "raised_percent" in q and "percent_if_unit_excellent" in q:
        c.add(f"{qp}raised_percent", _say("foreign.rules.raised_both"))
    pkey = "raised_percent" if "raised_percent" in q else "percent_if_unit_excellent"
    pct2 = _opt(c, q, pkey, qp, float, None)
    if strict:
        for key, problem in quota_percent_problems(pct, pct2, pkey):
            c.add(f"{qp}{key}", problem)

    def base_of(key: str, default: str | None) -> str | None:
        b: str | None = _opt(c, q, key, qp, str, default)
        if b is None or b in ("classified", "all_staff"):
            return b
        g_ = _grade(c, b, f"{qp}{key}")
        return g_.code if g_ is not None else default

    base = base_of("base", "HTT") or "HTT"
    raised_base = base_of("raised_base", None)
    raised_when = _opt(c, q, "raised_when", qp, str, "unit_excellent")
    if raised_when not in ("unit_excellent", "top_unit_excellent", "exceptional"):
        c.add(f"{qp}raised_when", _say("foreign.rules.must_be", key="raised_when",
                                       rng="unit_excellent, top_unit_excellent or exceptional",
                                       value=_show(raised_when)))  # fmt: skip
        raised_when = "unit_excellent"
    rounding = _opt(c, q, "rounding", qp, str, "floor")
    if rounding not in ("floor", "half_up", "ceil"):
        c.add(f"{qp}rounding", _say("foreign.rules.quota_rounding", value=_show(rounding)))
    count_base = _opt(c, q, "count_base", qp, str, "before_demotion")
    if count_base not in ("before_demotion", "after_demotion"):
        c.add(f"{qp}count_base", _say("foreign.rules.count_base"))
    tb = tuple(_str_list(c, q, "tie_break", qp, QuotaPolicy().tie_break) or ())
    for i, t in enumerate(tb):
        if t not in TIE_BREAKS:
            close = _close(t, TIE_BREAKS)
            c.add(f"{qp}tie_break[{i}]", _say("foreign.rules.tie_break_hint" if close
                                              else "foreign.rules.tie_break",
                                              value=_show(t), close=close))  # fmt: skip
    gb = tuple(_str_list(c, q, "group_by", qp, ["unit"]) or ())
    for i, t in enumerate(gb):
        if t not in ("unit", "duty_group"):
            c.add(f"{qp}group_by[{i}]", _say("foreign.rules.group_by", value=_show(t)))
    sgs = _num(c, q, "small_group_size", qp, None, low=1, whole=True)
    sgk = _num(c, q, "small_group_keep", qp, None, low=1, whole=True)
    if ("small_group_size" in q) != ("small_group_keep" in q):
        c.add(f"{qp}small_group_size", _say("foreign.rules.small_group"))
    if sgs is not None and sgk is not None and sgk >= sgs:
        c.add(f"{qp}small_group_keep", _say("foreign.rules.small_group_keep", keep=sgk,
                                            size=sgs, size2=sgs, most=sgs - 1))
    qperiods = tuple(_str_list(c, q, "periods", qp, []) or ())
    for i, k in enumerate(qperiods):
        if k not in classified:
            c.add(f"{qp}periods[{i}]", _say("foreign.rules.quota_period" if classified
                                            else "foreign.rules.quota_no_period",
                                            value=_show(k),
                                            periods=", ".join(map(str, classified))))
    qsrc, qstat, qnote = _meta(c, q, qp)
    qgrade = _grade(c, q.get("grade", "HTXS"), f"{qp}grade")
    if qgrade is Grade.KHT:
        c.add(f"{qp}grade", _say("foreign.rules.quota_kht"))
    return QuotaPolicy(
        qgrade if qgrade is not None else Grade.HTXS,
        base,
        pct if pct is not None else 20.0,
        pct2,
        rounding if rounding in ("floor", "half_up", "ceil") else "floor",
        count_base if count_base in ("before_demotion", "after_demotion")
        else "before_demotion",
        tb,
        gb,
        qsrc,
        raised_when,
        raised_base,
        _opt(c, q, "raised_source", qp, str, "") or "",
        sgs,
        sgk,
        qperiods,
        qstat,
        qnote,
        _parse_scope(c, q, qp, cats, eff_from, eff_to, with_categories=year),
    )  # fmt: skip


def _parse_rollup(c: _Collector, r: dict[str, Any], cats: Sequence[StaffCategory] = (),
                  eff_from: _dt.date | None = None,
                  eff_to: _dt.date | None = None) -> RollupPolicy:  # fmt: skip
    """``[rollup]``: every key typed and ranged; a present but invalid value is a problem."""
    rp = "rollup."
    rfields = [f.name for f in attrs.fields(RollupPolicy) if f.name != "months_scope"]
    _check_keys(c, r, [*rfields, "months_effective_from", "months_effective_until",
                       "months_categories", "period_min_months"], rp)  # fmt: skip
    kw: dict[str, Any] = {"months_scope": _parse_scope(c, r, rp, cats, eff_from, eff_to,
                                                       "months_")}  # fmt: skip
    for k, choices in (("method", ("average", "count")), ("of", ("month", "quarter"))):
        v = _opt(c, r, k, rp, str, None)
        if v is not None and v not in choices:
            close = _close(v, choices)
            c.add(f"{rp}{k}", _say("foreign.rules.must_be_hint" if close else "foreign.rules.must_be",
                                   key=k, rng=" or ".join(choices), value=_show(v),
                                   close=close))  # fmt: skip
        elif v is not None:
            kw[k] = v
    for k in ("absent_cap_grade", "discipline_grade"):
        if k in r:
            g = _grade(c, r[k], f"{rp}{k}")
            if g is not None:
                kw[k] = g
    for k in ("maternity_exempt", "sick_exempt", "absent_cap"):
        v = _opt(c, r, k, rp, bool, None)
        if v is not None:
            kw[k] = v
    ranges = {  # key: (low, high): whole numbers of months or periods
        "min_months": (0, 12), "period_min_months": (0, 3),  # the older key: below
        "absent_cap_min_months": (1, 12), "absent_cap_max_months": (1, 12),
        "count_excellent_min": (1, 12), "count_kht_min": (1, 12),
        "count_good_max_ht": (0, 12), "count_good_max_kht": (0, 12),
    }  # fmt: skip
    for k, (lo, hi) in ranges.items():
        v = _num(c, r, k, rp, None, low=lo, high=hi, whole=True)
        if v is not None:
            kw[k] = v
    # "fewer than N whole months" (the older key) is "N - 1 months or fewer"
    older = kw.pop("period_min_months", None)
    short = _num(c, r, "period_short_months", rp, None, low=0, high=3)
    if short is not None:
        kw["period_short_months"] = float(short)
    elif older:  # 0 was "off"
        kw["period_short_months"] = float(older - 1)
    if "count_good_max_kht" in r and "count_good_max_ht" not in r:
        c.add(f"{rp}count_good_max_kht", _say("foreign.rules.count_good"))
    for k in ("source", "note", "average_source", "months_source", "leave_source"):
        v = _opt(c, r, k, rp, str, None)
        if v is not None:
            kw[k] = v
    status = _opt(c, r, "status", rp, str, None)
    if status and status not in SOURCE_STATUSES:
        c.add(f"{rp}status", _status(status))
    _cites(c, rp, r.get("source"), status)
    if status is not None:
        kw["status"] = status
    rollup = RollupPolicy(**kw)
    if rollup.absent_cap_max_months <= rollup.absent_cap_min_months and (
            "absent_cap_min_months" in kw or "absent_cap_max_months" in kw):  # fmt: skip
        c.add(f"{rp}absent_cap_max_months", _say("foreign.rules.absent_cap",
                                                 high=rollup.absent_cap_max_months,
                                                 low=rollup.absent_cap_min_months))
    return rollup


def _parse_products(
    c: _Collector, data: Mapping[str, Any], need_criterion: Any
) -> ProductPolicy | None:
    """The ``[products]`` table (converted products → a, b, c), or None when absent."""
    if "products" not in data:
        return None
    t = _table(c, data, "products")
    pp = "products."
    _check_keys(c, t, ("a", "b", "c", "error_step", "delay_step", "per", "max_per_unit",
                       "quarter", *_META_KEYS), pp)  # fmt: skip
    ids = []
    for k in ("a", "b", "c"):
        cid = _req(c, t, k, pp, str)
        if cid is not None:
            need_criterion(f"{pp}{k}", cid, "percent")
        ids.append(cid or k)
    steps = []
    for k in ("error_step", "delay_step"):
        v = _opt(c, t, k, pp, float, 25.0)
        if v is not None and not 0 < v <= 100:
            c.add(f"{pp}{k}", _say("foreign.rules.must_be", key=k, value=_fmt_num(v),
                                   rng="a percentage above 0 and at most 100"))
        steps.append(v if v is not None and 0 < v <= 100 else 25.0)
    per = _opt(c, t, "per", pp, str, "unit")
    if per not in ("unit", "line"):
        c.add(f"{pp}per", _say("foreign.rules.must_be", key="per", rng="unit or line",
                                value=repr(per)))  # fmt: skip
        per = "unit"
    cap = _opt(c, t, "max_per_unit", pp, int, 4)
    if cap is None or isinstance(cap, bool) or cap < 0:
        c.add(f"{pp}max_per_unit", _say("foreign.rules.must_be", key="max_per_unit",
                                         rng="a whole number ≥ 0", value=repr(cap)))  # fmt: skip
        cap = 4
    quarter = _opt(c, t, "quarter", pp, str, "pool")
    if quarter not in ("pool", "average_months"):
        c.add(f"{pp}quarter", _say("foreign.rules.must_be", key="quarter",
                                    rng="pool or average_months", value=repr(quarter)))  # fmt: skip
        quarter = "pool"
    return ProductPolicy(ids[0], ids[1], ids[2], steps[0], steps[1], per, cap, quarter,
                         *_meta(c, t, pp))  # fmt: skip


def check_bands(bands: Sequence[Band], total: float) -> list[str]:
    """Problems with bands: overlap, gaps, not covering [0, total], grades out of order."""
    out: list[str] = []
    if not bands:
        return [_say("foreign.rules.no_bands")]
    srt = sorted(bands, key=lambda b: b.min)

    def rng(b: Band, top: bool) -> str:
        return f"{b.grade.code} [{_fmt_num(b.min)}, {_fmt_num(b.max)}{']' if top else ')'}"

    first: dict[Grade, Band] = {}
    for b in srt:
        if b.grade in first:  # each band with its bounds: which two they are
            out.append(_say("foreign.rules.band_twice", grade=b.grade.code,
                            first=rng(first[b.grade], False), second=rng(b, b is srt[-1])))
        first.setdefault(b.grade, b)

    for lo, hi in itertools.pairwise(srt):
        top = hi is srt[-1]
        if hi.min < lo.max:
            out.append(_say("foreign.rules.band_overlap", below=rng(lo, False),
                            above=rng(hi, top)))
        elif hi.min > lo.max:
            out.append(_say("foreign.rules.band_gap", low=_fmt_num(lo.max),
                            high=_fmt_num(hi.min), below=rng(lo, False), above=rng(hi, top)))
        if hi.grade < lo.grade:  # the same grade twice is said above, with its bands
            out.append(_say("foreign.rules.band_order", upper=rng(hi, top),
                            lower=rng(lo, False)))
    if srt[0].min > 0:
        out.append(_say("foreign.rules.band_low", low=_fmt_num(srt[0].min)))
    if srt[-1].max < total:
        out.append(_say("foreign.rules.band_high", high=_fmt_num(srt[-1].max),
                        total=_fmt_num(total)))
    return out


#: The parts of TOML text the bounds scan tells apart: comments and strings (skipped),
#: brackets and braces (nesting), numbers (their length).
_TOKENS = re.compile(
    r'''(?P<skip>\#[^\n]*'''
    r'''|"""(?:[^\\]|\\.)*?"""(?:"{0,2})'''  # a multi-line basic string (escapes)
    r"""|'''.*?'''(?:'{0,2})"""  # a multi-line literal string
    r'''|"(?:[^"\\\n]|\\.)*"'''  # a basic string
    r"""|'[^'\n]*')"""  # a literal string
    r"|(?P<open>[\[{])|(?P<close>[\]}])"
    r"|(?P<number>[+-]?[0-9][0-9A-Za-z_]*)"
    r"|[A-Za-z_-][A-Za-z0-9_-]*",  # a bare key or word: its digits are not a number
    re.S,
)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def check_rule_text(text: str, *, source: str | None = None) -> None:
    """Refuse TOML text nested deeper than :data:`MAX_DEPTH` arrays and inline tables, or
    holding a number literal of more than :data:`MAX_DIGITS` digits, before it is parsed.

    Raises :class:`~evalkit.errors.RuleSetError` naming the file and the line.

    >>> check_rule_text("x = " + "[" * 30 + "]" * 30, source="deep.toml")
    Traceback (most recent call last):
    ...
    evalkit.errors.RuleSetError: arrays and inline tables are nested deeper than 20 levels at line 1 (file deep.toml)
    """
    depth = 0
    for m in _TOKENS.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise RuleSetError(_say("foreign.rules.nested_at", depth=MAX_DEPTH,
                                        line=_line_of(text, m.start())), source=source)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "number":
            tok = m.group()
            tok = tok.lstrip("+-")
            body = tok[2:] if tok[:2].lower() in ("0x", "0o", "0b") else re.split(r"[eE.]",
                                                                                 tok)[0]
            digits = sum(ch.isalnum() for ch in body)
            if digits > MAX_DIGITS:
                raise RuleSetError(_say("foreign.rules.long_number", digits=digits,
                                        line=_line_of(text, m.start()), limit=MAX_DIGITS),
                                   source=source)  # fmt: skip


def check_rule_data(data: Any, *, source: str | None = None) -> None:
    """Refuse a parsed rule mapping that is not a table or nests tables and arrays deeper
    than :data:`MAX_DEPTH` (a file of dotted keys or a mapping built in code), naming the
    key path, before anything walks it recursively."""
    if not isinstance(data, Mapping):
        raise RuleSetError(_say("foreign.rules.not_a_table", value=_show(data)), source=source)
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise RuleSetError(_say("foreign.rules.nested", depth=MAX_DEPTH),
                               source=source, key=_cut(_deepest(data), 200))  # fmt: skip
        for v in value.values() if isinstance(value, Mapping) else value:
            if isinstance(v, Mapping | list | tuple):  # only containers nest
                stack.append((v, depth + 1))


def _deepest(data: Any) -> str:
    """The key path of the most deeply nested value of ``data`` (for the message)."""
    best, best_depth = "", -1
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > best_depth:
            best, best_depth = path, depth
        if depth > MAX_DEPTH + 5:  # deep enough to name
            break
        if isinstance(value, Mapping):
            stack.extend((v, f"{path}.{k}" if path else str(k), depth + 1)
                         for k, v in value.items())  # fmt: skip
        elif isinstance(value, list | tuple):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
    return best


def loads_rule_text(raw: bytes, *, source: str | None = None) -> dict[str, Any]:
    """The TOML mapping of a rule file's bytes, within the bounds (size, nesting, number
    length) checked before parsing; every failure is a RuleSetError naming ``source``."""
    if len(raw) > MAX_FILE_BYTES:
        raise RuleSetError(_say("foreign.rules.too_large", mb=MAX_FILE_BYTES // (1024 * 1024)),
                           source=source)  # fmt: skip
    try:
        text = raw.decode("utf-8-sig")  # a BOM (Notepad's "UTF-8") is no statement
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise RuleSetError(_say("foreign.rules.not_utf8", line=line),
                           source=source) from None  # fmt: skip
    check_rule_text(text, source=source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        if "(at end of document)" in msg:  # name the line there too
            msg = msg.replace("(at end of document)",
                              f"(at the end of the document, line {text.count(chr(10)) + 1})")
        raise RuleSetError(_say("foreign.rules.toml", detail=msg), source=source) from None
    except (RecursionError, ValueError, OverflowError) as exc:  # bounds above make it rare
        raise RuleSetError(_say("foreign.rules.toml_unreadable", kind=type(exc).__name__,
                                detail=_cut(str(exc), 200)), source=source) from None
    check_rule_data(data, source=source)
    return data


def load_rule_data(path: str | Path) -> dict[str, Any]:
    """The TOML mapping of a rule file, as written (``extends`` not yet resolved).

    The file is refused, with a RuleSetError naming it, when it cannot be read, is larger
    than :data:`MAX_FILE_BYTES`, is not UTF-8, nests deeper than :data:`MAX_DEPTH`, holds a
    number longer than :data:`MAX_DIGITS` digits, or is not valid TOML.
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise RuleSetError(_say("foreign.rules.cannot_read", why=exc.strerror or exc),
                           source=str(p)) from None  # fmt: skip
    except ValueError as exc:  # an embedded NUL in the path
        raise RuleSetError(_say("foreign.rules.cannot_read", why=exc), source=str(p)) from None
    return loads_rule_text(raw, source=str(p))


# =========================================================================== extends


def merge_rule_data(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` on top: tables merge key by key, every other value
    (numbers, strings, dates and arrays, including arrays of tables such as ``caps``,
    ``bands`` or ``groups``) is replaced whole.

    >>> merge_rule_data({"quota": {"percent": 20, "base": "HTT"}, "caps": [{"id": "a"}]},
    ...                 {"quota": {"percent": 25}, "caps": []})
    {'quota': {'percent': 25, 'base': 'HTT'}, 'caps': []}
    """
    out: dict[str, Any] = {}
    for key, value in base.items():
        out[key] = _copy_toml(value)
    for key, value in override.items():
        old = out.get(key)
        if isinstance(value, Mapping) and isinstance(old, Mapping):
            out[key] = merge_rule_data(old, value)
        else:
            out[key] = _copy_toml(value)
    return out


def dumps_rule_data(data: Mapping[str, Any]) -> str:
    """``data`` (a rule file's mapping) written as TOML that :mod:`tomllib` reads back as
    the same mapping: the top level's values, then each table (``[quota]``) and array of
    tables (``[[caps]]``, ``[[groups.criteria]]``) under its header. Strings are written
    as basic strings, dates as TOML dates, floats as Python writes them (``inf``, ``nan``).

    >>> import tomllib
    >>> d = {"id": "x", "from": _dt.date(2026, 1, 1), "quota": {"percent": 20.5},
    ...      "caps": [{"id": "a", "at": [1, 2]}, {"id": "b", "t": {"k": "ồ"}}]}
    >>> print(dumps_rule_data(d))
    id = "x"
    from = 2026-01-01
    <BLANKLINE>
    [quota]
    percent = 20.5
    <BLANKLINE>
    [[caps]]
    id = "a"
    at = [1, 2]
    <BLANKLINE>
    [[caps]]
    id = "b"
    <BLANKLINE>
    [caps.t]
    k = "ồ"
    <BLANKLINE>
    >>> tomllib.loads(dumps_rule_data(d)) == d
    True
    """
    lines: list[str] = []

    def tables(v: Any) -> bool:
        return isinstance(v, list) and bool(v) and all(isinstance(x, Mapping) for x in v)

    def emit(prefix: str, table: Mapping[str, Any]) -> None:
        for k, v in table.items():
            if not isinstance(v, Mapping) and not tables(v):
                lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
        for k, v in table.items():
            name = prefix + _toml_key(k)
            if isinstance(v, Mapping):
                lines.extend(["", f"[{name}]"])
                emit(name + ".", v)
            elif tables(v):
                for item in v:
                    lines.extend(["", f"[[{name}]]"])
                    emit(name + ".", item)

    emit("", data)
    return "\n".join(lines) + "\n"


def _toml_key(key: Any) -> str:
    k = str(key)
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return ("nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v)
                else repr(v))  # fmt: skip
    if isinstance(v, str):  # JSON's escapes are TOML's; DEL is not raw in a basic string
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007F")
    if isinstance(v, _dt.date | _dt.time):
        return v.isoformat()
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"{type(v).__name__} cannot be written as TOML: {v!r}")


def _copy_toml(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy_toml(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_toml(v) for v in value]
    return value


def _parse_inspections(c: _Collector, data: Mapping[str, Any], blocks: Sequence[Block],
                       groups: Sequence[CriterionGroup]) -> InspectionPolicy:  # fmt: skip
    """The ``[inspections]`` table (see :class:`InspectionPolicy`); absent = the defaults."""
    t = _table(c, data, "inspections")
    if not t:
        return InspectionPolicy()
    kp = "inspections."
    _check_keys(c, t, ("notice", "criterion", "points", "unit_points", "head_notice",
                       *_META_KEYS), kp)  # fmt: skip
    criterion = _opt(c, t, "criterion", kp, str, None)
    if criterion is not None:
        deducted = [x for b in blocks if b.kind == "deduction" for x in b.inputs()]
        if criterion not in deducted:
            known = [cr.id for g in groups for cr in g.criteria]
            where = ("no deduction block reads it" if criterion in known
                     else "it is not a criterion of the rule set")  # fmt: skip
            close = _close(criterion, deducted)
            c.add(f"{kp}criterion", _say("foreign.rules.findings_criterion_hint" if close
                                         else "foreign.rules.findings_criterion",
                                         criterion=repr(criterion), where=where, close=close))
    tables: dict[str, dict[str, float]] = {}
    for key in ("points", "unit_points"):
        raw = _opt(c, t, key, kp, dict, {}) or {}
        tables[key] = {}
        for sev, v in raw.items():
            if sev not in INSPECTION_SEVERITIES:
                close = _close(sev, INSPECTION_SEVERITIES)
                c.add(f"{kp}{key}.{sev}", _say("foreign.rules.severity_hint" if close
                                               else "foreign.rules.severity", value=repr(sev),
                                               known=", ".join(INSPECTION_SEVERITIES),
                                               close=close))  # fmt: skip
            elif isinstance(v, bool) or not isinstance(v, int | float) or not (
                    math.isfinite(v) and v >= 0):  # fmt: skip
                c.add(f"{kp}{key}.{sev}", _say("foreign.rules.expected", expected="points ≥ 0",
                                               got=repr(v)))  # fmt: skip
            else:
                tables[key][sev] = float(v)
    if any(tables["points"].values()) and criterion is None:
        c.add(f"{kp}points", _say("foreign.rules.findings_points"))
    deducts = any(tables["points"].values()) or any(tables["unit_points"].values())
    src, status, note = _meta(c, t, kp, required=deducts)
    return InspectionPolicy(
        bool(_opt(c, t, "notice", kp, bool, True)), criterion, tables["points"],
        tables["unit_points"], bool(_opt(c, t, "head_notice", kp, bool, False)),
        src, status, note,
    )  # fmt: skip
