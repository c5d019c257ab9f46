"""Inspections of public duty (kiểm tra công vụ): dated findings become the inputs the
engine reads for the period they fall in.

Seed 000 (Hà Nội): "công tác kiểm tra công vụ đột xuất, thường xuyên có vai trò quan trọng
để nâng cao chất lượng thực thi công vụ"; an inspection ends by "đề xuất, kiến nghị cơ quan
có thẩm quyền biện pháp xử lý". Seed 003 (Lạng Sơn): agencies inspect their subordinate
bodies, mostly unannounced. A finding is a record of one inspection's conclusion on one
person or one unit:

==================  ==================================================================
``inspected_on``    the date of the inspection (required); it decides the period
``inspector``       who inspected: the inspecting body or team (required)
``staff_id``        the person the finding is about, or blank for a finding on a unit
``unit_id``         the unit the finding is about (required without ``staff_id``; with
                    it, the person's unit, checked)
``finding``         what was found, in words (required)
``severity``        ``minor`` / ``moderate`` / ``serious`` (also ``nhẹ`` / ``trung bình``
                    / ``nghiêm trọng``, or 1-3; required)
``decision_ref``    the number of the written conclusion (required): what a sheet and the
                    archive cite
``discipline``      the discipline that followed, if any (0-5 or a name such as
                    ``Khiển trách``; blank = none)
==================  ==================================================================

The rule set (its ``[inspections]`` table, :class:`evalkit.rules.InspectionPolicy`) turns
each finding into effects for the period its date falls in (the month, or the quarter of a
quarterly rule set):

* **a notice** for the competent level: the finding counts in the person's
  ``inspection_findings`` and the sheet gives the reason ``inspection.notice``. Under
  NĐ 335/2025 (30 + 70 points, no deduction) this is what a finding does;
* **a deduction**, only where the rule set declares one: ``points`` per finding by
  severity go to ``criterion``, the input of one of its ``deduction`` blocks
  (reason ``inspection.deduction``); ``unit_points`` are deducted from the unit's score
  (the unit frame's ``inspection_deduction``). No preset deducts (no source does);
* **a disqualifier** when a discipline followed: the finding's discipline becomes the
  person's ``discipline`` for the period (the heavier of the two), related to public
  duty, so the rule set's discipline rule applies; a discipline on a unit finding marks
  the unit ``disciplined`` (QĐ 366-QĐ/TW Điều 11 k1 conditions).

:func:`apply` returns the staff-period and unit frames with these columns filled (and the
references of the findings in ``inspection_refs``), ready for
:func:`evalkit.classify_frame`; :func:`effects` lists every finding with its period, rule
set, points and effect, for the unit summary and the archive.

>>> import pandas as pd, evalkit
>>> top = evalkit.rules.get("vn.nd335-2025").full_marks()
>>> staff = pd.DataFrame([{"staff_id": "A", "unit_id": "U", "period": "2026-03",
...                        "category": "cong_chuc", **top}])
>>> units = pd.DataFrame({"unit_id": ["U"], "tasks_assigned": [10], "tasks_done": [10]})
>>> found = pd.DataFrame({"inspected_on": ["12/03/2026"], "inspector": ["Sở Nội vụ"],
...     "staff_id": ["A"], "finding": ["Đi muộn 3 buổi"], "severity": ["nhẹ"],
...     "decision_ref": ["15/TB-SNV"]})
>>> staff2, units2 = apply(found, staff, units)
>>> staff2[["inspection_findings", "inspection_refs"]].values.tolist()
[[1, '15/TB-SNV']]
>>> res, _ = evalkit.classify_frame(staff2, units2)
>>> res["reasons"].tolist()
['inspection.notice']
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from evalkit import _columns
from evalkit.errors import ModelError
from evalkit.model import Discipline
from evalkit.rules import INSPECTION_SEVERITIES, RuleSet, default_registry, resolve
from evalkit.scoring import assign_rule_sets, assign_unit_rule_sets

__all__ = [
    "EFFECTS",
    "FINDING_COLUMNS",
    "SEVERITY_NAMES",
    "Finding",
    "apply",
    "effects",
    "findings_frame",
]

#: The columns of a findings table (see the module documentation).
FINDING_COLUMNS: dict[str, str] = {
    "inspected_on": "date of the inspection (yyyy-mm-dd or dd/mm/yyyy; required)",
    "inspector": "the inspecting body or team (required)",
    "staff_id": "the person the finding is about (blank: a finding on a unit)",
    "unit_id": "the unit the finding is about (required without staff_id)",
    "finding": "what was found, in words (required)",
    "severity": "minor | moderate | serious (nhẹ | trung bình | nghiêm trọng, or 1-3)",
    "decision_ref": "the number of the written conclusion (required)",
    "discipline": "the discipline that followed: 0-5 or a name (blank: none)",
}

#: Names read as a severity (compared ignoring case, accents and separators), or 1-3.
SEVERITY_NAMES: Mapping[str, int] = {
    "minor": 1, "nhẹ": 1, "moderate": 2, "trung bình": 2, "serious": 3, "nghiêm trọng": 3,
}  # fmt: skip

#: What a finding does, strongest last: ``recorded`` (the rule set neither notifies nor
#: deducts), ``notice``, ``deduction``, ``discipline``.
EFFECTS = ("recorded", "notice", "deduction", "discipline")

_MARK = "evalkit.findings"
_FIRST_YEAR, _LAST_YEAR = 1900, 2199
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


# =========================================================================== one finding


def _to_date(value: object) -> _dt.date:
    day, err = _date_of(value)
    if day is None:
        raise ModelError(f"inspected_on {value!r} {err}")
    return day


def _to_severity(value: object) -> str:
    frame = pd.DataFrame({"severity": [value]}, dtype=object)
    found = _columns.Problems(frame)
    code = _severity_codes(frame, found)
    if found.problems:
        raise ModelError(f"severity {value!r}: {found.problems[0].message}")
    if code[0] == 0:
        raise ModelError("severity of a finding is blank")
    return INSPECTION_SEVERITIES[int(code[0]) - 1]


def _to_discipline(value: object) -> Discipline:
    if isinstance(value, Discipline):
        return value
    frame = pd.DataFrame({"discipline": [value]}, dtype=object)
    found = _columns.Problems(frame)
    level = _columns.discipline(frame, "discipline", found)
    if found.problems:
        raise ModelError(f"discipline {value!r}: {found.problems[0].message}")
    return Discipline(int(level[0]))


def _text(value: object) -> str:
    return "" if value is None else unicodedata.normalize("NFC", str(value)).strip()


def _opt_text(value: object) -> str | None:
    text = _text(value)
    return text or None


@attrs.frozen(slots=True)
class Finding:
    """One inspection finding on a person (``staff_id``) or a unit (``unit_id`` alone).

    >>> f = Finding("2026-03-12", "Sở Nội vụ", "Đi muộn 3 buổi", "nhẹ", "15/TB-SNV",
    ...             staff_id="A")
    >>> f.inspected_on, f.severity, f.discipline
    (datetime.date(2026, 3, 12), 'minor', <Discipline.NONE: 0>)
    >>> Finding("2026-03-12", "Sở Nội vụ", "x", "serious", "15/TB-SNV")
    Traceback (most recent call last):
    ...
    evalkit.errors.ModelError: a finding is about a person (staff_id) or a unit (unit_id): give one
    """

    inspected_on: _dt.date = attrs.field(converter=_to_date)
    inspector: str = attrs.field(converter=_text)
    finding: str = attrs.field(converter=_text)
    severity: str = attrs.field(converter=_to_severity)
    decision_ref: str = attrs.field(converter=_text)
    staff_id: str | None = attrs.field(default=None, converter=_opt_text)
    unit_id: str | None = attrs.field(default=None, converter=_opt_text)
    discipline: Discipline = attrs.field(default=Discipline.NONE, converter=_to_discipline)

    def __attrs_post_init__(self) -> None:
        for name in ("inspector", "finding", "decision_ref"):
            if not getattr(self, name):
                raise ModelError(f"{name} of a finding is blank")
        if self.staff_id is None and self.unit_id is None:
            raise ModelError("a finding is about a person (staff_id) or a unit (unit_id): "
                             "give one")  # fmt: skip


# =========================================================================== the table


def _date_of(value: object) -> tuple[_dt.date | None, str | None]:
    """A cell as a calendar day, or why it is not one."""
    if value is None or value is pd.NaT:
        return None, "is blank; a value is required"
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None, "is blank; a value is required"
        value = pd.Timestamp(value).to_pydatetime()
    if isinstance(value, _dt.datetime):
        day = value.date()
    elif isinstance(value, _dt.date):
        day = value
    elif isinstance(value, str):
        text = value.strip()
        m = _ISO.match(text)
        d = _DMY.match(text)
        try:
            if m:
                day = _dt.date(int(m[1]), int(m[2]), int(m[3]))
            elif d:
                day = _dt.date(int(d[3]), int(d[2]), int(d[1]))
            else:
                return None, "is not a date: write yyyy-mm-dd or dd/mm/yyyy"
        except ValueError:
            return None, "is not a date of the calendar"
    else:
        return None, "is not a date: write yyyy-mm-dd or dd/mm/yyyy"
    if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
        return None, f"is a date outside the years {_FIRST_YEAR} to {_LAST_YEAR} (a typing mistake?)"
    return day, None


def _dates(frame: pd.DataFrame, name: str, found: _columns.Problems) -> npt.NDArray[np.object_]:
    """ISO dates (``'2026-03-12'``) of a column, parsed once per distinct value; None blank."""
    n = len(frame)
    if name not in frame.columns:
        found.add_frame(f"the required column {name!r} is missing", column=name)
        return np.full(n, None, dtype=object)
    col = frame[name]
    codes, uniq = pd.factorize(col.astype(object), use_na_sentinel=True)
    iso = np.empty(len(uniq) + 1, dtype=object)
    iso[:] = None
    errors: list[str | None] = [None] * (len(uniq) + 1)
    for j, value in enumerate(uniq.tolist()):
        if isinstance(value, str) and not value.strip():
            errors[j] = "is blank; a value is required"
            continue
        day, err = _date_of(value)
        iso[j] = day.isoformat() if day is not None else None
        errors[j] = err
    errors[-1] = "is blank; a value is required"
    pick = np.where(codes < 0, len(uniq), codes)
    for j in sorted(set(pick.tolist())):
        if errors[j] is not None:
            found.add(pick == j, name, col, errors[j] or "")
    return np.asarray(iso[pick], dtype=object)


def _severity_codes(frame: pd.DataFrame, found: _columns.Problems) -> npt.NDArray[np.int64]:
    return _columns.choice(frame, "severity", found, mapping=SEVERITY_NAMES, default=0,
                           numeric_range=(1, len(INSPECTION_SEVERITIES)))  # fmt: skip


def findings_frame(
    data: pd.DataFrame | Iterable[Finding],
    *,
    file: str | None = None,
    sheet: str | None = None,
    row_offset: int = 0,
) -> pd.DataFrame:
    """The findings as a checked table: every problem of every cell reported at once.

    ``data`` is a frame with the columns of :data:`FINDING_COLUMNS` (any dtype: text from
    a CSV, dates and numbers from a workbook) or :class:`Finding` objects. Returns one
    row per finding with the same index: ``inspected_on`` as ``'yyyy-mm-dd'`` text,
    ``inspector``, ``staff_id``, ``unit_id``, ``finding``, ``severity`` (``minor``,
    ``moderate`` or ``serious``), ``decision_ref`` and ``discipline`` (0-5). ``file``,
    ``sheet`` and ``row_offset`` locate the problems (row labels plus the offset).

    >>> from evalkit.errors import InputError
    >>> bad = pd.DataFrame({"inspected_on": ["31/02/2026"], "inspector": ["Sở Nội vụ"],
    ...     "staff_id": ["A"], "finding": ["x"], "severity": ["grave"], "decision_ref": ["1"]})
    >>> try:
    ...     findings_frame(bad, file="kiem-tra.csv", row_offset=2)
    ... except InputError as exc:
    ...     for p in exc.problems: print(p)
    kiem-tra.csv, row 2, staff 'A', column 'inspected_on', value '31/02/2026': is not a date of the calendar
    kiem-tra.csv, row 2, staff 'A', column 'severity', value 'grave': is not an accepted value; accepted: 1 = minor, nhẹ; 2 = moderate, trung bình; 3 = serious, nghiêm trọng; or a whole number from 1 to 3
    """
    if not isinstance(data, pd.DataFrame):
        data = _objects_frame(data)
    if data.attrs.get(_MARK):
        return data
    found = _columns.Problems(data, file=file, sheet=sheet, row_offset=row_offset)
    n = len(data)
    out = pd.DataFrame(index=data.index)
    out["inspected_on"] = _dates(data, "inspected_on", found)
    for name in ("inspector", "finding", "decision_ref"):
        out[name] = pd.Series(_columns.text(data, name, found, required=True), index=data.index,
                              dtype=object)  # fmt: skip
    for name in ("staff_id", "unit_id"):
        out[name] = pd.Series(_columns.text(data, name, found), index=data.index, dtype=object)
    neither = out["staff_id"].isna().to_numpy() & out["unit_id"].isna().to_numpy()
    if neither.any():
        found.add(neither, "staff_id", np.full(n, None),
                  "a finding is about a person (staff_id) or a unit (unit_id): give one")
    _columns.text(data, "severity", found, required=True)  # blank or missing
    code = _severity_codes(data, found)
    out["severity"] = pd.Series(np.array(["", *INSPECTION_SEVERITIES], dtype=object)[code],
                                index=data.index, dtype=object)  # fmt: skip
    out["discipline"] = _columns.discipline(data, "discipline", found)
    found.raise_if_any()
    out.attrs.update({_MARK: True, "file": file, "sheet": sheet, "row_offset": row_offset})
    return out


def _objects_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    items = list(findings)
    for i, f in enumerate(items):
        if not isinstance(f, Finding):
            raise ModelError(f"item {i} is not a Finding: {f!r}")
    return pd.DataFrame({
        "inspected_on": pd.Series([f.inspected_on.isoformat() for f in items], dtype=object),
        "inspector": pd.Series([f.inspector for f in items], dtype=object),
        "staff_id": pd.Series([f.staff_id for f in items], dtype=object),
        "unit_id": pd.Series([f.unit_id for f in items], dtype=object),
        "finding": pd.Series([f.finding for f in items], dtype=object),
        "severity": pd.Series([f.severity for f in items], dtype=object),
        "decision_ref": pd.Series([f.decision_ref for f in items], dtype=object),
        "discipline": np.array([int(f.discipline) for f in items], dtype=np.int64),
    })  # fmt: skip


# =========================================================================== linking


def _labels(iso: npt.NDArray[np.object_]) -> list[npt.NDArray[np.object_]]:
    """The month, quarter and year labels of ISO dates (the periods a date may fall in)."""
    s = pd.Series(iso, dtype=object).fillna("0000-01-01").astype(str)
    year = s.str[:4]
    month = s.str[5:7].astype(int)
    quarter = year + "-Q" + ((month - 1) // 3 + 1).astype(str)
    return [s.str[:7].to_numpy(dtype=object), quarter.to_numpy(dtype=object),
            year.to_numpy(dtype=object)]  # fmt: skip


def _first_index(keys: npt.NDArray[np.object_]) -> pd.Index:
    """A unique index of ``keys`` (first occurrence; the engine reports duplicates)."""
    idx = pd.Index(keys)
    return idx[~idx.duplicated()]


def _locate(
    ids: npt.NDArray[np.object_], labels: list[npt.NDArray[np.object_]],
    keys: npt.NDArray[np.object_], active: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.object_]]:  # fmt: skip
    """Row of ``keys`` (``id \\x1f period``) for each active finding: month, quarter, year."""
    uniq = _first_index(keys)
    pos = np.flatnonzero(~pd.Index(keys).duplicated())
    row = np.full(ids.shape[0], -1, dtype=np.int64)
    label = np.full(ids.shape[0], None, dtype=object)
    for lab in labels:
        got = np.asarray(uniq.get_indexer(ids.astype(str) + "\x1f" + lab), dtype=np.int64)
        hit = active & (row < 0) & (got >= 0)
        row[hit] = pos[got[hit]]
        label[hit] = lab[hit]
    return row, label


@attrs.frozen(slots=True)
class _Links:
    """Where each finding lands: the effects table and positions into the frames."""

    table: pd.DataFrame
    srow: npt.NDArray[np.int64]  # staff-months row of a finding on a person (-1: none)
    urow: npt.NDArray[np.int64]  # units row of a finding on a unit (-1: none)
    head: npt.NDArray[np.int64]  # staff-months row of the head notified (-1: none)
    units: pd.DataFrame | None  # the units frame, one row per unit-period when needed
    rule: npt.NDArray[np.int64]  # staff-months rows' rule set codes
    sets: list[RuleSet]


def _link(
    findings: pd.DataFrame | Iterable[Finding],
    staff_months: pd.DataFrame,
    units: pd.DataFrame | None,
    rules: RuleSet | str | None,
    jurisdiction: str | None,
    force: bool,
) -> _Links:
    f = findings_frame(findings)
    found = _columns.Problems(f, file=f.attrs.get("file"), sheet=f.attrs.get("sheet"),
                              row_offset=int(f.attrs.get("row_offset") or 0))  # fmt: skip
    n = len(f)
    labels = _labels(f["inspected_on"].to_numpy(dtype=object))
    f_sid = f["staff_id"].to_numpy(dtype=object)
    f_uid = f["unit_id"].to_numpy(dtype=object)
    on_staff = np.array([v is not None for v in f_sid], dtype=bool)
    on_unit = ~on_staff
    sm = staff_months
    _columns.require(sm, ("staff_id", "unit_id", "period"), "the staff-period frame")
    m = len(sm)
    smp = _columns.Problems(sm)
    s_sid = _columns.text(sm, "staff_id", smp)
    s_uid = _columns.text(sm, "unit_id", smp)
    pcode, plabels = _columns.periods(sm, "period", smp, required=True)
    smp.raise_if_any()
    s_lab = np.array([*plabels, ""], dtype=object)[pcode]
    if m:
        rule, sets = assign_rule_sets(sm, rules, jurisdiction=jurisdiction, force=force)
        sets = list(sets)
    else:
        rule, sets = np.zeros(0, np.int64), [resolve(rules) if rules is not None
                                             else default_registry().get("vn.nd335-2025")]
    # ---- findings on people
    srow, s_label = _locate(f_sid, labels, s_sid.astype(str) + "\x1f" + s_lab, on_staff)
    known = set(s_sid.tolist())
    unknown = on_staff & ~pd.Series(f_sid, dtype=object).isin(known).to_numpy(dtype=bool)
    for sid in sorted({str(x) for x in f_sid[unknown]}):
        found.add(unknown & (f_sid == sid), "staff_id", f_sid,
                  f"unknown staff {sid!r}: nobody has that id in the staff-period frame"
                  + _columns.did_you_mean(sid, sorted(known)))  # fmt: skip
    no_period = on_staff & ~unknown & (srow < 0)
    for sid in sorted({str(x) for x in f_sid[no_period]}):
        has = sorted(set(s_lab[s_sid == sid].tolist()))
        found.add(no_period & (f_sid == sid), "inspected_on", f["inspected_on"],
                  f"falls in no period of staff {sid!r} in the staff-period frame "
                  f"({', '.join(has)})")  # fmt: skip
    placed = on_staff & (srow >= 0)
    own_unit = np.full(n, None, dtype=object)
    own_unit[placed] = s_uid[srow[placed]]
    other = placed & np.array([u is not None for u in f_uid], dtype=bool) & (f_uid != own_unit)
    if other.any():
        for i in np.flatnonzero(other):
            found.add(np.arange(n) == i, "unit_id", f_uid,
                      f"staff {f_sid[i]!r} is in unit {own_unit[i]!r} in {s_label[i]}, "
                      f"not in {f_uid[i]!r}")  # fmt: skip
    # ---- findings on units
    urow = np.full(n, -1, dtype=np.int64)
    u_label = np.full(n, None, dtype=object)
    uframe = units
    if on_unit.any():
        if units is None or "unit_id" not in units.columns:
            found.add(on_unit, "unit_id", f_uid, "a finding on a unit needs the units frame "
                      "(unit_id, parent_id, head_id ...)")  # fmt: skip
        else:
            uframe = _unit_periods(units, plabels)
            up = _columns.Problems(uframe)
            u_uid = _columns.text(uframe, "unit_id", up)
            ucode, ulabels = _columns.periods(uframe, "period", up, required=True)
            up.raise_if_any()
            u_lab = np.array([*ulabels, ""], dtype=object)[ucode]
            urow, u_label = _locate(f_uid, labels, u_uid.astype(str) + "\x1f" + u_lab, on_unit)
            uknown = set(u_uid.tolist())
            unknown_u = on_unit & ~pd.Series(f_uid, dtype=object).isin(uknown).to_numpy(
                dtype=bool)
            for uid in sorted({str(x) for x in f_uid[unknown_u]}):
                found.add(unknown_u & (f_uid == uid), "unit_id", f_uid,
                          f"unknown unit {uid!r}: no unit has that id in the units frame"
                          + _columns.did_you_mean(uid, sorted(uknown)))  # fmt: skip
            none = on_unit & ~unknown_u & (urow < 0)
            for uid in sorted({str(x) for x in f_uid[none]}):
                has = sorted(set(u_lab[u_uid == uid].tolist())) or ["no period"]
                found.add(none & (f_uid == uid), "inspected_on", f["inspected_on"],
                          f"falls in no period of unit {uid!r} ({', '.join(has)})")
    found.raise_if_any()
    # ---- rule sets, points and effects
    f_rule = np.where(on_staff, rule[np.maximum(srow, 0)] if m else 0, -1).astype(np.int64)
    if on_unit.any() and uframe is not None:
        keys, _k = pd.factorize(np.concatenate([u_uid.astype(str) + "\x1f" + u_lab,
                                                s_uid.astype(str) + "\x1f" + s_lab]))
        u_rule = assign_unit_rule_sets(uframe, keys[:len(uframe)], keys[len(uframe):], rule,
                                       sets, rules, jurisdiction=jurisdiction,
                                       force=force)  # fmt: skip
        f_rule[on_unit] = u_rule[urow[on_unit]]
    sev = np.array([INSPECTION_SEVERITIES.index(x) for x in f["severity"]], dtype=np.int64)
    staff_pts = np.array([[rs.inspections.points_for(x) for x in INSPECTION_SEVERITIES]
                          for rs in sets], dtype=np.float64).reshape(len(sets), -1)  # fmt: skip
    unit_pts = np.array([[rs.inspections.points_for(x, unit=True) for x in INSPECTION_SEVERITIES]
                         for rs in sets], dtype=np.float64).reshape(len(sets), -1)  # fmt: skip
    points = np.where(on_staff, staff_pts[f_rule, sev], unit_pts[f_rule, sev]) if n else \
        np.zeros(0)
    notice = np.array([rs.inspections.notice for rs in sets], dtype=bool)[f_rule] if n else \
        np.zeros(0, dtype=bool)
    disc = f["discipline"].to_numpy(dtype=np.int64)
    effect = np.where(disc >= 1, 3, np.where(points > 0, 2, np.where(notice, 1, 0)))
    # ---- a finding on a unit notifies its head where the rule set says so
    head = np.full(n, -1, dtype=np.int64)
    head_ids = np.full(n, None, dtype=object)
    tell = on_unit & np.array([rs.inspections.head_notice for rs in sets], dtype=bool)[f_rule] \
        if n else np.zeros(0, dtype=bool)
    if tell.any() and uframe is not None and "head_id" in uframe.columns:
        hp = _columns.Problems(uframe)
        hid = _columns.text(uframe, "head_id", hp)[np.maximum(urow, 0)]
        skeys = _first_index(s_sid.astype(str) + "\x1f" + s_lab)
        pos = np.flatnonzero(~pd.Index(s_sid.astype(str) + "\x1f" + s_lab).duplicated())
        got = np.asarray(skeys.get_indexer(hid.astype(str) + "\x1f" + u_label.astype(str)),
                         dtype=np.int64)  # fmt: skip
        ok = tell & (got >= 0) & np.array([h is not None for h in hid], dtype=bool)
        head[ok] = pos[got[ok]]
        head_ids[ok] = hid[ok]
    table = f.copy()
    table["period"] = pd.Series(np.where(on_staff, s_label, u_label), index=f.index, dtype=object)
    table["rule_set"] = pd.Series([sets[r].id for r in f_rule], index=f.index, dtype=object)
    table["points"] = points
    table["effect"] = pd.Series(np.array(EFFECTS, dtype=object)[effect], index=f.index,
                                dtype=object)  # fmt: skip
    table["head_id"] = pd.Series(head_ids, index=f.index, dtype=object)
    table.attrs = dict(f.attrs)
    return _Links(table, np.where(on_staff, srow, -1), np.where(on_unit, urow, -1), head,
                  uframe, rule, sets)  # fmt: skip


def _unit_periods(units: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """The units frame with one row per unit and period (as the engine expands it)."""
    if "period" in units.columns:
        return units
    base = units.reset_index(drop=True)
    reps = max(len(periods), 1)
    out = base.loc[np.tile(np.arange(len(base)), reps)].reset_index(drop=True)
    out["period"] = np.repeat(np.array(periods or [""], dtype=object), len(base))
    return out


# =========================================================================== effects


def effects(
    findings: pd.DataFrame | Iterable[Finding],
    staff_months: pd.DataFrame,
    units: pd.DataFrame | None = None,
    rules: RuleSet | str | None = None,
    *,
    jurisdiction: str | None = None,
    force: bool = False,
) -> pd.DataFrame:
    """Every finding with the period it falls in and what the rule set makes of it.

    The columns of :func:`findings_frame` plus ``period`` (the staff-period's or the
    unit-period's label), ``rule_set`` (the person's, or the unit's, for that period),
    ``points`` (deducted per the rule set's ``[inspections]``; 0 where it deducts
    nothing), ``effect`` (one of :data:`EFFECTS`: the strongest) and ``head_id`` (the head
    a finding on a unit also notifies, where the rule set says so). Every value is a plain
    number or text, so the table is archived as it is.

    Raises :class:`~evalkit.errors.InputError` with every problem: cells of the findings
    (see :func:`findings_frame`), an unknown person or unit (with the close matches), a
    date that falls in no period of the person (or unit) in the frames, a person's finding
    naming another unit.

    >>> import pandas as pd
    >>> from evalkit.errors import InputError
    >>> staff = pd.DataFrame({"staff_id": ["A"], "unit_id": ["U"], "period": ["2026-03"],
    ...                       "category": ["cong_chuc"]})
    >>> found = pd.DataFrame({"inspected_on": ["2026-03-12", "2026-04-02"],
    ...     "inspector": "Sở Nội vụ", "staff_id": ["A", "B"], "finding": "x",
    ...     "severity": "serious", "decision_ref": "15/TB-SNV", "discipline": [1, 0]})
    >>> try:
    ...     effects(found, staff)
    ... except InputError as exc:
    ...     print(exc.problems[0])
    row 1, staff 'B', column 'staff_id', value 'B': unknown staff 'B': nobody has that id in the staff-period frame
    >>> effects(found.iloc[:1], staff)[["period", "rule_set", "points", "effect"]].values.tolist()
    [['2026-03', 'vn.nd335-2025', 0.0, 'discipline']]
    """
    return _link(findings, staff_months, units, rules, jurisdiction, force).table


# =========================================================================== apply


def _given(frame: pd.DataFrame, name: str) -> npt.NDArray[np.bool_]:
    """Rows where ``name`` holds something other than blank, 0 or False, each cell read as
    every door reads it (``"0,0"`` is 0, ``"False"`` and ``"không"`` are no)."""
    if name not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    scratch = _columns.Problems(frame)  # (a bad cell is said where the column is read)
    blank = pd.isna(_columns.text(frame, name, scratch))
    zero = _columns.number_cells(frame[name])[0] == 0
    no = ~_columns.booleans(frame, name, scratch, default=True)
    return np.asarray(~blank & ~zero & ~no, dtype=bool)


def _refs(rows: npt.NDArray[np.int64], refs: npt.NDArray[np.object_],
          days: npt.NDArray[np.object_], size: int) -> npt.NDArray[np.object_]:  # fmt: skip
    """Per row, the ``;``-joined distinct references of the findings landing on it, by date
    (then reference): the same whatever the order of the findings table."""
    out = np.full(size, None, dtype=object)
    ok = rows >= 0
    if ok.any():
        pairs = pd.DataFrame({"row": rows[ok], "day": days[ok].astype(str),
                              "ref": refs[ok].astype(str)})  # fmt: skip
        pairs = pairs.sort_values(["row", "day", "ref"], kind="stable") \
            .drop_duplicates(["row", "ref"])
        joined = pairs.groupby("row", sort=True)["ref"].agg(";".join)
        out[joined.index.to_numpy(dtype=np.int64)] = joined.to_numpy(dtype=object)
    return out


#: How ``apply`` reads a count or points already in a cell it does not write.
_COUNT: Mapping[str, Any] = {"minimum": 0, "integer": True}
_POINTS: Mapping[str, Any] = {"minimum": 0}


def _merge(frame: pd.DataFrame, name: str, hit: npt.NDArray[np.bool_], new: npt.NDArray[Any],
           what: str, found: _columns.Problems, blank: Any = 0,
           number: Mapping[str, Any] | None = None) -> None:  # fmt: skip
    """Write ``new`` into ``frame[name]`` where ``hit`` (a new column is ``blank``
    elsewhere); a value already there is a problem. With ``number`` (the options of
    :func:`evalkit._columns.numbers`) the other rows' cells are read as every door reads a
    number ("1,5" is 1.5; "abc" a problem of its row), never coerced to a blank."""
    twice = hit & _given(frame, name)
    if twice.any():
        found.add(twice, name, frame[name], f"already holds a value and {what} would count "
                  "it twice: clear the cell or leave those findings out")  # fmt: skip
    if name in frame.columns and number is not None:
        rest = pd.DataFrame({name: frame[name].mask(hit)}, index=frame.index)  # kept
        old = _columns.numbers(rest, name, found, **number).astype(object)
    elif name in frame.columns:
        old = frame[name].astype(object).to_numpy()
    else:
        old = np.full(len(frame), blank, dtype=object)
    frame[name] = pd.Series(np.where(hit, new, old), index=frame.index, dtype=object)


def apply(
    findings: pd.DataFrame | Iterable[Finding],
    staff_months: pd.DataFrame,
    units: pd.DataFrame | None = None,
    rules: RuleSet | str | None = None,
    *,
    jurisdiction: str | None = None,
    force: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The staff-period and unit frames with the findings' effects: ``(staff, units)``.

    ``staff_months`` and ``units`` are the frames of :func:`evalkit.classify_frame`; the
    rule sets are found as it finds them (``rules`` for everyone, else each person's and
    each unit's own). New copies are returned; on the rows the findings land on:

    * staff: ``inspection_findings`` (count; a unit finding counts for its head where the
      rule set's ``head_notice``), ``inspection_points`` (the points the rule set
      deducts, entered in its ``criterion`` column up to the criterion's maximum),
      ``inspection_refs`` (``;``-joined decision references), ``discipline`` (the heavier
      of the row's and the findings') with ``discipline_related_to_duty`` true;
    * units: ``inspection_deduction`` (points), ``inspection_findings``,
      ``inspection_refs`` and ``disciplined`` where a discipline followed. A units frame
      without ``period`` gets one row per unit and period when a unit has findings.

    Every value already in one of those cells on such a row is a problem (the findings
    would count twice): nothing is ever added silently. Raises
    :class:`~evalkit.errors.InputError` listing every problem (see :func:`effects`).

    >>> import pandas as pd
    >>> staff = pd.DataFrame({"staff_id": ["A", "B"], "unit_id": "U", "period": "2026-03",
    ...                       "category": "cong_chuc", "discipline": [0, 2]})
    >>> units = pd.DataFrame({"unit_id": ["U"], "head_id": ["B"]})
    >>> found = [Finding("2026-03-12", "Thanh tra tỉnh", "Sai quy trình", "serious",
    ...                  "07/KL-TTr", staff_id="A", discipline="Khiển trách"),
    ...          Finding("2026-03-20", "Sở Nội vụ", "Niêm yết thiếu", "minor", "16/TB-SNV",
    ...                  unit_id="U")]
    >>> s, u = apply(found, staff, units)
    >>> s[["discipline", "inspection_findings", "inspection_refs"]].values.tolist()
    [[1, 1, '07/KL-TTr'], [2, 0, None]]
    >>> u[["period", "inspection_deduction", "inspection_findings"]].values.tolist()
    [['2026-03', 0.0, 1]]
    """
    links = _link(findings, staff_months, units, rules, jurisdiction, force)
    t = links.table
    sm = staff_months.copy()
    m = len(sm)
    found = _columns.Problems(sm)
    on = links.srow >= 0
    refs = t["decision_ref"].to_numpy(dtype=object)
    rows = np.concatenate([links.srow[on], links.head[links.head >= 0]])
    count = np.bincount(rows, minlength=m).astype(np.int64)
    points = np.bincount(links.srow[on], weights=t["points"].to_numpy()[on], minlength=m)
    hit = count > 0
    told = links.head >= 0
    ref_rows = np.concatenate([links.srow, links.head[told]])
    ref_vals = np.concatenate([refs, refs[told]])
    days = t["inspected_on"].to_numpy(dtype=object)
    ref_days = np.concatenate([days, days[told]])
    # the points go to the rule set's criterion, up to its maximum
    entered = points.copy()
    for i, rs in enumerate(links.sets):
        cid = rs.inspections.criterion
        mine = (links.rule == i) & (points > 0) if m else np.zeros(0, dtype=bool)
        if cid is None or not mine.any():
            continue
        top = np.full(m, rs.criterion(cid).maximum, dtype=np.float64)
        if rs.position_maxima and "position_id" in sm.columns:
            pos = _columns.text(sm, "position_id", found)
            for pid, table in rs.position_maxima.items():
                if cid in table:
                    top[pos == pid] = float(table[cid])
        entered = np.where(mine, np.minimum(points, top), entered)
        _merge(sm, cid, mine, entered, "the findings' points", found, np.nan, {})
        sm[cid] = pd.to_numeric(sm[cid], errors="coerce")
    _merge(sm, "inspection_findings", hit, count, "the findings", found, 0, _COUNT)
    _merge(sm, "inspection_points", hit, entered, "the findings' points", found, 0, _POINTS)
    _merge(sm, "inspection_refs", hit, _refs(ref_rows, ref_vals, ref_days, m), "the findings",
           found,
           None)
    level = np.zeros(m, dtype=np.int64)
    disc = t["discipline"].to_numpy(dtype=np.int64)
    np.maximum.at(level, links.srow[on], disc[on])
    if (level > 0).any():
        old = _columns.discipline(sm, "discipline", found)
        sm["discipline"] = np.maximum(old, level)
        if "discipline_related_to_duty" in sm.columns:
            related = _columns.booleans(sm, "discipline_related_to_duty", found, default=True)
            sm["discipline_related_to_duty"] = related | (level > 0)
    found.raise_if_any()
    sm["inspection_findings"] = pd.to_numeric(sm["inspection_findings"]).fillna(0)\
        .astype(np.int64)
    sm["inspection_points"] = pd.to_numeric(sm["inspection_points"]).fillna(0.0)\
        .astype(np.float64)
    sm["inspection_refs"] = sm["inspection_refs"].astype(object)
    return sm, _apply_units(links, t, refs)


def _apply_units(links: _Links, t: pd.DataFrame, refs: npt.NDArray[np.object_]
                 ) -> pd.DataFrame | None:  # fmt: skip
    if links.units is None:
        return None
    u = links.units.copy()
    k = len(u)
    on = links.urow >= 0
    if not on.any():
        return u
    found = _columns.Problems(u, id_column="unit_id")
    count = np.bincount(links.urow[on], minlength=k).astype(np.int64)
    points = np.bincount(links.urow[on], weights=t["points"].to_numpy()[on], minlength=k)
    hit = count > 0
    _merge(u, "inspection_deduction", hit, points, "the findings' points", found, np.nan,
           _POINTS)
    _merge(u, "inspection_findings", hit, count, "the findings", found, 0, _COUNT)
    _merge(u, "inspection_refs", hit,
           _refs(links.urow, refs, t["inspected_on"].to_numpy(dtype=object), k),
           "the findings", found, None)
    disc = t["discipline"].to_numpy(dtype=np.int64)
    collective = np.bincount(links.urow[on & (disc >= 1)], minlength=k) > 0
    if collective.any():
        u["disciplined"] = _columns.booleans(u, "disciplined", found) | collective
    found.raise_if_any()
    u["inspection_deduction"] = pd.to_numeric(u["inspection_deduction"]).astype(np.float64)
    u["inspection_findings"] = pd.to_numeric(u["inspection_findings"]).fillna(0)\
        .astype(np.int64)
    u["inspection_refs"] = u["inspection_refs"].astype(object)
    return u
