"""Who the year's rules reach (NĐ 335/2025 Điều 20 k5, Điều 21; NĐ 90/2020 Điều 2 k3): the
head cap reaches the head of the year's unit only; legal leave other than maternity counts
towards NĐ 90's cap; a year left unclassified for too few months says why."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit import classify_frame, classify_year, rollup_frame
from evalkit.errors import RuleSetNotInForceError
from evalkit.io.archive import Archive

ND335 = evalkit.rules.get("vn.nd335-2025")
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def _moved_head() -> pd.DataFrame:
    """MOVER heads X from January to March, then works in Y (graded HT) as staff."""
    top, lead = ND335.full_marks(), ND335.full_marks(manages_others=True)
    low = {**top, "so_luong": 80, "chat_luong": 80, "tien_do": 80}
    rows, units = [], []
    for m, p in enumerate(MONTHS, start=1):
        rows.append({"staff_id": "MOVER", "unit_id": "X" if m <= 3 else "Y", "period": p,
                     **(({"manages_others": True} | lead) if m <= 3 else top)})
        rows.append({"staff_id": "XX" if m <= 3 else "HX", "unit_id": "X", "period": p,
                     **(top if m <= 3 else lead)})  # HX heads X from April
        rows.append({"staff_id": "HY", "unit_id": "Y", "period": p, "manages_others": True,
                     **lead})
        rows += [{"staff_id": f"G{i}", "unit_id": "Y", "period": p, **low} for i in range(5)]
        units.append({"unit_id": "X", "period": p, "head_id": "MOVER" if m <= 3 else "HX",
                      "tasks_assigned": 10, "tasks_done": 10})
        units.append({"unit_id": "Y", "period": p, "head_id": "HY", "tasks_assigned": 10,
                      "tasks_done": 6})
    staff, unit = classify_frame(pd.DataFrame(rows).assign(category="cong_chuc"),
                                 pd.DataFrame(units))
    return classify_year(staff, unit).set_index("staff_id")


class TestTheYearsHead:
    def test_a_head_who_moved_on_as_staff_is_not_capped_at_the_new_units_grade(self) -> None:
        year = _moved_head()
        mover = year.loc["MOVER"]
        assert mover["unit_id"] == "Y" and mover["unit_grade"] == "HT"
        assert not mover["is_head"]
        assert mover["grade"] == "HTXS"  # Y's quota: 20% of 5 HTT = 1
        assert "cap.head_unit" not in mover["reasons"].split(";")

    def test_the_head_of_the_years_unit_is_still_capped(self) -> None:
        year = _moved_head()
        assert year.loc["HY", "is_head"]
        assert (year.loc["HY", "grade"], year.loc["HY", "reasons"]) == (
            "HT", "rollup.average;cap.head_unit")
        # HX became X's head in April: head of the year's unit, capped at X (HTXS)
        assert year.loc["HX", "is_head"] and year.loc["HX", "unit_grade"] == "HTXS"

    def test_a_head_until_june_who_stays_as_staff_is_capped_at_every_door(
            self, tmp_path: Path) -> None:  # fmt: skip
        """C headed U, the year's unit, from January to June: C is a head of the year's
        unit, capped at U's grade for the year (80: HTT), from the frames and from the
        archive alike — the archive read who headed only in the latest month (audit af27)."""
        frames, archived = _head_until_june(tmp_path)
        for year, grade in ((frames, "grade"), (archived, "annual_grade")):
            assert (year.loc["C", "unit_grade"], year.loc["C", grade]) == ("HTT", "HTT")
            assert year.loc["C", "reasons"] == "rollup.average;cap.head_unit"


def _head_until_june(tmp_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """C heads U (80 every month: HTT) from January to June, then works in U as staff
    under B; C scores 100 all year. The year on the frames and from the archive of the
    same months."""
    lead = ND335.full_marks(manages_others=True)
    rows, units = [], []
    for m, p in enumerate(MONTHS, start=1):
        units.append({"unit_id": "U", "period": p, "head_id": "C" if m <= 6 else "B",
                      "tasks_assigned": 10, "tasks_done": 10, "council_score": 80})
        c = {**lead, "manages_others": True} if m <= 6 else ND335.full_marks()
        rows += [{"staff_id": "C", "unit_id": "U", "period": p, **c},
                 {"staff_id": "B", "unit_id": "U", "period": p, "manages_others": True, **lead}]
        rows += [{"staff_id": f"G{i}", "unit_id": "U", "period": p, **ND335.full_marks(),
                  "so_luong": 80, "chat_luong": 80, "tien_do": 80} for i in range(5)]
    staff = pd.DataFrame(rows).assign(category="cong_chuc")
    unit = pd.DataFrame(units)
    with Archive(tmp_path / "a.sqlite") as arc:
        for p in MONTHS:
            s = staff[staff["period"] == p].reset_index(drop=True)
            u = unit[unit["period"] == p].reset_index(drop=True)
            out, ures = classify_frame(s, u)
            results = pd.concat([s, out[[c for c in out.columns if c not in s.columns]]], axis=1)
            results.attrs["rule_set"] = ND335.id
            arc.finalize(results, by="TCCB", units=ures, unit_inputs=u.drop(columns="period"))
        archived = arc.annual(2026).set_index("staff_id")
    st, ut = classify_frame(staff, unit)
    return classify_year(st, ut).set_index("staff_id"), archived


def _leave_year(kind: str, n: int) -> pd.DataFrame:
    """A viên chức's 2025 under NĐ 90 (in force for them until 2026-06-30)."""
    return pd.DataFrame({"staff_id": "V", "period": [f"2025-{m:02d}" for m in range(1, 13)],
                         "rule_set": "vn.nd90-2020",
                         "total": [95.0] * (12 - n) + [None] * n,
                         "leave": [""] * (12 - n) + [kind] * n})


class TestNd90LegalLeave:
    """NĐ 90/2020 Điều 2 k3: "nghỉ không tham gia công tác theo quy định của pháp luật trong
    năm từ 03 tháng đến dưới 06 tháng ... không xếp loại chất lượng ở mức hoàn thành tốt nhiệm
    vụ trở lên"; maternity has its own sentence (graded on the time worked)."""

    def test_sick_leave_of_three_to_under_six_months_is_capped_at_ht(self) -> None:
        for n, grade in ((2, "HTXS"), (3, "HT"), (5, "HT"), (6, "HTXS")):
            out = rollup_frame(_leave_year("sick", n)).iloc[0]
            assert out["grade"] == grade, n
            assert ("rollup.absent_cap" in out["reasons"].split(";")) == (grade == "HT")

    def test_sick_and_absent_months_add_up_and_maternity_does_not(self) -> None:
        df = _leave_year("sick", 3).assign(leave=[""] * 9 + ["sick", "absent", "absent"])
        assert rollup_frame(df).iloc[0]["grade"] == "HT"
        assert rollup_frame(_leave_year("maternity", 4)).iloc[0]["grade"] == "HTXS"

    def test_the_output_shows_the_months_the_cap_counts(self) -> None:
        """``absent_months`` is the kind ``absent`` only; ``away_months`` is what the cap
        counts (sick or absent, not maternity), so a capped year shows why."""
        df = _leave_year("sick", 4).assign(leave=[""] * 8 + ["sick", "sick", "absent",
                                                             "maternity"])
        out = rollup_frame(df).iloc[0]
        assert out["grade"] == "HT" and "rollup.absent_cap" in out["reasons"].split(";")
        assert (out["leave_months"], out["maternity_months"], out["absent_months"],
                out["away_months"]) == (4, 1, 1, 3)
        empty = rollup_frame(df.iloc[:0])
        assert "away_months" in empty.columns


def test_a_year_not_classified_for_too_few_months_has_no_grade_and_says_why() -> None:
    """NĐ 90: fewer than 6 months worked, not maternity: no grade, the reason given (the
    year is still a classifying period: ``classified`` says the grade is not information)."""
    out = rollup_frame(_leave_year("sick", 7)).iloc[0]
    assert pd.isna(out["grade"]) and out["classified"]
    assert "rollup.too_few_months" in out["reasons"].split(";")
    six = rollup_frame(_leave_year("sick", 6)).iloc[0]
    assert six["grade"] == "HTXS" and six["classified"]


def test_one_who_left_in_june_2026_is_classified_under_the_set_in_force_at_the_end(
) -> None:
    """NĐ 90 ended for viên chức on 2026-06-30: the 2026 year is classified under NĐ 233 for
    everyone of the unit, the one who left in June too — one quota group, not two."""
    nd90, nd233 = evalkit.rules.get("vn.nd90-2020"), evalkit.rules.get("vn.nd233-2026")
    rows = []
    for sid, last, pct in [("LEFT_XS", 6, 100), *((f"LEFT_{i}", 6, 80) for i in range(4)),
                           ("STAY_XS", 12, 100), *((f"STAY_{i}", 12, 80) for i in range(6))]:
        for m in range(1, last + 1):
            rs = nd90 if m <= 6 else nd233
            rows.append({"staff_id": sid, "unit_id": "U", "period": f"2026-{m:02d}",
                         "category": "vien_chuc", **rs.full_marks(),
                         "so_luong": pct, "chat_luong": pct, "tien_do": pct})
    staff, unit = classify_frame(pd.DataFrame(rows), pd.DataFrame({"unit_id": ["U"]}))
    year = classify_year(staff, unit).set_index("staff_id")
    assert set(year["rule_set"]) == {"vn.nd233-2026"}
    assert (year["quota_base"] == 10).all() and (year["quota_cap"] == 2).all()
    assert (year["grade"] == "HTXS").sum() == 2  # 20% of the unit's 10 HTT
    # NĐ 90 is not in force at the end of 2026: naming it for the year is an explicit choice
    with pytest.raises(RuleSetNotInForceError, match="2026-06-30, not in 2026; pass force=True"):
        rollup_frame(staff, "vn.nd90-2020")
    named = rollup_frame(staff, "vn.nd90-2020", force=True).set_index("staff_id")
    assert set(named["rule_set"]) == {"vn.nd90-2020"}


class TestHanoiYearFollowsTheNationalDecree:
    """Hà Nội's monthly framework (QĐ 3814) grades the months; the year is classified under
    the national decree with the months as its main basis: any party or administrative
    discipline in the year → KHT (NĐ 90/2020 Điều 2 k5 a, added by NĐ 48/2023)."""

    HANOI = evalkit.rules.get("hanoi.3814-2018")

    def _months(self, **flags: object) -> pd.DataFrame:
        top = self.HANOI.full_marks()
        rows = [{"staff_id": s, "unit_id": "U", "period": f"2025-{m:02d}", "category": cat,
                 **top, **(flags if (s == "X" and m == 4) else {})}
                for m in range(1, 13) for s, cat in (("X", "cong_chuc"), ("Y", "vien_chuc"))]
        return pd.DataFrame(rows)

    def test_a_discipline_in_april_makes_the_year_kht_not_the_month(self) -> None:
        for flag in ({"discipline": "khien_trach"}, {"party_discipline": True}):
            staff, unit = classify_frame(self._months(**flag), pd.DataFrame({"unit_id": ["U"]}),
                                         jurisdiction="vn.hanoi")  # fmt: skip
            april = staff[(staff["staff_id"] == "X") & (staff["period"] == "2025-04")].iloc[0]
            assert april["rule_set"] == "hanoi.3814-2018"
            assert april["proposed_grade"] == "HTXS"  # not lowered (the quota may demote)
            # the cap is the year's: the month neither lowers nor states it as a ground
            # (a ground above its grade is refused by finalize); the year counts the flag
            assert "disqualifier.discipline" not in april["reasons"].split(";")
            year = classify_year(staff, unit).set_index("staff_id")
            assert year.loc["X", "grade"] == "KHT"
            assert "disqualifier.discipline" in year.loc["X", "reasons"].split(";")

    def test_the_month_states_the_fact_and_the_year_the_grade(self) -> None:
        from evalkit.reasons import make_reason

        month = make_reason("disqualifier.discipline", self.HANOI,
                            {"total": 95.0, "period": "2025-04"})  # fmt: skip
        year = make_reason("disqualifier.discipline", self.HANOI,
                           {"total": 95.0, "period": "2025"})  # fmt: skip
        assert month.message_vi == ("Bị xử lý kỷ luật đảng hoặc kỷ luật hành chính trong năm "
                                    "đánh giá")
        assert year.message_vi == month.message_vi + ": xếp Loại D"
        assert month.source == year.source == "NĐ 90/2020/NĐ-CP, Điều 2 k5 a, bổ sung bởi NĐ 48/2023/NĐ-CP"
