"""Labels and number and date formats for sheets, in Vietnamese and English.

Numbers use the Vietnamese convention by default: a comma before the decimals and a dot
between thousands (``94,17``; ``1.250``); English uses ``94.17`` and ``1,250``. Dates
follow Nghị định 30/2020/NĐ-CP (Phụ lục I): a day below 10 and the months 1 and 2 are
written with a leading zero (``ngày 05 tháng 02 năm 2026``, ``ngày 31 tháng 3 năm 2026``).

>>> fmt_number(94.1666, "vi"), fmt_number(94.1666, "en"), fmt_number(91.0, "vi")
('94,17', '94.17', '91')
>>> vn_date_words(datetime.date(2026, 3, 5))
'ngày 05 tháng 3 năm 2026'
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from evalkit._words import bool_of, clean
from evalkit.errors import RenderError
from evalkit.model import MONTH_NAMES_EN, Grade, Reason
from evalkit.reasons import fmt_number as _number

if TYPE_CHECKING:
    from evalkit.rules import RuleSet

__all__ = [
    "LABELS",
    "LANGS",
    "check_lang",
    "fmt_number",
    "fmt_typed",
    "grade_cell",
    "keep_together",
    "labels",
    "missing_to_none",
    "reason_line",
    "vn_date_words",
    "yes_cell",
]

#: The languages sheets are written in.
LANGS = ("vi", "en")


def missing_to_none(v: Any) -> Any:
    """``v``, or None where it is a missing cell (None, NaN, ``pd.NA``, ``pd.NaT``)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    import pandas as pd

    return None if v is pd.NA or v is pd.NaT else v


def yes_cell(v: Any, default: bool = False) -> bool:
    """A yes/no cell of a results frame as every door reads it (:mod:`evalkit._words`):
    ``"False"``, ``"không"`` and 0 are no — a results file read back as text holds them —;
    a blank (or a value that is no yes/no) is ``default``.

    >>> yes_cell("False"), yes_cell("x"), yes_cell(None, default=True)
    (False, True, True)
    """
    code, _ = bool_of(missing_to_none(v))
    return default if code < 0 else bool(code)


def grade_cell(v: Any) -> Grade | None:
    """A sheet's grade cell: a missing cell, or text that is blank once cleaned (spaces,
    NBSP, zero-width characters: :func:`evalkit._words.clean`), is none, as every door
    reads a blank cell (a ``self_grade`` typed as one space used to stop the sheets)."""
    v = missing_to_none(v)
    if v is None or (isinstance(v, str) and not clean(v)):
        return None
    return Grade.parse(v)


def check_lang(lang: str) -> str:
    """Return ``lang`` if sheets can be written in it, else raise RenderError."""
    if lang not in LANGS:
        raise RenderError(f"language {lang!r} is not supported; expected one of {LANGS}")
    return lang


def fmt_number(value: float | None, lang: str = "vi", *, decimals: int = 2) -> str:
    """Format ``value`` half-up to at most ``decimals`` places without trailing zeros, as
    the reasons' sentences print it (:func:`evalkit.reasons.fmt_number`, the one format).

    None and NaN give an empty string (a cell nobody filled in).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _number(value, lang, decimals=decimals)


#: The most decimals a typed score is printed with (beyond: the float's own noise).
TYPED_DECIMALS = 6


def typed_places(value: float) -> int:
    """The decimals ``value`` was typed with (its shortest form): ``2.495`` → 3, ``2.5`` → 1.
    A value with more than :data:`TYPED_DECIMALS` was not typed but computed (a share of
    tasks, 3 of 13 = 23.0769…%; ``0.1 + 0.2``): two, the cent every figure is shown to.

    >>> typed_places(2.495), typed_places(10.0), typed_places(0.1 + 0.2), typed_places(300 / 13)
    (3, 0, 2, 2)
    """
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return places if places <= TYPED_DECIMALS else 2


def fmt_typed(value: float | None, lang: str = "vi") -> str:
    """Format a typed score with the decimals it was typed with (two at least, as
    :func:`fmt_number`; :func:`typed_places`): a criterion typed ``2.495`` prints
    ``2,495``, never a rounded ``2,5`` beside the sums it makes.

    >>> fmt_typed(2.495), fmt_typed(2.5), fmt_typed(0.1 + 0.2, "en"), fmt_typed(None)
    ('2,495', '2,5', '0.3', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return fmt_number(value, lang, decimals=max(typed_places(value), 2))


def vn_date_words(day: datetime.date) -> str:
    """``ngày dd tháng m năm yyyy`` as Nghị định 30/2020/NĐ-CP writes dates."""
    d = f"{day.day:02d}" if day.day < 10 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {d} tháng {m} năm {day.year}"


def en_date_words(day: datetime.date) -> str:
    """``5 March 2026``."""
    return f"{day.day} {MONTH_NAMES_EN[day.month - 1]} {day.year}"


def ascii_fold(text: str) -> str:
    """Vietnamese (and other Latin) text without diacritics: ``Đặng Thị Ánh`` → ``Dang Thi Anh``."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_VI: dict[str, str] = {
    "motto_1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto_2": "Độc lập - Tự do - Hạnh phúc",
    "sheet_title": "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
    "monitoring_title": "PHIẾU THEO DÕI, ĐÁNH GIÁ",
    "month": "THÁNG",
    "quarter": "QUÝ",
    "year": "NĂM",
    "full_name": "Họ và tên",
    "position": "Vị trí việc làm",
    "title": "Chức vụ",
    "unit": "Đơn vị công tác",
    "rule_set": "Căn cứ",
    "col_no": "TT",
    "col_criterion": "Nội dung, tiêu chí đánh giá",
    "col_max": "Điểm tối đa",
    "col_self": "Cá nhân tự chấm",
    "col_manager": "Lãnh đạo trực tiếp",
    "col_competent": "Cấp có thẩm quyền",
    "total": "Tổng cộng",
    "applied": "Áp dụng khi tính điểm (căn cứ tại mục D)",
    "applied_amended": "Điều chỉnh sau khi chốt (nội dung tại mục C)",
    "deducted": "Trừ {events} lần × {step}% ({what})",
    "deducted_each": "Trừ {step}% mỗi lần ({what})",
    "kpi_row": "Tỷ lệ hoàn thành nhiệm vụ trên phần mềm theo dõi nhiệm vụ của cơ quan, thay cho {replaced}",
    "kpi_all": "các tiêu chí trên",
    "block_a": "A. CÁ NHÂN TỰ NHẬN XÉT, ĐÁNH GIÁ",
    "block_b": "B. Ý KIẾN CỦA LÃNH ĐẠO TRỰC TIẾP",
    "block_c": "C. KẾT LUẬN CỦA CẤP CÓ THẨM QUYỀN",
    "block_c_monitoring": "C. KẾT QUẢ THEO DÕI, ĐÁNH GIÁ CỦA CẤP CÓ THẨM QUYỀN",
    "block_d": "D. CĂN CỨ",
    "proposed_grade": "Tự xếp loại",
    "proposed_band": "Tự nhận mức",
    "manager_grade": "Đề xuất xếp loại",
    "manager_band": "Đề xuất mức",
    "competent_grade": "Cấp có thẩm quyền kết luận",
    "counting_total": "Tổng điểm được công nhận",
    "score_grade": "Mức theo điểm",
    "info_grade": "Mức tương ứng với điểm (để theo dõi)",
    "final_grade": "Xếp loại chất lượng",
    "amended": "Điều chỉnh sau khi chốt",
    "amended_on": "Ngày điều chỉnh",
    "amended_by": "Người điều chỉnh",
    "amended_why": "Lý do",
    "amended_changes": "Nội dung điều chỉnh",
    "amended_reasons": "Căn cứ xếp loại",
    "amended_note": "Điều chỉnh sau khi chốt ngày {on} ({by}); lý do: {why}",
    "discipline": "Hình thức kỷ luật",
    # the other inputs an amendment may change (evalkit.io.archive.amendable_fields)
    "degradation": "Suy thoái về tư tưởng chính trị, đạo đức, lối sống",
    "corruption_in_unit": "Tham nhũng, lãng phí trong đơn vị mình quản lý",
    "party_discipline": "Kỷ luật Đảng trong năm",
    "discipline_related_to_duty": "Kỷ luật do vi phạm liên quan đến thi hành công vụ",
    "kpi": "Tỷ lệ KPI của phần mềm theo dõi nhiệm vụ",
    "late_files": "Số hồ sơ trễ hẹn",
    "apologies": "Số lần xin lỗi công khai",
    "yes": "Có",
    "no": "Không",
    "not_evaluated": "Chưa đánh giá",
    "not_classified": "Không xếp loại",
    "none": "(không)",
    "sig_self": "NGƯỜI TỰ ĐÁNH GIÁ",
    "sig_manager": "LÃNH ĐẠO TRỰC TIẾP",
    "sig_competent": "CẤP CÓ THẨM QUYỀN",
    "sig_hint": "(Ký, ghi rõ họ tên)",
    "sig_seal": "(Ký tên, đóng dấu)",
    "page": "Trang",
    "date_blank": "ngày …… tháng …… năm ……",
    "name_blank": "……………………………………",
    "leave": "Tháng nghỉ",
    "leave_maternity": "Nghỉ thai sản",
    "leave_sick": "Nghỉ ốm",
    "leave_absent": "Nghỉ theo quy định",
    # unit summary
    "summary_title": "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
    "summary_monitoring_title": "BẢNG TỔNG HỢP KẾT QUẢ THEO DÕI, ĐÁNH GIÁ",
    "col_name": "Họ và tên",
    "col_position": "Chức vụ / vị trí việc làm",
    "col_total": "Tổng điểm",
    "col_grade": "Xếp loại",
    "col_info_grade": "Mức tương ứng (để theo dõi)",
    "col_note": "Ghi chú",
    "notes": "Ghi chú",
    "grade_counts": "Số lượng theo mức xếp loại",
    "band_counts": "Số lượng theo mức tương ứng với điểm",
    "count": "Số người",
    "share": "Tỷ lệ",
    "staff_total": "Tổng số người",
    "no_staff": "Đơn vị không có công chức, viên chức, người lao động của riêng mình; người làm việc tại các đơn vị trực thuộc có trong bảng tổng hợp của từng đơn vị.",
    "nobody_evaluated": "Không có {staff} của đơn vị được đánh giá trong kỳ.",
    "quota": "Tỷ lệ khống chế mức",
    "quota_percent": "Tỷ lệ tối đa",
    "quota_base": "Số người làm căn cứ tính",
    "quota_cap": "Số người tối đa được giữ mức",
    "quota_candidates": "Số người đạt mức theo điểm và điều kiện",
    "quota_demoted": "Số người chuyển xuống mức liền kề",
    "quota_col_group": "Nhóm",
    "quota_col_percent": "Tỷ lệ",
    "quota_col_base": "Căn cứ tính",
    "quota_col_cap": "Tối đa",
    "quota_col_candidates": "Đạt mức",
    "quota_col_demoted": "Chuyển xuống",
    "quota_base_note": "Căn cứ tính: số người xếp loại {grade}",
    "quota_per_group": "Tính riêng cho từng nhóm có nhiệm vụ tương đồng ({n} nhóm); các số là tổng của các nhóm.",
    "quota_raised_exceptional": "Tỷ lệ nâng: đơn vị được cấp có thẩm quyền công nhận đặc biệt xuất sắc.",
    "quota_raised_unit_excellent": "Tỷ lệ nâng: đơn vị được xếp loại {xs}.",
    "quota_raised_top_unit_excellent": "Tỷ lệ nâng: đơn vị sự nghiệp công lập được xếp loại {xs}.",
    "unit_result": "Kết quả của đơn vị",
    "sub_units": "Kết quả của các đơn vị trực thuộc",
    "unit_self": "Đơn vị tự chấm",
    "unit_computed": "Điểm tính theo kết quả thực hiện nhiệm vụ",
    "unit_council": "Hội đồng thẩm định chấm",
    "unit_score": "Điểm được công nhận",
    "unit_grade": "Xếp loại của đơn vị",
    "unit_band": "Mức tương ứng (để theo dõi)",
    "head": "Người đứng đầu",
    "sig_preparer": "NGƯỜI LẬP BIỂU",
    "sig_head": "THỦ TRƯỞNG ĐƠN VỊ",
}

_EN: dict[str, str] = {
    "motto_1": "SOCIALIST REPUBLIC OF VIETNAM",
    "motto_2": "Independence - Freedom - Happiness",
    "sheet_title": "QUALITY EVALUATION AND GRADING SHEET",
    "monitoring_title": "MONITORING AND EVALUATION SHEET",
    "month": "MONTH",
    "quarter": "QUARTER",
    "year": "YEAR",
    "full_name": "Full name",
    "position": "Job position",
    "title": "Title",
    "unit": "Unit",
    "rule_set": "Rules",
    "col_no": "No.",
    "col_criterion": "Criterion",
    "col_max": "Max.",
    "col_self": "Self",
    "col_manager": "Direct manager",
    "col_competent": "Competent level",
    "total": "Total",
    "applied": "Applied in the score (grounds in section D)",
    "applied_amended": "Amended after finalization (see section C)",
    "deducted": "{step}% off per event, {events} counted ({what})",
    "deducted_each": "{step}% off per event ({what})",
    "kpi_row": "Share of tasks done in the agency's task tracker, in place of {replaced}",
    "kpi_all": "the criteria above",
    "block_a": "A. SELF-ASSESSMENT",
    "block_b": "B. DIRECT MANAGER'S OPINION",
    "block_c": "C. CONCLUSION OF THE COMPETENT LEVEL",
    "block_c_monitoring": "C. MONITORING RESULT OF THE COMPETENT LEVEL",
    "block_d": "D. GROUNDS",
    "proposed_grade": "Proposed grade",
    "proposed_band": "Self-assessed band",
    "manager_grade": "Recommended grade",
    "manager_band": "Recommended band",
    "competent_grade": "Concluded by the competent level",
    "counting_total": "Total that counts",
    "score_grade": "Grade by score",
    "info_grade": "Band of the score (for monitoring)",
    "final_grade": "Final grade",
    "amended": "Amended after finalization",
    "amended_on": "Amended on",
    "amended_by": "Amended by",
    "amended_why": "Reason",
    "amended_changes": "Changes",
    "amended_reasons": "Grounds",
    "amended_note": "Amended after finalization on {on} ({by}); reason: {why}",
    "discipline": "Disciplinary measure",
    "degradation": "Degradation in political ideology, ethics or lifestyle",
    "corruption_in_unit": "Corruption or waste in the unit managed",
    "party_discipline": "Party discipline in the year",
    "discipline_related_to_duty": "Discipline for a violation related to public duty",
    "kpi": "Task-tracker KPI",
    "late_files": "Files handled late",
    "apologies": "Public apologies",
    "yes": "Yes",
    "no": "No",
    "not_evaluated": "Not evaluated",
    "not_classified": "Not classified",
    "none": "(none)",
    "sig_self": "EVALUATED PERSON",
    "sig_manager": "DIRECT MANAGER",
    "sig_competent": "COMPETENT LEVEL",
    "sig_hint": "(Signature, full name)",
    "sig_seal": "(Signature and seal)",
    "page": "Page",
    "date_blank": "date …………………",
    "name_blank": "……………………………………",
    "leave": "Leave",
    "leave_maternity": "Maternity leave",
    "leave_sick": "Sick leave",
    "leave_absent": "Legally absent",
    "summary_title": "UNIT SUMMARY OF QUALITY EVALUATION AND GRADING",
    "summary_monitoring_title": "UNIT SUMMARY OF MONITORING AND EVALUATION",
    "col_name": "Full name",
    "col_position": "Title / position",
    "col_total": "Total",
    "col_grade": "Grade",
    "col_info_grade": "Band (for monitoring)",
    "col_note": "Notes",
    "notes": "Notes",
    "grade_counts": "Staff per grade",
    "band_counts": "Staff per band of the score",
    "count": "People",
    "share": "Share",
    "staff_total": "People in total",
    "no_staff": "The unit has no staff of its own; the people of its sub-units are on each sub-unit's summary.",
    "nobody_evaluated": "No {staff} of the unit were evaluated in the period.",
    "quota": "Quota of the grade",
    "quota_percent": "Maximum share",
    "quota_base": "People counted for the base",
    "quota_cap": "Most who may keep the grade",
    "quota_candidates": "People reaching the grade",
    "quota_demoted": "People moved to the next grade down",
    "quota_col_group": "Group",
    "quota_col_percent": "Share",
    "quota_col_base": "Base",
    "quota_col_cap": "At most",
    "quota_col_candidates": "Reaching",
    "quota_col_demoted": "Moved down",
    "quota_base_note": "Base: people graded {grade}",
    "quota_per_group": "Counted separately for each group with similar duties ({n} groups); the figures are the groups' totals.",
    "quota_raised_exceptional": "Raised rate: the unit is recognised by the competent level as especially outstanding.",
    "quota_raised_unit_excellent": "Raised rate: the unit is rated {xs}.",
    "quota_raised_top_unit_excellent": "Raised rate: the public service unit is rated {xs}.",
    "unit_result": "The unit's own result",
    "sub_units": "Results of the units under it",
    "unit_self": "Self-score of the unit",
    "unit_computed": "Score computed from the unit's results",
    "unit_council": "Appraisal council's score",
    "unit_score": "Score that counts",
    "unit_grade": "The unit's grade",
    "unit_band": "Band (for monitoring)",
    "head": "Head of unit",
    "sig_preparer": "PREPARED BY",
    "sig_head": "HEAD OF UNIT",
}

#: Every label of every template, per language. Agencies' templates may use them as ``t.*``.
LABELS: Mapping[str, Mapping[str, str]] = {"vi": _VI, "en": _EN}


def labels(lang: str) -> Mapping[str, str]:
    """The labels for ``lang``."""
    return LABELS[check_lang(lang)]


#: A non-breaking space: a grade label is never broken across lines.
NBSP = "\u00a0"


#: The separator between the items of one line (``Họ và tên: … · Chức vụ: …``), the
#: ``sep`` of every template: non-breaking spaces bind the "·" to the item after it, so a
#: line may break only before the dot and never ends with one hanging.
SEP = f"{NBSP} \u00b7{NBSP}{NBSP}"


def slashed(texts: Iterable[str]) -> str:
    """The distinct non-blank ``texts`` (a person's chức vụ and position; the grade labels of
    several rule sets) joined by " / ": the words of a table (a publication list's CSV)."""
    return " / ".join(dict.fromkeys(t for t in texts if t))


def bound_slashes(text: str) -> str:
    """``text`` as a document prints it (the templates' ``bound`` filter): each " / " of
    :func:`slashed` kept with the text after it, as :data:`SEP` is (a line never ends with
    a hanging "/").

    >>> bound_slashes("Trưởng phòng / Chuyên viên") == "Trưởng phòng /" + NBSP + "Chuyên viên"
    True
    """
    return text.replace(" / ", f" /{NBSP}")


def keep_together(text: str) -> str:
    """``text`` with non-breaking spaces, so that a short phrase never wraps mid-phrase.

    >>> keep_together("Hoàn thành tốt nhiệm vụ") == "Hoàn thành tốt nhiệm vụ".replace(" ", NBSP)
    True
    """
    return text.replace(" ", NBSP)


def grade_words(rules: RuleSet, grade: Grade | None, lang: str) -> str:
    """The rule set's label for ``grade`` (Hà Nội: Loại A …), unbreakable; empty for None."""
    return "" if grade is None else keep_together(rules.grade_label(grade, lang))


def _glue_labels(text: str, rules: RuleSet | None, lang: str) -> str:
    if rules is None:
        return text
    for g in sorted(Grade, key=lambda x: -len(rules.grade_label(x, lang))):
        label = rules.grade_label(g, lang)
        if " " in label and label in text:
            text = text.replace(label, keep_together(label))
    return text


def glued_markup(text: str, rules: RuleSet | None, lang: str) -> Markup:
    """``text`` escaped for a template, each grade label of ``rules`` inside it kept on one
    line by a ``nowrap`` span rather than non-breaking spaces: inside a running sentence
    WeasyPrint may break a line at the first space of the item before a run of
    non-breaking spaces (an overview's "• Phòng" alone on its line, af97), never before a
    ``nowrap`` span. Autoescaping stays on: every piece of ``text`` is escaped.

    >>> import evalkit.rules
    >>> str(glued_markup("Xếp <b> Hoàn thành tốt nhiệm vụ", evalkit.rules.get("vn.nd335-2025"),
    ...                  "vi"))
    'Xếp &lt;b&gt; <span class="nowrap">Hoàn thành tốt nhiệm vụ</span>'
    """
    labels_ = sorted({lb for g in Grade if " " in (lb := rules.grade_label(g, lang))},
                     key=len, reverse=True) if rules is not None else []  # fmt: skip
    if not labels_:
        return escape(text)
    parts = re.split("(" + "|".join(map(re.escape, labels_)) + ")", text)
    return Markup("").join(
        Markup('<span class="nowrap">{}</span>').format(p) if i % 2 else escape(p)
        for i, p in enumerate(parts))  # fmt: skip


#: A citation up to this length is kept on one line ("NĐ 335/2025/NĐ-CP, Điều 20 k5 a").
CITATION_KEEP = 48


def cited(text: str) -> Markup:
    """``text`` escaped for a template, each short parenthetical in it (a citation: "(QĐ
    3814-QĐ/TU)", "(NĐ 335/2025/NĐ-CP)", up to :data:`CITATION_KEEP`) kept on one line by a
    ``cite`` span, as a reason's citation is: the "Căn cứ" line never breaks inside a
    document's number (at its hyphen: "QĐ 3814-" over "QĐ/TU"). The templates' ``cited``
    filter.

    >>> str(cited("Khung <b> (QĐ 3814-QĐ/TU)"))
    'Khung &lt;b&gt; <span class="cite">(QĐ 3814-QĐ/TU)</span>'
    """
    parts = re.split(rf"(\([^()]{{1,{CITATION_KEEP}}}\))", text)
    return Markup("").join(
        Markup('<span class="cite">{}</span>').format(p) if i % 2 else escape(p)
        for i, p in enumerate(parts))  # fmt: skip


def reason_parts(reason: Reason, lang: str, rules: RuleSet | None = None) -> dict[str, object]:
    """A reason for a template: ``text`` (the sentence, its grade labels kept on one line:
    :func:`glued_markup`), ``source`` (the short citation) and ``keep`` (print the
    citation on one line)."""
    return {"text": glued_markup(reason.message(lang), rules, lang), "source": reason.source,
            "keep": len(reason.source) <= CITATION_KEEP}


def reason_line(reason: Reason, lang: str, rules: RuleSet | None = None) -> str:
    """A reason as printed on every document: its sentence, then its short citation.

    The sentence and the citation are the catalogue's (:mod:`evalkit.reasons`); grade
    labels inside the sentence are kept on one line.

    >>> reason_line(Reason("x", "Câu", "Sentence", "NĐ 335/2025/NĐ-CP, Điều 21"), "vi")
    'Câu (NĐ 335/2025/NĐ-CP, Điều 21)'
    """
    text = _glue_labels(reason.message(lang), rules, lang)
    return f"{text} ({reason.source})" if reason.source else text
