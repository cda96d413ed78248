"""The Pelican plugin that renders the directory (in the style of pelican-plugins/search).

:class:`DirectoryGenerator` is registered on Pelican's ``get_generators`` signal. Mentors are
not Pelican articles (Pelican's tag and category loops grow with N²): the generator queues every
page itself with the theme's Jinja templates through Pelican's environment, and
:mod:`generator.site.page_writer` renders them (not Pelican's writer), from the public export only
(:mod:`generator.content.export`).

Settings it reads (all set by :func:`generator.site.build.build_site`):

- ``MENTORMEMED_NETWORK``: a :class:`generator.site.build.Network` (validated programs and mentors);
  without it the generator validates ``PATH`` itself and refuses invalid content.
- ``MENTORMEMED_SITE_URL``, ``MENTORMEMED_REPOSITORY_URL``: absolute addresses.
- ``MENTORMEMED_PEERS``: the peer networks' snapshots to merge
  (:class:`generator.federation.snapshots.PeerDirectory`; default none).
- ``MENTORMEMED_NODE_MODULES``: the folder holding ``lunr/lunr.min.js``.
- ``MENTORMEMED_LEDGER``: the path of a request ledger (:mod:`generator.requests.ledger`), or
  None: with one, the outcomes page, the institution reports and the public mentors' records
  are built (:mod:`generator.site.ledger_pages`).
- ``MENTORMEMED_AS_OF`` (YYYY-MM-DD, default today) and ``MENTORMEMED_STALE_AFTER_MONTHS``
  (default 12): which profiles are marked stale and left out of ``match/mentors.json``.
- ``MENTORMEMED_BUILD_ID``, ``MENTORMEMED_CACHE_DIR``, ``MENTORMEMED_PREVIOUS_OUTPUT``,
  ``MENTORMEMED_PREVIOUS_BUILD_ID``: the build cache (see :mod:`generator.site.page_writer`);
  ``MENTORMEMED_OVERLAY``: write only the changed pages (:mod:`generator.site.overlay`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pelican import Pelican, signals
from pelican.generators import Generator
from pelican.writers import Writer

from generator.content.export import DirectoryExport, build_export
from generator.content.freshness import FreshnessPolicy
from generator.content.models import Mentor, Program
from generator.content.render import https_only
from generator.content.vocabulary import vocabulary
from generator.core.clock import today
from generator.core.parallel import Background, in_background
from generator.federation.merge import merge
from generator.reports.recognition import record_path
from generator.requests.issue_form import MAX_NEEDS, REQUEST_FORM, form_fields
from generator.search.facets import ACCEPTING_PARAM, PAGE_SIZE
from generator.site.bios import convert_bios, keep_bios
from generator.site.data_files import DataVersions, data_versions, write_data_files, write_search_index
from generator.site.errors import SiteBuildError
from generator.site.field_lists import match_fields, published_fields
from generator.site.filters import filter_groups
from generator.site.ledger_pages import (
    LedgerPages,
    indicator_chart,
    ledger_pages,
    outcomes_chart,
    report_file,
    stage_chart,
    stale_markers,
    write_ledger_files,
)
from generator.site.page_writer import PageWriter
from generator.site.pagination import Pagination, directory_pages, page_path
from generator.site.sitemap import sitemap_files, sitemap_paths
from generator.site.views import DirectoryViews, TermTable, directory_views

PLUGIN_NAME = __name__
#: Up to this many mentors the search index is written by a forked process beside the pages.
#: Its memory then adds to theirs (10,000 mentors with realistic bios: 800–830 MiB summed over
#: the processes, against 460–500 MiB one task at a time): above it, it is written first and
#: alone, so a national network (50,000 mentors, 1 GB) peaks with one of the two.
BACKGROUND_INDEX_MAX_MENTORS = 10_000
log = logging.getLogger(__name__)


def _asset_versions(theme: Path) -> dict[str, str]:
    static = theme / "static"
    return {
        path.relative_to(static).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for path in sorted(static.rglob("*"))
        if path.is_file()
    }


def number(n: int) -> str:
    """A count as the pages print it: 10,000 (directory-state.js's ``number`` writes the same)."""
    return f"{n:,}"


class DirectoryGenerator(Generator):  # type: ignore[misc]
    """Renders home, directory, mentor, program, specialty and info pages, and the data files."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.env.autoescape:
            raise SiteBuildError("Jinja autoescape must be on: set JINJA_ENVIRONMENT['autoescape'] = True.")
        self.env.filters["https_only"] = https_only
        self.env.filters["number"] = number
        self.vocab = vocabulary()
        self.terms = TermTable(self.vocab)
        self.site_url: str = str(self.settings.get("MENTORMEMED_SITE_URL") or self.settings["SITEURL"])
        self.repository_url: str = str(self.settings.get("MENTORMEMED_REPOSITORY_URL", ""))
        self.export: DirectoryExport | None = None
        #: this network's own export: ``directory.json`` (``export`` also has the peers' mentors)
        self.local_export: DirectoryExport | None = None
        self.views = DirectoryViews([], [])
        #: the data files' versions, known once they are written (before any page is queued)
        self.data_versions: DataVersions | None = None
        self._pages: PageWriter | None = None
        self.build_id: str = str(self.settings.get("MENTORMEMED_BUILD_ID") or uuid.uuid4().hex)
        cache_dir = self.settings.get("MENTORMEMED_CACHE_DIR")
        self.cache_dir = Path(cache_dir) if cache_dir else None
        as_of = self.settings.get("MENTORMEMED_AS_OF")
        self.as_of: dt.date = dt.date.fromisoformat(str(as_of)) if as_of else today()
        self.policy = FreshnessPolicy(int(self.settings.get("MENTORMEMED_STALE_AFTER_MONTHS") or 12))
        self.stale: dict[str, str] = {}
        self.ledger_pages: LedgerPages | None = None
        #: the search index being written beside the rest of the build
        self._search: Background | None = None

    # ----------------------------------------------------------------- context

    def _network(self) -> tuple[Mapping[str, Program], Mapping[str, Mentor]]:
        # Taken out of the settings: once the export is made, nothing holds the records.
        network = self.settings.pop("MENTORMEMED_NETWORK", None)
        if network is None:
            from generator.content.validation import validate_content

            result = validate_content(Path(self.path), vocab=self.vocab)
            result.raise_for_problems()
            return result.programs, result.mentors
        return network.programs, network.mentors

    def _ledger_pages(self, programs: Mapping[str, Program], mentors: Mapping[str, Mentor]) -> None:
        """The stale markers, and the ledger's pages when a ledger is given (before the
        records are let go: the export has neither ``recognition`` nor private fields)."""
        self.stale = stale_markers(mentors, self.as_of, self.policy)
        path = self.settings.get("MENTORMEMED_LEDGER")
        if not path:
            return
        from generator.requests.ledger import LedgerError, load_ledger

        try:
            ledger = load_ledger(Path(str(path)))
        except LedgerError as exc:
            raise SiteBuildError(f"the request ledger cannot be read: {exc}") from exc
        self.ledger_pages = ledger_pages(
            ledger,
            programs,
            mentors,
            self.vocab,
            as_of=self.as_of,
            policy=self.policy,
            site_url=self.site_url,
        )

    def generate_context(self) -> None:
        programs, mentors = self._network()
        self._ledger_pages(programs, mentors)
        self.local_export = build_export(programs, mentors, self.site_url, self.vocab)
        del programs, mentors
        merged = merge(
            self.local_export, self.settings.pop("MENTORMEMED_PEERS", None) or [], self.site_url, self.vocab
        )
        self.export = merged.export
        if merged.mentor_origins:
            from generator.federation.duplicates import probable_duplicates

            duplicates = probable_duplicates(self.export)
            if duplicates:
                log.warning(
                    "%d probable duplicate(s) between this network and its peers (listed, not merged): "
                    "run `mentormemed federation duplicates` to see them.",
                    len(duplicates),
                )
        # The bios' Markdown is converted once, for pages and search alike. The search index
        # (the build's largest single task, and its largest passing need for memory) is then
        # written by a forked process while this one makes the views, the data files and the
        # pages, which need nothing of it: two cores at work instead of one
        # (generator.core.parallel.in_background; in one process where forking is not safe,
        # and first, alone, above BACKGROUND_INDEX_MAX_MENTORS).
        convert_bios(self.export, self.cache_dir)
        previous = self.settings.get("MENTORMEMED_PREVIOUS_OUTPUT")
        write_index = functools.partial(
            write_search_index,
            Path(self.output_path),
            self.export,
            self.vocab,
            cache_dir=self.cache_dir,
            build_id=self.build_id,
            previous_output=Path(previous) if previous else None,
            previous_build_id=self.settings.get("MENTORMEMED_PREVIOUS_BUILD_ID"),
        )
        if len(self.export.mentors) <= BACKGROUND_INDEX_MAX_MENTORS:
            self._search = in_background(write_index)
        else:
            write_index()  # first and alone: its memory is freed before the views exist
        try:
            links = self.ledger_pages.record_links() if self.ledger_pages else {}
            self.views = directory_views(
                self.export,
                self.terms,
                self.repository_url,
                merged.mentor_origins,
                merged.program_origins,
                stale=self.stale,
                records=links,
            )
            self.context["mentormemed_counts"] = self.views.counts()
        except BaseException:
            if self._search is not None:
                self._search.stop()
            raise

    # ----------------------------------------------------------------- output

    def _page_writer(self) -> PageWriter:
        if self._pages is None:
            if self.data_versions is None:
                raise SiteBuildError("the data files must be written before any page is queued")
            context = dict(self.context)
            context.update(
                {
                    "site_url": self.site_url.rstrip("/") + "/",
                    "site_path": urlsplit(self.site_url).path.rstrip("/") + "/",
                    "repository_url": self.repository_url.rstrip("/"),
                    "asset_version": _asset_versions(Path(self.theme)),
                    "counts": self.context["mentormemed_counts"],
                    "vocab": self.vocab,
                    # each page names the versions of the files it loads, no more: a bio edit
                    # changes the search index, whose version only search/version.json holds
                    "facets_version": self.data_versions.facets,
                    "lunr_version": self.data_versions.lunr,
                    "match_version": self.data_versions.match,
                    "has_ledger": self.ledger_pages is not None,
                    # what mentor.js turns the directory's area filters into: option labels
                    "max_needs": MAX_NEEDS,
                    # what the home and how-it-works pages say of a team and of the form
                    "team_size": next(f for f in form_fields(self.vocab) if f.id == "team_size"),
                    "request_form": REQUEST_FORM,
                    "need_labels": json.dumps(
                        dict(self.export.vocabulary.get("areas", {})) if self.export else {},
                        ensure_ascii=False,
                        separators=(",", ":"),
                    ),
                }
            )
            previous = self.settings.get("MENTORMEMED_PREVIOUS_OUTPUT")
            self._pages = PageWriter(
                self.env,
                context,
                Path(self.output_path),
                cache_dir=self.cache_dir,
                previous_output=Path(previous) if previous else None,
                previous_build_id=self.settings.get("MENTORMEMED_PREVIOUS_BUILD_ID"),
                overlay=bool(self.settings.get("MENTORMEMED_OVERLAY")),
            )
        return self._pages

    def _queue(self, name: str, template: str, **kwargs: Any) -> None:
        """Queue a page: :meth:`generate_output` renders them all at the end (see page_writer)."""
        self._page_writer().add(name, self.get_template(template).name, page_name=name, **kwargs)

    def generate_output(self, writer: Writer) -> None:
        """Write the data files, queue every page, render the pages (Pelican's ``writer`` is
        unused), then wait for the search index (its process writes its version too)."""
        try:
            self._generate_output()
            if self._search is not None:
                self._search.wait()
        except BaseException:
            if self._search is not None:
                self._search.stop()  # nothing may still write into the output once the build fails
            raise

    def _generate_output(self) -> None:
        assert self.export is not None
        views = self.views
        write_data_files(
            Path(self.output_path),
            self.export,
            self.vocab,
            node_modules=Path(str(self.settings.get("MENTORMEMED_NODE_MODULES", "node_modules"))),
            build_id=self.build_id,
            exclude_from_match=frozenset(self.stale),
            stale=self.stale,
            published=self.local_export,
            provenance={
                p.id: (p.origin.network, p.origin.as_of.isoformat()) for p in views.programs if p.origin
            },
            networks={v.origin.peer: v.origin.network for v in views.mentors if v.origin},
        )
        if self.ledger_pages is not None:
            write_ledger_files(Path(self.output_path), self.ledger_pages)
        # the pages name the versions of facets, lunr.js and the match data, never the index's
        self.data_versions = data_versions(Path(self.output_path))
        specialties = views.specialties(self.terms)
        self._queue("index.html", "home", page_id="home")
        pages = directory_pages(views.mentors)
        groups = filter_groups(self.export, self.vocab)
        for number, chunk in enumerate(pages, start=1):
            self._queue(
                page_path(number) + "index.html",
                "directory",
                page_id="directory",
                mentors=chunk,
                pagination=Pagination(number, len(pages)),
                page_size=PAGE_SIZE,
                filter_groups=groups if number == 1 else [],
                accepting_param=ACCEPTING_PARAM,
            )
        for view in views.mentors:
            self._queue(f"mentors/{view.id}/index.html", "mentor", page_id="mentor", mentor=view)
        self._queue("programs/index.html", "programs", page_id="programs", programs=views.programs)
        for program in views.programs:
            self._queue(f"programs/{program.id}/index.html", "program", page_id="program", program=program)
        self._queue("specialties/index.html", "specialties", page_id="specialties", specialties=specialties)
        for term, mentors in specialties:
            self._queue(
                f"specialties/{term.id}/index.html",
                "specialty",
                page_id="specialty",
                specialty=term,
                mentors=mentors,
            )
        self._queue(
            "match/index.html",
            "match",
            page_id="match",
            fields=match_fields(self.export, self.vocab),
            request_form=REQUEST_FORM,
            programs=views.programs,
        )
        self._queue("how-it-works/index.html", "how_it_works", page_id="how-it-works")
        ledger_paths = self._queue_ledger_pages()
        self._queue("add-mentors/index.html", "add_mentors", page_id="add-mentors")
        self._queue("about/index.html", "about", page_id="about", published=published_fields())
        # GitHub Pages serves 404.html at any missing address: its links start from the site's path.
        self._queue("404.html", "404", page_id="404", SITEURL=urlsplit(self.site_url).path.rstrip("/"))
        paths = (
            sitemap_paths(
                len(pages),
                # a peer's pages are its own network's to list: the sitemap names this network's only
                [p.id for p in views.programs if p.origin is None],
                [t.id for t, _ in specialties],
                [m.id for m in views.mentors if m.origin is None],
            )
            + ledger_paths
        )
        for sitemap in sitemap_files(paths, self.site_url):
            if sitemap.kind == "index":
                self._queue(sitemap.name, "sitemap_index", page_id="sitemap", sitemaps=sitemap.urls)
            else:
                self._queue(sitemap.name, "sitemap", page_id="sitemap", pages=sitemap.urls)
        self._queue("robots.txt", "robots", page_id="robots")
        self._page_writer().run(self.build_id)
        keep_bios(self.export, self.cache_dir)

    def _queue_ledger_pages(self) -> list[str]:
        """Queue the outcomes, reports and record pages; their paths for the sitemap."""
        pages = self.ledger_pages
        if pages is None:
            return []
        self._queue(
            "outcomes/index.html",
            "outcomes",
            page_id="outcomes",
            outcomes=pages.outcomes,
            outcomes_chart=outcomes_chart(pages.outcomes),
            stage_chart=stage_chart(pages.outcomes),
        )
        for report in [pages.network, *pages.programs]:
            network = report is pages.network
            self._queue(
                "reports/index.html" if network else f"reports/{report.scope}/index.html",
                "report",
                page_id="reports",
                report=report,
                network=pages.network,
                is_network=network,
                programs=pages.programs if network else [],
                indicator_chart=indicator_chart(report, pages.network),
                download=report_file(report.scope),
            )
        for record in pages.records:
            self._queue(
                record_path(record.mentor_id, record.year) + "index.html",
                "record",
                page_id="record",
                record=record.content,
                checksum=record.checksum,
                json_name=record.year.label + ".json",
            )
        return pages.paths()


def get_generators(pelican: Pelican) -> type[Generator] | None:
    plugins = pelican.settings.get("PLUGINS") or []
    enabled = any(getattr(p, "__name__", p) == PLUGIN_NAME for p in plugins)
    return DirectoryGenerator if enabled else None


def register() -> None:
    signals.get_generators.connect(get_generators)
