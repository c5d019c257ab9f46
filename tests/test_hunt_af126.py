"""Acceptance hunt af126: the signed sheet is a legal document (domain brief §5; README:
"A Vietnamese sheet is a legal document: Vietnamese sentences with short citations; no
codes, English or notes about uncertainty on it") — the sheets and unit summaries of cases
the demo does not have, made through the public doors (``evalkit org`` → ``template`` →
the workbook filled with openpyxl → ``classify`` → ``render`` → ``finalize`` → ``annual
--pdf``; and the Python render API on the same results) and read back as a reader reads
them: with ``pdftotext -layout`` (skipped where poppler is absent) and as the HTML the
renderer makes before the PDF (always).

The cases, every figure worked out by hand from the rule:

* **Customs, Q3/2026 and Q4/2026 and the year** (``vn.customs-2026q``, CV 21169/CHQ-TCCB
  ngày 28/8/2026; NĐ 335/2025 Điều 12, 14, 15, 20): Chi cục of 10 công chức, head H1.
  General criteria typed at their full 30 (5 + 5 + 8 × 2.5). A person: 30 + (a + b + c)/3
  × 70 %, a = b = c = p: S1, S2 p 100 → 100; S3 95 → 96.5; S6 100 → 100, reprimanded
  (discipline 1, related to the duty) → KHT (Điều 20 k4 c); S7 80 → 86; S8 60 → 72; S9
  40 → 58 (HT). S4 on maternity leave the whole quarter, S5's row blank: not evaluated.
  The head: 30 + (100 + 100 + 100 + d 100 + đ 50 + e 100)/6 × 70 % = 30 + 64.1666… →
  truncated to the cent (the preset's rounding) 94.16; d = 100 as every evaluated
  subordinate scores ≥ 50 (Điều 15 k3).
  - Q3: the unit did 8 of 10 tasks → 80 → HTT: H1 capped at HTT (CV 21169). HTXS by
    score: S1, S2, S3 (and S6, KHT). The quota's base, those rated HTT before the quota:
    H1 (capped), S7, S8 = 3 → 20 % × 3 = 0.6 → floor 0: S1, S2, S3 → HTT. Counts: HTXS 0,
    HTT 6, HT 1, KHT 1, not evaluated 2, of 10; shares of the 8 graded: 75 %, 12,5 %.
  - Q4: 10 of 10 → 100 → HTXS, recognised especially outstanding (``exceptional``) → 25 %
    (CV 21169): H1 not capped, a candidate; base S7, S8 = 2 → 25 % × 2 = 0.5 → 0: H1, S1,
    S2, S3 → HTT. Same counts.
  - The year from the quarters' grades (the preset's reading of CV 21169): ≥ 2 KHT → KHT
    (S6); ≤ 2 quarters at HT or below and ≤ 1 KHT → HTT (H1, S1–S3, S7, S8 and S9 with HT,
    HT); S4 and S5 have no quarter → not classified.
* **NĐ 90 viên chức, March 2026** (``vn.nd90-2020``; monitored month, classified year):
  general 4 × 7.5 = 30; p → 30 + 0.7 p; the director 30 + (100 × 4 + 50)/5 × 70 % = 93.
  Bands for information: HTXS H1 93, S1 100, S2 96.5, S6 93, S9 100 (5); HTT S3 86, S7
  72 (2); HT S8 58 (1); not evaluated S4 (maternity), S5 (2). No citation of NĐ 233 or
  NĐ 335 on a NĐ 90 month.
* **NĐ 233 viên chức, the year 2026** (``vn.nd233-2026``, July–December): the same people;
  the director 30 + (100 × 5 + 50)/6 × 70 % = 94.1666… → 94.17 (half up); S6 reprimanded
  in September → KHT for the year (Điều 12 k4 c). The unit 10/10 with 3 exceeded (30 %:
  Điều 7 k1 a) → HTXS, the topmost unit
  → 25 % (Điều 12 k6 b) of those rated HTT, S3 and S7 = 2 → 0: H1, S1, S2, S9 → HTT.
  Counts: HTT 6, HT 1, KHT 1, not classified 2 (S4 on maternity leave all six months, S5).
* **Hà Nội, March 2026** (``hanoi.3814-2018``): 10 + 10 + 70 + bonus: H1 100, S1 95, S2 92,
  S3 80, S4–S9 blank; the unit 8/10 → Loại B: H1 capped at Loại B; A ≤ 30 % × 4 classified
  → 1: S1 keeps Loại A, S2 → Loại B. Counts A 1, B 3, C 0, D 0, not evaluated 6.

Defects found and fixed here: the customs year sheet dropped a quarter's leave (S4's
"Nghỉ thai sản" beside Q3 and Q4: the frames door kept months' leave only), and headed the
grade column *Mức tương ứng (để theo dõi)* on the sheet of someone with no quarter
evaluated though the set classifies its quarters; ``annual --pdf --lang en`` without
``--org`` printed the positions' Vietnamese titles (the results carried no English title:
now ``position_title_en`` and ``manager_title_en``, from the organisation or the workbook's
positions sheet).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("weasyprint")

import evalkit.rules
from evalkit.io.archive import Archive
from evalkit.io.jsonio import read_json
from evalkit.io.results import read_results
from evalkit.model import Organisation
from evalkit.render import (
    period_sheets_from_results,
    render_html,
    render_period_html,
    render_unit_summary_html,
    sheets_from_results,
    summaries_from_results,
)
from evalkit.workflow import checked
from tests._cli_helpers import fill_workbook, ok, org_file
from tests._sheet_audit import html_text
from tests.test_render_text import problems

pytestmark = pytest.mark.slow

PDFTOTEXT = shutil.which("pdftotext") is not None
PEOPLE = ("H1", *(f"S{i}" for i in range(1, 10)))
NAMES = {"H1": "Nguyễn Văn Hải", **{f"S{i}": f"Trần Thị Người {i}" for i in range(1, 10)}}

# --------------------------------------------------------------------------- the inputs


def _org(folder: Path, category: str, unit: str, gov: str, place: str, head: str,
         staff: str) -> Path:  # fmt: skip
    """H1 heading unit U (position ``head``), S1–S9 under them (position ``staff``)."""
    folder.mkdir(parents=True, exist_ok=True)
    units = f"unit_id,name,parent_id,head_id,governing_body,place\nU,{unit},,H1,{gov},{place}\n"
    positions = ("position_id,title,title_en,manages_others\n"
                 f"LD,{head},Director,x\nCV,{staff},Officer,\n")  # fmt: skip
    people = ("staff_id,full_name,position_id,unit_id,manager_id,category\n"
              f"H1,{NAMES['H1']},LD,U,,{category}\n"
              + "".join(f"S{i},{NAMES[f'S{i}']},CV,U,H1,{category}\n" for i in range(1, 10)))
    return org_file(folder, units, positions, people)


Person = Mapping[str, Any]


def _filler(rules_id: str, people: Mapping[str, Person]) -> Callable[[str, Mapping[str, Any]],
                                                                     dict[str, Any]]:
    """The three levels' scores as a person types them: every point criterion at its
    maximum, each percentage criterion at the person's ``pct`` (the head's management
    ones from ``mgmt``; the head has no direct manager), then the person's other cells."""
    crit = list(evalkit.rules.get(rules_id).criteria())

    def staff(sid: str, _row: Mapping[str, Any]) -> dict[str, Any]:
        p = people.get(sid)
        if p is None:
            return {}
        out: dict[str, Any] = {k: v for k, v in p.items() if k not in ("pct", "mgmt")}
        if "pct" not in p:
            return out
        for level in ("self", "manager", "competent"):
            if level == "manager" and sid == "H1":
                continue
            for c in crit:
                if c.unit == "points":
                    out[f"{level}__{c.id}"] = c.maximum
                elif c.unit == "percent" and not c.management:
                    out[f"{level}__{c.id}"] = p["pct"]
                elif c.unit == "percent" and sid == "H1":
                    out[f"{level}__{c.id}"] = p["mgmt"][c.id]
        return out

    return staff


def _period(folder: Path, org: Path, rules_id: str, per: str, people: Mapping[str, Person],
            units: Mapping[str, Any], *, render: bool = True) -> Path:  # fmt: skip
    """One period as a person runs it: template, typed, classified to ``res-<per>.json``,
    rendered to ``pdf-<per>`` in Vietnamese (``pdf-<per>-en`` in English)."""
    tpl, book, res = (folder / f"{n}-{per}.{e}" for n, e in
                      (("mau", "xlsx"), ("so", "xlsx"), ("ket-qua", "json")))  # fmt: skip
    ok("template", "--rules", rules_id, "--period", per, "--org", str(org), str(tpl))
    fill_workbook(tpl, book, _filler(rules_id, people), lambda _u, _r: dict(units))
    ok("classify", str(book), "--org", str(org), "--out", str(res))
    if render:
        ok("render", str(res), "--org", str(org), "--out", str(folder / f"pdf-{per}"))
    return res


CUSTOMS_PEOPLE: dict[str, Person] = {
    "H1": {"pct": 100, "mgmt": {"ket_qua_linh_vuc": 100, "to_chuc_trien_khai": 50,
                                "tap_hop_doan_ket": 100}, "self_grade": "HTXS"},
    "S1": {"pct": 100}, "S2": {"pct": 100}, "S3": {"pct": 95}, "S4": {"leave": "Thai sản"},
    "S6": {"pct": 100, "discipline": 1}, "S7": {"pct": 80}, "S8": {"pct": 60},
    "S9": {"pct": 40},
}  # fmt: skip
ND90_PEOPLE: dict[str, Person] = {
    "H1": {"pct": 100, "mgmt": {"ket_qua_don_vi": 100, "don_vi_cap_duoi": 50}},
    "S1": {"pct": 100}, "S2": {"pct": 95}, "S3": {"pct": 80}, "S4": {"leave": "Thai sản"},
    "S6": {"pct": 90}, "S7": {"pct": 60}, "S8": {"pct": 40}, "S9": {"pct": 100},
}  # fmt: skip


def _nd233_people(month: int) -> dict[str, Person]:
    return {"H1": {"pct": 100, "mgmt": {"ket_qua_linh_vuc": 100, "to_chuc_trien_khai": 50,
                                        "tap_hop_doan_ket": 100}},
            "S1": {"pct": 100}, "S2": {"pct": 95}, "S3": {"pct": 80},
            "S4": {"leave": "Thai sản"},
            "S6": {"pct": 90, **({"discipline": 1} if month == 9 else {})},
            "S7": {"pct": 60}, "S8": {"pct": 40}, "S9": {"pct": 100}}  # fmt: skip


#: Hà Nội's criteria (QĐ 3814-QĐ/TU): kỷ luật, đạo đức, tasks, sáng kiến, thành tích.
HANOI = ("ky_luat", "dao_duc", "ket_qua_nhiem_vu", "sang_kien", "thanh_tich")
HANOI_MARKS = {"H1": (10, 10, 70, 10, 0), "S1": (10, 10, 70, 5, 0), "S2": (10, 10, 70, 2, 0),
               "S3": (10, 10, 60, 0, 0)}  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every case through the command line (module docstring)."""
    tmp = tmp_path_factory.mktemp("hunt126")
    out: dict[str, Any] = {"tmp": tmp}
    # customs: Q3 (unit 8/10), Q4 (10/10, especially outstanding), the year
    cq = tmp / "hai-quan"
    org = _org(cq, "cong_chuc", "Chi cục Hải quan khu vực I", "Cục Hải quan", "Hà Nội",
               "Chi cục trưởng", "Chuyên viên")  # fmt: skip
    arc = cq / "luu-tru.sqlite"
    for per, units in (("2026-Q3", {"tasks_assigned": 10, "tasks_done": 8}),
                       ("2026-Q4", {"tasks_assigned": 10, "tasks_done": 10,
                                    "exceptional": "x"})):  # fmt: skip
        res = _period(cq, org, "vn.customs-2026q", per, CUSTOMS_PEOPLE, units)
        out[f"customs-{per}"] = res
        ok("finalize", str(res), "--archive", str(arc), "--by", "TCCB", "--org", str(org))
    q3 = out["customs-2026-Q3"]
    ok("render", str(q3), "--org", str(org), "--out", str(cq / "pdf-2026-Q3-en"), "--lang", "en")
    ok("annual", "--archive", str(arc), "--year", "2026", "--pdf", str(cq / "pdf-2026"))
    ok("annual", "--archive", str(arc), "--year", "2026", "--pdf", str(cq / "pdf-2026-en"),
       "--org", str(org), "--lang", "en")  # fmt: skip
    ok("annual", "--archive", str(arc), "--year", "2026", "--pdf",
       str(cq / "pdf-2026-en-no-org"), "--lang", "en")  # fmt: skip
    out["customs"] = {"dir": cq, "org": org, "archive": arc}
    # NĐ 90: March 2026
    v90 = tmp / "nd90"
    org90 = _org(v90, "vien_chuc", "Trung tâm Kiểm soát bệnh tật", "Sở Y tế tỉnh Nghệ An",
                 "Nghệ An", "Giám đốc", "Viên chức chuyên môn")  # fmt: skip
    out["nd90"] = {"dir": v90, "org": org90, "res": _period(
        v90, org90, "vn.nd90-2020", "2026-03", ND90_PEOPLE,
        {"tasks_assigned": 10, "tasks_done": 9})}  # fmt: skip
    # NĐ 233: July–December 2026, the year
    v233 = tmp / "nd233"
    org233 = _org(v233, "vien_chuc", "Trung tâm Kiểm soát bệnh tật", "Sở Y tế tỉnh Nghệ An",
                  "Nghệ An", "Giám đốc", "Viên chức chuyên môn")  # fmt: skip
    arc233 = v233 / "luu-tru.sqlite"
    for m in range(7, 13):
        res = _period(v233, org233, "vn.nd233-2026", f"2026-{m:02d}", _nd233_people(m),
                      {"tasks_assigned": 10, "tasks_done": 10, "tasks_exceeded": 3},
                      render=False)  # fmt: skip
        ok("finalize", str(res), "--archive", str(arc233), "--by", "TCCB", "--org", str(org233))
    ok("annual", "--archive", str(arc233), "--year", "2026", "--pdf", str(v233 / "pdf-2026"),
       "--org", str(org233))  # fmt: skip
    out["nd233"] = {"dir": v233, "org": org233, "archive": arc233}
    # Hà Nội: March 2026
    hn = tmp / "ha-noi"
    # (contract staff: Hà Nội's set no longer covers công chức in 2026, NĐ 335 does)
    orghn = _org(hn, "hop_dong", "Phòng Tổng hợp", "Sở Văn hóa và Thể thao thành phố Hà Nội",
                 "Hà Nội", "Trưởng phòng", "Chuyên viên")  # fmt: skip
    tpl, book, res = hn / "mau.xlsx", hn / "so.xlsx", hn / "ket-qua.json"
    ok("template", "--rules", "hanoi.3814-2018", "--period", "2026-03", "--org", str(orghn),
       str(tpl))  # fmt: skip
    fill_workbook(tpl, book, lambda sid, _r: {
        f"competent__{k}": v for k, v in zip(HANOI, HANOI_MARKS.get(sid, ()), strict=False)},
        lambda _u, _r: {"tasks_assigned": 10, "tasks_done": 8})  # fmt: skip
    ok("classify", str(book), "--org", str(orghn), "--out", str(res))
    ok("render", str(res), "--org", str(orghn), "--out", str(hn / "pdf-2026-03"))
    out["hanoi"] = {"dir": hn, "org": orghn, "res": res}
    return out


# --------------------------------------------------------------------------- reading them


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip


def flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _who(path: Path) -> str:
    """A sheet file's person (``…_S4_Tran_Thi…pdf`` → ``S4``), or ``unit`` for a summary."""
    if path.parent.name == "units":
        return "unit"
    return next(p for p in path.stem.split("_") if p in PEOPLE)


def pdfs(folder: Path) -> dict[str, str]:
    """Every PDF of a ``render``/``annual --pdf`` folder as layout text, by person."""
    if not PDFTOTEXT:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    files = [*folder.glob("*.pdf"), *folder.glob("units/*.pdf")]
    return {_who(p): pdf_text(p) for p in files}


def _month_docs(res: Path, org: Path, lang: str = "vi") -> dict[str, str]:
    """The HTML of a results file's sheets and unit summary, by person (Python API)."""
    organisation = read_json(org, Organisation)
    frame = checked(read_results(res), org=organisation)  # as evalkit render checks it
    out = {sh.staff.id: render_html(sh, lang=lang)
           for sh in sheets_from_results(frame, org=organisation, lang=lang)}  # fmt: skip
    (summary,) = summaries_from_results(frame, org=organisation)
    out["unit"] = render_unit_summary_html(summary, lang=lang)
    return out


def _year_docs(archive: Path, org: Path, lang: str = "vi") -> dict[str, str]:
    """The HTML of an archive's year sheets and unit summary (Python API)."""
    arc = Archive(archive)
    year, months = arc.annual(2026), arc.year(2026)
    organisation = read_json(org, Organisation)
    out = {ps.staff.id: render_period_html(ps, lang=lang)
           for ps in period_sheets_from_results(year, months, org=organisation)}  # fmt: skip
    (summary,) = summaries_from_results(year, org=organisation)
    out["unit"] = render_unit_summary_html(summary, lang=lang)
    return out


SOURCES = ("pdf", "html")


def documents(built: dict[str, Any], case: str, source: str) -> dict[str, str]:
    """``case``'s documents by person as a reader sees them, flattened: from the PDFs the
    command line wrote (``pdf``) or the renderer's HTML (``html``)."""
    if case in ("customs-2026-Q3", "customs-2026-Q4"):
        per = case.removeprefix("customs-")
        if source == "pdf":
            return {k: flat(v) for k, v in pdfs(built["customs"]["dir"] / f"pdf-{per}").items()}
        return {k: flat(html_text(v)) for k, v in
                _month_docs(built[case], built["customs"]["org"]).items()}  # fmt: skip
    if case == "customs-year":
        c = built["customs"]
        if source == "pdf":
            return {k: flat(v) for k, v in pdfs(c["dir"] / "pdf-2026").items()}
        return {k: flat(html_text(v)) for k, v in _year_docs(c["archive"], c["org"]).items()}
    if case == "nd233-year":
        c = built["nd233"]
        if source == "pdf":
            return {k: flat(v) for k, v in pdfs(c["dir"] / "pdf-2026").items()}
        return {k: flat(html_text(v)) for k, v in _year_docs(c["archive"], c["org"]).items()}
    c = built[case]  # a month: NĐ 90's, Hà Nội's
    if source == "pdf":
        return {k: flat(v) for k, v in pdfs(c["dir"] / "pdf-2026-03").items()}
    return {k: flat(html_text(v)) for k, v in _month_docs(c["res"], c["org"]).items()}


# --------------------------------------------------------------------------- what a sheet is

#: Blank cells printed as words, a template's holes, Python's reprs.
BLANKS = re.compile(r"\b(?:None|nan|NaN|NaT|null|True|False|<NA>)\b|\[|\]|\{|\}")
#: A decimal point on a Vietnamese document (thousands have three digits after the dot).
VI_POINT = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])")
#: More than two decimals: a float printed as it is.
RAW_FLOAT = re.compile(r"\d,\d{3,}(?!\d)(?! người)")
UNCERTAIN = ("chưa kiểm chứng", "chưa xác minh", "thực tiễn", "chưa chắc chắn", "todo",
             "fixme", "xxx", "unverified", "practice", "uncertain", "giả định")  # fmt: skip
CODES = re.compile(r"\b(?:quota|cap|band|rollup|management|competent|unit|deduction)\.[a-z_.]+")
HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
SHEET_BLOCKS = ("Họ và tên:", "Vị trí việc làm:", "Đơn vị công tác:", "Căn cứ:",
                "A. CÁ NHÂN TỰ NHẬN XÉT, ĐÁNH GIÁ", "B. Ý KIẾN CỦA LÃNH ĐẠO TRỰC TIẾP", "C. ",
                "D. CĂN CỨ", "NGƯỜI TỰ ĐÁNH GIÁ", "LÃNH ĐẠO TRỰC TIẾP", "CẤP CÓ THẨM QUYỀN",
                "(Ký tên, đóng dấu)")  # fmt: skip


def _cites(citation: str, text: str) -> bool:
    """Whether ``text`` holds ``citation`` (a line may break after its hyphen)."""
    return re.search(re.escape(citation).replace(r"\-", r"-\s?"), text) is not None


def vi_faults(text: str) -> list[str]:
    """What a Vietnamese legal document must not hold."""
    bad = problems(text) + CODES.findall(text) + BLANKS.findall(text)
    bad += VI_POINT.findall(text) + RAW_FLOAT.findall(text)
    bad += [w for w in UNCERTAIN if re.search(rf"\b{w}\b", text.lower())]
    return sorted(set(bad))


CASES = {
    # case: (title words, agency line, the rule set's grade words, citations it must carry,
    #        citations it must not)
    "customs-2026-Q3": ("QUÝ 3/2026", "CHI CỤC HẢI QUAN KHU VỰC I", "HTXS/HTT/HT/KHT",
                        ("CV 21169/CHQ-TCCB",), ("NĐ 90/", "NĐ 233/", "QĐ 3814")),
    "customs-2026-Q4": ("QUÝ 4/2026", "CHI CỤC HẢI QUAN KHU VỰC I", "HTXS/HTT/HT/KHT",
                        ("CV 21169/CHQ-TCCB",), ("NĐ 90/", "NĐ 233/", "QĐ 3814")),
    "customs-year": ("NĂM 2026", "CHI CỤC HẢI QUAN KHU VỰC I", "HTXS/HTT/HT/KHT",
                     ("CV 21169/CHQ-TCCB",), ("NĐ 90/", "NĐ 233/", "QĐ 3814")),
    "nd90": ("THÁNG 03/2026", "TRUNG TÂM KIỂM SOÁT BỆNH TẬT", "HTXS/HTT/HT/KHT",
             ("NĐ 90/2020/NĐ-CP",), ("NĐ 233/", "NĐ 335/", "CV 21169", "QĐ 3814")),
    "nd233-year": ("NĂM 2026", "TRUNG TÂM KIỂM SOÁT BỆNH TẬT", "HTXS/HTT/HT/KHT",
                   ("NĐ 233/2026/NĐ-CP",), ("NĐ 90/", "NĐ 335/", "CV 21169", "QĐ 3814")),
    "hanoi": ("THÁNG 03/2026", "PHÒNG TỔNG HỢP", "A/B/C/D", ("QĐ 3814-QĐ/TU",),
              ("NĐ 90/", "NĐ 233/", "NĐ 335/", "CV 21169")),
}  # fmt: skip
NATIONAL = ("Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
            "Không hoàn thành nhiệm vụ")  # fmt: skip
LETTERS = ("Loại A", "Loại B", "Loại C", "Loại D")
OTHER_KINDS = {"QUÝ": ("THÁNG", "NĂM"), "THÁNG": ("QUÝ", "NĂM"), "NĂM": ("QUÝ", "THÁNG")}


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("case", list(CASES))
def test_every_sheet_and_summary_reads_as_a_legal_document(
        built: dict[str, Any], case: str, source: str) -> None:  # fmt: skip
    """Every document of the case (10 sheets and the unit summary):
    the title names the period's kind and number, §5's header blocks, the grades in the
    words of THAT rule set, the right decree cited and no other, no code, English word,
    note of uncertainty, Python repr or decimal point."""
    docs = documents(built, case, source)
    assert set(docs) == {*PEOPLE, "unit"}, sorted(docs)
    title, agency, words, cite, never = CASES[case]
    kind = title.split()[0]
    grade_words = LETTERS if words == "A/B/C/D" else NATIONAL
    found: dict[str, list[str]] = {}
    for who, text in docs.items():
        bad = vi_faults(text)
        bad += [h for h in HEADER if h not in text]
        bad += [agency] if agency.lower() not in text.lower() else []  # upper case by CSS
        heading = re.search(r"(?:PHIẾU|BẢNG TỔNG HỢP).{0,100}?\b(?:THÁNG|QUÝ|NĂM) \d[\d/]*", text)
        if heading is None or not heading.group(0).endswith(title):
            bad.append(f"title: {heading and heading.group(0)}")
        elif any(f" {o} " in heading.group(0) for o in OTHER_KINDS[kind]):
            bad.append(f"title kind: {heading.group(0)}")
        if who != "unit":
            bad += [b for b in SHEET_BLOCKS if b not in text]
        if words == "A/B/C/D":  # Hà Nội's words everywhere, the national ones nowhere
            bad += [w for w in NATIONAL if w in text]
        else:
            bad += [w for w in LETTERS if w in text]
        if not any(w in text for w in (*grade_words, "Chưa đánh giá")):
            bad.append("no grade word")
        if who == "unit" or "Chưa đánh giá" not in text.split("D. CĂN CỨ")[0][-300:]:
            bad += [f"missing {c}" for c in cite if not _cites(c, text)]
        bad += [f"cites {c}" for c in never if _cites(c, text)]
        if bad:
            found[who] = bad
    assert found == {}


def _group_rows_pdf(layout: str, labels: tuple[str, ...]) -> list[list[Decimal]]:
    """The numbers of the criteria table's group rows and of *Tổng cộng*, in order, from
    the layout text (each such row is one line)."""
    out = []
    for label in (*labels, "Tổng cộng"):
        line = next(li for li in layout.splitlines()
                    if re.match(rf"\s*(?:[IVX]+\s+)?{re.escape(label)}\s+\d", li))  # fmt: skip
        nums = re.findall(r"\d+(?:,\d+)?%?", line.split(label, 1)[1])
        out.append([Decimal(n.replace(",", ".")) for n in nums])
    return out


def _group_rows_html(doc: str) -> list[list[Decimal | None]]:
    """The cells (max, self, manager, competent) of the group rows and the total row."""
    out = []
    for m in re.finditer(r'<tr class="(group|total)">(.*?)</tr>', doc, re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", m.group(2), re.S)][2:]
        out.append([Decimal(c.replace(".", "").replace(",", ".")) if c else None
                    for c in cells])
    return out


GROUPS = {
    "customs-2026-Q3": ("Tiêu chí chung", "Kết quả thực hiện nhiệm vụ"),
    "nd90": ("Tiêu chí chung", "Kết quả thực hiện nhiệm vụ"),
    "hanoi": ("Ý thức tổ chức kỷ luật, phẩm chất đạo đức",
              "Kết quả thực hiện chức trách, nhiệm vụ", "Điểm thưởng"),
}  # fmt: skip
RULES = {"customs-2026-Q3": "vn.customs-2026q", "nd90": "vn.nd90-2020",
         "hanoi": "hanoi.3814-2018"}  # fmt: skip
#: The competent level's total of each person, by hand (module docstring).
TOTALS = {
    "customs-2026-Q3": {"H1": "94.16", "S1": "100", "S2": "100", "S3": "96.5", "S6": "100",
                        "S7": "86", "S8": "72", "S9": "58"},
    "nd90": {"H1": "93", "S1": "100", "S2": "96.5", "S3": "86", "S6": "93", "S7": "72",
             "S8": "58", "S9": "100"},
    "hanoi": {"H1": "100", "S1": "95", "S2": "92", "S3": "80"},
}  # fmt: skip


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("case", list(GROUPS))
def test_the_criteria_table_adds_up_to_the_rule_sets_total(
        built: dict[str, Any], case: str, source: str) -> None:  # fmt: skip
    """The groups' maximum points sum to the rule set's total (30 + 70; Hà Nội 20 + 70 +
    10), each level's group subtotals sum to its *Tổng cộng*, and the competent level's
    total is the hand figure."""
    total = Decimal(str(evalkit.rules.get(RULES[case]).total))
    want = TOTALS[case]
    if source == "pdf":
        folder = (built["customs"]["dir"] / "pdf-2026-Q3" if case.startswith("customs")
                  else built[case]["dir"] / "pdf-2026-03")  # fmt: skip
        tables = {k: _group_rows_pdf(v, GROUPS[case]) for k, v in pdfs(folder).items()
                  if k in want}  # fmt: skip
    else:
        res = built[case] if case.startswith("customs") else built[case]["res"]
        org = built["customs"]["org"] if case.startswith("customs") else built[case]["org"]
        tables = {k: _group_rows_html(v) for k, v in _month_docs(res, org).items() if k in want}
    assert set(tables) == set(want)
    for who, rows in tables.items():
        *groups, tot = rows
        assert len(groups) == len(GROUPS[case]), (who, rows)
        assert sum((g[0] for g in groups), Decimal(0)) == tot[0] == total, (who, rows)
        for col in range(1, len(tot)):
            if tot[col] is None:
                assert all(g[col] is None for g in groups), (who, rows)
                continue
            assert sum((g[col] for g in groups), Decimal(0)) == tot[col], (who, col, rows)
        assert tot[-1] == Decimal(want[who]), (who, tot)


#: The unit summary's counts by hand (module docstring): grade words → people.
COUNTS = {
    "customs-2026-Q3": {"Hoàn thành xuất sắc nhiệm vụ": 0, "Hoàn thành tốt nhiệm vụ": 6,
                        "Hoàn thành nhiệm vụ": 1, "Không hoàn thành nhiệm vụ": 1,
                        "Chưa đánh giá": 2, "Tổng số người": 10},
    "customs-2026-Q4": {"Hoàn thành xuất sắc nhiệm vụ": 0, "Hoàn thành tốt nhiệm vụ": 6,
                        "Hoàn thành nhiệm vụ": 1, "Không hoàn thành nhiệm vụ": 1,
                        "Chưa đánh giá": 2, "Tổng số người": 10},
    "customs-year": {"Hoàn thành xuất sắc nhiệm vụ": 0, "Hoàn thành tốt nhiệm vụ": 7,
                     "Hoàn thành nhiệm vụ": 0, "Không hoàn thành nhiệm vụ": 1,
                     "Không xếp loại": 2, "Tổng số người": 10},
    "nd90": {"Hoàn thành xuất sắc nhiệm vụ": 5, "Hoàn thành tốt nhiệm vụ": 2,
             "Hoàn thành nhiệm vụ": 1, "Không hoàn thành nhiệm vụ": 0, "Chưa đánh giá": 2,
             "Tổng số người": 10},
    "nd233-year": {"Hoàn thành xuất sắc nhiệm vụ": 0, "Hoàn thành tốt nhiệm vụ": 6,
                   "Hoàn thành nhiệm vụ": 1, "Không hoàn thành nhiệm vụ": 1,
                   "Không xếp loại": 2, "Tổng số người": 10},
    "hanoi": {"Loại A": 1, "Loại B": 3, "Loại C": 0, "Loại D": 0, "Chưa đánh giá": 6,
              "Tổng số người": 10},
}  # fmt: skip
#: The quota's figures by hand: maximum share, base, cap, candidates, moved down.
QUOTA = {
    "customs-2026-Q3": ("20%", 3, 0, 3, 3),
    "customs-2026-Q4": ("25%", 2, 0, 4, 4),
    "nd233-year": ("25%", 2, 0, 4, 4),
    "customs-year": ("20%", 7, 1, 0, 0),  # the quota on the year too (the preset's note)
    "hanoi": ("30%", 4, 1, 2, 1),
}  # fmt: skip


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("case", list(COUNTS))
def test_the_unit_summarys_counts_are_the_people_listed_and_the_quota_is_the_rules(
        built: dict[str, Any], case: str, source: str) -> None:  # fmt: skip
    """Each grade's count is the hand count, the counts add up to the people listed (one
    row per person, by name), and the quota line says the rule's share (20 %, 25 % for a
    unit recognised especially outstanding, Hà Nội's 30 %), base and floor."""
    text = documents(built, case, source)["unit"]
    counts = {}
    for words in COUNTS[case]:  # the counts table follows the staff table: the last match
        share = "" if words in ("Chưa đánh giá", "Không xếp loại", "Tổng số người") else \
            r" \d+(?:,\d+)?%"
        found = re.findall(rf"(?<!Không ){re.escape(words)} (\d+){share}", text)
        assert found, (words, text)
        counts[words] = int(found[-1])
    assert counts == COUNTS[case]
    graded = [v for k, v in counts.items() if k not in ("Tổng số người",)]
    assert sum(graded) == counts["Tổng số người"]
    listed = {who for who, name in NAMES.items() if re.search(rf"\b{name}\b", text)}
    assert len(listed) == counts["Tổng số người"], listed
    if case not in QUOTA:
        assert "Tỷ lệ tối đa" not in text  # a monitored month has no quota
        return
    share, base, cap, candidates, down = QUOTA[case]
    assert re.search(rf"Tỷ lệ tối đa {share}", text), text
    # the base's cell, after its grade in brackets (HTML) or the line beside it (PDF)
    assert re.search(rf"Số người làm căn cứ tính (?:\([^)]*\) |[^()\d]*?)?{base}\b", text), text
    assert f"Số người tối đa được giữ mức {cap}" in text
    assert f"Số người đạt mức theo điểm và điều kiện {candidates}" in text
    assert f"Số người chuyển xuống mức liền kề {down}" in text
    # the raised rate says why it counted (CV 21169 Q4: the unit recognised especially
    # outstanding; NĐ 233 Điều 12 k6 b: the public service unit rated HTXS); 20 % and
    # Hà Nội's 30 % say no such thing
    # (the PDF's columns wrap the sentence: its first line is checked)
    why = {"customs-2026-Q4": "Tỷ lệ nâng: đơn vị được cấp có thẩm quyền công nhận",
           "nd233-year": "Tỷ lệ nâng: đơn vị sự nghiệp công lập được xếp loại"}.get(case)
    flat = re.sub(r"\s+", " ", text)
    assert (why in flat) if why else ("Tỷ lệ nâng" not in flat), (case, flat)


#: The final grade of each person on their own sheet, by hand (module docstring).
GRADES = {
    "customs-2026-Q3": {"H1": "Hoàn thành tốt nhiệm vụ", "S1": "Hoàn thành tốt nhiệm vụ",
                        "S2": "Hoàn thành tốt nhiệm vụ", "S3": "Hoàn thành tốt nhiệm vụ",
                        "S6": "Không hoàn thành nhiệm vụ", "S7": "Hoàn thành tốt nhiệm vụ",
                        "S8": "Hoàn thành tốt nhiệm vụ", "S9": "Hoàn thành nhiệm vụ"},
    "customs-year": {**dict.fromkeys(("H1", "S1", "S2", "S3", "S7", "S8", "S9"),
                                     "Hoàn thành tốt nhiệm vụ"),
                     "S6": "Không hoàn thành nhiệm vụ", "S4": "Không xếp loại",
                     "S5": "Không xếp loại"},
    "nd233-year": {**dict.fromkeys(("H1", "S1", "S2", "S3", "S7", "S9"),
                                   "Hoàn thành tốt nhiệm vụ"),
                   "S6": "Không hoàn thành nhiệm vụ", "S8": "Hoàn thành nhiệm vụ",
                   "S4": "Không xếp loại", "S5": "Không xếp loại"},
    "hanoi": {"H1": "Loại B", "S1": "Loại A", "S2": "Loại B", "S3": "Loại B"},
}  # fmt: skip


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("case", list(GRADES))
def test_each_sheet_concludes_the_hand_grade_with_its_grounds(
        built: dict[str, Any], case: str, source: str) -> None:  # fmt: skip
    """C's concluded grade is the hand one; D says why in a sentence with the decree's
    citation: the head capped at the unit (CV 21169), the quota with its base (NĐ 335
    Điều 20 k5 a; the raised 25 % CV 21169 / NĐ 233 Điều 12 k6 b; QĐ 3814), the
    reprimand (NĐ 335 Điều 20 k4 c; NĐ 233 Điều 12 k4 c)."""
    docs = documents(built, case, source)
    for who, grade in GRADES[case].items():
        c_block = docs[who].split("C. ", 1)[1].split("D. CĂN CỨ")[0]
        assert re.search(rf"Xếp loại chất lượng: {grade}(?! nhiệm)", c_block), (who, c_block)
    d = {who: docs[who].split("D. CĂN CỨ", 1)[1] for who in GRADES[case]}
    if case == "customs-2026-Q3":
        assert re.search(r"Người đứng đầu không được xếp loại cao hơn kết quả của đơn vị "
                         r"\(Hoàn thành tốt nhiệm vụ\) \(CV 21169/CHQ-TCCB ngày 28/8/2026\)",
                         d["H1"])  # fmt: skip
        assert "Thành phần (d) = 100%: cả 7 công chức thuộc quyền quản lý" in d["H1"]
        for who in ("S1", "S2", "S3"):
            assert re.search(r"tối đa 0 người \(20% của 3 người xếp loại Hoàn thành tốt nhiệm "
                             r"vụ\);.*\(NĐ 335/2025/NĐ-CP, Điều 20 k5 a\)", d[who]), d[who]
        assert "(NĐ 335/2025/NĐ-CP, Điều 20 k4 c)" in d["S6"]
    if case == "nd233-year":
        for who in ("H1", "S1", "S2", "S9"):
            assert re.search(r"tối đa 0 người \(25% của 2 người xếp loại Hoàn thành tốt nhiệm "
                             r"vụ\);.*\(NĐ 233/2026/NĐ-CP, Điều 12 k6 b\)", d[who]), d[who]
        assert "(NĐ 233/2026/NĐ-CP, Điều 12 k4 c; Điều 14 k3 a)" in d["S6"]
        assert "Điểm năm 94,17 là trung bình cộng điểm của 6 tháng được đánh giá" in d["H1"]
    if case == "hanoi":
        assert re.search(r"tối đa 1 người \(30% của 4 người được xếp loại\).*Loại B "
                         r"\(QĐ 3814-QĐ/TU ngày 16/5/2018\)", d["S2"]), d["S2"]


@pytest.mark.parametrize("source", SOURCES)
def test_the_customs_years_quarters_say_the_leave(
        built: dict[str, Any], source: str) -> None:  # fmt: skip
    """The customs year lists its four quarters (QUÝ, not months); S4, on maternity leave
    all of Q3 and Q4, has *Nghỉ thai sản* beside each (as a year of months says it beside
    each month). Failed before af126's fix."""
    docs = documents(built, "customs-year", source)
    for q in (3, 4):
        assert re.search(rf"Quý {q}/2026 Chưa đánh giá Nghỉ thai sản", docs["S4"]), docs["S4"]
        assert not re.search(rf"Quý {q}/2026 Chưa đánh giá Nghỉ", docs["S5"])


@pytest.mark.parametrize("source", SOURCES)
def test_the_customs_years_grade_column_is_a_grade_on_every_sheet(
        built: dict[str, Any], source: str) -> None:  # fmt: skip
    """CV 21169 classifies the quarters: the column is *Xếp loại* on every sheet of the
    year, S4's and S5's (no quarter evaluated) too. Failed before af126's fix."""
    docs = documents(built, "customs-year", source)
    for who, text in docs.items():
        if who == "unit":
            continue
        table = text.split("ĐIỂM ĐÁNH GIÁ CÁC QUÝ", 1)[1].split("KẾT QUẢ XẾP LOẠI")[0]
        assert "Xếp loại" in table and "Mức tương ứng" not in table, (who, table)
        assert "để theo dõi" not in table and "Tháng" not in table, (who, table)


def test_the_nd233_year_lists_the_months_with_the_maternity_leave(built: dict[str, Any]) -> None:
    """The NĐ 233 year is of months, monitored (*Mức tương ứng (để theo dõi)*), with S4's
    six months of maternity leave noted (Điều 14)."""
    docs = documents(built, "nd233-year", "html")
    for m in range(7, 13):
        assert f"{m:02d}/2026 Chưa đánh giá Nghỉ thai sản" in docs["S4"]
    assert "Tổng điểm Mức tương ứng (để theo dõi) Ghi chú" in docs["S4"]


# --------------------------------------------------------------------------- English

VI_LABELS = ("Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Không hoàn thành",
             "Chưa đánh giá", "Không xếp loại", "Nghỉ thai sản", "Xếp loại", "Tổng cộng",
             "Căn cứ", "Người đứng đầu", "Vượt tỷ lệ", "Bị kỷ luật", "Thành phần",
             "Chi cục trưởng", "Chuyên viên", "Cá nhân", "Tổng số người", "Trang ",
             "PHIẾU", "BẢNG", "Ký tên", "ngày …")  # fmt: skip
EN_COMMA = re.compile(r"(?<![\d,])\d+,\d{1,2}(?![\d,])")


def _english_faults(text: str) -> list[str]:
    bad = [w for w in VI_LABELS if w in text]
    return bad + EN_COMMA.findall(text) + BLANKS.findall(text) + CODES.findall(text)


@pytest.mark.parametrize("source", SOURCES)
def test_an_english_run_is_english_throughout(built: dict[str, Any], source: str) -> None:
    """``render --lang en`` of the customs quarter: no Vietnamese label, grade, sentence,
    position title or decimal comma (names, the agency and the citations stay as written;
    the self-comment typed here has no Vietnamese grade words)."""
    if source == "pdf":
        docs = {k: flat(v) for k, v in
                pdfs(built["customs"]["dir"] / "pdf-2026-Q3-en").items()}  # fmt: skip
    else:
        docs = {k: flat(html_text(v)) for k, v in
                _month_docs(built["customs-2026-Q3"], built["customs"]["org"], "en").items()}
    assert len(docs) == 11
    found = {who: bad for who, text in docs.items() if (bad := _english_faults(text))}
    assert found == {}
    assert "QUALITY EVALUATION AND GRADING SHEET — CIVIL SERVANT — Q3 2026" in docs["S1"]
    assert "Total that counts: 94.16" in docs["H1"]
    assert "Final grade: Did not complete duties" in docs["S6"]
    assert "at most 0 (20% of 3 graded Well completed duties)" in docs["S1"]


def test_an_english_year_with_the_organisation_is_english_throughout(
        built: dict[str, Any]) -> None:  # fmt: skip
    docs = {k: flat(v) for k, v in pdfs(built["customs"]["dir"] / "pdf-2026-en").items()}
    found = {who: bad for who, text in docs.items() if (bad := _english_faults(text))}
    assert found == {}
    assert "Q3/2026 Not evaluated Maternity leave" in docs["S4"]
    assert not any("for monitoring" in text for text in docs.values())  # quarters graded


@pytest.mark.parametrize("case", ["nd90", "hanoi", "nd233-year", "customs-year"])
def test_the_other_cases_in_english_are_english_throughout(built: dict[str, Any],
                                                           case: str) -> None:  # fmt: skip
    """The same documents in English from the Python API (HTML): NĐ 90's month, Hà Nội's
    month (*Grade A*, never *Loại A*), the NĐ 233 year, the customs year."""
    if case.endswith("-year"):
        c = built[case.removesuffix("-year")]
        docs = _year_docs(c["archive"], c["org"], "en")
    else:
        docs = _month_docs(built[case]["res"], built[case]["org"], "en")
    texts = {k: flat(html_text(v)) for k, v in docs.items()}
    found = {who: bad for who, text in texts.items()
             if (bad := _english_faults(text) + [w for w in LETTERS if w in text])}
    assert found == {}
    if case == "hanoi":
        assert "Final grade: Grade B" in texts["S2"] and "Final grade: Grade A" in texts["S1"]


def test_an_english_year_without_the_organisation_names_positions_in_english(
        built: dict[str, Any]) -> None:  # fmt: skip
    """``annual --pdf --lang en`` from the archive alone: the positions' and the direct
    manager's English titles come with the results (``position_title_en``,
    ``manager_title_en``), as with ``--org``. Failed before af126 ('Chuyên viên',
    'Chi cục trưởng' on English sheets)."""
    docs = {k: flat(v) for k, v in
            pdfs(built["customs"]["dir"] / "pdf-2026-en-no-org").items()}  # fmt: skip
    found = {who: bad for who, text in docs.items() if (bad := _english_faults(text))}
    assert found == {}


def test_the_checks_find_what_they_look_for() -> None:
    """The checks themselves fail on the faults they name."""
    bad = vi_faults("Tổng điểm 87.5 quota.demoted None chưa xác minh 94,16666")
    assert {"87.5", "quota.demoted", "None", "chưa xác minh"} <= set(bad)
    assert any("16666" in b for b in bad)
    assert vi_faults("Tổng điểm 87,5 (NĐ 335/2025/NĐ-CP, Điều 20 k1); 1.250 người") == []
    assert _english_faults("Total 87,5 · Xếp loại") == ["Xếp loại", "87,5"]
    rows = _group_rows_pdf("  I  Tiêu chí chung   30  30\n  II  Kết quả thực hiện nhiệm vụ"
                           "  70  64,16\n      Tổng cộng   100   94,16\n",
                           ("Tiêu chí chung", "Kết quả thực hiện nhiệm vụ"))  # fmt: skip
    assert rows == [[30, 30], [70, Decimal("64.16")], [100, Decimal("94.16")]]


@pytest.mark.parametrize("source", SOURCES)
def test_a_year_with_nothing_evaluated_prints_a_dash_for_its_average(
        built: dict[str, Any], source: str) -> None:  # fmt: skip
    """S4 and S5 have no quarter evaluated in the customs year: their average is printed as
    a dash, never an empty "Điểm trung bình:" (af126 found it); S1's is a number."""
    docs = documents(built, "customs-year", source)
    for who in ("S4", "S5"):
        assert re.search(r"Điểm trung bình: —", docs[who]), docs[who]
    assert re.search(r"Điểm trung bình: \d", docs["S1"]), docs["S1"]
