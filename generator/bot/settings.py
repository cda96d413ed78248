"""The request bot's schedule settings (``schemas/bot.yml``), checked on load.

Every duration of the scheduled run lives in the data file, not in code: how long an offer
waits for an answer, when a request with no accepted mentor is asked whether to keep
looking and when it is closed, when pairs are checked in on, and how old the carried
snapshot may be. A problem names the file, the line and the fix (:class:`ContentError`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from generator.content.yamlload import load_file
from generator.core.paths import project_root
from generator.core.problems import ContentError, Problem

Days = Annotated[int, Field(ge=1, le=3650)]


class BotSettings(BaseModel):
    """See the comments of ``schemas/bot.yml``."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    offer_expiry_days: Days = 7
    keep_asking_after_days: Days = 30
    close_after_silence_days: Days = 14
    checkin_weeks: Annotated[tuple[Annotated[int, Field(ge=1, le=52)], ...], Field(max_length=8)] = (2, 4)
    checkin_every_days: Days = 30
    checkin_answer_days: Days = 10
    snapshot_max_age_days: Days = 30
    rebuild_issues_per_run: Annotated[int, Field(ge=10, le=100_000)] = 600

    @field_validator("checkin_weeks", mode="before")
    @classmethod
    def _weeks(cls, value: object) -> object:
        if isinstance(value, list):
            value = tuple(value)
        if isinstance(value, tuple) and list(value) != sorted(set(value)):
            raise ValueError("the weeks must be distinct and in increasing order, like [2, 4]")
        return value


def settings_file() -> Path:
    """``schemas/bot.yml`` of the project."""
    return project_root() / "schemas" / "bot.yml"


def load_bot_settings(path: Path | str | None = None) -> BotSettings:
    """Read and check the settings file; raises ContentError listing every problem."""
    loaded = load_file(settings_file() if path is None else path)
    if loaded.problems:
        raise ContentError(loaded.problems)
    if not isinstance(loaded.data, dict):
        raise ContentError(
            [Problem(loaded.path, 1, 1, "bot-settings", "the file must be `key: value` lines")]
        )
    try:
        return BotSettings.model_validate(loaded.data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            line, col = loaded.where(loc)
            key = ".".join(str(p) for p in loc) or "the file"
            if error["type"] == "extra_forbidden":
                fix = f"unknown setting '{key}': the settings are {', '.join(BotSettings.model_fields)}"
            else:
                fix = f"'{key}': {error['msg']} (see the comment above it)"
            problems.append(Problem(loaded.path, line, col, "bot-settings", fix))
        raise ContentError(problems) from None
