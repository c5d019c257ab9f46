"""A discipline no door can read gets ONE sentence at every door (issue 13: every door
gives the same answer; the wording lives once, in :mod:`evalkit.messages`): a frame
(``score_frame``, ``classify_frame``), an :class:`~evalkit.model.Assessment`, the workbook
(read in Python and ``evalkit validate``), the archive's check of a results frame and
``amend``. Only the place (file, sheet, row, column) differs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import evalkit
from evalkit import messages
from evalkit.errors import EvalkitError, InputError
from evalkit.io.archive import Archive
from evalkit.io.workbook import read_workbook
from evalkit.model import Assessment
from evalkit.units import classify_frame
from tests._archive_helpers import ND335, classified, month_inputs
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

#: the sentence, as written by hand from NĐ 112/2020's six levels (0 none … 5 dismissal)
SAID = {
    "en": "is not a discipline level 0 to 5 (0 none, 1 khiển trách, 2 cảnh cáo, 3 hạ bậc "
          "lương/giáng chức, 4 cách chức, 5 buộc thôi việc)",
    "vi": "không phải là mức kỷ luật 0 đến 5 (0 không, 1 khiển trách, 2 cảnh cáo, 3 hạ bậc "
          "lương/giáng chức, 4 cách chức, 5 buộc thôi việc)"}
#: text naming no level, a level above 5, a fraction, a negative number, a misspelt name
BAD: list[Any] = ["abc", 6, 1.5, -1, "khien trac"]


def test_the_catalogue_holds_the_sentence_once() -> None:
    """One entry; the two former ones (``problem.discipline``, ``archive.check.discipline``)
    are gone."""
    keys = [k for k, (_vi, en) in messages.CATALOGUE.items() if en == SAID["en"]]
    assert keys == ["foreign.discipline"]
    assert messages.msg("foreign.discipline").text("vi") == SAID["vi"]
    assert messages.translate(SAID["en"], "vi") == SAID["vi"]


def _only(err: EvalkitError | pytest.ExceptionInfo[Any]) -> tuple[Any, str, str]:
    exc = err.value if isinstance(err, pytest.ExceptionInfo) else err
    assert isinstance(exc, InputError), exc
    found = [p for p in exc.problems if p.column == "discipline"]
    assert len(found) == 1, exc.problems
    (p,) = found
    return p.value, _bare(p.message), _bare(messages.sentence(p, "vi"))


def _bare(sentence: str) -> str:
    """The sentence without its place: a workbook cell's address before it, the staff id
    after it (the archive's check of a results frame)."""
    sentence = re.sub(r"^(cell|ô) [A-Z]+\d+: ", "", sentence)
    return re.sub(r" \((staff|người được đánh giá) '[^']*'\)$", "", sentence)


@pytest.mark.parametrize("value", BAD)
def test_a_bad_discipline_is_said_alike_at_every_door(tmp_path: Path, value: Any) -> None:
    expected = (value, SAID["en"], SAID["vi"])
    # -- the frames
    staff, units = month_inputs("2026-03", {"A": 100.0, "B": 80.0},
                                extra={"A": {"discipline": value}})
    with pytest.raises(InputError) as err:
        evalkit.score_frame(staff, ND335, force=True)
    assert _only(err) == expected
    with pytest.raises(InputError) as err:
        classify_frame(staff, units, ND335, force=True)
    assert _only(err) == expected
    # -- the object
    with pytest.raises(EvalkitError) as obj:
        Assessment("A", "2026-03", discipline=value)
    assert str(obj.value) == f"discipline {value!r} (staff 'A', 2026-03) {SAID['en']}"
    # -- the workbook, in Python and on the command line
    book = filled_workbook(tmp_path / "thang.xlsx", [person("A", discipline=value)])
    _frame, problems = read_workbook(book)
    assert _only(InputError(problems))[1:] == expected[1:]
    code, _out, said = run("validate", str(book))
    assert code == 1
    assert "cột 'discipline', giá trị " in said and SAID["vi"] in said
    assert "accepted" not in said and "chấp nhận" not in said
    # -- the archive's check of a results frame, and amend
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    bad = results.astype({"discipline": object})
    bad.loc[bad["staff_id"] == "A", "discipline"] = value
    path = tmp_path / "a.sqlite"
    with Archive(path) as arc, pytest.raises(InputError) as err:
        arc.finalize(bad, by="TCCB", units=unit_results, unit_inputs=inputs)
    assert _only(err) == expected
    with Archive(path) as arc:
        arc.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        with pytest.raises(InputError) as err:
            arc.amend("2026-03", "A", {"discipline": value}, by="TCCB", why="Kỷ luật")
    assert _only(err) == expected


#: a kind of leave no door reads: the catalogue's one sentence (``foreign.leave``)
LEAVE = {"en": "is not a kind of leave (thai sản/maternity, ốm/sick, vắng/absent, or blank)",
         "vi": "không phải là loại nghỉ (thai sản, ốm, vắng; hoặc để trống)"}


@pytest.mark.parametrize("value", ["nghi phep", "holiday", 5])
def test_a_bad_kind_of_leave_is_said_alike_at_every_door(tmp_path: Path, value: Any) -> None:
    """The same for a kind of leave (blank = none; thai sản, ốm, vắng or their ids)."""
    def only(problems: Any) -> tuple[Any, str, str]:
        (p,) = [p for p in problems if p.column == "leave"]
        return p.value, _bare(p.message), _bare(messages.sentence(p, "vi"))

    expected = (value, LEAVE["en"], LEAVE["vi"])
    staff, units = month_inputs("2026-03", {"A": 100.0, "B": 80.0},
                                extra={"A": {"leave": value}})
    for door in (lambda: evalkit.score_frame(staff, ND335, force=True),
                 lambda: classify_frame(staff, units, ND335, force=True)):
        with pytest.raises(InputError) as err:
            door()
        assert only(err.value.problems) == expected
    with pytest.raises(EvalkitError) as obj:
        Assessment("A", "2026-03", leave=value)
    assert str(obj.value) == f"leave {value!r} (staff 'A', 2026-03) {LEAVE['en']}"
    book = filled_workbook(tmp_path / "thang.xlsx", [person("A", leave=value)])
    assert only(read_workbook(book)[1])[1:] == expected[1:]
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    path = tmp_path / "a.sqlite"
    with Archive(path) as arc:
        arc.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        with pytest.raises(InputError) as err:
            arc.amend("2026-03", "A", {"leave": value}, by="TCCB", why="Nghỉ")
    assert only(err.value.problems)[1:] == expected[1:]


#: a yes/no mark no door reads: the catalogue's one sentence (``foreign.yes_no_value``)
YES_NO = {"en": "is not a yes/no value: write x, có, yes, true or 1 for yes; leave blank or "
                "write không, no, false or 0 for no",
          "vi": "không phải là giá trị có/không: ghi x, có, yes, true hoặc 1 cho có; để trống "
                "hoặc ghi không, no, false hoặc 0 cho không"}


@pytest.mark.parametrize("value", ["maybe", "có lẽ", 2])
def test_a_bad_yes_no_mark_is_said_alike_at_every_door(tmp_path: Path, value: Any) -> None:
    """The same for a yes/no mark (``degradation``: NĐ 335/2025 Điều 20 k4)."""
    def only(problems: Any) -> tuple[str, str]:
        (p,) = [p for p in problems if p.column == "degradation"]
        return _bare(p.message), _bare(messages.sentence(p, "vi"))

    expected = (YES_NO["en"], YES_NO["vi"])
    staff, units = month_inputs("2026-03", {"A": 100.0, "B": 80.0},
                                extra={"A": {"degradation": value}})
    for door in (lambda: evalkit.score_frame(staff, ND335, force=True),
                 lambda: classify_frame(staff, units, ND335, force=True)):
        with pytest.raises(InputError) as err:
            door()
        assert only(err.value.problems) == expected
    with pytest.raises(EvalkitError) as obj:
        Assessment("A", "2026-03", degradation=value)
    assert str(obj.value) == f"degradation {value!r} (staff 'A', 2026-03) {YES_NO['en']}"
    book = filled_workbook(tmp_path / "thang.xlsx", [person("A", degradation=value)])
    assert only(read_workbook(book)[1]) == expected
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        with pytest.raises(InputError) as err:
            arc.amend("2026-03", "A", {"degradation": value}, by="TCCB", why="Sửa")
    assert only(err.value.problems) == expected
