"""Gazette's settings from a Pelican settings file, for the commands."""

import contextlib
import io
import os
import sys

from ..settings import Config, misspelled, resolve


class SettingsFileError(Exception):
    """The settings file cannot be read; the message says why, in one line."""


def load_config(settings_file: str) -> Config:
    """Gazette's config from a Pelican settings file; the defaults when it is the default
    ``pelicanconf.py`` and absent. Misspelled GAZETTE_* names are warned about on stderr;
    a file that is missing (when named), does not run, or holds a value of the wrong type
    is a SettingsFileError or settings.SettingsError."""
    if not os.path.exists(settings_file):
        if settings_file == "pelicanconf.py":
            return resolve({"PATH": "."})
        raise SettingsFileError("no such settings file")
    if not os.path.isfile(settings_file):
        raise SettingsFileError("not a settings file (a folder?)")
    values = read(settings_file)
    for warning in misspelled(values):
        print(f"gazette: {settings_file}: warning: {warning}", file=sys.stderr)
    return resolve(values)


def read(settings_file: str) -> dict:
    """Pelican's read_settings, its failures as one line (the error, file and line)."""
    from pelican.settings import read_settings

    quiet = io.StringIO()
    try:
        with contextlib.redirect_stdout(quiet):
            return read_settings(settings_file)
    except SyntaxError as err:
        raise SettingsFileError(f"line {err.lineno}: {err.msg}") from err
    except Exception as err:  # noqa: BLE001 - any error in the user's Python file
        line = _line_in(err, settings_file)
        raise SettingsFileError(f"{line}{type(err).__name__}: {err}") from err


def _line_in(err: BaseException, settings_file: str) -> str:
    frames = []
    trace = err.__traceback__
    while trace is not None:
        frames.append(trace)
        trace = trace.tb_next
    wanted = os.path.abspath(settings_file)
    for frame in reversed(frames):
        if os.path.abspath(frame.tb_frame.f_code.co_filename) == wanted:
            return f"line {frame.tb_lineno}: "
    return ""
