"""Sheet sentences that never contradict each other nor the people they speak of: a person
not classified is not "classified on the time worked", a year counted from quarters prints
no band of the mean, and a viên chức is not called a công chức."""

from __future__ import annotations

from typing import ClassVar

import attrs
import pandas as pd

import evalkit.rules
from evalkit import rollup_frame
from evalkit.reasons import explain, make_reason

ND90 = evalkit.rules.get("vn.nd90-2020")
CUSTOMS = evalkit.rules.get("vn.customs-2026q")
ND335 = evalkit.rules.get("vn.nd335-2025")
ND233 = evalkit.rules.get("vn.nd233-2026")
HANOI = evalkit.rules.get("hanoi.3814-2018")


def _quarters(grades: list[str], totals: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"staff_id": "X", "period": [f"2026-Q{i}" for i in range(1, 5)],
                         "unit_id": "U", "rule_set": CUSTOMS.id, "total": totals,
                         "grade": grades})  # fmt: skip


class TestRollUpSentences:
    def test_not_classified_for_too_few_months_is_not_classified_on_the_time_worked(self) -> None:
        """NĐ 90/2020 Điều 2 k3: 4 months worked, 8 sick → not classified, and only that."""
        df = pd.DataFrame({"staff_id": "F", "period": [f"2025-{m:02d}" for m in range(1, 13)],
                           "unit_id": "U", "rule_set": ND90.id,
                           "total": [95.0] * 4 + [None] * 8,
                           "leave": [""] * 4 + ["sick"] * 8})  # fmt: skip
        out = rollup_frame(df)
        assert out["reasons"].iloc[0] == "rollup.average;rollup.too_few_months"
        assert out["leave_months"].iloc[0] == 8
        lines = explain(out).iloc[0]
        assert not any("theo thời gian làm việc thực tế" in x and "Nghỉ" in x for x in lines)
        assert not any(x.startswith("Tổng điểm") for x in lines)  # no band: not classified
        assert any("không xếp loại" in x for x in lines)

    def test_a_year_counted_from_quarters_prints_no_band_of_the_mean(self) -> None:
        """CV 21169/CHQ-TCCB: 2 HTXS quarters, no KHT → HTXS whatever the mean's band (87.5)."""
        out = rollup_frame(_quarters(["HTXS", "HTXS", "HTT", "HTT"], [95, 95, 80, 80]))
        assert (out["total"].iloc[0], out["grade"].iloc[0]) == (87.5, "HTXS")
        lines = explain(out).iloc[0]
        assert not any(x.startswith("Tổng điểm") for x in lines)
        assert len(lines) == 1 and lines[0].startswith("Có 2 quý")
        assert not any(x.startswith("Total") for x in explain(out, lang="en").iloc[0])

    def test_the_otherwise_sentence_is_true_when_there_are_too_many_ht_quarters(self) -> None:
        """Three HT quarters (more than the 2 the HTT branch allows): HT, and the sentence
        no longer says there were not enough quarters."""
        out = rollup_frame(_quarters(["HTT", "HT", "HT", "HT"], [80, 60, 60, 60]))
        assert (out["grade"].iloc[0], out["reasons"].iloc[0]) == ("HT", "rollup.count.otherwise")
        (vi,) = explain(out).iloc[0]
        assert vi.startswith(
            "Số quý theo từng mức không đáp ứng điều kiện xếp Hoàn thành xuất sắc nhiệm vụ, "
            "Hoàn thành tốt nhiệm vụ hoặc Không hoàn thành nhiệm vụ: xếp loại Hoàn thành "
            "nhiệm vụ")  # fmt: skip
        (en,) = explain(out, lang="en").iloc[0]
        assert en.startswith("The number of quarters at each grade meets the conditions for "
                             "none of")  # fmt: skip
        assert "Không đủ" not in vi and "Not enough" not in en

    def test_the_htt_branch_says_no_quarter_never_zero_quarters(self) -> None:
        """Audit af22 (the customs year's unit summary): four HTT quarters printed "Có 0 quý
        Hoàn thành nhiệm vụ và 0 quý Không hoàn thành nhiệm vụ" on everyone's line; a
        count of none is said "không có quý", and one quarter is "1 quarter" in English."""
        ht, kht = "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ"
        htt = ": xếp loại Hoàn thành tốt nhiệm vụ"
        cases = {  # (HT quarters, KHT quarters) → the sentence, by hand
            ("HTT", "HTT", "HTT", "HTT"): f"Không có quý {ht} và không có quý {kht}{htt}",
            ("HTT", "HT", "HTT", "HTT"): f"Có 1 quý {ht} và không có quý {kht}{htt}",
            ("HT", "KHT", "HTT", "HTT"): f"Có 1 quý {ht} và 1 quý {kht}{htt}",
            ("HTT", "KHT", "HTT", "HTXS"): f"Không có quý {ht} và có 1 quý {kht}{htt}",
        }
        for grades, sentence in cases.items():
            out = rollup_frame(_quarters(list(grades), [80.0] * 4))
            assert (out["grade"].iloc[0], out["reasons"].iloc[0]) == ("HTT", "rollup.count.good")
            (vi,) = explain(out).iloc[0]
            assert vi == sentence + " (CV 21169/CHQ-TCCB ngày 28/8/2026)", grades
            assert "0 quý" not in vi
        (en,) = explain(rollup_frame(_quarters(["HTT", "HT", "HTT", "HTT"], [80.0] * 4)),
                        lang="en").iloc[0]
        assert en.startswith("1 quarter Completed duties and none Did not complete duties: "
                             "graded Well completed duties"), en
        (en,) = explain(rollup_frame(_quarters(["HTT"] * 4, [80.0] * 4)), lang="en").iloc[0]
        assert en.startswith("No quarter Completed duties and none Did not complete duties")

    def test_without_the_htt_branch_the_band_of_the_mean_decides_and_is_said(self) -> None:
        """A count rule without its HTT branch keeps the mean's band within HT..HTT."""
        rs = attrs.evolve(ND335, rollup=attrs.evolve(ND335.rollup, method="count",
                                                     of="quarter"))  # fmt: skip
        reason = make_reason("rollup.count.otherwise", rs, {"grade": "HTT"})
        assert "xếp Hoàn thành xuất sắc nhiệm vụ hoặc Không hoàn thành nhiệm vụ" in \
            reason.message_vi
        df = pd.DataFrame({"staff_id": "X", "period": [f"2026-Q{i}" for i in range(1, 5)],
                           "total": [95.0, 80.0, 80.0, 80.0]})  # fmt: skip
        out = rollup_frame(df, rs)
        assert out["reasons"].iloc[0] == "rollup.count.otherwise"
        assert explain(out, rules=rs).iloc[0][0].startswith("Tổng điểm")


class TestStaffWords:
    D: ClassVar[dict[str, int]] = {"mgmt_value": 100, "mgmt_below": 0,
                                   "mgmt_subordinates": 3}  # fmt: skip

    def test_vien_chuc_sentences_say_vien_chuc(self) -> None:
        quota = {"duty_group": "g", "quota_cap": 1, "quota_percent": 20, "quota_base": 5,
                 "quota_rank": 2, "quota_candidates": 2}  # fmt: skip
        for code, row in (("management.d", self.D), ("management.d_default", {}),
                          ("management.d_typed", {"mgmt_typed": 50, "mgmt_value": 100}),
                          ("quota.demoted", quota)):  # fmt: skip
            for rs in (ND233, ND90):
                text = make_reason(code, rs, row).message_vi
                assert "viên chức" in text and "công chức" not in text, (rs.id, code, text)
            assert "công chức" in make_reason(code, ND335, row).message_vi

    def test_a_mixed_rule_set_speaks_of_people(self) -> None:
        """Hà Nội's QĐ 3814 covers cán bộ, công chức, viên chức and contract staff."""
        text = make_reason("management.d_default", HANOI, {}).message_vi
        assert text.startswith("Không có người thuộc quyền quản lý")

    def test_one_subordinate_is_said_plainly(self) -> None:
        row = {**self.D, "mgmt_subordinates": 1}
        reason = make_reason("management.d", ND335, row)
        assert reason.message_vi == ("Thành phần (d) = 100%: công chức thuộc quyền quản lý có "
                                     "điểm từ mức Hoàn thành nhiệm vụ trở lên")  # fmt: skip
        assert "cả 1" not in reason.message_vi and "all 1" not in reason.message_en
        below = make_reason("management.d", ND335, {**row, "mgmt_below": 1, "mgmt_value": 50})
        assert "1/1" not in below.message_vi and "dưới mức" in below.message_vi
