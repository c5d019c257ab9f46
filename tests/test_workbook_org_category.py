"""Audit af20: a blank category cell is the person's category in the organisation file.

A viên chức (NĐ 233/2026 from 2026-07-01) typed with a blank category into a công chức
workbook (NĐ 335/2025, which covers công chức only) was read as the set's first category,
công chức, and scored and archived as one — while the same row with ``vien_chuc`` typed is
refused. With ``--org`` the blank cell takes the organisation's category, so the row is
refused the same way, in a workbook and in a CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import evalkit
from evalkit.io.jsonio import to_json
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

WHY = "rule set 'vn.nd335-2025' does not apply to vien_chuc"


def _org(tmp: Path) -> Path:
    org = evalkit.Organisation(
        units=[evalkit.Unit("P1", "Phòng 1")], positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff("CC-1", "Người CC-1", "CV", "P1"),
               evalkit.Staff("VC-1", "Người VC-1", "CV", "P1", category="vien_chuc")])
    (tmp / "org.json").write_text(to_json(org), encoding="utf-8")
    return tmp / "org.json"


def _problems(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("  - ")]


def test_a_blank_category_is_the_organisations_in_a_workbook(tmp_path: Path) -> None:
    org = _org(tmp_path)
    book = filled_workbook(tmp_path / "cc.xlsx", [person("CC-1"), person("VC-1")],
                           period="2026-08")
    code, out, err = run("--lang", "en", "validate", str(book), "--org", str(org))
    said = _problems(out + err)
    assert code == 1 and len(said) == 1, (out, err)
    assert "row 3, staff 'VC-1', column 'category'" in said[0] and said[0].endswith(WHY)
    code, out, err = run("--lang", "en", "classify", str(book), "--org", str(org),
                         "--out", str(tmp_path / "r.json"))
    assert code == 1 and not (tmp_path / "r.json").exists()


def test_a_csv_without_a_category_column_too(tmp_path: Path) -> None:
    org = _org(tmp_path)
    rows = pd.DataFrame([person("CC-1"), person("VC-1")]).assign(period="2026-08")
    rows.to_csv(tmp_path / "m.csv", index=False)
    code, out, err = run("--lang", "en", "validate", str(tmp_path / "m.csv"), "--org", str(org),
                         "--rules", "vn.nd335-2025")
    said = _problems(out + err)
    assert code == 1 and len(said) == 1 and said[0].endswith(WHY), (out, err)
    # without the organisation file nothing says who VC-1 is: the set's category
    code, out, err = run("--lang", "en", "validate", str(tmp_path / "m.csv"),
                         "--rules", "vn.nd335-2025")
    assert code == 0, (out, err)


def test_the_summary_of_a_csv_names_its_period(tmp_path: Path) -> None:
    """A CSV carries its period in its rows: the summary's note that the month is scored, not
    classified (NĐ 335/2025 Điều 21: the classification is annual) names it."""
    org = _org(tmp_path)
    pd.DataFrame([person("CC-1")]).assign(period="2026-08").to_csv(tmp_path / "m.csv", index=False)
    code, out, err = run("--lang", "en", "classify", str(tmp_path / "m.csv"), "--org", str(org),
                         "--rules", "vn.nd335-2025", "--out", str(tmp_path / "r.json"))
    assert code == 0, (out, err)
    assert "(2026-08 is scored, not classified, under vn.nd335-2025" in out + err
