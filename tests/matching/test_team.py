"""A team for one request: coverage, concordance, programs, load, determinism, explanations."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.models import Mentor
from generator.content.vocabulary import vocabulary
from generator.matching.mentor_index import MentorIndex
from generator.matching.scoring import failed_constraint, rank_key
from generator.matching.team import Team, match_team
from tests.support.matching import (
    PROTECT_CASES,
    config,
    index,
    loads,
    mentor,
    mentors,
    profile,
    protect_mentors,
    request,
    requests,
)


def team_of(ms: list[Mentor], load: dict[str, int] | None = None, **req: Any) -> Team:
    return match_team(request(**req), index(*ms), load or {}, vocabulary())


def ids(team: Team) -> list[str]:
    return [m.mentor.id for m in team.members]


# --------------------------------------------------------------------------- what a team is made of


def test_team_is_a_quilt_covering_every_need() -> None:
    # a-star helps with two needs and scores best alone; the team still covers all three
    ms = [
        mentor("a-star", areas=["research", "wellness"]),
        mentor("b-star", areas=["research", "wellness"]),
        mentor("c-letters", areas=["letters"], program="mesa-alta-som"),
    ]
    team = team_of(ms, needs=["research", "wellness", "letters"], team_size=2)
    assert ids(team) == ["a-star", "c-letters"]
    assert team.uncovered == ()
    assert [m.covers for m in team.members] == [("research", "wellness"), ("letters",)]


def test_each_need_is_assigned_to_one_member_who_helps_with_it() -> None:
    ms = [
        mentor("a-all", areas=["research", "wellness", "letters"]),
        mentor("b-all", areas=["research", "wellness", "letters"], program="mesa-alta-som"),
    ]
    team = team_of(ms, needs=["research", "wellness", "letters"], team_size=2)
    assigned = [n for m in team.members for n in m.covers]
    assert sorted(assigned) == ["letters", "research", "wellness"]
    assert [len(m.covers) for m in team.members] == [2, 1]


def test_team_includes_a_mentor_who_shares_an_asked_affinity() -> None:
    ms = [
        mentor("a-need", areas=["research"], specialties=["pediatrics"]),
        mentor("b-need", areas=["research"], specialties=["pediatrics"], program="mesa-alta-som"),
        mentor("c-shares", areas=["leadership"], private_affinities=["black"], program="harbor-point-con"),
    ]
    team = team_of(ms, needs=["research"], affinities=["black"], specialties=["pediatrics"], team_size=2)
    assert "c-shares" in ids(team)
    assert team.uncovered == ()


def test_different_programs_are_preferred() -> None:
    ms = [
        mentor("a-first", areas=["research"]),
        mentor("b-same-program", areas=["research"]),
        mentor("c-other-program", areas=["research"], program="mesa-alta-som"),
    ]
    assert ids(team_of(ms, needs=["research"], team_size=2)) == ["a-first", "c-other-program"]


@pytest.mark.parametrize(
    ("specs", "req", "expected"), [c[1:] for c in PROTECT_CASES], ids=[c[0] for c in PROTECT_CASES]
)
def test_protect_keeps_the_scarce_urim_mentors_for_the_mentees_who_ask(
    specs: list[tuple[str, dict[str, Any]]], req: dict[str, Any], expected: list[str]
) -> None:
    assert sorted(ids(team_of(protect_mentors(specs), **req))) == expected


def test_load_spreads_to_the_mentor_with_more_room() -> None:
    ms = [mentor("a-busy", areas=["research"], capacity=3), mentor("b-free", areas=["research"], capacity=3)]
    assert ids(team_of(ms, needs=["research"], team_size=1)) == ["a-busy"]
    assert ids(team_of(ms, {"a-busy": 2}, needs=["research"], team_size=1)) == ["b-free"]


def test_near_capacity_costs_more_than_a_slightly_worse_fit() -> None:
    # a-last-place is further along, which the mentee did not ask for: load decides
    ms = [
        mentor("a-last-place", areas=["research"], specialties=["pediatrics"], capacity=4),
        mentor("b-roomy", areas=["research"], specialties=["pediatrics"], stage="ms1", capacity=6),
    ]
    asked: dict[str, Any] = {
        "needs": ["research"],
        "specialties": ["pediatrics"],
        "stage": "ms2",
        "team_size": 1,
    }
    assert ids(team_of(ms, **asked)) == ["a-last-place"]
    assert ids(team_of(ms, {"a-last-place": 3}, **asked)) == ["b-roomy"]


def test_mentors_asked_for_by_name_come_first() -> None:
    ms = [mentor("a-close", areas=["research"]), mentor("z-named", areas=["leadership"])]
    team = team_of(ms, needs=["research"], mentors=["z-named"], team_size=1)
    assert ids(team) == ["z-named"]
    assert "you asked for this mentor" in team.members[0].reasons


def test_ties_go_to_the_mentor_id_first_in_order() -> None:
    ms = [mentor(f"{name}-twin", areas=["research"], program=f"p-{name}") for name in ("c", "a", "b")]
    assert ids(team_of(ms, needs=["research"], team_size=2)) == ["a-twin", "b-twin"]


def test_members_are_listed_best_score_first() -> None:
    ms = [mentor("a-low", areas=["letters"]), mentor("b-high", areas=["research"], program="mesa-alta-som")]
    team = team_of(ms, needs=["research", "letters"], team_size=2)
    keys = [rank_key(m.score.total, m.mentor.id) for m in team.members]
    assert keys == sorted(keys)
    assert ids(team) == ["b-high", "a-low"]


# --------------------------------------------------------------------------- constraints and explanations

EXPLAIN_CASES: list[tuple[str, list[dict[str, Any]], dict[str, Any], dict[str, Any]]] = [
    (
        "language emptied the pool; relaxing it helps most",
        [
            {"languages": ["en"]},
            {"languages": ["en"], "affinities": ["black"]},
            {"languages": ["vi"], "meeting": ["in-person"]},
        ],
        {"languages": ["vi"], "meeting": ["virtual"], "must": ["languages", "meeting"], "team_size": 1},
        {
            "limited_by": "meeting",
            "relaxation": ("languages", 2),
            "steps": [("accepting", 3), ("capacity", 3), ("languages", 1), ("meeting", 0)],
            "text": "No mentor meets every requirement",
        },
    ),
    (
        # one member who shares an affinity is enough: the must empties the pool only when
        # no possible member shares one
        "affinity must that nobody can meet",
        [{"affinities": ["woman"]}, {"affinities": ["rural"]}, {"private_affinities": ["lgbtq"]}],
        {"affinities": ["black"], "must": ["affinities"], "team_size": 2},
        {
            "limited_by": "affinities",
            "relaxation": ("affinities", 3),
            "steps": [("accepting", 3), ("capacity", 3), ("affinities", 0)],
            "text": "then 0 sharing an affinity you require (one per team is enough).",
        },
    ),
    (
        "too few for the team, one sharer is enough",
        [
            {"affinities": ["black"], "languages": ["es"]},
            {"affinities": ["woman"], "languages": ["es"]},
            {"private_affinities": ["black"]},
        ],
        {"affinities": ["black"], "languages": ["es"], "must": ["affinities", "languages"], "team_size": 3},
        {
            "limited_by": "languages",
            "relaxation": ("languages", 3),
            "steps": [("accepting", 3), ("capacity", 3), ("languages", 2), ("affinities", 1)],
            "text": "Only 2 mentors meet every requirement for a team of 3",
        },
    ),
    (
        "nobody has a place",
        [{"accepting": False}, {"capacity": 1, "id": "full-one"}],
        {"team_size": 1},
        {
            "limited_by": "capacity",
            "relaxation": None,
            "steps": [("accepting", 1), ("capacity", 0)],
            "text": "No mentor has a place free right now",
        },
    ),
]


@pytest.mark.parametrize(
    ("mentor_fields", "req_fields", "expected"),
    [case[1:] for case in EXPLAIN_CASES],
    ids=[case[0] for case in EXPLAIN_CASES],
)
def test_explanation_names_the_constraint_and_the_best_relaxation(
    mentor_fields: list[dict[str, Any]], req_fields: dict[str, Any], expected: dict[str, Any]
) -> None:
    ms = []
    for i, fields in enumerate(mentor_fields):
        fields = dict(fields)
        ms.append(mentor(fields.pop("id", f"mentor-{i}"), **fields))
    team = team_of(ms, {"full-one": 1}, **req_fields)
    explanation = team.explanation
    assert explanation.limited_by == expected["limited_by"]
    relaxation = explanation.relaxation
    assert (relaxation and (relaxation.constraint, relaxation.eligible)) == expected["relaxation"]
    assert [(s.constraint, s.remaining) for s in explanation.pool] == expected["steps"]
    assert expected["text"] in explanation.text
    assert not team.filled


def test_uncovered_needs_and_missing_concordance_are_explained() -> None:
    team = team_of(
        [mentor(areas=["research"])], needs=["research", "letters"], affinities=["rural"], team_size=1
    )
    assert team.uncovered == ("letters",)
    assert (
        "No mentor who meets your requirements helps with: Letters of recommendation."
        in team.explanation.text
    )
    assert "Nobody in the team shares Rural origin: no mentor in the directory does." in team.explanation.text
    assert team.uncovered_identities == ("rural",)


def test_named_mentor_who_cannot_be_included_is_explained() -> None:
    ms = [mentor("a-free", areas=["research"]), mentor("b-closed", accepting=False)]
    team = team_of(ms, needs=["research"], mentors=["b-closed", "c-unknown"], team_size=1)
    assert ids(team) == ["a-free"]
    assert "'b-closed', whom you asked for, is not accepting new mentees." in team.explanation.text
    assert "'c-unknown', whom you asked for, is not in the directory." in team.explanation.text


# --------------------------------------------------------------------------- properties


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_member_meets_every_hard_constraint(data: st.DataObject) -> None:
    ms = data.draw(mentors())
    req = data.draw(requests(mentor_ids=[m.id for m in ms]))
    current = data.draw(loads(ms))
    team = match_team(req, index(*ms), current, vocabulary())
    assert len(team.members) <= req.team_size
    assert len({m.mentor.id for m in team.members}) == len(team.members)
    for member in team.members:
        assert failed_constraint(team.request, member.mentor, current.get(member.mentor.id, 0)) is None
        assert current.get(member.mentor.id, 0) < member.mentor.capacity
    # a team is only short when too few mentors are eligible
    assert len(team.members) == min(req.team_size, team.eligible)
    covered = {n for m in team.members for n in m.covers}
    assert covered | set(team.uncovered) == set(req.needs)
    assert not covered & set(team.uncovered)


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_same_input_same_team_whatever_the_order_of_mentors(data: st.DataObject, seed: int) -> None:
    ms = data.draw(mentors(min_size=1))
    req = data.draw(requests(mentor_ids=[m.id for m in ms]))
    current = data.draw(loads(ms))
    shuffled = list(ms)
    random.Random(seed).shuffle(shuffled)
    first = match_team(req, index(*ms), current, vocabulary())
    again = match_team(req, MentorIndex([profile(m) for m in shuffled], config()), current, vocabulary())
    assert [(m.mentor.id, m.score.total, m.covers, m.reasons) for m in first.members] == [
        (m.mentor.id, m.score.total, m.covers, m.reasons) for m in again.members
    ]
    assert first.explanation == again.explanation
