"""Pelican settings for developing the digest (``make html``, ``make serve``).

Gazette's own settings are the ``GAZETTE_*`` names; their defaults and
meaning are documented in plugins/pelican/plugins/gazette/settings.py.
"""

AUTHOR = "Gazette"
SITENAME = "The Gazette Digest"
SITESUBTITLE = "The day's news, briefly"
# Pages link to each other and to the theme's files by relative URLs, so a development
# build looks right wherever it is served (any host or port, a sub-folder, file://).
# SITEURL stays absolute for what must be: feeds, sitemaps, structured data, the build
# report. publishconf.py turns RELATIVE_URLS off: canonical links are then absolute too.
SITEURL = "http://127.0.0.1:8000"
RELATIVE_URLS = True
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

# Content: raw articles in seeds/, hand-written pages in content/pages/.
PATH = "."
ARTICLE_PATHS = ["seeds"]
PAGE_PATHS = ["content/pages"]
STATIC_PATHS = []
IGNORE_FILES = [".#*", "__pycache__"]
OUTPUT_PATH = "output"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["gazette"]

# Clean news URLs: stories live under their day, sections and topics by name.
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
CATEGORY_URL = "section/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_URL = "section/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
TAG_URL = "topic/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "topic/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
ARCHIVES_URL = "archive/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
# Bylines are shown on stories; there are no author pages.
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "categories", "tags", "archives"]
# The front page is the latest edition, not a paginated list of every story.
PAGINATED_TEMPLATES = {"category": None, "tag": None}
DEFAULT_PAGINATION = 20
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# One language, no translations: without this Pelican looks for them with a list scan per
# story (quadratic: seconds at 20,000 stories).
ARTICLE_TRANSLATION_ID = None

DEFAULT_DATE_FORMAT = "%-d %B %Y"
# Raw headlines may hold "<" or "&": the theme escapes everything it prints.
# No auto_reload: Jinja would check every template file's time on every page (each build,
# the dev server's included, is a fresh process that reads the templates anew).
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
}

# Pelican's own feeds are all off: Gazette writes the feeds.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Gazette (every GAZETTE_* setting and its default: plugins/pelican/plugins/gazette/settings.py).
FEED_MAX_ITEMS = 50
GAZETTE_DEFAULT_SECTION = "News"
GAZETTE_LEDGER = "seeds/ledger.jsonl"
GAZETTE_TAG_AUTHORITY = "gazette.example"
GAZETTE_STRICT = False
