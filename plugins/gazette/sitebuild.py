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

    ``ingest`` records new stories in the ledger first; ``strict`` makes any
    rejected raw file or logged error fail the build; ``site_url`` overrides
    SITEURL (the dev server's own address); ``page_cache`` reuses the story
    pages of the last build that nothing changed (pagecache.py).
    """
    staging = output.rstrip("/") + ".building"
    shutil.rmtree(staging, ignore_errors=True)
    python = sys.executable
    steps = []
    if ingest:
        steps.append([python, "-m", "gazette.cli", "--settings", settings_file, "ingest"])
    pelican = [python, "-m", "pelican", "-s", settings_file, "-o", staging]
    pelican += ["--log-handler", "plain"]
    if site_url:
        pelican += ["-e", f"SITEURL={json.dumps(site_url)}"]
    if page_cache:
        pelican += ["-e", "GAZETTE_PAGE_CACHE=true"]
    if strict:
        pelican += ["-e", "GAZETTE_STRICT=true", "--fatal", "errors"]
    steps.append(pelican)
    logs = []
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        logs.append(done.stdout + done.stderr)
        if done.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            return False, "".join(logs)
    replace_folder(staging, output)
    return True, "".join(logs)


def replace_folder(new: str, old: str) -> None:
    """Put ``new`` where ``old`` is; ``old`` stays complete until the swap."""
    retired = old.rstrip("/") + ".old"
    shutil.rmtree(retired, ignore_errors=True)
    if os.path.exists(old):
        os.rename(old, retired)
    os.rename(new, old)
    shutil.rmtree(retired, ignore_errors=True)
