"""af149 item 3: a year that is not classified (fewer than 6 months worked: NĐ 90/2020
Điều 2 k3, NĐ 233/2026 Điều 14 k1, and the Hà Nội framework applying NĐ 90's) has no
grade, so no disqualifier grades it: the discipline of one of its months was listed among
the year's reasons ("Bị xử lý kỷ luật … trong năm đánh giá", the KHT ground of Điều 2 k5 a
/ Điều 12 k4 c) beside "không xếp loại" — a sheet saying both a ground for KHT and no
classification. No rule needs the discipline said of a person not classified; the month's
own sheet still says it. Under NĐ 335/2025 (no months minimum) four months are
classified on and the discipline makes the year KHT (Điều 20 k4 c), as before.
"""

from __future__ import annotations

import pandas as pd
import pytest

import evalkit.rules
from evalkit.reasons import explain
from evalkit.units import classify_year, results_from_frame, rollup, rollup_frame

YEARS = {"vn.nd90-2020": 2025, "hanoi.3814-2018": 2025, "vn.nd233-2026": 2027,
         "vn.nd335-2025": 2026}


def months(rid: str, worked: int) -> pd.DataFrame:
    """A viên chức scored 80 for ``worked`` months, disciplined (reprimand) in January."""
    return pd.DataFrame({"staff_id": "A", "unit_id": "K", "category": "vien_chuc",
                         "period": [f"{YEARS[rid]}-{m:02d}" for m in range(1, 13)],
                         "total": [80.0] * worked + [None] * (12 - worked),
                         "discipline": [1] + [0] * 11})


@pytest.mark.parametrize("rid", ["vn.nd90-2020", "hanoi.3814-2018", "vn.nd233-2026"])
def test_a_year_not_classified_lists_no_disqualifier(rid: str) -> None:
    rules = evalkit.rules.get(rid)
    df = months(rid, 4)
    for out in (rollup_frame(df, rules, force=True),
                classify_year(df, None, rules, force=True),
                rollup_frame(df.astype({"staff_id": "string", "discipline": "string"}), rules,
                             force=True)):  # fmt: skip
        row = out.iloc[0]
        assert pd.isna(row["grade"])
        assert row["reasons"].split(";") == ["rollup.average", "rollup.too_few_months"]
        said = explain(out)[0]
        assert not any("kỷ luật" in s for s in said)
        assert any(s.startswith("Làm việc dưới 6 tháng trong năm: không xếp loại") for s in said)
    # the objects
    [year] = rollup([r for r in results_from_frame(df.assign(rule_set=rid))
                     if r.total is not None], rules)  # fmt: skip
    assert year.grade is None
    assert not [r for r in year.reasons if r.code.startswith("disqualifier.")]


@pytest.mark.parametrize("rid", ["vn.nd90-2020", "vn.nd233-2026", "vn.nd335-2025"])
def test_a_classified_year_keeps_its_disqualifier(rid: str) -> None:
    """Six months worked (classified everywhere), or four under NĐ 335: KHT, said."""
    rules = evalkit.rules.get(rid)
    row = rollup_frame(months(rid, 4 if rid == "vn.nd335-2025" else 6), rules,
                       force=True).iloc[0]  # fmt: skip
    assert row["grade"] == "KHT" and "disqualifier.discipline" in row["reasons"].split(";")
    df = months(rid, 4 if rid == "vn.nd335-2025" else 6)  # the objects: the same
    [year] = rollup([r for r in results_from_frame(df.assign(rule_set=rid))
                     if r.total is not None], rules)  # fmt: skip
    assert year.grade is not None and year.grade.code == "KHT"
    assert "disqualifier.discipline" in [r.code for r in year.reasons]
