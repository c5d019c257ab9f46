"""From the engine's frames to documents: sheets, summaries, annual sheets, publication lists
(issues 13, 15, 17, 18). Names come from the organisation or the frame, never an id where a
name exists; signatories from the organisation and ``signatories``; figures are the engine's.
"""

from __future__ import annotations

import ast
import datetime
import io
from pathlib import Path

import pandas as pd
import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

import evalkit  # noqa: E402
from evalkit import Grade  # noqa: E402
from evalkit.demo import DemoData, DemoResults, classify_demo, load_demo  # noqa: E402
from evalkit.errors import RenderError  # noqa: E402
from evalkit.io.results import write_table_csv  # noqa: E402
from evalkit.render import (  # noqa: E402
    Agency,
    PublicationList,
    QuotaFigures,
    Signatory,
    period_sheets_from_results,
    publication_frame,
    render_publication,
    sheets_from_results,
    summaries_from_results,
    write_reports,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data() -> DemoData:
    return load_demo()


@pytest.fixture(scope="module")
def engine(data: DemoData) -> DemoResults:
    return classify_demo(data)


def _month(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    part = frame[(frame["period"].astype(str) == period).to_numpy()]
    part.attrs.update(frame.attrs)
    return part


@pytest.fixture(scope="module")
def december(engine: DemoResults) -> pd.DataFrame:
    return _month(engine.months, "2026-12")


@pytest.fixture(scope="module")
def sheets(december: pd.DataFrame, data: DemoData) -> dict[str, evalkit.render.Sheet]:
    out = sheets_from_results(december, org=data.organisation,
                              signatories=dict(data.signatories))  # fmt: skip
    return {s.staff.id: s for s in out}


@pytest.fixture(scope="module")
def annual(engine: DemoResults, data: DemoData) -> dict[str, object]:
    out = period_sheets_from_results(engine.year, engine.months, org=data.organisation,
                                     signatories=dict(data.signatories),
                                     conclusions=data.conclusions,
                                     signed_on=datetime.date(2026, 12, 31))  # fmt: skip
    return {s.staff.id: s for s in out}


@pytest.fixture(scope="module")
def summary(engine: DemoResults, data: DemoData) -> evalkit.render.UnitSummary:
    by = {s.unit.id: s for s in summaries_from_results(engine.year, engine.unit_year,
                                                        org=data.organisation)}
    return by["SNV-CCVC"]


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


class TestSheetsFromResults:
    """One sheet per row, with names, the three levels and the signatories."""

    def test_every_row_makes_a_sheet_named_from_the_organisation(
        self, sheets: dict[str, evalkit.render.Sheet], december: pd.DataFrame
    ) -> None:
        """31 people in December, each with their unit and position names."""
        assert sorted(sheets) == sorted(december["staff_id"])
        s = sheets["SNV-301"]
        assert (s.staff.full_name, s.position.title_vi, s.unit.name) == (
            "Võ Văn Dũng", "Trưởng phòng",
            "Phòng Xây dựng chính quyền và Công tác thanh niên")  # fmt: skip

    def test_each_levels_scores_and_the_engines_totals(
        self, sheets: dict[str, evalkit.render.Sheet], december: pd.DataFrame
    ) -> None:
        """The sheet's assessment holds each level's own scores; the totals are the engine's."""
        row = december[december["staff_id"] == "SNV-301"].iloc[0]
        s = sheets["SNV-301"]
        assert s.assessment.self_scores["ket_qua_linh_vuc"] == row["self__ket_qua_linh_vuc"] == 100
        assert s.assessment.competent_scores["ket_qua_linh_vuc"] == 50
        for level in ("self", "manager", "competent"):
            assert s.result.level_totals[level] == row[f"{level}_total"]
        assert s.result.total == row["total"] == s.result.level_totals["competent"]
        assert [r.code for r in s.result.reasons] == ["band", "band.information", "management.d"]

    def test_the_signatories_come_from_the_organisation_and_the_mapping(
        self, sheets: dict[str, evalkit.render.Sheet]
    ) -> None:
        """The direct manager from the organisation; the competent level: per person, per
        unit, then the default."""
        s = sheets["SNV-302"]
        assert s.manager == Signatory("Võ Văn Dũng", "Trưởng phòng")
        assert sheets["SNV-301"].manager == Signatory("Phạm Quốc Huy", "Phó Giám đốc Sở")
        assert s.approver == Signatory("Lê Văn Thành", "Giám đốc Sở Nội vụ")
        assert sheets["SNV-001"].approver == Signatory("Hoàng Minh Quân",
                                                       "Chủ tịch Ủy ban nhân dân tỉnh")
        assert sheets["SNV-403"].approver == Signatory("Nguyễn Văn Tùng",
                                                       "Giám đốc Trung tâm Lưu trữ lịch sử")
        assert sheets["SNV-401"].approver == Signatory("Lê Văn Thành", "Giám đốc Sở Nội vụ")

    def test_the_agency_defaults_to_the_organisations_root(
        self, sheets: dict[str, evalkit.render.Sheet]
    ) -> None:
        """Issue 15: with an organisation the governing body and place are not blank."""
        assert sheets["SNV-101"].agency == Agency("Sở Nội vụ tỉnh Sông Lam",
                                                  "Ủy ban nhân dân tỉnh Sông Lam", "Lam Giang")

    def test_a_person_not_evaluated_gets_a_sheet_that_says_so(
        self, sheets: dict[str, evalkit.render.Sheet]
    ) -> None:
        """Sick leave in December: no total, 'Chưa đánh giá (Nghỉ ốm)', never a zero."""
        s = sheets["SNV-304"]
        assert not s.result.evaluated and s.assessment.leave == "sick"
        text = pdf_text(evalkit.render.render_pdf(s))
        assert "Chưa đánh giá (Nghỉ ốm)" in text
        assert "Không có điểm đánh giá trong kỳ: chưa đánh giá" in text

    def test_without_an_organisation_names_come_from_the_frames_columns(
        self, december: pd.DataFrame
    ) -> None:
        """full_name, title_vi, position_title, unit_name: the sheet never shows an id
        where the frame holds a name."""
        part = december[december["staff_id"] == "SNV-105"].copy()
        part["full_name"] = "Bùi Thị Ngọc Ánh"
        part["position_title"] = "Chuyên viên"
        part["unit_name"] = "Văn phòng Sở"
        part.attrs.update(december.attrs)
        (s,) = sheets_from_results(part, agency="Sở Nội vụ")
        text = pdf_text(evalkit.render.render_pdf(s))
        assert "Bùi Thị Ngọc Ánh" in text and "Văn phòng Sở" in text
        assert "Vị trí việc làm: Chuyên viên" in text
        for ident in ("SNV-105", "SNV-VP", "chuyen_vien"):
            assert ident not in text

    def test_a_blank_position_leaves_no_empty_label(self, december: pd.DataFrame) -> None:
        """No position: the line says the unit alone, no "Vị trí việc làm:" with nothing
        after it nor a dangling separator; the annual sheet the same."""
        import re

        part = december[december["staff_id"] == "SNV-105"].copy()
        part["position_id"] = None
        part["unit_name"] = "Văn phòng Sở"
        part.attrs.update(december.attrs)
        (s,) = sheets_from_results(part, agency="Sở Nội vụ")
        html = evalkit.render.render_html(s)
        line = next(x for x in html.splitlines() if "Văn phòng Sở" in x and "<p>" in x)
        assert re.sub("<[^>]+>", "", line).strip() == "Đơn vị công tác: Văn phòng Sở"
        text = pdf_text(evalkit.render.render_pdf(s))
        assert "Vị trí việc làm" not in text and "Đơn vị công tác: Văn phòng Sở" in text

    def test_a_frame_without_level_columns_shows_the_counting_scores(
        self, december: pd.DataFrame
    ) -> None:
        """Only the counting scores: they are the competent level's column, with the total."""
        part = december[december["staff_id"] == "SNV-103"]
        part = part[[c for c in part.columns
                     if not str(c).startswith(("self_", "manager_", "competent_"))]]  # fmt: skip
        (s,) = sheets_from_results(part)
        assert s.assessment.competent_scores["so_luong"] == part["so_luong"].iloc[0]
        assert not s.assessment.self_scores
        text = pdf_text(evalkit.render.render_pdf(s))
        assert f"Tổng cộng 100 {str(part['total'].iloc[0]).replace('.', ',')}" in text

    def test_the_organisation_is_an_object(self, december: pd.DataFrame) -> None:
        """Reading the organisation's file is io's; render takes the object and says so."""
        with pytest.raises(RenderError, match="read_json"):
            sheets_from_results(december, org="to-chuc.json")  # type: ignore[arg-type]

    def test_results_must_come_from_the_engine(self, december: pd.DataFrame) -> None:
        """A frame without the engine's rule_set column is refused with what to do."""
        with pytest.raises(RenderError, match="classify them first"):
            sheets_from_results(december.drop(columns=["rule_set"]))


class TestSummariesFromResults:
    """Everyone listed; the unit's own result and the quota from the engine's columns."""

    def test_a_month_lists_everyone_and_counts_the_not_evaluated(
        self, december: pd.DataFrame, engine: DemoResults, data: DemoData
    ) -> None:
        """December's XDCQ: ten people, Lương Thị Thảo 'Chưa đánh giá', the head bold."""
        units = _month(engine.units, "2026-12")
        by = {s.unit.id: s for s in summaries_from_results(december, units,
                                                            org=data.organisation)}
        s = by["SNV-XDCQ"]
        assert len(s.rows) == 10 and s.not_evaluated() == 1
        assert s.head is not None and s.head.full_name == "Võ Văn Dũng"
        assert s.facts is not None and s.facts.self_score == 93 and not s.facts.classified
        assert s.quota is None or not s.classified

    def test_an_organisation_member_without_a_row_is_listed(
        self, december: pd.DataFrame, data: DemoData
    ) -> None:
        """A person missing from the month's frame is listed 'Chưa đánh giá' and counted."""
        part = december[december["staff_id"] != "SNV-305"]
        part.attrs.update(december.attrs)
        by = {s.unit.id: s for s in summaries_from_results(part, org=data.organisation)}
        rows = {r.staff.id: r for r in by["SNV-XDCQ"].rows}
        assert not rows["SNV-305"].result.evaluated
        assert by["SNV-XDCQ"].not_evaluated() == 2
        text = pdf_text(evalkit.render.render_unit_summary(by["SNV-XDCQ"]))
        assert "Đinh Công Hậu Chuyên viên Chưa đánh giá" in text
        assert "Chưa đánh giá 2 Tổng số người 10" in text  # counted; shares are of the graded

    def test_the_year_shows_the_quota_figures_and_the_council(
        self, engine: DemoResults, data: DemoData
    ) -> None:
        """CCVC: 20 % of 5 HTT = 1, two candidates, one demoted; XDCQ: the council's 86,5
        beside the computed 90,31 and the unit's own 94."""
        by = {s.unit.id: s for s in summaries_from_results(engine.year, engine.unit_year,
                                                            org=data.organisation)}
        assert by["SNV-CCVC"].quota == QuotaFigures(20.0, 5, 1, 2, 1)
        f = by["SNV-XDCQ"].facts
        assert f is not None
        assert (f.self_score, f.computed_score, f.council_score, f.score, f.grade) == (
            94.0, 90.31, 86.5, 86.5, Grade.HTT)
        assert [r.code for r in f.reasons] == ["unit.council"]
        text = pdf_text(evalkit.render.render_unit_summary(by["SNV-XDCQ"]))
        assert "Đơn vị tự chấm 94" in text
        assert "Điểm tính theo kết quả thực hiện nhiệm vụ 90,31" in text
        assert "Hội đồng thẩm định chấm 86,5" in text
        text = pdf_text(evalkit.render.render_unit_summary(by["SNV-CCVC"]))
        assert "Tỷ lệ tối đa 20%" in text
        assert "Số người làm căn cứ tính (Hoàn thành tốt nhiệm vụ) 5" in text
        assert "Số người đạt mức theo điểm và điều kiện 2" in text
        assert "Số người chuyển xuống mức liền kề 1" in text


    def test_each_person_is_labelled_by_their_own_rule_set(self) -> None:
        """A Hà Nội unit in March 2026: công chức under NĐ 335 (a monitored month, bands
        named HTXS …) beside contract staff under QĐ 3814 (Loại A …). Each row prints its
        own set's words — a công chức is never 'Loại A' —, and a count names both (af24)."""
        nd335 = evalkit.rules.get("vn.nd335-2025")
        org = evalkit.Organisation(
            units=[evalkit.Unit("U", "Phòng Hành chính")],
            positions=[evalkit.Position("CV", "Chuyên viên"), evalkit.Position("LX", "Lái xe")],
            staff=[evalkit.Staff("C", "Trần Văn Công", "CV", "U"),
                   evalkit.Staff("L", "Lê Văn Lái", "LX", "U", category="hop_dong")])
        sm = pd.DataFrame([
            {"staff_id": "C", "unit_id": "U", "period": "2026-03", "category": "cong_chuc",
             **nd335.full_marks()},
            {"staff_id": "L", "unit_id": "U", "period": "2026-03", "category": "hop_dong",
             "ky_luat": 10, "dao_duc": 10, "ket_qua_nhiem_vu": 65, "sang_kien": 5,
             "thanh_tich": 0}])  # fmt: skip
        st, ut = evalkit.classify_frame(sm, pd.DataFrame({"unit_id": ["U"], "period": ["2026-03"]}),
                                        jurisdiction="vn.hanoi")  # fmt: skip
        results = pd.concat([sm, st[[c for c in st.columns if c not in sm]]], axis=1)
        summary = summaries_from_results(results, ut, org=org)[0]
        text = pdf_text(evalkit.render.render_unit_summary(summary))
        xs = nd335.grade_label(Grade.HTXS, "vi")
        assert f"Trần Văn Công Chuyên viên 100 {xs} {xs}" in text
        assert "Lê Văn Lái Lái xe 90 Loại A" in text
        assert f"{xs} / Loại A 1" in text or f"Loại A / {xs} 1" in text

class TestAnnualSheetsFromResults:
    """The year's rows and the months they came from make the annual sheets."""

    def test_a_transfer_names_the_old_unit_for_its_months(self, annual: dict) -> None:
        """Mai Thị Diệu Linh: January to June in Phòng Công chức, viên chức."""
        s = annual["SNV-208"]
        assert s.unit.id == "SNV-XDCQ"
        assert {m for m, u in s.units_by_month.items() if u.id == "SNV-CCVC"} == {
            f"2026-{m:02d}" for m in range(1, 7)}
        text = pdf_text(evalkit.render.render_period_pdf(s))
        assert "1 01/2026 88,17 Hoàn thành tốt nhiệm vụ Công tác tại Phòng Công chức, viên chức" in text

    def test_a_blank_position_leaves_no_empty_label(self, annual: dict) -> None:
        """As the monthly sheet: no "Vị trí việc làm:" with nothing after it."""
        import re

        import attrs

        s = annual["SNV-105"]
        s = attrs.evolve(s, staff=attrs.evolve(s.staff, position_id="_"),
                         position=evalkit.Position("_", ""))
        html = evalkit.render.render_period_html(s)
        line = next(x for x in html.splitlines() if "Đơn vị công tác" in x)
        assert re.sub("<[^>]+>", "", line).strip().startswith("Đơn vị công tác: ")

    def test_maternity_months_are_marked_and_left_out(self, annual: dict) -> None:
        """Trịnh Thị Kim Oanh: six months of maternity leave, classified on six months."""
        s = annual["SNV-206"]
        assert sorted(s.leave) == [f"2026-{m:02d}" for m in range(5, 11)]
        text = pdf_text(evalkit.render.render_period_pdf(s))
        assert "Số tháng được đánh giá: 6/12" in text
        assert "5 05/2026 Chưa đánh giá Nghỉ thai sản" in text

    def test_the_three_levels_words_come_from_the_conclusions(self, annual: dict) -> None:
        """Tạ Quang Vinh: the competent level concluded HTT with its reason."""
        s = annual["SNV-303"]
        assert s.proposed_grade is Grade.HTXS and s.comment
        text = pdf_text(evalkit.render.render_period_pdf(s))
        assert ("Cấp có thẩm quyền kết luận xếp loại Hoàn thành tốt nhiệm vụ: Trong năm còn 02 "
                "hồ sơ sắp xếp đơn vị hành chính cấp xã phải trả lại") in text

    def test_the_quota_figures_of_the_persons_group(self, annual: dict) -> None:
        """Dương Thị Thanh Hương kept HTXS: first of two, at most one — of her group with
        similar duties (NĐ 335/2025/NĐ-CP Điều 20 k5 a counts per group; the quota's
        figures are the group's, as Lý Hoàng Nam's demotion in the same group says), not
        of the unit."""
        s = annual["SNV-204"]
        assert s.quota == QuotaFigures(20.0, 5, 1, 2, duty_group="chuyen_mon")
        assert s.quota_rank == 1
        text = pdf_text(evalkit.render.render_period_pdf(s))
        assert ("Trong tỷ lệ khống chế của nhóm công chức có nhiệm vụ tương đồng của đơn vị "
                "(Hoàn thành xuất sắc nhiệm vụ): thứ tự ưu tiên 1/2, tối đa 1 người") in text
        nam = pdf_text(evalkit.render.render_period_pdf(annual["SNV-205"]))
        assert "trong nhóm công chức có nhiệm vụ tương đồng của đơn vị" in nam
        en = pdf_text(evalkit.render.render_period_pdf(s, lang="en"))
        assert "Within the quota in the unit's group with similar duties" in en


    def test_a_repeated_sentence_and_an_empty_sign_set_are_held_once(self, annual: dict) -> None:
        """Memory at a province's scale (75,000 sheets of 13 results each, audit af26):
        equal reasons are one object, and every score mapping without a percent-signed
        score shares one empty set — 39 KB a person fell to 17 KB; the words are equal."""
        results = [r for s in annual.values() for r in (*s.months, s.result) if r is not None]
        reasons = [x for r in results for x in r.reasons]
        assert len(reasons) > len(set(reasons))  # the demo's year repeats sentences
        assert len({id(x) for x in reasons}) == len(set(reasons))
        empty = {id(sc._signed) for r in results for sc in (r.components, r.applied)
                 if not sc._signed}  # fmt: skip
        assert len(empty) == 1

class TestPublicationList:
    """Names, positions, grades (and scores as chosen), the unit's result; nothing else."""

    def test_the_pdf_holds_names_positions_grades_and_no_comment(
        self, summary: evalkit.render.UnitSummary, data: DemoData
    ) -> None:
        """Every person with position and grade; no comment text, no reason, no id."""
        pub = PublicationList.from_summary(summary)
        text = pdf_text(render_publication(pub))
        assert "DANH SÁCH CÔNG KHAI KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM 2026" in text
        assert "4 Dương Thị Thanh Hương Chuyên viên chính Hoàn thành xuất sắc nhiệm vụ" in text
        assert "Xếp loại của đơn vị: Hoàn thành xuất sắc nhiệm vụ" in text
        for words in data.conclusions["self_comment"]:
            assert words[:40] not in text
        assert "Vượt tỷ lệ" not in text and "SNV-" not in text
        assert "95,88" not in text  # scores only when asked

    def test_scores_as_an_option(self, summary: evalkit.render.UnitSummary) -> None:
        """scores=True adds the year's score column."""
        text = pdf_text(render_publication(PublicationList.from_summary(summary, scores=True)))
        assert "5 Lý Hoàng Nam Chuyên viên 95,88 Hoàn thành tốt nhiệm vụ" in text

    def test_an_english_list_prints_the_english_titles(
        self, summary: evalkit.render.UnitSummary
    ) -> None:
        """In English, a position's title_en, as the English unit summary prints it (af24)."""
        pub = PublicationList.from_summary(summary)
        words = publication_frame(pub, "en")["Title / position"].tolist()[:-1]  # the unit's last
        plain = [(w, r.position.title_en) for w, r in zip(words, summary.rows, strict=True)
                 if r.position is not None and not r.staff.title_vi]  # fmt: skip
        assert plain and all(w == en != "" for w, en in plain)
        assert "Officer" in pdf_text(render_publication(pub, lang="en"))
        assert publication_frame(pub)["Chức vụ / vị trí việc làm"].iloc[0] == pub.rows[0].position

    def test_the_csv_is_formula_safe_and_atomic(
        self, summary: evalkit.render.UnitSummary, tmp_path: Path
    ) -> None:
        """A name that starts a formula is written with a leading quote; the unit's result
        is the last row; no temporary file stays."""
        import attrs

        hostile = attrs.evolve(summary.rows[0], staff=attrs.evolve(summary.rows[0].staff,
                                                                   full_name="=1+1"))
        pub = PublicationList.from_summary(attrs.evolve(summary, rows=(hostile,
                                                                       *summary.rows[1:])))
        path = write_table_csv(publication_frame(pub), tmp_path / "cong-khai.csv")
        back = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        assert list(back.columns) == ["TT", "Họ và tên", "Chức vụ / vị trí việc làm", "Xếp loại"]
        assert back["Họ và tên"].iloc[0] == "'=1+1"
        assert back.iloc[-1].tolist() == ["", "Phòng Công chức, viên chức", "Kết quả của đơn vị",
                                          "Hoàn thành xuất sắc nhiệm vụ"]
        assert [p.name for p in tmp_path.iterdir()] == ["cong-khai.csv"]
        assert publication_frame(pub).shape == (len(summary.rows) + 1, 4)

    def test_write_reports_writes_summaries_publication_and_overview(
        self, december: pd.DataFrame, engine: DemoResults, data: DemoData, tmp_path: Path
    ) -> None:
        """From sheets and results: one summary per unit, one list, one overview."""
        part = december[december["unit_id"].isin(["SNV-VP", "SNV-CCVC"])]
        part.attrs.update(december.attrs)
        sheets = sheets_from_results(part, org=data.organisation)
        paths = write_reports(sheets, tmp_path, results=part, organisation=data.organisation,
                              unit_results=_month(engine.units, "2026-12"), overview=True,
                              publication=True)  # fmt: skip
        names = sorted(p.relative_to(tmp_path).as_posix() for p in paths)
        assert names == ["2026-12_overview.pdf",
                         "publication/2026-12_SNV-CCVC.pdf", "publication/2026-12_SNV-VP.pdf",
                         "units/2026-12_SNV-CCVC.pdf", "units/2026-12_SNV-VP.pdf"]  # fmt: skip


def test_io_never_imports_render() -> None:
    """Issue 13 point 6: evalkit.io reads and writes; it imports nothing of evalkit.render."""
    offenders = []
    for path in sorted((ROOT / "evalkit" / "io").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("evalkit.render")]
    assert offenders == []
    from evalkit.io import results

    assert not hasattr(results, "sheets_from_results")


def test_render_imports_no_private_module_of_another_package() -> None:
    """render reaches the engine through its public faces (evalkit.units, evalkit.reasons,
    evalkit.rules), never through _classify or rules._schema."""
    bad = []
    for path in sorted((ROOT / "evalkit" / "render").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[:2] != ["evalkit", "render"] and any(
                        p.startswith("_") for p in parts[1:]) and node.module not in (
                        # the shared utilities, not the engine: the one atomic writer, and
                        # the one reading of a typed cell (its public names: clean, is_blank)
                        "evalkit._files", "evalkit._words"):  # fmt: skip
                    bad.append(f"{path.name}: {node.module}")
    assert bad == []


def test_sheets_made_a_chunk_at_a_time_are_those_of_all_rows_at_once(
    engine: DemoResults, data: DemoData,
) -> None:
    """iter_period_sheets gives period_sheets_from_results's sheets, in order, a chunk of
    people at a time, each chunk from its people's months only; the file names computed
    from the year's rows (before any sheet is made) are the sheets' own."""
    from evalkit.render import iter_period_sheets, period_sheet_file_names, sheet_file_names

    kw: dict[str, object] = {"org": data.organisation, "signatories": dict(data.signatories),
                          "conclusions": data.conclusions,
                          "signed_on": datetime.date(2026, 12, 31)}  # fmt: skip
    whole = period_sheets_from_results(engine.year, engine.months, **kw)
    assert len(whole) == len(engine.year) > 7
    assert all(s.months for s in whole)  # every sheet shows its months
    for size in (1, 2, 7):
        chunks = list(iter_period_sheets(engine.year, engine.months, size=size, **kw))
        assert [len(c) for c in chunks[:-1]] == [size] * (len(chunks) - 1)
        assert 1 <= len(chunks[-1]) <= size
        assert [s for c in chunks for s in c] == whole
    names = period_sheet_file_names(engine.year, org=data.organisation)
    assert names == sheet_file_names(whole)
    assert len(set(names)) == len(whole)


def test_the_frames_door_reads_the_typed_facts_as_the_engine_does() -> None:
    """The results frame as documented (classify_frame joined with its input columns) with
    the facts typed as people type them — discipline "khiển trách", degradation "x" — was
    refused by results_from_frame (float('khiển trách'): ValueError) and so by every
    render function of the frames: they are read as the engine read them, and the result
    keeps the same facts as the objects door's (evalkit.score of the same Assessment)."""
    from evalkit import Assessment, Discipline, Staff
    from evalkit.units import results_from_frame

    rules = evalkit.rules.get("vn.nd335-2025")
    full = rules.full_marks()
    frame = pd.DataFrame([{"staff_id": "Y", "unit_id": "P", "period": "2026-03",
                           "category": "cong_chuc", "discipline": "khiển trách",
                           "degradation": "x", **{f"competent__{k}": v for k, v in full.items()}}])
    st, _ = evalkit.classify_frame(frame, pd.DataFrame({"unit_id": ["P"], "period": ["2026-03"]}),
                                   rules)
    res = pd.concat([frame, st[[c for c in st.columns if c not in frame]]], axis=1)
    [got] = results_from_frame(res)
    want = evalkit.score(Assessment("Y", "2026-03", competent_scores=full,
                                    discipline=Discipline.REPRIMAND, degradation=True),
                         staff=Staff("Y", "Y", "CV", "P"), rules=rules)
    assert got.flags == want.flags == {"discipline": 1.0, "degradation": 1.0}
    [sheet] = sheets_from_results(res, agency="Sở")
    assert sheet.result.flags == want.flags


@pytest.mark.parametrize("blank", [" ", "\u00a0", "\u200b", ""])
def test_a_grade_cell_blank_once_cleaned_is_no_grade_on_the_sheet(blank: str) -> None:
    """A ``self_grade`` or ``manager_grade`` cell holding only a space, an NBSP or a
    zero-width character is blank on the sheet, as every door reads a blank cell (it used
    to stop the sheets with "not a grade"); a typed grade is still read."""
    from evalkit.units import classify_frame

    top = evalkit.rules.get("vn.nd335-2025").full_marks()
    sm = pd.DataFrame([{"staff_id": s, "full_name": "Trần Thị Hoa", "unit_id": "U",
                        "category": "cong_chuc", "period": "2026-03", **top} for s in "AB"])
    staff, _ = classify_frame(sm, pd.DataFrame({"unit_id": ["U"]}))
    results = sm.join(staff.drop(columns=sm.columns, errors="ignore"))
    results["self_grade"] = pd.Series([blank, "HTT"], dtype=object)
    results["manager_grade"] = pd.Series([blank, blank], dtype=object)
    sheets = {s.staff.id: s for s in sheets_from_results(results)}
    a, b = sheets["A"].assessment, sheets["B"].assessment
    assert a.proposed_grade is None and a.manager_grade is None
    assert b.proposed_grade is Grade.HTT and b.manager_grade is None
