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
#: A viên chức's 30 under NĐ 233/2026: Phụ lục I's items (c: 4 + 3 + 3, no nhiem_vu_kho_khan).
GENERAL_VC = {k: v for k, v in GENERAL.items() if k != "nhiem_vu_kho_khan"} | {
    "san_pham_dot_pha": 4.0, "chiu_trach_nhiem": 3.0, "chu_dong_quyet_dinh": 3.0}
GRADE_VI = {"HTXS": "Hoàn thành xuất sắc nhiệm vụ", "HTT": "Hoàn thành tốt nhiệm vụ",
            "HT": "Hoàn thành nhiệm vụ", "KHT": "Không hoàn thành nhiệm vụ"}  # fmt: skip
# so_luong 100 → 100 points (HTXS); 40 → 30 + 80 × 0.7 = 86 (HTT)
PEOPLE = {**{f"C{i:02d}": ("cong_chuc", 100 if i <= 4 else 40) for i in range(1, 11)},
          **{f"V{i}": ("vien_chuc", 100 if i <= 3 else 40) for i in range(1, 7)}}  # fmt: skip


def _month(period: str, category: str) -> pd.DataFrame:
    general = GENERAL_VC if category == "vien_chuc" else GENERAL
    return pd.DataFrame([{"staff_id": sid, "unit_id": "U", "period": period,
                          "category": cat, **general, "so_luong": q, "chat_luong": 100,
                          "tien_do": 100}
                         for sid, (cat, q) in PEOPLE.items() if cat == category])  # fmt: skip


def write_org(path: Path) -> Path:
    """The organisation file of :data:`PEOPLE`: one unit, each person with their category."""
    org = evalkit.Organisation(
        units=[evalkit.Unit("U", "Phòng Hỗn hợp")],
        positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff(sid, f"Người {sid}", "CV", "U", category=cat)
               for sid, (cat, _) in PEOPLE.items()])  # fmt: skip
    path.write_text(to_json(org), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    tmp = tmp_path_factory.mktemp("mixed")
    write_org(tmp / "org.json")
    files, months = [], []
    # July to December: six months, so the viên chức (NĐ 233 from July) are classified —
    # fewer than 6 months worked in the year is not (NĐ 233/2026 Điều 14 k1)
    for period in [f"2026-{m:02d}" for m in range(7, 13)]:
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


def test_one_mixed_month_csv_is_classified_per_person(tmp_path: Path) -> None:
    """Item C of issue 13: one CSV of 2026-08 holding công chức (NĐ 335/2025) and viên chức
    (NĐ 233/2026, in force for them from 2026-07) given to `evalkit classify` and `evalkit
    validate` without --rules: each person under the set in force for their group (the rule
    set follows the person), a viên chức's 0 under NĐ 335's count of errors read as its
    blank — the results of :func:`classify_frame` on the same rows read by pandas (grades,
    totals, reason codes), where a count under a viên chức is still refused."""
    import json

    from tests._cli_helpers import run

    org = evalkit.Organisation(
        units=[evalkit.Unit("U", "Phòng Hỗn hợp")],
        positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff(sid, f"Người {sid}", "CV", "U", category=cat)
               for sid, (cat, _) in PEOPLE.items()])  # fmt: skip
    (tmp_path / "org.json").write_text(to_json(org), encoding="utf-8")
    month = pd.concat([_month("2026-08", c) for c in ("cong_chuc", "vien_chuc")],
                      ignore_index=True)  # fmt: skip
    vc = month["category"] == "vien_chuc"
    month["loi_chat_luong"] = pd.Series(0, index=month.index).where(vc | (month.index < 2))
    month.loc[1, "loi_chat_luong"] = 1  # C02: one major error (NĐ 335 Điều 14 k2 b)
    path = tmp_path / "2026-08.csv"
    month.sample(frac=1.0, random_state=3).to_csv(path, index=False)  # the groups interleaved
    units = pd.DataFrame({"unit_id": ["U"], "parent_id": [None], "head_id": [None],
                          "staff_total": [len(PEOPLE)]})  # fmt: skip
    want, _ = classify_frame(pd.read_csv(path), units)
    assert set(want["rule_set"]) == {"vn.nd335-2025", "vn.nd233-2026"}
    code, out, err = run("validate", str(path), "--org", str(tmp_path / "org.json"), "--json")
    assert code == 0 and json.loads(out)["ok"], (out, err)
    code, out, err = run("classify", str(path), "--org", str(tmp_path / "org.json"), "--out",
                         str(tmp_path / "r.json"))  # fmt: skip
    assert code == 0, (out, err)
    got = evalkit.io.results.read_results(tmp_path / "r.json")
    cols = ["staff_id", "rule_set", "total", "grade", "reasons"]
    key = lambda f: f[cols].sort_values("staff_id").reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(key(got).astype(object), key(want).astype(object))
    assert got.set_index("staff_id").loc["C02", "total"] < got.set_index("staff_id").loc[
        "C03", "total"]  # the error counted where the set has it
    month.loc[vc.idxmax(), "loi_chat_luong"] = 2  # a viên chức's count: no input of NĐ 233
    month.to_csv(path, index=False)
    for cmd in ("validate", "classify"):
        code, out, err = run(cmd, str(path), "--org", str(tmp_path / "org.json"))
        assert code == 1 and "loi_chat_luong" in err, (cmd, out, err)
