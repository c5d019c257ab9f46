"""Rules apply only when and to whom the law applies them (issue 13).

* a named rule set classifies a year only when it is in force at the year's end, unless
  ``force=True`` (domain brief §4: applying a set outside its dates is an explicit choice);
* a cap, the quota and the months-worked options may carry their own dates and categories
  inside the set's: NĐ 48/2023/NĐ-CP added NĐ 90/2020 Điều 2 k5 (any discipline → KHT) and
  k6 (the quota) from 15/9/2023; NĐ 90 never governed contract staff, and ended for viên
  chức on 30/6/2026;
* a viên chức year across the NĐ 90 → NĐ 233 transition says when a month's disqualifier of
  NĐ 90 is not one of the year's rules;
* NĐ 335's head cap prints no citation (no article was identified).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
from evalkit import _kernels
from evalkit.errors import RuleSetError, RuleSetNotInForceError
from evalkit.model import StaffCategory
from evalkit.reasons import explain, make_reason
from evalkit.rules import Scope, rule_day
from evalkit.rules._schema import validate_rule_set

ND90 = evalkit.rules.get("vn.nd90-2020")
ND233 = evalkit.rules.get("vn.nd233-2026")
ND335 = evalkit.rules.get("vn.nd335-2025")
HANOI = evalkit.rules.get("hanoi.3814-2018")
UNITS = pd.DataFrame({"unit_id": ["U"], "head_id": [None], "parent_id": [None]})


def _months(rs: Any, year: int, people: str, category: str, *, months: int = 12,
            **at: dict[str, Any]) -> pd.DataFrame:  # fmt: skip
    """Full marks for ``people`` over ``months`` months of ``year``; ``at["B3"]`` adds
    inputs to person B's third month."""
    return pd.DataFrame([{"staff_id": s, "period": f"{year}-{m:02d}", "unit_id": "U",
                          "category": category, **rs.full_marks(), **at.get(f"{s}{m}", {})}
                         for m in range(1, months + 1) for s in people])  # fmt: skip


def _year(frame: pd.DataFrame, rules: Any = None, **kw: Any) -> pd.DataFrame:
    staff, units = evalkit.classify_frame(frame, UNITS, **kw)
    return evalkit.classify_year(staff, units, rules).set_index("staff_id")


class TestNamedSetOutsideItsDates:
    """D1: classify_year, rollup_frame and `evalkit annual` hold a named set to its dates."""

    def test_nd90_named_for_2027_is_refused_unless_forced(self) -> None:
        staff, units = evalkit.classify_frame(_months(ND233, 2027, "ABCDEF", "vien_chuc"),
                                              UNITS)  # fmt: skip
        with pytest.raises(RuleSetNotInForceError) as exc:
            evalkit.classify_year(staff, units, "vn.nd90-2020")
        assert str(exc.value) == (
            "rule set 'vn.nd90-2020' is in force from 2020-08-20 to 2026-06-30, not in 2027; "
            "pass force=True to apply it anyway")
        with pytest.raises(RuleSetNotInForceError):
            evalkit.rollup_frame(staff, "vn.nd90-2020")
        forced = evalkit.classify_year(staff, units, "vn.nd90-2020", force=True)
        assert forced["rule_set"].astype(str).tolist() == ["vn.nd90-2020"] * 6

    def test_a_year_is_held_to_its_end_not_its_start(self) -> None:
        """NĐ 233 begins on 1/7/2026 and classifies 2026 (in force in December); NĐ 90 ended
        on 30/6/2026 and does not, though it was in force in January."""
        staff, units = evalkit.classify_frame(_months(ND233, 2026, "AB", "vien_chuc",
                                                      months=12)[lambda f: f["period"]
                                                                 >= "2026-07"], UNITS)
        assert set(evalkit.classify_year(staff, units, "vn.nd233-2026")["rule_set"]) == {
            "vn.nd233-2026"}
        rolled = evalkit.rollup_frame(staff, "vn.nd233-2026")
        assert rolled["period"].tolist() == ["2026", "2026"]
        with pytest.raises(RuleSetNotInForceError, match="2026-06-30, not in 2026;"):
            evalkit.classify_year(staff, units, "vn.nd90-2020")

    def test_rows_already_rolled_up_are_held_too(self) -> None:
        sy = pd.DataFrame({"staff_id": ["A", "B"], "period": "2027", "unit_id": "U",
                           "total": [95.0, 80.0], "grade": ["HTXS", "HTT"]})
        with pytest.raises(RuleSetNotInForceError, match="not in 2027"):
            evalkit.classify_year(sy, rules="vn.nd90-2020")
        forced = evalkit.classify_year(sy, rules="vn.nd90-2020", force=True)
        assert forced["rule_set"].astype(str).tolist() == ["vn.nd90-2020"] * 2

    def test_an_agency_file_ending_mid_year_is_refused_for_that_year(self,
                                                                      tmp_path: Path) -> None:
        path = tmp_path / "agency.toml"
        path.write_text('extends = "vn.nd335-2025"\nid = "mau.h1-2027"\n'
                        'jurisdiction = "vn.mau"\neffective_from = 2026-07-01\n'
                        'effective_to = 2027-06-30\n', encoding="utf-8")  # fmt: skip
        staff, units = evalkit.classify_frame(_months(ND335, 2027, "AB", "cong_chuc"), UNITS)
        with pytest.raises(RuleSetNotInForceError, match=r"'mau\.h1-2027' .* not in 2027"):
            evalkit.classify_year(staff, units, str(path))

    def test_the_annual_command_needs_force(self, tmp_path: Path) -> None:
        import contextlib
        import io
        import json

        from evalkit.cli import main
        from tests._io_helpers import filled_workbook, person

        archive = str(tmp_path / "a.sqlite")
        book = filled_workbook(tmp_path / "t.xlsx", [person("CC-1"), person("CC-2")],
                               period="2026-03")  # fmt: skip
        assert main(["finalize", str(book), "--archive", archive, "--by", "TCCB", "--json"],
                    stdout=io.StringIO()) == 0  # fmt: skip
        args = ["annual", "--archive", archive, "--year", "2026", "--rules", "vn.nd90-2020"]
        err, said = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err):
            assert main(args, stdout=said) == 3
        assert err.getvalue() == ("Lỗi: bộ quy định 'vn.nd90-2020' có hiệu lực từ 2020-08-20 "
                                  "đến 2026-06-30, không áp dụng cho kỳ 2026; thêm --force nếu "
                                  "vẫn muốn áp dụng\n")
        out = io.StringIO()
        assert main([*args, "--force", "--json"], stdout=out) == 0
        rows = json.loads(out.getvalue())["results"]["data"]["rows"]
        assert {r["rule_set"] for r in rows} == {"vn.nd90-2020"}


class TestNd90AmendmentDates:
    """D2: NĐ 48/2023/NĐ-CP (in force 15/9/2023) added NĐ 90 Điều 2 k5 a and k6."""

    def test_2021_has_neither_the_discipline_clause_nor_the_quota(self) -> None:
        y = _year(_months(ND90, 2021, "AB", "vien_chuc", B3={"party_discipline": True}))
        assert y[["grade", "reasons"]].values.tolist() == [["HTXS", "rollup.average"]] * 2
        assert not ND90.quota_applies("2022") and ND90.quota_applies("2023")

    def test_2023_is_classified_after_the_amendment_took_effect(self) -> None:
        """A discipline in March 2023 counts for the 2023 year, classified in December."""
        frame = _months(ND90, 2023, "AB", "vien_chuc", B3={"party_discipline": True})
        staff, units = evalkit.classify_frame(frame, UNITS)
        march = staff[(staff["staff_id"] == "B") & (staff["period"] == "2023-03")].iloc[0]
        assert march["grade"] == "HTXS"  # the clause did not exist yet in March: not lowered
        # no code where the clause does not apply (the archive refuses a grade above what
        # its codes allow); the month keeps the flag, and the year counts it
        assert "disqualifier.discipline" not in march["reasons"].split(";")
        assert bool(march["party_discipline"])
        y = evalkit.classify_year(staff, units).set_index("staff_id")
        assert y[["grade", "reasons"]].values.tolist() == [
            ["HTT", "rollup.average;quota.demoted"],  # 20% of 0 HTT: no HTXS
            ["KHT", "rollup.average;disqualifier.discipline"]]

    def test_a_month_before_the_amendment_under_score(self) -> None:
        a = evalkit.Assessment("VC-1", "2021-03", party_discipline=True,
                               manager_scores=ND90.full_marks())  # fmt: skip
        r = evalkit.score(a, category="vien_chuc")
        assert r.grade is evalkit.Grade.HTXS
        assert "disqualifier.discipline" not in [x.code for x in r.reasons]
        b = evalkit.Assessment("VC-1", "2024-03", party_discipline=True,
                               manager_scores=ND90.full_marks())  # fmt: skip
        assert evalkit.score(b, category="vien_chuc").grade is evalkit.Grade.KHT

    def test_the_preset_dates_the_clauses(self) -> None:
        cap = next(c for c in ND90.caps if c.id == "discipline")
        assert cap.scope == Scope(dt.date(2023, 9, 15), None, ())
        assert ND90.quota is not None and ND90.quota.scope == Scope(dt.date(2023, 9, 15))
        assert cap.source == "NĐ 90/2020/NĐ-CP, Điều 2 k5 a, bổ sung bởi NĐ 48/2023/NĐ-CP"


class TestHanoiNationalRulesReachWhomNd90Governed:
    """D3: QĐ 3814 covers contract staff; NĐ 90's year rules never did, nor after 30/6/2026."""

    def test_a_contract_worker_is_not_disqualified_nor_left_unclassified(self) -> None:
        frame = _months(HANOI, 2024, "ABCDEFGHIJ", "hop_dong", B2={"party_discipline": True})
        frame = frame[~((frame["staff_id"] == "C") & (frame["period"] > "2024-05"))]
        y = _year(frame.assign(rule_set="hanoi.3814-2018"))
        assert y.loc[["B", "C"], ["grade", "months", "reasons"]].values.tolist() == [
            ["HTXS", 12, "rollup.average"], ["HTXS", 5, "rollup.average"]]

    def test_a_vien_chuc_in_2024_still_is(self) -> None:
        frame = _months(HANOI, 2024, "ABCDEFGHIJ", "vien_chuc", B2={"party_discipline": True})
        frame = frame[~((frame["staff_id"] == "C") & (frame["period"] > "2024-05"))]
        y = _year(frame.assign(rule_set="hanoi.3814-2018"))
        assert y.loc["B", "grade"] == "KHT"
        assert "disqualifier.discipline" in y.loc["B", "reasons"].split(";")
        assert pd.isna(y.loc["C", "grade"])
        assert y.loc["C", "reasons"] == "rollup.average;rollup.too_few_months"
        said = explain(y.reset_index().iloc[[2]].reset_index(drop=True), rules=HANOI)[0]
        assert said[-1] == "Làm việc dưới 6 tháng trong năm: không xếp loại " \
            "(NĐ 90/2020/NĐ-CP, Điều 2 k3)"

    def test_before_nd90_the_months_rules_do_not_apply(self) -> None:
        """2019: NĐ 90/2020 did not exist (in force 20/8/2020)."""
        frame = _months(HANOI, 2019, "AB", "cong_chuc", months=5)
        y = _year(frame.assign(rule_set="hanoi.3814-2018"))
        assert y["reasons"].tolist() == ["rollup.average"] * 2
        assert y["grade"].notna().all()

    def test_the_preset_scopes(self) -> None:
        three = (StaffCategory.CAN_BO, StaffCategory.CONG_CHUC, StaffCategory.VIEN_CHUC)
        cap = next(c for c in HANOI.caps if c.id == "discipline")
        assert cap.scope == Scope(dt.date(2023, 9, 15), dt.date(2026, 6, 30), three)
        assert HANOI.rollup.months_scope == Scope(dt.date(2020, 8, 20), dt.date(2026, 6, 30),
                                                  three)  # fmt: skip
        assert (HANOI.rollup.source, HANOI.rollup.months_source) == (
            "QĐ 3814-QĐ/TU ngày 16/5/2018", "NĐ 90/2020/NĐ-CP, Điều 2 k3")


class TestTransitionNotice:
    """D5: a viên chức's 2026: NĐ 90 until June, the year under NĐ 233 (in force at its end)."""

    def _frame(self) -> pd.DataFrame:
        rows = []
        for m in range(1, 13):
            fm = (ND90 if m <= 6 else ND233).full_marks()
            for sid in ["A", "B", "C", *(f"H{i}" for i in range(10))]:
                d: dict[str, Any] = {"staff_id": sid, "period": f"2026-{m:02d}",
                                     "category": "vien_chuc", "unit_id": "U", **fm}
                if sid.startswith("H"):
                    d.update(so_luong=80, chat_luong=80, tien_do=80)
                if sid == "B" and m == 3:
                    d.update(discipline=1, discipline_related_to_duty=False)
                if sid == "C" and m == 3:
                    d.update(party_discipline=True)
                rows.append(d)
        return pd.DataFrame(rows)

    def test_the_dropped_disqualifier_is_said_and_the_grade_kept(self) -> None:
        y = _year(self._frame())
        assert set(y["rule_set"].astype(str)) == {"vn.nd233-2026"}
        assert y.loc[["A", "B", "C"], ["grade", "reasons"]].values.tolist() == [
            ["HTXS", "rollup.average"],
            ["HTXS", "rollup.average;rollup.dropped_disqualifier"],
            # C: a party discipline in the evaluation year, its relation to the duties not
            # denied (blank reads as related, as for B's administrative one): NĐ 233/2026
            # Điều 14 k3 a ("kỷ luật đảng hoặc kỷ luật hành chính") → KHT by the year's own
            # set, not a dropped ground (af118; before it the preset read only the
            # administrative level and C was HTT, demoted by the quota)
            ["KHT", "rollup.average;disqualifier.discipline"]]
        assert (y.loc[[f"H{i}" for i in range(10)], "reasons"] == "rollup.average").all()

    def test_naming_the_years_set_gives_the_same_year(self, tmp_path: Path) -> None:
        """Audit af20: NĐ 233 named for 2026 read the March code of C's party discipline
        (NĐ 90's any discipline) as NĐ 233's duty-related discipline: KHT where the set
        followed gives HTXS; B's notice was lost. A month's code means what its own set
        (its rule_set) says, named or followed — classify_year, Archive.annual, the CLI.
        Since af118 C's party discipline is a ground of NĐ 233 itself (Điều 14 k3 a): KHT
        whether the set is named or followed."""
        staff, units = evalkit.classify_frame(self._frame(), UNITS)
        want = [["HTXS", "rollup.average"],  # by hand: C's party discipline is NĐ 233's
                ["HTXS", "rollup.average;rollup.dropped_disqualifier"],  # Điều 14 k3 a
                ["KHT", "rollup.average;disqualifier.discipline"]]  # ground (see above)
        named = evalkit.classify_year(staff, units, "vn.nd233-2026").set_index("staff_id")
        assert named.loc[["A", "B", "C"], ["grade", "reasons"]].values.tolist() == want
        from evalkit.io.archive import Archive
        from tests._cli_helpers import ok

        with Archive(tmp_path / "a.sqlite") as arc:
            for per, rows in staff.groupby("period", observed=True):
                arc.finalize(rows, by="TCCB", units=units[units["period"] == per])
            got = arc.annual(2026, rules="vn.nd233-2026").set_index("staff_id")
        assert got.loc[["A", "B", "C"], ["annual_grade", "reasons"]].values.tolist() == want
        ok("annual", "--year", "2026", "--archive", str(tmp_path / "a.sqlite"), "--rules",
           "vn.nd233-2026", "--out", str(tmp_path / "y.csv"))
        cli = pd.read_csv(tmp_path / "y.csv", dtype={"staff_id": str}).set_index("staff_id")
        assert cli.loc[["A", "B", "C"], ["annual_grade", "reasons"]].values.tolist() == want

    def test_the_sentence_and_its_citation(self) -> None:
        r = make_reason("rollup.dropped_disqualifier", ND233, {"period": "2026"})
        assert r.message_vi == (
            "Trong năm có tháng có căn cứ xếp loại không hoàn thành nhiệm vụ theo bộ tiêu chí "
            "áp dụng cho tháng đó mà bộ tiêu chí xếp loại năm không quy định: cấp có thẩm "
            "quyền xem xét khi kết luận")
        assert r.source == ND233.classified_source == "Luật Viên chức 129/2025/QH15, Điều 26 k1"

    def test_a_duty_related_discipline_is_still_kht_under_nd233(self) -> None:
        frame = self._frame()
        frame.loc[(frame["staff_id"] == "B") & (frame["period"] == "2026-03"),
                  "discipline_related_to_duty"] = True
        y = _year(frame)
        assert y.loc["B", "grade"] == "KHT"
        assert "rollup.dropped_disqualifier" not in y.loc["B", "reasons"].split(";")


class TestNd335HeadCapCitesNothing:
    """D11: the head-not-above-the-unit rule has no identified article: no citation."""

    def test_the_head_cap_reason_has_no_source(self) -> None:
        assert (ND335.units.source, ND335.units.status) == ("", "practice")
        r = make_reason("cap.head_unit", ND335, {"unit_grade": "HTT", "period": "2026"})
        assert r.source == ""
        assert make_reason("cap.head_unit", HANOI, {"unit_grade": "HTT"}).source == ""


class TestCompetentOrderInTheMonth:
    """audit-api D6: the competent level's order typed in the month reaches the year."""

    def test_the_month_order_breaks_the_year_tie(self) -> None:
        full = ND335.full_marks()
        gen = {k: v for k, v in full.items() if k not in ("so_luong", "chat_luong", "tien_do")}
        rows = [{"staff_id": s, **gen, "so_luong": 90, "chat_luong": 90, "tien_do": 90,
                 "competent_order": o} for s, o in (("A2", 2.0), ("Z9", 1.0), ("A3", 3.0))]
        rows += [{"staff_id": f"H{i:02d}", **gen, "so_luong": 60, "chat_luong": 60,
                  "tien_do": 60, "competent_order": np.nan} for i in range(10)]
        m = pd.DataFrame(rows).assign(period="2026-03", unit_id="U", category="cong_chuc")
        staff, units = evalkit.classify_frame(m, pd.DataFrame({"unit_id": ["U"]}))
        assert staff["competent_order"].tolist()[:3] == [2.0, 1.0, 3.0]
        y = evalkit.classify_year(staff, units).set_index("staff_id")
        # 20% of 10 HTT = 2: equal totals, so the competent level's order decides
        assert y.loc[["Z9", "A2", "A3"], "grade"].tolist() == ["HTXS", "HTXS", "HTT"]


class TestSchema:
    """The rule file's keys: validated, every problem at once."""

    def _data(self, **changes: Any) -> dict[str, Any]:
        from evalkit.rules._schema import load_rule_data

        data = load_rule_data(Path(HANOI.path or ""))
        for key, value in changes.items():
            section, _, field = key.partition("__")
            if section == "cap":
                data["caps"][0][field] = value
            else:
                data[section][field] = value
        return data

    def test_every_problem_of_the_scopes_is_reported_at_once(self) -> None:
        data = self._data(cap__effective_from=dt.date(2030, 1, 1),
                          cap__effective_until=dt.date(2017, 1, 1),
                          cap__categories=["vien_chuc", "giao_vien"],
                          quota__categories=["vien_chuc"],
                          quota__effective_until=dt.date(2010, 1, 1),
                          rollup__months_categories=["hop_dong"])  # fmt: skip
        data["categories"] = ["can_bo", "cong_chuc", "vien_chuc"]  # no contract staff
        with pytest.raises(RuleSetError) as exc:
            validate_rule_set(data, source="x.toml")
        text = str(exc.value)
        for part in (
            "caps[0].effective_until: effective_until 2017-01-01 is before effective_from "
            "2030-01-01",
            "caps[0].effective_until: effective_until 2017-01-01 is before the set's "
            "effective_from 2018-06-01: the rule would never apply",
            "caps[0].categories[1]: unknown staff category 'giao_vien'",
            "quota.categories: unknown key 'categories'",
            "quota.effective_until: effective_until 2010-01-01 is before the set's "
            "effective_from 2018-06-01",
            "rollup.months_categories[0]: hop_dong is not one of the set's categories "
            "(can_bo, cong_chuc, vien_chuc)",
        ):
            assert part in text, (part, text)

    def test_a_start_after_the_set_ends(self) -> None:
        data = self._data(cap__effective_from=dt.date(2030, 1, 1),
                          cap__effective_until=dt.date(2031, 1, 1))  # fmt: skip
        data["effective_to"] = dt.date(2029, 12, 31)
        with pytest.raises(RuleSetError, match=r"^effective_from 2030-01-01 is after the "
                           r"set's effective_to 2029-12-31: the rule would never apply \(file "
                           r"x.toml, key caps\[0\].effective_from\)"):
            validate_rule_set(data, source="x.toml")

    def test_an_empty_category_list(self) -> None:
        with pytest.raises(RuleSetError, match=r"^categories must name at least one staff "
                           r"category .* key caps\[0\].categories\)"):
            validate_rule_set(self._data(cap__categories=[]), source="x.toml")


_DAYS = st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31))


@settings(max_examples=60, deadline=None)
@given(start=st.none() | _DAYS, until=st.none() | _DAYS,
       cats=st.lists(st.sampled_from(list(StaffCategory)), unique=True, max_size=3),
       rows=st.lists(st.tuples(st.none() | st.sampled_from(["2019", "2023-09", "2023-10",
                                                              "2023", "2026-06", "2026-Q3",
                                                              "2026", "2027-02"]),
                               st.none() | st.sampled_from(list(StaffCategory))),
                     min_size=1, max_size=20))  # fmt: skip
def test_the_vectorised_scope_is_the_scalar_one(start: dt.date | None, until: dt.date | None,
                                                 cats: list[StaffCategory],
                                                 rows: list[tuple[Any, Any]]) -> None:
    """scope_mask (every row at once) agrees with Scope.covers (one row) on every row."""
    scope = Scope(start, until, tuple(cats))
    day = np.array([rule_day(evalkit.Period.parse(p)).toordinal() if p else -1
                    for p, _ in rows], dtype=np.int64)  # fmt: skip
    cat = _kernels.category_codes([c.value if c else None for _, c in rows])
    mask = _kernels.scope_mask(scope, day, cat)
    want = [scope.covers(c, p) for p, c in rows]
    got = np.broadcast_to(mask, len(rows)).tolist()  # True: every row
    assert got == want
