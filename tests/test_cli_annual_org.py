"""Audit 10 items 1, 2 and 4 on the command line: `annual --pdf` prints the agency's
header and the competent level who signs from `--org` (as `render --period YEAR --org`
does), writes the year's summary of every unit with the quota used beside the annual
sheets, and `evalkit org` lists an unknown manager once per row.

The month runs as docs/monthly-script.md runs it: org (CSV) → template → typed scores →
finalize → annual."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import evalkit.rules
from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET
from evalkit.model import Grade
from tests._cli_helpers import ok, org_file, run

pytestmark = pytest.mark.slow

UNITS_CSV = """unit_id,name,parent_id,head_id,governing_body,place
SNV,Sở Nội vụ tỉnh Sông Lam,,GD,Ủy ban nhân dân tỉnh Sông Lam,Lam Giang
TC,Phòng Tổ chức cán bộ,SNV,TP,Sở Nội vụ tỉnh Sông Lam,Lam Giang
"""
POSITIONS_CSV = """position_id,title,title_en,manages_others
GD,Giám đốc,Director,x
TP,Trưởng phòng,Head of division,x
PP,Phó trưởng phòng,Deputy head,x
CV,Chuyên viên,Specialist,
"""
STAFF_CSV = """staff_id,full_name,position_id,unit_id,manager_id,category
GD,Trần Văn Bình,GD,SNV,,cong_chuc
TP,Lê Thị Cúc,TP,TC,GD,cong_chuc
PP,Ngô Văn Dũng,PP,TC,TP,cong_chuc
CV1,Phạm Minh Đức,CV,TC,TP,cong_chuc
CV2,Hoàng Thị Em,CV,TC,TP,cong_chuc
CV3,Vũ Văn Giang,CV,TC,TP,cong_chuc
CV4,Đỗ Thị Hà,CV,TC,TP,cong_chuc
CV5,Bùi Văn Khánh,CV,TC,TP,cong_chuc
"""
#: The share of the task criteria each person earns (the general ones are full).
SHARE = {"GD": 100, "TP": 100, "PP": 100, "CV1": 100, "CV2": 100, "CV3": 80, "CV4": 80,
         "CV5": 40}  # fmt: skip




def text_of(pdf: Path) -> str:
    """The PDF's text, NFC, spaces collapsed, case folded."""
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).casefold()


def fill(template: Path, out: Path, done: dict[str, int] | None = None) -> None:
    """Type the competent level's scores (full marks, the task criteria at SHARE) and the
    units' task counts (10 of 10, or ``done`` of 10 for the units it names)."""
    rs = evalkit.rules.get("vn.nd335-2025")
    wb = openpyxl.load_workbook(template)
    ws = wb[SCORES_SHEET]
    col = {str(c.value).split("[")[-1].rstrip("]"): c.column for c in ws[1] if c.value}
    for r in range(2, ws.max_row + 1):
        sid = ws.cell(r, col["staff_id"]).value
        if sid is None:
            continue
        leads = ws.cell(r, col["manages_others"]).value == "x"
        for k, v in rs.full_marks(manages_others=leads).items():
            value = SHARE[sid] if k in ("so_luong", "chat_luong", "tien_do") else v
            ws.cell(r, col["competent__" + k], value)
    wu = wb[UNITS_SHEET]
    ucol = {str(c.value).split("[")[-1].rstrip("]"): c.column for c in wu[1] if c.value}
    for r in range(2, wu.max_row + 1):
        if wu.cell(r, ucol["unit_id"]).value:
            wu.cell(r, ucol["tasks_assigned"], 10)
            wu.cell(r, ucol["tasks_done"], (done or {}).get(wu.cell(r, ucol["unit_id"]).value, 10))
    wb.save(out)


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two finalized months of the organisation, then `annual --org --pdf` and `annual
    --json` (the table)."""
    tmp = tmp_path_factory.mktemp("nam")
    org = org_file(tmp, UNITS_CSV, POSITIONS_CSV, STAFF_CSV)
    archive = tmp / "luu-tru.sqlite"
    for m in (1, 2):
        per = f"2026-{m:02d}"
        ok("template", "--rules", "vn.nd335-2025", "--period", per, "--org", str(org),
           str(tmp / f"mau-{m:02d}.xlsx"))  # fmt: skip
        fill(tmp / f"mau-{m:02d}.xlsx", tmp / f"thang-{m:02d}.xlsx")
        ok("finalize", str(tmp / f"thang-{m:02d}.xlsx"), "--archive", str(archive),
           "--by", "TCCB", "--org", str(org))  # fmt: skip
    table = json.loads(ok("annual", "--archive", str(archive), "--year", "2026", "--json"))
    rows = table["results"]["data"]["rows"]
    pdf = tmp / "phieu-nam"
    done = json.loads(ok("annual", "--archive", str(archive), "--year", "2026", "--org",
                         str(org), "--pdf", str(pdf), "--json"))  # fmt: skip
    return {"tmp": tmp, "org": org, "archive": archive, "rows": rows, "pdf": pdf,
            "files": [Path(f) for f in done["pdf"]["files"]]}  # fmt: skip


def test_annual_sheets_carry_the_agency_place_and_the_competent_signatory(
    year: dict[str, Any],
) -> None:
    """Audit 10 item 1: every annual sheet names the governing body, the agency and the
    place of the organisation's top unit, and the head of that unit signs for the
    competent level (with his title) — except on his own sheet."""
    sheets = sorted(year["pdf"].glob("*.pdf"))
    assert len(sheets) == len(year["rows"]) == 8
    for pdf in sheets:
        text = text_of(pdf)
        assert "ủy ban nhân dân tỉnh sông lam" in text, pdf.name
        assert "sở nội vụ tỉnh sông lam" in text, pdf.name
        assert "lam giang, ngày" in text, pdf.name
        if "_GD_" not in pdf.name:
            assert "trần văn bình" in text and "giám đốc" in text, pdf.name
    cv3 = text_of(next(p for p in sheets if "_CV3_" in p.name))
    assert "lê thị cúc" in cv3 and "trưởng phòng" in cv3  # the direct manager signs too


def test_annual_pdf_is_render_period_year_with_the_same_org(
    year: dict[str, Any], tmp_path: Path,
) -> None:
    """`annual --org --pdf DIR` and `render --period 2026 --archive --org --out DIR` write
    the same files, sheets and unit summaries, byte for byte."""
    ok("render", "--period", "2026", "--archive", str(year["archive"]), "--org",
       str(year["org"]), "--out", str(tmp_path / "r"))  # fmt: skip
    a = {f.relative_to(year["pdf"]): f.read_bytes() for f in year["pdf"].rglob("*.pdf")}
    r = {f.relative_to(tmp_path / "r"): f.read_bytes() for f in (tmp_path / "r").rglob("*.pdf")}
    assert a and a == r
    assert sorted(year["files"]) == sorted(year["pdf"].rglob("*.pdf"))


def test_the_years_unit_summaries_list_everyone_with_the_quota_used(
    year: dict[str, Any],
) -> None:
    """Audit 10 item 2: one summary per unit in DIR/units/, with the header, every person
    of the unit and their annual grade, the grade counts and the quota's figures as the
    annual table gives them, the unit's own result and head."""
    rs = evalkit.rules.get("vn.nd335-2025")
    units = sorted((year["pdf"] / "units").glob("*.pdf"))
    assert [p.name for p in units] == ["2026_SNV.pdf", "2026_TC.pdf"]
    rows = [r for r in year["rows"] if r["unit_id"] == "TC"]
    text = text_of(year["pdf"] / "units" / "2026_TC.pdf")
    assert "bảng tổng hợp kết quả đánh giá, xếp loại chất lượng năm 2026" in text
    assert "ủy ban nhân dân tỉnh sông lam" in text and "lam giang, ngày" in text
    assert "người đứng đầu: lê thị cúc" in text
    assert f"tổng số người: {len(rows)}" in text
    for r in rows:
        name = unicodedata.normalize("NFC", r["full_name"]).casefold()
        assert name in text, name
    # the grade counts: each grade's number of people, as the annual table has them
    for g in (Grade.HTXS, Grade.HTT, Grade.HT, Grade.KHT):
        n = sum(r["annual_grade"] == g.name for r in rows)
        label = rs.grade_label(g, "vi").casefold()
        assert re.search(rf"{re.escape(label)} {n} ", text), (label, n)
    # the quota used: the unit's cap and the people moved down, from the table's columns
    (cap,) = {r["quota_cap"] for r in rows}
    demoted = sum("quota.demoted" in (r["reasons"] or "") for r in rows)
    assert demoted >= 1  # the data have more HTXS by score than the quota keeps
    assert f"số người tối đa được giữ mức {int(cap)}" in text
    assert f"số người chuyển xuống mức liền kề {demoted}" in text
    # the unit's own result for the year, as the year's rows carry it
    (unit_grade,) = {r["unit_grade"] for r in rows}
    assert "xếp loại của đơn vị: " + rs.grade_label(Grade[unit_grade], "vi").casefold() in text


def test_org_lists_an_unknown_manager_once_per_row(tmp_path: Path) -> None:
    """Audit 10 item 4: two people under a manager id nobody has: two problems, one per
    row (not each twice)."""
    staff = STAFF_CSV.replace("CV1,Phạm Minh Đức,CV,TC,TP", "CV1,Phạm Minh Đức,CV,TC,H9")
    staff = staff.replace("CV2,Hoàng Thị Em,CV,TC,TP", "CV2,Hoàng Thị Em,CV,TC,H9")
    units = UNITS_CSV.replace("TC,Phòng Tổ chức cán bộ,SNV,TP", "TC,Phòng Tổ chức cán bộ,SNV,H9")
    for name, text in (("u.csv", units), ("p.csv", POSITIONS_CSV), ("s.csv", staff)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, _ = run("org", "--units", str(tmp_path / "u.csv"), "--positions",
                       str(tmp_path / "p.csv"), "--staff", str(tmp_path / "s.csv"), "--json")
    assert code == 1
    problems = json.loads(out)["problems"]
    about = [(p.get("row"), p.get("column")) for p in problems if p.get("value") == "H9"]
    assert sorted(about, key=str) == sorted([(3, "head_id"), (5, "manager_id"),
                                             (6, "manager_id")], key=str)  # fmt: skip


def test_annual_pdf_prints_the_conclusions_the_table_applies(
    year: dict[str, Any], tmp_path: Path,
) -> None:
    """`annual --conclusions FILE --pdf DIR`: the sheets and the unit summary show the
    competent level's conclusion (grade and written reason) that the annual table applies
    — not the grade the year would have without it."""
    rs = evalkit.rules.get("vn.nd335-2025")
    (tmp_path / "ket-luan.csv").write_text(
        "staff_id,competent_grade,competent_reason\nCV3,HT,Chậm tiến độ đề án năm\n",
        encoding="utf-8")  # fmt: skip
    args = ("annual", "--archive", str(year["archive"]), "--year", "2026", "--org",
            str(year["org"]), "--conclusions", str(tmp_path / "ket-luan.csv"))  # fmt: skip
    rows = json.loads(ok(*args, "--json", "--pdf", str(tmp_path / "pdf")))["results"]["data"]["rows"]
    by = {r["staff_id"]: r for r in rows}
    before = {r["staff_id"]: r for r in year["rows"]}
    assert by["CV3"]["annual_grade"] == "HT" != before["CV3"]["annual_grade"]
    cv3 = text_of(next((tmp_path / "pdf").glob("2026_TC_CV3_*.pdf")))
    assert "chậm tiến độ đề án năm" in cv3
    assert "xếp loại chất lượng: " + rs.grade_label(Grade.HT, "vi").casefold() in cv3
    summary = text_of(tmp_path / "pdf" / "units" / "2026_TC.pdf")
    assert "chậm tiến độ đề án năm" in summary
    unit = [r for r in rows if r["unit_id"] == "TC"]
    for g in (Grade.HTXS, Grade.HTT, Grade.HT):  # the counts of the table with the conclusion
        n = sum(r["annual_grade"] == g.name for r in unit)
        label = rs.grade_label(g, "vi").casefold()
        assert re.search(rf"{re.escape(label)} {n} ", summary), (label, n)


def test_annual_sheets_made_one_person_at_a_time_are_the_same_files(
    year: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`annual --pdf` makes and writes the sheets a chunk of people at a time (a province's
    sheets at once did not fit in memory): with chunks of one person the files, their
    order and every byte are those of the whole year at once (the fixture's run, 8 people
    in one chunk)."""
    import evalkit.render._frames as frames

    assert frames.PERIOD_SHEETS_CHUNK >= 8  # the fixture's run: everyone in one chunk
    monkeypatch.setattr(frames, "PERIOD_SHEETS_CHUNK", 1)
    pdf = tmp_path / "mot-nguoi"
    done = json.loads(ok("annual", "--archive", str(year["archive"]), "--year", "2026",
                         "--org", str(year["org"]), "--pdf", str(pdf), "--json"))  # fmt: skip
    files = [Path(f) for f in done["pdf"]["files"]]
    assert [f.relative_to(pdf) for f in files] == [f.relative_to(year["pdf"])
                                                   for f in year["files"]]  # fmt: skip
    assert len([f for f in files if f.parent == pdf]) == 8  # a sheet for each person
    assert any(f.parent.name == "units" for f in files)
    for mine, whole in zip(files, year["files"], strict=True):
        assert mine.read_bytes() == whole.read_bytes(), mine.name


def test_the_year_from_results_files_is_signed_as_its_last_month_and_says_so(
    tmp_path: Path,
) -> None:
    """Without --org the annual sheets carry the signatory and agency of the year's last
    month — the latest period, whatever the order the files are given in (before: the
    last file's, silently) — and the command says which month (docs/cli.md)."""
    from tests._io_helpers import filled_workbook, person

    files = []
    for month in ("11", "12"):
        book = filled_workbook(tmp_path / f"{month}.xlsx", [person("A")], period=f"2026-{month}",
                               signatories=[{"agency": f"Sở Tháng {month}",
                                             "approver_name": f"Người Ký Tháng {month}"}])
        ok("classify", str(book), "--out", str(tmp_path / f"{month}.json"))
        files.append(str(tmp_path / f"{month}.json"))
    code, out, err = run("render", files[1], files[0], "--period", "2026",
                         "--out", str(tmp_path / "nam"))  # fmt: skip
    assert code == 0, (out, err)
    assert "tháng cuối cùng của kỳ (2026-12" in err and "--org" in err
    (sheet,) = list((tmp_path / "nam").glob("*.pdf"))
    text = text_of(sheet)
    assert "người ký tháng 12" in text and "người ký tháng 11" not in text
    code, out, err = run("render", files[0], files[1], "--period", "2026", "--json",
                         "--out", str(tmp_path / "nam2"))  # fmt: skip
    assert code == 0 and "tháng cuối" not in err and json.loads(out)["ok"]
