"""The commands of a mentorship after the match, applied to the bot's state.

- `/keep` (the person who asked): keep looking; answers the bot's question after a long wait.
- `/met`, `/not-yet`, `/need-help` (the person who asked, or a mentor of an accepted pair or a
  maintainer of the mentor's program): the answer to the latest check-in of the pair (of each
  accepted pair, for the person who asked, unless a mentor id follows); `/need-help` also asks
  the program's maintainers to get in touch (a notice mentioning them).
- `/done` (either side): the pair ends and the mentor's place is free; when no pair is left
  on the request (none accepted, none offered), the bot closes it as completed.
- `/thanks <a few words>` (the person who asked): a public thank-you to the mentor named after
  it (a mentor id or `@login`), or to every mentor who accepted; kept, sanitised and bounded,
  in the state for the network's recognition ledger.
- `/rematch` (the person who asked): the mentors offered and not answered yet are released and
  others asked; `/rematch @login` (or a mentor id) replaces only that mentor, accepted or not.

Each function is pure: the state in, the state out, a refusal when the command is not for the
person who wrote it. Planning (generator.bot.plan) decides what to write from the result.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple, Protocol

from generator.bot.checkins import health
from generator.bot.comments import Refusal, notice_marker
from generator.bot.github import GitHubComment, GitHubIssue
from generator.bot.notices import render_done_notice, render_help_notice, render_thanks_notice
from generator.bot.settings import BotSettings
from generator.bot.state import MAX_THANKS, MAX_THANKS_CHARS, BotState, CheckIn, Placement, Thanks
from generator.content.models import Mentor, Program
from generator.content.textrules import find_email, visible_form


class Command(Protocol):
    """What this module reads of a command (generator.bot.plan.Command)."""

    @property
    def comment(self) -> GitHubComment: ...
    @property
    def name(self) -> str: ...
    @property
    def argument(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def day(self) -> str: ...


class _Settings(Protocol):
    @property
    def settings(self) -> BotSettings | None: ...


class Rules(Protocol):
    """What this module asks of the plan's rules (generator.bot.plan.Rules)."""

    @property
    def issue(self) -> GitHubIssue: ...
    @property
    def mentors(self) -> Mapping[str, Mentor]: ...
    @property
    def programs(self) -> Mapping[str, Program]: ...

    @property
    def ctx(self) -> _Settings: ...
    def is_author(self, login: str) -> bool: ...
    def _answers_for(self, login: str, mentor_id: str) -> bool: ...
    def _is_own(self, login: str, mentor_id: str) -> bool: ...


class Applied(NamedTuple):
    """The state after a command, and the refusal to answer it with (None: applied)."""

    state: BotState
    refusal: Refusal | None


class Draft(NamedTuple):
    """A comment the bot wants on the issue: its hidden marker and its whole body."""

    marker: str
    body: str


log = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_MARKUP = re.compile(r"[`*_#>|\[\]{}\\<]")


def sanitise_thanks(text: str) -> str:
    """A thank-you note as plain text, one paragraph: no HTML, Markdown, links, mentions or
    email addresses (a sentence holding one is left out), at most MAX_THANKS_CHARS characters."""
    plain = " ".join(_TAG.sub("", visible_form(text)).split())
    sentences = re.split(r"(?<=[.!?])\s+", plain)
    kept = " ".join(s for s in sentences if find_email(s) is None)
    kept = _URL.sub(" ", kept).replace("@", "")
    kept = _MARKUP.sub(" ", kept)
    kept = " ".join(kept.split())
    if len(kept) > MAX_THANKS_CHARS:
        kept = kept[: MAX_THANKS_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return kept


def _settings(rules: Rules) -> BotSettings:
    return rules.ctx.settings or BotSettings()


def _mentor_by_login(rules: Rules, state: BotState, text: str) -> set[str]:
    """The team's mentors an `@login` in TEXT names (their own GitHub account)."""
    logins = {m.lower() for m in re.findall(r"@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))", text)}
    return {p.mentor for p in state.team if any(rules._is_own(login, p.mentor) for login in logins)}


def release_for_rematch(rules: Rules, state: BotState, command: Command) -> BotState:
    """Before an explicit `/rematch`: the mentors it names released (accepted or offered);
    with none named, every place still offered (the mentee asks for other mentors)."""
    named = _mentor_by_login(rules, state, command.text)
    if command.argument:
        named.add(command.argument)
    wanted = ("offered", "accepted") if named else ("offered",)
    for place in state.team:
        if place.status in wanted and (not named or place.mentor in named):
            state = state.set_status(place.mentor, "released", ended_on=command.day)
    log.info("issue #%d: /rematch released %d place(s)", rules.issue.number, len(named) or -1)
    return state


def _pairs_for(
    rules: Rules, state: BotState, command: Command
) -> tuple[list[Placement], str, Refusal | None]:
    """The accepted pairs COMMAND is about, which side wrote it, and a refusal."""
    login = command.comment.author.login
    accepted = [p for p in state.team if p.status == "accepted"]
    if command.argument:
        accepted = [p for p in accepted if p.mentor == command.argument]
    if rules.is_author(login):
        return accepted, "mentee", None if accepted else "pair"
    mine = [p for p in accepted if rules._answers_for(login, p.mentor)]
    if not mine:
        return [], "mentor", "pair"
    if len(mine) > 1:
        own = [p for p in mine if rules._is_own(login, p.mentor)]
        if len(own) != 1:
            return [], "mentor", "ambiguous"
        mine = own
    return mine, "mentor", None


def _answer(place: Placement, side: str, answer: str, day: str, settings: BotSettings) -> Placement:
    checkins = list(place.checkins)
    if not checkins:  # answered before the first check-in: that period is answered
        checkins.append(
            CheckIn(
                period=f"week-{settings.checkin_weeks[0]}" if settings.checkin_weeks else "month-1",
                asked_on=day,
            )
        )
    checkins[-1] = checkins[-1].model_copy(update={side: answer})
    new = place.model_copy(update={"checkins": checkins})
    return new.model_copy(update={"health": health(new, settings, date.fromisoformat(day))})


def apply_lifecycle(rules: Rules, state: BotState, command: Command) -> Applied:
    login = command.comment.author.login
    name = command.name
    number = rules.issue.number
    if name == "keep":
        if not rules.is_author(login):
            return Applied(state, "author")
        log.info("issue #%d: /keep (comment %d)", number, command.comment.id)
        return Applied(state.model_copy(update={"kept_on": command.day}), None)
    if name == "thanks":
        if not rules.is_author(login):
            return Applied(state, "author")
        note = sanitise_thanks(command.text)
        if not note:
            return Applied(state, "thanks")
        candidates = [p for p in state.team if p.status in ("accepted", "ended")]
        named = _mentor_by_login(rules, state, command.text) | (
            {command.argument} if command.argument else set()
        )
        if named:
            candidates = [p for p in candidates if p.mentor in named]
        if not candidates:
            return Applied(state, "pair")
        thanks = [*state.thanks, *(Thanks(mentor=p.mentor, on=command.day, text=note) for p in candidates)]
        log.info("issue #%d: /thanks to %d mentor(s)", number, len(candidates))
        return Applied(state.model_copy(update={"thanks": thanks[-MAX_THANKS:]}), None)
    pairs, side, refusal = _pairs_for(rules, state, command)
    if refusal is not None:
        return Applied(state, refusal)
    if name == "done":
        for place in pairs:
            state = state.set_status(place.mentor, "ended", ended_on=command.day)
        if not state.active and state.ended:
            state = state.model_copy(update={"closed_on": command.day})
        log.info("issue #%d: /done ended %d pair(s)", number, len(pairs))
        return Applied(state, None)
    settings = _settings(rules)
    for place in pairs:
        new = _answer(place, side, name, command.day, settings)
        state = state.model_copy(
            update={"team": [new if p.mentor == place.mentor else p for p in state.team]}
        )
    log.info("issue #%d: /%s for %d pair(s)", number, name, len(pairs))
    return Applied(state, None)


def lifecycle_notices(
    rules: Rules, events: Sequence[tuple[GitHubComment, BotState, BotState, Command]], end: BotState
) -> list[Draft]:
    """New comments for the lifecycle commands applied in this plan: help asked (to the
    programs' maintainers), pairs ended (to both sides), thanks (to the mentors thanked)."""
    mentee = rules.issue.author.login
    out: list[Draft] = []
    for comment, before, after, command in events:
        key = f"{command.name.replace('-', '')}-{comment.id}"
        if command.name == "need-help":
            asked = [p.mentor for p in after.team if p.status == "accepted" and p != before.place(p.mentor)]
            if asked:
                body = render_help_notice(key, asked, mentors=rules.mentors, programs=rules.programs)
                out.append(Draft(notice_marker(key), body))
        elif command.name == "done":
            ended = [p for p in after.team if p.status == "ended" and before.status_of(p.mentor) != "ended"]
            if ended:
                body = render_done_notice(
                    key,
                    ended,
                    mentee=mentee,
                    mentors=rules.mentors,
                    programs=rules.programs,
                    closing=bool(after.closed_on) and not before.closed_on,
                )
                out.append(Draft(notice_marker(key), body))
        elif command.name == "thanks":
            thanked = list(
                dict.fromkeys(t.mentor for t in after.thanks[len(before.thanks) :] or after.thanks[-1:])
            )
            body = render_thanks_notice(key, thanked, mentors=rules.mentors, programs=rules.programs)
            out.append(Draft(notice_marker(key), body))
    del end
    return out


def change_key(*parts: object) -> str:
    """A short hex key for a notice, derived from what it announces."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
