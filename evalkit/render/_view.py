"""Turn a :class:`Sheet` or :class:`UnitSummary` into the plain context a template reads.

All numbers are formatted here (Vietnamese or English), so templates only place text;
an agency's own template gets the same context (documented in ``docs/rendering.md``).
Nothing here scores: each level's block points and total are the engine's
(``EvaluationResult.level_points`` / ``level_totals``), the reasons are the catalogue's
(:mod:`evalkit.reasons`). Where the engine applied a value the counting level did not
type (:attr:`Sheet.applied <evalkit.render.Sheet.applied>`: the computed management
component d, a percentage lowered per counted event), that level's column shows the points
that count (``components``, ``total``); a deduction's row states the count and the rule,
a KPI's row the figure that stands for the block, and section D gives their grounds
(:func:`sheet_reasons`). The one sum made here is a section's subtotal on the sheet (a), b), c) of
NĐ 335/2025 Điều 12 k2): the exact sum of the printed scores of its criteria. Typed
scores are printed with the decimals they were typed with (:func:`fmt_typed`); the rule
set's rounding shows where the engine rounds, in the block points and the total.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from evalkit.model import (
    Assessment,
    Criterion,
    Discipline,
    EvaluationResult,
    Grade,
    Level,
    Period,
    Reason,
)
from evalkit.reasons import (
    catalogue_order,
    event_words,
    make_reason,
    make_reasons,
    share_basis,
    staff_words,
)
from evalkit.render._format import (
    _glue_labels,
    en_date_words,
    fmt_number,
    fmt_typed,
    grade_words,
    keep_together,
    labels,
    reason_parts,
    slashed,
    typed_places,
    vn_date_words,
    yes_cell,
)
from evalkit.render._model import Amended, Sheet, Signatory, UnitSummary, amended_inputs
from evalkit.rules import RuleSet

__all__ = [
    "Row",
    "footer_period",
    "grade_text",
    "nobody_evaluated",
    "period_words",
    "place_date",
    "sheet_context",
    "sheet_reasons",
    "sheet_title",
    "signature",
    "summary_context",
]

LEVELS = (Level.SELF, Level.MANAGER, Level.COMPETENT)
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

#: Reason codes a unit summary does not repeat in its notes (the sheet shows them).
QUIET_CODES = frozenset({
    "band", "band.none", "band.information", "not_evaluated", "rollup.average",
    "management.d", "management.d_default",
})  # fmt: skip


@attrs.frozen(slots=True)
class Row:
    """One row of the criteria table: a group, a section, a criterion, the value applied in
    place of a typed one (:attr:`Sheet.applied`; a deduction; a KPI standing for a block),
    a block or the total."""

    kind: str  # "group" | "section" | "criterion" | "applied" | "block" | "total"
    no: str
    label: str
    maximum: str
    cells: tuple[str, str, str]


def period_words(period: Period, lang: str) -> str:
    """``THÁNG 03/2026``, ``QUÝ 1/2026``, ``NĂM 2026`` (English: ``MARCH 2026`` …), joined
    by a non-breaking space: a title that wraps keeps the word with its number."""
    t = labels(lang)
    if lang == "en":
        return period.label("en").upper().replace(" ", "\u00a0")
    if period.kind == "month":
        return f"{t['month']}\u00a0{period.number:02d}/{period.year}"
    if period.kind == "quarter":
        return f"{t['quarter']}\u00a0{period.number}/{period.year}"
    return f"{t['year']}\u00a0{period.year}"


_period_words = period_words  # the name the reports module used


def footer_period(period: Period, lang: str) -> str:
    """The period in the footer's words: ``tháng 03/2026``, ``quý 1/2026``; in English
    the month's name capitalised (``March 2026``, ``Q1 2026``), never lower-cased."""
    if lang == "en":
        return period.label("en")
    return period_words(period, lang).lower().replace("\u00a0", " ")  # a footer: no glue


def sheet_title(sheet: Sheet, lang: str) -> str:
    """``PHIẾU THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC THÁNG 03/2026`` for a month the rule set only
    monitors; ``PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG … `` for a classified period."""
    t = labels(lang)
    head = t["sheet_title"] if sheet.result.classified else t["monitoring_title"]
    cat = sheet.staff.category
    cat_words = cat.label_en if lang == "en" else cat.label_vi
    if lang == "en":
        return f"{head} — {cat_words.upper()} — {period_words(sheet.period, lang)}"
    return f"{head} {cat_words.upper()} {period_words(sheet.period, lang)}"


def place_date(place: str, day: datetime.date | None, lang: str) -> str:
    """``Thanh Hóa, ngày 05 tháng 3 năm 2026``, with dots for a date still to be written."""
    t = labels(lang)
    words = (
        t["date_blank"]
        if day is None
        else (en_date_words(day) if lang == "en" else vn_date_words(day))
    )
    return f"{place}, {words}" if place else words


def grade_text(rules: RuleSet, grade: Grade | None, lang: str) -> str:
    """The rule set's label for ``grade`` (Hà Nội: Loại A …), unbreakable; empty for None."""
    return grade_words(rules, grade, lang)


def signature(who: Signatory | None, lang: str = "vi") -> dict[str, str]:
    """The name and title printed in a signature block (empty strings when unknown); in
    English the title's English words where known (a position's ``title_en``)."""
    if who is None:
        return {"name": "", "title": ""}
    return {"name": who.name, "title": (who.title_en or who.title) if lang == "en" else who.title}


def reasons_of(
    reasons: Sequence[Reason], lang: str, rules: RuleSet | None, *, skip: frozenset[str] = frozenset()
) -> list[dict[str, object]]:
    """Each reason as its sentence and short citation (:func:`reason_parts`), in order."""
    return [reason_parts(r, lang, rules) for r in reasons if r.code not in skip]


# =========================================================================== the criteria table


def _fmt_value(value: float | None, crit: Criterion | None, lang: str) -> str:
    if value is None:
        return ""
    text = fmt_typed(value, lang)
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


def _counting_level(sheet: Sheet) -> Level | None:
    return sheet.result.level or sheet.assessment.counting_level()


def _level_points(sheet: Sheet) -> dict[Level, tuple[Mapping[str, float] | None, float | None]]:
    """Each level's block points and total, as the engine gave them.

    A level the engine did not total (it did not score everything) has none, except the
    counting level of a result without per-level figures: its points are the result's.
    So are they where the engine applied a value that level did not type
    (:attr:`Sheet.applied`): its own figures hold the typed value, the result's the applied.
    """
    r = sheet.result
    counting = _counting_level(sheet)
    out: dict[Level, tuple[Mapping[str, float] | None, float | None]] = {}
    for level in LEVELS:
        points = r.points_at(level)
        if _counts_as_result(r, level, counting, bool(sheet.applied),
                             points is None and r.level_totals.get(level.value) is None):
            out[level] = (r.components, r.total)
        else:
            out[level] = (points, r.level_totals.get(level.value))
    return out


def _counts_as_result(r: EvaluationResult, level: Level, counting: Level | None,
                      applied: bool, own_blank: bool) -> bool:
    """Whether ``level``'s column prints the result's figures (the ones that counted)
    rather than that level's own: the counting level's, where the engine applied a value
    that level did not type (a computed (d), a percentage lowered per counted error) or
    gave no figures of that level. One rule for the personal sheet and the unit summary."""
    return level == counting and r.evaluated and (applied or own_blank)


def level_total(r: EvaluationResult, level: Level, lang: str, amended: bool = False) -> str:
    """A level's total on the unit summary, as the personal sheet's *Tổng cộng* of that
    level prints it (:func:`_counts_as_result`): the counting level's is the total that
    counted where the engine applied a value that level did not type (only the result's
    :attr:`~evalkit.model.EvaluationResult.applied` is known here) or, ``amended``, an
    amendment after finalization changed a criterion the result was re-derived from."""
    own = r.level_totals.get(level.value)
    # a result read back from a results frame has no level: the last one with a total
    counting = r.level or next((lv for lv in reversed(LEVELS)
                                if r.level_totals.get(lv.value) is not None), None)  # fmt: skip
    if own is not None and _counts_as_result(r, level, counting, bool(r.applied) or amended,
                                             False):  # fmt: skip
        return fmt_number(r.total, lang)
    return fmt_number(own, lang)


def _section_sum(values: Sequence[float], lang: str) -> str:
    """A section's subtotal: the exact sum of the scores printed above it, with as many
    decimals as they were typed with (2,5 + 2,5 + 2,5 + 2,495 = 9,995). The rule set's
    rounding applies where the engine applies it: to the block (the group's row)."""
    if not values:
        return ""
    places = max(2, *(typed_places(v) for v in values))
    return fmt_number(math.fsum(values), lang, decimals=places)


def _typed(sheet: Sheet) -> dict[str, float]:
    """Per criterion, the score of the last level that typed it (self, manager, competent:
    the later wins), as the result counts them: the event counts the sheet explains."""
    merged: dict[str, float] = {}
    for level in LEVELS:
        merged.update(sheet.assessment.scores(level))
    return merged


def _kpi_block(sheet: Sheet) -> tuple[str, tuple[str, ...]] | None:
    """The block a KPI stands for (its id and the criteria it replaces), where the
    assessment gives a KPI and the rule set lets it stand for the block; else None."""
    if sheet.assessment.kpi is None or not sheet.result.evaluated:
        return None
    for block in sheet.rules.blocks:
        if block.kind == "percent_average" and block.params.get("kpi"):
            return block.id, block.inputs(_manages(sheet))
    return None


def _replaced_words(sheet: Sheet, ids: Sequence[str], lang: str) -> str:
    """The criteria a KPI replaces by their marks, ``(a), (b), (c)``; empty where a label
    has no mark."""
    marks = []
    for cid in ids:
        found = re.match(r"\(\w+\)", sheet.rules.criterion(cid).label(lang))
        if found is None:
            return ""
        marks.append(found.group(0))
    return ", ".join(marks)


def _article(source: str, rules: RuleSet) -> str:
    """A citation as a table row prints it: ``Điều 14 k2 b`` of ``NĐ 335/2025/NĐ-CP, Điều 14
    k2 b`` where the document is the sheet's own basis (its "Căn cứ", the rule set's
    ``source``); the whole citation where it is another document (a customs quarter's
    deduction is NĐ 335's Điều 14, not an article of CV 21169/CHQ-TCCB) or has no article."""
    head, _, tail = source.rpartition(", ")
    own = head and head in rules.source
    return tail if own and tail.startswith(("Điều", "Article", "Khoản", "Mục")) else source


def _deductions(sheet: Sheet) -> list[tuple[str, str, float, tuple[float, ...]]]:
    """The rule set's adjustments that lowered a typed percentage: (adjustment id, input,
    the events counted in the scores that count (0: none), the distinct counts the levels
    deducted with), in the rule set's order; none where a KPI stands for the block."""
    if not sheet.result.evaluated:
        return []
    typed = _typed(sheet)
    kpi = _kpi_block(sheet)
    replaced = set(kpi[1]) if kpi is not None else set()
    out = []
    for adj in sheet.rules.adjustments:
        if adj.input in replaced:
            continue
        counted = typed.get(adj.events, 0) if adj.input in typed else 0
        counts = {own[adj.events] for own in map(sheet.assessment.scores, LEVELS)
                  if adj.input in own and own.get(adj.events, 0) > 0}  # fmt: skip
        if counted > 0:
            counts.add(counted)
        if counts:
            out.append((adj.id, adj.input, counted, tuple(sorted(counts))))
    return out


def _deduction_label(sheet: Sheet, cid: str, lang: str) -> str:
    """The row under a lowered percentage: ``Trừ 2 lần × 25% (…), Điều 14 k2 b`` (levels
    that counted differently: ``Trừ 25% mỗi lần (…)``, their counts in the rows below)."""
    t = labels(lang)
    parts = []
    by_id = {a.id: a for a in sheet.rules.adjustments}
    for aid, inp, _, counts in _deductions(sheet):
        if inp != cid:
            continue
        adj = by_id[aid]
        words = {"step": fmt_number(adj.step, lang),
                 "what": event_words(sheet.rules, adj.events, lang)}
        text = t["deducted"].format(events=fmt_number(counts[0], lang), **words) \
            if len(counts) == 1 else t["deducted_each"].format(**words)  # fmt: skip
        cite = _article(adj.source, sheet.rules) if adj.source and adj.status not in (
            "practice", "unsourced") else ""  # fmt: skip
        parts.append(f"{text}, {cite}" if cite else text)
    return "; ".join(parts)


def sheet_reasons(sheet: Sheet) -> tuple[Reason, ...]:
    """The result's reasons and the grounds of what the table shows beside the typed
    scores: each deduction (``deduction.<adjustment>``, with its citation) and a KPI
    standing for a block (``kpi``, no citation: a product choice), in catalogue order."""
    rules = sheet.rules
    extra = [make_reason(f"deduction.{aid}", rules, {"events": counted})
             for aid, _, counted, _ in _deductions(sheet) if counted > 0]
    kpi = _kpi_block(sheet)
    if kpi is not None:
        extra.append(make_reason("kpi", rules, {
            "kpi": sheet.assessment.kpi, "replaced": _replaced_words(sheet, kpi[1], "vi")}))
    if not extra:
        return sheet.result.reasons
    return tuple(sorted([*sheet.result.reasons, *extra], key=lambda r: catalogue_order(r.code)))


def criteria_rows(sheet: Sheet, lang: str) -> list[Row]:
    """The criteria table: per group its subtotal row, its sections and criteria, then the
    blocks not tied to a group, then the total."""
    rules = sheet.rules
    a = sheet.assessment
    per_level = _level_points(sheet)
    counting = _counting_level(sheet) if sheet.result.evaluated else None
    rows: list[Row] = []
    shown_blocks: set[str] = set()
    n_group = 0
    manages = _manages(sheet)
    kpi = _kpi_block(sheet)
    deduction_inputs = {inp for _, inp, _, _ in _deductions(sheet)}
    amended = set(amended_inputs(sheet)) - set(sheet.result.applied)

    def scored(cid: str) -> bool:
        return any(cid in a.scores(level) for level in LEVELS)

    def cells_of(block_id: str) -> tuple[str, str, str]:
        vals = []
        for level in LEVELS:
            points, _ = per_level[level]
            vals.append(fmt_number(points.get(block_id) if points is not None else None, lang))
        return (vals[0], vals[1], vals[2])

    for group in rules.groups:
        block = rules.block_of_group(group.id)
        crits = [c for c in group.criteria
                 if not c.management or manages or scored(c.id) or c.id in sheet.applied]
        if block is None:
            # A group no block scores (event counts): shown only when something was counted.
            crits = [c for c in crits if any(a.scores(lv).get(c.id, 0) for lv in LEVELS)]
        if not crits:
            continue
        label = block.label(lang) if block is not None else group.label(lang)
        if block is not None:
            shown_blocks.add(block.id)
            maximum = fmt_number(block.points * block.weight, lang)
            cells = cells_of(block.id)
        else:
            maximum, cells = "", ("", "", "")
        rows.append(Row("group", _ROMAN[n_group % len(_ROMAN)], label, maximum, cells))
        n_group += 1
        sections = {s.id: s for s in group.sections}
        seen_sections: set[str] = set()
        number = 0
        for c in crits:
            sec = sections.get(c.section or "")
            if sec is not None and sec.id not in seen_sections:
                seen_sections.add(sec.id)
                inside = [x for x in crits if x.section == sec.id]
                sums = []
                for level in LEVELS:
                    given = {**a.scores(level), **(sheet.applied if level == counting else {})}
                    vals = [given[x.id] for x in inside if x.id in given]
                    sums.append(_section_sum(vals, lang) if len(vals) == len(inside) else "")
                rows.append(Row("section", f"{sec.id})", sec.label(lang),
                                fmt_number(sec.maximum, lang), (sums[0], sums[1], sums[2])))
                number = 0
            number += 1
            vals3 = tuple(_fmt_value(a.scores(level).get(c.id), c, lang) for level in LEVELS)
            rows.append(Row("criterion", str(number), c.label(lang), _max_text(sheet, c, lang),
                            (vals3[0], vals3[1], vals3[2])))  # fmt: skip
            deducted = _deduction_label(sheet, c.id, lang) if c.id in deduction_inputs else ""
            if (c.id in sheet.applied or deducted) and counting is not None:
                # the value that counted, under the one typed (kept as typed); a deduction
                # says what it took off and where the rule is, the value is the engine's
                applied = tuple(_fmt_value(sheet.applied_at(level).get(c.id), c, lang)
                                for level in LEVELS)
                rows.append(Row("applied", "", deducted or labels(lang)[
                    "applied_amended" if c.id in amended else "applied"], "",
                                (applied[0], applied[1], applied[2])))  # fmt: skip
        if kpi is not None and block is not None and block.id == kpi[0]:
            # a KPI stands for the whole block: the figure each level's points come from
            shown = f"{fmt_typed(sheet.assessment.kpi, lang)}%"
            k_cells = tuple(shown if cell else "" for cell in cells)
            words = _replaced_words(sheet, kpi[1], lang) or labels(lang)["kpi_all"]
            rows.append(Row("applied", "", labels(lang)["kpi_row"].format(replaced=words),
                            "100%", (k_cells[0], k_cells[1], k_cells[2])))  # fmt: skip
    for block in rules.blocks:
        if block.id in shown_blocks:
            continue
        sign = "−" if block.kind == "deduction" else ""
        rows.append(Row("block", _ROMAN[n_group % len(_ROMAN)], block.label(lang),
                        sign + fmt_number(block.points * block.weight, lang), cells_of(block.id)))
        n_group += 1
    totals = [fmt_number(per_level[level][1], lang) for level in LEVELS]
    rows.append(
        Row("total", "", labels(lang)["total"], fmt_number(rules.total, lang),
            (totals[0], totals[1], totals[2]))
    )  # fmt: skip
    return rows


# =========================================================================== the sheet


def _unit_name(unit: Any, lang: str) -> str:
    return str((unit.name_en or unit.name) if lang == "en" else unit.name)


def written_name(staff: Any) -> str:
    """The name a sheet prints for ``staff``: none where only the id is known (results
    without ``full_name`` and no organisation name the person by the id, which a legal
    document never prints as a name); the sheet leaves the line to be written by hand."""
    return "" if staff.full_name == staff.id else str(staff.full_name)


def written_unit(unit: Any, lang: str) -> str:
    """The unit a sheet prints: none where only its id is known (as :func:`written_name`)."""
    return "" if unit.name == unit.id else _unit_name(unit, lang)


#: The inputs besides the criteria, the discipline and the leave that an amendment may
#: change (:func:`evalkit.io.archive.amendable_fields`), said by their labels: yes/no facts,
#: counts of events and the task tracker's KPI.
_AMENDED_FLAGS = ("degradation", "corruption_in_unit", "party_discipline",
                  "discipline_related_to_duty")  # fmt: skip
_AMENDED_FACTS = (*_AMENDED_FLAGS, "kpi", "late_files", "apologies")


def _yes(key: str, value: Any) -> bool:
    """A recorded yes/no value (a bool, 0/1, or the text the archive kept) read as every
    door reads it (:func:`yes_cell`, the one reader of :mod:`evalkit._words`); a blank is
    the fact's default on an :class:`~evalkit.model.Assessment` (``discipline_related_to_duty``
    yes, the others no)."""
    return yes_cell(value, default=bool(attrs.fields_dict(Assessment)[key].default))


def _amended_value(rules: RuleSet, key: str, value: Any, lang: str,
                   row: Mapping[str, Any] | None = None) -> str:
    """One recorded value of an amendment as the sheet prints it (a grade by its label, a
    discipline by its name, a criterion as its cell); empty when unknown. ``row`` is the
    whole result row the value belongs to: the figures the reasons' sentences quote."""
    if key == "reasons":  # the codes' sentences, from the catalogue, with the row's figures
        said = "; ".join(r.message(lang) for r in make_reasons(value, rules, row,
                                                                with_band=False))
        return said or labels(lang)["none"]
    if key in _AMENDED_FLAGS:  # a yes/no fact as the sheet says it (never True/False)
        return labels(lang)["yes" if _yes(key, value) else "no"]
    if value is None or value == "":
        return labels(lang)["none"]
    if key == "leave":  # a kind of leave by its words (an unknown one: unsaid)
        return _leave_words(str(value), labels(lang))
    if key in ("grade", "score_grade"):
        return grade_text(rules, Grade[str(value)], lang) if str(value) in Grade.__members__ else ""
    if key == "discipline":
        d = Discipline(int(value))
        return d.label_vi if lang == "vi" else d.name.capitalize()
    if key == "kpi":
        return f"{fmt_typed(float(value), lang)}%"
    crit = next((c for c in rules.criteria() if c.id == key), None)
    return _fmt_value(float(value), crit, lang) if isinstance(value, (int, float)) else ""


def amendment_lines(sheet: Sheet, lang: str) -> list[dict[str, Any]]:
    """Each amendment of the sheet's result: its date (dd/mm/yyyy), who, the written
    reason and what it changed, in words (criteria by their label, then the discipline, the
    other inputs — yes/no facts said "Có"/"Không", counts, the KPI —, the total and the
    grade); the values are the archive's record, never recomputed."""
    return amended_words(sheet.rules, sheet.amendments, sheet.result.classified, lang)


def amended_words(rules: RuleSet, amendments: Sequence[Amended], classified: bool,
                  lang: str, *, reasons: bool = False,
                  rows: Sequence[Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
    """:func:`amendment_lines` of one period's ``amendments`` under ``rules``: the grade
    said is the result's grade where the period is ``classified``, else its score's band
    (a monitored month); the year sheet says its amended months with it, and ``evalkit
    amend`` each changed row (with ``reasons``: the reasons' sentences before and after).
    ``rows`` are the whole result rows after each amendment: the sentences quote their
    figures (a leader's (d), the people counted), the row before being that row with the
    amendment's previous values."""
    t = labels(lang)
    names = {c.id: c.label(lang) for c in rules.criteria()}
    names["discipline"] = t["discipline"]
    names |= {k: t[k] for k in _AMENDED_FACTS}
    names["leave"] = t["leave"]
    names["total"] = t["counting_total"]
    # the grade block C prints: a monitored month's band of the score, else the grade
    if classified:
        names["grade"] = t["final_grade"]
    else:
        names["score_grade"] = t["info_grade"]
    if reasons:
        names["reasons"] = t["amended_reasons"]
    out = []
    for i, a in enumerate(amendments):
        after = {**rows[i], **a.new} if rows else None
        before = {**after, **a.previous} if after is not None else None
        changes = []
        for key, name in names.items():
            if key in a.new:
                old = _amended_value(rules, key, a.previous.get(key), lang, before)
                new = _amended_value(rules, key, a.new[key], lang, after)
                if old and new:
                    changes.append(f"{name}: {old} → {new}")
        out.append({"on": _day(a.at), "by": a.by, "why": a.why, "changes": changes})
    return out


def _day(at: str) -> str:
    """An amendment's time (ISO) as its day on a sheet, dd/mm/yyyy."""
    try:
        return datetime.datetime.fromisoformat(at).strftime("%d/%m/%Y")
    except ValueError:
        return at


def _amended_on(amendments: Sequence[Amended]) -> list[tuple[str, str, str]]:
    """Each amendment's day, who and why, for a note."""
    return [(_day(a.at), a.by, a.why) for a in amendments]


def sheet_context(sheet: Sheet, lang: str) -> dict[str, Any]:
    """The template context of one person's sheet (see ``docs/rendering.md``)."""
    t = labels(lang)
    r = sheet.result
    rules = sheet.rules
    a = sheet.assessment
    title = sheet_title(sheet, lang)
    created = (sheet.signed_on or sheet.period.end).isoformat()
    classified = r.classified
    said = rules.read_grades(a)  # Hà Nội's "Loại B" by its set's words
    concluded = said["competent_grade"] if classified else None
    return {
        "lang": lang,
        "t": t,
        "kind": "sheet",
        "agency": sheet.agency,
        "staff": sheet.staff,
        "staff_name": written_name(sheet.staff),
        "position_title": sheet.position.title(lang),
        "staff_title": sheet.staff.title_vi,
        "unit_name": written_unit(sheet.unit, lang),
        "period": sheet.period,
        "period_words": period_words(sheet.period, lang),
        "title": title,
        "doc_title": f"{title} — {sheet.staff.full_name}",
        "docid": f"{sheet.staff.full_name} · {footer_period(sheet.period, lang)}",
        "subject": str(sheet.period),
        "keywords": f"{sheet.staff.id}, {sheet.unit.id}, {sheet.period}",
        "created": created,
        "place_date": place_date(sheet.agency.place or sheet.unit.place, sheet.signed_on, lang),
        "rule_set_title": rules.title_en if lang == "en" else rules.title_vi,
        "rows": criteria_rows(sheet, lang),
        "classified": classified,
        "self_comment": a.self_comment,
        "manager_comment": a.manager_comment,
        "competent_comment": a.competent_comment,
        "proposed_grade": grade_text(rules, said["proposed_grade"], lang),
        "manager_grade": grade_text(rules, said["manager_grade"], lang),
        "competent_grade": grade_text(rules, concluded, lang),
        "competent_reason": a.competent_reason if concluded is not None else "",
        "evaluated": r.evaluated,
        "counting_total": fmt_number(r.total, lang),
        "score_grade": grade_text(rules, r.score_grade, lang),
        "final_grade": result_grade(rules, r, lang),
        "reasons": reasons_of(sheet_reasons(sheet), lang, rules),
        "amendments": amendment_lines(sheet, lang),
        "leave": _leave_words(a.leave, t),
        "person": {"name": written_name(sheet.staff), "title": sheet.staff.title_vi},
        "manager": signature(sheet.manager, lang),
        "approver": signature(sheet.approver, lang),
    }


# =========================================================================== the unit summary


def _share(count: int, of: int, lang: str) -> str:
    return (fmt_number(100.0 * count / of, lang, decimals=1) + "%") if of else ""


def _leave_words(kind: str, t: Mapping[str, str]) -> str:
    return t.get(f"leave_{kind}", "") if kind else ""


def _facts_context(summary: UnitSummary, lang: str) -> dict[str, Any] | None:
    f = summary.facts
    if f is None:
        return None
    t = labels(lang)
    rules = summary.rules
    lines = []
    for key, value in (("unit_self", f.self_score), ("unit_computed", f.computed_score),
                       ("unit_council", f.council_score), ("unit_score", f.score)):  # fmt: skip
        if value is not None:
            lines.append({"label": t[key], "value": fmt_number(value, lang), "grade": False})
    if f.grade is not None:
        lines.append({"label": t["unit_grade" if f.classified else "unit_band"],
                      "value": grade_text(rules, f.grade, lang), "grade": True})  # fmt: skip
    return {"lines": lines, "reasons": reasons_of(f.reasons, lang, rules)}


def period_quota(rules: RuleSet, period: Period, category: str | None = None) -> RuleSet:
    """``rules`` holding the quota its ``period`` counts with (a person's of ``category``):
    the year's own (``[rollup.quota]``, :meth:`~evalkit.rules.RuleSet.quota_for`) for a year."""
    q = rules.quota_for(period, category)
    return rules if q is rules.quota else attrs.evolve(rules, quota=q)


def _quota_context(summary: UnitSummary, lang: str) -> dict[str, Any] | None:
    if len(summary.quotas) > 1:
        return _quota_groups_context(summary, lang)
    rules = summary.rules
    f = summary.quota
    if summary.quotas:  # one group of a unit whose other set has no quota: that group's set
        f = summary.quotas[0]
        rules = next(r for r in summary.all_rules if r.id == f.rule_set_id)
    rules = period_quota(rules, summary.period)
    q = rules.quota
    if q is None or f is None:
        return None
    t = labels(lang)
    if q.base in ("classified", "all_staff"):
        base = ""
    else:
        base = f" ({grade_text(rules, Grade.parse(q.base), lang)})"
    lines = [
        {"label": t["quota_percent"], "value": fmt_number(f.percent, lang) + "%"}
    ] if f.percent is not None else []
    lines += [
        {"label": t["quota_base"] + base, "value": str(f.base_count)},
        {"label": t["quota_cap"], "value": str(f.cap)},
        {"label": t["quota_candidates"], "value": str(f.candidates)},
        {"label": t["quota_demoted"], "value": str(f.demoted)},
    ]  # fmt: skip
    notes = [t["quota_per_group"].format(n=f.groups)] if f.groups > 1 else []
    if f.raised:  # why the raised rate counted, beside its own citation
        notes.append(t[f"quota_raised_{q.raised_when}"].format(
            xs=grade_text(rules, Grade.HTXS, lang)))  # fmt: skip
    note = " ".join(notes)
    return {"grade": grade_text(rules, q.grade, lang), "lines": lines,
            "source": q.terms(f.raised)[2],  # the raised rate's own citation where it counted
            "groups": [], "note": note}  # fmt: skip


def _quota_groups_context(summary: UnitSummary, lang: str) -> dict[str, Any]:
    """The quota block of a unit with a quota group under each of two or more rule sets
    (công chức and viên chức): a line per group — its name (:func:`staff_words` of its
    set), percentage, base, cap, candidates, demoted and its set's short citation — as the
    engine gave them."""
    t = labels(lang)
    sets = {r.id: r for r in summary.all_rules}
    groups = []
    for f in summary.quotas:
        rules = period_quota(sets[str(f.rule_set_id)], summary.period)
        q = rules.quota
        base = "" if q is None or q.base in ("classified", "all_staff") else \
            grade_text(rules, Grade.parse(q.base), lang)
        words = staff_words(rules, lang)
        groups.append({
            "name": words[:1].upper() + words[1:],
            "percent": fmt_number(f.percent, lang) + "%" if f.percent is not None else "",
            "base": str(f.base_count), "base_grade": base, "cap": str(f.cap),
            "candidates": str(f.candidates), "demoted": str(f.demoted),
            "source": q.terms(f.raised)[2] if q is not None else "",
            "grade": grade_text(rules, q.grade, lang) if q is not None else "",
        })  # fmt: skip
    grades = list(dict.fromkeys(g["grade"] for g in groups if g["grade"]))
    bases = list(dict.fromkeys(g["base_grade"] for g in groups if g["base_grade"]))
    note = t["quota_base_note"].format(grade=", ".join(bases)) if bases else ""
    return {"grade": "; ".join(grades), "groups": groups, "lines": [], "source": "",
            "note": note}  # fmt: skip


def nobody_evaluated(rules: RuleSet, lang: str) -> str:
    """The sentence of a unit summary's empty staff table: no staff of the unit evaluated in
    the period (the people named as ``rules`` names them: *công chức*, *viên chức* …)."""
    return labels(lang)["nobody_evaluated"].format(staff=staff_words(rules, lang))


def summary_title(summary: UnitSummary, lang: str) -> str:
    """The summary's title: monitoring for a month the rule set does not classify."""
    t = labels(lang)
    head = t["summary_title"] if summary.classified else t["summary_monitoring_title"]
    return f"{head} {period_words(summary.period, lang)}"


def summary_context(summary: UnitSummary, lang: str) -> dict[str, Any]:
    """The template context of a unit summary (see ``docs/rendering.md``)."""
    t = labels(lang)
    rules = summary.rules
    classified = summary.classified
    rows = []
    notes: list[dict[str, object]] = []
    sets = {x.id: x for x in summary.all_rules}  # each person's labels are their rule set's
    for i, row in enumerate(summary.rows, start=1):
        r = row.result
        own = sets.get(r.rule_set_id, rules)
        refs = []
        for line in reasons_of(r.reasons, lang, own, skip=QUIET_CODES):
            notes.append({"no": str(len(notes) + 1), "name": row.staff.full_name, **line})
            refs.append(f"({len(notes)})")
        for a in _amended_on(row.amendments):
            text = t["amended_note"].format(on=a[0], by=a[1], why=a[2])
            notes.append({"no": str(len(notes) + 1), "name": row.staff.full_name,
                          "text": text, "source": "", "keep": False})  # fmt: skip
            refs.append(f"({len(notes)})")
        leave = _leave_words(row.leave, t)
        grade = result_grade(own, r, lang)
        ids = {c.id for c in own.criteria()}
        amended = any(k in ids for a in row.amendments for k in a.new)  # a criterion amended
        pos_title = row.position.title(lang) if row.position else ""
        rows.append({
            "no": str(i),
            "name": row.staff.full_name,
            "position": slashed((row.staff.title_vi, pos_title)),
            **{lv.value: level_total(r, lv, lang, amended) for lv in LEVELS},
            "total": fmt_number(r.total, lang),
            "score_grade": grade_text(own, r.score_grade, lang),
            "grade": grade,
            "evaluated": r.evaluated,
            "notes": " ".join([*([leave] if leave else []), *refs]),
            "is_head": summary.head is not None and row.staff.id == summary.head.id,
        })  # fmt: skip
    show_levels = any(r["self"] or r["manager"] or r["competent"] for r in rows)
    counts = summary.grade_counts()
    n_listed = len(summary.rows)
    n_graded = sum(counts.values())
    not_eval = summary.not_evaluated()
    not_classified = n_listed - n_graded - not_eval
    # the shares of the graded; the quota's grade of the quota's own base, as the overview
    # (where everyone at that grade was under the quota: else the sentence says it alone)
    qrules = period_quota(sets.get(summary.quotas[0].rule_set_id or "", rules)
                          if summary.quotas else rules, summary.period)  # fmt: skip
    quota = summary.quota_share()
    qgrade = qrules.quota.grade if quota is not None and qrules.quota is not None else None
    count_rows = [
        {"grade": slashed(grade_text(x, g, lang) for x in sets.values()),
         "count": str(c), "share": _share(c, quota[1], lang) if quota and g == qgrade
         and quota[0] == c else _share(c, n_graded, lang)}
        for g, c in counts.items()
    ]  # fmt: skip
    if not_classified:
        count_rows.append({"grade": keep_together(t["not_classified"]),
                           "count": str(not_classified), "share": ""})  # fmt: skip
    count_rows.append({"grade": keep_together(t["not_evaluated"]), "count": str(not_eval),
                       "share": ""})  # fmt: skip
    share_note = share_basis(qrules, n_graded, quota, classified, lang)
    info = None
    if not classified:
        info = reason_parts(make_reason("band.information", rules,
                                        {"period": str(summary.period)}), lang, rules)
    created = (summary.signed_on or summary.period.end).isoformat()
    title = summary_title(summary, lang)
    unit_name = _unit_name(summary.unit, lang)
    return {
        "lang": lang,
        "t": t,
        "kind": "summary",
        "agency": summary.agency,
        "title": title,
        "doc_title": f"{title} — {unit_name}",
        "docid": f"{unit_name} · {footer_period(summary.period, lang)}",
        "subject": str(summary.period),
        "keywords": f"{summary.unit.id}, {summary.period}",
        "created": created,
        "place_date": place_date(
            summary.agency.place or summary.unit.place, summary.signed_on, lang
        ),
        "unit_name": unit_name,
        "rule_set_title": "; ".join(r.title_en if lang == "en" else r.title_vi
                                    for r in summary.all_rules),
        "classified": classified,
        "info": info,
        "rows": rows,
        # no staff of the unit evaluated: no row (the engine counted none), or every row
        # listed not evaluated (all on leave, or nobody scored; the year: no month worked)
        "nobody": nobody_evaluated(rules, lang) if (summary.nobody_evaluated and not rows) or (
            rows and not any(r["evaluated"] for r in rows)) else "",
        "show_levels": show_levels,
        "n_rows": str(n_listed),
        "count_rows": count_rows,
        "share_note": _glue_labels(share_note, qrules, lang) if n_graded else "",
        "n_total": str(n_listed),
        "notes": notes,
        "quota": _quota_context(summary, lang) if classified else None,
        "facts": _facts_context(summary, lang),
        "sub_units": [{"no": str(i), "name": _unit_name(u, lang), "score": fmt_number(f.score, lang),
                       "grade": grade_text(rules, f.grade, lang) if f.grade is not None else ""}
                      for i, (u, f) in enumerate(summary.sub_units, start=1)],
        "head_name": summary.head.full_name if summary.head else "",
        "head": {"name": summary.head.full_name if summary.head else "",
                 "title": summary.head.title_vi if summary.head else ""},
        "preparer": signature(summary.preparer, lang),
    }  # fmt: skip


def result_grade(rules: RuleSet, r: EvaluationResult, lang: str) -> str:
    """A result's grade as printed: the label (for a period the rule set only scores, the
    band of the score, as information), *Chưa đánh giá* or *Không xếp loại*."""
    t = labels(lang)
    if r.not_classified:
        return keep_together(t["not_classified"])
    if not r.evaluated:
        return keep_together(t["not_evaluated"])
    if not r.classified and r.score_grade is not None:  # the band of the score, as information:
        return grade_text(rules, r.score_grade, lang)  # the year applies the disqualifiers
    return grade_text(rules, r.grade, lang)
