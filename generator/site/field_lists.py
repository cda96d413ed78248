"""The field lists two pages show: the match page's questions (the request form's) and the about
page's published and never-published mentor fields (from the models)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

from generator.content.export import UNPUBLISHED_MENTOR_FIELDS, DirectoryExport, PublicMentor
from generator.content.models import Contact, Mentor
from generator.content.vocabulary import Vocabulary
from generator.requests.issue_form import FormField, form_fields


def match_fields(export: DirectoryExport, vocab: Vocabulary) -> dict[str, FormField]:
    """The request form's questions for the match page, by id.

    Affinities are limited to those some mentor shows publicly: the page can match on no
    other, and an affinity held only privately must not even be named in the output.
    """
    fields = {f.id: f for f in form_fields(vocab)}
    shown = export.vocabulary.get("affinities", {})
    affinities = fields["affinities"]
    pairs = [(o, v) for o, v in zip(affinities.options, affinities.values, strict=True) if v in shown]
    fields["affinities"] = replace(
        affinities, options=tuple(o for o, _ in pairs), values=tuple(v for _, v in pairs)
    )
    return fields


class FieldNote(NamedTuple):
    """A mentor field and its description (templates unpack it: ``name, description``)."""

    name: str
    description: str


@dataclass(frozen=True)
class PublishedFields:
    published: list[FieldNote]
    private: list[FieldNote]


def published_fields() -> PublishedFields:
    """Published and never-published mentor fields with their descriptions, from the models."""
    described = {name: f.description or "" for name, f in Mentor.model_fields.items()}
    described.update({f"contact.{n}": f.description or "" for n, f in Contact.model_fields.items()})
    public = [n for n in PublicMentor.model_fields if n in described and n != "contact"]
    public += [f"contact.{n}" for n in ("github", "url")]
    return PublishedFields(
        published=[FieldNote(n, described[n]) for n in public],
        private=[FieldNote(n, described[n]) for n in UNPUBLISHED_MENTOR_FIELDS],
    )
