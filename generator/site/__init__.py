"""The static site: the build, the Pelican plugin, the pages' views, pagination, the sitemap, the
data files, the page writer, the private matching page's payload, the pages built from the request
ledger and the local server. Imports the packages below it: ``core``, ``content``, ``requests``,
``matching``, ``search``, ``reports`` and ``federation`` (the peer networks' committed
snapshots, read and merged into the directory)."""

DEPENDS_ON: tuple[str, ...] = ("core", "content", "requests", "matching", "search", "reports", "federation")
