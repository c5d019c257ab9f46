"""Mutated input files never end in a traceback or a silent change of a grade (issue 16
item 5: the workbook, CSV, task-table and results-JSON families).

Hypothesis draws the mutations of ``tests/_fuzz_inputs.py`` — a cell's value or type, rows
and columns deleted or inserted, headers renamed, values right of the last header, sheets
removed; quotes, fields, encodings and cuts of a CSV; quantities, coefficients, errors and
dates of a task table; grades, totals, reasons and the bytes of a results document — and
each mutant must be a located error, a refusal by a later located check, or an accepted
input whose result is the clean input's (harmless mutations) or the object path's for the
changed data. The ``ci`` profile keeps the file well under a minute; ``python -m tests.fuzz
workbook csv tasks results_json`` (``make fuzz``) tries thousands.

The last class holds the bugs the fuzzer found, each as a plain example.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.errors import InputError
from evalkit.io.tasks import check_tasks, task_components
from evalkit.io.workbook import read_csv, read_month
from evalkit.messages import located
from tests import fuzz
from tests._fuzz_inputs import (
    CSV_COLUMNS,
    KINDS,
    PEOPLE,
    Case,
    Outcome,
    _base_results_doc,
    _csv_base_records,
    _render_csv,
    csv_base_result,
    object_path,
    results_base_rows,
    run_one,
    tasks_base_result,
    workbook_base_result,
)

_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
#: Examples per family: the ci profile keeps the file well under a minute on 2 cores.
EXAMPLES = {
    "workbook": {"ci": 30, "thorough": 400}.get(_PROFILE, 10),
    "csv": {"ci": 100, "thorough": 1500}.get(_PROFILE, 30),
    "tasks": {"ci": 80, "thorough": 1000}.get(_PROFILE, 30),
    "results_json": {"ci": 150, "thorough": 2000}.get(_PROFILE, 40),
}



def _check(family: str, data: st.DataObject, folder: Path) -> None:
    case, outcome = run_one(family, fuzz.HypothesisChooser(data), folder)
    assert outcome.kind != "failure", f"{case.preset}: {case.mutation}\n{outcome.detail}"


def _fuzz_test(family: str) -> Any:
    @settings(max_examples=EXAMPLES[family], deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])  # fmt: skip
    @given(data=st.data())
    def test(data: st.DataObject, tmp_path: Path) -> None:
        _check(family, data, tmp_path)

    test.__doc__ = (f"A mutated {KINDS[family][0]}: a located error, or the clean input's "
                    "result (harmless), or the object path's result (a change of the data).")
    return test


test_a_mutated_workbook_is_located_or_graded_as_its_data_says = _fuzz_test("workbook")
test_a_mutated_csv_is_located_or_graded_as_its_data_says = _fuzz_test("csv")
test_a_mutated_task_table_is_located_or_summarised_as_its_data_says = _fuzz_test("tasks")
test_a_mutated_results_document_is_located_refused_or_read_as_it_says = _fuzz_test(
    "results_json")


# =========================================================================== the harness


def test_the_clean_workbook_grades_as_the_object_path() -> None:
    """The harness's base: five people, HTXS 91, HTT 77, HTT 89, KHT (a reprimand), HTXS."""
    assert workbook_base_result() == {
        "CC-1": (91.0, "HTXS"), "CC-2": (77.0, "HTT"), "CC-3": (89.0, "HTT"),
        "CC-4": (91.0, "KHT"), "ĐV-5": (pytest.approx(90.3), "HTXS")}  # fmt: skip


def test_the_clean_csv_scores_as_the_object_path() -> None:
    """The CSV of the same five people scores the same."""
    assert csv_base_result() == object_path(PEOPLE)


def test_the_clean_task_table_gives_the_converted_ratio_by_hand() -> None:
    """A's March: done 2 × 1.5 + 3 × 0.5 of assigned 3 + 1 + 1.5 → 81.8 %."""
    people, units = tasks_base_result()
    assert people.loc[("A", "2026-03"), "so_luong"] == pytest.approx(4.5 / 5.5 * 100)
    assert units.loc[("U1", "2026-03"), "tasks_assigned"] == 5


def test_the_clean_results_document_reads_back() -> None:
    """The results JSON of the clean workbook: five rows, CC-4 KHT with its reason."""
    rows = results_base_rows()
    assert rows["CC-4"][:2] == (91.0, "KHT") and "disqualifier.discipline" in rows["CC-4"][2]
    assert len(rows) == 5


def test_a_garbage_mutation_accepted_is_a_failure() -> None:
    """The harness itself fails an accepted mutant whose data must be refused."""
    from tests._fuzz_inputs import _settle

    case = Case("x", "a date in a score cell", False, expected=None)
    assert _settle({"A": (1.0, "HT")}, case, {"A": (1.0, "HT")}).kind == "failure"
    ok = Case("x", "spaces", True)
    assert _settle({"A": (1.0, "HT")}, ok, {"A": (1.0, "HT")}) == Outcome("accepted",
                                                                          identical=True)


def test_the_runner_prints_each_family_with_its_identical_count() -> None:
    """``python -m tests.fuzz csv tasks results_json -n 8`` prints each row and the total."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = fuzz.main(["csv", "tasks", "results_json", "-n", "8", "--seed", "4"])
    assert code == 0, err.getvalue()
    lines = out.getvalue().splitlines()
    assert any(ln.startswith("| staff CSV | 8 |") and "identical)" in ln for ln in lines)
    assert any(ln.startswith("| task table | 8 |") for ln in lines)
    assert any(ln.startswith("| results JSON | 8 |") for ln in lines)
    assert any(ln.startswith("| **all** | 24 |") for ln in lines)


# =========================================================================== found by the fuzzer


class TestFoundByTheFuzzer:
    """Each bug the fuzz run found in a door, as a plain example."""

    def _csv(self, tmp_path: Path, text: str | bytes) -> tuple[pd.DataFrame, list[Any]]:
        path = tmp_path / "s.csv"
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return read_csv(path, "vn.nd335-2025", period="2026-03")

    def test_a_record_with_a_field_missing_is_refused_at_its_line(self, tmp_path: Path) -> None:
        """A lost comma shifted CC-4's values one column left: so_luong read 100, chat_luong
        80, tien_do 0, and the person was scored 70.23 (HTT) instead of 91 in silence."""
        records = _csv_base_records()
        del records[3][CSV_COLUMNS.index("so_luong")]
        frame, problems = self._csv(tmp_path, _render_csv(CSV_COLUMNS, records))
        assert [(p.row, p.file) for p in problems] == [(5, str(tmp_path / "s.csv"))]
        assert problems[0].message.startswith("line 5: 17 fields where the header has 18")
        assert "CC-4" not in set(frame["staff_id"])
        assert located(problems[0]).endswith("dòng này không được đọc")

    def test_a_csv_cut_inside_a_record_is_refused(self, tmp_path: Path) -> None:
        """A file cut after CC-2's third score: CC-2 was read as not evaluated, exit 0."""
        text = _render_csv(CSV_COLUMNS, _csv_base_records())
        cut = text.index("CC-2") + len("CC-2,Trần Thị Bình,P1,5,5,2.5")
        _, problems = self._csv(tmp_path, text[:cut])
        assert [p.row for p in problems] == [3]

    def test_trailing_empty_fields_and_blank_lines_are_still_harmless(
        self, tmp_path: Path
    ) -> None:
        """The short-record check leaves blank lines alone."""
        text = _render_csv(CSV_COLUMNS, _csv_base_records()).replace("\nCC-3", "\n\n,,\nCC-3")
        frame, problems = self._csv(tmp_path, text)
        assert problems == [] and len(frame) == 5

    def test_a_csv_cut_inside_a_letter_names_the_line(self, tmp_path: Path) -> None:
        """Bytes that are not UTF-8 are named with their line, not 'position 0'."""
        raw = _render_csv(CSV_COLUMNS, _csv_base_records()).encode()
        at = raw.index("Lê".encode()) + 2  # inside ê
        _, problems = self._csv(tmp_path, raw[:at])
        assert [p.row for p in problems] == [4]
        assert problems[0].message.startswith("not a readable UTF-8 CSV file")

    def test_an_assignee_with_a_zero_width_space_is_the_same_person(self) -> None:
        """'A\\u200b' was a second person 'A' with the task's share of A's work."""
        table = pd.DataFrame({"assignee": ["A", "A\u200b", " A"], "assigned": ["2026-03-01"] * 3,
                              "due": ["2026-03-10"] * 3,
                              "done": ["2026-03-09", None, None]})  # fmt: skip
        people = task_components(table).people
        assert people.index.tolist() == [("A", "2026-03")]
        assert people.loc[("A", "2026-03"), "so_luong"] == pytest.approx(100 / 3)

    def test_an_assignee_of_only_a_zero_width_space_is_blank(self) -> None:
        """It printed as nothing and was counted as a person."""
        table = pd.DataFrame({"assignee": ["\u200b"], "assigned": ["2026-03-01"],
                              "due": ["2026-03-10"]})  # fmt: skip
        assert [(p.row, p.column, p.message) for p in check_tasks(table)] == [
            (0, "assignee", "blank assignee")]
        with pytest.raises(InputError):
            task_components(table)

    def test_a_total_past_floats_range_is_a_located_problem(self, tmp_path: Path) -> None:
        """JSON allows 10**400: read_results raised TypeError from numpy."""
        from evalkit.io.results import read_results

        doc = json.loads(_base_results_doc())
        doc["data"]["rows"][2]["total"] = 10**400
        path = tmp_path / "r.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(InputError) as info:
            read_results(path)
        assert [(p.row, p.column) for p in info.value.problems] == [(3, "total")]

    def test_a_period_that_is_a_list_is_a_located_problem(self, tmp_path: Path) -> None:
        """``"period": ["2026-03"]`` raised TypeError (unhashable) in the duplicate check
        (found by tests/test_archive_checks.py's fuzz test in the same run)."""
        from evalkit.io.results import read_results

        doc = json.loads(_base_results_doc())
        doc["data"]["rows"][1]["period"] = ["2026-03"]
        path = tmp_path / "r.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(InputError) as info:
            read_results(path)
        assert [(p.row, p.column) for p in info.value.problems] == [(2, "period")]

    def test_a_management_score_off_the_rule_sets_scale_is_refused_by_validate(
        self, tmp_path: Path
    ) -> None:
        """to_chuc_trien_khai 5.5 (NĐ 335 allows 100 or 50): validate said no problems,
        classify then refused the file."""
        from tests._io_helpers import filled_workbook, person

        path = filled_workbook(tmp_path / "t.xlsx", [person("CC-1", to_chuc_trien_khai=5.5)])
        problems = read_month(path).problems
        assert [(p.row, p.column, p.value) for p in problems] == [
            (2, "competent__to_chuc_trien_khai", 5.5)]
        assert problems[0].message.endswith("must be one of 100, 50 (the rule set's values)")

    def test_a_management_score_on_the_scale_is_read(self, tmp_path: Path) -> None:
        """100 and 50 are read as typed."""
        from tests._io_helpers import filled_workbook, person

        path = filled_workbook(tmp_path / "t.xlsx", [
            person("CC-1", manages_others="x", to_chuc_trien_khai=100, tap_hop_doan_ket=50)])
        month = read_month(path)
        assert month.problems == []
        assert month.staff.loc[2, "tap_hop_doan_ket"] == 50


def test_dates_of_the_harness_are_dates() -> None:
    """The task table's dates are real dates (the mutations rely on it)."""
    from tests._fuzz_inputs import TASKS

    assert all(isinstance(t["assigned"], dt.date) for t in TASKS)
