"""Archives finalized before a preset changed are still rolled up (issue 13).

A month finalized before archive schema 5 kept only its rule set's id and
``content_fingerprint``. evalkit ships every earlier content of its presets, keyed by the
fingerprint the release of the time computed (``evalkit/rules/presets/history``, written by
``docs/_ext/preset_history.py``), and ``annual``/``amend`` classify such a month under it.
The fixture ``archive-v4-qd366-2026.sqlite`` was finalized by evalkit at f9dddcc (schema 4)
under vn.qd366-2025 as it was before QĐ 366-QĐ/TW Điều 11 k4's leadership cases
(7a522ee) and the unit shortcomings wording (4af2802); the year that release gave
(``annual`` at f9dddcc over the same file) is :data:`RELEASE_YEAR`.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import pytest

import evalkit.rules
from evalkit.io.archive import Archive, ArchiveError
from evalkit.rules import content_fingerprint, content_json, earlier_content
from tests._archive_helpers import cli_year, raw, year_grades

QD366 = "vn.qd366-2025"
FIXTURE = Path(__file__).parent / "data" / "archive-v4-qd366-2026.sqlite"
#: what evalkit at f9dddcc stored for vn.qd366-2025 (both months)
THEN = "71f262e13ecf5809ad4786719ae8cff00ada5ad059115db6b72118b3e819e0a1"
#: the year evalkit at f9dddcc gave over the fixture: five people, every general
#: criterion at its maximum and every task at 100 % or more, no discipline — each month
#: 100 points (HTXS), the year's mean 100, no quota in the set
RELEASE_YEAR = dict.fromkeys("ABCDE", (100.0, "HTXS", "rollup.average"))
HISTORY = Path(evalkit.rules.__file__).parent / "presets" / "history"


@pytest.fixture
def qd366(tmp_path: Path) -> Path:
    path = tmp_path / "qd366.sqlite"
    shutil.copyfile(FIXTURE, path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT MAX(version) FROM schema_version").fetchone() == (4,)
    assert db.execute("SELECT DISTINCT rule_set, fingerprint FROM rule_set_contents"
                      ).fetchall() == [(QD366, THEN)]  # fmt: skip
    db.close()
    return path


def test_the_fixtures_content_is_not_todays_but_is_shipped() -> None:
    assert content_fingerprint(evalkit.rules.get(QD366)) != THEN
    earlier = earlier_content(QD366, THEN)
    assert earlier is not None and earlier.id == QD366
    assert earlier != evalkit.rules.get(QD366)


@pytest.mark.parametrize("readonly", [False, True])
def test_annual_gives_the_year_the_release_gave(qd366: Path, readonly: bool) -> None:
    """Refused as 'other content' before the history was shipped (read-only: once
    migrated by an open for writing)."""
    if readonly:
        Archive(qd366).close()
    with Archive(qd366, readonly=readonly) as arc:
        year = arc.annual(2026)
    assert year_grades(year) == RELEASE_YEAR
    assert year.attrs["rule_sets"][QD366] == earlier_content(QD366, THEN)


def test_evalkit_annual_gives_the_same_year(qd366: Path, tmp_path: Path) -> None:
    cli = cli_year(qd366, tmp_path / "nam.csv")
    assert year_grades(cli) == RELEASE_YEAR


def test_amend_re_derives_the_month_under_the_earlier_content(qd366: Path) -> None:
    with Archive(qd366) as arc:
        amendment = arc.amend("2026-03", "B", {"discipline": 1}, by="TCCB", why="sửa")
        month = arc.month("2026-03").set_index("staff_id")
        year = year_grades(arc.annual(2026))
        assert arc.verify().ok
    assert {c.staff_id for c in amendment.rows} >= {"B"}
    assert month.loc["B", "grade"] != "HTXS"
    assert year["A"] == RELEASE_YEAR["A"] and year["B"] != RELEASE_YEAR["B"]


def test_a_fingerprint_shipped_nowhere_is_refused_as_before(qd366: Path) -> None:
    Archive(qd366).close()  # (schema 5: the months keep no content)
    raw(qd366, "DROP TRIGGER rule_set_contents_u")
    raw(qd366, "UPDATE rule_set_contents SET fingerprint = ?", params=("f" * 64,))
    with Archive(qd366) as arc:
        with pytest.raises(ArchiveError) as exc:
            arc.annual(2026)
        assert "2026-03 was finalized under rule set 'vn.qd366-2025' with other content" \
               in str(exc.value)
        with pytest.raises(ArchiveError, match="other content"):
            arc.amend("2026-03", "B", {"discipline": 1}, by="TCCB", why="sửa")


@pytest.mark.parametrize("fingerprint", sorted(
    p.name.removesuffix(".json.gz") for p in (HISTORY / QD366).glob("*.json.gz")))
def test_every_earlier_fingerprint_of_the_preset_is_accepted(qd366: Path,
                                                             fingerprint: str) -> None:
    """Most earlier fingerprints were computed over fewer schema fields than today's: the
    set rebuilt today has another fingerprint, and is still the month's own."""
    Archive(qd366).close()
    raw(qd366, "DROP TRIGGER rule_set_contents_u")
    raw(qd366, "UPDATE rule_set_contents SET fingerprint = ?", params=(fingerprint,))
    with Archive(qd366) as arc:
        year = arc.annual(2026)
        arc.amend("2026-03", "B", {"discipline": 1}, by="TCCB", why="sửa")
    assert year.attrs["rule_sets"][QD366] == earlier_content(QD366, fingerprint)


def test_no_content_for_an_unknown_id_or_a_malformed_fingerprint() -> None:
    today = content_fingerprint(evalkit.rules.get(QD366))
    assert earlier_content(QD366, today) is None  # today's content is not history
    assert earlier_content("no.such-set", THEN) is None
    assert earlier_content("..", THEN) is None
    assert earlier_content(QD366, "../" + THEN) is None


def _files() -> list[Path]:
    return sorted(HISTORY.glob("*/*.json.gz"))


def test_every_preset_that_changed_has_history() -> None:
    assert {p.parent.name for p in _files()} >= {QD366, "vn.nd233-2026"}


@pytest.mark.parametrize("path", _files(), ids=lambda p: f"{p.parent.name}/{p.name[:12]}")
def test_each_history_file_round_trips(path: Path) -> None:
    """The file rebuilds into a set of its directory's id that writes back to the same
    text; its key is an earlier release's fingerprint, never today's (a month with today's
    is classified under the preset)."""
    fingerprint = path.name.removesuffix(".json.gz")
    rs = earlier_content(path.parent.name, fingerprint)
    assert rs is not None and rs.id == path.parent.name
    assert content_json(rs) == gzip.decompress(path.read_bytes()).decode("utf-8")
    assert fingerprint != content_fingerprint(evalkit.rules.get(rs.id))


# ---------------------------------------------------------------- vn.nd233-2026, Phụ lục I
ND233 = "vn.nd233-2026"
#: finalized by evalkit at 0f55d4a^ (schema 4): July–December 2026 of five viên chức under
#: vn.nd233-2026 with group c)'s four items (``nhiem_vu_kho_khan`` among them), before
#: Phụ lục I's three (0f55d4a)
ND233_FIXTURE = Path(__file__).parent / "data" / "archive-v4-nd233-2026.sqlite"
ND233_THEN = "f8ab506aa36c952eece0e4fab10a1ce38b1e938423c91258d182d4df5af9799a"
#: the year evalkit at 0f55d4a^ gave over the fixture: each month's tasks at A 95, B 80,
#: C 70, D 60, E 50 % — totals 96.5, 86, 79, 72, 65 (the months alike, so the mean): A
#: alone is HTXS by its band (from 90) and is demoted by the set's quota (Điều 12 k6),
#: E at 65 is HT
ND233_RELEASE_YEAR = {"A": (96.5, "HTT", "rollup.average;quota.demoted"),
                      "B": (86.0, "HTT", "rollup.average"),
                      "C": (79.0, "HTT", "rollup.average"),
                      "D": (72.0, "HTT", "rollup.average"),
                      "E": (65.0, "HT", "rollup.average")}


@pytest.fixture
def nd233(tmp_path: Path) -> Path:
    path = tmp_path / "nd233.sqlite"
    shutil.copyfile(ND233_FIXTURE, path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT DISTINCT rule_set, fingerprint FROM rule_set_contents"
                      ).fetchall() == [(ND233, ND233_THEN)]  # fmt: skip
    db.close()
    return path


def test_nd233_before_phu_luc_i_gives_the_year_the_release_gave(nd233: Path,
                                                                 tmp_path: Path) -> None:
    earlier = earlier_content(ND233, ND233_THEN)
    assert earlier is not None and "nhiem_vu_kho_khan" in {
        c.id for g in earlier.groups for c in g.criteria}  # the four items of then
    assert "nhiem_vu_kho_khan" not in {c.id for g in evalkit.rules.get(ND233).groups
                                       for c in g.criteria}  # fmt: skip
    with Archive(nd233) as arc:
        assert year_grades(arc.annual(2026)) == ND233_RELEASE_YEAR
    cli = cli_year(nd233, tmp_path / "nam.csv")
    assert year_grades(cli) == ND233_RELEASE_YEAR
    with Archive(nd233) as arc:
        arc.amend("2026-09", "E", {"discipline": 1}, by="TCCB", why="sửa")
        assert year_grades(arc.annual(2026))["A"] == ND233_RELEASE_YEAR["A"]


def test_a_year_recorded_under_the_earlier_content_is_classified_under_it(
        tmp_path: Path) -> None:  # fmt: skip
    """The fixture again, with ``annual(2026, rules="vn.qd366-2025")`` run by evalkit at
    f9dddcc: the year records the set's id and that release's fingerprint (table
    ``year_rule_sets``), found in the shipped history."""
    path = tmp_path / "year.sqlite"
    shutil.copyfile(Path(__file__).parent / "data" / "archive-v4-qd366-2026-year.sqlite", path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT rule_set, fingerprint FROM year_rule_sets").fetchall() == [
        (QD366, THEN)]
    db.close()
    for rules in (None, QD366):
        with Archive(path) as arc:
            year = arc.annual(2026, rules=rules)
        assert year_grades(year) == RELEASE_YEAR
        assert year.attrs["rule_sets"][QD366] == earlier_content(QD366, THEN)
