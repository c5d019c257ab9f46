"""Every reason evalkit can give, in one catalogue: its code, its sentence in Vietnamese and
English, the parameters the sentence uses, and where its legal citation comes from.

Results keep reasons as stable **codes** (``band``, ``disqualifier.discipline``,
``quota.demoted`` …; a frame's ``reasons`` column joins them with ``;``). The sentences
are made here and nowhere else, from the code, the rule set and the values the result row
carries (its ``total``, ``unit_grade``, ``quota_*`` columns …). So a result read back
from JSON, a workbook or the archive explains itself with the same words as the result
the engine just made.

>>> import evalkit.rules
>>> rs = evalkit.rules.get("vn.nd335-2025")
>>> r = make_reason("band", rs, {"total": 91.0})
>>> r.message_vi
'Tổng điểm 91 thuộc mức Hoàn thành xuất sắc nhiệm vụ (từ 90 đến 100 điểm)'
>>> r.source
'NĐ 335/2025/NĐ-CP, Điều 20 k1'
>>> [t.code for t in CATALOGUE][:3]
['band', 'band.none', 'band.information']
"""

from __future__ import annotations

import functools
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import attrs

from evalkit.errors import EvalkitError
from evalkit.model import NOT_CLASSIFIED_CODES, Grade, Reason
from evalkit.rules.sources import cited, citing_key

if TYPE_CHECKING:
    import pandas as pd

    from evalkit import _columns
    from evalkit.rules import RuleSet

__all__ = [
    "CATALOGUE",
    "PARAM_COLUMNS",
    "SENTENCE_SEPARATOR",
    "ReasonTemplate",
    "UnknownReasonError",
    "explain",
    "fmt_number",
    "make_reason",
    "make_reasons",
    "not_classified_rows",
    "quota_base_words",
    "quota_where",
    "share_basis",
    "split_codes",
    "staff_words",
    "template_for",
    "with_sentences",
]


class UnknownReasonError(EvalkitError, KeyError):
    """A reason code that is not in the catalogue."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@attrs.frozen(slots=True)
class ReasonTemplate:
    """One catalogue entry.

    ``code`` is exact, or a family ending in ``.*`` whose last part names a rule of the
    set (``disqualifier.*`` → the cap ``discipline``). ``vi`` and ``en`` are
    :meth:`str.format` templates over ``params``; ``cite`` says where the citation comes
    from (``band``, ``cap``, ``notice``, ``quota``, ``management``, ``units``,
    ``unit_conditions``, ``unit_kht``, ``unit_share``, ``unit_band``, ``unit_shortcomings``,
    ``unit_wrongdoing``, ``small_parent``, ``conclusion``, ``rollup``, ``periods``,
    ``adjustment``, ``inspection``, ``none``). ``meaning`` is a one-line English description for the docs.
    """

    code: str
    vi: str
    en: str
    cite: str
    params: tuple[str, ...]
    meaning: str

    @property
    def is_family(self) -> bool:
        """Whether the entry covers a family of codes (``disqualifier.*``)."""
        return self.code.endswith(".*")

    def matches(self, code: str) -> bool:
        """Whether ``code`` is this entry (or a member of its family)."""
        if self.is_family:
            return code.startswith(self.code[:-1]) and len(code) > len(self.code) - 1
        return code == self.code


def _t(code: str, vi: str, en: str, cite: str, params: str, meaning: str) -> ReasonTemplate:
    return ReasonTemplate(code, vi, en, cite, tuple(params.split()), meaning)


#: The kinds of legal leave as a sentence names them (Vietnamese, English).
LEAVE_WORDS: dict[str, tuple[str, str]] = {
    "maternity": ("thai sản", "maternity"), "sick": ("ốm đau", "sick"),
    "absent": ("vắng mặt có lý do", "absent")}


#: The sentence of a unit's shortcomings not remedied (Vietnamese, English), by whom its
#: rule set's text has them pointed out (``[units] shortcomings_pointed_out_by``).
SHORTCOMINGS_WORDS: dict[str, tuple[str, str]] = {
    # NĐ 233/2026 Điều 7 k1 c: "Đã khắc phục toàn bộ hạn chế, khuyết điểm được chỉ ra từ kỳ
    # đánh giá trước hoặc từ kết luận thanh tra, kiểm tra của cơ quan có thẩm quyền (nếu có)"
    "evaluation_or_inspection": (
        "Chưa khắc phục toàn bộ hạn chế, khuyết điểm được chỉ ra từ kỳ đánh giá trước hoặc "
        "từ kết luận thanh tra, kiểm tra của cơ quan có thẩm quyền",
        "Not every shortcoming pointed out by the previous evaluation or by the conclusion "
        "of a competent authority's inspection was remedied"),
    # QĐ 366-QĐ/TW Điều 11 k1: "Đã khắc phục 100% các hạn chế, khuyết điểm được chỉ ra ở
    # thời điểm kiểm điểm trước (nếu có)"
    "previous_review": (
        "Chưa khắc phục 100% các hạn chế, khuyết điểm được chỉ ra ở thời điểm kiểm điểm trước",
        "Not all (100%) of the shortcomings pointed out at the previous review were remedied"),
}


#: The catalogue, in the order reasons are shown on a sheet.
CATALOGUE: tuple[ReasonTemplate, ...] = (
    _t("band",
       "Tổng điểm {total} thuộc mức {grade} ({range})",
       "Total {total} falls in the band {grade} ({range})",
       "band", "total grade range", "the band the total falls in"),
    _t("band.none",
       "Tổng điểm {total} không thuộc mức nào của bộ quy định",
       "Total {total} falls in no band of the rule set",
       "none", "total", "the total falls in no band (a rule set with gaps)"),
    _t("band.information",
       "Mức tương ứng với điểm của {period_words} chỉ để theo dõi; việc xếp loại chất "
       "lượng thực hiện theo {classified_words}",
       "The band of the {period_words_en} score is shown for monitoring only; the quality "
       "classification is made for the {classified_words_en}",
       "periods", "period_words classified_words",
       "a period the rule set scores but does not classify: the band is information"),
    _t("not_evaluated",
       "Không có điểm đánh giá trong kỳ: chưa đánh giá",
       "No scores for the period: not evaluated",
       "none", "", "nobody scored the person for the period (never a zero)"),
    _t("not_evaluated.nothing_assigned",
       "Không được giao nhiệm vụ, sản phẩm nào trong kỳ: chưa đánh giá",
       "Nothing assigned for the period: not evaluated",
       "none", "",
       "scored, but nothing assigned (a ratio block's denominator of 0 where the rule set says "
       "such a period is not evaluated, empty = \"not_evaluated\"): the rule set's choice, "
       "never a zero"),
    _t("rollup.average",
       "Điểm {which} {total} là trung bình cộng điểm của {count} {period_unit} được đánh giá",
       "The {which_en} score {total} is the mean of the {count} {period_unit_en} evaluated",
       "rollup", "which total count period_unit",
       "the year's (or quarter's) score is the mean of the periods evaluated (a period not "
       "evaluated, on leave or not, is left out; one with nothing assigned was worked but "
       "is not averaged)"),
    _t("rollup.leave",
       "Nghỉ theo quy định {leave_months} tháng ({leave_kinds}): xếp loại theo thời gian làm "
       "việc thực tế",
       "On legal leave for {leave_months} {leave_months_en} ({leave_kinds_en}): classified "
       "on the time actually worked",
       "rollup", "leave_months leave_kinds",
       "legal leave: classified on the time actually worked (the kinds the person had that "
       "the rule set classifies on the time worked, RollupPolicy.worked_time_leave; under a "
       "months-worked rule, the leave that exempts from it: the year's one sentence on it)"),
    _t("rollup.too_few_months",
       "Làm việc dưới {min_months} tháng trong năm: không xếp loại",
       "Worked fewer than {min_months} months in the year: not classified",
       "rollup", "min_months", "fewer months worked (evaluated, or scored with nothing "
       "assigned) than the rule set's minimum"),
    _t("rollup.no_months",
       "Không có {period_unit} làm việc thực tế nào được đánh giá trong năm: không xếp loại",
       "No {period_unit_en_one} actually worked was evaluated in the year: not classified",
       "rollup", "period_unit",
       "no period of the year was evaluated (on leave all year, or never scored): no time "
       "worked to classify on"),
    _t("rollup.nothing_assigned",
       "Các {period_unit} được chấm điểm trong năm đều không được giao nhiệm vụ, sản phẩm "
       "nào, không có {period_unit} nào được đánh giá: không xếp loại",
       "Nothing was assigned in any {period_unit_en_one} scored in the year, and no "
       "{period_unit_en_one} was evaluated: not classified",
       "rollup", "period_unit",
       "a year whose periods were all not evaluated, one of them scored with nothing "
       "assigned (not_evaluated.nothing_assigned): no time evaluated to classify on"),
    # not emitted since the year says its leave once (rollup.leave): kept so that a year's
    # results written by an earlier version still explain and render
    _t("rollup.maternity",
       "Nghỉ thai sản: xếp loại theo thời gian làm việc thực tế",
       "Maternity leave: classified on the time actually worked",
       "rollup", "", "retired: maternity leave exempts from the minimum months (now rollup.leave)"),
    _t("rollup.sick",
       "Nghỉ ốm theo quy định của pháp luật về bảo hiểm xã hội: xếp loại theo thời gian làm "
       "việc thực tế",
       "Sick leave under the social insurance law: classified on the time actually worked",
       "rollup", "", "retired: sick leave exempts from the minimum months (now rollup.leave)"),
    _t("rollup.absent_cap",
       "Nghỉ theo quy định từ {a} đến dưới {b} tháng trong năm: xếp loại tối đa {grade}",
       "Legally absent {a} to under {b} months in the year: graded at most {grade}",
       "rollup", "a b grade", "legally absent for a capped number of months"),
    _t("rollup.count.excellent",
       "Có {count_xs} quý {xs} và không có quý {kht}: xếp loại {xs}",
       "{count_xs} quarters {xs} and none {kht}: graded {xs}",
       "rollup", "count_xs xs kht", "enough excellent quarters and no KHT quarter"),
    _t("rollup.count.good",
       "{ht_quarters} và {kht_quarters}: xếp loại {htt}",
       "{ht_quarters_en} and {kht_quarters_en}: graded {htt}",
       "rollup", "ht_quarters kht_quarters ht_quarters_en kht_quarters_en htt",
       "the count rule's HTT branch"),
    _t("rollup.count.kht",
       "Có {count_kht} quý {kht}: xếp loại {kht}",
       "{count_kht} quarters {kht}: graded {kht}",
       "rollup", "count_kht kht", "enough KHT quarters"),
    _t("rollup.count.otherwise",
       "Số quý theo từng mức không đáp ứng điều kiện xếp {branches}: xếp loại {grade}",
       "The number of quarters at each grade meets the conditions for none of {branches_en}: "
       "graded {grade}",
       "rollup", "branches grade", "no counting branch applies"),
    _t("rollup.period_short",
       "Làm việc {months_worked} tháng trong quý (không quá {limit} tháng): không đánh giá "
       "quý này",
       "Worked {months_worked} {months_worked_en} in the quarter (at most {limit}): the "
       "quarter is not evaluated",
       "rollup", "months_worked months_worked_en limit",
       "too few months worked in a scored quarter"),
    _t("rollup.period_carried",
       "Gồm kết quả {carried_months} tháng của quý trước chuyển sang (quý đó làm việc không "
       "quá {limit} tháng nên chưa đánh giá)",
       "Includes {carried_months} {carried_months_en} carried from the previous quarter (at "
       "most {limit} {limit_en} worked there, so it was not evaluated)",
       "rollup", "carried_months carried_months_en limit limit_en",
       "months of a short quarter counted in the next one"),
    _t("rollup.period_carried_next",
       "Làm việc {months_worked} tháng trong quý (không quá {limit} tháng): chưa đánh giá quý "
       "này, kết quả chuyển sang quý sau",
       "Worked {months_worked} {months_worked_en} in the quarter (at most {limit}): not "
       "evaluated this quarter, the result is carried to the next quarter",
       "rollup", "months_worked months_worked_en limit",
       "a short quarter whose months are counted in the next one: left without a result"),
    _t("rollup.dropped_disqualifier",
       "Trong năm có tháng có căn cứ xếp loại không hoàn thành nhiệm vụ theo bộ tiêu chí "
       "áp dụng cho tháng đó mà bộ tiêu chí xếp loại năm không quy định: cấp có thẩm quyền "
       "xem xét khi kết luận",
       "A month of the year meets a ground for not completing tasks under the rule set "
       "applied to that month which is not a ground under the rule set that classifies the "
       "year: for the competent level to consider in its conclusion",
       "periods", "",
       "a month's KHT disqualifier under an earlier rule set that the year's set (in force at "
       "the year's end) does not have; the grade is not changed"),
    _t("management.d",
       "Thành phần (d) = {value}%: {d_words}",
       "Component (d) = {value}%: {d_words_en}",
       "management", "value d_words",
       "d computed from the scores of the staff under the leader's authority"),
    _t("management.d_typed",
       "Thành phần (d) ghi {typed}% khác với kết quả tính từ điểm của {staff_words} thuộc "
       "quyền quản lý ({value}%); áp dụng {value}%",
       "Component (d) was typed as {typed}%, the scores of the staff under the leader's "
       "authority give {value}%; {value}% applies",
       "management", "typed value staff_words", "a typed d that differs from the computed one"),
    _t("management.d_default",
       "Không có {staff_words} thuộc quyền quản lý được đánh giá trong kỳ: thành phần (d) = "
       "{value}%",
       "Nobody under the leader's authority was evaluated this period: component (d) = {value}%",
       "management", "value staff_words",
       "a leader with nobody evaluated under them: d at its full value"),
    _t("deduction.*",
       "Tiêu chí {mark}: trừ {events} lần × {step}% ({what})",
       "Criterion {mark}: {step}% off per event, {events} counted ({what})",
       "adjustment", "mark events step what",
       "an adjustment of the rule set lowered a percentage per counted event (NĐ 335/2025: "
       "25 % off quality per major error, off timeliness per delay); for the sheet"),
    _t("kpi",
       "Điểm {block} tính theo tỷ lệ {kpi}% của phần mềm theo dõi nhiệm vụ của cơ quan, "
       "thay cho {replaced}",
       "{block}: scored on the agency's task tracker figure of {kpi}%, in place of {replaced}",
       "none", "block kpi replaced",
       "a task-tracker percentage stands for the task block (a product choice, no legal "
       "text: no citation); for the sheet"),
    _t("disqualifier.*",
       "{label}{outcome}",
       "{label}{outcome}",
       "cap", "label outcome",
       "a disqualifier of the rule set (grade KHT regardless of score; on a period without "
       "scores, the fact alone: the year counts it)"),
    _t("cap.*",
       "{label}{outcome}",
       "{label}{outcome}",
       "cap", "label outcome",
       "a cap of the rule set (at most the given grade; on a period without scores, the "
       "fact alone: the year counts it)"),
    _t("notice.*",
       "{label}",
       "{label}",
       "notice", "label", "an optional rule that flags the person for the competent level"),
    _t("competent.concluded",
       "Cấp có thẩm quyền kết luận xếp loại {concluded}{why}",
       "The competent level concluded {concluded}{why}",
       "conclusion", "concluded why", "the competent level concluded a lower grade, with a reason"),
    _t("competent.above_band",
       "Cấp có thẩm quyền đề nghị {concluded}, cao hơn mức được xếp theo điểm và các điều "
       "kiện ({grade}): giữ {grade}",
       "The competent level proposed {concluded}, above what the score and conditions allow "
       "({grade}): {grade} kept",
       "conclusion", "concluded grade", "a conclusion above the band where the set does not allow it"),
    _t("competent.above_band_applied",
       "Cấp có thẩm quyền kết luận xếp loại {concluded}, cao hơn mức theo điểm{why}",
       "The competent level concluded {concluded}, above the band{why}",
       "conclusion", "concluded why", "a conclusion above the band where the set allows it"),
    _t("competent.not_applied",
       "Kết luận xếp loại {concluded} của cấp có thẩm quyền không áp dụng cho "
       "{period_words}: việc xếp loại chất lượng thực hiện theo {classified_words}",
       "The competent level's conclusion {concluded} does not apply to the {period_words_en}: "
       "the quality classification is made for the {classified_words_en}",
       "periods", "concluded period_words classified_words",
       "a conclusion on a period the rule set scores but does not classify: not applied"),
    _t("competent.not_graded",
       "Kết luận xếp loại {concluded} của cấp có thẩm quyền không áp dụng: không có kết quả "
       "đánh giá để xếp loại (chưa đánh giá hoặc không xếp loại)",
       "The competent level's conclusion {concluded} does not apply: there is no result to "
       "classify (not evaluated or not classified)",
       "none", "concluded",
       "a conclusion for someone without a grade (not evaluated, not classified): not applied"),
    _t("cap.head_unit",
       "Người đứng đầu không được xếp loại cao hơn kết quả của đơn vị ({unit_grade})",
       "A head of unit is not graded above the unit's result ({unit_grade})",
       "units", "unit_grade", "the head is capped at the unit's grade"),
    _t("cap.deputy_head",
       "Đơn vị còn việc chậm tiến độ: cấp phó không được xếp loại cao hơn người đứng đầu "
       "({head_grade})",
       "The unit has late work: a deputy is not graded above the head ({head_grade})",
       "units", "head_grade", "customs: a deputy not above the head when the unit has late work"),
    _t("quota.demoted",
       "Vượt tỷ lệ {quota_grade} {where}: tối đa {cap} người ({percent}% của {base_count} "
       "{base_words}); xếp thứ {rank}/{candidates} theo thứ tự ưu tiên nên xếp loại {lower}",
       "Above the {quota_grade} quota {where_en}: at most {cap} ({percent}% of {base_count} "
       "{base_words_en}); ranked {rank} of {candidates}, so graded {lower}",
       "quota", "quota_grade where cap percent base_count base_words rank candidates lower",
       "ranked past the quota of the group: the next grade down"),
    _t("unit.not_evaluated",
       "Đơn vị chưa có kết quả trong kỳ: chưa đánh giá",
       "The unit has no results for the period: not evaluated",
       "none", "", "a unit without results for the period (a fact: no clause, never the "
       "units' rule, the head's cap)"),
    _t("unit.council",
       "Hội đồng thẩm định kết luận {council} điểm{scores}",
       "The appraisal council concluded {council}{scores_en}",
       "none", "council scores", "the appraisal council's score replaces the computed one "
       "(practice, seed 004: no legal text, never the units' rule, the head's cap)"),
    _t("unit.kht_below_done",
       "Hoàn thành {done}% nhiệm vụ, dưới {minimum}%: xếp loại {kht}",
       "Tasks done {done}%, below {minimum}%: rated {kht}",
       "unit_kht", "done minimum kht",
       "a unit that did less than the set share of its tasks is KHT (NĐ 233/2026 Điều 7 k4 b)"),
    _t("unit.kht_personnel_wrongdoing",
       "Bị cấp có thẩm quyền kết luận có sai phạm trong công tác cán bộ, mất đoàn kết nội "
       "bộ, bè phái, chạy chức, chạy quyền: xếp loại {kht}",
       "Concluded by the competent level to have wrongdoing in personnel work, internal "
       "disunity, factionalism or the buying of positions or power: rated {kht}",
       "unit_wrongdoing", "kht",
       "a unit concluded to have wrongdoing in personnel work is KHT (NĐ 233/2026 Điều 7 k4 a; "
       "cites the rule set's personnel_wrongdoing_source)"),
    _t("unit.kht_leadership_duty_disciplined",
       "Có thành viên trong tập thể lãnh đạo, quản lý vi phạm liên quan đến chức trách, nhiệm "
       "vụ trong thực thi công vụ bị xử lý kỷ luật từ khiển trách trở lên: xếp loại {kht}",
       "A member of the leadership collective was disciplined at reprimand or heavier for a "
       "violation related to their duties in public service: rated {kht}",
       "unit_kht", "kht",
       "a collective with a leadership member disciplined for a duty-related violation is KHT "
       "(QĐ 366-QĐ/TW Điều 11 k4; cites the rule set's kht_source)"),
    _t("unit.kht_leadership_degraded",
       "Có thành viên trong tập thể lãnh đạo, quản lý bị cấp có thẩm quyền kết luận có biểu "
       "hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, “tự chuyển "
       "hoá”: xếp loại {kht}",
       "A member of the leadership collective was concluded by the competent level to show "
       "ideological, ethical or lifestyle degradation, self-evolution or self-transformation: "
       "rated {kht}",
       "unit_kht", "kht",
       "a collective with a leadership member concluded degraded is KHT (QĐ 366-QĐ/TW Điều 11 "
       "k4; cites the rule set's kht_source)"),
    _t("unit.kht_socioeconomic_targets_missed",
       "Địa phương, tổ chức, cơ quan, đơn vị do tập thể trực tiếp lãnh đạo, quản lý không hoàn "
       "thành 5 chỉ tiêu kinh tế - xã hội cơ bản được cấp có thẩm quyền giao, phê duyệt: xếp "
       "loại {kht}",
       "The localities, organisations, bodies or units the collective directly leads and "
       "manages did not meet the 5 basic socio-economic targets assigned or approved by the "
       "competent level: rated {kht}",
       "unit_kht", "kht",
       "a collective whose directly led units missed the 5 basic socio-economic targets is KHT "
       "(QĐ 366-QĐ/TW Điều 11 k4; force majeure is the competent level's, which then does not "
       "set the flag; cites the rule set's kht_source)"),
    _t("unit.excellent_condition.score",
       "Điểm {score} thấp hơn mức {minimum} để xếp {xs}",
       "Score {score} is below {minimum} needed for {xs}",
       "unit_conditions", "score minimum xs", "a unit's HTXS condition: the score"),
    _t("unit.excellent_condition.tasks_done",
       "Tỷ lệ nhiệm vụ hoàn thành {done}% chưa đạt {minimum}% để xếp {xs}",
       "Tasks done {done}% is below the {minimum}% needed for {xs}",
       "unit_conditions", "done minimum xs", "a unit's HTXS condition: every task done"),
    _t("unit.excellent_condition.on_time",
       "Tỷ lệ nhiệm vụ hoàn thành đúng thời hạn {on_time}% chưa đạt {minimum}% để xếp {xs}",
       "Tasks done on time {on_time}% is below the {minimum}% needed for {xs}",
       "unit_conditions", "on_time minimum xs",
       "a unit's HTXS condition: every task done on time (NĐ 233/2026 Điều 7 k1 a)"),
    _t("unit.excellent_condition.exceeded",
       "{exceeded_words} chưa đạt {minimum}% để xếp {xs}",
       "{exceeded_words} is below the {minimum}% needed for {xs}",
       "unit_conditions", "exceeded_words minimum xs",
       "a unit's HTXS condition: tasks exceeded (none given: said so, never a dash)"),
    _t("unit.excellent_condition.shortcomings",
       "{shortcomings}: không xếp {xs}",
       "{shortcomings}: not {xs}",
       "unit_shortcomings", "shortcomings xs",
       "a unit's HTXS condition: every shortcoming pointed out remedied, in the words of the "
       "rule set's text (SHORTCOMINGS_WORDS by [units] shortcomings_pointed_out_by: NĐ "
       "233/2026 Điều 7 k1 c, QĐ 366-QĐ/TW Điều 11 k1; cites the set's shortcomings_source)"),
    _t("unit.excellent_condition.subunit_kht",
       "Có đơn vị trực thuộc xếp loại {kht}: không xếp {xs}",
       "A sub-unit is rated {kht}: not {xs}",
       "unit_conditions", "kht xs", "a unit's HTXS condition: no sub-unit KHT"),
    _t("unit.excellent_condition.discipline",
       "Có đơn vị trực thuộc hoặc thành viên tập thể lãnh đạo bị kỷ luật: không xếp {xs}",
       "A subordinate unit or a member of the leadership collective was disciplined: not {xs}",
       "unit_conditions", "xs", "a unit's HTXS condition (QĐ 366-QĐ/TW): nobody disciplined"),
    _t("unit.small_parent",
       "Đơn vị cấp trên có dưới {threshold} đơn vị trực thuộc: tối đa {limit} đơn vị được "
       "xếp {xs}; đơn vị này xếp sau",
       "The parent has fewer than {threshold} sub-units: at most {limit} may be {xs}; this "
       "unit ranks below",
       "small_parent", "threshold limit xs",
       "a parent with few sub-units rates at most a few of them HTXS (NĐ 233/2026 Điều 7 k7 c; "
       "cites the rule set's small_parent_source)"),
    _t("unit.excellent_share",
       "Tỷ lệ đơn vị xếp {xs} không vượt quá {percent}% số đơn vị xếp {htt} cùng cấp trên: "
       "đơn vị này xếp sau",
       "Units rated {xs} are at most {percent}% of the units rated {htt} under the same "
       "parent: this unit ranks below",
       "unit_share", "xs percent htt",
       "the sub-units' share of HTXS: at most a share of those rated HTT (NĐ 233/2026 Điều 7 "
       "k7 a, k8; cites the rule set's excellent_share_source)"),
    _t("unit.excellent_share_raised",
       "Cấp có thẩm quyền quyết định tỷ lệ đơn vị xếp {xs} cao hơn nhưng không vượt quá "
       "{percent}% số đơn vị xếp {htt} cùng cấp trên: đơn vị này xếp sau",
       "The competent level decided a higher share: units rated {xs} are at most {percent}% "
       "of the units rated {htt} under the same parent: this unit ranks below",
       "unit_share", "xs percent htt",
       "the sub-units' higher share of HTXS the competent level decided (NĐ 233/2026 Điều 7 "
       "k7 b, k8; cites the rule set's excellent_share_raised_source)"),
    _t("unit.band_condition.good",
       "Tổng điểm thuộc khung điểm của mức {htt} nhưng chưa đạt điều kiện hoàn thành đúng "
       "thời hạn {minimum}% nhiệm vụ được giao (đạt {on_time}%): mức {htt} là mức đề xuất, "
       "cấp có thẩm quyền xem xét, quyết định mức xếp loại",
       "The total is in the band of {htt} but its condition of {minimum}% of the tasks "
       "assigned done on time is not met ({on_time}%): {htt} is proposed, the competent "
       "level considers the unit and decides its grade",
       "unit_band", "htt on_time minimum",
       "a unit of the HTT band not meeting its other condition: the band's grade proposed, "
       "said for the competent level, which decides (NĐ 233/2026 Điều 7 k2, k5)"),
    _t("unit.band_condition.fair",
       "Tổng điểm thuộc khung điểm của mức {ht} nhưng chưa đạt đồng thời các điều kiện hoàn "
       "thành {minimum}% nhiệm vụ được giao (đạt {done}%) và số nhiệm vụ chưa bảo đảm tiến độ "
       "không vượt quá {late_max}% (là {late}%): mức {ht} là mức đề xuất, cấp có thẩm quyền "
       "xem xét, quyết định mức xếp loại",
       "The total is in the band of {ht} but its conditions of {minimum}% of the tasks "
       "assigned done and at most {late_max}% not on schedule are not both met ({done}% "
       "done, {late}% not on schedule): {ht} is proposed, the competent level considers the "
       "unit and decides its grade",
       "unit_band", "ht done minimum late late_max",
       "a unit of the HT band not meeting its other conditions: the band's grade proposed, "
       "said for the competent level, which decides (NĐ 233/2026 Điều 7 k3, k5)"),
    _t("inspection.deduction",
       "Kết quả kiểm tra công vụ: trừ {points} điểm",
       "Inspection of public duty: {points} points deducted",
       "inspection", "points", "an inspection finding deducts points"),
    _t("inspection.notice",
       "Kết quả kiểm tra công vụ có kiến nghị: đề nghị cấp có thẩm quyền xem xét",
       "An inspection of public duty made a finding: for the competent level to consider",
       "inspection", "", "an inspection finding for the competent level"),
)  # fmt: skip

#: Codes no longer emitted, kept so that results written by an earlier version still
#: explain and render (read back from JSON, a workbook or the archive).
RETIRED = frozenset({"rollup.maternity", "rollup.sick"})

#: The reasons that set a period's grade off its score's band — a disqualifier, a cap (the
#: head's at the unit's grade, a deputy's), the quota, the competent level's conclusion —
#: or, on a period the set scores only, give the year its grounds (NĐ 90/2020's months).
OFF_BAND = ("disqualifier.", "cap.", "quota.", "competent.concluded",
            "competent.above_band_applied")


def off_band(code: str) -> bool:
    """Whether ``code`` is one of :data:`OFF_BAND`: a reason a period's grade is not its
    band's (the note of its row on the year's sheet).

    >>> off_band("cap.head_unit"), off_band("disqualifier.discipline"), off_band("band")
    (True, True, False)
    """
    return code.startswith(OFF_BAND)


_BY_CODE = {t.code: t for t in CATALOGUE if not t.is_family}
_ORDER = {t.code: i for i, t in enumerate(CATALOGUE)}
_FAMILIES = tuple(t for t in CATALOGUE if t.is_family)


def template_for(code: str) -> ReasonTemplate:
    """The catalogue entry of ``code`` (exact codes before families).

    >>> template_for("disqualifier.discipline").code
    'disqualifier.*'
    """
    found = _BY_CODE.get(code)
    if found is not None:
        return found
    for fam in _FAMILIES:
        if fam.matches(code):
            return fam
    raise UnknownReasonError(f"reason code {code!r} is not in the catalogue")


def catalogue_order(code: str) -> int:
    """The position of ``code`` in the catalogue (the order reasons are shown in).

    >>> catalogue_order("band") < catalogue_order("quota.demoted")
    True
    """
    return _ORDER[template_for(code).code]


def split_codes(codes: object) -> tuple[str, ...]:
    """The codes of a ``reasons`` cell (``'a;b'``, a list, None or NaN)."""
    if codes is None or (isinstance(codes, float) and math.isnan(codes)):
        return ()
    if isinstance(codes, str):
        return tuple(c for c in codes.split(";") if c)
    if isinstance(codes, Iterable):
        return tuple(str(c) for c in codes if c)
    return ()


def not_classified_rows(results: pd.DataFrame, grade: str) -> pd.Series:
    """Which rows of a results frame are *Không xếp loại*, as
    :attr:`evalkit.model.EvaluationResult.not_classified` says of one result: no ``grade``
    though a ``total`` (or ``annual_total``), or a reason of
    :data:`evalkit.model.NOT_CLASSIFIED_CODES` (no month worked in the year)."""
    import pandas as pd

    from evalkit import _columns

    told = pd.Series(False, index=results.index)
    for c in ("total", "annual_total"):
        if c in results.columns:  # "86,5" is a total, as every door reads it
            told |= pd.Series(_columns.numbers(results, c, _columns.Problems(results)),
                              index=results.index).notna()
    if "reasons" in results.columns:
        told |= results["reasons"].astype("string").fillna("").str.contains(
            "(?:^|;)(?:" + "|".join(map(re.escape, sorted(NOT_CLASSIFIED_CODES))) + ")(?:;|$)")
    return results[grade].isna() & told


# --------------------------------------------------------------------------- formatting


def fmt_number(value: object, lang: str = "vi", *, decimals: int | None = 2) -> str:
    """A number as a sheet prints it in its cells and its sentences alike: half up to
    ``decimals`` places (six for ``None``), without trailing zeros, ``91`` and ``94,17``
    in Vietnamese (a thousands dot: ``1.250,5``), ``94.17`` in English; ``—`` for none.

    >>> fmt_number(93.5), fmt_number(93.5, "en"), fmt_number(82.0), fmt_number(89.995)
    ('93,5', '93.5', '82', '90')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # numpy's too
        return _fmt_cached(value, lang, decimals)  # a year's sentences repeat their numbers
    return _fmt(value, lang, decimals)


@functools.lru_cache(maxsize=1 << 16)
def _fmt_cached(value: float, lang: str, decimals: int | None) -> str:
    return _fmt(value, lang, decimals)


def _fmt(value: object, lang: str, decimals: int | None) -> str:
    places = 6 if decimals is None else decimals
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{q:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def _grade_words(rules: RuleSet, value: object, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return "—"
    try:
        g = Grade.parse(value)
    except EvalkitError:
        return str(value)
    return rules.grade_label(g, lang)


def _period_words(kind: str, lang: str) -> str:
    if lang == "en":
        return {"month": "month", "quarter": "quarter", "year": "year"}[kind]
    return {"month": "tháng", "quarter": "quý", "year": "năm"}[kind]


#: Source statuses whose rules no legal text sets (what forms and systems do, or nothing
#: found): their sentences carry no citation, whatever ``source`` the file gives.
_NOT_CITED = frozenset({"practice", "unsourced"})


def _citation(rules: RuleSet, tpl: ReasonTemplate, code: str, row: Mapping[str, Any]) -> str:
    """The short citation printed after a sentence: the source of the rule that gave it,
    none where that rule's status says no legal text sets it."""
    rule, source = _cited_rule(rules, tpl, code, row)
    if rule is not None and getattr(rule, "status", "") in _NOT_CITED:
        return ""
    return source


def _cited_rule(rules: RuleSet, tpl: ReasonTemplate, code: str,
                row: Mapping[str, Any]) -> tuple[Any, str]:  # fmt: skip
    """The rule object behind a sentence and its ``source``."""
    kind = tpl.cite
    if kind == "band":
        g = row.get("score_grade")
        total = row.get("total")
        band = None
        if total is not None and not (isinstance(total, float) and math.isnan(total)):
            try:
                band = rules.band_for(float(total))
            except EvalkitError:
                band = None
        if band is None and g not in (None, ""):
            band = next((b for b in rules.bands if b.grade == Grade.parse(g)), None)
        return band, (band.source if band else "")
    if kind in ("cap", "notice"):
        item = _rule_of(rules.caps if kind == "cap" else rules.notices, code)
        return item, (item.source if item else "")
    if kind == "quota":
        q = _quota_rules(rules, row).quota
        if q is None:
            return None, ""
        return q, q.terms(_truthy(row.get("quota_raised")))[2]
    if kind == "units":
        return rules.units, rules.units.source
    if kind in ("management", "inspection"):  # its own source (management: else the units')
        table = "inspections" if kind == "inspection" else kind
        return getattr(rules, citing_key(rules, table).partition(".")[0]), cited(rules, table)
    # each unit rule by a field it sets, cited by its own source key (evalkit.rules.sources
    # .CITED_BY: k2's sentence k2, k7 b's higher share k7 b, …, each else the unit's source)
    field = {"unit_conditions": "excellent_on_time_percent",
             "small_parent": "small_parent_threshold",
             "unit_share": "excellent_share_raised_percent" if code.endswith("_raised")
             else "excellent_share_percent",
             "unit_band": "good_on_time_percent" if code.endswith(".good")
             else "fair_done_percent",
             "unit_shortcomings": "excellent_requires_shortcomings_remedied",
             "unit_wrongdoing": "kht_personnel_wrongdoing",
             "unit_kht": "kht_below_done_percent"}.get(kind)  # fmt: skip
    if field is not None:
        return rules.units, cited(rules.units, field)
    if kind == "conclusion":
        return rules.conclusion, rules.conclusion.source
    if kind == "rollup":
        pol = rules.rollup
        if code == "rollup.average" and pol.average_source is not None:
            return None, pol.average_source  # its own citation, or none where no text says so
        # the leave exemptions' own clause where the set names one (NĐ 233/2026 Điều 14 k2:
        # leave classified on the time worked; a year on such leave with no month worked
        # too), else the months-worked rule's (k1: under 6 months, not classified)
        on_leave = code == "rollup.leave" or (
            code == "rollup.no_months" and _leave_of(pol, row)[0] > 0)
        leave = pol.leave_source if pol.leave_source and on_leave else pol.months_source or ""
        field = {"rollup.too_few_months": "min_months", "rollup.absent_cap": "absent_cap",
                 "rollup.maternity": "maternity_exempt", "rollup.sick": "sick_exempt"}.get(code)
        if field is not None:  # by its own key (CITED_BY): the leave clause's, the months-
            # worked rule's (NĐ 90's rules: never cited to NĐ 335), else the roll-up's own
            return (pol if citing_key(pol, field) == "source" else None), cited(pol, field)
        if code in ("rollup.leave", "rollup.no_months", "rollup.nothing_assigned") \
                and pol.months_source \
                and pol.min_months > 0 and _months_rule_covers(pol, row):  # fmt: skip
            # the set's months-worked rule says it (NĐ 233/2026 Điều 14 k1: under 6 months,
            # none at all, not classified; k2: leave, classified on the time worked, which
            # a year on such leave all year does not have), not the rule the roll-up itself
            # cites (Luật Viên chức 2025 Điều 26 k1)
            return None, leave
        if code == "rollup.leave" and pol.leave_source and not pol.months_source:
            # no months-worked rule: the leave clause itself (NĐ 335/2025 Điều 21 k3), not
            # the roll-up's own source (customs: a letter not seen to say it)
            return None, pol.leave_source
        if code == "rollup.leave" and pol.months_source and pol.min_months > 0:
            # a months-worked rule not reaching the row (Hà Nội's contract staff): the time
            # worked is the mean's, cited as the mean is (QĐ 3814 says nothing of leave)
            return None, pol.source if pol.average_source is None else pol.average_source
        return pol, pol.source
    if kind == "periods":
        return None, rules.classified_source
    if kind == "adjustment":
        item = _rule_of(rules.adjustments, code)
        return item, (item.source if item else "")
    return None, ""


def _months_rule_covers(pol: Any, row: Mapping[str, Any]) -> bool:
    """Whether the months-worked rule of ``pol`` (its ``months_scope``) reaches the row's
    category and period (either not known: reached, as :meth:`Scope.covers` takes it)."""
    if pol.months_scope.everywhere:
        return True
    cat, per = row.get("category"), row.get("period")
    try:
        return bool(pol.months_scope.covers(cat if isinstance(cat, str) and cat else None,
                                            str(per) if per is not None and str(per) else None))
    except (EvalkitError, ValueError):  # an unreadable category or period: not said
        return True


def _leave_of(pol: Any, row: Mapping[str, Any]) -> tuple[int, tuple[str, ...], bool]:
    """The months of leave of the row's person that ``pol`` classifies on the time worked
    (:meth:`RollupPolicy.worked_time_leave`; a quarter: every kind), their kinds, and
    whether the person had each of them (results without ``maternity_months`` and
    ``absent_months``: all of ``leave_months``, one of the set's kinds or another)."""
    quarter = "Q" in str(row.get("period") or "").upper()
    kinds = pol.worked_time_leave(not quarter and pol.min_months > 0 and _months_rule_covers(pol, row))
    total = _int(row.get("leave_months"))
    if _blank(row.get("maternity_months")) or _blank(row.get("absent_months")):
        return total, kinds, False
    mat, absent = _int(row.get("maternity_months")), _int(row.get("absent_months"))
    had = {"maternity": mat, "sick": total - mat - absent, "absent": absent}
    return sum(had[k] for k in kinds), tuple(k for k in kinds if had[k] > 0), True


def _leave_kinds(leave: tuple[int, tuple[str, ...], bool], lang: int) -> str:
    """The kinds of ``leave`` in words ("thai sản và ốm đau", "thai sản hoặc ốm đau" where
    not known which; ``lang`` 1: English)."""
    words = [LEAVE_WORDS[k][lang] for k in leave[1]]
    joiner = (" và ", " and ") if leave[2] else (" hoặc ", " or ")
    return ", ".join(words[:-1]) + joiner[lang] + words[-1] if len(words) > 1 else "".join(words)


def _quota_rules(rules: RuleSet, row: Mapping[str, Any]) -> RuleSet:
    """``rules`` holding the quota the row counted with: the year's own (``rollup.quota``)
    where it reaches the row's year and category (:meth:`RuleSet.quota_for`)."""
    cat, per = row.get("category"), row.get("period")
    try:
        q = rules.quota_for(str(per), cat if isinstance(cat, str) and cat else None)
    except (EvalkitError, ValueError):  # no period (or an unreadable one): the set's quota
        return rules
    return rules if q is rules.quota else attrs.evolve(rules, quota=q)


def _rule_of(items: Sequence[Any], code: str) -> Any:
    rid = code.split(".", 1)[1] if "." in code else code
    return next((x for x in items if x.id == rid), None)


def _period_kind(text: str) -> str:
    """The kind of a period's text: ``'2026'`` a year, ``'2026-Q3'`` a quarter, else a month."""
    return "year" if len(text) == 4 else ("quarter" if "Q" in text.upper() else "month")


def _period_of(rules: RuleSet, row: Mapping[str, Any]) -> str:
    """The row's period as its sentences read it: its ``period``; without one, for a row the
    engine marked not classified (``classified`` False: :func:`evalkit.score_frame` keeps no
    ``period``), the kind of period the rule set scores (``'month'``); else ``''``."""
    per = row.get("period")
    if not _blank(per) and str(per) != "":
        return str(per)
    done = row.get("classified")
    return "" if _blank(done) or bool(done) else rules.period


def _blank(value: object) -> bool:
    """A missing value: None, NaN or pandas' NA (a total of 0 is not blank)."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        type(value).__name__ == "NAType")


def _truthy(value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return bool(value)


def _is_one(value: object) -> bool:
    try:
        return float(value) == 1.0  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _int(value: object, default: int = 0) -> int:
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return default if math.isnan(x) else int(x)


#: The Vietnamese word for the people a rule set evaluates (its ``categories``).
_STAFF_WORDS = {
    frozenset({"cong_chuc"}): "công chức",
    frozenset({"vien_chuc"}): "viên chức",
    frozenset({"can_bo"}): "cán bộ",
    frozenset({"can_bo", "cong_chuc"}): "cán bộ, công chức",
    frozenset({"cong_chuc", "vien_chuc"}): "công chức, viên chức",
}


#: The English of :data:`_STAFF_WORDS` (docs/glossary.md), for a group's name.
_STAFF_WORDS_EN = {
    "công chức": "civil servants", "viên chức": "public employees", "cán bộ": "officials",
    "cán bộ, công chức": "officials and civil servants",
    "công chức, viên chức": "civil servants and public employees",
}


def quota_where(rules: RuleSet, row: Mapping[str, Any], lang: str = "vi") -> str:
    """The group a person's quota was counted in, as the quota's sentences name it: a
    group with similar duties (the row's ``duty_group`` where the quota is per duty group),
    a unit's group of one rule set's people (``quota_groups`` of two or more: công chức
    beside viên chức), else the unit.

    >>> import evalkit.rules
    >>> quota_where(evalkit.rules.get("vn.nd335-2025"), {"duty_group": "A"})
    'trong nhóm công chức có nhiệm vụ tương đồng của đơn vị'
    """
    q = rules.quota
    dg = row.get("duty_group")
    in_group = q is not None and "duty_group" in q.group_by and _truthy(dg) and dg != ""
    # a unit with two quota groups or more (công chức beside viên chức, duty groups): the
    # sentence names the group its counts are of; one group: the unit's
    of_group = not in_group and _int(row.get("quota_groups")) > 1
    words = staff_words(rules, lang)
    if lang == "en":
        return ("in the unit's group with similar duties" if in_group
                else f"of the unit's group of {words}" if of_group else "of the unit")  # fmt: skip
    return (f"trong nhóm {words} có nhiệm vụ tương đồng của đơn vị" if in_group
            else f"của nhóm {words} của đơn vị" if of_group else "của đơn vị")  # fmt: skip


def quota_base_words(rules: RuleSet, raised: bool = False, lang: str = "vi") -> str:
    """The people a quota's base counts (its raised base where ``raised``), as every
    sentence and figure of the quota names them.

    >>> import evalkit.rules
    >>> quota_base_words(evalkit.rules.get("vn.nd335-2025"))
    'người xếp loại Hoàn thành tốt nhiệm vụ'
    >>> quota_base_words(evalkit.rules.get("hanoi.3814-2018"), True, "en")
    'staff of the unit'
    """
    base = rules.quota.terms(raised)[0] if rules.quota is not None else "HTT"
    en = lang == "en"
    if base == "classified":
        return "classified" if en else "người được xếp loại"
    if base == "all_staff":
        return "staff of the unit" if en else "người của đơn vị"
    label = rules.grade_label(Grade.parse(base), lang)
    return f"graded {label}" if en else f"người xếp loại {label}"


def share_basis(rules: RuleSet, graded: int, quota: tuple[int, int, bool] | None,
                classified: bool = True, lang: str = "vi") -> str:  # fmt: skip
    """What the shares of a count table are of: the ``graded`` people; the quota's grade,
    where a quota applied (``quota``: the people kept at its grade, its base and whether
    the base was the raised one), of the quota's base (NĐ 335/2025/NĐ-CP Điều 20 k5 a: 20%
    of those rated HTT) — the unit summary and the overview alike.

    >>> import evalkit.rules
    >>> share_basis(evalkit.rules.get("vn.nd335-2025"), 10, (1, 8, False))
    'Tỷ lệ tính trên 10 người được xếp loại; riêng mức Hoàn thành xuất sắc nhiệm vụ: 1 trên 8 người xếp loại Hoàn thành tốt nhiệm vụ (căn cứ tính tỷ lệ khống chế)'
    """
    en = lang == "en"
    who = ("graded" if classified else "with a band") if en else (
        "người được xếp loại" if classified else "người có mức tương ứng với điểm")
    said = f"Shares of the {graded} people {who}" if en else f"Tỷ lệ tính trên {graded} {who}"
    if quota is None or rules.quota is None:
        return said
    kept, base, raised = quota
    grade, words = rules.grade_label(rules.quota.grade, lang), quota_base_words(rules, raised,
                                                                                lang)
    return (f"{said}; {grade}: {kept} of the {base} {words} (the quota's base)" if en else
            f"{said}; riêng mức {grade}: {kept} trên {base} {words} (căn cứ tính tỷ lệ khống "
            "chế)")


def staff_words(rules: RuleSet, lang: str = "vi") -> str:
    """The name of the people ``rules`` evaluates, as a group of a unit is named (the
    demotion sentence of a unit with two quota groups, the unit summary's quota block):
    *công chức*, *viên chức* … by the set's categories; ``lang="en"``: *civil servants*,
    *public employees* … (docs/glossary.md); a set of other categories: *người theo NĐ …*
    (*people under …*).

    >>> import evalkit.rules
    >>> [staff_words(evalkit.rules.get(r), lang) for r in ("vn.nd335-2025", "vn.nd233-2026")
    ...  for lang in ("vi", "en")]
    ['công chức', 'civil servants', 'viên chức', 'public employees']
    """
    words = _staff_words(rules)
    if lang == "en":
        return _STAFF_WORDS_EN.get(words) or f"people under {rules.source_short or rules.id}"
    return words if words != "người" else f"người theo {rules.source_short or rules.id}"


def _staff_words(rules: RuleSet) -> str:
    """The word the sentences use for the people ``rules`` evaluates: *công chức* under
    Luật Cán bộ, công chức, *viên chức* under Luật Viên chức, the pair for a set of both,
    else the neutral *người* (a mix that includes contract staff, say).

    >>> import evalkit.rules
    >>> [_staff_words(evalkit.rules.get(r)) for r in ("vn.nd335-2025", "vn.nd233-2026")]
    ['công chức', 'viên chức']
    """
    return _STAFF_WORDS.get(frozenset(str(c) for c in rules.categories), "người")


def _params(rules: RuleSet, code: str, row: Mapping[str, Any], lang: str) -> _Params:
    """The values a sentence needs, from the rule set and the result row (one place)."""
    en = lang == "en"
    def num(v: object, d: int | None = 2) -> str:
        return fmt_number(v, lang, decimals=d)

    def g(v: object) -> str:
        return _grade_words(rules, v, lang)

    # the values every sentence may name, each worked out only where a template or a branch
    # below reads it (most sentences name one or two)
    p = _Params({
        "total": lambda: num(row.get("total")),
        "grade": lambda: g(row.get("grade")),
        "xs": lambda: rules.grade_label(Grade.HTXS, lang),
        "htt": lambda: rules.grade_label(Grade.HTT, lang),
        "ht": lambda: rules.grade_label(Grade.HT, lang),
        "kht": lambda: rules.grade_label(Grade.KHT, lang),
        "staff_words": lambda: _staff_words(rules),
    })
    fam = code.split(".", 1)[0]
    if code == "band":
        total = row.get("total")
        band = None
        try:
            band = rules.band_for(float(total))  # type: ignore[arg-type]
        except (EvalkitError, TypeError, ValueError):
            band = None
        if band is not None:
            top = band is max(rules.bands, key=lambda b: b.max)
            lo, hi = num(band.min, None), num(band.max, None)
            p["grade"] = rules.grade_label(band.grade, lang)
            if en:
                p["range"] = f"{lo} to {hi}" if top else f"{lo} to under {hi}"
            else:
                p["range"] = f"từ {lo} đến {hi} điểm" if top else f"từ {lo} đến dưới {hi} điểm"
        else:
            p["range"] = "—"
    elif code in ("band.information", "competent.not_applied"):
        kind = _period_kind(_period_of(rules, row))
        classified = [k for k in ("month", "quarter", "year") if k in rules.classified]
        p["period_words"] = _period_words(kind, "vi")
        p["period_words_en"] = _period_words(kind, "en")
        joiner_vi, joiner_en = " và ", " and "
        p["classified_words"] = joiner_vi.join(_period_words(k, "vi") for k in classified)
        p["classified_words_en"] = joiner_en.join(_period_words(k, "en") for k in classified)
        p["concluded"] = g(row.get("competent_grade"))
    elif fam in ("disqualifier", "cap") and code not in ("cap.head_unit", "cap.deputy_head"):
        cap = _rule_of(rules.caps, code)
        # the fact alone where the period has no grade of its own to lower: a period without
        # scores, one the rule set only scores (NĐ 335's months: the year applies it), or a
        # year not classified (NĐ 233 Điều 14 k1: under 6 months worked)
        p["outcome"] = ""
        when = _period_of(rules, row)
        kind = _period_kind(when)
        graded = not any(k in row and _blank(row.get(k)) for k in ("total", "grade")) and (
            not when or (rules.classifies(when) and (cap is None or cap.reaches(kind))))
        if cap is not None:
            p["label"] = (cap.label_en or cap.label_vi) if en else cap.label_vi
            if graded:
                at_most = fam == "cap"
                p["outcome"] = (f": graded {'at most ' if at_most else ''}"
                                f"{rules.grade_label(cap.grade, lang)}" if en else
                                f": xếp loại {'tối đa ' if at_most else ''}"
                                f"{rules.grade_label(cap.grade, lang)}")  # fmt: skip
        else:
            p["label"] = code
    elif fam == "notice":
        notice = _rule_of(rules.notices, code)
        p["label"] = ((notice.label_en or notice.label_vi) if en else notice.label_vi) \
            if notice else code
    elif code == "cap.head_unit":
        p["unit_grade"] = g(row.get("unit_grade"))
    elif code == "cap.deputy_head":
        p["head_grade"] = g(row.get("head_grade"))
    elif fam == "management":
        mp = rules.management
        value = row.get("mgmt_value")
        p["value"] = num(value if value is not None else mp.full, None)
        p["typed"] = num(row.get("mgmt_typed"), None)
        below = _int(row.get("mgmt_below"))
        n = _int(row.get("mgmt_subordinates"))
        thr = rules.grade_label(mp.threshold, lang)
        what = "điểm" if mp.test == "score" else "kết quả xếp loại"
        who = p["staff_words"]
        if n == 1:  # the one person under the leader: said plainly, no "1/1", no "cả 1"
            level = f"dưới mức {thr}" if below else f"từ mức {thr} trở lên"
            p["d_words"] = f"{who} thuộc quyền quản lý có {what} {level}"
            p["d_words_en"] = (f"the one person under the leader's authority is "
                               f"{'below ' + thr if below else thr + ' or above'}")  # fmt: skip
        elif below:
            p["d_words"] = (f"có {below}/{n} {who} thuộc quyền quản lý có {what} "
                            f"dưới mức {thr}")  # fmt: skip
            p["d_words_en"] = f"{below} of {n} staff under the leader's authority are below {thr}"
        else:
            p["d_words"] = f"cả {n} {who} thuộc quyền quản lý có {what} từ mức {thr} trở lên"
            p["d_words_en"] = f"all {n} staff under the leader's authority are {thr} or above"
    elif fam == "competent":
        p["concluded"] = g(row.get("competent_grade"))
        # the grade before the quota (a frame scored without one: its grade)
        p["grade"] = g(row.get("proposed_grade", row.get("grade"))
                       if code == "competent.above_band" else row.get("grade"))  # fmt: skip
        why = row.get("competent_reason")
        p["why"] = "" if _blank(why) or not str(why).strip() else f": {why}"  # none: not said
    elif code == "quota.demoted":
        rules = _quota_rules(rules, row)  # the year's own quota where it counted the row
        q = rules.quota
        qg = q.grade if q is not None else Grade.HTXS
        p["quota_grade"] = rules.grade_label(qg, lang)
        p["lower"] = rules.grade_label(Grade(max(int(qg) - 1, 0)), lang)
        p["where"], p["where_en"] = (quota_where(rules, row, x) for x in ("vi", "en"))
        p["cap"] = str(_int(row.get("quota_cap")))
        p["percent"] = num(row.get("quota_percent"), None)
        p["base_count"] = str(_int(row.get("quota_base")))
        p["rank"] = str(_int(row.get("quota_rank")))
        p["candidates"] = str(_int(row.get("quota_candidates")))
        p["base_words"], p["base_words_en"] = (
            quota_base_words(rules, _truthy(row.get("quota_raised")), x) for x in ("vi", "en"))
    elif fam == "rollup":
        pol = rules.rollup
        quarter_row = "Q" in str(row.get("period") or "").upper()  # months rolled to a quarter
        of = row.get("periods_kind")  # what the year averaged (a file without it: the set's)
        by_quarter = of == "quarter" if not _blank(of) else pol.of == "quarter" and not quarter_row
        periods = row.get("periods")  # the quarters averaged (a file without it: the months,
        by_quarter = by_quarter and not _blank(periods)  # as it said; never months ÷ 3)
        worked = _int(row.get("months")) - _int(row.get("nothing_assigned_months"))
        p["which"], p["which_en"] = ("quý", "quarter's") if quarter_row else ("năm", "year's")
        p["period_unit"] = "quý" if by_quarter else "tháng"
        unit_en = p["period_unit_en_one"] = "quarter" if by_quarter else "month"
        if code == "rollup.absent_cap":
            p["grade"] = rules.grade_label(pol.absent_cap_grade, lang)

        def count() -> str:  # quarters: ``periods``; months: the months worked, less those
            return str(_int(periods) if by_quarter else worked)  # with nothing assigned

        def branches(joiner: str) -> str:  # the count rule's branches (HTT only if configured)
            named = [p["xs"], p["htt"], p["kht"]] if pol.count_good_max_ht is not None else \
                [p["xs"], p["kht"]]
            return ", ".join(named[:-1]) + joiner + named[-1]

        def months(value: object) -> str:  # "1 month", "1.5 months"
            return "month" if _is_one(value) else "months"

        p.later(
            months=lambda: str(_int(row.get("months"))), count=count,
            period_unit_en=lambda: unit_en if p["count"] == "1" else unit_en + "s",
            leave_months=lambda: str(_leave_of(pol, row)[0]),
            leave_kinds=lambda: _leave_kinds(_leave_of(pol, row), 0),
            leave_kinds_en=lambda: _leave_kinds(_leave_of(pol, row), 1),
            leave_months_en=lambda: "month" if p["leave_months"] == "1" else "months",
            min_months=lambda: str(pol.min_months), a=lambda: str(pol.absent_cap_min_months),
            b=lambda: str(pol.absent_cap_max_months), branches=lambda: branches(" hoặc "),
            branches_en=lambda: branches(" or "),
            count_xs=lambda: str(_int(row.get("count_xs"))),
            count_kht=lambda: str(_int(row.get("count_kht"))),
            count_ht=lambda: str(_int(row.get("count_ht"))),
            months_worked=lambda: num(row.get("months_worked"), None),
            limit=lambda: num(pol.period_short_months or 0.0, None),
            carried_months=lambda: str(_int(row.get("carried_months"))),
            months_worked_en=lambda: months(row.get("months_worked")),
            carried_months_en=lambda: months(_int(row.get("carried_months"))),
            limit_en=lambda: months(pol.period_short_months))
        if code == "rollup.count.good":  # "Không có quý …", never "Có 0 quý …"
            n_ht, n_kht = _int(row.get("count_ht")), _int(row.get("count_kht"))
            p["ht_quarters"] = f"Có {n_ht} quý {p['ht']}" if n_ht else f"Không có quý {p['ht']}"
            p["kht_quarters"] = (f"không có quý {p['kht']}" if not n_kht else
                                 f"{'' if n_ht else 'có '}{n_kht} quý {p['kht']}")
            p["ht_quarters_en"] = (f"{n_ht} {'quarter' if n_ht == 1 else 'quarters'} {p['ht']}"
                                   if n_ht else f"No quarter {p['ht']}")
            p["kht_quarters_en"] = f"{n_kht} {p['kht']}" if n_kht else f"none {p['kht']}"
    elif fam == "unit":
        pol_u = rules.units
        p["score"] = num(row.get("score"))
        p["council"] = num(row.get("council_score"))
        # the scores the council's replaced, those the unit has (never a dash for one it lacks)
        for key, words in (("scores", ("điểm tính theo kết quả", "đơn vị tự chấm")),
                           ("scores_en", ("computed", "self-score"))):
            said = [f"{w} {num(v)}" for w, v in zip(words, (row.get("computed_score"),
                                                               row.get("self_score")),
                                                     strict=True) if not _blank(v)]  # fmt: skip
            p[key] = f" ({', '.join(said)})" if said else ""
        p["done"] = num(row.get("done_percent"))
        p["exceeded"] = num(row.get("exceeded_percent"))
        p["on_time"] = num(row.get("on_time_percent"))
        on_time = row.get("on_time_percent")  # not on schedule: not done on time (k3)
        p["late"] = num(None if on_time is None or _blank(on_time) else 100.0 - float(on_time))
        # no count of tasks exceeded given: said in words, never "—%"
        p["exceeded_words"] = (
            ("No count of tasks exceeded was given: the share exceeded" if en else
             "Không có số nhiệm vụ hoàn thành vượt mức: tỷ lệ vượt mức")
            if _blank(row.get("exceeded_percent")) else
            (f"Tasks exceeded {p['exceeded']}%" if en else
             f"Tỷ lệ nhiệm vụ vượt mức {p['exceeded']}%"))  # fmt: skip
        if code == "unit.excellent_condition.shortcomings":
            p["shortcomings"] = SHORTCOMINGS_WORDS[pol_u.shortcomings_pointed_out_by][en]
        if code == "unit.excellent_condition.score":
            p["minimum"] = num(pol_u.excellent_min_score, None)
        elif code == "unit.excellent_condition.tasks_done":
            p["minimum"] = num(pol_u.excellent_tasks_done_percent, None)
        elif code == "unit.excellent_condition.exceeded":
            p["minimum"] = num(pol_u.excellent_exceeded_percent, None)
        elif code == "unit.excellent_condition.on_time":
            p["minimum"] = num(pol_u.excellent_on_time_percent, None)
        elif code == "unit.kht_below_done":
            p["minimum"] = num(pol_u.kht_below_done_percent, None)
        elif code == "unit.band_condition.good":
            p["minimum"] = num(pol_u.good_on_time_percent, None)
        elif code == "unit.band_condition.fair":
            p["minimum"] = num(pol_u.fair_done_percent, None)
            p["late_max"] = num(pol_u.fair_late_max_percent, None)
        p["threshold"] = str(pol_u.small_parent_threshold or "")
        p["limit"] = str(pol_u.small_parent_max_excellent or "")
        p["percent"] = num(pol_u.excellent_share_raised_percent if code.endswith("_raised")
                           else pol_u.excellent_share_percent, None)
    elif fam == "inspection":
        p["points"] = num(row.get("inspection_points"), None)
    elif fam == "deduction":
        adj = _rule_of(rules.adjustments, code)
        if adj is not None:
            label = _criterion_label(rules, adj.input, lang)
            found = re.match(r"\(\w+\)", label)  # (b): the mark the sheet's row carries
            p["mark"] = found.group(0) if found else label
            p["step"] = num(adj.step, None)
            p["what"] = event_words(rules, adj.events, lang)
        p["events"] = num(row.get("events"), None)
    elif code == "kpi":
        block = next((b for b in rules.blocks if b.params.get("kpi")), None)
        label = block.label(lang) if block is not None else ""
        p["block"] = label if en else label[:1].lower() + label[1:]
        p["kpi"] = num(row.get("kpi"), None)
        p["replaced"] = str(row.get("replaced") or (
            "the criteria of the block" if en else "các tiêu chí của nhóm"))
    return p


def _criterion_label(rules: RuleSet, cid: str, lang: str) -> str:
    try:
        return str(rules.criterion(cid).label(lang))
    except EvalkitError:
        return cid


def event_words(rules: RuleSet, cid: str, lang: str) -> str:
    """What an event criterion counts, as words after *lần* (Vietnamese: *Số lần chậm tiến
    độ* → *chậm tiến độ*), or its label (English: *Delays* → *delays*).

    >>> import evalkit.rules
    >>> rs = evalkit.rules.get("vn.nd335-2025")
    >>> event_words(rs, "loi_chat_luong", "vi"), event_words(rs, "cham_tien_do", "en")
    ('sản phẩm không đạt yêu cầu do lỗi lớn', 'delays')
    """
    label = _criterion_label(rules, cid, lang).strip()
    if lang != "en" and label.lower().startswith("số lần "):
        return label[len("số lần "):]
    return label[:1].lower() + label[1:]


class _Params(dict[str, str]):
    """A sentence's values: set ones, ``lazy`` ones worked out when first read, and a dash
    for a template parameter the row lacks."""

    def __init__(self, lazy: Mapping[str, Callable[[], str]]) -> None:
        super().__init__()
        self.lazy = dict(lazy)

    def later(self, **lazy: Callable[[], str]) -> None:
        """More values worked out when first read."""
        self.lazy.update(lazy)

    def __missing__(self, key: str) -> str:
        make = self.lazy.get(key)
        if make is None:
            return "—"
        value = self[key] = make()
        return value


@functools.lru_cache(maxsize=1 << 14)
def _shared(reason: Reason) -> Reason:
    """The first of equal reasons (immutable): a province's year repeats each sentence over
    thousands of months, held once rather than once per month."""
    return reason


def make_reason(code: str, rules: RuleSet, row: Mapping[str, Any] | None = None) -> Reason:
    """The :class:`~evalkit.model.Reason` of ``code`` for a result ``row`` under ``rules``.

    ``row`` maps result columns (``total``, ``grade``, ``unit_grade``, ``quota_*`` …) to
    values; missing ones print as a dash.

    >>> import evalkit.rules
    >>> rs = evalkit.rules.get("vn.nd335-2025")
    >>> make_reason("disqualifier.discipline", rs).message_vi
    'Bị kỷ luật từ khiển trách trở lên do vi phạm liên quan đến thi hành công vụ trong năm đánh giá: xếp loại Không hoàn thành nhiệm vụ'
    """
    data = row or {}
    return _shared(Reason(code, _message(code, rules, data, "vi"), _message(code, rules, data, "en"),
                          _citation(rules, template_for(code), code, data)))


def _message(code: str, rules: RuleSet, row: Mapping[str, Any], lang: str) -> str:
    """The sentence of ``code`` in one language (no citation): the one implementation of
    :func:`make_reason`'s texts and :func:`explain`'s."""
    tpl = template_for(code)
    if lang == "en":
        return tpl.en.format_map(_params(rules, code, row, "en"))
    vi = tpl.vi.format_map(_params(rules, code, row, "vi"))
    # a grade named "Loại B" (Hà Nội) after the verb: "xếp Loại B", not "xếp loại Loại B"
    return vi.replace("xếp loại Loại ", "xếp Loại ").replace("xếp loại tối đa Loại ",
                                                               "xếp tối đa Loại ")


def make_reasons(
    codes: object,
    rules: RuleSet,
    row: Mapping[str, Any] | None = None,
    *,
    with_band: bool = True,
) -> tuple[Reason, ...]:
    """The reasons of a result: its band (or ``not_evaluated``) and the codes of its
    ``reasons`` cell (joined by ``;``), in catalogue order.

    Frames keep only the codes of what changed the result; the band follows from the
    ``total`` (and, for a period the rule set does not classify, ``band.information``
    from the ``period``). ``with_band=False`` gives the cell's codes alone.

    >>> import evalkit.rules
    >>> rs = evalkit.rules.get("vn.nd335-2025")
    >>> [r.code for r in make_reasons("", rs, {"total": 80.0, "period": "2026-03"})]
    ['band', 'band.information']
    """
    data = dict(row or {})
    return tuple(make_reason(c, rules, data) for c in _shown_codes(codes, rules, data, with_band))


def _shown_codes(codes: object, rules: RuleSet, data: Mapping[str, Any], with_band: bool
                 ) -> list[str]:  # fmt: skip
    """The codes :func:`make_reasons` says, in catalogue order: the band's (or
    ``not_evaluated``) first where ``with_band``, then the cell's."""
    found = list(dict.fromkeys(split_codes(codes)))
    if with_band and "total" in data:
        total = data.get("total")
        missing = total is None or (isinstance(total, float) and math.isnan(total))
        if missing:  # not evaluated: say so, unless a code already says why
            head = [] if found else ["not_evaluated"]
        else:
            try:
                rules.band_for(float(total))  # type: ignore[arg-type]
                head = ["band"]
            except (EvalkitError, TypeError, ValueError):
                head = ["band.none"]
            per = _period_of(rules, data)
            if per and not rules.classifies(per):
                head.append("band.information")
        if any(c.startswith("rollup.count.") or c == "rollup.too_few_months" for c in found) \
                and not _band_decides(rules, found):
            head = []  # graded by the count of quarters, or not classified: the band is not
        found = [c for c in head if c not in found] + found
    return sorted(found, key=catalogue_order)


def _band_decides(rules: RuleSet, codes: Sequence[str]) -> bool:
    """Whether the band of the year's mean decides a grade the roll-up gave: only the count
    rule's last branch without its HTT branch (the band kept within HT..HTT)."""
    return ("rollup.count.otherwise" in codes and rules.rollup.count_good_max_ht is None
            and "rollup.too_few_months" not in codes)  # fmt: skip


def _RuleSetType() -> type:
    from evalkit.rules import RuleSet

    return RuleSet


def _sentence(r: Reason, lang: str) -> str:
    text = r.message(lang)
    return f"{text} ({r.source})" if r.source else text


def _said(code: str, rules: RuleSet, row: Mapping[str, Any], lang: str) -> str:
    """:func:`_sentence` of :func:`make_reason`, the one language asked for worked out."""
    source = _citation(rules, template_for(code), code, row)
    text = _message(code, rules, row, lang)
    return f"{text} ({source})" if source else text


RulesLookup = Callable[[str], "RuleSet"]


def _lookup(rules: RuleSet | Iterable[RuleSet] | None) -> RulesLookup:
    from evalkit import rules as _rules
    from evalkit.rules import RuleSet as _RuleSet

    own = [rules] if isinstance(rules, _RuleSet) else list(rules or ())
    known = {r.id: r for r in own}
    return lambda rule_set_id: _rules.resolve(rule_set_id, known=known)


def explain(
    results: pd.DataFrame,
    *,
    lang: str = "vi",
    rules: RuleSet | Iterable[RuleSet] | None = None,
    column: str = "reasons",
) -> pd.Series:
    """The reasons of every result row as sentences with their citations (a list per row).

    ``results`` is a frame from :func:`evalkit.score_frame`, :func:`evalkit.classify_frame`,
    a roll-up, the archive or a results file read back: its ``rule_set`` column names each
    row's rule set (or pass ``rules``; a rule set that is not registered must be passed).
    Rows with the same codes and parameters are explained once.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"rule_set": ["vn.nd335-2025"], "period": ["2026"],
    ...                    "total": [95.0], "reasons": ["disqualifier.discipline"]})
    >>> for s in explain(df)[0]: print(s)
    Tổng điểm 95 thuộc mức Hoàn thành xuất sắc nhiệm vụ (từ 90 đến 100 điểm) (NĐ 335/2025/NĐ-CP, Điều 20 k1)
    Bị kỷ luật từ khiển trách trở lên do vi phạm liên quan đến thi hành công vụ trong năm đánh giá: xếp loại Không hoàn thành nhiệm vụ (NĐ 335/2025/NĐ-CP, Điều 20 k4 c)
    """
    import pandas as pd

    known = list((results.attrs.get("rule_sets") or {}).values())
    if rules is not None:
        known += [rules] if isinstance(rules, _RuleSetType()) else list(rules)  # type: ignore[arg-type]
    get = _lookup(known or None)
    if column not in results.columns:
        return pd.Series([[] for _ in range(len(results))], index=results.index, dtype=object)
    fixed = rules.id if rules is not None and hasattr(rules, "id") else None
    if "rule_set" in results.columns:
        ids = results["rule_set"].astype(object).where(results["rule_set"].notna(), fixed)
    else:
        ids = pd.Series(fixed, index=results.index, dtype=object)
    # (and the category: the year's own quota and months-worked rules reach some only)
    params = [c for c in (*PARAM_COLUMNS, "category") if c in results.columns]
    key = pd.DataFrame({"__rs": ids.astype(object), "__codes": results[column].astype(object)})
    read = read_params(results, params)
    if "classified" in results.columns and "period" not in results.columns:  # score_frame's
        params.append("classified")  # the engine's word on the period (:func:`_period_of`)
        read["classified"] = _classified_cells(results)
    for c in params:
        key[c] = pd.Series(read[c], index=results.index, dtype=object) if c in read else \
            results[c].astype(object)
    key = key.where(key.notna(), None)
    codes_frame, uniq = _factorize_rows(key)
    sentences: list[list[str]] = []
    first = dict(zip(codes_frame[::-1], results.index[::-1], strict=True))  # a row of each
    for k, rec in enumerate(uniq):
        rid = rec.pop("__rs")
        codes = rec.pop("__codes")
        if rid is None:
            sentences.append([])
            continue
        rs = get(str(rid))
        shown = _shown_codes(codes, rs, rec, True)
        _require_quoted(shown, results.columns, column, rec, first.get(k))
        sentences.append([_said(c, rs, rec, lang) for c in shown])
    out = [sentences[i] for i in codes_frame]
    return pd.Series(out, index=results.index, dtype=object)


#: The result columns whose figures a reason's sentence quotes and cannot do without: a
#: frame without them, or a row where one is blank, would be explained with a dash or a
#: figure made up (0 months, a cap of 0), so it is refused. The competent level's written
#: reason is not here: a sentence without it is said without it.
_QUOTED: dict[str, tuple[str, ...]] = {
    "rollup.average": ("months",),
    "rollup.leave": ("leave_months",),
    "rollup.count.excellent": ("count_xs",),
    "rollup.count.good": ("count_ht", "count_kht"),
    "rollup.count.kht": ("count_kht",),
    "rollup.period_short": ("months_worked",),
    "rollup.period_carried": ("carried_months",),
    "rollup.period_carried_next": ("months_worked",),
    "management.d": ("mgmt_value", "mgmt_subordinates"),
    "management.d_typed": ("mgmt_value", "mgmt_typed"),
    **dict.fromkeys(("competent.concluded", "competent.above_band", "competent.above_band_applied",
                     "competent.not_applied", "competent.not_graded"), ("competent_grade",)),
    "cap.head_unit": ("unit_grade",),
    "cap.deputy_head": ("head_grade",),
    "quota.demoted": ("quota_cap", "quota_percent", "quota_base", "quota_rank",
                      "quota_candidates"),
    "unit.council": ("council_score",),
    "unit.excellent_condition.score": ("score",),
    "unit.excellent_condition.tasks_done": ("done_percent",),
    "unit.excellent_condition.on_time": ("on_time_percent",),
    "unit.band_condition.good": ("on_time_percent",),
    "unit.band_condition.fair": ("done_percent", "on_time_percent"),
    "inspection.deduction": ("inspection_points",),
}


def _require_quoted(codes: Iterable[str], columns: Iterable[Any], column: str,
                    row: Mapping[str, Any], label: object) -> None:  # fmt: skip
    """Refuse to explain a reason whose figures the frame does not have (the column is
    absent: a table of codes without the engine's figures) or the row ``label`` leaves
    blank, naming the columns."""
    from evalkit.errors import InputError, InputProblem

    have = {str(c) for c in columns}
    for code in codes:  # a year of quarters says how many were averaged: its ``periods``
        quoted = (*_QUOTED.get(code, ()), *(("periods",) if code == "rollup.average" and
                                            row.get("periods_kind") == "quarter" else ()))
        missing = [c for c in quoted if c not in have]
        if missing:
            raise InputError([InputProblem(
                f"reason {code!r} of column {column!r} quotes the figures of column(s) "
                f"{', '.join(map(repr, missing))}, which the results do not have: explain "
                "the results with them (as evalkit classify --out writes them)",
                column=missing[0])])  # fmt: skip
        if blank := [c for c in quoted if _blank(row.get(c))]:
            raise InputError([InputProblem(
                f"reason {code!r} quotes the figure of column {blank[0]!r}, which this row "
                "leaves blank: a sentence is never said with a figure missing",
                row=int(label) if isinstance(label, numbers.Integral) else
                label if isinstance(label, str) else None, column=blank[0])])  # fmt: skip


#: Result columns a sentence may read (every other column is ignored by :func:`explain`).
PARAM_COLUMNS = (
    "total", "grade", "score_grade", "proposed_grade", "unit_grade", "head_grade", "period",
    "competent_grade", "competent_reason", "duty_group", "quota_cap", "quota_percent",
    "quota_base", "quota_rank", "quota_candidates", "quota_raised", "quota_groups", "mgmt_value", "mgmt_typed",
    "mgmt_below", "mgmt_subordinates", "months", "nothing_assigned_months", "leave_months",
    "maternity_months",
    "absent_months", "count_xs", "count_kht",
    "count_ht", "months_worked", "carried_months", "periods", "periods_kind", "score", "council_score", "computed_score", "self_score",
    "done_percent", "exceeded_percent", "on_time_percent", "inspection_points",
)  # fmt: skip


#: The parameter columns that are text; the others are numbers, but ``quota_raised`` (yes/no).
_TEXT_PARAMS = frozenset({"grade", "score_grade", "proposed_grade", "unit_grade", "head_grade",
                          "period", "periods_kind", "competent_grade", "competent_reason", "duty_group",
                          "category"})


def read_params(frame: pd.DataFrame, columns: Iterable[str],
                found: _columns.Problems | None = None) -> dict[str, Any]:  # fmt: skip
    """The number and yes/no columns of ``columns`` read as every door reads them
    (:mod:`evalkit._columns`: ``"88,5"`` is 88.5, ``"False"`` is no); every cell that is
    neither is refused at once, with its row, column and value
    (:class:`~evalkit.errors.InputError`) — or added to ``found``, the caller's collection
    of the frame's problems, where given. Text columns are left out."""
    from evalkit import _columns

    own = _columns.Problems(frame) if found is None else found
    out = {c: _columns.booleans(frame, c, own) if c == "quota_raised" else
           _columns.numbers(frame, c, own) for c in columns if c not in _TEXT_PARAMS}
    if found is None:
        own.raise_if_any()
    return out


def _classified_cells(frame: pd.DataFrame) -> Any:
    """The ``classified`` column read as every door reads a yes/no (blank: classified)."""
    from evalkit import _columns

    found = _columns.Problems(frame)
    out = _columns.booleans(frame, "classified", found, default=True)
    found.raise_if_any()
    return out


def _factorize_rows(key: pd.DataFrame) -> tuple[list[int], list[dict[str, Any]]]:
    """Group identical rows (vectorised): a code per row and one record per group."""
    import pandas as pd

    text = key.astype(str)
    codes = text.groupby(list(text.columns), sort=False, dropna=False).ngroup().to_numpy()
    first = pd.Series(range(len(key))).groupby(codes).first().to_numpy()
    records = key.iloc[first].to_dict(orient="records")
    return codes.tolist(), [{str(k): v for k, v in r.items()} for r in records]


def with_sentences(
    results: pd.DataFrame,
    *,
    langs: Sequence[str] = ("vi", "en"),
    rules: RuleSet | Iterable[RuleSet] | None = None,
) -> pd.DataFrame:
    """``results`` with ``reasons_vi`` / ``reasons_en`` columns: :func:`explain`'s sentences
    joined by :data:`SENTENCE_SEPARATOR` (``" | "``; a sentence may hold a ``;``).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"rule_set": ["vn.nd335-2025"], "period": ["2026"],
    ...                    "total": [95.0], "reasons": ["disqualifier.discipline"]})
    >>> with_sentences(df, langs=("en",))["reasons_en"].str.count(" [|] ").tolist()
    [1]
    """
    out = results.copy()
    for lang in langs:
        out[f"reasons_{lang}"] = explain(results, lang=lang, rules=rules).map(
            SENTENCE_SEPARATOR.join)
    return out


#: Between two reason sentences in one text cell (a CSV or Excel column, the demo's tables).
SENTENCE_SEPARATOR = " | "
