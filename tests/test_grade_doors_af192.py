"""A grade no door can read gets ONE sentence at every door (issue 13: every door gives
the same answer; the wording lives once, in :mod:`evalkit.messages`, ``foreign.grade``):
a frame (``score_frame``, ``classify_frame``), an :class:`~evalkit.model.Assessment`, the
workbook (read in Python and ``evalkit validate``) and the year's conclusions. Before, the frames said
the generic "accepted: 0 = KHT, …" list and the workbook ``problem.grade``; and the
workbook refused the numbers 0 to 3 the frames read. Only the place differs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit import messages
from evalkit._columns import assessment_grades
from evalkit.errors import EvalkitError, InputError
from evalkit.io.archive import Archive
from evalkit.io.workbook import read_workbook
from evalkit.model import Assessment, Grade
from evalkit.units import classify_frame
from tests._archive_helpers import ND335, classified, month_inputs
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

#: the sentence, written by hand: the four codes, the full names, the numbers 0 to 3
SAID = {
    "en": "is not a grade: write HTXS, HTT, HT, KHT, its full name or a number from 0 (KHT) "
          "to 3 (HTXS)",
    "vi": "không phải là mức xếp loại: ghi HTXS, HTT, HT, KHT, tên đầy đủ của mức hoặc số từ 0 "
          "(KHT) đến 3 (HTXS)"}
#: a letter, an unaccented near-name, a code with a digit, a number above 3, a fraction
BAD: list[Any] = ["A", "xuat sac", "HTXS 2", 7, 2.5]


def test_the_catalogue_holds_the_sentence_once() -> None:
    """One entry; the former ``problem.grade`` and ``problem.grade_set`` are gone."""
    keys = [k for k, (_vi, en) in messages.CATALOGUE.items() if en.startswith("is not a grade:")]
    assert keys == ["foreign.grade"]
    assert "problem.grade" not in messages.CATALOGUE
    assert "problem.grade_set" not in messages.CATALOGUE
    assert messages.translate(SAID["en"], "vi") == SAID["vi"]


def _bare(sentence: str) -> str:
    sentence = re.sub(r"^(cell|ô) [A-Z]+\d+: ", "", sentence)
    return re.sub(r" \((staff|người được đánh giá) '[^']*'\)$", "", sentence)


def _only(err: EvalkitError | pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    exc = err.value if isinstance(err, pytest.ExceptionInfo) else err
    assert isinstance(exc, InputError), exc
    found = [p for p in exc.problems if p.column == "competent_grade"]
    assert len(found) == 1, exc.problems
    return _bare(found[0].message), _bare(messages.sentence(found[0], "vi"))


@pytest.mark.parametrize("value", BAD)
def test_a_bad_grade_is_said_alike_at_every_door(tmp_path: Path, value: Any) -> None:
    expected = (SAID["en"], SAID["vi"])
    staff, units = month_inputs("2026-03", {"A": 100.0, "B": 80.0},
                                extra={"A": {"competent_grade": value}})
    with pytest.raises(InputError) as err:
        evalkit.score_frame(staff, ND335, force=True)
    assert _only(err) == expected
    with pytest.raises(InputError) as err:
        classify_frame(staff, units, ND335, force=True)
    assert _only(err) == expected
    with pytest.raises(EvalkitError) as obj:  # a word: kept for the set, read when scored
        assessment_grades(Assessment("A", "2026-03", competent_grade=value), {})
    assert str(obj.value) == f"competent_grade {value!r} (staff 'A', 2026-03) {SAID['en']}"
    book = filled_workbook(tmp_path / "thang.xlsx", [person("A", competent_grade=value)])
    _frame, problems = read_workbook(book)
    assert _only(InputError(problems)) == expected
    code, _out, said = run("validate", str(book))
    assert code == 1 and SAID["vi"] in said
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    concluded = pd.DataFrame({"staff_id": ["A"], "competent_grade": pd.Series([value], dtype=object),
                              "competent_reason": ["Lý do"]})  # fmt: skip
    with Archive(tmp_path / "a.sqlite") as arc:  # the year's conclusions
        arc.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        with pytest.raises(InputError) as err:
            arc.annual(2026, conclusions=concluded)
    assert _only(err) == expected


@pytest.mark.parametrize(("value", "grade"), [("htxs", Grade.HTXS), (3, Grade.HTXS),
                                              ("hoan thanh tot", Grade.HTT), ("0", Grade.KHT)])
def test_a_grade_every_door_reads_is_the_same_grade(tmp_path: Path, value: Any,
                                                    grade: Grade) -> None:  # fmt: skip
    """"htxs" (case ignored, as every name's) and the number 3 are HTXS at the frames and
    the workbook alike (the workbook refused 3 before); "HTXS+" is none
    (tests/test_bad_names_af197.py)."""
    staff, _units = month_inputs("2026-03", {"A": 100.0, "B": 80.0},
                                 extra={"A": {"competent_grade": value,
                                              "competent_reason": "Lý do"}})
    scored = evalkit.score_frame(staff, ND335, force=True)  # (rows as given: A first)
    assert str(scored["competent_grade"].iloc[0]) == grade.code
    book = filled_workbook(tmp_path / "thang.xlsx", [person("A", competent_grade=value)])
    frame, problems = read_workbook(book)
    assert not [p for p in problems if p.column == "competent_grade"]
    assert frame.loc[frame["staff_id"] == "A", "competent_grade"].iloc[0] == grade.code


#: a staff category no door reads, said once (``foreign.category``; the frames said the
#: model's own English "…; expected one of can_bo, …" before, the workbook this one)
CATEGORY = {"en": "unknown staff category 'giao_vien' (cong_chuc, vien_chuc, can_bo, hop_dong)",
            "vi": "nhóm 'giao_vien' không có (cong_chuc, vien_chuc, can_bo, hop_dong)"}


def test_a_bad_category_is_said_alike_at_every_door(tmp_path: Path) -> None:
    staff, units = month_inputs("2026-03", {"A": 100.0, "B": 80.0},
                                extra={"A": {"category": "giao_vien"}})

    def said(exc: BaseException) -> tuple[str, str]:
        assert isinstance(exc, InputError), exc
        found = [p for p in exc.problems if p.column == "category"
                 and "giao_vien" in p.message]  # fmt: skip
        assert len(found) == 1, exc.problems
        return _bare(found[0].message), _bare(messages.sentence(found[0], "vi"))

    expected = (CATEGORY["en"], CATEGORY["vi"])
    with pytest.raises(InputError) as err:
        evalkit.score_frame(staff, force=True)
    assert said(err.value) == expected
    with pytest.raises(InputError) as err:
        classify_frame(staff, units, force=True)
    assert said(err.value) == expected
    with pytest.raises(EvalkitError) as obj:
        evalkit.StaffCategory.parse("giao_vien")
    assert str(obj.value) == CATEGORY["en"]
    book = filled_workbook(tmp_path / "thang.xlsx", [person("A", category="giao_vien")])
    _frame, problems = read_workbook(book)
    assert said(InputError(problems)) == expected
    code, _out, err_text = run("validate", str(book))
    assert code == 1 and CATEGORY["vi"] in err_text
