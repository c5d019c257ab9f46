"""The bundled demo agency and :func:`run_demo`, the engine of ``make demo`` / ``evalkit demo``.

The demo is a fictional Sở Nội vụ (Department of Home Affairs) of "tỉnh Sông Lam" under its
provincial People's Committee: the department's leadership, three divisions of công chức
and a public archive centre of viên chức — 31 people — with the twelve months of 2026 at
all three levels (self, direct manager, competent level), each unit's monthly task counts
and self-scores, the year's unit results (an appraisal council re-scores one division) and
the three levels' annual conclusions. The data are static, readable files shipped in the
package and read through :mod:`importlib.resources`:

``agency.json``
    the agency, its units, positions and staff (ids, names, managers, duty groups,
    categories), the signatories, a transfer between units;
``assessments.csv``
    one row per staff member, month and level: the unit and manager that month, any
    legal leave, the scores of each criterion of the rule set in force, the counts of
    major quality errors and delays, the task tracker's KPI, a discipline, the grade
    that level proposes and its comment;
``unit_tasks.csv``
    one row per unit and month (and one for the year): tasks assigned, done, on time,
    overdue, exceeded, bonus and deduction points, the unit's self-score and, for the
    year, the appraisal council's score;
``conclusions.csv``
    one row per person for the year: the person's, the direct manager's and the
    competent level's annual words, proposed grades and the competent level's
    conclusion with its written reason.

``evalkit/demo/_generate.py`` records how the data were designed and rebuilds them. No
rule set is named anywhere: the engine gives each person the set in force for their
category and month (NĐ 335/2025 for the công chức; NĐ 90/2020 until June and NĐ 233/2026
from July for the viên chức). Months are monitored; the year is classified
(:func:`evalkit.classify_year`).

>>> data = load_demo()
>>> len(data.organisation.staff), str(data.months[0]), str(data.months[-1]), str(data.year)
(31, '2026-01', '2026-12', '2026')
>>> data.organisation.member("SNV-002").full_name
'Nguyễn Thị Hồng Nhung'
"""

from __future__ import annotations

import csv
import datetime as _dt
import importlib.resources
import io
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

from evalkit._files import atomic_path, staged_folder
from evalkit.errors import InputError, InputProblem, RenderError
from evalkit.messages import text
from evalkit.model import (
    Assessment,
    Discipline,
    Grade,
    Organisation,
    Period,
    Position,
    Staff,
    Unit,
)
from evalkit.scoring import assessments_to_frame

__all__ = [
    "RESULT_COLUMNS",
    "YEAR_COLUMNS",
    "DemoAgency",
    "DemoData",
    "DemoReport",
    "classify_demo",
    "load_demo",
    "run_demo",
]

#: The columns of ``results.csv`` (one row per person and month), in order; after them, the
#: figures the reasons quote that the months have (``mgmt_subordinates``, ``quota_cap`` …),
#: so that ``evalkit.reasons.explain(table, column="reason_codes")`` says the ``reasons``.
RESULT_COLUMNS: dict[str, str] = {
    "staff_id": "the person's id",
    "full_name": "full name, with diacritics",
    "position": "job position (vị trí việc làm)",
    "unit_id": "the unit's id that month",
    "unit": "the unit's name that month",
    "period": "the month, e.g. 2026-03",
    "leave": "legal leave that month (maternity, sick, absent) or blank",
    "self_total": "total of the self-assessment's scores",
    "manager_total": "total of the direct manager's scores",
    "competent_total": "total of the competent level's scores",
    "total": "total of the counting (last) level's scores; blank when not evaluated",
    "score_grade": "the band of the total",
    "grade": "the band with the disqualifiers; a grade only where the month is classified",
    "classified": "whether the rule set classifies the month (NĐ 335: no, the year is)",
    "rule_set": "the rule set in force for the person that month",
    "reason_codes": "reason codes joined by ';' (disqualifier.discipline, management.d ...)",
    "reasons": "the reasons as sentences with their citations, in the report's language",
}

#: The columns of ``year.csv`` (one row per person: the year's classification), in order;
#: then the figures its reasons quote, as ``results.csv``.
YEAR_COLUMNS: dict[str, str] = {
    "staff_id": "the person's id",
    "full_name": "full name",
    "position": "job position",
    "unit_id": "the unit that classifies the year (the last month's)",
    "unit": "that unit's name",
    "period": "the year, e.g. 2026",
    "months": "months evaluated (the time actually worked)",
    "leave_months": "months of legal leave",
    "total": "the year's score: the average of the months evaluated",
    "score_grade": "the band of the year's score",
    "proposed_grade": "the grade before the quota",
    "grade": "the year's grade (after disqualifiers, the conclusion, the head cap, the quota)",
    "unit_grade": "the unit's grade for the year",
    "rule_set": "the rule set of the year (the person's last month's)",
    "reason_codes": "reason codes joined by ';'",
    "reasons": "the reasons as sentences with their citations",
}

_FILES = ("agency.json", "assessments.csv", "unit_tasks.csv", "conclusions.csv")
_LEVEL_COLUMNS = {"self": "self_scores", "manager": "manager_scores",
                  "competent": "competent_scores"}  # fmt: skip
_GRADE_FIELD = {"self": "proposed_grade", "manager": "manager_grade"}
_NON_SCORE = frozenset({"staff_id", "period", "level", "unit_id", "manager_id", "leave", "kpi",
                        "discipline", "grade", "comment"})  # fmt: skip
_UNIT_COLUMNS = (
    "unit_id", "period", "tasks_assigned", "tasks_done", "tasks_on_time", "tasks_overdue",
    "tasks_exceeded", "bonus", "deduction", "self_score", "council_score",
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
    """The demo agency: its organisation, a year of assessments, units and conclusions.

    ``unit_inputs`` has one row per unit and month (``unit_id``, ``period`` as text,
    task counts, ``bonus``, ``deduction``, ``self_score``, ``council_score``) and
    ``unit_year`` the same for the year. ``placements`` maps ``(staff id, month)`` to the
    person's unit and manager that month (a transfer moves them). ``conclusions`` holds
    the three levels' annual words (``conclusions.csv``); ``signatories`` who signs.

    >>> data = load_demo()
    >>> sorted(u.id for u in data.organisation.children_of("SNV"))
    ['SNV-CCVC', 'SNV-TTLT', 'SNV-VP', 'SNV-XDCQ']
    """

    agency: DemoAgency
    organisation: Organisation
    assessments: tuple[Assessment, ...]
    unit_inputs: pd.DataFrame
    months: tuple[Period, ...]
    rule_set_id: str = "vn.nd335-2025"
    year: Period = attrs.field(factory=lambda: Period.parse("2026"))
    placements: Mapping[tuple[str, str], tuple[str, str | None]] = attrs.field(factory=dict)
    unit_year: pd.DataFrame = attrs.field(factory=pd.DataFrame)
    conclusions: pd.DataFrame = attrs.field(factory=pd.DataFrame)
    signatories: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)

    def assessments_for(self, period: Period | str) -> tuple[Assessment, ...]:
        """The assessments of ``period``, in staff order.

        >>> len(load_demo().assessments_for("2026-02"))
        31
        """
        p = Period.parse(period)
        return tuple(a for a in self.assessments if a.period == p)

    def frame(self) -> pd.DataFrame:
        """Every staff-month as the engine's input: the counting scores, each level's own
        scores, comments and proposed grades, the category, ``unit_id`` and
        ``manager_id`` of the month, ``duty_group`` and ``leave``.

        >>> f = load_demo().frame()
        >>> len(f), sorted(set(f["category"]))
        (372, ['cong_chuc', 'vien_chuc'])
        """
        org = self.organisation
        staff = {s.id: s for s in org.staff}
        frame = assessments_to_frame(self.assessments, staff, levels=True)
        keys = list(zip(frame["staff_id"], frame["period"], strict=True))
        frame["unit_id"] = [self.placements.get(k, (staff[k[0]].unit_id, None))[0]
                            for k in keys]  # fmt: skip
        frame["manager_id"] = pd.Series(
            [self.placements.get(k, ("", staff[k[0]].manager_id))[1] for k in keys],
            dtype=object)  # fmt: skip
        frame["duty_group"] = pd.Series([staff[k[0]].duty_group for k in keys], dtype=object)
        return frame

    def units_frame(self) -> pd.DataFrame:
        """The units with their results per month (the engine's units input).

        >>> u = load_demo().units_frame()
        >>> len(u), u.loc[u.unit_id == "SNV-VP", "head_id"].iloc[0]
        (60, 'SNV-101')
        """
        return self._with_tree(self.unit_inputs)

    def year_units_frame(self) -> pd.DataFrame:
        """The units with their results for the year (annual task counts, self-scores and
        the appraisal council's score) and each unit's ``category``, its head's: the units'
        year is classified without its people, so the category says which rule set is the
        unit's (the Trung tâm's viên chức: NĐ 233/2026, the phòng's công chức: NĐ 335/2025).

        >>> y = load_demo().year_units_frame()
        >>> y.loc[y.unit_id == "SNV-XDCQ", "council_score"].iloc[0]
        np.float64(86.5)
        >>> y.loc[y.unit_id == "SNV-TTLT", "category"].iloc[0]
        'vien_chuc'
        """
        cat = {s.id: str(s.category) for s in self.organisation.staff}
        year = self._with_tree(self.unit_year)
        return year.assign(category=pd.Series(year["head_id"].map(cat), dtype=object))

    def _with_tree(self, rows: pd.DataFrame) -> pd.DataFrame:
        tree = pd.DataFrame(
            {
                "unit_id": [u.id for u in self.organisation.units],
                "parent_id": pd.Series([u.parent_id for u in self.organisation.units],
                                       dtype=object),
                "head_id": pd.Series([u.head_id for u in self.organisation.units], dtype=object),
            }
        )  # fmt: skip
        out = rows.merge(tree, on="unit_id", how="left", validate="many_to_one")
        # the agency's staff: a head with no row in a frame of one group (the công chức
        # alone) is absent from it, not unknown (evalkit.classify_frame's ``known_staff``)
        out.attrs["known_staff"] = [s.id for s in self.organisation.staff]
        return out


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


def _build_assessments(
    text: str, months: Sequence[Period]
) -> tuple[tuple[Assessment, ...], dict[tuple[str, str], tuple[str, str | None]]]:
    """Group the long ``assessments.csv`` (one row per staff, month and level) into
    Assessments, and read each person's unit and manager per month."""
    reader = csv.DictReader(io.StringIO(text))
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    places: dict[tuple[str, str], tuple[str, str | None]] = {}
    for row_no, row in enumerate(reader, start=2):  # row 1 is the header
        level = row["level"].strip()
        if level not in _LEVEL_COLUMNS:
            raise _problem("assessments.csv", "level must be self, manager or competent",
                           row=row_no, column="level", value=level)  # fmt: skip
        key = (row["staff_id"].strip(), row["period"].strip())
        g = groups.setdefault(key, {"kpi": None, "discipline": None, "leave": None})
        if _LEVEL_COLUMNS[level] in g:
            raise _problem("assessments.csv", f"a second {level} row for {key[0]} {key[1]}",
                           row=row_no, column="level", value=level)  # fmt: skip
        scores = {
            col: _parse_number(v, row_no, col)
            for col, v in row.items()
            if col not in _NON_SCORE and v is not None and v.strip() != ""
        }
        g[_LEVEL_COLUMNS[level]] = scores
        if level in _GRADE_FIELD:
            g[_GRADE_FIELD[level]] = row["grade"].strip() or None
        g[f"{level}_comment"] = row["comment"].strip()
        places[key] = (row["unit_id"].strip(), row["manager_id"].strip() or None)
        for fact, value in (
            ("kpi", _parse_number(row["kpi"], row_no, "kpi") if row["kpi"].strip() else None),
            ("discipline", _parse_discipline(row["discipline"], row_no)),
            ("leave", row["leave"].strip()),
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
    return tuple(out), places


def _build_units(text: str, org: Organisation, periods: Sequence[str]) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), dtype={"unit_id": str, "period": str})
    missing = [c for c in _UNIT_COLUMNS if c not in frame.columns]
    if missing:
        raise _problem("unit_tasks.csv", f"missing column(s): {', '.join(missing)}")
    unknown = set(frame["unit_id"]) - {u.id for u in org.units}
    if unknown:
        raise _problem("unit_tasks.csv", "unknown unit(s)", column="unit_id",
                       value=", ".join(sorted(unknown)))  # fmt: skip
    bad = set(frame["period"]) - set(periods)
    if bad:
        raise _problem("unit_tasks.csv", "period(s) outside the demo's year",
                       column="period", value=", ".join(sorted(bad)))  # fmt: skip
    return frame[list(_UNIT_COLUMNS)].sort_values(["period", "unit_id"], ignore_index=True)


def load_demo() -> DemoData:
    """Load the bundled demo agency (deterministic: the same objects on every call).

    Raises :class:`~evalkit.errors.InputError` naming the file, row and column if a data
    file was edited into an invalid state, and the model's errors (e.g.
    :class:`~evalkit.errors.ScoreError`) for invalid scores.

    >>> data = load_demo()
    >>> len(data.assessments), data.rule_set_id
    (372, 'vn.nd335-2025')
    """
    doc = json.loads(_read_text("agency.json"))
    agency = DemoAgency(**doc["agency"])
    months = tuple(sorted(Period.parse(m) for m in doc["months"]))
    year = Period.parse(doc["year"])
    org = _build_organisation(doc)
    assessments, places = _build_assessments(_read_text("assessments.csv"), months)
    known = {s.id for s in org.staff}
    strangers = sorted({a.staff_id for a in assessments} - known)
    if strangers:
        raise _problem("assessments.csv", "unknown staff id(s)", column="staff_id",
                       value=", ".join(strangers))  # fmt: skip
    order = {s.id: i for i, s in enumerate(org.staff)}
    assessments = tuple(sorted(assessments, key=lambda a: (a.period.key, order[a.staff_id])))
    units = _build_units(_read_text("unit_tasks.csv"), org,
                         [str(m) for m in months] + [str(year)])  # fmt: skip
    is_year = units["period"] == str(year)
    conclusions = pd.read_csv(io.StringIO(_read_text("conclusions.csv")),
                              dtype=str, keep_default_na=False)  # fmt: skip
    conclusions = conclusions.replace("", None)
    return DemoData(
        agency, org, assessments, units[~is_year].reset_index(drop=True), months,
        doc.get("rule_set", "vn.nd335-2025"), year, places,
        units[is_year].reset_index(drop=True), conclusions, doc.get("signatories", {}),
    )  # fmt: skip


# =========================================================================== run


@attrs.frozen(slots=True, eq=False)
class DemoReport:
    """What :func:`run_demo` wrote and how it classified.

    ``results`` is the table written to ``results.csv`` (columns :data:`RESULT_COLUMNS`,
    every month), ``year`` the one written to ``year.csv`` (:data:`YEAR_COLUMNS`, the
    annual classification). ``sheets`` are the monthly sheets, ``period_sheets`` the
    annual sheets, ``summaries`` the unit summaries (the months rendered and the year),
    ``overviews`` the organisation overviews, ``publications`` the publication lists (PDF
    and CSV). ``notes`` lists what was skipped and why.
    """

    out_dir: Path
    results_csv: Path
    results: pd.DataFrame
    sheets: tuple[Path, ...] = ()
    summaries: tuple[Path, ...] = ()
    classified_by_units: bool = True
    rendered: bool = False
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    overviews: tuple[Path, ...] = ()
    period_sheets: tuple[Path, ...] = ()
    year: pd.DataFrame = attrs.field(factory=pd.DataFrame)
    year_csv: Path | None = None
    publications: tuple[Path, ...] = ()

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file written: the two tables, the sheets, the summaries, the overviews,
        the annual sheets and the publication lists."""
        tables = (self.results_csv,) + ((self.year_csv,) if self.year_csv else ())
        return (*tables, *self.sheets, *self.summaries, *self.overviews,
                *self.period_sheets, *self.publications)  # fmt: skip

    def grade_counts(self) -> dict[str, dict[str, int]]:
        """Grade counts per month (the band as information where the month is not
        classified) and for the year: ``{'2026-01': {'HTXS': 4, ...}, '2026': {...}}``;
        people not evaluated are not counted."""
        order = [g.code for g in sorted(Grade, reverse=True)]
        out: dict[str, dict[str, int]] = {}
        for frame in (self.results, self.year):
            if not len(frame):
                continue
            for per, part in frame.groupby("period", sort=True):
                values = part["grade"].astype(object)
                out[str(per)] = {g: int((values == g).sum()) for g in order}
        return out


@attrs.frozen(slots=True, eq=False)
class DemoResults:
    """The engine's frames for the demo year (see :func:`classify_demo`)."""

    months: pd.DataFrame
    units: pd.DataFrame
    year: pd.DataFrame
    unit_year: pd.DataFrame


def classify_demo(data: DemoData | None = None) -> DemoResults:
    """Run the engine on the demo year: months (:func:`evalkit.classify_frame`, no rule set
    named: the set follows each person), the units' year, then the year's classification
    (:func:`evalkit.classify_year`) with the competent level's conclusions.

    ``months`` joins the input columns (names, comments, each level's scores) and the
    engine's columns, as ``evalkit classify`` writes them.

    >>> r = classify_demo()
    >>> len(r.months), len(r.year), sorted(set(r.months["rule_set"].astype(str)))
    (372, 31, ['vn.nd233-2026', 'vn.nd335-2025', 'vn.nd90-2020'])
    """
    from evalkit.units import classify_frame, classify_year

    d = data if data is not None else load_demo()
    frame = d.frame()
    staff, units = classify_frame(frame, d.units_frame())
    extra = [c for c in staff.columns if c not in frame.columns or c == "is_head"]
    months = pd.concat([frame.drop(columns=["is_head"], errors="ignore"), staff[extra]], axis=1)
    months.attrs.update(staff.attrs)
    empty = pd.DataFrame(columns=["staff_id", "unit_id", "period"])
    _, unit_year = classify_frame(empty, d.year_units_frame())
    decided = d.conclusions[["staff_id", "competent_grade", "competent_reason"]]
    year = classify_year(months, unit_year, conclusions=decided)
    return DemoResults(months, units, year, unit_year)


def _names(data: DemoData, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    org = data.organisation
    units = {u.id: u for u in org.units}
    positions = {p.id: p for p in org.positions}
    people = {s.id: s for s in org.staff}
    ids = frame["staff_id"].astype(str)
    out = pd.DataFrame({
        "staff_id": ids,
        "full_name": ids.map(lambda s: people[s].full_name),
        "position": ids.map(lambda s: positions[people[s].position_id].title(lang)),
        "unit_id": frame["unit_id"].astype(str),
        "unit": frame["unit_id"].astype(str).map(
            lambda u: (units[u].name_en or units[u].name) if lang == "en" else units[u].name),
        "period": frame["period"].astype(str),
    })  # fmt: skip
    return out


def _table(data: DemoData, frame: pd.DataFrame, columns: Sequence[str], lang: str) -> pd.DataFrame:
    from evalkit.reasons import SENTENCE_SEPARATOR, explain

    out = _names(data, frame, lang)
    for c in columns:
        if c in out.columns:
            continue
        if c == "reason_codes":
            out[c] = frame["reasons"].astype(object).fillna("").astype(str).to_numpy()
        elif c == "reasons":
            out[c] = explain(frame, lang=lang).map(SENTENCE_SEPARATOR.join).to_numpy()
        elif c in ("grade", "score_grade", "proposed_grade", "unit_grade", "rule_set"):
            out[c] = frame[c].astype(object).to_numpy() if c in frame.columns else None
        elif c == "leave":
            out[c] = frame[c].astype(object).fillna("").to_numpy()
        else:
            out[c] = frame[c].to_numpy() if c in frame.columns else None
    out = out[list(columns)]
    for c in _quoted(frame, columns):
        out[c] = frame[c].to_numpy()
    return out


def _quoted(frame: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """The figures the reasons quote (:func:`evalkit.reasons.explain` reads them: the number of
    staff under a leader, the quota's cap …) that ``frame`` has a value in, beyond
    ``columns``: a table carries them after its documented columns, so
    ``explain(table, column="reason_codes")`` says the sentences of its ``reasons``
    column, never a figure it does not have."""
    from evalkit.reasons import PARAM_COLUMNS

    return [c for c in PARAM_COLUMNS if c in frame.columns and c not in columns
            and frame[c].notna().any()]


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    from evalkit.io.results import formula_safe_frame

    with atomic_path(path) as tmp:
        formula_safe_frame(frame).to_csv(tmp, index=False, encoding="utf-8")
    return path


def _signed_on(period: Period) -> _dt.date:
    """The last working day (Monday to Friday) of ``period``."""
    day = period.end
    while day.weekday() >= 5:
        day -= _dt.timedelta(days=1)
    return day


def _chosen(data: DemoData, months: str) -> list[Period]:
    if months == "all":
        return list(data.months)
    if months == "last":
        return [data.months[-1]]
    try:
        p = Period.parse(months)
    except Exception:
        raise ValueError(f"months must be 'all', 'last' or a month of the demo year, "
                         f"not {months!r}") from None  # fmt: skip
    if p not in data.months:
        raise ValueError(f"months must be 'all', 'last' or a month of the demo year, "
                         f"not {months!r}")  # fmt: skip
    return [p]


def _render(
    data: DemoData, r: DemoResults, out: Path, chosen: Sequence[Period], lang: str
) -> dict[str, tuple[Path, ...]]:
    """Every document of the demo, written into ``out`` (the run's staged folder): the
    chosen months' sheets and unit summaries, the annual sheets, the year's unit
    summaries, the overviews and the publication lists."""
    from evalkit import render
    from evalkit._files import atomic_write
    from evalkit.io.results import write_table_csv

    ag = data.agency
    agency = render.Agency(ag.name, governing_body=ag.governing_body, place=ag.place)
    org = data.organisation
    sig = dict(data.signatories)
    written: dict[str, list[Path]] = {k: [] for k in ("sheets", "summaries", "overviews",
                                                        "period_sheets", "publications")}
    summaries_by: dict[str, list[Any]] = {}
    per = r.months["period"].astype(str)
    uper = r.units["period"].astype(str)
    sheets = []
    for month in chosen:
        part = r.months[(per == str(month)).to_numpy()]
        part.attrs.update(r.months.attrs)
        day = _signed_on(month)
        sheets += render.sheets_from_results(part, org=org, agency=agency, signatories=sig,
                                             signed_on=day)  # fmt: skip
        units = r.units[(uper == str(month)).to_numpy()]
        units.attrs.update(r.units.attrs)
        summaries_by[str(month)] = render.summaries_from_results(
            part, units, org=org, agency=agency, signatories=sig, signed_on=day)
    year_day = _signed_on(data.year)
    annual = render.period_sheets_from_results(
        r.year, r.months, org=org, agency=agency, signatories=sig,
        conclusions=data.conclusions, signed_on=year_day)  # fmt: skip
    # one batch (one process pool) for the monthly and the annual sheets
    paths = render.write_pdfs([*sheets, *annual], out / "sheets", lang=lang, resume=False)
    written["sheets"] += paths[: len(sheets)]
    written["period_sheets"] += paths[len(sheets):]
    summaries_by[str(data.year)] = render.summaries_from_results(
        r.year, r.unit_year, org=org, agency=agency, signatories=sig, signed_on=year_day)
    for key, summaries in summaries_by.items():
        for s in summaries:
            path = out / "units" / f"{key}_{render.safe_filename(s.unit.id)}.pdf"
            atomic_write(path, render.render_unit_summary(s, lang=lang))
            written["summaries"].append(path)
        ov = render.OrganisationOverview.from_summaries(summaries, organisation=org)
        path = out / "overview" / f"{key}.pdf"
        atomic_write(path, render.render_overview(ov, lang=lang))
        written["overviews"].append(path)
    for s in summaries_by[str(data.year)]:
        pub = render.PublicationList.from_summary(s, scores=True)
        stem = out / "publication" / f"{data.year}_{render.safe_filename(s.unit.id)}"
        atomic_write(stem.with_suffix(".pdf"), render.render_publication(pub, lang=lang))
        written["publications"].append(stem.with_suffix(".pdf"))
        written["publications"].append(write_table_csv(
            render.publication_frame(pub, lang), stem.with_suffix(".csv")))
    return {k: tuple(v) for k, v in written.items()}


def run_demo(
    out_dir: str | os.PathLike[str],
    *,
    lang: str = "vi",
    months: str = "last",
    render: bool = True,
    echo: Callable[[str], None] | None = None,
) -> DemoReport:
    """Classify the demo agency's year and write the tables and the documents.

    Writes ``results.csv`` (every staff-month, :data:`RESULT_COLUMNS`) and ``year.csv``
    (the annual classification, :data:`YEAR_COLUMNS`), UTF-8, atomically. With
    ``render`` (the default) it also writes, for the months chosen — ``months="last"``
    (December, the default), ``"all"`` (twelve months: slow) or one month such as
    ``"2026-03"`` —, one monthly sheet per person under ``sheets/`` and one summary per
    unit under ``units/``; and for the year one annual sheet per person (``sheets/2026_…``),
    the units' annual summaries, an organisation overview per period under
    ``overview/``, and one publication list per unit (PDF and CSV) under
    ``publication/``.

    All the files or none: they are written into a staged folder inside ``out_dir`` and
    moved in when the last is written (:func:`evalkit._files.staged_folder`, as ``evalkit
    render`` writes), so a failure half-way (a full disk, a PDF that cannot be made)
    leaves ``out_dir`` as it was, its earlier files included.

    Progress and the output location go to ``echo`` (default: standard error, so that a
    caller printing JSON on standard output stays clean).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     report = run_demo(d, render=False, echo=lambda line: None)
    ...     len(report.results), len(report.year), report.results_csv.name
    (372, 31, 'results.csv')
    """
    say = echo if echo is not None else (lambda line: print(line, file=sys.stderr))
    if lang not in ("vi", "en"):
        raise RenderError(f"language {lang!r} is not supported; expected 'vi' or 'en'")
    started = time.perf_counter()
    data = load_demo()
    chosen = _chosen(data, months)
    out = Path(out_dir)
    docs: dict[str, tuple[Path, ...]] = {}
    # all the run's files or none: written into a folder inside ``out`` and moved in when
    # the last is written (a failure half-way leaves ``out`` as it was)
    with staged_folder(out) as stage:
        r = classify_demo(data)
        table = _table(data, r.months, list(RESULT_COLUMNS), lang)
        year = _table(data, r.year, list(YEAR_COLUMNS), lang)
        _write_csv(table, stage / "results.csv")
        _write_csv(year, stage / "year.csv")
        if render:
            docs = {k: tuple(out / p.relative_to(stage) for p in v)
                    for k, v in _render(data, r, stage, chosen, lang).items()}
    results_csv, year_csv = out / "results.csv", out / "year.csv"
    seconds = time.perf_counter() - started
    say(text("cli.demo.tables", lang, months=len(table), year=len(year),
             agency=data.agency.full_name, results=results_csv, year_csv=year_csv))
    if render:
        say(text("cli.demo.documents", lang, sheets=len(docs["sheets"]),
                 annual=len(docs["period_sheets"]), summaries=len(docs["summaries"]),
                 overviews=len(docs["overviews"]), publications=len(docs["publications"]),
                 out=out))  # fmt: skip
    return DemoReport(
        out, results_csv, table, docs.get("sheets", ()), docs.get("summaries", ()), True,
        render, (), seconds, docs.get("overviews", ()), docs.get("period_sheets", ()),
        year, year_csv, docs.get("publications", ()),
    )  # fmt: skip
