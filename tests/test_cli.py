"""The evalkit command line: exit codes, --json, --help, Vietnamese first (--lang en), and
each command's happy path."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pandas as pd
import pytest

from evalkit.cli import (
    EXIT_INTERNAL,
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


def run_err(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(args), stdout=out)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVALKIT_LANG", raising=False)


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [prefix] if prefix else []
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            out += all_commands(cmd, (*prefix, name))
        else:
            out.append((*prefix, name))
    return out


# =========================================================================== rules


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
    assert [c["max"] for c in general["criteria"]] == [5.0, 5.0] + [2.5] * 8
    assert {b["grade"]: b["min"] for b in detail["bands"]}["HTXS"] == 90.0
    code, out = run("rules", "show", "vn.nd335-2025")
    assert "[pham_chat_dao_duc]" in out and "tiêu chí" in out
    code, out = run("rules", "show", "vn.nd335-2025", "--lang", "en")
    assert "criterion" in out and "Political and ethical" in out


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


# =========================================================================== exit codes


def test_an_unknown_rule_set_exits_3_in_vietnamese() -> None:
    """Exit code 3: rule-set error; the sentence in Vietnamese, in English on request."""
    code, _, err = run_err("rules", "show", "vn.nope")
    assert code == EXIT_RULE_SET and err.startswith("Lỗi: không có bộ quy định 'vn.nope'")
    code, _, err = run_err("rules", "show", "vn.nope", "--lang", "en")
    assert code == EXIT_RULE_SET and err.startswith("Error: unknown rule set 'vn.nope'")


@pytest.mark.parametrize(
    ("args", "vi", "en"),
    [
        (["no-such-command"], "không có lệnh 'no-such-command'", "No such command"),
        (["template", "x.xlsx"], "thiếu tùy chọn bắt buộc '--period'", "Missing option '--period'"),
        (["template", "--period", "2026-03", "x.xlsx"], "cần --rules, hoặc --org",
         "give --rules, or --org"),
        (["template", "--rules", "vn.nd335-2025", "--period", "2026-13", "x.xlsx"],
         "'2026-13' không phải là một tháng như 2026-03", "'2026-13' is not a month"),
        (["validate", "x.xlsx"], "tệp 'x.xlsx' không tồn tại", "'x.xlsx' does not exist"),
        (["validate", "x.xlsx", "--period", "2026-13"], "'2026-13' không phải là một tháng",
         "'2026-13' is not a month"),
        (["render", "--period", "2026-13", "--out", "d"], "không phải là một kỳ như",
         "is not a period such as 2026-03"),
        (["rules", "list", "--bogus"], "không có tùy chọn '--bogus'", "No such option"),
        (["--lang", "fr", "rules", "list"], "'fr' không phải một trong vi, en",
         "'fr' is not one of vi, en"),
    ],
)
def test_a_usage_error_exits_2_and_says_what_in_the_language(
    args: list[str], vi: str, en: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exit code 2 for bad arguments (issue 15: `--period 2026-13` exited 1), said in
    Vietnamese, in English with --lang en."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run_err(*args)
    assert (code, out) == (EXIT_USAGE, "")
    assert vi in err and "Lỗi cách gọi lệnh" in err
    if "--lang" not in args:
        code, _, err = run_err("--lang", "en", *args)
        assert code == EXIT_USAGE and en in err and "Usage error" in err


def test_errors_name_command_line_options_not_python_calls(tmp_path: Path) -> None:
    """Issue 15: an error said 'pass force=True'; the command line says --force."""
    for lang in ("vi", "en"):
        code, _, err = run_err("template", "--rules", "vn.nd335-2025", "--period", "2025-12",
                               str(tmp_path / "t.xlsx"), "--lang", lang)
        assert code == EXIT_RULE_SET and "--force" in err and "force=True" not in err, lang
    assert run("template", "--rules", "vn.nd335-2025", "--period", "2025-12", "--force",
               str(tmp_path / "t.xlsx"))[0] == EXIT_OK


def test_internal_errors_exit_4_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exit code 4 for a bug, with a one-line message in the language."""
    import evalkit.rules

    def boom() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(evalkit.rules, "available", boom)
    code, _, err = run_err("rules", "list")
    assert code == EXIT_INTERNAL and "Lỗi nội bộ: RuntimeError: boom" in err
    assert "Traceback" not in err and "EVALKIT_DEBUG=1" in err
    code, _, err = run_err("rules", "list", "--lang", "en")
    assert code == EXIT_INTERNAL and "Internal error: RuntimeError: boom" in err


# =========================================================================== language


def test_lang_is_taken_anywhere_and_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--lang before or after the command, or EVALKIT_LANG, switches every message."""
    path = filled_workbook(tmp_path / "f.xlsx", [person("A")])
    assert run("validate", str(path))[1].endswith("không có lỗi\n")
    assert run("--lang", "en", "validate", str(path))[1].endswith("no problems\n")
    assert run("validate", str(path), "--lang=en")[1].endswith("no problems\n")
    monkeypatch.setenv("EVALKIT_LANG", "en")
    assert run("validate", str(path))[1].endswith("no problems\n")
    assert run("validate", str(path), "--lang", "vi")[1].endswith("không có lỗi\n")


def test_help_is_vietnamese_by_default_and_english_on_request() -> None:
    """Every command's --help, in both languages, with an example, and nothing left over
    in the other language afterwards."""
    for path in all_commands(cli):
        code, out = run(*path, "--help")
        assert code == EXIT_OK and "Ví dụ" in out and "Cách dùng:" in out, path
        assert "Show this message" not in out, path
        code, out = run(*path, "--help", "--lang", "en")
        assert code == EXIT_OK and "Example" in out and "Usage:" in out, path
    from click.testing import CliRunner

    assert "Show this message and exit." in CliRunner().invoke(cli, ["validate", "--help"]).output


def test_every_option_has_vietnamese_help() -> None:
    """Audit 10 item 3: no English option help inside the Vietnamese --help (`annual
    --conclusions` and `rules diff --level` were)."""
    import click

    from evalkit.cli import _OPTION_HELP_BY_COMMAND_VI, _OPTION_HELP_VI, _walk

    missing = []
    for path, cmd in _walk(cli):
        for p in cmd.params:
            if not isinstance(p, click.Option) or p.hidden or not p.help:
                continue
            name = max(p.opts, key=len)
            name = "--" + name[5:] if name.startswith("--no-") else name
            if (path, name) not in _OPTION_HELP_BY_COMMAND_VI and name not in _OPTION_HELP_VI:
                missing.append((path, name))
    assert missing == []
    for path, option in (("annual", "--conclusions"), ("rules diff", "--level")):
        out = run(*path.split(), "--help")[1]
        assert _OPTION_HELP_BY_COMMAND_VI[(path, option)].split()[0] in out
        assert "competent level's" not in out and "Compare each period" not in out


def test_help_never_points_to_the_repository() -> None:
    """A pip user has no docs/ folder or tests/: --help names pages, not paths."""
    paths = re.compile(r"(docs|tests)/|evalkit/(?!1\b)|\.md\b|\.py\b")
    for path in [(), *all_commands(cli)]:
        for lang in ("vi", "en"):
            out = run(*path, "--help", "--lang", lang)[1]
            assert not paths.search(out), (path, lang, paths.search(out))


# =========================================================================== template


def test_template_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    """Issue 15: re-running template on the filled file silently replaced it."""
    path = filled_workbook(tmp_path / "thang-03.xlsx", [person("A")])
    before = path.read_bytes()
    args = ["template", "--rules", "vn.nd335-2025", "--period", "2026-03", str(path)]
    code, _, err = run_err(*args)
    assert code == EXIT_INVALID_INPUT and "không ghi đè" in err and "--force" in err
    assert path.read_bytes() == before
    assert run(*args, "--force")[0] == EXIT_OK and path.read_bytes() != before


def test_template_writes_the_format_its_name_says(tmp_path: Path) -> None:
    """.csv is the staff sheet as CSV; another suffix is a usage error."""
    code, _ = run("template", "--rules", "vn.nd335-2025", "--period", "2026-03",
                    str(tmp_path / "t.csv"), "--json")
    assert code == EXIT_OK and (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    code, _, err = run_err("template", "--rules", "vn.nd335-2025", "--period", "2026-03",
                           str(tmp_path / "t.ods"))
    assert code == EXIT_USAGE and ".xlsx" in err and not (tmp_path / "t.ods").exists()


# =========================================================================== validate / score


def test_validate_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    """Exit code 1 with every problem in the JSON report (sheet, row, column, value), the
    sentence in Vietnamese with a stable code, sorted by row."""
    path = filled_workbook(tmp_path / "f.xlsx", [person("A", pham_chat_dao_duc=7), person("A")])
    code, out = run("validate", str(path), "--json")
    report = json.loads(out)
    assert code == EXIT_INVALID_INPUT and not report["ok"]
    got = [(p["row"], p["column"], p["code"]) for p in report["problems"]]
    assert got == [(2, "staff_id", "problem.duplicate_id"),
                   (2, "competent__pham_chat_dao_duc", "problem.cell"),
                   (3, "staff_id", "problem.duplicate_id")]  # fmt: skip
    assert report["problems"][0]["message"] == "trùng mã nhân sự (cũng có ở dòng 3)"
    code, out = run("validate", str(path), "--json", "--lang", "en")
    assert json.loads(out)["problems"][0]["message"] == "duplicate staff id (also at row 3)"


def test_validate_names_what_classification_would_refuse(tmp_path: Path) -> None:
    """A conclusion below the score without its reason (Hà Nội classifies the month) is
    found by validate, on its cell, before classify refuses it."""
    from evalkit import rules

    top = rules.get("hanoi.3814-2018").full_marks()
    path = filled_workbook(tmp_path / "f.xlsx", [person("A", **top, competent_grade="HT")],
                           rules="hanoi.3814-2018")  # fmt: skip
    code, out = run("validate", str(path), "--json")
    problems = json.loads(out)["problems"]
    assert code == EXIT_INVALID_INPUT
    assert [(p["sheet"], p["row"], p["column"], p["staff_id"]) for p in problems] == [
        ("Nhân sự - Điểm", 2, "competent_reason", "A")]
    assert "không ghi lý do" in problems[0]["message"]


def test_the_one_line_count_speaks_the_rule_set_s_grades(tmp_path: Path) -> None:
    """A Hà Nội month is counted in its own grades ("Loại A 1"), as its sheets and summaries
    say them; a set whose grade names are long (NĐ 335) keeps its codes; --json keeps the
    codes for scripts."""
    from evalkit import rules

    top = rules.get("hanoi.3814-2018").full_marks()
    path = filled_workbook(tmp_path / "h.xlsx", [person("A", **top), person("B", **top)],
                           rules="hanoi.3814-2018")  # fmt: skip
    code, out = run("score", str(path))
    assert code == EXIT_OK and "Loại A 2, Loại B 0, Loại C 0, Loại D 0" in out, out
    code, out = run("score", str(path), "--lang", "en")
    assert "Grade A 2, Grade B 0" in out, out
    assert json.loads(run("score", str(path), "--json")[1])["grades"]["HTXS"] == 2
    code, out = run("score", str(filled_workbook(tmp_path / "n.xlsx", [person("A")])))
    assert code == EXIT_OK and "HTXS 1, HTT 0, HT 0, KHT 0" in out, out


def test_validate_ok_exits_0(tmp_path: Path) -> None:
    """A clean workbook validates."""
    code, out = run("validate", str(filled_workbook(tmp_path / "f.xlsx", [person("A")])))
    assert code == EXIT_OK and "không có lỗi" in out


def test_score_prints_grade_counts_as_json_marked_unclassified(tmp_path: Path) -> None:
    """`score --json` gives the grade counts and the results document, each row marked
    not classified by unit."""
    path = filled_workbook(tmp_path / "f.xlsx", [person("A"), person("B", discipline=1)])
    code, out = run("score", str(path), "--json")
    payload = json.loads(out)
    assert code == EXIT_OK
    assert payload["grades"]["HTXS"] == 1 and payload["grades"]["KHT"] == 1
    data = payload["results"]["data"]
    assert payload["results"]["schema"] == "evalkit/1"
    assert [r["classified_by_unit"] for r in data["rows"]] == [False, False]
    code, out = run("score", str(path))
    assert "chưa xếp loại theo đơn vị" in out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_out_tables_say_the_reasons_in_words_beside_the_codes(tmp_path: Path, lang: str) -> None:
    """`--out` CSV and Excel: ``reasons`` (codes) then ``reasons_<lang>``, the sentences the
    sheets print (with their citations), separated by " | "; the JSON document keeps codes."""
    from openpyxl import load_workbook

    from evalkit.io.results import read_results
    from evalkit.reasons import explain

    path = filled_workbook(tmp_path / "f.xlsx", [person("A"), person("B", discipline=1)])
    for out in ("r.csv", "r.xlsx", "r.json"):
        assert run("score", str(path), "--out", str(tmp_path / out), "--lang", lang)[0] == EXIT_OK
    doc = read_results(tmp_path / "r.json")
    assert not {"reasons_vi", "reasons_en"} & set(doc.columns)
    want = explain(doc, lang=lang).map(" | ".join).tolist()
    assert any(" | " in w for w in want) and all(w.count("(NĐ 335/2025/NĐ-CP") >= 1 for w in want)
    table = pd.read_csv(tmp_path / "r.csv", encoding="utf-8-sig", keep_default_na=False)
    cols = list(table.columns)
    assert cols[cols.index("reasons") + 1] == f"reasons_{lang}"
    assert table[f"reasons_{lang}"].tolist() == want
    assert table["reasons"].tolist() == doc["reasons"].tolist()
    sheet = load_workbook(tmp_path / "r.xlsx", read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    at = rows[0].index(f"reasons_{lang}")
    assert rows[0][at - 1] == "reasons" and [r[at] for r in rows[1:3]] == want


def test_classify_writes_the_month_for_render_and_finalize(tmp_path: Path) -> None:
    """The results file keeps every level, the words, the unit results, the signatories."""
    path = filled_workbook(
        tmp_path / "f.xlsx", [person("A", self_grade="HTXS", self_comment="Tốt")],
        positions=[{"position_id": "CV", "title": "Chuyên viên"}],
        signatories=[{"agency": "Sở Nội vụ", "governing_body": "UBND tỉnh", "place": "Lam Giang",
                      "approver_name": "Lê Văn Thành", "approver_title": "Giám đốc"}])  # fmt: skip
    out_file = tmp_path / "r.json"
    assert run("classify", str(path), "--out", str(out_file))[0] == EXIT_OK
    data = json.loads(out_file.read_text(encoding="utf-8"))["data"]
    row = data["rows"][0]
    assert (row["self_grade"], row["self_comment"], row["position_title"], row["unit_name"],
            row["classified_by_unit"]) == ("HTXS", "Tốt", "Chuyên viên", "Phòng 1", True)
    assert row["competent__pham_chat_dao_duc"] == 5.0 and row["total"] == 91.0
    assert data["units"][0]["unit_id"] == "P1"
    assert data["signatories"] == {"competent": {"name": "Lê Văn Thành", "title": "Giám đốc"}}
    assert data["agency"] == {"name": "Sở Nội vụ", "governing_body": "UBND tỉnh",
                              "place": "Lam Giang"}  # fmt: skip
    code, _, err = run_err("classify", str(out_file))
    assert code == EXIT_USAGE and "tệp Excel" in err


# =========================================================================== render


class _Recorder:
    """What the command line hands to evalkit.render (the render's own tests test it)."""

    def __init__(self) -> None:
        self.calls: dict[str, tuple[Any, dict[str, Any]]] = {}

    def __call__(self, name: str, result: Any) -> Any:
        def record(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] = (args, kwargs)
            return result

        return record


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> _Recorder:
    import evalkit.render

    rec = _Recorder()
    monkeypatch.setattr(evalkit.render, "sheets_from_results", rec("sheets", ["s"]),
                        raising=False)
    monkeypatch.setattr(evalkit.render, "write_pdfs", rec("pdfs", []))
    monkeypatch.setattr(evalkit.render, "write_reports", rec("reports", []))
    monkeypatch.setattr(evalkit.render, "sheet_file_names", rec("names", []))
    return rec


def test_render_of_a_workbook_classifies_first(tmp_path: Path, recorder: _Recorder) -> None:
    """Issue 15: render of a workbook printed grades without head cap or quota."""
    path = filled_workbook(tmp_path / "f.xlsx", [person("A")],
                           signatories=[{"approver_name": "Lê Văn Thành"}])
    assert run("render", str(path), "--out", str(tmp_path / "o"))[0] == EXIT_OK
    (results,), kwargs = recorder.calls["sheets"]
    assert results["classified_by_unit"].all() and "unit_grade" in results.columns
    assert kwargs["signatories"] == {"competent": {"name": "Lê Văn Thành", "title": ""}}
    assert recorder.calls["pdfs"][1]["resume"] is True


def test_render_no_classify_marks_every_row(tmp_path: Path, recorder: _Recorder) -> None:
    """--no-classify: scores only, every row says classified_by_unit = False; --no-resume."""
    path = filled_workbook(tmp_path / "f.xlsx", [person("A"), person("B")])
    assert run("render", str(path), "--out", str(tmp_path / "o"), "--no-classify",
               "--no-resume")[0] == EXIT_OK  # fmt: skip
    (results,), _ = recorder.calls["sheets"]
    assert results["classified_by_unit"].tolist() == [False, False]
    assert recorder.calls["pdfs"][1]["resume"] is False


def test_render_takes_one_month_and_a_quarter_needs_its_months(tmp_path: Path) -> None:
    """Two results files for a month, or a quarter without inputs, are usage errors; the
    workbooks of one month are taken together (audit 13), so the same one twice repeats
    its people (exit 1)."""
    path = filled_workbook(tmp_path / "f.xlsx", [person("A")])
    results = tmp_path / "k.json"
    assert run("classify", str(path), "--out", str(results))[0] == EXIT_OK
    assert run("render", str(path), str(path), "--out", str(tmp_path / "o"))[0] == 1
    assert run("render", str(results), str(results), "--out",
               str(tmp_path / "o"))[0] == EXIT_USAGE  # fmt: skip
    assert run("render", "--period", "2026-Q1", "--out", str(tmp_path / "o"))[0] == EXIT_USAGE


# =========================================================================== the rest


@pytest.mark.slow
def test_demo_runs_when_the_demo_is_installed(tmp_path: Path) -> None:
    """`evalkit demo --out DIR` writes the demo's files."""
    demo = pytest.importorskip("evalkit.demo")
    if not hasattr(demo, "run_demo"):
        pytest.skip("evalkit.demo.run_demo not written yet")
    pytest.importorskip("weasyprint")
    code, out = run("demo", "--out", str(tmp_path / "demo"), "--json")
    assert code == EXIT_OK and json.loads(out)["files"]


def test_help_imports_nothing_heavy() -> None:
    """`evalkit --help` in a fresh process imports no pandas, openpyxl or WeasyPrint (what
    keeps it fast; its time is a benchmark, benchmarks/bench_startup.py, not a timed test)."""
    code = ("import sys; from evalkit.cli import main; "
            "rc = main(['--help'], stdout=open('/dev/null', 'w')); "
            "print(rc, 'pandas' in sys.modules, "
            "'weasyprint' in sys.modules, 'openpyxl' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["0", "False", "False", "False"]


def test_python_dash_m_evalkit_runs_the_same_cli() -> None:
    """`python -m evalkit` is the console script (Windows without the script on PATH)."""
    r = subprocess.run([sys.executable, "-m", "evalkit", "rules", "list", "--json"],
                       check=False, capture_output=True, text=True)
    assert r.returncode == 0 and "vn.nd335-2025" in r.stdout


def test_console_script_is_declared() -> None:
    """pyproject declares `evalkit = "evalkit.cli:main"`."""
    assert importlib.util.find_spec("evalkit.cli") is not None
    assert 'evalkit = "evalkit.cli:main"' in Path("pyproject.toml").read_text()


def test_a_csv_without_org_is_checked_for_scoring_and_says_so(tmp_path: Path) -> None:
    """A CSV has no units sheet: validate checks the scores and says --org checks the
    classification; classify without --org says, in Vietnamese, that it needs the
    organisation (units are classified before individuals)."""
    from tests._io_helpers import GENERAL, TASKS

    path = tmp_path / "t.csv"
    cols = ["staff_id", "unit_id", *GENERAL, *TASKS]
    values = ["A", "P1", *[str(v) for v in (*GENERAL.values(), *TASKS.values())]]
    path.write_text(",".join(cols) + "\n" + ",".join(values) + "\n", encoding="utf-8")
    code, out, err = run_err("validate", str(path), "--period", "2026-03")
    assert code == EXIT_OK and "không có lỗi" in out and "--org" in err
    code, _, err = run_err("classify", str(path), "--period", "2026-03")
    assert code == EXIT_INVALID_INPUT
    assert "tệp không có trang đơn vị nên chưa xếp loại được" in err and "--org" in err


def test_a_quarterly_rule_set_has_a_quarter_workbook_with_the_months_worked(tmp_path: Path) -> None:
    """Customs (CV 21169/CHQ-TCCB): a quarter's workbook; one month worked or less → the
    quarter is not evaluated, as the frame and the object doors say."""
    import openpyxl

    import evalkit.rules
    from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET

    rs = evalkit.rules.get("vn.customs-2026q")
    book = tmp_path / "q3.xlsx"
    code, _ = run("template", "--rules", rs.id, "--period", "2026-Q3", str(book))
    assert code == EXIT_OK
    wb = openpyxl.load_workbook(book)
    for sheet, rows in ((SCORES_SHEET, [
            {"staff_id": "A", "full_name": "An", "unit_id": "U", "months_worked": 1,
             **{f"competent__{k}": v for k, v in rs.full_marks().items()}},
            {"staff_id": "B", "full_name": "Bình", "unit_id": "U",
             **{f"competent__{k}": v * 0.8 for k, v in rs.full_marks().items()}}]),
            (UNITS_SHEET, [{"unit_id": "U", "name": "Đội"}])):  # fmt: skip
        ws = wb[sheet]
        ids = [str(c.value).rsplit("[", 1)[-1].rstrip("]") for c in ws[1]]
        for r, data in enumerate(rows, start=2):
            for key, value in data.items():
                ws.cell(r, ids.index(key) + 1, value)
    wb.save(book)
    out = tmp_path / "r.json"
    code, _ = run("classify", str(book), "--out", str(out))
    assert code == EXIT_OK
    import pandas as pd

    import evalkit
    from evalkit.io.results import read_results

    got = read_results(out).set_index("staff_id")
    assert pd.isna(got.loc["A", "total"]) and got.loc["A", "reasons"] == "rollup.period_short"
    a = evalkit.Assessment("A", "2026-Q3", competent_scores=rs.full_marks(), months_worked=1)
    assert evalkit.score(a, rules=rs).reason_codes() == ("rollup.period_short",)
    assert run("template", "--rules", "vn.nd335-2025", "--period", "2026-Q3",
               str(tmp_path / "m.xlsx"))[0] == EXIT_USAGE  # fmt: skip
