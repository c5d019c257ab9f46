"""NĐ 233/2026/NĐ-CP Điều 7: "đúng thời hạn" (k1 a) and the conditions of k2/k3 said under k5,
as the preset ``vn.nd233-2026`` follows them, at each edge, worked by hand.

Decree text read: ``git show HEAD:van-ban/233-2026-ND-CP-danh-gia-xep-loai-vien-chuc.md`` in
the diepxuan.github.io mirror (an OCR of the signed text), Điều 7:

* k1 "Hoàn thành xuất sắc nhiệm vụ: Đạt từ 90 điểm trở lên, đồng thời … a) Hoàn thành 100%
  các nhiệm vụ được giao, đúng thời hạn, bảo đảm chất lượng, hiệu quả; trong đó có ít nhất
  30% nhiệm vụ hoàn thành vượt mức yêu cầu";
* k2 "Hoàn thành tốt nhiệm vụ: Đạt từ 70 đến dưới 90 điểm, đồng thời hoàn thành 100% các
  nhiệm vụ được giao, đúng thời hạn, bảo đảm chất lượng, hiệu quả";
* k3 "Hoàn thành nhiệm vụ: Đạt từ 50 đến dưới 70 điểm, đồng thời hoàn thành 100% các nhiệm
  vụ được giao, số nhiệm vụ chưa bảo đảm tiến độ không vượt quá 20%";
* k5 "Trường hợp đơn vị đạt số điểm trong khung điểm của mức xếp loại … quy định tại các
  khoản 1, 2 và 3 Điều này, nhưng không đạt đồng thời các điều kiện khác của mức xếp loại
  thì cấp có thẩm quyền đánh giá xem xét … để quyết định mức xếp loại cho phù hợp".

evalkit grades the band (a unit of the HTXS band failing k1 is HTT, as before, its condition
said) and, for a unit whose score is in the band of k2 or k3 and graded so, says the other
conditions not met, for the competent level (k5). "Chưa bảo
đảm tiến độ" (k3) is read as not done on time: assigned − on time (a task done late, or not
done — the overdue among them, never counted twice).

The preset scores a unit 100 × (on time + 1 × late) ÷ assigned (``late_credit`` 1: a task done
late counts as done), minus its ``deduction``; every unit here is a root (no k7 limit). By
hand, (assigned, done, on time, exceeded) → score, grade:

* ``T100`` (10, 10, 10, 3) → 100, on time 100 %, 30 % exceeded → HTXS;
* ``T99`` (100, 100, 99, 30) → 100, but 99 % on time < 100 % (k1 a) → HTT,
  ``unit.excellent_condition.on_time``;
* ``TB`` (10, 10, blank, 3) → 100: a blank count of tasks on time is every task done on time
  → HTXS;
* ``D95`` (100, 95, 95, 30) → 95, 95 % done < 100 % → HTT, ``tasks_done`` only: its on-time
  share falls short by the tasks not done alone, said once; ``D95L`` (100, 95, 90, 30) → 95
  (late credit 1), 95 % done and 5 tasks late → HTT, ``tasks_done`` and ``on_time``.

With a deduction (assigned, done, on time, exceeded, deduction):

* ``G95`` (20, 20, 19, 0, 15) → 100 − 15 = 85, band HTT, on time 19/20 = 95 % < 100 % (k2)
  → HTT, ``unit.band_condition.good``; ``G100`` (20, 20, 20, 0, 15) → 85, HTT, nothing said;
* ``F80`` (10, 10, 8, 0, 40) → 60, band HT, all done, 2/10 = 20 % not on schedule (not more
  than 20 %) → HT, nothing said; ``F79`` (100, 100, 79, 0, 40) → 60, 21 % > 20 % (k3) → HT,
  ``unit.band_condition.fair``; ``F95`` (20, 19, 19, 0, 35) → 95 − 35 = 60, 95 % done < 100 %
  (k3; 95 % ≥ 70 %: not k4 b) → HT, ``unit.band_condition.fair``;
* ``T99``, graded HTT, has its score in the HTXS band (k1's, said above): k2's sentence is
  not said of it (k5 speaks of a score in the band of the level).

The year (July–December 2026): ``YL`` does (10, 10, 10, 3) each month but October (10, 10, 9,
3): its months' mean score is 100, Σ done 60/60, Σ exceeded 18/60 = 30 %, Σ on time 59/60 =
98,33 % < 100 % → HTT for the year; ``YB`` leaves every month's on-time count blank → HTXS;
``YG`` does as YL with a deduction of 15 each month: mean 85, band HTT, on time 98,33 % <
100 % (k2) → HTT, ``unit.band_condition.good``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
import evalkit.rules
from evalkit.render import render_unit_summary_html, summaries_from_results
from evalkit.workflow import year_units
from tests._cli_helpers import unit_month
from tests._sheet_audit import html_text

RS = evalkit.rules.get("vn.nd233-2026")
PERIOD = "2026-09"
ON_TIME = "unit.excellent_condition.on_time"
GOOD, FAIR = "unit.band_condition.good", "unit.band_condition.fair"
DONE = "unit.excellent_condition.tasks_done"
#: unit → (assigned, done, on time (None: blank), exceeded, deduction)
UNITS: dict[str, tuple[int, int, int | None, int, int | None]] = {
    "T100": (10, 10, 10, 3, None), "T99": (100, 100, 99, 30, None), "TB": (10, 10, None, 3, None),
    "G95": (20, 20, 19, 0, 15), "G100": (20, 20, 20, 0, 15), "F80": (10, 10, 8, 0, 40),
    "F79": (100, 100, 79, 0, 40), "F95": (20, 19, 19, 0, 35), "D95": (100, 95, 95, 30, None),
    "D95L": (100, 95, 90, 30, None)}  # fmt: skip
COLUMNS = ("tasks_assigned", "tasks_done", "tasks_on_time", "tasks_exceeded", "deduction")
#: by hand (module docstring): unit → (score, grade, the codes of Điều 7 said)
WANT: dict[str, tuple[float, str, set[str]]] = {
    "T100": (100.0, "HTXS", set()), "T99": (100.0, "HTT", {ON_TIME}),
    "D95": (95.0, "HTT", {DONE}), "D95L": (95.0, "HTT", {DONE, ON_TIME}),
    "TB": (100.0, "HTXS", set()), "G95": (85.0, "HTT", {GOOD}), "G100": (85.0, "HTT", set()),
    "F80": (60.0, "HT", set()), "F79": (60.0, "HT", {FAIR}), "F95": (60.0, "HT", {FAIR})}
CODES = {ON_TIME, GOOD, FAIR, DONE}
#: the sentences said of G95 and F79 (k5: the competent level decides), their citation
#: af149: the score is in the band of the level, the condition not met is named with its
#: figure, and the level is the one proposed, the competent level deciding (k5) — never
#: "Chưa đạt điều kiện của mức Hoàn thành tốt nhiệm vụ" on a sheet graded that level
G95_VI = ("Tổng điểm thuộc khung điểm của mức Hoàn thành tốt nhiệm vụ nhưng chưa đạt điều kiện "
          "hoàn thành đúng thời hạn 100% nhiệm vụ được giao (đạt 95%): mức Hoàn thành tốt "
          "nhiệm vụ là mức đề xuất, cấp có thẩm quyền xem xét, quyết định mức xếp loại")
F79_VI = ("Tổng điểm thuộc khung điểm của mức Hoàn thành nhiệm vụ nhưng chưa đạt đồng thời các "
          "điều kiện hoàn thành 100% nhiệm vụ được giao (đạt 100%) và số nhiệm vụ chưa bảo đảm "
          "tiến độ không vượt quá 20% (là 21%): mức Hoàn thành nhiệm vụ là mức đề xuất, cấp có "
          "thẩm quyền xem xét, quyết định mức xếp loại")
#: each sentence cites its own clause (k2 for HTT's, k3 for HT's) with k5 (af134; before: both
#: cited "Điều 7 k2, k3, k5")
BAND_CITED = {"G95": "NĐ 233/2026/NĐ-CP, Điều 7 k2, k5", "F79": "NĐ 233/2026/NĐ-CP, Điều 7 k3, k5"}
#: the sentence said of T99, and its citation
T99_VI = ("Tỷ lệ nhiệm vụ hoàn thành đúng thời hạn 99% chưa đạt 100% để xếp Hoàn thành xuất "
          "sắc nhiệm vụ")
CITED = "NĐ 233/2026/NĐ-CP, Điều 7 k1"


def _marks(x: int) -> dict[str, Any]:
    return {**RS.full_marks(), **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), x)}


def _check(got: dict[str, tuple[float, str, set[str]]]) -> None:
    assert {u: (s, g, c & CODES) for u, (s, g, c) in got.items()} == WANT


def _org() -> evalkit.Organisation:
    return evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}") for u in UNITS],
        staff=[evalkit.Staff(f"S{u}", f"Người {u}", "VC", u, category="vien_chuc")
               for u in UNITS],
        positions=[evalkit.Position("VC", "Viên chức")])  # fmt: skip


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    staff = pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                           "period": PERIOD, "category": "vien_chuc", **_marks(80)}
                          for u in UNITS])  # fmt: skip
    units = pd.DataFrame([{"unit_id": u, "period": PERIOD, **dict(zip(COLUMNS, v, strict=True))}
                          for u, v in UNITS.items()])  # fmt: skip
    return staff, units


def test_the_objects_grade_each_edge() -> None:
    said = [evalkit.Assessment(f"S{u}", PERIOD, competent_scores=_marks(80)) for u in UNITS]
    inputs = [evalkit.UnitInputs(u, PERIOD, **dict(zip(COLUMNS, v, strict=True)))
              for u, v in UNITS.items()]
    out = evalkit.classify_organisation(_org(), said, inputs, RS)
    got = {}
    for u, c in out.items():
        assert c.unit.grade is not None and c.unit.score is not None
        got[u] = (c.unit.score, c.unit.grade.code, {r.code for r in c.unit.reasons})
    _check(got)
    assert out["T99"].unit.on_time_percent == 99.0
    (r,) = [r for r in out["T99"].unit.reasons if r.code == ON_TIME]
    assert (r.message_vi, r.source) == (T99_VI, CITED)
    assert r.message_en.startswith("Tasks done on time 99% is below the 100% needed for ")
    for u, code, vi in (("G95", GOOD, G95_VI), ("F79", FAIR, F79_VI)):
        (r,) = [r for r in out[u].unit.reasons if r.code == code]
        assert (r.message_vi, r.source) == (vi, BAND_CITED[u])
    (r,) = [r for r in out["F95"].unit.reasons if r.code == FAIR]
    assert "hoàn thành 100% nhiệm vụ được giao (đạt 95%)" in r.message_vi
    assert "không vượt quá 20% (là 5%)" in r.message_vi
    assert r.message_en.startswith("The total is in the band of Completed duties but its "
                                   "conditions of 100% of the tasks assigned done")


@pytest.mark.parametrize("as_text", [False, True])
def test_a_frame_read_from_csv_grades_each_edge(tmp_path: Path, as_text: bool) -> None:
    """Read back from CSV: as pandas reads it (numbers, a blank NaN) and every column text
    (a blank ``""``), as a user's file may be."""
    staff, units = _frames()
    staff.to_csv(tmp_path / "staff.csv", index=False)
    units.to_csv(tmp_path / "units.csv", index=False)
    kw: dict[str, Any] = {"dtype": str, "keep_default_na": False} if as_text else {}
    st, res = evalkit.classify_frame(pd.read_csv(tmp_path / "staff.csv"),
                                     pd.read_csv(tmp_path / "units.csv", **kw), RS)  # fmt: skip
    _check({str(r.unit_id): (float(r.score), str(r.grade), set(str(r.reasons).split(";")))
            for r in res.itertuples()})  # fmt: skip
    # the unit summary says the condition, with its citation
    by = {s.unit.id: s for s in summaries_from_results(st, res)}
    text = html_text(render_unit_summary_html(by["T99"]))
    assert T99_VI in text and CITED in text
    for u, vi in (("G95", G95_VI), ("F79", F79_VI)):
        text = html_text(render_unit_summary_html(by[u]))
        assert vi in text and BAND_CITED[u] in text
    assert "chưa đạt đồng thời" not in html_text(render_unit_summary_html(by["F80"]))


@pytest.mark.slow
def test_the_command_line_grades_each_edge(tmp_path: Path) -> None:
    units = unit_month(
        tmp_path, RS.id, PERIOD, dict.fromkeys(UNITS),
        lambda s, row: {f"competent__{k}": v for k, v in _marks(80).items()},
        lambda u, row: dict(zip(COLUMNS, UNITS[u], strict=True)))  # None: left blank
    _check({str(rec["unit_id"]): (float(rec["score"]), str(rec["grade"]),
                                  set(str(rec["reasons"] or "").split(";")))
            for rec in units})  # fmt: skip


#: the year (July–December 2026): unit → its months' (assigned, done, on time, exceeded,
#: deduction)
MONTHS = [f"2026-{m:02d}" for m in range(7, 13)]
YEAR: dict[str, list[tuple[int, int, int | None, int, int | None]]] = {
    "YL": [(10, 10, 9, 3, None) if m == "2026-10" else (10, 10, 10, 3, None) for m in MONTHS],
    "YB": [(10, 10, None, 3, None)] * 6,
    "YG": [(10, 10, 9, 3, 15) if m == "2026-10" else (10, 10, 10, 3, 15) for m in MONTHS]}
YEAR_WANT = {"YL": "HTT", "YB": "HTXS", "YG": "HTT"}


def test_the_year_reads_the_years_tasks_on_time() -> None:
    """k1 a over the year: Σ on time ÷ Σ assigned (module docstring): YL 59/60 → HTT, its
    October HTT too; YB, every month blank (all on time) → HTXS. Through the frames and the
    objects."""
    staff = pd.DataFrame([{"staff_id": f"S{u}", "full_name": f"Người {u}", "unit_id": u,
                           "period": p, "category": "vien_chuc", **_marks(80)}
                          for u in YEAR for p in MONTHS])  # fmt: skip
    units = pd.DataFrame([{"unit_id": u, "period": p, **dict(zip(COLUMNS, v, strict=True))}
                          for u, ms in YEAR.items() for p, v in zip(MONTHS, ms, strict=True)])
    st, ut = evalkit.classify_frame(staff, units, RS)
    month = ut.set_index(["unit_id", "period"])
    assert month.loc[("YL", "2026-10"), "grade"] == "HTT"
    assert ON_TIME in month.loc[("YL", "2026-10"), "reasons"]
    assert month.loc[("YL", "2026-09"), "grade"] == "HTXS"
    yr = evalkit.classify_year(st, ut, RS)
    year = yr.set_index("staff_id")
    assert {u: str(year.loc[f"S{u}", "unit_grade"]) for u in YEAR} == YEAR_WANT
    # the year's unit summaries say the conditions, with the year's share (59/60)
    by = {s.unit.id: s for s in summaries_from_results(yr, year_units(yr, ut))}
    text = html_text(render_unit_summary_html(by["YL"]))
    assert ("Tỷ lệ nhiệm vụ hoàn thành đúng thời hạn 98,33% chưa đạt 100% để xếp Hoàn thành "
            "xuất sắc nhiệm vụ") in text
    text = html_text(render_unit_summary_html(by["YG"]))
    assert ("Tổng điểm thuộc khung điểm của mức Hoàn thành tốt nhiệm vụ nhưng chưa đạt điều "
            "kiện hoàn thành đúng thời hạn 100% nhiệm vụ được giao (đạt 98,33%): mức Hoàn thành "
            "tốt nhiệm vụ là mức đề xuất, cấp có thẩm quyền xem xét, quyết định mức xếp loại") in text
    assert "đúng thời hạn" not in html_text(render_unit_summary_html(by["YB"]))
    # the objects: the year's unit, its reason and the figure it quotes
    org = evalkit.Organisation(
        units=[evalkit.Unit(u, f"Đơn vị {u}") for u in YEAR],
        staff=[evalkit.Staff(f"S{u}", f"Người {u}", "VC", u, category="vien_chuc") for u in YEAR],
        positions=[evalkit.Position("VC", "Viên chức")])  # fmt: skip
    months = [evalkit.classify_organisation(
        org, [evalkit.Assessment(f"S{u}", p, competent_scores=_marks(80)) for u in YEAR],
        [evalkit.UnitInputs(u, p, **dict(zip(COLUMNS, ms[i], strict=True)))
         for u, ms in YEAR.items()], RS) for i, p in enumerate(MONTHS)]  # fmt: skip
    got = evalkit.classify_organisation_year(months, RS)
    assert {u: c.unit.grade.code for u, c in got.items() if c.unit.grade} == YEAR_WANT
    (r,) = [r for r in got["YL"].unit.reasons if r.code == ON_TIME]
    assert r.message_vi == ("Tỷ lệ nhiệm vụ hoàn thành đúng thời hạn 98,33% chưa đạt 100% để "
                            "xếp Hoàn thành xuất sắc nhiệm vụ")
    assert not [r for r in got["YB"].unit.reasons if r.code == ON_TIME]
    assert {r.code for r in got["YL"].unit.reasons} & CODES == {ON_TIME}
    assert {r.code for r in got["YG"].unit.reasons} & CODES == {GOOD}


def test_the_key_is_validated_listed_and_set_in_the_nd233_preset_only(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text('extends = "vn.nd233-2026"\nid = "t.k"\njurisdiction = "t"\n'
                    '[units]\nexcellent_on_time_percent = 101\n', encoding="utf-8")
    with pytest.raises(evalkit.errors.RuleSetError, match="excellent_on_time_percent"):
        evalkit.rules.load(path)
    for key in ("good_on_time_percent", "fair_done_percent", "fair_late_max_percent"):
        path.write_text('extends = "vn.nd233-2026"\nid = "t.k"\njurisdiction = "t"\n'
                        f'[units]\n{key} = -1\n', encoding="utf-8")
        with pytest.raises(evalkit.errors.RuleSetError, match=key):
            evalkit.rules.load(path)
    u = RS.units
    assert (u.excellent_on_time_percent, u.good_on_time_percent, u.fair_done_percent,
            u.fair_late_max_percent) == (100, 100, 100, 20)
    others = [r.id for r in evalkit.rules.available() if r.id != RS.id and any(
        getattr(r.units, k) is not None for k in ("excellent_on_time_percent",
                                                  "good_on_time_percent", "fair_done_percent",
                                                  "fair_late_max_percent"))]
    assert others == []
    from evalkit.rules.sources import rule_sources

    listed = {r.rule: r for r in rule_sources(RS)}
    assert listed["unit HTT conditions"].source == BAND_CITED["G95"]
    assert listed["unit HT conditions"].source == BAND_CITED["F79"]
