"""Parity vectors for the site's JavaScript matcher (``theme/static/js/matcher.js``).

Python writes request/network/expected-team cases to JSON; ``matcher_parity.js`` runs the
JavaScript matcher on each and requires the same teams, in the same order, with scores
equal within 1e-9. The expected teams come from :func:`generator.matching.team.match_team` on the
PUBLIC data only (private affinities removed), which is all the site publishes.

Run ``python -m tests.directory_site.matcher_cases OUT.json`` to write the vectors.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.content.models import MUST_FIELDS, Mentor, Request
from generator.content.vocabulary import vocabulary
from generator.demo.synthetic import synthetic_network
from generator.matching.config import MatchingConfig, matching_config
from generator.matching.mentor_index import MentorIndex
from generator.matching.scoring import mentor_profiles, request_profile
from generator.matching.team import Pool, Team, match_team, repair, select
from generator.site.match_payload import matcher_mentor, matching_payload, vocabulary_labels

EXTRA_ZONES = ("America/Phoenix", "Pacific/Honolulu", "Asia/Kolkata", "America/Anchorage", "Europe/Berlin")


def public(mentor: Mentor) -> Mentor:
    """The mentor as the site publishes it, for matching: no private affinities."""
    return mentor.model_copy(update={"private_affinities": []})


def _vary(rng: random.Random, mentors: list[Mentor]) -> list[Mentor]:
    """Not accepting, no places, time zones of their own, and exact clones (ties)."""
    out: list[Mentor] = []
    for mentor in mentors:
        roll = rng.random()
        update: dict[str, Any] = {}
        if roll < 0.08:
            update["accepting"] = False
        elif roll < 0.14:
            update["capacity"] = 0
        elif roll < 0.3:
            update["timezone"] = rng.choice(EXTRA_ZONES)
        elif roll < 0.4:
            update["timezone"] = None
        out.append(mentor.model_copy(update=update))
    for mentor in rng.sample(out, min(4, len(out))):
        for suffix in ("a", "b"):
            out.append(mentor.model_copy(update={"id": f"{mentor.id}-twin-{suffix}"}))
    return out


def _request(rng: random.Random, base: Request, ids: list[str], states: list[str]) -> Request:
    data = base.model_dump()
    data["team_size"] = rng.randint(1, 5)
    roll = rng.random()
    if roll < 0.12 and ids:
        data["mentors"] = rng.sample(ids, min(len(ids), rng.randint(1, 2)))
    elif roll < 0.16:
        data["mentors"] = ["nobody-by-that-name"]
    if rng.random() < 0.35:
        data["state"] = rng.choice(states)
    if rng.random() < 0.1:
        data["state"] = None
        data["must"] = [m for m in data["must"] if m != "state"]
    musts = [m for m in MUST_FIELDS if data.get(m)]
    if musts and rng.random() < 0.35:
        data["must"] = sorted(set(data["must"]) | set(rng.sample(musts, rng.randint(1, len(musts)))))
    if rng.random() < 0.2:  # several languages: the first listed earns the most
        data["languages"] = rng.sample(["en", "es", "vi", "zh", "tl"], rng.randint(2, 3))
    if rng.random() < 0.05:
        data["languages"], data["must"] = ["zu"], ["languages"]  # a must nobody meets
    try:
        return Request.model_validate(data)
    except ValidationError:
        return base


def expected(team: Team) -> dict[str, Any]:
    return {
        "members": [
            {
                "id": m.mentor.id,
                "total": m.score.total,
                "preference": m.score.preference,
                "parts": m.score.parts,
                "covers": list(m.covers),
                "identities": list(m.identities),
                "language": list(m.language),
                "reasons": list(m.reasons),
            }
            for m in team.members
        ],
        "uncovered": list(team.uncovered),
        "uncovered_identities": list(team.uncovered_identities),
        "uncovered_language": list(team.uncovered_language),
        "eligible": team.eligible,
        "explanation": team.explanation.text,
    }


def repaired(request: Request, index: MentorIndex, load: dict[str, int]) -> bool:
    """Whether the greedy's team had a member another mentor beats (so ``repair`` swapped one)."""
    req = request_profile(request, index.config)
    pool = Pool(req, index, index.load_array(load))
    _, swaps = repair(req, pool, index.config, select(req, pool, index.config))
    return swaps > 0


def build_cases(count: int = 240, seed: int = 6, config: MatchingConfig | None = None) -> dict[str, Any]:
    """At least ``count`` cases over several networks, edge cases included."""
    config = config or matching_config()
    vocab = vocabulary()
    rng = random.Random(f"matcher-parity-{seed}")
    states = vocab.ids("states")
    networks: dict[str, list[Mentor]] = {"empty": []}
    sources: list[Request] = []
    for size, net_seed in ((1, 1), (8, 2), (30, 3), (75, 4), (160, 5)):
        net = synthetic_network(size, count // 4, seed=net_seed)
        mentors = [public(m) for m in _vary(rng, list(net.mentors))]
        if size == 1:  # one open mentor and their twins
            mentors = [m.model_copy(update={"accepting": True, "capacity": 3}) for m in mentors]
        networks[f"n{size}"] = mentors
        sources.extend(net.requests.values())
    # a network of identical mentors: every choice is a tie, broken by id
    clone = next(m for m in networks["n30"] if m.accepting and m.capacity >= 5)
    networks["clones"] = [clone.model_copy(update={"id": f"clone-{i:02d}"}) for i in range(7)]
    # a network where the greedy's first pick is beaten once the team is complete: rp-both
    # (research, wellness) is picked first, then rp-spanish (research, Spanish); rp-peds
    # (wellness, pediatrics) then brings more than rp-both does, so repair swaps them
    plain = next(m for m in networks["n30"] if m.accepting).model_copy(
        update={"affinities": [], "specialties": [], "state": None, "timezone": None, "capacity": 3}
    )
    networks["quilt"] = [
        plain.model_copy(update={"id": f"rp-{name}", "program": f"program-{name}", **fields})
        for name, fields in (
            ("both", {"areas": ["research", "wellness"], "languages": ["en"]}),
            ("spanish", {"areas": ["research"], "languages": ["en", "es"]}),
            ("peds", {"areas": ["wellness"], "languages": ["en"], "specialties": ["pediatrics"]}),
            ("other", {"areas": ["letters"], "languages": ["en"]}),
        )
    ]
    indexes = {name: MentorIndex(mentor_profiles(ms, config), config) for name, ms in networks.items()}
    names = [name for name in networks if name != "quilt"]
    cases: list[dict[str, Any]] = []
    for number in range(count):
        network = names[number % len(names)]
        ids = [m.id for m in networks[network]]
        request = _request(rng, rng.choice(sources), ids, states)
        load: dict[str, int] = {}
        if ids and rng.random() < 0.25:
            load = {i: rng.randint(0, 4) for i in rng.sample(ids, max(1, len(ids) // 3))}
        team = match_team(request, indexes[network], load, vocab)
        cases.append(
            {
                "name": f"case-{number:04d}",
                "network": network,
                "request": request.model_dump(mode="json"),
                "load": load,
                "expected": expected(team),
                "repaired": repaired(request, indexes[network], load),
            }
        )
    quilt: dict[str, Any] = {
        "needs": ["research", "wellness"],
        "specialties": ["pediatrics"],
        "languages": ["es"],
    }
    extras: list[dict[str, Any]] = [
        {"team_size": 2},
        {"team_size": 2, "mentors": ["rp-other"]},
        {"team_size": 3},
    ]
    for number, extra in enumerate(extras, start=count):
        request = Request.model_validate({**quilt, **extra})
        team = match_team(request, indexes["quilt"], {}, vocab)
        cases.append(
            {
                "name": f"case-{number:04d}",
                "network": "quilt",
                "request": request.model_dump(mode="json"),
                "load": {},
                "expected": expected(team),
                "repaired": repaired(request, indexes["quilt"], {}),
            }
        )
    zones = [m.timezone for ms in networks.values() for m in ms]
    return {
        "config": matching_payload(config, zones),
        "labels": vocabulary_labels(vocab),
        "networks": {name: [matcher_mentor(m) for m in ms] for name, ms in networks.items()},
        "cases": cases,
    }


def build_large_cases(mentors: int = 10_000, count: int = 40, seed: int = 19) -> dict[str, Any]:
    """``count`` cases on one synthetic network of ``mentors`` (issue 19: the same teams at the
    scale the page is measured at), with no load, as the page matches."""
    config = matching_config()
    vocab = vocabulary()
    rng = random.Random(f"matcher-large-{seed}")
    net = synthetic_network(mentors, count, seed=seed)
    network = [public(m) for m in _vary(rng, list(net.mentors))]
    index = MentorIndex(mentor_profiles(network, config), config)
    ids = [m.id for m in network]
    cases = []
    for number, base in enumerate(list(net.requests.values())[:count]):
        request = _request(rng, base, ids, vocab.ids("states"))
        team = match_team(request, index, {}, vocab)
        cases.append(
            {
                "name": f"large-{number:03d}",
                "network": "large",
                "request": request.model_dump(mode="json"),
                "load": {},
                "expected": expected(team),
            }
        )
    return {
        "config": matching_payload(config, [m.timezone for m in network]),
        "labels": vocabulary_labels(vocab),
        "networks": {"large": [matcher_mentor(m) for m in network]},
        "cases": cases,
    }


def write_cases(path: Path, count: int = 240) -> int:
    data = build_cases(count)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return len(data["cases"])


if __name__ == "__main__":
    sys.stdout.write(f"{write_cases(Path(sys.argv[1]))} cases\n")
