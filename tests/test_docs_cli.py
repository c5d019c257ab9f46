"""The command line's pages cannot rot: the workbook page lists every column, the CLI
references (English and Vietnamese) name every command and option, the Vietnamese pages
are served as Vietnamese, and no diagram fetches a script when it is viewed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

import evalkit
from evalkit.cli import cli
from evalkit.io import workbook as wb

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
#: The archive's commands are documented by the archive's engineer (docs/cli.md, archive).
ARCHIVE = {"finalize", "amend", "annual", "archive"}


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        if isinstance(cmd, click.Group):
            out += _commands(cmd, path)
        else:
            out.append((" ".join(path), cmd))
    return out


def test_the_workbook_page_lists_every_column() -> None:
    """docs/workbook.md: every column of every sheet, with its id."""
    page = (DOCS / "workbook.md").read_text(encoding="utf-8")
    rs = evalkit.rules.get("vn.nd335-2025")
    for col in wb.score_columns(rs):
        level, sep, crit = col.id.partition("__")
        if sep:
            assert f"`{level}__<criterion>`" in page and f"| `{crit}` |" in page, col.id
        else:
            assert f"| `{col.id}` | {col.label} |" in page, col.id
    for cols in (wb.unit_columns(None), wb.POSITION_COLUMNS, wb.SIGNATORY_COLUMNS,
                 wb.TASK_COLUMNS):  # fmt: skip
        for col in cols:
            assert f"| `{col.id}` | {col.label} |" in page, col.id
    for sheet in wb.SHEET_ORDER:
        assert f"`{sheet}`" in page


@pytest.mark.parametrize("page", ["cli.md", "vi/cli.md"])
def test_the_cli_reference_names_every_command(page: str) -> None:
    """Each command has its section in the English and the Vietnamese reference."""
    text = (DOCS / page).read_text(encoding="utf-8")
    for name, _cmd in _commands(cli):
        if name.split()[0] in ARCHIVE:
            continue
        assert f"`evalkit {name.split()[0]}" in text, (page, name)


def test_every_option_of_the_month_commands_is_documented() -> None:
    """docs/cli.md names every option of org, template, validate, score, classify, render."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name, cmd in _commands(cli):
        if name not in ("org", "template", "validate", "score", "classify", "render"):
            continue
        section = text[text.index(f"### `evalkit {name}"):]
        section = section[: section.index("\n### ", 1)] if "\n### " in section[1:] else section
        for param in cmd.params:
            if isinstance(param, click.Option) and param.name not in ("as_json", "lang"):
                assert any(o in section for o in [*param.opts, *param.secondary_opts]), (
                    name, param.opts)


def test_the_vietnamese_reference_names_every_option_of_every_command() -> None:
    """docs/vi/cli.md names every option of every command (the archive's too: `--by`,
    `--why`, `--seal`), so an option added to the English reference and the command
    line is not left out of the Vietnamese one."""
    text = (DOCS / "vi" / "cli.md").read_text(encoding="utf-8")
    missing = [(name, param.opts[0]) for name, cmd in _commands(cli) for param in cmd.params
               if isinstance(param, click.Option) and param.name not in ("as_json", "lang")
               and not any(o in text for o in [*param.opts, *param.secondary_opts])]
    assert missing == []


def test_every_vietnamese_page_says_it_is_vietnamese() -> None:
    """Pages under docs/vi/ carry `lang: vi` (the theme sets <html lang="vi"> from it)."""
    for page in (DOCS / "vi").glob("*.md"):
        assert page.read_text(encoding="utf-8").startswith("---\nlang: vi\n---\n"), page.name


def test_no_page_draws_a_diagram_with_a_script() -> None:
    """A mermaid block makes the site fetch mermaid.js from a CDN when viewed: diagrams
    are SVG files in docs/img instead."""
    for page in DOCS.rglob("*.md"):
        if "_research" in page.parts:
            continue
        assert "```mermaid" not in page.read_text(encoding="utf-8"), page
    assert "mermaid" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split(
        "markdown_extensions")[1].split("nav:")[0].replace("# no mermaid", "")
    for svg in (DOCS / "img").glob("monthly-flow*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert "<script" not in text and "http" not in text.replace(
            "http://www.w3.org/2000/svg", "")


@pytest.mark.slow
def test_the_built_site_serves_vietnamese_pages_as_vietnamese(tmp_path: Path) -> None:
    """mkdocs build: <html lang="vi"> on the Vietnamese pages, "en" elsewhere, and no page
    loads a script from another site."""
    pytest.importorskip("mkdocs")
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                   cwd=ROOT, check=True, capture_output=True, env=env)  # fmt: skip
    def lang(rel: str) -> str:
        m = re.search(r'<html lang="([^"]+)"', (site / rel).read_text(encoding="utf-8"))
        assert m is not None
        return m.group(1)

    for page in (DOCS / "vi").glob("*.md"):
        assert lang(f"vi/{page.stem}/index.html") == "vi", page.name
    assert lang("cli/index.html") == lang("index.html") == "en"
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert not re.search(r'<script[^>]+src="https?://', text), html
        assert 'class="mermaid"' not in text, html
