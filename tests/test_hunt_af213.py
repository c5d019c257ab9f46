"""Hunt af213 (issue 13, "one engine, one answer"): random mixed organisations at every door.

A random organisation — units with parents and heads, deputies, công chức, viên chức and
cán bộ side by side, months of one year drawn from 2025-09 … 2027-03 (straddling NĐ 335's
2026-01-01 and NĐ 233's 2026-07-01), legal leave, units' blank counts of tasks exceeded,
disciplines, suy thoái, competent-level conclusions, duty groups, exceptional units,
transfers between units — is
classified with **no rule set named** (each staff-month under the set in force for its
category and period) through:

* :func:`evalkit.classify_frame` then :func:`evalkit.classify_year` on frames whose text
  columns are ``object``, pandas ``str``, ``string[pyarrow]`` or ``category`` (or every
  column in pandas' nullable dtypes: ``convert_dtypes``), and on the
  inputs round-tripped through ``to_csv``/``read_csv``;
* the archive (:meth:`Archive.finalize` each month, :meth:`Archive.annual`) of the months
  in ``object``, ``string[pyarrow]`` and nullable dtypes;
* the objects (:func:`evalkit.classify_organisation` each month,
  :func:`evalkit.classify_organisation_year`) against the frames' rows read back as results.

Every door must give the same months (total, band, grade, reason codes, classified) and
the same year (total, grade, reason codes, months worked).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import evalkit
from evalkit import (
    Assessment,
    EvaluationResult,
    Organisation,
    Position,
    Staff,
    Unit,
)
from evalkit.io.archive import Archive
from evalkit.units import UnitInputs, classify_frame, classify_year, results_from_frame
from tests._cli_helpers import run

CATEGORIES = ("cong_chuc", "vien_chuc", "can_bo")
YEARS = {2025: range(9, 13), 2026: range(1, 13), 2027: range(1, 4)}
TEXT = ("staff_id", "full_name", "unit_id", "period", "category", "leave", "discipline",
        "competent_grade", "competent_reason", "duty_group")


def _set(category: str, period: str, jurisdiction: str) -> evalkit.RuleSet:
    return evalkit.rules.for_period(category, period, jurisdiction)


@st.composite
def mixed_year(draw: st.DrawFn) -> tuple[list[tuple[pd.DataFrame, pd.DataFrame]], int, str]:
    """``([(staff_months, units)] per month, year, jurisdiction)``: one organisation over
    1–7 months (six and more: a viên chức year is classified, NĐ 233/2026
    Điều 14 k1), national or Hà Nội's (QĐ 3814-QĐ/TU: contract staff too, monthly quota)."""
    where = draw(st.sampled_from(["vn", "vn.hanoi"]))
    year = draw(st.sampled_from(sorted(YEARS)))
    months = sorted(draw(st.sets(st.sampled_from(list(YEARS[year])), min_size=1, max_size=7)))
    n_units = draw(st.integers(1, 2))
    people: list[tuple[str, str, str, bool]] = []  # id, unit, category, manages others
    heads = {}
    for u in range(n_units):
        n = draw(st.integers(1, 4))
        for i in range(n):
            sid = f"S{u}{i}"
            people.append((sid, f"U{u}", draw(st.sampled_from(
                CATEGORIES + (("hop_dong",) if where == "vn.hanoi" else ()))),
                           i == 0 or draw(st.integers(0, 4)) == 0))  # fmt: skip
        heads[f"U{u}"] = f"S{u}0" if draw(st.integers(0, 5)) else None
    parent = {f"U{u}": (None if u == 0 or draw(st.booleans()) else "U0") for u in range(n_units)}
    out = []
    for m in months:
        per = f"{year}-{m:02d}"
        rows = []
        for sid, home, cat, manages in people:
            moved = n_units == 2 and sid not in heads.values() and draw(st.integers(0, 5)) == 0
            uid = ("U1" if home == "U0" else "U0") if moved else home  # transferred this month
            rs = _set(cat, per, where)
            row: dict[str, Any] = {"staff_id": sid, "full_name": f"Người {sid}", "unit_id": uid,
                                   "period": per, "category": cat, "manages_others": manages,
                                   "leave": None, "discipline": None}  # fmt: skip
            leave = draw(st.sampled_from([None] * 6 + ["sick", "maternity", "absent"]))
            if leave:
                row["leave"] = leave
            else:
                share = draw(st.sampled_from([1.0, 0.95, 0.9, 0.8, 0.6, 0.3]))
                for cid, top in rs.full_marks(manages).items():
                    c = rs.criterion(cid)
                    if c.id == rs.management.computed:
                        continue
                    row[cid] = round(top * (1.0 if c.management else share), 2)
                for c in rs.criteria():
                    if c.unit == "count":
                        row[c.id] = float(draw(st.integers(0, 1)))
                if draw(st.integers(0, 9)) == 0:
                    row["discipline"] = "khien_trach"
                if draw(st.integers(0, 9)) == 0:
                    row["degradation"] = True
                grade = draw(st.sampled_from([None] * 5 + ["HTXS", "HTT", "HT", "KHT"]))
                if grade:
                    row["competent_grade"], row["competent_reason"] = grade, f"Kết luận {grade}"
            row["duty_group"] = draw(st.sampled_from([None, None, "G1"]))
            rows.append(row)
        # a unit is exceptional only where every member's set reads the flag (else refused)
        # (and has somebody in it: a unit left empty by a transfer inherits another's set)
        reads = {u: bool(mine := [r for r in rows if r["unit_id"] == u]) and all(
            "exceptional" in _set(r["category"], per, where).unit_flags_read() for r in mine)
            for u in parent}  # fmt: skip
        units = pd.DataFrame([{"unit_id": u, "name": f"Phòng {u}", "parent_id": parent[u],
                               "head_id": heads[u], "period": per, "tasks_assigned": 10,
                               "tasks_done": draw(st.integers(6, 10)),
                               "tasks_exceeded": draw(st.sampled_from([None, 0, 1, 4])),
                               "exceptional": reads[u] and draw(st.integers(0, 5)) == 0}
                              for u in parent])  # fmt: skip
        out.append((pd.DataFrame(rows), units))
    return out, year, where


def _as(frame: pd.DataFrame, how: str, tmp: Path) -> pd.DataFrame:
    """``frame`` with its text columns in another representation."""
    if how == "object":
        return frame
    if how == "csv":
        path = tmp / "f.csv"
        frame.to_csv(path, index=False)
        return pd.read_csv(path)
    if how == "nullable":  # pandas' nullable dtypes: string, boolean, Int64, Float64
        return frame.convert_dtypes()
    dtype = {"str": "str", "pyarrow": "string[pyarrow]", "category": "category"}[how]
    return frame.astype({c: dtype for c in frame.columns if c in TEXT or c in (
        "name", "parent_id", "head_id")})  # fmt: skip


DOORS = ("object", "str", "pyarrow", "category", "nullable", "csv")
MONTH = ("staff_id", "period", "rule_set", "total", "points_general", "points_tasks",
         "score_grade", "proposed_grade", "grade", "unit_grade", "classified", "reasons")
YEAR = ("staff_id", "unit_id", "rule_set", "annual_total", "annual_grade", "proposed_grade",
        "unit_grade", "reasons", "months", "leave_months", "quota_group", "quota_cap")


def _norm(frame: pd.DataFrame, cols: tuple[str, ...]) -> list[tuple[Any, ...]]:
    have = [c for c in cols if c in frame.columns]
    rows = []
    for rec in frame[have].to_dict("records"):
        rows.append(tuple(None if (not isinstance(v, str) and pd.isna(v)) else
                          (round(float(v), 6) if isinstance(v, float | int) and not
                           isinstance(v, bool) else str(v)) for v in rec.values()))  # fmt: skip
    return sorted(rows, key=lambda r: tuple(str(x) for x in r))


OBJ_MONTH = ("staff_id", "period", "rule_set", "total", "score_grade", "proposed_grade", "grade",
             "classified", "reasons")
OBJ_YEAR = ("staff_id", "unit_id", "rule_set", "annual_total", "annual_grade", "proposed_grade",
            "reasons")


def _blank(v: Any) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def _text(v: Any) -> Any:
    return None if _blank(v) else v


def objects_of(sm: pd.DataFrame, units: pd.DataFrame
               ) -> tuple[Organisation, list[Assessment], list[UnitInputs]]:  # fmt: skip
    """The month's frames as a user's objects (the scores the competent level's)."""
    recs = sm.to_dict("records")
    org = Organisation(
        units=tuple(Unit(r["unit_id"], r["name"], _text(r["parent_id"]), _text(r["head_id"]))
                    for r in units.to_dict("records")),
        positions=(Position("CV", "Chuyên viên"),
                   Position("LD", "Lãnh đạo", manages_others=True)),
        staff=tuple(Staff(r["staff_id"], r["full_name"], "LD" if r["manages_others"] else "CV",
                          r["unit_id"], category=r["category"],
                          manages_others=bool(r["manages_others"]),
                          duty_group=None if _blank(r["duty_group"]) else r["duty_group"])
                    for r in recs))
    meta = {"staff_id", "full_name", "unit_id", "period", "category", "manages_others", "leave",
            "discipline", "degradation", "competent_grade", "competent_reason", "duty_group"}
    out = [Assessment(r["staff_id"], r["period"],
                      competent_scores={k: v for k, v in r.items()
                                        if k not in meta and not _blank(v)},
                      discipline="" if _blank(r["discipline"]) else r["discipline"],
                      degradation=not _blank(r.get("degradation")) and bool(r["degradation"]),
                      competent_grade=None if _blank(r.get("competent_grade"))
                      else r["competent_grade"],
                      competent_reason="" if _blank(r.get("competent_reason"))
                      else r["competent_reason"],
                      leave="" if _blank(r["leave"]) else r["leave"])
           for r in recs]  # fmt: skip
    ui = [UnitInputs(r["unit_id"], r["period"], tasks_assigned=r["tasks_assigned"],
                     tasks_done=r["tasks_done"], tasks_exceeded=r["tasks_exceeded"],
                     exceptional=bool(r["exceptional"]))
          for r in units.to_dict("records")]  # fmt: skip
    return org, out, ui


def _results(rows: list[tuple[EvaluationResult, str]], year: bool) -> list[Any]:
    """Object results as the frame door's compared columns."""
    recs = []
    for r, unit in rows:
        g = r.grade.code if r.grade else None
        recs.append({"staff_id": r.staff_id, "period": str(r.period), "unit_id": unit,
                     "rule_set": r.rule_set_id, "total": r.total,
                     "score_grade": r.score_grade.code if r.score_grade else None,
                     "proposed_grade": r.proposed_grade.code if r.proposed_grade else None,
                     "grade": g, "annual_total": r.total, "annual_grade": g,
                     "classified": r.classified, "reasons": ";".join(r.reason_codes())})
    return _norm(pd.DataFrame(recs), OBJ_YEAR if year else OBJ_MONTH)


def object_door(months: list[tuple[pd.DataFrame, pd.DataFrame]], where: str
                ) -> tuple[list[Any], list[Any]]:  # fmt: skip
    done = [evalkit.classify_organisation(*objects_of(sm, u), jurisdiction=where)
            for sm, u in months]  # fmt: skip
    per = [(r, uid) for m in done for uid, c in m.items() for r in c.staff]
    year = evalkit.classify_organisation_year(done, jurisdiction=where)
    return (_results(per, False),
            _results([(r, uid) for uid, c in year.items() for r in c.staff], True))


def doors(months: list[tuple[pd.DataFrame, pd.DataFrame]], year: int, where: str, tmp: Path
          ) -> dict[str, tuple[list[Any], list[Any]]]:  # fmt: skip
    """Each door's months and year."""
    out = {}
    for how in DOORS:
        done = []
        for sm, units in months:
            s, u = _as(sm, how, tmp), _as(units, how, tmp)
            res, unit_res = classify_frame(s, u, jurisdiction=where)
            done.append((pd.concat([s, res[[c for c in res.columns if c not in s]]], axis=1),
                         unit_res, u))  # fmt: skip
        staff = pd.concat([d[0] for d in done], ignore_index=True)
        uy = pd.concat([d[1] for d in done], ignore_index=True)
        out[how] = (_norm(staff, MONTH), _norm(classify_year(staff, uy, jurisdiction=where),
                                               YEAR))  # fmt: skip
        if how == "object":
            out["objects"] = object_door(months, where)
            y = classify_year(staff, uy, jurisdiction=where)  # the rows read back as results
            out["object-columns"] = (
                _results(list(zip(results_from_frame(staff), staff["unit_id"], strict=True)),
                         False),
                _results(list(zip(results_from_frame(y.assign(total=y["annual_total"],
                                                              grade=y["annual_grade"])),
                                  y["unit_id"], strict=True)), True))  # fmt: skip
        if how in ("object", "pyarrow", "nullable"):  # the archive of the months as typed
            with Archive(tmp / "a.sqlite") as a:
                for results, unit_results, inputs in done:
                    a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
                out[f"archive-{how}"] = (out[how][0],
                                         _norm(a.annual(year, jurisdiction=where), YEAR))
            (tmp / "a.sqlite").unlink()
    return out


@settings(deadline=None, max_examples=max(1, settings.default.max_examples // 10),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=mixed_year())
def test_every_door_gives_one_answer_for_a_mixed_organisation(
    data: tuple[list[tuple[pd.DataFrame, pd.DataFrame]], int, str], tmp_path: Path
) -> None:
    """Frames of every dtype, CSV and the archive agree on the months and on the year."""
    months, year, where = data
    note(where)
    for sm, _ in months:
        note(sm.to_string())
    got = doors(months, year, where, tmp_path)
    want, objects = got.pop("object"), got.pop("objects")
    assert objects == got.pop("object-columns")
    for name, res in got.items():
        assert res[0] == want[0], name
        assert res[1] == want[1], name


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-q"])


class TestAUnitMixingCategoriesInTheArchivesYear:
    """Found by the probe: the archive's year graded a unit mixing công chức and viên chức
    under another rule set than :func:`classify_year` over the same months' results."""

    @staticmethod
    def _month(tmp: Path) -> tuple[pd.DataFrame, pd.DataFrame, Path]:
        nd335, nd90 = evalkit.rules.get("vn.nd335-2025"), evalkit.rules.get("vn.nd90-2020")
        sm = pd.DataFrame([
            {"staff_id": "S1", "full_name": "Người Một", "unit_id": "U", "period": "2026-01",
             "category": "cong_chuc", **nd335.full_marks(False)},
            {"staff_id": "S2", "full_name": "Người Hai", "unit_id": "U", "period": "2026-01",
             "category": "vien_chuc", **nd90.full_marks(False)},
        ])  # fmt: skip
        units = pd.DataFrame([{"unit_id": "U", "name": "Phòng U", "parent_id": None,
                               "head_id": None, "period": "2026-01", "tasks_assigned": 10,
                               "tasks_done": 6, "tasks_exceeded": 0}])  # fmt: skip
        res, unit_res = classify_frame(sm, units)
        staff = pd.concat([sm, res[[c for c in res.columns if c not in sm]]], axis=1)
        with Archive(tmp / "a.sqlite") as a:
            a.finalize(staff, by="TCCB", units=unit_res, unit_inputs=units)
        return staff, unit_res, tmp / "a.sqlite"

    def test_the_unit_is_graded_under_its_months_own_set_at_every_door(
        self, tmp_path: Path
    ) -> None:
        """January 2026: S1 công chức (NĐ 335/2025), S2 viên chức (NĐ 90/2020 until
        2026-06-30), the unit did 6 of its 10 tasks: score 60. The month grades the unit
        under its own set, the most common among its people, a tie to the id sorting first
        (``vn.nd335-2025`` before ``vn.nd90-2020``): 60 is in NĐ 335's HT band (50 to < 70,
        Điều 20 k3). The year is graded under that same set of the unit's month: HT. The
        archive read back no set for the unit's month, so its year took the tie of the
        people's *year* sets — NĐ 335 and NĐ 233/2026 (the viên chức's set at the year's
        end), NĐ 233 first — and graded the unit KHT (NĐ 233 Điều 7 k4 b: under 70 % of the
        tasks done), its people's ``unit_grade`` with it."""
        staff, unit_res, path = self._month(tmp_path)
        assert unit_res[["rule_set", "grade"]].values.tolist() == [["vn.nd335-2025", "HT"]]
        frames = classify_year(staff, unit_res)
        with Archive(path) as a:
            archive = a.annual(2026)
        code, out, err = run("annual", "--year", "2026", "--archive", str(path), "--out",
                             str(tmp_path / "nam.csv"))  # fmt: skip
        assert code == 0, (out, err)
        cli = pd.read_csv(tmp_path / "nam.csv", dtype={"staff_id": str})
        for door in (frames, archive, cli):
            got = dict(zip(door["staff_id"], door["unit_grade"].astype(str), strict=True))
            assert got == {"S1": "HT", "S2": "HT"}
