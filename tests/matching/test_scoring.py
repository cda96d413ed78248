"""Scoring: hard constraints, the named parts of a score, reasons and their privacy."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.vocabulary import vocabulary
from generator.core.problems import ContentError
from generator.matching.config import load_matching_config, matching_file
from generator.matching.scoring import (
    PART_NAMES,
    PREFERENCE_PARTS,
    constraint_holds,
    failed_constraint,
    load_cost,
    reasons,
    score,
    team_fit,
    zone_offset,
)
from tests.support.matching import (
    config,
    index,
    loads,
    mentor,
    mentors,
    profile,
    req_profile,
    request,
    requests,
)

# --------------------------------------------------------------------------- configuration


def test_matching_file_loads_with_urim_race_ids() -> None:
    cfg = load_matching_config()
    race = {t.id for t in vocabulary().terms["affinities"].values() if t.group == "race-ethnicity"}
    assert cfg.urim == {
        "black",
        "hispanic-latino",
        "american-indian-alaska-native",
        "native-hawaiian-pacific-islander",
    }
    assert cfg.urim <= race
    assert set(cfg.stage_order) == set(vocabulary().ids("stages"))
    assert set(cfg.state_utc_offset) == set(vocabulary().ids("states"))
    assert cfg.rank_weight(0) == 1.0
    assert cfg.rank_weight(99) == cfg.rank_weights[-1]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  affinity: 4.0 ", "  afinity: 4.0 ", "unknown weight 'afinity'"),
        ("  need: 3.0 ", "  need: -3.0 ", "'weights.need' must not be negative"),
        ("  specialty: 2.0 ", "  specialty: lots ", "'weights.specialty' must be a number"),
        ("urim: [black,", "urim: [woman,", "'woman' is not an affinity of the race-ethnicity group"),
        ("  premed: 0\n", "", "stage 'premed' has no place in 'stage_order'"),
        ("  repeat_need: 0.25", "  repeat_need: 2", "'team.repeat_need' is a share"),
        ("  candidates: 16", "  candidates: 2.5", "'cohort.candidates' must be a whole number"),
    ],
)
def test_broken_matching_file_is_reported(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = matching_file().read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "matching.yml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_matching_config(broken)
    assert any(message in p.message for p in caught.value.problems), caught.value.problems
    assert all(p.path == str(broken) and p.line >= 1 for p in caught.value.problems)


# --------------------------------------------------------------------------- hard constraints

CONSTRAINT_CASES: list[tuple[str, dict[str, Any], dict[str, Any], int, str | None]] = [
    ("eligible", {}, {}, 0, None),
    ("not accepting", {}, {"accepting": False}, 0, "accepting"),
    ("full", {}, {"capacity": 2}, 2, "capacity"),
    ("over full", {}, {"capacity": 2}, 5, "capacity"),
    ("no places at all", {}, {"capacity": 0, "accepting": False}, 0, "accepting"),
    ("one place left", {}, {"capacity": 2}, 1, None),
    (
        "must affinity, shared publicly",
        {"affinities": ["black", "rural"], "must": ["affinities"]},
        {"affinities": ["rural"]},
        0,
        None,
    ),
    (
        "must affinity, shared privately",
        {"affinities": ["lgbtq"], "must": ["affinities"]},
        {"private_affinities": ["lgbtq"]},
        0,
        None,
    ),
    (
        # a must on affinities holds for the team (one member who shares one), not each member
        "must affinity, none shared: still a possible member",
        {"affinities": ["lgbtq"], "must": ["affinities"]},
        {"affinities": ["woman"]},
        0,
        None,
    ),
    ("affinity not a must", {"affinities": ["lgbtq"]}, {"affinities": ["woman"]}, 0, None),
    (
        "must language",
        {"languages": ["vi"], "must": ["languages"]},
        {"languages": ["en", "es"]},
        0,
        "languages",
    ),
    ("must language met", {"languages": ["vi", "es"], "must": ["languages"]}, {"languages": ["es"]}, 0, None),
    ("must meeting", {"meeting": ["in-person"], "must": ["meeting"]}, {"meeting": ["virtual"]}, 0, "meeting"),
    ("must profession", {"profession": "nursing", "must": ["profession"]}, {}, 0, "profession"),
    ("must state", {"state": "TX", "must": ["state"]}, {"state": "IL"}, 0, "state"),
    ("must state, mentor gives none", {"state": "TX", "must": ["state"]}, {}, 0, "state"),
    (
        "first failed in checking order",
        {"state": "TX", "languages": ["vi"], "must": ["state", "languages"]},
        {"accepting": False},
        0,
        "accepting",
    ),
    (
        "musts checked in a fixed order",
        {"state": "TX", "languages": ["vi"], "must": ["state", "languages"]},
        {},
        0,
        "languages",
    ),
]


@pytest.mark.parametrize(
    ("req_fields", "mentor_fields", "load", "expected"),
    [case[1:] for case in CONSTRAINT_CASES],
    ids=[case[0] for case in CONSTRAINT_CASES],
)
def test_hard_constraints(
    req_fields: dict[str, Any], mentor_fields: dict[str, Any], load: int, expected: str | None
) -> None:
    req = req_profile(request(**req_fields))
    m = profile(mentor(**mentor_fields))
    assert failed_constraint(req, m, load) == expected
    if expected is not None:
        assert not constraint_holds(expected, req, m, load)
    if "affinities" in req.must:
        assert constraint_holds("affinities", req, m, load) == bool(req.affinity_set & m.affinities)


# --------------------------------------------------------------------------- parts

LOAD = config().load_weight  # load cost: LOAD × (load after / capacity) ** 2
# weights in schemas/matching.yml: affinity 4, need 3, specialty 2, stage 1, language 1,
# meeting 0.5, same state 1, near time zone 0.5, named 10; rank weights 1, 0.8, 0.65 …
PART_CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, float]] = [
    ("first affinity", {"affinities": ["black", "rural"]}, {"affinities": ["black"]}, "affinities", 4.0),
    ("second affinity", {"affinities": ["black", "rural"]}, {"affinities": ["rural"]}, "affinities", 3.2),
    (
        "both affinities",
        {"affinities": ["black", "rural"]},
        {"affinities": ["rural", "black"]},
        "affinities",
        7.2,
    ),
    (
        "private counts the same",
        {"affinities": ["lgbtq"]},
        {"private_affinities": ["lgbtq"]},
        "affinities",
        4.0,
    ),
    ("affinity not shared", {"affinities": ["lgbtq"]}, {"affinities": ["woman"]}, "affinities", 0.0),
    ("first need", {"needs": ["research", "wellness"]}, {"areas": ["research"]}, "needs", 3.0),
    ("second need", {"needs": ["research", "wellness"]}, {"areas": ["wellness"]}, "needs", 2.4),
    ("third need", {"needs": ["research", "letters", "wellness"]}, {"areas": ["wellness"]}, "needs", 1.95),
    ("specialty", {"specialties": ["pediatrics"]}, {"specialties": ["pediatrics"]}, "specialty", 2.0),
    ("other specialty", {"specialties": ["pediatrics"]}, {"specialties": ["urology"]}, "specialty", 0.0),
    ("further along", {"stage": "ms3"}, {"stage": "resident"}, "stage", 1.0),
    ("same stage", {"stage": "resident"}, {"stage": "resident"}, "stage", 0.0),
    ("behind", {"stage": "fellow"}, {"stage": "resident"}, "stage", 0.0),
    ("no stage given", {}, {"stage": "senior-faculty"}, "stage", 0.0),
    ("language", {"languages": ["es"]}, {"languages": ["en", "es"]}, "language", 1.0),
    ("no language asked", {}, {"languages": ["en", "es"]}, "language", 0.0),
    ("meeting", {"meeting": ["in-person"]}, {"meeting": ["virtual", "in-person"]}, "meeting", 0.5),
    ("same state", {"state": "IL"}, {"state": "IL", "timezone": "America/Chicago"}, "place", 1.0),
    ("near time zone", {"state": "IL"}, {"state": "NY", "timezone": "America/New_York"}, "place", 0.5),
    ("far time zone", {"state": "IL"}, {"state": "CA", "timezone": "America/Los_Angeles"}, "place", 0.0),
    ("zone from the state", {"state": "IL"}, {"state": "TX"}, "place", 0.5),
    ("zone beats state", {"state": "IL"}, {"state": "TX", "timezone": "Pacific/Honolulu"}, "place", 0.0),
    ("no place known", {"state": "IL"}, {}, "place", 0.0),
    ("asked for by name", {"mentors": ["ana-example"]}, {}, "named", 10.0),
    ("someone else asked for", {"mentors": ["bo-example"]}, {}, "named", 0.0),
    ("load: first of 3", {}, {"capacity": 3}, "load", -LOAD / 9),
    ("load: only place", {}, {"capacity": 1}, "load", -LOAD),
]


@pytest.mark.parametrize(
    ("req_fields", "mentor_fields", "part", "expected"),
    [case[1:] for case in PART_CASES],
    ids=[case[0] for case in PART_CASES],
)
def test_score_parts(
    req_fields: dict[str, Any], mentor_fields: dict[str, Any], part: str, expected: float
) -> None:
    sc = score(req_profile(request(**req_fields)), profile(mentor(**mentor_fields)), 0, config())
    assert sc.parts[part] == pytest.approx(expected)
    assert list(sc.parts) == list(PART_NAMES)
    assert sc.total == pytest.approx(sum(sc.parts.values()))
    assert sc.preference == pytest.approx(sum(sc.parts[p] for p in PREFERENCE_PARTS))


@pytest.mark.parametrize(
    ("zone", "hours"),
    [
        ("America/Chicago", -6.0),  # standard time: the offset is read in January
        ("America/New_York", -5.0),
        ("Pacific/Honolulu", -10.0),
        ("Asia/Kolkata", 5.5),
        ("Australia/Sydney", 11.0),  # summer in the south in January
        ("UTC", 0.0),
        ("Nowhere/Atlantis", None),
        ("../etc/passwd", None),
    ],
)
def test_zone_offset(zone: str, hours: float | None) -> None:
    assert zone_offset(zone) == hours


def test_a_mentor_time_zone_is_read_with_zone_offset_before_their_state() -> None:
    assert profile(mentor(state="TX", timezone="Pacific/Honolulu")).utc_offset == zone_offset(
        "Pacific/Honolulu"
    )
    assert profile(mentor(state="TX")).utc_offset == config().state_utc_offset["TX"]


@pytest.mark.parametrize(
    ("capacity", "shares"),
    [(1, [1.0]), (2, [0.25, 1.0]), (3, [1 / 9, 4 / 9, 1.0]), (4, [1 / 16, 4 / 16, 9 / 16, 1.0])],
)
def test_load_cost_is_convex_and_full_at_the_last_place(capacity: int, shares: list[float]) -> None:
    got = [load_cost(load, capacity, config()) for load in range(capacity)]
    assert got == pytest.approx([LOAD * share for share in shares])
    steps = np.diff([0.0, *got])
    assert all(b >= a for a, b in itertools.pairwise(steps))


def test_score_order_ranks_a_closer_mentor_higher() -> None:
    req = req_profile(
        request(needs=["research", "wellness"], affinities=["hispanic-latino"], languages=["es"])
    )
    close = profile(
        mentor("ana-example", areas=["research"], affinities=["hispanic-latino"], languages=["es"])
    )
    far = profile(mentor("bo-example", areas=["wellness"]))
    assert score(req, close, 0, config()).total > score(req, far, 0, config()).total


# --------------------------------------------------------------------------- reasons

REASON_CASES: list[tuple[str, dict[str, Any], dict[str, Any], int, list[str]]] = [
    (
        "the issue's example",
        {
            "needs": ["residency-application"],
            "affinities": ["first-generation", "hispanic-latino"],
            "specialties": ["emergency-medicine"],
        },
        {
            "affinities": ["first-generation", "hispanic-latino"],
            "areas": ["residency-application"],
            "specialties": ["emergency-medicine"],
            "capacity": 3,
        },
        1,
        [
            "shares: First-generation college, Hispanic or Latino/a/e",
            "helps with: Residency applications and interviews",
            "Emergency Medicine",
            "2 of 3 places free",
        ],
    ),
    (
        "private affinity is not named",
        {"affinities": ["lgbtq"]},
        {"private_affinities": ["lgbtq"], "capacity": 1},
        0,
        ["shares an affinity you asked for", "1 of 1 place free"],
    ),
    (
        "public and private",
        {"affinities": ["lgbtq", "rural"]},
        {"affinities": ["rural"], "private_affinities": ["lgbtq"]},
        0,
        ["shares: Rural origin", "shares another affinity you asked for", "3 of 3 places free"],
    ),
    (
        "everything else",
        {
            "stage": "ms2",
            "languages": ["es"],
            "meeting": ["virtual"],
            "state": "IL",
            "mentors": ["ana-example"],
        },
        {"languages": ["en", "es"], "state": "IL"},
        0,
        [
            "further along: Early-career faculty",
            "speaks: Spanish",
            "meets: virtual",
            "works in Illinois",
            "you asked for this mentor",
            "3 of 3 places free",
        ],
    ),
    (
        "time zone",
        {"state": "WI"},
        {"state": "IL"},
        0,
        ["time zone within an hour of yours", "3 of 3 places free"],
    ),
    (
        "needs in the mentee's order",
        {"needs": ["wellness", "research", "letters"]},
        {"areas": ["letters", "research", "wellness"]},
        0,
        [
            "helps with: Wellness and burnout, Research, Letters of recommendation",
            "3 of 3 places free",
        ],
    ),
]


@pytest.mark.parametrize(
    ("req_fields", "mentor_fields", "load", "expected"),
    [case[1:] for case in REASON_CASES],
    ids=[case[0] for case in REASON_CASES],
)
def test_reasons(
    req_fields: dict[str, Any], mentor_fields: dict[str, Any], load: int, expected: list[str]
) -> None:
    req = req_profile(request(**req_fields))
    m = profile(mentor(**mentor_fields))
    assert reasons(req, m, score(req, m, load, config()), load, vocabulary()) == expected


def _private_words(m: Any) -> list[str]:
    vocab = vocabulary()
    private = m.private_affinities - m.public_affinities
    return [vocab.label("affinities", a) for a in private] + [f"shares: {a}" for a in private]


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_reasons_never_name_a_private_affinity(data: st.DataObject) -> None:
    ms = data.draw(mentors(min_size=1, max_size=6))
    req = req_profile(data.draw(requests()))
    vocab = vocabulary()
    for m in map(profile, ms):
        sc = score(req, m, 0, config())
        text = " | ".join(reasons(req, m, sc, 0, vocab))
        for word in _private_words(m):
            assert word not in text
        shared_private = set(sc.shared_affinities) & m.private_affinities
        if shared_private:
            assert "affinity you asked for" in text


# --------------------------------------------------------------------------- the vectorised scorer


@pytest.mark.slow
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_index_totals_equal_the_reference_scorer_bit_for_bit(data: st.DataObject) -> None:
    ms = data.draw(mentors(min_size=1))
    req = req_profile(data.draw(requests(mentor_ids=[m.id for m in ms])))
    current = data.draw(loads(ms))
    idx = index(*ms)
    load = idx.load_array(current)
    totals = idx.totals(req, load)
    preference = idx.preference(req)
    eligibility = idx.eligibility(req, load)
    # a must on affinities is met by the team: possible only if a possible member shares one
    members = [failed_constraint(req, m, int(load[row])) is None for row, m in enumerate(idx.profiles)]
    sharing = [bool(m.affinities & req.affinity_set) for m in idx.profiles]
    team_possible = "affinities" not in req.must or any(
        a and b for a, b in zip(members, sharing, strict=True)
    )
    for row, m in enumerate(idx.profiles):
        sc = score(req, m, int(load[row]), config())
        assert totals[row] == sc.total
        assert preference[row] == sc.preference
        assert bool(eligibility.mask[row]) == (members[row] and team_possible)
    last = eligibility.steps[-1]
    if "affinities" in req.must:
        assert last.constraint == "affinities"
        assert last.remaining == sum(a and b for a, b in zip(members, sharing, strict=True))
    else:
        assert last.remaining == int(eligibility.mask.sum())


# --------------------------------------------------------------------------- team fit


def test_team_fit_rewards_coverage_and_concordance() -> None:
    req = req_profile(request(needs=["research", "wellness"], affinities=["black"], team_size=2))
    research = profile(mentor("ana-example", areas=["research"]))
    wellness = profile(mentor("bo-example", areas=["wellness"], affinities=["black"]))
    both = [score(req, m, 0, config()) for m in (research, wellness)]
    half = [score(req, research, 0, config())]
    assert team_fit(req, both) > team_fit(req, half) > team_fit(req, [])
    assert team_fit(req, []) == 0.0
    assert 0.0 < team_fit(req, both) < 1.0
