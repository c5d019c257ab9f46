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


def test_a_party_discipline_stays_refused_where_no_year_reads_it(tmp_path: Path) -> None:
    """A công chức's month under NĐ 335/2025, whose year is under NĐ 335 too (Điều 20 k4 c
    names no party discipline; vn.nd335-2025 does not read it): still refused, at the
    field, naming what may be amended."""
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
        with pytest.raises(InputError) as exc:
            arc.amend("2026-03", "V1", {"party_discipline": "x"}, by="TCCB", why="a")
    assert [p.column for p in exc.value.problems] == ["party_discipline"]
    code, _o, err = run("amend", "--archive", str(path), "--period", "2026-03", "--staff", "V1",
                        "--set", "party_discipline=x", "--by", "TCCB", "--why", "a")
    assert code != 0 and "party_discipline" in err


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
