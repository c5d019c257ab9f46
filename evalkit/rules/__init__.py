"""Rule sets: effective-dated, cited legal rules as data (TOML) and their registry.

>>> import evalkit.rules as rules
>>> rules.get("vn.nd335-2025").effective_from
datetime.date(2026, 1, 1)
>>> rules.for_period("vien_chuc", "2026-09").id
'vn.nd233-2026'
>>> [r.id for r in rules.available()][:2]
['example.tasks-80', 'hanoi.3814-2018']
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path

from evalkit.errors import EvalkitError, NoRuleSetError
from evalkit.model import Period, StaffCategory
from evalkit.rules._registry import (
    Registry,
    content_fingerprint,
    content_json,
    default_registry,
    earlier_content,
    fraction_percents,
    from_content_json,
    parse_rule_set,
    read_rule_file,
    refuse_shadow,
    resolve_extends,
    rule_changes,
)
from evalkit.rules._schema import (
    BLOCK_KINDS,
    CAP_SCOPES,
    FLAG_INPUTS,
    INSPECTION_SEVERITIES,
    PERIOD_KINDS,
    SOURCE_STATUSES,
    Adjustment,
    Band,
    Block,
    Cap,
    ConclusionPolicy,
    InspectionPolicy,
    ManagementPolicy,
    Notice,
    ProductPolicy,
    QuotaPolicy,
    RollupPolicy,
    Rounding,
    RuleSet,
    Scope,
    ScorePolicy,
    UnitBody,
    UnitPolicy,
    check_bands,
    dumps_rule_data,
    load_rule_data,
    merge_rule_data,
    quota_percent_problems,
    rule_day,
)

__all__ = [
    "BLOCK_KINDS",
    "CAP_SCOPES",
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
    "Registry",
    "RollupPolicy",
    "Rounding",
    "RuleSet",
    "Scope",
    "ScorePolicy",
    "UnitBody",
    "UnitPolicy",
    "available",
    "check_bands",
    "content_fingerprint",
    "content_json",
    "default_registry",
    "dumps_rule_data",
    "earlier_content",
    "for_period",
    "for_year_end",
    "fraction_percents",
    "from_content_json",
    "get",
    "load",
    "load_rule_data",
    "merge_rule_data",
    "parse_rule_set",
    "quota_percent_problems",
    "read_rule_file",
    "refuse_shadow",
    "register",
    "resolve",
    "resolve_extends",
    "rule_changes",
    "rule_day",
]


def get(rule_set_id: str) -> RuleSet:
    """The registered rule set ``rule_set_id`` (presets and registered files)."""
    return default_registry().get(rule_set_id)


def for_period(
    category: StaffCategory | str, period: Period | str, jurisdiction: str | None = None
) -> RuleSet:
    """The rule set in force for ``category`` in ``period`` (optionally a jurisdiction)."""
    return default_registry().for_period(category, period, jurisdiction)


def for_year_end(rules: RuleSet, category: StaffCategory | str | None, year: int,
                 jurisdiction: str | None = None) -> RuleSet:
    """The set a person's ``year`` is classified under when their last month's set is
    ``rules`` and none is named for the year: the year is classified at its end (NĐ
    90/2020 Điều 20; NĐ 335/2025/NĐ-CP Điều 21), so a set that no longer covers
    ``category`` (else its only category) in December gives way to the set in force then
    (:func:`for_period` in ``jurisdiction``, else the set's own, or a parent); ``rules``
    stays where it still covers them (an agency's file in force all year), where it did
    not cover them at the year's start either (named for them), or where nothing says
    which set follows. The one decision :func:`evalkit.units.classify_year` and the
    archive's ``annual`` and ``amend`` apply.

    >>> for_year_end(get("vn.nd90-2020"), "vien_chuc", 2026).id
    'vn.nd233-2026'
    >>> for_year_end(get("vn.nd335-2025"), "cong_chuc", 2026).id
    'vn.nd335-2025'
    """
    cat = category or (rules.categories[0] if len(rules.categories) == 1 else "")
    end = f"{year}-12"
    if not cat or all(rules.covers(c, end) for c in rules.categories) or rules.covers(
            cat, end) or not rules.covers(cat, f"{year}-01"):
        return rules
    try:
        return default_registry().for_period(cat, end, jurisdiction or rules.jurisdiction)
    except EvalkitError:
        return rules


def load(path: str | Path, *, register: bool = False) -> RuleSet:
    """Read and validate a user's TOML rule file; ``register=True`` also registers it."""
    return default_registry().load(path, register=register)


def register(rule_set: RuleSet, *, replace: bool = False) -> RuleSet:
    """Register a rule set in the default registry (dates are checked for clashes)."""
    return default_registry().register(rule_set, replace=replace)


def resolve(ref: RuleSet | str | os.PathLike[str], *, known: Mapping[str, RuleSet] | None = None
            ) -> RuleSet:  # fmt: skip
    """Turn a reference into a rule set: a :class:`RuleSet` as it is, an id of ``known``
    (e.g. a results frame's ``attrs["rule_sets"]``: an agency's or an unregistered set), a
    registered id, or the path of a TOML rule file (read and validated, not registered).

    This is the one place that resolves rule-set references; the CLI, the workbook reader
    and the archive all call it.

    An id names one content: a rule file that takes a registered set's id with other
    content is refused (:class:`~evalkit.errors.RuleSetError`: give it its own id;
    :func:`refuse_shadow`). A :class:`RuleSet` object is taken as it is — a what-if such
    as ``attrs.evolve(preset, ...)``, or :func:`evalkit.testing.check_rule_set`'s changed
    sets — and refused where grades are kept under its id: the archive's ``finalize``,
    ``amend`` and ``annual``.

    >>> resolve("vn.nd335-2025").id
    'vn.nd335-2025'
    """
    if isinstance(ref, RuleSet):
        return ref
    text = os.fspath(ref)
    if known and text in known:
        return known[text]
    reg = default_registry()
    if text in reg:
        return reg.get(text)
    if isinstance(ref, os.PathLike) or text.endswith(".toml") or "/" in text or "\\" in text:
        return read_rule_file(text)
    try:
        return reg.get(text)
    except NoRuleSetError:  # the sets given are what a near id means, never a preset
        if not known:
            raise
        close = difflib.get_close_matches(text, list(known), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise NoRuleSetError(f"unknown rule set {text!r}{hint}") from None


def available() -> list[RuleSet]:
    """Every registered rule set, sorted by id."""
    return list(default_registry())
