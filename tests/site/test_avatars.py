"""Card avatars (issue 14): initials and a colour from the id, the same in Python and in the
browser (``directory-state.js``), and colours that keep white initials readable."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

from generator.site.avatars import AVATAR_COLOURS, avatar_colour, initials
from tests.support.paths import ROOT

NAMES = [
    "Ana Example, MD",
    "Dr. Ana María Example, MD, PhD",
    "José Núñez",
    "Olive O'Brien, MD",
    "Prof Ümit Zeynep Öztürk",
    "Cher",
    "Mary-Jane van der Test, DO",
    "  spaced   out  name ",
    "李 小明",
    "123 Numbers Only",
    ", MD",
    "<script>alert(1)</script> Eve",
    "ßara Straße",
    "𝒜stral Name",
]
IDS = ["ana-example", "jose-nunez", "a", "z9", "olive-obrien", "mary-jane-van-der-test", "x" * 64]


def test_initials() -> None:
    assert initials("Ana Example, MD") == "AE"
    assert initials("Dr. Ana María Example, MD, PhD") == "AE"
    assert initials("José Núñez") == "JN"
    assert initials("Cher") == "C"
    assert initials(", MD", "fallback-id") == "F"
    assert initials("123 Numbers Only") == "NO"


def test_colours_are_stable_and_spread() -> None:
    assert avatar_colour("ana-example") == avatar_colour("ana-example")
    colours = {avatar_colour(f"mentor-{n}") for n in range(200)}
    assert colours == set(range(AVATAR_COLOURS))


def test_the_browser_computes_the_same_avatars() -> None:
    node = shutil.which("node")
    assert node, "node is required"
    script = (
        "const DS = require(process.argv[1]); const input = JSON.parse(process.argv[2]);"
        "process.stdout.write(JSON.stringify({initials: input.names.map((n) => DS.initials(n, 'fb')),"
        " colours: input.ids.map(DS.avatarColour)}));"
    )
    done = subprocess.run(
        [
            node,
            "-e",
            script,
            str(ROOT / "theme" / "static" / "js" / "directory-state.js"),
            json.dumps({"names": NAMES, "ids": IDS}),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    got = json.loads(done.stdout)
    assert got["initials"] == [initials(n, "fb") for n in NAMES]
    assert got["colours"] == [avatar_colour(i) for i in IDS]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_avatar_colour_keeps_white_initials_readable() -> None:
    """WCAG AA contrast (4.5:1) for the initials, though the avatar is decorative."""
    css = (ROOT / "theme" / "static" / "css" / "design.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--avatar-(\d+):\s*(#[0-9a-fA-F]{6})", css))
    assert sorted(int(n) for n in colours) == list(range(AVATAR_COLOURS))
    ink = re.search(r"--avatar-ink:\s*(#[0-9a-fA-F]{6})", css)
    assert ink, "design.css sets --avatar-ink"
    for n, colour in colours.items():
        light, dark = sorted((_luminance(ink.group(1)), _luminance(colour)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (n, colour)
    for n in range(AVATAR_COLOURS):
        assert re.search(rf"\.avatar-{n}\s*\{{[^}}]*var\(--avatar-{n}\)", css), n
