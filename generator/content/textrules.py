"""Rules for free text and names that JSON Schema alone cannot say well.

Each check returns the problem as ``(code, message)``, the message a short sentence with the
fix, or ``None``. The same rules are expressed as JSON Schema patterns where that is
possible (:data:`UNSAFE_TEXT_PATTERN`, :data:`UNSAFE_MULTILINE_TEXT_PATTERN`), so editors and
other tools reject the same text; the validator checks more than a pattern can:

- **Email addresses are looked for in what is published**, not only in what is typed: the
  text as the site renders it (Markdown escapes, emphasis and character codes undone,
  :func:`generator.content.render.published`), every link target (%-codes decoded,
  ``mailto:`` taken off, ``xn--`` domain names decoded), the text with invisible characters
  removed and compatibility characters folded (NFKC: ``＠`` is ``@``), and the usual
  disguises (``ana [at] example [dot] edu``). The address pattern is Unicode-aware: local
  part and domain may be in any script.
- **Invisible characters** (controls however written, zero-width and format characters, tag
  characters, blank-looking letters, stray variation selectors and joiners) are refused in
  every text field, with the character and the fix. A newline is allowed only in a
  multi-line field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from generator.content.render import published

# Raw HTML (a tag, comment, or declaration) and script URLs are never allowed in text.
HTML_PATTERN = r"<[A-Za-z!/?]"
JAVASCRIPT_PATTERN = "".join(f"[{c.lower()}{c.upper()}]" for c in "javascript") + r"\s*:"
MAILTO_PATTERN = "".join(f"[{c.lower()}{c.upper()}]" for c in "mailto") + r"\s*:"

# An email address, in any script. The at sign may be fullwidth (U+FF20) or small (U+FE6B),
# the dots ideographic (U+3002, U+FF0E, U+FF61), as IDNA and NFKC read them. The local part
# is anything up to a space or a character that cannot be in one as written in prose or in a
# link's query (so "@handle" and "https://example.edu/@lab" have none, and "?to=ana@…" is
# "ana"); a domain label is letters and digits of any script and hyphens; the last label is
# two or more letters or an xn-- label. Written with escapes only, so that Python and
# JavaScript (editors' JSON Schema, with or without the u flag) read it alike.
_AT = r"[@\uff20\ufe6b]"
_DOT = r"[.\u3002\uff0e\uff61]"
_LOCAL = r"[^\s@\uff20\ufe6b<>()\[\]{}:;,'`/\\?=&" + '"]+'  # '"' unescaped: JavaScript's u flag
_LABEL = r"[^\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\s\u3002\uff0e\uff61\uff20\ufe6b]+"
_TLD = r"(?:[xX][nN]--[A-Za-z0-9-]+|[A-Za-z]{2,}|[^\x00-\x7f\s\u3002\uff0e\uff61\uff20\ufe6b]{2,})"
EMAIL_PATTERN = f"{_LOCAL}{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}"
BIDI_PATTERN = "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
# &#58; or &colon; can hide "javascript:" from a check and come back in a Markdown renderer
ENTITY_PATTERN = r"&#?[A-Za-z0-9]+;"
DATA_URL_PATTERN = r"\]\(\s*<?\s*[dD][aA][tT][aA]\s*:"
# Characters invisible wherever they are: C0 and C1 controls (a newline only in a multi-line
# field), soft hyphen, combining grapheme joiner, Hangul fillers, Khmer inherent vowels,
# Mongolian vowel separator, zero-width space, line and paragraph separators, word joiner and
# invisible operators, deprecated format characters, braille blank, byte order mark and
# interlinear annotations. (Tag characters, stray joiners and variation selectors depend on
# context or lie beyond U+FFFF, where Python and JavaScript patterns differ: the validator
# checks them; the schema cannot.)
_ALWAYS_INVISIBLE = (
    r"\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u2028\u2029\u2060-\u2064\u206a-\u206f"
    r"\u2800\u3164\ufeff\uffa0\ufff9-\ufffb"
)
INVISIBLE_PATTERN = r"[\x00-\x1f\x7f-\x9f" + _ALWAYS_INVISIBLE + "]"
INVISIBLE_MULTILINE_PATTERN = r"[\x00-\x09\x0b-\x1f\x7f-\x9f" + _ALWAYS_INVISIBLE + "]"
_UNSAFE = "|".join(
    (
        HTML_PATTERN,
        JAVASCRIPT_PATTERN,
        EMAIL_PATTERN,
        BIDI_PATTERN,
        ENTITY_PATTERN,
        DATA_URL_PATTERN,
        MAILTO_PATTERN,
    )
)
#: What a one-line text field (a name, pronouns, a title, a degree) must not match.
UNSAFE_TEXT_PATTERN = f"{_UNSAFE}|{INVISIBLE_PATTERN}"
#: What a multi-line text field (a bio, a program's description) must not match.
UNSAFE_MULTILINE_TEXT_PATTERN = f"{_UNSAFE}|{INVISIBLE_MULTILINE_PATTERN}"

_HTML = re.compile(HTML_PATTERN)
_JS = re.compile(JAVASCRIPT_PATTERN)
_MAILTO = re.compile(MAILTO_PATTERN)
_EMAIL = re.compile("(?<!" + _LOCAL[:-1] + ")" + EMAIL_PATTERN)  # from word starts: linear
_BIDI = re.compile(BIDI_PATTERN)
_ENTITY = re.compile(ENTITY_PATTERN)
_DATA_URL = re.compile(DATA_URL_PATTERN)

# --------------------------------------------------------------------------- invisible characters

#: Letters and symbols that show as blank space: Hangul fillers, braille blank, Khmer inherent
#: vowels, the combining grapheme joiner, musical null notehead.
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u034f\U0001d159")
_TAGS = range(0xE0000, 0xE0080)
_ZWNJ, _ZWJ = "\u200c", "\u200d"
#: Scripts that use the zero-width (non-)joiner in ordinary spelling (Persian, Hindi, …).
_JOINING_SCRIPTS = frozenset(
    {
        "ARABIC", "SYRIAC", "NKO", "MANDAIC", "MONGOLIAN", "DEVANAGARI", "BENGALI", "GURMUKHI",
        "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA", "MYANMAR",
        "KHMER", "TIBETAN",
    }
)  # fmt: skip
_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "TAB",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}
#: How a double-quoted YAML value writes a character (so the coordinator can find it).
_YAML_ESCAPES = {
    0x00: "\\0",
    0x07: "\\a",
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0B: "\\v",
    0x0C: "\\f",
    0x0D: "\\r",
    0x1B: "\\e",
    0x85: "\\N",
    0x2028: "\\L",
    0x2029: "\\P",
}
#: Everything that is not printable ASCII: the only characters the invisible check looks at.
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]")
#: The characters to refuse that Python counts as printable (str.isprintable is the fast test
#: for all the others: controls, format characters, separators, unassigned, private use).
_PRINTABLE_SUSPECTS = re.compile(
    "[" + "".join(sorted(BLANK_LOOKING)) + "\ufe00-\ufe0f\U000e0100-\U000e01ef\u180b-\u180d\u180f]"
)


def _all_visible(text: str) -> bool:
    """A fast test that ``text`` (line breaks aside) has nothing the invisible check refuses
    or :func:`visible_form` removes; ``False`` means: look character by character."""
    return text.replace("\n", " ").isprintable() and not _PRINTABLE_SUSPECTS.search(text)


def is_variation_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or code in {0x180B, 0x180C, 0x180D, 0x180F}


def _script_word(char: str) -> str:
    return unicodedata.name(char, "").split(" ")[0]


def _is_han(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK")


def _variation_allowed(text: str, i: int) -> bool:
    """A variation selector right after a character it can vary: an emoji or symbol (VS15, VS16),
    a math symbol or a letter of a non-Latin script (VS1–VS14), a Han ideograph (ideographic
    variation selectors), a Mongolian letter (free variation selectors)."""
    if i == 0:
        return False
    code, before = ord(text[i]), text[i - 1]
    category = unicodedata.category(before)
    if code in {0xFE0E, 0xFE0F}:
        return category[0] == "S" or before in "0123456789#*\u203c\u2049"
    if 0xFE00 <= code <= 0xFE0D:
        return category == "Sm" or (
            category[0] == "L" and _script_word(before) not in {"LATIN", "GREEK", "CYRILLIC"}
        )
    if 0xE0100 <= code <= 0xE01EF:
        return _is_han(before)
    return _script_word(before) == "MONGOLIAN"


def _joiner_allowed(text: str, i: int) -> bool:
    """A zero-width joiner inside an emoji sequence (👩‍⚕️), or a joiner or non-joiner between
    letters of a script that spells with them (Persian, Hindi, …)."""
    if i == 0 or i + 1 >= len(text):
        return False
    before, after = text[i - 1], text[i + 1]
    if all(
        unicodedata.category(c)[0] in "LM" and _script_word(c) in _JOINING_SCRIPTS for c in (before, after)
    ):
        return True
    if text[i] != _ZWJ:
        return False
    j = i - 1
    while j > 0 and (is_variation_selector(ord(text[j])) or 0x1F3FB <= ord(text[j]) <= 0x1F3FF):
        j -= 1
    return unicodedata.category(text[j]) == "So" and unicodedata.category(after) == "So"


def _invisible(text: str, i: int) -> bool:
    """Whether ``text[i]`` is a character that does not show (or shows as blank) where it is."""
    char = text[i]
    code = ord(char)
    if char in BLANK_LOOKING or code in _TAGS:
        return True
    if is_variation_selector(code):
        return not _variation_allowed(text, i)
    if char in (_ZWJ, _ZWNJ):
        return not _joiner_allowed(text, i)
    return unicodedata.category(char) in {"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"}


def _label(char: str) -> str:
    code = ord(char)
    category = unicodedata.category(char)
    if category == "Cc":
        name = _CONTROL_NAMES.get(code, "control character")
    else:
        fallback = {"Co": "private-use character", "Cn": "unassigned character", "Cs": "surrogate"}
        name = unicodedata.name(char, fallback.get(category, "format character"))
    escape = _YAML_ESCAPES.get(code)
    if escape is None and category == "Cc":
        escape = f"\\x{code:02X}"
    return f"{name}; between double quotes it is written {escape}" if escape else name


def invisible_problem(text: str, *, multiline: bool = False, noun: str = "text") -> tuple[str, str] | None:
    """(code, message) for a character of ``text`` that does not show, else ``None``.

    A newline is allowed only when ``multiline``; ``noun`` names the value in the message.
    """
    if _all_visible(text) and (multiline or "\n" not in text):
        return None
    for match in _NOT_PRINTABLE_ASCII.finditer(text):
        i, char = match.start(), match.group()
        if char == "\n":
            if multiline:
                continue
            if noun == "name":
                return ("name-not-one-line", "a name is one line of text: write `name: …` on a single line.")
            return (
                "not-one-line",
                "this field is one line of text: write it on the same line as the field name, "
                "without | or > and without \\n.",
            )
        if not _invisible(text, i):
            continue
        category = unicodedata.category(char)
        what = f"U+{ord(char):04X} ({_label(char)})"
        if category in {"Co", "Cn"}:
            what += ", a character that shows differently (or not at all) on each device"
        elif category == "Cc":
            what = "the invisible control character " + what
        else:
            what = "the invisible character " + what
        return ("invisible-character", f"the {noun} contains {what}. Retype the {noun} without it.")
    return None


def _drop_invisible(match: re.Match[str]) -> str:
    char = match.group()
    if char.isspace() or char in BLANK_LOOKING:
        return " "
    category = unicodedata.category(char)
    if category in {"Cc", "Cf", "Zl", "Zp"} or is_variation_selector(ord(char)):
        return ""  # tag characters are Cf
    return char


def visible_form(text: str) -> str:
    """``text`` as a reader (or a harvester) takes it: invisible characters removed, blank
    letters and line breaks as spaces, compatibility characters folded (NFKC), ideographic
    full stops as dots."""
    if not _all_visible(text):
        text = _NOT_PRINTABLE_ASCII.sub(_drop_invisible, text)
    elif "\n" in text:
        text = text.replace("\n", " ")
    if text.isascii():
        return text
    # NFKC makes U+FF0E a dot and U+FF61 an ideographic full stop (U+3002), which IDNA reads as a dot
    return unicodedata.normalize("NFKC", text).replace("\u3002", ".")


# --------------------------------------------------------------------------- email addresses

_WORD_AT = r"(?:at|AT|At)"
_WORD_DOT = r"(?:dot|DOT|Dot)"
_OPEN, _CLOSE = r"[\[({]", r"[\])}]"
_DISGUISED_AT = rf"(?:\s*{_OPEN}\s*(?:{_WORD_AT}|@)\s*{_CLOSE}\s*|\s+AT\s+|\s*@\s+)"
_DISGUISED_DOT = rf"(?:\s*{_OPEN}\s*(?:{_WORD_DOT}|\.)\s*{_CLOSE}\s*|\s+{_WORD_DOT}\s+)"
_ANY_DOT = rf"(?:{_DISGUISED_DOT}|\s*\.\s*)"
_NAME = r"[^\W_]+(?:-[^\W_]+)*"
#: Not after a character of a local part: the search then tries each word once.
_WORD_START = "(?<!" + _LOCAL[:-1] + ")"
_LAST = r"(?:xn--[a-z0-9-]+|[^\W\d_]{2,})\b"
#: "ana [at] example [dot] edu", "ana(at)example.edu", "ana @ example . edu", "ANA AT EXAMPLE
#: DOT EDU", and "ana at example dot edu" (a plain " at " only with every dot written as a word
#: or in brackets: "trained at Lakeshore.edu" is not an address). An "@" with no space after
#: it is a handle ("Bluesky @ana.bsky.social"), not a disguise.
DISGUISED_EMAIL = re.compile(
    rf"{_WORD_START}{_LOCAL}{_DISGUISED_AT}{_NAME}(?:{_ANY_DOT}{_NAME})*{_ANY_DOT}{_LAST}"
    rf"|{_WORD_START}{_LOCAL}\s+at\s+{_NAME}(?:{_DISGUISED_DOT}{_NAME})*{_DISGUISED_DOT}{_LAST}"
)
_BRACKETED = re.compile(r"[\[({]\s*(?:at|AT|At|\.)\s*[\])}]")


def _may_be_disguised(text: str) -> bool:
    """What every disguise has (an at sign, AT, a dot word, a bracketed at or dot), tested
    with substring searches: text without one is not searched with the pattern above."""
    if "@" in text or "AT" in text or "dot" in text.lower():
        return True
    return ("[" in text or "(" in text or "{" in text) and _BRACKETED.search(text) is not None


#: A backslash escape of CommonMark (any ASCII punctuation), which other renderers of
#: directory.json may apply where Python-Markdown does not (``\@``).
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
#: Markdown that a reader does not see (emphasis, code, escapes) and that can split a disguise.
_MARKS = re.compile(r"[*_`~\\]")


def _may_hide_address(text: str) -> bool:
    """Whether rendering or decoding could turn ``text`` into an address: only such text is
    rendered (substring searches: a regular expression costs ten times more)."""
    if "@" in text or "%" in text or "&" in text:
        return True
    lower = text.lower()
    return "xn--" in lower or "mailto" in lower


_IDNA_LABEL = re.compile(r"\bxn--[a-z0-9-]+", re.IGNORECASE)


@dataclass(frozen=True)
class FoundEmail:
    """An email address found in a text, as published, and where."""

    address: str
    #: "text" (in the words), "link" (in a link target), "mailto" (a mailto: link),
    #: "disguise" (written with [at], (dot), …)
    where: str


def _idna_decoded(text: str) -> str:
    def decode(match: re.Match[str]) -> str:
        try:
            return match.group().encode("ascii").decode("idna")
        except UnicodeError:
            return match.group()

    return _IDNA_LABEL.sub(decode, text)


def _percent_decoded(text: str) -> str:
    """%-codes decoded until nothing changes (``%2540`` is ``%40`` is ``@``), at most 3 times."""
    for _ in range(3):
        decoded = unquote(text, errors="replace")
        if decoded == text:
            break
        text = decoded
    return text


def _link_target(link: str) -> tuple[str, bool]:
    """A link target as its address is read: decoded, folded, without ``mailto:``."""
    target = visible_form(_idna_decoded(_percent_decoded(link)))
    bare = re.sub(r"^\s*" + MAILTO_PATTERN + r"\s*", "", target)
    return bare, bare != target


def _has_at(text: str) -> bool:
    return "@" in text or "\uff20" in text or "\ufe6b" in text


def _search(form: str) -> re.Match[str] | None:
    return _EMAIL.search(form) if _has_at(form) else None


def find_email(text: str) -> FoundEmail | None:
    """The first email address in what is published of ``text``, else ``None``.

    Looked for, in order: in the rendered words, in every link target, in the text as typed
    and as read (invisible characters removed, NFKC, %-codes decoded), then for disguises.
    Text that holds nothing rendering or decoding could turn into an address is not rendered.
    """
    visible = visible_form(text)
    page = published(text) if _may_hide_address(visible) else None
    if page is not None:
        words = visible_form(page.text)
        for form in (words, _percent_decoded(words) if "%" in words else ""):
            if match := _search(form):
                return FoundEmail(match.group(), "text")
        for link in page.links:
            target, mailto = _link_target(link)
            if match := _search(target):
                return FoundEmail(match.group(), "mailto" if mailto else "link")
    forms = [text, visible]
    if "\\" in visible:
        forms.append(_MARKDOWN_ESCAPE.sub(r"\1", visible))  # as CommonMark renders it (ana\@…)
    if "%" in visible:
        forms.append(visible_form(_percent_decoded(visible)))
    for form in forms:
        if match := _search(form):
            return FoundEmail(visible_form(match.group()), "text")
    for form in (visible, visible_form(page.text) if page is not None else ""):
        if _may_be_disguised(form) and (match := DISGUISED_EMAIL.search(_MARKS.sub("", form))):
            return FoundEmail(" ".join(match.group().split()), "disguise")
    return None


_HARVESTED = "files in a public repository are harvested by spammers."
_INSTEAD = "mentees reach mentors through the request form."


def _email_message(found: FoundEmail, noun: str) -> str:
    if found.where == "mailto":
        return (
            f"a link to an email address (mailto:{found.address}) is in the {noun}: {_HARVESTED} "
            f"Remove the link; {_INSTEAD}"
        )
    if found.where == "link":
        return (
            f"a link in the {noun} contains an email address ({found.address}): {_HARVESTED} "
            f"Remove the link or link a page without the address; {_INSTEAD}"
        )
    if found.where == "disguise":
        return (
            f"an email address written in disguise ({found.address!r}) is in the {noun}: "
            f"harvesters read such disguises too, and {_HARVESTED} Remove it; {_INSTEAD}"
        )
    return f"an email address ({found.address}) is in the {noun}: {_HARVESTED} Remove it; {_INSTEAD}"


def email_contact_problem(value: str, *, field: str, instead: str) -> tuple[str, str] | None:
    """(code, message) when ``value``, given where a web page is wanted (FIELD names it), is
    an email address or a ``mailto:`` link, else ``None``: the message says to link INSTEAD,
    a web page or form, because an email in a public repository is harvested."""
    found = find_email(value)
    if found is None and not ("mailto" in value.lower() and _MAILTO.search(visible_form(value))):
        return None
    what = f"holds an email address ({found.address})" if found is not None else "is a mailto: link"
    return (
        "email-as-contact",
        f"{field} {what}, but it must be the https:// address of a web page or form: "
        f"{_HARVESTED} Replace it with {instead}.",
    )


# --------------------------------------------------------------------------- the text rule


def text_problem(text: str, *, multiline: bool = False, noun: str = "text") -> tuple[str, str] | None:
    """(code, message) for text that must not be published, else ``None``.

    ``multiline``: a newline is allowed (a bio, a program's description); ``noun`` names the
    value in messages ("text", "name", "address").
    """
    if found := find_email(text):
        return ("email-in-text", _email_message(found, noun))
    if "mailto" in (visible := visible_form(text)).lower() and _MAILTO.search(visible):
        return (
            "mailto-link",
            f"'mailto:' links are not allowed: an email address in a public repository is "
            f"harvested by spammers. Remove the link; {_INSTEAD}",
        )
    if match := _HTML.search(text):
        snippet = text[match.start() : match.start() + 12]
        if snippet.startswith("<http"):
            return (
                "raw-html",
                f"'<' followed by a letter looks like HTML ({snippet!r}…), which is not allowed. "
                "Write the link as [text](https://…) instead of <https://…>.",
            )
        return (
            "raw-html",
            f"'<' followed by a letter looks like HTML ({snippet!r}…), which is not allowed. "
            "Write plain text: for emphasis use *stars*, for links [text](https://…), and for "
            "'less than' put a space after '<'.",
        )
    if _JS.search(text):
        return ("script-url", "'javascript:' is not allowed in text. Use an https:// link.")
    if match := _ENTITY.search(text):
        return (
            "html-entity",
            f"HTML character codes like {match.group(0)!r} are not allowed: type the character itself.",
        )
    if _DATA_URL.search(text):
        return ("script-url", "links to 'data:' addresses are not allowed. Use an https:// link.")
    if _BIDI.search(text):
        return (
            "bidi-control",
            "an invisible text-direction control character is in the text; it can make text "
            "display differently from what it is. Retype the text without it.",
        )
    return invisible_problem(text, multiline=multiline, noun=noun)


# --------------------------------------------------------------------------- names


def _script(char: str) -> str | None:
    """The script of a letter, from its Unicode name ('LATIN', 'CYRILLIC', …)."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    first = name.split(" ")[0]
    if first in {"CJK", "HIRAGANA", "KATAKANA"}:
        return "HAN-JAPANESE"
    return first or None


def name_problem(name: str) -> tuple[str, str] | None:
    """(code, message) for a person's or program's name that could mislead, else ``None``.

    Run after :func:`text_problem` (which refuses invisible characters and line breaks).
    """
    normal = unicodedata.normalize("NFKC", name)
    if normal != name:
        odd = sorted({c for c in name if unicodedata.normalize("NFKC", c) != c})
        which = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'character')}" for c in odd)
        return (
            "name-not-normalized",
            f"the name uses look-alike or compatibility characters ({which}); "
            f"retype them as ordinary characters: {normal!r}.",
        )
    if name != name.strip() or "  " in name:
        return ("name-spacing", "the name has leading, trailing or double spaces: remove them.")
    for word in re.split(r"[\s\-'’.]+", name):
        scripts = {s for s in map(_script, word) if s}
        if len(scripts) > 1:
            return (
                "mixed-script",
                f"the word {word!r} mixes letters of different alphabets "
                f"({', '.join(sorted(s.title() for s in scripts))}), which can imitate another "
                "name. Retype it in one alphabet.",
            )
    return None


def name_key(name: str) -> str:
    """The form two names are compared in: invisible characters removed and blank-looking ones
    made spaces, NFKC, case-folded, spaces collapsed, and without the credentials after a comma
    ("Ana Example, MD" and "Ana Example" are one name; so are "Ana Exam\\u200bple" and "Ana
    Example")."""
    person = visible_form(name).split(",", 1)[0]
    return " ".join(unicodedata.normalize("NFKC", person.casefold()).split())
