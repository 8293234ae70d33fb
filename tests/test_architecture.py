"""The layout's promises: importers and feeds load no Flask, no module imports in a circle, and no
view module imports another."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("finder", "importers", "feeds")


def modules() -> dict[str, Path]:
    """Every module of the three packages by dotted name (a package by its own name)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = modules()


def imports(name: str) -> list[tuple[str, bool]]:
    """The modules of the three packages that ``name`` imports: (module, inside a function body).

    ``from pkg import mod`` counts as importing ``pkg.mod``; ``from pkg import name`` as ``pkg``.
    Imports inside functions count too: they run later, but still tie the modules together.
    """
    path = MODULES[name]
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(), str(path))
    in_function = {id(node) for function in ast.walk(tree)
                   if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
                   for node in ast.walk(function)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the package, or from the module's own package
                base = name.split(".")[: None if is_package else -1]
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                       for alias in node.names]
        else:
            continue
        found += [(target, id(node) in in_function) for target in targets
                  if target in MODULES and target != name]
    return found


def graph() -> dict[str, set[str]]:
    """Who imports whom among the three packages."""
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for name in MODULES:
        for target, in_function in imports(name):
            # Left out: a package's __init__ importing its own submodules inside a function. That is
            # the application factory (finder/__init__.py: create_app imports each feature, the CLI
            # among them, when an app is built), the one place meant to know every module. It runs
            # only once all modules have loaded, and the modules import it only for create_app, so
            # counting it would make every module that the factory wires up look like a cycle.
            if in_function and MODULES[name].name == "__init__.py" and target.startswith(name + "."):
                continue
            edges[name].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def defines_blueprint(name: str) -> bool:
    """True if the module calls ``Blueprint(...)``: a view module."""
    tree = ast.parse(MODULES[name].read_text())
    return any(isinstance(node, ast.Call) and (
        getattr(node.func, "id", None) == "Blueprint" or getattr(node.func, "attr", None) == "Blueprint")
        for node in ast.walk(tree))


def test_importers_and_feeds_load_no_flask():
    # Every module of both packages, one by one: the importers' registry is lazy (importing the
    # package loads no importer), and they import finder's pure modules, so finder/__init__.py
    # must load no Flask either.
    names = sorted(f"{package}.{path.stem}" for package in ("importers", "feeds")
                   for path in (ROOT / package).glob("*.py") if path.stem != "__init__")
    assert {"importers.bmlt", "importers.common", "feeds.ical", "feeds.vtimezone"} <= set(names)
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "    assert not {'flask', 'flask_sqlalchemy', 'werkzeug'} & set(sys.modules), name\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr


def test_the_graph_sees_imports_of_every_kind():
    edges = graph()
    assert "finder.search.windows" in edges["finder.search.query"]  # from pkg.mod import name
    assert "finder.schedules.service" in edges["finder.schedules.api"]  # from pkg import mod
    assert "finder.sources.cli" in edges["finder.cli"]  # inside a function
    assert "importers" in edges["finder.sources.refresh"]  # from package import name
    assert "finder" in edges["finder.cli"]  # create_app, from the package itself ...
    assert "finder.cli" not in edges["finder"]  # ... while the factory's own wiring is left out


def test_no_import_cycle():
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_view_module_imports_another():
    views = {name for name in MODULES if defines_blueprint(name)}
    named = {name for name in MODULES if name.startswith("finder.") and (
        name.endswith((".views", ".api")) and name.count(".") == 2)} | {"finder.meetings.export"}
    assert named <= views  # every views/api module (and the export) does define a blueprint
    crossings = sorted((name, target) for name in views for target, _ in imports(name)
                       if target in views)
    assert crossings == []
