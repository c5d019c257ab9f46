"""Every rule of a rule set with its source and how sure that source is.

A rule set cites a source for each rule (``source``, the short citation printed on sheets)
and says how sure it is (``status``): ``verified`` (the text is quoted with its article),
``secondary`` (the article comes from secondary sources), ``practice`` (common practice, no
legal text) or ``unsourced`` (no source found: kept only as an option, never on by default
in a preset). :func:`rule_sources` lists them in one table for ``evalkit rules show``, the
preset pages and :func:`evalkit.testing.check_rule_set`.

>>> import evalkit.rules
>>> from evalkit.rules.sources import rule_sources, unsourced_on_by_default
>>> rows = rule_sources(evalkit.rules.get("vn.nd335-2025"))
>>> next(r for r in rows if r.rule == "cap discipline").source
'NĐ 335/2025/NĐ-CP, Điều 20 k4 c'
>>> unsourced_on_by_default(evalkit.rules.get("vn.nd335-2025"))
()
"""

from __future__ import annotations

from collections import Counter

import attrs

from evalkit.messages import rule_words
from evalkit.rules._schema import CITED_BY, SOURCE_STATUSES, RuleSet, cited, citing_key

__all__ = ["CITED_BY", "RuleSource", "cited", "citing_key", "rule_sources", "status_counts",
           "unsourced_on_by_default"]


@attrs.frozen(slots=True)
class RuleSource:
    """One rule of a set: what it is, its citation, its status, whether it is on by default.

    ``rule`` is a short stable name (``cap discipline``, ``quota``, ``band HTXS``: the
    ``--json`` output, the docs and the checks use it); :meth:`label` says it in words.
    ``name`` is the item's own Vietnamese label (a block's, a band's), if it has one;
    ``note`` is for documentation only (never printed on a sheet).
    """

    rule: str
    source: str
    status: str
    note: str = ""
    enabled: bool = True
    name: str = ""

    def label(self, lang: str = "vi") -> str:
        """The rule in ``lang``: in Vietnamese its kind's words, its own label and its id
        in brackets (``khối điểm “Tiêu chí chung” [general]``), in English ``rule``."""
        return rule_words(self.rule, lang, self.name)

    @property
    def shown_status(self) -> str:
        """The status, or ``"—"`` when the rule set does not declare one."""
        return self.status or "—"


def rule_sources(rs: RuleSet) -> tuple[RuleSource, ...]:
    """Every rule of ``rs`` with its source, status, docs note and default state.

    Options that a rule set carries only as data of a policy (the quota's raised
    percentage and small-group exception, the unit conditions, the small-parent limit,
    the roll-up's months-worked rules) are listed on their own line, with the policy's
    status, or ``unsourced`` where the option has its own citation key and leaves it empty.
    The classified periods and their citation (``classified_source``) are not a rule of
    their own here: they carry no status key.
    """
    out: list[RuleSource] = [RuleSource("rule set", rs.source, rs.status)]
    out += [RuleSource(f"block {b.id}", b.source, b.status, b.note, name=b.label_vi)
            for b in rs.blocks]  # fmt: skip
    criteria = {c.id: c.label_vi for c in rs.criteria()}  # an adjustment: of its input's
    out += [RuleSource(f"adjustment {a.id}", a.source, a.status, a.note,
                       name=criteria.get(a.input, "")) for a in rs.adjustments]  # fmt: skip
    out += [RuleSource(f"band {b.grade.code}", b.source, b.status, b.note, name=b.label_vi)
            for b in sorted(rs.bands, key=lambda b: -b.min)]  # fmt: skip
    out += [RuleSource(f"cap {c.id}", c.source, c.status, c.note, c.enabled,
                       rs.grade_label(c.grade)) for c in rs.caps]  # fmt: skip
    out += [RuleSource(f"notice {n.id}", n.source, n.status, n.note, n.enabled, n.label_vi)
            for n in rs.notices]  # fmt: skip
    q = rs.quota
    if q is not None:
        out.append(RuleSource("quota", q.source, q.status, q.note))
        if q.raised_percent is not None:
            out.append(RuleSource(f"quota raised ({q.raised_when})", q.terms(True)[2],
                                  q.status))  # fmt: skip
        if q.small_group_size is not None:
            out.append(RuleSource("quota small group", q.source, q.status))
    m = rs.management
    if m.computed is not None or m.source or m.status:
        out.append(RuleSource("management", m.source, m.status, m.note))
    c = rs.conclusion
    if c.source or c.status:
        out.append(RuleSource("conclusion", c.source, c.status, c.note))
    s = rs.scoring
    if s.source or s.status:
        out.append(RuleSource("scoring", s.source, s.status, s.note))
    u = rs.units
    out.append(RuleSource("units", u.source, u.status, u.note))
    conditions_on = (u.excellent_tasks_done_percent is not None
                     or u.excellent_on_time_percent is not None
                     or u.excellent_exceeded_percent is not None
                     or u.excellent_requires_no_discipline
                     or u.excellent_requires_no_subunit_kht)  # fmt: skip
    small_on = u.small_parent_threshold is not None and u.small_parent_max_excellent is not None
    # each unit rule: (listed as, on, a field it sets, listed when off where its own source
    # key is set), cited as the reasons cite it (:func:`cited`)
    for name, on, field, own in (
            ("unit conditions", conditions_on, "excellent_on_time_percent", True),
            ("unit small parent", small_on, "small_parent_threshold", True),
            ("unit KHT below tasks done", u.kht_below_done_percent is not None,
             "kht_below_done_percent", True),
            ("unit share of HTXS", u.excellent_share_percent is not None,
             "excellent_share_percent", True),
            ("unit HTT conditions", u.good_on_time_percent is not None,
             "good_on_time_percent", True),
            ("unit HT conditions", u.fair_done_percent is not None
             or u.fair_late_max_percent is not None, "fair_done_percent", True),
            ("unit raised share of HTXS", u.excellent_share_raised_percent is not None,
             "excellent_share_raised_percent", True),
            ("unit shortcomings remedied", u.excellent_requires_shortcomings_remedied,
             "excellent_requires_shortcomings_remedied", True),
            ("unit KHT personnel wrongdoing", u.kht_personnel_wrongdoing,
             "kht_personnel_wrongdoing", True),
            *((name, on, field, False) for name, on, field in (
                ("unit KHT leadership member disciplined", u.kht_leadership_duty_disciplined,
                 "kht_leadership_duty_disciplined"),
                ("unit KHT leadership member degraded", u.kht_leadership_degraded,
                 "kht_leadership_degraded"),
                ("unit KHT socio-economic targets missed", u.kht_socioeconomic_targets_missed,
                 "kht_socioeconomic_targets_missed")))):  # fmt: skip
        keys = CITED_BY["UnitPolicy"][field]
        if on or (own and getattr(u, keys[0])):
            source = cited(u, field)  # an own key left empty with no fallback: unsourced
            status = u.status if source or keys[-1] == "source" else "unsourced"
            out.append(RuleSource(name, source, status, enabled=on))
    r = rs.rollup
    out.append(RuleSource("rollup", r.source, r.status, r.note))
    if r.quota is not None:  # the year's own quota ([rollup.quota])
        out.append(RuleSource("rollup quota", r.quota.source, r.quota.status, r.quota.note))
    return tuple(out)


def unsourced_on_by_default(rs: RuleSet) -> tuple[RuleSource, ...]:
    """The rules of ``rs`` marked ``unsourced`` that are switched on by default.

    A preset must have none (issue 19): an unsourced rule is only an option. A rule set
    marked ``unsourced`` as a whole (an example, never in force by default for real staff)
    is an option itself; its rules are not listed here.
    """
    if rs.status == "unsourced":
        return ()
    return tuple(r for r in rule_sources(rs) if r.enabled and r.status == "unsourced")


def status_counts(rs: RuleSet) -> dict[str, int]:
    """How many rules of ``rs`` have each status (``"—"`` for undeclared), in a fixed order.

    >>> import evalkit.rules
    >>> status_counts(evalkit.rules.get("vn.nd335-2025"))["unsourced"]
    0
    """
    counts = Counter(r.shown_status for r in rule_sources(rs))
    return {k: counts.get(k, 0) for k in (*SOURCE_STATUSES, "—")}
