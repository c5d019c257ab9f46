"""The monthly sheet shows what was counted: deductions and a KPI (audit 10 finding 1).

With 2 major errors and 1 delay (NĐ 335/2025 Điều 14 k2 b, c: 25 % off per error, per
delay) the sheet printed (b) 100%, (c) 100% beside a task subtotal of 52,5 and gave no
ground; with a KPI of 82,3 it printed a/b/c 100% beside 57,61 and no KPI. Now a row under
(b) and (c) says what was taken off and where the rule is, with the value the engine
applied (50%, 75%); a KPI row says the figure is the agency's task tracker's and that it
replaces (a), (b), (c); section D lists the deductions with their citations. The printed
figures add up to the printed subtotal. The English footer names the month capitalised.
"""

from __future__ import annotations

import io
import math

import attrs
import pandas as pd
import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

import evalkit  # noqa: E402
from evalkit.errors import RenderError  # noqa: E402
from evalkit.reasons import make_reason  # noqa: E402
from evalkit.render import Sheet, render_pdf, sheets_from_results  # noqa: E402
from evalkit.render._view import Row, criteria_rows, footer_period, sheet_context  # noqa: E402
from evalkit.units import applied_inputs, classify_frame  # noqa: E402

RULES = evalkit.rules.get("vn.nd335-2025")
TOP = RULES.full_marks()
MANAGER = 1  # the direct manager's column: the counting level here
ERRORS = {"loi_chat_luong": 2, "cham_tien_do": 1}
B_ROW = "Trừ 2 lần × 25% (sản phẩm không đạt yêu cầu do lỗi lớn), Điều 14 k2 b"
C_ROW = "Trừ 1 lần × 25% (chậm tiến độ), Điều 14 k2 c"
KPI_ROW = "Tỷ lệ hoàn thành nhiệm vụ trên phần mềm theo dõi nhiệm vụ của cơ quan, thay cho (a), (b), (c)"


def _row(sid: str, scores: dict[str, float], **kw: object) -> dict[str, object]:
    """A row scored by the direct manager, as a results file has it."""
    return {"staff_id": sid, "full_name": f"Người {sid}", "unit_id": "TCCB",
            "unit_name": "Phòng Tổ chức cán bộ", "position_title": "Chuyên viên",
            "category": "cong_chuc", "period": "2026-03", **scores,
            **{f"manager__{k}": v for k, v in scores.items()}, **kw}  # fmt: skip


@pytest.fixture(scope="module")
def sheets() -> dict[str, Sheet]:
    sm = pd.DataFrame([
        _row("CV1", {**TOP, **ERRORS}),
        _row("CV2", dict(TOP), kpi=82.3),
        _row("CV3", {**TOP, **ERRORS}, kpi=82.3),  # the KPI stands: nothing deducted
        _row("CV4", dict(TOP)),
    ])  # fmt: skip
    staff, _ = classify_frame(sm, pd.DataFrame({"unit_id": ["TCCB"]}))
    results = sm.join(staff.drop(columns=sm.columns, errors="ignore"))
    return {s.staff.id: s for s in sheets_from_results(results)}


def _rows(sheet: Sheet, kind: str | None = None, lang: str = "vi") -> list[Row]:
    return [r for r in criteria_rows(sheet, lang) if kind is None or r.kind == kind]


def _number(text: str) -> float:
    return float(text.rstrip("%").replace(".", "").replace(",", "."))


def _task_rows(sheet: Sheet) -> tuple[Row, list[Row]]:
    """Group II and the rows under it up to the next group."""
    rows = _rows(sheet)
    at = next(i for i, r in enumerate(rows) if r.kind == "group" and r.no == "II")
    end = next((i for i in range(at + 1, len(rows)) if rows[i].kind in ("group", "total")),
               len(rows))  # fmt: skip
    return rows[at], rows[at + 1:end]


def _counted(rows: list[Row], col: int) -> list[float]:
    """The percentage each criterion counted with in column ``col``: the value of the row
    under it where there is one, else the typed one."""
    out: list[float] = []
    for r in rows:
        if r.kind == "criterion" and r.cells[col]:
            out.append(_number(r.cells[col]))
        elif r.kind == "applied" and r.cells[col]:
            out[-1] = _number(r.cells[col])
    return out


class TestDeductions:
    def test_the_engine_applied_50_and_75(self, sheets: dict[str, Sheet]) -> None:
        """100% − 2 × 25% = 50% quality, 100% − 1 × 25% = 75% timeliness (Điều 14 k2 b, c)."""
        cv1 = sheets["CV1"]
        assert cv1.applied == {"chat_luong": 50.0, "tien_do": 75.0}
        assert cv1.result.components["tasks"] == 52.5
        assert not sheets["CV4"].applied

    def test_a_row_under_b_and_c_says_what_was_taken_off(self, sheets: dict[str, Sheet]) -> None:
        rows = _rows(sheets["CV1"])
        at_b = next(i for i, r in enumerate(rows) if r.label.startswith("(b)"))
        at_c = next(i for i, r in enumerate(rows) if r.label.startswith("(c)"))
        assert rows[at_b].cells[MANAGER] == "100%"  # kept as typed
        assert (rows[at_b + 1].kind, rows[at_b + 1].label) == ("applied", B_ROW)
        assert rows[at_b + 1].cells == ("", "50%", "")
        assert (rows[at_c + 1].kind, rows[at_c + 1].label) == ("applied", C_ROW)
        assert rows[at_c + 1].cells == ("", "75%", "")
        assert not _rows(sheets["CV4"], "applied")

    def test_the_printed_rows_add_up_to_the_printed_subtotal(
        self, sheets: dict[str, Sheet]
    ) -> None:
        """(100 + 50 + 75) / 3 × 70% = 52,5, as printed in group II; I + II = Tổng cộng."""
        cv1 = sheets["CV1"]
        group, under = _task_rows(cv1)
        counted = _counted(under, MANAGER)
        assert counted == [100.0, 50.0, 75.0]
        assert math.isclose(sum(counted) / len(counted) / 100 * 70, _number(group.cells[MANAGER]))
        groups = [_number(r.cells[MANAGER]) for r in _rows(cv1, "group") if r.cells[MANAGER]]
        [total] = _rows(cv1, "total")
        assert math.isclose(sum(groups), _number(total.cells[MANAGER]))
        assert _number(total.cells[MANAGER]) == cv1.result.total == 82.5

    def test_section_d_gives_each_deduction_with_its_citation(
        self, sheets: dict[str, Sheet]
    ) -> None:
        reasons = sheet_context(sheets["CV1"], "vi")["reasons"]
        found = {r["text"]: r["source"] for r in reasons}
        assert found["Tiêu chí (b): trừ 2 lần × 25% (sản phẩm không đạt yêu cầu do lỗi lớn)"
                     ] == "NĐ 335/2025/NĐ-CP, Điều 14 k2 b"  # fmt: skip
        assert found["Tiêu chí (c): trừ 1 lần × 25% (chậm tiến độ)"] == \
            "NĐ 335/2025/NĐ-CP, Điều 14 k2 c"
        texts = [r["text"] for r in reasons]
        assert texts[0].startswith("Tổng điểm 82,5 ")  # the band first, catalogue order

    def test_the_pdf_prints_the_rows_and_the_grounds(self, sheets: dict[str, Sheet]) -> None:
        reader = pypdf.PdfReader(io.BytesIO(render_pdf(sheets["CV1"])))
        text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        assert len(reader.pages) == 1
        assert f"{B_ROW} 50%" in text
        assert f"{C_ROW} 75%" in text
        assert "Kết quả thực hiện nhiệm vụ 70 52,5" in text
        assert "Tổng cộng 100 82,5" in text
        assert "(NĐ 335/2025/NĐ-CP, Điều 14 k2 b)" in text

    def test_an_english_sheet_says_it_in_english(self, sheets: dict[str, Sheet]) -> None:
        labels = [r.label for r in _rows(sheets["CV1"], "applied", "en")]
        assert labels == ["25% off per event, 2 counted (major quality errors), Điều 14 k2 b",
                          "25% off per event, 1 counted (delays), Điều 14 k2 c"]

    def test_an_object_sheet_finds_the_applied_values_itself(self) -> None:
        """Built from evalkit.score without ``applied``: the sheet takes the values the
        engine's adjustments give (``applied_inputs``, the scoring kernel's own function),
        as the frame path does; given explicitly, the same."""
        a = evalkit.Assessment("S1", "2026-03", manager_scores={**TOP, **ERRORS})
        staff = evalkit.Staff("S1", "Trần Văn An", "CV", "U1")
        pos, unit = evalkit.Position("CV", "Chuyên viên"), evalkit.Unit("U1", "Phòng A")
        result = evalkit.score(a, staff=staff)
        bare = Sheet(staff, pos, unit, a, result, RULES, evalkit.render.Agency("Sở"))
        [b, c] = _rows(bare, "applied")
        assert (b.label, b.cells) == (B_ROW, ("", "50%", ""))
        assert (c.label, c.cells) == (C_ROW, ("", "75%", ""))
        full = Sheet(staff, pos, unit, a, result, RULES, evalkit.render.Agency("Sở"),
                     applied=applied_inputs(RULES, a.manager_scores))
        assert [r.cells for r in _rows(full, "applied")] == [("", "50%", ""), ("", "75%", "")]
        assert dict(full.applied) == dict(bare.applied)
        assert _number(_task_rows(full)[0].cells[MANAGER]) == result.components["tasks"] == 52.5


@pytest.fixture(scope="module")
def both() -> dict[str, Sheet]:
    """Self and manager scored; self counted 2 errors (D1) or 1 (D2), the manager 1."""
    own = {f"self__{k}": v for k, v in {**TOP, "loi_chat_luong": 2}.items()}
    same = {f"self__{k}": v for k, v in {**TOP, "loi_chat_luong": 1}.items()}
    sm = pd.DataFrame([_row("D1", {**TOP, "loi_chat_luong": 1}, **own),
                       _row("D2", {**TOP, "loi_chat_luong": 1}, **same)])
    staff, _ = classify_frame(sm, pd.DataFrame({"unit_id": ["TCCB"]}))
    results = sm.join(staff.drop(columns=sm.columns, errors="ignore"))
    return {s.staff.id: s for s in sheets_from_results(results)}


class TestEachLevelsColumn:
    """The person's own column deducts its own counts: its row shows its value too."""

    def test_levels_that_counted_differently(self, both: dict[str, Sheet]) -> None:
        """Self counted 2 errors (50%), the manager 1 (75%): each column its own value, the
        row gives the rule per event; each column adds up to its own group II."""
        d1 = both["D1"]
        [row] = _rows(d1, "applied")
        assert row.label == ("Trừ 25% mỗi lần (sản phẩm không đạt yêu cầu do lỗi lớn), "
                             "Điều 14 k2 b")
        assert row.cells == ("50%", "75%", "")
        group, under = _task_rows(d1)
        for col in (0, MANAGER):
            counted = _counted(under, col)
            assert math.isclose(sum(counted) / 3 / 100 * 70, _number(group.cells[col]),
                                abs_tol=0.005)  # fmt: skip
        assert [group.cells[0], group.cells[MANAGER]] == ["58,33", "64,17"]
        texts = [r["text"] for r in sheet_context(d1, "vi")["reasons"]]
        assert "Tiêu chí (b): trừ 1 lần × 25% (sản phẩm không đạt yêu cầu do lỗi lớn)" in texts

    def test_a_sheet_evolves_with_its_level_values(self, both: dict[str, Sheet]) -> None:
        d1 = both["D1"]
        assert attrs.evolve(d1).level_applied == d1.level_applied == (
            ("self", {"chat_luong": 50.0}),)
        with pytest.raises(RenderError, match="'boss' is not a level"):
            attrs.evolve(d1, level_applied={"boss": {"chat_luong": 50}})
        with pytest.raises(RenderError, match="'khong_co'"):
            attrs.evolve(d1, level_applied={"self": {"khong_co": 50}})

    def test_levels_that_counted_alike(self, both: dict[str, Sheet]) -> None:
        [row] = _rows(both["D2"], "applied")
        assert row.label == B_ROW.replace("2 lần", "1 lần")
        assert row.cells == ("75%", "75%", "")


class TestKpi:
    def test_a_kpi_row_says_what_stands_for_the_block(self, sheets: dict[str, Sheet]) -> None:
        """82,3% of the agency's task tracker replaces (a), (b), (c): 82,3% × 70 = 57,61."""
        cv2 = sheets["CV2"]
        group, under = _task_rows(cv2)
        [kpi] = [r for r in under if r.kind == "applied"]
        assert kpi.label == KPI_ROW
        assert (kpi.maximum, kpi.cells) == ("100%", ("", "82,3%", ""))
        assert under[-1] is kpi  # after the criteria it replaces
        assert _number(group.cells[MANAGER]) == round(82.3 / 100 * 70, 2) == \
            cv2.result.components["tasks"]

    def test_a_kpi_replaces_the_deductions_too(self, sheets: dict[str, Sheet]) -> None:
        """Errors counted under a KPI: the KPI stands for the block, no deduction row or
        ground (they did not count)."""
        cv3 = sheets["CV3"]
        assert cv3.applied == {}
        assert [r.label for r in _rows(cv3, "applied")] == [KPI_ROW]
        assert cv3.result.components["tasks"] == 57.61
        texts = [r["text"] for r in sheet_context(cv3, "vi")["reasons"]]
        assert not any("trừ" in t for t in texts)

    def test_section_d_names_the_kpi_without_a_legal_citation(
        self, sheets: dict[str, Sheet]
    ) -> None:
        """A product choice, not in the decree: said in Vietnamese, no article cited."""
        reasons = sheet_context(sheets["CV2"], "vi")["reasons"]
        [kpi] = [r for r in reasons if "phần mềm" in str(r["text"])]
        assert kpi["text"] == ("Điểm kết quả thực hiện nhiệm vụ tính theo tỷ lệ 82,3% của phần "
                               "mềm theo dõi nhiệm vụ của cơ quan, thay cho (a), (b), (c)")
        assert kpi["source"] == ""

    def test_the_pdf_prints_the_kpi(self, sheets: dict[str, Sheet]) -> None:
        reader = pypdf.PdfReader(io.BytesIO(render_pdf(sheets["CV2"])))
        text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        assert "thay cho (a), (b), (c) 100% 82,3%" in text
        assert "Kết quả thực hiện nhiệm vụ 70 57,61" in text


class TestCatalogue:
    @pytest.mark.parametrize("rule_set_id", ["vn.nd335-2025", "vn.customs-2026q"])
    def test_every_deduction_has_both_languages_and_its_citation(self, rule_set_id: str) -> None:
        rs = evalkit.rules.get(rule_set_id)
        assert rs.adjustments
        for adj in rs.adjustments:
            r = make_reason(f"deduction.{adj.id}", rs, {"events": 3})
            assert r.message_vi and r.message_en and r.message_vi != r.message_en
            assert "{" not in r.message_vi + r.message_en and "—" not in r.message_vi
            assert "3 lần × 25%" in r.message_vi
            assert r.source == adj.source != ""
            assert "_" not in r.message_vi

    def test_the_kpi_reason_has_both_languages_and_no_citation(self) -> None:
        r = make_reason("kpi", RULES, {"kpi": 82.3, "replaced": "(a), (b), (c)"})
        assert "82,3%" in r.message_vi and "82.3%" in r.message_en
        assert r.source == ""

    def test_applied_inputs_never_raises_a_value(self) -> None:
        """40% with 2 errors: max(0, 40 − 50) = 0; a value already 0 stays 0; no events:
        nothing applied."""
        assert applied_inputs(RULES, {"chat_luong": 40, "loi_chat_luong": 2}) == {
            "chat_luong": 0.0}
        assert applied_inputs(RULES, {"chat_luong": 0, "loi_chat_luong": 1}) == {
            "chat_luong": 0.0}
        assert applied_inputs(RULES, {"chat_luong": 90, "loi_chat_luong": 0}) == {}


class TestFooter:
    def test_the_english_footer_capitalises_the_month(self, sheets: dict[str, Sheet]) -> None:
        assert sheet_context(sheets["CV1"], "en")["docid"].endswith("· March 2026")
        assert sheet_context(sheets["CV1"], "vi")["docid"].endswith("· tháng 03/2026")
        assert footer_period(evalkit.Period.parse("2026-Q1"), "en") == "Q1 2026"
        assert footer_period(evalkit.Period.parse("2026"), "vi") == "năm 2026"
