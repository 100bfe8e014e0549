"""What the plugin does with a site's settings (glue/site_settings.py)."""

from helpers import SAMPLE, ingest, pelican, write_site
from pelican.plugins.gazette.glue import site_settings


def test_index_urls_come_from_their_save_as():
    settings = {"TAGS_SAVE_AS": "topic/index.html", "ARCHIVES_URL": "old/"}
    site_settings.fill_index_urls(settings)
    assert settings["TAGS_URL"] == "topic/"
    assert settings["CATEGORIES_URL"] == "categories.html"  # Pelican's own default page
    assert settings["ARCHIVES_URL"] == "old/"  # set by the site: kept


def test_pelicans_default_feeds_are_turned_off():
    settings = {"FEED_ALL_ATOM": "feeds/all.atom.xml", "CATEGORY_FEED_ATOM": None}
    site_settings.turn_off_pelican_feeds(settings)
    assert settings["FEED_ALL_ATOM"] is None


def test_a_feed_the_site_set_itself_stops_the_build_with_its_name(tmp_path):
    conf = write_site(tmp_path, {"a.txt": SAMPLE.read_text()}, FEED_ALL_RSS="feeds/mine.rss")
    ingest(conf)
    done = pelican(conf, tmp_path / "out")
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode != 0
    assert "FEED_ALL_RSS = 'feeds/mine.rss'" in said
    assert not (tmp_path / "out" / "feeds" / "mine.rss").exists()


def test_feed_images_follow_the_themes_static_folder(tmp_path):
    conf = write_site(tmp_path, {"a.txt": SAMPLE.read_text()}, THEME_STATIC_DIR="assets")
    ingest(conf)
    done = pelican(conf, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    atom = (tmp_path / "out" / "feeds" / "all.atom.xml").read_text()
    assert "/assets/images/feed-icon.png</icon>" in atom
    assert (tmp_path / "out" / "assets" / "images" / "feed-icon.png").is_file()
