"""A quota cut decided by staff id alone is said, never silent (af235; redo of af234).

When more people are proposed at a quota's grade than it allows, the engine ranks them by
the rule set's ``tie_break`` (default: total, task results, fewer deductions, the
competent level's order ``competent_order``; domain brief §4.6) and, where all of these
are equal, by staff id — which no legal text supports. Where the cut falls inside such a
complete tie (the last kept and the first demoted candidate equal on every key the set
compares), every door says so through :func:`evalkit.workflow.quota_tie_notices`: the unit
and period, the people so tied, the keys compared (the set's own, in its order) and what to
do. Nothing is said where a key separates them, nor where the set's ``tie_break`` names
``staff_id`` itself (the rule author chose it). Not an error: exit 0.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit import Assessment, Organisation, Position, Staff, Unit
from evalkit.cli import main
from evalkit.rules import RuleSet
from evalkit.units import UnitInputs
from evalkit.workflow import exceptional_notices, quota_tie_notices
from tests._io_helpers import filled_workbook
from tests.helpers import pdf_text

HANOI, CUSTOMS = "hanoi.3814-2018", "vn.customs-2026q"
MARKS = evalkit.rules.get(HANOI).full_marks()  # 90 points: all proposed HTXS; 30 % of 4 → 1
#: the same total, fewer task points (a bonus point instead of one task point)
FEWER_TASKS = {"ket_qua_nhiem_vu": 69, "sang_kien": 1}
#: the keys of Hà Nội's tie_break, as the notice names them
KEYS_VI = ("tổng điểm, điểm kết quả thực hiện nhiệm vụ, số lần bị trừ điểm, thứ tự do cấp có "
           "thẩm quyền quyết định")
KEYS_EN = "total, task results, fewer deductions, the competent level's order"


def _rows(change: dict[int, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    return [{"staff_id": f"S{i}", **MARKS, **(change or {}).get(i, {})} for i in range(4)]


def _frame(rows: list[dict[str, Any]], rules: RuleSet | str = HANOI) -> pd.DataFrame:
    rid = rules if isinstance(rules, str) else rules.id
    staff, _ = evalkit.classify_frame(
        pd.DataFrame([{**r, "unit_id": "P1", "period": "2026-03", "rule_set": rid}
                      for r in rows]), pd.DataFrame({"unit_id": ["P1"]}), rules)
    return staff


def _rule_file(tmp_path: Path, tie_break: list[str]) -> Path:
    """Hà Nội's set with another ``tie_break`` (a rule author's choice)."""
    path = tmp_path / "rules.toml"
    path.write_text('extends = "hanoi.3814-2018"\nid = "t.tie"\njurisdiction = "vn.hanoi"\n'
                    f"[quota]\ntie_break = {json.dumps(tie_break)}\n", encoding="utf-8")
    return path


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(argv), stdout=out)
    return code, out.getvalue(), err.getvalue()


def _workbook(tmp_path: Path, rows: list[dict[str, Any]], rules: str = HANOI) -> str:
    return str(filled_workbook(tmp_path / "b.xlsx", [
        {**r, "full_name": f"Người {r['staff_id']}", "position_id": "CV", "unit_id": "P1"}
        for r in rows], rules=rules))


def test_a_complete_tie_is_said_alike_by_the_objects_the_frame_and_the_cli(
        tmp_path: Path) -> None:
    staff = _frame(_rows())
    assert staff["grade"].tolist() == ["HTXS", "HTT", "HTT", "HTT"]  # S0 kept by id alone
    said = quota_tie_notices(staff, "en")
    assert said == [
        f"Note — unit P1, 2026-03: S0, S1, S2, S3 are equal on every tie-break "
        f"hanoi.3814-2018 compares for the HTXS quota ({KEYS_EN}), so who keeps HTXS (S0) "
        f"and who is demoted (S1, S2, S3) was decided by staff id alone, which no legal text "
        f"supports; give competent_order (the competent level's order) for them"]
    vi = quota_tie_notices(staff)
    assert vi == [
        f"Lưu ý — đơn vị P1, kỳ 2026-03: S0, S1, S2, S3 bằng nhau ở mọi tiêu chí "
        f"hanoi.3814-2018 xét theo thứ tự khi vượt tỷ lệ HTXS ({KEYS_VI}), nên người giữ HTXS "
        f"(S0) và người bị hạ (S1, S2, S3) chỉ được chọn theo mã cán bộ, không có căn cứ pháp "
        f"lý; hãy ghi competent_order (thứ tự do cấp có thẩm quyền quyết định) cho những người "
        f"này"]
    assert exceptional_notices(staff, "en") == []  # its own function: the mark's lines only
    org = Organisation(units=[Unit("P1", "Phòng 1")], positions=[Position("CV", "Chuyên viên")],
                       staff=[Staff(f"S{i}", f"Người {i}", "CV", "P1") for i in range(4)])
    objects = evalkit.classify_organisation(
        org, [Assessment(f"S{i}", "2026-03", competent_scores=MARKS) for i in range(4)],
        [UnitInputs("P1", "2026-03")], HANOI)
    assert quota_tie_notices(objects, "en") == said
    assert quota_tie_notices(list(objects.values())) == vi
    book = _workbook(tmp_path, _rows())
    for command in ("validate", "classify"):
        code, _, err = _run(command, book)
        assert code == 0 and [x for x in err.splitlines() if "mã cán bộ" in x] == vi
        code, out, err = _run(command, book, "--lang", "en", "--json")
        assert code == 0 and "staff id" not in err  # --json: in the document only
        assert json.loads(out)["notices"] == said


@pytest.mark.parametrize(("change", "kept"), [
    # the total: S1–S3 tied behind S0, the cut between S0 and them
    ({i: {"ket_qua_nhiem_vu": 69} for i in (1, 2, 3)}, "S0"),
    # the same total, the others fewer task points
    (dict.fromkeys((0, 2, 3), FEWER_TASKS), "S1"),
    ({2: {"competent_order": 1}, 0: {"competent_order": 2}}, "S2"),  # the competent order
])
def test_nothing_is_said_where_a_key_separates_the_cut(change: dict[int, dict[str, Any]],
                                                      kept: str) -> None:
    staff = _frame(_rows(change))
    assert staff.loc[staff["grade"] == "HTXS", "staff_id"].tolist() == [kept]
    assert quota_tie_notices(staff, "en") == []


def test_a_partial_competent_order_names_only_the_people_still_tied() -> None:
    """S3 first by the competent level's order; S0–S2 tied behind: 30 % of 7 keeps 2."""
    rows = [*_rows({3: {"competent_order": 1}}),
            *({"staff_id": f"T{i}", **MARKS, "ket_qua_nhiem_vu": 60} for i in range(3))]
    staff = _frame(rows)
    assert staff.loc[staff["grade"] == "HTXS", "staff_id"].tolist() == ["S0", "S3"]
    said = quota_tie_notices(staff, "en")
    assert len(said) == 1 and ": S0, S1, S2 are equal" in said[0]
    assert "keeps HTXS (S0) and who is demoted (S1, S2)" in said[0]


def _customs(deductions: bool) -> pd.DataFrame:
    """Customs (NĐ 335/2025 Điều 20 k5 a): 20 % of the five proposed HTT keeps one of the
    two full-mark HTXS candidates (grouped by duty group: the unit is named with it)."""
    rs = evalkit.rules.get(CUSTOMS)
    rows = [{"staff_id": f"S{i}", **rs.full_marks()} for i in range(2)]
    rows += [{"staff_id": f"T{i}", **rs.full_marks(), "chat_luong": 30} for i in range(5)]
    staff, _ = evalkit.classify_frame(pd.DataFrame(
        [{**r, "unit_id": "Q", "period": "2026-Q4", "rule_set": CUSTOMS, "duty_group": "NV"}
         for r in rows]), pd.DataFrame({"unit_id": ["Q"]}))
    if deductions:  # as a result whose candidates differ only by the errors counted
        staff = staff.assign(loi_chat_luong=[0, 1, *[None] * 5])
    return staff


def test_deductions_separate_the_cut() -> None:
    tied = _customs(False)
    assert tied["grade"].tolist()[:2] == ["HTXS", "HTT"]
    said = quota_tie_notices(tied, "en")
    assert len(said) == 1 and said[0].startswith("Note — unit Q (NV), 2026-Q4: S0, S1 are equal")
    assert quota_tie_notices(_customs(True), "en") == []


def test_a_shorter_tie_break_is_the_one_said(tmp_path: Path) -> None:
    """``tie_break = ["total"]``: task points do not separate the cut, and the sentence
    names the total only; giving ``competent_order`` would change nothing there, so the
    line says to add it to the set's ``tie_break`` first."""
    rows = _rows(dict.fromkeys((1, 2, 3), FEWER_TASKS))  # S0 first by its task points
    assert quota_tie_notices(_frame(rows), "en") == []  # Hà Nội's own order: tasks decide
    path = _rule_file(tmp_path, ["total"])
    rs = evalkit.rules.load(path)
    staff = _frame(rows, rs)
    assert staff["grade"].tolist() == ["HTXS", "HTT", "HTT", "HTT"]
    vi = quota_tie_notices(staff)
    assert len(vi) == 1 and vi[0].startswith("Lưu ý — đơn vị P1, kỳ 2026-03: S0, S1, S2, S3 "
                                             "bằng nhau ở mọi tiêu chí t.tie xét theo thứ tự "
                                             "khi vượt tỷ lệ HTXS (tổng điểm), nên")
    for other in ("kết quả thực hiện nhiệm vụ", "số lần bị trừ điểm", "hãy ghi"):
        assert other not in vi[0]
    assert vi[0].endswith("; t.tie không xét thứ tự do cấp có thẩm quyền quyết định: để cấp "
                          "có thẩm quyền chọn, thêm competent_order vào tie_break của bộ quy "
                          "định và ghi competent_order cho những người này")
    en = quota_tie_notices(staff, "en")
    assert len(en) == 1 and "for the HTXS quota (total), so" in en[0]
    assert en[0].endswith("add competent_order to the rule set's tie_break and give "
                          "competent_order for them")
    # the objects, classified with the agency's file, say the same
    org = Organisation(units=[Unit("P1", "Phòng 1")], positions=[Position("CV", "Chuyên viên")],
                       staff=[Staff(f"S{i}", f"Người {i}", "CV", "P1") for i in range(4)])
    objects = evalkit.classify_organisation(org, [
        Assessment(r["staff_id"], "2026-03", competent_scores={
            k: v for k, v in r.items() if k != "staff_id"}) for r in rows],
        [UnitInputs("P1", "2026-03")], rs)
    assert quota_tie_notices(objects, rules=rs) == vi
    # and the command line, given the file
    code, _, err = _run("classify", _workbook(tmp_path, rows, str(path)), "--rules", str(path))
    assert code == 0 and [x for x in err.splitlines() if "mã cán bộ" in x] == vi


def test_a_set_that_orders_by_staff_id_says_nothing(tmp_path: Path) -> None:
    """The rule author put ``staff_id`` in the set's ``tie_break``: it is the set's rule."""
    rs = evalkit.rules.load(_rule_file(tmp_path, ["total", "tasks", "staff_id"]))
    staff = _frame(_rows(), rs)
    assert staff["grade"].tolist() == ["HTXS", "HTT", "HTT", "HTT"]
    assert quota_tie_notices(staff) == quota_tie_notices(staff, "en") == []
    assert len(quota_tie_notices(_frame(_rows()))) == 1  # the preset's order: said


@pytest.mark.parametrize("results_file", [False, True])
@pytest.mark.parametrize("change", [
    None, {i: {"competent_order": i + 1} for i in range(4)},
    dict.fromkeys((1, 2, 3), FEWER_TASKS)])  # fmt: skip
def test_finalize_says_it_from_the_workbook_and_from_the_results_file(
        tmp_path: Path, change: dict[int, dict[str, Any]] | None, results_file: bool) -> None:
    """A results file keeps what the tie-break compared: the same lines as the workbook."""
    source = _workbook(tmp_path, _rows(change))
    if results_file:
        assert _run("classify", source, "--out", str(tmp_path / "r.json"))[0] == 0
        source = str(tmp_path / "r.json")
    code, out, _ = _run("finalize", source, "--archive", str(tmp_path / "a.sqlite"),
                        "--by", "TCCB", "--json", "--lang", "en")
    assert code == 0
    notices = json.loads(out).get("notices", [])
    assert notices == (quota_tie_notices(_frame(_rows()), "en") if change is None else [])


def test_render_says_it_when_it_classifies_the_workbook_never_on_a_sheet(
        tmp_path: Path) -> None:
    book = _workbook(tmp_path, _rows())
    vi = quota_tie_notices(_frame(_rows()))
    code, _, err = _run("render", book, "--out", str(tmp_path / "pdf"))
    assert code == 0 and [x for x in err.splitlines() if "mã cán bộ" in x] == vi
    sheets = sorted((tmp_path / "pdf").glob("*.pdf"))
    assert len(sheets) == 4
    words = pdf_text(sheets[1])  # S1, demoted
    assert "S1" in words and "Lưu ý —" not in words
    assert "mã cán bộ" not in words and "competent_order" not in words
    code, out, err = _run("render", book, "--out", str(tmp_path / "pdf2"), "--json",
                          "--lang", "en")
    assert code == 0 and "staff id" not in err
    assert json.loads(out)["notices"] == quota_tie_notices(_frame(_rows()), "en")
    # a results file is rendered as it is: classify said it when it wrote the file
    _run("classify", book, "--out", str(tmp_path / "r.json"))
    code, out, _ = _run("render", str(tmp_path / "r.json"), "--out", str(tmp_path / "pdf3"),
                        "--json")
    assert code == 0 and "notices" not in json.loads(out)


def test_render_of_a_quarter_from_month_workbooks_says_the_months(tmp_path: Path) -> None:
    """``render --period``: the month workbooks it classifies say what classify says."""
    book = _workbook(tmp_path, _rows())
    code, out, _ = _run("render", book, "--period", "2026-Q1", "--out", str(tmp_path / "q"),
                        "--json", "--lang", "en")
    assert code == 0 and json.loads(out)["notices"] == quota_tie_notices(_frame(_rows()), "en")
    code, _, err = _run("render", book, "--period", "2026-Q1", "--out", str(tmp_path / "q2"))
    assert code == 0 and [x for x in err.splitlines() if "mã cán bộ" in x] == quota_tie_notices(
        _frame(_rows()))
