"""Matching: settings, scoring, the mentor index, one team, a cohort, evaluation, loads and the
reports of a match. Reads validated content; imports ``core`` and ``content``."""

DEPENDS_ON: tuple[str, ...] = ("core", "content")
