"""What the profile bot writes: its one comment on a profile issue, and the pull request's body.

The same rules as the request bot's comments (:mod:`generator.bot.comments`): the first line
is a hidden marker the bot looks for only in its own comments; every piece of text that is
not the bot's own (an answer quoted in a problem, a name) goes through :func:`inert` — one
line, invisible characters shown, a word joiner inside every ``<!``, ``--``, ``@`` and
``mentormemed-bot`` (no HTML comment, so no forged marker; no @-mention), and every Markdown
character backslash-escaped (no link, heading, table, code fence or HTML). Logins are shown
in code spans, never as @-mentions: the bot pings nobody.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.bot.comments import neutralise
from generator.profiles.forms import FORM_TITLES, FormName
from generator.profiles.records import FormProblem, Proposal

#: The first line of the bot's comment on a profile issue.
MARKER = "<!-- mentormemed-profile-bot:v1 -->"
#: The first line of the body of a pull request the bot opened.
PR_MARKER = "<!-- mentormemed-profile-pr:v1 -->"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~@:&$=^-])")
#: The longest quoted message, in characters.
MAX_MESSAGE_CHARS = 500
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")


def inert(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Text that is not the bot's own, as literal, inert Markdown on one line."""
    return _MD_SPECIAL.sub(r"\\\1", neutralise(text, limit))


def login_span(login: str) -> str:
    """A GitHub login shown without mentioning (pinging) its owner."""
    return f"`{login}`" if _LOGIN.fullmatch(login) else "`(unknown user)`"


def _problem_line(problem: FormProblem) -> str:
    where = f"**{inert(problem.question, 120)}**: " if problem.question else ""
    return f"- {where}{inert(problem.message)}"


def render_problems(form: FormName, problems: Sequence[FormProblem]) -> str:
    lines = [
        MARKER,
        f"### {FORM_TITLES[form]}: a few answers need fixing",
        "",
        "Thank you! Before this can become a pull request, please fix these answers (each names "
        "the question of the form it is about):",
        "",
        *(_problem_line(p) for p in problems),
        "",
        "To fix them, edit this issue (the **⋯** menu at the top of it, then **Edit**), change "
        "the answers under those questions and save. I check again after every edit and update "
        "this comment.",
    ]
    return "\n".join(lines)


def render_refusal(form: FormName, submitter: str, reason: str) -> str:
    """A polite refusal; REASON is the bot's own text (ids only, no text of the issue)."""
    return "\n".join(
        [
            MARKER,
            f"### {FORM_TITLES[form]}: not from this account",
            "",
            f"Thank you for your help, {login_span(submitter)}. {reason}",
            "",
            "Nothing was changed and no pull request was opened. If you think this is a mistake, "
            "ask one of the program's maintainers (listed in its program file) or the network's core "
            "maintainers (listed in `content/network.yml`).",
        ]
    )


def render_not_one_form() -> str:
    return "\n".join(
        [
            MARKER,
            "### Which form is this?",
            "",
            "This issue carries the labels of more than one profile form, so I cannot tell which "
            "form it is. Please open a new issue from one form.",
        ]
    )


def render_done(proposal: Proposal, pull_number: int, pull_url: str) -> str:
    change = "adds" if proposal.kind == "add" else "changes"
    extra = (
        " It also updates `.github/CODEOWNERS`, so the program's maintainers will review "
        "changes to its mentors."
        if proposal.form == "add-program"
        else ""
    )
    reviewer = (
        "one of the network's core maintainers"
        if proposal.form == "add-program"
        else "a maintainer of the program"
    )
    return "\n".join(
        [
            MARKER,
            f"### {FORM_TITLES[proposal.form]}: pull request #{pull_number}",
            "",
            f"Thank you! Every answer is valid. Pull request [#{pull_number}]({pull_url}) {change} "
            f"`{proposal.path}`.{extra} It was checked with `mentormemed validate` before it was "
            f"opened; {reviewer} reviews it, and once it is merged the directory shows the change.",
            "",
            "To change an answer, edit this issue: I update the same pull request.",
        ]
    )


def _issue_lines(issues: Sequence[int]) -> list[str]:
    return [f"Closes #{n}" for n in issues]


def render_pull_body(
    proposal: Proposal, issues: Sequence[int], submitter: str, extra_files: Sequence[str]
) -> str:
    """The pull request's body: the issues it closes, what it changes, and how it was checked."""
    files = [proposal.path, *extra_files]
    what = "Adds" if proposal.kind == "add" else "Updates"
    noun = "program" if proposal.form == "add-program" else "mentor"
    lines = [
        PR_MARKER,
        f"{what} the {noun} `{proposal.record_id}`"
        + (f" of the program `{proposal.program_id}`" if noun == "mentor" else "")
        + f', from the form "{FORM_TITLES[proposal.form]}" submitted by {login_span(submitter)}.',
        "",
        *_issue_lines(issues),
        "",
        "Files:",
        *(f"- `{path}`" for path in files),
        "",
        "**Checked before opening.** The profile bot ran the same validator as the Validate "
        "workflow (`mentormemed validate`, every rule across files included) on this file and "
        "opened the pull request only when it passed"
        + (", and regenerated `.github/CODEOWNERS` from the programs" if extra_files else "")
        + ". GitHub does not start workflows for a pull request opened with a workflow's own "
        "token, so the checks below may not have run: to run them, close and reopen this pull "
        "request (or see docs/profile-bot.md to let the bot use a GitHub App token).",
        "",
        "Reviewers: check the profile reads as the "
        + ("program" if noun == "program" else "mentor")
        + " wants, and that consent was given, before you approve.",
    ]
    return "\n".join(lines)


_CLOSES = re.compile(r"^Closes #(\d{1,9})$", re.MULTILINE)


def linked_issues(body: str) -> list[int]:
    """The issues a pull request body written by :func:`render_pull_body` closes."""
    if body.split("\n", 1)[0].rstrip("\r") != PR_MARKER:
        return []
    return [int(n) for n in _CLOSES.findall(body)]
