"""``PLUGINS = ["gazette"]`` with ``PLUGIN_PATHS = ["plugins"]``, in a checkout where Gazette
is not installed: Pelican finds this module, which adds this folder's copy of the
``pelican.plugins.gazette`` package to Pelican's plugin namespace and loads it from
there, so the plugin's modules are only ever imported under that one name."""

import os

import pelican.plugins

_HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pelican", "plugins")
if _HERE not in list(pelican.plugins.__path__):
    pelican.plugins.__path__.append(_HERE)

from pelican.plugins.gazette import register  # noqa: E402

__all__ = ["register"]
