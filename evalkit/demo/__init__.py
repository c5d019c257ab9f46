"""The bundled demo agency and :func:`run_demo`, the engine of ``make demo`` / ``evalkit demo``.

The demo is a fictional Sở Nội vụ (Department of Home Affairs) of "tỉnh Sông Lam" under its
provincial People's Committee: the department's leadership and three sub-units, 25 công chức,
and three months (2026-01 to 2026-03) of assessments at all three levels (self, direct
manager, competent level) scored under NĐ 335/2025/NĐ-CP. The data are static, readable files
shipped in the package and read through :mod:`importlib.resources`:

``agency.json``
    the agency, its units, positions and staff (ids, names, managers, duty groups);
``assessments.csv``
    one row per staff member, month and level: the scores of each criterion, the counts of
    major quality errors and delays, the task tracker's KPI, a discipline, the grade that
    level proposes and its comment;
``unit_tasks.csv``
    one row per unit and month: tasks assigned, done, done on time, overdue, exceeded, bonus
    and deduction points, and the score the unit was given.

``evalkit/demo/_generate.py`` records how the data were designed and rebuilds them. The data
are designed so that every rule shows: a spread of HTXS, HTT, HT and KHT; a person
disqualified by a reprimand (``disqualifier.discipline``); errors and delays that take 25 %
off; a KPI-scored person; a unit rated below HTXS whose head scores above 90 (capped at the
unit once units are classified first), and a unit with more HTXS candidates than its 20 %
quota (one demoted).

>>> data = load_demo()
>>> len(data.organisation.staff), [str(m) for m in data.months]
(25, ['2026-01', '2026-02', '2026-03'])
>>> data.organisation.member("SNV-002").full_name
'Nguyễn Thị Hồng Nhung'
"""

from __future__ import annotations

import csv
import datetime as _dt
import importlib
import importlib.resources
import io
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import pandas as pd

from evalkit._files import atomic_path
from evalkit.errors import EvalkitError, InputError, InputProblem, RenderError
from evalkit.model import (
    Assessment,
    Discipline,
    EvaluationResult,
    Grade,
    Organisation,
    Period,
    Position,
    Reason,
    Staff,
    Unit,
)
from evalkit.scoring import assessments_to_frame, score

__all__ = [
    "RESULT_COLUMNS",
    "DemoAgency",
    "DemoData",
    "DemoReport",
    "load_demo",
    "run_demo",
]

#: The columns of ``results.csv``, in order, with their meaning.
RESULT_COLUMNS: dict[str, str] = {
    "staff_id": "the person's id",
    "full_name": "full name, with diacritics",
    "position": "job position (vị trí việc làm)",
    "unit_id": "the unit's id",
    "unit": "the unit's name",
    "period": "the month, e.g. 2026-03",
    "self_total": "total of the self-assessment's scores",
    "manager_total": "total of the direct manager's scores",
    "total": "total of the counting (last) level's scores",
    "score_grade": "the band of the total",
    "grade": "the final grade after disqualifiers, the unit cap and quotas",
    "rule_set": "the rule set applied",
    "reason_codes": "reason codes joined by ';' (band, disqualifier.discipline, cap.head_unit ...)",
    "reasons": "the reasons' messages in the report's language, joined by ' | '",
}

_FILES = ("agency.json", "assessments.csv", "unit_tasks.csv")
_LEVEL_COLUMNS = {
    "self": "self_scores",
    "manager": "manager_scores",
    "competent": "competent_scores",
}
_GRADE_FIELD = {
    "self": "proposed_grade",
    "manager": "manager_grade",
    "competent": "competent_grade",
}
_NON_SCORE = frozenset({"staff_id", "period", "level", "kpi", "discipline", "grade", "comment"})
_UNIT_TASK_COLUMNS = (
    "unit_id", "period", "tasks_assigned", "tasks_done", "tasks_on_time", "tasks_overdue",
    "tasks_exceeded", "bonus", "deduction", "score",
)  # fmt: skip


# =========================================================================== data


@attrs.frozen(slots=True)
class DemoAgency:
    """The demo agency's identity, as a sheet's header shows it.

    >>> load_demo().agency.full_name
    'Sở Nội vụ tỉnh Sông Lam'
    """

    id: str
    name: str
    full_name: str
    governing_body: str
    place: str
    name_en: str = ""
    governing_body_short: str = ""
    address: str = ""
    note: str = ""


@attrs.frozen(slots=True, eq=False)
class DemoData:
    """The demo agency: its organisation, three months of assessments and unit task counts.

    ``unit_inputs`` has one row per unit and month with the columns ``unit_id``, ``period``
    (text, ``'2026-01'``), ``tasks_assigned``, ``tasks_done``, ``tasks_on_time``,
    ``tasks_overdue``, ``tasks_exceeded``, ``bonus``, ``deduction`` and ``score`` (the score
    the competent level gave the unit).

    >>> data = load_demo()
    >>> sorted(u.id for u in data.organisation.children_of("SNV"))
    ['SNV-CCVC', 'SNV-VP', 'SNV-XDCQ']
    """

    agency: DemoAgency
    organisation: Organisation
    assessments: tuple[Assessment, ...]
    unit_inputs: pd.DataFrame
    months: tuple[Period, ...]
    rule_set_id: str = "vn.nd335-2025"

    def assessments_for(self, period: Period | str) -> tuple[Assessment, ...]:
        """The assessments of ``period``, in staff order.

        >>> len(load_demo().assessments_for("2026-02"))
        25
        """
        p = Period.parse(period)
        return tuple(a for a in self.assessments if a.period == p)

    def frame(self) -> pd.DataFrame:
        """All staff-months as an input of :func:`evalkit.score_frame` (the counting scores),
        with ``unit_id``, ``duty_group``, ``manager_id`` and ``is_head`` columns added.

        >>> f = load_demo().frame()
        >>> len(f), int(f["is_head"].sum())
        (75, 12)
        """
        org = self.organisation
        staff = {s.id: s for s in org.staff}
        frame = assessments_to_frame(self.assessments, staff)
        people = pd.DataFrame(
            {
                "staff_id": [s.id for s in org.staff],
                "unit_id": [s.unit_id for s in org.staff],
                "duty_group": [s.duty_group for s in org.staff],
                "manager_id": [s.manager_id for s in org.staff],
                "is_head": [org.is_head(s.id) for s in org.staff],
            }
        )
        return frame.merge(people, on="staff_id", how="left", validate="many_to_one")

    def units_frame(self) -> pd.DataFrame:
        """The units with their task completion per month: :attr:`unit_inputs` with
        ``parent_id`` and ``head_id`` added (the units input of evalkit.units).

        >>> u = load_demo().units_frame()
        >>> len(u), u.loc[u.unit_id == "SNV-VP", "head_id"].iloc[0]
        (12, 'SNV-101')
        """
        tree = pd.DataFrame(
            {
                "unit_id": [u.id for u in self.organisation.units],
                "parent_id": [u.parent_id for u in self.organisation.units],
                "head_id": [u.head_id for u in self.organisation.units],
            }
        )
        return self.unit_inputs.merge(tree, on="unit_id", how="left", validate="many_to_one")


def _read_text(name: str) -> str:
    return importlib.resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def _problem(file: str, message: str, **where: Any) -> InputError:
    return InputError([InputProblem(message, file=file, **where)])


def _build_organisation(doc: Mapping[str, Any]) -> Organisation:
    try:
        units = [Unit(**u) for u in doc["units"]]
        positions = [Position(**p) for p in doc["positions"]]
        staff = [Staff(**s) for s in doc["staff"]]
        # model.Organisation uses converter=tuple, which mypy types as Iterable[_T_co]
        return Organisation(units=units, positions=positions, staff=staff)  # type: ignore[arg-type]
    except (KeyError, TypeError) as exc:
        raise _problem("agency.json", f"the demo organisation is malformed: {exc}") from None


def _parse_discipline(text: str, row: int) -> Discipline:
    key = text.strip().lower()
    if not key:
        return Discipline.NONE
    for d in Discipline:
        if key in (d.name.lower(), d.label_vi.lower()) or key == str(d.value):
            return d
    raise _problem("assessments.csv", "unknown discipline", row=row, column="discipline",
                   value=text)  # fmt: skip


def _parse_number(text: str, row: int, column: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise _problem("assessments.csv", "is not a number", row=row, column=column,
                       value=text) from None  # fmt: skip


def _build_assessments(text: str, months: Sequence[Period]) -> tuple[Assessment, ...]:
    """Group the long ``assessments.csv`` (one row per staff, month and level) into Assessments."""
    reader = csv.DictReader(io.StringIO(text))
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for row_no, row in enumerate(reader, start=2):  # row 1 is the header
        level = row["level"].strip()
        if level not in _LEVEL_COLUMNS:
            raise _problem("assessments.csv", "level must be self, manager or competent",
                           row=row_no, column="level", value=level)  # fmt: skip
        key = (row["staff_id"].strip(), row["period"].strip())
        g = groups.setdefault(key, {"kpi": None, "discipline": None})
        if _LEVEL_COLUMNS[level] in g:
            raise _problem("assessments.csv", f"a second {level} row for {key[0]} {key[1]}",
                           row=row_no, column="level", value=level)  # fmt: skip
        scores = {
            col: _parse_number(v, row_no, col)
            for col, v in row.items()
            if col not in _NON_SCORE and v is not None and v.strip() != ""
        }
        g[_LEVEL_COLUMNS[level]] = scores
        g[_GRADE_FIELD[level]] = row["grade"].strip() or None
        g[f"{level}_comment"] = row["comment"].strip()
        for fact, value in (
            ("kpi", _parse_number(row["kpi"], row_no, "kpi") if row["kpi"].strip() else None),
            ("discipline", _parse_discipline(row["discipline"], row_no)),
        ):
            if g[fact] is not None and g[fact] != value:
                raise _problem("assessments.csv",
                               f"{fact} differs between the levels of {key[0]} {key[1]}",
                               row=row_no, column=fact, value=row[fact])  # fmt: skip
            g[fact] = value
    month_set = set(months)
    out = []
    for (sid, per), g in groups.items():
        period = Period.parse(per)
        if period not in month_set:
            raise _problem("assessments.csv", f"period {per} is not one of the demo's months",
                           column="period", value=per)  # fmt: skip
        out.append(Assessment(sid, period, **g))
    return tuple(out)


def _build_unit_inputs(text: str, org: Organisation, months: Sequence[Period]) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), dtype={"unit_id": str, "period": str})
    missing = [c for c in _UNIT_TASK_COLUMNS if c not in frame.columns]
    if missing:
        raise _problem("unit_tasks.csv", f"missing column(s): {', '.join(missing)}")
    unknown = set(frame["unit_id"]) - {u.id for u in org.units}
    if unknown:
        raise _problem("unit_tasks.csv", "unknown unit(s)", column="unit_id",
                       value=", ".join(sorted(unknown)))  # fmt: skip
    bad = set(frame["period"]) - {str(m) for m in months}
    if bad:
        raise _problem("unit_tasks.csv", "period(s) outside the demo's months",
                       column="period", value=", ".join(sorted(bad)))  # fmt: skip
    return frame[list(_UNIT_TASK_COLUMNS)].sort_values(["period", "unit_id"], ignore_index=True)


def load_demo() -> DemoData:
    """Load the bundled demo agency (deterministic: the same objects on every call).

    Raises :class:`~evalkit.errors.InputError` naming the file, row and column if a data
    file was edited into an invalid state, and the model's errors (e.g.
    :class:`~evalkit.errors.ScoreError`) for invalid scores.

    >>> data = load_demo()
    >>> len(data.assessments), data.rule_set_id
    (75, 'vn.nd335-2025')
    """
    doc = json.loads(_read_text("agency.json"))
    agency = DemoAgency(**doc["agency"])
    months = tuple(sorted(Period.parse(m) for m in doc["months"]))
    org = _build_organisation(doc)
    assessments = _build_assessments(_read_text("assessments.csv"), months)
    known = {s.id for s in org.staff}
    strangers = sorted({a.staff_id for a in assessments} - known)
    if strangers:
        raise _problem("assessments.csv", "unknown staff id(s)", column="staff_id",
                       value=", ".join(strangers))  # fmt: skip
    order = {s.id: i for i, s in enumerate(org.staff)}
    assessments = tuple(sorted(assessments, key=lambda a: (a.period.key, order[a.staff_id])))
    unit_inputs = _build_unit_inputs(_read_text("unit_tasks.csv"), org, months)
    return DemoData(agency, org, assessments, unit_inputs, months, doc.get("rule_set",
                    "vn.nd335-2025"))  # fmt: skip


# =========================================================================== run


@attrs.frozen(slots=True, eq=False)
class DemoReport:
    """What :func:`run_demo` wrote and how it classified.

    ``results`` is the table written to ``results.csv`` (columns :data:`RESULT_COLUMNS`);
    ``classified_by_units`` tells whether :mod:`evalkit.units` classified units before
    individuals (unit caps, quotas) or each person was only scored; ``notes`` lists what was
    skipped and why.
    """

    out_dir: Path
    results_csv: Path
    results: pd.DataFrame
    sheets: tuple[Path, ...] = ()
    summaries: tuple[Path, ...] = ()
    classified_by_units: bool = False
    rendered: bool = False
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    overviews: tuple[Path, ...] = ()
    period_sheets: tuple[Path, ...] = ()

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file written: the results table, the sheets, the unit summaries, the
        organisation overviews and the quarterly sheets."""
        return (self.results_csv, *self.sheets, *self.summaries, *self.overviews,
                *self.period_sheets)  # fmt: skip

    def grade_counts(self) -> dict[str, dict[str, int]]:
        """Final grade counts per month: ``{'2026-01': {'HTXS': 2, 'HTT': 19, ...}}``."""
        counts = (
            self.results.groupby(["period", "grade"], observed=False).size().unstack(fill_value=0)
        )
        order = [g.code for g in sorted(Grade, reverse=True)]
        return {
            str(p): {g: int(counts.loc[p, g]) if g in counts.columns else 0 for g in order}
            for p in counts.index
        }


Results = dict[tuple[str, Period], EvaluationResult]
MonthsOption = Literal["all", "last"]


@attrs.frozen(slots=True)
class _UnitOutcome:
    """A unit's own result for a month, as evalkit.units gives it (for the unit summary)."""

    grade: Grade | None
    score: float | None
    quota_limit: int | None
    reasons: tuple[Reason, ...] = ()


UnitOutcomes = dict[tuple[str, Period], _UnitOutcome]


def _score_everyone(data: DemoData) -> Results:
    """Score each staff-month on its own (no unit caps, no quotas)."""
    org = data.organisation
    staff = {s.id: s for s in org.staff}
    positions = {p.id: p for p in org.positions}
    out: Results = {}
    for a in data.assessments:
        s = staff[a.staff_id]
        out[(a.staff_id, a.period)] = score(
            a, staff=s, rules=data.rule_set_id, is_head=org.is_head(s.id),
            position=positions[s.position_id],
        )  # fmt: skip
    return out


def _units_module() -> Any | None:
    """:mod:`evalkit.units` if it exists and has the object face the demo uses, else None."""
    try:
        units = importlib.import_module("evalkit.units")
    except ModuleNotFoundError as exc:
        if exc.name in ("evalkit.units", "evalkit"):
            return None
        raise
    if not all(hasattr(units, n) for n in ("classify_organisation", "UnitInputs")):
        return None
    return units


def _unit_inputs_of(units: Any, frame: pd.DataFrame) -> list[Any]:
    """``evalkit.units.UnitInputs`` for each row of ``frame`` (a slice of unit_inputs)."""
    numeric = [c for c in _UNIT_TASK_COLUMNS if c not in ("unit_id", "period")]
    columns = {c: frame[c].to_numpy(dtype=float) for c in numeric}
    return [
        units.UnitInputs(uid, per, **{c: float(columns[c][i]) for c in numeric})
        for i, (uid, per) in enumerate(zip(frame["unit_id"], frame["period"], strict=True))
    ]


def _classify(data: DemoData) -> tuple[Results, UnitOutcomes | None]:
    """Units before individuals when :mod:`evalkit.units` is available, else per person.

    Returns the results and, when units were classified, each unit-month's own result.
    """
    units = _units_module()
    if units is None:
        # TODO(issue 5): without evalkit.units the grades are the score bands after the
        # disqualifiers only: no head capped at the unit, no quota. Once the module exists
        # this branch is not taken and the demo shows cap.head_unit and quota.demoted.
        return _score_everyone(data), None
    results: Results = {}
    outcomes: UnitOutcomes = {}
    for month in data.months:
        inputs = _unit_inputs_of(units, data.unit_inputs[data.unit_inputs["period"] == str(month)])
        by_unit = units.classify_organisation(
            data.organisation, data.assessments_for(month), inputs, data.rule_set_id,
            period=month,
        )  # fmt: skip
        for unit_id, c in by_unit.items():
            results.update({(r.staff_id, r.period): r for r in c.staff})
            caps = [q.cap for q in c.quotas]
            outcomes[(unit_id, month)] = _UnitOutcome(
                c.unit.grade, c.unit.score, sum(caps) if caps else None, tuple(c.unit.reasons)
            )
    missing = [f"{a.staff_id} {a.period}" for a in data.assessments
               if (a.staff_id, a.period) not in results]  # fmt: skip
    if missing:
        raise EvalkitError(f"evalkit.units gave no result for {', '.join(missing[:5])}")
    return results, outcomes


def _results_frame(data: DemoData, results: Results, lang: str) -> pd.DataFrame:
    org = data.organisation
    units = {u.id: u for u in org.units}
    positions = {p.id: p for p in org.positions}
    rows = []
    for a in data.assessments:
        s = org.member(a.staff_id)
        r = results[(a.staff_id, a.period)]
        rows.append(
            {
                "staff_id": s.id,
                "full_name": s.full_name,
                "position": positions[s.position_id].title(lang),
                "unit_id": s.unit_id,
                "unit": units[s.unit_id].name,
                "period": str(a.period),
                "self_total": r.level_totals.get("self"),
                "manager_total": r.level_totals.get("manager"),
                "total": r.total,
                "score_grade": None if r.score_grade is None else r.score_grade.code,
                "grade": None if r.grade is None else r.grade.code,
                "rule_set": r.rule_set_id,
                "reason_codes": ";".join(r.reason_codes()),
                "reasons": " | ".join(x.message(lang) for x in r.reasons),
            }
        )
    frame = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    grade_type = pd.CategoricalDtype([g.code for g in Grade], ordered=True)
    frame["grade"] = frame["grade"].astype(grade_type)
    frame["score_grade"] = frame["score_grade"].astype(grade_type)
    return frame


def _signed_on(period: Period) -> _dt.date:
    """The last working day (Monday to Friday) of ``period``."""
    day = period.end
    while day.weekday() >= 5:
        day -= _dt.timedelta(days=1)
    return day


def _render(
    data: DemoData,
    results: Results,
    unit_outcomes: UnitOutcomes | None,
    out_dir: Path,
    months: Sequence[Period],
    lang: str,
) -> tuple[tuple[Path, ...], tuple[Path, ...], str | None, tuple[Path, ...], tuple[Path, ...]]:
    """Render sheets and unit summaries with :mod:`evalkit.render`.

    Returns the sheets, the summaries, a note when rendering is not available, the
    organisation overviews and the quarterly sheets.
    """
    try:
        render = importlib.import_module("evalkit.render")
    except ModuleNotFoundError as exc:
        if exc.name in ("evalkit.render", "evalkit"):
            return (), (), "evalkit.render is not available: PDF sheets were skipped", (), ()
        raise
    needed = ("Sheet", "Agency", "UnitSummary", "write_pdfs", "render_unit_summary")
    absent = [n for n in needed if not hasattr(render, n)]
    if absent:
        return (), (), f"evalkit.render lacks {', '.join(absent)}: PDF sheets were skipped", (), ()
    from evalkit import rules as _rules

    org = data.organisation
    units = {u.id: u for u in org.units}
    positions = {p.id: p for p in org.positions}
    staff = {s.id: s for s in org.staff}
    rs = _rules.get(data.rule_set_id)
    ag = data.agency
    agency = render.Agency(ag.name, governing_body=ag.governing_body, place=ag.place)
    director = org.head_of(org.children_of(None)[0].id)
    wanted = set(months)
    sheets: list[Any] = []
    for a in data.assessments:
        if a.period not in wanted:
            continue
        s = staff[a.staff_id]
        sheets.append(
            render.Sheet(
                staff=s, position=positions[s.position_id], unit=units[s.unit_id],
                assessment=a, result=results[(a.staff_id, a.period)], rules=rs,
                agency=agency, signed_on=_signed_on(a.period),
                manager=staff.get(s.manager_id) if s.manager_id else None,
                approver=director if director is not None and director.id != s.id else None,
            )
        )  # fmt: skip
    sheet_dir = out_dir / "sheets"
    sheet_dir.mkdir(parents=True, exist_ok=True)
    written = tuple(Path(p) for p in render.write_pdfs(sheets, sheet_dir, lang=lang, resume=False))
    summary_dir = out_dir / "units"
    summary_dir.mkdir(parents=True, exist_ok=True)
    summaries: list[Path] = []
    by_month: dict[Period, list[Any]] = {}
    for month in months:
        for unit in org.units:
            members = [sh for sh in sheets if sh.period == month and sh.unit.id == unit.id]
            if not members:
                continue
            outcome = (unit_outcomes or {}).get((unit.id, month))
            summary = render.UnitSummary.from_sheets(
                members,
                unit=unit,
                unit_grade=outcome.grade if outcome else None,
                unit_total=outcome.score if outcome else None,
                quota_limit=outcome.quota_limit if outcome else None,
                unit_reasons=outcome.reasons if outcome else (),
            )
            pdf = render.render_unit_summary(summary, lang=lang)
            path = summary_dir / f"{month}_{unit.id}.pdf"
            with atomic_path(path) as tmp:
                tmp.write_bytes(pdf)
            summaries.append(path)
            by_month.setdefault(month, []).append(summary)
    overviews, period_sheets = _render_reports(render, data, results, by_month, sheets, out_dir,
                                               lang)  # fmt: skip
    return written, tuple(summaries), None, overviews, period_sheets


def _render_reports(
    render: Any,
    data: DemoData,
    results: Results,
    by_month: Mapping[Period, list[Any]],
    sheets: Sequence[Any],
    out_dir: Path,
    lang: str,
) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """One organisation overview per month (``overview/``) and, for every quarter whose
    months were all rendered, one quarterly sheet per person (``quarters/``)."""
    if not all(hasattr(render, n) for n in ("OrganisationOverview", "PeriodSheet")):
        return (), ()
    org = data.organisation
    overviews: list[Path] = []
    for month, summaries in by_month.items():
        ov = render.OrganisationOverview.from_summaries(summaries, organisation=org)
        path = out_dir / "overview" / f"{month}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            tmp.write_bytes(render.render_overview(ov, lang=lang))
        overviews.append(path)
    done = set(by_month)
    quarters = sorted({m.quarter_of() for m in done if set(m.quarter_of().months()) <= done})
    period_sheets: list[Path] = []
    firsts = {(sh.staff.id, sh.period): sh for sh in sheets}
    for q in quarters:
        for s in org.staff:
            monthly = [results[(s.id, m)] for m in q.months() if (s.id, m) in results]
            first = firsts.get((s.id, q.months()[-1]))
            if not monthly or first is None:
                continue
            sheet = render.PeriodSheet(
                first.staff, first.position, first.unit, q, monthly, first.rules, first.agency,
                signed_on=_signed_on(q.months()[-1]), manager=first.manager,
                approver=first.approver,
            )  # fmt: skip
            name = "_".join(render.safe_filename(x) for x in (str(q), s.unit_id, s.id,
                                                              s.full_name))  # fmt: skip
            path = out_dir / "quarters" / f"{name}.pdf"
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(path) as tmp:
                tmp.write_bytes(render.render_period_pdf(sheet, lang=lang))
            period_sheets.append(path)
    return tuple(overviews), tuple(period_sheets)


def run_demo(
    out_dir: str | os.PathLike[str],
    *,
    lang: str = "vi",
    months: MonthsOption = "all",
    render: bool = True,
    echo: Callable[[str], None] | None = None,
) -> DemoReport:
    """Score the demo agency's three months and write the results and the PDF sheets.

    Writes ``results.csv`` (every staff-month, columns :data:`RESULT_COLUMNS`, UTF-8,
    written atomically) into ``out_dir``, and, when :mod:`evalkit.render` is available and
    ``render`` is true, one PDF sheet per person and month under ``sheets/`` and one summary
    per unit and month under ``units/`` — for every month (``months="all"``) or only the last
    one (``months="last"``). Units are classified before individuals when
    :mod:`evalkit.units` is available (heads capped at their unit, quotas); otherwise each
    person is only scored and the report's ``notes`` say so.

    Progress and the output location go to ``echo`` (default: standard error, so that a
    caller printing JSON on standard output stays clean).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     report = run_demo(d, render=False, echo=lambda line: None)
    ...     len(report.results), report.results_csv.name
    (75, 'results.csv')
    """
    say = echo if echo is not None else (lambda line: print(line, file=sys.stderr))
    if lang not in ("vi", "en"):
        raise RenderError(f"language {lang!r} is not supported; expected 'vi' or 'en'")
    if months not in ("all", "last"):
        raise ValueError(f"months must be 'all' or 'last', not {months!r}")
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = load_demo()
    results, unit_outcomes = _classify(data)
    by_units = unit_outcomes is not None
    notes: list[str] = []
    if not by_units:
        notes.append(
            "evalkit.units is not available: grades are score bands and disqualifiers only "
            "(no head capped at the unit, no quota)"
        )
    frame = _results_frame(data, results, lang)
    results_csv = out / "results.csv"
    with atomic_path(results_csv) as tmp:
        frame.to_csv(tmp, index=False, encoding="utf-8")
    sheets: tuple[Path, ...] = ()
    summaries: tuple[Path, ...] = ()
    overviews: tuple[Path, ...] = ()
    period_sheets: tuple[Path, ...] = ()
    rendered = False
    if render:
        chosen = data.months if months == "all" else data.months[-1:]
        sheets, summaries, note, overviews, period_sheets = _render(
            data, results, unit_outcomes, out, chosen, lang
        )
        rendered = note is None
        if note:
            notes.append(note)
    for note in notes:
        say(f"note: {note}")
    seconds = time.perf_counter() - started
    say(f"demo: {len(frame)} staff-months of {data.agency.full_name} scored; "
        f"results written to {results_csv}")  # fmt: skip
    if rendered:
        say(f"demo: {len(sheets)} sheets and {len(summaries)} unit summaries written to {out}")
        if overviews or period_sheets:
            say(f"demo: {len(overviews)} organisation overviews and {len(period_sheets)} "
                f"quarterly sheets written to {out}")  # fmt: skip
    return DemoReport(out, results_csv, frame, sheets, summaries, by_units, rendered,
                      tuple(notes), seconds, overviews, period_sheets)  # fmt: skip
