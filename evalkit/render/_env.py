"""The rendering environment: template folders, Jinja2, the URL fetcher, fonts and PDF options.

Template lookup order (first match wins):

1. ``template_dir`` given to a render function (an agency's folder);
2. the package's own templates (:func:`templates_dir`).

WeasyPrint is imported lazily, on first render, so ``import evalkit`` stays light.
"""

from __future__ import annotations

import atexit
import functools
import gc
import logging
import mimetypes
import multiprocessing.util
import os
import shutil
import threading
import unicodedata
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
import markupsafe

from evalkit.errors import RenderError
from evalkit.render._format import SEP, bound_slashes, cited

__all__ = [
    "PDF_VARIANTS",
    "ConfinedLoader",
    "SafeFetcher",
    "document_options",
    "environment",
    "make_fetcher",
    "render_document",
    "templates_dir",
]

LOGGER = logging.getLogger("evalkit.render")

#: The base stylesheet every template uses; an agency folder may replace it or add custom.css.
BASE_CSS = "evalkit.css"
CUSTOM_CSS = "custom.css"

#: PDF variants accepted by ``pdf_variant`` (WeasyPrint's names).
PDF_VARIANTS = (None, "pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/ua-1")


def templates_dir() -> Path | Traversable:
    """The package's template folder.

    From a wheel it is ``evalkit/templates`` inside the installed package (hatch
    force-includes the top-level ``templates/`` there); in a source checkout or an
    editable install it is the checkout's top-level ``templates/``.

    >>> (templates_dir() / "sheet.html.j2").is_file()
    True
    """
    packaged = resources.files("evalkit") / "templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if checkout.is_dir():
        return checkout
    raise RenderError(f"evalkit's templates are missing: neither {packaged} nor {checkout} exists")


def _fs_templates_dir() -> Path:
    """:func:`templates_dir` as a real folder (WeasyPrint and fontconfig need files)."""
    root = templates_dir()
    if isinstance(root, Path):
        return root.resolve()
    # Zipped installs are not supported by fontconfig; installed wheels are folders.
    path = Path(str(root))
    if not path.is_dir():
        raise RenderError(f"evalkit's templates at {root} are not a folder on disk")
    return path.resolve()


def _as_dir(template_dir: str | os.PathLike[str] | None) -> Path | None:
    if template_dir is None:
        return None
    p = Path(template_dir).resolve()
    if not p.is_dir():
        raise RenderError(f"template folder {str(template_dir)!r} is not a folder")
    return p


def _fmt_filter(value: object) -> str:
    return "" if value is None else str(value)


def _finalize(value: object) -> object:
    """Every printed string in NFC (precomposed Vietnamese, TCVN 6909), None as nothing."""
    if value is None:
        return ""
    if isinstance(value, markupsafe.Markup):  # already escaped: keep it marked safe
        return markupsafe.Markup(unicodedata.normalize("NFC", value))
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


class ConfinedLoader(jinja2.FileSystemLoader):
    """A template loader that reads only real files inside its template folders.

    Jinja2's :class:`~jinja2.FileSystemLoader` refuses ``..`` in a template name but
    follows symbolic links: an agency folder holding ``header.html.j2 -> /etc/passwd``
    would print that file into a sheet. Here every template found (the ones rendered and
    every ``{% include %}``, ``{% extends %}`` and ``{% import %}``) must resolve, links
    followed, to a regular file inside the folder it was found in; anything else, and a
    name with ``..``, an absolute path or a drive, is refused with a
    :class:`~evalkit.errors.RenderError` naming the template.
    """

    def __init__(self, searchpath: Iterable[str | os.PathLike[str]]):
        super().__init__([str(p) for p in searchpath], followlinks=False)
        self._roots = [Path(p).resolve() for p in self.searchpath]

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Any]:
        parts = template.replace("\\", "/").split("/")
        if ".." in parts or template.startswith("/") or ":" in parts[0]:
            raise RenderError(
                f"template {template!r} is refused: a template name may not leave the "
                "template folders ('..', an absolute path or a drive)"
            )
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(os.path.realpath(filename))
        found_in = next((r for r in self._roots if _under(Path(os.path.abspath(filename)), r)),
                        None)  # fmt: skip
        if found_in is None or not _under(real, found_in) or not real.is_file():
            raise RenderError(
                f"template {template!r} is refused: {filename} is a link to {real}, outside "
                "the template folder (templates must be real files inside the folder)"
            )
        return source, filename, uptodate


@functools.lru_cache(maxsize=16)
def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """The sandboxed, autoescaping Jinja2 environment for ``template_dir`` (then the package).

    Templates load through :class:`ConfinedLoader`: real files inside the folders only.
    """
    search = [str(_fs_templates_dir())]
    if template_dir is not None:
        search.insert(0, str(template_dir))
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(
        loader=ConfinedLoader(search),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters["text"] = _fmt_filter
    env.globals["sep"] = SEP  # the items' separator, bound to the item after it
    env.filters["bound"] = bound_slashes  # "A / B" with the slash bound to B
    env.filters["cited"] = cited  # a title's "(QĐ 3814-QĐ/TU)" kept on one line
    return env


# ----------------------------------------------------------------------------- fetcher


def _under(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def make_fetcher(roots: Iterable[Path], files: Iterable[Path] = (), *, fail: bool = False) -> Any:
    """A WeasyPrint URL fetcher serving only files under ``roots`` and the exact ``files``.

    ``data:`` URLs are served (they read nothing); ``http``, ``https``, ``ftp`` and
    ``file`` URLs elsewhere are refused and recorded in the fetcher's ``refused`` list.
    With ``fail=True`` a refusal stops the rendering with a RenderError.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class _Fetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
            self.roots = tuple(Path(r).resolve() for r in roots)
            self.files = frozenset(Path(f).resolve() for f in files)
            self.refused: list[str] = []
            self._lock = threading.Lock()
            self._fail = fail

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                parsed = urllib.parse.urlsplit(url)
                if parsed.netloc not in ("", "localhost"):
                    return self._refuse(url, "file URL on another host")
                path = Path(urllib.request.url2pathname(parsed.path)).resolve()
                if path in self.files or any(_under(path, r) for r in self.roots):
                    if not path.is_file():
                        raise FileNotFoundError(f"{path} does not exist")
                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        path.as_uri(), path.read_bytes(), {"Content-Type": mime}
                    )
                return self._refuse(url, "file outside the template folders")
            return self._refuse(url, f"scheme {scheme or '(none)'!r} is not allowed")

        def _refuse(self, url: str, why: str) -> Any:
            with self._lock:
                self.refused.append(url)
            LOGGER.warning("refused to fetch %s: %s", url[:200], why)
            if self._fail:
                from weasyprint.urls import FatalURLFetchingError

                raise FatalURLFetchingError(f"refused to fetch {url[:200]!r}: {why}")
            raise PermissionError(f"evalkit refused to fetch {url[:200]!r}: {why}")

    return _Fetcher()


SafeFetcher = make_fetcher  # the documented name of the factory


# ----------------------------------------------------------------------------- PDF


def document_options(pdf_variant: str | None, tagged: bool = False) -> dict[str, Any]:
    """WeasyPrint ``write_pdf`` options giving byte-identical PDFs for identical input.

    * ``full_fonts=True``: the bundled fonts are already subset to Vietnamese (≈30 KB a
      face), so WeasyPrint embeds them as they are; fontTools' subsetter (slow: ~0.3 s a
      PDF, and it stamps the current time into each font) never runs.
    * ``pdf_identifier=True``: the PDF ``/ID`` is the MD5 of the content, not random.
    * creation and modification dates come from the document (signing date or period end)
      through ``<meta name="dcterms.created">``, never the clock.

    ``tagged=True`` writes a tagged PDF (WeasyPrint ``pdf_tags``: a structure tree for
    screen readers and reflow); ``pdf/ua-1`` implies it.
    """
    if pdf_variant not in PDF_VARIANTS:
        raise RenderError(
            f"pdf_variant {pdf_variant!r} is not one of " + ", ".join(repr(v) for v in PDF_VARIANTS)
        )
    opts: dict[str, Any] = {
        "full_fonts": True,
        "hinting": False,
        "pdf_identifier": True,
        "uncompressed_pdf": False,
        "optimize_images": False,
    }
    if pdf_variant is not None:
        opts["pdf_variant"] = pdf_variant
    if tagged:
        opts["pdf_tags"] = True
    return opts


# Streams that are the same in every PDF a process writes: the embedded font files and
# their ToUnicode maps (``full_fonts`` embeds the whole bundled face, so both depend on
# the font alone). pydyf compresses every stream at zlib level 9 on every write, about
# 15 ms a sheet; the finisher below compresses each of these once per process.
_CMAP_HEAD = b"/CIDInit /ProcSet findresource begin"
_ZCACHE_MAX = 64


def _constant_stream(obj: Any) -> bool:
    extra = obj.extra
    if "Length1" in extra or extra.get("Subtype") == "/OpenType":  # FontFile2 / FontFile3
        return True
    return bool(obj.stream) and obj.stream[0] == _CMAP_HEAD  # ToUnicode CMap


def reuse_compressed_fonts(document: Any, pdf: Any) -> None:
    """WeasyPrint ``finisher``: give font streams their cached compressed bytes.

    The bytes written are exactly those pydyf would write (same zlib level, same
    dictionary, ``/Filter`` then ``/Length``); only the compression is skipped when the
    same stream was compressed before in this process.
    """
    import zlib

    from pydyf import Stream

    cache = _STATE.zcache
    for obj in pdf.objects:
        if not isinstance(obj, Stream) or not obj.compress or not _constant_stream(obj):
            continue
        if not all(isinstance(item, bytes) for item in obj.stream):
            continue
        raw = b"\n".join(obj.stream)
        packed = cache.get(raw)
        if packed is None:
            z = zlib.compressobj(level=9)
            packed = z.compress(raw) + z.flush()
            with _STATE.lock:
                if len(cache) >= _ZCACHE_MAX:
                    cache.clear()
                cache[raw] = packed
        obj.stream = [packed]
        obj.extra["Filter"] = "/FlateDecode"
        obj.compress = False


# With ``full_fonts`` WeasyPrint re-reads every embedded face with fontTools on every
# write to list the widths and ToUnicode map of all its glyphs (about 9 ms a sheet for
# the three bundled faces). Those depend on the font file alone; the wrapper below
# computes them once per process and hands them to WeasyPrint's own dictionary builder
# through the fonts' used-glyph tables, which it reads when subsetting. The font is not
# subset (``clean`` is skipped); the PDF objects are the ones WeasyPrint would write.
# Only evalkit's own renders (flagged per thread) take this path, and only for plain
# vector fonts; anything else goes to WeasyPrint unchanged.
_LOCAL = threading.local()
_ORIGINAL_FONTS_DICTIONARY: Any = None


def _full_font_tables(font: Any) -> tuple[dict[int, float], dict[int, str]]:
    """Widths (1/1000 em) and ToUnicode map of every glyph of ``font``, as WeasyPrint has them."""
    import io

    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    key = (font.file_content, font.index)
    hit = _STATE.font_tables.get(key)
    if hit is None:
        ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index)
        widths = {
            i: glyph.width * 1000 / font.upem
            for i, glyph in enumerate(ttfont.getGlyphSet().values())
        }
        to_unicode: dict[int, str] = {}
        for letter, name in ttfont.getBestCmap().items():
            glyph_id = ttfont.getGlyphID(name)
            if glyph_id not in to_unicode:
                to_unicode[glyph_id] = chr(letter)
        hit = (widths, to_unicode)
        with _STATE.lock:
            if len(_STATE.font_tables) >= _ZCACHE_MAX:
                _STATE.font_tables.clear()
            _STATE.font_tables[key] = hit
    return hit


def _plain_full_fonts(fonts: Any, subset: bool, options: Mapping[str, Any]) -> bool:
    if subset or not getattr(_LOCAL, "active", False):
        return False
    if str(options.get("pdf_version")) <= "1.4":  # PDF/A-1: a CIDSet of the used glyphs
        return False
    for font in fonts.values():
        if (
            font.bitmap or font.used_in_forms or font.png or font.svg or font.colr
            or "fvar" in font.tables or len(set(font.widths.values())) == 1
        ):  # fmt: skip
            return False
    return True


def _fonts_dictionary(pdf: Any, fonts: Any, compress: bool, subset: bool, options: Any) -> Any:
    """``weasyprint.pdf.build_fonts_dictionary`` with cached whole-font tables."""
    original = _ORIGINAL_FONTS_DICTIONARY
    if not _plain_full_fonts(fonts, subset, options):
        return original(pdf, fonts, compress, subset, options)
    saved = [(font, font.widths, font.to_unicode) for font in fonts.values()]
    try:
        for font in fonts.values():
            widths, to_unicode = _full_font_tables(font)
            font.widths, font.to_unicode = dict(widths), dict(to_unicode)
            font.clean = _keep_whole_font
        return original(pdf, fonts, compress, True, options)
    finally:
        for font, widths, to_unicode in saved:
            font.widths, font.to_unicode = widths, to_unicode
            vars(font).pop("clean", None)


def _keep_whole_font(to_unicode: Any, hinting: Any) -> None:
    """The pre-subset bundled faces are embedded as they are."""


def _install_fonts_dictionary() -> None:
    global _ORIGINAL_FONTS_DICTIONARY
    import weasyprint.pdf as wpdf

    with _STATE.lock:
        if _ORIGINAL_FONTS_DICTIONARY is None:
            _ORIGINAL_FONTS_DICTIONARY = wpdf.build_fonts_dictionary
            wpdf.build_fonts_dictionary = _fonts_dictionary


class _Process:
    """Per-process cache: one fontconfig set-up and parsed stylesheets per template folder."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.font_config: Any = None
        self.css: dict[tuple[str, float], Any] = {}
        self.zcache: dict[bytes, bytes] = {}
        self.font_tables: dict[tuple[bytes, int], tuple[dict[int, float], dict[int, str]]] = {}

    def reset(self) -> None:
        """Drop the cached fonts while the interpreter is alive, so that WeasyPrint removes
        its temporary font folder (its finaliser fails during interpreter shutdown)."""
        with self.lock:
            folder = getattr(self.font_config, "_folder", None)
            self.css.clear()
            self.zcache.clear()
            self.font_tables.clear()
            self.font_config = None
        if folder:  # WeasyPrint's copies of the @font-face files
            shutil.rmtree(folder, ignore_errors=True)


_STATE = _Process()
atexit.register(_STATE.reset)
# worker processes end through multiprocessing's exit hooks, not atexit
multiprocessing.util.Finalize(_STATE, _STATE.reset, exitpriority=10)


def _stylesheets(template_dir: Path | None) -> tuple[list[Any], Any]:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    pkg = _fs_templates_dir()
    roots = [pkg] + ([template_dir] if template_dir else [])
    candidates = []
    base = template_dir / BASE_CSS if template_dir and (template_dir / BASE_CSS).is_file() else None
    candidates.append(base or pkg / BASE_CSS)
    if template_dir and (template_dir / CUSTOM_CSS).is_file():
        candidates.append(template_dir / CUSTOM_CSS)
    with _STATE.lock:
        if _STATE.font_config is None:
            _STATE.font_config = FontConfiguration()
        out = []
        for path in candidates:
            key = (str(path), path.stat().st_mtime)
            sheet = _STATE.css.get(key)
            if sheet is None:
                sheet = CSS(
                    filename=str(path),
                    font_config=_STATE.font_config,
                    url_fetcher=make_fetcher(roots),
                )
                _STATE.css[key] = sheet
            out.append(sheet)
        return out, _STATE.font_config


# ----------------------------------------------------------------------------- UA stylesheet
#
# WeasyPrint matches its whole HTML5 user-agent stylesheet (190 rules) against every
# element: about 15 ms of a sheet's 25 ms of style computation. A rule whose selectors
# all end in an element name absent from the document can match nothing, so dropping
# it changes no computed value (the order of the remaining rules is kept). The slimmed
# sheet is built once per set of element names; every sheet of a batch has the same set.


def _subject_names(tokens: list[Any]) -> frozenset[str] | None:
    """The element names a selector's subject may have, or None (any element).

    The subject is the compound after the last combinator; it is restricted when it
    starts with an element name, or with ``:is()`` / ``:where()`` of element names only.
    """
    while tokens and tokens[-1].type == "whitespace":
        tokens = tokens[:-1]
    start = 0
    for i, tok in enumerate(tokens):
        if tok.type == "whitespace" or (tok.type == "literal" and tok.value in (">", "+", "~")):
            start = i + 1
    subject = [t for t in tokens[start:] if t.type != "whitespace"]
    if not subject:
        return None
    first = subject[0]
    if first.type == "ident":
        if len(subject) > 1 and subject[1].type == "literal" and subject[1].value == "|":
            return None  # a namespace prefix
        return frozenset([str(first.lower_value)])
    if (
        first.type == "literal" and first.value == ":" and len(subject) > 1
        and subject[1].type == "function" and subject[1].lower_name in ("is", "where")
    ):  # fmt: skip
        args = [t for t in subject[1].arguments if t.type != "whitespace"]
        names = [t for t in args if not (t.type == "literal" and t.value == ",")]
        if names and all(t.type == "ident" for t in names) and len(args) == 2 * len(names) - 1:
            return frozenset(str(t.lower_value) for t in names)
    return None


def _slim_css_text(text: str, tags: frozenset[str]) -> str:
    """``text`` without the selectors that cannot match an element named in ``tags``.

    A rule keeps, in their order, the selectors of its list that may match; a rule left
    with none is dropped. At-rules (``@page``, ``@counter-style``…) are kept whole.
    """
    import tinycss2

    kept = []
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            kept.append(rule.serialize())
            continue
        selectors: list[list[Any]] = [[]]
        for tok in rule.prelude:
            if tok.type == "literal" and tok.value == ",":
                selectors.append([])
            else:
                selectors[-1].append(tok)
        live = []
        for sel in selectors:
            names = _subject_names(sel)
            if names is None or names & tags:
                live.append(tinycss2.serialize(sel).strip())
        if live:
            kept.append(", ".join(live) + " {" + tinycss2.serialize(rule.content) + "}")
    return "\n".join(kept)


@functools.lru_cache(maxsize=32)
def _slim_ua(tags: frozenset[str], forms: bool) -> list[Any]:
    from weasyprint import CSS, html
    from weasyprint.css.counters import CounterStyle

    texts = [html.UA, html.UA_FORM] if forms else [html.UA]
    # the counter styles the UA sheet defines are already in WeasyPrint's own copy
    return [CSS(string=_slim_css_text(t, tags), counter_style=CounterStyle()) for t in texts]


def _html_class() -> Any:
    """WeasyPrint's ``HTML`` with the user-agent stylesheet reduced to the document's elements."""
    from weasyprint import HTML

    class _HTML(HTML):  # type: ignore[misc]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            tags = frozenset(
                el.tag.rsplit("}", 1)[-1].lower()  # "{svg namespace}rect" → "rect"
                for el in self.etree_element.iter()
                if isinstance(el.tag, str)
            )
            return _slim_ua(tags, bool(forms))

    return _HTML


_HTML_CLASS: Any = None

#: The WeasyPrint major versions whose internals the fast path was checked against (the
#: byte-comparison test in tests/test_render.py proves it renders identically there).
FAST_PATH_WEASYPRINT = ("70",)


def _fast_path_supported() -> bool:
    """Whether this WeasyPrint is one the fast path (slim UA sheet, cached fonts) knows."""
    import weasyprint

    return str(weasyprint.__version__).split(".", 1)[0] in FAST_PATH_WEASYPRINT


def _layout_and_write(
    document: Any, stylesheets: list[Any], font_config: Any, pdf_variant: str | None, tagged: bool
) -> Any:
    doc = document.render(stylesheets=stylesheets, font_config=font_config)
    _LOCAL.active = True
    try:
        return doc.write_pdf(
            finisher=reuse_compressed_fonts, **document_options(pdf_variant, tagged)
        )
    finally:
        _LOCAL.active = False


def render_document(
    html: str,
    *,
    template_dir: Path | None,
    logo: Path | None,
    pdf_variant: str | None = None,
    strict_fetch: bool = False,
    tagged: bool = False,
) -> bytes:
    """Lay out ``html`` (made by our templates) and write it as PDF bytes."""
    global _HTML_CLASS
    if _HTML_CLASS is None:
        if _fast_path_supported():
            _HTML_CLASS = _html_class()
            _install_fonts_dictionary()
        else:  # another WeasyPrint: its internals may differ, so render the plain way
            from weasyprint import HTML

            _HTML_CLASS = HTML
    html_class = _HTML_CLASS

    pkg = _fs_templates_dir()
    roots = [pkg] + ([template_dir] if template_dir else [])
    files = [logo.resolve()] if logo is not None else []
    fetcher = make_fetcher(roots, files, fail=strict_fetch)
    stylesheets, font_config = _stylesheets(template_dir)
    base = (template_dir or pkg).as_uri() + "/"
    # A sheet's layout allocates ~10^5 objects, some in reference cycles: the cyclic
    # collector would run dozens of times and promote them into the old generation, where
    # each full collection walks the caller's whole heap. Paused for the render, one
    # young-generation collection afterwards frees them (~10 % of a sheet's CPU time).
    gc_was_on = gc.isenabled()
    if gc_was_on:
        gc.disable()
    try:
        data = _layout_and_write(
            html_class(string=html, base_url=base, url_fetcher=fetcher),
            stylesheets, font_config, pdf_variant, tagged,
        )  # fmt: skip
    except RenderError:
        raise
    except BaseException as exc:
        if type(exc).__name__ == "FatalURLFetchingError":
            raise RenderError(str(exc.__cause__ or exc)) from None
        raise
    finally:
        if gc_was_on:
            gc.enable()
            gc.collect(0)
    if not isinstance(data, bytes):  # pragma: no cover - WeasyPrint returns bytes
        raise RenderError("WeasyPrint returned no PDF data")
    return data
