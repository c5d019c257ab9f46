"""Findings of the earlier hunts, fixed by af135: each door of a rule gives one answer."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.io.archive import Archive
from tests._archive_helpers import month_inputs
from tests._cli_helpers import ok


class TestArchiveBlankReasons:
    """The engine writes a row without a reason as ``""`` (``evalkit.scoring``: ``reasons``
    joins the codes, none is the empty text). The archive keeps that blank whichever door
    the month came through: results JSON by the CLI, a results CSV read back with pandas,
    or the frame in Python."""

    def _months(self, tmp_path: Path) -> dict[str, pd.DataFrame]:
        staff, _units = month_inputs("2026-03", {"A": 95, "B": 80, "C": 60})
        given = tmp_path / "vao.csv"
        staff.to_csv(given, index=False)
        as_json, as_csv = tmp_path / "kq.json", tmp_path / "kq.csv"
        ok("score", str(given), "--out", str(as_json))
        ok("score", str(given), "--out", str(as_csv))
        ok("finalize", str(as_json), "--archive", str(tmp_path / "j.sqlite"), "--by", "TCCB")
        read = pd.read_csv(as_csv, dtype={"staff_id": str}, encoding="utf-8-sig")
        assert read["reasons"].isna().all()  # the CSV's blank reads back as NaN
        with Archive(tmp_path / "c.sqlite") as arc:
            arc.finalize(read.drop(columns=["reasons_vi"]), by="TCCB")
        out: dict[str, pd.DataFrame] = {}
        for key in ("j", "c"):
            with Archive(tmp_path / f"{key}.sqlite") as arc:
                out[key] = arc.month("2026-03")
        return out

    def test_a_blank_reason_is_the_empty_text_through_every_door(self, tmp_path: Path) -> None:
        months = self._months(tmp_path)
        assert months["j"]["reasons"].tolist() == ["", "", ""]
        assert months["c"]["reasons"].tolist() == ["", "", ""]
        pd.testing.assert_frame_equal(months["c"], months["j"][months["c"].columns])


class TestClassifyFrameIndexIds:
    """``score_frame`` reads the staff ids from an index named ``staff_id`` (its problems
    name the row by that label); ``classify_frame`` takes the same frame, with the same
    results as when the ids are a column, the problems naming the same row label."""

    def test_ids_as_the_index_classify_as_ids_in_a_column(self) -> None:
        from evalkit.units import classify_frame

        staff, units = month_inputs("2026-03", {"A": 95, "B": 80, "C": 60}, head="A")
        as_column, unit_col = classify_frame(staff.set_index("staff_id", drop=False), units,
                                             "vn.nd335-2025", force=True)  # fmt: skip
        as_index, unit_idx = classify_frame(staff.set_index("staff_id"), units,
                                            "vn.nd335-2025", force=True)  # fmt: skip
        pd.testing.assert_frame_equal(as_index, as_column)
        pd.testing.assert_frame_equal(unit_idx, unit_col)
        # by hand (NĐ 335/2025 Điều 20 k1): C's tasks at 60% give 30 + 0.7·60 = 72 → HTT
        assert as_index.loc["C", "total"] == 72.0 and as_index.loc["C", "grade"] == "HTT"
        plain, _ = classify_frame(staff, units, "vn.nd335-2025", force=True)
        pd.testing.assert_frame_equal(as_index.reset_index(drop=True), plain)

    def test_a_problem_names_the_row_by_its_id_label(self) -> None:
        import pytest

        import evalkit
        from evalkit.errors import InputError
        from evalkit.units import classify_frame

        staff, units = month_inputs("2026-03", {"A": 95, "B": 80})
        staff.loc[1, "so_luong"] = 500.0  # above the component's maximum (100 %)
        framed = staff.set_index("staff_id")
        with pytest.raises(InputError) as scored:
            evalkit.score_frame(framed, "vn.nd335-2025", force=True)
        with pytest.raises(InputError) as classified:
            classify_frame(framed, units, "vn.nd335-2025", force=True)
        said = [(p.row, p.column, p.staff_id) for p in classified.value.problems]
        assert said == [(p.row, p.column, p.staff_id) for p in scored.value.problems]
        assert said == [("B", "so_luong", "B")]


class TestYearTreeWithoutMonthUnits:
    """tests/test_year_unit_tree.py's year (Sở SO ⊃ Trung tâm TT, a public service unit ⊃
    khoa K1–K3; every X 100 points, the rest 86: by hand there, NĐ 233/2026 Điều 7 k7 c and
    Điều 12 k6 b) with its months finalized without their units (``--no-classify``: the
    archive keeps no unit row, no unit input). The units' year graded by ``--unit-grades``
    (no tree) and the tree read from the organisation file (``--org``): each X reaches TT
    (HTXS) → 25 % × 4 = 1 → HTXS, as with the months' units archived."""

    @staticmethod
    def _archive(tmp_path: Path) -> Path:
        from evalkit.workflow import score_input
        from tests.test_year_unit_tree import MONTHS, _inputs

        staff, _units = _inputs()
        path = tmp_path / "luu-tru.sqlite"
        with Archive(path) as arc:
            for p in MONTHS:  # what `finalize --no-classify` archives: scored rows alone
                month = staff[staff["period"] == p].reset_index(drop=True)
                arc.finalize(score_input(month, rules="vn.nd233-2026"), by="TCCB")
            assert arc.db.execute("SELECT count(*) FROM unit_results").fetchone() == (0,)
            assert arc.db.execute("SELECT count(*) FROM unit_inputs").fetchone() == (0,)
        return path

    @staticmethod
    def _org(tmp_path: Path) -> Path:
        from evalkit.io.jsonio import write_json
        from tests.test_year_unit_tree import organisation

        return write_json(tmp_path / "to-chuc.json", organisation())

    def test_the_python_door_with_the_tree(self, tmp_path: Path) -> None:
        from tests.test_year_unit_tree import UNIT_YEAR, WANT, _got, _year_grades

        path = self._archive(tmp_path)
        grades = _year_grades().drop(columns="period")
        tree = pd.DataFrame({"unit_id": list(UNIT_YEAR), "parent_id": [None, "SO", "TT", "TT", "TT"],
                             "public_service_unit": [False, True, False, False, False]})
        with Archive(path) as arc:
            assert _got(arc.annual(2026, unit_year=grades, tree=tree), "annual_grade") == WANT

    def test_the_command_line_reads_the_tree_of_the_org_file(self, tmp_path: Path) -> None:
        from tests.test_year_unit_tree import UNIT_YEAR, WANT, _got

        path, org = self._archive(tmp_path), self._org(tmp_path)
        grades = tmp_path / "don-vi.csv"
        grades.write_text("unit_id,grade\n" + "".join(f"{u},{g}\n" for u, g in UNIT_YEAR.items()),
                          encoding="utf-8")
        out = tmp_path / "nam.csv"
        ok("annual", "--archive", str(path), "--year", "2026", "--unit-grades", str(grades),
           "--org", str(org), "--out", str(out))
        assert _got(pd.read_csv(out, dtype={"staff_id": str}), "annual_grade") == WANT


class TestUncoveredGroupOncePerWorkbook:
    """A large workbook is read in chunks of rows (``evalkit.io.workbook.CHUNK_ROWS``): the
    problem "the rule set does not cover this group" is one problem of the whole sheet,
    with its count and first rows, never one per chunk. Here chunks of 2 rows, and five
    viên chức (rows 2–6) typed on a công chức workbook (NĐ 335/2025 covers công chức only)."""

    @staticmethod
    def _org(tmp_path: Path) -> Path:
        from tests._cli_helpers import org_file

        people = "".join(f"C{i},Người C{i},CV,P,,cong_chuc\n" for i in range(1, 7))
        return org_file(tmp_path, "unit_id,name,parent_id,head_id\nP,Phòng P,,\n",
                        "position_id,title\nCV,Chuyên viên\n",
                        "staff_id,full_name,position_id,unit_id,manager_id,category\n" + people)

    @staticmethod
    def _said(path: Path) -> list[str]:
        from tests._cli_helpers import run

        code, _o, err = run("validate", str(path))
        assert code == 1, err
        return [x for x in err.splitlines() if "không áp dụng cho nhóm vien_chuc" in x]

    def test_a_workbook(self, tmp_path: Path, monkeypatch: Any) -> None:
        import openpyxl

        import evalkit.io.workbook as wbm

        org = self._org(tmp_path)
        tpl = tmp_path / "t.xlsx"
        ok("template", "--rules", "vn.nd335-2025", "--period", "2026-03", "--org", str(org),
           str(tpl))  # fmt: skip
        wb = openpyxl.load_workbook(tpl)
        ws = wb[wbm.SCORES_SHEET]
        col = next(c.column for c in ws[1] if c.value and str(c.value).endswith("[category]"))
        for r in range(2, 7):
            ws.cell(r, col).value = "vien_chuc"
        wb.save(tmp_path / "b.xlsx")
        monkeypatch.setattr(wbm, "CHUNK_ROWS", 2)
        lines = self._said(tmp_path / "b.xlsx")
        assert len(lines) == 1, lines
        assert "cùng một lỗi ở 5 dòng: 2, 3, 4" in lines[0], lines


class TestYearSheetsReadTheSameUnits:
    """``annual --pdf`` makes the year's sheets from the year the engine gives for the same
    months and units as the table: the units' grades of ``--unit-grades`` beside the months'
    unit results (their tree kept), or — months finalized ``--no-classify`` — the tree of
    ``--org``. The year the sheets are made of is caught before any PDF is drawn."""

    units: Any = None

    class _Caught(Exception):
        pass

    def _sheets_year(self, monkeypatch: Any, *args: str) -> pd.DataFrame:
        import evalkit.render
        from tests._cli_helpers import run

        seen: list[pd.DataFrame] = []

        def caught(year: pd.DataFrame, *a: Any, **k: Any) -> Any:
            seen.append(year)
            self.units = k.get("unit_results")
            raise self._Caught

        monkeypatch.setattr(evalkit.render, "iter_period_sheets", caught)
        with contextlib.suppress(self._Caught):  # (or said as an internal error: exit 4)
            run(*args)
        assert len(seen) == 1
        return seen[0]

    def _grades(self, tmp_path: Path) -> Path:
        from tests.test_year_unit_tree import UNIT_YEAR

        grades = tmp_path / "don-vi.csv"
        grades.write_text("unit_id,grade\n" + "".join(f"{u},{g}\n" for u, g in UNIT_YEAR.items()),
                          encoding="utf-8")
        return grades

    def test_the_months_units_beside_the_grades(self, tmp_path: Path, monkeypatch: Any) -> None:
        from tests.test_year_unit_tree import MONTHS, WANT, _got, _months

        st_, ut = _months()
        path = tmp_path / "luu-tru.sqlite"
        with Archive(path) as arc:
            for p in MONTHS:
                arc.finalize(st_[st_["period"] == p], by="TCCB", units=ut[ut["period"] == p])
        year = self._sheets_year(monkeypatch, "annual", "--archive", str(path), "--year", "2026",
                                 "--unit-grades", str(self._grades(tmp_path)),
                                 "--out", str(tmp_path / "nam.csv"), "--pdf", str(tmp_path / "p"))
        assert _got(year) == WANT
        # the sheets still name each unit as its latest month does (the grades carry no name)
        first = self.units.drop_duplicates("unit_id").set_index("unit_id")["name"]
        assert first.to_dict() == {u: f"Đơn vị {u}" for u in first.index}

    def test_the_org_tree_for_months_without_units(self, tmp_path: Path,
                                                   monkeypatch: Any) -> None:  # fmt: skip
        from tests.test_year_unit_tree import WANT, _got

        path = TestYearTreeWithoutMonthUnits._archive(tmp_path)
        org = TestYearTreeWithoutMonthUnits._org(tmp_path)
        year = self._sheets_year(monkeypatch, "annual", "--archive", str(path), "--year", "2026",
                                 "--unit-grades", str(self._grades(tmp_path)), "--org", str(org),
                                 "--out", str(tmp_path / "nam.csv"), "--pdf", str(tmp_path / "p"))
        assert _got(year) == WANT
