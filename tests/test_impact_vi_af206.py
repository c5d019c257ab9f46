"""af206: the Vietnamese impact report is a Vietnamese document, and the archive refuses a
unit name no sheet can print (issue 13: every door gives the same answer; a Vietnamese
sheet is a legal document — Vietnamese sentences with short citations, no codes, no
English).

1. ``evalkit rules diff … --pdf`` in Vietnamese named rule sets by their ids
   (``vn.nd90-2020``), units and quota groups by their ids (``SNV-CCVC / chuyen_mon``) and
   said its notes as English sentences built with criterion ids, translated word by word
   (``vn.nd90-2020 (OLD) cần 'ket_qua_don_vi' …``). Now: the rule sets by their short
   citation, the units by their names, the criteria by their labels, the notes as
   catalogue sentences (``impact.note.*``); a duty group by what the data call it (the
   model gives duty groups no other name: it is the unit's own name for the group).
2. A unit's name (``name``, ``governing_body``, ``place``) in the unit tables of a month
   being archived was not checked for control characters, which every other name door
   refuses (``foreign.name_control``, tests/test_bad_names_af197.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit import messages
from evalkit.errors import InputError
from evalkit.io.archive import Archive
from tests._archive_helpers import classified

# ------------------------------------------------ 2. a unit's name in the archived tables

CONTROL = messages.msg("foreign.name_control")


@pytest.mark.parametrize("column", ["name", "governing_body", "place"])
@pytest.mark.parametrize("table", ["units", "unit_inputs"])
def test_a_control_character_in_an_archived_units_name_is_refused(
        tmp_path: Path, column: str, table: str) -> None:  # fmt: skip
    """Both unit tables of ``finalize`` (the unit results and the unit inputs) refuse a
    name holding a control character with every door's sentence, naming the table, the
    row, the column, the value and the unit; nothing is archived (before: accepted)."""
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    tables = {"units": unit_results.copy(), "unit_inputs": inputs.copy()}
    tables[table][column] = ["Phòng\tTổ chức"]
    what = messages.msg("archive.check.what." + ("units" if table == "units" else "inputs"))
    with Archive(tmp_path / "a.sqlite") as arc:
        with pytest.raises(InputError) as err:
            arc.finalize(results, by="TCCB", **tables)
        found = [p for p in err.value.problems if p.column == column]
        assert [(p.row, p.value, p.unit_id, p.message) for p in found] == [
            (0, "Phòng\tTổ chức", "U1", f"{what.text('en')}: {CONTROL.text('en')}")]
        assert messages.sentence(found[0], "vi") == f"{what.text('vi')}: {CONTROL.text('vi')}"
        assert arc.months() == []


def test_a_units_name_without_a_control_character_is_archived(tmp_path: Path) -> None:
    """A name with spaces and Vietnamese letters (and a trailing space) is no control
    character: archived as it is."""
    results, unit_results, inputs = classified("2026-03", {"A": 100.0, "B": 80.0})
    units = unit_results.assign(name="Phòng Tổ chức – Hành chính ", place="Lam Giang")
    with Archive(tmp_path / "a.sqlite") as arc:
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        assert [str(m.period) for m in arc.months()] == ["2026-03"]
