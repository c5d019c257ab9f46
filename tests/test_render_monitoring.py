"""A month NĐ 335/2025 only scores is a monitoring record (§4.1: the year classifies, Điều 21):
its sheet shows the band of the score as information and states a discipline as a fact for
the year, never "xếp loại Không hoàn thành nhiệm vụ" for the month."""

from __future__ import annotations

import html
import re

import evalkit
from evalkit import Assessment, Position, Staff, Unit
from evalkit.render import Agency, Sheet, render_html

ND335 = evalkit.rules.get("vn.nd335-2025")


def _text(rules: evalkit.rules.RuleSet, period: str, **kw: object) -> tuple[str, object]:
    staff = Staff("CC-1", "Đặng Thị Tuyết", "CV", "P")
    a = Assessment("CC-1", period, manager_scores=rules.full_marks(), **kw)  # type: ignore[arg-type]
    r = evalkit.score(a, staff=staff, rules=rules)
    sheet = Sheet(staff, Position("CV", "Chuyên viên"), Unit("P", "Phòng A"), a, r, rules,
                  Agency("Sở Nội vụ"))
    page = html.unescape(re.sub(r"<[^>]+>", " ", render_html(sheet)))
    return re.sub(r"\s+", " ", page), r


def test_a_monitored_month_shows_the_band_and_the_discipline_as_a_fact() -> None:
    page, r = _text(ND335, "2026-03", discipline="khien_trach")
    assert r.score_grade == evalkit.Grade.HTXS  # type: ignore[attr-defined]
    assert "Mức tương ứng với điểm (để theo dõi): Hoàn thành xuất sắc nhiệm vụ" in page
    assert ("Bị kỷ luật từ khiển trách trở lên do vi phạm liên quan đến thi hành công vụ trong "
            "năm đánh giá (NĐ 335/2025/NĐ-CP, Điều 20 k4 c)") in page
    assert "xếp loại Không hoàn thành nhiệm vụ" not in page


def test_the_classified_year_still_says_the_grade() -> None:
    """The same code on the year NĐ 335 classifies says the grade; on its month the fact."""
    from evalkit.reasons import make_reason

    year = make_reason("disqualifier.discipline", ND335, {"total": 95.0, "period": "2026"})
    assert year.message_vi.endswith(": xếp loại Không hoàn thành nhiệm vụ")
    month = make_reason("disqualifier.discipline", ND335, {"total": 95.0, "period": "2026-03"})
    assert "xếp loại" not in month.message_vi and "graded" not in month.message_en
    assert month.source == year.source == "NĐ 335/2025/NĐ-CP, Điều 20 k4 c"


def test_hanoi_grades_read_naturally_after_the_verb() -> None:
    """Hà Nội names its grades "Loại A" …: "xếp Loại B", never "xếp loại Loại B"."""
    from evalkit.reasons import make_reason

    hanoi = evalkit.rules.get("hanoi.3814-2018")
    row = {"total": 95.0, "period": "2016-03", "grade": "HT", "competent_grade": "HT",
           "proposed_grade": "HTXS", "competent_reason": "Chậm báo cáo"}
    said = make_reason("competent.concluded", hanoi, row).message_vi
    assert said == "Cấp có thẩm quyền kết luận xếp Loại C: Chậm báo cáo"
    assert "xếp loại Loại" not in make_reason("quota.demoted", hanoi, row).message_vi


def test_nd90s_months_rules_switched_on_over_nd335_cite_no_article_of_nd335() -> None:
    """§4.5: "fewer than 6 months" and "legal leave 3 to < 6 months" are NĐ 90 Điều 2 k3,
    not found in NĐ 335: an agency switching them on over NĐ 335 prints no NĐ 335 citation;
    under NĐ 90 they cite NĐ 90."""
    import attrs

    from evalkit.reasons import make_reason

    on = attrs.evolve(ND335, rollup=attrs.evolve(ND335.rollup, min_months=6, absent_cap=True))
    for code in ("rollup.too_few_months", "rollup.absent_cap"):
        assert make_reason(code, on, {}).source == ""
        assert make_reason(code, evalkit.rules.get("vn.nd90-2020"), {}).source == \
            "NĐ 90/2020/NĐ-CP, Điều 2 k3"
    assert make_reason("rollup.average", ND335, {}).source == "NĐ 335/2025/NĐ-CP, Điều 21"
