"""The architecture holds: layers import downwards only, the pure layers never import
Pelican, and no modules import each other in a cycle (lazy imports included)."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = "pelican.plugins.gazette"
PURE = ("ingest", "digest", "outputs", "machinery")
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(ROOT, include_external_packages=True)


def internal(graph) -> list[str]:
    return sorted(m for m in graph.modules if m == ROOT or m.startswith(ROOT + "."))


def test_the_layer_contract_in_pyproject_is_kept():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is one of the test dependencies"
    done = subprocess.run([lint], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "1 kept, 0 broken" in done.stdout


@pytest.mark.parametrize("layer", PURE)
def test_pure_layers_never_import_pelican(graph, layer):
    prefix = f"{ROOT}.{layer}"
    offenders = {
        module: sorted(
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if imported.split(".")[0] == "pelican" and not imported.startswith(ROOT)
        )
        for module in internal(graph)
        if module == prefix or module.startswith(prefix + ".")
    }
    assert not {m: i for m, i in offenders.items() if i}


def test_settings_is_pure(graph):
    imported = graph.find_modules_directly_imported_by(f"{ROOT}.settings")
    outside = [m for m in imported if m.split(".")[0] == "pelican" and not m.startswith(ROOT)]
    upper = [m for m in imported if m.startswith((f"{ROOT}.glue", f"{ROOT}.commands"))]
    assert not outside and not upper


def test_no_import_cycles(graph):
    # Packages count too: ``from .. import settings`` imports the package's __init__, and
    # the package's register() imports the glue, which would close a loop.
    modules = set(internal(graph))
    edges = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
    cycles = [c for c in _strongly_connected(edges) if len(c) > 1]
    assert not cycles, cycles


def _strongly_connected(edges: dict) -> list[list[str]]:
    """Tarjan's algorithm, iteratively."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
    return found


def test_the_cycle_check_finds_a_cycle():
    found = _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert sorted(found) == [["a", "b", "c"], ["d"]]


def test_no_module_imports_the_package_root():
    """``from .. import settings`` imports the root package, whose register() imports the
    glue: a loop in the eyes of any import checker. Modules import ``..settings`` itself."""
    package = REPO / "plugins" / "pelican" / "plugins" / "gazette"
    offenders = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        here = [ROOT, *parts[:-1]]  # the module's package
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level and node.module is None:
                base = here[: len(here) - node.level + 1]
                if ".".join(base) == ROOT:
                    offenders.append(f"{path.relative_to(package)}:{node.lineno}")
    assert not offenders, offenders
