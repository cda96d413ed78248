"""The layout of generator/: one package per capability, imports only downwards."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.imports import declared_layers, layering_problems
from tests.support.paths import ROOT

PACKAGE = ROOT / "generator"


def test_imports_follow_the_declared_layers() -> None:
    assert layering_problems(PACKAGE) == []


def test_only_the_cli_is_left_at_the_top() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "cli.py"]


def test_every_package_says_what_it_owns() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        text = init.read_text(encoding="utf-8")
        assert text.startswith('"""') and "import" in text.lower(), f"{init}: say what it owns and may import"


def test_federation_sits_between_content_and_the_site() -> None:
    """Federation reads content (the export model, the rules); the site reads federation's
    snapshots; nothing below the site, and neither the bot nor matching, reads peers' data."""
    layers = declared_layers(PACKAGE)
    assert layers["federation"] == ("core", "content")
    assert "federation" in layers["site"]
    readers = sorted(package for package, deps in layers.items() if "federation" in deps)
    assert readers == ["docsgen", "site"] or readers == ["site"], readers


def test_the_layers_are_those_of_the_architecture_doc() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for package in declared_layers(PACKAGE):
        assert f"`{package}/`" in doc, f"docs/architecture.md does not describe generator/{package}/"


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_an_upward_import_is_reported(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "low/__init__.py": "DEPENDS_ON = ()\n",
            "low/a.py": "def f():\n    from pkg.high.b import g\n",
            "high/__init__.py": 'DEPENDS_ON = ("low",)\n',
            "high/b.py": "from pkg.low import a\ndef g(): ...\n",
        },
    )
    problems = layering_problems(root)
    assert any("pkg.low.a (line 2) imports pkg.high.b" in p for p in problems), problems


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "low/__init__.py": "DEPENDS_ON = ()\n",
            "low/a.py": "from ..high import b\n",
            "high/__init__.py": 'DEPENDS_ON = ("low",)\n',
            "high/b.py": "",
        },
    )
    assert any("'low' does not list 'high'" in p for p in layering_problems(root))


def test_cycles_are_reported(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "one/__init__.py": 'DEPENDS_ON = ("two",)\n',
            "one/a.py": "from pkg.two import b\n",
            "two/__init__.py": 'DEPENDS_ON = ("one",)\n',
            "two/b.py": "from pkg.one import a\n",
            "undeclared/__init__.py": "",
        },
    )
    problems = layering_problems(root)
    assert any("declared packages depend on each other in a cycle" in p for p in problems)
    assert any("modules import each other in a cycle" in p for p in problems)
    assert "pkg/undeclared/__init__.py does not declare DEPENDS_ON" in problems


#: Modules that turn bytes into objects by running code named in the bytes (docs/security.md).
CODE_LOADERS = {
    "pickle",
    "_pickle",
    "cPickle",
    "pickletools",
    "shelve",
    "dill",
    "cloudpickle",
    "joblib",
    "marshal",
}


def _loaders_imported(source: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.stmt | ast.expr):
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
            in {"__import__", "import_module"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        found += [(node.lineno, name) for name in names if name.split(".")[0] in CODE_LOADERS]
    return sorted(found)


def test_no_module_of_the_generator_imports_pickle() -> None:
    """Nothing the generator reads (content, caches, events) is unpickled: no module imports
    pickle or its kin, even inside a function."""
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, name in _loaders_imported(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_pickle_check_sees_every_form_of_import() -> None:
    source = (
        "import pickle\nfrom _pickle import loads\ndef f():\n    import shelve as s\n"
        "    importlib.import_module('dill')\n    __import__('marshal')\nimport json\n"
    )
    assert _loaders_imported(source) == [
        (1, "pickle"),
        (2, "_pickle"),
        (4, "shelve"),
        (5, "dill"),
        (6, "marshal"),
    ]
