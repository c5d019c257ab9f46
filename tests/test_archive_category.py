"""The archive keeps each person's staff category, so that ``Archive.annual`` gives
``classify_year``'s answer where a year rule depends on it.

Hà Nội (QĐ 3814-QĐ/TU, ``hanoi.3814-2018``), 2025: a year's discipline makes it KHT only for
cán bộ, công chức and viên chức (NĐ 90/2020/NĐ-CP Điều 2 k5 a as amended by NĐ 48/2023, the
cap ``discipline`` with ``categories``); NĐ 90 never governed contract staff (``hop_dong``).
HD (a contract worker) and CC (a công chức, the control) score alike every month and are
both reprimanded (discipline 1) in May: the year is KHT for CC, not for HD — through the
frames (``classify_frame`` → ``classify_year``), ``Archive.finalize`` → ``Archive.annual``,
``evalkit finalize`` → ``evalkit annual``, and an archive of schema 3 (which kept the category
only in each row's JSON document) migrated to 4 on open.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit.rules
from evalkit.io.archive import SCHEMA_VERSION, Archive, ArchiveError, ArchiveIntegrityError
from evalkit.units import classify_year
from tests._archive_helpers import classified, dump, raw
from tests._cli_helpers import run
from tests.test_equivalence_year import _finalize_by_cli

HN = evalkit.rules.get("hanoi.3814-2018")
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
CATEGORY = {"HD": "hop_dong", "CC": "cong_chuc", "H": "cong_chuc"}
#: A schema 3 file written by evalkit at 2d32df7 (``SCHEMA_VERSION`` 3) with :func:`_build_v3`.
V3 = Path(__file__).parent / "data" / "archive-v3-hanoi-2025.sqlite"


def _month(per: str, reprimand: bool, categories: bool = True
           ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """Phòng U1 (head H) in ``per``: HD and CC at tasks 80 %, H at 95 %; HD and CC
    reprimanded when ``reprimand``; each one's category when ``categories``."""
    extra = {sid: {**({"category": cat} if categories else {}),
                   **({"discipline": 1} if reprimand and sid != "H" else {})}
             for sid, cat in CATEGORY.items()}  # fmt: skip
    return classified(per, {"HD": 80, "CC": 80, "H": 95}, rs=HN, head="H", extra=extra)


def _months(categories: bool = True) -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    return [_month(per, per == "2025-05", categories) for per in MONTHS]


def _year(frame: pd.DataFrame) -> dict[str, tuple[str, str]]:
    grade = "annual_grade" if "annual_grade" in frame.columns else "grade"
    return {str(s): (str(g), str(r)) for s, g, r in zip(frame["staff_id"], frame[grade],
                                                        frame["reasons"], strict=True)}


def _of_frames(months: list[Any]) -> dict[str, tuple[str, str]]:
    staff = pd.concat([m[0] for m in months], ignore_index=True)
    units = pd.concat([m[1] for m in months], ignore_index=True)
    return _year(classify_year(staff, units))


def test_the_frames_say_the_law() -> None:
    """By hand: the reprimand makes the công chức's year KHT, not the contract worker's."""
    year = _of_frames(_months())
    assert year["CC"][0] == "KHT" and "disqualifier.discipline" in year["CC"][1]
    assert year["HD"][0] != "KHT" and "disqualifier.discipline" not in year["HD"][1]


def test_every_door_gives_the_frames_year(tmp_path: Path) -> None:
    """Frames == Archive.annual == evalkit annual over an archive: grade and reasons."""
    months = _months()
    frames = _of_frames(months)
    with Archive(tmp_path / "a.sqlite") as arc:
        for results, units, inputs in months:
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        archive = _year(arc.annual(2025))
    _finalize_by_cli(months, HN.id, tmp_path, tmp_path / "cli.sqlite")
    code, out, err = run("annual", "--year", "2025", "--archive", str(tmp_path / "cli.sqlite"),
                         "--out", str(tmp_path / "nam.csv"))  # fmt: skip
    assert code == 0, (out, err)
    cli = _year(pd.read_csv(tmp_path / "nam.csv", dtype={"staff_id": str}, keep_default_na=False))
    assert archive == frames
    assert cli == frames


def test_a_month_without_categories_reads_as_a_frame_without_them(tmp_path: Path) -> None:
    """No category given: NULL in the archive, and the year is classify_year's on frames
    without the column (both reach the discipline cap: nothing says who is exempt)."""
    months = _months(categories=False)
    frames = _of_frames(months)
    with Archive(tmp_path / "a.sqlite") as arc:
        for results, units, inputs in months:
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        year = arc.annual(2025)
    assert _year(year) == frames and "category" not in year.columns
    assert frames["HD"][0] == "KHT"
    db = sqlite3.connect(tmp_path / "a.sqlite")
    assert db.execute("SELECT COUNT(*) FROM results WHERE category IS NOT NULL").fetchone() == (0,)
    db.close()


# =========================================================================== schema 3 → 4


def _build_v3(path: Path) -> None:  # pragma: no cover - how the fixture was made (schema 3)
    """The fixture: the twelve months finalized without the reprimand, which is recorded
    as two amendments of May (HD's, then CC's)."""
    with Archive(path) as arc:
        for results, units, inputs in [_month(per, False) for per in MONTHS]:
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        for sid in ("HD", "CC"):
            arc.amend("2025-05", sid, {"discipline": 1}, by="Giám đốc", why="khiển trách")
    db = sqlite3.connect(path)
    db.execute("DROP TABLE rule_set_contents")  # no content check: the preset may change
    db.commit()
    db.execute("PRAGMA journal_mode = DELETE")  # one file
    db.execute("VACUUM")
    db.close()


@pytest.fixture
def v3(tmp_path: Path) -> Path:
    path = tmp_path / "v3.sqlite"
    shutil.copyfile(V3, path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT MAX(version) FROM schema_version").fetchone() == (3,)
    db.close()
    return path


def test_a_v3_file_migrates_forward_and_its_year_is_the_frames_year(v3: Path) -> None:
    """Opened for writing: each month checked against its v3 seal, the category filled from
    the documents, the month sealed again with its amendments chained; verify passes and
    the year is the frames' (the reprimands as amended)."""
    with Archive(v3) as arc:
        assert arc.schema_version() == SCHEMA_VERSION
        assert arc.verify().ok
        assert [len(h) for h in (arc.history("2025-05", "HD"), arc.history("2025-05", "CC"))] \
            == [1, 1]
        assert _year(arc.annual(2025)) == _of_frames(_months())
    db = sqlite3.connect(v3)
    got = dict(db.execute("SELECT staff_id, category FROM results WHERE period = '2025-12'"))
    db.close()
    assert got == CATEGORY


def test_evalkit_annual_migrates_a_v3_file(v3: Path, tmp_path: Path) -> None:
    code, out, err = run("annual", "--year", "2025", "--archive", str(v3),
                         "--out", str(tmp_path / "nam.csv"))  # fmt: skip
    assert code == 0, (out, err)
    cli = _year(pd.read_csv(tmp_path / "nam.csv", dtype={"staff_id": str}, keep_default_na=False))
    assert cli == _of_frames(_months())


def test_a_v3_file_opened_readonly_verifies_on_its_seals_and_refuses_reads(v3: Path) -> None:
    before = dump(v3)
    with Archive(v3, readonly=True) as arc:
        report = arc.verify()
        assert report.ok and report.schema_version == 3, str(report)
        with pytest.raises(ArchiveError, match="schema version 3; open it once for writing"):
            arc.annual(2025)
    assert dump(v3) == before


@pytest.mark.parametrize(("edit", "expect"), [
    # the category in a document (the migration would copy it): the document part
    ("UPDATE results SET data = replace(data, '\"hop_dong\"', '\"cong_chuc\"') "
     "WHERE period = '2025-03' AND staff_id = 'HD'", ("2025-03", "row", "HD")),
    ("UPDATE results SET grade = 'KHT' WHERE period = '2025-07' AND staff_id = 'CC'",
     ("2025-07", "row", "CC")),
    ("UPDATE amendments SET reason = 'x' WHERE staff_id = 'CC'", ("2025-05", "amendment", "2")),
    ("UPDATE unit_results SET grade = 'KHT' WHERE period = '2025-02'", ("2025-02", "unit", "U1")),
])  # fmt: skip
def test_a_tampered_v3_file_is_refused_and_left_as_it_was(
    v3: Path, edit: str, expect: tuple[str, str, str]
) -> None:
    """Every month is checked against its v3 seal before anything is written: an edit made
    with the triggers dropped is named, the file stays schema 3, unchanged."""
    db = sqlite3.connect(v3)
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f"DROP TRIGGER {name}")
    db.execute(edit)
    db.commit()
    db.close()
    before = dump(v3)
    with pytest.raises(ArchiveIntegrityError) as exc:
        Archive(v3)
    assert [(p.period, p.kind, p.key) for p in exc.value.problems] == [expect]
    assert dump(v3) == before


def test_a_category_edited_after_migration_is_named(v3: Path) -> None:
    """The category column is sealed (the person part): edited with the triggers dropped,
    the next year's read names the month and the person."""
    Archive(v3).close()
    raw(v3, "DROP TRIGGER results_immutable_u",
        "UPDATE results SET category = 'cong_chuc' WHERE period = '2025-12' AND staff_id = 'HD'")
    with Archive(v3) as arc, pytest.raises(ArchiveIntegrityError) as exc:
        arc.annual(2025)
    assert (exc.value.period, exc.value.row) == ("2025-12", "HD")
