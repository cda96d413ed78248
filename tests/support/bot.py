"""Content shared by the bot's tests: a second program and a mentor template (all fictional)."""

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from tests.support.paths import ROOT

MENTOR = """id: {id}
name: {name}
program: {program}
profession: md
stage: early-faculty
specialties: [emergency-medicine]
areas: [residency-application, wellness]
affinities: [first-generation]
private_affinities: [{private}]
languages: [en]
meeting: [virtual]
state: IL
timezone: America/Chicago
capacity: {capacity}
accepting: true
{contact}bio: A fictional mentor used in tests.
last_confirmed: 2025-09-01
"""
PROGRAM = """id: riverside-som
name: Riverside Mentoring
institution: Riverside University
profession: md
state: IL
website: https://riverside.example.edu/mentoring
maintainers: [riverside-coord]
description: A fictional program used in tests.
"""


def write_bot_content(
    root: Path,
    mentors: Iterable[tuple[str, str, str | None, int]],
    *,
    booking: Mapping[str, str] | None = None,
    coordinator_url: str | None = None,
) -> Path:
    """ROOT filled with the base test content, the riverside program and MENTORS in it, each
    (id, name, GitHub login or None, capacity); BOOKING: the booking page of some of them;
    COORDINATOR_URL: the riverside program's coordinator contact page."""
    shutil.copytree(ROOT / "tests" / "cases" / "base", root, dirs_exist_ok=True)
    program = PROGRAM + (f"coordinator_url: {coordinator_url}\n" if coordinator_url else "")
    (root / "programs" / "riverside-som.yml").write_text(program)
    folder = root / "mentors" / "riverside-som"
    folder.mkdir()
    for mentor_id, name, github, capacity in mentors:
        lines = [f"  github: {github}\n"] if github else []
        if booking and mentor_id in booking:
            lines.append(f"  booking: {booking[mentor_id]}\n")
        contact = "contact:\n" + "".join(lines) if lines else ""
        (folder / f"{mentor_id}.yml").write_text(
            MENTOR.format(
                id=mentor_id,
                name=name,
                program="riverside-som",
                private="lgbtq",
                capacity=capacity,
                contact=contact,
            )
        )
    return root
