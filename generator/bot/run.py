"""The request bot: one GitHub Actions event in, the issue brought up to date.

`run_bot` reads the event payload only to decide whether to act and which issue; everything
else comes from the API as it is now (a concurrency group keeps one pending run per issue,
so intermediate events may be dropped): the issue, its comments, and the bot's own state
comment (generator.bot.state). From those it works out the new state — the request read again,
a team made or kept, every new command comment applied in order — then writes only what
differs: refusals (each once, found again by a hidden marker), an offer comment mentioning
mentors offered a place after the main comment exists (an edit's mentions notify nobody; its
marker is derived from the change, so a re-run finds it), the one main comment, the state
label, and for a withdrawal the close and the lock (again if the issue is reopened: a
withdrawn request stays withdrawn). A second run of the same event writes nothing.

Logs name issue numbers, comment ids, mentor ids and counts, never the issue's text or the
request's answers (logs of public repositories are public).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.bot.comments import (
    offer_marker,
    public_reasons,
    render_main_comment,
    render_offer,
    render_reply,
    reply_marker,
)
from generator.bot.github import GitHubClient, GitHubComment, GitHubIssue, LabelSpec
from generator.bot.state import MARKER, BotState, Placement, StateError, load_state, request_hash
from generator.content.models import Request
from generator.content.validation import ValidationResult
from generator.requests.issue_form import REQUEST_LABEL
from generator.requests.issue_parser import (
    IssueFormError,
    IssueProblem,
    NotARequestForm,
    parse_issue_body,
    unknown_mentor_problems,
)

log = logging.getLogger(__name__)

ISSUE_ACTIONS = frozenset({"opened", "edited", "reopened", "labeled"})
COMMAND = re.compile(r"^/(accept|decline|rematch|withdraw)(?:\s+([a-z0-9]+(?:-[a-z0-9]+)*))?\s*$")
MAX_TEAM_RECORDS = 40

STATE_LABELS: dict[str, LabelSpec] = {
    "needs-info": LabelSpec("needs-info", "d93f0b", "The request form needs a change"),
    "matched": LabelSpec("matched", "0e8a16", "A mentor team was suggested"),
    "accepted": LabelSpec("accepted", "1d76db", "Every suggested mentor accepted"),
    "no-match": LabelSpec("no-match", "fbca04", "No mentor could be suggested yet"),
    "withdrawn": LabelSpec("withdrawn", "cccccc", "Withdrawn by the person who asked"),
}
REQUEST_LABEL_SPEC = LabelSpec(REQUEST_LABEL, "5319e7", "A mentee's request for a mentor team")


class EventError(ValueError):
    """The event payload is not what Actions writes."""


@dataclass(frozen=True)
class Target:
    """The issue an event is about, or why it is skipped."""

    number: int | None
    skip: str | None = None


def triage(event_name: str, payload: Mapping[str, Any]) -> Target:
    """Which issue to bring up to date, from the payload alone (no API call)."""
    issue = payload.get("issue")
    sender = payload.get("sender")
    if not isinstance(issue, Mapping) or not isinstance(issue.get("number"), int):
        raise EventError("the event has no issue number")
    number = int(issue["number"])
    action = payload.get("action")
    if event_name not in ("issues", "issue_comment"):
        return Target(None, f"event {event_name!r} is not handled")
    if isinstance(sender, Mapping) and (
        sender.get("type") == "Bot" or str(sender.get("login", "")).endswith("[bot]")
    ):
        return Target(None, "sent by a bot")
    if issue.get("pull_request"):
        return Target(None, "a pull request")
    labels = {str(lb.get("name", "")).lower() for lb in issue.get("labels") or () if isinstance(lb, Mapping)}
    if REQUEST_LABEL not in labels:
        return Target(None, f"no {REQUEST_LABEL!r} label")
    if event_name == "issues":
        if action not in ISSUE_ACTIONS:
            return Target(None, f"issues.{action} is not handled")
        label = payload.get("label")
        if action == "labeled" and (
            not isinstance(label, Mapping) or str(label.get("name", "")).lower() != REQUEST_LABEL
        ):
            return Target(None, "another label was added")
    else:
        if action != "created":
            return Target(None, f"issue_comment.{action} is not handled")
        comment = payload.get("comment")
        user = comment.get("user") if isinstance(comment, Mapping) else None
        if isinstance(user, Mapping) and (
            user.get("type") == "Bot" or str(user.get("login", "")).endswith("[bot]")
        ):
            return Target(None, "a comment by a bot")
    return Target(number)


@dataclass
class Context:
    """What a run needs besides the event."""

    gh: GitHubClient
    network: ValidationResult
    site_url: str
    repository_url: str
    index_factory: Any  # (excluded ids) -> MentorIndex
    vocab: Any


@dataclass
class Outcome:
    """What a run did (for the log and the tests)."""

    issue: int
    written: list[str] = field(default_factory=list)


@dataclass
class _Command:
    comment: GitHubComment
    name: str
    argument: str | None


def read_command(comment: GitHubComment) -> _Command | None:
    first = comment.body.replace("\r\n", "\n").split("\n", 1)[0].strip()
    match = COMMAND.match(first.lower()) if len(first) <= 120 else None
    if match is None:
        return None
    return _Command(comment, match.group(1), match.group(2))


class Bot:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.gh = ctx.gh
        self.mentors = ctx.network.mentors
        self.programs = ctx.network.programs
        self._load: dict[str, int] | None = None

    # -- reading ------------------------------------------------------------------------------

    def _read_request(self, issue: GitHubIssue) -> tuple[Request | None, list[IssueProblem], bool]:
        """The request, or its problems; the flag: the body did not come from the form at all."""
        try:
            request = parse_issue_body(
                issue.body, repository_url=self.ctx.repository_url, vocab=self.ctx.vocab
            )
        except IssueFormError as exc:
            return None, exc.problems, isinstance(exc, NotARequestForm)
        problems = unknown_mentor_problems(request.mentors, self.mentors.keys(), vocab=self.ctx.vocab)
        return (None, problems, False) if problems else (request, [], False)

    def _state_of(
        self, comments: list[GitHubComment], me: str
    ) -> tuple[GitHubComment | None, BotState | None]:
        for comment in comments:
            if comment.author.login.lower() == me.lower() and MARKER in comment.body:
                try:
                    return comment, load_state(comment.body)
                except StateError as exc:
                    log.warning(
                        "comment %d: the bot's state was refused (%s); starting afresh", comment.id, exc
                    )
                    return comment, None
        return None, None

    def load(self, current: int) -> dict[str, int]:
        """Mentees per mentor: the places recorded as accepted on every other request issue."""
        if self._load is None:
            counts: dict[str, int] = {}
            me = self.gh.own_login()
            for issue in self.gh.list_issues(labels=[REQUEST_LABEL], state="all"):
                if issue.number == current:
                    continue
                _, state = self._state_of(self.gh.list_comments(issue.number), me)
                for mentor_id in state.accepted_places() if state else ():
                    counts[mentor_id] = counts.get(mentor_id, 0) + 1
            log.info("load: %d accepted place(s) on other requests", sum(counts.values()))
            self._load = counts
        return self._load

    # -- matching -----------------------------------------------------------------------------

    def rematch(self, state: BotState, request: Request, number: int) -> BotState:
        """A new team: accepted places kept, declined mentors left out, the rest re-offered."""
        from generator.matching.team import match_team

        kept = [p for p in state.team if p.status == "accepted"]
        declined = [p for p in state.team if p.status == "declined"]
        excluded = {p.mentor for p in kept} | {p.mentor for p in declined}
        slots = max(request.team_size - len(kept), 0)
        offered: list[Placement] = []
        if slots:
            team = match_team(request, self.ctx.index_factory(excluded), self.load(number), self.ctx.vocab)
            for member in team.members[:slots]:
                offered.append(
                    Placement(
                        mentor=member.mentor.id,
                        covers=list(member.covers),
                        reasons=public_reasons(member.reasons),
                    )
                )
        declined = declined[-(MAX_TEAM_RECORDS - len(kept) - len(offered)) :] if declined else []
        phase = "matched" if kept or offered else "no-match"
        log.info(
            "issue #%d: team of %d (%d kept, %d offered)",
            number,
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

    # -- commands -----------------------------------------------------------------------------

    def _answers_for(self, login: str, mentor_id: str) -> bool:
        mentor = self.mentors.get(mentor_id)
        if mentor is None:
            return False
        github = mentor.contact.github if mentor.contact is not None else None
        if github and github.lower() == login.lower():
            return True
        program = self.programs.get(mentor.program)
        return program is not None and any(m.lower() == login.lower() for m in program.maintainers)

    def apply(
        self, state: BotState, command: _Command, issue: GitHubIssue, request: Request | None
    ) -> tuple[BotState, str | None]:
        """The state after COMMAND, and the refusal to post (None when applied)."""
        login = command.comment.author.login
        name = command.name
        if name in ("rematch", "withdraw"):
            if login.lower() != issue.author.login.lower():
                return state, "author"
            if name == "withdraw":
                log.info("issue #%d: withdrawn (comment %d)", issue.number, command.comment.id)
                return state.model_copy(update={"phase": "withdrawn"}), None
            if request is None:
                return state, "nothing"
            return self.rematch(state, request, issue.number), None
        wanted = ("offered",) if name == "accept" else ("offered", "accepted")
        mine = [p for p in state.team if self._answers_for(login, p.mentor)]
        if not state.active:
            return state, "nothing"
        if not mine:
            return state, "mentor"
        if command.argument:
            mine = [p for p in mine if p.mentor == command.argument]
        candidates = [p for p in mine if p.status in wanted]
        if not candidates:
            return state, None if mine else "mentor"  # already answered: nothing to do
        own = [p for p in candidates if self._is_own(login, p.mentor)]
        if len(candidates) > 1:
            if len(own) != 1:
                return state, "ambiguous"
            candidates = own
        place = candidates[0]
        log.info("issue #%d: %s %s (comment %d)", issue.number, place.mentor, name, command.comment.id)
        if name == "accept":
            new = state.set_status(place.mentor, "accepted")
            return new.model_copy(update={"phase": "matched"}), None
        new = state.set_status(place.mentor, "declined")
        if request is not None:
            new = self.rematch(new, request, issue.number)
        return new, None

    def _is_own(self, login: str, mentor_id: str) -> bool:
        mentor = self.mentors.get(mentor_id)
        github = mentor.contact.github if mentor is not None and mentor.contact is not None else None
        return bool(github) and str(github).lower() == login.lower()

    # -- the run ------------------------------------------------------------------------------

    def run(self, number: int) -> Outcome:
        gh = self.gh
        outcome = Outcome(number)
        issue = gh.get_issue(number)
        if issue.is_pull_request or not issue.has_label(REQUEST_LABEL):
            log.info("issue #%d: skipped (not a request issue now)", number)
            return outcome
        me = gh.own_login()
        comments = gh.list_comments(number)
        main_before, saved = self._state_of(comments, me)
        state = saved or BotState()
        request, problems, not_a_form = self._read_request(issue)
        if state.phase != "withdrawn":
            if request is None:
                state = state.model_copy(update={"phase": "needs-info", "request_hash": None})
                log.info("issue #%d: the request needs a change (%d problem(s))", number, len(problems))
            elif state.request_hash != request_hash(request):
                state = self.rematch(state, request, number)
        refusals: list[tuple[int, str, str]] = []
        reactions: list[int] = []
        for comment in sorted(comments, key=lambda c: c.id):
            if comment.author.is_bot or comment.author.login.lower() == me.lower() or comment.edited:
                continue
            command = read_command(comment)
            if command is None or state.is_processed(comment.id):
                continue
            if state.phase == "withdrawn":
                state = state.mark_processed(comment.id)
                continue
            state, refusal = self.apply(state, command, issue, request)
            state = state.mark_processed(comment.id)
            if refusal is None:
                reactions.append(comment.id)
            else:
                refusals.append((comment.id, refusal, "/" + command.name))
        for comment_id, kind, command_text in refusals:
            _, result = gh.upsert_comment(
                number, reply_marker(comment_id), render_reply(comment_id, kind, command_text)
            )
            if result != "unchanged":
                outcome.written.append(f"reply {comment_id} {result}")
        if main_before is not None:
            # mentions an edit adds to the main comment notify nobody: announce new offers in a
            # comment of their own, before the main comment (a re-run after a failure in between
            # finds it by its marker; once the main comment holds the offers, none are new)
            self._announce_offers(number, saved or BotState(), state, outcome)
        body = render_main_comment(
            state,
            mentors=self.mentors,
            programs=self.programs,
            site_url=self.ctx.site_url,
            area_label={a: self.ctx.vocab.label("areas", a) for p in state.team for a in p.covers},
            problems=problems if state.phase == "needs-info" else (),
            not_a_form=not_a_form,
        )
        main, result = gh.upsert_comment(number, MARKER, body)
        if result != "unchanged":
            outcome.written.append(f"comment {result}")
        log.info("issue #%d: bot comment %d %s", number, main.id, result)
        for comment_id in reactions:
            gh.add_reaction(comment_id, "+1")
        self._labels(issue, state, outcome)
        # a withdrawn request stays withdrawn: reopened, it is closed (and locked) again
        if state.phase == "withdrawn" and issue.state == "open":
            gh.close_issue(number, "not_planned")
            outcome.written.append("closed")
        if state.phase == "withdrawn" and not issue.locked:
            gh.lock_issue(number, "resolved")
            outcome.written.append("locked")
        return outcome

    def _announce_offers(self, number: int, before: BotState, after: BotState, outcome: Outcome) -> None:
        """Post one offer comment for the places AFTER offers that BEFORE did not."""
        if after.phase != "matched":
            return
        known = {p.mentor for p in before.team if p.status != "declined"}
        new = [p for p in after.team if p.status == "offered" and p.mentor not in known]
        if not new:
            return
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
        body = render_offer(key, new, mentors=self.mentors, programs=self.programs)
        comment, result = self.gh.upsert_comment(number, offer_marker(key), body)
        log.info("issue #%d: offer comment %d %s (%d mentor(s))", number, comment.id, result, len(new))
        if result != "unchanged":
            outcome.written.append(f"offer {result}")

    def _labels(self, issue: GitHubIssue, state: BotState, outcome: Outcome) -> None:
        phase: str = state.phase
        if phase == "matched" and state.active and all(p.status == "accepted" for p in state.active):
            phase = "accepted"
        wanted = STATE_LABELS[phase].name
        have = {label.lower(): label for label in issue.labels}
        stale = [have[name] for name in have if name in STATE_LABELS and name != wanted]
        if wanted in have and not stale:
            return
        self.gh.ensure_labels([REQUEST_LABEL_SPEC, *STATE_LABELS.values()])
        for label in stale:
            self.gh.remove_label(issue.number, label)
        if wanted not in have:
            self.gh.add_labels(issue.number, [wanted])
        outcome.written.append(f"label {wanted}")


def make_context(gh: GitHubClient, content: Path, site_url: str, repository_url: str) -> Context:
    """Load and validate the network once; raises ContentError."""
    from generator.content.validation import load_network
    from generator.content.vocabulary import vocabulary
    from generator.matching.config import matching_config
    from generator.matching.mentor_index import MentorIndex
    from generator.matching.scoring import mentor_profiles

    config = matching_config()
    vocab = vocabulary()
    network = load_network(content, vocab)
    profiles = mentor_profiles(network.mentors.values(), config)

    def index_factory(excluded: set[str]) -> MentorIndex:
        return MentorIndex([p for p in profiles if p.id not in excluded], config)

    return Context(gh, network, site_url, repository_url, index_factory, vocab)
