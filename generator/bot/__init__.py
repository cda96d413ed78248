"""The request bot: run on an issue event, its state, its comments and the GitHub client.
Imports ``core``, ``content``, ``requests`` and ``matching``; never the site."""

DEPENDS_ON: tuple[str, ...] = ("core", "content", "requests", "matching")
