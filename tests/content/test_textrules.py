"""The text rules on their own: what is published of a text, the email search over it, invisible
characters, the name key and the URL rule (issue 12, items 3, 6 and 7).

The corpus in tests/cases checks the same rules through the validator, with file and line;
these tests pin down the parts and the decisions where the issue was silent.
"""

from __future__ import annotations

import json
import re

import pytest

from generator.content import textrules
from generator.content.models import Mentor
from generator.content.render import Published, https_only, published, render_bio
from generator.content.textrules import (
    DISGUISED_EMAIL,
    EMAIL_PATTERN,
    UNSAFE_MULTILINE_TEXT_PATTERN,
    UNSAFE_TEXT_PATTERN,
    find_email,
    invisible_problem,
    name_key,
    text_problem,
    visible_form,
)
from generator.content.urls import HTTPS_PATTERN, is_https_url, url_character_problem
from tests.support.paths import ROOT

# --------------------------------------------------------------------------- what is published


def test_published_undoes_markdown_escapes_emphasis_and_code() -> None:
    assert published(r"ana@example\.edu").text == "ana@example.edu"
    assert published("*ana*@example.edu").text == "ana@example.edu"
    assert published("ana@example*.*edu").text == "ana@example.edu"
    assert published("`ana`@example.edu").text == "ana@example.edu"
    assert published("ana&#64;example.edu").text == "ana@example.edu"


def test_published_lists_every_link_target_decoded_from_character_codes() -> None:
    page = published(
        "[a](https://example.edu/a) and ![b](https://example.edu/b.png)\n\n[c][1]\n\n[1]: mailto:x"
    )
    assert page.links == ("https://example.edu/a", "https://example.edu/b.png", "mailto:x")
    # Python-Markdown hides an autolinked address behind character codes: they are decoded
    autolink = published("<ana@example.edu>")
    assert autolink.text == "ana@example.edu"
    assert autolink.links == ("mailto:ana@example.edu",)


def test_the_sanitiser_drops_mailto_links() -> None:
    assert (
        str(render_bio("[me](mailto:ana@example.edu)"))
        == '<p><a rel="nofollow noopener noreferrer">me</a></p>'
    )


def test_visible_form_drops_invisible_characters_and_folds_compatibility_characters() -> None:
    assert visible_form("ana\u200b\u2060\ufeff@exa\u00admple\U000e0041.edu") == "ana@example.edu"
    assert visible_form("ana＠example．edu") == "ana@example.edu"
    assert visible_form("ana﹫example。edu") == "ana@example.edu"
    assert visible_form("Ana\u3164Example\nline") == "Ana Example line"


# --------------------------------------------------------------------------- email addresses

DISGUISES = [
    # (text, the address as reported, where it was found)
    (r"ana@example\.edu", "ana@example.edu", "text"),
    (r"ana\@example.edu", "ana@example.edu", "text"),
    ("*ana*@example.edu", "ana@example.edu", "text"),
    ("ana@exa*mple*.edu", "ana@example.edu", "text"),
    ("ana*.*example@example.edu", "ana.example@example.edu", "text"),
    ("`ana`@example.edu", "ana@example.edu", "text"),
    ("ana&#64;example.edu", "ana@example.edu", "text"),
    ("ana%40example.edu", "ana@example.edu", "text"),
    ("ana%2540example.edu", "ana@example.edu", "text"),
    ("[write me](mailto:%61na%40example%2Eedu)", "ana@example.edu", "mailto"),
    ("[write me](MAILTO:ana@example.edu)", "ana@example.edu", "mailto"),
    ("[x](mailto:ana@xn--exmple-cua.edu)", "ana@exämple.edu", "mailto"),
    ("[me][1]\n\n[1]: mailto:ana%40example.edu", "ana@example.edu", "mailto"),
    ("[page](https://example.edu/contact?to=ana%40example.edu)", "ana@example.edu", "link"),
    ("[page](https://ana@example.edu/)", "ana@example.edu", "link"),
    ("ana@exämple.edu", "ana@exämple.edu", "text"),
    ("ana@xn--exmple-cua.edu", "ana@xn--exmple-cua.edu", "text"),
    ("ana@example.xn--p1ai", "ana@example.xn--p1ai", "text"),
    ("анна@пример.рф", "анна@пример.рф", "text"),
    ("josé@example.edu", "josé@example.edu", "text"),
    ("ana＠example.edu", "ana@example.edu", "text"),
    ("ana﹫example．edu", "ana@example.edu", "text"),
    ("ana@example。edu", "ana@example.edu", "text"),
    ("ana@exa\u200bmple.edu", "ana@example.edu", "text"),
    ("ana\u2060@example.edu", "ana@example.edu", "text"),
    ("<ana@example.edu>", "ana@example.edu", "text"),
    ("ana [at] example [dot] edu", "ana [at] example [dot] edu", "disguise"),
    ("ana *[at]* example *[dot]* edu", "ana [at] example [dot] edu", "disguise"),
    ("ana(at)example.edu", "ana(at)example.edu", "disguise"),
    ("ana{at}example{dot}edu", "ana{at}example{dot}edu", "disguise"),
    ("ana [@] example [.] edu", "ana [@] example [.] edu", "disguise"),
    ("ana at example dot edu", "ana at example dot edu", "disguise"),
    ("ANA AT EXAMPLE DOT EDU", "ANA AT EXAMPLE DOT EDU", "disguise"),
    ("ana @ example . edu", "ana @ example . edu", "disguise"),
    ("ana [at] example [dot] xn--p1ai", "ana [at] example [dot] xn--p1ai", "disguise"),
]


@pytest.mark.parametrize(("text", "address", "where"), DISGUISES, ids=[d[0] for d in DISGUISES])
def test_disguised_addresses_are_found_as_published(text: str, address: str, where: str) -> None:
    found = find_email(text)
    assert found is not None
    assert (found.address, found.where) == (address, where)
    problem = text_problem(text, multiline=True)
    assert problem is not None and problem[0] == "email-in-text"


NOT_ADDRESSES = [
    "Find me as @handle on GitHub.",
    "Bluesky @ana.bsky.social and Mastodon @ana@",
    "Twitter @ana.example",
    "We keep a 2:1 ratio.",
    "Email the coordinator through the program page.",
    "My ORCID is https://orcid.org/0000-0002-1825-0097.",
    "[our lab](https://example.edu/@lab) and https://example.edu/@lab",
    "I trained at Lakeshore.edu and at Mayo.",
    "We meet at noon. Education matters.",
    "PM&R, OB/GYN and 50% virtual.",
    "room 4@west",
    "C++ at 3.5 GHz",
]


@pytest.mark.parametrize("text", NOT_ADDRESSES)
def test_what_is_not_an_address_is_not_flagged(text: str) -> None:
    assert find_email(text) is None
    assert text_problem(text, multiline=True) is None


def test_the_schema_email_pattern_finds_what_it_can_without_rendering() -> None:
    """The JSON Schema pattern sees the raw text: it catches the Unicode forms, not the
    Markdown disguises (the validator does)."""
    pattern = re.compile(EMAIL_PATTERN)
    for text in [
        "ana@exämple.edu",
        "анна@пример.рф",
        "ana＠example.edu",
        "ana@example。edu",
        "*ana*@example.edu",
    ]:
        assert pattern.search(text), text
    for text in ["@handle", "https://example.edu/@lab", "a 2:1 ratio", "?to=@x"]:
        assert not pattern.search(text), text


def test_plain_text_is_not_rendered() -> None:
    """Rendering costs ~0.1 ms a text: only text with @, %, & or the like is rendered."""
    calls: list[str] = []

    def spy(text: str) -> Published:
        calls.append(text)
        return published(text)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textrules, "published", spy)
        text_problem("I grew up in a farming town and was the *first* in my family.", multiline=True)
        assert calls == []
        text_problem("Ask me about PM&R.", multiline=True)
        assert calls == ["Ask me about PM&R."]


def test_mailto_is_refused_even_without_an_address() -> None:
    assert text_problem("[Write me](mailto:?subject=hi)") == (
        "mailto-link",
        "'mailto:' links are not allowed: an email address in a public repository is harvested by "
        "spammers. Remove the link; mentees reach mentors through the request form.",
    )


def test_the_disguise_pattern_is_fast_on_long_words() -> None:
    """No catastrophic backtracking on a 1,500-character run without spaces."""
    import time

    for text in ["a" * 1500, "a." * 750, "a [at] " * 200, "a" * 700 + " at " + "b" * 700]:
        start = time.perf_counter()
        DISGUISED_EMAIL.search(text)
        find_email(text)
        assert time.perf_counter() - start < 0.5


# --------------------------------------------------------------------------- invisible characters

INVISIBLE = [
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9b",
    "\t",
    "\r",
    "\u00ad",
    "\u034f",
    "\u115f",
    "\u1160",
    "\u17b4",
    "\u180e",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2028",
    "\u2029",
    "\u2060",
    "\u2063",
    "\u2800",
    "\u3164",
    "\ufe0f",
    "\ufeff",
    "\uffa0",
    "\ue000",
    "\U000e0001",
    "\U000e0041",
    "\U000e0100",
    "\U0001d159",
]


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_characters_are_refused_between_latin_letters(char: str) -> None:
    problem = invisible_problem(f"Bo{char}Sample", multiline=True)
    assert problem is not None and problem[0] == "invisible-character"
    assert f"U+{ord(char):04X}" in problem[1]
    assert problem[1].endswith("Retype the text without it.")


def test_the_message_says_how_a_yaml_escape_writes_a_control_character() -> None:
    for char, escape in [
        ("\x00", "\\0"),
        ("\x1b", "\\e"),
        ("\x07", "\\a"),
        ("\x85", "\\N"),
        ("\u2028", "\\L"),
    ]:
        problem = invisible_problem(f"a{char}b", noun="name")
        assert problem is not None and f"between double quotes it is written {escape})" in problem[1]


def test_joiners_and_selectors_are_allowed_where_they_do_something() -> None:
    assert invisible_problem("👩\u200d⚕\ufe0f doctor") is None
    assert invisible_problem("🏳\ufe0f\u200d🌈 ally") is None
    assert invisible_problem("❤\ufe0f 1\ufe0f\u20e3 #\ufe0f\u20e3") is None
    assert invisible_problem("می\u200cخواهم") is None  # Persian
    assert invisible_problem("क्\u200dष") is None  # Devanagari
    assert invisible_problem("葛\U000e0100城") is None  # an ideographic variation selector
    assert invisible_problem("line\nline", multiline=True) is None
    # … and refused where they change nothing visible
    for text in [
        "a\u200db",
        "a\u200cb",
        "👩\u200d",
        "\u200d⚕",
        "a\ufe0f",
        "\ufe0f",
        "a\U000e0100",
        "x\u180bx",
    ]:
        assert invisible_problem(text) is not None, text


def test_a_newline_is_refused_in_one_line_fields() -> None:
    assert invisible_problem("she\nher") == (
        "not-one-line",
        "this field is one line of text: write it on the same line as the field name, without | "
        "or > and without \\n.",
    )
    assert invisible_problem("Bo\nSample", noun="name") == (
        "name-not-one-line",
        "a name is one line of text: write `name: …` on a single line.",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Bo\u2800Sample"),
        ("pronouns", "she\x1b/her"),
        ("title", "Professor\x85of Medicine"),
        ("degrees", ["MD", "M\u200bPH"]),
        ("bio", "Hello\U000e0041"),
    ],
)
def test_every_mentor_text_field_refuses_invisible_characters(field: str, value: object) -> None:
    data = {
        "id": "bo-sample",
        "name": "Bo Sample",
        "program": "lakeshore-som",
        "profession": "md",
        "stage": "early-faculty",
        "areas": ["wellness"],
        "languages": ["en"],
        "meeting": ["virtual"],
        "capacity": 1,
        "accepting": True,
        "last_confirmed": "2025-09-01",
        field: value,
    }
    with pytest.raises(ValueError, match=r"invisible.character"):
        Mentor.model_validate(data)


# --------------------------------------------------------------------------- names


def test_names_that_differ_only_by_invisible_characters_have_one_key() -> None:
    key = name_key("Ana Example, MD")
    for other in [
        "Ana Exam\u200bple",
        "Ana\u3164Example",
        "Ana\u115fExample",
        "Ana\u2800Example",
        "Ana Example\U000e0041",
        "ＡＮＡ ＥＸＡＭＰＬＥ",
        "ana  example, PhD",
        "Ana\u00a0Example",
        "Ana Exa\u00admple",
    ]:
        assert name_key(other) == key, other
    assert name_key("葛\U000e0100城 花子") == name_key("葛城 花子")
    assert name_key("Ana Examples") != key


# --------------------------------------------------------------------------- web addresses

GOOD_URLS = [
    "https://medicine.example.edu/faculty/ana-example",
    "https://example.edu",
    "https://example.edu:8443/a/b?x=1&y=2#top",
    "https://mastodon.example/@ana",
    "https://example.edu/a%20b/(c)/d;e=f,g!h*i~j",
    "https://xn--exmple-cua.edu/",
    "https://example.xn--p1ai/",
]
BAD_URLS = [
    ('https://example.edu/a"b', "quote mark"),
    ("https://example.edu/a'b", "quote mark"),
    ("https://example.edu/\u201ca\u201d", "quote mark"),
    ("https://example.edu\\a", "backslash"),
    ("https://example.edu/a b", "space"),
    ("https://example.edu/a\u00a0b", "invisible character U+00A0"),
    ("https://example.edu/a\x1bb", "invisible control character U+001B"),
    ("https://example.edu/a\u200bb", "invisible character U+200B"),
    ("https://example.edu/<b>", "'<'"),
    ("https://example.edu/a>b", "'>'"),
    ("https://example.edu/`a`", "'`'"),
    ("https://example.edu/{a}", "'{'"),
    ("https://example.edu/a|b", "'|'"),
    ("https://example.edu/a^b", "'^'"),
    ("https://exämple.edu/", "U+00E4"),
    ("https://example.edu/a%zz", "%-code"),
    ("https://example.edu/a%2", "%-code"),
]


@pytest.mark.parametrize("url", GOOD_URLS)
def test_well_formed_https_addresses_pass(url: str) -> None:
    assert url_character_problem(url) is None
    assert is_https_url(url)
    assert https_only(url) == url


@pytest.mark.parametrize(("url", "said"), BAD_URLS, ids=[b[0] for b in BAD_URLS])
def test_each_class_of_bad_character_is_refused_with_its_fix(url: str, said: str) -> None:
    problem = url_character_problem(url)
    assert problem is not None and problem[0] == "url-character"
    assert said in problem[1]
    assert not is_https_url(url)
    assert https_only(url) == ""


def test_addresses_of_the_wrong_shape_fail_the_pattern() -> None:
    for url in [
        "http://example.edu/",
        "HTTPS://example.edu/",
        "https://example/",
        "https://.example.edu/",
        "https://example..edu/",
        "https://-example.edu/",
        "https://example.edu./",
        "https://ex_ample.edu/",
        "https://example.edu:99999999/",
        "javascript:alert(1)",
        "//example.edu/",
    ]:
        assert not is_https_url(url), url


# --------------------------------------------------------------------------- the schemas

#: The escapes a JavaScript regular expression with the u flag accepts (editors compile JSON
#: Schema patterns that way); any other escape such as \" is a syntax error there.
_JS_ESCAPE = re.compile(r"\\(?:[sSdDwWbB]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[\^$\\.*+?()\[\]{}|/\-])")


def _patterns(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k == "pattern" and isinstance(v, str)]
        return found + [p for v in node.values() for p in _patterns(v)]
    if isinstance(node, list):
        return [p for v in node for p in _patterns(v)]
    return []


def test_schema_patterns_read_the_same_in_python_and_javascript() -> None:
    patterns = [UNSAFE_TEXT_PATTERN, UNSAFE_MULTILINE_TEXT_PATTERN, HTTPS_PATTERN]
    for name in ("mentor", "program"):
        patterns += _patterns(
            json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
        )
    for pattern in patterns:
        re.compile(pattern)
        stripped = _JS_ESCAPE.sub("", pattern)
        assert "\\" not in stripped, pattern
        assert all(ord(c) < 0x10000 for c in pattern), "astral characters read differently in JavaScript"
