"""From content to what the matcher reads: the validated network and its mentor index.

The one place that turns a content folder (or a list of mentors) into a :class:`MentorIndex`;
the CLI's ``match``, ``cohort`` and ``evaluate``, the request bot and the benchmarks call it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.content.models import Mentor
from generator.content.validation import ValidationResult, load_network
from generator.content.vocabulary import Vocabulary
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

    def index(self, excluded: Collection[str] = ()) -> MentorIndex:
        """The mentor index, leaving out the mentors whose ids are in ``excluded``."""
        return MentorIndex([p for p in self.profiles if p.id not in excluded], self.config)


def load_matchable(
    content: Path | str, config: MatchingConfig | None = None, vocab: Vocabulary | None = None
) -> MatchableNetwork:
    """Validate ``content`` (against ``vocab``, default the project's) and profile its mentors;
    raises ContentError listing every problem."""
    config = config or matching_config()
    network = load_network(content, vocab)
    return MatchableNetwork(network, tuple(mentor_profiles(network.mentors.values(), config)), config)
