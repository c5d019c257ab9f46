"""An independent reference implementation of the national rules, straight from the domain
brief (/work/shared/domain.md §4.1, §4.2, §4.5, §4.6), one person at a time, in exact
fractions. It reads nothing of the engine: the open points follow the presets' documented
options (vn.nd335-2025, vn.nd233-2026, vn.nd90-2020: half-up to the cent, quota floor, counted
before demotion, tie-break total → tasks → fewer deductions → competent order → id).

Input: a list of :class:`Row` (one person and month) and the units of the year
(:class:`OUnit`, the same every month). Output: :func:`months` (each row's score) and
:func:`year` (each person's annual classification).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ORDER = ["KHT", "HT", "HTT", "HTXS"]  # worst → best

# General criteria per set (their maxima are the presets'; the oracle only sums them).
GENERAL_335 = ["pham_chat_dao_duc", "ky_luat_ky_cuong", "nang_luc_chuyen_mon",
               "dap_ung_nhiem_vu", "tinh_than_trach_nhiem", "phuc_vu_phoi_hop",
               "san_pham_dot_pha", "nhiem_vu_kho_khan", "chiu_trach_nhiem",
               "chu_dong_quyet_dinh"]  # fmt: skip
GENERAL_90 = ["chinh_tri", "dao_duc", "tac_phong", "ky_luat"]
#: NĐ 90/2020 as amended by NĐ 48/2023: viên chức (Điều 12–15) and, before NĐ 335/2025,
#: công chức (Điều 8–11) — the same rules, each group's own articles.
ND90 = ("vn.nd90-2020", "vn.nd90-2020-cc")


def rule_set_of(category: str, period: str) -> str:
    """The set in force for the month (§4.1: công chức NĐ 90 until 2025-12, NĐ 335 from
    2026-01; §4.2: viên chức NĐ 90 until 2026-06, NĐ 233 from 2026-07)."""
    if category == "cong_chuc":
        return "vn.nd90-2020-cc" if period < "2026" else "vn.nd335-2025"
    return "vn.nd90-2020" if period < "2026-07" else "vn.nd233-2026"


def F(x: float | int | str) -> Fraction:
    return Fraction(str(x))


def cents(x: Fraction) -> Fraction:
    """Half-up to the cent (the presets' `[scoring] rounding = "half_up"`, decimals 2)."""
    d = Decimal(x.numerator) / Decimal(x.denominator)
    return Fraction(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def band(total: Fraction) -> str:
    """Điều 20 k1–k4 a: ≥ 90 HTXS; 70 to < 90 HTT; 50 to < 70 HT; < 50 KHT."""
    return "HTXS" if total >= 90 else "HTT" if total >= 70 else "HT" if total >= 50 else "KHT"


def lower(a: str, b: str) -> str:
    return a if ORDER.index(a) <= ORDER.index(b) else b


@dataclass
class OUnit:
    id: str
    parent: str | None = None
    head: str | None = None
    tasks: dict[str, tuple[int, int]] = field(default_factory=dict)  # period → assigned, done


def unit_grades(units: dict[str, OUnit], nd90: bool = False,
                nd233: bool = False) -> dict[str, str]:  # fmt: skip
    """A unit's year from its months (docs/units.md, "The unit's year"): each month
    100 × done ÷ assigned, half-up to the cent; the mean of the months, to the cent, banded
    (NĐ 335: HTXS needs only ≥ 90, `[units] excellent_min_score`; NĐ 90 Điều 12 k2 also
    ≥ 50 % of the tasks exceeded, NĐ 233 Điều 7 k1 a ≥ 30 %, never typed here: at most HTT).
    NĐ 233 Điều 7 k4 b: under 70 % of the year's tasks done (Σ done ÷ Σ assigned) → KHT."""
    out = {}
    for u in units.values():
        months = [cents(Fraction(100 * d, a)) for a, d in u.tasks.values() if a]
        if months:
            out[u.id] = band(cents(sum(months, Fraction(0)) / len(months)))
            out[u.id] = lower(out[u.id], "HTT") if nd90 or nd233 else out[u.id]
            assigned, done = (sum(t[i] for t in u.tasks.values() if t[0]) for i in (0, 1))
            if nd233 and Fraction(100 * done, assigned) < 70:
                out[u.id] = "KHT"
    return out


@dataclass
class Row:
    staff_id: str
    unit_id: str
    period: str  # "YYYY-MM"
    category: str = "cong_chuc"
    deputy: bool = False  # manages others without heading the unit
    manager_id: str | None = None
    duty_group: str | None = None
    leave: str | None = None  # maternity / sick / absent: no scores
    general: dict[str, float] = field(default_factory=dict)
    a: float = 0
    b: float = 0
    c: float = 0
    d90: float = 100  # NĐ 90's typed (d) results of the unit led
    dd: float = 100  # đ (NĐ 335/233); NĐ 90's (đ) results of the sub-units
    e: float = 100
    errors: int = 0  # major quality errors (NĐ 335 Điều 14 k2 b)
    delays: int = 0  # delays (Điều 14 k2 c)
    discipline: int = 0  # 0 none, 1 khiển trách … 5
    related: bool = True  # the violation relates to public duty
    party: bool = False
    degradation: bool = False
    corruption: bool = False
    leader: bool = False  # set by the tests' adapters (heads and deputies)
    kpi: float | None = None  # a task-tracker percentage standing for the task block


@dataclass
class MonthScore:
    total: Fraction | None
    tasks: Fraction | None
    band: str | None
    d: Fraction | None  # computed d where the set computes it (NĐ 335, NĐ 233 leaders)
    leader: bool
    shown: str | None = None  # the band with the month's own disqualifiers (information)


def disqualified(r: Row, rs: str, leader: bool) -> bool:
    """KHT whatever the score under ``rs`` (NĐ 335 Điều 20 k4 b–d, NĐ 233 alike; NĐ 90
    Điều 2 k5 a as amended: any discipline, from 15/9/2023; a month is tested on its first
    day, docs/rule-sets.md)."""
    if rs in ND90:
        disc = r.period >= "2023-10" and (r.discipline >= 1 or r.party)  # a month: its 1st day
    else:  # NĐ 335 Điều 20 k4 c, NĐ 233 Điều 12 k4 c, Điều 14 k3 a: "bị kỷ luật" names no
        disc = (r.discipline >= 1 or r.party) and r.related  # kind: a party discipline too
    return r.degradation or disc or (r.corruption and leader)


def _leader(r: Row, units: dict[str, OUnit]) -> bool:
    return r.deputy or units[r.unit_id].head == r.staff_id


def _manager(r: Row, units: dict[str, OUnit], present: set[str]) -> str | None:
    """The management chain (docs/units.md step 2): manager_id where that person has a row;
    else the head of the unit (for the head: of the parent unit), a unit without a present
    head led by the nearest head above."""
    if r.manager_id and r.manager_id in present:
        return r.manager_id
    u: str | None = r.unit_id
    if units[r.unit_id].head == r.staff_id:
        u = units[r.unit_id].parent
    while u is not None:
        h = units[u].head
        if h is not None and h in present and h != r.staff_id:
            return h
        u = units[u].parent
    return None


def _chain(s: str, boss: dict[str, str | None]) -> list[str]:
    """Everyone above ``s`` in the management chain."""
    up, m = [], boss[s]
    while m is not None:
        up.append(m)
        m = boss[m]
    return up


def months(rows: list[Row], units: dict[str, OUnit]) -> dict[tuple[str, str], MonthScore]:
    """Each month's score: 30 general + (a+b+c)/3 × 70 % (staff), + d, đ, e over 6 for leaders
    (NĐ 90: d, đ typed, over 5); d = 100 when every person under the leader's authority (the
    whole area led, of the leader's category) scores ≥ 50, else 50 (Điều 15 k3)."""
    out: dict[tuple[str, str], MonthScore] = {}
    for p in sorted({r.period for r in rows}):
        mrows = {r.staff_id: r for r in rows if r.period == p}
        present = set(mrows)
        boss = {s: _manager(r, units, present) for s, r in mrows.items()}

        # those under a leader before the leader: deepest first
        for s in sorted(mrows, key=lambda x: len(_chain(x, boss)), reverse=True):
            r = mrows[s]
            rs = rule_set_of(r.category, p)
            lead = _leader(r, units)
            if r.leave:
                out[(s, p)] = MonthScore(None, None, None, None, lead)
                continue
            general = sum((F(v) for v in r.general.values()), Fraction(0))
            b, c = F(r.b), F(r.c)
            if rs == "vn.nd335-2025":  # −25 points per event, floor 0, never raising
                b = min(b, max(Fraction(0), b - 25 * r.errors))
                c = min(c, max(Fraction(0), c - 25 * r.delays))
            comps = [min(F(r.a), Fraction(100)), min(b, Fraction(100)), min(c, Fraction(100))]
            d = None
            if r.kpi is not None:  # product choice (§4.1): kpi % of the 70 points
                comps = [F(r.kpi)]
            elif lead and rs in ND90:
                comps += [F(r.d90), F(r.dd)]
            elif lead:
                area = [x for x in mrows if s in _chain(x, boss)]
                scored = [out[(x, p)].total for x in area if mrows[x].category == r.category]
                scored = [t for t in scored if t is not None]
                d = Fraction(100) if all(t >= 50 for t in scored) else Fraction(50)
                comps += [d, F(r.dd), F(r.e)]
            tasks = cents(sum(comps, Fraction(0)) / len(comps) * Fraction(70, 100))
            total = cents(general + sum(comps, Fraction(0)) / len(comps) * Fraction(70, 100))
            shown = "KHT" if disqualified(r, rs, lead) else band(total)
            out[(s, p)] = MonthScore(total, tasks, band(total), d, lead, shown)
    return out


@dataclass
class YearResult:
    staff_id: str
    unit_id: str
    total: Fraction | None
    score_grade: str | None
    proposed: str | None
    grade: str | None
    classified: bool
    rolled: str | None = None  # the band with the disqualifiers (the roll-up alone)
    exempted: frozenset[str] = frozenset()  # the leave kinds that saved a year under 6 months


def year(rows: list[Row], units: dict[str, OUnit], unit_grades: dict[str, str],
         exceptional: frozenset[str] = frozenset(),
         conclusions: dict[str, tuple[str | None, int | None]] | None = None,
         ) -> dict[str, YearResult]:  # fmt: skip
    """The year (NĐ 335 Điều 21; the viên chức year under the set in force at its end): the
    mean of the months actually scored, banded; KHT for the disqualifiers of any month; the
    head not above the unit's annual grade; the quota per unit and duty group."""
    scores = months(rows, units)
    people = sorted({r.staff_id for r in rows})
    res: dict[str, YearResult] = {}
    keys: dict[str, tuple] = {}
    for s in people:
        mine = sorted((r for r in rows if r.staff_id == s), key=lambda r: r.period)
        last = mine[-1]
        end_set = rule_set_of(last.category, last.period[:4] + "-12")
        worked = [scores[(s, r.period)] for r in mine if not r.leave]
        totals = [m.total for m in worked if m.total is not None]
        maternity = sum(r.leave == "maternity" for r in mine)
        sick = sum(r.leave == "sick" for r in mine)
        away = sum(r.leave in ("sick", "absent") for r in mine)
        if not totals:
            res[s] = YearResult(s, last.unit_id, None, None, None, None, False)
            continue
        total = cents(sum(totals, Fraction(0)) / len(totals))
        grade = band(total)
        sg = grade
        nd90_year = end_set in ND90
        # fewer than 6 months worked in the year (every month of it, whichever set scored
        # it): not classified — NĐ 90 Điều 2 k3 (maternity leave exempt), NĐ 233 Điều 14
        # k1–k2 (sick or maternity leave exempt; absence is not); NĐ 335: no such rule
        exempted: frozenset[str] = frozenset()
        if (nd90_year or end_set == "vn.nd233-2026") and len(totals) < 6:
            exempted = frozenset({"maternity"} if maternity else set()) | frozenset(
                {"sick"} if sick and end_set == "vn.nd233-2026" else set())
            if not exempted:
                res[s] = YearResult(s, last.unit_id, total, sg, None, None, False)
                continue
        if nd90_year and 3 <= away < 6:
            grade = lower(grade, "HT")
        kht = False
        for r in mine:  # the year's set judges every month of it (the year is classified
            if r.degradation:  # at its end, docs/rule-sets.md: a month's own ground is a notice)
                kht = True
            if nd90_year and rows[0].period < "2023":
                pass  # NĐ 48/2023's any-discipline clause, in force 15/9/2023: not in 2020–2022
            elif nd90_year and (r.discipline >= 1 or r.party):
                kht = True  # NĐ 90 Điều 2 k5 a (NĐ 48/2023): any discipline
            elif (r.discipline >= 1 or r.party) and r.related:
                kht = True  # NĐ 335 Điều 20 k4 c, NĐ 233 Điều 12 k4 c: reprimand or heavier,
                # duty-related, by the administration or the Party (NĐ 233 Điều 14 k3 a)
            if r.corruption and _leader(r, units):
                kht = True  # Điều 20 k4 d: heads and deputies
        if kht:
            grade = "KHT"
        rolled = grade
        concluded, order = (conclusions or {}).get(s, (None, None))
        if concluded is not None:  # a lower conclusion applies (with its reason); a higher
            grade = lower(grade, concluded)  # one is reported, not applied (above_band = false)
        if units[last.unit_id].head == s and last.unit_id in unit_grades:
            grade = lower(grade, unit_grades[last.unit_id])
        tasks = sum((m.tasks for m in worked if m.tasks is not None), Fraction(0)) / len(totals)
        deductions = sum(r.errors + r.delays for r in mine)
        res[s] = YearResult(s, last.unit_id, total, sg, grade, grade, True, rolled, exempted)
        keys[s] = (last.unit_id, last.duty_group, end_set, -total, -tasks, deductions,
                   order is None, order or 0, s)
    groups: dict[tuple, list[str]] = {}
    for s, k in keys.items():
        groups.setdefault(k[:3], []).append(s)
    # each unit's set: the most common of its people's for the year (a tie: the id sorting
    # first); nobody: its parent's (docs/organisation.md)
    tally: dict[str, dict[str, int]] = {}
    for s in people:
        last = max((r for r in rows if r.staff_id == s), key=lambda r: r.period)
        t = tally.setdefault(last.unit_id, {})
        end = rule_set_of(last.category, last.period[:4] + "-12")
        t[end] = t.get(end, 0) + 1

    def set_of(u: str) -> str | None:
        t = tally.get(u)
        if t:
            return min(t, key=lambda k: (-t[k], k))
        return set_of(units[u].parent) if units[u].parent else None

    for (unit, _dg, end_set), members in groups.items():
        base = sum(res[s].proposed == "HTT" for s in members)
        # NĐ 233/2026 Điều 12 k6 b: the public service unit, none declared: the topmost unit
        # under the same rule set (docs/organisation.md `public_service_unit`)
        top = unit
        while units[top].parent is not None and set_of(units[top].parent) == set_of(unit):
            top = units[top].parent
        raised = (unit in exceptional if end_set == "vn.nd335-2025"
                  else end_set == "vn.nd233-2026" and unit_grades.get(top) == "HTXS")
        cap = base * (25 if raised else 20) // 100  # floor (§4.6)
        if end_set in ND90 and rows[0].period < "2023":
            continue  # NĐ 90 had no quota before NĐ 48/2023 (from 15/9/2023)
        cands = sorted((s for s in members if res[s].proposed == "HTXS"), key=lambda s: keys[s][3:])
        for s in cands[cap:]:
            res[s].grade = "HTT"
    return res
