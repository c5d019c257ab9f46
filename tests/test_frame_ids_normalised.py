"""classify_frame compares ids as the workbook does (docs/cli.md: NFC, invisible characters
removed, trimmed; unit, position, head and manager ids the same way): an id spelled
differently in two places is still one person or one unit (audit 14: a head whose staff id
came in NFD escaped the head cap)."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evalkit

RS = evalkit.rules.get("hanoi.3814-2018")
TOP = RS.full_marks()


def spellings(text: str) -> st.SearchStrategy[str]:
    """The same id as people type it: NFD, spaces around, a zero-width space, a BOM."""
    nfd = unicodedata.normalize("NFD", text)
    return st.sampled_from([text, nfd, f" {text}", f"{text} ", f"{nfd}\u200b", f"\ufeff{text}",
                            f"{text}\t"])


def month(head: str, head_in_units: str, member_unit: str, unit: str) -> tuple[pd.DataFrame,
                                                                           pd.DataFrame]:
    staff = pd.DataFrame([{"staff_id": head, "unit_id": member_unit, "period": "2026-03", **TOP},
                          {"staff_id": "CV1", "unit_id": member_unit, "period": "2026-03",
                           **TOP}])
    units = pd.DataFrame({"unit_id": [unit], "head_id": [head_in_units], "tasks_assigned": [10],
                          "tasks_done": [6]})  # 60 %: the unit is not outstanding
    return staff, units


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_the_head_is_found_however_its_id_is_spelled(data: st.DataObject) -> None:
    head = data.draw(spellings("TRƯỞNG"))
    head_in_units = data.draw(spellings("TRƯỞNG"))
    member_unit = data.draw(spellings("PHÒNG"))
    unit = data.draw(spellings("PHÒNG"))
    staff, unit_results = evalkit.classify_frame(*month(head, head_in_units, member_unit, unit),
                                                 "hanoi.3814-2018")
    clean, clean_units = evalkit.classify_frame(*month("TRƯỞNG", "TRƯỞNG", "PHÒNG", "PHÒNG"),
                                                "hanoi.3814-2018")
    assert staff["is_head"].tolist() == [True, False]
    assert "cap.head_unit" in staff["reasons"].iloc[0]
    assert staff["grade"].astype(str).tolist() == clean["grade"].astype(str).tolist()
    assert staff["staff_id"].iloc[0] == "TRƯỞNG"  # the id as compared
    assert unit_results["grade"].astype(str).tolist() == clean_units["grade"].astype(str).tolist()


@pytest.mark.parametrize("dtype", [object, "string[python]", "str"])
def test_two_spellings_of_one_person_are_one_person(dtype: object) -> None:
    """Two rows whose ids become one are the same person twice in a month: refused."""
    staff = pd.DataFrame([{"staff_id": "Cúc", "unit_id": "U", "period": "2026-03", **TOP},
                          {"staff_id": unicodedata.normalize("NFD", "Cúc") + " ", "unit_id": "U",
                           "period": "2026-03", **TOP}]).astype({"staff_id": dtype})
    with pytest.raises(evalkit.errors.InputError):
        evalkit.classify_frame(staff, pd.DataFrame({"unit_id": ["U"]}), "hanoi.3814-2018")


def test_clean_ascii_ids_are_left_as_they_are() -> None:
    from evalkit._ids import normal_ids

    frame = pd.DataFrame({"staff_id": pd.array(["A1", "B2"], dtype="string[pyarrow]")})
    assert normal_ids(frame, ["staff_id"]) is frame
    spaced = frame.assign(staff_id=pd.array(["A1 ", "B2"], dtype="string[pyarrow]"))
    assert normal_ids(spaced, ["staff_id"])["staff_id"].tolist() == ["A1", "B2"]


@given(ids=st.lists(st.sampled_from(["", "A", "B7", "CC-01"]), min_size=1, max_size=8))
@pytest.mark.parametrize("dtype", [object, "str", "string[python]", "string[pyarrow]"])
def test_an_empty_id_is_a_blank_in_every_text_dtype(dtype: object, ids: list[str]) -> None:
    """An empty cell is no id (blank) whatever the text dtype: the ASCII Arrow fast path
    kept '' where object columns gave None (found by the shunits helper)."""
    from evalkit._ids import normal_ids

    out = normal_ids(pd.DataFrame({"p": pd.Series(ids, dtype=dtype)}), ["p"])["p"]
    assert out.isna().tolist() == [i == "" for i in ids]
    assert out[out.notna()].astype(str).tolist() == [i for i in ids if i]
