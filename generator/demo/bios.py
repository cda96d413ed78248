"""Realistic demo bios: 100–220 words written the way mentors write, for the benchmarks.

The short demo bios (:mod:`generator.demo.network`) are 30–60 words from a few hundred
stems, which flatters a search index. Real bios name places, schools, research topics and
hobbies, and most of their words are everyday English with a long tail of rare ones. These
bios mix sentences of each kind from :file:`bio_words.yml` with everyday words drawn by their
real frequency (a Zipf law) from `wordfreq`'s English list — filtered of offensive words with
`better_profanity`'s list and of anything not a plain lowercase word — so that at 10,000
mentors the bios hold more than 20,000 distinct words, many of them in one bio only.

Each bio is drawn from its own generator seeded with the network seed and the mentor's id:
the same arguments give the same bio, and the short bios' random stream is left untouched.
Both packages are development dependencies (the benchmarks use them); a clear error says so
when they are missing.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

#: Everyday words: the most frequent English words, drawn by frequency with this exponent
#: (1.0 = the real Zipf law; lower flattens it towards the rare words real bios also use).
VOCABULARY_SIZE = 80_000
ZIPF_EXPONENT = 1.0
MIN_WORDS, MAX_WORDS = 100, 220
#: The model's limit for a bio is 1,500 characters; stay below it.
MAX_CHARS = 1_450
WORDS_FILE = Path(__file__).with_name("bio_words.yml")


class BiosUnavailable(RuntimeError):
    """The optional packages realistic bios need are not installed."""


@dataclass(frozen=True)
class _Words:
    everyday: tuple[str, ...]
    cumulative: tuple[float, ...]
    medical: tuple[str, ...]
    topics: tuple[str, ...]
    hobbies: tuple[str, ...]
    place_parts: tuple[str, ...]
    school_kinds: tuple[str, ...]


@cache
def _words() -> _Words:
    try:
        from better_profanity import profanity  # type: ignore[import-untyped]
        from wordfreq import top_n_list, word_frequency
    except ImportError:  # pragma: no cover - exercised only without the dev dependencies
        raise BiosUnavailable(
            "realistic bios need the development dependencies (wordfreq, better-profanity): "
            "run `make install`, or use --bios short"
        ) from None
    profanity.load_censor_words()
    offensive = {str(word).lower() for word in profanity.CENSOR_WORDSET}
    everyday = tuple(
        word
        for word in top_n_list("en", VOCABULARY_SIZE)
        if word.isascii() and word.isalpha() and word.islower() and len(word) > 1 and word not in offensive
    )
    weights = [word_frequency(word, "en") ** ZIPF_EXPONENT for word in everyday]
    lists = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    return _Words(
        everyday=everyday,
        cumulative=tuple(itertools.accumulate(weights)),
        medical=tuple(lists["medical_terms"]),
        topics=tuple(lists["research_topics"]),
        hobbies=tuple(lists["hobbies"]),
        place_parts=tuple(lists["place_parts"]),
        school_kinds=tuple(lists["school_kinds"]),
    )


def _sentence(rng: random.Random, words: _Words, low: int, high: int) -> str:
    picked = rng.choices(words.everyday, cum_weights=words.cumulative, k=rng.randint(low, high))
    if rng.random() < 0.6:
        picked.insert(rng.randrange(len(picked) + 1), rng.choice(words.medical))
    return picked[0].capitalize() + " " + " ".join(picked[1:]) + "."


def _place(rng: random.Random, words: _Words) -> str:
    first, second = rng.sample(words.place_parts, 2)
    return f"{first.capitalize()} {second.capitalize()}"


def realistic_bio(seed: int, mentor_id: str, *, state: str, specialty: str, area: str) -> str:
    """A bio of 100–220 words (at most :data:`MAX_CHARS` characters) for one mentor."""
    words = _words()
    digest = hashlib.sha256(f"{seed}:{mentor_id}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    school = f"{_place(rng, words)} {rng.choice(words.school_kinds)}"
    hobby_a, hobby_b = rng.sample(words.hobbies, 2)
    facts = [
        f"I grew up in {_place(rng, words)}, {state}, and went to {school} before medical school.",
        f"I practise {specialty} and my research looks at {rng.choice(words.topics)}.",
        f"I am glad to help with {area}.",
        f"Outside work I enjoy {hobby_a} and {hobby_b}.",
    ]
    target = rng.randint(MIN_WORDS, MAX_WORDS - 18)  # the last sentence may add up to 18
    sentences: list[str] = []
    count = sum(len(fact.split()) for fact in facts)
    while count < target:
        sentence = _sentence(rng, words, 6, 18)
        sentences.append(sentence)
        count += len(sentence.split())
    # The facts spread through the everyday sentences, in their order.
    for i, fact in enumerate(facts):
        sentences.insert(min(len(sentences), i * (len(sentences) // len(facts) + 1)), fact)
    text = " ".join(sentences)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit(" ", 1)[0].rstrip(",.;") + "."
    return text
