"""One engine, one answer for the YEAR (issue 13): a small organisation's twelve months of
2026 under NĐ 335/2025/NĐ-CP, classified for the year through every door.

The doors:

* **objects** — each month :func:`evalkit.classify_organisation` (the month's organisation:
  a transfer changes it in July), then :func:`evalkit.classify_organisation_year`;
* **frames** — the months' :func:`evalkit.classify_frame` results, then
  :func:`evalkit.classify_year`;
* **CSV** — the same frames written with ``to_csv`` and read back with ``pd.read_csv``;
* **CLI** — each month's results file (``evalkit/1`` JSON with its unit tables) →
  ``evalkit finalize`` → ``evalkit annual --out nam.csv``;
* **archive** — :meth:`evalkit.io.archive.Archive.finalize` each month, then
  :meth:`~evalkit.io.archive.Archive.annual`.

The organisation (every score: general criteria full, 30, plus 0.7 × the task percentage
x, so x = 100 → 100, 90 → 93, 80 → 86, 70 → 79; leaders full marks, 100):

* Phòng P (head H): 8 of 10 tasks done every month → 80, HTT for the year; Phòng Q (head
  K): 6 of 10 → 60, HT (NĐ 335 Điều 20 k1–k4 bands on the unit's score);
* H and K fully marked (100, HTXS band) — capped at their unit's grade for the year: H HTT,
  K HT (``cap.head_unit``; the head not above the unit);
* X1 93 every month, X2 93 but 86 in December (mean 92.42), T 100 every month — in Q
  January to June, transferred to P in July: classified by P, the unit of the last month,
  from both units' months (Điều 21);
* M on maternity leave March to August, 79 the six months worked: 79 (HTT), classified on
  the time actually worked (Điều 21; no "fewer than 6 months" rule under NĐ 335);
* F1–F3 79 (HTT); in Q, Z 79 (HTT) and Y 79 but reprimanded for a duty-related violation
  in May: KHT whatever the score (Điều 20 k4 c).

The quota (Điều 20 k5 a: HTXS at most 20 % of those rated HTT, per unit; floor): in P the
HTT are H (after the cap), M, F1, F2, F3 — 5, so 1 HTXS: T (100) keeps it, X1 and X2 are
HTT (``quota.demoted``). By hand, then, the year is the table ``YEAR`` below; every door
must give it, with the same reasons (codes, Vietnamese sentences, citations).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit import _tables
from evalkit.io.archive import Archive
from evalkit.io.results import results_document
from evalkit.model import EvaluationResult
from evalkit.units import UnitInputs, results_from_frame
from tests._cli_helpers import run

RS = evalkit.rules.get("vn.nd335-2025")
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
LEAVE = {f"2026-{m:02d}" for m in range(3, 9)}  # M's maternity leave
X = {"X1": 90, "X2": 90, "T": 100, "M": 70, "F1": 70, "F2": 70, "F3": 70, "Y": 70, "Z": 70}
HEADS = {"P": "H", "Q": "K"}
DONE = {"P": 8, "Q": 6}


def _finalize_by_cli(months: Any, rule_set: str, folder: Path, archive: Path) -> None:
    """Each month's ``(results, unit results, unit inputs)`` written as the results file
    ``evalkit classify`` writes, then ``evalkit finalize``d into ``archive``."""
    for results, unit_results, inputs in months:
        doc = results.copy()
        doc.attrs.update(rule_set=rule_set, period=str(results["period"].iloc[0]))
        _tables.attach(doc, "units", unit_results)
        _tables.attach(doc, "unit_inputs", inputs)
        path = folder / f"ket-qua-{doc.attrs['period']}.json"
        path.write_text(json.dumps(results_document(doc), ensure_ascii=False), encoding="utf-8")
        code, out, err = run("finalize", str(path), "--archive", str(archive), "--by", "TCCB")
        assert code == 0, (out, err)


def unit_of(sid: str, per: str) -> str:
    """The person's unit in month ``per``: T moves from Q to P in July."""
    if sid == "T":
        return "Q" if per < "2026-07" else "P"
    return "Q" if sid in ("K", "Y", "Z") else "P"


def marks(sid: str, per: str) -> dict[str, float] | None:
    """The month's scores (none: on leave)."""
    if sid == "M" and per in LEAVE:
        return None
    if sid in HEADS.values():
        return RS.full_marks(manages_others=True)
    x = 80 if (sid, per) == ("X2", "2026-12") else X[sid]
    return {**RS.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), x)}


PEOPLE = [*HEADS.values(), *X]
# by hand (see the module's docstring): total, grade, unit
YEAR = {"H": (100.0, "HTT", "P"), "K": (100.0, "HT", "Q"), "X1": (93.0, "HTT", "P"),
        "X2": (92.42, "HTT", "P"), "T": (100.0, "HTXS", "P"), "M": (79.0, "HTT", "P"),
        "F1": (79.0, "HTT", "P"), "F2": (79.0, "HTT", "P"), "F3": (79.0, "HTT", "P"),
        "Y": (79.0, "KHT", "Q"), "Z": (79.0, "HTT", "Q")}  # fmt: skip
UNIT_YEAR = {"P": "HTT", "Q": "HT"}

# =========================================================================== the objects


def organisation(per: str) -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit("P", "Phòng P", head_id="H"),
               evalkit.Unit("Q", "Phòng Q", head_id="K")],
        positions=[evalkit.Position("CV", "Chuyên viên"),
                   evalkit.Position("TP", "Trưởng phòng", manages_others=True)],
        staff=[evalkit.Staff(s, f"Người {s}", "TP" if s in HEADS.values() else "CV",
                             unit_of(s, per)) for s in PEOPLE])  # fmt: skip


def assessment(sid: str, per: str) -> evalkit.Assessment:
    m = marks(sid, per)
    if m is None:
        return evalkit.Assessment(sid, per, leave="maternity")
    return evalkit.Assessment(sid, per, competent_scores=m,
                              discipline="khien_trach" if (sid, per) == ("Y", "2026-05") else "")


@pytest.fixture(scope="module")
def objects_year() -> dict[str, evalkit.UnitClassification]:
    months = [evalkit.classify_organisation(
        organisation(p), [assessment(s, p) for s in PEOPLE],
        [UnitInputs(u, p, tasks_assigned=10, tasks_done=DONE[u]) for u in HEADS])
        for p in MONTHS]  # fmt: skip
    return evalkit.classify_organisation_year(months)


# =========================================================================== the frames


def month_frames(per: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The month's results (inputs beside the engine's columns), unit results, units."""
    rows = [{"staff_id": s, "full_name": f"Người {s}", "unit_id": unit_of(s, per),
             "period": per, "category": "cong_chuc", "manages_others": s in HEADS.values(),
             "leave": "maternity" if marks(s, per) is None else "",
             "discipline": "khien_trach" if (s, per) == ("Y", "2026-05") else "",
             **(marks(s, per) or {})} for s in PEOPLE]  # fmt: skip
    staff = pd.DataFrame(rows)
    units = pd.DataFrame([{"unit_id": u, "name": f"Phòng {u}", "parent_id": None, "head_id": h,
                           "period": per, "tasks_assigned": 10, "tasks_done": DONE[u]}
                          for u, h in HEADS.items()])  # fmt: skip
    out, unit_results = evalkit.classify_frame(staff, units)
    results = pd.concat([staff, out[[c for c in out.columns if c not in staff]]], axis=1)
    return results, unit_results, units


@pytest.fixture(scope="module")
def months() -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    return [month_frames(p) for p in MONTHS]


def _frames(made: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]
            ) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    return (pd.concat([m[0] for m in made], ignore_index=True),
            pd.concat([m[1] for m in made], ignore_index=True))


Row = tuple[float | None, str | None, str, tuple[tuple[str, str, str], ...]]


def _said(results: list[EvaluationResult], units: list[str]) -> dict[str, Row]:
    """Each person's year: total, grade, unit, reasons (code, Vietnamese sentence, source)."""
    return {r.staff_id: (r.total, r.grade.code if r.grade else None, u,
                         tuple((x.code, x.message_vi, x.source) for x in r.reasons))
            for r, u in zip(results, units, strict=True)}


def _of_frame(year: pd.DataFrame) -> dict[str, Row]:
    return _said(results_from_frame(year.assign(total=year["annual_total"],
                                                grade=year["annual_grade"])),
                 [str(u) for u in year["unit_id"]])


def _of_objects(year: dict[str, evalkit.UnitClassification]) -> dict[str, Row]:
    return {k: v for uid, c in year.items() for k, v in _said(list(c.staff),
                                                              [uid] * len(c.staff)).items()}


def _by_hand(said: dict[str, Row]) -> dict[str, tuple[float | None, str | None, str]]:
    return {s: (None if t is None else round(t, 2), g, u) for s, (t, g, u, _) in said.items()}


# =========================================================================== the tests


def test_the_objects_year_is_the_year_by_hand(
        objects_year: dict[str, evalkit.UnitClassification]) -> None:  # fmt: skip
    """The head capped at the unit's year, the quota on the year, the transfer, the leave
    and the reprimand, as worked out from NĐ 335/2025 Điều 20, 21 in the docstring."""
    assert _by_hand(_of_objects(objects_year)) == YEAR
    assert {u: c.unit.grade.code if c.unit.grade else None
            for u, c in objects_year.items()} == UNIT_YEAR
    said = _of_objects(objects_year)
    assert "cap.head_unit" in [c for c, _, _ in said["H"][3]]
    assert "cap.head_unit" in [c for c, _, _ in said["K"][3]]
    assert {s for s, row in said.items() if "quota.demoted" in [c for c, _, _ in row[3]]} == \
        {"X1", "X2"}
    (q,) = objects_year["P"].quotas
    assert (q.base_count, q.cap, q.kept, q.demoted) == (5, 1, ("T",), ("X1", "X2"))


def test_every_door_gives_the_same_year(
        objects_year: dict[str, evalkit.UnitClassification],
        months: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]],
        tmp_path: Path) -> None:  # fmt: skip
    """Objects == classify_year on frames == frames through CSV == CLI annual == the
    archive's annual: totals, grades, units, reasons (codes, sentences, citations)."""
    objects = _of_objects(objects_year)
    staff, units = _frames(months)
    frames = _of_frame(evalkit.classify_year(staff, units))
    staff.to_csv(tmp_path / "s.csv", index=False)
    units.to_csv(tmp_path / "u.csv", index=False)
    csv = _of_frame(evalkit.classify_year(pd.read_csv(tmp_path / "s.csv"),
                                          pd.read_csv(tmp_path / "u.csv")))
    arc = tmp_path / "a.sqlite"
    with Archive(arc) as a:
        for results, unit_results, inputs in months:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        archive = _of_frame(a.annual(2026))
    cli_arc = tmp_path / "cli.sqlite"
    _finalize_by_cli(months, RS.id, tmp_path, cli_arc)
    code, out, err = run("annual", "--year", "2026", "--archive", str(cli_arc),
                         "--out", str(tmp_path / "nam.csv"))  # fmt: skip
    assert code == 0, (out, err)
    table = pd.read_csv(tmp_path / "nam.csv", dtype={"staff_id": str})
    cli = _of_frame(table)
    assert _by_hand(objects) == YEAR
    for name, door in (("frames", frames), ("csv", csv), ("archive", archive), ("cli", cli)):
        assert door == objects, name
    # the CLI's table says the reasons in words, as the objects do
    words: dict[str, Any] = dict(zip(table["staff_id"], table["reasons_vi"], strict=True))
    for sid, row in objects.items():
        for _, sentence, _ in row[3]:
            assert sentence.split(" (")[0] in str(words[sid]), (sid, sentence)


# =========================================================================== the unit's year

VC = evalkit.rules.get("vn.nd90-2020")  # viên chức in 2025: NĐ 90/2020 Điều 12 k2 conditions
FIRST_HALF = [f"2025-{m:02d}" for m in range(1, 7)]


def _vien_chuc_year(exceeded: list[tuple[int, int]], sub_done: int
                    ) -> tuple[tuple[str | None, str], tuple[str, str]]:  # fmt: skip
    """Unit V (head H) and its sub-unit V1 (head H1), January to June 2025, every task done;
    ``exceeded`` is V's (assigned, exceeded) per month, V1 ``sub_done`` of 10 tasks. The
    unit's year and its head's through the objects, and through the frames (the head's
    ``unit_grade`` and ``grade``)."""
    org = evalkit.Organisation(
        units=[evalkit.Unit("V", "Trung tâm V", head_id="H"),
               evalkit.Unit("V1", "Tổ V1", parent_id="V", head_id="H1")],
        positions=[evalkit.Position("GD", "Giám đốc", manages_others=True)],
        staff=[evalkit.Staff(s, f"Người {s}", "GD", u, category="vien_chuc")
               for s, u in (("H", "V"), ("H1", "V1"))])  # fmt: skip
    top = VC.full_marks(manages_others=True)
    inputs = {p: [UnitInputs("V", p, tasks_assigned=a, tasks_done=a, tasks_exceeded=x),
                  UnitInputs("V1", p, tasks_assigned=10, tasks_done=sub_done)]
              for p, (a, x) in zip(FIRST_HALF, exceeded, strict=True)}  # fmt: skip
    assessments = {p: [evalkit.Assessment(s, p, competent_scores=top) for s in ("H", "H1")]
                   for p in FIRST_HALF}  # fmt: skip
    by_objects = evalkit.classify_organisation_year(
        [evalkit.classify_organisation(org, assessments[p], inputs[p]) for p in FIRST_HALF])
    sm, units = evalkit.frames_from_objects(org, [a for p in FIRST_HALF for a in assessments[p]],
                                            [u for p in FIRST_HALF for u in inputs[p]])
    st, ut = evalkit.classify_frame(sm, units)
    year = evalkit.classify_year(pd.concat([sm, st[[c for c in st if c not in sm]]], axis=1), ut)
    grade, head = by_objects["V"].unit.grade, by_objects["V"].result_of("H").grade
    frame = year.set_index("staff_id").loc["H"]
    return ((grade.code if grade else None, str(head.code if head else None)),
            (str(frame["unit_grade"]), str(frame["grade"])))


@pytest.mark.parametrize(("exceeded", "sub_done", "expected"), [
    # 30 of 120 tasks exceeded over the half-year (25 %), though the months' mean is 50 %
    ([(10, 10)] * 3 + [(30, 0)] * 3, 10, "HTT"),
    ([(10, 10)] * 6, 10, "HTXS"),
    ([(10, 10)] * 6, 4, "HTT"),  # the sub-unit KHT (40) keeps its parent from HTXS
])  # fmt: skip
def test_the_objects_unit_year_reads_the_months_counts_and_the_tree(
        exceeded: list[tuple[int, int]], sub_done: int, expected: str) -> None:  # fmt: skip
    """The unit's HTXS for the year needs every task done and ≥ 50 % exceeded, counted
    over the year (Σ exceeded ÷ Σ assigned), and no sub-unit KHT (NĐ 90/2020 Điều 12 k2):
    the objects' year judges them as the frames' does, the head's year too."""
    objects, frames = _vien_chuc_year(exceeded, sub_done)
    assert objects[0] == expected
    assert objects == frames


def test_the_objects_year_counts_the_quota_per_duty_group() -> None:
    """HTXS at most 20 % of those rated HTT per unit *and per group with similar duties*
    (NĐ 335/2025 Điều 20 k5 a; the preset's ``group_by = ["unit", "duty_group"]``): group
    G1 has A1 (100), A2 (93) and 5 HTT — one HTXS, A2 demoted — although the unit's 14 HTT
    would allow two; the objects' year says so, as the frames' does."""
    xs = {"A1": 100, "A2": 90, **{f"A{i}": 70 for i in range(3, 8)},
          **{f"B{i}": 70 for i in range(1, 10)}}  # fmt: skip
    org = evalkit.Organisation(
        units=[evalkit.Unit("U", "Phòng U")], positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff(s, f"Người {s}", "CV", "U", duty_group="G" + s[0]) for s in xs])
    assessments = [evalkit.Assessment(s, p, competent_scores={
        **RS.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), x)})
        for s, x in xs.items() for p in MONTHS[:2]]  # fmt: skip
    inputs = [UnitInputs("U", p, tasks_assigned=10, tasks_done=10) for p in MONTHS[:2]]
    by_objects = evalkit.classify_organisation_year([evalkit.classify_organisation(
        org, [a for a in assessments if str(a.period) == p], [u for u in inputs
                                                               if str(u.period) == p])
        for p in MONTHS[:2]])["U"]  # fmt: skip
    sm, units = evalkit.frames_from_objects(org, assessments, inputs)
    st, ut = evalkit.classify_frame(sm, units)
    year = evalkit.classify_year(pd.concat([sm, st[[c for c in st if c not in sm]]], axis=1), ut)
    objects = {r.staff_id: r.grade.code for r in by_objects.staff if r.grade}
    assert (objects["A1"], objects["A2"]) == ("HTXS", "HTT")
    assert objects == dict(zip(year["staff_id"], year["grade"].astype(str), strict=True))
    assert sorted((q.duty_group, q.cap) for q in by_objects.quotas) == [("GA", 1), ("GB", 1)]


def test_the_objects_year_takes_the_competent_levels_conclusions(
        months: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]) -> None:  # fmt: skip
    """The competent level concludes T HTT for the year, with its written reason: T is HTT
    and X1 (93, the next in rank) keeps the one HTXS of P — through the objects as through
    the frames' ``conclusions=``; a conclusion for someone with no year is refused."""
    ucs = [evalkit.classify_organisation(
        organisation(p), [assessment(s, p) for s in PEOPLE],
        [UnitInputs(u, p, tasks_assigned=10, tasks_done=DONE[u]) for u in HEADS])
        for p in MONTHS]  # fmt: skip
    said = evalkit.Assessment("T", "2026", competent_grade="HTT",
                              competent_reason="Chưa hoàn thành nhiệm vụ trọng tâm")
    year = evalkit.classify_organisation_year(ucs, conclusions=[said])
    grades = {r.staff_id: r.grade.code for c in year.values() for r in c.staff if r.grade}
    assert (grades["T"], grades["X1"], grades["X2"]) == ("HTT", "HTXS", "HTT")
    staff, units = _frames(months)
    frames = evalkit.classify_year(staff, units, conclusions=pd.DataFrame([{
        "staff_id": "T", "competent_grade": "HTT",
        "competent_reason": "Chưa hoàn thành nhiệm vụ trọng tâm"}]))
    assert _of_objects(year) == _of_frame(frames)
    with pytest.raises(evalkit.InputError, match="no result for the year"):
        evalkit.classify_organisation_year(ucs, conclusions=[evalkit.Assessment(
            "NOBODY", "2026", competent_grade="HTT", competent_reason="x")])


def test_the_months_may_be_given_in_any_order() -> None:
    """The year's unit, head and parent are those of the last month by date, not of the
    last month given: T (in Q until June, in P from July) is P's, the months reversed."""
    ucs = [evalkit.classify_organisation(
        organisation(p), [assessment(s, p) for s in PEOPLE],
        [UnitInputs(u, p, tasks_assigned=10, tasks_done=DONE[u]) for u in HEADS])
        for p in MONTHS]  # fmt: skip
    assert _of_objects(evalkit.classify_organisation_year(ucs[::-1])) == \
        _of_objects(evalkit.classify_organisation_year(ucs))


# =========================================================================== customs months

ND, CQ = RS, evalkit.rules.get("vn.customs-2026q")


def _customs(p: str) -> Any:
    return CQ if p >= "2026-07" else ND


def test_customs_months_through_the_objects_are_the_frames_year() -> None:
    """NĐ 335 months January to June, customs months from July (CV 21169/CHQ-TCCB: the
    quarters classified first — the head capped at the quarter's unit, HTXS at most 20 %
    a quarter —, the year counted from the four quarters' grades). Phòng P (8 of 10: HTT)
    has H (head, 100), A (100), B (96.5), F0–F5 (79; F0 reprimanded in October). Each
    customs quarter keeps one HTXS (20 % of 7 HTT, then of 6): A; B is demoted in Q3 and Q4
    and has two HTXS quarters (Q1, Q2), HTXS by the count, then demoted by the year's quota
    (1 of 6 HTT: A); F0 KHT (Điều 20 k4 c); H HTT, not above the unit. The objects' year is
    the frames' year."""
    xs = {"A": 100, "B": 95, **{f"F{i}": 70 for i in range(6)}}
    org = evalkit.Organisation(
        units=[evalkit.Unit("P", "Phòng P", head_id="H")],
        positions=[evalkit.Position("CV", "Chuyên viên"),
                   evalkit.Position("TP", "Trưởng phòng", manages_others=True)],
        staff=[evalkit.Staff("H", "Người H", "TP", "P"),
               *(evalkit.Staff(s, f"Người {s}", "CV", "P") for s in xs)])  # fmt: skip

    def of(p: str) -> list[evalkit.Assessment]:
        rs = _customs(p)
        return [evalkit.Assessment("H", p, competent_scores=rs.full_marks(manages_others=True)),
                *(evalkit.Assessment(s, p, competent_scores={**rs.full_marks(), **dict.fromkeys(
                    ("so_luong", "chat_luong", "tien_do"), x)},
                    discipline="khien_trach" if (s, p) == ("F0", "2026-10") else "")
                  for s, x in xs.items())]  # fmt: skip

    inputs = {p: [UnitInputs("P", p, tasks_assigned=10, tasks_done=8)] for p in MONTHS}
    year = evalkit.classify_organisation_year([
        evalkit.classify_organisation(org, of(p), inputs[p], _customs(p)) for p in MONTHS])
    made = []
    for p in MONTHS:
        sm, units = evalkit.frames_from_objects(org, of(p), inputs[p])
        st, ut = evalkit.classify_frame(sm, units, _customs(p))
        made.append((pd.concat([sm, st[[c for c in st if c not in sm]]], axis=1), ut, units))
    frames = evalkit.classify_year(*_frames(made))
    objects = _of_objects(year)
    assert {s: g for s, (_, g, _, _) in objects.items()} == {
        "H": "HTT", "A": "HTXS", "B": "HTT", "F0": "KHT", **{f"F{i}": "HTT" for i in range(1, 6)}}
    assert [c for c, _, _ in objects["B"][3]][-2:] == ["rollup.count.excellent", "quota.demoted"]
    assert objects == _of_frame(frames)


@pytest.mark.parametrize(("months", "said"), [
    ([], "the months must be of one year, not none given"),
    (["2025-12", "2026-01"], "the months must be of one year, not 2025, 2026"),
])  # fmt: skip
def test_months_of_no_year_or_two_are_refused(months: list[str], said: str) -> None:
    """The year is classified from its own months: none, or two years' months, are refused
    with the years found."""
    org = organisation("2026-01")
    ucs = [evalkit.classify_organisation(org, [], [UnitInputs("P", p, tasks_assigned=10,
                                                              tasks_done=8)], RS, force=True)
           for p in months]  # fmt: skip
    with pytest.raises(evalkit.ModelError, match=said):
        evalkit.classify_organisation_year(ucs)


# =========================================================================== the tie-break


def _tied_year(extra: dict[str, dict[str, Any]], tmp: Path, periods: list[str] = MONTHS[:3],
               rs: Any = RS) -> dict[str, dict[str, str]]:  # fmt: skip
    """Phòng U (no head), ``periods`` of 2026 under ``rs``: A and B alike every month (tasks
    100, 75, 100: the same total and task points), F1–F5 tasks 70 (HTT): 20 % of 5 HTT is
    one HTXS (NĐ 335/2025 Điều 20 k5 a) for two candidates tied on total and tasks.
    ``extra`` adds each one's scores or assessment fields. The year's grades through the objects, the frames and the CLI
    (each month's results file finalized, then ``annual``)."""
    org = evalkit.Organisation(
        units=[evalkit.Unit("U", "Phòng U")], positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff(s, f"Người {s}", "CV", "U") for s in ("A", "B", *FS)])
    tasks = {"A": (100, 75, 100), "B": (100, 75, 100), **dict.fromkeys(FS, (70, 70, 70))}

    def of(s: str, p: str) -> evalkit.Assessment:
        more = dict(extra.get(s, {}))
        scores = {**rs.full_marks(), **dict(zip(("so_luong", "chat_luong", "tien_do"), tasks[s],
                                                strict=True)), **more.pop("scores", {})}
        return evalkit.Assessment(s, p, competent_scores=scores, **more)

    assessments = [of(s, p) for p in periods for s in tasks]
    inputs = [UnitInputs("U", p, tasks_assigned=10, tasks_done=10) for p in periods]
    by_objects = evalkit.classify_organisation_year([evalkit.classify_organisation(
        org, [a for a in assessments if str(a.period) == p],
        [u for u in inputs if str(u.period) == p], rs) for p in periods])["U"]  # fmt: skip
    made = []
    for p in periods:
        sm, units = evalkit.frames_from_objects(org, [a for a in assessments
                                                      if str(a.period) == p],
                                                [u for u in inputs if str(u.period) == p])
        st, ut = evalkit.classify_frame(sm, units, rs)
        made.append((pd.concat([sm, st[[c for c in st if c not in sm]]], axis=1), ut, units))
    year = evalkit.classify_year(*_frames(made))
    _finalize_by_cli(made, rs.id, tmp, tmp / "a.sqlite")
    code, out, err = run("annual", "--year", "2026", "--archive", str(tmp / "a.sqlite"),
                         "--out", str(tmp / "nam.csv"))  # fmt: skip
    assert code == 0, (out, err)
    cli = pd.read_csv(tmp / "nam.csv", dtype={"staff_id": str})
    return {"objects": {r.staff_id: r.grade.code for r in by_objects.staff if r.grade},
            "frames": dict(zip(year["staff_id"], year["grade"].astype(str), strict=True)),
            "cli": dict(zip(cli["staff_id"], cli["annual_grade"].astype(str), strict=True))}


FS = [f"F{i}" for i in range(1, 6)]


@pytest.mark.parametrize("extra", [
    # A's quality 100 less 25 for one major error each month (Điều 14 k2 b): 75, as B's
    {"A": {"scores": {"chat_luong": 100, "loi_chat_luong": 1}}},
    # no deductions either: the competent level's order (1 before 2) decides
    {"A": {"competent_order": 2}, "B": {"competent_order": 1}},
])  # fmt: skip
def test_every_door_breaks_a_tie_alike(extra: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    """Tied on total and task points at the quota's boundary, the one with fewer deductions,
    then the one the competent level orders first, keeps HTXS (domain brief §4.6; the rule
    set's ``tie_break``): B, in both cases, though A comes first by staff id. The objects'
    year and the CLI's (the archive's) carry the months' deduction counts and order as the
    frames' year does."""
    doors = _tied_year(extra, tmp_path)
    assert (doors["frames"]["A"], doors["frames"]["B"]) == ("HTT", "HTXS")
    for name in ("objects", "cli"):
        assert doors[name] == doors["frames"], name


@pytest.mark.parametrize("extra", [
    {"A": {"scores": {"chat_luong": 100, "loi_chat_luong": 1}}},
    {"A": {"competent_order": 2}, "B": {"competent_order": 1}},
])  # fmt: skip
def test_every_door_breaks_a_quarters_tie_alike(extra: dict[str, dict[str, Any]],
                                                tmp_path: Path) -> None:  # fmt: skip
    """Customs, July to December (CV 21169/CHQ-TCCB: each quarter classified, HTXS at most
    20 % a quarter, the year counted from the quarters' grades): A and B tie in each quarter
    on total and tasks; B, with fewer deductions (then first in the competent level's order),
    keeps the quarter's one HTXS both quarters and so the year's, A none. The quarters' ties
    are broken alike through every door."""
    doors = _tied_year(extra, tmp_path, MONTHS[6:], CQ)
    assert (doors["frames"]["A"], doors["frames"]["B"]) == ("HTT", "HTXS")
    for name in ("objects", "cli"):
        assert doors[name] == doors["frames"], name


def test_a_month_scored_alone_keeps_the_tie_inputs_as_the_organisation_does() -> None:
    """:func:`evalkit.score` and :func:`evalkit.classify_organisation` give one result for
    one assessment: the deduction counts (counting level's) and the competent level's order
    the year's tie-break reads kept by both."""
    org = evalkit.Organisation(
        units=[evalkit.Unit("U", "Phòng U")], positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff("A", "Người A", "CV", "U")])
    a = evalkit.Assessment("A", "2026-01", competent_order=2, competent_scores={
        **RS.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), 100),
        "loi_chat_luong": 1})  # fmt: skip
    by_org = evalkit.classify_organisation(org, [a], [UnitInputs(
        "U", "2026-01", tasks_assigned=10, tasks_done=10)])["U"].result_of("A")  # fmt: skip
    assert dict(by_org.tie_inputs) == {"loi_chat_luong": 1.0, "competent_order": 2.0}
    assert evalkit.score(a) == by_org
