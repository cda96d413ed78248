"""The match page's packed data (issue 19): ``match/mentors.json`` and ``match/names/<k>.json``
decode, in Python and with the page's ``match-data.js``, to exactly the unpacked payload."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.content.export import build_export
from generator.content.validation import validate_content
from generator.content.vocabulary import vocabulary
from generator.site.match_pack import (
    NAMES_PER_FILE,
    MatchPackError,
    pack_match_mentors,
    unpack_match_mentors,
)
from generator.site.match_payload import MATCHER_MENTOR_FIELDS, match_mentors_payload
from tests.support.paths import ROOT

NODE = shutil.which("node")
MATCH_DATA_JS = ROOT / "theme" / "static" / "js" / "match-data.js"
DECODE = """
const matchData = require(process.argv[1]);
const files = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const decoded = matchData.decode(files.main);
const unnamed = decoded.mentors.every((m) => m.name === null);
files.names.forEach((names, k) => matchData.setNames(decoded.mentors, k, decoded.perFile, names));
const needed = matchData.namesFiles([0, decoded.perFile + 1, 1, 2 * decoded.perFile], decoded.perFile);
console.log(JSON.stringify({ unnamed, decoded, needed }));
"""


@pytest.fixture(scope="module")
def payload() -> dict[str, Any]:
    """The sample network, a stale mentor left out, many more mentors (several names files),
    and a peer network's mentor (issue 18)."""
    result = validate_content(ROOT / "content")
    export = build_export(result.programs, result.mentors, "https://site.invalid/", vocabulary())
    first = export.mentors[0]
    clones = [
        first.model_copy(update={"id": f"clone-{i:03d}", "name": f"Clone Número {i}", "state": None})
        for i in range(2 * NAMES_PER_FILE + 7)
    ]
    peer = first.model_copy(update={"id": "river--ana-peer", "name": "Ana Peer", "timezone": None})
    export = export.model_copy(update={"mentors": [*export.mentors, *clones, peer]})
    data = match_mentors_payload(export, excluded={export.mentors[1].id}, networks={"river": "River Network"})
    assert len(data["mentors"]) == len(export.mentors) - 1
    return data


def test_python_decode_is_the_unpacked_payload(payload: dict[str, Any]) -> None:
    main, names = pack_match_mentors(payload)
    assert len(names) == 3 and all(len(n) <= NAMES_PER_FILE for n in names)
    assert unpack_match_mentors(json.loads(json.dumps(main)), lambda k: names[k]) == payload
    assert {"clone-000", "river--ana-peer"} <= set(main["ids"]) and main["networks"] == {
        "river": "River Network"
    }
    assert "Clone Número" not in json.dumps(main, ensure_ascii=False)  # names only in the names files
    assert set(payload["mentors"][0]) == set(MATCHER_MENTOR_FIELDS)


def test_the_pages_decoder_gives_the_same_mentors(payload: dict[str, Any], tmp_path: Path) -> None:
    assert NODE, "node is required: it runs the page's match-data.js"
    main, names = pack_match_mentors(payload)
    files = tmp_path / "files.json"
    files.write_text(json.dumps({"main": main, "names": names}, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [NODE, "-e", DECODE, str(MATCH_DATA_JS), str(files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["unnamed"] is True  # no name until its file is loaded
    assert out["decoded"]["mentors"] == payload["mentors"]
    assert out["decoded"]["networks"] == payload["networks"]
    assert out["decoded"]["vocabulary"] == payload["vocabulary"]
    assert out["needed"] == [0, 1, 2]


def test_a_broken_file_is_refused_with_a_reason(payload: dict[str, Any]) -> None:
    main, names = pack_match_mentors(payload)
    cut = json.loads(json.dumps(main))
    cut["columns"]["areas"]["data"] = cut["columns"]["areas"]["data"][:-3]
    with pytest.raises(MatchPackError, match="'areas' ends early"):
        unpack_match_mentors(cut, lambda k: names[k])
    with pytest.raises(MatchPackError, match="names"):
        unpack_match_mentors(main, lambda k: names[k][1:])
    with pytest.raises(MatchPackError, match="format"):
        unpack_match_mentors({**main, "format": 1}, lambda k: names[k])
    long = json.loads(json.dumps(payload))
    long["mentors"][0]["areas"] = ["a"] * 64
    with pytest.raises(MatchPackError, match="shorten the list"):
        pack_match_mentors(long)
