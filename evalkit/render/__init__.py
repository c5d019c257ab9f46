"""Rendering: evaluation sheets and unit summaries as HTML and deterministic PDF.

One sheet::

    from evalkit.render import Agency, Sheet, render_pdf
    pdf = render_pdf(Sheet(staff, position, unit, assessment, result, rules,
                           Agency("Sở Nội vụ", governing_body="UBND tỉnh Thanh Hóa",
                                  place="Thanh Hóa")))

A month of a province, one PDF per person, on a process pool (or Dask)::

    from evalkit.render import write_pdfs
    paths = write_pdfs(sheets, "out/2026-03", progress=True)

Templates are Jinja2 (autoescaped, sandboxed) in :func:`templates_dir`; an agency's own
folder (``template_dir=``) is searched first. The PDF fetches nothing but the template
folders' files and the agency's logo. See ``docs/rendering.md``.

WeasyPrint is imported on first render, not on ``import evalkit.render``.
"""

from __future__ import annotations

from evalkit.render._api import (
    render_html,
    render_pdf,
    render_unit_summary,
    render_unit_summary_html,
    safe_filename,
    sheet_filename,
)
from evalkit.render._batch import BatchReport, run_batch, write_pdfs
from evalkit.render._env import PDF_VARIANTS, make_fetcher, templates_dir
from evalkit.render._format import LABELS, fmt_number
from evalkit.render._model import Agency, Sheet, SummaryRow, UnitSummary
from evalkit.render._reports import (
    REPORT_LABELS,
    OrganisationOverview,
    OverviewRow,
    PeriodSheet,
    render_overview,
    render_overview_html,
    render_period_html,
    render_period_pdf,
    write_reports,
)

__all__ = [
    "LABELS",
    "PDF_VARIANTS",
    "REPORT_LABELS",
    "Agency",
    "BatchReport",
    "OrganisationOverview",
    "OverviewRow",
    "PeriodSheet",
    "Sheet",
    "SummaryRow",
    "UnitSummary",
    "fmt_number",
    "make_fetcher",
    "render_html",
    "render_overview",
    "render_overview_html",
    "render_pdf",
    "render_period_html",
    "render_period_pdf",
    "render_unit_summary",
    "render_unit_summary_html",
    "run_batch",
    "safe_filename",
    "sheet_filename",
    "templates_dir",
    "write_pdfs",
    "write_reports",
]
