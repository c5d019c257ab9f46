"""NĐ 233/2026/NĐ-CP Điều 7: the levels of a public service unit (and, k8, of its constituent
units), as the preset ``vn.nd233-2026`` follows them, at each edge, worked by hand.

Decree text read: ``git show HEAD:van-ban/233-2026-ND-CP-danh-gia-xep-loai-vien-chuc.md`` in
the diepxuan.github.io mirror (an OCR of the signed text):

* k1 "Hoàn thành xuất sắc nhiệm vụ: Đạt từ 90 điểm trở lên, đồng thời … a) Hoàn thành 100%
  các nhiệm vụ được giao … trong đó có ít nhất 30% nhiệm vụ hoàn thành vượt mức yêu cầu;
  b) Không có đơn vị cấu thành bị xếp loại chất lượng ở mức không hoàn thành nhiệm vụ";
* k4 "Không hoàn thành nhiệm vụ: … b) Hoàn thành dưới 70% nhiệm vụ theo chương trình, kế
  hoạch trong năm";
* k7 c "Trường hợp đơn vị có dưới 05 đơn vị sự nghiệp công lập trực thuộc thì có tối đa 01
  đơn vị được xếp loại 'Hoàn thành xuất sắc nhiệm vụ'".

The units are scored 100 × done ÷ assigned (the preset weighs tasks only): (assigned, done,
exceeded) → score, and by hand:

* ``D99`` (100, 99, 30): 99, in the HTXS band, but 99 % done < 100 % (k1 a) → HTT;
* ``X29`` (100, 100, 29): 100, but 29 % exceeded < 30 % (k1 a) → HTT; ``X30`` (100, 100, 30)
  → HTXS;
* ``K699`` (1000, 699, 0): 69.9, band HT, but 69.9 % done < 70 % (k4 b) → KHT; ``K700``
  (1000, 700, 0): 70 → HTT (70 % is not "dưới 70%");
* ``PK`` (10, 10, 3) over ``CK`` (10, 4, 0): CK 40 → KHT (band, and 40 % < 70 %: k4 b), so PK,
  at 100 with 30 % exceeded, has a constituent unit KHT (k1 b) → HTT;
* ``P4`` has 4 sub-units (fewer than 5: k7 c): ``A4`` and ``B4`` (10, 10, 3) are both 100
  with every condition met, C4 and D4 (10, 8, 0) are 80, HTT. At most one HTXS: the scores
  tie, so evalkit's documented tie-break (the higher score, then the lower unit id) keeps
  A4 and B4 is HTT. P4 itself (10, 10, 3) is a root: HTXS.
* ``P5`` has 5 sub-units (not fewer than 5: k7 c gives way to k7 a, "không vượt quá 20%
  trong tổng số đơn vị được xếp loại 'Hoàn thành tốt nhiệm vụ'"): ``A5`` and ``B5`` meet k1,
  C5, D5, E5 (10, 8, 0) are HTT: 20 % × 3 = 0,6 → 0 (floor, as for people) → A5 and B5 are
  HTT (``unit.excellent_share``).
* ``P7`` has 7 sub-units: ``A7`` (10, 10, 3) and ``B7`` (10, 10, 4) meet k1, both 100; C7–G7
  (10, 8, 0) are HTT: 20 % × 5 = 1 → one HTXS, the tie broken by the lower id: A7; B7 HTT.

The same units through the objects (``classify_organisation``), a frame written to CSV and
read back (``classify_frame``) and the command line (template → workbook → classify).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.reasons import make_reason
from tests._cli_helpers import unit_month

RS = evalkit.rules.get("vn.nd233-2026")
PERIOD = "2026-09"
#: unit → (parent, assigned, done, exceeded)
UNITS: dict[str, tuple[str | None, int, int, int]] = {
    "D99": (None, 100, 99, 30), "X29": (None, 100, 100, 29), "X30": (None, 100, 100, 30),
    "K699": (None, 1000, 699, 0), "K700": (None, 1000, 700, 0),
    "PK": (None, 10, 10, 3), "CK": ("PK", 10, 4, 0),
    "P4": (None, 10, 10, 3), "A4": ("P4", 10, 10, 3), "B4": ("P4", 10, 10, 3),
    "C4": ("P4", 10, 8, 0), "D4": ("P4", 10, 8, 0),
    "P5": (None, 10, 10, 3), "A5": ("P5", 10, 10, 3), "B5": ("P5", 10, 10, 3),
    "C5": ("P5", 10, 8, 0), "D5": ("P5", 10, 8, 0), "E5": ("P5", 10, 8, 0),
    "P7": (None, 10, 10, 3), "A7": ("P7", 10, 10, 3), "B7": ("P7", 10, 10, 4),
    **{f"{c}7": ("P7", 10, 8, 0) for c in "CDEFG"}}  # fmt: skip
#: by hand (module docstring): unit → grade
WANT = {"D99": "HTT", "X29": "HTT", "X30": "HTXS", "K699": "KHT", "K700": "HTT",
        "PK": "HTT", "CK": "KHT", "P4": "HTXS", "A4": "HTXS", "B4": "HTT", "C4": "HTT",
        "D4": "HTT", "P5": "HTXS", "A5": "HTT", "B5": "HTT", "C5": "HTT", "D5": "HTT",
        "E5": "HTT", "P7": "HTXS", "A7": "HTXS", "B7": "HTT",
        **{f"{c}7": "HTT" for c in "CDEFG"}}  # fmt: skip
#: the condition each unit fails (Điều 7): its reason code
WHY = {"D99": "unit.excellent_condition.tasks_done", "X29": "unit.excellent_condition.exceeded",
       "K699": "unit.kht_below_done", "CK": "unit.kht_below_done",
       "PK": "unit.excellent_condition.subunit_kht", "B4": "unit.small_parent",
       "A5": "unit.excellent_share", "B5": "unit.excellent_share",
       "B7": "unit.excellent_share"}  # fmt: skip
CONDITIONS = {*WHY.values()}


def _marks(x: int) -> dict[str, Any]:
    return {**RS.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), x)}


def _check(got: dict[str, tuple[str, set[str]]]) -> None:
    assert {u: g for u, (g, _) in got.items()} == WANT
    assert {u: c & CONDITIONS for u, (_, c) in got.items() if c & CONDITIONS} == {
        u: {c} for u, c in WHY.items()}


def test_the_objects_grade_each_edge() -> None:
    org = evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}", parent_id=p) for u, (p, *_) in UNITS.items()],
        staff=[evalkit.Staff(f"S{u}", f"Người {u}", "VC", u, category="vien_chuc")
               for u in UNITS],
        positions=[evalkit.Position("VC", "Viên chức")])  # fmt: skip
    said = [evalkit.Assessment(f"S{u}", PERIOD, competent_scores=_marks(80)) for u in UNITS]
    inputs = [evalkit.UnitInputs(u, PERIOD, tasks_assigned=a, tasks_done=d, tasks_exceeded=x)
              for u, (_, a, d, x) in UNITS.items()]
    out = evalkit.classify_organisation(org, said, inputs, RS)
    got = {}
    for u, c in out.items():
        assert c.unit.grade is not None
        got[u] = (c.unit.grade.code, {r.code for r in c.unit.reasons})
    _check(got)
    # the sentence cites the clause of Điều 7 (the rule set's citations, never "unsourced")
    said_k4b = next(r for r in out["K699"].unit.reasons if r.code == "unit.kht_below_done")
    assert said_k4b.source == "NĐ 233/2026/NĐ-CP, Điều 7 k4 b"
    assert said_k4b.message_vi == (
        "Hoàn thành 69,9% nhiệm vụ, dưới 70%: xếp loại Không hoàn thành nhiệm vụ")
    small = next(r for r in out["B4"].unit.reasons if r.code == "unit.small_parent")
    assert small.source == "NĐ 233/2026/NĐ-CP, Điều 7 k7 c"
    share = next(r for r in out["B7"].unit.reasons if r.code == "unit.excellent_share")
    assert share.source == "NĐ 233/2026/NĐ-CP, Điều 7 k7 a"
    assert share.message_vi == (
        "Tỷ lệ đơn vị xếp Hoàn thành xuất sắc nhiệm vụ không vượt quá 20% số đơn vị xếp Hoàn "
        "thành tốt nhiệm vụ cùng cấp trên: đơn vị này xếp sau")
    done = next(r for r in out["D99"].unit.reasons if r.code.endswith("tasks_done"))
    assert done.source == "NĐ 233/2026/NĐ-CP, Điều 7 k1"


def test_a_frame_read_from_csv_grades_each_edge(tmp_path: Path) -> None:
    staff = pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                           "period": PERIOD, "category": "vien_chuc", **_marks(80)}
                          for u in UNITS])  # fmt: skip
    units = pd.DataFrame([{"unit_id": u, "parent_id": p, "period": PERIOD, "tasks_assigned": a,
                           "tasks_done": d, "tasks_exceeded": x}
                          for u, (p, a, d, x) in UNITS.items()])  # fmt: skip
    staff.to_csv(tmp_path / "staff.csv", index=False)
    units.to_csv(tmp_path / "units.csv", index=False)
    _, res = evalkit.classify_frame(pd.read_csv(tmp_path / "staff.csv"),
                                    pd.read_csv(tmp_path / "units.csv"), RS)  # fmt: skip
    _check({str(r.unit_id): (str(r.grade), set(str(r.reasons).split(";")))
            for r in res.itertuples()})  # fmt: skip


@pytest.mark.slow
def test_the_command_line_grades_each_edge(tmp_path: Path) -> None:
    units = unit_month(
        tmp_path, RS.id, PERIOD, {u: p for u, (p, *_) in UNITS.items()},
        lambda s, row: {f"competent__{k}": v for k, v in _marks(80).items()},
        lambda u, row: dict(zip(("tasks_assigned", "tasks_done", "tasks_exceeded"),
                                UNITS[u][1:], strict=True)))  # fmt: skip
    _check({str(rec["unit_id"]): (str(rec["grade"]), set(str(rec["reasons"] or "").split(";")))
            for rec in units})  # the results file's units (evalkit/1)


#: the year (July–December 2026, NĐ 233): unit → its months' (assigned, done)
YEAR = {"Y1": [(2, 2)] * 3 + [(10, 6)] * 3,  # mean (3 × 100 + 3 × 60) ÷ 6 = 80, Σ 24/36 = 66.7 %
        "Y2": [(10, 7)] * 6}  # mean 70, Σ 42/60 = 70 %  # fmt: skip
YEAR_WANT = {"Y1": "KHT", "Y2": "HTT"}


def test_the_year_reads_the_years_tasks_done() -> None:
    """k4 b's "trong năm": the year's Σ done ÷ Σ assigned, not the mean of the months — Y1's
    mean score is 80 (band HTT) but it did 24 of its 36 tasks, 66.7 % < 70 % → KHT; Y2 did
    exactly 70 % → its band, HTT. A month of Y1 at 6/10 is KHT by the same rule."""
    months = [f"2026-{m:02d}" for m in range(7, 13)]
    staff = pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                           "period": p, "category": "vien_chuc", **_marks(80)}
                          for u in YEAR for p in months])  # fmt: skip
    units = pd.DataFrame([{"unit_id": u, "period": p, "tasks_assigned": a, "tasks_done": d}
                          for u, ms in YEAR.items() for p, (a, d) in zip(months, ms, strict=True)])
    st, ut = evalkit.classify_frame(staff, units, RS)
    month = ut.set_index(["unit_id", "period"])
    assert month.loc[("Y1", "2026-07"), "grade"] == "HTT"  # 2/2: 100, 0 exceeded
    assert month.loc[("Y1", "2026-12"), "grade"] == "KHT"  # 6/10: 60 %
    assert "unit.kht_below_done" in month.loc[("Y1", "2026-12"), "reasons"]
    year = evalkit.classify_year(st, ut, RS).set_index("staff_id")
    assert {u: str(year.loc[f"S{u}", "unit_grade"]) for u in YEAR} == YEAR_WANT


def test_the_key_is_validated_and_listed(tmp_path: Path) -> None:
    """``kht_below_done_percent`` is a share from 0 to 100; its rule is listed with its
    citation (docs/presets/vn.nd233-2026.md is generated from the list)."""
    path = tmp_path / "t.toml"
    path.write_text('extends = "vn.nd233-2026"\nid = "t.k"\njurisdiction = "t"\n'
                    '[units]\nkht_below_done_percent = 120\n', encoding="utf-8")
    with pytest.raises(evalkit.errors.RuleSetError, match="kht_below_done_percent"):
        evalkit.rules.load(path)
    from evalkit.rules.sources import rule_sources

    listed = {r.rule: r for r in rule_sources(RS)}
    assert listed["unit KHT below tasks done"].source == "NĐ 233/2026/NĐ-CP, Điều 7 k4 b"
    assert listed["unit small parent"].status == "secondary"
    assert RS.units.kht_below_done_percent == 70
    r = make_reason("unit.kht_below_done", RS, {"done_percent": 65.0})
    assert r.message_en == "Tasks done 65%, below 70%: rated Did not complete duties"


def test_a_so_of_cong_chuc_limits_its_public_service_units_not_its_phong(tmp_path: Path) -> None:
    """Điều 7 k7 c counts the *đơn vị sự nghiệp công lập trực thuộc* of the parent, whatever
    the parent's own staff: a Sở Y tế (công chức, NĐ 335/2025) over four hospitals (viên chức,
    NĐ 233/2026) and a phòng (công chức). The hospitals BV1 (10, 10, 4) and BV2 (10, 10, 3)
    both meet k1 (100 %, ≥ 30 % exceeded): four public service units, fewer than 5 → one
    HTXS, the higher score — equal (100), so the lower id BV1 keeps it and BV2 is HTT; BV3,
    BV4 (10, 8, 0) are 80, HTT. The phòng P (10, 10, 0: 100, HTXS under NĐ 335's bands, which
    ask no exceeded share) is not a public service unit: neither counted nor limited. Read
    from a CSV (every column text), as a user's file is."""
    rows = [("SYT", None, "cong_chuc", 10, 10, 0), ("P", "SYT", "cong_chuc", 10, 10, 0),
            ("BV1", "SYT", "vien_chuc", 10, 10, 4), ("BV2", "SYT", "vien_chuc", 10, 10, 3),
            ("BV3", "SYT", "vien_chuc", 10, 8, 0), ("BV4", "SYT", "vien_chuc", 10, 8, 0)]
    units = pd.DataFrame(rows, columns=["unit_id", "parent_id", "category", "tasks_assigned",
                                        "tasks_done", "tasks_exceeded"]).assign(period=PERIOD)
    units.to_csv(tmp_path / "units.csv", index=False)
    read = pd.read_csv(tmp_path / "units.csv", dtype=str, keep_default_na=False)
    empty = pd.DataFrame(columns=["staff_id", "unit_id", "period"])
    for frame in (units, read):
        _, got = evalkit.classify_frame(empty, frame)
        got = got.set_index("unit_id")
        grades = got["grade"].astype(str).to_dict()
        assert {u: grades[u] for u in ("P", "BV1", "BV2", "BV3", "BV4")} == {
            "P": "HTXS", "BV1": "HTXS", "BV2": "HTT", "BV3": "HTT", "BV4": "HTT"}, grades
        assert "unit.small_parent" in str(got.loc["BV2", "reasons"])
        assert "unit.small_parent" not in str(got.loc["P", "reasons"])
        assert got.loc["BV1", "rule_set"] == "vn.nd233-2026" == got.loc["BV2", "rule_set"]
