"""``--period`` takes the same forms at every command that reads a workbook.

docs/cli.md: ``validate --period`` is a month, or a quarter under a rule set that scores
quarters (customs, ``vn.customs-2026q``, CV 21169/CHQ-TCCB); a quarter under a set that
scores months is a usage error (exit 2) saying the set scores months. ``score``,
``classify`` and ``finalize`` read the same workbooks and take the same forms, with the
same message (one catalogue entry); a malformed period is a usage error naming the value.
Before af145 the three took a month only: the customs quarter's own workbook could be
validated with its quarter but not scored, classified or finalized with it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalkit import messages
from tests._cli_helpers import fill_workbook, ok, run
from tests.test_customs_validate_door import _csv
from tests.test_hunt_af126 import CUSTOMS_PEOPLE, _filler
from tests.test_hunt_af140 import UNIT, _book

CQ = "vn.customs-2026q"
COMMANDS = ("score", "classify", "finalize")


def _args(command: str, book: Path, org: Path, folder: Path) -> list[str]:
    """``command`` on ``book`` with what it needs besides ``--period`` (an output; an
    archive and who finalizes)."""
    more = {"score": ["--out", str(folder / f"{book.stem}-diem.json")],
            "classify": ["--out", str(folder / f"{book.stem}-ket-qua.json")],
            "finalize": ["--archive", str(folder / f"{book.stem}.sqlite"), "--by", "TCCB"]}
    return [command, str(book), "--org", str(org), *more[command]]


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """The customs quarter's workbook (2026-Q4) and an NĐ 335/2025 month's (2026-06), both
    typed from their own templates for the same Chi cục."""
    folder = tmp_path_factory.mktemp("period-forms")
    quarter = _book(folder, "2026-Q4", {}, "q")
    org = quarter[0]
    tpl, book = folder / "mau-06.xlsx", folder / "so-06.xlsx"
    ok("template", "--rules", "vn.nd335-2025", "--period", "2026-06", "--org", str(org),
       str(tpl))  # fmt: skip
    typed = _filler("vn.nd335-2025", CUSTOMS_PEOPLE)
    fill_workbook(tpl, book, typed, lambda _u, _r: dict(UNIT))
    return {"quarter": quarter, "month": (org, book)}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_month_is_taken(books: dict[str, tuple[Path, Path]], command: str,
                          tmp_path: Path) -> None:  # fmt: skip
    org, book = books["month"]
    code, out, err = run(*_args(command, book, org, tmp_path), "--period", "2026-06", "--json")
    assert code == 0, (out, err)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_quarter_is_taken_under_the_quarterly_set(books: dict[str, tuple[Path, Path]],
                                                    command: str, tmp_path: Path) -> None:  # fmt: skip
    """``--period 2026-Q4`` on the customs quarter's workbook: as ``validate`` takes it, the
    quarter is read, scored, classified and archived (exit 0, the quarter in the output)."""
    org, book = books["quarter"]
    for i, rules in enumerate(([], ["--rules", CQ])):
        (where := tmp_path / str(i)).mkdir()
        code, out, err = run(*_args(command, book, org, where), *rules, "--period", "2026-Q4",
                             "--json")  # fmt: skip
        assert code == 0, (rules, out, err)
        if command == "finalize":
            assert json.loads(out)["period"] == "2026-Q4"
        else:
            [written] = where.glob("*.json")
            assert json.loads(written.read_text("utf-8"))["data"]["period"] == "2026-Q4"


@pytest.mark.parametrize("command", [*COMMANDS, "validate"])
@pytest.mark.parametrize("rules", ["vn.nd335-2025", "vn.nd233-2026"])
def test_a_quarter_under_a_monthly_set_is_the_same_usage_error(
    books: dict[str, tuple[Path, Path]], command: str, rules: str, tmp_path: Path
) -> None:
    """Exit 2 with validate's sentence (``cli.template.quarter``), not "not a month"."""
    org, book = books["quarter"]
    code, _out, err = run(*_args(command, book, org, tmp_path) if command != "validate"
                          else ["validate", str(book), "--org", str(org)],
                          "--rules", rules, "--period", "2026-Q4")  # fmt: skip
    assert code == 2
    assert messages.text("cli.template.quarter", rules=rules, period="2026-Q4") in err, err
    assert not list(tmp_path.glob("*.sqlite")) and not list(tmp_path.glob("*.json"))


@pytest.mark.parametrize("command", [*COMMANDS, "validate"])
@pytest.mark.parametrize("value", ["2026-13", "2026-Q5", "quy 4", "2026"])
def test_a_malformed_period_is_a_usage_error_naming_it(
    books: dict[str, tuple[Path, Path]], command: str, value: str, tmp_path: Path
) -> None:
    """The same sentence at each command (``cli.usage.month_or_quarter``), with the value."""
    org, book = books["month"]
    code, _out, err = run(*_args(command, book, org, tmp_path) if command != "validate"
                          else ["validate", str(book), "--org", str(org)],
                          "--period", value)  # fmt: skip
    assert code == 2
    assert messages.text("cli.usage.month_or_quarter", value=value) in err, err



@pytest.mark.parametrize("command", COMMANDS)
def test_a_quarter_file_without_rules_is_the_readers_one_problem(command: str,
                                                                 tmp_path: Path) -> None:  # fmt: skip
    """The customs CSV of 2026-Q4 without ``--rules``: the set in force (NĐ 335/2025)
    scores months — one problem for the column naming the set that scores quarters
    (``problem.quarter_monthly_set``), as ``validate`` says it, at exit 1."""
    org, book = _csv(tmp_path)
    code, _out, err = run(*_args(command, book, org, tmp_path), "--period", "2026-Q4")
    assert code == 1
    lines = [x for x in err.splitlines() if x.lstrip().startswith("- ")]
    assert len(lines) == 1 and "kỳ 2026-Q4 là một quý" in lines[0], err
    assert f"--rules {CQ}" in lines[0]
    assert not list(tmp_path.glob("*.sqlite")) and not list(tmp_path.glob("so-*.json"))
