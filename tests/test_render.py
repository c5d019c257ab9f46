"""The evaluation sheet and the unit summary as PDF: content, layout, determinism (issues 6, 15).

Every figure on a sheet is the engine's (``EvaluationResult.level_points`` /
``level_totals``); the expected values below are computed by hand from NĐ 335/2025:
general criteria summed, task results ``(a + b + c) / 3 × 70 %``, half-up to the cent.
"""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

import evalkit  # noqa: E402
import evalkit.rules  # noqa: E402
from evalkit import Assessment, EvaluationResult, Grade, Position, Staff, Unit  # noqa: E402
from evalkit.errors import RenderError  # noqa: E402
from evalkit.reasons import make_reasons  # noqa: E402
from evalkit.render import (  # noqa: E402
    Agency,
    QuotaFigures,
    Sheet,
    Signatory,
    SummaryRow,
    UnitFacts,
    UnitSummary,
    fmt_number,
    render_html,
    render_pdf,
    render_unit_summary,
    templates_dir,
)

RULES_ID = "vn.nd335-2025"
HERE = Path(__file__).resolve().parent

#: The competent level's general criteria: 28.5 of 30 (a 9.5, b 9.5, c 9.5).
GENERAL = {
    "pham_chat_dao_duc": 5, "ky_luat_ky_cuong": 4.5,
    "nang_luc_chuyen_mon": 2.5, "dap_ung_nhiem_vu": 2.5, "tinh_than_trach_nhiem": 2.5,
    "phuc_vu_phoi_hop": 2,
    "san_pham_dot_pha": 2.5, "nhiem_vu_kho_khan": 2.5, "chiu_trach_nhiem": 2.5,
    "chu_dong_quyet_dinh": 2,
}  # fmt: skip
#: The manager gave 2.5 for phuc_vu_phoi_hop (29), the person also 5 for ky_luat (29.5).
GENERAL_MANAGER = {**GENERAL, "phuc_vu_phoi_hop": 2.5}
GENERAL_SELF = {**GENERAL_MANAGER, "ky_luat_ky_cuong": 5}
TASKS = {"so_luong": 95, "chat_luong": 100, "tien_do": 92.5}


def demo_sheet(
    name: str = "Đặng Thị Ánh Tuyết",
    *,
    staff_id: str = "CC-0042",
    comment: str = "Hoàn thành đầy đủ nhiệm vụ được giao.",
    discipline: int = 0,
    rules: evalkit.RuleSet | None = None,
    competent: dict[str, float] | None = None,
    agency: Agency | None = None,
    uniform: dict[str, float] | None = None,
) -> Sheet:
    """A công chức's March 2026 sheet scored at all three levels under NĐ 335/2025.

    ``uniform`` gives every level the same scores (other rule sets).
    """
    rs = rules or evalkit.rules.get(RULES_ID)
    unit = Unit("P-TCCB", "Phòng Tổ chức cán bộ", head_id="CC-0001", place="Thanh Hóa",
                name_en="Personnel Division")  # fmt: skip
    position = Position("CV", "Chuyên viên", "Officer")
    staff = Staff(staff_id, name, "CV", "P-TCCB")
    a = Assessment(
        staff_id,
        "2026-03",
        self_scores=uniform or {**GENERAL_SELF, **TASKS},
        manager_scores=uniform or {**GENERAL_MANAGER, **TASKS},
        competent_scores=uniform or competent or {**GENERAL, **TASKS, "tien_do": 90},
        self_comment=comment,
        manager_comment="Đồng ý với tự đánh giá.",
        proposed_grade="HTXS",
        manager_grade="HTXS",
        discipline=discipline,
    )
    result = evalkit.score(a, staff=staff, rules=rs, position=position)
    return Sheet(
        staff, position, unit, a, result, rs,
        agency or Agency("Sở Nội vụ", governing_body="UBND tỉnh Thanh Hóa", place="Thanh Hóa"),
        signed_on=datetime.date(2026, 4, 2),
        manager=Staff("CC-0001", "Lê Văn Bình", "CV", "P-TCCB", title_vi="Trưởng phòng"),
        approver=Signatory("Nguyễn Văn Hùng", "Giám đốc Sở"),
    )  # fmt: skip


def pdf_text(data: bytes) -> tuple[int, str]:
    """The page count and the extracted text of a PDF."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def flat(text: str) -> str:
    """Whitespace (non-breaking spaces included) collapsed to single spaces."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def sheet() -> Sheet:
    return demo_sheet()


@pytest.fixture(scope="module")
def vi_pdf(sheet: Sheet) -> bytes:
    return render_pdf(sheet)


class TestMonitoringSheet:
    """A month under NĐ 335/2025 is the monitoring record: scores, band as information."""

    def test_the_name_with_its_diacritics_is_extracted_exactly(self, vi_pdf: bytes) -> None:
        """The person's name survives rendering and text extraction letter for letter."""
        _, text = pdf_text(vi_pdf)
        assert "Đặng Thị Ánh Tuyết" in text

    def test_every_criterion_and_section_label_is_on_the_sheet(
        self, sheet: Sheet, vi_pdf: bytes
    ) -> None:
        """Every criterion scored and the three parts a), b), c) of Điều 12 k2 are listed."""
        text = flat(pdf_text(vi_pdf)[1])
        for cid in (*GENERAL, *TASKS):
            assert flat(sheet.rules.criterion(cid).label_vi) in text
        for sec in sheet.rules.group("general").sections:
            assert flat(sec.label_vi) in text

    def test_each_levels_subtotals_and_total_are_the_engines(self, vi_pdf: bytes) -> None:
        """Self 29,5 + 67,08 = 96,58; manager 29 + 67,08 = 96,08; competent 28,5 + 66,5 = 95."""
        text = flat(pdf_text(vi_pdf)[1])
        assert "I Tiêu chí chung 30 29,5 29 28,5" in text
        assert "II Kết quả thực hiện nhiệm vụ 70 67,08 67,08 66,5" in text
        assert "Tổng cộng 100 96,58 96,08 95" in text
        assert "(c) Tiến độ sản phẩm, công việc 100% 92,5% 92,5% 90%" in text

    def test_section_subtotals_sum_the_printed_scores(self, vi_pdf: bytes) -> None:
        """a) 10 / 9,5 / 9,5; b) 10 / 10 / 9,5; c) 9,5 each (sections of 10 points)."""
        text = flat(pdf_text(vi_pdf)[1])
        assert "kỷ cương trong thực thi công vụ 10 10 9,5 9,5" in text
        assert "khả năng phối hợp với đồng nghiệp 10 10 10 9,5" in text
        assert "vì lợi ích chung trong thực thi công vụ 10 9,5 9,5 9,5" in text

    def test_the_title_says_monitoring_and_the_band_is_information(self, vi_pdf: bytes) -> None:
        """No classification in a month: 'theo dõi', the band 'để theo dõi', Điều 21 cited."""
        text = flat(pdf_text(vi_pdf)[1])
        assert "PHIẾU THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC THÁNG 03/2026" in text
        assert ("Mức tương ứng với điểm (để theo dõi): Hoàn thành xuất sắc nhiệm vụ") in text
        assert "Xếp loại chất lượng:" not in text
        assert ("Mức tương ứng với điểm của tháng chỉ để theo dõi; việc xếp loại chất lượng "
                "thực hiện theo năm (NĐ 335/2025/NĐ-CP, Điều 21)") in text  # fmt: skip

    def test_header_and_date_follow_the_official_layout(self, vi_pdf: bytes) -> None:
        """National motto, agency, place and date (NĐ 30/2020 format)."""
        _, text = pdf_text(vi_pdf)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text
        assert "UBND TỈNH THANH HÓA" in text and "SỞ NỘI VỤ" in text
        assert "Thanh Hóa, ngày 02 tháng 4 năm 2026" in text

    def test_reasons_are_catalogue_sentences_with_short_citations(self, vi_pdf: bytes) -> None:
        """The band's ground: the sentence of evalkit.reasons, then (NĐ 335/2025/NĐ-CP, …)."""
        text = flat(pdf_text(vi_pdf)[1])
        assert ("Tổng điểm 95 thuộc mức Hoàn thành xuất sắc nhiệm vụ (từ 90 đến 100 điểm) "
                "(NĐ 335/2025/NĐ-CP, Điều 20 k1)") in text  # fmt: skip

    def test_a_discipline_shows_as_information_in_the_month(self) -> None:
        """A reprimand: the month's band (the score's, as information; the year applies the
        disqualifier, NĐ 335 Điều 20 k4, 21), the fact with its citation and no month grade."""
        text = flat(pdf_text(render_pdf(demo_sheet(discipline=1)))[1])
        assert "Mức tương ứng với điểm (để theo dõi): Hoàn thành xuất sắc nhiệm vụ" in text
        assert ("Bị kỷ luật từ khiển trách trở lên do vi phạm liên quan đến thi hành công vụ "
                "trong năm đánh giá (NĐ 335/2025/NĐ-CP, Điều 20 k4 c)") in text  # fmt: skip
        assert "Không hoàn thành nhiệm vụ" not in text

    def test_signatories_print_their_names_and_titles(self, vi_pdf: bytes) -> None:
        """The person, the direct manager (with title) and the competent level sign."""
        text = flat(pdf_text(vi_pdf)[1])
        assert "LÃNH ĐẠO TRỰC TIẾP Trưởng phòng" in text
        assert "CẤP CÓ THẨM QUYỀN Giám đốc Sở" in text
        assert "Lê Văn Bình" in text and "Nguyễn Văn Hùng" in text

    def test_no_identifier_on_the_sheet(self, vi_pdf: bytes) -> None:
        """Neither the staff id, the unit id, nor the rule set's id is printed."""
        text = pdf_text(vi_pdf)[1]
        for ident in ("CC-0042", "P-TCCB", RULES_ID, "band.information"):
            assert ident not in text

    def test_one_sheet_is_one_a4_page_with_a_page_footer(self, vi_pdf: bytes) -> None:
        """A normal sheet fits one A4 page numbered 'Trang 1/1'."""
        reader = pypdf.PdfReader(io.BytesIO(vi_pdf))
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
            210,
            297,
        )
        assert "Trang 1/1" in reader.pages[0].extract_text()

    def test_english_labels_with_lang_en(self, sheet: Sheet) -> None:
        """lang='en' prints English labels, English numbers and the English sentences."""
        text = flat(pdf_text(render_pdf(sheet, lang="en"))[1])
        assert "SOCIALIST REPUBLIC OF VIETNAM" in text
        assert "MARCH 2026" in text
        assert "Total 100 96.58 96.08 95" in text
        assert "Band of the score (for monitoring): Excellently completed duties" in text
        assert "Đặng Thị Ánh Tuyết" in text
        assert "Page 1/1" in text

    def test_pdf_metadata_names_the_sheet_the_agency_and_the_period(self, vi_pdf: bytes) -> None:
        """Title, author (the agency) and subject (the period) are set for archives."""
        meta = pypdf.PdfReader(io.BytesIO(vi_pdf)).metadata
        assert meta is not None
        assert meta.title is not None and "Đặng Thị Ánh Tuyết" in meta.title
        assert meta.author == "Sở Nội vụ"
        assert meta.subject == "2026-03"
        assert meta["/CreationDate"] == "D:20260402"

    def test_a_long_table_repeats_its_header_on_the_next_page(self) -> None:
        """Seventy general criteria break the table; page 2 repeats the thead."""
        data = tomllib.loads(Path(evalkit.rules.get(RULES_ID).path or "").read_text("utf-8"))
        data["id"] = "test.long-2026"
        data["groups"][0].pop("sections")
        data["groups"][0]["criteria"] = [
            {"id": f"c{i:02d}", "label_vi": f"Tiêu chí thử số {i}", "label_en": f"Test {i}",
             "max": 0.5}
            for i in range(60)
        ]  # fmt: skip
        rs = evalkit.rules.parse_rule_set(data)
        scores = {f"c{i:02d}": 0.5 for i in range(60)} | TASKS
        data = render_pdf(demo_sheet(rules=rs, uniform=scores))
        pages, _ = pdf_text(data)
        assert pages == 2
        second = pypdf.PdfReader(io.BytesIO(data)).pages[1].extract_text()
        assert "Nội dung, tiêu chí đánh giá" in second
        assert "Trang 2/2" in second
        assert "Tiêu chí thử số 59" in second
        assert "NGƯỜI TỰ ĐÁNH GIÁ" in second and "D. CĂN CỨ" in second


def test_a_hanoi_month_is_a_classification_with_letter_grades() -> None:
    """Hà Nội's QĐ 3814 classifies every month: 'Xếp loại chất lượng: Loại …', bonus block."""
    rs = evalkit.rules.get("hanoi.3814-2018")
    scores = {"ky_luat": 10, "dao_duc": 9, "ket_qua_nhiem_vu": 68, "sang_kien": 5, "thanh_tich": 0}
    sheet = demo_sheet(rules=rs, uniform=scores)
    text = flat(pdf_text(render_pdf(sheet))[1])
    assert sheet.result.classified and sheet.result.grade is not None
    assert "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC THÁNG 03/2026" in text
    assert f"Xếp loại chất lượng: {rs.grade_label(sheet.result.grade)}" in text
    assert rs.grade_label(sheet.result.grade).startswith("Loại ")
    bonus = next(b for b in rs.blocks if b.kind == "bonus")
    assert f"{bonus.label_vi} 10 5 5 5" in text
    assert "Tổng cộng 100 92 92 92" in text


class TestNumbersAndTemplates:
    """Formats and template lookup."""

    @pytest.mark.parametrize(
        ("value", "lang", "expected"),
        [(94.1666, "vi", "94,17"), (94.1666, "en", "94.17"), (91.0, "vi", "91"),
         (6.5, "vi", "6,5"), (1250.5, "vi", "1.250,5"), (1250.5, "en", "1,250.5"),
         (None, "vi", ""), (0.005, "vi", "0,01")],
    )  # fmt: skip
    def test_numbers_are_formatted_half_up_in_the_language_convention(
        self, value: float | None, lang: str, expected: str
    ) -> None:
        """Vietnamese uses a decimal comma and a thousands dot; rounding is half up."""
        assert fmt_number(value, lang) == expected

    def test_templates_dir_holds_the_templates_and_the_fonts_with_their_licence(self) -> None:
        """The package's templates, the Vietnamese font subsets and the DejaVu licence ship."""
        root = templates_dir()
        for name in ("sheet.html.j2", "unit_summary.html.j2", "publication.html.j2",
                     "evalkit.css"):  # fmt: skip
            assert (root / name).is_file()
        assert (root / "fonts" / "DejaVuSerif-vi.ttf").is_file()
        assert "Bitstream" in (root / "fonts" / "LICENSE").read_text(encoding="utf-8")

    def test_an_agency_folder_overrides_a_template(self, sheet: Sheet, tmp_path: Path) -> None:
        """A template in the agency's folder is found before the package's own."""
        (tmp_path / "sheet.html.j2").write_text(
            '{% extends "_layout.html.j2" %}{% block body %}<p>RIÊNG {{ staff.full_name }}'
            "</p>{% endblock %}",
            encoding="utf-8",
        )
        html = render_html(sheet, template_dir=tmp_path)
        assert "<p>RIÊNG Đặng Thị Ánh Tuyết</p>" in html
        _, text = pdf_text(render_pdf(sheet, template_dir=tmp_path))
        assert "RIÊNG Đặng Thị Ánh Tuyết" in text

    def test_an_unknown_language_is_refused(self, sheet: Sheet) -> None:
        """Only 'vi' and 'en' exist; another language raises RenderError naming it."""
        with pytest.raises(RenderError, match="'fr'"):
            render_html(sheet, lang="fr")

    def test_a_sheet_with_mismatched_ids_is_refused(self, sheet: Sheet) -> None:
        """The result must belong to the sheet's person."""
        other = demo_sheet(staff_id="CC-0099")
        with pytest.raises(RenderError, match="CC-0099"):
            Sheet(sheet.staff, sheet.position, sheet.unit, sheet.assessment, other.result,
                  sheet.rules, sheet.agency)  # fmt: skip

    def test_decomposed_vietnamese_is_printed_precomposed(self) -> None:
        """A name typed in NFD (combining marks) is normalised to NFC (TCVN 6909)."""
        import unicodedata

        nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
        html = render_html(demo_sheet(name=nfd))
        assert "Nguyễn Thị Hường" in html
        assert nfd not in html


def test_render_never_scores(monkeypatch: pytest.MonkeyPatch, sheet: Sheet, vi_pdf: bytes) -> None:
    """Issue 13: with every scoring and roll-up entry point broken, the sheet still renders
    byte for byte: render formats the result it is given."""
    import evalkit.scoring
    import evalkit.units

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("render called the engine")

    for mod, name in ((evalkit, "score"), (evalkit.scoring, "score"),
                      (evalkit.scoring, "score_frame"), (evalkit.units, "rollup"),
                      (evalkit.units, "classify_frame"), (evalkit.units, "classify_year")):  # fmt: skip
        monkeypatch.setattr(mod, name, boom)
    assert render_pdf(sheet) == vi_pdf
    assert not hasattr(__import__("evalkit.render._view", fromlist=["x"]), "level_results")


class TestDeterminism:
    """Identical input gives byte-identical PDFs (issue 6 §2), in one process and across."""

    def test_two_renders_in_one_process_are_byte_identical(
        self, sheet: Sheet, vi_pdf: bytes
    ) -> None:
        """No clock, no random id: the second render equals the first byte for byte."""
        assert render_pdf(sheet) == vi_pdf

    def test_renders_in_separate_processes_are_byte_identical(
        self, vi_pdf: bytes, tmp_path: Path
    ) -> None:
        """Two fresh interpreters with different hash seeds write the same bytes."""
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]);"
            "from test_render import demo_sheet; from evalkit.render import render_pdf;"
            "open(sys.argv[2], 'wb').write(render_pdf(demo_sheet()))"
        )
        outs = []
        for seed in ("1", "2"):
            out = tmp_path / f"p{seed}.pdf"
            env = {**os.environ, "PYTHONHASHSEED": seed}
            env.pop("SOURCE_DATE_EPOCH", None)
            subprocess.run([sys.executable, "-c", code, str(HERE), str(out)], check=True,
                           env=env, timeout=120)  # fmt: skip
            outs.append(out.read_bytes())
        assert outs[0] == outs[1] == vi_pdf

    def test_pdf_a_3b_is_deterministic_and_declares_its_conformance(self, sheet: Sheet) -> None:
        """pdf_variant='pdf/a-3b' writes the PDF/A identification (part 3, conformance B)."""
        a = render_pdf(sheet, pdf_variant="pdf/a-3b")
        assert a == render_pdf(sheet, pdf_variant="pdf/a-3b")
        root = pypdf.PdfReader(io.BytesIO(a)).trailer["/Root"]
        xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
        assert 'pdfaid:part="3"' in xmp
        assert 'pdfaid:conformance="B"' in xmp
        assert "/OutputIntents" in root

    @pytest.mark.parametrize("variant", [None, "pdf/a-3b"])
    def test_the_speed_ups_write_the_bytes_plain_weasyprint_writes(
        self, sheet: Sheet, variant: str | None, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The slimmed UA stylesheet and the cached font tables change no byte (issue 9)."""
        import weasyprint

        from evalkit.render import _env

        fast = render_pdf(sheet, pdf_variant=variant)
        monkeypatch.setattr(_env, "_HTML_CLASS", weasyprint.HTML)
        monkeypatch.setattr(_env, "_plain_full_fonts", lambda *args: False)
        assert render_pdf(sheet, pdf_variant=variant) == fast

    def test_an_unknown_pdf_variant_is_refused(self, sheet: Sheet) -> None:
        """A misspelt variant raises RenderError naming it."""
        with pytest.raises(RenderError, match="pdf/a-9"):
            render_pdf(sheet, pdf_variant="pdf/a-9")


def _absent(staff: Staff) -> SummaryRow:
    rs = evalkit.rules.get(RULES_ID)
    res = EvaluationResult(staff.id, evalkit.Period.parse("2026-03"), rs.id, None, None, None,
                           reasons=make_reasons(None, rs, {"total": None}),
                           classified=False)  # fmt: skip
    return SummaryRow(staff, res, Position("CV", "Chuyên viên"), "sick")


@pytest.fixture(scope="module")
def people() -> list[Sheet]:
    """Five people of one unit: two HTXS-band, one reprimanded (HTXS-band), two HTT-band."""
    return [
        demo_sheet("Lê Văn Bình", staff_id="CC-0001"),
        demo_sheet("Trần Thị Cúc", staff_id="CC-0002"),
        demo_sheet("Phạm Quốc Đạt", staff_id="CC-0003", discipline=1),
        demo_sheet("Hoàng Yến Nhi", staff_id="CC-0004",
                   competent={**GENERAL, "so_luong": 80, "chat_luong": 80, "tien_do": 80}),
        demo_sheet("Vũ Đức Ánh", staff_id="CC-0005",
                   competent={**GENERAL, "so_luong": 60, "chat_luong": 70, "tien_do": 80}),
    ]  # fmt: skip


class TestUnitSummary:
    """The unit's period on one report (domain brief §5, issue 17 point 1)."""

    def test_everyone_is_listed_and_the_not_evaluated_are_counted(
        self, people: list[Sheet]
    ) -> None:
        """Five sheets and one person on sick leave: six rows, 'Chưa đánh giá' counted once."""
        absent = _absent(Staff("CC-0006", "Đỗ Minh Khang", "CV", "P-TCCB"))
        summary = UnitSummary.from_sheets(people, absent=[absent])
        assert summary.head is not None and summary.head.full_name == "Lê Văn Bình"
        counts = summary.grade_counts()
        # a month NĐ 335 only scores: counted by the band (the reprimand hits the year)
        assert [counts[g] for g in sorted(Grade, reverse=True)] == [3, 2, 0, 0]
        assert summary.not_evaluated() == 1
        pages, text = pdf_text(render_unit_summary(summary))
        text = flat(text)
        assert pages == 1
        for s in people:
            assert s.staff.full_name in text
        assert "Đỗ Minh Khang Chuyên viên Chưa đánh giá Nghỉ ốm" in text
        assert "BẢNG TỔNG HỢP KẾT QUẢ THEO DÕI, ĐÁNH GIÁ THÁNG 03/2026" in text
        # shares of the 5 banded, as the overview's (3 of 5); the not evaluated have none
        assert "Hoàn thành xuất sắc nhiệm vụ 3 60%" in text
        assert "Chưa đánh giá 1 Tổng số người 6" in text
        assert "Tổng số người 6" in text

    def test_each_level_total_is_a_column(self, people: list[Sheet]) -> None:
        """Self, manager and competent totals of each person, as the engine gave them."""
        text = flat(pdf_text(render_unit_summary(UnitSummary.from_sheets(people)))[1])
        assert "Trần Thị Cúc Chuyên viên 96,58 96,08 95 95" in text

    def test_notes_are_catalogue_sentences_not_codes(self, people: list[Sheet]) -> None:
        """A disqualifier is a numbered note with its sentence and citation, never a code."""
        text = flat(pdf_text(render_unit_summary(UnitSummary.from_sheets(people)))[1])
        assert "disqualifier" not in text
        assert ("(1) Phạm Quốc Đạt: Bị kỷ luật từ khiển trách trở lên do vi phạm liên quan đến "
                "thi hành công vụ trong năm đánh giá (NĐ 335/2025/NĐ-CP, Điều 20 k4 c)") in text

    def test_the_units_own_result_shows_self_computed_and_council(
        self, people: list[Sheet]
    ) -> None:
        """Issue 17: the self-score, the computed score, the council's and the grade."""
        rs = people[0].rules
        row = {"council_score": 85.0, "computed_score": 79.25, "self_score": 90.0}
        facts = UnitFacts(Grade.HTT, 85.0, 79.25, 90.0, 85.0, True,
                          make_reasons("unit.council", rs, row, with_band=False))  # fmt: skip
        quota = QuotaFigures(20.0, 6, 1, 3, 2)
        summary = UnitSummary.from_sheets([attrs_evolve_classified(s) for s in people],
                                          facts=facts, quota=quota)  # fmt: skip
        text = flat(pdf_text(render_unit_summary(summary))[1])
        assert "Đơn vị tự chấm 90" in text
        assert "Điểm tính theo kết quả thực hiện nhiệm vụ 79,25" in text
        assert "Hội đồng thẩm định chấm 85" in text
        assert "Xếp loại của đơn vị: Hoàn thành tốt nhiệm vụ" in text
        assert ("Hội đồng thẩm định kết luận 85 điểm (điểm tính theo kết quả 79,25, đơn vị "
                "tự chấm 90)") in text  # fmt: skip
        assert "Tỷ lệ tối đa 20%" in text
        assert "Số người tối đa được giữ mức 1" in text
        assert "Số người chuyển xuống mức liền kề 2" in text

    def test_english_summary(self, people: list[Sheet]) -> None:
        """lang='en': English labels and sentences."""
        text = flat(pdf_text(render_unit_summary(UnitSummary.from_sheets(people), lang="en"))[1])
        assert "UNIT SUMMARY OF MONITORING AND EVALUATION MARCH 2026" in text
        assert "Excellently completed duties 3 60%" in text

    def test_a_unit_and_its_sheets_make_a_summary(self, people: list[Sheet]) -> None:
        """render_unit_summary(unit, sheets) builds the summary from the sheets."""
        data = render_unit_summary(people[0].unit, people[:1])
        assert "Lê Văn Bình" in pdf_text(data)[1]
        assert data == render_unit_summary(people[0].unit, people[:1])

    def test_sheets_of_two_units_cannot_share_a_summary(self) -> None:
        """Mixing units raises RenderError naming the staff member."""
        a = demo_sheet(staff_id="CC-0001")
        b = demo_sheet(staff_id="CC-0002")
        other = Unit("P-KHAC", "Phòng khác")
        with pytest.raises(RenderError, match="CC-0001"):
            UnitSummary.from_sheets([a, b], unit=other)


def attrs_evolve_classified(sheet: Sheet) -> Sheet:
    """The same sheet under an agency's monthly classification (a grade, not a band)."""
    import attrs

    return attrs.evolve(sheet, result=attrs.evolve(sheet.result, classified=True))


def test_importing_the_render_package_does_not_import_weasyprint() -> None:
    """Heavy imports are lazy (style principle 3): WeasyPrint loads on the first render."""
    code = "import sys, evalkit.render; sys.exit('weasyprint' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], check=False, timeout=60)
    assert proc.returncode == 0


@pytest.mark.parametrize(("rounding", "group"), [("half_up", "30"), ("truncate", "29,99")])
def test_a_section_subtotal_is_the_exact_sum_and_the_block_is_rounded(rounding: str,
                                                                      group: str) -> None:  # fmt: skip
    """Section b) of 2,5 + 2,5 + 2,5 + 2,495 prints 9,995 (the criterion as typed, the
    section the exact sum of what is printed above it); the rule set rounds where the
    engine rounds, in the group's block points: 29,995 → 30 half-up, 29,99 truncated
    (audit 9 finding 7: 2,495 was printed 2,5, a section 9,995 printed 10)."""
    import attrs

    from evalkit.render._view import criteria_rows

    base = evalkit.rules.get(RULES_ID)
    rs = attrs.evolve(base, scoring=attrs.evolve(base.scoring, rounding=rounding))
    scores = {**{c.id: c.maximum for c in base.group("general").criteria},
              "phuc_vu_phoi_hop": 2.495, **TASKS}  # fmt: skip
    sheet = demo_sheet(rules=rs, uniform=scores)
    rows = criteria_rows(sheet, "vi")
    [b] = [r for r in rows if r.kind == "section" and r.no == "b)"]
    assert b.cells == ("9,995", "9,995", "9,995")
    assert [r.cells for r in rows if r.label.startswith("Thái độ phục vụ")] == [
        ("2,495", "2,495", "2,495")]
    assert rows[0].kind == "group" and rows[0].cells == (group, group, group)
