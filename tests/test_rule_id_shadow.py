"""An id names one content (audit 16 #7).

A copy of vn.nd335-2025.toml with HTXS from 95 and the id unchanged loaded without
complaint: its results and archived months were labelled vn.nd335-2025, the month kept
93.0 as HTT and ``Archive.annual`` banded the same 93.0 as HTXS under the registered
preset. A rule file that takes a registered set's id with other content is now refused
where it is read (``rules.load``, ``rules.resolve``, ``read_rule_file``, ``--rules FILE``,
``evalkit rules check``), a set object under such an id is refused by the archive, and the
archive never classifies a month again under other content than it was finalized with.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
from evalkit.errors import InputError, RuleSetError
from evalkit.impact import compare_rule_sets
from evalkit.io.archive import Archive, ArchiveError
from evalkit.rules import _registry, content_fingerprint, read_rule_file, resolve
from tests._archive_helpers import classified
from tests._cli_helpers import run

PRESET = Path(evalkit.__file__).parent / "rules" / "presets" / "vn.nd335-2025.toml"
TEXT = PRESET.read_text(encoding="utf-8")
HTXS = 'grade = "HTXS"\nmin = 90'
HTT = 'grade = "HTT"\nmin = 70\nmax = 90'


def moved(htxs: float, rid: str | None = None) -> str:
    """The preset's text with HTXS from ``htxs`` (HTT up to it), under ``rid`` if given."""
    assert HTXS in TEXT and HTT in TEXT, "the preset's layout changed"
    text = TEXT.replace(HTXS, f'grade = "HTXS"\nmin = {htxs}').replace(
        HTT, f'grade = "HTT"\nmin = 70\nmax = {htxs}')
    if rid is not None:
        assert TEXT.count('id = "vn.nd335-2025"') == 1
        text = text.replace('id = "vn.nd335-2025"', f'id = "{rid}"')
    return text


@pytest.fixture
def shadow(tmp_path: Path) -> Path:
    path = tmp_path / "fake.toml"
    path.write_text(moved(95), encoding="utf-8")
    return path


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> _registry.Registry:
    """A fresh default registry for the test (one that it may change)."""
    reg = _registry.Registry.with_presets()
    monkeypatch.setattr(_registry, "_default", reg)
    return reg


def _refused(exc: RuleSetError, path: Path | None) -> None:
    assert exc.key == "id" and exc.source == (str(path) if path is not None else None)
    text = str(exc)
    assert "'vn.nd335-2025'" in text and "give the set its own id" in text
    if path is not None:
        assert f"file {path}" in text


class TestRuleFiles:
    def test_every_reader_refuses_a_changed_copy_under_the_presets_id(self, shadow: Path) -> None:
        for read in (lambda: evalkit.rules.load(shadow), lambda: resolve(shadow),
                     lambda: resolve(str(shadow)), lambda: read_rule_file(shadow)):
            with pytest.raises(RuleSetError) as exc:
                read()
            _refused(exc.value, shadow)

    def test_registering_it_is_refused_too(self, shadow: Path,
                                           registry: _registry.Registry) -> None:  # fmt: skip
        with pytest.raises(RuleSetError, match="already registered"):
            evalkit.rules.load(shadow, register=True)

    def test_an_identical_copy_and_a_changed_copy_under_its_own_id_load(self, tmp_path: Path
                                                                        ) -> None:  # fmt: skip
        same = tmp_path / "same.toml"
        same.write_text(TEXT, encoding="utf-8")
        rs = evalkit.rules.load(same)
        assert rs.id == "vn.nd335-2025" and rs.path == str(same)
        assert content_fingerprint(rs) == content_fingerprint(evalkit.rules.get(rs.id))
        own = tmp_path / "own.toml"
        own.write_text(moved(95, "so.nd335-htxs95"), encoding="utf-8")
        mine = evalkit.rules.load(own)
        assert [b.min for b in mine.bands if b.grade.name == "HTXS"] == [95.0]

    @settings(max_examples=25, deadline=None)
    @given(st.integers(71, 99))
    def test_a_copy_is_refused_exactly_when_its_content_differs(self, htxs: int) -> None:
        """For every HTXS edge: the preset's own edge (90) loads, any other is refused."""
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "copy.toml"
            path.write_text(moved(htxs), encoding="utf-8")
            if htxs == 90:
                assert evalkit.rules.load(path).bands == evalkit.rules.get("vn.nd335-2025").bands
            else:
                with pytest.raises(RuleSetError) as exc:
                    evalkit.rules.load(path)
                _refused(exc.value, path)


class TestCommandLine:
    @pytest.mark.parametrize(("lang", "words"), [
        ("vi", "hãy đặt cho bộ quy định một mã riêng"), ("en", "give the set its own id")])
    def test_rules_check_says_it(self, shadow: Path, lang: str, words: str) -> None:
        code, out, err = run("rules", "check", str(shadow), "--lang", lang)
        assert code == 3, (out, err)
        assert "'vn.nd335-2025'" in out + err and words in out + err
        assert "valid" not in out

    @pytest.mark.parametrize(("lang", "words"), [
        ("vi", "hãy đặt cho bộ quy định một mã riêng"), ("en", "give the set its own id")])
    def test_rules_file_of_score_is_refused(self, shadow: Path, tmp_path: Path, lang: str,
                                           words: str) -> None:  # fmt: skip
        rs = evalkit.rules.get("vn.nd335-2025")
        data = tmp_path / "month.csv"
        pd.DataFrame([dict(staff_id="S0", unit_id="U", period="2026-03",
                           category="cong_chuc", **rs.full_marks())]).to_csv(data, index=False)
        code, out, err = run("score", str(data), "--rules", str(shadow), "--lang", lang)
        assert code == 3, (out, err)
        assert str(shadow) in out + err and words in out + err


def _fake() -> evalkit.rules.RuleSet:
    """NĐ 335 with HTXS from 95, under its id, changed in Python."""
    rs = evalkit.rules.get("vn.nd335-2025")
    bands = tuple(attrs.evolve(b, min=95.0) if b.grade.name == "HTXS"
                  else attrs.evolve(b, max=95.0) if b.grade.name == "HTT" else b
                  for b in rs.bands)  # fmt: skip
    return attrs.evolve(rs, bands=bands)


class TestArchive:
    def test_finalize_refuses_a_set_under_a_registered_id_with_other_content(
            self, tmp_path: Path) -> None:  # fmt: skip
        fake = _fake()
        results, units, inputs = classified("2026-03", {"A": 90.0, "B": 80.0}, rs=fake)
        assert results["rule_set"].eq("vn.nd335-2025").all()
        path = tmp_path / "a.sqlite"
        with Archive(path) as arc:
            with pytest.raises(InputError) as exc:
                arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs, rules=fake)
            assert [(p.column, p.value) for p in exc.value.problems] == [
                ("rule_set", "vn.nd335-2025")]
            assert "give the set its own id" in str(exc.value)
        with Archive(path) as arc, pytest.raises(ArchiveError, match="no finalized month"):
            arc.annual(2026)

    def test_annual_refuses_such_a_set_and_keeps_its_own_after_the_registry_changed(
            self, tmp_path: Path, registry: _registry.Registry) -> None:  # fmt: skip
        """A month finalized under the preset keeps its content: the year is refused under
        a changed set of that id given, and classified under the kept set when one is
        registered in its place (schema 5; an archive from before refuses:
        tests/test_archive_kept_rule_sets.py)."""
        path = tmp_path / "a.sqlite"
        results, units, inputs = classified("2026-03", {"A": 95.0, "B": 80.0, "C": 70.0,
                                                        "D": 60.0, "E": 50.0})  # fmt: skip
        with Archive(path) as arc:
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
            year = arc.annual(2026)
            assert year["rule_set"].eq("vn.nd335-2025").all()
            with pytest.raises(RuleSetError) as given_exc:
                arc.annual(2026, rules=_fake())
            _refused(given_exc.value, None)
        registry.register(_fake(), replace=True)
        for readonly in (False, True):
            with Archive(path, readonly=readonly) as arc:
                pd.testing.assert_frame_equal(arc.annual(2026), year)
        with Archive(path) as arc:
            arc.amend("2026-03", "B", {"so_luong": 90}, by="TCCB", why="sửa")

    def test_a_set_loaded_from_an_identical_copy_is_the_same_set(self, tmp_path: Path) -> None:
        same = tmp_path / "same.toml"
        same.write_text(TEXT, encoding="utf-8")
        rs = evalkit.rules.load(same)
        results, units, inputs = classified("2026-03", {"A": 95.0, "B": 80.0}, rs=rs)
        with Archive(tmp_path / "a.sqlite") as arc:
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs, rules=rs)
            pd.testing.assert_frame_equal(arc.annual(2026, rules=rs), arc.annual(2026))


class TestImpact:
    def test_a_preset_against_its_changed_copy_under_a_new_id(self, tmp_path: Path) -> None:
        """rules diff / compare_rule_sets: the preset against a copy with HTXS from 95
        and its own id moves the 93.0 from HTXS to HTT; the copy under the preset's id is
        refused."""
        rs = evalkit.rules.get("vn.nd335-2025")
        own = tmp_path / "own.toml"
        own.write_text(moved(95, "so.nd335-htxs95"), encoding="utf-8")
        frame = pd.DataFrame([dict(staff_id="S0", period="2026-03", category="cong_chuc",
                                   **{**rs.full_marks(), "so_luong": 70.0})])  # fmt: skip
        report = compare_rule_sets("vn.nd335-2025", str(own), frame, level="period")
        ch = report.changes
        assert ch[["staff_id", "old_total", "old_grade", "new_grade"]].values.tolist() == [
            ["S0", 93.0, "HTXS", "HTT"]]
        bad = tmp_path / "fake.toml"
        bad.write_text(moved(95), encoding="utf-8")
        with pytest.raises(RuleSetError) as exc:
            compare_rule_sets("vn.nd335-2025", str(bad), frame, level="period")
        _refused(exc.value, bad)


def test_the_month_keeps_the_fingerprint_of_its_set(tmp_path: Path) -> None:
    """What finalize stores: the content of each set of the month, by id."""
    import sqlite3

    results, units, inputs = classified("2026-03", {"A": 95.0})
    path = tmp_path / "a.sqlite"
    with Archive(path) as arc:
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT period, rule_set, fingerprint FROM rule_set_contents"
                          ).fetchall()  # fmt: skip
    assert rows == [("2026-03", "vn.nd335-2025",
                     content_fingerprint(evalkit.rules.get("vn.nd335-2025")))]
    with sqlite3.connect(path) as db, pytest.raises(sqlite3.IntegrityError, match="immutable"):
        db.execute("UPDATE rule_set_contents SET fingerprint = 'x'")
