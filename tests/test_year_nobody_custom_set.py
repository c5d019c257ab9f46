"""A year in which nobody was scored, under an agency's own rule set (issue 13, af85).

Phòng U, January to March 2026, under the Sở's rule file ``so.nd335-ht80`` (it extends
NĐ 335/2025 and moves the HTT band to 80: 80 to < 90 HTT, 50 to < 80 HT). The unit did 7
of its 10 tasks each month: a score of 70 — HT under the Sở's bands (HTT under NĐ 335's,
so a unit graded under the preset instead is seen). Nobody of the unit was scored: either
no staff row at all, or both people on maternity leave every month.

The year's units are graded from the months' unit results under the set the months were
classified with — the Sở's, named (``rules=``) or carried in ``attrs["rule_sets"]`` — at
every door: the frames (:func:`evalkit.classify_year`, then
:func:`evalkit.workflow.year_units`), the objects (:func:`evalkit.classify_organisation_year`),
the archive (``Archive.annual``) and the command line (``evalkit annual --rules FILE --pdf``:
the unit's year summary). Never an unknown-set error, a KeyError or a silent empty result.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import evalkit
from evalkit import workflow
from evalkit.io.archive import Archive
from evalkit.units import UnitInputs, classify_frame, classify_year
from tests._cli_helpers import run

RULE_ID = "so.nd335-ht80"
BANDS = "".join(f'''
[[bands]]
grade = "{g}"
min = {lo}
max = {hi}
source = "Quy chế đánh giá của Sở, Điều 5"
''' for g, lo, hi in (("HTXS", 90, 100), ("HTT", 80, 90), ("HT", 50, 80), ("KHT", 0, 50)))
RULE_TEXT = f'''id = "{RULE_ID}"
extends = "vn.nd335-2025"
source = "Quy chế đánh giá của Sở (thử nghiệm)"
{BANDS}'''
MONTHS = ("2026-01", "2026-02", "2026-03")
PEOPLE = ("A", "B")
KINDS = ("no staff rows", "everyone on leave")


@pytest.fixture(scope="module")
def rule_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "quy-dinh-so.toml"
    path.write_text(RULE_TEXT, encoding="utf-8")
    return path


def _month(per: str, kind: str, rs: evalkit.RuleSet
           ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """The month's results (inputs beside the engine's columns), unit results and units."""
    cols = ["staff_id", "full_name", "unit_id", "period", "category", "leave"]
    staff = pd.DataFrame([dict(zip(cols, (s, f"Người {s}", "U", per, "cong_chuc", "maternity"),
                                   strict=True)) for s in PEOPLE] if kind != KINDS[0] else
                         {c: pd.Series(dtype=object) for c in cols})  # fmt: skip
    units = pd.DataFrame([{"unit_id": "U", "name": "Phòng U", "period": per,
                           "tasks_assigned": 10, "tasks_done": 7}])
    out, unit_results = classify_frame(staff, units, rs)
    results = pd.concat([staff, out[[c for c in out.columns if c not in staff]]], axis=1)
    results.attrs.update(out.attrs)  # the set is carried on as classify_frame gave it
    return results, unit_results, units


def _archive(made: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]], rule_file: Path,
             folder: Path) -> Path:  # fmt: skip
    """The months finalized into an archive (the rule file resolves their set's id)."""
    with Archive(arc := folder / "a.sqlite") as a:
        for (results, unit_results, inputs), p in zip(made, MONTHS, strict=True):
            a.finalize(results, by="TCCB", units=unit_results, unit_inputs=inputs,
                       rules=rule_file, period=p)  # fmt: skip
    return arc


def _grade(frame: pd.DataFrame) -> tuple[str, float]:
    [row] = frame[frame["unit_id"] == "U"].to_dict("records")
    return str(row["grade"]), float(row["score"])


@pytest.mark.parametrize("kind", KINDS)
def test_every_door_grades_the_unit_under_the_agencys_set(
        kind: str, rule_file: Path, tmp_path: Path) -> None:  # fmt: skip
    rs = evalkit.rules.load(rule_file)
    assert RULE_ID not in evalkit.rules.default_registry()  # the agency's own, unregistered
    made = [_month(p, kind, rs) for p in MONTHS]
    staff = pd.concat([m[0] for m in made], ignore_index=True)
    units = pd.concat([m[1] for m in made], ignore_index=True)
    # by hand: 7 of 10 tasks each month → 70; the Sở's bands: 50 to < 80 HT
    want = ("HT", 70.0)
    # frames: the set named (the object, or the rule file's path), or carried in attrs
    for rules in (rs, str(rule_file), None):
        year = classify_year(staff, units, rules)
        assert (year["total"].notna().sum(), len(year)) == (0, 0 if kind == KINDS[0] else 2)
        assert _grade(workflow.year_units(year, units)) == want, rules
    # objects
    org = evalkit.Organisation(units=[evalkit.Unit("U", "Phòng U")],
                               positions=[evalkit.Position("CV", "Chuyên viên")],
                               staff=[evalkit.Staff(s, f"Người {s}", "CV", "U") for s in PEOPLE])
    ucs = [evalkit.classify_organisation(
        org, [] if kind == KINDS[0] else [evalkit.Assessment(s, p, leave="maternity")
                                          for s in PEOPLE],
        [UnitInputs("U", p, tasks_assigned=10, tasks_done=7)], rs) for p in MONTHS]  # fmt: skip
    unit = evalkit.classify_organisation_year(ucs, rs)["U"].unit
    assert (unit.rule_set_id, unit.grade and unit.grade.code, unit.score) == (RULE_ID, *want)
    # the archive and the command line (the rule file, as `evalkit annual --rules` takes it)
    with Archive(arc := _archive(made, rule_file, tmp_path)) as a:
        annual = a.annual(2026, rules=rule_file)
    assert list(annual.columns[:6]) == ["staff_id", "full_name", "unit_id", "annual_total",
                                        "annual_grade", "reasons"]  # fmt: skip
    assert annual["annual_grade"].isna().all() and len(annual) == len(year)
    pytest.importorskip("weasyprint")  # (the unit's year summary is a PDF)
    from tests.test_render_reports import pdf_text

    code, out, err = run("annual", "--year", "2026", "--archive", str(arc), "--rules",
                         str(rule_file), "--pdf", str(tmp_path / "pdf"))  # fmt: skip
    assert code == 0, (out, err)

    [summary] = (tmp_path / "pdf" / "units").iterdir()
    text = re.sub(r"\s+", " ", pdf_text(summary.read_bytes())[1])
    # the unit's own result: 70, HT under the Sở's bands (HTT under NĐ 335's)
    assert "Điểm được công nhận 70 Xếp loại của đơn vị: Hoàn thành nhiệm vụ" in text, text


def test_without_the_set_the_error_names_it(rule_file: Path, tmp_path: Path) -> None:
    """Nobody scored and the set neither named nor carried (the months' frames rebuilt
    without their ``attrs``): the units cannot be graded, and the error names the set
    missing — never a KeyError or an empty result. The archive's year without ``--rules``
    needs no name: ``finalize`` kept the units' set whole (af190), so the year is graded
    under it, as with ``--rules``."""
    made = [_month(p, KINDS[0], evalkit.rules.load(rule_file)) for p in MONTHS]
    staff = pd.concat([m[0] for m in made], ignore_index=True).copy()
    units = pd.concat([m[1] for m in made], ignore_index=True).copy()
    staff.attrs, units.attrs = {}, {}
    year = classify_year(staff, units)
    with pytest.raises(evalkit.EvalkitError, match=f"unknown rule set '{RULE_ID}'"):
        workflow.year_units(year, units)
    pytest.importorskip("weasyprint")  # (the units are graded for the year's summaries)
    from tests.test_render_reports import pdf_text

    code, out, err = run("annual", "--year", "2026", "--archive",
                         str(_archive(made, rule_file, tmp_path)), "--pdf", str(tmp_path / "pdf"))
    assert code == 0, (out, err)
    [summary] = (tmp_path / "pdf" / "units").iterdir()
    text = re.sub(r"\s+", " ", pdf_text(summary.read_bytes())[1])
    # the unit's own result under the kept Sở's bands: 70, HT (HTT under NĐ 335's)
    assert "Điểm được công nhận 70 Xếp loại của đơn vị: Hoàn thành nhiệm vụ" in text, text


@pytest.mark.parametrize("kind", KINDS)
def test_the_hint_names_the_set_the_caller_passed(kind: str, rule_file: Path) -> None:
    """The objects door given the year under another unregistered set than the months'
    (``so.nd335-ht81``, a what-if of the Sở's): the months' ``so.nd335-ht80`` cannot be
    found, and the "did you mean" hint names the set the caller passed — never a registered
    preset it has nothing to do with; said in Vietnamese too. A set given that is nothing
    like the missing one gives no hint."""
    import attrs

    from evalkit.messages import translate

    rs = evalkit.rules.load(rule_file)
    org = evalkit.Organisation(units=[evalkit.Unit("U", "Phòng U")],
                               positions=[evalkit.Position("CV", "Chuyên viên")],
                               staff=[evalkit.Staff(s, f"Người {s}", "CV", "U") for s in PEOPLE])
    said = [] if kind == KINDS[0] else [evalkit.Assessment(s, p, leave="maternity")
                                        for s in PEOPLE for p in MONTHS]  # fmt: skip
    ucs = [evalkit.classify_organisation(org, [a for a in said if str(a.period) == p],
                                         [UnitInputs("U", p, tasks_assigned=10, tasks_done=7)],
                                         rs) for p in MONTHS]  # fmt: skip
    for other, hint in ((attrs.evolve(rs, id="so.nd335-ht81"), "; did you mean 'so.nd335-ht81'?"),
                        (attrs.evolve(rs, id="tinh.quy-che-khac"), "")):  # fmt: skip
        with pytest.raises(evalkit.EvalkitError) as exc:
            evalkit.classify_organisation_year(ucs, other)
        assert str(exc.value) == f"unknown rule set '{RULE_ID}'{hint}", exc.value
        vi = translate(str(exc.value))
        assert vi == f"không có bộ quy định '{RULE_ID}'" + (
            "; có phải là 'so.nd335-ht81'?" if hint else ""), vi
