"""The jurisdiction at the remaining doors (issue 13 point 3, after af198).

1. A CSV names no rule set: read through :func:`evalkit.io.workbook.read_month`,
   ``read_workbook``, ``read_csv``, ``read_input`` or :func:`evalkit.workflow.read` with
   ``jurisdiction='vn.hanoi'``, Hà Nội's công chức of 2025-10 are read under QĐ 3814-QĐ/TU
   (``hanoi.3814-2018``: jurisdiction ``vn.hanoi``, công chức until 2025-12-31), where
   without it the national NĐ 90/2020 as amended (``vn.nd90-2020-cc``, until 2025-12-31)
   applies; Hà Nội's contract staff have no national set at all.
2. ``evalkit rules diff --data thang.csv --jurisdiction vn.hanoi`` and
   :func:`evalkit.impact.load_data` read that CSV under the same set, one answer.
3. The year classified at its end (NĐ 90/2020 Điều 20; :func:`evalkit.rules.for_year_end`)
   in the caller's jurisdiction, not the last month's set's: a made-up province ``vn.mau``
   whose own viên chức set (extending NĐ 233/2026) starts on 2026-09-01. A viên chức who
   worked January–June 2026 under NĐ 90/2020 (national: ``vn.nd90-2020`` until
   2026-06-30, the province having none then) is classified for 2026 under the province's
   set with ``jurisdiction='vn.mau'`` (in force in December there), under the national NĐ
   233/2026 (``vn.nd233-2026``, from 2026-07-01) without it — at every year door.

The expected set ids follow from the preset and rule files' dates, not from evalkit's output.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit import workflow
from evalkit.errors import InputProblem
from evalkit.impact import compare_rule_sets, load_data
from evalkit.io.archive import Archive
from evalkit.io.workbook import read_csv, read_input, read_month, read_months, read_workbook
from evalkit.rules import _registry, for_year_end
from evalkit.units import classify_frame, classify_year, results_from_frame, rollup_frame
from tests._archive_helpers import month_inputs
from tests._cli_helpers import ok, run
from tests.test_jurisdiction_doors_af198 import CSV, HANOI, NATIONAL, SCORES

# =========================================================================== 1. the readers


def _csv(tmp_path: Path, text: str = CSV) -> Path:
    path = tmp_path / "thang.csv"
    path.write_text(text, encoding="utf-8")
    return path


#: every reader of a month's file
READERS = ("read_month", "read_months", "read_workbook", "read_csv", "read_input",
           "workflow.read")  # fmt: skip


def read_with(reader: str, path: Path, **kw: Any) -> tuple[str | None, list[InputProblem]]:
    """The rule set id ``reader`` read ``path`` under, and its problems."""
    if reader in ("read_workbook", "read_csv", "read_input"):
        frame, problems = {"read_workbook": read_workbook, "read_csv": read_csv,
                           "read_input": read_input}[reader](path, **kw)  # fmt: skip
        return frame.attrs["rule_set"], problems
    month = {"read_month": read_month, "workflow.read": workflow.read,
             "read_months": lambda p, **k: read_months(p, **k)[0]}[reader](path, **kw)
    return (month.rules.id if month.rules else None), month.problems


class TestACsvNamingNoSetIsReadInTheJurisdiction:
    @pytest.mark.parametrize("reader", READERS)
    def test_every_reader_reads_hanoi_staff_under_qd_3814(self, tmp_path: Path,
                                                          reader: str) -> None:  # fmt: skip
        """Hà Nội's công chức in 2025-10: QĐ 3814 with ``jurisdiction``, read cleanly."""
        rid, problems = read_with(reader, _csv(tmp_path), jurisdiction="vn.hanoi")
        assert (rid, problems) == (HANOI, [])

    @pytest.mark.parametrize("reader", READERS)
    def test_without_it_every_reader_takes_the_national_set(self, tmp_path: Path,
                                                            reader: str) -> None:  # fmt: skip
        """Without ``jurisdiction`` the national set of 2025 (NĐ 90 as amended) is taken,
        under which QĐ 3814's criteria are not known: said, never read silently."""
        rid, problems = read_with(reader, _csv(tmp_path))
        assert rid == NATIONAL
        assert problems

    def test_contract_staff_have_a_set_only_in_the_jurisdiction(self, tmp_path: Path) -> None:
        """Hà Nội's contract staff: QĐ 3814 (no end date for hop_dong) with ``jurisdiction``;
        without it no set is in force for them, and the problem names their group."""
        text = CSV.replace(",cong_chuc,", ",hop_dong,")
        path = _csv(tmp_path, text)
        month = read_month(path, jurisdiction="vn.hanoi")
        assert (month.rules and month.rules.id, month.problems) == (HANOI, [])
        frame, problems = read_csv(path, jurisdiction="vn.hanoi")
        assert (HANOI, [], sorted(SCORES)) == (frame.attrs["rule_set"], problems,
                                               sorted(frame["staff_id"]))  # fmt: skip
        without = read_month(path)
        assert without.rules is None
        assert any("hop_dong" in p.message for p in without.problems)

    def test_a_named_set_wins_over_the_jurisdiction(self, tmp_path: Path) -> None:
        """``rules`` names one set for everyone: the jurisdiction does not change it."""
        frame, _ = read_csv(_csv(tmp_path), NATIONAL, jurisdiction="vn.hanoi")
        assert frame.attrs["rule_set"] == NATIONAL


# =========================================================================== 2. rules diff

#: a what-if of QĐ 3814 with a monthly A quota of 10% instead of 30% (``[quota]`` merges)
WHAT_IF = """\
schema_version = 1
extends = "hanoi.3814-2018"
id = "hanoi.quota-10"
title_vi = "Khung tiêu chí Hà Nội, hạn mức loại A 10% (thử)"
source = "Thử nghiệm"

[quota]
percent = 10
source = "Thử nghiệm"
"""


class TestRulesDiffReadsTheCsvInTheJurisdiction:
    def test_the_cli_and_the_library_agree_on_who_changes(self, tmp_path: Path) -> None:
        """The month's four people (85, 90, 70, 40) under QĐ 3814's A quota of 30% of
        the four classified (floor 1.2 = 1: A keeps A) and under 10% (floor 0.4 = 0: A is
        demoted to B); nobody else changes. Read in Hà Nội at both doors."""
        path = _csv(tmp_path)
        what_if = tmp_path / "thu.toml"
        what_if.write_text(WHAT_IF, encoding="utf-8")
        data = load_data(path, jurisdiction="vn.hanoi")
        report = compare_rule_sets(HANOI, str(what_if), data.staff_months, data.units)
        by_lib = {r["staff_id"]: (r["old_grade"], r["new_grade"])
                  for r in report.changes.to_dict("records")}  # fmt: skip
        with contextlib.chdir(tmp_path):
            out = json.loads(ok("rules", "diff", HANOI, "thu.toml", "--data", "thang.csv",
                                "--jurisdiction", "vn.hanoi", "--json"))  # fmt: skip
        by_cli = {r["staff_id"]: (r["old_grade"], r["new_grade"]) for r in out["changes"]}
        assert {"A": ("HTXS", "HTT")} == by_lib == by_cli

    def test_without_the_jurisdiction_the_csv_is_read_under_the_national_set(
            self, tmp_path: Path) -> None:  # fmt: skip
        """Without it the CSV is read under NĐ 90 as amended: its QĐ 3814 columns are
        problems (exit 1), at both doors."""
        path = _csv(tmp_path)
        with pytest.raises(evalkit.InputError):
            load_data(path)
        with contextlib.chdir(tmp_path):
            code, _out, _err = run("rules", "diff", HANOI, HANOI, "--data", "thang.csv")
        assert code == 1


# =========================================================================== 3. the year

ND90 = "vn.nd90-2020"  # vn; viên chức until 2026-06-30
ND233 = "vn.nd233-2026"  # vn; viên chức from 2026-07-01
MAU = "mau.vc-2026"  # vn.mau; viên chức from 2026-09-01 (the file below)
MAU_FILE = """\
schema_version = 1
extends = "vn.nd233-2026"
id = "mau.vc-2026"
jurisdiction = "vn.mau"
title_vi = "Quy định đánh giá viên chức của tỉnh Mẫu"
source = "Quyết định mẫu"
effective_from = 2026-09-01
"""
#: January to June 2026: six months, the fewest NĐ 233/2026 Điều 14 k1 classifies on
HALF = [f"2026-{m:02d}" for m in range(1, 7)]
#: the percent of tasks each scores every month (general criteria at their maximum)
PEOPLE = {"V1": 100.0, "V2": 90.0, "V3": 60.0}


@pytest.fixture
def mau(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> _registry.Registry:
    """The presets and the province's file, registered for this test only."""
    reg = _registry.Registry.with_presets()
    monkeypatch.setattr(_registry, "_default", reg)
    path = tmp_path / "mau.toml"
    path.write_text(MAU_FILE, encoding="utf-8")
    reg.load(path, register=True)
    return reg


def _months() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The half year's inputs: one viên chức unit, no set named (each month's is found)."""
    rs = evalkit.rules.get(ND90)
    pairs = [month_inputs(p, PEOPLE, rs=rs, extra={s: {"category": "vien_chuc"}
                                                   for s in PEOPLE}) for p in HALF]  # fmt: skip
    return (pd.concat([s for s, _ in pairs], ignore_index=True),
            pd.concat([u.assign(period=p) for (_, u), p in zip(pairs, HALF, strict=True)],
                      ignore_index=True))  # fmt: skip


def finalize_half(arc: Archive, staff: pd.DataFrame, units: pd.DataFrame, sr: pd.DataFrame,
                  ur: pd.DataFrame) -> None:
    """Finalize each month of :data:`HALF` in ``arc``: its inputs with their results."""
    for p in HALF:
        at = (sr["period"] == p).to_numpy()
        results = pd.concat([staff[at].reset_index(drop=True),
                             sr[at].drop(columns=[c for c in staff.columns
                                                  if c in sr.columns and c != "rule_set"]
                                         ).reset_index(drop=True)], axis=1)  # fmt: skip
        arc.finalize(results, by="TCCB", units=ur[(ur["period"] == p).to_numpy()],
                     unit_inputs=units[(units["period"] == p).to_numpy()])  # fmt: skip


def _year_sets(frame: pd.DataFrame) -> set[str]:
    return set(frame["rule_set"].astype(str))


class TestTheYearEndLooksInTheCallersJurisdiction:
    @pytest.mark.usefixtures("mau")
    def test_for_year_end_tells_the_jurisdiction_from_the_last_sets(self) -> None:
        """NĐ 90 (vn) no longer covers viên chức in 2026-12: in vn.mau the province's set
        is in force then, in vn (the set's own) NĐ 233."""
        nd90 = evalkit.rules.get(ND90)
        assert for_year_end(nd90, "vien_chuc", 2026, "vn.mau").id == MAU
        assert for_year_end(nd90, "vien_chuc", 2026).id == ND233
        assert for_year_end(nd90, "vien_chuc", 2026, "vn.hanoi").id == ND233  # no own set

    @pytest.mark.usefixtures("mau")
    def test_the_months_keep_nd90_whatever_the_jurisdiction(self) -> None:
        """January–June: vn.mau has no set then, so its parent's (NĐ 90) applies."""
        staff, units = _months()
        sr, _ = classify_frame(staff, units, jurisdiction="vn.mau")
        assert _year_sets(sr) == {ND90}

    def test_every_year_door_picks_the_provinces_set(self, mau: _registry.Registry,
                                                     tmp_path: Path) -> None:  # fmt: skip
        """rollup_frame, classify_year, the archive's annual and ``evalkit annual`` with
        the jurisdiction: the province's set, one answer; without it NĐ 233."""
        staff, units = _months()
        sr, ur = classify_frame(staff, units, jurisdiction="vn.mau")
        rolled = rollup_frame(sr, jurisdiction="vn.mau")
        year = classify_year(sr, ur, jurisdiction="vn.mau")
        path = tmp_path / "luu-tru.sqlite"
        with Archive(path) as arc:
            finalize_half(arc, staff, units, sr, ur)
            archived = arc.annual(2026, jurisdiction="vn.mau")
        with contextlib.chdir(tmp_path):
            ok("annual", "--archive", "luu-tru.sqlite", "--year", "2026", "--jurisdiction",
               "vn.mau", "--out", "nam.csv")  # fmt: skip
            cli = pd.read_csv("nam.csv", dtype={"staff_id": str})
        assert _year_sets(rolled) == _year_sets(year) == _year_sets(archived) == \
            _year_sets(cli) == {MAU}
        as_year = {r.staff_id: (r.total, r.grade and r.grade.code)
                   for r in results_from_frame(year)}  # fmt: skip
        as_archive = {s: (float(t), g) for s, t, g in zip(
            archived["staff_id"], archived["annual_total"], archived["annual_grade"],
            strict=True)}  # fmt: skip
        as_cli = {s: (float(t), g) for s, t, g in zip(
            cli["staff_id"], cli["annual_total"], cli["annual_grade"], strict=True)}
        assert as_year == as_archive == as_cli
        # without the jurisdiction: the last set's own (vn), NĐ 233
        assert _year_sets(classify_year(sr, ur)) == {ND233}
        assert _year_sets(rollup_frame(sr)) == {ND233}
