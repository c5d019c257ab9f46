"""A local framework gives way to the national text that takes a category over
(``categories_until``): Hà Nội's QĐ 3814-QĐ/TU (2018) for công chức until NĐ 335/2025/NĐ-CP
(1/1/2026), for viên chức until NĐ 233/2026/NĐ-CP (1/7/2026), for cán bộ until QĐ 366-QĐ/TW
(30/8/2025); contract staff stay under it."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.errors import RuleSetError
from evalkit.rules import Registry, load

HANOI = "vn.hanoi"


@pytest.mark.parametrize(
    ("category", "period", "expected"),
    [
        ("cong_chuc", "2025-12", "hanoi.3814-2018"),
        ("cong_chuc", "2026-01", "vn.nd335-2025"),
        ("vien_chuc", "2026-06", "hanoi.3814-2018"),
        ("vien_chuc", "2026-07", "vn.nd233-2026"),
        ("can_bo", "2025-08", "hanoi.3814-2018"),
        ("can_bo", "2025-09", "vn.qd366-2025"),
        ("hop_dong", "2026-07", "hanoi.3814-2018"),
    ],
)
def test_the_registry_finds_the_text_in_force_for_the_category(
    category: str, period: str, expected: str
) -> None:
    reg = evalkit.rules.default_registry()
    assert reg.for_period(category, period, HANOI).id == expected


def test_a_hanoi_civil_servants_year_in_2026_is_classified_under_nd335() -> None:
    """A duty-related reprimand in the year: KHT (NĐ 335 Điều 20 k4 c), not HTT under the
    2018 framework, which has no disqualifier."""
    top = evalkit.rules.get("vn.nd335-2025").full_marks()
    rows = [{"staff_id": "A", "unit_id": "U", "period": f"2026-{m:02d}", "category": "cong_chuc",
             **top, "discipline": 1 if m == 3 else 0} for m in range(1, 13)]  # fmt: skip
    staff, units = evalkit.classify_frame(pd.DataFrame(rows), pd.DataFrame({"unit_id": ["U"]}),
                                          jurisdiction=HANOI)  # fmt: skip
    assert set(staff["rule_set"].astype(str)) == {"vn.nd335-2025"}
    year = evalkit.classify_year(staff.assign(discipline=[r["discipline"] for r in rows]), units)
    assert year["grade"].astype(str).tolist() == ["KHT"]


def test_naming_the_set_still_applies_it() -> None:
    """An explicit choice is kept: the set is in force, only the registry's lookup changes."""
    rs = evalkit.rules.get("hanoi.3814-2018")
    assert rs.in_force("2026-03") and not rs.covers("cong_chuc", "2026-03")
    assert rs.covers("hop_dong", "2026-03")
    a = evalkit.Assessment("A", "2026-03", competent_scores=rs.full_marks())
    assert evalkit.score(a, rules=rs).rule_set_id == rs.id


def _text(until: str, *, rid: str = "agency.x", cats: str = '["cong_chuc", "hop_dong"]',
          start: str = "2024-01-01") -> str:
    return f"""
extends = "vn.nd335-2025"
id = "{rid}"
title_vi = "Thử"
jurisdiction = "vn.test"
categories = {cats}
effective_from = {start}
categories_until = {until}
"""


@pytest.mark.parametrize(
    ("until", "words"),
    [
        ("{ vien_chuc = 2025-01-01 }", "not one of the set's categories"),
        ("{ nobody = 2025-01-01 }", "unknown staff category"),
        ("{ cong_chuc = 2023-12-31 }", "before effective_from"),
        ('{ cong_chuc = "soon" }', "expected a date"),
    ],
)
def test_a_bad_entry_is_refused_naming_its_key(tmp_path, until: str, words: str) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "x.toml"
    f.write_text(_text(until), encoding="utf-8")
    with pytest.raises(RuleSetError) as err:
        load(f)
    assert "categories_until" in str(err.value) and words in str(err.value)


def test_a_set_taking_the_category_over_does_not_overlap(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The range check counts a category's own end: a successor from the next day registers,
    one starting earlier overlaps."""
    files = {"x": _text("{ cong_chuc = 2025-12-31 }"),
             "y": _text("{}", rid="agency.y", cats='["cong_chuc"]', start="2026-01-01"),
             "z": _text("{}", rid="agency.z", cats='["cong_chuc"]', start="2025-06-01")}
    sets = {}
    for name, text in files.items():
        (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
        sets[name] = load(tmp_path / f"{name}.toml")
    reg = Registry()
    reg.register(sets["x"])
    reg.register(sets["y"])
    assert reg.for_period("cong_chuc", "2026-02", "vn.test").id == "agency.y"
    assert reg.for_period("cong_chuc", "2025-12", "vn.test").id == "agency.x"
    assert reg.for_period("hop_dong", "2026-02", "vn.test").id == "agency.x"
    other = Registry()
    other.register(sets["x"])
    with pytest.raises(RuleSetError, match="overlap"):
        other.register(sets["z"])
