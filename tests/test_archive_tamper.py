"""Issue 16: the archive is tamper-evident. Every tampering statement is refused by a
trigger or detected on the next read, naming the month and the row."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from evalkit.cli import main
from evalkit.io.archive import Archive, ArchiveIntegrityError
from tests._archive_helpers import raw
from tests.archive_attacks import TAMPERING, Attack, attempt, base_archive


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two finalized months, two amendments."""
    return base_archive(tmp_path_factory.mktemp("base") / "base.sqlite")


@pytest.mark.parametrize("recursive_triggers", [False, True], ids=["rt-off", "rt-on"])
@pytest.mark.parametrize("attack", TAMPERING, ids=[a.name for a in TAMPERING])
def test_every_tampering_statement_is_refused_or_detected(
    attack: Attack, recursive_triggers: bool, base: Path, tmp_path: Path
) -> None:
    """REPLACE/UPSERT on each table, INSERT into a sealed month, UPDATE, DELETE: refused
    with the file unchanged; with the triggers dropped: detected, naming month and row."""
    out = attempt(attack, base, tmp_path / "work.sqlite", recursive_triggers=recursive_triggers)
    if attack.family == "triggers dropped":
        assert out.detected, (out.problems, out.read_error)
    else:
        assert out.ok, (out.refused, out.unchanged, out.problems)


def test_archive_connections_fire_delete_triggers_on_replace(tmp_path: Path) -> None:
    """SQLite fires delete triggers for REPLACE's implicit delete only with
    recursive_triggers on: evalkit's connections set it; on a plain connection (off) the
    insert triggers alone refuse the REPLACE — without them it would go through."""
    path = base_archive(tmp_path / "a.sqlite")
    replace = ("REPLACE INTO months (period, rule_set, finalized_at, finalized_by, rows, "
               "checksum) VALUES ('2026-03', 'x', 't', 'Mallory', 1, 'x')")
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA recursive_triggers").fetchone() == (0,)
    with pytest.raises(sqlite3.IntegrityError, match="no REPLACE"):
        db.execute(replace)
    db.execute("DROP TRIGGER months_no_replace")  # only the delete trigger is left
    db.commit()
    db.close()
    with Archive(path) as arc:
        assert arc.db.execute("PRAGMA recursive_triggers").fetchone() == (1,)
        with pytest.raises(sqlite3.IntegrityError, match="a finalized month is immutable"):
            arc.db.execute(replace)
    db = sqlite3.connect(path)
    db.execute(replace)  # recursive_triggers off: the delete trigger does not fire
    db.commit()
    db.close()
    with Archive(path, readonly=True) as arc:
        report = arc.verify()
    assert "2026-03: the month was never sealed by finalize" in str(report) and not report.ok


def _drop_all_triggers(path: Path) -> None:
    db = sqlite3.connect(path)
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f"DROP TRIGGER {name}")
    db.commit()
    db.close()


def test_a_row_edited_with_the_triggers_dropped_is_named_on_the_next_read(tmp_path: Path) -> None:
    """A total changed with plain SQL: month(), annual() and history() raise naming it."""
    path = base_archive(tmp_path / "a.sqlite")
    _drop_all_triggers(path)
    raw(path, "UPDATE results SET total = 99.5 WHERE period = '2026-04' AND staff_id = 'B2'")
    with Archive(path) as arc:
        arc.month("2026-03")  # the other month still reads
        for read in (lambda: arc.month("2026-04"), lambda: arc.annual(2026),
                     lambda: arc.history("2026-04", "B2"), lambda: arc.year(2026)):
            with pytest.raises(ArchiveIntegrityError) as exc:
                read()
            assert (exc.value.period, exc.value.row) == ("2026-04", "B2")
            assert "2026-04, staff B2: the staff result does not match" in str(exc.value)


def test_an_edited_json_document_is_named_even_when_the_sql_columns_agree(tmp_path: Path) -> None:
    """The JSON document of a row has its own digest: a changed discipline is caught."""
    path = base_archive(tmp_path / "a.sqlite")
    _drop_all_triggers(path)
    raw(path, "UPDATE results SET data = replace(data, '\"discipline\": 0', '\"discipline\": 1')"
              " WHERE period = '2026-03' AND staff_id = 'A'")
    with Archive(path) as arc, pytest.raises(ArchiveIntegrityError, match="staff A") as exc:
        arc.month("2026-03")
    assert exc.value.problems[0].message.startswith("the staff result (its JSON document)")


def test_an_amendment_cannot_be_written_on_a_tampered_month(tmp_path: Path) -> None:
    """amend checks the month first: nothing is built on a month that does not match."""
    path = base_archive(tmp_path / "a.sqlite")
    _drop_all_triggers(path)
    raw(path, "UPDATE amendments SET reason = 'forged' WHERE id = 2")
    with Archive(path) as arc, pytest.raises(ArchiveIntegrityError, match="amendment 2"):
        arc.amend("2026-03", "B0", {"tien_do": 90}, by="x", why="y")


class TestVerifyCommand:
    def test_a_clean_archive_verifies_with_exit_0(self, tmp_path: Path) -> None:
        """`evalkit archive verify` checks every month: exit 0, the seals listed."""
        path = base_archive(tmp_path / "a.sqlite")
        buf = io.StringIO()
        assert main(["archive", "verify", str(path), "--json"], stdout=buf) == 0
        out = json.loads(buf.getvalue())
        assert out["ok"] and [m["period"] for m in out["months"]] == ["2026-03", "2026-04"]
        assert [m["amendments"] for m in out["months"]] == [2, 0]
        assert all(len(m["seal"]) == 64 for m in out["months"])

    def test_a_row_edited_with_the_triggers_dropped_exits_1_naming_month_and_row(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Issue 16: `evalkit archive verify` detects a row edited with raw sqlite3."""
        path = base_archive(tmp_path / "a.sqlite")
        _drop_all_triggers(path)
        raw(path, "UPDATE results SET grade = 'HTXS' WHERE period = '2026-03' AND "
                  "staff_id = 'B4'")  # fmt: skip
        assert main(["archive", "verify", str(path), "--lang", "en"], stdout=io.StringIO()) == 1
        err = capsys.readouterr().err
        assert "2026-03, staff B4: the staff result does not match the month's seal" in err
        assert "the trigger results_immutable_u is missing" in err
        assert "2026-04" in err and "MISMATCH" in err

    def test_verify_changes_nothing_and_refuses_what_is_not_an_archive(
        self, tmp_path: Path
    ) -> None:
        """Read-only: the file is byte-identical afterwards; a text file is exit 1."""
        path = base_archive(tmp_path / "a.sqlite")
        before = path.read_bytes()
        assert main(["archive", "verify", str(path)], stdout=io.StringIO()) == 0
        assert path.read_bytes() == before
        junk = tmp_path / "junk.sqlite"
        junk.write_text("not a database")
        assert main(["archive", "verify", str(junk)], stdout=io.StringIO()) == 1
        assert main(["archive", "verify", str(tmp_path / "none.sqlite")],
                    stdout=io.StringIO()) == 1  # fmt: skip
