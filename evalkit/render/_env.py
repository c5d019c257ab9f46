"""The rendering environment: template folders, Jinja2, the URL fetcher, fonts and PDF options.

Template lookup order (first match wins):

1. ``template_dir`` given to a render function (an agency's folder);
2. the package's own templates (:func:`templates_dir`).

WeasyPrint is imported lazily, on first render, so ``import evalkit`` stays light.
"""

from __future__ import annotations

import atexit
import functools
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

__all__ = [
    "PDF_VARIANTS",
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


@functools.lru_cache(maxsize=16)
def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """The sandboxed, autoescaping Jinja2 environment for ``template_dir`` (then the package)."""
    search = [str(_fs_templates_dir())]
    if template_dir is not None:
        search.insert(0, str(template_dir))
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters["text"] = _fmt_filter
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


class _Process:
    """Per-process cache: one fontconfig set-up and parsed stylesheets per template folder."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.font_config: Any = None
        self.css: dict[tuple[str, float], Any] = {}

    def reset(self) -> None:
        """Drop the cached fonts while the interpreter is alive, so that WeasyPrint removes
        its temporary font folder (its finaliser fails during interpreter shutdown)."""
        with self.lock:
            folder = getattr(self.font_config, "_folder", None)
            self.css.clear()
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
    from weasyprint import HTML

    pkg = _fs_templates_dir()
    roots = [pkg] + ([template_dir] if template_dir else [])
    files = [logo.resolve()] if logo is not None else []
    fetcher = make_fetcher(roots, files, fail=strict_fetch)
    stylesheets, font_config = _stylesheets(template_dir)
    base = (template_dir or pkg).as_uri() + "/"
    try:
        doc = HTML(string=html, base_url=base, url_fetcher=fetcher).render(
            stylesheets=stylesheets, font_config=font_config
        )
        data = doc.write_pdf(**document_options(pdf_variant, tagged))
    except RenderError:
        raise
    except BaseException as exc:
        if type(exc).__name__ == "FatalURLFetchingError":
            raise RenderError(str(exc.__cause__ or exc)) from None
        raise
    if not isinstance(data, bytes):  # pragma: no cover - WeasyPrint returns bytes
        raise RenderError("WeasyPrint returned no PDF data")
    return data
