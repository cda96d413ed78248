"""Text generated into the docs by cog: field tables, vocabulary tables, the CLI reference and
example reports. The top layer: it may import every package and the CLI."""

DEPENDS_ON: tuple[str, ...] = (
    "core",
    "content",
    "requests",
    "matching",
    "search",
    "federation",
    "site",
    "bot",
    "demo",
    "cli",
)
