"""A team as JSON data or plain text (for a coordinator) or Markdown (for public text).

Only what may be shown goes out: mentor ids and names, scores, what each mentor covers for
the team (needs, identities asked for, the language listed first) and the reasons from
:func:`generator.matching.scoring.reasons`. No output names a private affinity: an identity
a member covers through one reads "an affinity you asked for". The Markdown is for public
places (an issue comment): it shows the public reasons
(:func:`generator.matching.scoring.public_reasons`), which never single out a private
affinity, no scores (their parts would tell what was shared), no identities covered or
missing, and the explanation's public text.
"""

from __future__ import annotations

from typing import Any

from generator.content.vocabulary import Vocabulary
from generator.matching.scoring import PART_NAMES
from generator.matching.team import Explanation, Member, Team

DECIMALS = 3


def explanation_dict(explanation: Explanation) -> dict[str, Any]:
    relaxation = explanation.relaxation
    return {
        "text": explanation.text,
        "pool": [{"constraint": s.constraint, "remaining": s.remaining} for s in explanation.pool],
        "limited_by": explanation.limited_by,
        "relaxation": (
            {"constraint": relaxation.constraint, "eligible": relaxation.eligible} if relaxation else None
        ),
    }


#: What an identity covered through a private affinity reads as (never its name).
PRIVATE_IDENTITY = "an affinity you asked for"


def _public_identities(member: Member) -> list[str]:
    return [a for a in member.identities if a in member.mentor.public_affinities]


def _private_identities(member: Member) -> int:
    return len(member.identities) - len(_public_identities(member))


def covers_dict(member: Member) -> dict[str, Any]:
    """What a member covers for the team: needs, identities asked for, the language listed first.

    ``identities`` lists those the member shares publicly; ``private_identities`` counts
    those shared through a private affinity, which are never named.
    """
    return {
        "needs": list(member.covers),
        "identities": _public_identities(member),
        "private_identities": _private_identities(member),
        "language": list(member.language),
    }


def uncovered_dict(team: Team) -> dict[str, list[str]]:
    """What the team does not cover: needs, identities asked for, the language listed first."""
    return {
        "needs": list(team.uncovered),
        "identities": list(team.uncovered_identities),
        "language": list(team.uncovered_language),
    }


def team_dict(team: Team) -> dict[str, Any]:
    """``{"team": [{"mentor", "score", "covers", "reasons", "parts"}], "uncovered", "explanation"}``.

    ``covers`` is :func:`covers_dict`, ``uncovered`` :func:`uncovered_dict`.
    """
    return {
        "team": [
            {
                "mentor": m.mentor.id,
                "score": round(m.score.total, DECIMALS),
                "covers": covers_dict(m),
                "reasons": list(m.reasons),
                "parts": {name: round(m.score.parts[name], DECIMALS) for name in PART_NAMES},
            }
            for m in team.members
        ],
        "uncovered": uncovered_dict(team),
        "explanation": explanation_dict(team.explanation),
    }


def _areas(vocab: Vocabulary, ids: tuple[str, ...]) -> str:
    return ", ".join(vocab.label("areas", a) for a in ids)


def _covers_words(member: Member, vocab: Vocabulary, identities: bool = True) -> str:
    """The member's covers in words: needs; identities (a private one unnamed); the language."""
    groups = [_areas(vocab, member.covers)]
    if identities:
        shared = [vocab.label("affinities", a) for a in _public_identities(member)]
        groups.append(", ".join(shared + [PRIVATE_IDENTITY] * min(_private_identities(member), 1)))
    groups += [f"speaks {vocab.label('languages', lang)}" for lang in member.language]
    return "; ".join(group for group in groups if group)


def _uncovered_words(team: Team, vocab: Vocabulary, identities: bool = True) -> str:
    groups = [_areas(vocab, team.uncovered)]
    if identities:
        groups.append(", ".join(vocab.label("affinities", a) for a in team.uncovered_identities))
    groups += [f"nobody speaks {vocab.label('languages', lang)}" for lang in team.uncovered_language]
    return "; ".join(group for group in groups if group)


def team_markdown(team: Team, vocab: Vocabulary) -> str:
    """The team for public text: public reasons only, no scores, no identities (see above)."""
    lines = ["### Suggested mentor team", ""]
    if not team.members:
        lines.append("No mentor could be suggested.")
    for index, m in enumerate(team.members, 1):
        lines.append(f"{index}. **{m.mentor.name}** (`{m.mentor.id}`)")
        covers = _covers_words(m, vocab, identities=False)
        if covers:
            lines.append(f"   - covers: {covers}")
        lines.append("   - why: " + "; ".join(m.public_reasons))
    uncovered = _uncovered_words(team, vocab, identities=False)
    if uncovered:
        lines += ["", f"**Not covered:** {uncovered}"]
    lines += ["", f"_{team.explanation.public_text}_"]
    return "\n".join(lines)


def team_text(team: Team, vocab: Vocabulary) -> str:
    """The team for a coordinator: scores, everything covered or not, the whole explanation."""
    lines: list[str] = []
    if not team.members:
        lines.append("No mentor could be suggested.")
    for index, m in enumerate(team.members, 1):
        lines.append(f"{index}. {m.mentor.name} ({m.mentor.id})  score {m.score.total:.2f}")
        covers = _covers_words(m, vocab)
        if covers:
            lines.append(f"   covers: {covers}")
        lines.append("   why: " + "; ".join(m.reasons))
    uncovered = _uncovered_words(team, vocab)
    if uncovered:
        lines.append(f"Not covered: {uncovered}")
    lines.append(team.explanation.text)
    return "\n".join(lines)


def cohort_dict(teams: dict[str, Team], load: dict[str, int], status: str) -> dict[str, Any]:
    """``{"requests": {id: team_dict}, "load": {mentor: mentees}, "summary": {...}}``."""
    filled = sum(team.filled for team in teams.values())
    return {
        "requests": {rid: team_dict(team) for rid, team in teams.items()},
        "load": dict(sorted(load.items())),
        "summary": {"requests": len(teams), "filled": filled, "solver": status},
    }


CSV_COLUMNS = (
    "request",
    "mentor",
    "score",
    "covers",
    "covers_identities",
    "covers_language",
    "uncovered",
    "uncovered_identities",
    "uncovered_language",
    "reasons",
)


def cohort_rows(teams: dict[str, Team]) -> list[dict[str, str]]:
    """One row per team member (a request with no member gets one row without a mentor)."""
    rows: list[dict[str, str]] = []
    for rid, team in teams.items():
        uncovered = {
            "uncovered": ";".join(team.uncovered),
            "uncovered_identities": ";".join(team.uncovered_identities),
            "uncovered_language": ";".join(team.uncovered_language),
        }
        for m in team.members:
            identities = _public_identities(m) + ["private"] * _private_identities(m)
            rows.append(
                {
                    "request": rid,
                    "mentor": m.mentor.id,
                    "score": f"{m.score.total:.{DECIMALS}f}",
                    "covers": ";".join(m.covers),
                    "covers_identities": ";".join(identities),
                    "covers_language": ";".join(m.language),
                    **uncovered,
                    "reasons": "; ".join(m.reasons),
                }
            )
        if not team.members:
            rows.append(
                {
                    "request": rid,
                    "mentor": "",
                    "score": "",
                    "covers": "",
                    "covers_identities": "",
                    "covers_language": "",
                    **uncovered,
                    "reasons": team.explanation.text,
                }
            )
    return rows
