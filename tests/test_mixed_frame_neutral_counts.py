"""A frame mixing categories with no rule set named (công chức under NĐ 335/2025, viên chức
under NĐ 233/2026 from 2026-07) carries the columns of both sets. A 0 typed on a viên chức
row under a count of events only NĐ 335 reads (major quality errors, delays: "0 lỗi") says
nothing happened, as a blank does: every door gives the results of the blank. A non-zero
count, or a 0 under a criterion scored in points or percent, is a score no rule of the row's
set reads and stays refused, with its row, staff, column and value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
import evalkit.rules
from evalkit.io.workbook import SCORES_SHEET
from evalkit.scoring import score_frame
from evalkit.units import classify_frame
from tests._cli_helpers import run
from tests._io_helpers import filled_workbook, header_ids

ND335 = evalkit.rules.get("vn.nd335-2025")
ND233 = evalkit.rules.get("vn.nd233-2026")
PERIOD = "2026-07"  # NĐ 233/2026 for viên chức from 2026-07-01, NĐ 335/2025 for công chức
#: The counts of events NĐ 335 reads and NĐ 233 does not: read from the rule sets' criteria
#: (their unit), not from a list of names, so the test follows the rule files.
COUNTS = tuple(c.id for c in ND335.criteria()
               if c.unit == "count" and c.id not in {x.id for x in ND233.criteria()})  # fmt: skip
#: A criterion scored in points that neither set reads (NĐ 90/2020's chinh_tri): a 0 there
#: is a score.
POINTS = next(c.id for rs in evalkit.rules.available() for c in rs.criteria()
              if c.unit == "points" and c.id not in {x.id for x in ND335.criteria()})  # fmt: skip
#: Each category's set (NĐ 233's general group is its Phụ lục I's: c) has three items, not
#: NĐ 335's four) and the criteria it scores in points or percent, leaders' aside.
SETS = {"cong_chuc": ND335, "vien_chuc": ND233}
SCORED = {cat: tuple(c for c in rs.criteria() if not c.management and c.unit != "count")
          for cat, rs in SETS.items()}  # fmt: skip
RESULTS = ["staff_id", "total", "score_grade", "grade", "reasons"]
UNITS = pd.DataFrame({"unit_id": ["U"], "name": ["Phòng U"]})


def test_the_rule_sets_have_counts_only_one_of_them_reads() -> None:
    assert COUNTS and all(ND335.criterion(c).unit == "count" for c in COUNTS)


def _frame(scores: list[float], counts: list[list[int]], cats: list[str],
           prefix: str = "") -> pd.DataFrame:  # fmt: skip
    """Staff-months of unit U: row i of category ``cats[i]``, every scored criterion at
    ``scores[i]`` of its maximum, the NĐ 335 counts ``counts[i]`` on công chức rows and
    blank (NaN) on viên chức rows, under ``prefix`` (a level's columns)."""
    n = len(cats)
    data: dict[str, Any] = {"staff_id": [f"S{i}" for i in range(n)], "unit_id": ["U"] * n,
                            "period": [PERIOD] * n, "category": cats}  # fmt: skip
    maxima = {cat: {c.id: c.maximum for c in cs} for cat, cs in SCORED.items()}
    for cid in dict.fromkeys(c.id for cs in SCORED.values() for c in cs):
        data[cid] = [round(s * maxima[cat][cid] * 2) / 2 if cid in maxima[cat] else np.nan
                     for s, cat in zip(scores, cats, strict=True)]  # fmt: skip
    for k, cid in enumerate(COUNTS):
        data[prefix + cid] = [float(counts[i][k]) if cats[i] == "cong_chuc" else np.nan
                              for i in range(n)]  # fmt: skip
    return pd.DataFrame(data)


def _zeros(frame: pd.DataFrame, rep: str, columns: list[str]) -> pd.DataFrame:
    """``frame`` with the blanks of ``columns`` on viên chức rows written as 0 in ``rep``."""
    out = frame.copy()
    vc = (out["category"] == "vien_chuc").to_numpy()
    for c in columns:
        col = out[c]
        if rep == "int64":
            out[c] = col.fillna(0).astype("int64")
        elif rep == "float64":
            out[c] = col.fillna(0.0)
        elif rep == "Int64":
            out[c] = col.astype("Int64").fillna(0)
        elif rep == "Float64":
            out[c] = col.astype("Float64").fillna(0)
        else:  # text, as a CSV of text cells or a person types it: "0", " 0 ", "0,0"
            zero = {"text": "0", "str": "0", "padded": " 0 ", "comma": "0,0"}[rep]
            vals = [zero if v else (None if pd.isna(x) else str(int(x)))
                    for v, x in zip(vc, col, strict=True)]  # fmt: skip
            out[c] = pd.Series(vals, dtype="str" if rep == "str" else object, index=out.index)
    return out


REPS = ["int64", "float64", "Int64", "Float64", "text", "str", "padded", "comma"]


@st.composite
def mixed_months(draw: st.DrawFn) -> pd.DataFrame:
    """A mixed month: at least one công chức and one viên chức row."""
    cats = ["cong_chuc", "vien_chuc", *draw(st.lists(st.sampled_from(
        ["cong_chuc", "vien_chuc"]), max_size=4))]  # fmt: skip
    cats = draw(st.permutations(cats))
    n = len(cats)
    scores = draw(st.lists(st.sampled_from([0.5, 0.8, 0.9, 1.0]), min_size=n, max_size=n))
    counts = draw(st.lists(st.lists(st.integers(0, 3), min_size=len(COUNTS),
                                    max_size=len(COUNTS)), min_size=n, max_size=n))  # fmt: skip
    prefix = draw(st.sampled_from(["", "manager__", "competent__"]))
    return _frame(scores, counts, cats, prefix)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    cols = [c for c in RESULTS if c in a.columns]
    pd.testing.assert_frame_equal(a[cols].reset_index(drop=True), b[cols].reset_index(drop=True))


@given(frame=mixed_months(), rep=st.sampled_from(REPS))
def test_a_zero_count_of_another_set_is_a_blank_property(frame: pd.DataFrame, rep: str) -> None:
    """For any mixed month, the blanks under the other set's counts written as 0 (int,
    float, nullable, text) give the results of the blanks, through score_frame and
    classify_frame."""
    columns = [c for c in frame.columns if any(c.endswith(k) for k in COUNTS)]
    zeros = _zeros(frame, rep, columns)
    _same(score_frame(frame), score_frame(zeros))
    (staff, units), (staff0, units0) = (classify_frame(f, UNITS) for f in (frame, zeros))
    _same(staff, staff0)
    pd.testing.assert_frame_equal(units, units0)


def test_zero_counts_on_vien_chuc_rows_score_as_blanks() -> None:
    frame = _frame([1.0, 0.8, 1.0], [[1, 0], [0, 0], [0, 0]],
                   ["cong_chuc", "vien_chuc", "vien_chuc"])  # fmt: skip
    zeros = _zeros(frame, "int64", list(COUNTS))
    got = score_frame(zeros)
    _same(score_frame(frame), got)
    # the công chức row keeps its deduction: one major error is 25 points of b (Điều 14 k2 b)
    assert got["total"].iloc[0] < got["total"].iloc[2]
    assert list(got["rule_set"]) == [ND335.id, ND233.id, ND233.id]


@pytest.mark.parametrize("value", [2, 0.5, "1", 3.0])
def test_a_count_of_events_on_a_row_whose_set_does_not_read_it_is_refused(value: Any) -> None:
    frame = _zeros(_frame([1.0, 1.0], [[0, 0], [0, 0]], ["cong_chuc", "vien_chuc"]),
                   "int64", list(COUNTS)).astype({COUNTS[0]: object})  # fmt: skip
    frame.loc[1, COUNTS[0]] = value
    for door in (score_frame, lambda f: classify_frame(f, UNITS)):
        with pytest.raises(evalkit.InputError) as exc:
            door(frame)
        [p] = exc.value.problems
        assert (p.row, p.staff_id, p.column, p.value) == (1, "S1", COUNTS[0], value)
        assert f"unknown criterion {COUNTS[0]!r} for rule set {ND233.id!r}" in str(p.message)


@pytest.mark.parametrize("value", [0, 0.0, "0"])
def test_a_zero_under_a_points_criterion_no_set_of_the_row_reads_is_refused(value: Any) -> None:
    frame = _frame([1.0, 1.0], [[0, 0], [0, 0]], ["cong_chuc", "vien_chuc"])
    frame[POINTS] = pd.Series([None, value], dtype=object)
    with pytest.raises(evalkit.InputError) as exc:
        score_frame(frame)
    [p] = exc.value.problems
    assert (p.row, p.staff_id, p.column, p.value) == (1, "S1", POINTS, value)
    assert "unknown criterion" in str(p.message)


# =========================================================================== the CLI


def _workbooks(tmp: Path, zero: object) -> tuple[Path, Path]:
    """The công chức workbook and the viên chức one (its own NĐ 233 template), the viên
    chức one with the NĐ 335 count columns added by hand, holding ``zero``."""
    general = {cat: {c.id: c.maximum for c in cs if c.group != "tasks"}
               for cat, cs in SCORED.items()}  # fmt: skip
    tasks = {c.id: 100 for c in SCORED["vien_chuc"] if c.group == "tasks"}
    units = [{"unit_id": "U", "name": "Phòng U", "tasks_assigned": 10, "tasks_done": 9}]
    cc = filled_workbook(tmp / "cc.xlsx", [
        {"staff_id": "C1", "full_name": "Người C1", "position_id": "CV", "unit_id": "U",
         "category": "cong_chuc", **general["cong_chuc"], **tasks, "loi_chat_luong": 1}],
        period=PERIOD, units=units)  # fmt: skip
    vc = filled_workbook(tmp / "vc.xlsx", [
        {"staff_id": f"V{i}", "full_name": f"Người V{i}", "position_id": "CV",
         "unit_id": "U", "category": "vien_chuc", **general["vien_chuc"], **tasks}
        for i in (1, 2)],
        period=PERIOD, rules=ND233.id, units=units)  # fmt: skip
    if zero is not None:
        wb = openpyxl.load_workbook(vc)
        ws = wb[SCORES_SHEET]
        at = len(header_ids(ws)) + 1
        for k, cid in enumerate(COUNTS):
            ws.cell(1, at + k, f"{ND335.criterion(cid).label_vi} [competent__{cid}]")
            for r in (2, 3):
                ws.cell(r, at + k, zero)
        wb.save(vc)
    return cc, vc


def _classify(cc: Path, vc: Path) -> tuple[int, Any]:
    code, out, err = run("--lang", "en", "classify", str(cc), str(vc), "--json")
    assert out.strip(), err
    return code, json.loads(out)


def test_the_cli_reads_zero_counts_of_the_other_set_as_blanks(tmp_path: Path) -> None:
    (tmp_path / "blank").mkdir()
    (tmp_path / "zero").mkdir()
    code, blank = _classify(*_workbooks(tmp_path / "blank", None))
    assert code == 0 and len(blank["results"]["data"]["rows"]) == 3, blank
    for zero in (0, "0", " 0 ", 0.0):
        code, zeros = _classify(*_workbooks(tmp_path / "zero", zero))
        assert code == 0, zeros
        assert zeros["results"] == blank["results"]


def test_the_cli_refuses_a_count_of_the_other_set(tmp_path: Path) -> None:
    cc, vc = _workbooks(tmp_path, 2)
    code, out = _classify(cc, vc)
    assert code == 1
    got = sorted((p["file"], p["row"], p["staff_id"], p["value"], p["code"])
                 for p in out["problems"])  # fmt: skip
    assert got == sorted((str(vc), r, f"V{r - 1}", 2, "problem.stray_foreign")
                         for r in (2, 3) for _ in COUNTS)  # fmt: skip
    for c in COUNTS:  # each cell under its header, naming the file's own set
        assert sum(f"competent__{c}]" in p["message"] and ND233.id in p["message"]
                   for p in out["problems"]) == 2  # fmt: skip


# =========================================================================== the archive


def test_a_mixed_month_with_zero_counts_is_finalized_and_amended(tmp_path: Path) -> None:
    """The archive re-derives the month through the same check: the viên chức rows' 0
    counts are kept as typed and read as blanks; an amendment of such a count to 0 changes
    nothing and is answered as any amendment that changes nothing (af89); any other count
    is refused as a field the row's rule set does not have."""
    from evalkit.io.archive import Archive

    frame = _zeros(_frame([1.0, 1.0, 0.9], [[1, 0], [0, 0], [0, 0]],
                          ["cong_chuc", "vien_chuc", "vien_chuc"]), "int64", list(COUNTS))
    out, units = classify_frame(frame, UNITS)
    results = pd.concat([frame, out[[c for c in out.columns if c not in frame.columns]]],
                        axis=1)  # the inputs and the engine's columns, as `classify` keeps
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(results, by="TCCB", units=units, unit_inputs=UNITS)
        stored = arc.month(PERIOD).set_index("staff_id")
        assert stored.loc["S1", COUNTS[0]] == 0  # kept as typed
        done = arc.amend(PERIOD, "S1", {"discipline": 1}, by="GĐ", why="kỷ luật")
        assert {r.staff_id: r.new.get("grade") for r in done.rows}["S1"] == "KHT"
        for value in (0, 2):
            with pytest.raises(evalkit.InputError) as exc:
                arc.amend(PERIOD, "S1", {COUNTS[0]: value}, by="GĐ", why="sửa")
            [p] = exc.value.problems
            assert (p.column, p.value) == (COUNTS[0], value)
            if value == 0:
                assert "changes nothing" in str(p.message), p.message
                continue
            assert p.staff_id == "S1"
            assert "cannot be amended" in str(p.message) and ND233.id in str(p.message)


# =========================================================================== the objects


def test_the_object_doors_read_a_zero_count_of_another_set_as_absent() -> None:
    """``evalkit.score`` and ``classify_unit`` (objects → frames → engine) agree with the
    frames: a viên chức's assessment carrying NĐ 335's counts at 0 gives the result of the
    assessment without them; a count of 2 is still an unknown criterion of NĐ 233."""
    from evalkit.units import classify_unit

    full = ND233.full_marks()  # the công chức: NĐ 335's (its c) has four items)
    org = evalkit.Organisation(
        units=[evalkit.Unit("U", "Phòng U")], positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff("C1", "Người C1", "CV", "U", category="cong_chuc"),
               evalkit.Staff("V1", "Người V1", "CV", "U", category="vien_chuc")])  # fmt: skip

    def month(counts: dict[str, float]) -> list[evalkit.Assessment]:
        return [evalkit.Assessment("C1", PERIOD, competent_scores={**ND335.full_marks(),
                                                                   COUNTS[0]: 1}),
                evalkit.Assessment("V1", PERIOD, competent_scores={**full, **counts})]

    unit = [evalkit.UnitInputs("U", PERIOD, tasks_assigned=10, tasks_done=10)]
    blank, zeros = month({}), month(dict.fromkeys(COUNTS, 0))
    assert evalkit.score(zeros[1], category="vien_chuc") == evalkit.score(
        blank[1], category="vien_chuc")
    got, want = (classify_unit(org, "U", m, unit) for m in (zeros, blank))
    assert got == want and [r.staff_id for r in got.staff] == ["C1", "V1"]
    with pytest.raises(evalkit.UnknownReferenceError, match=f"unknown criterion {COUNTS[0]!r}"):
        evalkit.score(month({COUNTS[0]: 2})[1], category="vien_chuc")
