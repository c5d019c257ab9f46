"""A customs quarter typed as one row says the months carried into it (``carried_months``):
CV 21169/CHQ-TCCB — a person who worked one month or less of a quarter is not evaluated
that quarter; the months are carried to the next quarter of the same year (docs/periods.md,
"A quarter of one month or less"). The roll-up and the typed row say
``rollup.period_carried`` through one function (``evalkit.scoring.carried_reasons``), with
the same sentence; a month's row, a set that scores no quarters, a first quarter (nothing
before it in the year) or a count that is not whole are refused (af133)."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
from evalkit.errors import InputError, ModelError
from evalkit.units import UnitInputs, results_from_frame

CQ = evalkit.rules.get("vn.customs-2026q")
ND335 = evalkit.rules.get("vn.nd335-2025")
UNITS = pd.DataFrame([{"unit_id": "U", "period": p, "tasks_assigned": 10, "tasks_done": 10}
                      for p in ("2026-Q3", "2026-Q4")])  # fmt: skip


def _sentence(frame: pd.DataFrame, sid: str, period: str) -> str:
    [r] = [r for r in results_from_frame(frame) if (r.staff_id, str(r.period)) == (sid, period)]
    [said] = [x.message_vi for x in r.reasons if x.code == "rollup.period_carried"]
    return said


def test_the_typed_quarter_says_what_the_roll_up_says() -> None:
    """S worked September only in Q3 (one month: Q3 not evaluated) and all of Q4: the
    roll-up of the months carries September into Q4 (months_worked 4, carried_months 1,
    ``rollup.period_carried``); Q4 typed as one row with months_worked 4 and carried_months
    1 says the same code and the same sentence (1 month carried, limit 1)."""
    months = pd.DataFrame([{"staff_id": "S", "unit_id": "U", "period": p, "total": 90.0,
                            "rule_set": CQ.id}
                           for p in ("2026-09", "2026-10", "2026-11", "2026-12")])  # fmt: skip
    q = evalkit.rollup_frame(months, CQ, to="quarter", force=True)
    q4 = q.set_index("period").loc["2026-Q4"]
    assert (q4["months_worked"], q4["carried_months"]) == (4, 1)
    assert "rollup.period_carried" in str(q4["reasons"]).split(";")
    row = {"staff_id": "S", "unit_id": "U", "period": "2026-Q4", **CQ.full_marks(),
           "months_worked": 4, "carried_months": 1}  # fmt: skip
    st, _ = evalkit.classify_frame(pd.DataFrame([row]), UNITS, CQ)
    assert "rollup.period_carried" in str(st["reasons"].iloc[0]).split(";")
    assert st["carried_months"].tolist() == [1.0]
    said = _sentence(st, "S", "2026-Q4")
    assert said.startswith("Gồm kết quả 1 tháng của quý trước chuyển sang")
    assert said == _sentence(q, "S", "2026-Q4")
    plain = {k: v for k, v in row.items() if k != "carried_months"} | {"months_worked": 3}
    for typed in (plain, {**plain, "carried_months": 0}):  # blank or 0: nothing said
        st, _ = evalkit.classify_frame(pd.DataFrame([typed]), UNITS, CQ)
        assert "rollup.period_carried" not in str(st["reasons"].iloc[0])


def test_the_objects_say_it_too() -> None:
    """``Assessment(carried_months=1)`` for Q4 gives the reason through
    :func:`evalkit.classify_organisation`; on a month, or a first quarter, it is refused."""
    org = evalkit.Organisation(units=[evalkit.Unit("U", "Phòng U")],
                               positions=[evalkit.Position("CV", "Chuyên viên")],
                               staff=[evalkit.Staff("S", "Người S", "CV", "U")])  # fmt: skip
    a = evalkit.Assessment("S", "2026-Q4", competent_scores=CQ.full_marks(), months_worked=4,
                           carried_months=1)  # fmt: skip
    [c] = evalkit.classify_organisation(org, [a], [UnitInputs(
        "U", "2026-Q4", tasks_assigned=10, tasks_done=10)], CQ).values()
    [r] = c.staff
    assert "rollup.period_carried" in r.reason_codes()
    for period in ("2026-11", "2026-Q1"):
        with pytest.raises(ModelError, match="carried_months"):
            evalkit.Assessment("S", period, carried_months=1)
    with pytest.raises(ModelError, match="carried_months"):
        evalkit.Assessment("S", "2026-Q4", carried_months=1.5)


@pytest.mark.parametrize(("rules", "period", "value", "said"), [
    (ND335, "2026-11", 1, "carried_months is for a quarter"),  # a month's row
    (CQ, "2026-Q1", 1, "exceeds its maximum 0"),  # nothing before Q1 in the year
    (CQ, "2026-Q4", 10, "exceeds its maximum 9"),
    (CQ, "2026-Q4", 1.5, "is not a whole number"),
    (CQ, "2026-Q4", "một", "is not a number"),
])  # fmt: skip
def test_a_wrong_carried_months_is_a_located_problem(rules: object, period: str,
                                                    value: object, said: str) -> None:
    rs = rules  # (a RuleSet)
    row = {"staff_id": "S", "unit_id": "U", "period": period,
           **rs.full_marks(), "carried_months": value}  # type: ignore[attr-defined]
    with pytest.raises(InputError) as err:
        evalkit.score_frame(pd.DataFrame([row]), rs, force=True)  # type: ignore[arg-type]
    [p] = [p for p in err.value.problems if p.column == "carried_months"]
    assert said in p.message and p.row is not None


def test_the_quarterly_template_has_the_column() -> None:
    """A quarterly set's score sheet asks for the months carried in; a monthly one does not."""
    from evalkit.io.workbook import score_columns

    assert "carried_months" in [c.id for c in score_columns(CQ)]
    assert "carried_months" not in [c.id for c in score_columns(ND335)]


def test_score_of_one_assessment_says_it_as_score_frame_does() -> None:
    """:func:`evalkit.score` of one Assessment: the same code and sentence as the frame of it
    (:func:`evalkit.score_frame` of :func:`evalkit.assessments_to_frame`); under a set
    scoring months it is refused."""
    from evalkit.scoring import assessments_to_frame

    a = evalkit.Assessment("S", "2026-Q4", competent_scores=CQ.full_marks(), months_worked=4,
                           carried_months=1)  # fmt: skip
    one = evalkit.score(a, rules=CQ)
    assert "rollup.period_carried" in one.reason_codes()
    frame = assessments_to_frame([a])
    out = evalkit.score_frame(frame, CQ)
    scored = pd.concat([frame[[c for c in frame if c not in out]], out], axis=1)
    [r] = results_from_frame(scored)
    assert [(x.code, x.message_vi) for x in one.reasons] == [(x.code, x.message_vi)
                                                            for x in r.reasons]  # fmt: skip
    with pytest.raises(evalkit.EvalkitError, match="carried_months"):
        evalkit.score(evalkit.Assessment("S", "2026-Q4", competent_scores=ND335.full_marks(),
                                         carried_months=1), rules=ND335, force=True)


def test_a_zero_says_nothing_anywhere() -> None:
    """``carried_months`` 0 is no month carried, as a blank: harmless on a month's row too."""
    row = {"staff_id": "S", "unit_id": "U", "period": "2026-11", **ND335.full_marks(),
           "carried_months": 0}  # fmt: skip
    out = evalkit.score_frame(pd.DataFrame([row]), ND335, force=True)
    assert "rollup.period_carried" not in str(out["reasons"].iloc[0])
    assert evalkit.Assessment("S", "2026-11", carried_months=0).carried_months == 0
