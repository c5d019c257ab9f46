"""The annual sheet of a transition year says the same reasons as ``evalkit.reasons.explain``
(issue 13: one answer, in words, on every sheet; af90).

Two 2026 years whose months are scored under more than one set:

* viên chức under NĐ 90/2020 to June and NĐ 233/2026 from July, with people changing
  category mid-year (tests/test_year_category_change.py: a reprimand in a viên chức month
  of a year ending as a công chức, a discipline NĐ 90 disqualified that NĐ 233's year does
  not, the quota, the head cap);
* a customs unit: NĐ 335/2025 months January to June, customs quarters Q3 and Q4 (CV
  21169/CHQ-TCCB; tests/test_transition_year_doors.py: a quarter concluded below its band,
  the year counted from four quarters).

Every person's annual sheet (HTML, Vietnamese) lists under its grounds exactly
``explain(year)``'s Vietnamese sentences with their citations, in order (a sentence whose
rule has no source found — the year's average under NĐ 233 — has none on either side),
then, for a candidate kept within the quota, the sheet's own line saying so; and the sheet
holds no reason code, rule-set id, snake_case name or English word (an uncertainty note
of the rule data — "unverified", "secondary", "practice" … — is English, so none either).
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

import evalkit
from evalkit.reasons import explain
from evalkit.render import period_sheets_from_results, render_period_html
from evalkit.units import classify_year
from tests import test_transition_year_doors as customs
from tests import test_year_category_change as change

pytest.importorskip("pypdf")  # (tests.test_render_text's own imports)
from tests.test_render_text import problems

GROUNDS = re.compile(r'<ul class="reasons">(.*?)</ul>', re.S)


def _grounds(page: str) -> list[str]:
    """The sheet's grounds, one line each, as read: tags dropped, spaces as printed."""
    (block,) = GROUNDS.findall(page)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", li)).split())
            for li in re.findall(r"<li>(.*?)</li>", block, re.S)]


def _vien_chuc_year() -> tuple[pd.DataFrame, pd.DataFrame]:
    made = []
    for p in change.MONTHS:
        sm, units = evalkit.frames_from_objects(
            change.organisation(p), [change.assessment(s, p) for s in change.people(p)],
            change.unit_inputs(p))  # fmt: skip
        st, ut = evalkit.classify_frame(sm, units)
        made.append((pd.concat([sm, st[[c for c in st if c not in sm]]], axis=1), ut))
    months = pd.concat([m[0] for m in made], ignore_index=True)
    return classify_year(months, pd.concat([m[1] for m in made], ignore_index=True)), months


def _customs_year() -> tuple[pd.DataFrame, pd.DataFrame]:
    made = [customs._period(p) for p in customs.PERIODS]
    months = pd.concat([m[0] for m in made], ignore_index=True)
    return classify_year(months, pd.concat([m[1] for m in made], ignore_index=True)), months


@pytest.mark.parametrize("make", [_vien_chuc_year, _customs_year], ids=["vien_chuc", "customs"])
def test_the_annual_sheet_says_explains_sentences(make: object) -> None:
    year, months = make()  # type: ignore[operator]
    said = explain(year)
    codes = {c for r in year["reasons"].astype(str) for c in r.split(";") if c}
    assert len(codes) >= 4, codes  # the year has more to say than its band (caps, quota,
    # disqualifiers; the customs year's four quarter counts)
    sheets = period_sheets_from_results(year, months)
    assert len(sheets) == len(year)
    for (i, row), sheet in zip(year.reset_index(drop=True).iterrows(), sheets, strict=True):
        page = render_period_html(sheet, lang="vi")
        want = [" ".join(s.split()) for s in said.iloc[i]]
        got = _grounds(page)
        # a candidate kept within the quota: the sheet's own last line (no reason code: the
        # grade is the band's), citing the quota's source as quota.demoted's sentence does
        kept = row.get("quota_rank", 0) > 0 and "quota.demoted" not in str(row["reasons"])
        if kept:
            assert got.pop().startswith("Trong tỷ lệ khống chế"), row["staff_id"]
        assert want and got == want, row["staff_id"]
        text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script).*?</\1>", "",
                                                             page, flags=re.S)))  # fmt: skip
        assert problems(text) == [], row["staff_id"]  # (the names here hold the ids)
        assert not [c for c in codes if c in text], row["staff_id"]
