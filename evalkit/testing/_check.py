"""The invariant suite any rule set can run: :func:`check_rule_set`.

Each invariant is a property that must hold for every input a rule set can meet. The
suite searches for a counter-example with Hypothesis (derandomised, so a run is
repeatable, and without an example database, so nothing is written to disk), shrinks
it, and reports it as a small table.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import itertools
import math
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

from evalkit.errors import NoRuleSetError, RuleSetError
from evalkit.model import Assessment, Grade, Period, StaffCategory
from evalkit.rules import Band, Cap, RuleSet, check_bands, quota_percent_problems
from evalkit.rules.sources import RuleSource, rule_sources, unsourced_on_by_default
from evalkit.testing._strategies import (
    FLAG_COLUMNS,
    InvalidArgument,
    _check_int,
    _score_values,
    staff_month_frames,
)

__all__ = [
    "INVARIANTS",
    "CheckReport",
    "InvariantResult",
    "check_rule_set",
    "scalar_frame",
]

Status = Literal["passed", "failed", "skipped"]
#: Static problems found by the checks themselves, not by the loader.
_OWN_PREFIXES = ("sources:", "grades:", "dates:", "disqualifiers:")
GRADE_CODES = ["KHT", "HT", "HTT", "HTXS"]


# =========================================================================== results


@attrs.frozen(eq=False)
class InvariantResult:
    """The outcome of one invariant: passed, failed (with a counter-example) or skipped.

    ``counterexample`` is the shrunk input and what it gave, as a small DataFrame;
    ``context`` is a second table where one helps (the bands of the rule set).
    """

    name: str
    description: str
    status: Status
    examples: int = 0
    message: str = ""
    counterexample: pd.DataFrame | None = None
    context: pd.DataFrame | None = None

    @property
    def passed(self) -> bool:
        """True unless the invariant failed (a skipped invariant does not fail)."""
        return self.status != "failed"

    def format(self) -> str:
        """The result as plain text, with the counter-example as a table.

        >>> print(InvariantResult("bounds", "total in [0, total]", "passed", 10).format())
        PASS  bounds: total in [0, total] (10 examples)
        """
        tag = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP"}[self.status]
        head = f"{tag}  {self.name}: {self.description}"
        if self.status == "passed":
            return f"{head} ({self.examples} examples)"
        lines = [head, f"      {self.message}"] if self.message else [head]
        for title, table in (("counter-example", self.counterexample), ("rule set", self.context)):
            if table is not None and len(table):
                lines.append(f"      {title}:")
                lines += ["        " + ln for ln in _table_text(table).splitlines()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


@attrs.frozen(eq=False)
class CheckReport:
    """What :func:`check_rule_set` found: one :class:`InvariantResult` per invariant.

    ``ok`` is True when nothing failed; ``problems`` lists every failure as text (the
    static problems — what the strict loader would raise, ``grades:`` when a perfect score
    is not the top grade or a cap hits everyone, ``sources:`` — then each failed invariant
    with its counter-example table). ``sources`` lists every rule with its citation and source
    status (verified, secondary, practice, unsourced; issue 19): an ``unsourced`` rule
    switched on by default is a static problem. ``print(report)`` shows everything;
    ``rich.print(report)`` shows it with colour; :meth:`assert_ok` fails a pytest test
    with the tables.
    """

    rule_set_id: str
    source: str | None
    results: tuple[InvariantResult, ...]
    static_problems: tuple[str, ...] = ()
    sources: tuple[RuleSource, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every invariant held and the loader found nothing to reject."""
        return not self.static_problems and all(r.passed for r in self.results)

    @property
    def failures(self) -> tuple[InvariantResult, ...]:
        """The invariants that failed."""
        return tuple(r for r in self.results if not r.passed)

    @property
    def problems(self) -> list[str]:
        """Every problem as text: static problems, then failed invariants with their tables."""
        return [*self.static_problems, *(r.format() for r in self.failures)]

    def format(self) -> str:
        """The whole report as plain text."""
        where = f" ({self.source})" if self.source else ""
        n_fail = len(self.failures)
        loader = [p for p in self.static_problems if not p.startswith(_OWN_PREFIXES)]
        kinds = {p.split(":", 1)[0] for p in self.static_problems}
        verdict = "all invariants hold" if self.ok else (
            f"{n_fail} invariant(s) failed" if n_fail else
            "the loader rejects the file" if loader else
            "a perfect score is not the top grade, or a cap hits everyone" if "grades" in kinds
            else "its effective dates clash with a registered rule set" if "dates" in kinds
            else "it loses or weakens a national disqualifier" if "disqualifiers" in kinds
            else "an unsourced rule is switched on by default"
        )  # fmt: skip
        lines = [f"rule set {self.rule_set_id!r}{where}: {verdict}"]
        lines += [f"  {p}" if p.startswith(_OWN_PREFIXES) else f"  loader: {p}"
                  for p in self.static_problems]  # fmt: skip
        lines += [r.format() for r in self.results]
        lines += self._source_lines()
        return "\n".join(lines)

    def status_counts(self) -> dict[str, int]:
        """How many rules have each source status (``"—"``: not declared)."""
        counts = dict.fromkeys(("verified", "secondary", "practice", "unsourced", "—"), 0)
        for r in self.sources:
            counts[r.shown_status] = counts.get(r.shown_status, 0) + 1
        return counts

    def _source_lines(self) -> list[str]:
        if not self.sources:
            return []
        summary = ", ".join(f"{k} {v}" for k, v in self.status_counts().items() if v)
        out = [f"SOURCES  {summary}"]
        for r in self.sources:
            state = "" if r.enabled else " (off)"
            out.append(f"      {r.shown_status:9} {r.rule}{state}: {r.source or '—'}")
        return out

    def __str__(self) -> str:
        return self.format()

    def __bool__(self) -> bool:
        return self.ok

    def assert_ok(self) -> None:
        """Raise ``AssertionError`` with the report when an invariant failed.

        >>> from evalkit.testing import check_rule_set
        >>> check_rule_set("vn.nd335-2025", max_examples=5, invariants=["bands"]).assert_ok()
        """
        if not self.ok:
            raise AssertionError("\n" + self.format())

    def __rich__(self) -> Any:
        """A rich renderable: one line per invariant, tables for counter-examples."""
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        parts: list[Any] = []
        title = Text(f"rule set {self.rule_set_id!r}", style="bold")
        if self.source:
            title.append(f" ({self.source})")
        parts.append(title)
        for p in self.static_problems:
            parts.append(Text(f"  {p}" if p.startswith(_OWN_PREFIXES) else f"  loader: {p}",
                              style="red"))  # fmt: skip
        for r in self.results:
            style = {"passed": "green", "failed": "bold red", "skipped": "yellow"}[r.status]
            line = Text(f"{r.status.upper():7}", style=style)
            line.append(f" {r.name}: {r.description}")
            if r.status == "passed":
                line.append(f" ({r.examples} examples)", style="dim")
            parts.append(line)
            if r.status != "passed" and r.message:
                parts.append(Text(f"        {r.message}"))
            for caption, df in (("counter-example", r.counterexample), ("rule set", r.context)):
                if r.status == "failed" and df is not None and len(df):
                    t = Table(title=caption, title_justify="left")
                    for col in df.columns:
                        t.add_column(str(col))
                    for row in df.itertuples(index=False):
                        t.add_row(*(_cell(v) for v in row))
                    parts.append(t)
        if self.sources:
            t = Table("rule", "source", "status", "on", title="sources", title_justify="left")
            for src in self.sources:
                t.add_row(src.rule, src.source or "—", src.shown_status,
                          "yes" if src.enabled else "no")  # fmt: skip
            parts.append(t)
        return Group(*parts)


def _cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float):
        return f"{v:g}" if abs(v) < 1e6 else str(v)
    return str(v)


def _table_text(df: pd.DataFrame) -> str:
    cols = [str(c) for c in df.columns]
    rows = [[_cell(v) for v in r] for r in df.itertuples(index=False)]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(cols)]
    out = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(out)


# =========================================================================== the scalar oracle


def scalar_frame(
    frame: pd.DataFrame,
    rules: RuleSet | str | os.PathLike[str],
    *,
    options: Mapping[str, bool] | None = None,
) -> pd.DataFrame:
    """Score every row of ``frame`` with the scalar path, in :func:`evalkit.score_frame`'s
    output format: the oracle that the vectorised path must equal, row for row.

    Each row becomes an :class:`~evalkit.Assessment` scored by the competent level and
    passed to :func:`evalkit.score` with the row's ``manages_others``, ``is_head`` and
    ``category`` (rule sets are applied with ``force=True``). This is a testing aid: it runs Python
    per row and is meant for small frames.

    >>> import evalkit
    >>> from evalkit.testing import scalar_frame, staff_month_frames
    >>> df = staff_month_frames("vn.nd335-2025", max_rows=3).example()
    >>> a, b = scalar_frame(df, "vn.nd335-2025"), evalkit.score_frame(df, "vn.nd335-2025")
    >>> a["total"].equals(b["total"])
    True
    """
    from evalkit import rules as _rules
    from evalkit.scoring import GRADE_DTYPE, score

    rs = _rules.resolve(rules)  # an id, a RuleSet or a rule file's path, as score_frame
    crit_ids = [c.id for c in rs.criteria() if c.id in frame.columns]
    default_period = Period.of_date(rs.effective_from)
    records: list[dict[str, Any]] = []
    block_cols = [f"points_{b.id}" for b in rs.blocks]
    for i in range(len(frame)):
        row = frame.iloc[i]
        scores = {c: float(row[c]) for c in crit_ids if row[c] is not None and not pd.isna(row[c])}
        kpi = row["kpi"] if "kpi" in frame.columns else None
        kpi = None if kpi is None or pd.isna(kpi) else float(kpi)
        a = Assessment(
            str(row["staff_id"]) if "staff_id" in frame.columns else f"row{i}",
            row["period"] if "period" in frame.columns else default_period,
            competent_scores=scores,
            degradation=_truth(row, "degradation"),
            discipline=int(_number(row, "discipline")),
            corruption_in_unit=_truth(row, "corruption_in_unit"),
            kpi=kpi,
            events={"late_files": _number(row, "late_files"),
                    "apologies": _number(row, "apologies")},
            competent_grade=_given(row, "competent_grade"),
            competent_reason=str(_given(row, "competent_reason") or ""),
        )  # fmt: skip
        cat = _given(row, "category")  # the caps' own categories (a contract worker)
        r = score(
            a,
            rules=rs,
            category=str(cat) if cat is not None and str(cat).strip() else None,
            manages_others=_truth(row, "manages_others"),
            is_head=_truth(row, "is_head"),
            force=True,
            options=options,
        )
        rec: dict[str, Any] = {"rule_set": rs.id}
        rec["total"] = np.nan if r.total is None else r.total
        for b, col in zip(rs.blocks, block_cols, strict=True):
            rec[col] = r.components.get(b.id, np.nan) if r.evaluated else np.nan
        rec["score_grade"] = r.score_grade.code if r.score_grade is not None else None
        rec["grade"] = r.grade.code if r.grade is not None else None
        codes = [c for c in r.reason_codes() if c not in ("band", "band.none", "band.information")]
        rec["reasons"] = ";".join(codes)
        records.append(rec)
    out = pd.DataFrame(records, index=frame.index,
                       columns=["rule_set", "total", *block_cols, "score_grade", "grade",
                                "reasons"])  # fmt: skip
    out["score_grade"] = out["score_grade"].astype(GRADE_DTYPE)
    out["grade"] = out["grade"].astype(GRADE_DTYPE)
    return out


def _given(row: pd.Series, col: str) -> Any:
    """The row's value of ``col``; None where the column is absent or the cell blank."""
    if col not in row.index:
        return None
    v = row[col]
    return None if v is None or (not isinstance(v, str) and bool(pd.isna(v))) else v


def _truth(row: pd.Series, col: str) -> bool:
    if col not in row.index:
        return False
    v = row[col]
    return bool(v) if v is not None and not pd.isna(v) else False


def _number(row: pd.Series, col: str) -> float:
    if col not in row.index:
        return 0.0
    v = row[col]
    return float(v) if v is not None and not pd.isna(v) else 0.0


def compare_results(expected: pd.DataFrame, actual: pd.DataFrame) -> list[str]:
    """Cells where two score tables differ, as ``'row 3, total: 91.0 != 90.99'``."""
    diffs: list[str] = []
    for col in expected.columns:
        if col not in actual.columns:
            diffs.append(f"column {col!r} is missing")
            continue
        e = expected[col].astype(object).to_numpy()
        a = actual[col].astype(object).to_numpy()
        for i, (x, y) in enumerate(zip(e, a, strict=True)):
            if not _same(x, y):
                diffs.append(f"row {expected.index[i]!r}, {col}: {x!r} != {y!r}")
    return diffs


def _same(x: Any, y: Any) -> bool:
    xn = x is None or (isinstance(x, float) and math.isnan(x))
    yn = y is None or (isinstance(y, float) and math.isnan(y))
    if xn or yn:
        return xn and yn
    if isinstance(x, float | int | np.number) and isinstance(y, float | int | np.number):
        return float(x) == float(y)
    return str(x) == str(y)


# =========================================================================== invariants


@attrs.frozen
class _Failure:
    message: str
    counterexample: pd.DataFrame | None = None
    context: pd.DataFrame | None = None


class _Violated(Exception):
    """Raised inside a property to make Hypothesis shrink the example."""


@attrs.frozen
class _Invariant:
    name: str
    description: str
    strategy: Callable[[RuleSet], st.SearchStrategy[Any]]
    check: Callable[[RuleSet, Any], _Failure | None]
    skip: Callable[[RuleSet], str | None] = lambda _rs: None
    #: Examples tried first, simplest first; the first that fails is the counter-example.
    probes: Callable[[RuleSet], Sequence[Any]] = lambda _rs: ()
    #: Expensive invariants run ``max_examples // cost`` examples (at least 10).
    cost: int = 1
    #: Whether its examples are scored: then bands that leave a total without a grade (the
    #: ``bands`` problem) would fail it too, so it is skipped rather than said again.
    scores: bool = True


def _covers(band: Band, total: float, top: Band) -> bool:
    return band.min <= total < band.max or (band is top and total == band.max)


def _bands_table(rs: RuleSet, *totals: float) -> pd.DataFrame:
    top = max(rs.bands, key=lambda b: b.max)
    rows = []
    for b in sorted(rs.bands, key=lambda b: b.min):
        row: dict[str, Any] = {
            "grade": b.grade.code,
            "label": rs.grade_label(b.grade),
            "range": f"[{b.min:g}, {b.max:g}{']' if b is top else ')'}",
        }
        for t in totals:
            row[f"contains {t:g}?"] = "yes" if _covers(b, t, top) else "no"
        rows.append(row)
    return pd.DataFrame(rows)


def _decimals(x: float) -> int:
    for d in range(7):
        if abs(round(x, d) - x) < 1e-9:
            return d
    return 7


def _probes(rs: RuleSet) -> list[float]:
    """Totals around every band edge, simplest first (integers, then 69.5, 69.99, 69.995)."""
    edges = {0.0, float(rs.total)}
    for b in rs.bands:
        edges |= {b.min, b.max}
    pts: set[float] = set()
    for e in edges:
        for d in (0.0, 0.5, 0.01, 0.005, 0.001):
            pts |= {round(e - d, 6), round(e + d, 6)}
    srt = sorted(rs.bands, key=lambda b: b.min)
    for lo_band, hi_band in itertools.pairwise(srt):  # inside a gap or an overlap
        a, z = sorted((lo_band.max, hi_band.min))
        if z > a:
            pts.add(round((a + z) / 2, 6))
    pts = {p for p in pts if 0 <= p <= rs.total}
    return sorted(pts, key=lambda p: (_decimals(p), p))


def _totals(rs: RuleSet) -> st.SearchStrategy[float]:
    cents = st.integers(0, round(rs.total * 100)).map(lambda c: c / 100)
    floats = st.floats(0, rs.total, allow_nan=False)
    return st.one_of(cents, floats)


def _probe_pairs(rs: RuleSet) -> list[tuple[float, float]]:
    pts = sorted(_probes(rs))
    return list(itertools.pairwise(pts))


def _check_band_cover(rs: RuleSet, t: float) -> _Failure | None:
    from evalkit.rules.blocks import band_codes

    top = max(rs.bands, key=lambda b: b.max)
    inside = [b for b in rs.bands if _covers(b, t, top)]
    if len(inside) == 1:
        code = int(band_codes(rs.bands, np.array([t]))[0])
        if code == inside[0].grade.value:
            return None
        return _Failure(f"total {t:g} is in band {inside[0].grade.code} but is graded {code}")
    if not inside:
        msg = f"total {t:g} falls in no band (a gap in [0, {rs.total:g}])"
    else:
        names = ", ".join(b.grade.code for b in inside)
        msg = f"total {t:g} falls in {len(inside)} bands ({names}): the bands overlap"
    ce = pd.DataFrame([{"total": t, "bands containing it": len(inside)}])
    return _Failure(msg, ce, _bands_table(rs, t))


def _grade_of(rs: RuleSet, t: float) -> Grade | None:
    top = max(rs.bands, key=lambda b: b.max)
    inside = [b for b in rs.bands if _covers(b, t, top)]
    return min((b.grade for b in inside), default=None)


def _check_grade_monotone(rs: RuleSet, pair: tuple[float, float]) -> _Failure | None:
    lo, hi = sorted(pair)
    g1, g2 = _grade_of(rs, lo), _grade_of(rs, hi)
    if g1 is None or g2 is None or g1 <= g2:
        return None
    ce = pd.DataFrame([{"total": lo, "grade": g1.code}, {"total": hi, "grade": g2.code}])
    return _Failure(
        f"a higher total {hi:g} gets a lower grade ({g2.code}) than {lo:g} ({g1.code})",
        ce, _bands_table(rs, lo, hi),
    )  # fmt: skip


def _frames(rs: RuleSet, **kw: Any) -> st.SearchStrategy[pd.DataFrame]:
    return staff_month_frames(rs, **kw)


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop columns that say nothing: all NaN, or flags that are all zero / False."""
    keep = []
    for col in frame.columns:
        s = frame[col]
        if s.isna().all():
            continue
        if col in (*FLAG_COLUMNS, "is_head", "manages_others") and not s.astype(bool).any():
            continue
        keep.append(col)
    return frame[keep].reset_index(drop=True)


def _score(rs: RuleSet, frame: pd.DataFrame, options: Mapping[str, bool] | None = None
           ) -> pd.DataFrame:  # fmt: skip
    from evalkit.scoring import score_frame

    return score_frame(frame, rs, force=True, options=options)


def _check_bounds(rs: RuleSet, frame: pd.DataFrame) -> _Failure | None:
    out = _score(rs, frame)
    tot = out["total"].to_numpy(dtype=np.float64)
    bad = ~np.isnan(tot) & ((tot < 0) | (tot > rs.total))
    bad |= np.isnan(tot)  # every generated row is scored
    if not bad.any():
        return None
    i = int(np.flatnonzero(bad)[0])
    ce = _compact(frame.iloc[[i]]).assign(total=tot[i])
    return _Failure(f"total {tot[i]:g} is outside [0, {rs.total:g}]", ce)


# ---- monotonicity


def _directions(rs: RuleSet) -> dict[str, int]:
    """+1 for inputs that may only raise the total, -1 for those that may only lower it."""
    up: set[str] = set()
    down: set[str] = set()
    for b in rs.blocks:
        if b.kind == "criteria_sum":
            up |= {c.id for c in rs.group(b.params["group"]).criteria}
        elif b.kind in ("percent_average", "bonus"):
            up |= set(b.inputs())
        elif b.kind == "ratio":
            up.add(b.params["numerator"])
            down.add(b.params["denominator"])
        elif b.kind == "deduction":
            down |= set(b.inputs())
    for a in rs.adjustments:
        up.add(a.input)
        down.add(a.events)
    out = dict.fromkeys(up - down, 1)
    out.update(dict.fromkeys(down - up, -1))
    return out


@st.composite
def _raise_one(draw: st.DrawFn, rs: RuleSet) -> tuple[pd.DataFrame, str, float]:
    frame = draw(_frames(rs, min_rows=1, max_rows=1, kpi=False))
    dirs = _directions(rs)
    row = {c: float(frame[c].iloc[0]) for c in dirs if c in frame.columns}
    present = [c for c, v in row.items() if not math.isnan(v)]
    cid = draw(st.sampled_from(sorted(present)))
    crit = rs.criterion(cid)
    old = row[cid]
    if crit.unit == "count":
        new = old + draw(st.integers(0, max(0, int(min(crit.maximum, old + 5) - old))))
    elif crit.management and rs.management.values:  # d, đ, e take the set's values only
        new = draw(st.sampled_from(sorted(v for v in rs.management.values if v >= old) or [old]))
    else:
        new = (
            draw(_score_values(crit.maximum, crit.unit == "percent").filter(lambda v: v >= old))
            if old < crit.maximum
            else old
        )
    bound = row.get(crit.at_most, math.nan) if crit.at_most is not None else math.nan
    if not math.isnan(bound):  # done to quality never above done (at_most): still valid
        new = min(new, max(old, bound))
    return frame, cid, float(new)


def _deduction_probes(rs: RuleSet) -> list[tuple[pd.DataFrame, str, float]]:
    """A first error or delay on an input already below its deduction's floor (audit 7
    D4): a member of staff with full marks, the input at 0 (and half the floor) and no
    events, then one event. A deduction must never raise the input to its floor."""
    out: list[tuple[pd.DataFrame, str, float]] = []
    dirs = _directions(rs)
    for a in rs.adjustments:
        if a.floor <= 0 or dirs.get(a.events) != -1:
            continue
        for low in sorted({0.0, round(a.floor / 2, 2)}):
            try:
                frame = _full_marks_frame(rs, [("member of staff", False, None)])
            except Exception:  # a set that cannot score full marks: reported elsewhere
                return out
            frame[a.input] = low
            frame[a.events] = 0.0
            out.append((frame, a.events, 1.0))
    return out


def _check_monotone(rs: RuleSet, ex: tuple[pd.DataFrame, str, float]) -> _Failure | None:
    frame, cid, new = ex
    pair = pd.concat([frame, frame], ignore_index=True)
    pair.loc[1, cid] = new
    if "staff_id" in pair.columns:  # one person twice in a period is refused: a twin
        ids = pair["staff_id"].astype(str).tolist()
        pair["staff_id"] = [ids[0], f"{ids[1]}-raised"]
    out = _score(rs, pair)
    direction = _directions(rs)[cid]
    t0, t1 = (float(x) for x in out["total"])
    g0, g1 = out["grade"].cat.codes.tolist()
    s0, s1 = out["score_grade"].cat.codes.tolist()
    if min(s0, s1, g0, g1) < 0:
        s0 = s1 = g0 = g1 = 0  # a total in no band: the bands invariant reports it
    old = float(frame[cid].iloc[0])
    if direction > 0:
        ok = t1 >= t0 and s1 >= s0 and g1 >= g0
        what = f"raising {cid!r} from {old:g} to {new:g}"
    else:
        ok = t1 <= t0 and s1 <= s0 and g1 <= g0
        what = f"raising {cid!r} (which may only lower the score) from {old:g} to {new:g}"
    if ok:
        return None
    ce = _compact(pair).assign(
        total=out["total"].to_numpy(), grade=out["grade"].astype(str).to_numpy()
    )
    ce.insert(0, "", ["before", "after"])
    return _Failure(f"{what} {_what_moved(direction, (t0, t1), (s0, s1), (g0, g1))}", ce)


def _what_moved(direction: int, totals: tuple[float, float], bands: tuple[int, int],
                grades: tuple[int, int]) -> str:  # fmt: skip
    """What went the wrong way (audit 7 D13): the total, else the band, else the grade,
    with the total's own move where only a grade went the wrong way.

    >>> _what_moved(1, (44.25, 50.08), (3, 1), (3, 1))
    'lowers the band grade from HTXS to HT (the total rose from 44.25 to 50.08)'
    """
    (t0, t1), (s0, s1), (g0, g1) = totals, bands, grades
    verb = "lowers" if direction > 0 else "raises"
    if (t1 < t0) if direction > 0 else (t1 > t0):
        return f"{verb} the total from {t0:g} to {t1:g}"
    if t1 == t0:
        moved = f"the total stayed {t0:g}"
    else:
        moved = f"the total {'rose' if t1 > t0 else 'fell'} from {t0:g} to {t1:g}"
    wrong_band = (s1 < s0) if direction > 0 else (s1 > s0)
    a, b = (s0, s1) if wrong_band else (g0, g1)
    what = "band grade" if wrong_band else "grade"
    return f"{verb} the {what} from {GRADE_CODES[a]} to {GRADE_CODES[b]} ({moved})"


# ---- disqualifiers


#: The input column that sets a derived cap flag (``duty_discipline`` is ``discipline``
#: with ``discipline_related_to_duty`` left true; ``any_discipline`` and
#: ``duty_any_discipline`` also read ``party_discipline``).
_FLAG_INPUT = {"duty_discipline": "discipline", "any_discipline": "discipline",
               "duty_any_discipline": "discipline"}


@st.composite
def _with_cap(draw: st.DrawFn, rs: RuleSet) -> tuple[pd.DataFrame, Cap]:
    frame = draw(_frames(rs, min_rows=1, max_rows=1, disqualifiers=False))
    cap = draw(st.sampled_from([c for c in rs.caps if c.enabled and c.reaches(rs.period)]))
    column = _FLAG_INPUT.get(cap.flag, cap.flag)
    if cap.flag in ("any_discipline", "duty_any_discipline") and draw(st.booleans()):
        column = "party_discipline"
    if column == "discipline":
        value = float(draw(st.integers(max(1, math.ceil(cap.at_least)), 5)))
    elif column in ("late_files", "apologies"):
        value = float(draw(st.integers(math.ceil(cap.at_least), math.ceil(cap.at_least) + 3)))
    else:
        value = 1.0
    if column not in frame.columns:
        frame[column] = 0.0
    frame[column] = frame[column].astype("float64")
    frame.loc[0, column] = value
    if cap.applies_to in ("heads", "leaders"):  # a head holds a leadership post either way
        from evalkit.scoring import management_only_inputs

        frame.loc[0, "is_head"] = True
        frame.loc[0, "manages_others"] = bool(frame.at[0, "manages_others"])
        # and is scored as one (NĐ 335/2025 Điều 15): the management components typed
        full = rs.full_marks(manages_others=True)
        for cid in management_only_inputs(rs):
            if cid not in frame.columns:
                frame[cid] = np.nan
            if np.isnan(frame[cid].to_numpy(dtype=np.float64, na_value=np.nan)[0]):
                frame[cid] = frame[cid].astype("float64")
                frame.loc[0, cid] = full[cid]
    return in_scope(frame, cap.scope), cap


def in_scope(frame: pd.DataFrame, scope: Any) -> pd.DataFrame:
    """``frame`` moved inside a rule's own dates and categories (:class:`evalkit.rules.Scope`):
    the first whole month from its ``effective_from``, its first category; as it is where
    the rule has none."""
    out = frame.copy()
    start = scope.effective_from
    if start is not None and "period" in out.columns:
        first = Period.of_date(start)
        out["period"] = str(first if start.day == 1 else first.next())
    if scope.categories and "category" in out.columns:
        out["category"] = scope.categories[0].value
    return out


def _check_disqualifier(rs: RuleSet, ex: tuple[pd.DataFrame, Cap]) -> _Failure | None:
    frame, cap = ex
    out = _score(rs, frame)
    if pd.isna(out["grade"].iloc[0]):
        return None  # the total fell in no band: the bands invariant reports it
    grade = Grade.parse(str(out["grade"].iloc[0]))
    prefix = "disqualifier" if cap.grade == Grade.KHT else "cap"
    code = f"{prefix}.{cap.id}"
    codes = str(out["reasons"].iloc[0]).split(";")
    if grade <= cap.grade and code in codes:
        return None
    ce = _compact(frame).assign(
        total=out["total"].to_numpy(), grade=grade.code, reasons=out["reasons"].astype(str)
    )
    if grade > cap.grade:
        col = _FLAG_INPUT.get(cap.flag, cap.flag)
        if col not in frame.columns:
            col = "party_discipline"
        msg = (f"{col} = {float(frame[col].iloc[0]):g} should cap the grade at "
               f"{cap.grade.code} (cap {cap.id!r}), but the grade is {grade.code}")  # fmt: skip
    else:
        msg = f"cap {cap.id!r} applied but its reason code {code!r} is missing"
    return _Failure(msg, ce)


# ---- quota


def _round_count(x: float, rounding: str) -> int:
    eps = 1e-9
    if rounding == "half_up":
        return math.floor(x + 0.5 + eps)
    if rounding == "ceil":
        return math.ceil(x - eps)
    return math.floor(x + eps)


def _quota_cases(rs: RuleSet) -> st.SearchStrategy[tuple[str, int]]:
    q = rs.quota
    assert q is not None
    which = ["percent"] + (["percent_if_unit_excellent"]
                           if q.percent_if_unit_excellent is not None else [])  # fmt: skip
    return st.tuples(st.sampled_from(which), st.integers(0, 100_000))


def _quota_probes(rs: RuleSet) -> list[tuple[str, int]]:
    q = rs.quota
    assert q is not None
    which = ["percent"] + (["percent_if_unit_excellent"]
                           if q.percent_if_unit_excellent is not None else [])  # fmt: skip
    sizes = [*range(1, 21), 50, 100, 1000, 10_000, 100_000]
    return [(w, n) for n in sizes for w in which]


def _check_quota(rs: RuleSet, ex: tuple[str, int]) -> _Failure | None:
    q = rs.quota
    assert q is not None
    which, n = ex
    pct = q.percent if which == "percent" else float(q.percent_if_unit_excellent or 0.0)
    cap = _round_count(pct / 100.0 * n, q.rounding)
    if 0 <= cap <= n:
        return None
    ce = pd.DataFrame([{
        f"people rated {q.base}": n, which: pct, "rounding": q.rounding,
        f"{q.grade.code} allowed": cap,
    }])  # fmt: skip
    if pct > 100:
        msg = (f"quota {which} {pct:g}% exceeds 100%: {n} people rated {q.base} would allow "
               f"{cap} {q.grade.code}")  # fmt: skip
    else:
        msg = f"quota {which} {pct:g}% is negative: it allows {cap} {q.grade.code}"
    return _Failure(msg, ce)


# ---- row order and scalar == vectorised


@st.composite
def _permuted(draw: st.DrawFn, rs: RuleSet) -> tuple[pd.DataFrame, list[int]]:
    frame = draw(_frames(rs, min_rows=2, max_rows=6, not_evaluated=True))
    perm = draw(st.permutations(list(range(len(frame)))))
    return frame, list(perm)


def _check_row_order(rs: RuleSet, ex: tuple[pd.DataFrame, list[int]]) -> _Failure | None:
    frame, perm = ex
    whole = _score(rs, frame)
    shuffled = _score(rs, frame.iloc[perm])
    diffs = compare_results(whole.iloc[perm], shuffled)
    if not diffs:
        return None
    return _Failure(
        f"scoring the rows in the order {perm} changes results: {diffs[0]}", _compact(frame)
    )


@st.composite
def _frame_and_options(draw: st.DrawFn, rs: RuleSet) -> tuple[pd.DataFrame, dict[str, bool]]:
    frame = draw(_frames(rs, min_rows=1, max_rows=4, not_evaluated=True))
    options = {n.id: draw(st.sampled_from([n.enabled, not n.enabled])) for n in rs.notices}
    return frame, options


def _check_twins(rs: RuleSet, ex: tuple[pd.DataFrame, dict[str, bool]]) -> _Failure | None:
    frame, options = ex
    vec = _score(rs, frame, options)
    sca = scalar_frame(frame, rs, options=options)
    diffs = compare_results(sca, vec)
    if not diffs:
        return None
    ce = _compact(frame)
    ce["scalar total"] = sca["total"].to_numpy()
    ce["frame total"] = vec["total"].to_numpy()
    ce["scalar grade"] = sca["grade"].astype(str).to_numpy()
    ce["frame grade"] = vec["grade"].astype(str).to_numpy()
    opts = {k: v for k, v in options.items() if v}
    extra = f" (options {opts})" if opts else ""
    return _Failure(f"score() and score_frame() differ{extra}: {diffs[0]}", ce)


# ---- units (guarded: evalkit.units is optional)


def _units_module() -> Any | None:
    try:
        return importlib.import_module("evalkit.units")
    except ImportError:  # not installed, or a half-installed component
        return None


def _no_units(_rs: RuleSet) -> str | None:
    mod = _units_module()
    if mod is None or not hasattr(mod, "classify_frame"):
        return "evalkit.units (classify_frame) is not available in this installation"
    return None


def _no_head_cap(rs: RuleSet) -> str | None:
    if not rs.units.head_capped_at_unit:
        return "the rule set does not cap heads at their unit (units.head_capped_at_unit)"
    return _no_units(rs)


def _no_quota_units(rs: RuleSet) -> str | None:
    return _no_quota(rs) or _no_units(rs)


def _rollup_cases(rs: RuleSet) -> st.SearchStrategy[float]:
    """Period totals on the set's own grid (``[scoring] decimals``): a total of 0.01
    cannot exist under ``decimals = 1`` (audit 7 D7)."""
    scale = 10 ** rs.scoring.decimals
    return st.integers(0, round(rs.total * scale)).map(lambda c: round(c / scale,
                                                                         rs.scoring.decimals))


def _check_rollup(rs: RuleSet, total: float) -> _Failure | None:
    """A year of identical periods has the period's total and its band's grade."""
    mod = _units_module()
    assert mod is not None
    year = Period.of_year(max(rs.effective_from.year + 1, 2026))
    periods = ([str(Period.quarter(year.year, q)) for q in range(1, 5)]
               if rs.period == "quarter" else [str(p) for p in year.months()])  # fmt: skip
    frame = pd.DataFrame({"staff_id": "S001", "period": periods, "total": total})
    out = mod.rollup_frame(frame, rs, force=True).iloc[0]  # arithmetic, not the dates
    want = rs.band_for(total).grade.code
    if out["total"] == total and str(out["grade"]) == want:
        return None
    return _Failure(f"a year of periods of {total:g} rolls up to {out['total']:g} "
                    f"({out['grade']}), not {total:g} ({want})",
                    pd.DataFrame({"total": [total], "year_total": [out["total"]],
                                  "year_grade": [str(out["grade"])]}))  # fmt: skip


def _nothing(_rs: RuleSet) -> st.SearchStrategy[Any]:
    return st.nothing()


def _never(_rs: RuleSet, _example: Any) -> _Failure | None:
    return None


OrgMonth = tuple[Any, pd.DataFrame, pd.DataFrame]


def _org_months(rs: RuleSet) -> st.SearchStrategy[OrgMonth]:
    from evalkit.testing._strategies import organisation_months

    return organisation_months(rs)


def _classifying(rs: RuleSet) -> RuleSet:
    """``rs`` classifying the period it scores, so the classification steps (head cap,
    quota) can be checked on one period even where the set classifies only the year."""
    if rs.classifies(rs.period) and rs.quota_applies(rs.period):
        return rs
    quota = rs.quota if rs.quota is None else attrs.evolve(rs.quota, periods=())
    return attrs.evolve(rs, classified=tuple(dict.fromkeys((rs.period, *rs.classified))),
                        quota=quota)  # fmt: skip


def _classify(rs: RuleSet, ex: OrgMonth) -> pd.DataFrame:
    mod = _units_module()
    assert mod is not None
    staff_results, _units = mod.classify_frame(ex[1], ex[2], _classifying(rs), force=True)
    out: pd.DataFrame = staff_results
    return out


def _codes(col: pd.Series) -> npt.NDArray[np.int64]:
    return pd.Categorical(col.astype(object), categories=GRADE_CODES,
                          ordered=True).codes.astype(np.int64)  # fmt: skip


def _check_head_cap(rs: RuleSet, ex: OrgMonth) -> _Failure | None:
    res = _classify(rs, ex)
    grade, unit = _codes(res["grade"]), _codes(res["unit_grade"])
    bad = res["is_head"].to_numpy(dtype=bool) & (unit >= 0) & (grade > unit)
    if not bad.any():
        return None
    i = int(np.flatnonzero(bad)[0])
    table = _compact(ex[1]).assign(
        grade=res["grade"].astype(str).to_numpy(),
        unit_grade=res["unit_grade"].astype(str).to_numpy(),
    )
    return _Failure(
        f"head {res['staff_id'].iloc[i]!r} is graded {GRADE_CODES[grade[i]]}, above the "
        f"unit's {GRADE_CODES[unit[i]]}", table, _compact(ex[2]),
    )  # fmt: skip


def _check_quota_kept(rs: RuleSet, ex: OrgMonth) -> _Failure | None:
    q = rs.quota
    assert q is not None
    res = _classify(rs, ex)
    if "quota_group" not in res.columns or res["quota_group"].isna().all():
        return None
    top = res["grade"].astype(str) == q.grade.code
    counts = top.groupby(res["quota_group"], observed=True).sum()
    caps = res.groupby("quota_group", observed=True)["quota_cap"].first()
    over = counts[counts > caps.reindex(counts.index)]
    if over.empty:
        return None
    g = over.index[0]
    rows = res["quota_group"] == g
    table = _compact(ex[1][rows.to_numpy()]).assign(
        total=res.loc[rows, "total"].to_numpy(), grade=res.loc[rows, "grade"].astype(str)
    )
    return _Failure(
        f"quota group {g!r} has {int(over.iloc[0])} {q.grade.code}, more than its cap "
        f"{int(caps[g])}", table,
    )  # fmt: skip


def _no_caps(rs: RuleSet) -> str | None:
    if not rs.caps:
        return "the rule set has no disqualifiers or caps"
    if not any(c.enabled for c in rs.caps):
        return "every cap of the rule set is off"
    if not any(c.enabled and c.reaches(rs.period) for c in rs.caps):
        return "every cap of the rule set belongs to the classification of another period"
    return None


def _no_quota(rs: RuleSet) -> str | None:
    return None if rs.quota is not None else "the rule set has no quota"


def _no_inputs(rs: RuleSet) -> str | None:
    return None if _directions(rs) else "the rule set has no scored inputs"


_INVARIANTS: tuple[_Invariant, ...] = (
    _Invariant("bands", "the bands cover [0, total] with no gap and no overlap",
               _totals, _check_band_cover, probes=_probes, scores=False),
    _Invariant("grade_monotone", "a higher total never gets a lower band grade",
               lambda rs: st.tuples(_totals(rs), _totals(rs)), _check_grade_monotone,
               probes=_probe_pairs, scores=False),
    _Invariant("bounds", "every total is within [0, total]",
               lambda rs: _frames(rs, max_rows=5), _check_bounds),
    _Invariant("monotonicity", "raising a score never lowers the total or the grade "
               "(raising an error or delay count never raises them)",
               _raise_one, _check_monotone, _no_inputs, probes=_deduction_probes),
    _Invariant("disqualifiers", "a disqualifier or cap always holds the grade at or below "
               "its grade, with its reason", _with_cap, _check_disqualifier, _no_caps),
    _Invariant("quota", "the quota percentages are within 0-100 %, so no group may be given "
               "more places than people", _quota_cases, _check_quota, _no_quota,
               probes=_quota_probes, scores=False),
    _Invariant("row_order", "results do not depend on the order of the rows",
               _permuted, _check_row_order),
    _Invariant("scalar_equals_vectorised", "score() and score_frame() agree on total, "
               "components, grades and reasons", _frame_and_options, _check_twins),
    _Invariant("head_not_above_unit", "a head is never graded above their unit",
               _org_months, _check_head_cap, _no_head_cap, cost=4),
    _Invariant("quota_respected", "after the quota no group has more of the quota grade "
               "than its cap", _org_months, _check_quota_kept, _no_quota_units, cost=4),
    _Invariant("rollup", "the roll-up of identical months equals the month",
               _rollup_cases, _check_rollup, _no_units),
)  # fmt: skip

#: The invariants :func:`check_rule_set` runs, name to description.
INVARIANTS: dict[str, str] = {inv.name: inv.description for inv in _INVARIANTS}


def _run(inv: _Invariant, rs: RuleSet, max_examples: int) -> InvariantResult:
    why = inv.skip(rs)
    if why is None and inv.scores and check_bands(rs.bands, rs.total):
        why = "the bands leave totals without a grade (the bands problem): fix them first"
    if why is not None:
        return InvariantResult(inv.name, inv.description, "skipped", 0, why)
    n_probes = 0
    for example in inv.probes(rs):
        n_probes += 1
        failure = _safe_check(inv, rs, example)
        if failure is not None:
            return InvariantResult(inv.name, inv.description, "failed", n_probes,
                                   failure.message, failure.counterexample,
                                   failure.context)  # fmt: skip
    state: dict[str, Any] = {"n": n_probes, "failure": None}

    @settings(
        max_examples=max(10, max_examples // inv.cost),
        derandomize=True,
        database=None,
        deadline=None,
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        report_multiple_bugs=False,
    )
    @given(inv.strategy(rs))
    def prop(example: Any) -> None:
        state["n"] += 1
        failure = _safe_check(inv, rs, example)
        if failure is not None:
            state["failure"] = failure
            raise _Violated

    try:
        prop()
    except _Violated:
        f: _Failure = state["failure"]
        return InvariantResult(inv.name, inv.description, "failed", state["n"],
                               f.message, f.counterexample, f.context)  # fmt: skip
    return InvariantResult(inv.name, inv.description, "passed", state["n"])


def _safe_check(inv: _Invariant, rs: RuleSet, example: Any) -> _Failure | None:
    try:
        return inv.check(rs, example)
    except Exception as exc:  # an error on valid input is a finding too
        return _Failure(f"raised {type(exc).__name__}: {exc}", _example_table(example))


def _example_table(example: Any) -> pd.DataFrame | None:
    if isinstance(example, pd.DataFrame):
        return _compact(example)
    if isinstance(example, tuple) and example and isinstance(example[0], pd.DataFrame):
        return _compact(example[0])
    return None


def _load(target: RuleSet | str | Path) -> tuple[RuleSet, tuple[str, ...]]:
    """The rule set to check and the problems the strict loader reports."""
    if isinstance(target, RuleSet):
        return target, tuple(_static_problems(target))
    from evalkit import rules as _rules
    from evalkit.rules import read_rule_file

    text = str(target)
    if isinstance(target, str) and text in _rules.default_registry():
        rs = _rules.get(text)
        return rs, tuple(_static_problems(rs))
    path = Path(text)
    if not path.exists() and isinstance(target, str):
        try:  # a renamed preset's old id resolves, with its DeprecationWarning
            rs = _rules.get(text)
        except NoRuleSetError:
            pass
        else:
            return rs, tuple(_static_problems(rs))
    if not path.exists():
        known = ", ".join(_rules.default_registry().ids())
        raise InvalidArgument(
            f"check_rule_set({target!r}): no such file, and not a registered rule set "
            f"(known: {known})"
        )
    pairs: list[tuple[str, str]] = []  # the strict loader's problems, every one of them
    try:
        read_rule_file(path)
        strict: tuple[str, ...] = ()
    except RuleSetError as exc:
        pairs = list(getattr(exc, "problems", None) or [(exc.key or "", exc.reason)])
        strict = tuple(f"{k}: {m}" if k else m for k, m in pairs)
    try:
        rs = read_rule_file(path, strict=False)  # other problems raise RuleSetError here
    except RuleSetError as exc:  # with the checks its problems leave standing
        more = _partial_problems(exc)
        listed = getattr(exc, "problems", None) or [(exc.key or "", exc.reason)]
        # the bands and quota percentages it read leniently are problems too (audit af25)
        every = [*pairs, *(p for p in listed if p not in pairs), *more]
        if len(every) == len(listed):
            raise
        err = RuleSetError("\n".join([f"{len(every)} problems in the rule set:",
                                      *(f"  - {k}: {m}" for k, m in every)]),
                           source=exc.source)  # fmt: skip
        err.problems = every  # type: ignore[attr-defined]
        raise err from None
    return rs, strict


#: The keys the date check reads of a set, and the disqualifier check: a problem at one of
#: them (or under it) leaves that check unsound on the part of a file that was read.
_DATE_KEYS = ("id", "jurisdiction", "categories", "categories_until", "effective_from",
              "effective_to")  # fmt: skip
_NATIONAL_KEYS = (*_DATE_KEYS, "caps", "bands", "quota", "classified")


def _partial_problems(exc: RuleSetError) -> list[tuple[str, str]]:
    """The date and national-disqualifier problems of a rule file that does not read (an
    unknown key, a wrong type), as ``(key, problem)``: each check runs on what was read
    when none of the file's problems is at a key it reads, so that every problem of the
    file is said at once (audit af21)."""
    rs = getattr(exc, "partial", None)
    if rs is None:
        return []
    keys = getattr(exc, "partial_keys", ())

    def clear(names: Sequence[str]) -> bool:
        return not any(k == n or k.startswith((f"{n}[", f"{n}.")) for k in keys for n in names)

    found = [*(_date_problems(rs) if clear(_DATE_KEYS) else ()),
             *(_national_problems(rs) if clear(_NATIONAL_KEYS) else ())]  # fmt: skip
    return [(where, what) for where, _, what in (p.partition(": ") for p in found)]


def _static_problems(rs: RuleSet) -> list[str]:
    out = [f"bands: {p}" for p in check_bands(rs.bands, rs.total)]
    q = rs.quota
    if q is not None:
        out += [f"quota.{key}: {problem}" for key, problem in
                quota_percent_problems(q.percent, q.percent_if_unit_excellent)]  # fmt: skip
    return out


def _outcome_problems(rs: RuleSet) -> list[str]:
    """Issue 16: a perfect score must be the top grade, and nobody may be capped with every
    flag at zero.

    A member of staff and a leader (a head who manages others) with full marks on every
    required criterion, and no flag set, are scored in a period the set classifies: each
    must get the best grade of the bands, with no cap or disqualifier among the reasons.
    So must someone holding each position of ``position_maxima`` with that position's full
    marks. Bands with their own problems are reported by the band checks instead.
    """
    if not rs.bands or check_bands(rs.bands, rs.total):
        return []
    top = max(b.grade for b in rs.bands)
    people: list[tuple[str, bool, str | None]] = [("member of staff", False, None),
                                                 ("leader", True, None)]  # fmt: skip
    people += [(f"person in position {pos!r}", False, pos) for pos in rs.position_maxima]
    try:
        frame = _full_marks_frame(rs, people)
        from evalkit.scoring import score_frame

        out = score_frame(frame, _classifying(rs), force=True)
    except Exception as exc:  # a set that cannot score full marks: that is the finding
        return [f"grades: a person with full marks on every required criterion cannot be "
                f"scored: {type(exc).__name__}: {exc}"]  # fmt: skip
    caps = {f"{'disqualifier' if c.grade == Grade.KHT else 'cap'}.{c.id}": (i, c)
            for i, c in enumerate(rs.caps)}  # fmt: skip
    problems: list[str] = []
    hit: set[str] = set()
    for (who, _lead, _pos), total, band, reasons in zip(
        people, out["total"], out["score_grade"].astype(object), out["reasons"].astype(str),
        strict=True,
    ):  # fmt: skip
        for code in reasons.split(";"):
            if code in caps and code not in hit:
                hit.add(code)
                i, cap = caps[code]
                problems.append(
                    f"grades: caps[{i}] ({cap.id!r}) caps every person at {cap.grade.code}: with "
                    f"every flag at zero, {cap.flag} (0) is at least at_least "
                    f"({cap.at_least:g})"
                )  # fmt: skip
        if band is None or (isinstance(band, float) and math.isnan(band)):
            problems.append(f"grades: a perfect score of a {who} totals {total:g}, which falls "
                            "in no band")  # fmt: skip
        elif Grade.parse(str(band)) < top:
            problems.append(
                f"grades: a perfect score is not the top grade: a {who} with full marks on "
                f"every required criterion totals {total:g}, in band {band}, not {top.code} "
                f"(bands: {_band_text(rs)})"
            )  # fmt: skip
    return problems


def _full_marks_frame(rs: RuleSet, people: Sequence[tuple[str, bool, str | None]]
                      ) -> pd.DataFrame:  # fmt: skip
    """One row per person of ``people`` (who, leads, position) with full marks, no flags."""
    period = Period.of_date(rs.effective_from)
    if rs.period == "quarter":
        period = period.quarter_of()
    rows = []
    for i, (_who, lead, pos) in enumerate(people):
        marks = {cid: rs.maximum(cid, pos) for cid in rs.required_inputs(lead)}
        rows.append({"staff_id": f"P{i + 1}", "period": str(period), "manages_others": lead,
                     "is_head": lead, "position_id": pos or "", **marks})  # fmt: skip
    return pd.DataFrame(rows)


def _band_text(rs: RuleSet) -> str:
    srt = sorted(rs.bands, key=lambda b: -b.min)
    return ", ".join(f"{b.grade.code} from {b.min:g}" for b in srt)


def _source_problems(rs: RuleSet) -> list[str]:
    """Issue 19: an unsourced rule may only be an option, never on by default."""
    out = [
        f"sources: {r.rule} is unsourced and switched on by default; an unsourced rule may "
        "only be an option (enabled = false, or leave the option unset)"
        for r in unsourced_on_by_default(rs)
    ]
    if rs.status == "unsourced" and (rs.jurisdiction == "vn" or rs.jurisdiction.startswith("vn.")):
        out.append(f"sources: the rule set is marked unsourced but its jurisdiction "
                   f"{rs.jurisdiction!r} makes it the set in force for real staff; give an "
                   "example set a jurisdiction outside 'vn'")  # fmt: skip
    return out


def _date_problems(rs: RuleSet) -> list[str]:
    """Audit 7 D6: the clashes registration would refuse (overlaps and gaps with the
    registered sets of a category and jurisdiction), reported before the set is used."""
    from evalkit.rules import default_registry

    return [f"dates: {p}" for p in default_registry().date_problems(rs)]


#: The flags whose cap holds whenever the key's holds: a discipline related to public
#: duty is a discipline, and ``any_discipline`` counts every discipline;
#: ``duty_any_discipline`` counts the party's too where related to the duties.
_COVERING_FLAGS: dict[str, tuple[str, ...]] = {
    "duty_discipline": ("duty_discipline", "discipline", "any_discipline", "duty_any_discipline"),
    "discipline": ("discipline", "any_discipline"),
    "duty_any_discipline": ("duty_any_discipline", "any_discipline"),
}
#: Who a cap reaches, narrowest first.
_SCOPE_WIDTH = {"heads": 0, "leaders": 1, "all": 2}
#: The categories whose national disqualifiers a local set must keep (audit 7 D8), and
#: from when: công chức (NĐ 335/2025/NĐ-CP Điều 20 k4 b–d, from 2026-01-01). A national set
#: that ends before (NĐ 90/2020 for công chức, ``vn.nd90-2020-cc``) is no floor: a local
#: scheme of those years (Hà Nội's QĐ 3814) is not held to its caps.
_NATIONAL_FLOOR = {StaffCategory.CONG_CHUC: _dt.date(2026, 1, 1)}


def _keeps(local: Cap, national: Cap, periods: Sequence[str]) -> bool:
    """Whether ``local`` lowers to the national cap's grade (or lower) whenever it does."""
    return (local.enabled and local.flag in _COVERING_FLAGS.get(national.flag, (national.flag,))
            and local.at_least <= national.at_least and local.grade <= national.grade
            and _SCOPE_WIDTH.get(local.applies_to, 0) >= _SCOPE_WIDTH.get(national.applies_to, 2)
            and all(local.reaches(k) for k in periods if national.reaches(k)))  # fmt: skip


def _cap_text(cap: Cap) -> str:
    off = "" if cap.enabled else ", enabled = false"
    years = f", periods = {list(cap.periods)}" if cap.periods else ""
    return (f"flag {cap.flag} ≥ {cap.at_least:g} → {cap.grade.code}, applies_to = "
            f"{cap.applies_to}{years}{off}")


def _national_problems(rs: RuleSet) -> list[str]:
    """Audit 7 D8: a set for công chức in Vietnam (jurisdiction ``vn`` or ``vn.*``) in force
    with a national set keeps that set's disqualifiers (its caps to KHT: NĐ 335/2025/NĐ-CP
    Điều 20 k4 b–d from 2026-01-01): a local set may add caps, not remove or weaken them.
    A cap whose grade is the top band grade never lowers anything and is reported too."""
    from evalkit.rules import default_registry

    out: list[str] = []
    top = max((b.grade for b in rs.bands), default=None)
    for i, cap in enumerate(rs.caps):
        if cap.enabled and top is not None and cap.grade >= top:
            out.append(f"disqualifiers: caps[{i}] ({cap.id!r}) caps the grade at {cap.grade.code}, "
                       "the top grade: it never lowers a grade")  # fmt: skip
    if not (rs.jurisdiction == "vn" or rs.jurisdiction.startswith("vn.")):
        return out
    for cat, floor_from in _NATIONAL_FLOOR.items():
        if cat not in rs.categories:
            continue
        end = rs.end_for(cat)
        for nat in default_registry():
            nat_end = nat.end_for(cat)
            if (nat.id == rs.id or nat.jurisdiction != "vn" or cat not in nat.categories
                    or (nat_end is not None and nat_end < floor_from)
                    or (nat_end is not None and rs.effective_from > nat_end)
                    or (end is not None and end < nat.effective_from)):  # fmt: skip
                continue
            # Điều 20 k5 a: HTXS at most 20% (audit af25); above 100 % the range check says it
            nq, q = nat.quota, rs.quota
            q = q if q is not None and "year" in (q.periods or rs.classified) else None
            if nq is not None and not (q is not None and (q.grade, q.base) == (nq.grade, nq.base)
                                       and not nq.percent < q.percent <= 100):  # fmt: skip
                local = f"{q.percent:g}% {q.grade.code} ({q.base})" if q else "—"
                out.append(f"quota: the national quota of {nat.id!r} ({nq.source!r}) is at most "
                           f"{nq.percent:g}% {nq.grade.code} of those rated {nq.base}, here "
                           f"{local}: a rule set for {cat.value} in {rs.jurisdiction!r} in force "
                           f"with {nat.id!r} may lower it, not raise or remove it")  # fmt: skip
            for ncap in nat.caps:
                if not ncap.enabled or ncap.grade != Grade.KHT:
                    continue
                if any(_keeps(c, ncap, nat.classified) for c in rs.caps):
                    continue
                near = [(j, c) for j, c in enumerate(rs.caps) if c.id == ncap.id] or [
                    (j, c) for j, c in enumerate(rs.caps)
                    if c.flag in _COVERING_FLAGS.get(ncap.flag, (ncap.flag,))]  # fmt: skip
                if near:
                    j, c = near[0]
                    out.append(
                        f"disqualifiers: caps[{j}] ({c.id!r}) weakens the national "
                        f"disqualifier {ncap.id!r} of {nat.id!r} ({ncap.source}): it must "
                        f"keep {_cap_text(ncap)}, not {_cap_text(c)}; a local set may add "
                        "caps, not remove or weaken them"
                    )  # fmt: skip
                else:
                    out.append(
                        f"disqualifiers: the national disqualifier {ncap.id!r} of {nat.id!r} "
                        f"({ncap.source}; {_cap_text(ncap)}) is missing: a rule set for "
                        f"{cat.value} in {rs.jurisdiction!r} in force with {nat.id!r} must keep "
                        "it; a local set may add caps, not remove or weaken them"
                    )  # fmt: skip
    return out


def _shown_source(rs: RuleSet) -> str | None:
    """The file the checked set was read from; None for a set changed in memory
    (``attrs.evolve`` keeps the base's ``path``: audit 7 D15)."""
    if not rs.path:
        return None
    from evalkit import rules as _rules
    from evalkit.rules import read_rule_file

    try:
        if rs.id in _rules.default_registry() and _rules.get(rs.id).path == rs.path:
            same = _rules.get(rs.id) == rs
        else:
            same = read_rule_file(rs.path, strict=False) == rs
    except Exception:  # the file moved or no longer reads: it is not the checked set
        return None
    return rs.path if same else None


def check_rule_set(
    rule_set_or_path: RuleSet | str | Path,
    *,
    max_examples: int = 200,
    invariants: Sequence[str] | None = None,
) -> CheckReport:
    """Run the invariant suite on a rule set and report every failure with a shrunk example.

    ``rule_set_or_path`` is a :class:`~evalkit.rules.RuleSet`, a registered id or the
    path of a TOML rule file. A file is read leniently, so that bands with a gap (69.5
    to 70) or a quota of 120 % are reported as failed invariants with a counter-example
    rather than only as a load error; any other problem of the file raises
    :class:`~evalkit.errors.RuleSetError`, which lists with it the date and disqualifier
    problems (below) of what was read, unless a problem is at a key those checks read. ``max_examples`` bounds the examples tried
    per invariant; ``invariants`` selects some of :data:`INVARIANTS` by name (``[]``: the
    static checks only). Bands that leave a total without a grade fail ``bands``; the
    invariants whose examples are scored are then skipped, naming the bands problem, not
    failed once more each on the same gap.

    The static checks also score a member of staff, a leader and each position of
    ``position_maxima`` with full marks on every required criterion and no flag set: each
    must get the top grade of the bands, with no cap among the reasons (issue 16). A file's
    effective dates must fit the registered sets of its categories and jurisdiction, as
    registration requires (``dates:``; a set changed in memory is not dated against the
    registry, and is shown without its base's file). A set for công chức in Vietnam
    (jurisdiction ``vn`` or ``vn.*``) in force with a national set must keep that set's
    disqualifiers (NĐ 335/2025/NĐ-CP Điều 20 k4 b–d): a local set may add caps, not remove
    or weaken them; and no cap may cap at the top grade (``disqualifiers:``).

    The search is derandomised: the same file gives the same report every run.

    >>> from evalkit.testing import check_rule_set
    >>> report = check_rule_set("vn.nd335-2025", max_examples=10, invariants=["bands", "quota"])
    >>> report.ok, [r.status for r in report.results]
    (True, ['passed', 'passed'])
    """
    _check_int("check_rule_set", "max_examples", max_examples, low=1, high=100_000)
    chosen = _INVARIANTS
    if invariants is not None:
        if isinstance(invariants, str):
            invariants = [invariants]
        unknown = [n for n in invariants if n not in INVARIANTS]
        if unknown:
            raise InvalidArgument(
                f"check_rule_set(invariants={list(invariants)!r}): unknown invariant(s) "
                f"{unknown}; known: {', '.join(INVARIANTS)}"
            )
        chosen = tuple(i for i in _INVARIANTS if i.name in invariants)
    rs, static = _load(rule_set_or_path)
    source = rs.path if not isinstance(rule_set_or_path, RuleSet) else _shown_source(rs)
    # a file's dates must fit the registry; a set changed in memory is a what-if
    dates = _date_problems(rs) if source is not None else []
    static = (*static, *_outcome_problems(rs), *_source_problems(rs), *dates,
              *_national_problems(rs))  # fmt: skip
    results = tuple(_run(inv, rs, max_examples) for inv in chosen)
    return CheckReport(rs.id, source, results, _said_once(rs, static, results),
                       rule_sources(rs))  # fmt: skip


def _said_once(rs: RuleSet, static: Sequence[str], results: Sequence[InvariantResult]
               ) -> tuple[str, ...]:  # fmt: skip
    """``static`` without the loader's line for a quota percentage outside 0-100 that the
    failed ``quota`` invariant says with its counter-example: one problem, said once."""
    q = rs.quota
    shown = [r.counterexample for r in results
             if r.name == "quota" and not r.passed and r.counterexample is not None]  # fmt: skip
    if q is None or not shown:
        return tuple(static)
    said: set[str] = set()
    for key, problem in quota_percent_problems(q.percent, q.percent_if_unit_excellent):
        if any(key in ce.columns for ce in shown):  # a file spells the raised one either way
            keys = (key,) if key == "percent" else (key, "raised_percent")
            said.update(f"quota.{k}: {problem}" for k in keys)
    return tuple(p for p in static if p not in said)
