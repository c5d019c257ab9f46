"""A blank cell of a hand-edited results file is said blank, never ``None``: ``render`` and
``finalize`` refuse a grade (or total) emptied by hand with "để trống" / "blank" in the
sentence that says the results do not follow from their inputs (found by af200)."""

from __future__ import annotations

import json
from pathlib import Path

from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person
from tests.test_hunt_af160 import UNITS


def test_a_grade_emptied_by_hand_is_said_blank(tmp_path: Path) -> None:
    book = filled_workbook(tmp_path / "m.xlsx", [person("CC-1"), person("CC-2", so_luong=50)],
                           units=UNITS)  # fmt: skip
    results = tmp_path / "r.json"
    assert run("classify", str(book), "--out", str(results))[0] == 0
    doc = json.loads(results.read_text(encoding="utf-8"))
    row = next(r for r in doc["data"]["rows"] if r["staff_id"] == "CC-2")
    row["grade"] = None
    edited = tmp_path / "e.json"
    edited.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for command in ("render", "finalize"):
        where = (["--out", str(tmp_path / "pdf")] if command == "render" else
                 ["--archive", str(tmp_path / "a.sqlite"), "--by", "X"])  # fmt: skip
        for lang, blank in (("vi", "để trống"), ("en", "blank")):
            code, out, err = run("--lang", lang, command, str(edited), *where)
            lines = [ln for ln in (out + err).splitlines() if ln.startswith("  - ")]
            said = [ln for ln in lines if "CC-2" in ln]
            assert code == 1 and said, (command, lang, out, err)
            assert all("None" not in ln for ln in lines), lines
            assert any(blank in ln for ln in said), said
