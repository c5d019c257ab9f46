"""English output speaks English (audit 13): a signatory's title where its position has
English words (``title_en``), and numbers in messages with a decimal point."""

from __future__ import annotations

from pathlib import Path

from evalkit.io.workbook import read_workbook
from evalkit.messages import located
from tests._io_helpers import filled_workbook, person


def test_an_english_message_writes_a_maximum_with_a_decimal_point(tmp_path: Path) -> None:
    """Audit 13 (en_decimal): 'exceeds its maximum 2,5' in English; 2,5 stays in Vietnamese."""
    path = filled_workbook(tmp_path / "a.xlsx", [person("CC-1", nang_luc_chuyen_mon=8.5)])
    _frame, problems = read_workbook(path)
    [p] = problems
    assert located(p, "en").endswith(
        "score 8.5 for 'nang_luc_chuyen_mon' (competent level) exceeds its maximum 2.5 "
        "(vn.nd335-2025)")
    assert "vượt mức tối đa 2,5" in located(p, "vi") and "8,5" in located(p, "vi")
