"""The customs quarter at ``validate``'s door (found by hunt af140, fixed by af142).

A quarterly rule set (``vn.customs-2026q``, CV 21169/CHQ-TCCB: công chức hải quan are
evaluated by quarter) is not a default set: the set in force for a công chức in a period is
NĐ 335/2025's, which scores months. docs/cli.md (validate): without ``--rules`` a CSV is read
under the set in force for its people's group in its period — for a quarter that set scores
months, so the file is that set's problem, said ONCE for the column with the rows and the set
that scores quarters to name (``--rules vn.customs-2026q``), never "not a month" on every row.
``validate --period`` takes the quarter as ``template --period`` does, under a set that scores
quarters; under a monthly set the quarter is a usage error (exit 2) saying the set scores
months.

The people (tests/test_hunt_af126): Chi cục U, head H1 and S1–S9, every row typed under the
customs set's own template for 2026-Q4 (its CSV and its workbook).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests._cli_helpers import ok, run
from tests.test_hunt_af126 import CUSTOMS_PEOPLE, _filler, _org
from tests.test_hunt_af140 import _book

CQ = "vn.customs-2026q"


def _csv(folder: Path) -> tuple[Path, Path]:
    """The organisation and the customs quarter's CSV template for 2026-Q4, filled (every
    cell the template has, as the hunt's workbook is filled), as a person saves it."""
    org = _org(folder, "cong_chuc", "Chi cục Hải quan khu vực I", "Cục Hải quan", "Hà Nội",
               "Chi cục trưởng", "Chuyên viên")  # fmt: skip
    tpl, filled = folder / "mau.csv", folder / "so.csv"
    ok("template", "--rules", CQ, "--period", "2026-Q4", "--org", str(org), str(tpl))
    with tpl.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    ids = [h.split("[")[-1].rstrip("]") for h in rows[0]]
    typed = _filler(CQ, CUSTOMS_PEOPLE)
    out = [rows[0]]
    for r in rows[1:]:
        row = dict(zip(ids, r, strict=True))
        row.update({k: str(v) for k, v in typed(row["staff_id"], row).items()
                    if k in row and v is not None})  # fmt: skip
        out.append([row[i] for i in ids])
    assert {r[ids.index("period")] for r in out[1:]} == {"2026-Q4"}  # the template's own
    with filled.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(out)
    return org, filled


@pytest.fixture(scope="module")
def customs_csv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _csv(tmp_path_factory.mktemp("customs-csv"))


@pytest.mark.parametrize("with_org", [False, True])
def test_a_quarter_csv_without_rules_is_one_problem_naming_the_quarterly_set(
    customs_csv: tuple[Path, Path], with_org: bool
) -> None:
    """10 rows of 2026-Q4 under NĐ 335/2025 (monthly): one problem for the column, with its
    10 rows, naming the set that scores quarters — not 10 'không phải là tháng'."""
    org, book = customs_csv
    code, _out, err = run("validate", str(book), *(["--org", str(org)] if with_org else []))
    assert code == 1
    lines = [x for x in err.splitlines() if x.lstrip().startswith("- ")]
    assert len(lines) == 1, err
    [line] = lines
    assert "cột 'period'" in line and "kỳ 2026-Q4 là một quý" in line
    assert "'vn.nd335-2025' chấm điểm theo tháng" in line
    assert f"--rules {CQ}" in line
    assert "10 dòng" in line
    assert "không phải là tháng" not in line


def test_validate_takes_the_quarter_under_the_quarterly_set(
    customs_csv: tuple[Path, Path]
) -> None:
    """``--rules vn.customs-2026q --period 2026-Q4``, as ``template`` was given: no usage
    error, every row valid (scored and, with --org, classified)."""
    org, book = customs_csv
    out = ok("validate", str(book), "--rules", CQ, "--period", "2026-Q4", "--org", str(org))
    assert "10 dòng, không có lỗi" in out


def test_another_quarter_given_is_a_period_mismatch(customs_csv: tuple[Path, Path]) -> None:
    """The file's 2026-Q4 against ``--period 2026-Q3``: a mismatch on each row, as for a
    month."""
    _org_path, book = customs_csv
    code, _out, err = run("validate", str(book), "--rules", CQ, "--period", "2026-Q3")
    assert code == 1
    assert err.count("kỳ 2026-Q4 khác kỳ của tệp (2026-Q3)") == 10, err


@pytest.mark.parametrize("rules", ["vn.nd335-2025", "vn.nd233-2026"])
def test_a_quarter_under_a_monthly_set_is_a_usage_error(customs_csv: tuple[Path, Path],
                                                        rules: str) -> None:  # fmt: skip
    """A set that scores months takes no quarter: exit 2, saying so (not 'not a month')."""
    _org_path, book = customs_csv
    code, _out, err = run("validate", str(book), "--rules", rules, "--period", "2026-Q4")
    assert code == 2
    assert f"{rules} chấm điểm theo tháng" in err and "2026-Q4" in err


def test_a_quarter_without_rules_under_a_monthly_set_is_one_problem(
    customs_csv: tuple[Path, Path]
) -> None:
    """``--period 2026-Q4`` without ``--rules``: the CSV's set in force (NĐ 335/2025) scores
    months — one problem naming the quarterly set, as without --period."""
    _org_path, book = customs_csv
    code, _out, err = run("validate", str(book), "--period", "2026-Q4")
    assert code == 1
    lines = [x for x in err.splitlines() if x.lstrip().startswith("- ")]
    assert len(lines) == 1 and f"--rules {CQ}" in lines[0], err


def test_the_customs_workbook_takes_its_quarter_as_period(tmp_path: Path) -> None:
    """The workbook names its set (customs): ``--period 2026-Q4`` is its own quarter."""
    org, book = _book(tmp_path, "2026-Q4", {}, "q")
    out = ok("validate", str(book), "--period", "2026-Q4", "--org", str(org))
    assert "10 dòng, không có lỗi" in out
