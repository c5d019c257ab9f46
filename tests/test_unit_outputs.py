"""The outputs a unit and an agency sign, complete and atomic (audit af28).

* A unit with a result but no people of its own (a "Khối" between the Sở and its phòng)
  gets its own unit summary — its result, its head, a sentence that it has no staff of
  its own and no staff table — at every door that writes summaries: ``write_reports``
  from the results or from the sheets, ``evalkit render`` for a month, ``evalkit annual
  --pdf`` and ``render --period YEAR`` for the year (its annual grade graded as
  ``classify_year`` grades units: ``workflow.year_units(year, unit_results)``).
* A run's files are all written or none: a failure in a late unit summary, or in a late
  chunk of the annual sheets, leaves no file of the run in the output folder.

Expected grades by hand, NĐ 335/2025/NĐ-CP Điều 20 k1–k4 a bands (≥ 90 HTXS, 70 to < 90
HTT): the Khối's council score 82 is HTT; 8 of 10 tasks done each month (80 %) is a month
score of 80 and a year mean of 80, HTT.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

import evalkit.render  # noqa: E402
from evalkit import Grade, workflow  # noqa: E402
from evalkit.render import (  # noqa: E402
    sheets_from_results,
    summaries_from_results,
    write_reports,
)
from evalkit.units import classify_year  # noqa: E402
from tests.test_render_reports import AGENCY, _khoi_month, pdf_text  # noqa: E402

NO_STAFF = "Đơn vị không có công chức, viên chức, người lao động của riêng mình"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


class TestAUnitWithoutPeople:
    """Sở → Khối Văn hóa (no people, council score 82) → Phòng A; Phòng B under the Sở."""

    def test_its_month_summary_is_written_from_the_results_and_from_the_sheets(
        self, tmp_path: Path
    ) -> None:
        org, results, _st, ut = _khoi_month(scores=[95, 82, 95, 95])
        [khoi] = [s for s in summaries_from_results(results, ut, org=org, agency=AGENCY)
                  if s.unit.id == "KHOI"]  # fmt: skip
        assert khoi.rows == () and khoi.facts is not None
        assert (khoi.facts.grade, khoi.facts.score) == (Grade.HTT, 82.0)  # 70 ≤ 82 < 90
        sheets = sheets_from_results(results, org=org, agency=AGENCY, unit_results=ut)
        for door, kw in (("results", {"results": results}), ("sheets", {})):
            paths = write_reports(sheets, tmp_path / door, unit_results=ut, organisation=org,
                                  publication=True, **kw)  # fmt: skip
            names = sorted(p.relative_to(tmp_path / door).as_posix() for p in paths
                           if p.parent.name == "units")  # fmt: skip
            assert names == ["units/2026-03_KHOI.pdf", "units/2026-03_PA.pdf",
                             "units/2026-03_PB.pdf", "units/2026-03_SO.pdf"], door
            _, pub = pdf_text((tmp_path / door / "publication" / "2026-03_KHOI.pdf").read_bytes())
            assert NO_STAFF in pub and "Họ và tên" not in pub and "82" in pub, door
            _, text = pdf_text((tmp_path / door / "units" / "2026-03_KHOI.pdf").read_bytes())
            assert "Khối Văn hóa" in text and NO_STAFF in text, door
            assert "Hội đồng thẩm định chấm 82" in text, door
            assert "Hoàn thành tốt nhiệm vụ" in text, door
            # no staff table, no counts of nobody
            assert "Họ và tên" not in text and "Số lượng theo" not in text, door

    def test_from_sheets_headed_each_by_their_unit_it_is_headed_by_itself(
        self, tmp_path: Path
    ) -> None:
        """No agency named: each unit's sheets are headed by the unit; the Khối's summary
        is headed by the Khối, not by the first phòng."""
        org, results, _st, ut = _khoi_month(scores=[95, 82, 95, 95])
        named = ut.assign(name=ut["unit_id"].map({u.id: u.name for u in org.units}))
        sheets = sheets_from_results(results, unit_results=named)  # the units sheet's names
        assert {s.agency.name for s in sheets} == {"Sở", "Phòng A", "Phòng B"}
        # a unit only its id names heads no sheet with its id (af66): the line is left blank
        assert {s.agency.name for s in sheets_from_results(results, unit_results=ut)} == {""}
        write_reports(sheets, tmp_path, unit_results=ut, organisation=org)
        _, text = pdf_text((tmp_path / "units" / "2026-03_KHOI.pdf").read_bytes())
        head = text.split("CỘNG HÒA")[0]
        assert "KHỐI VĂN HÓA" in head.upper() and "PA" not in head

    def test_a_unit_whose_only_member_is_counted_elsewhere_gets_its_summary(
        self, tmp_path: Path
    ) -> None:
        """The Khối's only member, its head K, has the month's row in the Sở (where he
        works that month): the Khối's summary names him as its head, lists no staff, and
        the Sở's lists him; with his row cut from the batch, the Khối's row still says the
        engine counted none of its people (``staff`` 0): it has its summary as a unit nobody
        was evaluated in, K listed *Chưa đánh giá* — it is not said to have no staff."""
        import attrs

        from evalkit import Organisation, Staff
        from evalkit.units import classify_frame
        from tests.test_render_reports import POSITION, RULES

        org, results, _st, ut = _khoi_month(scores=[95, 82, 95, 95])
        org = Organisation(
            units=[attrs.evolve(u, head_id="K") if u.id == "KHOI" else u for u in org.units],
            positions=[POSITION], staff=[*org.staff, Staff("K", "Người K", "CV", "KHOI")])
        cols = ["staff_id", "unit_id", "period", "category", *RULES.full_marks()]
        k = results.iloc[[0]].assign(staff_id="K", unit_id="SO")
        months = pd.concat([results[cols], k[cols]], ignore_index=True)
        units = ut[["unit_id", "parent_id", "period", "score"]]
        st, ut2 = classify_frame(months, units, RULES)
        res = pd.concat([months, st[[c for c in st.columns if c not in months]]], axis=1)
        by = {s.unit.id: s for s in summaries_from_results(res, ut2, org=org, agency=AGENCY)}
        assert by["KHOI"].rows == () and by["KHOI"].head is not None
        assert by["KHOI"].head.id == "K" and "K" in {r.staff.id for r in by["SO"].rows}
        # a member with no row at all: the unit is not said to have no staff
        gone = res[res["staff_id"] != "K"]
        by = {s.unit.id: s for s in summaries_from_results(gone, ut2, org=org, agency=AGENCY)}
        assert by["KHOI"].nobody_evaluated and [r.staff.id for r in by["KHOI"].rows] == ["K"]
        assert not by["KHOI"].rows[0].result.evaluated
        _, text = pdf_text(evalkit.render.render_unit_summary(by["KHOI"]))
        assert NO_STAFF not in _flat(text) and "Người K" in text

    def test_its_annual_grade_is_given_as_the_engine_grades_units(self) -> None:
        """The year's units: the Khối's grade is on no person's row; year_units with the
        months' unit results gives it as classify_year grades units (mean 80: HTT)."""
        org, _results, st, _ut = _khoi_month()
        months = pd.concat([st.assign(period=p) for p in ("2026-01", "2026-02")],
                           ignore_index=True)  # fmt: skip
        units = pd.DataFrame({"unit_id": ["SO", "KHOI", "PA", "PB"] * 2,
                              "parent_id": [None, "SO", "KHOI", "SO"] * 2,
                              "period": ["2026-01"] * 4 + ["2026-02"] * 4,
                              "score": [95.0, 80.0, 95.0, 95.0] * 2})  # fmt: skip
        year = classify_year(months, units)
        plain = workflow.year_units(year)
        assert "KHOI" not in set(plain["unit_id"])
        got = workflow.year_units(year, units).set_index("unit_id")["grade"].astype(str)
        assert got.to_dict() == {"SO": "HTXS", "PA": "HTXS", "PB": "HTXS", "KHOI": "HTT"}
        [khoi] = [s for s in summaries_from_results(year, workflow.year_units(year, units),
                                                    org=org, agency=AGENCY)
                  if s.unit.id == "KHOI"]  # fmt: skip
        assert khoi.facts is not None and khoi.facts.grade == Grade.HTT and khoi.rows == ()

    def test_without_an_organisation_the_engine_count_of_its_people_gives_its_summary(
        self, tmp_path: Path
    ) -> None:
        """No organisation (a results file, an archive): the engine's unit row says the Khối
        has no person of its own (``staff`` 0), so it has its summary — its result and its
        sub-unit's (Phòng A, council score 95: HTXS as information, ≥ 90, Điều 20 k1) in
        place of the staff, from the results and from the sheets alike; a unit whose
        people are merely not in the batch (Phòng B, staff 1) gets none."""
        _org, results, _st, ut = _khoi_month(scores=[95, 82, 95, 95])
        assert dict(zip(ut["unit_id"], ut["staff"], strict=True)) == {
            "SO": 1, "KHOI": 0, "PA": 1, "PB": 1}  # fmt: skip
        by = {s.unit.id: s for s in summaries_from_results(results, ut, agency=AGENCY)}
        assert by["KHOI"].rows == () and by["KHOI"].facts is not None
        assert [(u.id, f.score, f.grade) for u, f in by["KHOI"].sub_units] == [
            ("PA", 95.0, Grade.HTXS)]  # fmt: skip
        assert by["SO"].sub_units == ()  # a unit with people lists them, not its sub-units
        gone = results[results["staff_id"] != "B"]
        assert "PB" not in {s.unit.id for s in summaries_from_results(gone, ut, agency=AGENCY)}
        sheets = sheets_from_results(results, agency=AGENCY, unit_results=ut)
        write_reports(sheets, tmp_path, unit_results=ut)
        _, text = pdf_text((tmp_path / "units" / "2026-03_KHOI.pdf").read_bytes())
        assert NO_STAFF in _flat(text)
        assert "1 PA 95 Hoàn thành xuất sắc nhiệm vụ" in _flat(text), text  # no name: its id

    def test_the_year_gives_each_unit_the_score_its_grade_came_from(self) -> None:
        """The year's units: 80 and 70 in the two months, mean 75 (HTT, 70 to < 90) for the
        Khối; 95 and 85, mean 90 (HTXS, ≥ 90) for Phòng A; the Khối's summary shows its
        score and lists Phòng A with its own."""
        org, _results, st, _ut = _khoi_month()
        months = pd.concat([st.assign(period=p) for p in ("2026-01", "2026-02")],
                           ignore_index=True)  # fmt: skip
        units = pd.DataFrame({"unit_id": ["SO", "KHOI", "PA", "PB"] * 2,
                              "parent_id": [None, "SO", "KHOI", "SO"] * 2,
                              "period": ["2026-01"] * 4 + ["2026-02"] * 4,
                              "score": [95.0, 80.0, 95.0, 95.0, 95.0, 70.0, 85.0, 95.0]})
        year = classify_year(months, units)
        got = workflow.year_units(year, units).set_index("unit_id")
        assert got["score"].astype(float).to_dict() == {"SO": 95.0, "PA": 90.0, "PB": 95.0,
                                                        "KHOI": 75.0}  # fmt: skip
        assert got["grade"].astype(str).to_dict() == {"SO": "HTXS", "PA": "HTXS", "PB": "HTXS",
                                                      "KHOI": "HTT"}  # fmt: skip
        [khoi] = [s for s in summaries_from_results(year, workflow.year_units(year, units),
                                                    org=org, agency=AGENCY)
                  if s.unit.id == "KHOI"]  # fmt: skip
        assert khoi.facts is not None and (khoi.facts.score, khoi.facts.grade) == (75.0, Grade.HTT)
        assert [(u.id, f.score, f.grade) for u, f in khoi.sub_units] == [("PA", 90.0, Grade.HTXS)]


class TestAllOrNothing:
    def test_a_failure_in_a_late_summary_leaves_no_file_of_the_run(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        org, results, _st, ut = _khoi_month(scores=[95, 82, 95, 95])
        sheets = sheets_from_results(results, org=org, agency=AGENCY, unit_results=ut)
        api = importlib.import_module("evalkit.render._api")
        real = api.render_unit_summary
        calls: list[str] = []

        def failing(summary: Any, **kw: Any) -> bytes:
            calls.append(summary.unit.id)
            if len(calls) == 3:
                raise RuntimeError("injected: the third summary fails")
            return real(summary, **kw)

        monkeypatch.setattr(api, "render_unit_summary", failing)
        (tmp_path / "keep.txt").write_text("a file that was there before")
        with pytest.raises(RuntimeError, match="injected"):
            write_reports(sheets, tmp_path, results=results, unit_results=ut,
                          organisation=org, overview=True)  # fmt: skip
        assert len(calls) == 3
        assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
            "keep.txt"]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Khối's organisation: two months typed, finalized, rendered at each door."""
    from tests._cli_helpers import ok
    from tests.test_cli_annual_org import fill

    tmp = tmp_path_factory.mktemp("khoi")
    units = ("unit_id,name,parent_id,head_id,governing_body,place\n"
             "SNV,Sở Nội vụ tỉnh Sông Lam,,GD,UBND tỉnh Sông Lam,Lam Giang\n"
             "KHOI,Khối Văn hóa,SNV,,UBND tỉnh Sông Lam,Lam Giang\n"
             "TC,Phòng Tổ chức cán bộ,KHOI,TP,UBND tỉnh Sông Lam,Lam Giang\n")
    positions = ("position_id,title,title_en,manages_others\nGD,Giám đốc,Director,x\n"
                 "TP,Trưởng phòng,Head of division,x\nCV,Chuyên viên,Specialist,\n")
    staff = ("staff_id,full_name,position_id,unit_id,manager_id,category\n"
             "GD,Trần Văn Bình,GD,SNV,,cong_chuc\nTP,Lê Thị Cúc,TP,TC,GD,cong_chuc\n"
             "CV1,Phạm Minh Đức,CV,TC,TP,cong_chuc\nCV2,Hoàng Thị Em,CV,TC,TP,cong_chuc\n")
    for name, text in (("u.csv", units), ("p.csv", positions), ("s.csv", staff)):
        (tmp / name).write_text(text, encoding="utf-8")
    org = tmp / "org.json"
    ok("org", "--units", str(tmp / "u.csv"), "--positions", str(tmp / "p.csv"),
       "--staff", str(tmp / "s.csv"), "--out", str(org))  # fmt: skip
    archive = tmp / "a.sqlite"
    for m in (1, 2):
        ok("template", "--rules", "vn.nd335-2025", "--period", f"2026-{m:02d}", "--org",
           str(org), str(tmp / f"t{m}.xlsx"))  # fmt: skip
        fill(tmp / f"t{m}.xlsx", tmp / f"m{m}.xlsx", done={"KHOI": 8})
        ok("finalize", str(tmp / f"m{m}.xlsx"), "--archive", str(archive), "--by", "TCCB",
           "--org", str(org))  # fmt: skip
    ok("render", str(tmp / "m1.xlsx"), "--org", str(org), "--out", str(tmp / "month"))
    ok("annual", "--archive", str(archive), "--year", "2026", "--org", str(org),
       "--pdf", str(tmp / "year"))  # fmt: skip
    ok("render", "--period", "2026", "--archive", str(archive), "--org", str(org),
       "--out", str(tmp / "ry"), "--overview")  # fmt: skip
    # without --org: the month's results file, the year from the archive
    ok("classify", str(tmp / "m1.xlsx"), "--out", str(tmp / "r1.json"))
    ok("render", str(tmp / "r1.json"), "--out", str(tmp / "mj"))
    ok("render", "--period", "2026", "--archive", str(archive), "--out", str(tmp / "ry_noorg"))
    return tmp


@pytest.mark.slow
class TestCommandLine:
    """The month (`render`), the year (`annual --pdf`, `render --period 2026`)."""

    @pytest.mark.parametrize(("folder", "name", "words"), [
        ("month", "2026-01_KHOI.pdf", "tháng 01/2026"),
        ("year", "2026_KHOI.pdf", "năm 2026"),
        ("ry", "2026_KHOI.pdf", "năm 2026"),
        ("mj", "2026-01_KHOI.pdf", "tháng 01/2026"),
        ("ry_noorg", "2026_KHOI.pdf", "năm 2026"),
    ])  # fmt: skip
    def test_the_khoi_has_its_summary_at_every_door(
        self, run: Path, folder: str, name: str, words: str
    ) -> None:
        """8 of 10 tasks (80 %) each month: HTT in the month (as information) and for the
        year (the mean, 80), its score printed; its phòng (10 of 10: 100, HTXS) listed —
        with --org and without it."""
        text = _flat(" ".join(p.extract_text() for p in pypdf.PdfReader(
            run / folder / "units" / name).pages))  # fmt: skip
        assert "Khối Văn hóa" in text and words in text and NO_STAFF in text
        assert "Hoàn thành tốt nhiệm vụ" in text and "Họ và tên" not in text
        assert "Điểm được công nhận 80" in text, text
        assert "1 Phòng Tổ chức cán bộ 100 Hoàn thành xuất sắc nhiệm vụ" in text, text

    def test_render_period_year_writes_the_overview_it_is_asked_for(self, run: Path) -> None:
        """`render --period 2026 --overview` writes the year's overview (it was silently
        left out), the Khối on it with its annual grade (HTT) and no people."""
        text = _flat(" ".join(p.extract_text() for p in pypdf.PdfReader(
            run / "ry" / "2026_overview.pdf").pages))  # fmt: skip
        assert "XẾP LOẠI CHẤT LƯỢNG NĂM 2026" in text
        assert re.search(r"Khối Văn hóa 0 0 0 0 0 0 HTT", text), text

    def test_a_failure_in_a_late_chunk_of_the_annual_sheets_leaves_no_file(
        self, run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from tests._cli_helpers import run as cli

        monkeypatch.setattr(importlib.import_module("evalkit.render._frames"),
                            "PERIOD_SHEETS_CHUNK", 2)  # fmt: skip
        real = evalkit.render.render_period_pdf
        calls: list[str] = []

        def failing(sheet: Any, **kw: Any) -> bytes:
            calls.append(sheet.staff.id)
            if len(calls) == 3:  # the first of the second chunk
                raise RuntimeError("injected: a late chunk fails")
            return real(sheet, **kw)

        monkeypatch.setattr(evalkit.render, "render_period_pdf", failing)
        out = tmp_path / "year"
        code, _, _ = cli("annual", "--archive", str(run / "a.sqlite"), "--year", "2026",
                         "--org", str(run / "org.json"), "--pdf", str(out))  # fmt: skip
        assert code != 0 and len(calls) == 3
        assert list(out.rglob("*")) == []

    def test_a_failure_in_a_late_sheet_of_the_month_leaves_no_file(
        self, run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`evalkit render` of a month: the summaries are written with the sheets or not at
        all; a sheet failing after others were written leaves no file of the run."""
        from tests._cli_helpers import run as cli

        batch = importlib.import_module("evalkit.render._batch")
        real = batch.render_pdf
        calls: list[str] = []

        def failing(sheet: Any, **kw: Any) -> bytes:
            calls.append(sheet.staff.id)
            if len(calls) == 3:
                raise RuntimeError("injected: a late sheet fails")
            return real(sheet, **kw)

        monkeypatch.setattr(batch, "render_pdf", failing)
        out = tmp_path / "month"
        code, _, _ = cli("render", str(run / "m1.xlsx"), "--org", str(run / "org.json"),
                         "--out", str(out), "--overview")  # fmt: skip
        assert code != 0 and len(calls) == 3
        assert list(out.rglob("*")) == []


def test_a_staged_folder_left_by_a_killed_run_is_removed_by_the_next(tmp_path: Path) -> None:
    """SIGKILL skips the staged folder's cleanup: the next run into the same folder removes
    it (its process is gone), as it removes a stale temporary file; a live run's is kept."""
    import os

    from evalkit import _files

    dead = tmp_path / f".run.evalkit-{_files._HOST}-999999999-0123abcd.tmp"
    (dead / "units").mkdir(parents=True)
    (dead / "units" / "a.pdf").write_bytes(b"half a run")
    live = tmp_path / f".run.evalkit-{_files._HOST}-{os.getpid()}-0123abcd.tmp"
    live.mkdir()
    with _files.staged_folder(tmp_path) as stage:
        _files.atomic_write(stage / "b.pdf", b"done")
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, "b.pdf"]


def test_a_file_that_cannot_be_written_is_named_where_it_was_to_go(tmp_path: Path) -> None:
    """A file refused in the staged folder (a full disk) is said of ``OUT/units/a.pdf``,
    the name asked for, not of its copy in the hidden ``.run.evalkit-….tmp`` folders —
    also from a stage inside a stage (the demo's sheets batch)."""
    import errno

    from evalkit import _files
    from evalkit.errors import OutputError

    out = tmp_path / "out"
    inner = OSError(errno.ENOSPC, "No space left on device")
    with pytest.raises(OutputError) as info, _files.staged_folder(out) as stage, \
            _files.staged_folder(stage / "units") as deeper:  # fmt: skip
        raise _files._output_error(deeper / "a.pdf", inner)
    target = out / "units" / "a.pdf"
    assert str(info.value) == f"cannot write {str(target)!r}: no space left on the disk"
    assert (info.value.path, info.value.errno) == (str(target), errno.ENOSPC)
    assert list(tmp_path.iterdir()) == []  # no stage left, and no empty ``out`` it made


def test_a_quota_counted_per_similar_duty_group_says_so_on_the_summary() -> None:
    """NĐ 335/2025/NĐ-CP Điều 20 k5 a caps HTXS per unit and per group with similar duties:
    two groups of 4 HTT (79) and 1 candidate (100) each may keep floor(20% × 4) = 0 — both
    candidates are demoted, where 20% of the unit's 8 would keep 1. The summary's one block
    (20%, base 8, at most 0, 2 reaching, 2 moved down) says that it is counted per group and
    the figures are the groups' totals, so it does not read as 20% of 8 = 0."""
    from evalkit.render import render_unit_summary

    rules = evalkit.rules.get("vn.nd335-2025")
    full = rules.full_marks()
    htt = {**full, "so_luong": 70, "chat_luong": 70, "tien_do": 70}  # 30 + 70 × 70% = 79
    frame = pd.DataFrame([{"staff_id": f"{g}{i}", "unit_id": "P", "period": "2026-01",
                           "category": "cong_chuc", "duty_group": g,
                           **{f"competent__{k}": v for k, v in (full if i == 0 else htt).items()}}
                          for g in "AB" for i in range(5)])  # fmt: skip
    st, ut = evalkit.classify_frame(frame, pd.DataFrame({"unit_id": ["P"], "period": ["2026-01"],
                                                         "score": [95.0]}), rules)  # fmt: skip
    months = pd.concat([frame, st[[c for c in st.columns if c not in frame]]], axis=1)
    year = classify_year(months, ut, rules)
    assert (year["grade"].astype(str) == "HTT").all()  # both candidates demoted
    [s] = summaries_from_results(year, workflow.year_units(year, ut), agency=AGENCY)
    assert s.quota is not None
    assert (s.quota.base_count, s.quota.cap, s.quota.candidates, s.quota.demoted,
            s.quota.groups) == (8, 0, 2, 2, 2)  # fmt: skip
    _, text = pdf_text(render_unit_summary(s))
    assert "Tính riêng cho từng nhóm có nhiệm vụ tương đồng (2 nhóm)" in _flat(text), text
    _, text = pdf_text(render_unit_summary(s, lang="en"))
    assert "Counted separately for each group with similar duties (2 groups)" in _flat(text)
