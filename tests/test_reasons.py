"""The reason catalogue (issue 13 item 2): one place for every reason's words and citation."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import evalkit
import evalkit.rules
import evalkit.units
from evalkit._classify.steps import STAFF_FLAGS
from evalkit._classify.units import UNIT_BITS
from evalkit._classify.year import ROLLUP_FLAGS
from evalkit._kernels import reason_table
from evalkit.reasons import (
    CATALOGUE,
    _cited_rule,
    explain,
    make_reason,
    make_reasons,
    template_for,
)
from evalkit.rules import RuleSet

PRESETS = [rs.id for rs in evalkit.rules.available()]
#: A row with every parameter a sentence may read.
ROW = {
    "total": 87.5, "grade": "HTT", "score_grade": "HTXS", "proposed_grade": "HTXS",
    "unit_grade": "HTT", "head_grade": "HT", "period": "2026-03", "competent_grade": "HT",
    "competent_reason": "Chậm trình báo cáo quý hai lần", "duty_group": None, "quota_cap": 2,
    "quota_percent": 20.0, "quota_base": 10, "quota_rank": 3, "quota_candidates": 4,
    "quota_raised": False, "mgmt_value": 50.0, "mgmt_typed": 100.0, "mgmt_below": 1,
    "mgmt_subordinates": 6, "months": 11, "leave_months": 1, "count_xs": 2, "count_kht": 0,
    "count_ht": 1, "months_worked": 1.0, "score": 85.0, "council_score": 85.0,
    "computed_score": 79.25, "self_score": 90.0, "done_percent": 95.0,
    "exceeded_percent": 10.0, "inspection_points": 2.0,
}  # fmt: skip
SNAKE_OR_DOTTED = re.compile(r"\b[a-z]+(?:[_.][a-z0-9]+)+\b")


def emitted_codes(rs: RuleSet) -> list[str]:
    """Every code the engine can give under ``rs``: kernel caps and notices (all switched on),
    the steps' flags, the roll-up's flags, the units' bits and the derived band codes."""
    options = {n.id: True for n in rs.notices}
    kernel = [s.code for s in reason_table(rs, options)]
    return [*kernel, *STAFF_FLAGS.values(), *ROLLUP_FLAGS.values(), *UNIT_BITS.values(),
            "band", "band.none", "band.information", "not_evaluated"]  # fmt: skip


def applicable(rs: RuleSet, code: str) -> bool:
    """Whether the rule behind ``code`` exists in ``rs`` (its citation can then be given)."""
    tpl = template_for(code)
    if code == "cap.deputy_head":
        return rs.units.deputy_capped_at_head_when_late
    if code == "cap.head_unit":
        return rs.units.head_capped_at_unit
    if tpl.cite == "quota":
        return rs.quota is not None
    if tpl.cite == "small_parent":
        return rs.units.small_parent_threshold is not None
    if tpl.cite == "unit_share":
        return rs.units.excellent_share_percent is not None
    if tpl.cite == "periods":
        return rs.period not in rs.classified
    if tpl.cite == "conclusion":
        return bool(rs.conclusion.source)
    if tpl.cite == "management":
        return rs.management.computed is not None
    if tpl.cite == "inspection":  # its own table's source only (af239), as the conclusion
        return bool(rs.inspections.source)
    if tpl.cite == "unit_conditions":
        return bool(rs.units.excellent_conditions_source or rs.units.source)
    return tpl.cite != "none"


@pytest.mark.parametrize("rule_set_id", PRESETS)
def test_every_emitted_code_is_in_the_catalogue_in_both_languages(rule_set_id: str) -> None:
    """Every code the engine emits has a Vietnamese and an English sentence, fully filled."""
    rs = evalkit.rules.get(rule_set_id)
    for code in emitted_codes(rs):
        r = make_reason(code, rs, ROW)
        assert r.message_vi and r.message_en, code
        assert r.message_vi != r.message_en, code
        assert "{" not in r.message_vi + r.message_en, code


@pytest.mark.parametrize("rule_set_id", PRESETS)
def test_every_reason_whose_rule_exists_cites_its_source(rule_set_id: str) -> None:
    """A reason prints its legal citation wherever the rule set states the rule's source."""
    rs = evalkit.rules.get(rule_set_id)
    missing = [c for c in emitted_codes(rs) if applicable(rs, c) and not make_reason(c, rs, ROW)
               .source]  # fmt: skip
    allowed = {c for c in missing if not_set_by_a_text(rs, c)}
    assert [c for c in missing if c not in allowed] == []


def not_set_by_a_text(rs: RuleSet, code: str) -> bool:
    """The rule behind ``code`` is marked as set by no legal text (status practice or
    unsourced), or the file says no text sets the year's mean (``average_source = ""``) or
    its months-worked rules (``months_source = ""``)."""
    if code == "rollup.average" and rs.rollup.average_source is not None:
        return rs.rollup.average_source == ""
    if code in ("rollup.too_few_months", "rollup.absent_cap") and \
            rs.rollup.months_source is not None:  # NĐ 90's rules over a set that lacks them
        return rs.rollup.months_source == ""
    rule, _ = _cited_rule(rs, template_for(code), code, ROW)
    return getattr(rule, "status", "") in ("practice", "unsourced")


@pytest.mark.parametrize("rule_set_id", PRESETS)
def test_a_rule_no_text_sets_is_printed_without_a_citation(rule_set_id: str) -> None:
    """A sheet never cites an article for what no text sets (the status says so), even
    where the file names the article the grade comes from (NĐ 90's points bands)."""
    rs = evalkit.rules.get(rule_set_id)
    for code in emitted_codes(rs):
        if applicable(rs, code) and not_set_by_a_text(rs, code):
            assert make_reason(code, rs, ROW).source == "", code


def test_nd90_bands_and_mean_carry_no_citation_but_its_months_rule_does() -> None:
    rs = evalkit.rules.get("vn.nd90-2020")
    assert make_reason("band", rs, {"total": 95.0}).source == ""
    assert make_reason("rollup.average", rs, {"total": 95.0, "months": 12}).source == ""
    assert make_reason("rollup.too_few_months", rs, {}).source == "NĐ 90/2020/NĐ-CP, Điều 2 k3"
    nd335 = evalkit.rules.get("vn.nd335-2025")
    assert make_reason("rollup.average", nd335, {"total": 95.0, "months": 12}).source == \
        "NĐ 335/2025/NĐ-CP, Điều 21"
    assert make_reason("band", nd335, {"total": 95.0}).source == "NĐ 335/2025/NĐ-CP, Điều 20 k1"


@pytest.mark.parametrize("rule_set_id", PRESETS)
def test_vietnamese_sentences_carry_no_codes_or_identifiers(rule_set_id: str) -> None:
    """A Vietnamese sheet is a legal document: no snake_case or dotted codes in a sentence."""
    rs = evalkit.rules.get(rule_set_id)
    for code in emitted_codes(rs):
        text = make_reason(code, rs, ROW).message_vi
        assert not SNAKE_OR_DOTTED.findall(text), (code, text)
        assert rs.id not in text, (code, text)


def test_catalogue_codes_are_unique_and_documented() -> None:
    """One entry per code, each with a one-line meaning for the docs."""
    codes = [t.code for t in CATALOGUE]
    assert len(codes) == len(set(codes))
    assert all(t.meaning for t in CATALOGUE)


def test_an_unknown_code_is_an_error() -> None:
    """A code outside the catalogue never prints as itself."""
    with pytest.raises(evalkit.EvalkitError, match=r"'quota\.demotd' is not in the catalogue"):
        make_reason("quota.demotd", evalkit.rules.get("vn.nd335-2025"))


def test_frames_and_objects_explain_a_result_with_the_same_sentences() -> None:
    """explain() on a results frame gives the objects' reasons, word for word."""
    rs = evalkit.rules.get("vn.nd335-2025")
    row = {**ROW, "rule_set": rs.id, "reasons": "management.d;management.d_typed"}
    frame = pd.DataFrame([row])
    (obj,) = evalkit.units.results_from_frame(frame.assign(staff_id="A"))
    expected = [f"{r.message_vi} ({r.source})" if r.source else r.message_vi for r in obj.reasons]
    assert explain(frame)[0] == expected
    assert [r.code for r in obj.reasons] == [
        "band", "band.information", "management.d", "management.d_typed"]


def test_the_quota_sentence_is_the_documented_one() -> None:
    """One source for the quota's figures: the sentence reads the engine's quota columns."""
    rs = evalkit.rules.get("vn.nd335-2025")
    (r,) = make_reasons("quota.demoted", rs, ROW, with_band=False)
    assert r.message_vi == (
        "Vượt tỷ lệ Hoàn thành xuất sắc nhiệm vụ của đơn vị: tối đa 2 người (20% của 10 người "
        "xếp loại Hoàn thành tốt nhiệm vụ); xếp thứ 3/4 theo thứ tự ưu tiên nên xếp loại "
        "Hoàn thành tốt nhiệm vụ")
    assert r.source == "NĐ 335/2025/NĐ-CP, Điều 20 k5 a"


def test_a_unit_without_a_count_of_tasks_exceeded_is_said_in_words_not_a_dash() -> None:
    """af53: a unit with its tasks done but no count of tasks exceeded (the workbook's cell
    left blank) misses NĐ 90's HTXS condition "≥ 50 % exceeded": its sentence said
    "Tỷ lệ nhiệm vụ vượt mức —% chưa đạt 50%"; it now says no count was given. A count
    given keeps its figure."""
    rs = evalkit.rules.get("vn.nd90-2020")
    code = "unit.excellent_condition.exceeded"
    blank = make_reason(code, rs, {"exceeded_percent": None})
    assert blank.message_vi == ("Không có số nhiệm vụ hoàn thành vượt mức: tỷ lệ vượt mức chưa "
                                "đạt 50% để xếp Hoàn thành xuất sắc nhiệm vụ")
    assert "—" not in blank.message_en and "No count of tasks exceeded" in blank.message_en
    given = make_reason(code, rs, {"exceeded_percent": 25.0})
    assert given.message_vi.startswith("Tỷ lệ nhiệm vụ vượt mức 25% chưa đạt 50%")
    assert given.message_en.startswith("Tasks exceeded 25% is below the 50% needed")
    # through the engine: ten of ten tasks done, none counted as exceeded
    org = evalkit.Organisation(units=[evalkit.Unit("K", "Khoa")],
                               positions=[evalkit.Position("BS", "Bác sĩ")],
                               staff=[evalkit.Staff("A", "Người A", "BS", "K")])
    by = evalkit.units.classify_organisation(
        org, [], [evalkit.units.UnitInputs("K", "2026-03", tasks_assigned=10, tasks_done=10)],
        rs, period="2026-03")  # fmt: skip
    [said] = [r.message_vi for r in by["K"].unit.reasons if r.code == code]
    assert "—" not in said and said.startswith("Không có số nhiệm vụ hoàn thành vượt mức")


def test_a_file_read_back_with_blanks_as_empty_text_gives_the_same_results() -> None:
    """Issue 13: a results CSV read with ``dtype=str, keep_default_na=False`` (its blanks
    the empty text) gives the same objects and sentences as one read with blanks as NaN."""
    row = {"staff_id": "S1", "period": "2026-03", "rule_set": "vn.nd335-2025", "total": "91",
           "score_grade": "HTXS", "grade": "HTXS", "proposed_grade": "", "competent_grade": "",
           "reasons": "", "leave": ""}  # fmt: skip
    text = pd.DataFrame([row], dtype=str)
    nan = text.replace("", None)
    got, want = (evalkit.units.results_from_frame(f)[0] for f in (text, nan))
    assert (got.grade, got.score_grade, got.proposed_grade, got.total, got.reasons) == \
        (want.grade, want.score_grade, want.proposed_grade, want.total, want.reasons)
    assert explain(text).tolist() == explain(nan).tolist()
