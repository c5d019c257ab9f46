"""The README's and the modules' examples run as written."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import evalkit

ROOT = Path(__file__).resolve().parent.parent


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_readme_python_example_runs() -> None:
    """Every ```python block of the README executes without error."""
    blocks = _python_blocks(ROOT / "README.md")
    assert blocks, "the README must show a Python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


_LIGHT_MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(evalkit.__path__, "evalkit.")
    if not any(part in m.name for part in (".testing", ".render", ".cli", "__main__"))
)


@pytest.mark.parametrize("name", _LIGHT_MODULES)
def test_module_doctests_pass(name: str) -> None:
    """Docstring examples are tests (docs cannot rot)."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
