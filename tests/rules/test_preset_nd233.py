"""vn.nd233-2026: viên chức under Nghị định 233/2026/NĐ-CP from 2026-07-01 (domain brief §4.2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from contract import GENERAL_30_VC, PresetContract, ThanhHoaNoticesContract, decided, quota_cap

import evalkit
from evalkit import Discipline, Grade
from evalkit.rules import Registry

FULL = {**GENERAL_30_VC, "so_luong": 100, "chat_luong": 100, "tien_do": 100}
GENERAL_28 = {**GENERAL_30_VC, "ky_luat_ky_cuong": 4, "phuc_vu_phoi_hop": 1.5}

#: A public service unit switching on the Quy định 366-QĐ/TW Điều 11 k1 unit conditions.
PARTY_366_OPTION = """
extends = "vn.nd233-2026"
id = "mau.truong-366-2026"
jurisdiction = "vn.mau.truong"

[units]
excellent_requires_no_discipline = true
excellent_conditions_source = "QĐ 366-QĐ/TW, Điều 11 k1"
"""


class TestNd233(PresetContract, ThanhHoaNoticesContract):
    """The contract plus the rules of domain brief §4.2 (NĐ 233/2026/NĐ-CP)."""

    RULE_SET_ID = "vn.nd233-2026"
    JURISDICTION = "vn"
    CATEGORIES = ("vien_chuc",)
    EFFECTIVE_FROM = dt.date(2026, 7, 1)
    CLASSIFIED = ("year",)
    FULL_SCORES = FULL

    def test_it_follows_nd90_without_gap_or_overlap(self) -> None:
        """NĐ 233/2026 replaces NĐ 90/2020 for viên chức on 2026-07-01 (domain brief §4.2)."""
        old = evalkit.rules.get("vn.nd90-2020")
        assert old.effective_to == self.EFFECTIVE_FROM - dt.timedelta(days=1)
        assert evalkit.rules.for_period("vien_chuc", "2026-06").id == "vn.nd90-2020"
        assert evalkit.rules.for_period("vien_chuc", "2026-07").id == self.RULE_SET_ID

    def test_the_year_is_classified_per_the_law_on_public_employees(self) -> None:
        """Luật Viên chức 129/2025/QH15 Điều 26 k1: classification is yearly (verified)."""
        assert self.rs.classified_source == "Luật Viên chức 129/2025/QH15, Điều 26 k1"
        assert not self.rs.classifies("2026-09") and self.rs.classifies("2026")

    def test_nd233_articles_are_cited_as_secondary(self) -> None:
        """Issue 19: NĐ 233's articles come from documents that cite it: status secondary."""
        assert self.rs.status == "secondary"
        cited = [b for b in self.rs.bands if "233" in b.source]
        assert cited and all(b.status == "secondary" for b in cited)

    def test_general_criteria_are_the_three_groups_and_e_names_vien_chuc(self) -> None:
        """NĐ 233 Phụ lục I (secondary): the three groups of NĐ 335; e for viên chức."""
        g = self.rs.group("general")
        assert [(s.id, s.maximum) for s in g.sections] == [("a", 10), ("b", 10), ("c", 10)]
        e = self.rs.criterion("tap_hop_doan_ket")
        assert e.label_vi.startswith("(e)") and "viên chức" in e.label_vi
        assert "công chức" not in e.label_vi

    def test_general_groups_are_headed_as_in_annex_i(self) -> None:
        """NĐ 233/2026 Phụ lục I (text seen in a copy of the decree, legal-sources §13):
        group 1 is "Phẩm chất chính trị, phẩm chất đạo đức và ý thức kỷ luật, kỷ cương trong
        thực thi nhiệm vụ" — without NĐ 335's "văn hóa công vụ"; group 2 names the job
        position's professional capacity and "khả năng phối hợp trong công tác"."""
        a, b, c = self.rs.group("general").sections
        assert a.label_vi == ("Phẩm chất chính trị, phẩm chất đạo đức và ý thức kỷ luật, kỷ cương "
                              "trong thực thi nhiệm vụ")
        assert "văn hóa" not in a.label_vi
        assert b.label_vi.startswith("Năng lực chuyên môn, nghiệp vụ theo yêu cầu của vị trí việc làm")
        assert b.label_vi.endswith("khả năng phối hợp trong công tác")
        assert c.label_vi.startswith("Năng lực đổi mới, sáng tạo; dám nghĩ, dám làm")

    def test_manager_criteria_d_and_e_use_the_decree_wording(self) -> None:
        """NĐ 233/2026 Điều 11 k3 b, d (text seen in a copy of the decree, legal-sources §13):
        d is "kết quả hoạt động của đơn vị thuộc phạm vi quản lý hoặc lĩnh vực được giao quản
        lý, phụ trách"; e is "năng lực tập hợp, đoàn kết viên chức, người lao động thuộc thẩm
        quyền quản lý" — contract workers too, not viên chức alone."""
        d = self.rs.criterion("ket_qua_linh_vuc")
        e = self.rs.criterion("tap_hop_doan_ket")
        assert "đơn vị thuộc phạm vi quản lý hoặc lĩnh vực được giao quản lý" in d.label_vi
        assert "viên chức, người lao động thuộc thẩm quyền quản lý" in e.label_vi

    def test_a_vien_chuc_month_is_scored_under_it_without_naming_it(self) -> None:
        """NĐ 233/2026: a September 2026 month of a viên chức gets this set automatically."""
        a = evalkit.Assessment("VC-1", "2026-09", manager_scores=FULL)
        assert evalkit.score(a, category="vien_chuc").rule_set_id == self.RULE_SET_ID

    def test_general_28_and_tasks_90_100_80_give_91_as_under_nd335(self) -> None:
        """NĐ 233/2026 (structure as NĐ 335/2025 Điều 16): 28 + 63 = 91 → HTXS band."""
        r = self.score({**GENERAL_28, "so_luong": 90, "chat_luong": 100, "tien_do": 80})
        assert (r.total, r.score_grade) == (91.0, Grade.HTXS)

    def test_no_error_deduction_is_assumed_for_vien_chuc(self) -> None:
        """NĐ 335's −25% per error is not known to be in NĐ 233: no adjustment here."""
        assert self.rs.adjustments == ()
        assert self.score({**FULL, "chat_luong": 50}).total == 30 + round(250 / 3 * 0.7, 2)

    def test_duty_related_discipline_makes_kht_whatever_the_score(self) -> None:
        """NĐ 233/2026 Điều 12 (as NĐ 335 Điều 20 k4 c, secondary): disciplined → KHT."""
        r = self.score(FULL, discipline=Discipline(1))
        assert decided(r) is Grade.KHT
        assert "disqualifier.discipline" in [x.code for x in r.reasons]
        # Điều 14 k3 a: a party or administrative discipline (af118; was duty_discipline,
        # the administrative level only)
        assert next(c for c in self.rs.caps if c.id == "discipline").flag == "duty_any_discipline"

    def test_quota_is_20_percent_of_htt_or_25_where_the_unit_is_htxs(self) -> None:
        """NĐ 233/2026 Điều 12 k6: HTXS ≤ 20% of HTT, 25% if the public service unit (đơn vị
        sự nghiệp công lập, the top of the unit tree, not a khoa: Điều 3 k2) is HTXS (k6 b)."""
        q = self.rs.quota
        assert q is not None and (q.base, q.percent, q.raised_percent) == ("HTT", 20, 25)
        assert q.raised_when == "top_unit_excellent"
        assert q.terms(True)[2] == "NĐ 233/2026/NĐ-CP, Điều 12 k6 b"
        assert quota_cap(q, 10) == 2
        assert quota_cap(q, 12, raised=True) == 3

    def test_the_unit_htxs_conditions_are_article_7_k1(self) -> None:
        """NĐ 233/2026 Điều 7 k1 (copy of the decree's text): ≥ 90, 100% of the tasks done, ≥ 30%
        exceeded (a), no constituent unit KHT (b). QĐ 366-QĐ/TW Điều 11 k1's discipline
        condition is a Party regulation's, not in Điều 7: off."""
        u = self.rs.units
        assert u.excellent_min_score == 90
        assert (u.excellent_tasks_done_percent, u.excellent_exceeded_percent) == (100, 30)
        assert u.excellent_requires_no_subunit_kht and not u.excellent_requires_no_discipline
        assert u.excellent_conditions_source == "NĐ 233/2026/NĐ-CP, Điều 7 k1"

    def test_a_unit_adds_the_366_discipline_condition_with_its_own_file(self, tmp_path: Path) -> None:
        """docs/presets/vn.nd233-2026.md: extends the preset, adds the discipline condition
        and its citation; the Điều 7 conditions are kept (tables merge key by key)."""
        path = tmp_path / "truong.toml"
        path.write_text(PARTY_366_OPTION, encoding="utf-8")
        reg = Registry.with_presets()
        rs = reg.load(path)
        u = rs.units
        assert (u.excellent_tasks_done_percent, u.excellent_exceeded_percent) == (100, 30)
        assert u.excellent_requires_no_discipline is True and u.excellent_requires_no_subunit_kht
        assert u.excellent_conditions_source == "QĐ 366-QĐ/TW, Điều 11 k1"
        assert u.head_capped_at_unit and u.source == self.rs.units.source
        assert rs.blocks == self.rs.blocks and rs.classified == ("year",)

    def test_the_fewer_than_5_units_limit_is_article_7_k7_c(self) -> None:
        """'Trường hợp đơn vị có dưới 05 đơn vị sự nghiệp công lập trực thuộc thì có tối đa 01
        đơn vị được xếp loại HTXS' (NĐ 233 Điều 7 k7 c, copy of the decree's text): on."""
        u = self.rs.units
        assert (u.small_parent_threshold, u.small_parent_max_excellent) == (5, 1)
        assert u.small_parent_source == "NĐ 233/2026/NĐ-CP, Điều 7 k7 c"

    def test_the_head_is_capped_at_the_unit(self) -> None:
        """NĐ 233/2026 Điều 12 khoản 7 (per secondary source): head not above the unit."""
        assert self.rs.units.head_capped_at_unit is True
        assert self.rs.units.source == "NĐ 233/2026/NĐ-CP, Điều 12 k7"

    def test_the_year_averages_the_months_worked_with_the_six_month_rule(self) -> None:
        """As NĐ 335 Điều 21 for the mean; NĐ 233 Điều 14 k1: fewer than 6 months worked →
        not classified; k2: sick or maternity leave → classified on the time worked (not
        absence); no 3-to-6-month absence cap (NĐ 90's)."""
        r = self.rs.rollup
        assert (r.method, r.of, r.min_months, r.absent_cap) == ("average", "month", 6, False)
        assert (r.maternity_exempt, r.sick_exempt) == (True, True)
        assert r.months_source == "NĐ 233/2026/NĐ-CP, Điều 14 k1"  # the 6-month rule
        assert r.leave_source == "NĐ 233/2026/NĐ-CP, Điều 14 k2"  # the leave clause alone
