"""What the request bot writes on an issue: its one main comment, and short replies.

Everything here is built from the directory's own data (mentor names, program names, ids,
vocabulary labels) and from fixed text, except the mentee's answers quoted in the problems of
:mod:`generator.requests.issue_parser`. Every piece of text that is not the bot's own goes
through :func:`neutralise` first: one line, invisible characters shown, and nothing left that
Markdown, HTML or GitHub would act on or that the bot would read back — no ``<!--`` or
``-->`` (no HTML comment, so no marker and no state block), no ``mentormemed-bot``, no
``@``-mention. Quotations of the mentee (:func:`quote_text`) are then put in a code span
that their own backticks cannot close; directory text (:func:`escape_markdown`) is
backslash-escaped. Reasons that exist only because of a private affinity are left out: no
comment says one played a part (docs/privacy.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Literal

from generator.bot.state import MARKER, BotState, Placement, Status, dump_state, is_identity_reason
from generator.content.export import mentor_url
from generator.content.models import Mentor, Program
from generator.matching.scoring import PRIVATE_AFFINITY_REASONS
from generator.requests.issue_parser import IssueProblem

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~@:&])")
#: WORD JOINER: invisible, and it splits any construct it is put in (`<!--`, `-->`, `@name`).
JOINER = "\u2060"
#: Unicode categories shown as `[U+XXXX]` in quotations: controls, format characters (zero
#: widths, bidirectional overrides, the joiner itself), private use, unassigned, separators.
_HIDDEN = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})
_BREAKS = re.compile(r"(?<=-)(?=-)|(?<=<)(?=!)|(?<=@)|(?i:(?<=mentormemed)(?=-bot))")
#: The longest quotation, in characters (the parser's echoes are shorter already).
MAX_QUOTE_CHARS = 80

COMMANDS_HELP = (
    "#### How to answer\n\n"
    "Write a **new comment** that starts with one of these words (edited comments are not "
    "read; anything after the word is fine, like `/accept Happy to help!`):\n\n"
    "- a mentor asked here, or a maintainer of that mentor's program: `/accept` or `/decline` "
    "(a maintainer answering for one of several mentors adds the mentor's id: `/accept ana-example`);\n"
    "- the person who asked: `/rematch` to ask other mentors instead of those who have not "
    "answered (those who accepted stay; `/rematch` and a mentor's id replaces that mentor), or `/withdraw` "
    "to close this request, free every mentor asked and lock the issue.\n\n"
    "Once a mentor has accepted, the bot checks in after 2 and 4 weeks, then monthly. Either "
    "of you can answer `/met`, `/not-yet` or `/need-help` (the program's coordinators will get "
    "in touch privately), and `/done` when the mentorship has finished; the person who asked "
    "can then say `/thanks` followed by a few words, if they like."
)


def public_reasons(reasons: Sequence[str]) -> list[str]:
    """REASONS without those that reveal a private affinity."""
    return [r for r in reasons if r not in PRIVATE_AFFINITY_REASONS]


def neutralise(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """TEXT that is not the bot's own, safe to show in its comments: on one line, at most LIMIT
    characters, invisible characters shown as `[U+200B]`, and a word joiner put inside every
    `--`, `<!`, `@` and `mentormemed-bot`, so it holds no HTML comment (none of the bot's
    markers or state blocks), no @-mention and nothing the bot reads as its own. Used for
    every piece of such text, through :func:`quote_text` or :func:`escape_markdown`."""
    shown = "".join(
        " " if char in "\t\n\r" else f"[U+{ord(char):04X}]" if unicodedata.category(char) in _HIDDEN else char
        for char in text
    )
    shown = " ".join(shown.split())
    if len(shown) > limit:
        shown = shown[: limit - 1].rstrip() + "…"
    return _BREAKS.sub(JOINER, shown)


def quote_text(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """Someone's text quoted in a comment: :func:`neutralise`d, in a code span (inert for
    Markdown, HTML, links and @-mentions) fenced with more backticks than any run in it."""
    inner = neutralise(text, limit)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", inner)), default=0) + 1)
    pad = " " if inner.startswith("`") or inner.endswith("`") or not inner.strip() else ""
    return f"{fence}{pad}{inner}{pad}{fence}"


def problem_markdown(problem: IssueProblem) -> str:
    """A problem with the request for the main comment: the parser's text, the mentee's answer
    quoted with :func:`quote_text`."""
    if problem.value is None:
        return problem.template
    return problem.template.replace("{value}", quote_text(problem.value))


def escape_markdown(text: str) -> str:
    """Directory text (a name, a reason) as literal Markdown: :func:`neutralise`d, then no
    formatting, links or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", neutralise(text, limit=300))


def _mention(login: str) -> str:
    return "@" + login


def _contact_line(mentor: Mentor | None, program: Program | None, status: Status) -> str:
    if status == "accepted":
        return "✅ accepted"
    return "⏳ waiting for an answer"


#: What the matcher's reasons say, in the words a mentee reads (the matcher's own words stay
#: its own: generator/matching may change them, so anything not listed here is kept as is).
_FURTHER_ALONG = re.compile(r"^further along: (?P<stage>.+)$")
_PLACES_FREE = re.compile(r"^\d+ of \d+ places? free$")
_HELPS_WITH = re.compile(r"^helps with: ")


def plain_reason(reason: str) -> str | None:
    """REASON in plain words for the mentee, or None when it is left out: place counts (how
    full a mentor is is no reason for the mentee), what the mentor can help with (its own line)."""
    if _PLACES_FREE.match(reason) or _HELPS_WITH.match(reason):
        return None
    further = _FURTHER_ALONG.match(reason)
    if further:
        return f"a few years ahead of you ({further.group('stage')})"
    return reason


def _invitation(
    place: Placement, mentor: Mentor | None, program: Program | None, mentee: str, areas: Sequence[str]
) -> str | None:
    """The line for one mentor who has not answered yet: what they are asked, and how to answer."""
    if place.status != "offered":
        return None
    topic = " and ".join(areas[:2]) if areas else "what they asked for"
    how = "reply `/accept` or `/decline` in a new comment; anything after the word is fine"
    github = mentor.contact.github if mentor is not None and mentor.contact is not None else None
    if github:
        return f"{_mention(github)}: you're invited to help {mentee} with {topic}. To answer, {how}."
    if program is not None and program.maintainers:
        names = " ".join(_mention(m) for m in program.maintainers)
        return (
            f"{names}: this mentor has no GitHub account listed. Please pass on the invitation to "
            f"help {mentee} with {topic}, and answer for them with `/accept {place.mentor}` or "
            f"`/decline {place.mentor}`."
        )
    return None


def _placement_lines(
    index: int,
    place: Placement,
    mentors: Mapping[str, Mentor],
    programs: Mapping[str, Program],
    site_url: str,
    area_label: Mapping[str, str],
    mentee: str,
    identities: Collection[str] = (),
) -> list[str]:
    mentor = mentors.get(place.mentor)
    program = programs.get(mentor.program) if mentor is not None else None
    name = escape_markdown(mentor.name) if mentor is not None else quote_text(place.mentor)
    where = f", {escape_markdown(program.name)}" if program is not None else ""
    lines = [f"{index}. **{name}**{where} — [profile]({mentor_url(site_url, place.mentor)})"]
    areas = [escape_markdown(area_label.get(a, a)) for a in place.covers]
    if not areas:  # the matcher's own words for what the mentor helps with, if it gave them
        helps = next((r for r in place.reasons if _HELPS_WITH.match(r)), None)
        areas = [escape_markdown(_HELPS_WITH.sub("", helps))] if helps else []
    if areas:
        lines.append("   - can help with: " + ", ".join(areas))
    reasons = [r for r in (plain_reason(r) for r in public_reasons(place.reasons)) if r]
    reasons = [r for r in reasons if not is_identity_reason(r)]
    shared = len(set(identities) & set(mentor.affinities)) if mentor is not None else 0
    if shared:
        reasons.insert(0, f"shares {shared} identit{'y' if shared == 1 else 'ies'} you chose")
    if reasons:
        lines.append("   - why: " + "; ".join(escape_markdown(r) for r in reasons))
    lines.append("   - " + _contact_line(mentor, program, place.status))
    invitation = _invitation(place, mentor, program, mentee, [a[:1].lower() + a[1:] for a in areas])
    if invitation:
        lines += ["", "   " + invitation]
    return lines


def mentee_phrase(stage_label: str | None) -> str:
    """How a mentor's invitation names the mentee: `an MS2` from `Second-year student (MS2)`."""
    if not stage_label:
        return "a mentee"
    short = re.search(r"\(([A-Z0-9-]{2,8})\)$", stage_label)
    word = short.group(1) if short else stage_label[:1].lower() + stage_label[1:]
    vowel = word[0] in "AEFHILMNORSX" if short else word[0] in "aeiou"
    return f"{'an' if vowel else 'a'} {escape_markdown(word)}"


TEAM_SENTENCE = (
    "A team is a few mentors who can each help with part of what you asked for: you meet each "
    "one on your own, and it is fine if not all of them can say yes."
)


def render_main_comment(
    state: BotState,
    *,
    mentors: Mapping[str, Mentor],
    programs: Mapping[str, Program],
    site_url: str,
    area_label: Mapping[str, str],
    problems: Sequence[IssueProblem] = (),
    not_a_form: bool = False,
    stage_label: str | None = None,
    identities: Collection[str] = (),
    filed_for: Sequence[str] = (),
    commands_help: str = COMMANDS_HELP,
) -> str:
    """The bot's one comment on a request issue: MARKER, the text, the state block.
    FILED_FOR: lines saying who filed a request for a mentee, under the heading of a team (or
    of no team); COMMANDS_HELP: the "How to answer" section.
    NOT_A_FORM: the body did not come from the form (PROBLEMS say where to find it);
    STAGE_LABEL: the mentee's career stage as they gave it, to name them to mentors;
    IDENTITIES: the identities the mentee chose, read from the issue now — each mentor's
    reasons say only how many of them the mentor lists in public, never which."""
    lines = [MARKER]
    if state.phase == "withdrawn":
        lines += [
            "### Request withdrawn",
            "",
            "The person who asked withdrew this request: every place offered here is released. "
            "Thank you to the mentors who answered. This issue is now closed and locked, and "
            "stays withdrawn even if it is reopened: to ask again, open a new request.",
        ]
    elif state.closed_on and not state.ended:
        lines += [
            "### This request is closed for now",
            "",
            "No mentor was able to say yes this time, and we didn't hear back about continuing, so "
            "this request is closed. Thank you for asking; you are welcome to open a new request "
            "whenever you'd like mentors again.",
        ]
    elif state.phase == "needs-info" and not_a_form:
        lines += [
            "### This does not look like the mentor request form",
            "",
            "Thank you for writing. This bot answers only requests made with the form, "
            "so nothing in this issue was read:",
            "",
            *(f"- {problem_markdown(p)}" for p in problems),
            "",
            "If you would rather not ask in public, the directory's own pages list every "
            "mentor. Remember that this issue and its edit history are public.",
        ]
    elif state.phase == "needs-info":
        lines += [
            "### Your request needs a change",
            "",
            "Thank you for asking. Some answers cannot be used yet:",
            "",
            *(f"- {problem_markdown(p)}" for p in problems),
            "",
            "Edit the issue (the **…** menu, then **Edit**) to fix them; the team is suggested "
            "as soon as the request can be read. Remember that this issue and its edit history "
            "are public.",
        ]
    else:
        active = state.active
        if not active and state.ended:
            lines += [
                "### Your mentorships have finished",
                "",
                "Every mentorship on this request has finished, so the request is closed.",
            ]
        elif not active:
            lines += [
                "### No mentor could be suggested yet",
                "",
                *filed_for,
                "No mentor with a place free meets this request now. Loosening an answer marked "
                "as a must, or asking again later, may help; a program coordinator may also step in.",
            ]
        else:
            accepted = sum(1 for p in active if p.status == "accepted")
            waiting = len(active) - accepted
            if not waiting:
                first = f"All {len(active)} mentors asked have accepted: your team is ready."
                if len(active) == 1:
                    first = "Your mentor has accepted: your team is ready."
                first += " The comments below say how to meet each one."
            else:
                asked = f"We've asked {len(active)} mentor{'s' if len(active) != 1 else ''}"
                so_far = f" and {accepted} {'has' if accepted == 1 else 'have'} accepted" if accepted else ""
                first = f"{asked}{so_far}; most reply within a week."
            lines += ["### Your mentor team", "", *filed_for, f"**{first}** {TEAM_SENTENCE}", ""]
            mentee = mentee_phrase(stage_label)
            for index, place in enumerate(active, 1):
                lines += _placement_lines(
                    index, place, mentors, programs, site_url, area_label, mentee, identities
                )
            if len(active) < state.team_size:
                lines += [
                    "",
                    f"Only {len(active)} of the {state.team_size} mentors you asked for could be "
                    "found now: loosening an answer marked as a must may help.",
                ]
            lines += ["", commands_help]
        if state.ended:
            names = ", ".join(_name(p, mentors) for p in state.ended)
            lines += ["", f"**Finished mentorships:** {names}. Thank you for the time you gave."]
    # the hidden block is readable in the comment's source: it carries only public reasons too
    public_team = [p.model_copy(update={"reasons": public_reasons(p.reasons)}) for p in state.team]
    lines += ["", dump_state(state.model_copy(update={"team": public_team}))]
    return "\n".join(lines) + "\n"


def offer_marker(key: str) -> str:
    """The hidden marker of one offer comment; KEY is worked out from the change it announces,
    so a run that repeats the change finds the comment instead of posting it again."""
    if not re.fullmatch(r"[0-9a-f]{1,64}", key):
        raise ValueError("an offer key is lower-case hex")
    return f"<!-- mentormemed-bot-offer:{key} -->"


def render_offer(
    key: str,
    places: Sequence[Placement],
    *,
    mentors: Mapping[str, Mentor],
    programs: Mapping[str, Program],
    declined: Sequence[Placement] = (),
    note: Sequence[str] = (),
) -> str:
    """A short comment that @-mentions the mentors newly offered a place (or, for one with no
    GitHub account listed, their program's maintainers). GitHub notifies mentions only in a
    new comment, not those an edit adds to the main comment. NOTE: lines before the closing
    paragraph (on a request filed for a mentee: how contact goes)."""
    gone = [_name(p, mentors) for p in declined]
    opening = "You're invited to join this mentee's mentor team:"
    if gone:
        opening = f"{' and '.join(gone)} can't join this time, so the place goes to:"
    lines = [offer_marker(key), opening, ""]
    for place in places:
        mentor = mentors.get(place.mentor)
        program = programs.get(mentor.program) if mentor is not None else None
        name = escape_markdown(mentor.name) if mentor is not None else quote_text(place.mentor)
        github = mentor.contact.github if mentor is not None and mentor.contact is not None else None
        if github:
            lines.append(f"- **{name}** ({_mention(github)})")
        elif program is not None and program.maintainers:
            names = " ".join(_mention(m) for m in program.maintainers)
            lines.append(f"- **{name}**: {names}, please pass this on (no GitHub account listed)")
        else:
            lines.append(f"- **{name}**")
    lines += [
        "",
        *note,
        "The bot's comment above says what the mentee asked for and why you were suggested. To "
        "answer, write a new comment that starts with `/accept` or `/decline` (anything after "
        "the word is fine).",
    ]
    return "\n".join(lines) + "\n"


#: A GitHub login as GitHub allows it: only such a login is ever @-mentioned.
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")


def notice_marker(key: str) -> str:
    """The hidden marker of one notice (an accept, a withdrawal, a completed team); KEY names
    the event (`accept-<comment id>`), so a run that repeats it finds the notice."""
    if not re.fullmatch(r"[a-z]+-[0-9a-f]{1,64}", key):
        raise ValueError("a notice key is a word, a hyphen and a number or hex")
    return f"<!-- mentormemed-bot-notice:{key} -->"


def mention_person(login: str) -> str:
    """LOGIN @-mentioned, if it is a login GitHub allows (it comes from the API); else nothing."""
    return _mention(login) if _LOGIN.fullmatch(login) else ""


def mention_mentor(mentor: Mentor | None, program: Program | None) -> str:
    """Who reads for a mentor: their GitHub account, or their program's maintainers."""
    github = mentor.contact.github if mentor is not None and mentor.contact is not None else None
    if github:
        return _mention(github)
    if program is not None and program.maintainers:
        return " ".join(_mention(m) for m in program.maintainers)
    return ""


def _name(place: Placement, mentors: Mapping[str, Mentor]) -> str:
    mentor = mentors.get(place.mentor)
    return escape_markdown(mentor.name) if mentor is not None else quote_text(place.mentor)


def render_accept_notice(
    key: str,
    place: Placement,
    *,
    mentee: str,
    mentors: Mapping[str, Mentor],
    programs: Mapping[str, Program],
    number: int,
    accepted_at: datetime,
    complete: Sequence[Placement] = (),
) -> str:
    """A new comment (it notifies) for one accepted place: the mentee mentioned, exactly what
    happens next, and what the mentor agreed to; COMPLETE, when this accept completes the
    team, lists the whole team."""
    mentor = mentors.get(place.mentor)
    program = programs.get(mentor.program) if mentor is not None else None
    name = _name(place, mentors)
    to_mentee = mention_person(mentee)
    lines = [
        notice_marker(key),
        f"{to_mentee + ', ' if to_mentee else ''}**{name}** accepted a place on your mentor team. 🎉",
        "",
        *next_steps(name, mentor, program, number=number, accepted_at=accepted_at),
    ]
    if complete:
        lines += ["", *completion_lines(complete, mentors)]
    return "\n".join(lines) + "\n"


def link(text: str, url: str) -> str:
    """A link to a directory address (validated https, no `<`, `>`, spaces or quotes, see
    generator.content.urls), written so that a `)` in it cannot end the link."""
    return f"[{text}](<{url}>)"


def _date(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


NO_CONTACT_HERE = (
    "Please never write an email address or a phone number in this issue: it is public, for good."
)


def next_steps(
    name: str, mentor: Mentor | None, program: Program | None, *, number: int, accepted_at: datetime
) -> list[str]:
    """What happens after an accept: the mentee books through the mentor's booking page; or
    the program's coordinator introduces them, by a date, after the mentee writes through the
    program's contact page; or, with neither, the program's maintainers are asked by name."""
    booking = mentor.contact.booking if mentor is not None and mentor.contact is not None else None
    github = mentor.contact.github if mentor is not None and mentor.contact is not None else None
    maintainers = " ".join(_mention(m) for m in program.maintainers) if program is not None else ""
    program_name = escape_markdown(program.name) if program is not None else "the mentor's program"
    by = _date(accepted_at + timedelta(days=program.introduction_days if program is not None else 7))
    agreed = (
        "thank you! You agreed to a first conversation with this mentee (about half an hour, "
        "online or in person), and to help with what the team comment says you can help with."
    )
    if booking:
        return [
            f"**What happens next:** book a first meeting with {name} on "
            f"{link('their booking page', booking)}. It asks for your email there, privately. "
            + NO_CONTACT_HERE,
            "",
            f"{_mention(github) if github else maintainers}: {agreed} The mentee books the time "
            "through your booking page.",
        ]
    if program is not None and program.coordinator_url:
        lines = [
            f"**What happens next:** the coordinator of {program_name} will introduce you to "
            f"{name} by **{by}**. Write to them through "
            f"{link('the program’s contact page', program.coordinator_url)} and mention request "
            f"#{number}, so they can reach you privately. " + NO_CONTACT_HERE,
            "",
            f"{maintainers}: please introduce this mentee to {name} by {by}.",
        ]
        if github:
            lines += ["", f"{_mention(github)}: {agreed} The coordinator will introduce you."]
        return lines
    lines = [
        f"**What happens next:** {name} has no booking page and {program_name} no contact page "
        "listed, so there is no private way yet to set up a first meeting: the program's "
        f"maintainers are asked below to connect you by **{by}**. " + NO_CONTACT_HERE,
        "",
        f"{maintainers}: please connect this mentee with {name} by {by}, as maintainers of "
        f"{program_name}, without asking for contact details in this issue.",
    ]
    if github:
        lines += ["", f"{_mention(github)}: {agreed}"]
    return lines


def completion_lines(team: Sequence[Placement], mentors: Mapping[str, Mentor]) -> list[str]:
    if len(team) == 1:
        return ["**Your team is complete.**"]
    names = ", ".join(_name(p, mentors) for p in team)
    return [f"**Your team is complete:** all {len(team)} mentors asked have accepted ({names})."]


def render_completion_notice(
    key: str, team: Sequence[Placement], *, mentee: str, mentors: Mapping[str, Mentor]
) -> str:
    """A new comment for a team that became complete without an accept in the same run."""
    to_mentee = mention_person(mentee)
    return (
        "\n".join(
            [
                notice_marker(key),
                f"{to_mentee + ', ' if to_mentee else ''}good news.",
                "",
                *completion_lines(team, mentors),
            ]
        )
        + "\n"
    )


def render_withdraw_notice(
    key: str,
    accepted: Sequence[Placement],
    *,
    mentors: Mapping[str, Mentor],
    programs: Mapping[str, Program],
) -> str:
    """A new comment for the mentors who had accepted a place on a withdrawn request."""
    who = " ".join(
        sorted(
            {
                m
                for place in accepted
                for m in mention_mentor(
                    mentors.get(place.mentor),
                    programs.get(mentors[place.mentor].program) if place.mentor in mentors else None,
                ).split()
            }
        )
    )
    return (
        "\n".join(
            [
                notice_marker(key),
                f"{who + ': ' if who else ''}the person who asked has withdrawn this request, so the "
                "place you accepted is released and there is nothing more to do here. Thank you for "
                "saying yes, and for the time you offered.",
            ]
        )
        + "\n"
    )


def reply_marker(comment_id: int) -> str:
    """The hidden marker of the bot's reply to one comment (a reply is never posted twice)."""
    return f"<!-- mentormemed-bot-reply:{int(comment_id)} -->"


#: Why a command was not applied: not a suggested mentor (or their program's maintainer), more
#: than one mentor it could be for, not the person who asked, no team to answer yet.
#: `unreadable`: not a refusal but a comment starting with a slash word that is no command
#: (`/acept`), from someone who may answer here.
Refusal = Literal["mentor", "ambiguous", "author", "nothing", "unreadable", "pair", "thanks"]

REFUSALS: dict[Refusal, str] = {
    "mentor": "Sorry, only a suggested mentor, or a maintainer of that mentor's program, can "
    "answer with `{command}` here. Nothing was changed.",
    "ambiguous": "You can answer for more than one suggested mentor here: please write the "
    "mentor's id after the command in a new comment, for example `{command} mentor-id`. "
    "Nothing was changed.",
    "author": "Sorry, only the person who opened this request (on a request filed for a mentee, "
    "a coordinator of the mentee's program) can use `{command}`. Nothing was changed.",
    "nothing": "There is no team on this request to answer yet, so `{command}` changed nothing.",
    "pair": "`{command}` is for the person who asked and the mentors who accepted a place here, "
    "about a mentorship that has started; there is none to answer for yet, so nothing was changed.",
    "thanks": "To say thanks, write a few words after `/thanks` in a new comment (for example "
    "`/thanks Your advice on my personal statement helped so much`). Nothing was changed.",
    "unreadable": "Sorry, I could not read the first line of that comment as an answer, so "
    "nothing was changed. Please write a new comment whose first line starts with one of these "
    "words (any case; anything after the word is fine, for example `/accept Happy to help!`):\n\n"
    "- a mentor asked here: `/accept` or `/decline`;\n"
    "- the person who asked: `/rematch` or `/withdraw`.",
}


def render_reply(comment_id: int, kind: Refusal, command: str) -> str:
    """A polite refusal to the command in comment COMMENT_ID (no login and no text echoed)."""
    return f"{reply_marker(comment_id)}\n{REFUSALS[kind].format(command=command)}\n"
