"""What the bot writes differently on a request a coordinator filed for a mentee.

The coordinator (:class:`generator.bot.proxy.MenteeVoice`) is addressed wherever the mentee
would be: the main comment says who filed the request and who answers for the mentee, each
accept notice @-mentions the coordinator with what happens next, and offers and notices tell
mentors that contact with the mentee goes through the coordinator, never through the issue.

A mentor's booking page is still given when they accept (every accepted request shows it), but
to the coordinator, to pass on to the mentee privately: the bot never addresses the mentee, who
may not read the issue at all. Nothing here names the mentee; the only text not the bot's own is
directory text, escaped as :mod:`generator.bot.comments` escapes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from generator.bot.comments import (
    NO_CONTACT_HERE,
    escape_markdown,
    link,
    mention_person,
    notice_marker,
    quote_text,
)
from generator.bot.proxy import MenteeVoice
from generator.bot.state import Placement
from generator.content.models import Mentor, Program

#: What a mentor on a request filed for a mentee is told about contact.
CONTACT_THROUGH = (
    "This mentee asked through their program's coordinator and may have no GitHub account: "
    "contact with them goes through the coordinator who filed this request, never through this issue."
)
AGREED = (
    "thank you! You agreed to a first conversation with this mentee (about half an hour, online "
    "or in person), and to help with what the team comment says you can help with."
)


def _program_name(voice: MenteeVoice) -> str:
    return escape_markdown(voice.program.name) if voice.program is not None else "their program"


def filed_for_lines(voice: MenteeVoice) -> list[str]:
    """The main comment's note on a request filed for a mentee (none on any other)."""
    if not voice.on_behalf:
        return []
    who = mention_person(voice.login) or "a coordinator"
    return [
        f"This request was filed by {who}, a coordinator of **{_program_name(voice)}**, for a mentee "
        "of their program; nothing here names the mentee. The bot writes to the coordinator wherever "
        "it would write to the mentee, and mentors reach the mentee through them.",
        "",
    ]


def commands_help(voice: MenteeVoice, default: str) -> str:
    """The main comment's "How to answer", with who gives the mentee's commands."""
    if not voice.on_behalf:
        return default
    return default.replace(
        "- the person who asked:",
        f"- the coordinator who filed this request for the mentee, or another maintainer of "
        f"{_program_name(voice)}:",
    )


def offer_note(voice: MenteeVoice) -> list[str]:
    """The lines an offer adds for mentors on a request filed for a mentee."""
    return [CONTACT_THROUGH, ""] if voice.on_behalf else []


def _name(place: Placement, mentors: Mapping[str, Mentor]) -> str:
    mentor = mentors.get(place.mentor)
    return escape_markdown(mentor.name) if mentor is not None else quote_text(place.mentor)


def _mentions(logins: Sequence[str], but: str = "") -> str:
    return " ".join(m for m in (mention_person(x) for x in logins if x.lower() != but.lower()) if m)


def _date(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def next_steps_for(
    name: str,
    mentor: Mentor | None,
    program: Program | None,
    voice: MenteeVoice,
    *,
    number: int,
    accepted_at: datetime,
) -> list[str]:
    """What happens after an accept on a request filed for a mentee, said to the coordinator
    (VOICE) and to the mentor (or the maintainers of the mentor's PROGRAM)."""
    coordinator = mention_person(voice.login)
    booking = mentor.contact.booking if mentor is not None and mentor.contact is not None else None
    github = mentor.contact.github if mentor is not None and mentor.contact is not None else None
    maintainers = _mentions(program.maintainers, but=voice.login) if program is not None else ""
    program_name = escape_markdown(program.name) if program is not None else "the mentor's program"
    by = _date(accepted_at + timedelta(days=program.introduction_days if program is not None else 7))
    same = program is not None and voice.program is not None and program.id == voice.program.id
    if booking:
        lines = [
            f"**What happens next:** {coordinator}, please pass this on to the mentee privately: they "
            f"book a first meeting with {name} on {link('their booking page', booking)}, which asks "
            "for their email there, privately. " + NO_CONTACT_HERE,
        ]
    elif same:
        lines = [
            f"**What happens next:** {coordinator}, you coordinate {program_name}, the mentor's program "
            f"too: please introduce your mentee to {name} by **{by}**, privately. " + NO_CONTACT_HERE,
        ]
    elif program is not None and program.coordinator_url:
        lines = [
            f"**What happens next:** {coordinator}, the coordinator of {program_name} will introduce "
            f"your mentee to {name} by **{by}**. Write to them through "
            f"{link('the program’s contact page', program.coordinator_url)} and mention request "
            f"#{number}, so they can reach you privately. " + NO_CONTACT_HERE,
            "",
            f"{maintainers}: please introduce this mentee to {name} by {by}, through the coordinator "
            "who filed this request for them.",
        ]
    else:
        lines = [
            f"**What happens next:** {coordinator}, {name} has no booking page and {program_name} no "
            "contact page listed: its maintainers are asked below to connect you, so that you can "
            f"introduce your mentee, by **{by}**. " + NO_CONTACT_HERE,
            "",
            f"{maintainers}: please connect {name} with the coordinator who filed this request by "
            f"{by}, as maintainers of {program_name}, without asking for contact details in this issue.",
        ]
    # the mentor, or (without a GitHub account, who answered for them) their program's maintainers
    to_mentor = mention_person(github) if github else maintainers if booking else ""
    if to_mentor:
        lines += ["", f"{to_mentor}: {AGREED} {CONTACT_THROUGH}"]
    return lines


def render_accept_notice_for(
    key: str,
    place: Placement,
    voice: MenteeVoice,
    *,
    mentors: Mapping[str, Mentor],
    programs: Mapping[str, Program],
    number: int,
    accepted_at: datetime,
    complete: Sequence[Placement] = (),
) -> str:
    """The accept notice of :func:`generator.bot.comments.render_accept_notice`, addressed to
    the coordinator who filed the request for the mentee."""
    mentor = mentors.get(place.mentor)
    program = programs.get(mentor.program) if mentor is not None else None
    name = _name(place, mentors)
    to = mention_person(voice.login)
    lines = [
        notice_marker(key),
        f"{to + ', ' if to else ''}**{name}** accepted a place on the mentor team of the mentee you "
        "filed this request for. 🎉",
        "",
        *next_steps_for(name, mentor, program, voice, number=number, accepted_at=accepted_at),
    ]
    if complete:
        lines += ["", *completion_lines_for(complete, mentors)]
    return "\n".join(lines) + "\n"


def completion_lines_for(team: Sequence[Placement], mentors: Mapping[str, Mentor]) -> list[str]:
    if len(team) == 1:
        return ["**The mentee's team is complete.**"]
    names = ", ".join(_name(p, mentors) for p in team)
    return [f"**The mentee's team is complete:** all {len(team)} mentors asked have accepted ({names})."]


def render_completion_notice_for(
    key: str, team: Sequence[Placement], voice: MenteeVoice, *, mentors: Mapping[str, Mentor]
) -> str:
    """A team that became complete without an accept in the same run, told to the coordinator."""
    to = mention_person(voice.login)
    lines = [notice_marker(key), f"{to + ', ' if to else ''}good news.", ""]
    lines += completion_lines_for(team, mentors)
    return "\n".join(lines) + "\n"
