"""A month at work with nothing assigned is time worked (issue 13; af186).

The months-worked rules count the time at work, not the months that had tasks:
NĐ 233/2026/NĐ-CP Điều 14 k1 "Viên chức có thời gian làm việc trong năm chưa đủ 06 tháng
không xếp loại chất lượng"; NĐ 90/2020/NĐ-CP Điều 2 k3 "có thời gian công tác trong năm chưa
đủ 06 tháng" (its opposite: "nghỉ không tham gia công tác"); the customs letter (CV
21169/CHQ-TCCB, as its implementers quote it) "công tác ≤ 01 tháng trong quý → chưa đánh
giá". A month scored with nothing assigned (a ratio block's ``empty = "not_evaluated"``:
``not_evaluated.nothing_assigned``) was a month at work: it counts among the months worked
(``[rollup] min_months``, the short quarter's ``period_short_months``), never in the mean —
the year's total is the mean of the months that have a score (docs/_research/
legal-sources.md §15). A year whose every month worked had nothing assigned keeps
``rollup.nothing_assigned``.

The Sở's rule file ``so.tasks80-sau-thang`` extends ``example.tasks-80`` (20 general points
+ done 25 + quality 30 + on time 25, each ÷ assigned; nothing assigned → not evaluated) with
the 6-month rule. By hand, January to July 2026:

* G7: four months of 70 (general 20, done 10/10 → 25, quality 5/10 → 15, on time 4/10 → 10)
  and three with nothing assigned: 7 months worked, the year 70.0 (the mean of the four),
  HTT — the HTT band's lower edge; the three months counted as zeros would make 40, KHT;
* G6: five months of 50 (general 18, 4/10 done, to quality and on time → 10 + 12 + 10) and
  one with nothing assigned: 6 months worked, exactly the minimum: 50.0, HT (its edge);
* F5: two months of 70 and three with nothing assigned: 5 months worked, fewer than 6: not
  classified (``rollup.too_few_months``);
* N3: three months, nothing assigned in any: ``rollup.nothing_assigned``, not classified.

Before af186 G7 and G6 were not classified (4 and 5 "evaluated months") and F5 counted 2.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evalkit
from evalkit.io.archive import Archive
from evalkit.reasons import explain
from tests._cli_helpers import ok

RULE_ID = "so.tasks80-sau-thang"
RULE_TEXT = f'''id = "{RULE_ID}"
extends = "example.tasks-80"
jurisdiction = "example.so-thu"
title_vi = "Quy chế thử của Sở: 20 điểm tiêu chí chung, 80 điểm kết quả nhiệm vụ"
source = "Quy chế đánh giá của Sở (thử nghiệm)"

[rollup]
min_months = 6
months_source = "Quy chế đánh giá của Sở, Điều 9"
'''
NA = "not_evaluated.nothing_assigned"


def _marks(general: tuple[int, ...], done: int, quality: int, on_time: int,
           assigned: int = 10) -> dict[str, int]:  # fmt: skip
    ids = ("chinh_tri", "dao_duc", "tac_phong", "ky_luat")
    return {**dict(zip(ids, general, strict=True)), "giao": assigned, "hoan_thanh": done,
            "dat_chat_luong": quality, "dung_han": on_time}


S70 = _marks((5, 5, 5, 5), 10, 5, 4)
S50 = _marks((5, 5, 4, 4), 4, 4, 4)
EMPTY = _marks((5, 5, 5, 5), 0, 0, 0, assigned=0)
PLAN = {"G7": [S70] * 4 + [EMPTY] * 3, "G6": [S50] * 5 + [EMPTY], "F5": [S70] * 2 + [EMPTY] * 3,
        "N3": [EMPTY] * 3}  # fmt: skip
#: (total, grade, months worked, the year's codes) by hand (the module's docstring)
WANT: dict[str, tuple[float | None, str | None, int, list[str]]] = {
    "G7": (70.0, "HTT", 7, ["rollup.average"]),
    "G6": (50.0, "HT", 6, ["rollup.average"]),
    "F5": (70.0, None, 5, ["rollup.average", "rollup.too_few_months"]),
    "N3": (None, None, 3, ["rollup.nothing_assigned"])}
MONTHS = [f"2026-{m:02d}" for m in range(1, 8)]


@pytest.fixture(scope="module")
def rule_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "quy-che-so.toml"
    path.write_text(RULE_TEXT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rs(rule_file: Path) -> evalkit.RuleSet:
    return evalkit.rules.load(rule_file)


def _inputs() -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": s, "full_name": f"Người {s}", "unit_id": "U",
                          "period": MONTHS[i], "category": "cong_chuc", **m}
                         for s, ms in PLAN.items() for i, m in enumerate(ms)])  # fmt: skip


def _na(value: Any) -> Any:
    return None if pd.isna(value) else value


def _year(frame: pd.DataFrame, total: str, grade: str) -> dict[str, tuple[Any, ...]]:
    return {str(r["staff_id"]): (_na(r[total]), _na(r[grade]), str(r["reasons"]).split(";"))
            for r in frame.to_dict("records")}  # fmt: skip


def _want(months: bool = False) -> dict[str, tuple[Any, ...]]:
    return {s: (t, g, *([n] if months else []), c) for s, (t, g, n, c) in WANT.items()}


def test_the_months_are_scored_as_planned(rs: evalkit.RuleSet) -> None:
    """The inputs give the months the docstring reckons: 70, 50, and nothing assigned."""
    months = evalkit.score_frame(_inputs(), rs)
    totals = months["total"].dropna().unique().tolist()
    assert sorted(totals) == [50.0, 70.0]
    assert (months["reasons"].astype(str) == NA).sum() == 3 + 1 + 3 + 3


class TestTheFrames:
    """:func:`evalkit.rollup_frame` over :func:`evalkit.score_frame`'s months (the reasons
    column in each dtype a reader gives) and :func:`evalkit.classify_year` over
    :func:`evalkit.classify_frame`'s."""

    @pytest.mark.parametrize("dtype", ["category", object, "string", "str"])
    def test_rollup_frame_counts_a_month_with_nothing_assigned_as_worked(
            self, rs: evalkit.RuleSet, dtype: str) -> None:  # fmt: skip
        """G7 and G6 graded on their months scored, F5 too few months worked, N3 nothing
        assigned; the months worked in ``months``, the mean's sentence counting those scored."""
        given = _inputs()
        months = given[["staff_id", "period", "unit_id"]].join(evalkit.score_frame(given, rs))
        months["reasons"] = months["reasons"].astype(dtype)
        out = evalkit.rollup_frame(months, rs)
        got = {s: (t, g, int(n), c) for (s, (t, g, c)), n in
               zip(_year(out, "total", "grade").items(), out["months"], strict=True)}
        assert got == _want(months=True)
        # the year's sentence: the mean of the four months scored, not of the seven worked
        said = {s: " | ".join(x) for s, x in zip(out["staff_id"], explain(out), strict=True)}
        assert "Điểm năm 70 là trung bình cộng điểm của 4 tháng được đánh giá" in said["G7"]
        assert ("Làm việc dưới 6 tháng trong năm: không xếp loại (Quy chế đánh giá của Sở, "
                "Điều 9)") in said["F5"]
        assert not any("Làm việc dưới" in said[s] for s in ("G6", "G7")), said

    def test_classify_year_grades_the_year_of_the_months_worked(self, rs: evalkit.RuleSet
                                                                ) -> None:  # fmt: skip
        """The year classified (head cap, quota: none binds here) gives the same answer."""
        staff, _units = evalkit.classify_frame(_inputs(), pd.DataFrame({"unit_id": ["U"]}), rs)
        year = evalkit.classify_year(staff)
        assert _year(year, "annual_total", "annual_grade") == _want()
        assert dict(zip(year["staff_id"], year["months"], strict=True)) == {
            s: w[2] for s, w in WANT.items()}


def test_the_objects_count_a_month_with_nothing_assigned_as_worked(rs: evalkit.RuleSet
                                                                   ) -> None:  # fmt: skip
    """:func:`evalkit.rollup` over :func:`evalkit.score`'s results, person by person."""
    for sid, marks in PLAN.items():
        results = [evalkit.score(evalkit.Assessment(sid, MONTHS[i], manager_scores=m), rules=rs)
                   for i, m in enumerate(marks)]  # fmt: skip
        [out] = evalkit.rollup(results, rs)  # type: ignore[arg-type]
        total, grade, _n, codes = WANT[sid]
        said = [c for c in out.reason_codes() if c != "band"]  # (the band: the year's grade)
        assert (out.total, out.grade and out.grade.code, said) == (total, grade, codes), sid
        if sid == "G7":
            assert "trung bình cộng điểm của 4 tháng được đánh giá" in out.reasons[-1].message_vi


def _score_files(rule_file: Path, folder: Path) -> list[Path]:
    """Each month scored by ``evalkit score`` from a CSV file, as the results files."""
    given, out = _inputs(), []
    for m in MONTHS:
        src, res = folder / f"{m}.csv", folder / f"{m}.json"
        rows = given[given["period"] == m]
        with src.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["staff_id", "full_name", "unit_id", "period",
                        *(f"manager__{k}" for k in S70)])  # fmt: skip
            w.writerows(rows[["staff_id", "full_name", "unit_id", "period", *S70]].to_numpy())
        ok("score", str(src), "--rules", str(rule_file), "--out", str(res))
        out.append(res)
    return out


def test_the_archive_and_the_command_line_grade_the_year_of_the_months_worked(
        rule_file: Path, tmp_path: Path) -> None:  # fmt: skip
    """The months finalized (``evalkit finalize``), then the year: ``Archive.annual`` and
    ``evalkit annual`` give the same grades, totals and reasons as the frames."""
    arc = tmp_path / "luu-tru.sqlite"
    for f in _score_files(rule_file, tmp_path):
        ok("finalize", str(f), "--archive", str(arc), "--by", "TCCB", "--rules", str(rule_file))
    with Archive(arc) as a:
        annual = a.annual(2026, rules=rule_file)
    assert _year(annual, "annual_total", "annual_grade") == _want()
    ok("annual", "--archive", str(arc), "--year", "2026", "--rules", str(rule_file),
       "--out", str(out := tmp_path / "nam.csv"))  # fmt: skip
    got = pd.read_csv(out, dtype={"staff_id": str})
    assert _year(got, "annual_total", "annual_grade") == _want()
    said = dict(zip(got["staff_id"], got["reasons_vi"], strict=True))
    assert "Làm việc dưới 6 tháng trong năm: không xếp loại" in said["F5"]
    assert "Làm việc dưới 6 tháng" not in said["G6"] + said["G7"]
    assert "Điểm năm 70 là trung bình cộng điểm của 4 tháng được đánh giá" in said["G7"]


@given(kinds=st.lists(st.sampled_from([50.0, 70.0, 80.0, 95.0, "nothing", "absent"]),
                     min_size=1, max_size=12),
       dtype=st.sampled_from([object, "string", "category"]))
def test_a_month_with_nothing_assigned_counts_as_worked_never_in_the_mean(
        kinds: list[float | str], dtype: str) -> None:  # fmt: skip
    """NĐ 233/2026 Điều 14 k1 (``vn.nd233-2026``, min_months 6): whatever the months scored,
    with nothing assigned and absent (``absent``: not exempt, Điều 14 k2), the year's months
    worked are the scored plus the nothing-assigned ones; the year is graded exactly when
    some month has a score and at least 6 were worked; its total is the mean of the scores
    alone; a year of nothing-assigned months (and absences) only says so."""
    rows = [{"staff_id": "V", "period": f"2027-{i + 1:02d}", "category": "vien_chuc",
             "total": k if isinstance(k, float) else np.nan,
             "reasons": NA if k == "nothing" else "", "leave": "absent" if k == "absent" else None}
            for i, k in enumerate(kinds)]  # fmt: skip
    [year] = evalkit.rollup_frame(pd.DataFrame(rows).astype({"reasons": dtype}),
                                  "vn.nd233-2026").to_dict("records")  # fmt: skip
    scored = [k for k in kinds if isinstance(k, float)]
    worked = len(scored) + kinds.count("nothing")
    codes = str(year["reasons"]).split(";")
    assert year["months"] == worked
    if scored:
        assert year["total"] == pytest.approx(sum(scored) / len(scored), abs=0.01)
        assert pd.isna(year["grade"]) == (worked < 6) == ("rollup.too_few_months" in codes)
    else:
        assert pd.isna(year["total"]) and pd.isna(year["grade"])
        assert codes == ["rollup.nothing_assigned" if worked else "rollup.no_months"]


def _customs(rows: tuple[tuple[str, str, float | None], ...]) -> pd.DataFrame:
    """Customs months (the rows read back: a nothing-assigned month is a row without a
    total that says so)."""
    return pd.DataFrame([{"staff_id": s, "unit_id": "U", "period": p, "category": "cong_chuc",
                          "rule_set": "vn.customs-2026q", "total": np.nan if t is None else t,
                          "reasons": NA if t is None else ""} for s, p, t in rows])


CUSTOMS = (("A", "2026-07", 95.0), ("A", "2026-08", None),  # Q3: 2 months worked, 1 scored
           *(("A", f"2026-{m}", 95.0) for m in (10, 11, 12)),
           ("B", "2026-10", 90.0), ("B", "2026-11", None),  # Q4 only: 2 months worked
           ("C", "2026-07", 95.0), *(("C", f"2026-{m}", 95.0) for m in (10, 11, 12)),
           ("D", "2026-11", None))  # fmt: skip


class TestTheCustomsShortQuarter:
    """CV 21169/CHQ-TCCB: "CC-NLĐ công tác ≤ 01 tháng trong quý thì chưa đánh giá quý đó,
    kết quả chuyển sang quý sau" — the months at work in the quarter, a month with nothing
    assigned among them (``[rollup] period_short_months = 1``)."""

    def test_a_quarter_of_one_month_scored_and_one_with_nothing_assigned_is_evaluated(
            self) -> None:  # fmt: skip
        """A's Q3 (July scored, August nothing assigned) and B's Q4 (October scored,
        November nothing assigned): two months worked, more than one — evaluated on the
        month scored, nothing carried; C's Q3 of one month worked is carried to Q4, as
        before; D's Q4 of one month with nothing assigned says so."""
        q = evalkit.rollup_frame(_customs(CUSTOMS), "vn.customs-2026q", to="quarter")
        got = {(r["staff_id"], r["period"]): (_na(r["total"]), r["months"], r["carried_months"],
                                              r["reasons"]) for r in q.to_dict("records")}
        assert got == {("A", "2026-Q3"): (95.0, 2, 0, "rollup.average"),
                       ("A", "2026-Q4"): (95.0, 3, 0, "rollup.average"),
                       ("B", "2026-Q4"): (90.0, 2, 0, "rollup.average"),
                       ("C", "2026-Q3"): (None, 1, 0, "rollup.period_carried_next"),
                       ("C", "2026-Q4"): (95.0, 4, 1, "rollup.average;rollup.period_carried"),
                       ("D", "2026-Q4"): (None, 1, 0, NA)}

    def test_the_year_counts_the_quarter_so_evaluated(self) -> None:
        """The customs year counts the quarters' grades (bands here: no quota): A has two
        HTXS quarters and no KHT → HTXS; C, one (Q3 carried into Q4) → HTT."""
        year = evalkit.rollup_frame(_customs(CUSTOMS), "vn.customs-2026q")
        grades = {s: _na(g) for s, g in zip(year["staff_id"], year["grade"], strict=True)}
        assert grades == {"A": "HTXS", "B": "HTT", "C": "HTT", "D": None}
