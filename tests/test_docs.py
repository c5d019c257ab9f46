"""The documentation site cannot rot: its examples run and its reference covers the API.

Every fenced ``python`` block of ``docs/**/*.md`` is executed, the blocks of one page in
order and in one namespace (a page is a tutorial), in a fresh working directory. A
``pycon`` block (``>>>`` lines) is run as a doctest. A block is skipped only when the line
before it (blank lines aside) is ``<!-- skip: REASON -->`` with a non-empty reason; a block
that only shows a file (````python title="monthly.py"``) runs like any other unless it
carries such a reason too. A ````text title="Output"`` block right after a Python block is
that block's printed output, checked word for word (audit 7, D10: shown output cannot drift).
"""

from __future__ import annotations

import contextlib
import dataclasses
import doctest
import importlib
import inspect
import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import evalkit

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<ticks>`{3,})(?P<lang>[\w+-]*)(?P<attrs>[^\n`]*)\n"
    r"(?P<body>.*?)"
    r"^(?P=indent)(?P=ticks)[ \t]*$",
    flags=re.M | re.S,
)
_SKIP = re.compile(r"<!--\s*skip(?::\s*(?P<reason>.*?))?\s*-->\s*$", flags=re.S)


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: Path
    line: int
    lang: str
    attrs: str
    code: str
    skip: bool
    reason: str
    output: str | None = None

    @property
    def where(self) -> str:
        page = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{page}:{self.line}"


def _pages() -> list[Path]:
    return sorted(
        p for p in DOCS.rglob("*.md") if not any(part.startswith("_") for part in p.parts)
    )


def _blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    out: list[Block] = []
    end = -1
    for m in _FENCE.finditer(text):
        lang = m["lang"].lower()
        indent = len(m["indent"])
        body = "\n".join(line[indent:] for line in m["body"].split("\n"))
        if lang == "text" and m["attrs"].strip() == 'title="Output"':
            assert out and text[end : m.start()].strip() == "", (
                f"{page}: an Output block must follow its Python block directly"
            )
            out[-1] = dataclasses.replace(out[-1], output=body)
            continue
        if lang not in ("python", "py", "pycon"):
            continue
        end = m.end()
        before = text[: m.start()].rstrip()
        last = before.rsplit("\n", 1)[-1].strip()
        skip = _SKIP.match(last)
        out.append(
            Block(
                page=page,
                line=text.count("\n", 0, m.start()) + 1,
                lang=lang,
                attrs=m["attrs"].strip(),
                code=body,
                skip=skip is not None,
                reason=(skip["reason"] or "").strip() if skip else "",
            )
        )
    return out


_PAGES_WITH_CODE = [p for p in _pages() if any(not b.skip for b in _blocks(p))]


def _run(block: Block, namespace: dict[str, object]) -> None:
    if block.lang == "pycon":
        parser = doctest.DocTestParser()
        test = parser.get_doctest(block.code, namespace, block.where, str(block.page), block.line)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        runner.run(test, clear_globs=False)
        assert runner.failures == 0, f"{runner.failures} doctest example(s) failed at {block.where}"
        return
    # pad with blank lines so a traceback names the line of the page
    code = "\n" * block.line + block.code
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(block.page), "exec"), namespace)
    if block.output is not None:
        shown = [line.rstrip() for line in block.output.strip("\n").splitlines()]
        assert [line.rstrip() for line in printed.getvalue().strip("\n").splitlines()] == shown, (
            f"the output shown after {block.where} is not what the block prints"
        )


@pytest.mark.parametrize(
    "page", _PAGES_WITH_CODE, ids=[str(p.relative_to(DOCS)) for p in _PAGES_WITH_CODE]
)
def test_every_python_example_of_the_page_runs(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each Python example of a docs page runs as written (issue 10: the docs cannot rot)."""
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in _blocks(page):
        if not block.skip:
            _run(block, namespace)


def test_a_skipped_example_always_gives_its_reason() -> None:
    """A block may be skipped only with ``<!-- skip: REASON -->`` (issue 10)."""
    unexplained = [b.where for p in _pages() for b in _blocks(p) if b.skip and not b.reason]
    assert unexplained == []


def test_the_block_finder_sees_indented_and_titled_blocks(tmp_path: Path) -> None:
    """Blocks inside tabs or admonitions and blocks with a title are found, skips are read."""
    page = tmp_path / "page.md"
    page.write_text(
        "# t\n\n```python\nx = 1\n```\n\n"
        '=== "Tab"\n\n    ```python title="a.py"\n    y = x + 1\n    ```\n\n'
        "<!-- skip: needs a server -->\n\n```python\nimport nowhere\n```\n\n"
        "```sh\nls\n```\n",
        encoding="utf-8",
    )
    blocks = _blocks(page)
    assert [(b.code, b.attrs, b.skip, b.reason) for b in blocks] == [
        ("x = 1\n", "", False, ""),
        ("y = x + 1\n", 'title="a.py"', False, ""),
        ("import nowhere\n", "", True, "needs a server"),
    ]


def test_an_output_block_is_checked_against_what_the_block_prints(tmp_path: Path) -> None:
    """A ````text title="Output"`` block that drifts from the printed output fails."""
    page = tmp_path / "page.md"
    shown = '```python\nprint("2 problems")\n```\n\n```text title="Output"\n{}\n```\n'
    page.write_text(shown.format("2 problems"), encoding="utf-8")
    [block] = _blocks(page)
    assert block.output == "2 problems\n"
    _run(block, {})
    page.write_text(shown.format("3 problems"), encoding="utf-8")
    with pytest.raises(AssertionError, match="is not what the block prints"):
        _run(_blocks(page)[0], {})


# --------------------------------------------------------------------------- the reference


def _exported() -> list[str]:
    return [n for n in evalkit.__all__ if not (n.startswith("__") and n.endswith("__"))]


@pytest.mark.parametrize("name", _exported())
def test_every_exported_name_has_a_docstring(name: str) -> None:
    """Every public name of ``evalkit`` documents itself (style.md principle 8)."""
    obj = getattr(evalkit, name)
    if inspect.isclass(obj) or inspect.isroutine(obj) or inspect.ismodule(obj):
        doc = inspect.getdoc(obj) or ""
        inherited = next(
            (inspect.getdoc(base) for base in getattr(obj, "__mro__", ())[1:] if base.__doc__),
            None,
        )
        assert doc.strip() and doc != inherited, f"evalkit.{name} has no docstring of its own"
    else:
        pytest.fail(f"evalkit.{name} is neither a class nor a function: document it by hand")


def test_every_exported_name_appears_in_the_api_reference() -> None:
    """docs/reference/api.md renders every name of ``evalkit.__all__`` (style.md principle 2)."""
    text = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    missing = [n for n in evalkit.__all__ if not re.search(rf"\bevalkit\.{re.escape(n)}\b", text)]
    assert missing == []


def test_every_public_submodule_named_in_the_reference_exists() -> None:
    """Each ``::: evalkit.x`` directive of the reference names an importable object."""
    text = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    for target in re.findall(r"^::: (\S+)", text, flags=re.M):
        module, _, attr = target.rpartition(".")
        try:
            obj = importlib.import_module(target)
        except ImportError:
            obj = getattr(importlib.import_module(module), attr, None)
        assert obj is not None, f"::: {target} names nothing"


# --------------------------------------------------------------------------- the site


@pytest.mark.slow
def test_the_site_builds_strictly_without_warnings(tmp_path: Path) -> None:
    """``mkdocs build --strict`` succeeds offline (issue 10: ``make docs`` has no warnings)."""
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
    assert mkdocs is not None, "mkdocs is not installed: pip install -e '.[docs]'"
    proc = subprocess.run(
        [mkdocs, "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
        check=False,
    )
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("WARNING")]
    assert (proc.returncode, warnings) == (0, []), proc.stderr[-3000:]
    assert (tmp_path / "site" / "reference" / "api" / "index.html").exists()
