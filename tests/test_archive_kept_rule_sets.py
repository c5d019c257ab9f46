"""The archive keeps each month's rule set as it was finalized (issue 13, point 5).

Until schema 5 a month kept only its set's id and content fingerprint: when a preset's
content changed under its id (vn.nd233-2026's Phụ lục I items, vn.qd366-2025's Điều 11
k4 caps: docs/migration.md), ``annual`` and ``amend`` over the months finalized before
refused, and an agency that upgraded evalkit in mid-year could not make its year sheets.
Now ``finalize`` keeps the whole set (:func:`evalkit.rules.content_json`, wording
included) under the month's seal, and every re-classification uses it. An archive written
before keeps refusing a changed set, as it did.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import attrs
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
from evalkit.io.archive import SCHEMA_VERSION, Archive, ArchiveError, ArchiveIntegrityError
from evalkit.rules import (
    RuleSet,
    _registry,
    content_fingerprint,
    content_json,
    from_content_json,
)
from evalkit.units import classify_year
from tests._archive_helpers import classified, cli_year, raw, year_grades
from tests._cli_helpers import run
from tests.test_cli_walk import has_render

ND335 = "vn.nd335-2025"
PEOPLE = {"A": 95.0, "B": 80.0, "C": 70.0, "D": 60.0, "E": 50.0}
MONTHS = ("2026-03", "2026-04")
#: A schema 4 file written by evalkit at f9dddcc (``SCHEMA_VERSION`` 4) with
#: :func:`_build_v4`: MONTHS of PEOPLE under vn.nd335-2025, fingerprints and no content.
V4 = Path(__file__).parent / "data" / "archive-v4-nd335-2026.sqlite"


def _changed() -> RuleSet:
    """vn.nd335-2025 as a later release might ship it under the same id: HTXS from 99 (A's
    year of 96.5 falls to HTT by its band) and a reworded title."""
    rs = evalkit.rules.get(ND335)
    bands = tuple(attrs.evolve(b, min=99.0) if b.grade.name == "HTXS"
                  else attrs.evolve(b, max=99.0) if b.grade.name == "HTT" else b
                  for b in rs.bands)  # fmt: skip
    return attrs.evolve(rs, bands=bands, title_vi="Bộ quy định đã sửa")


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> _registry.Registry:
    """A fresh default registry for the test (one that it may change)."""
    reg = _registry.Registry.with_presets()
    monkeypatch.setattr(_registry, "_default", reg)
    return reg


def _finalize(path: Path, months: tuple[str, ...] = MONTHS) -> None:
    with Archive(path) as arc:
        for per in months:
            results, units, inputs = classified(per, PEOPLE)
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)


class TestRoundTrip:
    @given(st.sampled_from(evalkit.rules.available()))
    def test_every_preset_is_rebuilt_equal_with_its_fingerprint(self, rs: RuleSet) -> None:
        """What the archive keeps rebuilds the set: equal, same content, same text again."""
        text = content_json(rs)
        back = from_content_json(text)
        assert back == rs
        assert content_fingerprint(back) == content_fingerprint(rs)
        assert content_json(back) == text

    @given(st.sampled_from(evalkit.rules.available()), st.text(min_size=1, max_size=40))
    def test_the_wording_is_kept_too(self, rs: RuleSet, title: str) -> None:
        """The wording (not in the fingerprint) is kept: a sheet cites the set as then."""
        changed = attrs.evolve(rs, title_vi=title, path=None)
        assert from_content_json(content_json(changed)) == changed


class TestAPresetChangedAfterFinalize:
    def test_annual_gives_the_year_under_the_kept_set(
            self, tmp_path: Path, registry: _registry.Registry) -> None:  # fmt: skip
        """Months finalized under the preset, the preset changed since: the year is the one
        given before the change (A's 96.5 is HTXS by its band, demoted by the quota), not
        the changed set's (HTT by its band), and the sheet's set is the one kept."""
        path = tmp_path / "a.sqlite"
        original = evalkit.rules.get(ND335)
        _finalize(path)
        with Archive(path) as arc:
            before = arc.annual(2026)
        assert year_grades(before)["A"] == (96.5, "HTT", "rollup.average;quota.demoted")
        registry.register(_changed(), replace=True)
        with Archive(path) as arc:
            frames = arc.year(2026)
        # the changed set really grades this year otherwise (the test would see a change)
        changed = classify_year(frames.drop(columns=["rule_set"]), None, _changed(), force=True)
        assert changed.set_index("staff_id").loc["A", "reasons"] == "rollup.average"
        for readonly in (False, True):
            with Archive(path, readonly=readonly) as arc:
                after = arc.annual(2026)
            pd.testing.assert_frame_equal(after.drop(columns=["rule_set"]),
                                          before.drop(columns=["rule_set"]))  # fmt: skip
            assert after.attrs["rule_sets"][ND335] == original

    def test_the_month_read_back_carries_the_kept_set_for_its_sheets(
            self, tmp_path: Path, registry: _registry.Registry) -> None:  # fmt: skip
        """A month read after the preset changed carries the set it kept (its sheets cite
        the set as then); before the change the registry's is the same: nothing carried."""
        path = tmp_path / "a.sqlite"
        original = evalkit.rules.get(ND335)
        _finalize(path)
        with Archive(path) as arc:
            assert "rule_sets" not in arc.month("2026-03").attrs
        registry.register(_changed(), replace=True)
        with Archive(path) as arc:
            assert arc.month("2026-03").attrs["rule_sets"] == {ND335: original}
            assert arc.month_and_units("2026-03")[0].attrs["rule_sets"] == {ND335: original}

    def test_a_month_sheet_rendered_from_the_archive_cites_the_kept_set(
            self, tmp_path: Path, registry: _registry.Registry) -> None:  # fmt: skip
        """`evalkit render --period 2026-03 --archive`: the sheet's basis and citations are
        the set's as the month was finalized, not a later release's rewording."""
        if not has_render():
            pytest.skip("WeasyPrint is not installed")
        path = tmp_path / "a.sqlite"
        _finalize(path, MONTHS[:1])
        rs = registry.get(ND335)
        registry.register(attrs.evolve(
            rs, bands=tuple(attrs.evolve(b, source="NGUON-DA-DOI") for b in rs.bands),
            title_vi="TIEU-DE-DA-DOI"), replace=True)  # fmt: skip
        code, out, err = run("render", "--period", MONTHS[0], "--archive", str(path),
                             "--out", str(tmp_path / "phieu"))  # fmt: skip
        assert code == 0, (out, err)
        code, out, err = run("annual", "--year", "2026", "--archive", str(path),
                             "--pdf", str(tmp_path / "nam"))  # fmt: skip
        assert code == 0, (out, err)
        for folder in ("phieu", "nam"):  # the month's sheet, the year's
            pdf = sorted((tmp_path / folder).glob("*_A_*.pdf"))[0]
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                                  capture_output=True, text=True).stdout  # fmt: skip
            assert "DA-DOI" not in text, folder
            assert "NĐ 335/2025/NĐ-CP, Điều 20 k1" in text and rs.title_vi in text, folder

    def test_annual_with_the_preset_named_by_its_id_uses_the_kept_set(
            self, tmp_path: Path, registry: _registry.Registry) -> None:  # fmt: skip
        path = tmp_path / "a.sqlite"
        _finalize(path)
        with Archive(path) as arc:
            before = year_grades(arc.annual(2026))
        registry.register(_changed(), replace=True)
        with Archive(path) as arc:
            assert year_grades(arc.annual(2026, rules=ND335)) == before
            assert arc.year_rules(2026) == ND335
            assert year_grades(arc.annual(2026)) == before  # the recorded set: the kept one

    def test_amend_re_derives_the_month_under_the_kept_set(
            self, tmp_path: Path, registry: _registry.Registry) -> None:  # fmt: skip
        """B's quantity raised to 100 %: B's month goes 86 → 93 (March's tasks), HTXS by
        the kept set's band (from 90), where the changed set (from 99) would say HTT."""
        path = tmp_path / "a.sqlite"
        _finalize(path)
        registry.register(_changed(), replace=True)
        with Archive(path) as arc:
            amendment = arc.amend("2026-03", "B", {"so_luong": 100}, by="TCCB", why="sửa")
            month = arc.month("2026-03").set_index("staff_id")
        assert month.loc["B", "score_grade"] == "HTXS"
        assert {c.staff_id for c in amendment.rows} >= {"B"}

    def test_evalkit_annual_gives_the_same_year(
            self, tmp_path: Path, registry: _registry.Registry) -> None:  # fmt: skip
        path = tmp_path / "a.sqlite"
        _finalize(path)
        with Archive(path) as arc:
            before = year_grades(arc.annual(2026))
        registry.register(_changed(), replace=True)
        cli = cli_year(path, tmp_path / "nam.csv")
        assert year_grades(cli) == before


class TestTheKeptSetIsSealed:
    @pytest.mark.parametrize("edit", [
        "UPDATE rule_set_contents SET content = replace(content, '\"min\": 90.0', "
        "'\"min\": 95.0') WHERE period = '2026-03'",
        "UPDATE rule_set_contents SET content = NULL WHERE period = '2026-03'",
        "DELETE FROM rule_set_contents WHERE period = '2026-03'",
    ])  # fmt: skip
    def test_an_edit_outside_evalkit_is_named_by_verify_and_refused_by_annual(
            self, tmp_path: Path, edit: str) -> None:  # fmt: skip
        path = tmp_path / "a.sqlite"
        _finalize(path)
        raw(path, "DROP TRIGGER rule_set_contents_u", "DROP TRIGGER rule_set_contents_d", edit)
        with Archive(path) as arc:
            report = arc.verify()
            assert not report.ok
            assert [(p.period, p.kind) for p in report.problems] == [("2026-03", "month")]
            assert "the rule set kept" in str(report.problems[0])
            with pytest.raises(ArchiveIntegrityError, match="2026-03"):
                arc.annual(2026)

    @pytest.mark.parametrize("edit", [
        "UPDATE year_rule_sets SET content = replace(content, '\"min\": 90.0', "
        "'\"min\": 95.0')",
        "UPDATE year_rule_sets SET content = NULL",
    ])  # fmt: skip
    def test_the_years_kept_set_is_chained_too(self, tmp_path: Path, edit: str) -> None:
        """The set named for the year is kept whole in its record, which its link covers:
        an edit outside evalkit is named by verify and refused by the year's read."""
        path = tmp_path / "a.sqlite"
        _finalize(path)
        with Archive(path) as arc:
            arc.annual(2026, rules=ND335)
        db = sqlite3.connect(path)
        assert db.execute("SELECT content IS NOT NULL FROM year_rule_sets").fetchall() == [(1,)]
        db.close()
        raw(path, "DROP TRIGGER year_rule_sets_u", edit)
        with Archive(path) as arc:
            report = arc.verify()
            assert [(p.period, p.kind) for p in report.problems] == [("2026", "year")]
            with pytest.raises(ArchiveIntegrityError, match="2026"):
                arc.annual(2026)

    def test_the_triggers_refuse_an_edit_and_a_late_insert(self, tmp_path: Path) -> None:
        path = tmp_path / "a.sqlite"
        _finalize(path)
        db = sqlite3.connect(path)
        for sql in ("UPDATE rule_set_contents SET content = '{}'",
                    "DELETE FROM rule_set_contents",
                    "INSERT INTO rule_set_contents VALUES ('2026-03', 'x', 'y', '{}')"):
            with pytest.raises(sqlite3.IntegrityError, match="immutable"):
                db.execute(sql)
        db.close()
        with Archive(path) as arc:
            assert arc.verify().ok


# =========================================================================== schema 4


def _build_v4(path: Path) -> None:  # pragma: no cover - how the fixture was made (schema 4)
    """The fixture: MONTHS of PEOPLE finalized by evalkit at f9dddcc, one file."""
    _finalize(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("VACUUM")
    db.close()


@pytest.fixture
def v4(tmp_path: Path) -> Path:
    path = tmp_path / "v4.sqlite"
    shutil.copyfile(V4, path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT MAX(version) FROM schema_version").fetchone() == (4,)
    assert db.execute("SELECT COUNT(*) FROM rule_set_contents").fetchone() == (2,)
    db.close()
    return path


class TestAnArchiveFromBefore:
    def test_it_migrates_its_seals_unchanged_and_its_year_is_the_same(self, v4: Path) -> None:
        with Archive(v4, readonly=True) as arc:
            assert arc.verify().ok
        db = sqlite3.connect(v4)
        chains = db.execute("SELECT period, chain FROM months ORDER BY period").fetchall()
        db.close()
        with Archive(v4) as arc:
            assert arc.schema_version() == SCHEMA_VERSION == 5
            assert arc.verify().ok
            assert [(str(m.period), m.chain) for m in arc.months()] == chains
            assert year_grades(arc.annual(2026))["A"] == (96.5, "HTT", "rollup.average;quota.demoted")

    def test_a_preset_changed_since_is_refused_as_before(
            self, v4: Path, registry: _registry.Registry) -> None:  # fmt: skip
        """No set kept: the months are checked against their fingerprints, as before."""
        registry.register(_changed(), replace=True)
        with Archive(v4) as arc:
            with pytest.raises(ArchiveError) as exc:
                arc.annual(2026)
            assert "2026-03 was finalized under rule set 'vn.nd335-2025' with other content " \
                   "than the 'vn.nd335-2025' at hand" in str(exc.value)
            with pytest.raises(ArchiveError, match="other content"):
                arc.amend("2026-03", "B", {"so_luong": 100}, by="TCCB", why="sửa")

    def test_a_month_kept_after_the_upgrade_carries_the_earlier_months_of_its_content(
            self, v4: Path, registry: _registry.Registry) -> None:  # fmt: skip
        """May finalized after the upgrade keeps the set; March and April have its
        fingerprint: the year over the three is classified under the kept set after the
        preset changes."""
        _finalize(v4, ("2026-05",))
        with Archive(v4) as arc:
            before = year_grades(arc.annual(2026))
        registry.register(_changed(), replace=True)
        with Archive(v4) as arc:
            assert year_grades(arc.annual(2026)) == before
            assert arc.verify().ok

    def test_a_set_put_into_an_old_month_is_refused_by_its_seal(self, v4: Path) -> None:
        Archive(v4).close()
        raw(v4, "DROP TRIGGER rule_set_contents_u")
        raw(v4, "UPDATE rule_set_contents SET content = ? WHERE period = '2026-03'",
            params=(content_json(evalkit.rules.get(ND335)),))
        with Archive(v4) as arc:
            report = arc.verify()
        assert [(p.period, p.kind) for p in report.problems] == [("2026-03", "month")]


REPRIMAND = {"discipline": "khiển trách", "discipline_related_to_duty": "có"}


def _without_discipline_cap(rs: RuleSet) -> RuleSet:
    """``rs`` as a release might ship it without the disqualifier for discipline."""
    return attrs.evolve(rs, caps=tuple(attrs.evolve(c, enabled=False) if c.id == "discipline"
                                       else c for c in rs.caps))  # fmt: skip


def _two_contents(path: Path, registry: _registry.Registry, march: RuleSet, april: RuleSet,
                  **kwargs: object) -> None:  # fmt: skip
    """March finalized under ``march``, then the preset amended to ``april`` (registered
    under the same id) and April finalized under it: one id, two contents in the year."""
    registry.register(march, replace=True)
    with Archive(path) as arc:
        results, units, inputs = classified("2026-03", PEOPLE, rs=march, **kwargs)  # type: ignore[arg-type]
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
    registry.register(april, replace=True)
    kwargs.pop("extra", None)  # (the facts of March only)
    with Archive(path) as arc:
        results, units, inputs = classified("2026-04", PEOPLE, rs=april, **kwargs)  # type: ignore[arg-type]
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)


def _doors(path: Path, tmp_path: Path) -> dict[str, tuple[float, str, str]]:
    """The year through Archive.annual (read-write and read-only) and `evalkit annual`:
    the same on every door, which is returned."""
    with Archive(path) as arc:
        year = year_grades(arc.annual(2026))
    with Archive(path, readonly=True) as arc:
        assert year_grades(arc.annual(2026)) == year
    assert year_grades(cli_year(path, tmp_path / "nam.csv")) == year
    return year


def _recorded_then_amended(tmp_path: Path, registry: _registry.Registry) -> Path:
    """March finalized under the preset, the year recorded under its id, then the preset
    amended (:func:`_changed`) and April finalized under it."""
    path = tmp_path / "a.sqlite"
    registry.register(evalkit.rules.get(ND335), replace=True)
    with Archive(path) as arc:
        results, units, inputs = classified("2026-03", PEOPLE)
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        arc.annual(2026, rules=ND335)
    registry.register(_changed(), replace=True)
    with Archive(path) as arc:
        results, units, inputs = classified("2026-04", PEOPLE, rs=_changed())
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
    return path


class TestAPresetAmendedWithinTheYear:
    """Months of one year finalized under two contents of one rule set id (a preset
    amended between releases): each month is read under the content it was finalized
    with, the year is classified under the content in force at its end — the last
    month's (NĐ 335/2025/NĐ-CP, Điều 21: the year is classified at its end) —, and every
    door gives the same year (issue 13, point 5). Refused before."""

    def test_the_year_is_classified_under_the_last_months_content(
            self, tmp_path: Path, registry: _registry.Registry) -> None:  # fmt: skip
        """April's content puts HTXS from 99: A's 96.5 is HTT by its band for the year, so
        no quota demotion (under March's content: HTXS by the band, then demoted)."""
        path = tmp_path / "a.sqlite"
        _two_contents(path, registry, evalkit.rules.get(ND335), _changed())
        year = _doors(path, tmp_path)
        assert year["A"] == (96.5, "HTT", "rollup.average")
        assert year["E"] == (65.0, "HT", "rollup.average")
        with Archive(path) as arc:
            assert arc.annual(2026).attrs["rule_sets"][ND335] == _changed()

    @pytest.mark.parametrize(("march_has_cap", "expected"), [
        (True, (72.0, "HTT", "rollup.average;rollup.dropped_disqualifier")),
        (False, (72.0, "KHT", "rollup.average;disqualifier.discipline")),
    ])  # fmt: skip
    def test_a_months_ground_is_judged_by_the_years_content_and_never_dropped_silently(
            self, tmp_path: Path, registry: _registry.Registry, march_has_cap: bool,
            expected: tuple[float, str, str]) -> None:  # fmt: skip
        """D reprimanded in March for a duty-related violation. April's content without the
        disqualifier: the year's content has no such ground, D's year is HTT, and the
        competent level is told March's own content had one (rollup.dropped_disqualifier).
        The other way round, April's content has it: D's year is KHT (Điều 20 k4 c) from
        March's facts, though March's own content did not grade them."""
        path = tmp_path / "a.sqlite"
        rs = evalkit.rules.get(ND335)
        march, april = (rs, _without_discipline_cap(rs)) if march_has_cap \
            else (_without_discipline_cap(rs), rs)  # fmt: skip
        _two_contents(path, registry, march, april, extra={"D": REPRIMAND})
        assert _doors(path, tmp_path)["D"] == expected

    def test_a_year_recorded_under_the_preset_keeps_its_content_at_both_doors(
            self, tmp_path: Path, registry: _registry.Registry) -> None:  # fmt: skip
        """The year recorded under the preset's id while March was its only month, then
        April finalized under the amended preset (a second content under the id): the
        recorded set is applied as it was recorded (docs/cli.md, "The year's rule set is
        recorded": a preset changed since changes nothing) — A's 96.5 is HTXS by March's
        band, then demoted by the quota, not HTT by April's band from 99 — on both doors,
        with one note naming the year, the id, April and what to do. Before: Archive.annual
        raised RuleSetError (the id's content differs) and `evalkit annual` refused with
        "cannot be classified … open read-only". Naming the set again records April's."""
        path = _recorded_then_amended(tmp_path, registry)
        year = _doors(path, tmp_path)
        assert year["A"] == (96.5, "HTT", "rollup.average;quota.demoted")
        note = ("the year 2026 is classified under 'vn.nd335-2025' as it was recorded for the "
                "year; the month 2026-04 was finalized under another content of that set, each "
                "read under its own; to classify the year under the new content, name the set "
                "again (--rules vn.nd335-2025) to record it")
        with Archive(path, readonly=True) as arc:
            assert arc.annual(2026).attrs["notes"] == [note]
            assert arc.year_rule_set(2026) == _registry.Registry.with_presets().get(ND335)
        code, _out, err = run("--lang", "en", "annual", "--year", "2026", "--archive",
                              str(path), "--out", str(tmp_path / "n.csv"))  # fmt: skip
        assert code == 0 and note in err
        with Archive(path) as arc:  # named again: April's content is recorded
            assert year_grades(arc.annual(2026, rules=ND335))["A"] == (
                96.5, "HTT", "rollup.average")
        with Archive(path) as arc:
            assert "notes" not in arc.annual(2026).attrs
        assert year_grades(cli_year(path, tmp_path / "m.csv"))["A"] == (
            96.5, "HTT", "rollup.average")

    def test_the_sheets_of_a_year_recorded_before_the_preset_changed_say_the_table(
            self, tmp_path: Path, registry: _registry.Registry) -> None:  # fmt: skip
        """The same year on its sheets (`annual --pdf`, `render --period 2026 --archive`):
        A's band is March's HTXS (from 90), then the quota — as the table says; before,
        the sheets banded the year under April's content (HTT, "dưới 99")."""
        if not has_render():
            pytest.skip("WeasyPrint is not installed")
        path = _recorded_then_amended(tmp_path, registry)
        code, out, err = run("annual", "--year", "2026", "--archive", str(path),
                             "--out", str(tmp_path / "nam.csv"), "--pdf", str(tmp_path / "nam"))
        assert code == 0, (out, err)
        code, out, err = run("render", "--period", "2026", "--archive", str(path),
                             "--out", str(tmp_path / "render"))  # fmt: skip
        assert code == 0, (out, err)
        for folder in ("nam", "render"):
            pdf = sorted((tmp_path / folder).glob("*_A_*.pdf"))[0]
            text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                                           capture_output=True, text=True).stdout.split())
            assert "Mức theo điểm: Hoàn thành xuất sắc nhiệm vụ" in text
            assert "(từ 90 đến 100 điểm) (NĐ 335/2025/NĐ-CP, Điều 20 k1)" in text
            assert "Điều 20 k5 a" in text and "dưới 99" not in text

    def test_the_year_sheet_cites_each_months_own_content(
            self, tmp_path: Path, registry: _registry.Registry) -> None:  # fmt: skip
        """Only a citation changed (the content's fingerprint is the same): head A's (d) is
        50 % in both months (F scores below 50), and the year's sheet cites March's (d)
        under March's wording, April's under April's, the year under April's, as the table
        does — before, the latest month's wording stood for every month."""
        if not has_render():
            pytest.skip("WeasyPrint is not installed")
        path = tmp_path / "a.sqlite"
        rs = evalkit.rules.get(ND335)
        assert rs.management is not None
        april = attrs.evolve(rs, management=attrs.evolve(rs.management, source="QL-THANG-4"),
                             bands=tuple(attrs.evolve(b, source="MUC-THANG-4")
                                         for b in rs.bands))  # fmt: skip
        assert content_fingerprint(april) == content_fingerprint(rs)
        people = {**PEOPLE, "F": 20.0}
        registry.register(rs, replace=True)
        with Archive(path) as arc:
            results, units, inputs = classified("2026-03", people, head="A")
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        registry.register(april, replace=True)
        with Archive(path) as arc:
            results, units, inputs = classified("2026-04", people, rs=april, head="A")
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
            year = year_grades(arc.annual(2026))
        code, out, err = run("annual", "--year", "2026", "--archive", str(path),
                             "--out", str(tmp_path / "nam.csv"), "--pdf", str(tmp_path / "nam"))
        assert code == 0, (out, err)
        table = pd.read_csv(tmp_path / "nam.csv", dtype={"staff_id": str}, keep_default_na=False)
        assert year_grades(table) == year
        said = " ".join(table["reasons_vi"])  # the year's band under April's wording only
        assert "(MUC-THANG-4)" in said and "Điều 20 k1)" not in said and "Điều 20 k2)" not in said
        pdf = sorted((tmp_path / "nam").glob("*_A_*.pdf"))[0]
        text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                                       capture_output=True, text=True).stdout.split())
        march = text.index("Tháng 03/2026: Thành phần (d) = 50%")
        april_d = text.index("Tháng 04/2026: Thành phần (d) = 50%")
        assert text.index("(NĐ 335/2025/NĐ-CP, Điều 15 k3)", march) < april_d
        assert text.index("(QL-THANG-4)", april_d) > april_d
        assert text.count("(QL-THANG-4)") == 1
        assert "(NĐ 335/2025/NĐ-CP, Điều 15 k3)" not in text[april_d:]
        assert "(MUC-THANG-4)" in text[april_d:] and "Điều 20 k1)" not in text

    def test_a_month_whose_content_is_found_nowhere_is_still_refused(
            self, v4: Path, registry: _registry.Registry, tmp_path: Path) -> None:  # fmt: skip
        """March and April finalized before the sets were kept (the fixture: fingerprints
        only), May kept whole under the preset amended since: March's content is neither
        kept nor shipped, so the year is refused, naming the month, on every door — never
        classified under May's content."""
        registry.register(_changed(), replace=True)
        with Archive(v4) as arc:
            results, units, inputs = classified("2026-05", PEOPLE, rs=_changed())
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
            with pytest.raises(ArchiveError) as exc:
                arc.annual(2026)
        said = "2026-03 was finalized under rule set 'vn.nd335-2025' with other content"
        assert said in str(exc.value)
        code, _out, err = run("annual", "--year", "2026", "--archive", str(v4))
        assert code != 0 and "2026-03" in err and "'vn.nd335-2025'" in err
