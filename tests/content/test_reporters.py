"""Reporters: text lines, GitHub workflow commands (escaped), versioned JSON."""

from __future__ import annotations

import json

from generator.content.reporters import github_report, json_report, text_report
from generator.core.problems import Problem

PROBLEMS = [
    Problem(
        "content/mentors/a b/x.yml", 3, 7, "unknown-term", "'cardiolgy' is not known: 100% sure,\nfix it"
    ),
    Problem("content/programs/p,q:r.yml", 1, 1, "missing-field", "required field 'name' is missing."),
]


def test_text_report_has_one_line_per_problem_and_a_summary() -> None:
    lines = text_report(PROBLEMS, 5).splitlines()
    assert lines[0].startswith("content/mentors/a b/x.yml:3:7: error[unknown-term]: 'cardiolgy'")
    assert lines[-1].startswith("2 problem(s) in 2 of 5 file(s).")


def test_text_report_when_clean() -> None:
    assert text_report([], 4) == "All 4 file(s) are valid."


def test_github_report_escapes_per_workflow_command_rules() -> None:
    lines = github_report(PROBLEMS, 5).splitlines()
    assert len(lines) == 2  # one line per problem, even with a newline in the message
    assert lines[0] == (
        "::error file=content/mentors/a b/x.yml,line=3,col=7,title=error[unknown-term]::"
        "'cardiolgy' is not known: 100%25 sure,%0Afix it"
    )
    # property values also escape ':' and ','
    assert lines[1].startswith("::error file=content/programs/p%2Cq%3Ar.yml,line=1,col=1,")


def test_json_report_is_versioned_and_complete() -> None:
    report = json.loads(json_report(PROBLEMS, 5))
    assert report["version"] == 1
    assert report["ok"] is False
    assert report["files_checked"] == 5
    assert report["problems"][0] == {
        "path": "content/mentors/a b/x.yml",
        "line": 3,
        "col": 7,
        "code": "unknown-term",
        "message": "'cardiolgy' is not known: 100% sure,\nfix it",
    }


HOSTILE = Problem(
    "content/mentors/x/\u202eyml.a.yml",
    3,
    7,
    "unknown-term",
    "'card\niology\r\n::error file=README.md,line=1::forged\x1b[2J\u2028##[error]also forged' is not known",
)


def test_a_value_never_starts_a_line_in_the_text_report() -> None:
    lines = text_report([HOSTILE], 1).splitlines()
    assert len(lines) == 2  # the problem and the summary: the newlines in the value are escaped
    where = "content/mentors/x/\\u202eyml.a.yml:3:7: error[unknown-term]: "
    assert lines[0].startswith(where + "'card\\niology\\r\\n")
    assert "::error file=README.md" in lines[0] and "\\x1b[2J\\u2028##[error]" in lines[0]
    assert not any(ord(c) < 32 or c in "\u2028\u202e\x1b" for c in "".join(lines))


def test_a_path_that_looks_like_a_workflow_command_is_defused() -> None:
    forged = Problem("::error file=a::b.yml", 1, 1, "x", "m")
    (line, _) = text_report([forged], 1).splitlines()
    assert line.startswith("./::error file=a::b.yml:1:1:")


def test_github_report_keeps_one_line_per_problem_for_any_value() -> None:
    (line,) = github_report([HOSTILE], 1).splitlines()
    assert line.startswith("::error file=content/mentors/x/\\u202eyml.a.yml,line=3,col=7,")
    assert "%0A::error file=README.md" in line and "\x1b" not in line and "\u2028" not in line
