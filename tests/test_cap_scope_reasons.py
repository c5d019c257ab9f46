"""A row carries a cap's reason code exactly where the cap applies (audit 10, A).

* Hà Nội's monthly framework (QĐ 3814-QĐ/TU) sets no disqualifier for a month; the preset
  applies NĐ 90/2020 Điều 2 k5 a (added by NĐ 48/2023) to the **year** only
  (``periods = ["year"]``): a disciplined person's month keeps its band and carries no
  ``disqualifier.discipline`` — the year is KHT, from the month's flag (domain brief §4.3,
  §4.5);
* NĐ 90's clause is in force from 15/9/2023: a month before it is not lowered and carries
  no code; the 2023 year, classified in December, is KHT (§4.5);
* whatever the preset and the inputs, classify_frame's grade is never above what its
  reasons allow, so that finalize's consistency check (``check_results``) accepts
  classify_frame's own output.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
from evalkit import Grade
from evalkit.io.archive import Archive, check_results
from evalkit.testing import staff_month_frames

HANOI = evalkit.rules.get("hanoi.3814-2018")
ND90 = evalkit.rules.get("vn.nd90-2020")
UNITS = pd.DataFrame({"unit_id": ["U"]})
PRESETS = [rs.id for rs in evalkit.rules.available()]


def _month(rs: Any, period: str, category: str, n: int = 10, **first: Any) -> pd.DataFrame:
    """``n`` people with full marks; ``first`` adds inputs to person S0."""
    rows = [{"staff_id": f"S{i}", "unit_id": "U", "period": period, "category": category,
             **rs.full_marks(), "discipline": 0, **(first if i == 0 else {})}
            for i in range(n)]  # fmt: skip
    return pd.DataFrame(rows)


def _codes(cell: object) -> list[str]:
    return [c for c in str(cell or "").split(";") if c]


def _finalize(staff: pd.DataFrame, units: pd.DataFrame, inputs: pd.DataFrame,
              arc: Archive) -> None:  # fmt: skip
    """Archive a month: the results with the inputs they follow from (finalize re-derives)."""
    crit = [c for c in inputs.columns if c in {x.id for x in HANOI.criteria()}
            or c in {x.id for x in ND90.criteria()}]  # fmt: skip
    arc.finalize(staff.merge(inputs[["staff_id", *crit]], on="staff_id"), by="audit",
                 units=units, unit_inputs=UNITS)  # fmt: skip


class TestHanoiMonth:
    @pytest.mark.parametrize("flag", [{"discipline": 2}, {"party_discipline": True}])
    @pytest.mark.parametrize(("period", "category"), [("2025-03", "vien_chuc"),
                                                      ("2025-03", "cong_chuc"),
                                                      ("2024-11", "can_bo")])
    def test_the_month_keeps_its_band_and_no_ground(self, period: str, category: str,
                                                    flag: dict[str, Any]) -> None:
        frame = _month(HANOI, period, category, **flag)
        staff, units = evalkit.classify_frame(frame, UNITS, HANOI)
        s0 = staff.set_index("staff_id").loc["S0"]
        assert s0["total"] == 90.0 and s0["score_grade"] == "HTXS"
        assert s0["proposed_grade"] == "HTXS"  # not lowered: QĐ 3814 has no such rule
        assert not any(c.startswith(("disqualifier.", "cap.")) for c in _codes(s0["reasons"]))
        assert check_results(staff, rules=HANOI) == []
        with Archive(os.path.join(tempfile.mkdtemp(), "a.sqlite")) as arc:
            _finalize(staff, units, frame, arc)  # accepted
            assert arc.is_finalized(period) and len(arc.month(period)) == 10

    def test_the_sheet_states_no_ground_above_the_grade(self) -> None:
        from evalkit.reasons import explain

        staff, _units = evalkit.classify_frame(_month(HANOI, "2025-03", "vien_chuc",
                                                      discipline=2), UNITS, HANOI)
        said = explain(staff.iloc[[0]].reset_index(drop=True), rules=HANOI)[0]
        assert not any("kỷ luật" in s for s in said), said

    def test_the_scalar_door_agrees(self) -> None:
        a = evalkit.Assessment("X", "2025-03", discipline=2, manager_scores=HANOI.full_marks())
        r = evalkit.score(a, rules=HANOI, category="vien_chuc")
        assert r.grade is Grade.HTXS
        assert "disqualifier.discipline" not in [x.code for x in r.reasons]

    def test_the_year_is_kht_from_the_flag_in_every_door(self) -> None:
        """Twelve archived months, a discipline in April: the year is KHT (NĐ 90 Điều 2 k5 a,
        NĐ 48/2023), by classify_year on classify_frame's months and by Archive.annual."""
        for flag in ({"discipline": 2}, {"party_discipline": True}):
            months = []
            with Archive(os.path.join(tempfile.mkdtemp(), "a.sqlite")) as arc:
                for m in range(1, 13):
                    frame = _month(HANOI, f"2025-{m:02d}", "vien_chuc", n=3,
                                   **(flag if m == 4 else {}))  # fmt: skip
                    staff, units = evalkit.classify_frame(frame, UNITS, jurisdiction="vn.hanoi")
                    months.append(staff)
                    _finalize(staff, units, frame, arc)
                annual = arc.annual(2025).set_index("staff_id")
            year = evalkit.classify_year(pd.concat(months, ignore_index=True)
                                         ).set_index("staff_id")  # fmt: skip
            for y in (annual, year):
                assert y.loc["S0", "grade"] == "KHT", flag
                assert "disqualifier.discipline" in _codes(y.loc["S0", "reasons"])
                # S1, S2 full marks (HTXS band) but the year's quota, NĐ 90 Điều 2 k6 (NĐ
                # 48/2023; [rollup.quota], af116): 20 % of 0 HTT = 0 HTXS → both HTT
                assert y.loc[["S1", "S2"], "grade"].tolist() == ["HTT", "HTT"]
                assert "quota.demoted" in _codes(y.loc["S1", "reasons"])

    def test_contract_staff_are_never_disqualified(self) -> None:
        frame = _month(HANOI, "2025-03", "hop_dong", discipline=3)
        staff, _u = evalkit.classify_frame(frame, UNITS, HANOI)
        assert staff.loc[0, "grade"] == "HTXS"
        assert "disqualifier.discipline" not in _codes(staff.loc[0, "reasons"])


class TestNd90StartDate:
    """NĐ 48/2023/NĐ-CP in force 15/9/2023: a month is tested on its first day."""

    @pytest.mark.parametrize(("period", "lowered"), [("2023-08", False), ("2023-09", False),
                                                     ("2023-10", True), ("2022-12", False)])
    def test_the_month_at_the_edge(self, period: str, lowered: bool) -> None:
        staff, _u = evalkit.classify_frame(_month(ND90, period, "vien_chuc", n=3,
                                                  discipline=1), UNITS)  # fmt: skip
        s0 = staff.set_index("staff_id").loc["S0"]
        assert s0["score_grade"] == "HTXS"
        assert s0["grade"] == ("KHT" if lowered else "HTXS")
        assert ("disqualifier.discipline" in _codes(s0["reasons"])) is lowered
        assert check_results(staff, rules=ND90) == []
        a = evalkit.Assessment("S0", period, discipline=1, manager_scores=ND90.full_marks())
        r = evalkit.score(a, category="vien_chuc")
        assert (r.grade is Grade.KHT) is lowered
        assert ("disqualifier.discipline" in [x.code for x in r.reasons]) is lowered

    def test_an_august_2023_discipline_makes_2023_kht_in_the_archive(self) -> None:
        months = []
        with Archive(os.path.join(tempfile.mkdtemp(), "a.sqlite")) as arc:
            for m in range(1, 13):
                frame = _month(ND90, f"2023-{m:02d}", "vien_chuc", n=3,
                               **({"discipline": 1} if m == 8 else {}))  # fmt: skip
                staff, units = evalkit.classify_frame(frame, UNITS)
                months.append(staff)
                _finalize(staff, units, frame, arc)  # August accepted
            annual = arc.annual(2023).set_index("staff_id")
        year = evalkit.classify_year(pd.concat(months, ignore_index=True)).set_index("staff_id")
        for y in (annual, year):
            assert y.loc["S0", "grade"] == "KHT"
            assert "disqualifier.discipline" in _codes(y.loc["S0", "reasons"])

    def test_a_2022_discipline_does_not_reach_2022(self) -> None:
        frame = pd.concat([_month(ND90, f"2022-{m:02d}", "vien_chuc", n=3,
                                  **({"discipline": 1} if m == 8 else {}))
                           for m in range(1, 13)], ignore_index=True)  # fmt: skip
        staff, units = evalkit.classify_frame(frame, UNITS)
        y = evalkit.classify_year(staff, units).set_index("staff_id")
        assert y.loc["S0", "grade"] == "HTXS"
        assert "disqualifier.discipline" not in _codes(y.loc["S0", "reasons"])


def _allowed(rs: evalkit.RuleSet, cell: object) -> int:
    """The highest grade the row's cap codes allow under ``rs`` (independent of the
    archive's own check)."""
    caps = {f"{'disqualifier' if c.grade == Grade.KHT else 'cap'}.{c.id}": int(c.grade)
            for c in rs.caps}  # fmt: skip
    return min([caps[c] for c in _codes(cell) if c in caps], default=int(Grade.HTXS))


@pytest.mark.parametrize("rule_set_id", PRESETS)
@settings(deadline=None)
@given(data=st.data())
def test_the_grade_never_exceeds_what_its_reasons_allow(rule_set_id: str,
                                                        data: st.DataObject) -> None:
    """For any scored frame under each preset, classify_frame's grade is at most what its
    cap codes allow, and (monthly presets) finalize's check accepts its own output."""
    rs = evalkit.rules.get(rule_set_id)
    df = data.draw(staff_month_frames(rs, max_rows=4, not_evaluated=True))
    if data.draw(st.booleans()):
        df["party_discipline"] = data.draw(st.lists(st.booleans(), min_size=len(df),
                                                    max_size=len(df)))  # fmt: skip
    df["unit_id"] = "U"
    df = df.drop(columns=[c for c in ("is_head",) if c in df.columns])
    staff, _u = evalkit.classify_frame(df, UNITS, rs, force=True)
    order = {g.name: int(g) for g in Grade}
    for grade, cell in zip(staff["grade"], staff["reasons"], strict=True):
        if isinstance(grade, str):
            assert order[grade] <= _allowed(rs, cell), (grade, cell)
    if rs.period == "month":
        grade_problems = [p for p in check_results(staff, rules=rs) if p.column == "grade"]
        assert grade_problems == []
