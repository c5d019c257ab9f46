"""The rule-change impact report: who changes grade, the distribution, quotas, CSV, PDF, CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import attrs
import pandas as pd
import pytest

from evalkit import rules
from evalkit.cli import main
from evalkit.errors import InputError
from evalkit.impact import (
    CHANGE_COLUMNS,
    DISTRIBUTION_COLUMNS,
    QUOTA_COLUMNS,
    ImpactReport,
    compare_rule_sets,
    demo_data,
    load_data,
)
from evalkit.rules import RuleSet
from evalkit.units import classify_frame, quota_report
from tests._io_helpers import filled_workbook, person

pypdf = pytest.importorskip("pypdf")

PRESET = Path(rules.__file__).parent / "presets" / "vn.nd335-2025.toml"


def _variant(base: RuleSet, rule_id: str, htxs_from: float) -> RuleSet:
    """``base`` without a quota and with HTXS from ``htxs_from`` (HTT up to it)."""
    bands = tuple(
        attrs.evolve(b, min=htxs_from) if b.grade.code == "HTXS"
        else attrs.evolve(b, max=htxs_from) if b.grade.code == "HTT" else b
        for b in base.bands
    )  # fmt: skip
    return attrs.evolve(base, id=rule_id, bands=bands, quota=None)


def _people(generals: dict[str, float]) -> pd.DataFrame:
    """One row per person: tasks at 100% (70 points) + a general total spread over 5 criteria."""
    rows = []
    for sid, general in generals.items():
        first = general - 4 * (general / 5)
        rows.append({"staff_id": sid, "full_name": f"Nguyễn Văn {sid}", "period": "2026-03",
                     "chinh_tri": first, "dao_duc": general / 5, "tac_phong": general / 5,
                     "ky_luat": general / 5, "phuc_vu": general / 5,
                     "so_luong": 100, "chat_luong": 100, "tien_do": 100})  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def band_report() -> ImpactReport:
    """OLD: NĐ 335 bands (HTXS from 90); NEW: HTXS from 92; no quota on either side."""
    base = rules.get("vn.nd335-2025")
    old = _variant(base, "test.htxs-90", 90)
    new = _variant(base, "test.htxs-92", 92)
    frame = _people({"A": 15, "B": 20, "C": 20.5, "D": 21.99, "E": 22, "F": 25, "G": 19.99})
    return compare_rule_sets(old, new, frame)


@pytest.fixture(scope="module")
def demo_report() -> ImpactReport:
    """The issue's acceptance comparison: NĐ 90/2020 → NĐ 233/2026 on the demo agency."""
    data = demo_data()
    return compare_rule_sets("vn.nd90-2020", "vn.nd233-2026", data.staff_months, data.units,
                             fill=data.fill)  # fmt: skip


class TestChanges:
    def test_raising_the_htxs_edge_to_92_lists_exactly_the_people_from_90_to_92_as_down(
        self, band_report: ImpactReport
    ) -> None:
        """A band edge moved from 90 to 92 downgrades totals in [90, 92) and nobody else."""
        ch = band_report.changes
        assert ch["staff_id"].tolist() == ["B", "C", "D"]
        assert {"down"} == set(ch["direction"])
        assert ch["old_total"].tolist() == [90.0, 90.5, 91.99]
        assert ch["old_grade"].eq("HTXS").all() and ch["new_grade"].eq("HTT").all()
        assert ch["delta"].tolist() == [0.0, 0.0, 0.0]  # same scores, other band
        assert list(CHANGE_COLUMNS) == list(ch.columns)
        assert (band_report.up, band_report.down) == (0, 3)

    def test_a_changed_total_shows_its_delta(self, demo_report: ImpactReport) -> None:
        """NĐ 233 takes 25% off timeliness per delay (NĐ 90 does not): three delays, −13.5 net."""
        ch = demo_report.changes
        row = ch[(ch["staff_id"] == "SNV-104") & (ch["period"] == "2026-01")].iloc[0]
        got = (row["old_total"], row["old_grade"], row["new_total"], row["new_grade"])
        assert got == (80.67, "HTT", 67.17, "HT")
        assert row["delta"] == -13.5
        assert row["full_name"] == "Hoàng Thị Lan"

    def test_the_report_header_says_both_sets_were_forced(self, band_report: ImpactReport) -> None:
        """Applying a set outside its dates is the point of a diff, and the header says so."""
        assert band_report.forced
        assert "force=True" in band_report.header("en")
        assert "test.htxs-90 → test.htxs-92" in band_report.header("en")


class TestDistribution:
    def test_distribution_counts_sum_to_the_population_before_and_after(
        self, band_report: ImpactReport, demo_report: ImpactReport
    ) -> None:
        """Every staff-month is counted once under OLD and once under NEW."""
        for report in (band_report, demo_report):
            d = report.distribution
            assert list(DISTRIBUTION_COLUMNS) == list(d.columns)
            assert report.population == d["old"].sum() == d["new"].sum()
            assert (d["new"] - d["old"]).equals(d["change"])

    def test_the_band_change_moves_three_from_htxs_to_htt(self, band_report: ImpactReport) -> None:
        """Three people leave HTXS for HTT; the other grades keep their counts."""
        d = band_report.distribution.set_index("grade")
        assert (d.loc["HTXS", "old"], d.loc["HTXS", "new"]) == (5, 2)
        assert (d.loc["HTT", "old"], d.loc["HTT", "new"]) == (2, 5)

    def test_demo_units_are_counted_per_unit(self, demo_report: ImpactReport) -> None:
        """SNV-VP has 15 HTT under NĐ 90 and 12 HTT + 3 HT under NĐ 233."""
        d = demo_report.distribution.set_index(["unit_id", "grade"])
        assert tuple(d.loc[("SNV-VP", "HTT"), ["old", "new"]]) == (15, 12)
        assert tuple(d.loc[("SNV-VP", "HT"), ["old", "new"]]) == (0, 3)


class TestQuota:
    def test_quota_rows_match_the_classification_and_headroom_is_cap_minus_candidates(
        self, demo_report: ImpactReport
    ) -> None:
        """The OLD side is classify_frame's quota report; headroom = cap − candidates."""
        data = demo_data()
        frame = data.staff_months.assign(ket_qua_don_vi=data.staff_months["ket_qua_linh_vuc"],
                                         don_vi_cap_duoi=data.staff_months["cap_duoi"])  # fmt: skip
        assert data.units is not None
        staff, _ = classify_frame(frame, data.units, rules.get("vn.nd90-2020"), force=True)
        expected = quota_report(staff)
        q = demo_report.quota
        assert list(QUOTA_COLUMNS) == list(q.columns)
        assert len(expected) == len(q)
        assert sorted(expected["cap"].tolist()) == sorted(q["old_cap"].astype(int).tolist())
        assert (q["old_headroom"] == q["old_cap"] - q["old_candidates"]).all()
        assert (q["new_headroom"] == q["new_cap"] - q["new_candidates"]).all()
        row = q[(q["period"] == "2026-03") & (q["unit_id"] == "SNV-CCVC")].iloc[0]
        assert (row["old_cap"], row["old_candidates"], row["old_headroom"]) == (1, 2, -1)

    def test_without_units_there_is_no_quota_table(self, band_report: ImpactReport) -> None:
        """Data without unit_id are only scored: no quota groups to report."""
        assert band_report.quota.empty
        assert list(QUOTA_COLUMNS) == list(band_report.quota.columns)


class TestMissingCriteria:
    def test_a_criterion_new_needs_but_the_data_lack_is_named_with_the_rule_set(self) -> None:
        """NĐ 233 scores pham_chat_dao_duc (group a); data without it cannot be graded."""
        frame = _people({"A": 20})
        with pytest.raises(InputError) as info:
            compare_rule_sets("vn.nd90-2020", "vn.nd233-2026", frame)
        text = str(info.value)
        assert "'pham_chat_dao_duc'" in text and "'vn.nd233-2026' (NEW)" in text

    def test_the_demo_needs_a_fill_for_the_nd90_manager_criteria(self) -> None:
        """NĐ 90's (d) criterion is absent from NĐ 335 data; the error suggests the fill."""
        data = demo_data()
        with pytest.raises(InputError) as info:
            compare_rule_sets("vn.nd90-2020", "vn.nd233-2026", data.staff_months, data.units)
        text = str(info.value)
        assert "'ket_qua_don_vi'" in text and "'vn.nd90-2020' (OLD)" in text
        assert "--fill ket_qua_don_vi=ket_qua_linh_vuc" in text


class TestOutputs:
    def test_the_changes_csv_reads_back_equal(
        self, demo_report: ImpactReport, tmp_path: Path
    ) -> None:
        """to_csv writes UTF-8 that pandas reads back to the same table."""
        path = demo_report.to_csv(tmp_path / "changes.csv")
        back = pd.read_csv(path, keep_default_na=False, dtype={"period": str})
        pd.testing.assert_frame_equal(demo_report.changes, back, check_dtype=False)
        assert not list(tmp_path.glob(".*.tmp"))

    def test_the_distribution_csv_reads_back_equal(
        self, demo_report: ImpactReport, tmp_path: Path
    ) -> None:
        """The distribution table round-trips too."""
        path = demo_report.to_csv(tmp_path / "d.csv", "distribution")
        back = pd.read_csv(path, keep_default_na=False)
        pd.testing.assert_frame_equal(demo_report.distribution, back, check_dtype=False)

    def test_the_pdf_is_one_page_with_both_ids_and_a_changed_name(
        self, demo_report: ImpactReport, tmp_path: Path
    ) -> None:
        """The PDF fits one page and names the sets and a changed person, diacritics intact."""
        path = demo_report.to_pdf(tmp_path / "impact.pdf")
        reader = pypdf.PdfReader(str(path))
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        for expected in ("vn.nd90-2020", "vn.nd233-2026", "Hoàng Thị Lan", "force=True"):
            assert expected in text
        assert path.read_bytes() == demo_report.to_pdf(tmp_path / "again.pdf").read_bytes()

    def test_the_pdf_draws_the_chart_as_inline_svg(self, demo_report: ImpactReport) -> None:
        """The before/after chart is SVG in the HTML: two bars per grade, no image file."""
        html = demo_report.to_html("en")
        assert html.count("<svg") == 1 and "<img" not in html
        assert html.count("<rect") == 8  # HTXS, HTT, HT, KHT x (before, after)

    def test_a_large_report_stays_on_one_page(self, tmp_path: Path) -> None:
        """48 changes in 12 units: the page shows the first rows and points to the CSV."""
        base = rules.get("vn.nd335-2025")
        frame = _people({f"P{i:02d}": 20.5 for i in range(48)})
        frame["unit_id"] = [f"Phòng số {i % 12:02d}" for i in range(48)]
        frame["full_name"] = "Nguyễn Thị Phương Thảo Quỳnh Anh"
        report = compare_rule_sets(_variant(base, "t.90", 90), _variant(base, "t.92", 92), frame)
        assert report.down == 48
        reader = pypdf.PdfReader(str(report.to_pdf(tmp_path / "big.pdf", lang="en")))
        assert len(reader.pages) == 1
        assert "34 more rows" in reader.pages[0].extract_text()

    def test_the_terminal_table_lists_the_changes(self, band_report: ImpactReport) -> None:
        """to_table gives a rich Table with one row per change."""
        from rich.console import Console

        table = band_report.to_table()
        assert table.row_count == 3
        out = io.StringIO()
        Console(file=out, width=160).print(table)
        assert "Nguyễn Văn C" in out.getvalue() and "90.5 HTXS" in out.getvalue()


class TestData:
    def test_a_workbook_is_read_and_compared(self, tmp_path: Path) -> None:
        """A month's workbook gives the staff-months and units of the comparison."""
        path = filled_workbook(tmp_path / "t.xlsx", [person("A"), person("B", chinh_tri=5)])
        data = load_data(path)
        report = compare_rule_sets("vn.nd335-2025", "vn.nd233-2026", data.staff_months,
                                   data.units)  # fmt: skip
        assert report.population == 2 and report.periods == ("2026-03",)

    def test_an_archive_gives_every_finalized_month(self, tmp_path: Path) -> None:
        """The archive's finalized months, inputs archived with the results, are compared."""
        from evalkit.io.archive import Archive

        demo = demo_data()
        assert demo.units is not None
        staff, units = classify_frame(demo.staff_months, demo.units, "vn.nd335-2025")
        results = pd.concat([demo.staff_months, staff.drop(columns=[
            c for c in staff.columns if c in demo.staff_months.columns])], axis=1)  # fmt: skip
        path = tmp_path / "a.sqlite"
        with Archive(path) as arc:
            for p in ("2026-01", "2026-02"):
                arc.finalize(results[results["period"] == p], by="TCCB",
                             units=units[units["period"].astype(str) == p],
                             rules=rules.get("vn.nd335-2025"))  # fmt: skip
        data = load_data(path)
        report = compare_rule_sets("vn.nd335-2025", "vn.nd233-2026", data.staff_months,
                                   data.units)  # fmt: skip
        assert report.population == 50 and report.periods == ("2026-01", "2026-02")


class TestCommandLine:
    def test_rules_diff_on_the_demo_writes_csv_and_pdf(self, tmp_path: Path) -> None:
        """`evalkit rules diff vn.nd90-2020 vn.nd233-2026 --data demo` gives all three forms."""
        buf = io.StringIO()
        csv, pdf = tmp_path / "diff.csv", tmp_path / "diff.pdf"
        code = main(["rules", "diff", "vn.nd90-2020", "vn.nd233-2026", "--data", "demo",
                     "--csv", str(csv), "--pdf", str(pdf)], stdout=buf)  # fmt: skip
        assert code == 0
        assert "SNV-104" in buf.getvalue() and "force=True" in buf.getvalue()
        assert csv.is_file() and pdf.is_file()
        assert (tmp_path / "diff.distribution.csv").is_file()
        assert (tmp_path / "diff.quota.csv").is_file()
        assert len(pd.read_csv(csv)) == 5

    def test_rules_diff_takes_a_toml_file_and_prints_json(self, tmp_path: Path) -> None:
        """NEW may be a TOML file; --json prints the whole report."""
        text = PRESET.read_text(encoding="utf-8")
        text = text.replace('id = "vn.nd335-2025"', 'id = "test.htxs-97"', 1)
        text = text.replace('grade = "HTXS"\nmin = 90', 'grade = "HTXS"\nmin = 97', 1)
        text = text.replace(
            'grade = "HTT"\nmin = 70\nmax = 90', 'grade = "HTT"\nmin = 70\nmax = 97'
        )
        toml = tmp_path / "variant.toml"
        toml.write_text(text, encoding="utf-8")
        buf = io.StringIO()
        code = main(["rules", "diff", "vn.nd335-2025", str(toml), "--data", "demo", "--json"],
                    stdout=buf)  # fmt: skip
        assert code == 0
        doc = json.loads(buf.getvalue())
        assert (doc["old"], doc["new"]) == ("vn.nd335-2025", "test.htxs-97")
        assert doc["down"] > 0 and doc["up"] == 0
        assert all(c["old_grade"] == "HTXS" for c in doc["changes"])

    def test_rules_diff_names_the_missing_criterion_and_exits_1(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An NĐ 90 workbook has no phuc_vu, which NĐ 335 (NEW) scores: exit 1 naming both."""
        path = filled_workbook(tmp_path / "t.xlsx", [person("A")], rules="vn.nd90-2020")
        code = main(["rules", "diff", "vn.nd90-2020", "vn.nd335-2025", "--data", str(path)],
                    stdout=io.StringIO())  # fmt: skip
        assert code == 1
        err = capsys.readouterr().err
        assert "'phuc_vu'" in err and "'vn.nd335-2025' (NEW)" in err
