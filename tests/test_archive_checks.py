"""Issue 16: finalize checks a results frame or JSON before writing — grade codes, totals in
range, the grade consistent with the total's band and the reasons, a known rule set — and
lists every problem with its file, row, column and value. Malformed files never end in a
traceback."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.cli import main
from evalkit.errors import InputError
from evalkit.io.archive import Archive, check_results
from evalkit.io.results import results_document
from tests._archive_helpers import ND335, classified, dump, plain_month
from tests.helpers import heads_typed


def problems_of(frame: pd.DataFrame, **kwargs: Any) -> list[tuple[int | None, str | None, Any, str]]:
    """(row, column, value, message) of every problem."""
    return [(p.row, p.column, p.value, p.message) for p in check_results(frame, **kwargs)]


def one_bad(column: str, value: Any, **more: Any) -> pd.DataFrame:
    """Three people at 91 (HTXS); the second one's ``column`` set to ``value``."""
    frame = plain_month("2026-03").astype(object)
    if column not in frame.columns:
        frame[column] = pd.Series([None] * len(frame), dtype=object, index=frame.index)
    frame.at[1, column] = value
    for key, v in more.items():
        frame.at[1, key] = v
    return frame


class TestResultsChecks:
    def test_a_valid_month_has_no_problem(self) -> None:
        """Results as the engine makes them pass, with and without inputs."""
        results, _units, _inputs = classified("2026-03", {"H": 100.0, "A": 95.0, "B": 60.0},
                                              head="H")  # fmt: skip
        assert check_results(results) == []
        assert check_results(plain_month("2026-03")) == []

    @pytest.mark.parametrize(("column", "value", "message"), [
        # a grade no door reads: every door's one sentence (foreign.grade, af197)
        ("grade", "XYZ", "is not a grade: write HTXS, HTT, HT, KHT, its full name or a number "
                         "from 0 (KHT) to 3 (HTXS) (staff 'S000001')"),
        ("grade", "HTXS+", "is not a grade: write HTXS, HTT, HT, KHT, its full name or a "
                           "number from 0 (KHT) to 3 (HTXS) (staff 'S000001')"),
        ("total", -5.0, "the total is outside 0 to 100 (staff 'S000001')"),
        ("total", 150, "the total is outside 0 to 100 (staff 'S000001')"),
        ("total", "abc", "the total is not a number (staff 'S000001')"),
        ("total", "91 điểm", "the total is not a number (staff 'S000001')"),
        ("total", True, "the total is not a number (staff 'S000001')"),
        ("total", math.inf, "the total is not a finite number (staff 'S000001')"),
        ("total", 10**400, "the total is not a finite number (staff 'S000001')"),
        ("rule_set", "vn.nd335-2052", "unknown rule set 'vn.nd335-2052'; did you mean "
                                      "'vn.nd335-2025'? (a rule file's set: pass it as rules) "
                                      "(staff 'S000001')"),
        ("staff_id", None, "blank staff id"),
        ("staff_id", "S0\n1", "the staff id contains a control character"),
        ("staff_id", "S0\x00", "the staff id contains a control character"),
        ("staff_id", ["A"], "the staff id is not text"),
        ("reasons", {"x": 1}, "the reasons are not text (codes joined by ';') (staff 'S000001')"),
        ("period", "2026-13", "is not a month like 2026-03 (staff 'S000001')"),
        ("reasons", "bogus.code", "reason code bogus.code is not in the catalogue of reasons of "
                                  "rule set vn.nd335-2025: no sheet could explain it "
                                  "(staff 'S000001')"),
        ("reasons", "disqualifier.nothing", "reason code disqualifier.nothing is not in the "
                                            "catalogue of reasons of rule set vn.nd335-2025: "
                                            "no sheet could explain it (staff 'S000001')"),
        ("classified", "maybe", "not a yes/no value (true/false, 1/0, x or blank) "
                                "(staff 'S000001')"),
        ("classified", 2, "not a yes/no value (true/false, 1/0, x or blank) (staff 'S000001')"),
    ])  # fmt: skip
    def test_a_bad_value_is_named_with_its_row_column_and_value(
        self, column: str, value: Any, message: str
    ) -> None:
        """The issue's silent cases: grade 'XYZ', total -5, total 'abc' …, each located."""
        found = problems_of(one_bad(column, value))
        assert found[0][:2] == (1, column)
        assert found[0][3] == message

    @pytest.mark.parametrize(("total", "grade", "reasons", "message"), [
        (85.0, "HTXS", "", "grade HTXS is above the band of the total 85 (HTT) under "
                           "vn.nd335-2025"),
        (95.0, "HT", "", "grade HT is below the band of the total 95 (HTXS) under vn.nd335-2025 "
                         "without a reason code that lowers it (a cap or disqualifier, "
                         "cap.head_unit, competent.concluded, quota.demoted)"),
        (95.0, "HTT", "disqualifier.discipline", "grade HTT is above KHT, the most its reasons "
                                                 "(disqualifier.discipline) allow"),
    ])  # fmt: skip
    def test_a_grade_must_agree_with_its_total_and_reasons(
        self, total: float, grade: str, reasons: str, message: str
    ) -> None:
        """NĐ 335 Điều 20: the band of the total, lowered only by a cap, the head cap, a
        conclusion or the quota — never raised."""
        found = problems_of(one_bad("total", total, grade=grade, score_grade=None,
                                    reasons=reasons))  # fmt: skip
        assert [(r, c, v, m.removesuffix(" (staff 'S000001')")) for r, c, v, m in found] == [
            (1, "grade", grade, message)]

    @pytest.mark.parametrize("reason", ["quota.demoted", "cap.head_unit", "competent.concluded",
                                        "disqualifier.discipline"])  # fmt: skip
    def test_a_lower_grade_with_a_lowering_reason_is_accepted(self, reason: str) -> None:
        """A quota demotion (HTXS → HTT), the head cap, a conclusion, a disqualifier."""
        grade = "KHT" if reason.startswith("disqualifier") else "HTT"
        assert problems_of(one_bad("grade", grade, reasons=reason)) == []

    def test_the_score_grade_is_the_band_of_the_total(self) -> None:
        """score_grade is the band, nothing else."""
        found = problems_of(one_bad("score_grade", "HTT"))
        assert [(c, m) for _r, c, _v, m in found] == [
            ("score_grade", "score grade HTT is not the band of the total 91 (HTXS) under "
                            "vn.nd335-2025 (staff 'S000001')")]  # fmt: skip

    def test_a_grade_without_a_total_is_refused(self) -> None:
        """Not evaluated means no total and no grade."""
        found = problems_of(one_bad("total", None, score_grade=None))
        assert [(c, m) for _r, c, _v, m in found] == [
            ("grade", "a grade without a total (staff 'S000001')")]

    def test_ids_that_are_one_person_after_normalisation_are_reported(self) -> None:
        """'S000001' and 'S000001' + zero-width space are the same person."""
        frame = one_bad("staff_id", "S000000\u200b")
        assert [m for _r, _c, _v, m in problems_of(frame)] == [
            "staff ids 'S000000', 'S000000\\u200b' are one person once spaces and invisible "
            "characters are removed"]  # fmt: skip

    def test_every_problem_is_listed_at_once(self) -> None:
        """Collect all problems of an input instead of stopping at the first."""
        frame = plain_month("2026-03", n=4).astype(object)
        frame.loc[0, "grade"] = "XYZ"
        frame.loc[1, "total"] = -5.0
        frame.loc[2, "total"] = "abc"
        frame.loc[3, "rule_set"] = "vn.nope"
        with pytest.raises(InputError) as exc, Archive(Path(tempfile.mkdtemp()) / "a.sqlite") as arc:
            arc.finalize(frame, by="A")
        assert sorted((p.row, p.column) for p in exc.value.problems) == [
            (0, "grade"), (1, "total"), (2, "total"), (3, "rule_set")]

    def test_no_rule_set_anywhere_is_a_problem(self) -> None:
        """Never assume a rule set: the results must name theirs."""
        frame = plain_month("2026-03").drop(columns=["rule_set"])
        assert [m for _r, _c, _v, m in problems_of(frame)] == [
            "results name no rule set (a rule_set column, or rules=...)"]
        assert check_results(frame, rules=ND335) == []


def _doc(path: Path) -> dict[str, Any]:
    results, units, inputs = classified("2026-03", {"H": 100.0, "A": 95.0, "B": 80.0, "C": 60.0},
                                        head="H")  # fmt: skip
    results.attrs.update(units=units, unit_inputs=inputs, period="2026-03")
    doc = results_document(results)
    path.write_text(json.dumps(doc, ensure_ascii=False))
    return doc


def run_finalize(doc_path: Path, archive: Path) -> tuple[int, str]:
    """Run `evalkit finalize` and return (exit code, stderr)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["finalize", str(doc_path), "--archive", str(archive), "--by", "TCCB",
                     "--json"], stdout=io.StringIO())  # fmt: skip
    return code, err.getvalue()


class TestResultsFile:
    def test_a_results_file_with_a_bad_grade_exits_1_naming_file_row_column_value(
        self, tmp_path: Path
    ) -> None:
        """`evalkit finalize ket-qua.json` with grade 'XYZ': exit 1, nothing written."""
        path = tmp_path / "ket-qua.json"
        doc = _doc(path)
        doc["data"]["rows"][2]["grade"] = "XYZ"
        path.write_text(json.dumps(doc))
        archive = tmp_path / "a.sqlite"
        Archive(archive).close()
        before = dump(archive)
        buf = io.StringIO()
        assert main(["--lang", "en", "finalize", str(path), "--archive", str(archive), "--by",
                     "X", "--json"], stdout=buf) == 1  # fmt: skip
        out = json.loads(buf.getvalue())
        # a JSON file's row is the record's 1-based position in "rows" (as read_results
        # reports it), not the frame label the document carries in its "row" field
        assert [(p["file"], p["row"], p["column"], p["value"], p["message"])
                for p in out["problems"]] == [
            (str(path), 3, "grade", "XYZ", "is not a grade: write HTXS, HTT, HT, KHT, its full "
                                           "name or a number from 0 (KHT) to 3 (HTXS)")]  # fmt: skip
        assert dump(archive) == before

    @pytest.mark.parametrize(("field", "value", "vi", "en"), [
        ("grade", "XYZ", "không phải là mức xếp loại: ghi HTXS, HTT, HT, KHT, tên đầy đủ của "
                         "mức hoặc số từ 0 (KHT) đến 3 (HTXS)",
         "is not a grade: write HTXS, HTT, HT, KHT, its full name or a number from 0 (KHT) to "
         "3 (HTXS)"),
        ("total", 150, "vượt mức tối đa 100", "exceeds its maximum 100"),
        ("total", -1, "là số âm", "is negative"),
        ("total", "abc", "không phải là số", "is not a number"),
        ("total", True, "là giá trị có/không, không phải số", "is a yes/no value, not a number"),
    ])
    def test_the_reader_speaks_the_command_lines_language(
        self, tmp_path: Path, field: str, value: object, vi: str, en: str
    ) -> None:
        """The results reader's problems (before finalize's checks) in Vietnamese by
        default, in English with --lang en; nothing written either way."""
        path = tmp_path / "ket-qua.json"
        doc = _doc(path)
        doc["data"]["rows"][2][field] = value
        path.write_text(json.dumps(doc))
        archive = tmp_path / "a.sqlite"
        Archive(archive).close()
        before = dump(archive)
        for lang, want in (("vi", vi), ("en", en)):
            buf = io.StringIO()
            assert main(["--lang", lang, "finalize", str(path), "--archive", str(archive),
                         "--by", "X", "--json"], stdout=buf) == 1  # fmt: skip
            assert [(p["file"], p["row"], p["column"], p["value"], p["message"])
                    for p in json.loads(buf.getvalue())["problems"]] == [
                (str(path), 3, field, value, want)]  # fmt: skip
        assert dump(archive) == before

    def test_a_valid_results_file_is_archived_with_its_inputs(self, tmp_path: Path) -> None:
        """The documented walk: classify → JSON → finalize; the month can be amended."""
        path = tmp_path / "ket-qua.json"
        _doc(path)
        code, err = run_finalize(path, tmp_path / "a.sqlite")
        assert (code, err) == (0, "")
        with Archive(tmp_path / "a.sqlite") as arc:
            assert arc.months()[0].inputs and arc.verify().ok


# --------------------------------------------------------------------------- fuzzing

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=8,
)  # fmt: skip
FIELDS = ["staff_id", "period", "rule_set", "total", "score_grade", "grade", "proposed_grade",
          "reasons", "unit_id", "tien_do", "discipline", "is_head", "row", "quota_rank",
          "points_tasks"]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """The valid document with one to three random changes."""
    doc = copy.deepcopy(base)
    rows = doc["data"]["rows"]
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["set", "drop", "dup", "units", "unit_inputs", "columns",
                                    "rule_set", "total"]))  # fmt: skip
        i = draw(st.integers(0, len(rows) - 1))
        if how == "set":
            rows[i][draw(st.sampled_from(FIELDS))] = draw(json_values)
        elif how == "total":
            rows[i]["total"] = draw(st.floats(-10, 120) | st.sampled_from([0, 100, 89.999]))
        elif how == "drop":
            rows[i].pop(draw(st.sampled_from(FIELDS)), None)
        elif how == "dup":
            rows.append(copy.deepcopy(rows[i]))
        elif how in ("units", "unit_inputs"):
            doc["data"][how] = draw(st.none() | st.lists(st.dictionaries(
                st.sampled_from(["unit_id", "grade", "tasks_done", "head_id", "row"]),
                json_values, max_size=4), max_size=2))  # fmt: skip
        elif how == "columns":
            doc["data"]["columns"] = draw(json_values)
        else:
            doc["data"]["rule_set"] = draw(json_values)
    return doc


def _check_outcome(doc: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.json"
        path.write_text(json.dumps(doc, ensure_ascii=False, allow_nan=True))
        code, err = run_finalize(path, Path(tmp) / "a.sqlite")
        assert code in (0, 1), err
        assert "Traceback" not in err and "Internal error" not in err, err
        if code == 0:  # a correct archive: it verifies and its month passes the checks
            with Archive(Path(tmp) / "a.sqlite") as arc:
                assert arc.verify().ok
                month = arc.months()[0]
                assert check_results(arc.month(month.period)) == []


_BASE: dict[str, Any] = {}


def _base() -> dict[str, Any]:
    if not _BASE:
        with tempfile.TemporaryDirectory() as tmp:
            _BASE.update(_doc(Path(tmp) / "r.json"))
    return _BASE


def test_a_results_file_naming_no_column_with_a_record_twice_is_refused_at_its_records(
        tmp_path: Path) -> None:  # fmt: skip
    """``"columns": []`` beside records (found by the fuzz below: pandas then makes a frame
    of no row, and the problems of records 5 and 6 pointed past its end — an internal
    IndexError): exit 1, the records named, never a traceback."""
    doc = _base()
    doc["data"]["columns"] = []
    doc["data"]["rows"] += [copy.deepcopy(doc["data"]["rows"][0])] * 2
    path = tmp_path / "r.json"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["finalize", str(path), "--archive", str(tmp_path / "a.sqlite"), "--by",
                     "TCCB"], stdout=out)  # fmt: skip
    said = out.getvalue() + err.getvalue()
    assert code == 1 and "IndexError" not in said and "nội bộ" not in said, said
    assert "bản ghi 5" in said and "bản ghi 6" in said, said


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_fuzz_mutated_results_files_give_a_located_error_or_a_correct_archive(
    data: st.DataObject,
) -> None:
    """A valid results JSON with random changes: exit 0 with an archive that verifies and
    passes the checks, or exit 1 with the problems — never a traceback."""
    _check_outcome(data.draw(mutated(_base())))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(json_values | st.fixed_dictionaries({
    "schema": st.just("evalkit/1") | json_values, "kind": st.just("results") | json_values,
    "data": json_values | st.fixed_dictionaries({"rows": json_values, "columns": json_values,
                                                 "units": json_values})}))  # fmt: skip
def test_fuzz_random_json_documents_never_end_in_a_traceback(doc: Any) -> None:
    """Any JSON document given to finalize: a located error or a correct archive."""
    _check_outcome(doc)


class TestNothingLeftBehind:
    """A refused first month leaves no archive file; a refused later month leaves the
    archive as it was (never a half-finished output)."""

    def test_a_refused_first_month_leaves_no_file(self, tmp_path: Path) -> None:
        path = tmp_path / "ket-qua.json"
        doc = _doc(path)
        doc["data"]["rows"][2]["grade"] = "XYZ"
        path.write_text(json.dumps(doc))
        archive = tmp_path / "new.sqlite"
        code, _ = run_finalize(path, archive)
        assert code == 1
        assert not archive.exists() and not list(tmp_path.glob("new.sqlite*"))

    def test_a_refused_month_keeps_an_archive_with_months(self, tmp_path: Path) -> None:
        archive = tmp_path / "a.sqlite"
        with Archive(archive) as arc:
            arc.finalize(plain_month("2026-02"), by="TCCB")
        before = dump(archive)
        bad = plain_month("2026-03").astype(object)
        bad.at[1, "reasons"] = "bogus.code"
        with pytest.raises(InputError), Archive(archive) as arc:
            arc.finalize(bad, by="TCCB")
        assert archive.exists() and dump(archive) == before

    @pytest.mark.parametrize("value", [True, False, "true", "x", "không", 0, 1.0, None,
                                       "Đúng", "sai", "✓", "Y"])  # fmt: skip
    def test_yes_no_values_of_classified_pass(self, value: Any) -> None:
        """Every yes/no word a door reads (evalkit._words.bool_of) passes the archive's
        check: "Đúng", "sai", "✓" were refused by a list of its own (af143)."""
        frame = one_bad("classified", value)
        assert not [p for p in check_results(frame) if p.column == "classified"]


@pytest.mark.parametrize("events", [{}, {"loi_chat_luong": 0, "cham_tien_do": 1}])
def test_results_without_their_scores_are_refused_with_what_to_finalize(
        tmp_path: Path, events: dict[str, int]) -> None:  # fmt: skip
    """Audit 10: classify_frame's results alone, given with the units' inputs, said "its
    inputs give None" for every row; they carry no criterion score to classify again from.
    The staff-month frame joined with its results is what finalize archives. The counts of
    errors and delays (NĐ 335/2025 Điều 14 k2 b, c), which the results keep for the quota's
    tie-break, are no score: with them the results still carry none (af57: every row was
    said not to follow from its inputs)."""
    import evalkit
    from evalkit.io.archive import Archive

    full = evalkit.rules.get("vn.nd335-2025").full_marks()
    sm = pd.DataFrame([{"staff_id": s, "unit_id": "U", "period": "2026-03",
                        "category": "cong_chuc", **full, "so_luong": 80.0, **events}
                       for s in ("H", "S0", "S1")])  # fmt: skip
    sm = heads_typed(sm, evalkit.rules.get("vn.nd335-2025"), sm["staff_id"] == "H", alone=False)
    units = pd.DataFrame({"unit_id": ["U"], "head_id": ["H"], "tasks_assigned": [10],
                          "tasks_done": [8]})  # fmt: skip
    staff, unit_results = evalkit.classify_frame(sm, units)
    with Archive(tmp_path / "a.sqlite") as arc:
        with pytest.raises(evalkit.InputError) as exc:
            arc.finalize(staff, by="t", units=unit_results, unit_inputs=units)
        [p] = exc.value.problems
        assert "none of vn.nd335-2025's criterion scores" in p.message
        joined = sm.join(staff.drop(columns=[c for c in staff.columns if c in sm.columns]))
        arc.finalize(joined, by="t", units=unit_results, unit_inputs=units)
        assert arc.month("2026-03")["grade"].astype(str).tolist() == \
            staff["grade"].astype(str).tolist()


def test_a_month_nobody_was_scored_in_is_archived_and_counts_no_month(tmp_path: Path) -> None:
    """A one-person unit whose member is on maternity leave all of April: the month's frame
    (as ``frames_from_objects`` or a user builds it) has no criterion column, as nobody was
    scored; ``classify_frame`` says "not evaluated", never a zero (domain brief §4.5), and
    the archive keeps the month as classified again from the same inputs — it refused it as
    "results alone". The year then has no month worked: not classified (NĐ 335/2025 Điều 21,
    ``rollup.no_months``)."""
    import evalkit
    from evalkit.io.archive import Archive

    sm = pd.DataFrame([{"staff_id": "L", "full_name": "Lê Thị Lan", "unit_id": "U",
                        "period": "2026-04", "category": "cong_chuc", "leave": "maternity"}])
    units = pd.DataFrame([{"unit_id": "U", "name": "Phòng U", "period": "2026-04",
                           "tasks_assigned": 10, "tasks_done": 9}])  # fmt: skip
    staff, unit_results = evalkit.classify_frame(sm, units)
    month = sm.join(staff.drop(columns=[c for c in staff.columns if c in sm.columns]))
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(month, by="t", units=unit_results, unit_inputs=units)
        year = arc.annual(2026).set_index("staff_id")
    assert pd.isna(year.loc["L", "annual_total"]) and pd.isna(year.loc["L", "annual_grade"])
    assert year.loc["L", "reasons"] == "rollup.no_months"
