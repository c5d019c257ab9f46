"""A new user's year (issue 13, "One engine, one answer"; af53): a hospital of viên chức
across the change of decree, March to August 2026 — NĐ 90/2020 until June, NĐ 233/2026 from
July (domain brief §4.2, §4.5) — finalized month by month from the workbooks, then the
year through the archive (``Archive.annual``), the command line (``evalkit annual`` with
and without ``--org``), the frames (``classify_year`` on the archived months and unit
results) and the objects (``evalkit.units.rollup``): the same year.

Bệnh viện (BV, head GD) → Khoa Nội (K1, head TK; VC1–VC6) and Khoa Dược (K2, head TD; DS1,
DS2).
Every unit has 10 tasks; Khoa Nội did 6 of them (score 60 every month: HT), the others all
10. By hand, the year (under NĐ 233, the set in force at its end; docs/classification.md):

* Khoa Nội did 36 of its 60 tasks, 60 % < 70 %: KHT for the year whatever its score (NĐ 233
  Điều 7 k4 b, the preset since af127); the others (no count of tasks exceeded: NĐ 233
  Điều 7 k1 a's 30 % not met) are HTT at most;
* TK scores 100 every month but heads Khoa Nội, KHT for the year: KHT (``cap.head_unit``,
  NĐ 233 Điều 12 k7), whatever the quota;
* VC2 is on maternity leave in June and July: the year averages the four months worked
  (``months`` 4, ``maternity_months`` 2), classified although under 6 months (NĐ 233/2026
  Điều 14 k2, said once: ``rollup.leave``; the NĐ 90 months count too);
* DS1 is sick in March and April: four months of 89.5, HTT, classified on them (Điều 14 k2,
  ``rollup.leave``); DS2 is absent ("Vắng") March to May: three months worked, absence is not
  in k2's list — not classified (Điều 14 k1, ``rollup.too_few_months``);
* VC3 is reprimanded in July: KHT for the year (``disqualifier.discipline``);
* the quota (20 % of those rated HTT, per unit) leaves Khoa Nội no HTXS: 2 HTT (VC5, VC6)
  → at most 0; VC1, VC2 and VC4 are HTT (``quota.demoted``).

``annual`` needs no ``--org`` for the head cap or the quota: ``finalize`` stores each
month's unit results (grade, head, parent), and the year reads them; ``--org`` only adds the
sheets' header and the people the archive does not know (none here).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import evalkit.rules
from evalkit.io.archive import Archive
from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET
from evalkit.units import classify_year, results_from_frame, rollup
from tests._cli_helpers import ok, org_file

pytestmark = pytest.mark.slow

UNITS_CSV = """unit_id,name,parent_id,head_id,governing_body,place
BV,Bệnh viện đa khoa tỉnh Sông Lam,,GD,Sở Y tế tỉnh Sông Lam,Lam Giang
K1,Khoa Nội,BV,TK,Sở Y tế tỉnh Sông Lam,Lam Giang
K2,Khoa Dược,BV,TD,Sở Y tế tỉnh Sông Lam,Lam Giang
"""
POSITIONS_CSV = """position_id,title,title_en,manages_others
GD,Giám đốc,Director,x
TK,Trưởng khoa,Head of department,x
BS,Bác sĩ,Doctor,
DS,Dược sĩ,Pharmacist,
"""
STAFF_CSV = """staff_id,full_name,position_id,unit_id,manager_id,category
GD,Trần Văn Bình,GD,BV,,vien_chuc
TK,Lê Thị Cúc,TK,K1,GD,vien_chuc
VC1,Phạm Minh Đức,BS,K1,TK,vien_chuc
VC2,Hoàng Thị Em,BS,K1,TK,vien_chuc
VC3,Vũ Văn Giang,BS,K1,TK,vien_chuc
VC4,Đỗ Thị Hà,BS,K1,TK,vien_chuc
VC5,Bùi Văn Khánh,BS,K1,TK,vien_chuc
VC6,Ngô Văn Dũng,BS,K1,TK,vien_chuc
TD,Mai Văn Tú,TK,K2,GD,vien_chuc
DS1,Lý Thị Lan,DS,K2,TD,vien_chuc
DS2,Đinh Văn Sơn,DS,K2,TD,vien_chuc
"""
#: The share of the task criteria each person earns (the general criteria are full).
SHARE = {"GD": 100, "TK": 100, "VC1": 100, "VC2": 100, "VC3": 100, "VC4": 95, "VC5": 80,
         "VC6": 75, "TD": 90, "DS1": 85, "DS2": 85}  # fmt: skip
MONTHS = (3, 4, 5, 6, 7, 8)
#: (person, month) → the leave typed on the sheet (no scores that month)
LEAVE = {("VC2", 6): "Thai sản", ("VC2", 7): "Thai sản", ("DS1", 3): "Ốm", ("DS1", 4): "Ốm",
         ("DS2", 3): "Vắng", ("DS2", 4): "Vắng", ("DS2", 5): "Vắng"}  # fmt: skip
COMPARED = ["annual_total", "annual_grade", "reasons", "unit_grade", "months",
            "maternity_months", "leave_months", "rule_set"]


def _rules_of(month: int) -> str:
    return "vn.nd90-2020" if month <= 6 else "vn.nd233-2026"


def _fill(blank: Path, out: Path, month: int) -> None:
    rs = evalkit.rules.get(_rules_of(month))
    wb = openpyxl.load_workbook(blank)
    ws = wb[SCORES_SHEET]
    col = {str(c.value).split("[")[-1].rstrip("]"): c.column for c in ws[1] if c.value}
    for r in range(2, ws.max_row + 1):
        sid = ws.cell(r, col["staff_id"]).value
        if sid is None:
            continue
        if (sid, month) in LEAVE:
            ws.cell(r, col["leave"], LEAVE[sid, month])  # no scores that month
            continue
        if sid == "VC3" and month == 7:
            ws.cell(r, col["discipline"], 1)  # khiển trách
        leads = ws.cell(r, col["manages_others"]).value == "x"
        for k, v in rs.full_marks(manages_others=leads).items():
            value = SHARE[sid] if k in ("so_luong", "chat_luong", "tien_do") else v
            ws.cell(r, col["competent__" + k], value)
    wu = wb[UNITS_SHEET]
    ucol = {str(c.value).split("[")[-1].rstrip("]"): c.column for c in wu[1] if c.value}
    for r in range(2, wu.max_row + 1):
        if unit := wu.cell(r, ucol["unit_id"]).value:
            wu.cell(r, ucol["tasks_assigned"], 10)
            wu.cell(r, ucol["tasks_done"], 6 if unit == "K1" else 10)
    wb.save(out)


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """March to August finalized from the filled workbooks (with --org, as the monthly script
    does); the year by `annual --json` without and with --org."""
    tmp = tmp_path_factory.mktemp("benh-vien")
    org = org_file(tmp, UNITS_CSV, POSITIONS_CSV, STAFF_CSV)
    archive = tmp / "luu-tru.sqlite"
    for m in MONTHS:
        per = f"2026-{m:02d}"
        ok("template", "--rules", _rules_of(m), "--period", per, "--org", str(org),
           str(tmp / f"mau-{m:02d}.xlsx"))  # fmt: skip
        _fill(tmp / f"mau-{m:02d}.xlsx", tmp / f"thang-{m:02d}.xlsx", m)
        ok("finalize", str(tmp / f"thang-{m:02d}.xlsx"), "--archive", str(archive),
           "--by", "TCCB", "--org", str(org))  # fmt: skip
    plain = json.loads(ok("annual", "--archive", str(archive), "--year", "2026", "--json"))
    with_org = json.loads(ok("annual", "--archive", str(archive), "--year", "2026", "--org",
                             str(org), "--json"))  # fmt: skip
    return {"tmp": tmp, "org": org, "archive": archive, "plain": plain, "with_org": with_org}


def _rows(said: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(said["results"]["data"]["rows"]).set_index("staff_id").sort_index()


def test_annual_needs_no_org_for_the_head_cap_and_the_quota(year: dict[str, Any]) -> None:
    """The table is the same without --org (the archive holds each month's units)."""
    plain, with_org = _rows(year["plain"]), _rows(year["with_org"])
    pd.testing.assert_frame_equal(plain, with_org)
    assert year["plain"]["grades"] == year["with_org"]["grades"]


def test_the_year_is_legally_right(year: dict[str, Any]) -> None:
    t = _rows(year["plain"])
    assert set(t["rule_set"]) == {"vn.nd233-2026"}  # the set in force at the year's end
    # the head above his unit: capped at the unit's grade for the year
    assert t.loc["TK", "annual_total"] == 100 and t.loc["TK", "unit_grade"] == "KHT"
    assert t.loc["TK", "annual_grade"] == "KHT" and "cap.head_unit" in t.loc["TK", "reasons"]
    # six months worked (four under NĐ 90, two under NĐ 233): classified (NĐ 233 Điều 14 k1)
    assert set(t.loc[["TK", "VC1", "VC3", "VC4", "VC5", "VC6", "GD", "TD"], "months"]) == {6}
    # maternity leave: the four months worked, classified under 6 (Điều 14 k2)
    assert (t.loc["VC2", "months"], t.loc["VC2", "maternity_months"]) == (4, 2)
    assert "rollup.leave" in t.loc["VC2", "reasons"].split(";")
    assert t.loc["VC2", "annual_total"] == 100
    # sick leave: the same (Điều 14 k2); absence: not classified (Điều 14 k1)
    assert (t.loc["DS1", "months"], t.loc["DS1", "leave_months"]) == (4, 2)
    assert (t.loc["DS1", "annual_total"], t.loc["DS1", "annual_grade"]) == (89.5, "HTT")
    assert "rollup.leave" in t.loc["DS1", "reasons"].split(";")
    assert (t.loc["DS2", "months"], t.loc["DS2", "leave_months"]) == (3, 3)
    assert pd.isna(t.loc["DS2", "annual_grade"])
    assert "rollup.too_few_months" in t.loc["DS2", "reasons"].split(";")
    assert "rollup.leave" not in t.loc["DS2", "reasons"].split(";")
    # a reprimand in July (NĐ 233's month): KHT for the year
    assert t.loc["VC3", "annual_grade"] == "KHT"
    assert "disqualifier.discipline" in t.loc["VC3", "reasons"]
    # Khoa Nội: 20 % of 2 HTT is no HTXS; the three above 90 are HTT by the quota
    for sid in ("VC1", "VC2", "VC4"):
        assert t.loc[sid, "annual_grade"] == "HTT" and "quota.demoted" in t.loc[sid, "reasons"]
    assert t.loc["VC5", "annual_grade"] == t.loc["VC6", "annual_grade"] == "HTT"


def test_archive_frames_and_objects_give_the_same_year(year: dict[str, Any]) -> None:
    """Archive.annual, classify_year on the archived months and unit results, and the
    objects' roll-up (totals; grades where neither the head cap nor the quota applies)."""
    cli = _rows(year["plain"])
    with Archive(year["archive"], readonly=True) as arc:
        table = arc.annual(2026).set_index("staff_id").sort_index()
        pers = [f"2026-{m:02d}" for m in MONTHS]
        months = pd.concat([arc.month(p) for p in pers], ignore_index=True)
        units = pd.concat([arc.units(p).assign(period=p) for p in pers], ignore_index=True)
    frames = classify_year(months, units).set_index("staff_id").sort_index()
    for col in COMPARED:
        assert table[col].astype(object).tolist() == cli[col].astype(object).tolist(), col
        assert frames[col].astype(object).tolist() == cli[col].astype(object).tolist(), col
    objects = results_from_frame(months)
    for sid in cli.index:
        [mine] = rollup([r for r in objects if r.staff_id == sid])
        assert mine.total == cli.loc[sid, "annual_total"], sid
        if not {"cap.head_unit", "quota.demoted"} & set(cli.loc[sid, "reasons"].split(";")):
            want = None if pd.isna(cli.loc[sid, "annual_grade"]) else cli.loc[sid, "annual_grade"]
            assert (mine.grade.code if mine.grade is not None else None) == want, sid
        for code in ("rollup.leave", "rollup.too_few_months"):
            said = code in [r.code for r in mine.reasons]
            assert said == (code in cli.loc[sid, "reasons"].split(";")), (sid, code)


def test_the_annual_sheets_say_why_in_vietnamese_with_citations(
    year: dict[str, Any],
) -> None:
    """`annual --pdf`: Khoa Nội's year summary says why the head is HT, why VC3 is KHT and
    why the three are HTT, each with its short citation; no pandas warning reaches the
    user."""
    from tests.test_cli_annual_org import text_of

    pdf = year["tmp"] / "phieu-nam"
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        ok("annual", "--archive", str(year["archive"]), "--year", "2026", "--org",
           str(year["org"]), "--pdf", str(pdf))  # fmt: skip
    text = text_of(pdf / "units" / "2026_K1.pdf")
    assert "người đứng đầu không được xếp loại cao hơn kết quả của đơn vị" in text
    assert "(nđ 233/2026/nđ-cp, điều 12 k7)" in text
    assert "nghỉ thai sản 2 tháng" in text or "thai sản" in text
    assert "kỷ luật" in text and "không hoàn thành nhiệm vụ" in text
    assert "vượt tỷ lệ hoàn thành xuất sắc nhiệm vụ" in text
    for word in ("cap.head_unit", "quota.demoted", "None", "nan", "HTXS", "rollup"):
        assert word.casefold() not in text, word
    # Khoa Dược: DS1 classified on the months worked despite sick leave, DS2 not classified
    # (NĐ 233 Điều 14 k2; k1, k2), each sentence with its citation (the leave: k2 alone, af166)
    duoc = text_of(pdf / "units" / "2026_K2.pdf")
    # (fewer than 6 months: k1, the clause that says it; af176, "k1, k2" before)
    cite, leave_cite = "(nđ 233/2026/nđ-cp, điều 14 k1)", "(nđ 233/2026/nđ-cp, điều 14 k2)"
    assert ("lý thị lan: nghỉ theo quy định 2 tháng (ốm đau): xếp loại theo thời gian làm việc "
            f"thực tế {leave_cite}") in duoc
    # VC2's maternity leave (Điều 14 k2) said once, with its months and citation (af159: a
    # second sentence "Nghỉ thai sản: xếp loại theo thời gian làm việc thực tế" repeated it)
    said = ("hoàng thị em: nghỉ theo quy định 2 tháng (thai sản): xếp loại theo thời gian làm "
            f"việc thực tế {leave_cite}")
    assert text.count(said) == 1 and "nghỉ thai sản:" not in text
    assert text.count("theo thời gian làm việc thực tế") == 1
    assert f"đinh văn sơn: làm việc dưới 6 tháng trong năm: không xếp loại {cite}" in duoc
    for word in ("rollup", "sick", "absent", "None", "nan"):
        assert word.casefold() not in duoc, word


def test_months_without_unit_results_are_refused_alike_then_given_the_same_year(
    year: dict[str, Any], tmp_path: Path,
) -> None:
    """The same months finalized with --no-classify keep no unit results: the command line,
    Archive.annual and classify_year on the frames refuse the year alike — each head named
    with their unit —, never leaving a head uncapped; given the units' grades for the year
    (--unit-grades, ``unit_year=``, ``unit_results=``) they give the same year, the head of
    Khoa Nội capped at its KHT (NĐ 233 Điều 7 k4 b)."""
    from evalkit.errors import InputError
    from tests._cli_helpers import run

    archive = tmp_path / "khong-xep-loai.sqlite"
    for m in MONTHS:
        ok("finalize", str(year["tmp"] / f"thang-{m:02d}.xlsx"), "--archive", str(archive),
           "--by", "TCCB", "--org", str(year["org"]), "--no-classify")  # fmt: skip
    code, out, _err = run("annual", "--archive", str(archive), "--year", "2026", "--json")
    said = json.loads(out)
    assert code == 1 and {p["staff_id"] for p in said["problems"]} == {"GD", "TK", "TD"}
    assert {p["value"] for p in said["problems"]} == {"BV", "K1", "K2"}
    pers = [f"2026-{m:02d}" for m in MONTHS]
    with Archive(archive, readonly=True) as arc:
        with pytest.raises(InputError) as refused:
            arc.annual(2026)
        months = pd.concat([arc.month(p) for p in pers], ignore_index=True)
    assert {p.staff_id for p in refused.value.problems} == {"GD", "TK", "TD"}
    with pytest.raises(InputError) as frames_refused:
        classify_year(months)
    assert {p.staff_id for p in frames_refused.value.problems} == {"GD", "TK", "TD"}
    grades = pd.DataFrame({"unit_id": ["BV", "K1", "K2"], "grade": ["HTT", "KHT", "HTT"]})
    (tmp_path / "don-vi-nam.csv").write_text(grades.to_csv(index=False), encoding="utf-8")
    cli = _rows(json.loads(ok("annual", "--archive", str(archive), "--year", "2026",
                              "--unit-grades", str(tmp_path / "don-vi-nam.csv"), "--json")))
    with Archive(archive, readonly=True) as arc:
        table = arc.annual(2026, unit_year=grades).set_index("staff_id").sort_index()
    frames = classify_year(months, grades).set_index("staff_id").sort_index()
    for col in COMPARED:
        assert table[col].astype(object).tolist() == cli[col].astype(object).tolist(), col
        assert frames[col].astype(object).tolist() == cli[col].astype(object).tolist(), col
    assert cli.loc["TK", "annual_grade"] == "KHT" and "cap.head_unit" in cli.loc["TK", "reasons"]
    # the same year as the months finalized with their unit results
    assert cli["annual_grade"].tolist() == _rows(year["plain"])["annual_grade"].tolist()


def test_without_org_the_annual_sheet_is_headed_by_its_unit_as_the_summary(
    year: dict[str, Any], tmp_path: Path,
) -> None:
    """Without --org the archive still knows who each unit is (its months' unit results:
    name, governing body, place): the annual sheet is headed by the person's unit, as the
    unit's year summary and the monthly sheets are — it had no header and no place."""
    from tests.test_cli_annual_org import text_of

    pdf = tmp_path / "khong-org"
    ok("annual", "--archive", str(year["archive"]), "--year", "2026", "--pdf", str(pdf))
    sheet = text_of(next(pdf.glob("2026_K1_TK_*.pdf")))
    summary = text_of(pdf / "units" / "2026_K1.pdf")
    for text in (sheet, summary):
        assert "sở y tế tỉnh sông lam khoa nội" in text, text[:300]
        assert "lam giang, ngày" in text, text[:300]
