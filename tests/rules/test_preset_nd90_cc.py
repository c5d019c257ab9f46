"""vn.nd90-2020-cc: công chức under NĐ 90/2020/NĐ-CP (as amended by NĐ 48/2023) from 20/8/2020
until NĐ 335/2025/NĐ-CP governs them (1/1/2026): chosen by date at every door, with the
công chức articles (Điều 8–11) on the sheet, beside viên chức under vn.nd90-2020 (Điều 12–15)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from contract import PresetContract, ThanhHoaNoticesContract

import evalkit
from evalkit import Grade
from evalkit.io.archive import Archive
from evalkit.rules._registry import _canonical

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _cli_helpers import ok

GENERAL_30 = {"chinh_tri": 7.5, "dao_duc": 7.5, "tac_phong": 7.5, "ky_luat": 7.5}
FULL = {**GENERAL_30, "so_luong": 100, "chat_luong": 100, "tien_do": 100}
CC, VC = evalkit.rules.get("vn.nd90-2020-cc"), evalkit.rules.get("vn.nd90-2020")
UNITS = pd.DataFrame({"unit_id": ["U"]})


class TestNd90Cc(PresetContract, ThanhHoaNoticesContract):
    """The contract: the set's own file, dates, categories and page."""

    RULE_SET_ID = "vn.nd90-2020-cc"
    JURISDICTION = "vn"
    CATEGORIES = ("cong_chuc",)
    EFFECTIVE_FROM = dt.date(2020, 8, 20)
    EFFECTIVE_TO = dt.date(2025, 12, 31)
    CLASSIFIED = ("year",)
    FULL_SCORES = FULL


def test_the_set_in_force_for_cong_chuc_before_and_after_2026() -> None:
    """A công chức month or year of 2025 gets NĐ 90 without naming it; 2026-01 NĐ 335;
    a viên chức in 2025-12 keeps vn.nd90-2020."""
    got = {(c, p): evalkit.rules.for_period(c, p).id
           for c, p in [("cong_chuc", "2025-12"), ("cong_chuc", "2025"), ("cong_chuc", "2020-09"),
                        ("cong_chuc", "2026-01"), ("vien_chuc", "2025-12")]}  # fmt: skip
    assert got == {("cong_chuc", "2025-12"): "vn.nd90-2020-cc", ("cong_chuc", "2025"):
                   "vn.nd90-2020-cc", ("cong_chuc", "2020-09"): "vn.nd90-2020-cc",
                   ("cong_chuc", "2026-01"): "vn.nd335-2025",
                   ("vien_chuc", "2025-12"): "vn.nd90-2020"}  # fmt: skip
    a = evalkit.Assessment("CC-1", "2025-12", manager_scores=FULL)
    assert evalkit.score(a, category="cong_chuc").rule_set_id == "vn.nd90-2020-cc"


def test_same_rules_as_the_vien_chuc_set_other_citations() -> None:
    """Extends vn.nd90-2020: what grades is the same but for categories and dates; the
    citations name the công chức articles and never the viên chức ones, and conversely."""
    def rules(rs: object) -> dict[str, object]:
        data = json.loads(_canonical(rs))  # type: ignore[arg-type]
        return {k: v for k, v in data.items()
                if k not in ("id", "categories", "effective_to", "categories_until")}
    assert rules(CC) == rules(VC)
    cc_cites = " ".join(s for _, s in CC.citations())
    vc_cites = " ".join(s for _, s in VC.citations())
    assert not re.search(r"Điều 1[2-5]", cc_cites)
    assert {"Điều 8", "Điều 9", "Điều 10", "Điều 11"} <= set(re.findall(r"Điều \d+", cc_cites))
    assert not re.search(r"Điều (8|9|10|11)\b", vc_cites)
    assert {b.grade: b.source for b in CC.bands}[Grade.HTXS] == "NĐ 90/2020/NĐ-CP, Điều 8"


def test_the_registry_refuses_a_second_cong_chuc_set_over_2025() -> None:
    """The overlap check holds for the new category range."""
    import attrs

    reg = evalkit.rules.Registry.with_presets()
    other = attrs.evolve(CC, id="x.cc", effective_from=dt.date(2025, 6, 1), effective_to=None)
    with pytest.raises(evalkit.RuleSetError, match="overlap for cong_chuc"):
        reg.register(other)


def _month(period: str, n_each: int = 5, **first: object) -> pd.DataFrame:
    """A unit of công chức and viên chức with full marks; ``first`` adds inputs to CC0."""
    rows = [{"staff_id": f"{p}{i}", "unit_id": "U", "period": period,
             "category": "cong_chuc" if p == "CC" else "vien_chuc", **FULL, "discipline": 0,
             **(first if (p, i) == ("CC", 0) else {})}
            for p in ("CC", "VC") for i in range(n_each)]  # fmt: skip
    return pd.DataFrame(rows)


def test_a_mixed_unit_month_is_classified_per_category_group() -> None:
    staff, _units = evalkit.classify_frame(_month("2025-12"), UNITS)
    sets = staff.groupby("category")["rule_set"].unique().map(list).to_dict()
    assert sets == {"cong_chuc": ["vn.nd90-2020-cc"], "vien_chuc": ["vn.nd90-2020"]}


def test_a_mixed_unit_year_2025_from_the_archive_and_its_sheet_cites_the_cong_chuc_articles(
) -> None:
    """Archive.annual for 2025: each category under its own set; a công chức with
    degradation is KHT citing Điều 11, a viên chức's sheet keeps Điều 15."""
    path = os.path.join(tempfile.mkdtemp(), "a.sqlite")
    with Archive(path) as arc:
        for m in range(1, 13):
            frame = _month(f"2025-{m:02d}", degradation=(m == 12))
            staff, units = evalkit.classify_frame(frame, UNITS)
            crit = [c for c in frame.columns if c not in staff.columns or c == "staff_id"]
            arc.finalize(staff.merge(frame[crit], on="staff_id"), by="audit", units=units,
                         unit_inputs=UNITS)  # fmt: skip
        year = arc.annual(2025)
    t = year.set_index("staff_id")
    sets = t["rule_set"].groupby(t.index.str[:2]).unique().map(list).to_dict()
    assert sets == {"CC": ["vn.nd90-2020-cc"], "VC": ["vn.nd90-2020"]}
    assert t.loc["CC0", "annual_grade"] == "KHT" and t.loc["CC1", "annual_grade"] != "KHT"
    assert "disqualifier.degradation" in t.loc["CC0", "reasons"]
    # the command line reads the same archive the same way
    said = json.loads(ok("annual", "--archive", path, "--year", "2025", "--json"))
    cli = pd.DataFrame(said["results"]["data"]["rows"]).set_index("staff_id")
    assert cli["rule_set"].to_dict() == t["rule_set"].to_dict()
    # the công chức's year sheet cites the công chức article, never a viên chức one
    from evalkit.render import period_sheets_from_results, render_period_html

    (sheet,) = period_sheets_from_results(year[year["staff_id"] == "CC0"])
    html = render_period_html(sheet)
    assert "Điều 11" in html and not re.search(r"Điều 1[2-5]", html)


def test_rules_list_and_show_name_the_set() -> None:
    assert "vn.nd90-2020-cc" in ok("rules", "list", "--json")
    shown = ok("rules", "show", "vn.nd90-2020-cc")
    assert "2020-08-20 → 2025-12-31" in shown
    assert "Điều 8" in shown and not re.search(r"Điều 1[2-5]", shown)


def test_a_preset_that_extends_another_is_read_after_its_base_whatever_the_file_names(
) -> None:
    """vn.nd90-2020-cc.toml sorts before vn.nd90-2020.toml ('-' < '.'): the registry reads
    the base first; the set is the base's data with the file's keys on top."""
    from evalkit.rules._registry import _preset_files

    names = [Path(n).name for n, _ in _preset_files()]
    assert names.index("vn.nd90-2020-cc.toml") < names.index("vn.nd90-2020.toml")
    reg = evalkit.rules.Registry.with_presets()
    assert reg.get("vn.nd90-2020-cc").quota == reg.get("vn.nd90-2020").quota
    assert reg.get("vn.nd90-2020-cc").path == "evalkit/rules/presets/vn.nd90-2020-cc.toml"
