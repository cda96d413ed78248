"""Generate ``schemas/*.schema.json`` from the models, and detect drift."""

from __future__ import annotations

import json
from pathlib import Path

from generator.content.export import EXPORT_MODELS
from generator.content.models import MODELS, json_schema
from generator.content.peers import PEER_MODELS
from generator.content.vocabulary import Vocabulary
from generator.core.paths import project_root


def schema_dir() -> Path:
    """``schemas/`` of the project."""
    return project_root() / "schemas"


def render_schemas(vocab: Vocabulary | None = None) -> dict[str, str]:
    """File name → JSON text of every generated schema, listing the ids of ``vocab`` (default:
    the project's vocabulary)."""
    out: dict[str, str] = {}
    for name, model in {**MODELS, **PEER_MODELS, **EXPORT_MODELS}.items():
        schema = json_schema(model, vocab)
        ordered = {"$schema": schema.pop("$schema"), "$id": schema.pop("$id"), **schema}
        out[f"{name}.schema.json"] = json.dumps(ordered, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    return out


def write_schemas(directory: Path | None = None) -> list[Path]:
    """Write the schemas; returns the files that changed."""
    directory = schema_dir() if directory is None else directory
    changed: list[Path] = []
    for name, text in render_schemas().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def stale_schemas(directory: Path | None = None) -> list[Path]:
    """Committed schema files that differ from what the models generate."""
    directory = schema_dir() if directory is None else directory
    return [
        directory / name
        for name, text in render_schemas().items()
        if not (directory / name).exists() or (directory / name).read_text(encoding="utf-8") != text
    ]
