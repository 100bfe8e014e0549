"""glue/filelists.py lists a generator's files as Pelican's own ``get_files`` does, and a
warm build's second list of an unchanged tree walks no folder."""

import os
from types import SimpleNamespace

import pytest
from pelican.generators import Generator

from pelican.plugins.gazette.glue import filelists
from pelican.plugins.gazette.ingest import catalog


class Listing:
    """What Pelican's Generator.get_files reads of a generator."""

    get_files = Generator.get_files
    _include_path = Generator._include_path

    def __init__(self, path, ignores, extensions):
        self.path, self.settings = str(path), {"IGNORE_FILES": ignores}
        self.readers = SimpleNamespace(extensions=dict.fromkeys(extensions).keys())


def tree(root):
    for name in [
        "seeds/a.txt",
        "seeds/b.html",
        "seeds/notes.md",
        "seeds/.#draft.txt",
        "seeds/deep/c.txt",
        "seeds/deep/deeper/d.htm",
        "seeds/skip/e.txt",
        "seeds/.#hidden/f.txt",
        "seeds/page_files/g.html",
        "other/h.txt",
    ]:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    os.symlink(root / "other", root / "seeds" / "linked")


@pytest.mark.parametrize(
    ("paths", "exclude", "extensions"),
    [
        (["seeds"], [], None),
        (["seeds"], ["seeds/skip", "seeds/nowhere"], None),
        (["seeds", "other"], ["seeds/linked"], ("md", "rst")),
        ([""], [], False),
        ("seeds", None, None),
    ],
)
def test_the_files_are_those_pelican_lists(tmp_path, paths, exclude, extensions):
    tree(tmp_path)
    generator = Listing(tmp_path, [".#*"], ["txt", "html", "htm"])
    expected = generator.get_files(paths, exclude, extensions)
    assert filelists.get_files(generator, paths, exclude, extensions) == expected
    assert filelists.get_files(generator, paths, exclude, extensions) == expected  # again


@pytest.fixture
def later(monkeypatch):
    real = filelists.time.time_ns
    monkeypatch.setattr(filelists.time, "time_ns", lambda: real() + 10 * 10**9)


def test_an_unchanged_tree_is_not_walked_again(tmp_path, later, monkeypatch):
    for name in ["seeds/a.txt", "seeds/deep/b.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    generator = Listing(tmp_path, [], ["txt"])
    first = filelists.get_files(generator, ["seeds"])
    listed = walks(monkeypatch)
    assert filelists.get_files(generator, ["seeds"]) == first and listed == []
    (tmp_path / "seeds" / "deep" / "c.txt").write_text("x")
    assert os.path.join("seeds", "deep", "c.txt") in filelists.get_files(generator, ["seeds"])
    assert len(listed) == 2


def walks(monkeypatch) -> list:
    listed = []
    real = os.scandir
    monkeypatch.setattr(filelists.os, "scandir", lambda path: listed.append(path) or real(path))
    return listed


def test_a_tree_with_a_link_is_walked_each_time(tmp_path, later, monkeypatch):
    tree(tmp_path)  # seeds/linked leads to other/: where to may change, unseen
    generator = Listing(tmp_path, [], ["txt"])
    filelists.get_files(generator, ["seeds"])
    listed = walks(monkeypatch)
    filelists.get_files(generator, ["seeds"])
    assert listed


def test_a_tree_changed_just_now_is_walked_again(tmp_path, monkeypatch):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("x")
    generator = Listing(tmp_path, [], ["txt"])
    filelists.get_files(generator, ["seeds"])  # within the file system clock's tick
    listed = walks(monkeypatch)
    filelists.get_files(generator, ["seeds"])
    assert listed == [os.path.join(str(tmp_path), "seeds")]
    assert filelists.settled is catalog.settled  # one rule for both walks
