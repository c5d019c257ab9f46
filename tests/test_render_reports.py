"""Annual and quarterly sheets, and the organisation overview, as PDF (issues 6, 15, 18).

The year's results come from the engine (:func:`evalkit.classify_year`); the sheets print
them. Expected figures are computed by hand: the year is the mean of the months worked
(NĐ 335/2025 Điều 21), bands 90/70/50, the HTXS quota 20 % of HTT, floored.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

import evalkit.rules  # noqa: E402
from evalkit import Grade, Period, Position, Staff, Unit  # noqa: E402
from evalkit.demo import DemoResults, classify_demo, load_demo  # noqa: E402
from evalkit.errors import RenderError  # noqa: E402
from evalkit.render import (  # noqa: E402
    Agency,
    OrganisationOverview,
    OverviewRow,
    PeriodSheet,
    QuotaFigures,
    Sheet,
    render_overview,
    render_overview_html,
    render_pdf,
    render_period_html,
    render_period_pdf,
    render_unit_summary,
    sheets_from_results,
    summaries_from_results,
    unit_facts,
    write_reports,
)
from evalkit.units import classify_year, results_from_frame  # noqa: E402

RULES = evalkit.rules.get("vn.nd335-2025")
AGENCY = Agency("Sở Nội vụ", governing_body="UBND tỉnh Thanh Hóa", place="Thanh Hóa")
UNIT = Unit("P-TCCB", "Phòng Tổ chức cán bộ", head_id="CC-0001", place="Thanh Hóa")
OLD_UNIT = Unit("P-KH", "Phòng Kế hoạch", place="Thanh Hóa")
POSITION = Position("CV", "Chuyên viên", "Officer")
PERSON = Staff("CC-0042", "Đặng Thị Ánh Tuyết", "CV", "P-TCCB")
MANAGER = Staff("CC-0001", "Lê Văn Bình", "CV", "P-TCCB", title_vi="Trưởng phòng")
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def pdf_text(data: bytes) -> tuple[int, str]:
    """The page count and the whitespace-flattened text of a PDF."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    return len(reader.pages), " ".join(text.split())


def year_frames(
    totals: Mapping[str, float | None],
    *,
    leave: Mapping[str, str] | None = None,
    units: Mapping[str, str] | None = None,
    colleagues: Mapping[str, float] | None = None,
    rules: str = RULES.id,
    conclusions: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The months of CC-0042 (and colleagues' flat months) and the engine's year."""
    rows = []
    for m, t in totals.items():
        rows.append({"staff_id": PERSON.id, "period": m, "rule_set": rules,
                     "unit_id": (units or {}).get(m, UNIT.id),
                     "total": math.nan if t is None else t,
                     "leave": (leave or {}).get(m)})  # fmt: skip
    for sid, t in (colleagues or {}).items():
        rows += [{"staff_id": sid, "period": m, "rule_set": rules, "unit_id": UNIT.id,
                  "total": t, "leave": None} for m in totals]  # fmt: skip
    months = pd.DataFrame(rows)
    months["leave"] = months["leave"].astype(object)
    year = classify_year(months, conclusions=conclusions)
    return months, year


def annual(totals: Mapping[str, float | None], **kw: Any) -> PeriodSheet:
    """Đặng Thị Ánh Tuyết's annual sheet for the engine's classification of ``totals``."""
    leave = kw.get("leave") or {}
    units = kw.pop("unit_of", None)
    months, year = year_frames(totals, units=units, **kw)
    res = {r.staff_id: r for r in results_from_frame(year)}[PERSON.id]
    mine = months[months["staff_id"] == PERSON.id].copy()
    bands = [None if math.isnan(t) else RULES.band_for(t).grade.code for t in mine["total"]]
    mine["grade"] = mine["score_grade"] = pd.Series(bands, index=mine.index, dtype=object)
    mine["reasons"] = ""
    mres = results_from_frame(mine)
    row = year[year["staff_id"] == PERSON.id].iloc[0]
    quota = None
    rank = None
    if "quota_cap" in year.columns and not pd.isna(row["quota_cap"]):
        quota = QuotaFigures(row["quota_percent"], row["quota_base"], row["quota_cap"],
                             row["quota_candidates"])  # fmt: skip
        rank = int(row["quota_rank"]) or None
    by_unit = {m: (OLD_UNIT if u == OLD_UNIT.id else UNIT) for m, u in (units or {}).items()}
    return PeriodSheet(PERSON, POSITION, UNIT, "2026", mres, RULES, AGENCY, result=res,
                       leave={k: v for k, v in leave.items() if v}, units_by_month=by_unit,
                       signed_on=datetime.date(2026, 12, 14), manager=MANAGER,
                       approver=Staff("CC-0000", "Nguyễn Văn Hùng", "GD", "P-TCCB",
                                      title_vi="Giám đốc Sở"),
                       self_comment="Hoàn thành tốt nhiệm vụ năm.", proposed_grade="HTXS",
                       manager_comment="Đồng ý.", manager_grade="HTT",
                       comment="Kết luận theo kết quả năm.", quota=quota,
                       quota_rank=rank)  # fmt: skip


TEN_AND_TWO = {m: (87.0 if i < 10 else 93.5) for i, m in enumerate(MONTHS)}


@pytest.fixture(scope="module")
def year_pdf() -> bytes:
    return render_period_pdf(annual(TEN_AND_TWO))


class TestAnnualSheet:
    """The annual sheet is the legal classification (NĐ 335/2025 Điều 21, issue 18 point 3)."""

    def test_the_average_of_the_months_decides_whatever_the_monthly_bands(
        self, year_pdf: bytes
    ) -> None:
        """10 months at 87 and 2 at 93,5: (870 + 187) / 12 = 88,08 → HTT for the year."""
        pages, text = pdf_text(year_pdf)
        assert pages == 1
        assert "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC NĂM 2026" in text
        assert "Số tháng được đánh giá: 12/12" in text
        assert "Điểm trung bình: 88,08" in text
        assert "Xếp loại chất lượng: Hoàn thành tốt nhiệm vụ" in text
        assert ("Điểm năm 88,08 là trung bình cộng điểm của 12 tháng được đánh giá "
                "(NĐ 335/2025/NĐ-CP, Điều 21)") in text  # fmt: skip

    def test_each_months_score_and_band_as_information(self, year_pdf: bytes) -> None:
        """Each month: its score and the band it falls in, marked as information."""
        _, text = pdf_text(year_pdf)
        assert "Mức tương ứng (để theo dõi)" in text
        assert "1 01/2026 87 Hoàn thành tốt nhiệm vụ" in text
        assert "12 12/2026 93,5 Hoàn thành xuất sắc nhiệm vụ" in text

    def test_the_three_levels_conclusions_and_signatures(self, year_pdf: bytes) -> None:
        """A, B, C: the person's, the manager's and the competent level's words; signatures."""
        _, text = pdf_text(year_pdf)
        assert "A. CÁ NHÂN TỰ NHẬN XÉT, ĐÁNH GIÁ NĂM Hoàn thành tốt nhiệm vụ năm." in text
        assert "Tự xếp loại: Hoàn thành xuất sắc nhiệm vụ" in text
        assert "Đề xuất xếp loại: Hoàn thành tốt nhiệm vụ" in text
        assert "Kết luận theo kết quả năm." in text
        assert "LÃNH ĐẠO TRỰC TIẾP Trưởng phòng" in text and "Lê Văn Bình" in text
        assert "CẤP CÓ THẨM QUYỀN Giám đốc Sở" in text and "Nguyễn Văn Hùng" in text
        assert "Thanh Hóa, ngày 14 tháng 12 năm 2026" in text

    def test_maternity_leave_classifies_on_the_months_worked(self) -> None:
        """Seven months of maternity leave, five months at 92 with five HTT colleagues:
        the year is 92 on 5 months, HTXS within the quota (20 % of 5 = 1)."""
        totals = {m: (92.0 if i < 5 else None) for i, m in enumerate(MONTHS)}
        leave = {m: "maternity" for i, m in enumerate(MONTHS) if i >= 5}
        sheet = annual(totals, leave=leave,
                       colleagues={f"CC-01{i}": 85.0 for i in range(5)})  # fmt: skip
        _, text = pdf_text(render_period_pdf(sheet))
        assert "Số tháng được đánh giá: 5/12" in text
        assert "6 06/2026 Chưa đánh giá Nghỉ thai sản" in text
        assert "Điểm trung bình: 92" in text
        assert "Xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ" in text
        assert ("Nghỉ theo quy định 7 tháng (thai sản): xếp "
                "loại theo thời gian làm việc thực tế (NĐ 335/2025/NĐ-CP, Điều 21 k3)") in text
        assert ("Trong tỷ lệ khống chế của đơn vị (Hoàn thành xuất sắc nhiệm vụ): thứ tự ưu "
                "tiên 1/1, tối đa 1 người (NĐ 335/2025/NĐ-CP, Điều 20 k5 a)") in text

    def test_a_quota_demotion_prints_its_sentence(self) -> None:
        """Two HTXS candidates against five HTT (cap 1): the lower one is HTT, with the
        catalogue's sentence and citation."""
        totals = dict.fromkeys(MONTHS, 91.0)
        colleagues = {"CC-0099": 95.0, **{f"CC-01{i}": 85.0 for i in range(5)}}
        sheet = annual(totals, colleagues=colleagues)
        _, text = pdf_text(render_period_pdf(sheet))
        assert "Xếp loại chất lượng: Hoàn thành tốt nhiệm vụ" in text
        assert ("Vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ của đơn vị: tối đa 1 người (20% của "
                "5 người xếp loại Hoàn thành tốt nhiệm vụ); xếp thứ 2/2 theo thứ tự ưu tiên "
                "nên xếp loại Hoàn thành tốt nhiệm vụ (NĐ 335/2025/NĐ-CP, Điều 20 k5 a)") in text
        assert "Trong tỷ lệ khống chế" not in text

    def test_a_transfer_uses_both_units_months_and_names_the_old_unit(self) -> None:
        """Six months in Phòng Kế hoạch, six in the new unit: one year, classified here."""
        units = {m: (OLD_UNIT.id if i < 6 else UNIT.id) for i, m in enumerate(MONTHS)}
        sheet = annual(dict.fromkeys(MONTHS, 85.0), unit_of=units)
        _, text = pdf_text(render_period_pdf(sheet))
        assert "1 01/2026 85 Hoàn thành tốt nhiệm vụ Công tác tại Phòng Kế hoạch" in text
        assert "7 07/2026 85 Hoàn thành tốt nhiệm vụ" in text
        assert "Đơn vị công tác: Phòng Tổ chức cán bộ" in text
        assert "Số tháng được đánh giá: 12/12" in text

    def test_the_competent_levels_conclusion_and_its_reason(self) -> None:
        """An HTXS average concluded HTT by the competent level, with the written reason."""
        conclusions = pd.DataFrame({"staff_id": [PERSON.id], "competent_grade": ["HTT"],
                                    "competent_reason": ["Còn để chậm hai hồ sơ"]})
        sheet = annual(dict.fromkeys(MONTHS, 95.0), conclusions=conclusions,
                       colleagues={f"CC-01{i}": 85.0 for i in range(5)})  # fmt: skip
        _, text = pdf_text(render_period_pdf(sheet))
        assert "Xếp loại chất lượng: Hoàn thành tốt nhiệm vụ" in text
        assert "Cấp có thẩm quyền kết luận xếp loại Hoàn thành tốt nhiệm vụ: Còn để chậm hai hồ sơ" in text

    def test_english_labels_and_numbers_with_lang_en(self) -> None:
        """lang='en' prints English labels, sentences and the decimal point."""
        _, text = pdf_text(render_period_pdf(annual(TEN_AND_TWO), lang="en"))
        assert "QUALITY EVALUATION AND GRADING SHEET — CIVIL SERVANT — 2026" in text
        assert "Average: 88.08" in text
        assert "Final grade: Well completed duties" in text
        assert "Page 1/1" in text

    def test_two_renders_are_byte_identical(self, year_pdf: bytes) -> None:
        """Identical input, identical bytes (issue 6 §2)."""
        assert render_period_pdf(annual(TEN_AND_TWO)) == year_pdf

    def test_render_does_not_roll_up(self) -> None:
        """Without the engine's result for the period, the sheet is refused (render never
        averages or grades)."""
        with pytest.raises(RenderError, match="render does not roll up"):
            PeriodSheet(PERSON, POSITION, UNIT, "2026", [], RULES, AGENCY)

    @pytest.mark.parametrize(
        ("change", "match"),
        [({"period": "2026-03"}, "quarter or a year"),
         ({"months": "2027-01"}, "2027-01"),
         ({"months": "other"}, "CC-0099"),
         ({"months": "twice"}, "two results for 2026-01"),
         ({"leave": {"2026-02": "holiday"}}, "holiday")],
    )  # fmt: skip
    def test_inconsistent_input_is_refused_naming_the_value(
        self, change: dict[str, object], match: str
    ) -> None:
        """A month sheet, a month outside, another person, a duplicate, bad leave: RenderError."""
        base = annual(dict.fromkeys(MONTHS, 85.0))
        first = base.months[0]
        import attrs

        months: object = list(base.months)
        if change.get("months") == "2027-01":
            months = [attrs.evolve(first, period=Period.parse("2027-01"))]
        elif change.get("months") == "other":
            months = [attrs.evolve(first, staff_id="CC-0099")]
        elif change.get("months") == "twice":
            months = [first, first]
        period = change.get("period", "2026")
        with pytest.raises(RenderError, match=match):
            PeriodSheet(PERSON, POSITION, UNIT, period, months, RULES, AGENCY,  # type: ignore[arg-type]
                        result=base.result, leave=change.get("leave", {}))  # type: ignore[arg-type]  # fmt: skip


class TestQuarterly:
    """A quarterly rule set scores quarters (the sheet is a Sheet of a quarter) and counts
    the quarters' grades for the year."""

    def test_a_quarter_sheet_is_titled_with_the_quarter(self) -> None:
        """vn.customs-2026q (from Q3/2026): the quarter is classified ('QUÝ 3/2026')."""
        rs = evalkit.rules.get("vn.customs-2026q")
        a = evalkit.Assessment(PERSON.id, "2026-Q3", competent_scores=rs.full_marks())
        r = evalkit.score(a, staff=PERSON, rules=rs, position=POSITION)
        _, text = pdf_text(render_pdf(Sheet(PERSON, POSITION, UNIT, a, r, rs, AGENCY)))
        assert "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC QUÝ 3/2026" in text
        assert "Xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ" in text

    def test_the_year_of_a_quarterly_set_lists_its_quarters(self) -> None:
        """Two HTXS quarters and no KHT: HTXS for the year (count rule), each quarter a row."""
        rs = evalkit.rules.get("vn.customs-2026q")
        totals = {"2026-Q1": 95.0, "2026-Q2": 93.0, "2026-Q3": 85.0, "2026-Q4": 84.0}
        rows = [{"staff_id": PERSON.id, "period": q, "unit_id": UNIT.id, "rule_set": rs.id,
                 "total": t, "grade": rs.band_for(t).grade.code}
                for q, t in totals.items()]  # fmt: skip
        rows += [{"staff_id": f"CC-01{i}", "period": q, "unit_id": UNIT.id, "rule_set": rs.id,
                  "total": 85.0, "grade": "HTT"} for i in range(10) for q in totals]  # fmt: skip
        quarters = pd.DataFrame(rows)
        year = classify_year(quarters, rules=rs)
        res = {r.staff_id: r for r in results_from_frame(year, rules=rs)}[PERSON.id]
        mine = results_from_frame(quarters[quarters["staff_id"] == PERSON.id].assign(reasons=""),
                                  rules=rs)  # fmt: skip
        sheet = PeriodSheet(PERSON, POSITION, UNIT, "2026", mine, rs, AGENCY, result=res)
        _, text = pdf_text(render_period_pdf(sheet))
        assert res.grade is Grade.HTXS
        assert "ĐIỂM ĐÁNH GIÁ CÁC QUÝ" in text
        assert "1 Quý 1/2026 95 Hoàn thành xuất sắc nhiệm vụ" in text
        assert "4 Quý 4/2026 84 Hoàn thành tốt nhiệm vụ" in text
        assert "Số quý được đánh giá: 4/4" in text
        assert "Xếp loại chất lượng: Hoàn thành xuất sắc nhiệm vụ" in text


# =========================================================================== overview


@pytest.fixture(scope="module")
def engine() -> DemoResults:
    return classify_demo()


@pytest.fixture(scope="module")
def december(engine: DemoResults) -> OrganisationOverview:
    """The demo agency's December: monitoring (NĐ 335) and classification (NĐ 233)."""
    data = load_demo()
    per = engine.months["period"].astype(str) == "2026-12"
    uper = engine.units["period"].astype(str) == "2026-12"
    summaries = summaries_from_results(engine.months[per.to_numpy()],
                                       engine.units[uper.to_numpy()],
                                       org=data.organisation, agency=AGENCY)  # fmt: skip
    return OrganisationOverview.from_summaries(summaries, organisation=data.organisation)


@pytest.fixture(scope="module")
def year_overview(engine: DemoResults) -> OrganisationOverview:
    data = load_demo()
    summaries = summaries_from_results(engine.year, engine.unit_year, org=data.organisation,
                                       agency=AGENCY)  # fmt: skip
    return OrganisationOverview.from_summaries(summaries, organisation=data.organisation)


def _bars(html: str, svg_class: str) -> list[ET.Element]:
    m = re.search(rf'<svg class="{svg_class}".*?</svg>', html, re.S)
    assert m is not None
    root = ET.fromstring(m.group(0))
    return [e for e in root.iter() if e.tag.endswith("rect")]


def _khoi_month(scores: list[float] | None = None
                ) -> tuple[evalkit.Organisation, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sở → Khối Văn hóa (no people of its own) → Phòng A, and Phòng B under the Sở: one
    person each in the Sở and the two phòng, March 2026 under NĐ 335, classified (with the
    units' ``scores`` where given). Returns the organisation, the results (inputs and
    grades), and classify_frame's staff and unit frames."""
    org = evalkit.Organisation(
        units=[Unit("SO", "Sở"), Unit("KHOI", "Khối Văn hóa", parent_id="SO"),
               Unit("PA", "Phòng A", parent_id="KHOI"), Unit("PB", "Phòng B", parent_id="SO")],
        positions=[POSITION],
        staff=[Staff(s, f"Người {s}", "CV", u) for s, u in (("S", "SO"), ("A", "PA"),
                                                            ("B", "PB"))])  # fmt: skip
    months = pd.DataFrame([{"staff_id": s, "unit_id": u, "period": "2026-03",
                            "category": "cong_chuc", **RULES.full_marks()}
                           for s, u in (("S", "SO"), ("A", "PA"), ("B", "PB"))])  # fmt: skip
    units = pd.DataFrame({"unit_id": ["SO", "KHOI", "PA", "PB"],
                          "parent_id": [None, "SO", "KHOI", "SO"], "period": "2026-03"})
    if scores is not None:
        units["score"] = scores
    st, ut = evalkit.classify_frame(months, units, RULES)
    results = pd.concat([months, st[[c for c in st.columns if c not in months]]], axis=1)
    return org, results, st, ut


class TestOverview:
    """Every unit of the organisation on one report with a grade chart (issue 6 item 1)."""

    def test_every_unit_head_and_count_is_on_one_a4_page(
        self, year_overview: OrganisationOverview
    ) -> None:
        """Unit names, heads, per-unit counts and the organisation totals for the year."""
        data = render_overview(year_overview)
        pages, text = pdf_text(data)
        assert pages == 1 and "Trang 1/1" in text
        assert "BÁO CÁO TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM 2026" in text
        org = load_demo().organisation
        for row in year_overview.rows:
            head = org.head_of(row.unit.id)
            assert head is not None and head.full_name in text
            counts = " ".join(str(row.counts[g]) for g in sorted(Grade, reverse=True))
            assert f"{row.staff_count} {counts} {row.not_evaluated}" in text
        totals = year_overview.totals()
        assert [totals[g] for g in sorted(Grade, reverse=True)] == [2, 26, 2, 1]
        assert "Tổng cộng 31 2 26 2 1 0" in text

    def test_a_month_counts_the_not_evaluated_and_says_monitoring(
        self, december: OrganisationOverview
    ) -> None:
        """December: one person on sick leave is 'Chưa đánh giá'; the bands are information."""
        _, text = pdf_text(render_overview(december))
        assert "BÁO CÁO TỔNG HỢP KẾT QUẢ THEO DÕI, ĐÁNH GIÁ THÁNG 12/2026" in text
        assert sum(r.not_evaluated for r in december.rows) == 1
        assert "Mức tương ứng với điểm của tháng chỉ để theo dõi" in text

    def test_the_units_own_results_and_their_reasons_are_shown(
        self, year_overview: OrganisationOverview
    ) -> None:
        """Each unit's grade and score; the council's re-score with its sentence."""
        _, text = pdf_text(render_overview(year_overview))
        assert "HTT (86,5)" in text and "HTXS (100)" in text
        assert ("Phòng Xây dựng chính quyền và Công tác thanh niên: Hội đồng thẩm định kết luận "
                "86,5 điểm (điểm tính theo kết quả 90,31, đơn vị tự chấm 94)") in text

    def test_the_chart_bars_are_proportional_to_the_counts(
        self, year_overview: OrganisationOverview
    ) -> None:
        """Bar width / count is the same for every grade; the largest count fills the area."""
        bars = _bars(render_overview_html(year_overview), "grade-chart")
        totals = year_overview.totals()
        assert [b.get("data-grade") for b in bars] == ["HTXS", "HTT", "HT", "KHT"]
        counts = [int(b.get("data-count") or -1) for b in bars]
        assert counts == [totals[Grade.parse(b.get("data-grade"))] for b in bars]
        widths = [float(b.get("width") or "nan") for b in bars]
        peak = max(counts)
        for n, w in zip(counts, widths, strict=True):
            assert w == pytest.approx(widths[counts.index(peak)] * n / peak, abs=1e-3)
        assert max(widths) > 100

    def test_each_units_stacked_bar_splits_in_proportion_and_fills_the_row(
        self, year_overview: OrganisationOverview
    ) -> None:
        """Per unit, segment widths are counts / graded people of the unit, one full bar."""
        segs = _bars(render_overview_html(year_overview), "unit-chart")
        by_y: dict[str, list[ET.Element]] = {}
        for s in segs:
            by_y.setdefault(s.get("y") or "", []).append(s)
        assert len(by_y) == len(year_overview.rows)
        sums = {round(sum(float(x.get("width") or 0) for x in g), 3) for g in by_y.values()}
        assert len(sums) == 1
        full = sums.pop()
        for group, row in zip(by_y.values(), year_overview.rows, strict=True):
            n = sum(row.counts.values())
            for x in group:
                share = int(x.get("data-count") or 0) / n
                assert float(x.get("width") or 0) == pytest.approx(full * share, abs=1e-2)

    def test_the_frame_face_gives_the_same_counts_as_the_summaries(
        self, engine: DemoResults, year_overview: OrganisationOverview
    ) -> None:
        """classify_year's rows make the same overview, vectorised."""
        ov = OrganisationOverview.from_frame(engine.year, organisation=load_demo().organisation,
                                             rules=RULES, agency=AGENCY,
                                             unit_results=engine.unit_year)  # fmt: skip
        assert [r.unit.id for r in ov.rows] == [r.unit.id for r in year_overview.rows]
        assert [dict(r.counts) for r in ov.rows] == [dict(r.counts) for r in year_overview.rows]
        assert [r.unit_grade for r in ov.rows] == [r.unit_grade for r in year_overview.rows]
        assert ov.head is not None and ov.head.id == "SNV-001"

    def test_english_overview(self, year_overview: OrganisationOverview) -> None:
        """lang='en' prints the English title, the key to the grade codes and 'Page 1/1'."""
        _, text = pdf_text(render_overview(year_overview, lang="en"))
        assert "ORGANISATION OVERVIEW OF QUALITY EVALUATION AND GRADING — 2026" in text
        assert "HTXS: Excellently completed duties" in text
        assert "Page 1/1" in text

    def test_two_renders_are_byte_identical(self, year_overview: OrganisationOverview) -> None:
        """No clock, no random id in the overview either (issue 6 §2)."""
        assert render_overview(year_overview) == render_overview(year_overview)

    def test_sixty_units_break_onto_more_pages_with_the_header_repeated(self) -> None:
        """A long list of units continues on page 2 with the table header and 'Trang 2/n';
        the signatures keep company with the chart before them."""
        rows = [OverviewRow(Unit(f"U{i:02d}", f"Ủy ban nhân dân xã số {i}"),
                            {"HTXS": i % 3, "HTT": 5, "HT": 1, "KHT": i % 2})
                for i in range(60)]  # fmt: skip
        ov = OrganisationOverview(AGENCY, RULES, "2026", rows)
        data = render_overview(ov)
        reader = pypdf.PdfReader(io.BytesIO(data))
        n = len(reader.pages)
        assert n >= 2
        second = reader.pages[1].extract_text()
        assert "Người đứng đầu" in second and f"Trang 2/{n}" in second
        last = reader.pages[-1].extract_text()
        assert "THỦ TRƯỞNG CƠ QUAN" in last and "Tỷ lệ theo đơn vị" in last
        assert ov.totals()[Grade.HTT] == 300

    def test_a_hostile_unit_name_is_printed_literally_in_table_and_chart(self) -> None:
        """Markup in a unit's name is escaped in HTML and in the SVG text (autoescape)."""
        rows = [OverviewRow(Unit("X", '<img src="http://x/">{{7*7}}'), {"HTT": 2})]
        html = render_overview_html(OrganisationOverview(AGENCY, RULES, "2026-03", rows))
        assert "<img" not in html
        assert html.count("&lt;img src=&#34;http://x/&#34;&gt;{{7*7}}") == 2
        assert "49" not in html

    def test_a_unit_under_a_unit_without_people_keeps_its_depth(self) -> None:
        """Sở → Khối (no people: no summary) → Phòng: from the summaries (the CLI's door) the
        Phòng is at depth 2 under the Sở, as from the frames — never a second root (af24)."""
        org, results, st, ut = _khoi_month()
        ov = OrganisationOverview.from_summaries(
            summaries_from_results(results, ut, org=org, agency=AGENCY), organisation=org)
        frame = OrganisationOverview.from_frame(st, organisation=org, rules=RULES,
                                                agency=AGENCY, unit_results=ut)  # fmt: skip
        assert [(r.unit.id, r.depth) for r in ov.rows] == [("SO", 0), ("PA", 2), ("PB", 1)]
        assert [(r.unit.id, r.depth) for r in frame.rows if r.unit.id != "KHOI"] == [
            (r.unit.id, r.depth) for r in ov.rows]

    def test_a_unit_with_a_result_and_no_people_is_on_the_overview(self, tmp_path: Path) -> None:
        """The Khối has no people, so no unit summary, but it was classified: the overview
        from the summaries (the CLI's door, through write_reports) lists it with its own
        grade and depth, as from_frame does, with no people counted."""
        org, results, st, ut = _khoi_month(scores=[95, 82, 95, 95])
        frame = OrganisationOverview.from_frame(st, organisation=org, rules=RULES,
                                                agency=AGENCY, unit_results=ut)  # fmt: skip
        khoi = next(r for r in frame.rows if r.unit.id == "KHOI")
        assert khoi.unit_grade is not None and khoi.depth == 1 and sum(khoi.counts.values()) == 0
        sheets = sheets_from_results(results, org=org, agency=AGENCY, unit_results=ut)
        paths = write_reports(sheets, tmp_path, results=results, unit_results=ut,
                              organisation=org, overview=True)  # fmt: skip
        [overview] = [p for p in paths if p.name.endswith("_overview.pdf")]
        _, text = pdf_text(overview.read_bytes())
        assert "Khối Văn hóa" in text
        ov = OrganisationOverview.from_summaries(
            summaries_from_results(results, ut, org=org, agency=AGENCY), organisation=org,
            unit_facts={"KHOI": unit_facts(ut.set_index("unit_id").loc["KHOI"].to_dict(),
                                           RULES)})  # fmt: skip
        assert [(r.unit.id, r.depth, r.unit_grade, dict(r.counts)) for r in ov.rows] == [
            (r.unit.id, r.depth, r.unit_grade, dict(r.counts)) for r in frame.rows]

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
        self, year_overview: OrganisationOverview
    ) -> None:
        """tagged=True adds /StructTreeRoot and /MarkInfo; the default output stays untagged."""
        assert not _struct_tree(render_overview(year_overview))
        tagged = render_overview(year_overview, tagged=True)
        assert _struct_tree(tagged)
        assert tagged == render_overview(year_overview, tagged=True)

    def test_every_render_function_accepts_tagged(self) -> None:
        """The monthly sheet, the unit summary and the annual sheet are tagged on request."""
        assert _struct_tree(render_period_pdf(annual(TEN_AND_TWO), tagged=True))
        a = evalkit.Assessment("CC-0042", "2026-03", competent_scores=RULES.full_marks())
        r = evalkit.score(a, staff=PERSON, rules=RULES, position=POSITION)
        monthly = Sheet(PERSON, POSITION, UNIT, a, r, RULES, AGENCY)
        assert _struct_tree(render_pdf(monthly, tagged=True))
        assert _struct_tree(render_unit_summary(UNIT, [monthly], tagged=True))
        assert not _struct_tree(render_pdf(monthly))


def test_the_html_of_a_period_sheet_has_no_rule_set_id() -> None:
    """The rule set is named by its Vietnamese title, never by its id."""
    html = render_period_html(annual(TEN_AND_TWO))
    assert RULES.title_vi in re.sub(r"<[^>]+>", "", html)  # its citation in a nowrap span
    assert RULES.id not in html.split("<body", 1)[1]


# =========================================================================== CLI


def test_the_render_command_writes_unit_summaries_and_the_overview(tmp_path: Path) -> None:
    """`evalkit render RESULTS.json --overview` adds units/<period>_<unit>.pdf and the overview,
    every person of the unit listed with names, not ids."""
    import json

    from evalkit.cli import main
    from evalkit.io.results import write_results
    from evalkit.units import classify_frame

    demo = load_demo()
    f = demo.frame()
    f = f[(f["period"].astype(str) == "2026-12") & (f["unit_id"] == "SNV-VP")]
    u = demo.units_frame()
    u = u[u["period"] == "2026-12"].reset_index(drop=True)
    staff, units = classify_frame(f.reset_index(drop=True), u)
    names = {s.id: s.full_name for s in demo.organisation.staff}
    staff["full_name"] = staff["staff_id"].map(names)
    staff["unit_name"] = "Văn phòng Sở"
    staff.attrs.update({"rule_set": RULES.id, "period": "2026-12", "units": units})
    write_results(staff, tmp_path / "r.json")
    buf = io.StringIO()
    rc = main(["render", str(tmp_path / "r.json"), "--out", str(tmp_path / "o"), "--overview",
               "--json"], stdout=buf)  # fmt: skip
    assert rc == 0
    files = [Path(p) for p in json.loads(buf.getvalue())["files"]]
    summary = tmp_path / "o" / "units" / "2026-12_SNV-VP.pdf"
    overview = tmp_path / "o" / "2026-12_overview.pdf"
    assert summary in files and overview in files
    # the sheets, the overview, one summary per unit the engine graded: the Văn phòng's
    # and the units none of whose people is in the classified frame (issue 13: a unit with
    # a result and no people rows has its summary, saying nobody of it was evaluated)
    assert int(units["grade"].notna().sum()) == 5
    assert len(files) == len(f) + 5 + 1
    _, text = pdf_text(summary.read_bytes())
    for sid in f["staff_id"]:
        assert names[sid] in text and sid not in text
    _, text = pdf_text(overview.read_bytes())
    assert "Văn phòng Sở" in text
    grades = staff["grade"].astype(str).value_counts()
    line = " ".join(str(int(grades.get(g.code, 0))) for g in sorted(Grade, reverse=True))
    assert f"Tổng cộng {len(f)} {line} 0" in text


@pytest.mark.parametrize(("rule_set_id", "keyed"), [("hanoi.3814-2018", False),
                                                    ("vn.nd335-2025", True)])
def test_the_overview_key_explains_only_short_grade_codes(rule_set_id: str, keyed: bool) -> None:
    """The key under the overview spells out a short code (HTXS: Hoàn thành xuất sắc nhiệm
    vụ); Hà Nội's grades are their own names ("Loại A"), so a key would only say
    "Loại A: Loại A": none is printed."""
    org = evalkit.Organisation(
        units=[Unit("U", "Phòng A", head_id="H")],
        positions=[Position("tp", "Trưởng phòng", manages_others=True),
                   Position("cv", "Chuyên viên")],
        staff=[Staff("H", "Lê Hà", "tp", "U"), Staff("S", "Đỗ An", "cv", "U")])  # fmt: skip
    frame = pd.DataFrame({"staff_id": ["H", "S"], "unit_id": "U", "period": "2026-03",
                          "total": [92.0, 75.0], "grade": ["HTXS", "HTT"]})  # fmt: skip
    rules = evalkit.rules.get(rule_set_id)
    html = render_overview_html(OrganisationOverview.from_frame(
        frame, organisation=org, rules=rules, agency=AGENCY))  # fmt: skip
    keys = re.findall(r'<p class="legend">(.*?)</p>', html, re.S)
    if keyed:
        assert len(keys) == 1 and "HTXS: Hoàn\xa0thành\xa0xuất\xa0sắc" in keys[0]
    else:
        assert keys == [] and "Loại\xa0A" in html and "Loại\xa0A: Loại" not in html


@pytest.mark.parametrize("blank", [None, "", " ", "\u00a0", "\u200b", float("nan"), pd.NA])
def test_a_blank_grade_given_to_the_year_sheet_is_no_grade(blank: Any) -> None:
    """A proposed or manager's grade handed to :class:`PeriodSheet` as a blank cell (a
    space, NBSP, a zero-width space, NaN, ``pd.NA``) is no grade, as the frames' door reads
    it (:func:`evalkit.render._format.grade_cell`, the one reader); a grade is read."""
    sheet = annual(TEN_AND_TWO)
    kept = attrs.evolve(sheet, proposed_grade=blank, manager_grade="htt")
    assert kept.proposed_grade is None
    assert kept.manager_grade is Grade.HTT
    with pytest.raises(ValueError, match="XX"):
        attrs.evolve(sheet, manager_grade="XX")
