"""A rule change cites what the sheet's reason for that rule cites (af218).

``evalkit rules diff`` (its page's "Quy định thay đổi", ``OUT.rules.csv``) and
:func:`evalkit.rules.rule_changes` cited every field of ``[units]`` by the table's
``source`` — NĐ 233/2026 Điều 12 k7, the head cap's — where the reasons on a sheet cite
each unit rule by its own key: the HTXS conditions Điều 7 k1 (``excellent_conditions_source``),
the KHT share of tasks done Điều 7 k4 b (``kht_source``), … And the quota's higher share
cited k6 a where the raised share is k6 b (``raised_source``). One table
(:data:`evalkit.rules.sources.CITED_BY`) now says which key cites which field, and the
reasons, the rule changes and :func:`evalkit.rules.sources.rule_sources` all read it.
"""

from __future__ import annotations

import csv
import operator
from pathlib import Path
from typing import Any

import attrs
import pytest

import evalkit.rules
from evalkit.impact import compare_rule_sets, load_data
from evalkit.reasons import make_reason
from evalkit.rules import RuleSet, _registry, rule_changes
from evalkit.rules.sources import rule_sources
from tests._cli_helpers import run

ND90, ND233 = "vn.nd90-2020", "vn.nd233-2026"
PRESETS = ("vn.nd90-2020", "vn.nd90-2020-cc", "vn.nd335-2025", "vn.nd233-2026",
           "vn.qd366-2025", "vn.customs-2026q", "hanoi.3814-2018", "example.tasks-80")

#: A rule item (array selectors dropped) → the reason a sheet gives for that rule and the
#: result row it is given for: the sentence whose citation the rule change must repeat.
REASON_OF: dict[str, tuple[str, dict[str, Any]]] = {
    "units.excellent_tasks_done_percent": ("unit.excellent_condition.tasks_done", {}),
    "units.excellent_on_time_percent": ("unit.excellent_condition.on_time", {}),
    "units.excellent_exceeded_percent": ("unit.excellent_condition.exceeded", {}),
    "units.excellent_requires_no_subunit_kht": ("unit.excellent_condition.subunit_kht", {}),
    "units.excellent_requires_no_discipline": ("unit.excellent_condition.discipline", {}),
    "units.excellent_requires_shortcomings_remedied": (
        "unit.excellent_condition.shortcomings", {}),
    "units.kht_personnel_wrongdoing": ("unit.kht_personnel_wrongdoing", {}),
    "units.kht_below_done_percent": ("unit.kht_below_done", {}),
    "units.kht_leadership_duty_disciplined": ("unit.kht_leadership_duty_disciplined", {}),
    "units.kht_leadership_degraded": ("unit.kht_leadership_degraded", {}),
    "units.kht_socioeconomic_targets_missed": ("unit.kht_socioeconomic_targets_missed", {}),
    "units.small_parent_threshold": ("unit.small_parent", {}),
    "units.small_parent_max_excellent": ("unit.small_parent", {}),
    "units.excellent_share_percent": ("unit.excellent_share", {}),
    "units.excellent_share_raised_percent": ("unit.excellent_share_raised", {}),
    "units.good_on_time_percent": ("unit.band_condition.good", {}),
    "units.fair_done_percent": ("unit.band_condition.fair", {}),
    "units.fair_late_max_percent": ("unit.band_condition.fair", {}),
    "units.head_capped_at_unit": ("cap.head_unit", {}),
    "quota.percent": ("quota.demoted", {"quota_raised": False}),
    "quota.base": ("quota.demoted", {"quota_raised": False}),
    "quota.percent_if_unit_excellent": ("quota.demoted", {"quota_raised": True}),
    "quota.raised_when": ("quota.demoted", {"quota_raised": True}),
    "quota.raised_base": ("quota.demoted", {"quota_raised": True}),
    "rollup.min_months": ("rollup.too_few_months", {}),
    "rollup.absent_cap": ("rollup.absent_cap", {}),
    "rollup.sick_exempt": ("rollup.sick", {}),
    "rollup.maternity_exempt": ("rollup.maternity", {}),
    "classified": ("band.information", {}),
}


def _sheet_citation(rs: RuleSet, item: str) -> str:
    """The citation the sheet's reason for ``item`` gives under ``rs``, its tables'
    statuses declaring a legal text (a rule of practice prints no citation on a sheet,
    whatever its source: the rule change still names the source its file gives)."""
    code, row = REASON_OF[item]
    cited = {t: attrs.evolve(getattr(rs, t), status="secondary")
             for t in ("units", "quota", "rollup") if getattr(rs, t) is not None}
    return make_reason(code, attrs.evolve(rs, **cited), row).source


def _cited_by(old: RuleSet, new: RuleSet, item: str) -> RuleSet:
    """The set whose citation a change of ``item`` gives: NEW's, OLD's where NEW drops the
    item (a set without a quota; a rule added since, left out at its off value)."""
    return new if item in _registry._rule_items(new) else old


PAIRS = [(a, b) for a in PRESETS for b in PRESETS if a != b]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_every_rule_change_between_presets_cites_the_sheets_reason(old: str, new: str) -> None:
    """Each item of ``rule_changes`` between two presets cites what the sheet's reason for
    that rule cites, under the set the change takes its citation from."""
    a, b = evalkit.rules.get(old), evalkit.rules.get(new)
    checked = {item: (cite, _sheet_citation(_cited_by(a, b, item), item))
               for item, _o, _n, cite in rule_changes(a, b) if item in REASON_OF}
    assert {k: v[1] for k, v in checked.items()} == {k: v[0] for k, v in checked.items()}


#: A value each field changes to, so that every field of the table shows in a change.
def _other(value: Any, field: str) -> Any:
    if field == "raised_when":
        return "exceptional" if value != "exceptional" else "unit_excellent"
    if field in ("base", "raised_base"):
        return "classified" if value != "classified" else "HTT"
    if isinstance(value, bool):
        return not value
    if field == "classified":
        return ("year",) if value != ("year",) else ("month", "year")
    return 3 if value is None else value + 1


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("item", sorted(REASON_OF))
def test_a_change_of_each_field_cites_the_sheets_reason(preset: str, item: str) -> None:
    """Every unit, quota and roll-up field of the table, changed alone over each preset,
    cites what the sheet's reason for that rule cites under the changed set."""
    rs = evalkit.rules.get(preset)
    *tables, field = item.split(".")
    if tables and operator.attrgetter(".".join(tables))(rs) is None:
        pytest.skip(f"{preset} has no [{'.'.join(tables)}]")
    if not tables:
        new = attrs.evolve(rs, **{field: _other(getattr(rs, field), field)})
    else:
        policy = getattr(rs, tables[0])
        new = attrs.evolve(rs, **{tables[0]: attrs.evolve(
            policy, **{field: _other(getattr(policy, field), field)})})
    changes = {i: cite for i, _o, _n, cite in rule_changes(rs, new)}
    assert list(changes) == [item]
    assert changes[item] == _sheet_citation(new, item)


def test_the_four_named_changes_cite_their_own_clauses() -> None:
    """NĐ 90 → NĐ 233: the HTXS on-time condition cites Điều 7 k1, the KHT share of tasks
    done Điều 7 k4 b, the quota's higher share Điều 12 k6 b (not k6 a), and the head cap
    still its own Điều 12 k7 — as the sheets' sentences cite them."""
    nd90, nd233 = evalkit.rules.get(ND90), evalkit.rules.get(ND233)
    no_cap = attrs.evolve(nd233, units=attrs.evolve(nd233.units, head_capped_at_unit=False))
    cites = {i: c for i, _o, _n, c in [*rule_changes(nd90, nd233), *rule_changes(nd233, no_cap)]}
    expected = {
        "units.excellent_on_time_percent": "NĐ 233/2026/NĐ-CP, Điều 7 k1",
        "units.kht_below_done_percent": "NĐ 233/2026/NĐ-CP, Điều 7 k4 b",
        "quota.percent_if_unit_excellent": "NĐ 233/2026/NĐ-CP, Điều 12 k6 b",
        "units.head_capped_at_unit": "NĐ 233/2026/NĐ-CP, Điều 12 k7",
    }
    assert {k: cites[k] for k in expected} == expected
    assert {k: _sheet_citation(nd233, k) for k in expected} == expected
    listed = {r.rule: r.source for r in rule_sources(nd233)}  # `rules show`: the same
    assert (listed["unit conditions"], listed["unit KHT below tasks done"],
            listed["quota raised (top_unit_excellent)"], listed["units"]) == tuple(
        expected.values())


def test_every_door_of_rules_diff_gives_the_same_citations(tmp_path: Path) -> None:
    """The CLI's OUT.rules.csv, --json, the impact report's rules frame and its Vietnamese
    page cite each change as :func:`rule_changes` does."""
    nd90, nd233 = evalkit.rules.get(ND90), evalkit.rules.get(ND233)
    want = {i: c for i, _o, _n, c in rule_changes(nd90, nd233)}
    assert want["units.kht_below_done_percent"] == "NĐ 233/2026/NĐ-CP, Điều 7 k4 b"
    out = tmp_path / "x.csv"
    code, _out, err = run("rules", "diff", ND90, ND233, "--data", "demo", "--csv", str(out))
    assert code == 0, err
    with (tmp_path / "x.rules.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert {r["item"]: r["source"] for r in rows} == want
    source = load_data("demo", None, None)
    report = compare_rule_sets(nd90, nd233, source.staff_months, source.units, fill=source.fill)
    assert dict(zip(report.rules["item"], report.rules["source"], strict=True)) == want
    page = report.to_html("vi")
    for item in ("units.excellent_on_time_percent", "units.kht_below_done_percent",
                 "quota.percent_if_unit_excellent"):
        assert want[item] in page
    assert "Điều 12 k7" not in page.split("Quy định thay đổi", 1)[1]
