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
import re
from pathlib import Path
from typing import Any

import pytest

import evalkit
from evalkit import messages
from evalkit._columns import assessment_grades
from evalkit._words import fold
from evalkit.errors import EvalkitError, InputError
from evalkit.io.inspections import read_inspections
from evalkit.io.workbook import read_workbook
from evalkit.model import Assessment, Discipline, Grade
from evalkit.units import classify_frame
from tests._archive_helpers import ND335, month_inputs
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
