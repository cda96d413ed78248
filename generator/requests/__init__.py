"""Mentee requests: the issue form generated from the models, its parser, and request files.
Imports ``core`` and ``content``."""

DEPENDS_ON: tuple[str, ...] = ("core", "content")
