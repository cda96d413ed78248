"""What a new snapshot changes: the mentors added, removed and changed, by id."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.content.export import DirectoryExport

#: A snapshot whose mentors fall below this share of the previous one's is held for review.
SHRINK_LIMIT = 0.5
#: how many ids the summary lists of each kind of change
LISTED_IDS = 20


@dataclass(frozen=True)
class Changes:
    """Mentor ids (the peer's own) added, removed and changed, each sorted."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    programs_changed: bool = False

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.programs_changed)

    def counts(self) -> str:
        return f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"


def compare(old: DirectoryExport | None, new: DirectoryExport) -> Changes:
    """The changes from ``old`` (``None``: no snapshot yet) to ``new``."""
    before = {m.id: m for m in old.mentors} if old is not None else {}
    after = {m.id: m for m in new.mentors}
    programs_before = [p.model_dump() for p in old.programs] if old is not None else []
    return Changes(
        added=sorted(after.keys() - before.keys()),
        removed=sorted(before.keys() - after.keys()),
        changed=sorted(i for i in after.keys() & before.keys() if after[i] != before[i]),
        programs_changed=programs_before != [p.model_dump() for p in new.programs],
    )


def shrinks_too_much(old: DirectoryExport | None, new: DirectoryExport) -> bool:
    """True when ``new`` lists fewer than half the mentors ``old`` did."""
    return old is not None and len(new.mentors) < len(old.mentors) * SHRINK_LIMIT
