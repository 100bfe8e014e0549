"""glue/internals.py's hooks into Pelican change nothing Pelican would make."""

import copy
from datetime import UTC, datetime

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from pelican.plugins.gazette.glue import internals


def article(summary: str) -> Article:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    metadata = {"title": "T", "summary": summary, "date": datetime(2021, 8, 9, tzinfo=UTC)}
    context = {"generated_content": {}, "static_content": {}, "localsiteurl": ""}
    return Article("<p>Body</p>", metadata, settings, "content/t.md", context)


def test_links_are_refreshed_only_where_pelican_could_change_them():
    plain = article("Talks &amp; more talks in Kabul, {filename} as text")
    linked = article('See <a href="{filename}/other.md">the other story</a>.')
    fields = plain.settings["FORMATTED_FIELDS"]
    assert not internals._may_link(plain, fields)
    assert internals._may_link(linked, fields)
    before = dict(plain.metadata), plain._summary
    plain.refresh_metadata_intersite_links()  # what the skip saves: it changes nothing
    assert (dict(plain.metadata), plain._summary) == before
    plain._summary = "Changed by a plugin"
    assert internals._may_link(plain, fields)  # Pelican writes it back to the metadata
