"""One answer at every door for the "information only" band sentence (issue 13, af177).

A month the rule set scores but does not classify (NĐ 335/2025 Điều 21, NĐ 233/2026: the
year is classified; the month's band is information, ``band.information``) is explained
with the same sentences by every door: the objects (:func:`evalkit.score`),
:func:`evalkit.score_frame` and :func:`evalkit.classify_frame` through
:func:`evalkit.reasons.explain`, the CLI's results file read back. A frame from
``score_frame`` keeps no ``period``; its ``classified`` column is the engine's word on
the period, and the sentences follow it (before af177 ``explain(score_frame(...))`` left
``band.information`` out, and said a month's disqualifier as the grade it would give the
year). Hà Nội (QĐ 3814) classifies its months: the sentence never appears there.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
from evalkit import Assessment
from evalkit.io.results import read_results
from evalkit.reasons import explain, with_sentences
from evalkit.rules import RuleSet
from tests._cli_helpers import ok

CASES = {"vn.nd233-2026": "2026-08", "vn.nd335-2025": "2026-03", "hanoi.3814-2018": "2026-03"}
INFO = {"vn.nd233-2026": True, "vn.nd335-2025": True, "hanoi.3814-2018": False}


def _said(r: evalkit.Reason) -> str:
    return f"{r.message('vi')} ({r.source})" if r.source else r.message("vi")


def _frame(rs: RuleSet, period: object) -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": "A", "unit_id": "U", **rs.full_marks()}]).assign(
        period=[period])


def _objects(rs: RuleSet, period: str) -> list[str]:
    fm = rs.full_marks()
    a = Assessment("A", period, competent_scores=fm)
    return [_said(r) for r in evalkit.score(a, rules=rs, force=True).reasons]


@pytest.mark.parametrize("rid", list(CASES))
def test_every_door_says_the_same_sentences(rid: str, tmp_path: Path) -> None:
    rs = evalkit.rules.get(rid)
    period = CASES[rid]
    want = _objects(rs, period)
    info = [s for s in want if "chỉ để theo dõi" in s]
    assert bool(info) is INFO[rid]  # NĐ 335 / NĐ 233 months: information; Hà Nội: classified
    frame = _frame(rs, period)
    scored = evalkit.score_frame(frame.drop(columns="unit_id"), rid, force=True)
    assert "period" not in scored.columns  # the engine's ``classified`` carries the period
    assert explain(scored).iloc[0] == want
    assert with_sentences(scored, langs=("vi",))["reasons_vi"].iloc[0] == " | ".join(want)
    units = pd.DataFrame([{"unit_id": "U", "parent_id": None, "head_id": None}])
    staff, _ = evalkit.classify_frame(frame, units, rid, force=True)
    got = explain(staff).iloc[0]
    if not INFO[rid]:  # Hà Nội's quota demotes the lone Loại A (0 of 1 allowed): said after
        got = got[:len(want)]
    assert got == want
    with contextlib.chdir(tmp_path):
        frame.drop(columns="unit_id").to_csv("m.csv", index=False)
        ok("score", "m.csv", "--rules", rid, "--force", "--out", "r.json")
        assert explain(read_results("r.json")).iloc[0] == want
        doc = json.loads(ok("score", "m.csv", "--rules", rid, "--force", "--json"))
        Path("j.json").write_text(json.dumps(doc["results"]), encoding="utf-8")
        assert explain(read_results("j.json")).iloc[0] == want


def test_disqualifier_in_a_month_is_the_fact_alone_from_score_frame() -> None:
    """NĐ 335's month: a reprimand is said as the fact (the year applies it), as the
    objects say it, not as ": xếp loại Không hoàn thành nhiệm vụ"."""
    rs = evalkit.rules.get("vn.nd335-2025")
    frame = _frame(rs, "2026-03").drop(columns="unit_id").assign(discipline=1)
    said = explain(evalkit.score_frame(frame, rs)).iloc[0]
    assert [s for s in said if s.startswith("Bị kỷ luật")] == [
        "Bị kỷ luật từ khiển trách trở lên do vi phạm liên quan đến thi hành công vụ trong "
        "năm đánh giá (NĐ 335/2025/NĐ-CP, Điều 20 k4 c)"]
    assert "chỉ để theo dõi" in said[1]


REPRS = {
    "str": lambda p: pd.Series([p], dtype=object),
    "string": lambda p: pd.Series([p], dtype="string"),
    "period": lambda p: pd.Series(pd.PeriodIndex([p], freq="M")),
    "category": lambda p: pd.Series([p], dtype="category"),
}


@given(rid=st.sampled_from(list(CASES)), month=st.integers(1, 12), kind=st.sampled_from(list(REPRS)))
def test_period_representation_gives_the_same_sentences(rid: str, month: int, kind: str) -> None:
    rs = evalkit.rules.get(rid)
    period = f"{2026 if rid != 'vn.nd233-2026' else 2027}-{month:02d}"
    frame = _frame(rs, "x").drop(columns=["period"])
    frame["period"] = REPRS[kind](period)
    assert str(frame["period"].dtype) == {"str": "object", "string": "string",
                                          "period": "period[M]", "category": "category"}[kind]
    want = _objects(rs, period)
    got = explain(evalkit.score_frame(frame.drop(columns="unit_id"), rid, force=True)).iloc[0]
    assert got == want
    assert any("chỉ để theo dõi" in s for s in got) is INFO[rid]
    units = pd.DataFrame([{"unit_id": "U", "parent_id": None, "head_id": None}])
    staff, _ = evalkit.classify_frame(frame, units, rid, force=True)
    assert explain(staff).iloc[0][:len(want)] == want  # (Hà Nội: its quota's sentence after)
