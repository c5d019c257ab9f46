"""Hostile input cannot reach the network, the file system or the template engine (issue 6 §3)."""

from __future__ import annotations

import io
import logging
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_render import demo_sheet, pdf_text  # noqa: E402

from evalkit.errors import RenderError  # noqa: E402
from evalkit.render import (  # noqa: E402
    Agency,
    id_filename,
    make_fetcher,
    render_html,
    render_pdf,
    safe_filename,
    sheet_filename,
    templates_dir,
)

HOSTILE_NAMES = [
    "<img src=http://x/>",
    "{{7*7}}",
    "{% raw %}x",
    "<script>alert(1)</script>",
    '"><link rel=stylesheet href="file:///etc/passwd">',
]


class TestEscaping:
    """Staff data is text, never markup or template code."""

    @pytest.mark.parametrize("name", HOSTILE_NAMES)
    def test_a_hostile_name_is_escaped_in_the_html(self, name: str) -> None:
        """Autoescape turns markup into entities; template syntax in data is not evaluated."""
        html = render_html(demo_sheet(name=name))
        assert name not in html or "<" not in name
        assert "<img src=http" not in html
        assert "<script>" not in html
        assert "49" not in html.split("<body", 1)[1].split("TT", 1)[0]

    @pytest.mark.parametrize("name", ["<img src=http://x/>", "{{7*7}}"])
    def test_a_hostile_name_prints_literally_and_fetches_nothing(
        self, name: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        """The PDF shows the name as typed, and no URL was requested or refused."""
        with caplog.at_level(logging.WARNING, logger="evalkit.render"):
            data = render_pdf(demo_sheet(name=name))
        _, text = pdf_text(data)
        assert name in text
        assert "refused to fetch" not in caplog.text

    def test_comments_with_markup_are_printed_as_text(self) -> None:
        """A comment cannot inject an element into the sheet."""
        html = render_html(demo_sheet(comment="<b>bold</b> & <i>x</i>"))
        assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;x&lt;/i&gt;" in html


class TestFetcher:
    """Only the package's templates, the agency folder and the agency's logo can be read."""

    def test_a_file_under_the_templates_is_served(self) -> None:
        """The bundled font is readable through the fetcher."""
        root = Path(str(templates_dir())).resolve()
        fetcher = make_fetcher([root])
        resp = fetcher((root / "fonts" / "DejaVuSerif-vi.ttf").as_uri())
        assert resp.read()[:4] == b"\x00\x01\x00\x00"

    @pytest.mark.parametrize(
        "url",
        [
            "http://example.com/x.png",
            "https://example.com/x.css",
            "ftp://example.com/x",
            "file:///etc/passwd",
            "file://evil.example.com/share/x.png",
            "gopher://x/",
        ],
    )
    def test_network_and_outside_files_are_refused(self, url: str) -> None:
        """http(s), ftp, other hosts and files outside the allowed folders raise and are logged."""
        root = Path(str(templates_dir())).resolve()
        fetcher = make_fetcher([root])
        with pytest.raises(PermissionError, match="refused"):
            fetcher(url)
        assert fetcher.refused == [url]

    def test_dot_dot_cannot_climb_out_of_the_templates(self) -> None:
        """A path with ../ is resolved before the check, so it cannot escape the folder."""
        root = Path(str(templates_dir())).resolve()
        fetcher = make_fetcher([root])
        url = root.as_uri() + "/fonts/../../../../../../etc/passwd"
        with pytest.raises(PermissionError):
            fetcher(url)

    def test_a_symlink_out_of_the_agency_folder_is_refused(self, tmp_path: Path) -> None:
        """A link inside an allowed folder pointing elsewhere resolves outside and is refused."""
        agency = tmp_path / "agency"
        agency.mkdir()
        secret = tmp_path / "secret.txt"
        secret.write_text("secret", encoding="utf-8")
        (agency / "link.txt").symlink_to(secret)
        fetcher = make_fetcher([agency])
        with pytest.raises(PermissionError):
            fetcher((agency / "link.txt").as_uri())

    def test_data_urls_are_served(self) -> None:
        """data: URLs read nothing from outside and are allowed (inline images, charts)."""
        fetcher = make_fetcher([])
        assert fetcher("data:text/plain,hello").read() == b"hello"

    def test_the_agency_logo_is_embedded_and_nothing_else_beside_it(self, tmp_path: Path) -> None:
        """The logo file given in Agency is served; a sibling file is not."""
        import base64

        png = base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
        )
        logo = tmp_path / "logo.png"
        logo.write_bytes(png)
        (tmp_path / "other.png").write_bytes(png)
        fetcher = make_fetcher([], [logo])
        assert fetcher(logo.as_uri()).read() == png
        with pytest.raises(PermissionError):
            fetcher((tmp_path / "other.png").as_uri())
        data = render_pdf(demo_sheet(agency=Agency("Sở Nội vụ", logo=logo)))
        page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
        assert len(page.images) == 1

    def test_an_agency_template_cannot_fetch_from_the_network(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        """An override template's http image and file:// stylesheet are refused while rendering."""
        (tmp_path / "sheet.html.j2").write_text(
            '{% extends "_layout.html.j2" %}{% block head %}'
            '<link rel="stylesheet" href="file:///etc/passwd">{% endblock %}'
            '{% block body %}<img src="http://127.0.0.1:9/x.png"><p>ok</p>{% endblock %}',
            encoding="utf-8",
        )
        sheet = demo_sheet()
        with caplog.at_level(logging.WARNING, logger="evalkit.render"):
            data = render_pdf(sheet, template_dir=tmp_path)
        assert "refused to fetch http://127.0.0.1:9/x.png" in caplog.text
        assert "refused to fetch file:///etc/passwd" in caplog.text
        assert "root:" not in pdf_text(data)[1]
        with pytest.raises(RenderError, match="refused to fetch"):
            render_pdf(sheet, template_dir=tmp_path, strict_fetch=True)

    def test_template_code_cannot_reach_python_internals(self, tmp_path: Path) -> None:
        """The sandbox stops an override template from walking to os or subprocess."""
        (tmp_path / "sheet.html.j2").write_text(
            "{{ staff.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8"
        )
        with pytest.raises(RenderError, match=r"unsafe|SecurityError"):
            render_html(demo_sheet(), template_dir=tmp_path)


class TestFileNames:
    """Output names are single, portable path components (issue 6 §3)."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("../../etc/passwd", "etc_passwd"),
            ("..", "_"),
            ("a/b\\c", "a_b_c"),
            ("Nguyễn Văn Đức", "Nguyen_Van_Duc"),
            ("tab\tnew\nline\x00nul\x1b", "tab_new_line_nul"),
            ("CON", "_CON"),
            ("  .hidden", "hidden"),
            ("", "_"),
        ],
    )
    def test_unsafe_characters_are_replaced(self, raw: str, expected: str) -> None:
        """Separators, dot-dot, control characters and device names cannot survive."""
        assert safe_filename(raw) == expected

    def test_a_300_character_name_is_cut_to_the_limit(self) -> None:
        """A 300-character name gives a component of at most 80 characters."""
        out = safe_filename("Nguyễn " * 43)
        assert len("Nguyễn " * 43) == 301
        assert 0 < len(out) <= 80
        assert out.startswith("Nguyen_Nguyen")

    @given(stem=st.text(min_size=30, max_size=60), a=st.text(min_size=1, max_size=8),
           b=st.text(min_size=1, max_size=8))
    def test_distinct_long_ids_keep_distinct_file_names(self, stem: str, a: str,
                                                        b: str) -> None:  # fmt: skip
        """Audit 16 (long_ids): an id part cut to its 40 characters keeps a hash of the whole
        id, so two distinct ids beyond 40 characters never share a name; every part stays
        a safe, bounded component."""
        x, y = "NV-" + "0" * 40 + stem + a, "NV-" + "0" * 40 + stem + b
        nx, ny = id_filename(x), id_filename(y)
        assert 0 < len(nx) <= 40 and 0 < len(ny) <= 40
        assert safe_filename(nx) == nx and safe_filename(ny) == ny  # already safe
        if unicodedata.normalize("NFC", x) != unicodedata.normalize("NFC", y):
            assert nx != ny
        assert id_filename("CC-0042") == safe_filename("CC-0042")  # short ids unchanged

    def test_sheet_file_names_stay_inside_the_output_folder(self, tmp_path: Path) -> None:
        """A hostile id and a 300-character name give one file name directly in the folder."""
        sheet = demo_sheet(name="../" * 100, staff_id="../../x/" + "y" * 300)
        name = sheet_filename(sheet)
        assert "/" not in name and "\\" not in name and ".." not in name
        assert len(name) <= 180
        assert (tmp_path / name).resolve().parent == tmp_path.resolve()
        assert name.startswith("2026-03_P-TCCB_x_y")
