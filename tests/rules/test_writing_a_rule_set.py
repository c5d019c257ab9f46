"""docs/rule-sets.md: the worked rule file loads and scores as the page says, in Python and the CLI.

Issue 4 "Done when": a new TOML variant, written as the docs say, scores through Python and
through the CLI without any Python of the author's. The file, the Python example and the CSV
are taken from the page itself, so the page cannot drift from what evalkit does.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import evalkit
from evalkit import Grade
from evalkit.rules import BLOCK_KINDS, QuotaPolicy, RollupPolicy, UnitPolicy
from evalkit.rules._schema import ADJUSTMENT_KINDS, FLAG_INPUTS

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "rule-sets.md"
FILE_NAME = "so-vi-du-2026.toml"


def _page() -> str:
    return PAGE.read_text(encoding="utf-8")


def _fenced(lang: str, attrs_re: str = "") -> list[str]:
    pattern = rf"^```{lang}{attrs_re}[^\n]*\n(.*?)^```\s*$"
    return re.findall(pattern, _page(), flags=re.S | re.M)


def _worked_toml() -> str:
    blocks = [b for b in _fenced("toml") if 'id = "mau.so-vi-du-2026"' in b]
    assert len(blocks) == 1, "the page must show exactly one complete worked rule file"
    return blocks[0]


@pytest.fixture
def agency_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding the page's rule file and CSV, as a reader would save them."""
    (tmp_path / FILE_NAME).write_text(_worked_toml(), encoding="utf-8")
    csv = _fenced("text", r' title="march\.csv"')
    assert len(csv) == 1
    (tmp_path / "march.csv").write_text(csv[0], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_worked_file_loads_without_problems(agency_dir: Path) -> None:
    """The page's file is valid as printed (Writing a rule set, 'A complete example')."""
    rs = evalkit.rules.load(agency_dir / FILE_NAME)
    assert rs.id == "mau.so-vi-du-2026" and rs.total == 100
    assert [b.points for b in rs.blocks] == [25, 55, 15, 5, 10]


def test_the_worked_file_uses_every_block_kind_and_adjustment(agency_dir: Path) -> None:
    """The example shows every building block a rule author can use."""
    rs = evalkit.rules.load(agency_dir / FILE_NAME)
    assert {b.kind for b in rs.blocks} == set(BLOCK_KINDS)
    assert {a.kind for a in rs.adjustments} == set(ADJUSTMENT_KINDS)


def test_the_page_python_example_runs_and_gives_82_42(agency_dir: Path) -> None:
    """The page's Python block (skipped by the generic docs test) runs next to the file."""
    blocks = [b for b in _fenced("python") if FILE_NAME in b]
    assert len(blocks) == 1
    exec(compile(blocks[0], f"{PAGE}:python", "exec"), {"__name__": "__docs__"})


def test_the_worked_numbers_of_the_page_hold_through_both_paths(agency_dir: Path) -> None:
    """The page's table: 23 + 44.92 + 13.5 + 3 − 2 = 82.42 → HTT, scalar and frame alike."""
    import pandas as pd

    rs = evalkit.rules.load(agency_dir / FILE_NAME)
    frame = pd.read_csv(agency_dir / "march.csv", dtype={"staff_id": str})
    out = evalkit.score_frame(frame, rs)
    assert out["total"].tolist() == [82.42, 100.0]
    assert out["grade"].astype(str).tolist() == ["HTT", "HTXS"]
    assert out["points_penalties"].tolist() == [-2.0, 0.0]
    row = frame.iloc[0].drop(["staff_id", "period"]).to_dict()
    a = evalkit.Assessment("SVD-007", "2026-03", competent_scores=row)
    r = evalkit.score(a, rules=rs)
    assert (r.total, r.grade) == (82.42, Grade.HTT)
    assert "82.42 → HTT" in _page()


def test_a_clerk_position_may_score_at_most_3_on_initiatives(agency_dir: Path) -> None:
    """[position_maxima.van_thu] in the example lowers sang_kien's maximum to 3."""
    rs = evalkit.rules.load(agency_dir / FILE_NAME)
    assert rs.maximum("sang_kien", "van_thu") == 3
    assert rs.maximum("sang_kien") == 5


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evalkit", *args],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.mark.slow  # rules check also runs the invariant checker of evalkit.testing
def test_evalkit_rules_check_accepts_the_worked_file(agency_dir: Path) -> None:
    """`evalkit rules check FILE` as shown on the page."""
    proc = _cli("rules", "check", FILE_NAME, "--lang", "en")  # an English page
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"{FILE_NAME}: rule set 'mau.so-vi-du-2026' is valid"


def test_evalkit_score_with_the_worked_file_grades_as_in_python(agency_dir: Path) -> None:
    """`evalkit score march.csv --rules FILE`: the author's file, no Python of theirs."""
    pytest.importorskip("evalkit.io.workbook")
    proc = _cli("score", "march.csv", "--rules", FILE_NAME, "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads(proc.stdout)
    rows = doc["results"]["data"]["rows"]
    got = {r["staff_id"]: (r["total"], r["grade"], r["rule_set"]) for r in rows}
    assert got == {"SVD-007": (82.42, "HTT", "mau.so-vi-du-2026"),
                   "SVD-008": (100.0, "HTXS", "mau.so-vi-du-2026")}  # fmt: skip
    plain = _cli("score", "march.csv", "--rules", FILE_NAME, "--lang", "en")
    shown = re.search(r"\$ evalkit score march\.csv --rules so-vi-du-2026\.toml --lang en\n(.*?)\n",
                      _page())
    assert shown is not None and plain.stdout.strip() == shown.group(1).strip()


def test_evalkit_rules_diff_reads_the_agencys_csv_with_its_file(agency_dir: Path) -> None:
    """Audit af25: `evalkit rules diff FILE VARIANT --data march.csv --rules FILE` compares
    the page's month under the file and under a variant whose HTT band starts at 85. By
    hand: SVD-007 totals 82.42 (the page's table), HTT from 70 but HT below 85, so it goes
    down; SVD-008 totals 25 + 55 + 15 + 5 = 100, HTXS under both. Without --rules the CSV
    is read against the national set in force (NĐ 335/2025) and refused, and the refusal
    named --rules and --period, which `rules diff` did not have."""
    pytest.importorskip("evalkit.io.workbook")
    text = _worked_toml().replace('id = "mau.so-vi-du-2026"', 'id = "mau.so-vi-du-ht85"')
    text = text.replace('grade = "HTT"\nmin = 70', 'grade = "HTT"\nmin = 85')
    (agency_dir / "ht85.toml").write_text(text.replace(
        'grade = "HT"\nmin = 50\nmax = 70', 'grade = "HT"\nmin = 50\nmax = 85'), encoding="utf-8")
    from evalkit.cli import main

    out = io.StringIO()
    code = main(["rules", "diff", FILE_NAME, "ht85.toml", "--data", "march.csv",
                 "--rules", FILE_NAME, "--json"], stdout=out)  # fmt: skip
    assert code == 0, out.getvalue()
    doc = json.loads(out.getvalue())
    assert [(c["staff_id"], c["old_total"], c["old_grade"], c["new_grade"])
            for c in doc["changes"]] == [("SVD-007", 82.42, "HTT", "HT")]  # fmt: skip
    assert doc["population"] == 2 and (doc["up"], doc["down"]) == (0, 1)


# --------------------------------------------------------------------------- the reference


@pytest.mark.parametrize(
    "name",
    [f.name for cls in (QuotaPolicy, UnitPolicy, RollupPolicy) for f in attrs.fields(cls)
     if f.name != "source"],
)  # fmt: skip
def test_every_policy_key_is_documented(name: str) -> None:
    """Every key of [quota], [units] and [rollup] appears in the format reference."""
    assert f"`{name}`" in _page()


@pytest.mark.parametrize(
    "name",
    [*BLOCK_KINDS, *(p for ps in BLOCK_KINDS.values() for p in ps), *ADJUSTMENT_KINDS,
     *(p for ps in ADJUSTMENT_KINDS.values() for p in ps), *FLAG_INPUTS],
)  # fmt: skip
def test_every_block_adjustment_and_flag_is_documented(name: str) -> None:
    """Every block kind, adjustment kind, their parameters and every flag are in the reference."""
    assert f"`{name}`" in _page()


def test_every_preset_has_a_page_linked_from_the_reference() -> None:
    """docs/presets/<id>.md exists for every shipped preset and rule-sets.md links it."""
    for rs in evalkit.rules.available():
        assert (ROOT / "docs" / "presets" / f"{rs.id}.md").exists()
        assert f"(presets/{rs.id}.md)" in _page()
