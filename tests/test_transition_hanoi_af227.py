"""af227 — fresh-eyes acceptance: viên chức in the transition year 2026 and Hà Nội's framework.

Every expected value below was computed by hand from the texts, never copied from the
engine's output (docs/_research/legal-sources.md §3–§6, §13; domain brief §4.2–§4.6):

- NĐ 90/2020/NĐ-CP (viên chức until 30/6/2026): fewer than 6 months worked → not classified,
  maternity leave excepted; legal leave "từ 03 tháng đến dưới 06 tháng" → at most HT (Điều 2
  k3); any party or administrative discipline in the year → KHT (Điều 2 k5 a, NĐ 48/2023).
- NĐ 233/2026/NĐ-CP (from 1/7/2026; NĐ 90 lapses then, Điều 19 k2): the year is classified at
  its end; under 6 months worked → not classified, sick or maternity leave excepted (Điều 14
  k1, k2), no absence cap; KHT for a discipline from reprimand for a duty-related violation
  (Điều 12 k4 c; Điều 14 k3 a); HTXS ≤ 20 % of those rated HTT (k6 a), 25 % where the public
  service unit is HTXS (k6 b); the head not above the unit (k7).
- Hà Nội QĐ 3814-QĐ/TU: 20 + 70 + 10 bonus points; A 90–100, B 70 to < 90, C 50 to < 70,
  D < 50; A ≤ 30 % of those classified; 40 % of all the unit's staff where the competent level
  recognises the unit as especially outstanding (an input).

The scenarios run through the three doors — objects, frames (also read back from CSV with
pandas' own dtypes) and the command line (template → workbook → validate → classify →
finalize → annual) — and the doors must agree with the hand values and with each other.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import evalkit
from evalkit import Assessment, Discipline, Organisation, Position, Staff, Unit, UnitInputs
from evalkit.reasons import explain
from tests._cli_helpers import fill_workbook, ok, org_file

R90 = evalkit.rules.get("vn.nd90-2020")
R233 = evalkit.rules.get("vn.nd233-2026")
TASKS = ("so_luong", "chat_luong", "tien_do")
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]

# ---------------------------------------------------------------- the transition year 2026
# A public service unit U (a school), HTXS every month: 10 of 10 tasks done, on time, 6
# exceeded (NĐ 233 Điều 7 k1: ≥ 90, 100 % on time, ≥ 30 % exceeded). Every person's general
# criteria are full (30); the task block is (a + b + c) / 3 × 70 % with a = b = c = p, so a
# month's total is 30 + 0.7 p: p = 100 → 100; 95 → 96.5; 80 → 86.
#
#   H    head, 100 every month
#   V1   100 every month
#   V2   95; a party discipline in March NOT related to the duties (NĐ 90 Điều 2 k5 a: KHT
#        had the year been NĐ 90's; NĐ 233 k4 c needs a duty-related violation: not KHT)
#   V3   100; an administrative reprimand in September for a duty-related violation → KHT
#   V4   95; an administrative reprimand in February not related to the duties (as V2)
#   V5–V14  80 every month → 86, HTT
#   V15  80 in January–May only: 5 months worked → not classified (Điều 14 k1)
#   V16  80 in January–May, maternity leave June–December → classified on 5 months (k2)
#   V17  80, sick March–June (4 months, NĐ 90 months) → classified on 8 months; NĐ 233 has
#        no absence cap (under NĐ 90 it would be at most HT)
#   V18  100, absent ("vắng") March–May (3 months) → 9 months worked, no cap under NĐ 233
#
# The year, under NĐ 233 (in force on 31/12/2026): HTT = V5–V14, V16, V17 = 12; the unit is
# HTXS, so the cap is 25 % of 12 = 3 (floor); candidates H, V1, V18 (100) and V2, V4 (96.5):
# H, V1, V18 keep HTXS, V2 and V4 become HTT (quota.demoted). V3 is KHT.
P_OF = {"H": 100, "V1": 100, "V2": 95, "V3": 100, "V4": 95,
        **{f"V{i}": 80 for i in range(5, 15)}, "V15": 80, "V16": 80, "V17": 80, "V18": 100}
LEAVE = {("V16", m): "maternity" for m in range(6, 13)} | {
    ("V17", m): "sick" for m in range(3, 7)} | {("V18", m): "absent" for m in range(3, 6)}
FLAGS: dict[tuple[str, int], dict[str, Any]] = {
    ("V2", 3): {"party_discipline": True, "discipline_related_to_duty": False},
    ("V3", 9): {"discipline": 1},
    ("V4", 2): {"discipline": 1, "discipline_related_to_duty": False},
}
EXPECTED = {  # staff: (months worked, total, grade) by hand; None: not classified
    "H": (12, 100.0, "HTXS"), "V1": (12, 100.0, "HTXS"), "V2": (12, 96.5, "HTT"),
    "V3": (12, 100.0, "KHT"), "V4": (12, 96.5, "HTT"),
    **{f"V{i}": (12, 86.0, "HTT") for i in range(5, 15)},
    "V15": (5, 86.0, None), "V16": (5, 86.0, "HTT"), "V17": (8, 86.0, "HTT"),
    "V18": (9, 100.0, "HTXS"),
}
CITE = "NĐ 233/2026/NĐ-CP"


def _marks(m: int, p: float, head: bool) -> dict[str, float]:
    rs = R90 if m <= 6 else R233  # the set in force in the month (NĐ 233 Điều 19)
    return {**rs.full_marks(manages_others=head), **dict.fromkeys(TASKS, float(p))}


def _rows(people: dict[str, float] = P_OF, *, hanoi: bool = False) -> list[dict[str, Any]]:
    """The unit's months: ``people`` (staff: task percent), V15 gone after May, the LEAVE
    months; ``hanoi``: QĐ 3814 marks until June, no ``manages_others`` column, V2's flags only."""
    rows = []
    for m in range(1, 13):
        for sid, p in people.items():
            if sid == "V15" and m > 5:
                continue
            row: dict[str, Any] = {"staff_id": sid, "unit_id": "U", "period": f"2026-{m:02d}",
                                   "category": "vien_chuc"}
            if not hanoi:
                row["manages_others"] = sid == "H"
            if leave := LEAVE.get((sid, m)):
                row["leave"] = leave
            elif hanoi and m <= 6:
                row.update(ky_luat=10.0, dao_duc=10.0, ket_qua_nhiem_vu=0.7 * p)
            else:
                row.update(_marks(m, p, sid == "H"))
            row.update(FLAGS.get((sid, m), {}) if not hanoi or sid == "V2" else {})
            rows.append(row)
    return rows


def _units(done: int = 10, exceeded: int = 6) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": "U", "period": MONTHS, "head_id": "H", "tasks_assigned": 10,
                         "tasks_done": done, "tasks_on_time": done, "tasks_exceeded": exceeded,
                         "public_service_unit": True})


def _via_csv(frame: pd.DataFrame) -> pd.DataFrame:
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    buf.seek(0)
    return pd.read_csv(buf)  # pandas' own dtypes (str under pandas 3)


def _check_year(year: pd.DataFrame, expected: dict[str, tuple[int, float, str | None]]) -> None:
    got = {r["staff_id"]: (int(r["months"]), float(r["total"]),
                           None if pd.isna(r["grade"]) else str(r["grade"]))
           for r in year.to_dict("records")}  # fmt: skip
    assert got == expected
    assert set(year["rule_set"].astype(str)) == {"vn.nd233-2026"}  # the set at the year's end


def _sentences(year: pd.DataFrame) -> dict[str, list[str]]:
    return {sid: list(s) for sid, s in zip(year["staff_id"], explain(year), strict=True)}


@pytest.fixture(scope="module")
def months() -> tuple[pd.DataFrame, pd.DataFrame]:
    staff, units = evalkit.classify_frame(pd.DataFrame(_rows()), _units())  # no set named
    return staff, units


def test_the_months_follow_the_set_in_force(months: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    staff, _ = months
    by_period = staff.groupby("period", observed=True)["rule_set"].agg(lambda s: set(s.astype(str)))
    assert by_period.to_dict() == {p: {"vn.nd90-2020" if p <= "2026-06" else "vn.nd233-2026"}
                                   for p in MONTHS}  # fmt: skip
    assert not staff["classified"].any()  # both decrees classify the year only
    scored = staff[staff["total"].notna()]
    assert scored.loc[scored["staff_id"] == "V2", "total"].unique().tolist() == [96.5]
    assert scored.loc[scored["staff_id"] == "V5", "total"].unique().tolist() == [86.0]


def test_the_transition_year_by_hand(months: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    year = evalkit.classify_year(*months)
    _check_year(year, EXPECTED)
    said = _sentences(year)
    codes = dict(zip(year["staff_id"], year["reasons"].astype(str), strict=True))
    # V3: the duty-related reprimand of September, NĐ 233's ground
    assert said["V3"][-1] == (
        "Bị kỷ luật từ khiển trách trở lên do vi phạm liên quan đến thực hiện nhiệm vụ trong năm "
        f"đánh giá: xếp loại Không hoàn thành nhiệm vụ ({CITE}, Điều 12 k4 c; Điều 14 k3 a)")
    # V2, V4: NĐ 90's any discipline is no ground under NĐ 233: no KHT, the competent level told
    for sid in ("V2", "V4"):
        assert "disqualifier.discipline" not in codes[sid]
        assert "rollup.dropped_disqualifier" in codes[sid]
        assert said[sid][-1].startswith(
            "Vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ của đơn vị: tối đa 3 người (25% của 12 người "
            "xếp loại Hoàn thành tốt nhiệm vụ)")
        assert said[sid][-1].endswith(f"({CITE}, Điều 12 k6 b)")
    assert said["V15"][-1] == f"Làm việc dưới 6 tháng trong năm: không xếp loại ({CITE}, Điều 14 k1)"
    assert said["V16"][-1] == ("Nghỉ theo quy định 7 tháng (thai sản): xếp loại theo thời gian "
                               f"làm việc thực tế ({CITE}, Điều 14 k2)")
    assert said["V17"][-1] == ("Nghỉ theo quy định 4 tháng (ốm đau): xếp loại theo thời gian "
                               f"làm việc thực tế ({CITE}, Điều 14 k2)")
    assert not any("rollup.absent_cap" in c for c in codes.values())  # no cap in NĐ 233
    assert not any("vắng" in s for s in said["V18"])  # an absent month is never named


def test_the_csv_and_the_objects_give_the_same_year(
        months: tuple[pd.DataFrame, pd.DataFrame]) -> None:  # fmt: skip
    year = evalkit.classify_year(*months)
    cols = ["staff_id", "rule_set", "months", "total", "proposed_grade", "grade", "reasons"]
    # the staff-month input read from CSV, and the months' results read back from CSV
    staff_csv, units_csv = evalkit.classify_frame(_via_csv(pd.DataFrame(_rows())),
                                                  _via_csv(_units()))  # fmt: skip
    for again in (evalkit.classify_year(staff_csv, units_csv),
                  evalkit.classify_year(_via_csv(months[0]), _via_csv(months[1]))):
        pd.testing.assert_frame_equal(again[cols].astype(str), year[cols].astype(str))
        assert _sentences(again) == _sentences(year)
    rolled = evalkit.rollup_frame(months[0]).set_index("staff_id")
    assert rolled.loc["V3", "grade"] == "KHT" and rolled.loc["V15", "months"] == 5
    # objects
    org = Organisation(
        units=[Unit("U", "Trường A", head_id="H", public_service_unit=True)],
        positions=[Position("GV", "Giáo viên"), Position("HT", "Hiệu trưởng", manages_others=True)],
        staff=[Staff(s, f"Người {s}", "HT" if s == "H" else "GV", "U", category="vien_chuc")
               for s in P_OF])  # fmt: skip
    per_month = []
    for per in MONTHS:
        assessments = []
        for r in (r for r in _rows() if r["period"] == per):
            kw: dict[str, Any] = {k: r[k] for k in ("leave", "party_discipline",
                                                    "discipline_related_to_duty") if k in r}
            if "discipline" in r:
                kw["discipline"] = Discipline(r["discipline"])
            scores = {k: v for k, v in r.items() if k in R90.full_marks(manages_others=True)
                      or k in R233.full_marks(manages_others=True)}  # fmt: skip
            assessments.append(Assessment(r["staff_id"], per, competent_scores=scores, **kw))
        per_month.append(evalkit.classify_organisation(
            org, assessments, [UnitInputs("U", per, tasks_assigned=10, tasks_done=10,
                                          tasks_on_time=10, tasks_exceeded=6)]))
    by_objects = evalkit.classify_organisation_year(per_month)["U"]
    got = {}
    for sid in P_OF:
        r = by_objects.result_of(sid)
        got[sid] = (r.months_worked, r.total, r.grade.code if r.grade else None)
    assert got == EXPECTED
    assert by_objects.unit.grade.code == "HTXS"
    assert [q.kept for q in by_objects.quotas] == [("H", "V1", "V18")]


def test_a_unit_rated_htt_keeps_20_percent_and_caps_its_head() -> None:
    # 8 of 10 tasks done: the unit scores 80, HTT. The head H (100) is capped at HTT (Điều 12
    # k7) and, rated HTT, counts among the 13 HTT: 20 % of 13 = 2.6 → 2 HTXS (k6 a): V1 and
    # V18 (100) keep it, V2 and V4 (96.5) are demoted.
    staff, units = evalkit.classify_frame(pd.DataFrame(_rows()), _units(done=8, exceeded=0))
    year = evalkit.classify_year(staff, units)
    expected = {**EXPECTED, "H": (12, 100.0, "HTT")}
    _check_year(year, expected)
    said = _sentences(year)
    assert said["H"][-1] == ("Người đứng đầu không được xếp loại cao hơn kết quả của đơn vị "
                             f"(Hoàn thành tốt nhiệm vụ) ({CITE}, Điều 12 k7)")
    assert said["V2"][-1].startswith(
        "Vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ của đơn vị: tối đa 2 người (20% của 13 người "
        "xếp loại Hoàn thành tốt nhiệm vụ)")
    assert said["V2"][-1].endswith(f"({CITE}, Điều 12 k6 a)")


def test_a_unit_without_its_nd233_regulation_names_nd90_for_2026() -> None:
    # NĐ 233 Điều 20 k1: a unit without its own regulation classifies end-2026 under its NĐ
    # 90-based one — an explicit choice (force: NĐ 90 is not in force at the year's end).
    # Under NĐ 90: V2, V3, V4 disciplined in the year → KHT (Điều 2 k5 a); V17 (4 months
    # sick) and V18 (3 months absent) → at most HT (Điều 2 k3); HTT = V5–V14, V16 = 11 →
    # 20 % = 2 (Điều 2 k6): H and V1 keep HTXS.
    staff, units = evalkit.classify_frame(pd.DataFrame(_rows()), _units())
    with pytest.raises(evalkit.RuleSetNotInForceError):
        evalkit.classify_year(staff, units, "vn.nd90-2020")
    year = evalkit.classify_year(staff, units, "vn.nd90-2020", force=True)
    got = {r["staff_id"]: None if pd.isna(r["grade"]) else str(r["grade"])
           for r in year.to_dict("records")}  # fmt: skip
    assert got == {"H": "HTXS", "V1": "HTXS", "V2": "KHT", "V3": "KHT", "V4": "KHT",
                   **{f"V{i}": "HTT" for i in range(5, 15)}, "V15": None, "V16": "HTT",
                   "V17": "HT", "V18": "HT"}  # fmt: skip
    said = _sentences(year)
    assert said["V2"][-1].endswith(
        "(NĐ 90/2020/NĐ-CP, Điều 2 k5 a, bổ sung bởi NĐ 48/2023/NĐ-CP)")
    assert said["V18"][-1] == ("Nghỉ theo quy định từ 3 đến dưới 6 tháng trong năm: xếp loại "
                               "tối đa Hoàn thành nhiệm vụ (NĐ 90/2020/NĐ-CP, Điều 2 k3)")


# ------------------------------------------------- the months-worked rules at their edges
# Each person scored 100 every month worked (proposed HTXS before any quota), away the last
# n months of the year: kind "absent"/"sick"/"maternity" (legal leave) or None (no row).
EDGES = [(kind, n) for kind in ("absent", "sick", "maternity", None) for n in (2, 3, 5, 6, 7)]


def _edge_year(y: int) -> pd.DataFrame:
    rows = []
    for kind, n in EDGES:
        sid = f"{kind or 'gone'}{n}"
        for m in range(1, 13):
            row: dict[str, Any] = {"staff_id": sid, "unit_id": "U", "period": f"{y}-{m:02d}",
                                   "category": "vien_chuc"}
            if m <= 12 - n:
                row.update((R90 if (y, m) <= (2026, 6) else R233).full_marks())
            elif kind:
                row["leave"] = kind
            else:
                continue
            rows.append(row)
    staff = pd.DataFrame(rows)
    units = pd.DataFrame({"unit_id": "U", "period": [f"{y}-{m:02d}" for m in range(1, 13)],
                          "tasks_assigned": 10, "tasks_done": 8})
    year = evalkit.classify_year(*evalkit.classify_frame(staff, units))
    return year.set_index("staff_id")


def test_nd90_edges_in_2025() -> None:
    # NĐ 90 Điều 2 k3: worked < 6 → not classified unless maternity; leave (sick or absent,
    # "nghỉ không tham gia công tác") from 3 to under 6 months → at most HT. Six months away
    # is not "dưới 06 tháng" and leaves six worked: the band (the literal reading).
    year = _edge_year(2025)
    want = {}
    for kind, n in EDGES:
        if kind != "maternity" and n == 7:
            want[f"{kind or 'gone'}{n}"] = None
        elif kind in ("absent", "sick") and 3 <= n < 6:
            want[f"{kind}{n}"] = "HT"
        else:
            want[f"{kind or 'gone'}{n}"] = "HTXS"
    got = {s: None if pd.isna(g) else str(g) for s, g in year["proposed_grade"].items()}
    assert got == want
    assert set(year["rule_set"].astype(str)) == {"vn.nd90-2020"}


def test_nd233_edges_in_2026() -> None:
    # NĐ 233 Điều 14 k1, k2: worked < 6 → not classified unless sick or maternity leave; no
    # absence cap; January–June are NĐ 90 months and count toward the six.
    year = _edge_year(2026)
    want = {f"{kind or 'gone'}{n}": None if n == 7 and kind in ("absent", None) else "HTXS"
            for kind, n in EDGES}  # fmt: skip
    got = {s: None if pd.isna(g) else str(g) for s, g in year["proposed_grade"].items()}
    assert got == want
    assert set(year["rule_set"].astype(str)) == {"vn.nd233-2026"}


# ------------------------------------------------------------------------------ Hà Nội
# Contract staff of a Hà Nội unit in March 2026 (QĐ 3814 governs them; the national sets took
# the other categories over). total = ky_luat + dao_duc + ket_qua + min(sang_kien + thanh_tich, 10).
HN = {  # staff: (ky_luat, dao_duc, ket_qua_nhiem_vu, sang_kien, thanh_tich), total by hand
    "A01": ((10, 10, 70, 10, 10), 100.0),  # bonus 20 → 10
    "A02": ((10, 10, 65, 8, 7), 95.0),     # bonus 15 → 10
    "A03": ((10, 10, 60, 10, 0), 90.0),    # A's edge (tasks 60)
    "A04": ((10, 10, 70, 0, 0), 90.0),     # A's edge (tasks 70: ranks before A03)
    "A05": ((10, 10, 69.99, 0, 0), 89.99),
    "A06": ((9, 9, 70, 3, 0), 91.0),
    "A07": ((10, 10, 62, 5, 5), 92.0),
    "A08": ((10, 10, 63, 4, 6), 93.0),
    "A09": ((10, 10, 64, 3, 7), 94.0),
    "A10": ((10, 10, 66, 2, 8), 96.0),
    "A11": ((10, 10, 67, 1, 9), 97.0),
    "B12": ((10, 10, 50, 0, 0), 70.0),     # B's edge
    "B13": ((10, 10, 49.99, 0, 0), 69.99),
    "C14": ((10, 10, 30, 0, 0), 50.0),     # C's edge
    "C15": ((10, 10, 29.99, 0, 0), 49.99),
    **{f"B{i}": ((10, 10, 60, 0, 0), 80.0) for i in range(16, 21)},
}
HN_CRITERIA = ("ky_luat", "dao_duc", "ket_qua_nhiem_vu", "sang_kien", "thanh_tich")
BAND = {"A01": "HTXS", "A02": "HTXS", "A03": "HTXS", "A04": "HTXS", "A05": "HTT",
        **{f"A{i:02d}": "HTXS" for i in range(6, 12)}, "B12": "HTT", "B13": "HT", "C14": "HT",
        "C15": "KHT", **{f"B{i}": "HTT" for i in range(16, 21)}}
# by total, then task points: A01 100, A11 97, A10 96, A02 95, A09 94, A08 93, A07 92, A06 91,
# A04 90 (70 task points), A03 90 (60)
RANKED = ["A01", "A11", "A10", "A02", "A09", "A08", "A07", "A06", "A04", "A03"]


def _hn_staff(on_leave: tuple[str, ...] = ()) -> pd.DataFrame:
    rows = []
    for sid, (marks, _) in HN.items():
        row: dict[str, Any] = {"staff_id": sid, "unit_id": "U", "period": "2026-03",
                               "category": "hop_dong"}
        if sid in on_leave:
            row["leave"] = "sick"
        else:
            row.update(zip(HN_CRITERIA, map(float, marks), strict=True))
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("exceptional", "staff_total", "on_leave", "keep"), [
    (False, None, (), 6),          # 30 % of 20 classified
    (True, None, (), 8),           # 40 % of the unit's 20
    (True, 25, (), 10),            # 40 % of the unit's 25 (five without a row)
    (False, 25, (), 6),            # 30 % of the 20 classified, whatever the head count
    (False, None, ("B18", "B19", "B20"), 5),   # 30 % of 17 classified = 5.1
    (True, None, ("B18", "B19", "B20"), 8),    # 40 % of all 20 staff
])  # fmt: skip
def test_hanoi_month_by_hand(exceptional: bool, staff_total: int | None,
                             on_leave: tuple[str, ...], keep: int) -> None:  # fmt: skip
    units = pd.DataFrame({"unit_id": ["U"], "period": ["2026-03"], "exceptional": [exceptional],
                          "tasks_assigned": [10], "tasks_done": [10]})
    if staff_total:
        units["staff_total"] = staff_total
    staff = _hn_staff(on_leave)
    results = []
    for s, u in ((staff, units), (_via_csv(staff), _via_csv(units))):
        out, _ = evalkit.classify_frame(s, u, jurisdiction="vn.hanoi")
        results.append(out.set_index("staff_id"))
    by_frames = results[0]
    pd.testing.assert_frame_equal(results[1][["total", "grade", "reasons"]].astype(str),
                                  by_frames[["total", "grade", "reasons"]].astype(str))
    assert set(by_frames["rule_set"].astype(str)) == {"hanoi.3814-2018"}
    scored = [s for s in HN if s not in on_leave]
    assert by_frames.loc[scored, "total"].to_dict() == {s: HN[s][1] for s in scored}
    assert by_frames.loc[scored, "score_grade"].astype(str).to_dict() == {s: BAND[s] for s in scored}
    want = {s: BAND[s] for s in scored} | dict.fromkeys(RANKED[keep:], "HTT")
    assert by_frames.loc[scored, "grade"].astype(str).to_dict() == want
    # objects: the organisation says how many people the unit has
    extra = staff_total - len(HN) if staff_total else 0
    org = Organisation(units=[Unit("U", "Phòng Văn hóa - Thông tin")],
                       positions=[Position("NV", "Nhân viên")],
                       staff=[Staff(s, s, "NV", "U", category="hop_dong")
                              for s in [*HN, *(f"X{i}" for i in range(extra))]])  # fmt: skip
    assessments = [Assessment(s, "2026-03", leave="sick") if s in on_leave else
                   Assessment(s, "2026-03", competent_scores=dict(
                       zip(HN_CRITERIA, map(float, HN[s][0]), strict=True)))
                   for s in HN]  # fmt: skip
    unit = evalkit.classify_unit(org, "U", assessments,
                                 [UnitInputs("U", "2026-03", tasks_assigned=10, tasks_done=10,
                                             exceptional=exceptional)],
                                 jurisdiction="vn.hanoi")  # fmt: skip
    assert {s: unit.result_of(s).grade.code for s in scored} == want
    if keep < 10:
        said = explain(by_frames.loc[[RANKED[keep]]].reset_index()).iloc[0][-1]
        base = (f"40% của {staff_total or len(HN)} người của đơn vị" if exceptional
                else f"30% của {len(scored)} người được xếp loại")
        assert said == (f"Vượt tỷ lệ Loại A của đơn vị: tối đa {keep} người ({base}); xếp thứ "
                        f"{keep + 1}/10 theo thứ tự ưu tiên nên xếp Loại B (QĐ 3814-QĐ/TU ngày "
                        "16/5/2018)")


# ------------------------------------------------------------------- the command line
def test_the_transition_year_on_the_command_line(tmp_path: Path,
                                                 months: tuple[pd.DataFrame, pd.DataFrame]
                                                 ) -> None:  # fmt: skip
    org = org_file(
        tmp_path,
        "unit_id,name,head_id,public_service_unit\nU,Trường THCS Lam Sơn,H,x\n",
        "position_id,title,manages_others\nHT,Hiệu trưởng,x\nGV,Giáo viên,\n",
        "staff_id,full_name,position_id,unit_id,category\n" + "".join(
            f"{s},Nguyễn Văn {s},{'HT' if s == 'H' else 'GV'},U,vien_chuc\n" for s in P_OF))
    rows = pd.DataFrame(_rows())
    archive = tmp_path / "luu-tru.sqlite"
    words = {"maternity": "thai sản", "sick": "ốm", "absent": "vắng"}
    for per in MONTHS:
        tpl, book, res = (tmp_path / f"{n}-{per}.{e}" for n, e in
                          (("mau", "xlsx"), ("thang", "xlsx"), ("ket-qua", "json")))
        ok("template", "--period", per, "--org", str(org), str(tpl))  # no set named
        month = rows[rows["period"] == per].set_index("staff_id")

        def staff(sid: str, row: Any, month: pd.DataFrame = month) -> dict[str, Any]:
            if sid not in month.index:
                return {}
            r = month.loc[sid]
            typed: dict[str, Any] = {f"competent__{k}": r[k] for k in month.columns
                                     if f"competent__{k}" in row and pd.notna(r[k])}
            if isinstance(r.get("leave"), str):
                typed["leave"] = words[r["leave"]]
            if r.get("party_discipline") is True:
                typed["party_discipline"] = "x"
            if pd.notna(r.get("discipline")):
                typed["discipline"] = int(r["discipline"])
            if r.get("discipline_related_to_duty") is False:
                typed["discipline_related_to_duty"] = "không"
            return typed

        fill_workbook(tpl, book, staff, lambda uid, row: {
            "tasks_assigned": 10, "tasks_done": 10, "tasks_on_time": 10, "tasks_exceeded": 6})
        if "V15" not in month.index:  # V15 left in May: the row is deleted from the sheet
            wb = openpyxl.load_workbook(book)
            ws = wb.worksheets[0]
            ws.delete_rows(next(r for r in range(2, ws.max_row + 1)
                                if ws.cell(r, 1).value == "V15"))  # fmt: skip
            wb.save(book)
        ok("validate", str(book), "--org", str(org))
        ok("classify", str(book), "--org", str(org), "--out", str(res))
        data = json.loads(res.read_text(encoding="utf-8"))["data"]
        assert data["rule_set"] == ("vn.nd90-2020" if per <= "2026-06" else "vn.nd233-2026")
        ok("finalize", str(res), "--archive", str(archive), "--by", "Hiệu trưởng")
    out = tmp_path / "nam-2026.csv"
    ok("annual", "--archive", str(archive), "--year", "2026", "--out", str(out))
    annual = pd.read_csv(out, dtype={"staff_id": str}).set_index("staff_id")
    got = {s: (int(r["months"]), float(r["annual_total"]),
               None if pd.isna(r["annual_grade"]) else str(r["annual_grade"]))
           for s, r in annual.iterrows()}  # fmt: skip
    assert got == EXPECTED
    # the sentences are the frames' (the same year, the same words and citations)
    year = _sentences(evalkit.classify_year(*months))
    assert {s: re.split(r" \| ", v) for s, v in annual["reasons_vi"].items()} == year


def test_a_hanoi_vien_chuc_year_2026() -> None:
    # Hà Nội (jurisdiction vn.hanoi), no set named: QĐ 3814 scores a viên chức's months until
    # 30/6/2026, NĐ 233 from July (the national set takes the category over); the year is NĐ
    # 233's. A Hà Nội month is 20 + 0.7 p (no bonus typed): p = 100 → 90, 95 → 86.5,
    # 80 → 76; an NĐ 233 month 30 + 0.7 p: 100, 96.5, 86.
    #   V1 100: (6 × 90 + 6 × 100) / 12 = 95        V2 95: (6 × 86.5 + 6 × 96.5) / 12 = 91.5
    #   V5–V14 80: (6 × 76 + 6 × 86) / 12 = 81      V15: 5 months → not classified (Điều 14 k1)
    #   V17 80, sick March–June: (2 × 76 + 6 × 86) / 8 = 83.5, classified (Điều 14 k2)
    #   V18 100, absent March–May: (3 × 90 + 6 × 100) / 9 = 96.666… → 96.67, no absence cap
    # V2's party discipline of March, not related to the duties, is no ground under NĐ 233.
    # HTT = V5–V14, V17 = 11; the unit (the top of its tree) is HTXS → 25 % of 11 = 2: V18 and
    # V1 keep HTXS, V2 is demoted.
    people = {"V1": 100, "V2": 95, **{f"V{i}": 80 for i in range(5, 15)}, "V15": 80,
              "V17": 80, "V18": 100}  # fmt: skip
    staff, units = evalkit.classify_frame(pd.DataFrame(_rows(people, hanoi=True)),
                                          _units().drop(columns="head_id"),
                                          jurisdiction="vn.hanoi")  # fmt: skip
    sets = staff.groupby("period", observed=True)["rule_set"].agg(lambda s: set(s.astype(str)))
    assert sets.to_dict() == {p: {"hanoi.3814-2018" if p <= "2026-06" else "vn.nd233-2026"}
                              for p in MONTHS}  # fmt: skip
    year = evalkit.classify_year(staff, units, jurisdiction="vn.hanoi")
    _check_year(year, {"V1": (12, 95.0, "HTXS"), "V2": (12, 91.5, "HTT"),
                       **{f"V{i}": (12, 81.0, "HTT") for i in range(5, 15)},
                       "V15": (5, 76.0, None), "V17": (8, 83.5, "HTT"),
                       "V18": (9, 96.67, "HTXS")})  # fmt: skip
    codes = dict(zip(year["staff_id"], year["reasons"].astype(str), strict=True))
    assert "disqualifier.discipline" not in codes["V2"] and "quota.demoted" in codes["V2"]
