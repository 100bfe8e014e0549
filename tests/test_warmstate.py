"""The warm state on disk (machinery/warmstate.py): what a publish keeps for the next, and
the journal of what changed since it was last written whole."""

import pickle

from pelican.plugins.gazette.machinery import warmstate

KEY, NAME = "this code, these settings", "entries"


def _keep(path, values: dict) -> None:
    warmstate.keep_values(str(path), KEY, NAME, values)


def _load(path) -> dict | None:
    return warmstate.load_values(str(path), KEY, NAME)


def test_a_few_changes_go_into_a_journal_many_into_the_whole_file(tmp_path):
    path = tmp_path / "state.pickle"
    journal = tmp_path / ("state.pickle" + warmstate.JOURNAL)
    values = {n: ("story", n) for n in range(100)}
    assert _load(path) is None  # nothing kept yet
    _keep(path, values)
    whole = path.read_bytes()
    assert not journal.exists()

    read = _load(path)
    assert read == values
    read[100] = ("story", 100)  # added
    read[3] = ("story", 3, "edited")  # changed
    del read[7]  # gone
    _keep(path, read)
    assert path.read_bytes() == whole and journal.exists()  # the file as it was
    again = _load(path)
    assert again == read

    again[7] = ("story", 7, "back")  # a key the journal had taken away
    del again[100]  # one it had added
    _keep(path, again)  # a second journal: every change since the whole file
    assert path.read_bytes() == whole
    assert _load(path) == again

    many = {n: ("other", n) for n in range(60)}  # more than a quarter changed
    _load(path)
    _keep(path, many)
    assert path.read_bytes() != whole and not journal.exists()
    assert _load(path) == many


def test_a_journal_damaged_or_of_another_file_leaves_the_file_s_own_state(tmp_path):
    path = tmp_path / "state.pickle"
    journal = tmp_path / ("state.pickle" + warmstate.JOURNAL)
    values = {n: ("story", n) for n in range(100)}
    _keep(path, values)
    changed = {**_load(path), 100: ("story", 100)}
    _keep(path, changed)
    kept = journal.read_bytes()

    journal.write_bytes(kept[: len(kept) // 2])
    assert _load(path) == values  # older, not wrong: the file written whole
    journal.write_bytes(kept)
    assert _load(path) == changed

    _load(path)
    _keep(path, {n: ("other", n) for n in range(100)})  # written whole: a new token
    journal.write_bytes(kept)  # the journal of the file before
    assert _load(path) == {n: ("other", n) for n in range(100)}


def test_a_state_of_another_key_or_format_is_not_used(tmp_path):
    path = tmp_path / "state.pickle"
    _keep(path, {1: "one"})
    assert warmstate.load_values(str(path), "another key", NAME) is None
    assert warmstate.load_values(str(path), KEY, "another memo") is None
    path.write_bytes(pickle.dumps((b"gazette warm state 2", KEY)) + path.read_bytes())
    assert _load(path) is None  # a file of the format before
