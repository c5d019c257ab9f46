"""The unit's grade for the year (classify_year from the months' unit results): the year's
score is the mean of the months' scores, and the unit HTXS conditions of the rule set
(NĐ 90/2020 Điều 12 k2; QĐ 366-QĐ/TW Điều 11 k1 where switched on) are judged on the
year — tasks done and exceeded over the year's counts, a sub-unit KHT for the year, a
discipline in any month — by the month's own code (evalkit._classify.units)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit import classify_frame, classify_year
from evalkit.io.archive import Archive

ND90 = evalkit.rules.get("vn.nd90-2020")  # ≥ 90, 100 % done, ≥ 50 % exceeded, no sub-unit KHT
QD366 = attrs.evolve(ND90, units=attrs.evolve(ND90.units, excellent_requires_no_discipline=True))
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
G = {"chinh_tri": 7.5, "dao_duc": 7.5, "tac_phong": 7.5, "ky_luat": 7.5}


def staff_rows(units: Sequence[str]) -> pd.DataFrame:
    """Every month: in each unit a head at 100 % (H<unit>) and six staff at 80 % (HTT)."""
    rows = []
    for p in MONTHS:
        for u in units:
            rows.append(dict(staff_id=f"H{u}", full_name=f"Người H{u}", unit_id=u, period=p,
                             category="vien_chuc", manages_others=True, **G, so_luong=100,
                             chat_luong=100, tien_do=100, ket_qua_don_vi=100,
                             don_vi_cap_duoi=100))  # fmt: skip
            rows += [dict(staff_id=f"S{u}{i}", full_name=f"Người S{u}{i}", unit_id=u, period=p,
                          category="vien_chuc", **G, so_luong=80, chat_luong=80, tien_do=80)
                     for i in range(6)]  # fmt: skip
    return pd.DataFrame(rows)


def unit_rows(per_month: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
              **units: Mapping[str, Any]) -> pd.DataFrame:  # fmt: skip
    """Unit inputs for every month: ``units`` gives each unit's defaults (10 tasks, all
    done, 5 exceeded: every condition met), ``per_month`` a month's changes by index."""
    rows = []
    for k, p in enumerate(MONTHS):
        for u, spec in units.items():
            row = {"unit_id": u, "period": p, "head_id": f"H{u}", "parent_id": None,
                   "tasks_assigned": 10.0, "tasks_done": 10.0, "tasks_exceeded": 5.0, **spec}
            for change in (per_month or {}).get(u, [])[k:k + 1]:
                row.update(change)
            rows.append(row)
    return pd.DataFrame(rows)


def year_of(units: pd.DataFrame, rs: Any = ND90, *, drop: Sequence[str] = ()) -> pd.DataFrame:
    names = sorted(units["unit_id"].unique())
    st, ut = classify_frame(staff_rows(names), units, rs, force=True)
    yr = classify_year(st, ut.drop(columns=list(drop)), rs)
    return yr[yr["staff_id"].str.startswith("H")].set_index("unit_id")


def months_with(value: dict[str, float], which: Sequence[int]) -> list[dict[str, float]]:
    return [value if k in which else {} for k in range(12)]


class TestConditionsOnTheYear:
    def test_the_audit_case_a_unit_htt_every_month_is_htt_for_the_year(self) -> None:
        """d02: nothing exceeded (< 50 %) → HTT every month, HTT for the year; the head,
        at 100, is capped at the unit (cap.head_unit)."""
        yr = year_of(unit_rows(U={"tasks_exceeded": 0.0}))
        assert yr.loc["U", ["unit_grade", "grade"]].tolist() == ["HTT", "HTT"]
        assert "cap.head_unit" in yr.loc["U", "reasons"].split(";")

    def test_conditions_hold_the_unit_and_its_head_are_htxs(self) -> None:
        yr = year_of(unit_rows(U={}))
        assert yr.loc["U", ["unit_grade", "grade"]].tolist() == ["HTXS", "HTXS"]
        assert "cap.head_unit" not in yr.loc["U", "reasons"].split(";")

    @pytest.mark.parametrize(("exceeded", "grade"), [(6.0, "HTXS"), (4.0, "HTT")])
    def test_exceeded_is_judged_on_the_years_counts(self, exceeded: float, grade: str) -> None:
        """NĐ 90: ≥ 50 % exceeded. Months at 5 and one at 6 (60 of 120 exceeded: exactly
        50 %) → HTXS; one at 4 (59 of 120) → HTT, though 11 months of 12 were HTXS."""
        units = unit_rows({"U": months_with({"tasks_exceeded": exceeded}, [11])}, U={})
        yr = year_of(units)
        assert yr.loc["U", ["unit_grade", "grade"]].tolist() == [grade, grade]

    def test_the_year_can_pass_where_half_its_months_fail(self) -> None:
        """4 and 6 exceeded in turn: the months at 40 % are HTT, the year (60 of 120) HTXS."""
        units = unit_rows({"U": [{"tasks_exceeded": 4.0 + 2 * (k % 2)} for k in range(12)]},
                          U={})  # fmt: skip
        _st, ut = classify_frame(staff_rows(["U"]), units, ND90, force=True)
        assert ut["grade"].astype(str).value_counts().to_dict() == {"HTT": 6, "HTXS": 6}
        assert year_of(units).loc["U", "unit_grade"] == "HTXS"

    def test_tasks_done_just_under_100_percent_over_the_year(self) -> None:
        """One task of 120 not done in the year (99.2 %) → HTT; the score stays ≥ 90."""
        units = unit_rows({"U": months_with({"tasks_done": 9.0, "tasks_exceeded": 5.0}, [3])},
                          U={})  # fmt: skip
        yr = year_of(units)
        assert yr.loc["U", ["unit_grade", "grade"]].tolist() == ["HTT", "HTT"]

    def test_without_counts_the_months_percentages_are_averaged(self) -> None:
        """Six months 10 of 10 exceeded, six 9 of 30: the counts give 114 of 240 (47.5 %,
        HTT); unit results without the counts give the mean of the months' shares (65 %)."""
        units = unit_rows({"U": [{"tasks_exceeded": 10.0} if k < 6 else
                                 {"tasks_assigned": 30.0, "tasks_done": 30.0,
                                  "tasks_exceeded": 9.0} for k in range(12)]}, U={})  # fmt: skip
        assert year_of(units).loc["U", "unit_grade"] == "HTT"
        counts = ["tasks_assigned", "tasks_done", "tasks_exceeded"]
        assert year_of(units, drop=counts).loc["U", "unit_grade"] == "HTXS"

    def test_a_sub_unit_kht_for_the_year(self) -> None:
        """A sub-unit at 40 % of its tasks all year is KHT: its parent is HTT for the year
        and the parent's head capped; at 40 % and 70 % in turn it is HT for the year (mean
        55), and the parent is HTXS though the sub-unit was KHT in six months."""
        kht = unit_rows(P={}, C={"parent_id": "P", "tasks_done": 4.0, "tasks_exceeded": 0.0})
        yr = year_of(kht)
        assert yr.loc["C", "unit_grade"] == "KHT"
        assert yr.loc["P", ["unit_grade", "grade"]].tolist() == ["HTT", "HTT"]
        turns = unit_rows({"C": [{"tasks_done": 4.0 + 3 * (k % 2)} for k in range(12)]},
                          P={}, C={"parent_id": "P", "tasks_exceeded": 0.0})  # fmt: skip
        yr = year_of(turns)
        assert yr.loc["C", "unit_grade"] == "HT"
        assert yr.loc["P", "unit_grade"] == "HTXS"

    @pytest.mark.parametrize("drop", [(), ("leadership_disciplined",)])
    def test_a_discipline_in_one_month(self, drop: Sequence[str]) -> None:
        """QĐ 366 Điều 11 k1 switched on: the leadership disciplined in May → the unit HTT for
        the year — from the month's flag, or from the month's reason code alone."""
        units = unit_rows({"U": months_with({"leadership_disciplined": True}, [4])},
                          U={"leadership_disciplined": False})  # fmt: skip
        yr = year_of(units, QD366, drop=drop)
        assert yr.loc["U", ["unit_grade", "grade"]].tolist() == ["HTT", "HTT"]
        # the condition off (NĐ 90): the typed flag is refused, never ignored (af150)
        with pytest.raises(evalkit.InputError, match="leadership_disciplined set"):
            year_of(units, ND90)

    def test_a_sub_unit_disciplined_in_one_month(self) -> None:
        units = unit_rows({"C": months_with({"disciplined": True}, [7])},
                          P={}, C={"parent_id": "P", "disciplined": False})  # fmt: skip
        yr = year_of(units, QD366)
        assert yr.loc[["P", "C"], "unit_grade"].tolist() == ["HTT", "HTXS"]

    def test_a_row_for_the_year_with_a_grade_keeps_it_beside_the_months(self) -> None:
        """The months make U HTXS for the year; a row for the year concluding HT (the
        unit's annual result, as docs/units.md says: unit rows for the year given with a
        grade keep it) caps its head HU (100) at HT, as the row alone does — the months
        beside it made the row be ignored (audit af27)."""
        units = unit_rows(U={})
        st, ut = classify_frame(staff_rows(["U"]), units, ND90, force=True)
        concluded = pd.DataFrame({"unit_id": ["U"], "period": ["2025"], "grade": ["HT"]})
        assert classify_year(st, ut, ND90).set_index("staff_id").loc["HU", "grade"] == "HTXS"
        for given in (concluded, pd.concat([ut, concluded], ignore_index=True)):
            yr = classify_year(st, given, ND90).set_index("staff_id")
            assert yr.loc["HU", ["unit_grade", "grade"]].tolist() == ["HT", "HT"]
            assert "cap.head_unit" in yr.loc["HU", "reasons"].split(";")

    def test_numeric_ids_and_a_month_given_twice(self) -> None:
        units = unit_rows(U={"tasks_exceeded": 0.0})
        st, ut = classify_frame(staff_rows(["U"]), units, ND90, force=True)
        yr = classify_year(st.assign(unit_id=7), ut.assign(unit_id=7.0), ND90)
        assert set(yr["unit_grade"].astype(str)) == {"HTT"}
        with pytest.raises(evalkit.InputError, match="more than once"):
            classify_year(st, pd.concat([ut, ut.iloc[:1]], ignore_index=True), ND90)


class TestThroughTheArchive:
    def test_the_archives_year_is_the_frames_year(self, tmp_path: Path) -> None:
        """Archive.annual grades the unit's year from its archived months, as classify_year
        does from the frames: the audit case (HTT, head capped) and a unit that is HTXS."""
        units = unit_rows(U={"tasks_exceeded": 0.0}, V={})
        staff = staff_rows(["U", "V"])
        with Archive(tmp_path / "a.sqlite") as arc:
            for p in MONTHS:
                s, u = staff[staff["period"] == p], units[units["period"] == p]
                out, ures = classify_frame(s.reset_index(drop=True), u.reset_index(drop=True),
                                           ND90, force=True)  # fmt: skip
                extra = [c for c in out.columns if c not in s.columns]
                results = pd.concat([s.reset_index(drop=True), out[extra]], axis=1)
                results.attrs["rule_set"] = ND90.id
                arc.finalize(results, by="TCCB", units=ures,
                             unit_inputs=u.drop(columns=["period"]).reset_index(drop=True))
            annual = arc.annual(2025).set_index("staff_id")
        st, ut = classify_frame(staff, units, ND90, force=True)
        frame = classify_year(st, ut, ND90).set_index("staff_id")
        assert annual.loc[["HU", "HV"], "unit_grade"].tolist() == ["HTT", "HTXS"]
        assert annual.loc[["HU", "HV"], "annual_grade"].tolist() == ["HTT", "HTXS"]
        assert (annual["annual_grade"].astype(str).to_dict()
                == frame["grade"].astype(str).to_dict())  # fmt: skip
        assert (annual["reasons"].to_dict() == frame["reasons"].to_dict())

    def test_an_amended_leaders_discipline_reaches_the_archived_units_year(
            self, tmp_path: Path) -> None:  # fmt: skip
        """QĐ 366 Điều 11 k1 switched on: deputy DU's reprimand in March, recorded by an
        amendment, makes U HTT for the year (a member of its leadership disciplined), so
        head HU (100) is capped at HTT, from the archive as from the frames. The archive
        graded U's year from March's unit result as finalized (HTXS; audit af27)."""
        rs = attrs.evolve(QD366, id="agency.qd366-units")
        units = unit_rows(U={})
        staff = staff_rows(["U"])
        deputy = staff[staff["staff_id"] == "HU"].assign(staff_id="DU", manager_id="HU",
                                                          so_luong=80, chat_luong=80,
                                                          tien_do=80)  # HTT: no quota tie
        staff = pd.concat([staff, deputy], ignore_index=True).assign(discipline=0)
        with Archive(tmp_path / "a.sqlite") as arc:
            for p in MONTHS:
                s = staff[staff["period"] == p].reset_index(drop=True)
                u = units[units["period"] == p].reset_index(drop=True)
                out, ures = classify_frame(s, u, rs, force=True)
                results = pd.concat([s, out[[c for c in out.columns if c not in s.columns]]],
                                    axis=1)  # fmt: skip
                results.attrs["rule_set"] = rs.id
                arc.finalize(results, by="TCCB", units=ures, rules=rs, force=True,
                             unit_inputs=u.drop(columns=["period"]))  # fmt: skip
            assert arc.annual(2025, rules=rs).set_index("staff_id").loc["HU", "annual_grade"] \
                == "HTXS"  # fmt: skip
            arc.amend("2025-03", "DU", {"discipline": 1}, by="TCCB", why="khiển trách", rules=rs)
            annual = arc.annual(2025, rules=rs).set_index("staff_id")
            march = arc.units("2025-03", rules=rs).set_index("unit_id")  # the sheets' months
            assert march.loc["U", "grade"] == "HTT"
            assert "unit.excellent_condition.discipline" in march.loc["U", "reasons"]
            assert arc.units("2025-03", original=True).set_index("unit_id").loc["U", "grade"] \
                == "HTXS"  # fmt: skip
        staff.loc[(staff["staff_id"] == "DU") & (staff["period"] == "2025-03"), "discipline"] = 1
        st, ut = classify_frame(staff, units, rs, force=True)
        frame = classify_year(st, ut, rs).set_index("staff_id")
        for year, grade in ((annual, "annual_grade"), (frame, "grade")):
            assert year.loc["HU", ["unit_grade", grade]].tolist() == ["HTT", "HTT"]
            assert "cap.head_unit" in year.loc["HU", "reasons"].split(";")
