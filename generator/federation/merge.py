"""Peers' mentors in this directory: namespaced, with where they come from.

Every peer mentor and program gets the id ``<peer>--<their id>``: local ids cannot hold ``--``
(``content.models.ID_PATTERN``) and peer ids are unique in ``federation.yml``, so no id can
collide. Its ``url`` becomes its page in this directory; its :class:`Origin` keeps its page on
its own network's site, the day of the snapshot and the link that opens *its* network's request
form with it filled in (that network's bot and maintainers handle the request).

The merged export feeds the pages, the search index, the filters and ``/match/``; the site's own
``directory.json`` stays the local network's export (a peer's mentors are published by their own
network, so an aggregator of aggregators never counts anyone twice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from generator.content.export import (
    DirectoryExport,
    PublicMentor,
    PublicProgram,
    mentor_url,
    program_url,
    used_labels,
)
from generator.content.vocabulary import Vocabulary
from generator.federation.snapshots import PeerDirectory

SEPARATOR = "--"


@dataclass(frozen=True)
class Origin:
    """Where a peer's mentor or program comes from."""

    peer: str
    network: str
    site_url: str
    as_of: dt.date
    #: the record's page on its own network's site
    profile_url: str
    #: for a mentor: the peer's request form with the mentor filled in
    request_url: str = ""


@dataclass(frozen=True)
class Merged:
    """The local export and every peer's, as one export, and the origin of each peer record."""

    export: DirectoryExport
    mentor_origins: dict[str, Origin] = field(default_factory=dict)
    program_origins: dict[str, Origin] = field(default_factory=dict)


def namespaced(peer_id: str, record_id: str) -> str:
    return f"{peer_id}{SEPARATOR}{record_id}"


def peer_request_url(form_url: str, mentor_id: str) -> str:
    """``form_url`` with ``mentors=<mentor_id>`` (GitHub fills the form's field from it)."""
    parts = urlsplit(form_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "mentors"]
    query.append(("mentors", mentor_id))
    return urlunsplit(parts._replace(query=urlencode(query)))


def merge(local: DirectoryExport, peers: Sequence[PeerDirectory], site_url: str, vocab: Vocabulary) -> Merged:
    """One export of ``local`` and every peer's snapshot, peers in ``federation.yml``'s order."""
    if not peers:
        return Merged(local)
    programs: list[PublicProgram] = list(local.programs)
    mentors: list[PublicMentor] = list(local.mentors)
    mentor_origins: dict[str, Origin] = {}
    program_origins: dict[str, Origin] = {}
    for directory in peers:
        peer, snapshot = directory.peer, directory.snapshot
        for program in snapshot.export.programs:
            new_id = namespaced(peer.id, program.id)
            programs.append(program.model_copy(update={"id": new_id, "url": program_url(site_url, new_id)}))
            program_origins[new_id] = Origin(peer.id, peer.name, peer.site_url, snapshot.as_of, program.url)
        for mentor in snapshot.export.mentors:
            new_id = namespaced(peer.id, mentor.id)
            mentors.append(
                mentor.model_copy(
                    update={
                        "id": new_id,
                        "program": namespaced(peer.id, mentor.program),
                        "url": mentor_url(site_url, new_id),
                    }
                )
            )
            mentor_origins[new_id] = Origin(
                peer.id,
                peer.name,
                peer.site_url,
                snapshot.as_of,
                mentor.url,
                peer_request_url(peer.request_form_url, mentor.id),
            )
    export = DirectoryExport.model_construct(
        version=local.version,
        site=local.site,
        vocabulary=used_labels(programs, mentors, vocab),
        programs=programs,
        mentors=mentors,
    )
    return Merged(export, mentor_origins, program_origins)
