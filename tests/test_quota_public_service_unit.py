"""NĐ 233/2026/NĐ-CP Điều 12 k6 b: the raised share of viên chức rated HTXS (25 % of those
rated HTT, k6 a's 20 % otherwise) follows the **public service unit** (đơn vị sự nghiệp
công lập) recognised HTXS — not the person's own khoa, a constituent unit (đơn vị cấu
thành, Điều 3 k2). The preset says ``raised_when = "top_unit_excellent"``: the grade of the
topmost unit of the person's unit tree (docs/rule-sets.md ``[quota]``).

Decree text read: ``git show HEAD:van-ban/233-2026-ND-CP-danh-gia-xep-loai-vien-chuc.md``
in the diepxuan.github.io mirror — k6 a "không vượt quá 20% tổng số viên chức được xếp loại
'Hoàn thành tốt nhiệm vụ' trong phạm vi cùng một cơ quan, đơn vị"; k6 b "Trường hợp đơn vị
sự nghiệp công lập … được cấp có thẩm quyền quyết định công nhận đơn vị 'Hoàn thành xuất
sắc nhiệm vụ' thì … không vượt quá 25%".

A month of a unit whose own rule file grades months (``classified = ["month", "year"]``
over ``vn.nd233-2026``), September 2026, through the objects, the CSV frames and the
command line. Every viên chức has full general marks (30) and a = b = c = x: 30 + 0.7 x,
so x = 80 → 86 (HTT), x = 100 → 100 (HTXS candidate). The units have no head (no head
cap, no management score) and are scored 100 × done / assigned (HTXS from 90); each has 3
of its 10 tasks exceeded, so that a unit scored 100 meets NĐ 233 Điều 7 k1 a (100 % done,
≥ 30 % exceeded) and none is KHT (k4 b: all did ≥ 80 %); no parent has two HTXS sub-units
(k7 c):

* BV1 (hospital, 10/10 → 100, HTXS) > K1 (khoa, 8/10 → 80, HTT) > T1 (tổ, 8/10, HTT);
* BV2 (hospital, 8/10 → 80, HTT) > K2 (khoa, 10/10 → 100, HTXS);
* each of K1, T1, K2: four people at 86 (the base: 4 HTT) and one at 100 (X).

By hand, the quota per unit (k6 a's "cùng một cơ quan, đơn vị"), floor:

* K1, T1: their public service unit BV1 is HTXS → 25 % × 4 = 1 → K1X, T1X keep HTXS;
* K2: its public service unit BV2 is HTT → 20 % × 4 = 0.8 → 0 → K2X is demoted to HTT,
  though K2 itself is HTXS.

The old engine raised the quota on the person's own unit: K1X and T1X demoted, K2X kept.
A single-level organisation (each unit its own public service unit) is unchanged: U
(HTXS) keeps its X at 25 %, V (HTT) demotes its X at 20 %.
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
from evalkit.rules import RuleSet
from tests._cli_helpers import header_columns, ok, org_file

RULE_FILE = """extends = "vn.nd233-2026"
id = "mau.thang-233"
jurisdiction = "vn.mau"
classified = ["month", "year"]
"""
PERIOD = "2026-09"
#: unit: parent, tasks done of 10, name
TWO_LEVEL: dict[str, tuple[str | None, int, str]] = {
    "BV1": (None, 10, "Bệnh viện 1"), "K1": ("BV1", 8, "Khoa Nội"), "T1": ("K1", 8, "Tổ 1"),
    "BV2": (None, 8, "Bệnh viện 2"), "K2": ("BV2", 10, "Khoa Nhi")}  # fmt: skip
ONE_LEVEL: dict[str, tuple[str | None, int, str]] = {
    "U": (None, 10, "Trung tâm U"), "V": (None, 8, "Trung tâm V")}  # fmt: skip
#: the units with people: four at 86 and X at 100
STAFFED = ("K1", "T1", "K2", "U", "V")
#: by hand (module docstring): the X of each staffed unit → (its grade, the quota's percent)
WANT = {"K1X": ("HTXS", 25.0), "T1X": ("HTXS", 25.0), "K2X": ("HTT", 20.0),
        "UX": ("HTXS", 25.0), "VX": ("HTT", 20.0)}  # fmt: skip
DEMOTED = {"K2X", "VX"}
#: tasks exceeded of the 10 of every unit: NĐ 233 Điều 7 k1 a's 30 % (a unit at 100 is HTXS)
EXCEEDED = 3


def people(units: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """staff id → (unit, x)."""
    return {f"{u}{s}": (u, 100 if s == "X" else 80)
            for u in units if u in STAFFED for s in ("S1", "S2", "S3", "S4", "X")}  # fmt: skip


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleSet:
    path = tmp_path_factory.mktemp("rules119") / "mau.thang-233.toml"
    path.write_text(RULE_FILE, encoding="utf-8")
    return evalkit.rules.load(path)


def _marks(rs: RuleSet, x: int) -> dict[str, Any]:
    return {**rs.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), x)}


def by_frames(rs: RuleSet, units: dict[str, Any], tmp: Path) -> dict[str, tuple[str, float]]:
    """``classify_frame`` on the frames written as CSV and read back."""
    rows = [{"staff_id": s, "full_name": f"Người {s}", "unit_id": u, "period": PERIOD,
             "category": "vien_chuc", **_marks(rs, x)} for s, (u, x) in people(units).items()]
    urows = [{"unit_id": u, "name": n, "parent_id": par, "period": PERIOD,
              "tasks_assigned": 10, "tasks_done": d, "tasks_exceeded": EXCEEDED}
             for u, (par, d, n) in units.items()]
    pd.DataFrame(rows).to_csv(tmp / "staff.csv", index=False)
    pd.DataFrame(urows).to_csv(tmp / "units.csv", index=False)
    staff, _ = evalkit.classify_frame(pd.read_csv(tmp / "staff.csv"),
                                      pd.read_csv(tmp / "units.csv"), rs)  # fmt: skip
    g = staff.set_index("staff_id")
    return {str(s): (str(g.loc[s, "grade"]), float(g.loc[s, "quota_percent"])) for s in g.index}


def organisation(units: dict[str, Any]) -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit(u, n, parent_id=par) for u, (par, _, n) in units.items()],
        staff=[evalkit.Staff(s, f"Người {s}", "VC", u, category="vien_chuc")
               for s, (u, _) in people(units).items()],
        positions=[evalkit.Position("VC", "Viên chức")])  # fmt: skip


def by_objects(rs: RuleSet, units: dict[str, Any]) -> dict[str, tuple[str, float]]:
    """``classify_organisation``: each person's grade and their unit's quota percent."""
    said = [evalkit.Assessment(s, PERIOD, competent_scores=_marks(rs, x))
            for s, (_, x) in people(units).items()]
    inputs = [evalkit.UnitInputs(u, PERIOD, tasks_assigned=10, tasks_done=d,
                                 tasks_exceeded=EXCEEDED) for u, (_, d, _) in units.items()]
    out = evalkit.classify_organisation(organisation(units), said, inputs, rs)
    got = {}
    for c in out.values():
        for r in c.staff:
            assert r.grade is not None
            got[r.staff_id] = (r.grade.code, c.quotas[0].percent if c.quotas else float("nan"))
    return got


def by_cli(rs: RuleSet, units: dict[str, Any], tmp: Path) -> dict[str, tuple[str, float]]:
    """template → filled as a person would → validate → classify, with the rule file."""
    rule_file = tmp / "mau.thang-233.toml"
    rule_file.write_text(RULE_FILE, encoding="utf-8")
    org = org_file(
        tmp, "unit_id,name,parent_id\n" + "".join(f"{u},{n},{par or ''}\n"
                                                 for u, (par, _, n) in units.items()),
        "position_id,title,manages_others\nVC,Viên chức,\n",
        "staff_id,full_name,position_id,unit_id,category\n" + "".join(
            f"{s},Người {s},VC,{u},vien_chuc\n" for s, (u, _) in people(units).items()))
    tpl, book, csv = tmp / "mau.xlsx", tmp / "thang.xlsx", tmp / "ket-qua.csv"
    ok("template", "--rules", str(rule_file), "--period", PERIOD, "--org", str(org), str(tpl))
    wb = openpyxl.load_workbook(tpl)
    ws, who = wb[SCORES_SHEET], people(units)
    col = header_columns(ws)
    for r in range(2, ws.max_row + 1):
        if (sid := ws.cell(r, col["staff_id"]).value) is not None:
            for k, v in _marks(rs, who[sid][1]).items():
                ws.cell(r, col["competent__" + k], v)
    wu = wb[UNITS_SHEET]
    ucol = header_columns(wu)
    for r in range(2, wu.max_row + 1):
        if u := wu.cell(r, ucol["unit_id"]).value:
            wu.cell(r, ucol["tasks_assigned"], 10)
            wu.cell(r, ucol["tasks_done"], units[u][1])
            wu.cell(r, ucol["tasks_exceeded"], EXCEEDED)
    wb.save(book)
    ok("validate", str(book), "--rules", str(rule_file), "--org", str(org))
    ok("classify", str(book), "--rules", str(rule_file), "--org", str(org), "--out", str(csv))
    g = pd.read_csv(csv, dtype={"staff_id": str}).set_index("staff_id")
    return {str(s): (str(g.loc[s, "grade"]), float(g.loc[s, "quota_percent"])) for s in g.index}


def _check(got: dict[str, tuple[str, float]], units: dict[str, Any]) -> None:
    want = {s: WANT[s] for s in people(units) if s in WANT}
    assert {s: got[s] for s in want} == want
    for s in set(people(units)) - set(WANT):  # the base: 86, HTT, whatever the quota
        assert got[s][0] == "HTT", s


@pytest.mark.parametrize("units", [TWO_LEVEL, ONE_LEVEL], ids=["two_level", "one_level"])
def test_the_frames_raise_the_quota_on_the_public_service_unit(
        rules: RuleSet, units: dict[str, Any], tmp_path: Path) -> None:
    _check(by_frames(rules, units, tmp_path), units)


@pytest.mark.parametrize("units", [TWO_LEVEL, ONE_LEVEL], ids=["two_level", "one_level"])
def test_the_objects_raise_the_quota_on_the_public_service_unit(
        rules: RuleSet, units: dict[str, Any]) -> None:
    _check(by_objects(rules, units), units)


@pytest.mark.slow
@pytest.mark.parametrize("units", [TWO_LEVEL, ONE_LEVEL], ids=["two_level", "one_level"])
def test_the_command_line_raises_the_quota_on_the_public_service_unit(
        rules: RuleSet, units: dict[str, Any], tmp_path: Path) -> None:
    _check(by_cli(rules, units, tmp_path), units)


def test_the_demotion_is_said_where_the_public_service_unit_is_htt(rules: RuleSet) -> None:
    """K2X (100 points, K2 HTXS, BV2 HTT) is demoted by the quota citing k6 a (20 %); K1X
    (K1 HTT, BV1 HTXS) is kept within the 25 % of k6 b."""
    out = evalkit.classify_organisation(organisation(TWO_LEVEL), [
        evalkit.Assessment(p, PERIOD, competent_scores=_marks(rules, x))
        for p, (_, x) in people(TWO_LEVEL).items()], [
        evalkit.UnitInputs(u, PERIOD, tasks_assigned=10, tasks_done=d, tasks_exceeded=EXCEEDED)
        for u, (_, d, _) in TWO_LEVEL.items()], rules)  # fmt: skip
    assert {u: c.unit.grade.code for u, c in out.items() if c.unit.grade} == {
        "BV1": "HTXS", "K1": "HTT", "T1": "HTT", "BV2": "HTT", "K2": "HTXS"}
    for sid in DEMOTED & set(people(TWO_LEVEL)):
        r = out[sid[:2]].result_of(sid)
        demoted = [x for x in r.reasons if x.code == "quota.demoted"]
        assert len(demoted) == 1 and demoted[0].source == "NĐ 233/2026/NĐ-CP, Điều 12 k6 a"
    for unit in ("K1", "T1"):
        q = out[unit].quotas[0]
        assert (q.percent, q.cap, q.kept, q.demoted, q.source) == (
            25.0, 1, (f"{unit}X",), (), "NĐ 233/2026/NĐ-CP, Điều 12 k6 b")


def test_raised_when_takes_three_values(tmp_path: Path) -> None:
    """``raised_when`` is unit_excellent, top_unit_excellent or exceptional; anything else
    is refused naming the three."""
    path = tmp_path / "t.toml"
    for value in ("unit_excellent", "top_unit_excellent", "exceptional"):
        path.write_text(f'extends = "vn.nd233-2026"\nid = "t.q"\njurisdiction = "t"\n'
                        f'[quota]\nraised_when = "{value}"\n', encoding="utf-8")
        q = evalkit.rules.load(path).quota
        assert q is not None and q.raised_when == value
    path.write_text('extends = "vn.nd233-2026"\nid = "t.q"\njurisdiction = "t"\n'
                    '[quota]\nraised_when = "top_unit"\n', encoding="utf-8")
    with pytest.raises(evalkit.errors.RuleSetError,
                       match="raised_when must be unit_excellent, top_unit_excellent or "
                             "exceptional, not 'top_unit'"):  # fmt: skip
        evalkit.rules.load(path)


def test_a_centre_under_a_so_is_its_own_public_service_unit() -> None:
    """The demo: the Trung tâm Lưu trữ lịch sử (SNV-TTLT, viên chức, NĐ 233/2026) under the
    Sở Nội vụ (SNV, công chức, NĐ 335/2025). The Sở is the body above the public service
    unit, not part of it: the walk to the public service unit stops where the rule set
    changes (docs/rule-sets.md ``[quota]``). So for the year 2026 the Sở's HTXS does not
    raise the Trung tâm's quota: the Trung tâm is rated HTT → k6 a's 20 %, not k6 b's 25 %."""
    from evalkit.demo import classify_demo

    got = classify_demo()
    year = got.year.set_index("staff_id")
    so = year[year["unit_id"] == "SNV"]
    centre = year[year["unit_id"] == "SNV-TTLT"]
    assert set(so["unit_grade"]) == {"HTXS"} and set(so["rule_set"]) == {"vn.nd335-2025"}
    assert set(centre["unit_grade"]) == {"HTT"}
    assert set(centre["rule_set"]) == {"vn.nd233-2026"}
    assert set(centre["quota_percent"]) == {20.0}
    assert not centre["quota_raised"].any()
