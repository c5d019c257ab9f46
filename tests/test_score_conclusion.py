"""The competent level's conclusion through the one-person path (audit, sheets case
``concl``): :func:`evalkit.score` and :func:`evalkit.score_frame` apply it after the caps,
as :func:`evalkit.classify_frame` does, with the same reasons; the sheet then shows the
concluded grade with its sentence."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import attrs
import pandas as pd
import pytest

import evalkit
from evalkit import Assessment, Grade, Organisation, Position, Staff, Unit
from evalkit.errors import InputError, ScoreError
from evalkit.render import Agency, Sheet, Signatory, render_html
from evalkit.rules import RuleSet
from evalkit.scoring import assessments_to_frame
from evalkit.units import classify_frame, frames_from_objects, results_from_frame

HANOI = evalkit.rules.get("hanoi.3814-2018")  # classifies months
CUSTOMS = evalkit.rules.get("vn.customs-2026q")  # classifies quarters
ND335 = evalkit.rules.get("vn.nd335-2025")  # scores months, classifies the year
PERIODS = {HANOI.id: "2026-03", CUSTOMS.id: "2026-Q3", ND335.id: "2026-03"}
WHY = "Chậm nộp 02 báo cáo"


def assessment(rs: RuleSet, *, half: bool = False, **kw: Any) -> Assessment:
    """S1's assessment under ``rs``: full marks (``half``: every score halved)."""
    sc = {k: (v * 0.5 if half else v) for k, v in rs.full_marks().items()}
    return Assessment("S1", PERIODS[rs.id], self_scores=sc, manager_scores=sc,
                      competent_scores=sc, **kw)  # fmt: skip


def staff(rs: RuleSet) -> Staff:
    return Staff("S1", "Nguyễn Thị Phương Thảo", "CV", "U1", category=rs.categories[0])


def codes(r: evalkit.EvaluationResult) -> set[str]:
    return {c for c in r.reason_codes() if c not in ("band", "band.none", "band.information")}


def reason(r: evalkit.EvaluationResult, code: str) -> evalkit.Reason:
    return r.reasons[r.reason_codes().index(code)]


class TestScore:
    """evalkit.score() applies the conclusion with classify_frame's reasons."""

    def test_hanoi_lower_conclusion_is_the_grade_with_its_reason(self) -> None:
        """QĐ 3814 classifies months: Loại A by the score, concluded Loại C with a written
        reason → Loại C, competent.concluded with the reason in its sentence."""
        r = evalkit.score(assessment(HANOI, competent_grade="HT", competent_reason=WHY),
                          staff=staff(HANOI), rules=HANOI)  # fmt: skip
        assert (r.score_grade, r.grade, r.proposed_grade) == (Grade.HTXS, Grade.HT, Grade.HT)
        assert r.classified
        assert codes(r) == {"competent.concluded"}
        s = reason(r, "competent.concluded")
        assert s.message_vi == f"Cấp có thẩm quyền kết luận xếp Loại C: {WHY}"
        assert s.message_en == f"The competent level concluded Grade C: {WHY}"

    def test_customs_quarter_lower_conclusion_is_cited(self) -> None:
        """The customs quarter is classified: the concluded grade applies, with the rule
        set's citation (CV 21169/CHQ-TCCB)."""
        r = evalkit.score(assessment(CUSTOMS, competent_grade="HT", competent_reason=WHY),
                          staff=staff(CUSTOMS), rules=CUSTOMS)  # fmt: skip
        assert (r.score_grade, r.grade) == (Grade.HTXS, Grade.HT)
        s = reason(r, "competent.concluded")
        assert s.message_vi == f"Cấp có thẩm quyền kết luận xếp loại Hoàn thành nhiệm vụ: {WHY}"
        assert s.source == "CV 21169/CHQ-TCCB ngày 28/8/2026"

    def test_above_band_conclusion_is_not_applied(self) -> None:
        """A conclusion above the band where the rule set does not allow it: the grade is
        kept, competent.above_band says so."""
        r = evalkit.score(assessment(HANOI, half=True, competent_grade="HTXS",
                                     competent_reason=WHY), rules=HANOI)  # fmt: skip
        assert r.grade == r.score_grade != Grade.HTXS
        assert codes(r) == {"competent.above_band"}
        assert reason(r, "competent.above_band").message_vi.startswith(
            "Cấp có thẩm quyền đề nghị Loại A, cao hơn mức")

    def test_above_band_conclusion_applies_where_allowed(self) -> None:
        rs = attrs.evolve(HANOI, conclusion=attrs.evolve(HANOI.conclusion, above_band=True))
        r = evalkit.score(assessment(rs, half=True, competent_grade="HTXS",
                                     competent_reason=WHY), rules=rs)  # fmt: skip
        assert r.grade == Grade.HTXS
        assert codes(r) == {"competent.above_band_applied"}

    def test_nd335_month_conclusion_is_said_not_to_apply(self) -> None:
        """NĐ 335 scores the months only: the band stays, competent.not_applied says why."""
        r = evalkit.score(assessment(ND335, competent_grade="HT", competent_reason=WHY),
                          rules=ND335)  # fmt: skip
        assert r.grade == Grade.HTXS and not r.classified
        assert codes(r) == {"competent.not_applied"}
        assert "không áp dụng cho tháng" in reason(r, "competent.not_applied").message_vi

    @pytest.mark.parametrize("why", ["", "   "])
    def test_missing_reason_is_refused(self, why: str) -> None:
        with pytest.raises(ScoreError, match=r"without a written reason \(competent_reason\) "
                           r"\(2026-03\) \(staff 'S1'\)"):  # fmt: skip
            evalkit.score(assessment(HANOI, competent_grade="HT", competent_reason=why),
                          rules=HANOI)  # fmt: skip

    def test_missing_reason_is_refused_by_score_frame(self) -> None:
        frame = assessments_to_frame([assessment(HANOI, competent_grade="HT")])
        with pytest.raises(InputError, match="without a written reason") as info:
            evalkit.score_frame(frame, HANOI)
        assert info.value.problems[0].staff_id == "S1"
        assert info.value.problems[0].column == "competent_reason"


CASES = [
    (HANOI, {"competent_grade": "HT", "competent_reason": WHY}, False),
    (HANOI, {"competent_grade": "HTXS", "competent_reason": WHY}, True),
    (CUSTOMS, {"competent_grade": "KHT", "competent_reason": WHY}, False),
    (ND335, {"competent_grade": "HT", "competent_reason": WHY}, False),
    (HANOI, {"competent_grade": "KHT"}, True),  # the same as the band: no reason needed
]


@pytest.mark.parametrize(("rs", "kw", "half"), CASES)
def test_score_score_frame_and_classify_frame_agree(rs: RuleSet, kw: dict[str, Any],
                                                   half: bool) -> None:  # fmt: skip
    """One person: the same grade and reason codes through the three doors."""
    a = assessment(rs, half=half, **kw)
    one = evalkit.score(a, rules=rs)
    row = evalkit.score_frame(assessments_to_frame([a]), rs).iloc[0]
    org = Organisation(units=[Unit("U1", "Phòng A")], positions=[Position("CV", "Chuyên viên")],
                       staff=[Staff("S1", "S1", "CV", "U1", category=rs.categories[0])])
    sm, units = frames_from_objects(org, [a])
    staff_res, _ = classify_frame(sm, units, rs)
    cls = results_from_frame(staff_res, rules=rs)[0]
    assert one.grade is not None
    assert row["grade"] == one.grade.code == cls.grade.code  # type: ignore[union-attr]
    assert one.proposed_grade == cls.proposed_grade
    frame_codes = set(filter(None, str(row["reasons"]).split(";")))
    assert frame_codes == codes(one) == codes(cls)
    assert [x.message_vi for x in one.reasons] == [x.message_vi for x in cls.reasons]
    assert row["competent_grade"] == kw["competent_grade"]


def test_score_frame_conclusions_are_vectorised_per_row() -> None:
    """Rows with and without conclusions, two rule sets: each row its own outcome."""
    rows = [assessment(HANOI, competent_grade="HT", competent_reason=WHY),
            attrs.evolve(assessment(HANOI), staff_id="S2"),
            attrs.evolve(assessment(HANOI, half=True, competent_grade="HTXS",
                                    competent_reason=WHY), staff_id="S3")]  # fmt: skip
    frame = assessments_to_frame(rows)
    out = evalkit.score_frame(frame, HANOI)
    assert out["grade"].tolist()[:2] == ["HT", "HTXS"]
    assert out["reasons"].astype(str).tolist() == ["competent.concluded", "",
                                                   "competent.above_band"]  # fmt: skip
    plain = evalkit.score_frame(frame.drop(columns=["competent_grade", "competent_reason"]),
                                HANOI)  # fmt: skip
    assert "competent_grade" not in plain.columns
    assert plain["grade"].tolist()[0] == "HTXS"


def _text(h: str) -> str:
    h = re.sub(r"<style.*?</style>", "", h, flags=re.S)
    h = re.sub(r"</?span\b[^>]*>", "", h)  # inline: a grade label's nowrap span (af97)
    h = re.sub(r"<[^>]+>", "\n", h)
    return re.sub(r"\s+", " ", html.unescape(h))


@pytest.mark.parametrize("rs", [HANOI, CUSTOMS])
def test_sheet_shows_the_concluded_grade_with_its_sentence(rs: RuleSet) -> None:
    """The sheet of score()'s result: the conclusion, the final grade equal to it and the
    competent.concluded sentence — no contradiction without a word."""
    a = assessment(rs, competent_grade="HT", competent_reason=WHY)
    st = staff(rs)
    res = evalkit.score(a, staff=st, rules=rs)
    sheet = Sheet(st, Position("CV", "Chuyên viên"), Unit("U1", "Phòng A", place="Hà Nội"), a,
                  res, rs, Agency("Sở Nội vụ", place="Hà Nội"),
                  signed_on=datetime.date(2026, 12, 5), manager=Signatory("Lê Văn Bình"),
                  approver=Signatory("Nguyễn Văn Hùng"))  # fmt: skip
    text = _text(render_html(sheet, lang="vi"))
    concluded = "Loại C" if rs is HANOI else "Hoàn thành nhiệm vụ"
    sentence = "xếp Loại C" if rs is HANOI else "xếp loại Hoàn thành nhiệm vụ"
    assert re.search(rf"Cấp có thẩm quyền kết luận: {concluded} Xếp loại chất lượng: "
                     rf"{concluded}\b", text), text  # fmt: skip
    assert f"Cấp có thẩm quyền kết luận {sentence}: {WHY}" in text
    assert "Xếp loại chất lượng: Loại A" not in text


def test_sheet_of_an_nd335_month_says_the_conclusion_does_not_apply() -> None:
    a = assessment(ND335, competent_grade="HT", competent_reason=WHY)
    st = staff(ND335)
    res = evalkit.score(a, staff=st, rules=ND335)
    sheet = Sheet(st, Position("CV", "Chuyên viên"), Unit("U1", "Phòng A"), a, res, ND335,
                  Agency("Sở Nội vụ"))  # fmt: skip
    text = _text(render_html(sheet, lang="vi"))
    assert "Kết luận xếp loại Hoàn thành nhiệm vụ của cấp có thẩm quyền không áp dụng" in text


def test_frame_without_conclusion_columns_is_unchanged() -> None:
    frame = pd.DataFrame([{"staff_id": "S1", "period": "2026-03", **HANOI.full_marks()}])
    out = evalkit.score_frame(frame, HANOI)
    assert list(out.columns) == ["rule_set", "total", *[f"points_{b.id}" for b in HANOI.blocks],
                                 "score_grade", "grade", "classified", "reasons"]  # fmt: skip


def test_sheet_refuses_a_result_that_never_saw_the_conclusion() -> None:
    """A result scored without the conclusion (the defect's result) beside an assessment
    concluding another grade would print two grades without a word: refused."""
    a = assessment(HANOI, competent_grade="HT", competent_reason=WHY)
    st = staff(HANOI)
    stale = evalkit.score(attrs.evolve(a, competent_grade=None, competent_reason=""),
                          staff=st, rules=HANOI)  # fmt: skip
    with pytest.raises(evalkit.errors.RenderError, match="does not carry the conclusion"):
        Sheet(st, Position("CV", "Chuyên viên"), Unit("U1", "Phòng A"), a, stale, HANOI,
              Agency("Sở Nội vụ"))  # fmt: skip
