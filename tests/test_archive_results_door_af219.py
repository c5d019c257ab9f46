"""The archive's results door: the last gaps af216 found (issue 13: every door gives the
same answer; bad input is a clear error naming file, sheet, row, column and value).

1. ``carried_months`` on a month's row: a month carries nothing in (the months of a short
   customs quarter are carried into the next quarter of the same year: CV 21169/CHQ-TCCB).
   :meth:`~evalkit.io.archive.Archive.finalize` called without the unit tables archived
   such a row, while ``evalkit finalize`` (which passes the file's unit tables, so the
   month is classified again) and :func:`evalkit.units.results_from_frame` refused it. Now
   :func:`~evalkit.io.archive.check_results` reads ``carried_months`` and ``months_worked``
   with the frames' own readers (:mod:`evalkit._columns`), so every door refuses the row in
   the same words, naming row, staff, column and value.
2. A unit id of only spaces is blank, as every door reads an id
   (:func:`evalkit._ids.normal_id`): refused with the blank-id sentence at its row (before:
   "unit '  ' has a result but is not in the unit inputs", no row); ``'P1 '`` is ``'P1'``.
3. The archive's unit problems name their table (``sheet``: ``units`` or ``unit_inputs``)
   as the results file's reader does, and a repeated unit id its row; ``evalkit render``
   checks a results file's unit tables as ``finalize`` does (before: "unit 'nan' has a
   result but is not in the unit inputs" for a blank id).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit import messages
from evalkit.errors import InputError, InputProblem
from evalkit.io.archive import Archive, check_results
from evalkit.io.results import read_results, unit_inputs_of, units_of
from evalkit.units import results_from_frame
from tests._archive_helpers import classified
from tests._cli_helpers import run
from tests.test_row_numbers_af216 import _classified_file, _edited

NOT_QUARTER = {lang: messages.text("foreign.carried_not_quarter", lang) for lang in ("en", "vi")}
BLANK = messages.msg("archive.check.units.blank", what=messages.msg("archive.check.what.units"))
CQ = evalkit.rules.get("vn.customs-2026q")


def _one(problems: list[InputProblem], column: str) -> InputProblem:
    [p] = [p for p in problems if p.column == column]
    return p


def _said(p: InputProblem) -> tuple[object, ...]:
    return (p.file, p.sheet, p.row, p.staff_id, p.unit_id, p.column, p.value, p.message)


def _said_by_the_commands(path: Path, tmp_path: Path) -> list[str]:
    """What ``evalkit finalize`` and ``evalkit render`` say of ``path``: both refuse it,
    writing nothing (render refuses what finalize refuses)."""
    archive, out = tmp_path / f"cli-{path.stem}.sqlite", tmp_path / f"phieu-{path.stem}"
    said = []
    for args in (("finalize", str(path), "--archive", str(archive), "--by", "TCCB"),
                 ("render", str(path), "--out", str(out))):  # fmt: skip
        code, _out, err = run(*args)
        assert code == 1, err
        said.append(err)
    assert not archive.exists() and not out.exists()
    return said


# ------------------------------------------------ 1. the months a row counts


def test_a_month_carrying_a_month_in_is_refused_at_every_door(tmp_path: Path) -> None:
    """B's record (row 2 of the file) carries a month in: ``results_from_frame`` and
    ``Archive.finalize`` without the unit tables (before: archived) refuse it with the same
    file, row, staff, column, value and sentence; with the unit tables and on the command
    line (``finalize`` and ``render``) too."""
    path = _edited(_classified_file(tmp_path), "carried.json", carried_months=1)
    read = read_results(path)
    with pytest.raises(InputError) as err:
        results_from_frame(read)
    expected = _said(_one(err.value.problems, "carried_months"))
    assert expected == (str(path), None, 2, "B", None, "carried_months", 1, NOT_QUARTER["en"])
    with Archive(tmp_path / "a.sqlite") as arc:
        for tables in ({}, {"units": units_of(read), "unit_inputs": unit_inputs_of(read)}):
            with pytest.raises(InputError) as err:
                arc.finalize(read, by="TCCB", **tables)
            assert [_said(p) for p in err.value.problems] == [expected], tables
        assert arc.months() == []
    for said in _said_by_the_commands(path, tmp_path):
        assert (f"{path}, dòng 2, người được đánh giá 'B', cột 'carried_months', giá trị 1: "
                f"{NOT_QUARTER['vi']}") in said, said


@pytest.mark.parametrize("kind", ["object", "str", "csv"])
def test_a_results_frame_is_checked_alike_whatever_its_dtype(tmp_path: Path, kind: str) -> None:
    """A frame (not a file): ``check_results`` says what ``results_from_frame`` says of A's
    month carrying a month in and of B's ``months_worked`` beyond its month (at most 1),
    in text columns of any dtype and read back from CSV."""
    results, _units, _inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    frame = results.assign(carried_months=[1, None], months_worked=[None, 2])
    if kind == "str":
        frame = frame.astype(dict.fromkeys(("staff_id", "period", "rule_set"), "str"))
    elif kind == "csv":
        frame.to_csv(tmp_path / "f.csv", index=False)
        frame = pd.read_csv(tmp_path / "f.csv")
    with pytest.raises(InputError) as err:
        results_from_frame(frame)
    expected = [(p.row, p.staff_id, p.column, p.value, p.message) for p in err.value.problems]
    assert expected == [(0, "A", "carried_months", 1, NOT_QUARTER["en"]),
                        (1, "B", "months_worked", 2, "exceeds its maximum 1")]
    found = check_results(frame)
    assert [(p.row, p.staff_id, p.column, p.value, p.message) for p in found] == expected
    with Archive(tmp_path / "a.sqlite") as arc, pytest.raises(InputError) as err:
        arc.finalize(frame, by="TCCB")
    assert [(p.row, p.staff_id, p.column, p.value) for p in err.value.problems] == [
        e[:4] for e in expected]


def test_a_customs_quarter_carries_months_only_after_the_sets_first_quarter() -> None:
    """Into 2026-Q4 a month is carried (September: CV 21169/CHQ-TCCB) and the archive's
    check accepts it; into 2026-Q3, the set's first quarter, none is carried: the archive's
    check refuses it as ``results_from_frame`` does, in the same sentence."""
    months = pd.DataFrame([{"staff_id": "S", "unit_id": "U", "period": p, "total": 90.0,
                            "rule_set": CQ.id}
                           for p in ("2026-09", "2026-10", "2026-11", "2026-12")])  # fmt: skip
    q = evalkit.rollup_frame(months, CQ, to="quarter", force=True)
    q4 = q[q["period"] == "2026-Q4"]
    assert q4["carried_months"].tolist() == [1]
    assert [p.column for p in check_results(q4)] == []
    q3 = q4.assign(period="2026-Q3")
    with pytest.raises(InputError) as err:
        results_from_frame(q3)
    expected = _one(err.value.problems, "carried_months")
    assert "at most 0 months are carried in" in expected.message
    got = _one(check_results(q3), "carried_months")
    assert (got.staff_id, got.value, got.message) == ("S", 1, expected.message)


# ------------------------------------------------ 2. and 3. the unit tables


@pytest.mark.parametrize("table", ["units", "unit_inputs"])
@pytest.mark.parametrize("typed", ["  ", "\u200b"])
def test_a_unit_id_of_spaces_is_blank_at_its_row_and_table(tmp_path: Path, table: str,
                                                           typed: str) -> None:  # fmt: skip
    """P2's record (the second of its table) with an id of spaces or an invisible character
    only is a blank unit id at ``Archive.finalize`` and ``evalkit finalize``: the table, the
    row, the value as typed, and by ``evalkit render`` alike (before: "has a result but is not
    in the unit inputs", or a person's unit said missing, with no row)."""
    path = _edited(_classified_file(tmp_path), f"blank-{table}.json", table=table,
                   unit_id=typed)  # fmt: skip
    read = read_results(path)
    with Archive(tmp_path / "a.sqlite") as arc:
        with pytest.raises(InputError) as err:
            arc.finalize(read, by="TCCB", units=units_of(read), unit_inputs=unit_inputs_of(read))
        assert arc.months() == []
    [p] = err.value.problems
    what = "archive.check.what.units" if table == "units" else "archive.check.what.inputs"
    blank = messages.msg("archive.check.units.blank", what=messages.msg(what))
    assert _said(p) == (str(path), table, 2, None, None, "unit_id", typed, blank.text("en"))
    for said in _said_by_the_commands(path, tmp_path):
        assert (f"{path}, trang '{table}', dòng 2, cột 'unit_id', giá trị {typed!r}: "
                f"{blank.text('vi')}") in said, said


@pytest.mark.parametrize("table", ["units", "unit_inputs"])
def test_a_repeated_unit_is_named_at_its_second_record(tmp_path: Path, table: str) -> None:
    """P2's record retyped ``'P1 '`` repeats P1 (ids read as every door reads them): refused
    at its row, in its table, naming the unit, in Python and by ``finalize`` and ``render``
    (before: no row, no table; ``'P1 '`` not seen as P1)."""
    path = _edited(_classified_file(tmp_path), f"dup-{table}.json", table=table,
                   unit_id="P1 ")  # fmt: skip
    read = read_results(path)
    with Archive(tmp_path / "a.sqlite") as arc, pytest.raises(InputError) as err:
        arc.finalize(read, by="TCCB", units=units_of(read), unit_inputs=unit_inputs_of(read))
    p = _one(err.value.problems, "unit_id")
    assert (p.file, p.sheet, p.row, p.unit_id, p.value) == (str(path), table, 2, "P1", "P1 ")
    assert p.msg is not None and p.msg.key == "archive.check.units.duplicate"
    for said in _said_by_the_commands(path, tmp_path):
        assert f"{path}, trang '{table}', dòng 2, đơn vị 'P1', cột 'unit_id', giá trị 'P1 '" \
            in said, said


def test_a_unit_frames_problem_names_its_table_and_row(tmp_path: Path) -> None:
    """A units frame given to ``Archive.finalize`` in Python: its problem names the table
    (the argument's name, as a results file's table is named) and the row, as the reader's
    do (before: no table)."""
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    bad = pd.concat([unit_results, unit_results.assign(unit_id="  ")], ignore_index=True)
    with Archive(tmp_path / "a.sqlite") as arc, pytest.raises(InputError) as err:
        arc.finalize(results, by="TCCB", units=bad, unit_inputs=inputs)
    p = _one(err.value.problems, "unit_id")
    assert (p.sheet, p.row, p.unit_id, p.value, p.message) == ("units", 1, None, "  ",
                                                               BLANK.text("en"))  # fmt: skip


def test_a_unit_flag_the_set_does_not_read_is_named_in_its_table(tmp_path: Path) -> None:
    """A unit flag the unit result's rule set does not read (NĐ 335/2025 reads no
    ``personnel_wrongdoing``) is refused in the ``units`` table at the unit's row, as the
    table's other problems are (before: no table)."""
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    assert unit_results["rule_set"].tolist() == ["vn.nd335-2025"]
    units = unit_results.assign(personnel_wrongdoing=[True])
    with Archive(tmp_path / "a.sqlite") as arc, pytest.raises(InputError) as err:
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
    p = _one(err.value.problems, "personnel_wrongdoing")
    assert (p.sheet, p.row, p.unit_id, p.value) == ("units", 0, "U1", True)
