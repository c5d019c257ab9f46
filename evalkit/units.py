"""Units and accountability: unit results, units before individuals, the head capped at
the unit, the management component from subordinates, quotas, roll-ups and emulation
ranking (domain brief §3, §4.1–§4.6).

Two faces give one answer:

* :func:`classify_unit` — objects, one unit at a time (what a sheet or an HR screen needs);
* :func:`classify_frame` — two DataFrames for a whole organisation, vectorised.

The order of one period (domain brief §3): units are graded bottom-up (their score, the
NĐ 233 conditions for HTXS, no sub-unit KHT, a small parent's limit); then individuals,
subordinates before their managers (so a manager's ``cap_duoi`` component can be derived
from their subordinates' grades); a head is never above the unit; then quotas per unit
and duty group. Every adjustment leaves a :class:`~evalkit.model.Reason`.

>>> from evalkit import Assessment, Organisation, Position, Staff, Unit
>>> from evalkit.units import UnitInputs, classify_unit
>>> org = Organisation(units=[Unit("U1", "Phòng A", head_id="H")],
...                    positions=[Position("P", "Chuyên viên")],
...                    staff=[Staff("H", "Trần Thị Hoa", "P", "U1")])
>>> general = {"chinh_tri": 6, "dao_duc": 6, "tac_phong": 6, "ky_luat": 6, "phuc_vu": 6}
>>> a = Assessment("H", "2026-03", competent_scores={**general, "so_luong": 100,
...                "chat_luong": 100, "tien_do": 100})
>>> unit = UnitInputs("U1", "2026-03", tasks_assigned=10, tasks_done=8)
>>> c = classify_unit(org, "U1", [a], [unit], "vn.nd335-2025")
>>> c.unit.grade.code, c.staff[0].score_grade.code, c.staff[0].grade.code
('HTT', 'HTXS', 'HTT')
>>> c.staff[0].reason_codes()
('band', 'cap.head_unit')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from evalkit import _quota, _unitframe
from evalkit._rollup import classify_year, rank_units, rollup, rollup_frame
from evalkit._unitkernel import UNIT_INPUT_COLUMNS, unit_kernel, unit_reasons
from evalkit.errors import ModelError, OrganisationError, UnknownReferenceError
from evalkit.model import (
    Assessment,
    EvaluationResult,
    Grade,
    Organisation,
    Period,
    Reason,
    Scores,
)
from evalkit.rules._schema import RuleSet
from evalkit.scoring import GRADE_DTYPE, assessments_to_frame, resolve_rules, score

__all__ = [
    "UNIT_INPUT_COLUMNS",
    "QuotaReport",
    "UnitClassification",
    "UnitInputs",
    "UnitResult",
    "classify_frame",
    "classify_organisation",
    "classify_unit",
    "classify_year",
    "frames_from_objects",
    "quota_report",
    "rank_units",
    "rollup",
    "rollup_frame",
]


def _opt_float(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ModelError(f"expected a number or None, not {value!r}")
    if not math.isfinite(value):
        raise ModelError(f"expected a finite number, not {value!r}")
    return float(value)


def _to_period(value: object) -> Period:
    return Period.parse(value)


def _to_scores(value: object) -> Scores:
    return value if isinstance(value, Scores) else Scores(value or {})  # type: ignore[arg-type]


def _to_reasons(value: Iterable[Reason]) -> tuple[Reason, ...]:
    return tuple(value)


def _to_ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(slots=True)
class UnitInputs:
    """A unit's results for one period: task completion and what other bodies scored.

    Counts: ``tasks_assigned``, ``tasks_done`` (≤ assigned), ``tasks_on_time`` (≤ done;
    None = all on time), ``tasks_overdue``, ``tasks_exceeded`` (≤ done). Scores 0–100:
    ``body_scores`` (evaluating body → score, e.g. Thanh Hóa's four bodies, weighted by
    ``UnitPolicy.body_weights``), ``cross_score`` (cross-evaluation), ``satisfaction``
    (e.g. SIPAS). Points: ``bonus``, ``deduction``. ``score`` is a concluded score (e.g.
    an appraisal council's) that overrides the computed one.

    >>> UnitInputs("U1", "2026-03", tasks_assigned=20, tasks_done=19).tasks_done
    19.0
    """

    unit_id: str
    period: Period = attrs.field(converter=_to_period)
    tasks_assigned: float | None = attrs.field(default=None, converter=_opt_float)
    tasks_done: float | None = attrs.field(default=None, converter=_opt_float)
    tasks_on_time: float | None = attrs.field(default=None, converter=_opt_float)
    tasks_overdue: float | None = attrs.field(default=None, converter=_opt_float)
    tasks_exceeded: float | None = attrs.field(default=None, converter=_opt_float)
    body_scores: Scores = attrs.field(factory=Scores, converter=_to_scores)
    cross_score: float | None = attrs.field(default=None, converter=_opt_float)
    satisfaction: float | None = attrs.field(default=None, converter=_opt_float)
    bonus: float | None = attrs.field(default=None, converter=_opt_float)
    deduction: float | None = attrs.field(default=None, converter=_opt_float)
    score: float | None = attrs.field(default=None, converter=_opt_float)

    def column(self, name: str) -> float:
        """The value of frame column ``name`` (``body_<name>`` for a body), NaN if absent."""
        if name.startswith("body_"):
            return float(self.body_scores.get(name[5:], math.nan))
        value = getattr(self, name)
        return math.nan if value is None else float(value)


@attrs.frozen(slots=True)
class UnitResult:
    """A unit's result for a period: score, band grade, final grade and the reasons."""

    unit_id: str
    period: Period
    rule_set_id: str
    score: float | None
    score_grade: Grade | None
    grade: Grade | None
    tasks_percent: float | None = None
    done_percent: float | None = None
    exceeded_percent: float | None = None
    reasons: tuple[Reason, ...] = attrs.field(default=(), converter=_to_reasons)

    @property
    def evaluated(self) -> bool:
        """False when the unit had no results for the period."""
        return self.score is not None

    def reason_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`reasons`, in order."""
        return tuple(r.code for r in self.reasons)


@attrs.frozen(slots=True)
class QuotaReport:
    """What a quota did in one group: counts, the cap, who kept the grade, who was demoted.

    ``candidates`` are in rank order (the tie-break order); ``kept`` are the first
    ``len(kept)`` of them and ``demoted`` the rest.
    """

    period: Period
    unit_id: str | None
    duty_group: str | None
    grade: Grade
    base: str
    base_count: int
    percent: float
    cap: int
    candidates: tuple[str, ...] = attrs.field(converter=_to_ids)
    kept: tuple[str, ...] = attrs.field(converter=_to_ids)
    demoted: tuple[str, ...] = attrs.field(converter=_to_ids)
    source: str = ""


@attrs.frozen(slots=True)
class UnitClassification:
    """One unit's period: its result, its members' results and the quota reports."""

    unit: UnitResult
    staff: tuple[EvaluationResult, ...]
    quotas: tuple[QuotaReport, ...]
    head_id: str | None = None

    def result_of(self, staff_id: str) -> EvaluationResult:
        """The result of member ``staff_id``."""
        for r in self.staff:
            if r.staff_id == staff_id:
                return r
        raise UnknownReferenceError(f"staff {staff_id!r} is not a member of unit "
                                    f"{self.unit.unit_id!r}")  # fmt: skip


# =========================================================================== object face


class _Engine:
    """Classifies lazily, memoising unit and staff results, for one period."""

    def __init__(
        self,
        org: Organisation,
        assessments: Iterable[Assessment],
        unit_inputs: Iterable[UnitInputs],
        rules: RuleSet,
        period: Period,
        options: Mapping[str, bool] | None,
    ) -> None:
        self.org = org
        self.rules = rules
        self.period = period
        self.options = options
        self.units = {u.id: u for u in org.units}
        self.staff = {s.id: s for s in org.staff}
        self.positions = {p.id: p for p in org.positions}
        self.assess: dict[str, Assessment] = {}
        for a in assessments:
            if a.period != period:
                continue
            if a.staff_id not in self.staff:
                raise UnknownReferenceError(f"assessment for unknown staff {a.staff_id!r}")
            if a.staff_id in self.assess:
                raise OrganisationError(f"staff {a.staff_id!r} has two assessments in {period}")
            self.assess[a.staff_id] = a
        self.inputs: dict[str, UnitInputs] = {}
        for ui in unit_inputs:
            if ui.period != period:
                continue
            if ui.unit_id not in self.units:
                raise UnknownReferenceError(f"unit inputs for unknown unit {ui.unit_id!r}")
            if ui.unit_id in self.inputs:
                raise OrganisationError(f"unit {ui.unit_id!r} has two inputs in {period}")
            self.inputs[ui.unit_id] = ui
        self.children: dict[str | None, list[str]] = {}
        for u in org.units:
            self.children.setdefault(u.parent_id, []).append(u.id)
        self.headed = {u.head_id: u.id for u in org.units if u.head_id is not None}
        self.subs: dict[str, list[str]] = {}
        for sid in self.assess:
            m = self._manager(sid)
            if m is not None:
                self.subs.setdefault(m, []).append(sid)
        mc = rules.units.management_criterion
        self.mcrit = mc if mc is not None and any(c.id == mc for c in rules.criteria()) else None
        self._kern: dict[str, tuple[float, int, int, int, float, float, float]] = {}
        self._pre_unit: dict[str, tuple[int, int]] = {}
        self._final_unit: dict[str, tuple[int, int]] = {}
        self._pre: dict[str, tuple[EvaluationResult, list[Reason]]] = {}
        self._busy: list[str] = []

    # -- structure
    def _assessed(self, sid: str | None) -> str | None:
        return sid if sid is not None and sid in self.assess else None

    def _manager(self, sid: str) -> str | None:
        s = self.staff[sid]
        if s.manager_id is not None:
            return self._assessed(s.manager_id)
        if sid in self.headed:
            parent = self.units[self.headed[sid]].parent_id
            return self._assessed(self.units[parent].head_id) if parent else None
        head = self.units[s.unit_id].head_id
        return self._assessed(head) if head != sid else None

    # -- units
    def _kernel(self, uid: str) -> tuple[float, int, int, int, float, float, float]:
        if uid not in self._kern:
            ui = self.inputs.get(uid)
            names = tuple(sorted(ui.body_scores)) if ui else ()

            def get(col: str) -> Any:
                return np.array([ui.column(col) if ui else math.nan])

            k = unit_kernel(self.rules, get, names, 1)
            self._kern[uid] = (
                float(k.score[0]), int(k.score_grade[0]), int(k.grade[0]), int(k.bits[0]),
                float(k.tasks_percent[0]), float(k.done_percent[0]),
                float(k.exceeded_percent[0]),
            )  # fmt: skip
        return self._kern[uid]

    def _unit_pre(self, uid: str) -> tuple[int, int]:
        """(grade, bits) after the unit's own conditions and the no-sub-unit-KHT rule."""
        if uid not in self._pre_unit:
            _, sg, grade, bits, *_ = self._kernel(uid)
            pol = self.rules.units
            if pol.excellent_requires_no_subunit_kht and sg == int(Grade.HTXS):
                kids = self.children.get(uid, [])
                if any(self._unit_final(c)[0] == int(Grade.KHT) for c in kids):
                    bits |= 16
                    grade = int(Grade.HTT)
            self._pre_unit[uid] = (grade, bits)
        return self._pre_unit[uid]

    def _unit_final(self, uid: str) -> tuple[int, int]:
        if uid in self._final_unit:
            return self._final_unit[uid]
        pol = self.rules.units
        parent = self.units[uid].parent_id
        thr, mx = pol.small_parent_threshold, pol.small_parent_max_excellent
        if parent is None or thr is None or mx is None:
            self._final_unit[uid] = self._unit_pre(uid)
            return self._final_unit[uid]
        sibs = self.children[parent]
        pre = {s: self._unit_pre(s) for s in sibs}
        if len(sibs) < thr:
            xs = sorted((s for s in sibs if pre[s][0] == int(Grade.HTXS)),
                        key=lambda s: (-self._kernel(s)[0], s))  # fmt: skip
            for i, s in enumerate(xs):
                if i >= mx:
                    pre[s] = (int(Grade.HTT), pre[s][1] | 32)
        self._final_unit.update(pre)
        return self._final_unit[uid]

    def unit_result(self, uid: str) -> UnitResult:
        score_, sg, _, _, tp, dp, ep = self._kernel(uid)
        grade, bits = self._unit_final(uid)

        def opt(x: float) -> float | None:
            return None if math.isnan(x) else x

        return UnitResult(
            uid, self.period, self.rules.id, opt(score_),
            Grade(sg) if sg >= 0 else None, Grade(grade) if grade >= 0 else None,
            opt(tp), opt(dp), opt(ep),
            unit_reasons(self.rules, bits, score=opt(score_), done_percent=opt(dp),
                         exceeded_percent=opt(ep)),
        )  # fmt: skip

    # -- staff
    def pre_staff(self, sid: str) -> tuple[EvaluationResult, list[Reason]]:
        """The result before quotas (after caps, management, head cap and the competent
        level's conclusion) and extra reasons."""
        if sid in self._pre:
            return self._pre[sid]
        if sid in self._busy:
            cyc = [*self._busy[self._busy.index(sid):], sid]
            raise OrganisationError("staff form a management cycle: " + " -> ".join(cyc))
        self._busy.append(sid)
        try:
            out = self._compute_staff(sid)
        finally:
            self._busy.pop()
        self._pre[sid] = out
        return out

    def _compute_staff(self, sid: str) -> tuple[EvaluationResult, list[Reason]]:
        a = self.assess[sid]
        s = self.staff[sid]
        rs = self.rules
        pol = rs.units
        extra: list[Reason] = []
        evaluated = a.counting_level() is not None or a.kpi is not None
        if self.mcrit is not None and s.manages_others and evaluated:
            graded = [r for r, _ in (self.pre_staff(x) for x in self.subs.get(sid, []))
                      if r.grade is not None]  # fmt: skip
            merged = {**a.self_scores, **a.manager_scores, **a.competent_scores}
            value: float | None = None
            if graded:
                kht = [r.staff_id for r in graded if r.grade == Grade.KHT]
                value = pol.management_any_kht if kht else pol.management_all_ht
                extra.append(_management_reason(rs, value, len(graded), kht))
            elif self.mcrit not in merged:
                value = pol.management_all_ht
                extra.append(Reason(
                    "management.no_subordinates",
                    f"Không có cấp dưới được đánh giá: thành phần (e) tính {value:g}%",
                    f"No subordinate was evaluated: component (e) counts {value:g}%",
                    pol.source))  # fmt: skip
            if value is not None:
                a = attrs.evolve(a, competent_scores={**a.competent_scores, self.mcrit: value})
        r = score(a, staff=s, rules=rs, is_head=sid in self.headed,
                  position=self.positions.get(s.position_id), force=True,
                  options=self.options)  # fmt: skip
        if sid in self.headed and pol.head_capped_at_unit and r.grade is not None:
            ug = self._unit_final(self.headed[sid])[0]
            if ug >= 0 and int(r.grade) > ug:
                extra.append(Reason(
                    "cap.head_unit",
                    f"Người đứng đầu không được xếp cao hơn đơn vị "
                    f"({rs.grade_label(Grade(ug))})",
                    f"A head is not graded above the unit ({rs.grade_label(Grade(ug), 'en')})",
                    pol.source))  # fmt: skip
                r = attrs.evolve(r, grade=Grade(ug))
        concluded = _competent_reason(rs, r.grade, a.competent_grade)
        if concluded is not None:
            extra.append(concluded)
            if concluded.code == "competent.concluded":
                r = attrs.evolve(r, grade=a.competent_grade)
        return r, extra

    def group_key(self, sid: str) -> tuple[str | None, str | None]:
        q = self.rules.quota
        assert q is not None
        s = self.staff[sid]
        return (s.unit_id if "unit" in q.group_by else None,
                s.duty_group if "duty_group" in q.group_by else None)  # fmt: skip

    def quota(self, key: tuple[str | None, str | None]) -> tuple[QuotaReport, dict[str, Reason]]:
        """The quota of one group: its report and the demotion reason of each demoted id."""
        q = self.rules.quota
        assert q is not None
        members = [sid for sid in self.assess if self.group_key(sid) == key]
        pre = {sid: self.pre_staff(sid)[0] for sid in members}
        graded = {sid: r for sid, r in pre.items() if r.grade is not None}
        bg = _quota.base_grade(q)
        base_n = sum(1 for r in graded.values() if bg is None or r.grade == bg)
        cands = [sid for sid, r in graded.items() if r.grade == q.grade]
        pct = float(q.percent)
        if (key[0] is not None and q.percent_if_unit_excellent is not None
                and self._unit_final(key[0])[0] == int(Grade.HTXS)):  # fmt: skip
            pct = float(q.percent_if_unit_excellent)
        cap_a, kept_a = _quota.kept_counts(np.array([base_n]), np.array([len(cands)]),
                                           np.array([pct]), q)  # fmt: skip
        cap, kept_n = int(cap_a[0]), int(kept_a[0])
        cands.sort(key=lambda sid: self._tie_key(sid, pre[sid]))
        kept, demoted = cands[:kept_n], cands[kept_n:]
        rs = self.rules
        where_vi = f"đơn vị {key[0]}" if key[0] else "cơ quan"
        where_en = f"unit {key[0]}" if key[0] else "the agency"
        if key[1]:
            where_vi += f", nhóm {key[1]}"
            where_en += f", duty group {key[1]}"
        base_vi = "số được phân loại" if bg is None else f"số {rs.grade_label(bg)}"
        base_en = "those classified" if bg is None else rs.grade_label(bg, "en")
        lower = Grade(int(q.grade) - 1)
        reasons = {
            sid: Reason(
                "quota.demoted",
                f"Vượt tỷ lệ {rs.grade_label(q.grade)} ({where_vi}): xếp thứ {i + 1}/{len(cands)}"
                f", tối đa {cap} = {pct:g}% của {base_n} {base_vi} (làm tròn {q.rounding}); "
                f"xếp {rs.grade_label(lower)}",
                f"Above the {rs.grade_label(q.grade, 'en')} quota ({where_en}): rank {i + 1} of "
                f"{len(cands)}, at most {cap} = {pct:g}% of {base_n} {base_en} "
                f"(rounded {q.rounding}); graded {rs.grade_label(lower, 'en')}",
                q.source,
            )
            for i, sid in enumerate(cands) if i >= kept_n
        }  # fmt: skip
        report = QuotaReport(self.period, key[0], key[1], q.grade, q.base, base_n, pct, cap,
                             cands, kept, demoted, q.source)  # fmt: skip
        return report, reasons

    def _tie_key(self, sid: str, r: EvaluationResult) -> tuple[Any, ...]:
        q = self.rules.quota
        assert q is not None
        a = self.assess[sid]
        merged = {**a.self_scores, **a.manager_scores, **a.competent_scores}
        out: list[Any] = []
        for t in (*q.tie_break, "staff_id"):
            if t == "total":
                out.append(-(r.total or 0.0))
            elif t == "tasks":
                acc = 0.0
                for bid in _unitframe.task_blocks(self.rules):
                    acc = acc + r.components.get(bid, 0.0)
                out.append(-acc)
            elif t == "fewer_deductions":
                acc = 0.0
                for cid in _unitframe.deduction_inputs(self.rules):
                    acc = acc + merged.get(cid, 0.0)
                out.append(acc)
            elif t == "competent_order":
                out.append(math.inf if a.competent_order is None else float(a.competent_order))
            elif t == "staff_id":
                out.append(sid)
        return tuple(out)

    def classify(self, uid: str) -> UnitClassification:
        if uid not in self.units:
            raise UnknownReferenceError(f"unknown unit {uid!r}")
        unit = self.unit_result(uid)
        members = [s.id for s in self.org.staff if s.unit_id == uid and s.id in self.assess]
        results: dict[str, EvaluationResult] = {}
        for sid in members:
            r, extra = self.pre_staff(sid)
            results[sid] = attrs.evolve(r, reasons=(*r.reasons, *extra))
        reports: list[QuotaReport] = []
        q = self.rules.quota
        if q is not None:
            keys = list(dict.fromkeys(self.group_key(sid) for sid in members))
            for key in keys:
                report, reasons = self.quota(key)
                reports.append(report)
                lower = Grade(int(q.grade) - 1)
                for sid, reason in reasons.items():
                    if sid in results:
                        r = results[sid]
                        results[sid] = attrs.evolve(r, grade=lower, reasons=(*r.reasons, reason))
        return UnitClassification(unit, tuple(results[s] for s in members), tuple(reports),
                                  self.units[uid].head_id)  # fmt: skip


def _competent_reason(rs: RuleSet, grade: Grade | None, concluded: Grade | None) -> Reason | None:
    """The reason the competent level's concluded grade leaves (domain brief §3 step 2).

    Lower than what the score and caps allow: the concluded grade counts
    (``competent.concluded``). Higher: it is ignored and reported (``competent.above_band``).
    None when nothing was concluded, the person was not graded, or the grades agree.
    """
    if concluded is None or grade is None or concluded == grade:
        return None
    if concluded < grade:
        return Reason(
            "competent.concluded",
            f"Cấp có thẩm quyền kết luận xếp loại {rs.grade_label(concluded)} "
            f"(thấp hơn {rs.grade_label(grade)} theo điểm)",
            f"The competent level concluded {rs.grade_label(concluded, 'en')} "
            f"(below {rs.grade_label(grade, 'en')} by the score)",
        )
    return Reason(
        "competent.above_band",
        f"Kết luận {rs.grade_label(concluded)} của cấp có thẩm quyền cao hơn mức điểm và giới "
        f"hạn cho phép ({rs.grade_label(grade)}); giữ {rs.grade_label(grade)}",
        f"The competent level's {rs.grade_label(concluded, 'en')} is above what the score and "
        f"caps allow ({rs.grade_label(grade, 'en')}); kept {rs.grade_label(grade, 'en')}",
    )


def _management_reason(rs: RuleSet, value: float, n: int, kht: Sequence[str]) -> Reason:
    pol = rs.units
    if kht:
        ids = ", ".join(kht[:10])
        return Reason(
            "management.subordinates",
            f"Thành phần (e) = {value:g}%: có cấp dưới xếp {rs.grade_label(Grade.KHT)} ({ids})",
            f"Component (e) = {value:g}%: a subordinate is {rs.grade_label(Grade.KHT, 'en')} "
            f"({ids})",
            pol.source,
        )
    return Reason(
        "management.subordinates",
        f"Thành phần (e) = {value:g}%: cả {n} cấp dưới từ {rs.grade_label(Grade.HT)} trở lên",
        f"Component (e) = {value:g}%: all {n} subordinates are at least "
        f"{rs.grade_label(Grade.HT, 'en')}",
        pol.source,
    )


def _period_of(assessments: Sequence[Assessment], unit_inputs: Sequence[UnitInputs],
               period: Period | str | None) -> Period:  # fmt: skip
    if period is not None:
        return Period.parse(period)
    seen = {a.period for a in assessments} | {u.period for u in unit_inputs}
    if len(seen) != 1:
        found = ", ".join(sorted(str(p) for p in seen)) or "none"
        raise ModelError(f"pass period=...: the inputs cover periods {found}, not exactly one")
    return next(iter(seen))


def classify_unit(
    org: Organisation,
    unit_id: str,
    assessments: Iterable[Assessment],
    unit_inputs: Iterable[UnitInputs],
    rules: RuleSet | str | None = None,
    *,
    period: Period | str | None = None,
    force: bool = False,
    options: Mapping[str, bool] | None = None,
) -> UnitClassification:
    """Classify one unit for one period: its result, its members, its quota groups.

    ``assessments`` and ``unit_inputs`` may cover the whole organisation; what the unit
    depends on is used (its sub-units for "no sub-unit KHT", its siblings for a small
    parent's limit, subordinates in sub-units for their managers' ``cap_duoi``). The rule
    set is ``rules`` or the set in force for công chức in ``period`` (inferred when every
    input has the same period). Staff without an assessment are not part of the period.
    """
    a_list = list(assessments)
    u_list = list(unit_inputs)
    p = _period_of(a_list, u_list, period)
    rs = resolve_rules(rules, "cong_chuc", p, force=force)
    return _Engine(org, a_list, u_list, rs, p, options).classify(unit_id)


def classify_organisation(
    org: Organisation,
    assessments: Iterable[Assessment],
    unit_inputs: Iterable[UnitInputs],
    rules: RuleSet | str | None = None,
    *,
    period: Period | str | None = None,
    force: bool = False,
    options: Mapping[str, bool] | None = None,
) -> dict[str, UnitClassification]:
    """:func:`classify_unit` for every unit of ``org`` (one shared computation), by unit id."""
    a_list = list(assessments)
    u_list = list(unit_inputs)
    p = _period_of(a_list, u_list, period)
    rs = resolve_rules(rules, "cong_chuc", p, force=force)
    eng = _Engine(org, a_list, u_list, rs, p, options)
    return {u.id: eng.classify(u.id) for u in org.units}


# =========================================================================== frame face


def classify_frame(
    staff_months: pd.DataFrame,
    units: pd.DataFrame,
    rules: RuleSet | str | None = None,
    *,
    force: bool = False,
    options: Mapping[str, bool] | None = None,
    positions: Mapping[str, Any] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Classify a whole organisation, vectorised: ``(staff_results, unit_results)``.

    ``staff_months`` has one row per staff-month: ``staff_id``, ``period``, ``unit_id``,
    the criterion columns and flags of :data:`evalkit.scoring.FRAME_COLUMNS`, and
    optionally ``manager_id``, ``duty_group``, ``competent_order`` and ``competent_grade``
    (the competent level's concluded grade, HTXS/HTT/HT/KHT; blank = not given: it lowers
    the grade after caps and head cap, never raises it). ``units`` has one row
    per unit (or per unit-period, with ``period``): ``unit_id``, ``parent_id``,
    ``head_id`` and the columns of :data:`UNIT_INPUT_COLUMNS` plus ``body_<name>``.

    ``staff_results`` has the input's index and ``total``, ``points_<block>``,
    ``score_grade`` (the band), ``proposed_grade`` (after caps, management, head cap and
    the competent level's conclusion — what the quota works on), ``grade`` (final), ``unit_grade``, ``is_head`` (computed from
    ``head_id``), ``effective_manager_id`` (whose ``cap_duoi`` the row feeds), the quota
    columns (``quota_group``, ``quota_base``, ``quota_percent``, ``quota_cap``,
    ``quota_candidates``, ``quota_rank`` — 1-based among candidates, 0 otherwise) and
    ``reasons`` (codes joined by ``;``). ``unit_results`` has one row per unit-period
    with its score, grades, reasons, staff count and quota totals.

    >>> import pandas as pd
    >>> g = {"chinh_tri": 6, "dao_duc": 6, "tac_phong": 6, "ky_luat": 6, "phuc_vu": 6}
    >>> sm = pd.DataFrame([{"staff_id": "H", "unit_id": "U1", "period": "2026-03", **g,
    ...                     "so_luong": 100, "chat_luong": 100, "tien_do": 100}])
    >>> units = pd.DataFrame({"unit_id": ["U1"], "head_id": ["H"], "tasks_assigned": [10],
    ...                       "tasks_done": [8]})
    >>> staff, unit = classify_frame(sm, units, "vn.nd335-2025")
    >>> staff[["grade", "reasons"]].values.tolist()
    [['HTT', 'cap.head_unit']]
    """
    n = len(staff_months)
    if rules is None or isinstance(rules, str):
        first = (
            str(staff_months["period"].iloc[0])
            if n and "period" in staff_months.columns
            else "2026-01"
        )
        rs = resolve_rules(rules, "cong_chuc", first, force=rules is not None)
    else:
        rs = rules
    return _unitframe.classify(staff_months, units, rs, force=force, options=options,
                               positions=positions)  # fmt: skip


def frames_from_objects(
    org: Organisation,
    assessments: Iterable[Assessment],
    unit_inputs: Iterable[UnitInputs] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``(staff_months, units)`` frames of :func:`classify_frame` for objects.

    Every unit of ``org`` gets a row per period present in the inputs (blank results when
    it has no :class:`UnitInputs` for the period).
    """
    staff = {s.id: s for s in org.staff}
    a_list = list(assessments)
    for a in a_list:
        if a.staff_id not in staff:
            raise UnknownReferenceError(f"assessment for unknown staff {a.staff_id!r}")
    sm = assessments_to_frame(a_list, staff)
    if len(sm):
        ids = sm["staff_id"].tolist()
        sm["unit_id"] = [staff[i].unit_id for i in ids]
        sm["manager_id"] = pd.Series([staff[i].manager_id for i in ids], dtype=object)
        sm["duty_group"] = pd.Series([staff[i].duty_group for i in ids], dtype=object)
        sm["competent_order"] = [np.nan if a.competent_order is None else a.competent_order
                                 for a in a_list]  # fmt: skip
        sm["competent_grade"] = pd.Categorical(
            [None if a.competent_grade is None else a.competent_grade.code for a in a_list],
            dtype=GRADE_DTYPE)  # fmt: skip
    u_list = list(unit_inputs)
    periods = sorted({str(a.period) for a in a_list} | {str(u.period) for u in u_list})
    by_key = {(u.unit_id, str(u.period)): u for u in u_list}
    bodies = sorted({b for u in u_list for b in u.body_scores})
    cols = [*UNIT_INPUT_COLUMNS, *(f"body_{b}" for b in bodies)]
    rows: list[dict[str, Any]] = []
    for p in periods:
        for u in org.units:
            ui = by_key.get((u.id, p))
            row: dict[str, Any] = {"unit_id": u.id, "parent_id": u.parent_id,
                                   "head_id": u.head_id, "period": p}  # fmt: skip
            row.update({c: (ui.column(c) if ui else np.nan) for c in cols})
            rows.append(row)
    units = pd.DataFrame(rows, columns=["unit_id", "parent_id", "head_id", "period", *cols])
    for c in ("parent_id", "head_id"):
        units[c] = units[c].astype(object)
    return sm, units


def quota_report(staff_results: pd.DataFrame) -> pd.DataFrame:
    """One row per quota group of a :func:`classify_frame` result: what the quota changed.

    Columns: ``period``, ``unit_id``, ``duty_group`` (when grouped by it), ``base_count``,
    ``percent``, ``cap``, ``candidates``, ``kept``, ``demoted`` (count) and
    ``demoted_ids`` (``;``-joined, in rank order).
    """
    if "quota_group" not in staff_results.columns:
        return pd.DataFrame(columns=["period", "unit_id", "base_count", "percent", "cap",
                                     "candidates", "kept", "demoted", "demoted_ids"])  # fmt: skip
    sr = staff_results
    keys = ["quota_group"]
    first = sr.groupby(keys, sort=True, observed=True).first()
    demoted = sr["reasons"].astype(str).str.contains("quota.demoted", regex=False)
    d = sr[demoted].sort_values(["quota_group", "quota_rank"])
    ids = d.groupby("quota_group")["staff_id"].agg(lambda s: ";".join(map(str, s)))
    out = pd.DataFrame({
        "period": first["period"].astype(str),
        "unit_id": first["unit_id"],
        "base_count": first["quota_base"],
        "percent": first["quota_percent"],
        "cap": first["quota_cap"],
        "candidates": first["quota_candidates"],
    })  # fmt: skip
    if "duty_group" in sr.columns:
        out.insert(2, "duty_group", first["duty_group"])
    out["demoted"] = demoted.groupby(sr["quota_group"]).sum().reindex(out.index).astype(int)
    out["kept"] = out["candidates"] - out["demoted"]
    out["demoted_ids"] = ids.reindex(out.index).fillna("")
    return out.reset_index(drop=True)

