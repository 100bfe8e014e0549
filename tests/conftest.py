"""Shared test settings: Hypothesis profiles.

`make test` runs the short profile; `make fuzz` the long one (HYPOTHESIS_PROFILE=long).
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=300, deadline=None)
settings.register_profile(
    "long",
    max_examples=100_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("medium", max_examples=5_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
