"""English output speaks English (audit 13): a signatory's title where its position has
English words (``title_en``), and numbers in messages with a decimal point."""

from __future__ import annotations

from pathlib import Path

from evalkit import workflow
from evalkit.io.workbook import read_month, read_workbook
from evalkit.messages import located
from evalkit.model import Position, Staff
from evalkit.render._model import Signatory
from evalkit.render._view import signature
from tests._io_helpers import filled_workbook, person

POSITIONS = [
    {"position_id": "GD", "title": "Giám đốc", "title_en": "Director", "manages_others": "x"},
    {"position_id": "CV", "title": "Chuyên viên", "title_en": "Specialist"},
]


def test_a_signature_prints_the_english_title_in_english() -> None:
    who = Signatory("Trần Văn Bình", "Giám đốc", "Director")
    assert signature(who, "en") == {"name": "Trần Văn Bình", "title": "Director"}
    assert signature(who, "vi")["title"] == signature(who)["title"] == "Giám đốc"
    typed = Signatory("Trần Văn Bình", "Giám đốc Sở")  # a typed chức vụ: no English words
    assert signature(typed, "en")["title"] == "Giám đốc Sở"


def test_a_signatory_from_a_position_carries_its_english_title() -> None:
    from evalkit.model import Organisation, Unit
    from evalkit.render._frames import _People

    org = Organisation([Unit("U", "Sở", None, "GD")],
                       [Position("GD", "Giám đốc", title_en="Director")],
                       [Staff("GD", "Trần Văn Bình", "GD", "U"),
                        Staff("G2", "Lê Văn An", "GD", "U", title_vi="Phó Giám đốc phụ trách")])
    people = _People(org)
    assert people.signatory("GD") == Signatory("Trần Văn Bình", "Giám đốc", "Director")
    assert people.signatory("G2") == Signatory("Lê Văn An", "Phó Giám đốc phụ trách")


def test_the_signatories_sheet_gives_the_english_title_of_the_approvers_position(
    tmp_path: Path,
) -> None:
    """Audit 13 (en_titles): the approver's title printed 'Giám đốc' on English sheets."""
    path = filled_workbook(
        tmp_path / "a.xlsx",
        [person("GD", position_id="GD"), person("CV1")],
        positions=POSITIONS,
        signatories=[{"approver_id": "GD", "approver_title": "Giám đốc"},
                     {"unit_id": "P1", "approver_id": "GD"}],
    )
    month = read_month(path)
    sig = workflow.signatories(month, None)
    assert sig["competent"] == {"name": "Người GD", "title": "Giám đốc", "title_en": "Director",
                                "staff_id": "GD"}
    assert sig["P1"] == {"name": "Người GD", "title": "Giám đốc", "title_en": "Director",
                         "staff_id": "GD"}


def test_an_english_message_writes_a_maximum_with_a_decimal_point(tmp_path: Path) -> None:
    """Audit 13 (en_decimal): 'exceeds its maximum 2,5' in English; 2,5 stays in Vietnamese."""
    path = filled_workbook(tmp_path / "a.xlsx", [person("CC-1", nang_luc_chuyen_mon=8.5)])
    _frame, problems = read_workbook(path)
    [p] = problems
    assert located(p, "en").endswith(
        "score 8.5 for 'nang_luc_chuyen_mon' (competent level) exceeds its maximum 2.5 "
        "(vn.nd335-2025)")
    assert "vượt mức tối đa 2,5" in located(p, "vi") and "8,5" in located(p, "vi")
