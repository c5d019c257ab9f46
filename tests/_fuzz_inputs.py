"""Mutated input files (issue 16 item 5): the workbook, CSV, task-table and results-JSON
families of the fuzz suite.

Every family starts from one clean input whose result is known, applies one mutation a
person (or a tool) could make, and sorts the mutant into:

- ``located``: the input's door refused it with problems that each name the file and,
  where the mutation is inside the file, the sheet, row or column (an
  :class:`~evalkit.errors.InputError` or a workbook's ``problems``);
- ``refused``: the door read it and a later documented check refused it, located the same
  way (results: ``evalkit.io.archive.check_results``, what ``finalize`` runs);
- ``accepted``: the door read it and the result is the one expected — for a mutation
  classified *harmless* up front (whitespace around a value, a BOM, reordered columns, a
  number retyped as text, a percent-formatted cell…) the unmutated input's result, equal
  to the last digit; for a *change* of the data (a score, a deleted row, a new id…) the
  result of scoring the changed data through the object path (``evalkit.score`` of an
  :class:`~evalkit.model.Assessment`, a cleanly typed task table, the grade bands of the
  rule set);
- ``failure``: anything else — a traceback, a problem that names no place, a *garbage*
  mutation (a date or a formula in a score cell, a value right of the last header, a
  duplicated person…) accepted, or an accepted result that differs from the expected one
  (a silent change of someone's grade).

``python -m tests.fuzz workbook csv tasks results_json`` runs them;
``tests/test_fuzz_inputs.py`` draws the same mutations with Hypothesis.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import functools
import io
import json
import math
import random
import tempfile
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

import attrs
import numpy as np
import openpyxl
import pandas as pd

import evalkit
from evalkit.errors import EvalkitError, InputError, InputProblem
from evalkit.model import Assessment, Period
from evalkit.rules import RuleSet

T = TypeVar("T")

RULES = "vn.nd335-2025"
PERIOD = "2026-03"
OUTCOMES = ("located", "refused", "accepted")
#: What a garbage mutation's semantic data is: no accepted result is right.
GARBAGE = None


class Chooser(Protocol):
    """Where a mutation's choices come from: :class:`random.Random` or Hypothesis."""

    def choice(self, seq: Sequence[T]) -> T: ...

    def randint(self, a: int, b: int) -> int: ...


@attrs.frozen
class Case:
    """One mutant: its base input, what was done, whether it is harmless, the bytes or
    table, and the data it holds now (``None``: garbage, only a located error is right)."""

    preset: str
    mutation: str
    harmless: bool
    payload: Any = attrs.field(default=None, repr=False, eq=False)
    expected: Any = attrs.field(default=None, repr=False, eq=False)
    whole: bool = False  # the mutation is of the whole file: a problem may name only it


@attrs.frozen
class Outcome:
    """How a mutant ended: one of :data:`OUTCOMES` or ``failure`` (with why)."""

    kind: str
    detail: str = ""
    identical: bool = False


@attrs.define
class Tally:
    """Counts per outcome of one family, how many accepted mutants gave the clean input's
    result, and the failures with their mutation."""

    family: str
    counts: dict[str, int] = attrs.Factory(lambda: dict.fromkeys((*OUTCOMES, "failure"), 0))
    failures: list[tuple[Case, Outcome]] = attrs.Factory(list)
    identical: int = 0

    @property
    def tried(self) -> int:
        """How many mutants were run."""
        return sum(self.counts.values())

    def add(self, case: Case, outcome: Outcome) -> None:
        """Count ``outcome``; keep the case when it failed."""
        self.counts[outcome.kind] += 1
        if outcome.kind == "accepted" and outcome.identical:
            self.identical += 1
        if outcome.kind == "failure":
            self.failures.append((case, outcome))


def _unlocated(problems: Sequence[InputProblem], file: str, *, whole: bool) -> str | None:
    """Why ``problems`` do not locate the mutation (None: they do)."""
    if not problems:
        return "an error with no problem listed"
    for p in problems:
        if not isinstance(p, InputProblem) or not p.message:
            return f"a problem without a message: {p!r}"
        if p.file is None or Path(str(p.file)).name != Path(file).name:
            return f"a problem that does not name the file {file!r}: {p}"
        if not whole and p.sheet is None and p.row is None and p.column is None:
            return f"a problem that names no sheet, row or column: {p}"
    return None


def _located(problems: Sequence[InputProblem], file: str, case: Case, kind: str = "located"
             ) -> Outcome:  # fmt: skip
    why = _unlocated(problems, file, whole=case.whole)
    if why is not None:
        return Outcome("failure", why)
    return Outcome(kind, str(problems[0]).split("\n")[0])


def _same(got: dict[str, tuple[Any, Any]], want: dict[str, tuple[Any, Any]]) -> bool:
    if set(got) != set(want):
        return False
    for sid, (t, g) in want.items():
        t2, g2 = got[sid]
        if (t is None) != (t2 is None) or g != g2:
            return False
        if t is not None and not math.isclose(t, t2, rel_tol=0, abs_tol=1e-9):
            return False
    return True


def _differs(got: dict[str, tuple[Any, Any]], want: dict[str, tuple[Any, Any]]) -> str:
    lines = []
    for sid in sorted(set(got) | set(want)):
        if got.get(sid) != want.get(sid):
            lines.append(f"  {sid!r}: got {got.get(sid)}, expected {want.get(sid)}")
    return "\n".join(lines[:8])


def _tb() -> str:
    return traceback.format_exc(limit=-6)


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 28 else text[:27] + "…"


# =========================================================================== people


@functools.cache
def rule_set() -> RuleSet:
    """The rule set of every family."""
    return evalkit.rules.get(RULES)


#: Competent scores of the clean people: general 28 + tasks (90, 100, 80) = 91 by default.
_GENERAL = {"pham_chat_dao_duc": 5, "ky_luat_ky_cuong": 5, "nang_luc_chuyen_mon": 2.5,
            "dap_ung_nhiem_vu": 2.5, "tinh_than_trach_nhiem": 2.5, "phuc_vu_phoi_hop": 2.5,
            "san_pham_dot_pha": 2, "nhiem_vu_kho_khan": 2, "chiu_trach_nhiem": 2,
            "chu_dong_quyet_dinh": 2}  # fmt: skip
_TASKS = {"so_luong": 90, "chat_luong": 100, "tien_do": 80}


def _p(sid: str, name: str, discipline: int = 0, **scores: float) -> dict[str, Any]:
    return {"staff_id": sid, "full_name": name, "unit_id": "P1", "position_id": "CV",
            "scores": {**_GENERAL, **_TASKS, **scores}, "discipline": discipline,
            "degradation": False}  # fmt: skip


#: The clean people: HTXS 91, HTT 77, HTT 89, KHT (a reprimand), HTXS 90.33 (a Vietnamese id).
PEOPLE: tuple[dict[str, Any], ...] = (
    _p("CC-1", "Nguyễn Văn An"),
    _p("CC-2", "Trần Thị Bình", so_luong=60, chat_luong=70),
    _p("CC-3", "Lê Văn Cường", pham_chat_dao_duc=3),
    _p("CC-4", "Phạm Thị Dung", discipline=1),
    _p("ĐV-5", "Đỗ Văn Em", chat_luong=97),
)


def _nfc_id(sid: str) -> str:
    return unicodedata.normalize("NFC", sid).strip()


def object_path(people: Sequence[dict[str, Any]] | None) -> dict[str, tuple[Any, Any]] | str:
    """Each person scored through the object path: staff id → (total, grade code), or the
    reason the object path refuses the data."""
    if people is None:
        return "garbage"
    out: dict[str, tuple[Any, Any]] = {}
    rs = rule_set()
    for p in people:
        try:
            a = Assessment(p["staff_id"], Period.parse(PERIOD), competent_scores=p["scores"],
                           discipline=p["discipline"], degradation=p["degradation"])
            r = evalkit.score(a, rules=rs, force=True)
        except (EvalkitError, ValueError, TypeError) as exc:
            return f"{p['staff_id']}: {exc}"
        if p["staff_id"] in out:
            return f"{p['staff_id']} twice"
        out[p["staff_id"]] = (r.total, r.grade.code if r.grade is not None else None)
    return out


def _graded(frame: pd.DataFrame) -> dict[str, tuple[Any, Any]]:
    totals = frame["total"].astype(object).where(frame["total"].notna(), None).tolist()
    grades = frame["grade"].astype(object).where(frame["grade"].notna(), None).tolist()
    return {str(s): (None if t is None else float(t), None if g is None else str(g))
            for s, t, g in zip(frame["staff_id"], totals, grades, strict=True)}  # fmt: skip


def _settle(got: dict[str, tuple[Any, Any]], case: Case, base: dict[str, tuple[Any, Any]]
            ) -> Outcome:  # fmt: skip
    """An accepted mutant's result against what it should be."""
    if case.harmless:
        if _same(got, base):
            return Outcome("accepted", identical=True)
        return Outcome("failure", "a harmless mutation changed the result:\n"
                       + _differs(got, base))  # fmt: skip
    want = case.expected if case.expected is not None else "garbage"
    if isinstance(want, str):
        return Outcome("failure", f"accepted, but the data is wrong ({want}); result:\n"
                       + _differs(got, {}))  # fmt: skip
    if _same(got, want):
        return Outcome("accepted", identical=_same(got, base))
    return Outcome("failure", "accepted with a result the object path does not give:\n"
                   + _differs(got, want))  # fmt: skip


# =========================================================================== workbook

SCORE_NUMBERS: tuple[Any, ...] = (0, 1, 0.25, 2, 2.5, 5, 50, 100, -1, -0.5, 5.5, 101, 1e308,
                                  10**20, 1e15, 1e-300, -0.0)  # fmt: skip
BAD_TEXTS = ("năm", "abc", "NaN", "nan", "inf", "-inf", "1e999", "5 điểm", "#N/A", "#VALUE!",
             "--5", "5.5.5", "∞", "½", "x", "1/2")  # fmt: skip
DATES: tuple[Any, ...] = (dt.datetime(2026, 3, 5), dt.date(2026, 3, 5), dt.time(7, 30),
                          dt.timedelta(hours=5), dt.datetime(1900, 1, 1))  # fmt: skip
FORMULAS = ("=1+2", "=SUM(K2:L2)", "=A1", '="HTXS"', "=5", "=TODAY()")
ZW = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")


@functools.cache
def _base_workbook() -> bytes:
    """The clean month workbook (template, then filled as a person would), as bytes."""
    from tests._io_helpers import filled_workbook, person

    rows = []
    for p in PEOPLE:
        extra = {"discipline": p["discipline"]} if p["discipline"] else {}
        rows.append(person(p["staff_id"], p["unit_id"], full_name=p["full_name"],
                           **{**p["scores"], **extra}))  # fmt: skip
    with tempfile.TemporaryDirectory() as d:
        path = filled_workbook(Path(d) / "base.xlsx", rows)
        return path.read_bytes()


@functools.cache
def workbook_base_result() -> dict[str, tuple[Any, Any]]:
    """The clean workbook's (total, grade) per person, checked against the object path."""
    from evalkit.io.workbook import read_month
    from evalkit.workflow import classify_input

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "base.xlsx"
        path.write_bytes(_base_workbook())
        month = read_month(path)
        assert month.problems == [], month.problems
        got = _graded(classify_input(month))
    want = object_path(PEOPLE)
    assert isinstance(want, dict) and _same(got, want), (got, want)
    return got


def _ids(ws: Any) -> list[str | None]:
    from tests._io_helpers import header_ids

    return header_ids(ws)


def _filled_column(ws: Any, col: int) -> bool:
    return any(ws.cell(row=r, column=col).value not in (None, "")
               for r in range(2, ws.max_row + 1))  # fmt: skip


def _drop_score(people: list[dict[str, Any]], crit: str) -> None:
    for p in people:
        p["scores"].pop(crit, None)


def mutate_workbook(wb: Any, ch: Chooser) -> tuple[str, bool, list[dict[str, Any]] | None, bool]:
    """One mutation of the filled workbook ``wb`` (changed in place): (what was done,
    harmless, the people it now holds or None for garbage, whole-file)."""
    from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET

    ws = wb[SCORES_SHEET]
    ids = _ids(ws)
    people = copy.deepcopy(list(PEOPLE))
    i = ch.randint(0, len(people) - 1)
    row = i + 2
    sid = people[i]["staff_id"]
    crits = [c.id for c in rule_set().criteria() if f"competent__{c.id}" in ids]
    filled = [c for c in crits if c in people[i]["scores"]]
    op = ch.choice(("score", "score", "retyped", "retyped", "bad_text", "date", "formula",
                    "blank", "staff_id", "duplicate_row", "delete_row", "insert_row",
                    "insert_column", "delete_column", "swap_columns", "rename_header",
                    "right_of_last", "remove_sheet", "discipline", "degradation",
                    "add_sheet", "units_sheet", "text_whitespace", "far_row"))  # fmt: skip

    def cell(cid: str) -> Any:
        return ws.cell(row=row, column=ids.index(cid) + 1)

    if op == "score":
        crit = ch.choice(crits)
        v = ch.choice(SCORE_NUMBERS)
        cell(f"competent__{crit}").value = v
        people[i]["scores"][crit] = v
        return f"{sid} {crit} = {_short(v)}", False, people, False
    if op == "retyped":
        crit = ch.choice(filled)
        v = people[i]["scores"][crit]
        c = cell(f"competent__{crit}")
        how = ch.choice(("text", "spaces", "nbsp", "float", "comma", "percent", "percent2",
                         "tab"))  # fmt: skip
        if how == "text":
            c.value = str(v)
        elif how == "spaces":
            c.value = f"  {v} "
        elif how == "nbsp":
            c.value = f"\u00a0{v}\u00a0"
        elif how == "tab":
            c.value = f"{v}\t"
        elif how == "float":
            c.value = float(v)
        elif how == "comma":
            c.value = f"{float(v):g}".replace(".", ",") if float(v) != int(v) else str(v)
        else:
            c.value = v / 100
            c.number_format = "0%" if how == "percent" and float(v) == int(v) else "0.00%"
        return f"{sid} {crit} {v!r} retyped ({how})", True, people, False
    if op == "bad_text":
        crit = ch.choice(crits)
        v = ch.choice(BAD_TEXTS)
        cell(f"competent__{crit}").value = v
        return f"{sid} {crit} = {v!r}", False, GARBAGE, False
    if op == "date":
        cid = ch.choice([f"competent__{c}" for c in crits] + ["discipline", "late_files"])
        v = ch.choice((*DATES, "date-format"))
        c = cell(cid)
        if v == "date-format":
            c.value = c.value if isinstance(c.value, int | float) else 46086
            c.number_format = "dd/mm/yyyy"
        else:
            c.value = v
        return f"{sid} {cid} = {_short(v)}", False, GARBAGE, False
    if op == "formula":
        cid = ch.choice([f"competent__{c}" for c in filled] + ["full_name", "unit_id",
                                                                "discipline"])
        v = ch.choice(FORMULAS)
        cell(cid).value = v
        return f"{sid} {cid} = formula {v!r} (no cached value)", False, GARBAGE, False
    if op == "blank":
        cid = ch.choice(["staff_id", "full_name", "unit_id", "position_id",
                         *[f"competent__{c}" for c in filled], "discipline"])  # fmt: skip
        cell(cid).value = ch.choice((None, "", " "))
        if cid == "staff_id":
            return f"{sid} staff_id blanked", False, GARBAGE, False
        if cid.startswith("competent__"):
            people[i]["scores"].pop(cid.removeprefix("competent__"))
        elif cid == "discipline":
            people[i]["discipline"] = 0
        # a blank discipline is "none" (0): a change of the data, not a harmless one
        harmless = cid in ("full_name", "unit_id", "position_id")
        return f"{sid} {cid} blanked", harmless, people, False
    if op == "staff_id":
        c = cell("staff_id")
        how = ch.choice(("zero_width", "nfd", "spaces", "nbsp", "twin_case", "twin_zw",
                         "new"))  # fmt: skip
        if how == "zero_width":
            at = ch.randint(0, len(sid))
            c.value = sid[:at] + ch.choice(ZW) + sid[at:]
        elif how == "nfd":
            c.value = unicodedata.normalize("NFD", sid)
        elif how == "spaces":
            c.value = f" {sid}  "
        elif how == "nbsp":
            c.value = f"{sid}\u00a0"
        elif how in ("twin_case", "twin_zw"):
            other = people[(i + ch.randint(1, len(people) - 1)) % len(people)]["staff_id"]
            c.value = other.lower() if how == "twin_case" else other + ch.choice(ZW)
            if c.value == other:  # an id with no letter to lower: still the same person
                c.value = other + "\u200b"
            return f"{sid} → {c.value!r} (a twin of {other!r})", False, GARBAGE, False
        else:
            c.value = "CC-9"
            people[i]["staff_id"] = "CC-9"
            return f"{sid} → 'CC-9'", False, people, False
        return f"{sid} staff id written {c.value!r} ({how})", True, people, False
    if op == "duplicate_row":
        new = ws.max_row + 1
        for col in range(1, ws.max_column + 1):
            ws.cell(row=new, column=col).value = ws.cell(row=row, column=col).value
        return f"{sid} row copied to row {new}", False, GARBAGE, False
    if op == "delete_row":
        if ch.randint(0, 5) == 0:
            ws.delete_rows(1)
            return "header row deleted", False, GARBAGE, False
        ws.delete_rows(row)
        del people[i]
        return f"{sid} row deleted", False, people, False
    if op == "insert_row":
        at = ch.randint(2, len(people) + 2)
        ws.insert_rows(at, ch.randint(1, 3))
        return f"blank rows inserted at row {at}", True, people, False
    if op == "insert_column":
        at = ch.randint(1, ws.max_column + 1)
        ws.insert_cols(at)
        how = ch.choice(("blank", "header", "header+value", "value"))
        if how in ("header", "header+value"):
            ws.cell(row=1, column=at).value = ch.choice(("Ghi chú", "Cột mới", "[ghi_chu]"))
        if how in ("header+value", "value"):
            ws.cell(row=row, column=at).value = ch.choice(("x", 5, "ghi chú"))
            return f"column inserted at {at} ({how})", False, GARBAGE, False
        return f"column inserted at {at} ({how})", True, people, False
    if op == "delete_column":
        at = ch.randint(1, len(ids))
        cid = ids[at - 1] or ""
        ws.delete_cols(at)
        what = f"column {at} [{cid}] deleted"
        if cid == "staff_id":
            return what, False, GARBAGE, False
        if cid.startswith("competent__"):
            _drop_score(people, cid.removeprefix("competent__"))
            return what, False, people, False
        if cid == "discipline":
            for p in people:
                p["discipline"] = 0
            return what, False, people, False
        return what, True, people, False
    if op == "swap_columns":
        a, b = ch.randint(1, ws.max_column), ch.randint(1, ws.max_column)
        for r in range(1, ws.max_row + 1):
            ca, cb = ws.cell(row=r, column=a), ws.cell(row=r, column=b)
            ca.value, cb.value = cb.value, ca.value
        return f"columns {a} and {b} swapped", True, people, False
    if op == "rename_header":
        at = ch.randint(1, len(ids))
        c = ws.cell(row=1, column=at)
        text = str(c.value or "")
        label = text[: text.rfind("[")].strip() if "[" in text else text
        how = ch.choice(("label", "no_id", "unknown", "blank", "other_id"))
        if how == "label":
            c.value = f"Cột đổi tên [{ids[at - 1]}]"
            return f"header {at} relabelled, id kept", True, people, False
        if how == "no_id":
            c.value = label
            return f"header {at} without its id ({label[:20]!r})", True, people, False
        has_data = _filled_column(ws, at)
        if how == "unknown":
            c.value = ch.choice(("Cột lạ", "[cot_la]", "Điểm"))
        elif how == "blank":
            c.value = None
        else:
            other = ch.choice([x for x in ids if x and x != ids[at - 1]])
            c.value = f"Trùng [{other}]"
        what = f"header {at} [{ids[at - 1]}] → {c.value!r}"
        return what, not has_data, (GARBAGE if has_data else people), False
    if op == "right_of_last":
        at = ws.max_column + ch.randint(1, 3)
        v = ch.choice(("x", 5, "ghi chú", " ", 0))
        r = ch.choice((row, 1))
        ws.cell(row=r, column=at).value = v
        blank_ok = v == " " or (r == 1 and isinstance(v, str))
        return f"{v!r} at row {r}, column {at} (right of the last header)", blank_ok, \
            (people if blank_ok else GARBAGE), False  # fmt: skip
    if op == "remove_sheet":
        name = ch.choice(wb.sheetnames)
        wb.remove(wb[name])
        if name == SCORES_SHEET:
            return f"sheet {name!r} removed", False, GARBAGE, True
        return f"sheet {name!r} removed", True, people, True
    if op == "discipline":
        v = ch.choice((0, 1, 2, 3, 5, "khiển trách", "cảnh cáo", "0", 6, -1, 1.5, "x", "nặng"))
        cell("discipline").value = v
        level = {"khiển trách": 1, "cảnh cáo": 2, "0": 0}.get(v, v) if isinstance(v, str) else v
        if level in (0, 1, 2, 3, 4, 5) and not isinstance(level, float):
            people[i]["discipline"] = level
            return f"{sid} discipline = {v!r}", False, people, False
        return f"{sid} discipline = {v!r}", False, GARBAGE, False
    if op == "degradation":
        v = ch.choice(("x", "X", "có", "không", None, "", "có lẽ", 7))
        cell("degradation").value = v
        if v in ("x", "X", "có"):
            people[i]["degradation"] = True
        elif v not in ("không", None, ""):
            return f"{sid} degradation = {v!r}", False, GARBAGE, False
        return f"{sid} degradation = {v!r}", False, people, False
    if op == "add_sheet":
        extra = wb.create_sheet(ch.choice(("Ghi chú", "Sheet1", "Điểm cũ")))
        extra["A1"] = "ghi chú riêng"
        return f"sheet {extra.title!r} added", True, people, True
    if op == "units_sheet":
        us = wb[UNITS_SHEET]
        uids = _ids(us)
        how = ch.choice(("rename_unit", "add_unit"))
        if how == "rename_unit":
            us.cell(row=2, column=uids.index("unit_id") + 1).value = "P2"
            return "unit P1 renamed P2 on the units sheet", False, GARBAGE, False
        new = us.max_row + 1
        us.cell(row=new, column=uids.index("unit_id") + 1).value = "P9"
        us.cell(row=new, column=uids.index("name") + 1).value = "Phòng 9"
        return "unit P9 added", True, people, False
    if op == "text_whitespace":
        cid = ch.choice(("full_name", "unit_id", "position_id"))
        c = cell(cid)
        c.value = ch.choice((f"  {c.value} ", f"{c.value}\u00a0", f"\u200b{c.value}"))
        return f"{sid} {cid} written {c.value!r}", True, people, False
    # far_row: a score far below the people, in a row nobody else filled
    at = ch.choice((50, 1000, 20_000))
    crit = ch.choice(crits)
    ws.cell(row=at, column=ids.index(f"competent__{crit}") + 1).value = 5
    return f"a score at row {at} with no staff id", False, GARBAGE, False


def workbook_case(ch: Chooser) -> Case:
    """One mutant of the clean workbook."""
    wb = openpyxl.load_workbook(io.BytesIO(_base_workbook()))
    what, harmless, people, whole = mutate_workbook(wb, ch)
    out = io.BytesIO()
    wb.save(out)
    return Case("month workbook", what, harmless, out.getvalue(),
                None if people is None else object_path(people), whole)


def run_workbook_case(case: Case, folder: Path) -> Outcome:
    """Read the mutant (the validate door); when it reads clean, classify it."""
    from evalkit.io.workbook import read_month
    from evalkit.workflow import classify_input

    path = folder / "thang-03.xlsx"
    path.write_bytes(case.payload)
    try:
        month = read_month(path)
    except Exception:
        return Outcome("failure", "read_month raised:\n" + _tb())
    if month.problems:
        return _located(month.problems, str(path), case)
    try:
        got = _graded(classify_input(month))
    except InputError as exc:
        return Outcome("failure", f"validate said no problems, classify refused:\n{exc}")
    except Exception:
        return Outcome("failure", "classify raised:\n" + _tb())
    return _settle(got, case, workbook_base_result())


# =========================================================================== CSV

CSV_COLUMNS = ["staff_id", "full_name", "unit_id", *_GENERAL, *_TASKS, "discipline",
               "self_comment"]  # fmt: skip


def _csv_record(p: dict[str, Any], comment: str) -> list[str]:
    return [p["staff_id"], p["full_name"], p["unit_id"],
            *[f"{p['scores'][c]:g}" for c in (*_GENERAL, *_TASKS)],
            str(p["discipline"]), comment]  # fmt: skip


_COMMENTS = ("tốt", "hoàn thành, đúng hạn", "cần cố gắng", "", "dòng 1\ndòng 2")


@functools.cache
def csv_base_result() -> dict[str, tuple[Any, Any]]:
    """The clean CSV's (total, grade) per person (scored), checked against the object path."""
    with tempfile.TemporaryDirectory() as d:
        got = _csv_result(Path(d) / "s.csv", _render_csv(CSV_COLUMNS, _csv_base_records()))
    assert isinstance(got, dict), got
    want = object_path(PEOPLE)
    assert isinstance(want, dict) and _same(got, want), (got, want)
    return got


def _csv_base_records() -> list[list[str]]:
    return [_csv_record(p, _COMMENTS[k]) for k, p in enumerate(PEOPLE)]


def _render_csv(header: Sequence[str], records: Sequence[Sequence[str]], *, delimiter: str = ",",
                quote_all: bool = False, eol: str = "\n") -> str:  # fmt: skip
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=eol,
                   quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)  # fmt: skip
    w.writerow(header)
    w.writerows(records)
    return buf.getvalue()


def _csv_result(path: Path, text: str | bytes) -> dict[str, tuple[Any, Any]] | list[InputProblem]:
    from evalkit.io.workbook import read_month
    from evalkit.workflow import score_input

    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    month = read_month(path, RULES, period=PERIOD)
    if month.problems:
        return month.problems
    return _graded(score_input(month))


def mutate_csv(ch: Chooser) -> tuple[str, bool, bytes, list[dict[str, Any]] | None, bool]:
    """One mutation of the clean CSV: (what, harmless, bytes, people or None, whole-file)."""
    header = list(CSV_COLUMNS)
    records = _csv_base_records()
    people = copy.deepcopy(list(PEOPLE))
    i = ch.randint(0, len(records) - 1)
    sid = people[i]["staff_id"]
    num_cols = [k for k, c in enumerate(header) if c in _GENERAL or c in _TASKS]
    op = ch.choice(("bom", "crlf", "quote_all", "blank_line", "comma_line", "trailing_fields",
                    "swap_columns", "retyped", "no_final_newline", "reorder", "encoding",
                    "delimiter", "stray_quote_text", "quote_at_field_start", "score",
                    "score", "delete_record", "new_record", "new_id", "extra_field",
                    "short_record", "bad_text", "duplicate_record", "cut", "cut",
                    "nul_in_name", "rename_header", "duplicate_header", "zero_width_id",
                    "combine"))  # fmt: skip
    if op == "combine":
        # two harmless edits of the representation at once
        records2 = [r[:] for r in records]
        perm = list(range(len(header)))
        a, b = ch.randint(0, len(header) - 1), ch.randint(0, len(header) - 1)
        perm[a], perm[b] = perm[b], perm[a]
        text = _render_csv([header[k] for k in perm], [[r[k] for k in perm] for r in records2],
                           quote_all=True, eol="\r\n")  # fmt: skip
        return (f"columns {a} and {b} swapped, every field quoted, CRLF", True,
                b"\xef\xbb\xbf" + text.encode(), people, True)  # fmt: skip
    if op in ("bom", "crlf", "quote_all", "no_final_newline"):
        text = _render_csv(header, records, quote_all=op == "quote_all",
                           eol="\r\n" if op == "crlf" else "\n")  # fmt: skip
        raw = text.encode()
        if op == "bom":
            raw = b"\xef\xbb\xbf" + raw
        if op == "no_final_newline":
            raw = raw.rstrip(b"\n")
        return op, True, raw, people, True
    text = _render_csv(header, records)
    lines = text.split("\n")
    if op in ("blank_line", "comma_line"):
        at = ch.randint(1, len(lines) - 1)
        filler = "" if op == "blank_line" else "," * ch.randint(1, len(header) + 2)
        lines.insert(at, filler)
        return f"{op} {filler!r} at line {at + 1}", True, "\n".join(lines).encode(), people, \
            False  # fmt: skip
    if op == "trailing_fields":
        records[i] = records[i] + [""] * ch.randint(1, 3)
        return f"{sid}: empty fields after the last", True, \
            _render_csv(header, records).encode(), people, False  # fmt: skip
    if op == "swap_columns":
        a, b = ch.randint(0, len(header) - 1), ch.randint(0, len(header) - 1)
        for r in [header, *records]:
            r[a], r[b] = r[b], r[a]
        return f"columns {header[b]} and {header[a]} swapped", True, \
            _render_csv(header, records).encode(), people, False  # fmt: skip
    if op == "retyped":
        k = ch.choice(num_cols)
        v = float(records[i][k])
        records[i][k] = ch.choice((f" {records[i][k]} ", f"{v:.2f}", f"{v:g}".replace(".", ","),
                                   f"+{records[i][k]}", f"{v:.1f}"))  # fmt: skip
        return f"{sid} {header[k]} written {records[i][k]!r}", True, \
            _render_csv(header, records).encode(), people, False  # fmt: skip
    if op == "reorder":
        rnd = random.Random(ch.randint(0, 10**6))
        rnd.shuffle(records)
        return "records reordered", True, _render_csv(header, records).encode(), people, False
    if op == "encoding":
        enc = ch.choice(("cp1258", "utf-16", "latin-1", "utf-8-sig", "utf-32"))
        return f"encoded {enc}", True, text.encode(enc, errors="replace"), people, True
    if op == "delimiter":
        d = ch.choice((";", "\t", "|"))
        return f"delimiter {d!r}", True, _render_csv(header, records, delimiter=d).encode(), \
            people, True  # fmt: skip
    if op == "stray_quote_text":
        k = ch.choice((1, len(header) - 1))
        field = records[i][k]
        at = ch.randint(1, max(1, len(field)))
        records[i][k] = field[:at] + '"' + field[at:]
        # written raw, without the writer's quoting: a literal quote inside a text field
        raw_lines = text.split("\n")
        joined = ",".join(f'"{f}"' if ("\n" in f or "," in f) and '"' not in f else f
                          for f in records[i])  # fmt: skip
        line_no = 1 + sum(1 + r[-1].count("\n") for r in records[:i])
        span = 1 + _csv_base_records()[i][-1].count("\n")
        raw_lines[line_no: line_no + span] = joined.split("\n")
        return f"{sid}: a quote inside {header[k]}", True, "\n".join(raw_lines).encode(), \
            people, False  # fmt: skip
    if op == "quote_at_field_start":
        line_no = ch.randint(1, len(lines) - 2)
        line = lines[line_no]
        starts = [0] + [k + 1 for k, c in enumerate(line) if c == ","]
        at = ch.choice(starts)
        lines[line_no] = line[:at] + '"' + line[at:]
        return f"a quote opens a field at line {line_no + 1}, column {at + 1}", False, \
            "\n".join(lines).encode(), GARBAGE, False  # fmt: skip
    if op == "score":
        k = ch.choice(num_cols)
        v = ch.choice(SCORE_NUMBERS)
        records[i][k] = repr(v) if isinstance(v, float) else str(v)
        people[i]["scores"][header[k]] = v
        return f"{sid} {header[k]} = {records[i][k]}", False, \
            _render_csv(header, records).encode(), people, False  # fmt: skip
    if op == "delete_record":
        del records[i]
        del people[i]
        return f"{sid} deleted", False, _render_csv(header, records).encode(), people, False
    if op == "new_record":
        new = _p("CC-7", "Người Mới", chat_luong=50)
        records.insert(ch.randint(0, len(records)), _csv_record(new, "mới"))
        people.append(new)
        return "CC-7 added", False, _render_csv(header, records).encode(), people, False
    if op == "new_id":
        records[i][0] = "CC-9"
        people[i]["staff_id"] = "CC-9"
        return f"{sid} → CC-9", False, _render_csv(header, records).encode(), people, False
    if op == "zero_width_id":
        records[i][0] = sid + ch.choice(ZW)
        return f"{sid} written {records[i][0]!r}", True, _render_csv(header, records).encode(), \
            people, False  # fmt: skip
    if op == "extra_field":
        records[i] = records[i] + ch.choice((["x"], ["", "5"], ["thêm"]))
        return f"{sid}: a field past the header", False, \
            _render_csv(header, records).encode(), GARBAGE, False  # fmt: skip
    if op == "short_record":
        k = ch.randint(0, len(header) - 2)
        dropped = records[i][k]
        del records[i][k]
        return f"{sid}: field {k + 1} ({header[k]} {dropped!r}) missing", False, \
            _render_csv(header, records).encode(), GARBAGE, False  # fmt: skip
    if op == "bad_text":
        k = ch.choice(num_cols)
        records[i][k] = ch.choice(BAD_TEXTS)
        return f"{sid} {header[k]} = {records[i][k]!r}", False, \
            _render_csv(header, records).encode(), GARBAGE, False  # fmt: skip
    if op == "duplicate_record":
        records.append(records[i][:])
        return f"{sid} twice", False, _render_csv(header, records).encode(), GARBAGE, False
    if op == "nul_in_name":
        junk = ch.choice(("\x00", "\x1b", "\x7f"))
        records[i][1] = records[i][1][:2] + junk + records[i][1][2:]
        return f"{sid}: {junk!r} in the name", True, _render_csv(header, records).encode(), \
            people, True  # fmt: skip
    if op in ("rename_header", "duplicate_header"):
        k = ch.randint(0, len(header) - 1)
        old = header[k]
        header[k] = ch.choice(("ghi_chu", "", "Cột lạ")) if op == "rename_header" \
            else ch.choice([c for c in CSV_COLUMNS if c != old])  # fmt: skip
        return f"header {old!r} → {header[k]!r}", False, \
            _render_csv(header, records).encode(), GARBAGE, False  # fmt: skip
    # cut: the file ends early
    raw = text.encode()
    cut = ch.randint(len(lines[0]) + 1, len(raw))
    head = raw[:cut].decode("utf-8", errors="ignore")
    return f"cut at byte {cut}", False, raw[:cut], _cut_people(head), False


def _cut_people(head: str) -> list[dict[str, Any]] | None:
    """The people a CSV cut after ``head`` holds: the complete records, plus one cut inside
    its last field (the comment; its grade is intact). None when a record is cut earlier."""
    records = _csv_base_records()
    full = _render_csv(CSV_COLUMNS, records)
    at = len(full.split("\n")[0]) + 1
    kept = []
    for k, r in enumerate(records):
        line = _render_csv(CSV_COLUMNS, [r]).split("\n", 1)[1]
        end = at + len(line)
        # where the comment (the last field) starts: the record with an empty comment
        comment_at = at + len(_render_csv(CSV_COLUMNS, [[*r[:-1], ""]]).split("\n", 1)[1]
                              .rstrip("\n"))  # fmt: skip
        if len(head) >= end - 1:  # the whole record (its final newline may be missing)
            kept.append(PEOPLE[k])
        elif len(head) >= comment_at:  # cut inside the comment: the grade is intact,
            if line[comment_at - at:].startswith('"') and len(head) > comment_at:
                return GARBAGE  # unless a quoted comment is left open
            kept.append(PEOPLE[k])
            break
        elif len(head) > at:
            return GARBAGE
        else:
            break
        at = end
    return copy.deepcopy(kept)


def csv_case(ch: Chooser) -> Case:
    """One mutant of the clean CSV."""
    what, harmless, raw, people, whole = mutate_csv(ch)
    return Case("staff CSV", what, harmless, raw,
                None if people is None else object_path(people), whole)


def run_csv_case(case: Case, folder: Path) -> Outcome:
    """Read the mutant (the validate door); when it reads clean, score it."""
    from evalkit.workflow import score_input  # noqa: F401  (imported by _csv_result)

    path = folder / "thang-03.csv"
    try:
        got = _csv_result(path, case.payload)
    except InputError as exc:
        return Outcome("failure", f"validate said no problems, score refused:\n{exc}")
    except Exception:
        return Outcome("failure", _tb())
    if isinstance(got, list):
        return _located(got, str(path), case)
    return _settle(got, case, csv_base_result())


# =========================================================================== task tables

D = dt.date


def _task(tid: str, who: str, unit: str, assigned: D, due: D, done: D | None,
          quantity: float = 1, coefficient: float = 1, errors: int = 0,
          exceeded: bool = False) -> dict[str, Any]:  # fmt: skip
    return {"task_id": tid, "assignee": who, "unit_id": unit, "assigned": assigned,
            "due": due, "done": done, "quantity": quantity, "coefficient": coefficient,
            "errors": errors, "exceeded": exceeded}  # fmt: skip


#: The clean task table: three people, two units, March and April 2026.
TASKS: tuple[dict[str, Any], ...] = (
    _task("T1", "A", "U1", D(2026, 3, 1), D(2026, 3, 10), D(2026, 3, 9), 2, 1.5),
    _task("T2", "A", "U1", D(2026, 3, 2), D(2026, 3, 20), None, 1, 1),
    _task("T3", "A", "U1", D(2026, 3, 5), D(2026, 3, 25), D(2026, 3, 27), 3, 0.5, 1),
    _task("T4", "B", "U1", D(2026, 3, 1), D(2026, 3, 15), D(2026, 3, 15), 1, 2, 0, True),
    _task("T5", "B", "U1", D(2026, 3, 3), D(2026, 3, 31), D(2026, 3, 30), 4, 1, 2),
    _task("T6", "C", "U2", D(2026, 3, 10), D(2026, 4, 10), D(2026, 4, 2), 1, 1),
    _task("T7", "C", "U2", D(2026, 2, 20), D(2026, 3, 12), D(2026, 4, 3), 2, 1),
    _task("T8", "C", "U2", D(2026, 3, 1), D(2026, 3, 31), None, 1, 3),
)
TASK_COLUMNS = list(TASKS[0])


def _canonical(tasks: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The task table cleanly typed: dates as datetime64, numbers as floats, marks as bools."""
    frame = pd.DataFrame(list(tasks), columns=TASK_COLUMNS)
    for c in ("assigned", "due", "done"):
        frame[c] = pd.to_datetime(frame[c])
    for c in ("quantity", "coefficient", "errors"):
        frame[c] = frame[c].astype(np.float64)
    frame["exceeded"] = frame["exceeded"].astype(bool)
    return frame


def _summary(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    from evalkit.io.tasks import task_components

    s = task_components(frame, rules=RULES)
    people = s.people.sort_index().sort_index(axis=1)
    units = s.units.sort_index().sort_index(axis=1)
    return people, units


def _independent_so_luong(tasks: Sequence[dict[str, Any]]) -> dict[tuple[str, str], float]:
    """so_luong per person-month by hand: converted done by the month's end ÷ converted
    assigned × 100 (quantity × coefficient), the month being the due date's."""
    done: dict[tuple[str, str], float] = {}
    total: dict[tuple[str, str], float] = {}
    for t in tasks:
        month = f"{t['due'].year:04d}-{t['due'].month:02d}"
        end = (pd.Timestamp(t["due"]) + pd.offsets.MonthEnd(0)).date()
        key = (t["assignee"], month)
        conv = float(t["quantity"]) * float(t["coefficient"])
        total[key] = total.get(key, 0.0) + conv
        if t["done"] is not None and t["done"] <= end:
            done[key] = done.get(key, 0.0) + conv
    return {k: (100.0 * done.get(k, 0.0) / v if v else math.nan) for k, v in total.items()}


@functools.cache
def tasks_base_result() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The clean task table's summary, its so_luong checked by hand."""
    people, units = _summary(_canonical(TASKS))
    by_hand = _independent_so_luong(TASKS)
    got = people["so_luong"].to_dict()
    assert set(got) == set(by_hand), (got, by_hand)
    assert all(math.isclose(got[k], by_hand[k], abs_tol=1e-9) for k in got), (got, by_hand)
    return people, units


_DATE_VARIANTS: tuple[Callable[[D], Any], ...] = (
    D.isoformat, lambda d: d.strftime("%d/%m/%Y"), lambda d: f"  {d.isoformat()} ",
    lambda d: dt.datetime(d.year, d.month, d.day), pd.Timestamp,
    lambda d: f"{d.isoformat()} 00:00", lambda d: np.datetime64(d.isoformat()),
    lambda d: f"{d.isoformat()}T00:00:00",
)
_YES = ("x", "X", "có", True, 1, "1", " x ")
_NO = ("", None, "không", False, 0, "0")


def _typed(tasks: Sequence[dict[str, Any]], ch: Chooser) -> pd.DataFrame:
    """A table as a tracker export might type it: dates as text, numbers as numbers."""
    rows = []
    for t in tasks:
        r = dict(t)
        for c in ("assigned", "due", "done"):
            r[c] = None if t[c] is None else t[c].isoformat()
        r["exceeded"] = "x" if t["exceeded"] else None
        rows.append(r)
    frame = pd.DataFrame(rows, columns=TASK_COLUMNS).astype(object)
    return frame


def mutate_tasks(ch: Chooser) -> tuple[str, bool, pd.DataFrame, list[dict[str, Any]] | None]:
    """One mutation of the clean task table: (what, harmless, table, tasks or None)."""
    tasks = [dict(t) for t in TASKS]
    frame = _typed(tasks, ch)
    i = ch.randint(0, len(tasks) - 1)
    tid = tasks[i]["task_id"]
    op = ch.choice(("date_format", "date_column", "number_text", "mark", "assignee_space",
                    "shuffle", "reorder_columns", "extra_column", "index", "string_dtype",
                    "quantity", "coefficient", "errors", "done", "due", "delete_row",
                    "duplicate_row", "bad_coefficient", "bad_quantity", "bad_errors",
                    "far_date", "bad_date", "due_before_assigned", "done_before_assigned",
                    "blank_assignee", "blank_required_date", "bad_mark",
                    "drop_required_column"))  # fmt: skip

    def put(col: str, value: Any) -> None:
        frame.at[frame.index[i], col] = value

    if op == "date_format":
        col = ch.choice([c for c in ("assigned", "due", "done") if tasks[i][c] is not None])
        fmt = ch.randint(0, len(_DATE_VARIANTS) - 1)
        put(col, _DATE_VARIANTS[fmt](tasks[i][col]))
        return f"{tid} {col} written {frame.at[frame.index[i], col]!r}", True, frame, tasks
    if op == "date_column":
        col = ch.choice(("assigned", "due", "done"))
        frame[col] = pd.to_datetime(frame[col]).astype(ch.choice(("datetime64[ns]",
                                                                  "datetime64[s]")))
        return f"{col} as a {frame[col].dtype} column", True, frame, tasks
    if op == "number_text":
        col = ch.choice(("quantity", "coefficient", "errors"))
        v = tasks[i][col]
        put(col, ch.choice((str(v), f" {v} ", float(v), f"{float(v):.1f}")))
        return f"{tid} {col} written {frame.at[frame.index[i], col]!r}", True, frame, tasks
    if op == "mark":
        put("exceeded", ch.choice(_YES if tasks[i]["exceeded"] else _NO))
        return f"{tid} exceeded written {frame.at[frame.index[i], 'exceeded']!r}", True, \
            frame, tasks  # fmt: skip
    if op == "assignee_space":
        who = tasks[i]["assignee"]
        put("assignee", ch.choice((f" {who}", f"{who} ", f"{who}\u200b", f"\u00a0{who}")))
        return f"{tid} assignee written {frame.at[frame.index[i], 'assignee']!r}", True, \
            frame, tasks  # fmt: skip
    if op == "shuffle":
        order = list(range(len(frame)))
        random.Random(ch.randint(0, 10**6)).shuffle(order)
        return "rows shuffled", True, frame.iloc[order], tasks
    if op == "reorder_columns":
        cols = list(frame.columns)
        random.Random(ch.randint(0, 10**6)).shuffle(cols)
        return "columns reordered", True, frame[cols], tasks
    if op == "extra_column":
        frame["ghi_chu"] = "ghi chú"
        return "an unknown column", True, frame, tasks
    if op == "index":
        frame.index = pd.RangeIndex(2, 2 + len(frame))
        return "rows numbered from 2 (as a sheet)", True, frame, tasks
    if op == "string_dtype":
        for col in ("task_id", "assignee", "unit_id", "assigned", "due", "done"):
            frame[col] = frame[col].astype("str").where(frame[col].notna(), None) \
                if ch.randint(0, 1) else frame[col].astype(pd.StringDtype())  # fmt: skip
        return "text columns as str / string dtype", True, frame, tasks
    if op in ("quantity", "coefficient", "errors"):
        v = ch.choice({"quantity": (0, 0.5, 3, 10, 1e6), "coefficient": (0.25, 2, 5),
                       "errors": (0, 1, 3, 4, 10**30)}[op])  # fmt: skip
        put(op, v)
        tasks[i][op] = v
        return f"{tid} {op} = {v}", False, frame, tasks
    if op in ("done", "due"):
        d = tasks[i]["assigned"] + dt.timedelta(days=ch.randint(0, 60))
        v = None if op == "done" and ch.randint(0, 3) == 0 else d
        put(op, None if v is None else v.isoformat())
        tasks[i][op] = v
        if op == "due" and tasks[i]["done"] is not None and tasks[i]["done"] < tasks[i]["assigned"]:
            return f"{tid} due = {v}", False, frame, GARBAGE
        return f"{tid} {op} = {v}", False, frame, tasks
    if op == "delete_row":
        del tasks[i]
        return f"{tid} deleted", False, frame.drop(index=frame.index[i]), tasks
    if op == "duplicate_row":
        tasks.append(dict(tasks[i]))
        return f"{tid} twice", False, pd.concat([frame, frame.iloc[[i]]], ignore_index=True), \
            tasks  # fmt: skip
    if op == "bad_coefficient":
        v = ch.choice((0, -1, -0.5, float("inf"), float("nan"), "abc", "", "1,5e", "-0"))
        put("coefficient", v)
        if v == "" or (isinstance(v, float) and math.isnan(v)):  # blank: the default 1
            tasks[i]["coefficient"] = 1
            return f"{tid} coefficient blank", False, frame, tasks
        return f"{tid} coefficient = {v!r}", False, frame, GARBAGE
    if op == "bad_quantity":
        v = ch.choice((-1, -0.01, float("inf"), "nhiều", "1e999", 10**400))
        put("quantity", v)
        return f"{tid} quantity = {_short(v)}", False, frame, GARBAGE
    if op == "bad_errors":
        v = ch.choice((-1, 1.5, float("inf"), "nhiều", "2 lỗi", True))
        put("errors", v)
        return f"{tid} errors = {_short(v)}", False, frame, GARBAGE
    if op == "far_date":
        col = ch.choice(("assigned", "due", "done"))
        v = ch.choice(("9999-12-31", "0001-01-01", "1800-01-01", dt.datetime(9999, 12, 31),
                       "2300-01-01", np.datetime64("2500-01-01", "s")))  # fmt: skip
        put(col, v)
        return f"{tid} {col} = {v!r}", False, frame, GARBAGE
    if op == "bad_date":
        col = ch.choice(("assigned", "due", "done"))
        v = ch.choice(("2026-02-30", "30/02/2026", "sớm", "2026-13-01", "32/01/2026", 46086,
                       dt.time(7, 30), "03/2026"))  # fmt: skip
        put(col, v)
        return f"{tid} {col} = {v!r}", False, frame, GARBAGE
    if op == "due_before_assigned":
        put("due", (tasks[i]["assigned"] - dt.timedelta(days=ch.randint(1, 30))).isoformat())
        return f"{tid} due before assigned", False, frame, GARBAGE
    if op == "done_before_assigned":
        put("done", (tasks[i]["assigned"] - dt.timedelta(days=ch.randint(1, 30))).isoformat())
        return f"{tid} done before assigned", False, frame, GARBAGE
    if op == "blank_assignee":
        put("assignee", ch.choice((None, "", "  ", "\u200b")))
        return f"{tid} assignee blank", False, frame, GARBAGE
    if op == "blank_required_date":
        col = ch.choice(("assigned", "due"))
        put(col, ch.choice((None, "", " ")))
        return f"{tid} {col} blank", False, frame, GARBAGE
    if op == "bad_mark":
        put("exceeded", ch.choice(("có lẽ", "2", "?", 0.5)))
        return f"{tid} exceeded unclear", False, frame, GARBAGE
    col = ch.choice(("assignee", "assigned", "due"))
    return f"column {col} dropped", False, frame.drop(columns=[col]), GARBAGE


def tasks_case(ch: Chooser) -> Case:
    """One mutant of the clean task table."""
    what, harmless, frame, tasks = mutate_tasks(ch)
    return Case("task table", what, harmless, frame, tasks)


def _frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    try:
        pd.testing.assert_frame_equal(a, b, check_dtype=False, check_exact=False,
                                      rtol=0, atol=1e-9)  # fmt: skip
    except AssertionError:
        return False
    return True


def run_tasks_case(case: Case, folder: Path | None = None) -> Outcome:
    """check_tasks (the door), then task_components: located, or the expected summary."""
    from evalkit.io.tasks import check_tasks

    source = "nhiem-vu.csv"
    frame = case.payload.copy()
    try:
        problems = check_tasks(frame, source=source)
    except Exception:
        return Outcome("failure", "check_tasks raised:\n" + _tb())
    try:
        got = _summary(frame)
    except InputError as exc:
        # the door is check_tasks and then the product checks of task_components (the
        # workbook's tasks sheet runs both before it says "no problems")
        return _located_rows(problems or [attrs.evolve(p, file=source) for p in exc.problems],
                             source)
    except Exception:
        return Outcome("failure", "task_components raised:\n" + _tb())
    if problems:
        return Outcome("failure", "check_tasks found problems, task_components accepted: "
                       + str(problems[0]))  # fmt: skip
    base = tasks_base_result()
    if case.harmless:
        if _frames_equal(got[0], base[0]) and _frames_equal(got[1], base[1]):
            return Outcome("accepted", identical=True)
        return Outcome("failure", "a harmless mutation changed the summary:\n"
                       f"{got[0]}\nexpected\n{base[0]}")  # fmt: skip
    if case.expected is None:
        return Outcome("failure", "accepted a table that must be refused; summary:\n"
                       f"{got[0]}")  # fmt: skip
    try:
        want = _summary(_canonical(case.expected))
    except InputError as exc:
        return Outcome("failure", f"accepted; the cleanly typed table is refused: {exc}")
    if not (_frames_equal(got[0], want[0]) and _frames_equal(got[1], want[1])):
        return Outcome("failure", f"accepted with a summary the clean table does not give:\n"
                       f"{got[0]}\nexpected\n{want[0]}")  # fmt: skip
    by_hand = _independent_so_luong(case.expected)
    mine = got[0]["so_luong"].to_dict()
    if set(mine) != set(by_hand) or not all(
            (math.isnan(mine[k]) and math.isnan(by_hand[k])) or
            math.isclose(mine[k], by_hand[k], abs_tol=1e-9) for k in mine):  # fmt: skip
        return Outcome("failure", f"so_luong {mine} is not the converted ratio {by_hand}")
    identical = _frames_equal(got[0], base[0]) and _frames_equal(got[1], base[1])
    return Outcome("accepted", identical=identical)


def _located_rows(problems: Sequence[InputProblem], source: str) -> Outcome:
    for p in problems:
        if p.file != source or not p.message or p.column is None:
            return Outcome("failure", f"a problem that names no file or column: {p}")
    return Outcome("located", str(problems[0]))


# =========================================================================== results JSON


@functools.cache
def _base_results_doc() -> str:
    """The results JSON of the clean workbook, as ``evalkit classify --out r.json`` writes."""
    from evalkit.io.results import write_results
    from evalkit.io.workbook import read_month
    from evalkit.workflow import classify_input

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "base.xlsx"
        path.write_bytes(_base_workbook())
        out = Path(d) / "r.json"
        write_results(classify_input(read_month(path)), out)
        return out.read_text(encoding="utf-8")


def _result_rows(frame: pd.DataFrame) -> dict[str, tuple[Any, Any, str]]:
    totals = frame["total"].astype(object).where(frame["total"].notna(), None).tolist()
    grades = frame["grade"].astype(object).where(frame["grade"].notna(), None).tolist()
    reasons = (frame["reasons"].astype(object).where(frame["reasons"].notna(), "").tolist()
               if "reasons" in frame.columns else [""] * len(frame))  # fmt: skip
    return {str(s): (None if t is None else float(t), None if g is None else str(g), str(r))
            for s, t, g, r in zip(frame["staff_id"], totals, grades, reasons, strict=True)}


@functools.cache
def results_base_rows() -> dict[str, tuple[Any, Any, str]]:
    """staff id → (total, grade, reasons) of the clean results document."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.json"
        path.write_text(_base_results_doc(), encoding="utf-8")
        return _result_rows(_read_results(path))


def _read_results(path: Path) -> pd.DataFrame:
    from evalkit.io.results import read_results

    return read_results(path)


def _as_read(grade: Any) -> Any:
    """A grade as every door reads one ('htxs', 'Hoàn thành tốt nhiệm vụ', 2 are their
    codes: af197; a blank None); a value that is no grade as typed."""
    from evalkit._columns import grade_codes
    from evalkit.model import Grade

    codes, bad = grade_codes(pd.Series([grade], dtype=object))
    if bad[0]:
        return grade
    return Grade(int(codes[0])).code if codes[0] >= 0 else None  # '' is a blank cell


def _doc_rows(doc: Any) -> dict[str, tuple[Any, Any, str]] | None:
    """What a mutated document says each person got (None: it says nothing plainly)."""
    try:
        out = {}
        for r in doc["data"]["rows"]:
            t, g = r.get("total"), _as_read(r.get("grade"))
            out[str(r["staff_id"])] = (None if t is None else float(t), g,
                                       str(r.get("reasons") or ""))  # fmt: skip
        return out
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


_LOWERS = ("disqualifier.", "cap.", "competent.concluded", "quota.demoted")


def _unexplained(rows: dict[str, tuple[Any, Any, str]]) -> str | None:
    """A grade the rule set's bands and the reasons do not explain (None: all explained)."""
    from evalkit.model import Grade

    rs = rule_set()
    for sid, (total, grade, reasons) in rows.items():
        if grade is None:
            continue
        if total is None:
            return f"{sid!r}: grade {grade} without a total"
        band = rs.band_for(total).grade
        g = Grade.parse(grade)
        codes = {c.strip() for c in reasons.split(";") if c.strip()}
        if int(g) > int(band) and "competent.above_band_applied" not in codes:
            return f"{sid!r}: grade {grade} above the band of {total:g} ({band.code})"
        if int(g) < int(band) and not any(c.startswith(_LOWERS) for c in codes):
            return f"{sid!r}: grade {grade} below the band of {total:g} without a reason"
    return None


def mutate_results(ch: Chooser) -> tuple[str, bool, bytes, bool]:
    """One mutation of the clean results JSON: (what, harmless, bytes, whole-file)."""
    text = _base_results_doc()
    doc = json.loads(text)
    rows = doc["data"]["rows"]
    i = ch.randint(0, len(rows) - 1)
    sid = rows[i]["staff_id"]
    op = ch.choice(("indent", "compact", "ascii", "key_order", "row_order", "bom", "float",
                    "trailing", "total", "total", "grade", "grade", "reasons", "staff_id",
                    "delete_row", "delete_key", "period", "rule_set", "not_a_list",
                    "schema", "truncate", "deep", "junk", "nan_literal", "duplicate_key",
                    "extra_key"))  # fmt: skip

    def dump(d: Any, **kw: Any) -> bytes:
        return json.dumps(d, ensure_ascii=False, **({"indent": 1} | kw)).encode()

    if op == "indent":
        return "re-indented", True, dump(doc, indent=ch.choice((None, 4, "\t"))), True
    if op == "compact":
        return "compact separators", True, dump(doc, indent=None, separators=(",", ":")), True
    if op == "ascii":
        return "ensure_ascii", True, json.dumps(doc, ensure_ascii=True).encode(), True
    if op == "key_order":
        rnd = random.Random(ch.randint(0, 10**6))
        for r in rows:
            items = list(r.items())
            rnd.shuffle(items)
            r.clear()
            r.update(items)
        return "keys of every row shuffled", True, dump(doc), True
    if op == "row_order":
        random.Random(ch.randint(0, 10**6)).shuffle(rows)
        return "rows reordered", True, dump(doc), True
    if op == "bom":
        return "UTF-8 BOM", True, b"\xef\xbb\xbf" + text.encode(), True
    if op == "float":
        if isinstance(rows[i].get("total"), int | float):
            rows[i]["total"] = float(rows[i]["total"])
        return f"{sid} total as a float", True, dump(doc), False
    if op == "trailing":
        return "trailing whitespace", True, text.encode() + b"\n  \n", True
    if op == "total":
        v = ch.choice((0, 50, 69.99, 70, 89.99, 90, 95, 100, 100.5, -5, -0.0, "abc", "91",
                       1e308, None, True, [91], {"v": 91}, 10**400))  # fmt: skip
        rows[i]["total"] = v
        return f"{sid} total = {_short(v)}", False, dump(doc), False
    if op == "grade":
        v = ch.choice(("HTXS", "HTT", "HT", "KHT", "XYZ", "htxs", "", None, 1, True, " HTT"))
        rows[i]["grade"] = v
        return f"{sid} grade = {v!r}", False, dump(doc), False
    if op == "reasons":
        v = ch.choice(("", None, "competent.concluded", "cap.head_unit", "xyz", 5,
                       "disqualifier.discipline; competent.concluded"))  # fmt: skip
        rows[i]["reasons"] = v
        return f"{sid} reasons = {v!r}", False, dump(doc), False
    if op == "staff_id":
        other = rows[(i + 1) % len(rows)]["staff_id"]
        v = ch.choice(("", None, 5, other, other + "\u200b", f" {other}", "CC-9", "A\x00B"))
        rows[i]["staff_id"] = v
        return f"{sid} staff_id = {v!r}", False, dump(doc), False
    if op == "delete_row":
        del rows[i]
        return f"{sid} row deleted", False, dump(doc), False
    if op == "delete_key":
        key = ch.choice(("total", "grade", "staff_id", "reasons", "period", "rule_set"))
        rows[i].pop(key, None)
        return f"{sid} {key} deleted", False, dump(doc), False
    if op == "period":
        v = ch.choice(("2026-04", "2026-13", "2026", "", 202603, "2026-Q1", ["2026-03"],
                       {"m": 3}))  # fmt: skip
        rows[i]["period"] = v
        return f"{sid} period = {v!r}", False, dump(doc), False
    if op == "rule_set":
        v = ch.choice(("vn.xx", "", 3, "vn.nd335-2025 "))
        if ch.randint(0, 1):
            rows[i]["rule_set"] = v
            return f"{sid} rule_set = {v!r}", False, dump(doc), False
        doc["data"]["rule_set"] = v
        for r in rows:
            r.pop("rule_set", None)
        return f"document rule_set = {v!r}", False, dump(doc), False
    if op == "not_a_list":
        doc["data"]["rows"] = ch.choice(({"a": 1}, "rows", 5, [1, 2], [[]]))
        return "rows not a list of objects", False, dump(doc), True
    if op == "schema":
        key, v = ch.choice((("schema", "evalkit/9"), ("kind", "Organisation"), ("data", []),
                            ("schema", None)))  # fmt: skip
        doc[key] = v
        return f"{key} = {v!r}", False, dump(doc), True
    if op == "truncate":
        cut = ch.randint(0, len(text) - 2)
        return f"cut at {cut}", False, text[:cut].encode(), True
    if op == "deep":
        depth = ch.choice((100, 10_000, 100_000))
        rows[i]["extra"] = "@@"
        raw = dump(doc).replace(b'"@@"', b"[" * depth + b"]" * depth)
        return f"{depth}-deep array in {sid}", False, raw, depth > 500
    if op == "junk":
        raw = text.encode()
        at = ch.randint(0, len(raw))
        junk = ch.choice((b"\xff", b"\x00", b"\xc3", b",", b"}", b"\\"))
        return f"bytes {junk!r} at {at}", False, raw[:at] + junk + raw[at:], True
    if op == "nan_literal":
        rows[i]["total"] = ch.choice((float("nan"), float("inf"), float("-inf")))
        return f"{sid} total = {rows[i]['total']} (a JSON literal)", False, \
            json.dumps(doc, ensure_ascii=False).encode(), False  # fmt: skip
    if op == "duplicate_key":
        raw = dump(doc, indent=None).decode()
        key = f'"staff_id": "{sid}"'
        v = ch.choice(('"total": 10', '"grade": "KHT"', '"staff_id": "CC-9"'))
        return f"{sid}: duplicate key {v}", False, raw.replace(key, f"{key}, {v}", 1).encode(), \
            False  # fmt: skip
    rows[i][ch.choice(("ghi_chu", "points_x", "grade_note"))] = ch.choice(("x", 5, None))
    return f"{sid}: an extra key", False, dump(doc), False


def results_case(ch: Chooser) -> Case:
    """One mutant of the clean results document."""
    what, harmless, raw, whole = mutate_results(ch)
    return Case("results JSON", what, harmless, raw, None, whole)


def run_results_case(case: Case, folder: Path) -> Outcome:
    """read_results (the door), then check_results (finalize's check): located or refused,
    or the results read back as the document says and every grade explained by its total's
    band and its reasons."""
    from evalkit.io.archive import check_results

    path = folder / "ket-qua.json"
    path.write_bytes(case.payload)
    try:
        frame = _read_results(path)
    except InputError as exc:
        return _located(exc.problems, str(path), case)
    except Exception:
        return Outcome("failure", "read_results raised:\n" + _tb())
    try:
        problems = check_results(frame, period=PERIOD, file=str(path))
    except Exception:
        return Outcome("failure", "check_results raised:\n" + _tb())
    if problems:
        return _located(problems, str(path), case, kind="refused")
    try:
        got = _result_rows(frame)
    except Exception:
        return Outcome("failure", "the accepted frame has no staff_id/total/grade:\n" + _tb())
    base = results_base_rows()
    if case.harmless:
        if got == base:
            return Outcome("accepted", identical=True)
        return Outcome("failure", f"a harmless mutation changed the results: {got} ≠ {base}")
    said = _doc_rows(json.loads(case.payload.decode("utf-8-sig")))
    if said is not None and {k: v[:2] for k, v in said.items()} != {
            k: v[:2] for k, v in got.items()}:  # fmt: skip
        return Outcome("failure", f"read back differently from the document: {got} ≠ {said}")
    why = _unexplained(got)
    if why is not None:
        return Outcome("failure", f"accepted an unexplained grade: {why}")
    return Outcome("accepted", identical=got == base)


# =========================================================================== running

#: family → (tally label, case maker, case runner).
KINDS: dict[str, tuple[str, Callable[[Chooser], Case], Callable[[Case, Path], Outcome]]] = {
    "workbook": ("month workbook (xlsx)", workbook_case, run_workbook_case),
    "csv": ("staff CSV", csv_case, run_csv_case),
    "tasks": ("task table", tasks_case, run_tasks_case),
    "results_json": ("results JSON", results_case, run_results_case),
}


def run_one(family: str, ch: Chooser, folder: Path) -> tuple[Case, Outcome]:
    """Make one mutant of ``family`` and run it: a failure to even build it is a failure."""
    _, make, check = KINDS[family]
    case = make(ch)
    try:
        return case, check(case, folder)
    except Exception:
        return case, Outcome("failure", "the harness raised:\n" + _tb())


def runner(family: str) -> Callable[..., list[Tally]]:
    """The ``run(n, seed, progress=...)`` of one family, for :data:`tests.fuzz.FAMILIES`."""

    def run(n: int, seed: int = 0, *, progress: Callable[[int], None] | None = None
            ) -> list[Tally]:  # fmt: skip
        rnd = random.Random(seed)
        tally = Tally(KINDS[family][0])
        with tempfile.TemporaryDirectory(prefix=f"fuzz-{family}-") as d:
            for k in range(n):
                tally.add(*run_one(family, rnd, Path(d)))
                if progress is not None:
                    progress(k + 1)
        return [tally]

    run.__doc__ = f"Try ``n`` mutants of the {family} family from ``seed``."
    return run


run_workbook = runner("workbook")
run_csv = runner("csv")
run_tasks = runner("tasks")
run_results_json = runner("results_json")
