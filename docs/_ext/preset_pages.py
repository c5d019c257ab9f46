"""Write the generated parts of docs/presets/<id>.md from the rule files.

Each preset page is written by hand, except three blocks this script fills from the
registered rule set, so that the page cannot drift from the file:

- between ``<!-- facts:begin -->`` and ``<!-- facts:end -->``: the set at a glance, its
  score blocks and criteria, grades, caps, optional notices, quota, units and roll-up;
- between ``<!-- rules:begin -->`` and ``<!-- rules:end -->``: every rule with the citation
  printed on sheets, its source status, whether it is on by default and its docs note;
- between ``<!-- uncertainties:begin -->`` and ``<!-- uncertainties:end -->``: the file's
  ``uncertainties``.

Run it after editing a preset (``tests/rules/contract.py`` checks the blocks are current)::

    python docs/_ext/preset_pages.py          # rewrite the blocks in place
    python docs/_ext/preset_pages.py --check  # exit 1 if a page is out of date

It is a docs tool, not part of the evalkit package.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

import evalkit.rules
from evalkit.model import Grade
from evalkit.rules import Block, QuotaPolicy, RuleSet, Scope
from evalkit.rules.sources import rule_sources, status_counts

DOCS = Path(__file__).resolve().parents[1] / "presets"
_BLOCK = r"(<!-- {name}:begin -->\n)(.*?)(<!-- {name}:end -->)"



def _category(rs: evalkit.rules.RuleSet, cat: object) -> str:
    """A category, with the last day the set covers it where a national text takes it over."""
    until = rs.categories_until.get(cat)  # type: ignore[call-overload]
    name = f"`{cat.value}`"  # type: ignore[attr-defined]
    return f"{name} (until {until.isoformat()})" if until else name

def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip() or "—"


def _num(x: float) -> str:
    return f"{x:g}"


def _formula(rs: RuleSet, b: Block) -> str:
    p = b.params
    pts = _num(b.points)
    if b.kind == "criteria_sum":
        ids = ", ".join(f"`{c.id}`" for c in rs.group(p["group"]).criteria)
        return f"sum of {ids}"
    if b.kind == "percent_average":
        base = ", ".join(p["inputs"])
        out = f"mean({base}) / 100 × {pts}"
        if p.get("manager_inputs"):
            out += f"; managers: mean({', '.join(p['manager_inputs'])}) / 100 × {pts}"
        if p.get("kpi"):
            out += "; a task-tracker KPI % may replace the mean"
        return out
    if b.kind == "ratio":
        empty = p.get("empty", 1.0)
        return (f"clip({p['numerator']} / {p['denominator']}, 0, 1) × {pts}; nothing assigned "
                + ("→ not evaluated" if empty == "not_evaluated"
                   else f"→ {_num(float(empty))} × {pts}"))
    sign = "−" if b.kind == "deduction" else ""
    return f"{sign}min(sum({', '.join(p['inputs'])}), {_num(float(p['cap']))})"


def _grade_word(rs: RuleSet, g: Grade) -> str:
    return f"{g.code} ({rs.grade_label(g)})" if rs.grade_label(g) != g.label_vi else g.code


def facts_block(rs: RuleSet) -> str:
    """The set at a glance: identity, periods, score, criteria, grades and policies."""
    end = f"to {rs.effective_to.isoformat()}" if rs.effective_to else "(until replaced)"
    out = [
        "## At a glance", "", "| | |", "| --- | --- |",
        f"| id | `{rs.id}` |",
        f"| jurisdiction | `{rs.jurisdiction}` |",
        f"| staff categories | {', '.join(_category(rs, c) for c in rs.categories)} |",
        f"| in force | from {rs.effective_from.isoformat()} {end} |",
        f"| scored period | {rs.period} |",
        f"| classified | {', '.join(rs.classified)} ({_cell(rs.classified_source)}) |",
        f"| source status | {rs.status or '—'} |",
        f"| total | {_num(rs.total)} |",
        f"| file | `evalkit/rules/presets/{rs.id}.toml` |",
        "", "## Score", "",
        "| block | kind | points | formula |", "| --- | --- | --- | --- |",
    ]  # fmt: skip
    for b in rs.blocks:
        out.append(f"| {b.label_vi} (`{b.id}`) | `{b.kind}` | {_num(b.points)} | "
                   f"{_formula(rs, b)} |")  # fmt: skip
    if rs.adjustments:
        out += ["", "Adjustments before the blocks read their inputs:", ""]
        out += [f"- `{a.id}`: `{a.input}` − {_num(a.step)} × `{a.events}`, at least "
                f"{_num(a.floor)}." for a in rs.adjustments]  # fmt: skip
    out += ["", "Criteria:", "", "| group | criterion | unit | max |", "| --- | --- | --- | --- |"]
    for g in rs.groups:
        for c in g.criteria:
            mx = f"{_num(c.maximum)} %" if c.unit == "percent" else _num(c.maximum)
            who = " (managers)" if c.management else ""
            out.append(f"| {g.label_vi} | `{c.id}` {c.label_vi}{who} | {c.unit} | {mx} |")
    out += ["", "## Grades", "", "| grade | label | total |", "| --- | --- | --- |"]
    top = max(rs.bands, key=lambda band: band.max)
    for band in sorted(rs.bands, key=lambda band: -band.min):
        close = "]" if band is top else ")"
        out.append(f"| {band.grade.code} | {band.label_vi} | [{_num(band.min)}, "
                   f"{_num(band.max)}{close} |")  # fmt: skip
    if rs.caps:
        out += ["", "Whatever the score (in the classified periods):", ""]
        for cap in rs.caps:
            scope = {"all": "", "leaders": " (leaders: heads and deputies)",
                     "heads": " (heads only)"}[cap.applies_to]  # fmt: skip
            state = "" if cap.enabled else " — **off by default**"
            out.append(f"- `{cap.id}`{scope}: {cap.label_vi} → at most "
                       f"{_grade_word(rs, cap.grade)} (flag `{cap.flag}`){_when(cap.scope)}"
                       f"{state}.")  # fmt: skip
    if rs.notices:
        out += ["", "Optional flags for the competent level (never change a grade):", ""]
        out += [f"- `{n.id}`: {n.label_vi} ({'on' if n.enabled else 'off'} by default)."
                for n in rs.notices]  # fmt: skip
    q = rs.quota
    out.append("")
    if q is None:
        out.append("Quota: none.")
    else:
        out.append(f"Quota: {_quota_words(rs, q)}; applies to "
                   f"{', '.join(q.periods) if q.periods else ', '.join(rs.classified)}"
                   f"{_when(q.scope)}.")  # fmt: skip
    if (yq := rs.rollup.quota) is not None:
        out += ["", f"The year's own quota (`[rollup.quota]`, instead of the quota above"
                f"{_when(yq.scope)}): {_quota_words(rs, yq)}."]  # fmt: skip
    u = rs.units
    conds = [f"a score ≥ {_num(u.excellent_min_score)}"]
    if u.excellent_tasks_done_percent is not None:
        conds.append(f"{_num(u.excellent_tasks_done_percent)} % of tasks done")
    if u.excellent_exceeded_percent is not None:
        conds.append(f"≥ {_num(u.excellent_exceeded_percent)} % exceeded")
    if u.excellent_requires_no_subunit_kht:
        conds.append("no sub-unit KHT")
    if u.excellent_requires_no_discipline:
        conds.append("no subordinate unit or leadership member disciplined")
    if u.excellent_requires_shortcomings_remedied:
        conds.append("every shortcoming pointed out remedied")
    ties = []
    if u.small_parent_threshold is not None and u.small_parent_max_excellent is not None:
        ties.append(f"a parent with fewer than {u.small_parent_threshold} units under it rates "
                    f"at most {u.small_parent_max_excellent} of them HTXS")
    if u.excellent_share_percent is not None:
        ties.append(f"of a larger parent's units at most {_num(u.excellent_share_percent)} % of "
                    "those rated HTT are HTXS")
    if u.kht_below_done_percent is not None:
        ties.append(f"a unit with under {_num(u.kht_below_done_percent)} % of its tasks done "
                    "is KHT")
    if u.kht_personnel_wrongdoing:
        ties.append("a unit concluded to have wrongdoing in personnel work (or disunity, "
                    "factionalism, buying positions) is KHT")
    if u.kht_leadership_duty_disciplined:
        ties.append("a unit with a leadership member disciplined from reprimand for a "
                    "duty-related violation is KHT")
    if u.kht_leadership_degraded:
        ties.append("a unit with a leadership member concluded to show degradation is KHT")
    if u.kht_socioeconomic_targets_missed:
        ties.append("a unit whose 5 basic socio-economic targets were not met is KHT")
    if u.head_capped_at_unit:
        ties.append("the head is capped at the unit's grade")
    if u.deputy_capped_at_head_when_late:
        ties.append("a deputy is capped at the head's grade when the unit has late work")
    out += ["", f"Units: unit HTXS needs {', '.join(conds)}"
            + (f"; {'; '.join(ties)}." if ties else ".")]  # fmt: skip
    r = rs.rollup
    if r.method == "average":
        roll = f"the year's score is the average of the {r.of}s worked, banded"
    else:
        roll = (f"the year is counted from the {r.of}s' grades: ≥ {r.count_kht_min} KHT → KHT; "
                f"≥ {r.count_excellent_min} HTXS and no KHT → HTXS")  # fmt: skip
        if r.count_good_max_ht is not None:
            roll += (f"; ≤ {r.count_good_max_ht} HT or KHT and ≤ {r.count_good_max_kht} KHT → HTT; "
                     "otherwise HT")  # fmt: skip
    extra = []
    if r.min_months:
        extra.append(f"fewer than {r.min_months} months worked → not classified"
                     + ({(True, False): " (maternity leave: graded on the months worked)",
                         (True, True): " (maternity or sick leave: graded on the months worked)",
                         (False, True): " (sick leave: graded on the months worked)"}.get(
                             (r.maternity_exempt, r.sick_exempt), "")))  # fmt: skip
    if r.absent_cap:
        extra.append(f"legally absent {r.absent_cap_min_months} to < {r.absent_cap_max_months} "
                     f"months → at most {r.absent_cap_grade.code}")  # fmt: skip
    if (r.min_months or r.absent_cap) and not r.months_scope.everywhere:
        extra[-1] += f" (these months-worked rules{_when(r.months_scope)})"
    if r.period_short_months is not None:
        n = r.period_short_months
        extra.append(f"a {r.of} with {n:g} month{'' if n == 1 else 's'} worked or less is not "
                     "evaluated")  # fmt: skip
    out += ["", "Roll-up: " + "; ".join([roll, *extra]) + "."]
    return "\n".join(out) + "\n"


def _quota_words(rs: RuleSet, q: QuotaPolicy) -> str:
    """A quota's grade, percentages, bases, rounding and groups as words."""
    base = {"classified": "everyone classified", "all_staff": "all the unit's staff"}.get(
        q.base, f"the number rated {q.base}")
    line = f"{_grade_word(rs, q.grade)} ≤ {_num(q.percent)} % of {base}"
    if q.raised_percent is not None:
        rbase = q.raised_base or q.base
        rtext = {"classified": "everyone classified", "all_staff": "all the unit's staff"}.get(
            rbase, f"the number rated {rbase}")
        when = {"unit_excellent": "the unit is rated HTXS",
                "top_unit_excellent": "the public service unit (the nearest unit declared "
                "`public_service_unit`, else the top of the unit's tree under one rule set) "
                "is rated HTXS"}.get(q.raised_when, "the competent level recognises the unit "
                                     "as especially outstanding (input `exceptional`)")
        line += f"; {_num(q.raised_percent)} % of {rtext} where {when}"
    return line + f"; rounded {q.rounding}, per {' and '.join(q.group_by)}"


def _when(scope: Scope) -> str:
    """A rule's own dates and categories (``evalkit.rules.Scope``) as words, "" for none."""
    parts = []
    if scope.effective_from is not None:
        parts.append(f"from {scope.effective_from.isoformat()}")
    if scope.effective_until is not None:
        parts.append(f"until {scope.effective_until.isoformat()}")
    if scope.categories:
        parts.append("for " + ", ".join(c.value for c in scope.categories))
    return (", " + " ".join(parts) + " (a year: at its end)") if parts else ""


def rules_block(rs: RuleSet) -> str:
    """The Markdown table of every rule of ``rs`` with its source and status."""
    counts = status_counts(rs)
    summary = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
    lines = [
        f"Source statuses: {summary}.",
        "",
        "| rule | citation printed on sheets | status | on by default | note (docs only) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rule_sources(rs):
        printed = (f"none (file: {r.source})" if r.source else "none") \
            if r.status in ("practice", "unsourced") else r.source  # fmt: skip
        lines.append(f"| {r.rule} | {_cell(printed)} | {r.shown_status} | "
                     f"{'yes' if r.enabled else 'no'} | {_cell(r.note)} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def uncertainties_block(rs: RuleSet) -> str:
    """The file's ``uncertainties`` as a Markdown list."""
    return "".join(f"- {u}\n" for u in rs.uncertainties)


def _filler(body: str) -> Callable[[re.Match[str]], str]:
    return lambda m: m.group(1) + body + m.group(3)


def render(page: str, rs: RuleSet) -> str:
    """``page`` with both generated blocks filled for ``rs`` (markers must be present)."""
    blocks = (("facts", facts_block(rs)), ("rules", rules_block(rs)),
              ("uncertainties", uncertainties_block(rs)))  # fmt: skip
    for name, body in blocks:
        pattern = re.compile(_BLOCK.format(name=name), flags=re.S)
        if not pattern.search(page):
            raise SystemExit(f"the page of {rs.id} has no <!-- {name}:begin/end --> markers")
        page = pattern.sub(_filler(body), page)
    return page


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` verify) the generated blocks of every preset page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a page is out of date")
    args = parser.parse_args(argv)
    stale = []
    for rs in evalkit.rules.available():
        path = DOCS / f"{rs.id}.md"
        if not path.exists():
            raise SystemExit(f"no page {path} for preset {rs.id}")
        old = path.read_text(encoding="utf-8")
        new = render(old, rs)
        if new != old:
            stale.append(path.name)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
