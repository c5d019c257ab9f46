"""Two doors that still disagreed (closing note 44; issue 13: every door gives the same
answer, bad input is a clear error naming file, sheet, row, column and value, all errors
collected).

1. ``carried_months`` on a month's row of a results frame: the months of a short customs
   quarter are carried into the next quarter of the same year (CV 21169/CHQ-TCCB), so a
   month carries none. :func:`evalkit.units.results_from_frame` let the result object's
   validator raise a :class:`~evalkit.errors.ModelError` (staff and period, no row, no
   column, the first problem only); now it is one of the frame's problems, said with the
   frame check's sentence (``foreign.carried_not_quarter``) with every other bad cell of
   the frame, before any object is built. The objects and the command line say the same.
2. A control character in a name the sheets print: ``classify_frame`` read a units
   frame's ``name`` (and ``unit_name``, ``governing_body``, ``place``) and a staff frame's
   identity columns (``position_title``, ``unit_name``, ``manager_name`` …) without a
   word, where :class:`evalkit.Unit`, the workbook and the archive refuse it
   (``foreign.name_control``); so did :func:`evalkit.classify_year` and
   :func:`evalkit.rollup_frame` for the names of the results and unit results they read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit import messages
from evalkit.errors import EvalkitError, InputError, InputProblem, ModelError
from evalkit.io.archive import Archive, check_results
from evalkit.io.results import read_results, results_document
from evalkit.model import EvaluationResult, Period
from evalkit.units import classify_frame, classify_year, results_from_frame
from tests._archive_helpers import ND335, classified, month_inputs
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

CQ = evalkit.rules.get("vn.customs-2026q")
NOT_QUARTER = {lang: messages.text("foreign.carried_not_quarter", lang) for lang in ("en", "vi")}
CONTROL = {lang: messages.msg("foreign.name_control").text(lang) for lang in ("en", "vi")}


def _dtypes(frame: pd.DataFrame, tmp_path: Path) -> dict[str, pd.DataFrame]:
    """The same frame with its text columns as ``object``, pandas ``str``, Arrow
    ``string[pyarrow]``, and written with ``to_csv`` and read back with ``read_csv``."""
    text = [c for c in frame.columns if frame[c].dtype == object or isinstance(
        frame[c].dtype, pd.StringDtype | pd.CategoricalDtype)]  # fmt: skip
    obj = frame.astype(dict.fromkeys(text, object))
    path = tmp_path / f"frame-{len(list(tmp_path.glob('frame-*.csv')))}.csv"
    obj.to_csv(path, index=False)
    return {"object": obj, "str": frame.astype(dict.fromkeys(text, "str")),
            "arrow": frame.astype(dict.fromkeys(text, "string[pyarrow]")),
            "csv": pd.read_csv(path)}  # fmt: skip


def _only(err: InputError, column: str) -> InputProblem:
    [p] = [p for p in err.problems if p.column == column]
    return p


# ------------------------------------------------ 1. carried_months on a month's row


def _month_results() -> pd.DataFrame:
    """A month's results as ``evalkit classify`` makes them, A carrying a month in."""
    results, _units, _inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    return results.assign(carried_months=[1, None])


def test_a_month_carries_no_months_at_the_object_doors() -> None:
    """The result object and the assessment say the frame's sentence, naming the staff,
    the period and the value (before: "must be a whole number of months of the quarters
    before this quarter", no word of why a month has none)."""
    for make in (lambda: EvaluationResult("A", Period.parse("2026-03"), ND335.id, 91.0, None,
                                          None, carried_months=1),
                 lambda: evalkit.Assessment("A", "2026-03", carried_months=1)):  # fmt: skip
        with pytest.raises(ModelError) as err:
            make()
        assert str(err.value) == f"carried_months 1 (staff 'A', 2026-03): {NOT_QUARTER['en']}"
    with pytest.raises(ModelError, match="whole number"):  # not whole: said as before
        evalkit.Assessment("A", "2026-03", carried_months=1.5)


@pytest.mark.parametrize("kind", ["object", "str", "arrow", "csv"])
def test_a_results_frame_says_it_with_every_other_bad_cell(tmp_path: Path, kind: str) -> None:
    """``results_from_frame`` refuses the row with one InputError naming the row, the
    staff, the column and the value, in the frame check's words — and B's unreadable
    total and grade in the same error, whatever the dtype (before: a ModelError of the
    result object for A alone)."""
    frame = _dtypes(_month_results().assign(
        total=lambda f: f["total"].astype(object).where(f["staff_id"] != "B", "abc"),
        grade=lambda f: f["grade"].astype(object).where(f["staff_id"] != "B", "HTT+")),
        tmp_path)[kind]  # fmt: skip
    with pytest.raises(InputError) as err:
        results_from_frame(frame)
    said = [(p.row, p.staff_id, p.column, p.value) for p in err.value.problems]
    assert said == [(0, "A", "carried_months", 1), (1, "B", "grade", "HTT+"),
                    (1, "B", "total", "abc")]
    p = _only(err.value, "carried_months")
    assert p.message == NOT_QUARTER["en"]
    assert messages.sentence(p, "vi").endswith(NOT_QUARTER["vi"])


def test_months_worked_beyond_the_month_is_a_frame_problem_too() -> None:
    """The other count of months (0 to the months of the period, and those carried in) is
    read as the frames read it, not left to the object's validator."""
    frame = _month_results().drop(columns="carried_months").assign(months_worked=[2, 1])
    with pytest.raises(InputError) as err:
        results_from_frame(frame)
    p = _only(err.value, "months_worked")
    assert (p.row, p.staff_id, p.value, p.message) == (0, "A", 2, "exceeds its maximum 1")


def test_a_customs_quarter_still_carries_months() -> None:
    """What the roll-up carries (September into Q4: CV 21169/CHQ-TCCB) still reads back;
    into 2026-Q3, the scheme's first quarter, none is carried, as every door says."""
    months = pd.DataFrame([{"staff_id": "S", "unit_id": "U", "period": p, "total": 90.0,
                            "rule_set": CQ.id}
                           for p in ("2026-09", "2026-10", "2026-11", "2026-12")])  # fmt: skip
    q = evalkit.rollup_frame(months, CQ, to="quarter", force=True)
    [q4] = [r for r in results_from_frame(q) if str(r.period) == "2026-Q4"]
    assert (q4.months_worked, q4.carried_months) == (4, 1)
    q3 = q[q["period"] == "2026-Q4"].assign(period="2026-Q3")
    with pytest.raises(InputError) as err:
        results_from_frame(q3)
    assert "at most 0 months are carried in" in _only(err.value, "carried_months").message


def test_the_archive_refuses_it_in_the_same_words(tmp_path: Path) -> None:
    """``Archive.finalize`` (the month re-derived from its inputs) names the row, the staff,
    the column and the value with the same sentence, and archives nothing."""
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    with Archive(tmp_path / "a.sqlite") as arc:
        with pytest.raises(InputError) as err:
            arc.finalize(results.assign(carried_months=[1, None]), by="TCCB",
                         units=unit_results, unit_inputs=inputs)  # fmt: skip
        p = _only(err.value, "carried_months")
        assert (p.row, p.staff_id, p.value, p.message) == (0, "A", 1, NOT_QUARTER["en"])
        assert arc.months() == []


def _results_file(tmp_path: Path, units: dict[str, Any] | None = None, **first: Any) -> Path:
    """A month's results file as ``evalkit classify`` writes it, A's record given ``first``
    and its unit's record ``units``."""
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    results.attrs.update(units=unit_results.assign(**(units or {})), unit_inputs=inputs,
                         period="2026-03")  # fmt: skip
    doc = results_document(results)
    doc["data"]["columns"] += [c for c in first if c not in doc["data"]["columns"]]
    doc["data"]["rows"][0].update(first)
    path = tmp_path / "ket-qua.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_results_file_is_refused_alike_in_python_and_on_the_command_line(
        tmp_path: Path) -> None:  # fmt: skip
    """The results file read back (``read_results`` → ``results_from_frame``) and the
    commands that read it (``render``, ``finalize``) refuse A's row with the one sentence,
    the file, the column and the value; nothing is written."""
    path = _results_file(tmp_path, carried_months=1)
    with pytest.raises(InputError) as err:
        results_from_frame(read_results(path))
    p = _only(err.value, "carried_months")
    assert (p.file, p.staff_id, p.value, p.message) == (str(path), "A", 1, NOT_QUARTER["en"])
    for args in (("render", str(path), "--out", str(tmp_path / "phieu")),
                 ("finalize", str(path), "--archive", str(tmp_path / "a.sqlite"), "--by",
                  "TCCB")):  # fmt: skip
        code, _out, said = run(*args)
        assert code == 1 and NOT_QUARTER["vi"] in said, said
        assert "cột 'carried_months', giá trị 1" in said and str(path) in said
    assert not (tmp_path / "phieu").exists() and not (tmp_path / "a.sqlite").exists()


# --------------------------------------------- 2. a control character in a printed name


def _units(value: str, column: str = "name") -> pd.DataFrame:
    _staff, units = month_inputs("2026-03", {"A": 100.0, "B": 80.0})
    return units.assign(**{column: [value]})


@pytest.mark.parametrize("name", ["Phòng\x071", "Phòng\n1", "Phòng 1\t", "Phòng\x851"])
def test_a_units_frame_refuses_a_control_character_as_the_unit_object_does(
        tmp_path: Path, name: str) -> None:  # fmt: skip
    """``classify_frame`` refuses the units frame's name naming the row, the unit, the
    column and the value, in any dtype and read back from CSV (before: accepted, printed
    on the unit's sheet); :class:`evalkit.Unit` refuses it in the same words."""
    staff, _units_frame = month_inputs("2026-03", {"A": 100.0, "B": 80.0})
    with pytest.raises(EvalkitError) as obj:
        evalkit.Unit("U1", name)
    assert str(obj.value) == f"name {name!r} {CONTROL['en']}"
    kinds = _dtypes(_units(name), tmp_path)
    if "\n" in name or "\x85" in name:  # (a CSV keeps them quoted; read back as typed)
        assert kinds["csv"]["name"].tolist() == [name]
    for kind, units in kinds.items():
        with pytest.raises(InputError) as err:
            classify_frame(staff, units, ND335, force=True)
        p = _only(err.value, "name")
        assert (p.row, p.unit_id, p.value, p.message) == (0, "U1", name, CONTROL["en"]), kind
        assert repr(name) in str(p) and messages.sentence(p, "vi").endswith(CONTROL["vi"])


def test_every_printed_name_of_a_units_frame_is_checked() -> None:
    """``unit_name``, ``governing_body`` and ``place`` too (:class:`evalkit.Unit`'s
    ``place`` and ``governing_body`` refuse it), all in one error."""
    staff, units = month_inputs("2026-03", {"A": 100.0, "B": 80.0})
    units = units.assign(unit_name=["Phòng\t1"], governing_body=["UBND\x00"], place=["Hà\nNội"])
    with pytest.raises(InputError) as err:
        classify_frame(staff, units, ND335, force=True)
    assert sorted((p.column, p.value) for p in err.value.problems) == [
        ("governing_body", "UBND\x00"), ("place", "Hà\nNội"), ("unit_name", "Phòng\t1")]
    for field in ("governing_body", "place"):
        with pytest.raises(EvalkitError, match="control character"):
            evalkit.Unit("U1", "Phòng 1", **{field: "UBND\x00"})


@pytest.mark.parametrize("column", ["position_title", "unit_name", "manager_name",
                                    "manager_title", "position_title_en", "manager_title_en"])
def test_a_staff_frames_printed_identity_is_checked_as_the_full_name(column: str) -> None:
    """The identity a staff frame may carry to the sheets (the workbook's own names, the
    organisation's :class:`evalkit.Position` title and :class:`evalkit.Unit` name) is
    refused with a control character at the frame doors and the archive, as
    ``full_name`` is (before: accepted by ``score_frame`` and ``classify_frame``)."""
    staff, units = month_inputs("2026-03", {"A": 100.0, "B": 80.0})
    staff = staff.assign(**{column: ["Chuyên\tviên", "Chuyên viên"]})
    for call in (lambda: evalkit.score_frame(staff, ND335, force=True),
                 lambda: classify_frame(staff, units, ND335, force=True)):
        with pytest.raises(InputError) as err:
            call()
        p = _only(err.value, column)
        assert (p.row, p.staff_id, p.value, p.message) == (0, "A", "Chuyên\tviên",
                                                           CONTROL["en"])  # fmt: skip
    results, _unit_results, _inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    results[column] = ["Chuyên\tviên", "Chuyên viên"]
    assert [(p.column, p.value, p.message) for p in check_results(results)] == [
        (column, "Chuyên\tviên", f"{CONTROL['en']} (staff 'A')")]


def test_the_year_reads_the_names_of_the_months_and_their_units() -> None:
    """``classify_year`` and ``rollup_frame`` keep a name for the year's sheets: a control
    character in the results' ``full_name`` or the unit results' ``name`` is refused, as the
    month refused it (before: carried to the year's sheets)."""
    results, unit_results, _inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    bad = results.assign(full_name=["Người\x00A", "Người B"])
    for call in (lambda: evalkit.rollup_frame(bad, ND335),
                 lambda: classify_year(bad, unit_results, ND335, force=True)):
        with pytest.raises(InputError) as err:
            call()
        p = _only(err.value, "full_name")
        assert (p.staff_id, p.value, p.message) == ("A", "Người\x00A", CONTROL["en"])
    with pytest.raises(InputError) as err:
        classify_year(results, unit_results.assign(name=["Phòng\t1"]), ND335, force=True)
    p = _only(err.value, "name")
    assert (p.unit_id, p.value, p.message) == ("U1", "Phòng\t1", CONTROL["en"])


def test_the_workbook_and_the_command_line_say_it_alike(tmp_path: Path) -> None:
    """A units sheet's name with a tab: ``validate`` and ``classify`` exit 1 with the file,
    the sheet, the row, the unit, the column, the value and the same sentence, and
    ``classify`` writes no results."""
    book = filled_workbook(tmp_path / "thang.xlsx", [person("A"), person("B")],
                           units=[{"unit_id": "P1", "name": "Phòng\t1", "head_id": None}])
    out = tmp_path / "ket-qua.json"
    for args in (("validate", str(book)), ("classify", str(book), "--out", str(out))):
        code, _out, said = run(*args)
        assert code == 1, said
        assert "trang 'Đơn vị', dòng 2, đơn vị 'P1', cột 'name', giá trị 'Phòng\\t1'" in said
        assert CONTROL["vi"] in said and str(book) in said
    assert not out.exists()


def test_a_results_files_unit_names_are_read_as_the_units_sheet(tmp_path: Path) -> None:
    """The ``units`` table of a results file names the unit on its sheets: a tab in its name
    is refused by ``read_results`` (file, table, record, column, value) and by ``evalkit
    render`` in Vietnamese (before: read, then ``render`` stopped on the unit object's English
    error with no file or row)."""
    path = _results_file(tmp_path, units={"name": ["Phòng\t1"]})
    with pytest.raises(InputError) as err:
        read_results(path)
    p = _only(err.value, "name")
    assert (p.file, p.sheet, p.row, p.unit_id, p.value, p.message) == (
        str(path), "units", 1, "U1", "Phòng\t1", CONTROL["en"])  # (the unit named: af216)
    code, _out, said = run("render", str(path), "--out", str(tmp_path / "phieu"))
    assert code == 1 and ("trang 'units', dòng 1, đơn vị 'U1', cột 'name', giá trị "
                          "'Phòng\\t1'") in said
    assert CONTROL["vi"] in said and not (tmp_path / "phieu").exists()
