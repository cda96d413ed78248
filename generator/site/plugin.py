"""The Pelican plugin that renders the directory (in the style of pelican-plugins/search).

:class:`DirectoryGenerator` is registered on Pelican's ``get_generators`` signal. Mentors are
not Pelican articles (Pelican's tag and category loops grow with N²): the generator renders
every page itself with the theme's Jinja templates through Pelican's environment (not its writer:
see :mod:`generator.site.page_writer`), from the public export only (:mod:`generator.content.export`).

Settings it reads (all set by :func:`generator.site.build.build_site`):

- ``MENTORMEMED_NETWORK``: a :class:`generator.site.build.Network` (validated programs and mentors);
  without it the generator validates ``PATH`` itself and refuses invalid content.
- ``MENTORMEMED_SITE_URL``, ``MENTORMEMED_REPOSITORY_URL``: absolute addresses.
- ``MENTORMEMED_NODE_MODULES``: the folder holding ``lunr/lunr.min.js``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from generator.content.export import (
    EXPORT_FILE,
    DirectoryExport,
    PublicMentor,
    PublicProgram,
    build_export,
    export_json,
)
from generator.content.models import Mentor
from generator.content.render import (
    REQUEST_FORM,
    convert_all,
    https_only,
    markdown_memo,
    render_bio,
    request_url,
)
from generator.content.vocabulary import Vocabulary, vocabulary
from generator.core.cache import load_pickle, save_pickle
from generator.matching.config import matching_config
from generator.requests.issue_form import FormField, form_fields
from generator.search.facets import (
    ACCEPTING_PARAM,
    FACET_GROUPS,
    PAGE_SIZE,
    facet_counts,
    facet_values,
    facets_payload,
    mentor_values,
)
from generator.search.shards import write_search_files
from generator.site.match_payload import (
    MATCH_MENTORS_FILE,
    MATCHING_FILE,
    match_mentors_payload,
    matching_payload,
)
from generator.site.page_writer import PageWriter

log = logging.getLogger(__name__)

PLUGIN_NAME = __name__
LUNR_FILE = "lunr/lunr.min.js"
SEARCH_DIR = "search"
BUILD_MARKER = ".mentormemed-build"
#: In the build cache: each bio's Markdown converted to HTML (sanitised on every use).
BIO_CACHE_FILE = "bios.pickle"
#: The sitemap protocol's limit of URLs per file; above it sitemap.xml is a sitemap index.
SITEMAP_MAX_URLS = 50_000


class SiteBuildError(Exception):
    """The site could not be built (a missing asset, a broken template…), with the fix."""


@dataclass(frozen=True)
class TermLink:
    """A vocabulary term as a page shows it: the id (for links and filters) and the label."""

    id: str
    label: str


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

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def name(self) -> str:
        return self.record.name

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
            self._fingerprint = hashlib.sha256(json.dumps(parts).encode()).hexdigest()
        return self._fingerprint

    _fingerprint: str | None = field(default=None, init=False, repr=False, compare=False)


@dataclass
class ProgramView:
    record: PublicProgram
    profession: TermLink
    state: TermLink
    mentors: list[MentorView] = field(default_factory=list)

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
            [m.fingerprint() for m in self.mentors],
        ]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


@dataclass
class FilterOption:
    id: str
    label: str
    count: int
    group: str | None = None  # affinity group label, for sub-headings


@dataclass
class FilterGroup:
    param: str
    label: str
    options: list[FilterOption]
    subgroups: list[tuple[str, list[FilterOption]]]


class TermTable:
    """The build's terms as pages show them: one shared (immutable) :class:`TermLink` per term, not
    one per mentor (50,000 mentors name 750,000 terms). Made once per build."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._terms: dict[tuple[str, str], TermLink] = {}

    def link(self, kind: str, term_id: str) -> TermLink:
        """The link to one term."""
        term = self._terms.get((kind, term_id))
        if term is None:
            term = self._terms[(kind, term_id)] = TermLink(term_id, self.vocab.label(kind, term_id))
        return term

    def links(self, kind: str, ids: list[str]) -> list[TermLink]:
        return [self.link(kind, i) for i in ids]


def default_order(mentors: list[PublicMentor]) -> list[PublicMentor]:
    """Accepting mentors first; within each, an order fixed by a hash of the id.

    Alphabetical order would send most requests to the same few names; this order is
    stable from build to build but favours no name.
    """
    return sorted(mentors, key=lambda m: (not m.accepting, hashlib.sha256(m.id.encode()).hexdigest()))


def _filter_groups(export: DirectoryExport, vocab: Vocabulary) -> list[FilterGroup]:
    values = facet_values(export, vocab)
    counts = facet_counts(export, vocab)
    groups: list[FilterGroup] = []
    for group in FACET_GROUPS:
        options = [
            FilterOption(v, vocab.label(group.kind, v), counts[group.param].get(v, 0))
            for v in values[group.param]
        ]
        subgroups: list[tuple[str, list[FilterOption]]] = []
        if group.kind == "affinities":
            by_group: dict[str, list[FilterOption]] = {}
            for option in options:
                term = vocab.terms["affinities"].get(option.id)
                key = term.group if term and term.group else ""
                by_group.setdefault(key, []).append(option)
            for key in [*vocab.ids("affinity_groups"), ""]:
                if key in by_group:
                    subgroups.append((vocab.label("affinity_groups", key) if key else "Other", by_group[key]))
        groups.append(FilterGroup(group.param, group.label, options, subgroups))
    return groups


@dataclass(frozen=True)
class Pagination:
    """Where one server-rendered directory page sits among all of them."""

    number: int
    count: int

    @property
    def window(self) -> list[int | None]:
        """Page numbers to link: the first, the last, two either side of this one (None: a gap)."""
        shown = sorted({1, self.count, *range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def directory_pages(mentors: list[MentorView], size: int = PAGE_SIZE) -> list[list[MentorView]]:
    """The mentors of each directory page, in default order (one empty page when there is none)."""
    return [mentors[i : i + size] for i in range(0, len(mentors), size)] or [[]]


def _asset_versions(theme: Path) -> dict[str, str]:
    static = theme / "static"
    return {
        path.relative_to(static).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for path in sorted(static.rglob("*"))
        if path.is_file()
    }


class DirectoryGenerator(Generator):  # type: ignore[misc]
    """Renders home, directory, mentor, program, specialty and info pages, and the data files."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.env.autoescape:
            raise SiteBuildError("Jinja autoescape must be on: set JINJA_ENVIRONMENT['autoescape'] = True.")
        self.env.filters["https_only"] = https_only
        self.vocab = vocabulary()
        self.terms = TermTable(self.vocab)
        self.site_url: str = str(self.settings.get("MENTORMEMED_SITE_URL") or self.settings["SITEURL"])
        self.repository_url: str = str(self.settings.get("MENTORMEMED_REPOSITORY_URL", ""))
        self.export: DirectoryExport | None = None
        self.mentor_views: list[MentorView] = []
        self.program_views: list[ProgramView] = []
        self.data_version = ""
        self._shared: dict[str, Any] | None = None
        self._pages: PageWriter | None = None
        self.build_id: str = str(self.settings.get("MENTORMEMED_BUILD_ID") or uuid.uuid4().hex)

    # ----------------------------------------------------------------- context

    def _network(self) -> tuple[Mapping[str, Any], Mapping[str, Mentor]]:
        # Taken out of the settings: once the export is made, nothing holds the records.
        network = self.settings.pop("MENTORMEMED_NETWORK", None)
        if network is None:
            from generator.content.validation import validate_content

            result = validate_content(Path(self.path))
            result.raise_for_problems()
            return result.programs, result.mentors
        return network.programs, network.mentors

    def generate_context(self) -> None:
        programs, mentors = self._network()
        self.export = build_export(programs, mentors, self.site_url, self.vocab)
        del programs, mentors
        self._write_search()
        vocab, terms = self.vocab, self.terms
        program_views = {
            p.id: ProgramView(p, terms.link("professions", p.profession), terms.link("states", p.state))
            for p in self.export.programs
        }
        views: list[MentorView] = []
        for record in default_order(self.export.mentors):
            program_view = program_views.get(record.program)
            program = program_view.record if program_view else None
            state_ids = mentor_values(record, next(g for g in FACET_GROUPS if g.param == "state"), program)
            view = MentorView(
                record=record,
                program=program,
                profession=terms.link("professions", record.profession),
                stage=terms.link("stages", record.stage),
                specialties=terms.links("specialties", record.specialties),
                affinities=terms.links("affinities", record.affinities),
                areas=terms.links("areas", record.areas),
                languages=terms.links("languages", record.languages),
                meeting=terms.links("meeting", record.meeting),
                state=terms.link("states", state_ids[0]) if state_ids else None,
                request_url=request_url(
                    self.repository_url, record.id, [vocab.label("areas", a) for a in record.areas]
                ),
            )
            views.append(view)
            if program_view:
                program_view.mentors.append(view)
        self.mentor_views = views
        self.program_views = [program_views[p.id] for p in self.export.programs]
        self.context["mentormemed_counts"] = self._counts()
        self.data_version = hashlib.sha256(export_json(self.export).encode()).hexdigest()[:10]

    def _counts(self) -> dict[str, int]:
        mentors = [v.record for v in self.mentor_views]
        return {
            "mentors": len(mentors),
            "accepting": sum(1 for m in mentors if m.accepting),
            "programs": len(self.program_views),
            "specialties": len({s for m in mentors for s in m.specialties}),
            "languages": len({lang for m in mentors for lang in m.languages}),
        }

    # ----------------------------------------------------------------- output

    def _page_context(self) -> dict[str, Any]:
        if self._shared is None:
            self._shared = self._shared_context()
        return self._shared

    def _shared_context(self) -> dict[str, Any]:
        versions = _asset_versions(Path(self.theme))
        return {
            "site_url": self.site_url.rstrip("/") + "/",
            "site_path": urlsplit(self.site_url).path.rstrip("/") + "/",
            "repository_url": self.repository_url.rstrip("/"),
            "asset_version": versions,
            "counts": self.context["mentormemed_counts"],
            "vocab": self.vocab,
            "data_version": self.data_version,
        }

    def _write(self, name: str, template: str, **kwargs: Any) -> None:
        """Queue a page: :meth:`generate_output` renders them all at the end (see page_writer)."""
        self._page_writer().add(name, self.get_template(template).name, page_name=name, **kwargs)

    def _page_writer(self) -> PageWriter:
        if self._pages is None:
            context = dict(self.context)
            context.update(self._page_context())
            previous = self.settings.get("MENTORMEMED_PREVIOUS_OUTPUT")
            cache_dir = self.settings.get("MENTORMEMED_CACHE_DIR")
            self._pages = PageWriter(
                self.env,
                context,
                Path(self.output_path),
                cache_dir=Path(cache_dir) if cache_dir else None,
                previous_output=Path(previous) if previous else None,
                previous_build_id=self.settings.get("MENTORMEMED_PREVIOUS_BUILD_ID"),
            )
        return self._pages

    def generate_output(self, writer: Any) -> None:
        """Queue every page, write the data files, render the pages (Pelican's ``writer`` is unused)."""
        assert self.export is not None
        specialties = self._specialties()
        self._write("index.html", "home", page_id="home")
        pages = directory_pages(self.mentor_views)
        filter_groups = _filter_groups(self.export, self.vocab)
        for number, chunk in enumerate(pages, start=1):
            self._write(
                "directory/index.html" if number == 1 else f"directory/page/{number}/index.html",
                "directory",
                page_id="directory",
                mentors=chunk,
                pagination=Pagination(number, len(pages)),
                page_size=PAGE_SIZE,
                filter_groups=filter_groups if number == 1 else [],
                accepting_param=ACCEPTING_PARAM,
            )
        for view in self.mentor_views:
            self._write(f"mentors/{view.id}/index.html", "mentor", page_id="mentor", mentor=view)
        self._write("programs/index.html", "programs", page_id="programs", programs=self.program_views)
        for program in self.program_views:
            self._write(f"programs/{program.id}/index.html", "program", page_id="program", program=program)
        self._write("specialties/index.html", "specialties", page_id="specialties", specialties=specialties)
        for term, mentors in specialties:
            self._write(
                f"specialties/{term.id}/index.html",
                "specialty",
                page_id="specialty",
                specialty=term,
                mentors=mentors,
            )
        self._write(
            "match/index.html",
            "match",
            page_id="match",
            fields=self._match_fields(),
            request_form=REQUEST_FORM,
        )
        self._write("add-mentors/index.html", "add_mentors", page_id="add-mentors")
        self._write("about/index.html", "about", page_id="about", published=published_fields())
        # GitHub Pages serves 404.html at any missing address: its links start from the site's path.
        self._write("404.html", "404", page_id="404", SITEURL=urlsplit(self.site_url).path.rstrip("/"))
        self._write_sitemaps(self._sitemap(specialties, len(pages)))
        self._write("robots.txt", "robots", page_id="robots")
        self._write_data()
        self._page_writer().run(self.build_id)
        bios = self._bio_cache()
        if bios is not None:
            memo = markdown_memo()
            used = {m.bio for m in self.export.mentors if m.bio and m.bio in memo}
            save_pickle(bios, {bio: memo[bio] for bio in used})

    def _bio_cache(self) -> Path | None:
        cache_dir = self.settings.get("MENTORMEMED_CACHE_DIR")
        return Path(cache_dir) / BIO_CACHE_FILE if cache_dir else None

    def _write_search(self) -> None:
        """The bios' Markdown (once, for pages and search alike), then the search files.

        Done as soon as the export exists, before the pages are prepared: the index is the
        build's largest passing need for memory, and the pages' data is not in memory yet.
        """
        assert self.export is not None
        bios = self._bio_cache()
        if bios is not None:
            stored = load_pickle(bios)
            if isinstance(stored, dict):
                markdown_memo().update(stored)
        convert_all(m.bio for m in self.export.mentors if m.bio)
        search = Path(self.output_path) / SEARCH_DIR
        search.mkdir(parents=True, exist_ok=True)
        write_search_files(search, self.export, self.vocab)

    def _match_fields(self) -> dict[str, FormField]:
        """The request form's questions for the match page, by id.

        Affinities are limited to those some mentor shows publicly: the page can match on no
        other, and an affinity held only privately must not even be named in the output.
        """
        assert self.export is not None
        fields = {f.id: f for f in form_fields(self.vocab)}
        shown = self.export.vocabulary.get("affinities", {})
        affinities = fields["affinities"]
        pairs = [(o, v) for o, v in zip(affinities.options, affinities.values, strict=True) if v in shown]
        fields["affinities"] = replace(
            affinities, options=tuple(o for o, _ in pairs), values=tuple(v for _, v in pairs)
        )
        return fields

    def _specialties(self) -> list[tuple[TermLink, list[MentorView]]]:
        by_id: dict[str, list[MentorView]] = {}
        for view in self.mentor_views:
            for term in view.specialties:
                by_id.setdefault(term.id, []).append(view)
        return [
            (self.terms.link("specialties", i), by_id[i]) for i in self.vocab.ids("specialties") if i in by_id
        ]

    def _write_sitemaps(self, urls: list[str]) -> None:
        """sitemap.xml; above :data:`SITEMAP_MAX_URLS` URLs, an index of sitemap-1.xml, sitemap-2.xml…"""
        if len(urls) <= SITEMAP_MAX_URLS:
            self._write("sitemap.xml", "sitemap", page_id="sitemap", pages=urls)
            return
        parts = [urls[i : i + SITEMAP_MAX_URLS] for i in range(0, len(urls), SITEMAP_MAX_URLS)]
        base = self.site_url.rstrip("/") + "/"
        for number, part in enumerate(parts, start=1):
            self._write(f"sitemap-{number}.xml", "sitemap", page_id="sitemap", pages=part)
        sitemaps = [f"{base}sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
        self._write("sitemap.xml", "sitemap_index", page_id="sitemap", sitemaps=sitemaps)

    def _sitemap(
        self, specialties: list[tuple[TermLink, list[MentorView]]], directory_pages: int
    ) -> list[str]:
        pages = ["", "directory/", "match/", "programs/", "specialties/", "add-mentors/", "about/"]
        pages += [f"directory/page/{n}/" for n in range(2, directory_pages + 1)]
        pages += [f"programs/{p.id}/" for p in self.program_views]
        pages += [f"specialties/{t.id}/" for t, _ in specialties]
        pages += [f"mentors/{m.id}/" for m in self.mentor_views]
        base = self.site_url.rstrip("/") + "/"
        return [base + page for page in pages]

    def _write_data(self) -> None:
        assert self.export is not None
        out = Path(self.output_path)
        (out / EXPORT_FILE).write_text(export_json(self.export), encoding="utf-8")
        timezones = [m.timezone for m in self.export.mentors]
        payload = matching_payload(matching_config(), timezones)
        (out / MATCHING_FILE).write_text(_compact(payload) + "\n", encoding="utf-8")
        match_mentors = out / MATCH_MENTORS_FILE
        match_mentors.parent.mkdir(parents=True, exist_ok=True)
        match_mentors.write_text(_compact(match_mentors_payload(self.export)) + "\n", encoding="utf-8")
        search = out / SEARCH_DIR
        search.mkdir(parents=True, exist_ok=True)
        order = [v.record for v in self.mentor_views]
        facets = facets_payload(self.export, self.vocab, order)
        (search / "facets.json").write_text(_compact(facets), encoding="utf-8")
        node_modules = Path(str(self.settings.get("MENTORMEMED_NODE_MODULES", "node_modules")))
        lunr_js = node_modules / LUNR_FILE
        if not lunr_js.is_file():
            raise SiteBuildError(
                f"{lunr_js} is missing: run `make install` (or `npm ci`) to install lunr.js from "
                "package-lock.json."
            )
        shutil.copyfile(lunr_js, search / "lunr.min.js")
        (out / BUILD_MARKER).write_text(
            f"Built by `mentormemed build`; safe to replace.\nbuild {self.build_id}\n", encoding="utf-8"
        )
        log.info("wrote %s and search/ for %d mentors", EXPORT_FILE, len(self.export.mentors))


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def published_fields() -> dict[str, list[tuple[str, str]]]:
    """Published and never-published mentor fields with their descriptions, from the models."""
    from generator.content.export import UNPUBLISHED_MENTOR_FIELDS, PublicMentor
    from generator.content.models import Contact

    described = {name: f.description or "" for name, f in Mentor.model_fields.items()}
    described.update({f"contact.{n}": f.description or "" for n, f in Contact.model_fields.items()})
    public = [n for n in PublicMentor.model_fields if n in described and n != "contact"]
    public += [f"contact.{n}" for n in ("github", "url")]
    return {
        "published": [(n, described[n]) for n in public],
        "private": [(n, described[n]) for n in UNPUBLISHED_MENTOR_FIELDS],
    }


def get_generators(pelican: Any) -> type[Generator] | None:
    plugins = pelican.settings.get("PLUGINS") or []
    enabled = any(getattr(p, "__name__", p) == PLUGIN_NAME for p in plugins)
    return DirectoryGenerator if enabled else None


def register() -> None:
    signals.get_generators.connect(get_generators)
