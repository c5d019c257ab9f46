"""Acceptance audit of the YEAR through every door (issue 13, af182).

An outside reviewer's cases, each worked out by hand from the domain brief
(/work/shared/domain.md §4.1 for NĐ 335/2025/NĐ-CP, §4.2 and §4.5 for NĐ 233/2026 and NĐ
90/2020, §4.6 for the quota's open points: floor, counted before demotion, tie-break by
total) and run through every door: :func:`evalkit.classify_year` on the months' frames
(object columns, pandas ``str`` columns, a ``to_csv``/``read_csv`` round trip), the
:class:`~evalkit.io.archive.Archive` (``finalize`` each month, ``annual``; ``amend`` then
``annual``) and the command line (``evalkit finalize`` each month's results file, ``evalkit
annual --out``, ``evalkit amend``). Every door must give the same ``staff_id``,
``unit_id``, ``annual_total``, ``annual_grade`` and reasons (codes and Vietnamese sentences).

Scores: every general criterion at its maximum (30) and the task components a, b, c at x %:
30 + 0.7 × x (NĐ 335 Điều 16: (a+b+c)/3 × 70 %); so x = 100 → 100, 98 → 98.6, 95 → 96.5,
92 → 94.4, 80 → 86. A head types đ and e at 100 and a, b, c at 80; d is computed (every
subordinate ≥ 50 → 100, Điều 15 k3): (3 × 80 + 3 × 100) / 6 = 90 % → 30 + 63 = 93.
A unit's score is its share of tasks done (10 of 10 → 100, 6 of 10 → 60 …).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit import _tables
from evalkit.io.archive import Archive
from evalkit.io.results import results_document
from evalkit.reasons import explain
from tests._cli_helpers import run

ND335 = evalkit.rules.get("vn.nd335-2025")
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
ABC = ("so_luong", "chat_luong", "tien_do")

#: ``(staff_id, period) → {column: value}``: what a month's row of a person holds beyond
#: the scores (leave, discipline …); ``None`` scores: the person has no row that month.
Person = Callable[[str, str], "dict[str, Any] | None"]


def _marks(rs: Any, x: float, head: bool = False) -> dict[str, float]:
    full = rs.full_marks(manages_others=head)
    if head:
        full.pop(rs.management.computed, None)
    return {**full, **dict.fromkeys(ABC, float(x))}


def month_inputs(per: str, people: Mapping[str, tuple[str, Person]],
                 units: Mapping[str, tuple[str, Any]], category: str = "cong_chuc"
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """The month's staff and unit inputs: ``people`` maps a staff id to its unit and a
    function giving its row's values (None: no row); ``units`` a unit id to its head and
    the tasks done of 10."""
    rows = []
    heads = {h for h, _ in units.values()}
    for sid, (unit, values) in people.items():
        got = values(sid, per)
        if got is None:
            continue
        row = {"staff_id": sid, "full_name": f"Người {sid}", "unit_id": unit, "period": per,
               "category": category, "manages_others": sid in heads, "leave": "",
               "discipline": ""}
        row.update(got)
        rows.append(row)
    staff = pd.DataFrame(rows)
    unit_rows = pd.DataFrame([{"unit_id": u, "name": f"Phòng {u}", "parent_id": None,
                               "head_id": h, "period": per, "tasks_assigned": 10,
                               "tasks_done": done(per) if callable(done) else done}
                              for u, (h, done) in units.items()])  # fmt: skip
    return staff, unit_rows


Month = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]


def months_of(periods: list[str], people: Mapping[str, tuple[str, Person]],
              units: Mapping[str, tuple[str, Any]], *, category: str = "cong_chuc",
              rules: Callable[[str], Any] | None = None,
              typed: tuple[str, str, Mapping[str, Any]] | None = None) -> list[Month]:
    """Each period's ``(results, unit results, unit inputs)`` as ``evalkit classify``
    makes them: under ``rules(period)``, or no rule set named (each person's own, by
    category and month: issue 13 item 3); ``typed`` = (period, staff id, values) types
    those values in that row (a month typed right from the start)."""
    def person(sid: str, per: str) -> dict[str, Any] | None:
        row = people[sid][1](sid, per)
        if row is not None and typed is not None and (per, sid) == typed[:2]:
            row = {**row, **typed[2]}
        return row

    made = []
    for per in periods:
        staff, unit_rows = month_inputs(per, {s: (u, person) for s, (u, _) in people.items()},
                                        units, category)  # fmt: skip
        out, unit_results = evalkit.classify_frame(staff, unit_rows,
                                                   rules(per) if rules else None)
        results = pd.concat([staff, out[[c for c in out.columns if c not in staff]]], axis=1)
        made.append((results, unit_results, unit_rows))
    return made


def year_of(months: list[Month]) -> Said:
    """The year of ``months`` by :func:`evalkit.classify_year` on their frames."""
    return said(evalkit.classify_year(*(pd.concat([m[i] for m in months], ignore_index=True)
                                        for i in (0, 1))))


def amended_doors(months: list[Month], tmp_path: Path, per: str, sid: str,
                  changes: Mapping[str, str], year: int = 2026) -> dict[str, Said]:
    """The year after ``changes`` (as typed on the command line) to ``sid``'s ``per``:
    ``Archive.amend`` then ``annual``; ``evalkit amend`` then ``evalkit annual``."""
    with Archive(tmp_path / "a.sqlite") as a:
        for results, unit_results, inputs in months:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        a.amend(per, sid, changes, by="TCCB", why="Nhập nhầm")
        archive = said(a.annual(year))
    _finalize_by_cli(months, tmp_path, tmp_path / "cli.sqlite")
    sets = [f"{k}={v}" for k, v in changes.items()]
    code, out, err = run("amend", "--archive", str(tmp_path / "cli.sqlite"), "--period", per,
                         "--staff", sid, *[x for kv in sets for x in ("--set", kv)],
                         "--by", "TCCB", "--why", "Nhập nhầm")  # fmt: skip
    assert code == 0, (out, err)
    code, out, err = run("annual", "--year", str(year), "--archive",
                         str(tmp_path / "cli.sqlite"), "--out", str(tmp_path / "nam.csv"))
    assert code == 0, (out, err)
    return {"archive": archive, "cli": said(pd.read_csv(
        tmp_path / "nam.csv", dtype={"staff_id": str}, keep_default_na=False))}


Said = dict[str, tuple[str, float | None, str | None, str, tuple[str, ...]]]


def said(year: pd.DataFrame, rules: Any = None) -> Said:
    """Each person's year as a door says it: unit, total, grade, reason codes and their
    Vietnamese sentences (with citations)."""
    total = "annual_total" if "annual_total" in year else "total"
    grade = "annual_grade" if "annual_grade" in year else "grade"
    # every door keeps the person's name (the months' full_name: "Người <id>" here)
    assert [str(n) for n in year["full_name"]] == [f"Người {s}" for s in year["staff_id"]]
    sentences = explain(year.assign(total=year[total], grade=year[grade]), rules=rules)
    out: Said = {}
    for i, (sid, unit, t, g, codes) in enumerate(zip(
            year["staff_id"], year["unit_id"], year[total], year[grade],
            year["reasons"], strict=True)):  # fmt: skip
        tt = None if pd.isna(t) or t == "" else round(float(t), 2)
        gg = None if pd.isna(g) or g == "" else str(g)
        out[str(sid)] = (str(unit), tt, gg, str(codes) if not pd.isna(codes) else "",
                         tuple(sentences.iloc[i]))
    return out


def _finalize_by_cli(months: list[Month], folder: Path, archive: Path,
                     rules_file: Path | None = None) -> None:
    for results, unit_results, inputs in months:
        doc = results.copy()
        doc.attrs.update(rule_set=str(results["rule_set"].iloc[0]),
                         period=str(results["period"].iloc[0]))
        _tables.attach(doc, "units", unit_results)
        _tables.attach(doc, "unit_inputs", inputs)
        path = folder / f"ket-qua-{doc.attrs['period']}.json"
        path.write_text(json.dumps(results_document(doc), ensure_ascii=False), encoding="utf-8")
        code, out, err = run("finalize", str(path), "--archive", str(archive), "--by", "TCCB",
                             *(["--rules", str(rules_file)] if rules_file else []))
        assert code == 0, (out, err)


def every_door(months: list[Month], tmp_path: Path, year: int = 2026,
               rules_file: Path | None = None) -> dict[str, Said]:
    """The year of ``months`` through the frames (object and ``str`` columns), a CSV round
    trip, the archive and the command line (an agency's ``rules_file`` given to finalize,
    as docs/cli.md says; the archive keeps its set for the year)."""
    rules = evalkit.rules.resolve(str(rules_file)) if rules_file else None
    staff = pd.concat([m[0] for m in months], ignore_index=True)
    units = pd.concat([m[1] for m in months], ignore_index=True)
    doors: dict[str, Said] = {"frames": said(evalkit.classify_year(staff, units, rules))}
    as_str = staff.copy()
    for c in as_str.columns:
        if as_str[c].dtype == object and as_str[c].map(lambda v: isinstance(v, str)).all():
            as_str[c] = as_str[c].astype("str")
    doors["str"] = said(evalkit.classify_year(as_str, units, rules))
    staff.to_csv(tmp_path / "s.csv", index=False)
    units.to_csv(tmp_path / "u.csv", index=False)
    doors["csv"] = said(evalkit.classify_year(pd.read_csv(tmp_path / "s.csv"),
                                              pd.read_csv(tmp_path / "u.csv"), rules), rules)
    with Archive(tmp_path / "a.sqlite") as a:
        for results, unit_results, inputs in months:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs, rules=rules)
        doors["archive"] = said(a.annual(year), rules)
    _finalize_by_cli(months, tmp_path, tmp_path / "cli.sqlite", rules_file)
    code, out, err = run("annual", "--year", str(year), "--archive",
                         str(tmp_path / "cli.sqlite"), "--out", str(tmp_path / "nam.csv"))
    assert code == 0, (out, err)
    table = pd.read_csv(tmp_path / "nam.csv", dtype={"staff_id": str}, keep_default_na=False)
    doors["cli"] = said(table, rules)
    # the table's own sentences (reasons_vi) are the ones the codes explain
    assert dict(zip(table["staff_id"], table["reasons_vi"], strict=True)) == {
        s: " | ".join(v[4]) for s, v in doors["cli"].items()}
    return doors


def assert_same(doors: dict[str, Said]) -> Said:
    first = doors["frames"]
    for name, door in doors.items():
        assert door == first, name
    return first


# =========================================================================== NĐ 335: the year
#
# Phòng P (head H) does 10 of 10 tasks January to September and 6 of 10 October to
# December: (9 × 100 + 3 × 60) / 12 = 90 → HTXS for the year, though its last month is HT
# (60). Phòng Q (head K) does 7 of 10 January to August and 10 of 10 September to
# December: (8 × 70 + 4 × 100) / 12 = 80 → HTT, though its last month is HTXS. The head is
# capped at the unit's ANNUAL grade (domain §3 step 5, §4.1: the year is the
# classification): K (93) → HTT (cap.head_unit); H (93) is not capped.
#
# In P: A1 98.6, A2 96.5, A3 94.4 every month, H 93; B1–B5 86 (HTT). B3 on maternity leave
# March to August: classified on the six months worked (Điều 21), 86. B2 absent (vắng) four
# months: no absence cap under NĐ 335 (§4.5), 86. B4 reprimanded in June for a violation
# NOT related to public duty: Điều 20 k4 c counts only a duty-related one → 86, HTT.
# B5 reprimanded in a month on sick leave (no scores): "trong năm đánh giá" → KHT.
# The quota (Điều 20 k5 a, before demotion, floor): those rated HTT in P are B1–B4 (B5 is
# KHT) = 4 → 20 % = 0.8 → 0 HTXS: A1, A2, A3 and H all HTT (quota.demoted).
# In Q: K capped HTT; C1 100 every month (HTXS band), C2–C6 86 → HTT base = K + C2–C6 = 6
# (K counted after its cap: the cap is not a quota demotion) → 1 HTXS: C1 keeps it.

P_DONE = {m: (10 if int(m[5:]) <= 9 else 6) for m in MONTHS}
Q_DONE = {m: (7 if int(m[5:]) <= 8 else 10) for m in MONTHS}
SHARE = {"A1": 98, "A2": 95, "A3": 92, "B1": 80, "B2": 80, "B3": 80, "B4": 80, "B5": 80,
         "C1": 100, **{f"C{i}": 80 for i in range(2, 7)}}


def nd335_person(sid: str, per: str) -> dict[str, Any] | None:
    m = int(per[5:])
    if sid in ("H", "K"):
        return _marks(ND335, 80, head=True)
    if sid == "B3" and 3 <= m <= 8:
        return {"leave": "maternity"}
    if sid == "B2" and m in (2, 4, 6, 8):
        return {"leave": "absent"}
    if sid == "B5" and m == 5:
        return {"leave": "sick", "discipline": "khien_trach"}
    row: dict[str, Any] = _marks(ND335, SHARE[sid])
    if sid == "B4" and m == 6:
        row.update(discipline="khien_trach", discipline_related_to_duty=False)
    return row


NDP = {**dict.fromkeys(("H", "A1", "A2", "A3", "B1", "B2", "B3", "B4", "B5"), ("P", nd335_person)),
       **dict.fromkeys(("K", "C1", "C2", "C3", "C4", "C5", "C6"), ("Q", nd335_person))}
ND335_YEAR = {  # by hand, above: unit, total, grade
    "H": ("P", 93.0, "HTT"), "A1": ("P", 98.6, "HTT"), "A2": ("P", 96.5, "HTT"),
    "A3": ("P", 94.4, "HTT"), "B1": ("P", 86.0, "HTT"), "B2": ("P", 86.0, "HTT"),
    "B3": ("P", 86.0, "HTT"), "B4": ("P", 86.0, "HTT"), "B5": ("P", 86.0, "KHT"),
    "K": ("Q", 93.0, "HTT"), "C1": ("Q", 100.0, "HTXS"),
    **{f"C{i}": ("Q", 86.0, "HTT") for i in range(2, 7)},
}


ND335_UNITS = {"P": ("H", P_DONE.get), "Q": ("K", Q_DONE.get)}


@pytest.fixture(scope="module")
def nd335() -> list[Month]:
    return months_of(MONTHS, NDP, ND335_UNITS)


def test_the_nd335_year_by_hand_through_every_door(nd335: list[Month], tmp_path: Path) -> None:
    """The head capped at the unit's annual grade (not its last month's), the quota on the
    year, leave, a duty-unrelated and a leave month's discipline (NĐ 335/2025 Điều 20,
    21): the same year, reasons and sentences through every door."""
    year = assert_same(every_door(nd335, tmp_path))
    assert {s: v[:3] for s, v in year.items()} == ND335_YEAR
    codes = {s: v[3].split(";") for s, v in year.items()}
    assert "cap.head_unit" in codes["K"] and "cap.head_unit" not in codes["H"]
    assert {s for s, c in codes.items() if "quota.demoted" in c} == {"A1", "A2", "A3", "H"}


def test_amend_then_annual_is_the_year_of_the_amended_inputs(nd335: list[Month],
                                                            tmp_path: Path) -> None:
    """B5's reprimand (typed on a month of sick leave) was a mistake: cleared with
    ``amend``, B5 is HTT (86), the HTT of P are B1–B5 = 5 → one HTXS (Điều 20 k5 a): A1
    (98.6, the highest) keeps it. ``Archive.amend`` then ``annual``, ``evalkit amend`` then
    ``evalkit annual``, and ``classify_year`` on the inputs typed right give that year."""
    expected = {**ND335_YEAR, "B5": ("P", 86.0, "HTT"), "A1": ("P", 98.6, "HTXS")}
    frames = year_of(months_of(MONTHS, NDP, ND335_UNITS, typed=("2026-05", "B5", {
        "discipline": ""})))
    assert {s: v[:3] for s, v in frames.items()} == expected
    doors = amended_doors(nd335, tmp_path, "2026-05", "B5", {"discipline": ""})
    assert doors == {"archive": frames, "cli": frames}


# =========================================================================== viên chức 2026
#
# A khoa (K, head TK) of a public service unit: NĐ 90/2020 months January to June, NĐ
# 233/2026 months from July (domain §4.2: in force 2026-07-01), each month under its own
# set, without naming one; the year is classified under NĐ 233 (the set in force at the
# year's end). K does 8 of 10 tasks every month: 80, HTT; TK full marks (100) → HTT
# (Điều 12 k7: the head not above the unit). Scores 30 + 0.7 x under both sets.
#
# * V1 100, V2 96.5, V9 93, V3–V8 86 every month;
# * S7 on sick leave January–July (six NĐ 90 months and one NĐ 233 month), 86 from August:
#   five months worked, but sick leave is classified on the time actually worked (NĐ 233
#   Điều 14 k2), and NĐ 90's absence cap is not in NĐ 233 → 86, HTT;
# * A6 absent ("vắng") January–July, 86 from August: five months worked, absence is not in
#   k2's list → not classified (Điều 14 k1): no grade (its mean, 86, stays information);
# * MT on maternity leave January–July, 86 from August: classified on the time worked
#   (k2) → 86, HTT;
# * D reprimanded in March for a violation NOT related to the duties: KHT for that NĐ 90
#   month (Điều 2 k5 a, any discipline), but the year's set counts only a violation related
#   to the duties (NĐ 233 Điều 12 k4 c) → 86, HTT;
# * the quota (Điều 12 k6 a: 20 % of those rated HTT, before demotion, floor): TK (after
#   the head cap), V3–V8, S7, MT, D = 10 → 2 HTXS: V1 and V2 keep them, V9 is demoted.

VC_SHARE = {"V1": 100, "V2": 95, "V9": 90, **{f"V{i}": 80 for i in range(3, 9)},
            "S7": 80, "A6": 80, "MT": 80, "D": 80}


def vc_set(per: str) -> Any:
    return evalkit.rules.get("vn.nd90-2020" if per < "2026-07" else "vn.nd233-2026")


def vc_person(sid: str, per: str) -> dict[str, Any] | None:
    m, rs = int(per[5:]), vc_set(per)
    if sid == "TK":
        return _marks(rs, 100, head=True)
    leave = {"S7": "sick", "A6": "absent", "MT": "maternity"}
    if sid in leave and m <= 7:
        return {"leave": leave[sid]}
    row: dict[str, Any] = _marks(rs, VC_SHARE[sid])
    if sid == "D" and m == 3:
        row.update(discipline="khien_trach", discipline_related_to_duty=False)
    return row


VC = dict.fromkeys(("TK", *VC_SHARE), ("K", vc_person))
VC_YEAR = {"TK": ("K", 100.0, "HTT"), "V1": ("K", 100.0, "HTXS"), "V2": ("K", 96.5, "HTXS"),
           "V9": ("K", 93.0, "HTT"), **{f"V{i}": ("K", 86.0, "HTT") for i in range(3, 9)},
           "S7": ("K", 86.0, "HTT"), "A6": ("K", 86.0, None), "MT": ("K", 86.0, "HTT"),
           "D": ("K", 86.0, "HTT")}  # fmt: skip


@pytest.fixture(scope="module")
def vien_chuc() -> list[Month]:
    return months_of(MONTHS, VC, {"K": ("TK", 8)}, category="vien_chuc")


def test_the_vien_chuc_year_across_july_through_every_door(vien_chuc: list[Month],
                                                           tmp_path: Path) -> None:
    """Each month under its own set (NĐ 90/2020, then NĐ 233/2026 from July), the year
    under NĐ 233 Điều 12, 14: sick and maternity leave on the time worked, absence not,
    a discipline unrelated to the duties dropped, the head cap and the quota on the year."""
    assert [str(m[0]["rule_set"].iloc[0]) for m in vien_chuc] == \
        ["vn.nd90-2020"] * 6 + ["vn.nd233-2026"] * 6
    year = assert_same(every_door(vien_chuc, tmp_path))
    assert {s: v[:3] for s, v in year.items()} == VC_YEAR
    codes = {s: v[3].split(";") for s, v in year.items()}
    assert "cap.head_unit" in codes["TK"]
    assert {s for s, c in codes.items() if "quota.demoted" in c} == {"V9"}
    assert "rollup.dropped_disqualifier" in codes["D"]


# =========================================================================== customs 2027
#
# The customs quarterly scheme (vn.customs-2026q, CV 21169/CHQ-TCCB; domain §4.4), a whole
# year of quarters typed as rows. Đội HQ (head TD) does 8 of 10 tasks every quarter: 80,
# HTT; TD full marks (100) → HTT every quarter (the head not above the unit) → 0 HTXS
# quarters → HTT for the year, and not above the unit's year (HTT) either.
#
# Quarter scores (30 + 0.7 x): X1 100, 100, 86, 86; X2 100, 100, 84.6, 84.6; X3 83.2,
# 83.2, 100, 100; X4 81.8, 81.8, 98.6, 98.6; F1–F9 86 every quarter; P worked one month of
# Q2 (months_worked 1: not evaluated that quarter, CV 21169) and 86 in the others; F9
# reprimanded for a duty-related violation in Q2.
#
# Each quarter's quota (HTXS ≤ 20 % of those rated HTT, before demotion, floor): the HTT
# of Q1 are TD (capped), F1–F8, P, X3, X4 = 12 → 2: X1, X2 keep HTXS; in Q3 and Q4
# TD, F1–F9, P, X1, X2 = 12 → 2: X3, X4 keep it. So X1–X4 each have 2 HTXS quarters and no
# KHT → HTXS by the count (§4.4: ≥ 2 HTXS and no KHT). The quota applies to the YEAR as
# well (the year is classified): the year's HTT are TD, F1–F8, P = 10 → 2 HTXS, by the
# year's total (the mean of the quarters: X1 93, X2 92.3, X3 91.6, X4 90.2) → X1, X2 keep
# it, X3, X4 are HTT (quota.demoted). F9 has one KHT quarter (Q2), which alone would leave
# an HTT year (≤ 1 KHT), but the reprimand is "trong năm đánh giá" (NĐ 335/2025 Điều 20
# k4 c, the year's disqualifier) → KHT. P: three HTT quarters → HTT.

CQ = evalkit.rules.get("vn.customs-2026q")
QUARTERS = [f"2027-Q{q}" for q in range(1, 5)]
CQ_SHARE = {"X1": (100, 100, 80, 80), "X2": (100, 100, 78, 78), "X3": (76, 76, 100, 100),
            "X4": (74, 74, 98, 98), **{f"F{i}": (80,) * 4 for i in range(1, 10)},
            "P": (80,) * 4}  # fmt: skip


def customs_person(sid: str, per: str) -> dict[str, Any] | None:
    q = int(per[-1])
    if sid == "TD":
        return _marks(CQ, 100, head=True)
    row: dict[str, Any] = _marks(CQ, CQ_SHARE[sid][q - 1])
    if sid == "P" and q == 2:
        row["months_worked"] = 1
    if sid == "F9" and q == 2:
        row["discipline"] = "khien_trach"
    return row


CUSTOMS = dict.fromkeys(("TD", *CQ_SHARE), ("HQ", customs_person))
CUSTOMS_YEAR = {"TD": ("HQ", 100.0, "HTT"), "X1": ("HQ", 93.0, "HTXS"),
                "X2": ("HQ", 92.3, "HTXS"), "X3": ("HQ", 91.6, "HTT"),
                "X4": ("HQ", 90.2, "HTT"), **{f"F{i}": ("HQ", 86.0, "HTT") for i in range(1, 9)},
                "F9": ("HQ", 86.0, "KHT"), "P": ("HQ", 86.0, "HTT")}  # fmt: skip


@pytest.fixture(scope="module")
def customs() -> list[Month]:
    return months_of(QUARTERS, CUSTOMS, {"HQ": ("TD", 8)}, rules=lambda _: CQ)


def test_the_customs_year_of_quarters_through_every_door(customs: list[Month],
                                                         tmp_path: Path) -> None:
    """The year counted from the concluded quarters (CV 21169/CHQ-TCCB), a short quarter
    left out, the head capped, the quota applied to the year and a quarter's reprimand
    hitting the year: the same through every door."""
    q1 = customs[0][0].set_index("staff_id")
    assert (q1.loc["TD", "grade"], q1.loc["X1", "grade"], q1.loc["X3", "grade"]) == \
        ("HTT", "HTXS", "HTT")
    year = assert_same(every_door(customs, tmp_path, year=2027))
    assert {s: v[:3] for s, v in year.items()} == CUSTOMS_YEAR
    codes = {s: v[3].split(";") for s, v in year.items()}
    assert {s for s, c in codes.items() if "quota.demoted" in c} == {"X3", "X4"}


def test_amend_a_nd90_month_then_annual_under_nd233(vien_chuc: list[Month],
                                                    tmp_path: Path) -> None:
    """D's March reprimand (an NĐ 90/2020 month) was for a violation related to the
    duties after all: amended, it counts for the NĐ 233 year (Điều 12 k4 c) → D is KHT; the
    HTT of K are then 9 → 20 % = 1.8 → one HTXS: V1 (100) keeps it, V2 is demoted too.
    The archive and the command line give what the inputs typed right give."""
    expected = {**VC_YEAR, "D": ("K", 86.0, "KHT"), "V2": ("K", 96.5, "HTT")}
    frames = year_of(months_of(MONTHS, VC, {"K": ("TK", 8)}, category="vien_chuc",
                               typed=("2026-03", "D", {"discipline_related_to_duty": True})))
    assert {s: v[:3] for s, v in frames.items()} == expected
    doors = amended_doors(vien_chuc, tmp_path, "2026-03", "D",
                          {"discipline_related_to_duty": "x"})
    assert doors == {"archive": frames, "cli": frames}


def test_amend_a_customs_quarter_then_annual(customs: list[Month], tmp_path: Path) -> None:
    """F9's Q2 reprimand was typed by mistake: cleared, Q2 is HTT and F9's year is four
    HTT quarters → HTT (§4.4); the year's HTT are 11 → still 2 HTXS (X1, X2)."""
    expected = {**CUSTOMS_YEAR, "F9": ("HQ", 86.0, "HTT")}
    frames = year_of(months_of(QUARTERS, CUSTOMS, {"HQ": ("TD", 8)}, rules=lambda _: CQ,
                               typed=("2027-Q2", "F9", {"discipline": ""})))
    assert {s: v[:3] for s, v in frames.items()} == expected
    doors = amended_doors(customs, tmp_path, "2027-Q2", "F9", {"discipline": ""}, year=2027)
    assert doors == {"archive": frames, "cli": frames}


# =========================================================================== customs months
#
# The 2026 transition of a customs team (HQ, head TD, 8 of 10 tasks every month: HTT): NĐ
# 335 months January to June, customs months July to December, each month its own set
# (docs/periods.md: the months of a year that counts quarters are made into quarters,
# classified, and counted). X1 100, X2 96.5, X3 94.4, F1–F8 86 every month; F8 reprimanded
# for a duty-related violation in August.
#
# Q1, Q2 (NĐ 335 months: scored, not classified) count with their bands: TD, X1, X2, X3
# HTXS. Q3, Q4 (customs: classified): TD capped at the unit's HTT; F8 KHT in Q3; the HTT
# are TD, F1–F7 (+ F8 in Q4) = 8 in Q3, 9 in Q4 → 1 HTXS each: X1; X2, X3 demoted. The
# year: X1 4 HTXS quarters → HTXS; X2, X3 2 HTXS and no KHT → HTXS by the count; TD 2
# HTXS → HTXS by the count, capped at the unit's year (HTT). The year's quota: the year's
# HTT are TD (after the cap), F1–F7 = 8 → 1 HTXS: X1 (100); X2 and X3 HTT. F8: one KHT
# quarter → HTT by the count, but the reprimand is in the year (Điều 20 k4 c) → KHT.

CM_SHARE = {"X1": 100, "X2": 95, "X3": 92, **{f"F{i}": 80 for i in range(1, 9)}}


def customs_month(sid: str, per: str) -> dict[str, Any] | None:
    rs = CQ if per >= "2026-07" else ND335
    if sid == "TD":
        return _marks(rs, 100, head=True)
    row: dict[str, Any] = _marks(rs, CM_SHARE[sid])
    if (sid, per) == ("F8", "2026-08"):
        row["discipline"] = "khien_trach"
    return row


def test_customs_months_of_the_transition_year_through_every_door(tmp_path: Path) -> None:
    """Months under two sets (NĐ 335, then customs from July) made into quarters,
    classified, counted; the head capped at the unit's year and the quota on the year."""
    months = months_of(MONTHS, dict.fromkeys(("TD", *CM_SHARE), ("HQ", customs_month)),
                       {"HQ": ("TD", 8)}, rules=lambda p: CQ if p >= "2026-07" else ND335)
    year = assert_same(every_door(months, tmp_path))
    assert {s: v[:3] for s, v in year.items()} == {
        "TD": ("HQ", 100.0, "HTT"), "X1": ("HQ", 100.0, "HTXS"), "X2": ("HQ", 96.5, "HTT"),
        "X3": ("HQ", 94.4, "HTT"), **{f"F{i}": ("HQ", 86.0, "HTT") for i in range(1, 8)},
        "F8": ("HQ", 86.0, "KHT")}
    codes = {s: v[3].split(";") for s, v in year.items()}
    assert codes["TD"] == ["rollup.count.excellent", "cap.head_unit"]
    assert codes["X3"] == ["rollup.count.excellent", "quota.demoted"]
    assert codes["F8"] == ["rollup.count.good", "disqualifier.discipline"]


def _objects_year(periods: list[str], people: Mapping[str, tuple[str, Person]],
                  units: Mapping[str, tuple[str, Any]], category: str) -> Said:
    """The year through the object door: each month's organisation and assessments to
    :func:`evalkit.classify_organisation`, then :func:`evalkit.classify_organisation_year`
    (no rule set named)."""
    heads = {h for h, _ in units.values()}
    org = evalkit.Organisation(
        units=[evalkit.Unit(u, f"Phòng {u}", head_id=h) for u, (h, _) in units.items()],
        positions=[evalkit.Position("CV", "Chuyên viên"),
                   evalkit.Position("TP", "Trưởng phòng", manages_others=True)],
        staff=[evalkit.Staff(s, f"Người {s}", "TP" if s in heads else "CV", u,
                             category=category) for s, (u, _) in people.items()])
    made = []
    for per in periods:
        assessments = []
        for sid, (_, values) in people.items():
            row = values(sid, per)
            if row is None:
                continue
            flags = {k: row.pop(k) for k in ("leave", "discipline",
                                              "discipline_related_to_duty") if k in row}
            assessments.append(evalkit.Assessment(sid, per, competent_scores=row, **flags))
        made.append(evalkit.classify_organisation(org, assessments, [
            evalkit.UnitInputs(u, per, tasks_assigned=10,
                               tasks_done=done(per) if callable(done) else done)
            for u, (_, done) in units.items()]))
    out: Said = {}
    for uid, c in evalkit.classify_organisation_year(made).items():
        for r in c.staff:
            out[r.staff_id] = (uid, None if r.total is None else round(r.total, 2),
                               r.grade.code if r.grade else None,
                               # a frame's band is said by its total, not a code
                               ";".join(x.code for x in r.reasons if x.code != "band"),
                               tuple(f"{x.message_vi} ({x.source})" if x.source else
                                     x.message_vi for x in r.reasons))
    return out


@pytest.mark.parametrize("scenario", ["nd335", "vien_chuc"])
def test_the_objects_give_the_frames_year(scenario: str, request: pytest.FixtureRequest
                                          ) -> None:  # fmt: skip
    """The object door (Organisation, Assessment, UnitInputs each month) gives the year the
    frames give, by hand above: totals, grades, reasons and their sentences."""
    months = request.getfixturevalue(scenario)
    people, units, category = {
        "nd335": (NDP, ND335_UNITS, "cong_chuc"),
        "vien_chuc": (VC, {"K": ("TK", 8)}, "vien_chuc")}[scenario]
    objects = _objects_year(MONTHS, people, units, category)
    assert objects == year_of(months)


# =========================================================================== amend refuses


@pytest.mark.parametrize(("per", "cited"), [
    ("2026-03", "NĐ 90/2020/NĐ-CP, Điều 2 k3"),   # a viên chức's NĐ 90 month (until 2026-06)
    ("2026-08", "NĐ 233/2026/NĐ-CP, Điều 14 k2"),  # NĐ 233: sick leave, the time worked
])  # fmt: skip
def test_a_leave_typed_on_a_scored_month_cites_the_months_own_rule(
        vien_chuc: list[Month], tmp_path: Path, per: str, cited: str) -> None:  # fmt: skip
    """Putting a scored month on sick leave without clearing its scores is refused (the
    month on leave has no score), and the refusal cites the month's own rule set — NĐ 90
    Điều 2 k3 for a viên chức month before July 2026, NĐ 233 Điều 14 k2 after — never NĐ
    335/2025, which does not govern viên chức (domain §4.2): in Python and on the command
    line, in English and Vietnamese."""
    with Archive(tmp_path / "a.sqlite") as a:
        for results, unit_results, inputs in vien_chuc:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        with pytest.raises(evalkit.errors.InputError) as err:
            a.amend(per, "V3", {"leave": "ốm"}, by="TCCB", why="Nghỉ ốm")
    (problem,) = err.value.problems
    assert problem.column == "leave"
    assert f"({cited})" in problem.message
    assert "335" not in problem.message
    for lang in ("vi", "en"):
        code, out, said_ = run("amend", "--archive", str(tmp_path / "a.sqlite"), "--period",
                               per, "--staff", "V3", "--set", "leave=ốm", "--by", "TCCB",
                               "--why", "Nghỉ ốm", "--lang", lang)  # fmt: skip
        assert code == 1
        assert f"({cited})" in out + said_ and "335" not in out + said_, lang


# =========================================================================== Hà Nội 2025
#
# A Hà Nội unit in 2025 under QĐ 3814-QĐ/TU (hanoi.3814-2018, named: its jurisdiction is
# not the national one), which grades every month with its 30 % quota (domain §4.3). The
# YEAR of its cán bộ, công chức and viên chức follows NĐ 90/2020 as amended by NĐ 48/2023
# (in force at the year's end, 2025): any discipline in the year → KHT (Điều 2 k5 a);
# absent 3 to under 6 months → at most HT (Điều 2 k3); HTXS ≤ 20 % of those rated HTT,
# counted over those categories only (Điều 2 k6). Contract staff (hợp đồng) are not
# governed by NĐ 90: their year keeps its band (the preset's reading; QĐ 3814's quota is
# the month's — see the report of af182 on that reading).
#
# Scores: 10 + 10 discipline/ethics + task points k + bonus b. Unit U does 10 of 10 tasks:
# 100, HTXS, so its head H is not capped. Công chức: H 95, C1 98, C2 96, C3 92, C4–C8 80,
# C9 80 reprimanded in May, C10 94 but absent ("vắng") January–April; hợp đồng: L1 99,
# L5 80. The year: C9 KHT; C10 capped at HT; the HTT of the công chức are C4–C8 = 5 → one
# HTXS: C1 (98) keeps it, C2, H, C3 are HTT (quota.demoted) — L1 (99, higher than C1)
# takes no công chức's place: it is counted apart.

HN = evalkit.rules.get("hanoi.3814-2018")
HN_MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
HN_POINTS = {"H": (70, 5), "C1": (70, 8), "C2": (70, 6), "C3": (70, 2),
             **{f"C{i}": (60, 0) for i in range(4, 10)}, "C10": (70, 4),
             "L1": (70, 9), "L5": (60, 0)}  # fmt: skip


def hanoi_person(sid: str, per: str) -> dict[str, Any] | None:
    m = int(per[5:])
    if sid == "C10" and m <= 4:
        return {"leave": "absent", "category": "cong_chuc"}
    k, b = HN_POINTS[sid]
    row: dict[str, Any] = {"ky_luat": 10.0, "dao_duc": 10.0, "ket_qua_nhiem_vu": float(k),
                           "sang_kien": float(b),
                           "category": "hop_dong" if sid.startswith("L") else "cong_chuc"}
    if (sid, m) == ("C9", 5):
        row["discipline"] = "khien_trach"
    return row


HN_YEAR = {"H": ("U", 95.0, "HTT"), "C1": ("U", 98.0, "HTXS"), "C2": ("U", 96.0, "HTT"),
           "C3": ("U", 92.0, "HTT"), **{f"C{i}": ("U", 80.0, "HTT") for i in range(4, 9)},
           "C9": ("U", 80.0, "KHT"), "C10": ("U", 94.0, "HT"), "L1": ("U", 99.0, "HTXS"),
           "L5": ("U", 80.0, "HTT")}  # fmt: skip


def test_a_hanoi_year_of_two_staff_groups_through_every_door(tmp_path: Path) -> None:
    """NĐ 90/2020's year rules (as amended by NĐ 48/2023) reach only the groups it
    governed, and its quota counts them apart from contract staff: every door alike."""
    months = months_of(HN_MONTHS, dict.fromkeys(HN_POINTS, ("U", hanoi_person)),
                       {"U": ("H", 10)}, rules=lambda _: HN)
    year = assert_same(every_door(months, tmp_path, year=2025))
    assert {s: v[:3] for s, v in year.items()} == HN_YEAR
    codes = {s: v[3].split(";") for s, v in year.items()}
    assert {s for s, c in codes.items() if "quota.demoted" in c} == {"C2", "C3", "H"}


#: what the workbook (``evalkit validate``) says of a discipline cell it cannot read
DISCIPLINE_CELL = {
    "en": "is not a discipline level 0 to 5 (0 none, 1 khiển trách, 2 cảnh cáo, 3 hạ bậc "
          "lương/giáng chức, 4 cách chức, 5 buộc thôi việc)",
    "vi": "không phải là mức kỷ luật 0 đến 5 (0 không, 1 khiển trách, 2 cảnh cáo, 3 hạ bậc "
          "lương/giáng chức, 4 cách chức, 5 buộc thôi việc)"}


@pytest.mark.parametrize("value", ["abc", "6", "1,5", "-1"])
def test_a_discipline_amend_cannot_read_is_said_as_the_workbook_says_it(
        nd335: list[Month], tmp_path: Path, value: str) -> None:  # fmt: skip
    """``amend`` reads a value as the workbook reads its cell (docs/cli.md): a discipline
    it cannot read — text that names no level (``abc``: not "a finite number", a level
    may be named, ``khiển trách``), or a number outside the levels 0–5 — is refused with
    the workbook's sentence, listing the levels, in Python and on the command line."""
    with Archive(tmp_path / "a.sqlite") as a:
        for results, unit_results, inputs in nd335[:1]:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        with pytest.raises(evalkit.errors.InputError) as err:
            a.amend("2026-01", "B1", {"discipline": value}, by="TCCB", why="Kỷ luật")
    (problem,) = err.value.problems
    assert (problem.column, problem.value, problem.message) == \
        ("discipline", value, DISCIPLINE_CELL["en"])
    code, _out, said_ = run("amend", "--archive", str(tmp_path / "a.sqlite"), "--period",
                           "2026-01", "--staff", "B1", "--set", f"discipline={value}", "--by",
                           "TCCB", "--why", "Kỷ luật")  # fmt: skip
    assert code == 1
    assert said_.endswith(f"cột 'discipline', giá trị '{value}': {DISCIPLINE_CELL['vi']}\n")


def test_a_month_amended_to_maternity_leave_leaves_the_year_on_the_time_worked(
        nd335: list[Month], tmp_path: Path) -> None:  # fmt: skip
    """B1 was on maternity leave in February, though scored: amended (the leave and its
    scores cleared in one amendment), the year averages the 11 months worked (NĐ 335/2025
    Điều 21) and says the leave — as the inputs typed right give it, at every door."""
    scores = dict.fromkeys(_marks(ND335, 80), None)
    frames = year_of(months_of(MONTHS, NDP, ND335_UNITS, typed=(
        "2026-02", "B1", {"leave": "maternity", **scores})))
    assert frames["B1"][:3] == ("P", 86.0, "HTT")
    assert frames["B1"][3].split(";") == ["rollup.average", "rollup.leave"]
    assert frames["B1"][4][-1] == ("Nghỉ theo quy định 1 tháng (thai sản): xếp loại theo thời "
                                   "gian làm việc thực tế (NĐ 335/2025/NĐ-CP, Điều 21 k3)")
    doors = amended_doors(nd335, tmp_path, "2026-02", "B1",
                          {"leave": "thai sản", **dict.fromkeys(scores, "")})
    assert doors == {"archive": frames, "cli": frames}


# =========================================================================== monthly quota
#
# Issue 13's case: an agency that grades every month (its rule file extends NĐ 335/2025
# with classified = ["month", "year"], docs/classification.md) has a unit of six: A1 100,
# A2 96.5, A3 93, B1–B3 86 every month. Each month HTXS ≤ 20 % of the 3 rated HTT = 0.6 →
# 0 (Điều 20 k5 a, floor): nobody is HTXS in any month. The year is classified too, with
# the quota applied to it: the same 3 HTT → 0 HTXS — the year gives no more HTXS than the
# quota, never the 3 its bands would give.


def test_a_unit_quota_limited_every_month_gets_no_more_htxs_in_the_year(tmp_path: Path) -> None:
    """The quota applied to the YEAR as to each month (issue 13), at every door."""
    toml = tmp_path / "co-quan.toml"
    toml.write_text('id = "agency.nd335-monthly"\nextends = "vn.nd335-2025"\n'
                    'classified = ["month", "year"]\n'
                    'source = "Quy chế đánh giá của cơ quan (số 1, ngày 1/1/2026)"\n',
                    encoding="utf-8")
    agency = evalkit.rules.resolve(str(toml))
    xs = {"A1": 100, "A2": 95, "A3": 90, "B1": 80, "B2": 80, "B3": 80}
    months = months_of(MONTHS, dict.fromkeys(xs, ("U", lambda s, _p: _marks(ND335, xs[s]))),
                       {"U": (None, 10)}, rules=lambda _: agency)
    assert all((m[0]["grade"] == "HTXS").sum() == 0 for m in months)  # every month: 0
    year = assert_same(every_door(months, tmp_path, rules_file=toml))
    assert {s: v[2] for s, v in year.items()} == dict.fromkeys(xs, "HTT")
    assert {s for s, v in year.items() if "quota.demoted" in v[3]} == {"A1", "A2", "A3"}
