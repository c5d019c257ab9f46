"""The rule author's report, finished (af201, after af199): ``rules diff --csv`` writes the
rules changed beside the other tables, the printed impact report lists them in words with
their citations, and ``rules check`` warns of a percentage written as a fraction.

The province is af199's Tỉnh Mẫu: Quyết định 12/2026/QĐ-UBND on top of NĐ 335/2025/NĐ-CP,
in force from 1/1/2027, HTXS from 92 points (Điều 4 k1; HTT up to 92, k2) and a 15 % quota
(Điều 5). Every expectation comes from that decision, not from evalkit's output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
from evalkit.impact import RULE_COLUMNS, compare_rule_sets
from tests._cli_helpers import run
from tests._sheet_audit import html_text
from tests.test_acceptance_rules_af199 import (
    DECISION,
    GOOD,
    HEAD,
    NATIONAL,
    TASK_91,
    bands,
    month_row,
    quota,
    write,
)

pypdf = pytest.importorskip("pypdf")

#: (item, before, after, citation): the decision's rules and dates (af199's acceptance)
WANT = [
    ("jurisdiction", "vn", "vn.mau", "Quyết định 12/2026/QĐ-UBND"),
    ("effective_from", "2026-01-01", "2027-01-01", "Quyết định 12/2026/QĐ-UBND"),
    ("bands[HTT].max", 90, 92, f"{DECISION}, Điều 4 k2"),
    ("bands[HTXS].min", 90, 92, f"{DECISION}, Điều 4 k1"),
    ("quota.percent", 20, 15, f"{DECISION}, Điều 5"),
]

#: The same rules as a reader of the Vietnamese report reads them: the rule in words,
#: the values as Vietnamese write them (dates day/month/year), the citation.
WANT_VI = [
    ("Địa bàn áp dụng", "Toàn quốc", "Nơi áp dụng bộ sau", "Quyết định 12/2026/QĐ-UBND"),
    ("Ngày có hiệu lực", "01/01/2026", "01/01/2027", "Quyết định 12/2026/QĐ-UBND"),
    ("Loại HTT: điểm đến", "90", "92", f"{DECISION}, Điều 4 k2"),
    ("Loại HTXS: điểm từ", "90", "92", f"{DECISION}, Điều 4 k1"),
    ("Tỷ lệ khống chế (%)", "20", "15", f"{DECISION}, Điều 5"),
]


@pytest.fixture
def province(tmp_path: Path) -> Path:
    return write(tmp_path, GOOD)


def _rules_table(html: str) -> list[tuple[str, ...]]:
    """The rows of the page's table of rules changed, as a reader sees each cell."""
    m = re.search(r'<table class="grid rules">(.*?)</table>', html, re.S)
    assert m is not None, "the page has no table of rules changed"
    rows = re.findall(r"<tr>(.*?)</tr>", m[1], re.S)
    return [tuple(html_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S))
            for r in rows[1:]]  # fmt: skip


def _csv_rows(path: Path) -> list[tuple[object, ...]]:
    """The rows of a rules CSV, numbers read as numbers (90.0 == 90)."""
    table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table.columns) == list(RULE_COLUMNS)

    def value(v: str) -> object:
        try:
            return float(v)
        except ValueError:
            return v

    return [(r["item"], value(r["old"]), value(r["new"]), r["source"])
            for r in table.to_dict("records")]  # fmt: skip


# =========================================================================== --csv


class TestTheRulesTableIsWrittenAsCsv:
    def test_rules_diff_csv_writes_the_rules_beside_the_other_tables(
            self, province: Path, tmp_path: Path) -> None:  # fmt: skip
        """`--csv OUT.csv` writes OUT.rules.csv (as OUT.distribution.csv, OUT.quota.csv):
        the same rows as `--json` and as `report.to_csv(path, "rules")`."""
        out = tmp_path / "diff.csv"
        code, stdout, err = run("rules", "diff", NATIONAL, str(province), "--data", "demo",
                                "--csv", str(out), "--lang", "en")  # fmt: skip
        assert code == 0, (stdout, err)
        written = tmp_path / "diff.rules.csv"
        assert str(written) in stdout
        assert _csv_rows(written) == WANT
        raw = written.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # every evalkit CSV
        code, stdout, _err = run("rules", "diff", NATIONAL, str(province), "--data", "demo",
                                 "--json")  # fmt: skip
        assert [tuple(r.values()) for r in json.loads(stdout)["rules"]] == WANT
        frame = pd.DataFrame([month_row("A", "2027-01", TASK_91)])
        report = compare_rule_sets(NATIONAL, province, frame)
        assert _csv_rows(report.to_csv(tmp_path / "py.csv", "rules")) == WANT

    def test_a_list_value_is_written_as_json(self, tmp_path: Path) -> None:
        """NĐ 90/2020 → NĐ 233/2026 changes lists (a block's inputs, the management
        values): each CSV cell reads back as the value `--json` gives, never Python's repr."""
        from evalkit.impact import demo_data

        data = demo_data()
        report = compare_rule_sets("vn.nd90-2020", "vn.nd233-2026", data.staff_months,
                                   data.units, fill=data.fill)  # fmt: skip
        table = pd.read_csv(report.to_csv(tmp_path / "r.csv", "rules"), encoding="utf-8-sig",
                            dtype=str, keep_default_na=False)  # fmt: skip
        lists = [(cell, want) for r, row in zip(report.to_dict()["rules"],
                                                 table.to_dict("records"), strict=True)
                 for cell, want in ((row["old"], r["old"]), (row["new"], r["new"]))
                 if isinstance(want, list)]  # fmt: skip
        assert lists and all(json.loads(cell) == want for cell, want in lists)

    def test_an_existing_rules_csv_is_not_replaced_without_force(
            self, province: Path, tmp_path: Path) -> None:  # fmt: skip
        """The one guard of every command: exit 1 before any work, nothing written."""
        (tmp_path / "diff.rules.csv").write_text("mine", encoding="utf-8")
        out = tmp_path / "diff.csv"
        code, _stdout, err = run("rules", "diff", NATIONAL, str(province), "--data", "demo",
                                 "--csv", str(out), "--lang", "en")  # fmt: skip
        assert code == 1 and "diff.rules.csv" in err, err
        assert not out.exists() and (tmp_path / "diff.rules.csv").read_text() == "mine"
        code, _stdout, err = run("rules", "diff", NATIONAL, str(province), "--data", "demo",
                                 "--csv", str(out), "--force")  # fmt: skip
        assert code == 0, err
        assert _csv_rows(tmp_path / "diff.rules.csv") == WANT


# =========================================================================== the PDF


class TestThePrintedReportListsTheRulesChanged:
    def test_the_vietnamese_page_names_each_rule_in_words_with_its_citation(
            self, province: Path) -> None:  # fmt: skip
        """Each changed rule, old → new, cited as the decision cites it; no key path, no
        ISO date, no English on the Vietnamese page (a signed report is a legal document)."""
        frame = pd.DataFrame([month_row("A", "2027-01", TASK_91)])
        report = compare_rule_sets(NATIONAL, province, frame)
        html = report.to_html("vi")
        assert "Quy định thay đổi" in html_text(html)
        rows = _rules_table(html)
        assert rows == WANT_VI
        said = " ".join(" ".join(r) for r in rows)
        for code in ("bands[", "quota.percent", "effective_from", "jurisdiction",
                     "2027-01-01", "Rules changed", "Quota"):  # fmt: skip
            assert code not in said, code

    def test_the_english_page_says_them_in_english(self, province: Path) -> None:
        frame = pd.DataFrame([month_row("A", "2027-01", TASK_91)])
        rows = _rules_table(compare_rule_sets(NATIONAL, province, frame).to_html("en"))
        assert [r[0] for r in rows] == ["Jurisdiction", "In force from", "HTT: up to (points)",
                                        "HTXS: from (points)", "Quota share (%)"]
        assert rows[1][1:3] == ("2026-01-01", "2027-01-01")

    def test_the_pdf_is_one_page_with_the_rules_and_their_citations(
            self, province: Path, tmp_path: Path) -> None:  # fmt: skip
        """`rules diff --pdf`: one page, the section and the decision's article printed."""
        pdf = tmp_path / "diff.pdf"
        code, _out, err = run("rules", "diff", NATIONAL, str(province), "--data", "demo",
                              "--pdf", str(pdf))  # fmt: skip
        assert code == 0, err
        reader = pypdf.PdfReader(str(pdf))
        assert len(reader.pages) == 1
        text = " ".join(reader.pages[0].extract_text().split())
        assert "Quy định thay đổi" in text and "Tỷ lệ khống chế (%)" in text
        assert "Điều 5" in text and "01/01/2027" in text

    def test_a_new_decree_stays_on_one_page_and_shows_no_rule_file_ids(
            self, tmp_path: Path) -> None:  # fmt: skip
        """NĐ 90/2020 → NĐ 233/2026 changes over a hundred items (new criteria): the page
        shows the rules it can name in words, points to the CSV for the rest, one page;
        no criterion id or key path appears in the section."""
        from evalkit.impact import demo_data

        data = demo_data()
        report = compare_rule_sets("vn.nd90-2020", "vn.nd233-2026", data.staff_months,
                                   data.units, fill=data.fill)  # fmt: skip
        html = report.to_html("vi")
        rows = _rules_table(html)
        assert 0 < len(rows) < len(report.rules)
        assert f"… và {len(report.rules) - len(rows)} dòng nữa (xem tệp CSV)" in html_text(html)
        criteria = {c.id for rs in (report.old, report.new) for c in rs.criteria()}
        for row in rows:
            assert not re.search(r"[\[\]_]", " ".join(row)), row
            assert not criteria & set(" ".join(row).replace(",", " ").split()), row
        reader = pypdf.PdfReader(str(report.to_pdf(tmp_path / "big.pdf")))
        assert len(reader.pages) == 1


    def test_a_long_quota_table_and_many_rules_still_fit_one_page(self, tmp_path: Path) -> None:
        """12 quota groups (9 shown) and 9 rules changed: the page keeps fewer rules,
        says how many more the CSV has, and stays one page in either language."""
        import datetime as dt

        from tests.test_impact import _people, _variant

        base = evalkit.rules.get(NATIONAL)
        assert base.quota is not None and base.units is not None
        frame = _people(base, {f"P{i:02d}": 20.5 for i in range(48)})
        frame["unit_id"] = [f"Phòng số {i % 12:02d}" for i in range(48)]
        old = attrs.evolve(_variant(base, "t.90", 90), quota=base.quota)
        new = attrs.evolve(
            _variant(base, "t.92", 92), jurisdiction="vn.mau", effective_from=dt.date(2027, 1, 1),
            quota=attrs.evolve(base.quota, percent=15.0, percent_if_unit_excellent=18.0),
            units=attrs.evolve(base.units, kht_below_done_percent=60.0,
                               excellent_on_time_percent=90.0, excellent_share_percent=20.0))
        report = compare_rule_sets(old, new, frame)
        assert len(report.rules) == 9 and len(report.quota) == 12
        for lang in ("vi", "en"):
            reader = pypdf.PdfReader(str(report.to_pdf(tmp_path / f"{lang}.pdf", lang=lang)))
            assert len(reader.pages) == 1, lang
        shown = _rules_table(report.to_html("vi"))
        assert f"… và {9 - len(shown)} dòng nữa" in html_text(report.to_html("vi"))


# =========================================================================== fractions


#: A percentage written as a fraction, by TOML key (``raised_percent`` is the field
#: ``percent_if_unit_excellent``), the item ``rules check`` names and its per cent. (A
#: management share of 0.5 already fails the invariants: the leader's values read 0.5.)
FRACTIONS = {
    "quota": ("[quota]\npercent = 0.15\n", "quota.percent", "15"),
    # (a fraction under a per-cent ``percent`` is refused: below it, k5 b)
    "raised": ("[quota]\npercent = 0.15\nraised_percent = 0.25\n",
               "quota.percent_if_unit_excellent", "25"),
    "units": ("[units]\nexcellent_share_percent = 0.2\n", "units.excellent_share_percent",
              "20"),
}


class TestAPercentageWrittenAsAFraction:
    @pytest.mark.parametrize("case", list(FRACTIONS))
    def test_rules_check_warns_and_says_what_to_write(self, case: str,
                                                      tmp_path: Path) -> None:  # fmt: skip
        """`percent = 0.15` is read as 0.15 % (valid: 0 ≤ p ≤ 100): the file is valid
        (exit 0) but `rules check` says, in Vietnamese by default, to write 15 for 15 %."""
        table, item, pct = FRACTIONS[case]
        path = write(tmp_path, HEAD + bands() + table.replace(
            "\n", f'\nsource = "{DECISION}, Điều 5"\n', 1))  # fmt: skip
        code, out, err = run("rules", "check", str(path), "--examples", "5")
        assert code == 0 and "hợp lệ" in out, (out, err)
        assert f"`{item}`" in err and f"ghi {pct} cho {pct} %" in err, err
        code, out, err = run("rules", "check", str(path), "--examples", "5", "--lang", "en")
        assert code == 0 and f"write {pct} for {pct} %" in err, err
        code, out, _err = run("rules", "check", str(path), "--examples", "5", "--json")
        warnings = json.loads(out)["warnings"]
        assert [w for w in warnings if item in w and f"{pct} %" in w], warnings

    def test_a_file_in_per_cent_gets_no_such_warning(self, tmp_path: Path) -> None:
        code, _out, err = run("rules", "check", str(write(tmp_path, HEAD + bands() + quota(15))),
                              "--examples", "5")  # fmt: skip
        assert code == 0 and err == "", err

    def test_no_preset_writes_a_fraction(self) -> None:
        """The shipped sets write every percentage in per cent."""
        assert {rs.id: evalkit.rules.fraction_percents(rs) for rs in evalkit.rules.available()
                if evalkit.rules.fraction_percents(rs)} == {}  # fmt: skip

    @settings(max_examples=40, deadline=None, derandomize=True, database=None)
    @given(st.floats(min_value=0, max_value=100, allow_nan=False))
    def test_only_a_share_between_0_and_1_is_said(self, value: float) -> None:
        """Any per-cent key: said exactly when 0 < value < 1 (0 and 1 % are per cent)."""
        nd233 = evalkit.rules.get("vn.nd233-2026")
        assert nd233.quota is not None
        rs = attrs.evolve(nd233, quota=attrs.evolve(nd233.quota, percent=value),
                          units=attrs.evolve(nd233.units, kht_below_done_percent=value),
                          management=attrs.evolve(nd233.management, reduced=value))
        said = {item for item, _v in evalkit.rules.fraction_percents(rs)}
        want = ({"quota.percent", "units.kht_below_done_percent", "management.reduced"}
                if 0 < value < 1 else set())
        assert said == want
