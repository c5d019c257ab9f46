"""The evalkit command line: exit codes, --json, --help, and each command's happy path."""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from evalkit.cli import (
    EXIT_INVALID_INPUT,
    EXIT_OK,
    EXIT_RULE_SET,
    EXIT_USAGE,
    cli,
    main,
)
from tests._io_helpers import filled_workbook, person


def run(*args: str) -> tuple[int, str]:
    """Run the CLI in-process; return the exit code and stdout."""
    buf = io.StringIO()
    code = main(list(args), stdout=buf)
    return code, buf.getvalue()


def test_rules_list_json_names_every_preset() -> None:
    """`rules list --json` is machine-readable and includes NĐ 335 with its dates."""
    code, out = run("rules", "list", "--json")
    sets = {r["id"]: r for r in json.loads(out)}
    assert code == EXIT_OK
    assert sets["vn.nd335-2025"]["effective_from"] == "2026-01-01"


def test_rules_show_gives_criteria_maxima_and_bands() -> None:
    """`rules show` prints the criteria with maxima and the bands with sources."""
    code, out = run("rules", "show", "vn.nd335-2025", "--json")
    detail = json.loads(out)
    assert code == EXIT_OK
    general = next(g for g in detail["groups"] if g["id"] == "general")
    assert [c["max"] for c in general["criteria"]] == [6.0] * 5
    assert {b["grade"]: b["min"] for b in detail["bands"]}["HTXS"] == 90.0
    code, out = run("rules", "show", "vn.nd335-2025")
    assert "[chinh_tri]" in out


def test_an_unknown_rule_set_exits_3() -> None:
    """Exit code 3: rule-set error."""
    assert run("rules", "show", "vn.nope")[0] == EXIT_RULE_SET


def test_a_usage_error_exits_2() -> None:
    """Exit code 2: unknown command or missing option."""
    assert run("no-such-command")[0] == EXIT_USAGE
    assert run("template", "x.xlsx")[0] == EXIT_USAGE


def test_rules_check_reports_a_broken_file_and_exits_3(tmp_path: Path) -> None:
    """A rule file with a bad band is reported with its key path."""
    src = Path("evalkit/rules/presets/vn.nd335-2025.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(src.replace('id = "vn.nd335-2025"', 'id = "test.bad"')
                   .replace("min = 70\nmax = 90", "min = 75\nmax = 90"), encoding="utf-8")
    code, out = run("rules", "check", str(bad), "--json", "--examples", "5")
    report = json.loads(out)
    assert code == EXIT_RULE_SET and not report["ok"]
    assert any("gap" in p for p in report["problems"])


def test_rules_check_passes_a_preset() -> None:
    """The shipped NĐ 335 file is valid."""
    code, out = run("rules", "check", "evalkit/rules/presets/vn.nd335-2025.toml", "--json",
                    "--examples", "5")
    assert code == EXIT_OK and json.loads(out)["ok"]


def test_validate_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    """Exit code 1 with every problem in the JSON report (sheet, row, column, value)."""
    path = filled_workbook(tmp_path / "f.xlsx", [person("A", tac_phong=7), person("A")])
    code, out = run("validate", str(path), "--json")
    report = json.loads(out)
    assert code == EXIT_INVALID_INPUT and not report["ok"]
    cells = {(p["row"], p["column"]) for p in report["problems"]}
    assert {(2, "tac_phong"), (2, "staff_id"), (3, "staff_id")} <= cells


def test_validate_ok_exits_0(tmp_path: Path) -> None:
    """A clean workbook validates."""
    code, out = run("validate", str(filled_workbook(tmp_path / "f.xlsx", [person("A")])))
    assert code == EXIT_OK and "no problems" in out


def test_score_prints_grade_counts_as_json(tmp_path: Path) -> None:
    """`score --json` gives the grade counts and the results document."""
    path = filled_workbook(tmp_path / "f.xlsx", [person("A"), person("B", discipline=1)])
    code, out = run("score", str(path), "--json")
    payload = json.loads(out)
    assert code == EXIT_OK
    assert payload["grades"]["HTXS"] == 1 and payload["grades"]["KHT"] == 1
    assert payload["results"]["schema"] == "evalkit/1"


@pytest.mark.slow
def test_demo_runs_when_the_demo_is_installed(tmp_path: Path) -> None:
    """`evalkit demo --out DIR` writes the demo's files."""
    demo = pytest.importorskip("evalkit.demo")
    if not hasattr(demo, "run_demo"):
        pytest.skip("evalkit.demo.run_demo not written yet")
    pytest.importorskip("weasyprint")
    code, out = run("demo", "--out", str(tmp_path / "demo"), "--json")
    assert code == EXIT_OK and json.loads(out)["files"]


def test_every_command_has_help_with_an_example() -> None:
    """Each command's --help shows an example line."""
    import click

    def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
        out = []
        for name, cmd in group.commands.items():
            if isinstance(cmd, click.Group):
                out += commands(cmd, (*prefix, name))
            else:
                out.append((*prefix, name))
        return out

    found = commands(cli)
    assert {("demo",), ("template",), ("validate",), ("score",), ("classify",), ("render",),
            ("finalize",), ("annual",), ("rules", "list"), ("rules", "show"),
            ("rules", "check")} <= set(found)
    for path in found:
        code, out = run(*path, "--help")
        assert code == EXIT_OK and "Example" in out, path


def test_help_is_fast_and_imports_nothing_heavy() -> None:
    """`evalkit --help` in a fresh process: under 0.3 s CPU, no pandas, openpyxl, WeasyPrint.

    CPU time, not wall time, so that other work on a shared machine does not fail it.
    """
    code = ("import sys, time; t = time.process_time(); from evalkit.cli import main; "
            "rc = main(['--help'], stdout=open('/dev/null', 'w')); "
            "print(time.process_time() - t, 'pandas' in sys.modules, "
            "'weasyprint' in sys.modules, 'openpyxl' in sys.modules)")
    best = min(
        float((r := subprocess.run([sys.executable, "-c", code], capture_output=True,
                                   text=True, check=True)).stdout.split()[0])
        for _ in range(3)
    )
    flags = r.stdout.split()[1:]
    assert flags == ["False", "False", "False"]
    assert best < 0.3


def test_python_dash_m_evalkit_runs_the_same_cli() -> None:
    """`python -m evalkit` is the console script."""
    r = subprocess.run([sys.executable, "-m", "evalkit", "rules", "list", "--json"],
                       check=False, capture_output=True, text=True)
    assert r.returncode == 0 and "vn.nd335-2025" in r.stdout


def test_internal_errors_exit_4_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exit code 4 for a bug, with a one-line message."""
    import evalkit.rules

    def boom() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(evalkit.rules, "available", boom)
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    assert run("rules", "list")[0] == 4
    assert "Internal error: RuntimeError: boom" in err.getvalue()
    assert "Traceback" not in err.getvalue()


def test_console_script_is_declared() -> None:
    """pyproject declares `evalkit = "evalkit.cli:main"`."""
    assert importlib.util.find_spec("evalkit.cli") is not None
    assert 'evalkit = "evalkit.cli:main"' in Path("pyproject.toml").read_text()
