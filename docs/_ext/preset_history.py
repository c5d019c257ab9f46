"""Write the earlier contents of evalkit's presets: evalkit/rules/presets/history/.

An archive month finalized before archive schema 5 kept only its rule set's id and
``content_fingerprint``. When a release changes a preset, such a month is classified again
under the content it was finalized with, found here by that fingerprint
(:func:`evalkit.rules.earlier_content`).

For every commit of this repository since ``content_fingerprint`` was introduced that
touched the rule sets (``evalkit/rules``, ``evalkit/model.py``), the script

1. extracts that commit's ``evalkit`` into a temporary directory and, with THAT evalkit,
   computes each preset's fingerprint (what an archive of that time stored);
2. reads the same commit's preset files with TODAY's loader (a preset extending another
   reads that commit's base) and writes the set, as :func:`evalkit.rules.content_json`,
   to ``history/<id>/<fingerprint>.json.gz`` unless the fingerprint is today's.

A file that today's loader cannot read is reported and left out (its months are refused
as before). Run it after a release that changes a preset's content::

    python docs/_ext/preset_history.py          # rewrite the history files
    python docs/_ext/preset_history.py --check  # exit 1 if a file is missing or differs

It is a docs tool, not part of the evalkit package; it needs the repository's git history.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from evalkit.rules import Registry, content_fingerprint, content_json, default_registry

ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT / "evalkit" / "rules" / "presets" / "history"
#: the commit that introduced content_fingerprint (what an archive month kept of its set)
FIRST = "c7cf95e"
#: the last commit before archive schema 5 (each month keeps its set whole): the months
#: finalized after it carry their content and need no history
LAST = "0350e3a^1"

_OLD = (
    "import json\n"
    "from evalkit.rules._registry import Registry, content_fingerprint\n"
    "print(json.dumps({rs.id: content_fingerprint(rs) for rs in Registry.with_presets()}))\n"
)


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout


def _commits() -> list[str]:
    return _git("rev-list", "--reverse", f"{FIRST}^..{LAST}", "--", "evalkit/rules",
                "evalkit/model.py").split()


def _at(commit: str, tmp: Path) -> tuple[dict[str, str], list[tuple[str, bytes]]]:
    """The preset fingerprints ``commit``'s evalkit computed and its preset files."""
    where = tmp / commit
    where.mkdir()
    tar = subprocess.run(["git", "archive", commit, "evalkit"], cwd=ROOT, check=True,
                         capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(where)], input=tar, check=True)
    out = subprocess.run([sys.executable, "-c", _OLD], cwd=where, check=True,
                         capture_output=True, text=True, env={"PYTHONPATH": str(where)})
    presets = where / "evalkit" / "rules" / "presets"
    files = [(f"evalkit/rules/presets/{p.name}", p.read_bytes())
             for p in sorted(presets.glob("*.toml"))]
    return json.loads(out.stdout), files


def build() -> tuple[dict[Path, bytes], list[str]]:
    """Each history file's text by path, and the lines reporting what was left out."""
    today = {rs.id: content_fingerprint(rs) for rs in default_registry()}
    files: dict[Path, bytes] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="preset-history-") as tmp:
        for commit in _commits():
            old, texts = _at(commit, Path(tmp))
            try:
                reg = Registry.from_texts(texts)
            except Exception as exc:
                notes.append(f"{commit[:9]}: today's loader cannot read its presets: {exc}")
                continue
            for rid, fp in old.items():
                if fp == today.get(rid):
                    continue
                if rid not in reg:  # (a preset file moved: read it from its old place)
                    notes.append(f"{commit[:9]}: {rid} not among its preset files")
                    continue
                rs = reg.get(rid)
                # the latest commit with this fingerprint gives the wording
                text = content_json(rs).encode("utf-8")
                files[HISTORY / rid / f"{fp}.json.gz"] = gzip.compress(text, mtime=0)
    return files, notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a file is out of date")
    args = ap.parse_args(argv)
    files, notes = build()
    for line in notes:
        print(line, file=sys.stderr)
    have = set(HISTORY.glob("*/*.json.gz")) if HISTORY.exists() else set()
    stale = sorted(p for p in have | set(files)
                   if p not in files or p not in have or p.read_bytes() != files[p])
    if args.check:
        for p in stale:
            print(f"out of date: {p.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    for p in have - set(files):
        p.unlink()
    for p, data in files.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    print(f"{len(files)} earlier contents under {HISTORY.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
