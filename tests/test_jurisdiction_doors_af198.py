"""The rule set follows the person's jurisdiction at every door (issue 13 point 3).

A Hà Nội division's công chức in October 2025, no rule set named, ``jurisdiction
'vn.hanoi'``: QĐ 3814-QĐ/TU (``hanoi.3814-2018``, jurisdiction ``vn.hanoi``, in force from
2018-06-01, ``categories_until`` công chức 2025-12-31) governs them, where the national set
for công chức then is NĐ 90/2020 as amended (``vn.nd90-2020-cc``, jurisdiction ``vn``, until
2025-12-31). The expected ids come from those preset dates, not from evalkit's output.

The month goes through the objects (:func:`evalkit.classify_organisation`), the frame
(:func:`evalkit.classify_frame`) and the command line (``org`` → ``template`` → typed →
``validate`` → ``classify`` → ``finalize`` → ``annual``), each with the jurisdiction and no
``--rules``; the year through :func:`evalkit.classify_organisation_year`,
:func:`evalkit.classify_year` and the archive's ``annual``.
"""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import evalkit
from evalkit.io.results import read_results
from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET
from evalkit.model import Assessment, Organisation, Position, Staff, Unit
from evalkit.units import (
    UnitInputs,
    classify_organisation,
    classify_organisation_year,
    frames_from_objects,
    results_from_frame,
)
from tests._cli_helpers import ok, org_file, run
from tests._io_helpers import header_ids

PERIOD = "2025-10"
HANOI = "hanoi.3814-2018"  # vn.hanoi; công chức until 2025-12-31
NATIONAL = "vn.nd90-2020-cc"  # vn; công chức until 2025-12-31
#: the typed scores (discipline 10 + ethics 10 + tasks 70; the bonus left blank)
SCORES = {"H": (10, 10, 65), "A": (10, 10, 70), "B": (9, 9, 52), "C": (5, 5, 30)}
TASKS = {"tasks_assigned": 10, "tasks_done": 9}


def organisation() -> Organisation:
    return Organisation(
        units=[Unit("P1", "Phòng Tổng hợp", head_id="H")],
        positions=[Position("TP", "Trưởng phòng", manages_others=True),
                   Position("CV", "Chuyên viên")],
        staff=[Staff("H", "Nguyễn Văn Hùng", "TP", "P1"),
               *(Staff(s, f"Người {s}", "CV", "P1") for s in "ABC")])  # fmt: skip


def assessments(period: str = PERIOD) -> list[Assessment]:
    return [Assessment(s, period, competent_scores={"ky_luat": k, "dao_duc": d,
                                                    "ket_qua_nhiem_vu": t})
            for s, (k, d, t) in SCORES.items()]  # fmt: skip


def unit_inputs(period: str = PERIOD) -> list[UnitInputs]:
    return [UnitInputs("P1", period, **TASKS)]


def facts(results: list[evalkit.EvaluationResult]) -> dict[str, tuple[object, ...]]:
    """Per person: the set, the total, the grade and the reasons in both languages."""
    return {r.staff_id: (r.rule_set_id, r.total, r.grade and r.grade.code,
                         tuple((x.code, x.message_vi, x.message_en, x.source) for x in r.reasons))
            for r in results}  # fmt: skip


def type_workbook(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[SCORES_SHEET]
    col = {cid: i + 1 for i, cid in enumerate(header_ids(ws)) if cid}
    for r in range(2, ws.max_row + 1):
        sid = ws.cell(row=r, column=col["staff_id"]).value
        if sid in SCORES:
            for crit, v in zip(("ky_luat", "dao_duc", "ket_qua_nhiem_vu"), SCORES[sid],
                               strict=True):  # fmt: skip
                ws.cell(row=r, column=col[f"competent__{crit}"]).value = v
    us = wb[UNITS_SHEET]
    ucol = {cid: i + 1 for i, cid in enumerate(header_ids(us)) if cid}
    for r in range(2, us.max_row + 1):
        if us.cell(row=r, column=ucol["unit_id"]).value == "P1":
            for k, v in TASKS.items():
                us.cell(row=r, column=ucol[k]).value = v
    wb.save(path)


#: the month as a CSV of the score sheet (bare criterion ids: the competent level's scores)
CSV = "staff_id,full_name,position_id,unit_id,category,period,ky_luat,dao_duc,ket_qua_nhiem_vu\n" \
    + "".join(f"{s},Người {s},{'TP' if s == 'H' else 'CV'},P1,cong_chuc,{PERIOD},{k},{d},{t}\n"
              for s, (k, d, t) in SCORES.items())


def write_org(root: Path) -> Path:
    return org_file(root, "unit_id,name,parent_id,head_id\nP1,Phòng Tổng hợp,,H\n",
                    "position_id,title,manages_others\nTP,Trưởng phòng,x\nCV,Chuyên viên,\n",
                    "staff_id,full_name,position_id,unit_id,category\n"
                    "H,Nguyễn Văn Hùng,TP,P1,cong_chuc\n"
                    + "".join(f"{s},Người {s},CV,P1,cong_chuc\n" for s in "ABC"))


class TestTheMonthAtEveryDoor:
    def test_objects_frame_and_cli_use_hanoi_set_and_agree(self, tmp_path: Path) -> None:
        """QĐ 3814-QĐ/TU for Hà Nội's công chức in 2025-10 at every door, one answer."""
        org = organisation()
        by_obj = classify_organisation(org, assessments(), unit_inputs(),
                                       jurisdiction="vn.hanoi")["P1"]  # fmt: skip
        staff, units = frames_from_objects(org, assessments(), unit_inputs())
        sr, _ur = evalkit.classify_frame(staff, units, jurisdiction="vn.hanoi")
        by_frame = results_from_frame(sr)
        root = write_org(tmp_path)
        with contextlib.chdir(tmp_path):
            ok("template", "--jurisdiction", "vn.hanoi", "--period", PERIOD, "--org",
               str(root), "thang.xlsx")  # fmt: skip
            type_workbook(Path("thang.xlsx"))
            ok("validate", "thang.xlsx", "--jurisdiction", "vn.hanoi", "--org", str(root))
            ok("classify", "thang.xlsx", "--jurisdiction", "vn.hanoi", "--org", str(root),
               "--out", "ket-qua.json")  # fmt: skip
            by_cli = results_from_frame(read_results("ket-qua.json"))
            ok("render", "ket-qua.json", "--jurisdiction", "vn.hanoi", "--out", "phieu")
            sheets = sorted(Path("phieu").glob("*.pdf"))
            texts = [subprocess.run(["pdftotext", "-layout", str(f), "-"], check=True,
                                    capture_output=True, text=True).stdout for f in sheets]
            # a CSV names no set: its people's, found in the jurisdiction (scored only)
            Path("thang.csv").write_text(CSV, encoding="utf-8")
            ok("score", "thang.csv", "--jurisdiction", "vn.hanoi", "--org", str(root),
               "--out", "diem.json")  # fmt: skip
            by_csv = results_from_frame(read_results("diem.json"))
        assert {r.rule_set_id for r in by_obj.staff} == {HANOI}
        assert facts(list(by_obj.staff)) == facts(by_frame) == facts(by_cli)
        assert len(texts) == len(SCORES)  # a sheet per person, each citing QĐ 3814
        assert all("3814" in " ".join(t.split()) for t in texts)
        assert {r.staff_id: (r.rule_set_id, r.total, r.grade and r.grade.code) for r in by_csv
                } == {r.staff_id: (r.rule_set_id, r.total, r.grade and r.grade.code)
                      for r in by_obj.staff}  # fmt: skip
        # 85 is B, 90 is A, 70 is B (its lower edge), 40 is D (QĐ 3814: A 90–100, B 70–<90, C 50–<70, D < 50);
        # the unit did 90% of its tasks, so its head is not capped below B
        assert {r.staff_id: r.grade.code for r in by_obj.staff if r.grade} == {
            "H": "HTT", "A": "HTXS", "B": "HTT", "C": "KHT"}

    def test_template_without_jurisdiction_takes_the_national_set(self, tmp_path: Path) -> None:
        """Without --jurisdiction the national set of 2025 (NĐ 90 as amended) is chosen."""
        root = write_org(tmp_path)
        with contextlib.chdir(tmp_path):
            out = ok("template", "--period", PERIOD, "--org", str(root), "--json", "a.xlsx")
            assert NATIONAL in out
            out = ok("template", "--period", PERIOD, "--org", str(root), "--json",
                     "--jurisdiction", "vn.hanoi", "b.xlsx")  # fmt: skip
            assert HANOI in out

    def test_an_unknown_jurisdiction_is_refused_and_nothing_written(self, tmp_path: Path) -> None:
        """A misspelt jurisdiction is a rule-set error listing the known ones (exit 3)."""
        root = write_org(tmp_path)
        code, _out, err = run("template", "--period", PERIOD, "--org", str(root),
                              "--jurisdiction", "vn.hanio", str(tmp_path / "c.xlsx"))
        assert code == 3
        assert "vn.hanio" in err and "vn.hanoi" in err
        assert not (tmp_path / "c.xlsx").exists()


#: the second half of 2025: six months, the fewest NĐ 90/2020 Điều 2 k3 classifies a year on
MONTHS = [f"2025-{m:02d}" for m in range(7, 13)]


class TestTheYearAtEveryDoor:
    def test_objects_frame_and_archive_agree_on_the_year(self, tmp_path: Path) -> None:
        """Six Hà Nội months to the year: objects, classify_year and the archive's annual.

        Every month alike, so each mean is the month's total: H 85, A 90, B 70, C 40. The
        year of Hà Nội's công chức in 2025 takes NĐ 90/2020 Điều 2 k6 (the set's
        ``[rollup.quota]``, 15/9/2023 to 30/6/2026): HTXS at most 20% of the two rated HTT
        (H, B) is 0 (floor), so A is demoted to HTT; C stays KHT."""
        org = organisation()
        months = [classify_organisation(org, assessments(p), unit_inputs(p),
                                        jurisdiction="vn.hanoi") for p in MONTHS]  # fmt: skip
        year_obj = classify_organisation_year(months, jurisdiction="vn.hanoi")["P1"]
        frames = [frames_from_objects(org, assessments(p), unit_inputs(p)) for p in MONTHS]
        sr, ur = evalkit.classify_frame(pd.concat([f[0] for f in frames], ignore_index=True),
                                        pd.concat([f[1] for f in frames], ignore_index=True),
                                        jurisdiction="vn.hanoi")  # fmt: skip
        year_frame = evalkit.classify_year(sr, ur, jurisdiction="vn.hanoi")
        root = write_org(tmp_path)
        with contextlib.chdir(tmp_path):
            for p in MONTHS:
                ok("template", "--jurisdiction", "vn.hanoi", "--period", p, "--org",
                   str(root), f"thang-{p}.xlsx")  # fmt: skip
                type_workbook(Path(f"thang-{p}.xlsx"))
                ok("finalize", f"thang-{p}.xlsx", "--jurisdiction", "vn.hanoi", "--org",
                   str(root), "--archive", "luu-tru.sqlite", "--by", "TCCB")  # fmt: skip
            ok("annual", "--archive", "luu-tru.sqlite", "--year", "2025", "--jurisdiction",
               "vn.hanoi", "--out", "nam.csv")  # fmt: skip
            year_cli = pd.read_csv("nam.csv", dtype={"staff_id": str}).set_index("staff_id")
        expected = {"H": (HANOI, 85.0, "HTT"), "A": (HANOI, 90.0, "HTT"),
                    "B": (HANOI, 70.0, "HTT"), "C": (HANOI, 40.0, "KHT")}
        obj = {r.staff_id: (r.rule_set_id, r.total, r.grade and r.grade.code)
               for r in year_obj.staff}  # fmt: skip
        frame = {r.staff_id: (r.rule_set_id, r.total, r.grade and r.grade.code)
                 for r in results_from_frame(year_frame)}  # fmt: skip
        cli = {s: (year_cli.loc[s, "rule_set"], float(year_cli.loc[s, "annual_total"]),
                   year_cli.loc[s, "annual_grade"]) for s in expected}  # fmt: skip
        assert expected == obj == frame == cli
        said = {r.staff_id: r.reason_codes() for r in year_obj.staff}
        assert "quota.demoted" in said["A"]
        assert "quota.demoted" in str(year_cli.loc["A", "reasons"])

    def test_a_year_of_rows_without_a_set_finds_it_in_the_jurisdiction(self) -> None:
        """Contract staff have no national set (none in 2026): rows naming only their
        category and month find Hà Nội's (no end date for hop_dong) with ``jurisdiction``."""
        rows = pd.DataFrame({"staff_id": "HD1", "category": "hop_dong", "unit_id": "P1",
                             "period": MONTHS, "total": 80.0})  # fmt: skip
        out = evalkit.rollup_frame(rows, jurisdiction="vn.hanoi")
        assert out[["rule_set", "total", "grade"]].astype(object).values.tolist() == [
            [HANOI, 80.0, "HTT"]]
        with pytest.raises(evalkit.InputError, match="hop_dong"):
            evalkit.rollup_frame(rows)
