"""Loose ends of issue 13 (af176): the CLI's ``--json`` and ``org`` words, and the
sentences and citations of the unit's shortcomings condition and the 6-month rule."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from evalkit import rules
from tests._cli_helpers import run

ND335 = "vn.nd335-2025"


# ------------------------------------------------ rules diff --json: problems as JSON


def _csv(tmp_path: Path, value: object = None) -> Path:
    """A CSV of August under NĐ 335 (two people, full marks); ``value`` typed in the first
    criterion of the first row."""
    nd = rules.get(ND335)
    frame = pd.DataFrame([{"staff_id": s, "period": "2026-08", **nd.full_marks()}
                          for s in ("A", "B")]).astype(object)  # fmt: skip
    if value is not None:
        frame.iloc[0, 2] = value
    path = tmp_path / ("bad.csv" if value is not None else "thang-08.csv")
    frame.to_csv(path, index=False)
    return path


def _cases(tmp_path: Path) -> dict[str, list[str]]:
    return {
        "a missing file": ["--data", str(tmp_path / "khong-co.csv")],
        "a period the data do not hold": ["--data", "demo", "--period", "2025"],
        "a bad cell under a named set": ["--data", str(_csv(tmp_path, "abc")), "--rules", ND335],
        "the years without unit_id": ["--data", str(_csv(tmp_path)), "--level", "year"],
    }


@pytest.mark.parametrize("case", ["a missing file", "a period the data do not hold",
                                  "a bad cell under a named set", "the years without unit_id"])
def test_rules_diff_json_gives_its_input_problems_as_json_with_the_same_exit_code(
        tmp_path: Path, case: str) -> None:  # fmt: skip
    """With ``--json`` every input problem is a JSON document on stdout (``ok`` false and
    ``problems``, as ``validate --json`` gives them), nothing on stderr, the exit code that
    of the text run (1); each problem's ``text`` is the line the text run prints."""
    args = ["--lang", "en", "rules", "diff", ND335, ND335, *_cases(tmp_path)[case]]
    code, out, err = run(*args)
    assert (code, out) == (1, "") and "problem" in err
    code_json, out_json, err_json = run(*args, "--json")
    assert (code_json, err_json) == (code, "")
    doc = json.loads(out_json)
    assert doc["ok"] is False and doc["problems"]
    for p in doc["problems"]:
        assert f"  - {p['text']}" in err.splitlines()
        assert {"message", "code", "file", "row", "column", "value"} <= set(p)


# ------------------------------------------------ org reads hidden rows: it scores nothing


def _hidden_row_book(tmp_path: Path) -> Path:
    """A month's workbook whose second person's row (row 3) is hidden in Excel."""
    import openpyxl

    from evalkit.io.workbook import SCORES_SHEET
    from tests._io_helpers import filled_workbook, person

    book = filled_workbook(tmp_path / "m.xlsx", [person("CC-1"), person("CC-2")],
                           units=[{"unit_id": "P1", "name": "Phòng 1", "tasks_assigned": 10,
                                   "tasks_done": 10, "tasks_on_time": 10}],
                           positions=[{"position_id": "CV", "title": "Chuyên viên"}])  # fmt: skip
    wb = openpyxl.load_workbook(book)
    wb[SCORES_SHEET].row_dimensions[3].hidden = True
    wb.save(book)
    return book


@pytest.mark.parametrize(("lang", "read", "scored"), [
    ("vi", "vẫn được đọc như mọi dòng khác", "chấm điểm"),
    ("en", "are read like every other row", "scored")])
def test_org_says_it_reads_hidden_rows_and_the_scoring_commands_that_they_score_them(
        tmp_path: Path, lang: str, read: str, scored: str) -> None:  # fmt: skip
    """``evalkit org`` builds the organisation and scores no one: its note on a hidden row
    says the row is read, never scored; ``validate`` (which scores) still says read and
    scored; both from the one catalogue entry ``cli.hidden``."""
    book = _hidden_row_book(tmp_path)
    code, _out, err = run("--lang", lang, "org", str(book))
    note = [line for line in err.splitlines() if "Excel" in line]
    assert code == 0 and len(note) == 1, err
    assert read in note[0] and scored not in note[0]
    code, _out, err = run("--lang", lang, "validate", str(book))
    note = [line for line in err.splitlines() if "Excel" in line]
    assert code == 0 and len(note) == 1 and scored in note[0], err
