"""Running the command line in-process, as a person at a terminal would."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from evalkit.cli import main


def run(*args: str) -> tuple[int, str, str]:
    """Run a command: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(args), stdout=out)
    return code, out.getvalue(), err.getvalue()


def ok(*args: str) -> str:
    """Run a command that must succeed; its stdout."""
    code, out, err = run(*args)
    assert code == 0, (args, out, err)
    return out


def org_file(folder: Path, units: str, positions: str, staff: str) -> Path:
    """The organisation file ``folder/to-chuc.json`` made by ``evalkit org`` from the three
    CSV texts, written first as ``don-vi.csv``, ``vi-tri.csv`` and ``nhan-su.csv`` in
    ``folder``, as a person would."""
    for name, text in (("don-vi.csv", units), ("vi-tri.csv", positions),
                       ("nhan-su.csv", staff)):  # fmt: skip
        (folder / name).write_text(text, encoding="utf-8")
    org = folder / "to-chuc.json"
    ok("org", "--units", str(folder / "don-vi.csv"), "--positions", str(folder / "vi-tri.csv"),
       "--staff", str(folder / "nhan-su.csv"), "--out", str(org))  # fmt: skip
    return org
