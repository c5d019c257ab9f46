"""The rule author's and the amender's doors (af130): four findings of earlier hunts.

4. Party discipline of a viên chức month under a set that does not read it, for a year whose
   set does. Texts (the domain brief §4.1; NĐ 233/2026/NĐ-CP as quoted in
   tests/test_discipline_across_periods.py): Điều 14 k3 a — "Viên chức bị xử lý kỷ luật đảng
   hoặc kỷ luật hành chính trong năm đánh giá do …, vi phạm liên quan đến thực hiện nhiệm vụ
   thì xếp loại chất lượng ở mức không hoàn thành nhiệm vụ"; Điều 12 k4 c ("trong năm đánh
   giá"); Điều 19 and Điều 15 k1 a: the viên chức's 2026 year is classified under NĐ 233/2026,
   so a party discipline of any month of 2026 — January–June included, months scored under
   NĐ 90/2020, whose preset does not read a party discipline — counts for the year. The
   month's own grade stays what its set says (vn.nd90-2020 has no party-discipline rule).
   By hand (tests/test_discipline_across_periods.py, B: January–June full marks 100,
   July–December 65 → the year's mean 82.5, HTT): V1's March party discipline with the
   relation blank (related, the sheet's "để trống = có") → the year KHT; V3's typed with the
   relation ``không`` → 82.5 HTT; V2 untouched → 82.5 HTT.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit.errors import InputError
from evalkit.io.archive import Archive
from tests._cli_helpers import ok, run
from tests.test_discipline_across_periods import B_STAFF, _copy, _got

# ============================================================ 4. party discipline for the year


#: A viên chức's monthly set for January–June 2026 that reads no party discipline (an
#: agency's practice of leaving discipline to the year, as QĐ 3814-QĐ/TU leaves it for Hà
#: Nội's months): NĐ 90/2020's criteria, its caps but the discipline one.
VC_FILE = """
extends = "vn.nd90-2020"
id = "mau.vc-thang-2026"
jurisdiction = "vn.mau.vc"
title_vi = "Quy định chấm điểm hằng tháng viên chức của Trường Mẫu"
source = "Quyết định 9/QĐ-TM"
effective_from = 2026-01-01
effective_to = 2026-06-30

[[caps]]
id = "degradation"
flag = "degradation"
at_least = 1
grade = "KHT"
label_vi = "Suy thoái về tư tưởng chính trị, đạo đức, lối sống"
source = "Quyết định 9/QĐ-TM, Điều 4"
"""


@pytest.fixture(scope="module")
def vc_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """B's twelve months, January–June under VC_FILE, July–December under NĐ 233/2026."""
    import pandas as pd

    import evalkit
    from evalkit.units import classify_frame
    from tests.test_discipline_across_periods import ND233, staff_rows, unit_rows

    tmp = tmp_path_factory.mktemp("af130")
    rules = tmp / "vc.toml"
    rules.write_text(VC_FILE, encoding="utf-8")
    rs = evalkit.rules.load(rules)
    assert "party_discipline" not in evalkit.io.archive.amendable_fields(rs)
    path = tmp / "luu-tru.sqlite"
    with Archive(path) as arc:
        for m in range(1, 13):
            staff = staff_rows(ND233, range(m, m + 1), {}, B_STAFF, 50)
            inputs = unit_rows(range(m, m + 1))
            out, units = classify_frame(staff, inputs, rs if m <= 6 else None)
            assert set(out["rule_set"]) == {rs.id if m <= 6 else ND233}
            arc.finalize(pd.concat([staff, out[[c for c in out if c not in staff]]], axis=1),
                         by="TCCB", units=units, unit_inputs=inputs, rules=rs)
    return path, rules


def test_a_month_under_a_set_without_party_discipline_takes_one_for_the_year(
        vc_archive: tuple[Path, Path], tmp_path: Path) -> None:  # fmt: skip
    """Finding 4 (module docstring, 4): ``amend`` of March (a set that reads no party
    discipline) sets one (refused before: not an input of the month's set), because the
    year's set, NĐ 233/2026, reads it; March's grades stay; the year by hand."""
    path = _copy(vc_archive[0], tmp_path)
    rules = str(vc_archive[1])
    with Archive(path) as arc:
        before = arc.month("2026-03").set_index("staff_id")["grade"].astype(str).to_dict()
        arc.amend("2026-03", "V1", {"party_discipline": "x"}, by="TCCB", why="Quyết định kỷ luật",
                  rules=rules)  # fmt: skip
        arc.amend("2026-03", "V3", {"party_discipline": "x", "discipline_related_to_duty": "không"},
                  by="TCCB", why="Quyết định kỷ luật", rules=rules)  # fmt: skip
        after = arc.month("2026-03").set_index("staff_id")["grade"].astype(str).to_dict()
        year = arc.annual(2026, rules=rules)
    assert after == before
    assert _got(year, B_STAFF, "annual_total", "annual_grade") == {
        "V1": (82.5, "KHT"), "V2": (82.5, "HTT"), "V3": (82.5, "HTT")}


def test_the_command_line_amends_the_party_discipline_for_the_year(
        vc_archive: tuple[Path, Path], tmp_path: Path) -> None:  # fmt: skip
    """The same at the command line: ``amend --set party_discipline=x``, then ``annual``."""
    import pandas as pd

    path = _copy(vc_archive[0], tmp_path)
    r = ("--rules", str(vc_archive[1]))
    ok("amend", "--archive", str(path), "--period", "2026-03", "--staff", "V1", "--set",
       "party_discipline=x", "--by", "TCCB", "--why", "Quyết định kỷ luật", *r)  # fmt: skip
    table = tmp_path / "nam.csv"
    ok("annual", "--archive", str(path), "--year", "2026", "--out", str(table), *r)
    year = pd.read_csv(table, dtype={"staff_id": str})
    assert _got(year, ("V1", "V2"), "annual_total", "annual_grade") == {
        "V1": (82.5, "KHT"), "V2": (82.5, "HTT")}


def test_a_party_discipline_is_amendable_where_the_year_reads_it(tmp_path: Path) -> None:
    """A công chức's month under NĐ 335/2025, whose year is under NĐ 335 too: Điều 20 k4 c
    ("bị kỷ luật bằng hình thức từ khiển trách trở lên") names no kind of discipline, so
    vn.nd335-2025 reads a party discipline (af158; it was refused here before): the
    amendment is taken, at the library and at the command line."""
    import pandas as pd

    from evalkit.units import classify_frame
    from tests.test_discipline_across_periods import ND335, staff_rows, unit_rows

    staff = staff_rows(ND335, range(3, 4), {}, ("V1",), 80)
    inputs = unit_rows(range(3, 4))
    out, units = classify_frame(staff, inputs)
    path = tmp_path / "a.sqlite"
    with Archive(path) as arc:
        arc.finalize(pd.concat([staff, out[[c for c in out if c not in staff]]], axis=1),
                     by="TCCB", units=units, unit_inputs=inputs)
        arc.amend("2026-03", "V1", {"party_discipline": "x"}, by="TCCB", why="a")
    code, _o, err = run("amend", "--archive", str(path), "--period", "2026-03", "--staff", "V1",
                        "--set", "party_discipline=", "--by", "TCCB", "--why", "b")
    assert code == 0, err


# ============================================================ 3. the sheets' "Căn cứ"

#: A file that extends NĐ 335/2025 and changes one rule (truncation to the cent) but names
#: no rule of its own: its sheets would say "Căn cứ: <the decree's title>".
NO_TITLE = """
extends = "vn.nd335-2025"
id = "mau.khong-ten-2026"
jurisdiction = "vn.mau.khong-ten"

[scoring]
rounding = "truncate"
"""


def test_rules_check_warns_that_the_sheets_would_cite_only_the_decree(tmp_path: Path) -> None:
    """Finding 3: the file is valid (exit 0), but ``rules check`` says — in Vietnamese, on
    stderr, and under ``"warnings"`` with ``--json`` — that the sheets' "Căn cứ" would be
    the decree's title alone, naming the changed key and the missing ``title_vi`` and
    ``source``; nothing is cited that the file does not give."""
    import json

    import evalkit

    path = tmp_path / "khong-ten.toml"
    path.write_text(NO_TITLE, encoding="utf-8")
    decree = evalkit.rules.get("vn.nd335-2025").title_vi
    assert evalkit.rules.load(path).title_vi == decree  # the sheets' "Căn cứ"
    code, out, err = run("rules", "check", str(path), "--examples", "5")
    assert code == 0 and "hợp lệ" in out, (out, err)
    assert f'Căn cứ: {decree}' in err and "(scoring)" in err, err
    assert "title_vi, source" in err and "vn.nd335-2025" in err, err
    code, out, _err = run("rules", "check", str(path), "--examples", "5", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["ok"] and len(doc["warnings"]) == 1
    assert "title_vi" in doc["warnings"][0]


@pytest.mark.parametrize("extra", [
    # its own title and source: the sheets cite the agency's rule
    'title_vi = "Quy định chấm điểm của Sở Mẫu"\nsource = "Quyết định 3/QĐ-SM"\n',
    # no rule changed: the decree is the whole basis
    None,
])
def test_no_warning_where_the_sheets_cite_what_applies(tmp_path: Path, extra: str | None) -> None:
    text = NO_TITLE if extra is None else NO_TITLE.replace("\n[scoring]", extra + "\n[scoring]")
    if extra is None:
        text = text.split("\n[scoring]")[0] + "\n"
    path = tmp_path / "f.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run("rules", "check", str(path), "--examples", "5")
    assert code == 0 and "hợp lệ" in out and err == "", (out, err)


# ============================================================ 1. template's hint, two groups

def _mixed_org(tmp_path: Path) -> tuple[Path, Path]:
    from tests._cli_helpers import org_file
    from tests.test_hunt_af125 import CLI_TOML, MIXED_STAFF, MIXED_UNITS, POSITIONS_CSV

    rules = tmp_path / "so-thu.toml"
    rules.write_text(CLI_TOML, encoding="utf-8")
    return org_file(tmp_path, MIXED_UNITS, POSITIONS_CSV, MIXED_STAFF), rules


def test_template_names_the_set_each_group_will_be_read_under(tmp_path: Path) -> None:
    """Finding 1: July 2026, công chức of P under the agency's file (tests/test_hunt_af125,
    ``mixed``), viên chức of V under NĐ 233/2026. The viên chức's workbook, told the file
    the other group is read under (``--rules vn.nd233-2026 --rules so-thu.toml``), names
    that file for H and C1 — not the registry's vn.nd335-2025, under which their workbook
    would be made and then read; the công chức's workbook names vn.nd233-2026 for HV and
    V1 (the set in force for them). The workbook is the first set's alone."""
    import json

    import openpyxl

    org, rules = _mixed_org(tmp_path)
    vc = tmp_path / "vc.xlsx"
    code, _out, err = run("template", "--rules", "vn.nd233-2026", "--rules", str(rules),
                          "--period", "2026-07", "--org", str(org), str(vc))  # fmt: skip
    assert code == 0, err
    assert "(H, C1)" in err and f"--rules {rules}" in err and "vn.nd335-2025" not in err, err
    info = {r[0]: r[1] for r in openpyxl.load_workbook(vc)["Thông tin"].iter_rows(values_only=True)}
    assert info["rule_set"] == "vn.nd233-2026"
    cc = tmp_path / "cc.xlsx"
    code, _out, err = run("template", "--rules", str(rules), "--period", "2026-07", "--org",
                          str(org), str(cc))  # fmt: skip
    assert code == 0 and "(HV, V1)" in err and "--rules vn.nd233-2026" in err, err
    code, out, _err = run("template", "--rules", "vn.nd233-2026", "--rules", str(rules),
                          "--period", "2026-07", "--org", str(org), str(tmp_path / "vc2.xlsx"),
                          "--json")  # fmt: skip
    doc = json.loads(out)
    assert doc["rule_set"] == "vn.nd233-2026" and doc["left_out"] == {"cong_chuc": ["H", "C1"]}
    assert doc["left_out_rules"] == {"cong_chuc": str(rules)}


def test_template_refuses_a_further_set_that_covers_no_group_left_out(tmp_path: Path) -> None:
    """A further ``--rules`` is named only for a group the workbook leaves out: one that
    covers none of them (NĐ 335 for the công chức's own workbook) is refused, as a usage
    error, before anything is written."""
    org, rules = _mixed_org(tmp_path)
    out = tmp_path / "cc.xlsx"
    code, _o, err = run("template", "--rules", str(rules), "--rules", "vn.nd335-2025",
                        "--period", "2026-07", "--org", str(org), str(out))  # fmt: skip
    assert code == 2 and not out.exists(), err
    assert "vn.nd335-2025" in err


# ============================================================ 2. a group's rule set problem

def _group_frame(n: int, period: str, drop: str | None = None):  # type: ignore[no-untyped-def]
    import pandas as pd

    import evalkit

    full = evalkit.rules.get("vn.nd335-2025").full_marks()
    rows = [{"staff_id": f"S{i}", "unit_id": "P", "period": period, "category": "cong_chuc",
             "rule_set": "vn.nd335-2025", **full} for i in range(n)]  # fmt: skip
    frame = pd.DataFrame(rows)
    return frame.drop(columns=[drop]) if drop else frame


@pytest.mark.parametrize(("period", "drop", "column", "said"), [
    # NĐ 335/2025 is in force from 2026-01-01: June 2025 is outside it, for all 15
    ("2025-06", None, "rule_set", "is in force from 2026-01-01"),
    # the set's criterion so_luong (Điều 16) has no column: no one of the 15 has it
    ("2026-03", "so_luong", "so_luong", "criterion 'so_luong' has no score"),
])
def test_a_problem_of_every_person_of_a_group_is_one_problem(
        period: str, drop: str | None, column: str, said: str) -> None:  # fmt: skip
    """Finding 2: 15 people of one group whose rule set cannot be applied to them all for
    one reason: one problem (was: 15, one per person), still at its column and value,
    naming the count and the first rows (0 … 9, the frame's labels), in both languages."""
    import pandas as pd

    from evalkit import messages
    from evalkit.units import classify_frame

    units = pd.DataFrame([{"unit_id": "P", "period": period, "tasks_assigned": 10,
                           "tasks_done": 10}])  # fmt: skip
    with pytest.raises(InputError) as exc:
        classify_frame(_group_frame(15, period, drop), units)
    problems = [p for p in exc.value.problems if p.column == column]
    assert len(problems) == 1 and exc.value.count == len(exc.value.problems), exc.value
    (p,) = problems
    assert said in p.message and "the same for 15 rows: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 …" in \
        p.message, p.message  # fmt: skip
    if column == "rule_set":
        assert p.value == "vn.nd335-2025"
    vi = messages.sentence(p, "vi")
    assert "cùng một lỗi ở 15 dòng: 0, 1, 2" in vi and "the same" not in vi, vi
    # two people: said once too; one person: said as before, at the row and person
    with pytest.raises(InputError) as exc:
        classify_frame(_group_frame(1, period, drop), units)
    (one,) = [p for p in exc.value.problems if p.column == column]
    assert (one.row, one.staff_id) == (0, "S0") and "the same" not in one.message


def test_a_workbook_group_outside_the_set_is_one_problem(tmp_path: Path) -> None:
    """Finding 2 in the workbook: viên chức typed on a công chức workbook (NĐ 335/2025
    covers công chức only) — one problem at the sheet's ``category`` column with the value
    typed and the rows (2 … 4), not one per person."""
    import openpyxl

    from tests._cli_helpers import org_file

    org = org_file(tmp_path, "unit_id,name,parent_id,head_id\nP,Phòng P,,\n",
                   "position_id,title\nCV,Chuyên viên\n",
                   "staff_id,full_name,position_id,unit_id,manager_id,category\n"
                   "C1,Người C1,CV,P,,cong_chuc\nC2,Người C2,CV,P,,cong_chuc\n"
                   "C3,Người C3,CV,P,,cong_chuc\n")  # fmt: skip
    tpl = tmp_path / "t.xlsx"
    ok("template", "--rules", "vn.nd335-2025", "--period", "2026-03", "--org", str(org), str(tpl))
    wb = openpyxl.load_workbook(tpl)
    ws = wb["Nhân sự - Điểm"]
    col = next(c.column for c in ws[1] if c.value and str(c.value).endswith("[category]"))
    for r in (2, 3, 4):
        ws.cell(r, col).value = "vien_chuc"
    wb.save(tmp_path / "b.xlsx")
    code, _o, err = run("validate", str(tmp_path / "b.xlsx"))
    lines = [x for x in err.splitlines() if "không áp dụng cho nhóm vien_chuc" in x]
    assert code == 1 and len(lines) == 1, err
    assert "cột 'category'" in lines[0] and "'vien_chuc'" in lines[0], lines
    assert "cùng một lỗi ở 3 dòng: 2, 3, 4" in lines[0], lines


# ============================================================ rules show --toml

@pytest.mark.parametrize("which", ["vn.nd335-2025", "vn.nd233-2026", "hanoi.3814-2018",
                                   "vn.nd90-2020-cc", "file"])  # fmt: skip
def test_rules_show_toml_reads_back_as_the_same_set(which: str, tmp_path: Path) -> None:
    """``rules show ID --toml`` prints the resolved set (``extends`` applied) as TOML:
    tomllib reads back the registry's (or the file's resolved) mapping, and the printed
    file, loaded, is a set of the same content (its fingerprint, what the archive keeps)."""
    import tomllib

    import evalkit
    from evalkit.rules import default_registry
    from evalkit.rules._registry import content_fingerprint, resolve_extends
    from evalkit.rules._schema import load_rule_data
    from tests.test_hunt_af125 import CLI_TOML

    if which == "file":
        src = tmp_path / "so-thu.toml"
        src.write_text(CLI_TOML, encoding="utf-8")
        ref, want = str(src), resolve_extends(load_rule_data(src))
        rs = evalkit.rules.load(src)
    else:
        ref, want, rs = which, default_registry().rule_data(which), evalkit.rules.get(which)
    code, out, err = run("rules", "show", ref, "--toml")
    assert code == 0, err
    assert tomllib.loads(out) == want
    assert "extends" not in tomllib.loads(out)
    printed = tmp_path / "in-ra.toml"
    printed.write_text(out, encoding="utf-8")
    assert content_fingerprint(evalkit.rules.load(printed)) == content_fingerprint(rs)
