"""What the bot writes as a mentorship goes on: re-offers after an offer expired, the `/keep`
question and the kind closing, check-ins, help asked, a pair that ended, a thank-you.

Each is a new comment (a mention notifies only in a new comment) whose first line is a hidden
notice marker (:func:`generator.bot.comments.notice_marker`), so a run that repeats the change
finds it instead of posting it again. Words for the mentee are plain and kind; a mentor who did
not answer in time is never named (their place is simply offered to someone else), and no
comment says how a pair is doing beyond what its own people answered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.bot.comments import escape_markdown, mention_mentor, mention_person, notice_marker, quote_text
from generator.bot.state import Placement
from generator.content.models import Mentor, Program

ANSWERS_HELP = (
    "Reply in a new comment that starts with `/met` (you have met), `/not-yet` (not yet, and "
    "that's fine) or `/need-help` (the program's coordinators will get in touch privately)."
)


def _name(mentor_id: str, mentors: Mapping[str, Mentor]) -> str:
    mentor = mentors.get(mentor_id)
    return escape_markdown(mentor.name) if mentor is not None else quote_text(mentor_id)


def _mentor_mention(mentor_id: str, mentors: Mapping[str, Mentor], programs: Mapping[str, Program]) -> str:
    mentor = mentors.get(mentor_id)
    return mention_mentor(mentor, programs.get(mentor.program) if mentor is not None else None)


def _maintainers(mentor_id: str, mentors: Mapping[str, Mentor], programs: Mapping[str, Program]) -> list[str]:
    mentor = mentors.get(mentor_id)
    program = programs.get(mentor.program) if mentor is not None else None
    return [mention_person(m) for m in program.maintainers] if program is not None else []


def _join(names: Sequence[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _lead(mentee: str) -> str:
    who = mention_person(mentee)
    return f"{who}, " if who else ""


def render_expiry_notice(
    key: str, *, mentee: str, new: Sequence[Placement], mentors: Mapping[str, Mentor]
) -> str:
    """To the mentee: a mentor asked could not answer in time, and who is asked instead."""
    lines = [notice_marker(key)]
    if new:
        names = _join([f"**{_name(p.mentor, mentors)}**" for p in new])
        lines.append(
            f"{_lead(mentee)}one of the mentors we asked hasn't been able to answer in time, so "
            f"we've asked {names} instead. Nothing for you to do: we'll let you know here when "
            "someone accepts."
        )
    else:
        lines.append(
            f"{_lead(mentee)}one of the mentors we asked hasn't been able to answer in time, so "
            "their place is open again. No other mentor with a place free meets your request right "
            "now; we'll keep looking, and a program coordinator may also step in."
        )
    return "\n".join(lines) + "\n"


def render_keep_question(key: str, *, mentee: str, close_days: int) -> str:
    """To the mentee of a request no mentor accepted for a while: keep looking?"""
    return (
        "\n".join(
            [
                notice_marker(key),
                f"{_lead(mentee)}we're sorry no mentor has been able to say yes yet. Would you like "
                "us to keep looking? Write a new comment that starts with `/keep` and we will. "
                "Changing an answer in your request (for example a requirement) may also help.",
                "",
                f"If we don't hear from you in {close_days} days, we'll close this request for now; "
                "you are welcome to open a new one any time.",
            ]
        )
        + "\n"
    )


def render_close_notice(key: str, *, mentee: str) -> str:
    """To the mentee: the request is closed after the `/keep` question went unanswered."""
    return (
        "\n".join(
            [
                notice_marker(key),
                f"{_lead(mentee)}we've closed this request for now, since we didn't hear back. Thank "
                "you for asking: it takes courage. Whenever you'd like mentors again, open a new "
                "request; nothing you wrote here is held against it.",
            ]
        )
        + "\n"
    )


def render_checkin(
    key: str,
    place: Placement,
    period: str,
    *,
    mentee: str,
    mentors: Mapping[str, Mentor],
    programs: Mapping[str, Program],
) -> str:
    """To one accepted pair: how is it going?"""
    when = period.replace("-", " ")
    who = " ".join(x for x in (mention_person(mentee), _mentor_mention(place.mentor, mentors, programs)) if x)
    return (
        "\n".join(
            [
                notice_marker(key),
                f"{who + ': ' if who else ''}a quick check-in on the mentorship with "
                f"**{_name(place.mentor, mentors)}** ({when}). How is it going?",
                "",
                ANSWERS_HELP + " Either of you can answer; please keep private details out of "
                "this public issue.",
            ]
        )
        + "\n"
    )


def render_help_notice(
    key: str, mentor_ids: Sequence[str], *, mentors: Mapping[str, Mentor], programs: Mapping[str, Program]
) -> str:
    """To the programs' maintainers: someone in a pair asked for help."""
    who = sorted({m for mentor_id in mentor_ids for m in _maintainers(mentor_id, mentors, programs) if m})
    names = _join([f"**{_name(m, mentors)}**" for m in mentor_ids])
    return (
        "\n".join(
            [
                notice_marker(key),
                f"{' '.join(who) + ': ' if who else ''}someone in the mentorship with {names} asked for "
                "help. Please get in touch with them privately (not in this issue) to see what would "
                "help. Thank you!",
            ]
        )
        + "\n"
    )


def render_done_notice(
    key: str,
    ended: Sequence[Placement],
    *,
    mentee: str,
    mentors: Mapping[str, Mentor],
    programs: Mapping[str, Program],
    closing: bool,
) -> str:
    """To the pair(s) that ended: thank you, and how to say thanks in public."""
    mentions = [_mentor_mention(p.mentor, mentors, programs) for p in ended]
    who = " ".join(x for x in (mention_person(mentee), *mentions) if x)
    names = _join([f"**{_name(p.mentor, mentors)}**" for p in ended])
    lines = [
        notice_marker(key),
        f"{who + ': ' if who else ''}the mentorship with {names} is marked as finished. Thank you "
        "both for the time you gave it; the mentor's place is free again for someone else.",
        "",
        "If you'd like to thank your mentor in public, write a new comment that starts with "
        "`/thanks` followed by a few words (it is optional, and it stays public).",
    ]
    if closing:
        lines += ["", "Every mentorship on this request has finished, so the request is closed."]
    return "\n".join(lines) + "\n"


def render_thanks_notice(
    key: str, mentor_ids: Sequence[str], *, mentors: Mapping[str, Mentor], programs: Mapping[str, Program]
) -> str:
    """To the mentors thanked: a note that they were."""
    who = " ".join(
        sorted({m for mentor_id in mentor_ids for m in _mentor_mention(mentor_id, mentors, programs).split()})
    )
    return (
        "\n".join(
            [
                notice_marker(key),
                f"{who + ': ' if who else ''}the mentee left you a thank-you note above. 💛 It is kept "
                "for the network's recognition of its mentors.",
            ]
        )
        + "\n"
    )
