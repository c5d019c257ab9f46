"""A month CSV of công chức and viên chức read without --rules (af92): each record goes to
the staff group whose rule set the reader then reads it under, its columns and id found as
the reader finds them.

The reader finds a column by ``Tên [id]``, by its bare id or by its label (``Mã cán bộ``,
``Nhóm (cong_chuc, vien_chuc, can_bo, hop_dong)``), and compares ids through the one id
normaliser (``'V1\\u200b'``, ``' V1\\u00a0'`` and ``'V1'`` are one person: docs/cli.md). The
scan that splits the file by staff group read only ``[id]`` headers and stripped ids, so a
viên chức whose id carried a zero-width space was put with the công chức, read under NĐ
335/2025 and refused ("does not apply to vien_chuc"), and a file headed by labels was
refused whole — where the same rows with plain ids and headers are classified, each person
under the set in force for their group (NĐ 335/2025 for công chức, NĐ 233/2026 for viên
chức from 2026-07-01: the rule set follows the person).

By hand (30 general points each): quantity 100, quality 100, timeliness 100 → 30 + 70 = 100;
quantity 40 → 30 + 0.7 × (40 + 100 + 100) / 3 = 86. A month of NĐ 335/NĐ 233 is scored and
banded, not classified: 100 → HTXS, 86 → HTT, no quota.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit.io.results import read_results
from evalkit.io.workbook import read_months
from tests._cli_helpers import run
from tests.test_cli_mixed_month_files import GENERAL, GENERAL_VC, PEOPLE, write_org

#: staff id → (rule set, total, band) by hand
WANT = {sid: ("vn.nd335-2025" if cat == "cong_chuc" else "vn.nd233-2026",
              100.0 if q == 100 else 86.0, "HTXS" if q == 100 else "HTT")
        for sid, (cat, q) in PEOPLE.items()}  # fmt: skip
LABELS = {"staff_id": "Mã cán bộ", "category": "Nhóm (cong_chuc, vien_chuc, can_bo, hop_dong)",
          "period": "Kỳ đánh giá (yyyy-mm)"}  # fmt: skip


@pytest.fixture
def org(tmp_path: Path) -> Path:
    return write_org(tmp_path / "org.json")


def _rows(typed_id: str = "{}", *, category: bool = False) -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": typed_id.format(sid), "unit_id": "U", "period": "2026-08",
                          **({"category": cat} if category else {}),
                          **(GENERAL_VC if cat == "vien_chuc" else GENERAL),
                          "so_luong": q, "chat_luong": 100, "tien_do": 100}
                         for sid, (cat, q) in PEOPLE.items()])  # fmt: skip


def _read(path: Path, org: Path | None) -> dict[str, tuple[str, float, str]]:
    """Each person's (set, total, band) as read by :func:`read_months` and scored."""
    months = read_months(path, org=org)
    assert [str(p) for m in months for p in m.problems] == []
    assert len(months) == 2  # one month per set
    out = {}
    for m in months:
        scored = evalkit.score_frame(m.staff, m.rules)
        for sid, total, grade in zip(m.staff["staff_id"], scored["total"],
                                     scored["score_grade"], strict=True):  # fmt: skip
            out[str(sid)] = (m.rules.id, round(float(total), 2), str(grade))
    return out


def _classified(path: Path, org: Path, tmp_path: Path) -> dict[str, tuple[str, float, str]]:
    """Each person's (set, total, grade) from ``evalkit classify`` of ``path``."""
    code, out, err = run("classify", str(path), "--org", str(org), "--out",
                         str(tmp_path / "r.json"))  # fmt: skip
    assert code == 0, (out, err)
    got = read_results(tmp_path / "r.json")
    return {str(r.staff_id): (str(r.rule_set), float(r.total), str(r.grade))
            for r in got.itertuples()}  # fmt: skip


@pytest.mark.parametrize("typed", ["{}\u200b", " {}\u00a0", "\u2060{}", "{}"],
                         ids=["zero-width", "nbsp", "word-joiner", "plain"])  # fmt: skip
def test_a_vien_chuc_id_with_an_invisible_character_is_read_under_their_set(
    tmp_path: Path, org: Path, typed: str
) -> None:
    """No category column: each person's group is the organisation file's, found by the
    normal id; the viên chức's ids carry an invisible character."""
    rows = _rows()
    vc = rows["staff_id"].str.startswith("V")
    rows.loc[vc, "staff_id"] = [typed.format(s) for s in rows.loc[vc, "staff_id"]]
    path = tmp_path / "2026-08.csv"
    rows.to_csv(path, index=False)
    assert _read(path, org) == WANT
    assert _classified(path, org, tmp_path) == WANT


def test_a_csv_headed_by_the_columns_labels_is_split_by_group(tmp_path: Path, org: Path) -> None:
    """The headers typed as the template's labels, without ``[id]``: the period and each
    person's group read from them, as the reader reads the rows (the organisation file
    gives the units only: every row says its group)."""
    path = tmp_path / "2026-08.csv"
    _rows(category=True).rename(columns=LABELS).to_csv(path, index=False)
    assert _read(path, None) == WANT
    assert _classified(path, org, tmp_path) == WANT


@pytest.mark.parametrize("groups", [("cong_chuc", "vien_chuc"), ("cong_chuc",)])
def test_one_month_written_two_ways_names_its_month(tmp_path: Path, groups: tuple[str, ...]
                                                    ) -> None:  # fmt: skip
    """Rows giving 2026-08 as ``2026-08`` and as ``08/2026`` (the reader reads both as the
    month): the file's month is known without --period, so its sets are (before, two
    spellings were two months and the file "named no rule set")."""
    rows = _rows(category=True)
    rows = rows[rows["category"].isin(groups)].reset_index(drop=True)
    rows["period"] = ["2026-08", "08/2026", "8/2026"] * (len(rows) // 3) + ["2026-08"] * (
        len(rows) % 3)
    path = tmp_path / "2026-08.csv"
    rows.to_csv(path, index=False)
    months = read_months(path)
    assert [str(p) for m in months for p in m.problems] == []
    assert sorted(m.rules.id for m in months if m.rules) == sorted(
        {WANT[s][0] for s in rows["staff_id"]})
    assert sum(len(m.staff) for m in months) == len(rows)
    assert {str(p) for m in months for p in m.staff["period"]} == {"2026-08"}


def test_a_person_in_both_groups_is_said_as_a_duplicate_in_the_file(tmp_path: Path) -> None:
    """C01 typed again on a viên chức's line: the file read as a month per group names the
    two lines of the one CSV as its reader names a duplicate inside a file ("also at row
    2"), with no sheet — not as another file's row on a workbook's score sheet."""
    from evalkit.workflow import month_problems

    rows = _rows(category=True)
    rows.loc[rows["staff_id"] == "V1", "staff_id"] = "C01"  # line 12 (line 1: the header)
    path = tmp_path / "2026-08.csv"
    rows.to_csv(path, index=False)
    said = month_problems(read_months(path))
    assert sorted((p.row, p.sheet, p.column, p.message) for p in said) == [
        (2, None, "staff_id", "duplicate staff id (also at row 12)"),
        (12, None, "staff_id", "duplicate staff id (also at row 2)")]
    assert {p.file for p in said} == {str(path)}
