"""The figures a unit signs agree with each other and with the engine (audit af38).

Every expected figure is computed by hand from the rule texts (domain brief §4), never
from evalkit: the people counted on the overview and the unit summary, the share of the
quota's grade over the quota's own base, the appraisal council's sentence, the numbers
typed as text that the archive reads as every door does.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.render import (
    Agency,
    OrganisationOverview,
    render_overview_html,
    summaries_from_results,
)

pytest.importorskip("jinja2")


def _flat(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _org(*units: tuple[str, str]) -> evalkit.Organisation:
    return evalkit.Organisation(units=[evalkit.Unit(u, name) for u, name in units],
                                positions=[], staff=[])  # fmt: skip


def _nd90_year() -> pd.DataFrame:
    """Unit U, 2025, viên chức under NĐ 90/2020: V0..V3 work 12 months at 86 (HTT), V4
    three months (86 too). By hand: V4 is not classified for the year (fewer than 6
    months worked, NĐ 90/2020 Điều 2 k3); the unit's people are 5 — 4 HTT, 1 not
    classified, nobody without a score."""
    rs = evalkit.rules.get("vn.nd90-2020")
    rows = [{"staff_id": f"V{i}", "unit_id": "U", "period": f"2025-{m:02d}",
             "category": "vien_chuc", **rs.full_marks(), "so_luong": 80, "chat_luong": 80,
             "tien_do": 80} for i in range(5) for m in range(1, 13) if i < 4 or m <= 3]
    units = pd.DataFrame({"unit_id": "U", "period": [f"2025-{m:02d}" for m in range(1, 13)],
                          "council_score": 80.0})
    staff, ur = evalkit.classify_frame(pd.DataFrame(rows), units, rs)
    return evalkit.classify_year(staff, ur)


class TestNotClassifiedOnTheOverview:
    """A person with a score and no grade is one of the unit's people on the overview, as on
    the unit summary — neither dropped (the frame door) nor called not evaluated (the
    summaries door)."""

    @pytest.mark.parametrize("door", ["frame", "summaries"])
    def test_the_overview_counts_them_apart(self, door: str) -> None:
        year = _nd90_year()
        rs = evalkit.rules.get("vn.nd90-2020")
        [summary] = summaries_from_results(year)
        ov = (OrganisationOverview.from_frame(year, organisation=_org(("U", "Phòng U")),
                                              rules=rs, agency=Agency("Sở"))
              if door == "frame" else OrganisationOverview.from_summaries([summary]))
        [row] = ov.rows
        assert (row.staff_count, row.not_classified, row.not_evaluated) == (5, 1, 0)
        assert row.staff_count == len(summary.rows)
        text = _flat(render_overview_html(ov))
        assert "Không xếp loại" in text
        # Số người, HTXS, HTT, HT, KHT, Không xếp loại, Chưa đánh giá
        assert "Tổng cộng 5 0 4 0 0 1 0" in text

    def test_no_column_where_everyone_with_a_score_is_graded(self) -> None:
        year = _nd90_year()
        year = year[year["staff_id"] != "V4"]
        ov = OrganisationOverview.from_summaries(summaries_from_results(year))
        text = _flat(render_overview_html(ov))
        assert "Không xếp loại" not in text and "Tổng cộng 4 0 4 0 0 0" in text


