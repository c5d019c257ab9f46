"""Mutated rule files (issue 16 item 5): the rule-file family of the fuzz suite.

Every preset's TOML text and its parsed mapping are mutated — a number's sign or size, a
string emptied, a key or table deleted or duplicated, a type changed, nesting made deep,
the file cut short or given bytes that are not UTF-8 — and each mutant must end in one of
three ways:

- ``located``: a :class:`~evalkit.errors.RuleSetError` that names the file and the key
  path (or the line);
- ``refused``: a rule set the loader accepts but that ``evalkit.testing.check_rule_set``'s
  static checks refuse (a perfect score that is not the top grade, a cap that hits
  everyone, an unsourced rule switched on);
- ``accepted``: a rule set the static checks accept and under which a member of staff and a
  leader with full marks are scored, and a year of such months is classified, without error.

Anything else — another exception, or a RuleSetError that names neither a key nor a line —
is a failure, recorded with the mutation that caused it. ``tests/test_fuzz_rule_files.py``
draws mutations with Hypothesis; ``python -m tests.fuzz rule_files`` tries thousands.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import random
import re
import tomllib
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

import attrs
import pandas as pd

import evalkit
from evalkit.errors import RuleSetError
from evalkit.model import Period
from evalkit.rules import RuleSet, parse_rule_set
from evalkit.rules._schema import loads_rule_text
from evalkit.testing import check_rule_set

T = TypeVar("T")

PRESET_DIR = Path(evalkit.__file__).parent / "rules" / "presets"
#: Every preset: file name → TOML text.
PRESETS: dict[str, str] = {p.name: p.read_text(encoding="utf-8")
                           for p in sorted(PRESET_DIR.glob("*.toml"))}  # fmt: skip
PRESET_IDS = [tomllib.loads(t)["id"] for t in PRESETS.values()]

OUTCOMES = ("located", "refused", "accepted")


class Chooser(Protocol):
    """Where a mutation's choices come from: :class:`random.Random` or Hypothesis."""

    def choice(self, seq: Sequence[T]) -> T: ...

    def randint(self, a: int, b: int) -> int: ...


@attrs.frozen
class Case:
    """One mutant: the preset it came from, what was done, and the text or mapping."""

    preset: str
    mutation: str
    text: bytes | None = None
    data: dict[str, Any] | None = None


@attrs.frozen
class Outcome:
    """How a mutant ended: one of :data:`OUTCOMES`, or a failure with its traceback."""

    kind: str  # located | refused | accepted | failure
    detail: str = ""


# =========================================================================== text mutations

#: A number where a value stands: after ``=``, ``[`` or ``,`` (not inside a citation).
_NUMBER = re.compile(r"(?:(?<==)|(?<==\s)|(?<=\[)|(?<=,\s)|(?<=,))-?\d+(?:\.\d+)?"
                     r"(?=\s*(?:$|,|\]|\}|#))", re.M)
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=", re.M)
_HEADER = re.compile(r"^\[\[?[^\]\n]+\]\]?[ \t]*$", re.M)

NUMBERS = ("0", "-1", "-5", "0.5", "2", "7", "100", "101", "1000", "1e9", "1e10",
           "999999999999", "1e400", "-1e400", "nan", "inf", "-inf", "1" + "0" * 31,
           "1" + "0" * 400, "0x" + "f" * 40, "1_000", "true", '"12"', "[]", "{}",
           "1979-05-27", "1979-05-27T07:32:00")  # fmt: skip
STRINGS = ('""', '" "', '" x "', '"a;b"', '"\\u0000"', "0", "-3", "true", "[]", "{}",
           '"' + "x" * 3000 + '"', '"Đ"', '"KHT"', '"HTXS"', '"heads"', '"leaders"',
           '"count"', '"percent"', '"points"', '"month"', '"quarter"', '"year"',
           '"unsourced"', '"ratio"', '"bonus"', '"deduction"', '"discipline"',
           '"late_files"', '"vn"', '"tasks"', '"general"', '"so_luong"')  # fmt: skip
KEYS = ("id", "max", "min", "points", "weight", "total", "grade", "at_least", "flag",
        "source", "status", "percent", "base", "group", "inputs", "unit", "section",
        "label_vi", "computed", "values", "method", "of", "min_months")  # fmt: skip


def _replace_match(text: str, pattern: re.Pattern[str], ch: Chooser, new: str) -> str:
    found = list(pattern.finditer(text))
    if not found:
        return text
    m = ch.choice(found)
    return text[: m.start()] + new + text[m.end():]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of every table block: a header line up to the next header."""
    heads = [m.start() for m in _HEADER.finditer(text)] or [0]
    return list(zip(heads, [*heads[1:], len(text)], strict=True))


def _nest(ch: Chooser) -> str:
    depth = ch.choice((5, 19, 20, 21, 25, 200, 1000, 50_000))
    kind = ch.choice(("array", "table", "mixed", "dotted"))
    if kind == "array":
        return "deep = " + "[" * depth + "1" + "]" * depth
    if kind == "table":
        return "deep = " + "{a = " * depth + "1" + "}" * depth
    if kind == "mixed":
        return "deep = " + "[{a = " * (depth // 2) + "1" + "}]" * (depth // 2)
    return "deep." + ".".join(["a"] * min(depth, 2000)) + " = 1"


def mutate_text(text: str, ch: Chooser) -> tuple[str, bytes]:
    """One mutation of a rule file's text: (what was done, the new bytes)."""
    op = ch.choice(("number", "number", "number", "string", "string", "delete_line",
                    "duplicate_line", "duplicate_table", "delete_table", "nest",
                    "truncate", "bytes", "rename_key", "table_to_value", "extends",
                    "swap_lines", "combine"))  # fmt: skip
    lines = _lines(text)
    if op == "number":
        new = ch.choice(NUMBERS)
        return f"number → {new[:20]}", _replace_match(text, _NUMBER, ch, new).encode()
    if op == "string":
        new = ch.choice(STRINGS)
        return f"string → {new[:20]}", _replace_match(text, _STRING, ch, new).encode()
    if op == "delete_line":
        i = ch.randint(0, len(lines) - 1)
        return f"delete line {i + 1}", "\n".join(lines[:i] + lines[i + 1:]).encode()
    if op == "duplicate_line":
        i = ch.randint(0, len(lines) - 1)
        return f"duplicate line {i + 1}", "\n".join(lines[: i + 1] + lines[i:]).encode()
    if op == "swap_lines":
        i, j = ch.randint(0, len(lines) - 1), ch.randint(0, len(lines) - 1)
        lines[i], lines[j] = lines[j], lines[i]
        return f"swap lines {i + 1} and {j + 1}", "\n".join(lines).encode()
    if op in ("duplicate_table", "delete_table"):
        blocks = _blocks(text)
        a, b = ch.choice(blocks)
        head = text[a:b].split("\n", 1)[0]
        if op == "duplicate_table":
            return f"duplicate {head}", (text[:b] + "\n" + text[a:b] + text[b:]).encode()
        return f"delete {head}", (text[:a] + text[b:]).encode()
    if op == "nest":
        line = _nest(ch)
        i = ch.randint(0, len(lines))
        return f"nest at line {i + 1}: {line[:30]}", "\n".join(
            [*lines[:i], line, *lines[i:]]).encode()  # fmt: skip
    if op == "truncate":
        cut = ch.randint(0, len(text))
        return f"truncate at {cut}", text[:cut].encode()
    if op == "bytes":
        raw = text.encode()
        at = ch.randint(0, len(raw))
        junk = ch.choice((b"\xff", b"\xc3", b"\x00", b"\xef\xbb\xbf", b"\r", b"\x1b",
                          b"\xe2\x80\x8b", b"\n[", b'"""', b"'''", b"#"))  # fmt: skip
        return f"bytes {junk!r} at {at}", raw[:at] + junk + raw[at:]
    if op == "rename_key":
        found = list(_KEY.finditer(text))
        if not found:
            return "no key to rename", text.encode()
        m = ch.choice(found)
        key = m.group(1)
        new = ch.choice((key[:-1] or "x", key + "s", ch.choice(KEYS)))
        return f"rename {key} → {new}", (text[: m.start(1)] + new + text[m.end(1):]).encode()
    if op == "table_to_value":
        name = ch.choice(("rollup", "units", "quota", "scoring", "management", "conclusion",
                          "bands", "caps", "groups", "blocks", "position_maxima",
                          "notices", "adjustments"))  # fmt: skip
        value = ch.choice(('"x"', "[1, 2]", "0", "[]", "{}", "true", "[[]]", '["a"]'))
        kept = [(a, b) for a, b in _blocks(text)
                if re.match(rf"^\[\[?{name}\]\]?", text[a:b])]  # fmt: skip
        for a, b in reversed(kept):
            text = text[:a] + text[b:]
        first = _HEADER.search(text)
        at = first.start() if first else len(text)
        return f"{name} = {value}", (text[:at] + f"{name} = {value}\n" + text[at:]).encode()
    if op == "extends":
        base = ch.choice(PRESET_IDS)
        keep = [ln for ln in lines if not ln.startswith("id ")]
        keep = keep if ch.randint(0, 1) else [ln for ln in keep
                                              if not ln.startswith(("[[", "effective"))]
        own = ch.choice(('"fuzz.agency"', f'"{base}"', '""', "3"))
        top = [f'extends = "{base}"', f"id = {own}"]
        return f"extends {base}, id {own}", "\n".join(top + keep).encode()
    # combine: two or three mutations in a row
    what: list[str] = []
    raw = text.encode()
    for _ in range(ch.randint(2, 3)):
        try:
            current = raw.decode()
        except UnicodeDecodeError:
            break
        w, raw = mutate_text(current, ch)
        what.append(w)
    return "; ".join(what), raw


# =========================================================================== data mutations


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out.append((*path, k))
            out += _paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.append((*path, i))
            out += _paths(v, (*path, i))
    return out


def _get(data: Any, path: Sequence[Any]) -> Any:
    for p in path:
        data = data[p]
    return data


VALUES: tuple[Any, ...] = ("x", "", " ", 0, -1, 1.5, True, False, [], [1, 2], ["x"], {},
                           {"a": 1}, dt.date(2026, 1, 1), dt.datetime(2026, 1, 1, 7, 30),
                           dt.time(7, 30), 10**400, float("nan"), float("inf"), -0.0,
                           "a;b", "\x00", "x" * 5000)  # fmt: skip


def _number_variants(v: Any) -> list[Any]:
    out: list[Any] = [-v, 0, v - 1, 10**400, 10**31, -(10**400), float("inf"), float("nan"),
                      1e-9, 1e308, v * 10**6 if isinstance(v, int) else v * 1e6]
    if isinstance(v, float) or abs(v) < 10**300:
        out += [v + 0.5, v * 1e300 if isinstance(v, float) else v * 10**300]
    return out


def mutate_data(data: dict[str, Any], ch: Chooser) -> tuple[str, dict[str, Any]]:
    """One mutation of a parsed rule mapping: (what was done, the new mapping)."""
    data = copy.deepcopy(data)
    paths = _paths(data)
    op = ch.choice(("delete", "type", "type", "number", "number", "empty_string",
                    "duplicate", "swap", "not_a_table", "empty_array", "combine"))  # fmt: skip
    if op == "combine":
        what = []
        for _ in range(ch.randint(2, 3)):
            w, data = mutate_data(data, ch)
            what.append(w)
        return "; ".join(what), data
    path = ch.choice(paths)
    parent, key = _get(data, path[:-1]), path[-1]
    where = ".".join(map(str, path))
    value = parent[key]
    if op == "delete":
        del parent[key]
        return f"delete {where}", data
    if op == "type":
        new = ch.choice(VALUES)
        parent[key] = copy.deepcopy(new)
        return f"{where} = {_short(new)}", data
    if op == "number":
        nums = [p for p in paths if isinstance(_get(data, p), int | float)
                and not isinstance(_get(data, p), bool)]  # fmt: skip
        if nums:
            path = ch.choice(nums)
            parent, key = _get(data, path[:-1]), path[-1]
            where = ".".join(map(str, path))
            new = ch.choice(_number_variants(parent[key]))
            parent[key] = new
            return f"{where} = {_short(new)}", data
    if op == "empty_string":
        strs = [p for p in paths if isinstance(_get(data, p), str)]
        if strs:
            path = ch.choice(strs)
            parent, key = _get(data, path[:-1]), path[-1]
            new = ch.choice(("", " ", "  x", "x;y"))
            parent[key] = new
            return f"{'.'.join(map(str, path))} = {new!r}", data
    if op == "duplicate":
        arrays = [p for p in paths if isinstance(_get(data, p), list) and _get(data, p)]
        if arrays:
            path = ch.choice(arrays)
            arr = _get(data, path)
            i = ch.randint(0, len(arr) - 1)
            arr.insert(ch.randint(0, len(arr)), copy.deepcopy(arr[i]))
            return f"duplicate {'.'.join(map(str, path))}[{i}]", data
    if op == "swap":
        arrays = [p for p in paths if isinstance(_get(data, p), list) and len(_get(data, p)) > 1]
        if arrays:
            path = ch.choice(arrays)
            arr = _get(data, path)
            i, j = ch.randint(0, len(arr) - 1), ch.randint(0, len(arr) - 1)
            arr[i], arr[j] = arr[j], arr[i]
            return f"swap {'.'.join(map(str, path))}[{i}] and [{j}]", data
    if op == "not_a_table":
        tables = [p for p in paths if isinstance(_get(data, p), dict)]
        if tables:
            path = ch.choice(tables)
            parent, key = _get(data, path[:-1]), path[-1]
            new = ch.choice(("x", [1, 2], 0, [], True))
            parent[key] = new
            return f"{'.'.join(map(str, path))} = {_short(new)}", data
    if op == "empty_array":
        arrays = [p for p in paths if isinstance(_get(data, p), list)]
        if arrays:
            path = ch.choice(arrays)
            _get(data, path[:-1])[path[-1]] = []
            return f"{'.'.join(map(str, path))} = []", data
    parent[key] = copy.deepcopy(value)
    return f"unchanged {where}", data


def _short(v: Any) -> str:
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 10**12:
        return f"±10^{len(str(abs(v))) - 1}"
    text = repr(v)
    return text if len(text) <= 24 else text[:23] + "…"


# =========================================================================== running


def cases(ch: Chooser, kind: str) -> Case:
    """One mutant of a preset: ``kind`` is ``text`` or ``data``."""
    name = ch.choice(sorted(PRESETS))
    if kind == "text":
        what, raw = mutate_text(PRESETS[name], ch)
        return Case(name, what, text=raw)
    what, data = mutate_data(tomllib.loads(PRESETS[name]), ch)
    return Case(name, what, data=data)


def _located(exc: RuleSetError, source: str) -> bool:
    if exc.source != source:
        return False
    problems = getattr(exc, "problems", None)
    if problems:
        return all(bool(k) for k, _ in problems)
    return bool(exc.key) or re.search(r"line \d+", exc.reason) is not None \
        or "larger than" in exc.reason  # fmt: skip


def run_case(case: Case, *, year: bool = True) -> Outcome:
    """Load the mutant, check it statically, score full marks: how it ended."""
    source = f"fuzz/{case.preset}"
    try:
        if case.text is not None:
            data = loads_rule_text(case.text, source=source)
        else:
            assert case.data is not None
            data = case.data
        rs = parse_rule_set(data, source=source)
    except RuleSetError as exc:
        if _located(exc, source):
            return Outcome("located", exc.reason.split("\n")[0])
        return Outcome("failure", f"unlocated RuleSetError: {exc}")
    except Exception:
        return Outcome("failure", traceback.format_exc(limit=-6))
    try:
        report = check_rule_set(rs, invariants=[])
        if report.static_problems:
            return Outcome("refused", report.static_problems[0])
        score_full_marks(rs, year=year)
    except Exception:
        return Outcome("failure", traceback.format_exc(limit=-6))
    return Outcome("accepted")


def score_full_marks(rs: RuleSet, *, year: bool = True) -> None:
    """Score a member of staff and a leader with full marks (and, with ``year``, classify a
    year of such periods); raise AssertionError when a total is missing or out of range."""
    start = Period.of_date(max(rs.effective_from, dt.date(2000, 1, 1)))
    periods = [start.quarter_of()] if rs.period == "quarter" else [start]
    if year:
        y = start.year
        periods = ([Period.quarter(y, q) for q in range(1, 5)] if rs.period == "quarter"
                   else list(Period.of_year(y).months()))  # fmt: skip
    rows = []
    for sid, lead in (("S1", False), ("L1", True)):
        for p in periods:
            rows.append({"staff_id": sid, "unit_id": "U1", "period": str(p),
                         "manages_others": lead, "is_head": lead, **rs.full_marks(lead)})
    frame = pd.DataFrame(rows)
    out = evalkit.score_frame(frame, rs, force=True)
    totals = out["total"].to_numpy(dtype=float)
    assert all(math.isfinite(t) and 0 <= t <= rs.total for t in totals), totals
    if year:
        scored = pd.concat([frame[["staff_id", "unit_id", "period"]], out], axis=1)
        scored = scored.loc[:, ~scored.columns.duplicated()]
        res = evalkit.classify_year(scored, rules=rs)
        assert len(res) == 2, res


@attrs.define
class Tally:
    """Counts per outcome of one family, and the failures with their mutation."""

    family: str
    counts: dict[str, int] = attrs.Factory(lambda: dict.fromkeys((*OUTCOMES, "failure"), 0))
    failures: list[tuple[Case, Outcome]] = attrs.Factory(list)

    @property
    def tried(self) -> int:
        """How many mutants were run."""
        return sum(self.counts.values())

    def add(self, case: Case, outcome: Outcome) -> None:
        """Count ``outcome``; keep the case when it failed."""
        self.counts[outcome.kind] += 1
        if outcome.kind == "failure":
            self.failures.append((case, outcome))


def run(n: int, seed: int = 0, *, progress: Callable[[int], None] | None = None
        ) -> list[Tally]:  # fmt: skip
    """Try ``n`` mutants (half text, half parsed data) from ``seed``: one tally per kind."""
    rnd = random.Random(seed)
    tallies = {"text": Tally("rule files (TOML text)"), "data": Tally("rule files (parsed data)")}
    for i in range(n):
        kind = "text" if i % 2 == 0 else "data"
        case = cases(rnd, kind)
        tallies[kind].add(case, run_case(case))
        if progress is not None:
            progress(i + 1)
    return list(tallies.values())
