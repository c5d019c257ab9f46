"""The year's quota cut decided by staff id alone is said by ``annual`` and ``render --period``
(af243; af235 said it of the months' quotas).

NĐ 335/2025/NĐ-CP Điều 20 k5 a and NĐ 233/2026/NĐ-CP Điều 12 k6: HTXS at most 20 % of those
rated HTT per unit — a quota of the YEAR. Six months of one unit: two candidates ``A`` and
``B`` at the top, five others rated HTT, so the year keeps one HTXS (20 % × 5 = 1). Where A
and B are equal on every key the set's ``tie_break`` compares (total, task results, fewer
deductions, the competent level's order), only the staff id kept A: ``annual`` (the archive
finalized from month workbooks or from results files) and ``render --period 2026`` (from
results files, workbooks or the archive) print the line the objects door says
(:func:`evalkit.workflow.quota_tie_notices` of :func:`evalkit.classify_organisation_year`).

The archive's year reads the candidates' task points and deductions from the months'
documents for the tied only, and keeps them beside its table (not as its columns, blank for
everyone else): where they separate A and B — the same totals, one with a major quality
error each month (NĐ 335) or with fewer task points (NĐ 233) — nothing is said, though the
table's own columns alone would show a complete tie (the false tie said before af243).
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit import _tables
from evalkit.cli import main
from evalkit.io.archive import Archive
from evalkit.io.results import read_results, write_results
from evalkit.units import UnitInputs
from evalkit.workflow import quota_tie_notices
from tests._io_helpers import filled_workbook

ND335, ND233 = "vn.nd335-2025", "vn.nd233-2026"
CUSTOMS = "vn.customs-2026q"
CATEGORY = {ND335: "cong_chuc", ND233: "vien_chuc", CUSTOMS: "cong_chuc"}
MONTHS = [f"2026-{m:02d}" for m in range(7, 13)]  # NĐ 233 from 2026-07; six months a year


def _marks(rid: str, case: str) -> dict[str, dict[str, float]]:
    """Each person's month: A and B at the top, G0–G4 rated HTT. ``tie``: A and B the same;
    ``deductions`` (NĐ 335): the same total and task points, A with a major quality error
    (quality 100 less the deduction: 75), B none (progress 75); ``tasks`` (NĐ 233): the same
    total 93, A 30 general points and tasks at 90 % (30 + 63), B 23 and 100 % (23 + 70)."""
    top = evalkit.rules.get(rid).full_marks()
    a, b = dict(top), dict(top)
    if case == "deductions":
        a.update(loi_chat_luong=1)
        b.update(loi_chat_luong=0, tien_do=75)
    elif case == "tasks":
        a.update(so_luong=90, chat_luong=90, tien_do=90)
        b.update(san_pham_dot_pha=0, chiu_trach_nhiem=0)  # 4 + 3 general points less
    others = {f"G{i}": {**top, "so_luong": 80, "chat_luong": 80, "tien_do": 80}
              for i in range(5)}  # fmt: skip
    return {"A": a, "B": b, **others}


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(argv), stdout=out)
    return code, out.getvalue(), err.getvalue()


def _results_files(tmp: Path, rid: str, case: str, months: list[str] = MONTHS) -> list[str]:
    """Each month classified and written as its results file (with its unit results)."""
    units = pd.DataFrame({"unit_id": ["P1"], "name": ["Phòng 1"]})
    paths = []
    for p in months:
        month = pd.DataFrame([{"staff_id": s, "full_name": f"Người {s}", "unit_id": "P1",
                               "period": p, "category": CATEGORY[rid], "rule_set": rid, **m}
                              for s, m in _marks(rid, case).items()])  # fmt: skip
        staff, unit = evalkit.classify_frame(month, units.assign(period=p), rid)
        res = pd.concat([month, staff[[c for c in staff.columns if c not in month.columns]]],
                        axis=1)  # fmt: skip
        res.attrs.update(rule_set=rid, period=p)
        _tables.attach(res, "units", unit)
        paths.append(str(write_results(res, tmp / f"r-{p}.json")))
    return paths


def _workbooks(tmp: Path, rid: str) -> list[str]:
    """Each month's workbook (the complete tie: no deduction typed)."""
    return [str(filled_workbook(tmp / f"b-{p}.xlsx", [
        {"staff_id": s, "full_name": f"Người {s}", "position_id": "CV", "unit_id": "P1",
         "category": CATEGORY[rid], **m} for s, m in _marks(rid, "tie").items()],
        period=p, rules=rid)) for p in MONTHS]  # fmt: skip


def _archive(tmp: Path, sources: list[str]) -> str:
    path = str(tmp / "a.sqlite")
    for source in sources:
        code, _, err = _run("finalize", source, "--archive", path, "--by", "TCCB")
        assert code == 0, err
    return path


def _objects(rid: str, lang: str) -> list[str]:
    """The objects door: the months' classifications, the year's, its lines."""
    org = evalkit.Organisation(
        units=[evalkit.Unit("P1", "Phòng 1")], positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff(s, f"Người {s}", "CV", "P1", category=CATEGORY[rid])
               for s in _marks(rid, "tie")])  # fmt: skip
    months = [evalkit.classify_organisation(org, [
        evalkit.Assessment(s, p, competent_scores=m) for s, m in _marks(rid, "tie").items()],
        [UnitInputs("P1", p)], rid) for p in MONTHS]  # fmt: skip
    year = evalkit.classify_organisation_year(months)
    assert year["P1"].result_of("A").grade.code == "HTXS"  # kept by its id alone
    assert year["P1"].result_of("B").grade.code == "HTT"
    return quota_tie_notices(year, lang)


def _said(err: str) -> list[str]:
    return [x for x in err.splitlines() if "mã cán bộ" in x or "staff id" in x]


@pytest.mark.parametrize(("rid", "door"), [(ND335, "workbooks"), (ND335, "results files"),
                                           (ND233, "results files")])  # fmt: skip
def test_annual_says_the_years_complete_tie_as_the_objects_do(
        tmp_path: Path, rid: str, door: str) -> None:
    en, vi = _objects(rid, "en"), _objects(rid, "vi")
    assert len(en) == len(vi) == 1
    assert en[0].startswith(f"Note — unit P1, 2026: A, B are equal on every tie-break {rid} "
                            "compares for the HTXS quota (total, task results, fewer "
                            "deductions, the competent level's order), so who keeps HTXS (A) "
                            "and who is demoted (B) was decided by staff id alone")
    assert vi[0].startswith("Lưu ý — đơn vị P1, kỳ 2026: A, B bằng nhau ở mọi tiêu chí")
    sources = _workbooks(tmp_path, rid) if door == "workbooks" \
        else _results_files(tmp_path, rid, "tie")  # fmt: skip
    archive = _archive(tmp_path, sources)
    code, out, err = _run("annual", "--archive", archive, "--year", "2026", "--json",
                          "--lang", "en")
    assert code == 0 and _said(err) == []  # --json: in the document only
    doc = json.loads(out)
    assert doc["notices"] == en
    data = doc["results"]["data"]
    rows = [dict(zip(data["columns"], r, strict=True)) if isinstance(r, list) else r
            for r in data["rows"]]  # fmt: skip
    grades = {r["staff_id"]: r["annual_grade"] for r in rows}
    assert (grades["A"], grades["B"]) == ("HTXS", "HTT")  # the table the line is said of
    code, _, err = _run("annual", "--archive", archive, "--year", "2026")
    assert code == 0 and _said(err) == vi
    # the year's sheets, from the archive and from the months' own files
    for given in (["--archive", archive], sources):
        code, out, err = _run("render", *given, "--period", "2026", "--out",
                              str(tmp_path / f"pdf-{len(given)}"), "--json", "--lang", "en")
        assert code == 0, err
        assert json.loads(out)["notices"] == en
    code, _, err = _run("render", *sources, "--period", "2026", "--out", str(tmp_path / "vi"))
    assert code == 0 and _said(err) == vi


@pytest.mark.parametrize(("rid", "case"), [(ND335, "deductions"), (ND233, "tasks")])
def test_no_line_where_the_months_documents_separate_the_tie(
        tmp_path: Path, rid: str, case: str) -> None:
    """The false tie: B kept by fewer deductions (NĐ 335) or more task points (NĐ 233), read
    from the months' documents — the table's own columns show the two equal."""
    sources = _results_files(tmp_path, rid, case)
    archive = _archive(tmp_path, sources)
    with Archive(archive, readonly=True) as arc:
        year = arc.annual(2026).set_index("staff_id")
    assert year.loc["A", "annual_total"] == year.loc["B", "annual_total"]
    assert (year.loc["A", "annual_grade"], year.loc["B", "annual_grade"]) == ("HTT", "HTXS")
    assert "quota.demoted" in year.loc["A", "reasons"]
    # the keys that decided are no column of the table (blank for everyone else) …
    assert not {"points_tasks", "loi_chat_luong"} & set(year.columns)
    # … yet the check reads them: no line
    assert quota_tie_notices(year.reset_index(), "en") == []
    assert quota_tie_notices(year.reset_index()) == []
    code, out, err = _run("annual", "--archive", archive, "--year", "2026", "--json")
    assert code == 0 and "notices" not in json.loads(out)
    code, _, err = _run("annual", "--archive", archive, "--year", "2026", "--lang", "en")
    assert code == 0 and _said(err) == []
    for given in (["--archive", archive], sources):
        code, out, err = _run("render", *given, "--period", "2026", "--out",
                              str(tmp_path / f"pdf-{len(given)}"), "--json")
        assert code == 0, err
        assert "notices" not in json.loads(out)


def test_the_tie_inputs_kept_beside_the_table_are_the_tied_candidates_only(
        tmp_path: Path) -> None:
    """What the archive's year keeps beside its table: A's and B's keys as their months'
    documents give them (A's six errors, one a month; B's none), no one else's."""
    archive = _archive(tmp_path, _results_files(tmp_path, ND335, "deductions"))
    with Archive(archive, readonly=True) as arc:
        year = arc.annual(2026)
    kept = _tables.table(year, "tie_inputs")
    assert kept is not None
    assert sorted(kept["staff_id"]) == ["A", "B"]
    errors = dict(zip(kept["staff_id"], kept["loi_chat_luong"], strict=True))
    assert errors == {"A": 6.0, "B": 0.0}
    assert "loi_chat_luong" in year.attrs["deduction_inputs"]


def test_the_competent_levels_order_for_the_year_ends_the_tie(tmp_path: Path) -> None:
    """The line's remedy followed: ``competent_order`` in the year's conclusions (``annual
    --conclusions``) puts B before A. The year's results carry the order the quota compared
    (the conclusions', not the months'), so nothing is said — at the frame door, the
    archive's and the command line."""
    sources = _results_files(tmp_path, ND335, "tie")
    archive = _archive(tmp_path, sources)
    order = pd.DataFrame({"staff_id": ["B", "A"], "competent_order": [1, 2]})
    months = pd.concat([read_results(p) for p in sources], ignore_index=True)
    direct = evalkit.classify_year(months, None, conclusions=order)
    assert len(quota_tie_notices(evalkit.classify_year(months, None), "en")) == 1
    with Archive(archive, readonly=True) as arc:
        year = arc.annual(2026, conclusions=order)
    for frame in (direct, year):
        got = frame.set_index("staff_id")
        assert (got.loc["A", "annual_grade"], got.loc["B", "annual_grade"]) == ("HTT", "HTXS")
        assert got.loc[["A", "B"], "competent_order"].tolist() == [2.0, 1.0]
        assert quota_tie_notices(frame, "en") == quota_tie_notices(frame) == []
    csv = tmp_path / "ket-luan.csv"
    order.to_csv(csv, index=False)
    code, out, err = _run("annual", "--archive", archive, "--year", "2026", "--conclusions",
                          str(csv), "--json")
    assert code == 0 and "notices" not in json.loads(out), err


def test_render_of_a_customs_quarter_says_the_quarters_tie(tmp_path: Path) -> None:
    """Customs (CV 21169/CHQ-TCCB): the quarter is classified with its quota (20 % of the five
    HTT keeps one): ``render --period 2026-Q4`` of the months' results files says the
    quarter's tie as the frame door says it of the quarter's results."""
    months = ["2026-10", "2026-11", "2026-12"]
    sources = _results_files(tmp_path, CUSTOMS, "tie", months)
    quarter = evalkit.classify_year(pd.concat([read_results(p) for p in sources],
                                              ignore_index=True), None, to="quarter")
    en = quota_tie_notices(quarter, "en")
    assert len(en) == 1 and en[0].startswith("Note — unit P1, 2026-Q4: A, B are equal")
    code, out, err = _run("render", *sources, "--period", "2026-Q4", "--out",
                          str(tmp_path / "q"), "--json", "--lang", "en")
    assert code == 0, err
    assert json.loads(out)["notices"] == en
    code, _, err = _run("render", *sources, "--period", "2026-Q4", "--out", str(tmp_path / "v"))
    assert code == 0 and _said(err) == quota_tie_notices(quarter)
