"""NĐ 233/2026/NĐ-CP Điều 7 k1 c and k4 a (the unit's flags ``shortcomings_unremedied`` and
``personnel_wrongdoing``) and the k2 / k3 sentences' own citations, as the preset
``vn.nd233-2026`` follows them, at each band edge, worked by hand from the text.

Decree text read: ``git show HEAD:van-ban/233-2026-ND-CP-danh-gia-xep-loai-vien-chuc.md`` in
the diepxuan.github.io mirror (an OCR of the signed text), Điều 7:

* k1 "Hoàn thành xuất sắc nhiệm vụ: Đạt từ 90 điểm trở lên, đồng thời đáp ứng các điều kiện
  sau: … c) Đã khắc phục toàn bộ hạn chế, khuyết điểm được chỉ ra từ kỳ đánh giá trước hoặc
  từ kết luận thanh tra, kiểm tra của cơ quan có thẩm quyền (nếu có)";
* k2 "Hoàn thành tốt nhiệm vụ: Đạt từ 70 đến dưới 90 điểm, đồng thời hoàn thành 100% các
  nhiệm vụ được giao, đúng thời hạn, …"; k3 "Hoàn thành nhiệm vụ: Đạt từ 50 đến dưới 70 điểm,
  đồng thời hoàn thành 100% các nhiệm vụ được giao, số nhiệm vụ chưa bảo đảm tiến độ không
  vượt quá 20%";
* k4 "Không hoàn thành nhiệm vụ: Có tổng điểm đánh giá dưới 50 điểm hoặc thuộc một trong các
  trường hợp sau: a) Bị cấp có thẩm quyền kết luận có sai phạm trong công tác cán bộ, mất
  đoàn kết nội bộ, bè phái, chạy chức, chạy quyền; …";
* k5 a unit in the band of k1–k3 not meeting the level's other conditions: the competent
  level decides (evalkit grades a unit of the HTXS band HTT with the condition said, as for
  k1 a and b).

The preset scores a unit 100 × (on time + 1 × late) ÷ assigned (``late_credit`` 1), minus its
``deduction``, rounded to the cent; every unit here is a root (no k7 limit). By hand,
(assigned, done, on time, exceeded, deduction, S = shortcomings_unremedied, W =
personnel_wrongdoing) → score, grade:

* ``X90`` (10, 10, 10, 3, 10) → 90, 100 % done and on time, 30 % exceeded → HTXS;
  ``X90S`` the same with S → k1 c not met → HTT, ``shortcomings`` (cited k1 c);
  ``X90W`` with W → KHT whatever the score (k4 a), ``wrongdoing`` (cited k4 a);
* ``X8999`` (10, 10, 10, 3, 10.01) → 89.99, band HTT, all on time → HTT, nothing said;
  ``X8999S`` with S → HTT, nothing said (k1 c is a condition of HTXS only);
  ``X8999W`` with W → KHT, ``wrongdoing``;
* ``G70`` (10, 10, 7, 0, 30) → 70, band HTT, 7/10 = 70 % on time < 100 % (k2) → HTT,
  ``band_condition.good`` cited "Điều 7 k2, k5";
* ``F6999`` (10, 10, 7, 0, 30.01) → 69.99, band HT, 3/10 = 30 % not on schedule > 20 % (k3)
  → HT, ``band_condition.fair`` cited "Điều 7 k3, k5"; ``F50`` (…, 50) → 50, the same;
  ``F50S`` with S → the same (S changes no unit outside the HTXS band);
* ``K4999`` (10, 10, 7, 0, 50.01) → 49.99 → KHT by its score (k4), no condition said.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit.io.archive import Archive
from evalkit.render import render_unit_summary_html, summaries_from_results
from evalkit.workflow import year_units
from tests._cli_helpers import unit_month
from tests._sheet_audit import html_text

RS = evalkit.rules.get("vn.nd233-2026")
PERIOD = "2026-09"
SHORT, WRONG = "unit.excellent_condition.shortcomings", "unit.kht_personnel_wrongdoing"
GOOD, FAIR = "unit.band_condition.good", "unit.band_condition.fair"
CODES = {SHORT, WRONG, GOOD, FAIR, "unit.excellent_condition.on_time",
         "unit.excellent_condition.tasks_done", "unit.excellent_condition.exceeded",
         "unit.kht_below_done"}  # fmt: skip
FLAGS = ("shortcomings_unremedied", "personnel_wrongdoing")
COLUMNS = ("tasks_assigned", "tasks_done", "tasks_on_time", "tasks_exceeded", "deduction", *FLAGS)
#: unit → (assigned, done, on time, exceeded, deduction, S, W): the module docstring
UNITS: dict[str, tuple[Any, ...]] = {
    "X90": (10, 10, 10, 3, 10, False, False), "X90S": (10, 10, 10, 3, 10, True, False),
    "X90W": (10, 10, 10, 3, 10, False, True), "X8999": (10, 10, 10, 3, 10.01, False, False),
    "X8999S": (10, 10, 10, 3, 10.01, True, False), "X8999W": (10, 10, 10, 3, 10.01, False, True),
    "G70": (10, 10, 7, 0, 30, False, False), "F6999": (10, 10, 7, 0, 30.01, False, False),
    "F50": (10, 10, 7, 0, 50, False, False), "F50S": (10, 10, 7, 0, 50, True, False),
    "K4999": (10, 10, 7, 0, 50.01, False, False)}  # fmt: skip
#: by hand (module docstring): unit → (score, grade, the codes of Điều 7 said)
WANT: dict[str, tuple[float, str, set[str]]] = {
    "X90": (90.0, "HTXS", set()), "X90S": (90.0, "HTT", {SHORT}), "X90W": (90.0, "KHT", {WRONG}),
    "X8999": (89.99, "HTT", set()), "X8999S": (89.99, "HTT", set()),
    "X8999W": (89.99, "KHT", {WRONG}), "G70": (70.0, "HTT", {GOOD}),
    "F6999": (69.99, "HT", {FAIR}), "F50": (50.0, "HT", {FAIR}), "F50S": (50.0, "HT", {FAIR}),
    "K4999": (49.99, "KHT", set())}  # fmt: skip
#: the citation of each code, each clause its own
CITED = {SHORT: "NĐ 233/2026/NĐ-CP, Điều 7 k1 c", WRONG: "NĐ 233/2026/NĐ-CP, Điều 7 k4 a",
         GOOD: "NĐ 233/2026/NĐ-CP, Điều 7 k2, k5", FAIR: "NĐ 233/2026/NĐ-CP, Điều 7 k3, k5"}
#: Điều 7 k1 c word for word (af176: "… của cơ quan có thẩm quyền", left out before)
SHORT_VI = ("Chưa khắc phục toàn bộ hạn chế, khuyết điểm được chỉ ra từ kỳ đánh giá trước hoặc "
            "từ kết luận thanh tra, kiểm tra của cơ quan có thẩm quyền: không xếp Hoàn thành "
            "xuất sắc nhiệm vụ")
WRONG_VI = ("Bị cấp có thẩm quyền kết luận có sai phạm trong công tác cán bộ, mất đoàn kết nội "
            "bộ, bè phái, chạy chức, chạy quyền: xếp loại Không hoàn thành nhiệm vụ")
#: a flag set, as a person types it in a frame or file; and not set
YES: tuple[Any, ...] = (True, 1, "x", "có", "X")
NO: tuple[Any, ...] = (False, 0, "", "không", None)


def _marks(x: int) -> dict[str, Any]:
    return {**RS.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), x)}


def _inputs(u: str) -> dict[str, Any]:
    return dict(zip(COLUMNS, UNITS[u], strict=True))


def _typed(u: str, i: int) -> dict[str, Any]:
    """The unit's inputs with its flags as a person may type them (each row another way)."""
    row = _inputs(u)
    return {**row, **{f: (YES if row[f] else NO)[i % 5] for f in FLAGS}}


def _got(res: pd.DataFrame) -> dict[str, tuple[float, str, set[str]]]:
    return {str(r.unit_id): (float(r.score), str(r.grade), set(str(r.reasons).split(";")) & CODES)
            for r in res.itertuples()}  # fmt: skip


def _org(units: Any) -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}") for u in units],
        staff=[evalkit.Staff(f"S{u}", f"Người {u}", "VC", u, category="vien_chuc")
               for u in units],
        positions=[evalkit.Position("VC", "Viên chức")])  # fmt: skip


def _staff(units: Any, periods: list[str]) -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                          "period": p, "category": "vien_chuc", **_marks(80)}
                         for u in units for p in periods])  # fmt: skip


def test_the_objects_grade_each_edge_with_its_citation() -> None:
    said = [evalkit.Assessment(f"S{u}", PERIOD, competent_scores=_marks(80)) for u in UNITS]
    inputs = [evalkit.UnitInputs(u, PERIOD, **_inputs(u)) for u in UNITS]
    out = evalkit.classify_organisation(_org(UNITS), said, inputs, RS)
    got = {}
    for u, c in out.items():
        assert c.unit.grade is not None and c.unit.score is not None
        got[u] = (c.unit.score, c.unit.grade.code, {r.code for r in c.unit.reasons} & CODES)
        for r in c.unit.reasons:
            if r.code in CITED:
                assert r.source == CITED[r.code], (u, r.code)
    assert got == WANT
    assert out["X90S"].unit.shortcomings_unremedied and out["X90W"].unit.personnel_wrongdoing
    (r,) = [r for r in out["X90S"].unit.reasons if r.code == SHORT]
    assert r.message_vi == SHORT_VI
    assert r.message_en.startswith("Not every shortcoming pointed out by the previous ")
    (r,) = [r for r in out["X90W"].unit.reasons if r.code == WRONG]
    assert r.message_vi == WRONG_VI
    assert r.message_en.startswith("Concluded by the competent level to have wrongdoing in ")
    # a flag typed "x" on an object is read as on a sheet; anything else no flag is refused
    assert evalkit.UnitInputs("U", PERIOD, personnel_wrongdoing=None).personnel_wrongdoing is False
    with pytest.raises(evalkit.errors.ModelError, match="personnel_wrongdoing"):
        evalkit.UnitInputs("U", PERIOD, personnel_wrongdoing="maybe")


def test_the_frame_and_its_csv_grade_as_the_objects(tmp_path: Path) -> None:
    """The flags typed every way a flag is read (True/1/"x"/"có", False/0/blank/"không"),
    in the frame, then read back from CSV as pandas reads it and as text; the unit summary
    says the sentence with its own citation (k2's and k3's apart)."""
    units = pd.DataFrame([{"unit_id": u, "period": PERIOD, **_typed(u, i)}
                          for i, u in enumerate(UNITS)])  # fmt: skip
    staff = _staff(UNITS, [PERIOD])
    st_, res = evalkit.classify_frame(staff, units, RS)
    assert _got(res) == WANT
    units.to_csv(tmp_path / "units.csv", index=False)
    for kw in ({}, {"dtype": str, "keep_default_na": False}):
        back = pd.read_csv(tmp_path / "units.csv", **kw)  # type: ignore[arg-type]
        assert _got(evalkit.classify_frame(staff, back, RS)[1]) == WANT
    by = {s.unit.id: s for s in summaries_from_results(st_, res)}
    for u, code, other in (("X90S", SHORT, WRONG), ("X90W", WRONG, SHORT), ("G70", GOOD, FAIR),
                           ("F6999", FAIR, GOOD)):  # fmt: skip
        text = html_text(render_unit_summary_html(by[u]))
        assert CITED[code] in text and CITED[other] not in text, u
    assert SHORT_VI in html_text(render_unit_summary_html(by["X90S"]))
    # a flag that is no yes/no is refused, named
    bad = units.assign(shortcomings_unremedied=["chưa rõ", *[None] * (len(units) - 1)])
    with pytest.raises(evalkit.InputError, match="shortcomings_unremedied"):
        evalkit.classify_frame(staff, bad, RS)


def test_a_sub_unit_kht_for_wrongdoing_keeps_its_parent_from_htxs() -> None:
    """k4 a then k1 b: C (100 points) concluded to have wrongdoing is KHT, so its parent P
    (100 points, every task on time, 30 % exceeded) is not HTXS: HTT, its sub-unit KHT."""
    units = pd.DataFrame([
        {"unit_id": "P", "period": PERIOD, **_inputs("X90"), "deduction": 0},
        {"unit_id": "C", "parent_id": "P", "period": PERIOD, **_inputs("X90"), "deduction": 0,
         "personnel_wrongdoing": "x"}])  # fmt: skip
    res = evalkit.classify_frame(_staff("PC", [PERIOD]), units, RS)[1].set_index("unit_id")
    assert res.loc["C", "grade"] == "KHT" and WRONG in res.loc["C", "reasons"]
    assert res.loc["P", "grade"] == "HTT"
    assert res.loc["P", "reasons"] == "unit.excellent_condition.subunit_kht"


#: the sets whose [units] read personnel_wrongdoing: NĐ 233 Điều 7 k4 a and QĐ 366-QĐ/TW
#: Điều 11 k4 (the same case for a leadership collective)
WRONG_READERS = ("vn.nd233-2026", "vn.qd366-2025")


@pytest.mark.parametrize("rule_set", [r.id for r in evalkit.rules.available()
                                      if r.id not in WRONG_READERS])  # fmt: skip
def test_another_set_refuses_a_flag_set_and_takes_a_blank_one(rule_set: str) -> None:
    """NĐ 335, NĐ 90, customs, Hà Nội, the example: their [units] do not read the
    flags. A flag left blank or false changes nothing; a flag set is refused, naming the
    unit, the flag, the value and the rule set (never graded as if blank: Điều 7 k1 c, k4 a
    are NĐ 233's, and a unit under another set flagged is a unit under the wrong set or a
    slip), as an evaluating body the set does not declare is."""
    rs = evalkit.rules.get(rule_set)
    assert not set(rs.unit_flags_read()) & {"shortcomings_unremedied", "personnel_wrongdoing"}
    cat = sorted(c.value for c in rs.categories)[0]
    staff = pd.DataFrame([{"staff_id": f"S{u}", "full_name": "Người", "unit_id": u,
                           "period": PERIOD, "category": cat, **rs.full_marks()} for u in "AB"])
    units = pd.DataFrame([{"unit_id": u, "period": PERIOD, "tasks_assigned": 10,
                           "tasks_done": 10, "tasks_exceeded": 3, "deduction": d}
                          for u, d in (("A", 0), ("B", 40))])  # fmt: skip
    base = evalkit.classify_frame(staff, units, rs, force=True)
    blank = evalkit.classify_frame(staff, units.assign(
        shortcomings_unremedied=[None, "không"], personnel_wrongdoing=[False, ""]), rs,
        force=True)  # fmt: skip
    pd.testing.assert_frame_equal(blank[0], base[0])
    pd.testing.assert_frame_equal(blank[1].drop(columns=list(FLAGS), errors="ignore"), base[1])
    with pytest.raises(evalkit.InputError) as exc:
        evalkit.classify_frame(staff, units.assign(
            shortcomings_unremedied=["x", None], personnel_wrongdoing=[False, True]), rs,
            force=True)  # fmt: skip
    assert [(p.row, p.unit_id, p.column, p.value) for p in exc.value.problems] == [
        (0, "A", "shortcomings_unremedied", "x"), (1, "B", "personnel_wrongdoing", True)]
    assert exc.value.problems[1].message == (
        f"unit B has personnel_wrongdoing set ({PERIOD}), which rule set {rule_set} does not "
        "read: the unit would be classified as if it were blank; clear it, or classify the "
        f"unit under a rule set that reads it ({', '.join(WRONG_READERS)})")


@pytest.mark.slow
def test_the_command_line_grades_each_edge(tmp_path: Path) -> None:
    """The template's units sheet has both flags; "x" typed in them is read by validate and
    classify as by the frame."""
    units = unit_month(
        tmp_path, RS.id, PERIOD, dict.fromkeys(UNITS),
        lambda s, row: {f"competent__{k}": v for k, v in _marks(80).items()},
        lambda u, row: {k: ("x" if v is True else None if v is False else v)
                        for k, v in _inputs(u).items()})  # fmt: skip
    assert _got(pd.DataFrame(units).fillna({"reasons": ""})) == WANT


#: the year (July–December 2026): each month (10, 10, 10, 3) → 100 points, HTXS; the flags
#: set: unit → {month: flags}. YS: S in October only; YW: W in August only; Y0: none; YR:
#: none in the months, S on a row for the year (below). By hand: YS HTT (k1 c, a flag in any
#: month holds for the year), YW KHT (k4 a), Y0 HTXS, YR HTT.
MONTHS = [f"2026-{m:02d}" for m in range(7, 13)]
YEAR_FLAGS = {"YS": {"2026-10": {"shortcomings_unremedied": True}},
              "YW": {"2026-08": {"personnel_wrongdoing": True}}, "Y0": {}, "YR": {}}
YEAR_WANT = {"YS": ("HTT", {SHORT}), "YW": ("KHT", {WRONG}), "Y0": ("HTXS", set()),
             "YR": ("HTT", {SHORT})}


def _year_units() -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": u, "period": p, **_inputs("X90"), "deduction": 0,
                          **dict.fromkeys(FLAGS, False), **fl.get(p, {})}
                         for u, fl in YEAR_FLAGS.items() for p in MONTHS])  # fmt: skip


def test_the_year_holds_a_flag_of_any_month_or_of_the_years_row() -> None:
    staff, units = _staff(YEAR_FLAGS, MONTHS), _year_units()
    st_, ut = evalkit.classify_frame(staff, units, RS)
    month = ut.set_index(["unit_id", "period"])
    assert month.loc[("YS", "2026-10"), "grade"] == "HTT"
    assert month.loc[("YS", "2026-09"), "grade"] == "HTXS"
    assert month.loc[("YW", "2026-08"), "grade"] == "KHT"
    assert month.loc[("YW", "2026-09"), "grade"] == "HTXS"
    # YR: a row for the year, without a grade, gives the flag beside the months
    ut = pd.concat([pd.DataFrame([{"unit_id": "YR", "period": "2026",
                                   "shortcomings_unremedied": "x"}]), ut], ignore_index=True)
    yr = evalkit.classify_year(st_, ut, RS)
    year = yr.set_index("staff_id")
    assert {u: str(year.loc[f"S{u}", "unit_grade"]) for u in YEAR_FLAGS} == {
        u: g for u, (g, _) in YEAR_WANT.items()}
    graded = year_units(yr, ut).set_index("unit_id")
    assert {u: (str(graded.loc[u, "grade"]), set(str(graded.loc[u, "reasons"]).split(";"))
                & CODES) for u in YEAR_FLAGS} == YEAR_WANT  # fmt: skip
    by = {s.unit.id: s for s in summaries_from_results(yr, year_units(yr, ut))}
    text = html_text(render_unit_summary_html(by["YS"]))
    assert SHORT_VI in text and CITED[SHORT] in text
    # the objects: the months' UnitInputs, the year from their classifications
    org = _org(YEAR_FLAGS)
    months = [evalkit.classify_organisation(
        org, [evalkit.Assessment(f"S{u}", p, competent_scores=_marks(80)) for u in YEAR_FLAGS],
        [evalkit.UnitInputs(u, p, **{**_inputs("X90"), "deduction": 0, **fl.get(p, {})})
         for u, fl in YEAR_FLAGS.items()], RS) for p in MONTHS]  # fmt: skip
    got = evalkit.classify_organisation_year(months, RS)
    assert {u: (c.unit.grade.code if c.unit.grade else None,
                {r.code for r in c.unit.reasons} & CODES) for u, c in got.items()} == {
        **YEAR_WANT, "YR": ("HTXS", set())}  # (YR's flag is on no object: none)
    (r,) = [r for r in got["YW"].unit.reasons if r.code == WRONG]
    assert (r.message_vi, r.source) == (WRONG_VI, CITED[WRONG])


@pytest.mark.parametrize(("typed", "want"), [("HTXS", "KHT"), ("HT", "KHT"), ("KHT", "KHT")])
def test_a_grade_given_for_the_year_beside_wrongdoing_is_kht(typed: str, want: str) -> None:
    """Điều 7 k4 a leaves the competent level no choice: a unit it concluded to have
    wrongdoing in personnel work is KHT. A year's row giving a grade above KHT beside the flag
    (on that row, or in a month of the year) is graded KHT with the k4 a sentence, never kept
    silently. Without the flag the given grade stands."""
    staff, units = _staff(YEAR_FLAGS, MONTHS), _year_units()
    st_, ut = evalkit.classify_frame(staff, units, RS)
    rows = pd.DataFrame([{"unit_id": "Y0", "period": "2026", "grade": typed,
                          "personnel_wrongdoing": "x"},
                         {"unit_id": "YW", "period": "2026", "grade": typed},  # flag in 2026-08
                         {"unit_id": "YS", "period": "2026", "grade": typed}])  # no wrongdoing
    year = evalkit.classify_year(st_, pd.concat([rows, ut], ignore_index=True), RS)
    got = year.set_index("staff_id")
    assert {u: str(got.loc[f"S{u}", "unit_grade"]) for u in ("Y0", "YW", "YS")} == {
        "Y0": want, "YW": want, "YS": typed}
    graded = year_units(year, pd.concat([rows, ut], ignore_index=True)).set_index("unit_id")
    said = {u: WRONG in str(graded.loc[u, "reasons"]).split(";") for u in ("Y0", "YW", "YS")}
    assert said == {"Y0": typed != "KHT", "YW": typed != "KHT", "YS": False}


def test_the_archives_year_reads_the_flags_of_its_months(tmp_path: Path) -> None:
    staff, units = _staff(YEAR_FLAGS, MONTHS), _year_units()
    with Archive(tmp_path / "a.sqlite") as arc:
        for p in MONTHS:
            s = staff[staff["period"] == p].reset_index(drop=True)
            u = units[units["period"] == p].reset_index(drop=True)
            out, ures = evalkit.classify_frame(s, u, RS)
            extra = [c for c in out.columns if c not in s.columns]
            results = pd.concat([s, out[extra]], axis=1)
            results.attrs["rule_set"] = RS.id
            arc.finalize(results, by="TCCB", units=ures, unit_inputs=u.drop(columns=["period"]))
        annual = arc.annual(2026).set_index("staff_id")
    assert {u: str(annual.loc[f"S{u}", "unit_grade"]) for u in ("YS", "YW", "Y0")} == {
        "YS": "HTT", "YW": "KHT", "Y0": "HTXS"}


# --------------------------------------------------------------------------- properties

_RANK = {"HTXS": 3, "HTT": 2, "HT": 1, "KHT": 0}


@st.composite
def _units(draw: st.DrawFn) -> pd.DataFrame:
    """Root units of drawn tasks and deductions, each with drawn flags (``_S``, ``_W``)."""
    rows = []
    for i in range(draw(st.integers(1, 6))):
        assigned = draw(st.integers(1, 20))
        done = draw(st.integers(0, assigned))
        on_time = draw(st.one_of(st.none(), st.integers(0, done)))
        rows.append({"unit_id": f"U{i}", "period": PERIOD, "tasks_assigned": assigned,
                     "tasks_done": done, "tasks_on_time": on_time,
                     "tasks_exceeded": draw(st.integers(0, done)),
                     "deduction": draw(st.integers(0, 6000)) / 100,
                     "_S": draw(st.booleans()), "_W": draw(st.booleans())})  # fmt: skip
    return pd.DataFrame(rows)


def _run(units: pd.DataFrame, **flags: str) -> pd.DataFrame:
    frame = units.drop(columns=["_S", "_W"]).assign(**{f: units[c] for f, c in flags.items()})
    return evalkit.classify_frame(_staff(units["unit_id"], [PERIOD]), frame, RS)[1]


def _said(res: pd.DataFrame) -> Any:
    return res["reasons"].astype(str).to_numpy()


@given(_units())
def test_wrongdoing_never_raises_and_shortcomings_touch_only_the_htxs_band(
        units: pd.DataFrame) -> None:  # fmt: skip
    base = _run(units)
    wrong = _run(units, personnel_wrongdoing="_W")
    short = _run(units, shortcomings_unremedied="_S")
    rank = {k: f["grade"].astype(str).map(_RANK).to_numpy() for k, f in
            (("base", base), ("wrong", wrong), ("short", short))}  # fmt: skip
    w, s = units["_W"].to_numpy(), units["_S"].to_numpy()
    # k4 a: never a grade raised; a unit flagged is KHT, said; the others as before
    assert (rank["wrong"] <= rank["base"]).all()
    assert (wrong["grade"].astype(str)[w] == "KHT").all()
    assert wrong["reasons"][w].str.contains(WRONG, regex=False).all()
    assert _said(wrong)[~w].tolist() == _said(base)[~w].tolist()
    # k1 c: a unit outside the HTXS band (or not flagged) unchanged; one of the band flagged
    # is not HTXS, said, and never raised
    band = (base["score_grade"].astype(str) == "HTXS").to_numpy()
    same = ~(band & s)
    assert (rank["short"][same] == rank["base"][same]).all()
    assert _said(short)[same].tolist() == _said(base)[same].tolist()
    assert (rank["short"] <= rank["base"]).all()
    assert (short["grade"].astype(str)[band & s] != "HTXS").all()
    assert short["reasons"][band & s].str.contains(SHORT, regex=False).all()
    assert np.array_equal(short["score"].to_numpy(), base["score"].to_numpy(), equal_nan=True)


def test_the_keys_are_validated_listed_and_set_in_the_nd233_preset_only(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    for key in ("excellent_requires_shortcomings_remedied", "kht_personnel_wrongdoing"):
        path.write_text('extends = "vn.nd233-2026"\nid = "t.k"\njurisdiction = "t"\n'
                        f'[units]\n{key} = 1\n', encoding="utf-8")
        with pytest.raises(evalkit.errors.RuleSetError, match=key):
            evalkit.rules.load(path)
    from evalkit.rules.sources import rule_sources

    listed = {r.rule: r.source for r in rule_sources(RS)}
    assert (listed["unit shortcomings remedied"], listed["unit KHT personnel wrongdoing"],
            listed["unit HTT conditions"], listed["unit HT conditions"]) == (
        CITED[SHORT], CITED[WRONG], CITED[GOOD], CITED[FAIR])  # fmt: skip
    # a file giving only the old shared key still cites it for both sentences
    path.write_text('extends = "vn.nd335-2025"\nid = "t.b"\njurisdiction = "t"\n[units]\n'
                    'good_on_time_percent = 100\nband_conditions_source = "QĐ 1/2026, Điều 2"\n',
                    encoding="utf-8")  # fmt: skip
    assert {r.rule: r.source for r in rule_sources(evalkit.rules.load(path))}[
        "unit HTT conditions"] == "QĐ 1/2026, Điều 2"
