"""An amendment names the set the year follows: the person's latest month's (af163).

Without a set recorded for the year, :meth:`Archive.annual` classifies a person's year under
the set of their latest month of the year (:func:`evalkit.units.rollup_frame`: "the year
follows the person's last period"; :func:`evalkit.rules.for_year_end` where that set no
longer covers them in December). :meth:`Archive.amend` used to name, and to allow the year's
fields of, the set that follows the *amended* month's set instead. The case: a unit of viên
chức under NĐ 90/2020 from January to March 2026 became a unit of công chức under NĐ
335/2025 from April (NĐ 335/2025/NĐ-CP Điều 21: a transferred person is classified by the
new unit). An amendment of February said the year is NĐ 233/2026's (NĐ 90's successor for
viên chức), while ``annual`` classifies the year under NĐ 335/2025. Now the amendment, its
record read back by :meth:`Archive.history` (as it was said then: the months finalized by
the amendment) and ``evalkit amend`` name the set ``annual`` applies.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import evalkit.rules
from evalkit.io.archive import Archive
from tests._archive_helpers import classified
from tests._cli_helpers import run

PEOPLE = {"H": 100.0, "A": 95.0, "B": 90.0}
ND90, ND233, ND335 = "vn.nd90-2020", "vn.nd233-2026", "vn.nd335-2025"


def _finalize(arc: Archive, months: tuple[str, ...], rule_set: str, category: str) -> None:
    rs = evalkit.rules.get(rule_set)
    extra = {sid: {"category": category} for sid in PEOPLE}
    for per in months:
        results, units, inputs = classified(per, PEOPLE, rs=rs, head="H", extra=extra)
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)


def test_an_amendment_names_the_set_of_the_persons_latest_month(tmp_path: Path) -> None:
    """February amended with January–March archived (viên chức, NĐ 90): the year then
    follows March, NĐ 233/2026 at the year's end; amended again once April–June are archived
    (công chức, NĐ 335/2025): the year follows June, NĐ 335/2025 — the set ``annual``
    classifies the year under. ``history`` says each as it was said; so does the CLI."""
    path = tmp_path / "a.sqlite"
    with Archive(path) as arc:
        _finalize(arc, ("2026-01", "2026-02", "2026-03"), ND90, "vien_chuc")
        first = arc.amend("2026-02", "A", {"discipline": 1}, by="x", why="y")
        assert (first.year_rule_set, first.year_rule_set_recorded) == (ND233, False)
        time.sleep(1.1)  # (the archive's times are to the second)
        _finalize(arc, ("2026-04", "2026-05", "2026-06"), ND335, "cong_chuc")
        second = arc.amend("2026-02", "B", {"discipline": 1}, by="x", why="y")
        assert (second.year_rule_set, second.year_rule_set_recorded) == (ND335, False)
        year = arc.annual(2026).set_index("staff_id")
        assert set(year["rule_set"].astype(str)) == {ND335}
        # each amendment read back says what it said when it was made
        assert [a.year_rule_set for a in arc.history("2026-02", "A")] == [ND233]
        assert [a.year_rule_set for a in arc.history("2026-02", "B")] == [ND335]
    code, out, err = run("--lang", "en", "amend", "--archive", str(path), "--period", "2026-03",
                         "--staff", "B", "--set", "discipline=1", "--by", "x", "--why", "y",
                         "--json")  # fmt: skip
    assert code == 0, (out, err)
    assert (json.loads(out)["year_rule_set"], json.loads(out)["year_rule_set_recorded"]) == (
        ND335, False)
