"""A team as JSON data, Markdown (for the request bot) or plain text (for a terminal).

Only what may be shown goes out: mentor ids and names, scores, the needs each mentor
covers and the reasons from :func:`generator.matching.scoring.reasons` (never a private affinity).
"""

from __future__ import annotations

from typing import Any

from generator.content.vocabulary import Vocabulary
from generator.matching.scoring import PART_NAMES
from generator.matching.team import Explanation, Team

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


def team_dict(team: Team) -> dict[str, Any]:
    """``{"team": [{"mentor", "score", "covers", "reasons", "parts"}], "uncovered", "explanation"}``."""
    return {
        "team": [
            {
                "mentor": m.mentor.id,
                "score": round(m.score.total, DECIMALS),
                "covers": list(m.covers),
                "reasons": list(m.reasons),
                "parts": {name: round(m.score.parts[name], DECIMALS) for name in PART_NAMES},
            }
            for m in team.members
        ],
        "uncovered": list(team.uncovered),
        "explanation": explanation_dict(team.explanation),
    }


def _areas(vocab: Vocabulary, ids: tuple[str, ...]) -> str:
    return ", ".join(vocab.label("areas", a) for a in ids)


def team_markdown(team: Team, vocab: Vocabulary) -> str:
    lines = ["### Suggested mentor team", ""]
    if not team.members:
        lines.append("No mentor could be suggested.")
    for index, m in enumerate(team.members, 1):
        lines.append(f"{index}. **{m.mentor.name}** (`{m.mentor.id}`), score {m.score.total:.2f}")
        if m.covers:
            lines.append(f"   - covers: {_areas(vocab, m.covers)}")
        lines.append("   - why: " + "; ".join(m.reasons))
    if team.uncovered:
        lines += ["", f"**Not covered:** {_areas(vocab, team.uncovered)}"]
    lines += ["", f"_{team.explanation.text}_"]
    return "\n".join(lines)


def team_text(team: Team, vocab: Vocabulary) -> str:
    lines: list[str] = []
    if not team.members:
        lines.append("No mentor could be suggested.")
    for index, m in enumerate(team.members, 1):
        lines.append(f"{index}. {m.mentor.name} ({m.mentor.id})  score {m.score.total:.2f}")
        if m.covers:
            lines.append(f"   covers: {_areas(vocab, m.covers)}")
        lines.append("   why: " + "; ".join(m.reasons))
    if team.uncovered:
        lines.append(f"Not covered: {_areas(vocab, team.uncovered)}")
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


CSV_COLUMNS = ("request", "mentor", "score", "covers", "uncovered", "reasons")


def cohort_rows(teams: dict[str, Team]) -> list[dict[str, str]]:
    """One row per team member (a request with no member gets one row without a mentor)."""
    rows: list[dict[str, str]] = []
    for rid, team in teams.items():
        uncovered = ";".join(team.uncovered)
        for m in team.members:
            rows.append(
                {
                    "request": rid,
                    "mentor": m.mentor.id,
                    "score": f"{m.score.total:.{DECIMALS}f}",
                    "covers": ";".join(m.covers),
                    "uncovered": uncovered,
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
                    "uncovered": uncovered,
                    "reasons": team.explanation.text,
                }
            )
    return rows
