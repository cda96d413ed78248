"""The two orders of the directory's mentors, shared by the search files and the pages.

- **ref order** (:func:`ref_order`): mentors sorted by a hash of their id. A mentor's *ref* —
  its number in every search file (people index refs, filter postings, card chunks) — is its
  position in this order. It does not depend on anything a mentor edits (bio, accepting…), so
  an edit leaves every ref in place; adding or removing a mentor shifts the refs after it.
- **directory order** (:func:`default_order`): accepting mentors first, then the others, each
  part in ref order. Alphabetical order would send most requests to the same few names; this
  one is stable from build to build but favours no name. In refs: the accepting refs
  ascending, then the others ascending.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol, TypeVar


class _Mentor(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def accepting(self) -> bool: ...


M = TypeVar("M", bound=_Mentor)


def ref_key(mentor_id: str) -> str:
    """What the ref order sorts by: the SHA-256 of the id, in hex."""
    return hashlib.sha256(mentor_id.encode()).hexdigest()


def ref_order(mentors: Sequence[M]) -> list[M]:
    """The mentors in ref order: ``ref_order(mentors)[ref]`` is the mentor with that ref."""
    return sorted(mentors, key=lambda m: ref_key(m.id))


def default_order(mentors: Sequence[M]) -> list[M]:
    """Accepting mentors first; within each part, ref order."""
    return sorted(mentors, key=lambda m: (not m.accepting, ref_key(m.id)))
