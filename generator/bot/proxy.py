"""Who speaks for the mentee on a request issue: the person who asked, or their coordinator.

A mentee without a GitHub account (or who would rather not have one tied to a request) asks
the coordinator of their school's program, who files the request with the same form and ticks
"I am filing this for a mentee of my program" (:class:`generator.requests.issue_form.Filing`).
The issue then carries no mentee name or handle. Only a maintainer of a program of the
directory (``maintainers`` in ``content/programs/<id>.yml``, the people CODEOWNERS already
trusts with its mentors) may file so; anyone else ticking the box gets a polite refusal
(:func:`filing_problems`: the request "needs a change", no team is made).

:func:`mentee_voice` is the one answer every command and every comment of the bot asks:

- :meth:`MenteeVoice.speaks` — may this login give the mentee's commands (`/rematch`,
  `/withdraw`, and every later one: check-in answers, `/thanks`, `/done`)? The issue's author;
  on a request filed for a mentee also the other maintainers of the coordinator's program, so
  a request does not stall while one coordinator is away.
- :attr:`MenteeVoice.login` — whom the bot @-mentions where it would mention the mentee: the
  author in both cases (the coordinator, on a request filed for a mentee).

Nothing here is recorded in the bot's state: the filing is read from the issue body on every
run (an edit that unticks the box makes the author the mentee again), and the request ledger
(``generator.requests.ledger``: ``on_behalf``) reads it the same way with
:func:`generator.requests.issue_parser.parse_request_issue`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.content.models import Program
from generator.requests.issue_form import ON_BEHALF_ID, ON_BEHALF_LABEL, ON_BEHALF_PROGRAM_ID, Filing
from generator.requests.issue_parser import IssueProblem

_BOX = f"'{ON_BEHALF_LABEL}'"


@dataclass(frozen=True)
class MenteeVoice:
    """Who speaks for the mentee on one issue. PROGRAM: the coordinator's program, on a
    request a maintainer filed for a mentee (then ON_BEHALF); None otherwise."""

    login: str
    program: Program | None = None

    @property
    def on_behalf(self) -> bool:
        return self.program is not None

    def speaks(self, login: str) -> bool:
        """LOGIN may give the mentee's commands on this issue."""
        folded = login.lower()
        if folded == self.login.lower():
            return True
        return self.program is not None and any(m.lower() == folded for m in self.program.maintainers)


def maintained(login: str, programs: Mapping[str, Program]) -> list[Program]:
    """The programs LOGIN maintains, by id."""
    folded = login.lower()
    return [p for _, p in sorted(programs.items()) if any(m.lower() == folded for m in p.maintainers)]


def _filing_program(author: str, filing: Filing, programs: Mapping[str, Program]) -> Program | None:
    """The program the author files for, when the filing is allowed; else None."""
    if not filing.on_behalf:
        return None
    mine = maintained(author, programs)
    if filing.program is not None:
        return next((p for p in mine if p.id == filing.program), None)
    return mine[0] if len(mine) == 1 else None


def filing_problems(author: str, filing: Filing, programs: Mapping[str, Program]) -> list[IssueProblem]:
    """Why AUTHOR may not file this request for a mentee as FILING says (none: they may, or it
    is their own request). Each problem is the bot's own text: nothing of the issue is echoed
    but a program id that matched the id pattern (and is quoted inert by the comment)."""
    if not filing.on_behalf or _filing_program(author, filing, programs) is not None:
        return []
    mine = maintained(author, programs)
    where = "Filing for a mentee"
    if not mine:
        return [
            IssueProblem(
                "not-a-maintainer",
                f"'{where}': thank you for helping a mentee ask. Only a coordinator who maintains a "
                "program of this directory (a name in `maintainers` of its file in "
                f"content/programs) can file a request for someone else, so no team was made. If "
                f"this request is for you, untick {_BOX}; if you coordinate a program, ask to be "
                "added to its maintainers first, then edit this issue.",
                ON_BEHALF_ID,
            )
        ]
    ids = ", ".join(p.id for p in mine)
    if filing.program is None:
        return [
            IssueProblem(
                "which-program",
                f"'Your program': you maintain several programs ({ids}). Write the id of the "
                "mentee's program there, so the bot knows whose coordinators speak for the mentee.",
                ON_BEHALF_PROGRAM_ID,
            )
        ]
    what = "not a program you maintain" if filing.program in programs else "not a program of this directory"
    return [
        IssueProblem(
            "not-your-program",
            f"'Your program': {{value}} is {what}. Write the id of one you maintain ({ids}), "
            f"or untick {_BOX} if this request is for you.",
            ON_BEHALF_PROGRAM_ID,
            filing.program,
        )
    ]


def mentee_voice(author: str, filing: Filing | None, programs: Mapping[str, Program]) -> MenteeVoice:
    """Who speaks for the mentee on an issue AUTHOR opened, filed as FILING says (None: the
    filing could not be read, so the author speaks only for themselves)."""
    program = _filing_program(author, filing, programs) if filing is not None else None
    return MenteeVoice(author, program)
