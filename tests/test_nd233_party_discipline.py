"""NĐ 233/2026/NĐ-CP Điều 14 k3 a (af118): a party discipline for a violation related to the
duties makes a viên chức's year KHT.

Decree text read (``git show HEAD:van-ban/233-2026-ND-CP-danh-gia-xep-loai-vien-chuc.md`` in
the diepxuan.github.io mirror, an OCR copy of the signed text):

* Điều 14 k3 a: "Viên chức bị xử lý kỷ luật đảng hoặc kỷ luật hành chính trong năm đánh giá
  do suy thoái …, vi phạm liên quan đến thực hiện nhiệm vụ thì xếp loại chất lượng ở mức
  không hoàn thành nhiệm vụ" — a party discipline counts as an administrative one does;
* Điều 12 k4 c: "Có hành vi vi phạm liên quan đến thực hiện nhiệm vụ bị kỷ luật bằng hình
  thức từ khiển trách trở lên trong năm đánh giá" — a violation *not* related to the duties
  does not count.

The organisation: one public service unit K (head H), viên chức V1–V4, July–December 2026
(NĐ 233), every month general criteria full (30) and quantity, quality, timeliness 80 % →
30 + 0.7 × 80 = 86 (HTT band, [70, 90)). In August the Party disciplines V1 (the column
``discipline_related_to_duty`` left blank: related, its default), V2 (typed related) and V3
(typed ``không``: not related); V4 has none. By hand: V1 KHT, V2 KHT, V3 86 HTT, V4 86 HTT.

The same for a công chức under NĐ 335/2025 (af158): its Điều 20 k4 c is the same sentence
("… bị kỷ luật bằng hình thức từ khiển trách trở lên trong năm đánh giá") and names no kind
of discipline, so a party discipline related to public duty counts (``duty_any_discipline``;
until af158 the preset read the administrative level only): V1, V2 KHT, V3 86 HTT.

Unchanged by design (a guard, true before af118 too):

* a viên chức's month before July 2026 under NĐ 90/2020 (Điều 2 k5 a, added by NĐ 48/2023:
  any party or administrative discipline, ``any_discipline``): a party discipline not
  related to the duties still disqualifies the month.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET
from evalkit.units import classify_frame, classify_year
from tests._cli_helpers import header_columns, ok, org_file

MONTHS = range(7, 13)
STAFF = ("V1", "V2", "V3", "V4")
#: person → discipline_related_to_duty typed with the party discipline of August (None: blank)
PARTY = {"V1": None, "V2": True, "V3": False}
#: the year by hand (module docstring): total, grade
YEAR = {"V1": (86.0, "KHT"), "V2": (86.0, "KHT"), "V3": (86.0, "HTT"), "V4": (86.0, "HTT")}
TASKS = ("so_luong", "chat_luong", "tien_do")


def rows(rules: str, category: str, months: range = MONTHS) -> list[dict[str, Any]]:
    rs = evalkit.rules.get(rules)
    out = []
    for m in months:
        for sid in ("H", *STAFF):
            row: dict[str, Any] = {
                "staff_id": sid, "unit_id": "K", "period": f"2026-{m:02d}", "category": category,
                "manages_others": sid == "H", **rs.full_marks(manages_others=sid == "H")}
            if sid != "H":
                row.update(dict.fromkeys(TASKS, 80))
            if m == 8 and sid in PARTY:
                related = PARTY[sid]
                row.update(party_discipline="x", discipline_related_to_duty=(
                    "" if related is None else "x" if related else "không"))
            out.append(row)
    return out


def units(months: range = MONTHS) -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": "K", "head_id": "H", "period": f"2026-{m:02d}",
                          "tasks_assigned": 10, "tasks_done": 10} for m in months])


def year_by_frames(tmp: Path, rules: str, category: str) -> pd.DataFrame:
    """The months as a CSV read back (text cells as typed), each month ``classify_frame``,
    then ``classify_year``: the year by person."""
    pd.DataFrame(rows(rules, category)).to_csv(tmp / "staff.csv", index=False)
    staff = pd.read_csv(tmp / "staff.csv", dtype={"discipline_related_to_duty": str,
                                                  "party_discipline": str})
    u = units()
    done = [classify_frame(staff[staff["period"] == p].reset_index(drop=True),
                           u[u["period"] == p].reset_index(drop=True), rules)
            for p in sorted(set(staff["period"]))]  # fmt: skip
    year = classify_year(pd.concat([d[0] for d in done], ignore_index=True),
                         pd.concat([d[1] for d in done], ignore_index=True), rules=rules)
    return year.set_index("staff_id")


def _by_hand(got: dict[str, tuple[float, str]]) -> None:
    assert {s: got[s] for s in STAFF} == YEAR


def test_the_frames_year_is_kht_for_a_party_discipline_related_to_the_duties(
        tmp_path: Path) -> None:  # fmt: skip
    year = year_by_frames(tmp_path, "vn.nd233-2026", "vien_chuc")
    _by_hand({s: (round(float(year.loc[s, "total"]), 2), str(year.loc[s, "grade"]))
              for s in STAFF})  # fmt: skip
    for s in ("V1", "V2"):
        assert "disqualifier.discipline" in str(year.loc[s, "reasons"]).split(";"), s
    assert "disqualifier.discipline" not in str(year.loc["V3", "reasons"])


def test_the_objects_year_is_kht_for_a_party_discipline_related_to_the_duties() -> None:
    rs = evalkit.rules.get("vn.nd233-2026")
    org = evalkit.Organisation(
        units=[evalkit.Unit("K", "Trường Mẫu", head_id="H")],
        staff=[evalkit.Staff(s, f"Người {s}", "LD" if s == "H" else "VC", "K",
                             category="vien_chuc", manages_others=s == "H")
               for s in ("H", *STAFF)],
        positions=[evalkit.Position("LD", "Hiệu trưởng", manages_others=True),
                   evalkit.Position("VC", "Viên chức")])  # fmt: skip
    months = []
    for m in MONTHS:
        per = f"2026-{m:02d}"
        said = []
        for sid in ("H", *STAFF):
            marks = {**rs.full_marks(manages_others=sid == "H"),
                     **({} if sid == "H" else dict.fromkeys(TASKS, 80))}
            party: dict[str, Any] = {}
            if m == 8 and sid in PARTY:
                party = {"party_discipline": True}
                if PARTY[sid] is not None:  # blank: the default (related)
                    party["discipline_related_to_duty"] = PARTY[sid]
            said.append(evalkit.Assessment(sid, per, competent_scores=marks, **party))
        inputs = [evalkit.UnitInputs("K", per, tasks_assigned=10, tasks_done=10)]
        months.append(evalkit.classify_organisation(org, said, inputs, rs))
    year = evalkit.classify_organisation_year(months, rs)
    got = {r.staff_id: r for c in year.values() for r in c.staff}
    _by_hand({s: (round(got[s].total, 2), got[s].grade.code) for s in STAFF})


def _fill(template: Path, out: Path, rs: evalkit.rules.RuleSet, month: int) -> None:
    """Type the competent level's scores and, in August, the party disciplines."""
    wb = openpyxl.load_workbook(template)
    ws = wb[SCORES_SHEET]
    col = header_columns(ws)
    for r in range(2, ws.max_row + 1):
        sid = ws.cell(r, col["staff_id"]).value
        if sid is None:
            continue
        for k, v in rs.full_marks(manages_others=sid == "H").items():
            ws.cell(r, col["competent__" + k], 80 if sid != "H" and k in TASKS else v)
        if month == 8 and sid in PARTY:
            ws.cell(r, col["party_discipline"], "x")
            if PARTY[sid] is not None:
                ws.cell(r, col["discipline_related_to_duty"], "có" if PARTY[sid] else "không")
    wu = wb[UNITS_SHEET]
    ucol = header_columns(wu)
    for r in range(2, wu.max_row + 1):
        if wu.cell(r, ucol["unit_id"]).value:
            wu.cell(r, ucol["tasks_assigned"], 10)
            wu.cell(r, ucol["tasks_done"], 10)
    wb.save(out)


@pytest.mark.slow
@pytest.mark.parametrize(("rules", "category"), [("vn.nd233-2026", "vien_chuc"),
                                                 ("vn.nd335-2025", "cong_chuc")])
def test_the_command_line_year_is_kht_for_a_party_discipline_related_to_the_duties(
        tmp_path: Path, rules: str, category: str) -> None:  # fmt: skip
    """The CLI door (template → workbook → validate → classify → finalize → annual), under
    NĐ 233 and, since af158, NĐ 335 (Điều 20 k4 c: the same sentence as NĐ 233's k4 c)."""
    rs = evalkit.rules.get(rules)
    org = org_file(tmp_path, "unit_id,name,parent_id,head_id\nK,Trường Mẫu,,H\n",
                   "position_id,title,title_en,manages_others\n"
                   "LD,Hiệu trưởng,Principal,x\nVC,Viên chức,Public employee,\n",
                   "staff_id,full_name,position_id,unit_id,manager_id,category\n"
                   f"H,Người H,LD,K,,{category}\n" + "".join(
                       f"{s},Người {s},VC,K,H,{category}\n" for s in STAFF))  # fmt: skip
    archive = tmp_path / "luu-tru.sqlite"
    for m in MONTHS:
        per = f"2026-{m:02d}"
        tpl, book = tmp_path / f"mau-{m:02d}.xlsx", tmp_path / f"thang-{m:02d}.xlsx"
        ok("template", "--rules", rs.id, "--period", per, "--org", str(org), str(tpl))
        _fill(tpl, book, rs, m)
        ok("validate", str(book), "--rules", rs.id, "--org", str(org))
        res = tmp_path / f"ket-qua-{m:02d}.json"
        ok("classify", str(book), "--rules", rs.id, "--org", str(org), "--out", str(res))
        ok("finalize", str(res), "--archive", str(archive), "--by", "TCCB", "--org", str(org),
           "--rules", rs.id)  # fmt: skip
    table = tmp_path / "nam.csv"
    ok("annual", "--archive", str(archive), "--year", "2026", "--rules", rs.id,
       "--org", str(org), "--out", str(table))  # fmt: skip
    g = pd.read_csv(table, dtype={"staff_id": str}).set_index("staff_id")
    _by_hand({s: (round(float(g.loc[s, "annual_total"]), 2), str(g.loc[s, "annual_grade"]))
              for s in STAFF})  # fmt: skip


def test_nd335_cong_chuc_year_is_kht_for_a_party_discipline_related_to_public_duty(
        tmp_path: Path) -> None:  # fmt: skip
    """NĐ 335/2025 Điều 20 k4 c names no kind of discipline (module docstring, af158): a
    party discipline related to public duty makes V1 and V2 KHT; V3's (not related) does not."""
    year = year_by_frames(tmp_path, "vn.nd335-2025", "cong_chuc")
    _by_hand({s: (round(float(year.loc[s, "total"]), 2), str(year.loc[s, "grade"]))
              for s in STAFF})  # fmt: skip
    assert next(c for c in evalkit.rules.get("vn.nd335-2025").caps
                if c.id == "discipline").flag == "duty_any_discipline"


def test_nd90_month_before_july_2026_counts_any_party_discipline() -> None:
    """NĐ 90/2020 Điều 2 k5 a (to 2026-06-30): a party discipline disqualifies the month of
    March 2026 whether or not it was related to the duties (V3 typed ``không``)."""
    frame = pd.DataFrame(rows("vn.nd90-2020", "vien_chuc", range(8, 9))).assign(
        period="2026-03")
    staff, _ = classify_frame(frame, units(range(3, 4)), "vn.nd90-2020")
    g = staff.set_index("staff_id")
    assert {s: str(g.loc[s, "grade"]) for s in STAFF} == {
        "V1": "KHT", "V2": "KHT", "V3": "KHT", "V4": str(g.loc["V4", "score_grade"])}
    assert str(g.loc["V4", "grade"]) != "KHT"
    assert all("disqualifier.discipline" in str(g.loc[s, "reasons"]) for s in PARTY)
    assert next(c for c in evalkit.rules.get("vn.nd90-2020").caps
                if c.id == "discipline").flag == "any_discipline"


def test_the_year_over_quarters_keeps_a_party_discipline_related_to_the_duties() -> None:
    """The months rolled up to quarters (``classify_year(to="quarter")``), then the year over
    the quarters: the quarter's ``discipline_related_to_duty`` is true where a party
    discipline related to the duties is and no administrative one (every ``discipline`` 0,
    typed): V1, V2 KHT, V3 HTT, as by hand."""
    rules = "vn.nd233-2026"
    staff = pd.DataFrame(rows(rules, "vien_chuc")).assign(discipline=0)
    u = units()
    done = [classify_frame(staff[staff["period"] == p].reset_index(drop=True),
                           u[u["period"] == p].reset_index(drop=True), rules)
            for p in sorted(set(staff["period"]))]  # fmt: skip
    res = pd.concat([d[0] for d in done], ignore_index=True)
    unit_res = pd.concat([d[1] for d in done], ignore_index=True)
    quarters = classify_year(res, unit_res, rules=rules, to="quarter", force=True)
    q3 = quarters[quarters["period"] == "2026-Q3"].set_index("staff_id")
    assert {s: bool(q3.loc[s, "discipline_related_to_duty"]) for s in PARTY} == {
        "V1": True, "V2": True, "V3": False}
    year = classify_year(quarters, unit_res, rules=rules).set_index("staff_id")
    _by_hand({s: (round(float(year.loc[s, "total"]), 2), str(year.loc[s, "grade"]))
              for s in STAFF})  # fmt: skip


def test_the_archive_amends_the_inputs_of_the_nd233_discipline_flag() -> None:
    """An amendment changes the inputs the engine derives ``duty_any_discipline`` from
    (the administrative level, the party discipline, related to the duties), never the
    derived flag itself."""
    from evalkit.io.archive import amendable_fields

    fields = amendable_fields(evalkit.rules.get("vn.nd233-2026"))
    assert (fields["discipline"], fields["party_discipline"],
            fields["discipline_related_to_duty"]) == ("discipline", "flag", "flag")
    assert not {"duty_any_discipline", "duty_discipline", "any_discipline"} & set(fields)
