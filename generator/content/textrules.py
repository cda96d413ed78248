"""Rules for free text and names that JSON Schema alone cannot say well.

Each check returns the problem as a short sentence with the fix, or ``None``.
The same rules are expressed as JSON Schema patterns where that is possible, so
editors and other tools reject the same text.
"""

from __future__ import annotations

import re
import unicodedata

# Raw HTML (a tag, comment, or declaration) and script URLs are never allowed in text.
HTML_PATTERN = r"<[A-Za-z!/?]"
JAVASCRIPT_PATTERN = "".join(f"[{c.lower()}{c.upper()}]" for c in "javascript") + r"\s*:"
EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
BIDI_PATTERN = "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
# &#58; or &colon; can hide "javascript:" from a check and come back in a Markdown renderer
ENTITY_PATTERN = r"&#?[A-Za-z0-9]+;"
DATA_URL_PATTERN = r"\]\(\s*<?\s*[dD][aA][tT][aA]\s*:"
UNSAFE_TEXT_PATTERN = (
    f"{HTML_PATTERN}|{JAVASCRIPT_PATTERN}|{EMAIL_PATTERN}|{BIDI_PATTERN}|{ENTITY_PATTERN}|{DATA_URL_PATTERN}"
)

_HTML = re.compile(HTML_PATTERN)
_JS = re.compile(JAVASCRIPT_PATTERN)
_EMAIL = re.compile(EMAIL_PATTERN)
_BIDI = re.compile(BIDI_PATTERN)
_ENTITY = re.compile(ENTITY_PATTERN)
_DATA_URL = re.compile(DATA_URL_PATTERN)


def text_problem(text: str) -> tuple[str, str] | None:
    """(code, message) for text that must not be published, else ``None``."""
    if match := _HTML.search(text):
        snippet = text[match.start() : match.start() + 12]
        if snippet.startswith(("<http", "<mailto")):
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
    if match := _EMAIL.search(text):
        return (
            "email-in-text",
            f"an email address ({match.group(0)}) is in the text: files in a public repository "
            "are harvested by spammers. Remove it; mentees reach mentors through the request form.",
        )
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
    return None


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
    """(code, message) for a person's or program's name that could mislead, else ``None``."""
    if "\n" in name or "\r" in name:
        return ("name-not-one-line", "a name is one line of text: write `name: …` on a single line.")
    normal = unicodedata.normalize("NFKC", name)
    if normal != name:
        odd = sorted({c for c in name if unicodedata.normalize("NFKC", c) != c})
        which = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'character')}" for c in odd)
        return (
            "name-not-normalized",
            f"the name uses look-alike or compatibility characters ({which}); "
            f"retype them as ordinary characters: {normal!r}.",
        )
    for char in name:
        category = unicodedata.category(char)
        if category in {"Cf", "Cc", "Co", "Cn"}:
            what = {"Cc": "control character", "Co": "private-use character", "Cn": "unassigned character"}
            label = unicodedata.name(char, what.get(category, "format character"))
            return (
                "invisible-character",
                f"the name contains the invisible character U+{ord(char):04X} ({label}). "
                "Retype the name without it.",
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
    """The form two names are compared in: NFKC, case-folded, spaces collapsed, and
    without the credentials after a comma ("Ana Example, MD" and "Ana Example" are one name)."""
    person = unicodedata.normalize("NFKC", name).split(",", 1)[0]
    return " ".join(person.casefold().split())
