"""The unit summary of a unit of công chức and viên chức (audit 15, after finding 3): the
quota block prints a line per quota group — named by its rule set's category, with its
base, its cap and its citation, as the engine's ``quota_*`` columns give them — and the
*Căn cứ* line cites every rule set the unit's people were graded under. A unit of one
group looks as before."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("weasyprint")
pytest.importorskip("pypdf")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_quota import _mixed_year
from test_render import demo_sheet, flat, pdf_text

import evalkit
import evalkit.rules
from evalkit.errors import RenderError
from evalkit.render import (
    QuotaFigures,
    UnitSummary,
    render_unit_summary,
    render_unit_summary_html,
    summaries_from_results,
)
from evalkit.render._view import summary_context

CC, VC = evalkit.rules.get("vn.nd335-2025"), evalkit.rules.get("vn.nd233-2026")


@pytest.fixture(scope="module")
def mixed() -> tuple[Any, UnitSummary]:
    """The year 2026 of unit U (by hand, tests/test_quota.py::_mixed_year: the công chức
    group counts 10 HTT → cap 2 of 4 candidates; the viên chức group 5 HTT → cap 1 of 3)
    and its summary from the results frame."""
    year, _ = _mixed_year()
    (summary,) = summaries_from_results(year)
    return year, summary


def test_the_summary_has_a_quota_group_per_rule_set_as_the_engine_gave_them(
    mixed: tuple[Any, UnitSummary],
) -> None:
    year, s = mixed
    got = {(q.rule_set_id, q.percent, q.base_count, q.cap, q.candidates, q.demoted)
           for q in s.quotas}  # fmt: skip
    assert got == {("vn.nd335-2025", 20.0, 10, 2, 4, 2), ("vn.nd233-2026", 20.0, 5, 1, 3, 2)}
    # the engine's own per-group report says the same, group by group
    rep = evalkit.quota_report(year).set_index("rule_set")
    for q in s.quotas:
        r = rep.loc[q.rule_set_id]
        assert (q.base_count, q.cap, q.candidates, q.demoted) == \
            (r.base_count, r.cap, r.candidates, r.demoted)
    assert [r.id for r in s.all_rules] == ["vn.nd335-2025", "vn.nd233-2026"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_quota_block_has_a_line_per_group_named_and_cited(
    mixed: tuple[Any, UnitSummary], lang: str
) -> None:
    _, s = mixed
    ctx = summary_context(s, lang)
    names = {"vi": ["Công chức", "Viên chức"], "en": ["Civil servants", "Public employees"]}
    groups = ctx["quota"]["groups"]
    # in quota_report's order (the engine's groups: by set id), whatever the rows' order
    assert [(g["name"], g["base"], g["cap"], g["source"]) for g in groups] == [
        (names[lang][1], "5", "1", "NĐ 233/2026/NĐ-CP, Điều 12 k6 a"),
        (names[lang][0], "10", "2", "NĐ 335/2025/NĐ-CP, Điều 20 k5 a"),
    ]
    # the Căn cứ line cites both sets, not NĐ 233 alone
    title = (lambda r: r.title_en) if lang == "en" else (lambda r: r.title_vi)
    assert ctx["rule_set_title"] == f"{title(CC)}; {title(VC)}"
    html = flat(render_unit_summary_html(s, lang=lang))
    assert "NĐ 335/2025/NĐ-CP, Điều 20 k5 a" in html and "NĐ 233/2026/NĐ-CP, Điều 12 k6 a" in html
    # the block's rows are the groups' figures (percent, base, cap, candidates, demoted):
    # nothing pooled (the unit's 15 and 3)
    block = html.split('class="facts quota')[1].split("</table>")[0].split("<tbody>")[1]
    rows = [re.findall(r'<td class="num">([^<]*)</td>', tr) for tr in block.split("</tr>")]
    assert [r for r in rows if r] == [["20%", "5", "1", "3", "2"], ["20%", "10", "2", "4", "2"]]


def test_the_pdf_prints_both_groups_and_both_sets_on_two_landscape_pages(
    mixed: tuple[Any, UnitSummary],
) -> None:
    _, s = mixed
    pages, text = pdf_text(render_unit_summary(s, lang="vi"))
    text = flat(text)
    assert pages == 2
    assert "NĐ 335/2025/NĐ-CP, Điều 20 k5 a" in text and "NĐ 233/2026/NĐ-CP, Điều 12 k6 a" in text
    assert "Công chức" in text and "Viên chức" in text
    # the quota block in quota_report's order (the engine's groups), not the rows' order
    block = text.split("Chuyển xuống", 1)[1]
    assert block.index("Viên chức (NĐ 233/2026/NĐ-CP, Điều 12 k6 a) 20% 5 1 3 2") < \
        block.index("Công chức (NĐ 335/2025/NĐ-CP, Điều 20 k5 a) 20% 10 2 4 2")
    assert evalkit.quota_report(mixed[0])["rule_set"].tolist() == [VC.id, CC.id]
    assert "(NĐ 335/2025/NĐ-CP)" in text and "(NĐ 233/2026/NĐ-CP)" in text  # Căn cứ


def test_a_unit_of_one_group_prints_one_block_as_before() -> None:
    """The one-group summary: no group table, the unit's figures and its set's citation."""
    import pandas as pd

    year, _ = _mixed_year()
    cc = year[year["rule_set"] == "vn.nd335-2025"].copy()
    cc.attrs = dict(year.attrs)
    (s,) = summaries_from_results(cc)
    assert s.quotas == () and [r.id for r in s.all_rules] == ["vn.nd335-2025"]
    assert (s.quota.base_count, s.quota.cap, s.quota.candidates) == (10, 2, 4)  # type: ignore[union-attr]
    ctx = summary_context(s, "vi")
    assert not ctx["quota"]["groups"] and ctx["quota"]["source"] == CC.quota.source  # type: ignore[union-attr]
    assert ctx["rule_set_title"] == CC.title_vi
    html = render_unit_summary_html(s, lang="vi")
    assert "facts quota groups" not in html and "Số người tối đa được giữ mức" in html
    assert isinstance(cc, pd.DataFrame)


def test_sheets_under_two_sets_cite_both_on_the_cancu_line() -> None:
    """The objects door: a summary made from sheets graded under two sets cites both."""
    from evalkit.render import Sheet  # noqa: F401

    a = demo_sheet("A", staff_id="CC-1")
    other = evalkit.rules.get("vn.nd90-2020")  # the viên chức's set in March 2026
    b = demo_sheet("B", staff_id="VC-1", rules=other, uniform=other.full_marks())
    s = UnitSummary.from_sheets([a, b])
    assert [r.id for r in s.all_rules] == [a.rules.id, other.id]
    assert summary_context(s, "vi")["rule_set_title"] == f"{a.rules.title_vi}; {other.title_vi}"


def test_a_quota_group_of_a_set_the_summary_does_not_have_is_refused(
    mixed: tuple[Any, UnitSummary],
) -> None:
    import attrs

    _, s = mixed
    with pytest.raises(RenderError, match=r"quota group of rule set 'vn\.nd90-2020'.*"
                                          r"vn\.nd233-2026, vn\.nd335-2025"):
        attrs.evolve(s, quotas=[QuotaFigures(20, 5, 1, 3, 2, "vn.nd90-2020")])


def _year_of(cc: tuple[int, int], vc: tuple[int, int]) -> Any:
    """Unit U's 2026 from its December alone: ``cc`` = (công chức at 100%, at 80%) under
    NĐ 335, ``vc`` likewise for viên chức under NĐ 233."""
    import pandas as pd

    rows = []
    for cat, rs, (top, mid) in (("cong_chuc", CC, cc), ("vien_chuc", VC, vc)):
        for i in range(top + mid):
            pct = 100 if i < top else 80
            rows.append({"staff_id": f"{cat[0].upper()}{i:02d}", "unit_id": "U",
                         "period": "2026-12", "category": cat, **rs.full_marks(),
                         "so_luong": pct, "chat_luong": pct, "tien_do": pct})  # fmt: skip
    units = pd.DataFrame({"unit_id": ["U"], "period": ["2026-12"], "council_score": [80.0]})
    staff, ur = evalkit.classify_frame(pd.DataFrame(rows), units)
    return evalkit.classify_year(staff, ur)


@given(cc=st.tuples(st.integers(0, 4), st.integers(1, 12)),
       vc=st.tuples(st.integers(0, 4), st.integers(1, 12)))  # fmt: skip
@settings(max_examples=12, deadline=None)
def test_every_group_prints_the_engines_figures_whatever_the_mix(
    cc: tuple[int, int], vc: tuple[int, int]
) -> None:
    """For any mix, the block's rows are quota_report's rows, set by set (nothing pooled,
    nothing recomputed), and the Căn cứ line cites both sets."""
    year = _year_of(cc, vc)
    rep = evalkit.quota_report(year)
    (s,) = summaries_from_results(year)
    ctx = summary_context(s, "vi")
    # a group under each set, the sheet's rows in quota_report's order (the engine's
    # groups, by the sets' ids), though the people under NĐ 335 come first in the rows
    want = [[f"{r.percent:g}%", str(r.base_count), str(r.cap), str(r.candidates),
             str(r.demoted)] for r in rep.itertuples()]  # fmt: skip
    assert rep["rule_set"].tolist() == sorted([CC.id, VC.id])
    got = [[g["percent"], g["base"], g["cap"], g["candidates"], g["demoted"]]
           for g in ctx["quota"]["groups"]]  # fmt: skip
    assert got == want
    assert [(g["name"], g["source"]) for g in ctx["quota"]["groups"]] == \
        [("Viên chức", VC.quota.source), ("Công chức", CC.quota.source)]  # type: ignore[union-attr]
    assert ctx["rule_set_title"] == f"{CC.title_vi}; {VC.title_vi}"
