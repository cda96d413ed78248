"""The parser's corpus of hostile and malformed issue bodies (tests/cases/issues/), each run
through the bot against the local GitHub: one issue per case in one repository, the bot run on
each `opened` event. The bot is called in-process through the same click entry point as
`mentormemed bot` (CliRunner, with the Actions variables in the environment) to keep the corpus
cheap; tests/test_bot_e2e.py runs the real process.

Each case gets its expected answer: a team and `waiting` for a valid request; `needs-info` and
the corpus's problem messages for a broken one; the not-the-form answer for a foreign body.
And nothing the bot writes carries the hostile text outside code spans: no @-mention of anyone
but the directory's own people, no `${{`, no HTML tag; and no HTML comment but the bot's own
marker line and state block, even inside a code span.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.bot.comments import problem_markdown
from generator.bot.state import MARKER, load_state
from generator.cli import cli
from generator.core.defaults import DEFAULT_REPOSITORY_URL
from generator.requests.issue_form import MAX_BODY_CHARS, REQUEST_LABEL
from generator.requests.issue_parser import IssueFormError, parse_issue_body
from tests.support.bot import PROGRAM
from tests.support.fake_github import FakeGitHub, issues_event, write_event
from tests.support.paths import ROOT

# Every corpus body through the real bot process: the slowest test of the suite.
pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CORPUS = ROOT / "tests" / "cases" / "issues"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())
SITE = "https://example.org/dir"
HOSTILE_TITLE = "$(curl evil) `x` ${{ secrets.GITHUB_TOKEN }} <img src=x> @octocat"
#: Mentors the valid cases ask for by id, besides the base content's ana-example.
EXTRA_MENTORS = {"ben-sample": "ben-gh", "carla-demo": None, "dev-fictional": "dev-gh"}
MENTOR = """id: {id}
name: {id} (test)
program: riverside-som
profession: md
stage: early-faculty
specialties: [emergency-medicine, family-medicine]
areas: [residency-application, wellness, belonging, board-exams, research]
affinities: [first-generation]
languages: [en, es, zu, ln, ht]
meeting: [virtual]
state: NM
timezone: America/Denver
capacity: 20
accepting: true
{contact}bio: A fictional mentor used in tests.
last_confirmed: 2025-09-01
"""
#: Everyone the bot may @-mention: the mentors' GitHub logins and the programs' maintainers.
ALLOWED_MENTIONS = {"mmm-sample-ana-example", "mmm-sample-lakeshore-coord", "riverside-coord"} | {
    login for login in EXTRA_MENTORS.values() if login
}
_OWN_HTML = re.compile(
    r"<!-- mentormemed-bot(?:-[a-z]+)?:v[123] (?:\{.*?\} )?-->|<!-- mentormemed-bot-[a-z]+:[0-9a-f]+ -->"
)


def _expected(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    return data


def without_code_spans(markdown: str) -> str:
    """MARKDOWN with its inline code spans removed (where text is inert)."""
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", markdown)


@pytest.fixture(scope="module")
def corpus_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus-content")
    shutil.copytree(ROOT / "tests" / "cases" / "base", root, dirs_exist_ok=True)
    (root / "programs" / "riverside-som.yml").write_text(PROGRAM)
    folder = root / "mentors" / "riverside-som"
    folder.mkdir()
    for mentor_id, github in EXTRA_MENTORS.items():
        contact = f"contact:\n  github: {github}\n" if github else ""
        (folder / f"{mentor_id}.yml").write_text(MENTOR.format(id=mentor_id, contact=contact))
    return root


def test_the_corpus_has_the_longest_body() -> None:
    sizes = {case.name: len((case / "body.md").read_bytes().decode("utf-8")) for case in CASES}
    assert sizes["body-over-65536-characters"] > MAX_BODY_CHARS == 65_536
    assert max(sizes.values()) > MAX_BODY_CHARS


def test_every_corpus_body_through_the_bot(
    fake_github: FakeGitHub, tmp_path: Path, corpus_content: Path
) -> None:
    repo = fake_github.repo()
    repository_url = f"{fake_github.server_url}/{repo.full_name}"
    runner = CliRunner()
    env = {**fake_github.env(), "MENTORMEMED_RETRY_BACKOFF": "0.05", "MENTORMEMED_SITE_URL": ""}
    failures: list[str] = []
    # valid requests first: each match reads every earlier request issue to count the load
    for case in sorted(CASES, key=lambda c: "request" not in _expected(c)):
        text = (case / "body.md").read_bytes().decode("utf-8")
        expected = _expected(case)
        issue = fake_github.open_issue(repo, title=HOSTILE_TITLE, body=text, labels=[REQUEST_LABEL])
        event = write_event(tmp_path, issues_event(fake_github, repo, issue.number, "opened"))
        args = ["bot", "--event-name", "issues", "--event-path", str(event)]
        args += ["--content", str(corpus_content), "--site-url", SITE]
        result = runner.invoke(cli, args, env=env, catch_exceptions=False)
        assert result.exit_code == 0, (case.name, result.output)
        assert "${{" not in result.output and "curl" not in result.output, case.name

        written = [c.body for c in fake_github.comments(repo, issue.number) if c.user is fake_github.bot]
        (main,) = written  # exactly one comment, whatever the body
        state = load_state(main)
        labels = repo.issues[issue.number].labels
        if "request" in expected:
            if not (
                state and state.phase == "matched" and "waiting" in labels and "Your mentor team" in main
            ):
                failures.append(f"{case.name}: no team ({state.phase if state else None}, {labels})")
        else:
            try:
                parse_issue_body(text, repository_url=repository_url)
            except IssueFormError as exc:
                problems = exc.problems
            else:  # pragma: no cover - the parser's own corpus test says so first
                pytest.fail(f"{case.name}: parsed, but the corpus expects errors")
            messages = [p.message.replace(repository_url, DEFAULT_REPOSITORY_URL) for p in problems]
            if messages != expected["errors"]:
                failures.append(f"{case.name}: problems {messages!r}")
            if "needs-info" not in labels or any(f"- {problem_markdown(p)}" not in main for p in problems):
                failures.append(f"{case.name}: the problems are not in the comment ({labels})")
            foreign = "### This does not look like the mentor request form" in main
            if foreign != bool(expected["not_a_form"]):
                failures.append(
                    f"{case.name}: not-a-form answer {foreign}, expected {expected['not_a_form']}"
                )

        visible = without_code_spans(_OWN_HTML.sub("", main))
        assert main.count(MARKER) == 1, case.name
        # the only HTML comments: the marker line and the state block (the last line)
        lines = main.rstrip("\n").split("\n")
        assert [line for line in lines if "<!--" in line or "-->" in line] == [lines[0], lines[-1]], case.name
        mentioned = set(re.findall(r"(?<![\w`])@([A-Za-z0-9-]+)", visible))
        if not mentioned <= ALLOWED_MENTIONS:
            failures.append(f"{case.name}: mentions {sorted(mentioned - ALLOWED_MENTIONS)}")
        if "${{" in visible or "$(" in visible or re.search(r"<[A-Za-z!/]", visible):
            failures.append(f"{case.name}: hostile text outside a code span")
    assert not failures, "\n".join(failures)
    assert len(repo.issues) == len(CASES)
