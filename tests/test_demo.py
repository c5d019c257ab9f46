"""The bundled demo agency (issue 3 item 4) and run_demo, the engine of ``make demo``."""

from __future__ import annotations

import importlib.resources
import math
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit import Discipline, Grade, StaffCategory
from evalkit.demo import (
    RESULT_COLUMNS,
    DemoData,
    DemoReport,
    _units_module,
    load_demo,
    run_demo,
)
from evalkit.demo import _generate as generate
from evalkit.scoring import resolve_rules

MONTHS = ["2026-01", "2026-02", "2026-03"]


@pytest.fixture(scope="module")
def data() -> DemoData:
    """The demo agency, loaded once."""
    return load_demo()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    """A demo run without PDFs (fast), shared by the result tests."""
    out = tmp_path_factory.mktemp("demo")
    return run_demo(out, render=False, echo=lambda line: None)


def _has_diacritics(text: str) -> bool:
    return any(unicodedata.decomposition(ch) or ch in "đĐ" for ch in text if not ch.isascii())


def _row(report: DemoReport, staff_id: str, period: str) -> pd.Series:
    rows = report.results[(report.results.staff_id == staff_id) & (report.results.period == period)]
    assert len(rows) == 1
    return rows.iloc[0]


# --------------------------------------------------------------------------- the data


class TestDemoData:
    def test_demo_loads_into_a_valid_organisation_of_three_units_under_the_agency(
        self, data: DemoData
    ) -> None:
        """The demo is a sở with three sub-units, each with a head who is one of its members."""
        org = data.organisation
        assert isinstance(org, evalkit.Organisation)
        assert len(org.staff) == 25
        root = org.children_of(None)
        assert [u.id for u in root] == ["SNV"]
        children = org.children_of("SNV")
        assert len(children) == 3
        for unit in (*root, *children):
            head = org.head_of(unit.id)
            assert head is not None
            assert head.unit_id == unit.id
            assert head.manages_others

    def test_every_sub_unit_has_one_or_two_deputies_who_manage_others(self, data: DemoData) -> None:
        """A phòng has a head and 1-2 deputies (issue 3 item 4), all with management duty."""
        org = data.organisation
        for unit in org.children_of("SNV"):
            deputies = [
                s for s in org.members_of(unit.id)
                if s.manages_others and s.id != unit.head_id
            ]  # fmt: skip
            assert 1 <= len(deputies) <= 2, unit.id
            assert all(s.manager_id == unit.head_id for s in deputies)

    def test_everyone_but_the_director_has_a_manager_in_the_organisation(
        self, data: DemoData
    ) -> None:
        """Manager links resolve, so the management component has subordinates to read."""
        org = data.organisation
        without = [s.id for s in org.staff if s.manager_id is None]
        assert without == ["SNV-001"]
        assert all(org.member(s.manager_id).manages_others for s in org.staff if s.manager_id)

    def test_every_name_is_written_with_vietnamese_diacritics(self, data: DemoData) -> None:
        """Names, units and the agency carry their diacritics (issue 3: diacritics everywhere)."""
        names = [s.full_name for s in data.organisation.staff]
        assert all(_has_diacritics(n) for n in names), [n for n in names if not _has_diacritics(n)]
        assert all(_has_diacritics(u.name) for u in data.organisation.units)
        assert _has_diacritics(data.agency.full_name)
        assert _has_diacritics(data.agency.governing_body)
        assert len(set(names)) == len(names)
        assert all(unicodedata.is_normalized("NFC", n) for n in names)

    def test_every_staff_member_has_a_rule_set_in_force_each_month(self, data: DemoData) -> None:
        """The demo keeps to công chức, whom NĐ 335/2025 covers from 2026-01 (domain §4.1)."""
        assert {s.category for s in data.organisation.staff} == {StaffCategory.CONG_CHUC}
        for month in data.months:
            assert resolve_rules(None, "cong_chuc", month).id == data.rule_set_id

    def test_there_are_three_consecutive_months_of_assessments_for_everyone(
        self, data: DemoData
    ) -> None:
        """One assessment per staff member and month, 2026-01 to 2026-03."""
        assert [str(m) for m in data.months] == MONTHS
        assert data.months[1] == data.months[0].next()
        assert data.months[2] == data.months[1].next()
        keys = [(a.staff_id, str(a.period)) for a in data.assessments]
        assert len(keys) == len(set(keys)) == 75
        for month in MONTHS:
            assert {a.staff_id for a in data.assessments_for(month)} == {
                s.id for s in data.organisation.staff
            }

    def test_every_assessment_has_all_three_levels_with_comments(self, data: DemoData) -> None:
        """Self, direct manager and competent level all score and comment (domain §3)."""
        for a in data.assessments:
            assert len(a.self_scores) and len(a.manager_scores) and len(a.competent_scores)
            assert a.self_comment and a.manager_comment and a.competent_comment
            assert a.proposed_grade is not None and a.competent_grade is not None
            assert _has_diacritics(a.manager_comment)

    def test_the_reprimanded_person_is_the_only_one_disciplined(self, data: DemoData) -> None:
        """Exactly one person carries a reprimand (khiển trách), in every month."""
        disciplined = {(a.staff_id, str(a.period)) for a in data.assessments if a.discipline}
        assert disciplined == {("SNV-309", m) for m in MONTHS}
        assert all(a.discipline == Discipline.REPRIMAND for a in data.assessments if a.discipline)

    def test_unit_inputs_have_one_row_per_unit_and_month(self, data: DemoData) -> None:
        """Task completion is given for every unit and month, with done ≤ assigned."""
        ui = data.unit_inputs
        assert len(ui) == 4 * 3
        assert set(zip(ui.unit_id, ui.period, strict=True)) == {
            (u.id, m) for u in data.organisation.units for m in MONTHS
        }
        assert (ui.tasks_done <= ui.tasks_assigned).all()
        assert (ui.tasks_on_time <= ui.tasks_done).all()

    def test_the_packaged_files_are_what_the_generator_builds(self) -> None:
        """The readable data files and their documented design never drift apart."""
        files = importlib.resources.files("evalkit.demo")
        for name, text in generate.render_files().items():
            assert files.joinpath(name).read_text(encoding="utf-8") == text, name

    def test_loading_twice_gives_equal_data(self, data: DemoData) -> None:
        """The demo is deterministic."""
        again = load_demo()
        assert again.organisation == data.organisation
        assert again.assessments == data.assessments
        pd.testing.assert_frame_equal(again.unit_inputs, data.unit_inputs)


# --------------------------------------------------------------------------- designed for issue 5


class TestDesignedForUnits:
    def test_the_office_is_below_excellent_while_its_head_scores_above_ninety(
        self, report: DemoReport, data: DemoData
    ) -> None:
        """Văn phòng's result is below HTXS and its head scores ≥ 90: the head cap must bite."""
        ui = data.unit_inputs.set_index(["unit_id", "period"])
        head = data.organisation.unit("SNV-VP").head_id
        assert head is not None
        for month in MONTHS:
            assert ui.loc[("SNV-VP", month), "score"] < 90
            assert (
                ui.loc[("SNV-VP", month), "tasks_done"]
                < ui.loc[("SNV-VP", month), "tasks_assigned"]
            )
            assert _row(report, head, month)["score_grade"] == "HTXS"

    def test_a_unit_has_more_excellent_candidates_than_its_quota(
        self, report: DemoReport, data: DemoData
    ) -> None:
        """In Phòng CCVC the HTXS candidates exceed floor(20 % or 25 % of HTT) (NĐ 335 Điều 20 k5)."""
        members = {s.id for s in data.organisation.members_of("SNV-CCVC")}
        for month in MONTHS:
            rows = report.results[
                report.results.staff_id.isin(members) & (report.results.period == month)
            ]
            htxs = int((rows.score_grade == "HTXS").sum())
            htt = int((rows.score_grade == "HTT").sum())
            assert htxs > math.floor(htt * 25 / 100) >= 1

    @pytest.mark.skipif(_units_module() is None, reason="evalkit.units not available yet")
    def test_the_demo_shows_a_head_capped_and_a_person_demoted(self, report: DemoReport) -> None:
        """Issue 5 'done when': a head capped by the unit and a person demoted by the quota."""
        assert report.classified_by_units
        head = _row(report, "SNV-101", "2026-03")
        assert Grade.parse(head["score_grade"]) is Grade.HTXS
        assert Grade.parse(head["grade"]) is Grade.HTT  # Văn phòng is rated HTT
        assert "cap.head_unit" in head["reason_codes"].split(";")
        demoted = report.results[report.results.reason_codes.str.contains("quota.demoted")]
        assert len(demoted) >= 1
        assert set(demoted.grade) == {"HTT"}


# --------------------------------------------------------------------------- the results


class TestResults:
    def test_each_month_has_every_grade(self, report: DemoReport) -> None:
        """A realistic spread: some HTXS, most HTT, some HT and one KHT every month."""
        counts = report.grade_counts()
        assert list(counts) == MONTHS
        for month, c in counts.items():
            assert c["HTXS"] >= 1, month
            assert c["HTT"] > c["HTXS"] + c["HT"] + c["KHT"], month
            assert c["HT"] >= 1, month
            assert c["KHT"] == 1, month
            assert sum(c.values()) == 25

    def test_the_reprimanded_person_is_kht_whatever_the_score(self, report: DemoReport) -> None:
        """A reprimand in the year makes the person KHT (NĐ 335/2025 Điều 20 k4 điểm c)."""
        for month in MONTHS:
            row = _row(report, "SNV-309", month)
            assert row["grade"] == "KHT"
            assert row["score_grade"] == "HTT"
            assert "disqualifier.discipline" in row["reason_codes"].split(";")
            assert "khiển trách" in row["reasons"].lower()

    def test_quality_errors_take_a_quarter_each(self, report: DemoReport) -> None:
        """Three major errors take 75 % off quality: (75 + 25 + 75)/3 × 70 % + 24 = 64.83 (HT)."""
        row = _row(report, "SNV-307", "2026-01")
        assert row["total"] == pytest.approx(64.83)
        assert row["grade"] == "HT"

    def test_the_kpi_stands_for_the_task_block(self, report: DemoReport) -> None:
        """A tracker KPI of 82.3 % gives 57.61 of 70 (domain §4.1), plus 27 general points."""
        assert _row(report, "SNV-105", "2026-01")["total"] == pytest.approx(84.61)

    def test_self_scores_at_least_the_manager_and_the_manager_at_least_the_competent_level(
        self, report: DemoReport
    ) -> None:
        """The three levels are ordered as real assessments usually are (self ≥ manager ≥ final)."""
        r = report.results
        assert (r.self_total >= r.manager_total).all()
        assert (r.manager_total >= r.total).all()
        assert (r.self_total > r.total).mean() > 0.8

    def test_results_csv_has_one_row_per_staff_month_with_the_documented_columns(
        self, report: DemoReport
    ) -> None:
        """results.csv: 25 staff × 3 months, the columns of RESULT_COLUMNS, UTF-8 with names."""
        csv = pd.read_csv(report.results_csv, encoding="utf-8", dtype={"period": str})
        assert list(csv.columns) == list(RESULT_COLUMNS)
        assert len(csv) == 75
        assert not csv.duplicated(["staff_id", "period"]).any()
        assert sorted(csv.period.unique()) == MONTHS
        assert "Nguyễn Thị Hồng Nhung" in set(csv.full_name)
        assert set(csv.grade) <= {"HTXS", "HTT", "HT", "KHT"}
        assert csv.total.notna().all()

    def test_results_csv_leaves_no_temporary_file(self, report: DemoReport) -> None:
        """The table is written through a temporary file that is renamed into place."""
        leftovers = [p.name for p in report.out_dir.iterdir() if p.name.endswith(".tmp")]
        assert leftovers == []

    def test_the_results_agree_with_scoring_each_person(
        self, report: DemoReport, data: DemoData
    ) -> None:
        """Without unit rules the final grade is evalkit.score's; the totals always are."""
        a = data.assessments_for("2026-02")[5]
        s = data.organisation.member(a.staff_id)
        expected = evalkit.score(a, staff=s)
        row = _row(report, a.staff_id, "2026-02")
        assert row["total"] == expected.total
        assert row["score_grade"] == expected.score_grade.code  # type: ignore[union-attr]

    def test_english_reasons_are_written_in_english(self, tmp_path: Path) -> None:
        """lang='en' writes the reasons' English messages."""
        rep = run_demo(tmp_path, lang="en", render=False, echo=lambda line: None)
        row = _row(rep, "SNV-309", "2026-01")
        assert "reprimand" in row["reasons"].lower()
        assert "khiển trách" not in row["reasons"].lower()

    def test_run_demo_says_where_the_output_went(self, tmp_path: Path) -> None:
        """The caller is told the path of results.csv."""
        lines: list[str] = []
        run_demo(tmp_path, render=False, echo=lines.append)
        assert any(str(tmp_path / "results.csv") in line for line in lines)

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [({"months": "some"}, ValueError), ({"lang": "fr"}, evalkit.RenderError)],
    )
    def test_bad_options_are_refused(
        self, tmp_path: Path, kwargs: dict[str, str], error: type[Exception]
    ) -> None:
        """Unknown month selections and languages raise, naming the value."""
        with pytest.raises(error, match=next(iter(kwargs.values()))):
            run_demo(tmp_path, render=False, echo=lambda line: None, **kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- PDFs


def _render_available() -> bool:
    try:
        from evalkit import render
    except ModuleNotFoundError:
        return False
    return all(hasattr(render, n) for n in ("Sheet", "Agency", "write_pdfs", "render_unit_summary"))


@pytest.mark.slow
@pytest.mark.skipif(not _render_available(), reason="evalkit.render not available yet")
def test_the_last_months_sheets_and_unit_summaries_are_written_as_pdfs(tmp_path: Path) -> None:
    """months='last' writes one sheet per person and one summary per unit for 2026-03."""
    from pypdf import PdfReader

    rep = run_demo(tmp_path, months="last", echo=lambda line: None)
    assert rep.rendered
    assert len(rep.sheets) == 25
    assert len(rep.summaries) == 4
    for path in (*rep.sheets, *rep.summaries):
        assert path.read_bytes()[:5] == b"%PDF-"
    text = "".join(page.extract_text() for p in rep.sheets for page in PdfReader(p).pages)
    assert "Châu Minh Đức" in unicodedata.normalize("NFC", text)
    assert Grade.KHT.label_vi.lower() in unicodedata.normalize("NFC", text).lower()
