"""A fictional request ledger for a network, for local builds and tests of the pages built from
a ledger (outcomes, institution reports, recognition records).

Every request, date and thank-you note is made up from one seeded generator: the same
mentors, seed and arguments give the same ledger. Requests are spread over the two academic
years before ``generated_at``; mentors are drawn in proportion to their capacity; stages,
needs and identity groups are skewed as real requests are (many medical students, few
residents; residency applications and belonging asked for most; race and ethnicity the group
asked for most, faith rarely), so some cells pass the small-cell limit and others do not.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from generator.content.models import Mentor
from generator.requests.ledger import CheckIn, Ledger, Pair, RequestRecord, Thanks

STAGES = {"ms1": 14, "ms2": 16, "ms3": 18, "ms4": 10, "premed": 8, "gap-year": 3, "resident": 4}
GROUPS = {"race-ethnicity": 40, "background": 35, "identity": 12, "health": 3, "life": 3, "faith": 1}
NOTES = (
    "Thank you for reading every draft of my personal statement.",
    "You helped me believe I belong here. Thank you.",
    "Thanks for the honest talk about choosing a specialty.",
    "Our monthly calls kept me going through boards. Thank you!",
    "Thank you for introducing me to your research group.",
    "I matched! Thank you for the mock interviews.",
)
DEFAULT_GENERATED_AT = dt.datetime(2026, 3, 15, 6, 0, tzinfo=dt.UTC)


def _weighted(rng: random.Random, weights: Mapping[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def sample_ledger(
    mentors: Mapping[str, Mentor],
    *,
    seed: int = 16,
    requests: int = 320,
    generated_at: dt.datetime = DEFAULT_GENERATED_AT,
    source: str = "fixture",
) -> Ledger:
    """A fictional ledger of ``requests`` requests placed with ``mentors``."""
    rng = random.Random(seed)
    pool = sorted(mentors.values(), key=lambda m: m.id)
    weights = [max(m.capacity, 1) for m in pool]
    end = generated_at.date()
    first_year = end.year - 1 if end.month >= 7 else end.year - 2  # the academic year before this one
    start = dt.date(first_year, 7, 1) + dt.timedelta(days=14)
    span = (end - start).days - 5
    records: list[RequestRecord] = []
    for number in range(1, requests + 1):
        opened = start + dt.timedelta(days=rng.randrange(span))
        stage = _weighted(rng, STAGES) if rng.random() < 0.93 else None
        groups = sorted({_weighted(rng, GROUPS) for _ in range(rng.choice((0, 1, 1, 2)))})
        chosen: list[Mentor] = []
        while len(chosen) < min(3, len(pool)):
            mentor = rng.choices(pool, weights)[0]
            if mentor not in chosen:
                chosen.append(mentor)
        needs = list(dict.fromkeys(a for m in chosen for a in m.areas[:1]))[:3]
        pairs: list[Pair] = []
        for mentor in chosen:
            offered = opened + dt.timedelta(days=rng.randrange(0, 2))
            roll = rng.random()
            age = (end - offered).days
            if age < 7 and roll < 0.5:
                pairs.append(Pair(mentor=mentor.id, status="offered", offered_on=offered, covers=[needs[0]]))
                continue
            if roll < 0.12:
                pairs.append(
                    Pair(
                        mentor=mentor.id,
                        status="declined",
                        offered_on=offered,
                        answered_on=offered + dt.timedelta(days=rng.randrange(1, 5)),
                    )
                )
                continue
            if roll < 0.24:
                pairs.append(Pair(mentor=mentor.id, status="expired", offered_on=offered))
                continue
            answered = min(offered + dt.timedelta(days=rng.randrange(1, 9)), end)
            length = rng.randrange(45, 330)
            ended = answered + dt.timedelta(days=length)
            covers = [a for a in needs if a in mentor.areas][:2] or needs[:1]
            checkins = []
            for weeks, period in ((2, "week-2"), (4, "week-4"), (8, "month-2"), (12, "month-3")):
                asked = answered + dt.timedelta(weeks=weeks)
                if asked > min(ended, end):
                    break
                mentee = rng.choice(("met", "met", "met", "not-yet", None))
                mentor_answer = rng.choice(("met", "met", "not-yet", None))
                checkins.append(CheckIn(period=period, asked_on=asked, mentee=mentee, mentor=mentor_answer))
            done = ended <= end
            thanks = []
            if done and rng.random() < 0.3:
                thanks.append(Thanks(on=ended, text=rng.choice(NOTES)))
            pairs.append(
                Pair(
                    mentor=mentor.id,
                    status="ended" if done else "accepted",
                    offered_on=offered,
                    answered_on=answered,
                    ended_on=ended if done else None,
                    covers=covers,
                    checkins=checkins,
                    health="on-track" if any(c.mentee == "met" for c in checkins) else "too-early",
                    thanks=thanks,
                )
            )
        accepted = [p for p in pairs if p.status in ("accepted", "ended")]
        finished = accepted and all(p.status == "ended" for p in accepted)
        closed_on = max(p.ended_on for p in accepted if p.ended_on) if finished else None
        records.append(
            RequestRecord(
                number=number,
                opened_on=opened,
                closed_on=closed_on,
                phase="closed" if finished else ("matched" if pairs else "no-match"),
                stage=stage,
                needs=needs,
                identity_groups=groups,
                on_behalf=rng.random() < 0.05,
                suggested=len(pairs),
                pairs=pairs,
            )
        )
    return Ledger(generated_at=generated_at, source=source, requests=records)
