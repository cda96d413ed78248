"""The import graph of a Python package, read from the source (nothing is imported).

Used by tests/test_architecture.py to hold ``generator/`` to the layering its packages declare:
each sub-package's ``__init__.py`` has ``DEPENDS_ON = (...)`` naming the packages it may import.
"""

from __future__ import annotations

import ast
import graphlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Import:
    """``module`` (dotted, inside the package) imports ``target`` at ``line``."""

    module: str
    target: str
    line: int


def module_name(package_dir: Path, path: Path) -> str:
    parts = [package_dir.name, *path.relative_to(package_dir).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(package_dir: Path) -> list[Import]:
    """Every import of the package's own modules, module-level and inside functions alike."""
    root = package_dir.name
    found: list[Import] = []
    for path in sorted(package_dir.rglob("*.py")):
        name = module_name(package_dir, path)
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            targets: list[str] = []
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    prefix = ".".join([*base, node.module] if node.module else base)
                else:
                    prefix = node.module or ""
                targets = [prefix]
                # `from generator.site import plugin` imports the module generator.site.plugin
                targets += [f"{prefix}.{alias.name}" for alias in node.names]
            for target in targets:
                if target == root or target.startswith(root + "."):
                    found.append(Import(name, target, node.lineno))
    return found


def declared_layers(package_dir: Path) -> dict[str, tuple[str, ...]]:
    """``DEPENDS_ON`` of each sub-package's ``__init__.py``."""
    layers: dict[str, tuple[str, ...]] = {}
    for init in sorted(package_dir.glob("*/__init__.py")):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        for node in tree.body:
            target: ast.expr | None = None
            value: ast.expr | None = None
            if isinstance(node, ast.AnnAssign):
                target, value = node.target, node.value
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            if isinstance(target, ast.Name) and target.id == "DEPENDS_ON" and value is not None:
                layers[init.parent.name] = tuple(ast.literal_eval(value))
    return layers


def unit_of(dotted: str) -> str:
    """The architectural unit of a module: its sub-package, or the top-level module (``cli``)."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def layering_problems(package_dir: Path) -> list[str]:
    """Imports between units that the importing package does not declare, undeclared packages,
    cycles among the declared dependencies and cycles among modules."""
    problems: list[str] = []
    layers = declared_layers(package_dir)
    subpackages = {p.parent.name for p in package_dir.glob("*/__init__.py")}
    for missing in sorted(subpackages - set(layers)):
        problems.append(f"{package_dir.name}/{missing}/__init__.py does not declare DEPENDS_ON")
    modules = {module_name(package_dir, p) for p in package_dir.rglob("*.py")}
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for imp in imports_of(package_dir):
        if imp.target not in modules:
            continue  # `from generator.x import name` also yields generator.x.name: not a module
        edges[imp.module].add(imp.target)
        source, target = unit_of(imp.module), unit_of(imp.target)
        if source == target or source in ("cli", "__main__") or target == package_dir.name:
            continue
        if target not in layers.get(source, ()):
            problems.append(
                f"{imp.module} (line {imp.line}) imports {imp.target}: "
                f"'{source}' does not list '{target}' in DEPENDS_ON"
            )
    try:
        graphlib.TopologicalSorter({k: set(v) for k, v in layers.items()}).prepare()
    except graphlib.CycleError as exc:
        problems.append(f"the declared packages depend on each other in a cycle: {exc.args[1]}")
    try:
        graphlib.TopologicalSorter({k: v - {k} for k, v in edges.items()}).prepare()
    except graphlib.CycleError as exc:
        problems.append(f"modules import each other in a cycle: {exc.args[1]}")
    return problems
