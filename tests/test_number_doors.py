"""One number reader and one rule at every door (audits 12 and 13): ``'90%'`` typed as text,
a fraction typed for a percentage (0.95 for 95 %) and ``months_worked`` are read and refused
alike by the workbook and CSV cells, ``evalkit amend`` (the workbook's reader), a frame
(:func:`evalkit.score_frame`, :func:`evalkit.classify_frame`) and the domain objects
(:class:`evalkit.Assessment` with :func:`evalkit.score`)."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
from evalkit import _columns
from evalkit.errors import EvalkitError, InputError, ModelError, ScoreError
from evalkit.io.results import read_results
from evalkit.io.workbook import _numbers, read_workbook
from tests._cli_helpers import run
from tests._io_helpers import GENERAL, TASKS, filled_workbook, person

RULES = "vn.nd335-2025"
CUSTOMS = "vn.customs-2026q"


def _tasks(values: dict[str, Any]) -> dict[str, Any]:
    """The task scores, where no kpi stands for them (typed beside it they are refused)."""
    return {} if "kpi" in values else TASKS


def _frame(**values: Any) -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": "CC-1", "unit_id": "P1", "period": "2026-03",
                          "category": "cong_chuc", **GENERAL, **_tasks(values),
                          **values}])  # fmt: skip


def _object_total(**values: Any) -> float:
    scores = {**GENERAL, **_tasks(values), **{k: v for k, v in values.items() if k != "kpi"}}
    a = evalkit.Assessment("CC-1", "2026-03", competent_scores=scores, kpi=values.get("kpi"))
    total = evalkit.score(a, rules=RULES).total
    assert total is not None
    return float(total)


def _frame_total(**values: Any) -> float:
    return float(evalkit.score_frame(_frame(**values), RULES)["total"].iloc[0])


def _classified_total(**values: Any) -> float:
    staff, _units = evalkit.classify_frame(_frame(**values), pd.DataFrame({"unit_id": ["P1"]}),
                                           RULES)  # fmt: skip
    return float(staff["total"].iloc[0])


DOORS = (_object_total, _frame_total, _classified_total)


# ------------------------------------------------------------------ one number reader

_TYPED = st.one_of(
    st.sampled_from(["90%", "90 %", "0,5%", "1,000", "1.000", "85,5", "%", "1e2", "-0", "x"]),
    st.text(alphabet="0123456789.,%+-e ", max_size=9),
    st.text(max_size=6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True, places=2),
    st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("-sNaN"), Decimal("Infinity")]),
    st.integers(-1000, 1000),
    st.booleans(),
    st.none(),
)


@given(value=_TYPED)
def test_the_cells_and_the_frames_read_every_value_alike(value: Any) -> None:
    """The workbook's (and amend's) reader and a frame's give the same number for any
    value, or both refuse it."""
    num, bad = _numbers(pd.Series([value], dtype=object))
    df = pd.DataFrame({"x": pd.Series([value], dtype=object)})
    found = _columns.Problems(df)
    got = _columns.numbers(df, "x", found)
    assert bool(bad[0]) == bool(found.problems), (value, num, found.problems)
    if not bad[0]:
        assert (math.isnan(num[0]) and math.isnan(got[0])) or num[0] == got[0], (value, num, got)


def _forms(x: float) -> list[Any]:
    """``x`` written in each accepted form: a number, text with a point or a comma, with a
    percent sign (with and without a space), with spaces around."""
    text = f"{x:g}"
    return [x, text, text.replace(".", ","), f"{text}%", f"{text.replace('.', ',')} %",
            f" {text} "]


@given(x=st.one_of(st.just(0.0), st.integers(100, 10000).map(lambda c: c / 100)),
       field=st.sampled_from(["so_luong", "chat_luong", "tien_do", "kpi"]))
def test_a_value_in_each_accepted_form_scores_alike_at_every_door(x: float, field: str) -> None:
    """'90%', '90', '90,0', 90 ... give one total at the object and both frame doors."""
    want = _frame_total(**{field: x})
    for typed in _forms(x):
        for door in DOORS:
            assert door(**{field: typed}) == pytest.approx(want), (door.__name__, typed)


def test_ninety_percent_typed_as_text_is_ninety_everywhere() -> None:
    """Audit 13 (pct_text_doors): the Python doors refused '90%' the workbook reads as 90."""
    for door in DOORS:
        assert door(so_luong="90%") == door(so_luong=90) == 91.0


def test_ninety_percent_typed_as_text_in_a_workbook_is_ninety(tmp_path: Path) -> None:
    path = filled_workbook(tmp_path / "a.xlsx", [person("CC-1", so_luong="90%"),
                                                 person("CC-2", so_luong="90 %")])
    frame, problems = read_workbook(path)
    assert problems == []
    assert frame["so_luong"].tolist() == [90.0, 90.0]


def test_one_thousand_with_a_comma_is_refused_in_a_workbook_as_in_a_frame(
    tmp_path: Path,
) -> None:
    """'1,000' is one in vi-VN and one thousand in English: the frames refused it, the
    workbook read it as 1; now both refuse it, the workbook naming both readings."""
    path = filled_workbook(tmp_path / "a.xlsx", [person("CC-1", so_luong="1,000")])
    _read, problems = read_workbook(path)
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "competent__so_luong",
                                                               "1,000")]  # fmt: skip
    assert "'1,000' may be 1000 (a thousands separator) or 1" in str(problems[0])
    with pytest.raises(InputError, match="so_luong"):
        _frame_total(so_luong="1,000")


# ------------------------------------------------------------------ a fraction in a percentage


@pytest.mark.parametrize("field", ["so_luong", "kpi"])
def test_a_fraction_typed_for_a_percentage_is_refused_at_every_door(field: str) -> None:
    """Audit 13 (fraction_doors): the workbook refuses 0.95 in a percent column; the
    frames and objects scored it as 0.95 %."""
    for door in DOORS:
        with pytest.raises(EvalkitError) as info:
            door(**{field: 0.95})
        assert "the value 0.95 is between 0 and 1: if it means 95%, write 95" in str(info.value)
        assert field in str(info.value)
    with pytest.raises(EvalkitError, match="between 0 and 1"):
        _frame_total(**{field: "0,95"})  # text too


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("sNaN"), Decimal("-NaN"),
                                   Decimal("-Infinity"), float("nan"), "NaN"])
def test_a_score_that_is_no_finite_number_is_said_so_at_every_door(value: Any) -> None:
    """Audit 16 (f_decimal_nan): Decimal('NaN') read as a blank at score_frame ("has no
    score") and Decimal('sNaN') escaped as a raw ValueError/TypeError at both doors; one
    reading, one message (a float NaN is a blank cell, as everywhere)."""
    for door in DOORS:
        if isinstance(value, float):
            with pytest.raises(EvalkitError, match=r"has no score|is not a number"):
                door(so_luong=value)
            continue
        with pytest.raises(EvalkitError, match="is not a finite number") as info:
            door(so_luong=value)
        assert "has no score" not in str(info.value), door.__name__
    for door in (evalkit.score_frame, lambda f: evalkit.classify_frame(
            f, pd.DataFrame({"unit_id": ["P1"]}))):  # fmt: skip
        if isinstance(value, float):
            continue
        with pytest.raises(InputError) as caught:
            door(_frame(so_luong=value).assign(staff_id="CC-9"))
        [p] = caught.value.problems
        assert (p.row, p.staff_id, p.column, p.message) == (0, "CC-9", "so_luong",
                                                            "is not a finite number")
        assert str(p.value) == str(value)


def test_a_frame_names_the_row_and_the_value_of_a_fraction() -> None:
    with pytest.raises(InputError) as info:
        evalkit.score_frame(_frame(tien_do=0.8).assign(staff_id="CC-9"), RULES)
    [p] = info.value.problems
    assert (p.row, p.staff_id, p.column, p.value) == (0, "CC-9", "tien_do", 0.8)
    assert p.message.endswith("if it means 80%, write 80")
    from evalkit.messages import translate

    assert translate(p.message, "vi").startswith("giá trị 0")
    assert translate(p.message, "vi").endswith("nằm giữa 0 và 1: nếu là 80% hãy ghi 80")


def test_a_fraction_with_a_percent_sign_says_what_it_means_at_every_door() -> None:
    """'0,5%' is 0.5 %, as in the workbook: scored, not refused; a count or points
    criterion below 1 is a score, not a fraction of a percentage."""
    want = _frame_total(so_luong=0.0) + 0.7 * 0.5 / 3
    for door in DOORS:
        assert door(so_luong="0,5%") == pytest.approx(want, abs=0.01)
        assert door(nang_luc_chuyen_mon=0.5) < door(nang_luc_chuyen_mon=2.5)


def test_a_percent_formatted_cell_below_one_percent_classifies_from_the_workbook(
    tmp_path: Path,
) -> None:
    """A workbook's '0,5%' (read as 0.5) is not refused again when the frame is classified:
    its reader checked it with the cell's format."""
    path = filled_workbook(tmp_path / "a.xlsx", [person("CC-1", chat_luong="0,5%")])
    out = tmp_path / "k.json"
    code, stdout, stderr = run("classify", str(path), "--out", str(out))
    assert code == 0, (stdout, stderr)
    staff = read_results(out)
    assert staff["total"].iloc[0] == pytest.approx(28 + 0.7 * (90 + 0.5 + 80) / 3, abs=0.01)


# ------------------------------------------------------------------ months worked


def _customs(months_worked: Any, period: str = "2027-Q1") -> pd.DataFrame:
    full = evalkit.rules.get(CUSTOMS).full_marks()
    return pd.DataFrame([{"staff_id": "A", "unit_id": "U", "period": period,
                          "category": "cong_chuc", "months_worked": months_worked, **full}])


@pytest.mark.parametrize(("rules", "period", "worked", "most"), [
    (CUSTOMS, "2027-Q1", 3.5, 3), (RULES, "2026-03", 2, 1), (RULES, "2026-03", 5, 1)])
def test_more_months_worked_than_the_period_has_is_refused_at_every_door(
    rules: str, period: str, worked: float, most: int
) -> None:
    """Audit 12 (mw_cli, months_worked_month, customs_short): the frames scored 3.5 months
    of a quarter and 5 of a month; the objects and the CLI refused them."""
    full = evalkit.rules.get(rules).full_marks()
    df = pd.DataFrame([{"staff_id": "A", "unit_id": "U", "period": period,
                        "category": "cong_chuc", "months_worked": worked, **full}])
    with pytest.raises(InputError) as info:
        evalkit.score_frame(df, rules)
    assert [(p.column, p.value, p.message) for p in info.value.problems] == [
        ("months_worked", worked, f"exceeds its maximum {most}")]
    with pytest.raises(InputError, match=f"months_worked.*exceeds its maximum {most}"):
        evalkit.classify_frame(df, pd.DataFrame({"unit_id": ["U"]}), rules)
    with pytest.raises(ModelError, match=f"from 0 to {most}"):
        evalkit.Assessment("A", period, competent_scores=full, months_worked=worked)


def test_negative_months_worked_is_refused_at_every_door() -> None:
    with pytest.raises(InputError, match="is negative"):
        evalkit.score_frame(_customs(-1), CUSTOMS)
    with pytest.raises(ModelError, match="from 0 to 3"):
        evalkit.Assessment("A", "2027-Q1", months_worked=-1)


@pytest.mark.parametrize(("typed", "short"), [("1", True), ("1,5", False), (" 0,5 ", True),
                                              (1, True), (3, False)])
def test_months_worked_typed_as_text_reads_alike_on_frames_and_objects(
    typed: Any, short: bool
) -> None:
    """Audit 12: the text '1' was read by the frames and refused by the objects."""
    full = evalkit.rules.get(CUSTOMS).full_marks()
    staff, _u = evalkit.classify_frame(_customs(typed), pd.DataFrame({"unit_id": ["U"]}), CUSTOMS)
    r = evalkit.score(evalkit.Assessment("A", "2027-Q1", manager_scores=full,
                                         months_worked=typed), rules=CUSTOMS)  # fmt: skip
    frame_short = "rollup.period_short" in str(staff["reasons"].iloc[0])
    object_short = "rollup.period_short" in [x.code for x in r.reasons]
    assert frame_short == object_short == short
    assert (r.total is None) == bool(np.isnan(staff["total"].iloc[0])) == short


def test_months_worked_that_is_not_a_number_is_refused_by_the_objects() -> None:
    with pytest.raises(ModelError, match="months_worked 'abc'"):
        evalkit.Assessment("A", "2027-Q1", months_worked="abc")
    with pytest.raises(ModelError, match="months_worked True"):
        evalkit.Assessment("A", "2027-Q1", months_worked=True)
    with pytest.raises(ScoreError, match="kpi"):
        evalkit.Assessment("A", "2026-03", kpi="abc")


@pytest.mark.parametrize(("typed", "said"), [
    ("1e400", "is not a finite number"), (True, "is a yes/no value, not a number"),
    ("abc", "is not a number")])  # fmt: skip
def test_a_bad_number_is_said_in_one_wording_by_the_workbook_and_the_frames(
    tmp_path: Path, typed: Any, said: str
) -> None:
    """af45 item 5: "1e400" and a yes/no (TRUE) in a number cell: the workbook said "is not
    a number" where the frames say "is not a finite number" and "is a yes/no value, not a
    number"; now the catalogue's one sentence at both, in English and in Vietnamese (the
    workbook's cell reference before it)."""
    from evalkit.messages import located, sentence

    path = filled_workbook(tmp_path / "a.xlsx", [person("CC-1", so_luong=typed)])
    _read, problems = read_workbook(path)
    [cell] = problems
    with pytest.raises(InputError) as err:
        evalkit.score_frame(_frame(so_luong=typed), RULES)
    [frame] = err.value.problems
    assert frame.message == said
    assert sentence(cell, "en").endswith(": " + said), sentence(cell, "en")
    assert sentence(cell, "vi").endswith(": " + located(frame, "vi").rsplit(": ", 1)[1])
