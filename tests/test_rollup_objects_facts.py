"""The object face of the roll-up sees what the months' frames keep (audit 11): a month's
result keeps its facts (``flags``: a discipline ...) and its leave, so a cap of the year that
the month does not carry (Hà Nội's, NĐ 90/2020's before 15/9/2023) and NĐ 90's leave rules
(Điều 2 k3) reach the year through :func:`evalkit.rollup` as through the frames."""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit
from evalkit.io.jsonio import from_json, to_json

HANOI = evalkit.rules.get("hanoi.3814-2018")
ND90 = evalkit.rules.get("vn.nd90-2020")


def _months(rules: evalkit.RuleSet, year: int, **month: dict) -> list[evalkit.Assessment]:
    top = rules.full_marks()
    out = []
    for m in range(1, 13):
        extra = month.get(f"m{m}", {})
        scores = {} if extra.get("leave") else top
        out.append(evalkit.Assessment("X", f"{year}-{m:02d}", competent_scores=scores, **extra))
    return out


def _year(rules: evalkit.RuleSet, year: int, assessments: list[evalkit.Assessment]):
    results = [evalkit.score(a, rules=rules, category="vien_chuc") for a in assessments]
    [objects] = evalkit.rollup(results)
    rows = [{"staff_id": "X", "period": str(a.period), "category": "vien_chuc",
             "rule_set": rules.id, **a.competent_scores, "leave": a.leave,
             "discipline": int(a.discipline)} for a in assessments]  # fmt: skip
    frames = evalkit.score_frame(pd.DataFrame(rows), rules)
    frames.insert(0, "staff_id", "X")
    frames.insert(1, "period", [r["period"] for r in rows])
    frames["leave"] = [r["leave"] for r in rows]
    frames["discipline"] = [r["discipline"] for r in rows]
    [frame] = evalkit.rollup_frame(frames).to_dict(orient="records")
    return objects, frame


@pytest.mark.parametrize(("rules", "year", "month"), [(HANOI, 2025, 3), (ND90, 2023, 8)])
def test_a_discipline_the_month_does_not_carry_reaches_the_year(rules, year, month) -> None:
    objects, frame = _year(rules, year, _months(rules, year, **{f"m{month}": {"discipline": 2}}))
    month_result = evalkit.score(_months(rules, year, **{f"m{month}": {"discipline": 2}})
                                 [month - 1], rules=rules, category="vien_chuc")
    assert "disqualifier.discipline" not in month_result.reason_codes()  # not the month's
    assert month_result.flags == {"discipline": 2.0}
    assert objects.grade == evalkit.Grade.KHT == evalkit.Grade.parse(frame["grade"])
    assert "disqualifier.discipline" in objects.reason_codes()


def test_leave_kept_by_the_month_gives_the_year_its_rules() -> None:
    sick = _months(ND90, 2025, **{f"m{m}": {"leave": "sick"} for m in (10, 11, 12)})
    objects, frame = _year(ND90, 2025, sick)
    assert objects.grade == evalkit.Grade.HT == evalkit.Grade.parse(frame["grade"])
    assert "rollup.absent_cap" in objects.reason_codes()
    maternity = _months(ND90, 2025, **{f"m{m}": {"leave": "maternity"} for m in range(6, 13)})
    objects, frame = _year(ND90, 2025, maternity)
    assert objects.grade == evalkit.Grade.HTXS == evalkit.Grade.parse(frame["grade"])
    assert "rollup.too_few_months" not in objects.reason_codes()


def test_the_facts_travel_through_json() -> None:
    r = evalkit.score(evalkit.Assessment("X", "2025-03", competent_scores=HANOI.full_marks(),
                                         discipline=2), rules=HANOI, category="vien_chuc")
    back = from_json(to_json(r))
    assert back.flags == {"discipline": 2.0} and back == r
