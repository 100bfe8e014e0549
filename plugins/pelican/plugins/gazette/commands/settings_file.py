"""Gazette's resolved settings from a Pelican settings file, for the commands."""

import os

from .. import settings


def load_config(settings_file: str) -> settings.Config:
    """Gazette's config from a Pelican settings file (defaults when it is absent)."""
    if not os.path.exists(settings_file):
        return settings.resolve({"PATH": "."})
    from pelican.settings import read_settings

    return settings.resolve(read_settings(settings_file))
