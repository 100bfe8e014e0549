"""Gazette in a stock Pelican site, installed as a user would install it.

A wheel of the plugin goes into a fresh virtual environment (the site's locked
dependencies, then the wheel), beside a site laid out as pelican-quickstart
writes it: its settings, Pelican's default theme, one Markdown post and one raw
story. The build must exit 0, and both must be in the front page, the feeds
and the search index, every feed keeping the ledger's ids.
"""

import json
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LOCKS = [REPO / "requirements" / "pip.lock", REPO / "requirements" / "site.lock"]

# What pelican-quickstart writes (pelican 4.12), answering: no URL prefix in development,
# Europe/London, 10 articles a page; publishconf.py sets the real URL and feeds.
PELICANCONF = """\
AUTHOR = 'Jane Editor'
SITENAME = 'Stock Site'
SITEURL = ""

PATH = "content"

TIMEZONE = 'Europe/London'

DEFAULT_LANG = 'en'

# Feed generation is usually not desired when developing
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Blogroll
LINKS = (
    ("Pelican", "https://getpelican.com/"),
)

# Social widget
SOCIAL = (
    ("You can add links in your config file", "#"),
)

DEFAULT_PAGINATION = 10

PLUGINS = ["gazette"]
"""
PUBLISHCONF = """\
import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

SITEURL = "https://stock.example"
RELATIVE_URLS = False

FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"

DELETE_OUTPUT_DIRECTORY = True
"""
POST = """\
Title: Notes from the editor
Date: 2024-03-01 10:20
Category: Notes
Tags: editing, pelican
Summary: A hand-written post beside the wire copy.

This post is **Markdown**, with a [link](https://example.com) and a second sentence.
"""
STORY = """\
Date: 2024-03-02

Harbour bridge approved after long debate

PORTSMOUTH (Reuters) - The city council approved a new harbour bridge on Tuesday
after a debate that ran past midnight.

Work is expected to start next spring.
"""


def run(command, cwd, **kwargs):
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv holding the locked site dependencies and the plugin's wheel."""
    missing = [str(lock.relative_to(REPO)) for lock in LOCKS if not lock.exists()]
    assert not missing, f"the site's locks are missing: {missing}"
    root = tmp_path_factory.mktemp("installed")
    source, dist = root / "source", root / "dist"
    # A copy of what the distribution is made from: setuptools leaves a build/ folder
    # behind, whose stale files would go into later wheels of the checkout itself.
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(
        REPO / "plugins", source / "plugins", ignore=shutil.ignore_patterns("__pycache__")
    )
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(REPO),
        ],
        REPO,
    )
    wheels = list(dist.glob("pelican_gazette-*.whl"))
    assert len(wheels) == 1, wheels
    env = root / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    pip = [str(env / "bin" / "python"), "-m", "pip", "-q", "--disable-pip-version-check"]
    for lock in LOCKS:
        run([*pip, "install", "--require-hashes", "-r", str(lock)], root)
    run([*pip, "install", "--no-deps", str(wheels[0])], root)
    run([*pip, "check"], root)  # every requirement the wheel declares is installed
    return env / "bin"


@pytest.fixture(scope="module")
def site(installed, tmp_path_factory):
    root = tmp_path_factory.mktemp("stock")
    (root / "content").mkdir()
    (root / "pelicanconf.py").write_text(PELICANCONF)
    (root / "publishconf.py").write_text(PUBLISHCONF)
    (root / "content" / "notes-from-the-editor.md").write_text(POST)
    (root / "content" / "harbour-bridge.txt").write_text(STORY)
    clean = {"PATH": str(installed), "HOME": str(root), "LC_ALL": "C.UTF-8"}
    run([str(installed / "gazette"), "--settings", "pelicanconf.py", "ingest"], root, env=clean)
    built = run(
        [str(installed / "pelican"), "content", "-s", "publishconf.py", "--fatal", "errors"],
        root,
        env=clean,
    )
    return root, built


def test_the_plugin_is_found_by_pelicans_namespace_discovery(installed):
    found = run(
        [
            str(installed / "python"),
            "-c",
            "from pelican.plugins._utils import get_namespace_plugins;"
            "print(sorted(get_namespace_plugins()))",
        ],
        installed,
    )
    assert "pelican.plugins.gazette" in found.stdout


def test_a_stock_site_builds_with_the_post_and_the_story_everywhere(site):
    root, built = site
    out = root / "output"
    said = built.stdout + built.stderr
    assert "CRITICAL" not in said and "ERROR" not in said, said
    front = (out / "index.html").read_text()
    assert "Notes from the editor" in front and "Harbour bridge approved" in front
    atom = (out / "feeds" / "all.atom.xml").read_text()
    assert "Notes from the editor" in atom and "Harbour bridge approved" in atom
    # Gazette's feeds, not Pelican's: the default FEED_ALL_ATOM would have rewritten this file.
    assert atom.count("<id>tag:") == 2
    index = out / "search" / "data"
    docs = "".join(p.read_text() for p in index.glob("d[0-9]*.json"))  # the cards
    assert "Notes from the editor" in docs and "Harbour bridge approved" in docs
    sitemap = (out / "sitemap.xml").read_text()
    assert "notes-from-the-editor" in sitemap and "harbour-bridge-approved" in sitemap
    assert (out / "2024" / "03" / "02" / "index.html").exists()  # an edition, by the fallback


def test_every_feed_keeps_the_ledgers_id(site):
    root, _ = site
    ledger = [json.loads(line) for line in (root / "content" / "seeds" / "ledger.jsonl").open()]
    story_id = next(entry["id"] for entry in ledger if entry["source"] == "harbour-bridge.txt")
    feeds = root / "output" / "feeds"
    for name in ("all.atom.xml", "all.rss.xml", "all.json", "section/news.atom.xml"):
        assert story_id in (feeds / name).read_text(), name
    ids = re.findall(r"<id>(tag:[^<]+)</id>", (feeds / "all.atom.xml").read_text())
    assert story_id in ids and len(set(ids)) == 2


def test_the_build_says_which_templates_the_theme_lacks(site):
    _, built = site
    said = " ".join((built.stdout + built.stderr).split())  # the log wraps long lines
    assert "edition.html, edition_section.html, search.html" in said
