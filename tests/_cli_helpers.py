"""Running the command line in-process, as a person at a terminal would."""

from __future__ import annotations

import contextlib
import io

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
