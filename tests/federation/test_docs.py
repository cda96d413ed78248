"""docs/federation.md: its federation.yml example is valid and fictional."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.content.validation import validate_content
from tests.support.paths import CASES, ROOT


def test_the_example_is_a_valid_federation_file(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "federation.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- federation-example -->\n```yaml\n(.*?)^```$", text, re.S | re.M)
    assert match, "no example after <!-- federation-example -->"
    content = tmp_path / "content"
    shutil.copytree(CASES / "base", content)
    (content / "federation.yml").write_text(match.group(1), encoding="utf-8")
    result = validate_content(content)
    assert result.problems == [] and result.federation is not None
    for peer in result.federation.peers:
        assert all(r.startswith("mmm-sample-") for r in peer.reviewers)  # fictional handles
        assert ".example.org/" in peer.directory_url
