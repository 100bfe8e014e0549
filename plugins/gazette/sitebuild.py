"""Whole-site builds that never leave a half-written site behind.

Pelican runs in a fresh Python process (so edited plugin code is loaded and
one build's signals never leak into the next) and writes into a staging
folder; only a successful build replaces the output folder. The dev server
and ``gazette build`` (``make publish``) both build this way.
"""

import json
import os
import shutil
import subprocess
import sys


def build(
    settings_file, output, *, ingest=False, strict=False, site_url=None, page_cache=False
) -> tuple[bool, str]:
    """Build the site into ``output``; returns (success, the build's log).

    Any logged error fails the build. ``ingest`` records new stories in the
    ledger first, in the same process (GAZETTE_INGEST); ``strict`` makes any
    rejected raw file an error too; ``site_url`` overrides SITEURL (the dev server's own
    address); ``page_cache`` reuses the story pages of the last build that
    nothing changed (pagecache.py).
    """
    staging = output.rstrip("/") + ".building"
    shutil.rmtree(staging, ignore_errors=True)
    overrides = {"GAZETTE_INGEST": ingest, "GAZETTE_PAGE_CACHE": page_cache}
    if page_cache:  # unchanged story pages are linked from the site being replaced
        overrides["GAZETTE_PREVIOUS_OUTPUT"] = os.path.abspath(output)
    if site_url:
        overrides["SITEURL"] = site_url
    if strict:
        overrides["GAZETTE_STRICT"] = True
    command = [sys.executable, "-m", "pelican", "-s", settings_file, "-o", staging]
    command += ["--log-handler", "plain"]
    # One -e with every setting: each -e replaces the settings of the one before.
    command += ["-e", *(f"{name}={json.dumps(v)}" for name, v in overrides.items())]
    command += ["--fatal", "errors"]  # a logged error (a damaged ledger, a reader bug) fails
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return False, done.stdout + done.stderr
    replace_folder(staging, output)
    return True, done.stdout + done.stderr


def replace_folder(new: str, old: str) -> None:
    """Put ``new`` where ``old`` is; ``old`` stays complete until the swap."""
    retired = old.rstrip("/") + ".old"
    shutil.rmtree(retired, ignore_errors=True)
    if os.path.exists(old):
        os.rename(old, retired)
    os.rename(new, old)
    shutil.rmtree(retired, ignore_errors=True)
