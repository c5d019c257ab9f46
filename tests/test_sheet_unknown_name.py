"""A sheet is a legal document: where the results carry no ``full_name`` and no
organisation names the person, the name line is left for the name to be written by hand (a
dotted line, as the date's), never the staff id printed as a name (af66); the monthly
sheet and the year's sheet alike, the signature under the person's block too."""

from __future__ import annotations

import re

import pandas as pd

import evalkit
from evalkit import render

RS = evalkit.rules.get("vn.nd335-2025")
UNITS = pd.DataFrame({"unit_id": ["U"]})


def _months(*, named: bool) -> pd.DataFrame:
    top = {c.id: c.maximum for c in RS.criteria() if c.group == "general"}
    return pd.DataFrame([{"staff_id": "CC-07", "period": f"2026-{m:02d}", "unit_id": "U",
                          **({"full_name": "Lê Thị Hoa"} if named else {}), **top,
                          "so_luong": 90, "chat_luong": 90, "tien_do": 90}
                         for m in (1, 2)])  # fmt: skip


def _name_line(html: str) -> str:
    found = re.search(r'Họ và tên: <span class="name">([^<]*)</span>', html)
    assert found is not None
    return found.group(1)


def _signed_names(html: str) -> list[str]:
    return re.findall(r'<div class="sig-name">([^<]*)</div>', html)


def test_the_monthly_sheet_leaves_the_name_to_be_written() -> None:
    staff, _ = evalkit.classify_frame(_months(named=False), UNITS)
    html = render.render_html(render.sheets_from_results(staff)[0])
    assert _name_line(html).strip("…") == ""  # a dotted line, not "CC-07"
    assert "CC-07" not in _signed_names(html)


def test_the_years_sheet_leaves_the_name_to_be_written() -> None:
    staff, units = evalkit.classify_frame(_months(named=False), UNITS)
    year = evalkit.classify_year(staff, units)
    html = render.render_period_html(render.period_sheets_from_results(year, staff)[0])
    assert _name_line(html).strip("…") == ""
    assert "CC-07" not in _signed_names(html)


def test_a_known_name_is_printed() -> None:
    staff, _ = evalkit.classify_frame(_months(named=True), UNITS)
    html = render.render_html(render.sheets_from_results(staff)[0])
    assert _name_line(html) == "Lê Thị Hoa" and "Lê Thị Hoa" in _signed_names(html)


def _unit_line(html: str) -> str:
    found = re.search(r"Đơn vị công tác: ([^<]*)</p>", html)
    assert found is not None
    return found.group(1)


def test_a_unit_only_its_id_names_is_written_by_hand_too() -> None:
    """Without a units sheet's ``name`` nor an organisation, neither the unit line nor the
    header's agency prints the unit id "U" as a name: both are left to be written."""
    staff, units = evalkit.classify_frame(_months(named=True), UNITS)
    year = evalkit.classify_year(staff, units)
    for html in (render.render_html(render.sheets_from_results(staff, unit_results=units)[0]),
                 render.render_period_html(render.period_sheets_from_results(
                     year, staff, unit_results=units)[0])):
        assert _unit_line(html).strip("…") == ""
        assert '<div class="agency-name">U</div>' not in html


def test_a_named_unit_is_printed() -> None:
    staff, units = evalkit.classify_frame(_months(named=True),
                                          UNITS.assign(name="Phòng Tổ chức cán bộ"))  # fmt: skip
    html = render.render_html(render.sheets_from_results(staff, unit_results=units)[0])
    assert _unit_line(html) == "Phòng Tổ chức cán bộ"
    assert '<div class="agency-name">Phòng Tổ chức cán bộ</div>' in html
