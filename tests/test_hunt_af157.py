"""Hunt af157 (issue 13, bad and odd input at every door).

``Decimal('NaN')`` in a column of numbers. A frame read from a database (``Decimal``
columns) or built by hand holds ``Decimal('NaN')`` where a value is unknown. The shared
reader (:mod:`evalkit._columns`) turns it into the text ``"NaN"`` before pandas takes it
for a blank, so that it is refused as "is not a finite number" like a typed ``NaN`` — but
only when pandas called the column ``decimal`` or ``mixed``. Beside a whole number
(``[Decimal('NaN'), 85]``) pandas calls the column ``mixed-integer``: the cell was then
read as blank, silently. A person with every other score typed got no total and no grade,
no reason, and no problem (``score_frame``, ``classify_frame``); in ``discipline`` the
cell was read as "no discipline" while ``[Decimal('NaN'), 'x']`` was refused. The same
cell through :class:`evalkit.Assessment` is refused (``ScoreError``: "is not a finite
number"); every door now says so.

A tab-separated ``.csv``. A sheet saved as tab-separated text and named ``.csv`` (Google
Sheets' and LibreOffice's "TSV", Excel's "Text (Tab delimited)" in UTF-8) was split on
``','``: its header was one column, and the reader said "a CSV file names no rule set" or,
given ``--rules``, that every required column was missing — not that the separator was a
tab. The separator is now found among ``,``, ``;`` and tab by the header's column ids
(:func:`evalkit.io._cells.csv_delimiter`), and the file reads as the comma file does.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
from evalkit.errors import InputError, ScoreError
from evalkit.io.workbook import read_csv
from evalkit.units import classify_frame
from tests._archive_helpers import ND335, month_inputs, scores
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

NAN = Decimal("NaN")
FULL = scores(ND335, 100)


def _problems(call: Any) -> list[Any]:
    with pytest.raises(InputError) as caught:
        call()
    return list(caught.value.problems)


def _frame(column: str, values: list[Any]) -> pd.DataFrame:
    rows = [{**FULL, "staff_id": f"S{i}", "period": "2026-07", "category": "cong_chuc",
             column: v} for i, v in enumerate(values)]  # fmt: skip
    frame = pd.DataFrame(rows)
    frame[column] = pd.Series(values, dtype=object)
    return frame


@pytest.mark.parametrize("column", ["so_luong", "pham_chat_dao_duc", "discipline"])
def test_a_decimal_nan_beside_a_whole_number_is_refused_at_its_row(column: str) -> None:
    frame = _frame(column, [NAN, 1])  # pandas: "mixed-integer"
    assert pd.api.types.infer_dtype(frame[column], skipna=True) == "mixed-integer"
    for problems in (_problems(lambda: evalkit.score_frame(frame, ND335)),):
        hit = [p for p in problems if p.column == column]
        assert [(p.row, p.staff_id) for p in hit] == [(0, "S0")]
        assert isinstance(hit[0].value, Decimal) and hit[0].value.is_nan()
    # the same as beside a text (pandas: "mixed"), which was refused already
    other = _problems(lambda: evalkit.score_frame(_frame(column, [NAN, "1"]), ND335))
    assert [p.message for p in other if p.column == column] \
        == [p.message for p in problems if p.column == column]  # fmt: skip


def test_the_month_door_refuses_it_too_and_the_object_door_agrees() -> None:
    staff, units = month_inputs("2026-07", {"A": 100, "B": 100})
    staff["so_luong"] = pd.Series([NAN, 100], dtype=object)
    problems = _problems(lambda: classify_frame(staff, units, ND335))
    assert [(p.row, p.staff_id, p.column) for p in problems] == [(0, "A", "so_luong")]
    with pytest.raises(ScoreError, match="finite"):
        evalkit.Assessment(staff_id="A", period="2026-07",
                           competent_scores={**FULL, "so_luong": NAN})  # fmt: skip
    assert "finite" in problems[0].message


@given(st.lists(st.one_of(st.integers(0, 100), st.floats(0, 100), st.decimals(0, 100),
                          st.sampled_from(["85", "8,5", " 90 "])), max_size=6),
       st.integers(0, 6))  # fmt: skip
def test_a_decimal_nan_is_refused_whatever_else_the_column_holds(
    others: list[Any], at: int
) -> None:
    """For all columns of numbers as Python objects (ints, floats, Decimals, texts), the
    ``Decimal('NaN')`` is refused at its row, never read as a blank."""
    at = min(at, len(others))
    values = [*others[:at], NAN, *others[at:]]
    problems = _problems(lambda: evalkit.score_frame(_frame("so_luong", values), ND335))
    nans = [p.row for p in problems if isinstance(p.value, Decimal) and p.value.is_nan()]
    assert nans == [at]


def test_a_tab_separated_csv_reads_as_the_comma_one(tmp_path: Path) -> None:
    rows = [["staff_id", "unit_id", "discipline", *FULL],
            ["CC-1", "P1", "khiển trách", *FULL.values()],
            ["CC-2", "P1", "", *[str(v).replace(".", ",") for v in FULL.values()]]]
    files = {}
    for name, sep in (("comma", ","), ("tab", "\t")):
        path = files[name] = tmp_path / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter=sep).writerows(rows)
    comma, comma_problems = read_csv(files["comma"], "vn.nd335-2025", period="2026-03")
    tab, tab_problems = read_csv(files["tab"], "vn.nd335-2025", period="2026-03")
    assert comma_problems == tab_problems == []
    pd.testing.assert_frame_equal(tab, comma)
    outs = {}
    for name, path in files.items():
        out = tmp_path / f"{name}-out.csv"
        code, _, err = run("--lang", "en", "score", str(path), "--rules", "vn.nd335-2025",
                           "--period", "2026-03", "--out", str(out))  # fmt: skip
        assert code == 0, err
        outs[name] = pd.read_csv(out, dtype=str)
    pd.testing.assert_frame_equal(outs["tab"], outs["comma"])
    assert outs["tab"].set_index("staff_id")["grade"].to_dict() == {"CC-1": "KHT", "CC-2": "HTXS"}


def test_render_refuses_a_results_file_finalize_refuses(tmp_path: Path) -> None:
    import json

    book = filled_workbook(tmp_path / "m.xlsx", [person("CC-1"), person("CC-2", so_luong=50)],
                           units=[{"unit_id": "P1", "name": "Phòng 1", "tasks_assigned": 10,
                                   "tasks_done": 10, "tasks_on_time": 10}])  # fmt: skip
    results = tmp_path / "r.json"
    code, _, err = run("--lang", "en", "classify", str(book), "--out", str(results))
    assert code == 0, err
    doc = json.loads(results.read_text(encoding="utf-8"))
    row = next(r for r in doc["data"]["rows"] if r["staff_id"] == "CC-2")
    # by hand: 28 + (50 + 100 + 80) / 3 × 0.7 = 28 + 53.67 = 81.67, HTT
    assert (row["total"], row["grade"]) == (81.67, "HTT")
    row.update(total=95.0, score_grade="HTXS", grade="HTXS")  # raised together
    edited = tmp_path / "e.json"
    edited.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    said = {}
    for command, where in (("render", ["--out", str(tmp_path / "pdf")]),
                           ("finalize", ["--archive", str(tmp_path / "a.sqlite"), "--by", "X"])):
        code, out, err = run("--lang", "en", command, str(edited), *where)
        assert code == 1, (command, out, err)
        said[command] = [line for line in (out + err).splitlines() if line.startswith("  - ")]
    # the same problems, each caller's inputs named as they are (af160)
    assert [line.replace("the inputs in the results file", "its inputs")
            for line in said["render"]] == [line.replace("the inputs archived with them",
                                                         "its inputs")
                                            for line in said["finalize"]]  # fmt: skip
    assert len(said["render"]) == 2 and all("CC-2" in line for line in said["render"])
    assert "95" in said["render"][0] and "81.67" in said["render"][0]
    assert not (tmp_path / "pdf").exists()


def _unit_month(staff_units: list[Any], unit_ids: list[Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    people = {f"S{i}": 100 for i in range(len(staff_units))}
    staff, units = month_inputs("2026-07", people, assigned=10, done=5)  # each unit HT
    staff["unit_id"] = pd.Series(staff_units, dtype=object)
    units = pd.concat([units] * len(unit_ids), ignore_index=True)
    units["unit_id"] = pd.Series(unit_ids, dtype=object)
    return staff, units


def test_a_staff_row_in_no_unit_is_refused_beside_number_unit_ids() -> None:
    staff, units = _unit_month(["P1", 2, "P9"], ["P1", 2])
    problems = _problems(lambda: classify_frame(staff, units, ND335))
    assert [(p.row, p.staff_id, p.column, p.value) for p in problems] == [(2, "S2", "unit_id", "P9")]
    assert "unknown unit 'P9'" in problems[0].message


@pytest.mark.parametrize("dtype", [object, "str", "string[pyarrow]"])
def test_number_unit_ids_in_an_object_column_are_found_as_in_a_number_column(dtype: Any) -> None:
    """The ids 1 and '1' are one unit whatever the staff column's dtype."""
    staff, units = _unit_month([1, 1], ["1"])
    answers = []
    for column in (pd.Series([1, 1], dtype=object), pd.Series([1, 1], dtype="int64")):
        staff["unit_id"] = column
        out = classify_frame(staff, units.astype({"unit_id": dtype}), ND335)[0]
        answers.append(out[["staff_id", "total", "unit_grade"]])
    pd.testing.assert_frame_equal(answers[0], answers[1])
    # by hand: the unit did 5 of its 10 tasks, 50 %: the HT band (50 to < 70)
    assert answers[0]["unit_grade"].astype(str).tolist() == ["HT", "HT"]


def test_a_number_head_id_in_an_object_column_is_the_head() -> None:
    """A head id 7 among objects names the staff member '7', as in an int64 column (it
    was refused as differing from '7' "only in upper/lower case")."""
    staff, units = month_inputs("2026-07", {"7": 100, "8": 100}, head="7")
    answers = []
    for head in (pd.Series([7], dtype=object), pd.Series([7], dtype="int64")):
        out = classify_frame(staff, units.assign(head_id=head), ND335)[0]
        answers.append(out[["staff_id", "is_head", "total", "grade", "reasons"]])
    pd.testing.assert_frame_equal(answers[0], answers[1])
    assert answers[0]["is_head"].tolist() == [True, False]
