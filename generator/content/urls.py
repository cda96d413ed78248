"""What a web address in a profile may be: a well-formed https:// URL of printable ASCII.

One rule for every URL field (``website``, ``contact.url``), for the renderer's last check
before a template links an address (:func:`generator.content.render.https_only`) and for the
JSON Schemas (:data:`HTTPS_PATTERN`), so that what the validator accepts can be written as-is
into an ``href`` or into ``directory.json`` by anyone. Quotes, backslashes, spaces, ``<>``,
control and invisible characters, and non-ASCII letters are refused with a fix each; an
address that passes is ASCII made only of the characters RFC 3986 allows, less the quote.
"""

from __future__ import annotations

import re
import unicodedata

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: An https address: a DNS host name (letters, digits, hyphens; the last label letters or an
#: ``xn--`` label), an optional port, then a path, query and fragment of RFC 3986 characters
#: (no ``'``) and ``%`` codes. Written so that Python and JavaScript read it the same way.
HTTPS_PATTERN = (
    r"^https://(?:" + _LABEL + r"\.)+(?:[A-Za-z]{2,63}|[xX][nN]--[A-Za-z0-9-]{1,59})(?::[0-9]{1,5})?"
    r"(?:[/?#](?:[A-Za-z0-9._~!$&()*+,;=:@/?#-]|%[0-9A-Fa-f]{2})*)?$"
)
_HTTPS = re.compile(HTTPS_PATTERN)
_ALLOWED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&()*+,;=%")
_QUOTES = "\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


def url_character_problem(value: str) -> tuple[str, str] | None:
    """(code, message) for a character no web address in a profile may contain, else ``None``."""
    for char in value:
        if char in _ALLOWED:
            continue
        category = unicodedata.category(char)
        if category[0] == "C" or category in {"Zl", "Zp"} or (category == "Zs" and char != " "):
            kind = "control character" if category == "Cc" else "character"
            return (
                "url-character",
                f"the address contains the invisible {kind} {_describe(char)}. Delete the "
                "address and copy it again from the browser's address bar.",
            )
        if char.isspace():
            return (
                "url-character",
                "the address contains a space, and web addresses have none. Copy it again from "
                "the browser's address bar (a space in an address is written %20).",
            )
        if char in _QUOTES:
            return (
                "url-character",
                f"the address contains the quote mark {char}. Write the address without quote "
                "marks inside or around it; if the page's address really has one, copy it from the "
                "browser's address bar, which writes it as %22 or %27.",
            )
        if char == "\\":
            return (
                "url-character",
                "the address contains a backslash (\\). Web addresses use forward slashes (/): "
                "copy the address again from the browser's address bar.",
            )
        if char in "<>":
            return (
                "url-character",
                f"the address contains {char!r}. Write the address alone, without < > around it "
                "or inside it.",
            )
        if char.isascii():
            return (
                "url-character",
                f"the address contains {char!r}, which is not allowed in a web address. Copy the "
                "address again from the browser's address bar, which writes such characters as "
                "%-codes.",
            )
        return (
            "url-character",
            f"the address contains {char!r} ({_describe(char)}); a web address here is written "
            "in plain ASCII. Copy it again from the browser's address bar, which writes such "
            "letters as %-codes (and a domain name with accents in its xn-- form).",
        )
    if match := _PERCENT.search(value):
        snippet = value[match.start() : match.start() + 3]
        return (
            "url-character",
            f"'%' must start a %-code of two hexadecimal digits (such as %20), but the address has "
            f"{snippet!r}. Copy the address again from the browser's address bar.",
        )
    return None


def is_https_url(value: str) -> bool:
    """True when ``value`` is a well-formed https address of allowed characters only."""
    return url_character_problem(value) is None and _HTTPS.match(value) is not None
