"""The figures a unit signs agree with each other and with the engine (audit af38).

Every expected figure is computed by hand from the rule texts (domain brief §4), never
from evalkit: the people counted on the overview and the unit summary, the share of the
quota's grade over the quota's own base, the appraisal council's sentence, the numbers
typed as text that the archive reads as every door does.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.render import (
    Agency,
    OrganisationOverview,
    render_overview_html,
    render_unit_summary_html,
    summaries_from_results,
)

pytest.importorskip("jinja2")


def _flat(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _org(*units: tuple[str, str]) -> evalkit.Organisation:
    return evalkit.Organisation(units=[evalkit.Unit(u, name) for u, name in units],
                                positions=[], staff=[])  # fmt: skip


def _nd90_year() -> pd.DataFrame:
    """Unit U, 2025, viên chức under NĐ 90/2020: V0..V3 work 12 months at 86 (HTT), V4
    three months (86 too). By hand: V4 is not classified for the year (fewer than 6
    months worked, NĐ 90/2020 Điều 2 k3); the unit's people are 5 — 4 HTT, 1 not
    classified, nobody without a score."""
    rs = evalkit.rules.get("vn.nd90-2020")
    rows = [{"staff_id": f"V{i}", "unit_id": "U", "period": f"2025-{m:02d}",
             "category": "vien_chuc", **rs.full_marks(), "so_luong": 80, "chat_luong": 80,
             "tien_do": 80} for i in range(5) for m in range(1, 13) if i < 4 or m <= 3]
    units = pd.DataFrame({"unit_id": "U", "period": [f"2025-{m:02d}" for m in range(1, 13)],
                          "council_score": 80.0})
    staff, ur = evalkit.classify_frame(pd.DataFrame(rows), units, rs)
    return evalkit.classify_year(staff, ur)


class TestNotClassifiedOnTheOverview:
    """A person with a score and no grade is one of the unit's people on the overview, as on
    the unit summary — neither dropped (the frame door) nor called not evaluated (the
    summaries door)."""

    @pytest.mark.parametrize("door", ["frame", "summaries"])
    def test_the_overview_counts_them_apart(self, door: str) -> None:
        year = _nd90_year()
        rs = evalkit.rules.get("vn.nd90-2020")
        [summary] = summaries_from_results(year)
        ov = (OrganisationOverview.from_frame(year, organisation=_org(("U", "Phòng U")),
                                              rules=rs, agency=Agency("Sở"))
              if door == "frame" else OrganisationOverview.from_summaries([summary]))
        [row] = ov.rows
        assert (row.staff_count, row.not_classified, row.not_evaluated) == (5, 1, 0)
        assert row.staff_count == len(summary.rows)
        text = _flat(render_overview_html(ov))
        assert "Không xếp loại" in text
        # Số người, HTXS, HTT, HT, KHT, Không xếp loại, Chưa đánh giá
        assert "Tổng cộng 5 0 4 0 0 1 0" in text

    def test_no_column_where_everyone_with_a_score_is_graded(self) -> None:
        year = _nd90_year()
        year = year[year["staff_id"] != "V4"]
        ov = OrganisationOverview.from_summaries(summaries_from_results(year))
        text = _flat(render_overview_html(ov))
        assert "Không xếp loại" not in text and "Tổng cộng 4 0 4 0 0 0" in text




def _hanoi_month() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Unit U, March 2026, Hà Nội QĐ 3814-QĐ/TU (a monthly quota: A ≤ 30% of those
    classified): S0..S3 score 90 (A), S4, S5 80 (B), S6 has no score. By hand: 6 classified
    → cap floor(0.3 × 6) = 1; S0 keeps A (ties broken by id), S1..S3 are B: A 1, B 5; the
    share of A is 1 of the quota's 6 = 16,7%, B 5 of 6 = 83,3% (never of the 7 listed)."""
    rs = evalkit.rules.get("hanoi.3814-2018")
    rows = [{"staff_id": f"S{i}", "unit_id": "U", "period": "2026-03", "category": "hop_dong",
             **({} if t is None else {"ky_luat": 10, "dao_duc": 10, "ket_qua_nhiem_vu": t})}
            for i, t in enumerate([70, 70, 70, 70, 60, 60, None])]
    return evalkit.classify_frame(pd.DataFrame(rows),
                                  pd.DataFrame({"unit_id": ["U"], "period": "2026-03"}), rs)


class TestTheQuotaGradesShare:
    """The share of the quota's grade is over the quota's own base on the unit summary and
    on the overview alike, said under the table (NĐ 335/2025/NĐ-CP Điều 20 k5 a: 20% of
    those rated HTT; QĐ 3814: 30% of those classified)."""

    def test_a_hanoi_month_one_share_on_both_documents(self) -> None:
        staff, units = _hanoi_month()
        rs = evalkit.rules.get("hanoi.3814-2018")
        [summary] = summaries_from_results(staff, units)
        text = _flat(render_unit_summary_html(summary))
        assert "Loại A 1 16,7% Loại B 5 83,3%" in text and "Chưa đánh giá 1 Tổng" in text
        assert ("Tỷ lệ tính trên 6 người được xếp loại; riêng mức Loại A: 1 trên 6 người được "
                "xếp loại (căn cứ tính tỷ lệ khống chế)") in text
        for ov in (OrganisationOverview.from_summaries([summary]),
                   OrganisationOverview.from_frame(staff, organisation=_org(("U", "U")),
                                                   rules=rs, agency=Agency("Sở"))):
            text = _flat(render_overview_html(ov))
            assert "Tỷ lệ 16,7% 83,3% 0% 0%" in text and "1 (16,7%)" in text

    def test_a_mixed_unit_counts_each_groups_base(self) -> None:
        """The mixed year of tests/test_quota.py: công chức 10 HTT → 2 kept of 4, viên
        chức 5 HTT → 1 kept of 3. By hand: HTXS 3 of the base 10 + 5 = 15 → 20%; HTT 19
        of the 22 graded → 86,4% (of all graded: 3 of 22 would be 13,6%)."""
        from tests.test_quota import _mixed_year

        year, _ = _mixed_year()
        rs = evalkit.rules.get("vn.nd335-2025")
        [summary] = summaries_from_results(year)
        text = _flat(render_unit_summary_html(summary))
        assert "Hoàn thành xuất sắc nhiệm vụ 3 20% Hoàn thành tốt nhiệm vụ 19 86,4%" in text
        assert ("Tỷ lệ tính trên 22 người được xếp loại; riêng mức Hoàn thành xuất sắc nhiệm "
                "vụ: 3 trên 15 người xếp loại Hoàn thành tốt nhiệm vụ") in text
        for ov in (OrganisationOverview.from_summaries([summary]),
                   OrganisationOverview.from_frame(year, organisation=_org(("U", "U")),
                                                   rules=rs, agency=Agency("Sở"))):
            assert ov.quota_share() == (3, 15, False)
            text = _flat(render_overview_html(ov))
            assert "Tỷ lệ 20% 86,4% 0% 0%" in text and "3 (20%)" in text
            assert "riêng mức Hoàn thành xuất sắc nhiệm vụ: 3 trên 15 người" in text

    def test_a_quota_of_one_rule_set_beside_a_monitored_one(self) -> None:
        """A Hà Nội unit's March: công chức C1, C2 (NĐ 335/2025, monitored: band HTXS at
        100) beside contract staff under QĐ 3814 (H0..H3 90, H4, H5 80: 6 classified → 30%
        = 1 Loại A kept). By hand: the row HTXS / Loại A counts 3 of the 8 graded (37,5%);
        the quota's figure is 1 of its 6 classified — never 3 of 6."""
        nd = evalkit.rules.get("vn.nd335-2025")
        rows = [{"staff_id": f"C{i}", "unit_id": "U", "period": "2026-03", "category":
                 "cong_chuc", "rule_set": nd.id, **nd.full_marks()} for i in (1, 2)]
        rows += [{"staff_id": f"H{i}", "unit_id": "U", "period": "2026-03", "category":
                  "hop_dong", "rule_set": "hanoi.3814-2018", "ky_luat": 10, "dao_duc": 10,
                  "ket_qua_nhiem_vu": t} for i, t in enumerate([70, 70, 70, 70, 60, 60])]
        staff, units = evalkit.classify_frame(
            pd.DataFrame(rows), pd.DataFrame({"unit_id": ["U"], "period": "2026-03"}))
        [summary] = summaries_from_results(staff, units)
        assert summary.quota_share() == (1, 6, False)
        text = _flat(render_unit_summary_html(summary))
        assert "Hoàn thành xuất sắc nhiệm vụ / Loại A 3 37,5%" in text
        assert "riêng mức Loại A: 1 trên 6 người được xếp loại" in text
        assert OrganisationOverview.from_summaries([summary]).quota_share() == (1, 6, False)

    def test_a_monitored_month_has_no_quota_base(self) -> None:
        """NĐ 335's months are monitored (Điều 21): no quota, every band of those banded."""
        rs = evalkit.rules.get("vn.nd335-2025")
        rows = [{"staff_id": f"S{i}", "unit_id": "U", "period": "2026-03", "category":
                 "cong_chuc", **rs.full_marks(), "so_luong": p, "chat_luong": p, "tien_do": p}
                for i, p in enumerate([100, 100, 80, 80])]  # 100, 100, 86, 86
        staff, units = evalkit.classify_frame(
            pd.DataFrame(rows), pd.DataFrame({"unit_id": ["U"], "period": "2026-03"}), rs)
        [summary] = summaries_from_results(staff, units)
        text = _flat(render_unit_summary_html(summary))
        assert "Hoàn thành xuất sắc nhiệm vụ 2 50% Hoàn thành tốt nhiệm vụ 2 50%" in text
        assert "Tỷ lệ tính trên 4 người có mức tương ứng với điểm" in text
        assert OrganisationOverview.from_summaries([summary]).quota_share() is None


class TestTheCouncilsSentence:
    """The council's sentence names the scores it replaced that the unit has, and never
    prints a dash for one it lacks (a unit re-scored with no task counts, no self-score)."""

    def test_only_the_scores_the_unit_has(self) -> None:
        from evalkit.reasons import explain

        rs = evalkit.rules.get("vn.nd335-2025")
        rows = [{"staff_id": "S1", "unit_id": "U", "period": "2026-03", "category": "cong_chuc",
                 **rs.full_marks()}]
        units = pd.DataFrame({"unit_id": ["U", "V", "W"], "period": "2026-03",
                              "council_score": [80.0, 85.0, 86.5],
                              "tasks_assigned": [None, 10, 10], "tasks_done": [None, 9, 9],
                              "self_score": [None, None, 94.0]})
        _staff, ut = evalkit.classify_frame(pd.DataFrame(rows), units, rs)
        # by hand: V's computed score is 9 of 10 tasks, 90; W's too, with its self-score 94
        assert [s for [s] in explain(ut, lang="vi")] == [
            "Hội đồng thẩm định kết luận 80 điểm",
            "Hội đồng thẩm định kết luận 85 điểm (điểm tính theo kết quả 90)",
            "Hội đồng thẩm định kết luận 86,5 điểm (điểm tính theo kết quả 90, đơn vị tự chấm "
            "94)"]
        assert [s for [s] in explain(ut, lang="en")][:2] == [
            "The appraisal council concluded 80", "The appraisal council concluded 85 (computed 90)"]
        assert not any("—" in s for [s] in explain(ut, lang="vi"))


class TestTheArchiveReadsNumbersAsEveryDoor:
    """A total or a score typed as text is read as every door reads it (evalkit._columns:
    "85,5" is 85.5, "91" is 91) and archived as that number; what the doors refuse ("abc")
    the archive refuses with their words, naming the row, the column and the value."""

    def test_text_numbers_are_checked_as_numbers(self) -> None:
        from evalkit.io.archive import check_results
        from tests._archive_helpers import plain_month

        frame = plain_month("2026-03").astype(object)
        frame["total"] = ["91", "91,0", " 91 "]
        frame["pham_chat_dao_duc"] = ["4,5", "5", None]  # max 5 (NĐ 335, Điều 12 k2 a)
        assert check_results(frame) == []
        frame.loc[1, "pham_chat_dao_duc"] = "abc"
        frame.loc[2, "pham_chat_dao_duc"] = "5,5"  # 5.5 > 5: outside, as a number
        found = [(p.row, p.column, p.value, p.message) for p in check_results(frame)]
        assert found[0] == (1, "pham_chat_dao_duc", "abc", "is not a number (staff 'S000001')")
        assert [f[:3] for f in found] == [(1, "pham_chat_dao_duc", "abc"),
                                          (2, "pham_chat_dao_duc", "5,5")]

    def test_the_archived_month_holds_the_numbers(self, tmp_path: Any) -> None:
        from evalkit.io.archive import Archive
        from tests._archive_helpers import plain_month

        frame = plain_month("2026-03", total=85.5).astype(object)
        frame["total"] = ["85,5", "85.5", 85.5]
        frame["pham_chat_dao_duc"] = pd.Series(["4,5", "4.5", "4,50"], dtype="string")
        with Archive(tmp_path / "a.sqlite") as a:
            a.finalize(frame, by="TCCB")
            month = a.month("2026-03")
            assert month["total"].astype(float).tolist() == [85.5] * 3
            assert month["pham_chat_dao_duc"].astype(float).tolist() == [4.5] * 3
            assert a.verify().ok

    def test_the_archived_units_hold_the_numbers(self, tmp_path: Any) -> None:
        """A unit's score typed '85,5' passes the check as 85.5: archived as 85.5, not as
        the text a later reading would lose."""
        from evalkit.io.archive import Archive
        from tests._archive_helpers import plain_month

        units = pd.DataFrame({"unit_id": ["U1"], "grade": ["HTT"], "score": ["85,5"],
                              "council_score": ["85,5"]})
        with Archive(tmp_path / "a.sqlite") as a:
            a.finalize(plain_month("2026-03"), by="TCCB", units=units)
            got = a.units("2026-03")
            assert got[["score", "council_score"]].astype(float).iloc[0].tolist() == [85.5] * 2



class TestAMemberWithoutARow:
    """The demo's December without SNV-305's row: the organisation's member is listed not
    evaluated on the unit summary and counted so on the overview from the frames too."""

    def test_the_overview_from_the_frames_counts_them(self) -> None:
        from evalkit.demo import classify_demo, load_demo

        data = load_demo()
        months = classify_demo(data).months
        keep = (months["period"].astype(str) == "2026-12") & (months["staff_id"] != "SNV-305")
        part = months[keep.to_numpy()]
        part.attrs.update(months.attrs)
        by = {s.unit.id: s for s in summaries_from_results(part, org=data.organisation)}
        # by hand: XDCQ's 10 people — SNV-304 on sick leave, SNV-305 without a row, 8 banded
        assert (len(by["SNV-XDCQ"].rows), by["SNV-XDCQ"].not_evaluated()) == (10, 2)
        for ov in (OrganisationOverview.from_summaries(list(by.values()),
                                                       organisation=data.organisation),
                   OrganisationOverview.from_frame(part, organisation=data.organisation,
                                                   rules=evalkit.rules.get("vn.nd335-2025"),
                                                   agency=Agency("Sở"))):
            row = next(r for r in ov.rows if r.unit.id == "SNV-XDCQ")
            assert (row.staff_count, row.not_evaluated, sum(row.counts.values())) == (10, 2, 8)
            assert sum(r.staff_count for r in ov.rows) == 31  # the demo's 31 people
