"""The month's pipeline, above reading and the engine: read → check → classify → results.

``evalkit.io`` reads and writes; the engine (:mod:`evalkit.units`, :mod:`evalkit.scoring`)
scores and classifies. This module joins them the way the month end runs them — the
command line is a thin shell over it:

1. :func:`read` — the month's workbook or CSV, every problem located
   (:func:`evalkit.io.workbook.read_month`);
2. :func:`check` — what the workbook reader found, plus what the engine would refuse (a
   conclusion without its written reason …), each problem on its cell;
3. :func:`classify_input` — units first, the head capped at the unit, then the quota
   (where the rule set classifies the period), one row per person with the identity
   columns the sheets print (``full_name``, ``title_vi``, ``position_title``,
   ``unit_name``); or :func:`score_input` — totals and bands only, the rows marked
   ``classified_by_unit = False`` so that every sheet says so;
4. :func:`signatories` and :func:`agency` — who signs and the sheets' header, from the
   workbook's signatories sheet.

>>> import tempfile, pathlib
>>> from evalkit.io.workbook import write_template
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
>>> _ = write_template(path, "vn.nd335-2025", "2026-03")
>>> month = read(path)
>>> check(month)
[]
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _columns, _tables
from evalkit.errors import EvalkitError, InputError, InputProblem
from evalkit.io.workbook import (
    SCORES_SHEET,
    UNITS_SHEET,
    MonthInput,
    organisation_of,
    read_month,
    sorted_problems,
)
from evalkit.messages import msg, or_blank, problem
from evalkit.model import Organisation, Period, Position, id_key
from evalkit.rules import RuleSet, default_registry

__all__ = [
    "CLASSIFIED_BY_UNIT",
    "IDENTITY_COLUMNS",
    "agency",
    "check",
    "check_months",
    "checked",
    "checked_months",
    "classify_input",
    "classify_months",
    "counted_periods",
    "exceptional_notices",
    "no_one",
    "organisation",
    "quota_tie_notices",
    "read",
    "score_input",
    "score_months",
    "signatories",
    "typed_d_notices",
    "units_frame",
    "year_units",
]

#: The column that says whether a row was classified by unit (units first, head cap,
#: quota): False on rows only scored, so a sheet prints "chưa xếp loại theo đơn vị".
CLASSIFIED_BY_UNIT = "classified_by_unit"

#: Identity columns a results row carries for the sheets (CONTRACTS: identity for sheets),
#: with the direct manager who signs (name and chức vụ).
IDENTITY_COLUMNS = ("full_name", "title_vi", "position_title", "unit_name", "manager_name",
                    "manager_title", "position_title_en", "manager_title_en")

Progress = Callable[[int, "int | None"], None]


def read(
    path: str | os.PathLike[str],
    *,
    rules: RuleSet | str | None = None,
    period: Period | str | None = None,
    org: Organisation | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    jurisdiction: str | None = None,
) -> MonthInput:
    """Read a month's workbook or CSV (see :func:`evalkit.io.workbook.read_month`)."""
    return read_month(path, rules, period=period, org=org, progress=progress,
                      jurisdiction=jurisdiction)  # fmt: skip


def _org(org: Organisation | str | os.PathLike[str] | None) -> Organisation | None:
    if org is None or isinstance(org, Organisation):
        return org
    from evalkit.io.jsonio import read_json

    obj = read_json(org, Organisation)
    assert isinstance(obj, Organisation)
    return obj


def organisation(
    month: MonthInput, org: Organisation | str | os.PathLike[str] | None = None
) -> Organisation | None:
    """The organisation of the month: ``org`` when given, else the workbook's own sheets
    when they make one (units, positions and staff all named), else None."""
    given = _org(org)
    if given is not None:
        return given
    if month.units.empty or month.positions.empty:
        return None
    found, _problems = organisation_of(month)
    return found


def units_frame(
    month: MonthInput, org: Organisation | str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """The units input of the engine: the units sheet (task counts filled from the tasks
    sheet where blank), or the organisation's units; only the columns the engine reads.
    With ``org``, each unit's ``staff_total`` where not given: its rows in the month and
    its members in ``org`` without a row (the base of a quota counted on all staff)."""
    from evalkit.units import UNIT_FLAG_COLUMNS, UNIT_INPUT_COLUMNS

    units = month.units
    o = _org(org)
    if units.empty or "unit_id" not in units.columns:
        if o is None:
            return pd.DataFrame(columns=["unit_id", "parent_id", "head_id"])
        return _marked(_staff_totals(pd.DataFrame({"unit_id": [u.id for u in o.units],
                                                   "parent_id": [u.parent_id for u in o.units],
                                                   "head_id": [u.head_id for u in o.units]}),
                                     month.staff, o), o)  # fmt: skip
    keep = ["unit_id", "parent_id", "head_id", *UNIT_INPUT_COLUMNS, *UNIT_FLAG_COLUMNS]
    keep += ["name", "governing_body", "place"]  # who the unit is: the sheets print it
    keep += ["public_service_unit"]  # (NĐ 233/2026 Điều 12 k6 b: whose grade raises the quota)
    keep += [c for c in units.columns if isinstance(c, str) and c.startswith("body_")]
    for c in ("rule_set", "category"):  # the unit's own set, where any is named
        if c in units.columns and units[c].notna().any():
            keep.append(c)
    out = units[[c for c in keep if c in units.columns]].copy()
    if "council_score" in out.columns and "score" in out.columns:
        out = out.drop(columns=["score"])
    out = out.reset_index(drop=True)
    return out if o is None else _marked(_staff_totals(out, month.staff, o), o)


def unit_tree(org: Organisation | str | os.PathLike[str]) -> pd.DataFrame:
    """The organisation's unit tree: ``unit_id``, ``parent_id`` and ``public_service_unit``
    (NĐ 233/2026 Điều 7 k7, k8; Điều 12 k6 b), one row per unit, as the year reads a tree
    given beside its grades (:meth:`evalkit.io.archive.Archive.annual`, ``tree``)."""
    o = _org(org)
    assert o is not None
    return pd.DataFrame({"unit_id": pd.Series([u.id for u in o.units], dtype=object),
                         "parent_id": pd.Series([u.parent_id for u in o.units], dtype=object),
                         "public_service_unit": pd.Series(
                             [bool(u.public_service_unit) for u in o.units], dtype=bool)})


def _marked(units: pd.DataFrame, org: Organisation) -> pd.DataFrame:
    """``units`` with the organisation's ``public_service_unit`` marks where the units
    sheet marks no unit (no such column, or a sheet typed without the organisation: a blank
    cell reads as no) and the organisation marks any (none: as it is)."""
    marked = {id_key(u.id) for u in org.units if u.public_service_unit}
    if not marked or ("public_service_unit" in units.columns
                      and units["public_service_unit"].fillna(False).astype(bool).any()):
        return units
    return units.assign(public_service_unit=units["unit_id"].map(id_key).isin(marked).to_numpy())


def _staff_totals(units: pd.DataFrame, staff: pd.DataFrame, org: Organisation) -> pd.DataFrame:
    """``units`` with ``staff_total`` filled where blank: each unit's rows in ``staff`` and
    its members in ``org`` without a row there (Hà Nội QĐ 3814-QĐ/TU: the raised cap counts
    the unit's whole staff, "tổng số … của cơ quan, đơn vị")."""
    def ids(col: str) -> pd.Series:
        return (staff[col].astype(str).str.strip() if col in staff.columns
                else pd.Series(dtype=object))  # fmt: skip

    members = pd.DataFrame({"id": [s.id for s in org.staff],
                            "unit": [s.unit_id for s in org.staff]})  # fmt: skip
    absent = members.loc[~members["id"].isin(ids("staff_id")), "unit"].value_counts()
    count = ids("unit_id").value_counts().add(absent, fill_value=0)
    found = units["unit_id"].astype(str).str.strip().map(count).fillna(0).astype(np.int64)
    given = units["staff_total"] if "staff_total" in units.columns else None
    return units.assign(staff_total=found if given is None else given.where(given.notna(), found))


def _positions(month: MonthInput, org: Organisation | None) -> dict[str, Position] | None:
    if org is not None:
        return {p.id: p for p in org.positions}
    return None


def _members(org: Organisation | None) -> list[str]:
    """The organisation's staff ids, those with no row on the sheet included: a head among
    them absent from the month, or a manager, is absent, not unknown
    (``classify_frame(known_staff=)``)."""
    return [] if org is None else [s.id for s in org.staff]


def _identity(results: pd.DataFrame, month: MonthInput, org: Organisation | None) -> None:
    """Add ``position_title`` and ``unit_name`` (and names missing from the sheet)."""
    titles: dict[str, str] = {}
    titles_en: dict[str, str] = {}  # a position's English words, for an English sheet
    names: dict[str, str] = {}
    if org is not None:
        titles.update({p.id: p.title_vi for p in org.positions})
        titles_en.update({p.id: p.title_en for p in org.positions if p.title_en})
        names.update({u.id: u.name for u in org.units})
        people = {s.id: s for s in org.staff}
        if "full_name" not in results.columns or results["full_name"].isna().any():
            known = results["staff_id"].map(lambda i: people[i].full_name if i in people
                                            else None)  # fmt: skip
            results["full_name"] = (results["full_name"].fillna(known)
                                    if "full_name" in results.columns else known)
    pos = month.positions
    if not pos.empty and {"position_id", "title"} <= set(pos.columns):
        sub = pos.dropna(subset=["position_id", "title"])
        titles.update(dict(zip(sub["position_id"], sub["title"], strict=True)))
        if "title_en" in pos.columns:
            sub = pos.dropna(subset=["position_id", "title_en"])
            sub = sub[sub["title_en"].astype(str).str.strip() != ""]
            titles_en.update(dict(zip(sub["position_id"], sub["title_en"], strict=True)))
    units = month.units
    if not units.empty and {"unit_id", "name"} <= set(units.columns):
        sub = units.dropna(subset=["unit_id", "name"])
        names.update(dict(zip(sub["unit_id"], sub["name"], strict=True)))
    added: dict[str, Any] = {}
    for col, source, table in (("position_title", "position_id", titles),
                               ("unit_name", "unit_id", names),
                               ("position_title_en", "position_id", titles_en)):  # fmt: skip
        if source in results.columns and table:
            mapped = results[source].map(table).astype(object)
            added[col] = mapped.where(mapped.notna(), None)
    # the direct manager who signs the sheet: the engine's effective manager (the unit's
    # head when the typed one is absent), else the typed one
    manager = None
    for col in ("effective_manager_id", "manager_id"):
        if col in results.columns:
            ids = results[col].astype(object)
            manager = ids if manager is None else manager.where(manager.notna(), ids)
    if manager is not None and "staff_id" in results.columns:
        blank = pd.Series(None, index=results.index, dtype=object)
        own_title = results["title_vi"] if "title_vi" in results.columns else blank
        own = own_title.notna() & (own_title != "")
        title = own_title.astype(object).where(own, added.get("position_title", blank))
        # a typed chức vụ has no English words; a position's title has its title_en
        title_en = added.get("position_title_en", blank).astype(object).where(~own, None)
        who = pd.DataFrame({"name": results["full_name"] if "full_name" in results.columns
                            else blank, "title": title, "title_en": title_en})
        who.index = pd.Index(results["staff_id"].astype(object))
        if org is not None:
            listed = pd.DataFrame({"name": [x.full_name for x in org.staff],
                                   "title": [x.title_vi or titles.get(x.position_id, "")
                                             for x in org.staff],
                                   "title_en": [None if x.title_vi else
                                                titles_en.get(x.position_id)
                                                for x in org.staff]},
                                  index=pd.Index([x.id for x in org.staff]))  # fmt: skip
            who = pd.concat([who, listed[~listed.index.isin(who.index)]])
        who = who[~who.index.duplicated(keep="first") & who.index.notna()]
        for col, field in (("manager_name", "name"), ("manager_title", "title"),
                           ("manager_title_en", "title_en")):  # fmt: skip
            values = manager.map(who[field]).astype(object)
            if col == "manager_title_en" and not values.notna().any():
                continue  # no English words known: no column
            added[col] = values.where(values.notna(), None)
    for col, values in added.items():
        results[col] = values


def score_input(
    month: MonthInput | pd.DataFrame,
    *,
    rules: RuleSet | str | None = None,
    org: Organisation | str | os.PathLike[str] | None = None,
    force: bool = False,
    jurisdiction: str | None = None,
) -> pd.DataFrame:
    """Score a read month without classifying it (totals, bands, disqualifiers and the
    competent level's conclusions, as :func:`evalkit.score_frame` applies them).

    The rows carry ``classified_by_unit = False``: no unit was classified, no head
    capped, no quota applied, and a sheet rendered from them says so. The rule set is
    ``rules`` or the workbook's.

    A leader's management component, where the rule set computes it from the staff
    under the leader (NĐ 335/2025 Điều 15 k3), is the one :func:`evalkit.classify_frame`
    applies when the month has its units (its sheets or ``org``): the same d, total,
    ``mgmt_*`` columns and ``management.*`` reasons as classify. Without units nothing
    can be computed: ``attrs["management_unchecked"]`` lists the leaders whose typed d
    was kept as typed (a blank d is refused by :func:`evalkit.score_frame`).
    """
    from evalkit.scoring import score_frame

    frame = month.staff if isinstance(month, MonthInput) else month
    rs = rules if rules is not None else (
        month.rules if isinstance(month, MonthInput) else frame.attrs.get("rule_set"))
    management: pd.DataFrame | None = None
    unchecked: list[str] = []
    scoring = frame
    if isinstance(month, MonthInput):
        scoring, management, unchecked = _management(month, frame, rules, org, force, jurisdiction)
    scored = score_frame(scoring, rs, force=force, jurisdiction=jurisdiction)
    out = pd.concat([frame, scored.drop(columns=[c for c in scored.columns
                                                 if c in frame.columns])], axis=1)
    out.attrs.update(frame.attrs)
    if management is not None:
        for col in _MGMT_COLUMNS:
            if col in management.columns:
                out[col] = management[col]
        out["reasons"] = _with_codes(out["reasons"], management["reasons"])
    if isinstance(month, MonthInput):
        _identity(out, month, None)
        out.attrs.update({"rule_set": month.rules.id if month.rules else None,
                          "period": str(month.period) if month.period else None,
                          "file": month.file})  # the problems name it, as classify_input's
    if unchecked:
        out.attrs["management_unchecked"] = unchecked
    out[CLASSIFIED_BY_UNIT] = False
    return out


#: The management columns of :func:`evalkit.classify_frame` that ``score`` carries too.
_MGMT_COLUMNS = ("mgmt_value", "mgmt_typed", "mgmt_subordinates", "mgmt_below")


def _management(
    month: MonthInput, frame: pd.DataFrame, rules: RuleSet | str | None,
    org: Organisation | str | os.PathLike[str] | None, force: bool,
    jurisdiction: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame | None, list[str]]:  # fmt: skip
    """The leaders' management component as classify computes it (NĐ 335/2025 Điều 15
    k3: d from the scores of the staff under the leader, over the whole organisation,
    which the score of one person cannot give): :func:`evalkit.classify_frame` is run as
    :func:`classify_input` runs it (``rules`` the set named for everyone, else each row
    under the workbook's set and each unit under its own) and its applied d
    (``mgmt_value``) replaces each leader's d for scoring, typed or blank.

    Returns the frame to score, the engine's management columns with its
    ``management.*`` reason codes (None when the rule set computes no d or the month has
    no units), and the leaders whose d could not be checked (no units).
    """
    from evalkit.rules import resolve
    from evalkit.scoring import management_duty
    from evalkit.units import classify_frame

    rs = resolve(rules) if rules is not None else month.rules
    computed = rs.management.computed if rs is not None else None
    if rs is None or computed is None or frame.empty or "manages_others" not in frame.columns:
        return frame, None, []
    # the leaders: those marked and the heads of units (they hold a management post, NĐ
    # 335/2025 Điều 15), one rule with the engine's (evalkit.scoring.management_duty)
    is_head = (frame["is_head"].to_numpy(dtype=bool) if "is_head" in frame.columns
               else np.zeros(len(frame), dtype=bool))  # fmt: skip
    lead = management_duty(rs, frame["manages_others"].to_numpy(dtype=bool), is_head)
    if not lead.any():
        return frame, None, []
    o = _org(org)
    units = units_frame(month, o)
    if units.empty:  # no units: a typed d stays as typed, a blank one is refused
        return frame, None, frame["staff_id"].astype(str)[lead].tolist()
    # each unit under its own set, as classify_input grades it (issue 13: one answer)
    staff_results, _ = classify_frame(frame if rules is not None else _own_sets(month), units,
                                      rules, force=force, positions=_positions(month, o),
                                      jurisdiction=jurisdiction, known_staff=_members(o))  # fmt: skip
    if "mgmt_value" not in staff_results.columns:
        return frame, None, []
    value = staff_results["mgmt_value"].to_numpy(dtype=np.float64, na_value=np.nan)
    applied = lead & ~np.isnan(value)
    out = frame.copy()
    current = (out[computed].to_numpy(dtype=np.float64, na_value=np.nan)
               if computed in out.columns else np.full(len(out), np.nan))  # fmt: skip
    out[computed] = np.where(applied, value, current)
    management = staff_results[[c for c in _MGMT_COLUMNS if c in staff_results.columns]].copy()
    reasons = staff_results["reasons"].astype(object)
    only = {c: ";".join(x for x in str(c).split(";") if x.startswith("management."))
            for c in pd.unique(reasons.dropna())}  # fmt: skip
    management["reasons"] = reasons.map(only)
    return out, management, []


def _with_codes(reasons: pd.Series, extra: pd.Series) -> pd.Series:
    """``reasons`` with the codes of ``extra`` added, in the catalogue's order (the order
    :func:`evalkit.classify_frame` joins them in); computed once per distinct pair."""
    from evalkit.reasons import catalogue_order

    more = extra.reindex(reasons.index).fillna("").astype(str)
    has = (more != "").to_numpy()
    if not has.any():
        return reasons
    base = reasons.astype(object).where(reasons.notna(), "").astype(str)
    pairs = pd.MultiIndex.from_arrays([base[has], more[has]])
    inverse, uniq = pd.factorize(pairs)
    texts = np.array([";".join(sorted(dict.fromkeys(c for c in f"{a};{b}".split(";") if c),
                                      key=catalogue_order)) for a, b in uniq], dtype=object)
    out = reasons.astype(object).copy()
    out[has] = texts[inverse]
    return out.astype("category") if isinstance(reasons.dtype, pd.CategoricalDtype) else out


def classify_input(
    month: MonthInput,
    *,
    org: Organisation | str | os.PathLike[str] | None = None,
    rules: RuleSet | str | None = None,
    force: bool = False,
    jurisdiction: str | None = None,
) -> pd.DataFrame:
    """Score and classify a read month: units first, the head capped at the unit, the
    management component from subordinates, then the quota (:func:`evalkit.classify_frame`).

    Returns one row per person: the workbook's columns (identity, each level's scores,
    comments, proposed grades, the conclusion, the facts), the engine's columns, and
    ``position_title``, ``unit_name`` and ``classified_by_unit = True``. ``attrs`` holds
    the unit results (``units``), the units input (``unit_inputs``), the rule set and the
    period. ``jurisdiction`` (``'vn.hanoi'``): where a row or a unit names no set, the one
    in force for its category there (:func:`evalkit.classify_frame`).
    """
    from evalkit.units import classify_frame

    o = _org(org)
    staff = month.staff
    units = units_frame(month, o)
    if units.empty and len(staff):  # a CSV of scores alone: units come before individuals
        raise InputError([problem(msg("problem.classify_needs_units"), file=month.file)])
    # a set named here applies to every row and unit; else each row is under the workbook's
    # set and each unit under its own, as classify_months and classify_frame grade them
    staff_results, unit_results = classify_frame(
        staff if rules is not None else _own_sets(month), units, rules, force=force,
        positions=_positions(month, o), jurisdiction=jurisdiction,
        known_staff=_members(o))  # fmt: skip
    extra = [c for c in staff_results.columns if c not in staff.columns or c == "is_head"]
    out: pd.DataFrame = pd.concat(
        [staff.drop(columns=["is_head"], errors="ignore"), staff_results[extra]], axis=1
    )
    _identity(out, month, o)
    out[CLASSIFIED_BY_UNIT] = True
    out.attrs.update({
        "rule_set": month.rules.id if month.rules else None,
        "period": str(month.period) if month.period else None,
        "units": _tables.Table(unit_results), "unit_inputs": _tables.Table(units),
        "file": month.file,
        "rule_sets": {**(unit_results.attrs.get("rule_sets") or {}),
                      **(staff_results.attrs.get("rule_sets") or {})},
    })  # fmt: skip
    return out


def _where(p: InputProblem, month: MonthInput) -> InputProblem:
    """An engine problem moved onto its cell of the workbook (the engine numbers rows by
    position; the staff id names the row), a yes/no cell of the units sheet with its value as
    typed (``x``, not ``True``: :attr:`~evalkit.io.workbook.MonthInput.typed`)."""
    import attrs

    staff = month.staff
    sheet, row = SCORES_SHEET, p.row
    if p.staff_id is not None and "staff_id" in staff.columns:
        hit = staff.index[(staff["staff_id"] == p.staff_id).to_numpy(dtype=bool)]
        row = int(hit[0]) if len(hit) else p.row
    elif p.column is not None and p.column in month.units.columns and isinstance(p.row, int):
        sheet = UNITS_SHEET
        if 0 <= p.row < len(month.units):
            row = int(month.units.index[p.row])
    elif isinstance(p.row, int) and 0 <= p.row < len(staff):
        row = int(staff.index[p.row])
    if month.file.lower().endswith((".csv", ".txt")):
        sheet = None  # type: ignore[assignment]
    value = month.typed.get((row, p.column), p.value) if sheet == UNITS_SHEET and \
        isinstance(row, int) and p.column is not None else p.value  # a yes/no as typed: x
    return attrs.evolve(p, file=month.file, sheet=sheet, row=row, value=value)


def check(
    month: MonthInput,
    *,
    org: Organisation | str | os.PathLike[str] | None = None,
    force: bool = False,
    classify: bool = True,
) -> list[InputProblem]:
    """Every problem of the month: the reader's, and what the engine refuses when it
    scores and classifies (``classify=False``: scores only) — of the rows the reader found
    no problem on, where its problems are all on rows of the score sheet (:func:`_beside`)
    — each on its cell, sorted by sheet and row. An empty list means ``classify_input``
    (or ``score_input``) succeeds (:func:`checked_months` of the one month).
    """
    return checked_months([month], org=org, force=force, classify=classify)[0]


def checked(
    results: pd.DataFrame,
    *,
    org: Organisation | str | os.PathLike[str] | None = None,
    months: pd.DataFrame | None = None,
    unit_results: pd.DataFrame | None = None,
    conclusions: pd.DataFrame | None = None,
    force: bool = False,
) -> pd.DataFrame:
    """``results`` read back from a results file (:func:`evalkit.io.results.read_results`),
    once :func:`evalkit.io.archive.results_file_problems` finds nothing ``evalkit finalize``
    would refuse (a total and its grades raised together by hand are not what the engine
    gives; rows marked classified by unit whose unit's inputs the file lacks; a leader's
    applied management component d the unit inputs do not give), marked so that
    :func:`evalkit.render.sheets_from_results` prints them; else an
    :class:`~evalkit.errors.InputError` with every problem. The one check of ``evalkit
    render`` and of the library. Results the engine gave, never written to a file, are
    returned as they are. ``org`` gives the positions a leader's component is checked on.

    A year's (or a quarter's) results read back (``evalkit annual --out``) are checked
    against the ``months`` they were classified from (with their ``unit_results`` and the
    competent level's annual ``conclusions``, as :func:`evalkit.classify_year` takes
    them): the year is classified again from them by the one engine and each person's
    ``annual_total`` / ``annual_grade`` (and ``total`` / ``grade``) must be what it gives;
    a difference is refused naming the staff id, the column, the value and the computed
    value. Months read back are checked first. Without ``months`` a year read back is
    refused: nothing it says can be re-derived.

    Each row read back carries its file's name (:data:`evalkit._tables.READ_BACK`, which
    :func:`pandas.concat` keeps, unlike ``attrs``) until checked: the checked frame has
    none. Check each file's results, then join them; rows of files joined before they were
    checked are refused here, and by the sheets, naming the files."""
    files = _tables.read_back(results)
    if not files and (results.attrs.get("results_file") is None
                      or results.attrs.get("checked")):  # fmt: skip
        return results
    if files and files != [results.attrs.get("results_file")]:  # files joined, unchecked
        raise InputError([problem(msg("workflow.joined_unchecked"), file=f) for f in files])
    o = _org(org)
    if _rolled_up(results):
        found = _year_problems(results, months, unit_results, conclusions, o, force)
    else:  # (the records at their places in the file: evalkit._tables.RECORD)
        from evalkit.io.archive import results_file_problems

        custom = list((results.attrs.get("rule_sets") or {}).values())
        found = results_file_problems(results, rules=custom[0] if len(custom) == 1 else None,
                                      positions={p.id: p for p in o.positions} if o else None)
    if found:
        raise InputError(found)
    results = _tables.without_mark(results)
    out = results.copy(deep=False)
    out.attrs = {**results.attrs, "checked": True}
    return out


def _rolled_up(results: pd.DataFrame) -> bool:
    """Whether results read back are a year's (or a quarter's) rolled up from months
    (``evalkit annual --out``: a year, or ``annual_total`` / ``annual_grade`` columns),
    not a period evaluated as a month is (a quarter under a quarterly rule set)."""
    return _period_kind(results) == "year" or bool(
        {"annual_total", "annual_grade"} & set(map(str, results.columns)))


def _period_kind(results: pd.DataFrame) -> str | None:
    """The kind of period (``month``, ``quarter``, ``year``) a results document says it
    holds (``attrs["period"]``), else None."""
    said = results.attrs.get("period")
    try:
        return Period.parse(str(said)).kind if said else None
    except (EvalkitError, ValueError):
        return None


def _year_problems(year: pd.DataFrame, months: pd.DataFrame | None,
                   unit_results: pd.DataFrame | None, conclusions: pd.DataFrame | None,
                   org: Organisation | None, force: bool) -> list[InputProblem]:  # fmt: skip
    """Why a year's (or quarter's) results read back differ from what
    :func:`evalkit.classify_year` gives for ``months``: one problem per person and column
    (``annual_total``, ``annual_grade``, ``total``, ``grade``), a person of the file with
    no month given, or no months at all."""
    from evalkit import _ids
    from evalkit.units import classify_year

    file = str(year.attrs.get("file") or year.attrs.get("results_file"))
    per = str(year.attrs.get("period"))
    if months is None or not len(months):
        return [problem(msg("workflow.year_needs_months", period=per), file=file)]
    months = checked(months, org=org, force=force)  # a month read back: checked first
    units = unit_results if unit_results is not None else _tables.table(months, "units")
    derived = classify_year(months, units, None, conclusions=conclusions,
                            to="quarter" if _period_kind(year) == "quarter" else "year",
                            force=force)  # fmt: skip
    key = pd.MultiIndex.from_arrays([_ids.normal_id_column(derived["staff_id"]).astype(str),
                                     derived["period"].astype(str)])  # fmt: skip
    at = key.get_indexer(pd.MultiIndex.from_arrays([
        _ids.normal_id_column(year["staff_id"]).astype(str),
        (year["period"].astype(str) if "period" in year.columns
         else pd.Series(per, index=year.index))]))  # fmt: skip
    # a record of the file at its place in it (evalkit._tables.RECORD), as its reader says
    rows = year[_tables.RECORD].to_numpy() if _tables.RECORD in year.columns else year.index
    found: list[InputProblem] = []
    for i in map(int, np.flatnonzero(at < 0)):
        sid = year["staff_id"].iloc[i]
        found.append(problem(msg("workflow.year_no_months", staff=sid, period=per),
                             file=file, row=_plain_row(rows[i], i), column="staff_id",
                             value=sid, staff_id=str(sid)))  # fmt: skip
    sets = sorted({str(r) for r in derived["rule_set"].dropna()}) \
        if "rule_set" in derived.columns else []  # fmt: skip
    words = ", ".join(sets)
    hit = np.flatnonzero(at >= 0)
    for col, theirs in (("annual_total", "total"), ("annual_grade", "grade"),
                        ("total", "total"), ("grade", "grade")):  # fmt: skip
        if col not in year.columns or theirs not in derived.columns:
            continue
        a = year[col].astype(object).to_numpy(dtype=object)[hit]
        b = derived[theirs].astype(object).to_numpy(dtype=object)[at[hit]]
        if theirs == "total":
            x = pd.to_numeric(pd.Series(a), errors="coerce").to_numpy(np.float64, na_value=np.nan)
            y = pd.to_numeric(pd.Series(b), errors="coerce").to_numpy(np.float64, na_value=np.nan)
            same = (np.abs(x - y) <= 1e-9) | (np.isnan(x) & np.isnan(y))
        else:
            blank_a, blank_b = pd.isna(pd.Series(a)).to_numpy(), pd.isna(pd.Series(b)).to_numpy()
            same = (blank_a & blank_b) | (~blank_a & ~blank_b & (
                pd.Series(a).astype(str).to_numpy() == pd.Series(b).astype(str).to_numpy()))
        for k in map(int, np.flatnonzero(~same)):
            i = int(hit[k])
            sid = year["staff_id"].iloc[i]
            value, computed = _cell(a[k]), _cell(b[k])
            found.append(problem(msg(
                "archive.check.not_following", staff=sid, what=msg(f"workflow.year_col.{col}"),
                value=or_blank(value), derived=or_blank(computed), rules=words,
                inputs=msg("workflow.year_inputs")), file=file, row=_plain_row(rows[i], i),
                column=col, value=value, staff_id=str(sid)))  # fmt: skip
    return found


def _plain_row(label: Any, position: int) -> int:
    """A row's label as the problems number it (its ``row`` in the file, else its place)."""
    return int(label) if isinstance(label, int | np.integer) else position


def _cell(v: Any) -> Any:
    """A value as a problem says it: a number as a float, a grade as its code, a blank None."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool):
        return float(v)
    return str(v)


def _beside(found: list[InputProblem], months: Sequence[MonthInput],
            engine: Callable[[list[MonthInput]], list[InputProblem]]) -> list[InputProblem]:
    """The reader's problems ``found`` in ``months``, and what the ``engine`` refuses of the
    rows they leave: where every problem is on a row of a score sheet, the engine runs on
    the other rows, so that every problem is listed at once (a conclusion without its reason
    on one row beside text in a number cell on another). What it says of a row left out, or
    of a person on one (an unknown head or manager), is not said; any other problem (a sheet,
    a header, a unit, a period) stops there, as the engine needs what it names."""
    import attrs

    # (a CSV of several staff groups is several months of one file: each its own rows)
    bad: list[set[int]] = [set() for _m in months]
    for p in found:
        k = next((k for k, m in enumerate(months) if m.file == p.file and m.rules is not None
                  and isinstance(p.row, int) and p.row in m.staff.index), None)  # fmt: skip
        if k is None or p.sheet not in (SCORES_SHEET, None):
            return found
        bad[k].add(int(p.row))  # type: ignore[arg-type]
    left = [attrs.evolve(m, staff=m.staff.drop(index=sorted(b)), problems=[])
            for m, b in zip(months, bad, strict=True)]  # fmt: skip
    if all(m.staff.empty for m in left):
        return found
    out = {str(v) for m, b in zip(months, bad, strict=True) if "staff_id" in m.staff.columns
           for v in m.staff.loc[sorted(b), "staff_id"].dropna()}  # fmt: skip
    said = {(m.file, r) for m, b in zip(months, bad, strict=True) for r in b}
    more = [p for p in engine(left)
            if (p.file, p.row) not in said and not {str(p.staff_id), str(p.value)} & out]
    # one workbook: its problems by sheet and row; several: each file's problems as found
    return sorted_problems([*found, *more]) if len(months) == 1 else [*found, *more]


def _own_sets(month: MonthInput) -> pd.DataFrame:
    """A workbook's staff rows each under the workbook's rule set (``rule_set``, where the
    rows name none), a rule file's set (not registered) in ``attrs["rule_sets"]``: the
    engine's input without a set named for everyone, so each unit is graded under its own
    (its ``category``'s set in force, its people's, its tree's — a Sở of công chức over the
    hospitals of a viên chức workbook), as :func:`evalkit.classify_frame` grades it."""
    rs = month.rules
    staff = month.staff.assign(**({"rule_set": rs.id} if rs is not None and "rule_set" not in
                                  month.staff.columns else {}))  # (a copy: attrs its own)
    staff.attrs["rule_sets"] = {rs.id: rs} if rs is not None and \
        rs.id not in default_registry() else {}  # fmt: skip
    return staff


def _together(months: Sequence[MonthInput]) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    """The staff rows of several workbooks of one month in one frame (each row under its
    workbook's rule set, ``rule_set``) and, for each row, which workbook it comes from."""
    parts = [_own_sets(m).reset_index(drop=True) for m in months]
    staff = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    # a rule file's set (not registered) is found by the rows that name it
    staff.attrs["rule_sets"] = {k: v for p in parts for k, v in p.attrs["rule_sets"].items()}
    which = np.repeat(np.arange(len(months)), [len(m.staff) for m in months])
    return staff, which


def _where_of(p: InputProblem, months: Sequence[MonthInput],
              which: npt.NDArray[np.int64]) -> InputProblem:  # fmt: skip
    """An engine problem of several workbooks' rows moved onto its workbook's cell: the
    workbook that has the staff id, else the one of the row's position (units: the first)."""
    import attrs

    if p.staff_id is not None:
        for m in months:
            if "staff_id" in m.staff.columns and (m.staff["staff_id"] == p.staff_id).any():
                return _where(p, m)
    if isinstance(p.row, int) and 0 <= p.row < len(which) and not (
            p.column is not None and p.column in months[0].units.columns):  # fmt: skip
        k = int(which[p.row])
        local = p.row - int(np.flatnonzero(which == k)[0])
        return _where(attrs.evolve(p, row=local), months[k])
    return _where(p, months[0])


#: A workbook's problems that name a person not on its own staff sheet: one on another
#: workbook's sheet of the same month is no problem (a head of công chức and viên chức).
_ELSEWHERE = frozenset({"problem.unknown_head", "problem.unknown_manager",
                        "problem.signatory_staff"})
#: A later workbook's problems that name a unit not on its own units sheet: the month's
#: units are the first workbook's, so a unit on the first one's sheet is no problem.
_UNITS_ELSEWHERE = frozenset({"problem.unknown_unit", "problem.unit_unknown_empty_sheet"})


def month_problems(months: Sequence[MonthInput]) -> list[InputProblem]:
    """Every problem the reader found in several workbooks of one month, less a person
    named in one workbook who is on another's staff sheet (:data:`_ELSEWHERE`) and a unit a
    later workbook names that is on the first one's units sheet (:data:`_UNITS_ELSEWHERE`:
    the month's units are the first's; a later units sheet may be left blank), and the
    workbooks of another period than the first's (:func:`period_problems`)."""
    if len(months) == 1:
        return list(months[0].problems)
    staff = {str(i) for m in months if "staff_id" in m.staff.columns
             for i in m.staff["staff_id"].dropna()}  # fmt: skip
    first = months[0].units
    units = ({str(i) for i in first["unit_id"].dropna()} if "unit_id" in first.columns
             else set())  # fmt: skip
    found = []
    for i, m in enumerate(months):
        for p in m.problems:
            said = getattr(p, "msg", None)
            if said is not None and ((said.key in _ELSEWHERE and str(p.value) in staff) or (
                    i and said.key in _UNITS_ELSEWHERE and str(p.value) in units)):
                continue
            found.append(p)
    return found + period_problems(months) + units_problems(months) + staff_problems(months)


def no_one(months: Sequence[MonthInput]) -> list[InputProblem]:
    """A month whose score sheets (or CSV files) hold no person at all: one problem, at
    the first row a person goes on (row 2). The command line says it where it would
    otherwise say "0 rows, no problems", write an empty results file, or finalize — and
    seal — a month with nobody in it; :func:`check` of an empty template stays empty
    (the engine has nothing to refuse).

    >>> import tempfile, pathlib
    >>> from evalkit.io.workbook import read_month, write_template
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> _ = write_template(path, "vn.nd335-2025", "2026-03")
    >>> [(p.sheet, p.row, p.column) for p in no_one([read_month(path)])]
    [('Nhân sự - Điểm', 2, 'staff_id')]
    """
    if not months or any("staff_id" in m.staff.columns and m.staff["staff_id"].notna().any()
                         for m in months):  # fmt: skip
        return []
    first = months[0]
    sheet = SCORES_SHEET if SCORES_SHEET in first.sheets else None
    said = (msg("problem.no_one_sheet", sheet=SCORES_SHEET) if sheet is not None
            else msg("problem.no_one_csv"))  # fmt: skip
    return [problem(said, file=first.file, sheet=sheet, row=2, column="staff_id")]


def staff_problems(months: Sequence[MonthInput]) -> list[InputProblem]:
    """Several workbooks of one month: a person on more than one of them (their ids read
    as every door reads them, :func:`evalkit._ids.normal_id_column`) is said on each
    workbook's cell, naming the other file and row — with the cells' problems, never
    later by the engine with the rows' positions in the joined frame."""
    from evalkit._ids import normal_id_column

    seen: dict[Any, tuple[str, Any]] = {}
    first: dict[Any, tuple[int, Any, Any]] = {}
    found: list[InputProblem] = []
    for m in months:
        if m.staff.empty or "staff_id" not in m.staff.columns:
            continue
        ids = normal_id_column(m.staff["staff_id"])
        mine: set[Any] = set()
        for row, key, typed in zip(m.staff.index, ids, m.staff["staff_id"], strict=True):
            if key is None or (not isinstance(key, str) and pd.isna(key)) or key in mine:
                continue  # a blank, or a duplicate inside one file: its reader says it
            mine.add(key)
            if key in seen:
                file, other = seen[key]
                found.append(problem(_duplicate(file, other, m.file), file=m.file,
                                     sheet=_scores_sheet(m.file), row=int(row),
                                     column="staff_id", value=typed, staff_id=str(key)))
                at, orow, otyped = first[key]
                if at >= 0:  # the first one's cell too, once
                    found.append(problem(_duplicate(m.file, row, file), file=file,
                                         sheet=_scores_sheet(file), row=int(orow),
                                         column="staff_id", value=otyped,
                                         staff_id=str(key)))  # fmt: skip
                    first[key] = (-1, orow, otyped)
            else:
                seen[key] = (m.file, row)
                first[key] = (0, row, typed)
    return found


def _scores_sheet(file: Any) -> str | None:
    """The score sheet of ``file`` a problem names: none in a CSV (it has no sheets)."""
    return None if os.path.splitext(str(file))[1].lower() in (".csv", ".txt") else SCORES_SHEET


def _duplicate(other_file: Any, other_row: Any, file: Any) -> Any:
    """What a person's second row says of the first: in another file, that file and row;
    in the same file (a CSV read as a month per staff group, :func:`read_months`), its
    row, as the file's reader says a duplicate inside one file."""
    if other_file == file:
        return msg("problem.duplicate_id", other=other_row)
    return msg("problem.duplicate_id_file", file=other_file, other=other_row)


def units_problems(months: Sequence[MonthInput]) -> list[InputProblem]:
    """Several workbooks of one month classify their units once, from the first one's units
    sheet: a later sheet that gives a unit of the first another value (a parent, a head, a
    task count; a blank or an unticked box gives none) is refused on its cell, naming the
    first file — never silently dropped, nor the month's result left to the files' order."""
    first = months[0].units
    if first.empty or "unit_id" not in first.columns:
        return []
    ref = first.drop_duplicates("unit_id").set_index("unit_id")
    found: list[InputProblem] = []
    for m in months[1:]:
        u = m.units
        if u.empty or "unit_id" not in u.columns:
            continue
        at = ref.index.get_indexer(pd.Index(u["unit_id"]))
        for c in [c for c in u.columns if c != "unit_id"]:
            mine = u[c].astype(object)
            theirs = pd.Series(ref[c].to_numpy(dtype=object)[at] if c in ref.columns
                               else None, index=u.index, dtype=object)  # fmt: skip
            given = (at >= 0) & (mine.notna() & (mine != False)).to_numpy(bool)  # noqa: E712
            a, b = (pd.to_numeric(x, errors="coerce").to_numpy(float) for x in (mine, theirs))
            same = np.isclose(a, b) | (mine.astype(str) == theirs.astype(str)).to_numpy(bool)
            for row in u.index[given & ~same]:  # the few that differ (an unticked box: none)
                found.append(problem(msg(
                    "problem.units_differ", unit=u["unit_id"][row], column=c,
                    value=_said(mine[row]), theirs=_said(theirs[row]),
                    first=months[0].file), file=m.file, sheet=UNITS_SHEET, row=int(row),
                    column=c, value=mine[row]))  # fmt: skip
    return found


def _said(v: Any) -> Any:
    """A cell's value in a sentence: text quoted, a whole number without '.0', a blank said."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return msg("word.blank")
    return int(v) if isinstance(v, float) and v.is_integer() else repr(v)


def period_problems(months: Sequence[MonthInput]) -> list[InputProblem]:
    """Several workbooks taken as one month: a workbook of another period than the first
    one's is refused, naming both files and periods."""
    first = next((m for m in months if m.period is not None), None)
    if first is None:
        return []
    return [problem(msg("problem.months_period", file=m.file, found=str(m.period),
                        period=str(first.period), first=first.file), file=m.file,
                    value=str(m.period))
            for m in months if m.period is not None and m.period != first.period]


def classify_months(
    months: Sequence[MonthInput],
    *,
    org: Organisation | str | os.PathLike[str] | None = None,
    force: bool = False,
    jurisdiction: str | None = None,
) -> pd.DataFrame:
    """Score and classify several workbooks of one month as one month — the per-group
    workbooks ``evalkit template --org`` writes (công chức, viên chức …): their rows
    together, each under its workbook's rule set, the units (the first workbook's units
    sheet, or ``org``'s) classified once, one engine run (:func:`classify_input` for one
    workbook). The engine's problems are located on their workbook's cells
    (:func:`check_months`)."""
    if len(months) == 1:
        return classify_input(months[0], org=org, force=force, jurisdiction=jurisdiction)
    from evalkit.units import classify_frame

    if found := units_problems(months):  # the first file's units, never silently
        raise InputError(found)
    o = _org(org)
    staff, _which = _together(months)
    units = units_frame(months[0], o)
    if units.empty and len(staff):
        raise InputError([problem(msg("problem.classify_needs_units"),
                                  file=months[0].file)])  # fmt: skip
    staff_results, unit_results = classify_frame(staff, units, None, force=force,
                                                 positions=_positions(months[0], o),
                                                 jurisdiction=jurisdiction,
                                                 known_staff=_members(o))  # fmt: skip
    extra = [c for c in staff_results.columns if c not in staff.columns or c == "is_head"]
    out: pd.DataFrame = pd.concat(
        [staff.drop(columns=["is_head"], errors="ignore"), staff_results[extra]], axis=1
    )
    import attrs

    every = [m.positions for m in months if not m.positions.empty]  # each group's sheet
    _identity(out, attrs.evolve(months[0], positions=pd.concat(every, ignore_index=True)
                                if every else months[0].positions), o)  # fmt: skip
    out[CLASSIFIED_BY_UNIT] = True
    ids = sorted({m.rules.id for m in months if m.rules is not None})
    out.attrs.update({
        "rule_set": ids[0] if len(ids) == 1 else None,
        "period": str(months[0].period) if months[0].period else None,
        "units": _tables.Table(unit_results), "unit_inputs": _tables.Table(units),
        "file": ", ".join(m.file for m in months),
        "rule_sets": {**(unit_results.attrs.get("rule_sets") or {}),
                      **(staff_results.attrs.get("rule_sets") or {})},
    })  # fmt: skip
    return out


def score_months(
    months: Sequence[MonthInput],
    *,
    org: Organisation | str | os.PathLike[str] | None = None,
    force: bool = False,
    jurisdiction: str | None = None,
) -> pd.DataFrame:
    """Score several workbooks of one month without classifying them (:func:`score_input`
    of each, the rows together)."""
    if len(months) == 1:
        return score_input(months[0], org=org, force=force, jurisdiction=jurisdiction)
    parts = [score_input(m, rules=m.rules, org=org, force=force,
                         jurisdiction=jurisdiction).reset_index(drop=True)
             for m in months]  # fmt: skip
    out = pd.concat(parts, ignore_index=True)
    out.attrs.update({"rule_set": None, "period": parts[0].attrs.get("period"),
                      "file": ", ".join(m.file for m in months)})  # fmt: skip
    return out


def check_months(
    months: Sequence[MonthInput],
    *,
    org: Organisation | str | os.PathLike[str] | None = None,
    force: bool = False,
    classify: bool = True,
) -> list[InputProblem]:
    """:func:`check` of several workbooks of one month: every reader problem of every
    workbook and the periods that differ, and what the engine refuses when it scores and
    classifies them together (of the rows without a problem: :func:`_beside`), each on
    its workbook's cell."""
    return checked_months(months, org=org, force=force, classify=classify)[0]


def checked_months(
    months: Sequence[MonthInput],
    *,
    org: Organisation | str | os.PathLike[str] | None = None,
    force: bool = False,
    classify: bool = True,
    jurisdiction: str | None = None,
) -> tuple[list[InputProblem], pd.DataFrame | None]:
    """:func:`check_months`'s problems and, where there are none, the results of the run
    that found none (:func:`classify_months`, or :func:`score_months` with
    ``classify=False``; None where nothing ran to the end: a problem, no rule set, or
    nobody), so what a valid month will be told is said without running it twice
    (:func:`typed_d_notices`)."""
    one = months[0] if len(months) == 1 else None
    found = list(one.problems) if one is not None else month_problems(months)
    if found:
        return _beside(found, months, lambda left: checked_months(
            left, org=org, force=force, classify=classify, jurisdiction=jurisdiction)[0]), None
    if any(m.rules is None for m in months) or all(m.staff.empty for m in months):
        return [], None
    try:
        if classify:
            return [], classify_months(months, org=org, force=force, jurisdiction=jurisdiction)
        return [], (score_input(one, force=force, jurisdiction=jurisdiction) if one is not None
                    else score_months(months, org=org, force=force, jurisdiction=jurisdiction))
    except InputError as exc:
        if one is not None:
            return sorted_problems(_where(p, one) for p in exc.problems), None
        which = _together(months)[1]
        return sorted_problems(_where_of(p, months, which) for p in exc.problems), None


def typed_d_notices(results: pd.DataFrame, lang: str = "vi") -> list[str]:
    """One line per leader whose typed management component (d) differs from the one the
    engine computes from the scores of the staff under them (``management.d_typed``: both
    are said, the computed one counts; NĐ 335/2025 Điều 15 k3): the staff id, the name
    where the results have it, and the catalogue's sentence with its citation."""
    from evalkit.reasons import explain

    code = "management.d_typed"
    hit = _with_code(results, code)
    if not hit.any():
        return []
    rows = results[hit].assign(reasons=code)
    said = explain(rows, lang=lang)
    names = rows["full_name"] if "full_name" in rows.columns else [None] * len(rows)
    return [msg("cli.validate.d_typed", staff=str(sid) if _value(name) == "" else
                f"{sid} ({_value(name)})", sentence=sentences[-1]).text(lang)
            for sid, name, sentences in zip(rows["staff_id"], names, said, strict=True)]


def _notice_frames(results: pd.DataFrame | Mapping[str, Any] | Sequence[Any],
                   units: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The staff results and unit results the notices read: a results frame and its units
    (``units``; by default those it carries, :func:`evalkit.io.results.units_of`), or the
    :class:`evalkit.UnitClassification` objects (a mapping or a sequence) as the frames'
    columns — each quota candidate with its group (``quota_group``) and its place in the
    group's order (``quota_rank``), as :func:`evalkit.classify_frame` numbers them."""
    if isinstance(results, pd.DataFrame):
        # the tie-break keys a frame keeps beside its columns for its tied candidates only
        # (the archive's year, evalkit.io.archive.Archive.annual), as its columns
        tied = _tables.table(results, "tie_inputs")
        if tied is not None and "staff_id" in results.columns:
            at = pd.Index(tied["staff_id"].astype(str)).get_indexer(
                pd.Index(results["staff_id"].astype(str)))
            results = results.assign(**{c: np.append(pd.to_numeric(
                tied[c], errors="coerce").to_numpy(np.float64), np.nan)[at]
                for c in tied.columns if c not in results.columns})  # fmt: skip
        return results, _tables.table(results, "units") if units is None else units
    ucs = list(results.values() if isinstance(results, Mapping) else results)
    cols = ["unit_id", "period", "rule_set"]
    units = pd.DataFrame([(u.unit.unit_id, str(u.unit.period), u.unit.rule_set_id,
                           u.unit.exceptional) for u in ucs], columns=[*cols, "exceptional"])
    place = {(n, sid): (g, i + 1) for g, (n, q) in enumerate(
        (n, q) for n, u in enumerate(ucs) for q in u.quotas) for i, sid in enumerate(q.candidates)}
    staff = pd.DataFrame([
        {"staff_id": r.staff_id, "unit_id": u.unit.unit_id, "period": str(r.period),
         "rule_set": r.rule_set_id, "category": r.category, "duty_group": r.duty_group,
         "total": r.total, "reasons": ";".join(r.reason_codes()),
         **dict(zip(("quota_group", "quota_rank"), place.get((n, r.staff_id), (-1, 0)),
                    strict=True)),
         **{f"points_{k}": v for k, v in r.components.items()}, **r.tie_inputs}
        for n, u in enumerate(ucs) for r in u.staff])  # fmt: skip
    return staff if len(staff) else pd.DataFrame(columns=cols), units


def exceptional_notices(results: pd.DataFrame | Mapping[str, Any] | Sequence[Any],
                        lang: str = "vi", *, units: pd.DataFrame | None = None) -> list[str]:
    """One line per unit and period marked ``exceptional`` (recognised by the competent
    level as especially outstanding) under a rule set whose year reads the mark
    (:meth:`evalkit.rules.RuleSet.unit_flags_read`) but that classifies neither the period
    nor, for a month, its quarter — NĐ 335/2025's months, whose quota is the year's (Điều 20
    k5 a–b): the mark raises the quota of none of the unit's people under that set, the
    year's neither (the year reads a row for the year), so the line says where the year's
    recognition goes. Not an error: the workbook is read as it is (the ``validate``,
    ``classify``, ``finalize`` and ``render`` commands say the lines on stderr, as
    ``"notices"`` with ``--json``, beside :func:`quota_tie_notices`). The sets are the unit's
    own and its people's in the period (the quota is theirs: a unit of Hà Nội viên chức and
    NĐ 335 công chức is said of NĐ 335); Hà Nội's months and customs quarters, classified,
    say nothing.

    ``results``: a staff results frame with its unit results (``units``; by default those
    it carries, :func:`evalkit.io.results.units_of`: the CLI's classification), as
    :func:`evalkit.classify_frame` returns them, or the :class:`evalkit.UnitClassification`
    of :func:`evalkit.classify_organisation` (its mapping, or a sequence)."""
    from evalkit._classify.common import found_set

    cols = ["unit_id", "period", "rule_set"]
    staff, units = _notice_frames(results, units)
    if units is None or "exceptional" not in units.columns or not len(units):
        return []
    marked = units[_columns.booleans(units, "exceptional", _columns.Problems(units))]
    if not len(marked):  # (most months: nothing to read in the staff rows)
        return []
    # (new frames: the results' ``attrs`` hold what pandas cannot compare when it joins)
    own, people = (pd.DataFrame({c: f[c].astype(str).to_numpy() if c in f.columns else ""
                                 for c in cols}, index=range(len(f))) for f in (marked, staff))
    own["order"] = np.arange(len(own))
    people = people.merge(own[[*cols[:2], "order"]].drop_duplicates(cols[:2]), on=cols[:2])
    found = pd.concat([own, people]).sort_values("order", kind="stable").drop_duplicates(cols)
    known = {**(staff.attrs.get("rule_sets") or {}), **(units.attrs.get("rule_sets") or {})}
    out = []
    for uid, per, rid in found[cols].itertuples(index=False):  # the marked units' sets
        rs, p = found_set(rid, known), Period.parse(per)
        # a month's mark counts for its quarter where the set classifies quarters (customs);
        # the line sends the recognition to the year: said where the year reads it
        if rs is None or "exceptional" not in rs.unit_flags_read(str(p.year)) or \
                rs.classifies(p) or (p.kind == "month" and rs.classifies("quarter")):
            continue
        quota = rs.quota_for(str(p.year))  # the year's, which reads the mark
        assert quota is not None
        out.append(msg("workflow.exceptional_unclassified", unit=uid, period=per, rules=rs.id,
                       year=str(p.year), source=quota.raised_source or quota.source).text(lang))
    return out


def quota_tie_notices(results: pd.DataFrame | Mapping[str, Any] | Sequence[Any],
                      lang: str = "vi", *, rules: RuleSet | Sequence[RuleSet] = ()) -> list[str]:
    """One line per quota group whose cut fell inside a complete tie: the last candidate
    kept at the quota's grade and the first one demoted (``quota.demoted``) are equal on
    every key of their rule set's ``tie_break`` (as the engine ranked them,
    :func:`evalkit._classify.quota.tie_keys`; by default total, task results, fewer
    deductions, the competent level's order: domain brief §4.6), so the staff id alone
    decided who was demoted — which no legal text supports. The line names the unit (and
    duty group) and period, the people so tied, who kept the grade and who was demoted,
    the keys compared (the set's own, in its order) and what to do: give
    ``competent_order`` (the competent level's order), or, where the set does not compare
    it, add it to the set's ``tie_break``. A set whose ``tie_break`` names ``staff_id``
    chose that order: nothing is said. Not an error: the ``validate``, ``classify``,
    ``finalize``, ``render`` (and ``render --period`` of the quarter or year it classifies)
    and ``annual`` commands say the lines beside :func:`exceptional_notices`.

    ``results``: as :func:`exceptional_notices` takes them (a results frame, or the
    :class:`evalkit.UnitClassification` of :func:`evalkit.classify_organisation`; the
    archive's year, :meth:`evalkit.io.archive.Archive.annual`, with the keys it read from
    the months' documents for its tied candidates);
    ``rules``: the sets of an agency's rule file the objects were classified with (a frame
    carries its own)."""
    from evalkit._classify.common import floats, found_set
    from evalkit._classify.quota import tie_keys

    staff, _ = _notice_frames(results)
    if not len(staff) or not {"quota_group", "quota_rank", "reasons"} <= set(staff.columns):
        return []
    rank, group = floats(staff, "quota_rank"), floats(staff, "quota_group")
    at = np.flatnonzero(rank > 0)
    at = at[np.lexsort((rank[at], group[at]))]  # the candidates, group by group in rank order
    g, out_ = group[at], _with_code(staff, "quota.demoted")[at]
    # each group's cut: its last candidate kept, the first one demoted next
    cuts = np.flatnonzero(~out_[:-1] & out_[1:] & (g[:-1] == g[1:]))
    known = {**(staff.attrs.get("rule_sets") or {}),
             **{r.id: r for r in ([rules] if isinstance(rules, RuleSet) else rules)}}
    first = staff.iloc[at[cuts]]  # each cut's group named by its last one kept
    cats = first["category"] if "category" in first.columns else [None] * len(first)
    unit, per, dg = (first[c].astype(object).to_numpy() if c in first.columns
                     else np.full(len(first), None) for c in ("unit_id", "period", "duty_group"))
    by_quota: dict[tuple[str, int], tuple[RuleSet, list[int]]] = {}  # the cuts, by quota
    sets = {rid: found_set(rid, known) for rid in first["rule_set"].astype(str).unique()}
    for j, (rid, cat) in enumerate(zip(first["rule_set"].astype(str), cats, strict=True)):
        rs = sets[rid]  # the quota that ranked the group (a year's own, or not)
        q = None if rs is None else rs.quota_for(str(per[j]), cat if isinstance(cat, str)
                                                 and cat else None)  # fmt: skip
        if rs is not None and q is not None and "staff_id" not in q.tie_break:
            by_quota.setdefault((rs.id, id(q)), (attrs.evolve(rs, quota=q), []))[1].append(j)
    total = floats(staff, "total")
    comps = {c: floats(staff, c) for c in staff.columns if str(c).startswith("points_")}
    ids = staff["staff_id"].astype(str).to_numpy()
    out: dict[int, str] = {}
    for rs, js in by_quota.values():
        q, mine = rs.quota, cuts[js]
        assert q is not None
        pos = np.flatnonzero(np.isin(g, g[mine]))  # their groups' candidates, group by group
        cut = np.searchsorted(pos, mine)  # each group's cut among ``pos``
        of = cut[pd.Index(g[mine]).get_indexer(pd.Index(g[pos]))]  # each candidate's group's cut
        same = np.ones(pos.size, dtype=bool)  # equal to the cut on every key but the id
        for k in list(tie_keys(rs, staff, total, comps, at[pos]))[:-1]:
            same &= k == k[of]
        keys = ", ".join(msg(f"rules.tie_break.{t}").text(lang) for t in q.tie_break)
        remedy = msg("workflow.quota_tie.give_order") if "competent_order" in q.tie_break \
            else msg("workflow.quota_tie.no_order", rules=rs.id)  # fmt: skip
        lo, hi = np.searchsorted(g[pos], g[mine]), np.searchsorted(g[pos], g[mine], "right")
        for j, k, a, b in zip(js, cut.tolist(), lo.tolist(), hi.tolist(), strict=True):
            if not same[k + 1]:  # a key set the first demoted apart
                continue
            tied = pos[a:b][same[a:b]]
            group_dg = dg[j] if "duty_group" in q.group_by else None
            out[j] = msg("workflow.quota_tie", unit=str(unit[j]) + (
                "" if _value(group_dg) == "" else f" ({_value(group_dg)})"),
                period=str(per[j]), people=", ".join(ids[at[tied]]), rules=rs.id,
                grade=q.grade.code, keys=keys, kept=", ".join(ids[at[tied[~out_[tied]]]]),
                demoted=", ".join(ids[at[tied[out_[tied]]]]), remedy=remedy).text(lang)
    return [out[j] for j in sorted(out)]  # the groups in the engine's order


def _with_code(results: pd.DataFrame, code: str) -> npt.NDArray[np.bool_]:
    """The rows whose ``reasons`` (codes joined by ``;``) hold ``code``."""
    if "reasons" not in results.columns:
        return np.zeros(len(results), dtype=bool)
    cells = results["reasons"].astype(object).fillna("").astype(str)
    return cells.str.contains(rf"(?:^|;){code.replace('.', '[.]')}(?:;|$)").to_numpy(bool)


def _value(v: Any) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return str(v).strip()


def signatories(
    month: MonthInput, org: Organisation | str | os.PathLike[str] | None = None
) -> dict[str, dict[str, str]]:
    """Who signs for the competent level: ``{"competent": {...}, unit_id: {...}}`` with
    ``name`` and ``title`` (the mapping :func:`evalkit.render.sheets_from_results` takes),
    from the signatories sheet; a staff id in ``approver_id`` gives that person's name and
    chức vụ (or position title) where the row leaves them blank."""
    sig = month.signatories
    out: dict[str, dict[str, str]] = {}
    if sig.empty:
        return out
    o = _org(org)
    # name, title and its English words (a position's title_en, where the title is the
    # position's: a typed chức vụ has none)
    people: dict[str, tuple[str, str, str]] = {}
    if o is not None:
        titles = {p.id: (p.title_vi, p.title_en) for p in o.positions}
        people.update({s.id: (s.full_name, *((s.title_vi, "") if s.title_vi else
                                             titles.get(s.position_id, ("", ""))))
                       for s in o.staff})  # fmt: skip
    staff = month.staff
    if not staff.empty and "staff_id" in staff.columns:
        ptitles: dict[str, tuple[str, str]] = {}
        pos = month.positions
        if not pos.empty and {"position_id", "title"} <= set(pos.columns):
            en = pos["title_en"] if "title_en" in pos.columns else [None] * len(pos)
            ptitles = {str(k): (_value(v), _value(e)) for k, v, e in zip(
                pos["position_id"], pos["title"], en, strict=True)}  # fmt: skip
        for rec in staff.to_dict(orient="records"):
            sid = rec.get("staff_id")
            if isinstance(sid, str):
                own = _value(rec.get("title_vi"))
                vi, en_title = (own, "") if own else ptitles.get(
                    _value(rec.get("position_id")), ("", ""))  # fmt: skip
                people[sid] = (_value(rec.get("full_name")), vi, en_title)
    english = {vi: en for _n, vi, en in people.values() if vi and en}
    for rec in sig.to_dict(orient="records"):
        key = _value(rec.get("unit_id")) or "competent"
        name = _value(rec.get("approver_name"))
        title = _value(rec.get("approver_title"))
        who = people.get(_value(rec.get("approver_id")))
        if who is not None:
            name = name or who[0]
            title = title or who[1]
        # a title that is a position's title has that position's English words
        title_en = (who[2] if who is not None and title == who[1] else "") \
            or english.get(title, "")  # fmt: skip
        if name:  # the signer's id too, where given: nobody concludes their own sheet
            out[key] = {"name": name, "title": title,
                        **({"title_en": title_en} if title_en else {}),
                        **({"staff_id": sid} if (sid := _value(rec.get("approver_id"))) else {})}
    return out


def agency(month: MonthInput) -> dict[str, str] | None:
    """The agency's header from the signatories sheet's whole-agency row (blank unit):
    ``{"name", "governing_body", "place"}``, or None when the sheet names none."""
    sig = month.signatories
    if sig.empty:
        return None
    for rec in sig.to_dict(orient="records"):
        if _value(rec.get("unit_id")):
            continue
        name = _value(rec.get("agency"))
        if name:
            return {"name": name, "governing_body": _value(rec.get("governing_body")),
                    "place": _value(rec.get("place"))}  # fmt: skip
    return None


def unit_places(month: MonthInput) -> Mapping[str, tuple[str, str]]:
    """Each unit's governing body and place from the units sheet (where typed)."""
    units = month.units
    out: dict[str, tuple[str, str]] = {}
    if units.empty or "unit_id" not in units.columns:
        return out
    for rec in units.to_dict(orient="records"):
        uid = _value(rec.get("unit_id"))
        if uid:
            out[uid] = (_value(rec.get("governing_body")), _value(rec.get("place")))
    return out


def year_units(year: pd.DataFrame, unit_results: pd.DataFrame | None = None) -> pd.DataFrame:
    """The units' own result for the year, as the engine gave it on the year's rows
    (:func:`evalkit.classify_year`'s ``unit_grade``, the same on every row of a unit):
    one row per unit and period with ``unit_id``, ``period``, ``grade`` and ``head_id``
    (the row marked ``is_head``), the unit frame :func:`evalkit.render.write_reports`
    takes for the period's unit summaries. Nothing is computed here; a unit whose rows
    carry no ``unit_grade`` (a quarter's roll-up: units are not classified for a quarter)
    has a row without a grade when it has a head (who signs its summary), else none.
    With ``unit_results`` (the months' unit results the year was classified from), a unit
    with no person of its own (a "Khối" between the Sở and its phòng) has its row too, its
    grade as :func:`evalkit.classify_year` grades units (``unit_year_grades``); every row
    then has the ``score`` that grade came from and the ``rule_set`` it was graded under,
    the ``reasons`` of that grade (the unit HTXS conditions failed, with ``done_percent``
    and ``exceeded_percent``: as the month's unit results have them),
    the unit's ``parent_id``, ``name``,
    ``governing_body``, ``place`` (and ``head_id`` where no person is marked head) from its
    latest month, and ``staff``, its people's rows over the months.
    """
    cols = ["unit_id", "period", "grade", "head_id"]
    if not {"unit_id", "period"} <= set(year.columns):  # (no row: the units' own, below)
        return pd.DataFrame(columns=cols)
    grade = (year["unit_grade"].astype(object) if "unit_grade" in year.columns
             else pd.Series(None, index=year.index, dtype=object))  # fmt: skip
    rows = pd.DataFrame({"unit_id": year["unit_id"].astype(object),
                         "period": year["period"].astype(str),
                         "grade": grade.where(grade.notna(), None)})  # fmt: skip
    rows = rows[rows["unit_id"].notna()]
    graded = rows["grade"].notna().groupby([rows["unit_id"], rows["period"]]).transform("any")
    rows = rows[rows["grade"].notna() | ~graded.to_numpy(dtype=bool)]
    out = rows.drop_duplicates(["unit_id", "period"], keep="first").reset_index(drop=True)
    if "is_head" in year.columns and "staff_id" in year.columns:
        # "False" in a year read back as text is no, as every door reads it
        heads = year[_columns.booleans(year, "is_head", _columns.Problems(year))]
        heads = heads.drop_duplicates(["unit_id", "period"], keep="first")
        key = pd.MultiIndex.from_arrays([heads["unit_id"].astype(object),
                                         heads["period"].astype(str)])  # fmt: skip
        found = pd.Series(heads["staff_id"].astype(object).to_numpy(), index=key)
        at = pd.MultiIndex.from_arrays([out["unit_id"], out["period"]])
        out["head_id"] = found.reindex(at).to_numpy(dtype=object)
    else:
        out["head_id"] = None
    out["head_id"] = out["head_id"].where(out["head_id"].notna(), None)
    out = out[out["grade"].notna() | out["head_id"].notna()].reset_index(drop=True)
    if unit_results is not None and len(unit_results) and "unit_id" in unit_results.columns:
        from evalkit._classify.year import unit_year_grades

        by_unit = unit_year_grades(year, unit_results)
        more = by_unit[by_unit["grade"].notna() & ~by_unit["unit_id"].isin(set(out["unit_id"]))]
        out = pd.concat([out[cols], more.assign(grade=more["grade"].astype(object),
                                                head_id=None)[cols]], ignore_index=True)
        # each unit's score for the year (the one its grade came from), its place in the
        # tree and its names as its latest month gives them, and its people over the months
        # (none: a unit without people of its own, whose summary lists its sub-units)
        # and the HTXS conditions it failed (reasons, with the shares they quote) as the
        # month's unit results say them
        out = out.merge(by_unit.drop(columns="grade"), how="left", on=["unit_id", "period"])
        from evalkit import _ids

        u = _ids.normal_ids(unit_results, ("unit_id", "parent_id", "head_id"))
        if "period" in u.columns:
            u = u.assign(_p=u["period"].astype(str)).sort_values("_p", kind="stable")
        latest = u.drop_duplicates("unit_id", keep="last").set_index("unit_id")
        for col in ("parent_id", "name", "governing_body", "place", "head_id"):
            if col in latest.columns:
                given = out["unit_id"].map(latest[col]).astype(object)
                out[col] = given if col not in out.columns else out[col].where(
                    out[col].notna(), given)  # fmt: skip
        if "head_id" in u.columns and "period" in u.columns and len(out):
            # the head who heads and signs the unit's summary of a period is its head in
            # the period's last month that names one (a head who left in July does not
            # sign December's year; anyone heading it some month is marked is_head)
            out["head_id"] = _period_end_heads(u, out).where(
                lambda s: s.notna(), out["head_id"])  # fmt: skip
        if "staff" in u.columns:
            out["staff"] = out["unit_id"].map(u.groupby("unit_id")["staff"].sum(min_count=1))
        done: pd.DataFrame = out.astype(object).where(out.notna(), None)
        return done
    return out[cols]


def _period_end_heads(u: pd.DataFrame, out: pd.DataFrame) -> pd.Series:
    """Per row of ``out`` (``unit_id``, ``period``: a year or a quarter), the ``head_id``
    of the unit results ``u`` (ids read as every door reads them) in the unit's last month
    of that period naming a head; None where none does."""
    head = u["head_id"].astype(object)
    named = head.notna() & (head.astype(str).str.strip() != "")
    rows = u[named.to_numpy(dtype=bool)]
    found = pd.Series(None, index=out.index, dtype=object)
    if rows.empty:
        return found
    pl: dict[str, Period] = {}
    for p in rows["period"].dropna().astype(str).unique():
        with contextlib.suppress(EvalkitError, ValueError):  # a row for no period: none
            pl[p] = Period.parse(p)
    rows = rows[rows["period"].astype(str).isin(list(pl)).to_numpy(dtype=bool)]
    if rows.empty:
        return found
    labels = rows["period"].astype(str)
    start = labels.map({p: x.start.toordinal() for p, x in pl.items()})
    for quarter in (False, True):  # the rows of out for years, then for quarters
        want = out["period"].astype(str).str.contains("Q") == quarter
        if not want.any():
            continue
        of = labels.map({p: str(x.quarter_of() if quarter and x.kind in ("month", "quarter")
                                else x.year_of()) for p, x in pl.items()})  # fmt: skip
        last = (rows.assign(_of=of.to_numpy(), _start=start.to_numpy())
                .sort_values("_start", kind="stable")
                .drop_duplicates(["unit_id", "_of"], keep="last")
                .set_index(["unit_id", "_of"])["head_id"])
        at = pd.MultiIndex.from_arrays([out["unit_id"].astype(object),
                                        out["period"].astype(str)])  # fmt: skip
        hit = pd.Series(last.reindex(at).to_numpy(dtype=object), index=out.index)
        found = found.where(~want.to_numpy(dtype=bool), hit)
    return found.where(found.notna(), None)


def counted_periods(months: pd.DataFrame, unit_results: pd.DataFrame | None,
                    rules: RuleSet | str | None = None, *, force: bool = False,
                    jurisdiction: str | None = None) -> pd.DataFrame:
    """The periods each person's year counted, for the annual sheet's table: ``months``
    where the year averages them; where it counts quarters (customs, CV 21169/CHQ-TCCB
    from Q3/2026), the quarters the engine's roll-up makes of the person's months —
    classified (head cap, quota), as the year counts them — in place of those months.
    Nothing is computed here that :func:`evalkit.classify_year` does not: its roll-up is
    run once more, with a hook that keeps the quarters it classifies (``evalkit render
    --period YEAR`` and ``evalkit annual --pdf`` print them). A quarter's row keeps the
    ``amendments`` of the months it stands for, each with its month (:func:`_keep_amendments`):
    the sheet says every amended month, whichever periods count."""
    from evalkit import _ids
    from evalkit.units import classify_year, rollup_frame

    made: list[pd.DataFrame] = []

    def record(m: pd.DataFrame, rs: Any) -> pd.DataFrame:
        made.append(classify_year(m, unit_results, rs, to="quarter", force=force,
                                  jurisdiction=jurisdiction))
        return made[-1]

    rollup_frame(months, rules, force=force, quarters=record, jurisdiction=jurisdiction)
    if not made:
        return months
    both = pd.concat(made, ignore_index=True)
    folded = (_ids.normal_id_column(months["staff_id"]).isin(set(both["staff_id"]))
              & ~months["period"].astype(str).str.contains("Q")).to_numpy(dtype=bool)  # fmt: skip
    out = pd.concat([both, months[~folded]], ignore_index=True)
    if "amendments" in months.columns:  # a folded month's amendments stay on its quarter's row
        _keep_amendments(out, both, months[folded])
    out.attrs = months.attrs
    return out


def _keep_amendments(out: pd.DataFrame, quarters: pd.DataFrame, folded: pd.DataFrame) -> None:
    """Put the amendments after finalisation of the ``folded`` months (the archive's
    records, each given its month as ``period``) on the row of ``out`` of the person's
    quarter holding the month (``quarters``, the first rows of ``out``): the annual sheet
    says them as that month's (:func:`evalkit.render.iter_period_sheets`), never drops
    them."""
    from evalkit import _ids

    said = folded[folded["amendments"].notna().to_numpy(dtype=bool)]  # the few amended
    if not len(said):
        return
    at = {k: i for i, k in enumerate(zip(_ids.normal_id_column(quarters["staff_id"]).astype(str),
                                         quarters["period"].astype(str), strict=True))}  # fmt: skip
    kept: dict[int, list[Any]] = {}
    for sid, per, value in zip(_ids.normal_id_column(said["staff_id"]).astype(str),
                               said["period"].astype(str), said["amendments"], strict=True):  # fmt: skip
        month = Period.parse(per)
        row = at[(sid, str(month.quarter_of()))]  # the roll-up makes every quarter with months
        kept.setdefault(row, []).extend({**a, "period": str(month)} for a in _amendment_list(value))
    kept = {row: listed for row, listed in kept.items() if listed}
    out["amendments"] = out["amendments"].astype(object) if "amendments" in out.columns else None
    for row, listed in kept.items():  # out's first rows are the quarters', by position
        out.at[row, "amendments"] = json.dumps([*_amendment_list(out.at[row, "amendments"]),
                                                *listed], ensure_ascii=False, default=str)


def _amendment_list(value: Any) -> list[Any]:
    """A row's ``amendments`` (the archive's JSON text, or the list) as a list; [] for a blank."""
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else []
    return list(value) if isinstance(value, list) else []
