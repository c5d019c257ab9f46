"""Task af113 item 3: the year's results file (``annual --out nam.json``) given to
``render`` is refused once, saying where the year's sheets come from (``annual --pdf``,
``render --period YYYY --archive``, the months' results files), never row by row "kỳ 2026
không phải là một tháng" nor with the ``--no-classify`` hint of an archive without unit
results (the months here were finalized with them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit.io.archive import Archive
from evalkit.io.results import write_results
from evalkit.messages import text
from tests._archive_helpers import classified
from tests._cli_helpers import ok, run

PEOPLE = {"H": 100.0, "A": 100.0, **{f"B{i}": 80.0 for i in range(4)}}


@pytest.fixture(scope="module")
def year_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two months finalized with their unit results and inputs; the year written by
    ``annual --out``."""
    folder = tmp_path_factory.mktemp("af113-year")
    path = folder / "luu-tru.sqlite"
    with Archive(path) as arc:
        for per in ("2026-03", "2026-04"):
            results, units, inputs = classified(per, PEOPLE, head="H")
            arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
    out = folder / "nam.json"
    ok("annual", "--archive", str(path), "--year", "2026", "--out", str(out))
    return out


@pytest.mark.parametrize("period", [(), ("--period", "2026"), ("--period", "2026-Q1")],
                         ids=["no period", "the year", "a quarter"])  # fmt: skip
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_years_results_file_is_refused_saying_where_the_years_sheets_come_from(
    year_file: Path, tmp_path: Path, period: tuple[str, ...], lang: str,
) -> None:
    out = tmp_path / "phieu"
    code, stdout, err = run("render", str(year_file), "--out", str(out), *period,
                            "--lang", lang)  # fmt: skip
    assert code == 1, (stdout, err)
    said = text("cli.render.year_results", lang, file=str(year_file), year="2026")
    prefix = "Lỗi: " if lang == "vi" else "Error: "
    assert err == f"{prefix}{said}\n"
    # what to do, in the run's language; the hints that do not apply are gone
    assert "annual --year 2026" in err and "--pdf" in err
    assert "render --period 2026 --archive" in err
    assert "--no-classify" not in err and "--unit-grades" not in err
    assert "không phải là một tháng" not in err and "is not a month" not in err
    if lang == "vi":
        assert "kết quả cả năm 2026" in err and "tháng" in err
    else:
        assert "holds the results of the year 2026" in err
    assert not out.exists() or not any(out.rglob("*.pdf"))


def test_a_months_results_file_still_renders(tmp_path: Path) -> None:
    """The refusal is the year's only: a month's results file (the archive's month
    written out) renders as before, one sheet per person."""
    path = tmp_path / "luu-tru.sqlite"
    results, units, inputs = classified("2026-03", PEOPLE, head="H")
    with Archive(path) as arc:
        arc.finalize(results, by="TCCB", units=units, unit_inputs=inputs)
        month = arc.month("2026-03")
        month.attrs["period"] = "2026-03"
    written = write_results(month, tmp_path / "thang-03.json")
    code, stdout, err = run("render", str(written), "--out", str(tmp_path / "p"))
    assert code == 0, (stdout, err)
    assert len(list((tmp_path / "p").glob("*.pdf"))) == len(PEOPLE)
