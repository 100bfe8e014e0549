"""Pelican settings for the production build (``make publish``).

Everything from pelicanconf.py, with the real site URL and a strict build:
any rejected raw file or plugin error fails the build.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("GAZETTE_SITEURL", "https://gazette.example")
RELATIVE_URLS = False
GAZETTE_STRICT = True
