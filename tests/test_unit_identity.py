"""Who a unit is (the units sheet's name, governing body and place) reaches every sheet
(audit 14, unit_place_lost and summary_vs_cli).

docs/workbook.md: ``place`` is "the place of the date line", ``governing_body`` is printed
above the unit's name. With the signatories sheet left empty (no agency named) and no
organisation, the sheets used to print neither and the unit summary showed the unit's id.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path

import pandas as pd
from pypdf import PdfReader

import evalkit
from evalkit.cli import main
from evalkit.render import Agency, sheets_from_results, summaries_from_results
from evalkit.units import classify_frame
from tests._io_helpers import filled_workbook, person

NAME, GOV, PLACE = "Phòng Một", "UBND TỈNH THANH HÓA", "Thanh Hóa"


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    top = evalkit.rules.get("vn.nd335-2025").full_marks()
    staff = pd.DataFrame([{"staff_id": "A", "full_name": "Trần Văn An", "unit_id": "U1",
                           "category": "cong_chuc", "period": "2026-03", **top}])  # fmt: skip
    units = pd.DataFrame({"unit_id": ["U1"], "name": [NAME], "governing_body": [GOV],
                          "place": [PLACE]})  # fmt: skip
    st, un = classify_frame(staff, units)
    return staff.join(st.drop(columns=staff.columns, errors="ignore")), un


def test_the_unit_results_carry_who_the_unit_is() -> None:
    _, un = _frames()
    assert un.loc[0, ["name", "governing_body", "place"]].tolist() == [NAME, GOV, PLACE]


def test_summaries_and_sheets_print_the_units_name_body_and_place() -> None:
    results, un = _frames()
    summary = summaries_from_results(results, un)[0]
    assert (summary.unit.name, summary.unit.place) == (NAME, PLACE)
    assert (summary.agency.name, summary.agency.governing_body, summary.agency.place) == (
        NAME, GOV, PLACE)  # fmt: skip
    sheet = sheets_from_results(results, unit_results=un)[0]
    assert (sheet.unit.name, sheet.unit.place) == (NAME, PLACE)
    assert (sheet.agency.governing_body, sheet.agency.place) == (GOV, PLACE)
    results.attrs["units"] = un  # the workflow's results carry their unit results
    assert sheets_from_results(results)[0].agency == sheet.agency


def test_a_named_agency_still_heads_the_sheets() -> None:
    results, un = _frames()
    named = Agency("Sở Nội vụ", governing_body="UBND TỈNH", place="Hà Nội")
    assert sheets_from_results(results, unit_results=un, agency=named)[0].agency == named
    assert summaries_from_results(results, un, agency=named)[0].agency == named


def _text(pdf: Path) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def test_the_cli_keeps_the_units_sheet_identity_without_signatories(tmp_path: Path) -> None:
    path = filled_workbook(tmp_path / "m.xlsx", [person("CC-1"), person("CC-2")], units=[
        {"unit_id": "P1", "name": NAME, "governing_body": GOV, "place": PLACE,
         "tasks_assigned": 1, "tasks_done": 1}])  # fmt: skip
    out = tmp_path / "r.json"
    assert main(["classify", str(path), "--out", str(out)], stdout=io.StringIO()) == 0
    unit = json.loads(out.read_text(encoding="utf-8"))["data"]["units"][0]
    assert (unit["name"], unit["governing_body"], unit["place"]) == (NAME, GOV, PLACE)
    for source in (path, out):
        pdfs = tmp_path / f"p_{source.suffix[1:]}"
        assert main(["render", str(source), "--out", str(pdfs)], stdout=io.StringIO()) == 0
        found = sorted(pdfs.rglob("*.pdf"))
        assert len(found) == 3  # two sheets and the unit summary
        for pdf in found:
            text = _text(pdf)
            assert f"{PLACE}, ngày" in text and GOV in text and NAME in text, pdf.name
