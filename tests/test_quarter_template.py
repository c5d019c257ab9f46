"""A quarter's workbook speaks of the quarter (period header, instructions, help), and the
English reasons count months in the singular for one month."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit.rules
from evalkit.io.workbook import INSTRUCTIONS_SHEET, SCORES_SHEET, write_template
from evalkit.reasons import make_reason
from tests._cli_helpers import run

CQ = evalkit.rules.get("vn.customs-2026q")


def _sheet(path: Path) -> tuple[str, list[str]]:
    wb = openpyxl.load_workbook(path)
    period = next(c.value for c in wb[SCORES_SHEET][1] if str(c.value).endswith("[period]"))
    guide = [r[0] for r in wb[INSTRUCTIONS_SHEET].iter_rows(values_only=True) if r[0]]
    return period, guide


@pytest.mark.parametrize(("rules", "period", "header", "every", "unit", "other"), [
    (CQ.id, "2026-Q3", "Kỳ đánh giá (yyyy-Qn) [period]", "HẰNG QUÝ", "quý", "tháng"),
    ("vn.nd335-2025", "2026-09", "Kỳ đánh giá (yyyy-mm) [period]", "HẰNG THÁNG", "tháng", "quý"),
])  # fmt: skip
def test_the_workbook_names_its_period(tmp_path: Path, rules: str, period: str, header: str,
                                       every: str, unit: str, other: str) -> None:  # fmt: skip
    book = write_template(tmp_path / "t.xlsx", rules, period)
    got, guide = _sheet(book)
    assert got == header
    assert guide[0] == f"HƯỚNG DẪN NHẬP ĐIỂM ĐÁNH GIÁ, XẾP LOẠI {every}"
    text = "\n".join(guide)
    assert f"Người không có điểm nào trong {unit}:" in text
    assert f"kết quả của đơn vị trong {unit} (" in text
    assert f"trong {other}" not in text and f"HẰNG {other.upper()}" not in text
    sheet = write_template(tmp_path / "t.csv", rules, period)
    with open(sheet, encoding="utf-8-sig", newline="") as fh:
        assert header in next(csv.reader(fh))


def test_the_template_help_says_a_quarter_too() -> None:
    code, out, err = run("template", "--help")
    assert code == 0, err
    flat = " ".join(out.split())
    assert "quý" in flat and "yyyy-Qn" in flat
    code, out, err = run("--lang", "en", "template", "--help")
    assert code == 0, err
    assert "a quarter under a quarterly rule set" in " ".join(out.split())


@given(st.decimals(min_value=0, max_value=1, places=1).map(float))
def test_one_month_is_singular_in_english(worked: float) -> None:
    """Whatever the months worked (≤ 1, the limit), the English counts one month in the
    singular, others in the plural; the Vietnamese number has no plural."""
    said = make_reason("rollup.period_short", CQ, {"months_worked": worked}).message_en
    word = "month" if worked == 1 else "months"
    assert said.startswith(f"Worked {worked:g} {word} in the quarter (at most 1)"), said
    carried = make_reason("rollup.period_carried", CQ, {"carried_months": 1}).message_en
    assert carried.startswith("Includes 1 month carried") and "at most 1 month worked" in carried
