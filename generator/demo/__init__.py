"""Synthetic data: demo networks of fictional mentors, synthetic requests for evaluation and a
fictional request ledger. Imports ``core``, ``content`` and ``requests`` (the ledger model)."""

DEPENDS_ON: tuple[str, ...] = ("core", "content", "requests")
