"""The wheel ships the templates and presets, found through importlib.resources."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(out), str(ROOT)],
        check=True,
    )  # fmt: skip
    (whl,) = out.glob("evalkit-*.whl")
    return whl


def test_wheel_contains_templates_presets_and_py_typed(wheel: Path) -> None:
    """templates/ is shipped inside the wheel as evalkit/templates, beside the presets."""
    names = zipfile.ZipFile(wheel).namelist()
    assert "evalkit/py.typed" in names
    assert "evalkit/rules/presets/vn.nd335-2025.toml" in names
    assert any(n.startswith("evalkit/templates/") and n.endswith(".j2") for n in names)
    assert not any(n.startswith("templates/") for n in names)


def test_installed_wheel_works_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    """A non-editable install, run from another directory, finds its assets and renders."""
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
         str(wheel)],
        check=True,
    )  # fmt: skip
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = (
        "import evalkit, evalkit.rules, importlib.resources as r, pathlib, sys\n"
        f"assert pathlib.Path(evalkit.__file__).is_relative_to({str(site)!r}), evalkit.__file__\n"
        "assert evalkit.rules.get('vn.nd335-2025').total == 100\n"
        "t = r.files('evalkit').joinpath('templates')\n"
        "assert any(p.name.endswith('.j2') for p in t.iterdir())\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=work, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
    demo = subprocess.run(
        [sys.executable, "-m", "evalkit", "demo", "--out", str(work / "out")],
        cwd=work, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert list((work / "out").rglob("*.pdf")), "the demo wrote no PDF"
    assert list((work / "out").rglob("*.csv")), "the demo wrote no CSV"
