"""What the templates show of mentors, programs and terms, made once per build from the public
export only (:mod:`generator.content.export`)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypedDict

from markupsafe import Markup

from generator.content.export import DirectoryExport, PublicMentor, PublicProgram
from generator.content.render import render_bio
from generator.content.vocabulary import Vocabulary, VocabularyKind
from generator.federation.merge import Origin
from generator.requests.issue_form import request_url
from generator.search.facets import FACET_GROUPS, mentor_values
from generator.search.order import default_order
from generator.site.avatars import avatar_colour, initials


@dataclass(frozen=True)
class TermLink:
    """A vocabulary term as a page shows it: the id (for links and filters) and the label."""

    id: str
    label: str


class TermTable:
    """The build's terms as pages show them: one shared (immutable) :class:`TermLink` per term,
    not one per mentor (50,000 mentors name 750,000 terms). Made once per build."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._links: dict[tuple[VocabularyKind, str], TermLink] = {}

    def link(self, kind: VocabularyKind, term_id: str) -> TermLink:
        """The link to one term of the vocabulary ``kind``."""
        link = self._links.get((kind, term_id))
        if link is None:
            link = self._links[(kind, term_id)] = TermLink(term_id, self.vocab.label(kind, term_id))
        return link

    def links(self, kind: VocabularyKind, ids: Iterable[str]) -> list[TermLink]:
        return [self.link(kind, i) for i in ids]


@dataclass
class MentorView:
    """Everything a template shows about one mentor, from its public record only."""

    record: PublicMentor
    program: PublicProgram | None
    profession: TermLink
    stage: TermLink
    specialties: list[TermLink]
    affinities: list[TermLink]
    areas: list[TermLink]
    languages: list[TermLink]
    meeting: list[TermLink]
    state: TermLink | None
    request_url: str
    #: "September 2025" when the profile is stale (docs/freshness.md), else None.
    not_confirmed_since: str | None = None
    #: The years of a public mentoring record (``recognition: public``), newest first.
    records: tuple[Any, ...] = ()
    #: where a peer network's mentor comes from (``None``: a mentor of this network)
    origin: Origin | None = None

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def initials(self) -> str:
        """The card's avatar: initials of the name (:mod:`generator.site.avatars`)."""
        return initials(self.record.name, self.record.id)

    @property
    def avatar(self) -> int:
        """The avatar's colour, from the id (``.avatar-<n>``)."""
        return avatar_colour(self.record.id)

    @property
    def bio_html(self) -> Markup:
        """The bio as safe HTML, made when a page shows it (a reused page never needs it)."""
        return render_bio(self.record.bio)

    def fingerprint(self) -> str:
        """A content hash of everything the view shows (pages are reused by it: page_writer)."""
        if self._fingerprint is None:
            parts: list[Any] = [
                self.record.model_dump_json(),
                self.program and self.program.model_dump_json(),
            ]
            for item in dataclasses.fields(self):
                value = getattr(self, item.name)
                if isinstance(value, TermLink):
                    parts.append([value.id, value.label])
                elif isinstance(value, list):
                    parts.append([[t.id, t.label] for t in value])
                elif isinstance(value, str) or value is None:
                    parts.append(value)
                elif isinstance(value, tuple):
                    parts.append([dataclasses.astuple(v) for v in value])
                elif isinstance(value, Origin):
                    parts.append([str(v) for v in dataclasses.astuple(value)])
            self._fingerprint = hashlib.sha256(json.dumps(parts).encode()).hexdigest()
        return self._fingerprint

    _fingerprint: str | None = field(default=None, init=False, repr=False, compare=False)


@dataclass
class ProgramView:
    """A program and the views of its mentors, in the directory's order."""

    record: PublicProgram
    profession: TermLink
    state: TermLink
    mentors: list[MentorView] = field(default_factory=list)
    #: where a peer network's program comes from (``None``: a program of this network)
    origin: Origin | None = None

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def accepting(self) -> int:
        return sum(1 for m in self.mentors if m.record.accepting)

    def fingerprint(self) -> str:
        parts = [
            self.record.model_dump_json(),
            [self.profession.id, self.profession.label, self.state.id, self.state.label],
            [str(v) for v in dataclasses.astuple(self.origin)] if self.origin else None,
            [m.fingerprint() for m in self.mentors],
        ]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


class Specialty(NamedTuple):
    """A specialty's page: the term and its mentors (templates unpack it: ``term, mentors``)."""

    term: TermLink
    mentors: list[MentorView]


class Counts(TypedDict):
    """The figures of the home and directory pages."""

    mentors: int
    accepting: int
    programs: int
    specialties: int
    languages: int


@dataclass(frozen=True)
class DirectoryViews:
    """The views of one build: every mentor in the directory's order, every program in the
    export's order."""

    mentors: list[MentorView]
    programs: list[ProgramView]

    def counts(self) -> Counts:
        mentors = [v.record for v in self.mentors]
        return Counts(
            mentors=len(mentors),
            accepting=sum(1 for m in mentors if m.accepting),
            programs=len(self.programs),
            specialties=len({s for m in mentors for s in m.specialties}),
            languages=len({lang for m in mentors for lang in m.languages}),
        )

    def specialties(self, terms: TermTable) -> list[Specialty]:
        """Each specialty some mentor has, in vocabulary order, with its mentors."""
        by_id: dict[str, list[MentorView]] = {}
        for view in self.mentors:
            for term in view.specialties:
                by_id.setdefault(term.id, []).append(view)
        return [
            Specialty(terms.link("specialties", i), by_id[i])
            for i in terms.vocab.ids("specialties")
            if i in by_id
        ]


_STATE = next(g for g in FACET_GROUPS if g.param == "state")


def directory_views(
    export: DirectoryExport,
    terms: TermTable,
    repository_url: str,
    mentor_origins: Mapping[str, Origin] | None = None,
    program_origins: Mapping[str, Origin] | None = None,
    *,
    stale: Mapping[str, str] | None = None,
    records: Mapping[str, Sequence[Any]] | None = None,
) -> DirectoryViews:
    """Every mentor's and program's view; ``repository_url`` is where "Request this mentor" goes,
    except for a peer network's mentor (in ``mentor_origins``): their own network's form;
    ``stale``: id → month of the last confirmation of each stale profile; ``records``: id →
    the record years of each mentor with public recognition."""
    mentor_origins = mentor_origins or {}
    program_origins = program_origins or {}
    stale = stale or {}
    records = records or {}
    program_views = {
        p.id: ProgramView(
            p,
            terms.link("professions", p.profession),
            terms.link("states", p.state),
            origin=program_origins.get(p.id),
        )
        for p in export.programs
    }
    mentors: list[MentorView] = []
    for record in default_order(export.mentors):
        program_view = program_views.get(record.program)
        program = program_view.record if program_view else None
        state_ids = mentor_values(record, _STATE, program)
        areas = terms.links("areas", record.areas)
        origin = mentor_origins.get(record.id)
        view = MentorView(
            record=record,
            program=program,
            profession=terms.link("professions", record.profession),
            stage=terms.link("stages", record.stage),
            specialties=terms.links("specialties", record.specialties),
            affinities=terms.links("affinities", record.affinities),
            areas=areas,
            languages=terms.links("languages", record.languages),
            meeting=terms.links("meeting", record.meeting),
            state=terms.link("states", state_ids[0]) if state_ids else None,
            # needs: only what the mentee chose in the directory, added on the page (mentor.js)
            request_url=origin.request_url if origin else request_url(repository_url, record.id),
            origin=origin,
            not_confirmed_since=stale.get(record.id),
            records=tuple(records.get(record.id, ())),
        )
        mentors.append(view)
        if program_view:
            program_view.mentors.append(view)
    return DirectoryViews(mentors, [program_views[p.id] for p in export.programs])
