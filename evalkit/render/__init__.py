"""Rendering: evaluation sheets, unit summaries, annual sheets, overviews and publication
lists as HTML and deterministic PDF. Render formats the engine's results; it never scores.

One sheet::

    from evalkit.render import Agency, Sheet, render_pdf
    pdf = render_pdf(Sheet(staff, position, unit, assessment, result, rules,
                           Agency("Sở Nội vụ", governing_body="UBND tỉnh Thanh Hóa",
                                  place="Thanh Hóa")))

From the engine's frames (``evalkit classify`` output, :func:`evalkit.classify_year`)::

    from evalkit.render import sheets_from_results, summaries_from_results, write_pdfs
    sheets = sheets_from_results(results, org=org, signatories={"competent": director})
    paths = write_pdfs(sheets, "out/2026-03", progress=True)

Templates are Jinja2 (autoescaped, sandboxed) in :func:`templates_dir`; an agency's own
folder (``template_dir=``) is searched first. The PDF fetches nothing but the template
folders' files and the agency's logo. See ``docs/rendering.md``.

WeasyPrint is imported on first render, not on ``import evalkit.render``.
"""

from __future__ import annotations

from evalkit.render._api import (
    claim_file_names,
    html_to_pdf,
    id_filename,
    render_html,
    render_pdf,
    render_template,
    render_unit_summary,
    render_unit_summary_html,
    safe_filename,
    sheet_file_names,
    sheet_filename,
)
from evalkit.render._batch import BatchReport, run_batch, write_pdfs
from evalkit.render._env import PDF_VARIANTS, make_fetcher, templates_dir
from evalkit.render._format import LABELS, fmt_number, reason_line
from evalkit.render._frames import (
    PERIOD_SHEETS_CHUNK,
    iter_period_sheets,
    period_sheet_file_names,
    period_sheets_from_results,
    sheets_from_results,
    summaries_from_results,
    unit_facts,
    write_reports,
)
from evalkit.render._model import (
    Agency,
    Amended,
    QuotaFigures,
    Sheet,
    Signatory,
    SummaryRow,
    UnitFacts,
    UnitSummary,
)
from evalkit.render._publication import (
    PublicationList,
    PublicationRow,
    publication_frame,
    render_publication,
    render_publication_html,
)
from evalkit.render._reports import (
    REPORT_LABELS,
    OrganisationOverview,
    OverviewRow,
    PeriodSheet,
    render_overview,
    render_overview_html,
    render_period_html,
    render_period_pdf,
)
from evalkit.render._view import amended_words

__all__ = [
    "LABELS",
    "PDF_VARIANTS",
    "PERIOD_SHEETS_CHUNK",
    "REPORT_LABELS",
    "Agency",
    "Amended",
    "BatchReport",
    "OrganisationOverview",
    "OverviewRow",
    "PeriodSheet",
    "PublicationList",
    "PublicationRow",
    "QuotaFigures",
    "Sheet",
    "Signatory",
    "SummaryRow",
    "UnitFacts",
    "UnitSummary",
    "amended_words",
    "claim_file_names",
    "fmt_number",
    "html_to_pdf",
    "id_filename",
    "iter_period_sheets",
    "make_fetcher",
    "period_sheet_file_names",
    "period_sheets_from_results",
    "publication_frame",
    "reason_line",
    "render_html",
    "render_overview",
    "render_overview_html",
    "render_pdf",
    "render_period_html",
    "render_period_pdf",
    "render_publication",
    "render_publication_html",
    "render_template",
    "render_unit_summary",
    "render_unit_summary_html",
    "run_batch",
    "safe_filename",
    "sheet_file_names",
    "sheet_filename",
    "sheets_from_results",
    "summaries_from_results",
    "templates_dir",
    "unit_facts",
    "write_pdfs",
    "write_reports",
]
