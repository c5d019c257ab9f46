"""Hunt af131 (issue 13 item 4, "Frames of any dtype"): the doors that are not the month's
staff frame — the findings of an inspection merged into the staff and units frames
(``evalkit.inspections.apply``), the units frame's ``council_score`` and
``public_service_unit``, the units' year given to ``classify_year`` and the problems of a
units frame indexed by its ids.

The rule the library states for every door (docs/cli.md, "a cell formatted as a
percentage": "one number reader at every door"; issue 13 item 4): a number typed as text
— ``"1,5"`` with the Vietnamese decimal comma, as ``pd.read_csv`` of a Vietnamese CSV gives
it in pandas 3's ``str`` dtype — is the number 1.5 wherever it is read, and a value that is
no number is an :class:`~evalkit.errors.InputProblem` naming its row label, column and
value, never a blank and never a bare ``ValueError``.

Every oracle is worked by hand below from the rule it applies; none is copied from output.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.errors import InputError
from evalkit.impact import compare_rule_sets
from evalkit.inspections import apply
from evalkit.units import classify_frame
from tests.strategies import organisation_periods
from tests.test_inspections import AGENCY, ND335, finding, staff, table

TEXT = ["str", "object", "category", "string[python]"]


def _typed(values: list[Any], dtype: str) -> pd.Series:
    return pd.Series(values, dtype=object if dtype == "object" else dtype)


# =========================================================================== inspections


class TestInspectionsReadTheCellsTheyDoNotWrite:
    """``apply`` merges the findings into the frames given to ``classify_frame``; the cells
    of the rows no finding reaches must reach the engine as they were typed.

    The agency set (tests/test_inspections.py ``agency``): NĐ 335/2025 (30 + 70 points, a
    person with full marks scores 100) plus the agency's deduction block ``tru`` reading
    ``kiem_tra`` (at most 10 points deducted); a minor finding on a person enters 1 point
    there, a serious finding on a unit deducts 3 points from the unit's score.
    """

    @pytest.mark.parametrize("dtype", TEXT)
    def test_a_deduction_typed_with_a_decimal_comma_on_a_row_not_reached_is_kept(
        self, dtype: str
    ) -> None:
        """A has a minor finding: 100 − 1 = 99. B, not reached, typed ``kiem_tra`` = "1,5"
        (1.5 points): 100 − 1.5 = 98.5, as ``classify_frame`` gives without the findings.
        The old ``apply`` turned "1,5" into a blank (``pd.to_numeric(errors="coerce")``):
        B came out at 100, the deduction lost."""
        sm = staff("A", "B")
        sm["kiem_tra"] = _typed([None, "1,5"], dtype)
        s, u = apply(table(finding(staff_id="A")), sm, pd.DataFrame(
            {"unit_id": ["U"], "head_id": [None], "tasks_assigned": [10], "tasks_done": [10]}),
            AGENCY)  # fmt: skip
        out, _ = classify_frame(s, u, AGENCY)
        assert out.set_index("staff_id")["total"].to_dict() == {"A": 99.0, "B": 98.5}

    def test_text_that_is_no_number_on_a_row_not_reached_is_refused_with_its_row(self) -> None:
        """``kiem_tra`` = "abc" on B (no finding on B): refused naming B's row label (the
        frame is indexed by ``staff_id``), the column and the value, as ``classify_frame``
        refuses it — not read as a blank (B would get 100)."""
        sm = staff("A", "B")
        sm["kiem_tra"] = _typed([None, "abc"], "str")
        sm = sm.set_index("staff_id", drop=False)
        with pytest.raises(InputError) as err:
            apply(table(finding(staff_id="A")), sm, None, AGENCY)
        got = [(p.row, p.staff_id, p.column, p.value) for p in err.value.problems]
        assert got == [("B", "B", "kiem_tra", "abc")]

    @pytest.mark.parametrize(("column", "typed", "want"), [
        ("inspection_findings", "2", 2), ("inspection_findings", "1,0", 1),
        ("inspection_points", "1,5", 1.5)])  # fmt: skip
    def test_a_count_or_points_already_typed_on_a_row_not_reached_is_read(
        self, column: str, typed: str, want: float
    ) -> None:
        """B's own ``inspection_findings`` / ``inspection_points`` typed as text (an earlier
        run's output read back from a CSV) stay B's: "1,0" is 1 and "1,5" is 1.5. The old
        ``apply`` raised a bare ``ValueError`` ("Unable to parse string '1,0'")."""
        sm = staff("A", "B")
        sm[column] = _typed([None, typed], "str")
        s, _ = apply(table(finding(staff_id="A")), sm, None, ND335)
        assert s[column].tolist() == [1 if column == "inspection_findings" else 0.0, want]

    @pytest.mark.parametrize("column", ["inspection_findings", "inspection_points"])
    def test_a_bad_count_on_a_row_not_reached_is_an_input_problem(self, column: str) -> None:
        """"abc" (and, for the count, "1,5": not whole) in B's cell: an InputProblem with
        B's row, the column and the value, never a ValueError."""
        sm = staff("A", "B", "C")
        sm[column] = _typed([None, "abc", "1,5" if column == "inspection_findings" else None],
                            "str")  # fmt: skip
        with pytest.raises(InputError) as err:
            apply(table(finding(staff_id="A")), sm, None, ND335)
        got = [(p.row, p.staff_id, p.column, p.value) for p in err.value.problems]
        want = [(1, "B", column, "abc")] + ([(2, "C", column, "1,5")]
                                            if column == "inspection_findings" else [])
        assert got == want

    @pytest.mark.parametrize("dtype", TEXT)
    def test_a_units_deduction_typed_with_a_decimal_comma_is_kept(self, dtype: str) -> None:
        """Unit U has a serious finding: 3 points off its 10/10 tasks (100) → 97. Unit V, not
        reached, typed ``inspection_deduction`` = "1,5": 100 − 1.5 = 98.5, as without the
        findings. The old ``apply`` raised a bare ``ValueError``."""
        units = pd.DataFrame({"unit_id": ["U", "V"], "head_id": ["H", None],
                              "tasks_assigned": [10, 10], "tasks_done": [10, 10]})  # fmt: skip
        units["inspection_deduction"] = _typed([None, "1,5"], dtype)
        sm = pd.concat([staff("H", "A"), staff("B").assign(unit_id="V")], ignore_index=True)
        s, u = apply(table(finding(staff_id=None, unit_id="U", severity="serious")), sm, units,
                     AGENCY)  # fmt: skip
        _, ur = classify_frame(s, u, AGENCY)
        assert ur.set_index("unit_id")["score"].to_dict() == {"U": 97.0, "V": 98.5}
        _, plain = classify_frame(sm, units, AGENCY)
        assert plain.set_index("unit_id")["score"].to_dict()["V"] == 98.5

    def test_a_bad_units_deduction_is_an_input_problem_naming_the_unit(self) -> None:
        """"abc" in unit V's ``inspection_deduction`` (V not reached): refused naming V."""
        units = pd.DataFrame({"unit_id": ["U", "V"], "head_id": ["H", None]})
        units["inspection_deduction"] = _typed([None, "abc"], "str")
        sm = pd.concat([staff("H", "A"), staff("B").assign(unit_id="V")], ignore_index=True)
        with pytest.raises(InputError) as err:
            apply(table(finding(staff_id=None, unit_id="U")), sm, units, AGENCY)
        got = [(p.row, p.unit_id, p.column, p.value) for p in err.value.problems]
        assert got == [(1, "V", "inspection_deduction", "abc")]





@pytest.mark.parametrize("dtype", ["Float64", "string[python]"])
def test_a_nullable_column_with_a_blank_is_read_by_inspections(dtype: str) -> None:
    """``kiem_tra`` as a nullable column (``Float64`` from an HR system, ``string`` from
    ``read_csv(dtype="string")``) with B's 1.5 and A's cell blank (``pd.NA``): A's minor
    finding enters 1 point (100 − 1 = 99), B keeps 1.5 (98.5). The old check for a value
    already there raised "cannot convert to 'bool'-dtype NumPy array with missing values"."""
    sm = staff("A", "B")
    sm["kiem_tra"] = pd.Series([pd.NA, 1.5 if dtype == "Float64" else "1.5"], dtype=dtype)
    s, _ = apply(table(finding(staff_id="A")), sm, None, AGENCY)
    out, _ = classify_frame(s, pd.DataFrame({"unit_id": ["U"], "tasks_assigned": [10],
                                             "tasks_done": [10]}), AGENCY)  # fmt: skip
    assert out.set_index("staff_id")["total"].to_dict() == {"A": 99.0, "B": 98.5}


# =========================================================================== rule-change impact


class TestImpactReadsEveryDtype:
    """``evalkit.impact.compare_rule_sets`` (``evalkit rules diff --data``) takes the month's
    staff frame but read ``is_head`` and ``manages_others`` with ``astype(bool)`` ("không"
    is a non-empty text: yes) and ``kpi`` and the block fill's scores with
    ``pd.to_numeric(errors="coerce")`` ("95,5" a blank). Here NĐ 335/2025 (months scored,
    not classified) against the same set classifying the month, so that the quota of
    Điều 20 k5 a (HTXS at most 20 % of those rated HTT, floor) acts on the month."""

    NEW_SET = "agency.monthly"

    def _sets(self) -> tuple[Any, Any]:
        import attrs

        return ND335, attrs.evolve(ND335, id=self.NEW_SET, classified=("month", "year"))

    @pytest.mark.parametrize(("yes", "no", "dtype"), [
        ("có", "không", "str"), ("có", "không", "object"), ("True", "False", "str"),
        ("x", "0", "category"), (True, False, "boolean"), (1, 0, "int64")])  # fmt: skip
    def test_the_head_marked_in_words_is_the_head(self, yes: Any, no: Any, dtype: str) -> None:
        """Unit U (no units frame: its head is the one marked ``is_head``). General criteria
        full (30), task criteria a = b = c = x: 30 + 0.7 x. H, the head, leads with full
        marks: 100; S0 x = 99 → 99.3; S1 x = 95 → 96.5; S2–S6 x = 80 → 86 (HTT).
        Old: bands only, H, S0, S1 HTXS (≥ 90, Điều 20 k1). New: 5 HTT → 20 % × 5 = 1
        HTXS, the highest, H (100) keeps it; S0 and S1 go down to HTT. H is listed last,
        so that reading "không" as yes made S0 the head (and refused H's mark)."""
        old, new = self._sets()
        lead = {**ND335.full_marks(manages_others=True)}
        rows = [{"staff_id": f"S{i}", "unit_id": "U", "period": "2026-03",
                 **ND335.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"),
                                                       x), "manages_others": no, "is_head": no}
                for i, x in enumerate([99, 95, 80, 80, 80, 80, 80])]  # fmt: skip
        rows.append({"staff_id": "H", "unit_id": "U", "period": "2026-03", **lead,
                     "manages_others": yes, "is_head": yes})  # fmt: skip
        frame = pd.DataFrame(rows)
        for c in ("manages_others", "is_head"):
            frame[c] = _typed(frame[c].tolist(), dtype)
        report = compare_rule_sets(old, new, frame, level="period")
        got = report.changes[["staff_id", "old_total", "old_grade", "new_grade"]]
        assert got.astype(object).values.tolist() == [["S0", 99.3, "HTXS", "HTT"],
                                                      ["S1", 96.5, "HTXS", "HTT"]]
        assert report.population == 8

    @pytest.mark.parametrize("dtype", ["str", "object", "string[python]"])
    def test_a_kpi_typed_with_a_decimal_comma_stands_for_the_task_block(self, dtype: str) -> None:
        """No task criteria typed; ``kpi`` stands for the task block (the preset's ``kpi =
        true``): 30 + 0.7 × kpi. S0 "100" → 100; S1 "95,5" → 30 + 66.85 = 96.85; S2–S6 "80"
        → 86 (HTT). New: 5 HTT → 1 HTXS, S0 keeps it, S1 goes down. The old reader took
        "95,5" for no KPI and refused the frame for lacking so_luong, chat_luong, tien_do."""
        old, new = self._sets()
        general = {k: v for k, v in ND335.full_marks().items()
                   if k not in ("so_luong", "chat_luong", "tien_do")}  # fmt: skip
        frame = pd.DataFrame([{"staff_id": f"S{i}", "unit_id": "U", "period": "2026-03",
                               **general} for i in range(7)])  # fmt: skip
        frame["kpi"] = _typed(["100", "95,5", "80", "80", "80", "80", "80"], dtype)
        report = compare_rule_sets(old, new, frame, level="period")
        got = report.changes[["staff_id", "old_total", "old_grade", "new_grade"]]
        assert got.astype(object).values.tolist() == [["S1", 96.85, "HTXS", "HTT"]]

    def test_the_demo_typed_as_text_gives_the_same_report(self) -> None:
        """The demo's staff-months with every float written as text with a decimal comma
        and every yes/no as "có"/"không" (pandas ``str``): NĐ 90/2020 → NĐ 335/2025 (the
        general criteria filled from the ``general`` block's share, the demo's fill map)
        gives the report of the numeric frame. The old block fill read "4,5" as a blank:
        1172 "criterion has no score" problems."""
        from evalkit.impact import demo_data

        data = demo_data()
        sm = data.staff_months
        text = sm.copy()
        for c in sm.columns:
            if pd.api.types.is_float_dtype(sm[c]):
                text[c] = _typed([None if pd.isna(x) else (
                    str(int(x)) if float(x).is_integer() else repr(float(x))).replace(".", ",")
                    for x in sm[c]], "str")  # fmt: skip
            elif sm[c].dtype == bool:
                text[c] = _typed(["có" if x else "không" for x in sm[c]], "str")

        def report(frame: pd.DataFrame) -> list[Any]:
            r = compare_rule_sets("vn.nd90-2020", "vn.nd335-2025", frame, data.units,
                                  fill=data.fill, level="period")  # fmt: skip
            return [r.changes.astype(str).values.tolist(),
                    r.distribution.astype(str).values.tolist(), r.population, r.notes]

        want = report(sm)
        assert want[0], "the comparison changes someone's grade"
        assert report(text) == want


# =========================================================================== render


class TestRenderReadsResultsReadBackAsText:
    """A results file read back with ``dtype=str`` (the documented way to keep an id
    ``007``: tests/test_year_dtypes.py) holds ``"False"`` in ``classified`` and
    ``quota_raised``; ``render`` read them with ``bool(...)``/``astype(bool)``, under which
    every non-empty text is yes.

    Phòng A (head H, a leader with full marks: 100), six công chức with full general
    criteria (30) and a = b = c = x: S0 x = 99 → 99.3, S1–S5 x = 80 → 86 (HTT); January to
    March 2026 under NĐ 335/2025, 10 of 10 tasks done (the unit 100).

    * A month under NĐ 335 is scored, not classified (Điều 21: the year is): the unit's
      month is not a classification (``classified`` False), on the unit summary and the
      overview alike.
    * The year: the unit is not recognised as especially outstanding, so the quota is
      20 % of those rated HTT (Điều 20 k5 a), never the raised 25 % (k5 b): 6 HTT → 1
      HTXS, H (100) keeps it and S0 (99.3) is demoted; ``quota_raised`` False.
    """

    @staticmethod
    def _month_and_year() -> tuple[Any, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        from evalkit import Organisation, Position, Staff, Unit
        from evalkit.units import classify_year

        org = Organisation(
            units=[Unit("U", "Phòng A", head_id="H")],
            positions=[Position("P", "Chuyên viên"),
                       Position("TP", "Trưởng phòng", manages_others=True)],
            staff=[Staff("H", "Trần Thị Hoa", "TP", "U"),
                   *(Staff(f"S{i}", f"Người {i}", "P", "U") for i in range(6))])  # fmt: skip
        months = ("2026-01", "2026-02", "2026-03")
        rows = []
        for m in months:
            rows.append({"staff_id": "H", "unit_id": "U", "period": m, "manages_others": True,
                         **ND335.full_marks(manages_others=True)})  # fmt: skip
            rows += [{"staff_id": f"S{i}", "unit_id": "U", "period": m, **ND335.full_marks(),
                      **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), x)}
                     for i, x in enumerate([99, 80, 80, 80, 80, 80])]  # fmt: skip
        units = pd.DataFrame({"unit_id": "U", "period": list(months), "head_id": "H",
                              "tasks_assigned": 10, "tasks_done": 10})  # fmt: skip
        st, ut = classify_frame(pd.DataFrame(rows), units, ND335)
        year = classify_year(st, ut, ND335)
        march = (st["period"].astype(str) == "2026-03").to_numpy()
        umarch = (ut["period"].astype(str) == "2026-03").to_numpy()
        return org, st[march], ut[umarch], year

    @staticmethod
    def _as_text(frame: pd.DataFrame, tmp: Any) -> pd.DataFrame:
        from evalkit.io.results import write_results_csv

        write_results_csv(frame, tmp / "r.csv")
        return pd.read_csv(tmp / "r.csv", dtype=str)

    def test_a_month_read_back_as_text_is_not_said_classified(self, tmp_path: Any) -> None:
        from evalkit.render import Agency, OrganisationOverview, summaries_from_results

        org, st, ut, _ = self._month_and_year()
        agency = Agency("Sở Nội vụ", place="Thanh Hóa")
        for s, u in ((st, ut), (self._as_text(st, tmp_path), self._as_text(ut, tmp_path))):
            [summary] = summaries_from_results(s, u, org=org, agency=agency)
            assert summary.facts is not None and summary.facts.classified is False
            [row] = OrganisationOverview.from_frame(s, organisation=org, rules=ND335,
                                                    agency=agency, unit_results=u).rows
            assert row.classified is False

    def test_a_year_read_back_as_text_keeps_the_quota_at_20_percent(self, tmp_path: Any) -> None:
        from evalkit.render import Agency, OrganisationOverview, summaries_from_results

        org, _, _, year = self._month_and_year()
        assert year.set_index("staff_id")["grade"].astype(str).to_dict() == {
            "H": "HTXS", "S0": "HTT", **{f"S{i}": "HTT" for i in range(1, 6)}}
        agency = Agency("Sở Nội vụ", place="Thanh Hóa")
        for y in (year, self._as_text(year, tmp_path)):
            [summary] = summaries_from_results(y, org=org, agency=agency)
            assert summary.quota is not None
            assert (summary.quota.percent, summary.quota.raised) == (20.0, False)
            [row] = OrganisationOverview.from_frame(y, organisation=org, rules=ND335,
                                                    agency=agency).rows
            assert row.quota_raised is False

    def test_the_years_units_name_the_marked_head_of_a_year_read_back_as_text(
        self, tmp_path: Any
    ) -> None:
        """``evalkit.workflow.year_units`` (the units of the year's summaries, who signs
        each): H is marked ``is_head``; read back as text the others hold "False", which
        ``astype(bool)`` made a head too — the first row's person (S0, listed first here)
        signed Phòng A's summary."""
        from evalkit.workflow import year_units

        _, _, _, year = self._month_and_year()
        year = year.assign(is_head=year["staff_id"].eq("H"))
        year = pd.concat([year.iloc[1:], year.iloc[:1]], ignore_index=True)  # H last
        for y in (year, self._as_text(year, tmp_path)):
            assert year_units(y)[["unit_id", "head_id"]].values.tolist() == [["U", "H"]]

    @pytest.mark.parametrize("as_text", [False, True])
    def test_totals_with_a_decimal_comma_are_counted_once_on_the_overview(
        self, tmp_path: Any, as_text: bool
    ) -> None:
        """March's totals written with the decimal comma ("99,3", "86,0": a CSV saved by a
        vi-VN spreadsheet): the seven people are counted by their grades (H, S0 at 100 and
        99.3: HTXS — NĐ 335 bands, Điều 20 k1; S1–S5 at 86: HTT), none "not evaluated". The
        old overview read "86,0" as no total and counted all seven again as not evaluated.
        With H's grade blanked (a total and no grade), H is *không xếp loại*, not
        unevaluated."""
        from evalkit import Grade
        from evalkit.render import Agency, OrganisationOverview

        org, st, ut, _ = self._month_and_year()
        if as_text:
            st, ut = self._as_text(st, tmp_path), self._as_text(ut, tmp_path)
        st = st.assign(total=[f"{float(x):.1f}".replace(".", ",") for x in st["total"]])
        agency = Agency("Sở Nội vụ", place="Thanh Hóa")
        [row] = OrganisationOverview.from_frame(st, organisation=org, rules=ND335,
                                                agency=agency, unit_results=ut).rows
        assert (row.not_evaluated, row.not_classified) == (0, 0)
        assert (row.counts[Grade.HTXS], row.counts[Grade.HTT]) == (2, 5)
        no_grade = st.copy()
        no_grade["grade"] = no_grade["grade"].astype(object)
        no_grade.loc[(no_grade["staff_id"] == "H").to_numpy(), "grade"] = None
        [row] = OrganisationOverview.from_frame(no_grade, organisation=org, rules=ND335,
                                                agency=agency, unit_results=ut).rows
        assert (row.not_evaluated, row.not_classified) == (0, 1)
        assert (row.counts[Grade.HTXS], row.counts[Grade.HTT]) == (1, 5)


def test_the_demo_year_written_and_read_back_as_text_is_read(tmp_path: Any) -> None:
    """The demo's year written by ``write_results_csv`` and read back with ``dtype=str``
    (every cell text, the way tests/test_year_dtypes.py keeps an id ``007``) gives the
    same results through ``results_from_frame`` (totals and grades)."""
    from evalkit.demo import classify_demo
    from evalkit.io.results import write_results_csv
    from evalkit.units import results_from_frame

    year = classify_demo().year
    write_results_csv(year, tmp_path / "nam.csv")
    back = pd.read_csv(tmp_path / "nam.csv", dtype=str)
    got = [(r.staff_id, r.total, r.grade) for r in results_from_frame(back)]
    assert got == [(r.staff_id, r.total, r.grade) for r in results_from_frame(year)]


# =========================================================================== properties

_FEW = max(3, settings.default.max_examples // 10)
_YES_NO = {"bool": (True, False), "boolean": (True, False), "0-1": (1, 0), "x-blank": ("x", ""),
           "có-không": ("có", "không"), "True-False": ("True", "False")}  # fmt: skip


def _yes_no(truth: list[bool], rep: str, text: str) -> pd.Series:
    yes, no = _YES_NO[rep]
    values = [yes if t else no for t in truth]
    if rep in ("bool", "boolean", "0-1"):
        return pd.Series(values, dtype={"bool": "bool", "boolean": "boolean",
                                        "0-1": "int64"}[rep])  # fmt: skip
    return _typed(values, text)


@settings(max_examples=max(5, settings.default.max_examples // 3), deadline=None)
@given(declared=st.lists(st.booleans(), min_size=5, max_size=5),
       council=st.lists(st.one_of(st.none(), st.sampled_from([79.5, 85.0, 89.99, 90.0, 100.0])),
                        min_size=5, max_size=5),
       rep=st.sampled_from(list(_YES_NO)), text=st.sampled_from(TEXT),
       comma=st.booleans())  # fmt: skip
def test_public_service_unit_and_council_score_read_alike_in_every_dtype(
    declared: list[bool], council: list[float | None], rep: str, text: str, comma: bool
) -> None:
    """NĐ 233/2026 Điều 12 k6: the units of tests/test_quota_public_service_unit.py (two
    hospitals, a khoa, a tổ) with any of them declared a public service unit and any given
    an appraisal council's score (which counts instead of the computed one, docs/units.md):
    the declaration as bool / nullable boolean / 0-1 / "x" / "có"-"không" / "True"-"False"
    (text as object, ``str``, ``string``, category) and the council's score as text (a
    decimal comma too) give the staff grades, quota percents and unit grades of the plain
    frame. Both columns were outside tests/test_units_dtypes.py's representations."""
    import attrs

    import evalkit.rules
    from tests.test_quota_public_service_unit import EXCEEDED, PERIOD, TWO_LEVEL, _marks, people

    rs = attrs.evolve(evalkit.rules.get("vn.nd233-2026"), id="t.af131-month",
                      classified=("month", "year"))  # fmt: skip
    staff_rows = pd.DataFrame([{"staff_id": s, "unit_id": u, "period": PERIOD,
                                "category": "vien_chuc", **_marks(rs, x)}
                               for s, (u, x) in people(TWO_LEVEL).items()])  # fmt: skip
    plain = pd.DataFrame([{"unit_id": u, "parent_id": par, "period": PERIOD,
                           "tasks_assigned": 10, "tasks_done": d, "tasks_exceeded": EXCEEDED}
                          for u, (par, d, _) in TWO_LEVEL.items()])  # fmt: skip
    plain["public_service_unit"] = pd.Series(declared, dtype=bool)
    plain["council_score"] = pd.Series(council, dtype="float64")
    typed = plain.copy()
    typed["public_service_unit"] = _yes_no(declared, rep, text)
    typed["council_score"] = _typed([None if c is None else (
        repr(c).replace(".", ",") if comma else repr(c)) for c in council], text)

    def outcome(units: pd.DataFrame) -> list[Any]:
        st_, ut = classify_frame(staff_rows, units, rs)
        return [st_[["staff_id", "grade", "quota_percent", "reasons"]].astype(str).values.tolist(),
                ut[["unit_id", "score", "grade", "reasons"]].astype(str).values.tolist()]

    assert outcome(typed) == outcome(plain)


@settings(max_examples=_FEW, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), how=st.sampled_from(["text", "csv", "excel"]))
def test_render_doors_read_results_read_back_alike(data: st.DataObject, how: str) -> None:
    """Random organisations' months and year (NĐ 335, NĐ 233, customs, Hà Nội) written by
    evalkit's writers and read back (every cell text; pandas' defaults; Excel): the
    overview, the unit summaries and the year's units (who signs) are those of the frames
    as the engine returned them. (The points columns are left out.)"""
    import tempfile
    from pathlib import Path

    import attrs

    import evalkit.rules
    from evalkit.io.results import write_results_csv, write_results_xlsx
    from evalkit.render import Agency, OrganisationOverview, summaries_from_results
    from evalkit.units import classify_year
    from evalkit.workflow import year_units

    sets = {"vn.nd335-2025": [f"2026-{m:02d}" for m in range(1, 13)],
            "vn.nd233-2026": [f"2026-{m:02d}" for m in range(7, 13)],
            "vn.customs-2026q": [f"2026-{m:02d}" for m in range(7, 13)],
            "hanoi.3814-2018": [f"2026-{m:02d}" for m in range(1, 13)]}  # fmt: skip
    name = data.draw(st.sampled_from(list(sets)))
    rs = evalkit.rules.get(name)
    org, months = data.draw(organisation_periods(rs, sets[name], max_units=3,
                                                 max_staff_per_unit=3, max_periods=3,
                                                 extras=True))  # fmt: skip
    parts = [classify_frame(s, u, rs) for s, u in months]
    sr = pd.concat([p[0] for p in parts], ignore_index=True)
    ur = pd.concat([p[1] for p in parts], ignore_index=True)
    year = classify_year(sr, ur, name)
    agency = Agency("Sở Nội vụ", place="Thanh Hóa")

    def back(frame: pd.DataFrame) -> pd.DataFrame:
        path = Path(tempfile.mkdtemp()) / "r"
        if how == "excel":
            write_results_xlsx(frame, path)
            got = pd.read_excel(path)
        else:
            write_results_csv(frame, path)
            got = pd.read_csv(path, **({"dtype": str} if how == "text" else {}))
        return got.drop(columns=[c for c in got.columns if str(c).startswith("Unnamed")])

    def said(obj: Any) -> str:
        return repr(attrs.asdict(obj, recurse=True))

    for whole, u in ((sr, ur), (year, None)):
        s = whole.drop(columns=[c for c in whole.columns if str(c).startswith("points_")])
        s2, u2 = back(s), None if u is None else back(u)
        for per in sorted(set(s["period"].astype(str))):
            assert said(OrganisationOverview.from_frame(
                s2, organisation=org, rules=rs, agency=agency, unit_results=u2, period=per)) \
                == said(OrganisationOverview.from_frame(
                    s, organisation=org, rules=rs, agency=agency, unit_results=u, period=per))
        assert [said(x) for x in summaries_from_results(s2, u2, org=org, agency=agency)] \
            == [said(x) for x in summaries_from_results(s, u, org=org, agency=agency)]
    assert year_units(back(year)).astype(str).values.tolist() \
        == year_units(year).astype(str).values.tolist()


# =========================================================================== products


@pytest.mark.parametrize("dtype", TEXT)
def test_a_product_table_reads_a_decimal_comma_as_every_door(dtype: str) -> None:
    """``evalkit.products.task_components`` (NĐ 335/2025 Điều 14: a = products done /
    assigned, converted): A was assigned 4 + 2 products and did 4 + 1,5 — "1,5" as a
    Vietnamese sheet writes 1.5 —, one error on the first. By hand, as the numeric table
    gives it: a = 5.5 / 6 = 91.67 %. The old reader refused "1,5" ("is not a number")."""
    from evalkit.products import task_components

    table_ = pd.DataFrame({"staff_id": ["A", "A"], "period": ["2026-03"] * 2,
                           "errors": [1, 0]})  # fmt: skip
    table_["quantity"] = _typed(["4", "2"], dtype)
    table_["done"] = _typed(["4", "1,5"], dtype)
    numeric = table_.assign(quantity=[4, 2], done=[4.0, 1.5])
    got = task_components(table_, "vn.nd335-2025")
    assert got["so_luong"].round(2).tolist() == [91.67]
    cols = ["so_luong", "chat_luong", "tien_do"]
    assert got[cols].values.tolist() == task_components(numeric, "vn.nd335-2025")[cols].values.tolist()
    bad = table_.assign(done=_typed(["4", "abc"], dtype))
    with pytest.raises(InputError) as err:
        task_components(bad, "vn.nd335-2025")
    assert [(p.row, p.column, p.value) for p in err.value.problems] == [(1, "done", "abc")]


@pytest.mark.parametrize("dtype", TEXT)
def test_a_task_table_reads_a_decimal_comma_as_every_door(dtype: str) -> None:
    """``evalkit.io.tasks.task_components`` (the tasks sheet, per product): A has two tasks
    of March, one done (quantity 3, coefficient "1,0") and one not (quantity 1, coefficient
    "2,5" — 2.5 with the decimal comma). The table's docstring works it with numbers:
    so_luong 54.55; the same table typed as text must give the same. The old reader refused
    "2,5" and "1,0"."""
    from evalkit.io.tasks import task_components as tasks_summary

    t = pd.DataFrame({"assignee": ["A", "A"], "assigned": ["2026-03-01"] * 2,
                      "due": ["2026-03-10", "2026-03-20"], "done": ["2026-03-09", None]})
    numeric = t.assign(quantity=[3, 1], coefficient=[1.0, 2.5])
    typed = t.assign(quantity=_typed(["3", "1"], dtype), coefficient=_typed(["1,0", "2,5"], dtype))
    want = tasks_summary(numeric).people
    got = tasks_summary(typed).people
    assert round(float(got.loc[("A", "2026-03"), "so_luong"]), 2) == 54.55
    assert got.astype(str).values.tolist() == want.astype(str).values.tolist()
    with pytest.raises(InputError) as err:
        tasks_summary(t.assign(quantity=_typed(["3", "abc"], dtype), coefficient=1.0))
    assert [(p.row, p.column, p.value) for p in err.value.problems][:1] == [(1, "quantity", "abc")]


@pytest.mark.parametrize("typed", ["0,0", "0", 0.0, "False", "không", None])
def test_a_zero_or_no_already_typed_where_a_finding_lands_is_not_a_value(typed: Any) -> None:
    """A's ``inspection_findings`` holds a zero (any spelling: "0,0" with the decimal comma)
    or a no, and a finding lands on A: nothing is counted twice (0 + 1 finding = 1); the
    old check took "0,0" for a value already there and refused the frame."""
    sm = staff("A", "B")
    sm["inspection_findings"] = pd.Series([typed, None], dtype=object)
    s, _ = apply(table(finding(staff_id="A")), sm, None, ND335)
    assert s["inspection_findings"].tolist() == [1, 0]


@pytest.mark.parametrize(("yes", "no"), [("x", ""), ("Có", "Không"), ("Đúng", "Sai"),
                                         ("True", "False"), ("1,0", "0")])  # fmt: skip
@pytest.mark.parametrize("nfd", [False, True])
def test_a_task_tables_exceeded_mark_reads_every_yes_no(yes: str, no: str, nfd: bool) -> None:
    """The task table's ``exceeded`` mark (a task done beyond its target) in the words every
    door reads (evalkit._words: "có", "đúng", "true", 1 / "không", "sai", "false", 0), also
    as a keyboard may send them decomposed (NFD): the same summary as "x" / blank. The old
    reader had its own word list: "Đúng", "Sai", "1,0" and an NFD "Có" were refused."""
    import unicodedata

    from evalkit.io.tasks import task_components as tasks_summary

    def t(y: str, n: str) -> pd.DataFrame:
        return pd.DataFrame({"assignee": ["A", "A"], "unit_id": ["U", "U"],
                             "assigned": ["2026-03-01"] * 2, "due": ["2026-03-10"] * 2,
                             "done": ["2026-03-09", "2026-03-09"], "exceeded": [y, n]})

    form = (lambda w: unicodedata.normalize("NFD", w)) if nfd else (lambda w: w)
    got = tasks_summary(t(form(yes), form(no)))
    want = tasks_summary(t("x", ""))
    for a, b in ((got.people, want.people), (got.units, want.units)):
        assert a.astype(str).values.tolist() == b.astype(str).values.tolist()
