"""Reading a request from an issue body (generator.requests.issue_parser); all data fictional.

The corpus in tests/cases/issues/<case>/ holds hand-edited, hostile and malformed bodies:
``body.md`` (exact bytes: CRLF and BOM are kept by tests/cases/.gitattributes) and
``expected.json`` with a ``description`` and either the ``request`` it gives or
``not_a_form`` and the exact ``errors`` a mentee would read. To add a case, write the body,
run ``mentormemed parse-issue --format json tests/cases/issues/<case>/body.md``, read every
message as a mentee would, and only then save the outcome as expected.json.
"""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import cli
from generator.content.models import ID_PATTERN, MUST_FIELDS, Request
from generator.content.vocabulary import vocabulary
from generator.requests.issue_form import (
    COMMON_LANGUAGES,
    MAX_BODY_CHARS,
    NO_RESPONSE,
    form_fields,
    form_url,
    render_issue_body,
)
from generator.requests.issue_parser import (
    MAX_PROBLEMS,
    IssueFormError,
    IssueProblem,
    NotARequestForm,
    code_span,
    parse_issue_body,
    unknown_mentor_problems,
)
from tests.support.paths import CASES as CASE_DIR

CORPUS = CASE_DIR / "issues"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


def _body(case: Path) -> str:
    return (case / "body.md").read_bytes().decode("utf-8")


def _expected(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    return data


def _outcome(body: str) -> dict[str, Any]:
    try:
        return {"request": parse_issue_body(body).model_dump(mode="json")}
    except NotARequestForm as exc:
        return {"not_a_form": True, "errors": exc.messages}
    except IssueFormError as exc:
        return {"not_a_form": False, "errors": exc.messages}


def _full_request() -> Request:
    return Request.model_validate(
        {
            "needs": ["residency-application", "wellness"],
            "affinities": ["first-generation"],
            "specialties": ["emergency-medicine"],
            "stage": "ms3",
            "profession": "md",
            "languages": ["es", "zu"],
            "meeting": ["virtual"],
            "state": "NM",
            "team_size": 2,
            "mentors": ["ana-example"],
            "must": ["languages"],
        }
    )


# --------------------------------------------------------------------------- the corpus


def test_corpus_is_big_and_varied() -> None:
    assert len(CASES) >= 25
    outcomes = [_expected(c) for c in CASES]
    assert sum("request" in o for o in outcomes) >= 5
    assert sum(o.get("not_a_form") is True for o in outcomes) >= 4
    assert sum(o.get("not_a_form") is False for o in outcomes) >= 20
    assert any(b"\r\n" in (c / "body.md").read_bytes() for c in CASES), "a CRLF case"
    assert any(len(_body(c)) > MAX_BODY_CHARS for c in CASES), "a body over GitHub's limit"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case(case: Path) -> None:
    expected = _expected(case)
    assert expected.pop("description")
    assert _outcome(_body(case)) == expected


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case_through_the_cli(case: Path) -> None:
    expected = _expected(case)
    result = CliRunner().invoke(cli, ["parse-issue", "--format", "json", str(case / "body.md")])
    assert "Traceback" not in result.output
    data = json.loads(result.output)
    if "request" in expected:
        assert result.exit_code == 0
        assert data == expected["request"]
    else:
        assert result.exit_code == 1
        assert [e["message"] for e in data["errors"]] == expected["errors"]


def test_hostile_text_never_reaches_the_request() -> None:
    for case in CASES:
        expected = _expected(case)
        if "request" not in expected:
            continue
        for value in json.dumps(expected["request"]):
            assert value not in "<>`$@"


# --------------------------------------------------------------------------- round trip


def _subset(ids: list[str], max_size: int | None) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(ids), max_size=max_size, unique=True)


@st.composite
def requests(draw: st.DrawFn) -> Request:
    vocab = vocabulary()
    data: dict[str, Any] = {
        "needs": draw(st.lists(st.sampled_from(vocab.ids("areas")), min_size=1, max_size=10, unique=True)),
        "affinities": draw(_subset(vocab.ids("affinities"), 10)),
        "specialties": draw(_subset(vocab.ids("specialties"), 5)),
        "languages": draw(_subset(vocab.ids("languages"), 5)),
        "meeting": draw(_subset(vocab.ids("meeting"), 2)),
        "mentors": draw(
            st.lists(
                st.from_regex(ID_PATTERN, fullmatch=True).filter(lambda s: 2 <= len(s) <= 64),
                max_size=5,
                unique=True,
            )
        ),
        "team_size": draw(st.integers(1, 5)),
    }
    for name, kind in (("stage", "stages"), ("profession", "professions"), ("state", "states")):
        data[name] = draw(st.sampled_from([None, *vocab.ids(kind)]))
    data["must"] = [m for m in draw(_subset(list(MUST_FIELDS), 5)) if data.get(m)]
    return Request.model_validate(data)


def _form_order(request: Request) -> Request:
    """The request as the form can say it: multi-select answers in the order of the options,
    except the most important need (the first), which has its own question and stays first."""
    fields = {f.id: f for f in form_fields()}
    data = request.model_dump()
    for name in ("needs", "affinities", "specialties", "meeting", "must"):
        data[name] = [v for v in fields[name].values if v in data[name]]
    data["needs"] = [request.needs[0], *(v for v in data["needs"] if v != request.needs[0])]
    common = [v for v in fields["languages"].values if v in data["languages"]]
    data["languages"] = common + [v for v in data["languages"] if v not in COMMON_LANGUAGES]
    return Request.model_validate(data)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_round_trip(request: Request) -> None:
    body = render_issue_body(request)
    assert parse_issue_body(body) == _form_order(request)
    assert parse_issue_body(body.replace("\n", "\r\n")) == _form_order(request)


@settings(max_examples=60, deadline=None)
@given(requests())
def test_round_trip_is_exact_for_requests_in_form_order(request: Request) -> None:
    ordered = _form_order(request)
    assert parse_issue_body(render_issue_body(ordered)) == ordered


def test_the_most_important_need_comes_first_whatever_the_option_order() -> None:
    """GitHub writes ticked options in the form's order; the own question keeps the priority."""
    fields = {f.id: f for f in form_fields()}
    needs = fields["needs"].values
    last, first = needs[-1], needs[0]
    body = render_issue_body(Request(needs=[last, first]))
    assert f"### Your most important need\n\n{fields['needs'].option_of(last)}\n" in body
    assert parse_issue_body(body).needs == [last, first]
    # the main need alone, not ticked in the list above: still asked for, first
    both = f"{fields['needs'].option_of(first)}, {fields['needs'].option_of(last)}"
    assert both in body
    lone = body.replace(both, fields["needs"].option_of(first), 1)
    assert parse_issue_body(lone).needs == [last, first]
    # no answer: the list's order
    empty = body.replace(
        f"### Your most important need\n\n{fields['needs'].option_of(last)}",
        "### Your most important need\n\n_No response_",
    )
    assert parse_issue_body(empty).needs == [first, last]


# --------------------------------------------------------------------------- never crash


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gets_an_answer_not_a_crash(text: str) -> None:
    try:
        parse_issue_body(text)
    except IssueFormError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


_LINES = st.sampled_from(
    [
        "### Areas you want help with",
        "### Requirements",
        "### Other languages",
        "### Nope",
        "```",
        "~~~",
        "<!--",
        "-->",
        "- [X] A mentor must speak a language I chose",
        "- [x] A mentor must be rich",
        NO_RESPONSE,
        "None",
        "Research, Research",
        "Texas",
        "${{ github.token }}",
        "@mmm-sample-user",
        "",
        "\r",
        "\u200b",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_edited_forms_get_an_answer_not_a_crash(data: st.DataObject) -> None:
    lines = render_issue_body(_full_request()).split("\n")
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(lines)))
        if data.draw(st.booleans()) and at < len(lines):
            del lines[at]
        else:
            lines.insert(at, data.draw(_LINES | st.text(max_size=30)))
    try:
        result = parse_issue_body("\n".join(lines))
    except IssueFormError as exc:
        assert 1 <= len(exc.problems) <= MAX_PROBLEMS
    else:
        assert isinstance(result, Request)


def test_none_body_is_empty() -> None:
    with pytest.raises(NotARequestForm) as info:
        parse_issue_body(None)
    assert info.value.problems[0].code == "empty-body"


def test_not_a_form_links_to_this_repository_form() -> None:
    with pytest.raises(NotARequestForm) as info:
        parse_issue_body("hello", repository_url="https://github.com/lakeshore-example/mentors/")
    link = form_url("https://github.com/lakeshore-example/mentors")
    assert link == "https://github.com/lakeshore-example/mentors/issues/new?template=mentor-request.yml"
    assert link in info.value.messages[0]


def test_worst_case_bodies_are_fast() -> None:
    bodies = [
        "### Nope\n" * (MAX_BODY_CHARS // 9),
        "### Areas you want help with\n\n" + ("x," * 5000),
        "### Other languages\n\n" + ",".join(["Klingonese"] * 40),
        "### Areas you want help with\n\n" + "\n".join(["~~~ a"] * (MAX_BODY_CHARS // 7)),
        "### Requirements\n\n" + "- [X] A\n" * 30,
    ]
    for body in bodies:
        assert len(body) <= MAX_BODY_CHARS
        start = time.perf_counter()
        with pytest.raises(IssueFormError) as info:
            parse_issue_body(body)
        assert time.perf_counter() - start < 2.0
        assert len(info.value.problems) <= MAX_PROBLEMS


# --------------------------------------------------------------------------- privacy of the body


SECRET = "Jane-Fictional-7731"


def test_the_body_never_reaches_logs_or_exception_text(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    body = render_issue_body(_full_request())
    bodies = [
        body,
        f"{SECRET}\n\n{body}",
        body.replace("ana-example", f"ana-example, {SECRET}"),
        body.replace("Texas", SECRET),
        f"### {SECRET}\n\n{SECRET}",
        SECRET,
    ]
    for text in bodies:
        try:
            parse_issue_body(text)
        except IssueFormError as exc:
            assert SECRET not in str(exc) and SECRET not in repr(exc.args)
    assert caplog.records, "the parser logs what it did (without the body)"
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert "ana-example" not in record.getMessage()


def test_cli_failure_output_has_no_traceback_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "body.md"
    path.write_bytes(b"\xff\xfe not utf-8")
    for fmt in ("text", "json"):
        result = CliRunner().invoke(cli, ["parse-issue", "--format", fmt, str(path)])
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert "not UTF-8" in result.output


def test_cli_text_format(tmp_path: Path) -> None:
    path = tmp_path / "body.md"
    path.write_text(render_issue_body(_full_request()), encoding="utf-8")
    result = CliRunner().invoke(cli, ["parse-issue", str(path)])
    assert result.exit_code == 0, result.output
    assert "needs: residency-application, wellness" in result.output
    assert "team_size: 2" in result.output
    path.write_text("### Areas you want help with\n\nAstrology", encoding="utf-8")
    result = CliRunner().invoke(cli, ["parse-issue", str(path)])
    assert result.exit_code == 1
    assert "- 'Areas you want help with': 'Astrology' is not one of the choices." in result.output


def test_cli_reads_stdin() -> None:
    result = CliRunner().invoke(
        cli, ["parse-issue", "-", "--format", "json"], input=render_issue_body(_full_request())
    )
    assert result.exit_code == 0
    assert json.loads(result.output)["mentors"] == ["ana-example"]


# --------------------------------------------------------------------------- problems as Markdown


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "a`b",
        "``x``",
        "`",
        "@mmm-sample-user",
        "<script>alert(1)</script>",
        " ",
        "[x](https://e.example)",
    ],
)
def test_code_span_cannot_be_closed_by_its_content(text: str) -> None:
    span = code_span(text)
    fence = re.match(r"`+", span)
    assert fence
    inner = span[len(fence.group(0)) : -len(fence.group(0))]
    assert span.endswith(fence.group(0))
    assert fence.group(0) not in inner
    assert inner.strip(" ") == text.strip(" ") or text.strip() == ""


def test_problem_markdown_puts_the_answer_in_a_code_span() -> None:
    with pytest.raises(IssueFormError) as info:
        parse_issue_body(render_issue_body(_full_request()).replace("ana-example", "@mmm-sample-x`y"))
    problem = info.value.problems[0]
    assert problem.value == "@mmm-sample-x`y"
    assert "``@mmm-sample-x`y``" in problem.markdown
    assert "'@mmm-sample-x`y'" in problem.message
    assert problem.as_dict() == {"field": "mentors", "code": "bad-mentor-id", "message": problem.message}


def test_echoed_answers_are_short_and_one_line() -> None:
    long = "z" * 200
    with pytest.raises(IssueFormError) as info:
        parse_issue_body(f"### Areas you want help with\n\n{long}\n\n### Your state or territory\n\nA\u2028B")
    values = [p.value for p in info.value.problems]
    assert values[0] is not None and len(values[0]) == 40 and values[0].endswith("…")
    assert "[U+2028]" in str(values[1])


def test_problem_without_value() -> None:
    problem = IssueProblem("x", "Something is wrong.")
    assert problem.message == problem.markdown == "Something is wrong."


# --------------------------------------------------------------------------- mentors in the network


def test_unknown_mentor_problems_suggest_close_ids() -> None:
    known = ["ana-example", "ben-sample", "carla-demo"]
    problems = unknown_mentor_problems(["ana-exmple", "ben-sample", "zzz-qqq"], known)
    assert [p.message for p in problems] == [
        "'Mentors you are asking for': there is no mentor with the id 'ana-exmple' in the directory. "
        "Did you mean 'ana-example'?",
        "'Mentors you are asking for': there is no mentor with the id 'zzz-qqq' in the directory.",
    ]
    assert all(p.code == "unknown-mentor" and p.field == "mentors" for p in problems)
    assert unknown_mentor_problems([], known) == []
