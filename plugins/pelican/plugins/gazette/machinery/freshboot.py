"""The start of a new interpreter that runs a module's ``run_fresh``, run by its path:
parallel.in_background's (the social cards), and the one ``gazette build`` gives its
process to (commands/sitebuild.py ``publish_lean``).

``python freshboot.py MODULE FD [PACKAGE]``: the import path from stdin, then
``MODULE.run_fresh(FD)``, which reads the work from stdin too. Given a PACKAGE, an empty
package stands in for it first, at its place: its modules can be imported without its
``__init__`` being run (Pelican's imports all of Pelican, Jinja and Docutils, which
neither drawing cards nor waiting for a build uses).
"""

import importlib
import importlib.util
import pickle
import sys
import types


def main(module: str, errors_fd: str, package: str = "") -> None:
    sys.path[:] = pickle.load(sys.stdin.buffer)
    if package:
        found = importlib.util.find_spec(package)
        stand_in = types.ModuleType(package)
        stand_in.__path__ = list(found.submodule_search_locations)
        sys.modules[package] = stand_in
    importlib.import_module(module).run_fresh(int(errors_fd))


if __name__ == "__main__":
    main(*sys.argv[1:])
