"""af214: every document prints a unit's and a person's name whole (a Vietnamese sheet is a
legal document: a name cut to "Phòng Công" with no ellipsis, or to "Phòng Xây dựng chính
quyền và Công tác…", names nobody).

The impact page cut its table cells (``white-space: nowrap; overflow: hidden`` in narrow
columns) and its rows (a person's name to 24 characters, a unit's to 24 or 60, with "…");
the overview's chart of units cut a unit's name to 40 characters. Now the cells wrap in
fixed columns that fit the page, and no door shortens a name. Each document kind is
rendered with a unit and a person whose names are 60 characters or more, and the whole
names are read back from the PDF (``pdftotext -raw``: the text in the order it is drawn, a
wrapped cell's lines together; the default reading order can slip a neighbouring cell
between them); the pages whose length is fixed by the data (the demo's sheets, the impact
page) keep their page count.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import attrs
import pypdf
import pytest

from evalkit import render
from evalkit.demo import DemoResults, classify_demo, load_demo
from evalkit.impact import ImpactReport, compare_rule_sets, demo_data
from tests.test_impact import _demo_with_two_differences

#: The unit and the person renamed: SNV-104 (Hoàng Thị Lan) works in SNV-VP (Văn phòng Sở)
#: all year, and the impact comparison NĐ 90 → NĐ 233 changes her grade.
UNIT, STAFF = "SNV-VP", "SNV-104"
LONG_UNIT = "Phòng Xây dựng chính quyền, Công tác thanh niên và Cải cách hành chính tỉnh Sông Lam"
LONG_NAME = "Công Tôn Nữ Thị Hoàng Phương Thảo Quỳnh Anh Diệu Huyền Ngọc Trâm Bích Thủy"


#: A word cut short with an ellipsis ("Phòng Xây dựng chính quyền và Công tác…"); not the
#: blanks to fill in ("ngày …… tháng") nor the rows left to the CSV ("… và 3 dòng nữa").
CUT = re.compile(r"\w…")


def test_the_names_are_long() -> None:
    """The names this file prints are 60 characters or more."""
    assert min(len(LONG_UNIT), len(LONG_NAME)) >= 60


def pdf_text(path: Path, *, raw: bool = True) -> str:
    """The words of a PDF in the order they are drawn (``raw``; else in reading order),
    white space collapsed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    said = subprocess.run(["pdftotext", *(["-raw"] if raw else []), str(path), "-"],
                          check=True, capture_output=True, text=True).stdout  # fmt: skip
    return " ".join(said.split())


def pages(path: Path) -> int:
    return len(pypdf.PdfReader(str(path)).pages)


# ----------------------------------------------------------------------- the impact page


@pytest.fixture(scope="module")
def impact() -> ImpactReport:
    """The demo's NĐ 90 → NĐ 233 comparison (two people change grade, both in SNV-VP) with
    the unit and one of the two people renamed."""
    frame, units = _demo_with_two_differences()
    frame.loc[frame["staff_id"] == STAFF, "full_name"] = LONG_NAME
    units.loc[units["unit_id"] == UNIT, "name"] = LONG_UNIT
    return compare_rule_sets("vn.nd90-2020", "vn.nd233-2026", frame, units,
                             fill=demo_data().fill)  # fmt: skip


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_impact_page_prints_the_names_whole_on_one_page(
    impact: ImpactReport, lang: str, tmp_path: Path
) -> None:
    """The changes table names the person and the unit whole (twice: two people of the
    unit change), as do the distribution and the quota tables; still one page."""
    assert impact.changes["staff_id"].tolist() == [STAFF, "SNV-105"]
    path = impact.to_pdf(tmp_path / "impact.pdf", lang=lang)
    said = pdf_text(path)
    assert LONG_NAME in said
    # the distribution's row, the quota group's and the two changes' rows
    assert said.count(LONG_UNIT) >= 4
    assert CUT.search(said) is None
    assert pages(path) == 1


def test_the_terminal_table_keeps_the_names_whole(impact: ImpactReport) -> None:
    """The rows the page and the terminal share are not cut either."""
    from rich.console import Console

    console = Console(width=400, record=True)
    console.print(impact.to_table(lang="vi"))
    said = console.export_text()
    assert LONG_NAME in said and LONG_UNIT in said


# ------------------------------------------------------------------ the sheets and lists


@pytest.fixture(scope="module")
def renamed() -> tuple[object, DemoResults]:
    """The demo agency with SNV-VP and SNV-104 renamed, classified."""
    data = load_demo()
    org = data.organisation
    org = attrs.evolve(
        org,
        units=[attrs.evolve(u, name=LONG_UNIT) if u.id == UNIT else u for u in org.units],
        staff=[attrs.evolve(s, full_name=LONG_NAME) if s.id == STAFF else s
               for s in org.staff],
    )  # fmt: skip
    data = attrs.evolve(data, organisation=org)
    return data, classify_demo(data)


@pytest.fixture(scope="module")
def documents(renamed: tuple[object, DemoResults],
              tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:  # fmt: skip
    """December's sheet of SNV-104 and the unit's summary, her annual sheet, the unit's
    annual summary and publication list, the organisation's overview of the year."""
    data, r = renamed
    org = data.organisation  # type: ignore[attr-defined]
    out = tmp_path_factory.mktemp("af214")
    agency = render.Agency("Sở Nội vụ", governing_body="Ủy ban nhân dân tỉnh Sông Lam",
                           place="Lam Giang")  # fmt: skip
    month = r.months[(r.months["period"].astype(str) == "2026-12").to_numpy()]
    month.attrs.update(r.months.attrs)
    units = r.units[(r.units["period"].astype(str) == "2026-12").to_numpy()]
    units.attrs.update(r.units.attrs)
    sheet = next(s for s in render.sheets_from_results(month, org=org, agency=agency)
                 if s.staff.id == STAFF)  # fmt: skip
    summary = next(s for s in render.summaries_from_results(month, units, org=org,
                                                            agency=agency)
                   if s.unit.id == UNIT)  # fmt: skip
    annual = next(s for s in render.period_sheets_from_results(r.year, r.months, org=org,
                                                               agency=agency)
                  if s.staff.id == STAFF)  # fmt: skip
    year_summaries = render.summaries_from_results(r.year, r.unit_year, org=org, agency=agency)
    year_summary = next(s for s in year_summaries if s.unit.id == UNIT)
    overview = render.OrganisationOverview.from_summaries(year_summaries, organisation=org)
    publication = render.PublicationList.from_summary(year_summary, scores=True)
    made = {
        "sheet": render.render_pdf(sheet),
        "summary": render.render_unit_summary(summary),
        "annual": render.render_period_pdf(annual),
        "annual summary": render.render_unit_summary(year_summary),
        "overview": render.render_overview(overview),
        "publication": render.render_publication(publication),
    }
    paths = {}
    for kind, pdf in made.items():
        paths[kind] = out / f"{kind}.pdf"
        paths[kind].write_bytes(pdf)
    return paths


@pytest.mark.parametrize("kind", ["sheet", "summary", "annual", "annual summary",
                                  "overview", "publication"])  # fmt: skip
def test_every_document_prints_the_unit_whole(documents: dict[str, Path], kind: str) -> None:
    """The unit's name whole, never cut with an ellipsis (the overview's chart of units
    cut it at 40 characters)."""
    said = pdf_text(documents[kind])
    assert LONG_UNIT in said
    assert CUT.search(said) is None


@pytest.mark.parametrize("kind", ["sheet", "summary", "annual", "annual summary",
                                  "publication"])  # fmt: skip
def test_every_document_naming_the_person_prints_the_name_whole(
    documents: dict[str, Path], kind: str
) -> None:
    """The person's name whole, on their sheets and in their unit's lists."""
    assert LONG_NAME in pdf_text(documents[kind])


@pytest.mark.parametrize("kind", ["sheet", "annual"])
def test_a_sheet_with_long_names_stays_on_one_page(documents: dict[str, Path], kind: str) -> None:
    """The names wrap; the sheet still fits its one page (domain brief §5)."""
    assert pages(documents[kind]) == 1


# ------------------------------------------------- a citation in a table's narrow cell

#: A quota group's citation of 44 characters (one the sheets keep on one line, up to 48).
LONG_SOURCE = "NĐ 233/2026/NĐ-CP, Điều 12 k6 a và Phụ lục II"


def test_a_citation_wider_than_its_cell_wraps_inside_it(tmp_path: Path) -> None:
    """The unit summary's quota groups (a unit of công chức and viên chức) print each
    group's citation in the group's cell: one wider than the cell wraps there, never runs
    over the figures beside it (it was one unbreakable line drawn across the "20%")."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_quota import _mixed_year

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    year, _ = _mixed_year()
    (summary,) = render.summaries_from_results(year)
    sets = tuple(attrs.evolve(r, quota=attrs.evolve(r.quota, source=LONG_SOURCE))
                 if r.id == "vn.nd233-2026" else r for r in summary.all_rules)  # fmt: skip
    path = tmp_path / "mixed.pdf"
    path.write_bytes(render.render_unit_summary(attrs.evolve(summary, rule_sets=sets)))
    assert LONG_SOURCE in pdf_text(path, raw=False)  # (raw: the comma drawn apart)
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                           capture_output=True, text=True).stdout  # fmt: skip
    words = [(float(x0), float(x1), w) for x0, x1, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        boxes)]  # fmt: skip
    cell = min(x0 for x0, _, w in words if w == "Viên")  # the group's cell starts there
    percent = min(x0 for x0, _, w in words if w == "20%" and x0 > cell)  # its first figure
    cited = [x1 for _, x1, w in words if w in ("Phụ", "lục", "II)")]
    assert len(cited) == 3 and max(cited) < percent
