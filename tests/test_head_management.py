"""The head of a unit holds a management post (NĐ 335/2025/NĐ-CP Điều 15): under a rule set
with management-only components the head is scored (a + b + c + d + đ + e) / 6 × 70 %,
marked ``manages_others`` or not, whatever is typed — never silently with the staff
formula. d is computed from the subordinates where the set computes it; đ and e must be
typed, and missing ones are refused as a marked manager's are, saying why. Every door
agrees: the objects, the frames, the workbook on the command line and the archive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
from evalkit import Assessment, Organisation, Position, Staff, Unit
from evalkit.errors import InputError, ScoreError
from evalkit.io.archive import Archive
from evalkit.io.workbook import SCORES_SHEET
from evalkit.scoring import management_duty, management_only_inputs
from evalkit.units import classify_organisation, classify_unit
from tests._cli_helpers import run
from tests._io_helpers import GENERAL, TASKS, filled_workbook

RS = evalkit.rules.get("vn.nd335-2025")
D, DD, E = management_only_inputs(RS)
P = "2026-03"
POST_EN = "the head of a unit holds a management post (NĐ 335/2025/NĐ-CP, Điều 15 k3)"
POST_VI = "người đứng đầu đơn vị giữ chức vụ quản lý (NĐ 335/2025/NĐ-CP, Điều 15 k3)"
#: general 28, a 90, b 100, c 80 (tests._io_helpers); the subordinate A: a = b = c = 10.
LOW = {"so_luong": 10, "chat_luong": 10, "tien_do": 10}
#: By hand: A scores 28 + 0.7 × 10 = 35 < 50, so the head's d = 50 % (Điều 15 k3);
#: 28 + 0.7 × (90 + 100 + 80 + 50 + 100 + 100) / 6 = 28 + 60.67 = 88.67.
LEADER_TOTAL = 88.67
#: The staff formula the head was wrongly scored with: 28 + 0.7 × (90 + 100 + 80) / 3.
STAFF_TOTAL = 91.0
#: A head on a kpi of 82.3 %: the kpi stands for the whole task block, 28 + 0.7 × 82.3.
KPI_TOTAL = 85.61


def rows(head: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The month's scores: the head H1, A (below 50) and B (91), all in unit P1."""
    return {"H1": {**GENERAL, **TASKS, **head}, "A": {**GENERAL, **LOW}, "B": {**GENERAL, **TASKS}}


def org() -> Organisation:
    return Organisation(units=[Unit("P1", "Phòng 1", head_id="H1")],
                        positions=[Position("CV", "Chuyên viên")],
                        staff=[Staff(s, s, "CV", "P1") for s in ("H1", "A", "B")])  # fmt: skip


def assessments(people: dict[str, dict[str, Any]]) -> list[Assessment]:
    out = []
    for sid, s in people.items():
        kpi = s.get("kpi")
        scores = {k: float(v) for k, v in s.items() if k != "kpi" and v is not None}
        out.append(Assessment(sid, P, competent_scores=scores, kpi=kpi))
    return out


def staff_frame(people: dict[str, dict[str, Any]], **extra: Any) -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": sid, "unit_id": "P1", "period": P, "category": "cong_chuc",
                          **s, **extra.get(sid, {})} for sid, s in people.items()])  # fmt: skip


UNITS = pd.DataFrame({"unit_id": ["P1"], "head_id": ["H1"]})


def workbook(tmp: Path, people: dict[str, dict[str, Any]]) -> Path:
    return filled_workbook(tmp / "thang-03.xlsx",
                           [{"staff_id": sid, "full_name": f"Người {sid}", "position_id": "CV",
                             "unit_id": "P1", **s} for sid, s in people.items()],
                           units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": "H1"}])  # fmt: skip


def door_totals(people: dict[str, dict[str, Any]], tmp: Path) -> dict[str, float]:
    """The head's total at each door that classifies the month (d from the subordinates)."""
    out = {
        "classify_unit": classify_unit(org(), "P1", assessments(people), []).result_of("H1").total,
        "classify_organisation": classify_organisation(org(), assessments(people), [])["P1"]
        .result_of("H1").total,
    }
    res, _ = evalkit.classify_frame(staff_frame(people), UNITS)
    out["classify_frame"] = float(res.set_index("staff_id").loc["H1", "total"])
    wb = workbook(tmp, people)
    assert run("validate", str(wb))[0] == 0
    code, _, err = run("classify", str(wb), "--out", str(tmp / "r.json"), "--force")
    assert code == 0, err
    doc = json.loads((tmp / "r.json").read_text(encoding="utf-8"))
    out["cli classify"] = next(r["total"] for r in doc["data"]["rows"] if r["staff_id"] == "H1")
    code, _, err = run("score", str(wb), "--out", str(tmp / "s.json"))  # d from the month too
    assert code == 0, err
    doc = json.loads((tmp / "s.json").read_text(encoding="utf-8"))
    out["cli score"] = next(r["total"] for r in doc["data"]["rows"] if r["staff_id"] == "H1")
    archive = tmp / "a.sqlite"
    code, _, err = run("finalize", str(wb), "--archive", str(archive), "--by", "TCCB")
    assert code == 0, err
    with Archive(archive) as arc:
        out["archive"] = float(arc.month(P).set_index("staff_id").loc["H1", "total"])
    return out  # type: ignore[return-value]


def test_a_head_with_dd_and_e_typed_gets_the_leader_total_at_every_door(tmp_path: Path) -> None:
    """(1) đ, e typed, d left to compute: d = 50 % from A; the leader total at every door,
    and the scoring doors (no subordinates there) agree with d typed as computed."""
    people = rows({DD: 100, E: 100})
    totals = door_totals(people, tmp_path)
    assert totals == dict.fromkeys(totals, pytest.approx(LEADER_TOTAL)), totals
    head = {**GENERAL, **TASKS, D: 50.0, DD: 100.0, E: 100.0}
    one = evalkit.score(Assessment("H1", P, competent_scores=head), is_head=True)
    frame = evalkit.score_frame(pd.DataFrame([{"staff_id": "H1", "period": P, "is_head": True,
                                               **head}]), "vn.nd335-2025")  # fmt: skip
    assert one.total == frame["total"].iloc[0] == pytest.approx(LEADER_TOTAL)
    res, _ = evalkit.classify_frame(staff_frame(people), UNITS)
    h = res.set_index("staff_id").loc["H1"]
    assert "management.d" in h["reasons"] and h["mgmt_value"] == 50.0
    assert LEADER_TOTAL != STAFF_TOTAL  # the old (wrong) total is not what is checked


def refused(call: Any) -> set[tuple[str | None, str | None]]:
    """The (staff, column) of each problem of the InputError ``call`` raises; each says the
    head's post."""
    with pytest.raises(InputError) as info:
        call()
    assert all(POST_EN.partition("(")[0] in p.message for p in info.value.problems), info.value
    return {(p.staff_id, p.column) for p in info.value.problems}


def test_a_head_with_only_tasks_typed_is_refused_at_every_door(tmp_path: Path) -> None:
    """(2) Only a, b, c typed: đ and e are missing for the head, at every door, with the
    sentence saying the head holds a management post; nothing is scored with the staff
    formula."""
    people = rows({})
    want = {("H1", DD), ("H1", E)}
    assert refused(lambda: classify_unit(org(), "P1", assessments(people), [])) == want
    assert refused(lambda: classify_organisation(org(), assessments(people), [])) == want
    assert refused(lambda: evalkit.classify_frame(staff_frame(people), UNITS)) == want
    # the doors that score one person alone ask for d too, as they do of a marked manager
    alone = pd.DataFrame([{"staff_id": "H1", "period": P, **GENERAL, **TASKS}])
    assert refused(lambda: evalkit.score_frame(alone.assign(is_head=True), "vn.nd335-2025")) \
        == {("H1", D), ("H1", DD), ("H1", E)}
    with pytest.raises(InputError) as marked:
        evalkit.score_frame(alone.assign(manages_others=True), "vn.nd335-2025")
    assert {(p.staff_id, p.column) for p in marked.value.problems} == {
        ("H1", D), ("H1", DD), ("H1", E)}
    with pytest.raises(ScoreError) as one:
        evalkit.score(Assessment("H1", P, competent_scores={**GENERAL, **TASKS}), is_head=True)
    assert all(repr(c) in str(one.value) or c in str(one.value) for c in (D, DD, E))
    assert POST_EN in str(one.value)
    # the workbook: validate and classify name the sheet, the row, the cells, in both
    # languages
    wb = workbook(tmp_path, people)
    for command in (("validate", str(wb)), ("score", str(wb), "--out", str(tmp_path / "r.json")),
                    ("classify", str(wb), "--out", str(tmp_path / "r.json"), "--force")):
        for lang, post in (("vi", POST_VI), ("en", POST_EN)):
            code, _, err = run("--lang", lang, *command)
            assert code == 1, err
            lines = [x for x in err.splitlines() if x.strip().startswith("- ")]
            assert len(lines) == 2, err
            for line, cid in zip(lines, (DD, E), strict=True):
                assert f"'{SCORES_SHEET}'" in line and "H1" in line and post in line
                assert f"'competent__{cid}'" in line and (" 2," in line or " 2 " in line)
    assert not (tmp_path / "r.json").exists()
    # the archive: a month whose results were scored with the staff formula is refused
    res = staff_frame(people).assign(total=[STAFF_TOTAL, 35.0, 91.0], grade=["HTXS", "KHT", "HTXS"],
                                     score_grade=["HTXS", "KHT", "HTXS"], rule_set=RS.id)
    with Archive(tmp_path / "a.sqlite") as arc, pytest.raises(InputError) as arch:
        arc.finalize(res, by="TCCB", unit_inputs=UNITS)
    assert {(p.staff_id, p.column) for p in arch.value.problems} >= want
    assert all(POST_EN in p.message for p in arch.value.problems if p.column in (DD, E))


def test_a_head_on_a_kpi_needs_no_management_component(tmp_path: Path) -> None:
    """(3) The kpi stands for the task block: no a, b, c, d, đ, e for the head, the same
    total at every door (28 + 0.7 × 82.3)."""
    people = rows({"kpi": 82.3, **dict.fromkeys(TASKS, None)})
    totals = door_totals(people, tmp_path)
    assert totals == dict.fromkeys(totals, pytest.approx(KPI_TOTAL)), totals
    one = evalkit.score(Assessment("H1", P, competent_scores=GENERAL, kpi=82.3), is_head=True)
    frame = evalkit.score_frame(pd.DataFrame([{"staff_id": "H1", "period": P, "is_head": True,
                                               "kpi": 82.3, **GENERAL}]), "vn.nd335-2025")
    assert one.total == frame["total"].iloc[0] == pytest.approx(KPI_TOTAL)


def test_a_set_without_management_components_scores_a_head_as_everyone() -> None:
    """QĐ 366/2025 has no d, đ, e: its head is scored as everyone under it (no new rule)."""
    qd = evalkit.rules.get("vn.qd366-2025")
    assert management_only_inputs(qd) == ()
    full = qd.full_marks()
    sm = pd.DataFrame([{"staff_id": s, "unit_id": "P1", "period": P, "category": "cong_chuc",
                        **full} for s in ("H1", "A")])  # fmt: skip
    res, _ = evalkit.classify_frame(sm, UNITS, qd, force=True)
    marked, _ = evalkit.classify_frame(sm.assign(manages_others=[True, False]), UNITS, qd,
                                       force=True)
    assert res["total"].tolist() == marked["total"].tolist()
    assert management_duty(qd, pd.Series([False]).to_numpy(), pd.Series([True]).to_numpy()
                           ).tolist() == [False]


def test_a_head_under_a_set_that_computes_no_d_types_its_components() -> None:
    """NĐ 90/2020 has management components it does not compute: its head types them."""
    nd90 = evalkit.rules.get("vn.nd90-2020")
    mgmt = management_only_inputs(nd90)
    assert mgmt
    staff = nd90.full_marks()
    sm = pd.DataFrame([{"staff_id": s, "unit_id": "P1", "period": "2020-12", "category": "cong_chuc",
                        **staff}
                       for s in ("H1", "A")])  # fmt: skip
    assert refused(lambda: evalkit.classify_frame(sm, UNITS, nd90, force=True)) == {
        ("H1", c) for c in mgmt}
    # the head's post is cited from the head's own rule set, not from NĐ 335 (audit 18)
    with pytest.raises(InputError) as info:
        evalkit.classify_frame(sm, UNITS, nd90, force=True)
    assert all("(NĐ 90/2020/NĐ-CP, Điều 12–14)" in p.message and "335" not in p.message
               for p in info.value.problems)  # fmt: skip


PCT = st.sampled_from([0.0, 10.0, 45.0, 50.0, 75.0, 90.0, 100.0])
FIFTY_OR_FULL = st.sampled_from([50.0, 100.0])


@settings(max_examples=30, deadline=None)
@given(head=st.tuples(PCT, PCT, PCT), comps=st.none() | st.tuples(FIFTY_OR_FULL, FIFTY_OR_FULL),
       subs=st.lists(st.tuples(PCT, PCT, PCT), min_size=0, max_size=3))  # fmt: skip
def test_a_head_and_a_marked_manager_always_get_the_same_total(
    head: tuple[float, float, float], comps: tuple[float, float] | None,
    subs: list[tuple[float, float, float]],
) -> None:
    """For any scores, the head of the unit (not marked) and the same person marked
    ``manages_others`` get the same answer: the same total — the leader's formula, never
    the staff one — with d computed from whoever is under them, or, with đ and e left
    blank (``comps`` None), the same cells refused."""
    tasks = ("so_luong", "chat_luong", "tien_do")
    people = [{"staff_id": "H1", **GENERAL, **dict(zip(tasks, head, strict=True)),
               **({DD: comps[0], E: comps[1]} if comps else {})}]
    people += [{"staff_id": f"S{i}", **GENERAL, **dict(zip(tasks, t, strict=True))}
               for i, t in enumerate(subs)]  # fmt: skip
    sm = pd.DataFrame(people).assign(unit_id="P1", period=P, category="cong_chuc")
    mark = sm.assign(manages_others=sm["staff_id"].eq("H1"))
    if comps is None:
        cells = [refused_cells(lambda f=f: evalkit.classify_frame(f, UNITS)) for f in (sm, mark)]
        assert cells[0] == cells[1] == {("H1", DD), ("H1", E)}
        return
    as_head, _ = evalkit.classify_frame(sm, UNITS)
    as_marked, _ = evalkit.classify_frame(mark, UNITS)
    assert as_head["total"].tolist() == as_marked["total"].tolist()
    # by hand: d = 50 % when anyone under the head scores below 50, else 100 %
    below = any(28 + 0.7 * sum(t) / 3 < 50 for t in subs)
    d = 50.0 if below else 100.0
    expected = round(28 + 0.7 * (sum(head) + d + sum(comps)) / 6, 2)
    assert as_head["total"].iloc[0] == pytest.approx(expected)
    alone = pd.DataFrame([{**people[0], D: d, "period": P}])
    assert evalkit.score_frame(alone.assign(is_head=True), RS)["total"].iloc[0] \
        == evalkit.score_frame(alone.assign(manages_others=True), RS)["total"].iloc[0] \
        == pytest.approx(expected)


def refused_cells(call: Any) -> set[tuple[str | None, str | None]]:
    """The (staff, column) of each problem ``call`` raises; empty when it raises none."""
    try:
        call()
    except InputError as exc:
        return {(p.staff_id, p.column) for p in exc.problems}
    return set()


@pytest.mark.parametrize(("rid", "period", "says"), [
    ("vn.nd335-2025", "2026-03", ["(NĐ 335/2025/NĐ-CP, Điều 15 k3)", "(đ), (e) (100 hoặc 50)",
                                  "Để trống (d)"]),
    ("vn.nd233-2026", "2026-09", ["(NĐ 233/2026/NĐ-CP, Điều 11 k3 b; Điều 12 k5)", "Để trống (d)"]),
    ("hanoi.3814-2018", "2026-03", []),
])  # fmt: skip
def test_the_templates_guide_tells_heads_what_to_fill(
    tmp_path: Path, rid: str, period: str, says: list[str]
) -> None:
    """The workbook's guide says a head is scored as a leader, which components to type and
    that d is computed (audit 18); a set without management components says nothing."""
    import openpyxl

    from evalkit.io.workbook import INSTRUCTIONS_SHEET, write_template

    out = write_template(tmp_path / "t.xlsx", rid, period)
    guide = [str(c.value) for c in openpyxl.load_workbook(out)[INSTRUCTIONS_SHEET]["A"] if c.value]
    text = "\n".join(guide)
    assert ("Người đứng đầu đơn vị" in text) == bool(says)
    for s in says:
        assert s in text, (s, text[-600:])


def test_a_position_that_manages_others_marks_its_holder_at_every_door() -> None:
    """A team leader whose position manages others (Position(manages_others=True)), the
    person not marked: the leader's formula at every door. d typed 50, the rest full:
    30 + (100 + 100 + 100 + 50 + 100 + 100) / 6 × 70 % = 30 + 64.17 = 94.17 (NĐ 335/2025
    Điều 15). evalkit.score(position=) refused it ('the person manages nobody') and
    score_frame(positions=) likewise, where classify_organisation scored 94.17."""
    pos = Position("TP", "Trưởng phòng", "Head of division", manages_others=True)
    staff = Staff("L", "Người L", "TP", "P")
    scores = {**RS.full_marks(manages_others=True), D: 50}
    a = Assessment("L", "2026-03", competent_scores=scores)
    org = Organisation(units=[Unit("P", "Phòng")], positions=[pos], staff=[staff])
    [by_org] = classify_organisation(org, [a], [], RS)["P"].staff
    by_score = evalkit.score(a, staff=staff, rules=RS, position=pos)
    frame = pd.DataFrame([{"staff_id": "L", "position_id": "TP", "period": "2026-03",
                           "category": "cong_chuc",
                           **{f"competent__{k}": v for k, v in scores.items()}}])  # fmt: skip
    by_frame = evalkit.score_frame(frame, RS, positions={"TP": pos})
    assert by_org.total == by_score.total == by_frame["total"].iloc[0] == 94.17
