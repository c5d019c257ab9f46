"""Notices reach the year whatever switched them on (audit 15 finding 2).

A notice (``[[notices]]``, e.g. the Thanh Hóa flags of seed 004: a file handled late twice
or more, three public apologies or more) never changes a grade: it tells the competent
level, who concludes the year (NĐ 335/2025/NĐ-CP Điều 21). Switched on through
``options=`` given to :func:`evalkit.classify_frame`, the months carried it but the year
(:func:`evalkit.classify_year`, ``Archive.annual``, ``evalkit annual``) dropped it, while
the same switch in a rule file reached the year.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit.cli import main
from evalkit.io.archive import Archive
from tests._archive_helpers import ND335, scores

OPT = {"thanhhoa.late_files": True, "thanhhoa.apologies": True}
NOTICES = ["notice.thanhhoa.apologies", "notice.thanhhoa.late_files"]
MONTHS = ["2026-01", "2026-02", "2026-03"]


def month(period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Unit U: C1 at 100 % (late_files 2 in February, apologies 3 in March), H0..H4 at
    80 %; the unit's council score 80."""
    flags = {"2026-02": {"late_files": 2}, "2026-03": {"apologies": 3}}.get(period, {})
    rows = [{"staff_id": "C1", "unit_id": "U", "period": period, "category": "cong_chuc",
             **scores(ND335, 100), "late_files": 0, "apologies": 0, **flags}]
    rows += [{"staff_id": f"H{i}", "unit_id": "U", "period": period, "category": "cong_chuc",
              **scores(ND335, 80), "late_files": 0, "apologies": 0} for i in range(5)]
    units = pd.DataFrame({"unit_id": ["U"], "period": [period], "council_score": [80.0]})
    return pd.DataFrame(rows), units


def classified(options: dict[str, bool] | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    parts = [month(p) for p in MONTHS]
    staff = pd.concat([s for s, _ in parts], ignore_index=True)
    units = pd.concat([u for _, u in parts], ignore_index=True)
    return evalkit.classify_frame(staff, units, options=options)


def notices(reasons: Any) -> list[str]:
    return sorted(c for c in str(reasons).split(";") if c.startswith("notice."))


class TestClassifyYear:
    def test_the_months_notices_reach_the_year_and_change_no_grade(self) -> None:
        st, ur = classified(OPT)
        by_month = st.set_index(["staff_id", "period"])["reasons"]
        assert notices(by_month[("C1", "2026-02")]) == ["notice.thanhhoa.late_files"]
        assert notices(by_month[("C1", "2026-03")]) == ["notice.thanhhoa.apologies"]
        year = evalkit.classify_year(st, ur).set_index("staff_id")
        assert notices(year.loc["C1", "reasons"]) == NOTICES
        assert [notices(year.loc[f"H{i}", "reasons"]) for i in range(5)] == [[]] * 5
        off = evalkit.classify_year(*classified(None)).set_index("staff_id")
        assert notices(off.loc["C1", "reasons"]) == []  # off by default: nothing said
        # a notice never grades: the same totals and grades with or without it
        assert year[["total", "grade"]].equals(off[["total", "grade"]])
        assert year.loc["C1", "grade"] == "HTXS"

    def test_the_year_says_the_notice_in_words(self) -> None:
        from evalkit.reasons import explain

        year = evalkit.classify_year(*classified(OPT))
        c1 = year[year["staff_id"] == "C1"].reset_index(drop=True)
        said = explain(c1, lang="vi")[0]
        assert any("xin lỗi công khai" in s for s in said), said


class TestArchive:
    @pytest.fixture
    def archive(self, tmp_path: Path) -> str:
        path = str(tmp_path / "a.sqlite")
        with Archive(path) as arc:
            for p in MONTHS:
                s, u = month(p)
                st, ur = evalkit.classify_frame(s, u, options=OPT)
                st = pd.concat([s[[c for c in s.columns if c not in st.columns]], st], axis=1)
                arc.finalize(st, by="TCCB", period=p, units=ur, unit_inputs=u)
        return path

    def test_archive_annual_keeps_the_months_notices(self, archive: str) -> None:
        with Archive(archive) as arc:
            year = arc.annual(2026).set_index("staff_id")
        assert notices(year.loc["C1", "reasons"]) == NOTICES
        assert year.loc["C1", "annual_grade"] == "HTXS"
        assert [notices(year.loc[f"H{i}", "reasons"]) for i in range(5)] == [[]] * 5

    def test_the_cli_annual_keeps_them(self, archive: str) -> None:
        buf = io.StringIO()
        code = main(["annual", "--archive", archive, "--year", "2026", "--json"], stdout=buf)
        assert code == 0
        rows = {r["staff_id"]: r for r in json.loads(buf.getvalue())["results"]["data"]["rows"]}
        assert notices(rows["C1"]["reasons"]) == NOTICES
        assert rows["C1"]["annual_grade"] == "HTXS"
