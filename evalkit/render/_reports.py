"""Annual and quarterly sheets, and the organisation overview with its grade chart.

:class:`PeriodSheet` is one person's year (or quarter): each month's (or quarter's) score
with its band as information and any leave or other unit, the year's average, the grade
and everything that decided it — disqualifiers, the head cap, the quota with its
sentence, the competent level's conclusion — the three levels' annual conclusions and
the signatures. Under NĐ 335/2025/NĐ-CP Điều 21 it is the legal classification; the
monthly sheet is the monitoring record. The roll-up is the engine's
(:func:`evalkit.classify_year`); nothing here averages or grades.

:class:`OrganisationOverview` is every unit of an organisation for one period: its own
result and head, its grade counts, the totals and a grade-distribution chart drawn as
inline SVG (bars proportional to the counts; no plotting library).

Both render through the same sandboxed, autoescaping templates and deterministic PDF
writer as the monthly sheet.
"""

from __future__ import annotations

import datetime
import os
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from evalkit.errors import RenderError
from evalkit.model import (
    EvaluationResult,
    Grade,
    Organisation,
    Period,
    Position,
    Reason,
    Staff,
    Unit,
)
from evalkit.reasons import (
    make_reason,
    not_classified_rows,
    off_band,
    quota_where,
    read_params,
    share_basis,
)
from evalkit.render import _env
from evalkit.render._api import _html
from evalkit.render._format import (
    CITATION_KEEP,
    _glue_labels,
    check_lang,
    fmt_number,
    grade_cell,
    keep_together,
    labels,
    reason_line,
    reason_parts,
    yes_cell,
)
from evalkit.render._model import (
    Agency,
    Amended,
    QuotaFigures,
    Signatory,
    UnitFacts,
    UnitSummary,
    _signatory,
)
from evalkit.render._view import (
    amended_words,
    footer_period,
    grade_text,
    period_quota,
    period_words,
    place_date,
    reasons_of,
    result_grade,
    signature,
    written_name,
    written_unit,
)
from evalkit.rules import RuleSet

__all__ = [
    "REPORT_LABELS",
    "OrganisationOverview",
    "OverviewRow",
    "PeriodSheet",
    "grade_chart",
    "overview_context",
    "period_sheet_context",
    "render_overview",
    "render_overview_html",
    "render_period_html",
    "render_period_pdf",
]

PERIOD_TEMPLATE = "period_sheet.html.j2"
OVERVIEW_TEMPLATE = "overview.html.j2"

#: Grades best first, the order of every count and chart.
GRADES: tuple[Grade, ...] = tuple(sorted(Grade, reverse=True))
#: The chart's fill per grade: distinct in colour and in grey when printed in black and white.
GRADE_FILLS: Mapping[Grade, str] = {
    Grade.HTXS: "#1f5f3a", Grade.HTT: "#4f86c6", Grade.HT: "#e3b448", Grade.KHT: "#a3261c",
}  # fmt: skip

_VI: dict[str, str] = {
    "period_table": "ĐIỂM THEO DÕI, ĐÁNH GIÁ CÁC THÁNG",
    "quarter_table": "ĐIỂM ĐÁNH GIÁ CÁC QUÝ",
    "col_month": "Tháng",
    "col_quarter": "Quý",
    "col_unit": "Đơn vị",
    "rollup_block": "KẾT QUẢ XẾP LOẠI",
    "rollup_block_monitoring": "KẾT QUẢ THEO DÕI, ĐÁNH GIÁ",  # a quarter the set only monitors
    "months_evaluated": "Số tháng được đánh giá",
    "quarters_evaluated": "Số quý được đánh giá",
    "average": "Điểm trung bình",
    "annual_title": "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
    "quota_kept": "Trong tỷ lệ khống chế",
    "quota_rank": "thứ tự ưu tiên",
    "quota_cap_short": "tối đa",
    "people": "người",
    "other_unit": "Công tác tại",
    "mgmt_note": "Thành phần",
    "block_a_year": "A. CÁ NHÂN TỰ NHẬN XÉT, ĐÁNH GIÁ NĂM",
    "block_a_quarter": "A. CÁ NHÂN TỰ NHẬN XÉT, ĐÁNH GIÁ QUÝ",  # the title names it: one line
    "block_b_year": "B. Ý KIẾN CỦA LÃNH ĐẠO TRỰC TIẾP",
    "block_c_year": "C. KẾT LUẬN CỦA CẤP CÓ THẨM QUYỀN",
    # overview
    "overview_title": "BÁO CÁO TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
    "overview_monitoring_title": "BÁO CÁO TỔNG HỢP KẾT QUẢ THEO DÕI, ĐÁNH GIÁ",
    "col_unit_name": "Đơn vị",
    "col_head": "Người đứng đầu",
    "col_staff": "Số người",
    "col_not_evaluated": "Chưa đánh giá",
    "col_not_classified": "Không xếp loại",
    "col_unit_result": "Kết quả của đơn vị",
    "all_units": "Toàn cơ quan",
    "units_count": "Số đơn vị",
    "chart_title": "Phân bố mức xếp loại của cá nhân",
    "chart_title_bands": "Phân bố mức tương ứng với điểm của cá nhân",
    "chart_units": "Tỷ lệ theo đơn vị",
    "legend": "Ký hiệu",
    "unit_reasons": "Căn cứ xếp loại đơn vị",
    "sig_agency_head": "THỦ TRƯỞNG CƠ QUAN",
}

_EN: dict[str, str] = {
    "period_table": "MONTHLY MONITORING SCORES",
    "quarter_table": "QUARTERLY SCORES",
    "col_month": "Month",
    "col_quarter": "Quarter",
    "col_unit": "Unit",
    "rollup_block": "CLASSIFICATION",
    "rollup_block_monitoring": "MONITORING RESULT",
    "months_evaluated": "Months evaluated",
    "quarters_evaluated": "Quarters evaluated",
    "average": "Average",
    "annual_title": "QUALITY EVALUATION AND GRADING SHEET",
    "quota_kept": "Within the quota",
    "quota_rank": "rank",
    "quota_cap_short": "at most",
    "people": "people",
    "other_unit": "Worked in",
    "mgmt_note": "Component",
    "block_a_year": "A. SELF-ASSESSMENT OF THE YEAR",
    "block_a_quarter": "A. SELF-ASSESSMENT OF Q{n}/{year}",
    "block_b_year": "B. DIRECT MANAGER'S OPINION",
    "block_c_year": "C. CONCLUSION OF THE COMPETENT LEVEL",
    "overview_title": "ORGANISATION OVERVIEW OF QUALITY EVALUATION AND GRADING",
    "overview_monitoring_title": "ORGANISATION OVERVIEW OF MONITORING AND EVALUATION",
    "col_unit_name": "Unit",
    "col_head": "Head",
    "col_staff": "Staff",
    "col_not_evaluated": "Not evaluated",
    "col_not_classified": "Not classified",
    "col_unit_result": "Unit's result",
    "all_units": "Whole organisation",
    "units_count": "Units",
    "chart_title": "Distribution of individual grades",
    "chart_title_bands": "Distribution of individual bands",
    "chart_units": "Shares by unit",
    "legend": "Key",
    "unit_reasons": "Grounds for the units' grades",
    "sig_agency_head": "HEAD OF AGENCY",
}  # fmt: skip

#: The labels the period sheet and the overview add to :data:`evalkit.render.LABELS`.
REPORT_LABELS: Mapping[str, Mapping[str, str]] = {"vi": _VI, "en": _EN}


def _labels(lang: str) -> dict[str, str]:
    return {**labels(lang), **REPORT_LABELS[lang]}


def short_grade(rules: RuleSet, grade: Grade, lang: str = "vi") -> str:
    """The rule set's label when short (Hà Nội's ``Loại A``), else the code (``HTXS``)."""
    return keep_together(rules.grade_short(grade, lang))


# =========================================================================== period sheet


def _period(value: object) -> Period:
    return Period.parse(value)


def _results(value: Iterable[EvaluationResult]) -> tuple[EvaluationResult, ...]:
    return tuple(sorted(value, key=lambda r: r.period.key))


_LEAVES = ("maternity", "sick", "absent")


def _leave(value: Mapping[str, str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in (value or {}).items():
        kind = str(v).strip().lower()
        if kind not in _LEAVES:
            raise RenderError(f"leave for {k!r} must be one of {', '.join(_LEAVES)}, not {v!r}")
        out[str(Period.parse(k))] = kind
    return out


def _units_by(value: Mapping[str, Unit] | None) -> dict[str, Unit]:
    return {str(Period.parse(k)): v for k, v in (value or {}).items()}


def _amended_by(value: Mapping[str, Iterable[Amended]] | None) -> dict[str, tuple[Amended, ...]]:
    return {str(Period.parse(k)): tuple(v) for k, v in (value or {}).items() if v}


@attrs.frozen(slots=True)
class PeriodSheet:
    """One person's year (or quarter): the periods inside it, the classification, signatures.

    ``result`` is the engine's result for ``period`` — a row of
    :func:`evalkit.classify_year` (through :func:`evalkit.units.results_from_frame`), or
    of :func:`evalkit.units.rollup_frame` for a quarter; render never rolls up.
    ``months`` are the person's results inside ``period`` (months, or quarters under a
    quarterly rule set); a period without one is printed *Chưa đánh giá*, never a zero.
    ``leave`` maps a month (a quarter, under a quarterly rule set) to ``"maternity"``,
    ``"sick"`` or ``"absent"``;
    ``units_by_month`` maps a month to the unit the person worked in then (a transfer:
    the new unit classifies the year from the old unit's months); ``amendments`` maps a
    period inside it to its amendments after finalization (:class:`Amended`, the
    archive's record), which the sheet says under the table of the periods.
    ``management`` maps a month to a leader's management components as the month applied
    them (criterion id → %, d as the engine computed it): one below its full value is noted
    beside the month, with the month's sentences on d under the table (NĐ 335/2025 Điều 15).

    The three levels' annual conclusions: ``self_comment`` and ``proposed_grade`` (the
    person), ``manager_comment`` and ``manager_grade`` (the direct manager), ``comment``
    (the competent level; its concluded grade is the result's, its written reason the
    ``competent.concluded`` sentence among the reasons). ``quota`` and ``quota_rank`` (the
    engine's ``quota_*`` columns of the person's row) print where the person was within
    the quota. Mismatched ids or periods raise :class:`~evalkit.errors.RenderError`.
    """

    staff: Staff
    position: Position
    unit: Unit
    period: Period = attrs.field(converter=_period)
    months: tuple[EvaluationResult, ...] = attrs.field(converter=_results)
    rules: RuleSet
    agency: Agency
    result: EvaluationResult | None = None
    leave: Mapping[str, str] = attrs.field(factory=dict, converter=_leave)
    comment: str = ""
    signed_on: datetime.date | None = None
    manager: Signatory | None = attrs.field(default=None, converter=_signatory)
    approver: Signatory | None = attrs.field(default=None, converter=_signatory)
    self_comment: str = ""
    proposed_grade: Grade | None = attrs.field(default=None, converter=grade_cell)
    manager_comment: str = ""
    manager_grade: Grade | None = attrs.field(default=None, converter=grade_cell)
    units_by_month: Mapping[str, Unit] = attrs.field(factory=dict, converter=_units_by)
    quota: QuotaFigures | None = None
    quota_rank: int | None = None
    month_rules: Mapping[str, RuleSet] = attrs.field(factory=dict)
    amendments: Mapping[str, tuple[Amended, ...]] = attrs.field(factory=dict,
                                                                 converter=_amended_by)
    management: Mapping[str, Mapping[str, float]] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        sid = self.staff.id
        if self.period.kind not in ("quarter", "year"):
            raise RenderError(
                f"a period sheet is for a quarter or a year, not the {self.period.kind} "
                f"{self.period} (staff {sid!r}); use Sheet for a month"
            )
        if self.result is None:
            raise RenderError(
                f"period sheet of {sid!r} for {self.period}: pass result= (the engine's "
                "classification of the period, e.g. a row of evalkit.classify_year); "
                "render does not roll up"
            )
        inside = {str(m) for m in self.period.months()}
        quarters = {str(m.quarter_of()) for m in self.period.months()}
        seen: set[str] = set()
        for r in self.months:
            if r.staff_id != sid:
                raise RenderError(f"period sheet for staff {sid!r} has a result of "
                                  f"{r.staff_id!r} for {r.period}")  # fmt: skip
            if str(r.period) not in inside | quarters or r.period.kind == "year":
                raise RenderError(f"period sheet of {sid!r} for {self.period} has a result "
                                  f"for {r.period}, outside the period")  # fmt: skip
            if str(r.period) in seen:
                raise RenderError(f"period sheet of {sid!r} has two results for {r.period}")
            seen.add(str(r.period))
        for m in (*self.leave, *self.units_by_month, *self.amendments):
            if m not in inside | quarters:
                raise RenderError(f"period sheet of {sid!r} for {self.period}: month {m} "
                                  "(leave, unit or amendment) is outside the period")  # fmt: skip
        if self.result.staff_id != sid or self.result.period != self.period:
            raise RenderError(
                f"period sheet of {sid!r} for {self.period} has the result of "
                f"{self.result.staff_id!r} for {self.result.period}"
            )
        if self.result.rule_set_id != self.rules.id:
            raise RenderError(
                f"period sheet of {sid!r}: result classified under "
                f"{self.result.rule_set_id!r}, rules given are {self.rules.id!r}"
            )
        if self.staff.unit_id != self.unit.id:
            raise RenderError(f"period sheet for staff {sid!r}: staff is in unit "
                              f"{self.staff.unit_id!r}, unit given is {self.unit.id!r}")  # fmt: skip
        if self.staff.position_id != self.position.id:
            raise RenderError(f"period sheet for staff {sid!r}: staff has position "
                              f"{self.staff.position_id!r}, position given is "
                              f"{self.position.id!r}")  # fmt: skip

    def rolled_up(self) -> EvaluationResult:
        """The engine's result for the period (:attr:`result`)."""
        assert self.result is not None
        return self.result

    def by_quarter(self) -> bool:
        """Whether the rows are quarters (a quarterly rule set's year)."""
        return any(r.period.kind == "quarter" for r in self.months) or (
            self.period.kind == "year" and self.rules.period == "quarter"
        )


#: A quarter's roll-up reasons the annual sheet writes in that quarter's note (Ghi chú):
#: why it has no result — too few months worked, or its months carried to the next quarter
#: — and which quarter holds the months carried from the one before (CV 21169/CHQ-TCCB).
QUARTER_NOTES = ("rollup.period_short", "rollup.period_carried_next", "rollup.period_carried")


def _management_notes(rules: RuleSet, r: EvaluationResult, parts: Mapping[str, float],
                      t: Mapping[str, str], lang: str) -> tuple[list[str], list[Reason]]:
    """A leader's month on the year's sheet: the management components below their full
    value ("(d) 50%"), and the month's sentences on d where it is reduced or was typed
    otherwise than computed (NĐ 335/2025 Điều 15 k3)."""
    low = []
    for c in rules.criteria():
        v = parts.get(c.id)
        if c.management and v is not None and v < 100:
            label = c.label_en if lang == "en" else c.label_vi
            mark = found.group(0) if (found := re.match(r"\(\w+\)", label)) else label
            low.append(f"{mark} {fmt_number(v, lang)}%")
    m = rules.management
    d = parts.get(m.computed) if m is not None and m.computed else None
    reduced = m is not None and d is not None and d < m.full
    said = [x for x in r.reasons
            if x.code == "management.d_typed" or (x.code == "management.d" and reduced)]
    return ([f"{t['mgmt_note']} {', '.join(low)}"] if low else []), said


def _month_words(p: Period, lang: str) -> str:
    if p.kind == "quarter":
        return f"Q{p.number}/{p.year}" if lang == "en" else f"Quý {p.number}/{p.year}"
    return p.label("en") if lang == "en" else f"{p.number:02d}/{p.year}"


def _said_period(p: Period, lang: str, t: Mapping[str, str], *, in_sentence: bool = False) -> str:
    """The month or quarter a line of the year's sheet speaks of: "Tháng 03/2026" ("tháng
    03/2026" ``in_sentence``), a quarter "Quý 3/2026" — never "Tháng Quý 3/2026" —;
    English "March 2026", "Q3/2026"."""
    words = _month_words(p, lang)
    if p.kind == "quarter" or lang == "en":
        return words
    return f"{t['col_month'].lower() if in_sentence else t['col_month']} {words}"


def period_sheet_context(sheet: PeriodSheet, lang: str) -> dict[str, Any]:
    """The template context of an annual or quarterly sheet (see ``docs/rendering.md``)."""
    t = _labels(lang)
    rules = sheet.rules
    res = sheet.rolled_up()
    by_quarter = sheet.by_quarter()
    slots = ([Period.quarter(sheet.period.year, q) for q in range(1, 5)] if by_quarter
             else list(sheet.period.months()))  # fmt: skip
    by = {str(r.period): r for r in sheet.months}
    rows = []
    amended: list[dict[str, Any]] = []
    month_d: list[dict[str, Any]] = []
    other_units = False
    for i, p in enumerate(slots, start=1):
        r = by.get(str(p))
        notes = []
        kind = sheet.leave.get(str(p))
        if kind:
            notes.append(t[f"leave_{kind}"])
        # amended after finalization (the period, or a month a quarter counted stands for):
        # said below the table, a month as on a year of months
        said = [k for k in dict.fromkeys((p, *p.months())) if sheet.amendments.get(str(k))]
        notes += [t["amended"]] if said else []
        for k in said:
            prules = sheet.month_rules.get(str(k), rules)
            amended += [{**line, "period": _said_period(k, lang, t, in_sentence=True)}
                        for line in amended_words(prules, sheet.amendments[str(k)],
                                                  prules.classifies(k), lang)]  # fmt: skip
        unit = sheet.units_by_month.get(str(p))
        if unit is not None and unit.id != sheet.unit.id:
            other_units = True
            notes.append(f"{t['other_unit']} {(unit.name_en or unit.name) if lang == 'en' else unit.name}")
        evaluated = r is not None and r.evaluated
        mrules = sheet.month_rules.get(str(p), rules) if r is not None else rules
        if r is not None and r.period.kind == "quarter":  # the engine's words, as they are
            notes += [reason_line(x, lang, mrules) for x in r.reasons if x.code in QUARTER_NOTES]
        if r is not None:  # why its grade is not its band's (or the year's grounds it gives)
            notes += [reason_line(x, lang, mrules) for x in r.reasons if off_band(x.code)]
        if evaluated and r is not None and str(p) in sheet.management:
            short, said_d = _management_notes(mrules, r, sheet.management[str(p)], t, lang)
            notes += short
            month_d += [{"period": _said_period(p, lang, t), **reason_parts(x, lang, mrules)}
                        for x in said_d]  # fmt: skip
        if r is None or not r.evaluated:
            mark = keep_together(t["not_evaluated"])
        else:
            mark = result_grade(mrules, r, lang)
        rows.append({
            "no": str(i),
            "label": _month_words(p, lang),
            "total": fmt_number(r.total, lang) if evaluated and r is not None else "",
            "grade": mark,
            "classified": bool(r is not None and r.classified),
            "evaluated": evaluated,
            "notes": "; ".join(notes),
        })  # fmt: skip
    n_eval = sum(1 for r in sheet.months if r.evaluated)
    # the column says grades where the periods are classified: as the rows evaluated say,
    # else (none evaluated) as the rule set does: a customs year's quarters are graded
    # (CV 21169/CHQ-TCCB) on the sheet of someone on leave all year too
    graded = [r.classified for r in sheet.months if r.evaluated]
    monthly_classified = any(graded) if graded else rules.classifies(slots[0])
    quota_line: dict[str, object] | None = None
    codes = res.reason_codes()
    qrules = period_quota(rules, sheet.period, sheet.staff.category.value)  # the year's own
    if (sheet.quota is not None and sheet.quota_rank and "quota.demoted" not in codes
            and (yq := qrules.quota) is not None):  # fmt: skip
        rules, q = qrules, sheet.quota
        src = yq.terms(q.raised)[2]  # k6 b where the raised rate counted
        where = quota_where(rules, {"duty_group": q.duty_group, "quota_groups": q.groups},
                            lang).replace("trong nhóm", "của nhóm", 1)  # fmt: skip
        quota_line = {"text": f"{t['quota_kept']} {where} "
                              f"({grade_text(rules, yq.grade, lang)}): "
                              f"{t['quota_rank']} {sheet.quota_rank}/{q.candidates}, "
                              f"{t['quota_cap_short']} {q.cap} {t['people']}",
                      "source": src, "keep": len(src) <= CITATION_KEEP}  # fmt: skip
    cat = sheet.staff.category
    cat_words = cat.label_en if lang == "en" else cat.label_vi
    pw = period_words(sheet.period, lang)
    head = t["annual_title"] if res.classified else t["monitoring_title"]
    title = (f"{head} — {cat_words.upper()} — {pw}" if lang == "en"
             else f"{head} {cat_words.upper()} {pw}")  # fmt: skip
    created = (sheet.signed_on or sheet.period.end).isoformat()
    unit_name = written_unit(sheet.unit, lang)
    return {
        "lang": lang,
        "t": t,
        "kind": "period",
        "agency": sheet.agency,
        "staff": sheet.staff,
        "staff_name": written_name(sheet.staff),
        "position_title": sheet.position.title(lang),
        "staff_title": sheet.staff.title_vi,
        "unit_name": unit_name,
        "period": sheet.period,
        "title": title,
        "doc_title": f"{title} — {sheet.staff.full_name}",
        "docid": f"{sheet.staff.full_name} · {footer_period(sheet.period, lang)}",
        "subject": str(sheet.period),
        "keywords": f"{sheet.staff.id}, {sheet.unit.id}, {sheet.period}",
        "created": created,
        "place_date": place_date(sheet.agency.place or sheet.unit.place, sheet.signed_on, lang),
        "rule_set_title": rules.title_en if lang == "en" else rules.title_vi,
        "by_quarter": by_quarter,
        "block_a": (t["block_a_quarter"].format(n=sheet.period.number, year=sheet.period.year)
                    if sheet.period.kind == "quarter" else t["block_a_year"]),
        "months": rows,
        "amendments": amended,
        "month_grounds": month_d,
        "other_units": other_units,
        "monthly_classified": monthly_classified,
        "months_evaluated": f"{n_eval}/{len(slots)}",
        "evaluated": res.evaluated,
        "classified": res.classified,
        "average": fmt_number(res.total, lang),
        "score_grade": grade_text(rules, res.score_grade, lang),
        "final_grade": result_grade(rules, res, lang),
        "reasons": reasons_of(res.reasons, lang, rules),
        "quota_line": quota_line,
        "self_comment": sheet.self_comment,
        "proposed_grade": grade_text(rules, sheet.proposed_grade, lang),
        "manager_comment": sheet.manager_comment,
        "manager_grade": grade_text(rules, sheet.manager_grade, lang),
        "comment": sheet.comment,
        "person": {"name": written_name(sheet.staff), "title": sheet.staff.title_vi},
        "manager": signature(sheet.manager, lang),
        "approver": signature(sheet.approver, lang),
    }


# =========================================================================== overview


def _counts(value: Mapping[Grade, int] | Mapping[str, int] | None) -> dict[Grade, int]:
    out = dict.fromkeys(GRADES, 0)
    for k, v in (value or {}).items():
        n = int(v)
        if n < 0:
            raise RenderError(f"a grade count cannot be negative: {k!r} = {v!r}")
        out[Grade.parse(k)] += n
    return out


def _reasons(value: Iterable[Reason]) -> tuple[Reason, ...]:
    return tuple(value)


@attrs.frozen(slots=True)
class OverviewRow:
    """One unit on the overview: its people's grade counts, its own result and head.

    ``not_evaluated`` counts its people without a score, ``not_classified`` those not
    classified (a score and no grade: NĐ 90/2020 Điều 2 k3, fewer than 6 months worked; or
    no month worked in the year). ``quota_base``
    is the people its quota counted for the base (None: no quota applied; ``quota_raised``:
    the raised base), ``quota_kept`` those at the quota's grade under it, as
    :meth:`UnitSummary.quota_share`. ``depth`` indents the unit under
    its parent (0 = the organisation itself).
    """

    unit: Unit
    counts: Mapping[Grade, int] = attrs.field(factory=dict, converter=_counts)
    not_evaluated: int = 0
    head: Staff | None = None
    unit_grade: Grade | None = None
    unit_total: float | None = None
    unit_reasons: tuple[Reason, ...] = attrs.field(default=(), converter=_reasons)
    depth: int = 0
    classified: bool = True
    not_classified: int = 0
    quota_base: int | None = None
    quota_raised: bool = False
    quota_kept: int = 0

    @property
    def staff_count(self) -> int:
        """Everyone on the unit's books for the period: graded, not classified (too few
        months, no month worked) and not evaluated."""
        return sum(self.counts.values()) + self.not_classified + self.not_evaluated


def _rows(value: Iterable[OverviewRow]) -> tuple[OverviewRow, ...]:
    return tuple(value)


def _depths(units: Sequence[Unit]) -> dict[str, int]:
    parent = {u.id: u.parent_id for u in units}
    out: dict[str, int] = {}
    for u in units:
        d, p, seen = 0, u.parent_id, {u.id}
        while p is not None and p in parent and p not in seen:
            seen.add(p)
            d, p = d + 1, parent[p]
        out[u.id] = d
    return out


def _tree_order(units: Sequence[Unit]) -> list[Unit]:
    """Parents before children, siblings in the given order."""
    ids = {u.id for u in units}
    kids: dict[str | None, list[Unit]] = {}
    for u in units:
        kids.setdefault(u.parent_id if u.parent_id in ids else None, []).append(u)
    out: list[Unit] = []

    def walk(pid: str | None) -> None:
        for u in kids.get(pid, []):
            if u not in out:
                out.append(u)
                walk(u.id)

    walk(None)
    return out + [u for u in units if u not in out]


@attrs.frozen(slots=True)
class OrganisationOverview:
    """Every unit of an organisation for one period, on one A4 report with a grade chart.

    Build it from the units' :class:`UnitSummary` objects (:meth:`from_summaries`) or
    from the staff and unit frames of :func:`evalkit.units.classify_frame`
    (:meth:`from_frame`, vectorised for a province).
    """

    agency: Agency
    rules: RuleSet
    period: Period = attrs.field(converter=_period)
    rows: tuple[OverviewRow, ...] = attrs.field(converter=_rows)
    head: Staff | None = None
    signed_on: datetime.date | None = None
    #: who prepared the report (*người lập biểu*): the units' summaries' preparer
    preparer: Signatory | None = attrs.field(default=None, converter=_signatory)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for row in self.rows:
            if row.unit.id in seen:
                raise RenderError(f"overview for {self.period} lists unit {row.unit.id!r} twice")
            seen.add(row.unit.id)
        if not self.rows:
            raise RenderError(f"an overview for {self.period} needs at least one unit")

    def quota_share(self) -> tuple[int, int, bool] | None:
        """The quota's grade: the people at it and the base the quota counted, over the
        units where a quota applied, and whether one counted its raised base; None where
        none applied (NĐ 335/2025/NĐ-CP Điều 20 k5 a: a share of those rated HTT)."""
        rows = [r for r in self.rows if r.quota_base is not None]
        if not rows:
            return None
        return (sum(r.quota_kept for r in rows), sum(r.quota_base or 0 for r in rows),
                any(r.quota_raised for r in rows))

    def totals(self) -> dict[Grade, int]:
        """The grade counts of the whole organisation (every grade present, best first)."""
        out = dict.fromkeys(GRADES, 0)
        for row in self.rows:
            for g, n in row.counts.items():
                out[g] += n
        return out

    @classmethod
    def from_summaries(
        cls,
        summaries: Iterable[UnitSummary],
        *,
        organisation: Organisation | None = None,
        head: Staff | None = None,
        signed_on: datetime.date | None = None,
        unit_facts: Mapping[str, UnitFacts] | None = None,
        preparer: Signatory | Staff | str | None = None,
    ) -> OrganisationOverview:
        """The overview of the unit summaries of one period (units ordered as a tree).

        ``organisation`` supplies the agency's head (the head of its root unit) when
        ``head`` is not given. ``unit_facts`` (unit id → its own result) lists a unit of
        ``organisation`` that has a result but no summary (no people of its own: a "Khối"
        between the Sở and its phòng) with its result, head and no people, as
        :meth:`from_frame` lists it. ``preparer`` signs as *người lập biểu*; by default
        the summaries' own, where they all name the same one.
        """
        items = list(summaries)
        if not items:
            raise RenderError("an overview needs at least one unit summary")
        first = items[0]
        for s in items:
            if s.period != first.period:
                raise RenderError(f"overview for {first.period}: the summary of unit "
                                  f"{s.unit.id!r} is for {s.period}")  # fmt: skip
        by_id: dict[str, UnitSummary] = {s.unit.id: s for s in items}
        ordered = _tree_order([s.unit for s in items])
        alone = {} if organisation is None else {
            k: f for k, f in (unit_facts or {}).items() if k not in by_id}
        if organisation is not None:  # the organisation's tree (siblings in its order), as
            tree = _tree_order(list(organisation.units))  # from_frame: a unit under one
            known = {u.id for u in tree}  # without a summary keeps its place and depth
            ordered = [by_id[u.id].unit if u.id in by_id else u for u in tree
                       if u.id in by_id or u.id in alone] + [
                u for u in ordered if u.id not in known]  # fmt: skip
        depth = _depths([*ordered, *(organisation.units if organisation is not None else ())])
        rows = []
        for u in ordered:
            if u.id not in by_id:  # a unit with a result and no people of its own
                uf = alone[u.id]
                rows.append(OverviewRow(
                    u, dict.fromkeys(GRADES, 0), not_evaluated=0,
                    head=organisation.head_of(u.id) if organisation is not None else None,
                    unit_grade=uf.grade, unit_total=uf.score, unit_reasons=uf.reasons,
                    depth=depth[u.id], classified=first.classified))  # fmt: skip
                continue
            s = by_id[u.id]
            f = s.facts
            counts = s.grade_counts()
            qs = s.quota_share()
            rows.append(OverviewRow(
                u, counts, not_evaluated=s.not_evaluated(),
                not_classified=sum(1 for r in s.rows if r.result.not_classified),
                quota_kept=qs[0] if qs else 0, quota_base=qs[1] if qs else None,
                quota_raised=bool(qs and qs[2]),
                head=s.head, unit_grade=f.grade if f else None,
                unit_total=f.score if f else None,
                unit_reasons=f.reasons if f else (), depth=depth[u.id],
                classified=s.classified,
            ))  # fmt: skip
        if head is None and organisation is not None:
            roots = organisation.children_of(None)
            head = organisation.head_of(roots[0].id) if roots else None
        if head is None:
            head = rows[0].head if rows[0].depth == 0 else None
        dates = [s.signed_on for s in items if s.signed_on]
        if preparer is None:  # the units' preparer, where every summary names the same one
            named = {s.preparer for s in items}
            preparer = named.pop() if len(named) == 1 else None
        return cls(first.agency, first.rules, first.period, rows, head=head,
                   signed_on=signed_on or max(dates, default=None),
                   preparer=preparer)  # fmt: skip

    @classmethod
    def from_frame(
        cls,
        staff_results: Any,
        *,
        organisation: Organisation,
        rules: RuleSet,
        agency: Agency,
        period: Period | str | None = None,
        unit_results: Any = None,
        signed_on: datetime.date | None = None,
    ) -> OrganisationOverview:
        """The overview from :func:`evalkit.units.classify_frame`'s frames (vectorised).

        ``staff_results`` needs ``unit_id``, ``period``, ``total`` and ``grade`` (codes or
        the grade categorical); ``unit_results`` (optional) ``unit_id``, ``period``,
        ``score`` and ``grade``. ``period`` picks one period when the frames hold several.
        With ``staff_id``, the people of ``organisation`` without a row in the period are
        counted not evaluated, as :func:`evalkit.render.summaries_from_results` lists them.
        """
        import pandas as pd

        sr = staff_results
        missing = [c for c in ("unit_id", "period", "total", "grade") if c not in sr.columns]
        if missing:
            raise RenderError(f"staff results lack the column(s) {', '.join(missing)}")
        per = sr["period"].astype(str)
        found = sorted(per.unique())
        if period is None:
            if len(found) != 1:
                raise RenderError("pass period=...: the staff results cover "
                                  f"{', '.join(found) or 'no period'}")  # fmt: skip
            p = Period.parse(found[0])
        else:
            p = Period.parse(period)
        part = sr[(per == str(p)).to_numpy()]
        grade = part["grade"].astype(object).where(part["grade"].notna(), None)
        table = pd.crosstab(part["unit_id"].astype(str), grade.astype(str))
        told = not_classified_rows(part, "grade")  # a total and no grade, or no month worked
        # "86,5" is a total, as every door reads it; "9l" is refused with its row
        no_total = pd.Series(read_params(part, ["total"])["total"], index=part.index).isna()
        by_unit = part["unit_id"].astype(str)
        not_eval = (no_total & ~told).groupby(by_unit).sum()
        # the organisation's people without a row are listed not evaluated, as on the summaries
        listed = set(part["staff_id"].astype(str)) if "staff_id" in part.columns else None
        absent = Counter(m.unit_id for m in organisation.staff
                         if listed is not None and m.id not in listed)  # fmt: skip
        not_graded = told.groupby(by_unit).sum()
        if "classified" in part.columns and len(part):
            classified = any(yes_cell(v, default=True)  # "False" read back is no
                             for v in pd.unique(part["classified"].astype(object)))
        else:
            classified = rules.classifies(p)
        qbase: dict[str, int] = {}
        qraised: dict[str, bool] = {}
        qkept: dict[str, int] = {}
        if {"quota_group", "quota_base"} <= set(part.columns) and classified:
            inq = (pd.to_numeric(part["quota_group"], errors="coerce") >= 0).to_numpy()
            g = part[inq].drop_duplicates(["unit_id", "quota_group"])  # each group once
            key = g["unit_id"].astype(str)
            qbase = pd.to_numeric(g["quota_base"], errors="coerce").fillna(0).astype(
                int).groupby(key).sum().to_dict()
            if "quota_raised" in g.columns:
                raised = g["quota_raised"].astype(object).map(yes_cell).astype(bool)
                qraised = raised.groupby(key).any().to_dict()
            # those at the quota's grade in a quota group (the grade counted as the table's)
            code = rules.quota.grade.code if rules.quota is not None else None
            at = inq & (grade.astype(str) == code).to_numpy()
            qkept = {str(k): int(v) for k, v in pd.Series(at).groupby(by_unit.to_numpy()).sum()
                     .items()}  # fmt: skip
        ures: dict[str, tuple[Any, Any, tuple[Reason, ...]]] = {}
        if unit_results is not None and len(unit_results):
            from evalkit.reasons import make_reasons

            u = unit_results
            if "period" in u.columns:
                u = u[(u["period"].astype(str) == str(p)).to_numpy()]
            recs = u.astype(object).where(u.notna(), None).to_dict(orient="records")
            for rec in recs:
                why = make_reasons(rec.get("reasons"), rules, rec, with_band=False)
                ures[str(rec["unit_id"])] = (rec.get("grade"), rec.get("score"), why)
        units = _tree_order(list(organisation.units))
        depth = _depths(units)
        rows = []
        tab: dict[str, dict[str, int]] = {
            str(k): {str(c): int(v) for c, v in row.items()}
            for k, row in table.to_dict(orient="index").items()
        }
        present = set(by_unit) | set(ures)  # a unit whose rows are all ungraded too
        for unit in units:
            if unit.id not in present:
                continue
            counts = {g: tab.get(unit.id, {}).get(g.code, 0) for g in GRADES}
            g, s, why = ures.get(unit.id, (None, None, ()))
            rows.append(OverviewRow(
                unit, counts, not_evaluated=int(not_eval.get(unit.id, 0) or 0) + absent[unit.id],
                not_classified=int(not_graded.get(unit.id, 0) or 0),
                quota_base=qbase.get(unit.id), quota_raised=bool(qraised.get(unit.id, False)),
                quota_kept=int(qkept.get(unit.id, 0)),
                head=organisation.head_of(unit.id),
                unit_grade=None if g is None or pd.isna(g) else Grade.parse(g),
                unit_total=None if s is None or pd.isna(s) else float(s),
                unit_reasons=why, depth=depth[unit.id], classified=classified,
            ))  # fmt: skip
        roots = organisation.children_of(None)
        head = organisation.head_of(roots[0].id) if roots else None
        return cls(agency, rules, p, rows, head=head, signed_on=signed_on)


def _pct(count: int, of: int, lang: str) -> str:
    return fmt_number(100.0 * count / of, lang, decimals=1) + "%" if of else ""


def grade_chart(
    counts: Mapping[Grade, int], rules: RuleSet, lang: str = "vi", *, width: float = 480.0,
    shares: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The geometry of the grade-distribution chart: one horizontal bar per grade.

    Each bar's width is ``count / max(count) × bar area``, so bars are proportional to the
    counts; the template draws them as SVG ``<rect>`` elements (no plotting library).
    ``shares`` (one per grade, best first) are the shares printed beside the counts, as
    the overview's table prints them; default: of the counts' total.
    """
    label_w, bar_h, gap, top = 150.0, 16.0, 7.0, 4.0
    area = width - label_w - 70.0
    peak = max(counts.values(), default=0)
    total = sum(counts.values())
    bars = []
    for i, g in enumerate(GRADES):
        n = int(counts.get(g, 0))
        w = area * n / peak if peak else 0.0
        y = top + i * (bar_h + gap)
        share = shares[i] if shares is not None else _pct(n, total, lang)
        bars.append({
            "grade": g.code, "label": keep_together(rules.grade_label(g, lang)), "count": n,
            "x": f"{label_w:.2f}", "y": f"{y:.2f}", "w": f"{w:.3f}", "h": f"{bar_h:.2f}",
            "text_x": f"{label_w + w + 4:.2f}", "text_y": f"{y + bar_h * 0.75:.2f}",
            "label_y": f"{y + bar_h * 0.75:.2f}", "value": f"{n} ({share})" if total else "0",
            "cls": f"g-{g.code.lower()}", "fill": GRADE_FILLS[g],
        })  # fmt: skip
    height = top * 2 + len(GRADES) * (bar_h + gap)
    return {"width": f"{width:.0f}", "height": f"{height:.0f}", "bars": bars,
            "axis_x": f"{label_w:.2f}", "label_x": f"{label_w - 5:.2f}",
            "axis_y2": f"{height - top:.2f}"}  # fmt: skip


def unit_chart(
    rows: Sequence[OverviewRow], lang: str = "vi", *, width: float = 480.0, label_w: float = 200.0
) -> dict[str, Any]:
    """One 100 % stacked bar per unit: each segment's width is its share of the unit's graded.
    A unit's name is printed whole: one too long for the label area goes on as many lines as
    it needs (about 40 characters each), and its row grows with them."""
    bar_h, gap, line_h = 11.0, 4.0, 9.0
    area = width - label_w - 10.0
    units = []
    y = 2.0
    for row in rows:
        name = (row.unit.name_en or row.unit.name) if lang == "en" else row.unit.name
        lines = textwrap.wrap(name, 40 - 2 * row.depth, break_long_words=False,
                              break_on_hyphens=False) or [""]  # fmt: skip
        n = sum(row.counts.values())
        x = label_w
        segs = []
        for g in GRADES:
            c = int(row.counts.get(g, 0))
            w = area * c / n if n else 0.0
            if c:
                segs.append({"x": f"{x:.3f}", "w": f"{w:.3f}", "count": c,
                             "fill": GRADE_FILLS[g], "grade": g.code})  # fmt: skip
            x += w
        units.append({"name": name, "y": f"{y:.2f}", "h": f"{bar_h:.2f}", "segments": segs,
                      "lines": [{"text": t, "y": f"{y + bar_h * 0.8 + k * line_h:.2f}"}
                                for k, t in enumerate(lines)],
                      "indent": f"{2 + 8 * row.depth:.0f}"})  # fmt: skip
        y += bar_h + gap + (len(lines) - 1) * line_h
    height = y + 2.0
    return {"width": f"{width:.0f}", "height": f"{height:.0f}", "units": units}


def overview_context(overview: OrganisationOverview, lang: str) -> dict[str, Any]:
    """The template context of an organisation overview (see ``docs/rendering.md``)."""
    t = _labels(lang)
    rules = overview.rules
    rows = []
    reasons = []
    for i, row in enumerate(overview.rows, start=1):
        name = (row.unit.name_en or row.unit.name) if lang == "en" else row.unit.name
        ug = ""
        if row.unit_grade is not None:
            ug = short_grade(rules, row.unit_grade, lang)
            if row.unit_total is not None:
                ug += f" ({fmt_number(row.unit_total, lang)})"
        rows.append({
            "no": str(i), "name": name, "depth": row.depth,
            "indent": f"{1.2 + 3.5 * row.depth:.1f}mm",
            "head": row.head.full_name if row.head else "",
            "staff": str(row.staff_count),
            "counts": [str(row.counts[g]) for g in GRADES],
            "not_evaluated": str(row.not_evaluated),
            "not_classified": str(row.not_classified),
            "unit_result": ug,
        })  # fmt: skip
        reasons += [{"unit": name, **line}
                    for line in reasons_of(row.unit_reasons, lang, rules, skip=frozenset({"band"}))]
    totals = overview.totals()
    graded = sum(totals.values())
    quota = overview.quota_share()
    # the shares of the graded; the quota's grade of the quota's own base (as the units')
    shares = [_pct(quota[0], quota[1], lang) if quota is not None and rules.quota is not None
              and g == rules.quota.grade and quota[0] == totals[g] else
              _pct(totals[g], graded, lang) for g in GRADES]  # fmt: skip
    n_not = sum(r.not_evaluated for r in overview.rows)
    n_unclassified = sum(r.not_classified for r in overview.rows)
    pw = period_words(overview.period, lang)
    classified = all(r.classified for r in overview.rows)
    head = t["overview_title"] if classified else t["overview_monitoring_title"]
    title = f"{head} {pw}" if lang == "vi" else f"{head} — {pw}"
    created = (overview.signed_on or overview.period.end).isoformat()
    info = None
    if not classified:
        info = reason_parts(make_reason("band.information", rules,
                                        {"period": str(overview.period)}), lang, rules)
    return {
        "lang": lang,
        "t": t,
        "kind": "overview",
        "agency": overview.agency,
        "title": title,
        "doc_title": f"{title} — {overview.agency.name}",
        "docid": f"{overview.agency.name} · {footer_period(overview.period, lang)}",
        "subject": str(overview.period),
        "keywords": f"{overview.period}",
        "classified": classified,
        "info": info,
        "created": created,
        "place_date": place_date(overview.agency.place, overview.signed_on, lang),
        "rule_set_title": rules.title_en if lang == "en" else rules.title_vi,
        # a 9.5 mm column: "Grade A" may break after its word (kept together elsewhere)
        "grade_heads": [short_grade(rules, g, lang).replace("\xa0", " ") for g in GRADES],
        "legend": [  # a grade whose short form is its name (Hà Nội's "Loại A") needs no key
            {"short": short_grade(rules, g, lang), "label": grade_text(rules, g, lang)}
            for g in GRADES if short_grade(rules, g, lang) != grade_text(rules, g, lang)
        ],
        "rows": rows,
        "n_units": str(len(rows)),
        "total_staff": str(graded + n_unclassified + n_not),
        "total_counts": [str(totals[g]) for g in GRADES],
        "total_shares": shares,
        "share_note": _glue_labels(share_basis(rules, graded, quota, classified, lang),
                                   rules, lang) if graded else "",
        "total_not_evaluated": str(n_not),
        # a column only where someone has a score and no grade (NĐ 90: under 6 months)
        "total_not_classified": str(n_unclassified) if n_unclassified else "",
        "chart": grade_chart(totals, rules, lang, shares=shares),
        "unit_chart": unit_chart(overview.rows, lang),
        "unit_reasons": reasons,
        "head_name": overview.head.full_name if overview.head else "",
        "preparer": signature(overview.preparer, lang),
    }


# =========================================================================== render


def render_period_html(
    sheet: PeriodSheet,
    *,
    lang: str = "vi",
    template_dir: str | os.PathLike[str] | None = None,
) -> str:
    """The HTML of a quarterly or annual sheet (what :func:`render_period_pdf` lays out)."""
    ctx = period_sheet_context(sheet, check_lang(lang))
    return _html(PERIOD_TEMPLATE, ctx, _env._as_dir(template_dir))


def render_period_pdf(
    sheet: PeriodSheet,
    *,
    lang: str = "vi",
    template_dir: str | os.PathLike[str] | None = None,
    pdf_variant: str | None = None,
    tagged: bool = False,
) -> bytes:
    """A quarterly or annual sheet as PDF bytes: A4, byte-identical for identical input."""
    html = render_period_html(sheet, lang=lang, template_dir=template_dir)
    return _env.render_document(html, template_dir=_env._as_dir(template_dir),
                                logo=sheet.agency.logo,
                                pdf_variant=pdf_variant, tagged=tagged)  # fmt: skip


def render_overview_html(
    overview: OrganisationOverview,
    *,
    lang: str = "vi",
    template_dir: str | os.PathLike[str] | None = None,
) -> str:
    """The HTML of an organisation overview, with its inline SVG chart."""
    ctx = overview_context(overview, check_lang(lang))
    return _html(OVERVIEW_TEMPLATE, ctx, _env._as_dir(template_dir))


def render_overview(
    overview: OrganisationOverview,
    *,
    lang: str = "vi",
    template_dir: str | os.PathLike[str] | None = None,
    pdf_variant: str | None = None,
    tagged: bool = False,
) -> bytes:
    """An organisation overview as PDF bytes (A4 portrait, "Trang x/y")."""
    html = render_overview_html(overview, lang=lang, template_dir=template_dir)
    return _env.render_document(html, template_dir=_env._as_dir(template_dir),
                                logo=overview.agency.logo,
                                pdf_variant=pdf_variant, tagged=tagged)  # fmt: skip
