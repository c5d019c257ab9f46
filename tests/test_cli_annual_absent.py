"""`annual` counts the organisation's people who have no row in any month of the year as
the year's unit summaries (and the overview) sign them: not evaluated (af45 item 1).

The organisation of tests/test_cli_annual_org.py with one more specialist of TC, CV6, who
is on the organisation file (--org) but on neither month's workbook. By hand: TC's summary
lists 8 people, CV6 "chưa đánh giá" (not evaluated); the year's table has 8 rows (the
archive knows only them), and `annual --org` says 9 people, 1 not evaluated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from evalkit.io.workbook import SCORES_SHEET
from tests import test_cli_annual_org as base
from tests._cli_helpers import ok, org_file

pytestmark = pytest.mark.slow

STAFF_CSV = base.STAFF_CSV + "CV6,Lý Văn Mới,CV,TC,TP,cong_chuc\n"


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two months finalized without CV6's row; the organisation file lists CV6."""
    tmp = tmp_path_factory.mktemp("vang")
    org = org_file(tmp, base.UNITS_CSV, base.POSITIONS_CSV, STAFF_CSV)
    archive = tmp / "luu-tru.sqlite"
    for m in (1, 2):
        blank = tmp / f"mau-{m:02d}.xlsx"
        ok("template", "--rules", "vn.nd335-2025", "--period", f"2026-{m:02d}", "--org",
           str(org), str(blank))  # fmt: skip
        wb = openpyxl.load_workbook(blank)
        ws = wb[SCORES_SHEET]
        col = {str(c.value).split("[")[-1].rstrip("]"): c.column for c in ws[1] if c.value}
        (row,) = [r for r in range(2, ws.max_row + 1) if ws.cell(r, col["staff_id"]).value == "CV6"]
        ws.delete_rows(row)  # CV6 has no row this month
        wb.save(blank)
        base.fill(blank, tmp / f"thang-{m:02d}.xlsx")
        ok("finalize", str(tmp / f"thang-{m:02d}.xlsx"), "--archive", str(archive),
           "--by", "TCCB", "--org", str(org))  # fmt: skip
    return {"tmp": tmp, "org": org, "archive": archive}


def test_annual_json_counts_the_people_the_summaries_list_not_evaluated(
    archived: dict[str, Any],
) -> None:
    pdf = archived["tmp"] / "phieu"
    said = json.loads(ok("annual", "--archive", str(archived["archive"]), "--year", "2026",
                         "--org", str(archived["org"]), "--pdf", str(pdf), "--json"))  # fmt: skip
    text = base.text_of(pdf / "units" / "2026_TC.pdf")
    assert "lý văn mới chuyên viên chưa đánh giá" in text
    assert "chưa đánh giá 1 tổng số người 8" in text  # TC: 7 rows and CV6
    assert said["rows"] == 8  # the year's table: the archive's people
    assert said["grades"]["not_evaluated"] == 1
    assert sum(said["grades"].values()) == 9  # GD (SNV) and TC's 8, as the summaries sign
    # the table alone (no --pdf) and the sentence say the same with --org
    alone = json.loads(ok("annual", "--archive", str(archived["archive"]), "--year", "2026",
                          "--org", str(archived["org"]), "--json"))  # fmt: skip
    assert alone["grades"] == said["grades"]
    line = ok("annual", "--archive", str(archived["archive"]), "--year", "2026",
              "--org", str(archived["org"]))  # fmt: skip
    assert line.startswith("9 người:") and "chưa đánh giá 1" in line, line


def test_annual_without_org_knows_only_the_archive(archived: dict[str, Any]) -> None:
    """Without --org neither the table nor the documents know CV6."""
    said = json.loads(ok("annual", "--archive", str(archived["archive"]), "--year", "2026",
                         "--json"))  # fmt: skip
    assert said["grades"]["not_evaluated"] == 0 and sum(said["grades"].values()) == 8


def test_the_results_file_keeps_the_tables_rows(archived: dict[str, Any], tmp_path: Path) -> None:
    """--out writes the year's rows (no invented row for CV6); the counts print beside."""
    out = tmp_path / "nam.json"
    said = json.loads(ok("annual", "--archive", str(archived["archive"]), "--year", "2026",
                         "--org", str(archived["org"]), "--out", str(out), "--json"))  # fmt: skip
    rows = json.loads(out.read_text(encoding="utf-8"))["data"]["rows"]
    assert len(rows) == 8 and "CV6" not in {r["staff_id"] for r in rows}
    assert said["grades"]["not_evaluated"] == 1


def test_annual_pdf_opens_the_archive_once_and_checks_each_month_twice(
    archived: dict[str, Any], tmp_path: Path,
) -> None:
    """af45 item 6: `annual --pdf` opened the archive twice (the table, then the sheets'
    months, the second time writable) and checked each month against its seal three times
    (the table's read, the month's results, the month's unit results); now one opening,
    each month checked by the table's read and once for the sheets. The files are those of
    `render --period 2026 --archive` (tests/test_cli_annual_org.py checks them byte for
    byte)."""
    from unittest import mock

    from evalkit.io import archive as archive_module

    opened: list[bool] = []
    checks: list[str] = []
    real_init, real_check = archive_module.Archive.__init__, archive_module._check_month

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        opened.append(bool(kwargs.get("readonly")))
        real_init(self, *args, **kwargs)

    def check(db: Any, per: str, *args: Any, **kwargs: Any) -> Any:
        checks.append(per)
        return real_check(db, per, *args, **kwargs)

    args = ("annual", "--archive", str(archived["archive"]), "--year", "2026", "--org",
            str(archived["org"]), "--json")  # fmt: skip
    with mock.patch.object(archive_module.Archive, "__init__", init), \
            mock.patch.object(archive_module, "_check_month", check):  # fmt: skip
        ok(*args)  # the table alone: what Archive.annual checks
        table_only = sorted(checks)
        opened.clear()
        checks.clear()
        said = json.loads(ok(*args, "--pdf", str(tmp_path / "p")))
    assert opened == [True]
    assert sorted(checks) == sorted([*table_only, "2026-01", "2026-02"]), (table_only, checks)
    assert len(said["pdf"]["files"]) == 8 + 2  # 8 people's sheets, 2 unit summaries
