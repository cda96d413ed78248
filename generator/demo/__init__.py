"""Synthetic data: demo networks of fictional mentors and synthetic requests for evaluation.
Imports ``core`` and ``content``."""

DEPENDS_ON: tuple[str, ...] = ("core", "content")
