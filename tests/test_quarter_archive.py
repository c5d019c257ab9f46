"""A quarterly rule set (customs, CV 21169/CHQ-TCCB) archives quarters: its quarters' results
are rendered and finalized as they are, and the year is counted from the archived quarters —
through the objects, the frames and the command line alike."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import evalkit.rules
from evalkit.errors import InputError
from evalkit.io.archive import Archive, check_month_results, check_results, period_refusal
from evalkit.io.results import read_results, results_document
from evalkit.io.workbook import SCORES_SHEET, UNITS_SHEET
from evalkit.model import Period
from evalkit.units import classify_frame, classify_year, results_from_frame, rollup
from tests._cli_helpers import run

CQ = evalkit.rules.get("vn.customs-2026q")
GENERAL = ["pham_chat_dao_duc", "ky_luat_ky_cuong", "nang_luc_chuyen_mon", "dap_ung_nhiem_vu",
           "tinh_than_trach_nhiem", "phuc_vu_phoi_hop", "san_pham_dot_pha", "nhiem_vu_kho_khan",
           "chiu_trach_nhiem", "chu_dong_quyet_dinh"]  # fmt: skip
# each person's a, b, c (percent) in Q3 and Q4: a civil servant scores 30 + (a+b+c)/3 × 70%
# (the general criteria at their full 30), banded HTXS ≥ 90, HTT ≥ 70, HT ≥ 50, else KHT; the
# head H (a, b, c at 60, d and đ at 100, e the area led) is HTT: 30 + 70% × at most 80 < 90
PLAN = {"H": (60, 60), "X": (100, 100), "Y": (80, 40), "Z": (40, 40), "K": (20, 20),
        "Q": (80, 20), "P": (40, 20), **dict.fromkeys(("A1", "A2", "A3", "A4"), (80, 80))}
# hand-counted (the preset's rollup: ≥ 2 KHT → KHT; ≥ 2 HTXS and no KHT → HTXS; ≤ 2 HT and
# ≤ 1 KHT → HTT); X is the only HTXS each quarter and in the year, within the quota (20% of
# those rated HTT: 7 in Q3, 5 in Q4, 9 in the year → 1 each)
QUARTERS = {"H": ("HTT", "HTT"), "X": ("HTXS", "HTXS"), "Y": ("HTT", "HT"), "Z": ("HT", "HT"),
            "K": ("KHT", "KHT"), "Q": ("HTT", "KHT"), "P": ("HT", "KHT"),
            **dict.fromkeys(("A1", "A2", "A3", "A4"), ("HTT", "HTT"))}
YEAR = {"H": "HTT", "X": "HTXS", "Y": "HTT", "Z": "HTT", "K": "KHT", "Q": "HTT", "P": "HTT",
        **dict.fromkeys(("A1", "A2", "A3", "A4"), "HTT")}


def _row(sid: str, pct: float, quarter: str) -> dict[str, object]:
    row: dict[str, object] = {"staff_id": sid, "full_name": f"Người {sid}", "unit_id": "HQ1",
                              "period": quarter, "category": "cong_chuc"}
    full = CQ.full_marks(manages_others=sid == "H")
    row.update({k: full[k] for k in GENERAL})
    row.update(so_luong=pct, chat_luong=pct, tien_do=pct)
    if sid == "H":
        row.update(manages_others=True, to_chuc_trien_khai=100, tap_hop_doan_ket=100)
    return row


def _units(quarter: str) -> pd.DataFrame:
    return pd.DataFrame([{"unit_id": "HQ1", "name": "Đội Thủ tục", "head_id": "H",
                          "tasks_assigned": 10, "tasks_done": 10, "tasks_on_time": 10,
                          "period": quarter}])  # fmt: skip


def _frame(q: int) -> pd.DataFrame:
    return pd.DataFrame([_row(s, pcts[q], f"2026-Q{q + 3}") for s, pcts in PLAN.items()])


def _grades(frame: pd.DataFrame, col: str = "grade") -> dict[str, str]:
    return dict(zip(frame["staff_id"], frame[col], strict=True))


def test_the_rule_of_periods_archived() -> None:
    """A month always; a quarter under a quarterly set only; never a year."""
    nd = evalkit.rules.get("vn.nd335-2025")
    assert period_refusal(Period.parse("2026-09"), CQ) is None
    assert period_refusal(Period.parse("2026-09"), nd) is None
    assert period_refusal(Period.parse("2026-Q3"), CQ) is None
    said = period_refusal(Period.parse("2026-Q3"), nd)
    assert said is not None and "vn.nd335-2025" in str(said) and "quarter" in str(said)
    assert period_refusal(Period.parse("2026"), CQ) is not None


def test_frames_finalize_quarters_and_count_the_year(tmp_path: Path) -> None:
    staff, unit_results = {}, {}
    for q in (0, 1):
        quarter = f"2026-Q{q + 3}"
        inputs = _frame(q)
        out, units = classify_frame(inputs, _units(quarter), CQ)
        # as `evalkit classify` writes them: the inputs, then the engine's columns
        results = pd.concat([inputs, out[[c for c in out.columns if c not in inputs]]], axis=1)
        assert _grades(results) == {s: g[q] for s, g in QUARTERS.items()}
        assert results.set_index("staff_id").loc["X", "total"] == pytest.approx(100.0)
        assert results.set_index("staff_id").loc["Z", "total"] == pytest.approx(58.0)
        assert check_month_results(results, rules=CQ) == []
        with Archive(tmp_path / "a.sqlite") as arc:
            arc.finalize(results, by="TCCB", units=units, unit_inputs=_units(quarter))
        staff[q], unit_results[q] = results, units
    with Archive(tmp_path / "a.sqlite") as arc:
        assert [str(m.period) for m in arc.months()] == ["2026-Q3", "2026-Q4"]
        year = arc.annual(2026)
    assert _grades(year, "annual_grade") == YEAR
    both = pd.concat([staff[0], staff[1]], ignore_index=True)
    units_both = pd.concat([unit_results[0], unit_results[1]], ignore_index=True)
    assert _grades(classify_year(both, units_both, CQ), "annual_grade") == YEAR
    # the objects' roll-up counts the same quarters (no head cap or quota at stake here)
    objects = rollup(results_from_frame(both), CQ)
    assert {r.staff_id: r.grade.code for r in objects if r.grade is not None} == YEAR


def test_a_quarter_under_a_monthly_rule_set_is_refused_on_its_rows() -> None:
    frame = pd.DataFrame({"staff_id": ["A", "B"], "period": ["2026-Q3", "2026-09"],
                          "rule_set": "vn.nd335-2025", "total": [91.0, 85.0],
                          "grade": ["HTXS", "HTT"]})  # fmt: skip
    got = check_results(frame, period=None)
    assert [(p.row, p.column, p.value) for p in got] == [(0, "period", "2026-Q3")]
    assert "scores months, not quarters" in got[0].message
    with pytest.raises(InputError) as caught:
        Archive(":memory:").finalize(frame.iloc[:1], by="TCCB")
    assert [p.value for p in caught.value.problems] == ["2026-Q3"]


def _workbook(tmp_path: Path, q: int) -> Path:
    quarter = f"2026-Q{q + 3}"
    book = tmp_path / f"q{q + 3}.xlsx"
    assert run("template", "--rules", CQ.id, "--period", quarter, str(book))[0] == 0
    wb = openpyxl.load_workbook(book)
    rows = [{("competent__" + k if k in CQ.full_marks(manages_others=True) else k): v
             for k, v in r.items()} for r in _frame(q).to_dict(orient="records")]
    for r in rows:
        r["manages_others"] = "x" if r.get("manages_others") is True else None
    for sheet, data in ((SCORES_SHEET, rows),
                        (UNITS_SHEET, _units(quarter).drop(columns="period").to_dict("records"))):
        ws = wb[sheet]
        ids = [str(c.value).rsplit("[", 1)[-1].rstrip("]") for c in ws[1]]
        for i, record in enumerate(data, start=2):
            for key, value in record.items():
                if value is not None and not (isinstance(value, float) and pd.isna(value)):
                    ws.cell(i, ids.index(key) + 1, value)
    wb.save(book)
    return book


def test_the_command_line_renders_finalizes_and_counts_quarters(tmp_path: Path) -> None:
    q3, q4 = _workbook(tmp_path, 0), _workbook(tmp_path, 1)
    out3 = tmp_path / "q3.json"
    assert run("classify", str(q3), "--out", str(out3))[0] == 0
    assert _grades(read_results(out3)) == {s: g[0] for s, g in QUARTERS.items()}
    # a quarter's results are rendered as they are, as its workbook is
    code, out, err = run("render", str(out3), "--out", str(tmp_path / "r"))
    assert code == 0, (out, err)
    code, out, err = run("render", str(out3), "--period", "2026-Q3", "--out", str(tmp_path / "p"))
    assert code == 0, (out, err)
    sheets = sorted(p.name for p in (tmp_path / "r").glob("*.pdf"))
    assert len(sheets) == len(PLAN) and sheets == sorted(p.name for p in
                                                         (tmp_path / "p").glob("*.pdf"))
    arc = tmp_path / "a.sqlite"
    assert run("finalize", str(out3), "--archive", str(arc), "--by", "TCCB")[0] == 0
    assert run("finalize", str(q4), "--archive", str(arc), "--by", "TCCB")[0] == 0
    table = tmp_path / "y.csv"
    code, out, err = run("annual", "--year", "2026", "--archive", str(arc), "--out", str(table))
    assert code == 0, (out, err)
    year = pd.read_csv(table, dtype={"staff_id": str})
    assert _grades(year, "annual_grade") == YEAR


def test_a_quarter_and_its_months_are_never_both_archived(tmp_path: Path) -> None:
    """Archived twice, the months and their quarter would count twice in the year: the
    second is refused, naming the period already archived (objects and command line)."""
    from evalkit.io.archive import MonthAlreadyFinalizedError
    from tests._archive_helpers import plain_month

    arc = tmp_path / "a.sqlite"
    with Archive(arc) as a:
        a.finalize(plain_month("2026-08", rs=CQ), by="TCCB")
        with pytest.raises(MonthAlreadyFinalizedError, match="2026-Q3 overlaps 2026-08"):
            a.finalize(plain_month("2026-Q3", rs=CQ), by="TCCB")
        a.finalize(plain_month("2026-Q4", rs=CQ), by="TCCB")
        with pytest.raises(MonthAlreadyFinalizedError, match="2026-12 overlaps 2026-Q4"):
            a.finalize(plain_month("2026-12", rs=CQ), by="TCCB")
        assert [str(m.period) for m in a.months()] == ["2026-08", "2026-Q4"]
    results = plain_month("2026-11", rs=CQ)
    results.attrs["rule_set"] = CQ.id
    path = tmp_path / "m.json"
    path.write_text(json.dumps(results_document(results), ensure_ascii=False), encoding="utf-8")
    code, out, err = run("finalize", str(path), "--archive", str(arc), "--by", "TCCB")
    assert code == 1
    assert "kỳ 2026-11 trùng với kỳ 2026-Q4 đã được chốt" in out + err
