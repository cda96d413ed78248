"""How GitHub reads a CODEOWNERS file, for the patterns `mentormemed codeowners` writes: the
last rule that matches a path gives its owners."""

from __future__ import annotations

import os
from pathlib import Path


def parse(text: str) -> list[tuple[str, list[str]]]:
    """The rules of a CODEOWNERS file, in order: (pattern, owners)."""
    rules: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *owners = line.split()
        if not (pattern == "*" or (pattern.startswith("/") and not set("*?[]!\\") & set(pattern))):
            raise ValueError(f"this simulation does not know the pattern {pattern!r}")
        rules.append((pattern, owners))
    return rules


def matches(pattern: str, path: str) -> bool:
    """``*`` matches every file; ``/dir/`` every file below dir; ``/name`` the file name, or
    every file below it if it is a folder (gitignore rules, anchored at the root)."""
    if pattern == "*":
        return True
    anchored = pattern.lstrip("/")
    if pattern.endswith("/"):
        return path.startswith(anchored)
    return path == anchored or path.startswith(anchored + "/")


def owners_of(rules: list[tuple[str, list[str]]], path: str) -> list[str]:
    """The owners GitHub asks for a change to ``path``: those of the last matching rule."""
    found: list[str] = []
    for pattern, owners in rules:
        if matches(pattern, path):
            found = owners
    return found


SKIP = {".git", ".venv", "node_modules", "output", "__pycache__", ".mentormemed-cache", ".pytest_cache"}


def repository_files(root: Path) -> list[str]:
    """Every file of the checkout at ``root`` (relative, /-separated), without tool folders."""
    out: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP and not d.endswith(".egg-info"))
        out += [(Path(folder) / name).relative_to(root).as_posix() for name in files]
    return sorted(out)
