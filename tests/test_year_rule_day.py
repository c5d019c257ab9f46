"""A year's rule set is the one in force when the year is classified, at its end — at
every lookup, not only in :func:`evalkit.classify_year`.

Luật Viên chức 129/2025/QH15 Điều 26 k1 and NĐ 233/2026/NĐ-CP (in force 2026-07-01)
classify the viên chức's year; NĐ 90/2020/NĐ-CP ended on 2026-06-30. The people's year
already took the set of December; the registry took the year's first day, so a units' year
classified without its people (the demo's) named NĐ 90/2020 for a viên chức unit, and a
units frame whose categories gave two rule sets to no staff at all crashed.
"""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.demo import classify_demo, load_demo


@pytest.mark.parametrize(("category", "period", "want"), [
    ("vien_chuc", "2026", "vn.nd233-2026"),       # classified in December 2026: NĐ 233
    ("vien_chuc", "2026-06", "vn.nd90-2020"),     # June: NĐ 90 to 30/6/2026
    ("vien_chuc", "2026-07", "vn.nd233-2026"),
    ("vien_chuc", "2025", "vn.nd90-2020"),
    ("cong_chuc", "2026", "vn.nd335-2025"),
])  # fmt: skip
def test_the_registry_reads_a_year_on_its_december(category: str, period: str, want: str) -> None:
    reg = evalkit.rules.default_registry()
    assert reg.for_period(category, period).id == want
    assert evalkit.rules.get(want).in_force(period)


def test_a_set_that_ended_in_june_is_not_in_force_for_the_year() -> None:
    """NĐ 90/2020 ended 2026-06-30: in force for 2026-06, not for the year 2026 (the same
    answer :func:`evalkit.scoring.require_in_force` gives)."""
    nd90 = evalkit.rules.get("vn.nd90-2020")
    assert nd90.in_force("2026-06") and not nd90.in_force("2026")
    assert not nd90.covers("vien_chuc", "2026")


def test_units_alone_under_two_rule_sets_are_classified() -> None:
    """No staff row, a công chức unit and a viên chức unit for the year: each is graded under
    its own category's set (P: 93 % done, HTXS in NĐ 335/2025's bands ≥ 90; T: 80 %, HTT)."""
    units = pd.DataFrame({
        "unit_id": ["P", "T"], "period": ["2026", "2026"], "category": ["cong_chuc", "vien_chuc"],
        "tasks_assigned": [100, 10], "tasks_done": [93, 8],
    })  # fmt: skip
    _, got = evalkit.classify_frame(pd.DataFrame(columns=["staff_id", "unit_id", "period"]), units)
    got = got.set_index("unit_id")
    assert got.loc["P", "rule_set"] == "vn.nd335-2025"
    assert got.loc["T", "rule_set"] == "vn.nd233-2026"
    assert list(got.loc[["P", "T"], "grade"].astype(str)) == ["HTXS", "HTT"]


def test_the_demo_centre_year_is_classified_under_nd233() -> None:
    """The demo's Trung tâm Lưu trữ lịch sử (viên chức) has its year under NĐ 233/2026, as
    its people have; the phòng (công chức) under NĐ 335/2025."""
    y = load_demo().year_units_frame().set_index("unit_id")
    assert y.loc["SNV-TTLT", "category"] == "vien_chuc"
    assert y.loc["SNV-XDCQ", "category"] == "cong_chuc"
    r = classify_demo()
    units = r.unit_year.set_index("unit_id")["rule_set"].astype(str)
    people = r.year.groupby("unit_id")["rule_set"].agg(lambda s: set(s.astype(str)))
    assert units["SNV-TTLT"] == "vn.nd233-2026"
    for unit, sets in people.items():
        assert sets == {units[unit]}, (unit, sets, units[unit])
