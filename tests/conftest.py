"""Shared test configuration: Hypothesis profiles chosen by HYPOTHESIS_PROFILE.

``ci`` (the default of ``make test``) keeps the suite within a few minutes on 2 cores and is
derandomized: each test draws the same examples on every run (seeded from the test itself),
so a CI run on a clean clone tests exactly what passed here, and a failure is reproducible;
``dev`` is quicker still and random; ``thorough`` runs many more examples, at random, to look
for what the fixed ``ci`` examples miss (``HYPOTHESIS_PROFILE=thorough make test``).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

#: Variables of the machine running the suite that change what evalkit or rich prints,
#: unset for the whole run (and the commands the tests start) so that the suite gives the
#: same answers on every machine: evalkit's own (a CI runner with ``EVALKIT_LANG=en``
#: would print English where the tests read Vietnamese; ``EVALKIT_ARCHIVE`` would send
#: ``finalize`` to another file) and rich's (``COLUMNS`` re-wraps the tables the tests
#: read; ``FORCE_COLOR`` / ``TTY_COMPATIBLE`` put colour codes into captured output).
#: A test that needs one sets it itself (``monkeypatch.setenv``).
MACHINE_VARIABLES = (
    "EVALKIT_LANG", "EVALKIT_ARCHIVE", "EVALKIT_DEBUG",
    "COLUMNS", "LINES", "JUPYTER_COLUMNS", "JUPYTER_LINES",
    "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CLICOLOR_FORCE",
)  # fmt: skip
for _name in MACHINE_VARIABLES:
    os.environ.pop(_name, None)


@pytest.fixture(scope="module")
def demo_report() -> object:
    """The demo agency's year compared under NĐ 90/2020 and NĐ 233/2026 (an
    :class:`evalkit.impact.ImpactReport`), once per module that asks for it."""
    from evalkit.impact import compare_rule_sets, demo_data

    data = demo_data()
    return compare_rule_sets("vn.nd90-2020", "vn.nd233-2026", data.staff_months, data.units,
                             fill=data.fill)  # fmt: skip
