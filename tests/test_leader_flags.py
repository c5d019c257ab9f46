"""A mark that only leaders can carry (NĐ 335/2025/NĐ-CP Điều 20 k4 d: embezzlement,
corruption or waste "tại cơ quan, đơn vị do mình trực tiếp quản lý, phụ trách") typed for a
person who holds no management post is refused at every door, naming the person and the
cell — never dropped without a word (audit 19), and never left on a deputy whose
``manages_others`` was forgotten. A head (named by the units) and a marked manager carry
it, and their year is KHT."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit import Assessment, Organisation, Position, Staff, Unit
from evalkit.errors import InputError, ScoreError
from evalkit.io.workbook import SCORES_SHEET
from evalkit.scoring import management_only_inputs
from evalkit.units import classify_unit
from tests._cli_helpers import run
from tests._io_helpers import GENERAL, TASKS, filled_workbook

RS = evalkit.rules.get("vn.nd335-2025")
_, DD, E = management_only_inputs(RS)
P = "2026-03"
SOURCE = "NĐ 335/2025/NĐ-CP, Điều 20 k4 d"
LEAD = {DD: 100.0, E: 100.0}
WHO = {"H1": {**GENERAL, **TASKS, **LEAD}, "A": {**GENERAL, **TASKS}, "B": {**GENERAL, **TASKS}}


def frame(marked: str, **extra: Any) -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": s, "unit_id": "P1", "period": P, "category": "cong_chuc",
                          **v, "corruption_in_unit": s == marked, **extra.get(s, {})}
                         for s, v in WHO.items()])  # fmt: skip


UNITS = pd.DataFrame({"unit_id": ["P1"], "head_id": ["H1"]})


def refused(call: Any) -> set[tuple[str | None, str | None]]:
    with pytest.raises(InputError) as exc:
        call()
    assert all(SOURCE in str(p.message) and "manages_others" in str(p.message)
               for p in exc.value.problems)
    return {(p.staff_id, p.column) for p in exc.value.problems}


def test_the_mark_on_staff_is_refused_by_the_frames() -> None:
    want = {("A", "corruption_in_unit")}
    assert refused(lambda: evalkit.classify_frame(frame("A"), UNITS)) == want
    staff_only = frame("A").iloc[1:]  # the head, not marked, is for classify_frame
    assert refused(lambda: evalkit.score_frame(staff_only, "vn.nd335-2025")) == want
    for text in ("x", 1, "True"):  # every way a yes is typed
        df = frame("A").astype({"corruption_in_unit": object})
        df.loc[1, "corruption_in_unit"] = text
        assert refused(lambda df=df: evalkit.classify_frame(df, UNITS)) == want


def test_the_mark_on_a_head_or_a_marked_deputy_makes_the_period_kht() -> None:
    # the head is named by the units frame, not marked: a leader all the same
    staff, _ = evalkit.classify_frame(frame("H1"), UNITS)
    got = staff.set_index("staff_id")
    assert got.loc["H1", "grade"] == "KHT" and got.loc["A", "grade"] != "KHT"
    assert "disqualifier.corruption" in got.loc["H1", "reasons"].split(";")
    deputy = frame("A", A={**LEAD, "manages_others": True})
    staff, _ = evalkit.classify_frame(deputy, UNITS)
    assert staff.set_index("staff_id").loc["A", "grade"] == "KHT"


def test_the_scalar_and_object_doors_refuse_it_too() -> None:
    a = Assessment("A", P, competent_scores={**GENERAL, **TASKS}, corruption_in_unit=True)
    with pytest.raises(ScoreError, match="Điều 20 k4 d"):
        evalkit.score(a, rules=RS)
    lead = Assessment("A", P, competent_scores={**GENERAL, **TASKS, **LEAD,
                                                "ket_qua_linh_vuc": 100.0},
                      corruption_in_unit=True)  # fmt: skip
    assert evalkit.score(lead, rules=RS, manages_others=True).grade.code == "KHT"
    org = Organisation(units=[Unit("P1", "Phòng 1", head_id="H1")],
                       positions=[Position("CV", "Chuyên viên")],
                       staff=[Staff(s, s, "CV", "P1") for s in WHO])  # fmt: skip
    people = [Assessment(s, P, competent_scores=v, corruption_in_unit=s == "A")
              for s, v in WHO.items()]  # fmt: skip
    assert refused(lambda: classify_unit(org, "P1", people, [])) == {("A", "corruption_in_unit")}


def test_the_workbook_names_the_cell_in_both_languages(tmp_path: Path) -> None:
    rows = [{"staff_id": s, "full_name": f"Người {s}", "position_id": "CV", "unit_id": "P1", **v,
             "corruption_in_unit": "x" if s == "A" else None} for s, v in WHO.items()]
    wb = filled_workbook(tmp_path / "thang-03.xlsx", rows,
                         units=[{"unit_id": "P1", "name": "Phòng 1", "head_id": "H1"}])
    said = {"vi": "được đánh dấu cho người không giữ chức vụ lãnh đạo, quản lý",
            "en": "is marked for a person who holds no management post"}
    for command in (("validate", str(wb)),
                    ("classify", str(wb), "--out", str(tmp_path / "r.json"), "--force")):
        for lang, words in said.items():
            code, _, err = run("--lang", lang, *command)
            assert code == 1, err
            lines = [x for x in err.splitlines() if x.strip().startswith("- ")]
            assert len(lines) == 1, err
            assert f"'{SCORES_SHEET}'" in lines[0] and "A" in lines[0] and words in lines[0]
            assert SOURCE in lines[0]
    assert not (tmp_path / "r.json").exists()
