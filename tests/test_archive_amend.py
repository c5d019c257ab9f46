"""Issues 13 and 15: amend takes only the inputs the month's rule set defines, checks each
value as the workbook validator reads a cell, and re-derives the month through the engine."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.cli import main
from evalkit.errors import InputError
from evalkit.io.archive import Archive, amendable_fields
from evalkit.units import classify_frame
from tests._archive_helpers import ND335, classified, dump, general_ids, task_ids

PEOPLE = {"H": 100.0, "A": 100.0, **{f"B{i}": 80.0 for i in range(6)}}
TASK = task_ids(ND335)[0]
GENERAL = general_ids(ND335)[0]
#: a discipline the workbook cannot read: its sentence, which amend says too
DISCIPLINE = ("is not a discipline level 0 to 5 (0 none, 1 khiển trách, 2 cảnh cáo, 3 hạ bậc "
              "lương/giáng chức, 4 cách chức, 5 buộc thôi việc)")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A finalized 2026-03 with its inputs."""
    path = tmp_path / "a.sqlite"
    results, units, inputs = classified("2026-03", PEOPLE, head="H")
    with Archive(path) as arc:
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
    return path


def refused(path: Path, changes: dict[str, Any], staff: str = "B1") -> list[tuple[Any, ...]]:
    """Amend and expect an InputError; the file unchanged. Returns (column, value, message)."""
    before = dump(path)
    with Archive(path) as arc, pytest.raises(InputError) as exc:
        arc.amend("2026-03", staff, changes, by="GĐ", why="sửa")
    assert dump(path) == before
    return [(p.column, p.value, p.message) for p in exc.value.problems]


class TestFields:
    def test_the_amendable_fields_are_the_rule_sets_inputs(self) -> None:
        """Criteria, the inputs the caps and notices read, kpi, the month's leave (every
        door reads it: a month on leave is left out of the year, NĐ 335 Điều 21); never a
        derived field (the discipline cap's ``duty_any_discipline`` is derived from
        ``discipline``, ``party_discipline`` and ``discipline_related_to_duty``, NĐ 335
        Điều 20 k4 c: a party discipline too since af158)."""
        fields = amendable_fields(ND335)
        assert set(fields) == ({c.id for c in ND335.criteria()}
                               | {"degradation", "discipline", "discipline_related_to_duty",
                                  "party_discipline", "corruption_in_unit", "late_files",
                                  "apologies", "kpi", "leave"})
        assert fields["leave"] == "leave"
        assert not {"total", "grade", "score_grade", "reasons", "points_tasks",
                    "duty_discipline", "duty_any_discipline", "any_discipline"} & set(fields)
        assert (fields["discipline"], fields["discipline_related_to_duty"],
                fields["party_discipline"], fields["late_files"]) == (
            "discipline", "flag", "flag", "count")

    def test_any_discipline_makes_party_discipline_amendable(self) -> None:
        """NĐ 90/2020 Điều 2 k5 a (NĐ 48/2023): party or administrative discipline. What the
        discipline was for is amendable too (af124): NĐ 90 does not read it, but a viên
        chức's NĐ 90 month of 2026 is read by the year under NĐ 233/2026 (Điều 19: NĐ 90
        repealed from 1/7/2026; Điều 12 k4 c, Điều 14 k3 a: only a violation related to the
        duties counts)."""
        import evalkit.rules

        fields = amendable_fields(evalkit.rules.get("vn.nd90-2020"))
        assert (fields["discipline"], fields["party_discipline"]) == ("discipline", "flag")
        assert "any_discipline" not in fields
        assert fields["discipline_related_to_duty"] == "flag"

    @pytest.mark.parametrize("field", ["total", "grade", "score_grade", "reasons",
                                       "points_tasks", "quota_rank"])  # fmt: skip
    def test_a_derived_field_is_refused(self, archive: Path, field: str) -> None:
        """`amend --set total=150` and `--set grade=HTT` are refused (issue 15)."""
        [(column, value, message)] = refused(archive, {field: "150"})
        assert (column, value) == (field, "150")
        assert message.startswith(f"{field!r} cannot be amended — it is derived: change the "
                                  "inputs it comes from")  # fmt: skip
        assert f"(the inputs of {ND335.id}: {', '.join(amendable_fields(ND335))})" in message

    def test_an_unknown_field_names_the_close_matches_and_the_allowed_ones(
        self, archive: Path
    ) -> None:
        """`--set foo=1` is refused; a typo is answered with what was meant."""
        typo = TASK[:-1] + ("x" if TASK[-1] != "x" else "y")
        [(_c, _v, message)] = refused(archive, {typo: "90"})
        assert message.startswith(f"{typo!r} cannot be amended; did you mean {TASK!r}")
        [(_c, _v, foo)] = refused(archive, {"foo": "1"})
        assert foo.startswith("'foo' cannot be amended (the inputs of vn.nd335-2025: ")

    @pytest.mark.parametrize(("field", "value", "message"), [
        (TASK, math.nan, f"{TASK} must be a finite number"),
        (TASK, "nan", f"{TASK}: is not a finite number"),  # as every door says it (af45)
        (TASK, math.inf, f"{TASK}: is not a finite number"),
        (TASK, "150", f"score 150 for {TASK!r} exceeds its maximum 100 (vn.nd335-2025)"),
        (TASK, "-5", f"{TASK}: is negative"),
        (TASK, "abc", f"{TASK}: is not a number"),
        (TASK, "", f"{TASK} needs a value"),
        (TASK, True, f"{TASK}: is a yes/no value, not a number"),
        # a fraction in a percent criterion or the KPI: refused as the workbook refuses it
        (TASK, "0,95", f"{TASK}: the value 0.95 is between 0 and 1: if it means 95%, write 95"),
        (TASK, 0.95, f"{TASK}: the value 0.95 is between 0 and 1: if it means 95%, write 95"),
        ("kpi", "0,9", "kpi: the value 0.9 is between 0 and 1: if it means 90%, write 90"),
        (TASK, "1.000", f"{TASK}: '1.000' may be 1000 (a thousands separator) or 1: write 1 "
                        "or 1000"),
        (GENERAL, "7", f"score 7 for {GENERAL!r} exceeds its maximum "
                       f"{ND335.criterion(GENERAL).maximum:g} (vn.nd335-2025)"),
        ("discipline", "6", DISCIPLINE),
        ("discipline", "1.5", DISCIPLINE),
        ("degradation", "maybe", "is not a yes/no value: write x, có, yes, true or 1 for yes; "
                                 "leave blank or write không, no, false or 0 for no"),
        ("loi_chat_luong", "1.5", "loi_chat_luong is a count: a whole number"),
        ("kpi", "101", "score 101 for 'kpi' exceeds its maximum 100 (vn.nd335-2025)"),
    ])  # fmt: skip
    def test_a_value_the_workbook_would_refuse_is_refused(
        self, archive: Path, field: str, value: Any, message: str
    ) -> None:
        """NaN, inf, 150, text in a number cell, a discipline of 6 … are never stored."""
        found = refused(archive, {field: value})
        assert [m for _c, _v, m in found] == [message]

    def test_every_problem_of_an_amendment_is_listed(self, archive: Path) -> None:
        """All changes are checked before anything is refused."""
        found = refused(archive, {"total": "1", TASK: "150", "foo": "x"})
        assert [c for c, _v, _m in found] == ["total", TASK, "foo"]


    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None,
              max_examples=25)  # fmt: skip
    @given(hundredths=st.integers(1, 99), typed=st.sampled_from(["comma", "dot", "float"]),
           field=st.sampled_from([TASK, "kpi"]))  # fmt: skip
    def test_a_fraction_in_a_percent_input_is_refused_by_amend_as_by_the_workbook(
        self, archive: Path, hundredths: int, typed: str, field: str
    ) -> None:
        """Every value strictly between 0 and 1 in a percent criterion or the KPI (0,95
        typed for 95 %) is refused, the message saying what to write (100 × the value,
        by hand); nothing is written (monthly-script.md: such a cell is refused)."""
        text = f"0.{hundredths:02d}"
        value: Any = (text.replace(".", ",") if typed == "comma" else
                      text if typed == "dot" else hundredths / 100)  # fmt: skip
        [(column, _v, message)] = refused(archive, {field: value})
        assert column == field
        assert message.endswith(f"write {hundredths}"), message

    def test_the_cli_refuses_a_fraction_in_a_percent_input_in_both_languages(
        self, archive: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`amend --set so_luong=0,95` exits 1 naming the field and the value, in the run's
        language; the archive is unchanged."""
        before = dump(archive)
        for lang, said in (("en", "if it means 95%, write 95"),
                           ("vi", "nếu là 95% hãy ghi 95")):  # fmt: skip
            code = main(["--lang", lang, "amend", "--archive", str(archive), "--period",
                         "2026-03", "--staff", "B1", "--set", f"{TASK}=0,95", "--by", "GĐ",
                         "--why", "sửa"], stdout=io.StringIO())  # fmt: skip
            err = capsys.readouterr().err
            assert code == 1 and said in err and TASK in err and "0,95" in err, err
        assert dump(archive) == before


class TestValues:
    @pytest.mark.parametrize(("field", "value", "stored"), [
        (TASK, "90,5", 90.5),
        (TASK, 90, 90.0),
        ("discipline", "khiển trách", 1),
        ("discipline", "Hạ bậc lương / giáng chức", 3),
        ("discipline", "giang_chuc", 3),
        ("discipline", "2", 2),
        ("degradation", "x", True),
        ("degradation", "không", False),
        ("loi_chat_luong", "2", 2),
    ])  # fmt: skip
    def test_values_are_read_like_workbook_cells(
        self, archive: Path, field: str, value: Any, stored: Any
    ) -> None:
        """Decimal comma, discipline names, yes/no marks, whole counts."""
        with Archive(archive) as arc:
            a = arc.amend("2026-03", "B1", {field: value}, by="GĐ", why="sửa")
        assert a.new == {field: stored}

    @pytest.mark.parametrize("typed", ["B1 ", "B1\u200b", "\ufeffB1\t", " B1"])
    def test_the_python_amend_reads_the_staff_id_as_every_door(self, archive: Path,
                                                               typed: str) -> None:  # fmt: skip
        """Audit 17 (amend1/amend2): Archive.amend said 'no finalized result' for 'B1 ' or
        'B1\u200b' while the CLI amend found B1: both compare the id as evalkit._ids does."""
        with Archive(archive) as arc:
            a = arc.amend("2026-03", typed, {TASK: 90}, by="GĐ", why="sửa")
            row = arc.month("2026-03").set_index("staff_id").loc["B1"]
        assert a.staff_id == "B1" and a.new == {TASK: 90.0}
        assert row[TASK] == 90.0

    def test_the_python_amend_finds_an_nfd_spelling_of_a_stored_id(self, tmp_path: Path) -> None:
        import unicodedata

        path = tmp_path / "a.sqlite"
        results, units, inputs = classified("2026-03", {"H": 100.0, "NV-Đặng": 100.0},
                                            head="H")  # fmt: skip
        with Archive(path) as arc:
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
            a = arc.amend("2026-03", unicodedata.normalize("NFD", "NV-Đặng"), {TASK: 90},
                          by="GĐ", why="sửa")  # fmt: skip
            with pytest.raises(Exception, match="no finalized result for staff 'nv-đặng'"):
                arc.amend("2026-03", "nv-đặng", {TASK: 80}, by="GĐ", why="sửa")
        assert a.staff_id == "NV-Đặng"

    def test_a_reprimand_makes_the_person_kht_with_its_reason(self, archive: Path) -> None:
        """NĐ 335 Điều 20 k4 c: the re-derived grade is KHT, disqualifier.discipline."""
        with Archive(archive) as arc:
            a = arc.amend("2026-03", "B2", {"discipline": "khiển trách"}, by="GĐ", why="kỷ luật")
            row = arc.month("2026-03").set_index("staff_id").loc["B2"]
        assert (a.rows[0].previous["grade"], a.rows[0].new["grade"]) == ("HTT", "KHT")
        assert row["grade"] == "KHT" and "disqualifier.discipline" in row["reasons"].split(";")

    def test_a_reprimand_unrelated_to_duty_leaves_the_grade(self, archive: Path) -> None:
        """NĐ 335 Điều 20 k4 c counts only a violation related to public duty."""
        with Archive(archive) as arc:
            a = arc.amend("2026-03", "B2", {"discipline": "khiển trách",
                                            "discipline_related_to_duty": "không"},
                          by="GĐ", why="kỷ luật")  # fmt: skip
            row = arc.month("2026-03").set_index("staff_id").loc["B2"]
            others = arc.month("2026-03").set_index("staff_id").drop(index="B2")
        assert a.new == {"discipline": 1, "discipline_related_to_duty": False}
        assert row["grade"] == "HTT" and "disqualifier.discipline" not in row["reasons"]
        assert not others["reasons"].str.contains("disqualifier.discipline").any()

    def test_a_month_of_several_rule_sets_is_re_derived_each_row_under_its_own(
        self, tmp_path: Path
    ) -> None:
        """Audit 13: a month of công chức and viên chức (one workbook per group, finalized
        together) is amended: the amended row is re-derived under its own rule set, as the
        same inputs give alone, and the other group's row is left as it was."""
        import evalkit.rules

        nd233 = evalkit.rules.get("vn.nd233-2026")
        a, _u, _i = classified("2026-09", {"C1": 90.0}, unit="P1")
        b, _u2, _i2 = classified("2026-09", {"V1": 90.0}, unit="P2", rs=nd233)
        a["rule_set"], b["rule_set"] = ND335.id, nd233.id
        both = pd.concat([a, b], ignore_index=True)
        units = pd.concat([_u, _u2], ignore_index=True)
        inputs = pd.concat([_i, _i2], ignore_index=True)
        path = tmp_path / "a.sqlite"
        alone, _ = classify_frame(_inputs(a, TASK, 80.0), _i, ND335, force=True)
        with Archive(path) as arc:
            arc.finalize(both, by="TCCB", units=units, unit_inputs=inputs)
            v1 = arc.month("2026-09").set_index("staff_id").loc["V1"]
            amendment = arc.amend("2026-09", "C1", {TASK: 80}, by="GĐ", why="sửa")
            after = arc.month("2026-09").set_index("staff_id")
        assert [r.staff_id for r in amendment.rows] == ["C1"]
        assert after.loc["C1", "total"] == pytest.approx(float(alone["total"].iloc[0]))
        assert after.loc["C1", "total"] < a["total"].iloc[0]
        assert after.loc["V1", "total"] == v1["total"] and after.loc["V1", "grade"] == v1["grade"]


def _inputs(frame: pd.DataFrame, field: str, value: float) -> pd.DataFrame:
    """A classified month's staff inputs (what the engine derives left out), one score
    changed."""
    from evalkit.io.archive import _input_columns

    out = _input_columns(frame)
    out[field] = value
    return out


class TestCommandLine:
    def run(self, *args: str) -> tuple[int, dict[str, Any]]:
        buf = io.StringIO()
        code = main([*args, "--json"], stdout=buf)
        return code, json.loads(buf.getvalue()) if buf.getvalue() else {}

    def test_amend_total_150_is_refused(self, archive: Path) -> None:
        """Issue 15's reproduction: `amend --set total=150` exits 1, nothing recorded."""
        code, out = self.run("amend", "--archive", str(archive), "--period", "2026-03",
                             "--staff", "B1", "--set", "total=150", "--by", "GĐ", "--why", "x")
        assert code == 1 and not out["ok"]
        assert [(p["column"], p["value"]) for p in out["problems"]] == [("total", "150")]

    def test_the_staff_id_is_read_without_its_spaces(self, archive: Path) -> None:
        """--staff " B1 ": the id as the workbook reader reads it (trimmed, NFC)."""
        code, out = self.run("amend", "--archive", str(archive), "--period", "2026-03",
                             "--staff", " B1\u200b ", "--set", f"{TASK}=100", "--by", "GĐ",
                             "--why", "phúc khảo")  # fmt: skip
        assert code == 0 and "B1" in out["rows"]

    def test_amend_says_a_count_typed_whole_as_a_whole_number(self, archive: Path) -> None:
        """--set discipline=1: said in words, the measure by its name (level 1 is the
        reprimand: Luật CBCC; NĐ 172/2025), never "0.0 → 1.0" (the archive keeps the
        month's columns as floats) nor the field's id or a reason's code; the JSON says 1."""
        from evalkit.reasons import make_reason

        text = io.StringIO()
        assert main(["amend", "--archive", str(archive), "--period", "2026-03", "--staff",
                     "B1", "--set", "discipline=1", "--by", "GĐ", "--why", "x"],
                    stdout=text) == 0  # fmt: skip
        said = text.getvalue()
        assert "  B1: Hình thức kỷ luật: Không → Khiển trách; " in said, said
        # 2026-03 is only monitored under NĐ 335 (Điều 21: the year is classified): the
        # reprimand is said as the month's sheet says it, without a grade for the month
        month = make_reason("disqualifier.discipline", ND335, {"period": "2026-03"}).message_vi
        assert f"→ {month}\n" in said, said
        assert "xếp loại Không hoàn thành nhiệm vụ" not in said, said
        assert not {"discipline", "disqualifier", "1.0", "reasons", "total"} & set(
            said.replace(";", " ").replace(":", " ").split()), said
        code, out = self.run("amend", "--archive", str(archive), "--period", "2026-03",
                             "--staff", "B2", "--set", "discipline=2", "--by", "GĐ",
                             "--why", "x")  # fmt: skip
        assert code == 0 and json.dumps(out["rows"]["B2"]["new"]).count('"discipline": 2,') == 1

    def test_amend_an_input_prints_every_changed_row(self, archive: Path) -> None:
        """--set tien_do=100: the person's total and grade before/after, the others too."""
        code, out = self.run("amend", "--archive", str(archive), "--period", "2026-03",
                             "--staff", "B1", "--set", f"{TASK}=100", "--by", "GĐ",
                             "--why", "phúc khảo")  # fmt: skip
        assert code == 0 and out["new"] == {TASK: 100.0}
        b1 = out["rows"]["B1"]
        assert (b1["previous"][TASK], b1["new"][TASK]) == (80.0, 100.0)
        assert b1["new"]["total"] > b1["previous"]["total"]
        text = io.StringIO()
        assert main(["amend", "--archive", str(archive), "--period", "2026-03", "--staff",
                     "B2", "--set", f"{TASK}=95", "--by", "GĐ", "--why", "x"], stdout=text) == 0
        task = next(c for c in ND335.criteria() if c.id == TASK)
        assert text.getvalue().startswith(  # the criterion by its label, never its id
            "đã ghi điều chỉnh số 2 cho công chức B2, kỳ 2026-03\n"  # NĐ 335's one category
            f"  B2: {task.label('vi')}: 80% → 95%; Tổng điểm được công nhận: "), text.getvalue()
        text = io.StringIO()
        assert main(["amend", "--archive", str(archive), "--period", "2026-03", "--staff",
                     "B3", "--set", f"{TASK}=95", "--by", "GĐ", "--why", "x", "--lang", "en"],
                    stdout=text) == 0  # fmt: skip
        assert text.getvalue().startswith("amendment 3 recorded for civil servant B3, 2026-03\n"
                                          f"  B3: {task.label('en')}: 80% → 95%; "
                                          "Total that counts: "), text.getvalue()

    def test_a_refused_amendment_is_said_in_vietnamese(
        self, archive: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`amend --set total=150`: the reason in Vietnamese by default (issue 15), each
        problem naming the archive and the person."""
        before = dump(archive)
        code = main(["amend", "--archive", str(archive), "--period", "2026-03", "--staff", "B1",
                     "--set", "total=150", "--set", "discipline=7", "--by", "GĐ", "--why", "x"],
                    stdout=io.StringIO())  # fmt: skip
        err = capsys.readouterr().err
        assert code == 1 and dump(archive) == before
        fields = ", ".join(amendable_fields(ND335))
        assert err == (
            "Có 2 lỗi:\n"
            f"  - {archive}, người được đánh giá 'B1', cột 'total', giá trị '150': không sửa được 'total' — "
            "đây là giá trị tính ra: "
            "hãy sửa dữ liệu đầu vào tạo ra nó (dữ liệu đầu vào của vn.nd335-2025: "
            f"{fields})\n"
            f"  - {archive}, người được đánh giá 'B1', cột 'discipline', giá trị '7': không phải là mức "
            "kỷ luật 0 đến 5 (0 không, 1 khiển trách, 2 cảnh cáo, 3 hạ bậc lương/giáng chức, "
            "4 cách chức, 5 buộc thôi việc)\n")  # the workbook's sentence

    def test_amend_on_a_missing_archive_exits_1(self, tmp_path: Path) -> None:
        """No archive is created by a correction."""
        code, _ = self.run("amend", "--archive", str(tmp_path / "none.sqlite"), "--period",
                           "2026-03", "--staff", "B1", "--set", f"{TASK}=90", "--by", "x",
                           "--why", "y")  # fmt: skip
        assert code == 1 and not (tmp_path / "none.sqlite").exists()


class TestUnitQuotaAfterAmend:
    def test_the_units_quota_counts_follow_an_amendment(self, tmp_path: Path) -> None:
        """Issue 13: an amendment that takes a candidate out of the quota (Hà Nội's months,
        QĐ 3814) changes the unit's quota counts, and the archive's unit results — what the
        unit summary prints — are the engine's on the amended month, as the staff rows are."""
        import evalkit.rules

        hanoi = evalkit.rules.get("hanoi.3814-2018")
        people = {f"S{i}": 100.0 for i in range(7)}
        results, units, inputs = classified("2026-03", people, rs=hanoi)
        path = tmp_path / "h.sqlite"
        with Archive(path) as arc:
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
            arc.amend("2026-03", "S6", {"ket_qua_nhiem_vu": 30}, by="GĐ", why="sai số liệu")
            staff, unit_inputs = arc.inputs("2026-03")
            month = arc.month("2026-03")
            got = arc.units("2026-03")
            _f, both = arc.month_and_units("2026-03")
        _out, derived = classify_frame(staff, unit_inputs, hanoi, force=True)
        cols = ["quota_candidates", "quota_demoted", "quota_cap"]
        assert (month["quota_rank"] > 0).sum() == derived["quota_candidates"].iloc[0]
        for table in (got, both):
            assert table[cols].astype(float).to_numpy().tolist() == \
                derived[cols].astype(float).to_numpy().tolist()


class TestWhereTheRefusalIs:
    def test_every_refused_value_names_the_archive_and_the_person(self, archive: Path) -> None:
        """Bad input names where it is: each refused field of one amendment carries the
        archive file and the staff id (the id as the archive holds it, a trailing space
        typed or not), all problems at once, the file unchanged."""
        before = dump(archive)
        with Archive(archive) as arc, pytest.raises(InputError) as exc:
            arc.amend("2026-03", "B1 ", {TASK: "abc", GENERAL: 99, "tong": 5,
                                         "discipline": 9}, by="GĐ", why="sửa")  # fmt: skip
        assert dump(archive) == before
        problems = exc.value.problems
        assert [p.column for p in problems] == [TASK, GENERAL, "tong", "discipline"]
        assert {(p.file, p.staff_id) for p in problems} == {(str(archive), "B1")}


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A finalized 2026-08 of công chức (C1, NĐ 335/2025) and viên chức (V1, NĐ 233/2026:
    in force for viên chức from 2026-07), finalized together with their inputs."""
    import evalkit.rules

    nd233 = evalkit.rules.get("vn.nd233-2026")
    a, ua, ia = classified("2026-08", {"C1": 90.0}, unit="P1")
    b, ub, ib = classified("2026-08", {"V1": 90.0}, unit="P2", rs=nd233)
    a["rule_set"], b["rule_set"] = ND335.id, nd233.id
    path = tmp_path / "m.sqlite"
    with Archive(path) as arc:
        arc.finalize(pd.concat([a, b], ignore_index=True), by="TCCB",
                     units=pd.concat([ua, ub], ignore_index=True),
                     unit_inputs=pd.concat([ia, ib], ignore_index=True))  # fmt: skip
    return path


class TestAForeignCountOfEvents:
    """Item A of issue 13: NĐ 335's counts of events (``loi_chat_luong``, ``cham_tien_do``:
    NĐ 335/2025/NĐ-CP Điều 14 k2 b, c) are not criteria of NĐ 233/2026. Amending a viên
    chức's to 0 events says what the blank already says: the amendment changes nothing,
    and amend answers as it answers any amendment that changes nothing."""

    COUNTS = tuple(c.id for c in ND335.criteria() if c.unit == "count")

    def answer(self, path: Path, changes: dict[str, Any]) -> list[tuple[Any, ...]]:
        before = dump(path)
        with Archive(path) as arc, pytest.raises(InputError) as exc:
            arc.amend("2026-08", "V1", changes, by="GĐ", why="sửa")
        assert dump(path) == before
        return [(p.column, p.value, p.message, p.staff_id) for p in exc.value.problems]

    def test_a_zero_count_of_another_set_changes_nothing(self, mixed: Path) -> None:
        import evalkit.rules

        task = task_ids(evalkit.rules.get("vn.nd233-2026"))[0]
        with Archive(mixed) as arc:
            held = arc.month("2026-08").set_index("staff_id").loc["V1", task]
        same = self.answer(mixed, {task: held})  # the answer to a no-op today
        assert len(same) == 1 and "changes nothing" in same[0][2]
        assert same[0][3] == "V1"  # the person is a field of the answer, not only its words
        assert set(self.COUNTS) == {"loi_chat_luong", "cham_tien_do"}
        for field in self.COUNTS:
            for zero in (0, "0", "0,0", 0.0):
                got = self.answer(mixed, {field: zero})
                assert got == [(field, 0, same[0][2].replace(task, field), same[0][3])], got
        both = self.answer(mixed, {task: held, self.COUNTS[0]: 0})
        assert [p[2] for p in both] == [same[0][2].replace(task, f"{task}, {self.COUNTS[0]}")]

    def test_a_count_of_events_is_still_refused_for_a_set_without_it(self, mixed: Path) -> None:
        for value in (2, "1", 0.5):
            ((column, _v, said, _s),) = self.answer(mixed, {"loi_chat_luong": value})
            assert column == "loi_chat_luong" and "cannot be amended" in said, said
        ((_c, _v, said, _s),) = self.answer(mixed, {"chat_luong_x": 0})  # no criterion at all
        assert "cannot be amended" in said

    def test_a_zero_beside_a_real_change_is_left_out_of_the_record(self, mixed: Path) -> None:
        import evalkit.rules

        task = task_ids(evalkit.rules.get("vn.nd233-2026"))[0]
        with Archive(mixed) as arc:
            done = arc.amend("2026-08", "V1", {task: 70, "cham_tien_do": 0}, by="GĐ", why="x")
        assert done.new == {task: 70.0} and [r.staff_id for r in done.rows] == ["V1"]

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_the_cli_says_the_same_as_for_a_no_op(self, mixed: Path, lang: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
        import evalkit.rules

        task = task_ids(evalkit.rules.get("vn.nd233-2026"))[0]
        with Archive(mixed) as arc:
            held = arc.month("2026-08").set_index("staff_id").loc["V1", task]
        said = {}
        for field, value in ((task, f"{held:g}"), ("loi_chat_luong", "0")):
            before = dump(mixed)
            code = main(["amend", "--archive", str(mixed), "--period", "2026-08", "--staff",
                         "V1", "--set", f"{field}={value}", "--by", "GĐ", "--why", "x",
                         "--lang", lang], stdout=io.StringIO())  # fmt: skip
            assert code == 1 and dump(mixed) == before
            said[field] = capsys.readouterr().err
        shown = re.compile(r"(value|giá trị) [^:]+:")  # the value as typed, parsed
        assert shown.sub(r"\1 0:", said[task].replace(task, "loi_chat_luong"), 1) == \
            said["loi_chat_luong"], said
        assert shown.search(said["loi_chat_luong"])[0] in ("value 0:", "giá trị 0:"), said
        code = main(["amend", "--archive", str(mixed), "--period", "2026-08", "--staff", "V1",
                     "--set", "loi_chat_luong=3", "--by", "GĐ", "--why", "x", "--lang", lang],
                    stdout=io.StringIO())  # fmt: skip
        assert code == 1 and "loi_chat_luong" in capsys.readouterr().err


class TestCaseTwins:
    """`amend --staff a` when the month holds 'A': the id is compared as the workbook
    compares it (evalkit._ids: spaces, zero-width characters and NFD are one id; upper and
    lower case are not), so nothing is amended, and the refusal names 'A' — never a silent
    match, never a bare "no result"."""

    HINT = "; did you mean 'A'? (the archive tells upper from lower case in an id)"

    @pytest.mark.parametrize("typed", ["a", " a\u200b", "\ufeffa\t"])
    def test_the_python_amend_names_the_case_twin(self, archive: Path, typed: str) -> None:
        """Trimmed and without its invisible characters the typed id is 'a': the month's
        'A' differs only in case, and is named; the archive is unchanged."""
        from evalkit.io.archive import ArchiveError

        before = dump(archive)
        with Archive(archive) as arc, pytest.raises(ArchiveError) as info:
            arc.amend("2026-03", typed, {TASK: 90}, by="GĐ", why="sửa")
        assert str(info.value) == f"no finalized result for staff {typed!r} in 2026-03{self.HINT}"
        assert dump(archive) == before

    @pytest.mark.parametrize("typed", ["Z", "AA", "b 1"])
    def test_an_id_with_no_twin_gets_no_hint(self, archive: Path, typed: str) -> None:
        """'Z', 'AA' and 'b 1' are no case spelling of any id of the month ('B1' is not
        'b 1': a space inside an id is kept)."""
        from evalkit.io.archive import ArchiveError

        with Archive(archive) as arc, pytest.raises(ArchiveError) as info:
            arc.amend("2026-03", typed, {TASK: 90}, by="GĐ", why="sửa")
        assert str(info.value) == f"no finalized result for staff {typed!r} in 2026-03"

    def test_an_nfd_spelling_in_other_case_names_the_stored_id(self, tmp_path: Path) -> None:
        """'nv-đặng' typed in NFD, the month holding 'NV-Đặng' in NFC: named in NFC."""
        import unicodedata

        from evalkit.io.archive import ArchiveError

        path = tmp_path / "a.sqlite"
        results, units, inputs = classified("2026-03", {"H": 100.0, "NV-Đặng": 100.0},
                                            head="H")  # fmt: skip
        typed = unicodedata.normalize("NFD", "nv-đặng")
        with Archive(path) as arc:
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
            with pytest.raises(ArchiveError) as info:
                arc.amend("2026-03", typed, {TASK: 80}, by="GĐ", why="sửa")
        said = str(info.value)
        assert said.endswith("; did you mean 'NV-Đặng'? (the archive tells upper from lower "
                             "case in an id)"), said  # fmt: skip
        assert unicodedata.is_normalized("NFC", said.split("did you mean")[1])

    @pytest.mark.parametrize(("lang", "said"), [
        ("vi", "Lỗi: không có kết quả đã chốt của người được đánh giá 'a' trong kỳ 2026-03; có phải là "
               "'A'? (tệp lưu trữ phân biệt chữ hoa, chữ thường trong mã nhân sự)\n"),
        ("en", "Error: no finalized result for staff 'a' in 2026-03; did you mean 'A'? (the "
               "archive tells upper from lower case in an id)\n"),
    ])  # fmt: skip
    def test_the_cli_names_the_case_twin_in_both_languages(
        self, archive: Path, capsys: pytest.CaptureFixture[str], lang: str, said: str
    ) -> None:
        """`evalkit amend --staff a`: exit 1 (the user's input), one sentence in the run's
        language naming 'A'; nothing recorded."""
        before = dump(archive)
        code = main(["--lang", lang, "amend", "--archive", str(archive), "--period", "2026-03",
                     "--staff", "a", "--set", f"{TASK}=90", "--by", "GĐ", "--why", "sửa"],
                    stdout=io.StringIO())  # fmt: skip
        assert (code, capsys.readouterr().err) == (1, said)
        assert dump(archive) == before

    @settings(max_examples=60, deadline=None)
    @given(stored=st.lists(st.text(alphabet="aAbBßẞđĐ", min_size=1, max_size=3), max_size=8),
           typed=st.text(alphabet="aAbBßẞđĐ", min_size=1, max_size=3))
    def test_the_twins_named_are_the_months_ids_equal_but_for_case(
        self, stored: list[str], typed: str
    ) -> None:
        """Every id of the month that is not the typed one but equal to it ignoring case
        (Unicode case folding: 'ẞ' is 'ss'), in the month's order, at most two."""
        import numpy as np

        from evalkit.io.archive import _case_twins_of

        want: list[str] = []
        for x in stored:
            if x != typed and x.casefold() == typed.casefold() and x not in want:
                want.append(x)
        assert _case_twins_of(typed, np.array(stored, dtype=object)) == want[:2]
