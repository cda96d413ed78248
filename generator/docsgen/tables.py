"""Markdown for the documentation, generated from the models, the vocabulary and the CLI.

The pages in ``docs/`` call these functions from cog blocks (``cog -r docs/*.md``), and
``cog --check`` in the tests fails when a page is out of date, so the documented fields,
ids and commands cannot drift from the code. Every function is pure: it returns Markdown
and prints nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import click
from pydantic import BaseModel

from generator.content.models import (
    GITHUB_PATTERN,
    ID_PATTERN,
    MODELS,
    ORCID_PATTERN,
    TIMEZONE_PATTERN,
    json_schema,
)
from generator.content.reporters import text_report
from generator.content.textrules import UNSAFE_MULTILINE_TEXT_PATTERN, UNSAFE_TEXT_PATTERN
from generator.content.urls import HTTPS_PATTERN
from generator.content.validation import validate_content
from generator.content.vocabulary import KINDS, Term, Vocabulary, vocabulary
from generator.content.yamlload import load_text

#: Width of the generated ``--help`` text: fixed, so the output does not depend on the terminal.
HELP_WIDTH = 80

#: Plain words (one, several) for the string patterns the models use.
_PATTERN_WORDS: dict[str, tuple[str, str]] = {
    ID_PATTERN: (
        "id: lower-case letters, digits and single hyphens",
        "ids (lower-case letters, digits and single hyphens)",
    ),
    GITHUB_PATTERN: ("GitHub user name, without @", "GitHub user names, without @"),
    ORCID_PATTERN: ("ORCID iD, 0000-0000-0000-0000", "ORCID iDs"),
    TIMEZONE_PATTERN: ("IANA time zone name, e.g. America/Chicago", "IANA time zone names"),
    HTTPS_PATTERN: ("https:// address", "https:// addresses"),
}

# --------------------------------------------------------------------------- Markdown helpers


def _cell(text: str) -> str:
    """Text made safe for one Markdown table cell."""
    text = " ".join(str(text).split())
    for char in ("\\", "|", "*", "<", ">"):
        text = text.replace(char, "\\" + char)
    return text


def _code(text: str) -> str:
    """A Markdown code span that survives a table cell."""
    text = " ".join(text.split()).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _yaml_scalar(value: Any, *, in_list: bool = False) -> str:
    """``value`` as it is written after ``field:`` in a YAML file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_scalar(item, in_list=True) for item in value) + "]"
    text = str(value)
    written = f"[{text}]" if in_list else text
    loaded = load_text(f"value: {written}\n", "example")
    expected: Any = [text] if in_list else text
    plain_ok = not loaded.problems and isinstance(loaded.data, dict) and loaded.data.get("value") == expected
    return text if plain_ok and "\n" not in text else json.dumps(text, ensure_ascii=False)


# --------------------------------------------------------------------------- field tables


def _vocabulary_kind(values: list[Any], vocab: Vocabulary) -> str | None:
    """The vocabulary whose ids are exactly ``values``, if any."""
    wanted = set(values)
    for kind, terms in vocab.terms.items():
        if wanted == set(terms):
            return kind
    return None


def _non_null(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """The schema without the ``null`` alternative that optional fields get."""
    options = schema.get("anyOf")
    if isinstance(options, list):
        rest = [option for option in options if option.get("type") != "null"]
        if len(rest) == 1:
            merged = {k: v for k, v in schema.items() if k != "anyOf"}
            return {**rest[0], **merged}
    return schema


def _resolve(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        merged = {k: v for k, v in schema.items() if k != "$ref"}
        return {**defs[ref.removeprefix("#/$defs/")], **merged}
    return schema


def _count(low: int | None, high: int | None) -> str:
    if low and high is not None:
        return f"{low}–{high}" if low != high else str(low)
    if high is not None:
        return f"up to {high}"
    if low:
        return f"at least {low}"
    return ""


def _length(schema: Mapping[str, Any]) -> str:
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low and low > 1 and high is not None:
        return f"{low}–{high} characters"
    if high is not None:
        return f"up to {high} characters"
    return ""


def _words(schema: Mapping[str, Any], vocab: Vocabulary, link: str | None, *, plural: bool) -> str:
    """What a value of ``schema`` is, in plain words (singular or plural)."""
    if "enum" in schema:
        kind = _vocabulary_kind(list(schema["enum"]), vocab)
        if kind is not None:
            where = f"[{kind}]({link}#{kind})" if link else f"the {kind} list"
            return f"ids from {where}" if plural else f"one id from {where}"
        choices = ", ".join(_code(_yaml_scalar(v)) for v in schema["enum"])
        return f"values from {choices}" if plural else f"one of {choices}"
    kind_of = schema.get("type")
    if kind_of == "boolean":
        return "true or false"
    if kind_of == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        noun = "whole numbers" if plural else "whole number"
        if low is not None and high is not None:
            return f"{noun} {low}–{high}"
        if low is not None:
            return f"{noun}, at least {low}"
        return f"{noun}, at most {high}" if high is not None else noun
    if kind_of == "object":
        return "the indented fields below"
    if kind_of == "string":
        if schema.get("format") == "date":
            return "dates YYYY-MM-DD" if plural else "date YYYY-MM-DD"
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and pattern in _PATTERN_WORDS:
            return _PATTERN_WORDS[pattern][1 if plural else 0]
        if schema.get("format") == "uri":
            return _PATTERN_WORDS[HTTPS_PATTERN][1 if plural else 0]
        forbidden = schema.get("not")
        unsafe = forbidden.get("pattern") if isinstance(forbidden, dict) else None
        if unsafe == UNSAFE_TEXT_PATTERN:
            noun = "one-line texts" if plural else "plain text, one line"
        elif unsafe == UNSAFE_MULTILINE_TEXT_PATTERN:
            noun = "texts" if plural else "plain text"
        else:
            noun = "texts" if plural else "text"
        length = _length(schema)
        if isinstance(pattern, str):
            length = ", ".join(part for part in (length, f"matching {_code(pattern)}") if part)
        if not length:
            return noun
        return f"{noun} ({'each ' if plural else ''}{length})"
    return "a value"


def _takes(schema: Mapping[str, Any], defs: Mapping[str, Any], vocab: Vocabulary, link: str | None) -> str:
    schema = _resolve(_non_null(schema), defs)
    if schema.get("type") == "array":
        items = _resolve(_non_null(schema.get("items", {})), defs)
        count = _count(schema.get("minItems"), schema.get("maxItems"))
        what = _words(items, vocab, link, plural=True)
        return f"list of {count} {what}" if count else f"list of {what}"
    return _words(schema, vocab, link, plural=False)


def _example(schema: Mapping[str, Any]) -> str:
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return _code(_yaml_scalar(examples[0]))
    return ""


def _field_rows(
    schema: Mapping[str, Any],
    defs: Mapping[str, Any],
    vocab: Vocabulary,
    link: str | None,
    prefix: str = "",
) -> Iterator[tuple[str, ...]]:
    required = set(schema.get("required", ()))
    for name, prop in schema.get("properties", {}).items():
        yield (
            _code(prefix + name),
            "**yes**" if name in required else "no",
            _takes(prop, defs, vocab, link),
            _cell(prop.get("description", "")),
            _example(prop),
        )
        nested = _resolve(_non_null(prop), defs)
        if nested.get("type") == "object" and "properties" in nested:
            yield from _field_rows(nested, defs, vocab, link, prefix=f"{prefix}{name}.")


def field_table(
    model: type[BaseModel], *, vocabulary_link: str | None = "vocabulary.md", vocab: Vocabulary | None = None
) -> str:
    """A Markdown table of every field of ``model``: name, required, what it takes, description, example.

    Fields of a nested model appear as ``parent.child`` rows after their parent. Everything
    comes from the model's JSON Schema; ``vocabulary_link`` is the page that lists the ids
    (``None`` for no links).
    """
    vocab = vocab if vocab is not None else vocabulary()
    schema = json_schema(model, vocab)
    defs = schema.get("$defs", {})
    rows = list(_field_rows(schema, defs, vocab, vocabulary_link))
    return _table(("Field", "Required?", "What it takes", "Description", "Example"), rows)


# --------------------------------------------------------------------------- vocabulary tables


def _fields_using(kind: str, vocab: Vocabulary) -> list[str]:
    """``model.field`` names whose values come from the vocabulary ``kind``."""
    found: list[str] = []

    def visit(schema: Mapping[str, Any], defs: Mapping[str, Any], model: str, prefix: str) -> None:
        for name, prop in schema.get("properties", {}).items():
            value = _resolve(_non_null(prop), defs)
            item = value
            if value.get("type") == "array":
                item = _resolve(_non_null(value.get("items", {})), defs)
            if "enum" in item and _vocabulary_kind(list(item["enum"]), vocab) == kind:
                found.append(f"{model} {_code(prefix + name)}")
            if value.get("type") == "object":
                visit(value, defs, model, f"{prefix}{name}.")

    for model_name, model in MODELS.items():
        schema = json_schema(model, vocab)
        visit(schema, schema.get("$defs", {}), model_name, "")
    return found


def _term_notes(term: Term) -> str:
    parts: list[str] = []
    if term.deprecated:
        instead = f" use {_code(term.replaced_by)} instead." if term.replaced_by else ""
        parts.append(f"**Retired**: do not use;{instead}")
    if term.description:
        parts.append(_cell(term.description))
    seen = {term.id.casefold(), term.label.casefold()}
    others = [s for s in term.synonyms if s.casefold() not in seen]
    if others:
        parts.append("Also: " + _cell(", ".join(others)))
    return " ".join(parts)


def _term_table(terms: list[Term]) -> str:
    rows = [(_code(t.id), _cell(t.label), _term_notes(t)) for t in terms]
    return _table(("id", "label", "description and other names"), rows)


def _group_kinds(vocab: Vocabulary) -> dict[str, str]:
    """Vocabulary → the vocabulary that groups its terms (e.g. affinities → affinity_groups)."""
    out: dict[str, str] = {}
    for kind, terms in vocab.terms.items():
        groups = {t.group for t in terms.values() if t.group is not None}
        if not groups:
            continue
        for other, other_terms in vocab.terms.items():
            if other != kind and groups <= set(other_terms):
                out[kind] = other
                break
    return out


def vocabulary_tables(vocab: Vocabulary | None = None) -> str:
    """One section per vocabulary with a table of its ids, labels, descriptions and synonyms.

    A vocabulary whose terms have a ``group`` is split into one table per group; the
    vocabulary of groups is shown only as those sub-headings.
    """
    vocab = vocab if vocab is not None else vocabulary()
    grouped = _group_kinds(vocab)
    kinds = [k for k in vocab.terms if k not in grouped.values()]
    out = ["Lists: " + " · ".join(f"[{kind}](#{kind})" for kind in kinds)]
    for kind in kinds:
        terms = list(vocab.terms[kind].values())
        noun = KINDS.get(kind, kind)
        used = _fields_using(kind, vocab)
        intro = f"{len(terms)} ids; each is one {noun}."
        if used:
            intro += " Used in: " + ", ".join(used) + "."
        out += [f"## {kind}", intro]
        group_kind = grouped.get(kind)
        if group_kind is None:
            out.append(_term_table(terms))
            continue
        for group in vocab.terms[group_kind].values():
            members = [t for t in terms if t.group == group.id]
            if members:
                out += [f"### {_cell(group.label)} ({_code(group.id)})", _term_table(members)]
    return "\n\n".join(out)


# --------------------------------------------------------------------------- CLI reference


def _context(command: click.Command, name: str, parent: click.Context | None, width: int) -> click.Context:
    settings: dict[str, Any] = dict(command.context_settings)
    settings.update(terminal_width=width, max_content_width=width)
    return click.Context(command, info_name=name, parent=parent, **settings)


def _contexts(command: click.Command, ctx: click.Context, width: int) -> Iterator[click.Context]:
    yield ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            yield from _contexts(sub, _context(sub, name, ctx, width), width)


def cli_reference(
    command: click.Command | None = None, *, prog_name: str = "mentormemed", width: int = HELP_WIDTH
) -> str:
    """The ``--help`` of ``command`` (default: the ``mentormemed`` CLI) and of every subcommand.

    Each command gets a ``## <command path>`` heading and its help in a text block, at a
    fixed ``width`` so the output does not depend on the terminal.
    """
    if command is None:
        from generator.cli import cli

        command = cli
    root = _context(command, prog_name, None, width)
    out: list[str] = []
    for ctx in _contexts(command, root, width):
        help_text = ctx.command.get_help(ctx).rstrip()
        out += [f"## {ctx.command_path}", f"```text\n$ {ctx.command_path} --help\n{help_text}\n```"]
    return "\n\n".join(out)


def example_report(doc: str | Path, marker: str, program_file: str | Path) -> str:
    """The validator's real text report on the ```yaml block after ``<!-- marker -->`` in
    ``doc``, placed as content/mentors/<program>/<id>.yml beside ``program_file`` (and the
    ``network.yml`` of its content folder)."""
    text = Path(doc).read_text(encoding="utf-8")
    match = re.search(rf"<!-- {re.escape(marker)} -->\n```yaml\n(.*?)^```$", text, re.S | re.M)
    if not match:
        raise ValueError(f"{doc}: no ```yaml block after <!-- {marker} -->")
    example = match.group(1)
    data = load_text(example, marker).data
    if not isinstance(data, dict):
        raise ValueError(f"{doc}: the block after <!-- {marker} --> is not a mapping")
    cwd = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        program = load_text(Path(program_file).read_text(encoding="utf-8"), "program").data
        assert isinstance(program, dict)
        (content / "programs").mkdir(parents=True)
        shutil.copy(program_file, content / "programs" / Path(program_file).name)
        shutil.copy(Path(program_file).parent.parent / "network.yml", content / "network.yml")
        folder = content / "mentors" / str(program["id"])
        folder.mkdir(parents=True)
        (folder / f"{data['id']}.yml").write_text(example, encoding="utf-8")
        try:
            os.chdir(tmp)
            result = validate_content(Path("content"))
        finally:
            os.chdir(cwd)
    return text_report(result.problems, result.files_checked)
