"""Properties of scoring that hold for every registered rule set (issue 3 item 5, issue 4).

Examples per property follow the Hypothesis profile (``HYPOTHESIS_PROFILE``): ``ci`` 100,
``thorough`` 2,000. Each example of the scalar == vectorised property is a frame of up to
eight staff-months, so ``thorough`` compares well over 1,000 cases per preset.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
from evalkit import Grade, score_frame
from evalkit.testing import scalar_frame, staff_month_frames
from evalkit.testing._check import compare_results
from tests.helpers import heads_typed

PRESETS = [rs.id for rs in evalkit.rules.available()]


def rules(rule_set_id: str) -> evalkit.RuleSet:
    """The registered rule set ``rule_set_id``."""
    return evalkit.rules.get(rule_set_id)


def upward_inputs(rs: evalkit.RuleSet) -> list[str]:
    """Inputs that can only add points: criteria summed, percentages averaged, bonuses."""
    out: list[str] = []
    for b in rs.blocks:
        if b.kind == "criteria_sum":
            out += [c.id for c in rs.group(b.params["group"]).criteria]
        elif b.kind in ("percent_average", "bonus"):
            out += list(b.inputs())
        elif b.kind == "ratio":
            out.append(b.params["numerator"])
    down = {a.events for a in rs.adjustments} | {
        b.params["denominator"] for b in rs.blocks if b.kind == "ratio"
    }
    return [c for c in dict.fromkeys(out) if c not in down]


@pytest.mark.parametrize("rule_set_id", PRESETS)
@given(data=st.data())
def test_total_is_between_zero_and_the_rule_sets_total(
    rule_set_id: str, data: st.DataObject
) -> None:
    """The total lies in [0, 100] (NĐ 335 Điều 12: 30 + 70 points; blocks.total_points)."""
    rs = rules(rule_set_id)
    df = data.draw(staff_month_frames(rs, max_rows=3))
    total = score_frame(df, rs)["total"]
    assert total.between(0, rs.total).all()


@pytest.mark.parametrize("rule_set_id", PRESETS)
@given(data=st.data())
def test_total_never_falls_when_a_criterion_score_rises(
    rule_set_id: str, data: st.DataObject
) -> None:
    """A higher score on any criterion never lowers the total (issue 3 item 5)."""
    rs = rules(rule_set_id)
    df = data.draw(staff_month_frames(rs, min_rows=1, max_rows=1, kpi=False))
    cid = data.draw(st.sampled_from([c for c in upward_inputs(rs) if c in df.columns]))
    maximum = rs.maximum(cid)
    old = 0.0 if pd.isna(df.at[0, cid]) else float(df.at[0, cid])
    bound = rs.criterion(cid).at_most  # done to quality never above done: still valid input
    if bound is not None and bound in df.columns and not pd.isna(df.at[0, bound]):
        maximum = min(maximum, max(old, float(df.at[0, bound])))
    if rs.criterion(cid).management and rs.management.values:  # 100 or 50 only
        higher = [v for v in rs.management.values if v >= old]
        new = data.draw(st.sampled_from(sorted(higher) or [old]))
    elif rs.criterion(cid).unit == "count":  # counts are whole
        new = data.draw(st.integers(math.ceil(old), math.floor(maximum)).map(float))
    else:
        new = data.draw(st.floats(old, maximum, allow_nan=False).map(lambda x: round(x, 2)))
    raised = df.copy()
    raised.loc[0, cid] = min(new, maximum)
    before, after = score_frame(df, rs), score_frame(raised, rs)
    assert before["total"].iloc[0] <= after["total"].iloc[0]
    assert before["score_grade"].cat.codes.iloc[0] <= after["score_grade"].cat.codes.iloc[0]


@pytest.mark.parametrize("rule_set_id", PRESETS)
@given(data=st.data())
def test_grade_never_falls_when_the_total_rises(rule_set_id: str, data: st.DataObject) -> None:
    """The band grade is monotone in the total (NĐ 335 Điều 20 k1-k4: ≥ 90, 70, 50)."""
    rs = rules(rule_set_id)
    cents = st.integers(0, int(rs.total * 100)).map(lambda c: c / 100)
    low, high = sorted((data.draw(cents), data.draw(cents)))
    assert rs.band_for(low).grade <= rs.band_for(high).grade


@pytest.mark.parametrize("rule_set_id", PRESETS)
@given(data=st.data())
def test_any_disqualifier_gives_kht(rule_set_id: str, data: st.DataObject) -> None:
    """Degradation, a reprimand or heavier, or (for a head) corruption: KHT whatever the score
    (NĐ 335 Điều 20 k4 b-d)."""
    rs = rules(rule_set_id)
    caps = [c for c in rs.caps if c.grade == Grade.KHT and c.enabled and c.reaches(rs.period)]
    if not caps:  # (Hà Nội's is the year's: its months neither lower nor carry the code)
        pytest.skip(f"{rule_set_id} has no disqualifier of its scored period switched on")
    cap = data.draw(st.sampled_from(caps))
    df = data.draw(staff_month_frames(rs, max_rows=3, disqualifiers=False))
    value = data.draw(st.integers(max(1, math.ceil(cap.at_least)), 5))
    # derived flags are set through their inputs (a duty-related or any discipline)
    column = {"duty_discipline": "discipline", "any_discipline": "discipline",
              "duty_any_discipline": "discipline"}.get(cap.flag, cap.flag)
    yes_no = column in ("degradation", "corruption_in_unit")  # documented as bool columns
    df[column] = True if yes_no else float(value)
    if cap.applies_to in ("heads", "leaders"):  # a head, scored with d, đ, e typed
        df = heads_typed(df.assign(is_head=True), rs)
    if cap.scope.effective_from is not None:  # a clause added later (NĐ 48/2023): its months
        start = cap.scope.effective_from
        first = evalkit.Period.of_date(start)
        df["period"] = str(first if start.day == 1 else first.next())
    out = score_frame(df, rs)
    assert (out["grade"] == "KHT").all()
    assert out["reasons"].astype(str).str.contains(f"disqualifier.{cap.id}", regex=False).all()


@pytest.mark.parametrize("rule_set_id", PRESETS)
@given(data=st.data())
def test_scalar_and_vectorised_paths_agree(rule_set_id: str, data: st.DataObject) -> None:
    """score() and score_frame() give the same total, components, grades and reason codes
    (issue 4 item 4: scalar == vectorised on ≥ 1,000 generated cases per preset: the ``ci``
    profile's 100 examples of at least 10 staff-months each)."""
    rs = rules(rule_set_id)
    df = data.draw(staff_month_frames(rs, min_rows=10, max_rows=16, not_evaluated=True))
    options = {n.id: data.draw(st.booleans()) for n in rs.notices}
    expected = scalar_frame(df, rs, options=options)
    actual = score_frame(df, rs, options=options)
    assert compare_results(expected, actual) == []


_REASONS = [None, "", "   ", "Chậm nộp 02 báo cáo"]


@pytest.mark.parametrize("rule_set_id", PRESETS)
@given(data=st.data())
def test_scalar_and_vectorised_paths_agree_on_conclusions(
    rule_set_id: str, data: st.DataObject
) -> None:
    """With the competent level's conclusions (``competent_grade``, ``competent_reason``):
    score() and score_frame() give the same grades and reason codes, or both refuse a
    differing conclusion without its written reason in the same words."""
    rs = rules(rule_set_id)
    df = data.draw(staff_month_frames(rs, min_rows=1, max_rows=8, not_evaluated=True))
    n = len(df)
    df["competent_grade"] = pd.Series(data.draw(st.lists(
        st.sampled_from([None, "KHT", "HT", "HTT", "HTXS"]), min_size=n, max_size=n)),
        index=df.index, dtype=object)  # fmt: skip
    df["competent_reason"] = pd.Series(data.draw(st.lists(
        st.sampled_from(_REASONS), min_size=n, max_size=n)), index=df.index, dtype=object)
    errors: list[str] = []
    for path in (scalar_frame, score_frame):
        try:
            out = path(df, rs)
        except (evalkit.errors.ScoreError, evalkit.errors.InputError) as exc:
            errors.append(str(exc))
        else:
            if path is scalar_frame:
                expected = out
            else:
                actual = out
    if errors:
        assert len(errors) == 2, errors
        assert all("without a written reason (competent_reason)" in e for e in errors)
        return
    assert compare_results(expected, actual) == []


_YES_NO_SPELLINGS = [
    *evalkit._columns.TRUE_WORDS, *evalkit._columns.FALSE_WORDS,
    "X", "CÓ", "Khong", " không ", "YES", "False", True, False, 0, 1, 0.0, 1.0, "", None,
]  # fmt: skip
_DISCIPLINE_SPELLINGS = [
    *evalkit._columns.DISCIPLINE_NAMES,
    *range(6),
    *(str(i) for i in range(6)),
    3.0,
    "",
    None,
]


@given(
    flag=st.sampled_from(["degradation", "corruption_in_unit", "party_discipline",
                          "discipline_related_to_duty"]),
    typed=st.sampled_from(_YES_NO_SPELLINGS),
    discipline=st.sampled_from(_DISCIPLINE_SPELLINGS),
    is_head=st.booleans(),
)  # fmt: skip
def test_every_spelling_scores_alike_through_assessment_and_score_frame(
    flag: str, typed: object, discipline: object, is_head: bool
) -> None:
    """A yes/no flag and a discipline typed any accepted way give one result whether they
    arrive on an Assessment or in a score_frame column (audit d08)."""
    rs = rules("vn.nd335-2025")
    full = rs.full_marks(manages_others=is_head)  # a head is scored with d, đ, e
    a = evalkit.Assessment("A", "2026-03", competent_scores=full, discipline=discipline,
                           **{flag: typed})  # fmt: skip
    df = pd.DataFrame([{"staff_id": "A", "period": "2026-03", **full, "is_head": is_head,
                        flag: typed, "discipline": discipline}])  # fmt: skip
    df[[flag, "discipline"]] = df[[flag, "discipline"]].astype(object)
    if flag == "corruption_in_unit" and a.corruption_in_unit and not is_head:
        # a leader's mark (Điều 20 k4 d) typed for staff: refused by both doors
        with pytest.raises(evalkit.ScoreError, match="Điều 20 k4 d"):
            evalkit.score(a, rules=rs, is_head=is_head)
        with pytest.raises(evalkit.InputError, match="Điều 20 k4 d"):
            score_frame(df, rs)
        return
    one = evalkit.score(a, rules=rs, is_head=is_head)
    row = score_frame(df, rs).iloc[0]
    assert row["grade"] == one.grade.code  # type: ignore[union-attr]
    assert row["total"] == one.total
    frame_codes = set(filter(None, row["reasons"].split(";")))
    assert frame_codes == {c for c in one.reason_codes() if c.startswith("disqualifier")}


@given(data=st.data())
def test_nothing_assigned_has_its_own_code_in_both_paths(data: st.DataObject) -> None:
    """Under example.tasks-80 (``empty = "not_evaluated"``; domain brief §4.1: nothing
    assigned → not evaluated) score() and score_frame() give the same reason codes to rows
    scored with something assigned, scored with nothing assigned and not scored at all;
    a row scored with nothing assigned is said to be so (``not_evaluated.nothing_assigned``),
    never "no scores" (``not_evaluated``), and a row nobody scored the other way round."""
    rs = rules("example.tasks-80")
    df = data.draw(staff_month_frames(rs, min_rows=4, max_rows=10, not_evaluated=True))
    den = {b.params["denominator"] for b in rs.blocks if b.kind == "ratio"}
    assigned = [c for c in ("giao", "hoan_thanh", "dat_chat_luong", "dung_han")
                if c in df.columns]
    assert den == {"giao"} and "giao" in assigned
    scored = df["giao"].notna().to_numpy()
    empty = scored & pd.Series(data.draw(st.lists(st.booleans(), min_size=len(df),
                                                  max_size=len(df)))).to_numpy()
    for col in assigned:  # nothing assigned, so nothing done (each at most the one before)
        df[col] = df[col].astype(float).mask(empty, 0.0)
    options = {n.id: data.draw(st.booleans()) for n in rs.notices}
    expected = scalar_frame(df, rs, options=options)
    actual = score_frame(df, rs, options=options)
    assert compare_results(expected, actual) == []
    codes = [str(c).split(";") for c in actual["reasons"].astype(str)]
    for i, said in enumerate(codes):
        assert ("not_evaluated.nothing_assigned" in said) == bool(empty[i]), (i, said)
        if empty[i]:
            assert math.isnan(actual["total"].iloc[i]) and "not_evaluated" not in said
        if not scored[i] and math.isnan(actual["total"].iloc[i]):
            assert "not_evaluated.nothing_assigned" not in said
