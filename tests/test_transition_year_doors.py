"""The 2026 transition year of a customs unit (docs/periods.md): NĐ 335 months January to
June (only scored), the customs quarters Q3 and Q4 (CV 21169/CHQ-TCCB, classified). The
year counts four quarters — Q1 and Q2 rolled up from the months, with their band; Q3 and Q4
with their *concluded* grades — and is the same from the frames (classify_year), the
archive (Archive.annual) and the command line (`evalkit annual`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import evalkit.rules
from evalkit.errors import InputError
from evalkit.io.archive import Archive
from evalkit.messages import translate
from evalkit.units import classify_frame, classify_year, rollup_frame
from tests._cli_helpers import run

ND = evalkit.rules.get("vn.nd335-2025")
CQ = evalkit.rules.get("vn.customs-2026q")
# percent of a, b, c: 30 + 0.7 × pct (general criteria full) → 100: 100, 95: 96.5 (HTXS),
# 70: 79 (HTT), 40: 58 (HT), 0: 30 (KHT). (first half, Q3, Q4)
PLAN = {"A": (100, 100, 100), "B": (70, 95, 95), "C": (40, 40, 70), "D": (0, 70, 0),
        **{f"F{i}": (70, 70, 70) for i in range(10)}}
# B's Q3 is concluded HT by the competent level (customs: the competent level may lower a
# grade whatever the score, with its reason) although its band is HTXS
LOWERED = {"B": "2026-Q3"}
# by hand (§4.4: ≥ 2 KHT → KHT; ≥ 2 HTXS and no KHT → HTXS; ≤ 2 HT and ≤ 1 KHT → HTT; else HT)
# A: XS XS XS XS → HTXS; B: HTT HTT HT(concluded) XS → HTT (by bands it would be HTXS);
# C: HT HT HT HTT → HT (3 HT); D: KHT KHT HTT KHT → KHT; F: HTT × 4 → HTT
YEAR = {"A": "HTXS", "B": "HTT", "C": "HT", "D": "KHT", **{f"F{i}": "HTT" for i in range(10)}}
COUNTS = {"A": (4, 0, 0), "B": (1, 1, 0), "C": (0, 3, 0), "D": (0, 0, 3)}  # xs, ht, kht


def _period(per: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rs = CQ if "Q" in per else ND
    k = 0 if rs is ND else int(per[-1]) - 2
    rows = []
    for sid, pcts in PLAN.items():
        row = {"staff_id": sid, "full_name": f"Người {sid}", "unit_id": "HQ1", "period": per,
               "category": "cong_chuc", **rs.full_marks(),
               **dict.fromkeys(("so_luong", "chat_luong", "tien_do"), pcts[k])}
        if LOWERED.get(sid) == per:
            row.update(competent_grade="HT", competent_reason="Chậm nhiệm vụ trọng tâm")
        rows.append(row)
    inputs = pd.DataFrame(rows)
    units = pd.DataFrame([{"unit_id": "HQ1", "name": "Đội Thủ tục", "head_id": None,
                           "tasks_assigned": 10, "tasks_done": 10, "period": per}])
    out, unit_results = classify_frame(inputs, units, rs)
    results = pd.concat([inputs, out[[c for c in out.columns if c not in inputs]]], axis=1)
    return results, unit_results, units


Frames = tuple[pd.DataFrame, pd.DataFrame, list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]]
PERIODS = [f"2026-{m:02d}" for m in range(1, 7)] + ["2026-Q3", "2026-Q4"]


@pytest.fixture(scope="module")
def year_of_frames() -> Frames:
    made = [_period(p) for p in PERIODS]
    staff = pd.concat([m[0] for m in made], ignore_index=True)
    units = pd.concat([m[1] for m in made], ignore_index=True)
    return staff, units, made


def _counts(year: pd.DataFrame) -> dict[str, tuple[int, int, int]]:
    y = year.set_index("staff_id")
    return {s: tuple(int(y.loc[s, c]) for c in ("count_xs", "count_ht", "count_kht"))
            for s in COUNTS}  # fmt: skip


def test_the_quarter_concluded_differs_from_its_band(year_of_frames: Frames) -> None:
    staff = year_of_frames[0]
    b = staff[(staff["staff_id"] == "B") & (staff["period"] == "2026-Q3")].iloc[0]
    assert (b["score_grade"], b["grade"]) == ("HTXS", "HT")


def test_classify_year_by_hand(year_of_frames: Frames) -> None:
    staff, units, _ = year_of_frames
    year = classify_year(staff, units)
    assert dict(zip(year["staff_id"], year["grade"].astype(str), strict=True)) == YEAR
    assert _counts(year) == COUNTS
    assert set(year["rule_set"].astype(str)) == {CQ.id}
    assert (year["months"] == 12).all()


def test_the_archive_and_the_command_line_give_the_same_year(
        year_of_frames: Frames, tmp_path: Path) -> None:  # fmt: skip
    staff, units, made = year_of_frames
    arc = tmp_path / "a.sqlite"
    with Archive(arc) as a:
        for results, unit_results, inputs in made:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        annual = a.annual(2026)
    direct = classify_year(staff, units)
    assert dict(zip(annual["staff_id"], annual["annual_grade"], strict=True)) == YEAR
    assert _counts(annual) == _counts(direct) == COUNTS
    assert annual.set_index("staff_id")["annual_total"].to_dict() == pytest.approx(
        direct.set_index("staff_id")["total"].to_dict())
    table = tmp_path / "y.csv"
    code, out, err = run("annual", "--year", "2026", "--archive", str(arc), "--out", str(table))
    assert code == 0, (out, err)
    cli = pd.read_csv(table, dtype={"staff_id": str})
    assert dict(zip(cli["staff_id"], cli["annual_grade"], strict=True)) == YEAR


def test_a_month_inside_a_quarter_given_is_refused(year_of_frames: Frames) -> None:
    """Months of Q3 beside the Q3 result would count Q3 twice: refused on the quarter's
    rows, naming row, column and value."""
    staff = year_of_frames[0]
    extra = staff[staff["period"] == "2026-06"].assign(period="2026-07", rule_set=CQ.id)
    with pytest.raises(InputError) as err:
        rollup_frame(pd.concat([staff, extra], ignore_index=True))
    got = {(p.column, p.value, p.staff_id) for p in err.value.problems}
    assert got == {("period", "2026-Q3", s) for s in PLAN}
    said = err.value.problems[0].message
    assert said == "the person has months of this quarter too: give one or the other"
    assert translate(said) == ("người này có cả kết quả quý này và kết quả tháng thuộc quý này: "
                               "chỉ dùng một loại")
