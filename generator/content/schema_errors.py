"""Turn pydantic validation errors into problems a coordinator can act on."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from generator.content.yamlload import Loaded
from generator.core.problems import Problem

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a group of `field: value` lines",
    "model_type": "a group of `field: value` lines",
    "model_attributes_type": "a group of `field: value` lines",
    "date_type": "a date (YYYY-MM-DD)",
}


def describe(value: Any) -> str:
    """A short, plain description of a YAML value for messages."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a group of fields"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "…")


def _field_info(model: type[BaseModel], loc: tuple[Any, ...]) -> FieldInfo | None:
    """The pydantic field a ``loc`` points into (nested models followed), if any."""
    current: Any = model
    info: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return info
        info = fields[part]
        annotation = info.annotation
        current = next(
            (
                arg
                for arg in getattr(annotation, "__args__", ())
                if isinstance(arg, type) and issubclass(arg, BaseModel)
            ),
            annotation,
        )
    return info


def _field_label(loc: tuple[Any, ...]) -> str:
    label = ""
    for part in loc:
        if isinstance(part, int):
            label += f" (item {part + 1})"
        else:
            label += ("." if label else "") + str(part)
    return label or "the file"


def _example(info: FieldInfo | None) -> str:
    if info and info.examples:
        example = info.examples[0]
        if isinstance(example, list):
            return "[" + ", ".join(str(e) for e in example) + "]"
        if isinstance(example, bool):
            return str(example).lower()
        return str(example)
    return "…"


def _known_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    parent = loc[:-1]
    if not parent:
        return list(model.model_fields)
    info = _field_info(model, parent)
    if info is None:
        return []
    for arg in (info.annotation, *getattr(info.annotation, "__args__", ())):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return list(arg.model_fields)
    return []


def problems_from_validation_error(
    error: ValidationError, model: type[BaseModel], loaded: Loaded
) -> list[Problem]:
    """One problem per pydantic error, placed at the key or value it concerns."""
    out: list[Problem] = []
    errors = error.errors(include_url=False)
    # 'Name' given for 'name': report the unknown field with its hint, not also a missing one
    misspelt = {
        (tuple(e["loc"][:-1]), str(e["loc"][-1]).casefold().replace("-", "_"))
        for e in errors
        if e["type"] == "extra_forbidden" and e["loc"]
    }
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "missing" and loc and (loc[:-1], str(loc[-1])) in misspelt:
            continue
        kind = err["type"]
        value = err.get("input")
        field = _field_label(loc)
        info = _field_info(model, loc)
        code, message, at_key = _translate(kind, err, loc, field, info, value, model)
        line, col = loaded.where(loc, key=at_key)
        out.append(Problem(loaded.path, line, col, code, message))
    return out


def _translate(
    kind: str,
    err: Any,
    loc: tuple[Any, ...],
    field: str,
    info: FieldInfo | None,
    value: Any,
    model: type[BaseModel],
) -> tuple[str, str, bool]:
    ctx = err.get("ctx") or {}
    name = str(loc[-1]) if loc else ""
    if kind == "missing":
        return (
            "missing-field",
            f"required field '{field}' is missing. Add a line such as `{name}: {_example(info)}`."
            + _about(name, info),
            True,
        )
    if kind == "extra_forbidden":
        if name.casefold() in {"email", "e-mail", "mail", "email_address"}:
            return (
                "email-not-allowed",
                f"'{name}' is not allowed: email addresses in a public repository are harvested by "
                "spammers. Delete this line; give contact.github or contact.url instead.",
                True,
            )
        known = _known_fields(model, loc)
        exact = [k for k in known if k.casefold() == name.casefold().replace("-", "_").replace(" ", "_")]
        close = exact or difflib.get_close_matches(name.casefold(), known, n=1, cutoff=0.7)
        hint = f" Did you mean '{close[0]}'? Field names are lower-case." if close else ""
        allowed = ", ".join(known)
        return ("unknown-field", f"unknown field '{name}'.{hint} Known fields: {allowed}.", True)
    if kind in _TYPE_NAMES:
        expected = _TYPE_NAMES[kind]
        if isinstance(value, list) and kind != "list_type":
            return (
                "wrong-type",
                f"'{field}' takes one value, but a list is given: keep just one value, "
                f"e.g. `{name}: {_example(info)}`.",
                False,
            )
        if kind == "list_type" and isinstance(value, (str, int, float)):
            return (
                "wrong-type",
                f"'{field}' is a list: write `{name}: [{value}]` even for one value.",
                False,
            )
        about = _about(name, info)
        if isinstance(value, str) and kind in {"int_type", "bool_type"} and _looks_like(kind, value):
            return (
                "wrong-type",
                f"'{field}' must be {expected}, but \"{value}\" is in quotes, which makes it text. "
                f"Remove the quotes: `{name}: {value.strip().lower()}`.{about}",
                False,
            )
        return (
            "wrong-type",
            f"'{field}' must be {expected}, but it is {describe(value)}.{about}",
            False,
        )
    if kind in {"string_too_long", "too_long", "string_too_short", "too_short"}:
        longer = "long" in kind
        limit = ctx.get("max_length" if longer else "min_length")
        if isinstance(value, str):
            if longer:
                return (
                    "too-long",
                    f"'{field}' is {len(value)} characters; the limit is {limit}. Shorten it.",
                    False,
                )
            return ("too-short", f"'{field}' is too short: write at least {limit} characters.", False)
        if longer:
            return (
                "too-many",
                f"'{field}' has {len(value)} items; at most {limit} are allowed. Keep the most important.",
                False,
            )
        return (
            "too-few",
            f"'{field}' needs at least {limit} item(s), e.g. `{name}: {_example(info)}`.",
            False,
        )
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        low, high = _bounds(info)
        return (
            "out-of-range",
            f"'{field}' is {describe(value)}; it must be between {low} and {high}.",
            False,
        )
    if kind == "string_pattern_mismatch":
        return ("bad-format", _pattern_message(field, name, value), False)
    if kind == "literal_error":
        return (
            "unknown-value",
            f"'{value}' is not allowed in '{field}': use one of {ctx.get('expected')}.",
            False,
        )
    if kind == "model_type":  # pragma: no cover - covered by _TYPE_NAMES
        return ("wrong-type", f"'{field}' must be a group of fields.", False)
    # our own PydanticCustomError codes carry a complete message
    return (kind.replace("_", "-"), f"{field}: {err['msg']}" if loc else err["msg"], False)


def _about(name: str, info: FieldInfo | None) -> str:
    """' name: what the field holds.' from the field's description, or ''."""
    if not (info and info.description):
        return ""
    text = info.description.rstrip(".")
    if len(text) > 1 and text[1].islower():
        text = text[0].lower() + text[1:]
    return f" {name}: {text}."


def _looks_like(kind: str, value: str) -> bool:
    text = value.strip()
    if kind == "int_type":
        return text.lstrip("+-").isdigit()
    return text.lower() in {"true", "false"}


def _bounds(info: FieldInfo | None) -> tuple[Any, Any]:
    low = high = None
    for meta in info.metadata if info else ():
        low = getattr(meta, "ge", low)
        high = getattr(meta, "le", high)
    return low, high


def _pattern_message(field: str, name: str, value: Any) -> str:
    if name in {"id", "program"} or field.endswith("mentors"):
        suggestion = "-".join("".join(c if c.isalnum() else " " for c in str(value).lower()).split())
        return f"'{value}' is not a valid id: use lower-case letters, digits and single hyphens" + (
            f", e.g. '{suggestion}'." if suggestion else "."
        )
    return f"'{value}' has the wrong format for '{field}'."
