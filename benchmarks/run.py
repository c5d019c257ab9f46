"""Run every benchmark and print one table: figure, evalkit, baseline, ratio, target, met.

``python benchmarks/run.py`` runs the quick sizes (a few minutes on 2 cores);
``BENCH_FULL=1 python benchmarks/run.py`` the full sizes. Each ``bench_*.py`` exposes
``main() -> list[dict]`` and measures evalkit and its bare baseline in the same run.
Benchmarks never fail on a timing: a missed target is printed as "missed".
"""

from __future__ import annotations

import importlib
import json
import sys
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

COLUMNS = ("figure", "evalkit", "baseline", "ratio", "target", "met")


def main(argv: list[str] | None = None) -> int:
    names = argv if argv else sorted(p.stem for p in HERE.glob("bench_*.py"))
    rows: list[dict[str, Any]] = []
    for name in names:
        print(f"running {name} …", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(name)
            rows.extend(module.main())
        except Exception:
            traceback.print_exc()
            rows.append({"figure": name, "evalkit": "error", "baseline": "", "ratio": "",
                         "target": "", "met": "error"})  # fmt: skip
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in COLUMNS}
    print(" | ".join(c.ljust(widths[c]) for c in COLUMNS))
    print("-|-".join("-" * widths[c] for c in COLUMNS))
    for r in rows:
        print(" | ".join(str(r.get(c, "")).ljust(widths[c]) for c in COLUMNS))
    (HERE / ".last-run.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
