"""Names read the same at every door, and bad names refused at every door (issue 13: every
door gives the same answer; bad input gets a clear error naming the file, sheet, row,
column and value, all errors collected).

1. One fold of a name (:func:`evalkit._words.fold`) for the frames, the objects, the
   workbook and the inspections table: no reader keeps a fold of its own.
2. Only the separators a person types between words (white space, ``_``, ``-``) fold: a
   grade, a discipline, a leave or a yes/no word with a stray symbol (``HTXS+``,
   ``H.T.T``, ``HT!``, ``khiển trách!``) is a foreign value, said with the catalogue's one
   sentence (``foreign.grade``, ``foreign.discipline``, ``foreign.leave``,
   ``foreign.yes_no_value``), never read as the word.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
from evalkit import messages
from evalkit._columns import assessment_grades
from evalkit._words import fold
from evalkit.errors import EvalkitError, InputError
from evalkit.io.archive import Archive, check_results
from evalkit.io.inspections import read_inspections
from evalkit.io.results import read_results, results_document
from evalkit.io.tasks import task_components
from evalkit.io.workbook import (
    POSITIONS_SHEET,
    SCORES_SHEET,
    TASKS_SHEET,
    UNITS_SHEET,
    read_workbook,
)
from evalkit.model import Assessment, Discipline, Grade
from evalkit.units import classify_frame
from tests._archive_helpers import ND335, classified, month_inputs
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

ROOT = Path(evalkit.__file__).parent


# ------------------------------------------------------------------ 1. one fold of a name


def test_no_reader_keeps_a_fold_of_its_own() -> None:
    """The one fold lives in ``evalkit/_words.py``; the workbook and the inspections
    reader folded names their own way (separators to one space, punctuation kept) while
    the frames dropped every non-word character."""
    own = []
    for path in sorted(ROOT.rglob("*.py")):
        if path == ROOT / "_words.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef) and node.name in ("_fold", "fold")]
    assert own == []


def test_the_inspections_headers_fold_as_every_name(tmp_path: Path) -> None:
    """A header with its words run together or joined by ``_`` reads as its column."""
    path = tmp_path / "kiem-tra.csv"
    path.write_text("NGAY_KIEM-TRA,Cơ quan kiểm tra,Mãcôngchức,Nội dung,Mức độ,Số văn bản\n"
                    "12/03/2026,Sở Nội vụ,CC-1,Đi muộn,nhẹ,15/TB\n", encoding="utf-8")
    found = read_inspections(path)
    assert found[["inspected_on", "staff_id"]].values.tolist() == [["2026-03-12", "CC-1"]]


def test_the_fold_drops_only_separators_between_words() -> None:
    assert fold("Khiển trách") == fold("KHIEN_TRACH") == fold(" khien - trach ") \
        == fold("khientrach")  # fmt: skip
    assert len({fold(x) for x in ("HTXS", "HTXS+", "H.T.X.S", "HTXS!", "-HTXS", "HTXS_")}) == 6


# ------------------------------------------------- 2. a stray symbol makes a foreign value

#: field -> (a value with a stray symbol, the catalogue's sentence); a separator a person
#: types between words (space, ``_``, ``-``) is no stray symbol, anything else is
STRAY: list[tuple[str, Any, str]] = [
    ("competent_grade", "HTXS+", "foreign.grade"),
    ("competent_grade", "H.T.T", "foreign.grade"),
    ("competent_grade", "HT!", "foreign.grade"),
    ("competent_grade", "-HT", "foreign.grade"),
    ("competent_grade", "Hoàn thành tốt nhiệm vụ.", "foreign.grade"),
    ("discipline", "khiển trách!", "foreign.discipline"),
    ("discipline", "khien.trach", "foreign.discipline"),
    ("leave", "thai sản?", "foreign.leave"),
    ("degradation", "x!", "foreign.yes_no_value"),
]


def _said(key: str) -> tuple[str, str]:
    m = evalkit._columns.grade_sentence({}) if key == "foreign.grade" else messages.msg(key)
    return m.text("en"), m.text("vi")


def _bare(sentence: str) -> str:
    sentence = re.sub(r"^(cell|ô) [A-Z]+\d+: ", "", sentence)
    return re.sub(r" \((staff|người được đánh giá) '[^']*'\)$", "", sentence)


def _one(exc: BaseException, column: str) -> tuple[str, str]:
    assert isinstance(exc, InputError), exc
    found = [p for p in exc.problems if p.column == column]
    assert len(found) == 1, exc.problems
    return _bare(found[0].message), _bare(messages.sentence(found[0], "vi"))


@pytest.mark.parametrize(("column", "value", "key"), STRAY)
def test_a_stray_symbol_is_refused_alike_at_every_door(tmp_path: Path, column: str,
                                                       value: Any, key: str) -> None:  # fmt: skip
    """Frames, objects, workbook and ``evalkit validate`` refuse it with one sentence,
    naming the column and the value (before: read as the word, ``HTXS+`` as HTXS)."""
    expected = _said(key)
    scores = {} if column == "leave" else None  # a month on leave has no scores
    staff, units = month_inputs("2026-03", {"A": 100.0, "B": 80.0},
                                extra={"A": {column: value}})
    if scores is not None:
        staff = staff.astype(object)
        for c in staff.columns:
            if c not in ("staff_id", "full_name", "unit_id", "period", "discipline", "leave"):
                staff.loc[0, c] = None
    with pytest.raises(InputError) as err:
        evalkit.score_frame(staff, ND335, force=True)
    assert _one(err.value, column) == expected
    with pytest.raises(InputError) as err:
        classify_frame(staff, units, ND335, force=True)
    assert _one(err.value, column) == expected
    if column == "competent_grade":  # kept as typed, read under the set it is scored by
        with pytest.raises(EvalkitError) as obj:
            assessment_grades(Assessment("A", "2026-03", competent_grade=value), {})
    elif column in ("discipline", "leave"):
        with pytest.raises(EvalkitError) as obj:
            Assessment("A", "2026-03", **{column: value})
    if column in ("competent_grade", "discipline", "leave"):
        assert str(obj.value) == f"{column} {value!r} (staff 'A', 2026-03) {expected[0]}"
    row = person("A", **{column: value})
    if column == "leave":
        row = {k: row[k] for k in ("staff_id", "full_name", "position_id", "unit_id", "leave")}
    book = filled_workbook(tmp_path / "thang.xlsx", [row])
    _frame, problems = read_workbook(book)
    found = [p for p in problems if p.column == column]
    assert len(found) == 1 and found[0].value == value and found[0].row == 2, problems
    assert found[0].sheet and found[0].file == str(book)
    assert _one(InputError(found), column) == expected
    code, _out, said = run("validate", str(book))
    assert code == 1 and expected[1] in said and repr(value) in said


#: the spellings the docs show (docs/workbook.md, docs/units.md, docs/monthly-script.md)
#: and the separators a person types between words, each read as the word
DOCUMENTED: list[tuple[str, Any, Any]] = [
    ("competent_grade", "HTXS", "HTXS"),
    ("competent_grade", "Hoàn thành tốt nhiệm vụ", "HTT"),
    ("competent_grade", "hoan-thanh  tot", "HTT"),
    ("discipline", "Khiển trách", float(Discipline.REPRIMAND)),
    ("discipline", "khien_trach", float(Discipline.REPRIMAND)),
    ("discipline", "REPRIMAND", float(Discipline.REPRIMAND)),
    ("discipline", "Hạ bậc lương / giáng chức", float(Discipline.DEMOTION)),
    ("degradation", "Có", True),
]


@pytest.mark.parametrize(("column", "value", "read"), DOCUMENTED)
def test_the_documented_spellings_still_read(tmp_path: Path, column: str, value: Any,
                                             read: Any) -> None:  # fmt: skip
    staff, _units = month_inputs("2026-03", {"A": 100.0, "B": 80.0},
                                 extra={"A": {column: value, "competent_reason": "Lý do"}})
    scored = evalkit.score_frame(staff, ND335, force=True)
    if column == "competent_grade":
        assert str(scored["competent_grade"].iloc[0]) == read
    elif column == "discipline":
        assert scored["grade"].iloc[0] == Grade.KHT.code  # reprimanded or heavier: KHT
    book = filled_workbook(tmp_path / "thang.xlsx", [person("A", **{column: value})])
    frame, problems = read_workbook(book)
    assert not [p for p in problems if p.column == column]
    assert frame.loc[frame["staff_id"] == "A", column].iloc[0] == read


def test_a_category_is_read_by_the_one_fold() -> None:
    """``Hop dong`` (accents dropped) is a contract worker; ``cong_chuc!`` is none."""
    parse = evalkit.StaffCategory.parse
    assert parse("Hop dong") == parse("Người lao động hợp đồng") == parse("HOP_DONG")
    with pytest.raises(EvalkitError, match="unknown staff category 'cong_chuc!'"):
        parse("cong_chuc!")


# ------------------------------------------------------ 4. a task id given on two rows

def _task(task_id: str, who: str = "A") -> dict[str, Any]:
    return {"task_id": task_id, "assignee": who, "assigned": "2026-03-01", "due": "2026-03-10",
            "done": "2026-03-09"}


def test_a_task_id_given_again_is_reported_at_every_door(tmp_path: Path) -> None:
    """Each repeat of a task id (after the first) is one problem naming the sheet, its row,
    the first row, the column and the value (before: both rows counted, unsaid)."""
    rows = [_task("T1"), _task("T2"), _task("T1", "B"), _task(" T1")]
    with pytest.raises(InputError) as err:  # the frames' door
        task_components(pd.DataFrame(rows, index=[10, 11, 12, 13]))
    said = [(p.row, p.column, p.value, p.message) for p in err.value.problems]
    assert said == [(12, "task_id", "T1", "the task id 'T1' is on row 10 already: one row per "
                                          "task"),
                    (13, "task_id", " T1", "the task id 'T1' is on row 10 already: one row per "
                                           "task")]  # fmt: skip
    book = filled_workbook(tmp_path / "thang.xlsx", [person("A"), person("B")], tasks=rows)
    _frame, problems = read_workbook(book)
    found = [p for p in problems if p.column == "task_id"]
    assert [(p.file, p.sheet, p.row, p.value) for p in found] == [
        (str(book), "Nhiệm vụ", 4, "T1"), (str(book), "Nhiệm vụ", 5, "T1")]
    assert all(messages.sentence(p, "vi").endswith(
        "mã nhiệm vụ 'T1' đã có ở dòng 2: mỗi nhiệm vụ ghi một dòng") for p in found)
    code, _out, err_text = run("validate", str(book))
    assert code == 1 and "mã nhiệm vụ 'T1' đã có ở dòng 2" in err_text


# ----------------------------------- 5. a stored or read-back grade: the one grade sentence


def test_a_bad_grade_in_results_is_said_with_the_one_sentence(tmp_path: Path) -> None:
    """The results file's reader, the archive's check of a month's results and of its unit
    results said a bad grade their own way ("must be one of …", "is not a grade code");
    now every door's sentence (``foreign.grade``), and what that sentence accepts is read."""
    en, vi = _said("foreign.grade")
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    results.attrs.update(units=unit_results, unit_inputs=inputs, period="2026-03")
    doc = results_document(results)
    doc["data"]["rows"][0]["grade"] = "HTXS+"
    path = tmp_path / "ket-qua.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_results(path)
    assert [(p.row, p.column, p.value, p.message, p.staff_id) for p in err.value.problems] == [
        (1, "grade", "HTXS+", en, "A")]
    assert messages.sentence(err.value.problems[0], "vi").endswith(vi)
    doc["data"]["rows"][0]["grade"] = "Hoàn thành xuất sắc nhiệm vụ"  # read as every door
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert read_results(path)["grade"].astype(str).tolist() == ["HTXS", "HTT"]
    bad = results.copy()
    bad["grade"] = bad["grade"].astype(object)
    bad.loc[0, "grade"] = "H.T.X.S"
    assert [(p.column, p.value, p.message) for p in check_results(bad)] == [
        ("grade", "H.T.X.S", f"{en} (staff 'A')")]
    units = unit_results.copy()
    units["grade"] = units["grade"].astype(object)
    units.loc[0, "grade"] = "HT!"
    with Archive(tmp_path / "a.sqlite") as arc:
        with pytest.raises(InputError) as err:
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        (p,) = err.value.problems
        assert (p.column, p.value, p.message) == ("grade", "HT!", f"unit results: {en}")
        assert messages.sentence(p, "vi").endswith(f"Kết quả xếp loại đơn vị: {vi}")
        named = results.copy()  # a full name and a number kept as the codes they are
        named["grade"] = named["grade"].astype(object)
        named.loc[0, "grade"], named.loc[1, "grade"] = "Hoàn thành xuất sắc nhiệm vụ", 2
        arc.finalize(named, by="TCCB", units=unit_results, unit_inputs=inputs)
        assert arc.month("2026-03")["grade"].astype(str).tolist() == ["HTXS", "HTT"]


def test_the_former_grade_sentences_are_gone() -> None:
    for key in ("archive.check.not_grade", "archive.check.units.not_grade",
                "foreign.results.grade"):
        assert key not in messages.CATALOGUE


# ------------------------------------------- 3. a control character in a name is refused

CONTROL = {"en": "holds a control character (NUL, tab, line break …), which no sheet can "
                 "print: type it again without it",
           "vi": "chứa ký tự điều khiển (NUL, tab, xuống dòng …) mà phiếu không in được: gõ "
                 "lại mà không có ký tự đó"}


@pytest.mark.parametrize("name", ["Người\x00A", "Người\tA", "Người\nA", "Người A\r", "Người\x85A"])
def test_a_control_character_in_a_name_is_refused_at_every_door(tmp_path: Path,
                                                                 name: str) -> None:  # fmt: skip
    """A NUL, a tab, a line break (at an edge too: a space is trimmed, a control character is
    not a space) or a C1 control in a full name was accepted and reached the PDF."""
    staff, units = month_inputs("2026-03", {"A": 100.0, "B": 80.0},
                                extra={"A": {"full_name": name}})
    for call in (lambda: evalkit.score_frame(staff, ND335, force=True),
                 lambda: classify_frame(staff, units, ND335, force=True)):
        with pytest.raises(InputError) as err:
            call()
        (p,) = [p for p in err.value.problems if p.column == "full_name"]
        assert (p.row, p.value, p.staff_id, p.message) == (0, name, "A", CONTROL["en"])
        assert repr(name) in str(p)  # the value shown escaped ('Người\x00A')
        assert messages.sentence(p, "vi").endswith(CONTROL["vi"])
    for make, field in ((lambda: evalkit.Staff("A", name, "CV", "U1"), "full_name"),
                        (lambda: evalkit.Staff("A", "N", "CV", "U1", title_vi=name), "title_vi"),
                        (lambda: evalkit.Unit("U1", name), "name"),
                        (lambda: evalkit.Unit("U1", "P", place=name), "place"),
                        (lambda: evalkit.Position("CV", name), "title_vi")):  # fmt: skip
        with pytest.raises(EvalkitError) as obj:
            make()
        assert str(obj.value) == f"{field} {name!r} {CONTROL['en']}"
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    results["full_name"] = results["full_name"].astype(object)
    results.loc[0, "full_name"] = name
    assert [(p.column, p.value, p.message) for p in check_results(results)] == [
        ("full_name", name, f"{CONTROL['en']} (staff 'A')")]
    with Archive(tmp_path / "a.sqlite") as arc, pytest.raises(InputError):
        arc.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)


def test_a_control_character_in_a_workbooks_names_is_refused(tmp_path: Path) -> None:
    """The score sheet's name and title, a unit's name, a position's title and a task's text:
    each refused naming the file, sheet, row, column and value, all collected."""
    book = filled_workbook(
        tmp_path / "thang.xlsx", [person("A", full_name="Người\tA", title_vi="Trưởng\nphòng")],
        units=[{"unit_id": "P1", "name": "Phòng\t1", "head_id": None}],
        positions=[{"position_id": "CV", "title": "Chuyên\nviên"}],
        tasks=[{**_task("T1"), "title": "Báo\tcáo"}])
    _frame, problems = read_workbook(book)
    found = sorted((p.sheet, p.row, p.column, p.value) for p in problems
                   if p.message.endswith(CONTROL["en"]))  # fmt: skip
    assert found == sorted([(SCORES_SHEET, 2, "full_name", "Người\tA"),
                            (SCORES_SHEET, 2, "title_vi", "Trưởng\nphòng"),
                            (UNITS_SHEET, 2, "name", "Phòng\t1"),
                            (POSITIONS_SHEET, 2, "title", "Chuyên\nviên"),
                            (TASKS_SHEET, 2, "title", "Báo\tcáo")])
    code, _out, said = run("validate", str(book))
    assert code == 1 and said.count(CONTROL["vi"]) == 5


def test_a_task_text_with_a_control_character_is_refused_in_a_frame() -> None:
    with pytest.raises(InputError) as err:
        task_components(pd.DataFrame([{**_task("T1"), "title": "Báo\x00cáo"}]))
    assert [(p.column, p.value, p.message) for p in err.value.problems] == [
        ("title", "Báo\x00cáo", CONTROL["en"])]


# ------------------------------------------------------------- the fold's invariants

_NAMES = sorted(evalkit._columns.GRADE_NAMES)


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(_NAMES), at=st.integers(0, 40),
       sep=st.sampled_from([" ", "_", "-", "  ", " - ", "\u00a0"]),
       symbol=st.sampled_from(list("+.!?*#/,;:()'\"")))  # fmt: skip
def test_a_grade_name_reads_with_separators_between_words_not_with_a_symbol(
        name: str, at: int, sep: str, symbol: str) -> None:  # fmt: skip
    """A separator typed between two letters or digits keeps the grade; a symbol anywhere
    (or a separator at an edge) makes the value no grade."""
    from evalkit._columns import grade_codes

    grade = evalkit._columns.GRADE_NAMES[name]
    i = at % (len(name) + 1)
    spaced = name[:i] + sep + name[i:] if 0 < i < len(name) and name[i - 1].isalnum() \
        and name[i].isalnum() else name  # fmt: skip
    values = pd.Series([spaced, name[:i] + symbol + name[i:], "_" + name], dtype=object)
    codes, bad = grade_codes(values)
    assert codes.tolist() == [grade, -1, -1] and bad.tolist() == [False, True, True]
