"""The citation audit of 2026-12 (docs/_research/citation-audit-2026-12.md): a sentence on a
sheet cites the clause that says it, and one rule has one citation in every rule set.

1. NĐ 335/2025's annual classification is cited by one article in every set that takes it
   (``Điều 21``, news.laodong.vn's numbering; hethongphapluat.vn's ``Điều 19`` is the open
   conflict of legal-sources.md §1.9), and its leave clause by ``Điều 21 k3`` (legal
   absence, sick and maternity leave: "the actual period of civil servant work", LĐ-Đ21).
   ``example.tasks-80`` said the leave sentence with the article alone while
   ``vn.nd335-2025`` and ``vn.customs-2026q`` cited k3 (af212 moved those two).
2. A sentence on a unit without results, on the appraisal council's score or on an
   inspection of public duty falls back on no other rule's clause: under NĐ 233/2026 the
   units' source is Điều 12 k7 (the head not above the unit), which says nothing of either
   (ND233-TEXT, §13: no council, no inspection of public duty in the decree); under the
   customs letter and QĐ 366 Điều 11 neither was seen either.
3. Hà Nội's contract staff (QĐ 3814-QĐ/TU; NĐ 90's months-worked rule never reached them):
   their leave sentence cited QĐ 3814, whose quoted text says nothing of leave (§6). The
   time actually worked is the mean's own (the set's ``average_source``: no text sets the
   mean), so the sentence cites nothing — as a year of a công chức in 2024 still cites NĐ 90
   Điều 2 k3, whose clause says it.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.reasons import make_reason, make_reasons
from evalkit.units import classify_year

ND335 = evalkit.rules.get("vn.nd335-2025")
ND233 = evalkit.rules.get("vn.nd233-2026")
HANOI = evalkit.rules.get("hanoi.3814-2018")
EXAMPLE = evalkit.rules.get("example.tasks-80")
PRESETS = sorted(evalkit.rules.available(), key=lambda rs: rs.id)

#: NĐ 335/2025's annual classification and its leave clause, as the sheets print them
ANNUAL = "NĐ 335/2025/NĐ-CP, Điều 21"
LEAVE = "NĐ 335/2025/NĐ-CP, Điều 21 k3"


def _year(rs: evalkit.rules.RuleSet, category: str, year: int, *,
          on_leave: int = 2, leave: str = "sick") -> pd.DataFrame:  # fmt: skip
    """One person's year under ``rs``: ten months of 85, then ``on_leave`` months of leave."""
    n = 10 + on_leave
    months = pd.DataFrame({
        "staff_id": "P", "unit_id": "U", "category": category,
        "period": [f"{year}-{m:02d}" for m in range(1, n + 1)],
        "total": [85.0] * 10 + [None] * on_leave,
        "leave": [""] * 10 + [leave] * on_leave})  # fmt: skip
    return classify_year(months, None, rs)


def _cited(year: pd.DataFrame, rs: evalkit.rules.RuleSet, code: str) -> str:
    """The citation the sheet prints after the year's sentence ``code``."""
    row = year.iloc[0].to_dict()
    [reason] = [r for r in make_reasons(row["reasons"], rs, row) if r.code == code]
    return reason.source


def test_every_set_classifying_under_nd335_cites_one_article_and_its_leave_clause() -> None:
    """Every preset whose year is NĐ 335/2025's cites the annual classification, the mean
    and the leave sentence alike: Điều 21 and Điều 21 k3, never Điều 19, in one spelling."""
    under = [rs for rs in PRESETS if rs.classified_source.startswith("NĐ 335/2025")]
    assert {rs.id for rs in under} == {"vn.nd335-2025", "example.tasks-80"}
    for rs in under:
        year = _year(rs, "cong_chuc", 2026)
        assert (rs.classified_source, rs.rollup.source) == (ANNUAL, ANNUAL), rs.id
        assert _cited(year, rs, "rollup.average") == ANNUAL, rs.id
        assert _cited(year, rs, "rollup.leave") == LEAVE, rs.id
    # the customs year is its letter's, its leave the decree's clause all the same
    assert make_reason("rollup.leave", evalkit.rules.get("vn.customs-2026q"),
                       {"leave_months": 2}).source == LEAVE  # fmt: skip
    # nowhere else in the presets is NĐ 335's timing article numbered otherwise
    cited = {c for rs in PRESETS for _, c in rs.citations()} | {
        rs.classified_source for rs in PRESETS} | {
        rs.rollup.leave_source or "" for rs in PRESETS}  # fmt: skip
    assert not {c for c in cited if c.startswith("NĐ 335") and "Điều 19" in c}


@pytest.mark.parametrize("code", ["unit.council", "unit.not_evaluated", "inspection.notice",
                                  "inspection.deduction"])
def test_no_sentence_borrows_the_head_caps_clause(code: str) -> None:
    """Under NĐ 233 a council's score, a unit without results or an inspection finding
    cited Điều 12 k7 ("Mức xếp loại chất lượng của người đứng đầu không cao hơn mức xếp loại
    chất lượng của đơn vị"); in every preset they cite only an [inspections] table's own
    source (none of the presets has one: nothing)."""
    row = {"council": 92.0, "scores": "", "points": 2.0}
    assert ND233.units.source == "NĐ 233/2026/NĐ-CP, Điều 12 k7"
    assert make_reason(code, ND233, row).source == ""
    for rs in PRESETS:
        own = rs.inspections.source if code.startswith("inspection.") else ""
        assert make_reason(code, rs, row).source == own, rs.id
    # a set that names its inspections' source is cited by it
    agency = attrs.evolve(ND233, inspections=attrs.evolve(
        ND233.inspections, source="QĐ 12/2026/QĐ-UBND, Điều 5", status="secondary"))
    want = "QĐ 12/2026/QĐ-UBND, Điều 5" if code.startswith("inspection.") else ""
    assert make_reason(code, agency, row).source == want


def test_a_hanoi_contract_workers_leave_cites_no_document() -> None:
    """QĐ 3814's quoted text has no word on leave: a contract worker's two sick months are
    classified on the ten worked (the mean, which no text sets: no citation), while a công
    chức's 2024 under NĐ 90's months rule still cites Điều 2 k3."""
    contract = _year(HANOI, "hop_dong", 2024)
    assert contract.iloc[0]["grade"] == "HTT"
    assert _cited(contract, HANOI, "rollup.leave") == ""
    assert HANOI.rollup.average_source == ""  # the mean's own citation: none
    civil = _year(HANOI, "cong_chuc", 2024, leave="maternity")
    assert _cited(civil, HANOI, "rollup.leave") == "NĐ 90/2020/NĐ-CP, Điều 2 k3"


def test_the_worked_agency_file_cites_nd335_as_the_preset_does(tmp_path: Path) -> None:
    """docs/rule-sets.md's worked file keeps "the national bands, the national disqualifier
    for discipline, the national quota": each cites NĐ 335's clause in the presets' short
    form, and the discipline cap is k4 c's own rule (a violation related to public duty,
    party or administrative), not NĐ 90's "any discipline" under k4 c's citation."""
    page = (Path(__file__).resolve().parents[1] / "docs" / "rule-sets.md").read_text(
        encoding="utf-8")
    [toml] = [b for b in re.findall(r"^```toml[^\n]*\n(.*?)^```\s*$", page, flags=re.S | re.M)
              if 'id = "mau.so-vi-du-2026"' in b]  # fmt: skip
    (tmp_path / "so-vi-du-2026.toml").write_text(toml, encoding="utf-8")
    rs = evalkit.rules.load(tmp_path / "so-vi-du-2026.toml")
    national = {c.id: c for c in ND335.caps}
    for cap in rs.caps:
        want = national[cap.id]
        assert (cap.flag, cap.source) == (want.flag, want.source), cap.id
    for band in rs.bands:
        [want] = [b for b in ND335.bands if b.grade == band.grade]
        assert band.source.endswith("; " + want.source), band.grade
    assert rs.quota is not None and ND335.quota is not None
    assert rs.quota.terms(False)[2] == ND335.quota.terms(False)[2] == "NĐ 335/2025/NĐ-CP, Điều 20 k5 a"
    assert rs.quota.terms(True)[2] == ND335.quota.terms(True)[2] == "NĐ 335/2025/NĐ-CP, Điều 20 k5 b"
