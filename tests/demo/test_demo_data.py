"""demo-data: a valid synthetic network of any size, the same for the same seed."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from generator.content.validation import validate_content
from generator.demo.bios import WORDS_FILE, realistic_bio


def _digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*.yml")):
        sha.update(path.relative_to(folder).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def test_demo_network_is_valid_and_deterministic(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["demo-data", "--mentors", "400", "--programs", "30", "--seed", "5"]
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert runner.invoke(cli, [*args, "--output", str(first)]).exit_code == 0
    assert runner.invoke(cli, [*args, "--output", str(second)]).exit_code == 0
    assert runner.invoke(cli, [*args[:-1], "6", "--output", str(other)]).exit_code == 0
    assert _digest(first) == _digest(second)
    assert _digest(first) != _digest(other)

    result = validate_content(first)
    assert result.problems == []
    assert len(result.programs) == 30
    assert len(result.mentors) == 400
    mentors = list(result.mentors.values())
    assert any(m.private_affinities for m in mentors)
    assert any(not m.accepting for m in mentors)
    assert any(m.capacity == 0 for m in mentors)
    assert all(m.contact is None or (m.contact.github or "").startswith("mmm-demo-") for m in mentors)


def test_demo_data_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "net"
    out.mkdir()
    keep = out / "keep.txt"
    keep.write_text("mine")
    runner = CliRunner()
    result = runner.invoke(cli, ["demo-data", "--mentors", "5", "--programs", "2", "--output", str(out)])
    assert result.exit_code == 2
    assert "--force" in result.output
    assert keep.read_text() == "mine"
    forced = runner.invoke(
        cli, ["demo-data", "--mentors", "5", "--programs", "2", "--output", str(out), "--force"]
    )
    assert forced.exit_code == 0
    assert not keep.exists()
    assert len(list((out / "mentors").rglob("*.yml"))) == 5


def test_realistic_bios_are_valid_long_and_change_only_the_bios(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["demo-data", "--mentors", "300", "--programs", "10", "--seed", "5"]
    short, real, again = tmp_path / "short", tmp_path / "real", tmp_path / "again"
    assert runner.invoke(cli, [*args, "--output", str(short)]).exit_code == 0
    for folder in (real, again):
        done = runner.invoke(cli, [*args, "--bios", "realistic", "--output", str(folder)])
        assert done.exit_code == 0, done.output
    assert _digest(real) == _digest(again)

    plain, rich = validate_content(short), validate_content(real)
    assert plain.problems == [] and rich.problems == []
    assert plain.mentors.keys() == rich.mentors.keys()
    for mentor_id, mentor in rich.mentors.items():
        other = plain.mentors[mentor_id]
        # Only the bio differs: the matching and the facets see the same network.
        assert mentor.model_dump(exclude={"bio"}) == other.model_dump(exclude={"bio"})
        words = (mentor.bio or "").split()
        assert 100 <= len(words) <= 220, (mentor_id, len(words))
        assert len(mentor.bio or "") <= 1_450
        assert len((other.bio or "").split()) < 100


def test_realistic_bios_have_a_large_vocabulary_with_a_long_tail() -> None:
    """At 10,000 mentors the bios hold more than 20,000 distinct words, many in one bio only
    (issue 19: what real bios do to an index that the short demo bios hid)."""
    seen: dict[str, int] = {}
    for i in range(10_000):
        bio = realistic_bio(1, f"mentor-{i}", state="Ohio", specialty="pediatrics", area="research")
        for word in set(re.findall(r"[a-z]+", bio.lower())):
            seen[word] = seen.get(word, 0) + 1
    once = sum(1 for count in seen.values() if count == 1)
    assert len(seen) >= 20_000
    assert once >= len(seen) // 4
    # No word of the offensive-word list reached a bio from the everyday vocabulary (the curated
    # medical lists may name what the filter also lists: "stroke", "HIV").
    from better_profanity import profanity  # type: ignore[import-untyped]

    profanity.load_censor_words()
    curated = set(re.findall(r"[a-z]+", WORDS_FILE.read_text(encoding="utf-8").lower()))
    assert not (seen.keys() - curated) & {str(word).lower() for word in profanity.CENSOR_WORDSET}
