"""CLI inputs that were silently ignored or hid each other (af121).

Found by earlier hunts, each failing on the code before this change:

- ``annual --conclusions`` with a misspelt header (``grade`` for ``competent_grade``)
  ignored the conclusion: the year kept the score's grade, exit 0; ``classify_year``
  (the Python door) did the same;
- ``annual --unit-grades F --conclusions G`` with both files bad said F's problems only
  (the units' grades were checked, and refused, before the conclusions were looked at;
  an unreadable file hid the other file's problems);
- ``org ORG.json --out ORG.json`` rewrote the file without ``--force``.
"""

from __future__ import annotations

import json
import string
from pathlib import Path

import hypothesis.strategies as st
import pandas as pd
import pytest
from hypothesis import assume, given

import evalkit
from evalkit.errors import InputError
from evalkit.scoring import CONCLUSION_COLUMNS, assessments_to_frame
from tests._cli_helpers import org_file, run
from tests._io_helpers import filled_workbook, person


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finalized March of unit P1: A 91 (HTXS by its score, HTT for the year: NĐ 335's
    quota of 20 % leaves no HTXS for two people) and B 88.67 (28 + (90 + 90 + 80) / 3 ×
    0.7, HTT)."""
    d = tmp_path_factory.mktemp("af121")
    wb = filled_workbook(d / "t.xlsx", [person("A"), person("B", chat_luong=90)])
    path = d / "a.sqlite"
    code, _, err = run("finalize", str(wb), "--archive", str(path), "--by", "x")
    assert code == 0, err
    return path


def _csv(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _annual(archive: Path, *more: str) -> tuple[int, str, str]:
    return run("annual", "--archive", str(archive), "--year", "2026", *more)


# =========================================================================== 1. unknown columns


@pytest.mark.parametrize(("header", "meant"), [
    ("staff_id,grade,competent_reason", None),  # the grade under a header the year never reads
    ("staf_id,competent_grade,competent_reason", "staff_id"),
    ("staff_id,Competent_Grade,competent_reason", "competent_grade"),
])  # fmt: skip
def test_a_misspelt_conclusions_column_is_refused_at_its_file(
    archive: Path, tmp_path: Path, header: str, meant: str | None
) -> None:
    """B concluded HT (below the score's HTT) with its reason under a misspelt header:
    refused, exit 1, naming the file, the column and the names read — never the year
    classified without the conclusion."""
    path = _csv(tmp_path, "ket-luan.csv", header + "\nB,HT,chậm tiến độ\n")
    out = tmp_path / "nam.json"
    code, _, err = _annual(archive, "--conclusions", path, "--out", str(out))
    bad = next(c for c in header.split(",") if c not in CONCLUSION_COLUMNS)
    assert code == 1, err
    assert f"{path}, cột {bad!r}: cột không xác định {bad!r}" in err
    assert "các cột được đọc: staff_id, period, competent_grade, competent_reason" in err
    assert (f"(có phải là {meant!r}?)" in err) == (meant is not None)
    assert "unknown" not in err and not out.exists()


def test_the_refusal_in_english_and_json(archive: Path, tmp_path: Path) -> None:
    path = _csv(tmp_path, "c.csv", "staff_id,grade\nB,HT\n")
    code, _, err = _annual(archive, "--conclusions", path, "--lang", "en")
    assert code == 1 and f"{path}, column 'grade': unknown column 'grade'" in err
    code, out, _ = _annual(archive, "--conclusions", path, "--json")
    doc = json.loads(out)
    assert code == 1 and [(p["file"], p["column"]) for p in doc["problems"]] == [(path, "grade")]


def test_the_words_of_the_sheets_and_own_columns_are_accepted(archive: Path,
                                                             tmp_path: Path) -> None:
    """Every column the conclusions are read for (the sheets' words too) and a column of
    the user's own (``_ghi_chu``) pass; the conclusion applies (B: HT, by hand)."""
    path = _csv(tmp_path, "c.csv", ",".join((*CONCLUSION_COLUMNS, "_ghi_chu")) + "\n"
                "B,2026,HT,chậm tiến độ,,tự nhận xét,HTT,nhận xét,HTT,kết luận,x\n")  # fmt: skip
    out = tmp_path / "nam.json"
    code, _, err = _annual(archive, "--conclusions", path, "--out", str(out))
    assert code == 0, err
    rows = {r["staff_id"]: r for r in json.loads(out.read_text("utf-8"))["data"]["rows"]}
    assert rows["B"]["annual_grade"] == "HT" and rows["A"]["annual_grade"] == "HTT"


def _year() -> pd.DataFrame:
    """Two people's year under NĐ 335: 95 and 80 (HTXS and HTT by the score; A is HTT
    for the year: 20 % of two people is no HTXS)."""
    return pd.DataFrame({"staff_id": ["A", "B"], "period": "2026-12", "unit_id": "U",
                         "rule_set": "vn.nd335-2025", "total": [95.0, 80.0]})  # fmt: skip


def test_the_python_door_refuses_in_the_same_place() -> None:
    """``classify_year(conclusions=...)``: the same refusal, with every other problem of
    the conclusions (a person with no year)."""
    said = pd.DataFrame({"staff_id": ["B", "Z"], "grade": ["HT", "HT"]})
    with pytest.raises(InputError) as info:
        evalkit.classify_year(_year(), conclusions=said)
    got = [(p.row, p.column) for p in info.value.problems]
    assert got == [(None, "grade"), (1, "staff_id")]  # the header first, then the rows
    assert "unknown column 'grade'" in info.value.problems[0].message


def test_the_objects_door_frame_is_a_conclusions_frame() -> None:
    """What ``assessments_to_frame`` writes (facts, each level's words and scores) is no
    unknown column: B concluded HT with its reason applies (HTT → HT), A untouched."""
    a = evalkit.Assessment("B", "2026", competent_grade="HT", competent_reason="chậm",
                           competent_scores={"chat_luong": 90}, self_comment="x",
                           events={"inspection_findings": 1})  # fmt: skip
    said = assessments_to_frame([a], levels=True)
    assert {"competent__chat_luong", "self_comment", "kpi"} <= set(said.columns)
    out = evalkit.classify_year(_year(), conclusions=said).set_index("staff_id")
    assert out.loc["B", "grade"] == "HT" and out.loc["A", "grade"] == "HTT"
    assert "competent.concluded" in out.loc["B", "reasons"]


_NAMES = st.text(string.ascii_lowercase + "_", min_size=1, max_size=12)
_CRITERIA = {rid for rs in evalkit.rules.default_registry() for rid in rs.input_ids}


@given(_NAMES)
def test_a_column_the_objects_door_does_not_write_is_refused_by_name(name: str) -> None:
    """Property: a column that ``assessments_to_frame`` never writes (nor a criterion, nor
    the user's own ``_…``/``x_…``) is refused by name, never silently ignored."""
    written = set(assessments_to_frame([evalkit.Assessment("B", "2026")], levels=True).columns)
    assume(name not in written and name not in _CRITERIA and not name.startswith(("_", "x_"))
           and not name.startswith(("self__", "manager__", "competent__")))
    said = pd.DataFrame({"staff_id": ["B"], "competent_grade": ["HT"],
                         "competent_reason": ["chậm"], name: ["x"]})  # fmt: skip
    with pytest.raises(InputError) as info:
        evalkit.classify_year(_year(), conclusions=said)
    assert [p.column for p in info.value.problems] == [name]


# =========================================================================== 2. both files


UNIT_BAD = "unit_id,grade\nP1,QQ\n"
CONCLUSIONS_BAD = "staff_id,competent_grade,competent_reason\nB,XX,lý do\nZZ,HT,lý do\n"


@pytest.mark.parametrize(("units", "conclusions", "want"), [
    # both read, both with bad cells: the unit's grade and the two conclusions
    (UNIT_BAD, CONCLUSIONS_BAD, {("u", 2), ("c", 2), ("c", 3)}),
    # a unit grades file without its unit_id column, and the bad conclusions
    ("unit,grade\nP1,HT\n", CONCLUSIONS_BAD, {("u", 1), ("c", 2), ("c", 3)}),
    # an empty conclusions file, and the unit's bad grade
    (UNIT_BAD, "", {("c", 1), ("u", 2)}),
    # a misspelt conclusions header, and the unit's bad grade
    (UNIT_BAD, "staff_id,grade\nB,HT\n", {("c", None), ("u", 2)}),
])  # fmt: skip
def test_both_files_problems_are_said_each_at_its_file(
    archive: Path, tmp_path: Path, units: str, conclusions: str, want: set[tuple[str, int | None]]
) -> None:
    u = _csv(tmp_path, "u.csv", units)
    c = _csv(tmp_path, "c.csv", conclusions)
    out = tmp_path / "nam.csv"
    code, doc, _ = _annual(archive, "--unit-grades", u, "--conclusions", c, "--out", str(out),
                           "--json")  # fmt: skip
    assert code == 1 and not out.exists()
    got = {(Path(p["file"]).stem, p.get("row")) for p in json.loads(doc)["problems"]}
    assert got == want


def test_a_good_unit_grades_file_beside_an_unreadable_conclusions_file(
    archive: Path, tmp_path: Path
) -> None:
    """The good file adds nothing: the unreadable one's problem alone, nothing written."""
    u = _csv(tmp_path, "u.csv", "unit_id,grade\nP1,HTT\n")
    c = _csv(tmp_path, "c.csv", "")
    out = tmp_path / "nam.csv"
    code, _, err = _annual(archive, "--unit-grades", u, "--conclusions", c, "--out", str(out))
    assert code == 1 and err.startswith("Có 1 lỗi:") and f"{c}, dòng 1: tệp trống" in err
    assert not out.exists()


# =========================================================================== 3. org --out


@pytest.fixture
def org(tmp_path: Path) -> Path:
    return org_file(tmp_path, "unit_id,name\nP1,Phòng 1\n", "position_id,title\nCV,Chuyên viên\n",
                    "staff_id,full_name,unit_id,position_id\nA,Người A,P1,CV\n")  # fmt: skip


def test_org_does_not_rewrite_the_file_it_checks_without_force(org: Path) -> None:
    typed = org.read_text("utf-8").replace("{", "{ ", 1)  # the file as the user left it
    org.write_text(typed, encoding="utf-8")
    code, _, err = run("org", str(org), "--out", str(org))
    assert code == 1 and f"tệp {org} đã có" in err and "--force" in err
    assert org.read_text("utf-8") == typed
    code, _, err = run("org", str(org), "--out", str(org), "--lang", "en")
    assert code == 1 and f"{org} already exists" in err
    code, _, err = run("org", str(org), "--out", str(org), "--force")
    assert code == 0, err
    assert org.read_text("utf-8") != typed and json.loads(org.read_text("utf-8"))


def test_org_does_not_replace_another_existing_file(org: Path, tmp_path: Path) -> None:
    other = tmp_path / "khac.json"
    other.write_text("giữ nguyên", encoding="utf-8")
    code, _, err = run("org", str(org), "--out", str(other))
    assert code == 1 and "đã có" in err and other.read_text("utf-8") == "giữ nguyên"
