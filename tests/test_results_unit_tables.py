"""A results JSON's ``units`` and ``unit_inputs`` tables are read as the workbook's units
sheet and the staff records are (af45 item 2): through :mod:`evalkit._columns` —
``"9,0"`` is 9, ``" 10 "`` is 10, a blank is none, ``"x"`` is yes — and every bad value is
listed with the others in one error naming the file, the table, the record, the column and
the value (before, the tables were kept as typed: a text count reached the engine)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evalkit import messages
from evalkit.errors import InputError
from evalkit.io.results import read_results, unit_inputs_of, units_of
from tests._cli_helpers import run
from tests.test_archive_checks import _doc


def test_the_unit_tables_read_text_numbers_blanks_and_yes_no_as_the_workbook_does(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ket-qua.json"
    doc = _doc(path)
    doc["data"]["unit_inputs"][0].update(tasks_assigned=" 10 ", tasks_done="9,0",
                                         self_score="", exceptional="x")  # fmt: skip
    doc["data"]["units"][0].update(score="100,0", tasks_done="9", exceptional="không",
                                   classified="có")  # fmt: skip
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    got = read_results(path)
    inputs, units = unit_inputs_of(got), units_of(got)
    assert inputs is not None and units is not None
    assert inputs.iloc[0][["tasks_assigned", "tasks_done"]].tolist() == [10.0, 9.0]
    assert np.isnan(inputs.iloc[0]["self_score"])
    assert inputs.iloc[0]["exceptional"] is True or inputs.iloc[0]["exceptional"] == True  # noqa: E712
    assert inputs["tasks_done"].dtype == np.float64
    assert units.iloc[0][["score", "tasks_done"]].tolist() == [100.0, 9.0]
    assert not units.iloc[0]["exceptional"] and units.iloc[0]["classified"]


def test_every_bad_value_of_the_unit_tables_is_listed_with_its_table(tmp_path: Path) -> None:
    path = tmp_path / "ket-qua.json"
    doc = _doc(path)
    doc["data"]["rows"][1]["total"] = "abc"
    doc["data"]["units"][0].update(score="1e400", exceptional="maybe")
    doc["data"]["unit_inputs"][0].update(tasks_done="abc", tasks_assigned="2,5",
                                         satisfaction=150, bonus=True)  # fmt: skip
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_results(path)
    got = [(p.file, p.sheet, p.row, p.column, p.value) for p in err.value.problems]
    f = str(path)
    assert got == [
        (f, None, 2, "total", "abc"),
        (f, "units", 1, "score", "1e400"),
        (f, "units", 1, "exceptional", "maybe"),
        # a record's cells that are no number, then its impossible figures in every unit
        # door's words (evalkit._columns.unit_value_rules), as the workbook says them
        (f, "unit_inputs", 1, "tasks_done", "abc"),
        (f, "unit_inputs", 1, "bonus", True),
        (f, "unit_inputs", 1, "tasks_assigned", "2,5"),
        (f, "unit_inputs", 1, "satisfaction", 150),
    ], got
    said = {p.column: (messages.sentence(p, "vi"), messages.sentence(p, "en"))
            for p in err.value.problems if p.sheet == "unit_inputs"}
    assert said["tasks_assigned"] == ("tasks_assigned là số đếm, phải là số nguyên",
                                      "tasks_assigned is a count and must be a whole number")
    assert said["satisfaction"] == ("satisfaction vượt quá 100", "satisfaction exceeds 100")


def test_finalize_names_the_table_of_a_bad_unit_value(tmp_path: Path) -> None:
    """Through the command line: exit 1, the problem with its table, record, column and
    value; nothing archived."""
    path = tmp_path / "ket-qua.json"
    doc = _doc(path)
    doc["data"]["unit_inputs"][0]["tasks_done"] = "mười"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run("--lang", "en", "finalize", str(path), "--archive",
                       str(tmp_path / "a.sqlite"), "--by", "TCCB", "--json")  # fmt: skip
    assert code == 1, out
    problems = json.loads(out)["problems"]
    assert [(p["sheet"], p["row"], p["column"], p["value"]) for p in problems] == [
        ("unit_inputs", 1, "tasks_done", "mười")], problems


def test_results_read_back_can_be_astyped_and_concatenated_and_keep_their_unit_tables(
    tmp_path: Path,
) -> None:
    """pandas compares the ``attrs`` of what it joins with ``==`` (``astype`` and
    ``concat`` both): the unit tables a results file carries must answer it, and stay
    readable through :func:`units_of` after the operation."""
    import pandas as pd

    path = tmp_path / "ket-qua.json"
    path.write_text(json.dumps(_doc(path), ensure_ascii=False), encoding="utf-8")
    got = read_results(path)
    typed = got.astype({"staff_id": str})
    assert units_of(typed) is not None and units_of(typed).equals(units_of(got))  # type: ignore[union-attr]
    both = pd.concat([got, typed])
    assert len(both) == 2 * len(got)
    assert unit_inputs_of(both) is not None  # the same month twice: the same tables
    other = got.copy()
    other.attrs["period"] = "2026-04"
    assert len(pd.concat([got, other])) == 2 * len(got)  # two months: no attrs, no failure


@pytest.mark.parametrize(("figures", "column", "vi", "en"), [
    ({"tasks_assigned": 3, "tasks_done": 5}, "tasks_done",
     "tasks_done lớn hơn số nhiệm vụ được giao", "tasks_done exceeds the tasks assigned"),
    ({"bonus": 1e16}, "bonus", "bonus quá lớn: không số liệu nào của đơn vị vượt quá 10^15",
     "bonus is too large: no figure of a unit exceeds 10^15"),
])  # fmt: skip
def test_a_unit_input_of_a_results_file_is_judged_as_every_unit_door_judges_it(
        tmp_path: Path, figures: dict[str, float], column: str, vi: str, en: str) -> None:
    """A results file's unit inputs meet the one rule of a unit's figures
    (evalkit._columns.unit_value_rules): a task count above its bound or a figure beyond any
    unit's was read back and printed on no complaint, where the workbook and a units frame
    refuse it."""
    path = tmp_path / "ket-qua.json"
    doc = _doc(path)
    doc["data"]["unit_inputs"][0].update(figures)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_results(path)
    got = [(p.sheet, p.row, p.column, messages.sentence(p, "vi"), messages.sentence(p, "en"))
           for p in err.value.problems]
    assert got == [("unit_inputs", 1, column, vi, en)], got
