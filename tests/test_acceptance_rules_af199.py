"""Acceptance (af199): the rule author's door, as a provincial home-affairs department
uses it (the brief: "rule authors property-test a rule change before it takes effect";
"rule sets are data (TOML) plus a small registry"; "every rule cites its source").

Tỉnh Mẫu (a made-up province) issues Quyết định 12/2026/QĐ-UBND, in force from
1/1/2027, on top of NĐ 335/2025/NĐ-CP: HTXS from 92 points instead of 90 (Điều 20 k1),
and at most 15 % of those rated HTT instead of 20 % (Điều 20 k5 a allows a local set to
lower the share, not raise it: domain brief §4.1, docs/rule-sets.md). Every expectation
below comes from that decision, the decree and the domain brief, not from evalkit's output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import evalkit
from evalkit import classify_year, score_frame
from evalkit.errors import RuleSetError, RuleSetNotInForceError
from evalkit.impact import compare_rule_sets
from evalkit.render import period_sheets_from_results, render_period_html
from evalkit.rules import _registry, rule_changes
from evalkit.testing import check_rule_set, organisation_months, staff_month_frames
from evalkit.units import classify_frame
from tests._cli_helpers import run
from tests._sheet_audit import html_text

NATIONAL = "vn.nd335-2025"
PROVINCE = "vn.mau.qd12-2027"
DECISION = "QĐ 12/2026/QĐ-UBND"

#: The head of the province's file: what it is and when it takes effect.
HEAD = f"""\
extends = "{NATIONAL}"
id = "{PROVINCE}"
jurisdiction = "vn.mau"
title_vi = "Đánh giá, xếp loại công chức tỉnh Mẫu (Quyết định 12/2026/QĐ-UBND)"
title_en = "Evaluation of civil servants of Mẫu province (Decision 12/2026/QĐ-UBND)"
source = "Quyết định 12/2026/QĐ-UBND"
status = "secondary"
effective_from = 2027-01-01
"""


def bands(htxs: float = 92, htt: float = 70, ht: float = 50, htt_to: float | None = None,
          cite_htxs: bool = True) -> str:  # fmt: skip
    """The four bands (arrays of tables are replaced whole under ``extends``)."""
    cite = f'source = "{DECISION}, Điều 4 k1"\n' if cite_htxs else ""
    return (f'[[bands]]\ngrade = "HTXS"\nmin = {htxs}\nmax = 100\n{cite}'
            f'[[bands]]\ngrade = "HTT"\nmin = {htt}\nmax = {htt_to or htxs}\n'
            f'source = "{DECISION}, Điều 4 k2"\n'
            f'[[bands]]\ngrade = "HT"\nmin = {ht}\nmax = {htt}\n'
            'source = "NĐ 335/2025/NĐ-CP, Điều 20 k3"\n'
            f'[[bands]]\ngrade = "KHT"\nmin = 0\nmax = {ht}\n'
            'source = "NĐ 335/2025/NĐ-CP, Điều 20 k4 a"\n')  # fmt: skip


def quota(percent: float = 15) -> str:
    return f'[quota]\npercent = {percent}\nsource = "{DECISION}, Điều 5"\n'


GOOD = HEAD + bands() + quota()


def write(folder: Path, text: str, name: str = "mau.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> _registry.Registry:
    """A fresh default registry for the test (one that it may change)."""
    reg = _registry.Registry.with_presets()
    monkeypatch.setattr(_registry, "_default", reg)
    return reg


@pytest.fixture
def province(tmp_path: Path) -> Path:
    return write(tmp_path, GOOD)


def general(points: float) -> dict[str, float]:
    """NĐ 335's ten general criteria (10 + 10 + 10) scored to ``points`` of 30."""
    nd335 = evalkit.rules.get(NATIONAL)
    ids = [c.id for c in nd335.groups[0].criteria]
    maxima = {c.id: c.maximum for c in nd335.groups[0].criteria}
    share = points / 30
    return {i: maxima[i] * share for i in ids}


def month_row(staff_id: str, period: str, task: float, **extra: Any) -> dict[str, Any]:
    """A công chức without management duty: 30 general points and a, b, c = ``task`` %:
    total 30 + task × 70 % (NĐ 335/2025 Điều 16)."""
    return {"staff_id": staff_id, "period": period, "category": "cong_chuc", **general(30),
            "so_luong": task, "chat_luong": task, "tien_do": task, **extra}


# 30 + 87.5 % × 70 = 91.25: HTXS under the decree (≥ 90), HTT under the province (< 92)
TASK_91 = 87.5


# =========================================================================== the file


class TestTheProvincialFile:
    def test_rules_check_accepts_it(self, province: Path) -> None:
        """A file that extends NĐ 335, lowers the quota and raises the HTXS edge is valid."""
        code, out, err = run("rules", "check", str(province), "--examples", "10", "--lang", "en")
        assert code == 0, (out, err)
        assert f"rule set '{PROVINCE}' is valid" in out

    def test_it_is_the_national_set_with_two_rules_changed(self, province: Path) -> None:
        """Only the HTXS edge (92) and the quota share (15 %) differ; the caps, blocks and
        criteria of NĐ 335/2025 are kept whole (a local set may not drop them)."""
        rs, nd335 = evalkit.rules.load(province), evalkit.rules.get(NATIONAL)
        assert [(b.grade.code, b.min, b.max) for b in rs.bands] == [
            ("KHT", 0, 50), ("HT", 50, 70), ("HTT", 70, 92), ("HTXS", 92, 100)]
        assert rs.quota is not None and nd335.quota is not None
        assert (rs.quota.percent, rs.quota.base, rs.quota.grade) == (15, "HTT",
                                                                     nd335.quota.grade)
        assert (rs.caps, rs.blocks, rs.groups) == (nd335.caps, nd335.blocks, nd335.groups)
        assert str(rs.effective_from) == "2027-01-01" and rs.jurisdiction == "vn.mau"


# =========================================================================== the registry


class TestTheSetFollowsItsDate:
    def test_months_before_the_date_keep_the_national_set(self, province: Path,
                                                          registry: Any) -> None:  # fmt: skip
        """Registered, the province's set is in force from its first day, not before; a
        district of the province falls back to it (docs/rule-sets.md: jurisdictions)."""
        evalkit.rules.load(province, register=True)
        for jur in ("vn.mau", "vn.mau.huyen-a"):
            assert evalkit.rules.for_period("cong_chuc", "2026-12", jur).id == NATIONAL
            assert evalkit.rules.for_period("cong_chuc", "2027-01", jur).id == PROVINCE
            assert evalkit.rules.for_period("cong_chuc", "2027-06", jur).id == PROVINCE
        assert evalkit.rules.for_period("cong_chuc", "2027-01", "vn.khac").id == NATIONAL

    def test_each_person_gets_the_set_of_their_jurisdiction_and_month(
            self, province: Path, registry: Any) -> None:  # fmt: skip
        """91.25 points: HTXS band under NĐ 335 (≥ 90), HTT under QĐ 12 from 2027 (< 92);
        same answer from the frame door and the object door."""
        evalkit.rules.load(province, register=True)
        frame = pd.DataFrame([
            month_row("A", "2026-12", TASK_91, jurisdiction="vn.mau"),
            month_row("B", "2027-01", TASK_91, jurisdiction="vn.mau"),
            month_row("C", "2027-01", TASK_91, jurisdiction="vn"),
            month_row("D", "2027-01", TASK_91, jurisdiction="vn.mau.huyen-a"),
        ])  # fmt: skip
        out = score_frame(frame)
        assert out["total"].tolist() == [91.25] * 4
        assert out["rule_set"].astype(str).tolist() == [NATIONAL, PROVINCE, NATIONAL, PROVINCE]
        assert out["score_grade"].astype(str).tolist() == ["HTXS", "HTT", "HTXS", "HTT"]
        for row, want in zip(frame.to_dict("records"), out["rule_set"].astype(str),
                             strict=True):  # fmt: skip
            scores = {k: v for k, v in row.items()
                      if k not in ("staff_id", "period", "category", "jurisdiction")}
            a = evalkit.Assessment(row["staff_id"], row["period"], competent_scores=scores)
            r = evalkit.score(a, jurisdiction=row["jurisdiction"])
            assert r.rule_set_id == want and r.total == 91.25

    def test_named_it_applies_from_its_date_and_before_only_by_force(
            self, province: Path, registry: Any) -> None:  # fmt: skip
        """Applying a set outside its dates is an explicit choice (domain brief §4)."""
        rs = evalkit.rules.load(province)
        before = pd.DataFrame([month_row("A", "2026-12", TASK_91)])
        with pytest.raises(RuleSetNotInForceError, match="2027-01-01"):
            score_frame(before, rs)
        assert score_frame(before, rs, force=True)["score_grade"].astype(str).tolist() == ["HTT"]
        after = pd.DataFrame([month_row("A", "2027-01", TASK_91)])
        assert score_frame(after, str(province))["score_grade"].astype(str).tolist() == ["HTT"]

    def test_the_command_line_takes_the_file_with_rules(self, province: Path,
                                                        tmp_path: Path) -> None:  # fmt: skip
        """`score --rules FILE.toml`: the file's bands in its months; a month before its
        date is refused (exit non-zero) and nothing is written."""
        cols = list(month_row("A", "2027-01", TASK_91))
        for period, ok in (("2027-01", True), ("2026-12", False)):
            csv = tmp_path / f"{period}.csv"
            pd.DataFrame([month_row("A", period, TASK_91)])[cols].drop(
                columns="category").to_csv(csv, index=False)  # fmt: skip
            out = tmp_path / f"{period}.json"
            code, stdout, err = run("score", str(csv), "--rules", str(province),
                                    "--period", period, "--out", str(out), "--lang", "en")
            assert (code == 0) is ok, (stdout, err)
            assert out.exists() is ok
            assert "Traceback" not in stdout + err
            if ok:
                text = out.read_text(encoding="utf-8")
                assert PROVINCE in text and "HTT" in text


# =========================================================================== impact


class TestTheChangeIsReportedWithItsCitations:
    #: (item, before, after, citation): the decision's two rules and its date
    WANT: ClassVar[list[tuple[str, Any, Any, str]]] = [
        ("jurisdiction", "vn", "vn.mau", "Quyết định 12/2026/QĐ-UBND"),
        ("effective_from", "2026-01-01", "2027-01-01", "Quyết định 12/2026/QĐ-UBND"),
        ("bands[HTT].max", 90, 92, f"{DECISION}, Điều 4 k2"),
        ("bands[HTXS].min", 90, 92, f"{DECISION}, Điều 4 k1"),
        ("quota.percent", 20, 15, f"{DECISION}, Điều 5"),
    ]

    def test_rule_changes_lists_exactly_the_changed_rules(self, province: Path) -> None:
        """Wording (titles, citations of unchanged rules) is not a rule change."""
        got = rule_changes(evalkit.rules.get(NATIONAL), evalkit.rules.load(province))
        assert got == self.WANT

    def test_the_impact_report_and_rules_diff_list_them(self, province: Path) -> None:
        """`compare_rule_sets` and `evalkit rules diff --json` carry the same table; a
        person at 91.25 in 2027 goes down from HTXS to HTT."""
        frame = pd.DataFrame([month_row("A", "2027-01", TASK_91),
                              month_row("B", "2027-01", 100)])  # fmt: skip
        report = compare_rule_sets(NATIONAL, province, frame)
        assert [tuple(r) for r in report.rules.itertuples(index=False)] == self.WANT
        assert report.changes[["staff_id", "old_grade", "new_grade"]].values.tolist() == [
            ["A", "HTXS", "HTT"]]
        code, out, err = run("rules", "diff", NATIONAL, str(province), "--data", "demo",
                             "--json")  # fmt: skip
        assert code == 0, err
        assert [tuple(r.values()) for r in json.loads(out)["rules"]] == self.WANT
        code, out, err = run("rules", "diff", NATIONAL, str(province), "--data", "demo",
                             "--lang", "en")  # fmt: skip
        assert code == 0, err
        assert "Rules changed" in out and f"{DECISION}, Điều 5" in out

    def test_the_same_set_changes_nothing(self) -> None:
        assert rule_changes(evalkit.rules.get(NATIONAL), evalkit.rules.get(NATIONAL)) == []


# =========================================================================== properties

#: Derandomised, no example database: the same run everywhere.
PROPERTY = settings(max_examples=60, derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck))  # fmt: skip
#: The same, without shrinking: to show quickly that a broken file fails a property.
FIND = settings(PROPERTY, phases=[Phase.explicit, Phase.generate])
GRADES = {"KHT": 0, "HT": 1, "HTT": 2, "HTXS": 3}


def nobody_moves_more_than_one_band(rules: evalkit.RuleSet, run: Any = PROPERTY) -> None:
    """The author's property: under QĐ 12 no month's band differs from NĐ 335's by more
    than one step (the decision moves one edge by two points)."""
    nd335 = evalkit.rules.get(NATIONAL)

    @run
    @given(staff_month_frames(nd335, max_rows=8, period="2027-01"))
    def prop(frame: pd.DataFrame) -> None:
        old = score_frame(frame, nd335)["score_grade"].astype(str).map(GRADES)
        new = score_frame(frame, rules, force=True)["score_grade"].astype(str).map(GRADES)
        assert ((old - new).abs() <= 1).all(), frame

    prop()


def the_quota_is_never_exceeded(rules: evalkit.RuleSet, run: Any = PROPERTY) -> None:
    """The author's property: per unit, the year's HTXS are at most 15 % (floor) of those
    rated HTT before the quota (QĐ 12 Điều 5; domain brief §4.6: floor, counted before
    demotion), in a strong month (a third of the staff at full marks)."""

    @run
    @given(organisation_months(rules, max_units=1, max_staff_per_unit=10, disqualifiers=False,
                               period="2027-03"), st.data())  # fmt: skip
    def prop(ex: Any, data: st.DataObject) -> None:
        _org, months, units = ex
        # the staff without management duty: each strong (HTT) or as drawn, one of them
        # at full marks (HTXS) — a head is capped at the unit's grade, a leader's task
        # block is scored on d, đ, e too
        staff = months.index[~months["manages_others"].astype(bool)].tolist()
        strong = dict(zip(staff, data.draw(st.lists(st.sampled_from(["good", "good", "as drawn"]),
                                                    min_size=len(staff), max_size=len(staff))),
                          strict=True))  # fmt: skip
        if staff:
            strong[data.draw(st.sampled_from(staff))] = "full"
        months = months.copy()
        for i, kind in strong.items():
            if kind != "as drawn":
                task = 100 if kind == "full" else 85  # 100 → HTXS, 30 + 59.5 → HTT
                months.loc[i, list(general(30))] = list(general(30).values())
                months.loc[i, ["so_luong", "chat_luong", "tien_do"]] = task
                months.loc[i, ["loi_chat_luong", "cham_tien_do", "kpi"]] = [0, 0, None]
        staff, unit = classify_frame(months, units, rules, force=True)
        year = classify_year(staff, unit, rules, force=True)
        for _u, g in year.groupby("unit_id"):
            htt = int((g["proposed_grade"].astype(str) == "HTT").sum())
            htxs = int((g["grade"].astype(str) == "HTXS").sum())
            assert htxs <= htt * 15 // 100, g[["staff_id", "total", "proposed_grade", "grade"]]

    prop()


class TestTheAuthorPropertyTestsTheChange:
    def test_the_invariant_suite_holds_for_the_file(self, province: Path) -> None:
        """`check_rule_set` (what `rules check` runs) passes the provincial file."""
        check_rule_set(province, max_examples=20,
                       invariants=["bands", "grade_monotone", "disqualifiers", "quota",
                                   "quota_respected"]).assert_ok()  # fmt: skip

    def test_nobody_moves_more_than_one_band(self, province: Path) -> None:
        nobody_moves_more_than_one_band(evalkit.rules.load(province))

    def test_the_quota_is_never_exceeded(self, province: Path) -> None:
        the_quota_is_never_exceeded(evalkit.rules.load(province))

    def test_a_file_broken_on_purpose_fails_the_band_property(self, tmp_path: Path) -> None:
        """A typo (HTT from 45 instead of 70) moves a KHT month of 49 points to HTT."""
        broken = evalkit.rules.load(write(tmp_path, HEAD + bands(htt=45, ht=30) + quota()))
        with pytest.raises(AssertionError):
            nobody_moves_more_than_one_band(broken, FIND)

    def test_a_file_broken_on_purpose_fails_the_quota_property(self, tmp_path: Path) -> None:
        """A file left at the decree's 20 % instead of the decision's 15 % lets one HTXS
        through among 5 HTT (20 % of 5 = 1; 15 % of 5 = 0.75 → 0): the author's property
        fails, where the generic suite cannot know the decision's figure."""
        path = write(tmp_path, HEAD + bands() + quota(20))
        with pytest.raises(AssertionError):
            the_quota_is_never_exceeded(evalkit.rules.load(path), FIND)


# =========================================================================== bad files

OTHER = HEAD.replace(PROVINCE, "vn.mau.other").replace("2027-01-01", "2027-06-01")

BAD = {  # name: (file text, the key named, words of the problem)
    "missing citation": (HEAD + bands(cite_htxs=False) + quota(), "bands[0].source",
                         "missing required key 'source'"),
    "empty citation, no status": (
        HEAD + bands().replace(f'source = "{DECISION}, Điều 4 k1"', 'source = ""') + quota(),
        "bands[0].source", "the rule cites nothing (`source` is empty) and says not why"),
    "bands with a gap": (HEAD + bands(htt_to=91) + quota(), "bands",
                         "bands leave a gap between 91 and 92"),
    "bands overlap": (HEAD + bands(htt_to=93) + quota(), "bands", "bands overlap"),
    "quota share above 1": (HEAD + bands() + quota(120), "quota.percent",
                            "quota percent must be within 0 to 100, not 120"),
    "unknown key": (HEAD + "quota_share = 0.15\n" + bands() + quota(), "quota_share",
                    "unknown key 'quota_share'"),
    "wrong type": (HEAD + bands() + '[quota]\npercent = "15%"\nsource = "x"\n',
                   "quota.percent", "expected a number, got '15%'"),
    "extends naming nothing": (GOOD.replace(f'extends = "{NATIONAL}"', 'extends = "vn.nd999"'),
                               "extends", "unknown rule set 'vn.nd999'"),
    "extends itself": (GOOD.replace(f'extends = "{NATIONAL}"', f'extends = "{PROVINCE}"'),
                       "id", "the id must differ from the set it extends"),
    "toml syntax": (GOOD.replace("[quota]", "[quota"), None, "invalid TOML"),
}  # fmt: skip


class TestBadRuleFiles:
    @pytest.mark.parametrize("case", list(BAD))
    def test_the_loader_names_the_file_and_the_key(self, case: str, tmp_path: Path) -> None:
        """A RuleSetError naming the file and the key; nothing is evaluated."""
        text, key, words = BAD[case]
        path = write(tmp_path, text)
        with pytest.raises(RuleSetError) as err:
            evalkit.rules.load(path)
        said = str(err.value)
        assert words in said and str(path) in said
        if key is not None:
            assert err.value.key == key or any(k == key for k, _ in err.value.problems or ())

    @pytest.mark.parametrize("case", list(BAD))
    def test_the_command_line_exits_non_zero_and_writes_nothing(
            self, case: str, tmp_path: Path) -> None:  # fmt: skip
        """`rules check` exits 3 naming the key; `score --rules` exits non-zero, no
        traceback, no output file."""
        text, key, _words = BAD[case]
        path = write(tmp_path, text)
        code, out, err = run("rules", "check", str(path), "--examples", "5", "--lang", "en")
        assert code == 3, (out, err)
        shown = {"quota.percent": "quota"}.get(key or "", key)  # said once, by the invariant
        assert path.name in err and (shown is None or shown in err), err
        assert "Traceback" not in out + err
        csv = tmp_path / "in.csv"
        pd.DataFrame([month_row("A", "2027-01", 100)]).drop(columns="category").to_csv(
            csv, index=False)  # fmt: skip
        target = tmp_path / "out.json"
        code, out, err = run("score", str(csv), "--rules", str(path), "--out", str(target))
        assert code not in (0, 4), (out, err)  # 4 would be a bug
        assert not target.exists() and "Traceback" not in out + err

    def test_an_empty_citation_that_says_why_is_accepted(self, tmp_path: Path) -> None:
        """`source = ""` with `status = "practice"`: a rule with no legal text, on purpose
        (docs/rule-sets.md, statuses); nothing is printed for it on a sheet."""
        text = HEAD + bands().replace(f'source = "{DECISION}, Điều 4 k1"',
                                      'source = ""\nstatus = "practice"') + quota()
        rs = evalkit.rules.load(write(tmp_path, text))
        assert [(b.source, b.status) for b in rs.bands if b.grade.code == "HTXS"] == [
            ("", "practice")]

    def test_every_problem_of_one_file_is_said_at_once(self, tmp_path: Path) -> None:
        """An unknown key, a missing citation, a gap and a 120 % quota: four problems."""
        path = write(tmp_path, HEAD + "quota_share = 0.15\n" + bands(htt_to=91, cite_htxs=False)
                     + quota(120))  # fmt: skip
        with pytest.raises(RuleSetError) as err:
            evalkit.rules.load(path)
        keys = [k for k, _ in err.value.problems]
        assert keys == ["quota_share", "bands[0].source", "bands", "quota.percent"]

    def test_a_cycle_of_extends_is_an_error_not_a_loop(self, tmp_path: Path) -> None:
        """A extends B and B extends A: neither is registered, each names the other."""
        a = write(tmp_path, 'extends = "vn.mau.b"\nid = "vn.mau.a"\n', "a.toml")
        b = write(tmp_path, 'extends = "vn.mau.a"\nid = "vn.mau.b"\n', "b.toml")
        for path, other in ((a, "vn.mau.b"), (b, "vn.mau.a")):
            with pytest.raises(RuleSetError) as err:
                evalkit.rules.load(path)
            assert err.value.key == "extends" and other in str(err.value)

    def test_overlapping_dates_with_another_set_of_the_jurisdiction(
            self, province: Path, tmp_path: Path, registry: Any) -> None:  # fmt: skip
        """Two open-ended sets for công chức of vn.mau: registration refuses the second,
        naming both sets and the file; the first stays the set in force."""
        evalkit.rules.load(province, register=True)
        other = write(tmp_path, OTHER + bands() + quota(), "other.toml")
        with pytest.raises(RuleSetError) as err:
            evalkit.rules.load(other, register=True)
        said = str(err.value)
        assert "effective ranges overlap for cong_chuc in 'vn.mau'" in said
        assert PROVINCE in said and "vn.mau.other" in said and str(other) in said
        assert evalkit.rules.for_period("cong_chuc", "2027-07", "vn.mau").id == PROVINCE

    def test_a_text_value_is_never_evaluated(self, tmp_path: Path) -> None:
        """A formula typed for a number is a type error, never run."""
        path = write(tmp_path, HEAD + bands() + '[quota]\npercent = "__import__(\'os\').getpid()"\n')
        with pytest.raises(RuleSetError, match="expected a number"):
            evalkit.rules.load(path)


# =========================================================================== the sheet


def test_the_annual_sheet_cites_the_provinces_rule_in_vietnamese(province: Path) -> None:
    """A quota demotion in 2027 under QĐ 12: 2 people at HTXS level, 6 rated HTT — 15 %
    of 6 is 0.9, floor 0 (domain brief §4.6), so both become HTT. The sheet says it in a
    Vietnamese sentence citing "QĐ 12/2026/QĐ-UBND, Điều 5", never the decree's 20 %
    article, a reason code or English."""
    rs = evalkit.rules.load(province)
    year = pd.DataFrame({"staff_id": [f"S{i}" for i in range(8)], "period": "2027-12",
                         "unit_id": "U", "rule_set": PROVINCE,
                         "total": [95.0, 93.0] + [80.0] * 6})  # fmt: skip
    out = classify_year(year, rules=rs)
    assert out["grade"].astype(str).tolist() == ["HTT"] * 8
    sheet = period_sheets_from_results(out)[0]
    text = html_text(render_period_html(sheet, lang="vi"))
    assert f"{DECISION}, Điều 5" in text and "15%" in text
    assert "NĐ 335/2025/NĐ-CP, Điều 20 k5 a" not in text
    for code in ("quota.demoted", "rollup.average", "HTXS band", "quota", "rule set"):
        assert code not in text, code


def test_rules_check_warns_of_a_changed_rule_left_with_the_decrees_citation(
        tmp_path: Path) -> None:  # fmt: skip
    """`[quota] percent = 15` without a `source`: the merged table keeps NĐ 335's "Điều 20
    k5 a" (the 20 % rule), which the sheets would print for the province's 15 %. The file
    is valid (exit 0), but `rules check` says so, in Vietnamese by default, naming the
    changed item and the inherited citation; the file citing its decision gets no such
    warning."""
    bare = write(tmp_path, HEAD + bands() + "[quota]\npercent = 15\n", "bare.toml")
    assert evalkit.rules.load(bare).quota.source == "NĐ 335/2025/NĐ-CP, Điều 20 k5 a"
    code, out, err = run("rules", "check", str(bare), "--examples", "5")
    assert code == 0 and "hợp lệ" in out, (out, err)
    assert "quota.percent" in err and "NĐ 335/2025/NĐ-CP, Điều 20 k5 a" in err
    assert "bảng [quota] không ghi `source`" in err
    code, out, _err = run("rules", "check", str(bare), "--examples", "5", "--json")
    assert code == 0 and any("quota.percent" in w for w in json.loads(out)["warnings"])
    code, out, err = run("rules", "check", str(write(tmp_path, GOOD)), "--examples", "5")
    assert code == 0 and err == "", err
