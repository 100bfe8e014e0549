"""Shared test settings: Hypothesis profiles, and the headless browser.

`make test` runs the short Hypothesis profile; `make fuzz` the long one
(HYPOTHESIS_PROFILE=long). Browser tests use the system's Chromium (Debian's
package) through Playwright, never a downloaded browser, and skip with the
reason when either is missing.
"""

import os
import shutil

import pytest
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


def chromium_path() -> str:
    found = os.environ.get("GAZETTE_CHROMIUM") or shutil.which("chromium")
    found = found or shutil.which("chromium-browser")
    if not found:
        pytest.skip("no system Chromium (apt-get install chromium): skipping browser tests")
    return found


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="pip package playwright missing: skipping browser tests"
    )
    executable = chromium_path()
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable)
        yield launched
        launched.close()
