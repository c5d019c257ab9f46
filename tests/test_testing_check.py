"""The invariant suite :func:`evalkit.testing.check_rule_set` (issue 8 item 2).

Every preset passes it; a rule file that breaks an invariant -- bands with a gap at
69.5-70 or at 69.99-70, a quota of 120 %, a block that counts against the total -- fails
it with a small, shrunk counter-example printed as a table.
"""

from __future__ import annotations

import io
from pathlib import Path

import attrs
import pytest
from rich.console import Console

import evalkit
from evalkit.testing import INVARIANTS, CheckReport, check_rule_set

ROOT = Path(__file__).resolve().parents[1]
NDC335 = (ROOT / "evalkit" / "rules" / "presets" / "vn.nd335-2025.toml").read_text("utf-8")
PRESETS = [rs.id for rs in evalkit.rules.available()]
QUICK = 8  # examples per invariant: the suite's own properties run it more


def variant(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """A copy of the NĐ 335 preset under another id, with text replacements."""
    text = NDC335.replace('id = "vn.nd335-2025"', 'id = "test.variant"')
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "variant.toml"
    path.write_text(text, encoding="utf-8")
    return path


HT_BAND = 'grade = "HT"\nmin = 50\nmax = 70'
HTT_BAND = 'grade = "HTT"\nmin = 70\nmax = 90'


def failed(report: CheckReport, name: str) -> str:
    """The text of the named invariant's failure (asserting that it failed)."""
    result = next(r for r in report.results if r.name == name)
    assert result.status == "failed", report.format()
    return result.format()


@pytest.mark.parametrize("rule_set_id", PRESETS)
def test_every_preset_passes_the_invariant_suite(rule_set_id: str) -> None:
    """Every shipped rule set keeps every invariant of issue 8 item 2."""
    report = check_rule_set(rule_set_id, max_examples=QUICK)
    assert report.ok, report.format()
    assert {r.name for r in report.results} == set(INVARIANTS)


def test_a_gap_between_69_5_and_70_is_caught_with_the_total_69_5(tmp_path: Path) -> None:
    """Bands must cover [0, 100] (NĐ 335 Điều 20): HT ending at 69.5 leaves 69.5 unbanded."""
    path = variant(tmp_path, (HT_BAND, 'grade = "HT"\nmin = 50\nmax = 69.5'))
    report = check_rule_set(path, max_examples=QUICK, invariants=["bands"])
    text = failed(report, "bands")
    assert "total 69.5 falls in no band" in text
    assert "HT     Hoàn thành nhiệm vụ           [50, 69.5)  no" in text
    assert any("gap between 69.5 and 70" in p for p in report.static_problems)


def test_a_gap_is_one_problem_not_one_per_scoring_invariant(tmp_path: Path) -> None:
    """A total in the gap has no grade, so every invariant that scores examples would fail
    on it again (the roll-up raising "no band contains 69.7"): those are skipped, naming the
    bands problem; the invariants that do not score (grade order, quota) still run."""
    path = variant(tmp_path, (HT_BAND, 'grade = "HT"\nmin = 50\nmax = 69.5'))
    report = check_rule_set(path, max_examples=QUICK)
    status = {r.name: r.status for r in report.results}
    assert [r.name for r in report.failures] == ["bands"], report.format()
    assert status["grade_monotone"] == status["quota"] == "passed"
    scoring = set(INVARIANTS) - {"bands", "grade_monotone", "quota"}
    assert {status[n] for n in scoring} == {"skipped"}
    assert all("bands problem" in r.message for r in report.results if r.name in scoring)
    intact = check_rule_set(variant(tmp_path), max_examples=QUICK)  # nothing skipped for it
    assert "bands problem" not in intact.format()


def test_a_gap_between_69_99_and_70_is_caught(tmp_path: Path) -> None:
    """A one-cent gap is found too: the probes step 0.01 and 0.005 around every edge."""
    path = variant(tmp_path, (HT_BAND, 'grade = "HT"\nmin = 50\nmax = 69.99'))
    text = failed(check_rule_set(path, max_examples=QUICK, invariants=["bands"]), "bands")
    assert "total 69.99 falls in no band" in text


def test_overlapping_bands_are_caught(tmp_path: Path) -> None:
    """A total must fall in exactly one band: HTT from 69 overlaps HT up to 70."""
    path = variant(tmp_path, (HTT_BAND, 'grade = "HTT"\nmin = 69\nmax = 90'))
    text = failed(check_rule_set(path, max_examples=QUICK, invariants=["bands"]), "bands")
    assert "total 69 falls in 2 bands (HT, HTT)" in text


def test_a_quota_of_120_percent_is_caught_with_five_people(tmp_path: Path) -> None:
    """A quota above 100 % (NĐ 335 Điều 20 k5: 20 %) would allow 6 HTXS among 5 HTT."""
    path = variant(tmp_path, ("percent = 20\n", "percent = 120\n"))
    report = check_rule_set(path, max_examples=QUICK, invariants=["quota"])
    text = failed(report, "quota")
    assert "5 people rated HTT would allow 6 HTXS" in text
    assert "5                 120      floor     6" in text


def test_grades_out_of_order_are_caught_by_grade_monotonicity() -> None:
    """A higher total never gets a lower grade: swapping HT and HTT breaks it."""
    rs = evalkit.rules.get("vn.nd335-2025")
    swapped = {evalkit.Grade.HT: evalkit.Grade.HTT, evalkit.Grade.HTT: evalkit.Grade.HT}
    bands = tuple(attrs.evolve(b, grade=swapped.get(b.grade, b.grade)) for b in rs.bands)
    report = check_rule_set(attrs.evolve(rs, bands=bands), max_examples=QUICK,
                            invariants=["grade_monotone"])  # fmt: skip
    assert "gets a lower grade (HT) than" in failed(report, "grade_monotone")


def test_a_block_counting_against_the_total_breaks_monotonicity() -> None:
    """Raising a general criterion must not lower the total; a weight of -1 makes it do so."""
    rs = evalkit.rules.get("vn.nd335-2025")
    blocks = tuple(attrs.evolve(b, weight=-1.0) if b.id == "general" else b for b in rs.blocks)
    report = check_rule_set(attrs.evolve(rs, blocks=blocks), max_examples=50,
                            invariants=["monotonicity"])  # fmt: skip
    text = failed(report, "monotonicity")
    assert "lowers the total" in text
    assert "before" in text and "after" in text


def test_a_scalar_path_that_drifts_from_the_frame_path_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """score() and score_frame() must agree to the cent (issue 4 item 4)."""
    real = evalkit.scoring.score

    def drifting(*args: object, **kwargs: object) -> evalkit.EvaluationResult:
        r = real(*args, **kwargs)  # type: ignore[arg-type]
        return attrs.evolve(r, total=r.total + 0.01) if r.total is not None else r

    monkeypatch.setattr(evalkit.scoring, "score", drifting)
    report = check_rule_set("vn.nd335-2025", max_examples=QUICK,
                            invariants=["scalar_equals_vectorised"])  # fmt: skip
    text = failed(report, "scalar_equals_vectorised")
    assert "score() and score_frame() differ" in text
    assert "scalar total" in text


def test_a_failed_report_fails_a_pytest_test_with_the_table(tmp_path: Path) -> None:
    """assert_ok() raises AssertionError whose message holds the counter-example table."""
    path = variant(tmp_path, ("percent = 20\n", "percent = 120\n"))
    report = check_rule_set(path, max_examples=QUICK, invariants=["quota"])
    assert not report
    with pytest.raises(AssertionError, match="5 people rated HTT would allow 6 HTXS"):
        report.assert_ok()
    # said once, by the failed invariant with its counter-example; not also as the
    # loader's quota.percent line (audit af21)
    assert [r.name for r in report.failures] == ["quota"]
    assert not any(p.startswith("quota.") for p in report.problems)


def test_a_report_renders_with_rich() -> None:
    """rich.print(report) shows each invariant's status and any counter-example table."""
    rs = evalkit.rules.get("vn.nd335-2025")
    report = check_rule_set(rs, max_examples=QUICK, invariants=["bands", "quota"])
    console = Console(file=io.StringIO(), width=120, record=True)
    console.print(report)
    text = console.export_text()
    assert "PASSED  bands" in text
    assert "PASSED  quota" in text


def test_a_file_with_another_problem_still_raises_a_rule_set_error(tmp_path: Path) -> None:
    """Only bands and quota percentages are read leniently; a typo stays a load error."""
    path = variant(tmp_path, ('block = "percent_average"', 'block = "percent_avrage"'))
    with pytest.raises(evalkit.RuleSetError, match="did you mean 'percent_average'"):
        check_rule_set(path, max_examples=QUICK)


def test_the_command_line_rejects_a_quota_of_120_percent(tmp_path: Path) -> None:
    """``evalkit rules check FILE.toml`` exits 3 and names the 120 % quota."""
    from evalkit.cli import main

    path = variant(tmp_path, ("percent = 20\n", "percent = 120\n"))
    out = io.StringIO()
    code = main(["rules", "check", str(path), "--json"], stdout=out)
    assert code == 3
    assert "120" in out.getvalue()
