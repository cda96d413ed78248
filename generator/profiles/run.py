"""The profile bot: one issue event in; the issue's one comment, and at most one pull request,
brought up to date.

:func:`triage` reads the event payload only to decide whether to act and on which issue;
:func:`run_profile_issue` reads the issue as it is now (an edit is seen by the next run),
parses the form (:mod:`generator.profiles.parser`), decides who may do what
(:func:`permission`), checks the file with the validator (:mod:`generator.profiles.records`)
and, when it is valid, writes it on the branch of that mentor or program and opens the pull
request, or updates the open one (:mod:`generator.profiles.github`). Running it twice on the
same issue writes nothing the second time.

Who may do what (the issue's author is the submitter: only they and the repository's
collaborators can edit the issue):

* "Add a mentor": a maintainer of that program (its ``maintainers``);
* "Update my profile": the mentor (``contact.github``) or a maintainer of the mentor's program;
* "Add a program": anyone; the pull request is reviewed by the network's core maintainers
  through CODEOWNERS, as every file outside a program's own is.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.bot.github import GitHubIssue
from generator.content.codeowners import render_codeowners
from generator.content.models import Program, validation_context
from generator.content.validation import ValidationResult, validate_content
from generator.content.vocabulary import Vocabulary, vocabulary
from generator.profiles.comments import (
    MARKER,
    linked_issues,
    render_done,
    render_not_one_form,
    render_problems,
    render_pull_body,
    render_refusal,
)
from generator.profiles.forms import FORM_LABELS, FormName, form_fields
from generator.profiles.github import ProfileGitHub
from generator.profiles.parser import Submission, parse_profile_body
from generator.profiles.records import FormProblem, Proposal, prepare

log = logging.getLogger(__name__)

ISSUE_ACTIONS = frozenset({"opened", "edited", "reopened", "labeled"})
_LABEL_FORMS: dict[str, FormName] = {label: form for form, label in FORM_LABELS.items()}


class EventError(ValueError):
    """The event payload is not what Actions writes."""


@dataclass(frozen=True)
class Target:
    number: int | None
    skip: str | None = None


def _labels(issue: Mapping[str, Any]) -> set[str]:
    return {str(lb.get("name", "")).lower() for lb in issue.get("labels") or () if isinstance(lb, Mapping)}


def triage(event_name: str, payload: Mapping[str, Any]) -> Target:
    """Which issue to bring up to date, from the payload alone."""
    issue = payload.get("issue")
    if not isinstance(issue, Mapping) or not isinstance(issue.get("number"), int):
        raise EventError("the event has no issue number")
    if event_name != "issues":
        return Target(None, f"event {event_name!r} is not handled")
    if payload.get("action") not in ISSUE_ACTIONS:
        return Target(None, f"issues.{payload.get('action')} is not handled")
    sender = payload.get("sender")
    if isinstance(sender, Mapping) and (
        sender.get("type") == "Bot" or str(sender.get("login", "")).endswith("[bot]")
    ):
        return Target(None, "sent by a bot")
    if issue.get("pull_request"):
        return Target(None, "a pull request")
    if not _labels(issue) & set(_LABEL_FORMS):
        return Target(None, "not a profile form")
    return Target(int(issue["number"]))


@dataclass
class ProfileContext:
    """The repository's content as the default branch has it, read once per run."""

    content: Path
    network: ValidationResult
    vocab: Vocabulary
    content_prefix: str = "content"
    codeowners_path: str = ".github/CODEOWNERS"


def make_context(content: Path, content_prefix: str | None = None) -> ProfileContext:
    vocab = vocabulary()
    prefix = content_prefix if content_prefix is not None else content.as_posix().strip("/")
    return ProfileContext(content, validate_content(content, vocab=vocab), vocab, prefix or "content")


@dataclass
class Outcome:
    issue: int
    written: list[str] = field(default_factory=list)
    pull: int | None = None


def _same(a: str, b: str | None) -> bool:
    return b is not None and a.casefold() == b.casefold()


def permission(form: FormName, submitter: str, sub: Submission, network: ValidationResult) -> str | None:
    """Why SUBMITTER may not make this change (the bot's own words), or ``None`` when they may
    (or when the form does not yet say which program or mentor: its problems come first)."""
    if form == "add-program":
        return None
    if form == "add-mentor":
        program = network.programs.get(str(sub.data.get("program", "")))
        if program is None:
            return None
        if any(_same(submitter, m) for m in program.maintainers):
            return None
        return (
            f"Only the maintainers of the program `{program.id}` (listed in its program file) can "
            "add mentors to it, and this account is not one of them."
        )
    mentor = network.mentors.get(str(sub.data.get("id", "")))
    if mentor is None:
        return None
    own = mentor.contact.github if mentor.contact is not None else None
    program = network.programs.get(mentor.program)
    maintainers = program.maintainers if program is not None else []
    if _same(submitter, own) or any(_same(submitter, m) for m in maintainers):
        return None
    return (
        f"A profile can be updated by the mentor themself (the GitHub user name in it) or by a "
        f"maintainer of the program `{mentor.program}`, and this account is neither."
    )


def branch_name(proposal: Proposal) -> str:
    kind = "program" if proposal.form == "add-program" else "mentor"
    return f"profiles/{kind}/{proposal.record_id}"


def _codeowners(ctx: ProfileContext, proposal: Proposal) -> str | None:
    """CODEOWNERS with the new program, or ``None`` when the network file is not valid."""
    if ctx.network.network is None:
        return None
    import yaml

    data = yaml.safe_load(proposal.text)
    program = Program.model_validate(data, context=validation_context(ctx.vocab))
    programs = {**ctx.network.programs, program.id: program}
    return render_codeowners(ctx.network.network, programs, content_prefix=ctx.content_prefix)


def _form_of(issue: GitHubIssue) -> tuple[FormName | None, bool]:
    """The issue's form, and whether it carries the labels of more than one."""
    forms = {_LABEL_FORMS[label.lower()] for label in issue.labels if label.lower() in _LABEL_FORMS}
    if len(forms) == 1:
        return next(iter(forms)), False
    return None, len(forms) > 1


def _comment(gh: ProfileGitHub, outcome: Outcome, body: str) -> None:
    comment, result = gh.upsert_comment(outcome.issue, MARKER, body)
    log.info("issue #%d: profile comment %d %s", outcome.issue, comment.id, result)
    if result != "unchanged":
        outcome.written.append(f"comment {result}")


def _propose(
    gh: ProfileGitHub, ctx: ProfileContext, issue: GitHubIssue, proposal: Proposal, outcome: Outcome
) -> tuple[int, str]:
    """Write the file(s) on the branch and open or update the pull request."""
    branch = branch_name(proposal)
    base = gh.default_branch()
    base_sha = gh.branch_sha(base)
    if base_sha is None:
        raise RuntimeError(f"the default branch {base} has no commit")
    existing = gh.open_pull(branch)
    head = gh.branch_sha(branch)
    if head is None:
        gh.create_branch(branch, base_sha)
        outcome.written.append("branch created")
    elif existing is None:
        gh.reset_branch(branch, base_sha)  # a branch left from a closed pull request
        outcome.written.append("branch reset")
    files = [(proposal.path, proposal.text)]
    extra: list[str] = []
    if proposal.form == "add-program":
        owners = _codeowners(ctx, proposal)
        if owners is not None:
            files.append((ctx.codeowners_path, owners))
            extra.append(ctx.codeowners_path)
    noun = "program" if proposal.form == "add-program" else "mentor"
    verb = "Add" if proposal.kind == "add" else "Update"
    for path, text in files:
        what = (
            "Regenerate CODEOWNERS" if path == ctx.codeowners_path else f"{verb} {noun} {proposal.record_id}"
        )
        if gh.write_file(path, text, f"{what} (from issue #{issue.number})", branch):
            outcome.written.append(f"wrote {path}")
    issues = sorted(
        {
            *(linked_issues(existing.body) if existing and _same(existing.author, gh.own_login()) else []),
            issue.number,
        }
    )
    title = f"{verb} {noun} {proposal.record_id}" + (f" ({proposal.program_id})" if noun == "mentor" else "")
    body = render_pull_body(proposal, issues, issue.author.login, extra)
    if existing is None:
        pull = gh.create_pull(title=title, head=branch, base=base, body=body)
        outcome.written.append(f"pull request #{pull.number} opened")
        return pull.number, pull.html_url
    if existing.title != title or existing.body != body:
        gh.update_pull(existing.number, title=title, body=body)
        outcome.written.append(f"pull request #{existing.number} updated")
    return existing.number, existing.html_url


def _form_problems(sub: Submission, vocab: Vocabulary) -> list[FormProblem]:
    """The parser's problems, each said against its question."""
    labels = {f.id: f.label for f in form_fields(sub.form, vocab)}
    out = []
    for p in sub.problems:
        label = labels.get(p.field or "")
        message = p.message
        if label is not None and message.startswith(f"'{label}': "):
            message = message[len(label) + 4 :]
        out.append(FormProblem(label, message, p.code))
    return out


def run_profile_issue(
    gh: ProfileGitHub, ctx: ProfileContext, number: int, *, today: dt.date | None = None
) -> Outcome:
    """Bring profile issue NUMBER up to date. Raises GitHubError (the writes before it stand;
    the next run makes the rest)."""
    outcome = Outcome(number)
    issue = gh.get_issue(number)
    if issue.is_pull_request or issue.state != "open":
        log.info("issue #%d: skipped (not an open issue)", number)
        return outcome
    form, several = _form_of(issue)
    if several:
        _comment(gh, outcome, render_not_one_form())
        return outcome
    if form is None:
        log.info("issue #%d: skipped (not a profile form now)", number)
        return outcome
    sub = parse_profile_body(form, issue.body, ctx.vocab)
    submitter = issue.author.login
    refusal = permission(form, submitter, sub, ctx.network)
    if refusal is not None:
        log.info("issue #%d: refused (%s by a user who may not)", number, form)
        _comment(gh, outcome, render_refusal(form, submitter, refusal))
        return outcome
    problems = _form_problems(sub, ctx.vocab)
    proposal: Proposal | None = None
    if not problems:
        day = today or issue.updated_at.date()
        proposal, problems = prepare(
            sub, ctx.content, ctx.network, today=day, content_prefix=ctx.content_prefix, vocab=ctx.vocab
        )
    if proposal is None:
        log.info("issue #%d: %d problem(s)", number, len(problems))
        _comment(gh, outcome, render_problems(form, problems))
        return outcome
    pull_number, pull_url = _propose(gh, ctx, issue, proposal, outcome)
    outcome.pull = pull_number
    _comment(gh, outcome, render_done(proposal, pull_number, pull_url))
    return outcome
