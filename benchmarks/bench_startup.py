"""Start-up cost: ``import evalkit`` vs ``import pandas``; ``evalkit --help``.

Targets (issue 9): ``import evalkit`` ≤ 1.2× ``import pandas`` and imports no WeasyPrint,
Hypothesis or Dask; ``evalkit --help`` ≤ 0.3 s.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import row


def _time(cmd: list[str], repeat: int = 7) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> list[dict[str, Any]]:
    py = sys.executable
    ours = _time([py, "-c", "import evalkit"])
    base = _time([py, "-c", "import pandas"])
    heavy = subprocess.run(
        [py, "-c", "import evalkit, sys; print(sorted(m for m in ('weasyprint', 'hypothesis',"
         " 'dask', 'distributed') if m in sys.modules))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    rows = [
        row("import evalkit", f"{ours * 1000:.0f} ms", f"import pandas {base * 1000:.0f} ms",
            ours / base, "≤ 1.2×", ours / base <= 1.2 and heavy == "[]"),
    ]  # fmt: skip
    exe = shutil.which("evalkit") or str(Path(py).with_name("evalkit"))
    if Path(exe).exists():
        helptime = _time([exe, "--help"])
        rows.append(
            row("evalkit --help", f"{helptime * 1000:.0f} ms", "—", helptime / 0.3,
                "≤ 0.3 s", helptime <= 0.3)
        )  # fmt: skip
    return rows


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
