"""The incremental publish's shortcuts give what the long way gives: story URLs as
Pelican formats them, feed text as the XML pattern cleans it, cache keys that change
with whatever a page or feed shows."""

import copy
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category

from pelican.plugins.gazette.glue import digest, pagecache
from pelican.plugins.gazette.outputs import feeds

URL_PATTERNS = [
    "{date:%Y}/{date:%m}/{date:%d}/{slug}/",
    "{category}/{slug}.html",
    "{author}/{lang}/{slug}/",
    "{path}/{date.year}/{slug}",
    "{slug}-{edition}/",  # a field of the story's own metadata
]


def article(url: str, save_as: str | None = None, **metadata) -> Article:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings["ARTICLE_URL"] = url
    settings["ARTICLE_SAVE_AS"] = url + "index.html" if save_as is None else save_as
    fields = {"title": "Talks résumé", "date": datetime(2021, 8, 9, 7, 5, tzinfo=UTC)}
    fields.update(category=Category("World News", settings), **metadata)
    fields["author"] = Author("Ana María", settings)
    context = {"generated_content": {}, "static_content": {}, "localsiteurl": ""}
    made = Article("<p>Body</p>", fields, settings, "seeds/world/t.txt", context)
    for name in ("override_url", "override_save_as"):  # set if the plugin is connected
        made.__dict__.pop(name, None)
    return made


@pytest.mark.parametrize("url", URL_PATTERNS)
def test_story_urls_are_the_ones_pelican_formats(url):
    story = article(url, edition="morning")
    expected = url.format(**story.url_format), (url + "index.html").format(**story.url_format)
    digest.fix_story_urls(story)
    assert (story.url, story.save_as) == expected


@pytest.mark.parametrize(
    "save_as", ["posts/{slug}.html", "{date:%Y}/{slug}{{x}}.html", "{date:%Y}/{slug}-{date:%d}"]
)
def test_story_files_not_under_their_url_are_the_ones_pelican_formats(save_as):
    story = article("{date:%Y}/{slug}", save_as)
    expected = save_as.format(**story.url_format)
    digest.fix_story_urls(story)
    assert story.save_as == expected


def test_a_story_url_naming_a_field_the_story_lacks_fails_as_in_pelican():
    story = article("{edition}/{slug}/")
    with pytest.raises(KeyError):
        "{edition}/{slug}/".format(**story.url_format)
    with pytest.raises(KeyError):
        digest.fix_story_urls(story)


def test_feed_text_is_cleaned_exactly_as_the_pattern_cleans_it():
    characters = [*map(chr, range(0x100)), "\u2014", "\ud800", "\udfff", "\ufffe", "\uffff"]
    for character in characters:
        for text in (character, f"Kabul{character}talks\n", "é" + character):
            assert feeds.clean(text, "test", "text") == feeds._NOT_XML.sub("", text)


def _item(**changes) -> feeds.Item:
    section = feeds.Term("World", "world", "https://x.test/section/world/", "https://x.test/s/")
    topic = feeds.Term("Kabul", "kabul", "https://x.test/topic/kabul/", "https://x.test/t/")
    fields = dict(
        id="tag:x.test,2021:1",
        title="Talks",
        url="https://x.test/talks/",
        published=datetime(2021, 8, 9, tzinfo=UTC),
        summary="Talks went on.",
        content_html="<p>Talks went on.</p>",
        section=section,
        topics=(topic,),
    )
    fields.update(changes)
    return feeds.item(**fields)


def test_a_feed_item_digest_changes_with_every_field_and_only_then():
    keys = feeds.FeedKeys("site")
    item = _item()
    assert keys.item_digest(item) == feeds.FeedKeys("site").item_digest(_item())
    other = feeds.Term("Asia", "asia", "https://x.test/section/asia/", "https://x.test/s/")
    changed = [
        replace(item, content_html="<p>Talks went on.</p>\n"),
        replace(item, section=other),
        replace(item, topics=()),
        replace(item, topics=(item.topics[0], other)),
        replace(item, updated=datetime(2021, 8, 9, 0, 0, 1, tzinfo=UTC)),
        replace(item, byline="Ana"),
        replace(item, title="Talks\x00"),  # no field can pass for the content's start
        replace(item, summary="Talks went on.\x00<p>"),
    ]
    digests = {keys.item_digest(each) for each in changed}
    assert keys.item_digest(item) not in digests and len(digests) == len(changed)


def test_a_story_key_changes_with_every_metadata_value():
    story = article(URL_PATTERNS[0], edition="morning")
    first = pagecache.story_key(story)
    for name, new in [("edition", "evening"), ("title", "Talks\x00"), ("slug", "other")]:
        again = article(URL_PATTERNS[0], edition="morning")
        again.metadata[name] = new
        assert pagecache.story_key(again) != first
    assert pagecache.story_key(article(URL_PATTERNS[0], edition="morning")) == first
