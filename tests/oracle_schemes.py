"""An independent reference implementation (a differential oracle) of the sector and local
schemes, written straight from the domain brief (/work/shared/domain.md §4.1 customs notes,
§4.3, §4.4, §4.6) and the presets' documented options (docs/presets/*.md), in plain
per-person Python: nothing here imports the engine (evalkit._classify, evalkit.scoring,
evalkit._kernels). Audit af36.

Rows are plain dicts (one per person and period); units are dicts keyed by unit id. A
grade is one of HTXS, HTT, HT, KHT, or None for "not evaluated".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

ORDER = ["KHT", "HT", "HTT", "HTXS"]  # worst first


def rank(g: str) -> int:
    return ORDER.index(g)


def lower(a: str, b: str) -> str:
    """The worse of two grades."""
    return a if rank(a) <= rank(b) else b


def band(total: float) -> str:
    """NĐ 335 Điều 20 k1–k4 a, QĐ 3814 (A ≥ 90; B 70 to < 90; C 50 to < 70; D < 50)."""
    return "HTXS" if total >= 90 else "HTT" if total >= 70 else "HT" if total >= 50 else "KHT"


def truncate2(x: float) -> float:
    """Customs: the exact value truncated to the cent (89.997 stays below 90)."""
    return math.floor(round(x * 100, 6)) / 100


def half_up2(x: float) -> float:
    return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def mean2(xs: list[float], rounding: str = ROUND_HALF_UP) -> float:
    """The mean of figures shown to the cent, in decimal arithmetic, to the cent."""
    m = sum(Decimal(repr(x)) for x in xs) / len(xs)
    return float(m.quantize(Decimal("0.01"), rounding=rounding))


def blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


# ---------------------------------------------------------------- customs (CV 21169) ---
CUSTOMS_GENERAL = {"pham_chat_dao_duc": 5, "ky_luat_ky_cuong": 5, "nang_luc_chuyen_mon": 2.5,
                   "dap_ung_nhiem_vu": 2.5, "tinh_than_trach_nhiem": 2.5,
                   "phuc_vu_phoi_hop": 2.5, "san_pham_dot_pha": 2.5, "nhiem_vu_kho_khan": 2.5,
                   "chiu_trach_nhiem": 2.5, "chu_dong_quyet_dinh": 2.5}  # fmt: skip
MANAGEMENT = ("ket_qua_linh_vuc", "to_chuc_trien_khai", "tap_hop_doan_ket")  # d, đ, e


def customs_exact(row: Mapping[str, Any], d: float | None = None) -> tuple[float, float]:
    """(general, tasks) of one quarter: CC = 30 + (a+b+c)/3 × 70, LĐ = 30 +
    (a+b+c+d+đ+e)/6 × 70 (§4.4); b and c lose 25 % per major error / delay, at least 0
    (§4.1, Điều 14 k2 b, c); a, b, c at most 100 %."""
    general = sum(float(row[k]) for k in CUSTOMS_GENERAL)
    a = min(100.0, float(row["so_luong"]))
    b = max(0.0, min(100.0, float(row["chat_luong"])) - 25 * float(row.get("loi_chat_luong") or 0))
    c = max(0.0, min(100.0, float(row["tien_do"])) - 25 * float(row.get("cham_tien_do") or 0))
    parts = [a, b, c]
    if leader(row):
        dd = row.get("ket_qua_linh_vuc")
        parts += [float(dd) if d is None else d, float(row["to_chuc_trien_khai"]),
                  float(row["tap_hop_doan_ket"])]  # fmt: skip
    return general, sum(parts) / len(parts) * 70 / 100


def leader(row: Mapping[str, Any]) -> bool:
    return bool(row.get("is_head")) or bool(row.get("manages_others"))


def scored(row: Mapping[str, Any]) -> bool:
    return not row.get("leave")


def customs_totals(rows: list[dict[str, Any]]) -> dict[str, tuple[float, float] | None]:
    """Each person's (total, task points) in one unit-quarter, truncated to the cent; None on
    leave or when one month or less was worked in the quarter (§4.4: not evaluated). A head's d is computed (§4.1: 100 % when everyone under their authority scores
    ≥ 50, else 50 %) from the others of the unit (the head leads all of it; without
    manager links a deputy leads nobody); the computed d counts, a typed one that differs is
    reported (docs/cli.md, "both are reported, the computed one counts")."""
    out: dict[str, tuple[float, float] | None] = {}
    for r in sorted(rows, key=lambda r: bool(r.get("is_head"))):  # the head last
        mw = r.get("months_worked")
        if not scored(r) or (not blank(mw) and mw <= 1):  # on leave, or not evaluated
            out[r["staff_id"]] = None
            continue
        d = None
        under = [t for o in rows if o is not r and (t := out.get(o["staff_id"])) is not None]
        if r.get("is_head") and under:  # computed; a typed d that differs is reported
            d = 100.0 if all(t[0] >= 50 for t in under) else 50.0
        elif blank(r.get("ket_qua_linh_vuc")):
            d = 100.0  # nobody scored under them: d at its full value (docs/cli.md)
        general, tasks = customs_exact(r, d)
        out[r["staff_id"]] = (truncate2(general + tasks), tasks)
    return out


def unit_grade(unit: Mapping[str, Any], rounding: Any = truncate2) -> str | None:
    """The unit's result from its task completion (§3): done ÷ assigned × 100, banded;
    nothing assigned → not evaluated (caps nobody)."""
    if not unit.get("tasks_assigned"):
        return None
    return band(rounding(100 * unit["tasks_done"] / unit["tasks_assigned"]))


def quota(grades: dict[str, str], keys: Mapping[str, tuple[Any, ...]], limit: int) -> set[str]:
    """Those demoted from HTXS: ranked by the tie-break (§4.6: total, task points, fewer
    deductions, then staff id), everyone past ``limit``."""
    cands = sorted((s for s, g in grades.items() if g == "HTXS"), key=lambda s: (keys[s], s))
    return set(cands[limit:])


def customs_quarter(rows: list[dict[str, Any]], unit: Mapping[str, Any],
                    totals: Mapping[str, tuple[float, float] | None] | None = None
                    ) -> dict[str, dict[str, Any]]:  # fmt: skip
    """One unit's quarter: totals (``totals``: from its months), bands, the head not above
    the unit, the deputy not above the head when the unit has late work, HTXS ≤ 20 % (25 %
    exceptional) of those rated HTT, the deputy cap again after the quota (§4.4;
    docs/units.md step 3)."""
    totals = customs_totals(rows) if totals is None else totals
    res: dict[str, dict[str, Any]] = {}
    ug = unit_grade(unit)
    for r in rows:
        s, t = r["staff_id"], totals[r["staff_id"]]
        if t is None:  # on leave, or ≤ 1 month worked in the quarter: not evaluated
            res[s] = {"total": None, "score_grade": None, "grade": None}
            continue
        g = band(t[0])
        if r.get("degradation"):
            g = "KHT"
        res[s] = {"total": t[0], "score_grade": band(t[0]), "grade": g}
    head = next((r["staff_id"] for r in rows if r.get("is_head")), None)
    if head and res[head]["grade"] and ug:
        res[head]["grade"] = lower(res[head]["grade"], ug)

    def deputy_cap() -> None:
        if not unit.get("late_work") or not head or not res[head]["grade"]:
            return
        for r in rows:
            s = r["staff_id"]
            if r.get("manages_others") and s != head and res[s]["grade"]:
                res[s]["grade"] = lower(res[s]["grade"], res[head]["grade"])

    deputy_cap()
    grades = {s: v["grade"] for s, v in res.items() if v["grade"]}
    base = sum(g == "HTT" for g in grades.values())
    pct = 25 if unit.get("exceptional") else 20
    own = {s: (-res[s]["total"], -totals[s][1], deductions(r))  # type: ignore[index]
           for r in rows if (s := r["staff_id"]) in grades}  # fmt: skip
    # a deputy capped at the head holds an HTXS place only with the head: ranked right
    # after the head (docs/units.md step 3), so a place the deputy could not keep is not lost
    pair = {r["staff_id"] for r in rows if unit.get("late_work") and head
            and grades.get(head) == "HTXS" and r.get("manages_others")
            and r["staff_id"] != head and r["staff_id"] in grades}  # fmt: skip
    keys = {s: ((own[head], head, 1, own[s]) if s in pair else (own[s], s, 0, ()))  # type: ignore[index]
            for s in own}  # fmt: skip
    for s in quota(grades, keys, math.floor(base * pct / 100)):
        res[s]["grade"] = "HTT"
    deputy_cap()
    return res


def deductions(row: Mapping[str, Any]) -> float:
    return float(row.get("loi_chat_luong") or 0) + float(row.get("cham_tien_do") or 0)


def customs_year_count(grades: Iterable[str | None]) -> str | None:
    """The year from the concluded quarter grades (docs/presets/vn.customs-2026q.md, Table
    C, in this order); quarters not evaluated do not count; none → not classified."""
    gs = [g for g in grades if g]
    if not gs:
        return None
    xs, kht = gs.count("HTXS"), gs.count("KHT")
    ht_or_below = kht + gs.count("HT")
    if kht >= 2:
        return "KHT"
    if xs >= 2 and kht == 0:
        return "HTXS"
    if ht_or_below <= 2 and kht <= 1:
        return "HTT"
    return "HT"


def customs_quarters_from_months(months: list[tuple[str, float | None, float]],
                                 counted: dict[str, list[int]] | None = None
                                 ) -> dict[str, float | None]:  # fmt: skip
    """Months of one person rolled into quarters: ``months`` = [(quarter, total or None,
    months_worked)]. A quarter with ≤ 1 month worked is not evaluated and its months are
    carried to the next quarter (§4.4), which averages them with its own; a quarter's
    score is the average of its scored months (Điều 21's average of the time worked).
    ``counted`` receives, per quarter evaluated, the indices of the months it counts."""
    out: dict[str, float | None] = {}
    carried: list[int] = []
    for q in sorted({m[0] for m in months}):
        mine = [i for i, m in enumerate(months) if m[0] == q and m[1] is not None]
        if sum(months[i][2] for i in mine) <= 1:  # its own months: ≤ 1 → not evaluated
            carried += mine
            out[q] = None
            continue
        pool, carried = carried + mine, []
        out[q] = mean2([months[i][1] for i in pool],  # type: ignore[misc]
                       ROUND_FLOOR)  # customs: the exact value truncated to the cent
        if counted is not None:
            counted[q] = pool
    return out


def customs_year_from_months(rows: list[dict[str, Any]], units: list[dict[str, Any]]
                             ) -> tuple[dict[tuple[str, str], dict[str, Any]],
                                        dict[str, dict[str, Any]]]:  # fmt: skip
    """Customs months (from Q3/2026) made into quarters, each classified (head cap at the
    unit's quarter — its months' tasks pooled —, deputy cap when any month was late, quota),
    then the year counted from them (docs/periods.md, "Customs months: the quarters are
    classified first"). Returns (quarters, year)."""
    def quarter(p: str) -> str:
        return f"{p[:4]}-Q{(int(p[5:]) - 1) // 3 + 1}"

    month: dict[tuple[str, str], tuple[float, float] | None] = {}
    for u in units:
        mine = [r for r in rows if r["unit_id"] == u["unit_id"] and r["period"] == u["period"]]
        month.update({(s, u["period"]): t for s, t in customs_totals(mine).items()})
    qt: dict[tuple[str, str], tuple[float, float] | None] = {}
    flagged: set[tuple[str, str]] = set()  # a disqualifier in a month the quarter counts
    for s in {r["staff_id"] for r in rows}:
        mine = sorted((p, t) for (x, p), t in month.items() if x == s)
        counted: dict[str, list[int]] = {}
        got = customs_quarters_from_months([(quarter(p), t and t[0], 1 if t else 0)
                                            for p, t in mine], counted)  # fmt: skip
        for q, t in got.items():
            tasks = [mine[i][1][1] for i in counted.get(q, [])]  # type: ignore[index]
            qt[(s, q)] = None if t is None else (t, sum(tasks) / len(tasks))
            if any(r.get("degradation") for r in rows if r["staff_id"] == s and (
                    quarter(r["period"]) == q or any(mine[i][0] == r["period"]
                                                     for i in counted.get(q, [])))):
                flagged.add((s, q))
    quarters: dict[tuple[str, str], dict[str, Any]] = {}
    qunits = []
    for q in sorted({quarter(u["period"]) for u in units}):
        for uid in sorted({u["unit_id"] for u in units}):
            ups = [u for u in units if u["unit_id"] == uid and quarter(u["period"]) == q]
            unit = {"unit_id": uid, "period": q, "head_id": ups[-1]["head_id"],
                    "tasks_assigned": sum(u["tasks_assigned"] for u in ups),
                    "tasks_done": sum(u["tasks_done"] for u in ups),
                    "late_work": any(u.get("late_work") for u in ups),
                    "exceptional": any(u.get("exceptional") for u in ups)}  # fmt: skip
            qunits.append(unit)
            mine = {r["staff_id"]: {**r, "period": q, "degradation": (r["staff_id"], q) in flagged}
                for r in sorted(rows, key=lambda r: r["period"])
                if r["unit_id"] == uid and quarter(r["period"]) == q}  # fmt: skip
            res = customs_quarter(list(mine.values()), unit, {s: qt[(s, q)] for s in mine})
            quarters.update({(s, q): v for s, v in res.items()})
    return quarters, customs_year(rows, qunits, quarters)


# ---------------------------------------------------------------- Hà Nội (QĐ 3814) -------
def hanoi_total(row: Mapping[str, Any]) -> float:
    """20 discipline/ethics + 70 task results + up to 10 bonus points (§4.3), half-up to
    the cent (the preset's documented default)."""
    bonus = min(10.0, float(row.get("sang_kien") or 0) + float(row.get("thanh_tich") or 0))
    return half_up2(float(row["ky_luat"]) + float(row["dao_duc"])
                    + float(row["ket_qua_nhiem_vu"]) + bonus)  # fmt: skip


def hanoi_month(rows: list[dict[str, Any]], unit: Mapping[str, Any]
                ) -> dict[str, dict[str, Any]]:  # fmt: skip
    """One unit's month: A/B/C/D, the head not above the unit, A ≤ 30 % of those
    classified, or (especially outstanding collective, explicit input) ≤ 40 % of all the
    unit's staff (``staff_total``, else the rows); a demoted A becomes B (§4.3, §4.6)."""
    res: dict[str, dict[str, Any]] = {}
    for r in rows:
        if not scored(r):
            res[r["staff_id"]] = {"total": None, "score_grade": None, "grade": None}
            continue
        t = hanoi_total(r)
        res[r["staff_id"]] = {"total": t, "score_grade": band(t), "grade": band(t)}
    ug = unit_grade(unit, half_up2)
    head = next((r["staff_id"] for r in rows if r.get("is_head")), None)
    if head and res[head]["grade"] and ug:
        res[head]["grade"] = lower(res[head]["grade"], ug)
    grades = {s: v["grade"] for s, v in res.items() if v["grade"]}
    if unit.get("exceptional"):
        limit = math.floor(0.4 * (unit.get("staff_total") or len(rows)))
    else:
        limit = math.floor(0.3 * len(grades))
    keys = {s: (-res[s]["total"], -float(r["ket_qua_nhiem_vu"]), 0)
            for r in rows if (s := r["staff_id"]) in grades}  # fmt: skip
    for s in quota(grades, keys, limit):
        res[s]["grade"] = "HTT"
    return res


# ---------------------------------------------------------------- example.tasks-80 -------
TASKS80_GENERAL = ("chinh_tri", "dao_duc", "tac_phong", "ky_luat")


def tasks80_total(row: Mapping[str, Any]) -> float | None:
    """20 general + quantity 25 + quality 30 + timeliness 25, each = done ÷ assigned ×
    points (§4.4), at most the points; nothing assigned → not evaluated. Each block's points
    are rounded half-up to the cent, then the total (docs/rule-sets.md, "[[blocks]]")."""
    if not row.get("giao"):
        return None
    giao = float(row["giao"])
    part = sum(half_up2(min(1.0, float(row[k]) / giao) * p)  # each block to the cent
               for k, p in (("hoan_thanh", 25), ("dat_chat_luong", 30), ("dung_han", 25)))
    return half_up2(sum(float(row[k]) for k in TASKS80_GENERAL) + part)


def customs_year(rows: list[dict[str, Any]], units: list[dict[str, Any]],
                 quarters: Mapping[tuple[str, str], Mapping[str, Any]]
                 ) -> dict[str, dict[str, Any]]:  # fmt: skip
    """The year of customs quarters given as rows: counted from the concluded quarter grades
    (Table C), a disqualifier in any quarter → KHT (§4.1: the disqualifiers are the
    annual classification), the head not above the unit's year (the mean of the quarters'
    task completion, banded), HTXS ≤ 20 % of those rated HTT per unit (the preset's quota
    applies to the year); the year's total is the mean of the evaluated quarters' totals
    (truncated to the cent); ``proposed_grade`` is the grade before the quota."""
    people = sorted({r["staff_id"] for r in rows})
    last = {r["staff_id"]: r for r in sorted(rows, key=lambda r: r["period"])}
    out: dict[str, dict[str, Any]] = {}
    for s in people:
        mine = [v for (p, q), v in sorted(quarters.items()) if p == s]
        g = customs_year_count(v["grade"] for v in mine)
        totals = [v["total"] for v in mine if v["grade"]]
        if g and any(r.get("degradation") for r in rows if r["staff_id"] == s):
            g = "KHT"
        out[s] = {"proposed_grade": g, "grade": g,
                  "total": mean2(totals, ROUND_FLOOR) if totals else None}  # fmt: skip
    for u in sorted({r["unit_id"] for r in last.values()}):
        ups = [x for x in units if x["unit_id"] == u]
        done = [100 * x["tasks_done"] / x["tasks_assigned"] for x in ups if x.get("tasks_assigned")]
        ug = band(truncate2(sum(done) / len(done))) if done else None
        members = [s for s in people if last[s]["unit_id"] == u and out[s]["grade"]]
        head = max(ups, key=lambda x: x["period"])["head_id"]
        if head in members and ug:
            out[head]["grade"] = out[head]["proposed_grade"] = lower(out[head]["grade"], ug)
        # the deputy not above the head where the unit had late work in the year (CV 21169,
        # as each quarter), before the quota and again after it
        late = head in members and any(x.get("late_work") for x in ups)
        deputies = [s for s in members if s != head and late and any(
            r.get("manages_others") for r in rows if r["staff_id"] == s)]  # fmt: skip
        for s in deputies:
            out[s]["grade"] = out[s]["proposed_grade"] = lower(out[s]["grade"],
                                                               out[head]["grade"])
        grades = {s: out[s]["grade"] for s in members}
        base = sum(g == "HTT" for g in grades.values())
        own = {s: (-out[s]["total"], 0, 0) for s in members}
        pair = {s for s in deputies if grades.get(head) == "HTXS"}  # ranked after the head
        keys = {s: ((own[head], head, 1, own[s]) if s in pair else (own[s], s, 0, ()))
                for s in own}  # fmt: skip
        for s in quota(grades, keys, math.floor(base * 20 / 100)):
            out[s]["grade"] = "HTT"
        for s in deputies:
            out[s]["grade"] = lower(out[s]["grade"], out[head]["grade"])
    return out


def average_year(rows: list[dict[str, Any]], units: list[dict[str, Any]],
                 totals: Mapping[tuple[str, str], float | None], percent: int | None = 20
                 ) -> dict[str, dict[str, Any]]:  # fmt: skip
    """A year averaged over the months evaluated (NĐ 335 Điều 21, the preset's rollup),
    half-up to the cent and banded; the head (of the unit of the last month) not above the
    unit's year (the mean of its months' task completion, banded); HTXS ≤ ``percent`` % of
    those rated HTT per unit (None: no quota for the year)."""
    last = {r["staff_id"]: r for r in sorted(rows, key=lambda r: r["period"])}
    out: dict[str, dict[str, Any]] = {}
    for s in sorted(last):
        ts = [t for (p, _), t in sorted(totals.items()) if p == s and t is not None]
        t = mean2(ts) if ts else None
        g = band(t) if t is not None else None
        out[s] = {"total": t, "proposed_grade": g, "grade": g}
    for u in sorted({r["unit_id"] for r in last.values()}):
        ups = [x for x in units if x["unit_id"] == u]
        done = [100 * x["tasks_done"] / x["tasks_assigned"] for x in ups]
        ug = band(half_up2(sum(done) / len(done)))
        members = [s for s in out if last[s]["unit_id"] == u and out[s]["grade"]]
        head = max(ups, key=lambda x: x["period"])["head_id"]
        if head in members:
            out[head]["grade"] = out[head]["proposed_grade"] = lower(out[head]["grade"], ug)
        if percent is None:
            continue
        grades = {s: out[s]["grade"] for s in members}
        limit = math.floor(sum(g == "HTT" for g in grades.values()) * percent / 100)
        for s in quota(grades, {s: (-out[s]["total"], 0, 0) for s in members}, limit):
            out[s]["grade"] = "HTT"
    return out
