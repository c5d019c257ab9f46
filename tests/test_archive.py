"""The archive of finalized months: one transaction, sealed, amendments that re-derive the
month, the year classified by the engine, migration, real processes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit.rules
from evalkit.errors import InputError
from evalkit.io.archive import (
    _MIGRATIONS,
    SCHEMA_VERSION,
    Archive,
    ArchiveError,
    ArchiveIntegrityError,
    MonthAlreadyFinalizedError,
)
from tests._archive_helpers import ND335, classified, dump, plain_month, raw, task_ids

ROOT = Path(__file__).resolve().parents[1]


def month_frame(period: str, n: int = 3, total: float = 91.0) -> pd.DataFrame:
    """A results frame of ``n`` people for ``period`` (used by the process scripts)."""
    return plain_month(period, n, total)


#: Eleven people of one unit: two at 100 % of their tasks, nine at 80 %.
PEOPLE = {"H": 100.0, "A": 100.0, **{f"B{i}": 80.0 for i in range(9)}}


class TestFinalize:
    def test_finalize_stores_every_row_with_who_and_when(self, tmp_path: Path) -> None:
        """Domain brief §3.6: the month is finalized and archived, sealed."""
        with Archive(tmp_path / "a.sqlite") as arc:
            m = arc.finalize(month_frame("2026-03"), by="Trưởng phòng TCCB")
            assert (str(m.period), m.rows, m.finalized_by) == ("2026-03", 3, "Trưởng phòng TCCB")
            assert arc.month("2026-03")["total"].tolist() == [91.0] * 3
            assert [str(x.period) for x in arc.months()] == ["2026-03"]
            assert len(m.chain) == 64 and m.head == m.chain and not m.inputs
            assert arc.verify().ok

    def test_a_finalized_month_cannot_be_finalized_again(self, tmp_path: Path) -> None:
        """Immutable: a second finalize raises and changes nothing."""
        with Archive(tmp_path / "a.sqlite") as arc:
            arc.finalize(month_frame("2026-03"), by="A")
            before = dump(tmp_path / "a.sqlite")
            with pytest.raises(MonthAlreadyFinalizedError, match="2026-03 was finalized"):
                arc.finalize(month_frame("2026-03", total=50.0), by="B")
        assert dump(tmp_path / "a.sqlite") == before

    def test_archived_rows_cannot_be_updated_even_with_sql(self, tmp_path: Path) -> None:
        """Triggers refuse UPDATE and DELETE of finalized results."""
        with Archive(tmp_path / "a.sqlite") as arc:
            arc.finalize(month_frame("2026-03"), by="A")
        db = sqlite3.connect(tmp_path / "a.sqlite")
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            db.execute("UPDATE results SET total = 10")
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            db.execute("DELETE FROM months")
        db.close()

    def test_finalize_refuses_mixed_months_and_duplicate_ids(self, tmp_path: Path) -> None:
        """One month of unique staff ids, or an InputError listing what is wrong."""
        mixed = pd.concat([month_frame("2026-03", 1), month_frame("2026-04", 1)])
        with Archive(tmp_path / "a.sqlite") as arc:
            with pytest.raises(InputError, match="exactly one month"):
                arc.finalize(mixed, by="A")
            with pytest.raises(InputError, match="duplicate staff id"):
                arc.finalize(pd.concat([month_frame("2026-03", 2)] * 2), by="A")
            assert arc.months() == []

    def test_the_rule_set_of_the_frame_is_stored_on_every_row(self, tmp_path: Path) -> None:
        """A results frame that names its rule set only in attrs gets it on each row."""
        results, units, inputs = classified("2026-03", {"A": 90.0, "B": 80.0})
        assert results["rule_set"].tolist() == [ND335.id] * 2  # the engine names it per row
        results = results.drop(columns="rule_set")  # a frame naming it only in attrs
        assert results.attrs["rule_set"] == ND335.id
        with Archive(tmp_path / "a.sqlite") as arc:
            arc.finalize(results, by="A", units=units, unit_inputs=inputs)
            assert arc.month("2026-03")["rule_set"].tolist() == [ND335.id] * 2
            assert arc.months()[0].rule_set == ND335.id

    def test_an_agency_rule_file_is_taken_by_its_path_as_classify_frame_takes_it(
        self, tmp_path: Path
    ) -> None:
        """rules= of finalize, units, annual and amend takes the path of the agency's rule
        file (str or Path), as classify_frame(rules=path) did, not only its RuleSet."""
        agency = tmp_path / "agency.toml"
        agency.write_text('extends = "vn.nd335-2025"\nid = "so.truncate"\n'
                          'jurisdiction = "vn.so"\n[scoring]\nrounding = "truncate"\n',
                          encoding="utf-8")  # fmt: skip
        rs = evalkit.rules.load(agency)
        results, units, inputs = classified("2026-03", {"A": 90.0, "B": 80.0}, rs=rs)
        for i, rules in enumerate((str(agency), agency)):
            with Archive(tmp_path / f"a{i}.sqlite") as arc:
                arc.finalize(results, by="A", units=units, unit_inputs=inputs, rules=rules)
                assert arc.months()[0].rule_set == "so.truncate"
                assert arc.units("2026-03", rules=rules)["unit_id"].tolist() == ["U1"]
                year = arc.annual(2026, rules=rules, force=True)
                assert year["rule_set"].tolist() == ["so.truncate"] * 2
                amended = arc.amend("2026-03", "B", {"so_luong": 90}, by="A", why="x",
                                    rules=rules)  # fmt: skip
                assert amended.staff_id == "B"

    def test_results_that_do_not_follow_from_their_inputs_are_refused(self, tmp_path: Path) -> None:
        """With unit inputs, the archived grades are what the engine gives for them."""
        results, units, inputs = classified("2026-03", PEOPLE, head="H")
        forged = results.copy()
        forged[["grade", "reasons"]] = forged[["grade", "reasons"]].astype(object)
        at = forged.index[forged["staff_id"] == "B0"][0]
        forged.loc[at, ["reasons", "grade"]] = ["quota.demoted", "HT"]
        with Archive(tmp_path / "a.sqlite") as arc:
            with pytest.raises(InputError, match="its inputs give 'HTT'") as exc:
                arc.finalize(forged, by="A", units=units, unit_inputs=inputs)
            assert [(p.column, p.value) for p in exc.value.problems] == [("grade", "HT")]
            assert arc.months() == []


    def test_unit_results_that_do_not_follow_from_the_unit_inputs_are_refused(
        self, tmp_path: Path
    ) -> None:
        """Audit 13: with unit inputs, the unit results are what the engine gives for them
        too. The unit did 8 of its 10 tasks (score 80, HTT, by hand); a result that says
        20 and KHT would cap its head at KHT for the year: refused, naming unit, column,
        value and what the inputs give; nothing is written."""
        results, units, inputs = classified("2026-03", PEOPLE, head="H", done=8)
        forged = units.copy()
        forged["grade"] = forged["grade"].astype(object)
        forged.loc[forged["unit_id"] == "U1", ["score", "grade"]] = [20.0, "KHT"]
        with Archive(tmp_path / "a.sqlite") as arc:
            with pytest.raises(InputError) as exc:
                arc.finalize(results, by="A", units=forged, unit_inputs=inputs)
            got = {(p.column, p.value) for p in exc.value.problems}
            assert {("score", 20.0), ("grade", "KHT")} <= got
            assert all(p.column not in ("total",) for p in exc.value.problems)
            text = {p.column: p.message for p in exc.value.problems}
            assert "'U1'" in text["score"] and "80.0" in text["score"]
            assert "'U1'" in text["grade"] and "'HTT'" in text["grade"]
            assert arc.months() == []
            # a unit result for a unit that is not among the inputs is refused too
            extra = pd.concat([units, units.assign(unit_id="U9")], ignore_index=True)
            with pytest.raises(InputError, match="'U9'") as exc:
                arc.finalize(results, by="A", units=extra, unit_inputs=inputs)
            assert [(p.column, p.value) for p in exc.value.problems] == [("unit_id", "U9")]
            # the engine's own unit results are archived
            arc.finalize(results, by="A", units=units, unit_inputs=inputs)
            assert arc.units("2026-03").set_index("unit_id").loc["U1", "score"] == 80.0


class TestAmend:
    def test_an_amended_input_re_derives_the_month_and_records_every_changed_row(
        self, tmp_path: Path
    ) -> None:
        """Issue 15: amend changes an input; the engine re-derives total, grade and quota."""
        results, units, inputs = classified("2026-03", PEOPLE, head="H")
        task = task_ids(ND335)[0]
        with Archive(tmp_path / "a.sqlite") as arc:
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
            before = arc.month("2026-03").set_index("staff_id")
            a = arc.amend("2026-03", "B3", {task: "100"}, by="Giám đốc", why="kiểm tra công vụ")
            after = arc.month("2026-03").set_index("staff_id")
            staff_in, units_in = arc.inputs("2026-03")  # type: ignore[misc]
        staff_in.loc[staff_in["staff_id"] == "B3", task] = 100.0
        expected, _ = evalkit.units.classify_frame(staff_in, units_in, ND335)
        expected = expected.set_index("staff_id")
        assert a.previous == {task: 80.0} and a.new == {task: 100.0}
        for col in ("total", "score_grade", "grade", "reasons"):
            assert after[col].astype(object).tolist() == expected.loc[after.index, col].astype(
                object).where(expected.loc[after.index, col].notna(), None).tolist(), col
        changed = {c.staff_id for c in a.rows}
        really = {s for s in before.index
                  if any(str(before.loc[s, c]) != str(after.loc[s, c]) for c in before.columns)}
        assert changed == really and a.rows[0].staff_id == "B3"
        assert a.rows[0].previous["total"] == before.loc["B3", "total"]
        assert a.rows[0].new["total"] == after.loc["B3", "total"]

    def test_history_keeps_every_earlier_value_and_the_original_month_stays(
        self, tmp_path: Path
    ) -> None:
        """A correction is an amendment; the history keeps each step in order."""
        results, units, inputs = classified("2026-03", PEOPLE, head="H")
        task = task_ids(ND335)[0]
        with Archive(tmp_path / "a.sqlite") as arc:
            arc.finalize(results, by="A", units=units, unit_inputs=inputs)
            arc.amend("2026-03", "B1", {task: 90}, by="Giám đốc", why="một")
            arc.amend("2026-03", "B1", {task: 70}, by="Hội đồng", why="hai")
            hist = arc.history("2026-03", "B1")
            assert [(h.previous, h.new) for h in hist] == [({task: 80.0}, {task: 90.0}),
                                                           ({task: 90.0}, {task: 70.0})]
            assert (hist[0].amended_by, hist[1].reason) == ("Giám đốc", "hai")
            original = arc.month("2026-03", original=True).set_index("staff_id")
            assert original.loc["B1", task] == 80.0
            assert arc.month("2026-03").set_index("staff_id").loc["B1", task] == 70.0
            assert arc.months()[0].amendments == 2 and arc.months()[0].head == hist[1].chain
            with pytest.raises(ArchiveError, match="no finalized result"):
                arc.amend("2026-03", "nobody", {task: 50}, by="x", why="y")
            assert arc.verify().ok

    def test_a_month_finalized_without_inputs_cannot_be_amended(self, tmp_path: Path) -> None:
        """No unit inputs archived: nothing to re-derive from, so nothing is recorded."""
        with Archive(tmp_path / "a.sqlite") as arc:
            arc.finalize(month_frame("2026-03"), by="A")
            before = dump(tmp_path / "a.sqlite")
            with pytest.raises(ArchiveError, match="cannot re-derive 2026-03"):
                arc.amend("2026-03", "S000001", {task_ids(ND335)[0]: 90}, by="x", why="y")
        assert dump(tmp_path / "a.sqlite") == before


def raw_rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


class TestSchema:
    def _v2_file(self, path: Path) -> None:
        """A schema 2 file as evalkit wrote it: a month, two rows, an amendment."""
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                   "applied_at TEXT NOT NULL)")  # fmt: skip
        db.executescript(_MIGRATIONS[0].before + _MIGRATIONS[1].before)
        db.execute("INSERT INTO schema_version VALUES (1, 'then'), (2, 'then')")
        docs = {sid: json.dumps({"period": "2026-01", "staff_id": sid, "total": t,
                                 "grade": g, "rule_set": ND335.id}, ensure_ascii=False)
                for sid, t, g in (("S1", 91.0, "HTXS"), ("S2", 80.0, "HTT"))}  # fmt: skip
        checksum = hashlib.sha256("\n".join(docs[k] for k in sorted(docs)).encode()).hexdigest()
        db.execute("INSERT INTO months VALUES ('2026-01', ?, 't', 'A', 2, ?)", (ND335.id, checksum))
        for sid, doc in docs.items():
            d = json.loads(doc)
            db.execute("INSERT INTO results VALUES ('2026-01', ?, 'U1', ?, ?, ?, ?, '', ?)",
                       (sid, ND335.id, d["total"], d["grade"], d["grade"], doc))  # fmt: skip
        db.execute("INSERT INTO amendments (period, staff_id, amended_at, amended_by, reason, "
                   "previous, new) VALUES ('2026-01', 'S2', 't2', 'GĐ', 'sửa', "
                   "'{\"grade\": \"HTT\"}', '{\"grade\": \"HT\"}')")  # fmt: skip
        db.commit()
        db.close()

    def test_an_old_schema_migrates_forward_sealed_with_its_amendments(
        self, tmp_path: Path
    ) -> None:
        """schema_version 2 → current on open: rows intact, each month sealed, amendments
        chained (their recorded values kept)."""
        path = tmp_path / "old.sqlite"
        self._v2_file(path)
        with Archive(path) as arc:
            assert arc.schema_version() == SCHEMA_VERSION
            month = arc.month("2026-01").set_index("staff_id")
            assert month["total"].to_dict() == {"S1": 91.0, "S2": 80.0}
            assert month.loc["S2", "grade"] == "HT"
            hist = arc.history("2026-01", "S2")
            assert [(h.previous, h.new, h.amended_by) for h in hist] == [
                ({"grade": "HTT"}, {"grade": "HT"}, "GĐ")]
            assert arc.verify().ok

    def test_an_old_file_edited_before_migration_is_not_sealed(self, tmp_path: Path) -> None:
        """The old checksum is checked first: a changed row is named, nothing is sealed."""
        path = tmp_path / "old.sqlite"
        self._v2_file(path)
        db = sqlite3.connect(path)
        db.execute("DROP TRIGGER results_immutable_u")
        db.execute("UPDATE results SET data = replace(data, '80.0', '99.0') WHERE staff_id = 'S2'")
        db.commit()
        db.close()
        with pytest.raises(ArchiveIntegrityError, match="2026-01: the rows do not match"):
            Archive(path)
        with Archive(path, readonly=True) as arc:
            report = arc.verify()
        assert not report.ok and report.schema_version == 2

    def test_an_archive_from_a_newer_evalkit_is_refused(self, tmp_path: Path) -> None:
        """Never write into a schema this version does not know."""
        path = tmp_path / "new.sqlite"
        Archive(path).close()
        db = sqlite3.connect(path)
        db.execute("DROP TRIGGER schema_version_u")
        db.execute("INSERT INTO schema_version VALUES (99, 'future')")
        db.commit()
        db.close()
        with pytest.raises(ArchiveError, match="schema version 99"):
            Archive(path)


    def test_the_year_index_is_made_on_open_and_the_year_reads_the_same_without_it(
        self, tmp_path: Path
    ) -> None:
        """The year reads its part from an index of its columns (no part of the versioned
        schema: an open for writing makes it if missing); without it the same year is
        read from the rows, and a total changed behind the triggers is named either way."""
        path = tmp_path / "a.sqlite"
        people = {"H": 100.0, "A": 95.0, "B": 80.0}
        finalize_year(path, {f"2026-{m:02d}": classified(f"2026-{m:02d}", people, head="H")
                             for m in (1, 2)})  # fmt: skip
        with Archive(path) as arc:
            arc.amend("2026-02", "B", {task_ids(ND335)[0]: 60}, by="GĐ", why="sửa")
            year = arc.annual(2026)
            plan = arc.db.execute("EXPLAIN QUERY PLAN SELECT staff_id, total, reasons, "
                                  "discipline, leave FROM results WHERE period = '2026-01' "
                                  "ORDER BY staff_id").fetchall()  # fmt: skip
        assert "COVERING INDEX results_year" in str(plan)
        raw(path, "DROP INDEX results_year")
        with Archive(path, readonly=True) as arc:
            pd.testing.assert_frame_equal(arc.annual(2026), year)
            assert arc.verify().ok
        with Archive(path) as arc:  # made again
            pd.testing.assert_frame_equal(arc.annual(2026), year)
        assert raw_rows(path, "SELECT name FROM sqlite_master WHERE name = 'results_year'")
        for index in (True, False):
            copy = tmp_path / f"edited-{index}.sqlite"
            copy.write_bytes(path.read_bytes())
            names = [r[0] for r in raw_rows(copy, "SELECT name FROM sqlite_master "
                                                  "WHERE type = 'trigger'")]  # fmt: skip
            raw(copy, *(f"DROP TRIGGER {n}" for n in names), *([] if index else
                ["DROP INDEX results_year"]),
                "UPDATE results SET total = 99.5 WHERE period = '2026-01' AND staff_id = 'A'")
            with Archive(copy, readonly=True) as arc, pytest.raises(
                    ArchiveIntegrityError) as exc:  # fmt: skip
                arc.annual(2026)
            assert (exc.value.period, exc.value.row) == ("2026-01", "A")


# =========================================================================== the year


def finalize_year(path: Path, months: dict[str, tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]
                  ) -> None:  # fmt: skip
    with Archive(path) as arc:
        for _per, (results, units, inputs) in sorted(months.items()):
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)


class TestAnnual:
    def test_the_year_is_classified_under_each_persons_own_rule_set(self, tmp_path: Path) -> None:
        """Issue 13: a viên chức year (NĐ 90 to June, NĐ 233 from July) is classified under
        NĐ 233, the set of its latest months, never an assumed NĐ 335."""
        nd90, nd233 = evalkit.rules.get("vn.nd90-2020"), evalkit.rules.get("vn.nd233-2026")
        months = {f"2026-{m:02d}": classified(f"2026-{m:02d}", {"V1": 70.0 + m, "V2": 90.0},
                                              rs=nd90 if m <= 6 else nd233)
                  for m in range(1, 13)}  # fmt: skip
        finalize_year(tmp_path / "a.sqlite", months)
        with Archive(tmp_path / "a.sqlite") as arc:
            year = arc.annual(2026)
            stored = arc.year(2026)
        assert year.columns[:6].tolist() == ["staff_id", "full_name", "unit_id", "annual_total",
                                             "annual_grade", "reasons"]  # fmt: skip
        assert year["rule_set"].tolist() == ["vn.nd233-2026"] * 2
        assert stored.groupby("period")["rule_set"].first().tolist() == (
            ["vn.nd90-2020"] * 6 + ["vn.nd233-2026"] * 6)
        v1 = stored[stored["staff_id"] == "V1"]["total"].mean()
        assert year.set_index("staff_id").loc["V1", "annual_total"] == pytest.approx(v1, abs=0.005)
        assert year["full_name"].tolist() == ["Người V1", "Người V2"]

    def test_a_hanoi_year_keeps_its_own_quota(self, tmp_path: Path) -> None:
        """QĐ 3814 (Hà Nội): A ≤ 30 % of those classified — 3 of 10 keep A; under NĐ 335's
        20 % of HTT they would not."""
        hanoi = evalkit.rules.get("hanoi.3814-2018")
        tasks = {"X1": 70.0, "X2": 70.0, "X3": 70.0, **{f"B{i}": 62.0 for i in range(7)}}
        people = dict.fromkeys(tasks, 0.0)
        extra = {sid: {"ket_qua_nhiem_vu": t} for sid, t in tasks.items()}  # 90 (A) or 82 (B)
        months = {f"2026-{m:02d}": classified(f"2026-{m:02d}", people, rs=hanoi, done=8,
                                              extra=extra) for m in range(1, 13)}  # fmt: skip
        finalize_year(tmp_path / "a.sqlite", months)
        with Archive(tmp_path / "a.sqlite") as arc:
            year = arc.annual(2026).set_index("staff_id")
            nd335 = arc.annual(2026, rules=ND335).set_index("staff_id")
        assert year.loc[["X1", "X2", "X3"], "annual_grade"].tolist() == ["HTXS"] * 3
        assert year["rule_set"].unique().tolist() == ["hanoi.3814-2018"]
        assert (nd335.loc[["X1", "X2", "X3"], "annual_grade"] == "HTXS").sum() == 1

    def test_the_head_is_capped_at_the_units_annual_grade_and_the_quota_applies(
        self, tmp_path: Path
    ) -> None:
        """NĐ 335 Điều 20 k5 and the head cap on the year: a unit at 80 % of its tasks all
        year is HTT, its head at 100 % is HTT (cap.head_unit); 1 of 2 HTXS is kept of 8 HTT."""
        people = {"H": 100.0, "X1": 100.0, "X2": 95.0, **{f"B{i}": 80.0 for i in range(8)}}
        months = {f"2026-{m:02d}": classified(f"2026-{m:02d}", people, head="H", done=8)
                  for m in range(1, 13)}  # fmt: skip
        finalize_year(tmp_path / "a.sqlite", months)
        with Archive(tmp_path / "a.sqlite") as arc:
            year = arc.annual(2026).set_index("staff_id")
            given = arc.annual(2026, unit_year=pd.DataFrame({"unit_id": ["U1"],
                                                              "grade": ["HTXS"]}))
        assert year.loc["H", "annual_grade"] == "HTT"
        assert "cap.head_unit" in year.loc["H", "reasons"].split(";")
        assert year.loc[["X1", "X2"], "annual_grade"].tolist() == ["HTXS", "HTT"]
        assert "quota.demoted" in year.loc["X2", "reasons"].split(";")
        assert given.set_index("staff_id").loc["H", "proposed_grade"] == "HTXS"

    def test_amendments_count_in_the_year(self, tmp_path: Path) -> None:
        """An amended month's re-derived totals are what the year averages."""
        task = task_ids(ND335)[0]
        months = {f"2026-{m:02d}": classified(f"2026-{m:02d}", {"A": 80.0, "B": 80.0})
                  for m in range(1, 7)}  # fmt: skip
        finalize_year(tmp_path / "a.sqlite", months)
        with Archive(tmp_path / "a.sqlite") as arc:
            a = arc.amend("2026-06", "A", {task: 100}, by="A", why="sửa")
            year = arc.annual(2026).set_index("staff_id")
            totals = arc.year(2026).groupby("staff_id")["total"].mean()
        assert a.rows[0].new["total"] > a.rows[0].previous["total"]
        assert year.loc["A", "annual_total"] == pytest.approx(totals["A"], abs=0.005)
        assert year.loc["A", "annual_total"] > year.loc["B", "annual_total"]

    def test_a_year_without_months_is_an_error(self, tmp_path: Path) -> None:
        """Nothing finalized in 2026: say so."""
        with Archive(tmp_path / "a.sqlite") as arc, pytest.raises(ArchiveError, match="2026"):
            arc.annual(2026)


# =========================================================================== processes

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
        assert arc.verify().ok
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
        assert arc.verify().ok


class TestAnnualDisqualifiers:
    """NĐ 335 Điều 20 k4: a disqualifier in any month of the year makes the year KHT — the
    archive's year reads every flag its months kept, as classify_year does on the frames."""

    @pytest.mark.parametrize("flag", [{"degradation": True}, {"corruption_in_unit": True},
                                      {"discipline": 1}])  # fmt: skip
    def test_a_disqualifier_in_one_month_hits_the_archived_year(self, tmp_path: Path,
                                                               flag: dict[str, Any]) -> None:
        months = {}
        for m in range(1, 4):
            extra = {"A": flag} if m == 2 else {}
            months[f"2026-{m:02d}"] = classified(f"2026-{m:02d}", {"A": 100.0, "B": 80.0},
                                                 head="A", extra=extra)  # fmt: skip
        finalize_year(tmp_path / "a.sqlite", months)
        with Archive(tmp_path / "a.sqlite") as arc:
            year = arc.annual(2026).set_index("staff_id")
        frames = pd.concat([r for r, _u, _i in months.values()], ignore_index=True)
        units = pd.concat([u for _r, u, _i in months.values()], ignore_index=True)
        direct = evalkit.classify_year(frames, units, "vn.nd335-2025").set_index("staff_id")
        assert year.loc["A", "annual_grade"] == direct.loc["A", "grade"] == "KHT"
        assert year.loc["A", "reasons"] == direct.loc["A", "reasons"]
        assert year.loc["B", "annual_grade"] == direct.loc["B", "grade"] == "HTT"

    @pytest.mark.parametrize(("name", "level"), [("khiển trách", 1), ("Khiển trách", 1),
                                                 ("REPRIMAND", 1), ("khien_trach", 1),
                                                 ("cảnh cáo", 2)])  # fmt: skip
    def test_a_discipline_typed_by_its_name_is_archived_as_classify_frame_read_it(
            self, tmp_path: Path, name: str, level: int) -> None:  # fmt: skip
        """classify_frame reads a discipline level by its name (evalkit._columns, as the
        workbook does): the month it classified is archived with that level, not refused
        as 'not a discipline level', and the year is KHT in the archive as in
        classify_year (NĐ 335/2025 Điều 20 k4 c: reprimand or heavier)."""
        months = {}
        for m in range(1, 4):
            extra = {"A": {"discipline": name}} if m == 2 else {}
            months[f"2026-{m:02d}"] = classified(f"2026-{m:02d}", {"A": 100.0, "B": 80.0},
                                                 extra=extra)  # fmt: skip
        finalize_year(tmp_path / "a.sqlite", months)
        with Archive(tmp_path / "a.sqlite") as arc:
            stored = arc.month("2026-02").set_index("staff_id")
            year = arc.annual(2026).set_index("staff_id")
        assert stored.loc["A", "discipline"] == level
        frames = pd.concat([r for r, _u, _i in months.values()], ignore_index=True)
        units = pd.concat([u for _r, u, _i in months.values()], ignore_index=True)
        direct = evalkit.classify_year(frames, units).set_index("staff_id")
        assert year.loc["A", "annual_grade"] == direct.loc["A", "grade"] == "KHT"
        assert year.loc["A", "reasons"] == direct.loc["A", "reasons"]

    def test_a_discipline_in_a_month_without_scores_hits_the_archived_year(
            self, tmp_path: Path) -> None:  # fmt: skip
        """Sick in February with a duty-related reprimand recorded that month: the year is
        KHT (NĐ 335 Điều 20 k4 c): the month says it (not evaluated, and the discipline)."""
        blank = {c.id: None for c in ND335.criteria()}
        months = {}
        for m in range(1, 4):
            extra = {"A": {**blank, "discipline": 1, "leave": "sick"}} if m == 2 else {}
            months[f"2026-{m:02d}"] = classified(f"2026-{m:02d}", {"A": 100.0, "B": 80.0},
                                                 extra=extra)  # fmt: skip
        assert months["2026-02"][0].set_index("staff_id").loc["A", "reasons"] == \
            "not_evaluated;disqualifier.discipline"
        finalize_year(tmp_path / "a.sqlite", months)
        with Archive(tmp_path / "a.sqlite") as arc:
            year = arc.annual(2026).set_index("staff_id")
        assert year.loc["A", "annual_grade"] == "KHT"
        assert "disqualifier.discipline" in year.loc["A", "reasons"]

    @pytest.mark.parametrize(("rs_id", "period"), [("vn.nd335-2025", "2026-03"),
                                                   ("vn.nd233-2026", "2026-07")])
    @pytest.mark.parametrize("related", [False, True])
    def test_only_a_discipline_related_to_the_duty_hits_the_archived_year(
            self, tmp_path: Path, rs_id: str, period: str, related: bool) -> None:  # fmt: skip
        """NĐ 335/2025 Điều 20 k4 c (and NĐ 233/2026's same cap): a reprimand disqualifies
        the year only for a violation related to public duty. A scored month with a
        reprimand marked unrelated stays out of the year's caps in the archive's year, as
        in classify_year on the same months (audit 9: the archive graded it KHT)."""
        rs = evalkit.rules.get(rs_id)
        year_no = int(period[:4])
        first = int(period[5:])
        months = {}
        # six months under NĐ 233: fewer are not classified (NĐ 233/2026 Điều 14 k1)
        for m in range(first, first + (6 if rs_id == "vn.nd233-2026" else 3)):
            per = f"{year_no}-{m:02d}"
            extra = {"A": {"discipline": 1, "discipline_related_to_duty": related}} \
                if m == first else {}  # fmt: skip
            months[per] = classified(per, {"A": 100.0, "B": 80.0, "C": 80.0}, rs=rs,
                                     extra=extra)  # fmt: skip
        finalize_year(tmp_path / "a.sqlite", months)
        with Archive(tmp_path / "a.sqlite") as arc:
            year = arc.annual(year_no).set_index("staff_id")
        frames = pd.concat([r for r, _u, _i in months.values()], ignore_index=True)
        units = pd.concat([u for _r, u, _i in months.values()], ignore_index=True)
        direct = evalkit.classify_year(frames, units).set_index("staff_id")
        assert year.loc["A", "annual_grade"] == direct.loc["A", "grade"]
        assert year.loc["A", "reasons"] == direct.loc["A", "reasons"]
        assert (year.loc["A", "annual_grade"] == "KHT") is related
        assert ("disqualifier.discipline" in year.loc["A", "reasons"]) is related

    @pytest.mark.parametrize(("who", "recorded", "amended", "code"), [
        ("A", {"discipline": 1, "discipline_related_to_duty": False},
         {"discipline_related_to_duty": True}, "disqualifier.discipline"),  # Điều 20 k4 c
        ("H", {"corruption_in_unit": False}, {"corruption_in_unit": True},
         "disqualifier.corruption"),  # Điều 20 k4 d: a leader
    ])  # fmt: skip
    def test_a_flag_amended_on_a_month_without_scores_hits_the_archived_year(
            self, tmp_path: Path, who: str, recorded: dict[str, Any], amended: dict[str, Any],
            code: str) -> None:  # fmt: skip
        """On sick leave in February (no score), a flag recorded that month is amended: the
        competent level finds the reprimand related to public duty (NĐ 335/2025 Điều 20
        k4 c), or corruption in the unit the head manages (k4 d). Either makes the year
        KHT; the archive read the month's documents without their amendment (audit af27)."""
        blank = {c.id: None for c in ND335.criteria()}
        months = {}
        for m in range(1, 4):
            extra = {who: {**blank, **recorded, "leave": "sick"}} if m == 2 else {}
            months[f"2026-{m:02d}"] = classified(f"2026-{m:02d}", {"H": 100.0, "A": 100.0,
                                                                   "B": 80.0},
                                                 head="H", extra=extra)  # fmt: skip
        finalize_year(tmp_path / "a.sqlite", months)
        with Archive(tmp_path / "a.sqlite") as arc:
            assert arc.annual(2026).set_index("staff_id").loc[who, "annual_grade"] != "KHT"
            arc.amend("2026-02", who, amended, by="Hội đồng", why="kết luận")
            year = arc.annual(2026).set_index("staff_id")
        assert year.loc[who, "annual_grade"] == "KHT"
        assert code in year.loc[who, "reasons"].split(";")

    def test_corruption_in_a_heads_month_on_leave_hits_the_archived_year(
            self, tmp_path: Path) -> None:  # fmt: skip
        """NĐ 335/2025 Điều 20 k4 d: H, head of the unit (its head_id), is on sick leave in
        February, when corruption in the unit H manages is recorded (no score that month).
        The year is KHT, as on the frames; the archive knew no head in that month and left
        H at the band (audit af27)."""
        blank = {c.id: None for c in ND335.criteria()}
        months = {}
        for m in range(1, 4):
            extra = {"H": {**blank, "corruption_in_unit": True, "leave": "sick"}} \
                if m == 2 else {}  # fmt: skip
            months[f"2026-{m:02d}"] = classified(f"2026-{m:02d}", {"H": 100.0, "A": 100.0,
                                                                   "B": 80.0},
                                                 head="H", extra=extra)  # fmt: skip
        finalize_year(tmp_path / "a.sqlite", months)
        with Archive(tmp_path / "a.sqlite") as arc:
            year = arc.annual(2026).set_index("staff_id")
        frames = pd.concat([r for r, _u, _i in months.values()], ignore_index=True)
        units = pd.concat([u for _r, u, _i in months.values()], ignore_index=True)
        direct = evalkit.classify_year(frames, units).set_index("staff_id")
        assert year.loc["H", "annual_grade"] == direct.loc["H", "grade"] == "KHT"
        assert "disqualifier.corruption" in year.loc["H", "reasons"].split(";")
