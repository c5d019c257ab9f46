"""af149 item 1: the sentence ``rollup.leave`` names only the kinds of leave the person had
AND the rule set classifies on the time actually worked, with their months, and cites the
set's provision.

* NĐ 335/2025 Điều 21: the year is the mean of the months actually worked — every kind of
  legal leave (maternity, sick, absent) is simply left out: all three are named, as had.
* NĐ 233/2026 Điều 14 k2: "nghỉ ốm hoặc nghỉ thai sản theo quy định của pháp luật về bảo
  hiểm xã hội" — sick and maternity only; an absent month ("vắng") is not exempt: never
  named, never counted in the sentence's months, and alone it says no leave sentence.
* NĐ 90/2020 Điều 2 k3: maternity leave is graded on the time worked; other legal leave
  (sick, absent) falls under the 3-to-6-month cap instead: maternity only.

The old sentence said "(thai sản, ốm đau hoặc vắng mặt có lý do)" whatever the person had
and the set exempted. Every person below works 9 or 10 months of 80 (HTT in every set).
"""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit.rules
from evalkit.reasons import explain
from evalkit.units import classify_year, results_from_frame, rollup, rollup_frame

CITES = {"vn.nd335-2025": "NĐ 335/2025/NĐ-CP, Điều 21 k3",
         "vn.nd233-2026": "NĐ 233/2026/NĐ-CP, Điều 14 k2",
         "vn.nd90-2020": "NĐ 90/2020/NĐ-CP, Điều 2 k3"}
YEARS = {"vn.nd335-2025": 2026, "vn.nd233-2026": 2027, "vn.nd90-2020": 2025}


def months(rid: str, leave: list[str]) -> pd.DataFrame:
    """One viên chức: the first months on ``leave`` (no score), the rest 80."""
    year = YEARS[rid]
    kinds = leave + [""] * (12 - len(leave))
    return pd.DataFrame({"staff_id": "A", "unit_id": "K", "category": "vien_chuc",
                         "period": [f"{year}-{m:02d}" for m in range(1, 13)],
                         "total": [None if k else 80.0 for k in kinds], "leave": kinds})


CASES = [  # (set, leave) → the sentence's "N tháng (kinds)", None: no leave sentence
    ("vn.nd335-2025", ["absent", "absent"], "2 tháng (vắng mặt có lý do)"),
    ("vn.nd335-2025", ["maternity", "sick", "absent"],
     "3 tháng (thai sản, ốm đau và vắng mặt có lý do)"),
    ("vn.nd335-2025", ["sick"], "1 tháng (ốm đau)"),
    ("vn.nd233-2026", ["absent", "absent"], None),
    ("vn.nd233-2026", ["sick", "absent"], "1 tháng (ốm đau)"),
    ("vn.nd233-2026", ["maternity", "sick", "absent"], "2 tháng (thai sản và ốm đau)"),
    ("vn.nd90-2020", ["sick", "absent"], None),
    ("vn.nd90-2020", ["maternity", "sick", "absent"], "1 tháng (thai sản)"),
]


def _leave_sentences(said: list[str]) -> list[str]:
    return [s for s in said if s.startswith("Nghỉ theo quy định")]


@pytest.mark.parametrize(("rid", "leave", "want"), CASES)
def test_the_leave_sentence_names_the_exempt_kinds_had(rid: str, leave: list[str],
                                                       want: str | None) -> None:  # fmt: skip
    rules = evalkit.rules.get(rid)
    df = months(rid, leave)
    frames = [rollup_frame(df, rules, force=True), classify_year(df, None, rules, force=True),
              # any dtype: text columns as Arrow strings, numbers as text
              rollup_frame(df.astype({"staff_id": "string", "leave": "string"}), rules,
                           force=True)]  # fmt: skip
    for out in frames:
        row = out.iloc[0]
        assert row["grade"] == "HTT"
        assert ("rollup.leave" in row["reasons"].split(";")) == (want is not None)
        said = _leave_sentences(explain(out)[0])
        assert said == ([] if want is None else [
            f"Nghỉ theo quy định {want}: xếp loại theo thời gian làm việc thực tế ({CITES[rid]})"])
        # the frame's figures read back as text (a CSV of the results): the same sentence
        assert _leave_sentences(explain(out.astype(str))[0]) == said
    # the objects
    objects = results_from_frame(df.assign(rule_set=rid))
    kinds = {p: k for p, k in zip(df["period"], df["leave"], strict=True) if k}
    [year] = rollup([r for r in objects if r.total is not None], rules, leave=kinds)
    assert ("rollup.leave" in [r.code for r in year.reasons]) == (want is not None)


def test_the_english_sentence_names_the_same_kinds() -> None:
    rules = evalkit.rules.get("vn.nd233-2026")
    out = rollup_frame(months("vn.nd233-2026", ["maternity", "sick", "absent"]), rules)
    [said] = [s for s in explain(out, lang="en")[0] if s.startswith("On legal leave")]
    assert said.startswith("On legal leave for 2 months (maternity and sick): classified on "
                           "the time actually worked")


def test_an_absent_month_is_never_exempt_under_nd233() -> None:
    """Five months worked and seven absent: not classified (Điều 14 k1), no leave said."""
    rules = evalkit.rules.get("vn.nd233-2026")
    df = months("vn.nd233-2026", ["absent"] * 7)
    row = rollup_frame(df, rules).iloc[0]
    assert pd.isna(row["grade"])
    assert row["reasons"].split(";") == ["rollup.average", "rollup.too_few_months"]


def test_the_kinds_a_set_classifies_on_the_time_worked() -> None:
    get = evalkit.rules.get
    assert get("vn.nd335-2025").rollup.worked_time_leave(False) == ("maternity", "sick", "absent")
    assert get("vn.nd233-2026").rollup.worked_time_leave(True) == ("maternity", "sick")
    assert get("vn.nd90-2020").rollup.worked_time_leave(True) == ("maternity",)
