"""The sheet's criteria table shows the figures that count (audit 9 finding 7).

A leader typed the management component d = 100%, the scores of the staff under them give
50% and the engine applied 50% (NĐ 335/2025 Điều 15; 30 + (5 × 100 + 50) / 6 × 70% =
94,17). The sheet printed d 100%, group II 70 and *Tổng cộng* 100 beside *Tổng điểm được
công nhận: 94,17*: a table that adds up to a total that does not count. Now the typed value
stays in its cell, a row under it prints the applied one, and the counting level's group
and total rows are the result's (64,17 and 94,17). A criterion typed 2.495 printed 2,5: it
now prints as typed, and a section's subtotal is the exact sum of what is printed above it.
"""

from __future__ import annotations

import io
import math
from decimal import Decimal

import attrs
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

import evalkit  # noqa: E402
from evalkit.errors import RenderError  # noqa: E402
from evalkit.render import Sheet, render_pdf, sheets_from_results  # noqa: E402
from evalkit.render._format import fmt_typed  # noqa: E402
from evalkit.render._view import Row, _section_sum, criteria_rows  # noqa: E402
from evalkit.units import classify_frame  # noqa: E402

RULES = evalkit.rules.get("vn.nd335-2025")
TOP = RULES.full_marks()
LEADER = {**TOP, "ket_qua_linh_vuc": 100, "to_chuc_trien_khai": 100, "tap_hop_doan_ket": 100}
#: 30 + (10 + 10 + 10) / 3 × 70% = 37: below the HT band, so the leader's d is 50%.
LOW = {**TOP, "so_luong": 10, "chat_luong": 10, "tien_do": 10}
D = "ket_qua_linh_vuc"
MANAGER = 1  # the column of the direct manager, the counting level here


def _row(sid: str, name: str, scores: dict[str, float], **kw: object) -> dict[str, object]:
    """A row scored by the direct manager (the counting level), as a results file has it."""
    return {"staff_id": sid, "full_name": name, "unit_id": "TCCB",
            "unit_name": "Phòng Tổ chức cán bộ", "position_title": "Chuyên viên",
            "category": "cong_chuc", "period": "2026-03",
            **{k: v for k, v in scores.items() if v is not None},
            **{f"manager__{k}": v for k, v in scores.items()}, **kw}  # fmt: skip


def _sheets(leader: dict[str, float | None], **kw: object) -> dict[str, Sheet]:
    sm = pd.DataFrame([
        _row("TP", "Nguyễn Thị Hồng", leader, manages_others=True,
             position_title="Trưởng phòng", **kw),
        _row("CV1", "Trần Văn An", TOP),
        _row("CV3", "Đỗ Minh Châu", LOW),
        _row("CV2", "Phạm Thị Bình", {**TOP, "phuc_vu_phoi_hop": 2.495}),
    ])  # fmt: skip
    staff, _ = classify_frame(sm, pd.DataFrame({"unit_id": ["TCCB"], "head_id": ["TP"]}))
    results = sm.join(staff.drop(columns=sm.columns, errors="ignore"))
    return {s.staff.id: s for s in sheets_from_results(results)}


@pytest.fixture(scope="module")
def sheets() -> dict[str, Sheet]:
    return _sheets(LEADER)


def _rows(sheet: Sheet, kind: str) -> list[Row]:
    return [r for r in criteria_rows(sheet, "vi") if r.kind == kind]


def _number(text: str) -> float:
    return float(text.rstrip("%").replace(".", "").replace(",", "."))


class TestTheAppliedD:
    """The typed d stays visible, the applied d is printed, the table adds up."""

    def test_the_engine_applied_50_where_100_was_typed(self, sheets: dict[str, Sheet]) -> None:
        """The frame's mgmt_value (50) against the manager's typed 100: the sheet knows both."""
        tp = sheets["TP"]
        assert tp.result.total == 94.17
        assert tp.assessment.manager_scores[D] == 100
        assert tp.applied == {D: 50.0}
        assert all(not sheets[s].applied for s in ("CV1", "CV2", "CV3"))

    def test_the_applied_value_is_printed_under_the_typed_one(
        self, sheets: dict[str, Sheet]
    ) -> None:
        """Row 4 (d) keeps 100% as typed; the next row says what the score applied, in
        the counting level's column only."""
        rows = criteria_rows(sheets["TP"], "vi")
        at = next(i for i, r in enumerate(rows) if r.label.startswith("(d)"))
        assert rows[at].cells[MANAGER] == "100%"
        applied = rows[at + 1]
        assert applied.kind == "applied"
        assert applied.label == "Áp dụng khi tính điểm (căn cứ tại mục D)"
        assert applied.cells == ("", "50%", "")
        assert [r.kind for r in rows].count("applied") == 1

    def test_the_counting_column_adds_up_to_the_total_that_counts(
        self, sheets: dict[str, Sheet]
    ) -> None:
        """Group II 64,17, Tổng cộng 94,17 = groups I + II = Tổng điểm được công nhận;
        before, the column said 70 and 100 (the typed d's figures)."""
        tp = sheets["TP"]
        groups = [r.cells[MANAGER] for r in _rows(tp, "group")]
        [total] = _rows(tp, "total")
        assert groups == ["30", "64,17"]
        assert total.cells[MANAGER] == "94,17"
        assert math.isclose(sum(map(_number, groups)), _number(total.cells[MANAGER]))
        assert _number(total.cells[MANAGER]) == tp.result.total

    def test_the_pdf_table_agrees_with_the_total_that_counts(
        self, sheets: dict[str, Sheet]
    ) -> None:
        """The signed PDF: the applied row, group II 64,17 and Tổng cộng 94,17."""
        reader = pypdf.PdfReader(io.BytesIO(render_pdf(sheets["TP"])))
        text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        assert "Áp dụng khi tính điểm (căn cứ tại mục D) 50%" in text
        assert "Kết quả thực hiện nhiệm vụ 70 64,17" in text
        assert "Tổng cộng 100 94,17" in text
        assert "Tổng cộng 100 100" not in text
        assert "Tổng điểm được công nhận: 94,17" in text
        assert "ghi 100% khác với kết quả tính" in text  # the reason says why

    def test_the_unit_summary_prints_the_figure_that_counted(self) -> None:
        """Audit 13 (summary_competent): the summary's column of the counting level printed
        100 (the typed d's total) where the sheet's *Tổng cộng* says 94,17; both from the
        sheets and from the results frame (whose results carry no level)."""
        from evalkit.render import UnitSummary, summaries_from_results
        from evalkit.render._view import summary_context

        sm = pd.DataFrame([_row("TP", "Nguyễn Thị Hồng", LEADER, manages_others=True,
                                position_title="Trưởng phòng"),
                           _row("CV3", "Đỗ Minh Châu", LOW)])  # fmt: skip
        staff, _ = classify_frame(sm, pd.DataFrame({"unit_id": ["TCCB"], "head_id": ["TP"]}))
        results = sm.join(staff.drop(columns=sm.columns, errors="ignore"))
        assert results.loc[0, "manager_total"] == 100.0  # the typed d's own figure
        sheets = {s.staff.id: s for s in sheets_from_results(results)}
        [total] = _rows(sheets["TP"], "total")
        for summary in (UnitSummary.from_sheets(list(sheets.values())),
                        summaries_from_results(results)[0]):
            ctx = summary_context(summary, "vi")
            tp = next(r for r in ctx["rows"] if r["name"] == "Nguyễn Thị Hồng")
            assert tp["manager"] == tp["total"] == total.cells[MANAGER] == "94,17"
            assert tp["self"] == ""  # a level that scored nothing: blank
            cv = next(r for r in ctx["rows"] if r["name"] == "Đỗ Minh Châu")
            assert cv["manager"] == cv["total"] == "37"  # nothing applied: its own figure

    def test_a_level_that_does_not_count_keeps_its_own_figures(self) -> None:
        """The person's own column (self, typed d 100) is their proposal: its total stays
        the engine's self_total; only the counting level's column shows the applied d."""
        sheets = _sheets(LEADER, **{f"self__{k}": v for k, v in LEADER.items()})
        tp = sheets["TP"]
        [total] = _rows(tp, "total")
        assert total.cells == ("100", "94,17", "")
        assert _rows(tp, "applied")[0].cells == ("", "50%", "")

    def test_a_blank_d_is_not_a_replaced_one(self) -> None:
        """d left blank: nothing typed was replaced. The level's own figures already hold
        the computed 50% (as the object path's do) and the reason gives its value."""
        tp = _sheets({**LEADER, D: None})["TP"]
        assert tp.applied == {}
        assert not _rows(tp, "applied")
        [d_row] = [r for r in _rows(tp, "criterion") if r.label.startswith("(d)")]
        assert d_row.cells[MANAGER] == ""
        assert [r.cells[MANAGER] for r in _rows(tp, "group")] == ["30", "64,17"]
        assert _rows(tp, "total")[0].cells[MANAGER] == "94,17"
        assert "management.d" in tp.result.reason_codes()

    def test_a_typed_d_that_was_applied_adds_no_row(self) -> None:
        """Typed 50% = computed 50%: nothing replaced, the table is the level's own."""
        tp = _sheets({**LEADER, D: 50})["TP"]
        assert tp.applied == {}
        assert not _rows(tp, "applied")
        assert _rows(tp, "total")[0].cells[MANAGER] == "94,17"

    def test_an_applied_value_for_an_unknown_criterion_is_refused(
        self, sheets: dict[str, Sheet]
    ) -> None:
        """A criterion the rule set does not have cannot be printed: RenderError names it."""
        with pytest.raises(RenderError, match="'khong_co'"):
            attrs.evolve(sheets["TP"], applied={"khong_co": 50})


class TestTypedPrecision:
    """Scores are printed as typed; a section is the exact sum of what it prints."""

    def test_a_criterion_typed_2_495_prints_2_495(self, sheets: dict[str, Sheet]) -> None:
        """Not 2,5: section b) is 9,995 and group I the engine's 30 (29,995 rounded to the
        cent, where the engine rounds: the block's points)."""
        cv2 = sheets["CV2"]
        [crit] = [r for r in _rows(cv2, "criterion") if r.label.startswith("Thái độ phục vụ")]
        assert crit.cells[MANAGER] == "2,495"
        [b] = [r for r in _rows(cv2, "section") if r.no == "b)"]
        assert b.cells[MANAGER] == "9,995"
        assert _rows(cv2, "group")[0].cells[MANAGER] == "30"
        assert cv2.result.components["general"] == 30.0

    @given(st.integers(0, 10**7))
    def test_a_typed_score_prints_back_to_itself(self, thousandths: int) -> None:
        """Up to three decimals (any typed precision up to six), the printed figure is the
        value typed: it reads back exactly."""
        value = thousandths / 1000
        assert Decimal(fmt_typed(value, "en").replace(",", "")) == Decimal(repr(value))

    @given(st.lists(st.integers(0, 10_000), min_size=1, max_size=6))
    def test_a_section_prints_the_exact_sum_of_its_scores(self, thousandths: list[int]) -> None:
        """Σ of the printed scores, never rounded away from it (9,995 stays 9,995)."""
        values = [k / 1000 for k in thousandths]
        printed = _section_sum(values, "vi")
        assert Decimal(printed.replace(".", "").replace(",", ".")) == \
            Decimal(sum(thousandths)) / 1000


def test_a_computed_share_prints_to_the_cent_not_to_six_places() -> None:
    """A task share the workbook computes (3 of 13 done = 23.0769…%) is not a typed figure:
    the sheet prints it to the cent, as every figure, never ``23,076923%``; a figure
    typed with three decimals still prints as typed."""
    assert fmt_typed(100 * 3 / 13) == "23,08"
    assert fmt_typed(100 * 3 / 13, "en") == "23.08"
    assert fmt_typed(82.345) == "82,345"
