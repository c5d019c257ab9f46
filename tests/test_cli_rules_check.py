"""`evalkit rules check` catches broken rule-set variants with a shrunk counter-example."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from evalkit.cli import main

PRESET = Path(__file__).resolve().parent.parent / "evalkit/rules/presets/vn.nd335-2025.toml"


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = PRESET.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.toml"
    path.write_text(text.replace(old, new).replace('"vn.nd335-2025"', '"my.variant"', 1),
                    encoding="utf-8")  # fmt: skip
    return path


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    buf = io.StringIO()
    code = main(args, stdout=buf)
    return code, buf.getvalue() + capsys.readouterr().err


def test_a_gap_between_69_5_and_70_is_caught_with_its_counter_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 8: bands with a gap at 69.5–70 fail the check, showing the total 69.5."""
    path = _variant(
        tmp_path, 'grade = "HT"\nmin = 50\nmax = 70', 'grade = "HT"\nmin = 50\nmax = 69.5'
    )
    code, out = _run(["--lang", "en", "rules", "check", str(path), "--examples", "20"], capsys)
    assert code == 3
    assert "gap between 69.5 and 70" in out
    assert "counter-example" in out
    assert "69.5" in out.split("counter-example", 1)[1]
    code, out = _run(["rules", "check", str(path), "--examples", "20"], capsys)  # Vietnamese
    assert code == 3
    assert "các khoảng điểm để hở từ 69.5 đến 70" in out
    assert "69.5" in out.split("ví dụ vi phạm", 1)[1]


def test_a_quota_of_120_percent_is_caught(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 8: a quota above 100 % is reported, not silently accepted."""
    path = _variant(tmp_path, "percent = 20\n", "percent = 120\n")
    code, out = _run(["rules", "check", str(path), "--examples", "20"], capsys)
    assert code == 3
    assert "120" in out
    assert "quota" in out


def test_the_counter_example_tables_speak_the_runs_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A quota of 120 %: the Vietnamese run's table heads are Vietnamese and the table stays
    aligned (each column as wide as its widest cell); the English run keeps its heads."""
    path = _variant(tmp_path, "percent = 20\n", "percent = 120\n")
    _, out = _run(["rules", "check", str(path), "--examples", "20"], capsys)
    lines = out.split("ví dụ vi phạm:\n", 1)[1].splitlines()[:3]
    assert lines[0].strip().split("  ")[0] == "số người xếp HTT"
    assert "số HTXS được phép" in lines[0] and "cách làm tròn" in lines[0]
    assert "people rated" not in out and "allowed" not in out
    rule = lines[1].strip().split("  ")
    heads = [h for h in lines[0].strip().split("  ") if h]
    assert [len(r) for r in rule] == [len(h) for h in heads]  # one rule a head, as wide
    assert lines[2].split()[:2] == ["5", "120"]
    _, out = _run(["--lang", "en", "rules", "check", str(path), "--examples", "20"], capsys)
    assert "people rated HTT" in out and "HTXS allowed" in out


def test_a_valid_preset_passes(capsys: pytest.CaptureFixture[str]) -> None:
    """The shipped NĐ 335 preset holds every invariant (said in Vietnamese by default)."""
    code, out = _run(["rules", "check", str(PRESET), "--examples", "20"], capsys)
    assert code == 0, out
    assert out == f"{PRESET}: bộ quy định 'vn.nd335-2025' hợp lệ\n"
    code, out = _run(["rules", "check", str(PRESET), "--examples", "20", "--lang", "en"], capsys)
    assert code == 0, out
    assert out == f"{PRESET}: rule set 'vn.nd335-2025' is valid\n"


def _quota_lines(out: str) -> list[str]:
    """The problems (``  - ...``) that are about the quota."""
    return [ln for ln in out.splitlines() if ln.startswith("  - ") and "quota" in ln]


def test_a_quota_of_120_percent_is_said_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The failed quota invariant and its counter-example say it; the loader's line for
    the same percentage is not repeated (audit af21). Another percentage out of range
    that the counter-example does not show keeps its own line."""
    path = _variant(tmp_path, "percent = 20\n", "percent = 120\n")
    code, out = _run(["--lang", "en", "rules", "check", str(path), "--examples", "20"], capsys)
    assert code == 3
    assert _quota_lines(out) == ["  - FAIL  quota: the quota percentages are within 0-100 %, "
                                 "so no group may be given more places than people"]
    assert "quota percent 120% exceeds 100%" in out
    assert "must be within 0 to 100" not in out
    path = _variant(tmp_path, "raised_percent = 25\n", "raised_percent = 130\n")
    text = path.read_text(encoding="utf-8").replace("percent = 20\n", "percent = 120\n")
    path.write_text(text, encoding="utf-8")
    code, out = _run(["--lang", "en", "rules", "check", str(path), "--examples", "20"], capsys)
    assert code == 3
    assert len(_quota_lines(out)) == 2
    shown = "percent_if_unit_excellent 130%" if "130%" in out else "percent 120%"
    other = ("quota.percent: quota percent must be within 0 to 100, not 120" if "130%" in out
             else "quota.raised_percent: quota percent must be within 0 to 100, not 130")
    assert f"quota {shown} exceeds 100%" in out
    assert f"  - {other}\n" in out


def test_every_problem_of_a_file_that_does_not_read_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Audit af25: a file with a band gap, a 120 % quota and a misspelt rounding has three
    problems; the loader says three, so do `rules check` and check_rule_set (they said the
    rounding only: the leniently read bands and quota were lost)."""
    from evalkit.errors import RuleSetError
    from evalkit.rules import read_rule_file
    from evalkit.testing import check_rule_set

    path = _variant(
        tmp_path, 'grade = "HT"\nmin = 50\nmax = 70', 'grade = "HT"\nmin = 50\nmax = 69.5'
    )
    text = path.read_text(encoding="utf-8").replace("percent = 20\n", "percent = 120\n")
    text = text.replace('jurisdiction = "vn"', 'jurisdiction = "vn.mau"')  # no date clash
    path.write_text(text.replace('rounding = "floor"', 'rounding = "flor"'), encoding="utf-8")
    keys = ["bands", "quota.percent", "quota.rounding"]
    with pytest.raises(RuleSetError) as loader:
        read_rule_file(path)
    assert sorted(k for k, _ in loader.value.problems) == keys  # type: ignore[attr-defined]
    with pytest.raises(RuleSetError) as checked:
        check_rule_set(path, max_examples=5)
    assert sorted(k for k, _ in checked.value.problems) == keys  # type: ignore[attr-defined]
    code, out = _run(["--lang", "en", "rules", "check", str(path), "--examples", "5"], capsys)
    assert code == 3 and "3 problem(s)" in out
    assert "gap between 69.5 and 70" in out and "not 120" in out and "'flor'" in out


def test_a_misspelt_extends_does_not_hide_the_files_other_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``extends = "vn.nd335-2026"`` (no such set) with a misspelt key and a 120 % quota:
    one run says all three — the other two read against the set the file most likely
    means (vn.nd335-2025) — instead of the base alone, then the rest on the next run."""
    from evalkit.errors import RuleSetError
    from evalkit.rules import read_rule_file

    path = tmp_path / "so.toml"
    path.write_text('extends = "vn.nd335-2026"\nid = "so.x-2026"\njurisdiction = "vn.so"\n'
                    'titel_vi = "Sở X"\n[quota]\npercent = 120\n', encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        read_rule_file(path)
    keys = [k for k, _ in info.value.problems]  # type: ignore[attr-defined]
    assert keys == ["extends", "titel_vi", "quota.percent"]
    assert "vn.nd335-2025" in info.value.problems[0][1]  # type: ignore[attr-defined]
    code, out = _run(["--lang", "en", "rules", "check", str(path)], capsys)
    assert code != 0 and "titel_vi" in out and "120" in out and "vn.nd335-2026" in out
    path.write_text('extends = "vn.nd335-2026"\nid = "so.x-2026"\njurisdiction = "vn.so"\n',
                    encoding="utf-8")  # alone, the base's problem is the one said
    with pytest.raises(RuleSetError, match=r"vn\.nd335-2026") as info:
        read_rule_file(path)
    assert info.value.key == "extends"
