"""One document at a time: HTML and PDF of a sheet or a unit summary; safe file names."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from evalkit.errors import RenderError
from evalkit.model import Unit
from evalkit.render import _env
from evalkit.render._format import ascii_fold, check_lang
from evalkit.render._model import Sheet, UnitSummary
from evalkit.render._view import sheet_context, summary_context

__all__ = [
    "claim_file_names",
    "html_to_pdf",
    "id_filename",
    "render_html",
    "render_pdf",
    "render_template",
    "render_unit_summary",
    "render_unit_summary_html",
    "safe_filename",
    "sheet_file_names",
    "sheet_filename",
]

SHEET_TEMPLATE = "sheet.html.j2"
SUMMARY_TEMPLATE = "unit_summary.html.j2"


def _html(template: str, context: dict[str, Any], template_dir: Path | None) -> str:
    env = _env.environment(template_dir)
    try:
        return env.get_template(template).render(context)
    except RenderError:
        raise
    except Exception as exc:  # jinja2 errors: name the template and the folder
        where = f" in {template_dir}" if template_dir else ""
        raise RenderError(
            f"template {template!r}{where} failed: {type(exc).__name__}: {exc}"
        ) from exc


def render_template(name: str, context: dict[str, Any]) -> str:
    """HTML of one of evalkit's own templates (autoescaped, no outside files).

    For other modules' one-page documents (e.g. :mod:`evalkit.impact`'s report); errors
    are :class:`~evalkit.errors.RenderError` naming the template.
    """
    return _html(name, context, None)


def html_to_pdf(html: str) -> bytes:
    """Lay out HTML made by :func:`render_template` as PDF bytes, with evalkit's bundled
    fonts and its safe URL fetcher (nothing outside the package's assets is read)."""
    return _env.render_document(html, template_dir=None, logo=None)


def render_html(
    sheet: Sheet,
    *,
    lang: str = "vi",
    template_dir: str | os.PathLike[str] | None = None,
) -> str:
    """The HTML of ``sheet`` (autoescaped; what :func:`render_pdf` lays out).

    ``template_dir`` is an agency's folder searched before the package's templates.
    """
    check_lang(lang)
    return _html(SHEET_TEMPLATE, sheet_context(sheet, lang), _env._as_dir(template_dir))


def render_pdf(
    sheet: Sheet,
    *,
    lang: str = "vi",
    template_dir: str | os.PathLike[str] | None = None,
    pdf_variant: str | None = None,
    strict_fetch: bool = False,
    tagged: bool = False,
) -> bytes:
    """``sheet`` as PDF bytes: A4, Vietnamese by default, byte-identical for identical input.

    ``pdf_variant="pdf/a-3b"`` writes PDF/A-3b; ``tagged=True`` a tagged PDF (structure
    tree). Resources outside the template folders and the agency's logo are refused
    (``strict_fetch=True`` makes a refusal an error).
    """
    tdir = _env._as_dir(template_dir)
    html = _html(SHEET_TEMPLATE, sheet_context(sheet, check_lang(lang)), tdir)
    return _env.render_document(
        html, template_dir=tdir, logo=sheet.agency.logo, pdf_variant=pdf_variant,
        strict_fetch=strict_fetch, tagged=tagged,
    )  # fmt: skip


def _summary(source: UnitSummary | Unit, sheets: Iterable[Sheet]) -> UnitSummary:
    if isinstance(source, UnitSummary):
        return source
    if isinstance(source, Unit):
        return UnitSummary.from_sheets(sheets, unit=source)
    raise RenderError(f"expected a UnitSummary or a Unit with sheets, not {type(source).__name__}")


def render_unit_summary_html(
    source: UnitSummary | Unit,
    sheets: Iterable[Sheet] = (),
    *,
    lang: str = "vi",
    template_dir: str | os.PathLike[str] | None = None,
) -> str:
    """The HTML of a unit summary (see :func:`render_unit_summary`)."""
    summary = _summary(source, sheets)
    return _html(
        SUMMARY_TEMPLATE, summary_context(summary, check_lang(lang)), _env._as_dir(template_dir)
    )


def render_unit_summary(
    source: UnitSummary | Unit,
    sheets: Iterable[Sheet] = (),
    *,
    lang: str = "vi",
    template_dir: str | os.PathLike[str] | None = None,
    pdf_variant: str | None = None,
    tagged: bool = False,
) -> bytes:
    """A unit summary as PDF bytes (A4 landscape; ``tagged=True``: a tagged PDF).

    ``source`` is a :class:`UnitSummary`, or a :class:`~evalkit.Unit` with the unit's
    ``sheets`` (then the summary is :meth:`UnitSummary.from_sheets`): every person with
    scores and grades, the grade counts, the quota used, the unit's result and its head.
    """
    summary = _summary(source, sheets)
    tdir = _env._as_dir(template_dir)
    html = _html(SUMMARY_TEMPLATE, summary_context(summary, check_lang(lang)), tdir)
    return _env.render_document(
        html, template_dir=tdir, logo=summary.agency.logo, pdf_variant=pdf_variant, tagged=tagged
    )


# ----------------------------------------------------------------------------- names

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"COM{i}" for i in range(1, 10)]
    + [f"LPT{i}" for i in range(1, 10)]
)  # fmt: skip


def safe_filename(text: str, *, max_length: int = 80, default: str = "_") -> str:
    """``text`` as one safe, portable path component (ASCII, no separators, bounded length).

    Diacritics are folded (``Đặng`` → ``Dang``), every run of characters other than
    letters, digits, ``.``, ``_`` and ``-`` becomes ``_`` (so ``/``, ``\\``, ``..``
    sequences, spaces and control characters cannot survive), leading dots are removed,
    Windows device names are prefixed, and the result is cut to ``max_length``.

    >>> safe_filename("../../etc/passwd")
    'etc_passwd'
    >>> safe_filename("Nguyễn Văn Đức")
    'Nguyen_Van_Duc'
    """
    if max_length < 1:
        raise RenderError(f"max_length must be at least 1, not {max_length}")
    folded = ascii_fold(unicodedata.normalize("NFC", str(text)))
    out = _UNSAFE.sub("_", folded)
    out = re.sub(r"\.{2,}", "_", out)  # no '..' anywhere
    out = re.sub(r"_+", "_", out).strip("._-")
    if not out:
        out = default
    if out.split(".")[0].upper() in _RESERVED:
        out = "_" + out
    return out[:max_length].rstrip("._-") or default


def claim_file_names(named: Iterable[tuple[str, str]]) -> list[str]:
    """The file names of ``named`` (``(file name, whose it is)`` pairs, e.g.
    ``("units/2026-03_P_1.pdf", "unit 'P/1' (2026-03)")``), checked before anything is
    written: two owners given one name raise :class:`~evalkit.errors.RenderError` naming
    both and the file, so no file silently overwrites another. Names are compared ignoring
    case (Windows and macOS file systems do): ``VP`` and ``vp`` clash. Every writer of
    evalkit that names files after ids (sheets, unit summaries, publication lists,
    overviews, the quarterly and annual sheets) goes through it.

    >>> claim_file_names([("a.pdf", "unit 'A'"), ("b.pdf", "unit 'B'")])
    ['a.pdf', 'b.pdf']
    >>> claim_file_names([("units/P_1.pdf", "unit 'P/1'"), ("units/p_1.pdf", "unit 'p_1'")])
    Traceback (most recent call last):
    ...
    evalkit.errors.RenderError: unit 'P/1' and unit 'p_1' would both be written to 'units/p_1.pdf': their ids differ only in upper/lower case, and file names are compared ignoring case (Windows, macOS); the same person, or make the ids differ by more than case
    """
    owner: dict[str, tuple[str, str]] = {}
    names: list[str] = []
    for name, who in named:
        key = name.casefold()
        if key in owner:
            first, was = owner[key]
            cause = ("their ids differ only in upper/lower case, and file names are compared "
                     "ignoring case (Windows, macOS); the same person, or make the ids differ "
                     "by more than case") if first != name else "make their ids distinct"
            raise RenderError(f"{was} and {who} would both be written to {name!r}: {cause}")
        owner[key] = (name, who)
        names.append(name)
    return names


def sheet_filename(sheet: Sheet, *, suffix: str = ".pdf") -> str:
    """The deterministic file name of a sheet: ``{period}_{unit}_{staff id}_{name}.pdf``.

    Each part is :func:`safe_filename`; the whole stays under 180 characters. An id longer
    than its 40 characters keeps a short hash of the whole id (:func:`id_filename`), so two
    distinct ids that share their first 40 characters get distinct names.
    """
    return file_name_of(sheet.period, sheet.unit.id, sheet.staff.id, sheet.staff.full_name,
                        suffix=suffix)


def file_name_of(period: Any, unit_id: str, staff_id: str, full_name: str, *,
                 suffix: str = ".pdf") -> str:
    """:func:`sheet_filename` from its four parts (a period, the unit's and the person's
    ids, the person's name), for a sheet not built yet."""
    parts = (
        safe_filename(str(period), max_length=12),
        id_filename(unit_id, max_length=40),
        id_filename(staff_id, max_length=40),
        safe_filename(full_name, max_length=60),
    )
    return "_".join(parts) + suffix


def id_filename(text: str, *, max_length: int = 40) -> str:
    """An id as a file name part, one-to-one: the id itself when it is already a safe name
    (:func:`safe_filename` leaves it as it is, within ``max_length``); otherwise — sanitising
    lost something (diacritics, punctuation, spaces) or the id is too long — the safe start
    followed by ``-`` and 8 hex digits of the SHA-256 of the whole id (NFC). Distinct ids
    get distinct names (``'NV-Đặng'``/``'NV-Dang'``, ``'TP/01'``/``'TP_01'``), whoever else is
    in the batch; only ids differing in upper/lower case alone still share a name ignoring
    case (:func:`claim_file_names` refuses them).

    >>> id_filename("NV-0042")
    'NV-0042'
    >>> id_filename("NV-Đặng"), id_filename("TP/01")
    ('NV-Dang-16adc71e', 'TP_01-ab9cf862')
    >>> a, b = (id_filename("NV-" + "0" * 40 + d) for d in "12")
    >>> len(a) == len(b) == 40, a[:31], a != b
    (True, 'NV-0000000000000000000000000000', True)
    """
    nfc = unicodedata.normalize("NFC", str(text))
    whole = safe_filename(nfc, max_length=max(len(nfc) * 4, 1))
    if len(whole) <= max_length and whole == nfc:
        return whole
    digest = hashlib.sha256(nfc.encode()).hexdigest()[:8]
    return f"{safe_filename(nfc, max_length=max(max_length - 9, 1))}-{digest}"


def sheet_file_names(sheets: Iterable[Any]) -> list[str]:
    """The :func:`sheet_filename` of each sheet (a :class:`Sheet` or a quarterly / annual
    ``PeriodSheet``), claimed (:func:`claim_file_names`): two people given one name, also
    ignoring case, raise :class:`~evalkit.errors.RenderError` before anything is written."""
    return claim_file_names((sheet_filename(s), f"staff {s.staff.id!r}") for s in sheets)
