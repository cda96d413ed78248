"""The models do not depend on the project's vocabulary: it is an input, given when a file is
validated or a schema is generated, and read only then (issue 11)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from generator.content.models import Mentor, Program, Request, json_schema, validation_context
from generator.content.schema_files import render_schemas
from generator.content.validation import load_record, validate_content
from generator.content.vocabulary import Vocabulary, load_vocabulary, vocabulary
from generator.core.problems import ContentError
from tests.support.paths import BASE_NETWORK, ROOT

#: A small vocabulary of a fictional veterinary guild: no id is one of the project's.
GUILD_VOCABULARY = """\
professions:
  - {id: vet, label: Veterinary medicine, synonyms: [veterinarian]}
stages:
  - {id: apprentice, label: Apprentice}
  - {id: journeyman, label: Journeyman}
  - {id: novice, label: Novice, deprecated: true, replaced_by: apprentice}
specialties:
  - {id: equine, label: Horses}
  - {id: avian, label: Birds}
affinity_groups:
  - {id: origin, label: Origin}
affinities:
  - {id: island-born, label: Born on an island, group: origin}
  - {id: hill-born, label: Born in the hills, group: origin}
areas:
  - {id: hoof-care, label: Hoof care}
  - {id: guild-exams, label: Guild exams}
meeting:
  - {id: by-letter, label: By letter}
languages:
  - {id: la, label: Latin}
states:
  - {id: ZZ, label: Zedland}
"""

GUILD_PROGRAM = {
    "id": "hill-guild",
    "name": "Hill Guild of Veterinarians",
    "institution": "Hill Guild",
    "profession": "vet",
    "state": "ZZ",
    "website": "https://hill-guild.example.org/",
    "maintainers": ["mmm-sample-guild-coord"],
    "description": "A fictional guild.",
}

GUILD_MENTOR = {
    "id": "ada-farrier",
    "name": "Ada Farrier",
    "program": "hill-guild",
    "profession": "vet",
    "stage": "journeyman",
    "specialties": ["equine"],
    "areas": ["hoof-care"],
    "affinities": ["island-born"],
    "languages": ["la"],
    "meeting": ["by-letter"],
    "state": "ZZ",
    "capacity": 2,
    "accepting": True,
    "last_confirmed": "2025-01-01",
}

GUILD_REQUEST = {
    "needs": ["guild-exams", "hoof-care"],
    "stage": "apprentice",
    "profession": "vet",
    "affinities": ["hill-born"],
    "languages": ["la"],
    "meeting": ["by-letter"],
    "state": "ZZ",
    "must": ["languages"],
}


@pytest.fixture(scope="module")
def guild(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    path = tmp_path_factory.mktemp("guild") / "vocabulary.yml"
    path.write_text(GUILD_VOCABULARY, encoding="utf-8")
    return load_vocabulary(path)


def _error_types(error: ValidationError) -> dict[tuple[str | int, ...], str]:
    return {tuple(e["loc"]): e["type"] for e in error.errors()}


def test_models_take_the_ids_of_the_vocabulary_in_the_context(guild: Vocabulary) -> None:
    context = validation_context(guild)
    assert Request.model_validate(GUILD_REQUEST, context=context).needs == ["guild-exams", "hoof-care"]
    assert Program.model_validate(GUILD_PROGRAM, context=context).profession == "vet"
    assert Mentor.model_validate(GUILD_MENTOR, context=context).specialties == ["equine"]


def test_models_reject_the_project_ids_under_another_vocabulary(guild: Vocabulary) -> None:
    data = {"needs": ["research"], "stage": "ms3", "profession": "md", "state": "IL"}
    Request.model_validate(data)  # the project's vocabulary when no context is given
    with pytest.raises(ValidationError) as info:
        Request.model_validate(data, context=validation_context(guild))
    assert _error_types(info.value) == {
        ("needs", 0): "unknown-term",
        ("stage",): "unknown-term",
        ("profession",): "unknown-term",
        ("state",): "unknown-term",
    }
    messages = {e["msg"] for e in info.value.errors()}
    assert (
        "'ms3' is not a known career stage. Use an id from the stages list in docs/vocabulary.md." in messages
    )


def test_the_project_vocabulary_rejects_the_other_ids_when_no_context_is_given() -> None:
    with pytest.raises(ValidationError) as info:
        Request.model_validate(GUILD_REQUEST)
    assert set(_error_types(info.value).values()) == {"unknown-term"}


def test_suggestions_and_retired_terms_come_from_the_given_vocabulary(guild: Vocabulary) -> None:
    data = {"needs": ["hoof-care"], "stage": "novice", "profession": "veterinarian"}
    with pytest.raises(ValidationError) as info:
        Request.model_validate(data, context=validation_context(guild))
    messages = {tuple(e["loc"]): e["msg"] for e in info.value.errors()}
    assert messages == {
        ("stage",): "the career stage 'novice' is retired; use 'apprentice' instead.",
        ("profession",): "'veterinarian' is not a known profession. Did you mean 'vet' (Veterinary "
        "medicine)? Use an id from the professions list in docs/vocabulary.md.",
    }


def test_a_context_without_a_vocabulary_is_refused() -> None:
    with pytest.raises(TypeError, match="must be a Vocabulary"):
        Request.model_validate({"needs": ["research"]}, context={"vocabulary": "schemas/vocabulary.yml"})


def _write_guild_content(content: Path) -> None:
    (content / "programs").mkdir(parents=True)
    (content / "mentors" / "hill-guild").mkdir(parents=True)
    shutil.copy(BASE_NETWORK, content / "network.yml")
    (content / "programs" / "hill-guild.yml").write_text(json.dumps(GUILD_PROGRAM), encoding="utf-8")
    mentor_file = content / "mentors" / "hill-guild" / "ada-farrier.yml"
    mentor_file.write_text(json.dumps(GUILD_MENTOR), encoding="utf-8")


def test_validate_content_and_load_record_take_a_vocabulary(tmp_path: Path, guild: Vocabulary) -> None:
    content = tmp_path / "content"
    _write_guild_content(content)
    cache = tmp_path / "cache"
    cache.mkdir()
    # the same cache folder: a result found under one vocabulary is not reused under another
    project = validate_content(content, cache_dir=cache)
    assert {p.code for p in project.problems} == {"unknown-term"}
    result = validate_content(content, cache_dir=cache, vocab=guild)
    assert result.problems == []
    assert list(result.mentors) == ["ada-farrier"]
    assert validate_content(content, vocab=guild).problems == []
    request_file = tmp_path / "request.yml"
    request_file.write_text(json.dumps(GUILD_REQUEST), encoding="utf-8")
    assert load_record(request_file, Request, guild).state == "ZZ"
    with pytest.raises(ContentError):
        load_record(request_file, Request)


def test_schemas_list_the_ids_of_the_given_vocabulary(guild: Vocabulary) -> None:
    schema = json_schema(Mentor, guild)
    assert schema["properties"]["specialties"]["items"]["enum"] == ["equine", "avian"]
    assert schema["properties"]["profession"]["enum"] == ["vet"]
    assert schema["properties"]["state"]["anyOf"][0]["enum"] == ["ZZ"]
    request = json.loads(render_schemas(guild)["request.schema.json"])
    assert request["properties"]["stage"]["anyOf"][0]["enum"] == ["apprentice", "journeyman", "novice"]
    assert request["properties"]["needs"]["items"]["enum"] == ["hoof-care", "guild-exams"]
    # the default is the project's vocabulary; the model alone lists no ids
    assert json_schema(Mentor)["properties"]["profession"]["enum"] == vocabulary().ids("professions")
    assert "enum" not in Mentor.model_json_schema()["properties"]["profession"]


_IMPORT_EVERYTHING = """
import importlib, json, os, pkgutil, sys

root = sys.argv[1]
opened = []
sys.addaudithook(lambda event, args: opened.append(args[0]) if event == "open" else None)
import generator
for module in pkgutil.walk_packages(generator.__path__, "generator."):
    importlib.import_module(module.name)

from generator.content.vocabulary import load_vocabulary, vocabulary
from generator.core.paths import project_root
from generator.matching.config import matching_config
from generator.content.models import Request, validation_context
from generator.core.problems import ContentError

# nothing of the repository but the package's code was read, and nothing cached was computed
code = os.path.join(root, "generator") + os.sep
ignored = tuple(os.path.join(root, d) + os.sep for d in (".venv", "node_modules"))
# the installed package's own metadata (an editable install's egg-info), read by importlib.metadata
metadata = (".egg-info" + os.sep, ".dist-info" + os.sep)
data = sorted(
    p for p in opened
    if isinstance(p, str) and os.path.abspath(p).startswith(root + os.sep)
    and not os.path.abspath(p).startswith(ignored)
    and not any(m in os.path.abspath(p) for m in metadata)
    and not (os.path.abspath(p).startswith(code) and p.endswith((".py", ".pyc")))
)
caches = [f.cache_info().currsize for f in (vocabulary, project_root, matching_config)]
# a model validates with a given vocabulary although the project has none
request = Request.model_validate(
    {"needs": ["hoof-care"]}, context=validation_context(load_vocabulary(sys.argv[2]))
)
try:
    Request.model_validate({"needs": ["hoof-care"]})
    fallback = "validated"
except ContentError as exc:
    fallback = exc.problems[0].code
print(json.dumps({"data": data, "caches": caches, "needs": request.needs, "fallback": fallback}))
"""


def test_importing_the_generator_reads_no_data_file(tmp_path: Path) -> None:
    """With MENTORMEMED_ROOT at an empty folder, every module imports, and reads and caches
    nothing: the vocabulary, the matching settings and the project root are looked up on use."""
    empty = tmp_path / "empty"
    empty.mkdir()
    guild_file = tmp_path / "vocabulary.yml"
    guild_file.write_text(GUILD_VOCABULARY, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "MENTORMEMED_VOCABULARY"}
    env.update(MENTORMEMED_ROOT=str(empty), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_EVERYTHING, str(ROOT), str(guild_file)],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert report == {"data": [], "caches": [0, 0, 0], "needs": ["hoof-care"], "fallback": "no-vocabulary"}
