"""From content to what the matcher reads: the validated network and its mentor index.

The one place that turns a content folder (or a list of mentors) into a :class:`MentorIndex`;
the CLI's ``match``, ``cohort`` and ``evaluate``, the request bot and the benchmarks call it.

Stale profiles (``last_confirmed`` older than the network's ``stale_after_months`` on the
date ``as_of``: :mod:`generator.content.freshness`) are left out of every index made here, so
no new match reaches them; they stay in ``network.mentors`` (a current load still names them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.content.freshness import policy_of, stale_ids
from generator.content.models import Mentor
from generator.content.validation import ValidationResult, load_network
from generator.content.vocabulary import Vocabulary
from generator.core.clock import today
from generator.matching.config import MatchingConfig, matching_config
from generator.matching.mentor_index import MentorIndex
from generator.matching.scoring import MentorProfile, mentor_profiles


def mentor_index(mentors: Iterable[Mentor], config: MatchingConfig | None = None) -> MentorIndex:
    """The index of ``mentors`` under ``config`` (default: the project's matching settings)."""
    config = config or matching_config()
    return MentorIndex(mentor_profiles(mentors, config), config)


@dataclass(frozen=True)
class MatchableNetwork:
    """A validated network with its mentors' scoring profiles, ready to be indexed."""

    network: ValidationResult
    profiles: tuple[MentorProfile, ...]
    config: MatchingConfig
    #: Ids of the mentors whose profile was stale on ``as_of``: never in an index.
    stale: frozenset[str] = frozenset()
    as_of: dt.date | None = None

    def index(self, excluded: Collection[str] = ()) -> MentorIndex:
        """The mentor index without the stale mentors and those whose ids are in ``excluded``."""
        return MentorIndex(
            [p for p in self.profiles if p.id not in excluded and p.id not in self.stale], self.config
        )


def load_matchable(
    content: Path | str,
    config: MatchingConfig | None = None,
    vocab: Vocabulary | None = None,
    *,
    as_of: dt.date | None = None,
) -> MatchableNetwork:
    """Validate ``content`` (against ``vocab``, default the project's) and profile its mentors;
    mentors whose profile is stale on ``as_of`` (default: :func:`generator.core.clock.today`)
    are left out of its indexes. Raises ContentError listing every problem."""
    config = config or matching_config()
    network = load_network(content, vocab)
    day = as_of or today()
    stale = stale_ids(network.mentors.values(), day, policy_of(network.network))
    profiles = tuple(mentor_profiles(network.mentors.values(), config))
    return MatchableNetwork(network, profiles, config, stale, day)
