"""Issue 16's archive figures, in bounded time: kill -9 during finalize, processes writing
at once, and the tampering table. ``benchmarks/archive_reliability.py`` runs the full
numbers for docs/reliability.md."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.archive_attacks import concurrency_rounds, kill_trials, summary, tamper_outcomes

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_finalize_killed_at_random_moments_leaves_the_state_before_or_after(
    tmp_path: Path,
) -> None:
    """SIGKILL anywhere in finalize (checks, writing, sealing, commit): the month is wholly
    absent or wholly there, the earlier month intact, and the file verifies."""
    trials = kill_trials(tmp_path, 8)
    assert [t.verified for t in trials] == [True] * 8
    assert {t.state for t in trials} <= {"before", "after"}


def test_processes_finalizing_and_amending_at_once_lose_nothing(tmp_path: Path) -> None:
    """Two rounds of three processes (two finalizing, one amending four times)."""
    rounds = concurrency_rounds(tmp_path, 2)
    assert [(r.months, r.amendments, r.lost, r.verified) for r in rounds] == [
        (3, 4, 0, True)] * 2


def test_the_tampering_table_has_no_attempt_that_went_unnoticed(tmp_path: Path) -> None:
    """Every attempt refused (file unchanged) or detected; none neither."""
    rows = summary(list(tamper_outcomes(tmp_path)))
    assert [r["neither"] for r in rows] == [0] * len(rows)
    assert sum(r["tried"] for r in rows) == sum(r["refused"] + r["detected"] for r in rows)
