"""A quarter rendered from its three months: the unit summary is signed by the unit's head, as
each month's is, and the quarterly sheet names the quarter (QUÝ n/yyyy), never the year."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from pypdf import PdfReader

from evalkit import workflow
from evalkit.io.results import results_document
from evalkit.units import classify_year
from tests._archive_helpers import classified
from tests._cli_helpers import run

# NĐ 335: 30 + (a + b + c)/3 × 70% with the general criteria at their full 30; the quarter
# is the months' mean: B 86, 79, 72 → 79; C 72, 65, 58 → 65. A heads the unit, a management
# post (Điều 15): 30 + (a + b + c + d + đ + e)/6 × 70% with đ = e = 100 typed and d = 100
# (B and C score 50 or more): 100, 96.5, 93 → 96.5
PCTS = {"2026-01": (100, 80, 60), "2026-02": (90, 70, 50), "2026-03": (80, 60, 40)}
QUARTER = {"A": 96.5, "B": 79.0, "C": 65.0}


def _months() -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    return [classified(per, dict(zip("ABC", p, strict=True)), head="A")
            for per, p in PCTS.items()]  # fmt: skip


def _text(pdf: Path) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text)


def test_the_quarters_units_carry_their_head_without_a_grade() -> None:
    """A quarter's roll-up classifies no unit: the unit has a row naming its head (who signs
    the summary) and no grade; the year's unit rows keep their grade."""
    months = _months()
    staff = pd.concat([m[0] for m in months], ignore_index=True)
    units = pd.concat([m[1] for m in months], ignore_index=True)
    quarter = classify_year(staff, units, to="quarter")
    assert dict(zip(quarter["staff_id"], quarter["annual_total"], strict=True)) == QUARTER
    got = workflow.year_units(quarter)
    assert got.to_dict("records") == [{"unit_id": "U1", "period": "2026-Q1", "grade": None,
                                       "head_id": "A"}]  # fmt: skip
    no_head = workflow.year_units(quarter.assign(is_head=False))
    assert no_head.empty


def test_the_quarters_summary_is_signed_by_the_head_and_the_sheet_names_the_quarter(
        tmp_path: Path) -> None:  # fmt: skip
    files = []
    for (results, units, inputs), per in zip(_months(), PCTS, strict=True):
        results.attrs.update(units=units, unit_inputs=inputs, period=per)
        path = tmp_path / f"{per}.json"
        path.write_text(json.dumps(results_document(results), ensure_ascii=False),
                        encoding="utf-8")  # fmt: skip
        files.append(str(path))
    code, out, err = run("render", files[0], "--out", str(tmp_path / "m"))
    assert code == 0, (out, err)
    code, out, err = run("render", *files, "--period", "2026-Q1", "--out", str(tmp_path / "q"))
    assert code == 0, (out, err)
    (month,) = (tmp_path / "m" / "units").glob("*.pdf")
    (summary,) = (tmp_path / "q" / "units").glob("*.pdf")
    for text in (_text(month), _text(summary)):
        assert re.search(r"THỦ TRƯỞNG ĐƠN VỊ .*\(Ký tên, đóng dấu\) Người A\b", text), text
    text = _text(summary)
    assert "Người A 96,5 " in text and "Người B 79 " in text and "Người C 65 " in text
    assert "Kết quả của đơn vị" not in text  # a quarter classifies no unit
    sheets = sorted((tmp_path / "q").glob("*.pdf"))
    assert len(sheets) == 3
    for sheet in sheets:
        text = _text(sheet)
        assert "A. CÁ NHÂN TỰ NHẬN XÉT, ĐÁNH GIÁ QUÝ" in text  # the title says QUÝ 1/2026
        assert "PHIẾU THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC QUÝ 1/2026" in text
        assert "ĐÁNH GIÁ NĂM" not in text
    code, out, err = run("render", *files, "--period", "2026-Q1", "--out", str(tmp_path / "e"),
                         "--lang", "en")  # fmt: skip
    assert code == 0, (out, err)
    assert "A. SELF-ASSESSMENT OF Q1/2026" in _text(sorted((tmp_path / "e").glob("*.pdf"))[0])
