"""A customs year in the archive (CV 21169/CHQ-TCCB from Q3/2026; domain.md §4.4): the NĐ 335
months of January to June beside the archived quarters Q3 and Q4, or the year as months.
Every door reads the quarters the year counts — the unit's annual grade weighs a quarter as
its three months, `render --period`/`annual --pdf` read the archived quarters and print the
quarters counted, `amend` corrects a quarter, the gap notice counts a quarter's months
(audit 22)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit.rules
from evalkit.io.archive import Archive
from evalkit.units import classify_frame, classify_year
from tests._cli_helpers import run
from tests.test_transition_year_doors import COUNTS, PERIODS, YEAR
from tests.test_transition_year_doors import _period as transition_period

ND = evalkit.rules.get("vn.nd335-2025")
CQ = evalkit.rules.get("vn.customs-2026q")
GRADE_VI = {"HTXS": "Hoàn thành xuất sắc nhiệm vụ", "HTT": "Hoàn thành tốt nhiệm vụ",
            "HT": "Hoàn thành nhiệm vụ", "KHT": "Không hoàn thành nhiệm vụ"}


def _archive(path: Path, periods: list[Any]) -> Path:
    with Archive(path) as a:
        for results, unit_results, inputs in periods:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
    return path


@pytest.fixture(scope="module")
def transition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = [transition_period(p) for p in PERIODS]
    return _archive(tmp_path_factory.mktemp("t") / "a.sqlite", made)


def _head_period(per: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Unit HQ1, head H at full marks (d computed: 100), ten staff at 70 % (79, HTT). The
    unit does 8 of 10 tasks each NĐ 335 month (80) and 30 of 30 in each customs quarter
    (100)."""
    rs = CQ if "Q" in per else ND
    rows = []
    for sid in ["H", *(f"S{i}" for i in range(10))]:
        row: dict[str, Any] = {"staff_id": sid, "full_name": f"Người {sid}", "unit_id": "HQ1",
                               "period": per, "category": "cong_chuc",
                               **rs.full_marks(manages_others=sid == "H")}
        if sid == "H":
            row.pop("ket_qua_linh_vuc")
            row["manages_others"] = True
        else:
            row.update(dict.fromkeys(("so_luong", "chat_luong", "tien_do"), 70))
        rows.append(row)
    inputs = pd.DataFrame(rows)
    n = 30.0 if rs is CQ else 10.0
    units = pd.DataFrame({"unit_id": ["HQ1"], "name": ["Đội 1"], "head_id": ["H"],
                          "tasks_assigned": [n], "tasks_done": [n if rs is CQ else 8.0],
                          "period": [per]})  # fmt: skip
    out, unit_results = classify_frame(inputs, units, rs)
    results = pd.concat([inputs, out[[c for c in out.columns if c not in inputs]]], axis=1)
    return results, unit_results, units


def test_the_units_year_weighs_a_quarter_as_its_three_months(tmp_path: Path) -> None:
    """By hand: the unit scores 80 in each of the six NĐ 335 months and 100 in each customs
    quarter; over the year's twelve months (6 × 80 + 6 × 100) / 12 = 90 → HTXS (customs:
    excellent from 90), so its head H — 100 in every period, four HTXS quarters — is not
    capped for the year. Counting each quarter as one month, (6 × 80 + 2 × 100) / 8 = 85
    would grade the unit HTT and cap the head."""
    made = [_head_period(p) for p in PERIODS]
    units = pd.concat([m[1] for m in made], ignore_index=True)
    months = [1 if "Q" not in p else 3 for p in units["period"]]
    by_hand = sum(s * m for s, m in zip(units["score"], months, strict=True)) / sum(months)
    assert by_hand == pytest.approx(90.0)
    staff = pd.concat([m[0] for m in made], ignore_index=True)
    year = classify_year(staff, units).set_index("staff_id")
    assert year.loc["H", ["count_xs", "unit_grade", "grade"]].tolist() == [4, "HTXS", "HTXS"]
    with Archive(tmp_path / "a.sqlite") as a:
        for results, unit_results, inputs in made:
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs)
        annual = a.annual(2026).set_index("staff_id")
    assert annual.loc["H", ["unit_grade", "annual_grade"]].tolist() == ["HTXS", "HTXS"]


def _sheet_text(pdf: Path) -> str:
    pypdf = pytest.importorskip("pypdf")
    return " ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).replace("\xa0", " ")


def _quarter_rows(text: str) -> dict[str, str]:
    """Each quarter's grade as the sheet's table prints it (Quý n/2026 [total] grade)."""
    words = "|".join([*sorted(GRADE_VI.values(), key=len, reverse=True), "Chưa đánh giá"])
    return {f"2026-Q{m[0]}": m[1] for m in re.findall(
        rf"Quý (\d)/2026\s+(?:[\d,]+\s+)?({words})", text)}  # fmt: skip


def test_the_annual_sheets_read_the_archived_quarters(transition: Path, tmp_path: Path) -> None:
    """`annual --pdf` (= `render --period 2026 --archive`) prints the year the table gives
    and the four quarters it counted — Q1, Q2 from the NĐ 335 months, Q3, Q4 archived —
    never a year of the six months alone (NĐ 335's average, "6/12 tháng")."""
    pytest.importorskip("weasyprint")
    code, out, err = run("annual", "--year", "2026", "--archive", str(transition),
                         "--out", str(tmp_path / "y.csv"), "--pdf", str(tmp_path / "nam"))  # fmt: skip
    assert code == 0, (out, err)
    assert "thiếu" not in err  # the months of Q3 and Q4 are read through their quarters
    for sid, grade in YEAR.items():
        (pdf,) = (tmp_path / "nam").glob(f"2026_*_{sid}_*.pdf")
        text = _sheet_text(pdf)
        assert f"Xếp loại chất lượng: {GRADE_VI[grade]}" in text, sid
        assert "Số quý được đánh giá: 4/4" in text, sid
        if sid in COUNTS:
            shown = list(_quarter_rows(text).values())
            xs, ht, kht = COUNTS[sid]
            assert (shown.count(GRADE_VI["HTXS"]), shown.count(GRADE_VI["HT"]),
                    shown.count(GRADE_VI["KHT"])) == (xs, ht, kht), (sid, shown)  # fmt: skip
    # B's Q3 is printed as concluded (HT), not by its band (HTXS)
    (b,) = (tmp_path / "nam").glob("2026_*_B_*.pdf")
    assert _quarter_rows(_sheet_text(b))["2026-Q3"] == GRADE_VI["HT"]


def test_a_quarters_archive_renders_its_year_and_its_quarter(tmp_path: Path) -> None:
    """An archive holding only the customs quarters Q3 and Q4: the year's sheets and a
    quarter's sheets are rendered from it (they were refused: "no month's results")."""
    pytest.importorskip("weasyprint")
    arc = _archive(tmp_path / "q.sqlite", [transition_period(p) for p in PERIODS[-2:]])
    with Archive(arc) as a:
        q3 = a.month("2026-Q3")
    for period, out in (("2026", "nam"), ("2026-Q3", "q3")):
        code, stdout, err = run("render", "--period", period, "--archive", str(arc),
                                "--out", str(tmp_path / out))  # fmt: skip
        assert code == 0, (period, stdout, err)
        assert len(list((tmp_path / out).glob("*.pdf"))) == len(YEAR)
        assert len(list((tmp_path / out / "units").glob("*.pdf"))) == 1
    for sid, grade in zip(q3["staff_id"], q3["grade"], strict=True):
        (pdf,) = (tmp_path / "q3").glob(f"2026-Q3_*_{sid}_*.pdf")
        assert f"Xếp loại chất lượng: {GRADE_VI[grade]}" in _sheet_text(pdf), sid


def test_the_customs_months_sheet_shows_the_quarters_counted(tmp_path: Path) -> None:
    """A customs year archived as months: the annual sheet's table shows each quarter as the
    year counted it (tests/test_customs_year_from_months: X2 HTXS in Q3, demoted to HTT in
    Q4 by the quarter's quota), two quarters evaluated of four — not four quarters "Chưa
    đánh giá" beside "6/4"."""
    pytest.importorskip("weasyprint")
    from tests.test_customs_year_from_months import MONTHS, QUARTERS
    from tests.test_customs_year_from_months import _month as customs_month

    arc = _archive(tmp_path / "m.sqlite", [customs_month(p) for p in MONTHS])
    code, out, err = run("render", "--period", "2026", "--archive", str(arc), "--out",
                         str(tmp_path / "nam"))  # fmt: skip
    assert code == 0, (out, err)
    for sid, (q3, q4) in QUARTERS.items():
        (pdf,) = (tmp_path / "nam").glob(f"2026_*_{sid}_*.pdf")
        text = _sheet_text(pdf)
        assert "Số quý được đánh giá: 2/4" in text, sid
        assert _quarter_rows(text) == {"2026-Q1": "Chưa đánh giá", "2026-Q2": "Chưa đánh giá",
                                       "2026-Q3": GRADE_VI[q3], "2026-Q4": GRADE_VI[q4]}, sid


def test_a_quarter_is_amended_from_the_command_line(transition: Path, tmp_path: Path) -> None:
    """`evalkit amend --period 2026-Q3` corrects a customs quarter as Archive.amend does
    (it was refused as "not a month"). By hand: C's a 40 → 100 with b = c = 40 and the
    general criteria full: 30 + (100 + 40 + 40) / 3 × 0.7 = 72 (HTT)."""
    import shutil

    arc = tmp_path / "a.sqlite"
    shutil.copy(transition, arc)
    code, out, err = run("amend", "--archive", str(arc), "--period", "2026-Q3", "--staff", "C",
                         "--set", "so_luong=100", "--by", "TCCB", "--why", "Nhập sai")  # fmt: skip
    assert code == 0, (out, err)
    with Archive(arc) as a:
        c = a.month("2026-Q3").set_index("staff_id").loc["C"]
        assert (float(c["total"]), c["grade"]) == (pytest.approx(72.0), "HTT")
        assert [h.new for h in a.history("2026-Q3", "C")] == [{"so_luong": 100.0}]


def test_the_gap_notice_counts_a_quarters_months(transition: Path, tmp_path: Path) -> None:
    """Months April to June and the quarters Q3, Q4 archived: the notice names the months
    read (the quarters standing for theirs) and the three missing, never July to December."""
    made = [transition_period(p) for p in PERIODS[3:]]
    arc = _archive(tmp_path / "g.sqlite", made)
    code, out, err = run("annual", "--year", "2026", "--archive", str(arc))
    assert code == 0, (out, err)
    assert ("năm 2026: đã đọc 9 tháng đã chốt (2026-04, 2026-05, 2026-06, 2026-Q3, 2026-Q4); "
            "thiếu 3 tháng: 2026-01, 2026-02, 2026-03") in err


def test_the_customs_set_named_for_the_transition_year(transition: Path, tmp_path: Path) -> None:
    """The customs set named for the year (in force at its end) gives the year the set that
    follows the person gives (docs/periods.md): the NĐ 335 months of January to June make Q1
    and Q2 under NĐ 335, as when the set follows the person — they were refused as "not in
    force in 2026-Q1, 2026-Q2", quarters nobody named."""
    made = [transition_period(p) for p in PERIODS]
    staff = pd.concat([m[0] for m in made], ignore_index=True)
    units = pd.concat([m[1] for m in made], ignore_index=True)
    for named in (CQ, CQ.id):
        year = classify_year(staff, units, named)
        assert dict(zip(year["staff_id"], year["grade"].astype(str), strict=True)) == YEAR
    with Archive(transition) as a:
        annual = a.annual(2026, rules=CQ.id)
    assert dict(zip(annual["staff_id"], annual["annual_grade"], strict=True)) == YEAR
    table = tmp_path / "y.csv"
    code, out, err = run("annual", "--year", "2026", "--archive", str(transition),
                         "--rules", CQ.id, "--out", str(table))  # fmt: skip
    assert code == 0, (out, err)
    cli = pd.read_csv(table, dtype={"staff_id": str})
    assert dict(zip(cli["staff_id"], cli["annual_grade"], strict=True)) == YEAR
    pytest.importorskip("weasyprint")
    code, out, err = run("render", "--period", "2026", "--archive", str(transition), "--rules",
                         CQ.id, "--out", str(tmp_path / "nam"))  # fmt: skip
    assert code == 0, (out, err)
    (d,) = (tmp_path / "nam").glob("2026_*_D_*.pdf")
    assert list(_quarter_rows(_sheet_text(d)).values()).count(GRADE_VI["KHT"]) == 3


def test_the_year_sheet_says_an_amended_quarter(transition: Path, tmp_path: Path) -> None:
    """A customs year (by quarters) amended in its archived Q3: the year sheet says the
    quarter as "Quý 3/2026" (never "Quý Quý"), with who, why and what changed."""
    import shutil

    arc = tmp_path / "a.sqlite"
    shutil.copy(transition, arc)
    code, out, err = run("amend", "--archive", str(arc), "--period", "2026-Q3", "--staff", "C",
                         "--set", "so_luong=100", "--by", "TCCB", "--why", "Nhập sai")  # fmt: skip
    assert code == 0, (out, err)
    code, _, err = run("render", "--period", "2026", "--archive", str(arc), "--out",
                       str(tmp_path / "nam"))  # fmt: skip
    assert code == 0, err
    (pdf,) = (tmp_path / "nam").glob("2026_*_C_*.pdf")
    text = re.sub(r"\s+", " ", _sheet_text(pdf))
    block = text[text.index("Điều chỉnh sau khi chốt ("):text.index("D. CĂN CỨ")]
    assert "(Quý 3/2026)" in block and "Quý Quý" not in block, block
    assert "TCCB" in block and "Nhập sai" in block and "40% → 100%" in block, block


def _block(text: str) -> str:
    """The sheet's words of its amendments (Điều chỉnh sau khi chốt ... D. CĂN CỨ)."""
    text = re.sub(r"\s+", " ", text)
    return text[text.index("Điều chỉnh sau khi chốt ("):text.index("D. CĂN CỨ")]


def _amend_february(arc: Path) -> None:
    code, out, err = run("amend", "--archive", str(arc), "--period", "2026-02", "--staff", "C",
                         "--set", "so_luong=70", "--by", "TCCB", "--why", "Nhập sai")  # fmt: skip
    assert code == 0, (out, err)


def test_the_year_sheet_says_an_amended_month_a_quarter_counts(
        transition: Path, tmp_path: Path) -> None:  # fmt: skip
    """A customs year counting Q1 from the NĐ 335 months January to March: C's February
    amended after finalisation (a 40 → 70 %) is said on C's year sheet, at every door —
    `annual --pdf`, `render --period 2026` and period_sheets_from_results of
    workflow.counted_periods — with the words a monthly-scheme year (the same months under
    NĐ 335 alone) says it with; it was dropped with the months the quarter stands for. The
    rest of the sheet is the year's as it was."""
    import shutil

    from evalkit import workflow
    from evalkit.render import period_sheets_from_results, render_period_html

    pytest.importorskip("weasyprint")
    arc = tmp_path / "a.sqlite"
    shutil.copy(transition, arc)
    _amend_february(arc)
    said: list[str] = []
    for args in (("annual", "--year", "2026", "--archive", str(arc), "--out",
                  str(tmp_path / "y.csv"), "--pdf"),
                 ("render", "--period", "2026", "--archive", str(arc), "--out")):  # fmt: skip
        out = tmp_path / args[0]
        code, stdout, err = run(*args, str(out))
        assert code == 0, (args, stdout, err)
        (pdf,) = out.glob("2026_*_C_*.pdf")
        text = _sheet_text(pdf)
        said.append(_block(text))
        assert "Số quý được đánh giá: 4/4" in text and "Quý 1/2026" in text, args
        assert "Điều chỉnh sau khi chốt" not in _sheet_text(next(out.glob("2026_*_D_*.pdf")))
    assert said[0] == said[1]
    block = said[0]
    assert "02/2026" in block and "TCCB" in block and "Nhập sai" in block, block
    assert "40% → 70%" in block and "Quý" not in block, block
    # a monthly-scheme year: the NĐ 335 months January to June alone, February amended
    nd = _archive(tmp_path / "nd.sqlite", [transition_period(p) for p in PERIODS[:6]])
    _amend_february(nd)
    code, stdout, err = run("render", "--period", "2026", "--archive", str(nd), "--out",
                            str(tmp_path / "nd"))  # fmt: skip
    assert code == 0, (stdout, err)
    (pdf,) = (tmp_path / "nd").glob("2026_*_C_*.pdf")
    assert _block(_sheet_text(pdf)) == block
    # the Python door, from the counted periods; nothing but the amendment differs from
    # the sheet of the same periods without their amendments
    with Archive(arc) as a:
        read = [a.month_and_units(p) for p in PERIODS]
    months = pd.concat([m for m, _ in read], ignore_index=True)
    units = pd.concat([u for _, u in read], ignore_index=True)
    year = classify_year(months, units)
    assert dict(zip(year["staff_id"], year["grade"].astype(str), strict=True)) == YEAR

    def html(frame: pd.DataFrame) -> str:
        (c,) = [s for s in period_sheets_from_results(
            year, workflow.counted_periods(frame, units)) if s.staff.id == "C"]  # fmt: skip
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", render_period_html(c)))

    amended, plain = html(months), html(months.drop(columns="amendments"))
    assert "Điều chỉnh sau khi chốt (" in amended and "Điều chỉnh sau khi chốt" not in plain
    start, end = amended.index("Điều chỉnh sau khi chốt ("), amended.index("A. CÁ NHÂN")
    assert "40% → 70%" in amended[start:end]
    rest = amended[:start] + amended[end:]
    assert rest.replace(" Điều chỉnh sau khi chốt ", " ", 1) == plain


def test_carried_months_into_the_first_customs_quarter_are_refused_by_amend(
    transition: Path, tmp_path: Path
) -> None:
    """CV 21169/CHQ-TCCB evaluates quarters from Q3/2026: no quarter before 2026-Q3 was
    evaluated under it, so none carried months on (the preset's note; evalkit._columns.
    carried_most). `amend --set carried_months=1` on the archived 2026-Q3 is refused with
    the engine's sentence, the same in Python and on the command line, nothing recorded;
    into 2026-Q4 a carried month is an input like any other and is amended."""
    import shutil

    from evalkit.errors import InputError

    arc = tmp_path / "a.sqlite"
    shutil.copy(transition, arc)
    said = ("vn.customs-2026q evaluates quarters from 2026-07-01: no quarter of the year "
            "before 2026-Q3 was evaluated under it, so none carried months on; at most 0 "
            "months are carried in (CV 21169/CHQ-TCCB)")
    with Archive(arc) as a, pytest.raises(InputError) as exc:
        a.amend("2026-Q3", "C", {"carried_months": 1}, by="TCCB", why="x")
    (found,) = exc.value.problems
    assert (found.column, found.message) == ("carried_months", said)
    code, out, err = run("--lang", "en", "amend", "--archive", str(arc), "--period", "2026-Q3",
                         "--staff", "C", "--set", "carried_months=1", "--by", "TCCB", "--why",
                         "x")  # fmt: skip
    assert code == 1 and said in err, (out, err)
    with Archive(arc) as a:
        assert a.history("2026-Q3", "C") == []
        done = a.amend("2026-Q4", "C", {"carried_months": 1}, by="TCCB", why="x")
    assert done.new == {"carried_months": 1}
