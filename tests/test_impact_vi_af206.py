"""af206: the Vietnamese impact report is a Vietnamese document, and the archive refuses a
unit name no sheet can print (issue 13: every door gives the same answer; a Vietnamese
sheet is a legal document — Vietnamese sentences with short citations, no codes, no
English).

1. ``evalkit rules diff … --pdf`` in Vietnamese named rule sets by their ids
   (``vn.nd90-2020``), units and quota groups by their ids (``SNV-CCVC / chuyen_mon``) and
   said its notes as English sentences built with criterion ids, translated word by word
   (``vn.nd90-2020 (OLD) cần 'ket_qua_don_vi' …``). Now: the rule sets by their short
   citation, the units by their names, the criteria by their labels, the notes as
   catalogue sentences (``impact.note.*``); a duty group by what the data call it (the
   model gives duty groups no other name: it is the unit's own name for the group) — one
   typed as a code is numbered within its unit since af210 (tests/test_rule_author_door_af210.py).
2. A unit's name (``name``, ``governing_body``, ``place``) in the unit tables of a month
   being archived was not checked for control characters, which every other name door
   refuses (``foreign.name_control``, tests/test_bad_names_af197.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import evalkit
from evalkit import messages
from evalkit.errors import InputError
from evalkit.impact import ImpactReport, compare_rule_sets, demo_data, load_data
from evalkit.io.archive import Archive
from evalkit.rules import RuleSet
from tests._archive_helpers import classified
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, person
from tests.helpers import pdf_text

# ------------------------------------------------------ 1. the Vietnamese impact report

OLD, NEW = "vn.nd90-2020", "vn.nd233-2026"


def codes_of(sets: list[RuleSet]) -> set[str]:
    """What the rule files call things and a Vietnamese page must not show: the sets' ids,
    the ids of their groups, criteria, blocks, caps and notices."""
    out = {rs.id for rs in sets}
    for rs in sets:
        out |= {x.id for x in (*rs.groups, *rs.criteria(), *rs.blocks, *rs.caps, *rs.notices)}
    return out


def english_of(sets: list[RuleSet]) -> set[str]:
    """The sets' English labels and titles (each a phrase a Vietnamese page must not show)."""
    out = {rs.title_en for rs in sets if rs.title_en != rs.title_vi}
    for rs in sets:
        out |= {x.label_en for x in (*rs.groups, *rs.criteria(), *rs.blocks, *rs.caps)
                if x.label_en and x.label_en != x.label_vi}  # fmt: skip
    return out


def shown(token: str, said: str) -> bool:
    return re.search(rf"(?<![\w.-]){re.escape(token)}(?![\w-])", said) is not None


def test_the_vietnamese_report_shows_no_code_and_no_english(
        demo_report: ImpactReport, tmp_path: Path) -> None:  # fmt: skip
    """NĐ 90/2020 → NĐ 233/2026 on the demo: no rule set, group, criterion, block or cap id,
    no unit id, no English label and no OLD / NEW / force=True on the Vietnamese page (before:
    ``vn.nd90-2020 (OLD) cần 'ket_qua_don_vi'``, ``SNV-CCVC / chuyen_mon``)."""
    said = pdf_text(demo_report.to_pdf(tmp_path / "vi.pdf"))
    # the sets compared and the one whose criteria the data also hold (NĐ 335's, the notes')
    sets = [demo_report.old, demo_report.new, evalkit.rules.get("vn.nd335-2025")]
    data = demo_data().staff_months
    found = sorted(t for t in codes_of(sets) | english_of(sets) | set(data["unit_id"])
                   | {"OLD", "NEW", "force=True", "block"} if shown(t, said))  # fmt: skip
    assert found == []
    # nor a duty group's code (af210: "nhóm 1", "nhóm 2" of the unit; the CSV keeps it)
    assert re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", said) == []


def test_the_vietnamese_page_names_sets_units_and_criteria_in_words(
        demo_report: ImpactReport, tmp_path: Path) -> None:  # fmt: skip
    """The sets by their citation, the units by their names, every note as its catalogue
    sentence in Vietnamese (a criterion by its label, a whole group by the group's)."""
    said = pdf_text(demo_report.to_pdf(tmp_path / "vi.pdf"))
    for words in ("Trước: NĐ 90/2020/NĐ-CP, sửa đổi bởi NĐ 48/2023/NĐ-CP",
                  "Sau: NĐ 233/2026/NĐ-CP", "Phòng Công chức, viên chức",
                  "Văn phòng Sở", "Sở Nội vụ tỉnh Sông Lam"):  # fmt: skip
        assert words in said, words
    keys = [n.key for n in demo_report.notes]
    assert keys == ["impact.note.filled", "impact.note.filled", "impact.note.block_filled",
                    "impact.note.ignores", "impact.note.neither", "impact.note.year_cited"]
    for note in demo_report.notes:
        assert note.text("vi") in said, note.text("vi")
    # written here from NĐ 90/2020's criterion (d) and NĐ 233/2026's (d), not copied
    assert ("NĐ 90/2020/NĐ-CP, sửa đổi bởi NĐ 48/2023/NĐ-CP (bộ trước) cần tiêu chí “(d) Kết "
            "quả hoạt động của đơn vị được giao lãnh đạo, quản lý” nhưng dữ liệu không có: "
            "lấy điểm của tiêu chí “(d) Kết quả hoạt động của đơn vị thuộc phạm vi quản lý "
            "hoặc lĩnh vực được giao quản lý, phụ trách”") in said
    assert "cần các tiêu chí của nhóm “Tiêu chí chung” nhưng dữ liệu không có" in said


def test_the_english_notes_keep_the_ids(demo_report: ImpactReport) -> None:
    """English (the library's language, ``--json``, ``--lang en``) names the ids, as before."""
    notes = [str(n) for n in demo_report.notes]
    assert notes[0] == ("vn.nd90-2020 (OLD) needs 'ket_qua_don_vi', which the data lack: "
                        "taken from 'ket_qua_linh_vuc'")
    assert demo_report.to_dict()["notes"] == notes
    html = demo_report.to_html("en")
    assert "needs chinh_tri, dao_duc, tac_phong, ky_luat, which the data lack" in html
    assert "Before (OLD)" in html and "vn.nd233-2026" in html


def test_the_command_line_writes_the_same_page_and_says_the_same_notes(
        demo_report: ImpactReport, tmp_path: Path) -> None:  # fmt: skip
    """``rules diff --pdf`` writes the API's page byte for byte; its Vietnamese notes are
    the report's notes in Vietnamese."""
    pdf = tmp_path / "cli.pdf"
    code, out, err = run("rules", "diff", OLD, NEW, "--data", "demo", "--pdf", str(pdf))
    assert code == 0, err
    assert pdf.read_bytes() == demo_report.to_pdf(tmp_path / "api.pdf").read_bytes()
    flat = " ".join(out.split())
    for note in demo_report.notes:
        assert " ".join(note.text("vi").split()) in flat


def test_a_workbooks_unit_names_reach_the_report(tmp_path: Path) -> None:
    """The units sheet's names (read, no longer dropped) name the units on the page."""
    book = filled_workbook(tmp_path / "t.xlsx", [person("A"), person("B")],
                           units=[{"unit_id": "P1", "name": "Phòng Tổ chức cán bộ",
                                   "head_id": None}])  # fmt: skip
    data = load_data(book)
    report = compare_rule_sets("vn.nd335-2025", "vn.nd335-2025", data.staff_months,
                               data.units, level="period")  # fmt: skip
    assert report.unit_names == {"P1": "Phòng Tổ chức cán bộ"}
    assert "Phòng Tổ chức cán bộ" in pdf_text(report.to_pdf(tmp_path / "t.pdf"))

# ------------------------------------------------ 2. a unit's name in the archived tables

CONTROL = messages.msg("foreign.name_control")


@pytest.mark.parametrize("column", ["name", "governing_body", "place"])
@pytest.mark.parametrize("table", ["units", "unit_inputs"])
def test_a_control_character_in_an_archived_units_name_is_refused(
        tmp_path: Path, column: str, table: str) -> None:  # fmt: skip
    """Both unit tables of ``finalize`` (the unit results and the unit inputs) refuse a
    name holding a control character with every door's sentence, naming the table, the
    row, the column, the value and the unit; nothing is archived (before: accepted)."""
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    tables = {"units": unit_results.copy(), "unit_inputs": inputs.copy()}
    tables[table][column] = ["Phòng\tTổ chức"]
    what = messages.msg("archive.check.what." + ("units" if table == "units" else "inputs"))
    with Archive(tmp_path / "a.sqlite") as arc:
        with pytest.raises(InputError) as err:
            arc.finalize(results, by="TCCB", **tables)
        found = [p for p in err.value.problems if p.column == column]
        assert [(p.row, p.value, p.unit_id, p.message) for p in found] == [
            (0, "Phòng\tTổ chức", "U1", f"{what.text('en')}: {CONTROL.text('en')}")]
        assert messages.sentence(found[0], "vi") == f"{what.text('vi')}: {CONTROL.text('vi')}"
        assert arc.months() == []


def test_a_units_name_without_a_control_character_is_archived(tmp_path: Path) -> None:
    """A name with spaces and Vietnamese letters (and a trailing space) is no control
    character: archived as it is."""
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    units = unit_results.assign(name="Phòng Tổ chức – Hành chính ", place="Lam Giang")
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        assert [str(m.period) for m in arc.months()] == ["2026-03"]
