"""Mutated rule files never end in a traceback (issue 16 item 5, rule-file family).

Hypothesis mutates every preset's TOML text and its parsed mapping (a number's sign or
size, a string emptied, a key or table deleted or duplicated, a type changed, deep nesting,
a cut or non-UTF-8 file) and each mutant must be a RuleSetError naming the file and the key
path or line, or a rule set that ``check_rule_set``'s static checks accept (or refuse with
a reason) and under which a member of staff and a leader with full marks are scored
without error. The ``ci`` profile keeps this well under a minute; ``python -m tests.fuzz
rule_files`` (``make fuzz``) tries 10,000 mutants and also classifies a year of each.
"""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import fuzz
from tests._fuzz_rule_files import PRESETS, Case, Outcome, cases, run, run_case

#: Examples per kind: the ci profile stays well under a minute on 2 cores.
EXAMPLES = {"ci": 300, "dev": 60, "thorough": 3000}.get(
    os.environ.get("HYPOTHESIS_PROFILE", "dev"), 40)  # fmt: skip



def _check(case: Case, outcome: Outcome) -> None:
    assert outcome.kind != "failure", (
        f"{case.preset}: {case.mutation}\n{outcome.detail}"
    )


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.data())
def test_a_mutated_rule_file_is_a_located_error_or_a_set_that_scores(data: Any) -> None:
    """Mutations of a preset's TOML text: a located error or a usable rule set."""
    case = cases(fuzz.HypothesisChooser(data), "text")
    _check(case, run_case(case, year=False))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.data())
def test_a_mutated_rule_mapping_is_a_located_error_or_a_set_that_scores(data: Any) -> None:
    """Mutations of a preset's parsed mapping: a located error or a usable rule set."""
    case = cases(fuzz.HypothesisChooser(data), "data")
    _check(case, run_case(case, year=False))


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_unmutated_preset_is_accepted_with_a_year_classified(name: str) -> None:
    """The harness itself: an unmutated preset loads, passes the static checks, scores."""
    case = Case(name, "none", text=PRESETS[name].encode())
    assert run_case(case) == Outcome("accepted")


def test_the_fuzz_runner_prints_the_summary_table() -> None:
    """``python -m tests.fuzz rule_files -n 40`` runs both kinds and prints the table."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = fuzz.main(["rule_files", "-n", "40", "--seed", "3"])
    assert code == 0, err.getvalue()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("| family | tried | located errors |")
    assert any(ln.startswith("| rule files (TOML text) | 20 |") for ln in lines)
    assert any(ln.startswith("| rule files (parsed data) | 20 |") for ln in lines)
    assert any(ln.startswith("| **all** | 40 |") for ln in lines)


def test_the_runner_refuses_an_unknown_family() -> None:
    """A misspelt family is a usage error, not an empty run."""
    with pytest.raises(SystemExit), redirect_stderr(io.StringIO()):
        fuzz.main(["rule_file"])


def test_the_seeded_run_is_repeatable() -> None:
    """The same seed mutates the same way: a failure found once can be found again."""
    a = [t.counts for t in run(16, seed=5)]
    b = [t.counts for t in run(16, seed=5)]
    assert a == b
