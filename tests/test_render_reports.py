"""Quarterly and annual sheets and the organisation overview as PDF (issue 6, items 1 and 5)."""

from __future__ import annotations

import datetime
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

import evalkit.rules  # noqa: E402
from evalkit import EvaluationResult, Grade, Period, Position, Reason, Staff, Unit  # noqa: E402
from evalkit.demo import DemoData, _classify, _signed_on, load_demo  # noqa: E402
from evalkit.errors import RenderError  # noqa: E402
from evalkit.render import (  # noqa: E402
    Agency,
    OrganisationOverview,
    OverviewRow,
    PeriodSheet,
    Sheet,
    SummaryRow,
    UnitSummary,
    render_overview,
    render_overview_html,
    render_pdf,
    render_period_html,
    render_period_pdf,
    render_unit_summary,
)

RULES = evalkit.rules.get("vn.nd335-2025")
AGENCY = Agency("Sở Nội vụ", governing_body="UBND tỉnh Thanh Hóa", place="Thanh Hóa")
UNIT = Unit("P-TCCB", "Phòng Tổ chức cán bộ", head_id="CC-0001", place="Thanh Hóa")
POSITION = Position("CV", "Chuyên viên", "Officer")
PERSON = Staff("CC-0042", "Đặng Thị Ánh Tuyết", "CV", "P-TCCB")
MANAGER = Staff("CC-0001", "Lê Văn Bình", "CV", "P-TCCB")
DISCIPLINE = Reason("disqualifier.discipline", "Bị kỷ luật từ khiển trách trở lên",
                    "Disciplined (reprimand or above)", "NĐ 335/2025/NĐ-CP Điều 20")  # fmt: skip


def month_result(
    month: str, total: float | None, *, staff_id: str = "CC-0042", rules: evalkit.RuleSet = RULES,
    reasons: Sequence[Reason] = (),
) -> EvaluationResult:  # fmt: skip
    """A monthly result with the band of ``total`` (None: not evaluated)."""
    grade = None if total is None else rules.band_for(total).grade
    final = Grade.KHT if any(r.code == DISCIPLINE.code for r in reasons) else grade
    return EvaluationResult(staff_id, Period.parse(month), rules.id, total, grade,
                            final if total is not None else None, reasons=reasons)  # fmt: skip


def period_sheet(period: str, totals: Mapping[str, float | None], **kwargs: Any) -> PeriodSheet:
    """Đặng Thị Ánh Tuyết's sheet for ``period`` with the given monthly totals."""
    rules = kwargs.pop("rules", RULES)
    assert isinstance(rules, evalkit.RuleSet)
    reasons = kwargs.pop("reasons", {})
    assert isinstance(reasons, dict)
    months = [
        month_result(m, t, rules=rules, reasons=reasons.get(m, ())) for m, t in totals.items()
    ]
    return PeriodSheet(PERSON, POSITION, UNIT, period, months, rules, AGENCY,
                       signed_on=datetime.date(2026, 4, 3), manager=MANAGER, **kwargs)  # fmt: skip


def pdf_text(data: bytes) -> tuple[int, str]:
    """The page count and the whitespace-flattened text of a PDF."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    return len(reader.pages), " ".join(text.split())


Q1 = {"2026-01": 95.0, "2026-02": None, "2026-03": 84.5}


@pytest.fixture(scope="module")
def q1_pdf() -> bytes:
    return render_period_pdf(period_sheet("2026-Q1", Q1))


class TestPeriodSheet:
    """One person's quarter or year (domain brief §4.2, §5)."""

    def test_every_month_total_and_grade_is_printed_with_the_name(self, q1_pdf: bytes) -> None:
        """Each month of the quarter is a row with its total and grade; the name keeps its marks."""
        pages, text = pdf_text(q1_pdf)
        assert pages == 1
        assert "Đặng Thị Ánh Tuyết" in text
        assert "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC QUÝ 1/2026" in text
        assert "1 01/2026 95 Hoàn thành xuất sắc nhiệm vụ" in text
        assert "3 03/2026 84,5 Hoàn thành tốt nhiệm vụ" in text
        assert "Trang 1/1" in text

    def test_a_month_not_evaluated_says_so_and_is_never_a_zero(self, q1_pdf: bytes) -> None:
        """February has no total: 'Chưa đánh giá', no 0, and the mean is of two months (§4.2)."""
        _, text = pdf_text(q1_pdf)
        assert "2 02/2026 Chưa đánh giá" in text
        assert not re.search(r"02/2026 0\b", text)
        # (95 + 84.5) / 2 = 89.75: February left out, not averaged in as 0 (which gives 59.83)
        assert "Số tháng được đánh giá: 2/3" in text
        assert "Điểm trung bình: 89,75" in text
        assert "Xếp loại chất lượng: Hoàn thành tốt nhiệm vụ" in text
        assert "59,83" not in text

    def test_signature_blocks_name_the_person_and_the_manager(self, q1_pdf: bytes) -> None:
        """The person, the direct manager and the head of agency sign, as on the monthly sheet."""
        _, text = pdf_text(q1_pdf)
        for role in ("NGƯỜI TỰ ĐÁNH GIÁ", "LÃNH ĐẠO TRỰC TIẾP", "THỦ TRƯỞNG CƠ QUAN"):
            assert role in text
        assert "Lê Văn Bình" in text
        assert "Thanh Hóa, ngày 03 tháng 4 năm 2026" in text

    def test_english_labels_and_numbers_with_lang_en(self) -> None:
        """lang='en' prints English labels, 'Not evaluated' and the decimal point."""
        _, text = pdf_text(render_period_pdf(period_sheet("2026-Q1", Q1), lang="en"))
        assert "QUALITY EVALUATION AND GRADING SHEET — CIVIL SERVANT — Q1 2026" in text
        assert "2 February 2026 Not evaluated" in text
        assert "Average: 89.75" in text
        assert "Final grade: Well completed duties" in text
        assert "Đặng Thị Ánh Tuyết" in text and "Page 1/1" in text

    def test_a_year_with_fewer_than_six_months_is_not_classified(self) -> None:
        """Five evaluated months: the year is 'Không xếp loại' and the sheet says why (§4.2)."""
        totals = {f"2026-{m:02d}": 92.0 for m in range(1, 6)}
        pages, text = pdf_text(render_period_pdf(period_sheet("2026", totals)))
        assert pages == 1
        assert "Xếp loại chất lượng: Không xếp loại" in text
        assert "Làm việc dưới 6 tháng trong năm: không xếp loại" in text
        for m in range(6, 13):
            assert f"{m} {m:02d}/2026 Chưa đánh giá" in text
        assert "Số tháng được đánh giá: 5/12" in text

    def test_legal_absence_of_three_to_six_months_caps_the_year_at_ht(self) -> None:
        """Eight HTXS months and four months legally absent: at most HT (NĐ 90/2020 Đ2 k3)."""
        totals: dict[str, float | None] = {f"2026-{m:02d}": 95.0 for m in range(1, 9)}
        leave = {f"2026-{m:02d}": "absent" for m in range(9, 13)}
        sheet = period_sheet("2026", totals, leave=leave)
        assert sheet.rolled_up().grade is Grade.HT
        _, text = pdf_text(render_period_pdf(sheet))
        assert "Xếp loại chất lượng: Hoàn thành nhiệm vụ" in text
        assert "Nghỉ theo quy định từ 3 đến dưới 6 tháng: tối đa Hoàn thành nhiệm vụ" in text
        assert "9 09/2026 Chưa đánh giá Nghỉ theo quy định" in text

    def test_a_discipline_in_the_year_makes_it_kht(self) -> None:
        """One disciplined month turns an HTXS average into KHT (NĐ 48/2023 khoản 5)."""
        totals: dict[str, float | None] = {f"2026-{m:02d}": 95.0 for m in range(1, 13)}
        sheet = period_sheet("2026", totals, reasons={"2026-04": (DISCIPLINE,)})
        _, text = pdf_text(render_period_pdf(sheet))
        assert "Điểm trung bình: 95" in text
        assert "Xếp loại chất lượng: Không hoàn thành nhiệm vụ" in text
        assert "Bị kỷ luật trong kỳ: Không hoàn thành nhiệm vụ" in text
        assert "4 04/2026 95 Không hoàn thành nhiệm vụ Bị kỷ luật từ khiển trách trở lên" in text

    def test_a_quarterly_scheme_counts_its_quarters(self) -> None:
        """Customs-style year: two HTXS quarters and no KHT quarter make HTXS (§4.4)."""
        rs = evalkit.rules.get("vn.customs-2026q")
        per_quarter = (95.0, 93.0, 85.0, 84.0)
        totals: dict[str, float | None] = {
            f"2026-{m:02d}": per_quarter[(m - 1) // 3] for m in range(1, 13)
        }
        sheet = period_sheet("2026", totals, rules=rs)
        assert sheet.rolled_up().grade is Grade.HTXS
        _, text = pdf_text(render_period_pdf(sheet))
        assert "KẾT QUẢ THEO QUÝ" in text
        assert "Quý 1 3 95 Hoàn thành xuất sắc nhiệm vụ" in text
        assert "Quý 4 3 84 Hoàn thành tốt nhiệm vụ" in text
        assert "Xếp loại năm theo số quý" in text
        assert "Đủ số quý Hoàn thành xuất sắc nhiệm vụ và không có quý" in text
        assert "Xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ" in text

    def test_a_given_roll_up_is_printed_as_given(self) -> None:
        """A roll-up passed in (e.g. from the archive) wins over recomputing it."""
        given = EvaluationResult("CC-0042", Period.parse("2026-Q1"), RULES.id, 77.0,
                                 Grade.HT, Grade.HT)  # fmt: skip
        html = render_period_html(period_sheet("2026-Q1", Q1, result=given))
        assert "77" in html and "Hoàn thành nhiệm vụ" in html

    def test_two_renders_are_byte_identical(self, q1_pdf: bytes) -> None:
        """Identical input, identical bytes (issue 6 §2)."""
        assert render_period_pdf(period_sheet("2026-Q1", Q1)) == q1_pdf

    @pytest.mark.parametrize(
        ("change", "match"),
        [({"period": "2026-03"}, "quarter or a year"),
         ({"months": [month_result("2026-05", 80.0)]}, "2026-05"),
         ({"months": [month_result("2026-01", 80.0, staff_id="CC-0099")]}, "CC-0099"),
         ({"months": [month_result("2026-01", 80.0)] * 2}, "two results for 2026-01"),
         ({"leave": {"2026-02": "holiday"}}, "holiday")],
    )  # fmt: skip
    def test_inconsistent_input_is_refused_naming_the_value(
        self, change: dict[str, object], match: str
    ) -> None:
        """A month sheet, a month outside, another person, a duplicate, bad leave: RenderError."""
        args: dict[str, object] = {"period": "2026-Q1", "months": [], "leave": {}} | change
        with pytest.raises(RenderError, match=match):
            PeriodSheet(PERSON, POSITION, UNIT, args["period"], args["months"], RULES,  # type: ignore[arg-type]
                        AGENCY, leave=args["leave"])  # type: ignore[arg-type]  # fmt: skip


# =========================================================================== overview


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return load_demo()


@pytest.fixture(scope="module")
def march(demo: DemoData) -> OrganisationOverview:
    """The demo agency's March 2026, classified units-first, as unit summaries → overview."""
    results, outcomes = _classify(demo)
    assert outcomes is not None
    org = demo.organisation
    month = Period.parse("2026-03")
    staff = {s.id: s for s in org.staff}
    summaries = []
    for u in org.units:
        rows = [SummaryRow(staff[sid], r) for (sid, p), r in results.items()
                if p == month and staff[sid].unit_id == u.id]  # fmt: skip
        o = outcomes[(u.id, month)]
        summaries.append(UnitSummary(u, month, RULES, AGENCY, rows, head=org.head_of(u.id),
                                     unit_grade=o.grade, unit_total=o.score,
                                     unit_reasons=o.reasons, signed_on=_signed_on(month)))  # fmt: skip
    return OrganisationOverview.from_summaries(summaries, organisation=org)


@pytest.fixture(scope="module")
def march_pdf(march: OrganisationOverview) -> bytes:
    return render_overview(march)


def _bars(html: str, svg_class: str) -> list[ET.Element]:
    m = re.search(rf'<svg class="{svg_class}".*?</svg>', html, re.S)
    assert m is not None
    root = ET.fromstring(m.group(0))
    return [e for e in root.iter() if e.tag.endswith("rect")]


class TestOverview:
    """Every unit of the organisation on one report with a grade chart (issue 6 item 1)."""

    def test_every_unit_head_and_count_is_on_one_a4_page(
        self, demo: DemoData, march: OrganisationOverview, march_pdf: bytes
    ) -> None:
        """Unit names, heads (with diacritics), per-unit counts and the organisation totals."""
        pages, text = pdf_text(march_pdf)
        assert pages == 1 and "Trang 1/1" in text
        box = pypdf.PdfReader(io.BytesIO(march_pdf)).pages[0].mediabox
        assert round(float(box.width) / 72 * 25.4) == 210
        assert "BÁO CÁO TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG THÁNG 03/2026" in text
        org = demo.organisation
        for row in march.rows:
            head = org.head_of(row.unit.id)
            assert head is not None and head.full_name in text
            assert row.unit.name in text
            counts = " ".join(str(row.counts[g]) for g in sorted(Grade, reverse=True))
            assert f"{row.staff_count} {counts} {row.not_evaluated}" in text
        totals = march.totals()
        assert sum(totals.values()) == 25
        line = " ".join(str(totals[g]) for g in sorted(Grade, reverse=True))
        assert f"Tổng cộng 25 {line} 0" in text

    def test_the_units_own_results_and_the_quota_demotion_ground_are_shown(
        self, march: OrganisationOverview, march_pdf: bytes
    ) -> None:
        """Each unit's grade and score (e.g. 'HTXS (97)') is printed in its row."""
        _, text = pdf_text(march_pdf)
        for row in march.rows:
            assert row.unit_grade is not None and row.unit_total is not None
            assert f"{row.unit_grade.code} ({row.unit_total:g})".replace(".", ",") in text

    def test_the_chart_bars_are_proportional_to_the_counts(
        self, march: OrganisationOverview
    ) -> None:
        """Bar width / count is the same for every grade; the largest count fills the area."""
        bars = _bars(render_overview_html(march), "grade-chart")
        totals = march.totals()
        assert [b.get("data-grade") for b in bars] == ["HTXS", "HTT", "HT", "KHT"]
        counts = [int(b.get("data-count") or -1) for b in bars]
        assert counts == [totals[Grade.parse(b.get("data-grade"))] for b in bars]
        widths = [float(b.get("width") or "nan") for b in bars]
        peak = max(counts)
        for n, w in zip(counts, widths, strict=True):
            assert w == pytest.approx(widths[counts.index(peak)] * n / peak, abs=1e-3)
        assert max(widths) > 100

    def test_each_units_stacked_bar_splits_in_proportion_and_fills_the_row(
        self, march: OrganisationOverview
    ) -> None:
        """Per unit, segment widths are counts / graded people of the unit and add up to one bar."""
        html = render_overview_html(march)
        segs = _bars(html, "unit-chart")
        by_y: dict[str, list[ET.Element]] = {}
        for s in segs:
            by_y.setdefault(s.get("y") or "", []).append(s)
        assert len(by_y) == len(march.rows)
        sums = {round(sum(float(x.get("width") or 0) for x in g), 3) for g in by_y.values()}
        assert len(sums) == 1
        full = sums.pop()
        assert full > 100
        for group, row in zip(by_y.values(), march.rows, strict=True):
            n = sum(row.counts.values())
            assert sum(int(x.get("data-count") or 0) for x in group) == n
            for x in group:
                share = int(x.get("data-count") or 0) / n
                assert float(x.get("width") or 0) == pytest.approx(full * share, abs=1e-2)

    def test_the_frame_face_gives_the_same_counts_as_the_summaries(
        self, demo: DemoData, march: OrganisationOverview
    ) -> None:
        """classify_frame's staff and unit frames make the same overview, vectorised."""
        from evalkit.units import classify_frame

        staff, units = classify_frame(demo.frame(), demo.units_frame(), demo.rule_set_id)
        ov = OrganisationOverview.from_frame(staff, organisation=demo.organisation, rules=RULES,
                                             agency=AGENCY, period="2026-03",
                                             unit_results=units)  # fmt: skip
        assert [r.unit.id for r in ov.rows] == [r.unit.id for r in march.rows]
        assert [dict(r.counts) for r in ov.rows] == [dict(r.counts) for r in march.rows]
        assert [r.unit_grade for r in ov.rows] == [r.unit_grade for r in march.rows]
        assert ov.head is not None and ov.head.id == "SNV-001"

    def test_english_overview(self, march: OrganisationOverview) -> None:
        """lang='en' prints the English title, the key to the grade codes and 'Page 1/1'."""
        _, text = pdf_text(render_overview(march, lang="en"))
        assert "ORGANISATION OVERVIEW OF QUALITY EVALUATION AND GRADING — MARCH 2026" in text
        assert "HTXS — Excellently completed duties" in text
        assert "Page 1/1" in text

    def test_two_renders_are_byte_identical(
        self, march: OrganisationOverview, march_pdf: bytes
    ) -> None:
        """No clock, no random id in the overview either (issue 6 §2)."""
        assert render_overview(march) == march_pdf

    def test_sixty_units_break_onto_more_pages_with_the_header_repeated(self) -> None:
        """A long list of units continues on page 2 with the table header and 'Trang 2/n'."""
        rows = [OverviewRow(Unit(f"U{i:02d}", f"Ủy ban nhân dân xã số {i}"),
                            {"HTXS": i % 3, "HTT": 5, "HT": 1, "KHT": i % 2})
                for i in range(60)]  # fmt: skip
        ov = OrganisationOverview(AGENCY, RULES, "2026-03", rows)
        data = render_overview(ov)
        reader = pypdf.PdfReader(io.BytesIO(data))
        n = len(reader.pages)
        assert n >= 2
        second = reader.pages[1].extract_text()
        assert "Người đứng đầu" in second and f"Trang 2/{n}" in second
        assert ov.totals()[Grade.HTT] == 300

    def test_a_hostile_unit_name_is_printed_literally_in_table_and_chart(self) -> None:
        """Markup in a unit's name is escaped in HTML and in the SVG text (autoescape)."""
        rows = [OverviewRow(Unit("X", '<img src="http://x/">{{7*7}}'), {"HTT": 2})]
        html = render_overview_html(OrganisationOverview(AGENCY, RULES, "2026-03", rows))
        assert "<img" not in html
        assert html.count("&lt;img src=&#34;http://x/&#34;&gt;{{7*7}}") == 2
        assert "49" not in html

    def test_an_overview_without_units_or_with_a_unit_twice_is_refused(self) -> None:
        """No rows, or a unit listed twice, raise RenderError naming the problem."""
        with pytest.raises(RenderError, match="at least one unit"):
            OrganisationOverview(AGENCY, RULES, "2026-03", [])
        row = OverviewRow(UNIT, {"HTT": 1})
        with pytest.raises(RenderError, match="P-TCCB"):
            OrganisationOverview(AGENCY, RULES, "2026-03", [row, row])


# =========================================================================== tagged PDF


def _struct_tree(data: bytes) -> bool:
    root = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]
    if "/StructTreeRoot" not in root or "/MarkInfo" not in root:
        return False
    return bool(root["/MarkInfo"].get_object().get("/Marked"))


class TestTaggedPdf:
    """WeasyPrint 70 writes tagged PDF (pdf_tags); evalkit exposes it as tagged=True."""

    def test_tagged_output_has_a_structure_tree_and_the_default_has_none(
        self, march: OrganisationOverview, march_pdf: bytes
    ) -> None:
        """tagged=True adds /StructTreeRoot and /MarkInfo; the default output stays untagged."""
        assert not _struct_tree(march_pdf)
        tagged = render_overview(march, tagged=True)
        assert _struct_tree(tagged)
        assert tagged == render_overview(march, tagged=True)

    def test_every_render_function_accepts_tagged(self) -> None:
        """The monthly sheet, the unit summary and the period sheet are tagged on request."""
        sheet = period_sheet("2026-Q1", Q1)
        assert _struct_tree(render_period_pdf(sheet, tagged=True))
        a = evalkit.Assessment("CC-0042", "2026-03", competent_scores={
            "chinh_tri": 6, "dao_duc": 6, "tac_phong": 5, "ky_luat": 5, "phuc_vu": 5,
            "so_luong": 95, "chat_luong": 100, "tien_do": 90})  # fmt: skip
        r = evalkit.score(a, staff=PERSON, rules=RULES, position=POSITION)
        monthly = Sheet(PERSON, POSITION, UNIT, a, r, RULES, AGENCY)
        assert _struct_tree(render_pdf(monthly, tagged=True))
        assert _struct_tree(render_unit_summary(UNIT, [monthly], tagged=True))
        assert not _struct_tree(render_pdf(monthly))


# =========================================================================== CLI and demo


def test_the_render_command_writes_unit_summaries_and_the_overview(tmp_path: Path) -> None:
    """`evalkit render RESULTS.json --overview` adds units/<period>_<unit>.pdf and the overview."""
    import json

    from evalkit.cli import main
    from evalkit.io.results import write_results
    from evalkit.units import classify_frame

    demo = load_demo()
    f = demo.frame()
    f = f[(f["period"].astype(str) == "2026-03") & (f["unit_id"] == "SNV-VP")]
    u = demo.units_frame()
    u = u[u["period"] == "2026-03"].reset_index(drop=True)
    staff, units = classify_frame(f.reset_index(drop=True), u, demo.rule_set_id)
    names = {s.id: s.full_name for s in demo.organisation.staff}
    staff["full_name"] = staff["staff_id"].map(names)
    staff.attrs.update({"rule_set": demo.rule_set_id, "period": "2026-03", "units": units})
    write_results(staff, tmp_path / "r.json")
    buf = io.StringIO()
    rc = main(["render", str(tmp_path / "r.json"), "--out", str(tmp_path / "o"), "--overview",
               "--json"], stdout=buf)  # fmt: skip
    assert rc == 0
    files = [Path(p) for p in json.loads(buf.getvalue())["files"]]
    summary = tmp_path / "o" / "units" / "2026-03_SNV-VP.pdf"
    overview = tmp_path / "o" / "2026-03_overview.pdf"
    assert summary in files and overview in files
    assert len(files) == len(f) + 2
    _, text = pdf_text(overview.read_bytes())
    head = demo.organisation.head_of("SNV-VP")
    assert head is not None and head.full_name in text
    grades = staff["grade"].astype(str).value_counts()
    line = " ".join(str(int(grades.get(g.code, 0))) for g in sorted(Grade, reverse=True))
    assert f"Tổng cộng {len(f)} {line} 0" in text


def test_the_demo_writes_an_overview_per_month_and_a_quarterly_sheet_per_person(
    demo: DemoData, tmp_path: Path
) -> None:
    """run_demo's report step: three monthly overviews and each person's 2026-Q1 sheet."""
    from evalkit import render
    from evalkit.demo import _render_reports

    results, outcomes = _classify(demo)
    assert outcomes is not None
    org = demo.organisation
    unit = next(u for u in org.units if u.id == "SNV-VP")
    members = [s for s in org.staff if s.unit_id == unit.id]
    pos = {p.id: p for p in org.positions}
    sheets, by_month = [], {}
    for month in demo.months:
        month_sheets = [Sheet(s, pos[s.position_id], unit, a, results[(s.id, month)], RULES,
                              AGENCY) for s in members for a in demo.assessments_for(month)
                        if a.staff_id == s.id]  # fmt: skip
        sheets += month_sheets
        by_month[month] = [UnitSummary.from_sheets(month_sheets)]
    overviews, quarters = _render_reports(render, demo, results, by_month, sheets, tmp_path, "vi")
    assert [p.name for p in overviews] == ["2026-01.pdf", "2026-02.pdf", "2026-03.pdf"]
    assert len(quarters) == len(members)
    person = members[-1]
    path = next(p for p in quarters if person.id in p.name)
    assert path.name.startswith(f"2026-Q1_SNV-VP_{person.id}_")
    _, text = pdf_text(path.read_bytes())
    assert person.full_name in text
    for m in demo.months:
        r = results[(person.id, m)]
        assert r.grade is not None and r.total is not None
        total = f"{r.total:.2f}".rstrip("0").rstrip(".").replace(".", ",")
        assert f"{m.number:02d}/2026 {total} {RULES.grade_label(r.grade)}" in text
