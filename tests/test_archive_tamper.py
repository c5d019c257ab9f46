"""Issue 16: the archive is tamper-evident. Every tampering statement is refused by a
trigger or detected on the next read, naming the month and the row."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit.rules
from evalkit.cli import main
from evalkit.io.archive import Archive, ArchiveIntegrityError
from evalkit.units import classify_frame
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


def test_edited_unit_inputs_are_named_by_annual_as_by_every_other_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A unit's archived inputs changed with plain SQL break the month's seal: annual
    (object and CLI door) refuses the month naming the unit, as verify and amend do."""
    path = base_archive(tmp_path / "a.sqlite")
    _drop_all_triggers(path)
    raw(path, "UPDATE unit_inputs SET data = replace(data, '\"tasks_done\": ', "
              "'\"tasks_done\": 1') WHERE period = '2026-04'")
    with Archive(path) as arc:
        assert not arc.verify().ok
        with pytest.raises(ArchiveIntegrityError) as exc:
            arc.annual(2026)
    assert (exc.value.period, exc.value.row) == ("2026-04", "U1")
    capsys.readouterr()
    code = main(["--lang", "en", "annual", "--year", "2026", "--archive", str(path)],
                stdout=io.StringIO())  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1, err
    assert "2026-04" in err and "U1" in err and "does not match" in err, err


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


def test_a_document_turned_into_bytes_is_named(tmp_path: Path) -> None:
    """A JSON document stored back as a BLOB of its own bytes (the same text to a JSON
    reader) no longer matches the seal: month() raises naming the row, verify reports it."""
    path = base_archive(tmp_path / "a.sqlite")
    _drop_all_triggers(path)
    raw(path, "UPDATE results SET data = CAST(data AS BLOB) "
              "WHERE period = '2026-03' AND staff_id = 'A'")  # fmt: skip
    with Archive(path) as arc:
        arc.month("2026-04")  # the other month still reads
        with pytest.raises(ArchiveIntegrityError) as exc:
            arc.month("2026-03")
        assert (exc.value.period, exc.value.row) == ("2026-03", "A")
        assert exc.value.problems[0].message.startswith("the staff result (its JSON document)")
        report = arc.verify()
    assert not report.ok
    assert [(p.period, p.key) for p in report.problems if p.kind != "file"] == [("2026-03", "A")]


def test_an_archive_in_utf16_reads_as_one_in_utf8(tmp_path: Path) -> None:
    """A file SQLite keeps in UTF-16 (made so before evalkit opened it): its months match
    their seals and read as the same months kept in UTF-8."""
    plain = base_archive(tmp_path / "a.sqlite")
    wide = tmp_path / "w.sqlite"
    db = sqlite3.connect(wide)
    db.execute("PRAGMA encoding = 'UTF-16le'")
    db.execute("CREATE TABLE x (y)")  # the encoding is fixed by the first table
    db.execute("DROP TABLE x")
    db.commit()
    db.close()
    base_archive(wide)
    with Archive(wide) as arc:
        assert arc.db.execute("PRAGMA encoding").fetchone()[0] == "UTF-16le"
        assert arc.verify().ok
        got = [arc.month(p) for p in ("2026-03", "2026-04")]
    with Archive(plain) as arc:
        want = [arc.month(p) for p in ("2026-03", "2026-04")]
    for g, w in zip(got, want, strict=True):  # the amendments' records but their times
        def when_aside(frame: pd.DataFrame) -> list[Any]:
            return [[{k: v for k, v in a.items() if k != "at"} for a in json.loads(x)]
                    if isinstance(x, str) else x for x in frame.get("amendments", [])]
        assert when_aside(g) == when_aside(w)
        pd.testing.assert_frame_equal(g.drop(columns="amendments", errors="ignore"),
                                      w.drop(columns="amendments", errors="ignore"))


def _tied_archive(path: Path) -> Path:
    """Twelve months where A and B tie on the total and task points every month and A has
    a major quality error a month: the year's one HTXS place goes to B by the deductions,
    which only the months' JSON documents hold (as in tests/test_year_tiebreak.py)."""
    rs = evalkit.rules.get("vn.nd335-2025")
    top = rs.full_marks()
    units = pd.DataFrame({"unit_id": ["U"], "parent_id": pd.Series([None], dtype=object),
                          "head_id": pd.Series([None], dtype=object)})  # fmt: skip
    with Archive(path) as arc:
        for m in range(1, 13):
            base = {"unit_id": "U", "period": f"2026-{m:02d}", "category": "cong_chuc", **top}
            rows = [{**base, "staff_id": "A", "chat_luong": 100, "loi_chat_luong": 1},
                    {**base, "staff_id": "B", "chat_luong": 100, "loi_chat_luong": 0,
                     "tien_do": 75}]  # fmt: skip
            rows += [{**base, "staff_id": f"G{i}", "so_luong": 80, "chat_luong": 80,
                      "tien_do": 80} for i in range(5)]  # fmt: skip
            part = pd.DataFrame(rows)
            out, unit = classify_frame(part, units, rs.id)
            res = pd.concat([part, out[[c for c in out.columns if c not in part.columns]]],
                            axis=1)  # fmt: skip
            arc.finalize(res, by="t", units=unit, unit_inputs=units)
    return path


def test_a_tied_candidates_document_edited_is_named_by_annual(tmp_path: Path) -> None:
    """The year breaks A and B's tie on the deductions read from the months' documents;
    A's document edited in one month (the error count gone, the SQL columns untouched)
    makes annual() raise naming that month and A, rather than read the forged count."""
    path = _tied_archive(tmp_path / "a.sqlite")
    with Archive(path) as arc:
        year = arc.annual(2026).set_index("staff_id")
    assert year.loc[["A", "B"], "annual_grade"].tolist() == ["HTT", "HTXS"]
    _drop_all_triggers(path)
    db = sqlite3.connect(path)
    before = db.execute("SELECT data FROM results WHERE period = '2026-05' AND staff_id = 'A'"
                        ).fetchone()[0]  # fmt: skip
    doc = json.loads(before)
    assert doc["loi_chat_luong"] == 1
    doc["loi_chat_luong"] = 0
    db.execute("UPDATE results SET data = ? WHERE period = '2026-05' AND staff_id = 'A'",
               (json.dumps(doc, ensure_ascii=False),))  # fmt: skip
    db.commit()
    db.close()
    with Archive(path) as arc, pytest.raises(ArchiveIntegrityError) as exc:
        arc.annual(2026)
    assert (exc.value.period, exc.value.row) == ("2026-05", "A")
    assert exc.value.problems[0].message.startswith("the staff result (its JSON document)")
