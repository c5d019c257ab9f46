"""The archive of finalized months: one transaction, immutable, amendments, real processes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from evalkit.errors import InputError
from evalkit.io.archive import (
    _MIGRATIONS,
    SCHEMA_VERSION,
    Archive,
    ArchiveError,
    MonthAlreadyFinalizedError,
)

ROOT = Path(__file__).resolve().parents[1]


def month_frame(period: str, n: int = 3, total: float = 91.0) -> pd.DataFrame:
    """A results frame of ``n`` people for ``period``."""
    return pd.DataFrame({
        "staff_id": [f"S{i:06d}" for i in range(n)],
        "unit_id": ["U1"] * n,
        "period": [period] * n,
        "rule_set": ["vn.nd335-2025"] * n,
        "total": [total] * n,
        "score_grade": ["HTXS" if total >= 90 else "HTT"] * n,
        "grade": ["HTXS" if total >= 90 else "HTT"] * n,
        "reasons": [""] * n,
    })


def dump(path: Path) -> list[str]:
    """Every row of every table, for an exact before/after comparison."""
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def test_finalize_stores_every_row_with_who_and_when(tmp_path: Path) -> None:
    """Domain brief §3.6: the month is finalized and archived."""
    with Archive(tmp_path / "a.sqlite") as arc:
        m = arc.finalize(month_frame("2026-03"), by="Trưởng phòng TCCB")
        assert (str(m.period), m.rows, m.finalized_by) == ("2026-03", 3, "Trưởng phòng TCCB")
        assert arc.month("2026-03")["total"].tolist() == [91.0] * 3
        assert [str(x.period) for x in arc.months()] == ["2026-03"]


def test_a_finalized_month_cannot_be_finalized_again(tmp_path: Path) -> None:
    """Immutable: a second finalize raises and changes nothing."""
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(month_frame("2026-03"), by="A")
        before = dump(tmp_path / "a.sqlite")
        with pytest.raises(MonthAlreadyFinalizedError, match="2026-03 was finalized"):
            arc.finalize(month_frame("2026-03", total=50.0), by="B")
    assert dump(tmp_path / "a.sqlite") == before


def test_archived_rows_cannot_be_updated_even_with_sql(tmp_path: Path) -> None:
    """Triggers refuse UPDATE and DELETE of finalized results."""
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(month_frame("2026-03"), by="A")
    db = sqlite3.connect(tmp_path / "a.sqlite")
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        db.execute("UPDATE results SET total = 10")
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        db.execute("DELETE FROM months")
    db.close()


def test_amendments_record_who_when_why_and_keep_every_earlier_value(tmp_path: Path) -> None:
    """A correction is an amendment; the history keeps HTXS → HTT → HT in order."""
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(month_frame("2026-03"), by="A")
        arc.amend("2026-03", "S000001", {"grade": "htt"}, by="Giám đốc", why="kiểm tra công vụ")
        arc.amend("2026-03", "S000001", {"grade": "HT", "total": "68"}, by="Hội đồng",
                  why="kết luận lại")
        hist = arc.history("2026-03", "S000001")
        assert [(h.previous, h.new) for h in hist] == [
            ({"grade": "HTXS"}, {"grade": "HTT"}),
            ({"grade": "HTT", "total": 91.0}, {"grade": "HT", "total": 68.0}),
        ]
        assert hist[0].amended_by == "Giám đốc" and hist[0].reason == "kiểm tra công vụ"
        current = arc.month("2026-03").set_index("staff_id")
        assert current.loc["S000001", "grade"] == "HT" and current.loc["S000000", "grade"] == "HTXS"
        assert arc.month("2026-03", original=True)["grade"].tolist() == ["HTXS"] * 3
        with pytest.raises(ArchiveError, match="no finalized result"):
            arc.amend("2026-03", "nobody", {"grade": "HT"}, by="x", why="y")


def test_finalize_refuses_mixed_months_and_duplicate_ids(tmp_path: Path) -> None:
    """One month of unique staff ids, or an InputError listing what is wrong."""
    mixed = pd.concat([month_frame("2026-03", 1), month_frame("2026-04", 1)])
    with Archive(tmp_path / "a.sqlite") as arc:
        with pytest.raises(InputError, match="exactly one month"):
            arc.finalize(mixed, by="A")
        with pytest.raises(InputError, match="duplicate staff id"):
            arc.finalize(pd.concat([month_frame("2026-03", 2)] * 2), by="A")
        assert arc.months() == []


def test_annual_rolls_up_from_the_archive_including_amendments(tmp_path: Path) -> None:
    """NĐ 90/2020 (roll-up): the year is the average of the months, amended values count."""
    with Archive(tmp_path / "a.sqlite") as arc:
        for m in range(1, 7):
            arc.finalize(month_frame(f"2026-{m:02d}", 2, total=80.0), by="A")
        arc.amend("2026-06", "S000000", {"total": 98.0}, by="A", why="sửa")
        year = arc.annual(2026).set_index("staff_id")
        assert year.loc["S000000", "total"] == pytest.approx(83.0)
        assert year.loc["S000001", "total"] == pytest.approx(80.0)
        assert str(year.loc["S000001", "grade" if "grade" in year else "annual_grade"]) == "HTT"


def test_an_old_schema_migrates_forward_and_keeps_its_data(tmp_path: Path) -> None:
    """schema_version 1 → current on open, rows intact."""
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    db.executescript(_MIGRATIONS[0])
    db.execute("INSERT INTO schema_version VALUES (1, 'then')")
    db.execute("INSERT INTO months VALUES ('2026-01', 'vn.nd335-2025', 't', 'A', 1, 'x')")
    db.execute("INSERT INTO results VALUES ('2026-01', 'S1', 'U1', 'vn.nd335-2025', 90, 'HTXS',"
               " 'HTXS', '', '{\"staff_id\": \"S1\", \"total\": 90}')")
    db.commit()
    db.close()
    with Archive(path) as arc:
        assert arc.schema_version() == SCHEMA_VERSION
        assert arc.month("2026-01")["total"].tolist() == [90]


def test_an_archive_from_a_newer_evalkit_is_refused(tmp_path: Path) -> None:
    """Never write into a schema this version does not know."""
    path = tmp_path / "new.sqlite"
    Archive(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO schema_version VALUES (99, 'future')")
    db.commit()
    db.close()
    with pytest.raises(ArchiveError, match="schema version 99"):
        Archive(path)


_WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from tests.test_archive import month_frame
    from evalkit.io.archive import Archive
    path, who = sys.argv[1], sys.argv[2]
    with Archive(path) as arc:
        for m in range(1, 13):
            if who == "A":
                arc.finalize(month_frame(f"2026-{{m:02d}}", 50), by="A")
            else:
                arc.finalize(month_frame(f"2027-{{m:02d}}", 50), by="B")
""")


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    """WAL + busy timeout + BEGIN IMMEDIATE: 24 months from two processes, all there."""
    path = tmp_path / "a.sqlite"
    Archive(path).close()
    script = _WRITER.format(root=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), who], cwd=ROOT)
             for who in ("A", "B")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with Archive(path) as arc:
        months = arc.months()
        assert len(months) == 24 and all(m.rows == 50 for m in months)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("SELECT COUNT(*) FROM results").fetchone() == (1200,)
    db.close()


_KILLED = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from tests.test_archive import month_frame
    from evalkit.io.archive import Archive

    def progress(done, total):
        if done >= total // 2:
            print("MIDDLE", flush=True)
            time.sleep(60)

    with Archive(sys.argv[1]) as arc:
        arc.finalize(month_frame("2026-04", 20000), by="A", progress=progress)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killing_finalize_midway_leaves_the_archive_exactly_as_before(tmp_path: Path) -> None:
    """Issue 7: SIGKILL in the middle of finalize; the file is as it was, and still works."""
    path = tmp_path / "a.sqlite"
    with Archive(path) as arc:
        arc.finalize(month_frame("2026-03"), by="A")
    before = dump(path)
    proc = subprocess.Popen([sys.executable, "-c", _KILLED.format(root=str(ROOT)), str(path)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "MIDDLE"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert dump(path) == before
    with Archive(path) as arc:
        assert not arc.is_finalized("2026-04")
        arc.finalize(month_frame("2026-04", 10), by="A")
        assert arc.month("2026-04").shape[0] == 10
