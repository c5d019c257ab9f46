"""Rule-change impact: who would be graded differently under a new rule set.

:func:`compare_rule_sets` classifies the same staff-months twice, under OLD and under
NEW, and returns an :class:`ImpactReport`: every person-month whose final grade changes
(with both totals and the difference), the grade distribution of each unit before and
after, and each quota group's cap and use before and after. The report prints as a rich
table, writes CSV and renders a one-page PDF with a before / after bar chart.

Both sets are applied to every period of the data with ``force=True``: trying a rule set
outside its effective dates is the point of the comparison, and the report says so. The
staff's ``category`` is ignored: the question is "what if these people were under NEW".
Where both sets classify only the year (NĐ 335/2025 Điều 21 and the sets following it),
the years are compared: one row per person and year.

The demo's 25 công chức over 2026: nobody changes grade between NĐ 90/2020 and NĐ
233/2026 (the demo's one reprimand is for a duty-related violation, which both count):

>>> from evalkit.impact import compare_rule_sets, demo_data
>>> data = demo_data()
>>> report = compare_rule_sets("vn.nd90-2020", "vn.nd233-2026", data.staff_months,
...                            data.units, fill=data.fill)
>>> report.annual, report.periods, report.population, report.up, report.down
(True, ('2026',), 25, 0, 0)
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _columns
from evalkit._columns import did_you_mean
from evalkit._files import atomic_path, atomic_paths
from evalkit.errors import InputError, InputProblem, ModelError, RenderError
from evalkit.messages import CATALOGUE, Msg, Words, msg, problem, text
from evalkit.model import Period, StaffCategory
from evalkit.reasons import not_classified_rows
from evalkit.rules import RuleSet, rule_changes
from evalkit.scoring import FRAME_COLUMNS, criterion_of, foreign_columns, foreign_said

__all__ = [
    "BLOCK_FILL",
    "CHANGE_COLUMNS",
    "CRITERION_EQUIVALENTS",
    "DISTRIBUTION_COLUMNS",
    "QUOTA_COLUMNS",
    "RULE_COLUMNS",
    "ImpactData",
    "ImpactReport",
    "compare_rule_sets",
    "demo_data",
    "load_data",
    "output_paths",
]

#: Columns of :attr:`ImpactReport.changes`, with their meaning.
CHANGE_COLUMNS: dict[str, str] = {
    "staff_id": "the person's id",
    "full_name": "full name, when the data have it",
    "unit_id": "the person's unit",
    "period": "the month",
    "old_total": "total under OLD",
    "old_grade": "final grade under OLD (after caps and quotas)",
    "new_total": "total under NEW",
    "new_grade": "final grade under NEW",
    "delta": "new_total - old_total",
    "direction": "up or down: the grade under NEW compared with OLD",
    "new_reasons": "NEW's reason codes for the person, joined by ';'",
}

#: Columns of :attr:`ImpactReport.distribution` (one row per unit and grade).
DISTRIBUTION_COLUMNS: dict[str, str] = {
    "unit_id": "the unit ('' when the data have no units)",
    "grade": "HTXS, HTT, HT, KHT, not_classified (a score and no grade: too few months, no "
    "month worked) or not_evaluated",
    "old": "staff-months with that final grade under OLD",
    "new": "staff-months with that final grade under NEW",
    "change": "new - old",
}

#: Columns of :attr:`ImpactReport.rules` (one row per rule item NEW changes, with the
#: citation an author gives for it: :func:`evalkit.rules.rule_changes`).
RULE_COLUMNS: dict[str, str] = {
    "item": "the rule's item path (bands[HTXS].min, quota.percent, caps[discipline].at_least)",
    "old": "its value under OLD (empty where OLD lacks it)",
    "new": "its value under NEW (empty where NEW drops it)",
    "source": "the citation of the rule under NEW (OLD's for a rule NEW drops)",
}

#: Columns of :attr:`ImpactReport.quota` (one row per quota group and period).
QUOTA_COLUMNS: dict[str, str] = {
    "period": "the month",
    "unit_id": "the unit of the quota group",
    "duty_group": "the duty group of the quota group (empty when not grouped by it)",
    "old_cap": "places for the quota grade under OLD",
    "old_candidates": "people reaching the quota grade before the quota under OLD",
    "old_used": "places used (candidates kept) under OLD",
    "old_headroom": "old_cap - old_candidates: negative = people demoted",
    "new_cap": "places under NEW",
    "new_candidates": "candidates under NEW",
    "new_used": "places used under NEW",
    "new_headroom": "new_cap - new_candidates",
}

#: Prefix of a fill source that is a block, not a column: ``"block:general"`` fills a
#: criterion at the share of its maximum that the data score in the other rule set's
#: ``general`` block (Σ scores ÷ Σ maxima of that block's criteria, row by row) or, when
#: the data lack that set's criteria too, in the earliest registered preset (by effective
#: date, then id) whose criteria the data have; the report's notes name the set used.
BLOCK_FILL = "block:"

_GENERAL = BLOCK_FILL + "general"

#: Criteria of one preset family that another family's data hold under another id,
#: ``{needed: source}``; a source is a column, or ``block:<id>`` (see :data:`BLOCK_FILL`).
#: These are evalkit's crosswalk for comparisons, not a legal mapping:
#:
#: - the general criteria of NĐ 90/2020 (4 × 7.5) and of the first ``vn.nd335-2025``
#:   (5 × 6), and NĐ 335/2025's ten sub-items (5 + 5 + 8 × 2.5) from older data, have no
#:   one-to-one successor: each is filled at the share of the 30 general points the
#:   person scored under the other set, so that the general block is the same on both
#:   sides and the comparison shows what the rules change;
#: - NĐ 90/2020's (d) ``ket_qua_don_vi`` and (đ) ``don_vi_cap_duoi`` and the first
#:   ``vn.nd335-2025``'s (e) ``cap_duoi`` (results of subordinates) from NĐ 335's (d)
#:   ``ket_qua_linh_vuc`` (results of the area led, computed from the subordinates); its
#:   (đ) ``nang_luc_lanh_dao`` from ``to_chuc_trien_khai`` (the decree's đ).
#:
#: Used only when asked (``fill=``); ``--data demo`` asks for it.
CRITERION_EQUIVALENTS: Mapping[str, str] = {
    **dict.fromkeys(("chinh_tri", "dao_duc", "tac_phong", "ky_luat", "phuc_vu"), _GENERAL),
    **dict.fromkeys(("pham_chat_dao_duc", "ky_luat_ky_cuong", "nang_luc_chuyen_mon",
                     "dap_ung_nhiem_vu", "tinh_than_trach_nhiem", "phuc_vu_phoi_hop",
                     "san_pham_dot_pha", "nhiem_vu_kho_khan", "chiu_trach_nhiem",
                     "chu_dong_quyet_dinh"), _GENERAL),
    "ket_qua_don_vi": "ket_qua_linh_vuc",
    "don_vi_cap_duoi": "ket_qua_linh_vuc",
    "cap_duoi": "ket_qua_linh_vuc",
    "nang_luc_lanh_dao": "to_chuc_trien_khai",
}

_GRADES = ("HTXS", "HTT", "HT", "KHT")
_NOT_EVALUATED = "not_evaluated"
_NOT_CLASSIFIED = "not_classified"
_UNGRADED = (_NOT_CLASSIFIED, _NOT_EVALUATED)
_ARCHIVE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
_PDF_ROWS = {"changes": 14, "units": 9, "quota": 9, "rules": 7}
#: The lines a table of the page may take (a row takes one line, more for a long name):
#: at most as many as the tables took when a name was cut to fit (af214: never cut).
_PDF_LINES = {"changes": 20, "units": 12, "quota": 18}
#: Characters on one line of the page's wrapping columns (a name is printed whole, on as
#: many lines as it needs): a quota group (its unit's name and duty group), a unit in the
#: distribution, a change's id, name and unit.
_GROUP_WIDTH = 34
_UNIT_WIDTH = 38
_CHANGE_WIDTHS = {"staff": 9, "name": 20, "unit": 20}
Table = Literal["changes", "distribution", "quota", "rules"]

#: The report's words are the catalogue's ``impact.label.*`` (evalkit.messages); ``more``
#: keeps its ``{n}``, filled where the rows left off are counted.
_LABEL_PREFIX = "impact.label."


# =========================================================================== the report


@attrs.frozen(slots=True, eq=False)
class ImpactReport:
    """Who would be graded differently under ``new`` than under ``old``, on the same data.

    ``changes`` has the columns of :data:`CHANGE_COLUMNS` (one row per person-month whose
    final grade differs), ``distribution`` those of :data:`DISTRIBUTION_COLUMNS` (its
    ``old`` and ``new`` columns each sum to :attr:`population`), ``quota`` those of
    :data:`QUOTA_COLUMNS`; ``rules`` those of :data:`RULE_COLUMNS`: what NEW changes of
    OLD's rules, each with its citation (:func:`evalkit.rules.rule_changes`). ``forced``
    records that the sets were applied outside their effective dates if need be; ``notes``
    says what was assumed (filled criteria, criteria a set ignores), each a catalogue
    sentence (:class:`evalkit.messages.Msg`: ``str(note)`` is English with the ids,
    ``note.text("vi")`` Vietnamese with the rule sets' citations and the criteria's
    labels). ``unit_names`` maps a unit id to its name where the data give one (a units
    frame's ``name``): the page and the tables show the name. ``annual`` says the years were compared (one row per person
    and year, :attr:`population` counts person-years) rather than the periods.
    """

    old: RuleSet
    new: RuleSet
    changes: pd.DataFrame
    distribution: pd.DataFrame
    quota: pd.DataFrame
    population: int
    periods: tuple[str, ...] = ()
    forced: bool = True
    notes: tuple[Msg, ...] = ()
    annual: bool = False
    rules: pd.DataFrame = attrs.field(factory=lambda: pd.DataFrame(columns=list(RULE_COLUMNS)))
    unit_names: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def counted(self) -> str:
        """What :attr:`population` counts: ``staff_months`` or (``annual``) ``person_years``."""
        return "person_years" if self.annual else "staff_months"

    @property
    def up(self) -> int:
        """Person-months graded higher under NEW."""
        return int((self.changes["direction"] == "up").sum())

    @property
    def down(self) -> int:
        """Person-months graded lower under NEW."""
        return int((self.changes["direction"] == "down").sum())

    def table(self, which: Table = "changes") -> pd.DataFrame:
        """One of the report's tables by name: changes, distribution, quota or rules."""
        tables = {"changes": self.changes, "distribution": self.distribution,
                  "quota": self.quota, "rules": self.rules}  # fmt: skip
        if which not in tables:
            raise ModelError(f"table must be one of {', '.join(tables)}, not {which!r}")
        return tables[which]

    def to_csv(self, path: str | os.PathLike[str], table: Table = "changes") -> Path:
        """Write one table (default: the changes) as CSV, atomically; return the path.
        A rule's value that is a list is written as JSON, as ``to_dict`` gives it.

        The one CSV writer of evalkit (:func:`evalkit.io.results.write_table_csv`): UTF-8
        with a BOM (Excel shows Vietnamese), CRLF line ends, and a text that would start a
        formula (``=``, ``+``, ``-``, ``@`` …) written with a leading ``'``.
        """
        from evalkit.io.results import write_table_csv

        frame = self.table(table)
        if table == "rules":  # a list (criteria, months) as ``--json`` writes it
            frame = frame.assign(**{c: [json.dumps(v, ensure_ascii=False)
                                        if isinstance(v, list) else v for v in frame[c]]
                                    for c in ("old", "new")})  # fmt: skip
        return write_table_csv(frame, Path(path))

    def write(self, csv: str | os.PathLike[str] | None = None,
              pdf: str | os.PathLike[str] | None = None, lang: str = "vi") -> list[Path]:
        """Write the report's files all together or none of them; return their paths.

        ``csv``: the changes there and each other table beside it (:func:`output_paths`:
        ``OUT.distribution.csv``, ``OUT.quota.csv``, ``OUT.rules.csv``); ``pdf``: the page
        (:meth:`to_pdf`). Each is written to a temporary file beside it and they are renamed
        at the end (:func:`evalkit._files.atomic_paths`): a PDF that fails (a folder not
        writable, rendering raising) leaves no new CSV and every file there was as it was —
        what ``rules diff --csv OUT.csv --pdf OUT.pdf`` writes.
        """
        targets = output_paths(csv, pdf)
        first: tuple[Table, ...] = ("changes", *_BESIDE) if csv is not None else ()
        tables: list[Table | None] = [*first, *((None,) if pdf is not None else ())]
        with atomic_paths(targets) as tmps:
            for table, tmp in zip(tables, tmps, strict=True):
                if table is None:
                    self.to_pdf(tmp, lang=lang)
                else:
                    self.to_csv(tmp, table)
        return targets

    def to_dict(self) -> dict[str, Any]:
        """The whole report as JSON-ready data (what ``rules diff --json`` prints)."""

        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            plain = frame.astype(object).where(frame.notna(), None)
            return [{str(k): _plain(v) for k, v in r.items()}
                    for r in plain.to_dict(orient="records")]  # fmt: skip

        return {
            "old": self.old.id,
            "new": self.new.id,
            "forced": self.forced,
            "periods": list(self.periods),
            "population": self.population,
            "annual": self.annual,
            "up": self.up,
            "down": self.down,
            "notes": [str(n) for n in self.notes],
            "unit_names": dict(self.unit_names),
            "changes": records(self.changes),
            "distribution": records(self.distribution),
            "quota": records(self.quota),
            "rules": records(self.rules),
        }

    def header(self, lang: str = "en") -> str:
        """One paragraph: the two sets, the data, the counts and the force=True notice."""
        t = _labels(lang)
        people = self.changes["staff_id"].nunique() if len(self.changes) else 0
        return (
            f"{self.old.id} → {self.new.id}: {self.population} {t[self.counted]} "
            f"({', '.join(self.periods) or '—'}); {t['summary'].lower()}: {self.up} {t['up']}, "
            f"{self.down} {t['down']} ({people} {t['people']}). {t['forced']}"
        )

    def to_table(
        self, which: Table = "changes", *, lang: str = "en", limit: int | None = None
    ) -> Any:
        """A compact :class:`rich.table.Table` of one table (default: the changes).

        Changes show ``total grade`` before and after; the distribution one ``old → new``
        cell per grade; quotas ``cap / candidates (headroom)``, closest to the cap first.
        ``limit`` keeps the first rows and the caption says how many were left off.
        """
        from rich.markup import escape
        from rich.table import Table as RichTable

        t = _labels(lang)
        self.table(which)  # checks the name
        title = f"{t[which]}: {self.old.id} → {self.new.id}"
        table = RichTable(title=title)
        if which == "changes":
            rows, more = _change_rows(self, lang, limit)
            head = ["ID", t["col_name"], t["unit"], t["col_period"], t["col_old"], t["col_new"],
                    t["col_delta"], ""]  # fmt: skip
            cells = [[r["staff"], r["name"], r["unit"], r["period"], r["old"], r["new"],
                      r["delta"], r["direction"]] for r in rows]  # fmt: skip
        elif which == "rules":
            head = [t["col_item"], t["col_old"], t["col_new"], t["col_source"]]
            sets = (self.new, self.old)  # in Vietnamese the item in words, its key path kept
            cells = [[str(r.item) if lang == "en" else
                      f"{_rule_label(str(r.item), sets, lang)} [{r.item}]",
                      _rule_value(r.old, lang), _rule_value(r.new, lang), r.source]
                     for r in self.rules.itertuples()]  # fmt: skip
            more = 0
        elif which == "quota":
            rows, more = _quota_rows(self, lang, limit)
            head = [t["col_period"], t["group"], t["col_old"], t["col_new"]]
            cells = [[r["period"], r["group"], r["old"], r["new"]] for r in rows]
        else:
            urows, total, more = _unit_rows(self, lang, limit)
            head = [t["unit"], *(t.get(g, g) for g in _grade_columns(self))]
            cells = [[r["unit"], *(c["text"] for c in r["cells"])] for r in (*urows, total)]
        for h in head:
            table.add_column(h)
        for row in cells:
            table.add_row(*(escape(str(c)) for c in row))
        if more:
            table.caption = t["more"].replace("{n}", str(more))
        return table

    def to_html(self, lang: str = "vi") -> str:
        """The HTML of the one-page PDF (autoescaped template ``impact.html.j2``)."""
        from evalkit.render import render_template

        return render_template("impact.html.j2", _context(self, _lang(lang)))

    def to_pdf(self, path: str | os.PathLike[str], lang: str = "vi") -> Path:
        """Render the report as a one-page A4 PDF (landscape) and write it atomically.

        The page holds the header, a before / after bar chart of the grade distribution
        (inline SVG), the distribution per unit, the quota groups closest to their cap and
        the first changes; the CSV has every row. Rendering uses evalkit's bundled fonts
        and its safe URL fetcher, and is byte-identical for identical input.
        """
        from evalkit.render import html_to_pdf

        data = html_to_pdf(self.to_html(lang))
        target = Path(path)
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
        return target


#: The tables written beside the changes by ``--csv OUT.csv``, as ``OUT.<table>.csv``.
_BESIDE: tuple[Literal["distribution", "quota", "rules"], ...] = ("distribution", "quota",
                                                                  "rules")


def output_paths(csv: str | os.PathLike[str] | None = None,
                 pdf: str | os.PathLike[str] | None = None) -> list[Path]:
    """The files :meth:`ImpactReport.write` writes for ``csv`` and ``pdf``, in its order.

    >>> [str(p) for p in output_paths("diff.csv", "diff.pdf")]
    ['diff.csv', 'diff.distribution.csv', 'diff.quota.csv', 'diff.rules.csv', 'diff.pdf']
    """
    base = [] if csv is None else [Path(csv), *(Path(csv).with_suffix(f".{t}.csv")
                                                for t in _BESIDE)]  # fmt: skip
    return [*base, *([] if pdf is None else [Path(pdf)])]


def _rule_value(v: Any, lang: str) -> str:
    """A rule's value in a table cell: a number as the run's language writes it, a date
    too (``01/01/2027`` in Vietnamese), yes / no and a staff category in words, a list as
    its items, a missing one as ``—``."""
    if isinstance(v, list):
        return ", ".join(_rule_value(x, lang) for x in v)
    if isinstance(v, bool):
        return _labels(lang)["yes" if v else "no"]
    if isinstance(v, (int, float)):
        return _fmt(v, lang)
    if isinstance(v, str) and lang == "vi" and _ISO_DAY.match(v):
        return _dt.date.fromisoformat(v).strftime("%d/%m/%Y")
    if isinstance(v, str) and v in {c.value for c in StaffCategory}:
        cat = StaffCategory(v)
        return cat.label_en if lang == "en" else cat.label_vi
    return "—" if v is None else str(v)


def _rule_cell(item: str, v: Any, sets: Sequence[RuleSet], lang: str) -> str:
    """A rule's value as the page shows it (:func:`_rule_value`); a jurisdiction in words:
    ``vn`` nationwide ("Toàn quốc"), another the place where the set of ``sets`` (NEW,
    OLD) that has it applies ("Nơi áp dụng bộ sau": the page's header names the set)."""
    if item != "jurisdiction" or not isinstance(v, str):
        return _rule_value(v, lang)
    if v == "vn":
        return text("impact.jurisdiction.national", lang)
    side = next((s for s, rs in zip(("NEW", "OLD"), sets, strict=True) if rs.jurisdiction == v),
                None)  # fmt: skip
    return "—" if side is None else text("impact.jurisdiction.of_set", lang,
                                         set=_side(side).text(lang))  # fmt: skip


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: An item of :func:`~evalkit.rules.rule_changes`: its table, the id of the rule in an
#: array (``bands[HTXS]``) and the rest of its path.
_ITEM = re.compile(r"^(?P<table>[a-z_]+)(?:\[(?P<key>[^\]]+)\])?(?:\.(?P<rest>.+))?$")


def _rule_label(item: str, sets: Sequence[RuleSet], lang: str) -> str:
    """An item of :func:`~evalkit.rules.rule_changes` named in words (the catalogue's
    ``impact.rule.*``): ``bands[HTXS].min`` is "Loại HTXS: điểm từ"; a rule of an array by
    the label ``sets`` give it (a cap's, a criterion's: the innermost labelled) or by its
    grade; an item the catalogue does not name by its table's name. Never a key path."""
    m = _ITEM.match(item)
    if m is None:
        return text("impact.rule.other", lang)
    table, keys = m["table"], re.findall(r"\[([^\]]+)\]", item)
    rest = re.sub(r"\[[^\]]*\]", "", m["rest"] or "")
    labelled: list[Any] = [x for rs in sets for x in (*rs.caps, *rs.notices, *rs.groups,
                                                      *rs.criteria())]  # fmt: skip
    labels = {x.id: x.label_en if lang == "en" else x.label_vi for x in labelled}
    rule = next((labels[k] for k in reversed(keys) if labels.get(k)), keys[0] if keys else "")
    for k in (f"impact.rule.{table}.{rest}", f"impact.rule.{table}"):
        if k in CATALOGUE:
            return text(k, lang, rule=rule)
    return text("impact.rule.other", lang)


def _named(item: str) -> bool:
    """Whether the catalogue names ``item`` itself (``impact.rule.quota.percent``), not
    only its table."""
    m = _ITEM.match(item)
    rest = re.sub(r"\[[^\]]*\]", "", (m["rest"] or "") if m else "")
    return m is not None and (f"impact.rule.{m['table']}.{rest}" if rest
                              else f"impact.rule.{m['table']}") in CATALOGUE  # fmt: skip


def _in_words(v: Any) -> bool:
    """Whether a rule's value reads as words on a page (a number, a date, yes / no, a staff
    category, none), not as an id of the rule file."""
    if isinstance(v, list):
        return all(_in_words(x) for x in v)
    return (v is None or isinstance(v, (bool, int, float))
            or (isinstance(v, str) and (bool(_ISO_DAY.match(v))
                                        or v in {c.value for c in StaffCategory})))  # fmt: skip


def _rules_rows(report: ImpactReport, lang: str, limit: int | None
                ) -> tuple[list[dict[str, str]], int]:  # fmt: skip
    """The rules changed, for the page: each item the catalogue names, its value before
    and after, its citation; the others (a criterion's fields, a value that is an id of the
    rule file) are left to the CSV, and counted with the rows left off."""
    every: list[dict[str, Any]] = report.rules.to_dict(orient="records")  # type: ignore[assignment]
    readable = [x for x in every if _named(x["item"]) and (
        (_in_words(x["old"]) and _in_words(x["new"])) or x["item"] == "jurisdiction")]
    shown = readable if limit is None else readable[:limit]
    sets = (report.new, report.old)
    rows = [{"item": _rule_label(x["item"], sets, lang),
             "old": _rule_cell(x["item"], x["old"], sets, lang),
             "new": _rule_cell(x["item"], x["new"], sets, lang), "source": x["source"] or "—"}
            for x in shown]  # display only: at most ``limit`` rows
    return rows, len(every) - len(shown)


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


def _lang(lang: str) -> str:
    if lang not in ("vi", "en"):
        raise RenderError(f"language {lang!r} is not supported; expected 'vi' or 'en'")
    return lang


def _labels(lang: str) -> dict[str, str]:
    side = 1 if _lang(lang) == "en" else 0
    return {k[len(_LABEL_PREFIX):]: v[side] for k, v in CATALOGUE.items()
            if k.startswith(_LABEL_PREFIX)}  # fmt: skip


# =========================================================================== comparing


def _resolve(rules: RuleSet | str) -> RuleSet:
    from evalkit import rules as _rules

    if isinstance(rules, RuleSet):
        return rules
    text = str(rules)
    if text.endswith(".toml") and Path(text).is_file():
        return _rules.load(text)
    return _rules.get(text)


def _has(frame: pd.DataFrame, column: str) -> bool:
    return column in frame.columns and bool(frame[column].notna().any())


def _needed(rs: RuleSet, frame: pd.DataFrame) -> list[str]:
    """Criteria ``rs`` requires of at least one row of ``frame`` (managers, KPI rows).

    A leader's management component that ``rs`` computes from the staff under them
    (``management.computed``) is never required: left blank, the engine computes it."""
    management = getattr(rs, "management", None)
    computed = getattr(management, "computed", None)
    # read as every door reads them ("không" is no, "90,5" a KPI); a bad cell is the
    # engine's problem to report, with its row
    manages = _columns.booleans(frame, "manages_others", _columns.Problems(frame))
    kpi = ~np.isnan(_columns.numbers(frame, "kpi", _columns.Problems(frame)))
    kpi_inputs = {c for b in rs.blocks if b.kind == "percent_average" and b.params.get("kpi")
                  for c in b.inputs(None)}  # fmt: skip
    out: list[str] = []
    for mgr in (False, True):
        rows = manages == mgr
        if not rows.any():
            continue
        for cid in rs.required_inputs(mgr):
            need = rows & ~kpi if cid in kpi_inputs else rows
            if cid == computed:
                continue
            if need.any() and cid not in out:
                out.append(cid)
    return out


def _block_share(
    frame: pd.DataFrame, block_id: str, sets: Sequence[RuleSet]
) -> tuple[pd.Series, RuleSet] | None:
    """Row by row, the share of its maximum the data score in block ``block_id`` of the
    first set whose block sums criteria the data all have, and that set: the other set of
    the comparison first, then the registered presets by effective date; None if none."""
    from evalkit.rules import available

    registered = sorted(available(), key=lambda r: (r.effective_from, r.id))
    for rs in (*sets, *registered):
        block = next((b for b in rs.blocks if b.id == block_id), None)
        if block is None or block.kind != "criteria_sum":
            continue
        ids = [c.id for c in rs.group(block.params["group"]).criteria]
        if not ids or not all(_has(frame, c) for c in ids):
            continue
        top = sum(rs.maximum(c) for c in ids)
        if top <= 0:
            continue
        scores = np.column_stack([_columns.numbers(frame, c, _columns.Problems(frame))
                                  for c in ids])  # "4,5" is 4.5, as the engine reads it
        return pd.Series(scores.sum(axis=1) / top, index=frame.index), rs
    return None


def _source(
    frame: pd.DataFrame, src: str, others: Sequence[RuleSet]
) -> tuple[pd.Series, RuleSet | None] | None:
    """The values a fill source gives (a share for ``block:<id>``, with the set whose block
    it is), or None if unavailable."""
    if src.startswith(BLOCK_FILL):
        return _block_share(frame, src[len(BLOCK_FILL):], others)
    return (frame[src], None) if _has(frame, src) else None


def _registered() -> list[RuleSet]:
    """The registered rule sets (their criteria are the names a fill map may use)."""
    from evalkit.rules import default_registry

    return list(default_registry())


def _set_words(rs: RuleSet) -> Words:
    """A rule set in a note: its short citation in Vietnamese (a legal document names the
    text, not evalkit's id), its id in English."""
    return Words(rs.source_short or rs.source or rs.title_vi, rs.id)


def _side(label: str) -> Msg:
    """OLD or NEW in a note: ``bộ trước`` / ``bộ sau`` in Vietnamese."""
    return msg("impact.note.old" if label == "OLD" else "impact.note.new")


def _criteria_words(ids: Sequence[str], sets: Sequence[tuple[str, RuleSet]],
                    quoted: bool = False) -> Words:  # fmt: skip
    """Criteria in a note: in English their ids (``quoted``: as Python writes them); in
    Vietnamese a whole group of ``sets`` by the group's label, any other by its label in
    the sets compared or the registered ones (a column no set knows: as the data name it)."""
    rest, said = list(ids), []
    for _, rs in sets:
        for g in rs.groups:
            mine = [c.id for c in g.criteria]
            if len(mine) > 1 and set(mine) <= set(rest):
                said.append(text("impact.note.group", "vi", group=g.label_vi))
                rest = [c for c in rest if c not in mine]
    labels: dict[str, str] = {}
    for rs in (*(r for _, r in sets), *_registered()):
        for c in rs.criteria():
            labels.setdefault(c.id, c.label_vi)
    said += [f"“{labels[c]}”" if c in labels else repr(c) for c in rest]
    return Words("; ".join(said), ", ".join(repr(c) if quoted else c for c in ids))


def _prepare(
    frame: pd.DataFrame, sets: Sequence[tuple[str, RuleSet]], fill: Mapping[str, str]
) -> tuple[pd.DataFrame, list[Msg]]:
    """The frame with filled criteria, and the notes; raises naming any missing criterion."""
    out = frame.copy()
    notes: list[Msg] = []
    # a fill map may serve other sets (the demo's is the crosswalk): a name nothing knows
    criteria = sorted({*CRITERION_EQUIVALENTS, *(c.id for rs in [*(rs for _, rs in sets),
                                                                *_registered()]
                                                 for c in rs.criteria())})  # fmt: skip
    problems = [InputProblem(f"fill names criterion {cid!r}, which no rule set has"
                             f"{did_you_mean(cid, criteria)}", column=cid, value=src)
                for cid, src in fill.items() if cid not in criteria]  # fmt: skip
    for label, rs in sets:
        others = [r for _, r in sets if r is not rs]
        block_fills: dict[tuple[str, str], list[str]] = {}
        of_set: dict[str, RuleSet] = {}
        for cid in _needed(rs, out):
            if _has(out, cid):
                continue
            src = fill.get(cid)
            found = _source(frame, src, others) if src is not None else None
            if src is not None and found is not None:
                values, of = found
                if of is not None:
                    out[cid] = (values * rs.maximum(cid)).round(4)
                    block_fills.setdefault((src, of.id), []).append(cid)
                    of_set[of.id] = of
                    continue
                out[cid] = values
                notes.append(msg("impact.note.filled", rules=_set_words(rs), label=_side(label),
                                 cid=_criteria_words([cid], sets, quoted=True),
                                 src=_criteria_words([src], sets, quoted=True)))  # fmt: skip
                continue
            hint = "" if src is None else f"; its fill source {src!r} is not in the data"
            alt = CRITERION_EQUIVALENTS.get(cid)
            if src is None and alt is not None and _source(frame, alt, others) is not None:
                hint = (
                    f"; to take it from {alt!r}, pass fill={{{cid!r}: {alt!r}}} "
                    f"(command line: --fill {cid}={alt})"
                )
            problems.append(InputProblem(
                f"rule set {rs.id!r} ({label}) needs criterion {cid!r} "
                f"({rs.criterion(cid).label_vi}), which the data do not have{hint}",
                column=cid,
            ))  # fmt: skip
        for (src, of_id), ids in block_fills.items():
            bid, of = src[len(BLOCK_FILL):], of_set[of_id]
            block = next(b for b in of.blocks if b.id == bid)
            notes.append(msg("impact.note.block_filled", rules=_set_words(rs),
                             label=_side(label), ids=_criteria_words(ids, sets),
                             block=Words(f"“{of.group(block.params['group']).label_vi}”",
                                         repr(bid)), of=_set_words(of)))  # fmt: skip
    if problems:
        raise InputError(problems)
    (_, old), (_, new) = sets
    new_ids = {c.id for c in new.criteria()}
    old_ids = {c.id for c in old.criteria()}
    filled = set(out.columns) - set(frame.columns)
    ignored = [c for c in old_ids - new_ids - filled if _has(out, c)]
    both = [("OLD", old), ("NEW", new)]
    if ignored:
        notes.append(msg("impact.note.ignores", rules=_set_words(new), label=_side("NEW"),
                         ids=_criteria_words(sorted(ignored), both), other=_set_words(old),
                         other_label=_side("OLD")))  # fmt: skip
    dropped = [c for c in new_ids - old_ids - filled if _has(out, c)]
    if dropped:
        notes.append(msg("impact.note.ignores", rules=_set_words(old), label=_side("OLD"),
                         ids=_criteria_words(sorted(dropped), both), other=_set_words(new),
                         other_label=_side("NEW")))  # fmt: skip
    # a criterion of a third set scored in the data (NĐ 335's nhiem_vu_kho_khan on
    # NĐ 90 → NĐ 233, whose general groups lack it) counts under neither: said, not dropped
    # without a word
    neither = set(foreign_columns(out.columns, old, (new,))) & set(
        foreign_columns(out.columns, new, (old,)))  # fmt: skip
    unread = sorted({b for c in neither - filled if (b := criterion_of(c)) is not None
                     and foreign_said(out[c], b).any()})  # a count's 0 says nothing
    if unread:
        notes.append(msg("impact.note.neither", rules=_set_words(old), label=_side("OLD"),
                         other=_set_words(new), other_label=_side("NEW"),
                         ids=_criteria_words(unread, both)))  # fmt: skip
    return out, notes


def _units_of(frame: pd.DataFrame) -> pd.DataFrame:
    """A units frame from the staff-months alone: each unit, its head where ``is_head``."""
    uid = frame["unit_id"].astype(str)
    units = pd.DataFrame({"unit_id": pd.unique(uid)})
    if "is_head" in frame.columns:
        heads = frame.loc[_columns.booleans(frame, "is_head", _columns.Problems(frame)),
                          ["unit_id", "staff_id"]].astype(str)  # fmt: skip
        heads = heads.drop_duplicates("unit_id")
        units = units.merge(heads.rename(columns={"staff_id": "head_id"}), on="unit_id",
                            how="left")  # fmt: skip
    else:
        units["head_id"] = None
    units["parent_id"] = None
    units["head_id"] = units["head_id"].astype(object).where(units["head_id"].notna(), None)
    return units


def _classify(
    frame: pd.DataFrame, units: pd.DataFrame | None, rs: RuleSet, force: bool, label: str,
    year: bool = False, other: RuleSet | None = None, known_staff: Sequence[Any] = (),
) -> pd.DataFrame:
    """``rs``'s results on ``frame``: the periods' (classify_frame, with ``known_staff``),
    or with ``year`` the year's classification (classify_year over those periods: Điều 21
    of NĐ 335). The columns of ``other`` (the set compared with, registered or not) are
    left out too."""
    from evalkit.scoring import foreign_columns, score_frame
    from evalkit.units import classify_frame, classify_year

    # the other set's criteria: scored under ``rs`` they would be refused; a what-if reads
    # the data under each set, its own columns only (the notes say what each ignores)
    frame = frame.drop(columns=foreign_columns(frame.columns, rs, () if other is None
                                               else (other,)))  # fmt: skip
    try:
        if "unit_id" not in frame.columns:
            return score_frame(frame, rs, force=force)
        u = units if units is not None else _units_of(frame)
        staff, unit_results = classify_frame(frame, u, rs, force=force, known_staff=known_staff)
        if not year:
            return staff
        if "full_name" in frame.columns:
            staff = staff.assign(full_name=frame["full_name"].to_numpy())
        flags = [c for c in ("discipline", "degradation", "corruption_in_unit", "leave",
                             "party_discipline", "discipline_related_to_duty")
                 if c in frame.columns]  # fmt: skip
        for c in flags:
            staff[c] = frame[c].to_numpy()
        return classify_year(staff, unit_results, rs, force=force)
    except InputError as exc:
        raise InputError([attrs.evolve(p, message=f"{p.message} [{rs.id}, {label}]")
                          for p in exc.problems]) from None  # fmt: skip


def _unit_names(units: pd.DataFrame | None) -> dict[str, str]:
    """Each unit's name in a units frame (``name``, else ``unit_name``; the last period's
    where it changes), for the page; {} without one."""
    col = next((c for c in ("name", "unit_name") if units is not None and c in units.columns),
               None)  # fmt: skip
    if units is None or col is None:
        return {}
    named = units[["unit_id", col]].dropna()
    named = named[named[col].astype(str).str.strip() != ""]
    return dict(zip(named["unit_id"].astype(str), named[col].astype(str).str.strip(),
                    strict=True))  # fmt: skip


def _annual(rs_old: RuleSet, rs_new: RuleSet, level: str) -> bool:
    """Whether to compare the years: asked for, or (auto) a set classifies only the year."""
    if level == "year":
        return True
    if level == "period":
        return False
    return not (rs_old.classifies(rs_old.period) and rs_new.classifies(rs_new.period))


def _grades(results: pd.DataFrame) -> pd.Series:
    g = results["grade"].astype(object)
    return g.where(g.notna(), None)


def _text_col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    col = frame[name].astype(object)
    return col.where(col.notna(), "").astype(str)


def _changes(frame: pd.DataFrame, old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    from evalkit.scoring import GRADE_DTYPE

    ocode = old["grade"].astype(GRADE_DTYPE).cat.codes.to_numpy()  # -1: not evaluated
    ncode = new["grade"].astype(GRADE_DTYPE).cat.codes.to_numpy()
    changed = ocode != ncode
    out = pd.DataFrame({
        "staff_id": _text_col(frame, "staff_id"),
        "full_name": _text_col(frame, "full_name"),
        "unit_id": _text_col(frame, "unit_id"),
        "period": frame["period"].astype(str) if "period" in frame.columns else "",
        "old_total": old["total"].astype(float).round(4),
        "old_grade": _grades(old),
        "new_total": new["total"].astype(float).round(4),
        "new_grade": _grades(new),
    }, index=frame.index)  # fmt: skip
    out["delta"] = (out["new_total"] - out["old_total"]).round(4)
    out["direction"] = np.where(ncode > ocode, "up", "down")
    out["new_reasons"] = new["reasons"].astype(str).to_numpy()
    out = out[changed]
    result: pd.DataFrame = out.sort_values(["period", "unit_id", "staff_id"], kind="stable")
    return result.reset_index(drop=True)


def _distribution(frame: pd.DataFrame, old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    unit = _text_col(frame, "unit_id")
    full = pd.MultiIndex.from_product(
        [sorted(pd.unique(unit)), [*_GRADES, *_UNGRADED]], names=["unit_id", "grade"]
    )

    def counts(results: pd.DataFrame) -> pd.Series:
        told = not_classified_rows(results, "grade")  # as the signed documents count them
        g = results["grade"].astype(object).where(results["grade"].notna(), _NOT_EVALUATED)
        g = g.where(~told, _NOT_CLASSIFIED)
        key = pd.DataFrame({"unit_id": unit.to_numpy(), "grade": g.astype(str).to_numpy()})
        return key.groupby(["unit_id", "grade"]).size().reindex(full, fill_value=0)

    out = pd.DataFrame({"old": counts(old), "new": counts(new)}).reset_index()
    out["change"] = out["new"] - out["old"]
    return out[list(DISTRIBUTION_COLUMNS)].astype({"old": int, "new": int, "change": int})


def _quota(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    from evalkit.units import quota_report

    keys = ["period", "unit_id", "duty_group"]

    def side(results: pd.DataFrame, prefix: str) -> pd.DataFrame:
        if "quota_group" not in results.columns:
            return pd.DataFrame(
                columns=[
                    *keys,
                    *(f"{prefix}_{c}" for c in ("cap", "candidates", "used", "headroom")),
                ]
            )
        q = quota_report(results)
        if "duty_group" not in q.columns:
            q["duty_group"] = ""
        q = q.assign(
            unit_id=q["unit_id"].astype(object).where(q["unit_id"].notna(), ""),
            duty_group=q["duty_group"].astype(object).where(q["duty_group"].notna(), ""),
        )
        return pd.DataFrame({
            "period": q["period"].astype(str), "unit_id": q["unit_id"].astype(str),
            "duty_group": q["duty_group"].astype(str),
            f"{prefix}_cap": q["cap"], f"{prefix}_candidates": q["candidates"],
            f"{prefix}_used": q["kept"], f"{prefix}_headroom": q["cap"] - q["candidates"],
        })  # fmt: skip

    both = side(old, "old").merge(side(new, "new"), on=keys, how="outer")
    both = both.sort_values(keys, kind="stable").reset_index(drop=True)
    for c in both.columns[3:]:
        both[c] = pd.to_numeric(both[c], errors="coerce").astype("Int64")
    return both[list(QUOTA_COLUMNS)]


def compare_rule_sets(
    old: RuleSet | str,
    new: RuleSet | str,
    staff_months: pd.DataFrame,
    units: pd.DataFrame | None = None,
    *,
    force: bool = True,
    fill: Mapping[str, str] | None = None,
    level: Literal["auto", "period", "year"] = "auto",
    known_staff: Iterable[Any] = (),
) -> ImpactReport:
    """Classify ``staff_months`` under ``old`` and under ``new``; report who changes.

    ``level`` says what is compared: each period's result (``period``), the year's
    classification (``year``: the periods rolled up, then the year's caps and quota), or
    (``auto``) the year whenever a set classifies only the year — the legal
    classification under NĐ 335/2025 Điều 21. The year needs ``unit_id`` and ``period``
    columns (units come first): without them ``auto`` compares the periods and ``year``
    raises :class:`~evalkit.errors.InputError`.

    ``old`` and ``new`` are rule sets, registered ids or paths of TOML files.
    ``staff_months`` is the input of :func:`evalkit.units.classify_frame` (with
    ``unit_id``: units are classified first, heads capped, quotas applied; ``units``
    defaults to the units named in the data, with heads from ``is_head``) or, without
    ``unit_id``, of :func:`evalkit.score_frame` (bands and disqualifiers only, no quota).
    ``full_name``, when present, is carried into the changes. ``known_staff`` is
    :func:`evalkit.units.classify_frame`'s, read by both sets: the ids of people who exist
    without a row in ``staff_months`` (an organisation's members), so a ``head_id`` or
    ``manager_id`` naming one of them is absent, not unknown; ``units.attrs["known_staff"]``
    is read too (the demo's units, those of :func:`evalkit.units.frames_from_objects`, an
    archive's from :func:`load_data`: the heads and managers its finalized months name).

    Both sets score every row whatever its ``category`` and, with ``force=True`` (the
    default), whatever its period. Each set must find the criteria it requires in the
    data: a missing one raises :class:`~evalkit.errors.InputError` naming the criterion
    and the rule set, unless ``fill`` maps it to a column to take it from (see
    :data:`CRITERION_EQUIVALENTS`).

    >>> import attrs, pandas as pd, evalkit.rules
    >>> nd335 = evalkit.rules.get("vn.nd335-2025")
    >>> monthly = attrs.evolve(nd335, id="agency.monthly", classified=("month", "year"))
    >>> rows = [{"staff_id": f"S{i}", "unit_id": "U", "period": "2026-03",
    ...          **nd335.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"),
    ...                                                100 if i < 2 else 80)} for i in range(7)]
    >>> r = compare_rule_sets(nd335, monthly, pd.DataFrame(rows), level="period")
    >>> r.changes[["staff_id", "old_grade", "new_grade", "direction"]].values.tolist()
    [['S1', 'HTXS', 'HTT', 'down']]
    """
    if level not in ("auto", "period", "year"):
        raise ModelError(f"level must be 'auto', 'period' or 'year', not {level!r}")
    missing = [c for c in ("unit_id", "period") if c not in staff_months.columns]
    if level == "year" and missing:  # the year is classified unit by unit (audit af25)
        raise InputError([InputProblem(
            "comparing the years (level='year') needs the columns unit_id and period: units "
            "are classified before individuals; add them, or compare each period "
            "(level='period')", column=missing[0])])  # fmt: skip
    rs_old, rs_new = _resolve(old), _resolve(new)
    frame, notes = _prepare(staff_months, (("OLD", rs_old), ("NEW", rs_new)), fill or {})
    # a plain column a criterion was filled from has served: neither set scores it
    served = {c.id for rs in (rs_old, rs_new) for c in rs.criteria()} | set(FRAME_COLUMNS)
    frame = frame.drop(columns=[s for s in (fill or {}).values()
                                if s in frame.columns and s not in served])  # fmt: skip
    if "category" in frame.columns:
        frame = frame.drop(columns=["category"])
    annual = "unit_id" in frame.columns and "period" in frame.columns and _annual(
        rs_old, rs_new, level)
    known = tuple(known_staff)  # (read by both sets)
    res_old = _classify(frame, units, rs_old, force, "OLD", annual, rs_new, known)
    res_new = _classify(frame, units, rs_new, force, "NEW", annual, rs_old, known)
    if annual:
        keys = ["staff_id", "period"]
        res_new = res_old[keys].astype(str).merge(
            res_new.assign(**{k: res_new[k].astype(str) for k in keys}), on=keys, how="left")
        frame = res_old.assign(period=res_old["period"].astype(str))
        cited = "; ".join(dict.fromkeys(r.classified_source for r in (rs_old, rs_new)
                                        if r.classified_source))  # fmt: skip
        notes = [*notes, msg("impact.note.year_cited", cited=cited) if cited
                 else msg("impact.note.year")]
    periods: tuple[str, ...] = ()
    if "period" in frame.columns and len(frame):
        periods = tuple(sorted({str(Period.parse(p)) for p in pd.unique(frame["period"])}))
    return ImpactReport(
        rs_old, rs_new,
        changes=_changes(frame, res_old, res_new),
        distribution=_distribution(frame, res_old, res_new),
        quota=_quota(res_old, res_new),
        population=len(frame), periods=periods, forced=force, notes=tuple(notes),
        annual=annual,
        rules=pd.DataFrame(rule_changes(rs_old, rs_new), columns=list(RULE_COLUMNS),
                           dtype=object),
        unit_names=_unit_names(units),
    )  # fmt: skip


# =========================================================================== data


@attrs.frozen(slots=True, eq=False)
class ImpactData:
    """What :func:`load_data` read: the staff-months, the units (or None) and what it assumed.

    ``fill`` is the criterion fill the source calls for (the demo's
    :data:`CRITERION_EQUIVALENTS`); ``notes`` describe the source.
    """

    staff_months: pd.DataFrame
    units: pd.DataFrame | None = None
    fill: Mapping[str, str] = attrs.field(factory=dict)
    notes: tuple[str, ...] = ()


def demo_data() -> ImpactData:
    """The bundled demo agency's công chức, every month worked, as comparison input.

    The demo staff are công chức scored under NĐ 335/2025; a comparison scores them under
    both sets whatever their category, and fills NĐ 90/2020's manager criteria from their
    NĐ 335 equivalents (:data:`CRITERION_EQUIVALENTS`).
    """
    from evalkit.demo import load_demo

    data = load_demo()
    frame = data.frame()
    # the demo's công chức and the months they worked (the demo also has viên chức and leave)
    frame = frame[(frame["category"] == "cong_chuc") & frame["leave"].isna()]
    frame = frame.dropna(axis=1, how="all").reset_index(drop=True)
    names = {s.id: s.full_name for s in data.organisation.staff}
    frame.insert(1, "full_name", frame["staff_id"].map(names))
    units = data.units_frame()
    units["name"] = units["unit_id"].map({u.id: u.name for u in data.organisation.units})
    return ImpactData(frame, units, dict(CRITERION_EQUIVALENTS),
                      ("demo: công chức of the bundled demo agency, scored under both sets "
                       "regardless of category",))  # fmt: skip


def _workbook(path: Path, rules: RuleSet | str | None, period: str | None,
              jurisdiction: str | None = None) -> ImpactData:  # fmt: skip
    from evalkit.io.workbook import read_month

    month = read_month(path, rules, period=period, jurisdiction=jurisdiction)
    if month.problems:
        raise InputError(month.problems)
    units = None if month.units.empty else month.units
    return ImpactData(month.staff, units, {}, (f"workbook {path.name}",))


def _archive(path: Path) -> ImpactData:
    from evalkit.io.archive import Archive, named_people

    if not path.is_file():
        raise InputError([InputProblem("the archive does not exist", file=str(path))])
    with Archive(path) as arc:
        months = [m.period for m in arc.months()]
        if not months:
            raise InputError([InputProblem("the archive has no finalized month", file=str(path))])
        frame = pd.concat([arc.month(p).reset_index(drop=True) for p in months],
                          ignore_index=True)  # fmt: skip
    result_cols = {"rule_set", "total", "score_grade", "proposed_grade", "grade", "unit_grade",
                   "reasons", "effective_manager_id", "quota_group", "quota_base",
                   "quota_percent", "quota_cap", "quota_candidates", "quota_rank",
                   "quota_groups", "amendments"}  # fmt: skip
    frame = frame.drop(columns=[c for c in frame.columns
                                if c in result_cols or str(c).startswith("points_")])  # fmt: skip
    units = _archived_units(path) if "unit_id" in frame.columns else None
    if units is not None:  # a head or manager its months name without a row: absent, as
        # the archive re-derives them (checked when they were classified)
        units.attrs["known_staff"] = named_people(frame, units)
    return ImpactData(
        frame,
        units,
        {},
        (
            f"archive {path.name}: finalized months {', '.join(map(str, months))}; "
            "units carry their archived score (their task counts are not archived)",
        ),
    )


def _archived_units(path: Path) -> pd.DataFrame | None:
    """The archived unit results (unit, parent, head, score per period), read-only."""
    import json

    uri = f"{path.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        try:
            rows = db.execute("SELECT period, data FROM unit_results ORDER BY period, unit_id")
            docs = [{**json.loads(d), "period": p} for p, d in rows.fetchall()]
        except sqlite3.OperationalError:
            return None
    if not docs:
        return None
    units = pd.DataFrame.from_records(docs)
    keep = [c for c in ("unit_id", "period", "parent_id", "head_id", "score", "name")
            if c in units.columns]
    return units[keep]


def load_data(
    source: str | os.PathLike[str], rules: RuleSet | str | None = None,
    period: str | None = None, *, jurisdiction: str | None = None,
) -> ImpactData:  # fmt: skip
    """Read comparison input: ``"demo"``, a month's workbook or CSV, or an archive.

    An archive (``.sqlite``, ``.sqlite3``, ``.db``) gives every finalized month with the
    inputs archived alongside the results; a workbook is read with
    :func:`evalkit.io.workbook.read_month`, with ``rules`` and a month ``period`` as it
    takes them (the set the data were typed under: a CSV names none, an agency's workbook
    names a rule file's set), and its problems raise :class:`~evalkit.errors.InputError`;
    a CSV naming no set is read under the one in force for its people in
    ``jurisdiction`` (``'vn.hanoi'``; default the national sets).
    ``period`` (a month ``2026-08``, a quarter ``2026-Q3`` or a year ``2026``) keeps the
    data's periods within it, whatever the source: a quarter's or a year's months (and a
    quarter scored as one, customs from Q3/2026), as the year's classification reads them
    (a workbook of a quarter or a year is read as its own period says, then kept if it
    lies within); none within it is an :class:`~evalkit.errors.InputError` naming the
    periods the data hold.
    """
    per = None if period is None else Period.parse(period)
    if str(source) == "demo":
        return _within(demo_data(), per, "demo")
    path = Path(source)
    if path.suffix.lower() in _ARCHIVE_SUFFIXES:
        return _within(_archive(path), per, str(path))
    if not path.is_file():
        raise InputError([problem(msg("problem.data_missing"), file=str(path))])
    month = per is not None and per.kind == "month"  # a workbook of another month: refused
    return _within(_workbook(path, rules, period if month else None, jurisdiction), per,
                   str(path))  # fmt: skip


def _within(data: ImpactData, period: Period | None, source: str) -> ImpactData:
    """``data`` with only the staff and unit rows whose period lies within ``period``
    (None: all); none of the staff's: an :class:`~evalkit.errors.InputError` naming the
    periods the data hold."""
    frame = data.staff_months
    if period is None or "period" not in frame.columns:
        return data

    def inside(col: pd.Series) -> npt.NDArray[np.bool_]:
        texts, codes = np.unique(col.astype(str).to_numpy(), return_inverse=True)
        ok = [p.start >= period.start and p.end <= period.end
              for p in map(Period.parse, texts)]  # (each period read as the data give it)
        return np.array(ok, dtype=bool)[codes]

    keep = inside(frame["period"])
    if not keep.any():
        held = sorted({str(Period.parse(p)) for p in pd.unique(frame["period"].astype(str))})
        raise InputError([problem(msg("problem.data_outside_period", period=str(period),
                                      found=", ".join(held) or "—"),
                                  file=source, column="period", value=str(period))])
    units = data.units
    if units is not None and "period" in units.columns:
        units = units[inside(units["period"])].reset_index(drop=True)
    return attrs.evolve(data, staff_months=frame[keep].reset_index(drop=True), units=units)


# =========================================================================== the PDF


def _fmt(value: Any, lang: str) -> str:
    from evalkit.render import fmt_number

    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return fmt_number(float(value), lang)


def _signed(value: Any, lang: str) -> str:
    text = _fmt(value, lang)
    return f"+{text}" if text and float(value) > 0 else text


def _grade_totals(dist: pd.DataFrame) -> dict[str, dict[str, int]]:
    """``{grade: {"old": n, "new": n}}`` summed over the units."""
    d = dist.groupby("grade", sort=False)[["old", "new"]].sum()
    old, new = d["old"].to_numpy(), d["new"].to_numpy()
    return {str(g): {"old": int(old[i]), "new": int(new[i])} for i, g in enumerate(d.index)}


def _chart(report: ImpactReport, t: Mapping[str, str]) -> dict[str, Any]:
    """Geometry of the grouped bar chart (SVG user units): one group per grade."""
    d = _grade_totals(report.distribution)
    grades = [g for g in (*_GRADES, *_UNGRADED)
              if g in d and (g not in _UNGRADED or sum(d[g].values()) > 0)]  # fmt: skip
    width, height, left, bottom, top = 400.0, 190.0, 34.0, 22.0, 14.0
    plot_h = height - bottom - top
    peak = max([d[g][c] for g in grades for c in ("old", "new")] + [1])
    step = max(1, int(np.ceil(peak / 4)))
    ymax = step * 4
    slot = (width - left - 6) / max(len(grades), 1)
    bar = min(slot * 0.34, 40.0)
    groups, ticks = [], []
    for i, g in enumerate(grades):
        x0 = left + slot * i + slot / 2
        bars = []
        for j, col in enumerate(("old", "new")):
            v = d[g][col]
            h = plot_h * v / ymax
            x = x0 - bar - 1 + j * (bar + 2)
            bars.append(
                {
                    "x": round(x, 2),
                    "y": round(top + plot_h - h, 2),
                    "w": round(bar, 2),
                    "h": round(h, 2),
                    "value": v,
                    "kind": col,
                    "tx": round(x + bar / 2, 2),
                    "ty": round(top + plot_h - h - 2.5, 2),
                }
            )
        label = t.get(g, g)
        groups.append({"label": label, "x": round(x0, 2), "bars": bars})
    for k in range(5):
        v = step * k
        ticks.append({"value": v, "y": round(top + plot_h - plot_h * v / ymax, 2)})
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - 6,
        "base": top + plot_h,
        "label_y": height - 8,
        "groups": groups,
        "ticks": ticks,
    }


def _set_title(rs: RuleSet, lang: str) -> str:
    """A set's title beside its name on the page; in Vietnamese without the citation it is
    named by (``… (NĐ 233/2026/NĐ-CP)``), said once."""
    if lang == "en":
        return rs.title_en
    cited = _set_words(rs).vi
    return rs.title_vi.removesuffix(f" ({cited})").removesuffix(cited).rstrip(" ,;")


def _unit(report: ImpactReport, unit_id: str) -> str:
    """A unit as the page and the tables show it: its name where the data give one."""
    return report.unit_names.get(unit_id, unit_id)


def _grade_columns(report: ImpactReport) -> list[str]:
    dist = report.distribution
    return [*_GRADES, *(g for g in _UNGRADED
                        if bool((dist.loc[dist["grade"] == g, ["old", "new"]].to_numpy() > 0)
                                .any()))]  # fmt: skip


def _unit_rows(
    report: ImpactReport, lang: str, limit: int | None
) -> tuple[list[dict[str, Any]], dict[str, Any], int]:
    """Distribution rows (unit, one ``old → new`` cell per grade), the total row, rows left off."""
    t = _labels(lang)
    dist = report.distribution
    grades = _grade_columns(report)
    wide = dist.pivot_table(index="unit_id", columns="grade", values=["old", "new"],
                            aggfunc="sum", sort=True)  # fmt: skip

    def cell(o: int, n: int) -> dict[str, Any]:
        return {"text": f"{o}" if o == n else f"{o} → {n}", "changed": o != n}

    units = list(wide.index)
    shown = units if limit is None else units[:limit]
    rows = [{"unit": _unit(report, u) or "—",
             "cells": [cell(int(wide.loc[u, ("old", g)]),
                                             int(wide.loc[u, ("new", g)])) for g in grades]}
            for u in shown]  # fmt: skip
    totals = _grade_totals(dist)
    total = {
        "unit": t["total_row"],
        "cells": [cell(totals[g]["old"], totals[g]["new"]) for g in grades],
    }
    return rows, total, len(units) - len(shown)


def _duty_groups(quota: pd.DataFrame, lang: str) -> dict[tuple[str, str], str]:
    """Each (unit, duty group) of ``quota`` as the page names it: a group the data name in
    words (``Chuyên môn``: the unit's own name for it) as typed; one typed as a code
    (``chuyen_mon``, ``A``: ASCII without a space) as the unit's similar-duty group
    numbered in the order of the codes (``nhóm 2``, beside its unit; the CSV keeps
    the code)."""
    pairs = sorted({(str(u), str(g)) for u, g in zip(quota["unit_id"], quota["duty_group"],
                                                   strict=True) if g})  # fmt: skip
    out: dict[tuple[str, str], str] = {}
    n: dict[str, int] = {}
    for unit, group in pairs:
        if not group.isascii() or any(c.isspace() for c in group):
            out[(unit, group)] = group
            continue
        n[unit] = n.get(unit, 0) + 1
        out[(unit, group)] = text("impact.duty_group", lang, n=n[unit])
    return out


def _quota_rows(report: ImpactReport, lang: str, limit: int | None
                ) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
    """Quota groups closest to their cap first: ``cap / candidates (headroom)`` per side."""
    q = report.quota
    if not len(q):
        return [], 0
    duty = _duty_groups(q, lang)
    closest = q.assign(
        _room=q[["old_headroom", "new_headroom"]].min(axis=1).astype("Float64"),
        _cands=-q[["old_candidates", "new_candidates"]].max(axis=1).astype("Float64"),
    ).sort_values(["_room", "_cands", "period", "unit_id"], kind="stable")
    shown = closest if limit is None else closest.head(limit)
    rows = []
    for r in shown.to_dict(orient="records"):  # display only: at most ``limit`` rows
        dg = f" / {duty[(str(r['unit_id']), str(r['duty_group']))]}" if r["duty_group"] else ""
        group = _unit(report, r["unit_id"]) + dg

        def side(p: str, r: Mapping[Any, Any] = r) -> str:
            if r[f"{p}_cap"] is pd.NA:
                return "—"
            return f"{r[f'{p}_cap']} / {r[f'{p}_candidates']} ({int(r[f'{p}_headroom']):+d})"

        over = any(r[f"{p}_headroom"] is not pd.NA and int(r[f"{p}_headroom"]) < 0
                   for p in ("old", "new"))  # fmt: skip
        rows.append({"period": r["period"], "group": group or "—", "old": side("old"),
                     "new": side("new"), "over": over})  # fmt: skip
    return rows, len(q) - len(shown)


def _change_rows(
    report: ImpactReport, lang: str, limit: int | None
) -> tuple[list[dict[str, Any]], int]:
    """The first changes formatted for display (totals in the language's convention)."""
    t = _labels(lang)
    ch = report.changes
    shown = ch if limit is None else ch.head(limit)
    rows = [
        {"staff": r["staff_id"], "name": r["full_name"], "unit": _unit(report, r["unit_id"]),
         "period": r["period"], "old": f"{_fmt(r['old_total'], lang)} {r['old_grade'] or ''}",
         "new": f"{_fmt(r['new_total'], lang)} {r['new_grade'] or ''}",
         "delta": _signed(r["delta"], lang), "direction": t[r["direction"]]}
        for r in shown.to_dict(orient="records")  # display only: at most ``limit`` rows
    ]  # fmt: skip
    return rows, len(ch) - len(shown)


def _lines(row: Mapping[str, Any], widths: Mapping[str, int]) -> int:
    """The lines ``row`` takes on the page: its tallest cell's, each cell's text wrapped at
    ``widths[column]`` characters a line."""
    return max(1, *(-(-len(str(row[k])) // w) for k, w in widths.items()))


def _fitting(rows: list[dict[str, Any]], more: int, budget: int,
             widths: Mapping[str, int]) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
    """The first ``rows`` whose lines (:func:`_lines`) add up to ``budget`` at most (the
    first row always), and the rows left off: ``more`` and those dropped here."""
    used = 0
    for i, row in enumerate(rows):
        used += _lines(row, widths)
        if used > budget and i:
            return rows[:i], more + len(rows) - i
    return rows, more


def _context(report: ImpactReport, lang: str) -> dict[str, Any]:
    t = _labels(lang)
    grades = _grade_columns(report)
    # each table keeps the rows its lines fit in: one line a row, more for a long name
    unit_rows, total_row, units_more = _unit_rows(report, lang, _PDF_ROWS["units"])
    unit_rows, units_more = _fitting(unit_rows, units_more, _PDF_LINES["units"],
                                     {"unit": _UNIT_WIDTH})  # fmt: skip
    quota_rows, quota_more = _fitting(*_quota_rows(report, lang, _PDF_ROWS["quota"]),
                                      _PDF_LINES["quota"], {"group": _GROUP_WIDTH})
    change_rows, changes_more = _fitting(*_change_rows(report, lang, _PDF_ROWS["changes"]),
                                         _PDF_LINES["changes"], _CHANGE_WIDTHS)  # fmt: skip
    # the rules share the left column with the quota groups: fewer beside a long quota table
    # (each line of a unit's name counts as a row; a rule's row is about two lines)
    lines = sum(_lines(q, {"group": _GROUP_WIDTH}) for q in quota_rows)
    rule_rows, rules_more = _rules_rows(report, lang, _PDF_ROWS["rules"] - int(np.ceil(
        max(0, lines - 5) * 0.5)))  # fmt: skip
    ch = report.changes
    last = max((Period.parse(p).end for p in report.periods), default=_dt.date(2026, 1, 1))
    people = ch["staff_id"].nunique() if len(ch) else 0
    # a Vietnamese page names each set by its citation (a legal document), English by its id
    old_name, new_name = (_set_words(rs).text(lang) for rs in (report.old, report.new))
    return {
        "lang": lang,
        "t": t,
        "kind": "summary impact",
        "agency": {"name": "evalkit", "logo": None, "governing_body": ""},
        "doc_title": f"{t['title'].capitalize()}: {old_name} → {new_name}",
        "subject": f"{report.old.id} → {report.new.id}",
        "keywords": f"{report.old.id} → {report.new.id}",
        "docid": f"{old_name} → {new_name}",
        "created": last.isoformat(),
        "place_date": "",
        "title": t["title"],
        "old": {"id": old_name, "title": _set_title(report.old, lang)},
        "new": {"id": new_name, "title": _set_title(report.new, lang)},
        "data_line": f"{report.population} {t[report.counted]}; {t['periods']}: "
        f"{', '.join(report.periods) or '—'}",
        "summary_line": f"{report.up} {t['up']}, {report.down} {t['down']}, "
        f"{report.population - len(ch)} {t['same']} ({people} {t['people']})",
        "forced": report.forced,
        "notes": [n.text(lang) for n in report.notes],
        "chart": _chart(report, t),
        "grades": [t.get(g, g) for g in grades],
        "unit_rows": unit_rows,
        "units_more": units_more,
        "total_row": total_row,
        "quota_rows": quota_rows,
        "quota_more": quota_more,
        "change_rows": change_rows,
        "changes_more": changes_more,
        "rule_rows": rule_rows,
        "rules_more": rules_more,
    }
