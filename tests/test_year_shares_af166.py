"""The year's shares of tasks done and exceeded count only the months that gave the count
(af166, issue 13).

A unit HTXS needs 100 % of its tasks done and at least 30 % of them exceeded (QĐ 366-QĐ/TW
Điều 11 k1; NĐ 233/2026/NĐ-CP Điều 7 k1 a). The year summed every month's tasks assigned
against the counts of the months that gave one: a month without a count of tasks exceeded
counted as "none exceeded" (4 exceeded of 20 assigned, 20 %, rather than 4 of 10), and a
month without a count of tasks done as "none done" (10 of 20, 50 % — under NĐ 233 Điều 7
k4 b a unit below 70 % is KHT: a grade made of a blank cell). The share of a year is now
Σ count ÷ Σ tasks_assigned over the months that gave both; a year in which no month gave
the count has none ("Không có số nhiệm vụ hoàn thành vượt mức", tests/test_hunt_af156.py).

The organisation of tests/test_hunt_af156.py (QĐ 366: general 30, tasks 70; bands 90/70/50;
its quota since af212), worked by hand, April and May 2026:

* P (Ban, under UB, head CB3 at 30 + 65 = 95): April 10 of 10 done, 4 exceeded; May 10 of
  10 done, no count exceeded. Score 100 both months. Year: done 20/20 = 100 %, exceeded
  4/10 = 40 % ≥ 30 % → HTXS (old: 4/20 = 20 % → HTT, CB3 capped at HTT).
* UB (Văn phòng, head CB1 at 95, deputy CB2 at 28 + 62 = 90): April 10 of 10 done, 5
  exceeded (score 100); May 10 assigned, no count done or exceeded (no task share: the
  unit is not evaluated that month). Year: score 100 (April), done 10/10 = 100 %, on time
  10/10 (a blank count on time is every task done on time), exceeded 5/10 = 50 %, P HTXS →
  HTXS; CB1 is not capped by it (old: done 10/20 = 50 % → HTT, CB1 capped at HTT).

Nobody of either unit is rated HTT, so QĐ 366 Điều 11 k1 (1.5: HTXS at most 20 % of those
rated HTT) leaves CB1, CB2 and CB3 HTT (``quota.demoted``), never ``cap.head_unit``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
import evalkit.workflow
from tests._cli_helpers import fill_workbook, ok, org_file
from tests._io_helpers import classify_months, csv_frames
from tests.test_hunt_af156 import POSITIONS_CSV, RULES, STAFF, STAFF_CSV, UNITS_CSV, marks

MONTHS = ("2026-04", "2026-05")
#: (unit, month) → (assigned, done, exceeded); None: the count not given
TASKS: dict[tuple[str, str], tuple[int, int | None, int | None]] = {
    ("P", "2026-04"): (10, 10, 4), ("P", "2026-05"): (10, 10, None),
    ("UB", "2026-04"): (10, 10, 5), ("UB", "2026-05"): (10, None, None)}  # fmt: skip
#: the year by hand (module docstring)
YEAR = {"CB1": (95.0, "HTT"), "CB2": (90.0, "HTT"), "CB3": (95.0, "HTT")}
UNIT_YEAR = {"UB": ("HTXS", 100.0, 50.0), "P": ("HTXS", 100.0, 40.0)}


def _counts(u: str, per: str) -> dict[str, Any]:
    return dict(zip(("tasks_assigned", "tasks_done", "tasks_exceeded"), TASKS[u, per],
                    strict=True))  # fmt: skip


def objects_year() -> dict[str, evalkit.UnitClassification]:
    org = evalkit.Organisation(
        units=[evalkit.Unit("UB", "Văn phòng Ủy ban", head_id="CB1"),
               evalkit.Unit("P", "Ban Kinh tế", parent_id="UB", head_id="CB3")],
        positions=[evalkit.Position(p, p, manages_others=True) for p in ("CT", "PCT", "TB")],
        staff=[evalkit.Staff(s, f"Người {s}", p, u, category="can_bo", manages_others=True,
                             manager_id=m) for s, (u, p, m) in STAFF.items()])  # fmt: skip
    months = [evalkit.classify_organisation(
        org, [evalkit.Assessment(s, per, competent_scores=marks(s)) for s in STAFF],
        [evalkit.UnitInputs(u, per, **_counts(u, per)) for u in ("UB", "P")])
        for per in MONTHS]  # fmt: skip
    return evalkit.classify_organisation_year(months)


def frames_year(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [{"staff_id": s, "full_name": f"Người {s}", "unit_id": u, "period": per,
             "category": "can_bo", "manages_others": True, "manager_id": m, **marks(s)}
            for per in MONTHS for s, (u, _p, m) in STAFF.items()]  # fmt: skip
    units = [{"unit_id": u, "parent_id": None if u == "UB" else "UB",
              "head_id": "CB1" if u == "UB" else "CB3", "period": per, **_counts(u, per)}
             for per in MONTHS for u in ("UB", "P")]  # fmt: skip
    staff, unit_frame = csv_frames(folder, rows, units)
    _, results, unit_results = classify_months(staff, unit_frame)
    year = evalkit.classify_year(results, unit_results)
    return year, evalkit.workflow.year_units(year, unit_results)


def cli_year(folder: Path) -> pd.DataFrame:
    org = org_file(folder, UNITS_CSV, POSITIONS_CSV, STAFF_CSV)
    archive = folder / "luu-tru.sqlite"
    for per in MONTHS:
        tpl, book, res = folder / f"mau-{per}.xlsx", folder / f"{per}.xlsx", folder / f"{per}.json"
        ok("template", "--rules", RULES, "--period", per, "--org", str(org), str(tpl))
        fill_workbook(tpl, book,
                      lambda s, _r: {f"competent__{k}": v for k, v in marks(s).items()},
                      lambda u, _r, per=per: _counts(u, per))  # fmt: skip
        ok("validate", str(book), "--org", str(org))
        ok("classify", str(book), "--org", str(org), "--out", str(res))
        ok("finalize", str(res), "--archive", str(archive), "--by", "TCCB", "--org", str(org))
    ok("annual", "--archive", str(archive), "--year", "2026", "--out", str(folder / "nam.csv"))
    return pd.read_csv(folder / "nam.csv", dtype={"staff_id": str})


def test_the_years_shares_leave_out_the_months_without_a_count_at_every_door(
        tmp_path: Path) -> None:
    """A month without a count of tasks done or exceeded counts neither in the year's share
    (QĐ 366-QĐ/TW Điều 11 k1): the same grades through the objects, the frames and the CLI."""
    objects = objects_year()
    frames, frame_units = frames_year(tmp_path)
    annual = cli_year(tmp_path)
    assert {u: (c.unit.grade.code if c.unit.grade else None, c.unit.done_percent,
                c.unit.exceeded_percent) for u, c in objects.items()} == UNIT_YEAR
    assert all(c.unit.reasons == () for c in objects.values())
    got_units = frame_units.set_index("unit_id")
    assert {u: (str(got_units.loc[u, "grade"]), float(got_units.loc[u, "done_percent"]),
                float(got_units.loc[u, "exceeded_percent"])) for u in UNIT_YEAR} == UNIT_YEAR
    assert {r.staff_id: (r.total, r.grade.code if r.grade else None)
            for c in objects.values() for r in c.staff} == YEAR  # fmt: skip
    # the heads are not capped by their units (HTXS): the quota holds everyone
    held = ("cap.head_unit", "quota.demoted")
    assert {r.staff_id: tuple(x.code for x in r.reasons if x.code in held)
            for c in objects.values() for r in c.staff} == dict.fromkeys(
                YEAR, ("quota.demoted",))  # fmt: skip
    for year, total, grade in ((frames, "total", "grade"),
                               (annual, "annual_total", "annual_grade")):  # fmt: skip
        got = year.set_index("staff_id")
        assert {s: (float(got.loc[s, total]), str(got.loc[s, grade])) for s in YEAR} == YEAR


@pytest.mark.parametrize("blank", ["tasks_exceeded", "tasks_done"])
def test_a_month_without_the_count_leaves_the_years_share_as_the_other_months_make_it(
        blank: str) -> None:
    """Adding a month that gives tasks assigned but not the count leaves the year's share
    of that count as the months with it make it (never read as 0)."""
    def unit_year(months: tuple[str, ...]) -> pd.Series:
        rows = [{"staff_id": "A", "unit_id": "U", "period": per, "category": "can_bo",
                 "tieu_chi_chung": 30, "ket_qua_nhiem_vu": 60} for per in months]
        units = [{"unit_id": "U", "period": per, "tasks_assigned": 8, "tasks_done": 8,
                  "tasks_exceeded": 3} for per in months]  # fmt: skip
        units[-1] |= ({blank: None} if len(months) > 1 else {})
        if blank == "tasks_done" and len(months) > 1:
            units[-1]["tasks_exceeded"] = None
        staff, unit_frame = pd.DataFrame(rows), pd.DataFrame(units)
        _, results, unit_results = classify_months(staff, unit_frame, RULES)
        year = evalkit.workflow.year_units(evalkit.classify_year(results, unit_results),
                                           unit_results)
        return year.set_index("unit_id").loc["U"]

    alone, beside = unit_year(("2026-04",)), unit_year(("2026-04", "2026-05"))
    assert (alone["done_percent"], alone["exceeded_percent"]) == (100.0, 37.5)
    assert (beside["done_percent"], beside["exceeded_percent"]) == (100.0, 37.5)
    assert str(beside["grade"]) == str(alone["grade"]) == "HTXS"


_COUNTS = st.integers(1, 12).flatmap(lambda a: st.tuples(
    st.just(a), st.one_of(st.none(), st.integers(0, a))).flatmap(lambda ad: st.tuples(
        st.just(ad[0]), st.just(ad[1]),
        st.one_of(st.none(), st.integers(0, ad[1] if ad[1] is not None else ad[0])))))


@settings(max_examples=15)
@given(months=st.lists(_COUNTS, min_size=1, max_size=4))
def test_the_years_share_is_the_sum_over_the_months_that_gave_the_count(
        months: list[tuple[int, int | None, int | None]]) -> None:
    """For any months of counts, the year's share of tasks done (exceeded) is Σ done
    (exceeded) ÷ Σ assigned over the months that gave that count; none gave it: not known."""
    pers = [f"2026-{m:02d}" for m in range(4, 4 + len(months))]
    rows = [{"staff_id": "A", "unit_id": "U", "period": per, "category": "can_bo",
             "tieu_chi_chung": 30, "ket_qua_nhiem_vu": 60} for per in pers]
    units = [{"unit_id": "U", "head_id": "A", "period": per, "tasks_assigned": a,
              "tasks_done": d, "tasks_exceeded": x}
             for per, (a, d, x) in zip(pers, months, strict=True)]  # fmt: skip
    _, results, unit_results = classify_months(pd.DataFrame(rows), pd.DataFrame(units), RULES)
    year = evalkit.workflow.year_units(evalkit.classify_year(results, unit_results),
                                       unit_results).set_index("unit_id").loc["U"]
    for col, i in (("done_percent", 1), ("exceeded_percent", 2)):
        given = [(m[i], m[0]) for m in months if m[i] is not None]
        want = 100.0 * sum(c for c, _ in given) / sum(a for _, a in given) if given else None
        got = year[col]
        assert (None if pd.isna(got) else pytest.approx(float(got))) == want, (col, months)
