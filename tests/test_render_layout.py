"""Layout of the printed documents (issue 15 point 3): a sheet of every preset's largest
position fits one A4 page; long documents break only between whole blocks and the
signatures never stand alone on a page; grade labels never wrap mid-phrase."""

from __future__ import annotations

import datetime
import html as htmlmod
import io
import re

import attrs
import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

import evalkit  # noqa: E402
import evalkit.rules  # noqa: E402
from evalkit import Assessment, EvaluationResult, Grade, Period, Position, Staff, Unit  # noqa: E402
from evalkit.reasons import make_reasons  # noqa: E402
from evalkit.render import (  # noqa: E402
    Agency,
    OrganisationOverview,
    OverviewRow,
    PeriodSheet,
    PublicationList,
    QuotaFigures,
    Sheet,
    Signatory,
    SummaryRow,
    UnitFacts,
    UnitSummary,
    render_html,
    render_overview,
    render_overview_html,
    render_pdf,
    render_period_html,
    render_period_pdf,
    render_publication,
    render_publication_html,
    render_unit_summary,
    render_unit_summary_html,
)

AGENCY = Agency("Sở Nội vụ", governing_body="Ủy ban nhân dân tỉnh Sông Lam", place="Lam Giang")
UNIT = Unit("P", "Phòng Xây dựng chính quyền và Công tác thanh niên", head_id="H")
HEAD_POSITION = Position("TP", "Trưởng phòng", manages_others=True)
HEAD = Staff("H", "Nguyễn Thị Phương Thảo", "TP", "P", manages_others=True,
             title_vi="Trưởng phòng")  # fmt: skip
#: A full comment: about two lines in a half-width block.
FULL = ("Chủ trì tham mưu sắp xếp đơn vị hành chính cấp xã; chỉ đạo phòng hoàn thành "
        "kế hoạch công tác tháng đúng tiến độ, bảo đảm chất lượng.")  # fmt: skip
#: An overlong comment, to see how the sheet breaks.
LONG = FULL + (" Phối hợp tốt với các phòng, đơn vị thuộc Sở; còn một số văn bản phải chỉnh "
               "sửa về thể thức và nội dung, cần rút kinh nghiệm trong các tháng tiếp theo; "
               "đề nghị tăng cường kiểm tra, đôn đốc.") * 2  # fmt: skip
PRESETS = sorted(evalkit.rules.default_registry().ids())


def pages_of(data: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def largest_sheet(rule_set_id: str, comment: str = FULL) -> Sheet:
    """A head of unit under ``rule_set_id``: every criterion the set has for a leader, at
    all three levels, counted errors, a discipline (a disqualifier reason) and long words."""
    rs = evalkit.rules.get(rule_set_id)
    top = rs.full_marks(True)
    counted = {c.id: 1.0 for c in rs.criteria() if c.unit == "count"}
    period = "2026-Q3" if rs.period == "quarter" else "2026-03"
    a = Assessment("H", period, self_scores={**top, **counted},
                   manager_scores={**top, **counted}, competent_scores={**top, **counted},
                   self_comment=comment, manager_comment=comment, competent_comment=comment,
                   proposed_grade="HTXS", manager_grade="HTT", discipline=1)  # fmt: skip
    r = evalkit.score(a, staff=HEAD, rules=rs, position=HEAD_POSITION, is_head=True, force=True)
    return Sheet(HEAD, HEAD_POSITION, UNIT, a, r, rs, AGENCY,
                 signed_on=datetime.date(2026, 4, 2),
                 manager=Signatory("Phạm Quốc Huy", "Phó Giám đốc Sở"),
                 approver=Signatory("Lê Văn Thành", "Giám đốc Sở"))  # fmt: skip


@pytest.mark.parametrize("rule_set_id", PRESETS)
def test_the_largest_positions_sheet_is_one_a4_page(rule_set_id: str) -> None:
    """A head of unit's sheet, every criterion scored at three levels, fits one page."""
    sheet = largest_sheet(rule_set_id)
    pages = pages_of(render_pdf(sheet))
    assert len(pages) == 1, f"{rule_set_id}: {len(pages)} pages"
    text = " ".join(pages[0].split())
    assert "Nguyễn Thị Phương Thảo" in text and "Lê Văn Thành" in text


def test_an_overlong_sheet_breaks_between_blocks_and_keeps_the_signatures_company() -> None:
    """Comments of a dozen lines push the sheet over a page: the break falls between whole
    blocks, and the last block (D, the grounds) goes with the signatures."""
    pages = pages_of(render_pdf(largest_sheet("vn.nd335-2025", LONG)))
    assert len(pages) == 2
    last = " ".join(pages[-1].split())
    assert last.startswith("D. CĂN CỨ") or "D. CĂN CỨ" in last
    assert "NGƯỜI TỰ ĐÁNH GIÁ" in last and "Bị kỷ luật từ khiển trách" in last
    assert "NGƯỜI TỰ ĐÁNH GIÁ" not in pages[0]


def _people(n: int, rs: evalkit.RuleSet) -> list[SummaryRow]:
    out = []
    for i in range(n):
        total = 70.0 + (i * 7) % 28
        res = EvaluationResult(f"S{i:02d}", Period.parse("2026"), rs.id, total,
                               rs.band_for(total).grade, rs.band_for(total).grade,
                               reasons=make_reasons("rollup.average", rs,
                                                    {"total": total, "months": 12,
                                                     "period": "2026"}))  # fmt: skip
        out.append(SummaryRow(Staff(f"S{i:02d}", f"Người thứ {i}", "CV", "P"), res,
                              Position("CV", "Chuyên viên")))  # fmt: skip
    return out


@pytest.mark.parametrize("n", [12, 24, 45])
def test_a_long_unit_summary_never_leaves_the_signatures_alone(n: int) -> None:
    """However long the list, the counts, the quota, the unit's result and the signatures
    travel together: the page with the signatures also holds the counts table."""
    rs = evalkit.rules.get("vn.nd335-2025")
    summary = UnitSummary(UNIT, "2026", rs, AGENCY, _people(n, rs),
                          facts=UnitFacts(Grade.HTT, 86.5, 90.31, 94.0, 86.5),
                          quota=QuotaFigures(20.0, 20, 4, 6, 2),
                          preparer=Signatory("Dương Thị Thanh Hương", "Chuyên viên chính"))
    pages = pages_of(render_unit_summary(summary))
    with_sigs = [p for p in pages if "NGƯỜI LẬP BIỂU" in p]
    assert len(with_sigs) == 1
    page = " ".join(with_sigs[0].split())
    assert "Số lượng theo mức xếp loại" in page and "Hội đồng thẩm định chấm" in page
    assert "Người thứ" in " ".join(pages[-1].split()) or len(pages) == 1 or n < 40
    if n <= 12:
        assert len(pages) == 1


GRADE_LABELS = sorted({evalkit.rules.get(i).grade_label(g) for i in PRESETS for g in Grade},
                      key=len, reverse=True)  # fmt: skip


def _body(html: str) -> str:
    return html.split("<body", 1)[1]


def _breakable(html: str) -> list[str]:
    """Grade labels printed with ordinary (breakable) spaces, outside a ``nowrap`` span (a
    sentence's labels are kept together by one, af97)."""
    body = re.sub(r'<span class="nowrap">[^<]*</span>', "", _body(html))
    return [label for label in GRADE_LABELS if " " in label and label in body]


def test_grade_labels_never_wrap_mid_phrase() -> None:
    """Every grade label, in a cell, a line or a sentence of the catalogue, is joined by
    non-breaking spaces (or nowrap): no document offers a break inside it."""
    sheet = largest_sheet("vn.nd335-2025")
    rs = sheet.rules
    rows = _people(8, rs)
    summary = UnitSummary(UNIT, "2026", rs, AGENCY, rows, facts=UnitFacts(Grade.HTT, 86.5),
                          quota=QuotaFigures(20.0, 5, 1, 2, 1))  # fmt: skip
    ov = OrganisationOverview(AGENCY, rs, "2026", [OverviewRow(UNIT, {"HTT": 3, "HTXS": 1},
                                                               unit_grade=Grade.HTT)])
    html = {
        "sheet": render_html(sheet),
        "summary": render_unit_summary_html(summary),
        "overview": render_overview_html(ov),
        "publication": render_publication_html(PublicationList.from_summary(summary)),
        "hanoi": render_html(largest_sheet("hanoi.3814-2018")),
    }
    assert {k: _breakable(v) for k, v in html.items()} == {k: [] for k in html}
    assert "Hoàn\u00a0thành\u00a0xuất\u00a0sắc\u00a0nhiệm\u00a0vụ" in _body(html["summary"])


def test_the_extracted_text_never_splits_a_grade_label_over_two_lines() -> None:
    """The PDF itself: no line ends inside a grade label."""
    rs = evalkit.rules.get("vn.nd335-2025")
    summary = UnitSummary(UNIT, "2026", rs, AGENCY, _people(30, rs))
    text = "\n".join(pages_of(render_unit_summary(summary))).replace("\u00a0", " ")
    text = re.sub(r"[ \t]+", " ", text)
    for label in GRADE_LABELS:
        words = label.split(" ")
        for k in range(1, len(words)):
            split = " ".join(words[:k]) + "\n" + " ".join(words[k:])
            assert split not in text, label


@pytest.mark.parametrize("period", ["2026-03", "2026-Q3", "2026"])
def test_a_title_never_parts_the_period_word_from_its_number(period: str) -> None:
    """A long title wraps before "THÁNG 03/2026", "QUÝ 3/2026", "NĂM 2026" (and the English
    "MARCH 2026"), never between the word and its number: the publication list's title, the
    longest, once printed "… CHẤT LƯỢNG NĂM" over "2026" (af97)."""
    from evalkit.render._view import footer_period, period_words

    p = Period.parse(period)
    for lang in ("vi", "en"):
        words = period_words(p, lang)
        assert " " not in words and ("\u00a0" in words or words == "2026"), (lang, words)
        assert "\u00a0" not in footer_period(p, lang)
    rs = evalkit.rules.get("vn.nd335-2025")
    people = [attrs.evolve(r, result=attrs.evolve(r.result, period=p)) for r in _people(4, rs)]
    summary = UnitSummary(UNIT, period, rs, AGENCY, people)
    words = period_words(p, "vi")
    for html in (render_publication_html(PublicationList.from_summary(summary)),
                 render_unit_summary_html(summary)):
        (title,) = re.findall(r"<h1>(.*?)</h1>", html, re.S)
        assert title.replace("&nbsp;", "\u00a0").endswith(words), title


def _annual_sheet() -> PeriodSheet:
    """A head's year under NĐ 335/2025: twelve months at 97,64 (band HTXS), the year capped at
    HTT, so the roll-up line carries the three pairs and the grade words of the band."""
    rs = evalkit.rules.get("vn.nd335-2025")
    months = [EvaluationResult("H", Period.parse(f"2026-{m:02d}"), rs.id, 97.64, Grade.HTXS,
                               Grade.HTXS, classified=False) for m in range(1, 13)]  # fmt: skip
    year = EvaluationResult("H", Period.parse("2026"), rs.id, 97.64, Grade.HTXS, Grade.HTT,
                            reasons=make_reasons("rollup.average", rs,
                                                 {"total": 97.64, "months": 12,
                                                  "period": "2026"}))  # fmt: skip
    return PeriodSheet(HEAD, HEAD_POSITION, UNIT, "2026", months, rs, AGENCY, result=year,
                       self_comment=FULL, proposed_grade="HTXS", manager_comment=FULL,
                       manager_grade="HTT", comment=FULL,
                       manager=Signatory("Phạm Quốc Huy", "Phó Giám đốc Sở"),
                       approver=Signatory("Lê Văn Thành", "Giám đốc Sở"))  # fmt: skip


def _lines_ending_with_a_colon(data: bytes) -> list[str]:
    lines = "\n".join(pages_of(data)).replace("\u00a0", " ").splitlines()
    return [ln for ln in (x.strip() for x in lines) if ln.endswith(":")]


def test_no_line_ends_with_a_labels_colon() -> None:
    """A label and its value stay on one line on every document (af107): the annual sheet's
    "… · Mức theo điểm:" once ended a line with the grade's words alone on the next; the
    publication list's "… · Xếp loại của đơn vị:" and the overview's key "KHT:" too. A
    run of "Label: value · Label: value" breaks only between pairs."""
    rs = evalkit.rules.get("vn.nd335-2025")
    summary = UnitSummary(UNIT, "2026", rs, AGENCY, _people(8, rs),
                          facts=UnitFacts(Grade.HTXS, 100.0),
                          quota=QuotaFigures(20.0, 8, 1, 2, 1),
                          head=HEAD)  # fmt: skip
    ov = OrganisationOverview(AGENCY, rs, "2026",
                              [OverviewRow(UNIT, {"HTXS": 1, "HTT": 5, "HT": 1, "KHT": 1},
                                           unit_grade=Grade.HTT)])  # fmt: skip
    docs = {
        "annual": render_period_pdf(_annual_sheet()),
        "month": render_pdf(largest_sheet("vn.nd335-2025")),
        "hanoi": render_pdf(largest_sheet("hanoi.3814-2018")),
        "summary": render_unit_summary(summary),
        "publication": render_publication(PublicationList.from_summary(summary)),
        "overview": render_overview(ov),
    }
    assert {k: _lines_ending_with_a_colon(v) for k, v in docs.items()} == {k: [] for k in docs}


#: A joiner of a line's items ("·") or of titles (" / ") offered a break after it: the
#: joiner followed, after any non-breaking spaces, by an ordinary (breakable) space.
_HANGING = re.compile("[·/]\u00a0*[ \t\r\n]")


def _joiners_that_may_hang(html: str) -> list[str]:
    """The joiners of ``html``'s printed text a line may end with (the footer's words, a
    margin box of their own, are left out)."""
    body = re.sub(r'<p class="docid">.*?</p>', "", _body(html), flags=re.S)
    text = htmlmod.unescape(re.sub(r"<[^>]+>", "", body))
    return [text[max(m.start() - 30, 0):m.end() + 10] for m in _HANGING.finditer(text)]


def _line_docs() -> tuple[UnitSummary, OrganisationOverview, Sheet]:
    """A unit summary whose people hold a chức vụ and a position (" / "), an overview and a
    sheet whose position title ends its line just before the separator (the bundled fonts
    lay it out the same everywhere)."""
    rs = evalkit.rules.get("vn.nd335-2025")
    people = [attrs.evolve(r, staff=attrs.evolve(r.staff, title_vi="Phó Trưởng phòng"))
              for r in _people(8, rs)]  # fmt: skip
    summary = UnitSummary(UNIT, "2026", rs, AGENCY, people, facts=UnitFacts(Grade.HTXS, 100.0),
                          quota=QuotaFigures(20.0, 8, 1, 2, 1), head=HEAD)  # fmt: skip
    ov = OrganisationOverview(AGENCY, rs, "2026",
                              [OverviewRow(UNIT, {"HTXS": 1, "HTT": 5, "HT": 1, "KHT": 1},
                                           unit_grade=Grade.HTT)])  # fmt: skip
    title = ("Chuyên viên chính phụ trách công tác tổ chức bộ máy biên chế và cải cách "
             "hành chính")  # fmt: skip
    sheet = largest_sheet("vn.nd335-2025")
    sheet = attrs.evolve(sheet, position=attrs.evolve(HEAD_POSITION, title_vi=title))
    return summary, ov, sheet


def test_a_separator_is_bound_to_the_item_after_it() -> None:
    """Every "·" between a line's items, and every " / " between titles, is followed by
    non-breaking spaces: a line may break before it, never after it (af143)."""
    summary, ov, sheet = _line_docs()
    html = {
        "month": render_html(sheet),
        "month_en": render_html(sheet, lang="en"),
        "annual": render_period_html(_annual_sheet()),
        "hanoi": render_html(largest_sheet("hanoi.3814-2018")),
        "summary": render_unit_summary_html(summary),
        "overview": render_overview_html(ov),
        "publication": render_publication_html(PublicationList.from_summary(summary)),
    }
    assert {k: _joiners_that_may_hang(v) for k, v in html.items()} == {k: [] for k in html}
    assert "Phó Trưởng phòng /\u00a0Chuyên viên" in htmlmod.unescape(html["summary"])
    assert "·" in htmlmod.unescape(_body(html["month"]))


def _lines_ending_with_a_joiner(data: bytes) -> list[str]:
    lines = "\n".join(pages_of(data)).replace("\u00a0", " ").splitlines()
    return [ln for ln in (x.strip() for x in lines) if ln.endswith(("·", "/"))]


def test_no_line_of_a_pdf_ends_with_a_separator() -> None:
    """The PDFs themselves: a monitored month's "Tổng điểm được công nhận: 94,17 ·" once
    ended its line with the dot, the band's words on the next; a long position title left
    "· " at the end of the identity line (af143)."""
    summary, ov, sheet = _line_docs()
    docs = {
        "month": render_pdf(sheet),
        "annual": render_period_pdf(_annual_sheet()),
        "summary": render_unit_summary(summary),
        "publication": render_publication(PublicationList.from_summary(summary)),
        "overview": render_overview(ov),
    }
    assert {k: _lines_ending_with_a_joiner(v) for k, v in docs.items()} == {k: [] for k in docs}


def test_the_basis_line_never_breaks_inside_a_documents_number() -> None:
    """The "Căn cứ" line of every document keeps the rule set's citation on one line: Hà
    Nội's sheet printed "(QĐ 3814-" at the end of a line and "QĐ/TU)" on the next (af143)."""
    sheet = largest_sheet("hanoi.3814-2018")
    rs = sheet.rules
    summary = UnitSummary(UNIT, "2026-03", rs, AGENCY, [attrs.evolve(
        r, result=attrs.evolve(r.result, period=Period.parse("2026-03"))) for r in _people(3, rs)])
    ov = OrganisationOverview(AGENCY, rs, "2026-03", [OverviewRow(UNIT, {"HTXS": 1, "HTT": 2})])
    docs = {"month": render_pdf(sheet), "summary": render_unit_summary(summary),
            "overview": render_overview(ov)}  # fmt: skip
    cite = "(QĐ 3814-QĐ/TU)"
    for name, data in docs.items():
        lines = [" ".join(ln.split()) for ln in "\n".join(pages_of(data)).splitlines()]
        basis = [i for i, ln in enumerate(lines) if ln.startswith("Căn cứ")]
        assert basis, name
        assert cite in lines[basis[0]] + " " + lines[basis[0] + 1], name
        assert not any(ln.endswith("3814-") for ln in lines), name
