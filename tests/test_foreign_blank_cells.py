"""A cell of invisible characters under another rule set's criterion is blank (af92).

Every door reads a cell of spaces or of invisible characters (a zero-width space, a BOM:
what a copy from a web page or a chat leaves) as blank — under a person's own
criterion it is the blank cell it looks like. Under another set's criterion (a viên chức's
row, scored under NĐ 233/2026, in a month that also holds công chức under NĐ 335/2025 and
so NĐ 335's count of major errors ``loi_chat_luong``), the check that refuses a score no
rule of the row's set reads (:func:`evalkit.scoring.foreign_said`) stripped spaces only, so
a zero-width space there was refused as "a score under a criterion of another set" at the
frame door and the CSV door — where the same cell left empty is accepted. A count typed
there is still refused.

By hand (30 general points each): quantity 100, quality 100, timeliness 100 → 30 + 70 =
100; quantity 40 → 30 + 0.7 × (40 + 100 + 100) / 3 = 86; C01's one major error (NĐ 335/2025
Điều 14 k2 b: 25 % of quality off) → 30 + 0.7 × (100 + 75 + 100) / 3 = 94.17.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from evalkit.errors import InputError
from evalkit.io.results import read_results
from evalkit.scoring import foreign_said
from evalkit.units import classify_frame
from tests._cli_helpers import run
from tests.test_cli_mixed_month_files import _month, write_org
from tests.test_csv_groups_as_read import WANT

INVISIBLE = ["\u200b", "\ufeff", "\u200b\ufeff", " \u200b\u00a0"]
BY_HAND = {**{sid: (rs, total) for sid, (rs, total, _) in WANT.items()},
           "C01": ("vn.nd335-2025", 94.17)}  # fmt: skip


def _mixed(cell: str) -> pd.DataFrame:
    """2026-08: the công chức and viên chức of one unit; ``cell`` under NĐ 335's count of
    errors on every viên chức's row, C01's one error, the other công chức's left empty."""
    m = pd.concat([_month("2026-08", c) for c in ("cong_chuc", "vien_chuc")],
                  ignore_index=True)  # fmt: skip
    m["loi_chat_luong"] = [cell if c == "vien_chuc" else "" for c in m["category"]]
    m.loc[m["staff_id"] == "C01", "loi_chat_luong"] = "1"
    return m.astype({"loi_chat_luong": object})


def _by_person(frame: pd.DataFrame) -> dict[str, tuple[str, float]]:
    return {str(s): (str(r), round(float(t), 2))
            for s, r, t in zip(frame["staff_id"], frame["rule_set"], frame["total"],
                               strict=True)}  # fmt: skip


@pytest.mark.parametrize("cell", INVISIBLE)
def test_foreign_said_reads_a_cell_of_invisible_characters_as_blank(cell: str) -> None:
    values = pd.Series([cell, "", None, 0, "2", cell + "2"], dtype=object)
    assert foreign_said(values, "loi_chat_luong").tolist() == [False, False, False, False,
                                                               True, True]  # fmt: skip
    # under a criterion scored in points a 0 is a score, said; the invisible cell is not
    assert foreign_said(values, "chinh_tri").tolist() == [False, False, False, True, True,
                                                          True]  # fmt: skip
    assert foreign_said(values.astype("string"), "chinh_tri").tolist()[:3] == [False] * 3


@pytest.mark.parametrize("cell", INVISIBLE)
def test_the_frame_door_reads_it_as_the_empty_cell(cell: str) -> None:
    units = pd.DataFrame({"unit_id": ["U"], "name": ["Phòng Hỗn hợp"]})
    got, _ = classify_frame(_mixed(cell), units)
    assert _by_person(got) == BY_HAND
    assert _by_person(classify_frame(_mixed(""), units)[0]) == BY_HAND
    with pytest.raises(InputError, match="loi_chat_luong"):  # a count there: refused
        classify_frame(_mixed("2"), units)


def test_the_csv_door_reads_it_as_the_empty_cell(tmp_path: Path) -> None:
    write_org(tmp_path / "org.json")
    path = tmp_path / "2026-08.csv"
    _mixed("\u200b").to_csv(path, index=False)
    code, out, err = run("classify", str(path), "--org", str(tmp_path / "org.json"), "--out",
                         str(tmp_path / "r.json"))  # fmt: skip
    assert code == 0, (out, err)
    assert _by_person(read_results(tmp_path / "r.json")) == BY_HAND
