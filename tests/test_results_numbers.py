"""A number typed as text is read the same at every reading door (audit af41): a results
JSON read back (``read_results``, so ``render``, ``finalize``, ``annual`` ...), the archive's
checks of a results frame (:func:`evalkit.io.archive.check_results`) and
:func:`evalkit.rank_units` read ``"85,5"``, ``"91"``, ``" 85.5 "`` and a blank as a frame
does (:func:`evalkit._columns.numbers`) and refuse ``"abc"``, ``"1e400"``, ``"nan"`` and a
yes/no alike, each problem naming file, row, column and value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit
from evalkit import _columns
from evalkit.errors import InputError
from evalkit.io.archive import Archive, _numeric, check_results
from evalkit.io.results import read_results
from tests.test_archive_checks import _doc, run_finalize

_COMMA = {"total": "86,0", "points_tasks": " 56,0 ", "points_general": "30"}


def _texts(doc: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with record 3's ``fields`` replaced (as typed)."""
    doc["data"]["rows"][2].update(fields)
    return doc


def test_a_total_typed_with_a_decimal_comma_is_read_back_as_its_number(tmp_path: Path) -> None:
    """Record 3 (staff B: total 86, points 30 and 56) with its numbers typed as text reads
    back as the same numbers; before, the JSON reader refused "86,0" while every other
    door reads it as 86."""
    plain = tmp_path / "so.json"
    _doc(plain)
    typed = tmp_path / "chu.json"
    typed.write_text(json.dumps(_texts(_doc(typed), _COMMA)))
    got = read_results(typed)
    assert got.loc[2, ["total", "points_general", "points_tasks"]].tolist() == [86.0, 30.0, 56.0]
    want = read_results(plain)
    for col in ("total", "points_general", "points_tasks"):
        assert got[col].dtype == np.float64
        assert got[col].tolist() == want[col].tolist()


def test_finalize_archives_a_total_typed_as_text_as_its_number(tmp_path: Path) -> None:
    """`evalkit finalize` of the results with text numbers archives what the numbers
    archive."""
    totals = []
    for name, fields in (("so", {}), ("chu", _COMMA)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(_texts(_doc(path), fields)))
        assert run_finalize(path, tmp_path / f"{name}.sqlite") == (0, "")
        with Archive(tmp_path / f"{name}.sqlite") as arc:
            month = arc.month("2026-03")
            totals.append(month.set_index("staff_id")["total"].astype(float).to_dict())
    assert totals[0] == totals[1]
    assert totals[1]["B"] == 86.0


def test_the_json_reader_lists_every_number_problem_with_its_place(tmp_path: Path) -> None:
    """Every problem in one error, each with file, record, column and value: a total that
    is no number, one that overflows, a yes/no for points, a grade that is no grade."""
    path = tmp_path / "ket-qua.json"
    doc = _doc(path)
    rows = doc["data"]["rows"]
    rows[0]["total"] = "abc"
    rows[1]["total"] = "1e400"
    rows[2]["points_tasks"] = True
    rows[3]["grade"] = "XYZ"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError) as err:
        read_results(path)
    got = {(p.file, p.row, p.column, p.value, p.message) for p in err.value.problems}
    assert got == {
        (str(path), 1, "total", "abc", "is not a number"),
        (str(path), 2, "total", "1e400", "is not a finite number"),
        (str(path), 3, "points_tasks", True, "is a yes/no value, not a number"),
        (str(path), 4, "grade", "XYZ", "is not a grade: write HTXS, HTT, HT, KHT, its full "
                                       "name or a number from 0 (KHT) to 3 (HTXS)"),
    }


@pytest.mark.parametrize("value", ["1e400", "-1e400", 10**400], ids=["text", "minus", "int"])
def test_a_number_past_floats_range_is_not_a_finite_number(value: Any) -> None:
    """Text that overflows a float ("1e400") was read as an infinity and let through by
    a frame without a maximum (``rank_units`` ranked it first); an integer of hundreds of
    digits crashed the reader. Both are refused as not finite."""
    df = pd.DataFrame({"x": pd.Series([value], dtype=object)})
    found = _columns.Problems(df)
    assert np.isnan(_columns.numbers(df, "x", found)[0])
    assert [(p.row, p.column, p.message) for p in found.problems] == [
        (0, "x", "is not a finite number")]
    units = pd.DataFrame({"unit_id": ["A", "B"], "period": "2026-03",
                          "score": pd.Series([value, 90.0], dtype=object)})  # fmt: skip
    with pytest.raises(InputError) as err:
        evalkit.rank_units(units)
    assert [(p.column, p.message) for p in err.value.problems] == [
        ("score", "is not a finite number")]


# ------------------------------------------------- one value, three doors, one reading

_GOOD = st.integers(0, 10000).map(lambda c: c / 100)


def _forms(x: float) -> list[Any]:
    text = f"{x:g}"
    return [x, text, text.replace(".", ","), f" {text.replace('.', ',')} "]


_TYPED = st.one_of(
    _GOOD.flatmap(lambda x: st.sampled_from(_forms(x))),
    st.sampled_from(["", "  ", None, "abc", "1e400", "nan", "inf", "1.234,5", "1,000",
                     True, False, 10**400, "85%", "8e1"]),
)


def _json_door(value: Any, tmp: Path) -> float | None:
    doc = {"schema": "evalkit/1", "kind": "results",
           "data": {"rule_set": "vn.nd335-2025", "period": "2026-03",
                    "rows": [{"row": 2, "staff_id": "A", "period": "2026-03",
                              "total": value, "grade": None}]}}  # fmt: skip
    path = tmp / "r.json"
    path.write_text(json.dumps(doc))
    try:
        return float(read_results(path)["total"].iloc[0])
    except InputError as exc:
        refused = exc.problems
    assert [(p.row, p.column) for p in refused] == [(1, "total")]
    return None


def _archive_door(value: Any) -> float | None:
    frame = pd.DataFrame({"staff_id": ["A"], "period": "2026-03", "rule_set": "vn.nd335-2025",
                          "total": pd.Series([value], dtype=object), "grade": [None]})
    problems = check_results(frame)
    if problems:
        assert [p.column for p in problems] == ["total"]
        return None
    values, _bad = _numeric(frame["total"])
    return float(values[0])


def _ranking_door(value: Any) -> float | None:
    units = pd.DataFrame({"unit_id": ["A"], "period": "2026-03",
                          "score": pd.Series([value], dtype=object)})
    try:
        return float(evalkit.rank_units(units, decimals=6)["points"].iloc[0])
    except InputError as exc:
        refused = exc.problems
    assert [p.column for p in refused] == ["score"]
    return None


@settings(max_examples=60, deadline=None)
@given(value=_TYPED)
def test_a_total_in_any_form_is_read_alike_by_the_json_the_archive_and_the_ranking(
    tmp_path_factory: pytest.TempPathFactory, value: Any
) -> None:
    """The same total typed as a number, as text with a point or a comma, with spaces,
    blank, or not a number at all: the results JSON, the archive's checks and the ranking
    give the same number (NaN for a blank) or all refuse it."""
    tmp = tmp_path_factory.mktemp("doors")
    got = [_json_door(value, tmp), _archive_door(value), _ranking_door(value)]
    refused = [g is None for g in got]
    assert len(set(refused)) == 1, (value, got)
    if not refused[0]:
        a, b, c = (float(g) for g in got if g is not None)
        assert (np.isnan(a) and np.isnan(b) and np.isnan(c)) or (
            a == b == pytest.approx(c)), (value, got)
        if isinstance(value, float):  # a number in its text forms reads as the number
            assert a == value


# ------------------------------------------------------------- evalkit's JSON objects


def _object_or_refusal(make: Any) -> Any:
    try:
        return make()
    except (InputError, evalkit.errors.EvalkitError, ValueError):
        return "refused"


@pytest.mark.parametrize(("field", "value"), [
    ("kpi", "85,5"), ("kpi", " 85.5 "), ("kpi", "90%"), ("kpi", ""), ("kpi", "abc"),
    ("kpi", True), ("kpi", "1e400"), ("months_worked", "1"), ("months_worked", "0,5"),
    ("months_worked", "50%"), ("months_worked", True),
])  # fmt: skip
def test_an_assessment_document_reads_its_numbers_as_the_object_does(
    field: str, value: Any
) -> None:
    """An Assessment read from JSON (``read_json``) takes ``"85,5"`` for its kpi as the
    object does (and refuses what it refuses); before, JSON refused every text number."""
    from evalkit.io.jsonio import from_dict, to_dict

    base = {"staff_id": "CC-1", "period": "2026-03", "competent_scores": {"so_luong": 80}}
    doc = {**to_dict(evalkit.Assessment(**base)), field: value}
    from_json = _object_or_refusal(lambda: getattr(from_dict(doc, evalkit.Assessment), field))
    made = _object_or_refusal(
        lambda: getattr(evalkit.Assessment(**base, **{field: value}), field))
    assert from_json == made
    if value in ("85,5", " 85.5 ", "0,5"):
        assert from_json == float(str(value).strip().replace(",", "."))


@pytest.mark.parametrize(("value", "want"), [
    ("85,5", 85.5), (" 85.5 ", 85.5), (85.5, 85.5), ("abc", "is not a number"),
    (True, "is a yes/no value, not a number"), ("1e400", "is not a finite number"),
    pytest.param(10**400, "is not a finite number", id="10**400"),
    ("", "is blank; a number is required"),
])  # fmt: skip
def test_a_result_documents_total_is_read_as_every_door_reads_a_number(
    value: Any, want: Any
) -> None:
    """An EvaluationResult read back from JSON: its total as the frames read it, every
    refusal naming the field's path and the value."""
    from evalkit.io.jsonio import from_dict, to_dict
    from tests._io_helpers import GENERAL, TASKS

    a = evalkit.Assessment("CC-1", "2026-03", competent_scores={**GENERAL, **TASKS})
    doc = {**to_dict(evalkit.score(a, rules="vn.nd335-2025")), "total": value}
    if isinstance(want, float):
        assert from_dict(doc, evalkit.EvaluationResult).total == want
        return
    with pytest.raises(InputError) as err:
        from_dict(doc, evalkit.EvaluationResult, source="r.json")
    assert [(p.file, p.column, p.message) for p in err.value.problems] == [
        ("r.json", "total", f"cannot read EvaluationResult at $.total: {value!r} {want}")]


@pytest.mark.parametrize("value", ["1", 1.0, "2,0", " 3 ", "", None, 1.5, True, "abc", 0, -1,
                                   "1e400"])
def test_the_competent_order_is_read_and_refused_alike_by_objects_json_and_frames(
    value: Any
) -> None:
    """``competent_order`` (the quota's tie-break) as a frame reads it: "2,0" is 2, a
    blank none; 1.5, 0, a yes/no, "abc" refused. Before, an Assessment kept any value (and
    ``evalkit.score`` scored it) and its JSON refused "1" and 1.0, which a frame reads."""
    from evalkit.io.jsonio import from_dict, to_dict
    from tests._io_helpers import GENERAL, TASKS

    frame = pd.DataFrame([{"staff_id": "CC-1", "unit_id": "P1", "period": "2026-03",
                           "category": "cong_chuc", **GENERAL, **TASKS,
                           "competent_order": value}])  # fmt: skip
    found = _columns.Problems(frame)
    read = _columns.numbers(frame, "competent_order", found, minimum=1, integer=True)[0]
    want = "refused" if found.problems else (None if np.isnan(read) else int(read))
    base = {"staff_id": "CC-1", "period": "2026-03", "competent_scores": {**GENERAL, **TASKS}}
    made = _object_or_refusal(lambda: evalkit.Assessment(**base, competent_order=value))
    doc = {**to_dict(evalkit.Assessment(**base)), "competent_order": value}
    from_json = _object_or_refusal(lambda: from_dict(doc, evalkit.Assessment))
    for got in (made, from_json):
        assert (got if got == "refused" else got.competent_order) == want, (got, want)


def test_a_json_problem_names_its_column_as_the_other_doors_do(tmp_path: Path) -> None:
    """af45 item 3: a bad total names the column ``total`` at the object's JSON door, as
    the results reader and a frame name it (before: ``$.total``); the path is said in the
    sentence, in English and in Vietnamese."""
    from evalkit.io.jsonio import from_dict, to_dict
    from evalkit.messages import located
    from tests._io_helpers import GENERAL, TASKS

    a = evalkit.Assessment("CC-1", "2026-03", competent_scores={**GENERAL, **TASKS})
    doc = {**to_dict(evalkit.score(a, rules="vn.nd335-2025")), "total": "abc"}
    with pytest.raises(InputError) as err:
        from_dict(doc, evalkit.EvaluationResult, source="r.json")
    (obj,) = err.value.problems
    path = tmp_path / "ket-qua.json"
    rdoc = _doc(path)
    rdoc["data"]["rows"][0]["total"] = "abc"
    path.write_text(json.dumps(rdoc))
    with pytest.raises(InputError) as err2:
        read_results(path)
    frame = pd.DataFrame({"staff_id": ["CC-1"], "total": ["abc"]})
    found = _columns.Problems(frame)
    _columns.numbers(frame, "total", found)
    assert obj.column == err2.value.problems[0].column == found.problems[0].column == "total"
    assert "$.total" in obj.message
    assert "tại $.total" in located(obj, "vi")
