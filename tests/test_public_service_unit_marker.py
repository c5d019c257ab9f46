"""The public service unit declared: ``Unit.public_service_unit`` (the units' column
``public_service_unit``) settles whose grade raises a viên chức's HTXS quota under
NĐ 233/2026/NĐ-CP Điều 12 k6 b, where the walk up the tree (the topmost unit under the same
rule set, ``service_tops``) cannot tell: one body of viên chức over several public service
units.

Decree text read: ``git show HEAD:van-ban/233-2026-ND-CP-danh-gia-xep-loai-vien-chuc.md``
in the diepxuan.github.io mirror — Điều 3 k2: a public service unit's constituent units
(khoa, phòng …) are not public service units; Điều 12 k6 a "không vượt quá 20% tổng số
viên chức được xếp loại 'Hoàn thành tốt nhiệm vụ' trong phạm vi cùng một cơ quan, đơn vị";
k6 b "Trường hợp đơn vị sự nghiệp công lập … được cấp có thẩm quyền quyết định công nhận
đơn vị 'Hoàn thành xuất sắc nhiệm vụ' thì … không vượt quá 25%".

September 2026, a unit rule file grading months over ``vn.nd233-2026`` (as
tests/test_quota_public_service_unit.py). A university U with two member schools S1, S2,
each with a khoa; every unit of viên chức, so every unit is under the same rule set and the
walk alone takes them all up to U:

* U (8/10 tasks → 80, HTT), S1 (10/10 → 100, HTXS: the unit conditions met — 3 of 10
  tasks exceeded, 30 %, and no constituent unit KHT, Điều 7 k1 a, b; the only HTXS of U's
  two schools, k7 c), S2 (8/10 → 80, HTT), K1 (khoa of S1, 8/10, HTT), K2 (khoa of S2,
  10/10, HTXS); every unit has 3 tasks exceeded;
* K1, K2 and U each have four viên chức at 86 (HTT: 30 + 0.7 × 80) and one, X, at 100.

By hand, the quota of each staffed unit (k6 a's "cùng một cơ quan, đơn vị"), floor of the
percent × the 4 rated HTT:

* S1, S2 marked: K1's public service unit is S1 (HTXS) → 25 % × 4 = 1 → K1X keeps HTXS;
  K2's is S2 (HTT) → 20 % × 4 = 0.8 → 0 → K2X is demoted to HTT (K2 itself HTXS);
  U's own staff follow U (HTT) → 20 % → 0 → UX demoted.
* Nobody marked (today's inference): everyone's public service unit is U (HTT) → 20 % →
  K1X, K2X and UX all demoted.
* U marked too: a marked unit under a marked unit is its own (S1 stays S1's) → as the
  first case.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit._classify.units import service_tops
from evalkit.io.archive import Archive
from evalkit.io.jsonio import from_json, read_json, to_json
from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET, read_organisation
from evalkit.rules import RuleSet
from tests._cli_helpers import header_columns, ok, org_file, run
from tests.test_quota_public_service_unit import PERIOD, RULE_FILE, _marks  # the same unit file

#: unit: (parent, tasks done of 10, name)
UNITS: dict[str, tuple[str | None, int, str]] = {
    "U": (None, 8, "Đại học U"), "S1": ("U", 10, "Trường 1"), "S2": ("U", 8, "Trường 2"),
    "K1": ("S1", 8, "Khoa 1"), "K2": ("S2", 10, "Khoa 2")}  # fmt: skip
STAFFED = ("K1", "K2", "U")
#: which units are marked public service units, by case
MARKS = {"schools": {"S1", "S2"}, "none": set(), "all": {"U", "S1", "S2"}}
#: by hand (module docstring): each X → (grade, quota percent), by case
SCHOOLS = {"K1X": ("HTXS", 25.0), "K2X": ("HTT", 20.0), "UX": ("HTT", 20.0)}
WANT = {"schools": SCHOOLS, "all": SCHOOLS,
        "none": {"K1X": ("HTT", 20.0), "K2X": ("HTT", 20.0), "UX": ("HTT", 20.0)}}  # fmt: skip


def people() -> dict[str, tuple[str, int]]:
    """staff id → (unit, x)."""
    return {f"{u}{s}": (u, 100 if s == "X" else 80)
            for u in STAFFED for s in ("S1", "S2", "S3", "S4", "X")}  # fmt: skip


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    path = tmp_path_factory.mktemp("rules123") / "mau.thang-233.toml"
    path.write_text(RULE_FILE, encoding="utf-8")
    return evalkit.rules.load(path)


def organisation(marked: set[str]) -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit(u, n, parent_id=par, public_service_unit=u in marked)
               for u, (par, _, n) in UNITS.items()],
        staff=[evalkit.Staff(s, f"Người {s}", "VC", u, category="vien_chuc")
               for s, (u, _) in people().items()],
        positions=[evalkit.Position("VC", "Viên chức")])  # fmt: skip


def by_objects(rs: RuleSet, marked: set[str]) -> dict[str, tuple[str, float]]:
    said = [evalkit.Assessment(s, PERIOD, competent_scores=_marks(rs, x))
            for s, (_, x) in people().items()]
    inputs = [evalkit.UnitInputs(u, PERIOD, tasks_assigned=10, tasks_done=d, tasks_exceeded=3)
              for u, (_, d, _) in UNITS.items()]
    out = evalkit.classify_organisation(organisation(marked), said, inputs, rs)
    assert {u: c.unit.grade.code for u, c in out.items() if c.unit.grade} == {
        "U": "HTT", "S1": "HTXS", "S2": "HTT", "K1": "HTT", "K2": "HTXS"}
    got = {}
    for c in out.values():
        for r in c.staff:
            assert r.grade is not None
            got[r.staff_id] = (r.grade.code, c.quotas[0].percent if c.quotas else float("nan"))
    return got


def unit_rows(marked: set[str], *, column: bool = True) -> list[dict[str, Any]]:
    """The units frame's rows as a person types them ("x" or blank)."""
    return [{"unit_id": u, "name": n, "parent_id": par, "period": PERIOD,
             **({"public_service_unit": "x" if u in marked else None} if column else {}),
             "tasks_assigned": 10, "tasks_done": d, "tasks_exceeded": 3}
            for u, (par, d, n) in UNITS.items()]


def staff_rows(rs: RuleSet) -> list[dict[str, Any]]:
    return [{"staff_id": s, "full_name": f"Người {s}", "unit_id": u, "period": PERIOD,
             "category": "vien_chuc", **_marks(rs, x)} for s, (u, x) in people().items()]


def by_frames(rs: RuleSet, marked: set[str], tmp: Path
              ) -> tuple[dict[str, tuple[str, float]], pd.DataFrame]:  # fmt: skip
    """``classify_frame`` on the frames written as CSV and read back."""
    pd.DataFrame(staff_rows(rs)).to_csv(tmp / "staff.csv", index=False)
    pd.DataFrame(unit_rows(marked)).to_csv(tmp / "units.csv", index=False)
    staff, units = evalkit.classify_frame(pd.read_csv(tmp / "staff.csv"),
                                          pd.read_csv(tmp / "units.csv"), rs)  # fmt: skip
    g = staff.set_index("staff_id")
    return {str(s): (str(g.loc[s, "grade"]), float(g.loc[s, "quota_percent"]))
            for s in g.index}, units  # fmt: skip


def by_cli(rs: RuleSet, marked: set[str], tmp: Path, *, cleared: bool = False
           ) -> dict[str, tuple[str, float]]:  # fmt: skip
    """org CSV → ``evalkit org`` → template → filled → validate → classify; ``cleared``:
    the units sheet's marks erased (a sheet typed without them): the organisation's count."""
    rule_file = tmp / "mau.thang-233.toml"
    rule_file.write_text(RULE_FILE, encoding="utf-8")
    org = org_file(
        tmp, "unit_id,name,parent_id,public_service_unit\n" + "".join(
            f"{u},{n},{par or ''},{'x' if u in marked else ''}\n"
            for u, (par, _, n) in UNITS.items()),
        "position_id,title,manages_others\nVC,Viên chức,\n",
        "staff_id,full_name,position_id,unit_id,category\n" + "".join(
            f"{s},Người {s},VC,{u},vien_chuc\n" for s, (u, _) in people().items()))
    tpl, book, csv = tmp / "mau.xlsx", tmp / "thang.xlsx", tmp / "ket-qua.csv"
    ok("template", "--rules", str(rule_file), "--period", PERIOD, "--org", str(org), str(tpl))
    wb = openpyxl.load_workbook(tpl)
    ws, who = wb[SCORES_SHEET], people()
    col = header_columns(ws)
    for r in range(2, ws.max_row + 1):
        if (sid := ws.cell(r, col["staff_id"]).value) is not None:
            for k, v in _marks(rs, who[sid][1]).items():
                ws.cell(r, col["competent__" + k], v)
    wu = wb[UNITS_SHEET]
    ucol = header_columns(wu)
    typed = {}
    for r in range(2, wu.max_row + 1):
        if u := wu.cell(r, ucol["unit_id"]).value:
            typed[u] = wu.cell(r, ucol["public_service_unit"]).value
            if cleared:
                wu.cell(r, ucol["public_service_unit"]).value = None
            wu.cell(r, ucol["tasks_assigned"], 10)
            wu.cell(r, ucol["tasks_done"], UNITS[u][1])
            wu.cell(r, ucol["tasks_exceeded"], 3)
    assert typed == {u: "x" if u in marked else None for u in UNITS}  # the template wrote them
    wb.save(book)
    ok("validate", str(book), "--rules", str(rule_file), "--org", str(org))
    ok("classify", str(book), "--rules", str(rule_file), "--org", str(org), "--out", str(csv))
    g = pd.read_csv(csv, dtype={"staff_id": str}).set_index("staff_id")
    return {str(s): (str(g.loc[s, "grade"]), float(g.loc[s, "quota_percent"])) for s in g.index}


def _check(got: dict[str, tuple[str, float]], case: str) -> None:
    assert {s: got[s] for s in WANT[case]} == WANT[case]
    for s in set(people()) - set(WANT[case]):  # the base: 86, HTT
        assert got[s][0] == "HTT", s


@pytest.mark.parametrize("case", list(MARKS))
def test_the_objects_raise_the_quota_on_the_declared_public_service_unit(
        rules: RuleSet, case: str) -> None:
    _check(by_objects(rules, MARKS[case]), case)


@pytest.mark.parametrize("case", list(MARKS))
def test_the_frames_raise_the_quota_on_the_declared_public_service_unit(
        rules: RuleSet, case: str, tmp_path: Path) -> None:
    got, units = by_frames(rules, MARKS[case], tmp_path)
    _check(got, case)
    # the marker is passed to the unit results (the year reads it there), where given
    assert dict(zip(units["unit_id"], units["public_service_unit"], strict=True)) == {
        u: u in MARKS[case] for u in UNITS}


def test_a_frame_without_the_column_is_todays_answer(rules: RuleSet) -> None:
    """No ``public_service_unit`` column at all: the walk alone (everyone under U, HTT),
    and the unit results have no such column (the results as before)."""
    staff, units = evalkit.classify_frame(pd.DataFrame(staff_rows(rules)),
                                          pd.DataFrame(unit_rows(set(), column=False)), rules)
    g = staff.set_index("staff_id")
    _check({s: (g.loc[s, "grade"], g.loc[s, "quota_percent"]) for s in g.index}, "none")
    assert "public_service_unit" not in units.columns


@pytest.mark.slow
@pytest.mark.parametrize("cleared", [False, True], ids=["sheet", "org"])
@pytest.mark.parametrize("case", ["schools", "none"])
def test_the_command_line_raises_the_quota_on_the_declared_public_service_unit(
        rules: RuleSet, case: str, cleared: bool, tmp_path: Path) -> None:
    _check(by_cli(rules, MARKS[case], tmp_path, cleared=cleared), case)


def test_a_bad_mark_is_refused_with_its_row_and_value(rules: RuleSet) -> None:
    rows = unit_rows({"S1"})
    rows[2]["public_service_unit"] = "maybe"  # S2
    with pytest.raises(evalkit.errors.InputError) as err:
        evalkit.classify_frame(pd.DataFrame(staff_rows(rules)), pd.DataFrame(rows), rules)
    [p] = err.value.problems
    assert (p.row, p.column, p.value) == (2, "public_service_unit", "maybe")


def test_service_tops_by_hand() -> None:
    """Rows 0 U ← 1 S1 ← 3 K1, 0 U ← 2 S2 ← 4 K2, all of one rule set; 5 C (another rule
    set) under 0."""
    parent = np.array([-1, 0, 0, 1, 2, 0])
    rcode = np.array([0, 0, 0, 0, 0, 1])
    no = np.zeros(6, dtype=bool)
    assert service_tops(parent, rcode, no).tolist() == [0, 0, 0, 0, 0, 5]
    schools = np.array([False, True, True, False, False, False])
    assert service_tops(parent, rcode, schools).tolist() == [0, 1, 2, 1, 2, 5]
    assert service_tops(parent, rcode, schools | [True] + [False] * 5).tolist() == [
        0, 1, 2, 1, 2, 5]
    k1 = np.array([False, False, False, True, False, False])  # a khoa marked: its own
    assert service_tops(parent, rcode, k1).tolist() == [0, 0, 0, 3, 0, 5]


@given(st.lists(st.tuples(st.integers(-1, 11), st.integers(0, 1), st.booleans()),
                min_size=1, max_size=12))
def test_service_tops_invariants(rows: list[tuple[int, int, bool]]) -> None:
    """A forest (each parent an earlier row): nobody marked is the walk alone; a marked
    unit is its own; an unmarked unit's top is an ancestor under the same rule set, and
    no unit on the way up to it (itself included) is marked below the top."""
    parent = np.array([p if 0 <= p < i else -1 for i, (p, _, _) in enumerate(rows)])
    rcode = np.array([r for _, r, _ in rows])
    marked = np.array([m for _, _, m in rows])
    walk = service_tops(parent, rcode, np.zeros(len(rows), bool))  # nobody marked
    for i in range(len(rows)):  # the walk alone: the topmost ancestor under the same set
        j = i
        while parent[j] >= 0 and rcode[parent[j]] == rcode[j]:
            j = parent[j]
        assert walk[i] == j
    top = service_tops(parent, rcode, marked)
    for i in range(len(rows)):
        if marked[i]:
            assert top[i] == i
        cur = i
        while cur != top[i]:
            assert not marked[cur] and rcode[parent[cur]] == rcode[cur]
            cur = parent[cur]
        up = parent[cur]  # the top: a root, marked, or its parent under another rule set
        assert up < 0 or marked[cur] or rcode[up] != rcode[cur]


def test_the_org_csv_and_json_round_trip(tmp_path: Path) -> None:
    """The units CSV's ``public_service_unit`` ("x", "có", "1"; blank = no) → the
    organisation → its JSON → back; a bad value is refused with file, row, column, value;
    an organisation JSON without the field reads as unmarked."""
    (tmp_path / "p.csv").write_text("position_id,title\nVC,Viên chức\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("staff_id,full_name,position_id,unit_id,category\n"
                                    "A,An,VC,K1,vien_chuc\n", encoding="utf-8")
    units = tmp_path / "u.csv"
    units.write_text("unit_id,name,parent_id,public_service_unit\nU,Đại học U,,\n"
                     "S1,Trường 1,U,x\nS2,Trường 2,U,có\nK1,Khoa 1,S1,1\n", encoding="utf-8")
    org, problems = read_organisation(units=units, positions=tmp_path / "p.csv",
                                      staff=tmp_path / "s.csv")
    assert problems == [] and org is not None
    assert {u.id: u.public_service_unit for u in org.units} == {
        "U": False, "S1": True, "S2": True, "K1": True}
    assert from_json(to_json(org)) == org
    doc = json.loads(to_json(org))
    for u in doc["data"]["units"]:
        del u["public_service_unit"]  # an organisation file written before the marker
    old = from_json(json.dumps(doc))
    assert not any(u.public_service_unit for u in old.units)
    units.write_text("unit_id,name,parent_id,public_service_unit\nU,Đại học U,,\n"
                     "S1,Trường 1,U,maybe\nK1,Khoa 1,S1,\n", encoding="utf-8")
    org, problems = read_organisation(units=units, positions=tmp_path / "p.csv",
                                      staff=tmp_path / "s.csv")
    assert org is None
    [p] = problems
    assert (p.file, p.row, p.column, p.value) == (str(units), 3, "public_service_unit", "maybe")


def test_evalkit_org_writes_the_marker(tmp_path: Path) -> None:
    org = org_file(tmp_path, "unit_id,name,parent_id,public_service_unit\nU,Đại học U,,\n"
                   "S1,Trường 1,U,x\n", "position_id,title\nVC,Viên chức\n",
                   "staff_id,full_name,position_id,unit_id\nA,An,VC,S1\n")
    got = read_json(org, evalkit.Organisation)
    assert {u.id: u.public_service_unit for u in got.units} == {"U": False, "S1": True}
    (tmp_path / "don-vi.csv").write_text("unit_id,name,public_service_unit\nU,Đại học U,không rõ\n",
                                         encoding="utf-8")
    code, out, err = run("org", "--units", str(tmp_path / "don-vi.csv"), "--positions",
                         str(tmp_path / "vi-tri.csv"), "--staff", str(tmp_path / "nhan-su.csv"),
                         "--out", str(tmp_path / "x.json"))
    assert code != 0 and "public_service_unit" in out + err and "không rõ" in out + err


#: the months NĐ 233/2026 is in force in 2026 (from 1 July): six, its minimum for the year
MONTHS = [f"2026-{m:02d}" for m in range(7, 13)]


@pytest.mark.slow
@pytest.mark.parametrize("case", ["schools", "none"])
def test_the_archive_keeps_the_marker_and_the_year_reads_it(
        rules: RuleSet, case: str, tmp_path: Path) -> None:
    """July–December finalized with their unit inputs, each month as September: the
    inputs and unit results read back carry the marker (none given: no column, read as
    unmarked — an archive written before it), and the year classified from the archive
    (six months, NĐ 233 Điều 14 k1's minimum; every month alike, so the year's scores and
    unit grades are September's) raises the quota on the same public service unit."""
    with Archive(tmp_path / "a.sqlite") as arc:
        for per in MONTHS:
            staff_in = pd.DataFrame(staff_rows(rules)).assign(period=per)
            units_in = pd.DataFrame(unit_rows(MARKS[case], column=case != "none")).assign(
                period=per)
            if case != "none":
                units_in["public_service_unit"] = units_in["public_service_unit"].eq("x")
            out, units = evalkit.classify_frame(staff_in, units_in, rules)
            results = pd.concat([staff_in, out[[c for c in out.columns if c not in staff_in]]],
                                axis=1)  # fmt: skip
            arc.finalize(results, by="A", units=units, unit_inputs=units_in, rules=rules)
        found = arc.inputs(MONTHS[-1])
        assert found is not None
        stored, kept = found[1], arc.units(MONTHS[-1])
        if case == "none":
            assert "public_service_unit" not in stored.columns
            assert "public_service_unit" not in kept.columns
        else:
            for frame in (stored, kept):
                assert dict(zip(frame["unit_id"], frame["public_service_unit"].astype(bool),
                                strict=True)) == {u: u in MARKS[case] for u in UNITS}
        year = arc.annual(2026, rules=rules).set_index("staff_id")
    got = {s: (str(year.loc[s, "annual_grade"]), float(year.loc[s, "quota_percent"]))
           for s in WANT[case]}  # fmt: skip
    assert got == WANT[case]
