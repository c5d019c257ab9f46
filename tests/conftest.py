"""Shared test configuration: Hypothesis profiles chosen by HYPOTHESIS_PROFILE.

``ci`` (the default of ``make test``) keeps the suite within a few minutes on 2 cores and is
derandomized: each test draws the same examples on every run (seeded from the test itself),
so a CI run on a clean clone tests exactly what passed here, and a failure is reproducible;
``dev`` is quicker still and random; ``thorough`` runs many more examples, at random, to look
for what the fixed ``ci`` examples miss (``HYPOTHESIS_PROFILE=thorough make test``).
"""

from __future__ import annotations

import os

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
