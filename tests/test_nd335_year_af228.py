"""Fresh-eyes acceptance of a công chức year under NĐ 335/2025/NĐ-CP (af228).

Every expected value below is computed by hand from the texts (domain brief §4.1,
docs/_research/legal-sources.md §1), never copied from evalkit's output:

- a month's total = general points (30, Điều 12 k2) + (a + b + c) / 3 × 70 % (Điều 14, 16);
  a leader's (a + b + c + d + đ + e) / 6 × 70 % (Điều 15 k3);
- the year = the mean of the months actually worked (Điều 21 k1, k3), banded 90 / 70 / 50
  (Điều 20 k1–k4 a);
- KHT whatever the score for a duty-related reprimand or heavier in the year (k4 c) and
  for corruption in the body a manager — head or deputy — directly manages (k4 d);
- HTXS ≤ 20 % of those rated HTT per unit and per similar-duty group (k5 a), 25 % for a
  unit recognised for the year (k5 b); evalkit's documented defaults: floor, the tie-break
  total → task points → fewer deductions → the competent level's order.

In the scenarios every general sub-item is scaled alike and a = b = c, so a month of
``(g, t)`` totals g + 0.7 × t.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit import Assessment, Organisation, Position, Staff, Unit
from evalkit.reasons import explain
from evalkit.units import UnitInputs

RS = evalkit.rules.get("vn.nd335-2025")
TOP = RS.full_marks()
TASKS = ("so_luong", "chat_luong", "tien_do")
GENERAL = [k for k in TOP if k not in TASKS]
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
LEAD = {"manages_others": True, "ket_qua_linh_vuc": 100, "to_chuc_trien_khai": 100,
        "tap_hop_doan_ket": 100}


def marks(general: float, task: float) -> dict[str, float]:
    """General points spread over the sub-items in proportion; a = b = c = task %."""
    return {**{k: TOP[k] * general / 30 for k in GENERAL}, **dict.fromkeys(TASKS, task)}


def person(sid: str, unit: str | list[str], months: object, **extra: object) -> list[dict]:
    """Twelve month rows; ``months`` one (general, task) pair, or a list of twelve pairs or
    leave words; an ``extra`` dict is by month."""
    out = []
    for i, p in enumerate(MONTHS):
        m = months[i] if isinstance(months, list) else months
        row = {"staff_id": sid, "unit_id": unit if isinstance(unit, str) else unit[i], "period": p}
        row.update({"leave": m} if isinstance(m, str) else marks(*m))
        for k, v in extra.items():
            if not isinstance(v, dict):
                row[k] = v
            elif p in v:
                row[k] = v[p]
        out.append(row)
    return out


def year_of(rows: list[dict], units: pd.DataFrame, unit_year: pd.DataFrame | None = None,
            **kw: object) -> pd.DataFrame:
    staff, unit_results = evalkit.classify_frame(pd.DataFrame(rows), units)
    if unit_year is not None:
        unit_results = pd.concat([unit_results, unit_year], ignore_index=True)
    return evalkit.classify_year(staff, unit_results, **kw).set_index("staff_id")


# ------------------------------------------------------------------ the month's worked examples


def test_worked_examples_at_every_door() -> None:
    """a 90, b 100, c 80, general 28 → 28 + 63 = 91; a leader with d 50, all else 100,
    general 30 → 30 + 550 / 6 × 0.7 = 94.17 (to the cent)."""
    g28 = {**TOP, "san_pham_dot_pha": 1.5, "chu_dong_quyet_dinh": 1.5}
    staff = {**g28, "so_luong": 90, "chat_luong": 100, "tien_do": 80}
    leader = {**RS.full_marks(manages_others=True), "ket_qua_linh_vuc": 50}
    objects = [evalkit.scoring.score(Assessment("A", "2026-03", competent_scores=staff)),
               evalkit.scoring.score(Assessment("L", "2026-03", competent_scores=leader),
                                     manages_others=True)]
    frame = pd.DataFrame([{"staff_id": "A", "period": "2026-03", **staff},
                          {"staff_id": "L", "period": "2026-03", "manages_others": True,
                           **leader}])
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    for totals in ([r.total for r in objects],
                   evalkit.score_frame(frame)["total"].tolist(),
                   evalkit.score_frame(pd.read_csv(io.StringIO(buf.getvalue())))["total"].tolist()):
        assert totals == [91.0, 94.17]
    # the month is monitoring: its band is information, never a classification
    assert [r.classified for r in objects] == [False, False]
    assert all("band.information" in r.reason_codes() for r in objects)


def test_d_computed_from_the_staff_and_a_typed_d_that_differs_is_said() -> None:
    """Điều 15 k3: one subordinate under 50 (15 + 0.7 × 40 = 43) → d = 50 %, whatever was
    typed; the typed 100 % is reported beside the 50 % applied, on the leader's row."""
    rows = [{"staff_id": "H", "unit_id": "V", "period": "2026-03", **marks(30, 100), **LEAD},
            {"staff_id": "LOW", "unit_id": "V", "period": "2026-03", **marks(15, 40)},
            {"staff_id": "OK", "unit_id": "V", "period": "2026-03", **marks(30, 100)}]
    staff, _ = evalkit.classify_frame(pd.DataFrame(rows),
                                      pd.DataFrame({"unit_id": ["V"], "head_id": ["H"]}))
    staff = staff.set_index("staff_id")
    assert staff.loc["LOW", "total"] == 43.0
    assert staff.loc["H", "total"] == 94.17  # 30 + (5 × 100 + 50) / 6 × 0.7
    assert (staff.loc["H", "mgmt_value"], staff.loc["H", "mgmt_typed"]) == (50, 100)
    said = explain(staff.loc[["H"]]).iloc[0]
    typed = [s for s in said if "ghi 100%" in s]
    assert len(typed) == 1 and "50%" in typed[0] and "Điều 15 k3" in typed[0]


# ------------------------------------------------------------------------------ the year


@pytest.fixture(scope="module")
def year() -> pd.DataFrame:
    rows = [
        *person("E90", "B", (27, 90)),        # 27 + 63 = 90
        *person("E8999", "B", (26.99, 90)),   # 89.99
        *person("E70", "B", (21, 70)),        # 21 + 49 = 70
        *person("E6999", "B", (20.99, 70)),   # 69.99
        *person("E50", "B", (15, 50)),        # 15 + 35 = 50
        *person("E4999", "B", (14.99, 50)),   # 49.99
        *person("MIX", "B", [(30, 100)] * 6 + [(24, 80)] * 6),  # (6 × 100 + 6 × 80) / 12 = 90
        *person("TR", ["U1"] * 6 + ["U2"] * 6, [(30, 100)] * 6 + [(24, 80)] * 6),
        *person("MAT", "B", ["maternity"] * 7 + [(30, 90)] * 5),  # 93 on five months
        *person("SICK", "B", ["sick"] * 4 + [(30, 90)] * 8),
        *person("ABS", "B", ["absent"] * 4 + [(30, 90)] * 8),
        *person("R1", "B", (30, 90), discipline={"2026-03": 1}),
        *person("R2", "B", (30, 90), discipline={"2026-03": 1},
                discipline_related_to_duty={"2026-03": False}),
        *person("PD", "B", (30, 90), party_discipline={"2026-03": True}),
        *person("H", "D", (30, 100), **LEAD),
        *person("DEP", "D", (30, 100), **LEAD, manager_id="H", corruption_in_unit={"2026-05": True}),
    ]
    units = pd.DataFrame({"unit_id": ["B", "U1", "U2", "D"], "head_id": [None, None, None, "H"]})
    return year_of(rows, units)


@pytest.mark.parametrize(("sid", "total", "band"), [
    ("E90", 90.0, "HTXS"), ("E8999", 89.99, "HTT"), ("E70", 70.0, "HTT"),
    ("E6999", 69.99, "HT"), ("E50", 50.0, "HT"), ("E4999", 49.99, "KHT"), ("MIX", 90.0, "HTXS"),
])
def test_year_is_the_mean_of_the_months_banded(year: pd.DataFrame, sid: str, total: float,
                                               band: str) -> None:
    assert (year.loc[sid, "months"], year.loc[sid, "total"]) == (12, total)
    assert year.loc[sid, "score_grade"] == band


def test_transfer_is_classified_by_the_new_unit_from_all_months(year: pd.DataFrame) -> None:
    assert (year.loc["TR", "unit_id"], year.loc["TR", "months"], year.loc["TR", "total"]) == (
        "U2", 12, 90.0)


@pytest.mark.parametrize(("sid", "worked"), [("MAT", 5), ("SICK", 8), ("ABS", 8)])
def test_leave_is_classified_on_the_time_worked_without_nd90_rules(year: pd.DataFrame, sid: str,
                                                                   worked: int) -> None:
    """Điều 21 k3: no '< 6 months → not classified', no 'absent 3–6 months → at most HT'."""
    row = year.loc[sid]
    assert (row["months"], row["total"], row["proposed_grade"]) == (worked, 93.0, "HTXS")
    assert "rollup.leave" in row["reasons"].split(";")
    assert not {"rollup.too_few_months", "rollup.absent_cap"} & set(row["reasons"].split(";"))


@pytest.mark.parametrize(("sid", "kht"), [("R1", True), ("R2", False), ("PD", True),
                                          ("DEP", True), ("H", False)])
def test_disqualifiers_of_the_year(year: pd.DataFrame, sid: str, kht: bool) -> None:
    """k4 c: a reprimand in March for a duty-related violation (administrative or party)
    → KHT; one not related to duty → the band's grade. k4 d: a deputy (a management post)
    with corruption in the body managed → KHT."""
    assert (year.loc[sid, "proposed_grade"] == "KHT") is kht
    if kht:
        cite = "Điều 20 k4 d" if sid == "DEP" else "Điều 20 k4 c"
        assert any(cite in s for s in explain(year.loc[[sid]].reset_index()).iloc[0])


# ---------------------------------------------------------------------------- the quota


def test_quota_floor_tie_break_and_head_cap() -> None:
    """Unit Q is HTT (8 of 10 tasks); head H at 100 is capped to HTT (so 12 + 1 = 13 rated
    HTT): 20 % of 13 = 2.6 → 2 HTXS. X1 (100) first; X2 and X3 tie at 93 — X2 has the
    more task points (26.5 + 66.5 against 30 + 63) and keeps HTXS, X3 is HTT."""
    rows = [*person("H", "Q", (30, 100), **LEAD)]
    for i in range(12):
        rows += person(f"T{i:02d}", "Q", (30, 80))  # 86
    rows += [*person("X1", "Q", (30, 100)), *person("X2", "Q", (26.5, 95)),
             *person("X3", "Q", (30, 90))]
    units = pd.DataFrame({"unit_id": "Q", "period": MONTHS, "head_id": "H",
                          "tasks_assigned": 10, "tasks_done": 8})
    y = year_of(rows, units)
    assert y.loc["H", ["proposed_grade", "grade"]].tolist() == ["HTT", "HTT"]
    assert y.loc[["X1", "X2", "X3"], "total"].tolist() == [100.0, 93.0, 93.0]
    assert y.loc[["X1", "X2", "X3"], "grade"].tolist() == ["HTXS", "HTXS", "HTT"]
    assert "quota.demoted" in y.loc["X3", "reasons"].split(";")


def test_quota_fewer_deductions_then_competent_order() -> None:
    """5 HTT → 1 HTXS. Y1 and Y2 tie on the total and the task points (March: quality 100
    with one major error → 75, against 75 typed): Y2, with no deduction, keeps HTXS.
    Z1 and Z2 tie on everything: the competent level's order (Z2 first) decides."""
    rows = [r for i in range(5) for r in person(f"T{i}", "Q", (30, 80))]
    rows += [*person("Y1", "Q", (30, 90), chat_luong={"2026-03": 100},
                     loi_chat_luong={"2026-03": 1}),
             *person("Y2", "Q", (30, 90), chat_luong={"2026-03": 75})]
    y = year_of(rows, pd.DataFrame({"unit_id": ["Q"]}))
    # (11 × 93 + 30 + (90 + 75 + 90) / 3 × 0.7) / 12 = 92.708… → 92.71
    assert y.loc[["Y1", "Y2"], "total"].tolist() == [92.71, 92.71]
    assert y.loc[["Y1", "Y2"], "grade"].tolist() == ["HTT", "HTXS"]
    rows = [r for i in range(5) for r in person(f"T{i}", "Q", (30, 80))]
    rows += [*person("Z1", "Q", (30, 90)), *person("Z2", "Q", (30, 90))]
    order = pd.DataFrame({"staff_id": ["Z1", "Z2"], "period": "2026", "competent_order": [2, 1]})
    y = year_of(rows, pd.DataFrame({"unit_id": ["Q"]}), conclusions=order)
    assert y.loc[["Z1", "Z2"], "grade"].tolist() == ["HTT", "HTXS"]


def test_quota_per_similar_duty_group() -> None:
    """k5 a: per group with similar duties. Group ga: 5 HTT → 1 HTXS; gb: 10 HTT → 2."""
    rows = [r for i in range(5) for r in person(f"A{i}", "Q", (30, 80), duty_group="ga")]
    rows += [r for i in range(10) for r in person(f"B{i}", "Q", (30, 80), duty_group="gb")]
    for sid, g, t in [("XA1", "ga", 100), ("XA2", "ga", 95), ("XB1", "gb", 100),
                      ("XB2", "gb", 95), ("XB3", "gb", 90)]:
        rows += person(sid, "Q", (30, t), duty_group=g)
    y = year_of(rows, pd.DataFrame({"unit_id": ["Q"]}))
    assert y.loc[["XA1", "XA2", "XB1", "XB2", "XB3"], "grade"].tolist() == [
        "HTXS", "HTT", "HTXS", "HTXS", "HTT"]


def _exceptional_people() -> dict[str, tuple[float, float]]:
    people = {f"T{i:02d}": (30.0, 80.0) for i in range(12)}  # 12 HTT
    people.update(X1=(30, 100), X2=(30, 95), X3=(30, 90), X4=(30, 85.8))  # 100, 96.5, 93, 90.06
    return people


def test_raised_quota_for_a_unit_recognised_for_the_year_frames() -> None:
    """k5 b: 25 % of 12 = 3 HTXS (20 %: 2) in a unit recognised for the year; a month's
    recognition does not raise the year's quota (the recognition is for the period classified)."""
    people = _exceptional_people()
    rows = [r for sid, m in people.items() for r in person(sid, "Q", m)]
    months_flag = pd.DataFrame({"unit_id": "Q", "period": MONTHS, "exceptional": True})
    plain = year_of(rows, months_flag)
    assert plain.loc[["X1", "X2", "X3", "X4"], "grade"].tolist() == ["HTXS", "HTXS", "HTT", "HTT"]
    raised = year_of(rows, pd.DataFrame({"unit_id": ["Q"]}),
                     unit_year=pd.DataFrame({"unit_id": ["Q"], "period": ["2026"],
                                             "exceptional": [True]}))
    assert raised.loc[["X1", "X2", "X3", "X4"], "grade"].tolist() == [
        "HTXS", "HTXS", "HTXS", "HTT"]
    assert any("Điều 20 k5 b" in s for s in explain(raised.loc[["X4"]].reset_index()).iloc[0])


def test_raised_quota_for_a_unit_recognised_for_the_year_objects() -> None:
    """The objects door gives the year's k5 b as the frames do: the units' inputs for the
    year (``unit_year``). Before af228 ``classify_organisation_year`` had no way to say a
    unit was recognised for the year, so k5 b could not be applied there."""
    people = _exceptional_people()
    org = Organisation(units=[Unit("Q", "Phòng Q")], positions=[Position("CV", "Chuyên viên")],
                       staff=[Staff(s, f"Người {s}", "CV", "Q") for s in people])
    months = [evalkit.classify_organisation(
        org, [Assessment(s, p, competent_scores=marks(*m)) for s, m in people.items()],
        [UnitInputs("Q", p)]) for p in MONTHS]
    plain = evalkit.classify_organisation_year(months)["Q"]
    raised = evalkit.classify_organisation_year(
        months, unit_year=[UnitInputs("Q", "2026", exceptional=True)])["Q"]
    grades = {y: [u.result_of(s).grade.code for s in ("X1", "X2", "X3", "X4")]
              for y, u in (("plain", plain), ("raised", raised))}
    assert grades == {"plain": ["HTXS", "HTXS", "HTT", "HTT"],
                      "raised": ["HTXS", "HTXS", "HTXS", "HTT"]}
    with pytest.raises(evalkit.ModelError, match="unit_year must be for 2026"):
        evalkit.classify_organisation_year(months, unit_year=[UnitInputs("Q", "2025",
                                                                         exceptional=True)])


def test_monthly_grades_are_information_only() -> None:
    """No monthly quota under NĐ 335: 4 people at 100 among 6 HTT keep their band every
    month (20 % of 6 would allow 1), the year demotes all but one (Điều 20 k5 a)."""
    rows = [r for i in range(4) for r in person(f"X{i}", "Q", (30, 100))]
    rows += [r for i in range(6) for r in person(f"T{i}", "Q", (30, 80))]
    staff, units = evalkit.classify_frame(pd.DataFrame(rows), pd.DataFrame({"unit_id": ["Q"]}))
    assert not staff["classified"].any()
    assert (staff["grade"] == "HTXS").sum() == 4 * 12
    assert not staff["reasons"].str.contains("quota").any()
    y = evalkit.classify_year(staff, units)
    assert (y["grade"] == "HTXS").sum() == 1
    # the months read back from CSV (pandas' str dtype) give the same year
    buf, ubuf = io.StringIO(), io.StringIO()
    staff.to_csv(buf, index=False)
    units.to_csv(ubuf, index=False)
    back = evalkit.classify_year(pd.read_csv(io.StringIO(buf.getvalue())),
                                 pd.read_csv(io.StringIO(ubuf.getvalue())))
    cols = ["staff_id", "total", "grade", "reasons"]
    assert back[cols].astype(str).values.tolist() == y[cols].astype(str).values.tolist()


def test_raised_quota_for_a_unit_recognised_for_the_year_cli(tmp_path: Path) -> None:
    """``evalkit annual --unit-grades`` takes the recognition alone (``unit_id``,
    ``exceptional``), the unit graded from its months as ``Archive.annual(unit_year=...)``
    grades it; before af228 the file needed a ``grade`` too, so k5 b could not be given at
    the command line without overriding the unit's grade for the year."""
    from evalkit.cli import main
    from evalkit.io.jsonio import write_json

    people = _exceptional_people()
    org = Organisation(units=[Unit("Q", "Phòng Q")], positions=[Position("CV", "Chuyên viên")],
                       staff=[Staff(s, f"Người {s}", "CV", "Q") for s in people])
    write_json(tmp_path / "org.json", org)
    month = pd.DataFrame([{"staff_id": s, "unit_id": "Q", "period": "2026-03", **marks(*m)}
                          for s, m in people.items()])
    month.to_csv(tmp_path / "t03.csv", index=False)
    arc, out = str(tmp_path / "a.sqlite"), io.StringIO()
    assert main(["finalize", str(tmp_path / "t03.csv"), "--org", str(tmp_path / "org.json"),
                 "--by", "TCCB", "--archive", arc], stdout=out) == 0
    (tmp_path / "ug.csv").write_text("unit_id,exceptional\nQ,x\n", encoding="utf-8")
    for extra, name, xs in (([], "plain.csv", ["HTXS", "HTXS", "HTT", "HTT"]),
                            (["--unit-grades", str(tmp_path / "ug.csv")], "raised.csv",
                             ["HTXS", "HTXS", "HTXS", "HTT"])):
        assert main(["annual", "--year", "2026", "--archive", arc, "--out",
                     str(tmp_path / name), *extra], stdout=out) == 0
        y = pd.read_csv(tmp_path / name).set_index("staff_id")
        assert y.loc[["X1", "X2", "X3", "X4"], "annual_grade"].tolist() == xs
