"""The tree is the map: dependencies point one way, from the CLI down to names, models and
errors; no import circle, not even through an import inside a function; no private name
(`_x`) of one module used by another outside its own subpackage. Read from the source
with `ast`, so an import placed inside a function counts as much as one at the top."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import searchdoc

SRC = Path(searchdoc.__file__).resolve().parent
REPO = SRC.parent.parent
BENCHMARKS = REPO / "benchmarks"

# Top to bottom: a module may import its own layer (no circle) and the layers below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("searchdoc.__main__", "searchdoc.cli", "searchdoc.web", "searchdoc.__init__"),
    ("searchdoc.api", "searchdoc.output"),
    ("searchdoc.search", "searchdoc.index", "searchdoc.stores"),
    ("searchdoc.entities", "searchdoc.ingest"),
    ("searchdoc.passages",),
    ("searchdoc.readers", "searchdoc.sources"),
    ("searchdoc.store",),
    ("searchdoc.analysis", "searchdoc.explain"),
    ("searchdoc.names",),
    ("searchdoc.data",),
    ("searchdoc.models", "searchdoc.results", "searchdoc.schema", "searchdoc.errors"),
)


@dataclass(frozen=True)
class Import:
    importer: str  # module name
    target: str  # module name imported (a submodule where the import names one)
    names: tuple[str, ...]  # the names taken from it (`from x import a, b`)
    line: int
    type_only: bool  # under `if TYPE_CHECKING:`


def module_name(path: Path, root: Path, package: str) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = [package, *rel.parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def src_modules() -> dict[str, Path]:
    found = {module_name(p, SRC, "searchdoc"): p for p in SRC.rglob("*.py")}
    found["searchdoc.__init__"] = found.pop("searchdoc")
    return found


MODULES = src_modules()


def _is_module(name: str) -> bool:
    return name in MODULES or name + ".__init__" in MODULES


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def imports_of(path: Path, importer: str) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typed = _type_checking_lines(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("searchdoc"):
                    yield Import(importer, alias.name, (), node.lineno, node.lineno in typed)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.startswith("searchdoc"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if _is_module(sub):  # `from searchdoc import store`: the module store
                    yield Import(importer, sub, (), node.lineno, node.lineno in typed)
                else:
                    target = "searchdoc.__init__" if node.module == "searchdoc" else node.module
                    yield Import(importer, target, (alias.name,), node.lineno,
                                 node.lineno in typed)


def all_imports() -> list[Import]:
    return [i for name, path in MODULES.items() for i in imports_of(path, name)]


def layer_of(module: str) -> int:
    for n, layer in enumerate(LAYERS):
        if any(module == top or module.startswith(top + ".") for top in layer):
            return n
    raise AssertionError(f"{module} is in no layer of tests/test_layout.py: add it")


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import circle among the modules, or None (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_no_import_circle() -> None:
    edges: dict[str, set[str]] = {}
    for i in all_imports():
        target = i.target if i.target in MODULES else i.target + ".__init__"
        if not i.type_only and target in MODULES and target != i.importer:
            edges.setdefault(i.importer, set()).add(target)
    assert find_cycle(edges) is None, " -> ".join(find_cycle(edges) or [])


def test_dependencies_point_down() -> None:
    upward = [f"{i.importer}:{i.line} imports {i.target} (layer {layer_of(i.target)} is above "
              f"layer {layer_of(i.importer)})"
              for i in all_imports() if layer_of(i.target) < layer_of(i.importer)]
    assert upward == []


def _package(module: str) -> str:
    return module.rsplit(".", 1)[0]


def test_no_private_name_across_packages() -> None:
    """A module may use another's `_private` name only inside one subpackage
    (searchdoc.readers.x and searchdoc.readers.y), never from a module of the top level
    or of another package."""
    reached = [f"{i.importer}:{i.line} imports {name} from {i.target}"
               for i in all_imports() for name in i.names
               if name.startswith("_") and not name.startswith("__")
               and (_package(i.importer) != _package(i.target)
                    or _package(i.importer) == "searchdoc")]
    assert reached == []


def test_benchmarks_use_public_names_only() -> None:
    """The benchmarks call searchdoc's public functions: no `_private` name imported,
    nor read as an attribute of a searchdoc module or object (`search._rank`,
    `searcher._reader`)."""
    reached = []
    for path in sorted(BENCHMARKS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("searchdoc"):
                for alias in node.names:
                    if alias.name.startswith("_"):
                        reached.append(f"{path.name}:{node.lineno} {alias.name}")
                    modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                modules.update(a.asname or a.name.split(".")[0] for a in node.names
                               if a.name.startswith("searchdoc"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                    and not node.attr.startswith("__") and isinstance(node.value, ast.Name) \
                    and (node.value.id in modules or node.value.id in ("searcher", "reader",
                                                                       "handle", "index")):
                reached.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    assert reached == []


@pytest.mark.parametrize(("source", "found"), [
    ("from searchdoc.store import _x\n", ["m:1 imports _x from searchdoc.store"]),
    ("def f():\n    from searchdoc.readers.table import _y\n",
     ["m:2 imports _y from searchdoc.readers.table"]),
])
def test_the_private_check_sees_imports_inside_functions(tmp_path: Path, source: str,
                                                         found: list[str]) -> None:
    path = tmp_path / "m.py"
    path.write_text(source)
    got = [f"{i.importer}:{i.line} imports {n} from {i.target}"
           for i in imports_of(path, "m") for n in i.names if n.startswith("_")]
    assert got == found


def test_the_cycle_check_finds_a_circle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}}) is None


def test_the_readme_layout_names_what_is_there() -> None:
    """Every `src/searchdoc/...` path the README names exists, and every package and
    top-level module is named there."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    layout = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`src/searchdoc/([\w/.]+)`", layout))
    for path in named:
        assert (SRC / path).exists(), f"the README's layout names src/searchdoc/{path}"
    for child in SRC.iterdir():
        if child.name.startswith("__") or child.suffix not in (".py", ""):
            continue
        shown = child.name + ("/" if child.is_dir() else "")
        assert any(n == shown or n.startswith(shown) for n in named) or \
            f"`{child.name}`" in layout or f"{child.stem}," in layout, \
            f"src/searchdoc/{shown} is not in the README's layout"
