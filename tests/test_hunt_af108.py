"""Acceptance hunt af108 (issue 13, "One engine, one answer"): one customs team over 2026
through the three doors — the command line (``org`` → ``template`` per period → the
workbooks filled with openpyxl → ``validate`` → ``classify`` → ``finalize`` → ``annual``),
the objects (``classify_organisation`` per period → ``classify_organisation_year``) and the
frames (written with ``to_csv``, read with ``pd.read_csv``, ``classify_frame`` per period →
``classify_year``).

Đội HQ1 (head H, deputy DP under H, staff S1–S10 under DP; all công chức). January to June
are NĐ 335/2025 months (monitored: the band is information, NĐ 335 Điều 21); Q3 and Q4 are
quarters under ``vn.customs-2026q`` (CV 21169/CHQ-TCCB, from Q3/2026; domain brief §4.4).
Formulas: CC = G + (a+b+c)/3 × 0.7, LĐ = G + (a+b+c+d+đ+e)/6 × 0.7 (G the general criteria,
30 at full marks); customs truncates to the cent (the preset's ``[scoring]``); d is left
blank and computed: 100 when everyone under the leader scores ≥ 50, else 50 (NĐ 335 Điều
15 k3). Bands 90/70/50 (Điều 20 k1–k4).

Months (G = 30, a = b = c = x, total 30 + 0.7 x): H, DP, S1 x = 100 → 100; S2 95 → 96.5;
S6 50 → 65; S7 50 (Jan–Mar) → 65 then 70 → 79; S3–S5, S8, S9 70 → 79; S8 reprimanded in
February (duty-related, Điều 20 k4 c); S10 absent January and February, 100 in March, then
x = 81.5 → 87.05. Unit: 8 of 10 tasks every month → 80, HTT.

Q3 (unit 8/10 → 80 HTT, late work):
* H x = 90: 30 + (270 + 300)/6 × 0.7 = 96.5, band HTXS, capped at the unit → HTT;
* DP full marks → 100, band HTXS; the deputy not above the head (late work) → HTT;
* S1 G 30, x 90 → 30 + 63 = 93.00; S2 G 26.5, x 95 → 26.5 + 66.5 = 93.00 (same total);
* edges: S3 G 30, x 85.7 → 30 + 59.99 = 89.99 HTT; S4 G 27, x 90 → 27 + 63 = 90.00 HTXS;
  S5 G 27.5, (100, 100, 67.9) → 27.5 + 267.9 × 7/30 = 27.5 + 62.51 = 90.01 HTXS;
  S6 G 27.5, x 60.7 → 27.5 + 42.49 = 69.99 HT; S7 G 28, x 60 → 70.00 HTT;
  S8 G 28.5, x 59.3 → 28.5 + 41.51 = 70.01 HTT; S9 x 70 → 79 HTT;
* S10 worked one month (``months_worked`` 1) → not evaluated this quarter (CV 21169).
* Quota (HTXS ≤ 20 % of those rated HTT, floor; §4.6 default): HTT = H, DP, S3, S7, S8,
  S9 = 6 → 1.2 → 1 place. Candidates S1, S2 (93), S5 (90.01), S4 (90.00). S1 and S2 tie on
  the total; the task score decides (S2 66.5 > S1 63): S2 keeps HTXS; S1, S5, S4 demoted
  (ranks 2, 3, 4).

Q4 (unit 10/10 → 100 HTXS, no late work):
* S9 G 28.5, x 30.7 → 28.5 + 21.49 = 49.99 KHT, so every leader's d = 50:
  H and DP (x = 100): 30 + (300 + 50 + 200)/6 × 0.7 = 30 + 64.1666… → 94.16 (truncated);
* S1 (100, 100 typed with 1 major error → 75, 100) → 30 + 275 × 7/30 = 94.1666… → 94.16;
  S2 (100, 75, 100), no error → 94.16: the same total and task points as H, DP, S1;
* edges: S6 G 29, x 30 → 29 + 21 = 50.00 HT; S7 G 29.5, x 29.3 → 29.5 + 20.51 = 50.01 HT;
  S9 49.99 KHT; S3, S4, S5, S8, S10 x 70 → 79 HTT.
* Quota: HTT = S3, S4, S5, S8, S10 = 5 → 1 place. H, DP, S1, S2 tie on total and task
  points; fewer deductions puts S1 (1 error) last although the competent level ranks it
  first (order S1 1, S2 2, H 3, DP 4): S2 keeps HTXS, then H, DP, S1 (ranks 2, 3, 4).

The year (CV 21169 via the Chi cục HQKV VIII letter; the preset's reading: ≥ 2 KHT → KHT;
≥ 2 HTXS and no KHT → HTXS; ≤ 2 quarters at HT or below and ≤ 1 KHT → HTT; else HT). Q1
and Q2 are made from the NĐ 335 months (mean of the months worked, counted by band: NĐ 335
classifies no quarter — docs/periods.md); NĐ 335 has no "one month or less" rule (Điều 21:
the time actually worked), so S10's Q1 is March alone: 100, HTXS — not carried into Q2 as
a customs quarter would be (then Q2 = (100 + 3 × 87.05)/4 = 90.29); Q2 = 87.05 HTT.
* H: Q1, Q2 HTXS (100), Q3, Q4 HTT → 2 HTXS → HTXS, capped at the unit's year: (9 × 80 +
  3 × 100)/12 = 85 → HTT.
* DP 2 HTXS, S1 2 HTXS, S2 4 HTXS → HTXS by the count; S3–S5 HTT; S6 4 HT → HT; S7 2 HT →
  HTT; S8 reprimanded → KHT; S9 1 KHT → HTT; S10 Q1 HTXS, Q2 and Q4 HTT (Q3 not evaluated) →
  HTT.
* The deputy not above the head where the unit had late work (CV 21169, the same step at
  the year as at the quarter — issue 13: "month, quarter and year share the same steps";
  the year already caps the head at the unit citing the same letter): the unit had late
  work in Q3, H is HTT for the year, so DP is HTT (``cap.deputy_head``). Before this
  hunt's fix the year left DP HTXS above the head: DP's two HTXS quarters are the NĐ 335
  months of Q1, Q2, and the year's quota then kept DP's place.
* The year's quota (NĐ 335 Điều 20 k5 a; the preset applies it to the year): HTT = H, DP,
  S3, S4, S5, S7, S9, S10 = 8 → 1.6 → 1 place, ranked by the year's total (the mean of the
  evaluated quarters' totals, truncated): S1 (100 + 100 + 93 + 94.1666…)/4 = 96.79; S2
  (96.5 + 96.5 + 93 + 94.1666…)/4 = 95.04 → S1 keeps HTXS, S2 is HTT — although S2 kept
  HTXS in all four quarters (the tie-break ranks by total first: domain brief §4.6).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.reasons import explain
from evalkit.units import UnitInputs
from tests._cli_helpers import fill_workbook, month_by_cli, ok, org_file

pytestmark = pytest.mark.slow

ND = evalkit.rules.get("vn.nd335-2025")
CQ = evalkit.rules.get("vn.customs-2026q")
MONTHS = [f"2026-{m:02d}" for m in range(1, 7)]
PERIODS = [*MONTHS, "2026-Q3", "2026-Q4"]
STAFF = ["H", "DP", *(f"S{i}" for i in range(1, 11))]
LEADS = {"H", "DP"}
ABC = ("so_luong", "chat_luong", "tien_do")
POSITION = {"H": "DT", "DP": "DP", **dict.fromkeys((f"S{i}" for i in range(1, 11)), "CV")}
MANAGER = {"H": "", "DP": "H", **{f"S{i}": "DP" for i in range(1, 11)}}

Spec = tuple[float, tuple[float, float, float]]

#: (general points G, (a, b, c)) of each quarter, by hand (module docstring)
Q3: dict[str, Spec] = {
    "H": (30, (90, 90, 90)), "DP": (30, (100, 100, 100)), "S1": (30, (90, 90, 90)),
    "S2": (26.5, (95, 95, 95)), "S3": (30, (85.7, 85.7, 85.7)), "S4": (27, (90, 90, 90)),
    "S5": (27.5, (100, 100, 67.9)), "S6": (27.5, (60.7, 60.7, 60.7)),
    "S7": (28, (60, 60, 60)), "S8": (28.5, (59.3, 59.3, 59.3)), "S9": (30, (70, 70, 70)),
    "S10": (30, (70, 70, 70)),
}  # fmt: skip
Q4: dict[str, Spec] = {
    **dict.fromkeys(STAFF, (30, (70, 70, 70))),
    "H": (30, (100, 100, 100)), "DP": (30, (100, 100, 100)), "S1": (30, (100, 100, 100)),
    "S2": (30, (100, 75, 100)), "S6": (29, (30, 30, 30)), "S7": (29.5, (29.3, 29.3, 29.3)),
    "S9": (28.5, (30.7, 30.7, 30.7)),
}  # fmt: skip
ERRORS = {("S1", "2026-Q4"): 1}  # one major error: b = 100 − 25 (NĐ 335 Điều 14 k2 b)
ORDER = {"S1": 1, "S2": 2, "H": 3, "DP": 4}  # the competent level's order in Q4
REPRIMAND = {("S8", "2026-02")}
ABSENT = {("S10", "2026-01"), ("S10", "2026-02")}
SHORT = {("S10", "2026-Q3"): 1}  # months worked in the quarter


def spec(sid: str, per: str) -> Spec | None:
    """The person's period: (G, (a, b, c)), None when absent."""
    if per == "2026-Q3":
        return Q3[sid]
    if per == "2026-Q4":
        return Q4[sid]
    if (sid, per) in ABSENT:
        return None
    m = int(per[5:])
    x = {"H": 100, "DP": 100, "S1": 100, "S2": 95, "S6": 50}.get(sid, 70)
    if sid == "S7" and m <= 3:
        x = 50
    if sid == "S10":
        x = 100 if m == 3 else 81.5
    return 30.0, (x, x, x)


def scores(sid: str, per: str) -> dict[str, float] | None:
    """The competent level's scores (d left blank: computed)."""
    s = spec(sid, per)
    if s is None:
        return None
    rs = CQ if "Q" in per else ND
    g, abc = s
    out = rs.full_marks(manages_others=sid in LEADS)
    out.pop("ket_qua_linh_vuc", None)
    out["pham_chat_dao_duc"] = 5 - (30 - g)  # G below 30 taken from one criterion (max 5)
    out.update(dict(zip(ABC, abc, strict=True)))
    if (sid, per) in ERRORS:
        out["loi_chat_luong"] = ERRORS[sid, per]
    return out


def late(per: str) -> bool:
    return per == "2026-Q3"


def done(per: str) -> int:
    return 10 if per == "2026-Q4" else 8


# ---------------------------------------------------------------- by hand (module docstring)
#: quarter → person → (total, band, grade, quota rank)
QUARTERS: dict[str, dict[str, tuple[float | None, str | None, str | None, int]]] = {
    "2026-Q3": {"H": (96.5, "HTXS", "HTT", 0), "DP": (100.0, "HTXS", "HTT", 0),
                "S1": (93.0, "HTXS", "HTT", 2), "S2": (93.0, "HTXS", "HTXS", 1),
                "S3": (89.99, "HTT", "HTT", 0), "S4": (90.0, "HTXS", "HTT", 4),
                "S5": (90.01, "HTXS", "HTT", 3), "S6": (69.99, "HT", "HT", 0),
                "S7": (70.0, "HTT", "HTT", 0), "S8": (70.01, "HTT", "HTT", 0),
                "S9": (79.0, "HTT", "HTT", 0), "S10": (None, None, None, 0)},
    "2026-Q4": {"H": (94.16, "HTXS", "HTT", 2), "DP": (94.16, "HTXS", "HTT", 3),
                "S1": (94.16, "HTXS", "HTT", 4), "S2": (94.16, "HTXS", "HTXS", 1),
                "S3": (79.0, "HTT", "HTT", 0), "S4": (79.0, "HTT", "HTT", 0),
                "S5": (79.0, "HTT", "HTT", 0), "S6": (50.0, "HT", "HT", 0),
                "S7": (50.01, "HT", "HT", 0), "S8": (79.0, "HTT", "HTT", 0),
                "S9": (49.99, "KHT", "KHT", 0), "S10": (79.0, "HTT", "HTT", 0)},
}  # fmt: skip
#: the codes each quarter's steps add (bands and d aside)
QUARTER_STEPS = {
    "2026-Q3": {"H": {"cap.head_unit"}, "DP": {"cap.deputy_head"}, "S1": {"quota.demoted"},
                "S4": {"quota.demoted"}, "S5": {"quota.demoted"},
                "S10": {"rollup.period_short"}},
    "2026-Q4": {"H": {"quota.demoted"}, "DP": {"quota.demoted"}, "S1": {"quota.demoted"}},
}  # fmt: skip
QUOTA = {"2026-Q3": (6, 1), "2026-Q4": (5, 1)}  # (HTT base, places)
#: the year: grade, count of HTXS, HT(-or-below), KHT quarters, total
YEAR: dict[str, tuple[str, int, int, int, float]] = {
    "H": ("HTT", 2, 0, 0, 97.66), "DP": ("HTT", 2, 0, 0, 98.54),
    "S1": ("HTXS", 2, 0, 0, 96.79), "S2": ("HTT", 4, 0, 0, 95.04),
    "S3": ("HTT", 0, 0, 0, 81.74), "S4": ("HTT", 0, 0, 0, 81.75),
    "S5": ("HTT", 0, 0, 0, 81.75), "S6": ("HT", 0, 4, 0, 62.49),
    "S7": ("HTT", 0, 2, 0, 66.0), "S8": ("KHT", 0, 0, 0, 76.75),
    "S9": ("HTT", 0, 0, 1, 71.74), "S10": ("HTT", 1, 0, 0, 88.68),
}  # fmt: skip
# year totals by hand (the mean of the evaluated quarters, truncated to the cent):
# H (100 + 100 + 96.5 + 94.1666…)/4 = 97.66; S3 (3×79 + 89.99)/4 = 81.7475 → 81.74 (half up
# would say 81.75); S4 (3×79 + 90)/4 = 81.75; S5 327.01/4 = 81.7525 → 81.75; S6 (65 + 65 +
# 69.99 + 50)/4 = 62.4975 → 62.49; S7 (65 + 79 + 70 + 50.01)/4 = 66.0025 → 66.00; S8 (79 +
# 79 + 70.01 + 79)/4 = 76.75; S9 (3×79 + 49.99)/4 = 71.74; S10 (100 + 87.05 + 79)/3 = 88.68.
YEAR_STEPS = {"H": {"cap.head_unit"}, "DP": {"cap.deputy_head"}, "S2": {"quota.demoted"},
              "S8": {"disqualifier.discipline"}}  # fmt: skip
UNIT_YEAR = (85.0, "HTT")  # (9 × 80 + 3 × 100)/12: a quarter weighs its three months


# =================================================================== the three doors

Said = dict[str, tuple[Any, ...]]


def _opt(x: Any) -> Any:
    return None if x is None or (isinstance(x, float) and pd.isna(x)) or x is pd.NA else x


def _rows(per: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The period's staff rows (frame columns) and its unit row."""
    rows = []
    for sid in STAFF:
        sc = scores(sid, per)
        r: dict[str, Any] = {"staff_id": sid, "full_name": f"Người {sid}", "unit_id": "HQ1",
                             "period": per, "category": "cong_chuc",
                             "manages_others": sid in LEADS, "manager_id": MANAGER[sid] or None,
                             **(sc or {})}  # fmt: skip
        if sc is None:
            r["leave"] = "absent"
        if (sid, per) in REPRIMAND:
            r["discipline"] = 1
        if (sid, per) in SHORT:
            r["months_worked"] = SHORT[sid, per]
        if per == "2026-Q4" and sid in ORDER:
            r["competent_order"] = ORDER[sid]
        rows.append(r)
    unit = {"unit_id": "HQ1", "name": "Đội Thủ tục hải quan", "head_id": "H", "period": per,
            "tasks_assigned": 10, "tasks_done": done(per), "late_work": late(per)}
    return rows, unit


def _rules(per: str) -> evalkit.RuleSet:
    return CQ if "Q" in per else ND


@pytest.fixture(scope="module")
def frames_door(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each period written with to_csv, read with pd.read_csv, classify_frame'd; the year."""
    tmp = tmp_path_factory.mktemp("frames108")
    made, periods = [], {}
    for per in PERIODS:
        rows, unit = _rows(per)
        pd.DataFrame(rows).to_csv(tmp / f"{per}.csv", index=False)
        pd.DataFrame([unit]).to_csv(tmp / f"{per}-u.csv", index=False)
        sm = pd.read_csv(tmp / f"{per}.csv")
        uf = pd.read_csv(tmp / f"{per}-u.csv")
        st, ut = evalkit.classify_frame(sm, uf, _rules(per))
        periods[per] = st
        made.append((pd.concat([sm, st[[c for c in st if c not in sm]]], axis=1), ut))
    staff = pd.concat([m[0] for m in made], ignore_index=True)
    units = pd.concat([m[1] for m in made], ignore_index=True)
    return {"periods": periods, "year": evalkit.classify_year(staff, units)}


def _objects_rows(per: str) -> tuple[list[evalkit.Assessment], list[UnitInputs]]:
    out = []
    for sid in STAFF:
        sc = scores(sid, per)  # the error count is a criterion: in the scores, as typed
        out.append(evalkit.Assessment(
            sid, per, competent_scores=sc or {}, leave="" if sc else "absent",
            discipline="khien_trach" if (sid, per) in REPRIMAND else "",
            months_worked=SHORT.get((sid, per)),
            competent_order=ORDER.get(sid) if per == "2026-Q4" else None))  # fmt: skip
    return out, [UnitInputs("HQ1", per, tasks_assigned=10, tasks_done=done(per),
                            late_work=late(per))]  # fmt: skip


ORG = evalkit.Organisation(
    units=[evalkit.Unit("HQ1", "Đội Thủ tục hải quan", head_id="H")],
    positions=[evalkit.Position("DT", "Đội trưởng", manages_others=True),
               evalkit.Position("DP", "Đội phó", manages_others=True),
               evalkit.Position("CV", "Công chức hải quan")],
    staff=[evalkit.Staff(s, f"Người {s}", POSITION[s], "HQ1", manages_others=s in LEADS,
                         manager_id=MANAGER[s] or None) for s in STAFF])  # fmt: skip


@pytest.fixture(scope="module")
def objects_door() -> dict[str, Any]:
    by_period = {per: evalkit.classify_organisation(ORG, *_objects_rows(per), _rules(per))
                 for per in PERIODS}  # fmt: skip
    return {"periods": by_period,
            "year": evalkit.classify_organisation_year(list(by_period.values()))}


UNITS_CSV = """unit_id,name,parent_id,head_id,governing_body,place
HQ1,Đội Thủ tục hải quan,,H,Chi cục Hải quan khu vực VIII,Hải Phòng
"""
POSITIONS_CSV = """position_id,title,title_en,manages_others
DT,Đội trưởng,Team head,x
DP,Đội phó,Deputy team head,x
CV,Công chức hải quan,Customs officer,
"""
STAFF_CSV = "staff_id,full_name,position_id,unit_id,manager_id,category\n" + "".join(
    f"{s},Người {s},{POSITION[s]},HQ1,{MANAGER[s]},cong_chuc\n" for s in STAFF)


def _fill(template: Path, out: Path, per: str) -> None:
    """Type the competent level's scores, leave, discipline, months worked and order, and
    the unit's tasks, as a person would."""

    def staff(sid: str, _row: Mapping[str, Any]) -> dict[str, Any]:
        sc = scores(sid, per)
        if sc is None:
            return {"leave": "vắng"}
        typed: dict[str, Any] = {"competent__" + k: v for k, v in sc.items()}
        if (sid, per) in REPRIMAND:
            typed["discipline"] = 1
        if (sid, per) in SHORT:
            typed["months_worked"] = SHORT[sid, per]
        if per == "2026-Q4" and sid in ORDER:
            typed["competent_order"] = ORDER[sid]
        return typed

    def unit(_u: str, _row: Mapping[str, Any]) -> dict[str, Any]:
        return {"tasks_assigned": 10, "tasks_done": done(per),
                "late_work": "x" if late(per) else None}

    fill_workbook(template, out, staff, unit)


@pytest.fixture(scope="module")
def cli_door(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each period through template → validate → classify → finalize; then annual."""
    tmp = tmp_path_factory.mktemp("cli108")
    org = org_file(tmp, UNITS_CSV, POSITIONS_CSV, STAFF_CSV)
    arc = tmp / "luu-tru.sqlite"
    periods = {}
    for per in PERIODS:
        tpl, book = tmp / f"mau-{per}.xlsx", tmp / f"{per}.xlsx"
        res, csv = tmp / f"ket-qua-{per}.json", tmp / f"ket-qua-{per}.csv"
        periods[per] = month_by_cli(org, _rules(per).id, per, partial(_fill, per=per),
                                    tpl, book, res, csv)  # fmt: skip
        ok("finalize", str(res), "--archive", str(arc), "--by", "TCCB", "--org", str(org))
    table = tmp / "nam.csv"
    ok("annual", "--archive", str(arc), "--year", "2026", "--out", str(table))
    doc = json.loads(ok("annual", "--archive", str(arc), "--year", "2026", "--json"))
    return {"periods": periods, "year": pd.read_csv(table, dtype={"staff_id": str}),
            "json": doc, "tmp": tmp, "archive": arc}


# ------------------------------------------------------------------ what each door said


def _said_frame(frame: pd.DataFrame, total: str = "total", grade: str = "grade") -> Said:
    """Per person: total, band, proposed grade, grade, reason codes, the sentences with
    their citations in Vietnamese and in English."""
    vi, en = explain(frame), explain(frame, lang="en")
    out = {}
    for i, r in enumerate(frame.astype(object).to_dict("records")):
        codes = tuple(c for c in str(_opt(r.get("reasons")) or "").split(";") if c)
        out[str(r["staff_id"])] = (
            _opt(r[total]), _opt(r.get("score_grade")), _opt(r.get("proposed_grade")),
            _opt(r[grade]), codes, tuple(vi.iloc[i]), tuple(en.iloc[i]))
    return out


def _said_objects(results: list[evalkit.EvaluationResult]) -> Said:
    def code(g: Any) -> str | None:
        return g.code if g is not None else None

    return {r.staff_id: (r.total, code(r.score_grade), code(r.proposed_grade), code(r.grade),
                         tuple(x.code for x in r.reasons  # a frame's codes leave the band
                               if x.code not in ("band", "band.information")),  # to explain()
                         *(tuple(f"{x.message(lang)} ({x.source})" if x.source
                                 else x.message(lang) for x in r.reasons)
                           for lang in ("vi", "en")))
            for r in results}  # fmt: skip


def _objects_period(ucs: dict[str, evalkit.UnitClassification]) -> Said:
    return _said_objects([r for c in ucs.values() for r in c.staff])


def _same(a: Said, b: Said) -> None:
    assert set(a) == set(b)
    for sid in a:
        ta, tb = a[sid][0], b[sid][0]
        assert (ta is None) == (tb is None) and (ta is None or ta == pytest.approx(tb)), \
            (sid, a[sid], b[sid])
        assert a[sid][1:] == b[sid][1:], (sid, a[sid], b[sid])


# ==================================================================== the quarters


@pytest.mark.parametrize("per", ["2026-Q3", "2026-Q4"])
def test_the_quarters_are_the_quarters_by_hand_at_every_door(
        per: str, frames_door: dict[str, Any], objects_door: dict[str, Any],
        cli_door: dict[str, Any]) -> None:  # fmt: skip
    """Totals (band edges ±0.01), bands, grades, the head and deputy caps, the quota's
    tie-break: the module docstring, through the frames, the objects and the CLI."""
    for door in (frames_door["periods"][per], cli_door["periods"][per]):
        got = door.set_index("staff_id")
        for sid, (total, band, grade, rank) in QUARTERS[per].items():
            row = got.loc[sid]
            if total is None:
                assert pd.isna(row["total"]) and pd.isna(row["grade"]), sid
            else:
                assert row["total"] == pytest.approx(total, abs=1e-9), sid
                assert (row["score_grade"], row["grade"]) == (band, grade), sid
            assert int(row["quota_rank"]) == rank, sid
            steps = set(str(_opt(row["reasons"]) or "").split(";")) & {
                "cap.head_unit", "cap.deputy_head", "quota.demoted", "rollup.period_short"}
            assert steps == QUARTER_STEPS[per].get(sid, set()), (per, sid)
        assert {(int(got["quota_base"].iloc[0]), int(got["quota_cap"].iloc[0]))} == \
            {QUOTA[per]}
    obj = _objects_period(objects_door["periods"][per])
    for sid, (total, band, grade, _) in QUARTERS[per].items():
        assert (obj[sid][0], obj[sid][1], obj[sid][3]) == (
            None if total is None else pytest.approx(total, abs=1e-9), band, grade), sid


@pytest.mark.parametrize("per", PERIODS)
def test_each_period_is_the_same_at_every_door(
        per: str, frames_door: dict[str, Any], objects_door: dict[str, Any],
        cli_door: dict[str, Any]) -> None:  # fmt: skip
    """Issue 13: the same totals, bands, proposed grades, grades, codes and Vietnamese
    sentences with their citations, month and quarter alike."""
    frames = _said_frame(frames_door["periods"][per])
    _same(frames, _objects_period(objects_door["periods"][per]))
    _same(frames, _said_frame(cli_door["periods"][per]))


# ====================================================================== the year


def test_the_year_is_the_year_by_hand_at_every_door(
        frames_door: dict[str, Any], objects_door: dict[str, Any],
        cli_door: dict[str, Any]) -> None:  # fmt: skip
    """The count of the concluded quarters, the year's head cap and quota (docstring)."""
    for year, total, grade in ((frames_door["year"], "total", "grade"),
                               (cli_door["year"], "annual_total", "annual_grade")):
        got = year.set_index("staff_id")
        assert sorted(got.index) == sorted(YEAR)
        for sid, (g, xs, ht, kht, t) in YEAR.items():
            row = got.loc[sid]
            assert row[grade] == g, sid
            assert (int(row["count_xs"]), int(row["count_ht"]), int(row["count_kht"])) == \
                (xs, ht, kht), sid
            assert row[total] == pytest.approx(t, abs=1e-9), sid
            codes = set(str(row["reasons"]).split(";"))
            assert codes & {"cap.head_unit", "cap.deputy_head", "quota.demoted",
                            "disqualifier.discipline"} == \
                YEAR_STEPS.get(sid, set()), sid
    obj = _said_objects([r for c in objects_door["year"].values() for r in c.staff])
    assert {s: (o[0], o[3]) for s, o in obj.items()} == {
        s: (pytest.approx(t, abs=1e-9), g) for s, (g, _, _, _, t) in YEAR.items()}
    unit = objects_door["year"]["HQ1"].unit
    assert (unit.score, unit.grade.code if unit.grade else None) == UNIT_YEAR


def test_the_year_says_the_same_at_every_door(
        frames_door: dict[str, Any], objects_door: dict[str, Any],
        cli_door: dict[str, Any]) -> None:  # fmt: skip
    """Issue 13: the year's totals, grades, codes and sentences at the three doors."""
    frames = _said_frame(frames_door["year"])
    _same(frames, _said_objects([r for c in objects_door["year"].values() for r in c.staff]))
    cli = cli_door["year"]
    _same(frames, _said_frame(cli.assign(total=cli["annual_total"], grade=cli["annual_grade"])))


def test_an_error_count_passed_as_an_event_is_refused_not_ignored() -> None:
    """Found by this hunt: ``Assessment(events={"loi_chat_luong": 1})`` was accepted and the
    count ignored — S1's Q4 scored 100 instead of 94.16 (one major error takes 25 % off b:
    NĐ 335/2025 Điều 14 k2 b; 30 + (100 + 75 + 100)/3 × 0.7 = 94.1666…, truncated 94.16),
    where a frame refuses a column it would ignore. ``events`` holds only the optional
    rules' counts; the criterion's count goes in the level's scores."""
    full = CQ.full_marks()
    with pytest.raises(evalkit.ModelError, match=r"loi_chat_luong.*would be ignored"):
        evalkit.Assessment("S1", "2026-Q4", competent_scores=full, events={"loi_chat_luong": 1})
    counted = evalkit.Assessment("S1", "2026-Q4", competent_scores={**full, "loi_chat_luong": 1})
    assert evalkit.score(counted, rules=CQ).total == pytest.approx(94.16)
    kept = evalkit.Assessment("S1", "2026-Q4", events={"late_files": 2, "apologies": 1})
    assert dict(kept.events) == {"late_files": 2.0, "apologies": 1.0}


# ============================================== the year's table, over the four quarters

#: a = b = c = x, G = 30: 100 → 100 HTXS, 70 → 79 HTT, 50 → 65 HT, 20 → 44 KHT
X_OF = {"HTXS": 100, "HTT": 70, "HT": 50, "KHT": 20}
#: the four quarters' grades (2027: the customs set in force all year) → the year, by the
#: preset's reading of CV 21169 (module docstring): ≥ 2 KHT → KHT; ≥ 2 HTXS and no KHT →
#: HTXS; ≤ 2 at HT or below and ≤ 1 KHT → HTT; else HT
TABLE = {
    "P1": (("HTXS", "HTXS", "KHT", "HTT"), "HTT"),  # a KHT bars HTXS; 1 KHT, 1 at HT or below
    "P2": (("KHT", "KHT", "HTXS", "HTXS"), "KHT"),  # 2 KHT
    "P3": (("HT", "HT", "HT", "HTXS"), "HT"),  # 3 at HT or below
    "P4": (("KHT", "HT", "HTT", "HTT"), "HTT"),  # 2 at HT or below, 1 KHT
    "P5": (("KHT", "HT", "HT", "HTT"), "HT"),  # 3 at HT or below (a KHT never betters HT)
    "P6": (("HTXS", "HTXS", "HT", "HT"), "HTXS"),  # 2 HTXS, no KHT
    "P7": (("HT", "HT", "HTT", "HTT"), "HTT"),  # 2 HT
}
FILL = [f"F{i}" for i in range(10)]  # HTT every quarter: 20 % of ≥ 10 HTT = 2 places, never
# fewer than each quarter's HTXS (at most 2) nor the year's (P6 alone)


def test_the_years_table_over_four_customs_quarters_at_two_doors() -> None:
    """Each pattern of quarter grades gives the year worked out in TABLE (classify_year on
    the quarters' frames; classify_organisation_year on the objects)."""
    quarters = [f"2027-Q{q}" for q in range(1, 5)]
    org = evalkit.Organisation(
        units=[evalkit.Unit("HQ2", "Đội Kiểm soát")],
        positions=[evalkit.Position("CV", "Công chức hải quan")],
        staff=[evalkit.Staff(s, f"Người {s}", "CV", "HQ2") for s in [*TABLE, *FILL]])

    def marks(sid: str, q: int) -> dict[str, float]:
        x = X_OF[TABLE[sid][0][q] if sid in TABLE else "HTT"]
        return {**CQ.full_marks(), **dict.fromkeys(ABC, float(x))}

    made, by_q = [], []
    for q, per in enumerate(quarters):
        sm = pd.DataFrame([{"staff_id": s, "unit_id": "HQ2", "period": per, **marks(s, q)}
                           for s in [*TABLE, *FILL]])  # fmt: skip
        uf = pd.DataFrame([{"unit_id": "HQ2", "period": per, "tasks_assigned": 10,
                            "tasks_done": 9}])  # fmt: skip
        st, ut = evalkit.classify_frame(sm, uf, CQ)
        assert {s: st.set_index("staff_id").loc[s, "grade"] for s in TABLE} == \
            {s: g[q] for s, (g, _) in TABLE.items()}, per
        made.append((pd.concat([sm, st[[c for c in st if c not in sm]]], axis=1), ut))
        by_q.append(evalkit.classify_organisation(org, [evalkit.Assessment(
            s, per, competent_scores=marks(s, q)) for s in [*TABLE, *FILL]],
            [UnitInputs("HQ2", per, tasks_assigned=10, tasks_done=9)], CQ))  # fmt: skip
    year = evalkit.classify_year(pd.concat([m[0] for m in made], ignore_index=True),
                                 pd.concat([m[1] for m in made], ignore_index=True))
    got = dict(zip(year["staff_id"], year["grade"].astype(str), strict=True))
    want = {s: y for s, (_, y) in TABLE.items()} | dict.fromkeys(FILL, "HTT")
    assert got == want
    objs = {r.staff_id: r.grade.code if r.grade else None
            for c in evalkit.classify_organisation_year(by_q).values() for r in c.staff}
    assert objs == want


def test_a_quarter_row_says_the_month_carried_into_it() -> None:
    """CV 21169/CHQ-TCCB (domain brief §4.4): one month worked or less → not evaluated that
    quarter, carried to the next. S10 worked one month of Q3 (typed as a quarter row:
    ``rollup.period_short``); the evaluator scores Q4 over the four months it covers, and
    the row says so (docs/periods.md, "A quarter of one month or less"): months_worked 3
    plus carried_months 1, reason ``rollup.period_carried``. The frame door refuses
    ``carried_months`` as an unknown column; the workbook has no such column and
    ``Assessment`` no such field."""
    row = {"staff_id": "S10", "unit_id": "HQ1", "period": "2026-Q4", **CQ.full_marks(),
           "months_worked": 3, "carried_months": 1}  # fmt: skip
    st, _ = evalkit.classify_frame(pd.DataFrame([row]), pd.DataFrame([{
        "unit_id": "HQ1", "period": "2026-Q4", "tasks_assigned": 10, "tasks_done": 10}]), CQ)
    assert "rollup.period_carried" in str(st["reasons"].iloc[0])
