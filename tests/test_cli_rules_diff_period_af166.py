"""``evalkit rules diff --period`` takes a month, a quarter or a year (af166, issue 13).

A quarter (``2026-Q3``) or a year (``2026``) means what it means to ``render --period`` and
to the year's classification: the data's months within it (a quarter's months, the year's
months; :func:`evalkit.rules.rule_day` is the day the year is classified on). Before, the
option took months only (``2026-Q3`` was a usage error) and, for the demo and an archive,
a month was silently ignored. The CLI and :func:`evalkit.impact.load_data` give the same
report; a period the data hold none of is refused, naming the periods they do hold.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from evalkit import rules
from evalkit.impact import compare_rule_sets, load_data
from tests._cli_helpers import run

OLD, NEW = "vn.nd90-2020", "vn.nd233-2026"
Q3 = ["2026-07", "2026-08", "2026-09"]


def diff(*args: str) -> dict[str, Any]:
    code, out, err = run("rules", "diff", *args, "--json")
    assert code == 0, err
    doc: dict[str, Any] = json.loads(out)
    return doc


@pytest.mark.parametrize(("period", "months"), [
    ("2026-Q3", Q3), ("2026", [f"2026-{m:02d}" for m in range(1, 13)]), ("2026-08", ["2026-08"])])
def test_a_quarter_or_a_year_compares_the_demos_months_within_it(period: str,
                                                                  months: list[str]) -> None:
    """The demo's months within the period are compared, as the Python door compares them."""
    got = diff(OLD, NEW, "--data", "demo", "--period", period, "--level", "period")
    source = load_data("demo", period=period)
    report = compare_rule_sets(OLD, NEW, source.staff_months, source.units,
                               fill=source.fill, level="period")  # fmt: skip
    assert got["periods"] == months == list(report.periods)
    assert got["population"] == report.population == int(
        load_data("demo").staff_months["period"].astype(str).isin(months).sum())
    assert (got["up"], got["down"]) == (report.up, report.down)


def test_a_year_of_the_demo_is_the_whole_demo_year() -> None:
    """The demo is one year (2026): ``--period 2026`` compares the same year as no period."""
    whole, year = diff(OLD, NEW, "--data", "demo"), diff(OLD, NEW, "--data", "demo",
                                                          "--period", "2026")  # fmt: skip
    assert year["annual"] and whole["annual"]
    assert {k: year[k] for k in ("periods", "population", "up", "down", "changes")} == {
        k: whole[k] for k in ("periods", "population", "up", "down", "changes")}


def _august(tmp_path: Path) -> Path:
    nd = rules.get("vn.nd335-2025")
    data = tmp_path / "thang-08.csv"
    pd.DataFrame([{"staff_id": s, "period": "2026-08", **nd.full_marks()}
                  for s in ("A", "B")]).to_csv(data, index=False)  # fmt: skip
    return data


def test_a_months_csv_is_compared_within_its_quarter_and_its_year(tmp_path: Path) -> None:
    """A CSV of August (one month, naming no rule set: read under the set in force): its
    quarter and its year keep it, as its month does."""
    data = str(_august(tmp_path))
    for period in ("2026-08", "2026-Q3", "2026"):
        got = diff("vn.nd335-2025", "vn.nd335-2025", "--data", data, "--period", period,
                   "--level", "period")  # fmt: skip
        assert (got["periods"], got["population"]) == (["2026-08"], 2)


def test_a_period_the_data_hold_none_of_is_refused_naming_what_they_hold(
        tmp_path: Path) -> None:
    """Q4 of a CSV of August: exit 1, the period it holds said, and no hint on --rules
    (the period is wrong, not the set); the demo's 2025 likewise."""
    data = str(_august(tmp_path))
    code, _out, err = run("--lang", "en", "rules", "diff", "vn.nd335-2025", "vn.nd335-2025",
                          "--data", data, "--period", "2026-Q4")
    assert code == 1
    assert "no data within 2026-Q4 (--period): the data hold the periods 2026-08" in err
    assert "--rules" not in err
    code, _out, err = run("--lang", "en", "rules", "diff", OLD, NEW, "--data", "demo",
                          "--period", "2025")
    assert code == 1 and "no data within 2025 (--period)" in err


def test_a_bad_period_is_a_usage_error_naming_the_three_kinds() -> None:
    code, _out, err = run("--lang", "en", "rules", "diff", OLD, NEW, "--data", "demo",
                          "--period", "2026-Q5")
    assert code == 2
    assert "is not a period such as 2026-03, 2026-Q1 or 2026" in err


def test_an_archive_is_compared_within_the_period_too(tmp_path: Path) -> None:
    """An archive of April and May 2026 (tests/test_year_shares_af166.py's commune, three
    people): May alone, the second quarter or the year keep what lies within them."""
    from tests.test_year_shares_af166 import RULES, cli_year

    cli_year(tmp_path)
    archive = str(tmp_path / "luu-tru.sqlite")
    for period, months in (("2026-05", ["2026-05"]), ("2026-Q2", ["2026-04", "2026-05"]),
                           ("2026", ["2026-04", "2026-05"])):  # fmt: skip
        got = diff(RULES, RULES, "--data", archive, "--period", period, "--level", "period")
        assert (got["periods"], got["population"]) == (months, 3 * len(months))
    code, _out, err = run("--lang", "en", "rules", "diff", RULES, RULES, "--data", archive,
                          "--period", "2026-Q3")
    assert code == 1 and "the data hold the periods 2026-04, 2026-05" in err


def test_the_help_says_the_three_kinds_in_vietnamese() -> None:
    code, out, _err = run("rules", "diff", "--help")
    assert code == 0 and "YYYY-MM|YYYY-Qn|YYYY" in out
    assert "tháng, quý hoặc năm" in " ".join(out.split())
