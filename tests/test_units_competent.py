"""The competent level concludes the grade; the quota works on its proposal (issue 5 item 3)."""

from __future__ import annotations

from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_units_properties import PERIOD, codes, organisations, rule_sets, run_frame

from evalkit import Assessment, Grade, Organisation, Position, Staff, Unit
from evalkit.errors import InputError
from evalkit.rules import RuleSet
from evalkit.units import (
    UnitClassification,
    UnitInputs,
    classify_frame,
    classify_organisation,
    classify_unit,
    frames_from_objects,
    quota_report,
)
from tests.helpers import DD, E, general, general_ids, monthly  # noqa: F401

ND335 = monthly("vn.nd335-2025")  # an agency grading every month
P = "2026-03"
GENERAL = general(30)
NO_QUOTA = attrs.evolve(ND335, quota=None)


def person(sid: str, pct: float = 100, *, manages: bool = False, **kw: Any) -> Assessment:
    """An assessment with full general points and every task percentage ``pct``; a
    concluded grade comes with its written reason."""
    s: dict[str, float] = {**GENERAL, "so_luong": pct, "chat_luong": pct, "tien_do": pct}
    if kw.get("competent_grade") is not None:
        kw.setdefault("competent_reason", "Chậm trình báo cáo quý")
    if manages:
        s.update({DD: 100, E: 100})
    return Assessment(sid, P, competent_scores=s, **kw)


def org_of(units: list[Unit], staff: list[Staff]) -> Organisation:
    """An organisation with one position."""
    return Organisation(units=units, positions=[Position("P", "Chuyên viên")], staff=staff)


def flat(n: int) -> Organisation:
    """One unit without a head and staff S00 … S<n-1>."""
    return org_of([Unit("U", "Phòng A")], [Staff(f"S{i:02d}", f"S{i}", "P", "U") for i in range(n)])


def both(org: Organisation, assessments: list[Assessment], rules: RuleSet,
         unit: str = "U") -> tuple[UnitClassification, pd.DataFrame]:  # fmt: skip
    """The unit through the object face and the staff frame through the frame face."""
    c = classify_unit(org, unit, assessments, [], rules)
    sm, units = frames_from_objects(org, assessments)
    staff, _ = classify_frame(sm, units, rules)
    return c, staff.set_index("staff_id")


def assert_same(c: UnitClassification, frame: pd.DataFrame) -> None:
    """Every member's total, grade and reasons agree between the two faces."""
    for r in c.staff:
        row = frame.loc[r.staff_id]
        assert r.total == row["total"]
        assert (None if r.grade is None else r.grade.code) == row["grade"]
        assert tuple(x for x in r.reason_codes() if x != "band") == codes(str(row["reasons"]))


class TestConcludedLower:
    """Domain brief §3 step 2: the competent level concludes; it may conclude lower."""

    def test_a_lower_conclusion_lowers_the_grade_with_a_reason(self) -> None:
        """Tasks at 95% (96.5 points) band HTXS; concluded HT → graded HT, reason competent.concluded."""
        org = flat(1)
        c, frame = both(org, [person("S00", 95, competent_grade="HT")], NO_QUOTA)
        r = c.result_of("S00")
        assert (r.score_grade, r.grade) == (Grade.HTXS, Grade.HT)
        reason = r.reasons[r.reason_codes().index("competent.concluded")]
        assert "Cấp có thẩm quyền kết luận xếp loại" in reason.message_vi
        assert reason.message_en.startswith("The competent level concluded")
        assert frame.loc["S00", "proposed_grade"] == "HT"
        assert_same(c, frame)

    def test_a_subordinate_concluded_kht_with_full_points_leaves_d_full(self) -> None:
        """Domain brief §4.1: d tests the subordinates' scores, not their grades: M2 concluded
        KHT with 100 points leaves the head's d at 100."""
        org = org_of([Unit("U", "Phòng A", head_id="H")],
                     [Staff("H", "Trưởng phòng", "P", "U", manages_others=True),
                      Staff("M1", "M1", "P", "U"), Staff("M2", "M2", "P", "U")])  # fmt: skip
        base = [person("H", manages=True), person("M1")]
        plain, _ = both(org, [*base, person("M2")], NO_QUOTA)
        c, frame = both(org, [*base, person("M2", competent_grade="KHT")], NO_QUOTA)
        assert plain.result_of("H").total == 100.0
        assert c.result_of("M2").grade == Grade.KHT
        h = c.result_of("H")
        assert h.total == 100.0
        assert "management.d" in h.reason_codes()
        assert frame.loc["H", "total"] == 100.0
        assert_same(c, frame)

    def test_a_conclusion_without_a_written_reason_is_refused(self) -> None:
        """Issue 14: a concluded grade other than the score's needs its written reason."""
        with pytest.raises(InputError, match="without a written reason") as info:
            both(flat(1), [person("S00", 95, competent_grade="HT", competent_reason="")],
                 NO_QUOTA)  # fmt: skip
        assert info.value.problems[0].staff_id == "S00"


class TestConcludedHigher:
    """Domain brief §3: the conclusion never lifts a grade above the score band and caps."""

    def test_a_higher_conclusion_is_ignored_and_reported(self) -> None:
        """Tasks at 50% (65 points) band HT; concluded HTXS → stays HT, reason competent.above_band."""
        c, frame = both(flat(1), [person("S00", 50, competent_grade="HTXS")], NO_QUOTA)
        r = c.result_of("S00")
        assert r.grade == r.score_grade == Grade.HT
        assert "competent.above_band" in r.reason_codes()
        assert "competent.concluded" not in r.reason_codes()
        assert_same(c, frame)

    def test_a_conclusion_above_the_head_cap_is_ignored_and_reported(self) -> None:
        """A head capped at an HT unit and concluded HTXS stays HT with both reasons."""
        org = org_of([Unit("U", "Phòng A", head_id="H")], [Staff("H", "H", "P", "U")])
        a = [person("H", manages=True, competent_grade="HTXS")]  # a head: đ, e typed
        inputs = [UnitInputs("U", P, tasks_assigned=10, tasks_done=6)]
        c = classify_unit(org, "U", a, inputs, NO_QUOTA)
        sm, units = frames_from_objects(org, a, inputs)
        frame = classify_frame(sm, units, NO_QUOTA)[0].set_index("staff_id")
        r = c.result_of("H")
        assert c.unit.grade == Grade.HT
        assert r.grade == Grade.HT
        assert r.reason_codes()[-2:] == ("competent.above_band", "cap.head_unit")
        assert_same(c, frame)

    def test_an_equal_conclusion_leaves_no_reason(self) -> None:
        """Concluding the grade the score gives is silent: nothing was changed or ignored."""
        c, frame = both(flat(1), [person("S00", 95, competent_grade="HTXS")], NO_QUOTA)
        assert not {"competent.concluded", "competent.above_band"} & set(
            c.result_of("S00").reason_codes()
        )
        assert_same(c, frame)


class TestQuotaOnConcludedGrades:
    """Issue 5 item 3: the quota works on the grades the competent level proposes."""

    def test_a_person_concluded_htt_is_not_a_candidate_and_demotes_nobody(self) -> None:
        """10 staff, 3 banded HTXS; one concluded HTT: 2 candidates, cap 20% of 8 HTT = 1."""
        scores = [95, 95, 95, 80, 80, 80, 80, 80, 80, 80]
        grades = {0: "HTT"}
        a = [person(f"S{i:02d}", v, competent_grade=grades.get(i), competent_order=i + 1)
             for i, v in enumerate(scores)]  # fmt: skip
        c, frame = both(flat(10), a, ND335)
        (report,) = c.quotas
        assert report.candidates == ("S01", "S02")
        assert report.base_count == 8
        assert report.cap == 1
        assert report.kept == ("S01",)
        assert report.demoted == ("S02",)
        s0 = c.result_of("S00")
        assert s0.grade == Grade.HTT
        assert "quota.demoted" not in s0.reason_codes()
        assert "competent.concluded" in s0.reason_codes()
        assert frame.loc["S00", "quota_rank"] == 0
        assert frame.loc["S00", "proposed_grade"] == "HTT"
        q = quota_report(frame.reset_index())
        assert q["candidates"].tolist() == [2] and q["demoted_ids"].tolist() == ["S02"]
        assert_same(c, frame)

    def test_without_the_conclusion_the_same_staff_lose_two_to_the_quota(self) -> None:
        """Control: with no conclusion 3 candidates, cap 20% of 7 = 1, so two are demoted."""
        scores = [95, 95, 95, 80, 80, 80, 80, 80, 80, 80]
        a = [person(f"S{i:02d}", v, competent_order=i + 1) for i, v in enumerate(scores)]
        c, frame = both(flat(10), a, ND335)
        (report,) = c.quotas
        assert report.demoted == ("S01", "S02")
        assert_same(c, frame)


class TestFrameColumn:
    """The frame face reads ``competent_grade`` as text or categorical; blank = not given."""

    def frame(self, values: list[Any]) -> pd.DataFrame:
        rows = [{"staff_id": f"S{i}", "unit_id": "U", "period": P, **GENERAL, "so_luong": 95,
                 "chat_luong": 95, "tien_do": 95, "competent_grade": v,
                 "competent_reason": "Chậm trình báo cáo"}
                for i, v in enumerate(values)]  # fmt: skip
        return pd.DataFrame(rows)

    def test_text_codes_and_blanks_are_read(self) -> None:
        """'ht', None, NaN and '' → HT, not given, not given, not given."""
        sm = self.frame(["ht", None, float("nan"), ""])
        staff, _ = classify_frame(sm, pd.DataFrame({"unit_id": ["U"]}), NO_QUOTA)
        assert staff["grade"].astype(str).tolist() == ["HT", "HTXS", "HTXS", "HTXS"]

    def test_an_unknown_grade_is_refused_naming_the_value(self) -> None:
        """A value that is no grade is an input error naming it and its column."""
        sm = self.frame(["HTT", "XYZ"])
        with pytest.raises(InputError, match="XYZ") as exc:
            classify_frame(sm, pd.DataFrame({"unit_id": ["U"]}), NO_QUOTA)
        assert "competent_grade" in str(exc.value)


class TestTwoFaces:
    """Issue 5 item 6: both faces agree when the competent level concludes grades."""

    @given(case=organisations(), rules=rule_sets(), data=st.data())
    def test_object_and_frame_faces_agree_with_concluded_grades(
        self, case: dict[str, Any], rules: RuleSet, data: st.DataObject
    ) -> None:
        """Random conclusions (or none) give the same grades and reasons through both faces."""
        if not case["assessments"]:
            return
        pick = st.sampled_from([None, None, "KHT", "HT", "HTT", "HTXS"])
        case = {**case, "assessments": [attrs.evolve(a, competent_grade=data.draw(pick),
                                                     competent_reason="Lý do")
                                         for a in case["assessments"]]}  # fmt: skip
        by_unit = classify_organisation(case["org"], case["assessments"], case["inputs"],
                                        rules, period=PERIOD)  # fmt: skip
        staff, _ = run_frame(case, rules)
        frame = staff.set_index("staff_id")
        for c in by_unit.values():
            for r in c.staff:
                row = frame.loc[r.staff_id]
                assert (None if r.grade is None else r.grade.code) == (
                    None if pd.isna(row["grade"]) else row["grade"]
                )
                assert tuple(x for x in r.reason_codes() if x != "band") == codes(
                    str(row["reasons"])
                )
                a = next(x for x in case["assessments"] if x.staff_id == r.staff_id)
                if a.competent_grade is not None and r.grade is not None:
                    assert r.grade <= a.competent_grade


class TestPeriodNotClassified:
    """Under NĐ 335 (Điều 21) the month is monitored, the year classified: a conclusion on a
    month changes nothing, and says so rather than being dropped without a word."""

    ND335_MONTHLY = attrs.evolve(NO_QUOTA, classified=("year",))

    @pytest.mark.parametrize("concluded", ["HT", "HTXS", "KHT"])
    def test_the_band_stays_and_the_conclusion_is_said_not_to_apply(self, concluded: str) -> None:
        """Tasks at 80% (86 points) band HTT; any other conclusion leaves HTT, with a reason."""
        org = flat(1)
        c, frame = both(org, [person("S00", 80, competent_grade=concluded)], self.ND335_MONTHLY)
        r = c.result_of("S00")
        assert r.score_grade is Grade.HTT and r.grade is Grade.HTT and not r.classified
        assert "competent.not_applied" in r.reason_codes()
        assert "competent.concluded" not in r.reason_codes()
        row = frame.loc["S00"]  # the frame face says the same
        assert row["grade"] == "HTT" and not row["classified"]
        assert codes(str(row["reasons"])) == ("competent.not_applied",)
        said = next(x for x in r.reasons if x.code == "competent.not_applied")
        label = self.ND335_MONTHLY.grade_label(Grade.parse(concluded), "vi")
        assert label in said.message_vi and "tháng" in said.message_vi
        assert said.source == "NĐ 335/2025/NĐ-CP, Điều 21"

    def test_a_conclusion_equal_to_the_band_needs_no_word(self) -> None:
        c, _ = both(flat(1), [person("S00", 80, competent_grade="HTT")], self.ND335_MONTHLY)
        assert "competent.not_applied" not in c.result_of("S00").reason_codes()

    def test_a_classified_month_applies_the_conclusion_instead(self) -> None:
        c, _ = both(flat(1), [person("S00", 80, competent_grade="HT")], NO_QUOTA)
        r = c.result_of("S00")
        assert r.grade is Grade.HT and "competent.concluded" in r.reason_codes()
        assert "competent.not_applied" not in r.reason_codes()
