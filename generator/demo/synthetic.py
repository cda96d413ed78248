"""Synthetic mentors and requests with realistic skews, for the evaluation and benchmarks.

Mentors start from :func:`generator.demo.network.generate` (fictional names, programs,
professions, stages, languages, places, capacities); their affinities and areas are then
redrawn so that, as in US academic medicine, mentors from groups underrepresented in
medicine (URiM) are scarce relative to URiM mentees, and mentees' needs pile onto a few
popular areas (residency applications, board exams, applying to school). All draws come
from one seeded generator: the same arguments give the same network and requests.

Scenarios: *ample* keeps the demo capacities (places well above demand); *tight* cuts
places at random until they are about 1.1 × the places the requests ask for; *scarce* is
*ample* where only a handful of mentors, with few places, are American Indian or Alaska
Native or Native Hawaiian or Pacific Islander, while tens of mentees ask for them (more of
them as a must): the case where concordance has to be rationed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from generator.content.models import Mentor, Request
from generator.content.vocabulary import vocabulary
from generator.demo.network import generate

SCENARIOS = ("ample", "tight", "scarce")
URIM = frozenset(
    {"black", "hispanic-latino", "american-indian-alaska-native", "native-hawaiian-pacific-islander"}
)
TIGHT_SLOTS_PER_DEMAND = 1.1
#: *scarce*: the identities made scarce; how many mentors keep each (fewer in a small
#: network: one per 50 mentors), their places, and the share of their askers who make
#: affinities a must.
SCARCE_IDENTITIES = ("american-indian-alaska-native", "native-hawaiian-pacific-islander")
SCARCE_MENTORS = 6
SCARCE_PLACES = (1, 3)
SCARCE_MUST = 0.3

#: race/ethnicity of mentors (URiM ≈ 11%, like US medical school faculty) and of mentees
#: (URiM ≈ 35%: pathway programs are where this network recruits); the rest list none.
MENTOR_RACE = {
    "black": 0.045,
    "hispanic-latino": 0.052,
    "american-indian-alaska-native": 0.007,
    "native-hawaiian-pacific-islander": 0.006,
    "east-asian": 0.09,
    "south-asian": 0.09,
    "southeast-asian": 0.03,
    "mena": 0.03,
    "multiracial": 0.03,
}
MENTEE_RACE = {
    "black": 0.15,
    "hispanic-latino": 0.16,
    "american-indian-alaska-native": 0.02,
    "native-hawaiian-pacific-islander": 0.02,
    "east-asian": 0.08,
    "south-asian": 0.08,
    "southeast-asian": 0.04,
    "mena": 0.03,
    "multiracial": 0.05,
}
#: other affinities: (share of mentors, share of mentees who list it)
OTHER_AFFINITIES = {
    "first-generation": (0.15, 0.35),
    "low-income": (0.10, 0.20),
    "immigrant": (0.15, 0.12),
    "woman": (0.45, 0.30),
    "lgbtq": (0.08, 0.12),
    "transgender-nonbinary": (0.01, 0.02),
    "parent": (0.35, 0.05),
    "rural": (0.10, 0.08),
    "international-medical-graduate": (0.07, 0.04),
    "disability": (0.04, 0.05),
    "veteran": (0.03, 0.02),
    "non-traditional": (0.08, 0.06),
    "daca": (0.005, 0.01),
    "muslim": (0.03, 0.03),
}
#: affinities mentors more often keep private
OFTEN_PRIVATE = {"lgbtq", "transgender-nonbinary", "disability", "daca", "mental-health-lived-experience"}
#: how often mentors offer each area (others: 1)
MENTOR_AREAS = {
    "residency-application": 6,
    "specialty-choice": 5,
    "career-planning": 5,
    "research": 5,
    "letters": 4,
    "wellness": 4,
    "belonging": 3,
    "board-exams": 3,
    "clinical-skills": 3,
    "leadership": 3,
    "academic-promotion": 2,
    "med-school-application": 2,
    "navigating-bias": 2,
}
#: how often mentees ask for each area, by their stage group (others: 1)
MENTEE_AREAS = {
    "early": {
        "med-school-application": 30,
        "research": 6,
        "study-skills": 4,
        "belonging": 5,
        "financial-literacy": 4,
    },
    "preclinical": {
        "board-exams": 25,
        "study-skills": 10,
        "belonging": 8,
        "specialty-choice": 8,
        "research": 6,
    },
    "clinical": {
        "residency-application": 30,
        "board-exams": 15,
        "specialty-choice": 10,
        "letters": 8,
        "away-rotations": 6,
        "clinical-skills": 6,
    },
    "trainee": {"career-planning": 12, "research": 8, "board-exams": 8, "wellness": 8, "negotiation": 4},
}
STAGE_GROUP = {
    "premed": "early",
    "ms1": "preclinical",
    "ms2": "preclinical",
    "gap-year": "preclinical",
    "md-phd": "preclinical",
    "ms3": "clinical",
    "ms4": "clinical",
    "resident": "trainee",
    "fellow": "trainee",
    "early-faculty": "trainee",
}
MENTEE_STAGES = {
    "premed": 22,
    "ms1": 12,
    "ms2": 12,
    "ms3": 16,
    "ms4": 14,
    "gap-year": 4,
    "md-phd": 3,
    "resident": 12,
    "fellow": 3,
    "early-faculty": 2,
}
SPECIALTIES = {
    "internal-medicine": 10,
    "family-medicine": 8,
    "pediatrics": 7,
    "emergency-medicine": 7,
    "general-surgery": 6,
    "psychiatry": 5,
    "obstetrics-gynecology": 5,
    "anesthesiology": 3,
    "neurology": 2,
    "dermatology": 2,
    "orthopaedic-surgery": 2,
    "diagnostic-radiology": 2,
    "undecided": 6,
}
TEAM_SIZES = {3: 70, 2: 15, 4: 10, 1: 5}


@dataclass(frozen=True)
class SyntheticNetwork:
    mentors: list[Mentor]
    requests: dict[str, Request]  # request id → request
    scenario: str
    seed: int


def _weighted(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    """``k`` distinct keys drawn with the given weights (without replacement)."""
    pool = dict(weights)
    out: list[str] = []
    while pool and len(out) < k:
        pick = rng.choices(list(pool), list(pool.values()))[0]
        out.append(pick)
        del pool[pick]
    return out


def _one_of(rng: random.Random, shares: dict[str, float]) -> str | None:
    """A key drawn with probability equal to its share, or ``None`` for the rest."""
    roll = rng.random()
    for key, share in shares.items():
        if roll < share:
            return key
        roll -= share
    return None


def _area_weights(overrides: dict[str, int]) -> dict[str, float]:
    return {area: float(overrides.get(area, 1)) for area in vocabulary().ids("areas")}


def _mentor(rng: random.Random, record: dict[str, Any]) -> dict[str, Any]:
    public: list[str] = []
    private: list[str] = []
    race = _one_of(rng, MENTOR_RACE)
    if race:
        (private if rng.random() < 0.2 else public).append(race)
    for affinity, (share, _) in OTHER_AFFINITIES.items():
        if rng.random() < share:
            hidden = rng.random() < (0.6 if affinity in OFTEN_PRIVATE else 0.15)
            (private if hidden else public).append(affinity)
    areas = _weighted(rng, _area_weights(MENTOR_AREAS), rng.randint(2, 6))
    return {**record, "affinities": public, "private_affinities": private, "areas": areas}


def _request(rng: random.Random, mentor_ids: Sequence[str]) -> dict[str, Any]:
    stage = rng.choices(list(MENTEE_STAGES), list(MENTEE_STAGES.values()))[0]
    group = STAGE_GROUP[stage]
    team_size = rng.choices(list(TEAM_SIZES), list(TEAM_SIZES.values()))[0]
    # as on the request form: at most one need more than the mentors asked for
    count = min(rng.choices([1, 2, 3, 4], [20, 35, 30, 15])[0], team_size + 1)
    needs = _weighted(rng, _area_weights(MENTEE_AREAS[group]), count)
    affinities: list[str] = []
    race = _one_of(rng, MENTEE_RACE)
    for affinity, (_, share) in OTHER_AFFINITIES.items():
        if rng.random() < share:
            affinities.append(affinity)
    rng.shuffle(affinities)
    if race and rng.random() < (0.85 if race in URIM else 0.4):
        affinities.insert(0 if rng.random() < 0.7 else min(1, len(affinities)), race)
    affinities = affinities[:4]
    data: dict[str, Any] = {
        "needs": needs,
        "affinities": affinities,
        "stage": stage,
        "profession": rng.choices(["md", "do", "nursing", "physician-assistant"], [78, 14, 5, 3])[0],
        "team_size": team_size,
    }
    if stage != "premed" or rng.random() < 0.3:
        data["specialties"] = _weighted(rng, dict(SPECIALTIES), rng.choice([1, 1, 2]))
    if (race == "hispanic-latino" and rng.random() < 0.4) or rng.random() < 0.05:
        data["languages"] = ["es"]
    data["meeting"] = rng.choices([["virtual"], ["virtual", "in-person"], ["in-person"]], [70, 20, 10])[0]
    if rng.random() < 0.7:
        data["state"] = rng.choice(vocabulary().ids("states")[:51])
    must: list[str] = []
    if data.get("languages") and rng.random() < 0.25:
        must.append("languages")
    if race and race in affinities and rng.random() < 0.1:
        must.append("affinities")
    if rng.random() < 0.1:
        must.append("meeting")
    data["must"] = must
    if rng.random() < 0.02:
        data["mentors"] = [rng.choice(list(mentor_ids))]
    return data


def _cut_places(rng: random.Random, records: list[dict[str, Any]], target: int) -> None:
    """Remove places one at a time, from mentors drawn in proportion to their places."""
    open_slots = [i for i, r in enumerate(records) if r["accepting"] for _ in range(r["capacity"])]
    rng.shuffle(open_slots)
    for i in open_slots[: max(len(open_slots) - target, 0)]:
        records[i]["capacity"] -= 1
    for record in records:
        if record["capacity"] == 0:
            record["accepting"] = False


def _make_scarce(
    rng: random.Random, records: list[dict[str, Any]], requests: dict[str, dict[str, Any]]
) -> None:
    """Keep each of :data:`SCARCE_IDENTITIES` for a handful of mentors with few places."""
    for record in records:
        for key in ("affinities", "private_affinities"):
            record[key] = [a for a in record[key] if a not in SCARCE_IDENTITIES]
    race = set(MENTOR_RACE)
    open_ids = [
        i
        for i, r in enumerate(records)
        if r["accepting"] and r["capacity"] > 0 and not race & {*r["affinities"], *r["private_affinities"]}
    ]
    count = min(SCARCE_MENTORS, max(1, len(records) // 50))
    chosen = rng.sample(open_ids, min(len(open_ids), count * len(SCARCE_IDENTITIES)))
    for n, i in enumerate(chosen):
        identity = SCARCE_IDENTITIES[n % len(SCARCE_IDENTITIES)]
        record = records[i]
        (record["private_affinities"] if rng.random() < 0.2 else record["affinities"]).append(identity)
        record["capacity"] = rng.randint(*SCARCE_PLACES)
    for data in requests.values():
        asked = set(data["affinities"]) & set(SCARCE_IDENTITIES)
        if asked and "affinities" not in data["must"] and rng.random() < SCARCE_MUST:
            data["must"] = [*data["must"], "affinities"]


def synthetic_network(
    mentors: int, requests: int, seed: int = 1, scenario: str = "ample"
) -> SyntheticNetwork:
    """A fictional network of ``mentors`` and ``requests`` (ids ``request-0001`` …)."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}: choose one of {', '.join(SCENARIOS)}")
    rng = random.Random(f"synthetic-{seed}")
    _, records = generate(mentors, max(1, mentors // 25), seed)
    records = [_mentor(rng, r) for r in records]
    ids = [r["id"] for r in records]
    request_data = {f"request-{i + 1:04d}": _request(rng, ids) for i in range(requests)}
    if scenario == "tight":
        demand = sum(r["team_size"] for r in request_data.values())
        _cut_places(rng, records, round(TIGHT_SLOTS_PER_DEMAND * demand))
    if scenario == "scarce":
        _make_scarce(random.Random(f"synthetic-scarce-{seed}"), records, request_data)
    return SyntheticNetwork(
        mentors=[Mentor.model_validate(r) for r in records],
        requests={rid: Request.model_validate(r) for rid, r in request_data.items()},
        scenario=scenario,
        seed=seed,
    )
