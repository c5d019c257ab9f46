"""Quarterly and annual sheets, and the organisation overview with its grade chart.

:class:`PeriodSheet` is one person's quarter or year: each month's total and grade (a
month nobody scored is *not evaluated*, never a zero), the roll-up of
:func:`evalkit.units.rollup` (average, grade and the reasons: fewer than the minimum
months, the absent cap, discipline, the quarters counted by quarterly schemes) and the
signature blocks of the monthly sheet.

:class:`OrganisationOverview` is every unit of an organisation for one period: its own
result and head, its grade counts, the totals and a grade-distribution chart drawn as
inline SVG (bars proportional to the counts; no plotting library).

Both render through the same sandboxed, autoescaping templates and deterministic PDF
writer as the monthly sheet.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

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
from evalkit.render import _env
from evalkit.render._api import _html
from evalkit.render._format import check_lang, fmt_number, labels
from evalkit.render._model import Agency, UnitSummary
from evalkit.render._view import _period_words, grade_text, place_date
from evalkit.rules._schema import RuleSet

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
    "write_reports",
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
    "period_table": "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÁC THÁNG",
    "col_month": "Tháng",
    "col_quarter": "Quý",
    "col_months": "Số tháng được đánh giá",
    "col_mean": "Điểm trung bình",
    "quarter_table": "KẾT QUẢ THEO QUÝ",
    "rollup_block": "KẾT QUẢ XẾP LOẠI",
    "months_evaluated": "Số tháng được đánh giá",
    "average": "Điểm trung bình",
    "not_classified": "Không xếp loại",
    "method_average": "Điểm trung bình cộng của các tháng được đánh giá (tháng chưa đánh giá không tính, không coi là 0 điểm)",
    "method_quarter": "Điểm trung bình cộng của điểm trung bình các quý",
    "method_count": "Xếp loại năm theo số quý đạt từng mức (quý xếp theo điểm trung bình các tháng trong quý)",
    "quarters_counted": "Số quý",
    "leave_maternity": "Nghỉ thai sản",
    "leave_absent": "Nghỉ theo quy định",
    "block_conclusion": "Ý KIẾN CỦA CẤP CÓ THẨM QUYỀN",
    # overview
    "overview_title": "BÁO CÁO TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
    "col_unit": "Đơn vị",
    "col_head": "Người đứng đầu",
    "col_staff": "Số người",
    "col_not_evaluated": "Chưa ĐG",
    "col_unit_result": "Kết quả của đơn vị",
    "all_units": "Toàn cơ quan",
    "units_count": "Số đơn vị",
    "chart_title": "Phân bố mức xếp loại của cá nhân",
    "chart_units": "Tỷ lệ theo đơn vị",
    "legend": "Ký hiệu",
    "unit_reasons": "Căn cứ xếp loại đơn vị",
    "sig_agency_head": "THỦ TRƯỞNG CƠ QUAN",
}

_EN: dict[str, str] = {
    "period_table": "MONTHLY RESULTS",
    "col_month": "Month",
    "col_quarter": "Quarter",
    "col_months": "Months evaluated",
    "col_mean": "Average",
    "quarter_table": "RESULTS BY QUARTER",
    "rollup_block": "RESULT FOR THE PERIOD",
    "months_evaluated": "Months evaluated",
    "average": "Average",
    "not_classified": "Not classified",
    "method_average": "Mean of the evaluated months' totals (a month not evaluated is left out, never counted as 0)",
    "method_quarter": "Mean of the quarters' averages",
    "method_count": "The year is graded by counting quarters at each grade (a quarter is graded on its months' average)",
    "quarters_counted": "Quarters",
    "leave_maternity": "Maternity leave",
    "leave_absent": "Legally absent",
    "block_conclusion": "CONCLUSION OF THE COMPETENT LEVEL",
    "overview_title": "ORGANISATION OVERVIEW OF QUALITY EVALUATION AND GRADING",
    "col_unit": "Unit",
    "col_head": "Head",
    "col_staff": "Staff",
    "col_not_evaluated": "Not eval.",
    "col_unit_result": "Unit's result",
    "all_units": "Whole organisation",
    "units_count": "Units",
    "chart_title": "Distribution of individual grades",
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
    label = rules.grade_label(grade, lang)
    return label if len(label) <= 8 else grade.code


# =========================================================================== period sheet


def _period(value: object) -> Period:
    return Period.parse(value)


def _results(value: Iterable[EvaluationResult]) -> tuple[EvaluationResult, ...]:
    return tuple(sorted(value, key=lambda r: r.period.key))


def _leave(value: Mapping[str, str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in (value or {}).items():
        kind = str(v).strip().lower()
        if kind not in ("maternity", "absent"):
            raise RenderError(f"leave for {k!r} must be 'maternity' or 'absent', not {v!r}")
        out[str(Period.parse(k))] = kind
    return out


def _months(value: Iterable[object]) -> tuple[str, ...]:
    return tuple(sorted({str(Period.parse(v)) for v in value}))


@attrs.frozen(slots=True)
class PeriodSheet:
    """One person's quarter or year: the months, the roll-up and the signatures.

    ``months`` are the person's monthly results inside ``period`` (a month without a
    result, or with no total, is printed *not evaluated*). ``result`` is the roll-up;
    when None it is :func:`evalkit.units.rollup` of ``months`` under ``rules`` with
    ``leave`` (month → ``"maternity"`` or ``"absent"``) and ``disciplined`` (months with
    a discipline). Mismatched ids or periods raise :class:`~evalkit.errors.RenderError`.
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
    disciplined: tuple[str, ...] = attrs.field(default=(), converter=_months)
    comment: str = ""
    signed_on: datetime.date | None = None
    manager: Staff | None = None
    approver: Staff | None = None

    def __attrs_post_init__(self) -> None:
        sid = self.staff.id
        if self.period.kind not in ("quarter", "year"):
            raise RenderError(
                f"a period sheet is for a quarter or a year, not the {self.period.kind} "
                f"{self.period} (staff {sid!r}); use Sheet for a month"
            )
        inside = {str(m) for m in self.period.months()}
        seen: set[str] = set()
        for r in self.months:
            if r.staff_id != sid:
                raise RenderError(f"period sheet for staff {sid!r} has a result of "
                                  f"{r.staff_id!r} for {r.period}")  # fmt: skip
            if str(r.period) not in inside:
                raise RenderError(f"period sheet of {sid!r} for {self.period} has a result "
                                  f"for {r.period}, outside the period")  # fmt: skip
            if str(r.period) in seen:
                raise RenderError(f"period sheet of {sid!r} has two results for {r.period}")
            seen.add(str(r.period))
        for m in (*self.leave, *self.disciplined):
            if m not in inside:
                raise RenderError(f"period sheet of {sid!r} for {self.period}: month {m} "
                                  "(leave or discipline) is outside the period")  # fmt: skip
        if self.result is not None and (
            self.result.staff_id != sid or self.result.period != self.period
        ):
            raise RenderError(
                f"period sheet of {sid!r} for {self.period} has the roll-up of "
                f"{self.result.staff_id!r} for {self.result.period}"
            )
        if self.staff.unit_id != self.unit.id:
            raise RenderError(f"period sheet for staff {sid!r}: staff is in unit "
                              f"{self.staff.unit_id!r}, unit given is {self.unit.id!r}")  # fmt: skip
        if self.staff.position_id != self.position.id:
            raise RenderError(f"period sheet for staff {sid!r}: staff has position "
                              f"{self.staff.position_id!r}, position given is "
                              f"{self.position.id!r}")  # fmt: skip

    def rolled_up(self) -> EvaluationResult:
        """The roll-up: :attr:`result`, else :func:`evalkit.units.rollup` of the months."""
        if self.result is not None:
            return self.result
        return self._rollup(self.period.kind)[0]

    def quarters(self) -> list[EvaluationResult]:
        """Each quarter of a year rolled up on its own (empty for a quarter sheet)."""
        if self.period.kind != "year":
            return []
        by = {str(r.period): r for r in self._rollup("quarter")}
        return [by.get(f"{self.period.year}-Q{q}") or self._not_evaluated(
            Period.quarter(self.period.year, q)) for q in range(1, 5)]  # fmt: skip

    def _rollup(self, kind: str) -> list[EvaluationResult]:
        from evalkit.units import rollup

        to: Literal["year", "quarter"] = "year" if kind == "year" else "quarter"
        out = rollup(list(self.months), self.rules, to=to, leave=self.leave,
                     disciplined=self.disciplined) if self.months else []  # fmt: skip
        if kind == "quarter" and self.period.kind == "quarter":
            out = [r for r in out if r.period == self.period]
        return out or [self._not_evaluated(self.period)]

    def _not_evaluated(self, period: Period) -> EvaluationResult:
        reason = Reason("not_evaluated", "Không có tháng nào được đánh giá",
                        "No evaluated month in the period", self.rules.rollup.source)  # fmt: skip
        return EvaluationResult(self.staff.id, period, self.rules.id, None, None, None,
                                reasons=[reason])  # fmt: skip


def _grade_or(rules: RuleSet, r: EvaluationResult, t: Mapping[str, str], lang: str) -> str:
    if not r.evaluated:
        return t["not_evaluated"]
    if r.grade is None:
        return t["not_classified"]
    return grade_text(rules, r.grade, lang)


def _noted(code: str) -> bool:
    """Whether a month's reason is worth a note: it changed the grade (not the band itself,
    nor the management component, which only feeds the total)."""
    return code not in ("band", "not_evaluated") and not code.startswith("management.")


def _month_words(p: Period, lang: str) -> str:
    return p.start.strftime("%B %Y") if lang == "en" else f"{p.number:02d}/{p.year}"


def period_sheet_context(sheet: PeriodSheet, lang: str) -> dict[str, Any]:
    """The template context of a quarterly or annual sheet (see ``docs/rendering.md``)."""
    t = _labels(lang)
    rules = sheet.rules
    by_month = {str(r.period): r for r in sheet.months}
    months = []
    for i, p in enumerate(sheet.period.months(), start=1):
        r = by_month.get(str(p))
        notes = []
        kind = sheet.leave.get(str(p))
        if kind:
            notes.append(t[f"leave_{kind}"])
        if r is not None:
            notes += [x.message(lang) for x in r.reasons if _noted(x.code)]
        evaluated = r is not None and r.evaluated
        months.append({
            "no": str(i),
            "label": _month_words(p, lang),
            "total": fmt_number(r.total, lang) if r is not None and evaluated else "",
            "score_grade": grade_text(rules, r.score_grade, lang) if r is not None else "",
            "grade": _grade_or(rules, r, t, lang) if r is not None else t["not_evaluated"],
            "evaluated": evaluated,
            "notes": "; ".join(notes),
        })  # fmt: skip
    quarters = [
        {
            "label": (f"Q{q.period.number}" if lang == "en" else f"{t['quarter'].title()} "
                      f"{q.period.number}"),
            "months": str(sum(1 for r in sheet.months
                              if r.evaluated and r.period.quarter_of() == q.period)),
            "total": fmt_number(q.total, lang),
            "grade": _grade_or(rules, q, t, lang),
        }
        for q in sheet.quarters()
    ]  # fmt: skip
    res = sheet.rolled_up()
    pol = rules.rollup
    if sheet.period.kind == "year" and pol.method == "count":
        method = t["method_count"]
    elif sheet.period.kind == "year" and pol.of == "quarter":
        method = t["method_quarter"]
    else:
        method = t["method_average"]
    n_eval = sum(1 for r in sheet.months if r.evaluated)
    cat = sheet.staff.category
    cat_words = cat.label_en if lang == "en" else cat.label_vi
    pw = _period_words(sheet.period, lang)
    title = (f"{t['sheet_title']} — {cat_words.upper()} — {pw}" if lang == "en"
             else f"{t['sheet_title']} {cat_words.upper()} {pw}")  # fmt: skip
    created = (sheet.signed_on or sheet.period.end).isoformat()
    return {
        "lang": lang,
        "t": t,
        "kind": "period",
        "agency": sheet.agency,
        "staff": sheet.staff,
        "position_title": sheet.position.title(lang),
        "staff_title": sheet.staff.title_vi,
        "unit_name": (sheet.unit.name_en or sheet.unit.name) if lang == "en" else sheet.unit.name,
        "period": sheet.period,
        "title": title,
        "doc_title": f"{title} — {sheet.staff.full_name}",
        "subject": str(sheet.period),
        "keywords": f"{sheet.staff.id}, {sheet.unit.id}, {sheet.period}, {rules.id}",
        "created": created,
        "place_date": place_date(sheet.agency.place or sheet.unit.place, sheet.signed_on, lang),
        "rule_set_title": rules.title_en if lang == "en" else rules.title_vi,
        "rule_set_id": rules.id,
        "months": months,
        "quarters": quarters,
        "method": method,
        "method_source": pol.source,
        "months_evaluated": f"{n_eval}/{len(months)}",
        "evaluated": res.evaluated,
        "average": fmt_number(res.total, lang),
        "score_grade": grade_text(rules, res.score_grade, lang),
        "final_grade": _grade_or(rules, res, t, lang),
        "reasons": [
            {"code": x.code, "message": x.message(lang), "source": x.source} for x in res.reasons
        ],
        "comment": sheet.comment,
        "manager_name": sheet.manager.full_name if sheet.manager else "",
        "approver_name": sheet.approver.full_name if sheet.approver else "",
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

    ``depth`` indents the unit under its parent (0 = the organisation itself).
    """

    unit: Unit
    counts: Mapping[Grade, int] = attrs.field(factory=dict, converter=_counts)
    not_evaluated: int = 0
    head: Staff | None = None
    unit_grade: Grade | None = None
    unit_total: float | None = None
    unit_reasons: tuple[Reason, ...] = attrs.field(default=(), converter=_reasons)
    depth: int = 0

    @property
    def staff_count(self) -> int:
        """Everyone on the unit's books for the period: graded plus not evaluated."""
        return sum(self.counts.values()) + self.not_evaluated


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

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for row in self.rows:
            if row.unit.id in seen:
                raise RenderError(f"overview for {self.period} lists unit {row.unit.id!r} twice")
            seen.add(row.unit.id)
        if not self.rows:
            raise RenderError(f"an overview for {self.period} needs at least one unit")

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
    ) -> OrganisationOverview:
        """The overview of the unit summaries of one period (units ordered as a tree).

        ``organisation`` supplies the agency's head (the head of its root unit) when
        ``head`` is not given.
        """
        items = list(summaries)
        if not items:
            raise RenderError("an overview needs at least one unit summary")
        first = items[0]
        for s in items:
            if s.period != first.period:
                raise RenderError(f"overview for {first.period}: the summary of unit "
                                  f"{s.unit.id!r} is for {s.period}")  # fmt: skip
        by_id = {s.unit.id: s for s in items}
        ordered = _tree_order([s.unit for s in items])
        depth = _depths(ordered)
        rows = []
        for u in ordered:
            s = by_id[u.id]
            rows.append(OverviewRow(
                u, s.grade_counts(),
                not_evaluated=sum(1 for r in s.rows if r.result.grade is None),
                head=s.head, unit_grade=s.unit_grade, unit_total=s.unit_total,
                unit_reasons=s.unit_reasons, depth=depth[u.id],
            ))  # fmt: skip
        if head is None and organisation is not None:
            roots = organisation.children_of(None)
            head = organisation.head_of(roots[0].id) if roots else None
        if head is None:
            head = rows[0].head if rows[0].depth == 0 else None
        dates = [s.signed_on for s in items if s.signed_on]
        return cls(first.agency, first.rules, first.period, rows, head=head,
                   signed_on=signed_on or max(dates, default=None))  # fmt: skip

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
        not_eval = (pd.to_numeric(part["total"], errors="coerce").isna()
                    .groupby(part["unit_id"].astype(str)).sum())  # fmt: skip
        ures: dict[str, tuple[Any, Any]] = {}
        if unit_results is not None and len(unit_results):
            u = unit_results
            if "period" in u.columns:
                u = u[(u["period"].astype(str) == str(p)).to_numpy()]
            score = pd.to_numeric(u["score"], errors="coerce") if "score" in u.columns else None
            for uid, g, s in zip(u["unit_id"].astype(str), u["grade"].astype(object),
                                 score if score is not None else [None] * len(u),
                                 strict=True):  # fmt: skip
                ures[uid] = (g, s)
        units = _tree_order(list(organisation.units))
        depth = _depths(units)
        rows = []
        tab: dict[str, dict[str, int]] = {
            str(k): {str(c): int(v) for c, v in row.items()}
            for k, row in table.to_dict(orient="index").items()
        }
        present = set(tab) | set(ures)
        for unit in units:
            if unit.id not in present:
                continue
            counts = {g: tab.get(unit.id, {}).get(g.code, 0) for g in GRADES}
            g, s = ures.get(unit.id, (None, None))
            rows.append(OverviewRow(
                unit, counts, not_evaluated=int(not_eval.get(unit.id, 0) or 0),
                head=organisation.head_of(unit.id),
                unit_grade=None if g is None or pd.isna(g) else Grade.parse(g),
                unit_total=None if s is None or pd.isna(s) else float(s),
                depth=depth[unit.id],
            ))  # fmt: skip
        roots = organisation.children_of(None)
        head = organisation.head_of(roots[0].id) if roots else None
        return cls(agency, rules, p, rows, head=head, signed_on=signed_on)


def grade_chart(
    counts: Mapping[Grade, int], rules: RuleSet, lang: str = "vi", *, width: float = 480.0
) -> dict[str, Any]:
    """The geometry of the grade-distribution chart: one horizontal bar per grade.

    Each bar's width is ``count / max(count) × bar area``, so bars are proportional to the
    counts; the template draws them as SVG ``<rect>`` elements (no plotting library).
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
        share = fmt_number(100.0 * n / total, lang, decimals=1) + "%" if total else ""
        bars.append({
            "grade": g.code, "label": rules.grade_label(g, lang), "count": n,
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
    """One 100 % stacked bar per unit: each segment's width is its share of the unit's graded."""
    bar_h, gap = 11.0, 4.0
    area = width - label_w - 10.0
    units = []
    for i, row in enumerate(rows):
        y = 2.0 + i * (bar_h + gap)
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
        name = (row.unit.name_en or row.unit.name) if lang == "en" else row.unit.name
        if len(name) > 40:
            name = name[:39].rstrip() + "…"
        units.append({"name": name, "y": f"{y:.2f}", "h": f"{bar_h:.2f}",
                      "text_y": f"{y + bar_h * 0.8:.2f}", "segments": segs,
                      "indent": f"{2 + 8 * row.depth:.0f}"})  # fmt: skip
    height = 4.0 + len(rows) * (bar_h + gap)
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
            "unit_result": ug,
        })  # fmt: skip
        reasons += [{"unit": name, "message": x.message(lang), "source": x.source}
                    for x in row.unit_reasons if x.code != "band"]  # fmt: skip
    totals = overview.totals()
    graded = sum(totals.values())
    n_not = sum(r.not_evaluated for r in overview.rows)
    pw = _period_words(overview.period, lang)
    title = f"{t['overview_title']} {pw}" if lang == "vi" else f"{t['overview_title']} — {pw}"
    created = (overview.signed_on or overview.period.end).isoformat()
    return {
        "lang": lang,
        "t": t,
        "kind": "overview",
        "agency": overview.agency,
        "title": title,
        "doc_title": f"{title} — {overview.agency.name}",
        "subject": str(overview.period),
        "keywords": f"{overview.period}, {rules.id}",
        "created": created,
        "place_date": place_date(overview.agency.place, overview.signed_on, lang),
        "rule_set_title": rules.title_en if lang == "en" else rules.title_vi,
        "grade_heads": [short_grade(rules, g, lang) for g in GRADES],
        "legend": [
            {"short": short_grade(rules, g, lang), "label": rules.grade_label(g, lang)}
            for g in GRADES
        ],
        "rows": rows,
        "n_units": str(len(rows)),
        "total_staff": str(graded + n_not),
        "total_counts": [str(totals[g]) for g in GRADES],
        "total_shares": [
            (fmt_number(100.0 * totals[g] / graded, lang, decimals=1) + "%") if graded else ""
            for g in GRADES
        ],
        "total_not_evaluated": str(n_not),
        "chart": grade_chart(totals, rules, lang),
        "unit_chart": unit_chart(overview.rows, lang),
        "unit_reasons": reasons,
        "head_name": overview.head.full_name if overview.head else "",
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


# =========================================================================== files


def _unit_facts(unit_results: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """``(unit id, period)`` → grade, score, quota cap and head of a unit-results frame."""
    import pandas as pd

    if unit_results is None or not len(unit_results) or "unit_id" not in unit_results.columns:
        return {}
    u = unit_results
    n = len(u)

    def col(name: str) -> list[Any]:
        return u[name].astype(object).tolist() if name in u.columns else [None] * n

    out: dict[tuple[str, str], dict[str, Any]] = {}
    for uid, per, g, s, cap, head in zip(col("unit_id"), col("period"), col("grade"),
                                         col("score"), col("quota_cap"), col("head_id"),
                                         strict=True):  # fmt: skip
        out[(str(uid), "" if per is None or pd.isna(per) else str(per))] = {
            "grade": None if g is None or pd.isna(g) or g == "" else Grade.parse(g),
            "score": None if s is None or pd.isna(s) else float(s),
            "quota_limit": None if cap is None or pd.isna(cap) else int(cap),
            "head_id": None if head is None or pd.isna(head) else str(head),
        }
    return out


def write_reports(
    sheets: Iterable[Any],
    out_dir: str | os.PathLike[str],
    *,
    lang: str = "vi",
    unit_results: Any = None,
    overview: bool = False,
    organisation: Organisation | None = None,
    template_dir: str | os.PathLike[str] | None = None,
) -> list[Path]:
    """Write one unit summary per unit and period (and, with ``overview``, one organisation
    overview per period) for monthly ``sheets``; return the paths written.

    Summaries go to ``out_dir/units/{period}_{unit id}.pdf``, overviews to
    ``out_dir/{period}_overview.pdf`` (names through :func:`safe_filename`), each written
    to a temporary file and renamed. ``unit_results`` (the unit frame of
    :func:`evalkit.units.classify_frame`, or a results file's ``attrs["units"]``) supplies
    each unit's grade, score, quota limit and head.
    """
    from evalkit._files import atomic_write
    from evalkit.render._api import render_unit_summary, safe_filename

    check_lang(lang)
    out = Path(out_dir)
    groups: dict[tuple[str, str], list[Any]] = {}
    for s in sheets:
        groups.setdefault((str(s.period), s.unit.id), []).append(s)
    facts = _unit_facts(unit_results)
    written: list[Path] = []
    by_period: dict[str, list[UnitSummary]] = {}
    for (per, uid), members in sorted(groups.items()):
        f = facts.get((uid, per)) or facts.get((uid, "")) or {}
        head = None
        if f.get("head_id"):
            head = next((m.staff for m in members if m.staff.id == f["head_id"]), None)
        summary = UnitSummary.from_sheets(
            members, head=head, unit_grade=f.get("grade"), unit_total=f.get("score"),
            quota_limit=f.get("quota_limit"),
        )  # fmt: skip
        by_period.setdefault(per, []).append(summary)
        path = out / "units" / f"{safe_filename(per, max_length=12)}_{safe_filename(uid)}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, render_unit_summary(summary, lang=lang, template_dir=template_dir))
        written.append(path)
    if overview:
        for per, summaries in sorted(by_period.items()):
            ov = OrganisationOverview.from_summaries(summaries, organisation=organisation)
            path = out / f"{safe_filename(per, max_length=12)}_overview.pdf"
            out.mkdir(parents=True, exist_ok=True)
            atomic_write(path, render_overview(ov, lang=lang, template_dir=template_dir))
            written.append(path)
    return written
