"""A seal printed before a migration stays verifiable (schema 3 → 4).

``evalkit finalize`` prints a month's seal and ``evalkit amend`` each amendment's link; the
signed minutes keep them. Migrating a schema 3 file seals every month again (the category
joins the person part), so the seal the auditor holds is no longer the month's. The
migration keeps each replaced seal in ``seal_history`` (append-only, each record linked to
the month's new seal); :meth:`Archive.verify` checks it still matches the month's content
as schema 3 sealed it, and :meth:`Archive.find_seal` says which month a printed seal is of.

The printed seals are read from the fixture with plain SQL before the migration (what
schema 3's evalkit wrote), not computed by the code under test.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from evalkit.io.archive import Archive, ArchiveIntegrityError
from tests._archive_helpers import dump, raw
from tests._cli_helpers import run
from tests.test_archive_category import V3
from tests.test_archive_cli_words import foreign


def _printed(path: Path) -> dict[tuple[str, int], str]:
    """The seals schema 3 wrote: each month's (amendment 0) and each amendment's link."""
    db = sqlite3.connect(path)
    try:
        assert db.execute("SELECT MAX(version) FROM schema_version").fetchone() == (3,)
        seals = {(p, 0): c for p, c in db.execute("SELECT period, chain FROM months")}
        seals |= {(p, a): c for a, p, c in db.execute("SELECT id, period, chain FROM amendments")}
        return seals
    finally:
        db.close()


@pytest.fixture
def v3(tmp_path: Path) -> Path:
    path = tmp_path / "v3.sqlite"
    shutil.copyfile(V3, path)
    return path


def _migrated(path: Path) -> dict[tuple[str, int], str]:
    printed = _printed(path)
    Archive(path).close()
    return printed


def _applied_4(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return str(db.execute("SELECT applied_at FROM schema_version WHERE version = 4")
                   .fetchone()[0])  # fmt: skip
    finally:
        db.close()


def test_every_printed_seal_is_kept_and_still_matches(v3: Path) -> None:
    printed = _migrated(v3)
    assert len(printed) == 14  # twelve months, two amendments of May
    with Archive(v3, readonly=True) as arc:
        report = arc.verify()
        current = {str(m.period): m for m in arc.months()}
    assert report.ok, str(report)
    kept = {(s.period, s.amendment): s for m in report.months for s in m.superseded}
    assert {k: s.seal for k, s in kept.items()} == printed
    for (per, aid), s in kept.items():
        assert (s.schema_version, s.ok, s.replaced_at) == (3, True, _applied_4(v3))
        # the new seal differs: the category is sealed now
        assert s.replaced_by != s.seal
        if aid == 0:
            assert s.replaced_by == current[per].chain
    assert next(s for s in kept.values() if s.amendment == 2).replaced_by == current["2025-05"].head


def test_find_seal_names_the_month_of_a_printed_seal(v3: Path) -> None:
    printed = _migrated(v3)
    with Archive(v3, readonly=True) as arc:
        march = arc.find_seal(printed[("2025-03", 0)])
        second = arc.find_seal(printed[("2025-05", 2)][:16] + "…")  # as verify prints it
        now = arc.find_seal(arc.months()[2].chain)
        assert arc.find_seal("0" * 64) is None
        with pytest.raises(ValueError, match="16"):
            arc.find_seal("abc")
    assert march is not None and second is not None and now is not None
    assert (march.period, march.amendment, march.schema_version, march.ok) == ("2025-03", 0, 3, True)
    assert march.replaced_at == _applied_4(v3)
    assert (second.period, second.amendment, second.seal) == ("2025-05", 2, printed[("2025-05", 2)])
    # the current seal: the month's own, not replaced
    assert (now.period, now.amendment, now.replaced_at, now.replaced_by, now.ok) == \
        ("2025-03", 0, None, None, True)


def test_a_row_tampered_after_migration_fails_both_seals(v3: Path) -> None:
    printed = _migrated(v3)
    raw(v3, "DROP TRIGGER results_immutable_u",
        "UPDATE results SET grade = 'KHT' WHERE period = '2025-07' AND staff_id = 'CC'")
    with Archive(v3, readonly=True) as arc:
        report = arc.verify()
        found = arc.find_seal(printed[("2025-07", 0)])
    assert not report.ok
    july = next(m for m in report.months if m.period == "2025-07")
    assert not july.ok and [s.ok for s in july.superseded] == [False]
    assert found is not None and not found.ok
    named = {(p.period, p.kind, p.key) for p in report.problems}
    assert ("2025-07", "row", "CC") in named
    assert ("2025-07", "month", None) in named  # the printed seal no longer matches
    assert all(m.ok for m in report.months if m.period != "2025-07")


@pytest.mark.parametrize(("edit", "expect"), [
    ("UPDATE seal_history SET replaced_at = '2020-01-01T00:00:00+00:00' "
     "WHERE period = '2025-03'", ("2025-03", "month", None)),
    ("UPDATE seal_history SET seal = (SELECT seal FROM seal_history WHERE period = '2025-04' "
     "AND amendment = 0) WHERE period = '2025-03' AND amendment = 0", ("2025-03", "month", None)),
    ("UPDATE seal_history SET schema_version = 4 WHERE period = '2025-05' AND amendment = 1",
     ("2025-05", "amendment", "1")),
    ("DELETE FROM seal_history WHERE period = '2025-09'", ("2025-09", "month", None)),
    ("DELETE FROM seal_history WHERE period = '2025-05' AND amendment = 2",
     ("2025-05", "amendment", "2")),
])  # fmt: skip
def test_a_tampered_seal_history_fails_verify_naming_the_month(
    v3: Path, edit: str, expect: tuple[str, str, str | None]
) -> None:
    _migrated(v3)
    raw(v3, "DROP TRIGGER seal_history_u", "DROP TRIGGER seal_history_d", edit)
    with Archive(v3, readonly=True) as arc:
        report = arc.verify()
    assert not report.ok
    located = [(p.period, p.kind, p.key) for p in report.problems if p.period]
    assert located == [expect], str(report)


def test_the_history_is_append_only(v3: Path) -> None:
    _migrated(v3)
    for sql in ("UPDATE seal_history SET replaced_at = 'x'", "DELETE FROM seal_history",
                "INSERT OR REPLACE INTO seal_history SELECT * FROM seal_history LIMIT 1"):
        with pytest.raises(sqlite3.DatabaseError, match="seal history"):
            raw(v3, sql)


def test_a_v3_month_that_does_not_match_its_seal_is_still_refused(v3: Path) -> None:
    raw(v3, "DROP TRIGGER results_immutable_u",
        "UPDATE results SET total = 12 WHERE period = '2025-02' AND staff_id = 'H'")
    before = dump(v3)
    with pytest.raises(ArchiveIntegrityError) as exc:
        Archive(v3)
    assert (exc.value.period, exc.value.row) == ("2025-02", "H")
    assert dump(v3) == before


def test_a_file_finalized_under_schema_4_has_no_history(tmp_path: Path) -> None:
    from tests.test_archive_cli_words import small_archive

    path = small_archive(tmp_path / "a.sqlite")
    with Archive(path, readonly=True) as arc:
        report = arc.verify()
        assert report.ok and all(m.superseded == () for m in report.months)
        found = arc.find_seal(arc.months()[0].chain)
    assert found is not None and found.replaced_at is None and found.ok


class TestCommandLine:
    def test_verify_prints_the_printed_seals_in_vietnamese_then_english(self, v3: Path) -> None:
        printed = _migrated(v3)
        when = _applied_4(v3)
        code, out, err = run("archive", "verify", str(v3))
        assert code == 0, err
        march = printed[("2025-03", 0)][:16] + "…"
        line = (f"    dấu niêm phong trước lần nâng cấp (phiên bản 3, thay ngày {when}): "
                f"{march}  khớp")
        assert line in out.splitlines()
        amended = (f"    dấu niêm phong của điều chỉnh số 2 trước lần nâng cấp (phiên bản 3, "
                   f"thay ngày {when}): {printed[('2025-05', 2)][:16]}…  khớp")
        assert amended in out.splitlines()
        assert all(foreign(x) == [] for x in out.splitlines())
        code, out, _ = run("archive", "verify", str(v3), "--lang", "en")
        assert code == 0
        assert (f"    seal printed before the upgrade (schema 3, replaced {when}): {march}  ok"
                in out.splitlines())

    def test_verify_json_lists_the_printed_seals(self, v3: Path) -> None:
        printed = _migrated(v3)
        code, out, _ = run("archive", "verify", str(v3), "--json")
        got = json.loads(out)
        assert code == 0 and got["ok"]
        kept = {(s["period"], s["amendment"]): (s["seal"], s["ok"], s["schema_version"])
                for m in got["months"] for s in m["superseded"]}  # fmt: skip
        assert kept == {k: (v, True, 3) for k, v in printed.items()}

    def test_verify_seal_names_the_month(self, v3: Path) -> None:
        printed = _migrated(v3)
        when = _applied_4(v3)
        seal = printed[("2025-03", 0)]
        code, out, err = run("archive", "verify", str(v3), "--seal", seal, "--lang", "en")
        assert code == 0, err
        assert out.splitlines() == [
            f"seal {seal} is the seal of 2025-03 made under schema 3; the upgrade of {when} "
            f"sealed the month again: it still matches the month as schema 3 sealed it"]
        code, out, _ = run("archive", "verify", str(v3), "--seal", seal)
        assert code == 0 and "2025-03" in out and foreign(out) == []
        code, out, _ = run("archive", "verify", str(v3), "--seal", seal, "--json")
        got = json.loads(out)
        assert (got["ok"], got["period"], got["amendment"], got["schema_version"],
                got["replaced_at"]) == (True, "2025-03", 0, 3, when)
        code, _, err = run("archive", "verify", str(v3), "--seal", "f" * 64, "--lang", "en")
        assert code == 1 and "no month" in err

    def test_verify_seal_of_a_tampered_month_fails(self, v3: Path) -> None:
        printed = _migrated(v3)
        raw(v3, "DROP TRIGGER results_immutable_u",
            "UPDATE results SET grade = 'KHT' WHERE period = '2025-07' AND staff_id = 'CC'")
        code, _, err = run("archive", "verify", str(v3), "--seal", printed[("2025-07", 0)],
                           "--lang", "en")  # fmt: skip
        assert code == 1 and "does not match" in err


def test_a_file_migrated_without_history_gets_it_on_its_next_open(v3: Path) -> None:
    """A file an earlier evalkit migrated to 4 kept no history: read-only, verify names the
    missing table's triggers; the next open for writing records the printed seals from its
    months as they match their seals (what schema 3 sealed is unchanged)."""
    printed = _migrated(v3)
    raw(v3, "DROP TABLE seal_history")
    with Archive(v3, readonly=True) as arc:
        report = arc.verify()
    assert {p.key for p in report.problems} == {"seal_history_u", "seal_history_d",
                                                 "seal_history_no_replace"}
    Archive(v3).close()
    with Archive(v3, readonly=True) as arc:
        report = arc.verify()
    assert report.ok, str(report)
    kept = {(s.period, s.amendment): s for m in report.months for s in m.superseded}
    assert {k: s.seal for k, s in kept.items()} == printed
    assert {s.replaced_at for s in kept.values()} == {_applied_4(v3)}


def test_an_amendment_after_the_migration_keeps_the_history(v3: Path) -> None:
    """A month amended after the upgrade: the new amendment is chained from the new seal
    and needs no record; the printed seals still match (schema 3's chain of the month's
    amendments it had)."""
    printed = _migrated(v3)
    with Archive(v3) as arc:
        arc.amend("2025-05", "H", {"discipline": 1}, by="Giám đốc", why="khiển trách")
        report = arc.verify()
    assert report.ok, str(report)
    may = next(m for m in report.months if m.period == "2025-05")
    assert may.amendments == 3
    assert {(s.amendment, s.seal) for s in may.superseded} == \
        {(a, seal) for (per, a), seal in printed.items() if per == "2025-05"}
