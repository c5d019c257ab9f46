"""Months for the archive tests: inputs built from a rule set's own criteria, classified by
the engine the way ``evalkit classify`` does, so the tests follow the rule data."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

import evalkit.rules
from evalkit.rules import RuleSet
from evalkit.rules.blocks import band_codes
from evalkit.units import classify_frame

ND335 = evalkit.rules.get("vn.nd335-2025")


def general_ids(rs: RuleSet) -> list[str]:
    """The criteria scored in points that every person needs (the general criteria)."""
    return [c for c in rs.required_inputs(False) if rs.criterion(c).unit == "points"]


def task_ids(rs: RuleSet) -> list[str]:
    """The task components scored in percent that every person needs."""
    return [c for c in rs.required_inputs(False) if rs.criterion(c).unit == "percent"]


def scores(rs: RuleSet, tasks: float, general: float = 1.0) -> dict[str, float]:
    """Every required input: general criteria at ``general`` × their maximum, task
    components at ``tasks`` percent."""
    out = {c: rs.criterion(c).maximum * general for c in general_ids(rs)}
    out.update(dict.fromkeys(task_ids(rs), float(tasks)))
    return out


def head_marks(rs: RuleSet) -> dict[str, float]:
    """What a head of a unit types beyond everyone's scores: the management components at
    full marks (a head holds a management post, NĐ 335/2025/NĐ-CP Điều 15), but the one
    the rule set computes from the staff under them (d)."""
    from evalkit.scoring import management_only_inputs

    full = rs.full_marks(manages_others=True)
    return {c: full[c] for c in management_only_inputs(rs) if c != rs.management.computed}


def month_inputs(
    period: str,
    people: Mapping[str, float],
    *,
    rs: RuleSet = ND335,
    unit: str = "U1",
    head: str | None = None,
    assigned: int = 10,
    done: int = 10,
    extra: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(staff, units)`` inputs of one unit: each person with every task component at
    the given percent (general criteria at their maximum), optional extra columns."""
    extra = extra or {}
    rows = [{"staff_id": sid, "full_name": f"Người {sid}", "unit_id": unit, "period": period,
             "discipline": 0, **scores(rs, t), **(head_marks(rs) if sid == head else {}),
             **extra.get(sid, {})}
            for sid, t in people.items()]  # fmt: skip
    staff = pd.DataFrame(rows)
    units = pd.DataFrame({"unit_id": [unit], "parent_id": pd.Series([None], dtype=object),
                          "head_id": pd.Series([head], dtype=object),
                          "tasks_assigned": [float(assigned)], "tasks_done": [float(done)]})
    return staff, units


def classified(
    period: str, people: Mapping[str, float], **kwargs: Any
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(results, unit_results, unit_inputs)`` of a month, as ``evalkit classify`` makes
    them: the inputs followed by the engine's columns, the rule set in ``attrs``."""
    rs: RuleSet = kwargs.get("rs", ND335)
    staff, units = month_inputs(period, people, **kwargs)
    out, unit_results = classify_frame(staff, units, rs, force=True)
    extra = [c for c in out.columns if c not in staff.columns]
    results = pd.concat([staff, out[extra]], axis=1)
    results.attrs["rule_set"] = rs.id
    return results, unit_results, units


def plain_month(period: str, n: int = 3, total: float = 91.0, rs: RuleSet = ND335) -> pd.DataFrame:
    """A results frame of ``n`` people without inputs: the total banded, nothing else."""
    code = int(band_codes(rs.bands, pd.Series([total]).to_numpy(dtype=float))[0])
    grade = {3: "HTXS", 2: "HTT", 1: "HT", 0: "KHT"}[code]
    return pd.DataFrame({
        "staff_id": [f"S{i:06d}" for i in range(n)],
        "unit_id": ["U1"] * n,
        "period": [period] * n,
        "rule_set": [rs.id] * n,
        "total": [total] * n,
        "score_grade": [grade] * n,
        "grade": [grade] * n,
        "reasons": [""] * n,
    })


def dump(path: Path) -> list[str]:
    """Every row of every table, for an exact before/after comparison."""
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def raw(path: Path, *statements: str, params: Sequence[Any] = ()) -> None:
    """Run SQL on the file with a plain sqlite3 connection (as anyone could)."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for sql in statements:
            db.execute(sql, params) if params else db.execute(sql)
    finally:
        db.close()


def year_grades(year: pd.DataFrame) -> dict[str, tuple[float, str, str]]:
    """Each person's annual total, grade and reason codes: what two years are compared by."""
    return {str(s): (float(t), str(g), str(r)) for s, t, g, r in zip(
        year["staff_id"], year["annual_total"], year["annual_grade"], year["reasons"],
        strict=True)}  # fmt: skip


def cli_year(path: Path, out: Path) -> pd.DataFrame:
    """`evalkit annual --year 2026 --archive PATH --out OUT` (it must succeed), read back."""
    from tests._cli_helpers import run

    code, stdout, err = run("annual", "--year", "2026", "--archive", str(path), "--out", str(out))
    assert code == 0, (stdout, err)
    return pd.read_csv(out, dtype={"staff_id": str}, keep_default_na=False)
