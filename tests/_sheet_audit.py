"""Situations that put every reason code of the catalogue on a document, for every preset
and every kind of document (af97: every sheet is a legal document).

For each rule set, results frames as the engine writes them and a results file reads them
back (the ``reasons`` cell of codes, the figures the sentences quote): the month (or the
customs quarter) with one person per code the scoring period can give, the year (or
quarter) with one person per roll-up code, and the units with one unit per unit code;
a richest person carries every code at once. The documents are made from them by the
renderer's own doors (:func:`sheets_from_results`, :func:`period_sheets_from_results`,
:func:`summaries_from_results`, :meth:`OrganisationOverview.from_summaries`,
:meth:`PublicationList.from_summary`), as ``evalkit render`` and ``evalkit annual`` do.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import pandas as pd

import evalkit.rules
from evalkit._classify.steps import STAFF_FLAGS
from evalkit._classify.units import UNIT_BITS
from evalkit._classify.year import ROLLUP_FLAGS
from evalkit._kernels import reason_table
from evalkit.model import Grade, Organisation, Position, Staff, StaffCategory, Unit
from evalkit.reasons import CATALOGUE, make_reason, template_for
from evalkit.render import (
    Agency,
    OrganisationOverview,
    PublicationList,
    Signatory,
    period_sheets_from_results,
    render_html,
    render_overview_html,
    render_period_html,
    render_publication_html,
    render_unit_summary_html,
    sheets_from_results,
    summaries_from_results,
)
from evalkit.rules import RuleSet

#: Each preset's scoring period (a month in force; the customs set's quarter) and year. The
#: customs quarter is Q4: its rows carry a month in, and 2026-Q3, the set's first quarter,
#: has none to carry (CV 21169/CHQ-TCCB from Q3/2026; refused since af208).
PERIODS = {
    "example.tasks-80": ("2026-03", "2026"),
    "hanoi.3814-2018": ("2026-03", "2026"),
    "vn.customs-2026q": ("2026-Q4", "2026"),
    "vn.nd233-2026": ("2026-08", "2026"),
    "vn.nd335-2025": ("2026-03", "2026"),
    "vn.nd90-2020": ("2026-03", "2026"),
    "vn.nd90-2020-cc": ("2025-03", "2025"),
    "vn.qd366-2025": ("2026-03", "2026"),
}
#: A set made from NĐ 233 with the options its preset leaves off (its note names them):
#: the first disqualifier only caps at HT (a ``cap.*`` code: no preset has a cap above
#: KHT), the unit's HTXS conditions of Điều 7 k1, the small parent's limit of Điều 7 k7 c,
#: and inspection findings that deduct points.
CAPPED = "test.af97-options"

AGENCY = Agency("Sở Nội vụ", governing_body="UBND tỉnh Thanh Hóa", place="Thanh Hóa")
UNIT = Unit("P-TC", "Phòng Tổ chức cán bộ", head_id="H-01", place="Thanh Hóa")
SUB = Unit("P-TC-1", "Tổ Tổng hợp", parent_id="P-TC", place="Thanh Hóa")
POSITIONS = (Position("TP", "Trưởng phòng", "Head of division", manages_others=True),
             Position("CV", "Chuyên viên", "Officer"))  # fmt: skip
#: The head of the unit, every person's direct manager.
HEAD = Staff("H-01", "Nguyễn Thị Thanh", "TP", UNIT.id)
SIGNATORIES = {"competent": Signatory("Nguyễn Văn Hùng", "Giám đốc Sở", "Director"),
               "preparer": Signatory("Lê Thị Mai", "Chuyên viên")}  # fmt: skip
#: Family names of the people, in turn (full names, never ids, on the documents).
NAMES = ("Trần Thị Hoa", "Lê Văn Bình", "Phạm Minh Đức", "Hoàng Thị Lan", "Vũ Quốc Huy",
         "Đặng Thị Ánh", "Bùi Văn Nam", "Đỗ Thị Thu", "Ngô Văn Sơn", "Dương Thị Yến")  # fmt: skip

#: The figures every sentence may quote, as the engine writes them on a result row: each
#: checked by hand against its rule where the test reads it (87,5 is HTT on 90/70/50).
FIGURES: dict[str, Any] = {
    "total": 87.5, "grade": "HTT", "score_grade": "HTT", "proposed_grade": "HTXS",
    "unit_grade": "HTT", "head_grade": "HT", "quota_cap": 2,
    "quota_percent": 20.0, "quota_base": 10, "quota_rank": 3, "quota_candidates": 4,
    "quota_raised": False, "quota_groups": 1, "mgmt_value": 50.0, "mgmt_typed": 100.0,
    "mgmt_below": 1, "mgmt_subordinates": 6, "months": 11, "leave_months": 1, "count_xs": 2,
    "count_kht": 1, "count_ht": 1, "months_worked": 1.0, "carried_months": 1, "periods": 4,
    "events": 2, "kpi": 95.0, "inspection_points": 2.0,
}  # fmt: skip
#: The competent level's conclusion, on the rows whose codes speak of one.
CONCLUDED = {"competent_grade": "HT", "competent_reason": "Chậm trình báo cáo quý hai lần"}
UNIT_FIGURES: dict[str, Any] = {
    "score": 85.0, "computed_score": 79.25, "self_score": 90.0, "council_score": 85.0,
    "done_percent": 95.0, "exceeded_percent": 10.0, "on_time_percent": 90.0, "grade": "HTT",
    "score_grade": "HTT",
    "inspection_points": 2.0, "staff": 1,
}  # fmt: skip

#: The codes a document derives from a row's figures, not from its ``reasons`` cell.
DERIVED = ("band", "band.none", "band.information", "not_evaluated")


def rule_set(rule_set_id: str) -> RuleSet:
    """A preset, or :data:`CAPPED`."""
    if rule_set_id != CAPPED:
        return evalkit.rules.get(rule_set_id)
    rs = evalkit.rules.get("vn.nd233-2026")
    first = attrs.evolve(rs.caps[0], grade=Grade.HT)
    units = attrs.evolve(rs.units, excellent_tasks_done_percent=100.0,
                         excellent_exceeded_percent=30.0, excellent_requires_no_subunit_kht=True,
                         excellent_conditions_source="NĐ 233/2026/NĐ-CP, Điều 7 k1",
                         small_parent_threshold=5, small_parent_max_excellent=1,
                         small_parent_source="NĐ 233/2026/NĐ-CP, Điều 7 k7 c")  # fmt: skip
    inspections = attrs.evolve(rs.inspections, criterion=next(iter(rs.criteria())).id)
    return attrs.evolve(rs, id=CAPPED, caps=(first, *rs.caps[1:]), units=units,
                        inspections=inspections)


def staff_codes(rs: RuleSet) -> list[str]:
    """Every code the engine can give a person under ``rs`` in a scoring period: the
    kernel's caps, disqualifiers and notices (every notice switched on), the inspection
    findings, the classification steps' codes the set has the rule of, a deduction per
    adjustment and the task tracker's ``kpi`` where a block reads one."""
    kernel = [s.code for s in reason_table(rs, {n.id: True for n in rs.notices})]
    steps = [c for c in STAFF_FLAGS.values() if applies(rs, c)]
    deductions = [f"deduction.{a.id}" for a in rs.adjustments]
    kpi = ["kpi"] if any(b.params.get("kpi") for b in rs.blocks) else []
    return [*kernel, *steps, *deductions, *kpi]


def rollup_codes(rs: RuleSet) -> list[str]:
    """The roll-up's codes ``rs`` has the rule of (the year's, or the customs quarter's)."""
    return [c for c in ROLLUP_FLAGS.values() if c != "not_evaluated" and applies(rs, c)]


def unit_codes(rs: RuleSet) -> list[str]:
    """The unit's own codes ``rs`` has the rule of."""
    return [c for c in UNIT_BITS.values() if not c.startswith("inspection.") and applies(rs, c)]


def applies(rs: RuleSet, code: str) -> bool:
    """Whether ``rs`` has the rule that gives ``code`` (the engine gives it no other)."""
    pol, u = rs.rollup, rs.units
    # a month scored with nothing assigned is not evaluated where a ratio block says so:
    # its code, and the roll-up's of such months (af145)
    empty = any(b.kind == "ratio" and b.params["empty"] == "not_evaluated" for b in rs.blocks)
    rule = {
        "not_evaluated.nothing_assigned": empty,
        "rollup.nothing_assigned": empty,
        "management": rs.management.computed is not None,
        "cap.head_unit": u.head_capped_at_unit,
        "cap.deputy_head": u.deputy_capped_at_head_when_late,
        "quota.demoted": rs.quota is not None,
        "competent.not_applied": rs.period not in rs.classified,
        "rollup.average": pol.method == "average",
        "rollup.count": pol.method == "count",
        "rollup.count.good": pol.method == "count" and pol.count_good_max_ht is not None,
        "rollup.too_few_months": pol.min_months > 0,
        "rollup.absent_cap": pol.absent_cap,
        "rollup.period": pol.period_short_months is not None,
        "unit.excellent_condition.tasks_done": u.excellent_tasks_done_percent is not None,
        "unit.excellent_condition.exceeded": u.excellent_exceeded_percent is not None,
        "unit.excellent_condition.on_time": u.excellent_on_time_percent is not None,
        "unit.band_condition.good": u.good_on_time_percent is not None,
        "unit.band_condition.fair": u.fair_done_percent is not None
        or u.fair_late_max_percent is not None,
        "unit.excellent_condition.subunit_kht": u.excellent_requires_no_subunit_kht,
        "unit.excellent_condition.discipline": u.excellent_requires_no_discipline,
        "unit.excellent_condition.shortcomings": u.excellent_requires_shortcomings_remedied,
        "unit.kht_personnel_wrongdoing": u.kht_personnel_wrongdoing,
        "unit.small_parent": u.small_parent_threshold is not None,
        "unit.kht_below_done": u.kht_below_done_percent is not None,
        "unit.excellent_share": u.excellent_share_percent is not None,
        "unit.excellent_share_raised": u.excellent_share_raised_percent is not None,
    }
    for key in (code, code.rsplit(".", 1)[0], code.split("_", 1)[0], code.split(".", 1)[0]):
        if key in rule:
            return rule[key]
    return True


def _row(rs: RuleSet, i: int, period: str, codes: list[str], **extra: Any) -> dict[str, Any]:
    sid = f"CC-{i:03d}"
    if any(c.startswith("competent.") for c in codes):  # the conclusion the codes speak of
        extra = {**CONCLUDED, **extra}
    # months carried in belong to a quarter (a result object checks it: af204)
    carried = {} if "Q" in period else {"carried_months": None}
    return {"staff_id": sid, "full_name": NAMES[i % len(NAMES)] + f" {i}",
            "unit_id": UNIT.id, "position_id": "CV", "manager_id": HEAD.id, "period": period,
            "rule_set": rs.id,
            **FIGURES, **carried, "reasons": ";".join(codes), **extra}  # fmt: skip


def _people(frame: pd.DataFrame, rs: RuleSet) -> Organisation:
    """The organisation of the frame's people, each of the rule set's (first) category."""
    cat = StaffCategory.parse(sorted(rs.categories)[0])
    staff = [Staff(r.staff_id, r.full_name, r.position_id, r.unit_id, category=cat) for r in
             frame[["staff_id", "full_name", "position_id", "unit_id"]].itertuples()]
    head = attrs.evolve(HEAD, category=cat)
    return Organisation([UNIT, SUB], list(POSITIONS), [head, *staff])


@attrs.frozen
class Situation:
    """One rule set's frames and the codes each row carries."""

    rules: RuleSet
    months: pd.DataFrame
    year: pd.DataFrame
    units: pd.DataFrame
    org: Organisation
    #: the codes of each frame's rows, by staff (or unit) id
    codes: Mapping[str, Mapping[str, tuple[str, ...]]]


def situation(rule_set_id: str) -> Situation:
    """Every code of ``rule_set_id`` on a row of its frames (one code a row, and a richest
    row ``CC-000`` with all of a frame's codes)."""
    rs = rule_set(rule_set_id)
    per, year = PERIODS.get(rule_set_id, PERIODS["vn.nd335-2025"])
    scoring = list(dict.fromkeys(staff_codes(rs)))
    rolled = rollup_codes(rs)
    month_rows = [_row(rs, 0, per, scoring)]
    month_rows += [_row(rs, i, per, [c]) for i, c in enumerate(scoring, start=1)]
    n = len(month_rows)
    # a person nobody scored, and a total in no band (the derived codes)
    month_rows.append(_row(rs, n, per, [], total=None, grade=None, score_grade=None))
    month_rows.append(_row(rs, n + 1, per, [], total=-1.0, grade=None, score_grade=None))
    if any(b.kind == "ratio" and b.params["empty"] == "not_evaluated" for b in rs.blocks):
        # scored, but nothing assigned (af139): not evaluated, and said why
        month_rows.append(_row(rs, n + 2, per, ["not_evaluated.nothing_assigned"], total=None,
                               grade=None, score_grade=None))
    months = pd.DataFrame(month_rows)
    year_rows = [_row(rs, 0, year, [*rolled, *scoring])]
    year_rows += [_row(rs, i, year, [c]) for i, c in enumerate(rolled, start=1)]
    years = pd.DataFrame(year_rows)
    unit_rows = [{"unit_id": UNIT.id, "period": per, "rule_set": rs.id, **UNIT_FIGURES,
                  "reasons": ";".join(c for c in unit_codes(rs) if c != "unit.not_evaluated")},
                 {"unit_id": SUB.id, "period": per, "rule_set": rs.id, **UNIT_FIGURES,
                  "score": None, "grade": None, "score_grade": None,
                  "reasons": "unit.not_evaluated"}]  # fmt: skip
    units = pd.DataFrame(unit_rows)
    for f in (months, years, units):
        f.attrs["rule_sets"] = {rs.id: rs}
    codes = {
        "months": {r["staff_id"]: tuple(c for c in r["reasons"].split(";") if c)
                   for r in month_rows},
        "year": {r["staff_id"]: tuple(c for c in r["reasons"].split(";") if c)
                 for r in year_rows},
        "units": {r["unit_id"]: tuple(r["reasons"].split(";")) for r in unit_rows},
    }  # fmt: skip
    return Situation(rs, months, years, units, _people(months, rs), codes)


def documents(s: Situation, lang: str) -> Iterator[tuple[str, str, Any, str]]:
    """``(kind, id, document object, html)`` of every document of ``s`` in ``lang``:
    the scoring period's sheets, its unit summaries, overview and publication lists, the
    year's (or quarter's) sheets and the year's unit summaries."""
    sheets = sheets_from_results(s.months, org=s.org, agency=AGENCY, signatories=SIGNATORIES,
                                 lang=lang)  # fmt: skip
    for sh in sheets:
        yield "month", sh.staff.id, sh, render_html(sh, lang=lang)
    summaries = summaries_from_results(s.months, s.units, org=s.org, agency=AGENCY,
                                       signatories=SIGNATORIES)  # fmt: skip
    for su in summaries:
        yield "summary", su.unit.id, su, render_unit_summary_html(su, lang=lang)
        pub = PublicationList.from_summary(su)
        yield "publication", su.unit.id, pub, render_publication_html(pub, lang=lang)
    ov = OrganisationOverview.from_summaries(summaries, organisation=s.org)
    yield "overview", str(ov.period), ov, render_overview_html(ov, lang=lang)
    months = s.months.iloc[:0] if s.months.empty else s.months
    for ps in period_sheets_from_results(s.year, months, org=s.org, agency=AGENCY,
                                         signatories=SIGNATORIES):  # fmt: skip
        yield "year", ps.staff.id, ps, render_period_html(ps, lang=lang)
    for su in summaries_from_results(s.year, org=s.org, agency=AGENCY,
                                     signatories=SIGNATORIES):  # fmt: skip
        yield "year-summary", su.unit.id, su, render_unit_summary_html(su, lang=lang)


def html_text(document: str) -> str:
    """The text a reader sees of an HTML document (no head, no tags), spaces flattened."""
    body = re.sub(r"<(head|style)\b.*?</\1>", " ", document, flags=re.S | re.I)
    body = re.sub(r"</?(?:b|strong|i|em|span)\b[^>]*>", "", body)  # inline: no space
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return " ".join(unicodedata.normalize("NFC", text).split())


def sentence(code: str, rs: RuleSet, row: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """The catalogue's sentence of ``code`` for ``row`` and its citation, flattened."""
    r = make_reason(code, rs, row)
    return " ".join(r.message(lang).split()), r.source


__all__ = ["CAPPED", "CATALOGUE", "DERIVED", "PERIODS", "Situation", "applies", "documents",
           "html_text", "rollup_codes", "rule_set", "sentence", "situation", "staff_codes",
           "template_for", "unit_codes"]
