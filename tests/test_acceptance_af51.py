"""A new user at every door (issue 13, "One engine, one answer"): what one door refused or
listed and another let through or listed differently.

- A proposed grade typed as no grade (``self_grade`` / ``manager_grade`` ``'XS'``) is
  refused by the workbook (``evalkit validate`` names its cell) and by ``Assessment``; the
  frames took it silently, and a bad ``competent_grade`` was only reported once every
  other problem was fixed: every bad cell must be listed at once, at every frame door.
- ``classify_frame`` listed a bad ``discipline`` twice.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.errors import InputError

RS = evalkit.rules.get("vn.nd335-2025")
PERIOD = "2026-03"
DTYPES = [None, "category", "string[pyarrow]", "str"]


def _frame(dtype: str | None = None, **bad: Any) -> pd.DataFrame:
    """Three công chức of unit U (S0 its head, with đ and e), S1 carrying ``bad``."""
    rows = [{"staff_id": f"S{i}", "unit_id": "U", "period": PERIOD, "category": "cong_chuc",
             **RS.full_marks(), "self_grade": "HTXS", "manager_grade": "HTT",
             "competent_grade": None, "competent_reason": None}
            for i in range(3)]  # fmt: skip
    rows[0].update(manages_others=True, ket_qua_linh_vuc=100,
                   to_chuc_trien_khai=100, tap_hop_doan_ket=100)  # the head: d, đ, e
    rows[1].update(bad)
    frame = pd.DataFrame(rows)
    if dtype is not None:
        for col in bad:
            frame[col] = frame[col].astype(object).astype(dtype)
    return frame


UNITS = pd.DataFrame({"unit_id": ["U"], "head_id": ["S0"]})


def _problems(door: str, frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    call = evalkit.score_frame if door == "score_frame" else (
        lambda f: evalkit.classify_frame(f, UNITS))
    with pytest.raises(InputError) as info:
        call(frame)
    return [(p.row, p.column, str(p.value)) for p in info.value.problems]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("door", ["score_frame", "classify_frame"])
@pytest.mark.parametrize("column", ["self_grade", "manager_grade", "competent_grade"])
def test_a_grade_that_is_no_grade_is_listed_with_every_other_problem(
    door: str, column: str, dtype: str | None
) -> None:
    frame = _frame(dtype, **{column: "XS", "so_luong": "chín mươi"})
    found = _problems(door, frame)
    assert (1, column, "XS") in found, found
    assert (1, "so_luong", "chín mươi") in found, found
    assert len(found) == len(set(found)), found  # each problem once


@pytest.mark.parametrize("column", ["self_grade", "manager_grade"])
def test_a_proposed_grade_that_is_no_grade_is_refused_alone_as_the_object_door_refuses_it(
    column: str,
) -> None:
    # a word is kept by the Assessment and read by the rule set it is scored under (af66:
    # Hà Nội's "Loại B" is a grade of its set only): "XS" is no grade of NĐ 335, refused then
    a = evalkit.Assessment("S1", PERIOD, competent_scores=RS.full_marks(),
                           **{"proposed_grade" if column == "self_grade" else column: "XS"})
    with pytest.raises(evalkit.EvalkitError, match="'XS'"):
        evalkit.score(a, rules=RS, category="cong_chuc")
    for door in ("score_frame", "classify_frame"):
        assert _problems(door, _frame(**{column: "XS"})) == [(1, column, "XS")]


@pytest.mark.parametrize("dtype", DTYPES)
def test_proposed_grades_the_frames_accept_are_those_the_workbook_accepts(
    dtype: str | None,
) -> None:
    frame = _frame(dtype, self_grade="Hoàn thành tốt nhiệm vụ", manager_grade="htxs")
    staff, _ = evalkit.classify_frame(frame, UNITS)
    assert staff["grade"].astype(str).tolist() == ["HTXS"] * 3
    assert len(evalkit.score_frame(frame)) == 3


def test_classify_frame_lists_a_bad_discipline_once() -> None:
    found = _problems("classify_frame", _frame(discipline="nặng"))
    assert found.count((1, "discipline", "nặng")) == 1, found


# --------------------------------------------------------------------------- a results file
# `evalkit classify --out ket-qua.xlsx` (or .csv) writes results for people to read; given
# back to `render`, `finalize`, `classify` or `validate` it was read as a month's input:
# "the workbook has no sheet 'Nhân sự - Điểm' … names no rule set; pass --rules" (passing
# --rules does not help), or some 300 problems for a CSV. One problem says what it is.


@pytest.fixture(scope="module")
def results_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tests._cli_helpers import ok
    from tests._io_helpers import HEAD, filled_workbook, person

    d = tmp_path_factory.mktemp("results")
    book = filled_workbook(d / "thang-03.xlsx", [person("H", **HEAD), person("A")],
                           units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": "H"}])
    out = {"book": book}
    for ext in ("xlsx", "csv"):
        out[ext] = d / f"ket-qua.{ext}"
        ok("classify", str(book), "--out", str(out[ext]))
    return out


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
@pytest.mark.parametrize("command", ["validate", "classify", "render", "finalize"])
def test_a_results_file_given_as_input_is_named_for_what_it_is(
    results_files: dict[str, Any], tmp_path: Any, ext: str, command: str
) -> None:
    from tests._cli_helpers import run

    extra = {"render": ["--out", str(tmp_path / "pdf")],
             "finalize": ["--archive", str(tmp_path / "a.sqlite"), "--by", "TCCB"]}
    for lang, words in (("en", "results file"), ("vi", "tệp kết quả")):
        code, out, err = run("--lang", lang, command, str(results_files[ext]),
                             *extra.get(command, []))
        text = out + err
        assert code == 1, text
        lines = [ln for ln in text.splitlines() if ln.strip().startswith("- ")]
        assert len(lines) == 1, text  # one problem, not one per column
        assert words in lines[0] and ".json" in lines[0], text
        assert "--rules" not in text, text


# --------------------------------------------------------------------------- the year's door
# rollup_frame (and classify_year through it) raised at the first kind of problem: a total
# that is no number hid a total above 100, which hid a months_worked above the month's 1,
# which hid a leave that is no leave … each found only once the one before was fixed.


@pytest.mark.parametrize("door", ["rollup_frame", "classify_year"])
def test_the_years_door_lists_every_bad_cell_of_the_months_at_once(door: str) -> None:
    from evalkit.units import classify_year, rollup_frame

    months = pd.concat([_frame().assign(period=f"2026-{m:02d}") for m in (1, 2, 3)],
                       ignore_index=True)
    staff, units = evalkit.classify_frame(months, UNITS)
    staff = staff.assign(leave=None, months_worked=None).astype({"total": object})
    staff.loc[1, "total"] = "abc"
    staff.loc[4, "total"] = 150
    staff.loc[5, "months_worked"] = 5
    staff.loc[7, "leave"] = "phép"
    call = rollup_frame if door == "rollup_frame" else (lambda f: classify_year(f, units))
    with pytest.raises(InputError) as info:
        call(staff)
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(1, "total"), (4, "total"), (5, "months_worked"), (7, "leave")}, found
