"""Figures built from the request ledger (:mod:`generator.requests.ledger`) and the content:
the outcomes page, institution reports with the minority-tax indicator, and mentors'
recognition records; the small-cell rule, academic years, CSV and static SVG plots. Imports
``core``, ``content``, ``requests`` and ``matching`` (for the URiM affinities of
``schemas/matching.yml``)."""

DEPENDS_ON: tuple[str, ...] = ("core", "content", "requests", "matching")
