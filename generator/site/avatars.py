"""A mentor card's avatar: initials on a colour chosen from the mentor id (no photos).

The avatar is decorative (the name is next to it, and it is hidden from screen readers). The
same two functions are in ``theme/static/js/directory-state.js`` (``initials`` and
``avatarColour``), for the cards the directory builds in the browser; a test runs both on the
same names. The colours are ``--avatar-0`` … ``--avatar-7`` of ``theme/static/css/design.css``,
each dark enough for white text (a test checks the contrast).
"""

from __future__ import annotations

#: How many avatar colours the design system has (``.avatar-0`` … ``.avatar-7``).
AVATAR_COLOURS = 8

#: Words before a name that are not part of it.
_TITLES = frozenset({"dr", "dr.", "prof", "prof.", "mx", "mx."})


def initials(name: str, fallback: str = "") -> str:
    """The first letters of the first and the last word of a name, without the degrees after a
    comma or a title before it ("Dr. Ana María Example, MD" → "AE")."""
    words = [w for w in name.split(",", 1)[0].split() if w[0].isalpha() and w.lower() not in _TITLES]
    if not words:
        return fallback[:1].upper()
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar_colour(mentor_id: str) -> int:
    """A colour for a mentor id, always the same: a hash of the id, modulo the colours."""
    value = 0
    for char in mentor_id:
        value = (value * 31 + ord(char)) % 4294967296
    return value % AVATAR_COLOURS
