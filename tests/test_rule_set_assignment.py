"""One rule-set assignment for every consumer (issue 13 item 3, "one implementation of each
rule"): scoring, the month's staff and units, the year and inspections all find a row's rule
set through :func:`evalkit.scoring.assign_rule_sets`, so they agree on every row; and every
problem names the row by its label, a string index included (issue 13 item 4)."""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit.errors import InputError
from evalkit.inspections import effects
from evalkit.scoring import assign_rule_sets, assign_unit_rule_sets

ND335 = evalkit.rules.get("vn.nd335-2025")
ND233 = evalkit.rules.get("vn.nd233-2026")
HANOI = evalkit.rules.get("hanoi.3814-2018")


def person(sid: str, unit: str = "U", period: str = "2026-07", **extra: Any) -> dict[str, Any]:
    """A staff-month with full marks under NĐ 335 (criteria the other sets ignore or share),
    a viên chức's under NĐ 233 (whose general group is Phụ lục I's, without NĐ 335's
    ``nhiem_vu_kho_khan``)."""
    marks = (ND233 if extra.get("category") == "vien_chuc" else ND335).full_marks()
    return {"staff_id": sid, "unit_id": unit, "period": period, "category": "cong_chuc",
            **marks, **extra}  # fmt: skip


def ids(frame: pd.DataFrame, rules: Any = None, **kw: Any) -> list[str | None]:
    """Each row's rule set id (None where it has none)."""
    codes, sets = assign_rule_sets(frame, rules, **kw)
    return [sets[c].id if c >= 0 else None for c in codes]


class TestOneAssignment:
    def test_a_rule_set_column_names_the_set_else_category_and_period_choose(self) -> None:
        """Per row: a ``rule_set`` cell wins; a blank one falls back to the category."""
        f = pd.DataFrame({"rule_set": ["hanoi.3814-2018", None, "  ", pd.NA],
                          "category": ["cong_chuc", "vien_chuc", "cong_chuc", "vien_chuc"],
                          "period": ["2026-07"] * 4})  # fmt: skip
        assert ids(f) == ["hanoi.3814-2018", "vn.nd233-2026", "vn.nd335-2025", "vn.nd233-2026"]

    def test_every_row_without_a_set_is_reported_with_its_label(self) -> None:
        """An unknown id and a blank category are two located problems (a string index is
        the row label); ``required=False`` leaves them -1 instead."""
        f = pd.DataFrame({"rule_set": ["no.such-set", None, "vn.nd335-2025"],
                          "category": [None, None, None], "period": "2026-07"},
                         index=pd.Index(["CC-1", "CC-2", "CC-3"], name="staff_id"))  # fmt: skip
        with pytest.raises(InputError) as exc:
            assign_rule_sets(f)
        got = [(p.row, p.column, p.value) for p in exc.value.problems]
        assert got == [("CC-1", "rule_set", "no.such-set"), ("CC-2", "category", None)]
        assert ids(f.iloc[1:], required=False) == [None, "vn.nd335-2025"]

    def test_a_named_set_outside_its_dates_needs_force(self) -> None:
        """A row's own ``rule_set`` is held to its dates as ``rules=`` is (domain brief §4:
        applying a set outside its dates is an explicit choice): each row is a located
        problem, and ``force=True`` applies the sets anyway; ``classify_frame`` passes its
        ``force`` on, for the staff and the units."""
        f = pd.DataFrame({"rule_set": ["vn.nd335-2025", "vn.nd90-2020", "vn.nd233-2026"],
                          "period": ["2025-06", "2026-09", "2026-09"]},
                         index=["CC-1", "VC-1", "VC-2"])  # fmt: skip
        with pytest.raises(InputError) as exc:
            assign_rule_sets(f)
        assert [(p.row, p.column, p.value) for p in exc.value.problems] == [
            ("CC-1", "rule_set", "vn.nd335-2025"), ("VC-1", "rule_set", "vn.nd90-2020")]
        assert "in force from 2020-08-20 to 2026-06-30, not in 2026-09" in \
            exc.value.problems[1].message
        assert ids(f, force=True) == ["vn.nd335-2025", "vn.nd90-2020", "vn.nd233-2026"]
        units = pd.DataFrame({"unit_id": ["U"], "rule_set": ["vn.nd90-2020"]})
        with pytest.raises(InputError):
            evalkit.classify_frame(pd.DataFrame([person("A")]), units)
        _staff, unit = evalkit.classify_frame(pd.DataFrame([person("A")]), units, force=True)
        assert unit["rule_set"].astype(str).tolist() == ["vn.nd90-2020"]

    def test_known_sets_are_found_by_id_before_the_registry(self) -> None:
        """A results frame's own (agency) sets travel in ``known``: they are used as they are."""
        agency = evalkit.rules.parse_rule_set({**_data(ND335), "id": "agency.x"})
        f = pd.DataFrame({"rule_set": ["agency.x"], "period": ["2026-07"]})
        codes, sets = assign_rule_sets(f, known={"agency.x": agency})
        assert sets[codes[0]] is agency

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.sampled_from(["cong_chuc", "vien_chuc", "hanoi", None]), min_size=1,
                    max_size=12))  # fmt: skip
    def test_the_staff_and_the_year_use_the_same_sets(self, kinds: list[str | None]) -> None:
        """Whatever mix of named sets and categories: the month's staff results carry the
        set :func:`assign_rule_sets` gives, and the year (one month each) keeps it."""
        marks = {"hanoi": HANOI, "vien_chuc": ND233}  # each row its own set's scores only
        rows = [{"staff_id": f"S{i}", "unit_id": "U", "period": "2026-07",
                 "category": "vien_chuc" if k == "vien_chuc" else "cong_chuc",
                 "rule_set": "hanoi.3814-2018" if k == "hanoi" else None,
                 **marks.get(str(k), ND335).full_marks()}
                for i, k in enumerate(kinds)]  # fmt: skip
        sm = pd.DataFrame(rows)
        want = ids(sm)
        staff, _units = evalkit.classify_frame(sm, pd.DataFrame({"unit_id": ["U"]}))
        assert staff["rule_set"].astype(str).tolist() == want
        year = evalkit.classify_year(staff)
        assert year["rule_set"].astype(str).tolist() == want


class TestUnits:
    """The unit's set: named; its ``rule_set``/``category``; its staff's; công chức."""

    STAFF = pd.DataFrame([person("A", "V", category="vien_chuc"),
                          person("B", "V", category="vien_chuc"),
                          person("C", "V"), person("D", "W"), person("E", "N")])  # fmt: skip
    UNITS = pd.DataFrame({"unit_id": ["V", "W", "N", "E"],
                          "rule_set": [None, "hanoi.3814-2018", None, None],
                          "category": [None, None, "vien_chuc", None]})  # fmt: skip
    WANT: ClassVar[dict[str, str]] = {"V": "vn.nd233-2026", "W": "hanoi.3814-2018", "N": "vn.nd233-2026",
            "E": "vn.nd335-2025"}  # fmt: skip

    def test_classify_frame_finds_each_units_set(self) -> None:
        """V: most of its staff are viên chức; W: named; N: its category; E: nobody."""
        _staff, units = evalkit.classify_frame(self.STAFF, self.UNITS)
        assert dict(zip(units["unit_id"], units["rule_set"].astype(str), strict=True)) == \
            self.WANT  # fmt: skip

    def test_inspections_give_a_unit_finding_the_units_set(self) -> None:
        """A finding on each unit carries the set classify_frame gives the unit."""
        findings = pd.DataFrame([{"inspected_on": "2026-07-10", "inspector": "Sở Nội vụ",
                                  "staff_id": None, "unit_id": u, "finding": "Chậm hồ sơ",
                                  "severity": "minor", "decision_ref": "1/TB"}
                                 for u in self.WANT], dtype=object)  # fmt: skip
        out = effects(findings, self.STAFF, self.UNITS)
        assert dict(zip(out["unit_id"], out["rule_set"], strict=True)) == self.WANT

    def test_a_named_set_applies_to_every_unit(self) -> None:
        sets = [HANOI]
        got = assign_unit_rule_sets(self.UNITS.assign(period="2026-07"),
                                    ukey := pd.factorize(self.UNITS["unit_id"])[0], ukey[:0],
                                    ukey[:0], sets, HANOI)  # fmt: skip
        assert [sets[c].id for c in got] == ["hanoi.3814-2018"] * 4


class TestRowLabels:
    """Every problem names the input's own row label, a string index included."""

    def test_a_conclusion_without_a_reason_names_the_staff_row(self) -> None:
        sm = pd.DataFrame([{"staff_id": "A", "unit_id": "U", "period": "2026-03",
                            **HANOI.full_marks(), "competent_grade": "HT"}],
                          index=pd.Index(["CC-0042"]))  # fmt: skip
        with pytest.raises(InputError) as exc:
            evalkit.classify_frame(sm, pd.DataFrame({"unit_id": ["U"]}), "hanoi.3814-2018")
        assert [(p.row, p.column, p.staff_id) for p in exc.value.problems] == [
            ("CC-0042", "competent_reason", "A")]

    @pytest.mark.parametrize("with_period", [False, True])
    def test_a_bad_unit_value_names_the_units_row(self, with_period: bool) -> None:
        """A units frame with a string index, with or without a period column (a frame
        without one is repeated per period: the row is still the input's)."""
        units = pd.DataFrame({"unit_id": ["U", "W"], "tasks_assigned": [10, 10],
                              "tasks_done": [10, 12]}, index=["u-1", "u-2"])  # fmt: skip
        if with_period:
            units["period"] = "2026-07"
        sm = pd.DataFrame([person("A"), person("B", period="2026-08")])
        with pytest.raises(InputError) as exc:
            evalkit.classify_frame(sm, units)
        got = {(p.row, p.column) for p in exc.value.problems}
        assert got == {("u-2", "tasks_done")}

    def test_duplicate_unit_grades_for_the_year_name_their_rows(self) -> None:
        staff = pd.DataFrame({"staff_id": ["A"], "period": ["2026"], "unit_id": ["U"],
                              "total": [95.0], "grade": ["HTXS"], "rule_set": "vn.nd335-2025"})
        units = pd.DataFrame({"unit_id": ["U", "U"], "period": "2026", "grade": ["HTT", "HT"]},
                             index=["x", "y"])  # fmt: skip
        with pytest.raises(InputError) as exc:
            evalkit.classify_year(staff, units)
        assert [p.row for p in exc.value.problems] == ["x", "y"]


def _data(rs: evalkit.RuleSet) -> dict[str, Any]:
    import tomllib
    from pathlib import Path

    return tomllib.loads(Path(str(rs.path)).read_text(encoding="utf-8"))


class TestResolveKnown:
    """``rules.resolve(ref, known=...)``: the one lookup of a results frame's rule sets."""

    def test_a_known_set_is_found_before_the_registry(self) -> None:
        import attrs

        reg = evalkit.rules.get("vn.nd335-2025")
        agency = attrs.evolve(reg, id="agency.x", title_en="Agency X")
        evolved = attrs.evolve(reg, title_en="evolved, same id")
        assert evalkit.rules.resolve("agency.x", known={"agency.x": agency}) is agency
        assert evalkit.rules.resolve("vn.nd335-2025", known={reg.id: evolved}) is evolved
        assert evalkit.rules.resolve("vn.nd335-2025", known={"agency.x": agency}) is reg
        assert evalkit.rules.resolve(agency, known={}) is agency

    def test_an_unknown_id_is_refused_whatever_is_known(self) -> None:
        with pytest.raises(evalkit.errors.NoRuleSetError):
            evalkit.rules.resolve("no.such-set", known={"agency.x": evalkit.rules.get(
                "vn.nd335-2025")})
