"""af210: the rule author's door — ``rules diff`` writes all its files or none, and the
Vietnamese impact page prints no code.

1. ``rules diff OLD NEW --csv OUT.csv --pdf OUT.pdf`` wrote the four CSV files first and
   the PDF last: a PDF that failed (rendering raising, a folder that takes no file) left
   the CSVs of the run in place, beside or over the files a person had. Now every file is
   written to a temporary file beside it and they are renamed together at the end
   (:func:`evalkit._files.atomic_paths`, over the one atomic writer): a failure leaves
   no new file and every old one byte for byte — on the command line and in Python
   (:meth:`ImpactReport.write`) alike.
2. The page's quota table named a similar-duty group by the data's code
   (``Phòng Công chức, viên chức / chuyen_mon``) and its table of rules changed the
   jurisdictions by theirs (``vn`` → ``vn.mau``). A Vietnamese sheet is a legal document:
   no code. A duty group the data name in words is printed as typed, one typed as a code
   is the unit's group numbered ("nhóm 1"); a jurisdiction is "Toàn quốc" or the place
   where the set (the header names it) applies: "Nơi áp dụng bộ sau". The CSV, ``--json``
   and the terminal's table of rules changed keep the codes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import evalkit.render
from evalkit import impact
from evalkit.errors import OutputError, RenderError
from evalkit.impact import ImpactReport, compare_rule_sets, demo_data
from tests._cli_helpers import run
from tests.helpers import pdf_text
from tests.test_acceptance_rules_af199 import GOOD, NATIONAL, write
from tests.test_hunt_af110 import _month
from tests.test_impact_vi_af206 import NEW, OLD
from tests.test_rule_report_af201 import _rules_table

OLD_CSV = b"staff_id,old\r\nA,HTT\r\n"


def _fail_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(html: str, *args: object, **kwargs: object) -> bytes:
        raise RenderError("the PDF could not be rendered (test)")

    monkeypatch.setattr(evalkit.render, "html_to_pdf", boom)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ------------------------------------------------------------ 1. all the files or none


class TestRulesDiffWritesAllOrNothing:
    def test_a_pdf_that_fails_to_render_leaves_no_new_csv_and_the_old_one_as_it_was(
            self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
        """``--force`` over an old OUT.csv, the PDF raising: no OUT.*.csv, no temporary
        file, the old OUT.csv byte for byte (before: four CSVs written, the old one
        replaced)."""
        (tmp_path / "diff.csv").write_bytes(OLD_CSV)
        _fail_rendering(monkeypatch)
        code, out, err = run("rules", "diff", OLD, NEW, "--data", "demo", "--csv",
                             str(tmp_path / "diff.csv"), "--pdf", str(tmp_path / "diff.pdf"),
                             "--force")  # fmt: skip
        assert code != 0, (out, err)
        assert _files(tmp_path) == {"diff.csv": OLD_CSV}

    def test_a_pdf_folder_that_takes_no_file_leaves_no_csv(self, tmp_path: Path) -> None:
        """The PDF in a folder that is there but takes no new file (``/proc``): exit 1,
        the sentence naming the PDF, and none of the CSVs written."""
        if not Path("/proc").is_dir():
            pytest.skip("no /proc")
        (tmp_path / "diff.csv").write_bytes(OLD_CSV)
        code, out, err = run("rules", "diff", OLD, NEW, "--data", "demo", "--csv",
                             str(tmp_path / "diff.csv"), "--pdf", "/proc/af210-diff.pdf",
                             "--force")  # fmt: skip
        assert code == 1, (out, err)
        assert "/proc/af210-diff.pdf" in err
        assert _files(tmp_path) == {"diff.csv": OLD_CSV}

    def test_the_python_door_writes_all_or_none_too(
            self, demo_report: ImpactReport, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
        """``report.write(csv, pdf)``: the files of ``output_paths`` when it succeeds (the
        command line's, byte for byte), none when the PDF fails."""
        (tmp_path / "py").mkdir()
        (tmp_path / "py" / "diff.csv").write_bytes(OLD_CSV)
        with monkeypatch.context() as m:
            _fail_rendering(m)
            with pytest.raises(RenderError):
                demo_report.write(tmp_path / "py" / "diff.csv", tmp_path / "py" / "diff.pdf")
        assert _files(tmp_path / "py") == {"diff.csv": OLD_CSV}
        written = demo_report.write(tmp_path / "py" / "diff.csv", tmp_path / "py" / "diff.pdf")
        assert written == impact.output_paths(tmp_path / "py" / "diff.csv", tmp_path / "py" / "diff.pdf")
        assert sorted(_files(tmp_path / "py")) == sorted(p.name for p in written) == [
            "diff.csv", "diff.distribution.csv", "diff.pdf", "diff.quota.csv", "diff.rules.csv"]
        (tmp_path / "cli").mkdir()
        code, out, err = run("rules", "diff", OLD, NEW, "--data", "demo", "--csv",
                             str(tmp_path / "cli" / "diff.csv"), "--pdf",
                             str(tmp_path / "cli" / "diff.pdf"))  # fmt: skip
        assert code == 0, err
        for p in written:
            assert str(tmp_path / "cli" / p.name) in out
        assert _files(tmp_path / "cli") == _files(tmp_path / "py")

    def test_an_unwritable_pdf_in_python_is_an_output_error_and_writes_nothing(
            self, demo_report: ImpactReport, tmp_path: Path) -> None:  # fmt: skip
        """The Python door says the same :class:`OutputError` and writes no CSV."""
        if not Path("/proc").is_dir():
            pytest.skip("no /proc")
        with pytest.raises(OutputError, match="af210"):
            demo_report.write(tmp_path / "diff.csv", "/proc/af210.pdf")
        assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------ 2. no code on the Vietnamese page


def test_the_vietnamese_page_names_duty_groups_in_words(
        demo_report: ImpactReport, tmp_path: Path) -> None:  # fmt: skip
    """The demo's duty groups are codes (``chuyen_mon``, ``ho_tro``, ``tong_hop``): the
    page numbers them within their unit (Văn phòng Sở has two: ``ho_tro`` before
    ``tong_hop``), the CSV keeps the codes."""
    said = pdf_text(demo_report.to_pdf(tmp_path / "vi.pdf"))
    codes = {str(g) for g in demo_data().staff_months["duty_group"].dropna()}
    assert codes and not [c for c in codes if c in said]
    assert "Văn phòng Sở / nhóm 1" in said and "Văn phòng Sở / nhóm 2" in said
    assert "Phòng Công chức, viên chức / nhóm 1" in said
    demo_report.to_csv(tmp_path / "q.csv", "quota")
    kept = pd.read_csv(tmp_path / "q.csv", encoding="utf-8-sig", dtype=str)["duty_group"]
    assert set(kept.dropna()) <= codes and {"ho_tro", "tong_hop"} <= set(kept)


def test_a_duty_group_named_in_words_is_printed_as_typed(tmp_path: Path) -> None:
    """A group the data name in words ("Chuyên môn") is the unit's own name for it."""
    data = demo_data()
    months = data.staff_months.assign(duty_group=data.staff_months["duty_group"].replace(
        {"chuyen_mon": "Chuyên môn", "ho_tro": "Hỗ trợ"}))  # fmt: skip
    report = compare_rule_sets(OLD, NEW, months, data.units, fill=data.fill)
    said = pdf_text(report.to_pdf(tmp_path / "vi.pdf"))
    assert "Văn phòng Sở / Hỗ trợ" in said and "Văn phòng Sở / nhóm 1" in said  # tong_hop
    assert "/ Chuyên môn" in said and "tong_hop" not in said


def test_the_vietnamese_page_names_jurisdictions_in_words(tmp_path: Path) -> None:
    """NĐ 335/2025 (``vn``) → af199's Tỉnh Mẫu (``vn.mau``, Quyết định 12/2026/QĐ-UBND):
    the row "Địa bàn áp dụng" reads "Toàn quốc" → "Nơi áp dụng bộ sau" (the header names
    the set: "Sau: Quyết định 12/2026/QĐ-UBND — … tỉnh Mẫu"); the CSV keeps ``vn`` and
    ``vn.mau``."""
    province = write(tmp_path, GOOD)
    pdf, csv = tmp_path / "p.pdf", tmp_path / "p.csv"
    code, _out, err = run("rules", "diff", NATIONAL, str(province), "--data", "demo",
                         "--csv", str(csv), "--pdf", str(pdf))  # fmt: skip
    assert code == 0, err
    said = pdf_text(pdf)
    assert "Toàn quốc" in said and "Nơi áp dụng bộ sau" in said
    assert "Sau: Quyết định 12/2026/QĐ-UBND" in said
    data = demo_data()
    report = compare_rule_sets(NATIONAL, province, data.staff_months, data.units,
                               fill=data.fill)  # fmt: skip
    assert _rules_table(report.to_html("vi"))[0] == (
        "Địa bàn áp dụng", "Toàn quốc", "Nơi áp dụng bộ sau", "Quyết định 12/2026/QĐ-UBND")
    assert not [c for c in ("vn.mau", "vn") if f" {c} " in f" {said} "]
    rules = pd.read_csv(tmp_path / "p.rules.csv", encoding="utf-8-sig", dtype=str)
    assert rules.iloc[0].tolist()[:3] == ["jurisdiction", "vn", "vn.mau"]


# -------------------------------------------- 3. annual --pdf DIR --out FILE, the same


@pytest.fixture(scope="module")
def year_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """af110's finalized month (three people of one unit) in an archive."""
    month = _month(tmp_path_factory.mktemp("month") / "thang-03.xlsx")
    arc = tmp_path_factory.mktemp("archive") / "luu-tru.sqlite"
    code, stdout, err = run("finalize", str(month), "--by", "TCCB", "--archive", str(arc))
    assert code == 0, (stdout, err)
    return arc


def test_annual_writes_no_sheet_when_its_results_file_fails_while_written(
        year_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """`annual --pdf DIR --out FILE` whose FILE fails as it is written (a disk that fills
    up: nothing in its way beforehand) leaves no sheet in DIR: FILE is written before the
    sheets are moved in (before: the sheets were in DIR, then FILE failed)."""
    import evalkit.io.results

    def full(*args: object, **kwargs: object) -> Path:
        raise OutputError("cannot write 'nam.csv': no space left on the disk (test)")

    monkeypatch.setattr(evalkit.io.results, "write_results", full)
    pdf, out = tmp_path / "phieu-nam", tmp_path / "nam.csv"
    code, stdout, err = run("annual", "--year", "2026", "--archive", str(year_archive),
                            "--pdf", str(pdf), "--out", str(out), "--lang", "en")  # fmt: skip
    assert code == 1, (stdout, err)
    assert "no space left" in err
    assert list(tmp_path.iterdir()) == []
