"""The error paths of the unit tables (issue 13, "one engine, one answer"; af46).

* A bad unit ``grade`` ("XYZ", 5) on a unit nobody's row is in was ignored (the year
  returned before reading the unit results' grades; the month never read them); it is
  refused as on a unit with people: same message, row, column and value, at every door
  that takes a unit grade (:func:`evalkit.classify_frame`'s units frame fed back,
  :func:`evalkit.classify_year`'s unit results, a results JSON's ``units`` table).
* A parent-id cycle in the unit results was refused by the year only under rule sets with
  a condition on the tree; a cycle is no organisation (:class:`evalkit.model.Organisation`
  refuses it), so it is refused under every rule set, in Organisation's words, every cycle
  named.
* A units frame read from a CSV with a blank ``head_id`` has float ids (``7.0``): the
  checks before the organisation is read find the head ``7`` / ``"7"`` as the engine does.
* ``months_worked`` 0.5 on a month row is documented as counting the month (docs/periods.md:
  "a scored month counts one, whatever its months_worked"): not refused, not changed.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.errors import InputError, OrganisationError
from evalkit.io.results import read_results
from evalkit.model import Organisation, Unit
from tests._cli_helpers import run
from tests.test_archive_checks import _doc

RS = evalkit.rules.get("vn.nd335-2025")
FULL = RS.full_marks()
PERIOD = "2026-03"
#: H heads U: a management post (NĐ 335/2025 Điều 15), đ and e typed, d computed
HEAD_MARKS = {"to_chuc_trien_khai": 100.0, "tap_hop_doan_ket": 100.0}


def person(staff_id: Any, unit: str = "U", **extra: Any) -> dict[str, Any]:
    return {"staff_id": staff_id, "unit_id": unit, "period": PERIOD, "category": "cong_chuc",
            **FULL, **extra}  # fmt: skip


STAFF = pd.DataFrame([person("A"), person("B")])


def problems_of(call: Any) -> list[tuple[Any, ...]]:
    with pytest.raises(InputError) as exc:
        call()
    return [(p.row, p.column, p.value, p.message) for p in exc.value.problems]


def month_units() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The month's staff and unit results: U has A and B, V nobody."""
    return evalkit.classify_frame(STAFF, pd.DataFrame({"unit_id": ["U", "V"]}), RS)


class TestBadUnitGrade:
    @pytest.mark.parametrize("bad", ["XYZ", 5])
    def test_the_units_frame_refuses_it_on_a_unit_with_or_without_people(self, bad: Any) -> None:
        def units(row: int) -> pd.DataFrame:
            frame = pd.DataFrame({"unit_id": ["U", "V"], "grade": ["HTT", "HTT"]}, dtype=object)
            frame.loc[row, "grade"] = bad
            return frame

        with_people, without = (problems_of(lambda r=r: evalkit.classify_frame(
            STAFF, units(r), RS)) for r in (0, 1))  # fmt: skip
        assert [p[:3] for p in with_people] == [(0, "grade", bad)]
        assert [p[:3] for p in without] == [(1, "grade", bad)]
        assert with_people[0][3] == without[0][3]

    def test_a_results_frame_fed_back_with_its_grades_is_accepted(self) -> None:
        _staff, units = month_units()
        again = evalkit.classify_frame(STAFF, units.drop(columns=["rule_set"]), RS)[1]
        assert again["grade"].tolist() == units["grade"].tolist()

    @pytest.mark.parametrize("bad", ["XYZ", 5])
    @pytest.mark.parametrize("period", ["2026-03", "2026"])
    def test_classify_year_refuses_it_on_a_unit_nobody_is_in(self, bad: Any, period: str) -> None:
        staff, units = month_units()
        units = units.assign(period=period, grade=units["grade"].astype(object))

        def year_with(row: int, rows: list[int]) -> Any:
            u = units.copy()
            u.loc[row, "grade"] = bad
            return lambda: evalkit.classify_year(staff, u.loc[rows])

        with_people = problems_of(year_with(0, [0, 1]))
        without = problems_of(year_with(1, [0, 1]))
        alone = problems_of(year_with(1, [1]))  # no unit of anyone's in the results
        assert [p[:3] for p in with_people] == [(0, "grade", bad)]
        assert [p[:3] for p in without] == [(1, "grade", bad)] == [p[:3] for p in alone]
        assert with_people[0][3] == without[0][3] == alone[0][3]

    def test_the_results_json_units_table_refuses_it(self, tmp_path: Path) -> None:
        path = tmp_path / "ket-qua.json"
        doc = _doc(path)
        doc["data"]["units"][0]["grade"] = "XYZ"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        with pytest.raises(InputError) as err:
            read_results(path)
        got = [(p.file, p.sheet, p.row, p.column, p.value) for p in err.value.problems]
        assert got == [(str(path), "units", 1, "grade", "XYZ")], got
        code, out, _ = run("--lang", "en", "finalize", str(path), "--archive",
                           str(tmp_path / "a.sqlite"), "--by", "TCCB", "--json")  # fmt: skip
        assert code == 1, out
        assert [(p["sheet"], p["row"], p["column"], p["value"])
                for p in json.loads(out)["problems"]] == [("units", 1, "grade", "XYZ")]


class TestUnitCycle:
    CYCLE: ClassVar[dict[str, list[Any]]] = {"unit_id": ["U", "A1", "B1"],
                                             "parent_id": [None, "B1", "A1"]}

    def organisation_words(self) -> str:
        with pytest.raises(OrganisationError) as exc:
            Organisation(units=[Unit(id=i, name=i, parent_id=p) for i, p in
                                zip(self.CYCLE["unit_id"], self.CYCLE["parent_id"], strict=True)],
                         positions=[], staff=[])  # fmt: skip
        return str(exc.value)

    @pytest.mark.parametrize(("rules", "category"), [
        ("vn.nd335-2025", "cong_chuc"), ("hanoi.3814-2018", "cong_chuc"),
        ("vn.nd90-2020", "vien_chuc"),  # a sub-unit KHT condition: the tree was read here only
        ("vn.qd366-2025", "can_bo"),  # a discipline condition: the same
    ])  # fmt: skip
    def test_classify_year_refuses_it_under_every_rule_set(self, rules: str,
                                                            category: str) -> None:  # fmt: skip
        rs = evalkit.rules.get(rules)
        staff = pd.DataFrame([{"staff_id": "A", "unit_id": "U", "period": PERIOD,
                               "category": category, **rs.full_marks()}])  # fmt: skip
        ids = pd.DataFrame({"unit_id": self.CYCLE["unit_id"]})
        months, units = evalkit.classify_frame(staff, ids, rs, force=True)
        with pytest.raises(OrganisationError) as exc:
            evalkit.classify_year(months, units.assign(parent_id=self.CYCLE["parent_id"]))
        assert str(exc.value).startswith(self.organisation_words()), (str(exc.value),
                                                                      self.organisation_words())

    @pytest.mark.parametrize("period", ["2026-03", "2026"])
    def test_classify_year_refuses_it_among_units_nobody_is_in(self, period: str) -> None:
        """The cycle A1 ⇄ B1 with nobody in either, given as months or as the year's rows
        with their grades (nothing left to grade): refused all the same."""
        months, units = month_units()
        cycle = pd.DataFrame({"unit_id": ["A1", "B1"], "parent_id": ["B1", "A1"],
                              "period": period, "grade": "HTT"})  # fmt: skip
        for given in (cycle, pd.concat([units.assign(period=period), cycle], ignore_index=True)):
            with pytest.raises(OrganisationError) as exc:
                evalkit.classify_year(months, given)
            assert str(exc.value).startswith(self.organisation_words()), str(exc.value)

    def test_the_command_line_refuses_it_in_a_results_file(self, tmp_path: Path) -> None:
        """`evalkit render --period 2026` of a month's results whose units table has
        A1 ⇄ B1 (nobody in them) under NĐ 335 (no condition on the tree): exit 1, the
        cycle said in the language asked, nothing written."""
        path = tmp_path / "ket-qua.json"
        doc = _doc(path)
        first = doc["data"]["units"][0]
        doc["data"]["units"] += [{**first, "unit_id": "A1", "parent_id": "B1"},
                                 {**first, "unit_id": "B1", "parent_id": "A1"}]  # fmt: skip
        given = doc["data"]["unit_inputs"][0]  # the file's inputs hold them too (af169: each
        # month file is checked as finalize checks it; a unit result without inputs is refused)
        doc["data"]["unit_inputs"] += [{**given, "unit_id": "A1", "parent_id": "B1", "head_id": None},
                                       {**given, "unit_id": "B1", "parent_id": "A1", "head_id": None}]  # fmt: skip
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        for lang, words in (("en", "units form a cycle: A1 -> B1 -> A1"),
                            ("vi", "các đơn vị tạo thành vòng: A1 -> B1 -> A1")):  # fmt: skip
            out = tmp_path / lang
            code, stdout, err = run("--lang", lang, "render", str(path), "--period", "2026",
                                    "--out", str(out))  # fmt: skip
            assert code == 1 and words in err, (code, stdout, err)
            assert not out.exists() or not any(out.rglob("*.pdf"))

    def test_the_month_refuses_it_under_every_rule_set_too(self) -> None:
        with pytest.raises(OrganisationError) as exc:
            evalkit.classify_frame(STAFF.iloc[:1], pd.DataFrame(self.CYCLE), RS)
        assert str(exc.value).startswith(self.organisation_words())

    def test_every_cycle_is_named_once(self) -> None:
        units = pd.DataFrame({"unit_id": ["U", "A1", "B1", "C1", "D1"],
                              "parent_id": [None, "B1", "A1", "D1", "C1"]})  # fmt: skip
        months = pd.concat([STAFF.iloc[:1], STAFF.iloc[:1].assign(period="2026-04")],
                           ignore_index=True)  # fmt: skip
        with pytest.raises(OrganisationError) as exc:
            evalkit.classify_frame(months, units, RS)
        text = str(exc.value)
        assert text.count("units form a cycle") == 2, text
        assert "A1 -> B1 -> A1" in text and "C1 -> D1 -> C1" in text, text


class TestFloatHeadIds:
    """``pd.read_csv`` of a units CSV with a blank ``head_id`` makes the ids float64."""

    UNITS_CSV = "unit_id,parent_id,head_id\nU,,7\nV,U,\n"

    def units(self) -> pd.DataFrame:
        units = pd.read_csv(io.StringIO(self.UNITS_CSV))
        assert units["head_id"].dtype == "float64"
        return units

    @pytest.mark.parametrize("marks", [HEAD_MARKS, {}])
    def test_int_and_text_staff_ids_give_the_same_results_and_problems(
            self, marks: dict[str, float]) -> None:
        outcome = []
        for head, other in ((7, 8), ("7", "8")):
            staff = pd.DataFrame([person(head, **marks), person(other, unit="V")])
            try:
                res, units = evalkit.classify_frame(staff, self.units(), RS)
            except InputError as exc:
                outcome.append([(p.row, p.column, p.message) for p in exc.problems])
            else:
                # the ids as typed (7 or '7') aside, the same results
                outcome.append([res.astype(str).to_dict("list"), units.astype(str).to_dict("list")])
        assert outcome[0] == outcome[1]
        if marks:  # the head scored as a leader
            assert outcome[0][0]["is_head"] == ["True", "False"]
        else:  # the head's management criteria are said missing, as a leader's
            assert {c for _, c, _ in outcome[0]} == set(HEAD_MARKS)


    @pytest.mark.parametrize("per_period", [True, False])
    def test_the_early_check_reads_a_float_head_id_as_the_engine_does(
            self, per_period: bool) -> None:
        """The early check (before the organisation is read) on the units as read (not
        normalised first): ``7.0`` is ``7``, so the head of U is scored as a leader and
        their management criteria are said missing — with the units frame read per period
        (each row's unit-period), and without it (a units frame without ``unit_id``: the
        head of any unit). The other person's bad cell refuses the input at that check."""
        units = self.units() if per_period else self.units().drop(columns="unit_id")
        for head, other in ((7, 8), ("7", "8")):
            sm = pd.DataFrame([person(head), person(other, unit="V", category="bogus")])
            with pytest.raises(InputError) as info:
                evalkit.classify_frame(sm, units, RS)
            said = {(p.row, p.column) for p in info.value.problems}
            # the head's (row 0) management criteria, not the other person's (row 1)
            assert {c for r, c in said if r == 0} >= set(HEAD_MARKS), (head, per_period)
            assert not {c for r, c in said if r == 1} & set(HEAD_MARKS), (head, per_period)
            assert (1, "category") in said
            assert ("unit_id" in {c for _, c in said}) is not per_period


    def test_a_unit_given_twice_names_the_heads_of_both_rows(self) -> None:
        """A unit given twice in a period, a head on each row: refused for the unit given
        twice, and each head's management criteria are said missing with it (each row of the
        unit names its head; nothing said is lost to the first row's lookup)."""
        units = pd.DataFrame({"unit_id": ["U", "U"], "head_id": ["7", "8"]})
        with pytest.raises(InputError) as info:
            evalkit.classify_frame(pd.DataFrame([person("7"), person("8")]), units, RS)
        said = {(p.row, p.column) for p in info.value.problems}
        assert (1, "unit_id") in said  # the units frame's second row
        assert {(r, c) for r in (0, 1) for c in HEAD_MARKS} <= said


class TestMonthsWorkedOfAMonth:
    def test_a_half_month_counts_the_month_as_documented(self) -> None:
        """docs/periods.md: a scored month counts one whatever its months_worked."""
        staff = STAFF.assign(months_worked=[0.5, 1.0])
        res, units = evalkit.classify_frame(staff, pd.DataFrame({"unit_id": ["U"]}), RS)
        assert res["months_worked"].tolist() == [0.5, 1.0]
        year = evalkit.classify_year(res, units)
        assert year["months"].tolist() == [1, 1]  # nothing divides a month
