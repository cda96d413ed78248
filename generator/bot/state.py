"""The request bot's memory, kept inside its own comment on each request issue.

The comment's first line is a hidden marker, :data:`MARKER`, and its last line a JSON state
block in an HTML comment (invisible on GitHub): the team offered, each mentor's status
(offered, accepted, declined; since version 3 also expired, released and ended) and its dates
(offered, answered, ended), the check-ins asked of each accepted pair and its health, whether
the mentee was asked to keep looking, the thank-you notes the mentee chose to make public, the
ids of the command comments already applied and a hash of the request the team was made for.
It never holds who the mentee is (no login, no identity answer). The bot reads the state
ONLY from comments written by its own login, and only there: the marker on the first line,
the block on the last.

Reading is strict, because the comment also quotes the mentee (neutralised, see
:mod:`generator.bot.comments`, but a comment may have been written by an older version, or
edited by anyone who can edit comments): the block is the comment's last line, exactly as
:func:`dump_state` writes it, and the only one in the comment. Anything else — no block, a
second one, text after it, JSON that is not the bot's own canonical form, an unknown field,
a value of the wrong shape, a block too long — is refused with :class:`StateError` (never
another exception). The bot then writes nothing on the issue (see `generator.bot.plan`):
starting afresh would forget the accepted places.
Writing escapes ``<``, ``>`` and ``&`` so nothing in the block can close the HTML comment.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.content.models import ID_PATTERN, Request

MARKER = "<!-- mentormemed-bot:v1 -->"
STATE_NAME = "mentormemed-bot-state"
#: The state's version: 2 keeps no identity answers (no reason naming one, and a request
#: hash without them); 3 adds the dates, check-ins, health, the `/keep` question and thanks
#: (the life of a mentorship after the match, issue 15). Version 1 and 2 blocks are still
#: read, and upgraded: see :func:`load_state`.
STATE_VERSION: Literal[3] = 3
STATE_START = f"<!-- {STATE_NAME}:v{STATE_VERSION} "
STATE_STARTS = {1: f"<!-- {STATE_NAME}:v1 ", 2: f"<!-- {STATE_NAME}:v2 ", 3: STATE_START}
STATE_END = " -->"
#: The longest state block read or written (characters of JSON).
MAX_STATE_CHARS = 48_000
#: How many command comment ids are remembered; older ones are folded into `processed_floor`.
MAX_PROCESSED = 500

#: offered: waiting for the mentor's answer; accepted: the pair is on; declined: the mentor
#: said no; expired: no answer in time, the place went to another mentor; released: the mentee
#: asked another mentor instead (`/rematch`); ended: an accepted pair finished (`/done`).
Status = Literal["offered", "accepted", "declined", "expired", "released", "ended"]
#: The statuses a version 1 or 2 state can hold.
OLD_STATUSES = frozenset({"offered", "accepted", "declined"})
Phase = Literal["needs-info", "matched", "no-match", "withdrawn"]
MentorId = Annotated[str, Field(pattern=ID_PATTERN, max_length=100)]
Reason = Annotated[str, Field(max_length=300)]
#: A day, as ISO 8601 text (`2026-01-05`): the state is compared as the bot writes it.
Day = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
Answer = Literal["met", "not-yet", "need-help"]
Health = Literal["on-track", "needs-check-in", "too-early"]
#: The longest thank-you note kept (characters, after sanitising).
MAX_THANKS_CHARS = 280
MAX_THANKS = 20


class StateError(ValueError):
    """A state block that cannot be trusted (too long, not JSON, wrong shape)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class CheckIn(_Model):
    """One check-in period asked of an accepted pair (`week-2`, `month-2`…), and the answers."""

    period: Annotated[str, Field(pattern=r"^(week|month)-[0-9]{1,3}$")]
    asked_on: Day
    mentee: Answer | None = None
    mentor: Answer | None = None


class Thanks(_Model):
    """A public thank-you the mentee wrote to one mentor with `/thanks` (sanitised)."""

    mentor: MentorId
    on: Day
    text: Annotated[str, Field(min_length=1, max_length=MAX_THANKS_CHARS)]


class Placement(_Model):
    """One mentor offered to the mentee, and what became of the offer."""

    mentor: MentorId
    status: Status = "offered"
    covers: Annotated[list[MentorId], Field(max_length=10)] = []
    reasons: Annotated[list[Reason], Field(max_length=20)] = []
    # version 3
    offered_on: Day | None = None
    answered_on: Day | None = None
    ended_on: Day | None = None
    checkins: Annotated[list[CheckIn], Field(max_length=60)] = []
    health: Health | None = None

    def checkin(self, period: str) -> CheckIn | None:
        return next((c for c in self.checkins if c.period == period), None)


class BotState(_Model):
    """Everything the bot remembers about one request issue."""

    version: Literal[1, 2, 3] = STATE_VERSION
    phase: Phase = "needs-info"
    request_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    team_size: Annotated[int, Field(ge=0, le=5)] = 0
    team: Annotated[list[Placement], Field(max_length=40)] = []
    processed: Annotated[list[Annotated[int, Field(ge=1)]], Field(max_length=MAX_PROCESSED)] = []
    processed_floor: Annotated[int, Field(ge=0)] = 0
    # version 3
    keep_asked_on: Day | None = None  # the mentee was asked whether to keep looking
    kept_on: Day | None = None  # ... and said `/keep` (or reopened the request)
    closed_on: Day | None = None  # the bot closed the request after silence
    thanks: Annotated[list[Thanks], Field(max_length=MAX_THANKS)] = []

    # -- questions ----------------------------------------------------------------------------

    def status_of(self, mentor_id: str) -> Status | None:
        for place in self.team:
            if place.mentor == mentor_id:
                return place.status
        return None

    def ids(self, status: Status) -> list[str]:
        return [p.mentor for p in self.team if p.status == status]

    def place(self, mentor_id: str) -> Placement | None:
        return next((p for p in self.team if p.mentor == mentor_id), None)

    @property
    def active(self) -> list[Placement]:
        """The places offered or accepted, in the team's order."""
        return [p for p in self.team if p.status in ("offered", "accepted")]

    @property
    def ended(self) -> list[Placement]:
        return [p for p in self.team if p.status == "ended"]

    def accepted_places(self) -> list[str]:
        """Mentors whose place on this request counts towards their load."""
        return [] if self.phase == "withdrawn" else self.ids("accepted")

    def is_processed(self, comment_id: int) -> bool:
        return comment_id <= self.processed_floor or comment_id in self.processed

    # -- changes ------------------------------------------------------------------------------

    def mark_processed(self, comment_id: int) -> BotState:
        if self.is_processed(comment_id):
            return self
        ids = sorted({*self.processed, comment_id})
        floor = self.processed_floor
        if len(ids) > MAX_PROCESSED:
            dropped, ids = ids[: len(ids) - MAX_PROCESSED], ids[len(ids) - MAX_PROCESSED :]
            floor = max(floor, *dropped)
        return self.model_copy(update={"processed": ids, "processed_floor": floor})

    def set_status(self, mentor_id: str, status: Status, **dates: str | None) -> BotState:
        """MENTOR_ID's place set to STATUS, and any of `offered_on`, `answered_on`, `ended_on`."""
        return self.update_place(mentor_id, status=status, **dates)

    def update_place(self, mentor_id: str, **fields: object) -> BotState:
        team = [p.model_copy(update=fields) if p.mentor == mentor_id else p for p in self.team]
        return self.model_copy(update={"team": team})


def request_hash(request: Request) -> str:
    """A fingerprint of the request's answers, identities left out (the state keeps no trace
    of them): the team is remade only when the other answers change, or on `/rematch`."""
    answers = request.model_dump(mode="json", exclude={"affinities"})
    canonical = json.dumps(answers, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def legacy_request_hash(request: Request) -> str:
    """The fingerprint a version 1 state kept (identities included): a version 1 state made for
    the same request is taken over without remaking its team."""
    canonical = json.dumps(request.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def is_identity_reason(reason: str) -> bool:
    """A reason that names, or hints at, the identities a mentee chose (`shares: …`, `shares an
    affinity you asked for`): never kept in the state, and shown only as a count."""
    return reason.lower().startswith("shares")


#: The fields version 3 added: a version 1 or 2 block has none of them.
V3_STATE_FIELDS = frozenset({"keep_asked_on", "kept_on", "closed_on", "thanks"})
V3_PLACEMENT_FIELDS = frozenset({"offered_on", "answered_on", "ended_on", "checkins", "health"})


def _block(state: BotState) -> str:
    data = state.model_dump(mode="json")
    if state.version < 3:  # written as that version wrote it
        data = {k: v for k, v in data.items() if k not in V3_STATE_FIELDS}
        data["team"] = [{k: v for k, v in p.items() if k not in V3_PLACEMENT_FIELDS} for p in data["team"]]
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    if len(text) > MAX_STATE_CHARS:
        raise StateError(f"the bot's state is {len(text)} characters, more than {MAX_STATE_CHARS}")
    return STATE_STARTS[state.version] + text + STATE_END


def dump_state(state: BotState) -> str:
    """The state block to put in the bot's comment (one line, safe inside an HTML comment),
    always of the current version, with no identity reason."""
    team = [
        p.model_copy(update={"reasons": [r for r in p.reasons if not is_identity_reason(r)]})
        for p in state.team
    ]
    return _block(state.model_copy(update={"version": STATE_VERSION, "team": team}))


def _upgrade(state: BotState) -> BotState:
    """A version 1 or 2 state as version 3: identity reasons dropped (the request hash of a
    version 1 state is replaced by the plan, which compares it with
    :func:`legacy_request_hash`); the dates it did not keep are left empty, and the scheduled
    run starts their clocks on the day it first reads them (never expiring an offer at once)."""
    team = [
        p.model_copy(update={"reasons": [r for r in p.reasons if not is_identity_reason(r)]})
        for p in state.team
    ]
    return state.model_copy(update={"version": STATE_VERSION, "team": team})


def load_state(comment_body: str) -> BotState | None:
    """The state in the bot's main comment: its last line, exactly as :func:`dump_state` wrote
    it, the one state block in the comment. None if the comment has no state block at all;
    StateError for any other block, or a second one."""
    body = comment_body.replace("\r\n", "\n").rstrip("\n")
    count = body.count(STATE_NAME)
    if count == 0:
        return None
    if count != 1:
        raise StateError("more than one state block")
    block = body.rpartition("\n")[2]
    version = next((v for v, start in STATE_STARTS.items() if block.startswith(start)), None)
    if version is None or not block.endswith(STATE_END):
        raise StateError("the state block is not the comment's last line")
    raw = block[len(STATE_STARTS[version]) : -len(STATE_END)]
    if len(raw) > MAX_STATE_CHARS:
        raise StateError("the state block is too long")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise StateError("the state block is not JSON") from None
    if not isinstance(data, dict):
        raise StateError("the state block is not a JSON object")
    try:
        state = BotState.model_validate(data)
    except ValidationError as exc:
        raise StateError(f"the state block has {exc.error_count()} problem(s)") from None
    seen: set[str] = set()
    for place in state.team:
        if place.mentor in seen:
            raise StateError("a mentor is in the team twice")
        seen.add(place.mentor)
    if state.version != version or _block(state) != block:
        raise StateError("the state block is not written as the bot writes it")
    if version < 3 and any(p.status not in OLD_STATUSES for p in state.team):
        raise StateError("the state block is not written as the bot writes it")
    if version >= 2 and any(is_identity_reason(r) for p in state.team for r in p.reasons):
        raise StateError("the state block is not written as the bot writes it")
    thanked = {t.mentor for t in state.thanks}
    if not thanked <= {p.mentor for p in state.team}:
        raise StateError("a thank-you is for a mentor not in the team")
    return _upgrade(state) if version < STATE_VERSION else state
