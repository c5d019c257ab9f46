"""Turn a :class:`Sheet` or :class:`UnitSummary` into the plain context a template reads.

All numbers are formatted here (Vietnamese or English), so templates only place text;
an agency's own template gets the same context (documented in ``docs/rendering.md``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import attrs

from evalkit.errors import EvalkitError
from evalkit.model import Assessment, Criterion, EvaluationResult, Grade, Level, Period
from evalkit.render._format import en_date_words, fmt_number, labels, vn_date_words
from evalkit.render._model import Sheet, UnitSummary
from evalkit.rules._schema import Block, RuleSet

__all__ = ["Row", "sheet_context", "summary_context"]

LEVELS = (Level.SELF, Level.MANAGER, Level.COMPETENT)
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@attrs.frozen(slots=True)
class Row:
    """One row of the criteria table: a group, a criterion, a block or the total."""

    kind: str  # "group" | "criterion" | "block" | "total"
    no: str
    label: str
    maximum: str
    cells: tuple[str, str, str]


def _period_words(period: Period, lang: str) -> str:
    t = labels(lang)
    if lang == "en":
        return period.label("en").upper()
    if period.kind == "month":
        return f"{t['month']} {period.number:02d}/{period.year}"
    if period.kind == "quarter":
        return f"{t['quarter']} {period.number}/{period.year}"
    return f"{t['year']} {period.year}"


def sheet_title(sheet: Sheet, lang: str) -> str:
    """``PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC THÁNG 03/2026``."""
    t = labels(lang)
    cat = sheet.staff.category
    cat_words = cat.label_en if lang == "en" else cat.label_vi
    if lang == "en":
        return f"{t['sheet_title']} — {cat_words.upper()} — {_period_words(sheet.period, lang)}"
    return f"{t['sheet_title']} {cat_words.upper()} {_period_words(sheet.period, lang)}"


def place_date(place: str, day: datetime.date | None, lang: str) -> str:
    """``Thanh Hóa, ngày 05 tháng 3 năm 2026``, with dots for a date still to be written."""
    t = labels(lang)
    words = (
        t["date_blank"]
        if day is None
        else (en_date_words(day) if lang == "en" else vn_date_words(day))
    )
    return f"{place}, {words}" if place else words


def _fmt_value(value: float | None, crit: Criterion | None, lang: str) -> str:
    if value is None:
        return ""
    text = fmt_number(value, lang)
    if crit is not None and crit.unit == "percent":
        return f"{text}%"
    return text


def _max_text(sheet: Sheet, crit: Criterion, lang: str) -> str:
    if crit.unit == "percent":
        return "100%"
    if crit.unit == "count":
        return ""
    maximum = sheet.rules.maximum(crit.id, sheet.position.id)
    if crit.id in sheet.position.maxima:
        maximum = sheet.position.maxima[crit.id]
    return fmt_number(maximum, lang)


def _manages(sheet: Sheet) -> bool:
    return bool(sheet.staff.manages_others or sheet.position.manages_others)


def level_results(sheet: Sheet) -> dict[Level, EvaluationResult | None]:
    """Each level's own result (block points and total) where that level scored everything.

    The sheet shows each level's subtotals; they come from :func:`evalkit.score` run on
    that level's scores alone, so the arithmetic is the rule set's, never the template's.
    """
    from evalkit.scoring import score

    a = sheet.assessment
    out: dict[Level, EvaluationResult | None] = {}
    for level in LEVELS:
        given = a.scores(level)
        if not len(given):
            out[level] = None
            continue
        one = Assessment(a.staff_id, a.period, competent_scores=given, kpi=a.kpi)
        try:
            out[level] = score(
                one,
                staff=sheet.staff,
                rules=sheet.rules,
                position=sheet.position,
                manages_others=_manages(sheet),
                force=True,
            )
        except EvalkitError:
            out[level] = None
    return out


def _block_cells(
    block: Block, per_level: Mapping[Level, EvaluationResult | None], lang: str
) -> tuple[str, str, str]:
    cells = []
    for level in LEVELS:
        r = per_level.get(level)
        value = r.components.get(block.id) if r is not None and r.evaluated else None
        cells.append(fmt_number(value, lang))
    return (cells[0], cells[1], cells[2])


def criteria_rows(sheet: Sheet, lang: str) -> list[Row]:
    """The criteria table: per group a subtotal row, its criteria, then the total row."""
    rules: RuleSet = sheet.rules
    a = sheet.assessment
    per_level = level_results(sheet)
    rows: list[Row] = []
    shown_blocks: set[str] = set()
    n_group = 0
    manages = _manages(sheet)

    def scored(cid: str) -> bool:
        return any(cid in a.scores(level) for level in LEVELS)

    for group in rules.groups:
        block = rules.block_of_group(group.id)
        crits = [c for c in group.criteria if not c.management or manages or scored(c.id)]
        if block is None:
            # A group no block scores (event counts): shown only when something was counted.
            crits = [c for c in crits if any(a.scores(lv).get(c.id, 0) for lv in LEVELS)]
        if not crits:
            continue
        label = block.label(lang) if block is not None else group.label(lang)
        if block is not None:
            shown_blocks.add(block.id)
            maximum = fmt_number(block.points * block.weight, lang)
            cells = _block_cells(block, per_level, lang)
        else:
            maximum, cells = "", ("", "", "")
        rows.append(Row("group", _ROMAN[n_group % len(_ROMAN)], label, maximum, cells))
        n_group += 1
        for i, c in enumerate(crits, start=1):
            vals = tuple(_fmt_value(a.scores(level).get(c.id), c, lang) for level in LEVELS)
            rows.append(
                Row("criterion", str(i), c.label(lang), _max_text(sheet, c, lang),
                    (vals[0], vals[1], vals[2]))
            )  # fmt: skip
    for block in rules.blocks:
        if block.id in shown_blocks:
            continue
        cells = _block_cells(block, per_level, lang)
        sign = "−" if block.kind == "deduction" else ""
        rows.append(
            Row("block", _ROMAN[n_group % len(_ROMAN)], block.label(lang),
                sign + fmt_number(block.points * block.weight, lang), cells)
        )  # fmt: skip
        n_group += 1
    totals = []
    for level in LEVELS:
        r = per_level.get(level)
        value = sheet.result.level_totals.get(level.value)
        if value is None and r is not None:
            value = r.total
        totals.append(fmt_number(value, lang))
    rows.append(
        Row("total", "", labels(lang)["total"], fmt_number(rules.total, lang),
            (totals[0], totals[1], totals[2]))
    )  # fmt: skip
    return rows


def grade_text(rules: RuleSet, grade: Grade | None, lang: str) -> str:
    """The rule set's label for ``grade`` (Hà Nội: A/B/C/D), empty for None."""
    return "" if grade is None else rules.grade_label(grade, lang)


def sheet_context(sheet: Sheet, lang: str) -> dict[str, Any]:
    """The template context of one person's sheet."""
    t = labels(lang)
    r = sheet.result
    rules = sheet.rules
    a = sheet.assessment
    title = sheet_title(sheet, lang)
    reasons = [{"code": x.code, "message": x.message(lang), "source": x.source} for x in r.reasons]
    created = (sheet.signed_on or sheet.period.end).isoformat()
    return {
        "lang": lang,
        "t": t,
        "kind": "sheet",
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
        "rows": criteria_rows(sheet, lang),
        "self_comment": a.self_comment,
        "manager_comment": a.manager_comment,
        "competent_comment": a.competent_comment,
        "proposed_grade": grade_text(rules, a.proposed_grade, lang),
        "manager_grade": grade_text(rules, a.manager_grade, lang),
        "evaluated": r.evaluated,
        "counting_total": fmt_number(r.total, lang),
        "score_grade": grade_text(rules, r.score_grade, lang),
        "final_grade": grade_text(rules, r.grade, lang) if r.evaluated else t["not_evaluated"],
        "reasons": reasons,
        "manager_name": sheet.manager.full_name if sheet.manager else "",
        "approver_name": sheet.approver.full_name if sheet.approver else "",
    }


def summary_context(summary: UnitSummary, lang: str) -> dict[str, Any]:
    """The template context of a unit summary."""
    t = labels(lang)
    rules = summary.rules
    rows = []
    for i, row in enumerate(summary.rows, start=1):
        r = row.result
        self_total = r.level_totals.get("self")
        mgr_total = r.level_totals.get("manager")
        notes = [x.code for x in r.reasons if x.code != "band"]
        rows.append(
            {
                "no": str(i),
                "name": row.staff.full_name,
                "staff_id": row.staff.id,
                "position": " / ".join(
                    p for p in ((row.position.title(lang) if row.position else ""),
                                row.staff.title_vi) if p
                ),
                "self": fmt_number(self_total, lang),
                "manager": fmt_number(mgr_total, lang),
                "total": fmt_number(r.total, lang),
                "score_grade": grade_text(rules, r.score_grade, lang),
                "grade": grade_text(rules, r.grade, lang) if r.evaluated else t["not_evaluated"],
                "notes": ", ".join(notes),
                "is_head": summary.head is not None and row.staff.id == summary.head.id,
            }
        )  # fmt: skip
    counts = summary.grade_counts()
    n_graded = sum(counts.values())
    count_rows = [
        {
            "grade": rules.grade_label(g, lang),
            "count": str(c),
            "share": (fmt_number(100.0 * c / n_graded, lang, decimals=1) + "%") if n_graded else "",
        }
        for g, c in counts.items()
    ]
    quota = None
    q = rules.quota
    if q is not None:
        used = counts.get(q.grade, 0)
        provisional = summary.quota_limit is None
        prov = summary.provisional_quota_limit()
        limit = summary.quota_limit if summary.quota_limit is not None else (prov or (0, 0))[0]
        base_words = (
            t["staff_count"].lower() if q.base == "classified"
            else rules.grade_label(Grade.parse(q.base), lang)
        )  # fmt: skip
        quota = {
            "grade": rules.grade_label(q.grade, lang),
            "used": str(used),
            "limit": str(limit),
            "percent": fmt_number(q.percent, lang),
            "base": base_words,
            "base_count": str(prov[1]) if prov else "",
            "provisional": provisional,
            "over": used > limit,
            "source": q.source,
        }
    created = (summary.signed_on or summary.period.end).isoformat()
    period_words = _period_words(summary.period, lang)
    title = f"{t['summary_title']} {period_words}"
    unit_name = (summary.unit.name_en or summary.unit.name) if lang == "en" else summary.unit.name
    return {
        "lang": lang,
        "t": t,
        "kind": "summary",
        "agency": summary.agency,
        "title": title,
        "doc_title": f"{title} — {unit_name}",
        "subject": str(summary.period),
        "keywords": f"{summary.unit.id}, {summary.period}, {rules.id}",
        "created": created,
        "place_date": place_date(
            summary.agency.place or summary.unit.place, summary.signed_on, lang
        ),
        "unit_name": unit_name,
        "rule_set_title": rules.title_en if lang == "en" else rules.title_vi,
        "rows": rows,
        "n_rows": str(len(rows)),
        "count_rows": count_rows,
        "quota": quota,
        "unit_grade": grade_text(rules, summary.unit_grade, lang),
        "unit_total": fmt_number(summary.unit_total, lang),
        "unit_reasons": [
            {"message": x.message(lang), "source": x.source} for x in summary.unit_reasons
        ],
        "head_name": summary.head.full_name if summary.head else "",
    }
