"""One engine, one answer for the decree's own cases (issue 14's Done-when): converted
products, the rounding option at the band edge and a deputy with corruption in the body
they manage, each through three doors, with the legal value worked out by hand.

The doors (those of ``tests/test_equivalence.py``):

* **objects** — the product table built in Python → :func:`evalkit.products.task_components`
  → a, b, c into :class:`evalkit.Assessment` → :func:`evalkit.classify_organisation`;
* **frame** — the staff-months, the units and the product table as a user's CSV files read
  back with ``pd.read_csv`` (pandas' own dtypes) → :func:`evalkit.products.task_components`
  → :func:`evalkit.classify_frame`;
* **CLI** — ``evalkit org`` → ``template`` → the workbook typed with openpyxl, the products
  as the tasks of its ``Nhiệm vụ`` sheet (the task-tracker import: ``quantity`` and
  ``coefficient`` columns) → ``validate`` → ``classify``.

Each door runs the same month three times: under the preset ``vn.nd335-2025`` (``[scoring]
rounding = "half_up"``, the corruption cap on ``leaders``), under a small agency file that
extends it with ``rounding = "truncate"``, and under one that narrows the corruption cap to
``applies_to = "heads"`` (the files are given as objects to the Python doors and as
``--rules FILE.toml`` to the CLI). Person by person the totals, each level's totals, the
score band, grade, proposed grade, classified flag and the reasons (code, both sentences,
citation) agree, and equal the values computed here by hand from the decree's rules.

The cases, in one agency (Sở Nội vụ; its Phòng TCCB has a head, a deputy and two staff):

1. **Converted products** (NĐ 335/2025 Điều 14 k1, k2; docs/products.md), CV-01 in March:
   a report line of 2 units (coefficient 1, done on time, one major error), an inspection of
   1 unit with coefficient 2 (done on time) and a third product of 1 unit left unfinished.
2. **Rounding at the band edge**, CV-02: general criteria 19.995 and full task results make
   89.995 — 90.00 (HTXS band) half-up, 89.99 (HTT band) truncated.
3. **A deputy with corruption in the body they manage** (Điều 20 k4 d; the preset's cap
   covers ``leaders``: heads and deputies), PP-01: full marks, the workbook's
   ``corruption_in_unit`` marked — KHT with the disqualifier's reason; the head TP-01 marked
   too is KHT under both coverages, the deputy keeps the HTXS band under ``heads``.

Every door can express every case (3 cases × 3 doors × 3 rule sets). The CLI door could not
until the workbook's tasks sheet got the ``quantity`` and ``coefficient`` columns of the
task-tracker import (:mod:`evalkit.io.tasks`): a two-coefficient month was an unknown header.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import evalkit
from evalkit.io.jsonio import read_json
from evalkit.io.results import read_results
from evalkit.io.workbook import SCORES_SHEET, TASKS_SHEET, UNITS_SHEET
from evalkit.model import Grade
from evalkit.products import task_components
from evalkit.rules import RuleSet
from evalkit.units import UnitInputs, results_from_frame
from tests._cli_helpers import ok, run
from tests._io_helpers import header_ids
from tests.helpers import DD, A, B, C, E, general

PERIOD = "2026-03"
PRESET = "vn.nd335-2025"
TRUNCATE = "mau.so-vi-du-cat-bot-2026"
HEADS = "mau.so-vi-du-nguoi-dung-dau-2026"

# =========================================================================== the agency

FILES = {
    "don-vi.csv": """\
unit_id,name,parent_id,head_id,governing_body,place
SNV,Sở Nội vụ tỉnh Sông Lam,,GD-01,Ủy ban nhân dân tỉnh Sông Lam,Lam Giang
TCCB,Phòng Tổ chức cán bộ,SNV,TP-01,Sở Nội vụ tỉnh Sông Lam,Lam Giang
""",
    "vi-tri.csv": """\
position_id,title,manages_others
giam_doc,Giám đốc Sở,x
truong_phong,Trưởng phòng,x
pho_truong_phong,Phó Trưởng phòng,x
chuyen_vien,Chuyên viên,
""",
    "nhan-su.csv": """\
staff_id,full_name,title_vi,position_id,unit_id,manager_id
GD-01,Lê Văn Thành,Giám đốc,giam_doc,SNV,
TP-01,Nguyễn Thị Hồng,Trưởng phòng,truong_phong,TCCB,GD-01
PP-01,Vũ Quốc Khánh,Phó Trưởng phòng,pho_truong_phong,TCCB,TP-01
CV-01,Trần Văn An,,chuyen_vien,TCCB,TP-01
CV-02,Phạm Thị Bình,,chuyen_vien,TCCB,TP-01
""",
    # an agency file that changes one open point of the preset: rounding
    "cat-bot.toml": f"""\
extends = "{PRESET}"
id = "{TRUNCATE}"
jurisdiction = "vn.mau.so-vi-du"
title_vi = "Đánh giá công chức của Sở Ví Dụ: điểm làm tròn xuống đến hai chữ số thập phân"

[scoring]
rounding = "truncate"
""",
    # …and one that narrows the corruption disqualifier to heads (arrays of tables are
    # replaced whole by `extends`: the preset's three caps, the last one changed)
    "nguoi-dung-dau.toml": f"""\
extends = "{PRESET}"
id = "{HEADS}"
jurisdiction = "vn.mau.so-vi-du-2"
title_vi = "Đánh giá công chức của Sở Ví Dụ: tham nhũng chỉ loại trừ người đứng đầu"

[[caps]]
id = "degradation"
flag = "degradation"
grade = "KHT"
label_vi = "Được cấp có thẩm quyền kết luận suy thoái"
source = "NĐ 335/2025/NĐ-CP, Điều 20 k4 b"

[[caps]]
id = "discipline"
flag = "duty_discipline"
at_least = 1
grade = "KHT"
label_vi = "Bị kỷ luật từ khiển trách trở lên do vi phạm liên quan đến thi hành công vụ"
source = "NĐ 335/2025/NĐ-CP, Điều 20 k4 c"

[[caps]]
id = "corruption"
flag = "corruption_in_unit"
applies_to = "heads"
grade = "KHT"
label_vi = "Để xảy ra tham nhũng, lãng phí tại cơ quan, đơn vị do mình đứng đầu"
source = "NĐ 335/2025/NĐ-CP, Điều 20 k4 d"
""",
}  # fmt: skip
RULE_FILES = {PRESET: PRESET, TRUNCATE: "cat-bot.toml", HEADS: "nguoi-dung-dau.toml"}

#: Full marks for the three management components' typed parts (đ, e); d is computed from
#: the subordinates' scores (Điều 15 k3), so nobody types it.
LEADER = {A: 100.0, B: 100.0, C: 100.0, DD: 100.0, E: 100.0}
#: What the direct manager typed for each person (the counting level); CV-01's a, b, c come
#: from the product table. Flags beside the scores.
TYPED: dict[str, dict[str, Any]] = {
    "GD-01": {"scores": {**general(30), **LEADER}},
    "TP-01": {"scores": {**general(30), **LEADER}, "corruption_in_unit": True},
    "PP-01": {"scores": {**general(30), **LEADER}, "corruption_in_unit": True},
    "CV-01": {"scores": general(30)},
    "CV-02": {"scores": {**general(19.995), A: 100.0, B: 100.0, C: 100.0}},
}
MANAGES = {"GD-01", "TP-01", "PP-01"}

#: CV-01's products in March (Điều 14 k1: quantity × coefficient = converted products).
PRODUCTS = pd.DataFrame({
    "staff_id": ["CV-01"] * 3,
    "period": [PERIOD] * 3,
    "product_id": ["BC-1", "TT-1", "HS-1"],
    "quantity": [2, 1, 1],
    "coefficient": [1.0, 2.0, 1.0],
    "done": [2, 1, 0],
    "on_time": [2, 1, 0],
    "errors": [1, 0, 0],
})  # fmt: skip
#: The same products as tasks of the workbook's tasks sheet (due and done dates decide
#: done and on time; a blank done date is an unfinished product).
TASKS = [
    {"task_id": "BC-1", "assignee": "CV-01", "unit_id": "TCCB", "assigned": "2026-03-02",
     "due": "2026-03-20", "done": "2026-03-18", "errors": 1, "quantity": 2, "coefficient": 1},
    {"task_id": "TT-1", "assignee": "CV-01", "unit_id": "TCCB", "assigned": "2026-03-02",
     "due": "2026-03-25", "done": "2026-03-24", "quantity": 1, "coefficient": 2},
    {"task_id": "HS-1", "assignee": "CV-01", "unit_id": "TCCB", "assigned": "2026-03-05",
     "due": "2026-03-27", "quantity": 1, "coefficient": 1},
]  # fmt: skip
#: The unit's task counts the CLI counts from the tasks sheet (3 assigned, 2 done on time,
#: 1 overdue), given to the Python doors as the unit's results.
UNIT_TASKS = {"TCCB": {"tasks_assigned": 3, "tasks_done": 2, "tasks_on_time": 2,
                       "tasks_overdue": 1, "tasks_exceeded": 0}}  # fmt: skip

# =========================================================================== the law, by hand

# 1. Converted products (Điều 14 k2, per = "unit", 25 % per event, floor 0):
#    assigned  = 2 × 1 + 1 × 2 + 1 × 1                   = 5 converted products
#    a         = (2 × 1 + 1 × 2 + 0) ÷ 5                 = 4 ÷ 5    = 80 %
#    b         = ((2 − 0.25 × 1) × 1 + 1 × 2 + 0) ÷ 5    = 3.75 ÷ 5 = 75 %   (the error
#                costs a quarter of one unit of BC-1; the unfinished HS-1 counts 0)
#    c         = (2 × 1 + 1 × 2 + 0) ÷ 5                 = 80 %  (both done ones on time)
#    total     = 30 + (80 + 75 + 80) ÷ 3 × 70 %          = 30 + 54.8333… = 84.83 → HTT band
#    (84.833… is 84.83 half-up and truncated alike)
ABC = {A: 80.0, B: 75.0, C: 80.0}
# 2. 89.995: general 19.995 + (100 + 100 + 100) ÷ 3 × 70 % = 89.995;
#    half_up → 90.00 ≥ 90 → HTXS band (Điều 20 k1); truncate → 89.99 < 90 → HTT band (k2).
# 3. The deputy: 30 + 70 = 100 (HTXS band) but Điều 20 k4 d → KHT whatever the score;
#    under an agency's `applies_to = "heads"` the cap does not reach a deputy: HTXS band.
#    The head of the same division (corruption marked too) is KHT under both coverages.
# The head, the director: 30 + (6 × 100) ÷ 6 × 70 % = 100 (d = 100: nobody under them
# scores below 50, Điều 15 k3).
EXPECTED: dict[str, dict[str, tuple[float, Grade, Grade]]] = {
    # rule set → person → (total, score band, the grade the rules decide)
    PRESET: {"GD-01": (100.0, Grade.HTXS, Grade.HTXS), "TP-01": (100.0, Grade.HTXS, Grade.KHT),
             "PP-01": (100.0, Grade.HTXS, Grade.KHT), "CV-01": (84.83, Grade.HTT, Grade.HTT),
             "CV-02": (90.0, Grade.HTXS, Grade.HTXS)},
    TRUNCATE: {"GD-01": (100.0, Grade.HTXS, Grade.HTXS),
               "TP-01": (100.0, Grade.HTXS, Grade.KHT),
               "PP-01": (100.0, Grade.HTXS, Grade.KHT), "CV-01": (84.83, Grade.HTT, Grade.HTT),
               "CV-02": (89.99, Grade.HTT, Grade.HTT)},
    HEADS: {"GD-01": (100.0, Grade.HTXS, Grade.HTXS), "TP-01": (100.0, Grade.HTXS, Grade.KHT),
            "PP-01": (100.0, Grade.HTXS, Grade.HTXS), "CV-01": (84.83, Grade.HTT, Grade.HTT),
            "CV-02": (90.0, Grade.HTXS, Grade.HTXS)},
}  # fmt: skip


# =========================================================================== helpers


def key(r: evalkit.EvaluationResult) -> tuple[Any, ...]:
    """What a sheet and an export show of one person's month."""
    reasons = [(x.code, x.message_vi, x.message_en, x.source) for x in r.reasons]
    return (r.total, r.score_grade, r.grade, r.proposed_grade, r.classified,
            dict(r.level_totals), reasons)  # fmt: skip


def decided(r: evalkit.EvaluationResult) -> Grade | None:
    """The grade the rules decide: the grade, or in a month the set only monitors
    (NĐ 335 Điều 21: the year is classified) the grade proposed after the disqualifiers."""
    return r.grade if r.grade is not None else r.proposed_grade


@pytest.fixture(scope="module")
def agency(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The agency's files, its organisation (``evalkit org``) and the two rule sets."""
    root = tmp_path_factory.mktemp("decree")
    with contextlib.chdir(root):
        for name, content in FILES.items():
            Path(name).write_text(content, encoding="utf-8")
        ok("org", "--units", "don-vi.csv", "--positions", "vi-tri.csv", "--staff",
           "nhan-su.csv", "--out", "to-chuc.json")  # fmt: skip
    org = read_json(root / "to-chuc.json", evalkit.Organisation)
    assert isinstance(org, evalkit.Organisation)
    sets = {PRESET: evalkit.rules.get(PRESET),
            TRUNCATE: evalkit.rules.load(root / RULE_FILES[TRUNCATE]),
            HEADS: evalkit.rules.load(root / RULE_FILES[HEADS])}  # fmt: skip
    assert sets[PRESET].scoring.rounding == sets[HEADS].scoring.rounding == "half_up"
    assert sets[TRUNCATE].scoring.rounding == "truncate"
    covers = {k: next(c.applies_to for c in rs.caps if c.id == "corruption")
              for k, rs in sets.items()}  # fmt: skip
    assert covers == {PRESET: "leaders", TRUNCATE: "leaders", HEADS: "heads"}
    return {"root": root, "org": org, "sets": sets}


# =========================================================================== the doors


def object_door(org: evalkit.Organisation, rs: RuleSet) -> dict[str, evalkit.EvaluationResult]:
    """Python objects: the product table → a, b, c → Assessments → classify_organisation."""
    out = task_components(PRODUCTS, rs)
    abc = {sid: {A: a, B: b, C: c} for sid, a, b, c in
           zip(out["staff_id"], out[A], out[B], out[C], strict=True)}  # fmt: skip
    assessments = [
        evalkit.Assessment(sid, PERIOD, manager_scores={**d["scores"], **abc.get(sid, {})},
                           corruption_in_unit=d.get("corruption_in_unit", False))
        for sid, d in TYPED.items()
    ]  # fmt: skip
    units = [UnitInputs(u, PERIOD, **v) for u, v in UNIT_TASKS.items()]
    by_unit = evalkit.classify_organisation(org, assessments, units, rs, period=PERIOD)
    return {r.staff_id: r for c in by_unit.values() for r in c.staff}


def frame_door(tmp: Path, rs: RuleSet) -> dict[str, evalkit.EvaluationResult]:
    """CSV files of an HR system and a task tracker, read back with ``pd.read_csv``."""
    staff_rows = [{"staff_id": s["staff_id"], "period": PERIOD, "unit_id": s["unit_id"],
                   "manager_id": s["manager_id"], "category": "cong_chuc",
                   "manages_others": s["staff_id"] in MANAGES,
                   "corruption_in_unit": TYPED[s["staff_id"]].get("corruption_in_unit", False),
                   **{f"manager__{k}": v for k, v in TYPED[s["staff_id"]]["scores"].items()}}
                  for s in pd.read_csv(tmp / "nhan-su.csv").to_dict("records")]  # fmt: skip
    pd.DataFrame(staff_rows).to_csv(tmp / "staff.csv", index=False)
    PRODUCTS.to_csv(tmp / "products.csv", index=False)
    units = pd.read_csv(tmp / "don-vi.csv").assign(period=PERIOD)
    units = units.merge(pd.DataFrame.from_dict(UNIT_TASKS, orient="index"),
                        left_on="unit_id", right_index=True, how="left")  # fmt: skip
    units.to_csv(tmp / "units.csv", index=False)

    staff = pd.read_csv(tmp / "staff.csv")
    products = pd.read_csv(tmp / "products.csv")
    assert str(staff["staff_id"].dtype) != "category" and staff["manager_id"].isna().any()
    abc = task_components(products, rs)[["staff_id", "period", A, B, C]]
    staff = staff.merge(abc, on=["staff_id", "period"], how="left", suffixes=("", "_products"))
    for c in (A, B, C):  # the products fill the manager's blank cells (typed values win)
        staff[f"manager__{c}"] = staff[f"manager__{c}"].fillna(staff.pop(c))
    for c in {k for d in TYPED.values() for k in d["scores"]} | {A, B, C}:
        staff[c] = staff[f"manager__{c}"]  # the counting level's score is the manager's
    results, _units = evalkit.classify_frame(staff, pd.read_csv(tmp / "units.csv"), rs)
    return {r.staff_id: r for r in results_from_frame(results, rules=rs)}


def type_workbook(path: Path) -> None:
    """Open the template and type the month like a person: the manager's scores, the
    deputy's corruption mark, the tasks with their quantity and coefficient."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SCORES_SHEET]
    col = {cid: i + 1 for i, cid in enumerate(header_ids(ws)) if cid}
    rows = {ws.cell(row=r, column=col["staff_id"]).value: r for r in range(2, ws.max_row + 1)}
    for sid, d in TYPED.items():
        r = rows[sid]
        for crit, value in d["scores"].items():
            ws.cell(row=r, column=col[f"manager__{crit}"]).value = value
        if d.get("corruption_in_unit"):
            ws.cell(row=r, column=col["corruption_in_unit"]).value = "x"
    tasks = wb[TASKS_SHEET]
    tcol = {cid: i + 1 for i, cid in enumerate(header_ids(tasks)) if cid}
    for r, task in enumerate(TASKS, start=2):
        for cid, value in task.items():
            tasks.cell(row=r, column=tcol[cid]).value = value
    assert UNITS_SHEET in wb.sheetnames  # the unit counts come from the tasks sheet
    wb.save(path)


def cli_door(root: Path, rule: str, rs: RuleSet) -> dict[str, evalkit.EvaluationResult]:
    """docs/monthly-script.md: template → type → validate → classify, with ``--rules``."""
    book = f"thang-{rs.id}.xlsx"
    out = f"ket-qua-{rs.id}.json"
    with contextlib.chdir(root):
        ok("template", "--rules", rule, "--period", PERIOD, "--org", "to-chuc.json", book)
        type_workbook(Path(book))
        assert "không có lỗi" in ok("validate", book, "--rules", rule, "--period", PERIOD)
        ok("classify", book, "--rules", rule, "--out", out)
    frame = read_results(root / out)
    assert set(frame["rule_set"].astype(str)) == {rs.id}
    return {r.staff_id: r for r in results_from_frame(frame, rules=rs)}


# =========================================================================== the tests


def test_the_product_table_gives_the_decrees_a_b_c() -> None:
    """NĐ 335/2025 Điều 14 k2: the month of case 1 → a 80, b 75, c 80 (worked above)."""
    out = task_components(PRODUCTS, PRESET)
    assert out[["staff_id", "period"]].values.tolist() == [["CV-01", PERIOD]]
    assert {c: out[c].tolist() for c in (A, B, C)} == {c: [v] for c, v in ABC.items()}
    assert out["converted_assigned"].tolist() == [5.0]


@pytest.mark.parametrize("rule_set", [PRESET, TRUNCATE, HEADS])
def test_objects_frame_and_cli_agree_on_the_decrees_cases(
    rule_set: str, agency: dict[str, Any], tmp_path: Path
) -> None:
    org, rs, root = agency["org"], agency["sets"][rule_set], agency["root"]
    for name in ("nhan-su.csv", "don-vi.csv"):
        (tmp_path / name).write_text(FILES[name], encoding="utf-8")
    doors = {"objects": object_door(org, rs), "frame": frame_door(tmp_path, rs),
             "cli": cli_door(root, RULE_FILES[rule_set], rs)}  # fmt: skip
    want = doors["objects"]
    assert set(want) == set(TYPED)
    for door, got in doors.items():
        assert set(got) == set(want), door
        for sid in TYPED:
            assert key(got[sid]) == key(want[sid]), (door, sid)
            total, band, grade = EXPECTED[rule_set][sid]
            r = got[sid]
            assert (r.total, r.score_grade, decided(r)) == (total, band, grade), (door, sid)
            assert r.classified is False  # NĐ 335 Điều 21: the month is monitoring
    for door, got in doors.items():
        codes = {sid: set(r.reason_codes()) for sid, r in got.items()}
        # 3. the deputy is KHT by the corruption disqualifier (not under `heads`), the head
        #    always; nobody else is disqualified
        hit = {sid for sid, cs in codes.items() if any(c.startswith("disqualifier") for c in cs)}
        assert hit == ({"TP-01"} if rule_set == HEADS else {"TP-01", "PP-01"}), door
        assert "disqualifier.corruption" in codes["TP-01"], door
        # 1. the task block from the products: 54.83 of 70 at the counting level
        assert got["CV-01"].level_totals == {evalkit.Level.MANAGER: 84.83}, door



def _bad_tasks(agency: dict[str, Any], book: str,
               cells: dict[tuple[int, str], Any]) -> tuple[int, list[dict[str, Any]]]:  # fmt: skip
    """The typed month with ``cells`` of its tasks sheet changed ((row, column) → value);
    ``validate``'s exit code and problems, and ``classify`` must write nothing."""
    import json

    with contextlib.chdir(agency["root"]):
        ok("template", "--rules", PRESET, "--period", PERIOD, "--org", "to-chuc.json", book)
        type_workbook(Path(book))
        wb = openpyxl.load_workbook(book)
        tasks = wb[TASKS_SHEET]
        tcol = {cid: i + 1 for i, cid in enumerate(header_ids(tasks)) if cid}
        for (row, column), value in cells.items():
            tasks.cell(row=row, column=tcol[column]).value = value
        wb.save(book)
        code, out, err = run("validate", book, "--period", PERIOD, "--json", "--lang", "en")
        assert run("classify", book, "--out", f"{book}.json")[0] == 1, (out, err)
        assert not Path(f"{book}.json").exists()
    return code, json.loads(out)["problems"]


@pytest.mark.parametrize(("row", "column", "value", "message"), [
    (3, "coefficient", 0, "a coefficient must be a number above 0"),
    (4, "quantity", -1, "is negative"),
])  # fmt: skip
def test_a_bad_coefficient_or_quantity_in_the_tasks_sheet_is_located(
    agency: dict[str, Any], row: int, column: str, value: int, message: str
) -> None:
    """Bad input (issue 14): a coefficient ≤ 0 or a negative quantity on the tasks sheet is
    named with its sheet, row, column and value, and nothing is classified."""
    code, problems = _bad_tasks(agency, f"sai-{column}.xlsx", {(row, column): value})
    assert code == 1
    found = [(p["row"], p["column"], p["value"], p["message"])
             for p in problems if p["sheet"] == TASKS_SHEET]  # fmt: skip
    assert len(found) == 1 and found[0][:3] == (row, column, value), found
    assert message in found[0][3]


def test_every_problem_of_the_tasks_sheet_in_one_read_and_no_echo(agency: dict[str, Any]) -> None:
    """A negative quantity (a cell the reader refuses) and a coefficient of 0 (a check of
    the task table) on two rows are both named by one ``validate``; the assignee's blank
    task criteria, left blank by the refused sheet, are not reported as their own."""
    code, problems = _bad_tasks(agency, "sai-hai.xlsx",
                                {(3, "coefficient"): 0, (4, "quantity"): -1})  # fmt: skip
    assert code == 1
    on_tasks = sorted((p["row"], p["column"]) for p in problems if p["sheet"] == TASKS_SHEET)
    assert on_tasks == [(3, "coefficient"), (4, "quantity")], problems
    assert [p for p in problems if p["sheet"] != TASKS_SHEET] == [], problems
