"""A unit of công chức and viên chức whose months come as two files each (one per staff
group, as a month CSV mixing both categories is refused without --rules): `evalkit render
--period 2026` runs each month's files through one engine run, as `classify` does, so the
unit has one row per month, and the year's sheets print the grades of
:func:`evalkit.units.classify_year` over the same months — before, the unit appeared
once per file and the year was refused."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit.io.jsonio import to_json
from evalkit.units import classify_frame, classify_year
from tests._cli_helpers import ok

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

GENERAL = {"pham_chat_dao_duc": 5.0, "ky_luat_ky_cuong": 5.0} | dict.fromkeys(
    ("nang_luc_chuyen_mon", "dap_ung_nhiem_vu", "tinh_than_trach_nhiem", "phuc_vu_phoi_hop",
     "san_pham_dot_pha", "nhiem_vu_kho_khan", "chiu_trach_nhiem", "chu_dong_quyet_dinh"),
    2.5)  # fmt: skip  — 30 general points
GRADE_VI = {"HTXS": "Hoàn thành xuất sắc nhiệm vụ", "HTT": "Hoàn thành tốt nhiệm vụ",
            "HT": "Hoàn thành nhiệm vụ", "KHT": "Không hoàn thành nhiệm vụ"}  # fmt: skip
# so_luong 100 → 100 points (HTXS); 40 → 30 + 80 × 0.7 = 86 (HTT)
PEOPLE = {**{f"C{i:02d}": ("cong_chuc", 100 if i <= 4 else 40) for i in range(1, 11)},
          **{f"V{i}": ("vien_chuc", 100 if i <= 3 else 40) for i in range(1, 7)}}  # fmt: skip


def _month(period: str, category: str) -> pd.DataFrame:
    return pd.DataFrame([{"staff_id": sid, "unit_id": "U", "period": period,
                          "category": cat, **GENERAL, "so_luong": q, "chat_luong": 100,
                          "tien_do": 100}
                         for sid, (cat, q) in PEOPLE.items() if cat == category])  # fmt: skip


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    tmp = tmp_path_factory.mktemp("mixed")
    org = evalkit.Organisation(
        units=[evalkit.Unit("U", "Phòng Hỗn hợp")],
        positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff(sid, f"Người {sid}", "CV", "U", category=cat)
               for sid, (cat, _) in PEOPLE.items()])  # fmt: skip
    (tmp / "org.json").write_text(to_json(org), encoding="utf-8")
    files, months = [], []
    for period in ("2026-07", "2026-08"):
        parts = [_month(period, cat) for cat in ("cong_chuc", "vien_chuc")]
        for cat, part in zip(("co", "vi"), parts, strict=True):
            files.append(tmp / f"{period}_{cat}.csv")
            part.to_csv(files[-1], index=False)
        months.append(pd.concat(parts, ignore_index=True))
    ok("render", *map(str, files), "--period", "2026", "--org", str(tmp / "org.json"),
       "--out", str(tmp / "out"))  # fmt: skip
    # the Python path over the same months: each month one engine run, then the year
    staff, units = zip(*(classify_frame(m, pd.DataFrame({"unit_id": ["U"], "name": ["x"]}))
                         for m in months), strict=True)  # fmt: skip
    year = classify_year(pd.concat(staff, ignore_index=True), pd.concat(units, ignore_index=True))
    return tmp / "out", year


def _text(pdf: Path) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).replace("\xa0", " ")


def test_one_unit_summary_and_a_sheet_per_person(run: tuple[Path, pd.DataFrame]) -> None:
    out, _ = run
    assert [p.name for p in (out / "units").iterdir()] == ["2026_U.pdf"]
    assert len(list(out.glob("*.pdf"))) == len(PEOPLE)


def test_each_sheet_prints_the_years_grade_of_the_python_path(
    run: tuple[Path, pd.DataFrame],
) -> None:
    out, year = run
    want = dict(zip(year["staff_id"], year["grade"].astype(str), strict=True))
    # by hand: công chức 6 HTT → 20 % = 1 HTXS of 4; viên chức 3 HTT → 0 of 3 (floor)
    assert sorted(want.values()).count("HTXS") == 1
    for sid in PEOPLE:
        (pdf,) = out.glob(f"2026_U_{sid}_*.pdf")
        got = re.findall(r"Xếp loại chất lượng: (.+)", _text(pdf))
        assert got and {g.strip() for g in got} == {GRADE_VI[want[sid]]}, sid
