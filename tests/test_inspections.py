"""Inspections of public duty feed the evaluation (issue 17 point 2; seeds 000 and 003)."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit import inspections
from evalkit.errors import InputError, ModelError, RuleSetError
from evalkit.inspections import Finding, apply, effects, findings_frame
from evalkit.io.inspections import read_inspections
from evalkit.reasons import explain
from evalkit.rules import InspectionPolicy, RuleSet, parse_rule_set

ROOT = Path(__file__).resolve().parent.parent
ND335 = evalkit.rules.get("vn.nd335-2025")
TOP = ND335.full_marks()
P = "2026-03"
NOTICE_VI = "Kết quả kiểm tra công vụ có kiến nghị: đề nghị cấp có thẩm quyền xem xét"
AGENCY_SOURCE = "Quy chế đánh giá của cơ quan, Điều 9"


def agency(**inspections_table: Any) -> RuleSet:
    """NĐ 335 plus an agency's own deduction block 'tru' reading criterion 'kiem_tra' (max 10)
    and an ``[inspections]`` table (points 1 / 2 / 5 per finding, 3 per serious unit finding)."""
    data = tomllib.loads(Path(str(ND335.path)).read_text(encoding="utf-8"))
    data.update(id="agency.kiem-tra", jurisdiction="vn.agency-test")
    data["groups"].append({"id": "tru", "label_vi": "Điểm trừ", "criteria": [
        {"id": "kiem_tra", "label_vi": "Kiểm tra công vụ", "max": 10}]})
    data["blocks"].append({"id": "tru", "block": "deduction", "label_vi": "Điểm trừ",
                           "inputs": ["kiem_tra"], "points": 10, "cap": 10,
                           "source": "Quy chế cơ quan"})  # fmt: skip
    table = {"criterion": "kiem_tra", "points": {"minor": 1, "moderate": 2, "serious": 5},
             "unit_points": {"serious": 3}, "source": AGENCY_SOURCE}  # fmt: skip
    table.update(inspections_table)
    data["inspections"] = {k: v for k, v in table.items() if v is not None}
    return parse_rule_set(data)


AGENCY = agency()
HEAD_MARKS = {"to_chuc_trien_khai": 100.0, "tap_hop_doan_ket": 100.0}


def staff(*ids: str, period: str = P, **extra: Any) -> pd.DataFrame:
    """Staff-months of unit U with full marks under NĐ 335; H heads U (a management post,
    Điều 15: đ and e typed, d computed)."""
    return pd.DataFrame([{"staff_id": s, "unit_id": "U", "period": period,
                          "category": "cong_chuc", **TOP, **(HEAD_MARKS if s == "H" else {}),
                          **extra} for s in ids])  # fmt: skip


UNITS = pd.DataFrame({"unit_id": ["U"], "head_id": ["H"], "tasks_assigned": [10],
                      "tasks_done": [10]})  # fmt: skip
#: H, U's head, has no row in the months of A alone: absent, not unknown (classify_frame)
ABSENT = ["H"]


def finding(**kw: Any) -> dict[str, Any]:
    """One row of a findings table (a minor finding on A by default)."""
    row = {"inspected_on": "2026-03-12", "inspector": "Sở Nội vụ", "staff_id": "A",
           "unit_id": None, "finding": "Đi muộn 3 buổi", "severity": "minor",
           "decision_ref": "15/TB-SNV"}  # fmt: skip
    row.update(kw)
    return row


def table(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), dtype=object)


def plain(frame: pd.DataFrame) -> list[list[Any]]:
    """Rows as lists, a blank cell (None or NaN, as a file gives it back) as None."""
    return frame.astype(object).where(frame.notna(), None).values.tolist()


def messages(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


# =========================================================================== the table


class TestFindingsTable:
    """A findings table is checked like every other input (issue 17: validated)."""

    def test_dates_and_severities_are_read_in_every_written_form(self) -> None:
        """dd/mm/yyyy, ISO, datetime and Timestamp; English, Vietnamese (any accents) or 1-3."""
        t = table(finding(inspected_on="12/03/2026", severity="nhẹ"),
                  finding(inspected_on="2026-03-13", severity="Nghiem Trong"),
                  finding(inspected_on=dt.datetime(2026, 3, 14, 9, 30), severity=2),
                  finding(inspected_on=pd.Timestamp("2026-03-15"), severity="MODERATE"))
        out = findings_frame(t)
        assert out["inspected_on"].tolist() == ["2026-03-12", "2026-03-13", "2026-03-14",
                                                "2026-03-15"]  # fmt: skip
        assert out["severity"].tolist() == ["minor", "serious", "moderate", "moderate"]
        assert out["discipline"].tolist() == [0, 0, 0, 0]

    def test_every_bad_cell_is_reported_at_once_with_file_row_and_column(self) -> None:
        """Five bad cells in three rows: five located problems, in row order."""
        t = table(finding(inspected_on="31/02/2026"),
                  finding(severity="grave", inspector=" "),
                  finding(staff_id=None, discipline="phạt tiền", inspected_on="9999-01-01"))
        with pytest.raises(InputError) as exc:
            findings_frame(t, file="kiem-tra.csv", row_offset=2)
        assert [(p.row, p.column, p.value) for p in exc.value.problems] == [
            (2, "inspected_on", "31/02/2026"),
            (3, "inspector", " "),
            (3, "severity", "grave"),
            (4, "inspected_on", "9999-01-01"),
            (4, "staff_id", None),
            (4, "discipline", "phạt tiền"),
        ]
        assert messages(exc)[0] == ("kiem-tra.csv, row 2, staff 'A', column 'inspected_on', "
                                    "value '31/02/2026': is not a date of the calendar")
        assert exc.value.problems[4].message == ("a finding is about a person (staff_id) or a "
                                                 "unit (unit_id): give one")  # fmt: skip

    def test_missing_required_columns_are_each_named(self) -> None:
        """A table without severity and decision_ref names both."""
        t = table(finding()).drop(columns=["severity", "decision_ref"])
        with pytest.raises(InputError) as exc:
            findings_frame(t)
        assert {p.column for p in exc.value.problems} == {"severity", "decision_ref"}

    def test_finding_objects_give_the_same_table(self) -> None:
        """The object face and the frame face read the same finding the same way."""
        obj = Finding("2026-03-12", "Sở Nội vụ", "Đi muộn 3 buổi", "nhẹ", "15/TB-SNV",
                      staff_id="A", discipline="Khiển trách")
        frame = findings_frame(table(finding(discipline="Khiển trách")))
        from_obj = findings_frame([obj])
        pd.testing.assert_frame_equal(from_obj.reset_index(drop=True),
                                      frame.reset_index(drop=True), check_dtype=False)  # fmt: skip

    @pytest.mark.parametrize(("kw", "message"), [
        ({"severity": "grave"}, "severity 'grave': is not an accepted value; accepted: 1 = "
         "minor, nhẹ; 2 = moderate, trung bình; 3 = serious, nghiêm trọng"),
        ({"severity": ""}, "severity of a finding is blank"),
        ({"staff_id": None}, "a finding is about a person (staff_id) or a unit (unit_id)"),
        ({"decision_ref": " "}, "decision_ref of a finding is blank"),
        ({"inspected_on": "2026-13-01"}, "inspected_on '2026-13-01' is not a date"),
        ({"discipline": 9}, "discipline 9: is not a discipline level 0 to 5"),
    ])  # fmt: skip
    def test_a_bad_finding_object_is_refused(self, kw: dict[str, Any], message: str) -> None:
        """Finding refuses what the table refuses."""
        args = {"inspected_on": "2026-03-12", "inspector": "Sở Nội vụ", "finding": "x",
                "severity": "minor", "decision_ref": "1", "staff_id": "A", **kw}  # fmt: skip
        with pytest.raises(ModelError) as exc:
            Finding(**args)
        assert str(exc.value).startswith(message)


# =========================================================================== periods


class TestPeriods:
    """A finding counts in the period its date falls in (the month, or the quarter)."""

    def test_a_finding_lands_in_the_month_of_its_date(self) -> None:
        """31 March counts in March, 1 April in April."""
        sm = pd.concat([staff("A"), staff("A", period="2026-04")], ignore_index=True)
        t = table(finding(inspected_on="2026-03-31", decision_ref="1"),
                  finding(inspected_on="2026-04-01", decision_ref="2"))
        out, _ = apply(t, sm, UNITS)
        assert out["inspection_refs"].tolist() == ["1", "2"]
        assert effects(t, sm, UNITS)["period"].tolist() == ["2026-03", "2026-04"]

    def test_a_quarterly_frame_takes_the_quarter_of_the_date(self) -> None:
        """Under the customs quarterly rule set 3 August counts in 2026-Q3."""
        rs = evalkit.rules.get("vn.customs-2026q")
        sm = pd.DataFrame([{"staff_id": "A", "unit_id": "U", "period": "2026-Q3",
                            **rs.full_marks()}])  # fmt: skip
        e = effects(table(finding(inspected_on="03/08/2026")), sm, UNITS, rs)
        assert (e["period"].iloc[0], e["rule_set"].iloc[0]) == ("2026-Q3", rs.id)

    def test_a_date_outside_every_period_of_the_person_is_refused(self) -> None:
        """A May finding for someone evaluated in March and April names both periods."""
        sm = pd.concat([staff("A"), staff("A", period="2026-04")], ignore_index=True)
        with pytest.raises(InputError) as exc:
            apply(table(finding(inspected_on="2026-05-02")), sm, UNITS)
        assert messages(exc) == ["row 0, staff 'A', column 'inspected_on', value '2026-05-02': "
                                 "falls in no period of staff 'A' in the staff-period frame "
                                 "(2026-03, 2026-04)"]  # fmt: skip

    def test_unknown_people_and_units_are_refused_with_the_close_matches(self) -> None:
        """'CC-01' for 'CC-1' and 'PhongA' for 'Phong_A' are named with a suggestion."""
        sm = staff("CC-1").assign(unit_id="Phong_A")
        units = pd.DataFrame({"unit_id": ["Phong_A"], "head_id": [None]})
        t = table(finding(staff_id="CC-01"), finding(staff_id=None, unit_id="PhongA"))
        with pytest.raises(InputError) as exc:
            apply(t, sm, units)
        assert [p.message for p in exc.value.problems] == [
            "unknown staff 'CC-01': nobody has that id in the staff-period frame; "
            "did you mean 'CC-1'?",
            "unknown unit 'PhongA': no unit has that id in the units frame; did you mean "
            "'Phong_A'?",
        ]

    def test_a_finding_on_a_person_that_names_another_unit_is_refused(self) -> None:
        """The person's unit that period is checked against the finding's unit."""
        with pytest.raises(InputError, match="staff 'A' is in unit 'U' in 2026-03, not in 'V'"):
            apply(table(finding(unit_id="V")), staff("A"), UNITS)

    def test_a_finding_on_a_unit_needs_the_units_frame(self) -> None:
        """Without units the finding cannot land anywhere: a problem, not a silent loss."""
        with pytest.raises(InputError, match="a finding on a unit needs the units frame"):
            apply(table(finding(staff_id=None, unit_id="U")), staff("A"), None)


# =========================================================================== NĐ 335


class TestUnderNd335:
    """NĐ 335/2025 is 30 + 70 points with no deduction: a finding is a notice."""

    def test_a_finding_is_a_notice_for_the_competent_level_and_never_points(self) -> None:
        """Total 100 stays 100; the sheet says the competent level is to consider it."""
        s, u = apply(table(finding(severity="serious")), staff("A", "B"), UNITS)
        assert s["inspection_findings"].tolist() == [1, 0]
        assert s["inspection_points"].tolist() == [0.0, 0.0]
        res, _ = evalkit.classify_frame(s, u, known_staff=ABSENT)
        assert res["total"].tolist() == [100.0, 100.0]
        assert res["reasons"].tolist() == ["inspection.notice", ""]
        sentences = explain(res)
        # without an [inspections] table the citation is the rule set's units source: NĐ
        # 335's cites no article (status practice), so the sentence cites nothing
        assert (ND335.units.source, sentences[0][-1]) == ("", NOTICE_VI)
        assert effects(table(finding(severity="serious")), staff("A"), UNITS)["effect"].tolist() \
            == ["notice"]

    def test_no_preset_deducts_points_for_a_finding(self) -> None:
        """Unsourced defaults are off: every preset notifies and deducts nothing."""
        for rs in evalkit.rules.available():
            assert (rs.inspections.criterion, dict(rs.inspections.unit_points),
                    rs.inspections.notice) == (None, {}, True), rs.id  # fmt: skip

    def test_a_discipline_that_followed_makes_the_year_kht(self) -> None:
        """NĐ 335 Điều 20 k4 c: disciplined (reprimand) after a finding in March → KHT year."""
        months = pd.concat([staff("A", period=f"2026-{m:02d}") for m in range(1, 13)],
                           ignore_index=True)  # fmt: skip
        t = table(finding(severity="serious", discipline="Khiển trách"))
        s, u = apply(t, months, UNITS)
        assert s["discipline"].tolist() == [0, 0, 1] + [0] * 9
        res, ures = evalkit.classify_frame(s, u, known_staff=ABSENT)
        assert res["classified"].tolist() == [False] * 12  # months are not classified
        assert "disqualifier.discipline" in res["reasons"].iloc[2]
        year = evalkit.classify_year(res, ures)  # the results keep the input flags
        assert (year["total"].iloc[0], year["grade"].iloc[0]) == (100.0, "KHT")
        assert year["reasons"].iloc[0] == ("rollup.average;disqualifier.discipline;"
                                           "inspection.notice")  # fmt: skip
        assert effects(t, months, UNITS)["effect"].tolist() == ["discipline"]

    def test_the_heavier_discipline_is_kept_and_counts_as_related_to_duty(self) -> None:
        """Warning (2) already there beats a reprimand (1); a demotion (3) beats nothing."""
        sm = staff("A", "B", "C").assign(discipline=["Cảnh cáo", 0, 1],
                                          discipline_related_to_duty=[True, True, False])
        t = table(finding(staff_id="A", discipline=1), finding(staff_id="B", discipline=3),
                  finding(staff_id="C", discipline=1))
        s, _ = apply(t, sm, UNITS)
        assert s["discipline"].tolist() == [2, 3, 1]
        assert s["discipline_related_to_duty"].tolist() == [True, True, True]

    def test_a_discipline_after_a_finding_on_a_unit_marks_the_unit_disciplined(self) -> None:
        """QĐ 366-QĐ/TW Điều 11 k1: the parent of a disciplined unit is not HTXS."""
        units = pd.DataFrame({"unit_id": ["P", "U"], "parent_id": [None, "P"],
                              "head_id": [None, None]})  # fmt: skip
        _, u = apply(table(finding(staff_id=None, unit_id="U", discipline=1)), staff("A"), units)
        assert u["disciplined"].tolist() == [False, True]


# =========================================================================== deductions


class TestWhereTheRuleSetDeducts:
    """An agency's rule file that declares a deduction: points by severity, cited."""

    def test_points_by_severity_go_to_the_declared_deduction_block(self) -> None:
        """A minor (1) and a serious (5) finding: 6 points off, 100 → 94, with the reason."""
        t = table(finding(severity="minor", decision_ref="15/TB-SNV"),
                  finding(severity="serious", decision_ref="07/KL-TTr", inspected_on="2026-03-20"))
        s, u = apply(t, staff("A", "B"), UNITS, AGENCY)
        assert s["kiem_tra"].tolist()[0] == 6.0 and np.isnan(s["kiem_tra"].iloc[1])
        assert s[["inspection_findings", "inspection_points", "inspection_refs"]].values.tolist() \
            == [[2, 6.0, "15/TB-SNV;07/KL-TTr"], [0, 0.0, None]]
        res, _ = evalkit.classify_frame(s, u, AGENCY, known_staff=ABSENT)
        assert res[["total", "points_tru"]].values.tolist() == [[94.0, -6.0], [100.0, 0.0]]
        assert res["reasons"].iloc[0] == "inspection.deduction;inspection.notice"
        full = pd.concat([s[["inspection_points"]], res], axis=1)
        assert explain(full, rules=AGENCY)[0][-2:] == [
            f"Kết quả kiểm tra công vụ: trừ 6 điểm ({AGENCY_SOURCE})",
            f"{NOTICE_VI} ({AGENCY_SOURCE})",
        ]
        assert effects(t, staff("A"), UNITS, AGENCY)[["points", "effect"]].values.tolist() == [
            [1.0, "deduction"], [5.0, "deduction"]]

    def test_points_stop_at_the_criterion_maximum(self) -> None:
        """Three serious findings make 15 points; the criterion takes at most 10."""
        t = table(*(finding(severity="serious", decision_ref=str(i)) for i in range(3)))
        s, u = apply(t, staff("A"), UNITS, AGENCY)
        assert (s["kiem_tra"].iloc[0], s["inspection_points"].iloc[0]) == (10.0, 10.0)
        res, _ = evalkit.classify_frame(s, u, AGENCY, known_staff=ABSENT)
        assert res["total"].iloc[0] == 90.0

    def test_a_finding_on_a_unit_lowers_its_score_and_shows_why(self) -> None:
        """Ten of ten tasks (100) and a serious finding (3 points): the unit scores 97."""
        t = table(finding(staff_id=None, unit_id="U", severity="serious", decision_ref="3/KL"))
        s, u = apply(t, staff("H", "A"), UNITS, AGENCY)
        assert u[["period", "inspection_deduction", "inspection_findings", "inspection_refs"]
                 ].values.tolist() == [[P, 3.0, 1, "3/KL"]]  # fmt: skip
        _, ures = evalkit.classify_frame(s, u, AGENCY)
        assert ures[["score", "computed_score", "inspection_points", "reasons"]].values.tolist() \
            == [[97.0, 97.0, 3.0, "inspection.deduction;inspection.notice"]]
        assert explain(ures, rules=AGENCY)[0] == [
            f"Kết quả kiểm tra công vụ: trừ 3 điểm ({AGENCY_SOURCE})",
            f"{NOTICE_VI} ({AGENCY_SOURCE})",
        ]

    def test_a_finding_on_a_unit_notifies_its_head_where_the_rule_set_says_so(self) -> None:
        """Seed 000: the head's responsibility; head_notice counts the finding for H."""
        t = table(finding(staff_id=None, unit_id="U", decision_ref="3/KL"))
        off, _ = apply(t, staff("H", "A"), UNITS, AGENCY)
        on, u = apply(t, staff("H", "A"), UNITS, agency(head_notice=True))
        assert off["inspection_findings"].tolist() == [0, 0]
        assert on[["inspection_findings", "inspection_points", "inspection_refs"]].values.tolist() \
            == [[1, 0.0, "3/KL"], [0, 0.0, None]]
        res, _ = evalkit.classify_frame(on, u, agency(head_notice=True))
        # H heads U: d computed from A (management.d), then the finding's notice
        assert res["reasons"].tolist() == ["management.d;inspection.notice", ""]

    def test_a_value_already_in_a_cell_the_findings_fill_is_refused(self) -> None:
        """A typed deduction beside findings would count twice: named, never added."""
        sm = staff("A", "B").assign(kiem_tra=[2.0, 1.0])
        with pytest.raises(InputError) as exc:
            apply(table(finding()), sm, UNITS, AGENCY)
        assert messages(exc) == ["row 0, staff 'A', column 'kiem_tra', value 2.0: already "
                                 "holds a value and the findings' points would count it twice: "
                                 "clear the cell or leave those findings out"]  # fmt: skip

    def test_applying_the_same_findings_twice_is_refused(self) -> None:
        """The second apply finds the first one's counts and references."""
        s, u = apply(table(finding()), staff("A"), UNITS, AGENCY)
        with pytest.raises(InputError) as exc:
            apply(table(finding()), s, u, AGENCY)
        assert [p.column for p in exc.value.problems] == [
            "kiem_tra", "inspection_findings", "inspection_points", "inspection_refs"]

    def test_notice_off_leaves_the_finding_recorded_only(self) -> None:
        """notice = false and no points: counted (for caps an agency may write), no reason."""
        rs = agency(notice=False, points={}, unit_points={}, criterion=None)
        s, u = apply(table(finding()), staff("A"), UNITS, rs)
        res, _ = evalkit.classify_frame(s, u, rs, known_staff=ABSENT)
        assert (s["inspection_findings"].iloc[0], res["reasons"].iloc[0]) == (1, "")
        assert effects(table(finding()), staff("A"), UNITS, rs)["effect"].tolist() == ["recorded"]


# =========================================================================== rule files


class TestInspectionsTable:
    """The ``[inspections]`` table of a rule file is validated like the rest of it."""

    @pytest.mark.parametrize(("table_", "key", "text"), [
        ({"points": {"minor": 1}, "source": "x"}, "inspections.points",
         "points on a person need a criterion: name the input of a deduction block that "
         "receives them (without one a finding is a notice)"),
        ({"criterion": "chat_luong", "source": "x"}, "inspections.criterion",
         "criterion 'chat_luong' cannot receive the findings' points: no deduction block reads "
         "it"),
        ({"unit_points": {"serius": 2}, "source": "x"}, "inspections.unit_points.serius",
         "unknown severity 'serius'; expected minor, moderate, serious — did you mean "
         "'serious'?"),
        ({"unit_points": {"minor": -1}, "source": "x"}, "inspections.unit_points.minor",
         "expected points ≥ 0, got -1"),
        ({"unit_points": {"minor": 1}}, "inspections.source", "missing required key 'source'"),
        ({"notic": True}, "inspections.notic", "unknown key 'notic' — did you mean 'notice'?"),
    ])  # fmt: skip
    def test_a_bad_table_is_refused_naming_the_key(self, table_: dict[str, Any], key: str,
                                                   text: str) -> None:  # fmt: skip
        """Each mistake names its key and says what is expected."""
        data = tomllib.loads(Path(str(ND335.path)).read_text(encoding="utf-8"))
        data["inspections"] = table_
        with pytest.raises(RuleSetError) as exc:
            parse_rule_set(data)
        assert (exc.value.key, exc.value.reason) == (key, text)

    def test_without_the_table_a_finding_is_a_notice(self) -> None:
        """The defaults: notice on, no criterion, no points, head not notified."""
        assert InspectionPolicy() == ND335.inspections
        assert (AGENCY.inspections.points_for("serious"),
                AGENCY.inspections.points_for("serious", unit=True),
                AGENCY.inspections.points_for("moderate", unit=True)) == (5.0, 3.0, 0.0)

    def test_every_key_is_documented_in_the_format_reference(self) -> None:
        """docs/rule-sets.md names each key of [inspections]."""
        page = (ROOT / "docs" / "rule-sets.md").read_text(encoding="utf-8")
        assert "[inspections]" in page
        for f in attrs.fields(InspectionPolicy):
            assert f"`{f.name}`" in page, f.name


# =========================================================================== archive


class TestRoundTrips:
    """The findings survive a results file and the archive (issue 17: archived with the month)."""

    def results(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """A month's results as `evalkit classify` makes them: inputs beside the outputs."""
        t = table(finding(severity="serious", decision_ref="07/KL-TTr"))
        s, u = apply(t, staff("H", "A"), UNITS, AGENCY)
        res, ures = evalkit.classify_frame(s, u, AGENCY)
        out = pd.concat([s, res[[c for c in res.columns if c not in s.columns]]], axis=1)
        out.attrs["rule_sets"] = {AGENCY.id: AGENCY}
        return out, ures

    def test_the_inspection_columns_survive_a_results_file(self, tmp_path: Path) -> None:
        """write_results / read_results keep counts, points and references."""
        from evalkit.io.results import read_results, write_results

        out, _ = self.results()
        back = read_results(write_results(out, tmp_path / "ket-qua.json"))
        cols = ["staff_id", "inspection_findings", "inspection_points", "inspection_refs"]
        assert plain(back[cols]) == [["H", 0, 0.0, None], ["A", 1, 5.0, "07/KL-TTr"]]

    def test_the_inspection_columns_survive_the_archive(self, tmp_path: Path) -> None:
        """A finalized month gives back its findings' columns as they were."""
        from evalkit.io.archive import Archive

        out, ures = self.results()
        with Archive(tmp_path / "luu-tru.sqlite") as arch:
            arch.finalize(out, by="Trưởng phòng", units=ures, rules=AGENCY)
            back = arch.month(P)
        cols = ["inspection_findings", "inspection_points", "inspection_refs"]
        assert plain(back[cols]) == [[0, 0.0, None], [1, 5.0, "07/KL-TTr"]]

    def test_the_effects_table_is_plain_json(self) -> None:
        """Every cell of effects() is a number, text or null: it is archived as it is."""
        t = table(finding(severity="serious", decision_ref="07/KL-TTr", discipline=1))
        e = effects(t, staff("A"), UNITS, AGENCY)
        records = json.loads(json.dumps(e.to_dict(orient="records")))
        assert records == [{"inspected_on": "2026-03-12", "inspector": "Sở Nội vụ",
                            "finding": "Đi muộn 3 buổi", "decision_ref": "07/KL-TTr",
                            "staff_id": "A", "unit_id": None, "severity": "serious",
                            "discipline": 1, "period": P, "rule_set": AGENCY.id,
                            "points": 5.0, "effect": "discipline", "head_id": None}]


# =========================================================================== import


class TestImport:
    """A findings table from a CSV file or a workbook, every problem located."""

    HEAD = ("Ngày kiểm tra,Cơ quan kiểm tra,Mã công chức,Mã đơn vị,Nội dung,Mức độ,"
            "Số văn bản kết luận,Hình thức kỷ luật\n")  # fmt: skip

    def test_a_csv_with_vietnamese_headers_is_read(self, tmp_path: Path) -> None:
        """Headers in Vietnamese; a multi-line finding; a unit finding with no person."""
        p = tmp_path / "kiem-tra.csv"
        p.write_text(self.HEAD + '12/03/2026,Sở Nội vụ,CC-1,,"Đi muộn\n3 buổi",nhẹ,15/TB,\n'
                     "20/03/2026,Thanh tra tỉnh,,P1,Niêm yết thiếu,nghiêm trọng,3/KL,Khiển "
                     "trách\n", encoding="utf-8")  # fmt: skip
        out = read_inspections(p)
        assert out.index.tolist() == [2, 4]  # the line each record starts on
        assert out[["inspected_on", "staff_id", "unit_id", "finding", "severity",
                    "discipline"]].values.tolist() == [
            ["2026-03-12", "CC-1", None, "Đi muộn\n3 buổi", "minor", 0],
            ["2026-03-20", None, "P1", "Niêm yết thiếu", "serious", 1]]  # fmt: skip

    def test_every_problem_of_a_csv_names_the_file_the_line_and_the_column(
        self, tmp_path: Path
    ) -> None:
        """An unknown header, a bad date and a bad severity: three problems, one error."""
        p = tmp_path / "kiem-tra.csv"
        p.write_text("Ngày kiểm tra,Cơ quan kiểm tra,Mã công chức,Nội dung,Mức độ,"
                     "Số văn bản kết luận,Ghi chú\n"
                     "32/03/2026,Sở Nội vụ,CC-1,x,nhẹ,15/TB,\n"
                     "12/03/2026,Sở Nội vụ,CC-2,x,rất nặng,16/TB,\n", encoding="utf-8")
        with pytest.raises(InputError) as exc:
            read_inspections(p)
        f = str(p)
        assert [(p_.file, p_.row, p_.column) for p_ in exc.value.problems] == [
            (f, 1, "Ghi chú"), (f, 2, "inspected_on"), (f, 3, "severity")]

    def test_a_workbook_sheet_is_read_with_its_dates_and_rows(self, tmp_path: Path) -> None:
        """Dates typed as dates; problems name the sheet and its row; formulas refused."""
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Kiểm tra công vụ"
        ws.append(["inspected_on", "inspector", "staff_id", "finding", "severity",
                   "decision_ref"])  # fmt: skip
        ws.append([dt.date(2026, 3, 12), "Sở Nội vụ", "CC-1", "x", 3, "15/TB"])
        ws.append([dt.date(2026, 3, 13), "Sở Nội vụ", "CC-2", "x", "=1+1", "16/TB"])
        path = tmp_path / "kiem-tra.xlsx"
        wb.save(path)
        with pytest.raises(InputError) as exc:
            read_inspections(path)
        assert [(p.sheet, p.row, p.column) for p in exc.value.problems] == [
            ("Kiểm tra công vụ", 3, "severity"), ("Kiểm tra công vụ", 3, "severity")]
        assert "formula" in exc.value.problems[0].message + exc.value.problems[1].message
        ws["E3"] = "serious"
        wb.save(path)
        out = read_inspections(path)
        assert out[["inspected_on", "severity"]].values.tolist() == [
            ["2026-03-12", "serious"], ["2026-03-13", "serious"]]

    def test_a_missing_file_is_one_problem(self, tmp_path: Path) -> None:
        """No traceback: a located problem."""
        with pytest.raises(InputError, match="file not found"):
            read_inspections(tmp_path / "none.csv")


# =========================================================================== properties


_people = st.lists(st.sampled_from(["A", "B", "C", "D"]), min_size=0, max_size=12)


class TestProperties:
    """Invariants of apply() over any findings."""

    @given(who=_people, days=st.lists(st.integers(1, 31), min_size=12, max_size=12),
           sev=st.lists(st.sampled_from(["minor", "moderate", "serious"]), min_size=12,
                        max_size=12))  # fmt: skip
    def test_counts_add_up_rows_without_findings_are_untouched_and_order_is_irrelevant(
        self, who: list[str], days: list[int], sev: list[str]
    ) -> None:
        """Σ inspection_findings = number of findings; Σ points = Σ per-finding points;
        rows without findings keep every input; shuffling the findings changes nothing."""
        sm = staff("A", "B", "C", "D")
        t = table(*(finding(staff_id=w, inspected_on=f"2026-03-{d:02d}", severity=s,
                            decision_ref=f"{i}/KL")
                    for i, (w, d, s) in enumerate(zip(who, days, sev, strict=False))))  # fmt: skip
        if not len(t):
            t = pd.DataFrame(columns=list(finding()), dtype=object)
        s1, _ = apply(t, sm, UNITS, AGENCY)
        per = {"minor": 1.0, "moderate": 2.0, "serious": 5.0}
        expected = pd.Series([per[x] for x in sev[: len(who)]], dtype=float) \
            .groupby(who[: len(sev)]).sum() if who else pd.Series(dtype=float)  # fmt: skip
        assert int(s1["inspection_findings"].sum()) == len(t)
        for sid in "ABCD":
            got = float(s1.loc[s1["staff_id"] == sid, "inspection_points"].iloc[0])
            assert got == min(float(expected.get(sid, 0.0)), 10.0)
        untouched = ~s1["staff_id"].isin(who)
        pd.testing.assert_frame_equal(s1.loc[untouched, sm.columns], sm.loc[untouched])
        s2, _ = apply(t.iloc[::-1], sm, UNITS, AGENCY)
        pd.testing.assert_frame_equal(s1, s2)


def test_the_module_is_documented_in_the_api_reference() -> None:
    """docs/reference/api.md renders evalkit.inspections."""
    text = (ROOT / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    assert "::: evalkit.inspections" in text
    assert inspections.__doc__
