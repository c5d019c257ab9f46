"""Which periods are classified (issue 18) and the presets' own rules at work (issue 19)."""

from __future__ import annotations

from typing import Any

import attrs
import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit import Assessment, Grade, Organisation, Position, Staff, Unit
from evalkit.errors import RuleSetError
from evalkit.units import UnitInputs, classify_frame, classify_organisation, classify_year
from tests.helpers import full, general

ND335 = evalkit.rules.get("vn.nd335-2025")


def month_frame(n_htxs: int, n_htt: int, period: str = "2026-03", **extra: Any) -> pd.DataFrame:
    """One unit U: n_htxs people at 100 points, n_htt at 86, category công chức."""
    rows = []
    for i in range(n_htxs + n_htt):
        pct = 100 if i < n_htxs else 80
        rows.append({"staff_id": f"S{i:02d}", "unit_id": "U", "period": period,
                     "category": "cong_chuc", **general(30), "so_luong": pct,
                     "chat_luong": pct, "tien_do": pct, **extra})  # fmt: skip
    return pd.DataFrame(rows)


UNITS = pd.DataFrame({"unit_id": ["U"], "parent_id": [None], "head_id": [None]})


class TestMonthsUnderNd335:
    """NĐ 335/2025 Điều 21: the months are monitored, the year is classified."""

    def test_a_month_never_demotes_anyone_for_the_quota(self) -> None:
        """Issue 18: with no agency option, 4 HTXS-band people of 14 keep their monthly band."""
        staff, _units = classify_frame(month_frame(4, 10), UNITS)
        assert not staff["classified"].any()
        assert (staff["grade"] == staff["score_grade"]).all()
        assert not staff["reasons"].astype(str).str.contains("quota").any()
        assert "quota_cap" not in staff.columns
        sentences = evalkit.reasons.explain(staff)[0]
        assert any("chỉ để theo dõi" in s and "Điều 21" in s for s in sentences)

    def test_the_year_applies_the_quota(self) -> None:
        """Issue 18: 10 HTT and 4 HTXS candidates in a unit's year → 2 HTXS for the year."""
        months = pd.concat([month_frame(4, 10, f"2026-{m:02d}") for m in range(1, 13)])
        staff, _ = classify_frame(months.reset_index(drop=True), UNITS)
        year = classify_year(staff)
        assert (year["grade"] == "HTXS").sum() == 2
        assert (year["proposed_grade"] == "HTXS").sum() == 4
        assert year["classified"].all()

    def test_an_agency_switching_monthly_grading_on_gets_the_monthly_quota(self) -> None:
        """An agency file may classify months (and apply the quota to them)."""
        rules = attrs.evolve(ND335, id="agency.monthly", classified=("month", "year"))
        staff, _ = classify_frame(month_frame(4, 10), UNITS, rules)
        assert (staff["grade"] == "HTXS").sum() == 2

    def test_a_quota_on_a_period_the_set_does_not_classify_is_an_error(self) -> None:
        """Issue 18 bad input: quota.periods must be classified periods."""
        data = {"extends": "vn.nd335-2025", "id": "agency.bad",
                "quota": {"periods": ["month"]}}  # fmt: skip
        with pytest.raises(RuleSetError, match="the quota cannot apply to 'month'"):
            evalkit.rules.parse_rule_set(data, source="agency.toml")


class TestTheYearUnderDieu21:
    """NĐ 335/2025 Điều 21: average of the time worked; transfers; the head of the unit."""

    def test_a_transferred_person_is_classified_by_the_new_unit_with_both_units_months(
        self,
    ) -> None:
        """Six months in U1 at 80, six in U2 at 100 → 90 (HTXS), unit U2."""
        rows = []
        for m in range(1, 13):
            pct = 60 if m <= 6 else 100  # 30 + 42 = 72 … 30 + 70 = 100
            rows.append({"staff_id": "T", "unit_id": "U1" if m <= 6 else "U2",
                         "period": f"2026-{m:02d}", "category": "cong_chuc", **general(30),
                         "so_luong": pct, "chat_luong": pct, "tien_do": pct})  # fmt: skip
        units = pd.DataFrame({"unit_id": ["U1", "U2"], "parent_id": [None, None]})
        staff, _ = classify_frame(pd.DataFrame(rows), units)
        year = classify_year(staff).iloc[0]
        assert (year["unit_id"], year["months"], year["total"], year["grade"]) == (
            "U2", 12, 86.0, "HTT")

    def test_a_vien_chuc_unit_in_july_follows_nd233_without_naming_it(self) -> None:
        """Issue 13: the rule set follows the person: viên chức in 2026-07 → vn.nd233-2026."""
        vc = evalkit.rules.get("vn.nd233-2026")
        frame = pd.DataFrame([{"staff_id": "V1", "unit_id": "U", "period": "2026-07",
                               "category": "vien_chuc", **vc.full_marks()}])  # fmt: skip
        staff, units = classify_frame(frame, UNITS)
        assert staff["rule_set"].tolist() == ["vn.nd233-2026"]
        assert units["rule_set"].tolist() == ["vn.nd233-2026"]
        june = classify_frame(pd.DataFrame([{  # NĐ 90's own marks: NĐ 233's would be refused
            "staff_id": "V1", "unit_id": "U", "period": "2026-06", "category": "vien_chuc",
            **evalkit.rules.get("vn.nd90-2020").full_marks()}]), UNITS)[0]  # fmt: skip
        assert june["rule_set"].tolist() == ["vn.nd90-2020"]


class TestPresetsAtWork:
    """Issue 19: each changed rule, through the engine."""

    def hanoi(self, n: int, not_classified: int, *, exceptional: bool = False) -> pd.DataFrame:
        hn = evalkit.rules.get("hanoi.3814-2018")
        rows = []
        for i in range(n):
            scored = i >= not_classified
            rows.append({"staff_id": f"S{i:02d}", "unit_id": "U", "period": "2026-03",
                         "category": "cong_chuc", **(hn.full_marks() if scored else {})})
        staff, _ = classify_frame(pd.DataFrame(rows), UNITS.assign(exceptional=exceptional),
                                  hn)  # fmt: skip
        return staff

    def test_hanoi_counts_30_percent_of_those_classified(self) -> None:
        """20 staff of whom 3 are not classified: A ≤ 30% of 17 = 5."""
        staff = self.hanoi(20, 3)
        assert (staff["grade"] == "HTXS").sum() == 5
        assert staff["quota_base"].dropna().iloc[-1] == 17

    def test_hanoi_exceptional_unit_counts_40_percent_of_all_staff(self) -> None:
        """An exceptional unit of 20 staff (3 not classified): A ≤ 40% of 20 = 8."""
        staff = self.hanoi(20, 3, exceptional=True)
        assert (staff["grade"] == "HTXS").sum() == 8

    def test_a_vien_chuc_with_a_party_reprimand_in_2025_is_kht_for_the_year(self) -> None:
        """NĐ 90/2020 Điều 2 k5 a (NĐ 48/2023): any party or administrative discipline → KHT."""
        nd90 = evalkit.rules.get("vn.nd90-2020")
        rows = [{"staff_id": "V", "unit_id": "U", "period": f"2025-{m:02d}",
                 "category": "vien_chuc", **nd90.full_marks(),
                 "party_discipline": m == 4} for m in range(1, 13)]  # fmt: skip
        staff, _ = classify_frame(pd.DataFrame(rows), UNITS)
        year = classify_year(staff).iloc[0]  # the results keep the input flags
        assert (year["score_grade"], year["grade"]) == ("HTXS", "KHT")

    def test_the_366_option_refuses_hTXS_to_a_unit_with_a_disciplined_leader(self) -> None:
        """QĐ 366-QĐ/TW Điều 11 k1 (option): a disciplined member of the leadership → not HTXS."""
        vc = evalkit.rules.get("vn.nd233-2026")
        units366 = attrs.evolve(vc.units, excellent_requires_no_discipline=True)
        rules = attrs.evolve(vc, units=units366)
        units = UNITS.assign(tasks_assigned=10, tasks_done=10, tasks_exceeded=5)
        ok = classify_frame(pd.DataFrame(), units.assign(period="2026-09"), rules)[1]
        bad = classify_frame(pd.DataFrame(), units.assign(period="2026-09",
                                                          leadership_disciplined=True), rules)[1]
        assert (ok["grade"].iloc[0], bad["grade"].iloc[0]) == ("HTXS", "HTT")
        assert "unit.excellent_condition.discipline" in bad["reasons"].iloc[0]

    def test_sub_units_of_a_small_parent_are_limited_by_article_7_k7_c(self) -> None:
        """NĐ 233/2026 Điều 7 k7 c, k8 (the preset since af127): a parent with fewer than 5
        units under it rates at most one of them HTXS — four excellent sub-units (10 of 10
        done, 3 exceeded: k1 a met) keep one HTXS; without the limits (k7 c and k7 a's share:
        20 % of 0 HTT is 0 — the small parent's one is k7 c's relief) all four stay HTXS."""
        vc = evalkit.rules.get("vn.nd233-2026")
        units = pd.DataFrame({"unit_id": ["P", "A", "B", "C", "D"],
                              "parent_id": [None, "P", "P", "P", "P"], "tasks_assigned": 10,
                              "tasks_done": 10, "tasks_exceeded": 3, "period": "2026-09"})
        limited = classify_frame(pd.DataFrame(), units, vc)[1].set_index("unit_id")
        assert (limited.loc[list("ABCD"), "grade"] == "HTXS").sum() == 1
        off = attrs.evolve(vc, units=attrs.evolve(vc.units, small_parent_threshold=None,
                                                  small_parent_max_excellent=None,
                                                  excellent_share_percent=None))
        plain = classify_frame(pd.DataFrame(), units, off)[1].set_index("unit_id")
        assert (plain.loc[list("ABCD"), "grade"] == "HTXS").all()

    def test_a_customs_quarter_with_one_month_worked_is_not_evaluated(self) -> None:
        """CV 21169/CHQ-TCCB: a quarter with ≤ 1 month worked is not evaluated."""
        cq = evalkit.rules.get("vn.customs-2026q")
        frame = pd.DataFrame([{"staff_id": s, "unit_id": "U", "period": "2026-Q3",
                               "category": "cong_chuc", "months_worked": w, **cq.full_marks()}
                              for s, w in (("A", 1), ("B", 2))])  # fmt: skip
        staff, _ = classify_frame(frame, UNITS, cq)
        a, b = staff.set_index("staff_id").loc[["A", "B"]].to_dict(orient="records")
        assert pd.isna(a["total"]) and a["reasons"] == "rollup.period_short"
        assert b["total"] == 100.0
        (reason,) = evalkit.reasons.explain(staff)[0]
        assert reason.startswith("Làm việc 1 tháng trong quý (không quá 1 tháng)")


def test_objects_follow_the_person_too() -> None:
    """classify_organisation without a rule set: each person under their category's set."""
    org = Organisation(
        units=[Unit("U", "Phòng A")], positions=[Position("P", "Chuyên viên")],
        staff=[Staff("C", "Công chức", "P", "U"),
               Staff("V", "Viên chức", "P", "U", category="vien_chuc")])  # fmt: skip
    vc = evalkit.rules.get("vn.nd233-2026")
    a = [Assessment("C", "2026-08", competent_scores=full()),
         Assessment("V", "2026-08", competent_scores=vc.full_marks())]
    c = classify_organisation(org, a, [UnitInputs("U", "2026-08", tasks_assigned=1,
                                                  tasks_done=1)])["U"]  # fmt: skip
    assert {r.staff_id: r.rule_set_id for r in c.staff} == {
        "C": "vn.nd335-2025", "V": "vn.nd233-2026"}
    assert all(r.grade is Grade.HTXS for r in c.staff)


class TestLeadersLevelTotals:
    """A leader's self and manager columns total with the computed d (Điều 15 k3 a: the
    results of the area led), like the counting level, when the level left d blank."""

    def frame(self, sub_pct: float, self_d: float | None = None) -> tuple[pd.DataFrame, ...]:
        lead = {f"self__{k}": v for k, v in general(30).items()}
        lead.update({"self__so_luong": 90, "self__chat_luong": 90, "self__tien_do": 90,
                     "self__to_chuc_trien_khai": 100, "self__tap_hop_doan_ket": 50})
        if self_d is not None:
            lead["self__ket_qua_linh_vuc"] = self_d
        counting = {**general(30), "so_luong": 90, "chat_luong": 90, "tien_do": 90,
                    "to_chuc_trien_khai": 100, "tap_hop_doan_ket": 50}
        rows = [
            {"staff_id": "L", "unit_id": "U", "period": "2026-03", "category": "cong_chuc",
             "manages_others": True, **counting, **lead},
            {"staff_id": "S", "unit_id": "U", "period": "2026-03", "category": "cong_chuc",
             "manager_id": "L", **general(20), "so_luong": sub_pct, "chat_luong": sub_pct,
             "tien_do": sub_pct},
        ]  # fmt: skip
        units = pd.DataFrame({"unit_id": ["U"], "parent_id": [None], "head_id": ["L"]})
        return classify_frame(pd.DataFrame(rows), units)

    @pytest.mark.parametrize(("sub_pct", "d"), [(100.0, 100.0), (10.0, 50.0)])
    def test_the_self_total_uses_the_computed_d(self, sub_pct: float, d: float) -> None:
        staff, _ = self.frame(sub_pct)
        lead = staff.set_index("staff_id").loc["L"]
        assert lead["mgmt_value"] == d
        # 30 + (90 + 90 + 90 + d + 100 + 50) / 6 × 70 %, half-up to the cent
        expected = 30 + round((420 + d) / 6 * 0.7 + 1e-9, 2)
        assert lead["self_total"] == pytest.approx(expected, abs=1e-9)
        assert lead["self_total"] == lead["total"]  # same inputs as the counting level

    def test_a_d_the_level_typed_is_kept_for_that_level(self) -> None:
        staff, _ = self.frame(100.0, self_d=50.0)
        lead = staff.set_index("staff_id").loc["L"]
        assert lead["mgmt_value"] == 100.0
        assert lead["self_total"] == pytest.approx(30 + round(470 / 6 * 0.7 + 1e-9, 2))
        assert lead["total"] == pytest.approx(30 + round(520 / 6 * 0.7 + 1e-9, 2))
