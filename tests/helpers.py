"""Build tiny Gazette sites in temporary folders, the way a publisher would."""

import subprocess
import sys
from pathlib import Path

# The gazette command, run as a module of the package (no installed script needed).
GAZETTE_CLI = "pelican.plugins.gazette.commands.cli"

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "seeds" / "000_63138d52634a9ea7.txt"


def write_site(root: Path, files: dict[str, bytes | str], **settings) -> Path:
    """Raw files under root/seeds and a settings file; returns the settings path.
    Its links are absolute, as a publish build's are (tests serve the site at its SITEURL),
    unless ``RELATIVE_URLS=True`` asks for the development build's relative ones."""
    settings.setdefault("RELATIVE_URLS", False)
    for name, data in files.items():
        path = root / "seeds" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
    (root / "content" / "pages").mkdir(parents=True, exist_ok=True)
    extra = "".join(f"{key} = {value!r}\n" for key, value in settings.items())
    conf = root / "conf.py"
    conf.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from pelicanconf import *  # noqa\n"
        f"PATH = {str(root)!r}\n"
        f"THEME = {str(REPO / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(REPO / 'plugins')!r}]\n"
        "PAGE_PATHS = ['content/pages']\n" + extra
    )
    return conf


def gazette_command(conf: Path, *args: str) -> list[str]:
    """The gazette command with these settings and arguments, run as a module."""
    return [sys.executable, "-m", GAZETTE_CLI, "--settings", str(conf), *args]


def gazette(conf: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the gazette command in a fresh process."""
    command = gazette_command(conf, *args)
    return subprocess.run(command, capture_output=True, text=True, cwd=conf.parent)


def ingest(conf: Path, now: str = "2021-08-10T06:00:00+00:00") -> subprocess.CompletedProcess:
    done = gazette(conf, "ingest", "--now", now)
    assert done.returncode == 0, done.stderr
    return done


def pelican(conf: Path, output: Path, *flags: str) -> subprocess.CompletedProcess:
    """Build with Pelican in a fresh process: its signals and readers are process-global."""
    command = [sys.executable, "-m", "pelican", "-s", str(conf), "-o", str(output)]
    command += ["--log-handler", "plain", *flags]
    return subprocess.run(command, capture_output=True, text=True, cwd=conf.parent)
