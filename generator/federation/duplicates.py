"""Probable duplicates across networks: the same person listed here and by a peer (or by two
peers). Two records are probably one person when they give the same GitHub user name, or the
same name (compared as the content rules compare names: ``textrules.name_key``) at the same
institution. They are listed for maintainers, never merged: only a person's own networks can
say whether two profiles are one person, and which one to keep.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from generator.content.export import DirectoryExport
from generator.content.textrules import name_key
from generator.federation.merge import SEPARATOR


@dataclass(frozen=True, order=True)
class Listing:
    """One record of a probable duplicate: which network lists it, and under which id."""

    network: str  # "local" or a peer's id
    id: str  # the record's id in the merged directory
    name: str


@dataclass(frozen=True, order=True)
class Duplicate:
    """Records in two or more networks that are probably one person, and why."""

    reason: str
    listings: tuple[Listing, ...]


def _network(mentor_id: str) -> str:
    return mentor_id.split(SEPARATOR, 1)[0] if SEPARATOR in mentor_id else "local"


def probable_duplicates(merged: DirectoryExport) -> list[Duplicate]:
    """Groups of mentors of the merged directory listed by more than one network."""
    institutions = {p.id: name_key(p.institution) for p in merged.programs}
    by_key: dict[tuple[str, str], list[Listing]] = defaultdict(list)
    for mentor in merged.mentors:
        listing = Listing(_network(mentor.id), mentor.id, mentor.name)
        if mentor.contact is not None and mentor.contact.github:
            by_key[("the same GitHub user name", mentor.contact.github.casefold())].append(listing)
        institution = institutions.get(mentor.program)
        if institution:
            by_key[
                ("the same name at the same institution", f"{name_key(mentor.name)}\0{institution}")
            ].append(listing)
    found: dict[tuple[Listing, ...], str] = {}
    for (reason, _key), listings in by_key.items():
        if len({listing.network for listing in listings}) < 2:
            continue  # within one network, that network's own validation decides
        group = tuple(sorted(listings))
        found[group] = f"{found[group]}; {reason}" if group in found else reason
    return sorted(Duplicate(reason, group) for group, reason in found.items())


def duplicates_text(duplicates: Sequence[Duplicate]) -> str:
    if not duplicates:
        return "No probable duplicates between networks."
    lines = [f"{len(duplicates)} probable duplicate(s) between networks (listed, never merged):"]
    for duplicate in duplicates:
        names = "; ".join(f"{item.id} ({item.network}): {item.name}" for item in duplicate.listings)
        lines.append(f"- {duplicate.reason}: {names}")
    return "\n".join(lines)
