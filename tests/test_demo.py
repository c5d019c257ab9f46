"""The bundled demo agency (issue 3 item 4, issue 18 point 4) and run_demo (``make demo``).

The demo year 2026 is designed so that every rule shows (see ``evalkit/demo/_generate.py``);
these tests hold the engine's output to that design, with the figures computed by hand
where they are stated.
"""

from __future__ import annotations

import importlib.resources
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit import Discipline, Grade, StaffCategory
from evalkit.demo import (
    RESULT_COLUMNS,
    YEAR_COLUMNS,
    DemoData,
    DemoReport,
    DemoResults,
    classify_demo,
    load_demo,
    run_demo,
)
from evalkit.demo import _generate as generate
from evalkit.scoring import resolve_rules

MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


@pytest.fixture(scope="module")
def data() -> DemoData:
    """The demo agency, loaded once."""
    return load_demo()


@pytest.fixture(scope="module")
def engine(data: DemoData) -> DemoResults:
    """The engine's months and year for the demo."""
    return classify_demo(data)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    """A demo run without PDFs (fast), shared by the result tests."""
    out = tmp_path_factory.mktemp("demo")
    return run_demo(out, render=False, echo=lambda line: None)


def _has_diacritics(text: str) -> bool:
    return any(unicodedata.decomposition(ch) or ch in "đĐ" for ch in text if not ch.isascii())


def _month(engine: DemoResults, staff_id: str, period: str) -> pd.Series:
    m = engine.months
    rows = m[(m["staff_id"] == staff_id) & (m["period"].astype(str) == period)]
    assert len(rows) == 1
    return rows.iloc[0]


def _year(engine: DemoResults, staff_id: str) -> pd.Series:
    rows = engine.year[engine.year["staff_id"] == staff_id]
    assert len(rows) == 1
    return rows.iloc[0]


def _codes(row: pd.Series) -> list[str]:
    return [c for c in str(row["reasons"]).split(";") if c]


# --------------------------------------------------------------------------- the data


class TestDemoData:
    def test_an_agency_of_four_units_and_a_public_service_unit(self, data: DemoData) -> None:
        """A sở with three divisions of công chức and an archive centre of viên chức."""
        org = data.organisation
        assert isinstance(org, evalkit.Organisation)
        assert len(org.staff) == 31
        assert [u.id for u in org.children_of(None)] == ["SNV"]
        assert len(org.children_of("SNV")) == 4
        for unit in org.units:
            head = org.head_of(unit.id)
            assert head is not None and head.unit_id == unit.id and head.manages_others
        cats = {s.unit_id: s.category for s in org.staff}
        assert cats["SNV-TTLT"] is StaffCategory.VIEN_CHUC
        assert {s.category for s in org.staff if s.unit_id != "SNV-TTLT"} == {
            StaffCategory.CONG_CHUC}

    def test_every_name_is_written_with_vietnamese_diacritics(self, data: DemoData) -> None:
        """Names, units and the agency carry their diacritics, in NFC."""
        names = [s.full_name for s in data.organisation.staff]
        assert all(_has_diacritics(n) for n in names)
        assert all(_has_diacritics(u.name) for u in data.organisation.units)
        assert len(set(names)) == len(names)
        assert all(unicodedata.is_normalized("NFC", n) for n in names)

    def test_the_rule_set_follows_the_person_without_being_named(self, data: DemoData) -> None:
        """NĐ 335 for the công chức all year; NĐ 90 until June and NĐ 233 from July for the
        viên chức (domain brief §4.1, §4.2)."""
        for month in MONTHS:
            assert resolve_rules(None, "cong_chuc", month).id == "vn.nd335-2025"
            want = "vn.nd90-2020" if month <= "2026-06" else "vn.nd233-2026"
            assert resolve_rules(None, "vien_chuc", month).id == want
        assert "rule_set" not in data.frame().columns

    def test_twelve_months_of_three_levels_with_comments(self, data: DemoData) -> None:
        """One assessment per person and month; every month worked has three levels,
        comments and the self and manager's proposed grades."""
        assert [str(m) for m in data.months] == MONTHS
        keys = [(a.staff_id, str(a.period)) for a in data.assessments]
        assert len(keys) == len(set(keys)) == 31 * 12
        worked = [a for a in data.assessments if not a.leave]
        for a in worked:
            assert len(a.self_scores) and len(a.manager_scores) and len(a.competent_scores)
            assert a.self_comment and a.manager_comment and a.competent_comment
            assert a.proposed_grade is not None and a.manager_grade is not None

    def test_legal_leave_and_the_reprimand(self, data: DemoData) -> None:
        """Maternity May–October for Trịnh Thị Kim Oanh, sick leave in December for Lương
        Thị Thảo; Châu Minh Đức reprimanded in January, nobody else disciplined."""
        leave = {(a.staff_id, str(a.period)): a.leave for a in data.assessments if a.leave}
        assert leave == {**{("SNV-206", f"2026-{m:02d}"): "maternity" for m in range(5, 11)},
                         ("SNV-304", "2026-12"): "sick"}
        disciplined = {(a.staff_id, str(a.period)) for a in data.assessments if a.discipline}
        assert disciplined == {("SNV-309", "2026-01")}
        assert all(a.discipline == Discipline.REPRIMAND for a in data.assessments if a.discipline)

    def test_a_transfer_between_units_in_july(self, data: DemoData) -> None:
        """Mai Thị Diệu Linh works in CCVC (under Đặng Thị Mai Phương) until June, then in
        XDCQ (under Võ Văn Dũng)."""
        for m in MONTHS:
            want = ("SNV-CCVC", "SNV-202") if m < "2026-07" else ("SNV-XDCQ", "SNV-301")
            assert data.placements[("SNV-208", m)] == want

    def test_units_self_score_monthly_and_a_council_re_scores_the_year(
        self, data: DemoData
    ) -> None:
        """Every unit has its twelve months and its year; one council score, for XDCQ."""
        ui, uy = data.unit_inputs, data.unit_year
        assert len(ui) == 5 * 12 and len(uy) == 5
        assert ui["self_score"].notna().all() and ui["council_score"].isna().all()
        assert uy.set_index("unit_id")["council_score"].dropna().to_dict() == {"SNV-XDCQ": 86.5}
        assert (ui.tasks_done <= ui.tasks_assigned).all()
        sums = ui.groupby("unit_id")[["tasks_assigned", "tasks_done"]].sum()
        assert (sums.sort_index().to_numpy() ==
                uy.set_index("unit_id")[["tasks_assigned", "tasks_done"]].sort_index().to_numpy()
                ).all()  # fmt: skip

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


# --------------------------------------------------------------------------- the months


class TestMonths:
    """Months are monitored under NĐ 335 (the band as information)."""

    def test_a_month_is_not_classified_for_the_cong_chuc(self, engine: DemoResults) -> None:
        """No head cap, no quota in a month; the grade is the band, as information."""
        m = engine.months
        cc = m[m["category"] == "cong_chuc"]
        assert not cc["classified"].any()
        assert not cc["reasons"].astype(str).str.contains("quota|cap.head", regex=True).any()

    def test_the_reprimand_shows_in_its_month_only(self, engine: DemoResults) -> None:
        """January: KHT as information (Điều 20 k4 c); the other months the band."""
        jan = _month(engine, "SNV-309", "2026-01")
        assert jan["grade"] == "KHT" and "disqualifier.discipline" in _codes(jan)
        assert _month(engine, "SNV-309", "2026-02")["grade"] == "HTT"

    def test_a_leader_with_someone_below_fifty_gets_d_fifty(self, engine: DemoResults) -> None:
        """Kiều Văn Phúc is below 50 in November and December: his leader's (d) is 50 %,
        (a+b+c+d+đ+e)/6 × 70 %: (75+75+75+50+100+100)/6 × 0,7 = 55,42 + 27,5 = 82,92."""
        assert _month(engine, "SNV-307", "2026-12")["total"] < 50
        dec = _month(engine, "SNV-301", "2026-12")
        assert dec["mgmt_value"] == 50 and "management.d" in _codes(dec)
        assert dec["total"] == pytest.approx(82.92)
        assert _month(engine, "SNV-301", "2026-10")["mgmt_value"] == 100

    def test_disunity_sets_e_to_fifty(self, engine: DemoResults) -> None:
        """Phan Văn Khải's (e) is 50 % from September, at the manager and competent levels."""
        sep = _month(engine, "SNV-203", "2026-09")
        aug = _month(engine, "SNV-203", "2026-08")
        assert sep["competent__tap_hop_doan_ket"] == sep["manager__tap_hop_doan_ket"] == 50
        assert aug["competent__tap_hop_doan_ket"] == 100
        assert sep["total"] < aug["total"]

    def test_the_kpi_stands_for_the_task_block(self, engine: DemoResults) -> None:
        """A tracker KPI of 82,3 % gives 57,61 of 70 (domain §4.1), plus 27,5 general."""
        assert _month(engine, "SNV-105", "2026-01")["total"] == pytest.approx(85.11)

    def test_sick_leave_is_not_evaluated_never_zero(self, engine: DemoResults) -> None:
        """Lương Thị Thảo in December: no total, 'not_evaluated'."""
        row = _month(engine, "SNV-304", "2026-12")
        assert pd.isna(row["total"]) and "not_evaluated" in _codes(row)

    def test_the_vien_chuc_follow_nd90_then_nd233(self, engine: DemoResults) -> None:
        """The archive centre's months: NĐ 90 until June, NĐ 233 from July."""
        assert _month(engine, "SNV-403", "2026-06")["rule_set"] == "vn.nd90-2020"
        assert _month(engine, "SNV-403", "2026-07")["rule_set"] == "vn.nd233-2026"

    def test_self_scores_at_least_the_manager_and_the_manager_at_least_the_competent_level(
        self, engine: DemoResults
    ) -> None:
        """The three levels are ordered as real assessments usually are."""
        m = engine.months.dropna(subset=["total"])
        assert (m.self_total >= m.manager_total).all()
        assert (m.manager_total >= m.competent_total).all()


# --------------------------------------------------------------------------- the year


class TestYear:
    """The year is classified (NĐ 335/2025 Điều 21): average, disqualifiers, the
    competent level's conclusion, the head cap, the quota."""

    def test_the_year_grades(self, engine: DemoResults) -> None:
        """2 HTXS, 26 HTT, 2 HT, 1 KHT of 31."""
        counts = engine.year["grade"].astype(str).value_counts().to_dict()
        assert counts == {"HTT": 26, "HTXS": 2, "HT": 2, "KHT": 1}

    def test_the_head_above_his_unit_is_capped(self, engine: DemoResults) -> None:
        """Văn phòng Sở is HTT for the year; its head averages 93,75: HTT (cap.head_unit)."""
        row = _year(engine, "SNV-101")
        assert row["total"] == pytest.approx(93.75) and row["score_grade"] == "HTXS"
        assert row["unit_grade"] == "HTT" and row["grade"] == "HTT"
        assert "cap.head_unit" in _codes(row)

    def test_the_quota_demotes_the_second_candidate(self, engine: DemoResults) -> None:
        """CCVC: 5 HTT, 20 % of 5 = 1; Dương Thị Thanh Hương (97,64) keeps HTXS, Lý Hoàng
        Nam (95,88) is HTT."""
        keep, lose = _year(engine, "SNV-204"), _year(engine, "SNV-205")
        assert keep["grade"] == "HTXS" and lose["grade"] == "HTT"
        assert "quota.demoted" in _codes(lose)
        assert (lose["quota_base"], lose["quota_cap"], lose["quota_candidates"],
                lose["quota_rank"]) == (5, 1, 2, 2)  # fmt: skip

    def test_the_competent_level_concludes_with_a_reason(self, engine: DemoResults) -> None:
        """Tạ Quang Vinh averages 96,38 (HTXS band); the competent level concludes HTT."""
        row = _year(engine, "SNV-303")
        assert row["score_grade"] == "HTXS" and row["grade"] == "HTT"
        assert "competent.concluded" in _codes(row)
        assert str(row["competent_reason"]).startswith("Trong năm còn 02 hồ sơ")

    def test_a_reprimand_in_january_makes_the_year_kht(self, engine: DemoResults) -> None:
        """Châu Minh Đức averages 83,38 (HTT band) but is KHT for the year (Điều 20 k4 c)."""
        row = _year(engine, "SNV-309")
        assert row["score_grade"] == "HTT" and row["grade"] == "KHT"
        assert "disqualifier.discipline" in _codes(row)

    def test_maternity_leave_uses_the_months_worked(self, engine: DemoResults) -> None:
        """Six months worked, six on maternity leave: the mean of the six."""
        row = _year(engine, "SNV-206")
        months = engine.months[(engine.months["staff_id"] == "SNV-206")]
        assert (row["months"], row["leave_months"]) == (6, 6)
        assert row["total"] == pytest.approx(round(months["total"].dropna().mean(), 2))
        assert "rollup.leave" in _codes(row)

    def test_the_transferred_person_is_classified_by_the_new_unit(
        self, engine: DemoResults
    ) -> None:
        """Mai Thị Diệu Linh's year: twelve months, both units', classified in XDCQ."""
        row = _year(engine, "SNV-208")
        assert row["unit_id"] == "SNV-XDCQ" and row["months"] == 12

    def test_the_council_re_scores_a_unit(self, engine: DemoResults) -> None:
        """XDCQ: computed 90,31 (HTXS band), self 94, the council's 86,5 counts: HTT."""
        u = engine.unit_year.set_index("unit_id").loc["SNV-XDCQ"]
        assert (u["computed_score"], u["self_score"], u["council_score"], u["score"]) == (
            pytest.approx(90.31), 94.0, 86.5, 86.5)
        assert u["grade"] == "HTT" and u["reasons"] == "unit.council"

    def test_the_vien_chuc_year_is_under_nd233(self, engine: DemoResults) -> None:
        """The year's rule set is the person's last month's."""
        assert _year(engine, "SNV-403")["rule_set"] == "vn.nd233-2026"


# --------------------------------------------------------------------------- run_demo


class TestRunDemo:
    def test_results_csv_and_year_csv_have_the_documented_columns(
        self, report: DemoReport
    ) -> None:
        """results.csv: 31 × 12 rows; year.csv: 31 rows; UTF-8 with names."""
        csv = pd.read_csv(report.results_csv, encoding="utf-8", dtype={"period": str})
        assert list(csv.columns)[:len(RESULT_COLUMNS)] == list(RESULT_COLUMNS)
        assert len(csv) == 372
        assert not csv.duplicated(["staff_id", "period"]).any()
        assert sorted(csv.period.unique()) == MONTHS
        assert report.year_csv is not None
        year = pd.read_csv(report.year_csv, encoding="utf-8", dtype={"period": str})
        assert list(year.columns)[:len(YEAR_COLUMNS)] == list(YEAR_COLUMNS) and len(year) == 31
        assert "Nguyễn Thị Hồng Nhung" in set(year.full_name)
        assert set(year.grade) == {"HTXS", "HTT", "HT", "KHT"}

    def test_explain_on_the_tables_read_back_says_their_reasons(self, report: DemoReport) -> None:
        """``explain(pd.read_csv("results.csv"), column="reason_codes")`` says the sentences
        of the ``reasons`` column: the tables carry the figures the reasons quote (the staff
        under a leader, the quota) after their documented columns; before, "cả 0 công chức"."""
        from evalkit.reasons import SENTENCE_SEPARATOR, explain

        assert report.year_csv is not None
        for path in (report.results_csv, report.year_csv):
            table = pd.read_csv(path, encoding="utf-8", dtype={"period": str})
            said = explain(table, column="reason_codes").map(SENTENCE_SEPARATOR.join)
            assert said.tolist() == table["reasons"].fillna("").tolist()
            assert not said.str.contains(r"cả 0 |tối đa 0 người").any()
        codes = pd.read_csv(report.results_csv, encoding="utf-8", dtype={"period": str})
        assert "mgmt_subordinates" in codes.columns
        with pytest.raises(evalkit.InputError, match="mgmt_subordinates"):
            explain(codes.drop(columns=["mgmt_subordinates"]), column="reason_codes")

    def test_reasons_are_sentences_with_citations(self, report: DemoReport) -> None:
        """The reasons column holds the catalogue's sentences, the codes their own column."""
        row = report.year[report.year.staff_id == "SNV-309"].iloc[0]
        assert "disqualifier.discipline" in row["reason_codes"]
        assert "khiển trách" in row["reasons"] and "(NĐ 335/2025/NĐ-CP, Điều 20 k4 c)" in row[
            "reasons"]

    def test_grade_counts_per_month_and_for_the_year(self, report: DemoReport) -> None:
        """Months: the band as information (one not evaluated in December); the year."""
        counts = report.grade_counts()
        assert counts["2026"] == {"HTXS": 2, "HTT": 26, "HT": 2, "KHT": 1}
        assert sum(counts["2026-12"].values()) == 30
        assert sum(counts["2026-05"].values()) == 30  # one person on maternity leave

    def test_no_temporary_file_is_left(self, report: DemoReport) -> None:
        """The tables are written through a temporary file that is renamed into place."""
        assert [p.name for p in report.out_dir.iterdir() if p.name.endswith(".tmp")] == []

    def test_english_reasons_are_written_in_english(self, tmp_path: Path) -> None:
        """lang='en' writes the reasons' English sentences."""
        rep = run_demo(tmp_path, lang="en", render=False, echo=lambda line: None)
        row = rep.year[rep.year.staff_id == "SNV-309"].iloc[0]
        assert "reprimand" in row["reasons"].lower()
        assert "khiển trách" not in row["reasons"].lower()

    def test_run_demo_says_where_the_output_went(self, tmp_path: Path) -> None:
        """The caller is told the paths of results.csv and year.csv."""
        lines: list[str] = []
        run_demo(tmp_path, render=False, echo=lines.append)
        assert any(str(tmp_path / "results.csv") in line for line in lines)
        assert any(str(tmp_path / "year.csv") in line for line in lines)

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [({"months": "some"}, ValueError), ({"months": "2025-01"}, ValueError),
         ({"lang": "fr"}, evalkit.RenderError)],
    )  # fmt: skip
    def test_bad_options_are_refused(
        self, tmp_path: Path, kwargs: dict[str, str], error: type[Exception]
    ) -> None:
        """Unknown month selections and languages raise, naming the value."""
        with pytest.raises(error, match=next(iter(kwargs.values()))):
            run_demo(tmp_path, render=False, echo=lambda line: None, **kwargs)  # type: ignore[arg-type]


def test_the_demo_grade_for_the_year_equals_the_object_path(data: DemoData,
                                                             engine: DemoResults) -> None:
    """A month scored through evalkit.score gives the frame's total (one engine)."""
    a = next(a for a in data.assessments_for("2026-02") if a.staff_id == "SNV-207")
    s = data.organisation.member(a.staff_id)
    expected = evalkit.score(a, staff=s)
    assert _month(engine, "SNV-207", "2026-02")["total"] == expected.total
    assert Grade.parse(_month(engine, "SNV-207", "2026-02")["score_grade"]) is \
        expected.score_grade


# --------------------------------------------------------------------------- all or nothing


def _demo_cli(*args: str) -> tuple[int, str, str]:
    """`evalkit demo ...` in this process: the exit code, stdout and stderr."""
    import contextlib
    import io

    from evalkit.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["demo", *args], stdout=out)
    return code, out.getvalue(), err.getvalue()


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) by its relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    """An output folder that already holds files of the user's, one named as the demo's."""
    out = tmp_path / "demo"
    (out / "units").mkdir(parents=True)
    (out / "notes.txt").write_text("của tôi", encoding="utf-8")
    (out / "results.csv").write_text("an earlier table\n", encoding="utf-8")
    (out / "units" / "old.pdf").write_bytes(b"%PDF-1.7 earlier")
    return out


def _fail_on_write(monkeypatch: pytest.MonkeyPatch, nth: int, exc: Exception,
                   under: str | None = None) -> tuple[list[Path], list[Path]]:  # fmt: skip
    """Make this process's ``nth`` finished file (the rename of the atomic writer,
    :mod:`evalkit._files`; counting only the files in a folder named ``under`` if given)
    raise ``exc``; return the targets reached, in order, and the files staged (in the
    hidden ``.run.evalkit-….tmp`` folder) when it raised."""
    from evalkit import _files

    real = _files._finish
    reached: list[Path] = []
    staged: list[Path] = []

    def finish(tmp: Path, target: Path) -> None:
        reached.append(target)
        if len([p for p in reached if under is None or p.parent.name == under]) == nth:
            stage = next(d for d in target.parents if d.name.startswith(".run.evalkit-"))
            staged.extend(p for p in stage.rglob("*")  # not the one being written
                          if p.is_file() and p.name != tmp.name)  # fmt: skip
            raise exc
        real(tmp, target)

    monkeypatch.setattr(_files, "_finish", finish)
    return reached, staged


class TestAllOrNothing:
    """`evalkit demo --out DIR` writes its files through the staged folder every command
    writes a folder through (:func:`evalkit._files.staged_folder`): all of them or none."""

    def test_a_failed_table_leaves_no_table(self, earlier: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
        """year.csv failing leaves no results.csv of the run (the earlier one stays)."""
        import errno

        before = _tree(earlier)
        reached, staged = _fail_on_write(monkeypatch, 2, OSError(errno.ENOSPC, "No space left"))
        with pytest.raises(evalkit.OutputError, match="no space left on the disk") as info:
            run_demo(earlier, render=False, echo=lambda line: None)
        assert [p.name for p in reached] == ["results.csv", "year.csv"]
        assert [p.name for p in staged] == ["results.csv"]
        assert info.value.path == str(earlier / "year.csv")  # not its copy in the stage
        assert _tree(earlier) == before
        assert [p.name for p in earlier.iterdir() if p.name.startswith(".")] == []

    def test_a_failed_first_run_leaves_no_folder(self, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
        """A first run into ``out/2026`` (neither exists) that fails leaves neither folder:
        nothing of the run, not even an empty folder (it used to leave both)."""
        import errno

        _fail_on_write(monkeypatch, 2, OSError(errno.ENOSPC, "No space left"))
        out = tmp_path / "out" / "2026"
        with pytest.raises(evalkit.OutputError, match="no space left on the disk"):
            run_demo(out, render=False, echo=lambda line: None)
        assert list(tmp_path.iterdir()) == []
        (tmp_path / "out").mkdir()  # a folder that was there stays, even empty
        _fail_on_write(monkeypatch, 2, OSError(errno.ENOSPC, "No space left"))
        with pytest.raises(evalkit.OutputError, match="no space left on the disk"):
            run_demo(out, render=False, echo=lambda line: None)
        assert [p.name for p in tmp_path.iterdir()] == ["out"]
        assert list((tmp_path / "out").iterdir()) == []

    @pytest.mark.slow
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_a_full_disk_half_way_writes_nothing_and_is_exit_1(
        self, earlier: Path, monkeypatch: pytest.MonkeyPatch, lang: str
    ) -> None:
        """The second unit summary (after the two tables, the 62 sheets' batch and the
        first summary) meets a full disk: none of the 86 files appears, the folder's
        earlier files are as they were, and the sentence says so (a full disk is the
        user's to fix: exit 1, not an internal error)."""
        import errno

        pytest.importorskip("weasyprint")
        before = _tree(earlier)
        reached, staged = _fail_on_write(monkeypatch, 2, OSError(errno.ENOSPC, "No space left"),
                                         under="units")  # fmt: skip
        code, out, err = _demo_cli("--out", str(earlier), "--lang", lang)
        assert [p.name for p in reached[:2]] == ["results.csv", "year.csv"]
        assert reached[-1].parent.name == reached[-2].parent.name == "units"
        # half-way: the tables, the 62 sheets with their manifest and a summary were staged
        assert sorted(p.parent.name for p in staged).count("sheets") == 62 + 1
        assert len(staged) == 2 + 63 + 1
        assert code == 1 and out == ""
        assert _tree(earlier) == before
        assert [p.name for p in earlier.iterdir() if p.name.startswith(".")] == []
        failed = str(earlier / "units" / reached[-1].name)
        if lang == "vi":
            assert err == (f"Lỗi: không ghi được {failed!r}: ổ đĩa đã đầy; chưa ghi tệp nào "
                           f"của dữ liệu mẫu vào {earlier}, các tệp đã có ở đó giữ nguyên\n")
        else:
            assert err == (f"Error: cannot write {failed!r}: no space left on the disk; none "
                           f"of the demo's files was written to {earlier}, the files "
                           f"already there are as they were\n")

    @pytest.mark.slow
    def test_a_bug_half_way_is_internal_and_writes_nothing(
        self, earlier: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A renderer that breaks on the 5th unit summary is evalkit's fault: exit 4,
        and still nothing of the run in the folder."""
        pytest.importorskip("weasyprint")
        from evalkit import render

        real = render.render_unit_summary
        calls: list[object] = []

        def broken(summary: object, **kw: object) -> bytes:
            calls.append(summary)
            if len(calls) == 5:
                raise RuntimeError("the layout broke")
            return real(summary, **kw)  # type: ignore[arg-type]

        before = _tree(earlier)
        monkeypatch.setattr(render, "render_unit_summary", broken)
        code, _, err = _demo_cli("--out", str(earlier))
        assert len(calls) == 5
        assert code == 4 and err.startswith("Lỗi nội bộ: RuntimeError: the layout broke")
        assert _tree(earlier) == before

    @pytest.mark.slow
    def test_a_run_writes_every_file_whole_beside_the_earlier_ones(self, earlier: Path) -> None:
        """31 monthly and 31 annual sheets, 5 units × (December, the year) summaries, 2
        overviews, 5 publication lists as PDF and CSV, and the two tables: 86 files, each
        whole, the sheets' manifest beside them, no temporary left; the user's files kept,
        results.csv replaced."""
        pytest.importorskip("weasyprint")
        import json

        code, out, _ = _demo_cli("--out", str(earlier), "--json")
        listed = [Path(p) for p in json.loads(out)["files"]]
        assert code == 0 and len(listed) == len(set(listed)) == 31 + 31 + 10 + 2 + 10 + 2
        tree = _tree(earlier)
        made = {p.relative_to(earlier).as_posix() for p in listed}
        assert set(tree) == made | {"notes.txt", "units/old.pdf", "sheets/.evalkit-manifest.json"}
        assert tree["notes.txt"] == "của tôi".encode() and tree["units/old.pdf"].endswith(b"earlier")
        assert tree["results.csv"].startswith(b"staff_id,full_name,")
        for name in made:
            if name.endswith(".pdf"):
                assert tree[name].startswith(b"%PDF-") and tree[name].rstrip().endswith(b"%%EOF")
        assert not [p for p in earlier.rglob("*") if ".evalkit-" in p.name and
                    p.name.endswith(".tmp")]  # fmt: skip
