"""The articles generator's list of files (Pelican's ``Generator.get_files``), kept while
no folder it walked has changed.

Pelican walks the article paths twice a build (the articles, then files of disabled
readers), matching each of 20,000 names against IGNORE_FILES at 20,000 stories; a warm
rebuild then lists the very same files. ``get_files`` here follows Pelican 4.12's rules one
for one (os.walk's, following links; ARTICLE_EXCLUDES by folder; IGNORE_FILES on folders
and files; the readers' extensions) and keeps each list with the stamp of every folder it
walked. A list is taken again while every stamp is the same and was taken once the folder's
file system clock had ticked past its last change (catalog.settled); a walk that met a
link, a folder it could not read or an article path not there yet is never kept (each
can change without any folder's stamp changing). tests/test_filelists.py holds it to
Pelican's own.
"""

import os
import time

from ..ingest.catalog import name_matcher, settled

_lists: dict[tuple, tuple[frozenset, list]] = {}  # key -> (files, [(folder, stamp)])


def get_files(generator, paths, exclude=None, extensions=None) -> set[str]:
    """``generator.get_files(paths, exclude, extensions)``, as Pelican makes it."""
    if exclude is None:
        exclude = []
    if isinstance(paths, str):
        paths = [paths]
    if extensions is None:
        extensions = tuple(generator.readers.extensions)
    elif extensions is not False:
        extensions = tuple(extensions)
    ignores = tuple(generator.settings["IGNORE_FILES"])
    key = (generator.path, tuple(paths), tuple(exclude), extensions, ignores)
    last = _lists.get(key)
    if last is not None and _unchanged(last[1]):
        return set(last[0])
    files, folders = _listed(generator.path, paths, exclude, extensions, ignores)
    if folders is not None:
        _lists[key] = (frozenset(files), folders)
    return files


def _listed(base, paths, exclude, extensions, ignores) -> tuple[set, list | None]:
    """(the files, the folders walked with their stamps: None when the list may change
    without any of them changing)."""
    by_folder: dict[str, set] = {}  # Pelican groups the excluded names by their folder
    for excluded in exclude:
        parent, name = os.path.split(os.path.join(base, excluded))
        by_folder.setdefault(parent, set()).add(name)
    files, folders, trusted, now = set(), [], True, time.time_ns()
    ignored = name_matcher(ignores)
    for path in paths:
        root = os.path.join(base, path) if path else base
        if not os.path.isdir(root):
            trusted = False
            continue
        for folder, dirs, names, stamp, plain in _walk(root):
            folders.append((folder, stamp))
            trusted = trusted and plain and stamp is not None and settled(stamp[1:3], now)
            skipped = by_folder.get(folder, ())
            for name in list(dirs):
                if name in skipped or ignored(name):
                    dirs.remove(name)
            place = os.path.join(os.path.relpath(folder, base), "")
            for name in names:  # Pelican's Generator._include_path
                if ignored(name):
                    continue
                if extensions is False or os.path.splitext(name)[1][1:] in extensions:
                    files.add(place + name)
    return files, folders if trusted else None


def _walk(top: str):
    """os.walk(top, topdown=True, followlinks=True), each folder with its stamp (None when
    it cannot be read: skipped, as os.walk does) and whether it holds no link."""
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            stamp = _stamp(folder)
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            yield folder, [], [], None, False
            continue
        dirs, names, plain = [], [], True
        for entry in entries:
            try:
                plain = plain and not entry.is_symlink()
                is_dir = entry.is_dir()
            except OSError:
                plain, is_dir = False, False
            (dirs if is_dir else names).append(entry.name)
        yield folder, dirs, names, stamp, plain
        stack += [os.path.join(folder, name) for name in reversed(dirs)]


def _stamp(folder: str) -> tuple:
    found = os.stat(folder)
    return (found.st_ino, found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_mode)


def _unchanged(folders: list) -> bool:
    try:
        return all(_stamp(folder) == stamp for folder, stamp in folders)
    except OSError:
        return False
