"""Every CSV reader of `evalkit.io` says a file it cannot read in the same words.

There is one way a CSV is opened (`evalkit.io._cells.open_csv`) and one wording of why it
cannot be read (`evalkit.io.workbook._csv_failure`): the score sheet, the organisation's
three files, the small tables typed by people (the year's conclusions, the units' grades)
and the inspection findings all go through them. A missing file, a file saved in a
Windows code page and a folder given as a file get the same sentence, naming the file, and for
text that is not UTF-8 the line that holds the first bad bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from evalkit.errors import InputError, InputProblem
from evalkit.io.inspections import read_inspections
from evalkit.io.workbook import read_csv, read_organisation, read_table_csv
from evalkit.messages import msg


def _score_sheet(path: Path) -> list[InputProblem]:
    return read_csv(path, "vn.nd335-2025", period="2026-08")[1]


def _organisation(path: Path) -> list[InputProblem]:
    org, problems = read_organisation(units=path)
    assert org is None
    # the two files not given are said too (test_organisation_files_not_given); here: the one read
    return [p for p in problems if p.file is not None]


def _raised(read: Callable[[Path], object]) -> Callable[[Path], list[InputProblem]]:
    def run(path: Path) -> list[InputProblem]:
        with pytest.raises(InputError) as info:
            read(path)
        return list(info.value.problems)

    return run


READERS = {
    "score sheet": _score_sheet,
    "organisation": _organisation,
    "table": _raised(read_table_csv),
    "inspections": _raised(read_inspections),
}


def _only(problems: list[InputProblem], path: Path) -> InputProblem:
    assert len(problems) == 1, [str(p) for p in problems]
    (found,) = problems
    assert found.file == str(path)
    return found


@pytest.mark.parametrize("reader", READERS)
def test_a_missing_file(tmp_path: Path, reader: str) -> None:
    path = tmp_path / "khong-co.csv"
    found = _only(READERS[reader](path), path)
    assert found.message == str(msg("problem.file_missing"))
    assert found.row is None


@pytest.mark.parametrize("reader", READERS)
def test_text_not_utf8_names_its_line(tmp_path: Path, reader: str) -> None:
    path = tmp_path / "latin1.csv"
    # a header every reader accepts the first line of, then a line saved in Latin-1 (a Windows code page)
    path.write_bytes(b"staff_id,unit_id\nA,P1\n" + "B,Phòng\n".encode("latin-1"))
    found = _only(READERS[reader](path), path)
    assert found.row == 3
    assert found.message.startswith(str(msg("problem.not_utf8", detail=""))[:40])


@pytest.mark.parametrize("reader", READERS)
def test_a_folder_given_as_a_file(tmp_path: Path, reader: str) -> None:
    path = tmp_path / "thu-muc.csv"
    path.mkdir()
    found = _only(READERS[reader](path), path)
    prefix = str(msg("problem.cannot_read", detail="")).rstrip()
    assert found.message.startswith(prefix)
    assert found.message != prefix  # the system's reason follows


def test_organisation_files_not_given(tmp_path: Path) -> None:
    """`read_organisation(units=…)` alone: each file not given is said as such, with no
    file named (it printed "None, column 'position_id': the workbook has no sheet …")."""
    units = tmp_path / "don-vi.csv"
    units.write_text("unit_id,name\nP1,Phòng Tổ chức\n", encoding="utf-8")
    org, problems = read_organisation(units=units)
    assert org is None
    missing = {p.column: p for p in problems if p.file is None}
    assert set(missing) == {"position_id"}  # (no staff file: an organisation of units alone)
    said = missing["position_id"]
    assert said.message == str(msg("problem.org_file_not_given", what="positions",
                                   argument="positions"))
    assert "None" not in str(said) and "workbook" not in str(said)
    assert all(p.file in (None, str(units)) for p in problems), [str(p) for p in problems]
