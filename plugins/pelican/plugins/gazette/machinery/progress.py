"""How far a build is, for whoever listens: the dev server shows it (a first build of a
large site takes half a minute).

A phase says what the build is doing ("parsing raw files", with how many when that is
known); ``advance`` how far it is. Nothing is reported unless ``listen`` was called in this
process: forked workers inherit the listener but never report, and a build run by
Pelican alone is as quiet as before.
"""

import os
import time

# At most this often a count is reported (a phase's start and end always are).
EVERY = 0.25

_state = {"listener": None, "pid": None, "started": 0.0, "phase": None, "last": 0.0}


def listen(listener) -> None:
    """Send every report of this process to ``listener(dict)``; None: stop."""
    _state.update(listener=listener, pid=os.getpid(), started=time.monotonic(), phase=None)


def phase(name: str, total: int | None = None) -> None:
    """A new phase of the build: ``name``, and ``total`` items when counted."""
    _state["phase"] = {"phase": name, "done": 0, "total": total}
    _report(force=True)


def advance(done: int) -> None:
    """``done`` items of the current phase are done."""
    current = _state["phase"]
    if current is None or not _listening():
        return
    current["done"] = done
    _report(force=done == current["total"])


def _listening() -> bool:
    return _state["listener"] is not None and _state["pid"] == os.getpid()


def _report(force: bool) -> None:
    if not _listening() or _state["phase"] is None:
        return
    now = time.monotonic()
    if not force and now - _state["last"] < EVERY:
        return
    _state["last"] = now
    _state["listener"]({**_state["phase"], "seconds": round(now - _state["started"], 1)})


def counting(items):
    """``items``, reporting each one done (``advance``) as it is taken."""
    for done, item in enumerate(items, 1):
        yield item
        advance(done)


def describe(report: dict) -> str:
    """One line for a report: "parsing raw files: 1,000 of 2,125 (3.2 s)"."""
    text = report["phase"]
    if report.get("total"):
        text += f": {report['done']:,} of {report['total']:,}"
    elif report.get("done"):
        text += f": {report['done']:,}"
    return f"{text} ({report['seconds']:.1f} s)"
