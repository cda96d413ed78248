"""Default addresses of the directory site (kept apart so the CLI can show them cheaply)."""

from __future__ import annotations

DEFAULT_SITE_URL = "https://mentormemed.github.io/directory"
DEFAULT_REPOSITORY_URL = "https://github.com/mentormemed/directory"
SITE_NAME = "MentorMeMed"
