"""Content files: strict YAML loading, text rules, the vocabulary, the models, validation and its
reporters, the export (directory.json), Markdown rendering, schema files and CODEOWNERS.
Everything downstream reads the network through this package. Imports only ``core``."""

DEPENDS_ON: tuple[str, ...] = ("core",)
