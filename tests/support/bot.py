"""Content shared by the bot's tests: a second program and a mentor template (all fictional)."""

import shutil
from collections.abc import Iterable
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


def write_bot_content(root: Path, mentors: Iterable[tuple[str, str, str | None, int]]) -> Path:
    """ROOT filled with the base test content, the riverside program and MENTORS in it, each
    (id, name, GitHub login or None, capacity)."""
    shutil.copytree(ROOT / "tests" / "cases" / "base", root, dirs_exist_ok=True)
    (root / "programs" / "riverside-som.yml").write_text(PROGRAM)
    folder = root / "mentors" / "riverside-som"
    folder.mkdir()
    for mentor_id, name, github, capacity in mentors:
        contact = f"contact:\n  github: {github}\n" if github else ""
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
