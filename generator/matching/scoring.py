"""How well one mentor fits one request: hard constraints, scored parts and the reasons.

Pure functions over plain data, no I/O. The site's JavaScript scorer is a port of this
module, so it stays simple arithmetic in a fixed, documented order (``docs/matching.md``):

* a mentor is *eligible* when every hard constraint of :data:`HARD_CONSTRAINTS` holds;
* the score is the sum of the named parts of :data:`PART_NAMES`, added in that order;
* candidates are ranked by ``(-score, mentor id)``.

Private affinities count exactly like public ones, but nothing meant for people
(reasons, covers) ever names one: :func:`reasons` says "shares an affinity you asked for".
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from generator.content.models import MUST_FIELDS, Mentor, Request
from generator.content.vocabulary import Vocabulary
from generator.matching.config import MatchingConfig

#: Hard constraints in the order they are checked and reported.
HARD_CONSTRAINTS: tuple[str, ...] = ("accepting", "capacity", *MUST_FIELDS)
#: Musts that hold for a team, not for each member: ``affinities`` as a must means at least
#: one member shares an identity the mentee asked for (docs/requests.md). Every other hard
#: constraint holds for every member.
TEAM_MUSTS: tuple[str, ...] = ("affinities",)
#: The parts of a score, in the order they are added.
PART_NAMES: tuple[str, ...] = (
    "affinities",
    "needs",
    "specialty",
    "stage",
    "profession",
    "language",
    "meeting",
    "place",
    "named",
    "load",
)
#: The parts that say how well a mentor fits, whoever else they mentor: all but load.
PREFERENCE_PARTS: tuple[str, ...] = PART_NAMES[:-1]
#: The instant at which a mentor's time zone is read (standard time in the north).
OFFSET_INSTANT = dt.datetime(2025, 1, 15, 12, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class MentorProfile:
    """What matching needs of a mentor, as sets for fast tests."""

    id: str
    name: str
    program: str
    profession: str
    stage: str
    stage_rank: int
    specialties: frozenset[str]
    areas: frozenset[str]
    public_affinities: frozenset[str]
    private_affinities: frozenset[str]
    affinities: frozenset[str]  # public and private together
    languages: frozenset[str]
    meeting: frozenset[str]
    state: str | None
    utc_offset: float | None
    capacity: int
    accepting: bool


#: What a mentee asked for that a team covers: ``(kind, id)``, kind one of :data:`ITEM_KINDS`.
Item = tuple[str, str]
#: The kinds of :data:`Item`, in the order a quilt covers them: each need; each identity asked
#: for; the language listed first; a specialty of interest (any one: a single item, id "");
#: each mentor asked for by name (only that mentor has it).
ITEM_KINDS: tuple[str, ...] = ("need", "identity", "language", "specialty", "named")


@dataclass(frozen=True)
class RequestProfile:
    """A request with its lists turned into points and sets."""

    request: Request
    needs: tuple[str, ...]
    need_set: frozenset[str]
    need_points: tuple[float, ...]
    affinities: tuple[str, ...]
    affinity_points: tuple[float, ...]
    affinity_set: frozenset[str]
    specialty_list: tuple[str, ...]
    specialties: frozenset[str]
    stage_rank: int | None
    profession: str | None
    language_list: tuple[str, ...]
    languages: frozenset[str]
    meeting_list: tuple[str, ...]
    meeting: frozenset[str]
    state: str | None
    utc_offset: float | None
    named: frozenset[str]
    must: tuple[str, ...]  # in HARD_CONSTRAINTS order
    team_size: int
    #: the most preference points any mentor could earn for this request
    max_points: float
    #: the mentors asked for by name, in the mentee's order
    named_list: tuple[str, ...] = ()
    #: the language the mentee listed first: the one the team should speak
    first_language: str | None = None
    #: what the mentee asked for that a team covers, in the order the quilt covers it
    #: (:func:`asked_items`); bit ``i`` of an item mask is ``items[i]``
    items: tuple[Item, ...] = ()
    #: ``team.cover_affinity`` for each affinity asked for, scaled by its rank like its points:
    #: the identity listed first is worth the most to cover
    affinity_covers: tuple[float, ...] = ()


@dataclass(frozen=True)
class Score:
    """One mentor's score for one request, decomposed into named parts.

    ``shared_affinities`` may hold private affinities: it is for the engine only and must
    never be shown; :func:`reasons` is what people see.
    """

    total: float  # preference + the load part
    preference: float  # the parts but load, added in PART_NAMES order
    parts: dict[str, float]
    # the items of the request the mentor has, each in the request's order
    needs: tuple[str, ...]
    shared_affinities: tuple[str, ...]
    specialties: tuple[str, ...]
    languages: tuple[str, ...]
    meeting: tuple[str, ...]


@cache
def zone_offset(name: str) -> float | None:
    """The UTC offset in hours of the IANA time zone ``name`` at :data:`OFFSET_INSTANT`.

    ``None`` for a name ``zoneinfo`` does not know. The one definition of a mentor's time
    zone offset: :func:`mentor_profile` uses it, and the site's ``matching.json`` carries
    it for the in-browser matcher.
    """
    try:
        delta = OFFSET_INSTANT.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return None if delta is None else delta.total_seconds() / 3600


def mentor_profile(mentor: Mentor, config: MatchingConfig) -> MentorProfile:
    """The matching view of a validated mentor."""
    offset = zone_offset(mentor.timezone) if mentor.timezone else None
    if offset is None and mentor.state:
        offset = config.state_utc_offset.get(mentor.state)
    public = frozenset(mentor.affinities)
    private = frozenset(mentor.private_affinities)
    return MentorProfile(
        id=mentor.id,
        name=mentor.name,
        program=mentor.program,
        profession=mentor.profession,
        stage=mentor.stage,
        stage_rank=config.stage_order.get(mentor.stage, 0),
        specialties=frozenset(mentor.specialties),
        areas=frozenset(mentor.areas),
        public_affinities=public,
        private_affinities=private,
        affinities=public | private,
        languages=frozenset(mentor.languages),
        meeting=frozenset(mentor.meeting),
        state=mentor.state,
        utc_offset=offset,
        capacity=mentor.capacity,
        accepting=mentor.accepting,
    )


def mentor_profiles(mentors: Iterable[Mentor], config: MatchingConfig) -> list[MentorProfile]:
    """Profiles of ``mentors``, sorted by id (the engine's canonical order)."""
    return sorted((mentor_profile(m, config) for m in mentors), key=lambda p: p.id)


def request_profile(request: Request, config: MatchingConfig) -> RequestProfile:
    """The scoring view of a validated request."""
    w = config.weights
    need_points = tuple(w.need * config.rank_weight(i) for i in range(len(request.needs)))
    affinity_points = tuple(w.affinity * config.rank_weight(i) for i in range(len(request.affinities)))
    stage_rank = config.stage_order.get(request.stage) if request.stage else None
    max_points = 0.0
    for value in (*affinity_points, *need_points):
        max_points += value
    for weight, asked in (
        (w.specialty, request.specialties),
        (w.stage_ahead, request.stage),
        (w.profession, request.profession),
        (w.language, request.languages),
        (w.meeting, request.meeting),
        (w.same_state, request.state),
        (w.named, request.mentors),
    ):
        if asked:
            max_points += weight
    return RequestProfile(
        request=request,
        needs=tuple(request.needs),
        need_set=frozenset(request.needs),
        need_points=need_points,
        affinities=tuple(request.affinities),
        affinity_points=affinity_points,
        affinity_set=frozenset(request.affinities),
        specialty_list=tuple(request.specialties),
        specialties=frozenset(request.specialties),
        stage_rank=stage_rank,
        profession=request.profession,
        language_list=tuple(request.languages),
        languages=frozenset(request.languages),
        meeting_list=tuple(request.meeting),
        meeting=frozenset(request.meeting),
        state=request.state,
        utc_offset=config.state_utc_offset.get(request.state) if request.state else None,
        named=frozenset(request.mentors),
        must=tuple(f for f in HARD_CONSTRAINTS if f in request.must),
        team_size=request.team_size,
        max_points=max_points,
        named_list=tuple(request.mentors),
        first_language=request.languages[0] if request.languages else None,
        items=asked_items(request),
        affinity_covers=tuple(
            config.cover_affinity * config.rank_weight(i) for i in range(len(request.affinities))
        ),
    )


def asked_items(request: Request) -> tuple[Item, ...]:
    """What ``request`` asked for that a team covers, as :data:`Item`s in quilt order."""
    items: list[Item] = [("need", n) for n in request.needs]
    items += [("identity", a) for a in request.affinities]
    if request.languages:
        items.append(("language", request.languages[0]))
    if request.specialties:
        items.append(("specialty", ""))
    items += [("named", m) for m in request.mentors]
    return tuple(items)


def has_item(item: Item, req: RequestProfile, mentor: MentorProfile) -> bool:
    """Whether ``mentor`` brings ``item`` of ``req`` (private affinities count)."""
    kind, key = item
    if kind == "need":
        return key in mentor.areas
    if kind == "identity":
        return key in mentor.affinities
    if kind == "language":
        return key in mentor.languages
    if kind == "specialty":
        return not mentor.specialties.isdisjoint(req.specialties)
    if kind == "named":
        return key == mentor.id
    raise ValueError(f"unknown item kind {kind!r}")


def item_mask(req: RequestProfile, mentor: MentorProfile) -> int:
    """The items of ``req`` that ``mentor`` brings, as bits (bit ``i``: ``req.items[i]``)."""
    mask = 0
    for bit, item in enumerate(req.items):
        if has_item(item, req, mentor):
            mask |= 1 << bit
    return mask


# --------------------------------------------------------------------------- hard constraints


def constraint_holds(name: str, req: RequestProfile, mentor: MentorProfile, load: int) -> bool:
    """Whether the hard constraint ``name`` (one of :data:`HARD_CONSTRAINTS`) holds."""
    if name == "accepting":
        return mentor.accepting
    if name == "capacity":
        return load < mentor.capacity
    if name == "affinities":
        return not mentor.affinities.isdisjoint(req.affinity_set)
    if name == "languages":
        return not mentor.languages.isdisjoint(req.languages)
    if name == "meeting":
        return not mentor.meeting.isdisjoint(req.meeting)
    if name == "profession":
        return mentor.profession == req.profession
    if name == "state":
        return mentor.state == req.state
    raise ValueError(f"unknown constraint {name!r}")


def failed_constraint(req: RequestProfile, mentor: MentorProfile, load: int) -> str | None:
    """The first hard constraint a member must meet (accepting, capacity, then the request's
    musts but those of :data:`TEAM_MUSTS`) that fails for this mentor."""
    if not mentor.accepting:
        return "accepting"
    if load >= mentor.capacity:
        return "capacity"
    for name in req.must:
        if name not in TEAM_MUSTS and not constraint_holds(name, req, mentor, load):
            return name
    return None


def eligible(req: RequestProfile, mentor: MentorProfile, load: int) -> bool:
    """Whether the mentor may be a member of a team for ``req`` (see :data:`TEAM_MUSTS`)."""
    return failed_constraint(req, mentor, load) is None


# --------------------------------------------------------------------------- soft preferences


def load_cost(load: int, capacity: int, config: MatchingConfig) -> float:
    """Points it costs to give a mentor with ``load`` mentees one more (convex in load/capacity)."""
    if capacity <= 0:
        return config.load_weight
    share: float = ((load + 1) / capacity) ** config.load_exponent
    return config.load_weight * share


def _shared(wanted: tuple[str, ...], wanted_set: frozenset[str], offered: frozenset[str]) -> tuple[str, ...]:
    """The items of ``wanted`` (in its order) that ``offered`` has."""
    if wanted_set.isdisjoint(offered):
        return ()
    return tuple(item for item in wanted if item in offered)


def score(req: RequestProfile, mentor: MentorProfile, load: int, config: MatchingConfig) -> Score:
    """The mentor's score for the request, with its parts (see :data:`PART_NAMES`)."""
    w = config.weights
    shared = _shared(req.affinities, req.affinity_set, mentor.affinities)
    affinities = 0.0
    if shared:
        for index, affinity in enumerate(req.affinities):
            if affinity in mentor.affinities:
                affinities += req.affinity_points[index]
    needs_met = _shared(req.needs, req.need_set, mentor.areas)
    needs = 0.0
    if needs_met:
        for index, need in enumerate(req.needs):
            if need in mentor.areas:
                needs += req.need_points[index]
    specialties = _shared(req.specialty_list, req.specialties, mentor.specialties)
    languages = _shared(req.language_list, req.languages, mentor.languages)
    language = 0.0
    if languages:
        # the best-ranked language the mentor speaks: the first listed earns the most
        language = w.language * config.rank_weight(req.language_list.index(languages[0]))
    meeting = _shared(req.meeting_list, req.meeting, mentor.meeting)
    place = 0.0
    if req.state is not None and mentor.state == req.state:
        place = w.same_state
    elif (
        req.utc_offset is not None
        and mentor.utc_offset is not None
        and abs(req.utc_offset - mentor.utc_offset) <= 1
    ):
        place = w.near_timezone
    parts = {
        "affinities": affinities,
        "needs": needs,
        "specialty": w.specialty if specialties else 0.0,
        "stage": w.stage_ahead if req.stage_rank is not None and mentor.stage_rank > req.stage_rank else 0.0,
        "profession": w.profession if same_profession(req, mentor, config) else 0.0,
        "language": language,
        "meeting": w.meeting if meeting else 0.0,
        "place": place,
        "named": w.named if mentor.id in req.named else 0.0,
        "load": -load_cost(load, mentor.capacity, config),
    }
    preference = 0.0
    for name in PREFERENCE_PARTS:
        preference += parts[name]
    total = preference + parts["load"]
    return Score(total, preference, parts, needs_met, shared, specialties, languages, meeting)


def same_profession(req: RequestProfile, mentor: MentorProfile, config: MatchingConfig) -> bool:
    """The mentor is of the mentee's profession or a peer one (``profession_peers``)."""
    return req.profession is not None and mentor.profession in config.peers(req.profession)


def rank_key(total: float, mentor_id: str) -> tuple[float, str]:
    """The sort key of candidates: best score first, then mentor id (A→Z) to break ties."""
    return (-total, mentor_id)


def member_fit(req: RequestProfile, sc: Score) -> float:
    """Share (0–1) of the preference points any mentor could earn that this one earns."""
    return sc.preference / req.max_points if req.max_points > 0 else 1.0


def team_fit(req: RequestProfile, scores: Sequence[Score]) -> float:
    """How well a team serves a request, 0–1: the mean of three shares.

    needs covered (weighted by the mentee's order), affinities asked for that someone in
    the team shares (weighted likewise; left out when none were asked), and the members'
    :func:`member_fit` averaged over the ``team_size`` places (an empty place counts 0).
    """
    covered = {n for sc in scores for n in sc.needs}
    need_total = sum(req.need_points)
    need_share = sum(p for n, p in zip(req.needs, req.need_points, strict=True) if n in covered)
    shares = [need_share / need_total if need_total else 1.0]
    if req.affinities:
        shared = {a for sc in scores for a in sc.shared_affinities}
        total = sum(req.affinity_points)
        got = sum(p for a, p in zip(req.affinities, req.affinity_points, strict=True) if a in shared)
        shares.append(got / total if total else 1.0)
    shares.append(sum(member_fit(req, sc) for sc in scores) / req.team_size)
    return sum(shares) / len(shares)


# --------------------------------------------------------------------------- reasons


#: The only reasons a private affinity produces. They never say which affinity, but in a
#: public place they still hint at one, so public output (the bot's comments) leaves them out.
PRIVATE_AFFINITY_REASONS = ("shares an affinity you asked for", "shares another affinity you asked for")


def reasons(req: RequestProfile, mentor: MentorProfile, sc: Score, load: int, vocab: Vocabulary) -> list[str]:
    """Why this mentor was suggested, in words; never names a private affinity.

    A mentee who asked for one affinity and reads "shares an affinity you asked for" knows
    which one: fine for the mentee and a coordinator, not in public (:func:`public_reasons`).
    """
    out: list[str] = []
    public = [a for a in sc.shared_affinities if a in mentor.public_affinities]
    private = len(sc.shared_affinities) - len(public)
    if public:
        out.append("shares: " + ", ".join(vocab.label("affinities", a) for a in public))
    if private:
        out.append(PRIVATE_AFFINITY_REASONS[1] if public else PRIVATE_AFFINITY_REASONS[0])
    if sc.needs:
        out.append("helps with: " + ", ".join(vocab.label("areas", n) for n in sc.needs))
    if sc.specialties:
        out.append(", ".join(vocab.label("specialties", s) for s in sc.specialties))
    if sc.parts["stage"]:
        out.append("further along: " + vocab.label("stages", mentor.stage))
    if sc.parts["profession"]:
        out.append("profession: " + vocab.label("professions", mentor.profession))
    if sc.languages:
        out.append("speaks: " + ", ".join(vocab.label("languages", lang) for lang in sc.languages))
    if sc.meeting:
        out.append("meets: " + ", ".join(vocab.label("meeting", m).lower() for m in sc.meeting))
    if sc.parts["place"] and mentor.state == req.state and mentor.state:
        out.append("works in " + vocab.label("states", mentor.state))
    elif sc.parts["place"]:
        out.append("time zone within an hour of yours")
    if sc.parts["named"]:
        out.append("you asked for this mentor")
    free = max(mentor.capacity - load, 0)
    out.append(f"{free} of {mentor.capacity} place{'s' if mentor.capacity != 1 else ''} free")
    return out


def singles_out_private(req: RequestProfile, mentor: MentorProfile) -> bool:
    """Whether "shares (another) affinity you asked for" would tell anyone which one.

    Anyone who reads a public request and the mentor's public profile knows the affinities
    asked for and those the mentor lists; the private one shared is among the rest. It is
    singled out when the rest is a single affinity.
    """
    return len(req.affinity_set - mentor.public_affinities) < 2


def public_reasons(req: RequestProfile, mentor: MentorProfile, reasons_: Sequence[str]) -> list[str]:
    """``reasons_`` (from :func:`reasons`) fit for public text, such as a bot comment.

    A reason that exists only because of a private affinity is kept only when it cannot
    single out which affinity it is (:func:`singles_out_private`); docs/privacy.md.
    """
    if not singles_out_private(req, mentor):
        return list(reasons_)
    return [r for r in reasons_ if r not in PRIVATE_AFFINITY_REASONS]
