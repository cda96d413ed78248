"""A mentor team ("quilt") for one request: what the mentee asked for covered, load spread.

:func:`match_team` is deterministic: the same request, mentors and load give the same
team, whatever the order of ``mentors``. It picks ``team_size`` mentors one at a time,
each the eligible mentor with the largest *gain* (ties: mentor id A→Z), where

    gain = score − protect, if the mentor holds a URiM affinity (``urim``)
                 + cover_need × needs of the request the team does not cover yet, that the mentor does
                 + cover_affinity × rank weight, for each affinity asked for that the
                   mentor shares and nobody in the team does yet (the first listed weighs most)
                 + protect × the URiM affinities among those (the refund of their first mentor)
                 + cover_language, if the team has nobody yet who speaks the language listed first
                 + cover_specialty, if the team has nobody yet who shares a specialty asked for
                 − (1 − repeat_need) × points of needs the team already covers
                 − (1 − repeat_affinity) × points of affinities the team already shares
                 − same_program × team members from the mentor's program

and the score already carries the convex load cost (:func:`generator.matching.scoring.load_cost`).
So the first mentor who shares a URiM identity the mentee asked for costs nothing extra,
and a second one of that identity, like any URiM mentor the mentee did not ask for, costs
``protect``. :func:`team_total` is the sum of the gains of a team, in any order.

Two rules come before the gain. *Dominance*: no member of a team is *beaten*, that is, no
eligible mentor outside it with a place free brings a strict superset of the items asked
for (:func:`generator.matching.scoring.asked_items`) that this member brings to the team
(those the rest of the team does not bring); so load and ``protect`` choose only among
mentors who bring the same of what was asked. :func:`repair` enforces it on the greedy's
team, swapping a beaten member for a mentor who beats it (each swap covers strictly more,
so it ends). *Affinities as a must*: at least one member shares an identity the mentee
asked for (the first one listed that an eligible mentor shares); the other members are
chosen on fit and load.

When too few mentors meet the request's hard constraints, the explanation names the
constraint that emptied the pool and the ``must`` whose relaxation helps most; it also says
why each identity asked for that the team lacks, and the language listed first if nobody in
the team speaks it, is missing, on the loads once the team (or cohort) is placed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from generator.content.models import MUST_FIELDS, Request
from generator.content.vocabulary import Vocabulary
from generator.matching.config import MatchingConfig
from generator.matching.mentor_index import Bools, Floats, Ints, MentorIndex, PoolStep
from generator.matching.scoring import (
    TEAM_MUSTS,
    MentorProfile,
    RequestProfile,
    Score,
    failed_constraint,
    item_mask,
    public_reasons,
    rank_key,
    reasons,
    request_profile,
    score,
)

#: How each hard constraint reads in an explanation ("then 3 …", "mentors …").
CONSTRAINT_WORDS = {
    "accepting": "accepting new mentees",
    "capacity": "with a place free",
    "affinities": "sharing an affinity you require (one per team is enough)",
    "languages": "speaking a language you require",
    "meeting": "able to meet the way you require",
    "profession": "in your profession",
    "state": "working in your state",
}
#: Why a mentor asked for by name is not in the team.
NAMED_WORDS = {
    "accepting": "is not accepting new mentees",
    "capacity": "has no place free",
    **{name: "does not meet a requirement you marked as a must" for name in MUST_FIELDS},
}


class Pick(NamedTuple):
    """A candidate: the mentor, their score and their load before this request."""

    mentor: MentorProfile
    score: Score
    load: int


@dataclass(frozen=True)
class Member:
    """One mentor of a team, with what they cover for the team and why they were chosen.

    ``covers``: the needs assigned to them (areas). ``identities``: the identities asked for
    that they bring to the team; it may hold a private affinity, so it is for the engine and
    the report, which never names one. ``language``: the language listed first, if they are
    the team's speaker of it. ``public_reasons``: ``reasons`` fit for public text
    (:func:`generator.matching.scoring.public_reasons`).
    """

    mentor: MentorProfile
    score: Score
    covers: tuple[str, ...]
    reasons: tuple[str, ...]
    identities: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    public_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Relaxation:
    """Dropping the ``must`` on ``constraint`` would make ``eligible`` mentors eligible."""

    constraint: str
    eligible: int


@dataclass(frozen=True)
class Explanation:
    text: str
    pool: tuple[PoolStep, ...]
    limited_by: str | None  # the constraint that emptied the pool (or left fewer than team_size)
    relaxation: Relaxation | None
    #: ``text`` without the sentences that depend on who holds which affinity (for public text)
    public_text: str = ""


@dataclass(frozen=True)
class Team:
    request: RequestProfile
    members: tuple[Member, ...]  # best score first, then mentor id
    uncovered: tuple[str, ...]  # needs no member helps with, in the request's order
    explanation: Explanation
    eligible: int  # mentors who met every hard constraint
    uncovered_identities: tuple[str, ...] = ()  # identities asked for that no member shares
    uncovered_language: tuple[str, ...] = ()  # the language listed first, if no member speaks it

    @property
    def filled(self) -> bool:
        return len(self.members) == self.request.team_size


class Pool:
    """One request checked against every mentor: who is eligible, best score first."""

    def __init__(self, req: RequestProfile, index: MentorIndex, load: Ints) -> None:
        self.req, self.index, self.load = req, index, load
        self.eligibility = index.eligibility(req, load)
        self.eligible = int(self.eligibility.mask.sum())
        self.totals = index.totals(req, load)
        self._scores: dict[int, Score] = {}
        self._columns: list[Bools] | None = None
        self._mask_of: dict[str, int] = {}

    def mask(self, mentor: MentorProfile) -> int:
        """The items of the request that ``mentor`` brings (``scoring.item_mask``), computed once."""
        mask = self._mask_of.get(mentor.id)
        if mask is None:
            mask = self._mask_of[mentor.id] = item_mask(self.req, mentor)
        return mask

    @property
    def columns(self) -> list[Bools]:
        """For each item of the request, the mentors who bring it (computed once)."""
        if self._columns is None:
            self._columns = [self.index.item_column(kind, key, self.req) for kind, key in self.req.items]
        return self._columns

    @property
    def charge(self) -> Floats:
        """``protect`` per row: charged to every URiM mentor."""
        return self.index.charge

    def pick(self, row: int) -> Pick:
        """The mentor of ``row``, their score (computed once, by the reference scorer) and load."""
        sc = self._scores.get(row)
        current = int(self.load[row])
        if sc is None:
            sc = self._scores[row] = score(self.req, self.index.profiles[row], current, self.index.config)
        return Pick(self.index.profiles[row], sc, current)

    def named_status(self) -> dict[str, str | None]:
        """Each mentor asked for by name who is in the directory → the first constraint they fail."""
        out: dict[str, str | None] = {}
        for mentor_id in self.req.named:
            row = self.index.row.get(mentor_id)
            if row is not None:
                out[mentor_id] = failed_constraint(self.req, self.index.profiles[row], int(self.load[row]))
        return out


def _covered(pool: Pool, team: Sequence[Pick]) -> int:
    """The items of the pool's request that someone in ``team`` brings, as bits."""
    covered = 0
    for pick in team:
        covered |= pool.mask(pick.mentor)
    return covered


def select(
    req: RequestProfile,
    pool: Pool,
    config: MatchingConfig,
    chosen: Sequence[Pick] = (),
    among: Bools | None = None,
) -> list[Pick]:
    """Add mentors to ``chosen`` (greedy by marginal gain) until the team is full.

    At each step the candidates are the eligible mentors not in the team; when affinities
    are a must and nobody in the team shares one yet, only those who share the first
    identity asked for that a candidate shares; and, if given, only the rows of ``among``
    (:func:`repair`). The gains of all candidates are computed
    at once, subtracting in the same order as the formula in this module's docstring;
    ``argmax`` takes the first best row, and rows are in mentor-id order, so ties go to the
    id first in order.
    """
    index = pool.index
    keep_need = 1.0 - config.repeat_need
    keep_affinity = 1.0 - config.repeat_affinity
    # per item: its bit, the mentors who bring it, what it adds to a mentor's gain once the
    # team covers it (None: nothing) and while it does not
    terms: list[tuple[int, Bools, float | None, float]] = []
    identity_bits = 0
    for bit_index, ((kind, key), column) in enumerate(zip(req.items, pool.columns, strict=True)):
        bit = 1 << bit_index
        if kind == "need":
            points = req.need_points[req.needs.index(key)]
            terms.append((bit, column, keep_need * points, config.cover_need))
        elif kind == "identity":
            identity_bits |= bit
            rank = req.affinities.index(key)
            cover = req.affinity_covers[rank]
            new = cover + config.protect if key in config.urim else cover
            terms.append((bit, column, keep_affinity * req.affinity_points[rank], new))
        elif kind == "language":
            terms.append((bit, column, None, config.cover_language))
        elif kind == "specialty":
            terms.append((bit, column, None, config.cover_specialty))
    must_share = any(name in TEAM_MUSTS for name in req.must)
    team = list(chosen)
    covered = _covered(pool, team)
    programs = Counter(int(index.program[index.row[m.id]]) for m, _, _ in team)
    open_rows = pool.eligibility.mask.copy()
    for mentor, _, _ in team:
        open_rows[index.row[mentor.id]] = False
    while len(team) < req.team_size and open_rows.any():
        allowed = open_rows if among is None else open_rows & among
        if must_share and not covered & identity_bits:
            target = next(
                (
                    index.affinities[a]
                    for a in req.affinities
                    if a in index.affinities and (allowed & index.affinities[a]).any()
                ),
                None,
            )
            if target is None:
                break
            allowed = allowed & target
        # the gains, each term in the order of the docstring: of every row (whole columns
        # are faster) or, when few rows are candidates (a repair), of those rows only
        sel: slice | Ints = slice(None)
        if among is not None:
            rows = np.flatnonzero(allowed)
            if 4 * rows.size <= index.size:
                sel = rows
        if not allowed.any():
            break
        gain = pool.totals[sel] - pool.charge[sel]
        for bit, column, done, new in terms:
            if covered & bit:
                if done is not None:
                    gain -= column[sel] * done
            else:
                gain += column[sel] * new
        if programs:
            same = np.zeros(len(index.program_codes))
            for code, count in programs.items():
                same[code] = config.same_program * count
            gain -= same[index.program[sel]]
        if isinstance(sel, slice):
            gain[~allowed] = -np.inf
            row = int(np.argmax(gain))
        else:
            row = int(rows[int(np.argmax(gain))])
        best = pool.pick(row)
        team.append(best)
        open_rows[row] = False
        covered |= pool.mask(best.mentor)
        programs[int(index.program[row])] += 1
    return team


def _beaters(pool: Pool, team: Sequence[Pick]) -> tuple[list[int], Bools | None]:
    """Each member's items brought to the team, and the eligible mentors outside the team
    with a place free who bring an item nobody in it brings (``None``: there are none)."""
    index = pool.index
    masks = [pool.mask(pick.mentor) for pick in team]
    covered = 0
    for mask in masks:
        covered |= mask
    brings = []
    for i, mask in enumerate(masks):
        rest = 0
        for j, other in enumerate(masks):
            if j != i:
                rest |= other
        brings.append(mask & ~rest)
    missing = [column for bit, column in enumerate(pool.columns) if not covered >> bit & 1]
    if not missing:
        return brings, None  # the team brings everything asked for: nobody can bring more
    extra = np.zeros(index.size, dtype=np.bool_)
    for column in missing:
        extra |= column
    extra &= pool.eligibility.mask
    for pick in team:
        extra[index.row[pick.mentor.id]] = False
    return brings, extra if extra.any() else None


def beaten_by(req: RequestProfile, pool: Pool, team: Sequence[Pick], member: int) -> Bools:
    """The mentors who would beat ``team[member]`` on what they bring to the team.

    Eligible mentors (with a place free on the pool's load) outside the team who bring a
    strict superset of the items of the request that the member brings and the rest of the
    team does not: every one of those items, and one that nobody in the team brings.
    """
    brings, extra = _beaters(pool, team)
    return _beating(pool, brings[member], extra)


def _beating(pool: Pool, brings: int, extra: Bools | None) -> Bools:
    if extra is None:
        return np.zeros(pool.index.size, dtype=np.bool_)
    result = extra.copy()
    for bit, column in enumerate(pool.columns):
        if brings >> bit & 1:
            result &= column
    return result


def repair(
    req: RequestProfile, pool: Pool, config: MatchingConfig, team: Sequence[Pick]
) -> tuple[list[Pick], int]:
    """``team`` with no member another mentor beats; returns the team and the swaps made.

    While some member is beaten (:func:`beaten_by`), each beaten member is replaced, in
    turn, by the best of the mentors who beat it (by gain: :func:`select` on the rest of
    the team), and the swap that leaves the team worth most (:func:`team_total`; ties: the
    earlier member) is made. A swap makes the team cover a strict superset of what it
    covered, so there are at most as many swaps as items asked for.
    """
    current = list(team)
    swaps = 0
    while True:
        brings, extra = _beaters(pool, current)
        if extra is None:
            return current, swaps
        best: list[Pick] | None = None
        best_total = -np.inf
        for i in range(len(current)):
            better = _beating(pool, brings[i], extra)
            if not better.any():
                continue
            rest = current[:i] + current[i + 1 :]
            extended = select(req, pool, config, rest, among=better)
            if len(extended) > len(rest):
                total = team_total(req, extended, pool.index)
                if total > best_total:
                    best, best_total = extended, total
        if best is None:
            return current, swaps
        current = best
        swaps += 1


def team_total(
    req: RequestProfile, team: Sequence[Pick], index: MentorIndex, with_load: bool = True
) -> float:
    """What a team is worth: the sum of the gains of its members, whatever their order.

    Each member's load part is the cost of one more mentee on the load of their
    :data:`Pick`; ``with_load=False`` leaves it out. Plus ``cohort.fill`` for each member,
    this is the team's share of the cohort's objective (:mod:`generator.matching.cohort`).
    """
    config = index.config
    keep_need = 1.0 - config.repeat_need
    keep_affinity = 1.0 - config.repeat_affinity
    need_points = dict(zip(req.needs, req.need_points, strict=True))
    affinity_points = dict(zip(req.affinities, req.affinity_points, strict=True))
    total = 0.0
    programs: Counter[int] = Counter()
    for mentor, sc, _ in team:
        row = index.row[mentor.id]
        total += sc.total if with_load else sc.preference
        if index.protected[row]:
            total -= config.protect
        for need in sc.needs:
            total -= keep_need * need_points[need]
        for affinity in sc.shared_affinities:
            total -= keep_affinity * affinity_points[affinity]
        programs[int(index.program[row])] += 1
    covered_needs = {n for _, sc, _ in team for n in sc.needs}
    shared = {a for _, sc, _ in team for a in sc.shared_affinities}
    for need in req.needs:
        if need in covered_needs:
            total += keep_need * need_points[need] + config.cover_need
    for affinity, cover in zip(req.affinities, req.affinity_covers, strict=True):
        if affinity in shared:
            total += keep_affinity * affinity_points[affinity] + cover
            if affinity in config.urim:
                total += config.protect
    if req.first_language is not None and any(req.first_language in sc.languages for _, sc, _ in team):
        total += config.cover_language
    if any(sc.specialties for _, sc, _ in team):
        total += config.cover_specialty
    for count in programs.values():
        total -= config.same_program * count * (count - 1) / 2
    return total


def _assign(items: Sequence[str], holders: Sequence[Collection[str]]) -> list[tuple[str, ...]]:
    """Each item goes to one member who has it: the one with fewest items so far (ties: earlier)."""
    assigned: list[list[str]] = [[] for _ in holders]
    for item in items:
        having = [i for i, held in enumerate(holders) if item in held]
        if having:
            pick = min(having, key=lambda i: (len(assigned[i]), i))
            assigned[pick].append(item)
    return [tuple(a) for a in assigned]


def assign_covers(req: RequestProfile, scores: Sequence[Score]) -> list[tuple[str, ...]]:
    """Each need goes to one member who helps with it: the one with fewest needs so far.

    ``scores`` are in team order; ties go to the earlier member. Returns, per member, the
    needs assigned, in the request's order.
    """
    return _assign(req.needs, [sc.needs for sc in scores])


def build_team(
    req: RequestProfile,
    chosen: Sequence[Pick],
    vocab: Vocabulary,
    explanation: Explanation,
    eligible: int,
) -> Team:
    """A :class:`Team` from chosen (mentor, score, load before) triples, in canonical order.

    Needs and identities asked for are each assigned to one member who has them (the one
    with fewest so far); the language listed first to the first member who speaks it.
    """
    ordered = sorted(chosen, key=lambda c: rank_key(c.score.total, c.mentor.id))
    scores = [c.score for c in ordered]
    covers = assign_covers(req, scores)
    identities = _assign(req.affinities, [sc.shared_affinities for sc in scores])
    first = req.first_language
    speaker = next((i for i, sc in enumerate(scores) if first in sc.languages), None) if first else None
    members = []
    for i, ((mentor, sc, current), cov, ids) in enumerate(zip(ordered, covers, identities, strict=True)):
        said = tuple(reasons(req, mentor, sc, current, vocab))
        members.append(
            Member(
                mentor,
                sc,
                cov,
                said,
                ids,
                (first,) if first is not None and i == speaker else (),
                tuple(public_reasons(req, mentor, said)),
            )
        )
    covered = {n for m in members for n in m.score.needs}
    shared = {a for m in members for a in m.score.shared_affinities}
    return Team(
        req,
        tuple(members),
        tuple(n for n in req.needs if n not in covered),
        explanation,
        eligible,
        tuple(a for a in req.affinities if a not in shared),
        (first,) if first is not None and speaker is None else (),
    )


def _mentors(count: int) -> str:
    """A count of mentors as the directory prints counts: 1 mentor, 12 mentors, 8,334 mentors."""
    return f"{count:,} mentor" + ("" if count == 1 else "s")


def _missing(
    req: RequestProfile,
    pool: Pool,
    column: Bools | None,
    final: Ints,
    start: Ints | None,
) -> str:
    """Why nobody in the team has what ``column`` marks (an identity or a language)."""
    index = pool.index
    if column is None or not column.any():
        return "no mentor in the directory does"
    members = [name for name in req.must if name not in TEAM_MUSTS]
    able = column & index.accepting
    for name in members:
        able = able & index.constraint(name, req, final)
    requirements = "is accepting new mentees" + (" and meets your requirements" if members else "")
    if not able.any():
        return f"no mentor who does {requirements}"
    if not (able & (final < index.capacity)).any():
        taken = start is not None and bool((able & (start < index.capacity)).any())
        cohort = ", some of them by requests in this cohort" if taken else ""
        return (
            "every mentor who does"
            + (" and meets your requirements" if members else "")
            + (f" has all their places taken{cohort}")
        )

    return (
        "the mentors who do have places, but each member of the team brings something else"
        " you asked for that they do not"
    )


def explain(
    req: RequestProfile,
    pool: Pool,
    chosen: Sequence[Pick],
    vocab: Vocabulary,
    final: Ints | None = None,
    start: Ints | None = None,
) -> Explanation:
    """Why the team is what it is, in words (and the pool's figures as data).

    ``final``: every mentor's load once the team (or the whole cohort) is placed (default:
    the pool's load plus the team); the sentences about an identity asked for that the team
    lacks, or the language listed first that nobody in it speaks, are checked against it.
    ``start``: the load before the cohort, to say that its requests took places.
    """
    index, mask = pool.index, pool.eligibility.mask
    steps = pool.eligibility.steps
    eligible = pool.eligible
    size = req.team_size
    limited_by = None
    relaxation = None
    sentences: list[tuple[str, bool]] = []  # (sentence, fit for public text)
    if final is None:
        final = pool.load.copy()
        for mentor, _, _ in chosen:
            final[index.row[mentor.id]] += 1
    if eligible < size:
        limited_by = next(
            (
                s.constraint
                for s in steps
                if (s.remaining == 0 if s.constraint in TEAM_MUSTS else s.remaining < size)
            ),
            None,
        )
        chain: list[str] = []
        shown: list[PoolStep] = []
        for step in steps:
            chain.append(f"{step.remaining:,} {CONSTRAINT_WORDS[step.constraint]}")
            shown.append(step)
            if step.remaining == 0:
                break
        what = (
            "No mentor meets"
            if eligible == 0
            else f"Only {_mentors(eligible)} meet" + ("s" if eligible == 1 else "")
        )
        pool_text = f"of {_mentors(index.size)}, " + ", then ".join(chain)
        counts_sharers = any(step.constraint in TEAM_MUSTS and step.remaining for step in shown)
        sentences.append((f"{what} every requirement for a team of {size}: {pool_text}.", not counts_sharers))
        if limited_by is not None:
            emptied = "emptied the pool" if eligible == 0 else "left too few mentors"
            sentences.append(
                (f"The requirement that {emptied}: mentors {CONSTRAINT_WORDS[limited_by]}.", True)
            )
        relax = pool.eligibility.relax
        if relax:
            best = max(sorted(relax), key=lambda m: relax[m])
            relaxation = Relaxation(best, eligible + relax[best])
            sentences.append(
                (
                    f"Making {best} a preference instead of a must helps most: "
                    f"{_mentors(relaxation.eligible)} would then qualify.",
                    True,
                )
            )
        elif limited_by in {"accepting", "capacity"}:
            sentences.append(("No mentor has a place free right now; try again later.", True))
    else:
        sentences.append(
            (f"{_mentors(len(chosen))} chosen from {eligible:,} who meet every requirement.", True)
        )
    covered = {n for _, sc, _ in chosen for n in sc.needs}
    missing = [n for n in req.needs if n not in covered]
    if missing and chosen:
        labels = ", ".join(vocab.label("areas", n) for n in missing)
        if not (index.any_of(index.areas, missing) & mask).any():
            sentences.append((f"No mentor who meets your requirements helps with: {labels}.", True))
        else:
            sentences.append((f"The team does not cover: {labels}.", True))
    if chosen:
        shared = {a for _, sc, _ in chosen for a in sc.shared_affinities}
        for affinity in req.affinities:
            if affinity not in shared:
                why = _missing(req, pool, index.affinities.get(affinity), final, start)
                label = vocab.label("affinities", affinity)
                sentences.append((f"Nobody in the team shares {label}: {why}.", False))
        first = req.first_language
        if first is not None and not any(first in sc.languages for _, sc, _ in chosen):
            why = _missing(req, pool, index.languages.get(first), final, start)
            sentences.append((f"Nobody in the team speaks {vocab.label('languages', first)}: {why}.", True))
    chosen_ids = {m.id for m, _, _ in chosen}
    named = pool.named_status()
    for name in sorted(req.named - chosen_ids):
        if name not in named:
            why = "is not in the directory"
        else:
            why = NAMED_WORDS.get(named[name] or "", "was not needed: the team was full with closer fits")
        sentences.append((f"'{name}', whom you asked for, {why}.", True))
    text = " ".join(sentence for sentence, _ in sentences)
    public = " ".join(sentence for sentence, fit in sentences if fit)
    return Explanation(text, steps, limited_by, relaxation, public)


def match_team(
    request: Request | RequestProfile,
    index: MentorIndex,
    load: Mapping[str, int] | Ints,
    vocab: Vocabulary,
) -> Team:
    """The team for one request, given every mentor and how many mentees each has now."""
    config = index.config
    req = request if isinstance(request, RequestProfile) else request_profile(request, config)
    load_rows = index.load_array(load) if isinstance(load, Mapping) else load
    pool = Pool(req, index, load_rows)
    chosen, _ = repair(req, pool, config, select(req, pool, config))
    return build_team(req, chosen, vocab, explain(req, pool, chosen, vocab), pool.eligible)
