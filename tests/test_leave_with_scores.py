"""A month marked ``leave`` that also carries scores is refused at every door (audit 10).

A month of leave has no score and is left out of the year (NĐ 335/2025/NĐ-CP Điều 21: the
time actually worked; docs/periods.md, docs/classification.md). Before, a row with both was
scored as a month worked with nothing said: NĐ 90/2020 Điều 2 k3's absence cap ("nghỉ ...
từ 03 tháng đến dưới 06 tháng" → at most HT) never saw four sick months typed with scores,
and a maternity month with task results typed 0 pulled a year of 100 down to 94.17. Now the
frame doors, :class:`~evalkit.model.Assessment`, the year, the workbook (``evalkit
validate``) and the archive each name the leave cell, with every other problem.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.cli import EXIT_INVALID_INPUT, EXIT_OK, main
from evalkit.io.archive import check_results
from evalkit.messages import located, translate
from evalkit.model import Assessment
from evalkit.units import rollup_frame
from tests._io_helpers import filled_workbook, person

ND335 = evalkit.rules.get("vn.nd335-2025")
ND90 = evalkit.rules.get("vn.nd90-2020")
FULL = ND335.full_marks()
UNITS = pd.DataFrame({"unit_id": ["U"]})
SAID = ("a month on leave ({}) carries scores: leave its scores blank, or clear the leave if "
        "the person worked")


def row(sid: str, period: str, **extra: Any) -> dict[str, Any]:
    return {"staff_id": sid, "unit_id": "U", "period": period, "category": "cong_chuc",
            **FULL, **extra}  # fmt: skip


def problems_of(call: Any) -> list[evalkit.InputProblem]:
    with pytest.raises(evalkit.InputError) as info:
        call()
    return list(info.value.problems)


def leave_problems(problems: list[evalkit.InputProblem]) -> list[tuple[Any, ...]]:
    return [(p.row, p.staff_id, p.value, p.message) for p in problems if p.column == "leave"]


# --------------------------------------------------------------------------- frames

#: The leave column as users build it: plain objects, pandas' text dtype, a categorical.
DTYPES = {
    "object": lambda s: s.astype(object),
    "str": lambda s: s.astype("str"),
    "string": lambda s: s.astype("string"),
    "category": lambda s: s.astype("category"),
}


def _march(leave: list[Any], dtype: str) -> pd.DataFrame:
    frame = pd.DataFrame([row(f"S{i}", "2026-03") for i in range(len(leave))])
    return frame.assign(leave=DTYPES[dtype](pd.Series(leave, dtype=object)))


@pytest.mark.parametrize("dtype", sorted(DTYPES))
@pytest.mark.parametrize("door", ["score_frame", "classify_frame"])
def test_a_scored_month_on_leave_is_refused_on_its_leave_cell(door: str, dtype: str) -> None:
    """S1 is on maternity leave (typed in Vietnamese) and S3 sick, both scored: each named
    on its leave cell with its own kind; S0 (no leave) and S2 (leave blank) are fine."""
    frame = _march([None, "thai sản", None, "sick"], dtype)
    call = {"score_frame": lambda: evalkit.score_frame(frame, "vn.nd335-2025"),
            "classify_frame": lambda: evalkit.classify_frame(frame, UNITS)}[door]
    problems = problems_of(call)
    assert leave_problems(problems) == [(1, "S1", "thai sản", SAID.format("maternity")),
                                        (3, "S3", "sick", SAID.format("sick"))]  # fmt: skip
    assert len(problems) == 2


@pytest.mark.parametrize("door", ["score_frame", "classify_frame"])
def test_every_problem_is_collected_with_the_leave(door: str) -> None:
    """A score above its maximum on another row, an unknown kind of leave and a leave with
    scores: all three in one InputError, in row order (never only the first)."""
    frame = pd.DataFrame([row("A", "2026-03", pham_chat_dao_duc=7.0),
                          row("B", "2026-03", leave="du lịch"),
                          row("C", "2026-03", leave="ốm")])  # fmt: skip
    call = {"score_frame": lambda: evalkit.score_frame(frame, "vn.nd335-2025"),
            "classify_frame": lambda: evalkit.classify_frame(frame, UNITS)}[door]
    problems = problems_of(call)
    assert [(p.row, p.column) for p in problems] == [
        (0, "pham_chat_dao_duc"), (1, "leave"), (2, "leave")]
    assert "exceeds its maximum" in problems[0].message
    assert "is not" in problems[1].message and "carries scores" not in problems[1].message
    assert problems[2].message == SAID.format("sick")


def test_a_partly_scored_leave_month_is_said_once_on_the_leave() -> None:
    """One task score typed on a sick month: the leave cell is named, and the criteria
    left blank are not asked for (the fix is to clear the score, or the leave)."""
    frame = pd.DataFrame([{"staff_id": "A", "period": "2026-03", "category": "cong_chuc",
                           "so_luong": 80.0, "leave": "sick"}])  # fmt: skip
    problems = problems_of(lambda: evalkit.score_frame(frame, "vn.nd335-2025"))
    assert [(p.row, p.column, p.value) for p in problems] == [(0, "leave", "sick")]


def test_levels_scores_on_a_leave_month_are_said_once() -> None:
    """Only the person's and the manager's own columns (``self__``, ``manager__``) on a
    sick month: one problem on the leave cell, not one per level."""
    frame = pd.DataFrame([{"staff_id": "A", "period": "2026-03", "category": "cong_chuc",
                           "leave": "ốm", **{f"self__{k}": v for k, v in FULL.items()},
                           **{f"manager__{k}": v for k, v in FULL.items()}}])  # fmt: skip
    problems = problems_of(lambda: evalkit.score_frame(frame, "vn.nd335-2025"))
    assert leave_problems(problems) == [(0, "A", "ốm", SAID.format("sick"))]
    assert len(problems) == 1


def test_a_kpi_on_a_leave_month_is_a_score() -> None:
    """A task-tracker percentage stands for the task block: on an absent month, refused."""
    frame = pd.DataFrame([{"staff_id": "A", "period": "2026-03", "category": "cong_chuc",
                           "kpi": 90.0, "leave": "vắng"}])  # fmt: skip
    assert leave_problems(problems_of(lambda: evalkit.score_frame(frame, "vn.nd335-2025"))) == [
        (0, "A", "vắng", SAID.format("absent"))]


def test_a_leave_month_without_scores_is_not_evaluated_and_left_out() -> None:
    """The documented way: eleven months at 100, June on maternity leave with every score
    blank — June has no total and the year is the mean of the eleven months worked (100),
    not a twelve-month mean with a zero (the audit's 94.17)."""
    blank = dict.fromkeys(FULL, np.nan)
    rows = [row("A", f"2026-{m:02d}", **({**blank, "leave": "maternity"} if m == 6 else {}))
            for m in range(1, 13)]  # fmt: skip
    staff, units = evalkit.classify_frame(pd.DataFrame(rows), UNITS)
    assert np.isnan(staff.loc[5, "total"]) and not staff["total"].drop(5).isna().any()
    year = evalkit.classify_year(staff, units).iloc[0]
    assert (year["months"], year["leave_months"], year["maternity_months"]) == (11, 1, 1)
    assert year["total"] == 100.0  # every month worked at full marks (30 + 70, Điều 12)


# --------------------------------------------------------------------------- NĐ 90's cap


def _vien_chuc_2025(scored_leave: bool) -> pd.DataFrame:
    """A viên chức under NĐ 90 in 2025: full marks January-August, sick September-December
    (scored or not), and MAT: full marks January-May, maternity June-December."""
    top = ND90.full_marks()
    blank = dict.fromkeys(top, np.nan)
    rows = []
    for m in range(1, 13):
        p = f"2025-{m:02d}"
        sick = m >= 9
        rows.append({"staff_id": "S", "unit_id": "U", "period": p, "category": "vien_chuc",
                     **(top if not sick or scored_leave else blank),
                     **({"leave": "sick"} if sick else {})})  # fmt: skip
        mat = m >= 6
        rows.append({"staff_id": "MAT", "unit_id": "U", "period": p, "category": "vien_chuc",
                     **(top if not mat or scored_leave else blank),
                     **({"leave": "maternity"} if mat else {})})
    return pd.DataFrame(rows)


def test_nd90_absence_cap_still_applies_to_leave_months_without_scores() -> None:
    """NĐ 90/2020 Điều 2 k3: four months on sick leave (3 to under 6) → at most HT, on the
    eight months worked (100 each, HTXS by band); maternity leave (seven months) has its
    own sentence — classified on the five months worked, no cap."""
    staff, units = evalkit.classify_frame(_vien_chuc_2025(scored_leave=False), UNITS)
    year = evalkit.classify_year(staff, units).set_index("staff_id")
    s, mat = year.loc["S"], year.loc["MAT"]
    assert (s["months"], s["leave_months"], s["away_months"]) == (8, 4, 4)
    assert s["score_grade"] == "HTXS" and s["grade"] == "HT"
    assert "rollup.absent_cap" in s["reasons"].split(";")
    assert (mat["months"], mat["leave_months"], mat["maternity_months"]) == (5, 7, 7)
    assert mat["classified"] and mat["away_months"] == 0
    assert "rollup.absent_cap" not in mat["reasons"].split(";")


def test_nd90_sick_months_typed_with_scores_are_refused_not_counted_as_worked() -> None:
    """The audit's input: the same year with the sick and maternity months scored. Every
    such month is named (4 of S, 7 of MAT), never a year of twelve months worked."""
    problems = problems_of(lambda: evalkit.classify_frame(_vien_chuc_2025(scored_leave=True),
                                                          UNITS))  # fmt: skip
    got = leave_problems(problems)
    assert [(sid, v) for _r, sid, v, _m in got] == [("MAT", "maternity")] * 3 + [
        ("S", "sick"), ("MAT", "maternity")] * 4
    assert len(problems) == 11


# --------------------------------------------------------------------------- the year


def test_the_year_refuses_a_total_on_a_leave_month() -> None:
    """Results built by hand: a total on a month marked sick is not a month worked."""
    months = pd.DataFrame({"staff_id": "A", "period": [f"2026-{m:02d}" for m in range(1, 13)],
                           "total": [85.0] * 12, "leave": [None] * 11 + ["Nghỉ ốm"]})  # fmt: skip
    problems = problems_of(lambda: rollup_frame(months, ND335))
    assert leave_problems(problems) == [(11, "A", "Nghỉ ốm", SAID.format("sick"))]
    assert rollup_frame(months.assign(total=[85.0] * 11 + [None]), ND335)["months"].tolist() == [
        11]


def test_rollup_of_results_refuses_a_leave_on_a_scored_month() -> None:
    """The object face of the year: a result for December and December listed as leave."""
    results = [evalkit.EvaluationResult("A", evalkit.Period.month(2026, m), "vn.nd335-2025",
                                        80.0, None, None) for m in range(1, 13)]  # fmt: skip
    problems = problems_of(lambda: evalkit.rollup(results, leave={"2026-12": "maternity"}))
    assert [(p.staff_id, p.column, p.value) for p in problems] == [("A", "leave", "maternity")]


# --------------------------------------------------------------------------- objects


@pytest.mark.parametrize("scores", [
    {"self_scores": {"so_luong": 90}},
    {"manager_scores": {"so_luong": 0}},
    {"competent_scores": FULL},
    {"kpi": 80.0},
])  # fmt: skip
def test_an_assessment_with_leave_and_scores_is_refused(scores: dict[str, Any]) -> None:
    """Any level's scores (a 0 included) or a kpi on a month on leave: ModelError naming
    the person, the month and the kind."""
    with pytest.raises(evalkit.ModelError) as info:
        Assessment("CC-1", "2026-06", leave="thai sản", **scores)
    assert str(info.value) == (
        "a month on leave (maternity) carries scores (staff 'CC-1', 2026-06): leave its scores "
        "blank, or clear the leave if the person worked")


def test_an_assessment_on_leave_without_scores_is_not_evaluated() -> None:
    """The documented month of leave: no score, not evaluated, never a zero."""
    a = Assessment("CC-1", "2026-06", leave="ốm", discipline=1)
    assert a.leave == "sick"
    result = evalkit.score(a, rules="vn.nd335-2025")
    assert result.total is None and not result.evaluated


# --------------------------------------------------------------------------- the words


def test_the_sentence_is_vietnamese_on_the_command_line() -> None:
    """translate() knows the library's sentence (the frame's and the object's), the kind
    of leave as the workbook writes it."""
    assert translate(SAID.format("sick")) == (
        "tháng nghỉ theo quy định (ốm) nhưng có điểm: để trống các ô điểm của tháng nghỉ, "
        "hoặc xóa ô nghỉ nếu người đó có làm việc")
    with pytest.raises(evalkit.ModelError) as info:
        Assessment("CC-1", "2026-06", leave="absent", kpi=50.0)
    vi = translate(str(info.value))
    assert vi.startswith("tháng nghỉ theo quy định (vắng) nhưng có điểm (người được đánh giá 'CC-1', 2026-06)")
    assert translate(SAID.format("maternity"), "en") == SAID.format("maternity")


# --------------------------------------------------------------------------- workbook


def _validate(path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    buf = io.StringIO()
    code = main(["validate", str(path), "--json", *args], stdout=buf)
    return code, json.loads(buf.getvalue())


def test_validate_names_the_leave_cell_of_a_scored_month(tmp_path: Path) -> None:
    """`evalkit validate`: the leave cell of B (maternity, scored) is a problem with its
    file, sheet, row, column and value, beside A's score over its maximum (every problem
    at once); C, on leave with no score, is fine. Vietnamese by default, English asked."""
    away = {"staff_id": "C", "position_id": "CV", "unit_id": "P1", "leave": "ốm"}
    path = filled_workbook(tmp_path / "f.xlsx", [person("A", pham_chat_dao_duc=7),
                                                 person("B", leave="thai sản"), away])
    code, report = _validate(path)
    assert code == EXIT_INVALID_INPUT
    got = [(p["sheet"], p["row"], p["column"], p["staff_id"], p["value"])
           for p in report["problems"]]  # fmt: skip
    assert got == [("Nhân sự - Điểm", 2, "competent__pham_chat_dao_duc", "A", 7),
                   ("Nhân sự - Điểm", 3, "leave", "B", "thai sản")]  # fmt: skip
    assert all(p["file"] == str(path) for p in report["problems"])
    assert report["problems"][1]["message"].endswith(
        "tháng nghỉ theo quy định (thai sản) nhưng có điểm: để trống các ô điểm của tháng "
        "nghỉ, hoặc xóa ô nghỉ nếu người đó có làm việc")
    _code, english = _validate(path, "--lang", "en")
    assert english["problems"][1]["message"].endswith(SAID.format("maternity"))


def test_validate_passes_a_leave_month_left_blank(tmp_path: Path) -> None:
    """The same workbook with B's leave cleared: nothing to say."""
    away = {"staff_id": "C", "position_id": "CV", "unit_id": "P1", "leave": "ốm"}
    path = filled_workbook(tmp_path / "f.xlsx", [person("A"), person("B"), away])
    code, report = _validate(path)
    assert code == EXIT_OK and report["ok"]


def test_the_workbook_reader_says_it_with_the_other_reader_problems(tmp_path: Path) -> None:
    """read_month finds it itself (so a workbook with other problems still lists it), on
    the leave cell, with a located Vietnamese line."""
    from evalkit.io.workbook import read_month

    path = filled_workbook(tmp_path / "f.xlsx", [person("A", self_grade="XS"),
                                                 person("B", kpi=90, leave="vắng")])
    month = read_month(path)
    assert [(p.row, p.column, p.value) for p in month.problems] == [
        (2, "self_grade", "XS"), (3, "leave", "vắng")]
    line = located(month.problems[1], "vi")
    assert "cột 'leave', giá trị 'vắng'" in line and "(vắng) nhưng có điểm" in line


# --------------------------------------------------------------------------- archive


def test_the_archive_refuses_results_with_a_total_on_a_leave_month() -> None:
    """check_results (what Archive.finalize checks): a total on a month marked on leave,
    and a leave that names no kind, each on its cell; a leave without a total is fine."""
    frame = pd.DataFrame({"staff_id": ["A", "B", "C", "D"], "period": "2026-03",
                          "rule_set": "vn.nd335-2025", "total": [91.0, None, 80.0, None],
                          "grade": ["HTXS", None, "HTT", None],
                          "leave": ["thai sản", "ốm", "", "du lịch"]})  # fmt: skip
    problems = check_results(frame)
    got = sorted((p.row, p.column, p.value) for p in problems)
    assert got == [(0, "leave", "thai sản"), (3, "leave", "du lịch")]
    said = {p.row: p.message for p in problems}
    assert said[0].startswith(SAID.format("maternity"))
    assert "is not a kind of leave" in said[3]


# --------------------------------------------------------------------------- quarters
#
# A quarter row (a quarterly rule set's, e.g. customs from Q3/2026, or quarters given to the
# year) on leave with scores is refused as a month is, and the sentence names the quarter:
# "a quarter on leave", "quý nghỉ theo quy định" — never "a month" (af230).

CUSTOMS = evalkit.rules.get("vn.customs-2026q")
SAID_Q = ("a quarter on leave ({}) carries scores: leave its scores blank, or clear the leave "
          "if the person worked")
SAID_Q_VI = ("quý nghỉ theo quy định ({}) nhưng có điểm: để trống các ô điểm của quý nghỉ, "
             "hoặc xóa ô nghỉ nếu người đó có làm việc")


def test_an_assessment_of_a_quarter_with_leave_and_scores_names_the_quarter() -> None:
    """The object door: ModelError naming the quarter, in English and (translated, as the
    command line says it) in Vietnamese."""
    with pytest.raises(evalkit.ModelError) as info:
        Assessment("CQ", "2026-Q3", leave="ốm", competent_scores=CUSTOMS.full_marks())
    assert str(info.value) == (
        "a quarter on leave (sick) carries scores (staff 'CQ', 2026-Q3): leave its scores "
        "blank, or clear the leave if the person worked")
    assert translate(str(info.value)) == (
        "quý nghỉ theo quy định (ốm) nhưng có điểm (người được đánh giá 'CQ', 2026-Q3): để "
        "trống các ô điểm của quý nghỉ, hoặc xóa ô nghỉ nếu người đó có làm việc")


@pytest.mark.parametrize(("door", "with_period"), [
    ("score_frame", True), ("score_frame", False), ("classify_frame", True)])
def test_a_scored_quarter_on_leave_is_refused_naming_the_quarter(door: str,
                                                                 with_period: bool) -> None:
    """Customs quarter rows scored with a leave (two months worked, the third sick): the
    leave cell says "a quarter"; scored without a period column, the set's period (a
    quarter)."""
    rows = [{"staff_id": sid, "unit_id": "U", "period": "2026-Q3", "category": "cong_chuc",
             "months_worked": 2, **CUSTOMS.full_marks(), **extra}
            for sid, extra in (("A", {}), ("B", {"leave": "ốm"}), ("C", {"leave": "thai sản"}))]
    frame = pd.DataFrame(rows)
    if not with_period:
        frame = frame.drop(columns="period")
    units = pd.DataFrame({"unit_id": ["U"], "period": ["2026-Q3"]})
    call = {"score_frame": lambda: evalkit.score_frame(frame, CUSTOMS),
            "classify_frame": lambda: evalkit.classify_frame(frame, units, CUSTOMS)}[door]
    problems = problems_of(call)
    assert leave_problems(problems) == [(1, "B", "ốm", SAID_Q.format("sick")),
                                        (2, "C", "thai sản", SAID_Q.format("maternity"))]
    assert [translate(p.message) for p in problems] == [SAID_Q_VI.format("ốm"),
                                                        SAID_Q_VI.format("thai sản")]


@pytest.mark.parametrize("door", ["rollup_frame", "classify_year"])
def test_the_year_names_each_rows_period_months_and_quarters_alike(door: str) -> None:
    """Results given to the year: M's months and Q's quarters, each with a total on a
    leave period — M's month says "a month", Q's quarter "a quarter"."""
    months = pd.DataFrame({"staff_id": "M", "unit_id": "U",
                           "period": [f"2026-{m:02d}" for m in range(1, 13)],
                           "total": [85.0] * 12, "leave": [None] * 11 + ["vắng"]})
    quarters = pd.DataFrame({"staff_id": "Q", "unit_id": "U",
                             "period": [f"2026-Q{q}" for q in range(1, 5)],
                             "total": [85.0] * 4, "months_worked": [3, 2, 3, 3],
                             "leave": [None, "sick", None, None]})
    frame = pd.concat([months, quarters], ignore_index=True)
    call = {"rollup_frame": lambda: rollup_frame(frame, ND335),
            "classify_year": lambda: evalkit.classify_year(frame, rules=ND335)}[door]
    assert leave_problems(problems_of(call)) == [(11, "M", "vắng", SAID.format("absent")),
                                                 (13, "Q", "sick", SAID_Q.format("sick"))]


def test_rollup_of_quarter_results_refuses_a_leave_on_a_scored_quarter() -> None:
    """The object face of the year: quarter results and the fourth quarter listed as leave."""
    results = [evalkit.EvaluationResult("A", evalkit.Period.quarter(2026, q), "vn.nd335-2025",
                                        80.0, None, None) for q in range(1, 5)]  # fmt: skip
    problems = problems_of(lambda: evalkit.rollup(results, leave={"2026-Q4": "maternity"}))
    assert [(p.staff_id, p.column, p.value, p.message) for p in problems] == [
        ("A", "leave", "maternity", SAID_Q.format("maternity"))]


def test_the_archive_names_the_quarter_of_a_leave_with_a_total() -> None:
    """check_results (Archive.finalize) on a customs quarter's results."""
    frame = pd.DataFrame({"staff_id": ["A", "B"], "period": "2026-Q3",
                          "rule_set": "vn.customs-2026q", "total": [91.0, None],
                          "grade": ["HTXS", None], "leave": ["thai sản", "ốm"]})  # fmt: skip
    problems = check_results(frame)
    assert [(p.row, p.column, p.value) for p in problems] == [(0, "leave", "thai sản")]
    assert problems[0].message.startswith(SAID_Q.format("maternity"))
    assert located(problems[0], "vi").endswith(
        SAID_Q_VI.format("thai sản") + " (người được đánh giá 'A')")


def test_validate_names_the_quarter_of_a_quarter_workbook(tmp_path: Path) -> None:
    """`evalkit validate` on a customs quarter workbook: B's leave cell, scored, says the
    quarter in Vietnamese (by default) and English."""
    path = filled_workbook(tmp_path / "q3.xlsx", [person("A"), person("B", leave="thai sản")],
                           period="2026-Q3", rules="vn.customs-2026q")
    code, report = _validate(path)
    assert code == EXIT_INVALID_INPUT
    assert [(p["row"], p["column"], p["staff_id"], p["value"]) for p in report["problems"]] == [
        (3, "leave", "B", "thai sản")]
    assert report["problems"][0]["message"].endswith(SAID_Q_VI.format("thai sản"))
    _code, english = _validate(path, "--lang", "en")
    assert english["problems"][0]["message"].endswith(SAID_Q.format("maternity"))
