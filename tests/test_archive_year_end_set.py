"""The archive's year under the set in force at the year's end (issue 13; found by
``test_door_properties::test_the_cli_agrees``): a viên chức whose every archived month of
2026 is under a set that no longer covers viên chức at the year's end (Hà Nội QĐ 3814 or
NĐ 90/2020 until June) is classified for 2026 under NĐ 233/2026 (docs/classification.md),
which judges a month's discipline itself. The archive must hand the year the month's
discipline (and whether it related to the duties), as the frames do: it used to keep only
the month's reason codes, which the year's set does not read, and the reprimanded person
kept their band for the year on the command line while ``classify_year`` gave KHT.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import evalkit.rules
from evalkit.io.archive import Archive
from evalkit.units import classify_year
from tests._archive_helpers import classified

PEOPLE = {"H": 100.0, "A": 95.0, "B": 90.0}
#: six months: a year of fewer months worked is not classified (NĐ 233/2026 Điều 14 k1)
SIX = tuple(f"2026-{m:02d}" for m in range(1, 7))


@pytest.mark.parametrize(("rule_set", "months"), [
    ("hanoi.3814-2018", SIX),
    ("vn.nd90-2020", SIX),
])  # fmt: skip
def test_a_discipline_under_the_months_set_reaches_the_year_end_set(
    tmp_path: Path, rule_set: str, months: tuple[str, ...]
) -> None:
    rs = evalkit.rules.get(rule_set)
    extra = {sid: {"category": "vien_chuc"} for sid in PEOPLE}
    done = []
    with Archive(tmp_path / "a.sqlite") as arc:
        for per in months:
            punished = {"A": {**extra["A"], "discipline": 1}} if per == months[-1] else {}
            results, units, inputs = classified(per, PEOPLE, rs=rs, head="H",
                                                extra={**extra, **punished})  # fmt: skip
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
            done.append((results, units))
        got = arc.annual(2026).set_index("staff_id")
    want = classify_year(pd.concat([r for r, _ in done], ignore_index=True),
                         pd.concat([u for _, u in done], ignore_index=True)).set_index("staff_id")
    # by hand: the year is NĐ 233's (the set in force for viên chức in December 2026), and
    # a viên chức disciplined in the year is KHT whatever the score (NĐ 233/2026)
    assert set(want["rule_set"].astype(str)) == {"vn.nd233-2026"}
    assert str(want.loc["A", "grade"]) == "KHT"
    assert "disqualifier.discipline" in str(want.loc["A", "reasons"])
    for sid in PEOPLE:
        assert str(got.loc[sid, "rule_set"]) == str(want.loc[sid, "rule_set"]), sid
        assert str(got.loc[sid, "annual_grade"]) == str(want.loc[sid, "grade"]), sid
        assert got.loc[sid, "annual_total"] == want.loc[sid, "total"], sid
        assert str(got.loc[sid, "reasons"]) == str(want.loc[sid, "reasons"]), sid
