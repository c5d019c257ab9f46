"""The real cause of a workbook's refusal, said alone (audit 14).

* agency_file_validate_noise: a workbook made from an agency's rule file, validated without
  --rules, gave 71 false "header not known (renamed?)" problems on the template's own
  headers before the one real cause (the rule set is not registered).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from evalkit.io.workbook import INFO_SHEET, read_month
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

RULE_FILE = '''id = "so.nd335-rieng"
extends = "vn.nd335-2025"
source = "Quy chế đánh giá của Sở (thử nghiệm)"
'''


def _agency_book(tmp_path: Path) -> tuple[Path, Path]:
    rules = tmp_path / "quy-dinh.toml"
    rules.write_text(RULE_FILE, encoding="utf-8")
    book = tmp_path / "a.xlsx"
    code, out, err = run("template", "--rules", str(rules), "--period", "2026-03", str(book))
    assert code == 0, (out, err)
    return book, rules


def test_an_unregistered_rule_set_is_the_only_problem(tmp_path: Path) -> None:
    book, _rules = _agency_book(tmp_path)
    month = read_month(book)
    assert [(p.sheet, p.column, p.value) for p in month.problems] == [
        (INFO_SHEET, "rule_set", "so.nd335-rieng")]
    for lang, hint in (("vi", "--rules TỆP.toml"), ("en", "--rules FILE.toml")):
        code, out, err = run("--lang", lang, "validate", str(book))
        lines = [x for x in (out + err).splitlines() if x.strip().startswith("- ")]
        assert code == 1 and len(lines) == 1, (out, err)
        assert "so.nd335-rieng" in lines[0] and "rule_set" in lines[0]
        assert hint in out + err


def test_the_rule_file_reads_the_same_workbook_clean(tmp_path: Path) -> None:
    book, rules = _agency_book(tmp_path)
    assert read_month(book, rules=_load(rules)).problems == []


def _load(path: Path) -> object:
    from evalkit.rules import load

    return load(path)


def test_an_unknown_header_with_values_is_still_said_under_a_known_rule_set(
        tmp_path: Path) -> None:  # fmt: skip
    path = filled_workbook(tmp_path / "h.xlsx", [person("CC-1")])
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    col = ws.max_column + 1
    ws.cell(1, col, "Ghi chú lạ")
    ws.cell(2, col, 5)
    wb.save(path)
    problems = read_month(path).problems
    assert [p.row for p in problems if p.row == 1] == [1]
