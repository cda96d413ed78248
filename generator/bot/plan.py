"""What the request bot would write on one issue, worked out without writing anything.

:func:`plan` takes a request issue and its comments as GitHub has them now and returns a
:class:`Plan`: every write that brings the issue up to date, in the order to make them. It
calls no API; its one reading besides its arguments is the mentors' load, asked of the
``load`` callable only when a team is made (counting it reads every other request issue).

From the bot's state (kept in its own marker comment, :mod:`generator.bot.state`: the comment
of the bot's login whose first line is the marker, the state its last line) it works
out the new state — the request read again, a team made or kept, every new command comment
applied in order — and plans only what differs from what is on the issue: refusals (each
once, found again by a hidden marker), an offer comment mentioning the mentors offered a place
after the main comment exists (an edit's mentions notify nobody; its marker is derived from
the change, so a later plan finds it), a reaction to each applied command, the one main
comment, the state label, and for a withdrawal the close and the lock (again if the issue is
reopened: a withdrawn request stays withdrawn). Planned again on the issue as the writes
left it, it plans nothing; planned after some of them failed, it plans the rest: every write
before the main comment is found again by its marker or is safe to repeat, and the main
comment records the commands applied, so nothing after it is planned from anything else.

A main comment whose state cannot be read (someone who may edit comments changed it, or an
older version wrote it) is never started afresh, which would forget the accepted places:
the plan is *held* — no writes, and `Plan.hold` says why — until a maintainer repairs it.

Logs name issue numbers, comment ids, mentor ids and counts, never the issue's text or the
request's answers (logs of public repositories are public).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, NamedTuple, get_args

from generator.bot.comments import (
    COMMANDS_HELP,
    notice_marker,
    offer_marker,
    public_reasons,
    render_accept_notice,
    render_completion_notice,
    render_main_comment,
    render_offer,
    render_reply,
    render_withdraw_notice,
    reply_marker,
)
from generator.bot.github import (
    CloseReason,
    GitHubComment,
    GitHubIssue,
    LabelSpec,
    LockReason,
    Reaction,
    find_own_comment,
)
from generator.bot.lifecycle import Applied, Draft, apply_lifecycle, lifecycle_notices, release_for_rematch
from generator.bot.proxy import MenteeVoice, filing_problems, mentee_voice
from generator.bot.proxy_comments import (
    commands_help,
    filed_for_lines,
    offer_note,
    render_accept_notice_for,
    render_completion_notice_for,
)
from generator.bot.schedule import advance
from generator.bot.settings import BotSettings
from generator.bot.state import (
    MARKER,
    BotState,
    Placement,
    StateError,
    is_identity_reason,
    legacy_request_hash,
    load_state,
    request_hash,
)
from generator.content.models import Request
from generator.content.vocabulary import Vocabulary
from generator.matching.network import MatchableNetwork
from generator.requests.issue_form import REQUEST_LABEL
from generator.requests.issue_parser import (
    IssueFormError,
    IssueProblem,
    NotARequestForm,
    parse_request_issue,
    unknown_mentor_problems,
)

log = logging.getLogger(__name__)

CommandName = Literal[
    "accept", "decline", "rematch", "withdraw", "keep", "met", "not-yet", "need-help", "done", "thanks"
]
COMMAND_NAMES: tuple[CommandName, ...] = get_args(CommandName)
#: Commands of two words joined by a hyphen or an underscore (`/not-yet`, `/need_help`).
COMPOUND = re.compile(r"^[-_](yet|help)\b", re.IGNORECASE)
#: A GitHub login after `/rematch` (`/rematch @ben-gh`): which mentor the mentee replaces.
AT_LOGIN = re.compile(r"@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))")
#: The first line of a comment that starts with a slash word: the word decides, in any case;
#: the word ends at the first character that is not a letter, digit or `_` (`/accept.`,
#: `/Accept!`), and what follows it (`/decline - sorry, on service until March`) is read only
#: for a mentor id. `/acept` and `/accepted` are slash words, but no command.
SLASH_WORD = re.compile(r"^/([A-Za-z][A-Za-z0-9_]*)(.*)$")
MENTOR_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_TEAM_RECORDS = 40

StateLabel = Literal[
    "needs-info", "no-match", "waiting", "partly-accepted", "accepted", "withdrawn", "closed"
]
#: One label at a time shows where a request is (the bot keeps it true on every event).
STATE_LABELS: dict[StateLabel, LabelSpec] = {
    "needs-info": LabelSpec("needs-info", "d93f0b", "The request form needs a change"),
    "no-match": LabelSpec("no-match", "fbca04", "No mentor could be suggested yet"),
    "waiting": LabelSpec("waiting", "0e8a16", "Mentors were asked; no answer yet"),
    "partly-accepted": LabelSpec("partly-accepted", "5ebd6e", "Some of the mentors asked accepted"),
    "accepted": LabelSpec("accepted", "1d76db", "Every mentor asked accepted"),
    "withdrawn": LabelSpec("withdrawn", "cccccc", "Withdrawn by the person who asked"),
    "closed": LabelSpec("closed", "6e7781", "The request is closed"),
}
#: State labels of earlier versions, taken off where they are found.
RETIRED_STATE_LABELS = ("matched",)
REQUEST_LABEL_SPEC = LabelSpec(REQUEST_LABEL, "5319e7", "A mentee's request for a mentor team")

#: Mentees per mentor on every other request issue; called at most once per plan.
LoadReader = Callable[[], Mapping[str, int]]
#: The commands of a mentorship after the match (generator.bot.lifecycle applies them).
LIFECYCLE_COMMANDS = frozenset({"keep", "met", "not-yet", "need-help", "done", "thanks"})


def _day(moment: datetime) -> str:
    """MOMENT's day (UTC), as the state keeps days."""
    return moment.astimezone(UTC).date().isoformat()


# -- what a plan holds ------------------------------------------------------------------------

CommentKind = Literal["main", "offer", "reply", "notice"]


@dataclass(frozen=True)
class PostComment:
    """A new comment of the bot's. MARKER, in BODY, finds it again: it is never posted twice."""

    kind: CommentKind
    marker: str
    body: str = field(repr=False)


@dataclass(frozen=True)
class EditComment:
    """The bot's comment COMMENT_ID, which says something else now, changed to BODY."""

    kind: CommentKind
    comment_id: int
    body: str = field(repr=False)


@dataclass(frozen=True)
class React:
    """A reaction to a command comment that was applied."""

    comment_id: int
    content: Reaction = "+1"


@dataclass(frozen=True)
class EnsureLabels:
    """The repository labels the bot uses, created where missing."""

    labels: tuple[LabelSpec, ...]


@dataclass(frozen=True)
class RemoveLabel:
    name: str


@dataclass(frozen=True)
class AddLabels:
    names: tuple[str, ...]


@dataclass(frozen=True)
class CloseIssue:
    reason: CloseReason


@dataclass(frozen=True)
class LockIssue:
    reason: LockReason


Action = PostComment | EditComment | React | EnsureLabels | RemoveLabel | AddLabels | CloseIssue | LockIssue


@dataclass(frozen=True)
class Plan:
    """Every write that brings issue NUMBER up to date, in order; none when it is, or when
    HOLD says why none may be made."""

    number: int
    actions: tuple[Action, ...] = ()
    hold: str | None = None  # why nothing may be written (the bot's state cannot be read)


@dataclass(frozen=True)
class Context:
    """What planning needs besides the issue: the directory, and where things are published;
    SETTINGS, the schedule's durations (``schemas/bot.yml``; None: the defaults)."""

    directory: MatchableNetwork
    vocab: Vocabulary
    site_url: str
    repository_url: str
    settings: BotSettings | None = None


@dataclass(frozen=True)
class Clock:
    """The scheduled run's moment: given to :func:`plan`, it also makes the time-driven
    changes (offers that expired, the `/keep` question, closing, check-ins)."""

    now: datetime


# -- reading the issue ------------------------------------------------------------------------


class SavedState(NamedTuple):
    """The bot's main comment (None before the first run) and the state it holds; PROBLEM,
    when the comment exists but its state cannot be read (then STATE is None)."""

    comment: GitHubComment | None
    state: BotState | None
    problem: str | None = None


class FormReading(NamedTuple):
    """The request read from the issue's body, or the problems that stop it being read."""

    request: Request | None
    problems: Sequence[IssueProblem]
    not_a_form: bool  # the body did not come from the form at all


@dataclass(frozen=True)
class Command:
    comment: GitHubComment
    name: CommandName
    argument: str | None  # a mentor id
    text: str = field(default="", repr=False)  # what follows the word (`/thanks …`), whole

    @property
    def day(self) -> str:
        """The day the command was written (UTC), as the state keeps days."""
        return self.comment.created_at.astimezone(UTC).date().isoformat()


def is_request_issue(issue: GitHubIssue) -> bool:
    return not issue.is_pull_request and issue.has_label(REQUEST_LABEL)


def saved_state(comments: Sequence[GitHubComment], me: str) -> SavedState:
    """The state in the first comment by ME whose first line is the bot's marker."""
    comment = find_own_comment(comments, MARKER, me)
    if comment is None:
        return SavedState(None, None)
    try:
        state = load_state(comment.body)
    except StateError as exc:
        return SavedState(comment, None, str(exc))
    if state is None:
        return SavedState(comment, None, "it has no state block")
    return SavedState(comment, state)


def first_line(comment: GitHubComment) -> str:
    return comment.body.replace("\r\n", "\n").split("\n", 1)[0].strip()


def slash_word(comment: GitHubComment) -> str | None:
    """The slash word the comment's first line starts with (lower case), command or not."""
    match = SLASH_WORD.match(first_line(comment))
    return match.group(1).lower() if match is not None else None


def read_command(comment: GitHubComment, mentor_ids: Collection[str] = ()) -> Command | None:
    """The command on the comment's first line, if there is one: `/accept`, `/decline`,
    `/rematch` or `/withdraw` in any case, anything after the word ignored except a mentor id
    right after it (one of MENTOR_IDS, the directory's mentors), which says whom a maintainer
    answers for. So `/decline sorry` is a decline, and `/accept ana-example` an accept for her."""
    match = SLASH_WORD.match(first_line(comment))
    if match is None:
        return None
    word = match.group(1).lower()
    after = match.group(2)
    compound = COMPOUND.match(after)
    if word in ("not", "need") and compound is not None:
        word, after = f"{word}-{compound.group(1).lower()}", after[compound.end() :]
    word = {"notyet": "not-yet", "not_yet": "not-yet", "needhelp": "need-help", "need_help": "need-help"}.get(
        word, word
    )
    name = next((n for n in COMMAND_NAMES if n == word), None)
    if name is None:
        return None
    rest = after.split(maxsplit=1)
    token = rest[0].strip(".,;:!?()[]'\"").lower() if rest else ""
    argument = token if MENTOR_ID.fullmatch(token) and token in mentor_ids else None
    text = ""
    if name == "thanks":  # the whole note: the rest of the first line and the lines after it
        body = comment.body.replace("\r\n", "\n").strip()
        text = (after + "\n" + body.split("\n", 1)[1] if "\n" in body else after).strip()
    elif name == "rematch":
        text = after
    return Command(comment, name, argument, text)


def _is_complete(state: BotState) -> bool:
    """Every place of a suggested team accepted."""
    return (
        state.phase == "matched" and bool(state.active) and all(p.status == "accepted" for p in state.active)
    )


def state_label(state: BotState, issue_state: str = "open") -> StateLabel:
    """The one label that shows STATE on an issue that is ISSUE_STATE (`open`, `closed`)."""
    if state.phase == "withdrawn":
        return "withdrawn"
    if issue_state == "closed" or state.closed_on:
        return "closed"
    if state.phase != "matched":
        return state.phase
    accepted = sum(1 for p in state.active if p.status == "accepted")
    if not accepted:
        return "waiting"
    return "accepted" if accepted == len(state.active) else "partly-accepted"


# -- deciding ---------------------------------------------------------------------------------


class _Rules:
    """The decisions about one issue: the request, the team, who may answer what."""

    def __init__(self, ctx: Context, issue: GitHubIssue, load: LoadReader) -> None:
        self.ctx = ctx
        self.issue = issue
        self.mentors = ctx.directory.network.mentors
        self.programs = ctx.directory.network.programs
        self._read_load = load
        self._load: Mapping[str, int] | None = None
        #: who speaks for the mentee: the author, until read_request reads how the issue was filed
        self.voice = MenteeVoice(issue.author.login)

    def load(self) -> Mapping[str, int]:
        if self._load is None:
            self._load = self._read_load()
        return self._load

    def read_request(self) -> FormReading:
        """The request, and (in `voice`) who speaks for the mentee: a coordinator's request for
        a mentee, from someone who may not file one, is refused like any answer that cannot be
        used (no team is made)."""
        try:
            request, filing = parse_request_issue(
                self.issue.body, repository_url=self.ctx.repository_url, vocab=self.ctx.vocab
            )
        except IssueFormError as exc:
            return FormReading(None, exc.problems, isinstance(exc, NotARequestForm))
        author = self.issue.author.login
        refused = filing_problems(author, filing, self.programs)
        if not refused:
            self.voice = mentee_voice(author, filing, self.programs)
        if self.voice.on_behalf:
            log.info("issue #%d: filed for a mentee by a maintainer of a program", self.issue.number)
        problems = [
            *unknown_mentor_problems(request.mentors, self.mentors.keys(), vocab=self.ctx.vocab),
            *refused,
        ]
        return FormReading(None, problems, False) if problems else FormReading(request, [], False)

    def speaks_for_mentee(self, login: str) -> bool:
        """LOGIN may give the mentee's commands: the author, or on a request filed for a mentee
        the coordinators of the mentee's program (:mod:`generator.bot.proxy`)."""
        return self.voice.speaks(login)

    def rematch(self, state: BotState, request: Request, day: str) -> BotState:
        """A new team: accepted places kept; mentors who declined, never answered in time,
        were replaced or ended left out (kept as history); the places still offered made
        again (a mentor offered again keeps the day of the first offer); new ones offered on
        DAY."""
        from generator.matching.team import match_team

        kept = [p for p in state.team if p.status == "accepted"]
        declined = [p for p in state.team if p.status not in ("offered", "accepted")]
        offered_on = {p.mentor: p.offered_on for p in state.team if p.status == "offered"}
        excluded = {p.mentor for p in kept} | {p.mentor for p in declined}
        slots = max(request.team_size - len(kept), 0)
        offered: list[Placement] = []
        if slots:
            team = match_team(request, self.ctx.directory.index(excluded), self.load(), self.ctx.vocab)
            for member in team.members[:slots]:
                offered.append(
                    Placement(
                        mentor=member.mentor.id,
                        covers=list(member.covers),
                        reasons=[r for r in public_reasons(member.reasons) if not is_identity_reason(r)],
                        offered_on=offered_on.get(member.mentor.id) or day,
                    )
                )
        declined = declined[-(MAX_TEAM_RECORDS - len(kept) - len(offered)) :] if declined else []
        phase = "matched" if kept or offered else "no-match"
        log.info(
            "issue #%d: team of %d (%d kept, %d offered)",
            self.issue.number,
            len(kept) + len(offered),
            len(kept),
            len(offered),
        )
        return state.model_copy(
            update={
                "team": [*kept, *offered, *declined],
                "phase": phase,
                "team_size": request.team_size,
                "request_hash": request_hash(request),
            }
        )

    def may_answer(self, login: str, state: BotState) -> bool:
        """LOGIN opened the request, or answers for a mentor offered or accepted on it."""
        return self.speaks_for_mentee(login) or any(self._answers_for(login, p.mentor) for p in state.active)

    def _answers_for(self, login: str, mentor_id: str) -> bool:
        """LOGIN is the mentor, or a maintainer of the mentor's program."""
        mentor = self.mentors.get(mentor_id)
        if mentor is None:
            return False
        if self._is_own(login, mentor_id):
            return True
        program = self.programs.get(mentor.program)
        return program is not None and any(m.lower() == login.lower() for m in program.maintainers)

    def _is_own(self, login: str, mentor_id: str) -> bool:
        """LOGIN is the mentor's own GitHub account."""
        mentor = self.mentors.get(mentor_id)
        github = mentor.contact.github if mentor is not None and mentor.contact is not None else None
        return bool(github) and str(github).lower() == login.lower()

    def is_author(self, login: str) -> bool:
        """LOGIN speaks for the mentee (the lifecycle commands ask this): the author, or on a
        request filed for a mentee the coordinators of the mentee's program."""
        return self.speaks_for_mentee(login)

    def apply(self, state: BotState, command: Command, request: Request | None) -> Applied:
        login = command.comment.author.login
        name = command.name
        if name in LIFECYCLE_COMMANDS:
            return apply_lifecycle(self, state, command)
        if name in ("rematch", "withdraw"):
            if not self.speaks_for_mentee(login):
                return Applied(state, "author")
            if name == "withdraw":
                log.info("issue #%d: withdrawn (comment %d)", self.issue.number, command.comment.id)
                return Applied(state.model_copy(update={"phase": "withdrawn"}), None)
            if request is None:
                return Applied(state, "nothing")
            return Applied(
                self.rematch(release_for_rematch(self, state, command), request, command.day), None
            )
        wanted = ("offered",) if name == "accept" else ("offered", "accepted")
        mine = [p for p in state.team if self._answers_for(login, p.mentor)]
        if not state.active:
            return Applied(state, "nothing")
        if not mine:
            return Applied(state, "mentor")
        if command.argument:
            mine = [p for p in mine if p.mentor == command.argument]
        candidates = [p for p in mine if p.status in wanted]
        if not candidates:
            return Applied(state, None if mine else "mentor")  # already answered: nothing to do
        own = [p for p in candidates if self._is_own(login, p.mentor)]
        if len(candidates) > 1:
            if len(own) != 1:
                return Applied(state, "ambiguous")
            candidates = own
        place = candidates[0]
        log.info("issue #%d: %s %s (comment %d)", self.issue.number, place.mentor, name, command.comment.id)
        if name == "accept":
            new = state.set_status(place.mentor, "accepted", answered_on=command.day, health="too-early")
            return Applied(new.model_copy(update={"phase": "matched"}), None)
        new = state.set_status(place.mentor, "declined", answered_on=command.day)
        return Applied(self.rematch(new, request, command.day) if request is not None else new, None)

    def offer(self, before: BotState, after: BotState) -> Draft | None:
        """One offer comment for the places AFTER offers that BEFORE did not, if there are any.
        Its marker is derived from the change, so a plan that repeats the change finds it."""
        if after.phase != "matched":
            return None
        known = {p.mentor for p in before.team if p.status != "declined"}
        new = [p for p in after.team if p.status == "offered" and p.mentor not in known]
        if not new:
            return None
        change = json.dumps(
            [
                [[p.mentor, p.status] for p in before.team],
                [p.mentor for p in new],
                after.request_hash,
                max(after.processed, default=after.processed_floor),
            ],
            separators=(",", ":"),
        )
        key = hashlib.sha256(change.encode()).hexdigest()[:16]
        log.info("issue #%d: an offer to %d mentor(s)", self.issue.number, len(new))
        declined = [
            p for p in after.team if p.status == "declined" and before.status_of(p.mentor) != "declined"
        ]
        note = offer_note(self.voice)
        body = render_offer(
            key, new, mentors=self.mentors, programs=self.programs, declined=declined, note=note
        )
        return Draft(offer_marker(key), body)

    def notices(
        self, start: BotState, events: Sequence[tuple[GitHubComment, BotState, BotState]], end: BotState
    ) -> list[Draft]:
        """New comments (each notifies) for what the commands applied in this plan did: one for
        each accepted place (to the mentee: what happens next), one for a withdrawal (to the
        mentors who had accepted), and for a team that became complete (folded into the accept
        that completed it). EVENTS: each applied command's comment id, the state before it and
        after it; START and END: the state before and after the whole plan."""
        drafts: list[tuple[str, Placement | None, list[Placement]]] = []
        when = {comment.id: comment.created_at for comment, _, _ in events}
        for comment, before, after in events:
            comment_id = comment.id
            for member in after.team:
                if member.status == "accepted" and before.status_of(member.mentor) != "accepted":
                    drafts.append((f"accept-{comment_id}", member, []))
            if after.phase == "withdrawn" and before.phase != "withdrawn":
                accepted = [p for p in before.team if p.status == "accepted"]
                if accepted:
                    drafts.append((f"withdraw-{comment_id}", None, accepted))
        complete = _is_complete(end) and not _is_complete(start)
        if complete:
            accepts = [i for i, (key, _, _) in enumerate(drafts) if key.startswith("accept-")]
            if accepts:
                key, accepted_place, _ = drafts[accepts[-1]]
                drafts[accepts[-1]] = (key, accepted_place, end.active)
            else:
                change = json.dumps([end.ids("accepted"), max(end.processed, default=end.processed_floor)])
                key = "complete-" + hashlib.sha256(change.encode()).hexdigest()[:16]
                drafts.append((key, None, end.active))
        mentee = self.voice.login
        out: list[Draft] = []
        for key, place, team in drafts:
            if key.startswith("accept-") and place is not None and self.voice.on_behalf:
                body = render_accept_notice_for(
                    key,
                    place,
                    self.voice,
                    mentors=self.mentors,
                    programs=self.programs,
                    number=self.issue.number,
                    accepted_at=when[int(key.split("-")[1])],
                    complete=team,
                )
            elif key.startswith("accept-") and place is not None:
                body = render_accept_notice(
                    key,
                    place,
                    mentee=mentee,
                    mentors=self.mentors,
                    programs=self.programs,
                    number=self.issue.number,
                    accepted_at=when[int(key.split("-")[1])],
                    complete=team,
                )
            elif key.startswith("withdraw-"):
                body = render_withdraw_notice(key, team, mentors=self.mentors, programs=self.programs)
            elif self.voice.on_behalf:
                body = render_completion_notice_for(key, team, self.voice, mentors=self.mentors)
            else:
                body = render_completion_notice(key, team, mentee=mentee, mentors=self.mentors)
            log.info("issue #%d: a notice (%s)", self.issue.number, key.split("-")[0])
            out.append(Draft(notice_marker(key), body))
        return out

    def main_comment(self, state: BotState, form: FormReading) -> Draft:
        body = render_main_comment(
            state,
            mentors=self.mentors,
            programs=self.programs,
            site_url=self.ctx.site_url,
            area_label={a: self.ctx.vocab.label("areas", a) for p in state.team for a in p.covers},
            problems=form.problems if state.phase == "needs-info" else (),
            not_a_form=form.not_a_form,
            identities=form.request.affinities if form.request is not None else (),
            stage_label=(
                self.ctx.vocab.label("stages", form.request.stage)
                if form.request is not None and form.request.stage
                else None
            ),
            filed_for=filed_for_lines(self.voice),
            commands_help=commands_help(self.voice, COMMANDS_HELP),
        )
        return Draft(MARKER, body)


# -- planning ---------------------------------------------------------------------------------


def _comment_actions(
    comments: Sequence[GitHubComment], me: str, kind: CommentKind, draft: Draft
) -> list[Action]:
    """Nothing when the bot's comment with the draft's marker says it already; else an edit of
    that comment, or a new one."""
    existing = find_own_comment(comments, draft.marker, me)
    if existing is None:
        return [PostComment(kind, draft.marker, draft.body)]
    if existing.body == draft.body:
        return []
    return [EditComment(kind, existing.id, draft.body)]


def _label_actions(issue: GitHubIssue, state: BotState) -> list[Action]:
    """The state label set and every other state label taken off."""
    wanted = state_label(state, issue.state)
    have = {label.lower(): label for label in issue.labels}
    stale = [
        have[name]
        for name in have
        if (name in STATE_LABELS or name in RETIRED_STATE_LABELS) and name != wanted
    ]
    if wanted in have and not stale:
        return []
    actions: list[Action] = [EnsureLabels((REQUEST_LABEL_SPEC, *STATE_LABELS.values()))]
    actions += [RemoveLabel(label) for label in stale]
    if wanted not in have:
        actions.append(AddLabels((wanted,)))
    return actions


def plan(
    issue: GitHubIssue,
    comments: Sequence[GitHubComment],
    *,
    me: str,
    ctx: Context,
    load: LoadReader,
    clock: Clock | None = None,
) -> Plan:
    """What to write to bring ISSUE up to date, given its COMMENTS (every page, oldest first)
    and ME, the login the bot writes as. LOAD is called only if a team is made. With CLOCK
    (the scheduled run), also what time changed (generator.bot.schedule)."""
    number = issue.number
    if not is_request_issue(issue):
        log.info("issue #%d: skipped (not a request issue now)", number)
        return Plan(number)
    rules = _Rules(ctx, issue, load)
    saved = saved_state(comments, me)
    if saved.comment is not None and saved.problem is not None:
        hold = f"the bot's state in comment {saved.comment.id} cannot be read ({saved.problem})"
        log.warning("issue #%d: %s; nothing is written", number, hold)
        return Plan(number, hold=hold)
    state = saved.state or BotState()
    form = rules.read_request()
    if state.phase != "withdrawn":
        if form.request is None:
            state = state.model_copy(update={"phase": "needs-info", "request_hash": None})
            log.info("issue #%d: the request needs a change (%d problem(s))", number, len(form.problems))
        elif state.request_hash == legacy_request_hash(form.request):  # a version 1 state, taken over
            state = state.model_copy(update={"request_hash": request_hash(form.request)})
        elif state.request_hash != request_hash(form.request):
            state = rules.rematch(state, form.request, _day(clock.now if clock else issue.updated_at))

    actions: list[Action] = []
    reactions: list[Action] = []
    events: list[tuple[GitHubComment, BotState, BotState]] = []
    commands: dict[int, Command] = {}
    reopened = issue.state == "open" and issue.state_reason == "reopened"
    if saved.state is not None and saved.state.closed_on and reopened:  # reopened by someone
        state = state.model_copy(
            update={"closed_on": None, "kept_on": _day(clock.now if clock else issue.updated_at)}
        )
    for comment in sorted(comments, key=lambda c: c.id):
        if comment.author.is_bot or comment.author.login.lower() == me.lower() or comment.edited:
            continue
        command = read_command(comment, rules.mentors.keys())
        if command is None:
            # a slash word the bot cannot read (`/acept`), from someone who may answer here: a
            # kind reply with the forms it reads; from anyone else, nothing
            if (
                slash_word(comment) is not None
                and state.phase != "withdrawn"
                and not state.is_processed(comment.id)
                and rules.may_answer(comment.author.login, state)
            ):
                reply = Draft(reply_marker(comment.id), render_reply(comment.id, "unreadable", ""))
                actions += _comment_actions(comments, me, "reply", reply)
            continue
        if state.is_processed(comment.id):
            continue
        if state.phase == "withdrawn":
            state = state.mark_processed(comment.id)
            continue
        before = state
        state, refusal = rules.apply(state, command, form.request)
        state = state.mark_processed(comment.id)
        if refusal is None:
            events.append((comment, before, state))
            commands[comment.id] = command
            if command.name == "thanks":
                reactions.append(React(comment.id, "heart"))
            elif command.name != "decline":  # a thumbs-up on "sorry, I can't" reads wrong
                reactions.append(React(comment.id))
        else:
            reply = Draft(reply_marker(comment.id), render_reply(comment.id, refusal, "/" + command.name))
            actions += _comment_actions(comments, me, "reply", reply)
    # notices before the main comment, like offers: found again by their markers if a later
    # write fails, and planned from the commands the main comment has not recorded yet
    drafts = rules.notices(saved.state or BotState(), events, state)
    drafts += lifecycle_notices(rules, [(c, b, a, commands[c.id]) for c, b, a in events], state)
    if clock is not None and state.phase != "withdrawn":
        state, scheduled = advance(rules, issue, state, form.request, clock.now)
        drafts += scheduled
    for notice in drafts:
        actions += _comment_actions(comments, me, "notice", notice)
    if saved.comment is not None:
        # mentions an edit adds to the main comment notify nobody: new offers get a comment of
        # their own, before the main comment (a plan made after a failure in between finds it
        # by its marker; once the main comment holds the offers, none are new)
        offer = rules.offer(saved.state or BotState(), state)
        if offer is not None:
            actions += _comment_actions(comments, me, "offer", offer)
    # reactions before the main comment: if a write fails before the main comment records
    # the commands, the next plan applies them again and reacts again (harmless: GitHub keeps
    # one reaction of a kind per user); after it, nothing would plan a reaction that failed
    actions += reactions
    actions += _comment_actions(comments, me, "main", rules.main_comment(state, form))
    actions += _label_actions(issue, state)
    # a withdrawn request stays withdrawn: reopened, it is closed (and locked) again
    if state.phase == "withdrawn" and issue.state == "open":
        actions.append(CloseIssue("not_planned"))
    if state.phase == "withdrawn" and not issue.locked:
        actions.append(LockIssue("resolved"))
    # closed by the bot: after a silence, or once every pair ended (a failed close is made again)
    if state.phase != "withdrawn" and state.closed_on and issue.state == "open":
        actions.append(CloseIssue("completed" if state.ended else "not_planned"))
    return Plan(number, tuple(actions))
