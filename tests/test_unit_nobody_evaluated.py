"""A classified unit with no people rows at all still gets its unit summary (issue 13).

Sở → Phòng A (A) and Phòng B (B1, B2), March 2026 under NĐ 335/2025/NĐ-CP. Nobody of
Phòng B was evaluated that month (both absent: no row, no assessment), but the unit was: 8
of its 10 tasks done is a score of 80, HTT as information (70 to < 90, Điều 20 k1–k4;
a month is monitored, Điều 21). Phòng B gets its summary at every door — the objects
(:func:`evalkit.classify_organisation` → sheets → :func:`write_reports`), the frames
(:func:`summaries_from_results` on :func:`evalkit.classify_frame`'s output) and the
command line (``evalkit classify`` → results JSON → ``evalkit render``) —: its own result
(score 80, HTT), an empty staff table that says no công chức of the unit was evaluated in
the period, every count 0, no quota. A unit whose people were counted but are merely not
in the batch (a results file cut to some units) still gets none.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

import evalkit  # noqa: E402
from evalkit import Assessment, Grade, Organisation, Position, Staff, Unit  # noqa: E402
from evalkit.render import (  # noqa: E402
    Agency,
    PublicationList,
    Sheet,
    render_publication,
    render_unit_summary,
    summaries_from_results,
    write_reports,
)
from evalkit.units import UnitInputs, classify_frame, classify_organisation  # noqa: E402
from tests._cli_helpers import ok  # noqa: E402
from tests._io_helpers import filled_workbook  # noqa: E402
from tests.test_render_reports import pdf_text  # noqa: E402

RS = evalkit.rules.get("vn.nd335-2025")
PERIOD = "2026-03"
AGENCY = Agency("Sở Nội vụ", governing_body="UBND tỉnh Thanh Hóa", place="Thanh Hóa")
NOBODY = "Không có công chức của đơn vị được đánh giá trong kỳ."
PRESENT = (("S", "SO"), ("A", "PA"))  # B1 and B2 of Phòng B: no row at all
TASKS = {"SO": 10, "PA": 9, "PB": 8}  # of 10 each: scores 100, 90, 80
UNITS = (("SO", "Sở", None), ("PA", "Phòng A", "SO"), ("PB", "Phòng B", "SO"))

ORG = Organisation(
    units=[Unit(u, name, parent_id=parent) for u, name, parent in UNITS],
    positions=[Position("CV", "Chuyên viên")],
    staff=[Staff(s, f"Người {s}", "CV", u) for s, u in (*PRESENT, ("B1", "PB"), ("B2", "PB"))],
)  # fmt: skip


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frames door: classify_frame's results (inputs joined) and unit results."""
    months = pd.DataFrame([{"staff_id": s, "unit_id": u, "period": PERIOD,
                            "category": "cong_chuc", **RS.full_marks()} for s, u in PRESENT])
    units = pd.DataFrame({"unit_id": [u for u, _, _ in UNITS],
                          "name": [n for _, n, _ in UNITS],
                          "parent_id": [p for _, _, p in UNITS], "period": PERIOD,
                          "tasks_assigned": 10, "tasks_done": [TASKS[u] for u, _, _ in UNITS]})
    st, ut = classify_frame(months, units, RS)
    return pd.concat([months, st[[c for c in st.columns if c not in months]]], axis=1), ut


def _objects(tmp: Path) -> list[str]:
    """The objects door: classify_organisation, a sheet per result, write_reports of the
    sheets with the classification as the unit results."""
    by = classify_organisation(
        ORG, [Assessment(s, PERIOD, competent_scores=RS.full_marks()) for s, _ in PRESENT],
        [UnitInputs(u, PERIOD, tasks_assigned=10, tasks_done=d) for u, d in TASKS.items()], RS)
    assert by["PB"].staff == () and by["PB"].unit.grade is Grade.HTT  # the engine's answer
    units = {u.id: u for u in ORG.units}
    staff = {s.id: s for s in ORG.staff}
    sheets = [Sheet(staff[r.staff_id], ORG.positions[0], units[uid],
                    Assessment(r.staff_id, PERIOD, competent_scores=RS.full_marks()), r, RS,
                    AGENCY)
              for uid, c in by.items() for r in c.staff]  # fmt: skip
    paths = write_reports(sheets, tmp, unit_results=by, organisation=ORG, publication=True)
    return sorted(p.name for p in paths if p.parent.name == "units")


def _command_line(tmp: Path) -> list[str]:
    """The command line: the workbook classified to a results file, rendered (no --org)."""
    book = filled_workbook(
        tmp / "thang-03.xlsx",
        [{"staff_id": s, "full_name": f"Người {s}", "unit_id": u, **RS.full_marks()}
         for s, u in PRESENT],
        units=[{"unit_id": u, "name": n, "parent_id": p, "tasks_assigned": 10,
                "tasks_done": TASKS[u]} for u, n, p in UNITS])  # fmt: skip
    ok("classify", str(book), "--out", str(tmp / "ket-qua-03.json"))
    ok("render", str(tmp / "ket-qua-03.json"), "--out", str(tmp / "out"))
    return sorted(p.name for p in (tmp / "out" / "units").iterdir())


def test_every_door_gives_the_unit_nobody_evaluated_its_summary(tmp_path: Path) -> None:
    """The same summaries at the three doors: one per classified unit, Phòng B included."""
    results, ut = _frames()
    assert dict(zip(ut["unit_id"], ut["staff"], strict=True)) == {"SO": 1, "PA": 1, "PB": 0}
    frames = sorted(f"{s.period}_{s.unit.id}.pdf"
                    for s in summaries_from_results(results, ut, agency=AGENCY))  # fmt: skip
    with_org = sorted(f"{s.period}_{s.unit.id}.pdf"
                      for s in summaries_from_results(results, ut, org=ORG, agency=AGENCY))
    objects = _objects(tmp_path / "objects")
    cli = _command_line(tmp_path / "cli")
    assert frames == with_org == objects == cli == [
        "2026-03_PA.pdf", "2026-03_PB.pdf", "2026-03_SO.pdf"]


def test_its_summary_is_its_own_result_and_an_empty_staff_table() -> None:
    """Without an organisation: no rows, every count 0, no quota, the unit's 80 (HTT)."""
    results, ut = _frames()
    [pb] = [s for s in summaries_from_results(results, ut, agency=AGENCY) if s.unit.id == "PB"]
    assert pb.rows == () and pb.nobody_evaluated and pb.sub_units == ()
    assert pb.facts is not None and (pb.facts.score, pb.facts.grade) == (80.0, Grade.HTT)
    assert pb.quota is None and pb.quotas == () and pb.quota_share() is None
    assert set(pb.grade_counts().values()) == {0} and pb.not_evaluated() == 0
    _, text = pdf_text(render_unit_summary(pb))
    text = _flat(text)
    assert "Phòng B" in text and NOBODY in text, text
    assert "Tổng số người: 0" in text and "Tổng số người 0" in text, text
    assert "Chưa đánh giá 0" in text, text
    assert "Điểm được công nhận 80" in text and "Hoàn thành tốt nhiệm vụ" in text, text
    assert "Tỷ lệ khống chế" not in text and "riêng mình" not in text  # no quota, no Khối
    # a legal document: Vietnamese only, no codes, no English
    for word in ("staff", "nobody", "None", "nan", "quota", "HTT", "PB"):
        assert not re.search(rf"\b{word}\b", text), word
    _, pub = pdf_text(render_publication(PublicationList.from_summary(pb)))
    assert NOBODY in _flat(pub) and "Họ và tên" not in pub and "riêng mình" not in pub


def test_with_the_organisation_its_absent_members_are_listed_not_evaluated() -> None:
    """The organisation names B1 and B2: listed Chưa đánh giá and counted (2 of 2)."""
    results, ut = _frames()
    [pb] = [s for s in summaries_from_results(results, ut, org=ORG, agency=AGENCY)
            if s.unit.id == "PB"]  # fmt: skip
    assert [r.staff.id for r in pb.rows] == ["B1", "B2"] and pb.not_evaluated() == 2
    assert pb.facts is not None and pb.facts.grade is Grade.HTT and pb.quota is None
    _, text = pdf_text(render_unit_summary(pb))
    text = _flat(text)
    assert "Người B1" in text and "Chưa đánh giá 2" in text and "Tổng số người 2" in text


def test_a_unit_whose_people_are_merely_not_in_the_batch_gets_none() -> None:
    """Phòng A's person was classified (its row says ``staff`` 1) but the results were cut
    to the other units: Phòng A is not said to have nobody evaluated."""
    results, ut = _frames()
    cut = results[results["staff_id"] != "A"]
    assert "PA" not in {s.unit.id for s in summaries_from_results(cut, ut, agency=AGENCY)}
    assert "PB" in {s.unit.id for s in summaries_from_results(cut, ut, agency=AGENCY)}


def test_the_year_gives_it_its_summary_too() -> None:
    """January and February, Phòng B nobody evaluated in either: the year's units
    (``workflow.year_units`` with the months' unit results) count none of its people, so
    it has its year summary — its grade as the engine grades units (80 both months: mean
    80, HTT) —, without and with the organisation."""
    from evalkit import workflow
    from evalkit.units import classify_year

    months, units = [], []
    for p in ("2026-01", "2026-02"):
        results, ut = _frames()
        months.append(results.assign(period=p))
        units.append(ut.assign(period=p))
    m, u = pd.concat(months, ignore_index=True), pd.concat(units, ignore_index=True)
    year = classify_year(m, u)
    yu = workflow.year_units(year, u)
    for org in (None, ORG):
        by = {s.unit.id: s for s in summaries_from_results(year, yu, org=org, agency=AGENCY)}
        assert sorted(by) == ["PA", "PB", "SO"] and by["PB"].nobody_evaluated
        assert by["PB"].facts is not None and by["PB"].facts.grade is Grade.HTT
        assert len(by["PB"].rows) == (0 if org is None else 2)


def _on_leave(period: str = PERIOD) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frames door with Phòng B's two people present but on sick leave the whole month
    (a row each, no scores)."""
    months = pd.DataFrame([{"staff_id": s, "unit_id": u, "period": period,
                            "category": "cong_chuc", **RS.full_marks()} for s, u in PRESENT]
                          + [{"staff_id": s, "unit_id": "PB", "period": period,
                              "category": "cong_chuc", "leave": "sick"} for s in ("B1", "B2")])
    units = pd.DataFrame({"unit_id": [u for u, _, _ in UNITS],
                          "name": [n for _, n, _ in UNITS],
                          "parent_id": [p for _, _, p in UNITS], "period": period,
                          "tasks_assigned": 10, "tasks_done": [TASKS[u] for u, _, _ in UNITS]})
    st, ut = classify_frame(months, units, RS)
    return pd.concat([months, st[[c for c in st.columns if c not in months]]], axis=1), ut


def test_every_member_listed_and_none_evaluated_is_said_in_a_sentence() -> None:
    """issue 13 (af53): Phòng B's two people have rows, both on sick leave all month. The
    summary lists them *Chưa đánh giá* (Ghi chú *Nghỉ ốm*) and says in a sentence that no
    công chức of the unit was evaluated in the period — it did so only when the table had
    no row. Phòng A (its person evaluated) has no such sentence."""
    results, ut = _on_leave()
    for org in (None, ORG):
        by = {s.unit.id: s for s in summaries_from_results(results, ut, org=org, agency=AGENCY)}
        assert [r.staff.id for r in by["PB"].rows] == ["B1", "B2"]
        assert by["PB"].not_evaluated() == 2
        _, text = pdf_text(render_unit_summary(by["PB"]))
        text = _flat(text)
        assert NOBODY in text and "Nghỉ ốm" in text and ("Người B1" if org else "B1") in text, text
        assert "Chưa đánh giá 2" in text and "Tổng số người 2" in text, text
        _, other = pdf_text(render_unit_summary(by["PA"]))
        assert NOBODY not in _flat(other)


def test_a_year_without_a_month_worked_says_it_too() -> None:
    """The year of January and February, Phòng B on sick leave both months: B1 and B2 are
    *Không xếp loại* (no month worked and evaluated, ``rollup.no_months``) and the year's
    summary says no công chức of the unit was evaluated; Phòng A's does not."""
    from evalkit import workflow
    from evalkit.units import classify_year

    months, units = [], []
    for p in ("2026-01", "2026-02"):
        results, ut = _on_leave(p)
        months.append(results)
        units.append(ut)
    m, u = pd.concat(months, ignore_index=True), pd.concat(units, ignore_index=True)
    year = classify_year(m, u)
    b = year[year["unit_id"] == "PB"]
    assert b["grade"].isna().all() and b["reasons"].str.contains("rollup.no_months").all()
    by = {s.unit.id: s for s in summaries_from_results(year, workflow.year_units(year, u),
                                                       org=ORG, agency=AGENCY)}
    _, text = pdf_text(render_unit_summary(by["PB"]))
    text = _flat(text)
    assert NOBODY in text and "Không xếp loại" in text, text
    _, other = pdf_text(render_unit_summary(by["PA"]))
    assert NOBODY not in _flat(other)
