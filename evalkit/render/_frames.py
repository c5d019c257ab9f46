"""From results frames to documents: sheets, unit summaries, annual sheets, publication lists.

A results frame is what the engine returns (:func:`evalkit.classify_frame`'s staff
results, joined with the input columns — the ``evalkit classify`` output —, or
:func:`evalkit.classify_year`'s rows), with the columns of the shared contract: identity
(``staff_id``, ``period``, ``unit_id``, ``position_id``, ``category``), each level's
scores (``self__<id>``, ``manager__<id>``, ``competent__<id>``; else the counting
``<id>``), comments (``self_comment``, ``manager_comment``, ``competent_comment``),
proposed grades (``self_grade``, ``manager_grade``), the competent level's conclusion
(``competent_grade``, ``competent_reason``), ``leave``, and the engine's columns
(``rule_set``, ``total``, ``<level>_total``, ``<level>_points_<block>``, grades,
``classified``, ``quota_*``, ``reasons`` …).

Names never give way to ids: people, positions and units are named from ``org`` (an
:class:`~evalkit.Organisation`; read its file with :func:`evalkit.io.jsonio.read_json`)
or from the frame's ``full_name``,
``title_vi``, ``position_title`` and ``unit_name`` columns. Signatories come from ``org``
(each person's manager: the engine's ``effective_manager_id`` or ``manager_id``) and from
``signatories`` (the competent level; the preparer of the summaries). The results are
the engine's; nothing here scores, grades, caps or counts a quota.
"""

from __future__ import annotations

import datetime
import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from evalkit import _tables
from evalkit._words import number_or_none as _num
from evalkit.errors import EvalkitError, RenderError, UnknownReferenceError
from evalkit.model import (
    Assessment,
    EvaluationResult,
    Organisation,
    Period,
    Position,
    Staff,
    StaffCategory,
    Unit,
)
from evalkit.render._format import check_lang, grade_cell, yes_cell
from evalkit.render._format import missing_to_none as _none
from evalkit.render._model import (
    Agency,
    Amended,
    QuotaFigures,
    Sheet,
    Signatory,
    SummaryRow,
    UnitFacts,
    UnitSummary,
)
from evalkit.rules import RuleSet, resolve

__all__ = [
    "SignatoriesLike",
    "iter_period_sheets",
    "period_sheet_file_names",
    "period_sheets_from_results",
    "sheets_from_results",
    "summaries_from_results",
    "unit_facts",
    "write_reports",
]

#: ``signatories``: a mapping from ``"competent"`` (the competent level for everyone),
#: a unit id (the competent level for that unit's staff), a staff id (for that person)
#: and ``"preparer"`` (who prepares the unit summaries) to a :class:`Signatory`, a
#: :class:`~evalkit.Staff`, a name, or a mapping with ``name`` and ``title``.
SignatoriesLike = Mapping[str, Any]

_LEVELS = ("self", "manager", "competent")


# =========================================================================== helpers


def _text(v: Any) -> str:
    v = _none(v)
    return "" if v is None else str(v).strip()


def _org(org: Organisation | None) -> Organisation | None:
    if org is None or isinstance(org, Organisation):
        return org
    raise RenderError(f"org must be an Organisation (read its file with "
                      f"evalkit.io.jsonio.read_json(path, Organisation)), not {org!r}")


def _signatory_of(value: Any) -> Signatory | None:
    if isinstance(value, Mapping):
        name = _text(value.get("name") or value.get("full_name"))
        return Signatory(name, _text(value.get("title") or value.get("title_vi")),
                         _text(value.get("title_en")),
                         _text(value.get("staff_id"))) if name else None  # fmt: skip
    return Signatory.of(value)


def _signatories(value: SignatoriesLike | None) -> dict[str, Signatory]:
    out: dict[str, Signatory] = {}
    for key, who in (value or {}).items():
        s = _signatory_of(who)
        if s is not None:
            out[str(key)] = s
    return out


def _agency(agency: Agency | str | None, org: Organisation | None) -> Agency:
    # several trees (units side by side): no one of them is the agency, each unit heads its own
    roots = org.children_of(None) if org is not None else ()
    root = roots[0] if len(roots) == 1 else None
    if isinstance(agency, Agency):
        return agency
    if isinstance(agency, str) and agency.strip():
        return Agency(agency.strip(), governing_body=root.governing_body if root else "",
                      place=root.place if root else "")  # fmt: skip
    if root is not None:
        return Agency(root.name, governing_body=root.governing_body, place=root.place)
    return Agency("")


def _agency_or_unit(agency: Agency, unit: Unit) -> Agency:
    """The header of a unit's sheets: the agency when one is named, else the unit itself
    (its name, governing body and place, as the units sheet gives them)."""
    if agency.name.strip() or not unit.name or unit.name == unit.id:  # no name: none printed
        return agency
    return Agency(unit.name, governing_body=unit.governing_body, place=unit.place,
                  logo=agency.logo)  # fmt: skip


def _rule_sets(frame: Any) -> dict[str, RuleSet]:
    return dict(frame.attrs.get("rule_sets") or {})


#: Who a unit is in the engine's unit results (evalkit._classify.units.UNIT_IDENTITY).
UNIT_IDENTITY = ("name", "governing_body", "place")


def _plain(frame: Any) -> Any:
    """``frame`` without its ``attrs`` (pandas deep-copies them, rule sets included, on
    every operation: a 30-row frame took seconds). Read the rule sets first."""
    import pandas as pd

    return pd.DataFrame(frame, copy=False)


@attrs.define
class _People:
    """Names and titles of people, positions and units: the organisation first, then the
    frame's own columns; an id is printed only where no name exists anywhere."""

    org: Organisation | None
    staff: dict[str, Staff] = attrs.field(factory=dict)
    positions: dict[str, Position] = attrs.field(factory=dict)
    units: dict[str, Unit] = attrs.field(factory=dict)
    identity: dict[str, dict[str, str]] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        if self.org is not None:
            self.staff.update({s.id: s for s in self.org.staff})
            self.positions.update({p.id: p for p in self.org.positions})
            self.units.update({u.id: u for u in self.org.units})

    def know_units(self, unit_results: Any) -> None:
        """Who the units are (``name``, ``governing_body``, ``place``) as the unit results
        carry them from the units sheet: for the units ``org`` does not name."""
        if unit_results is None or not len(unit_results) or "unit_id" not in unit_results:
            return
        for rec in _tables.records(unit_results):
            uid = _text(rec.get("unit_id"))
            if uid and uid not in self.identity:
                self.identity[uid] = {k: _text(rec.get(k)) for k in UNIT_IDENTITY}

    def unit(self, rec: Mapping[str, Any], default: str = "") -> Unit:
        uid = _text(rec.get("unit_id")) or default or "_"
        known = self.units.get(uid)
        if known is not None:
            return known
        who = self.identity.get(uid, {})
        made = Unit(uid, _text(rec.get("unit_name")) or who.get("name") or
                    (uid if uid != "_" else ""), governing_body=who.get("governing_body", ""),
                    place=who.get("place", ""))  # fmt: skip
        self.units[uid] = made
        return made

    def person(self, rec: Mapping[str, Any], rules: RuleSet | None = None
               ) -> tuple[Staff, Position, Unit]:  # fmt: skip
        """The row's person, position and unit: the organisation's, else the row's own
        columns. A row without a ``category`` is of the category of the rule set it was
        scored under (``rules``), so that a viên chức's sheet under NĐ 233 is never titled
        *công chức*: :func:`default_category`."""
        sid = _text(rec.get("staff_id"))
        if not sid:
            raise RenderError("a results row has no staff_id")
        known = self.staff.get(sid)
        unit = self.unit(rec, known.unit_id if known else "")
        pid = _text(rec.get("position_id")) or (known.position_id if known else "") or "_"
        cat = _text(rec.get("category"))
        manages = rec.get("manages_others")
        if known is not None:
            staff = known
            changes: dict[str, Any] = {}
            if staff.unit_id != unit.id:
                changes["unit_id"] = unit.id
            if staff.position_id != pid:
                changes["position_id"] = pid
            if changes:
                staff = attrs.evolve(staff, **changes)
        else:
            staff = Staff(
                sid, _text(rec.get("full_name")) or sid, pid, unit.id,
                category=StaffCategory.parse(cat) if cat else default_category(rules),
                manages_others=bool(_none(manages)) if manages is not None else False,
                title_vi=_text(rec.get("title_vi")),
            )  # fmt: skip
        position = self.positions.get(pid)
        if position is None:
            position = Position(pid, _text(rec.get("position_title")) or (pid if pid != "_" else ""),
                                title_en=_text(rec.get("position_title_en")),
                                manages_others=staff.manages_others)  # fmt: skip
            self.positions[pid] = position
        return staff, position, unit

    def signatory(self, staff_id: str) -> Signatory | None:
        who = self.staff.get(staff_id)
        return self.signing(who) if who is not None else None

    def signing(self, who: Staff) -> Signatory:
        """``who`` as a signatory: their chức vụ, else their position's title (with its
        English title, for an English document)."""
        position = self.positions.get(who.position_id)
        if who.title_vi or position is None:
            return Signatory(who.full_name, who.title_vi)
        return Signatory(who.full_name, position.title_vi, position.title_en)


def default_category(rules: RuleSet | None) -> StaffCategory:
    """The category of a person no row or organisation names one for: the rule set's own
    where it evaluates one category (NĐ 233: viên chức; QĐ 366: cán bộ), công chức where
    it is among several (Hà Nội's framework) or no rule set is known.

    >>> import evalkit.rules
    >>> [default_category(evalkit.rules.get(r)).value for r in ("vn.nd233-2026",
    ...  "vn.qd366-2025", "hanoi.3814-2018")] + [default_category(None).value]
    ['vien_chuc', 'can_bo', 'cong_chuc', 'cong_chuc']
    """
    cats = [StaffCategory.parse(c) for c in (rules.categories if rules is not None else ())]
    if len(cats) == 1:
        return cats[0]
    return StaffCategory.CONG_CHUC if StaffCategory.CONG_CHUC in cats or not cats else cats[0]


def _manager(rec: Mapping[str, Any], people: _People, sig: Mapping[str, Signatory]) -> Signatory | None:
    for col in ("effective_manager_id", "manager_id"):
        mid = _text(rec.get(col))
        if mid:
            found = people.signatory(mid)
            if found is not None:
                return found
    name = _text(rec.get("manager_name"))
    if name:
        return Signatory(name, _text(rec.get("manager_title")),
                         _text(rec.get("manager_title_en")))
    return sig.get("manager")


def _approver(staff: Staff, unit: Unit, sig: Mapping[str, Signatory],
              people: _People) -> Signatory | None:  # fmt: skip
    for key in (staff.id, unit.id, "competent"):  # never the person themself (a unit's
        if key in sig and sig[key].staff_id != staff.id:  # head: the level above signs)
            return sig[key]
    org = people.org
    if org is not None and org.children_of(None):
        head = org.head_of(_root_of(org, unit.id) or org.children_of(None)[0].id)
        if head is not None and head.id != staff.id:
            return people.signing(head)
    return None


def _root_of(org: Organisation, unit_id: str) -> str | None:
    """The top of ``unit_id``'s own tree (an organisation file may hold several), or None
    when the organisation does not know the unit."""
    seen: set[str] = set()
    try:
        u = org.unit(unit_id)
        while u.parent_id and u.id not in seen:
            seen.add(u.id)
            u = org.unit(u.parent_id)
    except UnknownReferenceError:
        return None
    return u.id


def _level_scores(rec: Mapping[str, Any], rules: RuleSet, has_levels: bool) -> dict[str, dict[str, float]]:
    crits = [c.id for c in rules.criteria()]
    out: dict[str, dict[str, float]] = {lvl: {} for lvl in _LEVELS}
    if has_levels:
        for lvl in _LEVELS:
            for cid in crits:
                v = _num(rec.get(f"{lvl}__{cid}"))
                if v is not None:
                    out[lvl][cid] = v
        return out
    level = _text(rec.get("level"))
    level = level if level in _LEVELS else "competent"
    for cid in crits:
        v = _num(rec.get(cid))
        if v is not None:
            out[level][cid] = v
    return out


def _management(rec: Mapping[str, Any], rules: RuleSet, has_levels: bool) -> dict[str, float]:
    """A leader's management components in a month's row as the month applied them: the
    score that counts for each (the last level's), d the engine's (``mgmt_value``)."""
    scores = _level_scores(rec, rules, has_levels)
    counting = {**scores["self"], **scores["manager"], **scores["competent"]}
    out = {c.id: counting[c.id] for c in rules.criteria() if c.management and c.id in counting}
    applied = _num(rec.get("mgmt_value"))
    if rules.management is not None and rules.management.computed and applied is not None:
        out[rules.management.computed] = applied
    return out


def _leave(rec: Mapping[str, Any]) -> str:
    kind = _text(rec.get("leave")).lower()
    return kind if kind in ("maternity", "sick", "absent") else ""


# =========================================================================== sheets


def _refuse_unchecked(frame: Any) -> None:
    """Results read back from a results file (:func:`evalkit.io.results.read_results`) not
    yet checked by :func:`evalkit.workflow.checked`: a :class:`~evalkit.errors.RenderError`
    (what ``evalkit finalize`` refuses is never printed). The one refusal of both render
    entry points, a month's sheets and a quarter's or year's. The mark is each row's
    (:data:`evalkit._tables.READ_BACK`), so months joined with :func:`pandas.concat` keep
    it: joined after each was checked they are printed; one unchecked among them is
    refused, naming its file."""
    found = getattr(frame, "attrs", None) or {}
    files = _tables.read_back(frame) if frame is not None else []
    if not files and found.get("results_file") is not None and not found.get("checked"):
        files = [str(found["results_file"])]
    if files:
        raise RenderError(f"results read back from {', '.join(files)} are "
                          "printed once checked: evalkit.workflow.checked(results) refuses "
                          "what evalkit finalize refuses (check each file's results, "
                          "then join them)")  # fmt: skip


def sheets_from_results(
    results: Any,
    *,
    org: Organisation | None = None,
    agency: Agency | str | None = None,
    signatories: SignatoriesLike | None = None,
    lang: str = "vi",
    signed_on: datetime.date | None = None,
    unit_results: Any = None,
) -> list[Sheet]:
    """One :class:`Sheet` per row of a results frame (monthly or quarterly), in row order.

    Each level's column shows that level's own scores (``self__<id>`` …; a frame without
    level columns shows the counting scores in its ``level`` column, else the competent
    level's) and the engine's block points and totals for it; where the engine applied a
    management component d (``mgmt_value``) other than the one the counting level typed,
    the sheet prints both and that level's points are the result's (:attr:`Sheet.applied`;
    a d left blank is not "replaced": the level's figures hold the computed one).
    The grade, the band and the reasons are the engine's, explained by :mod:`evalkit.reasons`. A row nobody scored
    gives a sheet that says *Chưa đánh giá*. ``agency`` defaults to the organisation's
    root unit (its name, governing body and place), else each unit's own (``unit_results``:
    the units sheet's ``name``, ``governing_body`` and ``place`` the engine's unit results
    carry — pass :func:`evalkit.classify_frame`'s second frame; by default the unit results
    a results file read back carries, :func:`evalkit.io.results.units_of`). ``lang`` is checked here; pass it again to
    the render functions. Results read back from a results file
    (:func:`evalkit.io.results.read_results`) are printed only once checked by
    :func:`evalkit.workflow.checked` (what ``evalkit render`` and ``evalkit finalize``
    refuse: a total and its grades raised together by hand are not what the engine
    gives); unchecked, a :class:`~evalkit.errors.RenderError` says so. Rendering formats:
    it re-derives nothing.

    >>> import pandas as pd, evalkit
    >>> from evalkit.units import classify_frame
    >>> top = evalkit.rules.get("vn.nd335-2025").full_marks()
    >>> sm = pd.DataFrame([{"staff_id": "A", "full_name": "Trần Thị Hoa", "unit_id": "U",
    ...                     "unit_name": "Phòng A", "position_title": "Chuyên viên",
    ...                     "category": "cong_chuc", "period": "2026-03", **top}])
    >>> staff, _ = classify_frame(sm, pd.DataFrame({"unit_id": ["U"]}))
    >>> sheet = sheets_from_results(sm.join(staff.drop(columns=sm.columns, errors="ignore")),
    ...                             signatories={"competent": Signatory("Lê Văn Thành",
    ...                                                                 "Giám đốc Sở")})[0]
    >>> sheet.staff.full_name, sheet.unit.name, sheet.approver.title
    ('Trần Thị Hoa', 'Phòng A', 'Giám đốc Sở')
    """
    from evalkit.units import results_from_frame

    check_lang(lang)
    if "staff_id" not in results.columns or "period" not in results.columns:
        raise RenderError("results need 'staff_id' and 'period' columns")
    if "rule_set" not in results.columns:
        raise RenderError("results need the engine's 'rule_set' column: classify them first "
                          "(evalkit.classify_frame or evalkit classify)")  # fmt: skip
    o = _org(org)
    _refuse_unchecked(results)
    people = _People(o)
    unit_results = _unit_frame(unit_results)
    people.know_units(_plain(unit_results if unit_results is not None
                             else _tables.table(results, "units")))  # fmt: skip
    sig = _signatories(signatories)
    ag = _agency(agency, o)
    known = _rule_sets(results)
    has_levels = any(isinstance(c, str) and c.startswith(("self__", "manager__", "competent__"))
                     for c in results.columns)  # fmt: skip
    results = _plain(results)
    objs = results_from_frame(results, rules=list(known.values()) or None)
    out: list[Sheet] = []
    for i, (rec, res) in enumerate(zip(_tables.records(results), objs, strict=True)):
        rs = resolve(res.rule_set_id, known=known)
        staff, position, unit = people.person(rec, rs)
        scores = _level_scores(rec, rs, has_levels)
        try:
            a = Assessment(
                staff.id, res.period,
                self_scores=scores["self"], manager_scores=scores["manager"],
                competent_scores=scores["competent"],
                self_comment=_text(rec.get("self_comment")),
                manager_comment=_text(rec.get("manager_comment")),
                competent_comment=_text(rec.get("competent_comment")),
                proposed_grade=grade_cell(rec.get("self_grade")),
                manager_grade=grade_cell(rec.get("manager_grade")),
                competent_grade=grade_cell(rec.get("competent_grade")),
                competent_reason=_text(rec.get("competent_reason")),
                kpi=_num(rec.get("kpi")),
                leave=_leave(rec),
            )  # fmt: skip
        except EvalkitError as exc:
            raise RenderError(f"results row {i + 1} (staff {staff.id!r}, {res.period}): {exc}"
                              ) from exc  # fmt: skip
        shown = res if res.level is not None else attrs.evolve(res, level=a.counting_level())
        out.append(Sheet(
            staff, position, unit, a, shown, rs, _agency_or_unit(ag, unit), signed_on=signed_on,
            manager=_manager(rec, people, sig), approver=_approver(staff, unit, sig, people),
            amendments=_amendments(rec.get("amendments")),
        ))  # fmt: skip
    return out


def _amendments(value: Any) -> tuple[Amended, ...]:
    """A row's ``amendments`` (:meth:`evalkit.io.archive.Archive.month`: JSON text, or
    the list itself) as the sheet's :class:`Amended` records; none for a blank."""
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else None
    if not isinstance(value, list):
        return ()
    return tuple(Amended(str(a.get("at", "")), str(a.get("by", "")), str(a.get("why", "")),
                         dict(a.get("previous") or {}), dict(a.get("new") or {}))
                 for a in value if isinstance(a, Mapping))  # fmt: skip


def _amended_periods(rec: Mapping[str, Any]) -> dict[str, tuple[Amended, ...]]:
    """A row's :func:`_amendments` by the period each amends: the row's own, or, on a
    quarter's row, the month it names (:func:`evalkit.workflow.counted_periods` keeps there
    the amendments of the months the quarter stands for)."""
    value = rec.get("amendments")
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else None
    by: dict[str, list[Any]] = {}
    for a in value if isinstance(value, list) else ():
        if isinstance(a, Mapping):
            by.setdefault(_text(a.get("period")) or _text(rec.get("period")), []).append(a)
    return {k: _amendments(v) for k, v in by.items()}


# =========================================================================== summaries


#: The figures of a :class:`~evalkit.units.UnitResult` a unit's sheets print, as
#: :func:`_unit_frame` copies them (the engine's unit frame has the same columns).
_UNIT_FIGURES = ("score", "computed_score", "self_score", "council_score", "tasks_percent",
                 "done_percent", "exceeded_percent", "on_time_percent")


def _unit_frame(unit_results: Any) -> Any:
    """``unit_results`` as a unit frame: a frame as it is; :func:`evalkit.classify_organisation`'s
    answer (unit id → :class:`~evalkit.units.UnitClassification`) as the rows of the engine's
    unit frame its objects carry — the unit's result (scores, grades, reason codes), its head
    and ``staff``, the number of its people the engine classified. Nothing is computed."""
    if unit_results is None or not isinstance(unit_results, Mapping):
        return unit_results
    import pandas as pd

    from evalkit.units import UnitClassification

    rows = []
    for uid, c in unit_results.items():
        if not isinstance(c, UnitClassification):
            raise RenderError(f"unit_results: expected a unit frame or classify_organisation's "
                              f"results, not {type(c).__name__} for unit {uid!r}")  # fmt: skip
        u = c.unit
        rows.append({
            "unit_id": u.unit_id, "period": str(u.period), "rule_set": u.rule_set_id,
            **{f: getattr(u, f) for f in _UNIT_FIGURES},
            "score_grade": u.score_grade.code if u.score_grade is not None else None,
            "grade": u.grade.code if u.grade is not None else None,
            "classified": u.classified, "exceptional": u.exceptional,
            "reasons": ";".join(u.reason_codes()), "head_id": c.head_id, "staff": len(c.staff),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=["unit_id", "period", "rule_set", *_UNIT_FIGURES,
                                       "score_grade", "grade", "classified", "exceptional",
                                       "reasons", "head_id", "staff"])  # fmt: skip


def _unit_rows(unit_results: Any) -> dict[tuple[str, str], dict[str, Any]]:
    unit_results = _unit_frame(unit_results)
    if unit_results is None or not len(unit_results) or "unit_id" not in unit_results.columns:
        return {}
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in _tables.records(unit_results):
        per = _text(rec.get("period"))
        out[(_text(rec.get("unit_id")), str(Period.parse(per)) if per else "")] = rec
    return out


def unit_facts(rec: Mapping[str, Any] | None, rules: RuleSet) -> UnitFacts | None:
    """A unit's own result from a row of the engine's unit results (reasons from
    :mod:`evalkit.reasons`); None for a row that only names the unit's head (a quarter's
    roll-up: units are not classified for a quarter)."""
    from evalkit.reasons import make_reasons

    if not rec or all(_none(rec.get(k)) in (None, "") for k in (
            "grade", "score", "computed_score", "self_score", "council_score", "reasons")):
        return None
    classified = rec.get("classified")
    return UnitFacts(
        grade=grade_cell(rec.get("grade")), score=_num(rec.get("score")),
        computed_score=_num(rec.get("computed_score")), self_score=_num(rec.get("self_score")),
        council_score=_num(rec.get("council_score")),
        classified=yes_cell(classified, default=True),
        reasons=make_reasons(rec.get("reasons"), rules, rec, with_band=False),
    )  # fmt: skip


def _quota_of_unit(rec: Mapping[str, Any] | None) -> QuotaFigures | None:
    if not rec or _num(rec.get("quota_cap")) is None:
        return None
    return QuotaFigures(None, _num(rec.get("quota_base")) or 0, _num(rec.get("quota_cap")) or 0,
                        _num(rec.get("quota_candidates")) or 0,
                        _num(rec.get("quota_demoted")) or 0)  # fmt: skip


def _quota_of_staff(recs: Sequence[Mapping[str, Any]], rule_set_id: str | None = None
                    ) -> QuotaFigures | None:  # fmt: skip
    """The unit's quota figures from its people's ``quota_*`` columns: one set per quota
    group (the engine repeats them on each member), summed over the groups (those of
    ``rule_set_id`` alone where given: its people's ``rule_set``)."""
    from evalkit.reasons import split_codes

    groups: dict[Any, Mapping[str, Any]] = {}
    demoted = 0
    for r in recs:
        if _num(r.get("quota_cap")) is None:
            continue
        if rule_set_id is not None and _text(r.get("rule_set")) != rule_set_id:
            continue
        key = _none(r.get("quota_group"))
        if key is None:
            key = (_text(r.get("rule_set")), _text(r.get("duty_group")),
                   _num(r.get("quota_base")), _num(r.get("quota_cap")),
                   _num(r.get("quota_candidates")))  # fmt: skip
        if isinstance(key, float | int) and key < 0:
            continue
        groups.setdefault(key, r)
        if "quota.demoted" in split_codes(r.get("reasons")):
            demoted += 1
    if not groups:
        return None
    percents = {_num(g.get("quota_percent")) for g in groups.values()}
    return QuotaFigures(
        percents.pop() if len(percents) == 1 else None,
        sum(int(_num(g.get("quota_base")) or 0) for g in groups.values()),
        sum(int(_num(g.get("quota_cap")) or 0) for g in groups.values()),
        sum(int(_num(g.get("quota_candidates")) or 0) for g in groups.values()),
        demoted, rule_set_id, len(groups),
        raised=any(yes_cell(g.get("quota_raised")) for g in groups.values()),
    )  # fmt: skip


def _quota(urec: Mapping[str, Any] | None, recs: Sequence[Mapping[str, Any]]
           ) -> QuotaFigures | None:  # fmt: skip
    """The unit's figures where the unit frame has them (the percentage from its people's
    rows), else its people's."""
    unit = _quota_of_unit(urec)
    staff = _quota_of_staff(recs)
    if unit is None:
        return staff
    if staff is not None:
        return attrs.evolve(unit, percent=staff.percent if staff.percent is not None
                            else unit.percent, raised=staff.raised)  # fmt: skip
    return unit


def _quotas_by_rule_set(recs: Sequence[Mapping[str, Any]]) -> tuple[QuotaFigures, ...]:
    """The unit's quota figures per rule set (a unit of công chức and viên chức has a
    group under each: the engine's ``quota_*`` columns of each set's people, as given),
    in the engine's order of its groups (``quota_group``, as :func:`evalkit.quota_report`
    lists them; without it, as the sets first appear); empty for a unit of one set."""
    first: dict[str, float] = {}  # each set's first group as the engine numbered them
    for r in recs:
        if _num(r.get("quota_cap")) is not None:
            g, rid = _num(r.get("quota_group")), _text(r.get("rule_set"))
            first[rid] = min(first.get(rid, math.inf), math.inf if g is None else g)
    ids = sorted(first, key=first.__getitem__)  # (stable: a tie as the sets first appear)
    if len(ids) < 2:
        return ()
    found = (_quota_of_staff(recs, rid) for rid in ids)
    return tuple(q for q in found if q is not None)


def _without_people(ufacts: Mapping[tuple[str, str], Mapping[str, Any]],
                    have: Mapping[tuple[str, str], Any], sets: Mapping[str, str],
                    known: dict[str, RuleSet], org: Organisation | None,
                    present: set[tuple[str, str]]
                    ) -> tuple[dict[tuple[str, str], RuleSet], set[tuple[str, str]]]:  # fmt: skip
    """The units with a result for a period of ``sets`` (period → its people's rule set;
    none at all: nobody was scored, each unit row's own period and set) and no row of their
    own in ``have`` (period, unit), each with the rule set its row names, else the
    period's: they get a summary too (their result and head). They are

    * units with no staff of their own: whose members in ``org`` are none, or each in the
      batch under another unit (``present``: staff id, period) — a "Khối" between the Sở
      and its phòng, a unit whose only member, its head, is counted elsewhere —; without
      ``org``, a unit with units under it whose row says the engine counted none of its
      people (``staff`` 0) and whose head, if it names one, is in the batch;
    * units whose row says the engine counted none of their people for the period
      (``staff`` 0: all absent, or none evaluated), the second set returned: their summary
      says no staff of the unit was evaluated (with ``org``, its members are listed
      *Chưa đánh giá*).

    A unit not evaluated (no score, no grade) has none, and so has a unit whose people were
    counted (``staff`` above 0) but are merely not in the batch (a results file cut to some
    units): it is not said to have nobody."""
    out: dict[tuple[str, str], RuleSet] = {}
    nobody: set[tuple[str, str]] = set()
    parents = {(_text(r.get("parent_id")), p) for (_, p), r in ufacts.items()}
    for (uid, p), rec in ufacts.items():
        scored = any(_none(rec.get(k)) not in (None, "") for k in (
            "grade", "score", "computed_score", "self_score", "council_score"))
        head = _text(rec.get("head_id"))
        counted_none = _num(rec.get("staff")) == 0
        for per in [p] if p else list(sets):
            if (per not in sets and (sets or not _text(rec.get("rule_set")))) \
                    or (per, uid) in have or not scored:
                continue
            own = (all((s.id, per) in present for s in org.members_of(uid)) if org is not None
                   else counted_none and (uid, p) in parents
                   and (not head or (head, per) in present))  # fmt: skip
            if own or counted_none:
                out[(per, uid)] = resolve(_text(rec.get("rule_set")) or sets[per], known=known)
                if not own:
                    nobody.add((per, uid))
    return out, nobody


def _sub_units(ufacts: Mapping[tuple[str, str], Mapping[str, Any]], uid: str, per: str,
               people: _People, rules: RuleSet) -> tuple[tuple[Unit, UnitFacts], ...]:  # fmt: skip
    """The results of the units directly under ``uid`` for ``per``, as the unit rows give
    them (a "Khối" lists its phòng in place of its people)."""
    found = ((people.unit(rec), unit_facts(rec, rules)) for (cid, p), rec in ufacts.items()
             if p in (per, "") and _text(rec.get("parent_id")) == uid and cid != uid)
    return tuple((u, f) for u, f in found if f is not None)


def _not_evaluated(staff: Staff, period: Period, rules: RuleSet) -> EvaluationResult:
    from evalkit.reasons import make_reasons

    return EvaluationResult(staff.id, period, rules.id, None, None, None,
                            reasons=make_reasons(None, rules, {"total": None}),
                            classified=rules.classifies(period))  # fmt: skip


def summaries_from_results(
    results: Any,
    unit_results: Any = None,
    *,
    org: Organisation | None = None,
    agency: Agency | str | None = None,
    signatories: SignatoriesLike | None = None,
    signed_on: datetime.date | None = None,
) -> list[UnitSummary]:
    """One :class:`UnitSummary` per unit and period of a results frame (month, quarter or
    year), every person listed: in ``org``'s order where it is given (whatever the frame's
    row order), else in the frame's.

    People of ``org``'s unit with no row at all for the period are listed *Chưa đánh
    giá* (and counted), like rows nobody scored. The unit's own result (self, computed and
    council scores, grade, reasons) comes from ``unit_results`` (the engine's unit frame
    for the same periods); the quota's figures from its ``quota_*`` columns, else from the
    people's ``quota_*`` columns (e.g. :func:`evalkit.classify_year`'s rows).
    ``signatories["preparer"]`` signs as *người lập biểu*. A unit with a result and no row
    of its own has its summary where it has no people of its own (a "Khối") or where its
    row says the engine counted none of its people (``staff`` 0: ``nobody_evaluated``).
    ``unit_results`` may also be :func:`evalkit.classify_organisation`'s answer.
    Results read back from a results file are listed only once checked, as for the
    sheets (:func:`evalkit.workflow.checked`; unchecked: :class:`~evalkit.errors.RenderError`).
    """
    from evalkit.units import results_from_frame

    _refuse_unchecked(results)  # a summary lists the grades the sheets print: checked alike
    o = _org(org)
    people = _People(o)
    sig = _signatories(signatories)
    ag = _agency(agency, o)
    known = _rule_sets(results)
    unit_results = _unit_frame(unit_results)
    if unit_results is not None:
        known.update(_rule_sets(unit_results))
        unit_results = _plain(unit_results)
        people.know_units(unit_results)
    results = _plain(results)
    objs = results_from_frame(results, rules=list(known.values()) or None)
    recs = _tables.records(results)
    groups: dict[tuple[str, str], list[tuple[dict[str, Any], EvaluationResult]]] = {}
    present: set[tuple[str, str]] = set()
    for rec, res in zip(recs, objs, strict=True):
        unit = people.unit(rec)
        groups.setdefault((str(res.period), unit.id), []).append((rec, res))
        present.add((res.staff_id, str(res.period)))
    ufacts = _unit_rows(unit_results)
    alone, nobody = _without_people(ufacts, groups, {p: m[-1][1].rule_set_id for (p, _), m in
                                                     groups.items()}, known, o, present)  # fmt: skip
    groups.update({key: [] for key in alone})
    out: list[UnitSummary] = []
    for (per, uid), members in sorted(groups.items()):
        rows: list[SummaryRow] = []
        rs = resolve(members[-1][1].rule_set_id, known=known) if members else alone[(per, uid)]
        for rec, res in members:
            staff, position, _unit = people.person(rec, resolve(res.rule_set_id, known=known))
            rows.append(SummaryRow(staff, res, position, _leave(rec),
                                   _amendments(rec.get("amendments"))))
        unit = people.unit({"unit_id": uid})
        period = Period.parse(per)
        if o is not None:
            for s in o.members_of(uid):
                if (s.id, per) not in present:
                    rows.append(SummaryRow(s, _not_evaluated(s, period, rs),
                                           people.positions.get(s.position_id)))  # fmt: skip
            # the organisation's order, whatever the door's row order (a results file read
            # back sorted by id, the archive's): one signed list (af136); others after
            rank = {s.id: i for i, s in enumerate(o.members_of(uid))}
            rows.sort(key=lambda r: rank.get(r.staff.id, len(rank)))
        urec = ufacts.get((uid, per)) or ufacts.get((uid, ""))
        head = None
        head_id = _text(urec.get("head_id")) if urec else ""
        head_id = head_id or (unit.head_id or "")
        if head_id:
            head = next((r.staff for r in rows if r.staff.id == head_id), None) or \
                people.staff.get(head_id)
        sets = {res.rule_set_id: resolve(res.rule_set_id, known=known) for _, res in members}
        out.append(UnitSummary(
            unit, period, rs, _agency_or_unit(ag, unit), rows, head=head,
            facts=unit_facts(urec, rs),
            quota=_quota(urec, [m[0] for m in members]),
            signed_on=signed_on, preparer=sig.get("preparer"),
            rule_sets=sets.values(), quotas=_quotas_by_rule_set([m[0] for m in members]),
            sub_units=_sub_units(ufacts, uid, per, people, rs) if (per, uid) in alone else (),
            nobody_evaluated=(per, uid) in nobody,
        ))  # fmt: skip
    return out


# =========================================================================== annual sheets


#: How many people's annual (or quarterly) sheets :func:`iter_period_sheets` builds at once:
#: the memory of a province's sheets is about 80 KB a person, so a chunk of 1,000 is about
#: 80 MB whatever the province's size.
PERIOD_SHEETS_CHUNK = 1000


def period_sheets_from_results(
    year: Any,
    months: Any = None,
    *,
    org: Organisation | None = None,
    agency: Agency | str | None = None,
    signatories: SignatoriesLike | None = None,
    conclusions: Any = None,
    signed_on: datetime.date | None = None,
    unit_results: Any = None,
) -> list[Any]:
    """One annual (or quarterly) :class:`~evalkit.render.PeriodSheet` per row of ``year``.

    ``year`` is :func:`evalkit.classify_year`'s output (or :func:`evalkit.rollup_frame`'s
    for quarters); ``months`` the periods' results frame it was made from (each month's
    score and band, ``leave``, and ``unit_id`` — a month in another unit is noted); its
    rows are matched by ``staff_id`` inside the year. ``conclusions`` (one row per person,
    optional ``period``) carries the three levels' annual words: ``self_comment``,
    ``self_grade``, ``manager_comment``, ``manager_grade``, ``competent_comment`` (the
    competent level's grade and written reason are the year's result and reasons).
    ``unit_results`` (the months' unit results, or the year's) says who the units are
    (``name``, ``governing_body``, ``place``) where ``org`` does not: without an agency, a
    sheet's header is its unit's, as on the monthly sheets and the unit summaries.
    All of them at once: :func:`iter_period_sheets` gives the same sheets a chunk at a time.
    """
    return [sheet for chunk in iter_period_sheets(
        year, months, org=org, agency=agency, signatories=signatories,
        conclusions=conclusions, signed_on=signed_on, size=max(len(year), 1),
        unit_results=unit_results)
        for sheet in chunk]  # fmt: skip


def iter_period_sheets(
    year: Any,
    months: Any = None,
    *,
    org: Organisation | None = None,
    agency: Agency | str | None = None,
    signatories: SignatoriesLike | None = None,
    conclusions: Any = None,
    signed_on: datetime.date | None = None,
    size: int | None = None,
    unit_results: Any = None,
) -> Iterator[list[Any]]:
    """:func:`period_sheets_from_results` a chunk of ``size`` rows of ``year`` at a time
    (default :data:`PERIOD_SHEETS_CHUNK`), in the order of ``year``: each chunk's sheets
    are made from its people's rows of ``months`` only, so the memory held is a chunk's,
    not the whole year's; the sheets are the same (names, units and positions are looked
    up once for all the chunks, as for all the rows at once)."""
    from evalkit.render._reports import PeriodSheet
    from evalkit.units import results_from_frame

    _refuse_unchecked(year)  # a year read back (annual --out): checked against its months
    _refuse_unchecked(months)  # months read back: checked first, as for their own sheets
    size = max(int(size or PERIOD_SHEETS_CHUNK), 1)
    o = _org(org)
    people = _People(o)
    people.know_units(_unit_frame(unit_results))  # the units org does not name
    sig = _signatories(signatories)
    ag = _agency(agency, o)
    known = _rule_sets(year)
    known_m: dict[str, RuleSet] = {}
    month_key = None
    has_levels = False
    if months is not None and len(months):
        known_m = _rule_sets(months)
        months = _plain(months)
        has_levels = any(isinstance(c, str) and c.startswith(("self__", "manager__", "competent__"))
                         for c in months.columns)  # fmt: skip
        # each month row's person as results_from_frame names them (str of the value)
        ids = months["staff_id"].astype(object)
        month_key = ids.where(ids.notna(), None).astype(str)
        known = {**known_m, **known}
    words: dict[str, dict[str, Any]] = {}
    if conclusions is not None and len(conclusions):
        for rec in _tables.records(_plain(conclusions)):
            words[_text(rec.get("staff_id"))] = rec
    year = _plain(year)
    # a row's unknown rule set is said before the first chunk is given (the files of the
    # chunks before it would already be written)
    for frame, sets in ((year, known), (months, known_m)):
        if frame is not None and len(frame) and "rule_set" in frame.columns:
            for rid in frame["rule_set"].astype(object).astype(str).unique():
                resolve(rid, known=sets)
    for start in range(0, len(year), size):
        part = year.iloc[start:start + size]
        recs = _tables.records(part)
        month_objs: dict[str, list[EvaluationResult]] = {}
        month_recs: dict[str, list[dict[str, Any]]] = {}
        if month_key is not None and months is not None:
            chunk_ids = {_text(r.get("staff_id")) for r in recs}
            mine_rows = months[month_key.isin(chunk_ids).to_numpy()]
            mobjs = results_from_frame(mine_rows, rules=known_m or None)
            for mrec, mres in zip(_tables.records(mine_rows), mobjs, strict=True):
                month_objs.setdefault(mres.staff_id, []).append(mres)
                month_recs.setdefault(mres.staff_id, []).append(mrec)
        yobjs = results_from_frame(part, rules=known or None)
        out = []
        for rec, res in zip(recs, yobjs, strict=True):
            rs = resolve(res.rule_set_id, known=known)
            staff, position, unit = people.person(rec, rs)
            inside = {str(m) for m in res.period.months()} | {
                str(m.quarter_of()) for m in res.period.months()}  # fmt: skip
            mine = [r for r in month_objs.get(staff.id, []) if str(r.period) in inside]
            mrecs = [r for r in month_recs.get(staff.id, [])
                     if str(Period.parse(_text(r.get("period")))) in inside]  # fmt: skip
            leave = {_text(r.get("period")): _leave(r) for r in mrecs if _leave(r)}
            # a month's leave, or a quarter's under a quarterly rule set
            leave = {k: v for k, v in leave.items()
                     if Period.parse(k).kind in ("month", "quarter")}
            units_by: dict[str, Unit] = {}
            for r in mrecs:
                p = Period.parse(_text(r.get("period")))
                if p.kind == "month" and _text(r.get("unit_id")):
                    units_by[str(p)] = people.unit(r)
            amended: dict[str, tuple[Amended, ...]] = {}
            said_by: dict[str, RuleSet] = {}  # an amended month's own rule set
            mgmt: dict[str, dict[str, float]] = {}  # a leader's d, đ, e of each month
            for r in mrecs:
                parts = _management(r, resolve(_text(r.get("rule_set")) or rs.id, known=known),
                                    has_levels)  # fmt: skip
                if parts and _text(r.get("period")):
                    mgmt[_text(r.get("period"))] = parts
            for r in mrecs:
                for k, v in _amended_periods(r).items():
                    amended[k] = amended.get(k, ()) + v
                    if _text(r.get("rule_set")):
                        said_by[k] = resolve(_text(r.get("rule_set")), known=known)
            last = mrecs[-1] if mrecs else rec
            w = words.get(staff.id, {})
            quota = None
            rank = None
            if _num(rec.get("quota_cap")) is not None:
                quota = QuotaFigures(_num(rec.get("quota_percent")), _num(rec.get("quota_base")) or 0,
                                     _num(rec.get("quota_cap")) or 0,
                                     _num(rec.get("quota_candidates")) or 0,
                                     groups=int(_num(rec.get("quota_groups")) or 1),
                                     duty_group=_text(rec.get("duty_group")) or None,
                                     raised=yes_cell(rec.get("quota_raised")))  # fmt: skip
                r_num = _num(rec.get("quota_rank"))
                rank = int(r_num) if r_num else None
            said = rs.read_grades({"self_grade": w.get("self_grade"),  # "Loại A" by its set
                                   "manager_grade": w.get("manager_grade")})
            try:
                out.append(PeriodSheet(
                    staff, position, unit, res.period, mine, rs, _agency_or_unit(ag, unit),
                    result=res, leave=leave,
                    comment=_text(w.get("competent_comment") or rec.get("competent_comment")),
                    signed_on=signed_on, manager=_manager(last, people, sig),
                    approver=_approver(staff, unit, sig, people),
                    self_comment=_text(w.get("self_comment")),
                    proposed_grade=said["self_grade"],
                    manager_comment=_text(w.get("manager_comment")),
                    manager_grade=said["manager_grade"],
                    units_by_month=units_by, quota=quota, quota_rank=rank,
                    amendments=amended, month_rules=said_by, management=mgmt,
                ))  # fmt: skip
            except UnknownReferenceError as exc:  # pragma: no cover - names come from the frame
                raise RenderError(str(exc)) from exc
        yield out


def period_sheet_file_names(year: Any, *, org: Organisation | None = None) -> list[str]:
    """The file names of :func:`period_sheets_from_results`'s sheets of ``year``, in order,
    from the rows alone (no sheet built) and claimed as :func:`sheet_file_names` claims
    them: two people given one name, also ignoring case, raise
    :class:`~evalkit.errors.RenderError` before anything is written."""
    from evalkit.render._api import claim_file_names, file_name_of

    o = _org(org)
    staff = {s.id: s for s in o.staff} if o is not None else {}
    cols = [c for c in ("staff_id", "unit_id", "full_name", "period") if c in year.columns]
    named = []
    for rec in _tables.records(_plain(year)[cols]):
        sid = _text(rec.get("staff_id"))
        if not sid:
            raise RenderError("a results row has no staff_id")
        known = staff.get(sid)
        uid = _text(rec.get("unit_id")) or (known.unit_id if known else "") or "_"
        name = known.full_name if known is not None else (_text(rec.get("full_name")) or sid)
        named.append((file_name_of(Period.parse(str(rec["period"])), uid, sid, name),
                      f"staff {sid!r}"))
    return claim_file_names(named)


# =========================================================================== files


def write_reports(
    sheets: Iterable[Any],
    out_dir: str | os.PathLike[str],
    *,
    lang: str = "vi",
    unit_results: Any = None,
    overview: bool = False,
    organisation: Organisation | None = None,
    template_dir: str | os.PathLike[str] | None = None,
    results: Any = None,
    signatories: SignatoriesLike | None = None,
    publication: bool = False,
    publication_scores: bool = False,
) -> list[Path]:
    """Write one unit summary per unit and period (and, with ``overview``, one organisation
    overview per period; with ``publication``, one publication list per unit and period as
    PDF — its CSV is :func:`evalkit.io.results.write_table_csv` of
    :func:`publication_frame`); return the paths written.

    With ``results`` (the results frame the sheets came from) the summaries are
    :func:`summaries_from_results` — everyone listed, the quota's figures from the
    engine's columns —; otherwise they are built from ``sheets`` (people of
    ``organisation`` without a sheet are added as *Chưa đánh giá*). ``unit_results``
    (the unit frame of :func:`evalkit.classify_frame`, or a results file's
    ``attrs["units"]``, or :func:`evalkit.classify_organisation`'s answer) supplies each
    unit's own result and quota figures; a unit with a result whose people the engine
    counted none of (``staff`` 0) has its summary too.

    Summaries go to ``out_dir/units/{period}_{unit id}.pdf``, overviews to
    ``out_dir/{period}_overview.pdf``, publication lists to
    ``out_dir/publication/{period}_{unit id}.pdf`` (names through
    :func:`safe_filename`): all of them or none (a staged folder moved in at the end,
    :func:`evalkit._files.staged_folder`). A unit with a result and no people of its own
    in ``organisation`` (a "Khối" between the Sở and its phòng) has its summary too.
    """
    from evalkit._files import atomic_write, staged_folder
    from evalkit.render._api import (
        claim_file_names,
        id_filename,
        render_unit_summary,
        safe_filename,
    )
    from evalkit.render._publication import PublicationList, render_publication
    from evalkit.render._reports import OrganisationOverview, render_overview

    check_lang(lang)
    out = Path(out_dir)
    o = _org(organisation)
    unit_results = _unit_frame(unit_results)
    sig = _signatories(signatories)
    items = list(sheets)
    if results is not None:
        # the agency every sheet names; sheets headed each by its own unit (no agency
        # named) leave each summary to its own unit too, never the first sheet's unit
        heads = {(s.agency.name, s.agency.governing_body, s.agency.place) for s in items}
        ag = items[0].agency if len(heads) == 1 else None
        summaries = summaries_from_results(results, unit_results, org=o, agency=ag,
                                           signatories=sig,
                                           signed_on=max((s.signed_on for s in items
                                                          if s.signed_on), default=None))
    else:
        summaries = _summaries_of_sheets(items, unit_results, o, sig)
    # every file's name claimed before any is written: two units whose ids give one name
    # ('P/1' and 'P_1', 'VP' and 'vp') are refused, never one summary over the other
    stems = claim_file_names(
        (f"units/{safe_filename(str(s.period), max_length=12)}_{id_filename(s.unit.id, max_length=80)}.pdf",
         f"unit {s.unit.id!r} ({s.period})") for s in summaries)  # fmt: skip
    written: list[Path] = []
    by_period: dict[str, list[UnitSummary]] = {}
    with staged_folder(out) as stage:  # all the files or none (a failure writes nothing)

        def put(name: str, pdf: bytes) -> None:
            atomic_write(stage / name, pdf)
            written.append(out / name)

        for summary, name in zip(summaries, stems, strict=True):
            by_period.setdefault(str(summary.period), []).append(summary)
            put(name, render_unit_summary(summary, lang=lang, template_dir=template_dir))
            if publication:
                pub = PublicationList.from_summary(summary, scores=publication_scores)
                put(f"publication/{name.removeprefix('units/')}",
                    render_publication(pub, lang=lang, template_dir=template_dir))
        if overview:  # a unit with a result and no people has its summary, so its row here
            for per, group in sorted(by_period.items()):
                ov = OrganisationOverview.from_summaries(group, organisation=o)
                put(f"{safe_filename(per, max_length=12)}_overview.pdf",
                    render_overview(ov, lang=lang, template_dir=template_dir))
    return written


def _summaries_of_sheets(
    items: Sequence[Any], unit_results: Any, org: Organisation | None,
    sig: Mapping[str, Signatory],
) -> list[UnitSummary]:  # fmt: skip
    groups: dict[tuple[str, str], list[Any]] = {}
    for s in items:
        if not isinstance(s, Sheet):
            raise RenderError(f"write_reports expects Sheet objects, got {type(s).__name__}")
        groups.setdefault((str(s.period), s.unit.id), []).append(s)
    present = {(s.staff.id, str(s.period)) for s in items}
    ufacts = _unit_rows(unit_results)
    out = []
    for (per, uid), members in sorted(groups.items()):
        rs = members[0].rules
        urec = ufacts.get((uid, per)) or ufacts.get((uid, ""))
        head_id = (_text(urec.get("head_id")) if urec else "") or members[0].unit.head_id
        head = next((m.staff for m in members if m.staff.id == head_id), None) if head_id else None
        absent = []
        if org is not None:
            positions = {p.id: p for p in org.positions}
            for s in org.members_of(uid):
                if (s.id, per) not in present:
                    absent.append(SummaryRow(s, _not_evaluated(s, Period.parse(per), rs),
                                             positions.get(s.position_id)))  # fmt: skip
            if head is None and head_id:
                head = next((s for s in org.staff if s.id == head_id), None)
        out.append(UnitSummary.from_sheets(
            members, head=head, facts=unit_facts(urec, rs), quota=_quota_of_unit(urec),
            absent=absent, preparer=sig.get("preparer"),
        ))  # fmt: skip
    firsts = {per: m[0] for (per, _), m in sorted(groups.items(), reverse=True)}
    people = _People(org)
    people.know_units(unit_results)
    alone, nobody = _without_people(
        ufacts, groups, {p: s.rules.id for p, s in firsts.items()},
        {s.rules.id: s.rules for s in firsts.values()}, org, present)  # fmt: skip
    for (per, uid), rs in alone.items():
        urec = ufacts.get((uid, per)) or ufacts[(uid, "")]
        unit = people.unit({"unit_id": uid})
        head_id = _text(urec.get("head_id")) or unit.head_id or ""
        heads = {m.agency for (p, _), ms in groups.items() if p == per for m in ms}
        # a unit whose people were all absent: its members listed Chưa đánh giá
        absent = [SummaryRow(s, _not_evaluated(s, Period.parse(per), rs),
                             people.positions.get(s.position_id))
                  for s in (org.members_of(uid) if org is not None else ())
                  if (s.id, per) not in present]  # fmt: skip
        out.append(UnitSummary(  # the agency of the period's sheets, else the unit's own
            unit, per, rs, heads.pop() if len(heads) == 1 else _agency_or_unit(Agency(""), unit),
            absent, head=people.staff.get(head_id), facts=unit_facts(urec, rs),
            quota=_quota_of_unit(urec), signed_on=firsts[per].signed_on,
            preparer=sig.get("preparer"), sub_units=_sub_units(ufacts, uid, per, people, rs),
            nobody_evaluated=(per, uid) in nobody))  # fmt: skip
    return out

