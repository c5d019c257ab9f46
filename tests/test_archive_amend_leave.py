"""Task af113 items 1 and 2: ``amend`` corrects a month's leave, and reads a blank flag as
the workbook reads a blank cell.

The organisation and the months are those of tests/test_hunt_af112.py (its module
docstring works the year out by hand): every person's months are alike, C5 was sick in
February (no scores). By hand:

* C1's May typed 20 % in error (30 + 0.7 × 20 = 44, the year (11 × 100 + 44) / 12 =
  95.33), then found to be a sick month: the month has no score and is left out of the
  year (NĐ 335/2025 Điều 21), so C1's year is 11 months of 100 = 100, band HTXS; P's
  công chức HTT are H, C3–C6 = 5 → 20 % × 5 = 1 HTXS (NĐ 335 Điều 20 k5 a): C1 keeps it,
  C2 is demoted — the year of the module docstring (``YEAR``). H's May: C1 on leave is
  not counted for (d) (Điều 15 k3), so H's May is 100 again.
* C5's February was recorded as sick in error: with the leave cleared and the month's
  scores given (tasks 100 %: 30 + 70 = 100), C5's year is (11 × 79 + 100) / 12 = 80.75,
  HTT, 12 months, no leave month.
* V3's August (NĐ 233/2026) put on maternity leave (NĐ 90/2020 Điều 2 k3, NĐ 233 Điều
  14): one maternity month, 11 months counted, still 79.

Blank flags (workbook column headers, evalkit/io/workbook.py ``_FACTS``): a blank
discipline is none (0), a blank ``degradation`` / ``corruption_in_unit`` no, a blank
``discipline_related_to_duty`` yes ("để trống = có"), a blank count of events 0.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.errors import InputError
from evalkit.io.archive import Archive
from evalkit.messages import LEAVE_VI
from tests._archive_helpers import ND335, classified, dump
from tests._cli_helpers import ok, run
from tests.test_hunt_af112 import (
    MONTHS,
    TASKS,
    YEAR,
    _assessment,
    _grades,
    _month_inputs,
    assert_the_archives_year,
    objects_year,
)

SCORES = list(ND335.required_inputs(False))


@pytest.fixture(scope="module")
def hunt_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The twelve months of tests/test_hunt_af112.py, finalized with their unit inputs."""
    path = tmp_path_factory.mktemp("af113") / "luu-tru.sqlite"
    with Archive(path) as arc:
        for m in MONTHS:
            staff, units = _month_inputs(m)
            out, unit_results = evalkit.classify_frame(staff, units)
            results = pd.concat([staff, out[[c for c in out if c not in staff]]], axis=1)
            arc.finalize(results, by="TCCB", units=unit_results, unit_inputs=units)
    return path


@pytest.fixture
def arc_path(hunt_archive: Path, tmp_path: Path) -> Path:
    out = tmp_path / "luu-tru.sqlite"
    shutil.copy(hunt_archive, out)
    return out


def _full(task: float) -> dict[str, str]:
    """Every NĐ 335 score of a month worked, typed as text: general criteria full, tasks
    at ``task`` %."""
    marks = ND335.full_marks()
    return {c: (f"{task:g}" if c in TASKS else f"{marks[c]:g}") for c in SCORES}


def _cleared() -> dict[str, str]:
    return dict.fromkeys(SCORES, "")


def _amend(path: Path, per: str, sid: str, changes: dict[str, Any]) -> Any:
    with Archive(path) as arc:
        return arc.amend(per, sid, changes, by="TCCB", why="Sửa theo hồ sơ nghỉ")


def _refused(path: Path, per: str, sid: str, changes: dict[str, Any]) -> list[Any]:
    before = dump(path)
    with Archive(path) as arc, pytest.raises(InputError) as exc:
        arc.amend(per, sid, changes, by="TCCB", why="Sửa")
    assert dump(path) == before  # nothing recorded
    for p in exc.value.problems:
        assert (p.file, p.staff_id) == (str(path), sid)
    return list(exc.value.problems)


# ============================================================ a month put on leave


def test_a_month_wrongly_scored_is_put_on_leave_and_left_out_of_the_year(arc_path: Path) -> None:
    """C1's May: first amended to 44 (the year 95.33), then put on sick leave with its
    scores cleared in the same amendment: the month has no total, the year is the hand
    year of 11 months, H's May (d) re-derived."""
    _amend(arc_path, "2026-05", "C1", dict.fromkeys(TASKS, "20"))
    with Archive(arc_path) as arc:  # 95.33 still ranks first of P's one HTXS (C2: 93)
        assert _grades(arc.annual(2026))["C1"] == ("HTXS", 95.33)
    a = _amend(arc_path, "2026-05", "C1", {"leave": "ốm", **_cleared()})
    assert a.new == {"leave": "sick", **dict.fromkeys(SCORES, None)}
    assert a.previous["leave"] == "" and a.previous["so_luong"] == 20.0
    with Archive(arc_path) as arc:
        may = arc.month("2026-05").set_index("staff_id")
        year = arc.annual(2026).set_index("staff_id")
        (_first, second) = arc.history("2026-05", "C1")
        assert arc.verify().ok
    assert may.loc["C1", "leave"] == "sick" and pd.isna(may.loc["C1", "total"])
    assert pd.isna(may.loc["C1", "grade"])
    assert may.loc["H", "total"] == 100.0  # (d): C1 on leave is not counted
    got = {s: (str(year.loc[s, "annual_grade"]), round(float(year.loc[s, "annual_total"]), 2))
           for s in year.index}  # fmt: skip
    assert got == YEAR
    assert (int(year.loc["C1", "months"]), int(year.loc["C1", "leave_months"])) == (11, 1)
    # the history keeps the values before and after
    assert second.previous["so_luong"] == 20.0 and second.new["so_luong"] is None
    assert (second.previous["leave"], second.new["leave"]) == ("", "sick")
    row = next(r for r in second.rows if r.staff_id == "C1")
    assert row.previous["total"] == 44.0 and row.new["total"] is None


def test_the_archive_and_the_objects_agree_on_a_month_put_on_leave(arc_path: Path) -> None:
    """One engine: the objects' year with C1's May an ``Assessment(leave="sick")`` is the
    amended archive's year (totals, grades, reason sentences)."""
    _amend(arc_path, "2026-05", "C1", {"leave": "Nghỉ ốm", **_cleared()})

    def assess(sid: str, m: int) -> evalkit.Assessment:
        if (sid, m) == ("C1", 5):
            return evalkit.Assessment(sid, "2026-05", leave="sick")
        return _assessment(sid, m)

    assert_the_archives_year(objects_year(assess), arc_path, YEAR)


def test_a_month_wrongly_recorded_as_leave_is_scored(arc_path: Path) -> None:
    """C5's February: the leave cleared and the month's scores given at once (100): the
    year (11 × 79 + 100) / 12 = 80.75, twelve months, no leave month."""
    a = _amend(arc_path, "2026-02", "C5", {"leave": "", **_full(100)})
    assert a.previous["leave"] == "sick" and a.new["leave"] is None
    assert a.previous["so_luong"] is None and a.new["so_luong"] == 100.0
    with Archive(arc_path) as arc:
        feb = arc.month("2026-02").set_index("staff_id")
        year = arc.annual(2026).set_index("staff_id")
    assert (feb.loc["C5", "total"], feb.loc["C5", "grade"]) == (100.0, "HTXS")
    assert (round(float(year.loc["C5", "annual_total"]), 2),
            year.loc["C5", "annual_grade"]) == (80.75, "HTT")  # fmt: skip
    assert (int(year.loc["C5", "months"]), int(year.loc["C5", "leave_months"])) == (12, 0)
    got = {s: (str(year.loc[s, "annual_grade"]), round(float(year.loc[s, "annual_total"]), 2))
           for s in year.index}  # fmt: skip
    assert got == {**YEAR, "C5": ("HTT", 80.75)}


def test_a_vien_chuc_month_is_put_on_maternity_leave(arc_path: Path) -> None:
    """V3's August under NĐ 233/2026: ``thai sản`` with the scores cleared; one maternity
    month, eleven counted, the year still 79."""
    rs = evalkit.rules.get("vn.nd233-2026")
    scores = list(rs.required_inputs(False))
    a = _amend(arc_path, "2026-08", "V3", {"leave": "thai sản", **dict.fromkeys(scores, "")})
    assert a.new["leave"] == "maternity"
    with Archive(arc_path) as arc:
        year = arc.annual(2026).set_index("staff_id")
    assert (int(year.loc["V3", "months"]), int(year.loc["V3", "maternity_months"])) == (11, 1)
    assert (year.loc["V3", "annual_grade"], float(year.loc["V3", "annual_total"])) == ("HTT", 79.0)


# ============================================================ refusals, located


def test_a_leave_on_a_month_that_keeps_its_scores_is_refused_saying_what_to_type(
    arc_path: Path,
) -> None:
    """Every door refuses a leave on a row with scores: so does the amendment, at the
    leave, listing the ``--set FIELD=`` that clear the scores; nothing recorded."""
    [p] = _refused(arc_path, "2026-03", "C4", {"leave": "ốm"})
    assert (p.column, p.value) == ("leave", "ốm")
    sets = " ".join(f"--set {f}=" for f in SCORES)
    assert str(p.message).endswith(sets), p.message
    assert "(NĐ 335/2025/NĐ-CP, Điều 21 k3)" in str(p.message)  # the set's leave clause
    # one score left: only that one is named
    [q] = _refused(arc_path, "2026-03", "C4", {"leave": "ốm", **_cleared(), "so_luong": "70"})
    assert str(q.message).endswith("clear them in the same amendment: --set so_luong=")


def test_a_score_typed_into_a_month_on_leave_says_to_clear_the_leave(arc_path: Path) -> None:
    """C5's February is a sick month: a score alone is refused at the leave, saying to give
    ``--set leave=`` and the month's scores in the same amendment (no "clear the cell")."""
    [p] = _refused(arc_path, "2026-02", "C5", {"so_luong": "80"})
    assert (p.column, p.value) == ("leave", "sick")
    assert "--set leave=" in str(p.message) and "(so_luong)" in str(p.message)
    code, _out, err = run("amend", "--archive", str(arc_path), "--period", "2026-02",
                          "--staff", "C5", "--set", "so_luong=80", "--by", "x", "--why", "y")
    assert code == 1
    assert ("cột 'leave'" in err and "--set leave=" in err and "xóa ô nghỉ" in err
            and "cùng lần điều chỉnh" in err), err  # fmt: skip


def test_a_leave_cleared_from_a_month_without_scores_asks_for_them(arc_path: Path) -> None:
    """C5's February cleared alone would be a month worked with no score: refused, naming
    each missing score; given all but one, that one is named."""
    [p] = _refused(arc_path, "2026-02", "C5", {"leave": ""})
    assert p.column == "leave"
    assert str(p.message).endswith(" ".join(f"--set {f}=…" for f in SCORES))
    rest = {k: v for k, v in _full(100).items() if k != "tien_do"}
    [q] = _refused(arc_path, "2026-02", "C5", {"leave": None, **rest})
    assert str(q.message).endswith("give them in the same amendment: --set tien_do=…")


@pytest.mark.parametrize("typed", ["nghỉ phép", "x", 3])
def test_an_unknown_kind_of_leave_is_refused_as_the_workbook_refuses_it(
    arc_path: Path, typed: Any,
) -> None:
    [p] = _refused(arc_path, "2026-03", "C4", {"leave": typed, **_cleared()})
    assert (p.column, p.value) == ("leave", typed)
    assert "is not a kind of leave" in str(p.message)


def test_clearing_a_blank_leave_changes_nothing(arc_path: Path) -> None:
    [p] = _refused(arc_path, "2026-03", "C4", {"leave": ""})
    assert "already hold the value" in str(p.message)


def test_a_blank_score_without_a_leave_still_needs_a_value(arc_path: Path) -> None:
    [p] = _refused(arc_path, "2026-03", "C4", {"so_luong": ""})
    assert (p.column, str(p.message)) == ("so_luong", "so_luong needs a value")


def test_the_command_line_amends_a_leave_and_says_it_in_words(arc_path: Path) -> None:
    """``--set leave=ốm`` with the scores cleared: the change said in Vietnamese (the
    sheet's words: *Tháng nghỉ: (không) → Nghỉ ốm*), in English with --lang en."""
    clear = [x for f in SCORES for x in ("--set", f"{f}=")]
    out = ok("amend", "--archive", str(arc_path), "--period", "2026-03", "--staff", "C4",
             "--set", "leave=ốm", *clear, "--by", "TCCB", "--why", "Giấy nghỉ ốm")
    assert "Tháng nghỉ: (không) → Nghỉ ốm" in out and "sick" not in out, out
    out = ok("--lang", "en", "amend", "--archive", str(arc_path), "--period", "2026-02",
             "--staff", "C5", "--set", "leave=vắng", "--by", "TCCB", "--why", "x")
    assert "Leave: Sick leave → Legally absent" in out, out
    assert LEAVE_VI["absent"] == "vắng"


# ============================================================ blank flags (item 2)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """2026-03 of one unit (head H, corruption in the unit marked; B1 with late files and
    an error counted, a discipline not for the duty; B2 reprimanded, not for the duty; A
    marked degraded)."""
    path = tmp_path / "a.sqlite"
    people = {"H": 100.0, "A": 100.0, **{f"B{i}": 80.0 for i in range(4)}}
    results, units, inputs = classified(
        "2026-03", people, head="H",
        extra={"B1": {"late_files": 2, "loi_chat_luong": 1, "discipline_related_to_duty": False},
               "B2": {"discipline": 1, "discipline_related_to_duty": False},
               "H": {"corruption_in_unit": True}, "A": {"degradation": True}})  # fmt: skip
    with Archive(path) as arc:
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
    return path


@pytest.mark.parametrize(("sid", "field", "read"), [
    ("B2", "discipline", 0),  # none
    ("A", "degradation", False),  # "Suy thoái (x)": blank = no
    ("H", "corruption_in_unit", False),
    ("B1", "discipline_related_to_duty", True),  # "để trống = có"
    ("B1", "late_files", 0),  # a count of events: blank = none
    ("B1", "loi_chat_luong", 0),
])  # fmt: skip
@pytest.mark.parametrize("blank", ["", "  ", None])
def test_a_blank_flag_reads_as_the_workbook_reads_a_blank_cell(
    small: Path, sid: str, field: str, read: Any, blank: Any,
) -> None:
    a = _amend(small, "2026-03", sid, {field: blank})
    assert a.new == {field: read}
    with Archive(small) as arc:
        row = arc.month("2026-03").set_index("staff_id").loc[sid]
    assert row[field] == read


def test_a_blank_discipline_lifts_the_reprimand_on_the_command_line(small: Path) -> None:
    """B2 (80 % → 30 + 0.7 × 80 = 86, HTT band) was reprimanded, not for the duty: its grade
    stays HTT. Made duty-related (blank: yes), the grade is KHT (NĐ 335 Điều 20 k4 c);
    ``--set discipline=`` (blank: none) gives HTT back, in both languages."""
    with Archive(small) as arc:
        assert arc.month("2026-03").set_index("staff_id").loc["B2", "grade"] == "HTT"
    ok("amend", "--archive", str(small), "--period", "2026-03", "--staff", "B2", "--set",
       "discipline_related_to_duty=", "--by", "TCCB", "--why", "x")
    with Archive(small) as arc:
        assert arc.month("2026-03").set_index("staff_id").loc["B2", "grade"] == "KHT"
    out = ok("amend", "--archive", str(small), "--period", "2026-03", "--staff", "B2",
             "--set", "discipline=", "--by", "TCCB", "--why", "Hủy quyết định kỷ luật")
    assert "Hình thức kỷ luật: Khiển trách → Không" in out, out
    with Archive(small) as arc:
        row = arc.month("2026-03").set_index("staff_id").loc["B2"]
    assert (row["discipline"], row["grade"], row["total"]) == (0, "HTT", 86.0)
    code, _o, err = run("--lang", "en", "amend", "--archive", str(small), "--period",
                        "2026-03", "--staff", "B2", "--set", "discipline=", "--by", "x",
                        "--why", "y")  # fmt: skip
    assert code == 1 and "already hold the value" in err and "needs a value" not in err
