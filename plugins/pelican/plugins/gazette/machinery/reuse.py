"""What a warm build process keeps from one build to the next: the state, no Pelican.

Off unless ``enable()`` was called, which only the build server
(commands/buildserver.py) does: a publish build, the command line and the
tests keep nothing between builds. The Pelican side (which Articles are
kept, Pelican's memo) is glue/warm.py; the catalog takes its memos as an
argument (``catalog.Reuse``), never from here.

- **Topics' and sections' objects** (the reader's Tag and Category per name),
  so kept and new Articles share them.
- **Work done on a kept Article** (``remember``/``recall``): its search
  index entry, its feed item. A kept Article's story is the same, so is that work.
- **Compiled templates** (Jinja's bytecode cache, in memory; it checks each
  template's source, so an edited template is compiled again).
- **Work a build may carry to the next** (``carried``): the catalog's per-file
  results, by everything they depend on.
- **Objects a module keeps for itself** (``hold``/``held``): the parse
  cache, read from disk once rather than once a build.

A build in a fresh process (``gazette build --incremental``) may ``resume`` some carried
memos from what an earlier build kept on disk (machinery/warmstate.py): those memos, and
only those, then work as in a warm build.
"""

from jinja2 import BytecodeCache

_state = {"enabled": False, "key": None}
_terms: dict[tuple[str, str], object] = {}  # (kind, name) -> Tag or Category
_memos: dict[str, dict[int, tuple]] = {}  # kind -> id(Article) -> (Article, value)
_lasting: dict[str, object] = {}  # name -> an object a module keeps
_carried: dict[str, "Carried"] = {}
_resumed: set[str] = set()  # memos a fresh process took from disk (``resume``)
_forgetting: list = []  # functions that forget what the glue keeps (glue/warm.py)


class _CompiledTemplates(BytecodeCache):
    def __init__(self):
        self.stored: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.stored.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.stored[bucket.key] = bucket.bytecode_to_string()


_templates = _CompiledTemplates()


def enable() -> None:
    _state["enabled"] = True


def enabled() -> bool:
    return _state["enabled"]


def begin(key) -> None:
    """A build starts; ``key`` names its settings (nothing is kept across a change)."""
    if key != _state["key"]:
        forget()
        _state["key"] = key


def terms() -> dict:
    """The reader's Tag and Category objects by (kind, name): the kept ones when warm."""
    return _terms if _state["enabled"] else {}


def remember(kind: str, article, value) -> None:
    """Keep ``value`` (what ``kind`` of work made of ``article``) while the Article is kept."""
    if _state["enabled"]:
        _memos.setdefault(kind, {})[id(article)] = (article, value)


def recall(kind: str, article):
    """What ``remember`` kept for this Article; None when nothing."""
    found = _memos.get(kind, {}).get(id(article))
    return found[1] if found is not None and found[0] is article else None


class Carried:
    """A memo one build long: what the last build put, this build may take. Its keys
    must name everything the value depends on. Cold, it remembers nothing."""

    def __init__(self, active: bool = False):
        self.active = active
        self.last: dict = {}
        self.next: dict = {}

    def take(self, key):
        """The last build's value for ``key`` (carried on to the next build); None if none."""
        value = self.last.get(key)
        if value is not None:
            self.next[key] = value
        return value

    def put(self, key, value) -> None:
        if self.active:
            self.next[key] = value


def carried(name: str) -> Carried:
    """The named memo (one that remembers nothing when not warm, nor resumed)."""
    if not carrying(name):
        return Carried()
    return _carried.setdefault(name, Carried(active=True))


def carrying(name: str) -> bool:
    """Whether the named memo carries anything from build to build."""
    return _state["enabled"] or name in _resumed


def resume(memos: dict[str, dict]) -> None:
    """A fresh process takes these memos' values (name -> key -> value) as the last build's."""
    for name, values in memos.items():
        memo = _carried[name] = Carried(active=True)
        memo.last = values
        _resumed.add(name)


def release(names) -> None:
    """Drop the named memos a fresh process resumed (``resume``): done with them."""
    for name in names:
        if name in _resumed:
            _resumed.discard(name)
            _carried.pop(name, None)


def carried_on(names) -> dict[str, dict]:
    """What this build carries on to the next in the named memos (name -> key -> value):
    what it took from the last build and what it put."""
    return {name: dict(_carried[name].next) for name in names if name in _carried}


def hold(name: str, value) -> None:
    """Hold ``value`` for the builds to come (when warm)."""
    if _state["enabled"]:
        _lasting[name] = value


def held(name: str):
    """What ``hold`` holds under ``name``; None when nothing (or not warm)."""
    return _lasting.get(name)


def templates() -> BytecodeCache | None:
    """The compiled templates kept between builds; None when not warm."""
    return _templates if _state["enabled"] else None


def on_forget(function) -> None:
    """Call ``function`` whenever everything kept is dropped (a settings change, a failure)."""
    if function not in _forgetting:
        _forgetting.append(function)


def after_build(ok: bool, live: set[int]) -> None:
    """A build ended: keep its memos for the Articles still ``live`` (their ids), carry
    this build's values to the next, or drop everything after a failure."""
    if not ok:
        forget()
        _state["key"] = None
    for memo in _memos.values():
        for key in [key for key in memo if key not in live]:
            del memo[key]
    for memo in _carried.values():
        memo.last, memo.next = memo.next, {}


def forget() -> None:
    _resumed.clear()
    _terms.clear()
    _memos.clear()
    _lasting.clear()
    _carried.clear()
    for function in _forgetting:
        function()
