"""The year's own quota, ``[rollup.quota]`` (af116): a set whose months take one quota and
whose year is classified under another text.

``hanoi.3814-2018`` (QĐ 3814-QĐ/TU, domain brief §4.3) grades every month with A ≤ 30 % of
those classified (its ``[quota]``, monthly only). The year of cán bộ, công chức and viên
chức follows the national decree — NĐ 90/2020/NĐ-CP Điều 2 k6, added by NĐ 48/2023/NĐ-CP
from 15/9/2023: HTXS ≤ 20 % of those rated HTT per unit (as ``vn.nd90-2020`` reads it) —
until NĐ 233/2026 (30/6/2026); contract staff (``hop_dong``) were never governed by NĐ 90,
so their year keeps no quota. Every figure below is worked by hand from those rules.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit.reasons import with_sentences
from evalkit.rules import RuleSet, parse_rule_set

RS = "hanoi.3814-2018"
PRESET = Path(__file__).resolve().parent.parent / "evalkit/rules/presets/hanoi.3814-2018.toml"
#: 3 at 20 + 70 + 5 = 95 (A) and 7 at 20 + 60 = 80 (B) every month
PLAN = {**{f"A{i}": (70, 5) for i in range(3)}, **{f"B{i}": (60, 0) for i in range(7)}}


def _months(category: Callable[[str], str], year: int = 2025,
            plan: dict[str, tuple[int, int]] = PLAN) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """July–December of ``year`` in unit U (10/10 tasks: the unit is A), classified month by
    month under QĐ 3814; the months' staff and unit results."""
    done, units = [], []
    for m in range(7, 13):
        per = f"{year}-{m:02d}"
        staff = pd.DataFrame([{"staff_id": s, "unit_id": "U", "period": per,
                               "category": category(s), "ky_luat": 10, "dao_duc": 10,
                               "ket_qua_nhiem_vu": k, "sang_kien": b, "thanh_tich": 0}
                              for s, (k, b) in plan.items()])  # fmt: skip
        u = pd.DataFrame([{"unit_id": "U", "period": per, "tasks_assigned": 10,
                           "tasks_done": 10}])  # fmt: skip
        out, ur = evalkit.classify_frame(staff, u, RS)
        done.append(pd.concat([staff, out[[c for c in out if c not in staff]]], axis=1))
        units.append(ur)
    return pd.concat(done, ignore_index=True), pd.concat(units, ignore_index=True)


def _year(category: Callable[[str], str], year: int = 2025,
          plan: dict[str, tuple[int, int]] = PLAN) -> pd.DataFrame:  # fmt: skip
    return evalkit.classify_year(*_months(category, year, plan), RS).set_index("staff_id")


def test_the_month_keeps_its_30_percent_of_those_classified() -> None:
    """Each month: 10 classified, floor(30 % × 10) = 3 A, the base everyone classified —
    the year's table changes nothing of the months."""
    months, _ = _months(lambda s: "cong_chuc")
    for _, m in months.groupby("period"):
        assert (m["grade"] == "HTXS").sum() == 3
        assert set(m["quota_percent"]) == {30.0} and set(m["quota_base"]) == {10}
        assert set(m["quota_cap"]) == {3}


def test_the_year_of_civil_servants_takes_20_percent_of_the_htt() -> None:
    """The year: means 95 and 80 → 3 HTXS, 7 HTT by band; NĐ 90 Điều 2 k6: floor(20 % × 7)
    = 1 HTXS. The three tie on every key (total, tasks, no deduction, no order): the staff
    id decides, A0 keeps it; A1, A2 → HTT, said with the decree's citation and base."""
    y = _year(lambda s: "cong_chuc")
    assert y["grade"].to_dict() == {"A0": "HTXS", **{s: "HTT" for s in PLAN if s != "A0"}}
    a1 = y.loc["A1"]
    assert (a1["quota_base"], a1["quota_percent"], a1["quota_cap"]) == (7, 20.0, 1)
    assert "quota.demoted" in a1["reasons"] and "quota.demoted" not in y.loc["A0", "reasons"]
    said = with_sentences(y.reset_index()).set_index("staff_id").loc["A1", "reasons_vi"]
    assert "20% của 7 người xếp Loại B" in said
    assert "(NĐ 90/2020/NĐ-CP, Điều 2 k6, bổ sung bởi NĐ 48/2023/NĐ-CP)" in said
    assert "người được xếp loại" not in said.split("Vượt tỷ lệ", 1)[1]


def test_vien_chuc_too_and_not_before_nd_48() -> None:
    """Viên chức 2025 are reached like công chức (1 HTXS); the year 2022, before NĐ 48/2023
    added k6 (15/9/2023), has no year quota: the 3 keep A."""
    assert (_year(lambda s: "vien_chuc")["grade"] == "HTXS").sum() == 1
    y = _year(lambda s: "cong_chuc", 2022)
    assert (y["grade"] == "HTXS").sum() == 3
    assert "quota.demoted" not in ";".join(y["reasons"])


def test_the_contract_staffs_year_is_unchanged() -> None:
    """Contract staff: not in the table's categories (NĐ 90 never governed them) and the
    set's [quota] is monthly only, so their year has no quota, as before: 3 HTXS, no quota
    figure on any row."""
    y = _year(lambda s: "hop_dong")
    assert (y["grade"] == "HTXS").sum() == 3
    assert "quota_percent" not in y.columns or y["quota_percent"].isna().all()
    assert "quota.demoted" not in ";".join(y["reasons"])


def test_a_mixed_unit_counts_the_decrees_people_only() -> None:
    """U: A0, A1 and B0–B6 công chức, A2 contract staff (all at the same scores). The year's
    quota counts the công chức: 7 HTT → 1 HTXS of A0, A1 (A0 by id); A2 is outside it and
    keeps A: 2 HTXS."""
    y = _year(lambda s: "hop_dong" if s == "A2" else "cong_chuc")
    assert y["grade"].to_dict() == {"A0": "HTXS", "A1": "HTT", "A2": "HTXS",
                                    **{f"B{i}": "HTT" for i in range(7)}}  # fmt: skip
    assert y.loc["A1", "quota_candidates"] == 2 and np.isnan(y.loc["A2", "quota_percent"])


def test_the_objects_quota_report_names_the_years_own_quota() -> None:
    """The objects door (:func:`evalkit.units.results_from_frame` → quota reports) gives
    the year's group the decree's base and citation, not the month's."""
    from evalkit.units import _quota_reports

    y = _year(lambda s: "cong_chuc").reset_index()
    (rep,) = _quota_reports(y, {})[("2025", "U")]
    assert (rep.base, rep.percent, rep.cap, rep.demoted) == ("HTT", 20.0, 1, ("A1", "A2"))
    assert rep.source.startswith("NĐ 90/2020/NĐ-CP, Điều 2 k6")


# ------------------------------------------------------------------- the rule file


def _data(**rollup_quota: Any) -> dict[str, Any]:
    data = tomllib.loads(PRESET.read_text(encoding="utf-8"))
    data["id"], data["jurisdiction"] = "my.hanoi", "vn.test"
    data["rollup"]["quota"] = {**data["rollup"]["quota"], **rollup_quota}
    return data


def test_the_preset_reads_its_table() -> None:
    q = evalkit.rules.get(RS).rollup.quota
    assert q is not None and (q.base, q.percent, q.rounding) == ("HTT", 20.0, "floor")
    assert [c.value for c in q.scope.categories] == ["can_bo", "cong_chuc", "vien_chuc"]
    assert evalkit.rules.get(RS).quota_for("2025-07", "cong_chuc").base == "classified"


@pytest.mark.parametrize(("change", "where"), [
    ({"percent": 120}, "rollup.quota.percent"),
    ({"rounding": "down"}, "rollup.quota.rounding"),
    ({"periods": ["year"]}, "rollup.quota.periods"),
    ({"categories": ["cong_chuc", "cong_an"]}, "rollup.quota.categories[1]"),
    ({"grade": "KHT"}, "rollup.quota.grade"),
    ({"tie_break": ["total", "luck"]}, "rollup.quota.tie_break[1]"),
    ({"effective_until": "x"}, "rollup.quota.effective_until"),
])  # fmt: skip
def test_a_broken_table_is_refused_where_it_is_broken(change: dict[str, Any], where: str) -> None:
    with pytest.raises(evalkit.errors.RuleSetError) as err:
        parse_rule_set(_data(**change))
    assert where in str(err.value)


def test_a_set_that_does_not_classify_the_year_cannot_have_one() -> None:
    data = _data()
    data["classified"] = ["month"]
    with pytest.raises(evalkit.errors.RuleSetError) as err:
        parse_rule_set(data)
    assert "rollup.quota" in str(err.value) and "year" in str(err.value)


def test_rules_check_locates_the_problem(tmp_path: Any, capsys: pytest.CaptureFixture[str]
                                        ) -> None:  # fmt: skip
    """`evalkit rules check` names the key of [rollup.quota], in Vietnamese by default."""
    import io

    from evalkit.cli import main

    text = PRESET.read_text(encoding="utf-8")
    head, tail = text.split("\n[rollup.quota]\n")
    path = tmp_path / "v.toml"
    path.write_text(head.replace('id = "hanoi.3814-2018"', 'id = "my.v"').replace(
        'jurisdiction = "vn.hanoi"', 'jurisdiction = "vn.test"') + "\n[rollup.quota]\n"
        + tail.replace("percent = 20\n", "percent = 120\n"), encoding="utf-8")  # fmt: skip
    buf = io.StringIO()
    assert main(["rules", "check", str(path), "--examples", "5"], stdout=buf) == 3
    out = buf.getvalue() + capsys.readouterr().err
    assert "rollup.quota.percent: tỷ lệ phải trong khoảng 0 đến 100, tệp ghi 120" in out


# ------------------------------------------------- without the table: the year as before


def _without(rs: RuleSet) -> RuleSet:
    return attrs.evolve(rs, rollup=attrs.evolve(rs.rollup, quota=None))


_SETS = {"hanoi without the table": (_without(evalkit.rules.get(RS)), "2025"),
         "vn.nd90-2020": (evalkit.rules.get("vn.nd90-2020"), "2024"),
         "vn.nd335-2025": (evalkit.rules.get("vn.nd335-2025"), "2026")}  # fmt: skip
_TOTALS = [98.0, 95.0, 91.0, 90.0, 88.0, 80.0, 72.0, 60.0, 45.0]


@st.composite
def _years(draw: Any) -> tuple[RuleSet, pd.DataFrame]:
    rs, year = _SETS[draw(st.sampled_from(sorted(_SETS)))]
    n = draw(st.integers(1, 24))
    rows = []
    for i in range(n):
        total = draw(st.sampled_from(_TOTALS))
        rows.append({"staff_id": f"S{i:02d}", "period": year, "rule_set": rs.id,
                     "unit_id": draw(st.sampled_from(["U", "V", "W"])),
                     "category": draw(st.sampled_from([c.value for c in rs.categories])),
                     "duty_group": draw(st.sampled_from([None, "d1"])),
                     "total": total, "grade": rs.band_for(total).grade.code})  # fmt: skip
    return rs, pd.DataFrame(rows)


def _main_year(sets: Any, rule: Any, applies: Any, *_: Any) -> tuple[Any, Any, Any]:
    """``main``'s year: the steps run on the sets as they are (no year's own quota)."""
    return sets, rule, applies


@given(_years())
def test_without_the_table_the_year_is_classified_as_before(case: tuple[RuleSet, pd.DataFrame]
                                                           ) -> None:  # fmt: skip
    """A set without [rollup.quota] (the national presets; Hà Nội with the table removed)
    classifies any year exactly as ``main`` did (the steps on the sets as they are)."""
    rs, frame = case
    got = evalkit.classify_year(frame, None, rs)
    with mock.patch("evalkit._classify.year.year_quota", _main_year):
        before = evalkit.classify_year(frame, None, rs)
    pd.testing.assert_frame_equal(got, before)


@given(_years().filter(lambda c: c[0].id == RS))
def test_the_table_is_the_quota_code_run_on_the_year(case: tuple[RuleSet, pd.DataFrame]) -> None:
    """Hà Nội's year with its table: the contract staff's rows are as ``main`` gave them,
    and the others' grades are those of the same people under a set whose [quota] is the
    table (one implementation of the quota: the same code counts both)."""
    _, frame = case
    rs = evalkit.rules.get(RS)
    got = evalkit.classify_year(frame, None, rs)
    with mock.patch("evalkit._classify.year.year_quota", _main_year):
        before = evalkit.classify_year(frame, None, rs)
    hd = (frame["category"] == "hop_dong").to_numpy()
    assert got["grade"][hd].tolist() == before["grade"][hd].tolist()
    national = attrs.evolve(rs, quota=rs.rollup.quota, rollup=attrs.evolve(rs.rollup, quota=None))
    alone = evalkit.classify_year(frame[~hd].reset_index(drop=True), None, national)
    assert got["grade"][~hd].tolist() == alone["grade"].tolist()
