"""Quotas per unit and per duty group (domain brief §4.1, §4.3, §4.6; issue 5 item 3)."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

import evalkit.rules
from evalkit import Assessment, Grade, Organisation, Position, Staff, Unit
from evalkit._classify.quota import kept_counts
from evalkit.rules import QuotaPolicy, RuleSet
from evalkit.units import (
    UnitInputs,
    classify_frame,
    classify_unit,
    frames_from_objects,
    quota_report,
)
from tests.helpers import DD, E, general, general_ids, monthly  # noqa: F401

ND335 = monthly("vn.nd335-2025")  # an agency grading every month
P = "2026-03"
GENERAL = general(30)


def person(sid: str, pct: float, **kw: Any) -> Assessment:
    """Full general points; a = b = c = pct (100 → 100 points, 80 → 86, 95 → 96.5)."""
    return Assessment(sid, P, competent_scores={**GENERAL, "so_luong": pct, "chat_luong": pct,
                                                "tien_do": pct}, **kw)  # fmt: skip


def unit_of(n: int, duty: list[str | None] | None = None) -> Organisation:
    """One unit U of n staff S00..S(n-1), no head."""
    duty = duty or [None] * n
    return Organisation(units=[Unit("U", "Phòng")], positions=[Position("P", "CV")],
                        staff=[Staff(f"S{i:02d}", f"Người {i}", "P", "U", duty_group=duty[i])
                               for i in range(n)])  # fmt: skip


def with_quota(**kw: Any) -> RuleSet:
    """NĐ 335 with its quota policy changed by keywords."""
    assert ND335.quota is not None
    return attrs.evolve(ND335, quota=attrs.evolve(ND335.quota, **{"group_by": ("unit",), **kw}))


def ten_htt_four_htxs() -> list[Assessment]:
    """S00..S03 HTXS candidates with totals 100, 99.33, 98.67, 98; S04..S13 HTT."""
    xs = [person("S00", 100), person("S01", 99), person("S02", 98), person("S03", 97)]
    return xs + [person(f"S{i:02d}", 80) for i in range(4, 14)]


class TestWorkedExamples:
    """The examples of the domain brief are tests."""

    def test_ten_htt_and_four_htxs_candidates_keep_at_most_two_htxs(self) -> None:
        """20% of 10 HTT = 2: the two best keep HTXS, the other two become HTT."""
        c = classify_unit(unit_of(14), "U", ten_htt_four_htxs(), [], with_quota())
        q = c.quotas[0]
        assert (q.base_count, q.cap, q.kept, q.demoted) == (10, 2, ("S00", "S01"),
                                                            ("S02", "S03"))  # fmt: skip
        r = c.result_of("S03")
        assert (r.score_grade, r.grade) == (Grade.HTXS, Grade.HTT)
        reason = r.reasons[-1]
        assert reason.code == "quota.demoted"
        assert reason.message_en == (
            "Above the Excellently completed duties quota of the unit: at most 2 (20% of 10 "
            "graded Well completed duties); ranked 4 of 4, so graded Well completed duties")
        assert "xếp thứ 4/4" in reason.message_vi
        assert reason.source == "NĐ 335/2025/NĐ-CP, Điều 20 k5 a"

    def test_hanoi_twenty_staff_get_at_most_six_a(self) -> None:
        """Hà Nội: A for at most 30% of those classified: 20 staff → 6 A."""
        rules = with_quota(base="classified", percent=30, percent_if_unit_excellent=40)
        a = [person(f"S{i:02d}", 100 - i * 0.5) for i in range(10)]
        a += [person(f"S{i:02d}", 80) for i in range(10, 20)]
        c = classify_unit(unit_of(20), "U", a, [], rules)
        assert c.quotas[0].cap == 6
        assert [r.staff_id for r in c.staff if r.grade == Grade.HTXS] == [
            f"S{i:02d}" for i in range(6)]

    def test_an_exceptional_unit_raises_the_hanoi_quota_to_forty_percent(self) -> None:
        """In a unit recognised as especially outstanding, 40% of all 20 staff = 8 may be A;
        a unit merely scoring excellent keeps 30% of those classified."""
        rules = with_quota(base="classified", percent=30, percent_if_unit_excellent=40,
                           raised_when="exceptional", raised_base="all_staff")  # fmt: skip
        a = [person(f"S{i:02d}", 100 - i * 0.5) for i in range(10)]
        a += [person(f"S{i:02d}", 80) for i in range(10, 20)]
        plain = classify_unit(unit_of(20), "U", a,
                              [UnitInputs("U", P, tasks_assigned=5, tasks_done=5)], rules)
        c = classify_unit(unit_of(20), "U", a,
                          [UnitInputs("U", P, tasks_assigned=5, tasks_done=5,
                                      exceptional=True)], rules)  # fmt: skip
        assert (plain.unit.grade, plain.quotas[0].percent, plain.quotas[0].cap) == (
            Grade.HTXS, 30.0, 6)
        assert (c.quotas[0].percent, c.quotas[0].cap, c.quotas[0].base) == (40.0, 8, "all_staff")

    def test_nd335_outstanding_unit_allows_twenty_five_percent(self) -> None:
        """NĐ 335 Điều 20 k5 b: 25% of 8 HTT = 2 where the competent level recognised the
        organisation as outstanding (an explicit input), else 20% → 1 — even when the unit's
        own score is excellent."""
        a = [person("S00", 100), person("S01", 99), person("S02", 98)]
        a += [person(f"S{i:02d}", 80) for i in range(3, 11)]
        plain = classify_unit(unit_of(11), "U", a, [], ND335)
        scored = classify_unit(unit_of(11), "U", a,
                               [UnitInputs("U", P, tasks_assigned=1, tasks_done=1)], ND335)
        best = classify_unit(unit_of(11), "U", a,
                             [UnitInputs("U", P, tasks_assigned=1, tasks_done=1,
                                         exceptional=True)], ND335)  # fmt: skip
        assert (plain.quotas[0].cap, scored.quotas[0].cap, best.quotas[0].cap) == (1, 1, 2)
        assert best.quotas[0].source == "NĐ 335/2025/NĐ-CP, Điều 20 k5 b"

    @pytest.mark.parametrize(("recognised", "kept"), [
        ("none", 1), ("one_month", 1), ("every_month", 1), ("year_row", 2)])
    def test_the_years_quota_is_raised_only_by_the_years_own_recognition(
            self, recognised: str, kept: int) -> None:
        """NĐ 335 Điều 20 k5 b for the year: 3 HTXS and 8 HTT a year → 20% of 8 = 1 kept,
        25% = 2 only where the unit is recognised as outstanding for the year (a row for
        the year, or without period); a month's recognition (once, or every month) is the
        month's and does not raise the year's quota. Both grades are given so that the
        unit's HTXS does not matter."""
        import evalkit
        marks = ND335.full_marks()
        pct = {0: 100, 1: 99, 2: 98}
        rows = [{"staff_id": f"S{i:02d}", "unit_id": "U", "period": f"2026-{m:02d}", **marks,
                 **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), pct.get(i, 80))}
                for m in (1, 2, 3) for i in range(11)]  # fmt: skip
        months = pd.DataFrame({"unit_id": "U", "period": ["2026-01", "2026-02", "2026-03"],
                               "council_score": 95.0,
                               "exceptional": [recognised == "every_month",
                                               recognised in ("one_month", "every_month"),
                                               recognised == "every_month"]})  # fmt: skip
        staff, ur = classify_frame(pd.DataFrame(rows), months, ND335)
        if recognised == "year_row":
            ur = pd.concat([ur[["unit_id", "period", "grade"]],
                            pd.DataFrame({"unit_id": ["U"], "period": ["2026"], "grade": ["HTT"],
                                          "exceptional": [True]})])  # fmt: skip
        year = evalkit.classify_year(staff, ur, ND335).set_index("staff_id")
        assert (year["proposed_grade"] == "HTXS").sum() == 3
        assert (year["grade"] == "HTXS").sum() == kept
        assert year.loc["S00", "grade"] == "HTXS"  # the highest total is kept


class TestOptions:
    """Domain brief §4.6: what the texts leave open is configurable."""

    @pytest.mark.parametrize(("rounding", "expected"), [("floor", 2), ("half_up", 3), ("ceil", 3)])
    def test_rounding_of_the_cap_is_configurable(self, rounding: str, expected: int) -> None:
        """25% of 10 HTT = 2.5 → floor 2, half up 3, ceil 3."""
        cap, _ = kept_counts(np.array([10]), np.array([9]), np.array([25.0]),
                             QuotaPolicy(rounding=rounding))  # type: ignore[arg-type]
        assert int(cap[0]) == expected

    def test_floor_is_the_default_and_twelve_htt_allow_two(self) -> None:
        """20% of 12 HTT = 2.4 → 2 by default."""
        cap, kept = kept_counts(np.array([12]), np.array([5]), np.array([20.0]), QuotaPolicy())
        assert (int(cap[0]), int(kept[0])) == (2, 2)

    def test_counting_after_demotion_lets_the_demoted_join_the_base(self) -> None:
        """8 HTT and 5 candidates at 20%: before → 1; after → 2 (2 ≤ 20% of 8 + 3)."""
        before = kept_counts(np.array([8]), np.array([5]), np.array([20.0]), QuotaPolicy())
        after = kept_counts(np.array([8]), np.array([5]), np.array([20.0]),
                            QuotaPolicy(count_base="after_demotion"))  # fmt: skip
        assert (int(before[1][0]), int(after[1][0])) == (1, 2)

    def test_tie_break_goes_total_then_competent_order_then_staff_id(self) -> None:
        """Equal totals, task points and deductions: the competent level's order decides."""
        general_low = {**GENERAL, "pham_chat_dao_duc": 4}
        a = [
            Assessment("S00", P, competent_scores={**general_low, "so_luong": 100,
                                                   "chat_luong": 100, "tien_do": 100}),
            person("S01", 100, competent_order=2),
            person("S02", 100, competent_order=1),
            Assessment("S03", P, competent_scores={**GENERAL, "so_luong": 100,
                                                   "chat_luong": 100, "tien_do": 100,
                                                   "loi_chat_luong": 0, "cham_tien_do": 0}),
        ]  # fmt: skip
        a += [person(f"S{i:02d}", 80) for i in range(4, 24)]
        c = classify_unit(unit_of(24), "U", a, [], ND335)
        # S01, S02, S03 total 100, tasks 70, no deductions: S02 is first in the competent
        # order, S01 second, S03 has no order (last); S00 totals 99.
        assert c.quotas[0].candidates == ("S02", "S01", "S03", "S00")

    def test_hanoi_task_points_break_a_tie_on_the_total(self) -> None:
        """Hà Nội (a 70-point criteria block of task results): 4 classified → 30 % = 1 A.
        S01 and S00 both total 92; S01 has 20 + 70 + 2, S00 20 + 62 + 10 (bonus): the task
        points rank S01 first (domain brief §4.6), not the staff id — objects and frames."""
        hanoi = evalkit.rules.get("hanoi.3814-2018")
        marks = {"S00": (62, 10), "S01": (70, 2), "S02": (50, 0), "S03": (50, 0)}
        scores = {s: {"ky_luat": 10, "dao_duc": 10, "ket_qua_nhiem_vu": t, "sang_kien": b,
                      "thanh_tich": 0} for s, (t, b) in marks.items()}  # fmt: skip
        c = classify_unit(unit_of(4), "U", [Assessment(s, "2025-03", competent_scores=v)
                                            for s, v in scores.items()], [], hanoi)  # fmt: skip
        assert (c.quotas[0].cap, c.quotas[0].candidates, c.quotas[0].demoted) == (
            1, ("S01", "S00"), ("S00",))
        frame = pd.DataFrame([{"staff_id": s, "unit_id": "U", "period": "2025-03",
                               "category": "cong_chuc", **v} for s, v in scores.items()])
        staff = classify_frame(frame, pd.DataFrame({"unit_id": ["U"], "period": ["2025-03"]}),
                               hanoi)[0].set_index("staff_id")  # fmt: skip
        assert staff.loc[["S01", "S00"], "grade"].tolist() == ["HTXS", "HTT"]

    def test_fewer_deductions_breaks_a_tie_on_total_and_tasks(self) -> None:
        """Same total and task points: the candidate with fewer quality errors ranks first."""
        rules = with_quota(percent=10)
        base = {**GENERAL, "so_luong": 100, "chat_luong": 100, "tien_do": 100}
        a = [Assessment("S00", P, competent_scores={**base, "loi_chat_luong": 1,
                                                    "chat_luong": 100}),
             Assessment("S01", P, competent_scores={**base, "chat_luong": 75})]  # fmt: skip
        a += [person(f"S{i:02d}", 80) for i in range(2, 12)]
        c = classify_unit(unit_of(12), "U", a, [], rules)
        assert c.quotas[0].candidates == ("S01", "S00")
        assert c.quotas[0].demoted == ("S00",)

    def test_duty_groups_have_separate_quotas(self) -> None:
        """Grouped by unit and duty group: each group's HTT count sets its own cap."""
        duty: list[str | None] = ["a"] * 7 + ["b"] * 7
        a = [person("S00", 100), person("S01", 99)] + [person(f"S{i:02d}", 80)
                                                       for i in range(2, 7)]  # fmt: skip
        a += [person("S07", 100), person("S08", 99)] + [person(f"S{i:02d}", 80)
                                                        for i in range(9, 14)]  # fmt: skip
        c = classify_unit(unit_of(14, duty), "U", a, [],
                          with_quota(percent=20, group_by=("unit", "duty_group")))  # fmt: skip
        got = {q.duty_group: (q.base_count, q.cap, q.kept) for q in c.quotas}
        assert got == {"a": (5, 1, ("S00",)), "b": (5, 1, ("S07",))}

    def test_a_quota_by_unit_alone_reports_no_duty_group(self) -> None:
        """Members with duty groups, a quota per unit: one group, and its report names no
        duty group (not the first member's)."""
        duty: list[str | None] = ["a"] * 7 + ["b"] * 7
        c = classify_unit(unit_of(14, duty), "U", ten_htt_four_htxs(), [], with_quota())
        assert [(q.duty_group, q.base_count) for q in c.quotas] == [(None, 10)]
        sm, units = frames_from_objects(unit_of(14, duty), ten_htt_four_htxs(), [])
        staff, _ = classify_frame(sm, units, with_quota())
        assert quota_report(staff)["duty_group"].tolist() == [None]
        grouped = with_quota(group_by=("unit", "duty_group"))
        staff, _ = classify_frame(sm, units, grouped)
        assert sorted(quota_report(staff)["duty_group"].tolist()) == ["a", "b"]

    def test_the_quota_never_touches_grades_below_the_quota_grade(self) -> None:
        """Only HTXS candidates can be demoted, and only to HTT."""
        c = classify_unit(unit_of(14), "U", ten_htt_four_htxs(), [], with_quota())
        assert {r.grade for r in c.staff} == {Grade.HTXS, Grade.HTT}


class TestFrameReport:
    """The frame face reports what the quota changed, like the object face."""

    def test_quota_report_frame_lists_each_group(self) -> None:
        """One row per group: base, cap, candidates, kept, demoted ids in rank order."""
        sm, units = frames_from_objects(unit_of(14), ten_htt_four_htxs(), [])
        staff, unit = classify_frame(sm, units, with_quota())
        rep = quota_report(staff)
        row = rep.iloc[0]
        assert (row["base_count"], row["cap"], row["candidates"], row["kept"],
                row["demoted"], row["demoted_ids"]) == (10, 2, 4, 2, 2, "S02;S03")  # fmt: skip
        assert (unit.loc[0, "quota_cap"], unit.loc[0, "quota_demoted"]) == (2, 2)
        demoted = staff.set_index("staff_id").loc["S02"]
        assert (demoted["proposed_grade"], demoted["grade"], demoted["quota_rank"]) == (
            "HTXS", "HTT", 3)

    def test_quota_report_of_results_read_back_with_their_unit_tables(self, tmp_path: Any) -> None:
        """Issue 13: a results file read back (`read_results`: the unit tables in ``attrs``,
        as `evalkit classify --out r.json` writes them) reports the same quota as the frame
        it was written from."""
        from evalkit.io.results import read_results, units_of, write_results

        sm, units = frames_from_objects(unit_of(14), ten_htt_four_htxs(), [])
        staff, unit = classify_frame(sm, units, with_quota())
        staff = staff.assign(rule_set=with_quota().id)
        staff.attrs.update(units=unit, unit_inputs=units, rule_sets={"x": with_quota()})
        write_results(staff, tmp_path / "r.json")
        back = read_results(tmp_path / "r.json")
        assert isinstance(units_of(back), pd.DataFrame)
        cols = ["base_count", "cap", "candidates", "kept", "demoted", "demoted_ids"]
        assert quota_report(back)[cols].to_dict("records") == \
            quota_report(staff)[cols].to_dict("records")


def _mixed_year() -> tuple[Any, Any]:
    """A unit U of công chức (NĐ 335/2025) and viên chức (NĐ 90/2020 to June, NĐ 233/2026
    from July), 2026: C01..C04 and V1..V3 score 100 every month (HTXS candidates), C05..C14
    and V4..V8 86 (HTT). By hand: the công chức group counts 10 HTT → cap 20% = 2 (C03, C04
    demoted); the viên chức group (NĐ 233 at the year's end) 5 HTT → cap 1 (V2, V3
    demoted). Pooled, the unit would count 15."""
    import pandas as pd

    import evalkit
    import evalkit.rules

    def row(sid: str, m: int, cat: str, pct: float) -> dict[str, Any]:
        rid = "vn.nd335-2025" if cat == "cong_chuc" else (
            "vn.nd90-2020" if m <= 6 else "vn.nd233-2026")
        marks = evalkit.rules.get(rid).full_marks()
        return {"staff_id": sid, "unit_id": "U", "period": f"2026-{m:02d}", "category": cat,
                **marks, "so_luong": pct, "chat_luong": pct, "tien_do": pct}

    rows = [row(f"C{i:02d}", m, "cong_chuc", 100 if i <= 4 else 80)
            for m in range(1, 13) for i in range(1, 15)]
    rows += [row(f"V{i}", m, "vien_chuc", 100 if i <= 3 else 80)
             for m in range(1, 13) for i in range(1, 9)]
    units = pd.DataFrame({"unit_id": "U", "period": [f"2026-{m:02d}" for m in range(1, 13)],
                          "council_score": 80.0})
    staff, ur = evalkit.classify_frame(pd.DataFrame(rows), units)
    return evalkit.classify_year(staff, ur), ur


class TestMixedUnit:
    """Audit 15 finding 3: a unit of công chức and viên chức has a quota group under each
    rule set; the report tells them apart and the demotion sentence names the group."""

    def test_the_report_has_one_row_per_group_named_by_its_rule_set(self) -> None:
        year, _ = _mixed_year()
        rep = quota_report(year)
        assert not rep.duplicated(["period", "unit_id", "rule_set"]).any()
        got = {(r.rule_set, r.base_count, r.cap, r.demoted_ids) for r in rep.itertuples()}
        assert got == {("vn.nd335-2025", 10, 2, "C03;C04"), ("vn.nd233-2026", 5, 1, "V2;V3")}

    def test_the_demotion_sentence_names_the_group_where_the_unit_has_two(self) -> None:
        from evalkit.reasons import explain

        year, _ = _mixed_year()
        d = year[year["reasons"].astype(str).str.contains("quota.demoted")].set_index(
            "staff_id")
        assert sorted(d.index) == ["C03", "C04", "V2", "V3"]
        assert d["quota_groups"].tolist() == [2] * 4
        vi = dict(zip(d.index, explain(d.reset_index(), lang="vi"), strict=True))
        en = dict(zip(d.index, explain(d.reset_index(), lang="en"), strict=True))
        assert any(s.startswith("Vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ của nhóm viên chức của "
                                "đơn vị: tối đa 1 người (20% của 5 người xếp loại") for s in vi["V2"])
        assert any("của nhóm công chức của đơn vị: tối đa 2 người (20% của 10 người" in s
                   for s in vi["C03"])
        assert any("quota of the unit's group of public employees: at most 1 (20% of 5 " in s
                   for s in en["V3"])
        assert any("quota of the unit's group of civil servants: at most 2 (20% of 10 " in s
                   for s in en["C04"])

    def test_a_unit_of_one_group_keeps_the_units_words(self) -> None:
        """One quota group: "của đơn vị" as before, and the object face names its set."""
        c = classify_unit(unit_of(14), "U", ten_htt_four_htxs(), [], with_quota())
        assert [q.rule_set_id for q in c.quotas] == [with_quota().id]
        r = c.result_of("S03")
        assert "Vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ của đơn vị: tối đa 2 người" in \
            r.reasons[-1].message_vi
        sm, units = frames_from_objects(unit_of(14), ten_htt_four_htxs(), [])
        staff, _ = classify_frame(sm, units, with_quota())
        assert set(staff.loc[staff["quota_rank"] > 0, "quota_groups"]) == {1}
        assert quota_report(staff)["rule_set"].tolist() == [with_quota().id]
