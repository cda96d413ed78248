"""Contributing without git: the profile issue forms ("Add a mentor", "Update my profile", "Add a
program") generated from the models and the vocabulary, the bot that turns a submission into a
reviewed pull request, and the pull-request feedback (sticky summary, preview of changed pages).
Imports ``core``, ``content``, ``requests`` (the request form's language list and answer
conventions) and ``bot`` (the GitHub client and the neutralising of quoted text)."""

DEPENDS_ON: tuple[str, ...] = ("core", "content", "requests", "bot")
