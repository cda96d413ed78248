"""Search files: facets for the client-side filter, the lunr index and its shards.
Imports ``core`` and ``content``."""

DEPENDS_ON: tuple[str, ...] = ("core", "content")
