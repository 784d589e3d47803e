"""The package's layout shows the pipeline: layers import downwards only, no cycles, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

import tacitus

PACKAGE = Path(tacitus.__file__).parent
# Lower layers first; a module may import its own layer and the layers below it.
LAYERS = {
    "models": 0, "errors": 0, "output": 0,
    "read": 1,
    "knowledge": 2,
    "coding": 3,
    "store": 4,
    "web": 5, "watch": 5,
    "evaluation": 6, "cli": 6, "pipeline": 6, "__init__": 6,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the package that `name` imports, at module level or inside functions."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [f"{target}.{alias.name}" for alias in node.names] + [target]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        for candidate in candidates:
            if candidate in known:
                found.add(candidate)
                break
    found.discard(name)
    return found


def layer(name: str) -> int:
    parts = name.split(".")
    return LAYERS[parts[1] if len(parts) > 1 else "__init__"]


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found)) for name, path in found.items()}


def test_every_module_has_a_layer() -> None:
    for name in modules():
        layer(name)


def test_imports_point_downwards() -> None:
    upward = [f"{name} -> {target}" for name, targets in graph().items() for target in targets
              if layer(target) > layer(name)]
    assert not upward, "upward imports:\n" + "\n".join(sorted(upward))


def test_no_import_cycles() -> None:
    edges = graph()
    # package __init__ files only re-export their own modules: an edge into a package is an edge to what it re-exports
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if target == node.rpartition(".")[0] or node == target.rpartition(".")[0] and modules()[node].name == "__init__.py":
                continue  # a package and its own modules
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target] if target in stack else [node, target])
            elif target not in state:
                visit(target, stack + [target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_modules_and_classes_stay_small() -> None:
    too_big = []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 400:
            too_big.append(f"module {name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > 250:
                too_big.append(f"class {name}.{node.name}: {node.end_lineno - node.lineno + 1} lines")
    assert not too_big, "\n".join(too_big)


def test_old_import_paths_keep_working() -> None:
    from tacitus.pipeline import Pipeline, extract
    from tacitus.store import EventFilter, events_frame, open_store

    assert Pipeline and extract and EventFilter and events_frame and open_store
    assert tacitus.extract is extract
