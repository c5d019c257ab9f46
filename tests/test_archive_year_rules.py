"""The archive remembers the rule set a year was classified under (af144).

A public service unit without its own regulation classifies end-2026 under its NĐ 90-based
one (NĐ 233/2026/NĐ-CP Điều 18 k3 a, Điều 20 k1, per the copy of the decree's text: the
nd233 preset's note "Transition"), named with ``annual(rules=...)`` / ``evalkit annual
--rules``. The archive used to forget it: an amendment of the year's facts (a discipline)
was then classified under the set the registry gives for the year (NĐ 233/2026), which
judges the discipline otherwise. The case: a viên chức reprimanded in September for a
violation unrelated to the duties — KHT under NĐ 90 (any party or administrative
discipline in the year, Điều 2 k5 a as amended by NĐ 48/2023), not under NĐ 233 (only a
violation related to the duties, Điều 12 k4 c, Điều 14 k3 a).
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalkit.rules
from evalkit.cli import main
from evalkit.errors import RuleSetNotInForceError
from evalkit.io.archive import Archive
from evalkit.units import classify_year
from tests._archive_helpers import classified, raw

PEOPLE = {"H": 100.0, "A": 95.0, "B": 90.0}
#: six months under NĐ 233/2026 (in force 2026-07-01): the year is classified (Điều 14 k1)
MONTHS = tuple(f"2026-{m:02d}" for m in range(7, 13))
ND90, ND233 = "vn.nd90-2020", "vn.nd233-2026"
#: a reprimand (khiển trách) for a violation unrelated to the duties
REPRIMAND = {"discipline": "khiển trách", "discipline_related_to_duty": "không"}
SHOWN = ["staff_id", "annual_total", "annual_grade", "reasons", "rule_set"]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A unit of viên chức (its head H, A and B), July to December 2026 archived."""
    path = tmp_path_factory.mktemp("year-rules") / "base.sqlite"
    rs = evalkit.rules.get(ND233)
    extra = {sid: {"category": "vien_chuc"} for sid in PEOPLE}
    with Archive(path) as arc:
        for per in MONTHS:
            results, units, inputs = classified(per, PEOPLE, rs=rs, head="H", extra=extra)
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
    return path


@pytest.fixture
def archive(base: Path, tmp_path: Path) -> Path:
    path = tmp_path / "a.sqlite"
    shutil.copy(base, path)
    return path


def table(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame[SHOWN].astype(object).to_dict("records")


def run(*args: str) -> tuple[int, dict[str, Any]]:
    buf = io.StringIO()
    code = main([*args, "--json"], stdout=buf)
    return code, json.loads(buf.getvalue()) if buf.getvalue().strip() else {}


def amend_a(arc: Archive) -> Any:
    return arc.amend("2026-09", "A", REPRIMAND, by="Giám đốc", why="Quyết định kỷ luật")


def frames_year(arc: Archive, rules: str) -> pd.DataFrame:
    """The same year through the frames' door: ``classify_year`` on the archived months."""
    units = pd.concat([arc.units(p).assign(period=p) for p in MONTHS], ignore_index=True)
    return classify_year(arc.year(2026), units, rules, force=True).set_index("staff_id")


class TestTheYearKeepsItsSet:
    def test_an_amended_year_is_classified_again_under_the_set_named_for_it(
        self, archive: Path
    ) -> None:
        """Named NĐ 90 for 2026, then amended: the year stays NĐ 90's (A is KHT), where the
        registry's NĐ 233 would leave A's band."""
        with Archive(archive) as arc:
            before = arc.annual(2026, rules=ND90, force=True).set_index("staff_id")
            assert str(before.loc["A", "annual_grade"]) != "KHT"
            amendment = amend_a(arc)
            after = arc.annual(2026).set_index("staff_id")
            named = arc.annual(2026, rules=ND90, force=True).set_index("staff_id")
            by_frames = frames_year(arc, ND90)
        with Archive(archive, readonly=True) as arc:  # the frames' door records nothing
            registry = frames_year(arc, ND233).rename(columns={"grade": "annual_grade"})
        assert set(after["rule_set"].astype(str)) == {ND90}
        assert str(after.loc["A", "annual_grade"]) == "KHT"
        assert "disqualifier.discipline" in str(after.loc["A", "reasons"]).split(";")
        assert table(after.reset_index()) == table(named.reset_index())
        with Archive(archive, readonly=True) as arc:
            assert arc.year_rules(2026) == ND90
        assert (amendment.year_rule_set, amendment.year_rule_set_recorded) == (ND90, True)
        # the registry's set judges the same year otherwise: the reason for the record
        assert str(registry.loc["A", "annual_grade"]) != "KHT"
        # the frames' door gives the archive's year under the same set
        for sid in PEOPLE:
            assert str(after.loc[sid, "annual_grade"]) == str(by_frames.loc[sid, "grade"]), sid
            assert str(after.loc[sid, "reasons"]) == str(by_frames.loc[sid, "reasons"]), sid

    def test_a_named_set_judges_each_months_discipline_as_the_frames_do(
        self, archive: Path
    ) -> None:
        """A month's reason codes stand for its discipline only under its own set: NĐ 233
        gave A's September no code (the reprimand unrelated to the duties), and the year
        named NĐ 90 read none, A kept HTT where ``classify_year`` gives KHT."""
        with Archive(archive) as arc:
            amend_a(arc)
            named = arc.annual(2026, rules=ND90, force=True).set_index("staff_id")
            by_frames = frames_year(arc, ND90)
        assert str(named.loc["A", "annual_grade"]) == "KHT"
        for sid in PEOPLE:
            assert str(named.loc[sid, "annual_grade"]) == str(by_frames.loc[sid, "grade"]), sid
            assert str(named.loc[sid, "reasons"]) == str(by_frames.loc[sid, "reasons"]), sid

    def test_a_set_refused_as_not_in_force_is_not_recorded(self, archive: Path) -> None:
        """NĐ 90 ended on 2026-06-30: naming it for 2026 needs force; refused, nothing kept."""
        with Archive(archive) as arc:
            with pytest.raises(RuleSetNotInForceError):
                arc.annual(2026, rules=ND90)
            assert arc.year_rules(2026) is None

    def test_the_latest_set_named_is_the_years_and_each_is_kept(self, archive: Path) -> None:
        """Naming another set records it (the earlier one kept); the same set again adds
        nothing."""
        with Archive(archive) as arc:
            arc.annual(2026, rules=ND90, force=True)
            arc.annual(2026, rules=ND90, force=True)
            arc.annual(2026, rules=ND233)
            assert arc.year_rules(2026) == ND233
            assert arc.year_rules(2025) is None
        db = sqlite3.connect(archive)
        try:
            kept = db.execute("SELECT year, rule_set FROM year_rule_sets ORDER BY id").fetchall()
        finally:
            db.close()
        assert kept == [(2026, ND90), (2026, ND233)]

    @pytest.mark.parametrize("sql", [
        "UPDATE year_rule_sets SET rule_set = 'vn.nd233-2026'",
        "DELETE FROM year_rule_sets",
        "INSERT OR REPLACE INTO year_rule_sets VALUES (1, 2026, 'x', 'y', 'z', 'w', 0, NULL)",
    ])  # fmt: skip
    def test_the_record_is_append_only(self, archive: Path, sql: str) -> None:
        with Archive(archive) as arc:
            arc.annual(2026, rules=ND90, force=True)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw(archive, sql)
        with Archive(archive) as arc:
            assert arc.year_rules(2026) == ND90


class TestWithoutARecord:
    def test_amend_falls_back_to_the_set_in_force_at_the_years_end_and_says_so(
        self, archive: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """No set named for the year: as before (NĐ 233 for viên chức in December 2026),
        and the command line says which set it used, in both languages."""
        with Archive(archive) as arc:
            amendment = amend_a(arc)
            assert (amendment.year_rule_set, amendment.year_rule_set_recorded) == (ND233, False)
            year = arc.annual(2026).set_index("staff_id")
        assert set(year["rule_set"].astype(str)) == {ND233}
        assert str(year.loc["A", "annual_grade"]) != "KHT"
        for per, lang, said in (
                ("2026-10", "en", f"no rule set is recorded for the year 2026: it is "
                                  f"classified under the set in force for the person's "
                                  f"group at the year's end ({ND233})"),
                ("2026-11", "vi", f"chưa ghi bộ quy định nào cho năm 2026: năm được xếp "
                                  f"loại theo bộ quy định có hiệu lực vào cuối năm cho "
                                  f"nhóm của từng người ({ND233})")):  # fmt: skip
            out = io.StringIO()
            assert main(["--lang", lang, "amend", "--archive", str(archive), "--period", per,
                         "--staff", "B", "--set", "discipline=1", "--set",
                         "discipline_related_to_duty=không", "--by", "GĐ", "--why", "x"],
                        stdout=out) == 0, capsys.readouterr().err  # fmt: skip
            assert out.getvalue().splitlines()[-1] == said, out.getvalue()

    def test_an_archive_of_the_old_schema_opens_and_keeps_the_old_year(
        self, archive: Path
    ) -> None:
        """A schema 4 file from before af144 has no ``year_rule_sets`` (this evalkit makes
        the table on an open for writing, with ``CREATE TABLE IF NOT EXISTS``): the file as
        the old code left it is this one without the table. Read-only, it is read as
        before (no set recorded: the months' sets); opened for writing it gets the table,
        and a set named then is recorded."""
        raw(archive, "DROP TABLE year_rule_sets")
        with Archive(archive, readonly=True) as arc:
            assert arc.year_rules(2026) is None
            old = arc.annual(2026)
        assert set(old["rule_set"].astype(str)) == {ND233}
        with Archive(archive) as arc:  # the table made, nothing in it
            assert arc.year_rules(2026) is None
            assert table(arc.annual(2026)) == table(old)
            arc.annual(2026, rules=ND90, force=True)
            assert arc.year_rules(2026) == ND90


class TestTheCommandLineAgrees:
    def test_annual_amend_annual_give_the_python_year(
        self, archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`evalkit annual --rules vn.nd90-2020 --force`, `evalkit amend`, then `evalkit
        annual` without --rules: the year Archive.annual gives through the same steps, and
        amend says the recorded set."""
        python = tmp_path / "python.sqlite"
        shutil.copy(archive, python)
        with Archive(python) as arc:
            arc.annual(2026, rules=ND90, force=True)
            amend_a(arc)
            want = table(arc.annual(2026))
        a = str(archive)
        code, out = run("annual", "--archive", a, "--year", "2026", "--rules", ND90, "--force")
        assert code == 0, out
        code, out = run("amend", "--archive", a, "--period", "2026-09", "--staff", "A",
                        *(x for k, v in REPRIMAND.items() for x in ("--set", f"{k}={v}")),
                        "--by", "Giám đốc", "--why", "Quyết định kỷ luật")  # fmt: skip
        assert code == 0, out
        assert (out["year_rule_set"], out["year_rule_set_recorded"]) == (ND90, True)
        code, out = run("annual", "--archive", a, "--year", "2026")
        assert code == 0, out
        got = pd.DataFrame(out["results"]["data"]["rows"])
        assert table(got) == want
        assert {r["staff_id"]: r["annual_grade"] for r in want}["A"] == "KHT"
        # said in words: the set recorded for the year
        text = io.StringIO()
        assert main(["--lang", "en", "amend", "--archive", a, "--period", "2026-10", "--staff",
                     "B", *(x for k, v in REPRIMAND.items() for x in ("--set", f"{k}={v}")),
                     "--by", "GĐ", "--why", "x"], stdout=text) == 0  # fmt: skip
        assert text.getvalue().splitlines()[-1] == (
            f"the year 2026 is classified under {ND90}, recorded when the year was "
            "classified: `evalkit annual` classifies it again under that set")

    def test_the_years_sheets_follow_the_recorded_set(self, archive: Path, tmp_path: Path) -> None:
        """`evalkit render --period 2026 --archive FILE` without --rules: the annual sheets
        are the recorded NĐ 90 year's (A's sheet says KHT and cites NĐ 90), as `annual`."""
        pypdf = pytest.importorskip("pypdf")
        pytest.importorskip("weasyprint")
        with Archive(archive) as arc:
            arc.annual(2026, rules=ND90, force=True)
            amend_a(arc)
        code, out = run("render", "--period", "2026", "--archive", str(archive), "--out",
                        str(tmp_path / "pdf"))  # fmt: skip
        assert code == 0, out
        (sheet,) = [f for f in out["files"] if Path(f).name.startswith("2026_U1_A_")]
        text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(sheet).pages).split())
        assert "Không hoàn thành nhiệm vụ" in text
        assert "90/2020" in text and "233/2026" not in text


AGENCY = ('extends = "vn.nd233-2026"\nid = "so-y-te.2026"\njurisdiction = "vn.so"\n'
          '[scoring]\nrounding = "{rounding}"\n')


def test_a_recorded_set_whose_content_changed_is_refused(archive: Path, tmp_path: Path) -> None:
    """The year is never classified again under other content than the set recorded for
    it: the agency's file recorded for 2026, then changed under the same id, is refused
    by amend (which reads the year's fields under the recorded set), naming the year and
    the set."""
    from evalkit.io.archive import ArchiveError

    agency = tmp_path / "so-y-te.toml"
    agency.write_text(AGENCY.format(rounding="truncate"), encoding="utf-8")
    with Archive(archive) as arc:
        arc.annual(2026, rules=agency, force=True)
    agency.write_text(AGENCY.format(rounding="half_up"), encoding="utf-8")
    with Archive(archive) as arc, pytest.raises(ArchiveError, match="other content") as exc:
        arc.amend("2026-09", "A", REPRIMAND, by="Giám đốc", why="x", rules=agency)
    assert "2026" in str(exc.value) and "'so-y-te.2026'" in str(exc.value)


def test_a_recorded_rule_file_is_kept_and_not_asked_for_again(
    archive: Path, tmp_path: Path, capsys: Any
) -> None:
    """A year recorded under an agency's rule file (not registered) keeps the set whole
    (``year_rule_sets.content``, under the records' chain): it is classified again
    without the file — the year the file gave, Python and command line alike — and
    nothing falls back silently to another set. (A year recorded before the sets were
    kept asks for the file: test_a_year_recorded_before_its_set_was_kept_asks_for_the_file.)"""
    agency = tmp_path / "so-y-te.toml"
    agency.write_text(AGENCY.format(rounding="truncate"), encoding="utf-8")
    with Archive(archive) as arc:
        year = arc.annual(2026, rules=agency, force=True)
    with Archive(archive, readonly=True) as arc:
        again = arc.annual(2026)
    pd.testing.assert_frame_equal(again, year)
    assert set(again["rule_set"]) == {"so-y-te.2026"}
    out = tmp_path / "nam.csv"
    code = main(["annual", "--archive", str(archive), "--year", "2026", "--out", str(out)],
                stdout=io.StringIO())  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert set(pd.read_csv(out)["rule_set"]) == {"so-y-te.2026"}


def test_a_year_recorded_before_its_set_was_kept_asks_for_the_file(
    archive: Path, tmp_path: Path, capsys: Any
) -> None:
    """A row of ``year_rule_sets`` without the set (recorded by the evalkit before af175,
    its link as that one made it) still needs the agency's file: without it the archive
    says so and names the option, Python and command line alike."""
    from evalkit.io.archive import ArchiveError
    from evalkit.rules import content_fingerprint

    agency = tmp_path / "so-y-te.toml"
    agency.write_text(AGENCY.format(rounding="truncate"), encoding="utf-8")
    with Archive(archive) as arc:
        arc.annual(2026, rules=agency, force=True)
    raw(archive, "DROP TABLE year_rule_sets",
        "CREATE TABLE year_rule_sets (id INTEGER PRIMARY KEY AUTOINCREMENT, year INTEGER "
        "NOT NULL, rule_set TEXT NOT NULL, fingerprint TEXT NOT NULL, recorded_at TEXT NOT "
        "NULL)")  # fmt: skip
    raw(archive, "INSERT INTO year_rule_sets (year, rule_set, fingerprint, recorded_at) VALUES "
        "(2026, 'so-y-te.2026', ?, 'then')",
        params=(content_fingerprint(evalkit.rules.load(agency)),))  # fmt: skip
    Archive(archive).close()  # sealed as the evalkit of af151 sealed it: no content
    with Archive(archive, readonly=True) as arc, pytest.raises(ArchiveError) as exc:
        arc.annual(2026)
    assert "'so-y-te.2026'" in str(exc.value) and "--rules FILE.toml" in str(exc.value)
    code = main(["annual", "--archive", str(archive), "--year", "2026"], stdout=io.StringIO())
    assert code == 1 and "'so-y-te.2026'" in capsys.readouterr().err


class TestTheRecordIsSealed:
    """A set recorded for a year is sealed as the amendments are (loose end of af144): a
    row forged with SQL — the year's set inserted, changed or deleted with the triggers
    dropped — is named by ``verify`` (Python and ``evalkit archive verify``) and refused
    by every read of the record (``annual``, ``amend``, ``year_rules``), never applied."""

    FORGE = "INSERT INTO year_rule_sets (year, rule_set, fingerprint, recorded_at) VALUES " \
            "(2026, 'vn.nd90-2020', ?, '2026-12-01T00:00:00+00:00')"  # fmt: skip

    def forged(self, archive: Path, how: str) -> None:
        from evalkit.rules import content_fingerprint

        with Archive(archive) as arc:  # one set named: ND233, recorded and sealed
            arc.annual(2026, rules=ND233)
        if how == "insert":  # the right content, so only the seal can tell
            raw(archive, self.FORGE, params=(content_fingerprint(evalkit.rules.get(ND90)),))
        elif how == "update":
            raw(archive, "DROP TRIGGER year_rule_sets_u",
                "UPDATE year_rule_sets SET rule_set = 'vn.nd90-2020', fingerprint = "
                f"'{content_fingerprint(evalkit.rules.get(ND90))}'")  # fmt: skip
        else:  # the later set deleted: the earlier one would come back
            with Archive(archive) as arc:
                arc.annual(2026, rules=ND90, force=True)
            raw(archive, "DROP TRIGGER year_rule_sets_d",
                "DELETE FROM year_rule_sets WHERE rule_set = 'vn.nd90-2020'")

    @pytest.mark.parametrize("how", ["insert", "update", "delete"])
    def test_a_forged_record_is_named_and_never_applied(
        self, archive: Path, how: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        from evalkit.io.archive import ArchiveIntegrityError

        self.forged(archive, how)
        with Archive(archive, readonly=True) as arc:
            report = arc.verify()
            for read in (lambda: arc.annual(2026), lambda: arc.year_rules(2026)):
                with pytest.raises(ArchiveIntegrityError) as exc:
                    read()
                assert exc.value.problems[0].kind == "year"
        assert not report.ok
        named = [(p.period, p.kind, p.key) for p in report.problems if p.kind != "file"]
        assert named == ([(None, "year", "2")] if how == "delete" else
                         [("2026", "year", "2" if how == "insert" else "1")]), str(report)
        with Archive(archive) as arc, pytest.raises(ArchiveIntegrityError):
            amend_a(arc)
        capsys.readouterr()
        assert main(["--lang", "en", "archive", "verify", str(archive)],
                    stdout=io.StringIO()) == 1  # fmt: skip
        err = capsys.readouterr().err
        assert "rule set record" in err and "outside evalkit" in err, err
        code = main(["annual", "--archive", str(archive), "--year", "2026"], stdout=io.StringIO())
        assert code == 1 and "bản ghi bộ quy định của năm" in capsys.readouterr().err

    def test_a_clean_record_verifies(self, archive: Path) -> None:
        with Archive(archive) as arc:
            arc.annual(2026, rules=ND90, force=True)
            arc.annual(2026, rules=ND233)
            assert arc.verify().ok, str(arc.verify())

    def test_a_record_made_before_the_seal_is_sealed_as_found(self, archive: Path) -> None:
        """A table of af144's evalkit (no ``link``): the first open for writing seals its
        rows as they are; a row forged after that is named."""
        from evalkit.rules import content_fingerprint

        raw(archive, "DROP TABLE year_rule_sets",
            "CREATE TABLE year_rule_sets (id INTEGER PRIMARY KEY AUTOINCREMENT, year INTEGER "
            "NOT NULL, rule_set TEXT NOT NULL, fingerprint TEXT NOT NULL, recorded_at TEXT "
            "NOT NULL)")
        raw(archive, "INSERT INTO year_rule_sets (year, rule_set, fingerprint, recorded_at) VALUES "
            "(2026, 'vn.nd90-2020', ?, '2026-12-05T13:00:00+00:00')",
            params=(content_fingerprint(evalkit.rules.get(ND90)),))  # fmt: skip
        with Archive(archive) as arc:
            assert arc.verify().ok and arc.year_rules(2026) == ND90
        raw(archive, self.FORGE.replace("vn.nd90-2020", ND233),
            params=(content_fingerprint(evalkit.rules.get(ND233)),))
        with Archive(archive, readonly=True) as arc:
            assert [(p.period, p.key) for p in arc.verify().problems] == [("2026", "2")]


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(named=st.lists(st.sampled_from([ND90, ND233]), min_size=1, max_size=3),
       amended=st.booleans())  # fmt: skip
def test_the_year_is_the_one_its_last_named_set_gives(
    base: Path, tmp_path_factory: pytest.TempPathFactory, named: list[str], amended: bool
) -> None:
    """Whatever sets were named for the year, in whatever order, and whether a month was
    amended since: the year without a set named is the year under the last one named."""
    path = tmp_path_factory.mktemp("named") / "a.sqlite"
    shutil.copy(base, path)
    with Archive(path) as arc:
        for rid in named:
            arc.annual(2026, rules=rid, force=True)
        if amended:
            amend_a(arc)
        assert arc.year_rules(2026) == named[-1]
        assert table(arc.annual(2026)) == table(arc.annual(2026, rules=named[-1], force=True))


def test_amend_names_the_set_annual_applies_to_months_under_an_agency_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Months of công chức finalized under an agency's file still in force in December
    (it extends NĐ 335/2025, in force from 2026-01-01 with no end): `annual --rules FILE`
    classifies the year under the file, so amend's last line names the file's set — not
    the registry's vn.nd335-2025, which it named before (one decision:
    evalkit.rules.for_year_end), in Python and on the command line."""
    agency = tmp_path / "so.toml"
    agency.write_text('extends = "vn.nd335-2025"\nid = "so.truncate"\njurisdiction = "vn.so"\n'
                      '[scoring]\nrounding = "truncate"\n', encoding="utf-8")  # fmt: skip
    rs = evalkit.rules.load(agency)
    path = tmp_path / "a.sqlite"
    extra = {sid: {"category": "cong_chuc"} for sid in PEOPLE}
    with Archive(path) as arc:
        for per in ("2026-10", "2026-11", "2026-12"):
            results, units, inputs = classified(per, PEOPLE, rs=rs, head="H", extra=extra)
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs, rules=rs)
        amendment = arc.amend("2026-11", "A", {"discipline": 1}, by="x", why="y", rules=agency)
    assert (amendment.year_rule_set, amendment.year_rule_set_recorded) == (rs.id, False)
    out = io.StringIO()
    assert main(["--lang", "en", "amend", "--archive", str(path), "--period", "2026-12",
                 "--staff", "B", "--set", "discipline=1", "--by", "x", "--why", "y",
                 "--rules", str(agency)], stdout=out) == 0, capsys.readouterr().err
    assert out.getvalue().splitlines()[-1].endswith(f"at the year's end ({rs.id})"), out.getvalue()
    with Archive(path) as arc:
        year = arc.annual(2026, rules=agency)
    assert set(year["rule_set"].astype(str)) == {rs.id}


class TestAReadOnlyArchive:
    """A set named for a year is recorded (af144), so an archive that cannot be written
    cannot take one: opened read-only in Python, or a file the command line cannot write,
    a set other than the one recorded is refused with one sentence naming the year, the
    set and the way out — never classified and then forgotten. The set recorded named
    again needs no writing."""

    SAID = ("the year 2026 cannot be classified under 'vn.nd90-2020': a set named for a "
            "year is recorded in the archive")

    def test_python_refuses_and_records_nothing(self, archive: Path) -> None:
        from evalkit.io.archive import ArchiveError

        with Archive(archive, readonly=True) as arc:
            with pytest.raises(ArchiveError) as exc:
                arc.annual(2026, rules=ND90, force=True)
            assert str(exc.value).startswith(self.SAID), str(exc.value)
            assert "(none is recorded)" in str(exc.value)
        with Archive(archive) as arc:
            assert arc.year_rules(2026) is None
            arc.annual(2026, rules=ND90, force=True)
        with Archive(archive, readonly=True) as arc:  # the recorded set again: no writing
            again = arc.annual(2026, rules=ND90, force=True)
            with pytest.raises(ArchiveError, match=r"'vn\.nd90-2020'"):
                arc.annual(2026, rules=ND233)
        assert set(again["rule_set"].astype(str)) == {ND90}

    def test_the_command_line_says_the_same_on_a_file_it_cannot_write(
        self, archive: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The file unwritable (os.access says so: file modes do not bind root, who runs
        the tests): `annual --rules` exits 1 with Python's sentence; nothing written."""
        import evalkit.cli

        before = archive.read_bytes()
        monkeypatch.setattr(evalkit.cli.os, "access", lambda *a, **k: False)
        capsys.readouterr()
        code = main(["--lang", "en", "annual", "--archive", str(archive), "--year", "2026",
                     "--rules", ND90, "--force"], stdout=io.StringIO())  # fmt: skip
        err = capsys.readouterr().err
        assert code == 1 and self.SAID in err, err
        assert archive.read_bytes() == before


def test_history_says_the_set_each_amendment_named_for_the_year(archive: Path) -> None:
    """Archive.history gives each amendment the year's set amend said when it was made:
    none recorded (NĐ 233/2026, the set in force for viên chức in December 2026), then
    NĐ 90 named for the year (recorded), each as its own amendment returned it."""
    with Archive(archive) as arc:
        first = arc.amend("2026-09", "B", {"discipline": 1}, by="GĐ", why="x")
        arc.annual(2026, rules=ND90, force=True)
        second = amend_a(arc)
        said = [(a.year_rule_set, a.year_rule_set_recorded) for a in (first, second)]
        kept = [(a.year_rule_set, a.year_rule_set_recorded)
                for sid in ("B", "A") for a in arc.history("2026-09", sid) if a.staff_id == sid]
    assert said == [(ND233, False), (ND90, True)]
    assert kept == said
