"""A sheet rendered from the archive after `amend` says, in Vietnamese, that the result
was amended after it was finalized: when, by whom, the written reason and what changed
(a signed sheet is a legal document: the amendment's record is kept, docs/monthly-script.md
§6, and the sheet printed from the amended month must not pass for the finalized one)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from evalkit.io.archive import Archive
from evalkit.render import render_html, sheets_from_results
from tests._archive_helpers import ND335, classified, task_ids
from tests._cli_helpers import run
from tests.test_archive_cli_words import foreign

PEOPLE = {"H": 100.0, "A": 95.0, "B": 80.0}
TASK = task_ids(ND335)[0]
WHY = "Kết luận lại sau kiểm tra công vụ: hồ sơ đạt yêu cầu"
BY = "Giám đốc Sở"


@pytest.fixture
def amended(tmp_path: Path) -> tuple[Path, str]:
    """2026-03 finalized, then B's first task component amended from 80 to 100; the
    amendment's date as the sheet prints it (dd/mm/yyyy)."""
    path = tmp_path / "a.sqlite"
    results, units, inputs = classified("2026-03", PEOPLE, head="H")
    with Archive(path) as arc:
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        a = arc.amend("2026-03", "B", {TASK: 100}, by=BY, why=WHY)
    on = dt.datetime.fromisoformat(a.amended_at).date()
    return path, on.strftime("%d/%m/%Y")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ")


class TestAmendedSheet:
    def test_the_amended_persons_sheet_says_when_by_whom_and_why(
        self, amended: tuple[Path, str]
    ) -> None:
        """The amended person's sheet names the amendment, its date, who made it and the
        written reason, with the total before and after."""
        path, on = amended
        with Archive(path) as arc:
            month = arc.month("2026-03")
        sheets = {s.staff.id: s for s in sheets_from_results(month)}
        text = _text(render_html(sheets["B"]))
        assert "Điều chỉnh sau khi chốt" in text
        assert on in text and BY in text and WHY in text
        before = month.reset_index().set_index("staff_id")
        assert "→" in text
        assert f"{before.loc['B', 'total']:g}".replace(".", ",") in text  # the new total

    def test_a_sheet_no_amendment_touched_says_nothing_of_one(
        self, amended: tuple[Path, str]
    ) -> None:
        """Only the rows an amendment changed carry its record."""
        path, _ = amended
        with Archive(path) as arc:
            month = arc.month("2026-03")
        sheets = {s.staff.id: s for s in sheets_from_results(month)}
        assert "Điều chỉnh sau khi chốt" not in _text(render_html(sheets["A"]))

    def test_the_finalized_month_as_it_was_carries_no_amendment(
        self, amended: tuple[Path, str]
    ) -> None:
        """``original=True`` is the month as finalized: no amendment on any sheet."""
        path, _ = amended
        with Archive(path) as arc:
            month = arc.month("2026-03", original=True)
        assert all("Điều chỉnh sau khi chốt" not in _text(render_html(s))
                   for s in sheets_from_results(month))

    def test_the_cli_renders_the_amendment_in_vietnamese_words(
        self, amended: tuple[Path, str], tmp_path: Path
    ) -> None:
        """`evalkit render --archive` prints the amendment on the PDF, with no code or
        English word in its lines."""
        from pypdf import PdfReader

        path, on = amended
        out = tmp_path / "phieu"
        code, _, err = run("render", "--archive", str(path), "--period", "2026-03",
                           "--out", str(out))  # fmt: skip
        assert code == 0, err
        (pdf,) = [f for f in out.glob("*.pdf") if "_B_" in f.name]
        text = " ".join(p.extract_text() for p in PdfReader(pdf).pages).replace("\xa0", " ")
        text = re.sub(r"\s+", " ", text)
        assert "Điều chỉnh sau khi chốt" in text and on in text and BY in text and WHY in text
        block = text[text.index("Điều chỉnh sau khi chốt"):text.index("D. CĂN CỨ")]
        assert foreign(block) == [], block

    def test_a_discipline_amended_in_a_monitored_month_shows_the_band_the_sheet_prints(
        self, tmp_path: Path
    ) -> None:
        """NĐ 335/2025 Điều 21: a month is scored, the year classified; the sheet prints the
        band of the score as information, and the reprimand (Điều 20 k4 c) hits the year.
        An amendment that records a reprimand says the disciplinary measure changed, and
        never that the band printed above it changed (it did not)."""
        path = tmp_path / "a.sqlite"
        results, units, inputs = classified("2026-03", PEOPLE, head="H")
        with Archive(path) as arc:
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
            arc.amend("2026-03", "A", {"discipline": "khiển trách"}, by=BY, why=WHY)
            month = arc.month("2026-03")
        sheets = {s.staff.id: s for s in sheets_from_results(month)}
        text = _text(render_html(sheets["A"]))
        block = text[text.index("Điều chỉnh sau khi chốt"):]
        assert "Hình thức kỷ luật: Không → Khiển trách" in block
        assert "Không hoàn thành nhiệm vụ" not in text[:text.index("D. CĂN CỨ")]

    def test_the_unit_summary_notes_the_amended_row(self, amended: tuple[Path, str]) -> None:
        """The unit summary printed from the amended month says of the amended person, in a
        note, that the result was amended after finalization, when, by whom and why; the
        others carry no such note."""
        from evalkit.render import render_unit_summary_html, summaries_from_results

        path, on = amended
        with Archive(path) as arc:
            month, units = arc.month_and_units("2026-03")
        (summary,) = summaries_from_results(month, unit_results=units)
        text = _text(render_unit_summary_html(summary))
        names = {r.staff.id: r.staff.full_name for r in summary.rows}
        said = [line for line in text.split("(") if "Điều chỉnh sau khi chốt" in line]
        assert len(said) == 1 and names["B"] in said[0]
        assert on in text and BY in text and WHY in text


@pytest.fixture
def amended_year(tmp_path: Path) -> tuple[Path, str]:
    """2026-02 and 2026-03 finalized, then B's March amended (its first task 80 → 100)."""
    path = tmp_path / "a.sqlite"
    with Archive(path) as arc:
        for per in ("2026-02", "2026-03"):
            results, units, inputs = classified(per, PEOPLE, head="H")
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        a = arc.amend("2026-03", "B", {TASK: 100}, by=BY, why=WHY)
    on = dt.datetime.fromisoformat(a.amended_at).date()
    return path, on.strftime("%d/%m/%Y")


class TestAmendedYearSheet:
    """A signed year sheet is a legal document: one of its months amended after it was
    finalized is said on it, in Vietnamese words — which month, when, by whom and why,
    and what changed — from the archive's record, as the month's own sheet says it."""

    def _sheets(self, path: Path) -> dict[str, str]:
        import pandas as pd

        from evalkit import classify_year
        from evalkit.render import period_sheets_from_results, render_period_html

        with Archive(path) as arc:
            read = [arc.month_and_units(p) for p in ("2026-02", "2026-03")]
        months = pd.concat([m for m, _ in read])
        year = classify_year(months, pd.concat([u for _, u in read]), force=True)
        return {s.staff.id: _text(render_period_html(s))
                for s in period_sheets_from_results(year, months)}

    def test_the_year_sheet_names_the_amended_month_when_by_whom_and_why(
        self, amended_year: tuple[Path, str]
    ) -> None:
        path, on = amended_year
        text = self._sheets(path)["B"]
        assert "Điều chỉnh sau khi chốt" in text
        block = text[text.index("Điều chỉnh sau khi chốt"):text.index("D. CĂN CỨ")]
        assert "03/2026" in block and on in block and BY in block and WHY in block
        assert "→" in block and "02/2026" not in block
        assert foreign(block) == [], block

    def test_a_year_no_amendment_touched_says_nothing_of_one(
        self, amended_year: tuple[Path, str]
    ) -> None:
        path, _ = amended_year
        assert "Điều chỉnh sau khi chốt" not in self._sheets(path)["A"]

    def test_the_annual_cli_prints_the_amendment_on_the_pdf(
        self, amended_year: tuple[Path, str], tmp_path: Path
    ) -> None:
        """`evalkit annual --archive --pdf` and `evalkit render --period 2026 --archive`
        both print the amended month on B's year sheet, in Vietnamese words."""
        from pypdf import PdfReader

        path, on = amended_year
        for args in (("annual", "--archive", str(path), "--year", "2026", "--pdf"),
                     ("render", "--archive", str(path), "--period", "2026", "--out")):
            out = tmp_path / args[0]
            code, _, err = run(*args, str(out))
            assert code == 0, err
            (pdf,) = [f for f in out.rglob("*.pdf") if "_B_" in f.name]
            text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
            text = re.sub(r"\s+", " ", text.replace("\xa0", " "))
            assert "Điều chỉnh sau khi chốt" in text, (args, text)
            block = text[text.index("Điều chỉnh sau khi chốt"):text.index("D. CĂN CỨ")]
            assert "03/2026" in block and on in block and BY in block and WHY in block
            assert foreign(block) == [], block


def test_a_month_typed_by_three_levels_shows_the_amended_value_that_counted(
    tmp_path: Path,
) -> None:
    """A workbook with the three levels' columns: `amend` corrects the value that counts
    (the competent level's (a) 90 % → 50 %), never what each level typed. The sheet keeps
    the typed 90 % in the competent level's cell and prints under it, named as the
    amendment, the 50 % that counted, and that level's points and total are the amended
    result's — never the typed 63 and 91 beside a result of 81,67. By hand: general 28 +
    (50 + 100 + 80) / 3 × 70 % = 28 + 53,67 = 81,67."""
    import contextlib
    import io

    from evalkit.cli import main
    from evalkit.render._view import criteria_rows
    from tests._io_helpers import TASKS, filled_workbook, person

    def levels(*names: str) -> dict[str, float]:
        return {f"{lv}__{k}": v for lv in names for k, v in TASKS.items()}

    book = filled_workbook(tmp_path / "t.xlsx", [person("A", **levels("self", "manager")),
                                                 person("B", **levels("self", "manager"))])
    arc = tmp_path / "a.sqlite"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["classify", str(book), "--out", str(tmp_path / "r.json")]) == 0
        assert main(["finalize", str(tmp_path / "r.json"), "--archive", str(arc),
                     "--by", "TCCB"]) == 0  # fmt: skip
        assert main(["amend", "--archive", str(arc), "--period", "2026-03", "--staff", "B",
                     "--set", "so_luong=50", "--by", BY, "--why", WHY]) == 0  # fmt: skip
    with Archive(arc) as a:
        month = a.month("2026-03")
    sheets = {s.staff.id: s for s in sheets_from_results(month)}
    rows = criteria_rows(sheets["B"], "vi")
    (at,) = [i for i, r in enumerate(rows) if r.kind == "criterion" and r.label.startswith("(a)")]
    assert rows[at].cells == ("90%", "90%", "90%")  # as each level typed it
    assert rows[at + 1].kind == "applied" and "Điều chỉnh sau khi chốt" in rows[at + 1].label
    assert rows[at + 1].cells == ("", "", "50%")
    (tasks,) = [r for r in rows if r.kind == "group" and "nhiệm vụ" in r.label]
    assert tasks.cells[2] == "53,67"
    assert [r.cells for r in rows if r.kind == "total"] == [("", "", "81,67")]
    # A, never amended, is as typed: no such row, its own total
    rows_a = criteria_rows(sheets["A"], "vi")
    assert not [r for r in rows_a if r.kind == "applied"]
    assert [r.cells for r in rows_a if r.kind == "total"] == [("", "", "91")]
    text = _text(render_html(sheets["B"]))
    assert "Tổng cộng 100 81,67" in text and "Tổng cộng 100 91" not in text
    # the unit summary's competent level: the total that counted, as on the sheet
    from evalkit.render import summaries_from_results
    from evalkit.render._view import summary_context

    with Archive(arc) as a:
        month, units = a.month_and_units("2026-03")
    (summary,) = summaries_from_results(month, unit_results=units)
    got = {r["name"]: (r["competent"], r["total"]) for r in summary_context(summary, "vi")["rows"]}
    assert got == {"Người A": ("91", "91"), "Người B": ("81,67", "81,67")}
