"""JSON documents (schema evalkit/1) and results exported to JSON, Excel and CSV."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalkit import Assessment, Organisation, Position, Staff, Unit, score
from evalkit.errors import InputError
from evalkit.io.jsonio import SCHEMA, from_json, read_json, to_json, write_json
from evalkit.io.results import read_results, write_results
from tests.helpers import general

_SCORES = {**general(28), "so_luong": 90, "chat_luong": 100, "tien_do": 80}


@given(
    scores=st.dictionaries(st.sampled_from(list(_SCORES)), st.floats(0, 100), max_size=8),
    grade=st.sampled_from([None, "HTXS", "HTT", "HT", "KHT"]),
    discipline=st.integers(0, 5),
    kpi=st.one_of(st.none(), st.just(0.0), st.floats(1, 100)),  # 0.5: 50 % typed as 0.5
    month=st.integers(1, 12),
)
def test_every_assessment_round_trips(
    scores: dict[str, float], grade: str | None, discipline: int, kpi: float | None, month: int
) -> None:
    """cattrs round trip: what is written is what is read."""
    a = Assessment("CC-1", f"2026-{month:02d}", manager_scores=scores, proposed_grade=grade,
                   discipline=discipline, kpi=kpi, self_comment="Tự nhận xét: tốt")
    assert from_json(to_json(a)) == a


def test_results_and_organisations_round_trip() -> None:
    """EvaluationResult with reasons, and an Organisation with per-position maxima."""
    r = score(Assessment("CC-1", "2026-03", competent_scores=_SCORES, discipline=1))
    assert from_json(to_json(r)) == r
    org = Organisation(units=[Unit("U1", "Phòng A", head_id="S1")],
                       positions=[Position("P1", "Chuyên viên", maxima={"pham_chat_dao_duc": 4})],
                       staff=[Staff("S1", "Nguyễn Văn An", "P1", "U1")])
    assert from_json(to_json(org)) == org


def test_encoding_is_the_documented_one() -> None:
    """Period as '2026-03', Grade as its code, Scores as an object, Discipline as 0-5."""
    r = score(Assessment("CC-1", "2026-03", competent_scores=_SCORES))
    doc = json.loads(to_json(r))
    assert doc["schema"] == SCHEMA and doc["kind"] == "EvaluationResult"
    assert doc["data"]["period"] == "2026-03" and doc["data"]["grade"] == "HTXS"
    assert doc["data"]["components"] == {"general": 28.0, "tasks": 63.0}
    a = json.loads(to_json(Assessment("X", "2026-03", discipline=2)))
    assert a["data"]["discipline"] == 2


def test_a_newer_schema_is_refused_with_its_name() -> None:
    """A document from evalkit/2 is not guessed at."""
    with pytest.raises(InputError, match="evalkit/2"):
        from_json('{"schema": "evalkit/2", "kind": "Assessment", "data": {}}')


def test_invalid_data_names_the_problem() -> None:
    """A month 13 is reported, not a traceback."""
    bad = '{"schema": "evalkit/1", "kind": "Assessment", "data": {"staff_id": "A", "period": "2026-13"}}'
    with pytest.raises(InputError, match="month 13"):
        from_json(bad)


def test_write_json_is_atomic_and_readable(tmp_path: Path) -> None:
    """A file written is complete and reads back; no temporary file is left."""
    a = Assessment("CC-1", "2026-03")
    path = write_json(tmp_path / "a.json", [a, a])
    assert read_json(path) == [a, a]
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def _results() -> pd.DataFrame:
    df = pd.DataFrame({"staff_id": ["A", "B", "C"], "unit_id": ["U1", "U1", "U2"],
                       "period": ["2026-03"] * 3, "total": [91.0, 72.5, None],
                       "grade": pd.Categorical(["HTXS", "HTT", None])}, index=[2, 3, 4])
    df.attrs.update({"rule_set": "vn.nd335-2025", "period": "2026-03"})
    return df


def test_results_round_trip_through_json(tmp_path: Path) -> None:
    """Results JSON keeps rows, values and grades."""
    path = write_results(_results(), tmp_path / "r.json")
    back = read_results(path)
    assert back["total"].tolist()[:2] == [91.0, 72.5] and pd.isna(back["total"].iloc[2])
    assert back["grade"].astype(object).tolist()[:2] == ["HTXS", "HTT"]
    assert back.index.tolist() == [2, 3, 4]


def test_results_excel_has_people_and_grade_counts(tmp_path: Path) -> None:
    """One sheet per person, one of grade counts per unit with a total line."""
    wb = openpyxl.load_workbook(write_results(_results(), tmp_path / "r.xlsx"))
    assert wb.sheetnames == ["Kết quả", "Số lượng xếp loại"]
    counts = list(wb["Số lượng xếp loại"].iter_rows(values_only=True))
    assert counts[1] == ("U1", 1, 1, 0, 0, 0, 2)
    assert counts[-1] == ("(tổng)", 1, 1, 0, 0, 1, 3)


def test_results_csv_keeps_vietnamese(tmp_path: Path) -> None:
    """UTF-8 with BOM so Excel opens Vietnamese names correctly."""
    df = _results().assign(full_name=["Nguyễn Văn Ánh", "B", "C"])
    text = write_results(df, tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "Nguyễn Văn Ánh" in text and text.splitlines()[0].startswith("row,staff_id")


# ---------------------------------------------------------------- bad organisation documents


def _org_doc() -> dict[str, object]:
    org = Organisation(units=[Unit("U1", "Phòng A", head_id="H"), Unit("U2", "Tổ B", "U1")],
                       positions=[Position("P", "Chuyên viên")],
                       staff=[Staff("H", "Trần Thị Hoa", "P", "U1"),
                              Staff("S", "Lê Văn Sơn", "P", "U2")])  # fmt: skip
    doc: dict[str, object] = json.loads(to_json(org))
    return doc


def _bad_org_file(folder: Path) -> Path:
    """An organisation file with three bad values: a name written as an object, a yes/no
    written "maybe", a staff member without a unit."""
    doc = _org_doc()
    data = doc["data"]
    assert isinstance(data, dict)
    data["units"][0]["name"] = {"a": 1}
    data["positions"][0]["manages_others"] = "maybe"
    del data["staff"][1]["unit_id"]
    path = folder / "to-chuc.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_every_bad_value_of_an_organisation_is_located(tmp_path: Path) -> None:
    """Three bad values: three problems, each naming the file and the value's path; a
    yes/no written as text and a name written as an object are refused, never coerced
    (cattrs alone reads ``"maybe"`` as true and ``{"a": 1}`` as the text "{'a': 1}")."""
    path = _bad_org_file(tmp_path)
    with pytest.raises(InputError) as exc:
        read_json(path)
    got = [(p.file, p.column, p.message) for p in exc.value.problems]
    assert got == [
        (str(path), "name", "cannot read Organisation at $.units[0].name: {'a': 1} is not text"),
        (str(path), "manages_others",
         "cannot read Organisation at $.positions[0].manages_others: 'maybe' is not true or "
         "false"),
        (str(path), "unit_id",
         "cannot read Organisation at $.staff[1].unit_id: a required field is missing"),
    ]  # fmt: skip


def test_a_broken_structure_names_the_file_and_the_rule(tmp_path: Path) -> None:
    """The organisation's own checks (an unknown parent) are located at the document."""
    doc = _org_doc()
    data = doc["data"]
    assert isinstance(data, dict)
    data["units"][1]["parent_id"] = "ZZ"
    path = tmp_path / "to-chuc.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_json(path)
    [p] = exc.value.problems
    assert (p.file, p.message) == (
        str(path), "cannot read Organisation: unit 'U2' has unknown parent unit 'ZZ'")


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6)
                     | st.floats(allow_nan=False) | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                     max_leaves=6)  # fmt: skip


@given(where=st.integers(0, 10**6), value=_JSON, drop=st.booleans())
def test_any_mutated_organisation_is_read_or_located(where: int, value: object,
                                                     drop: bool) -> None:  # fmt: skip
    """One field of the organisation document replaced by any JSON value (or removed):
    the reader gives an Organisation whose field holds the value as written, or an
    InputError whose every problem names the file; nothing else escapes."""
    doc = _org_doc()
    data = doc["data"]
    assert isinstance(data, dict)
    fields = [(kind, i, key) for kind in ("units", "positions", "staff")
              for i, rec in enumerate(data[kind]) for key in rec]  # fmt: skip
    kind, i, key = fields[where % len(fields)]
    if drop:
        del data[kind][i][key]
    else:
        data[kind][i][key] = value
    org, problems = None, []
    try:
        org = from_json(json.dumps(doc), source="to-chuc.json")
    except InputError as exc:
        problems = list(exc.problems)
    if org is None:
        assert problems and all(p.file == "to-chuc.json" for p in problems)
        return
    assert isinstance(org, Organisation)
    if not drop and isinstance(value, bool | str):
        got = getattr(getattr(org, kind)[i], key)
        assert got == value or (isinstance(value, str) and str(got) == value.strip()) \
            or hasattr(got, "value")  # an enum (a category) parsed from its text


def test_a_bad_organisation_is_told_in_vietnamese_by_the_command_line(tmp_path: Path) -> None:
    """`evalkit template --org` with a bad organisation file: the problems in Vietnamese
    (the document's kind, what is wrong), each with the file and the value's path."""
    from tests._cli_helpers import run

    org = _bad_org_file(tmp_path)
    code, _out, err = run("template", str(tmp_path / "x.xlsx"), "--org", str(org),
                          "--period", "2026-03", "--rules", "vn.nd335-2025")  # fmt: skip
    assert code == 1
    lines = [ln.strip() for ln in err.splitlines() if ln.strip().startswith("-")]
    assert lines == [
        f"- {org}, cột 'name': không đọc được dữ liệu tổ chức tại $.units[0].name: "
        "{'a': 1} không phải là chữ",
        f"- {org}, cột 'manages_others': không đọc được dữ liệu tổ chức tại "
        "$.positions[0].manages_others: 'maybe' không phải là đúng/sai (true/false)",
        f"- {org}, cột 'unit_id': không đọc được dữ liệu tổ chức tại $.staff[1].unit_id: "
        "thiếu trường bắt buộc",
    ]
    assert not (tmp_path / "x.xlsx").exists()
