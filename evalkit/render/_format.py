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
import unicodedata
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from evalkit.errors import RenderError

__all__ = ["LABELS", "LANGS", "check_lang", "fmt_number", "labels", "vn_date_words"]

#: The languages sheets are written in.
LANGS = ("vi", "en")


def check_lang(lang: str) -> str:
    """Return ``lang`` if sheets can be written in it, else raise RenderError."""
    if lang not in LANGS:
        raise RenderError(f"language {lang!r} is not supported; expected one of {LANGS}")
    return lang


def fmt_number(value: float | None, lang: str = "vi", *, decimals: int = 2) -> str:
    """Format ``value`` half-up to at most ``decimals`` places without trailing zeros.

    None and NaN give an empty string (a cell nobody filled in).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{q:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def vn_date_words(day: datetime.date) -> str:
    """``ngày dd tháng m năm yyyy`` as Nghị định 30/2020/NĐ-CP writes dates."""
    d = f"{day.day:02d}" if day.day < 10 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {d} tháng {m} năm {day.year}"


def en_date_words(day: datetime.date) -> str:
    """``5 March 2026``."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def ascii_fold(text: str) -> str:
    """Vietnamese (and other Latin) text without diacritics: ``Đặng Thị Ánh`` → ``Dang Thi Anh``."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_VI: dict[str, str] = {
    "motto_1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto_2": "Độc lập - Tự do - Hạnh phúc",
    "sheet_title": "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
    "month": "THÁNG",
    "quarter": "QUÝ",
    "year": "NĂM",
    "full_name": "Họ và tên",
    "staff_id": "Mã số",
    "position": "Vị trí việc làm",
    "title": "Chức vụ",
    "unit": "Đơn vị công tác",
    "rule_set": "Căn cứ",
    "col_no": "TT",
    "col_criterion": "Nội dung, tiêu chí đánh giá",
    "col_max": "Điểm tối đa",
    "col_self": "Cá nhân tự chấm",
    "col_manager": "Lãnh đạo trực tiếp chấm",
    "col_competent": "Cấp có thẩm quyền chấm",
    "points": "điểm",
    "count_unit": "lần",
    "total": "Tổng cộng",
    "block_a": "A. CÁ NHÂN TỰ NHẬN XÉT, ĐÁNH GIÁ",
    "block_b": "B. Ý KIẾN CỦA LÃNH ĐẠO TRỰC TIẾP",
    "block_c": "C. KẾT LUẬN CỦA CẤP CÓ THẨM QUYỀN",
    "block_d": "D. CĂN CỨ XẾP LOẠI",
    "comment": "Nhận xét",
    "proposed_grade": "Tự xếp loại",
    "manager_grade": "Đề xuất xếp loại",
    "counting_total": "Tổng điểm được công nhận",
    "score_grade": "Mức theo điểm",
    "final_grade": "Xếp loại chất lượng",
    "not_evaluated": "Chưa đánh giá",
    "none": "(không)",
    "source": "Căn cứ",
    "sig_self": "NGƯỜI TỰ ĐÁNH GIÁ",
    "sig_manager": "LÃNH ĐẠO TRỰC TIẾP",
    "sig_competent": "THỦ TRƯỞNG CƠ QUAN",
    "sig_hint": "(Ký, ghi rõ họ tên)",
    "sig_seal": "(Ký tên, đóng dấu)",
    "page": "Trang",
    "date_blank": "ngày …… tháng …… năm ……",
    # unit summary
    "summary_title": "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
    "col_name": "Họ và tên",
    "col_position": "Vị trí việc làm / chức vụ",
    "col_total": "Tổng điểm",
    "col_grade": "Xếp loại",
    "col_note": "Ghi chú",
    "grade_counts": "Số lượng theo mức xếp loại",
    "count": "Số người",
    "share": "Tỷ lệ",
    "quota": "Tỷ lệ khống chế",
    "quota_used": "Đã sử dụng",
    "quota_limit": "Tối đa",
    "quota_base": "căn cứ",
    "unit_result": "Kết quả xếp loại của đơn vị",
    "unit_total": "Tổng điểm của đơn vị",
    "head": "Người đứng đầu",
    "staff_count": "Tổng số người được đánh giá",
    "sig_preparer": "NGƯỜI LẬP BIỂU",
    "sig_head": "THỦ TRƯỞNG ĐƠN VỊ",
    "provisional": "(tạm tính từ chính sách của bộ quy tắc)",
}

_EN: dict[str, str] = {
    "motto_1": "SOCIALIST REPUBLIC OF VIETNAM",
    "motto_2": "Independence - Freedom - Happiness",
    "sheet_title": "QUALITY EVALUATION AND GRADING SHEET",
    "month": "MONTH",
    "quarter": "QUARTER",
    "year": "YEAR",
    "full_name": "Full name",
    "staff_id": "Staff ID",
    "position": "Job position",
    "title": "Title",
    "unit": "Unit",
    "rule_set": "Rule set",
    "col_no": "No.",
    "col_criterion": "Criterion",
    "col_max": "Max.",
    "col_self": "Self",
    "col_manager": "Direct manager",
    "col_competent": "Competent level",
    "points": "points",
    "count_unit": "times",
    "total": "Total",
    "block_a": "A. SELF-ASSESSMENT",
    "block_b": "B. DIRECT MANAGER'S OPINION",
    "block_c": "C. CONCLUSION OF THE COMPETENT LEVEL",
    "block_d": "D. GROUNDS FOR THE GRADE",
    "comment": "Comment",
    "proposed_grade": "Proposed grade",
    "manager_grade": "Recommended grade",
    "counting_total": "Total that counts",
    "score_grade": "Grade by score",
    "final_grade": "Final grade",
    "not_evaluated": "Not evaluated",
    "none": "(none)",
    "source": "Source",
    "sig_self": "EVALUATED PERSON",
    "sig_manager": "DIRECT MANAGER",
    "sig_competent": "HEAD OF AGENCY",
    "sig_hint": "(Signature, full name)",
    "sig_seal": "(Signature and seal)",
    "page": "Page",
    "date_blank": "date …………………",
    "summary_title": "UNIT SUMMARY OF QUALITY EVALUATION AND GRADING",
    "col_name": "Full name",
    "col_position": "Position / title",
    "col_total": "Total",
    "col_grade": "Grade",
    "col_note": "Notes",
    "grade_counts": "Staff per grade",
    "count": "People",
    "share": "Share",
    "quota": "Quota",
    "quota_used": "Used",
    "quota_limit": "Limit",
    "quota_base": "base",
    "unit_result": "The unit's own grade",
    "unit_total": "The unit's score",
    "head": "Head of unit",
    "staff_count": "People evaluated",
    "sig_preparer": "PREPARED BY",
    "sig_head": "HEAD OF UNIT",
    "provisional": "(provisional, from the rule set's policy)",
}

#: Every label of every template, per language. Agencies' templates may use them as ``t.*``.
LABELS: Mapping[str, Mapping[str, str]] = {"vi": _VI, "en": _EN}


def labels(lang: str) -> Mapping[str, str]:
    """The labels for ``lang``."""
    return LABELS[check_lang(lang)]
