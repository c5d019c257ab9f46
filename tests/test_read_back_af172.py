"""af172 (issue 13): results read back from a file are checked whichever way they are passed in.

1. The mark "read back, not yet checked" is each row's (``evalkit._tables.READ_BACK``), not
   ``attrs`` alone: :func:`pandas.concat` keeps ``attrs`` only when every piece's are equal,
   so before af172 a checked month joined with an unchecked one lost every mark and was
   printed. Now months checked and joined are printed; an unchecked piece is refused,
   naming its file.
2. A year's results file (``evalkit annual --out``) passed as ``year`` to
   :func:`evalkit.render.period_sheets_from_results` was not checked at all: it is refused
   until :func:`evalkit.workflow.checked` classifies the year again from its months
   (:func:`evalkit.classify_year`, the one engine) and finds the same ``annual_total`` and
   ``annual_grade``.
3. A month results file whose rows say ``classified_by_unit`` while it carries no inputs of
   their unit (removed, or the mark edited to true on a month only scored) was only
   band-checked: units come before individuals (NĐ 335/2025/NĐ-CP Điều 21; QĐ 3814-QĐ/TU),
   so such a row cannot be classified again and is refused, naming the unit and the file,
   by ``finalize``, ``render``, :meth:`Archive.finalize` and ``workflow.checked`` alike.
4. A leader's applied management component (``mgmt_value``, the d of NĐ 335/2025 Điều 15
   k3 computed from the scores of the staff under them, printed on the sheet) was trusted:
   it is classified again from the file's unit inputs and a difference refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from evalkit import workflow
from evalkit.errors import InputError, RenderError
from evalkit.io.archive import Archive
from evalkit.io.results import read_results, unit_inputs_of, units_of, write_results
from evalkit.render import period_sheets_from_results, sheets_from_results
from evalkit.units import classify_year
from tests._archive_helpers import classified
from tests._cli_helpers import ok, run
from tests.test_score_only_finalize_af168 import _lines, _scored


def _variant(src: Path, name: str, change: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of the results file ``src`` with its document's ``data`` changed by hand."""
    doc = json.loads(src.read_text(encoding="utf-8"))
    change(doc["data"])
    out = src.with_name(f"{name}.json")
    out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return out


def _every_door_refuses(path: Path, tmp_path: Path, *expected: str) -> None:
    """``workflow.checked``, ``Archive.finalize``, ``evalkit finalize`` and ``evalkit
    render`` of the results file ``path`` refuse it, each problem naming the file and
    saying ``expected``; nothing is archived or printed."""
    with pytest.raises(InputError) as caught:
        workflow.checked(read_results(path))
    said = [str(p) for p in caught.value.problems]
    assert all(str(path) in s for s in said), said
    for e in expected:
        assert any(e in s for s in said), (e, said)
    month = read_results(path)
    with Archive(tmp_path / "py.sqlite") as arc, pytest.raises(InputError) as caught:
        arc.finalize(month, by="X", units=units_of(month), unit_inputs=unit_inputs_of(month))
    for e in expected:
        assert any(e in str(p) and str(path) in str(p) for p in caught.value.problems), e
    with Archive(tmp_path / "py.sqlite") as arc:
        assert not arc.months()
    archive = tmp_path / "cli.sqlite"
    for args in (("finalize", str(path), "--archive", str(archive), "--by", "X"),
                 ("render", str(path), "--out", str(tmp_path / "pdf"))):  # fmt: skip
        code, out, err = run("--lang", "en", *args)
        lines = _lines(out, err)
        assert code == 1 and lines, (args, out, err)
        assert all(str(path) in line for line in lines), lines
        for e in expected:
            assert any(e in line for line in lines), (e, lines)
    assert not (tmp_path / "pdf").exists() or not list((tmp_path / "pdf").rglob("*.pdf"))
    if archive.exists():
        with Archive(archive) as arc:
            assert not arc.months()


# ----------------------------------------------------------------- 1. the mark survives concat


class TestTheMarkGoesWithTheRows:
    def test_a_checked_month_joined_with_an_unchecked_one_is_refused_naming_its_file(
            self, tmp_path: Path) -> None:  # fmt: skip
        """Before af172 the joined frame had no attrs (they differ) and was printed."""
        path = _scored(tmp_path, command="classify")
        month = read_results(path)
        good = workflow.checked(month)
        joined = pd.concat([good.iloc[:2], month.iloc[2:]])
        assert not joined.attrs  # pandas dropped them: the rows keep the mark
        with pytest.raises(RenderError, match=f"read back from {path}"):
            sheets_from_results(joined)
        year = classify_year(good, None, None, to="quarter")
        with pytest.raises(RenderError, match=f"read back from {path}"):
            period_sheets_from_results(year, joined)
        with pytest.raises(InputError) as caught:
            workflow.checked(joined)
        assert [p.file for p in caught.value.problems] == [str(path)]
        assert "check each file's results" in str(caught.value.problems[0])

    def test_the_unit_summaries_refuse_an_unchecked_month_as_the_sheets_do(
            self, tmp_path: Path) -> None:  # fmt: skip
        """A summary lists every person's total and grade: before af172 an unchecked
        month read back was listed (``summaries_from_results``, ``write_reports``)."""
        from evalkit.render import summaries_from_results, write_reports

        path = _scored(tmp_path, command="classify")
        month = read_results(path)
        with pytest.raises(RenderError, match=f"read back from {path}"):
            summaries_from_results(month, units_of(month))
        good = workflow.checked(month)
        sheets = sheets_from_results(good)
        with pytest.raises(RenderError, match=f"read back from {path}"):
            write_reports(sheets, tmp_path / "units", results=month)
        assert summaries_from_results(good, units_of(good))

    def test_months_checked_then_joined_are_printed(self, tmp_path: Path) -> None:
        path = _scored(tmp_path, command="classify")
        good = workflow.checked(read_results(path))
        joined = pd.concat([good.iloc[:2], good.iloc[2:]])
        assert len(sheets_from_results(joined)) == len(good)
        year = classify_year(good, None, None, to="quarter")
        assert period_sheets_from_results(year, joined)

    def test_the_mark_is_never_written_to_a_file_nor_archived(self, tmp_path: Path) -> None:
        """The column says where rows were read from: no result of the month."""
        from evalkit._tables import READ_BACK

        path = _scored(tmp_path, command="classify")
        month = read_results(path)
        assert READ_BACK in month.columns
        assert READ_BACK not in workflow.checked(month).columns
        again = write_results(month, tmp_path / "again.json")
        assert READ_BACK not in json.loads(again.read_text(encoding="utf-8"))["data"]["columns"]
        with Archive(tmp_path / "a.sqlite") as arc:
            arc.finalize(month, by="X", units=units_of(month), unit_inputs=unit_inputs_of(month))
            assert READ_BACK not in arc.month("2026-03").columns


# ----------------------------------------------------------------- 2. a year read back


@pytest.fixture(scope="module")
def year_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two months finalized with their unit results and inputs; the year by ``annual --out``
    (A, at 100 both months, is demoted to HTT by the year's quota: 20 % of 4 HTT is 0)."""
    folder = tmp_path_factory.mktemp("af172-year")
    path = folder / "a.sqlite"
    people = {"H": 100.0, "A": 100.0, **{f"B{i}": 80.0 for i in range(4)}}
    with Archive(path) as arc:
        for per in ("2026-03", "2026-04"):
            results, units, inputs = classified(per, people, head="H")
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
    out = folder / "nam.json"
    ok("annual", "--archive", str(path), "--year", "2026", "--out", str(out))
    return path, out


def _months(archive: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    with Archive(archive) as arc:
        pers = ("2026-03", "2026-04")
        return (pd.concat([arc.month(p) for p in pers], ignore_index=True),
                pd.concat([arc.units(p) for p in pers], ignore_index=True))


class TestAYearReadBack:
    def test_an_unchecked_year_is_refused_by_the_sheets(self, year_file: tuple[Path, Path]) -> None:
        """Before af172 only the months were checked: the year's rows went to the sheets."""
        archive, path = year_file
        months, _units = _months(archive)
        with pytest.raises(RenderError, match=f"read back from {path}"):
            period_sheets_from_results(read_results(path), months)

    def test_a_year_as_the_engine_gives_it_is_printed(self, year_file: tuple[Path, Path]) -> None:
        archive, path = year_file
        months, units = _months(archive)
        year = workflow.checked(read_results(path), months=months, unit_results=units)
        assert len(period_sheets_from_results(year, months)) == 6

    def test_a_year_edited_by_hand_is_refused_naming_staff_column_value_and_computed(
            self, year_file: tuple[Path, Path], tmp_path: Path) -> None:  # fmt: skip
        """B0 averages 86.0 (HTT); raised to 95 HTXS everywhere the row says it, band and
        grade agree, so only classifying the year again from the months finds it."""
        archive, path = year_file
        months, units = _months(archive)

        def raise_b0(data: dict[str, Any]) -> None:
            row = next(r for r in data["rows"] if r["staff_id"] == "B0")
            row.update(annual_total=95.0, annual_grade="HTXS", total=95.0, grade="HTXS",
                       score_grade="HTXS")

        edited = _variant(path, "nam-sua", raise_b0)
        with pytest.raises(InputError) as caught:
            workflow.checked(read_results(edited), months=months, unit_results=units)
        found = {(p.file, p.staff_id, p.column, p.value) for p in caught.value.problems}
        assert found == {(str(edited), "B0", c, v) for c, v in (
            ("annual_total", 95.0), ("annual_grade", "HTXS"), ("total", 95.0),
            ("grade", "HTXS"))}  # fmt: skip
        # at B0's record, counted from 1 in the file, as its reader names it (af216)
        rows = json.loads(edited.read_text(encoding="utf-8"))["data"]["rows"]
        place = [r["staff_id"] for r in rows].index("B0") + 1
        assert {p.row for p in caught.value.problems} == {place}
        said = str(caught.value.problems[0])
        assert "the annual total is 95.0 but its inputs give 86.0" in said
        assert "the months given" in said

    def test_a_year_without_its_months_is_refused(self, year_file: tuple[Path, Path]) -> None:
        _archive, path = year_file
        with pytest.raises(InputError, match="pass the months"):
            workflow.checked(read_results(path))

    def test_the_command_line_refuses_the_years_file_as_before(
            self, year_file: tuple[Path, Path], tmp_path: Path) -> None:  # fmt: skip
        """``render --period 2026`` takes months (files or ``--archive``), never a year's
        file: refused once (af113), nothing written."""
        _archive, path = year_file
        code, _out, err = run("--lang", "en", "render", str(path), "--period", "2026",
                              "--out", str(tmp_path / "y"))  # fmt: skip
        assert code == 1 and "holds the results of the year 2026" in err
        assert not (tmp_path / "y").exists() or not list((tmp_path / "y").rglob("*.pdf"))


# ----------------------------------------------------------------- 3. classified by unit


class TestAClassificationNeedsItsUnitsInputs:
    def test_a_classified_file_without_its_unit_inputs_is_refused_at_every_door(
            self, tmp_path: Path) -> None:  # fmt: skip
        """Before af172 it was archived ("cannot be amended") and printed."""
        path = _variant(_scored(tmp_path, command="classify"), "no-inputs",
                        lambda d: d.pop("unit_inputs"))  # fmt: skip
        _every_door_refuses(path, tmp_path, "results of unit 'P1'",
                            "carries no inputs of unit 'P1'")

    def test_a_scored_file_marked_classified_by_hand_is_refused(self, tmp_path: Path) -> None:
        """``score --out`` writes false (a month only scored is scored again from its own
        rows); true by hand would have skipped that check and printed the grades."""
        def mark(data: dict[str, Any]) -> None:
            for row in data["rows"]:
                row["classified_by_unit"] = True

        path = _variant(_scored(tmp_path, command="score"), "marked", mark)
        _every_door_refuses(path, tmp_path, "4 results of unit 'P1'")

    def test_the_unit_whose_inputs_were_removed_is_named(self, tmp_path: Path) -> None:
        """A second unit's rows kept: only P1's removal is said, once, with its count."""
        def other_unit(data: dict[str, Any]) -> None:
            data["unit_inputs"] = [{**data["unit_inputs"][0], "unit_id": "P9"}]

        path = _variant(_scored(tmp_path, command="classify"), "other", other_unit)
        with pytest.raises(InputError) as caught:
            workflow.checked(read_results(path))
        assert [(p.file, p.unit_id, p.column) for p in caught.value.problems] == [
            (str(path), "P1", "classified_by_unit")]


# ----------------------------------------------------------------- 4. a leader's d


class TestALeadersAppliedComponent:
    def test_an_edited_mgmt_value_is_refused_with_the_computed_one(self, tmp_path: Path) -> None:
        """H1 heads P1, where CC-3 scores 28 (< 50): d is 50 (NĐ 335/2025 Điều 15 k3).
        Typed 100 in the file, the total left alone, the sheet would print d = 100."""
        def raise_d(data: dict[str, Any]) -> None:
            next(r for r in data["rows"] if r["staff_id"] == "H1")["mgmt_value"] = 100.0

        path = _variant(_scored(tmp_path, command="classify"), "d", raise_d)
        _every_door_refuses(path, tmp_path, "staff 'H1': the management component d applied "
                                            "is 100.0 but its inputs give 50.0")
        with pytest.raises(InputError) as caught:
            workflow.checked(read_results(path))
        assert [(p.file, p.column, p.value) for p in caught.value.problems] == [
            (str(path), "mgmt_value", 100.0)]

    def test_the_file_as_classify_wrote_it_passes(self, tmp_path: Path) -> None:
        path = _scored(tmp_path, command="classify")
        assert len(sheets_from_results(workflow.checked(read_results(path)))) == 4
