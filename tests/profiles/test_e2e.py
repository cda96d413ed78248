"""The real `mentormemed profile-bot` process against the local GitHub: profile form issues
become one reviewed pull request each (issue 17)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.content.vocabulary import vocabulary
from generator.profiles.comments import MARKER, PR_MARKER
from generator.profiles.forms import FORM_LABELS, FormName, render_issue_body
from tests.support.bot import write_bot_content
from tests.support.fake_github import FakeGitHub, FakeRepo, issues_event, write_event
from tests.support.fake_github.git import changed_files, git_data, pulls, seed_files

pytestmark = [pytest.mark.e2e]

BIN = Path(sys.executable).parent / "mentormemed"
COORD = "riverside-coord"  # maintainer of riverside-som (tests/support/bot.py)


@pytest.fixture
def checkout(tmp_path: Path, fake_github: FakeGitHub) -> Path:
    """A checkout of the repository's default branch (content/ and .github/CODEOWNERS), the
    same files committed on the local GitHub."""
    root = tmp_path / "checkout"
    write_bot_content(
        root / "content", [("ben-test", "Ben Test", "ben-gh", 2), ("dev-test", "Dev Test", None, 1)]
    )
    result = subprocess.run(
        [str(BIN), "codeowners", "--content", "content"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    files = {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
    seed_files(fake_github, fake_github.repo(), files)
    return root


def label(kind: str, term: str) -> str:
    return vocabulary().label(kind, term)


def mentor_answers(**changes: str) -> dict[str, str]:
    answers = {
        "program": "riverside-som",
        "id": "zoe-test",
        "name": "Zoe Test, MD",
        "pronouns": "she/her",
        "profession": label("professions", "md"),
        "stage": label("stages", "early-faculty"),
        "degrees": "MD, MPH",
        "areas": ", ".join([label("areas", "residency-application"), label("areas", "wellness")]),
        "languages": label("languages", "en"),
        "languages-other": "Zulu",
        "meeting": label("meeting", "virtual"),
        "state": label("states", "IL"),
        "timezone": "America/Chicago",
        "capacity": "2",
        "accepting": "Yes",
        "contact-github": "zoe-gh",
        "bio": "I grew up in a small town.\n\nAsk me about *residency*.",
    }
    answers.update(changes)
    return answers


def run(fake: FakeGitHub, checkout: Path, payload: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    path = write_event(checkout.parent, payload)
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")},
        **fake.env(),
        "MENTORMEMED_RETRY_BACKOFF": "0.05",
    }
    result = subprocess.run(
        [
            str(BIN),
            "profile-bot",
            "--event-name",
            "issues",
            "--event-path",
            str(path),
            "--content",
            "content",
        ],
        cwd=checkout,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def submit(
    fake: FakeGitHub, checkout: Path, form: FormName, answers: dict[str, str], author: str = COORD
) -> int:
    repo = fake.repo()
    issue = fake.open_issue(
        repo,
        title="profile",
        body=render_issue_body(form, answers),
        author=author,
        labels=[FORM_LABELS[form]],
    )
    run(fake, checkout, issues_event(fake, repo, issue.number, "opened"))
    return issue.number


def edit(fake: FakeGitHub, checkout: Path, number: int, form: FormName, answers: dict[str, str]) -> None:
    repo = fake.repo()
    fake.edit_issue(repo, number, body=render_issue_body(form, answers))
    run(fake, checkout, issues_event(fake, repo, number, "edited"))


def bot_comments(fake: FakeGitHub, repo: FakeRepo, number: int) -> list[str]:
    return [c.body for c in fake.comments(repo, number) if c.user is fake.bot]


def the_comment(fake: FakeGitHub, number: int) -> str:
    (text,) = bot_comments(fake, fake.repo(), number)
    assert text.startswith(MARKER + "\n")
    return text


def validate(checkout: Path, files: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    """`mentormemed validate` on a copy of the checkout with the pull request's files applied."""
    merged = checkout.parent / f"merged-{len(list(checkout.parent.glob('merged-*')))}"
    shutil.copytree(checkout, merged)
    for path, text in files.items():
        target = merged / path
        if text is None:
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    changed = [p for p, t in files.items() if t is not None and p.startswith("content/")]
    return subprocess.run(
        [str(BIN), "validate", "--content", "content", *changed],
        cwd=merged,
        capture_output=True,
        text=True,
        check=False,
    )


def mentions(text: str) -> set[str]:
    """@-mentions GitHub would ping: not in a code span, not preceded by a word character."""
    without_code = re.sub(r"`[^`]*`", "", text)
    return set(re.findall(r"(?<![\w`\\])@([A-Za-z0-9-]+)", without_code))


# -- add a mentor -------------------------------------------------------------------------------


def test_valid_add_mentor_becomes_one_pull_request_that_validates(
    fake_github: FakeGitHub, checkout: Path
) -> None:
    repo = fake_github.repo()
    number = submit(fake_github, checkout, "add-mentor", mentor_answers())
    (pull,) = pulls(fake_github, repo)
    files = changed_files(fake_github, repo, pull.number)
    assert list(files) == ["content/mentors/riverside-som/zoe-test.yml"]
    pr = repo.issues[pull.number]
    assert pr.body is not None and pr.body.startswith(PR_MARKER) and f"Closes #{number}" in pr.body
    assert "Checked before opening" in pr.body and mentions(pr.body) == set()
    record = yaml.safe_load(files["content/mentors/riverside-som/zoe-test.yml"] or "")
    assert record["languages"] == ["en", "zu"] and record["accepting"] is True and record["capacity"] == 2
    assert record["contact"] == {"github": "zoe-gh"} and "private_affinities" not in record
    assert str(record["last_confirmed"]) == repo.issues[number].updated_at.date().isoformat()
    result = validate(checkout, files)
    assert result.returncode == 0, result.stdout + result.stderr
    comment = the_comment(fake_github, number)
    assert f"#{pull.number}" in comment and "content/mentors/riverside-som/zoe-test.yml" in comment

    before = len(fake_github.calls)
    run(fake_github, checkout, issues_event(fake_github, repo, number, "opened"))
    writes = [c for c in fake_github.calls[before:] if c.method != "GET"]
    assert writes == [], [
        (c.body, the_comment(fake_github, number)) for c in writes
    ]  # a re-run writes nothing


def test_invalid_submission_lists_each_problem_then_an_edit_opens_the_pull_request(
    fake_github: FakeGitHub, checkout: Path
) -> None:
    repo = fake_github.repo()
    broken = mentor_answers(
        **{
            "contact-github": "@zoe",
            "contact-url": "http://zoe.example.edu",
            "timezone": "Mars/Base",
            "profession": "Surgeon",
        }
    )
    number = submit(fake_github, checkout, "add-mentor", broken)
    assert pulls(fake_github, repo) == []
    text = the_comment(fake_github, number)
    assert "**Profession**" in text and "Surgeon" in text  # a dropdown answer that is not an option
    broken["profession"] = label("professions", "md")
    edit(fake_github, checkout, number, "add-mentor", broken)
    text = the_comment(fake_github, number)  # one comment, updated
    for question in ("GitHub user name", "Profile page", "Time zone"):
        assert f"**{question}**" in text, question
    assert "line" not in text.lower().replace("online", "")  # questions, not line numbers
    assert pulls(fake_github, repo) == []

    edit(fake_github, checkout, number, "add-mentor", mentor_answers())
    text = the_comment(fake_github, number)
    (pull,) = pulls(fake_github, repo)
    assert f"#{pull.number}" in text and "need fixing" not in text


def test_a_second_submission_for_the_same_mentor_updates_the_same_pull_request(
    fake_github: FakeGitHub, checkout: Path
) -> None:
    repo = fake_github.repo()
    first = submit(fake_github, checkout, "add-mentor", mentor_answers())
    second = submit(fake_github, checkout, "add-mentor", mentor_answers(capacity="4", name="Zoe Q Test, MD"))
    (pull,) = pulls(fake_github, repo)
    files = changed_files(fake_github, repo, pull.number)
    record = yaml.safe_load(files["content/mentors/riverside-som/zoe-test.yml"] or "")
    assert record["capacity"] == 4 and record["name"] == "Zoe Q Test, MD"
    body = repo.issues[pull.number].body or ""
    assert f"Closes #{first}" in body and f"Closes #{second}" in body
    assert f"#{pull.number}" in the_comment(fake_github, second)


def test_a_stranger_cannot_add_a_mentor_to_a_program_they_do_not_maintain(
    fake_github: FakeGitHub, checkout: Path
) -> None:
    repo = fake_github.repo()
    number = submit(fake_github, checkout, "add-mentor", mentor_answers(), author="stranger-gh")
    assert pulls(fake_github, repo) == []
    text = the_comment(fake_github, number)
    assert "Thank you" in text and "riverside-som" in text and "`stranger-gh`" in text
    assert mentions(text) == set()
    assert "refs/heads/profiles" not in str([c.body for c in fake_github.calls])


# -- update a profile ---------------------------------------------------------------------------


def test_a_mentor_updates_their_own_profile_and_nobody_else_can(
    fake_github: FakeGitHub, checkout: Path
) -> None:
    repo = fake_github.repo()
    other = submit(
        fake_github, checkout, "update-mentor", {"id": "ben-test", "capacity": "5"}, author="cara-gh"
    )
    assert pulls(fake_github, repo) == []
    assert "neither" in the_comment(fake_github, other)

    number = submit(
        fake_github,
        checkout,
        "update-mentor",
        {"id": "ben-test", "capacity": "5", "pronouns": "he/him", "clear": "Remove: Short bio"},
        author="ben-gh",
    )
    (pull,) = pulls(fake_github, repo)
    files = changed_files(fake_github, repo, pull.number)
    assert list(files) == ["content/mentors/riverside-som/ben-test.yml"]
    record = yaml.safe_load(files["content/mentors/riverside-som/ben-test.yml"] or "")
    assert record["capacity"] == 5 and record["pronouns"] == "he/him" and "bio" not in record
    assert record["private_affinities"] == ["lgbtq"]  # kept: never asked in the public form
    assert record["name"] == "Ben Test" and record["contact"] == {"github": "ben-gh"}
    assert validate(checkout, files).returncode == 0
    assert f"#{pull.number}" in the_comment(fake_github, number)


def test_a_program_maintainer_may_update_a_mentor_without_github(
    fake_github: FakeGitHub, checkout: Path
) -> None:
    submit(fake_github, checkout, "update-mentor", {"id": "dev-test", "accepting": "No"}, author=COORD)
    (pull,) = pulls(fake_github, fake_github.repo())
    files = changed_files(fake_github, fake_github.repo(), pull.number)
    assert yaml.safe_load(files["content/mentors/riverside-som/dev-test.yml"] or "")["accepting"] is False


# -- add a program ------------------------------------------------------------------------------


def program_answers(**changes: str) -> dict[str, str]:
    answers = {
        "id": "harbor-com",
        "name": "Harbor Mentoring Circle",
        "institution": "Harbor College of Medicine",
        "profession": label("professions", "do"),
        "state": label("states", "ME"),
        "website": "https://harbor.example.edu/mentoring",
        "maintainers": "harbor-coord, harbor-dean",
        "description": "A fictional program used in tests.",
    }
    answers.update(changes)
    return answers


def test_add_a_program_includes_the_codeowners_change(fake_github: FakeGitHub, checkout: Path) -> None:
    repo = fake_github.repo()
    number = submit(fake_github, checkout, "add-program", program_answers(), author="anyone-gh")
    (pull,) = pulls(fake_github, repo)
    files = changed_files(fake_github, repo, pull.number)
    assert set(files) == {"content/programs/harbor-com.yml", ".github/CODEOWNERS"}
    owners = files[".github/CODEOWNERS"] or ""
    assert "/content/mentors/harbor-com/ @harbor-coord @harbor-dean" in owners
    result = validate(checkout, files)
    assert result.returncode == 0, result.stdout + result.stderr
    merged = sorted(checkout.parent.glob("merged-*"))[-1]
    check = subprocess.run(
        [str(BIN), "codeowners", "--content", "content", "--check"],
        cwd=merged,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr  # the file in the pull request is the generated one
    assert "core maintainers" in the_comment(fake_github, number)


# -- hostile text -------------------------------------------------------------------------------

HOSTILE = (
    "x\nprivate_affinities: [lgbtq]\n"
    + MARKER
    + " <!-- mentormemed-profile-pr:v1 --> [link](https://evil.example) "
    "<script>alert(1)</script> ``` | table | @octocat @everyone ${{ secrets.GITHUB_TOKEN }} &lt;"
)


def test_hostile_text_in_every_field_stays_inert(fake_github: FakeGitHub, checkout: Path) -> None:
    repo = fake_github.repo()
    answers = {key: HOSTILE for key in mentor_answers()}
    number = submit(fake_github, checkout, "add-mentor", answers)
    text = the_comment(fake_github, number)
    assert text.count("<!--") == 1  # the bot's own marker only
    assert mentions(text) == set() and "<script" not in text and "](https" not in text
    assert pulls(fake_github, repo) == []

    # valid, but every free-text field carries what would be markup or YAML anywhere else
    bio = "Hi\nprivate_affinities: [lgbtq]\nid: evil\nmentormemed-profile-bot:v1 -->\n@octocat please `code`"
    answers = mentor_answers(
        name="Zoe <b>Test</b> @octocat", bio=bio, title="Dr: [x](javascript:alert(1)) --> #1"
    )
    number = submit(fake_github, checkout, "add-mentor", answers)
    text = the_comment(fake_github, number)
    assert pulls(fake_github, repo) == [], text  # HTML and a javascript: link are refused by the validator
    assert text.count("<!--") == 1 and mentions(text) == set()

    answers = mentor_answers(name="Zoe Test @octocat", bio=bio, title="Chief: #1 --> | a |")
    number = submit(fake_github, checkout, "add-mentor", answers)
    assert len(pulls(fake_github, repo)) == 1, the_comment(fake_github, number)
    (pull,) = pulls(fake_github, repo)
    files = changed_files(fake_github, repo, pull.number)
    record = yaml.safe_load(files["content/mentors/riverside-som/zoe-test.yml"] or "")
    assert record["bio"] == bio.replace("\n@octocat", "\n@octocat")  # kept as text, one key
    assert record["id"] == "zoe-test" and "private_affinities" not in record
    assert record["title"] == "Chief: #1 --> | a |"
    body = repo.issues[pull.number].body or ""
    assert body.count("<!--") == 1 and mentions(body) == set() and "octocat" not in body
    assert validate(checkout, files).returncode == 0
    assert git_data(fake_github, repo).default_branch in {"master", "main"}
