"""NĐ 233/2026/NĐ-CP Phụ lục I: a viên chức's general criteria are the annex's items, no more.

The annex (copy of the decree's text, docs/_research/legal-sources.md §13) lists three items
under group 3 (a: a breakthrough product or solution; b: responsibility for the results;
c: deciding within one's authority). NĐ 335 practice's fourth item, "Sẵn sàng thực hiện
nhiệm vụ đặc biệt quan trọng …" (``nhiem_vu_kho_khan``), is not in it: a viên chức's sheet
under NĐ 233 does not print it, and a score typed under it is refused at every door — the
objects, ``score_frame``, a workbook and a CSV through the command line — naming the column,
never dropped. NĐ 335, the customs scheme and NĐ 90 months keep their own criteria.
The 10 points of c) split 4 + 3 + 3 (practice: the decree leaves the points to the unit's
regulation, Điều 12 k5).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
from evalkit import Assessment
from evalkit.errors import InputError, UnknownReferenceError
from evalkit.io.workbook import SCORES_SHEET
from tests._cli_helpers import fill_workbook, ok, one_each, run

ND233 = evalkit.rules.get("vn.nd233-2026")

#: NĐ 233/2026 Phụ lục I item 3 a–c, word for word (the decree's copy, legal-sources §13),
#: each with the criterion that scores it and its points (4 + 3 + 3, practice).
ANNEX_3 = (
    ("san_pham_dot_pha", "Có sản phẩm, giải pháp đột phá, sáng tạo đem lại giá trị, hiệu quả "
     "thiết thực, tác động tích cực đến kết quả thực hiện nhiệm vụ của tổ chức, đơn vị", 4),
    ("chiu_trach_nhiem", "Có tinh thần chịu trách nhiệm trước kết quả công việc; chủ động nhận "
     "trách nhiệm khi có sai sót và có biện pháp khắc phục rõ ràng, cụ thể", 3),
    ("chu_dong_quyet_dinh", "Chủ động đưa ra quyết định trong phạm vi thẩm quyền, không né "
     "tránh; có tinh thần tiên phong trong thực hiện những nhiệm vụ mới", 3),
)  # fmt: skip
#: NĐ 335 practice's fourth item of c), not in NĐ 233's annex.
NOT_IN_ANNEX = "Sẵn sàng thực hiện nhiệm vụ đặc biệt quan trọng"

#: A viên chức's September 2026 month: general 28 (a 9.5, b 9.5, c 9: 3.5 + 3 + 2.5) and
#: tasks (90 + 100 + 80) / 3 × 70 % = 63 → 91.
GENERAL = {"pham_chat_dao_duc": 5, "ky_luat_ky_cuong": 4.5, "nang_luc_chuyen_mon": 2.5,
           "dap_ung_nhiem_vu": 2, "tinh_than_trach_nhiem": 2.5, "phuc_vu_phoi_hop": 2.5,
           "san_pham_dot_pha": 3.5, "chiu_trach_nhiem": 3, "chu_dong_quyet_dinh": 2.5}  # fmt: skip
TASKS = {"so_luong": 90, "chat_luong": 100, "tien_do": 80}
TOTAL = 91.0
PERIOD = "2026-09"


def flat(text: str) -> str:
    """Whitespace (non-breaking spaces included) collapsed to single spaces."""
    return " ".join(text.split())


class TestTheAnnexItems:
    """The general group of vn.nd233-2026 is NĐ 233 Phụ lục I's, item for item."""

    def test_group_c_has_the_annex_three_items_in_its_order(self) -> None:
        """Phụ lục I item 3 has a), b), c): the set's c) is those three, worded as the annex."""
        c = [x for x in ND233.group("general").criteria if x.section == "c"]
        assert [(x.id, x.label_vi, float(x.maximum)) for x in c] == [
            (cid, label, float(points)) for cid, label, points in ANNEX_3]

    def test_c_sums_to_10_and_the_group_to_30(self) -> None:
        """c) 4 + 3 + 3 = 10; every section's items sum to its 10; the group is Điều 10's 30."""
        g = ND233.group("general")
        for s in g.sections:
            assert sum(float(x.maximum) for x in g.criteria if x.section == s.id) == s.maximum
        assert [float(s.maximum) for s in g.sections] == [10.0, 10.0, 10.0]
        assert sum(float(x.maximum) for x in g.criteria) == g.maximum == 30

    def test_no_item_the_annex_does_not_have(self) -> None:
        """nhiem_vu_kho_khan is not a criterion of NĐ 233, and no label of the set says it."""
        ids = {x.id for x in ND233.criteria()}
        assert "nhiem_vu_kho_khan" not in ids
        assert not [x.id for x in ND233.criteria() if NOT_IN_ANNEX in x.label_vi]
        assert ND233.full_marks().keys() >= {cid for cid, _, _ in ANNEX_3}

    def test_b_says_thuc_thi_as_the_annex_does(self) -> None:
        """Phụ lục I 2 b: "Khả năng đáp ứng yêu cầu thực thi nhiệm vụ được giao thường xuyên,
        đột xuất"; the heading of 1: "… kỷ luật, kỷ cương trong thực thi nhiệm vụ"."""
        assert ND233.criterion("dap_ung_nhiem_vu").label_vi == (
            "Khả năng đáp ứng yêu cầu thực thi nhiệm vụ được giao thường xuyên, đột xuất")
        assert ND233.criterion("ky_luat_ky_cuong").label_vi.endswith("trong thực thi nhiệm vụ")

    def test_nd335_customs_and_nd90_keep_their_criteria(self) -> None:
        """Only NĐ 233 follows its annex: NĐ 335 and the customs scheme keep the fourth item
        of their practice (4 × 2.5), NĐ 90/2020 has its own four criteria."""
        for rid in ("vn.nd335-2025", "vn.customs-2026q"):
            rs = evalkit.rules.get(rid)
            c = [x for x in rs.group("general").criteria if x.section == "c"]
            assert "nhiem_vu_kho_khan" in [x.id for x in c]
            assert [float(x.maximum) for x in c] == [2.5] * 4
        nd90 = evalkit.rules.get("vn.nd90-2020")
        assert [x.id for x in nd90.group("general").criteria] == [
            "chinh_tri", "dao_duc", "tac_phong", "ky_luat"]


def _within(maximum: float) -> st.SearchStrategy[float]:
    """A score from 0 to ``maximum`` in quarter points."""
    return st.integers(0, round(maximum * 4)).map(lambda q: q / 4)


GENERAL_SCORES = st.fixed_dictionaries(
    {x.id: _within(float(x.maximum)) for x in ND233.group("general").criteria})


@given(general=GENERAL_SCORES, tasks=st.tuples(*[st.integers(0, 100)] * 3),
       dtype=st.sampled_from(["float64", "Float64", "object"]))
def test_objects_and_score_frame_give_the_annex_sum(
        general: dict[str, float], tasks: tuple[int, int, int], dtype: str) -> None:
    """For any scores within the maxima, the general points are the sum of the annex's
    items (at most 30), the same through objects and ``score_frame`` in any dtype."""
    t = dict(zip(("so_luong", "chat_luong", "tien_do"), tasks, strict=True))
    obj = evalkit.score(Assessment("VC-1", PERIOD, competent_scores={**general, **t}),
                        category="vien_chuc")  # fmt: skip
    expected = round(sum(general.values()), 2)
    assert obj.rule_set_id == "vn.nd233-2026"
    assert obj.components["general"] == expected <= 30
    row = {"staff_id": "VC-1", "period": PERIOD, "category": "vien_chuc", **general, **t}
    frame = pd.DataFrame([row])
    scores = list({**general, **t})
    frame[scores] = frame[scores].astype(dtype)
    out = evalkit.score_frame(frame)
    assert out["rule_set"].iloc[0] == "vn.nd233-2026"
    assert (out["points_general"].iloc[0], out["total"].iloc[0]) == (expected, obj.total)


@given(value=st.one_of(st.integers(0, 3).map(float), st.sampled_from(["2,5", "2.5", "0"])),
       level=st.sampled_from(["", "self__", "manager__", "competent__"]))
def test_a_score_under_nhiem_vu_kho_khan_is_refused_naming_the_column(
        value: Any, level: str) -> None:
    """A viên chức month under NĐ 233 with any value under ``nhiem_vu_kho_khan`` (at any
    level) is refused by ``score_frame``, the column named, never dropped; the object door
    refuses it too."""
    column = level + "nhiem_vu_kho_khan"
    frame = pd.DataFrame([{"staff_id": "VC-1", "period": PERIOD, "category": "vien_chuc",
                           **GENERAL, **TASKS, column: value}])  # fmt: skip
    with pytest.raises(InputError) as caught:
        evalkit.score_frame(frame)
    said = [p for p in caught.value.problems if p.column == column]
    assert said and "vn.nd233-2026" in str(said[0].message)
    assert said[0].staff_id == "VC-1"
    with pytest.raises(UnknownReferenceError, match=r"nhiem_vu_kho_khan.*vn\.nd233-2026"):
        evalkit.score(Assessment("VC-1", PERIOD, competent_scores={
            **GENERAL, **TASKS, "nhiem_vu_kho_khan": 2.5}), category="vien_chuc")


def test_classifying_the_organisation_refuses_it_too() -> None:
    """``classify_organisation`` (objects → the one engine) refuses the score under
    ``nhiem_vu_kho_khan`` of a viên chức's September month, naming the column and the set;
    without it the person's total is 91, as through ``score``."""
    org = evalkit.Organisation(units=[evalkit.Unit("T", "Trung tâm")],
                               positions=[evalkit.Position("P", "Viên chức")],
                               staff=[evalkit.Staff("V1", "V1", "P", "T",
                                                    category="vien_chuc")])  # fmt: skip
    bad = Assessment("V1", PERIOD, competent_scores={**GENERAL, **TASKS,
                                                     "nhiem_vu_kho_khan": 2.5})  # fmt: skip
    with pytest.raises(InputError) as caught:
        evalkit.classify_organisation(org, [bad], [])
    said = [p for p in caught.value.problems if p.column == "nhiem_vu_kho_khan"]
    assert said and said[0].staff_id == "V1" and "vn.nd233-2026" in str(said[0].message)
    good = Assessment("V1", PERIOD, competent_scores={**GENERAL, **TASKS})
    result = evalkit.classify_organisation(org, [good], [])["T"].result_of("V1")
    assert (result.rule_set_id, result.total) == ("vn.nd233-2026", TOTAL)


def test_a_cong_chuc_month_keeps_nhiem_vu_kho_khan() -> None:
    """NĐ 335/2025 (practice 4 × 2.5 under c)): a công chức's September month still reads
    it — general 10 + 10 + 8 = 28, tasks 63 → 91."""
    cc = {**{k: v for k, v in GENERAL.items() if k in ("nang_luc_chuyen_mon", "tinh_than_trach_nhiem",
                                                       "phuc_vu_phoi_hop")},
          "pham_chat_dao_duc": 5, "ky_luat_ky_cuong": 5, "dap_ung_nhiem_vu": 2.5,
          "san_pham_dot_pha": 2, "nhiem_vu_kho_khan": 2, "chiu_trach_nhiem": 2,
          "chu_dong_quyet_dinh": 2}  # fmt: skip
    r = evalkit.score(Assessment("CC-1", PERIOD, competent_scores={**cc, **TASKS}),
                      category="cong_chuc")  # fmt: skip
    assert (r.rule_set_id, r.components["general"], r.total) == ("vn.nd335-2025", 28.0, 91.0)


# ------------------------------------------------------------------------- the doors
@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One viên chức (``SU`` of unit ``U``) in September 2026 run as a person runs it:
    ``evalkit org``, ``template`` (no rule set named: the person's), the workbook filled at
    the competent level, ``validate``, ``score --out`` a results file, ``render``."""
    tmp = tmp_path_factory.mktemp("nd233-annex")
    org = one_each(tmp, {"U": None})
    tpl, book, res = tmp / "mau.xlsx", tmp / "thang-09.xlsx", tmp / "ket-qua.json"
    ok("template", "--period", PERIOD, "--org", str(org), str(tpl))
    fill_workbook(tpl, book, lambda sid, row: {f"competent__{k}": v
                                               for k, v in {**GENERAL, **TASKS}.items()},
                  lambda uid, row: {})  # fmt: skip
    ok("validate", str(book), "--org", str(org))
    ok("score", str(book), "--org", str(org), "--out", str(res))
    ok("render", str(res), "--org", str(org), "--out", str(tmp / "pdf"))
    return {"dir": tmp, "org": org, "template": tpl, "book": book, "results": res}


def test_objects_score_frame_and_the_cli_give_the_same_total(month: dict[str, Path]) -> None:
    """28 + 63 = 91 for the same month through the objects, ``score_frame`` and the
    command line (the template's columns are NĐ 233's: no nhiem_vu_kho_khan)."""
    obj = evalkit.score(Assessment("SU", PERIOD, competent_scores={**GENERAL, **TASKS}),
                        category="vien_chuc")  # fmt: skip
    frame = evalkit.score_frame(pd.DataFrame([{"staff_id": "SU", "period": PERIOD,
                                               "category": "vien_chuc", **GENERAL, **TASKS}]))
    data = json.loads(month["results"].read_text(encoding="utf-8"))["data"]
    [cli] = data["rows"]
    assert data["rule_set"] == "vn.nd233-2026"
    assert (obj.total, frame["total"].iloc[0], cli["total"]) == (TOTAL, TOTAL, TOTAL)
    assert obj.components["general"] == frame["points_general"].iloc[0] == cli["points_general"] == 28
    wb = openpyxl.load_workbook(month["template"], read_only=True)
    headers = " ".join(str(c.value) for c in next(wb[SCORES_SHEET].iter_rows(max_row=1)))
    assert "nhiem_vu_kho_khan" not in headers and NOT_IN_ANNEX not in headers
    assert "(tối đa 4) [competent__san_pham_dot_pha]" in headers


def test_an_old_workbook_with_the_column_is_refused_naming_it(month: dict[str, Path]) -> None:
    """A workbook that still has a score under ``nhiem_vu_kho_khan`` for the viên chức's
    September month (a template of before, or a column typed in) is refused: exit 1, the
    cell, the header and the rule set named; nothing is scored without it."""
    old = month["dir"] / "cu.xlsx"
    wb = openpyxl.load_workbook(month["book"])
    ws = wb[SCORES_SHEET]
    k = ws.max_column + 1
    ws.cell(1, k).value = f"{NOT_IN_ANNEX} [competent__nhiem_vu_kho_khan]"
    ws.cell(2, k).value = 2.5
    wb.save(old)
    code, out, err = run("score", str(old), "--org", str(month["org"]))
    assert code == 1 and not out
    assert "competent__nhiem_vu_kho_khan" in err and "vn.nd233-2026" in err
    assert "dòng 2" in err


def test_a_csv_with_the_column_is_refused_naming_it(month: dict[str, Path]) -> None:
    """The same month as a CSV with ``nhiem_vu_kho_khan`` filled: exit 1, the column named
    with the rule set; the CSV without it scores 91, as the workbook."""
    bad, good = month["dir"] / "cu.csv", month["dir"] / "moi.csv"
    row = {"staff_id": "SU", "period": PERIOD, "category": "vien_chuc", "unit_id": "U",
           **GENERAL, **TASKS}  # fmt: skip
    pd.DataFrame([{**row, "nhiem_vu_kho_khan": 2.5}]).to_csv(bad, index=False)
    pd.DataFrame([row]).to_csv(good, index=False)
    code, _out, err = run("score", str(bad), "--org", str(month["org"]))
    assert code == 1 and "'nhiem_vu_kho_khan'" in err and "vn.nd233-2026" in err
    said = json.loads(ok("score", str(good), "--org", str(month["org"]), "--json"))
    [r] = said["results"]["data"]["rows"]
    assert r["total"] == TOTAL and r["rule_set"] == "vn.nd233-2026"


def test_the_rendered_sheet_prints_the_annex_items_and_not_the_fourth(
        month: dict[str, Path]) -> None:
    """The viên chức's September sheet (pdftotext) lists c)'s three annex items with their
    maxima and not "Sẵn sàng thực hiện nhiệm vụ đặc biệt quan trọng"."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent")
    [sheet] = (month["dir"] / "pdf").rglob("*_SU_*.pdf")
    text = flat(subprocess.run(["pdftotext", str(sheet), "-"], check=True,
                               capture_output=True, text=True).stdout)  # fmt: skip
    assert NOT_IN_ANNEX not in text
    assert "NĐ 233/2026/NĐ-CP" in text
    for _, label, _ in ANNEX_3:
        # the table wraps a long label: its first words and its last are on the sheet
        words = label.split()
        assert " ".join(words[:6]) in text and " ".join(words[-3:]) in text, label
