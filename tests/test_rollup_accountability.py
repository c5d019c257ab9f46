"""The year re-applies the head cap and the quota (NĐ 90/2020; NĐ 335/2025 Điều 20 k5)."""

from __future__ import annotations

import attrs
import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import evalkit.rules
from evalkit import EvaluationResult, Grade, Period
from evalkit.units import classify_year, rollup, rollup_frame

ND335 = evalkit.rules.get("vn.nd335-2025")
ND90_LIKE = attrs.evolve(ND335, rollup=attrs.evolve(ND335.rollup, min_months=6, absent_cap=True))


def months(sid: str, total: float | None, n: int = 12) -> pd.DataFrame:
    """``n`` evaluated months of ``total`` for ``sid`` in 2026, the rest not evaluated."""
    return pd.DataFrame({"staff_id": sid, "period": [f"2026-{m:02d}" for m in range(1, 13)],
                         "total": [total] * n + [None] * (12 - n)})  # fmt: skip


def unit_year_of(totals: dict[str, float], *, n: dict[str, int] | None = None,
                 rules: evalkit.rules.RuleSet = ND335) -> pd.DataFrame:  # fmt: skip
    """Roll the 12 months of each person up and place everyone in unit U."""
    n = n or {}
    monthly = pd.concat([months(s, t, n.get(s, 12)) for s, t in totals.items()])
    out = rollup_frame(monthly, rules)
    out["unit_id"] = "U"
    return out


TEN_HTT_FOUR_HTXS = {**{f"T{i:02d}": 80.0 for i in range(10)},
                     "X1": 96.0, "X2": 94.0, "X3": 92.0, "X4": 91.0}  # fmt: skip


def test_ten_htt_and_four_htxs_keep_two_htxs_and_demote_the_two_lowest() -> None:
    """HTXS ≤ 20 % of the 10 rated HTT in the unit: 2 kept, the 2 lowest totals demoted."""
    out = classify_year(unit_year_of(TEN_HTT_FOUR_HTXS), None, ND335).set_index("staff_id")
    assert out.loc[["X1", "X2", "X3", "X4"], "proposed_grade"].tolist() == ["HTXS"] * 4
    assert out.loc[["X1", "X2", "X3", "X4"], "grade"].tolist() == ["HTXS", "HTXS", "HTT", "HTT"]
    assert out.loc["X3", "reasons"] == "rollup.average;quota.demoted"
    assert out.loc["X4", "reasons"] == "rollup.average;quota.demoted"
    assert out.loc["X1", "reasons"] == "rollup.average"
    assert (out.loc["X1", "quota_base"], out.loc["X1", "quota_cap"],
            out.loc["X1", "quota_candidates"]) == (10, 2, 4)  # fmt: skip
    assert out.loc[["X1", "X2", "X3", "X4"], "quota_rank"].tolist() == [1, 2, 3, 4]
    assert (out["grade"] == "HTT").sum() == 12


def test_the_quota_counts_per_duty_group() -> None:
    """Per similar-duty group: two groups of 5 HTT + 2 HTXS each keep 1 HTXS."""
    sy = unit_year_of({**{f"A{i}": 80.0 for i in range(5)}, "AX1": 95.0, "AX2": 93.0,
                       **{f"B{i}": 80.0 for i in range(5)}, "BX1": 95.0, "BX2": 93.0})
    sy["duty_group"] = sy["staff_id"].str[0]
    out = classify_year(sy, None, ND335).set_index("staff_id")
    assert out.loc[["AX1", "AX2", "BX1", "BX2"], "grade"].tolist() == [
        "HTXS", "HTT", "HTXS", "HTT"]


def test_head_is_never_graded_above_the_units_annual_grade() -> None:
    """A head is not rated above the unit's annual level: HTXS head of an HTT unit is HTT."""
    sy = unit_year_of({"H": 97.0, "A": 80.0, "B": 80.0})
    sy["is_head"] = sy["staff_id"] == "H"
    units = pd.DataFrame({"unit_id": ["U"], "grade": ["HTT"]})
    out = classify_year(sy, units, ND335).set_index("staff_id")
    assert (out.loc["H", "score_grade"], out.loc["H", "proposed_grade"],
            out.loc["H", "grade"]) == ("HTXS", "HTT", "HTT")  # fmt: skip
    assert out.loc["H", "reasons"] == "rollup.average;cap.head_unit"
    assert out.loc["H", "unit_grade"] == "HTT"
    assert out.loc["A", "reasons"] == "rollup.average"


def test_capped_head_is_no_quota_candidate_and_joins_the_htt_base() -> None:
    """The head cap runs first: the capped head counts in the HTT base, not as a candidate."""
    sy = unit_year_of({"H": 97.0, **{f"T{i}": 80.0 for i in range(4)}, "X": 95.0})
    sy["is_head"] = sy["staff_id"] == "H"
    units = pd.DataFrame({"unit_id": ["U"], "period": ["2026"], "grade": ["HTT"]})
    out = classify_year(sy, units, ND335).set_index("staff_id")
    assert (out.loc["X", "quota_base"], out.loc["X", "quota_candidates"]) == (5, 1)
    assert out.loc["X", "grade"] == "HTXS"
    assert out.loc["H", "reasons"] == "rollup.average;cap.head_unit"


def test_people_not_classified_are_neither_candidates_nor_in_the_base() -> None:
    """NĐ 90 option: fewer than 6 months → not classified, so not counted by the quota."""
    sy = unit_year_of({**TEN_HTT_FOUR_HTXS, "N1": 99.0, "N2": 80.0, "N3": 80.0},
                      n={"N1": 5, "N2": 4, "N3": 3}, rules=ND90_LIKE)
    out = classify_year(sy, None, ND90_LIKE).set_index("staff_id")
    assert out.loc[["N1", "N2", "N3"], "grade"].isna().all()
    assert out.loc["N1", "reasons"] == "rollup.average;rollup.too_few_months"
    assert out.loc["N1", "quota_rank"] == 0
    assert (out.loc["X1", "quota_base"], out.loc["X1", "quota_candidates"]) == (10, 4)
    assert (out["grade"] == "HTXS").sum() == 2


def test_the_object_face_rolled_up_gives_the_same_annual_classification() -> None:
    """rollup() and rollup_frame() feed classify_year the same rows, so both faces agree."""
    frame = unit_year_of(TEN_HTT_FOUR_HTXS)
    objs = [EvaluationResult(s, Period.parse(f"2026-{m:02d}"), ND335.id, t, None, None)
            for s, t in TEN_HTT_FOUR_HTXS.items() for m in range(1, 13)]  # fmt: skip
    res = rollup(objs, ND335)
    obj = pd.DataFrame({"staff_id": [r.staff_id for r in res],
                        "period": [str(r.period) for r in res],
                        "total": [r.total for r in res],
                        "grade": [None if r.grade is None else r.grade.name for r in res],
                        "reasons": [";".join(r.reason_codes()) for r in res],
                        "unit_id": "U"})  # fmt: skip
    a = classify_year(frame, None, ND335).set_index("staff_id").sort_index()
    b = classify_year(obj, None, ND335).set_index("staff_id").sort_index()
    cols = ["total", "proposed_grade", "grade", "quota_rank", "reasons"]
    pd.testing.assert_frame_equal(a[cols], b[cols])
    assert (b["grade"] == Grade.HTXS.name).sum() == 2


@given(
    totals=st.lists(st.sampled_from([80.0, 85.0, 90.0, 92.5, 95.0, None]), min_size=1,
                    max_size=14),
    heads=st.lists(st.booleans(), min_size=14, max_size=14),
    seed=st.integers(0, 2**16),
)
def test_the_annual_classification_does_not_depend_on_row_order(
    totals: list[float | None], heads: list[bool], seed: int
) -> None:
    """Ties fall back to the staff id (domain brief §4.6): any row order, the same result."""
    sy = pd.DataFrame({"staff_id": [f"S{i:02d}" for i in range(len(totals))], "period": "2026",
                       "unit_id": np.where(np.arange(len(totals)) % 3 == 0, "U", "V"),
                       "total": totals,
                       "grade": [None if t is None else ("HTXS" if t >= 90 else "HTT")
                                 for t in totals],
                       "is_head": heads[: len(totals)]})  # fmt: skip
    units = pd.DataFrame({"unit_id": ["U", "V"], "grade": ["HTT", "HTXS"]})
    a = classify_year(sy, units, ND335).set_index("staff_id").sort_index()
    shuffled = sy.sample(frac=1, random_state=seed)
    b = classify_year(shuffled, units.iloc[::-1], ND335).set_index("staff_id").sort_index()
    cols = ["proposed_grade", "grade", "quota_base", "quota_cap", "quota_rank", "reasons"]
    pd.testing.assert_frame_equal(a[cols], b[cols])


@given(kind=st.sampled_from(["text", "repeated", "multi"]), seed=st.integers(0, 2**16))
def test_the_year_does_not_depend_on_the_inputs_row_labels(kind: str, seed: int) -> None:
    """Months concatenated without ``ignore_index`` (labels 0.. repeated per month), text
    labels or a MultiIndex: the same year as a fresh index (the roll-up keeps the labels
    only to name rows in problems)."""
    rng = np.random.default_rng(seed)
    people = [f"S{i}" for i in range(9)]
    totals = rng.choice([95.0, 88.0, 72.0, 60.0, np.nan], size=(12, 9))
    # a month on leave has no score (a leave with a total is refused)
    leave = np.where(np.isnan(totals), rng.choice(["", "sick", "maternity"], size=(12, 9)), "")
    monthly = pd.concat([pd.DataFrame({
        "staff_id": people, "unit_id": ["U"] * 5 + ["V"] * 4, "period": f"2026-{m:02d}",
        "total": totals[m - 1], "is_head": [p in ("S0", "S5") for p in people],
        "leave": leave[m - 1],
        "discipline": [2 if (p == "S3" and m == 5) else 0 for p in people]})
        for m in range(1, 13)])  # fmt: skip
    fresh = monthly.reset_index(drop=True)
    labelled = {
        "text": fresh.set_axis([f"r{i}" for i in range(len(fresh))]),
        "repeated": monthly,
        "multi": fresh.set_axis(pd.MultiIndex.from_frame(fresh[["staff_id", "period"]])),
    }[kind]
    units = pd.DataFrame({"unit_id": ["U", "V"], "grade": ["HTT", "HTXS"]})
    want = classify_year(fresh, units, ND335)
    got = classify_year(labelled, units, ND335)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True))
    assert {"HTXS", "HTT"} & set(want["grade"].astype(str))  # the data grade people
