"""Legal audit af158: the rules the presets encode, read against the texts.

Texts read:

* NĐ 335/2025/NĐ-CP Điều 20 k4 c (quoted in docs/_research/findings-2026-11-30.md, row 21):
  "Có hành vi vi phạm liên quan đến hoạt động công vụ bị kỷ luật bằng hình thức từ khiển
  trách trở lên trong năm đánh giá". The sentence names no kind of discipline; the party's
  lightest form is also khiển trách. NĐ 233/2026 Điều 12 k4 c is the same sentence, and its
  Điều 14 k3 a says "bị xử lý kỷ luật đảng hoặc kỷ luật hành chính". So a công chức given a
  party discipline for a violation related to public duty is KHT for the year, and one whose
  violation was not related to public duty is not. Until af158, ``vn.nd335-2025`` and
  ``vn.customs-2026q`` read only the administrative level (flag ``duty_discipline``).
* NĐ 233/2026/NĐ-CP (an OCR copy of the signed text: ``git show HEAD:van-ban/233-2026-ND-CP-
  danh-gia-xep-loai-vien-chuc.md`` in the diepxuan.github.io mirror): Điều 11 k3 b names the
  manager's criterion d ("kết quả hoạt động của đơn vị thuộc phạm vi quản lý …") and has no
  100 %/50 % test; Điều 12 k5 leaves the points to the unit's regulation. The sheet cited
  "NĐ 233/2026/NĐ-CP, Điều 11" for the 100 %/50 % test, which that article does not
  contain. Điều 10 sets the 30 general points, and Phụ lục I words the sub-items ("chuẩn mực
  đạo đức nghề nghiệp"; "người sử dụng dịch vụ sự nghiệp công").

The worked example, by hand: general criteria at full marks (30) and a, b, c at 100 % give
30 + (100 + 100 + 100) / 3 × 70 % = 100, which is in the HTXS band (≥ 90, Điều 20 k1). One
reprimand-level discipline related to public duty makes it KHT (k4 c).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.units import classify_frame, classify_year

ND335, CUSTOMS, ND233 = "vn.nd335-2025", "vn.customs-2026q", "vn.nd233-2026"
#: person → (party discipline, related to public duty typed: None = blank) → grade by hand
PEOPLE: dict[str, tuple[bool, bool | None, str]] = {
    "P1": (True, None, "KHT"),   # party discipline, relation blank (= related): k4 c
    "P2": (True, True, "KHT"),   # party discipline, related: k4 c
    "P3": (True, False, "HTXS"),  # party discipline, not related to public duty: not k4 c
    "P4": (False, None, "HTXS"),  # none: 100, HTXS band
}  # fmt: skip


def _row(rules: str, sid: str, period: str, category: str = "cong_chuc") -> dict[str, Any]:
    party, related, _ = PEOPLE[sid]
    return {"staff_id": sid, "unit_id": "K", "period": period, "category": category,
            **evalkit.rules.get(rules).full_marks(), "party_discipline": party,
            "discipline_related_to_duty": related}  # fmt: skip


@pytest.mark.parametrize("text", [object, "str"])
@pytest.mark.parametrize(("rules", "period"), [(ND335, "2027-03"), (CUSTOMS, "2026-10")])
def test_a_party_discipline_for_a_duty_violation_is_kht_in_score_frame(
        rules: str, period: str, text: Any) -> None:  # fmt: skip
    """NĐ 335/2025 Điều 20 k4 c: a party discipline related to public duty → KHT, through
    score_frame, whether the flags are booleans or text typed "x"/"không" (a CSV read back)."""
    frame = pd.DataFrame([_row(rules, s, period) for s in PEOPLE])
    if text == "str":
        frame["party_discipline"] = frame["party_discipline"].map({True: "x", False: ""})
        frame["discipline_related_to_duty"] = frame["discipline_related_to_duty"].map(
            {True: "x", False: "không", None: ""}).astype("str")
    out = evalkit.score_frame(frame, rules)
    assert out["total"].tolist() == [100.0] * 4
    assert dict(zip(PEOPLE, out["grade"].astype(str), strict=True)) == {
        s: g for s, (_, _, g) in PEOPLE.items()}
    said = dict(zip(PEOPLE, out["reasons"].astype(str), strict=True))
    assert all(("disqualifier.discipline" in said[s]) == (g == "KHT")
               for s, (_, _, g) in PEOPLE.items())  # fmt: skip


def test_a_party_discipline_for_a_duty_violation_is_kht_through_the_objects() -> None:
    """The same through ``evalkit.score`` (an Assessment with party_discipline)."""
    marks = evalkit.rules.get(ND335).full_marks()
    for sid, (party, related, grade) in PEOPLE.items():
        kw: dict[str, Any] = {"party_discipline": party}
        if related is not None:
            kw["discipline_related_to_duty"] = related
        got = evalkit.score(evalkit.Assessment(sid, "2027-03", competent_scores=marks, **kw),
                            rules=ND335)
        assert (got.total, got.grade.code if got.grade else None) == (100.0, grade), sid


def test_a_party_discipline_in_one_month_makes_the_nd335_year_kht(tmp_path: Path) -> None:
    """Điều 20 k4 c "trong năm đánh giá" and Điều 21 (the year from the months): a party
    discipline typed in March only, the months through classify_frame, a CSV read back
    (text cells) and classify_year: the year of P1 and P2 KHT, P3 and P4 100 HTXS by band.
    Only one person in the HTXS band keeps it under the quota (20 % of 0 HTT rounds to 0,
    Điều 20 k5 a), so the year's grade is compared with the grade before the quota."""
    rows = []
    for m in range(1, 13):
        for sid in PEOPLE:
            row = _row(ND335, sid, f"2027-{m:02d}")
            if m != 3:
                row.update(party_discipline=False, discipline_related_to_duty=None)
            rows.append(row)
    pd.DataFrame(rows).to_csv(tmp_path / "s.csv", index=False)
    staff = pd.read_csv(tmp_path / "s.csv", dtype={"party_discipline": str,
                                                   "discipline_related_to_duty": str})
    units = pd.DataFrame({"unit_id": "K", "period": [f"2027-{m:02d}" for m in range(1, 13)],
                          "tasks_assigned": 10, "tasks_done": 10})
    done = [classify_frame(staff[staff["period"] == p].reset_index(drop=True),
                           units[units["period"] == p].reset_index(drop=True), ND335)
            for p in sorted(set(staff["period"]))]  # fmt: skip
    year = classify_year(pd.concat([d[0] for d in done], ignore_index=True),
                         pd.concat([d[1] for d in done], ignore_index=True),
                         rules=ND335).set_index("staff_id")  # fmt: skip
    got = {s: str(year.loc[s, "proposed_grade"]) for s in PEOPLE}
    assert got == {s: g for s, (_, _, g) in PEOPLE.items()}
    assert [float(year.loc[s, "annual_total"]) for s in PEOPLE] == [100.0] * 4


def test_the_nd233_management_component_cites_the_criterion_and_the_units_regulation() -> None:
    """NĐ 233 Điều 11 k3 b names d; Điều 12 k5 leaves its points to the unit's regulation.
    The 100 %/50 % test is NĐ 335 Điều 15 k3's, applied by analogy (practice): the rule file
    cites k3 b and k5 (the workbook's guide shows it), the sheet's d sentence cites no
    article. A head H over V, whose tasks are 0 (30 + 0 = 30, below 50), gets d = 50 %."""
    rs = evalkit.rules.get(ND233)
    assert rs.management.source == "NĐ 233/2026/NĐ-CP, Điều 11 k3 b; Điều 12 k5"
    staff = pd.DataFrame([
        {"staff_id": "H", "unit_id": "K", "period": "2026-09", "category": "vien_chuc",
         "is_head": True, **rs.full_marks(manages_others=True)},
        {"staff_id": "V", "unit_id": "K", "period": "2026-09", "category": "vien_chuc",
         **rs.full_marks(), "so_luong": 0, "chat_luong": 0, "tien_do": 0}])  # fmt: skip
    staff = staff.drop(columns=["ket_qua_linh_vuc"])
    units = pd.DataFrame([{"unit_id": "K", "period": "2026-09", "head_id": "H",
                           "tasks_assigned": 10, "tasks_done": 10}])
    out, _ = classify_frame(staff, units, ND233)
    head = out.set_index("staff_id").loc["H"]
    assert "management.d" in str(head["reasons"]).split(";")
    said = evalkit.reasons.explain(out.set_index("staff_id").loc[["H"]].reset_index())
    text = " ".join(map(str, said.iloc[0])) if hasattr(said, "iloc") else str(said)
    d = text[text.index("Thành phần (d) = 50%"):]
    # the 100 %/50 % test is practice under NĐ 233 (status "practice"): its sentence cites no
    # article, where it cited "Điều 11", which has no such test
    assert "Điều 11" not in d and "NĐ 233" not in d, d
    assert rs.management.status == "practice"
    # 30 + (100 + 100 + 100 + 50 + 100 + 100) / 6 × 70 % = 30 + 64.17 (Điều 11 k3; NĐ 335 Điều 16)
    assert float(head["total"]) == 94.17


def test_the_nd233_general_criteria_follow_the_annex() -> None:
    """Điều 10: 30 general points in Phụ lục I; the annex's wording of items 1 c and 2 đ,
    not NĐ 335's ("văn hóa công vụ", "người dân, doanh nghiệp")."""
    rs = evalkit.rules.get(ND233)
    labels = {c.id: c.label_vi for g in rs.groups for c in g.criteria}
    assert "văn hóa" not in labels["pham_chat_dao_duc"]
    assert "chuẩn mực đạo đức nghề nghiệp" in labels["pham_chat_dao_duc"]
    assert "người sử dụng dịch vụ sự nghiệp công" in labels["phuc_vu_phoi_hop"]
    general = next(b for b in rs.blocks if b.id == "general")
    assert (general.points, general.source) == (30, "NĐ 233/2026/NĐ-CP, Điều 10; Phụ lục I")
