"""The public export of the network: the one place that decides what the site publishes.

Every page, the search index, the filter counts and ``directory.json`` are built from a
:class:`DirectoryExport`, never from :class:`~generator.content.models.Mentor` directly, so a field
that is not copied here (``private_affinities``, ``contact.orcid``) cannot reach the output.
``directory.json`` is this model as JSON; its schema, ``schemas/directory.schema.json``, is
generated from it like the other schemas, so the drift check covers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.content.models import SCHEMA_BASE, Mentor, Program
from generator.content.urls import is_https_url
from generator.content.vocabulary import Vocabulary, vocabulary

EXPORT_VERSION: Literal[1] = 1
EXPORT_FILE = "directory.json"

#: Mentor fields (dotted for nested ones) that the site never publishes (the bot gives
#: ``contact.booking`` only in a request issue that mentor has accepted; ``recognition``
#: itself is not published: with ``public`` the mentor's page links their mentoring record).
UNPUBLISHED_MENTOR_FIELDS: tuple[str, ...] = (
    "private_affinities",
    "contact.orcid",
    "contact.booking",
    "recognition",
)

#: vocabulary kind → the public mentor/program fields whose ids it labels
LABELLED_KINDS: dict[str, tuple[str, ...]] = {
    "professions": ("profession",),
    "stages": ("stage",),
    "specialties": ("specialties",),
    "affinities": ("affinities",),
    "areas": ("areas",),
    "languages": ("languages",),
    "meeting": ("meeting",),
    "states": ("state",),
}


class _Public(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PublicContact(_Public):
    """How to reach a mentor: a GitHub user name and an institutional web page, both optional."""

    github: str | None = Field(None, description="GitHub user name.")
    url: str | None = Field(None, description="https:// address of an institutional profile page.")


class PublicProgram(_Public):
    """A program or institution, as published (every field of a program file is public)."""

    id: str = Field(description="Program id.")
    name: str = Field(description="Name of the program.")
    institution: str = Field(description="The institution it belongs to.")
    profession: str = Field(description="Profession id (see `vocabulary.professions`).")
    state: str = Field(description="USPS code of the state or territory.")
    website: str = Field(description="https:// address of the program's web page.")
    maintainers: list[str] = Field(description="GitHub user names of the program's coordinators.")
    requests: str | None = Field(
        None,
        description="https:// address of the institution's web page or form where the program "
        "receives mentor requests from students without a GitHub account.",
    )
    description: str = Field(description="One or two sentences about the program.")
    url: str = Field(description="Address of the program's page in this directory.")


class PublicMentor(_Public):
    """A mentor's published profile: every field of the profile file except the private ones."""

    id: str = Field(description="Mentor id, unique in the network.")
    name: str = Field(description="Name as the mentor wants it shown.")
    pronouns: str | None = Field(None, description="Pronouns, if the mentor wants them shown.")
    title: str | None = Field(None, description="Position or title.")
    program: str = Field(description="Program id (see `programs`).")
    profession: str = Field(description="Profession id.")
    stage: str = Field(description="Career stage id.")
    degrees: list[str] = Field(default_factory=list, description="Degrees, free text.")
    specialties: list[str] = Field(default_factory=list, description="Specialty ids.")
    areas: list[str] = Field(
        default_factory=list, description="Ids of the areas of need the mentor helps with."
    )
    affinities: list[str] = Field(
        default_factory=list, description="Affinity ids the mentor consents to show publicly."
    )
    languages: list[str] = Field(default_factory=list, description="ISO 639-1 language codes.")
    meeting: list[str] = Field(default_factory=list, description="Meeting mode ids.")
    state: str | None = Field(None, description="USPS code of where the mentor works.")
    timezone: str | None = Field(None, description="IANA time zone.")
    capacity: int = Field(description="How many mentees at once.")
    accepting: bool = Field(description="true when accepting new mentees.")
    contact: PublicContact | None = Field(None, description="GitHub user name and profile page, if given.")
    bio: str | None = Field(None, description="Short bio, plain text or simple Markdown.")
    last_confirmed: str = Field(description="Date (YYYY-MM-DD) the mentor last confirmed the profile.")
    url: str = Field(description="Address of the mentor's page in this directory.")


class DirectoryExport(_Public):
    """The whole public directory, for other sites to federate from (``directory.json``)."""

    model_config = ConfigDict(
        title="Directory export",
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_BASE + "directory.schema.json",
        },
    )

    version: Literal[1] = Field(
        description="Version of this format; it changes only when a field is removed or changes meaning.",
        examples=[EXPORT_VERSION],
    )
    site: str = Field(description="Address of the directory site this export comes from.")
    vocabulary: dict[str, dict[str, str]] = Field(
        description="For each vocabulary used in the export (professions, stages, specialties, affinities, "
        "areas, languages, meeting, states), the label of every id that appears in it."
    )
    programs: list[PublicProgram] = Field(description="Every program, ordered by id.")
    mentors: list[PublicMentor] = Field(description="Every mentor, ordered by program id, then id.")


EXPORT_MODELS: dict[str, type[BaseModel]] = {"directory": DirectoryExport}


def mentor_url(site_url: str, mentor_id: str) -> str:
    return f"{site_url.rstrip('/')}/mentors/{mentor_id}/"


def program_url(site_url: str, program_id: str) -> str:
    return f"{site_url.rstrip('/')}/programs/{program_id}/"


def public_mentor(mentor: Mentor, site_url: str) -> PublicMentor:
    """Copy the published fields of one mentor, by name: a new private field is never copied."""
    contact = None
    url = mentor.contact.url if mentor.contact is not None else None
    url = url if url and is_https_url(url) else None  # validated already; a second line of defence
    if mentor.contact is not None and (mentor.contact.github or url):
        contact = PublicContact(github=mentor.contact.github, url=url)
    return PublicMentor(
        id=mentor.id,
        name=mentor.name,
        pronouns=mentor.pronouns,
        title=mentor.title,
        program=mentor.program,
        profession=mentor.profession,
        stage=mentor.stage,
        degrees=list(mentor.degrees),
        specialties=list(mentor.specialties),
        areas=list(mentor.areas),
        affinities=list(mentor.affinities),
        languages=list(mentor.languages),
        meeting=list(mentor.meeting),
        state=mentor.state,
        timezone=mentor.timezone,
        capacity=mentor.capacity,
        accepting=mentor.accepting,
        contact=contact,
        bio=mentor.bio,
        last_confirmed=mentor.last_confirmed.isoformat(),
        url=mentor_url(site_url, mentor.id),
    )


def public_program(program: Program, site_url: str) -> PublicProgram:
    return PublicProgram(
        id=program.id,
        name=program.name,
        institution=program.institution,
        profession=program.profession,
        state=program.state,
        website=program.website if is_https_url(program.website) else "",
        maintainers=list(program.maintainers),
        requests=program.requests if program.requests and is_https_url(program.requests) else None,
        description=program.description,
        url=program_url(site_url, program.id),
    )


def _used_labels(
    programs: Iterable[PublicProgram], mentors: Iterable[PublicMentor], vocab: Vocabulary
) -> dict[str, dict[str, str]]:
    used: dict[str, set[str]] = {kind: set() for kind in LABELLED_KINDS}
    for record in [*programs, *mentors]:
        for kind, names in LABELLED_KINDS.items():
            for name in names:
                value: Any = getattr(record, name, None)
                if isinstance(value, str):
                    used[kind].add(value)
                elif isinstance(value, list):
                    used[kind].update(value)
    # Vocabulary order, so labels read in the same order everywhere.
    return {kind: {i: vocab.label(kind, i) for i in vocab.ids(kind) if i in used[kind]} for kind in used}


def used_labels(
    programs: Iterable[PublicProgram], mentors: Iterable[PublicMentor], vocab: Vocabulary
) -> dict[str, dict[str, str]]:
    """The ``vocabulary`` of an export of ``programs`` and ``mentors`` (a merged directory's)."""
    return _used_labels(programs, mentors, vocab)


def build_export(
    programs: Mapping[str, Program],
    mentors: Mapping[str, Mentor],
    site_url: str,
    vocab: Vocabulary | None = None,
) -> DirectoryExport:
    """The public directory of validated ``programs`` and ``mentors``.

    Labels are listed only for ids that a published field uses: an affinity that only
    appears in ``private_affinities`` is not even named.
    """
    vocab = vocab or vocabulary()
    public_programs = [public_program(programs[key], site_url) for key in sorted(programs)]
    public_mentors = [
        public_mentor(m, site_url) for m in sorted(mentors.values(), key=lambda m: (m.program, m.id))
    ]
    return DirectoryExport(
        version=EXPORT_VERSION,
        site=site_url.rstrip("/") + "/",
        vocabulary=_used_labels(public_programs, public_mentors, vocab),
        programs=public_programs,
        mentors=public_mentors,
    )


def export_json(export: DirectoryExport) -> str:
    """``directory.json``: compact JSON in a stable key order (the model's field order)."""
    return export.model_dump_json() + "\n"


_EMPTY_MENTORS = '"mentors":[]'


def write_export(export: DirectoryExport, path: Path) -> None:
    """Write :func:`export_json` into ``path`` (the same bytes) a mentor at a time: at 50,000
    mentors the whole text and pydantic's copy of it were 300 MB at once, the build's peak."""
    head = export.model_copy(update={"mentors": []}).model_dump_json()
    if not export.mentors or head.count(_EMPTY_MENTORS) != 1:
        path.write_text(export_json(export), encoding="utf-8")
        return
    before, after = head.split(_EMPTY_MENTORS)
    with path.open("w", encoding="utf-8") as out:
        out.write(before + '"mentors":[')
        for position, mentor in enumerate(export.mentors):
            if position:
                out.write(",")
            out.write(mentor.model_dump_json())
        out.write("]" + after + "\n")
