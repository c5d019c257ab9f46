"""The publication list: what an agency posts for the conference or the notice board.

Per unit and period (seed 004: "hội nghị công bố rộng rãi kết quả đánh giá"): every
person's name, position and grade — and, where the agency chooses, the score — and the
unit's own result. Nothing else: no comment, no reason, no staff id, no other personal
data. As PDF (:func:`render_publication`) and as a table (:func:`publication_frame`) that
:func:`evalkit.io.results.write_table_csv` writes as a formula-safe CSV (render formats,
io writes files of data).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from typing import Any

import attrs

from evalkit.model import Grade, Period, Staff, Unit
from evalkit.render import _env
from evalkit.render._api import _html
from evalkit.render._format import check_lang, fmt_number, keep_together, labels, slashed
from evalkit.render._model import Agency, UnitFacts, UnitSummary
from evalkit.render._view import (
    footer_period,
    grade_text,
    nobody_evaluated,
    period_words,
    place_date,
)
from evalkit.rules import RuleSet

__all__ = [
    "PUBLICATION_LABELS",
    "PublicationList",
    "PublicationRow",
    "publication_context",
    "publication_frame",
    "render_publication",
    "render_publication_html",
]

PUBLICATION_TEMPLATE = "publication.html.j2"

PUBLICATION_LABELS = {
    "vi": {
        "pub_title": "DANH SÁCH CÔNG KHAI KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
        "pub_monitoring_title": "DANH SÁCH CÔNG KHAI KẾT QUẢ THEO DÕI, ĐÁNH GIÁ",
        "col_score": "Điểm",
    },
    "en": {
        "pub_title": "PUBLISHED RESULTS OF QUALITY EVALUATION AND GRADING",
        "pub_monitoring_title": "PUBLISHED RESULTS OF MONITORING AND EVALUATION",
        "col_score": "Score",
    },
}


@attrs.frozen(slots=True)
class PublicationRow:
    """One person on the list: name, position words, grade and score (None: not evaluated);
    ``position_en`` the position words of an English list (the position's ``title_en``)."""

    name: str
    position: str
    grade: Grade | None
    total: float | None
    evaluated: bool = True
    position_en: str = ""

    def words(self, lang: str) -> str:
        """The position words in ``lang`` (English where known)."""
        return (self.position_en or self.position) if lang == "en" else self.position


def _rows(value: Iterable[PublicationRow]) -> tuple[PublicationRow, ...]:
    return tuple(value)


def _period(value: object) -> Period:
    return Period.parse(value)


@attrs.frozen(slots=True)
class PublicationList:
    """A unit's published results for one period (see the module doc).

    ``scores`` prints each person's score as well (an agency's choice). Build it from a
    :class:`UnitSummary` with :meth:`from_summary`.

    >>> import evalkit.rules
    >>> pub = PublicationList(Unit("U1", "Phòng A"), "2026", evalkit.rules.get("vn.nd335-2025"),
    ...                       Agency("Sở Nội vụ"), [PublicationRow("Trần Thị Hoa", "Chuyên viên",
    ...                                                             Grade.HTT, 84.5)])
    >>> publication_frame(pub).columns.tolist()
    ['TT', 'Họ và tên', 'Chức vụ / vị trí việc làm', 'Xếp loại']
    """

    unit: Unit
    period: Period = attrs.field(converter=_period)
    rules: RuleSet
    agency: Agency
    rows: tuple[PublicationRow, ...] = attrs.field(converter=_rows)
    facts: UnitFacts | None = None
    head: Staff | None = None
    signed_on: datetime.date | None = None
    scores: bool = False
    classified: bool = True
    nobody_evaluated: bool = False

    @classmethod
    def from_summary(cls, summary: UnitSummary, *, scores: bool = False) -> PublicationList:
        """The list of a unit summary's people and the unit's own result (nothing else)."""
        rows = []
        for r in summary.rows:
            titles = [r.position.title(x) if r.position else "" for x in ("vi", "en")]
            vi, en = (slashed((r.staff.title_vi, t))
                      for t in titles)  # the unit summary's words, in each language
            rows.append(PublicationRow(r.staff.full_name, vi, r.result.grade, r.result.total,
                                       r.result.evaluated or r.result.not_classified, en))  # fmt: skip
        return cls(summary.unit, summary.period, summary.rules, summary.agency, rows,
                   facts=summary.facts, head=summary.head, signed_on=summary.signed_on,
                   scores=scores, classified=summary.classified,
                   nobody_evaluated=summary.nobody_evaluated)  # fmt: skip


def _labels(lang: str) -> dict[str, str]:
    return {**labels(lang), **PUBLICATION_LABELS[lang]}


def _grade_of(pub: PublicationList, row: PublicationRow, lang: str) -> str:
    t = _labels(lang)
    if not row.evaluated:
        return t["not_evaluated"]
    if row.grade is None:
        return t["not_classified"]
    return pub.rules.grade_label(row.grade, lang)


def _title(pub: PublicationList, lang: str) -> str:
    t = _labels(lang)
    head = t["pub_title"] if pub.classified else t["pub_monitoring_title"]
    return f"{head} {period_words(pub.period, lang)}"


def publication_context(pub: PublicationList, lang: str) -> dict[str, Any]:
    """The template context of a publication list (see ``docs/rendering.md``)."""
    t = _labels(lang)
    unit_name = (pub.unit.name_en or pub.unit.name) if lang == "en" else pub.unit.name
    title = _title(pub, lang)
    rows = [{
        "no": str(i), "name": r.name, "position": r.words(lang),
        "total": fmt_number(r.total, lang) if pub.scores else "",
        "grade": keep_together(_grade_of(pub, r, lang)),
    } for i, r in enumerate(pub.rows, start=1)]  # fmt: skip
    unit_lines = []
    f = pub.facts
    if f is not None:
        if f.score is not None:
            unit_lines.append({"label": t["unit_score"], "value": fmt_number(f.score, lang)})
        if f.grade is not None:
            unit_lines.append({"label": t["unit_grade" if f.classified else "unit_band"],
                               "value": grade_text(pub.rules, f.grade, lang)})  # fmt: skip
    created = (pub.signed_on or pub.period.end).isoformat()
    return {
        "lang": lang, "t": t, "kind": "publication", "agency": pub.agency,
        "title": title, "doc_title": f"{title} — {unit_name}",
        "docid": f"{unit_name} · {footer_period(pub.period, lang)}", "subject": str(pub.period),
        "keywords": f"{pub.unit.id}, {pub.period}", "created": created,
        "place_date": place_date(pub.agency.place or pub.unit.place, pub.signed_on, lang),
        "unit_name": unit_name, "rows": rows, "scores": pub.scores,
        "classified": pub.classified, "unit_lines": unit_lines,
        "nobody": nobody_evaluated(pub.rules, lang) if pub.nobody_evaluated and not rows else "",
        "head": {"name": pub.head.full_name if pub.head else "",
                 "title": pub.head.title_vi if pub.head else ""},
    }  # fmt: skip


def render_publication_html(
    pub: PublicationList, *, lang: str = "vi",
    template_dir: str | os.PathLike[str] | None = None,
) -> str:  # fmt: skip
    """The HTML of a publication list (what :func:`render_publication` lays out)."""
    ctx = publication_context(pub, check_lang(lang))
    return _html(PUBLICATION_TEMPLATE, ctx, _env._as_dir(template_dir))


def render_publication(
    pub: PublicationList,
    *,
    lang: str = "vi",
    template_dir: str | os.PathLike[str] | None = None,
    pdf_variant: str | None = None,
    tagged: bool = False,
) -> bytes:
    """A publication list as PDF bytes (A4 portrait, byte-identical for identical input)."""
    html = render_publication_html(pub, lang=lang, template_dir=template_dir)
    return _env.render_document(html, template_dir=_env._as_dir(template_dir),
                                logo=pub.agency.logo, pdf_variant=pdf_variant,
                                tagged=tagged)  # fmt: skip


def publication_frame(pub: PublicationList, lang: str = "vi") -> Any:
    """The list as a table: ``TT``, name, position, (score), grade; the unit's own result
    as the last row. Column names are in ``lang``."""
    import pandas as pd

    check_lang(lang)
    t = _labels(lang)
    cols = [t["col_no"], t["col_name"], t["col_position"]]
    if pub.scores:
        cols.append(t["col_score"])
    cols.append(t["col_grade"])
    data: list[list[str]] = []
    for i, r in enumerate(pub.rows, start=1):
        row = [str(i), r.name, r.words(lang)]
        if pub.scores:
            row.append(fmt_number(r.total, lang))
        row.append(_grade_of(pub, r, lang))
        data.append(row)
    f = pub.facts
    if f is not None and (f.grade is not None or f.score is not None):
        unit_name = (pub.unit.name_en or pub.unit.name) if lang == "en" else pub.unit.name
        row = ["", unit_name, t["unit_result"]]
        if pub.scores:
            row.append(fmt_number(f.score, lang))
        row.append(pub.rules.grade_label(f.grade, lang) if f.grade is not None else "")
        data.append(row)
    return pd.DataFrame(data, columns=cols, dtype=object)
