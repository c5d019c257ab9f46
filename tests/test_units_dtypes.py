"""The same unit-periods give the same unit results whatever the dtypes of the units frame
(issue 13 item 4, for the second frame of ``classify_frame``).

A units frame arrives from an HR system, from ``pd.read_csv`` (pandas 3's ``str`` text,
numbers as ``int64`` or, with a blank, ``float64``), from Parquet or from Excel. Its counts
(``tasks_*``), scores, points and yes/no flags (``exceptional``, ``late_work``,
``disciplined`` ...) must give the unit scores, grades and reasons of the plain frame, and
so the heads' caps and the quota of their staff.
"""

from __future__ import annotations

import importlib.util
import io
from typing import Any

import attrs
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
import evalkit.rules

_VC = evalkit.rules.get("vn.nd233-2026")  # viên chức, yearly
#: Every unit flag counts: QĐ 366's "nobody disciplined" condition, the deputy not above
#: the head when the unit has late work, the quota raised to 40 % for an exceptional unit.
RULES = RS = attrs.evolve(
    _VC, id="test.units-dtypes",
    units=attrs.evolve(_VC.units, excellent_requires_no_discipline=True,
                       deputy_capped_at_head_when_late=True),
    quota=attrs.evolve(_VC.quota, raised_when="exceptional", percent_if_unit_excellent=40.0))  # fmt: skip
PERIOD = "2026-09"
HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None

COUNTS = ("tasks_assigned", "tasks_done", "tasks_on_time", "tasks_overdue", "tasks_exceeded")
SCORES = ("cross_score", "satisfaction", "bonus", "deduction", "self_score")
FLAGS = ("exceptional", "late_work", "disciplined")
TEXT_REPS = ["object", "str", "string[python]", "category"] + (
    ["string[pyarrow]"] if HAS_PYARROW else [])  # fmt: skip
NUMBER_REPS = ["as drawn", "float64", "float32", "Int64", "Float64", "text", "text with comma"]
BOOL_REPS = ["bool", "boolean", "0-1", "x-blank", "có-không"]


@st.composite
def unit_periods(draw: st.DrawFn) -> pd.DataFrame:
    """2-5 units under a root, with consistent counts (done ≤ assigned ...), some blanks."""
    n = draw(st.integers(2, 5))
    rows = []
    for i in range(n):
        assigned = draw(st.integers(0, 20))
        done = draw(st.integers(0, assigned))
        row: dict[str, Any] = {
            "unit_id": f"U{i}", "parent_id": None if i == 0 else "U0", "head_id": f"H{i}",
            "tasks_assigned": assigned, "tasks_done": done,
            "tasks_on_time": draw(st.one_of(st.none(), st.integers(0, done))),
            "tasks_overdue": draw(st.integers(0, 3)),
            "tasks_exceeded": draw(st.integers(0, done)),
        }  # fmt: skip
        for c in SCORES:
            row[c] = draw(st.one_of(st.none(), st.integers(0, 100).map(float),
                                    st.sampled_from([72.5, 88.25, 89.99, 90.5])))  # fmt: skip
        for c in FLAGS:
            row[c] = draw(st.sampled_from([False, False, True]))
        rows.append(row)
    frame = pd.DataFrame(rows)
    for c in (*COUNTS, *SCORES):  # ints where whole and never blank, floats otherwise
        values = frame[c]
        if values.notna().all() and bool((values == values.round()).all()):
            frame[c] = values.astype("int64")
        else:
            frame[c] = values.astype("float64")
    for c in ("unit_id", "parent_id", "head_id"):
        frame[c] = frame[c].astype(object)
    return frame


def _number_text(v: Any, comma: bool) -> str | None:
    if v is None or pd.isna(v):
        return None
    text = str(int(v)) if float(v).is_integer() else repr(float(v))
    return text.replace(".", ",") if comma else text


def represent(frame: pd.DataFrame, *, text: str, number: str, yes_no: str) -> pd.DataFrame:
    """The same unit-periods with other dtypes."""
    out = pd.DataFrame(index=frame.index)
    for c in ("unit_id", "parent_id", "head_id"):
        out[c] = pd.Series(frame[c].tolist(), dtype=object if text == "object" else text)
    for c in (*COUNTS, *SCORES):
        values = frame[c]
        if number == "as drawn":
            out[c] = values
        elif number in ("text", "text with comma"):
            typed = [_number_text(v, number == "text with comma") for v in values]
            out[c] = pd.Series(typed, dtype=object if text == "object" else text)
        elif number == "Int64" and not bool((values.dropna() % 1 == 0).all()):
            out[c] = values.astype("Float64")  # halves need a float column
        else:
            out[c] = values.astype(number)
    for c in FLAGS:
        truth = frame[c].tolist()
        if yes_no == "bool":
            out[c] = pd.Series(truth, dtype=bool)
        elif yes_no == "boolean":
            out[c] = pd.Series([True if t else pd.NA for t in truth], dtype="boolean")
        elif yes_no == "0-1":
            out[c] = pd.Series(truth).astype("int64")
        else:
            yes, no = ("x", "") if yes_no == "x-blank" else ("có", "không")
            out[c] = pd.Series([yes if t else no for t in truth],
                               dtype=object if text == "object" else text)  # fmt: skip
    return out


def staff_for(units: pd.DataFrame) -> pd.DataFrame:
    """Each unit's head with full marks, and two members (one excellent, one good)."""
    top, lead = RS.full_marks(), RS.full_marks(manages_others=True)
    good = {k: v * 0.8 for k, v in top.items()}
    rows = []
    for u in units["unit_id"].astype(str):
        i = u[1:]
        rows += [{"staff_id": f"H{i}", "unit_id": u, "manages_others": True, **lead},
                 {"staff_id": f"A{i}", "unit_id": u, **top},
                 {"staff_id": f"B{i}", "unit_id": u, **good}]  # fmt: skip
    staff = pd.DataFrame(rows)
    staff["period"] = PERIOD
    staff["category"] = "vien_chuc"
    return staff


def outcome(units: pd.DataFrame) -> tuple[list[Any], list[Any]]:
    """The unit results and the staff results that depend on them, as plain lists."""
    staff, unit = evalkit.classify_frame(staff_for(units), units.assign(period=PERIOD), RULES)
    year = evalkit.classify_year(staff, unit, RULES)
    u = unit[["unit_id", "score", "score_grade", "grade", "exceptional", "reasons"]].astype(object)
    y = year[["staff_id", "unit_grade", "grade", "reasons"]].astype(object)
    if "quota_raised" in year.columns:
        y = y.assign(raised=year["quota_raised"].to_numpy())
    return ([[_clean(v) for v in r] for r in u.values.tolist()],
            [[_clean(v) for v in r] for r in y.values.tolist()])


def _clean(v: Any) -> Any:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    return round(v, 9) if isinstance(v, float) else str(v)


@settings(max_examples=40, deadline=None)
@given(frame=unit_periods(), text=st.sampled_from(TEXT_REPS),
       number=st.sampled_from(NUMBER_REPS), yes_no=st.sampled_from(BOOL_REPS))  # fmt: skip
def test_every_representation_gives_the_plain_frames_units(frame: pd.DataFrame, text: str,
                                                           number: str, yes_no: str) -> None:  # fmt: skip
    """Text dtypes, nullable and float32 numbers, numbers as text (a decimal comma too) and every
    written yes/no: the same unit scores and grades, and the same capped heads for the year."""
    assert outcome(represent(frame, text=text, number=number, yes_no=yes_no)) == outcome(frame)


@settings(max_examples=25, deadline=None)
@given(frame=unit_periods())
def test_a_csv_round_trip_gives_the_plain_frames_units(frame: pd.DataFrame) -> None:
    """Written with ``to_csv`` and read back with ``pd.read_csv`` (blanks become NaN in a
    float column, text becomes ``str``), then as Parquet where pyarrow is installed."""
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    back = pd.read_csv(io.StringIO(buf.getvalue()))
    assert outcome(back) == outcome(frame)
    if HAS_PYARROW:
        raw = io.BytesIO()
        frame.to_parquet(raw)
        assert outcome(pd.read_parquet(io.BytesIO(raw.getvalue()))) == outcome(frame)


@settings(max_examples=25, deadline=None)
@given(frame=unit_periods(), blank=st.sampled_from(["", "   ", "\t"]),
       text=st.sampled_from(TEXT_REPS))  # fmt: skip
def test_a_blank_parent_or_head_written_as_empty_text_is_blank(frame: pd.DataFrame, blank: str,
                                                               text: str) -> None:  # fmt: skip
    """A CSV read with ``keep_default_na=False`` (or a sheet of spaces) gives ``''`` for an
    empty cell: a unit with no parent and no head, as ``None`` would."""
    typed = frame.copy()
    typed["parent_id"] = pd.Series([blank if v is None else v for v in frame["parent_id"]],
                                   dtype=object if text == "object" else text)
    typed.loc[typed.index[-1], "head_id"] = blank
    plain = frame.copy()
    plain.loc[plain.index[-1], "head_id"] = None
    assert outcome(typed) == outcome(plain)
    buf = io.StringIO()
    typed.to_csv(buf, index=False)
    back = pd.read_csv(io.StringIO(buf.getvalue()), keep_default_na=False)
    back["tasks_on_time"] = pd.to_numeric(back["tasks_on_time"].replace("", None))
    for c in SCORES:
        back[c] = pd.to_numeric(back[c].replace("", None))
    assert outcome(back) == outcome(plain)


@given(assigned=st.integers(0, 40), done_share=st.floats(0, 1), kind=st.sampled_from(
    [int, float, np.int64, np.int32, np.float64, np.float32]), blank=st.sampled_from(
    [None, float("nan"), np.float32("nan"), np.float64("nan"), pd.NA]))
def test_unit_inputs_take_numbers_of_every_numpy_type(assigned: int, done_share: float,
                                                      kind: Any, blank: Any) -> None:
    """A UnitInputs built from the values a frame holds (NumPy integers and floats, NaN of
    any float type or pd.NA as a blank, for numbers and flags alike) equals the one built
    from Python numbers: the object door reads what the frame door reads."""
    from evalkit.units import UnitInputs

    done = int(assigned * done_share)
    want = UnitInputs("U", "2026-03", tasks_assigned=assigned, tasks_done=done)
    got = UnitInputs("U", "2026-03", tasks_assigned=kind(assigned), tasks_done=kind(done),
                     tasks_exceeded=blank, exceptional=blank,
                     late_work=blank)  # fmt: skip
    assert got == want
    assert got.tasks_done == float(done) and got.tasks_exceeded is None and not got.late_work
