"""Issue 15 item 4 for the archive and the rule sets: what `finalize` says about a
hand-edited results file, what `archive verify` prints and the periods and source statuses
of `rules list` / `rules show` are Vietnamese by default (no identifier, no English word)
and English with ``--lang en``; and `annual --pdf` writes the annual sheets that
`render --period YEAR --archive` writes (issue 15 item 3)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import evalkit.rules
from evalkit.io.archive import Archive
from evalkit.model import Grade
from evalkit.reasons import fmt_number
from tests._archive_helpers import classified, raw
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person

#: ASCII identifiers: snake_case, dotted codes (``quota.demoted``), rule set ids.
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DOTTED = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z0-9_*][a-z0-9_*-]*)+\b")
#: English words (none is a Vietnamese syllable written without its marks).
ENGLISH = frozenset({
    "the", "and", "of", "or", "is", "are", "not", "with", "for", "from", "in", "to", "no",
    "by", "its", "at", "score", "grade", "band", "total", "rule", "rules", "set", "staff",
    "unit", "results", "row", "rows", "month", "year", "quarter", "seal", "archive",
    "amendment", "amendments", "verified", "secondary", "practice", "unsourced", "ok",
    "mismatch", "problem", "problems", "schema", "version", "evalkit", "outside", "above",
    "below", "reason", "reasons", "code", "cap", "quota", "head", "none", "note", "trigger",
    "status", "statuses", "classified", "match", "does", "without",
})


def foreign(text: str) -> list[str]:
    """Identifiers and English words in ``text`` outside quoted values (a staff id, a
    typed value) and paths."""
    plain = re.sub(r"'[^']*'|/\S+", "", text)
    found = set(SNAKE.findall(plain)) | set(DOTTED.findall(plain))
    found |= {w for w in re.findall(r"\b[A-Za-z]+\b", plain) if w.lower() in ENGLISH}
    return sorted(found)



# =========================================================================== finalize


def edited_results(path: Path) -> Path:
    """A classified month written as a results file, then edited by hand: A's grade set
    to KHT, B's to HTXS, C's score grade to HTXS, D's reasons to a number, E's total to
    'abc', a points column to text."""
    results, units, inputs = classified(
        "2026-03", {"H": 100.0, "A": 95.0, "B": 80.0, "C": 60.0, "D": 60.0, "E": 60.0},
        head="H")  # fmt: skip
    results.attrs.update(units=units, unit_inputs=inputs, period="2026-03")
    from evalkit.io.results import results_document

    doc = results_document(results)
    rows = {r["staff_id"]: r for r in doc["data"]["rows"]}
    rows["A"]["grade"] = "KHT"
    rows["B"]["grade"] = "HTXS"
    rows["C"]["score_grade"] = "HTXS"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def totals(path: Path) -> dict[str, float]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {r["staff_id"]: r["total"] for r in doc["data"]["rows"]}


class TestFinalizeChecks:
    def test_the_results_checks_are_vietnamese_by_default(self, tmp_path: Path) -> None:
        """Each hand-edited row is named, in administrative Vietnamese with the law's
        citation, never the rule set id or a reason code; nothing is archived."""
        path = edited_results(tmp_path / "ket-qua.json")
        t = totals(path)
        code, _, err = run("finalize", str(path), "--archive", str(tmp_path / "a.sqlite"),
                           "--by", "TCCB")  # fmt: skip
        assert code == 1
        lines = err.splitlines()
        law = "NĐ 335/2025/NĐ-CP"
        vi = lambda x: fmt_number(x, "vi", decimals=None)  # noqa: E731
        assert lines[0] == "Có 3 lỗi:"
        assert sorted(line.split(": ", 1)[1] for line in lines[1:]) == sorted([
            f"mức theo khung điểm ghi HTXS, nhưng tổng điểm {vi(t['C'])} thuộc khung HTT "
            f"theo {law} (người được đánh giá 'C')",
            f"mức xếp loại HTXS cao hơn khung HTT của tổng điểm {vi(t['B'])} theo {law} "
            "(người được đánh giá 'B')",
            f"mức xếp loại KHT thấp hơn khung HTXS của tổng điểm {vi(t['A'])} theo {law} mà "
            "không ghi lý do hạ mức (thuộc trường hợp bị giới hạn mức theo quy định, người "
            "đứng đầu không được xếp cao hơn đơn vị, cấp có thẩm quyền kết luận mức khác, "
            "hoặc vượt tỷ lệ) (người được đánh giá 'A')",
        ])  # fmt: skip
        for line in lines[1:]:
            assert ", dòng " in line and ", cột '" in line
            assert foreign(line.split(": ", 1)[1]) == [], line
        if (tmp_path / "a.sqlite").exists():
            with Archive(tmp_path / "a.sqlite") as arc:
                assert arc.months() == []

    def test_the_results_checks_are_english_with_lang_en(self, tmp_path: Path) -> None:
        """The same problems in the library's English (rule set id and reason codes)."""
        path = edited_results(tmp_path / "ket-qua.json")
        t = totals(path)
        code, _, err = run("finalize", str(path), "--archive", str(tmp_path / "a.sqlite"),
                           "--by", "TCCB", "--lang", "en")  # fmt: skip
        assert code == 1
        lines = err.splitlines()
        assert lines[0] == "3 problems found:"
        assert sorted(line.split(": ", 1)[1] for line in lines[1:]) == sorted([
            f"score grade HTXS is not the band of the total {t['C']:g} (HTT) under "
            "vn.nd335-2025 (staff 'C')",
            f"grade HTXS is above the band of the total {t['B']:g} (HTT) under vn.nd335-2025 "
            "(staff 'B')",
            f"grade KHT is below the band of the total {t['A']:g} (HTXS) under vn.nd335-2025 "
            "without a reason code that lowers it (a cap or disqualifier, cap.head_unit, "
            "competent.concluded, quota.demoted) (staff 'A')",
        ])  # fmt: skip

    @pytest.mark.parametrize(("column", "value", "vi", "en"), [
        ("total", "abc", "tổng điểm không phải là số (người được đánh giá 'S000001')",
         "the total is not a number (staff 'S000001')"),
        ("total", 150.5, "tổng điểm nằm ngoài khoảng từ 0 đến 100 (người được đánh giá 'S000001')",
         "the total is outside 0 to 100 (staff 'S000001')"),
        ("grade", "XYZ", "không phải là mức xếp loại: ghi HTXS, HTT, HT, KHT, tên đầy đủ của "
                         "mức hoặc số từ 0 (KHT) đến 3 (HTXS) (người được đánh giá 'S000001')",
         "is not a grade: write HTXS, HTT, HT, KHT, its full name or a number from 0 (KHT) to "
         "3 (HTXS) (staff 'S000001')"),
        ("reasons", 7, "lý do không ở dạng chữ (các lý do ghi liền nhau, cách nhau bằng dấu "
                       "chấm phẩy) (người được đánh giá 'S000001')",
         "the reasons are not text (codes joined by ';') (staff 'S000001')"),
        ("period", "2026-Q1", "kỳ 2026-Q1 là một quý: bộ quy định 'vn.nd335-2025' chấm điểm "
                              "theo tháng, không theo quý (người được đánh giá 'S000001')",
         "2026-Q1 is a quarter: 'vn.nd335-2025' scores months, not quarters (staff 'S000001')"),
        ("period", "2026", "kỳ 2026 không phải là một tháng (người được đánh giá 'S000001')",
         "2026 is not a month (staff 'S000001')"),
        ("staff_id", None, "mã nhân sự để trống", "blank staff id"),
    ])  # fmt: skip
    def test_each_check_has_its_vietnamese_sentence(
        self, column: str, value: Any, vi: str, en: str
    ) -> None:
        """The library's check, shown in either language (the CLI's located line)."""
        from evalkit.io.archive import check_results
        from evalkit.messages import sentence
        from tests._archive_helpers import plain_month

        frame = plain_month("2026-03").astype(object)
        frame.at[1, column] = value
        found = check_results(frame)
        assert [(sentence(p, "vi"), sentence(p, "en"), p.message) for p in found][:1] == [
            (vi, en, en)]
        assert foreign(vi) == []


# =========================================================================== archive verify


@pytest.mark.parametrize("under", ["a.sqlite", "sub/a.sqlite"])
def test_an_archive_under_a_file_is_said_in_the_clis_words(tmp_path: Path, under: str) -> None:
    """A file where a folder of the archive's path should be: no raw "[Errno 17] File
    exists" or "[Errno 20] Not a directory", in Vietnamese then English (audit af21)."""
    results, units, inputs = classified("2026-03", {"A": 95.0, "B": 80.0})
    results.attrs.update(units=units, unit_inputs=inputs, period="2026-03")
    from evalkit.io.results import results_document

    path = tmp_path / "ket-qua.json"
    path.write_text(json.dumps(results_document(results), ensure_ascii=False), encoding="utf-8")
    (tmp_path / "blocked").write_text("not a folder", encoding="utf-8")
    archive = tmp_path / "blocked" / under
    code, _, err = run("finalize", str(path), "--archive", str(archive), "--by", "TCCB")
    assert code == 1
    assert err.strip() == (f"Lỗi: không mở được tệp lưu trữ: không tạo được {archive}: một "
                           "phần của đường dẫn là tệp, không phải thư mục")  # fmt: skip
    code, _, err = run("finalize", str(path), "--archive", str(archive), "--by", "TCCB",
                       "--lang", "en")  # fmt: skip
    assert code == 1
    assert err.strip() == (f"Error: cannot open the archive: {archive} cannot be made: a part "
                           "of its path is a file, not a folder")  # fmt: skip
    assert (tmp_path / "blocked").read_text(encoding="utf-8") == "not a folder"


def small_archive(path: Path) -> Path:
    """One finalized month of three people (with inputs)."""
    results, units, inputs = classified("2026-03", {"A": 95.0, "B": 80.0, "C": 60.0})
    with Archive(path) as arc:
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
    return path


class TestVerifyWords:
    def test_an_intact_archive_is_reported_in_vietnamese_then_english(self, tmp_path: Path) -> None:
        """The head line, the month's line and the verdict, in both languages."""
        path = small_archive(tmp_path / "a.sqlite")
        with Archive(path) as arc:
            seal = arc.months()[0].head[:16] + "…"
        code, out, _ = run("archive", "verify", str(path))
        assert code == 0
        assert out.splitlines() == [
            f"tệp lưu trữ {path} (cấu trúc phiên bản 5): 1 tháng",
            f"  2026-03        3 kết quả    0 điều chỉnh  dấu niêm phong {seal}  khớp",
            "mọi tháng đều khớp với dấu niêm phong"]
        assert all(foreign(line) == [] for line in out.splitlines())
        code, out, _ = run("archive", "verify", str(path), "--lang", "en")
        assert code == 0
        assert out.splitlines() == [
            f"archive {path} (schema version 5): 1 month(s)",
            f"  2026-03        3 rows    0 amendment(s)  seal {seal}  ok",
            "every month matches its seal"]

    def test_an_edited_row_is_named_in_vietnamese_then_english(self, tmp_path: Path) -> None:
        """A grade changed with plain SQL (triggers dropped): the month, the person and
        what does not match; the triggers' absence said without their names."""
        path = small_archive(tmp_path / "a.sqlite")
        db_triggers = ["DROP TRIGGER IF EXISTS results_immutable_u"]
        raw(path, *db_triggers,
            "UPDATE results SET grade = 'HT' WHERE period = '2026-03' AND staff_id = 'B'")
        code, _, err = run("archive", "verify", str(path))
        assert code == 1
        lines = err.splitlines()
        assert lines[1].endswith("KHÔNG KHỚP")
        assert lines[2:] == [
            "2 lỗi:",
            "  - thiếu một cơ chế chống sửa của kết quả cá nhân (bị xóa ngoài chương trình)",
            "  - 2026-03, người được đánh giá B: kết quả cá nhân không khớp với dấu niêm phong của tháng "
            "(bị sửa hoặc thêm ngoài chương trình)"]
        assert all(foreign(line) == [] for line in lines)
        code, _, err = run("archive", "verify", str(path), "--lang", "en")
        assert code == 1
        assert err.splitlines()[1].endswith("MISMATCH")
        assert err.splitlines()[2:] == [
            "2 problem(s):",
            "  - the trigger results_immutable_u is missing (dropped outside evalkit)",
            "  - 2026-03, staff B: the staff result does not match the month's seal (changed "
            "or added outside evalkit)"]

    def test_a_read_of_an_edited_archive_names_the_row_in_the_language(
        self, tmp_path: Path
    ) -> None:
        """`annual` on the edited archive: the integrity error, Vietnamese then English."""
        path = small_archive(tmp_path / "a.sqlite")
        raw(path, "DROP TRIGGER IF EXISTS results_immutable_u",
            "UPDATE results SET grade = 'HT' WHERE period = '2026-03' AND staff_id = 'B'")
        code, _, err = run("annual", "--archive", str(path), "--year", "2026")
        assert code == 1
        assert err.strip() == (f"Lỗi: tệp lưu trữ {path} không còn nguyên vẹn: 2026-03, người được đánh giá B: "
                               "kết quả cá nhân không khớp với dấu niêm phong của tháng (bị "
                               "sửa hoặc thêm ngoài chương trình)")
        code, _, err = run("annual", "--archive", str(path), "--year", "2026", "--lang", "en")
        assert err.strip() == (f"Error: archive integrity of {path}: 2026-03, staff B: the staff "
                               "result does not match the month's seal (changed or added "
                               "outside evalkit)")


# =========================================================================== rules


class TestRuleWords:
    def test_rules_list_says_periods_and_statuses_in_vietnamese(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`rules list`: năm, quý, tháng; đã đối chiếu văn bản … — English with --lang en."""
        monkeypatch.setenv("COLUMNS", "400")  # one line per rule set
        code, out, _ = run("rules", "list")
        assert code == 0
        cells = {c.strip() for line in out.splitlines() for c in line.split("│")}
        assert {"năm", "tháng, năm", "quý, năm", "chưa có nguồn", "theo nguồn thứ cấp"} <= cells
        assert not cells & {"year", "month, year", "quarter, year", "unsourced", "secondary"}
        code, out, _ = run("rules", "list", "--lang", "en")
        cells = {c.strip() for line in out.splitlines() for c in line.split("│")}
        assert {"year", "month, year", "quarter, year", "unsourced", "secondary"} <= cells

    def test_rules_show_says_periods_and_statuses_in_vietnamese(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`rules show`: the set's status, classified periods and the status counts."""
        monkeypatch.setenv("COLUMNS", "400")
        rs = evalkit.rules.get("vn.nd90-2020")
        code, out, _ = run("rules", "show", rs.id)
        assert code == 0
        lines = out.splitlines()
        assert lines[2] == "mức tin cậy của căn cứ: theo nguồn thứ cấp"
        assert lines[3] == f"kỳ xếp loại: năm ({rs.classified_source})"
        assert lines[-1] == ("các mức tin cậy: đã đối chiếu văn bản 2, theo nguồn thứ cấp 4, "
                             "thực tiễn 12")
        for line in (lines[2], lines[-1], lines[3].split(" (")[0]):
            assert foreign(line) == [], line
        rows = [c.strip() for line in lines for c in line.split("│")]
        assert "đã đối chiếu văn bản" in rows and "verified" not in rows
        code, out, _ = run("rules", "show", rs.id, "--lang", "en")
        lines = out.splitlines()
        assert lines[2] == "source status: secondary"
        assert lines[3] == f"classified: year ({rs.classified_source})"
        assert lines[-1] == "statuses: verified 2, secondary 4, practice 12"


# =========================================================================== annual --pdf


@pytest.fixture(scope="module")
def year_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three finalized months of three people (the third one weaker in March)."""
    tmp = tmp_path_factory.mktemp("nam")
    archive = tmp / "luu-tru.sqlite"
    for m in (1, 2, 3):
        book = filled_workbook(tmp / f"thang-{m:02d}.xlsx", [
            person("CC-1"), person("CC-2", tien_do=60),
            person("CC-3", tien_do=70 if m == 3 else 100)], period=f"2026-{m:02d}")  # fmt: skip
        code, _, err = run("finalize", str(book), "--archive", str(archive), "--by", "TCCB")
        assert code == 0, err
    return archive


class TestAnnualPdf:
    def test_annual_pdf_writes_one_sheet_per_person_of_the_year(
        self, tmp_path: Path, year_archive: Path
    ) -> None:
        """Each PDF holds the person's name and the annual total and grade of the table."""
        from pypdf import PdfReader

        code, out, _ = run("annual", "--archive", str(year_archive), "--year", "2026",
                           "--json", "--pdf", str(tmp_path / "phieu"))  # fmt: skip
        assert code == 0
        doc = json.loads(out)
        rows = doc["results"]["data"]["rows"]
        assert len(rows) == 3 and all(r["annual_grade"] for r in rows)  # all classified
        files = sorted(Path(f) for f in doc["pdf"]["files"] if Path(f).parent.name != "units")
        assert files == sorted((tmp_path / "phieu").glob("*.pdf")) and len(files) == len(rows)
        summaries = sorted(Path(f) for f in doc["pdf"]["files"] if Path(f).parent.name == "units")
        assert summaries == sorted((tmp_path / "phieu" / "units").glob("*.pdf"))
        assert len(summaries) == len({r["unit_id"] for r in rows})  # one per unit
        rs = evalkit.rules.get("vn.nd335-2025")
        for r in rows:
            (pdf,) = [f for f in files if f"_{r['staff_id']}_" in f.name]
            text = " ".join(p.extract_text() for p in PdfReader(pdf).pages).replace("\xa0", " ")
            grade = rs.grade_label(Grade[r["annual_grade"]], "vi")
            assert f"Họ và tên: {r['full_name']}" in text
            assert f"Điểm năm {fmt_number(r['annual_total'], 'vi')} " in text
            assert f"Xếp loại chất lượng: {grade}" in text
        code, out, _ = run("annual", "--archive", str(year_archive), "--year", "2026",
                           "--pdf", str(tmp_path / "lai"))  # fmt: skip
        n = len(rows) + len(summaries)  # the sheets and the units' summaries
        assert code == 0 and out.splitlines()[-1] == f"đã ghi {n} tệp vào {tmp_path / 'lai'}"

    def test_annual_pdf_is_render_period_year_byte_for_byte(
        self, tmp_path: Path, year_archive: Path
    ) -> None:
        """`annual --pdf DIR` and `render --period 2026 --archive FILE --out DIR`: the same
        files with the same bytes (one code path)."""
        assert run("annual", "--archive", str(year_archive), "--year", "2026", "--pdf",
                   str(tmp_path / "a"))[0] == 0  # fmt: skip
        assert run("render", "--period", "2026", "--archive", str(year_archive), "--out",
                   str(tmp_path / "r"))[0] == 0  # fmt: skip
        a = {f.relative_to(tmp_path / "a"): f.read_bytes() for f in (tmp_path / "a").rglob("*.pdf")}
        r = {f.relative_to(tmp_path / "r"): f.read_bytes() for f in (tmp_path / "r").rglob("*.pdf")}
        assert a and a == r and any(f.parts[0] == "units" for f in a)
