"""Every sheet is a legal document (af97): every reason code of the catalogue, under every
preset, on every kind of document, in Vietnamese and in English.

The situations (:mod:`tests._sheet_audit`) put each code the engine can give under a rule
set on a person's month (or customs quarter) sheet, each roll-up code on a year sheet and
each unit code on the unit's summary; the documents are made by the renderer's doors as
``evalkit render`` and ``evalkit annual`` make them. Read back as a reader sees them:

* every code shows its catalogue sentence and, where its rule has a legal source, the
  short citation right after it;
* a Vietnamese document holds no code, no ``snake_case``, no rule set id, no English word
  (the list of :mod:`tests.test_render_text`), no note of uncertainty, no ``None`` /
  ``nan`` / ``NaT``, no dash left for a missing figure, and its numbers are written the
  Vietnamese way (``87,5``; never ``87.5`` nor ``94,16666``);
* an English document never prints a sentence in Vietnamese where the catalogue has its
  English, and writes its numbers the English way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

pytest.importorskip("weasyprint")

import pandas as pd

from evalkit.reasons import RETIRED, explain, split_codes
from evalkit.render import (
    period_sheets_from_results,
    render_html,
    render_period_html,
    sheets_from_results,
)
from tests._sheet_audit import (
    CAPPED,
    CATALOGUE,
    PERIODS,
    Situation,
    documents,
    html_text,
    sentence,
    situation,
    template_for,
)
from tests.test_render_text import problems

RULE_SETS = (*PERIODS, CAPPED)
#: Notes of uncertainty that belong in a preset's ``note`` (for the docs), never on a sheet.
UNCERTAIN = ("chưa kiểm chứng", "thực tiễn", "chưa xác minh", "chưa chắc chắn", "unverified",
             "practice", "uncertain")  # fmt: skip
#: What a blank cell turns into when it is printed as it is.
BLANKS = re.compile(r"\b(?:None|nan|NaN|NaT|null|<NA>)\b")
#: A figure left out of a sentence (a dash where a number should be), a template hole.
HOLES = re.compile(r"—\s*%|\{\w*\}|\(\s*\)|\s[,;:]\s")
#: A decimal point in Vietnamese (a dot between thousands is followed by three digits).
VI_POINT = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])")
#: A decimal comma in English ("87,5"); thousands ("1,250") have three digits.
EN_COMMA = re.compile(r"(?<![\d,])\d+,\d{1,2}(?![\d,])")
#: More than two decimals: a float printed as it is (94,16666; 94.16666), in each language
#: (a thousands separator, the other one, has three digits and may stand in either).
RAW_FLOAT = {"vi": re.compile(r"\d,\d{3,}"), "en": re.compile(r"\d\.\d{3,}")}


@cache
def _situation(rule_set_id: str) -> Situation:
    return situation(rule_set_id)


@cache
def _documents(rule_set_id: str, lang: str) -> tuple[tuple[str, str, str], ...]:
    """``(kind, id, text)`` of every document of the rule set's situation in ``lang``."""
    return tuple((kind, ident, html_text(h)) for kind, ident, _obj, h in
                 documents(_situation(rule_set_id), lang))  # fmt: skip


def _rows(s: Situation, kind: str) -> Iterator[tuple[str, dict[str, object], tuple[str, ...]]]:
    frame = s.months if kind == "month" else s.year if kind == "year" else s.units
    key = "unit_id" if kind == "summary" else "staff_id"
    codes = s.codes["months" if kind == "month" else kind if kind == "year" else "units"]
    for rec in frame.to_dict(orient="records"):
        yield str(rec[key]), rec, codes[str(rec[key])]


def test_the_situations_emit_every_code_of_the_catalogue() -> None:
    """Each catalogue entry (each family through one of its members) is on some document."""
    said: set[str] = set()
    for rid in RULE_SETS:
        s = _situation(rid)
        for c in (*s.codes["months"].values(), *s.codes["year"].values(),
                  *s.codes["units"].values()):  # fmt: skip
            said |= {template_for(code).code for code in c}
    said |= {"band", "band.none", "band.information", "not_evaluated"} & {
        t.code for t in CATALOGUE}  # derived from each row's total and period: checked below
    assert not RETIRED & said  # never emitted again
    said |= RETIRED  # read back from an earlier version's results: test_retired_codes_explain
    assert [t.code for t in CATALOGUE if t.code not in said] == []


def test_retired_codes_explain() -> None:
    """A year's results written by an earlier version (``rollup.maternity`` / ``rollup.sick``
    beside ``rollup.leave``) still explain, in both languages, with the months rule's
    citation — the leave clause, Điều 14 k2 (af166) — : a file read back never fails on a
    code this version no longer emits."""
    df = pd.DataFrame({"rule_set": ["vn.nd233-2026"] * 2, "period": ["2026"] * 2,
                       "total": [88.0, 91.0], "reasons": ["rollup.maternity", "rollup.sick"]})
    vi, en = explain(df), explain(df, lang="en")
    assert [s[-1] for s in vi] == [
        "Nghỉ thai sản: xếp loại theo thời gian làm việc thực tế (NĐ 233/2026/NĐ-CP, Điều 14 k2)",
        "Nghỉ ốm theo quy định của pháp luật về bảo hiểm xã hội: xếp loại theo thời gian làm việc "
        "thực tế (NĐ 233/2026/NĐ-CP, Điều 14 k2)"]
    assert en[0][-1].startswith("Maternity leave: classified on the time actually worked")


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("rule_set_id", RULE_SETS)
def test_every_reason_shows_its_sentence_and_its_citation(rule_set_id: str, lang: str) -> None:
    """The month's, the year's and the unit's codes, each on its own document: its
    sentence, then its citation in brackets where the rule has a legal source."""
    s = _situation(rule_set_id)
    docs = {(kind, ident): text for kind, ident, text in _documents(rule_set_id, lang)}
    missing = []
    for kind, doc in (("month", "month"), ("year", "year"), ("summary", "summary")):
        for ident, rec, codes in _rows(s, kind):
            text = docs[(doc, ident)]
            # a person's: with the band (or not evaluated) the figures give
            for code in (codes if kind == "summary" else _shown(s, rec)):
                msg, src = sentence(code, s.rules, rec, lang)
                said = f"{msg} ({src})" if src else msg
                if said not in text:
                    missing.append((kind, ident, code, said))
    assert missing == []


def _shown(s: Situation, rec: dict[str, object]) -> tuple[str, ...]:
    """The codes a person's sheet shows: the row's, with the band its total falls in (or
    ``band.none``, ``not_evaluated``, ``band.information``) where no code decides it."""
    from evalkit.reasons import make_reasons

    shown = tuple(r.code for r in make_reasons(rec["reasons"], s.rules, rec))
    assert set(split_codes(rec["reasons"])) <= set(shown)  # every code of the row
    return shown


def test_the_derived_codes_are_on_the_sheets() -> None:
    """A total in no band, a person nobody scored and a month the set does not classify
    give ``band.none``, ``not_evaluated`` and ``band.information`` (their sentences are
    checked with the rest)."""
    s = _situation("vn.nd335-2025")
    derived = {c for _i, rec, _c in _rows(s, "month") for c in _shown(s, rec)}
    assert {"band", "band.none", "band.information", "not_evaluated"} <= derived


@pytest.mark.parametrize("rule_set_id", RULE_SETS)
def test_a_vietnamese_document_is_vietnamese_sentences_with_citations(rule_set_id: str) -> None:
    """No code, identifier, English word, note of uncertainty, blank printed as a word,
    hole in a sentence, decimal point or raw float on any Vietnamese document."""
    s = _situation(rule_set_id)
    codes = {c for rows in s.codes.values() for cs in rows.values() for c in cs}
    found = {}
    for kind, ident, text in _documents(rule_set_id, "vi"):
        bad = problems(text)
        bad += [c for c in codes if re.search(rf"(?<![\w.]){re.escape(c)}(?![\w.])", text)]
        bad += [w for w in UNCERTAIN if w in text.lower()]
        bad += BLANKS.findall(text) + HOLES.findall(text)
        bad += VI_POINT.findall(text) + RAW_FLOAT["vi"].findall(text)
        if bad:
            found[(kind, ident)] = sorted(set(bad))
    assert found == {}


@pytest.mark.parametrize("rule_set_id", RULE_SETS)
def test_an_english_document_speaks_english_where_the_catalogue_does(rule_set_id: str) -> None:
    """No reason sentence left in Vietnamese, no blank printed as a word, no hole, no
    decimal comma, no raw float on any English document (names, units, the competent
    level's written reason and the citations stay as written)."""
    s = _situation(rule_set_id)
    vi = set()
    for kind in ("month", "year", "summary"):
        for _ident, rec, codes in _rows(s, kind):
            vi |= {sentence(c, s.rules, rec, "vi")[0] for c in codes}
    found = {}
    for kind, ident, text in _documents(rule_set_id, "en"):
        bad = [v for v in vi if v in text]
        bad += BLANKS.findall(text) + HOLES.findall(text)
        bad += EN_COMMA.findall(text) + RAW_FLOAT["en"].findall(text)
        bad += [w for w in UNCERTAIN if w in text.lower()]
        if bad:
            found[(kind, ident)] = sorted(set(bad))
    assert found == {}


def test_the_checks_find_what_they_look_for() -> None:
    """The checks themselves: each finds the fault it names."""
    assert BLANKS.findall("Tổng điểm None, nan") == ["None", "nan"]
    assert HOLES.findall("chưa đạt —% để xếp") and HOLES.findall("Kết quả : 85")
    assert VI_POINT.findall("Tổng điểm 87.5") == ["87.5"] and not VI_POINT.findall("1.250")
    assert EN_COMMA.findall("Total 87,5") == ["87,5"] and not EN_COMMA.findall("1,250")
    assert RAW_FLOAT["vi"].findall("94,16666") and not RAW_FLOAT["vi"].findall("1.250 người")
    assert RAW_FLOAT["en"].findall("94.16666") and not RAW_FLOAT["en"].findall("1,250 people")
    assert "quota.demoted" in problems("• quota.demoted")


def test_the_pdf_of_the_richest_sheets_reads_as_the_html(tmp_path: Path) -> None:
    """The richest person's month and year sheets as PDF, read back with pdftotext (what
    a reader copies): the Vietnamese checks hold on the laid-out text too."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from evalkit.render import render_pdf, render_period_pdf

    s = _situation("vn.nd335-2025")
    for kind, ident, obj, _h in documents(s, "vi"):
        if ident != "CC-000" or kind not in ("month", "year"):
            continue
        pdf = tmp_path / f"{kind}.pdf"
        pdf.write_bytes(render_pdf(obj) if kind == "month" else render_period_pdf(obj))
        out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                             text=True, check=True).stdout  # fmt: skip
        text = " ".join(out.split())
        assert problems(text) == [], kind
        assert BLANKS.findall(text) == [] and VI_POINT.findall(text) == [], kind
        assert "NĐ 335/2025/NĐ-CP, Điều 20 k5 a" in text, kind  # the quota's citation


@pytest.mark.parametrize(("rule_set_id", "words"), [
    ("vn.nd233-2026", "VIÊN CHỨC"), ("vn.nd90-2020", "VIÊN CHỨC"), ("vn.qd366-2025", "CÁN BỘ"),
    ("vn.nd335-2025", "CÔNG CHỨC"), ("hanoi.3814-2018", "CÔNG CHỨC")])  # fmt: skip
def test_a_frame_without_a_category_is_titled_by_its_rule_sets_category(
    rule_set_id: str, words: str
) -> None:
    """af97: a viên chức's results without a ``category`` column (a frame scored without
    one, no organisation given) printed "PHIẾU … CÔNG CHỨC THÁNG 08/2026" under NĐ 233;
    the title now names the rule set's own category (several: công chức)."""
    s = _situation(rule_set_id)
    month, year = s.months.iloc[:1], s.year.iloc[:1]
    assert "category" not in month.columns
    [sheet] = sheets_from_results(month)
    [annual] = period_sheets_from_results(year, month)
    assert f" {words} THÁNG 03/2026" in html_text(render_html(sheet)).replace("08/", "03/")
    assert f"CHẤT LƯỢNG {words} NĂM" in html_text(render_period_html(annual))


def test_the_overview_is_signed_by_the_summaries_preparer() -> None:
    """af97: the overview's *người lập biểu* block was empty although every unit summary
    named its preparer (``signatories["preparer"]``); it now carries the same name."""
    s = _situation("vn.nd335-2025")
    [(_k, _i, ov, vi)] = [d for d in documents(s, "vi") if d[0] == "overview"]
    assert ov.preparer is not None and ov.preparer.name == "Lê Thị Mai"
    text = html_text(vi)
    assert "NGƯỜI LẬP BIỂU Chuyên viên (Ký, ghi rõ họ tên) Lê Thị Mai" in text


def test_a_long_unit_reason_wraps_after_its_unit_name_not_inside_it() -> None:
    """af97: in the overview's unit reasons, a sentence naming two grades (their words
    kept together by non-breaking spaces) made WeasyPrint break the line after the first
    word of the item: "• Phòng" alone, then "Tổ chức cán bộ: Có đơn vị trực thuộc …".
    Grade labels are now kept together by a ``nowrap`` span (autoescaped text around it)."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from evalkit.render import render_overview

    s = _situation(CAPPED)
    [ov] = [obj for kind, _i, obj, _h in documents(s, "vi") if kind == "overview"]
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=render_overview(ov),
                         capture_output=True, check=True).stdout.decode()  # fmt: skip
    lines = [" ".join(line.split()) for line in out.splitlines()]
    items = [line for line in lines if line.startswith("• ")]
    assert "• Phòng" not in items
    assert any(line.startswith("• Phòng Tổ chức cán bộ: Có đơn vị trực thuộc xếp loại")
               for line in items)  # fmt: skip


def test_grade_labels_are_kept_together_by_markup_with_the_text_escaped() -> None:
    """The sentence's own characters are escaped; only the spans are markup."""
    import evalkit.rules
    from evalkit.render._format import glued_markup

    rs = evalkit.rules.get("vn.nd335-2025")
    out = str(glued_markup("<script> xếp Không hoàn thành nhiệm vụ & Hoàn thành nhiệm vụ", rs,
                           "vi"))  # fmt: skip
    assert out == ('&lt;script&gt; xếp <span class="nowrap">Không hoàn thành nhiệm vụ</span> '
                   '&amp; <span class="nowrap">Hoàn thành nhiệm vụ</span>')


#: Each kind of document's signature blocks, as the reader sees them: role, title, hint,
#: name (the richest situation names everyone who signs).
SIGNED = {
    "month": ("NGƯỜI TỰ ĐÁNH GIÁ (Ký, ghi rõ họ tên) Trần Thị Hoa 0 LÃNH ĐẠO TRỰC TIẾP "
              "Trưởng phòng (Ký, ghi rõ họ tên) Nguyễn Thị Thanh CẤP CÓ THẨM QUYỀN Giám đốc Sở "
              "(Ký tên, đóng dấu) Nguyễn Văn Hùng"),
    "summary": ("NGƯỜI LẬP BIỂU Chuyên viên (Ký, ghi rõ họ tên) Lê Thị Mai THỦ TRƯỞNG ĐƠN VỊ "
                "(Ký tên, đóng dấu) Nguyễn Thị Thanh"),
    "overview": ("NGƯỜI LẬP BIỂU Chuyên viên (Ký, ghi rõ họ tên) Lê Thị Mai THỦ TRƯỞNG CƠ QUAN "
                 "(Ký tên, đóng dấu) Nguyễn Thị Thanh"),
}  # fmt: skip
SIGNED["year"] = SIGNED["month"]
SIGNED["year-summary"] = SIGNED["summary"]


@pytest.mark.parametrize("rule_set_id", RULE_SETS)
def test_no_signature_block_is_left_empty(rule_set_id: str) -> None:
    """Every signature block of the richest documents carries its signer's name (and
    title where one is known): the person, the direct manager and the competent level;
    the preparer and the head."""
    texts = {kind: text for kind, ident, text in _documents(rule_set_id, "vi")
             if ident in ("CC-000", "P-TC") or kind == "overview"}  # fmt: skip
    assert {k: SIGNED[k] in texts[k] for k in SIGNED} == dict.fromkeys(SIGNED, True)
