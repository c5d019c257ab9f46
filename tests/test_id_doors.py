"""One staff id rule at every door (audit 16): ids are compared as :mod:`evalkit._ids` makes
them (invisible characters removed, NFC, trimmed) by score_frame, classify_frame,
classify_year and its roll-up, the workbook reader and the archive (finalize stores the
normal id, annual reads old rows through it); a person twice in a month is refused at
every door, naming the ids as typed; an id holding a control character is refused at every
door, naming its row, column and value."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evalkit
from evalkit import _ids
from evalkit.io import archive as archive_module
from evalkit.io.archive import Archive
from evalkit.messages import translate
from evalkit.units import classify_frame, classify_year, rollup_frame
from tests.helpers import heads_typed

RULES = "vn.nd335-2025"
TOP = evalkit.rules.get(RULES).full_marks()
NFC = "NV-Đặng"
NFD = unicodedata.normalize("NFD", NFC)
#: (canonical id, the same person typed otherwise)
SPELLINGS = [("S1", "S1 "), (NFC, NFD), ("S1", "S1\u200b"), ("S1", "\ufeffS1\t")]


def _year_frame(a: str, b: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One person typed ``a`` in January-June and ``b`` in July-December, with five others.

    By hand (domain §4.1, NĐ 335/2025 Điều 21): January-June full marks, 100; July-December
    30 + (10 + 10 + 10) / 3 × 0.7 = 37; the year's mean 68.5, HT (50 ≤ 68.5 < 70)."""
    rows = [dict(staff_id=a if m <= 6 else b, unit_id="U", period=f"2026-{m:02d}",
                 category="cong_chuc", **(TOP if m <= 6 else {**TOP, "so_luong": 10,
                                                             "chat_luong": 10, "tien_do": 10}))
            for m in range(1, 13)]  # fmt: skip
    rows += [dict(staff_id=f"T{i}", unit_id="U", period=f"2026-{m:02d}", category="cong_chuc",
                  **{**TOP, "so_luong": 70}) for i in range(5) for m in range(1, 13)]
    units = pd.DataFrame({"unit_id": ["U"] * 12,
                          "period": [f"2026-{m:02d}" for m in range(1, 13)]})  # fmt: skip
    return pd.DataFrame(rows), units


def _finalize_year(path: Path, staff: pd.DataFrame, units: pd.DataFrame,
                   months: range = range(1, 13)) -> None:  # fmt: skip
    with Archive(path) as arc:
        for m in months:
            per = f"2026-{m:02d}"
            part = staff[staff.period == per].reset_index(drop=True)
            up = units[units.period == per].reset_index(drop=True)
            s2, u2 = classify_frame(part, up)
            extra = [c for c in s2.columns if c not in part.columns]
            arc.finalize(pd.concat([part, s2[extra]], axis=1), by="TCCB", units=u2,
                         unit_inputs=up)  # fmt: skip


def _person(year: pd.DataFrame, total: str = "total") -> list[list[Any]]:
    me = year[~year["staff_id"].astype(str).str.startswith("T")]
    return me[["staff_id", "months", total, "grade"]].astype(object).values.tolist()


# ------------------------------------------------------------------ finding 1: the archive


@pytest.mark.parametrize(("a", "b"), SPELLINGS)
def test_one_person_typed_two_ways_is_one_person_in_the_year_and_the_archive(
    a: str, b: str, tmp_path: Path
) -> None:
    """Audit 16 (f_archive_idspelling): classify_year gave one person [S1, 12, 68.5, HT],
    Archive.annual two ([S1, 6, 100, HTT] and ['S1 ', 6, 37, KHT])."""
    staff, units = _year_frame(a, b)
    st_, ur = classify_frame(staff, units)
    want = [[a, 12, 68.5, "HT"]]
    assert _person(classify_year(st_, ur)) == want
    assert _person(classify_year(staff.assign(total=st_["total"]), ur)) == want  # rolled raw
    _finalize_year(tmp_path / "a.sqlite", staff, units)
    with Archive(tmp_path / "a.sqlite") as arc:
        assert _person(arc.annual(2026)) == want
        assert a in arc.month("2026-07")["staff_id"].tolist()  # stored as every door compares


@pytest.mark.parametrize(("a", "b"), SPELLINGS[:3])
def test_an_archive_finalized_with_the_ids_as_typed_is_read_as_one_person(
    a: str, b: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Months archived before finalize stored the normal id (here: July-December stored as
    typed) are grouped by the normal id when the year is read."""
    staff, units = _year_frame(a, b)
    path = tmp_path / "old.sqlite"
    _finalize_year(path, staff, units, range(1, 7))

    as_typed = SimpleNamespace(normal_id_column=lambda col: col, control_ids=_ids.control_ids,
                               number_ids=_ids.number_ids, fraction_ids=_ids.fraction_ids)
    monkeypatch.setattr(archive_module, "_ids", as_typed)
    _finalize_year(path, staff, units, range(7, 13))
    monkeypatch.undo()
    with Archive(path) as arc:
        assert b in arc.month("2026-07")["staff_id"].tolist()  # the old way, as typed
        assert _person(arc.annual(2026)) == [[a, 12, 68.5, "HT"]]


# ------------------------------------------------- finding 5: twice in a month, every door


def _doors(frame: pd.DataFrame) -> dict[str, Any]:
    """What each door says of ``frame`` (one month): its InputError, or None."""
    out: dict[str, Any] = {}
    units = pd.DataFrame({"unit_id": ["U", "V"]})
    for name, door in (("score_frame", lambda: evalkit.score_frame(frame)),
                       ("classify_frame", lambda: classify_frame(frame, units)),
                       ("rollup_frame", lambda: rollup_frame(frame.assign(total=90.0))),
                       ("classify_year", lambda: classify_year(
                           frame.assign(total=90.0, grade="HTXS")))):  # fmt: skip
        try:
            door()
        except evalkit.InputError as exc:
            out[name] = exc
        else:
            out[name] = None
    return out


@pytest.mark.parametrize(("a", "b"), SPELLINGS)
def test_one_person_twice_in_a_month_is_refused_at_every_door_naming_the_ids_as_typed(
    a: str, b: str
) -> None:
    """Audit 16 (f_id_spelling): score_frame scored 'S1' and 'S1 ' as two people while
    classify_frame refused them as one, quoting 'S1' where 'S1 ' was typed."""
    frame = pd.DataFrame([dict(staff_id=s, unit_id="U", period="2026-03", category="cong_chuc",
                               **{**TOP, "so_luong": v}) for s, v in [(a, 100.0), (b, 10.0)]])
    for door, exc in _doors(frame).items():
        assert exc is not None, door
        mine = [p for p in exc.problems if p.column in ("staff_id", "period")]
        assert [p.row for p in mine] == ([1] if door in ("score_frame", "classify_frame")
                                         else [0, 1]), door  # fmt: skip
        p = mine[-1]
        if door in ("score_frame", "classify_frame"):
            assert p.value == b, door  # as typed: the space, the zero-width, the NFD kept
            assert f"appears 2 times in 2026-03 (unit U, rows 0, 1; typed {_ids.show_id(a)}, " \
                   f"{_ids.show_id(b)})" in p.message, door
            assert "mã đã nhập" in translate(p.message, "vi")
        else:  # the year's doors: a month counted twice
            assert "another row for this period" in p.message or "more than once" in p.message


def test_the_same_id_twice_is_refused_alike_and_says_no_spelling() -> None:
    frame = pd.DataFrame([dict(staff_id="S1", unit_id="U", period="2026-03",
                               category="cong_chuc", **TOP)] * 2)  # fmt: skip
    for door in ("score_frame", "classify_frame"):
        [p] = _doors(frame)[door].problems
        assert p.message == "staff 'S1' appears 2 times in 2026-03 (unit U, rows 0, 1)"


# ------------------------------------------------------ finding 8: control characters


@pytest.mark.parametrize("bad", ["S1\x00", "S1\nS2", "S\t1", "S1\x7f", "S1\x85x"])
def test_an_id_with_a_control_character_is_refused_at_every_door(bad: str,
                                                                 tmp_path: Path) -> None:  # fmt: skip
    """Audit 16 (f_ctrl_id): NUL, a tab or a line break inside an id passed score_frame,
    classify_frame and classify_year, then Archive.finalize refused it."""
    frame = pd.DataFrame([dict(staff_id=s, unit_id="U", period="2026-03", category="cong_chuc",
                               **TOP) for s in ["S2x", bad]])  # fmt: skip
    for door, exc in _doors(frame).items():
        assert exc is not None, door
        [p] = [p for p in exc.problems if p.column == "staff_id"]
        assert (p.row, p.value, p.message) == (1, bad, _ids.CONTROL_ID), door
        assert "ký tự điều khiển" in translate(p.message, "vi")
    with Archive(tmp_path / "a.sqlite") as arc, pytest.raises(evalkit.InputError) as info:
        arc.finalize(frame.assign(total=100.0, grade="HTXS", score_grade="HTXS",
                                  rule_set=RULES), by="TCCB")  # fmt: skip
    [p] = [p for p in info.value.problems if p.column == "staff_id"]
    assert (p.row, p.value) == (1, bad)
    assert "control character" in str(p)


@pytest.mark.parametrize("edge", ["S1\t", "\nS1", " S1\u200b", "\u200bS1\u00a0"])
def test_spaces_and_invisible_characters_around_an_id_pass_every_door(edge: str,
                                                                      tmp_path: Path) -> None:  # fmt: skip
    """A tab or a line break around an id is trimmed, as a space is, at every door: the id
    is 'S1', stored so by the archive."""
    frame = pd.DataFrame([dict(staff_id=s, unit_id="U", period="2026-03", category="cong_chuc",
                               **TOP) for s in ["S2", edge]])  # fmt: skip
    assert all(exc is None for exc in _doors(frame).values())
    staff, units = classify_frame(frame, pd.DataFrame({"unit_id": ["U"]}))
    assert staff["staff_id"].tolist() == ["S2", "S1"]
    extra = [c for c in staff.columns if c not in frame.columns]
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(pd.concat([frame, staff[extra]], axis=1), by="TCCB", units=units)
        assert sorted(arc.month("2026-03")["staff_id"]) == ["S1", "S2"]


def test_the_workbook_reader_refuses_a_control_character_in_a_staff_id(tmp_path: Path) -> None:
    """The CSV door says it too, with its row and the value as typed."""
    from evalkit.io.workbook import read_workbook

    frame = pd.DataFrame([dict(staff_id=s, unit_id="U", period="2026-03", **TOP)
                          for s in ["S2", "S1\x00x"]])  # fmt: skip
    path = tmp_path / "thang.csv"
    frame.to_csv(path, index=False)
    _read, problems = read_workbook(path, rules=RULES)
    [p] = [p for p in problems if p.column == "staff_id"]
    assert (p.row, p.value) == (3, "S1\x00x")  # its line in the file
    assert "the staff id contains a control character" in str(p.message)


# ------------------------------------------------------------- property: every door alike

_CANON = ["S1", "CC-0042", NFC, "Trần Cúc"]


@st.composite
def _variant(draw: st.DrawFn, canon: str) -> str:
    """``canon`` as people type it: NFC or NFD, zero-width characters anywhere, spaces,
    tabs or line breaks around it."""
    text = unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), canon)
    chars = list(text)
    for _ in range(draw(st.integers(0, 2))):
        chars.insert(draw(st.integers(0, len(chars))),
                     draw(st.sampled_from(["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"])))
    space = st.text(alphabet=" \t\n\u00a0\u3000", max_size=2)
    return draw(space) + "".join(chars) + draw(space)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_spelling_of_the_ids_gives_the_canonical_results_at_every_door(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Ids typed with spaces around, in NFD or with zero-width characters give, at
    score_frame, classify_frame, classify_year and the archive, what the canonical ids give."""
    scores = [100.0, 80.0, 55.0, 30.0]
    months = ["2026-01", "2026-02"]

    def frame(ids: list[list[str]]) -> pd.DataFrame:
        return pd.DataFrame([dict(staff_id=ids[m][i], unit_id="U", period=per,
                                  category="cong_chuc", **{**TOP, "so_luong": scores[i]})
                             for m, per in enumerate(months) for i in range(len(_CANON))])

    typed = [[data.draw(_variant(c)) for c in _CANON] for _ in months]
    canon, messy = frame([_CANON, _CANON]), frame(typed)
    units = pd.DataFrame({"unit_id": ["U"] * 2, "period": months})
    got, want = evalkit.score_frame(messy), evalkit.score_frame(canon)
    assert got["total"].tolist() == want["total"].tolist()
    assert got["grade"].astype(str).tolist() == want["grade"].astype(str).tolist()
    s1, u1 = classify_frame(messy, units)
    s0, u0 = classify_frame(canon, units)
    assert s1["staff_id"].tolist() == s0["staff_id"].tolist() == canon["staff_id"].tolist()
    assert s1["grade"].astype(str).tolist() == s0["grade"].astype(str).tolist()
    y1, y0 = classify_year(s1, u1), classify_year(s0, u0)
    cols = ["staff_id", "months", "total", "grade"]
    assert y1[cols].astype(object).values.tolist() == y0[cols].astype(object).values.tolist()
    assert len(y1) == len(_CANON)
    r1 = rollup_frame(messy.assign(total=s1["total"]))  # the raw ids rolled up directly
    assert sorted(r1["staff_id"]) == sorted(_CANON)
    path = tmp_path_factory.mktemp("arc") / "a.sqlite"
    _finalize_year(path, messy, units, range(1, 3))
    with Archive(path) as arc:
        a = arc.annual(2026).set_index("staff_id")
        stored = arc.month("2026-01")["staff_id"].tolist()
    assert sorted(stored) == sorted(_CANON)
    assert a.loc[_CANON, "annual_total"].tolist() == \
        y0.set_index("staff_id").loc[_CANON, "total"].tolist()
    assert np.array_equal(a.loc[_CANON, "annual_grade"].astype(str).to_numpy(),
                          y0.set_index("staff_id").loc[_CANON, "grade"].astype(str).to_numpy())


# ------------------------------------------- audit 17 finding 1: ids stored as floats

HANOI = "hanoi.3814-2018"


@pytest.mark.parametrize("head", [7, 7.0, "7"])
def test_float_staff_ids_find_the_head_as_the_workbook_reads_a_number_cell(head: Any) -> None:
    """Audit 17 (ids5): staff ids [7.0, 8.0] (a numeric column with a blank row, as pandas
    reads it) never matched head_id 7: the head went uncapped. Hà Nội QĐ 3814: the unit did
    5 of 10 tasks, so its grade is below A and the head (full marks) is capped at it."""
    top = evalkit.rules.get(HANOI).full_marks()
    units = pd.DataFrame({"unit_id": ["U1"], "head_id": [head], "tasks_assigned": [10],
                          "tasks_done": [5]})  # fmt: skip
    out = {}
    for sids in ([7, 8], [7.0, 8.0]):
        sm = pd.DataFrame({"staff_id": sids, "unit_id": "U1", "period": "2026-03",
                           **{k: [v] * 2 for k, v in top.items()}})  # fmt: skip
        st_, un = classify_frame(sm, units, HANOI)
        out[str(sids)] = st_[["is_head", "grade", "reasons"]].values.tolist()
        assert st_["is_head"].tolist() == [True, False]
        assert st_["reasons"].iloc[0] == "cap.head_unit"
        assert st_["grade"].iloc[0] == un["grade"].iloc[0]
        assert [str(s) for s in st_["staff_id"]] == ["7", "8"]
    assert out["[7, 8]"] == out["[7.0, 8.0]"]


def test_float_manager_ids_link_staff_to_their_manager() -> None:
    """Audit 17 (mgr1): staff ids [1.0, 2.0, 3.0] with manager_id [NaN, 1, 1] lost every
    link; now 2 and 3 report to 1, as with int or text ids."""
    seen = []
    for sids, mids in (([1, 2, 3], [np.nan, 1.0, 1.0]), ([1.0, 2.0, 3.0], [np.nan, 1, 1]),
                       (["1", "2", "3"], [np.nan, 1.0, 1.0])):  # fmt: skip
        sm = pd.DataFrame({"staff_id": sids, "manager_id": mids, "unit_id": "U",
                           "period": "2026-03", **{k: [v] * 3 for k, v in TOP.items()}})
        # the head (row 0) holds a management post: its đ and e typed, d computed
        sm = heads_typed(sm, evalkit.rules.get(RULES), [True, False, False], alone=False)
        st_, _un = classify_frame(sm, pd.DataFrame({"unit_id": ["U"], "head_id": [sids[0]]}),
                                  RULES)  # fmt: skip
        links = [None if pd.isna(m) else str(m) for m in st_["effective_manager_id"]]
        assert links == [None, "1", "1"], sids
        seen.append(st_["is_head"].tolist())
    assert seen == [[True, False, False]] * 3


@pytest.mark.parametrize(("column", "where"), [("staff_id", "staff"), ("unit_id", "staff"),
                                               ("manager_id", "staff"), ("head_id", "units"),
                                               ("parent_id", "units")])  # fmt: skip
def test_a_float_id_that_is_not_whole_is_refused_naming_row_column_value(column: str,
                                                                         where: str) -> None:  # fmt: skip
    sm = pd.DataFrame({"staff_id": [7.0, 8.0], "unit_id": ["U", "U"], "manager_id": [None, 7.0],
                       "period": "2026-03", **{k: [v] * 2 for k, v in TOP.items()}})
    units = pd.DataFrame({"unit_id": ["U"], "head_id": [7.0], "parent_id": [None]})
    if where == "staff":
        sm[column] = sm[column].astype(object)
        sm.loc[1, column] = 7.5
    else:
        units[column] = units[column].astype(object)
        units.loc[0, column] = 7.5
    doors = [lambda: classify_frame(sm, units, RULES)]
    if where == "staff":
        doors.append(lambda: evalkit.score_frame(sm, RULES))
    for door in doors:
        with pytest.raises(evalkit.InputError) as info:
            door()
        mine = [p for p in info.value.problems if p.message == _ids.FRACTION_ID]
        assert [(p.row, p.column, p.value) for p in mine] == \
            [(1 if where == "staff" else 0, column, 7.5)]  # fmt: skip
        assert "số không nguyên" in translate(mine[0].message, "vi")


def test_the_archive_stores_a_whole_float_id_as_its_integer_text(tmp_path: Path) -> None:
    """Audit 17 (ids5): Archive.finalize refused 7.0 as 'not text'; 7.5 is refused as no id."""
    frame = pd.DataFrame([dict(staff_id=s, unit_id="U", period="2026-03", category="cong_chuc",
                               **TOP) for s in [7.0, 8.0]])  # fmt: skip
    staff, units = classify_frame(frame, pd.DataFrame({"unit_id": ["U"]}), RULES)
    extra = [c for c in staff.columns if c not in frame.columns]
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(pd.concat([frame, staff[extra]], axis=1), by="TCCB", units=units)
        assert sorted(arc.month("2026-03")["staff_id"]) == ["7", "8"]
    bad = frame.assign(staff_id=[7.0, 7.5], total=100.0, grade="HTXS", score_grade="HTXS",
                       rule_set=RULES)
    with Archive(tmp_path / "b.sqlite") as arc, pytest.raises(evalkit.InputError) as info:
        arc.finalize(bad, by="TCCB")
    [p] = [p for p in info.value.problems if p.column == "staff_id"]
    assert (p.row, p.value) == (1, 7.5)
    assert "not whole" in str(p)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(-10**12, 10**12), frac=st.floats(0.001, 0.999))
def test_a_whole_float_id_is_its_integer_text_and_a_fraction_is_refused(n: int,
                                                                        frac: float) -> None:  # fmt: skip
    """The one normaliser: a whole-number float reads as its integer text (as the workbook
    reads a number cell), for any integer a float holds exactly; a non-whole float is flagged."""
    x = float(n)
    assert _ids.normal_id(x) == str(n) == _ids.normal_id(str(n))
    assert _ids.normal_id(np.float64(x)) == str(n)
    col = pd.Series([x, np.nan, x + frac if (x + frac) != x else 0.5])
    assert _ids.normal_id_column(col).tolist()[:2] == [str(n), None]
    assert _ids.fraction_ids(col).tolist() == [False, False, True]
    assert _ids.number_ids(col).tolist()[0] == str(n)


# ------------------------------------- audit 17 finding 5: ids differing only by case


@pytest.mark.parametrize(("a", "b"), [("S1", "s1"), ("NV-Đặng", "nv-đặng"), ("S1", " s1\u200b")])
def test_case_only_twins_are_refused_alike_by_the_frames_and_the_csv(a: str, b: str,
                                                                     tmp_path: Path) -> None:  # fmt: skip
    """Audit 17 (case1): the CSV door refused 'S1'/'s1', score_frame and classify_frame took
    both (the month's render failed later at the file names). One rule, one sentence; a CSV
    names its file, no sheet."""
    from evalkit.io.workbook import read_workbook

    frame = pd.DataFrame([dict(staff_id=s, unit_id="U", period="2026-03", category="cong_chuc",
                               **TOP) for s in ["S0", a, "S2", b]])  # fmt: skip
    b_normal = _ids.normal_id(b)
    for door, exc in _doors(frame).items():
        if door not in ("score_frame", "classify_frame"):
            continue
        assert exc is not None, door
        [p] = [p for p in exc.problems if p.column == "staff_id"]
        assert (p.row, p.value) == (3, b), door
        assert p.message == (f"staff id {b_normal!r} differs from {a!r} at row 1 only in "
                             "upper/lower case: the same person, or make the ids distinct")
        assert translate(p.message, "vi").startswith(f"mã nhân sự {b_normal!r} chỉ khác {a!r} "
                                                     "ở dòng 1 về chữ hoa/chữ thường")
    path = tmp_path / "thang.csv"
    frame.drop(columns="category").to_csv(path, index=False)
    _read, problems = read_workbook(path, rules=RULES)
    [p] = [p for p in problems if p.column == "staff_id"]
    assert p.sheet is None and "sheet" not in str(p) and "thang.csv" in str(p)
    assert (p.row, p.message) == (5, f"staff id {b_normal!r} differs from {a!r} at row 3 only "
                                     "in upper/lower case: the same person, or make the ids "
                                     "distinct")  # fmt: skip


def test_ids_equal_but_for_case_in_other_letters_pass() -> None:
    """Distinct ids whose case folds apart pass every frame door."""
    frame = pd.DataFrame([dict(staff_id=s, unit_id="U", period="2026-03", category="cong_chuc",
                               **TOP) for s in ["S1", "S2", "s3", "Đ1", "đ2"]])  # fmt: skip
    assert _doors(frame)["score_frame"] is None and _doors(frame)["classify_frame"] is None


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
                        min_size=1, max_size=4), min_size=1, max_size=8))
def test_case_twins_are_the_ids_whose_casefold_an_earlier_other_id_shares(ids: list[str]) -> None:
    """By hand: an id is flagged at its first row when an earlier, different id has the same
    casefold; the first id of its kind is named."""
    col = pd.Series(ids, dtype=object)
    expected = []
    for i, v in enumerate(ids):
        if v in ids[:i]:
            continue
        earlier = [j for j in range(i) if ids[j].casefold() == v.casefold() and ids[j] != v]
        if earlier:
            expected.append((i, earlier[0]))
    assert _ids.case_twins(col) == expected
    assert _ids.case_twins(col.astype("string[pyarrow]")) == expected


#: Ids of every kind the fast path must tell apart: plain ASCII, spaces and control bytes at
#: the edges or inside, empty, invisible and non-ASCII characters, NFD, missing cells (ASCII
#: alone half the time: the fast path's own inputs).
_ASCII_PARTS = ["S1", "a", "Z9", "-", " ", "\t", "\x1c", "\x00", "\n"]
_IDS = st.sampled_from([_ASCII_PARTS, [*_ASCII_PARTS, "\u200b", "Đ", "e\u0301", "\xa0"]]).flatmap(
    lambda parts: st.lists(st.one_of(st.none(), st.lists(st.sampled_from(parts), max_size=3)
                                     .map("".join)), max_size=12))


@settings(deadline=None)
@given(ids=_IDS, dtype=st.sampled_from(["str", "string[pyarrow]"]))
def test_plain_arrow_ids_fast_path_reads_as_the_general_path(ids: list[str | None],
                                                             dtype: str) -> None:
    """The ASCII Arrow fast path (:func:`evalkit._columns.plain_ids`, missing cells allowed)
    gives what the general path gives: the same blank cells as ``staff_codes`` and the same
    normal ids as the column read as Python objects; where it applies, no id changes."""
    from evalkit import _columns

    col = pd.Series(ids, dtype=dtype)
    np.testing.assert_array_equal(_columns.blank_ids(col), _columns.staff_codes(col)[2])
    slow = _ids.normal_id_column(col.astype(object).where(col.notna(), None))
    fast = _ids.normal_id_column(col)
    assert [None if pd.isna(v) else v for v in fast] == [None if pd.isna(v) else v for v in slow]
    if _columns.plain_ids(col) is not None:
        assert fast is col and list(slow) == [None if v is None else v for v in ids]


# ------------- audit 17 finding 6: a CSV score under another rule set's criterion


@pytest.mark.parametrize(("period", "rules", "other"), [
    ("2026-07", "vn.nd233-2026", "vn.nd90-2020"),
    ("2026-06", "vn.nd90-2020", "vn.nd233-2026"),
])  # fmt: skip
def test_a_csv_score_under_another_sets_criterion_names_that_set(period: str, rules: str,
                                                                  other: str,
                                                                  tmp_path: Path) -> None:  # fmt: skip
    """Audit 17 (foreign3): the CSV said 'is not a known column (renamed?) … give the column
    its header' of a real criterion of another rule set; the frame doors say whose it is."""
    from evalkit.io.workbook import read_workbook
    from evalkit.messages import Problem

    own = evalkit.rules.get(rules).full_marks()
    theirs = evalkit.rules.get(other).full_marks()
    foreign = sorted(set(theirs) - set(own))
    assert foreign  # the two sets differ
    row = {"staff_id": "V1", "period": period, "unit_id": "U", **own, foreign[0]: 0}
    path = tmp_path / "m.csv"
    pd.DataFrame([row]).to_csv(path, index=False)
    _read, problems = read_workbook(path, rules=rules, period=period)
    mine = [p for p in problems if p.value in (foreign[0], "0", 0)]
    assert len(mine) == 1, [str(p) for p in problems]
    [p] = mine
    assert (p.row, p.sheet) == (2, None)
    assert "a criterion of rule set" in p.message and other in p.message
    assert f"not of this file's set {rules}" in p.message
    assert "renamed" not in p.message and "give the column its header" not in p.message
    assert isinstance(p, Problem) and p.msg is not None
    vi = p.msg.text("vi")
    assert "là tiêu chí của bộ quy định" in vi and other in vi and rules in vi
    # the frame doors refuse the same cell, naming the row's set
    frame = pd.DataFrame([{**row, "category": "cong_chuc" if rules != "vn.nd90-2020"
                           else "vien_chuc"}])  # fmt: skip
    with pytest.raises(evalkit.InputError, match=f"unknown criterion '{foreign[0]}' for rule "
                                                 f"set '{rules}'"):  # fmt: skip
        evalkit.score_frame(frame, rules)
    # a blank cell under it is harmless
    path.write_text(pd.DataFrame([{**row, foreign[0]: None}]).to_csv(index=False))
    _read, problems = read_workbook(path, rules=rules, period=period)
    assert not [p for p in problems if foreign[0] in str(p)]


@pytest.mark.parametrize(("canonical", "typed"), SPELLINGS)
def test_the_objects_door_reads_ids_as_every_other_door(canonical: str, typed: str) -> None:
    """Audit af21: classify_organisation matched ids exactly. A member whose organisation
    id came padded (``'S1 '``, a CHAR column of an HR database) with an assessment under
    the same id vanished from the unit's results without a word; an assessment typed
    ``'S1 '`` for the member ``'S1'`` was "unknown staff", where the frames read one
    person; and only the first unknown id was named."""
    top = dict(TOP)  # full marks: 100 each (NĐ 335/2025 Điều 12, 14)
    unit = evalkit.Unit("P1", "Phòng 1")
    pos = evalkit.Position("CV", "Chuyên viên")
    for org_id, typed_id in ((typed, typed), (canonical, typed), (typed, canonical)):
        org = evalkit.Organisation(units=[unit], positions=[pos], staff=[
            evalkit.Staff(org_id, "Người 1", "CV", "P1"), evalkit.Staff("S2", "Người 2", "CV", "P1")])
        got = evalkit.classify_organisation(org, [
            evalkit.Assessment(typed_id, "2026-03", manager_scores=top),
            evalkit.Assessment("S2", "2026-03", manager_scores=top)], [], RULES)
        assert sorted((r.staff_id, r.total) for r in got["P1"].staff) == [
            (canonical, 100.0), ("S2", 100.0)]
    org = evalkit.Organisation(units=[unit], positions=[pos],
                               staff=[evalkit.Staff("S2", "Người 2", "CV", "P1")])
    with pytest.raises(evalkit.UnknownReferenceError) as info:
        evalkit.classify_organisation(org, [
            evalkit.Assessment(i, "2026-03", manager_scores=top) for i in ("X1", "S2", "X2")],
            [], RULES)
    assert "'X1'" in str(info.value) and "'X2'" in str(info.value)


@pytest.mark.parametrize("typed", [RULES + "\u200b", "\ufeff" + RULES, f" {RULES}\u00ad"])
def test_a_rule_set_id_is_read_as_ids_are_at_every_door(typed: str) -> None:
    """Audit af21: a rule_set cell with a zero-width space was 'unknown rule set' though a
    staff id with one is the same id: it is read with normal_id, and scores and classifies
    as the id typed plainly (the result names the set's own id)."""
    frame = pd.DataFrame([dict(staff_id=s, unit_id="U", period="2026-03", rule_set=r, **TOP)
                          for s, r in (("S1", typed), ("S2", RULES))])  # fmt: skip
    assert all(exc is None for exc in _doors(frame).values())
    scored = evalkit.score_frame(frame)
    assert scored["rule_set"].astype(str).tolist() == [RULES, RULES]
    assert scored["total"].tolist() == [100.0, 100.0]  # full marks: NĐ 335/2025 Điều 12, 14
    staff, _ = classify_frame(frame, pd.DataFrame({"unit_id": ["U"]}))
    assert staff["rule_set"].astype(str).tolist() == [RULES, RULES]


@pytest.mark.parametrize(("canonical", "typed"), SPELLINGS)
def test_the_organisation_links_ids_as_every_other_door_reads_them(canonical: str,
                                                                    typed: str) -> None:
    """Audit af56: the frames and the workbook read a unit's head, a person's unit, manager
    and position, and a unit's parent through the one id rule, but ``Organisation``
    compared them exactly: a head id padded by an HR database (``'S1 '``) or exported in
    NFD was an "unknown head" and the unit with it refused, where ``classify_frame`` capped
    that head at the unit. Every link the organisation checks is read as the frames read it,
    and classify_organisation gives the frame door's answer."""
    hanoi = evalkit.rules.get("hanoi.3814-2018")  # classifies the month: the head is capped
    top = hanoi.full_marks()  # 90 of the 100 points: A by its band (QĐ 3814, A from 90)
    pos = evalkit.Position("CV", "Chuyên viên")
    units = [evalkit.Unit("SO", "Sở"),
             evalkit.Unit(f"P{canonical}", "Phòng", parent_id=" SO\u200b", head_id=typed)]
    staff = [evalkit.Staff(canonical, "Người 1", "CV", f"P{typed}"),
             evalkit.Staff("S2", "Người 2", "CV", f"P{canonical}", manager_id=typed),
             evalkit.Staff("S3", "Người 3", "\u200bCV ", "SO")]
    org = evalkit.Organisation(units=units, positions=[pos], staff=staff)
    assert org.head_of(f"P{canonical}") is staff[0]
    period = "2025-10"
    unit_in = [evalkit.UnitInputs(f"P{canonical}", period, tasks_assigned=10, tasks_done=8,
                                  tasks_on_time=8),  # 80: band B (HTT)
               evalkit.UnitInputs("SO", period, tasks_assigned=10, tasks_done=10,
                                  tasks_on_time=10)]  # fmt: skip
    got = evalkit.classify_organisation(
        org, [evalkit.Assessment(s.id, period, competent_scores=top) for s in staff],
        unit_in, hanoi)
    frames = evalkit.frames_from_objects(org, [evalkit.Assessment(s.id, period,
                                                                  competent_scores=top)
                                               for s in staff], unit_in)  # fmt: skip
    staff_f, _units_f = classify_frame(*frames, hanoi)
    by_frame = dict(zip(staff_f["staff_id"], staff_f["grade"].astype(str), strict=True))
    head = got[f"P{canonical}"].result_of(canonical)
    unit_grade = got[f"P{canonical}"].unit.grade
    assert head.score_grade is evalkit.Grade.HTXS and unit_grade is evalkit.Grade.HTT
    assert head.grade is unit_grade  # the head is not above the unit (domain brief §3 k5)
    assert by_frame[canonical] == str(head.grade)


def test_a_head_id_differing_from_a_member_only_in_case_is_one_message_at_every_door(
    tmp_path: Path,
) -> None:
    """Head ``a1`` of unit P1 whose member is ``A1``: the objects, the frames, the workbook
    and the organisation file say one sentence, once (before: "unknown head", "not on the
    staff sheet", and the frames' words), the doors with cells naming row, column, value."""
    from tests._cli_helpers import run
    from tests._io_helpers import filled_workbook, person

    said = ("head 'a1' differs from the unit's member 'A1' only in upper/lower case: one "
            "person, or give them different ids")
    with pytest.raises(evalkit.ModelError) as objects:
        evalkit.Organisation(
            units=[evalkit.Unit("P1", "Phòng 1", head_id="a1")],
            positions=[evalkit.Position("CV", "Chuyên viên")],
            staff=[evalkit.Staff("A1", "Người A1", "CV", "P1"),
                   evalkit.Staff("A2", "Người A2", "CV", "P1")])  # fmt: skip
    assert str(objects.value).count(said) == 1
    rows = pd.DataFrame([{"staff_id": s, "unit_id": "P1", "period": "2026-08", **TOP}
                         for s in ("A1", "A2")])  # fmt: skip
    with pytest.raises(evalkit.InputError) as frame:
        classify_frame(rows, pd.DataFrame({"unit_id": ["P1"], "period": ["2026-08"],
                                           "head_id": ["a1"]}))  # fmt: skip
    assert [(p.message, p.column, p.value) for p in frame.value.problems] == [
        (said, "head_id", "a1")]
    book = filled_workbook(tmp_path / "m.xlsx", [person("A1"), person("A2")], period="2026-08",
                           units=({"unit_id": "P1", "name": "Phòng 1", "head_id": "a1"},))
    for cmd in ("validate", "classify"):
        code, out, err = run("--lang", "en", cmd, str(book))
        lines = [x for x in (out + err).splitlines() if x.startswith("  - ")]
        assert code == 1 and len(lines) == 1, (out, err)
        assert lines[0].endswith(f"sheet 'Đơn vị', row 2, unit 'P1', column 'head_id', "
                                 f"value 'a1': {said}"), lines
    code, out, err = run("validate", str(book))
    assert translate(said) in out + err
