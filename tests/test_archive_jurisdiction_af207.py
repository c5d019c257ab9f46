"""The archive's amendment and history look for the year's set in the caller's jurisdiction.

The made-up province ``vn.mau`` of :mod:`tests.test_jurisdiction_more_af205`: its own viên
chức set (``mau.vc-2026``, extending NĐ 233/2026) is in force from 2026-09-01. Its viên
chức worked January–June 2026 under NĐ 90/2020 (``vn.nd90-2020``, until 2026-06-30), so
their year is classified at its end (NĐ 90/2020 Điều 20; :func:`evalkit.rules.for_year_end`)
under the province's set in ``vn.mau``, under the national NĐ 233/2026 (``vn.nd233-2026``)
without it. An amendment of June made with ``jurisdiction='vn.mau'`` — through
:meth:`Archive.amend` and ``evalkit amend --jurisdiction vn.mau`` — says and uses the set
:meth:`Archive.annual` then classifies the year under; :meth:`Archive.history` says it so
too. The expected ids follow from the preset and rule file dates, not from evalkit's output.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pandas as pd
import pytest

from evalkit.io import archive
from evalkit.io.archive import Archive
from evalkit.units import classify_frame
from tests._cli_helpers import ok, run
from tests.test_jurisdiction_more_af205 import MAU, ND233, _months, finalize_half, mau

__all__ = ["mau"]  # the fixture, registered here by its import

#: a June correction that changes the year: a reprimand (NĐ 233/2026 reads it)
REPRIMAND = {"discipline": "khien_trach"}


def _archive(tmp_path: Path) -> Path:
    """The half year finalized, each month under its own set (NĐ 90/2020)."""
    staff, units = _months()
    sr, ur = classify_frame(staff, units, jurisdiction="vn.mau")
    path = tmp_path / "luu-tru.sqlite"
    with Archive(path) as arc:
        finalize_half(arc, staff, units, sr, ur)
    return path


def _sets(frame: pd.DataFrame) -> set[str]:
    return set(frame["rule_set"].astype(str))


@pytest.mark.usefixtures("mau")
class TestTheAmendmentFollowsTheJurisdiction:
    def test_the_api_says_and_uses_the_provinces_set(self, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
        """amend and history with ``jurisdiction='vn.mau'``: mau.vc-2026, the set the
        year is then classified under by annual in vn.mau; without it NĐ 233/2026. The
        fields the year reads are those of that set (``_year_fields`` is given it)."""
        path = _archive(tmp_path)
        used: list[str] = []
        fields = archive._year_fields
        monkeypatch.setattr(archive, "_year_fields",
                            lambda rs, year: used.append(year.id) or fields(rs, year))
        with Archive(path) as arc:
            amended = arc.amend("2026-06", "V3", REPRIMAND, by="TCCB", why="Kết luận lại",
                                jurisdiction="vn.mau")  # fmt: skip
            year = arc.annual(2026, jurisdiction="vn.mau")
            told = [a.year_rule_set for a in arc.history("2026-06", "V3",
                                                         jurisdiction="vn.mau")]  # fmt: skip
            national = [a.year_rule_set for a in arc.history("2026-06", "V3")]
        assert (amended.year_rule_set, amended.year_rule_set_recorded) == (MAU, False)
        assert _sets(year) == {MAU} == {amended.year_rule_set}
        assert told == [MAU]
        assert national == [ND233]
        assert used == [MAU]

    def test_the_cli_says_what_the_api_says(self, tmp_path: Path) -> None:
        """``evalkit amend --jurisdiction vn.mau`` reports mau.vc-2026, as the API does
        for the same archive and ``evalkit annual --jurisdiction vn.mau`` classifies by."""
        path = _archive(tmp_path)
        with contextlib.chdir(tmp_path):
            out = json.loads(ok("amend", "--archive", path.name, "--period", "2026-06",
                                "--staff", "V3", "--set", "discipline=khien_trach", "--by",
                                "TCCB", "--why", "Kết luận lại", "--jurisdiction", "vn.mau",
                                "--json"))  # fmt: skip
            ok("annual", "--archive", path.name, "--year", "2026", "--jurisdiction", "vn.mau",
               "--out", "nam.csv")  # fmt: skip
            cli_year = pd.read_csv("nam.csv", dtype={"staff_id": str})
        with Archive(path) as arc:
            told = [a.year_rule_set for a in arc.history("2026-06", "V3",
                                                         jurisdiction="vn.mau")]  # fmt: skip
            api_year = arc.annual(2026, jurisdiction="vn.mau")
        assert (out["year_rule_set"], out["year_rule_set_recorded"]) == (MAU, False)
        assert told == [MAU]
        assert _sets(cli_year) == _sets(api_year) == {MAU}
        by_cli = dict(zip(cli_year["staff_id"], cli_year["annual_grade"], strict=True))
        by_api = dict(zip(api_year["staff_id"], api_year["annual_grade"], strict=True))
        assert by_cli == by_api

    def test_an_unknown_jurisdiction_is_refused_before_anything_is_written(
            self, tmp_path: Path) -> None:  # fmt: skip
        """``--jurisdiction vn.khong-co``: exit 3 (the shared option), no amendment made."""
        path = _archive(tmp_path)
        code, _out, err = run("amend", "--archive", str(path), "--period", "2026-06",
                              "--staff", "V3", "--set", "discipline=khien_trach", "--by",
                              "TCCB", "--why", "x", "--jurisdiction", "vn.khong-co")  # fmt: skip
        assert code == 3
        assert "vn.khong-co" in err
        with Archive(path) as arc:
            assert arc.history("2026-06", "V3") == []

