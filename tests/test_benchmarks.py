"""The benchmarks stay runnable and honest: their data follow the presets (a renamed
criterion breaks them here, not on the day of a benchmark run), and each bare baseline
computes the same answer as evalkit on the benchmark's own data (a baseline that skips
work would make every ratio a flattering one)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

import evalkit

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

GRADES = {0: "KHT", 1: "HT", 2: "HTT", 3: "HTXS"}


@pytest.mark.parametrize("n", [2_400, 12_000])
def test_the_classification_baseline_gives_evalkits_year(n: int) -> None:
    """bench_classify: the bare pipeline's annual totals and grades (after the head cap and
    the quota) equal evalkit's classify_frame + classify_year, person by person."""
    import bench_classify as b

    sm, units = b.make_data(n)
    ours = b.evalkit_pipeline(sm, units).set_index("staff_id")
    bare = b.bare_pipeline(sm, units).set_index("staff_id")
    assert len(ours) == len(bare) == n // 12
    ours = ours.reindex(bare.index.astype(str))
    assert (ours["total"].to_numpy() - bare["total"].to_numpy()).__abs__().max() < 1e-9
    assert ours["grade"].astype(str).tolist() == bare["grade"].map(GRADES).tolist()
    # the data exercise what the ratio claims: caps, quota and a disqualifier
    reasons = ours["reasons"].astype(str)
    assert reasons.str.contains("quota.demoted").any()
    assert reasons.str.contains("disqualifier.discipline").any()


def test_the_scoring_baseline_gives_evalkits_grades() -> None:
    import bench_score as b

    df = b.make_frame(5_000)
    ours = evalkit.score_frame(df, evalkit.rules.get("vn.nd335-2025"))
    assert ours["grade"].astype(str).tolist() == b.bare(df).tolist()


def test_the_sheet_benchmark_scores_its_sheets() -> None:
    """bench_render / bench_scaling build their sheets through evalkit.score."""
    import bench_render as b

    sheets = b.make_sheets(3)
    assert [s.result.total for s in sheets] == [evalkit.score(s.assessment, staff=s.staff,
                                                              rules=s.rules,
                                                              position=s.position).total
                                                for s in sheets]  # fmt: skip


def test_the_validation_benchmark_workbook_has_only_its_planted_problems(tmp_path: Path) -> None:
    """bench_validate writes a workbook in the template's layout with a few planted
    problems (over a maximum, text in a number cell, a blank required cell): evalkit finds
    those and nothing else."""
    import bench_validate as b

    from evalkit.io import workbook

    path = b.make_workbook(tmp_path / "month.xlsx", 3_000)
    frame, problems = workbook.read_workbook(path)
    assert len(frame) == 3_000
    assert problems, "the planted problems are found"
    for p in problems:
        assert any(w in str(p) for w in ("exceeds", "not a number", "blank", "vượt",
                                         "không phải", "để trống")), str(p)  # fmt: skip


def test_the_sheet_data_is_distinct() -> None:
    import bench_render as b

    names = [s.staff.full_name for s in b.make_sheets(12)]
    assert len(set(names)) > 6
    assert pd.Series(names).str.len().min() > 5


def test_the_object_benchmark_month_is_classified_alike_by_both_faces() -> None:
    """bench_objects: its month exercises the head cap, the quota and a spread of bands,
    and the object face gives classify_frame's grades person by person."""
    import bench_objects as b

    from evalkit.units import classify_frame, classify_organisation, frames_from_objects

    org, assessments, inputs = b.make_month(12)
    objects = classify_organisation(org, assessments, inputs, b.RULES)
    sm, units = frames_from_objects(org, assessments, inputs)
    frame, _ = classify_frame(sm, units, b.RULES, positions={p.id: p for p in org.positions})
    by_id = {r.staff_id: r for c in objects.values() for r in c.staff}
    assert len(by_id) == len(frame) == 120
    got = [by_id[s].grade.code if by_id[s].grade else None for s in frame["staff_id"]]
    assert got == frame["grade"].astype(object).where(frame["grade"].notna(), None).tolist()
    codes = {c for r in by_id.values() for c in r.reason_codes()}
    assert {"cap.head_unit", "quota.demoted", "band"} <= codes
    assert len({r.score_grade for r in by_id.values()}) >= 2


def test_the_province_benchmark_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """bench_province at a small size: its three rows, the sheets made for a tenth of the
    staff (never a timing asserted)."""
    import bench_province as b

    monkeypatch.setenv("BENCH_N", "2400")
    rows = b.main()
    assert [r["figure"].split(" ")[0] for r in rows] == ["counted_periods", "classify_year",
                                                         "annual"]
    assert "of 20 people" in rows[2]["figure"]


def test_the_sentence_benchmark_says_what_the_reason_objects_say(monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:  # fmt: skip
    """bench_sentences: its year's words (``with_sentences``, one language worked out) are
    the sentences of the reason objects (``make_reasons``, both languages), row by row, in
    Vietnamese and English; its row is measured."""
    import bench_classify
    import bench_sentences as b

    from evalkit.reasons import SENTENCE_SEPARATOR, make_reasons, with_sentences

    year = bench_classify.evalkit_pipeline(*bench_classify.make_data(6_000))
    words = with_sentences(year)
    rs = evalkit.rules.get("vn.nd335-2025")
    assert set(year["rule_set"].astype(str)) == {rs.id}
    seen: set[str] = set()
    for rec, vi, en in zip(year.to_dict(orient="records"), words["reasons_vi"],
                           words["reasons_en"], strict=True):  # fmt: skip
        reasons = make_reasons(rec["reasons"], rs, rec)
        seen.update(r.code for r in reasons)
        for lang, said in (("vi", vi), ("en", en)):
            assert said == SENTENCE_SEPARATOR.join(
                f"{r.message(lang)} ({r.source})" if r.source else r.message(lang)
                for r in reasons)  # fmt: skip
    assert {"band", "rollup.average", "quota.demoted", "cap.head_unit"} <= seen
    monkeypatch.setenv("BENCH_N", "2400")
    (row,) = b.main()
    assert row["evalkit"].endswith(" s") and float(row["ratio"]) > 0


def test_the_migration_benchmark_makes_the_file_schema_3_wrote(tmp_path: Path) -> None:
    """bench_archive.as_schema_3 of the migrated fixture (written by schema 3's evalkit)
    gives back its schema 3 seals and amendment links, byte for byte, and migrates again."""
    import shutil
    import sqlite3

    import bench_archive as b

    from evalkit.io.archive import Archive
    from tests.test_archive_category import V3

    def seals(path: Path) -> list[tuple[str, str]]:
        db = sqlite3.connect(path)
        try:
            return db.execute("SELECT period, chain FROM months UNION ALL SELECT id, chain FROM "
                              "amendments ORDER BY 1").fetchall()  # fmt: skip
        finally:
            db.close()

    path = tmp_path / "a.sqlite"
    shutil.copyfile(V3, path)
    Archive(path).close()
    assert seals(path) != seals(V3)
    b.as_schema_3(path)
    assert seals(path) == seals(V3)
    with Archive(path) as arc:
        report = arc.verify()
    assert report.ok and sum(len(m.superseded) for m in report.months) == 14
