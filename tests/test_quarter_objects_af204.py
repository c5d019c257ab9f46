"""af204 (issue 13): a quarter's months worked at every door, and a short quarter's lone month.

Expectations from the texts and docs/periods.md, never from evalkit's output:

* ``min_months`` counts **months**: a quarter counts its ``months_worked`` (blank: three). A
  year of four quarters, Q1 with one month worked, is 10 months worked, the mean of the 4
  quarters. Under a set that needs 11 months that year is not classified
  (``rollup.too_few_months``) — through objects exactly as through frames: an
  :class:`~evalkit.EvaluationResult` keeps its ``months_worked``.
* NĐ 335/2025 Điều 21 classifies the year on the time actually worked; customs (CV
  21169/CHQ-TCCB) does not evaluate a quarter of one month worked or less and carries the
  month to the next quarter. With no later quarter evaluated the month goes nowhere, yet it
  was worked: it counts among the year's months worked (never in the mean nor the count of
  quarters), as a month scored with nothing assigned does (docs/_research/legal-sources.md
  §15: "công tác ≤ 01 tháng" is time at work).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit import (
    Assessment,
    EvaluationResult,
    Organisation,
    Period,
    Position,
    Staff,
    Unit,
    _tables,
)
from evalkit.errors import ModelError
from evalkit.io.archive import Archive
from evalkit.io.jsonio import from_json, to_json
from evalkit.io.results import read_results, results_document
from evalkit.units import (
    UnitInputs,
    classify_frame,
    classify_organisation,
    classify_organisation_year,
    classify_year,
    results_from_frame,
    rollup,
    rollup_frame,
)
from tests._cli_helpers import run

ND335 = evalkit.rules.get("vn.nd335-2025")
#: NĐ 335's points scored by quarter, the year the mean of the quarters, 11 months needed
QUARTERLY = attrs.evolve(ND335, id="thu.quy-11-thang", period="quarter", classified=("year",),
                         rollup=attrs.evolve(ND335.rollup, of="quarter", min_months=11))
MARKS = {**QUARTERLY.full_marks(), "so_luong": 80.0, "chat_luong": 80.0, "tien_do": 80.0}  # 86
ORG = Organisation(units=[Unit("U", "Phòng A")], positions=[Position("P", "Chuyên viên")],
                   staff=[Staff("A", "Nguyễn Văn A", "P", "U"), Staff("B", "Lê Thị B", "P", "U")])
WORKED = {"A": [1, None, None, None], "B": [None] * 4}  # A: one month of Q1 worked
QS = [f"2026-Q{i}" for i in range(1, 5)]


def _assessments(i: int) -> list[Assessment]:
    return [Assessment(sid, QS[i], competent_scores=MARKS, months_worked=w[i])
            for sid, w in WORKED.items()]


def test_a_year_of_quarters_counts_a_quarters_months_worked_at_every_door() -> None:
    """A: 10 months worked (1 + 3 + 3 + 3), mean 86 of 4 quarters, too few months for 11:
    not classified; B: 12 months, HTT (86: NĐ 335 Điều 20 k2). Objects (rollup, classify_organisation_year), frames
    (rollup_frame, classify_year), a results file and the objects' JSON give the same."""
    units = [UnitInputs("U", q, tasks_assigned=10, tasks_done=8) for q in QS]
    quarters = [classify_organisation(ORG, _assessments(i), [units[i]], QUARTERLY)
                for i in range(4)]
    objs = [c["U"].result_of(sid) for c in quarters for sid in WORKED]
    assert [r.months_worked for r in objs if r.staff_id == "A"] == [1, None, None, None]
    # the result object's months worked survive its JSON (cattrs) round trip
    assert from_json(to_json(objs), list[EvaluationResult]) == objs
    want = {"A": (10, 86.0, None, "rollup.too_few_months"), "B": (12, 86.0, "HTT", None)}

    def check(rs: list[EvaluationResult]) -> None:
        got = {r.staff_id: (r.months_worked, r.total, r.grade and r.grade.code) for r in rs}
        assert got == {k: v[:3] for k, v in want.items()}
        assert "rollup.too_few_months" in next(r for r in rs if r.staff_id == "A").reason_codes()

    check(rollup(objs, QUARTERLY))
    check(list(classify_organisation_year(quarters, QUARTERLY)["U"].staff))
    sm, un = evalkit.frames_from_objects(ORG, [a for i in range(4) for a in _assessments(i)],
                                         units)
    staff, unit = classify_frame(sm, un, QUARTERLY)
    def worked(rs: list[EvaluationResult]) -> dict[tuple[str, str], float | None]:
        return {(r.staff_id, str(r.period)): r.months_worked for r in rs}

    assert worked(results_from_frame(staff)) == worked(objs)  # frames → objects: the same
    for out in (rollup_frame(staff, QUARTERLY), classify_year(staff, unit, QUARTERLY)):
        year = out.set_index("staff_id")
        for sid, (months, total, grade, _) in want.items():
            assert (year.loc[sid, "months"], year.loc[sid, "total"], year.loc[sid, "periods"]) \
                == (months, total, 4)
            assert (None if pd.isna(g := year.loc[sid, "grade"]) else g) == grade
        check(results_from_frame(year.reset_index()))


def test_a_result_objects_months_worked_is_checked() -> None:
    """0 to the months of the period (a quarter also those carried from before it)."""
    q4 = Period.parse("2026-Q4")
    assert EvaluationResult("A", q4, ND335.id, None, None, None, months_worked=4,
                            carried_months=1).months_worked == 4
    with pytest.raises(ModelError, match="months_worked"):  # nothing carried: 3 at most
        EvaluationResult("A", q4, ND335.id, None, None, None, months_worked=4)
    with pytest.raises(ModelError, match="carried_months"):  # a month carries nothing
        EvaluationResult("A", Period.parse("2026-03"), ND335.id, None, None, None,
                         carried_months=1)
    for bad in (-1, 13, "nhiều", True):
        with pytest.raises(ModelError, match="months_worked"):
            EvaluationResult("A", q4, ND335.id, None, None, None, months_worked=bad)
    with pytest.raises(ModelError, match="months_worked"):
        EvaluationResult("A", Period.parse("2026-03"), ND335.id, None, None, None,
                         months_worked=2)


# --- customs: a short quarter with no later quarter evaluated --------------------------------

CQ = evalkit.rules.get("vn.customs-2026q")


def _customs_months(months: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"staff_id": "A", "unit_id": "U", "total": 80.0,
                         "period": [f"2027-{m:02d}" for m in months]})


def test_a_short_quarters_month_with_no_later_quarter_counts_as_worked() -> None:
    """Worked January–September and November 2027: Q4 has one month (not evaluated, nothing
    after it to carry it into). The year counts Q1–Q3 (3 quarters, HTT at 80) and 10 months
    worked — from months, from quarter rows, from quarter objects."""
    ten = _customs_months([*range(1, 10), 11])
    quarters = rollup_frame(ten, CQ, to="quarter")
    assert quarters["reasons"].iloc[-1] == "rollup.period_short"
    for year in (classify_year(ten, rules=CQ), rollup_frame(quarters, CQ),
                 classify_year(quarters, rules=CQ)):
        row = year.iloc[0]
        assert (row["months"], row["periods"], row["total"], row["grade"]) == (10, 3, 80.0, "HTT")
    (obj,) = rollup(results_from_frame(quarters), CQ)
    assert (obj.months_worked, obj.total, obj.grade and obj.grade.code) == (10, 80.0, "HTT")


def test_a_carried_month_still_counts_once() -> None:
    """August alone in Q3 is carried to Q4 (evaluated): 10 months worked, never 11."""
    ten = _customs_months([1, 2, 3, 4, 5, 6, 8, 10, 11, 12])
    quarters = rollup_frame(ten, CQ, to="quarter")
    for year in (classify_year(ten, rules=CQ), classify_year(quarters, rules=CQ)):
        assert (year.iloc[0]["months"], year.iloc[0]["periods"]) == (10, 3)  # Q3 not evaluated
    (obj,) = rollup(results_from_frame(quarters), CQ)
    assert obj.months_worked == 10


def _quarter(per: str, worked: int | None, carried: int | None = None
             ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """A customs quarter typed as one row per person (head H at full marks, A at 70 % of
    the tasks: 30 + 0.7 × 70 = 79, HTT), A's ``months_worked`` as given."""
    rows: list[dict[str, Any]] = [
        {"staff_id": "H", "full_name": "Người H", "unit_id": "U", "period": per,
         "category": "cong_chuc", "manages_others": True,
         **{k: v for k, v in CQ.full_marks(manages_others=True).items()
            if k != "ket_qua_linh_vuc"}},
        {"staff_id": "A", "full_name": "Người A", "unit_id": "U", "period": per,
         "category": "cong_chuc", "months_worked": worked, "carried_months": carried,
         **CQ.full_marks(),
         **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), 70)}]
    inputs = pd.DataFrame(rows)
    units = pd.DataFrame({"unit_id": ["U"], "name": ["Đội 1"], "head_id": ["H"], "period": [per],
                          "tasks_assigned": [30.0], "tasks_done": [30.0]})
    out, unit_results = classify_frame(inputs, units, CQ)
    return pd.concat([inputs, out[[c for c in out if c not in inputs]]], axis=1), unit_results, units


@pytest.mark.parametrize("typed", [
    {4: (1, None)},  # Q4 one month, nothing after it: its month counts
    {3: (1, None), 4: (4, 1)},  # Q3's month carried into Q4 (typed there): counted once
    {2: (2, None)},  # two months of Q2 (evaluated): the quarter's months worked, at every door
])
def test_the_quarters_months_in_the_archive_and_the_cli(
        tmp_path: Path, typed: dict[int, tuple[int, int | None]]) -> None:  # fmt: skip
    """A's 2027: quarters at 79 (HTT), one quarter typed with fewer months: 10 months worked
    (11 with two months of Q2) and HTT from the frames, Archive.annual and ``evalkit annual``
    alike (before, the archive counted three months for every quarter, the lone month
    nowhere)."""
    qs = [_quarter(f"2027-Q{i}", *typed.get(i, (3, None))) for i in range(1, 5)]

    def a_year(year: pd.DataFrame) -> tuple[int, str]:
        row = year.set_index(year["staff_id"].astype(str)).loc["A"]
        grade = row["annual_grade"] if "annual_grade" in year else row["grade"]
        return int(row["months"]), str(grade)

    frames = classify_year(pd.concat([q[0] for q in qs], ignore_index=True),
                           pd.concat([q[1] for q in qs], ignore_index=True), rules=CQ)
    want = (11 if 2 in typed else 10, "HTT")
    assert a_year(frames) == want
    with Archive(tmp_path / "a.sqlite") as arc:
        for results, unit_results, inputs in qs:
            arc.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        assert a_year(arc.annual(2027)) == want
    db = tmp_path / "cli.sqlite"
    for results, unit_results, inputs in qs:
        doc = results.copy()
        doc.attrs.update(rule_set=CQ.id, period=str(results["period"].iloc[0]))
        _tables.attach(doc, "units", unit_results)
        _tables.attach(doc, "unit_inputs", inputs)
        path = tmp_path / f"ket-qua-{doc.attrs['period']}.json"
        path.write_text(json.dumps(results_document(doc), ensure_ascii=False), encoding="utf-8")
        code, out, err = run("finalize", str(path), "--archive", str(db), "--by", "TCCB")
        assert code == 0, (out, err)
    code, out, err = run("annual", "--year", "2027", "--archive", str(db), "--out",
                         str(tmp_path / "nam.json"))
    assert code == 0, (out, err)
    assert a_year(read_results(tmp_path / "nam.json")) == want
