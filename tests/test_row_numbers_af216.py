"""One row per record of a results file, at every door that reads it (found by af208).

A person fixing a results file finds the record from the message (issue 13: bad input is
a clear error naming file, row, column and value; every door gives the same answer).
:func:`evalkit.io.results.read_results` named a record by its place in the file counted
from 1 ("row 2" for the second record), while :func:`evalkit.units.results_from_frame` on
the frame it gives, :meth:`evalkit.io.archive.Archive.finalize` and ``evalkit render`` /
``finalize`` named it by the ``row`` field it carries ("dòng 1" in a file written from a
frame, "dòng 3" in one ``evalkit classify --out`` wrote from a workbook): one person at
two rows of one file. Now every door names a record of a results file at its place in the
file, counted from 1 — the row a person counts in the file, as a workbook's row is the one
Excel shows and a CSV's the line the record starts on —, whatever ``row`` (the workbook
row kept) it carries; a unit's record at its place in its table, naming the unit
(``unit_id``) as a person's problem names the staff id.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evalkit.errors import InputError, InputProblem
from evalkit.io.archive import Archive
from evalkit.io.results import read_results, read_results_and_problems, unit_inputs_of, units_of
from evalkit.units import results_from_frame
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person


def _classified_file(tmp_path: Path) -> Path:
    """A month's results file made as a person makes it: a filled workbook (A, B, C on
    rows 2, 3, 4 of the score sheet; units P1 and P2) and ``evalkit classify --out``."""
    book = filled_workbook(tmp_path / "thang-03.xlsx", [person("A"), person("B"), person("C",
                           unit="P2")], units=({"unit_id": "P1", "name": "Phòng 1"},
                                               {"unit_id": "P2", "name": "Phòng 2"}))
    out = tmp_path / "ket-qua.json"
    code, _out, said = run("classify", str(book), "--out", str(out))
    assert code == 0, said
    return out


def _edited(path: Path, file_name: str, /, *, table: str = "rows", at: int = 1,
            drop_rows: bool = False, **values: Any) -> Path:
    """A copy of the results file ``path`` whose ``at``-th record (from 0) of ``table`` is
    given ``values`` (``drop_rows``: every record without its ``row``, as written by hand)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    data = doc["data"]
    data[table][at].update(values)
    data["columns"] += [c for c in values if table == "rows" and c not in data["columns"]]
    if drop_rows:
        for rec in data["rows"]:
            rec.pop("row")
        data["columns"].remove("row")
    out = path.with_name(file_name)
    out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return out


def _one(problems: list[InputProblem], column: str) -> InputProblem:
    [p] = [p for p in problems if p.column == column]
    return p


def _said_by_the_commands(path: Path, tmp_path: Path) -> list[str]:
    """What ``evalkit render`` and ``evalkit finalize`` say of ``path`` (both refuse it)."""
    said = []
    for args in (("render", str(path), "--out", str(tmp_path / "phieu")),
                 ("finalize", str(path), "--archive", str(tmp_path / "a.sqlite"), "--by",
                  "TCCB")):  # fmt: skip
        code, _out, err = run(*args)
        assert code == 1, err
        said.append(err)
    assert not (tmp_path / "phieu").exists() and not (tmp_path / "a.sqlite").exists()
    return said


def test_the_file_keeps_each_persons_workbook_row(tmp_path: Path) -> None:
    """The premise: ``classify --out`` writes each person's workbook row as ``row`` (B is
    on row 3 of the score sheet and the second record of the file)."""
    data = json.loads(_classified_file(tmp_path).read_text(encoding="utf-8"))["data"]
    assert [(r["row"], r["staff_id"]) for r in data["rows"]] == [(2, "A"), (3, "B"), (4, "C")]


@pytest.mark.parametrize("drop_rows", [False, True], ids=["classify-out", "written-by-hand"])
def test_a_bad_record_is_at_one_row_at_every_door(tmp_path: Path, drop_rows: bool) -> None:
    """B's record — its unreadable total (read by :func:`read_results`) and, in another
    copy, a month's ``carried_months`` (read by ``results_from_frame`` and the archive) —
    is at row 2, the second record of the file, at every door and in both languages,
    whether it carries B's workbook row 3 or none (before: row 2 at the reader, 3 or 1 at
    the others)."""
    row = 2
    src = _classified_file(tmp_path)
    total = _edited(src, "total.json", drop_rows=drop_rows, total="abc")
    carried = _edited(src, "carried.json", drop_rows=drop_rows, carried_months=1)
    # the reader of the file, raising or listing
    with pytest.raises(InputError) as err:
        read_results(total)
    assert (_one(err.value.problems, "total").row, _one(err.value.problems, "total").staff_id,
            _one(err.value.problems, "total").value) == (row, "B", "abc")  # fmt: skip
    frame, listed = read_results_and_problems(total)
    assert [(p.row, p.staff_id, p.column) for p in listed] == [(row, "B", "total")]
    assert "B" not in frame["staff_id"].tolist()
    # the frame read: results_from_frame and the archive
    read = read_results(carried)
    with pytest.raises(InputError) as err:
        results_from_frame(read)
    p = _one(err.value.problems, "carried_months")
    assert (p.file, p.row, p.staff_id, p.value) == (str(carried), row, "B", 1)
    with Archive(tmp_path / "arc.sqlite") as arc:
        with pytest.raises(InputError) as err:
            arc.finalize(read, by="TCCB", units=units_of(read), unit_inputs=unit_inputs_of(read))
        p = _one(err.value.problems, "carried_months")
        assert (p.file, p.row, p.staff_id, p.value) == (str(carried), row, "B", 1)
        assert arc.months() == []
    # the command line: the same place in words
    for path, column, value in ((total, "total", "'abc'"), (carried, "carried_months", "1")):
        for said in _said_by_the_commands(path, tmp_path):
            assert (f"{path}, dòng {row}, người được đánh giá 'B', cột '{column}', "
                    f"giá trị {value}") in said, said


def test_a_file_written_from_a_frame_counts_its_records_too(tmp_path: Path) -> None:
    """Results written from a frame (``results_document`` of ``classify_frame``'s output)
    carry the frame's labels as ``row`` (0 and 1): B, the second record, is row 2 at the
    reader, at ``results_from_frame`` and at the archive alike (the file af208 found:
    "row 2" at the reader, "dòng 1" at the others)."""
    from tests.test_doors_af208 import _results_file

    total = _results_file(tmp_path, total=91.0)  # A's record, B's left as made
    doc = json.loads(total.read_text(encoding="utf-8"))
    assert [r["row"] for r in doc["data"]["rows"]] == [0, 1]
    doc["data"]["rows"][1]["total"] = "abc"
    total.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_results(total)
    assert [(p.row, p.staff_id) for p in err.value.problems] == [(2, "B")]
    doc["data"]["rows"][1]["total"] = 80.0
    doc["data"]["rows"][1]["carried_months"] = 1
    doc["data"]["columns"].append("carried_months")
    total.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    read = read_results(total)
    assert read.index.tolist() == [0, 1]  # the rows the file carries, kept
    with pytest.raises(InputError) as err:
        results_from_frame(read)
    assert [(p.row, p.staff_id) for p in err.value.problems] == [(2, "B")]
    with Archive(tmp_path / "arc.sqlite") as arc, pytest.raises(InputError) as err:
        arc.finalize(read, by="TCCB", units=units_of(read), unit_inputs=unit_inputs_of(read))
    assert [(p.row, p.staff_id) for p in err.value.problems] == [(2, "B")]


def test_a_units_record_names_its_unit_and_its_place(tmp_path: Path) -> None:
    """A problem of the ``units`` table names the unit (``unit_id``), as a person's names
    the staff id, at the record's place in the table counted from 1, at the reader and
    at the archive (before: no unit, and row 2 at the reader, 1 at the archive)."""
    src = _classified_file(tmp_path)
    named = _edited(src, "name.json", table="units", name="Phòng\x072")
    with pytest.raises(InputError) as err:
        read_results(named)
    p = _one(err.value.problems, "name")
    assert (p.sheet, p.row, p.unit_id, p.staff_id) == ("units", 2, "P2", None)
    # a unit id left blank, which the reader leaves to the archive: the same place
    blank = _edited(src, "blank.json", table="units", unit_id=None)
    read = read_results(blank)
    with Archive(tmp_path / "arc.sqlite") as arc, pytest.raises(InputError) as err:
        arc.finalize(read, by="TCCB", units=units_of(read), unit_inputs=unit_inputs_of(read))
    p = _one(err.value.problems, "unit_id")
    assert (p.file, p.sheet, p.row, p.value, p.unit_id) == (str(blank), "units", 2, None, None)
    code, _out, said = run("finalize", str(blank), "--archive", str(tmp_path / "b.sqlite"),
                           "--by", "TCCB")  # fmt: skip
    assert code == 1 and f"{blank}, trang 'units', dòng 2, cột 'unit_id':" in said, said
    # a unit's problem the archive finds names the unit too
    bad = _edited(src, "grade.json", table="units", tasks_done=-1)
    read, _listed = read_results_and_problems(bad)
    assert _listed and units_of(read) is None  # the reader refuses it first, naming P2
    assert [(q.row, q.unit_id) for q in _listed] == [(2, "P2")]


def test_the_place_of_a_record_is_never_written_nor_archived(tmp_path: Path) -> None:
    """The place each row read carries (``evalkit._tables.RECORD``) is the reader's note,
    as the read-back mark is: the checked frame, a file written from the frame read and the
    archived month hold none, and the workbook rows the file carries are kept."""
    from evalkit import workflow
    from evalkit._tables import RECORD
    from evalkit.io.results import write_results

    src = _classified_file(tmp_path)
    month = read_results(src)
    assert month[RECORD].tolist() == [1, 2, 3] and month.index.tolist() == [2, 3, 4]
    assert RECORD not in workflow.checked(month).columns
    again = write_results(month, tmp_path / "lai.json")
    data = json.loads(again.read_text(encoding="utf-8"))["data"]
    assert RECORD not in data["columns"] and [r["row"] for r in data["rows"]] == [2, 3, 4]
    with Archive(tmp_path / "arc.sqlite") as arc:
        arc.finalize(month, by="TCCB", units=units_of(month), unit_inputs=unit_inputs_of(month))
        stored = arc.month("2026-03")
        assert RECORD not in stored.columns and stored.index.tolist() == [2, 3, 4]
