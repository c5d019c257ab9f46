"""Hunt af136: every rendered sheet is a Vietnamese legal document, the same whichever door
made it (issue 13: "the same reason sentences with citations on every sheet").

A month as a person runs it at the command line, with the organisation of
docs/monthly-script.md (a director GD-01, a head of division TP-01, three officers): each
month ``template`` → a filled workbook → ``validate`` → ``classify`` (a JSON results file
and a CSV) → ``render`` from the results file and from the workbook → ``finalize``; then
``annual --pdf``, ``amend``, ``annual --pdf`` again and ``render --period YYYY --archive``.
Every PDF is read back (pypdf) as a reader sees it and must hold no reason code, rule-set
id, staff id, English word, Python repr, note of uncertainty, ISO date or decimal point,
and be NFC; every sentence ``evalkit.reasons.explain`` gives for a person (each ending in
its short citation) is on that person's sheet, whichever door made the sheet; and the
sheets made from the same month by different doors (results file, workbook, a CSV read
back with ``pd.read_csv``) read the same.

Findings (af136), each with its test below: an amendment of a yes/no fact, a count or the
KPI printed no "Nội dung điều chỉnh" (render/_view.py, fixed); a quarter NĐ 335 only
monitors used the year's classification words (templates/period_sheet.html.j2, fixed);
the degradation ground's ASCII quotes left "Được" alone on a line of the year sheet
(presets' label_vi, fixed with the Vietnamese quotes “…”); a person scored but assigned
nothing is said to have no scores (xfail: needs an engine code). Decision: an English sheet
keeps each sentence's Vietnamese citation.

The figures quoted are checked by hand against NĐ 335/2025/NĐ-CP (domain brief §4.1):

* the officer CV-02 (every criterion typed at 75 % of its maximum, rounded to the half
  point): general criteria 4 + 4 + 4 × 2 + 4 × 2 = 24 of 30 (5 × 0,75 = 3,75 → 4;
  2,5 × 0,75 = 1,875 → 2), task results (75 + 75 + 75) / 3 × 70 % = 52,5, total 76,5:
  HTT, 70 to < 90 (Điều 20 k2); a reprimand typed for February (discipline 1) is KHT for the
  year (Điều 20 k4 c) whatever the score;
* the officer CV-03 (60 % of every maximum; the manager finds one major error and one
  delay, each deducting 25 % of the product, Điều 14 k2 b, c): general 3 + 3 + 8 × 1,5 = 18,
  tasks (60 + 35 + 35) / 3 × 70 % = 30,33, total 48,33 < 50: KHT band (Điều 20 k4 a);
* the director GD-01 (every criterion at its maximum, đ and e typed 100): officer CV-03
  scores below 50 each month (48,33), so the management component d is 50 % (Điều 15 k3:
  100 % only when everyone under the leader's authority is at HT or above), total
  30 + (100 + 100 + 100 + 50 + 100 + 100) / 6 × 70 % = 30 + 64,17 = 94,17 (the brief's own
  example).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

from evalkit.io.jsonio import read_json  # noqa: E402
from evalkit.io.results import read_results  # noqa: E402
from evalkit.model import Organisation  # noqa: E402
from evalkit.reasons import explain  # noqa: E402
from evalkit.render import render_html, sheets_from_results  # noqa: E402
from evalkit.workflow import checked  # noqa: E402
from tests._cli_helpers import fill_workbook, ok, org_file  # noqa: E402
from tests._sheet_audit import html_text  # noqa: E402
from tests.test_render_text import problems  # noqa: E402

UNITS_CSV = """unit_id,name,parent_id,head_id,governing_body,place
SNV,Sở Nội vụ tỉnh Sông Lam,,GD-01,Ủy ban nhân dân tỉnh Sông Lam,Lam Giang
TCCB,Phòng Tổ chức cán bộ,SNV,TP-01,Sở Nội vụ tỉnh Sông Lam,Lam Giang
"""
POSITIONS_CSV = """position_id,title,manages_others
giam_doc,Giám đốc Sở,x
truong_phong,Trưởng phòng,x
chuyen_vien,Chuyên viên,
"""
STAFF = (("GD-01", "Lê Văn Thành", "Giám đốc", "giam_doc", "SNV", ""),
         ("TP-01", "Nguyễn Thị Hồng", "Trưởng phòng", "truong_phong", "TCCB", "GD-01"),
         ("CV-01", "Trần Văn An", "", "chuyen_vien", "TCCB", "TP-01"),
         ("CV-02", "Phạm Thị Bình", "", "chuyen_vien", "TCCB", "TP-01"),
         ("CV-03", "Đỗ Minh Châu", "", "chuyen_vien", "TCCB", "TP-01"))  # fmt: skip
IDS = frozenset(s[0] for s in STAFF)
#: The share of each criterion's maximum every level types for each person.
LEVEL = {"GD-01": 1.0, "TP-01": 0.95, "CV-01": 1.0, "CV-02": 0.75, "CV-03": 0.6}
#: The management components a leader's levels type (d, the first, is computed).
TYPED_MGMT = ("to_chuc_trien_khai", "tap_hop_doan_ket")

# ------------------------------------------------------------------ what a reader must not see
#: A period or date written the ISO way (2026-03, 2026-Q3, 2026-03-31): dd/mm/yyyy on a sheet.
ISO = re.compile(r"\b\d{4}-(?:\d{2}|Q\d)\b")
#: A decimal point where Vietnamese writes a comma (a dot between thousands has 3 digits).
POINT = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])")
#: A float printed as it is (more than two decimals).
RAW = re.compile(r"\d,\d{3,}")
#: Python reprs and blanks printed as they are.
REPR = re.compile(r"\[\]|\{\}|Decimal\(|<NA>|\b(?:None|nan|NaN|NaT|null)\b")
#: Notes of uncertainty from the rule data (they belong in the docs, never on a sheet).
UNCERTAIN = re.compile(r"chưa kiểm chứng|unverified|secondary|practice|\bstatus\b|"
                       r"chưa xác minh|thực tiễn", re.I)  # fmt: skip


def faults(text: str) -> list[str]:
    """What a Vietnamese legal document must not hold, found in ``text`` (empty: clean)."""
    found = problems(text, IDS)
    for name, rx in (("iso", ISO), ("point", POINT), ("raw", RAW), ("repr", REPR),
                     ("uncertain", UNCERTAIN)):  # fmt: skip
        found += [f"{name}:{m}" for m in sorted(set(rx.findall(text)))]
    if unicodedata.normalize("NFC", text) != text:
        found.append("nfd")
    return found


def pdf_text(path: Path) -> str:
    """The text of a PDF as a reader sees it (NFC is checked by :func:`faults`)."""
    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(path).pages)


def squeezed(text: str) -> str:
    """``text`` without any whitespace (a line wrapped anywhere reads the same)."""
    return "".join(unicodedata.normalize("NFC", text).split())


# ------------------------------------------------------------------ the run at the terminal


def _headers(template: Path) -> dict[str, str]:
    """The score sheet's level columns → their maximum as typed in the header ("count" for a
    count of events, "mgmt" for a management component of 100 or 50)."""
    ws = openpyxl.load_workbook(template)["Nhân sự - Điểm"]
    out: dict[str, str] = {}
    for cell in ws[1]:
        head = str(cell.value or "")
        m = re.search(r"\[(\w+__\w+)\]$", head)
        if m:
            mx = re.search(r"tối đa ([\d,]+)", head)
            out[m[1]] = mx[1].replace(",", ".") if mx else "mgmt" if "hoặc" in head else "count"
    return out


def _typing(columns: Mapping[str, str], month: int) -> tuple[Callable[..., Any], ...]:
    def staff(sid: str, row: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"self_grade": "HTXS", "self_comment": "Hoàn thành nhiệm vụ."}
        for col, mx in columns.items():
            level, crit = col.split("__", 1)
            if level == "competent":
                continue
            if mx == "mgmt":
                if row.get("manages_others") and crit in TYPED_MGMT:
                    out[col] = 100
            elif mx == "count":  # a major error and a delay, found by CV-03's manager
                out[col] = 1 if sid == "CV-03" and level == "manager" else 0
            else:
                out[col] = round(float(mx) * LEVEL[sid] * 2) / 2
        if sid == "CV-02" and month == 2:
            out["discipline"] = 1  # khiển trách
        if sid == "CV-01":
            out["competent_grade"] = "HTT"
            out["competent_reason"] = "Chậm trình một báo cáo quý"
        return out

    def units(uid: str, row: Mapping[str, Any]) -> dict[str, Any]:
        done = 10 if uid == "SNV" else 8
        return {"tasks_assigned": 10, "tasks_done": done, "tasks_on_time": done,
                "self_score": 95 if uid == "SNV" else 82.5,
                "council_score": 95 if uid == "SNV" else 82.5}  # fmt: skip

    return staff, units


RULES = "vn.nd335-2025"
MONTHS = ("2026-02", "2026-03")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of one person's whole run (see the module's docstring)."""
    d = tmp_path_factory.mktemp("af136")
    staff_csv = "staff_id,full_name,title_vi,position_id,unit_id,manager_id\n" + "".join(
        ",".join(s) + "\n" for s in STAFF)
    org = org_file(d, UNITS_CSV, POSITIONS_CSV, staff_csv)
    arch = d / "luu-tru.sqlite"
    for p in MONTHS:
        tpl, book = d / f"mau-{p}.xlsx", d / f"thang-{p}.xlsx"
        ok("template", "--rules", RULES, "--period", p, "--org", str(org), str(tpl))
        fill_workbook(tpl, book, *_typing(_headers(tpl), int(p[-2:])))
        ok("validate", str(book), "--org", str(org))
        ok("classify", str(book), "--org", str(org), "--out", str(d / f"ket-qua-{p}.json"))
        ok("classify", str(book), "--org", str(org), "--out", str(d / f"ket-qua-{p}.csv"))
        ok("render", str(d / f"ket-qua-{p}.json"), "--out", str(d / f"json-{p}"), "--org",
           str(org), "--overview")  # fmt: skip
        ok("render", str(book), "--out", str(d / f"book-{p}"), "--org", str(org))
        ok("finalize", str(d / f"ket-qua-{p}.json"), "--archive", str(arch), "--by", "Phòng TCCB")
    ok("annual", "--archive", str(arch), "--year", "2026", "--org", str(org), "--pdf",
       str(d / "nam"), "--out", str(d / "nam.csv"))  # fmt: skip
    ok("amend", "--archive", str(arch), "--period", "2026-03", "--staff", "CV-03", "--set",
       "chat_luong=30", "--by", "Giám đốc", "--why", "Kết luận lại sau kiểm tra công vụ")
    ok("annual", "--archive", str(arch), "--year", "2026", "--org", str(org), "--pdf",
       str(d / "nam-sua"), "--out", str(d / "nam-sua.csv"))  # fmt: skip
    ok("render", "--period", "2026", "--archive", str(arch), "--org", str(org), "--out",
       str(d / "nam-render"))  # fmt: skip
    return d


def _pdfs(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*.pdf"))}


def _staff_pdf(folder: Path, sid: str) -> Path:
    (path,) = [p for p in folder.glob("*.pdf") if f"_{sid}_" in p.name]
    return path


# ------------------------------------------------------------------ the tests


def test_the_checks_find_what_they_look_for() -> None:
    """Each fault the documents are read for is found where it is (the checks can fail)."""
    for bad in ("quota.demoted", "cap.head_unit", "Total 87,5", "87.5 điểm", "94,16666",
                "kỳ 2026-03", "nan", "Decimal('1')", "[]", "(chưa kiểm chứng)", "CV-02",
                "vn.nd335-2025", "status", unicodedata.normalize("NFD", "Điểm")):  # fmt: skip
        assert faults(f"Tổng điểm {bad} (NĐ 335/2025/NĐ-CP, Điều 20 k2)"), bad
    assert faults("Tổng điểm 87,5 thuộc mức Hoàn thành tốt nhiệm vụ (NĐ 335/2025/NĐ-CP, "
                  "Điều 20 k2) · tháng 03/2026 · Ngày điều chỉnh: 05/12/2026") == []


def test_every_document_the_command_line_writes_reads_as_a_legal_document(
    run_dir: Path,
) -> None:
    """No code, id, English, repr, uncertainty note, ISO date or decimal point on any PDF
    written by ``render`` (month, units, overview), ``annual --pdf`` (before and after an
    amendment) and ``render --period YYYY --archive``."""
    folders = [f"{k}-{p}" for p in MONTHS for k in ("json", "book")]
    folders += ["nam", "nam-sua", "nam-render"]
    seen = {}
    for f in folders:
        seen |= {f"{f}/{k}": pdf_text(p) for k, p in _pdfs(run_dir / f).items()}
    # every kind: 5 monthly sheets, 2 unit summaries and an overview a month from the
    # results file; 5 annual sheets and 2 year summaries from each year door
    assert len(seen) == 2 * (8 + 7) + 3 * 7, sorted(seen)
    bad = {k: faults(t) for k, t in seen.items() if faults(t)}
    assert bad == {}


@pytest.mark.parametrize("period", MONTHS)
def test_the_month_reads_the_same_from_the_results_file_and_the_workbook(
    run_dir: Path, period: str,
) -> None:
    """``render RESULTS.json`` and ``render IN.xlsx`` write the same documents."""
    a, b = _pdfs(run_dir / f"json-{period}"), _pdfs(run_dir / f"book-{period}")
    a = {k: v for k, v in a.items() if "overview" not in k}
    assert sorted(a) == sorted(b)
    for k in a:
        assert squeezed(pdf_text(a[k])) == squeezed(pdf_text(b[k])), k


def test_the_year_reads_the_same_from_annual_and_from_render(run_dir: Path) -> None:
    """``annual --pdf`` and ``render --period 2026 --archive`` write the same documents,
    the amendment included."""
    a, b = _pdfs(run_dir / "nam-sua"), _pdfs(run_dir / "nam-render")
    assert sorted(a) == sorted(b)
    for k in a:
        assert squeezed(pdf_text(a[k])) == squeezed(pdf_text(b[k])), k


@pytest.mark.parametrize("period", MONTHS)
def test_every_sentence_of_the_results_is_on_the_persons_sheet(run_dir: Path, period: str) -> None:
    """Each sentence ``explain`` gives for a person's month — read from the results file
    and from its CSV read back with ``pd.read_csv`` (pandas' ``str`` columns) — ends with
    its short citation and is printed on that person's sheet, whichever door made it."""
    by_json = read_results(run_dir / f"ket-qua-{period}.json")
    by_csv = pd.read_csv(run_dir / f"ket-qua-{period}.csv", dtype={"staff_id": str})
    said_json = dict(zip(by_json["staff_id"], explain(by_json), strict=True))
    said_csv = dict(zip(by_csv["staff_id"], explain(by_csv), strict=True))
    assert said_json == said_csv
    for sid, sentences in said_json.items():
        assert len(sentences) >= 2, sid  # the band and "the month is for monitoring"
        for s in sentences:
            assert re.search(r"\((?:NĐ|Luật|QĐ) [^()]+\)$", s), (sid, s)
        for door in ("json", "book"):
            text = squeezed(pdf_text(_staff_pdf(run_dir / f"{door}-{period}", sid)))
            assert [s for s in sentences if squeezed(s) not in text] == [], (door, sid)


@pytest.mark.parametrize("period", MONTHS)
def test_a_frame_read_back_with_read_csv_renders_the_same_sheets(run_dir: Path, period: str) -> None:
    """The renderer's door on the CSV read back with ``pd.read_csv`` gives the sheets the
    results file gives (every sentence, figure and grade)."""
    org = read_json(run_dir / "to-chuc.json", Organisation)
    by_json = checked(read_results(run_dir / f"ket-qua-{period}.json"), org=org)
    by_csv = pd.read_csv(run_dir / f"ket-qua-{period}.csv", dtype={"staff_id": str})

    def texts(frame: pd.DataFrame) -> dict[str, str]:
        return {sh.staff.id: html_text(render_html(sh, lang="vi"))
                for sh in sheets_from_results(frame, org=org)}  # fmt: skip

    got, want = texts(by_csv), texts(by_json)
    assert sorted(got) == sorted(IDS)
    assert got == want


def test_the_hand_checked_figures_and_grounds_are_on_the_sheets(run_dir: Path) -> None:
    """CV-02's February (76,5: HTT by Điều 20 k2, a reprimand cited to Điều 20 k4 c), the
    director's d of 50 % (94,17, Điều 15 k3) and CV-02's year (KHT by Điều 20 k4 c)."""
    feb = squeezed(pdf_text(_staff_pdf(run_dir / "json-2026-02", "CV-02")))
    for want in ("Tổng điểm 76,5 thuộc mức Hoàn thành tốt nhiệm vụ (từ 70 đến dưới 90 điểm) "
                 "(NĐ 335/2025/NĐ-CP, Điều 20 k2)",
                 "Bị kỷ luật từ khiển trách trở lên do vi phạm liên quan đến thi hành công vụ "
                 "trong năm đánh giá (NĐ 335/2025/NĐ-CP, Điều 20 k4 c)",
                 "THÁNG 02/2026"):  # fmt: skip
        assert squeezed(want) in feb, want
    gd = squeezed(pdf_text(_staff_pdf(run_dir / "json-2026-03", "GD-01")))
    assert squeezed("Tổng điểm 94,17 thuộc mức Hoàn thành xuất sắc nhiệm vụ") in gd
    cv3 = squeezed(pdf_text(_staff_pdf(run_dir / "json-2026-03", "CV-03")))
    assert squeezed("Tổng điểm 48,33 thuộc mức Không hoàn thành nhiệm vụ") in cv3
    assert squeezed("(NĐ 335/2025/NĐ-CP, Điều 15 k3)") in gd
    year = squeezed(pdf_text(_staff_pdf(run_dir / "nam-sua", "CV-02")))
    assert squeezed("Xếp loại chất lượng: Không hoàn thành nhiệm vụ") in year
    assert squeezed("xếp loại Không hoàn thành nhiệm vụ (NĐ 335/2025/NĐ-CP, Điều 20 k4 c)") in year


# ------------------------------------------------------------------ finding: amended inputs

#: Every input an amendment may change that is not a criterion (io.archive.amendable_fields
#: of the presets), the old and new values recorded, and how a sheet must say the change.
AMENDED_FACTS = {
    "degradation": (False, True, "Suy thoái về tư tưởng chính trị, đạo đức, lối sống: Không → Có"),
    "corruption_in_unit": (False, True,
                           "Tham nhũng, lãng phí trong đơn vị mình quản lý: Không → Có"),
    "party_discipline": (False, True, "Kỷ luật Đảng trong năm: Không → Có"),
    "discipline_related_to_duty": (True, False,
                                   "Kỷ luật do vi phạm liên quan đến thi hành công vụ: Có → Không"),
    "kpi": (None, 82.3, "Tỷ lệ KPI của phần mềm theo dõi nhiệm vụ: (không) → 82,3%"),
    "late_files": (0, 2, "Số hồ sơ trễ hẹn: 0 → 2"),
    "apologies": (0, 3, "Số lần xin lỗi công khai: 0 → 3"),
}  # fmt: skip


@pytest.mark.parametrize("field", sorted(AMENDED_FACTS))
def test_an_amended_input_is_said_on_the_sheet(field: str) -> None:
    """An amendment of a yes/no fact, a count or the KPI says what it changed, in words
    (a legal record of an amendment that does not say what was amended is empty: before
    af136 only the criteria, the discipline, the leave, the total and the grade were said,
    so `evalkit amend --set degradation=x` printed no "Nội dung điều chỉnh" at all)."""
    import evalkit.rules
    from evalkit.render import Amended, amended_words

    old, new, want = AMENDED_FACTS[field]
    rs = evalkit.rules.get("vn.nd90-2020")  # the set with every one of these inputs
    a = Amended("2026-12-05T10:00:00+00:00", "Giám đốc", "Kiểm tra", {field: old}, {field: new})
    (said,) = amended_words(rs, [a], classified=False, lang="vi")
    assert said["changes"] == [want]
    assert faults(want) == []
    (en,) = amended_words(rs, [a], classified=False, lang="en")
    assert len(en["changes"]) == 1 and "→" in en["changes"][0]


def test_an_amended_fact_is_said_by_the_command_line_and_on_the_year(tmp_path: Path) -> None:
    """`evalkit amend --set degradation=x` (a conclusion of degradation, NĐ 335 Điều 20
    k4 b) is said on the terminal and on the year sheet's amendment, not only its effect."""
    staff_csv = "staff_id,full_name,title_vi,position_id,unit_id,manager_id\n" + "".join(
        ",".join(s) + "\n" for s in STAFF)
    org = org_file(tmp_path, UNITS_CSV, POSITIONS_CSV, staff_csv)
    arch, p = tmp_path / "a.sqlite", "2026-03"
    tpl, book = tmp_path / "mau.xlsx", tmp_path / "thang.xlsx"
    ok("template", "--rules", RULES, "--period", p, "--org", str(org), str(tpl))
    fill_workbook(tpl, book, *_typing(_headers(tpl), 3))
    ok("finalize", str(book), "--org", str(org), "--archive", str(arch), "--by", "Phòng TCCB")
    out = ok("amend", "--archive", str(arch), "--period", p, "--staff", "CV-01", "--set",
             "degradation=x", "--by", "Giám đốc", "--why", "Kết luận của cấp có thẩm quyền")
    want = AMENDED_FACTS["degradation"][2]
    assert want in out
    ok("render", "--period", "2026", "--archive", str(arch), "--org", str(org), "--out",
       str(tmp_path / "nam"))  # fmt: skip
    lines = pdf_text(_staff_pdf(tmp_path / "nam", "CV-01"))
    year = squeezed(lines)
    assert squeezed(f"Nội dung điều chỉnh: {want}") in year
    # the ground of the degradation (NĐ 335 Điều 20 k4 b) starts on its bullet's line with
    # its words, not "Được" alone on a line: the preset's straight quotes ("tự diễn biến")
    # let the PDF engine break there; the Vietnamese quotes “…” the decree writes do not
    # (k4 b's three conclusions named since af212)
    assert squeezed("suy thoái về tư tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, "
                    "“tự chuyển hóa”; vi phạm những điều đảng viên không được làm; vi phạm "
                    "trách nhiệm nêu gương, ảnh hưởng xấu đến uy tín của bản thân và cơ quan, "
                    "đơn vị nơi công tác: xếp loại Không hoàn thành nhiệm vụ "
                    "(NĐ 335/2025/NĐ-CP, Điều 20 k4 b)") in year
    assert [ln for ln in lines.splitlines() if ln.strip() in ("Được", "• Được", "Bị", "• Bị")] == []


# ------------------------------------------------------------------ finding: monitored quarter

#: The words of a classification, which a period the rule set only monitors must not use
#: (NĐ 335/2025 Điều 21: a month or a quarter is monitored, the year is classified).
CLASSIFYING = ("KẾT QUẢ XẾP LOẠI", "Tự xếp loại", "Đề xuất xếp loại",
               "C. KẾT LUẬN CỦA CẤP CÓ THẨM QUYỀN")  # fmt: skip
#: What the month sheet of the same set says instead (tests the quarter against it).
MONITORING = ("KẾT QUẢ THEO DÕI, ĐÁNH GIÁ", "Tự nhận mức", "Đề xuất mức",
              "C. KẾT QUẢ THEO DÕI, ĐÁNH GIÁ CỦA CẤP CÓ THẨM QUYỀN")  # fmt: skip


def test_a_monitored_quarter_speaks_of_monitoring_not_of_classification(run_dir: Path) -> None:
    """`evalkit render` of two NĐ 335 months with ``--period 2026-Q1`` (as docs/cli.md
    shows) writes a quarter sheet titled *PHIẾU THEO DÕI, ĐÁNH GIÁ*: its blocks say the
    monitoring words the month sheet says (*Tự nhận mức*, *Đề xuất mức*, *C. KẾT QUẢ THEO
    DÕI, ĐÁNH GIÁ CỦA CẤP CÓ THẨM QUYỀN*), never *KẾT QUẢ XẾP LOẠI* or *Tự xếp loại*: NĐ 335
    Điều 21 classifies the year only (before af136 the quarter used the year's words)."""
    out = run_dir / "quy-1"
    ok("render", *(str(run_dir / f"ket-qua-{p}.json") for p in MONTHS), "--period", "2026-Q1",
       "--org", str(run_dir / "to-chuc.json"), "--out", str(out))  # fmt: skip
    month = pdf_text(_staff_pdf(run_dir / "json-2026-03", "CV-02"))
    assert all(squeezed(w) in squeezed(month) for w in MONITORING)
    assert not any(squeezed(w) in squeezed(month) for w in CLASSIFYING)
    quarter = pdf_text(_staff_pdf(out, "CV-02"))
    assert squeezed("PHIẾU THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC QUÝ 1/2026") in squeezed(quarter)
    assert [w for w in CLASSIFYING if squeezed(w) in squeezed(quarter)] == []
    assert [w for w in MONITORING if squeezed(w) not in squeezed(quarter)] == []
    assert faults(quarter) == []
    # the year, classified, keeps the words of a classification
    year = pdf_text(_staff_pdf(run_dir / "nam-sua", "CV-02"))
    assert all(squeezed(w) in squeezed(year) for w in CLASSIFYING)


# ------------------------------------------------------------------ decision: English sheets


def test_an_english_sheet_keeps_the_vietnamese_citation_of_each_sentence(run_dir: Path) -> None:
    """Decision (af136): an English sheet prints the catalogue's English sentence followed by
    the same short Vietnamese citation as the Vietnamese sheet ("(NĐ 335/2025/NĐ-CP, Điều 20
    k2)"): a citation names a Vietnamese legal text by its official number and article; a
    translated reference ("Decree 335, Article 20(2)") is not a document a reader can look
    up, and two spellings of one source would drift. `evalkit --lang en render` writes them
    so, from the same results file."""
    out = run_dir / "en-2026-02"
    ok("--lang", "en", "render", str(run_dir / "ket-qua-2026-02.json"), "--org",
       str(run_dir / "to-chuc.json"), "--out", str(out))  # fmt: skip
    res = read_results(run_dir / "ket-qua-2026-02.json")
    vi, en = explain(res), explain(res, lang="en")
    cite = re.compile(r"\(([^()]+)\)$")
    for sid, said_vi, said_en in zip(res["staff_id"], vi, en, strict=True):
        text = squeezed(pdf_text(_staff_pdf(out, sid)))
        assert len(said_en) == len(said_vi) >= 2, sid
        for s_vi, s_en in zip(said_vi, said_en, strict=True):
            m_vi, m_en = cite.search(s_vi), cite.search(s_en)
            assert m_vi and m_en and m_vi[1] == m_en[1], (sid, s_vi, s_en)
            assert s_en != s_vi and squeezed(s_en) in text, (sid, s_en)


# ------------------------------------------------------------------ finding, fixed by af139


def test_nothing_assigned_is_not_said_to_be_no_scores() -> None:
    """Under example.tasks-80 (domain brief §4.1's choice: nothing assigned → not
    evaluated) a person whose four general criteria are scored 4 each but who was assigned
    no product is not evaluated; the sheet's ground must not say nobody scored them, as it
    rightly says of a person with no scores at all."""
    import evalkit

    rs = evalkit.rules.get("example.tasks-80")
    frame = pd.DataFrame([
        {"staff_id": "A", "period": "2026-03", "chinh_tri": 4, "dao_duc": 4, "tac_phong": 4,
         "ky_luat": 4, "giao": 0, "hoan_thanh": 0, "dat_chat_luong": 0, "dung_han": 0},
        {"staff_id": "B", "period": "2026-03"},
    ])  # fmt: skip
    res = evalkit.score_frame(frame, rules=rs)
    assert res["total"].isna().all()  # both not evaluated: the grade is right
    scored, nobody = explain(res)
    assert nobody == ["Không có điểm đánh giá trong kỳ: chưa đánh giá"]
    assert not any(s.startswith("Không có điểm đánh giá") for s in scored), scored


# ------------------------------------------------------------------ finding: order of the list


def test_a_unit_summary_lists_its_people_in_the_same_order_whichever_door(run_dir: Path) -> None:
    """The year's unit summary made from ``annual --out`` read back with ``pd.read_csv``
    (rows sorted by staff id), from the same rows shuffled, and by ``annual --pdf`` from the
    archive list the people in one order — the organisation's — so the signed list does
    not depend on the door (before af136 it followed the frame's rows)."""
    from evalkit.render import summaries_from_results

    org = read_json(run_dir / "to-chuc.json", Organisation)
    year = pd.read_csv(run_dir / "nam-sua.csv", dtype={"staff_id": str})
    orders = []
    for frame in (year, year.iloc[::-1], year.sample(frac=1, random_state=7)):
        orders.append({su.unit.id: [r.staff.id for r in su.rows]
                       for su in summaries_from_results(frame, org=org)})  # fmt: skip
    assert orders[0] == orders[1] == orders[2]
    want = [s.id for s in org.members_of("TCCB")]
    assert orders[0]["TCCB"] == want == ["TP-01", "CV-01", "CV-02", "CV-03"]
    # the order of the names on the PDF the command line wrote from the archive
    text = squeezed(pdf_text(run_dir / "nam-sua" / "units" / "2026_TCCB.pdf"))
    names = {s[0]: squeezed(s[1]) for s in STAFF}
    assert sorted(want, key=lambda i: text.find(names[i])) == want
