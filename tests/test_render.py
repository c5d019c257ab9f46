"""The evaluation sheet and the unit summary as PDF: content, layout, determinism (issue 6)."""

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
from evalkit import Assessment, Position, Staff, Unit  # noqa: E402
from evalkit.errors import RenderError  # noqa: E402
from evalkit.render import (  # noqa: E402
    Agency,
    Sheet,
    UnitSummary,
    fmt_number,
    render_html,
    render_pdf,
    render_unit_summary,
    templates_dir,
)

RULES_ID = "vn.nd335-2025"
HERE = Path(__file__).resolve().parent

GENERAL = {"chinh_tri": 6, "dao_duc": 6, "tac_phong": 5.5, "ky_luat": 5, "phuc_vu": 5}
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
    """A công chức's March 2026 sheet scored at all three levels under NĐ 335/2025."""
    rs = rules or evalkit.rules.get(RULES_ID)
    unit = Unit("P-TCCB", "Phòng Tổ chức cán bộ", head_id="CC-0001", place="Thanh Hóa",
                name_en="Personnel Division")  # fmt: skip
    position = Position("CV", "Chuyên viên", "Officer")
    staff = Staff(staff_id, name, "CV", "P-TCCB")
    scores = uniform or {**GENERAL, **TASKS}
    a = Assessment(
        staff_id,
        "2026-03",
        self_scores=scores,
        manager_scores=scores if uniform else {**scores, "tac_phong": 5},
        competent_scores=uniform or competent or {**scores, "tac_phong": 5, "tien_do": 90},
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
        manager=Staff("CC-0001", "Lê Văn Bình", "CV", "P-TCCB"),
    )  # fmt: skip


def pdf_text(data: bytes) -> tuple[int, str]:
    """The page count and the extracted text of a PDF."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


@pytest.fixture(scope="module")
def sheet() -> Sheet:
    return demo_sheet()


@pytest.fixture(scope="module")
def vi_pdf(sheet: Sheet) -> bytes:
    return render_pdf(sheet)


class TestSheetContent:
    """What a reader and an inspector find on the printed sheet (domain brief §5)."""

    def test_the_name_with_its_diacritics_is_extracted_exactly(self, vi_pdf: bytes) -> None:
        """The person's name survives rendering and text extraction letter for letter."""
        _, text = pdf_text(vi_pdf)
        assert "Đặng Thị Ánh Tuyết" in text

    def test_every_criterion_label_is_on_the_sheet(self, sheet: Sheet, vi_pdf: bytes) -> None:
        """Every criterion the person is scored on is listed (NĐ 335/2025 Điều 12, 14)."""
        _, text = pdf_text(vi_pdf)
        flat = " ".join(text.split())
        for cid in (*GENERAL, *TASKS):
            assert sheet.rules.criterion(cid).label_vi in flat

    def test_scores_subtotals_and_total_use_the_vietnamese_decimal_comma(
        self, vi_pdf: bytes
    ) -> None:
        """Self 27,5 + 67,08 = 94,58; the competent level's 27 + 66,5 = 93,5."""
        _, text = pdf_text(vi_pdf)
        assert "Tiêu chí chung 30 27,5 27 27" in text
        assert "Kết quả thực hiện nhiệm vụ 70 67,08 67,08 66,5" in text
        assert "Tổng cộng 100 94,58 94,08 93,5" in text
        assert "(c) Tiến độ thực hiện 100% 92,5% 92,5% 90%" in text

    def test_header_title_and_date_follow_the_official_layout(self, vi_pdf: bytes) -> None:
        """National motto, agency, title with the month, place and date (NĐ 30/2020 format)."""
        _, text = pdf_text(vi_pdf)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text
        assert "UBND TỈNH THANH HÓA" in text and "SỞ NỘI VỤ" in text
        assert "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC THÁNG 03/2026" in text
        assert "Thanh Hóa, ngày 02 tháng 4 năm 2026" in text

    def test_the_grade_label_and_its_legal_ground_are_printed(self, vi_pdf: bytes) -> None:
        """The final grade and the band's source, Điều 20 khoản 1, appear in blocks C and D."""
        _, text = pdf_text(vi_pdf)
        assert "Xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ" in text
        assert "Điều 20 khoản 1" in text

    def test_a_disqualifier_is_explained_with_its_source(self) -> None:
        """A reprimand caps the grade at KHT and the sheet says why (Điều 20 khoản 4 điểm c)."""
        _, text = pdf_text(render_pdf(demo_sheet(discipline=1)))
        flat = " ".join(text.split())
        assert "Xếp loại chất lượng: Không hoàn thành nhiệm vụ" in flat
        assert "Bị kỷ luật từ khiển trách trở lên" in flat
        assert "Điều 20 khoản 4 điểm c" in flat

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
        """lang='en' prints English labels, English numbers and the English grade label."""
        _, text = pdf_text(render_pdf(sheet, lang="en"))
        assert "SOCIALIST REPUBLIC OF VIETNAM" in text
        assert "MARCH 2026" in text
        assert "Total 100 94.58 94.08 93.5" in text
        assert "Final grade: Excellently completed duties" in text
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
        """A rule set with forty general criteria breaks the table; page 2 repeats the thead."""
        data = tomllib.loads(Path(evalkit.rules.get(RULES_ID).path or "").read_text("utf-8"))
        data["id"] = "test.long-2026"
        data["groups"][0]["criteria"] = [
            {"id": f"c{i:02d}", "label_vi": f"Tiêu chí thử số {i}", "label_en": f"Test {i}",
             "max": 0.75}
            for i in range(40)
        ]  # fmt: skip
        rs = evalkit.rules.parse_rule_set(data)
        scores = {f"c{i:02d}": 0.5 for i in range(40)} | TASKS
        data = render_pdf(demo_sheet(rules=rs, uniform=scores))
        pages, text = pdf_text(data)
        assert pages == 2
        second = pypdf.PdfReader(io.BytesIO(data)).pages[1].extract_text()
        assert "Nội dung, tiêu chí đánh giá" in second
        assert "Trang 2/2" in second
        assert "Tiêu chí thử số 39" in text


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
        for name in ("sheet.html.j2", "unit_summary.html.j2", "evalkit.css"):
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


class TestUnitSummary:
    """The unit's month on one report (domain brief §5)."""

    def test_the_summary_lists_everyone_counts_grades_and_shows_the_quota(self) -> None:
        """Five people: each name and grade, the grade counts and the HTXS quota used."""
        people = [
            demo_sheet("Lê Văn Bình", staff_id="CC-0001"),
            demo_sheet("Trần Thị Cúc", staff_id="CC-0002"),
            demo_sheet("Phạm Quốc Đạt", staff_id="CC-0003", discipline=1),
            demo_sheet("Hoàng Yến Nhi", staff_id="CC-0004",
                       competent={**GENERAL, "so_luong": 80, "chat_luong": 80, "tien_do": 80}),
            demo_sheet("Vũ Đức Ánh", staff_id="CC-0005",
                       competent={**GENERAL, "so_luong": 60, "chat_luong": 70, "tien_do": 80}),
        ]  # fmt: skip
        summary = UnitSummary.from_sheets(people)
        assert summary.head is not None and summary.head.full_name == "Lê Văn Bình"
        counts = summary.grade_counts()
        assert [counts[g] for g in sorted(evalkit.Grade, reverse=True)] == [2, 2, 0, 1]
        pages, text = pdf_text(render_unit_summary(summary))
        flat = " ".join(text.split())
        assert pages == 1
        for s in people:
            assert s.staff.full_name in flat
        assert "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG THÁNG 03/2026" in flat
        assert "Hoàn thành xuất sắc nhiệm vụ 2 40%" in flat
        assert "Không hoàn thành nhiệm vụ 1 20%" in flat
        assert "Đã sử dụng 2 / Tối đa 0" in flat  # 20% of 2 HTT = 0.4, floored
        assert "disqualifier.discipline" in flat

    def test_the_unit_pass_figures_override_the_provisional_quota(self) -> None:
        """A quota limit and unit grade from the unit pass are printed as given."""
        people = [demo_sheet("Lê Văn Bình", staff_id="CC-0001")]
        summary = UnitSummary.from_sheets(
            people, unit_grade=evalkit.Grade.HTT, unit_total=88.5, quota_limit=3
        )
        _, text = pdf_text(render_unit_summary(summary, lang="en"))
        flat = " ".join(text.split())
        assert "Used 1 / Limit 3" in flat
        assert "The unit's own grade: Well completed duties (The unit's score: 88.5)" in flat

    def test_a_unit_and_its_sheets_make_a_summary(self) -> None:
        """render_unit_summary(unit, sheets) builds the summary from the sheets."""
        people = [demo_sheet("Lê Văn Bình", staff_id="CC-0001")]
        data = render_unit_summary(people[0].unit, people)
        assert "Lê Văn Bình" in pdf_text(data)[1]
        assert data == render_unit_summary(people[0].unit, people)

    def test_sheets_of_two_units_cannot_share_a_summary(self) -> None:
        """Mixing units raises RenderError naming the staff member."""
        a = demo_sheet(staff_id="CC-0001")
        b = demo_sheet(staff_id="CC-0002")
        other = Unit("P-KHAC", "Phòng khác")
        with pytest.raises(RenderError, match="CC-0001"):
            UnitSummary.from_sheets([a, b], unit=other)


def test_importing_the_render_package_does_not_import_weasyprint() -> None:
    """Heavy imports are lazy (style principle 3): WeasyPrint loads on the first render."""
    code = "import sys, evalkit.render; sys.exit('weasyprint' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], check=False, timeout=60)
    assert proc.returncode == 0


def test_a_hanoi_sheet_uses_letter_grades_and_shows_the_bonus_block() -> None:
    """Hà Nội's QĐ 3814 labels grades 'Loại A'…'Loại D' and adds a 10-point bonus block."""
    rs = evalkit.rules.get("hanoi.3814-2018")
    scores = {"ky_luat": 10, "dao_duc": 9, "ket_qua_nhiem_vu": 68, "sang_kien": 5, "thanh_tich": 0}
    sheet = demo_sheet(rules=rs, uniform=scores)
    _, text = pdf_text(render_pdf(sheet))
    flat = " ".join(text.split())
    assert sheet.result.grade is not None
    assert f"Xếp loại chất lượng: {rs.grade_label(sheet.result.grade)}" in flat
    assert rs.grade_label(sheet.result.grade).startswith("Loại ")
    bonus = next(b for b in rs.blocks if b.kind == "bonus")
    assert f"{bonus.label_vi} 10 5 5 5" in flat
    assert "Tổng cộng 100 92 92 92" in flat
