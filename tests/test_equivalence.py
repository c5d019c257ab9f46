"""One engine, one answer (issue 13's Done-when, issues 14 and 18): the same three months
of the same agency through every door a user has must give the same result.

The doors:

* **objects** — ``Assessment`` / ``UnitInputs`` → :func:`evalkit.classify_organisation`;
* **frame** — the same staff-months as a user's CSV read with ``pd.read_csv`` (pandas' own
  dtypes: ``str`` text, float numbers, blanks as NaN) → :func:`evalkit.classify_frame`;
* **CLI** — ``evalkit org`` → ``template`` → the workbook typed like a person would →
  ``validate`` → ``classify`` → ``render`` → ``finalize`` → ``annual`` /
  ``render --period 2026`` (the commands of docs/monthly-script.md);
* **archive** — :meth:`evalkit.io.archive.Archive.annual` over the finalized months;
* for the year, the object face of the roll-up (:func:`evalkit.units.rollup`) too.

Per month, the totals, each level's totals, the score band, grade, proposed grade,
classified flag and the reasons (code, Vietnamese and English sentence, citation) agree
person by person; the text of every PDF sheet the CLI renders equals the text of the sheet
rendered from the object path's ``Assessment`` and ``EvaluationResult``. For the year, the
CLI's ``annual`` table, the archive's and :func:`evalkit.classify_year` over the frame
path's months give the same annual total, grade and reasons for everyone.

The people, their scores and the units are those of ``tests/test_cli_walk.py`` (a head of
the Sở, a head of division who typed đ/e, a deputy-free division of three with a
competent-level conclusion, a discipline in March, sick leave in January).
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import evalkit
from evalkit.io.jsonio import read_json
from evalkit.io.results import read_results
from evalkit.reasons import SENTENCE_SEPARATOR, with_sentences
from evalkit.units import UnitInputs, applied_inputs, results_from_frame
from evalkit.workflow import checked
from tests._cli_helpers import ok
from tests.test_cli_walk import (
    DOCS,
    RULES,
    UNITS,
    assessments,
    doc_files,
    object_path,
    reasons_of,
    type_month,
)

MONTHS = (1, 2, 3)

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")


def pdf_text(data: bytes | Path) -> str:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    reader = pypdf.PdfReader(source)
    return "\n".join(p.extract_text() for p in reader.pages)


def key(r: evalkit.EvaluationResult) -> tuple[Any, ...]:
    """What a sheet and an export show of one person's month."""
    return (r.total, r.score_grade, r.grade, r.proposed_grade, r.classified,
            dict(r.level_totals), reasons_of(r))  # fmt: skip


# =========================================================================== the CLI month


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The three months through the command line, as docs/monthly-script.md runs them."""
    root = tmp_path_factory.mktemp("equivalence")
    with contextlib.chdir(root):
        for name, content in doc_files(DOCS["en"]).items():
            Path(name).write_text(content, encoding="utf-8")
        ok("org", "--units", "don-vi.csv", "--positions", "vi-tri.csv", "--staff",
           "nhan-su.csv", "--out", "to-chuc.json")  # fmt: skip
        org = read_json("to-chuc.json", evalkit.Organisation)
        for m in MONTHS:
            per = f"2026-{m:02d}"
            book = f"thang-{m:02d}.xlsx"
            ok("template", "--rules", RULES, "--period", per, "--org", "to-chuc.json", book)
            type_month(Path(book), m, mistakes=False)
            ok("validate", book, "--period", per)
            ok("classify", book, "--out", f"ket-qua-{m:02d}.json")
            if m == MONTHS[-1]:  # the same month as a table for people, sentences included
                ok("classify", book, "--out", f"ket-qua-{m:02d}.csv")
            ok("render", f"ket-qua-{m:02d}.json", "--out", f"phieu-{m:02d}")
            ok("finalize", f"ket-qua-{m:02d}.json", "--archive", "luu-tru.sqlite",
               "--by", "Phòng TCCB")  # fmt: skip
        ok("annual", "--archive", "luu-tru.sqlite", "--year", "2026", "--out", "nam.csv")
        ok("render", "--period", "2026", "--archive", "luu-tru.sqlite", "--out", "nam")
    return {"root": root, "org": org}


# =========================================================================== the frame door


def csv_frame(org: evalkit.Organisation, month: int, tmp: Path) -> pd.DataFrame:
    """The month's staff-months as an HR system's CSV, read back with ``pd.read_csv``."""
    from evalkit.units import frames_from_objects

    staff, _ = frames_from_objects(org, assessments(month))
    path = tmp / f"staff-{month}.csv"
    staff.to_csv(path, index=False)
    return pd.read_csv(path)


def units_csv(org: evalkit.Organisation, month: int, tmp: Path) -> pd.DataFrame:
    period = f"2026-{month:02d}"
    rows = [{"unit_id": u.id, "parent_id": u.parent_id, "head_id": u.head_id,
             "period": period, **UNITS.get(u.id, {})} for u in org.units]  # fmt: skip
    path = tmp / f"units-{month}.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return pd.read_csv(path)


def frame_path(org: evalkit.Organisation, month: int, tmp: Path) -> tuple[pd.DataFrame, ...]:
    staff = csv_frame(org, month, tmp)
    units = units_csv(org, month, tmp)
    # the CSV's text columns come back as pandas' own dtype (str under pandas 3)
    assert not any(str(staff[c].dtype) == "category" for c in staff.columns)
    return evalkit.classify_frame(staff, units)


# =========================================================================== the tests


@pytest.mark.slow
@pytest.mark.parametrize("month", MONTHS)
def test_objects_frame_and_cli_give_the_same_month(
    month: int, cli_run: dict[str, Any], tmp_path: Path
) -> None:
    org = cli_run["org"]
    obj = object_path(org, month)
    staff, _units = frame_path(org, month, tmp_path)
    frame = {r.staff_id: r for r in results_from_frame(staff)}
    cli_frame = read_results(cli_run["root"] / f"ket-qua-{month:02d}.json")
    cli = {r.staff_id: r for r in results_from_frame(cli_frame)}
    assert set(obj) == set(frame) == set(cli) == {s.id for s in org.staff}
    for sid, want in obj.items():
        assert key(frame[sid]) == key(want), ("frame", sid)
        assert key(cli[sid]) == key(want), ("cli", sid)
    if month == MONTHS[-1]:  # the table for people says each object's reasons, in order
        table = pd.read_csv(cli_run["root"] / f"ket-qua-{month:02d}.csv", encoding="utf-8-sig")
        assert list(table.columns).index("reasons_vi") == list(table.columns).index("reasons") + 1
        words = dict(zip(table["staff_id"], table["reasons_vi"].fillna(""), strict=True))
        assert words == {sid: SENTENCE_SEPARATOR.join(
            f"{x.message_vi} ({x.source})" if x.source else x.message_vi for x in r.reasons)
            for sid, r in obj.items()}  # fmt: skip
    # the cases the month holds, so the comparison is not vacuous
    assert any(r.reasons for r in obj.values())
    if month == 1:
        assert obj["CV-03"].total is None  # on sick leave: not evaluated
    if month == 3:
        assert any(x.code.startswith("disqualifier") for x in obj["CV-02"].reasons)


@pytest.mark.slow
@pytest.mark.parametrize("month", MONTHS)
def test_every_cli_sheet_reads_as_the_object_paths_sheet(
    month: int, cli_run: dict[str, Any]
) -> None:
    """The PDF the CLI renders for each person holds the same text as the sheet rendered
    from the object path's Assessment and EvaluationResult (same agency and signatories:
    those the CLI's sheets carry), so names, the three levels' scores, comments, grades and
    the reasons with their citations are identical."""
    from evalkit.render import Agency, Sheet, render_pdf, sheet_filename, sheets_from_results

    org = cli_run["org"]
    root = cli_run["root"]
    cli_frame = read_results(root / f"ket-qua-{month:02d}.json")
    found = cli_frame.attrs["agency"]  # the workbook's signatories sheet, kept in the file
    agency = Agency(found["name"], governing_body=found["governing_body"], place=found["place"])
    assert agency.name and agency.governing_body and agency.place
    cli_sheets = {s.staff.id: s for s in sheets_from_results(
        checked(cli_frame), agency=agency, signatories=cli_frame.attrs.get("signatories") or {})}
    obj = object_path(org, month)
    typed = {a.staff_id: a for a in assessments(month)}
    pdfs = sorted((root / f"phieu-{month:02d}").glob("*.pdf"))
    by_staff = {sid: p for sid in cli_sheets for p in pdfs
                if sheet_filename(cli_sheets[sid]) == p.name}  # fmt: skip
    evaluated = {sid for sid, r in obj.items() if r.total is not None}
    assert set(by_staff) >= evaluated and evaluated
    for sid in sorted(evaluated):
        cs = cli_sheets[sid]
        a = typed[sid]
        # the values a deduction applied (Điều 14 k2 b, c): the object path's own, from the
        # typed scores through the engine (evalkit.units.applied_inputs), as the CLI's
        merged = {k: v for lv in (evalkit.Level.SELF, evalkit.Level.MANAGER,
                                  evalkit.Level.COMPETENT) for k, v in a.scores(lv).items()}
        own = applied_inputs(cs.rules, merged)
        assert {c: v for c, v in cs.applied.items() if c in own} == \
            {c: v for c, v in own.items() if c in a.scores(obj[sid].level or a.counting_level())}
        mine = Sheet(cs.staff, cs.position, cs.unit, a, obj[sid], cs.rules, cs.agency,
                     signed_on=cs.signed_on, manager=cs.manager, approver=cs.approver)
        # the object path's sheet finds the applied values itself (deductions, the d)
        assert dict(mine.applied) == dict(cs.applied), sid
        assert dict(mine.level_applied) == dict(cs.level_applied), sid
        want = pdf_text(render_pdf(mine))
        got = pdf_text(by_staff[sid])
        assert got == want, sid
        for reason in obj[sid].reasons:  # every reason's sentence is printed
            assert reason.message_vi.split(" ")[0] in got.replace("\n", " "), (sid, reason.code)


@pytest.mark.slow
def test_the_year_is_the_same_through_the_cli_the_archive_and_the_frames(
    cli_run: dict[str, Any], tmp_path: Path
) -> None:
    from evalkit.io.archive import Archive

    org = cli_run["org"]
    root = cli_run["root"]
    months, units = [], []
    for m in MONTHS:
        staff, unit_results = frame_path(org, m, tmp_path)
        months.append(staff.assign(staff_id=staff["staff_id"].astype(str)))
        units.append(unit_results)
    frame_year = evalkit.classify_year(pd.concat(months, ignore_index=True),
                                       pd.concat(units, ignore_index=True))  # fmt: skip
    with Archive(root / "luu-tru.sqlite", readonly=True) as arc:
        arc_year = arc.annual(2026)
    cli_year = pd.read_csv(root / "nam.csv", encoding="utf-8-sig")

    def table(df: pd.DataFrame, total: str, grade: str) -> dict[str, tuple[Any, ...]]:
        codes = df["reasons"].fillna("").astype(str)
        return {str(s): (None if pd.isna(t) else round(float(t), 2), str(g), c)
                for s, t, g, c in zip(df["staff_id"], df[total], df[grade], codes,
                                      strict=True)}  # fmt: skip

    want = table(frame_year, "total", "grade")
    assert table(arc_year, "annual_total", "annual_grade") == want
    assert table(cli_year, "annual_total", "annual_grade") == want
    assert set(want) == {s.id for s in org.staff}
    # the reasons in words in the CLI's table are the frames' own sentences, with citations
    said = with_sentences(frame_year, langs=("vi",))["reasons_vi"].fillna("")
    assert dict(zip(cli_year["staff_id"], cli_year["reasons_vi"].fillna(""), strict=True)) \
        == dict(zip(frame_year["staff_id"].astype(str), said, strict=True))
    assert cli_year["reasons_vi"].str.contains("(NĐ 335/2025/NĐ-CP, Điều 21)", regex=False).all()
    # the object face of the roll-up (evalkit.units.rollup) gives the same annual totals
    from evalkit.units import rollup

    by_person: dict[str, list[evalkit.EvaluationResult]] = {}
    for m in MONTHS:
        for sid, r in object_path(org, m).items():
            by_person.setdefault(sid, []).append(r)
    for sid, results in by_person.items():
        leave = {"2026-01": "sick"} if sid == "CV-03" else None
        (year,) = rollup(results, leave=leave)
        assert year.total == want[sid][0], sid
        if sid == "CV-03":  # January on sick leave: the year is the months worked
            assert {"rollup.average", "rollup.leave"} <= set(year.reason_codes())
    # one annual sheet per person classified, from the same engine
    sheets = sorted((root / "nam").glob("*.pdf"))
    assert len(sheets) == sum(1 for v in want.values() if v[0] is not None)
    for p in sheets:
        text = pdf_text(p)
        sid = next(s for s in want if s in p.name)
        assert evalkit.render.fmt_number(want[sid][0]) in text, p.name


def test_unit_inputs_are_the_frames_unit_columns() -> None:
    """The walk's unit results are what UnitInputs carries (guards the fixture above)."""
    for uid, values in UNITS.items():
        u = UnitInputs(uid, "2026-03", **values)
        for k, v in values.items():
            assert u.column(k) == v


def test_no_category_is_cong_chuc_at_every_door(tmp_path: Path) -> None:
    """A staff member whose category nobody typed is a công chức at every door: a ``Staff``
    without ``category`` (its documented default), a frame without the ``category``
    column (it was refused: 'column category is needed'), a CSV without the column
    classified by the CLI with the organisation file (docs/organisation.md: ``cong_chuc``
    the default)."""
    from evalkit.io.jsonio import to_json
    from tests._io_helpers import person

    org = evalkit.Organisation(
        units=[evalkit.Unit("P1", "Phòng 1")], positions=[evalkit.Position("CV", "Chuyên viên")],
        staff=[evalkit.Staff("S1", "Người S1", "CV", "P1"),
               evalkit.Staff("S2", "Người S2", "CV", "P1")])  # fmt: skip
    rows = pd.DataFrame([person("S1"), person("S2", so_luong=60, chat_luong=70)]).assign(
        period="2026-08")
    scores = [c for c in rows.columns if c not in ("staff_id", "full_name", "position_id",
                                                   "unit_id", "period")]  # fmt: skip
    objs = evalkit.classify_organisation(org, [
        evalkit.Assessment(r["staff_id"], "2026-08", competent_scores={c: r[c] for c in scores})
        for r in rows.to_dict("records")], [])["P1"].staff  # fmt: skip
    obj = {r.staff_id: key(r) for r in objs}
    rows = rows.rename(columns={c: f"competent__{c}" for c in scores})
    rows.to_csv(tmp_path / "m.csv", index=False)
    staff, _ = evalkit.classify_frame(pd.read_csv(tmp_path / "m.csv"),
                                      pd.DataFrame({"unit_id": ["P1"], "period": ["2026-08"]}))
    frame = {r.staff_id: key(r) for r in results_from_frame(staff)}
    (tmp_path / "org.json").write_text(to_json(org), encoding="utf-8")
    ok("classify", str(tmp_path / "m.csv"), "--org", str(tmp_path / "org.json"),
       "--out", str(tmp_path / "r.json"))
    cli = {r.staff_id: key(r) for r in results_from_frame(read_results(tmp_path / "r.json"))}
    assert obj == frame == cli
    assert {r.rule_set_id for r in objs} == {"vn.nd335-2025"}
