"""The theme on its own: a stock Pelican site of Markdown posts, THEME set, no plugin.

What a user gets who installs only pelican-gazette-theme: Pelican's own pages (index,
articles, pages, categories, tags, authors, archives) render from Pelican's context,
the plugin's extras (editions, search, shared blocks, Gazette's feeds) are simply absent,
and the static files land under THEME_STATIC_DIR, wherever that is.
"""

import functools
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import REPO

POSTS = {
    "first-post.md": (
        "Title: First post\nDate: 2024-03-01 10:00\nCategory: Notes\nTags: pelican, themes\n"
        "Author: Ada Writer\nSummary: The first of two posts.\n\n"
        "Hello from a *Markdown* post.\n"
    ),
    "second-post.md": (
        "Title: Second post & more\nSlug: second-post\n"
        "Date: 2024-03-02 09:30\nModified: 2024-03-03 08:00\n"
        "Category: News\nTags: themes\n\nAnother post, in another category.\n"
    ),
}
PAGE = "Title: About\n\nAbout this site.\n"


def theme_path() -> str:
    import gazette_theme  # installed by `make install`: pip install -e theme

    return gazette_theme.path()


def write_stock_site(root: Path, **settings) -> Path:
    """pelican-quickstart's settings, the Gazette theme, no plugin."""
    (root / "content" / "pages").mkdir(parents=True)
    for name, text in POSTS.items():
        (root / "content" / name).write_text(text, encoding="utf-8")
    (root / "content" / "pages" / "about.md").write_text(PAGE, encoding="utf-8")
    extra = "".join(f"{key} = {value!r}\n" for key, value in settings.items())
    conf = root / "pelicanconf.py"
    conf.write_text(
        'AUTHOR = "Ada Writer"\n'
        'SITENAME = "A stock site"\n'
        'SITEURL = ""\n'
        'PATH = "content"\n'
        'TIMEZONE = "Europe/London"\n'
        'DEFAULT_LANG = "en"\n'
        "FEED_ALL_ATOM = None\n"
        "CATEGORY_FEED_ATOM = None\n"
        "TRANSLATION_FEED_ATOM = None\n"
        "AUTHOR_FEED_ATOM = None\n"
        "AUTHOR_FEED_RSS = None\n"
        'LINKS = (("Pelican", "https://getpelican.com/"),)\n'
        "DEFAULT_PAGINATION = 10\n"
        # No plugin: Pelican would otherwise load every installed namespace plugin,
        # pelican-gazette among them in this checkout's venv.
        "PLUGINS = []\n"
        f"THEME = {theme_path()!r}\n" + extra,
        encoding="utf-8",
    )
    return conf


def build(root: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pelican", "-s", "pelicanconf.py", "-o", "output"]
    command += ["--fatal", "errors", "--log-handler", "plain"]
    return subprocess.run(command, capture_output=True, text=True, cwd=root)


@functools.cache
def stock_site(root: Path, **settings) -> Path:
    write_stock_site(root, **settings)
    done = build(root)
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "output"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return stock_site(tmp_path_factory.mktemp("stock"))


EXPECTED = [
    "index.html",
    "first-post.html",
    "second-post.html",
    "pages/about.html",
    "category/notes.html",
    "category/news.html",
    "tag/themes.html",
    "tag/pelican.html",
    "categories.html",
    "tags.html",
    "archives.html",
    "authors.html",
    "author/ada-writer.html",
]


@pytest.mark.parametrize("name", EXPECTED)
def test_pelican_writes_its_pages_with_the_theme(out, name):
    page = out / name
    assert page.is_file(), sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "A stock site" in html
    assert 'href="/theme/css/gazette.css"' in html


def test_index_and_archives_list_every_post(out):
    for name in ("index.html", "archives.html"):
        html = (out / name).read_text(encoding="utf-8")
        assert "first-post.html" in html and "second-post.html" in html, name
    # A Markdown summary is paragraphs already: never a paragraph inside a paragraph.
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<div class="summary"><p>The first of two posts.</p></div>' in index


def test_article_has_its_metadata_and_no_plugin_extras(out):
    html = (out / "first-post.html").read_text(encoding="utf-8")
    assert "<h1>First post</h1>" in html
    assert "Hello from a <em>Markdown</em> post." in html
    assert 'By <a href="/author/ada-writer.html">Ada Writer</a>' in html
    assert 'href="/tag/pelican.html"' in html and 'href="/category/notes.html"' in html
    assert "The first of two posts." in html  # the summary, as the description
    # Without the plugin there is no search page, no edition and no Gazette feed to link.
    for absent in ("/search/", "edition of", "feeds/all.atom.xml", "Content-Security-Policy"):
        assert absent not in html, absent
    second = (out / "second-post.html").read_text(encoding="utf-8")
    assert 'content="2024-03-03T08:00:00+00:00"' in second  # article:modified_time
    assert "Updated" in second


def test_menu_lists_categories_and_pages(out):
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="/category/news.html"' in html and 'href="/category/notes.html"' in html
    assert 'href="/pages/about.html"' in html


def local_links(html: str) -> list[str]:
    found = re.findall(r'(?:href|src)="([^"#?]*)', html)
    return [u for u in found if u and not u.startswith(("http:", "https:", "mailto:", "//"))]


def test_every_local_link_and_asset_exists_under_another_static_dir(tmp_path):
    # THEME_STATIC_DIR moved and RELATIVE_URLS on: nothing may point at a fixed /theme/.
    # Pelican's own feeds on, as a stock site without the plugin would have them.
    feeds = {"FEED_ALL_ATOM": "feeds/all.atom.xml", "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml"}
    out = stock_site(tmp_path, THEME_STATIC_DIR="assets/gz", RELATIVE_URLS=True, **feeds)
    assert (out / "assets" / "gz" / "css" / "gazette.css").is_file()
    notes = (out / "category" / "notes.html").read_text(encoding="utf-8")
    atom = 'type="application/atom+xml" title="A stock site (Atom)"'
    assert f'{atom} href="../feeds/all.atom.xml"' in notes
    assert 'href="../feeds/notes.atom.xml"' in notes
    assert not (out / "theme").exists()
    missing = []
    for page in out.rglob("*.html"):
        for link in local_links(page.read_text(encoding="utf-8")):
            target = (page.parent / link) if not link.startswith("/") else out / link[1:]
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.append(f"{page.relative_to(out)}: {link}")
    assert not missing, missing


def test_no_template_or_stylesheet_hard_codes_the_static_folder():
    theme = REPO / "theme"
    for path in [*theme.glob("templates/*.html"), *theme.glob("static/*/*.css")]:
        assert "/theme/" not in path.read_text(encoding="utf-8"), path


def test_the_theme_builds_a_wheel_with_its_templates_and_static_files(tmp_path):
    # From a copy: setuptools leaves build/ beside the sources, and would ship stale files.
    source = tmp_path / "theme"
    shutil.copytree(REPO / "theme", source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
    command += ["--no-build-isolation", "--wheel-dir", str(tmp_path), str(source)]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = tmp_path.glob("pelican_gazette_theme-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = ["__init__.py", "templates/base.html", "templates/article.html"]
    wanted += ["static/css/gazette.css", "static/js/gazette.js", "static/images/feed-icon.png"]
    assert {f"gazette_theme/{name}" for name in wanted} <= names, sorted(names)
    assert not any(name.startswith("gazette_theme/pyproject") for name in names)


def test_counts_read_right_without_the_plugin(out):
    # Its counts come from the theme's `counted` macro, which words them itself when the
    # plugin's filter is not there: one post a category, two by the author.
    categories = (out / "categories.html").read_text(encoding="utf-8")
    assert categories.count("1 article;") == 2 and "1 articles" not in categories
    author = (out / "author" / "ada-writer.html").read_text(encoding="utf-8")
    assert "2 articles, newest first" in author
    authors = (out / "authors.html").read_text(encoding="utf-8")
    assert "2 articles" in authors
